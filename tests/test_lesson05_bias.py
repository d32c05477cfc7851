"""Lesson 05 (bias and ReLU): relu, active_fraction and the bias explorer's figure."""

import numpy as np
import pytest
from scipy import signal

from conv2d_lib import conv2d, images, kernels
from conv2d_lib.nn.activations import active_fraction, relu
from conv2d_lib.widgets import explore_bias

# --------------------------------------------------------------------------- relu


@pytest.mark.parametrize("shape", [(7,), (4, 5), (3, 4, 2), (2, 3, 4, 5)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int8])
def test_relu_matches_a_hand_written_reference(shape, dtype):
    x = (np.random.default_rng(1).normal(size=shape) * 5).astype(dtype)
    expected = np.array([v if v > 0 else 0 for v in x.ravel()], dtype=dtype).reshape(shape)
    out = relu(x)
    assert out.shape == x.shape and out.dtype == x.dtype
    assert np.array_equal(out, expected)


def test_relu_returns_a_new_array_and_keeps_nan():
    x = np.array([-1.0, np.nan, 2.0, -0.0])
    before = x.copy()
    out = relu(x)
    assert out is not x and np.array_equal(x, before, equal_nan=True)
    assert np.isnan(out[1]) and out[0] == 0 and out[2] == 2
    assert not np.signbit(out[3]), "-0.0 should come out as 0.0"


def test_relu_of_numbers_and_unsigned():
    assert relu(-3) == 0 and relu(2.5) == 2.5
    u = np.array([0, 7, 255], np.uint8)
    assert np.array_equal(relu(u), u) and relu(u).dtype == np.uint8


@pytest.mark.parametrize("bad, error, words", [
    ([1, -2], TypeError, "numpy.ndarray"),
    ("3", TypeError, "numpy.ndarray"),
    (True, TypeError, "numpy.ndarray"),
    (np.array([True, False]), TypeError, "dtype bool"),
    (np.array([1 + 2j]), TypeError, "complex"),
    (np.array(["a"]), TypeError, "real numbers"),
])
def test_relu_rejects_bad_input_naming_the_argument(bad, error, words):
    with pytest.raises(error, match="x must") as raised:
        relu(bad)
    assert words in str(raised.value)


def test_active_fraction():
    assert active_fraction(np.array([-1.0, 0.0, 0.5, 3.0])) == 0.5
    assert active_fraction(np.zeros((3, 3))) == 0.0
    with pytest.raises(ValueError, match="empty"):
        active_fraction(np.zeros((0, 3)))
    with pytest.raises(TypeError, match="x must"):
        active_fraction([1.0, 2.0])


# --------------------------------------------------------------------------- what the lesson teaches


@pytest.mark.parametrize("name", ["cat", "small numbers", "checkerboard"])
@pytest.mark.parametrize("b", [-1.25, 0.0, 0.3, 2.0])
def test_bias_adds_exactly_and_sets_the_relu_threshold(name, b):
    x, k = images.sample(name, gray=True), kernels.get("sobel_x")
    reference = signal.correlate2d(x, k, mode="valid")
    out = conv2d(x, k, bias=b)
    assert np.array_equal(out, conv2d(x, k) + b)
    np.testing.assert_allclose(out, reference + b, atol=1e-12)
    survivors = relu(out) > 0
    assert np.array_equal(survivors, conv2d(x, k) > -b)


def test_the_small_example_of_the_notebook():
    x, k = images.small_numbers(), kernels.get("sobel_x")
    assert np.array_equal(conv2d(x, k), [[-1, -2, 4], [-1, -2, 5], [0, -3, 2]])
    assert np.array_equal(relu(conv2d(x, k, bias=-1.0)), [[0, 0, 3], [0, 0, 4], [0, 0, 1]])


# --------------------------------------------------------------------------- the explorer


def _map_norm(explorer):
    image = explorer.figure.axes[0].images[0]
    return image.norm.vmin, image.norm.vmax


def test_explorer_keeps_colour_limits_while_the_bias_moves():
    explorer = explore_bias()
    limits = _map_norm(explorer)
    for b in (-2.0, -0.35, 1.0, 2.0):
        explorer.set(bias=b)
        assert _map_norm(explorer) == limits
    explorer.set(kernel="box_blur")  # a new kernel may set new limits, then they hold again
    limits = _map_norm(explorer)
    explorer.set(bias=-1.0)
    assert _map_norm(explorer) == limits


def test_explorer_shows_the_biased_map_the_histogram_and_the_share_that_passes():
    explorer = explore_bias(default="cat", kernel="sobel_x")
    x, k = images.sample("cat", gray=True), kernels.get("sobel_x")
    plain = signal.correlate2d(x, k, mode="valid")
    ax_map, ax_hist = explorer.figure.axes[:2]
    bars = list(ax_hist.patches)
    for b in (-0.3, 0.5):
        explorer.set(bias=b, relu=False)
        np.testing.assert_allclose(ax_map.images[0].get_array(), plain + b, atol=1e-12)
        bias_line = next(line for line in ax_hist.lines if line.get_label() == "bias b")
        assert bias_line.get_xdata()[0] == b  # the orange bias marker
        heights = [bar.get_height() for bar in bars[:40]]
        assert sum(heights) == pytest.approx(1.0)   # every pixel counted once
        explorer.set(relu=True)
        np.testing.assert_allclose(ax_map.images[0].get_array(), np.maximum(plain + b, 0), atol=1e-12)
        expected = np.mean(plain > -b)
        assert f"{expected:.0%} of pixels pass" in explorer.message.value
        assert f"({np.count_nonzero(plain > -b)} of {plain.size})" in explorer.message.value
    assert list(ax_hist.patches) == bars, "the histogram's rectangles must be reused, not redrawn"


def test_explorer_on_small_numbers_prints_the_values():
    explorer = explore_bias(default="small numbers", kernel="sobel_x")
    explorer.set(bias=-1.0, relu=True)
    texts = [t.get_text() for t in explorer.figure.axes[0].texts if t.get_visible()]
    assert texts == ["0", "0", "3", "0", "0", "4", "0", "0", "1"]
    assert "33% of pixels pass" in explorer.message.value


def test_explorer_accepts_your_own_picture():
    picture = np.tile(np.linspace(0, 255, 20), (12, 1)).astype(np.uint8)
    explorer = explore_bias(image=picture)
    assert explorer.controls["image"].value == "your picture"
    assert explorer.figure.axes[0].images[0].get_array().shape == (10, 18)


def test_explorer_rejects_an_unknown_kernel_by_name():
    with pytest.raises(ValueError, match="kernel must be one of .*'sobel_x'.*got 'sobel'"):
        explore_bias(kernel="sobel")
