"""The PNG writer behind every live picture: Pillow reads back exactly the pixels written."""

import io

import numpy as np
import pytest
from PIL import Image

from conv2d_lib.plot._png import rgb_to_png


def decode(data):
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == "PNG" and picture.mode == "RGB"
        return np.asarray(picture)


@pytest.mark.parametrize("shape", [(1, 1, 3), (3, 5, 3), (37, 64, 3), (558, 855, 3)])
def test_pillow_reads_back_the_same_pixels(shape):
    rgb = np.random.default_rng(sum(shape)).integers(0, 256, shape, dtype=np.uint8)
    assert np.array_equal(decode(rgb_to_png(rgb)), rgb)


def test_a_view_of_an_rgba_buffer_is_written_without_its_alpha():
    rgba = np.random.default_rng(0).integers(0, 256, (20, 30, 4), dtype=np.uint8)
    assert np.array_equal(decode(rgb_to_png(rgba[:, :, :3])), rgba[:, :, :3])


def test_flat_colour_compresses():
    flat = np.full((500, 800, 3), 255, np.uint8)
    assert len(rgb_to_png(flat)) < 10_000  # 1.2 MB of pixels


@pytest.mark.parametrize("bad", [np.zeros((4, 4, 4), np.uint8), np.zeros((4, 4), np.uint8),
                                 np.zeros((4, 4, 3), np.float32), np.zeros((0, 4, 3), np.uint8)])
def test_anything_but_8_bit_rgb_is_refused(bad):
    with pytest.raises(ValueError, match="rgb must be"):
        rgb_to_png(bad)
