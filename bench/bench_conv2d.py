"""Benchmark conv2d_lib.conv2d against PyTorch, SciPy and OpenCV, each contender timed alone.

Run from the repository root (``make bench`` does, with the OpenBLAS overrides unset)::

    python bench/bench_conv2d.py              # full run (two to three minutes)
    python bench/bench_conv2d.py --quick      # smoke run, a few seconds
    python bench/bench_conv2d.py --markdown   # also print the tables as Markdown
    python bench/bench_conv2d.py --torch-python /path/to/env/bin/python   # torch from another environment
    python bench/bench_conv2d.py --before HEAD~1   # also time the package of an earlier commit, same rounds

Timing rules. Every contender runs in a process of its own (``bench/bench_worker.py``),
one after the other, in alternating rounds: conv2d, torch, scipy, opencv, conv2d, ...
In its process a contender meets each workload in a phase of back-to-back calls, and the
phase's fastest call is that round's minimum. Two thread pools timed in one process
(NumPy's OpenBLAS and torch's OpenMP, on 2 cores) slow each other down, both ways;
here no other library's threads exist while a contender runs. The table gives each
contender's minimum over the run and the spread of the per-round minima (min / median
/ max), so a slow mode that holds for a whole phase shows instead of hiding behind the
best round. Ratios to torch come from the same run; the per-round ratio pairs each
round's conv2d phase with the torch phase that follows it.

The targets are printed with PASS or MISS beside them: the table reports, it does not fail.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from conv2d_lib import conv2d, conv2d_loops, output_size
from conv2d_lib.timing import conv_flops

WORKER = Path(__file__).resolve().with_name("bench_worker.py")

# name, description, (N, H, W, C_in), C_out, kernel, stride, padding, target ratio to torch
WORKLOADS = [
    ("W1", "lesson", (1, 256, 256, 3), 1, 3, 1, 1, 1.0),
    ("W2", "large lesson", (1, 512, 512, 3), 8, 5, 1, 2, 1.0),
    ("W3", "network layer", (1, 56, 56, 64), 64, 3, 1, 1, 1.5),
    ("W4", "network stem", (1, 224, 224, 3), 64, 7, 2, 3, 1.5),
    ("W5", "batch", (16, 32, 32, 32), 64, 3, 1, 1, 1.5),
]
FLOAT64_ROWS = ("W1", "W3")
# A learner waits on every slider move of the lesson workloads: their ratio must hold in every round.
EVERY_ROUND = ("W1", "W2")
# Share of the machine's float32 matmul GFLOP/s that conv2d should reach.
GFLOPS_TARGETS = {"W3": 0.70, "W5": 0.70}
CONTENDERS = ("conv2d", "torch", "scipy", "opencv")
PEERS_NOTE = {
    "before": "conv2d of an earlier commit (--before), the same calls",
    "torch": "torch.nn.functional.conv2d on (N, C_in, H, W)",
    "scipy": "scipy.ndimage.correlate per (C_in, C_out) channel pair, summed",
    "opencv": "cv2.filter2D per (C_in, C_out) channel pair, summed",
}
ENV_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
# W1 alone in the conv2d worker, with BLAS held to 1 or 2 threads, calls back to back or
# with an idle pause before each (a learner's kernel is idle between slider moves).
W1_THREADS = [(threads, spaced) for spaced in (0.0, 0.02) for threads in (1, 2)]

FULL = dict(rounds=5, warmup=2, min_calls=3, max_calls=30, budget_s=0.3, gap_s=0.1, matmul_size=2048, memory=2048)
QUICK = dict(rounds=1, warmup=1, min_calls=1, max_calls=2, budget_s=0.0, gap_s=0.0, matmul_size=256, memory=256)


def flops(shape, c_out, k, stride, padding):
    n, h, w, c_in = shape
    h_out, w_out = output_size((h, w), k, stride, padding)
    return conv_flops(h_out, w_out, c_out, c_in, k, k, n=n)


def loops_time(shape, c_out, k, stride, padding, repeats=5):
    """conv2d_loops on a cropped input (about 6 x 6 outputs of one image), scaled up by output pixels.

    The loops are pure Python, one thread: timed in this process after the workers,
    the fastest of ``repeats`` calls.
    """
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape).astype(np.float32)
    w = rng.standard_normal((c_out, shape[3], k, k)).astype(np.float32)
    n, h, wd, _ = shape
    side = min(h, 5 * stride + k)
    elapsed = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = conv2d_loops(x[:1, :side, :side], w, stride=stride, padding=padding)
        elapsed = min(elapsed, time.perf_counter() - t0)
    h_out, w_out = output_size((h, wd), k, stride, padding)
    return elapsed * (n * h_out * w_out) / (out.shape[1] * out.shape[2])


def workload_entries(contender, quick=False):
    """The workload entries of one contender's spec: every table row, and the W1 thread study for conv2d.

    ``quick`` keeps the smoke run to a few seconds: float32 only, and the peers (which
    filter channel pair by channel pair, up to a second a call) on W1 and W2 only.
    """
    entries = []
    for dtype in ("float32",) if quick else ("float32", "float64"):
        for name, _, shape, c_out, k, stride, padding, _ in WORKLOADS:
            if dtype == "float64" and name not in FLOAT64_ROWS:
                continue
            entries.append(dict(key=name if dtype == "float32" else f"{name} float64", shape=list(shape),
                                c_out=c_out, k=k, stride=stride, padding=padding, dtype=dtype))
            if quick and contender in ("scipy", "opencv") and name not in ("W1", "W2"):
                entries[-1]["skip"] = "--quick times the peers on W1 and W2 only"
    if contender == "conv2d":
        w1 = dict(entries[0], save=False)
        for threads, spaced in W1_THREADS:
            entries.append(dict(w1, key=w1_key(threads, spaced), blas_threads=threads, spaced_s=spaced))
        for spaced in sorted({spaced for _, spaced in W1_THREADS}):
            entries.append(dict(w1, key=w1_key(None, spaced), control="pad", spaced_s=spaced))
    return entries


def w1_key(threads, spaced):
    """The key of a W1 thread-study phase; ``threads=None`` is the np.pad control (no BLAS)."""
    return (f"W1 blas{threads}" if threads else "W1 np.pad") + (f" spaced{spaced * 1e3:g}ms" if spaced else "")


def worker_spec(contender, settings, save_dir=None, quick=False, before=None):
    """The JSON spec ``bench_worker.py`` takes for one contender's round."""
    # The peers filter channel pair by channel pair (up to a second a call on W5): fewer calls.
    peer = contender in ("scipy", "opencv")
    return dict(contender=contender, workloads=workload_entries(contender, quick), before=before,
                warmup=min(settings["warmup"], 0 if quick else 1) if peer else settings["warmup"],
                min_calls=min(settings["min_calls"], 2) if peer else settings["min_calls"],
                max_calls=1 if quick and peer else settings["max_calls"],
                budget_s=settings["budget_s"], gap_s=settings["gap_s"], save_dir=save_dir,
                matmul_size=settings["matmul_size"] if contender == "conv2d" else 0)


def copy_before(revision, into):
    """``conv2d_lib`` of commit ``revision`` under ``into``, renamed ``conv2d_before``; the spec's ``before`` entry.

    Renamed because the editable install of ``conv2d_lib`` comes first on the path;
    the package imports its own modules relatively, so the copy runs as it was.
    """
    root = Path(__file__).resolve().parents[1]
    commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", revision], capture_output=True,
                            text=True, check=True).stdout.strip()
    archive = subprocess.run(["git", "-C", str(root), "archive", commit, "conv2d_lib"], capture_output=True, check=True)
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    Path(into, "conv2d_lib").rename(Path(into, "conv2d_before"))
    return {"path": str(into), "package": "conv2d_before", "revision": commit}


def worker_env():
    """The environment of every worker: this one without the OpenBLAS overrides, writing no bytecode."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # a --torch-python environment is only read
    return env


def run_worker(python, spec):
    """Start one worker process, wait for it, and return its parsed JSON answer."""
    done = subprocess.run([python, str(WORKER), json.dumps(spec)], capture_output=True, text=True,
                          env=worker_env(), cwd=Path(__file__).resolve().parents[1], timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"the {spec['contender']} worker ({python}) failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def pools_summary(threads):
    """One line of a worker's thread pools: BLAS and OpenMP (threadpoolctl), and each library's own."""
    if threads.get("pools") is None:
        parts = ["threadpoolctl not installed: BLAS unknown"]
    else:
        parts = [f"{p['user_api']} {p['internal_api']}" + (f" {p['version']}" if p.get("version") else "")
                 + (f" {p['architecture']}" if p.get("architecture") else "")
                 + f" {p['num_threads']} threads ({p['library']})"
                 for p in sorted(threads["pools"], key=lambda p: (p["user_api"], p["library"]))]
    for key, label in (("torch_threads", "torch intra-op"), ("torch_interop_threads", "torch inter-op"),
                       ("opencv_threads", "OpenCV")):
        if key in threads:
            parts.append(f"{label} {threads[key]} threads")
    parts.append(f"{threads['cpus_usable']} CPUs usable")
    set_vars = [f"{k}={v}" for k, v in threads["env"].items() if v]
    parts.append("env: " + (", ".join(set_vars) if set_vars else "no thread or OpenBLAS variables set"))
    return "; ".join(parts)


def check_outputs(save_dir, contenders):
    """Every contender's output against conv2d's, from round 1's saved arrays; returns lines, raises on a mismatch."""
    lines = []
    for contender in contenders:
        if contender == "conv2d":
            continue
        checked = []
        for path in sorted(Path(save_dir).glob(f"{contender}-*.npy")):
            key = path.stem.split("-", 1)[1]
            ref = np.load(Path(save_dir) / f"conv2d-{key}.npy")
            theirs = np.load(path)
            tol = 1e-9 if key.endswith("float64") else 1e-3
            if theirs.shape != ref.shape or not np.allclose(theirs, ref, rtol=tol, atol=tol * np.abs(ref).max()):
                raise SystemExit(f"{contender} and conv2d disagree on {key}: the benchmark would compare "
                                 f"different computations (max difference {np.abs(theirs - ref).max():.3g})")
            checked.append(key)
        lines.append(f"  {contender}: agrees with conv2d on {', '.join(checked)}")
    return lines


def summarise(answers, key):
    """Per-round minima of one key over a contender's worker answers: dict, or None if never timed."""
    minima = [a["results"][key]["min"] for a in answers if "min" in a.get("results", {}).get(key, {})]
    if not minima:
        return None
    medians = [a["results"][key]["median"] for a in answers if "median" in a["results"].get(key, {})]
    return dict(best=min(minima), minima=minima, median=statistics.median(minima), worst=max(minima),
                call_median=statistics.median(medians), calls=sum(len(a["results"][key]["times"]) for a in answers
                                                                 if key in a["results"]))


def round_ratios(conv_answers, torch_answers, key):
    """conv2d's minimum over torch's, round by round (each conv2d phase with the torch phase after it)."""
    ratios = []
    for mine, theirs in zip(conv_answers, torch_answers):
        a, b = mine["results"].get(key, {}), theirs.get("results", {}).get(key, {})
        if "min" in a and "min" in b:
            ratios.append(a["min"] / b["min"])
    return ratios


def fmt_ms(t):
    if t is None:
        return "-"
    ms = t * 1e3
    return f"{ms:.3f}" if ms < 10 else (f"{ms:.1f}" if ms < 1000 else f"{ms:,.0f}")


def skipped_reason(answers, key):
    for a in answers:
        if not a.get("available", False):
            return a.get("reason", "not available")
        if "skipped" in a.get("results", {}).get(key, {}):
            return a["results"][key]["skipped"]
    return "not timed"


def main_table(runs, quick=False, contenders=CONTENDERS):
    """Rows per (workload, contender): minimum, spread over rounds, GFLOP/s, ratio to torch."""
    head = ["workload", "N x H x W x C_in -> C_out", "contender", "min ms", "per-round minima min / median / max ms",
            "GFLOP/s", "ratio to torch (min / min)", "per-round ratios"]
    rows, summary = [], {}
    torch_answers = [a for a in runs.get("torch", []) if a.get("available")]
    for key in [e["key"] for e in workload_entries("torch", quick)]:
        name, _, shape, c_out, k, stride, padding, _ = next(w for w in WORKLOADS if w[0] == key.split()[0])
        work = flops(shape, c_out, k, stride, padding)
        torch_s = summarise(torch_answers, key) if torch_answers else None
        for contender in contenders:
            answers = [a for a in runs.get(contender, []) if a.get("available")]
            s = summarise(answers, key) if answers else None
            summary[(key, contender)] = s
            label = [f"{key} {next(w[1] for w in WORKLOADS if w[0] == name)}" if contender == "conv2d" else "",
                     f"{'x'.join(map(str, shape))} -> {c_out}, k{k} s{stride} p{padding}" if contender == "conv2d" else "",
                     contender]
            if s is None:
                rows.append(label + ["-", skipped_reason(runs.get(contender, []), key), "-", "-", "-"])
                continue
            ratio = f"{s['best'] / torch_s['best']:.2f}x" if torch_s and contender != "torch" else "-"
            per_round = "-"
            if torch_s and contender != "torch":
                r = round_ratios(answers, torch_answers, key)
                per_round = f"{min(r):.2f}-{max(r):.2f}x" if len(r) > 1 else f"{r[0]:.2f}x"
            rows.append(label + [fmt_ms(s["best"]), f"{fmt_ms(s['best'])} / {fmt_ms(s['median'])} / {fmt_ms(s['worst'])}",
                                 f"{work / s['best'] / 1e9:.1f}", ratio, per_round])
    return head, rows, summary


def targets_table(runs, summary, matmul_rounds):
    """The issue's targets, each with the measured value and PASS or MISS."""
    head = ["target", "measured", "verdict"]
    rows = []
    matmul_gf = max(matmul_rounds)
    conv_answers = [a for a in runs.get("conv2d", []) if a.get("available")]
    torch_answers = [a for a in runs.get("torch", []) if a.get("available")]
    for name, _, shape, c_out, k, stride, padding, target in WORKLOADS:
        mine, theirs = summary.get((name, "conv2d")), summary.get((name, "torch"))
        if name in EVERY_ROUND:
            text = f"{name}: conv2d <= {target:g}x torch in every round"
            if theirs is None:
                rows.append([text, "no torch column", "-"])
                continue
            ratios = round_ratios(conv_answers, torch_answers, name)
            worst = max(ratios)
            rows.append([text, f"worst round {worst:.2f}x (rounds {', '.join(f'{r:.2f}' for r in ratios)})",
                         "PASS" if worst <= target else "MISS"])
        else:
            text = f"{name}: conv2d <= {target:g}x torch"
            if theirs is None:
                rows.append([text, "no torch column", "-"])
            else:
                ratio = mine["best"] / theirs["best"]
                rows.append([text, f"{ratio:.2f}x", "PASS" if ratio <= target else "MISS"])
        if name in GFLOPS_TARGETS and mine is not None:
            speed = flops(shape, c_out, k, stride, padding) / mine["best"] / 1e9
            share = speed / matmul_gf
            rows.append([f"{name}: conv2d >= {GFLOPS_TARGETS[name]:.0%} of matmul GFLOP/s",
                         f"{share:.0%} ({speed:.0f} of {matmul_gf:.0f} GFLOP/s; matmul per round "
                         f"{min(matmul_rounds):.0f}-{max(matmul_rounds):.0f})",
                         "PASS" if share >= GFLOPS_TARGETS[name] else "MISS"])
    return head, rows


def threads_table(runs):
    """conv2d on W1 with BLAS held to 1 and 2 threads, back to back and with idle pauses: every round's minimum.

    The np.pad rows (the W1 image padded, no BLAS involved) tell what an idle pause
    costs any NumPy call on this machine, apart from waking BLAS's threads.
    """
    head = ["W1 call", "how", "BLAS threads", "calls timed", "min ms", "per-round minima ms", "median call ms"]
    rows = []
    answers = [a for a in runs.get("conv2d", []) if a.get("available")]
    spacings = sorted({spaced for _, spaced in W1_THREADS})
    for threads, spaced in W1_THREADS + [(None, spaced) for spaced in spacings]:
        s = summarise(answers, w1_key(threads, spaced))
        if s is None:
            continue
        rows.append(["conv2d" if threads else "np.pad (control)",
                     "back to back" if not spaced else f"{spaced * 1e3:g} ms idle before each",
                     str(threads) if threads else "-", str(s["calls"]), fmt_ms(s["best"]),
                     " ".join(fmt_ms(m) for m in s["minima"]), fmt_ms(s["call_median"])])
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


# Every path conv2d takes (see conv2d_lib/_fast.py), on a photo (3 channels) or a network layer
# (32 channels, a quarter of the photo's side): label, channels, C_out, k, dilation, groups.
MEMORY_CASES = [
    ("folded, row by row", 3, 8, 5, 1, 1),
    ("folded, flat phases (dilation 2 down)", 3, 8, 5, (2, 1), 1),
    ("columns, channels-first", 3, 16, 3, 1, 1),
    ("columns, channels-last", 32, 64, 3, 1, 1),
    ("depthwise", 32, 32, 3, 1, 32),
    ("groups of 8 channels", 32, 32, 3, 1, 4),
]


def peak_memory(size):
    """Peak extra memory (tracemalloc) of conv2d on every path: a (size, size, 3) float32 photo, or a layer.

    Returns lines in words: for each path, with and without padding, the input,
    the output, and what conv2d allocates beyond the output and the padded copy.
    Work buffers kept between calls (a few MB per thread, see ``_fast._work_buffer``)
    are made by an untimed first call and not counted again.
    """
    rng = np.random.default_rng(2)
    mib = 1 / 2**20
    lines = [f"peak memory of conv2d, float32: a {size}x{size}x3 photo ({size * size * 3 * 4 * mib:.1f} MiB) "
             f"or a {size // 4}x{size // 4}x32 layer ({(size // 4) ** 2 * 32 * 4 * mib:.1f} MiB):"]
    for path, c_in, c_out, k, dilation, groups in MEMORY_CASES:
        side = size if c_in == 3 else size // 4
        x = rng.standard_normal((side, side, c_in)).astype(np.float32)
        w = rng.standard_normal((c_out, c_in // groups, k, k)).astype(np.float32)
        reach = (k - 1) * (dilation if isinstance(dilation, int) else dilation[0])
        for padding in (0, reach // 2):
            conv2d(x, w, padding=padding, dilation=dilation, groups=groups)  # kept work buffers: count them once
            tracemalloc.start()
            out = conv2d(x, w, padding=padding, dilation=dilation, groups=groups)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            padded = 0 if padding == 0 else (side + 2 * padding) ** 2 * c_in * x.itemsize
            lines.append(
                f"  {path:38} {side}x{side}x{c_in}, {k}x{k} kernel, C_out {c_out:2}, padding {padding}: output "
                f"{out.nbytes * mib:6.1f} MiB, padded copy {padded * mib:5.1f} MiB, extra beyond both "
                f"{(peak - out.nbytes - padded) * mib:5.1f} MiB")
    return lines


def load():
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else ""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round, few calls: a smoke run of a few seconds")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown too")
    parser.add_argument("--rounds", type=int, default=None, help=f"rounds of every contender (default {FULL['rounds']})")
    parser.add_argument("--before", default=None, metavar="REV",
                        help="also time conv2d_lib as it was at git revision REV (a 'before' row, same rounds)")
    parser.add_argument("--torch-python", default=None,
                        help="the Python that runs the torch worker (default: this one); torch is optional")
    args = parser.parse_args(argv)
    settings = dict(QUICK if args.quick else FULL)
    if args.rounds is not None:
        if args.rounds < 1:
            parser.error(f"--rounds must be at least 1, got {args.rounds}")
        settings["rounds"] = args.rounds
    contenders = CONTENDERS if not args.before else CONTENDERS[:1] + ("before",) + CONTENDERS[1:]
    pythons = {c: sys.executable for c in contenders}
    if args.torch_python:
        pythons["torch"] = args.torch_python

    print(f"conv2d_lib benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, NumPy {np.__version__}, {load()}")
    for var in ENV_VARS:
        value = os.environ.get(var)
        print(f"{var}: " + (f"set to {value!r} here, removed for the workers (it can slow NumPy's BLAS)"
                            if value else "not set"))
    print(f"each contender in a process of its own, {settings['rounds']} alternating rounds "
          f"({', '.join(contenders)}); per workload a phase of {settings['warmup']} untimed then "
          f"{settings['min_calls']}-{settings['max_calls']} back-to-back calls (at most {settings['budget_s']:g} s "
          "once the fewest are done; the peers 1 untimed and at least 2); the phase's fastest call is the round's minimum")
    for contender in contenders[1:]:
        print(f"  {contender}: {PEERS_NOTE[contender]}")
    print()

    runs = {c: [] for c in contenders}
    loads = []
    start_load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    active = list(contenders)
    with tempfile.TemporaryDirectory() as save_dir, tempfile.TemporaryDirectory() as before_dir:
        before = copy_before(args.before, before_dir) if args.before else None
        if before:
            print(f"before: conv2d_lib of commit {before['revision']}, copied as {before['package']}\n")
        for r in range(settings["rounds"]):
            for contender in list(active):
                t0 = time.perf_counter()
                spec = worker_spec(contender, settings, save_dir if r == 0 else None, quick=args.quick, before=before)
                answer = run_worker(pythons[contender], spec)
                runs[contender].append(answer)
                if not answer["available"]:
                    active.remove(contender)
                    hint = " (pip install torch, or --torch-python PATH)" if contender == "torch" else (
                        " (pip install opencv-python-headless)" if contender == "opencv" else "")
                    print(f"round {r + 1} {contender}: not available, no {contender} column: {answer['reason']}{hint}")
                    continue
                extra = f", matmul {answer['matmul_gflops']:.0f} GFLOP/s" if "matmul_gflops" in answer else ""
                loads.append(os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0)
                print(f"round {r + 1} {contender:6} pid {answer['pid']} ({time.perf_counter() - t0:.1f} s, "
                      f"load {loads[-1]:.1f}{extra}): "
                      f"{pools_summary(answer['threads'])}")
            if r == 0:
                print("outputs of round 1 checked against conv2d's (float32 within 1e-3, float64 within 1e-9, "
                      "of the largest value):")
                print("\n".join(check_outputs(save_dir, [c for c in active if c != "conv2d"]) or ["  no peer ran"]))
    for contender in active:
        versions = ", ".join(f"{k} {v}" for k, v in runs[contender][0]["versions"].items())
        print(f"{contender} worker: Python {runs[contender][0]['python_version']} "
              f"({runs[contender][0]['python']}), {versions}")
    print(load())
    gflops_runs = [a["matmul_gflops"] for a in runs["conv2d"]]
    matmul_gf = max(gflops_runs)
    print(f"np.matmul float32 {settings['matmul_size']}^2 in the conv2d worker, per round: "
          f"{', '.join(f'{g:.0f}' for g in gflops_runs)} GFLOP/s; the ceiling used: {matmul_gf:.0f}\n")

    # The workers themselves keep up to one thread per core busy, so they alone bring the
    # load average near the core count: busy means others were running before, or beyond that.
    cores = os.cpu_count() or 1
    if loads and (start_load >= 1.0 or max(loads) >= 1.5 * cores):
        print(f"NOTE: the machine was busy (1-minute load average {start_load:.1f} before the first worker, up to "
              f"{max(loads):.1f} during the run on {cores} cores, of which this benchmark accounts for up to {cores}): "
              "other programs took turns on the cores, so the spread over rounds and the matmul ceiling are "
              "those of a shared machine, not a quiet one\n")
    head, rows, summary = main_table(runs, args.quick, contenders)
    tables = [("times", head, rows), ("targets (the table reports, it does not fail)", *targets_table(runs, summary, gflops_runs)),
              ("W1: conv2d with BLAS held to 1 or 2 threads (threadpoolctl)", *threads_table(runs))]
    if not args.quick:
        loops = []
        for name, _, shape, c_out, k, stride, padding, _ in WORKLOADS:
            t = loops_time(shape, c_out, k, stride, padding)
            best = summary[(name, "conv2d")]["best"]
            loops.append([name, f"{t:,.1f}", f"{t / best:,.0f}x"])
        tables.append(("conv2d_loops for scale (a crop of about 6 x 6 outputs, scaled by the output pixels)",
                       ["workload", "loops s", "loops / conv2d"], loops))
    for title, head, rows in tables:
        print(title)
        print_table(head, rows, markdown=False)
        print()
    if args.markdown:
        for title, head, rows in tables:
            print(f"**{title}**\n")
            print_table(head, rows, markdown=True)
            print()
    print("\n".join(peak_memory(settings["memory"])))


if __name__ == "__main__":
    main()
