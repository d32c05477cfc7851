"""Time one contender alone: the worker process that ``bench/bench_conv2d.py`` starts per round.

    python bench/bench_worker.py '{"contender": "conv2d", "workloads": [...], ...}'

The only argument is a JSON workload spec (see ``bench_conv2d.worker_spec``); the
answer is one JSON object on stdout (see ``run``). One process times one contender,
so no other library's thread pool is alive while it runs: NumPy's OpenBLAS, torch's
OpenMP and OpenCV's pool never meet.

Contenders, each on the same inputs (``numpy.random.default_rng(1)``, as ``make bench``
always drew them):

* ``conv2d``: ``conv2d_lib.conv2d`` on channels-last ``(N, H, W, C_in)``;
* ``before``: the same from an earlier commit of the package, copied under another
  name (``spec["before"]``: its directory and package name; the editable install of
  ``conv2d_lib`` would shadow a copy under the same name), to time old and new code
  in the same run;
* ``torch``: ``torch.nn.functional.conv2d`` on the same numbers laid out ``(N, C_in, H, W)``;
* ``scipy``: ``scipy.ndimage.correlate`` on every (C_in, C_out) channel pair, summed,
  zero padding, every ``stride``-th value kept: what a user without a convolution
  layer would write;
* ``opencv``: ``cv2.filter2D`` the same way (``opencv-python-headless``).

The peers take the planes ``(N, C_in, H, W)`` laid out before timing, as torch does.
This script imports only what its contender needs, so the torch worker can run
in another environment's Python (``--torch-python``) that has no ``conv2d_lib``.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np


def make_inputs(shape, c_out, k, dtype):
    """The image ``(N, H, W, C_in)`` and kernel ``(C_out, C_in, k, k)`` every contender times."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape).astype(dtype)
    w = rng.standard_normal((c_out, shape[3], k, k)).astype(dtype)
    return x, w


def per_channel_filter(contender, x, w, stride, padding):
    """A call running a 2-D filter on every channel pair, or a string saying why it cannot.

    Returns ``(call, to_channels_last)``: ``call()`` returns ``(N, C_out, H_out, W_out)``.
    """
    c_out, c_in, k, k_w = w.shape
    if k != k_w or k % 2 == 0 or padding != k // 2:
        return f"only odd square kernels with 'same' padding (k // 2), got {k}x{k_w}, padding {padding}", None
    if contender == "scipy":
        from scipy import ndimage

        def filt(plane, kernel, out):
            ndimage.correlate(plane, kernel, output=out, mode="constant", cval=0.0)
    else:
        import cv2

        def filt(plane, kernel, out):
            cv2.filter2D(plane, -1, kernel, dst=out, borderType=cv2.BORDER_CONSTANT)

    planes = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    n, _, h, wd = planes.shape
    tmp = np.empty((h, wd), x.dtype)

    def call():
        out = np.zeros((n, c_out, (h - 1) // stride + 1, (wd - 1) // stride + 1), x.dtype)
        for b in range(n):
            for o in range(c_out):
                acc = out[b, o]
                for c in range(c_in):
                    filt(planes[b, c], w[o, c], tmp)
                    acc += tmp[::stride, ::stride]
        return out

    return call, lambda out: out.transpose(0, 2, 3, 1)


def before_package(spec_before):
    """Import the earlier copy of the package named in the spec (``{"path": ..., "package": ...}``)."""
    import importlib

    if spec_before["path"] not in sys.path:
        sys.path.insert(0, spec_before["path"])
    return importlib.import_module(spec_before["package"])


BEFORE = {}  # the spec's "before" entry, set by run()


def contender_call(contender, x, w, stride, padding):
    """``(call, to_channels_last)`` for one contender on one workload, or ``(reason, None)``."""
    if contender == "before":
        conv2d = before_package(BEFORE).conv2d
        return (lambda: conv2d(x, w, stride=stride, padding=padding)), (lambda out: out)
    if contender == "conv2d":
        from conv2d_lib import conv2d

        return (lambda: conv2d(x, w, stride=stride, padding=padding)), (lambda out: out)
    if contender == "torch":
        import torch
        import torch.nn.functional as F

        xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
        wt = torch.from_numpy(np.ascontiguousarray(w))

        def call():
            with torch.no_grad():
                return F.conv2d(xt, wt, stride=stride, padding=padding)

        return call, lambda out: out.numpy().transpose(0, 2, 3, 1)
    if contender in ("scipy", "opencv"):
        return per_channel_filter(contender, x, w, stride, padding)
    raise ValueError(f"contender must be conv2d, before, torch, scipy or opencv, got {contender!r}")


def import_contender(contender):
    """Import what the contender needs; returns its versions, or raises ImportError."""
    versions = {"numpy": np.__version__}
    if contender == "before":
        versions["conv2d_lib"] = f"{BEFORE.get('revision', '?')} (as {BEFORE.get('package')})"
        before_package(BEFORE)
    elif contender == "conv2d":
        import conv2d_lib

        versions["conv2d_lib"] = getattr(conv2d_lib, "__version__", "?")
    elif contender == "torch":
        import torch

        versions["torch"] = torch.__version__
    elif contender == "scipy":
        import scipy
        import scipy.ndimage  # noqa: F401

        versions["scipy"] = scipy.__version__
    elif contender == "opencv":
        import cv2

        versions["opencv"] = cv2.__version__
    return versions


def thread_report(contender):
    """The thread pools loaded in this process (threadpoolctl) and each library's own count."""
    report = {"cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()}
    try:
        from threadpoolctl import threadpool_info

        report["pools"] = [
            {"user_api": p.get("user_api"), "internal_api": p.get("internal_api"), "version": p.get("version"),
             "num_threads": p.get("num_threads"), "architecture": p.get("architecture"),
             "library": Path(p.get("filepath", "?")).name}
            for p in threadpool_info()]
    except ImportError:
        report["pools"] = None  # the bench says "threadpoolctl not installed"
    if contender == "torch":
        import torch

        report["torch_threads"] = torch.get_num_threads()
        report["torch_interop_threads"] = torch.get_num_interop_threads()
    if contender == "opencv":
        import cv2

        report["opencv_threads"] = cv2.getNumThreads()
    report["env"] = {v: os.environ.get(v) for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS",
                                                    "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    return report


def phase(call, warmup, min_calls, max_calls, budget_s, spaced_s):
    """Seconds of each of up to ``max_calls`` back-to-back calls (``spaced_s`` apart if > 0)."""
    for _ in range(warmup):
        call()
    times = []
    start = time.perf_counter()
    while len(times) < max_calls:
        if spaced_s:
            time.sleep(spaced_s)
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
        if len(times) >= min_calls and time.perf_counter() - start > budget_s:
            break
    return times


def matmul_gflops(size, repeats=5):
    """Best float32 ``a @ a`` speed of this process, in GFLOP/s."""
    a = np.random.default_rng(0).standard_normal((size, size)).astype(np.float32)
    a @ a
    best = min(phase(lambda: a @ a, 0, repeats, repeats, 0.0, 0.0))
    return 2 * size**3 / best / 1e9


def run(spec):
    """Time ``spec["contender"]`` on every workload of ``spec``; the JSON-ready answer.

    Each workload entry: ``key``, ``shape`` (N, H, W, C_in), ``c_out``, ``k``, ``stride``,
    ``padding``, ``dtype``, and optionally ``skip`` (a reason not to time it), ``control``
    (``"pad"``: time ``np.pad`` of the image instead, a NumPy call without BLAS), ``blas_threads`` (a threadpoolctl limit on
    BLAS for that phase) and ``spaced_s`` (an idle pause before every call, as between
    slider moves). Results per key: ``times`` (seconds of every timed call), ``min``,
    ``median``; or ``skipped`` with the reason.
    """
    contender = spec["contender"]
    BEFORE.update(spec.get("before") or {})
    answer = {"contender": contender, "pid": os.getpid(), "python": sys.executable,
              "python_version": platform.python_version()}
    try:
        answer["versions"] = import_contender(contender)
    except ImportError as error:
        answer.update(available=False, reason=f"{type(error).__name__}: {error}")
        return answer
    answer["available"] = True
    if spec.get("matmul_size"):
        answer["matmul_gflops"] = matmul_gflops(spec["matmul_size"])
    results = {}
    for job in spec["workloads"]:
        if job.get("skip"):
            results[job["key"]] = {"skipped": job["skip"]}
            continue
        x, w = make_inputs(tuple(job["shape"]), job["c_out"], job["k"], job["dtype"])
        if job.get("control") == "pad":  # no BLAS at all: what an idle pause costs any NumPy call
            pad = job["padding"]
            call, to_channels_last = (lambda: np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))), None
            job = dict(job, save=False)
        else:
            call, to_channels_last = contender_call(contender, x, w, job["stride"], job["padding"])
            if to_channels_last is None:
                results[job["key"]] = {"skipped": call}
                continue
        limit = job.get("blas_threads")
        if limit:
            from threadpoolctl import threadpool_limits

            with threadpool_limits(limits=limit, user_api="blas"):
                times = phase(call, spec["warmup"], spec["min_calls"], spec["max_calls"], spec["budget_s"],
                              job.get("spaced_s", 0.0))
        else:
            times = phase(call, spec["warmup"], spec["min_calls"], spec["max_calls"], spec["budget_s"],
                          job.get("spaced_s", 0.0))
        results[job["key"]] = {"times": times, "min": min(times), "median": statistics.median(times)}
        if spec.get("save_dir") and job.get("save", True):
            out = np.asarray(to_channels_last(call()), dtype=np.float64)
            np.save(Path(spec["save_dir"]) / f"{contender}-{job['key']}.npy", out)
        time.sleep(spec.get("gap_s", 0.0))
    answer["results"] = results
    answer["threads"] = thread_report(contender)
    return answer


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        sys.exit("usage: python bench/bench_worker.py SPEC_JSON")
    print(json.dumps(run(json.loads(argv[0]))))


if __name__ == "__main__":
    main()
