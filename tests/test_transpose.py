"""conv_transpose2d: against its stamping loops and PyTorch, and the proof that it is conv2d's input gradient."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conv2d_lib import conv2d, conv_transpose2d, conv_transpose2d_loops, output_size, transpose_output_size

from .references import torch


@st.composite
def transposed_configurations(draw):
    """A valid conv_transpose2d call: batch, groups, channels, kernel, stride, padding, output_padding, dilation."""
    groups = draw(st.integers(1, 3))
    c_in, per_out = groups * draw(st.integers(1, 2)), draw(st.integers(1, 3))
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    sizes = (draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    for n, kk, s, p, op, d in zip(sizes, k, stride, padding, output_padding, dilation):
        assume((n - 1) * s - 2 * p + d * (kk - 1) + op + 1 >= 1)  # the padding leaves an output
    batch = draw(st.sampled_from([None, 1, 2]))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    image = rng.standard_normal((*sizes, c_in) if batch is None else (batch, *sizes, c_in)).astype(dtype)
    weights = rng.standard_normal((c_in, per_out, *k)).astype(dtype)
    bias = draw(st.one_of(st.none(), st.just(rng.standard_normal(groups * per_out))))
    return dict(image=image, weights=weights, bias=bias, stride=stride, padding=padding,
                output_padding=output_padding, groups=groups, dilation=dilation)


def tolerance(config):
    if config["image"].dtype == np.float64:
        return dict(rtol=1e-10, atol=1e-10)
    return dict(rtol=2e-4, atol=2e-4 * np.sqrt(config["weights"].size))


def as_batch(image):
    return image if image.ndim == 4 else image[np.newaxis]


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                            HealthCheck.filter_too_much])


@SETTINGS
@given(transposed_configurations())
def test_fast_equals_stamping_loops(config):
    fast = conv_transpose2d(**config)
    loops = conv_transpose2d_loops(**config)
    assert fast.shape == loops.shape
    assert fast.dtype == loops.dtype == config["image"].dtype
    np.testing.assert_allclose(fast, loops, **tolerance(config))
    # The shape rule, written out here rather than taken from the package.
    k_h, k_w = config["weights"].shape[2:]
    expected = tuple((n - 1) * s - 2 * p + d * (k - 1) + op + 1 for n, k, s, p, op, d in zip(
        as_batch(config["image"]).shape[1:3], (k_h, k_w), config["stride"], config["padding"],
        config["output_padding"], config["dilation"]))
    assert as_batch(fast).shape[1:3] == expected
    assert transpose_output_size(as_batch(config["image"]).shape[1:3], (k_h, k_w), config["stride"],
                                 config["padding"], config["output_padding"], config["dilation"]) == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(transposed_configurations())
def test_agrees_with_torch(config):
    pytest.importorskip("torch")
    fast = conv_transpose2d(**config)
    x = torch.from_numpy(as_batch(config["image"]).astype(np.float64)).permute(0, 3, 1, 2)
    bias = None if config["bias"] is None else torch.from_numpy(config["bias"])
    reference = torch.nn.functional.conv_transpose2d(
        x, torch.from_numpy(config["weights"].astype(np.float64)), bias, stride=config["stride"],
        padding=config["padding"], output_padding=config["output_padding"], groups=config["groups"],
        dilation=config["dilation"])
    np.testing.assert_allclose(as_batch(fast), reference.permute(0, 2, 3, 1).numpy(), **tolerance(config))



@pytest.mark.parametrize("axis", [0, 1])
def test_every_small_setting_along_one_axis(axis):
    """Every input size 1-3, kernel 1-4, stride 1-4, padding 0-5, dilation 1-3 and output_padding that
    leaves an output: the phases with no tap, the paddings that crop into the input, all of them."""
    rng = np.random.default_rng(11)
    checked = 0
    for n, k, s, p, d in itertools.product(range(1, 4), range(1, 5), range(1, 5), range(0, 6), range(1, 4)):
        for op in range(max(s, d)):
            if (n - 1) * s - 2 * p + d * (k - 1) + op + 1 < 1:
                continue
            x = rng.standard_normal((n, 2, 1) if axis == 0 else (2, n, 1))
            w = rng.standard_normal((1, 1, k, 1) if axis == 0 else (1, 1, 1, k))
            pair = (lambda v, one: (v, one) if axis == 0 else (one, v))
            settings_ = dict(stride=pair(s, 1), padding=pair(p, 0), output_padding=pair(op, 0),
                             dilation=pair(d, 1))
            np.testing.assert_allclose(conv_transpose2d(x, w, **settings_), conv_transpose2d_loops(x, w, **settings_),
                                       rtol=1e-12, atol=1e-12)
            checked += 1
    assert checked > 1500

@st.composite
def conv_configurations(draw):
    """A conv2d call and a matching output_padding, so that the transpose gives back the input's shape."""
    groups = draw(st.integers(1, 3))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 3))
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    sizes = tuple(draw(st.integers(max(1, d * (kk - 1) + 1 - 2 * p), 9)) for kk, d, p in zip(k, dilation, padding))
    batch = draw(st.integers(1, 2))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.standard_normal((batch, *sizes, c_in))
    w = rng.standard_normal((c_out, c_in // groups, *k))
    # The rows of the padded input that no window reached: output_padding brings them back.
    output_padding = tuple((n + 2 * p - d * (kk - 1) - 1) % s
                           for n, p, d, kk, s in zip(sizes, padding, dilation, k, stride))
    return x, w, dict(stride=stride, padding=padding, dilation=dilation, groups=groups), output_padding, rng


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conv_configurations())
def test_adjoint_identity_it_is_the_gradient_of_conv2d(case):
    """<conv2d(x, w), g> == <x, conv_transpose2d(g, w)>: the transpose is conv2d's input gradient.

    conv2d is linear in x, y = A x; for a loss L with dL/dy = g, dL/dx = A^T g, and A^T
    is the one map with <A x, g> == <x, A^T g> for every x and g.
    """
    x, w, settings_, output_padding, rng = case
    y = conv2d(x, w, **settings_)
    g = rng.standard_normal(y.shape)
    back = conv_transpose2d(g, w, output_padding=output_padding, **settings_)
    assert back.shape == x.shape
    np.testing.assert_allclose(np.sum(y * g), np.sum(x * back), rtol=1e-10, atol=1e-10)


def test_gradient_matches_torch_autograd():
    torch_ = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    x, w = rng.standard_normal((2, 9, 8, 4)), rng.standard_normal((6, 2, 3, 3))
    g = rng.standard_normal(conv2d(x, w, stride=2, padding=1, groups=2).shape)
    xt = torch_.from_numpy(x).permute(0, 3, 1, 2).requires_grad_()
    y = torch_.nn.functional.conv2d(xt, torch_.from_numpy(w), stride=2, padding=1, groups=2)
    y.backward(torch_.from_numpy(g).permute(0, 3, 1, 2))
    ours = conv_transpose2d(g, w, stride=2, padding=1, output_padding=(0, 1), groups=2)
    np.testing.assert_allclose(ours, xt.grad.permute(0, 2, 3, 1).numpy(), rtol=1e-12, atol=1e-12)


def test_stamps_by_hand():
    # One pixel stamps the kernel scaled by its value; stride 2 puts the stamps 2 apart, overlapping by one.
    kernel = np.array([[1.0, 2.0, 3.0]])
    out = conv_transpose2d(np.array([[1.0, 10.0]]), kernel, stride=2)
    np.testing.assert_array_equal(out, [[1, 2, 3 + 10, 20, 30]])
    np.testing.assert_array_equal(conv_transpose2d(np.array([[1.0, 10.0]]), kernel, stride=2, padding=(0, 1)),
                                  [[2, 13, 20]])
    # Kernel 3 with stride 2: every other output pixel gets two stamps (the checkerboard's cause).
    counts = conv_transpose2d(np.ones((4, 4)), np.ones((3, 3)), stride=2)
    assert counts.shape == (9, 9)
    assert sorted(np.unique(counts)) == [1, 2, 4]


def test_undoes_conv2d_shapes():
    for n, k, s, p in [(8, 3, 2, 1), (7, 3, 2, 1), (224, 7, 2, 3), (32, 4, 2, 1), (10, 3, 3, 0)]:
        m = output_size(n, k, s, p)
        op = (n + 2 * p - k) % s
        assert transpose_output_size(m, k, s, p, op) == n


def test_uint8_image_is_computed_in_float():
    image = np.full((2, 2, 1), 200, np.uint8)
    out = conv_transpose2d(image, np.ones((1, 1, 2, 2), np.float32))
    assert out.dtype == np.float32
    assert out.max() == 800.0  # 4 x 200 without wrapping around at 256


@pytest.mark.parametrize("function", [conv_transpose2d, conv_transpose2d_loops])
@pytest.mark.parametrize("changes, error, words", [
    (dict(padding="same"), TypeError, ["padding", "'same'", "int or a pair", "no 'same'"]),
    (dict(padding=-1), ValueError, ["padding", ">= 0", "-1"]),
    (dict(stride=0), ValueError, ["stride", ">= 1", "0"]),
    (dict(output_padding=2, stride=2), ValueError, ["output_padding", "smaller than stride or dilation", "2"]),
    (dict(output_padding=1), ValueError, ["output_padding 1", "stride 1", "dilation 1"]),
    (dict(output_padding=1.0), TypeError, ["output_padding", "1.0", "int"]),
    (dict(groups=2), ValueError, ["groups=2", "C_in=3", "not divisible"]),
    (dict(groups=0), ValueError, ["groups", ">= 1", "0"]),
    (dict(weights=np.zeros((4, 2, 3, 3))), ValueError, ["3 channel", "C_in=4", "(C_in, C_out / groups, kH, kW)"]),
    (dict(weights=np.zeros((3, 3))), ValueError, ["plain (kH, kW) kernel", "(5, 5, 3)"]),
    (dict(weights=np.zeros((3, 3, 3))), ValueError, ["weights", "3 dimensions"]),
    (dict(image=[[1.0]]), TypeError, ["image", "list", "ndarray"]),
    (dict(padding=5), ValueError, ["padding 5", "crops away the whole output", "height", "below 4"]),
    (dict(bias=np.zeros(3)), ValueError, ["bias", "(C_out,)=(2,)", "(3,)"]),
    (dict(stride=10**6), ValueError, ["an output", "(1, 4000003, 4000003, 2)", "GiB", "MAX_ARRAY_BYTES"]),
    (dict(dilation=10**5, padding=99_999), ValueError, ["a framed input", "(1, 400005, 400005, 3)", "GiB"]),
])
def test_bad_input(function, changes, error, words):
    arguments = {**dict(image=np.zeros((5, 5, 3)), weights=np.zeros((3, 2, 3, 3))), **changes}
    with pytest.raises((TypeError, ValueError)) as caught:
        function(**arguments)
    assert type(caught.value) is error, f"{type(caught.value).__name__}: {caught.value}"
    for word in words:
        assert word in str(caught.value), f"{word!r} missing from: {caught.value}"
