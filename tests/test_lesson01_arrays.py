"""Lesson 01 (images as arrays): the patch and channel explorers show the right numbers."""

import numpy as np
import pytest

from conv2d_lib import images
from conv2d_lib.widgets import explore_channels_of_image, explore_image_patch

CAT = images.photo("cat")


# --- the patch explorer ------------------------------------------------------------------

@pytest.fixture(scope="module")
def patch_explorer():
    return explore_image_patch()


def _patch_state(explorer):
    ax_whole, ax_patch = explorer.figure.axes[:2]
    patch = np.asarray(ax_patch.images[0].get_array())
    boxes = [p for p in ax_whole.patches]
    texts = [t for t in ax_patch.texts if t.get_visible()]
    return ax_whole, patch, boxes, texts


@pytest.mark.parametrize("row, column, size, channel", [(40, 100, 8, "G"), (0, 0, 4, "R"),
                                                        (138, 213, 12, "B"), (57, 81, 5, "G")])
def test_patch_is_the_slice_at_the_picked_row_and_column(patch_explorer, row, column, size, channel):
    patch_explorer.set(image="cat", size=size, row=row, column=column, channel=channel)
    c = "RGB".index(channel)
    _, patch, boxes, texts = _patch_state(patch_explorer)
    expected = CAT[row:row + size, column:column + size, c]
    np.testing.assert_array_equal(patch, expected)
    for box in boxes:  # the outline covers exactly those pixels
        assert box.get_xy() == (column - 0.5, row - 0.5)
        assert (box.get_width(), box.get_height()) == (size, size)
    # The printed numbers are the pixel values (uint8, as whole numbers), the first one at [0, 0].
    assert len(texts) == size * size
    assert texts[0].get_text() == str(CAT[row, column, c])
    assert texts[0].get_position() == (0, 0)
    assert texts[-1].get_text() == str(CAT[row + size - 1, column + size - 1, c])
    assert f"image[{row}:{row + size}, {column}:{column + size}, {c}]" in patch_explorer.figure.axes[1].get_title()


def test_gray_channel_is_the_luminance(patch_explorer):
    patch_explorer.set(image="cat", size=6, row=20, column=30, channel="gray")
    _, patch, _, texts = _patch_state(patch_explorer)
    block = CAT[20:26, 30:36].astype(float)
    expected = 0.299 * block[..., 0] + 0.587 * block[..., 1] + 0.114 * block[..., 2]
    np.testing.assert_allclose(patch, expected)
    assert texts[0].get_text() == f"{expected[0, 0]:.0f}"


def test_sliders_stop_where_the_patch_still_fits(patch_explorer):
    patch_explorer.set(image="cat", size=10)
    assert patch_explorer.controls["row"].max == 150 - 10
    assert patch_explorer.controls["column"].max == 225 - 10
    patch_explorer.set(image="coffee", size=4)
    assert patch_explorer.controls["row"].max == 200 - 4
    assert patch_explorer.controls["column"].max == 300 - 4


def test_small_image_caps_the_patch_size_and_shows_the_whole_image(patch_explorer):
    patch_explorer.set(image="small numbers", channel="R")
    assert patch_explorer.controls["size"].max == 5
    with pytest.raises(ValueError, match="size must be from 4 to 5"):  # refused in words, not clamped
        patch_explorer.set(size=12)
    patch_explorer.set(size=5)
    _, patch, _, texts = _patch_state(patch_explorer)
    small = images.sample("small numbers")
    np.testing.assert_array_equal(patch, small[:, :, 0])
    assert [t.get_text() for t in texts[:5]] == [f"{v:.2g}" for v in small[0, :, 0]]
    assert "does not fit" not in patch_explorer.message.value
    patch_explorer.set(image="cat")
    assert patch_explorer.controls["size"].max == 12
    patch_explorer.set(image="cat", size=8, row=40, column=100, channel="G")
    assert "does not fit" not in patch_explorer.message.value


def test_message_reads_the_top_left_pixel(patch_explorer):
    patch_explorer.set(image="cat", size=8, row=40, column=100, channel="G")
    assert "image[40, 100] = (R, G, B) = (171, 130, 105)" in patch_explorer.message.value
    assert "dtype uint8" in patch_explorer.message.value


def test_own_uint8_picture_keeps_its_values():
    own = np.arange(6 * 7 * 3, dtype=np.uint8).reshape(6, 7, 3) * 5
    explorer = explore_image_patch(own)
    explorer.set(size=4, row=2, column=3, channel="B")
    patch = np.asarray(explorer.figure.axes[1].images[0].get_array())
    np.testing.assert_array_equal(patch, own[2:6, 3:7, 2])


@pytest.mark.parametrize("own, shown", [
    (np.full((6, 7, 3), (2, 1, 1), np.uint8), "(2, 1, 1)"),           # a dark photo stays dark
    (np.full((6, 7, 3), 1.4), "(1.4, 1.4, 1.4)"),                     # floats are never cast to uint8
    (np.full((6, 7, 3), 40000, np.uint16), "(40000, 40000, 40000)"),  # nor wider integers
    (np.full((6, 7), -0.5), "(-0.5, -0.5, -0.5)"),                    # grey: three equal channels
])
def test_own_arrays_are_shown_with_their_own_numbers(own, shown):
    explorer = explore_image_patch(own)
    explorer.set(size=4, row=1, column=2, channel="R")
    assert f"image[1, 2] = (R, G, B) = {shown}" in explorer.message.value
    assert f"dtype {own.dtype}" in explorer.message.value
    patch = np.asarray(explorer.figure.axes[1].images[0].get_array())
    expected = own if own.ndim == 2 else own[:, :, 0]
    np.testing.assert_array_equal(patch, expected[1:5, 2:6])
    channels = explore_channels_of_image(own)
    low, high = f"{float(own.min()):.6g}", f"{float(own.max()):.6g}"
    assert f"dtype {own.dtype}; values from {low} to {high}" in channels.message.value


# --- the channels explorer ---------------------------------------------------------------

def test_channel_panels_are_the_channels():
    explorer = explore_channels_of_image()
    axes = explorer.figure.axes
    for index in range(3):
        shown = np.asarray(axes[1 + index].images[0].get_array())
        np.testing.assert_array_equal(shown, CAT[:, :, index])
        assert f"image[:, :, {index}]" in axes[1 + index].get_title()
        assert "RGB"[index] in axes[1 + index].get_title()
    explorer.set(show="tinted")
    for index in range(3):
        shown = np.asarray(axes[1 + index].images[0].get_array())
        assert shown.shape == (150, 225, 3)
        np.testing.assert_allclose(shown[:, :, index], CAT[:, :, index] / 255)
        others = [c for c in range(3) if c != index]
        assert not shown[:, :, others].any()
    assert "values from 1 to 210" in explorer.message.value
