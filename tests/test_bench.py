"""make bench's worker process: its answer parses, its peers compute the same convolution (no timings checked)."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from conv2d_lib import conv2d_loops

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load(name):
    sys.path.insert(0, str(BENCH))  # bench_conv2d finds its worker beside it
    try:
        spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


TINY = dict(key="T1", shape=[2, 9, 10, 2], c_out=3, k=3, stride=2, padding=1, dtype="float64")


def test_worker_answer_parses_and_its_output_is_the_convolution(tmp_path):
    bench = load("bench_conv2d")
    spec = dict(contender="conv2d", workloads=[TINY, dict(TINY, key="T1 blas1", blas_threads=1, save=False),
                                                dict(TINY, key="T2", skip="not this one")],
                warmup=1, min_calls=2, max_calls=2, budget_s=0.0, gap_s=0.0, save_dir=str(tmp_path), matmul_size=16)
    answer = bench.run_worker(sys.executable, spec)

    assert answer["available"] is True and answer["contender"] == "conv2d" and answer["matmul_gflops"] > 0
    for key in ("T1", "T1 blas1"):
        result = answer["results"][key]
        assert len(result["times"]) == 2 and all(t > 0 for t in result["times"])
        assert result["min"] == min(result["times"]) and min(result["times"]) <= result["median"]
    assert answer["results"]["T2"] == {"skipped": "not this one"}
    blas = [p for p in answer["threads"]["pools"] if p["user_api"] == "blas"]
    assert blas and all(isinstance(p["num_threads"], int) and p["num_threads"] >= 1 for p in blas)
    line = bench.pools_summary(answer["threads"])
    assert "blas" in line and "threads" in line and "CPUs usable" in line

    saved = sorted(p.name for p in tmp_path.iterdir())
    assert saved == ["conv2d-T1.npy"]  # the thread-limited phase is not saved twice
    x, w = load("bench_worker").make_inputs((2, 9, 10, 2), 3, 3, "float64")
    np.testing.assert_allclose(np.load(tmp_path / "conv2d-T1.npy"), conv2d_loops(x, w, stride=2, padding=1), atol=1e-12)


@pytest.mark.parametrize("peer", ["scipy", "opencv"])
@pytest.mark.parametrize("stride, k", [(1, 3), (2, 5)])
def test_per_channel_peers_compute_the_convolution(peer, stride, k):
    pytest.importorskip("scipy.ndimage" if peer == "scipy" else "cv2")
    worker = load("bench_worker")
    x, w = worker.make_inputs((2, 11, 8, 3), 4, k, "float32")
    call, to_channels_last = worker.contender_call(peer, x, w, stride, k // 2)
    ref = conv2d_loops(x.astype(np.float64), w.astype(np.float64), stride=stride, padding=k // 2)
    np.testing.assert_allclose(to_channels_last(call()), ref, rtol=1e-4, atol=1e-4 * np.abs(ref).max())


def test_peers_say_why_they_cannot_run_a_padding_they_do_not_have():
    worker = load("bench_worker")
    x, w = worker.make_inputs((1, 6, 6, 1), 1, 3, "float32")
    reason, none = worker.contender_call("scipy", x, w, 1, 0)
    assert none is None and "padding 0" in reason


def test_summary_spreads_the_per_round_minima_and_pairs_rounds_for_ratios():
    bench = load("bench_conv2d")

    def answer(*times):
        return {"available": True, "results": {"W1": {"times": list(times), "min": min(times), "median": float(np.median(times))}}}

    conv = [answer(3.0, 1.0), answer(4.0, 2.0), answer(9.0, 5.0)]
    torch = [answer(2.0), answer(1.0), answer(2.5)]
    s = bench.summarise(conv, "W1")
    assert (s["best"], s["median"], s["worst"], s["minima"], s["calls"]) == (1.0, 2.0, 5.0, [1.0, 2.0, 5.0], 6)
    assert bench.round_ratios(conv, torch, "W1") == [0.5, 2.0, 2.0]
    assert bench.summarise(conv, "W9") is None


def test_worker_refuses_an_unknown_contender():
    bench = load("bench_conv2d")
    spec = dict(contender="numba", workloads=[TINY], warmup=0, min_calls=1, max_calls=1, budget_s=0.0)
    with pytest.raises(RuntimeError, match="numba"):
        bench.run_worker(sys.executable, spec)


def test_before_contender_runs_an_earlier_commit(tmp_path):
    """--before: the package of a commit, copied under another name, answers as the conv2d worker does."""
    bench = load("bench_conv2d")
    before = bench.copy_before("HEAD", tmp_path)
    assert before["package"] == "conv2d_before" and (tmp_path / "conv2d_before" / "_fast.py").exists()
    spec = dict(contender="before", workloads=[TINY], warmup=0, min_calls=1, max_calls=1, budget_s=0.0, gap_s=0.0,
                save_dir=str(tmp_path), matmul_size=0, before=before)
    answer = bench.run_worker(sys.executable, spec)
    assert answer["available"] is True and before["revision"] in answer["versions"]["conv2d_lib"]
    x, w = load("bench_worker").make_inputs((2, 9, 10, 2), 3, 3, "float64")
    np.testing.assert_allclose(np.load(tmp_path / "before-T1.npy"), conv2d_loops(x, w, stride=2, padding=1), atol=1e-12)
