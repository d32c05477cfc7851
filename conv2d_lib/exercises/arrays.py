"""Checkers for notebooks/01_images_as_arrays.ipynb."""

from __future__ import annotations

import numpy as np

from .. import images
from ._feedback import Feedback, _not_answered, _show, check_function, check_value


def check_shape_of_rgb_image(answer):
    """The NumPy shape of an RGB picture 64 pixels wide and 48 pixels tall: ``(48, 64, 3)``."""
    what = "the shape of a 64 pixels wide, 48 pixels tall RGB image"
    if not _not_answered(answer):
        try:
            given = tuple(int(n) for n in answer)
        except (TypeError, ValueError):
            given = None
        hints = {
            (64, 48, 3): "Rows come first: the height (48 rows), then the width (64 columns), then the channels.",
            (3, 48, 64): "That is PyTorch's order (C, H, W). NumPy and matplotlib keep the channels last.",
            (3, 64, 48): "Channels go last in NumPy, and rows (the height) come before columns.",
            (48, 64): "That is a grey image. An RGB image has a third axis for its 3 channels.",
            (64, 48): "An RGB image needs a third axis for its 3 channels, and rows (the height) come first.",
        }
        if given in hints:
            return Feedback(False, f"You gave {_show(answer)} for {what}. {hints[given]}")
    return check_value(answer, (48, 64, 3), what,
                       "The shape is (rows, columns, channels) = (height, width, 3).")


def check_green_value(answer):
    """The green value of the cat photo's pixel at row 10, column 20: ``cat[10, 20, 1]``."""
    cat = images.photo("cat")
    right = int(cat[10, 20, 1])
    what = "the green value of the pixel at row 10, column 20"
    if _not_answered(answer):
        return Feedback(False, f"Replace the ... with {what}.")
    if np.ndim(answer) != 0:
        return Feedback(False, f"You gave {_show(np.asarray(answer))}: that is more than one number. "
                               "Give three indices, image[row, column, channel], to get one value.")
    mistakes = [
        (cat[20, 10, 1], "That is the pixel at row 20, column 10: the row comes first, cat[10, 20, 1]."),
        (cat[10, 20, 0], "That is the red value: the channels are numbered R = 0, G = 1, B = 2."),
        (cat[10, 20, 2], "That is the blue value: the channels are numbered R = 0, G = 1, B = 2."),
        (cat[20, 10, 0], "Check both the order (row first) and the channel number (green is 1)."),
    ]
    if answer == right:
        return Feedback(True, f"{what[0].upper() + what[1:]} is {right}: cat[10, 20, 1].")
    for value, hint in mistakes:
        if answer == value and value != right:
            return Feedback(False, f"You gave {_show(answer)}. {hint}")
    return Feedback(False, f"You gave {_show(answer)} for {what}. Index the array as cat[row, column, channel].")


def _float_cases():
    rng = np.random.default_rng(1)
    tiny = np.array([[[0, 128, 255]]], dtype=np.uint8)
    block = rng.integers(0, 256, (4, 5, 3)).astype(np.uint8)
    return [((tiny,), tiny / 255.0), ((block,), block / 255.0)]


def check_to_float(function):
    """``function(image)``: a uint8 image as floats in [0, 1] (0 stays 0, 255 becomes 1)."""
    if function is None or not callable(function):
        return Feedback(False, "Write a function that turns a uint8 image into floats in [0, 1].")
    tiny = np.array([[[0, 128, 255]]], dtype=np.uint8)
    try:
        result = function(tiny.copy())
    except NotImplementedError:
        result = None
    except Exception:  # the learner's code: check_function below reports it in words
        result = None
    if isinstance(result, np.ndarray) and result.shape == tiny.shape:
        if result.dtype.kind in "iu":
            return Feedback(False, f"For [0, 128, 255] your function gave {_show(result)}, still whole numbers "
                                   f"(dtype {result.dtype}). Divide with / (not //) so that NumPy makes floats.")
        if np.allclose(result, tiny):
            return Feedback(False, "Your function makes floats but keeps the values 0 to 255; divide by 255 too.")
    return check_function(function, _float_cases(), "the image as floats in [0, 1]",
                          reference="Divide by 255: image / 255 makes floats, 0 stays 0 and 255 becomes 1.")


def _crop_cases():
    image = np.arange(6 * 7 * 3).reshape(6, 7, 3)
    cases = []
    for top, left, size in [(1, 2, 3), (0, 0, 2), (3, 4, 3)]:
        cases.append(((image, top, left, size), image[top:top + size, left:left + size]))
    return cases


def check_crop(function):
    """``function(image, top, left, size)``: the ``size x size`` patch with ``image[top, left]`` as top-left pixel."""
    if function is None or not callable(function):
        return Feedback(False, "Write a function that cuts a size x size patch out of the image.")
    image = np.arange(6 * 7 * 3).reshape(6, 7, 3)
    try:
        result = np.asarray(function(image, 1, 2, 3))
    except Exception:  # the learner's code: check_function below reports it in words
        result = None
    if result is not None and result.shape == (3, 3, 3):
        if np.array_equal(result, image[2:5, 1:4]):
            return Feedback(False, "Your patch starts at row `left` and column `top`: the rows come first, "
                                   "image[top:top + size, left:left + size].")
    if result is not None and result.shape == (4, 4, 3):
        return Feedback(False, "Your patch is one pixel too large: a slice a:b stops before b, "
                               "so top:top + size has exactly size rows.")
    if result is not None and result.shape == (3, 3):
        return Feedback(False, "Your patch lost its channels: keep all of them (the third index can stay empty).")
    return check_function(function, _crop_cases(), "the size x size patch at (top, left)",
                          reference="Slice rows, then columns: image[top:top + size, left:left + size].")
