"""Checkers and reference solutions for notebooks/01_images_as_arrays.ipynb."""

from __future__ import annotations

import numpy as np

from .. import images
from ._feedback import (Feedback, _not_answered, _show, call, check_function, counts_tries, empty, int_tuple,
                        is_number, is_stub, number_tuple, same_numbers)
from ._solutions import Solution, Solutions

_SHAPE_WHAT = "the shape of a 64 pixels wide, 48 pixels tall RGB image"


@counts_tries
def check_shape_of_rgb_image(answer):
    """The NumPy shape of an RGB picture 64 pixels wide and 48 pixels tall: ``(48, 64, 3)``.

    Parameters
    ----------
    answer : tuple of int
        A list or a 1-D integer array counts too; floats do not (NumPy refuses them as a shape).

    Returns
    -------
    Feedback
    """
    if _not_answered(answer):
        return empty("the shape, a tuple of three numbers")
    expected = (48, 64, 3)
    rows_first = "NumPy counts rows (the height) first, then columns (the width), then the channels."
    reveal = "(48, 64, 3): 48 rows, 64 columns, 3 channels."
    given = int_tuple(answer)
    if given is None:
        numbers = number_tuple(answer)
        if numbers is not None and all(float(n).is_integer() for n in numbers):
            return Feedback(False, f"You gave {_show(answer)}: a shape holds whole numbers of type int "
                                   "(NumPy refuses np.zeros((48.0, 2.0))). Write them without a decimal point.",
                            reveal)
        return Feedback(False, f"You gave {_show(answer)}. Write the shape as a tuple of whole numbers, "
                               "like (2, 5, 1).", reveal)
    if given == expected:
        return Feedback(True, "48 rows, 64 columns and 3 channels: (48, 64, 3).")
    hints = {
        (64, 48, 3): "Rows come first: " + rows_first,
        (3, 48, 64): "That is PyTorch's order (C, H, W). NumPy and matplotlib keep the channels last.",
        (3, 64, 48): "Channels go last in NumPy, and rows (the height) come before columns.",
        (48, 64): "That is the shape of a grey image. An RGB image has a third axis for its channels.",
        (64, 48): "An RGB image needs a third axis for its channels, and the rows (the height) come first.",
    }
    hint = hints.get(given, rows_first)
    return Feedback(False, f"You gave {given} for {_SHAPE_WHAT}. {hint}", reveal)


@counts_tries
def check_green_value(answer):
    """The green value of the cat photo's pixel at row 10, column 20: ``cat[10, 20, 1]``.

    Parameters
    ----------
    answer : int or NumPy integer

    Returns
    -------
    Feedback
    """
    cat = images.photo("cat")
    right = int(cat[10, 20, 1])
    what = "the green value of the pixel at row 10, column 20"
    if _not_answered(answer):
        return empty("the value (index the array cat)")
    reveal = f"cat[10, 20, 1] = {right}: row 10, column 20, channel 1 (green)."
    if isinstance(answer, np.ndarray) and answer.ndim > 0 or isinstance(answer, (list, tuple)):
        return Feedback(False, f"You gave {_show(answer)}: that is more than one number. "
                               "Give three indices, image[row, column, channel], to get one value.", reveal)
    if isinstance(answer, np.ndarray):
        answer = answer[()]
    if not is_number(answer):
        return Feedback(False, f"You gave {_show(answer)}: give one number, read from the array cat.", reveal)
    if answer == right:
        return Feedback(True, f"{what[0].upper() + what[1:]} is {right}: cat[10, 20, 1].")
    mistakes = [
        (cat[20, 10, 1], "That is the pixel at row 20, column 10: in image[a, b, c] the first index is the row."),
        (cat[10, 20, 0], "That is the red value: the channels are numbered from 0, in the order R, G, B."),
        (cat[10, 20, 2], "That is the blue value: the channels are numbered from 0, in the order R, G, B."),
        (cat[20, 10, 0], "Check both the order of the indices (row first) and the channel number."),
        (cat[20, 10, 2], "Check both the order of the indices (row first) and the channel number."),
    ]
    matches = [hint for value, hint in mistakes if answer == value]
    hint = matches[0] if len(matches) == 1 else \
        "Index the array as cat[row, column, channel]; the channels are numbered from 0, in the order R, G, B."
    return Feedback(False, f"You gave {_show(answer)} for {what}. {hint}", reveal)


def _float_cases():
    rng = np.random.default_rng(1)
    tiny = np.array([[[0, 128, 255]]], dtype=np.uint8)
    block = rng.integers(0, 256, (4, 5, 3)).astype(np.uint8)
    return [((tiny,), tiny / 255.0), ((block,), block / 255.0)]


@counts_tries
def check_to_float(function):
    """``function(image)``: a uint8 image as floats in [0, 1] (0 stays 0, 255 becomes 1).

    Any float dtype is right (float16 to float16's precision); whole numbers are not.

    Parameters
    ----------
    function : callable
        The learner's ``to_float``.

    Returns
    -------
    Feedback
    """
    reveal = "return image / 255: `/` always makes floats, 0 stays 0 and 255 becomes 1."
    if _not_answered(function) or (callable(function) and is_stub(function)):
        return empty("your function's code")
    if callable(function):
        tiny = np.array([[[0, 128, 255]]], dtype=np.uint8)
        result, error = call(function, (tiny,))
        if error is None and result is not None and not isinstance(result, np.ndarray):
            return Feedback(False, f"For a (1, 1, 3) image your function returned {_show(result)}: return "
                                   "an array of the image's shape.", reveal)
        if isinstance(result, np.ndarray) and result.shape == tiny.shape:
            if result.dtype.kind in "iub":
                return Feedback(False, f"For [0, 128, 255] your function gave {_show(result)}, still whole numbers "
                                       f"(dtype {result.dtype}). Which Python division makes floats?", reveal)
            if result.dtype.kind != "f":
                return Feedback(False, f"Your function returns an array of dtype {result.dtype}: return floats.",
                                reveal)
            if same_numbers(result, tiny):
                return Feedback(False, "Your function makes floats but keeps the values 0 to 255: the largest "
                                       "pixel value should become 1.", reveal)
            if same_numbers(result, tiny / 256):
                return Feedback(False, f"255 became {float(result.flat[2]):.4g}, not 1: divide by the largest "
                                       "value a uint8 pixel can have.", reveal)
    return check_function(function, _float_cases(), "the image as floats in [0, 1]",
                          hint="0 should stay 0 and the largest uint8 value should become 1.",
                          answer_text=reveal)


def _crop_cases():
    image = np.arange(6 * 7 * 3).reshape(6, 7, 3) * 0.5
    return [((image, top, left, size), image[top:top + size, left:left + size])
            for top, left, size in [(1, 2, 3), (0, 0, 2), (3, 4, 3), (2, 0, 4)]]


@counts_tries
def check_crop(function):
    """``function(image, top, left, size)``: the ``size x size`` patch with ``image[top, left]`` as top-left pixel.

    Parameters
    ----------
    function : callable
        The learner's ``crop``.

    Returns
    -------
    Feedback
    """
    reveal = "return image[top:top + size, left:left + size]: rows top to top + size - 1, and all channels."
    image = np.arange(6 * 7 * 3).reshape(6, 7, 3) * 0.5
    mistakes = [
        (lambda im, top, left, size: im[left:left + size, top:top + size],
         "Your patch starts at row `left` and column `top`: the first index picks rows, the second columns."),
        (lambda im, top, left, size: im[top:top + size + 1, left:left + size + 1],
         "Your patch is one pixel too large: a slice a:b stops just before b."),
        (lambda im, top, left, size: im[top:top + size - 1, left:left + size - 1],
         "Your patch is one pixel too small: a slice a:b stops just before b, so it has b - a elements."),
        (lambda im, top, left, size: im[top:size, left:size],
         "A slice a:b stops at b, not after b elements: start at top and stop size rows further on."),
        (lambda im, top, left, size: im[top:top + size, left:left + size, 0],
         "Your patch lost its channels: keep all of them."),
    ]
    if _keeps_image(function, image):
        return Feedback(False, "Your function returns the whole image: cut out only the patch.", reveal)
    return check_function(function, _crop_cases(), "the size x size patch at (top, left)",
                          hint="Slice the rows first, then the columns; a slice a:b has b - a elements.",
                          answer_text=reveal, mistakes=mistakes)


def _keeps_image(function, image):
    if not callable(function):
        return False
    result, _ = call(function, (image, 1, 2, 3))
    return isinstance(result, np.ndarray) and result.shape == image.shape


SOLUTIONS = Solutions("01_images_as_arrays.ipynb", [
    Solution(1, check_shape_of_rgb_image, "shape", """
        shape = (48, 64, 3)   # (rows, columns, channels) = (height, width, 3)
    """),
    Solution(2, check_green_value, "green_10_20", """
        green_10_20 = cat[10, 20, 1]   # row 10, column 20, channel 1 (green)
    """, given='cat = images.photo("cat")'),
    Solution(3, check_to_float, "to_float", """
        def to_float(image):
            return image / 255   # / always makes floats: 0 stays 0, 255 becomes 1
    """),
    Solution(4, check_crop, "crop", """
        def crop(image, top, left, size):
            return image[top:top + size, left:left + size]   # all channels kept
    """),
])
show_solution = SOLUTIONS.show
