"""Checkers for notebooks/08_efficient_numpy.ipynb."""

from __future__ import annotations

import numpy as np

from ..methods import im2col, im2col_megabytes
from ..timing import conv_flops
from ._feedback import Feedback, check_function, check_value

# The layer of exercise 1: a 56 x 56 x 64 input, 64 filters of 3 x 3, padding 1 (bench W3).
LAYER_W3 = dict(h_out=56, w_out=56, c_out=64, c_in=64, k_h=3, k_w=3)


def check_layer_flops(answer):
    """FLOPs of bench W3: 56 x 56 x 64 input, padding 1, 64 filters of 3 x 3 (output 56 x 56 x 64)."""
    expected = conv_flops(**LAYER_W3)
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
        if np.isclose(answer, expected / 2):
            return Feedback(False, f"You gave {answer!r}: that counts the multiplies only. Each product is "
                                   "also added to the sum: 2 FLOPs per weight per output number.")
        if np.isclose(answer, 2 * 54 * 54 * 64 * 64 * 9):
            return Feedback(False, f"You gave {answer!r}: with padding 1 a 3 x 3 kernel keeps the size, "
                                   "so the output is 56 x 56, not 54 x 54.")
    return check_value(answer, expected, "the FLOP count of that layer",
                       "2 * H_out * W_out * C_out * C_in * kH * kW = 2 * 56 * 56 * 64 * 64 * 3 * 3.")


def check_columns_megabytes(function):
    """``function(h, w, c_in, k)``: MB (2**20 bytes) of the float32 im2col matrix, k x k kernel, stride 1, no padding."""
    cases = [((h, w, c, k), im2col_megabytes((h, w), c, (k, k)))
             for h, w, c, k in [(256, 256, 3, 3), (512, 512, 3, 5), (56, 56, 64, 3), (10, 20, 1, 3), (2048, 2048, 3, 5)]]
    return check_function(function, cases, "the size in MB of the float32 column matrix",
                          reference="It has H_out * W_out rows of kH * kW * C_in numbers, 4 bytes each; "
                                    "1 MB is 2**20 bytes.")


def tiny_image():
    """The 3 x 4 one-channel image of exercise 3: the numbers 1 to 12, shape (3, 4, 1).

    Examples
    --------
    >>> tiny_image()[..., 0]
    array([[ 1.,  2.,  3.,  4.],
           [ 5.,  6.,  7.,  8.],
           [ 9., 10., 11., 12.]])
    """
    return np.arange(1.0, 13.0).reshape(3, 4, 1)


def check_tiny_columns(answer):
    """The im2col matrix of :func:`tiny_image` for a 2 x 2 kernel: shape (6, 4), one row per window."""
    expected = im2col(tiny_image(), (2, 2))
    what = "the column matrix of the 3 x 4 image for a 2 x 2 kernel"
    if answer is None or answer is Ellipsis:
        return check_value(answer, expected, what)
    try:
        given = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback(False, f"Write {what} as a list of 6 rows of 4 numbers each.")
    if given.shape == expected.T.shape and np.allclose(given, expected.T):
        return Feedback(False, "You wrote each window as a column: im2col here puts one window per *row* "
                               "(one row per output pixel), so transpose your answer.")
    if given.shape != expected.shape:
        return Feedback(False, f"The matrix should have shape {expected.shape}: 2 x 3 = 6 output pixels, "
                               f"4 numbers per 2 x 2 window; got shape {given.shape}.")
    return check_value(given, expected, what,
                       "Row 0 is the top-left window [1, 2, 5, 6] read row by row; each next row moves the "
                       "window one pixel to the right, and after 3 windows down one row.")


def _is_numeric(answer):
    try:
        return np.asarray(answer, dtype=float) is not None
    except (TypeError, ValueError):
        return False
