"""Max and average pooling and max pooling's gradient: against the loops, PyTorch and a reference written here."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conv2d_lib import avg_pool2d, max_pool2d, max_pool2d_backward
from conv2d_lib.pooling import avg_pool2d_loops, max_pool2d_loops

from .references import torch


@st.composite
def pool_configurations(draw):
    """A valid pooling call: batch, channels, kernel, stride (None or given), padding up to half the kernel."""
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    padding = tuple(draw(st.integers(0, kk // 2)) for kk in k)
    sizes = tuple(draw(st.integers(max(1, kk - 2 * p), kk + 6)) for kk, p in zip(k, padding))
    channels, batch = draw(st.integers(1, 3)), draw(st.sampled_from([None, 1, 2]))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    shape = (*sizes, channels) if batch is None else (batch, *sizes, channels)
    # Small integers make ties common: the gradient's tie rule is then really tested.
    ties = draw(st.booleans())
    image = rng.integers(-2, 3, shape) if ties else rng.standard_normal(shape)
    image = image.astype(draw(st.sampled_from([np.float32, np.float64])))
    if draw(st.booleans()):
        image = image[..., 0]  # a 2-D image
        if image.ndim == 3:  # a batch of 2-D images is not a pooling input: keep the channel axis
            image = image[..., np.newaxis]
    return dict(image=image, kernel_size=k, stride=stride, padding=padding)


def as_nchw(image):
    x = image if image.ndim == 4 else image[np.newaxis]
    x = x[..., np.newaxis] if image.ndim == 2 else x
    return torch.from_numpy(np.ascontiguousarray(x.astype(np.float64))).permute(0, 3, 1, 2)


def back_to_ours(tensor, like):
    out = tensor.permute(0, 2, 3, 1).numpy()
    out = out if like.ndim == 4 else out[0]
    return out[..., 0] if like.ndim == 2 else out


def gradient_by_loops(grad_output, image, kernel_size, stride, padding):
    """Each window's gradient to its first maximum (np.argmax: row-major) among the image's own pixels."""
    x = image if image.ndim == 4 else image[np.newaxis]
    x = x[..., np.newaxis] if image.ndim == 2 else x
    g = grad_output if grad_output.ndim == 4 else grad_output[np.newaxis]
    g = g[..., np.newaxis] if image.ndim == 2 else g
    (k_h, k_w), (p_h, p_w) = kernel_size, padding
    s_h, s_w = kernel_size if stride is None else stride
    grad = np.zeros(x.shape)
    for n in range(g.shape[0]):
        for r in range(g.shape[1]):
            for c in range(g.shape[2]):
                for ch in range(g.shape[3]):
                    rows = range(max(0, r * s_h - p_h), min(x.shape[1], r * s_h - p_h + k_h))
                    cols = range(max(0, c * s_w - p_w), min(x.shape[2], c * s_w - p_w + k_w))
                    window = x[n, rows.start:rows.stop, cols.start:cols.stop, ch]
                    i, j = np.unravel_index(np.argmax(window), window.shape)
                    grad[n, rows.start + i, cols.start + j, ch] += g[n, r, c, ch]
    grad = grad if image.ndim == 4 else grad[0]
    return grad[..., 0] if image.ndim == 2 else grad


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(pool_configurations())
def test_fast_equals_loops_and_the_gradient_reference(config):
    tol = dict(rtol=1e-6, atol=1e-6)
    pooled = max_pool2d(**config)
    np.testing.assert_array_equal(pooled, max_pool2d_loops(**config))
    np.testing.assert_allclose(avg_pool2d(**config), avg_pool2d_loops(**config), **tol)
    assert pooled.dtype == config["image"].dtype
    grad_output = np.random.default_rng(1).standard_normal(pooled.shape)
    np.testing.assert_allclose(max_pool2d_backward(grad_output, **config),
                               gradient_by_loops(grad_output, **config), rtol=1e-12, atol=1e-12)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pool_configurations())
def test_agrees_with_torch_forward_and_backward(config):
    pytest.importorskip("torch")
    image, k, stride, padding = config["image"], config["kernel_size"], config["stride"], config["padding"]
    x = as_nchw(image).requires_grad_()
    pooled = torch.nn.functional.max_pool2d(x, k, stride, padding)
    np.testing.assert_array_equal(max_pool2d(**config), back_to_ours(pooled.detach(), image))
    averaged = torch.nn.functional.avg_pool2d(as_nchw(image), k, stride, padding)
    np.testing.assert_allclose(avg_pool2d(**config), back_to_ours(averaged, image), rtol=1e-6, atol=1e-6)
    grad_output = np.random.default_rng(2).standard_normal(max_pool2d(**config).shape)
    pooled.backward(as_nchw(grad_output))
    np.testing.assert_allclose(max_pool2d_backward(grad_output, **config), back_to_ours(x.grad, image),
                               rtol=1e-12, atol=1e-12)


def test_infinities_and_nan_as_torch():
    # Windows of -inf only (the first pixel inside the image gets the gradient, never the padding)
    # and a NaN (which counts as the maximum): checked against PyTorch's own answers, written down.
    image = np.full((3, 3), -np.inf)
    image[2, 2] = np.nan
    grad = max_pool2d_backward(np.ones((4, 4)), image, 2, stride=1, padding=1)
    np.testing.assert_array_equal(grad, [[4, 2, 2], [2, 0, 0], [2, 0, 4]])
    pooled = max_pool2d(image, 2, stride=1, padding=1)
    assert np.isnan(pooled[2:, 2:]).all() and (pooled[:2] == -np.inf).all()
    if torch is not None:
        x = as_nchw(image).requires_grad_()
        out = torch.nn.functional.max_pool2d(x, 2, 1, 1)
        out.backward(torch.ones_like(out))
        np.testing.assert_array_equal(grad, back_to_ours(x.grad, image))


def test_by_hand():
    image = np.arange(16.0).reshape(4, 4)
    np.testing.assert_array_equal(max_pool2d(image, 2), [[5, 7], [13, 15]])
    np.testing.assert_array_equal(avg_pool2d(image, 2), [[2.5, 4.5], [10.5, 12.5]])
    # Overlapping windows (stride 1 < kernel 2): the 15 is the maximum of one window, the 10 of one.
    grad = max_pool2d_backward(np.ones((3, 3)), image, 2, stride=1)
    assert grad.sum() == 9 and grad[3, 3] == 1 and grad[2, 2] == 1 and grad[0, 0] == 0
    # ResNet's stem: 112 -> 56 with kernel 3, stride 2, padding 1; uint8 in, float32 out.
    out = max_pool2d(np.zeros((112, 112, 64), np.uint8), 3, stride=2, padding=1)
    assert out.shape == (56, 56, 64) and out.dtype == np.float32
    # count_include_pad: a corner window of a ones image holds 1 one and 3 padded zeros.
    assert avg_pool2d(np.ones((4, 4, 1)), 2, stride=2, padding=1)[0, 0, 0] == 0.25


@pytest.mark.parametrize("function", [max_pool2d, avg_pool2d, max_pool2d_loops, avg_pool2d_loops])
@pytest.mark.parametrize("changes, error, words", [
    (dict(kernel_size=0), ValueError, ["kernel_size", ">= 1", "0"]),
    (dict(kernel_size=2.0), TypeError, ["kernel_size", "2.0", "int"]),
    (dict(stride=0), ValueError, ["stride", ">= 1", "0"]),
    (dict(padding=2), ValueError, ["padding", "at most half the kernel size", "padding 2", "kernel_size 3"]),
    (dict(padding="same"), TypeError, ["padding", "'same'", "pair of ints"]),
    (dict(kernel_size=9), ValueError, ["does not fit", "height", "9"]),
    (dict(image=np.zeros(5)), ValueError, ["image", "1 dimensions", "(N, H, W, C)"]),
    (dict(image=[[1.0]]), TypeError, ["image", "list", "ndarray"]),
    (dict(image=np.zeros((5, 5), complex)), TypeError, ["image", "complex"]),
])
def test_bad_input(function, changes, error, words):
    arguments = {**dict(image=np.zeros((5, 5, 2)), kernel_size=3), **changes}
    with pytest.raises((TypeError, ValueError)) as caught:
        function(**arguments)
    assert type(caught.value) is error, f"{type(caught.value).__name__}: {caught.value}"
    for word in words:
        assert word in str(caught.value), f"{word!r} missing from: {caught.value}"


def test_backward_bad_grad_output():
    image = np.zeros((6, 6, 2))
    with pytest.raises(ValueError, match=r"grad_output must have the shape .* \(3, 3, 2\), got shape \(3, 3, 1\)"):
        max_pool2d_backward(np.zeros((3, 3, 1)), image, 2)
    with pytest.raises(TypeError, match="grad_output"):
        max_pool2d_backward([[0.0]], image, 2)
