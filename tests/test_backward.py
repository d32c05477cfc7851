"""conv2d_backward: the fast version against the loops, finite differences, PyTorch's autograd, and the layer."""

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conv2d_lib import PADDING_MODES, Conv2D, conv2d, conv2d_backward, resolve_padding
from conv2d_lib import backward
from conv2d_lib.backward import conv2d_backward_loops
from tests.references import numerical_gradient

LAYOUTS = ("2-D image", "plain kernel", "(H, W, C_in)", "batch")


def make_case(rng, layout, size, kernel, c_in=2, c_out=3, batch=2, dtype=np.float64, **settings_):
    """image, weights, bias and a random grad_output of conv2d's output shape for one layout."""
    H, W = size
    if layout in ("2-D image", "plain kernel"):
        image = rng.standard_normal((H, W))
        c_in = 1
    elif layout == "many channels":  # the image gradient's other path (16 channels and more)
        image = rng.standard_normal((1, H, W, 16))
        c_in = 16
    elif layout == "(H, W, C_in)":
        image = rng.standard_normal((H, W, c_in))
    else:
        image = rng.standard_normal((batch, H, W, c_in))
    weights = rng.standard_normal(kernel if layout == "plain kernel" else (c_out, c_in, *kernel))
    bias = rng.standard_normal(1 if layout == "plain kernel" else c_out)
    image, weights = image.astype(dtype), weights.astype(dtype)
    grad_output = rng.standard_normal(conv2d(image, weights, **settings_).shape).astype(dtype)
    return grad_output, image, weights, bias


@st.composite
def configurations(draw):
    """A valid backward call: layout, channels, kernel, stride, padding (incl. 'same'), mode, dilation, dtype."""
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 2)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = draw(st.one_of(
        st.integers(0, 2),
        st.tuples(st.integers(0, 2), st.integers(0, 2)),
        st.just("valid"),
        st.just("same") if stride == (1, 1) else st.just(1),
    ))
    mode = draw(st.sampled_from(PADDING_MODES))
    pads = resolve_padding(padding, k, stride, dilation)
    # Large enough for the window and the mode (reflect: pad < size, circular: pad <= size); the
    # range of sizes above the smallest makes the floor drop rows and columns for strides 2 and 3.
    size = []
    for axis in range(2):
        reach = dilation[axis] * (k[axis] - 1) + 1
        smallest = max(1, reach - sum(pads[axis]), max(pads[axis]) + 1)
        size.append(draw(st.integers(smallest, smallest + 7)))
    layout = draw(st.sampled_from(LAYOUTS))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    settings_ = dict(stride=stride, padding=padding, dilation=dilation, padding_mode=mode)
    # 16 input channels and more take the other path for the image gradient (see backward._grad_padded_image).
    grad_output, image, weights, _ = make_case(rng, layout, size, k, c_in=draw(st.sampled_from([1, 2, 3, 16])),
                                               c_out=draw(st.integers(1, 3)), batch=draw(st.integers(1, 3)),
                                               dtype=dtype, **settings_)
    return dict(grad_output=grad_output, image=image, weights=weights, **settings_)


def tolerance(config):
    if config["image"].dtype == np.float64:
        return dict(rtol=1e-10, atol=1e-10)
    terms = config["grad_output"].size + config["weights"].size  # the longest sums are about this long
    return dict(rtol=1e-4, atol=1e-4 * np.sqrt(terms))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configurations())
def test_fast_equals_loops(config):
    fast = conv2d_backward(**config)
    loops = conv2d_backward_loops(**config)
    C_out = 1 if config["weights"].ndim == 2 else config["weights"].shape[0]
    for got, want, shape in zip(fast, loops, (config["image"].shape, config["weights"].shape, (C_out,))):
        assert got.shape == want.shape == shape
        assert got.dtype == want.dtype == config["image"].dtype
        np.testing.assert_allclose(got, want, **tolerance(config))


def numerical_gradients(image, weights, bias, grad_output, settings_, eps=1e-6):
    """Central differences of loss = sum(conv2d(image, weights, bias) * grad_output): the definition."""
    def loss():
        return float(np.sum(conv2d(image, weights, bias, **settings_) * grad_output))

    return [numerical_gradient(loss, array, eps) for array in (image, weights, bias)]


FD_CASES = [
    # (layout, (H, W), (kH, kW), settings)
    ("batch", (6, 7), (3, 2), dict()),
    ("batch", (7, 8), (3, 3), dict(stride=2, padding=1)),
    ("batch", (8, 7), (2, 3), dict(stride=(3, 2), padding=(2, 1), padding_mode="reflect")),
    ("(H, W, C_in)", (7, 7), (3, 3), dict(padding="same", dilation=2, padding_mode="replicate")),
    ("(H, W, C_in)", (6, 9), (2, 2), dict(stride=2, padding=(1, 2), dilation=(2, 3), padding_mode="circular")),
    ("(H, W, C_in)", (6, 6), (4, 4), dict(padding="same", padding_mode="reflect")),  # even kernel: extra pad bottom/right
    ("2-D image", (7, 6), (3, 3), dict(stride=(1, 3), padding=2, padding_mode="circular")),
    ("plain kernel", (6, 6), (3, 2), dict(stride=2, padding=1, padding_mode="replicate")),
    ("batch", (10, 5), (2, 2), dict(stride=4, padding=1, padding_mode="circular")),  # the floor drops 2 rows
    ("many channels", (5, 6), (3, 2), dict(stride=2, padding=1, dilation=(1, 2), padding_mode="reflect")),
]


@pytest.mark.parametrize("layout, size, kernel, settings_", FD_CASES, ids=[f"{c[0]} {c[3]}" for c in FD_CASES])
def test_matches_finite_differences(layout, size, kernel, settings_):
    rng = np.random.default_rng(7)
    grad_output, image, weights, bias = make_case(rng, layout, size, kernel, **settings_)
    numeric = numerical_gradients(image, weights, bias, grad_output, settings_)
    for function in (conv2d_backward, conv2d_backward_loops):
        for got, want in zip(function(grad_output, image, weights, **settings_), numeric):
            assert got.shape == want.shape
            np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("kernel, stride, dilation, size", [
    ((3, 3), (1, 1), (1, 1), (7, 8)), ((3, 2), (2, 3), (1, 1), (9, 10)), ((3, 3), (2, 2), (2, 2), (9, 9)),
    ((4, 3), (3, 2), (2, 3), (12, 11)), ((2, 2), (4, 4), (1, 1), (10, 10)), ((1, 1), (3, 1), (1, 1), (7, 5)),
])
def test_both_image_gradient_paths_agree(kernel, stride, dilation, size):
    # By correlation (one stride phase at a time) and by taps: the same sum, for any stride and dilation.
    rng = np.random.default_rng(4)
    N, C_in, C_out = 2, 3, 4
    g_hw = [(n - d * (k - 1) - 1) // s + 1 for n, k, s, d in zip(size, kernel, stride, dilation)]
    g = rng.standard_normal((N, *g_hw, C_out))
    w = rng.standard_normal((C_out, C_in, *kernel))
    used = tuple(s * (n - 1) + d * (k - 1) + 1 for s, n, d, k in zip(stride, g_hw, dilation, kernel))
    by_correlation = backward._grad_padded_correlation(g, w, stride, dilation, used, size)
    by_taps = backward._grad_padded_taps(g, w, stride, dilation, size)
    np.testing.assert_allclose(by_correlation, by_taps, rtol=1e-12, atol=1e-12)
    image = rng.standard_normal((N, *size, C_in))
    np.testing.assert_allclose(by_taps, conv2d_backward_loops(g, image, w, stride, 0, dilation)[0], rtol=1e-12,
                               atol=1e-12)


def test_rows_the_floor_drops_get_zero_gradient_unless_copied():
    # H = W = 10, padding 1, kernel 2, stride 4: floor((12 - 2) / 4) + 1 = 3 windows per axis, on padded
    # rows 0-1, 4-5 and 8-9 (image rows 0, 3, 4, 7, 8); padded rows 10 and 11 (image row 9 and zero
    # padding) are dropped by the floor, and image rows 1, 2, 5, 6 lie between windows.
    rng = np.random.default_rng(3)
    image, weights = rng.standard_normal((10, 10, 2)), rng.standard_normal((3, 2, 2, 2))
    grad_output = rng.standard_normal((3, 3, 3))
    read = [0, 3, 4, 7, 8]
    grad_image = conv2d_backward(grad_output, image, weights, stride=4, padding=1)[0]
    assert np.all(grad_image[np.ix_(read, read)] != 0)
    grad_image[np.ix_(read, read)] = 0
    assert np.all(grad_image == 0)
    # Circular padding copies image row (column) 9 into padded row (column) 0, which the first windows read.
    grad_circular = conv2d_backward(grad_output, image, weights, stride=4, padding=1, padding_mode="circular")[0]
    read = [0, 3, 4, 7, 8, 9]
    assert np.all(grad_circular[np.ix_(read, read)] != 0)
    grad_circular[np.ix_(read, read)] = 0
    assert np.all(grad_circular == 0)
    # What image row 9 gets is what padded row 0 got: the windows' kernel row 0 times their gradient.
    padded_grad = conv2d_backward(grad_output, np.pad(image, ((1, 1), (1, 1), (0, 0)), mode="wrap"), weights,
                                  stride=4)[0]
    np.testing.assert_allclose(conv2d_backward(grad_output, image, weights, stride=4, padding=1,
                                               padding_mode="circular")[0][9, 1:9], padded_grad[0, 2:10],
                               rtol=1e-12)


def test_sums_that_a_wrong_backward_would_break():
    # One image, one tap: grad_weights is sum(image * grad_output); grad_image is grad_output times the tap.
    rng = np.random.default_rng(0)
    image, grad_output = rng.standard_normal((5, 6)), rng.standard_normal((5, 6))
    grad_image, grad_kernel, grad_bias = conv2d_backward(grad_output, image, np.full((1, 1), 3.0))
    np.testing.assert_allclose(grad_image, 3 * grad_output)
    np.testing.assert_allclose(grad_kernel, [[np.sum(image * grad_output)]])
    np.testing.assert_allclose(grad_bias, [grad_output.sum()])
    # A shift: weights [[0, 1]] reads image[:, c + 1]: its gradient lands one column to the right.
    grad_image = conv2d_backward(np.ones((5, 5)), image, np.array([[0.0, 1.0]]))[0]
    np.testing.assert_array_equal(grad_image, np.c_[np.zeros((5, 1)), np.ones((5, 5))])


@pytest.mark.parametrize("image_dtype, weights_dtype, grad_dtype, expected", [
    (np.float32, np.float32, np.float32, np.float32),
    (np.uint8, np.float32, np.float32, np.float32),
    (np.uint8, np.int64, np.int32, np.float32),
    (np.float32, np.float32, np.float64, np.float64),
    (np.uint8, np.float64, np.float32, np.float64),
])
def test_dtype_rule_as_conv2d(image_dtype, weights_dtype, grad_dtype, expected):
    image = np.arange(48).reshape(4, 4, 3).astype(image_dtype)
    weights = np.ones((2, 3, 3, 3), weights_dtype)
    grad_output = np.ones((2, 2, 2), grad_dtype)
    for function in (conv2d_backward, conv2d_backward_loops):
        grads = function(grad_output, image, weights)
        assert [g.dtype for g in grads] == [np.dtype(expected)] * 3
        np.testing.assert_allclose(grads[1][0, 0], image[:3, :3, 0] + image[1:, :3, 0] + image[:3, 1:, 0]
                                   + image[1:, 1:, 0], rtol=1e-6)


# --------------------------------------------------------------------------- PyTorch


def torch_backward(grad_output, image, weights, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """grad_image, grad_weights, grad_bias by torch.autograd through torch.nn.Conv2d, in float64."""
    torch = pytest.importorskip("torch")
    batch = image if image.ndim == 4 else image[np.newaxis]
    batch = batch[..., np.newaxis] if image.ndim == 2 else batch
    w = weights[np.newaxis, np.newaxis] if weights.ndim == 2 else weights
    g = grad_output[..., np.newaxis] if weights.ndim == 2 else grad_output
    g = g if image.ndim == 4 else g[np.newaxis]
    c_out, c_in, k_h, k_w = w.shape
    layer = torch.nn.Conv2d(c_in, c_out, (k_h, k_w), stride=stride, padding=padding, dilation=dilation,
                            padding_mode=padding_mode, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(w.astype(np.float64)))
    x = torch.from_numpy(batch.astype(np.float64)).permute(0, 3, 1, 2).contiguous().requires_grad_(True)
    layer(x).backward(torch.from_numpy(g.astype(np.float64)).permute(0, 3, 1, 2))
    grad_image = x.grad.permute(0, 2, 3, 1).numpy().reshape(image.shape)
    return grad_image, layer.weight.grad.numpy().reshape(weights.shape), layer.bias.grad.numpy()


@pytest.mark.parametrize("layout, size, kernel, settings_", FD_CASES, ids=[f"{c[0]} {c[3]}" for c in FD_CASES])
def test_matches_torch_autograd(layout, size, kernel, settings_):
    pytest.importorskip("torch")
    grad_output, image, weights, _ = make_case(np.random.default_rng(11), layout, size, kernel, **settings_)
    for got, want in zip(conv2d_backward(grad_output, image, weights, **settings_),
                         torch_backward(grad_output, image, weights, **settings_)):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configurations())
def test_matches_torch_autograd_on_random_configurations(config):
    pytest.importorskip("torch")
    want = torch_backward(**config)
    for got, expected in zip(conv2d_backward(**config), want):
        np.testing.assert_allclose(got, expected, **tolerance(config))


def test_float32_matches_torch_on_a_network_layer():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    image = rng.standard_normal((2, 20, 20, 16)).astype(np.float32)
    weights = rng.standard_normal((32, 16, 3, 3)).astype(np.float32)
    grad_output = rng.standard_normal((2, 10, 10, 32)).astype(np.float32)
    grads = conv2d_backward(grad_output, image, weights, stride=2, padding=1)
    x = torch.from_numpy(image).permute(0, 3, 1, 2)
    want = torch.ops.aten.convolution_backward(
        torch.from_numpy(grad_output).permute(0, 3, 1, 2).contiguous(), x.contiguous(), torch.from_numpy(weights),
        [32], (2, 2), (1, 1), (1, 1), False, (0, 0), 1, (True, True, True))
    np.testing.assert_allclose(grads[0], want[0].permute(0, 2, 3, 1).numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(grads[1], want[1].numpy(), rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(grads[2], want[2].numpy(), rtol=1e-4, atol=1e-3)


# --------------------------------------------------------------------------- the layer


@pytest.mark.parametrize("shape", [(9, 8), (9, 8, 1), (2, 9, 8, 1)], ids=["(H, W)", "(H, W, C_in)", "batch"])
@pytest.mark.parametrize("bias", [True, False])
def test_layer_backward_matches_conv2d_backward(shape, bias):
    layer = Conv2D(1, 4, (3, 2), stride=2, padding=1, bias=bias, seed=0, dilation=(1, 2), padding_mode="reflect")
    image = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    out = layer(image)
    grad_output = np.random.default_rng(2).standard_normal(out.shape).astype(np.float32)
    grad_image = layer.backward(grad_output)
    batch = image[..., np.newaxis] if image.ndim == 2 else image
    expected = conv2d_backward(grad_output, batch, layer.weights, stride=2, padding=1, dilation=(1, 2),
                               padding_mode="reflect")
    assert grad_image.shape == image.shape
    np.testing.assert_array_equal(grad_image, expected[0].reshape(image.shape))
    np.testing.assert_array_equal(layer.grad_weights, expected[1])
    assert layer.grad_weights.shape == layer.weights.shape
    if bias:
        np.testing.assert_array_equal(layer.grad_bias, expected[2])
        assert layer.grad_bias.shape == (4,)
    else:
        assert layer.grad_bias is None


def test_layer_backward_uses_the_last_input():
    layer = Conv2D(3, 2, 3, seed=0)
    first, second = np.ones((6, 6, 3), np.float32), np.arange(108, dtype=np.float32).reshape(6, 6, 3)
    layer(first)
    layer(second)
    grad_output = np.ones((4, 4, 2), np.float32)
    layer.backward(grad_output)
    np.testing.assert_array_equal(layer.grad_weights, conv2d_backward(grad_output, second, layer.weights)[1])


def test_layer_backward_before_a_forward_pass_is_an_error():
    layer = Conv2D(3, 2, 3, seed=0)
    assert layer.grad_weights is None and layer.grad_bias is None
    with pytest.raises(RuntimeError, match=r"call layer\(image\) first"):
        layer.backward(np.zeros((4, 4, 2)))
    with pytest.raises(ValueError, match="in_channels=3"):  # a refused image is not kept either
        layer(np.zeros((6, 6, 4)))
    with pytest.raises(RuntimeError, match="forward pass"):
        layer.backward(np.zeros((4, 4, 2)))
    layer(np.zeros((6, 6, 3)))
    with pytest.raises(ValueError, match=r"\(4, 4, 2\).*got shape \(4, 4, 3\)"):
        layer.backward(np.zeros((4, 4, 3)))


def test_a_gradient_step_lowers_the_loss():
    # What the lessons will do with it: one small step against the gradient makes the output closer to a target.
    rng = np.random.default_rng(0)
    layer = Conv2D(3, 2, 3, padding=1, seed=0)
    image, target = rng.standard_normal((8, 8, 3)).astype(np.float32), rng.standard_normal((8, 8, 2))
    before = np.mean((layer(image) - target) ** 2)
    layer.backward(2 * (layer(image) - target) / target.size)
    layer.weights -= 0.05 * layer.grad_weights
    layer.bias -= 0.05 * layer.grad_bias
    assert np.mean((layer(image) - target) ** 2) < before


@pytest.mark.parametrize("c_in", [3, 16], ids=["by taps", "by correlation"])
def test_a_stride_past_the_image_costs_nothing(c_in):
    # One output per axis: the stride is never used, so 10**7 must not make 10**7 stride phases.
    rng = np.random.default_rng(0)
    image, weights = rng.standard_normal((9, 8, c_in)), rng.standard_normal((2, c_in, 3, 3))
    grad_output = rng.standard_normal((1, 1, 2))
    start = time.perf_counter()
    far = conv2d_backward(grad_output, image, weights, stride=10**7)
    assert time.perf_counter() - start < 1.0
    for got, want in zip(far, conv2d_backward_loops(grad_output, image[:3, :3], weights)):
        np.testing.assert_allclose(got[:3, :3] if got.ndim == 3 else got, want, rtol=1e-12)
    assert np.all(far[0][3:] == 0) and np.all(far[0][:, 3:] == 0)
    # Two outputs 5,000 columns apart: only the phases a tap reaches are visited.
    wide = rng.standard_normal((3, 5003, c_in))
    start = time.perf_counter()
    grads = conv2d_backward(rng.standard_normal((1, 2, 2)), wide, weights, stride=(1, 5000))
    assert time.perf_counter() - start < 1.0
    assert np.count_nonzero(np.any(grads[0] != 0, axis=(0, 2))) == 6  # columns 0-2 and 5000-5002
