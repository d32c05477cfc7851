"""Lesson 10 (backpropagation): the gradient identities it teaches, its two explorers and its picture."""

import numpy as np
import pytest
from scipy import signal

from conv2d_lib import conv2d, conv2d_backward, images
from conv2d_lib.plot.backprop import correlation_picture
from conv2d_lib.widgets import explore_image_gradient, explore_weight_gradient
from conv2d_lib.widgets import backprop as wiring
from tests.references import numerical_gradient

X = images.small_numbers()
K = images.small_weights(3, seed=3)
G = images.small_weights(3, seed=1)


def by_loops(g, x, k, stride, padding):
    """(grad_image, grad_weights) of a 2-D correlation, by the chain rule one product at a time."""
    padded = np.pad(x, padding)
    grad_padded = np.zeros_like(padded)
    grad_w = np.zeros_like(k)
    for r in range(g.shape[0]):
        for c in range(g.shape[1]):
            for i in range(k.shape[0]):
                for j in range(k.shape[1]):
                    grad_w[i, j] += padded[r * stride + i, c * stride + j] * g[r, c]
                    grad_padded[r * stride + i, c * stride + j] += k[i, j] * g[r, c]
    h, w = x.shape
    return grad_padded[padding:padding + h, padding:padding + w], grad_w


# --------------------------------------------------------------------------- what the lesson teaches


def test_the_hand_example_of_the_notebook():
    grad_image, grad_weights, grad_bias = conv2d_backward(G, X, K)
    assert np.sum(conv2d(X, K) * G) == 2
    assert np.sum(X[0:3, 0:3] * G) == grad_weights[0, 0] == 3
    assert grad_bias[0] == G.sum()
    assert sum(G[r, c] * K[2 - r, 2 - c] for r in range(3) for c in range(3)) == grad_image[2, 2] == 1


@pytest.mark.parametrize("seed", range(4))
def test_weight_gradient_is_a_correlation_and_image_gradient_a_full_convolution(seed):
    rng = np.random.default_rng(seed)
    x, k = rng.normal(size=(6, 7)), rng.normal(size=(3, 2))
    g = rng.normal(size=(4, 6))
    grad_image, grad_weights, _ = conv2d_backward(g, x, k)
    np.testing.assert_allclose(grad_weights, signal.correlate2d(x, g, mode="valid"), atol=1e-12)
    np.testing.assert_allclose(grad_image, signal.convolve2d(g, k, mode="full"), atol=1e-12)
    # The lesson's own spelling: pad by k - 1, correlate with the flipped kernel.
    np.testing.assert_allclose(conv2d(np.pad(g, ((2, 2), (1, 1))), k[::-1, ::-1]), grad_image, atol=1e-12)
    # And the loss it stands for, checked by central differences.
    w = k.copy()
    np.testing.assert_allclose(numerical_gradient(lambda: np.sum(conv2d(x, w) * g), w), grad_weights, atol=1e-6)


@pytest.mark.parametrize("size, stride", [(5, 2), (7, 2), (7, 3), (8, 3)])
def test_with_a_stride_the_output_gradient_is_dilated_and_spread(size, stride):
    rng = np.random.default_rng(size * stride)
    x, k = rng.normal(size=(size, size)), rng.normal(size=(3, 3))
    n_out = (size - 3) // stride + 1
    g = rng.normal(size=(n_out, n_out))
    grad_image, grad_weights, _ = conv2d_backward(g, x, k, stride=stride)
    loops_image, loops_weights = by_loops(g, x, k, stride, 0)
    np.testing.assert_allclose(grad_weights, loops_weights, atol=1e-12)
    # The weight gradient: the image correlated with grad_output dilated by the stride (rows the floor
    # drops are left out of the image first).
    reach = stride * (n_out - 1) + 3
    np.testing.assert_allclose(conv2d(x[:reach, :reach], g, dilation=stride), grad_weights, atol=1e-12)
    # The image gradient: grad_output spread out, padded by k - 1 (and by the dropped rows), flipped kernel.
    spread = np.zeros((stride * (n_out - 1) + 1,) * 2)
    spread[::stride, ::stride] = g
    dropped = size - reach
    full = conv2d(np.pad(spread, ((2, 2 + dropped), (2, 2 + dropped))), k[::-1, ::-1])
    np.testing.assert_allclose(full, grad_image, atol=1e-12)
    np.testing.assert_allclose(full, loops_image, atol=1e-12)


def test_float32_central_differences_are_rougher_than_float64_as_the_lesson_says():
    _, grad_weights, _ = conv2d_backward(G, X, K)

    def largest_error(dtype, eps=1e-3):
        x, g = X.astype(dtype), G.astype(dtype)
        worst = 0.0
        for i, j in np.ndindex(3, 3):
            up, down = K.astype(dtype), K.astype(dtype)
            up[i, j] += eps
            down[i, j] -= eps
            numerical = (np.sum(conv2d(x, up) * g) - np.sum(conv2d(x, down) * g)) / (2 * eps)
            worst = max(worst, abs(float(numerical) - grad_weights[i, j]))
        return worst

    assert largest_error(np.float64) < 1e-9
    assert 1e-6 < largest_error(np.float32) < 1e-2


# --------------------------------------------------------------------------- the weight explorer


def panels(explorer):
    """The data arrays of the four main panels, in order."""
    return [np.asarray(ax.images[0].get_array()) for ax in explorer.figure.axes if ax.images]


def lit(ax):
    """The pixels the orange outlines mark, as (row, col) pairs."""
    return {(round(p.get_y() + 0.44), round(p.get_x() + 0.44)) for p in ax.patches
            if p.get_visible() and abs(p.get_width() - 0.88) < 1e-9}


@pytest.fixture(scope="module")
def weight_explorer():
    return explore_weight_gradient()


@pytest.fixture(scope="module")
def pixel_explorer():
    return explore_image_gradient()


@pytest.mark.parametrize("image", ["small numbers", "impulse"])
@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 1), (3, 2), (1, 2)])
@pytest.mark.parametrize("row, col", [(0, 0), (2, 1)])
def test_weight_explorer_lights_the_pixels_met_and_adds_up_the_gradient(weight_explorer, image, stride, padding,
                                                                         row, col):
    explorer = weight_explorer
    explorer.set(image=image, row=row, col=col, stride=stride, padding=padding)
    x = images.sample(image, gray=True)
    n_out = (x.shape[0] + 2 * padding - 3) // stride + 1
    g = wiring.given_grad_output((n_out, n_out))
    _, loops_weights = by_loops(g, x, K, stride, padding)
    padded, shown_g, products, grad_weights = panels(explorer)
    np.testing.assert_array_equal(padded, np.pad(x, padding))
    np.testing.assert_array_equal(shown_g, g)
    np.testing.assert_allclose(grad_weights, loops_weights, atol=1e-12)
    assert products.sum() == pytest.approx(loops_weights[row, col])
    expected = {(r * stride + row, c * stride + col) for r in range(n_out) for c in range(n_out)}
    assert lit(explorer.figure.axes[0]) == expected
    for r, c in np.ndindex(n_out, n_out):
        assert products[r, c] == padded[r * stride + row, c * stride + col] * g[r, c]
    assert f"grad_weights[{row}, {col}]" in explorer.message.value
    assert f"<b>{wiring.short(loops_weights[row, col])}</b>" in explorer.message.value


@pytest.mark.parametrize("stride, padding", wiring._settings())
def test_every_setting_has_a_gradient_to_show(weight_explorer, stride, padding):
    """No slider setting gives a grad_output of zeros only (which makes every gradient 0)."""
    weight_explorer.set(image="small numbers", row=0, col=0, stride=stride, padding=padding)
    _, shown_g, _, grad_weights = panels(weight_explorer)
    n_out = (5 + 2 * padding - 3) // stride + 1
    assert shown_g.shape == (n_out, n_out) and np.any(shown_g != 0), shown_g
    assert np.any(grad_weights != 0), grad_weights
    if n_out == 3:  # the lesson's given array, as its first cells write it
        np.testing.assert_array_equal(shown_g, images.small_weights(3, seed=1))


def test_weight_explorer_says_a_kernel_that_does_not_fit_in_words():
    explorer = explore_weight_gradient(image=np.full((2, 2), 100, np.uint8))
    assert "cannot work" in explorer.message.value
    explorer.set(padding=1)
    assert "cannot work" not in explorer.message.value and "grad_weights[0, 0]" in explorer.message.value


def test_your_picture_is_cut_to_its_centre():
    picture = np.arange(20 * 30, dtype=np.uint8).reshape(20, 30)
    explorer = explore_weight_gradient(image=picture)
    assert explorer.controls["image"].value == "your picture"
    assert panels(explorer)[0].shape == (wiring.CROP, wiring.CROP)
    assert f"its central {wiring.CROP} x {wiring.CROP} pixels" in explorer.message.value


# --------------------------------------------------------------------------- the pixel explorer


@pytest.mark.parametrize("image", ["small numbers", "impulse"])
@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 1), (3, 0), (2, 2)])
def test_pixel_explorer_lights_the_outputs_reached_and_adds_up_the_gradient(pixel_explorer, image, stride, padding):
    explorer = pixel_explorer
    explorer.set(image=image, stride=stride, padding=padding)
    x = images.sample(image, gray=True)
    n = x.shape[0]
    assert explorer.controls["row"].max == n - 1
    n_out = (n + 2 * padding - 3) // stride + 1
    g = wiring.given_grad_output((n_out, n_out))
    loops_image, _ = by_loops(g, x, K, stride, padding)
    for y, z in [(0, 0), (2, 2), (n - 1, 1), (n // 2, n - 1)]:
        explorer.set(row=y, col=z)
        shown_x, kernel, shown_g, products, grad_image = panels(explorer)
        np.testing.assert_array_equal(shown_x, x)
        np.testing.assert_array_equal(kernel, K)
        np.testing.assert_array_equal(shown_g, g)
        np.testing.assert_allclose(grad_image, loops_image, atol=1e-12)
        assert products.sum() == pytest.approx(loops_image[y, z])
        reached = {(r, c) for r in range(n_out) for c in range(n_out)
                   if 0 <= y + padding - r * stride < 3 and 0 <= z + padding - c * stride < 3}
        weights = {(y + padding - r * stride, z + padding - c * stride) for r, c in reached}
        axes = explorer.figure.axes
        assert lit(axes[2]) == reached and lit(axes[1]) == weights
        for r, c in np.ndindex(n_out, n_out):
            expected = g[r, c] * K[y + padding - r * stride, z + padding - c * stride] if (r, c) in reached else 0
            assert products[r, c] == expected
        if not reached:
            assert "reaches no output" in explorer.message.value
        else:
            assert f"grad_image[{y}, {z}]" in explorer.message.value


# --------------------------------------------------------------------------- the still picture


def test_correlation_picture_shows_the_three_arrays_with_their_numbers():
    fig = correlation_picture(X, G, conv2d(X, G), ("image", "grad_output", "grad_weights"))
    shown = [np.asarray(ax.images[0].get_array()) for ax in fig.axes if ax.images]
    assert len(shown) == 3
    for array, expected in zip(shown, (X, G, conv2d(X, G))):
        np.testing.assert_array_equal(array, expected)
    texts = [t.get_text() for t in fig.axes[2].texts if t.get_visible()]
    assert texts == [wiring.short(v) for v in conv2d(X, G).ravel()]
    assert fig._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
