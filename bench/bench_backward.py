"""Benchmark conv2d_backward against PyTorch's backward of the same convolution.

Run from the repository root::

    python bench/bench_backward.py            # W3, W4, W5 (under a minute)
    python bench/bench_backward.py --quick    # smoke run, a few seconds

Both sides compute the gradients of the input, the weights and the bias from the
same output gradient: ``conv2d_backward`` on channels-last arrays, and
``torch.ops.aten.convolution_backward`` (what ``loss.backward()`` runs for a
``torch.nn.Conv2d``) on NCHW tensors, float32, both with 2 threads (``--threads``).

Timing rules: each contender runs in its own phase, many calls in a row, never
interleaved call by call with the other (which would make each pay for the other's
still-spinning BLAS or OpenMP threads). A round is one phase of each; the table
takes ``--rounds`` rounds and quotes the minimum per call, the spread (median over
minimum), and the ratio of the minima. On a shared machine the minimum is what the
code costs when it is not interrupted.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_conv2d import WORKLOADS  # noqa: E402  (the same workloads as the forward benchmark)

from conv2d_lib import conv2d, conv2d_backward, output_size  # noqa: E402
from conv2d_lib.timing import conv_flops  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

ROWS = ("W3", "W4", "W5")
TARGET = 2.5  # at most this many times torch's time


def workload(name):
    """name, description, (N, H, W, C_in), C_out, kernel, stride, padding of one of bench_conv2d's workloads."""
    spec = next(s for s in WORKLOADS if s[0] == name)
    return spec[:7]


def prepare(name):
    """The two contenders for one workload, checked to agree first."""
    _, desc, shape, c_out, k, stride, padding = workload(name)
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape).astype(np.float32)
    w = (rng.standard_normal((c_out, shape[3], k, k)) / np.sqrt(shape[3] * k * k)).astype(np.float32)
    g = rng.standard_normal(conv2d(x, w, stride=stride, padding=padding).shape).astype(np.float32)
    methods = {"numpy": lambda: conv2d_backward(g, x, w, stride=stride, padding=padding)}
    if torch is not None:
        xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))  # NCHW, torch's own layout
        wt = torch.from_numpy(w)
        gt = torch.from_numpy(np.ascontiguousarray(g.transpose(0, 3, 1, 2)))

        def torch_backward():
            return torch.ops.aten.convolution_backward(gt, xt, wt, [c_out], (stride, stride), (padding, padding),
                                                      (1, 1), False, (0, 0), 1, (True, True, True))

        methods["torch"] = torch_backward
        ours, theirs = methods["numpy"](), torch_backward()
        for got, want, what in zip(ours, (theirs[0].permute(0, 2, 3, 1), theirs[1], theirs[2]),
                                   ("grad_image", "grad_weights", "grad_bias")):
            want = want.numpy()
            error = np.abs(got - want).max() / np.abs(want).max()
            if error > 1e-4:
                raise AssertionError(f"{name}: {what} differs from torch's by {error:.1e} (relative to its largest value)")
    n, h, wd, c_in = shape
    h_out, w_out = output_size((h, wd), k, stride, padding)
    flops = 2 * conv_flops(h_out, w_out, c_out, c_in, k, k, n=n)  # two products as large as the forward's
    return dict(name=name, desc=f"{desc}, {'x'.join(map(str, shape[1:] if n == 1 else shape))} -> {c_out}, "
                f"k{k}" + (f" s{stride}" if stride > 1 else "") + (f" p{padding}" if padding else ""),
                methods=methods, flops=flops)


def phase(fn, calls):
    """Seconds of each of ``calls`` calls in a row (after one untimed call)."""
    fn()
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few calls per phase, one round")
    parser.add_argument("--rounds", type=int, default=9, help="rounds of one phase per contender (default 9)")
    parser.add_argument("--calls", type=int, default=10, help="calls per phase (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="threads for NumPy's BLAS and for torch (default 2)")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    args = parser.parse_args()
    rounds, calls = (1, 4) if args.quick else (args.rounds, args.calls)
    if torch is not None:
        torch.set_num_threads(args.threads)
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads, user_api="blas")
    except ImportError:
        if args.threads != 2:
            print("threadpoolctl is not installed: NumPy's BLAS keeps its own number of threads")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{platform.machine()}, {os.cpu_count()} cores, load average {load:.1f}; NumPy {np.__version__}, "
          f"torch {torch.__version__ if torch is not None else 'not installed'}; {args.threads} thread(s) each")
    print(f"{rounds} round(s) of one phase per contender, {calls} calls per phase; minimum per call, "
          "spread = median / minimum")
    jobs = [prepare(name) for name in ROWS]
    results = {job["name"]: {m: [] for m in job["methods"]} for job in jobs}
    for _ in range(rounds):
        for job in jobs:
            for method, fn in job["methods"].items():
                results[job["name"]][method] += phase(fn, calls)
    head = ["workload", "backward ms", "spread", "torch ms", "spread", "ratio", f"target <= {TARGET:g}x", "GFLOP/s"]
    rows = []
    for job in jobs:
        times = results[job["name"]]
        ours = min(times["numpy"])
        row = [f"{job['name']} {job['desc']}", f"{ours * 1e3:.2f}", f"{np.median(times['numpy']) / ours:.2f}x"]
        if "torch" in times:
            theirs = min(times["torch"])
            ratio = ours / theirs
            row += [f"{theirs * 1e3:.2f}", f"{np.median(times['torch']) / theirs:.2f}x", f"{ratio:.2f}x",
                    "met" if ratio <= TARGET else "not met"]
        else:
            row += ["-", "-", "-", "torch not installed"]
        rows.append(row + [f"{job['flops'] / ours / 1e9:.0f}"])
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)))
    if args.markdown:
        print()
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average after: {load:.1f}")


if __name__ == "__main__":
    main()
