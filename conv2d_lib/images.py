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

__all__ = ["photo", "photo_names", "load_image", "read_picture", "checkerboard", "stripes", "shapes", "impulse",
           "small_numbers", "small_weights", "to_gray", "to_unit_floats", "sample", "as_channels", "centre_crop",
           "SAMPLES", "CHANNEL_NAMES", "CHANNEL_LETTERS"]

_PHOTOS = ("cat", "coffee")
#: The largest side of a synthetic pattern (a 4096 x 4096 float64 pattern takes 128 MiB), and the
#: most channels of small numbers or weights: a mistyped size (10**6) is refused at once instead of
#: asking for terabytes.
MAX_PATTERN_SIZE = 4096
MAX_PATTERN_CHANNELS = 64

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


# Pictures are decoded whole, except JPEG, which Pillow can decode at 1/2, 1/4 or 1/8 of its size
# (Image.draft). Beyond this many pixels a picture is refused before any decoding: a 25-megapixel
# picture already takes about 100 MB while it is decoded (Pillow keeps 4 bytes a pixel).
DECODE_LIMIT_PIXELS = 25_000_000
# What Pillow reads, in words a learner recognises (Pillow reads more: these are the common ones).
_FORMATS = "PNG, JPEG, GIF, BMP, TIFF, WebP, ..."
# The EXIF orientation tag, and how to turn a picture upright for each value (as ImageOps.exif_transpose).
_ORIENTATION_TAG = 0x0112
_UPRIGHT = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE",
            6: "ROTATE_270", 7: "TRANSVERSE", 8: "ROTATE_90"}


def load_image(source, max_size=256):
    """Load your own picture (a path or the bytes of an uploaded file) as an array.

    Large pictures are shrunk (by averaging blocks of ``f x f`` pixels, ``f`` the smallest
    whole number that brings the longer side to at most ``max_size``), which keeps the
    sliders live. Phone photos are turned upright as their EXIF orientation says; a
    transparent picture is shown on white; an animated picture gives its first frame;
    16-bit pictures are scaled to 0-255. Needs Pillow (installed with matplotlib).

    Introduced in notebooks/01_images_as_arrays.ipynb.

    Parameters
    ----------
    source : str, pathlib.Path or bytes
        A file path, or the raw bytes of a picture file (PNG, JPEG, GIF, BMP, TIFF, WebP, ...).
    max_size : int, default 256
        The longest side, in pixels, of the array returned.

    Returns
    -------
    ndarray, shape (H, W, 3) or (H, W), uint8
        Colour pictures as RGB, grey ones as 2-D.

    Raises
    ------
    TypeError
        When ``source`` is not a path or bytes, or ``max_size`` not an int.
    ValueError
        When ``max_size`` is below 1, there is no file at ``source``, or the file cannot be
        used as a picture: not a picture Pillow can read, damaged, or more than
        ``DECODE_LIMIT_PIXELS`` pixels (JPEG excepted, up to Pillow's own limit
        ``PIL.Image.MAX_IMAGE_PIXELS``). The message says which, in words.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> file = io.BytesIO()
    >>> Image.new("RGB", (4000, 3000), (200, 120, 40)).save(file, format="PNG")
    >>> load_image(file.getvalue()).shape
    (188, 250, 3)
    """
    return read_picture(source, max_size)[0]


def read_picture(source, max_size=256):
    """:func:`load_image`, plus what happened to the picture on the way, for the learner.

    The explorers' upload button uses it to say, in words, what became of a picture.

    Parameters
    ----------
    source : str, pathlib.Path or bytes
        As for :func:`load_image`.
    max_size : int, default 256
        As for :func:`load_image`.

    Returns
    -------
    array : ndarray, shape (H, W, 3) or (H, W), uint8
    notes : dict
        ``size`` (width, height) of the picture as it is shown (upright), ``shrunk_to``
        (width, height) or None, ``decoded_size`` (what Pillow decoded, smaller than
        the picture for a drafted JPEG), ``format``, and ``changes``: sentences saying what
        was done to the picture (turned upright, shown on white, first frame, ...).

    Raises
    ------
    TypeError, ValueError
        As for :func:`load_image`.
    """
    import io
    import os
    import re
    import warnings

    from PIL import Image

    max_size = check_int(max_size, "max_size", 1)
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(bytes(source))
    elif not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"source must be a file path or bytes, got {type(source).__name__}")
    elif not os.path.isfile(source):
        raise ValueError(f"There is no file {os.fspath(source)!r} in {os.getcwd()} (the notebook's folder): "
                         "check its name, or put the picture there first.")
    empty = source.getbuffer().nbytes == 0 if isinstance(source, io.BytesIO) else os.path.getsize(source) == 0
    if empty:
        raise ValueError("That file is empty (0 bytes): it holds no picture.")
    with warnings.catch_warnings():
        # Between Pillow's limit and twice it, Pillow only warns: this function refuses in words.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            picture = Image.open(source)
        except Image.DecompressionBombError as error:
            claimed = re.search(r"\((\d+) pixels\)", str(error))
            count = f" ({int(claimed.group(1)):,} pixels)" if claimed else ""
            raise ValueError(
                f"That picture says it is enormous{count}: Pillow refuses to open pictures over "
                f"{2 * Image.MAX_IMAGE_PIXELS:,} pixels, which can be made to fill the memory "
                "(a 'decompression bomb'). Use a smaller picture.") from None
        except Image.UnidentifiedImageError:
            raise ValueError(f"That file is not a picture Pillow can read ({_FORMATS}).") from None
        except (OSError, SyntaxError, ValueError) as error:
            raise ValueError(f"That file is not a picture Pillow can read ({_FORMATS}): {error}") from None
    with picture:
        return _decode(picture, max_size)


def _decode(picture, max_size):
    """Decode an opened Pillow picture (no bigger than needed) into uint8 (H, W) or (H, W, 3)."""
    from PIL import Image

    width, height = picture.size
    kind = picture.format or "picture"
    changes = []
    factor = -(-max(width, height) // max_size)  # ceil division: the block side of the averaging
    if factor > 1:
        # JPEG (and the MPO files of some phones) decode at 1/2, 1/4 or 1/8 scale straight from the
        # file, never larger than needed; for other formats draft does nothing.
        picture.draft(picture.mode, (-(-width // factor), -(-height // factor)))
    decoded = picture.size
    factor = -(-max(decoded) // max_size)  # what is left to shrink after the draft
    if decoded[0] * decoded[1] > DECODE_LIMIT_PIXELS:  # checked on the header, before any decoding
        raise ValueError(
            f"That picture is {width:,} x {height:,} pixels ({width * height / 1e6:.0f} megapixels); "
            f"{kind} pictures up to {DECODE_LIMIT_PIXELS / 1e6:.0f} megapixels can be used. "
            "Save a smaller copy (or a JPEG) and pick that.")
    try:
        frames = getattr(picture, "n_frames", 1)
        picture.seek(0)
        picture.load()
        # Read after decoding: a PNG may keep its EXIF after the pixels.
        upright = _UPRIGHT.get(picture.getexif().get(_ORIENTATION_TAG, 1))
        array, notes = _as_uint8(picture, factor, changes)
    except MemoryError:
        raise ValueError(f"That {width:,} x {height:,} picture does not fit in the memory left: "
                         "use a smaller picture.") from None
    except Exception as error:  # Pillow raises many kinds on a damaged file (OSError, EOFError, ...)
        raise ValueError(f"That {kind} file is damaged or cut short: Pillow could not decode it "
                         f"({type(error).__name__}: {error}).") from None
    turned = upright in ("TRANSPOSE", "ROTATE_270", "TRANSVERSE", "ROTATE_90")
    shown = (height, width) if turned else (width, height)
    if frames > 1:
        changes.append(f"it holds {frames} frames (an animation, or several pictures in one file): "
                       "the first is used")
    if upright is not None:
        method = getattr(getattr(Image, "Transpose", Image), upright)
        array = np.ascontiguousarray(np.asarray(Image.fromarray(array).transpose(method)))
        changes.append("turned upright, as the camera recorded (EXIF orientation)")
    size = (array.shape[1], array.shape[0])
    return array, {"size": shown, "shrunk_to": size if size != shown else None,
                   "decoded_size": decoded, "format": picture.format, "changes": changes + notes}


def _as_uint8(picture, factor, changes):
    """The decoded picture, shrunk by ``factor`` (block means), as a uint8 array; notes on its mode."""
    notes = []
    mode = picture.mode
    sixteen = mode.startswith("I;16")  # 16 bits per pixel for sure ("I" may hold anything)
    if mode in ("1", "P", "PA", "CMYK", "YCbCr", "LAB", "HSV", "RGBX", "RGBa", "La"):
        if mode == "CMYK":
            notes.append("its CMYK (print) colours were turned into RGB")
        has_alpha = mode in ("PA", "RGBa", "La") or (mode == "P" and "transparency" in picture.info)
        target = {"1": "L", "La": "LA"}.get(mode, "RGBA" if has_alpha else "RGB")
        picture = picture.convert(target)
    elif mode.startswith("I;16"):
        picture = picture.convert("I")
    mode = picture.mode
    if factor > 1 and mode in ("L", "LA", "RGB", "RGBA", "I", "F"):
        picture = picture.reduce(factor)  # block means over factor x factor pixels (premultiplied alpha)
    elif factor > 1:
        picture = picture.convert("RGB").reduce(factor)
        mode = "RGB"
    if mode in ("LA", "RGBA"):
        values = np.asarray(picture, dtype=float)
        alpha = values[..., -1:] / 255.0
        if (alpha < 1.0).any():
            notes.append("its transparent parts are shown on white")
        array = values[..., :-1] * alpha + 255.0 * (1.0 - alpha)
        array = np.round(array[..., 0] if mode == "LA" else array).astype(np.uint8)
    elif mode in ("I", "F"):
        values = np.asarray(picture, dtype=float)
        low, high = float(values.min()), float(values.max())
        if mode == "I" and low >= 0 and (sixteen or 255 < high <= 65535):
            array = np.round(values / 257.0)  # 16 bits per pixel: 0-65535 onto 0-255
            notes.append("its 16-bit grey levels (0-65535) were scaled to 0-255")
        elif mode == "I" and low >= 0 and high <= 255:
            array = values  # whole numbers already on 0-255
        elif mode == "F" and low >= 0 and high <= 1:
            array = np.round(values * 255.0)
        else:
            span = high - low or 1.0
            array = np.round((values - low) / span * 255.0)
            notes.append(f"its values, from {low:.4g} to {high:.4g}, were stretched to 0-255")
        array = array.astype(np.uint8)
    elif mode in ("L", "RGB"):
        array = np.asarray(picture, dtype=np.uint8)
    else:
        array = np.asarray(picture.convert("RGB"), dtype=np.uint8)
    return np.ascontiguousarray(array), notes


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
        When a size is below its minimum or above MAX_PATTERN_SIZE (4096).

    Examples
    --------
    >>> checkerboard(4, 2)
    array([[0., 0., 1., 1.],
           [0., 0., 1., 1.],
           [1., 1., 0., 0.],
           [1., 1., 0., 0.]])
    """
    size, square = check_int(size, "size", 1, MAX_PATTERN_SIZE), check_int(square, "square", 1)
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
        When a size is below its minimum or above MAX_PATTERN_SIZE (4096), or ``direction`` is another word.
    """
    size, period = check_int(size, "size", 1, MAX_PATTERN_SIZE), check_int(period, "period", 2)
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
        When a size is below its minimum or above MAX_PATTERN_SIZE (4096).
    """
    size = check_int(size, "size", 16, MAX_PATTERN_SIZE)
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
        When a size is below its minimum or above MAX_PATTERN_SIZE (4096).
    """
    size = check_int(size, "size", 1, MAX_PATTERN_SIZE)
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
        When a size is below its minimum, above MAX_PATTERN_SIZE (4096) or MAX_PATTERN_CHANNELS (64).
    """
    size = check_int(size, "size", 1, MAX_PATTERN_SIZE)
    shape = (size, size) if channels is None else (size, size, check_int(channels, "channels", 1, MAX_PATTERN_CHANNELS))
    _check_pattern_shape(shape)
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
        When a size is below 1 or above its limit (MAX_PATTERN_SIZE, MAX_PATTERN_CHANNELS), or only one of ``c_out`` and ``c_in`` is given.
    """
    size = check_int(size, "size", 1, MAX_PATTERN_SIZE)
    if (c_out is None) != (c_in is None):
        raise ValueError(f"c_out and c_in go together: give both (for weights (c_out, c_in, size, size)) or "
                         f"neither (for one (size, size) kernel), got c_out={c_out!r}, c_in={c_in!r}")
    shape = (size, size) if c_out is None else (
        check_int(c_out, "c_out", 1, MAX_PATTERN_CHANNELS), check_int(c_in, "c_in", 1, MAX_PATTERN_CHANNELS), size, size)
    _check_pattern_shape(shape)
    return np.random.default_rng(seed).integers(-1, 2, shape).astype(float)


def _check_pattern_shape(shape):
    """Refuse a pattern of more numbers than a MAX_PATTERN_SIZE x MAX_PATTERN_SIZE one."""
    count, most = int(np.prod(shape, dtype=object)), MAX_PATTERN_SIZE**2
    if count > most:
        raise ValueError(f"size, channels: a pattern of shape {shape} would hold {count:,} numbers; "
                         f"at most {most:,} (MAX_PATTERN_SIZE ** 2)")


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
