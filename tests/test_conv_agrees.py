"""conv2d agrees with the loops, with SciPy and with PyTorch on random configurations."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conv2d_lib import PADDING_MODES, conv2d, conv2d_loops, output_size, resolve_padding

from .references import scipy_conv2d, torch, torch_conv2d

DTYPES = {"float32": np.float32, "float64": np.float64, "uint8": np.uint8}


@st.composite
def configurations(draw):
    """A valid conv2d call: batch, channels, kernel, stride, padding (incl. 'same'), mode, dilation, dtype."""
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = draw(st.one_of(
        st.integers(0, 2),
        st.tuples(st.integers(0, 2), st.integers(0, 2)),
        st.just("valid"),
        st.just("same") if stride == (1, 1) else st.just(0),
    ))
    mode = draw(st.sampled_from(PADDING_MODES))
    pads = resolve_padding(padding, k, stride, dilation)
    # Large enough for the window, and for reflect (pad < size) and circular (pad <= size).
    sizes = []
    for axis in range(2):
        reach = dilation[axis] * (k[axis] - 1) + 1
        smallest = max(1, reach - sum(pads[axis]), max(pads[axis]) + 1)
        sizes.append(draw(st.integers(smallest, smallest + 6)))
    c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    batch = draw(st.sampled_from([None, 1, 2]))
    dtype = draw(st.sampled_from(sorted(DTYPES)))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    shape = (*sizes, c_in) if batch is None else (batch, *sizes, c_in)
    if dtype == "uint8":
        image = rng.integers(0, 256, shape, dtype=np.uint8)
    else:
        image = rng.standard_normal(shape).astype(DTYPES[dtype])
    weights = rng.standard_normal((c_out, c_in, *k)).astype(np.float32 if dtype != "float64" else np.float64)
    bias = draw(st.one_of(st.none(), st.just(rng.standard_normal(c_out)), st.floats(-2, 2)))
    return dict(image=image, weights=weights, bias=bias, stride=stride, padding=padding,
                dilation=dilation, padding_mode=mode)


def as_batch(image):
    return image if image.ndim == 4 else image[np.newaxis]


def tolerance(config):
    scale = 255.0 if config["image"].dtype == np.uint8 else 1.0
    if config["weights"].dtype == np.float64:
        return dict(rtol=1e-10, atol=1e-10 * scale)
    return dict(rtol=2e-4, atol=2e-4 * scale * np.sqrt(config["weights"].size))


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(configurations())
def test_fast_equals_loops_and_scipy(config):
    fast = conv2d(**config)
    loops = conv2d_loops(**config)
    assert fast.shape == loops.shape
    assert fast.dtype == loops.dtype
    np.testing.assert_allclose(fast, loops, **tolerance(config))
    reference = scipy_conv2d(**{**config, "image": as_batch(config["image"])})
    assert as_batch(fast).shape == reference.shape  # SciPy's shape comes from its "valid" slices
    np.testing.assert_allclose(as_batch(fast), reference, **tolerance(config))
    # output_size predicts the shape: checked against counting the window positions that fit.
    kHW = config["weights"].shape[2:]
    HW = config["image"].shape[-3:-1]
    pads = resolve_padding(config["padding"], kHW, config["stride"], config["dilation"])
    stride, dilation = (np.broadcast_to(config[name], 2) for name in ("stride", "dilation"))
    counted = tuple(len(range(0, n + sum(p) - (d * (k - 1) + 1) + 1, s))
                    for n, k, s, p, d in zip(HW, kHW, stride, pads, dilation))
    assert fast.shape[-3:-1] == counted
    assert output_size(HW, kHW, config["stride"], config["padding"], config["dilation"]) == counted


@pytest.mark.skipif(torch is None, reason="torch is not installed (pip install torch==2.13.0)")
@SETTINGS
@given(configurations())
def test_fast_equals_torch(config):
    fast = conv2d(**config)
    reference = torch_conv2d(**{**config, "image": as_batch(config["image"])})
    np.testing.assert_allclose(as_batch(fast), reference, **tolerance(config))


@pytest.mark.parametrize("h, w", [(64, 80), (97, 131)])
@pytest.mark.parametrize("stride, k, padding", [(1, 3, 1), (1, 5, 2), (2, 7, 3), (3, 3, 0), (1, 4, "same")])
def test_larger_inputs_match_scipy(h, w, stride, k, padding):
    """Sizes big enough to cross the fast path's blocks, checked against SciPy."""
    rng = np.random.default_rng(h * w + k)
    image = rng.standard_normal((2, h, w, 3))
    weights = rng.standard_normal((5, 3, k, k))
    fast = conv2d(image, weights, stride=stride, padding=padding)
    np.testing.assert_allclose(fast, scipy_conv2d(image, weights, stride=stride, padding=padding),
                               rtol=1e-10, atol=1e-10)


def test_plain_kernel_on_plain_image_gives_plain_result():
    image = np.arange(25.0).reshape(5, 5)
    kernel = np.array([[1.0, 0.0], [0.0, -1.0]])
    out = conv2d(image, kernel)
    assert out.shape == (4, 4)
    # Every window's top-left minus bottom-right is -6 on this ramp (one row is 5, one column 1).
    np.testing.assert_array_equal(out, np.full((4, 4), -6.0))


def test_dtypes_are_kept_and_integers_do_not_overflow():
    photo = np.full((4, 4, 3), 255, np.uint8)
    weights = np.ones((1, 3, 3, 3), np.float32)
    out = conv2d(photo, weights)
    assert out.dtype == np.float32
    assert out[0, 0, 0] == 255 * 27  # would wrap to 229 in uint8
    assert conv2d(photo.astype(np.float64), weights).dtype == np.float64
    assert conv2d(photo.astype(np.float32), weights).dtype == np.float32


def test_cross_correlation_not_convolution():
    """The impulse response is the kernel flipped: the kernel is not flipped before sliding."""
    impulse = np.zeros((5, 5))
    impulse[2, 2] = 1.0
    kernel = np.arange(9.0).reshape(3, 3)
    out = conv2d(impulse, kernel, padding=1)
    np.testing.assert_array_equal(out[1:4, 1:4], kernel[::-1, ::-1])


@pytest.mark.parametrize("function", [conv2d, conv2d_loops])
def test_same_padding_even_kernel_puts_extra_at_bottom_right(function):
    """A 4 x 2 kernel pads 3 rows (1 above, 2 below) and 1 column (on the right), as PyTorch does."""
    assert resolve_padding("same", (4, 2)) == ((1, 2), (0, 1))
    image = np.arange(1.0, 43.0).reshape(6, 7)
    top_left = np.zeros((4, 2))
    top_left[0, 0] = 1.0  # out[r, c] = padded[r, c] = image[r - 1, c]: one padding row above
    shifted_down = np.vstack([np.zeros((1, 7)), image[:-1]])
    np.testing.assert_array_equal(function(image, top_left, padding="same"), shifted_down)
    bottom_right = np.zeros((4, 2))
    bottom_right[3, 1] = 1.0  # out[r, c] = padded[r + 3, c + 1] = image[r + 2, c + 1]: 2 rows below, 1 column right
    expected = np.zeros((6, 7))
    expected[:4, :6] = image[2:, 1:]
    np.testing.assert_array_equal(function(image, bottom_right, padding="same"), expected)


def test_large_input_runs():
    """A 2048 x 2048 x 3 float32 input with a 5x5 kernel completes (memory is bounded by blocks)."""
    image = np.ones((2048, 2048, 3), np.float32)
    out = conv2d(image, np.ones((2, 3, 5, 5), np.float32), padding=2)
    assert out.shape == (2048, 2048, 2)
    assert out[1000, 1000, 0] == 75.0  # 5 x 5 taps x 3 channels of ones
    assert out[0, 0, 1] == 27.0 and out[-1, -1, 0] == 27.0  # corners: 3 x 3 of the window on the image
    assert out[0, 1000, 0] == 45.0  # an edge: 3 rows x 5 columns
