"""conv2d (through _fast.correlate) against the loop reference and PyTorch.

Covers both column layouts (few / many input channels), strides, dilations,
batches, odd sizes, non-contiguous inputs, float32 / float64, and inputs big
enough to span several blocks (small block sizes are forced with monkeypatch).
"""

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


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_default_blocks_large(dtype):
    """Inputs larger than one default block, for both layouts (checked against torch only)."""
    if torch is None:
        pytest.skip("torch not installed")
    rng = np.random.default_rng(1)
    for shape, c_out, k, stride in [((1, 300, 301, 3), 8, 5, 1), ((1, 229, 231, 3), 16, 7, 2), ((3, 60, 61, 32), 16, 3, 1)]:
        x = rng.standard_normal(shape).astype(dtype)
        w = rng.standard_normal((c_out, shape[3], k, k)).astype(dtype)
        check(x, w, stride, k // 2, 1, loops=False)


def test_bench_quick_runs():
    """The benchmark script's smoke run works end to end."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "bench" / "bench_conv2d.py"
    done = subprocess.run([sys.executable, str(script), "--quick"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "W5" in done.stdout and "peak" in done.stdout
