"""conv2d (through _fast.correlate) against the loop reference and PyTorch.

Covers both column layouts (few / many input channels), strides, dilations,
batches, odd sizes, non-contiguous inputs, float32 / float64, and inputs big
enough to span several blocks (small block sizes are forced with monkeypatch).
"""

import threading

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from conv2d_lib import _fast
from conv2d_lib.conv import conv2d, conv2d_loops

TOL = {np.float32: 1e-4, np.float64: 1e-10}

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # torch is optional: the loop reference is always there
    torch = None


def torch_ref(x, w, stride, padding, dilation):
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
    return F.conv2d(xt, torch.from_numpy(w), stride=stride, padding=padding, dilation=dilation).numpy().transpose(0, 2, 3, 1)


def check(x, w, stride, padding, dilation, loops=True):
    dtype = x.dtype.type
    ours = conv2d(x, w, stride=stride, padding=padding, dilation=dilation)
    assert ours.dtype == x.dtype and ours.flags.c_contiguous and ours.flags.writeable
    refs = [conv2d_loops(x, w, stride=stride, padding=padding, dilation=dilation)] if loops else []
    if torch is not None:
        refs.append(torch_ref(x, w, stride, padding, dilation))
    for ref in refs:
        scale = max(1.0, float(np.abs(ref).max()))
        np.testing.assert_allclose(ours, ref, rtol=TOL[dtype], atol=TOL[dtype] * scale)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 3), h=st.integers(1, 12), w=st.integers(1, 12),
    c_in=st.sampled_from([1, 2, 3, 5, 16, 17]), c_out=st.integers(1, 4),
    k_h=st.integers(1, 4), k_w=st.integers(1, 4),
    s_h=st.integers(1, 3), s_w=st.integers(1, 3), d_h=st.integers(1, 2), d_w=st.integers(1, 2),
    p_h=st.integers(0, 2), p_w=st.integers(0, 2),
    dtype=st.sampled_from([np.float32, np.float64]), fortran=st.booleans(), seed=st.integers(0, 2**16),
)
def test_random_shapes(n, h, w, c_in, c_out, k_h, k_w, s_h, s_w, d_h, d_w, p_h, p_w, dtype, fortran, seed):
    if h + 2 * p_h < d_h * (k_h - 1) + 1 or w + 2 * p_w < d_w * (k_w - 1) + 1:
        return  # the kernel does not fit: conv2d raises, tested elsewhere
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, h, w, c_in)).astype(dtype)
    if fortran:
        x = np.asfortranarray(x)  # a non-contiguous layout for the fast path
    wts = rng.standard_normal((c_out, c_in, k_h, k_w)).astype(dtype)
    check(x, wts, (s_h, s_w), (p_h, p_w), (d_h, d_w))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "shape, c_out, k, stride, dilation",
    [
        ((1, 37, 41, 3), 2, 3, 1, 1),  # few channels: channels-first columns
        ((2, 23, 19, 5), 3, 5, 2, 1),
        ((3, 17, 20, 16), 4, 3, 1, 2),  # many channels: channels-last columns
        ((2, 21, 18, 20), 5, 3, 3, 1),
        ((4, 9, 11, 32), 3, 3, (1, 2), (2, 1)),
        ((1, 14, 13, 3), 4, 3, 1, 2),  # dilated: taps of one phase lie 2 rows apart
        ((2, 31, 29, 3), 6, 5, 2, 2),  # stride and dilation share a factor: taps skip phases
        ((1, 40, 37, 2), 3, 4, 3, (3, 2)),
        ((3, 19, 23, 17), 4, 3, 2, (2, 3)),
    ],
)
def test_many_small_blocks(monkeypatch, shape, c_out, k, stride, dilation, dtype):
    """Tiny blocks: every block boundary (inside an image, across images) is crossed."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(dtype)
    w = rng.standard_normal((c_out, shape[3], k, k)).astype(dtype)
    for positions in (1, 7, 50, 300):
        monkeypatch.setattr(_fast, "MIN_BLOCK_POSITIONS", positions)
        monkeypatch.setattr(_fast, "BLOCK_BYTES", 1)
        check(x, w, stride, 1, dilation)
    # The upper cap on a block's bytes wins over the minimum number of positions.
    monkeypatch.setattr(_fast, "MIN_BLOCK_POSITIONS", 10**6)
    monkeypatch.setattr(_fast, "MAX_BLOCK_BYTES", 1)
    check(x, w, stride, 1, dilation)


def test_block_split_is_even_and_complete():
    """Blocks tile the outputs exactly once, whole images or runs of rows, of nearly equal size."""
    for n, h_out, w_out, positions in [(16, 32, 32, 2730), (1, 112, 112, 4096), (3, 7, 5, 1), (5, 4, 4, 100), (2, 9, 3, 10)]:
        blocks = _fast._blocks(n, h_out, w_out, positions)
        seen = np.zeros((n, h_out), int)
        for images, rows in blocks:
            assert images.stop - images.start == 1 or (rows.start, rows.stop) == (0, h_out)
            seen[images, rows] += 1
        assert (seen == 1).all()
        sizes = [(im.stop - im.start) * (rs.stop - rs.start) for im, rs in blocks]
        assert max(sizes) * w_out <= max(positions, w_out) and max(sizes) - min(sizes) <= max(sizes) // 2 + 1


def test_work_buffer_reuse_keeps_results_apart():
    """The reused work buffer never leaks into a returned result, across calls, layouts and threads."""

    rng = np.random.default_rng(3)
    cases = [((1, 30, 30, 3), (16, 3, 3, 3), 1), ((2, 12, 12, 20), (8, 20, 3, 3), 1),
             ((1, 40, 40, 3), (4, 3, 5, 5), 1), ((1, 33, 33, 3), (8, 3, 7, 7), 2)]
    data = [(rng.standard_normal(xs).astype(np.float32), rng.standard_normal(ws).astype(np.float32), s) for xs, ws, s in cases]
    expected = [conv2d_loops(x, w, stride=s) for x, w, s in data]
    first = [conv2d(x, w, stride=s) for x, w, s in data]
    for _ in range(2):  # later calls overwrite the buffer; earlier results must not change
        for x, w, s in reversed(data):
            conv2d(x, w, stride=s)
    for got, ref in zip(first, expected):
        np.testing.assert_allclose(got, ref, rtol=1e-4, atol=1e-4)

    errors = []

    def worker(x, w, s, ref):
        for _ in range(20):
            if not np.allclose(conv2d(x, w, stride=s), ref, rtol=1e-4, atol=1e-4):
                errors.append((x.shape, w.shape))

    threads = [threading.Thread(target=worker, args=(*d, ref)) for d, ref in zip(data, expected)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_large_work_buffer_is_not_kept(monkeypatch):
    """Above KEEP_WORK_BYTES the buffer is allocated per call (and the answer is the same)."""
    rng = np.random.default_rng(4)
    x = rng.standard_normal((1, 20, 20, 16)).astype(np.float32)
    w = rng.standard_normal((4, 16, 3, 3)).astype(np.float32)
    monkeypatch.setattr(_fast, "KEEP_WORK_BYTES", 0)
    monkeypatch.setattr(_fast, "_kept", threading.local())
    check(x, w, 1, 1, 1)
    assert not getattr(_fast._kept, "buffers", {})


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_default_blocks_large(dtype):
    """Inputs larger than one default block, for both layouts (against torch, and SciPy on the first image)."""
    from .references import scipy_conv2d

    rng = np.random.default_rng(1)
    for shape, C_out, k, stride in [((1, 300, 301, 3), 8, 5, 1), ((1, 229, 231, 3), 16, 7, 2), ((3, 60, 61, 32), 16, 3, 1)]:
        x = rng.standard_normal(shape).astype(dtype)
        w = rng.standard_normal((C_out, shape[3], k, k)).astype(dtype)
        check(x, w, stride, k // 2, 1, loops=False)
        ours = conv2d(x[:1], w, stride=stride, padding=k // 2)
        reference = scipy_conv2d(x[:1], w, stride=stride, padding=k // 2)
        np.testing.assert_allclose(ours, reference, rtol=TOL[dtype], atol=TOL[dtype] * np.abs(reference).max())


def test_bench_quick_runs():
    """The benchmark script's smoke run works end to end."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "bench" / "bench_conv2d.py"
    done = subprocess.run([sys.executable, str(script), "--quick"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "W5" in done.stdout and "peak" in done.stdout


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "shape, c_out, k, stride, dilation",
    [
        ((1, 37, 41, 3), 1, 3, 1, 1),  # one output map (a lesson's filter)
        ((2, 23, 19, 3), 8, 5, 1, 1),  # few maps, wide kernel: the partial sums of 5 columns
        ((3, 17, 20, 2), 4, 5, (2, 1), (1, 2)),  # stride down, dilation across
        ((1, 29, 13, 1), 1, (4, 2), (3, 1), (1, 3)),
        ((7, 6, 5, 1), 1, 3, 1, 1),  # a batch of small images: several whole images per block
    ],
)
def test_row_folded_blocks_chunks_and_threads(monkeypatch, shape, c_out, k, stride, dilation, dtype):
    """The row-folded path with blocks of whole images or 1-3 rows, products split into column chunks, two threads."""
    rng = np.random.default_rng(5)
    k_h, k_w = (k, k) if isinstance(k, int) else k
    x = rng.standard_normal(shape).astype(dtype)
    w = rng.standard_normal((c_out, shape[3], k_h, k_w)).astype(dtype)
    bias = rng.standard_normal(c_out)
    calls = []
    real = _fast._row_folded
    monkeypatch.setattr(_fast, "_row_folded", lambda *a: calls.append(a) or real(*a))
    ref = conv2d_loops(x, w, bias, stride=stride, padding=2, dilation=dilation)
    for block_bytes, mnk, parallel in [(1 << 20, 1 << 19, 1 << 24), (1, 1, 0), (200, 50, 0), (700, 10**9, 10**12)]:
        monkeypatch.setattr(_fast, "ROW_BLOCK_BYTES", block_bytes)
        monkeypatch.setattr(_fast, "SINGLE_THREAD_MNK", mnk)
        monkeypatch.setattr(_fast, "PARALLEL_MNK", parallel)
        ours = conv2d(x, w, bias, stride=stride, padding=2, dilation=dilation)
        assert ours.dtype == x.dtype and ours.flags.c_contiguous
        np.testing.assert_allclose(ours, ref, rtol=TOL[dtype], atol=TOL[dtype] * max(1.0, np.abs(ref).max()))
    assert len(calls) == 4  # every call took the row-folded path


def test_row_folded_worker_error_reaches_the_caller(monkeypatch):
    """An exception inside a worker thread is raised in the caller, not lost."""
    x = np.ones((1, 40, 40, 3), np.float32)
    w = np.ones((2, 3, 5, 5), np.float32)
    monkeypatch.setattr(_fast, "PARALLEL_MNK", 0)
    monkeypatch.setattr(_fast, "ROW_BLOCK_BYTES", 1)

    def broken(*args, **kwargs):
        raise MemoryError("no room for the partial sums")

    monkeypatch.setattr(_fast, "_work_buffer", broken)
    with pytest.raises(MemoryError, match="partial sums"):
        conv2d(x, w, padding=2)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_row_folded_threads_work_in_a_forked_child(monkeypatch):
    """A process forked after the threads were made (multiprocessing's default on Linux) makes its own."""
    import multiprocessing

    monkeypatch.setattr(_fast, "PARALLEL_MNK", 0)
    monkeypatch.setattr(_fast, "ROW_BLOCK_BYTES", 1)
    rng = np.random.default_rng(6)
    x = rng.standard_normal((1, 30, 31, 3)).astype(np.float32)
    w = rng.standard_normal((4, 3, 5, 5)).astype(np.float32)
    ref = conv2d(x, w, padding=2)  # the parent's threads exist now
    with multiprocessing.get_context("fork").Pool(1) as pool:
        got = pool.apply_async(conv2d, (x, w), {"padding": 2}).get(timeout=60)
    np.testing.assert_array_equal(got, ref)


def test_row_folded_starts_no_thread_in_a_browser(monkeypatch):
    """JupyterLite's Pyodide cannot start threads: there a big product runs on the calling thread."""
    monkeypatch.setattr(_fast, "PARALLEL_MNK", 0)
    monkeypatch.setattr(_fast, "ROW_BLOCK_BYTES", 1)
    monkeypatch.setattr(_fast.sys, "platform", "emscripten")

    def no_threads():
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(_fast, "_threads", no_threads)
    rng = np.random.default_rng(7)
    x = rng.standard_normal((1, 30, 31, 3))
    w = rng.standard_normal((4, 3, 5, 5))
    np.testing.assert_allclose(conv2d(x, w, padding=2), conv2d_loops(x, w, padding=2), rtol=1e-10, atol=1e-10)
