"""Benchmark conv2d_lib.conv2d against the loop version, SciPy and PyTorch.

Run from the repository root::

    python bench/bench_conv2d.py              # full run (about a minute)
    python bench/bench_conv2d.py --quick      # smoke run, a few seconds
    python bench/bench_conv2d.py --markdown   # also print the tables as Markdown

Timing rules: the methods are run in turn (interleaved), many times, and the
*minimum* is quoted; on a shared machine a median can be many times the minimum,
while the minimum is what the code costs when it is not interrupted. The table is
timed in three passes spread over the run, because a slow spell of a shared
machine can last several seconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc
from pathlib import Path

import numpy as np

from conv2d_lib import conv2d, conv2d_loops, output_size
from conv2d_lib.timing import conv_flops
from conv2d_lib.timing import interleaved_min as _interleaved_min

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None
try:
    from scipy.signal import correlate2d
except ImportError:
    correlate2d = None

# name, description, (N, H, W, C_in), C_out, kernel, stride, padding, target ratio to torch
WORKLOADS = [
    ("W1", "lesson", (1, 256, 256, 3), 1, 3, 1, 1, 2.0),
    ("W2", "large lesson", (1, 512, 512, 3), 8, 5, 1, 2, 3.0),
    ("W3", "network layer", (1, 56, 56, 64), 64, 3, 1, 1, 2.0),
    ("W4", "network stem", (1, 224, 224, 3), 64, 7, 2, 3, 2.0),
    ("W5", "batch", (16, 32, 32, 32), 64, 3, 1, 1, 2.0),
]
FLOAT64_ROWS = ("W1", "W3")
ENV_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def flops(shape, c_out, k, stride, padding):
    n, h, w, c_in = shape
    h_out, w_out = output_size((h, w), k, stride, padding)
    return conv_flops(h_out, w_out, c_out, c_in, k, k, n=n)


def interleaved_min(methods, repeats, budget_s):
    """Min seconds of each callable: the library's interleaved timer, 4 calls in a row per method.

    Running each method a few times in a row before switching keeps the first call
    after a switch, which competes with the previous library's still-spinning
    worker threads (OpenBLAS, OpenMP), from being the only sample.
    """
    return _interleaved_min(methods, repeats=repeats, inner=4, budget_s=budget_s)


def blas_report():
    lines = []
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            if pool.get("user_api") == "blas":  # SciPy may load its own copy: say whose it is
                owner = "NumPy" if "numpy" in pool["filepath"] else "SciPy/other"
                lines.append(
                    f"{owner} BLAS: {pool.get('internal_api')} {pool.get('version')}, kernel "
                    f"{pool.get('architecture')}, {pool.get('num_threads')} threads ({Path(pool['filepath']).name})"
                )
    except ImportError:
        lines.append("threadpoolctl not installed: BLAS kernel unknown")
    for var in ENV_VARS:
        value = os.environ.get(var)
        lines.append(f"{var}: " + (f"SET to {value!r} (can slow NumPy's BLAS; `make bench` unsets it)" if value else "not set"))
    return lines


def matmul_gflops(size, repeats):
    a = np.random.default_rng(0).standard_normal((size, size)).astype(np.float32)
    best = interleaved_min({"mm": lambda: a @ a}, repeats, 5.0)["mm"]
    return 2 * size**3 / best / 1e9


def loops_time(x, w, stride, padding):
    """conv2d_loops on a cropped input (about 6 x 6 outputs of one image), scaled up by output pixels."""
    n, h, wd, _ = x.shape
    k = w.shape[-1]
    side = min(h, 5 * stride + k)
    crop = x[:1, :side, :side]
    t0 = time.perf_counter()
    out = conv2d_loops(crop, w, stride=stride, padding=padding)
    elapsed = time.perf_counter() - t0
    h_out, w_out = output_size((h, wd), k, stride, padding)
    return elapsed * (n * h_out * w_out) / (out.shape[1] * out.shape[2])


def scipy_method(x, w, padding):
    """scipy.signal.correlate2d summed over every (C_in, C_out) pair; stride 1, 'same' padding only."""
    c_out, c_in, k, _ = w.shape
    if correlate2d is None or x.shape[0] != 1 or 2 * padding != k - 1 or c_in * c_out > 32:
        return None
    img = x[0]

    def run():
        out = np.empty(img.shape[:2] + (c_out,), img.dtype)
        for o in range(c_out):
            out[..., o] = sum(correlate2d(img[..., c], w[o, c], mode="same") for c in range(c_in))
        return out

    return run


def prepare_workload(spec, dtype, with_extras):
    """The methods to time for one workload (checked to agree first), and what the table needs."""
    name, desc, shape, c_out, k, stride, padding, target = spec
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape).astype(dtype)
    w = rng.standard_normal((c_out, shape[3], k, k)).astype(dtype)
    methods = {"numpy": lambda: conv2d(x, w, stride=stride, padding=padding)}
    if torch is not None:
        xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))  # NCHW for torch
        wt = torch.from_numpy(w)
        methods["torch"] = lambda: F.conv2d(xt, wt, stride=stride, padding=padding)
    scipy_run = scipy_method(x, w, padding) if with_extras else None
    if scipy_run is not None:
        methods["scipy"] = scipy_run
    # Correctness guard: the benchmark only means something if the answers agree.
    if torch is not None:
        ours = conv2d(x, w, stride=stride, padding=padding)
        ref = methods["torch"]().numpy().transpose(0, 2, 3, 1)
        tol = 1e-3 if dtype == np.float32 else 1e-9
        np.testing.assert_allclose(ours, ref, rtol=tol, atol=tol * np.abs(ref).max())
    return dict(name=name, desc=desc, dtype=np.dtype(dtype).name, target=target if dtype == np.float32 else None,
                shape=f"{'x'.join(map(str, shape))} -> {c_out}, k{k} s{stride} p{padding}",
                flops=flops(shape, c_out, k, stride, padding), methods=methods,
                loops=loops_time(x, w, stride, padding) if with_extras else None)


def time_workloads(jobs, passes, repeats, budget_s):
    """Minimum time of every method of every workload, over several passes through the table.

    A slow spell of a shared machine can last seconds; timing each workload in
    several passes, spread over the whole run, lets every method meet a quiet moment.
    """
    for job in jobs:
        job.update({name: float("inf") for name in job["methods"]})
    for _ in range(passes):
        for job in jobs:
            for name, seconds in interleaved_min(job["methods"], repeats, budget_s).items():
                job[name] = min(job[name], seconds)
    return jobs


def fmt_ms(t):
    return "-" if t is None else (f"{t * 1e3:.3f}" if t < 1 else f"{t * 1e3:,.0f}")


def table_rows(results, matmul_gf):
    head = ["workload", "dtype", "N x H x W x C_in -> C_out", "conv2d ms", "GFLOP/s", "torch ms",
            "torch GFLOP/s", "ratio to torch", "target", "verdict", "loops ms (extrap.)", "scipy ms"]
    rows = []
    for r in results:
        t, tt = r["numpy"], r.get("torch")
        ratio = t / tt if tt else None
        verdict = "-"
        if r["target"] is not None and ratio is not None:
            ok = ratio <= r["target"]
            if r["name"] == "W3":  # also: at least half of the machine's matmul GFLOP/s
                ok = ok and r["flops"] / t / 1e9 >= matmul_gf / 2
            verdict = "PASS" if ok else "MISS"
        target = "-" if r["target"] is None else f"<= {r['target']:g}x" + (" and >= matmul/2" if r["name"] == "W3" else "")
        rows.append([f"{r['name']} {r['desc']}", r["dtype"], r["shape"], fmt_ms(t), f"{r['flops'] / t / 1e9:.1f}",
                     fmt_ms(tt) if tt else "torch not installed", f"{r['flops'] / tt / 1e9:.1f}" if tt else "-",
                     f"{ratio:.2f}x" if ratio else "-", target, verdict, fmt_ms(r.get("loops")), fmt_ms(r.get("scipy"))])
    return head, rows


def print_table(head, rows, markdown):
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(str(c)) for c in col) for col in zip(head, *rows)]
    for row in [head, *rows]:
        print("  ".join(str(c).rjust(wd) for c, wd in zip(row, widths)))


# The two paths conv2d takes for a photo (see conv2d_lib/_fast.py): the folded product for
# few output channels, blocked columns (channels-first) for more.
MEMORY_CASES = [("folded", 8, 5), ("columns", 16, 3)]


def peak_memory(size):
    """Peak extra memory (tracemalloc) of conv2d on a (size, size, 3) float32 photo, on both paths.

    Returns lines in words: for each path, with and without padding, the input,
    the output, and what conv2d allocates beyond the output and the padded copy.
    """
    rng = np.random.default_rng(2)
    x = rng.standard_normal((size, size, 3)).astype(np.float32)
    mib = 1 / 2**20
    lines = [f"peak memory of conv2d on a {size}x{size}x3 float32 photo (input {x.nbytes * mib:.1f} MiB):"]
    for path, c_out, k in MEMORY_CASES:
        w = rng.standard_normal((c_out, 3, k, k)).astype(np.float32)
        for padding in (0, k // 2):
            conv2d(x, w, padding=padding)  # work buffers are kept between calls: count them once
            tracemalloc.start()
            out = conv2d(x, w, padding=padding)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            padded = 0 if padding == 0 else (size + 2 * padding) ** 2 * 3 * x.itemsize
            lines.append(
                f"  {path:8} path, {k}x{k} kernel, C_out {c_out:2}, padding {padding}: output "
                f"{out.nbytes * mib:6.1f} MiB, padded copy {padded * mib:5.1f} MiB, extra beyond both "
                f"{(peak - out.nbytes - padded) * mib:5.1f} MiB")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repeats, small inputs: a smoke run")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown too")
    args = parser.parse_args(argv)
    passes, repeats, budget = (1, 2, 0.5) if args.quick else (3, 10, 3.0)

    print(f"conv2d_lib benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, NumPy {np.__version__}")
    for line in blas_report():
        print(line)
    if torch is not None:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    else:
        print("torch not installed: no torch column")
    mm = matmul_gflops(512 if args.quick else 2048, 3 if args.quick else 10)
    print(f"np.matmul float32 {'512' if args.quick else '2048'}^2: {mm:.0f} GFLOP/s (the practical ceiling)")
    print(f"times are the minimum over {passes} passes through the table, each of up to {repeats} interleaved rounds "
          f"of 4 runs per method (at most {budget:g} s per workload and pass); 'loops' is conv2d_loops on a "
          "cropped input (one image, about 6 x 6 outputs) scaled by the output-pixel count; "
          "'scipy' is scipy.signal.correlate2d summed over every (C_in, C_out) channel pair "
          "(single image, stride 1, 'same' padding only)\n")

    jobs = [prepare_workload(spec, np.float32, with_extras=True) for spec in WORKLOADS]
    jobs += [prepare_workload(spec, np.float64, with_extras=False) for spec in WORKLOADS if spec[0] in FLOAT64_ROWS]
    results = time_workloads(jobs, passes, repeats, budget)
    # Measure the ceiling again after the table: on a shared machine one measurement can
    # land in a busy spell; the larger of the two is the machine's real ceiling.
    mm_after = matmul_gflops(512 if args.quick else 2048, 3 if args.quick else 10)
    print(f"np.matmul float32 again after the workloads: {mm_after:.0f} GFLOP/s; using {max(mm, mm_after):.0f}")
    mm = max(mm, mm_after)
    head, rows = table_rows(results, mm)
    print_table(head, rows, markdown=False)
    if args.markdown:
        print()
        print_table(head, rows, markdown=True)
    print()
    print("\n".join(peak_memory(256 if args.quick else 2048)))


if __name__ == "__main__":
    main()
