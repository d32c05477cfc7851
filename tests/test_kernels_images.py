"""The named kernels and the sample images."""

import inspect
import io

import numpy as np
import pytest
from scipy import ndimage

from conv2d_lib import conv2d, images, kernels


@pytest.mark.parametrize("name", kernels.names())
def test_every_kernel_is_a_described_fresh_2d_array(name):
    kernel = kernels.get(name)
    assert kernel.ndim == 2 and kernel.dtype == np.float64
    # The description names the kernel's shape: "3x3" for the fixed ones, "(size, size)" for the sized ones.
    function = getattr(kernels, name.replace("-", "minus_"))  # "-sobel_x" is kernels.minus_sobel_x
    sized = "size" in inspect.signature(function).parameters
    assert ("(size, size)" if sized else f"{kernel.shape[0]}x{kernel.shape[1]}") in kernels.describe(name)
    assert "\n" not in kernels.describe(name)  # one line, for the gallery and lesson 02's list
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
    edges = conv2d(vertical, kernels.get("sobel_x"))
    np.testing.assert_array_equal(edges, ndimage.correlate(vertical, kernels.get("sobel_x"))[1:-1, 1:-1])
    assert edges.max() == 4 and edges.min() == -4  # a step of 1 times the column weights 1 + 2 + 1
    assert np.abs(conv2d(vertical, kernels.get("sobel_y"))).max() == 0


def test_from_menu():
    np.testing.assert_array_equal(kernels.from_menu("sobel_x"), kernels.sobel_x())
    np.testing.assert_array_equal(kernels.from_menu(kernels.SMALL_WEIGHTS), images.small_weights())
    np.testing.assert_array_equal(kernels.from_menu(kernels.SMALL_WEIGHTS, seed=3), images.small_weights(3, seed=3))
    assert not np.array_equal(kernels.from_menu(kernels.SMALL_WEIGHTS, seed=3), images.small_weights())


def test_to_unit_floats_and_centre_crop():
    photo = images.photo("cat")
    scaled = images.to_unit_floats(photo)
    assert scaled.dtype == np.float64 and scaled.max() <= 1.0
    np.testing.assert_allclose(scaled * 255, photo)
    np.testing.assert_allclose(images.to_unit_floats(photo.astype(float)), scaled)  # a photo loaded as floats
    np.testing.assert_array_equal(images.to_unit_floats(images.small_numbers()), images.small_numbers())
    np.testing.assert_array_equal(images.sample("cat"), scaled)
    grid = np.arange(7 * 6).reshape(7, 6)
    np.testing.assert_array_equal(images.centre_crop(grid, 3), grid[2:5, 1:4])
    np.testing.assert_array_equal(images.centre_crop(grid, 10), grid)
    np.testing.assert_array_equal(images.centre_crop(grid, 6), grid[0:6, :])


def test_unknown_kernel_lists_the_names():
    with pytest.raises(ValueError, match="'sobel_x'"):
        kernels.get("sobel")
    with pytest.raises(ValueError, match="odd"):
        kernels.get("gaussian", size=4)


@pytest.mark.parametrize("name", images.photo_names())
def test_photos_load_offline(name):
    image = images.photo(name)
    assert image.ndim == 3 and image.shape[2] == 3 and image.dtype == np.uint8
    # The same pixels as the PNG copy in assets/ (read by Pillow, not by our loader).
    from pathlib import Path

    from PIL import Image

    copy = np.asarray(Image.open(Path(__file__).resolve().parents[1] / "assets" / f"photo_{name}.png"))
    np.testing.assert_array_equal(image, copy[..., :3])


def test_synthetic_images():
    board = images.checkerboard(16, 4)
    assert board.shape == (16, 16) and board.sum() == 128
    assert board[0, 0] == board[4, 4] == 0 and board[0, 4] == board[4, 0] == board[3, 7] == 1
    shapes = images.shapes(64)
    assert shapes[int(0.3 * 64), int(0.28 * 64)].tolist() == [1, 0, 0]  # the red square
    assert shapes[int(0.68 * 64), int(0.3 * 64)].tolist() == [0, 1, 0]  # the green disc
    assert images.impulse(9).sum() == 1 and images.impulse(9)[4, 4] == 1
    assert images.shapes(64).shape == (64, 64, 3)
    assert set(np.unique(images.small_numbers())) <= {0, 1, 2}
    assert set(np.unique(images.small_weights(3, 2, 3))) <= {-1, 0, 1}
    assert images.small_weights(3, 2, 3).shape == (2, 3, 3, 3)
    np.testing.assert_allclose(images.to_gray(np.full((2, 2, 3), 100)), 100)
    red, green = np.zeros((1, 1, 3)), np.zeros((1, 1, 3))
    red[..., 0], green[..., 1] = 1.0, 1.0
    assert images.to_gray(red)[0, 0] == pytest.approx(0.299) and images.to_gray(green)[0, 0] == pytest.approx(0.587)
    assert set(np.unique(images.small_weights(3, 2, 3))) == {-1, 0, 1}
    np.testing.assert_array_equal(images.small_numbers(seed=4), images.small_numbers(seed=4))
    assert not np.array_equal(images.small_numbers(seed=4), images.small_numbers(seed=5))


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
