"""Lesson 03: the padding explorer shows what conv2d computes (checkers: test_checkers_lessons.py)."""

import numpy as np

from conv2d_lib import conv2d, kernels, pad
from conv2d_lib.widgets import explore_padding


def test_explorer_shows_the_padded_input_and_conv2d_output():
    explorer = explore_padding()
    explorer.set(image="small numbers", kernel="sobel_x", padding=2, padding_mode="reflect")
    image = explorer.controls["image"]  # the chooser's control; the data comes from images.sample
    x = np.asarray(explorer.figure.axes[0].images[0].get_array())
    out = np.asarray(explorer.figure.axes[1].images[0].get_array())
    from conv2d_lib import images

    small = images.sample(image.value, gray=True)
    np.testing.assert_array_equal(x, pad(small, 2, "reflect"))
    np.testing.assert_allclose(out, conv2d(small, kernels.get("sobel_x"), padding=2, padding_mode="reflect"))
    assert "5 + 2 x 2 - 3 + 1 = <b>7</b>" in explorer.message.value  # lesson 03's formula: no floor before lesson 04


def test_same_padding_disables_the_slider_and_says_what_it_pads():
    explorer = explore_padding()
    explorer.set(kernel="box_blur", same=True)
    assert explorer.controls["padding"].disabled
    assert "'same' pads 1 above, 1 below" in explorer.message.value
    explorer.set(same=False)
    assert not explorer.controls["padding"].disabled
