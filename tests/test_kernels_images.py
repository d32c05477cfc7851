"""The named kernels and the sample images."""

import io

import numpy as np
import pytest
from scipy import ndimage

from conv2d_lib import conv2d, images, kernels


@pytest.mark.parametrize("name", kernels.names())
def test_every_kernel_is_a_described_fresh_2d_array(name):
    kernel = kernels.get(name)
    assert kernel.ndim == 2 and kernel.dtype == np.float64
    assert len(kernels.describe(name)) > 20
    kernel[...] = 99
    assert not np.all(kernels.get(name) == 99)


@pytest.mark.parametrize("name, total", [("identity", 1), ("box_blur", 1), ("gaussian", 1), ("sharpen", 1),
                                         ("sobel_x", 0), ("laplacian", 0), ("outline", 0), ("emboss", 1)])
def test_kernel_sums(name, total):
    """Blurs keep brightness (sum 1); edge detectors give 0 on flat areas (sum 0)."""
    assert kernels.get(name).sum() == pytest.approx(total)


def test_gaussian_matches_scipy_and_is_symmetric():
    kernel = kernels.get("gaussian", size=7, sigma=1.5)
    assert kernel.shape == (7, 7)
    np.testing.assert_allclose(kernel, kernel.T)
    impulse = np.zeros((7, 7))
    impulse[3, 3] = 1
    # SciPy's Gaussian filter truncated to the same 7x7 support.
    reference = ndimage.gaussian_filter(impulse, 1.5, truncate=3 / 1.5, mode="constant")
    np.testing.assert_allclose(kernel, reference / reference.sum(), atol=1e-12)


def test_sobel_x_sees_vertical_stripes_only():
    vertical = images.stripes(32, 8, "vertical")
    assert np.abs(conv2d(vertical, kernels.get("sobel_x"))).max() > 1
    assert np.abs(conv2d(vertical, kernels.get("sobel_y"))).max() == 0


def test_unknown_kernel_lists_the_names():
    with pytest.raises(ValueError, match="'sobel_x'"):
        kernels.get("sobel")
    with pytest.raises(ValueError, match="odd"):
        kernels.get("gaussian", size=4)


@pytest.mark.parametrize("name", images.photo_names())
def test_photos_load_offline(name):
    image = images.photo(name)
    assert image.ndim == 3 and image.shape[2] == 3 and image.dtype == np.uint8
    assert image.std() > 20  # a real picture, not a blank


def test_synthetic_images():
    assert images.checkerboard(16, 4).shape == (16, 16)
    assert images.checkerboard(16, 4).sum() == 128
    assert images.impulse(9).sum() == 1 and images.impulse(9)[4, 4] == 1
    assert images.shapes(64).shape == (64, 64, 3)
    assert set(np.unique(images.small_numbers())) <= {0, 1, 2}
    assert set(np.unique(images.small_weights(3, 2, 3))) <= {-1, 0, 1}
    assert images.small_weights(3, 2, 3).shape == (2, 3, 3, 3)
    np.testing.assert_allclose(images.to_gray(np.full((2, 2, 3), 100)), 100)


def test_load_image_from_bytes_shrinks_and_drops_alpha():
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.full((600, 300, 4), 200, np.uint8)).save(buffer, format="PNG")
    loaded = images.load_image(buffer.getvalue(), max_size=256)
    assert loaded.shape == (200, 100, 3) and loaded.dtype == np.uint8
    with pytest.raises(ValueError, match="not a picture"):
        images.load_image(b"not a picture")
    with pytest.raises(TypeError, match="source"):
        images.load_image(42)
