"""Checkers for notebooks/02_kernels.ipynb."""

from __future__ import annotations

import numpy as np

from .. import images
from ..conv import conv2d
from ._feedback import Feedback, _not_answered, _show, check_function

# The output position exercise 1 asks for, on images.small_numbers() with images.small_weights().
ONE_OUTPUT_POSITION = (2, 1)


def check_one_output(answer):
    """The output at ``ONE_OUTPUT_POSITION`` of the small-numbers image under the small weights, by hand."""
    image, kernel = images.small_numbers(), images.small_weights()
    row, col = ONE_OUTPUT_POSITION
    what = f"the output at row {row}, column {col}"
    if _not_answered(answer):
        return Feedback(False, f"Replace the ... with {what} (one number).")
    if not isinstance(answer, (int, float, np.integer, np.floating)) or isinstance(answer, bool):
        return Feedback(False, f"Give {what} as one number, got {_show(answer)}.")
    expected = conv2d(image, kernel)[row, col]
    if np.isclose(answer, expected):
        return Feedback(True, f"The window at rows {row}-{row + 2}, columns {col}-{col + 2} times the kernel "
                              f"sums to {expected:g}.")
    hints = [  # (value, hint) pairs: two mistakes can give the same number, the first one listed wins
        (conv2d(image, kernel, padding=1)[row, col], f"That is the window centred on input[{row}, {col}]: in "
                                                    f"this lesson out[{row}, {col}] uses the window whose "
                                                    f"top-left corner is input[{row}, {col}]."),
        (conv2d(image, kernel[::-1, ::-1])[row, col], "That is what the flipped kernel gives (true convolution); "
                                                      "cross-correlation lays the kernel down as it is."),
        (conv2d(image, kernel)[col, row], "That is the output at the swapped position: the first index is the "
                                          "row (down), the second the column (across)."),
    ]
    window = image[row:row + 3, col:col + 3]
    if np.isclose(answer, window.sum()):
        hint = "That is the sum of the window alone: multiply each pixel by the weight on top of it first."
    else:
        hint = next((text for value, text in hints if np.isclose(answer, value)),
                    f"The window's top-left pixel is input[{row}, {col}]; multiply each of its nine pixels by "
                    "the weight on top of it, then add the nine products.")
    return Feedback(False, f"You gave {float(answer):g} for {what}. {hint}")


def _corr2d_cases():
    rng = np.random.default_rng(2)
    shapes = [((5, 5), (3, 3)), ((4, 6), (2, 3)), ((6, 4), (3, 1)), ((3, 3), (3, 3)), ((4, 5), (1, 1))]
    cases = [((images.small_numbers(), images.small_weights()), conv2d(images.small_numbers(), images.small_weights()))]
    for image_shape, kernel_shape in shapes[1:]:
        image = rng.integers(0, 4, image_shape).astype(float)
        kernel = rng.integers(-2, 3, kernel_shape).astype(float)
        cases.append(((image, kernel), conv2d(image, kernel)))
    return cases


def check_corr2d(function):
    """``function(image, kernel)``: 2-D cross-correlation without padding, any ``(H, W)`` and ``(kH, kW)``."""
    if callable(function):
        # A flipped kernel is the commonest slip: say so in words rather than "expected ..., got ...".
        image, kernel = np.arange(12.0).reshape(3, 4), np.array([[1.0, 2.0], [0.0, -1.0]])
        try:
            result = function(image, kernel)
        except Exception:  # reported by check_function below
            result = None
        flipped = conv2d(image, kernel[::-1, ::-1])
        if result is not None and np.shape(result) == flipped.shape and np.allclose(result, flipped) \
                and not np.allclose(result, conv2d(image, kernel)):
            return Feedback(False, "Your function flips the kernel: that is true convolution. Cross-correlation "
                                   "multiplies image[r + i, c + j] by kernel[i, j], nothing reversed.")
    return check_function(function, _corr2d_cases(), "the cross-correlation of image and kernel",
                          reference="The output has H - kH + 1 rows and W - kW + 1 columns; out[r, c] is "
                                    "np.sum(image[r:r + kH, c:c + kW] * kernel).")


def check_horizontal_edge_kernel(kernel):
    """A 3 x 3 kernel that answers horizontal edges (horizontal stripes) and ignores vertical ones and flat areas."""
    if _not_answered(kernel):
        return Feedback(False, "Replace the ... with a 3 x 3 array of weights, e.g. np.array([[...], [...], [...]]).")
    try:
        kernel = np.asarray(kernel, dtype=float)
    except (TypeError, ValueError):
        return Feedback(False, f"Give the kernel as a 3 x 3 array of numbers, got {_show(kernel)}.")
    if kernel.shape != (3, 3):
        return Feedback(False, f"The kernel should have shape (3, 3), got {kernel.shape}.")
    across = conv2d(images.stripes(16, 8, "horizontal"), kernel)
    down = conv2d(images.stripes(16, 8, "vertical"), kernel)
    flat = conv2d(np.ones((5, 5)), kernel)
    if not np.allclose(flat, 0):
        return Feedback(False, f"On a flat grey area your kernel gives {flat[0, 0]:g}, not 0: an edge detector's "
                               "weights add up to 0, so where nothing changes it answers nothing.")
    if not np.allclose(down, 0):
        return Feedback(False, f"Your kernel answers vertical stripes too (up to {np.abs(down).max():g}); make each "
                               "column of weights add up to 0, so that left-to-right changes cancel.")
    if np.abs(across).max() < 0.5:
        return Feedback(False, "Your kernel hardly answers horizontal stripes: weigh the row above against the "
                               "row below, e.g. -1 on top and +1 at the bottom.")
    return Feedback(True, f"On horizontal stripes it answers up to {np.abs(across).max():g} at the edges, "
                          "and 0 on vertical stripes and flat areas.")
