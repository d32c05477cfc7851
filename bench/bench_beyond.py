"""Benchmark the layers beyond the basic convolution against PyTorch: depthwise and grouped
convolution, transposed convolution, pooling.

Run from the repository root::

    python bench/bench_beyond.py            # about half a minute
    python bench/bench_beyond.py --quick    # smoke run, a few seconds

Timing rules: each contender runs in its own phase (one untimed call, then ``--calls``
timed calls in a row, so that its thread pools are awake and the other's are idle),
the phases alternate over ``--rounds`` rounds, and the *minimum* is quoted: on a
shared machine it is what the code costs when it is not interrupted. Every workload's
answers are checked against PyTorch's before it is timed. PyTorch gets its default
NCHW tensors; for the depthwise rows it is also timed on a channels-last tensor
(``torch.channels_last``, the layout of our images), where oneDNN runs a kernel of
its own for depthwise convolution.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

from conv2d_lib import avg_pool2d, conv2d, conv_transpose2d, max_pool2d

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

# name, what it is, (N, H, W, C_in), the call on our side, the same call in PyTorch (NCHW), target ratio
WORKLOADS = [
    ("D1", "depthwise 3x3 (MobileNet block)", (1, 112, 112, 32), "conv", dict(c_out=32, k=3, stride=1, padding=1,
                                                                           groups=32), 2.0),
    ("D2", "depthwise 3x3, stride 2", (1, 112, 112, 32), "conv", dict(c_out=32, k=3, stride=2, padding=1, groups=32),
     None),
    ("G1", "grouped 3x3, 4 groups (ResNeXt)", (1, 56, 56, 64), "conv", dict(c_out=64, k=3, stride=1, padding=1,
                                                                          groups=4), None),
    ("T1", "transposed 4x4, stride 2 (GAN upsampling)", (1, 32, 32, 64), "transpose",
     dict(c_out=32, k=4, stride=2, padding=1, groups=1), None),
    ("P1", "max pool 3x3, stride 2 (ResNet stem)", (1, 112, 112, 64), "max", dict(k=3, stride=2, padding=1), None),
    ("P2", "average pool 2x2", (1, 112, 112, 64), "avg", dict(k=2, stride=2, padding=0), None),
]


def prepare(spec):
    """Our call, PyTorch's calls, checked to agree."""
    name, desc, shape, kind, s, target = spec
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape).astype(np.float32)
    c_in = shape[3]
    if kind == "conv":
        w = rng.standard_normal((s["c_out"], c_in // s["groups"], s["k"], s["k"])).astype(np.float32)
        ours = lambda: conv2d(x, w, stride=s["stride"], padding=s["padding"], groups=s["groups"])  # noqa: E731
        theirs = lambda t: F.conv2d(t, wt, stride=s["stride"], padding=s["padding"], groups=s["groups"])  # noqa: E731
    elif kind == "transpose":
        w = rng.standard_normal((c_in, s["c_out"] // s["groups"], s["k"], s["k"])).astype(np.float32)
        ours = lambda: conv_transpose2d(x, w, stride=s["stride"], padding=s["padding"],  # noqa: E731
                                        groups=s["groups"])
        theirs = lambda t: F.conv_transpose2d(t, wt, stride=s["stride"], padding=s["padding"],  # noqa: E731
                                              groups=s["groups"])
    else:
        pool, tpool = (max_pool2d, "max_pool2d") if kind == "max" else (avg_pool2d, "avg_pool2d")
        w = None
        ours = lambda: pool(x, s["k"], s["stride"], s["padding"])  # noqa: E731
        theirs = lambda t: getattr(F, tpool)(t, s["k"], s["stride"], s["padding"])  # noqa: E731
    methods = {"numpy": ours}
    if torch is not None:
        xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))  # NCHW for torch
        wt = None if w is None else torch.from_numpy(w)
        methods["torch"] = lambda: theirs(xt)
        if kind == "conv" and s["groups"] == c_in:
            xcl = xt.contiguous(memory_format=torch.channels_last)
            methods["torch channels_last"] = lambda: theirs(xcl)
        with torch.no_grad():
            reference = methods["torch"]().numpy().transpose(0, 2, 3, 1)
        np.testing.assert_allclose(ours(), reference, rtol=1e-4, atol=1e-4 * np.abs(reference).max())
    return dict(name=name, desc=desc, shape="x".join(map(str, shape)), methods=methods, target=target)


def phased_min(methods, rounds, calls):
    """Minimum seconds per method: each in its own phase of ``calls`` timed calls, phases alternating."""
    best = {name: float("inf") for name in methods}
    for _ in range(rounds):
        for name, fn in methods.items():
            fn()  # wake this contender's threads, untimed
            for _ in range(calls):
                t0 = time.perf_counter()
                fn()
                best[name] = min(best[name], time.perf_counter() - t0)
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 round of 3 calls (a smoke run)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args(argv)
    rounds, calls = (1, 3) if args.quick else (args.rounds, args.calls)
    print(f"{platform.machine()}, Python {platform.python_version()}, NumPy {np.__version__}")
    if torch is None:
        print("torch not installed: no torch column")
    else:
        torch.set_grad_enabled(False)
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"minimum over {rounds} rounds of {calls} calls per contender, float32\n")
    head = ["workload", "N x H x W x C_in", "numpy ms", "torch ms", "ratio", "torch channels_last ms", "target"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for spec in WORKLOADS:
        job = prepare(spec)
        best = phased_min(job["methods"], rounds, calls)
        ours, theirs = best["numpy"] * 1e3, best.get("torch", float("nan")) * 1e3
        cl = best.get("torch channels_last")
        ratio = ours / theirs if torch is not None else float("nan")
        target = "" if job["target"] is None else (f"<= {job['target']:g}x: " +
                                                    ("met" if ratio <= job["target"] else "not met"))
        print(f"| {job['name']} {job['desc']} | {job['shape']} | {ours:.2f} | {theirs:.2f} | {ratio:.2f}x | "
              f"{'' if cl is None else f'{cl * 1e3:.2f}'} | {target} |")


if __name__ == "__main__":
    main()
