"""Checkers and reference solutions for notebooks/08_efficient_numpy.ipynb."""

from __future__ import annotations

import tracemalloc

import numpy as np

from ..methods import im2col, im2col_megabytes
from ..timing import conv_flops
from ._feedback import (Feedback, _not_answered, _show, call, check_function, check_value, counts_tries, empty,
                        is_number, is_stub, shortcut)
from ._solutions import Solution, Solutions

# The layer of exercise 1: a 56 x 56 x 64 input, 64 filters of 3 x 3, padding 1 (bench W3).
LAYER_W3 = dict(h_out=56, w_out=56, c_out=64, c_in=64, k_h=3, k_w=3)


@counts_tries
def check_layer_flops(answer):
    """FLOPs of bench W3: 56 x 56 x 64 input, padding 1, 64 filters of 3 x 3 (output 56 x 56 x 64).

    Parameters
    ----------
    answer : int or float

    Returns
    -------
    Feedback
    """
    expected = conv_flops(**LAYER_W3)
    reveal = "2 * H_out * W_out * C_out * C_in * kH * kW = 2 * 56 * 56 * 64 * 64 * 3 * 3 = 231,211,008."
    if _not_answered(answer):
        return empty("a number")
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer[()]
    if not is_number(answer):
        return Feedback(False, f"You gave {_show(answer)}: write one number (Python can do the arithmetic).",
                        reveal)
    hints = [
        (expected / 2, "That counts the multiplies only. Each product is also added to the sum."),
        (2 * 54 * 54 * 64 * 64 * 9, "With padding 1 a 3 x 3 kernel keeps the size, so the output is 56 x 56."),
        (2 * 56 * 56 * 64 * 9, "Each output number reads all 64 input channels: C_in counts too."),
        (2 * 56 * 56 * 64 * 64 * 3, "A 3 x 3 kernel has 9 weights per channel, not 3."),
        (expected / 64, "All 64 filters do the work: C_out counts too."),
    ]
    hint = next((text for value, text in hints if np.isclose(answer, value)),
                "Count per output number: one multiply and one add for every weight it uses. How many output "
                "numbers are there, and how many weights does each use?")
    return check_value(answer, expected, "the FLOP count of that layer", hint, reveal)


def _rows(h, w, k):
    return (h - k + 1) * (w - k + 1)


def _columns_cases():
    return [((h, w, c, k), im2col_megabytes((h, w), c, (k, k)))
            for h, w, c, k in [(256, 256, 3, 3), (512, 512, 3, 5), (56, 56, 64, 3), (10, 20, 1, 3),
                               (2048, 2048, 3, 5)]]


def _peak_bytes(function, arguments):
    """The most memory NumPy and Python allocated while ``function(*arguments)`` ran, in bytes."""
    already = tracemalloc.is_tracing()
    if not already:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        call(function, arguments)
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        if not already:
            tracemalloc.stop()


@counts_tries
def check_columns_megabytes(function):
    """``function(h, w, c_in, k)``: MB (2**20 bytes) of the float32 im2col matrix, k x k kernel, stride 1.

    The size must come from arithmetic: a function that builds the matrix (or any
    array of that size) to measure it is not what the exercise asks for.

    Parameters
    ----------
    function : callable
        The learner's ``columns_mb``.

    Returns
    -------
    Feedback
    """
    reveal = ("(h - k + 1) * (w - k + 1) rows of k * k * c_in numbers, 4 bytes each, divided by 2**20: "
              "(h - k + 1) * (w - k + 1) * k * k * c_in * 4 / 2**20.")
    mistakes = [
        (lambda h, w, c, k: _rows(h, w, k) * k * k * c * 4,
         "That is the size in bytes: 1 MB here is 2**20 bytes."),
        (lambda h, w, c, k: _rows(h, w, k) * k * k * c * 4 / 1e6,
         "1 MB here is 2**20 = 1,048,576 bytes, not a million."),
        (lambda h, w, c, k: _rows(h, w, k) * k * k * c * 8 / 2**20,
         "That is float64 (8 bytes a number); the matrix is float32."),
        (lambda h, w, c, k: _rows(h, w, k) * k * k * 4 / 2**20,
         "Each window holds k * k numbers for every input channel."),
        (lambda h, w, c, k: h * w * k * k * c * 4 / 2**20,
         "There is one row per output pixel, and without padding there are fewer outputs than pixels."),
        (lambda h, w, c, k: _rows(h, w, k) * k * c * 4 / 2**20,
         "A k x k window holds k * k numbers per channel, not k."),
    ]
    if callable(function) and not is_stub(function):
        peak = _peak_bytes(function, (512, 512, 3, 5))
        if peak > 1_000_000:
            return Feedback(False, f"Your function allocated {peak / 2**20:.0f} MB to answer for a 512 x 512 x 3 "
                                   "image: it builds the arrays it should only measure. Compute the size with "
                                   "arithmetic: how many rows, how many numbers in each, how many bytes each?",
                            reveal)
    feedback = check_function(function, _columns_cases(), "the size in MB of the float32 column matrix",
                              hint="How many rows does the matrix have (one per output pixel), how many numbers "
                                   "per row, and how many bytes per float32 number?",
                              answer_text=reveal, mistakes=mistakes)
    if feedback.passed:
        return shortcut(function, _columns_cases()[0][0], (im2col_megabytes,), "the arithmetic", reveal) or feedback
    return feedback


def tiny_image():
    """The 3 x 4 one-channel image of exercise 3: the numbers 1 to 12, shape (3, 4, 1).

    Returns
    -------
    ndarray, shape (3, 4, 1), float64

    Examples
    --------
    >>> tiny_image()[..., 0]
    array([[ 1.,  2.,  3.,  4.],
           [ 5.,  6.,  7.,  8.],
           [ 9., 10., 11., 12.]])
    """
    return np.arange(1.0, 13.0).reshape(3, 4, 1)


@counts_tries
def check_tiny_columns(answer):
    """The im2col matrix of :func:`tiny_image` for a 2 x 2 kernel: shape (6, 4), one row per window.

    Parameters
    ----------
    answer : list of lists of numbers, or ndarray, shape (6, 4)

    Returns
    -------
    Feedback
    """
    expected = im2col(tiny_image(), (2, 2))
    what = "the column matrix of the 3 x 4 image for a 2 x 2 kernel"
    reveal = ("[[1, 2, 5, 6], [2, 3, 6, 7], [3, 4, 7, 8], [5, 6, 9, 10], [6, 7, 10, 11], [7, 8, 11, 12]]: "
              "each row is one window read row by row, windows left to right, then down.")
    if _not_answered(answer):
        return empty("a list of 6 rows of 4 numbers")
    try:
        given = np.asarray(answer, dtype=float)
    except Exception:  # a string, a ragged list, an object that is no array
        return Feedback(False, f"Write {what} as a list of 6 rows of 4 numbers each.", reveal)
    if given.shape == expected.T.shape and np.allclose(given, expected.T):
        return Feedback(False, "You wrote each window as a column: im2col here puts one window per *row* "
                               "(one row per output pixel), so transpose your answer.", reveal)
    if given.shape != expected.shape:
        return Feedback(False, f"The matrix should have shape {expected.shape}: 2 x 3 = 6 output pixels, "
                               f"4 numbers per 2 x 2 window; got shape {given.shape}.", reveal)
    by_columns = expected.reshape(6, 2, 2).transpose(0, 2, 1).reshape(6, 4)
    if np.allclose(given, by_columns):
        return Feedback(False, "You read each window column by column; read it row by row, as the image is "
                               "stored.", reveal)
    wrong_rows = [i for i in range(6) if not np.allclose(given[i], expected[i])]
    return check_value(given, expected, what,
                       f"Row {wrong_rows[0] if wrong_rows else 0} is not its window: row 0 is the top-left "
                       "window read row by row; each next row moves the window one pixel to the right, and "
                       "after 3 windows down one row.", reveal)


SOLUTIONS = Solutions("08_efficient_numpy.ipynb", [
    Solution(1, check_layer_flops, "w3_flops", """
        w3_flops = 2 * 56 * 56 * 64 * 64 * 3 * 3   # 2 * H_out * W_out * C_out * C_in * kH * kW
    """),
    Solution(2, check_columns_megabytes, "columns_mb", """
        def columns_mb(h, w, c_in, k):
            rows = (h - k + 1) * (w - k + 1)     # one row per output pixel
            return rows * k * k * c_in * 4 / 2**20
    """),
    Solution(3, check_tiny_columns, "tiny_columns", """
        tiny_columns = [[1, 2, 5, 6], [2, 3, 6, 7], [3, 4, 7, 8],
                        [5, 6, 9, 10], [6, 7, 10, 11], [7, 8, 11, 12]]
    """),
])
show_solution = SOLUTIONS.show
