"""Checkers and reference solutions for notebooks/02_kernels.ipynb."""

from __future__ import annotations

import numpy as np

from .. import images
from ..conv import conv2d, conv2d_loops
from ._feedback import (Feedback, _not_answered, _show, call, check_function, counts_tries, empty, is_number,
                        is_stub, shortcut)
from ._solutions import Solution, Solutions

# Exercise 1: the output at this position of hand_image() under the lesson's kernel, images.small_weights().
ONE_OUTPUT_POSITION = (2, 1)


def hand_image():
    """The 5 x 5 image of exercise 1: small whole numbers in {0, 1, 2}, not shown anywhere else in the lesson.

    Returns
    -------
    ndarray, shape (5, 5), float64

    Examples
    --------
    >>> hand_image().shape
    (5, 5)
    """
    return images.small_numbers(5, seed=3)


def _one_output_mistakes():
    """(value, hint) for the typical slips of exercise 1, each value checked to differ from the others."""
    image, kernel = hand_image(), images.small_weights()
    row, col = ONE_OUTPUT_POSITION
    return [
        (float(image[row:row + 3, col:col + 3].sum()),
         "That is the sum of the window alone: multiply each pixel by the weight lying on it first."),
        (float(conv2d(image, kernel)[col, row]),
         "That is the output at the swapped position: the first index is the row (down), the second the "
         "column (across)."),
        (float(conv2d(image, kernel, padding=1)[row, col]),
         f"That is the window centred on pixel [{row}, {col}]: in this lesson out[{row}, {col}] uses the "
         f"window whose top-left corner is pixel [{row}, {col}]."),
        (float(conv2d(image, kernel[::-1, ::-1])[row, col]),
         "That is what the flipped kernel gives (true convolution); cross-correlation lays the kernel down "
         "as it is."),
        (float(conv2d(images.small_numbers(), kernel)[row, col]),
         "That is the output of the lesson's first image: this exercise uses hand_image, printed above it."),
        (-float(conv2d(image, kernel)[row, col]),
         "Right size, wrong sign: check the signs of the products where the weight is -1."),
    ]


@counts_tries
def check_one_output(answer):
    """Exercise 1: out[2, 1] of :func:`hand_image` under ``images.small_weights()``, worked out by hand.

    Parameters
    ----------
    answer : int or float

    Returns
    -------
    Feedback
    """
    image, kernel = hand_image(), images.small_weights()
    row, col = ONE_OUTPUT_POSITION
    what = f"the output at row {row}, column {col}"
    if _not_answered(answer):
        return empty(f"{what} (one number)")
    expected = float(conv2d(image, kernel)[row, col])
    reveal = (f"out[{row}, {col}] = np.sum(hand_image[{row}:{row + 3}, {col}:{col + 3}] * kernel) = {expected:g}.")
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer[()]
    if not is_number(answer):
        return Feedback(False, f"Give {what} as one number, got {_show(answer)}.", reveal)
    if np.isclose(answer, expected):
        return Feedback(True, f"The window at rows {row}-{row + 2}, columns {col}-{col + 2} times the kernel "
                              f"sums to {expected:g}.")
    matches = [hint for value, hint in _one_output_mistakes() if np.isclose(answer, value)]
    if len(matches) == 1:
        hint = matches[0]
    elif matches:
        hint = "That number fits more than one slip: " + " Or: ".join(matches)
    else:
        hint = (f"The window's top-left pixel is hand_image[{row}, {col}]; multiply each of its nine pixels by "
                "the weight lying on it, then add the nine products.")
    return Feedback(False, f"You gave {float(answer):g} for {what}. {hint}", reveal)


def _corr2d_cases():
    """Image and kernel pairs of non-integer numbers, so an integer output array shows, square or not."""
    rng = np.random.default_rng(2)
    shapes = [((4, 6), (2, 3)), ((6, 4), (3, 1)), ((3, 3), (3, 3)), ((4, 5), (1, 1)), ((5, 7), (3, 3))]
    cases = [((images.small_numbers(), images.small_weights()), conv2d(images.small_numbers(), images.small_weights()))]
    for image_shape, kernel_shape in shapes:
        image = rng.normal(size=image_shape).round(2)
        kernel = rng.normal(size=kernel_shape).round(2)
        cases.append(((image, kernel), conv2d(image, kernel)))
    return cases


def _corr2d_int(image, kernel):
    k_h, k_w = kernel.shape
    out = np.zeros((image.shape[0] - k_h + 1, image.shape[1] - k_w + 1), dtype=int)
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = np.sum(image[r:r + k_h, c:c + k_w] * kernel)
    return out


_CORR2D_MISTAKES = [
    (lambda image, kernel: conv2d(image, kernel[::-1, ::-1]),
     "Your function flips the kernel: that is true convolution. Cross-correlation multiplies each window "
     "pixel by the weight lying on it, nothing reversed."),
    (_corr2d_int,
     "Your output array holds whole numbers only (an integer dtype), so every sum is cut to an int when "
     "it is stored. Make the output array hold floats."),
    (lambda image, kernel: conv2d(image, kernel.T if kernel.shape[0] == kernel.shape[1] else kernel),
     "Your function mixes up the kernel's rows and columns."),
]


def _corr2d_error(function, reveal):
    """For a ``corr2d`` that raises on a test case: the error, and the likely mistake behind it (None if none raises)."""
    outcomes = [(arguments, call(function, arguments)[1]) for arguments, _ in _corr2d_cases()]
    failed = [(arguments, error) for arguments, error in outcomes
              if error is not None and not isinstance(error, NotImplementedError)]
    if not failed:
        return None
    (image, kernel), error = failed[0]
    square_runs = all(err is None for (_, k), err in outcomes if k.shape[0] == k.shape[1])
    raised = (f"For a {image.shape[0]} x {image.shape[1]} image and a {kernel.shape[0]} x {kernel.shape[1]} kernel "
              f"your function raised {type(error).__name__}: {str(error).strip()}.")
    square = kernel.shape[0] == kernel.shape[1]
    if "broadcast" in str(error) and square:
        hint = ("Near the image's edge the window is cut short: your loops go past the last position where the "
                "kernel fits. The last window starts at row H - kH and column W - kW.")
    elif "broadcast" in str(error) or (square_runs and not square):
        hint = ("The window must have the kernel's shape, kH rows by kW columns (kH, kW = kernel.shape): its "
                "rows go with kH, its columns with kW.")
        if square_runs:
            hint += " Your function runs on square kernels, so one of kH and kW probably stands in for both."
    elif isinstance(error, IndexError):
        hint = ("An index runs past the end of an array: the last window starts at row H - kH and column W - kW, "
                "and the output has H - kH + 1 rows and W - kW + 1 columns.")
    else:
        hint = ("Print the shapes of the image, the kernel and the window for this case to see where it goes "
                "wrong; at each position, multiply the window by the kernel and add up.")
    return Feedback(False, f"{raised} {hint}", reveal)


@counts_tries
def check_corr2d(function):
    """``function(image, kernel)``: 2-D cross-correlation without padding, any ``(H, W)`` and ``(kH, kW)``.

    Tested on non-integer numbers and on kernels that are not square.

    Parameters
    ----------
    function : callable
        The learner's ``corr2d``.

    Returns
    -------
    Feedback
    """
    reveal = ("The output has H - kH + 1 rows and W - kW + 1 columns, holding floats; out[r, c] is "
              "np.sum(image[r:r + kH, c:c + kW] * kernel).")
    if callable(function) and not is_stub(function):
        image, kernel = np.arange(12.0).reshape(3, 4) + 0.5, np.array([[1.0, 2.0], [0.0, -1.0]])
        result, _ = call(function, (image, kernel))
        if isinstance(result, np.ndarray) and result.dtype.kind in "iu" and result.shape == (2, 3):
            return Feedback(False, f"Your function returns whole numbers (dtype {result.dtype}), so on "
                                   "non-integer pixels every sum is cut to an int when it is stored. Make the "
                                   "output array hold floats.", reveal)
        if isinstance(result, np.ndarray) and result.shape in {(3, 4), (2, 2), (3, 3)}:
            return Feedback(False, f"For a 3 x 4 image and a 2 x 2 kernel your result has shape {result.shape}, "
                                   "not (2, 3): how many positions does the kernel fit in, down and across?",
                            reveal)
        raised = _corr2d_error(function, reveal)
        if raised is not None:
            return raised
    feedback = check_function(function, _corr2d_cases(), "the cross-correlation of image and kernel",
                              hint="How many positions does the kernel fit in, down and across? At each one, "
                                   "multiply the window by the kernel and add up.",
                              answer_text=reveal, mistakes=_CORR2D_MISTAKES)
    if feedback.passed:
        return shortcut(function, _corr2d_cases()[0][0], (conv2d, conv2d_loops), "the loop", reveal) or feedback
    return feedback


@counts_tries
def check_horizontal_edge_kernel(kernel):
    """A 3 x 3 kernel that answers the checkerboard's horizontal edges and ignores vertical stripes and flat areas.

    Tried on the lesson's own samples (the checkerboard and the vertical stripes, as the
    gallery shows them), on a flat area, and on horizontal stripes the checker makes, so
    that a kernel answering only the checkerboard's corners does not pass.

    Parameters
    ----------
    kernel : array_like, shape (3, 3)

    Returns
    -------
    Feedback
    """
    reveal = ("np.array([[-1, -1, -1], [0, 0, 0], [1, 1, 1]]): the row below minus the row above; each column "
              "adds up to 0.")
    if _not_answered(kernel):
        return empty("a 3 x 3 array of weights, e.g. np.array([[...], [...], [...]])")
    try:
        kernel = np.asarray(kernel, dtype=float)
    except Exception:  # a string, a ragged list, an object that is no array
        return Feedback(False, f"Give the kernel as a 3 x 3 array of numbers, got {_show(kernel)}.", reveal)
    if kernel.shape != (3, 3):
        return Feedback(False, f"The kernel should have shape (3, 3), got {kernel.shape}.", reveal)
    if not np.all(np.isfinite(kernel)):
        return Feedback(False, "Your kernel holds nan or inf: use ordinary numbers.", reveal)
    board = conv2d(images.sample("checkerboard", gray=True), kernel)
    down = conv2d(images.sample("stripes", gray=True), kernel)
    across = conv2d(images.stripes(16, 8, "horizontal"), kernel)
    flat = conv2d(np.ones((5, 5)), kernel)
    if not np.allclose(flat, 0):
        return Feedback(False, f"On a flat grey area your kernel gives {flat[0, 0]:g}, not 0: where nothing "
                               "changes, an edge detector should answer nothing. What must its weights add up to?",
                        reveal)
    if not np.allclose(down, 0):
        return Feedback(False, f"Your kernel answers the stripes image (vertical stripes) too, up to "
                               f"{np.abs(down).max():g}: on it every row of the window is the same, so the weights "
                               "in each column must cancel.", reveal)
    if np.abs(board).max() < 0.5:
        return Feedback(False, "Your kernel hardly answers the checkerboard: a horizontal edge is a change from "
                               "the rows above to the rows below.", reveal)
    if np.abs(across).max() < 0.5:
        return Feedback(False, "Your kernel answers the checkerboard, but not horizontal stripes (which the "
                               "checker makes: dark rows, then bright rows). It sees the squares' corners, not "
                               "their horizontal edges: compare whole rows, the rows above against the rows below.",
                        reveal)
    return Feedback(True, f"On the checkerboard it answers up to {np.abs(board).max():g} at the horizontal edges "
                          "between rows of squares, and 0 on the stripes image and on flat areas. (The checker also "
                          f"tried horizontal stripes it makes itself: there it answers up to {np.abs(across).max():g}.)")


SOLUTIONS = Solutions("02_kernels.ipynb", [
    Solution(1, check_one_output, "my_output", """
        # the window whose top-left pixel is hand_image[2, 1], times the kernel:
        # 1*1 + 1*0 + 1*0 - (2 + 2 + 0) - (1 + 2 + 1) = -7
        my_output = np.sum(hand_image[2:5, 1:4] * kernel)
    """, given="""
        kernel = images.small_weights()
        hand_image = exercises.hand_image()
    """),
    Solution(2, check_corr2d, "corr2d", """
        def corr2d(image, kernel):
            k_h, k_w = kernel.shape
            out = np.zeros((image.shape[0] - k_h + 1, image.shape[1] - k_w + 1))   # floats
            for r in range(out.shape[0]):
                for c in range(out.shape[1]):
                    out[r, c] = np.sum(image[r:r + k_h, c:c + k_w] * kernel)
            return out
    """),
    Solution(3, check_horizontal_edge_kernel, "my_kernel", """
        # prewitt_y: the row below minus the row above; sobel_y ([-1, -2, -1] on top) works too
        my_kernel = np.array([[-1, -1, -1],
                              [ 0,  0,  0],
                              [ 1,  1,  1]])
    """),
])
show_solution = SOLUTIONS.show
