"""Lesson 02 (kernels): window helpers and what the explorers show (checkers: test_checkers_lessons.py)."""

import numpy as np
import pytest
from scipy import signal

from conv2d_lib import conv2d_loops, images, kernels
from conv2d_lib.windows import window_products, window_slice


# --------------------------------------------------------------------------- maths helpers


@pytest.mark.parametrize("image_shape, kernel_shape", [((5, 5), (3, 3)), ((6, 9), (2, 4)), ((4, 4), (4, 4))])
def test_window_products_sum_is_each_output_pixel(image_shape, kernel_shape):
    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=image_shape), rng.normal(size=kernel_shape)
    expected = signal.correlate2d(image, kernel, mode="valid")
    for r in range(expected.shape[0]):
        for c in range(expected.shape[1]):
            window, products, total = window_products(image, kernel, r, c)
            assert window.shape == products.shape == kernel.shape
            assert np.allclose(products, window * kernel)
            assert np.isclose(total, expected[r, c])


def test_window_products_by_hand():
    window, products, total = window_products(images.small_numbers(), images.small_weights(), 2, 1)
    assert np.array_equal(window, [[2, 1, 1], [1, 1, 1], [2, 2, 0]])
    assert total == -5 == conv2d_loops(images.small_numbers(), images.small_weights())[2, 1]


def test_window_slice_with_stride():
    assert window_slice(0, 0, 3) == (slice(0, 3), slice(0, 3))
    rows, cols = window_slice(2, 1, (2, 3), stride=(3, 2))
    assert (rows.start, rows.stop, cols.start, cols.stop) == (6, 8, 2, 5)


def test_window_helpers_reject_bad_input():
    with pytest.raises(ValueError, match="does not exist"):
        window_products(np.zeros((5, 5)), np.ones((3, 3)), 3, 0)
    with pytest.raises(ValueError, match="row"):
        window_slice(-1, 0, 3)
    with pytest.raises(TypeError, match="image"):
        window_products([[1, 2]], np.ones((1, 1)), 0, 0)


# --------------------------------------------------------------------------- explorers


def test_cross_correlation_explorer_highlights_the_picked_window():
    from conv2d_lib.widgets.kernels import explore_cross_correlation

    explorer = explore_cross_correlation()
    explorer.set(row=2, col=1)
    ax_in, ax_k, ax_p, ax_out = explorer.figure.axes
    window_box, pixel_box = ax_in.patches[0], ax_out.patches[0]
    assert window_box.get_xy() == (0.5, 1.5) and window_box.get_width() == window_box.get_height() == 3
    assert pixel_box.get_xy() == (0.5, 1.5) and pixel_box.get_width() == 1
    assert "= <b>-5</b>" in explorer.message.value
    assert "out[2, 1] = -5" in ax_out.get_title()
    assert np.array_equal(ax_p.images[0].get_array(), [[2, 0, 0], [-1, -1, -1], [-2, -2, 0]])
    # The sliders reach exactly the output's rows and columns, and follow the image.
    assert explorer.controls["row"].max == 2 and explorer.controls["col"].max == 2
    explorer.set(image="cat")
    assert (explorer.controls["row"].max, explorer.controls["col"].max) == (147, 222)
    explorer.set(image="small numbers")
    assert explorer.controls["row"].value <= 2


def test_cross_correlation_explorer_flip_on_impulse_paints_the_kernel():
    from conv2d_lib.widgets.kernels import explore_cross_correlation

    explorer = explore_cross_correlation(default="impulse")
    output = lambda: np.asarray(explorer.figure.axes[3].images[0].get_array())  # noqa: E731
    k = images.small_weights()
    assert np.array_equal(output()[2:5, 2:5], k[::-1, ::-1])     # cross-correlation: flipped
    explorer.set(flip=True)
    assert np.array_equal(output()[2:5, 2:5], k)                 # convolution: as it is


def test_kernel_gallery_uses_the_nine_boxes():
    from conv2d_lib.widgets.kernels import explore_kernel_gallery

    explorer = explore_kernel_gallery(default="stripes")
    own = lambda: np.asarray(explorer.figure.axes[3].images[0].get_array())  # noqa: E731
    assert np.allclose(own(), images.stripes(32, 8)[1:-1, 1:-1])   # starts as the identity
    explorer.set(**{f"w{r}{c}": float(w) for (r, c), w in np.ndenumerate(kernels.get("sobel_x"))})
    assert np.allclose(own(), signal.correlate2d(images.stripes(32, 8), kernels.get("sobel_x"), mode="valid"))


def test_explorers_accept_an_own_picture():
    from conv2d_lib.widgets.kernels import explore_cross_correlation, explore_kernel_gallery

    picture = np.arange(48.0).reshape(6, 8)
    for factory in (explore_cross_correlation, explore_kernel_gallery):
        explorer = factory(image=picture)
        assert explorer.controls["image"].value == "your picture"
        assert explorer.figure.axes[0].images[0].get_array().shape == (6, 8)
