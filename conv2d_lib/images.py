"""Sample images: two small photos shipped with the package, synthetic patterns, and your own.

The photos are stored as ``.npz`` inside the package (so that they load offline,
with NumPy alone, also when the package is installed without this repository);
their PNG copies, source and licence are in ``assets/`` (see assets/SOURCES.md).

Introduced in notebooks/01_images_as_arrays.ipynb.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from ._checks import check_array, check_choice, check_int

__all__ = ["photo", "photo_names", "load_image", "checkerboard", "stripes", "shapes", "impulse",
           "small_numbers", "small_weights", "to_gray", "to_unit_floats", "sample", "as_channels", "centre_crop",
           "SAMPLES", "CHANNEL_NAMES", "CHANNEL_LETTERS"]

_PHOTOS = ("cat", "coffee")

#: The channels of an RGB image, in order: ``image[:, :, 0]`` is red.
CHANNEL_NAMES = ("red", "green", "blue")
#: Their one-letter names, as figures and printed stacks label them.
CHANNEL_LETTERS = ("R", "G", "B")


def photo_names():
    """Names accepted by :func:`photo`.

    Returns
    -------
    list of str
    """
    return list(_PHOTOS)


def photo(name="cat"):
    """A small natural RGB photo.

    Parameters
    ----------
    name : {"cat", "coffee"}
        ``"cat"`` is Chelsea the cat (150 x 225), ``"coffee"`` a coffee cup (200 x 300);
        both CC0, from scikit-image's sample data, halved in size.

    Returns
    -------
    ndarray, shape (H, W, 3), uint8
        Values 0 to 255, channels red, green, blue.

    Raises
    ------
    ValueError
        When ``name`` is not one of :func:`photo_names`.

    Examples
    --------
    >>> photo().shape, photo().dtype
    ((150, 225, 3), dtype('uint8'))
    """
    check_choice(name, "name", _PHOTOS)
    with resources.files("conv2d_lib").joinpath("data", f"{name}.npz").open("rb") as file:
        return np.load(file)["image"]


def load_image(source, max_size=256):
    """Load your own picture (a path or the bytes of an uploaded file) as an array.

    Large pictures are shrunk (by block averaging) so that the longer side is at most
    ``max_size`` pixels, which keeps the sliders live. Needs matplotlib (Pillow),
    which the notebooks install anyway.

    Parameters
    ----------
    source : str, pathlib.Path or bytes
        A file path, or the raw bytes of a PNG or JPEG file.
    max_size : int, default 256

    Returns
    -------
    ndarray, shape (H, W, 3) or (H, W), uint8
        Colour pictures as RGB (any alpha channel dropped), grey ones as 2-D.

    Raises
    ------
    TypeError
        When ``source`` is not a path or bytes.
    ValueError
        When the file cannot be read as a picture.
    """
    import io
    import os

    from PIL import Image

    max_size = check_int(max_size, "max_size", 1)
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(bytes(source))
    elif not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"source must be a file path or bytes, got {type(source).__name__}")
    try:
        with Image.open(source) as picture:
            picture = picture.convert("L" if picture.mode in ("L", "I", "F", "1") else "RGB")
            array = np.asarray(picture, dtype=np.uint8)
    except (OSError, Image.UnidentifiedImageError) as error:
        raise ValueError(f"source could not be read as a picture: {error}") from None
    factor = -(-max(array.shape[:2]) // max_size)  # ceil division
    if factor > 1:
        h, w = array.shape[0] // factor * factor, array.shape[1] // factor * factor
        blocks = array[:h, :w].reshape(h // factor, factor, w // factor, factor, *array.shape[2:])
        array = np.round(blocks.mean(axis=(1, 3))).astype(np.uint8)
    return array


def checkerboard(size=64, square=8):
    """Black and white squares, shape (size, size), float64 in {0, 1}.

    Parameters
    ----------
    size : int, default 64
    square : int, default 8
        Side of one square in pixels; the top-left square is black.

    Returns
    -------
    ndarray, shape (size, size), float64

    Raises
    ------
    TypeError
        When a size is not an int.
    ValueError
        When a size is below its minimum.

    Examples
    --------
    >>> checkerboard(4, 2)
    array([[0., 0., 1., 1.],
           [0., 0., 1., 1.],
           [1., 1., 0., 0.],
           [1., 1., 0., 0.]])
    """
    size, square = check_int(size, "size", 1), check_int(square, "square", 1)
    rows = np.arange(size) // square
    return ((rows[:, None] + rows[None, :]) % 2).astype(float)


def stripes(size=64, period=8, direction="vertical"):
    """Stripes of width ``period / 2``, shape (size, size), float64 in {0, 1}.

    ``direction="vertical"`` gives vertical stripes (brightness changes left to right),
    which Sobel x sees and Sobel y does not; ``"horizontal"`` the other way round.

    Parameters
    ----------
    size : int, default 64
    period : int, default 8
        One dark and one bright stripe, >= 2.
    direction : {"vertical", "horizontal"}

    Returns
    -------
    ndarray, shape (size, size), float64

    Raises
    ------
    TypeError
        When a size is not an int.
    ValueError
        When a size is below its minimum, or ``direction`` is another word.
    """
    size, period = check_int(size, "size", 1), check_int(period, "period", 2)
    check_choice(direction, "direction", ("vertical", "horizontal"))
    band = ((np.arange(size) % period) < period // 2).astype(float)
    pattern = np.tile(band, (size, 1))
    return pattern if direction == "vertical" else pattern.T.copy()


def shapes(size=64):
    """A square, a disc and a triangle on black, shape (size, size, 3), float64 in [0, 1].

    Each shape has its own colour (red square, green disc, blue triangle), so the
    channels differ, which the multi-channel lesson uses.

    Parameters
    ----------
    size : int, default 64
        >= 16.

    Returns
    -------
    ndarray, shape (size, size, 3), float64

    Raises
    ------
    TypeError
        When a size is not an int.
    ValueError
        When a size is below its minimum.
    """
    size = check_int(size, "size", 16)
    rows, cols = np.mgrid[0:size, 0:size] / size
    image = np.zeros((size, size, 3))
    image[..., 0] = (abs(rows - 0.3) < 0.18) & (abs(cols - 0.28) < 0.18)
    image[..., 1] = (rows - 0.68) ** 2 + (cols - 0.3) ** 2 < 0.2**2
    image[..., 2] = (rows > 0.2) & (rows < 0.85) & (abs(cols - 0.72) < (rows - 0.2) * 0.35)
    return image


def impulse(size=9):
    """One bright pixel in the middle of a black image, shape (size, size), float64.

    Cross-correlating it with a kernel paints the kernel, flipped; true convolution
    paints it as it is: the clearest way to see the difference.

    Parameters
    ----------
    size : int, default 9

    Returns
    -------
    ndarray, shape (size, size), float64

    Raises
    ------
    TypeError
        When a size is not an int.
    ValueError
        When a size is below its minimum.
    """
    size = check_int(size, "size", 1)
    image = np.zeros((size, size))
    image[size // 2, size // 2] = 1.0
    return image


def small_numbers(size=5, channels=None, seed=0):
    """An image of small whole numbers in {0, 1, 2}, for checking outputs by mental arithmetic.

    Parameters
    ----------
    size : int, default 5
    channels : int or None, default None
        None gives a 2-D image.
    seed : int, default 0

    Returns
    -------
    ndarray, shape (size, size) or (size, size, channels), float64

    Raises
    ------
    TypeError
        When a size is not an int.
    ValueError
        When a size is below its minimum.
    """
    size = check_int(size, "size", 1)
    shape = (size, size) if channels is None else (size, size, check_int(channels, "channels", 1))
    return np.random.default_rng(seed).integers(0, 3, shape).astype(float)


def small_weights(size=3, c_out=None, c_in=None, seed=0):
    """Kernel weights in {-1, 0, 1}, to go with :func:`small_numbers`.

    Parameters
    ----------
    size : int, default 3
    c_out, c_in : int or None, default None
        ``C_out`` and ``C_in`` for a weight stack; both None for one 2-D kernel.
    seed : int, default 0

    Returns
    -------
    ndarray, shape (size, size) or (c_out, c_in, size, size), float64

    Raises
    ------
    TypeError
        When a size is not an int.
    ValueError
        When a size is below 1, or only one of ``c_out`` and ``c_in`` is given.
    """
    size = check_int(size, "size", 1)
    if (c_out is None) != (c_in is None):
        raise ValueError(f"c_out and c_in go together: give both (for weights (c_out, c_in, size, size)) or "
                         f"neither (for one (size, size) kernel), got c_out={c_out!r}, c_in={c_in!r}")
    shape = (size, size) if c_out is None else (
        check_int(c_out, "c_out", 1), check_int(c_in, "c_in", 1), size, size)
    return np.random.default_rng(seed).integers(-1, 2, shape).astype(float)


def to_gray(image):
    """Luminance of an RGB image (ITU-R BT.601 weights), or a grey image unchanged, as float64.

    Parameters
    ----------
    image : ndarray, shape (H, W, 3) or (H, W)

    Returns
    -------
    ndarray, shape (H, W), float64, on the same scale as ``image``

    Raises
    ------
    TypeError
        When ``image`` is not a real ndarray.
    ValueError
        When ``image`` is not ``(H, W)`` or ``(H, W, 3)``.
    """
    image = check_array(image, "image", (2, 3), "(H, W) or (H, W, 3)")
    if image.ndim == 2:
        return image.astype(float)
    if image.shape[2] != 3:
        raise ValueError(f"image must have 3 channels (RGB) to turn grey, got shape {image.shape}")
    return image.astype(float) @ np.array([0.299, 0.587, 0.114])


SAMPLES = ("cat", "coffee", "shapes", "checkerboard", "stripes", "impulse", "small numbers")


def sample(name="cat", gray=False):
    """Any sample image by name, as floats ready to convolve.

    Parameters
    ----------
    name : str
        One of :data:`SAMPLES`: the photos (scaled to [0, 1]), the synthetic
        patterns, or ``"small numbers"`` (5 x 5, values in {0, 1, 2}).
    gray : bool, default False
        True gives ``(H, W)``; False gives ``(H, W, 3)`` (grey patterns repeated
        on three channels, so every sample works in the multi-channel lesson).

    Returns
    -------
    ndarray, shape (H, W) or (H, W, 3), float64

    Raises
    ------
    ValueError
        When ``name`` is not one of :data:`SAMPLES`.

    Examples
    --------
    >>> sample("impulse", gray=True).shape
    (9, 9)
    >>> sample("small numbers").shape
    (5, 5, 3)
    """
    check_choice(name, "name", SAMPLES)
    makers = {
        "cat": lambda: to_unit_floats(photo("cat")),
        "coffee": lambda: to_unit_floats(photo("coffee")),
        "shapes": lambda: shapes(64),
        "checkerboard": lambda: checkerboard(32, 4),
        "stripes": lambda: stripes(32, 8),
        "impulse": lambda: impulse(9),
        "small numbers": lambda: small_numbers(5, channels=None if gray else 3),
    }
    image = makers[name]()
    return as_channels(image, gray)


def to_unit_floats(image):
    """Pixels as float64 in [0, 1]: 0-255 pixels are divided by 255, other images kept as they are.

    An image counts as 0-255 pixels when it is uint8, or when its largest value is
    above 2 (a photo loaded as floats). Patterns already in [0, 1] and the "small
    numbers" (0, 1, 2) keep their values.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C)

    Returns
    -------
    ndarray, same shape, float64

    Raises
    ------
    TypeError
        When ``image`` is not a real-valued ndarray.
    ValueError
        When ``image`` is empty or has neither 2 nor 3 dimensions.

    Examples
    --------
    >>> to_unit_floats(np.array([[0, 51, 255]], np.uint8))
    array([[0. , 0.2, 1. ]])
    >>> to_unit_floats(np.array([[0.0, 2.0]]))       # small numbers stay small numbers
    array([[0., 2.]])
    """
    image = check_array(image, "image", (2, 3), "(H, W) or (H, W, C)")
    if image.dtype == np.uint8 or image.max() > 2.0:
        return image / 255.0
    return image.astype(float)


def centre_crop(image, size):
    """The central ``size x size`` part of an image (all of it along an axis shorter than ``size``).

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C)
    size : int
        >= 1.

    Returns
    -------
    ndarray, shape (min(H, size), min(W, size)) or (min(H, size), min(W, size), C)
        A view of ``image``.

    Raises
    ------
    TypeError
        When ``image`` is not a real ndarray or ``size`` not an int.
    ValueError
        When ``size`` is below 1 or ``image`` has the wrong number of dimensions.

    Examples
    --------
    >>> centre_crop(np.arange(16).reshape(4, 4), 2)
    array([[ 5,  6],
           [ 9, 10]])
    """
    image = check_array(image, "image", (2, 3), "(H, W) or (H, W, C)")
    size = check_int(size, "size", 1)
    H, W = image.shape[:2]
    top, left = max(0, (H - size) // 2), max(0, (W - size) // 2)
    return image[top:top + size, left:left + size]


def as_channels(image, gray):
    """``image`` as ``(H, W)`` (``gray=True``, luminance) or ``(H, W, 3)`` floats.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, 3)
    gray : bool

    Returns
    -------
    ndarray, shape (H, W) or (H, W, 3), float64

    Raises
    ------
    ValueError
        When ``image`` is neither ``(H, W)`` nor ``(H, W, 3)``.
    """
    image = np.asarray(image, dtype=float)
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] != 3):
        raise ValueError(f"image must have shape (H, W) or (H, W, 3), got shape {image.shape}")
    if gray:
        return to_gray(image) if image.ndim == 3 else image
    return image if image.ndim == 3 else np.repeat(image[:, :, np.newaxis], 3, axis=2)
