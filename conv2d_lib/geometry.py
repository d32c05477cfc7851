"""Where a strided, dilated window lands: its positions, its taps, and the rows it never reaches.

Everything here is about one axis (rows; columns work the same way) and is
measured in the coordinates of the *padded* input, whose row 0 is the first
padding row. NumPy only.

For an input of ``H`` rows, ``padding`` rows added on each side, a kernel of
``kH`` taps spaced ``dilation`` apart and a window that moves ``stride`` rows at
a time:

* the window spans ``reach = dilation * (kH - 1) + 1`` rows;
* it starts at rows ``0, stride, 2 * stride, ...`` (:func:`window_starts`), as
  many as fit: ``H_out = floor((H + 2 * padding - reach) / stride) + 1``;
* the last ``(H + 2 * padding - reach) % stride`` rows of the padded input lie
  beyond the last window (:func:`never_covered`): no output ever sees them.

Introduced in notebooks/04_stride.ipynb.

Examples
--------
>>> window_starts(8, 3, stride=2)
array([0, 2, 4])
>>> never_covered(8, 3, stride=2)     # rows 0..6 are covered, row 7 is not
1
"""

from __future__ import annotations

import numpy as np

from . import conv
from ._checks import check_array_bytes, check_int
from .conv import output_size

__all__ = ["window_starts", "tap_offsets", "window_reach", "never_covered", "rows_read"]


def _check_axis(input_size, kernel_size, stride, padding, dilation):
    """Validate one axis's sizes (plain ints) and return them as ints.

    The answers are arrays along the padded axis, up to one number per window and tap:
    their size is checked here, so a mistyped size (10**12) is refused in words at once.
    """
    n, k, s, p, d = (check_int(input_size, "input_size", 1), check_int(kernel_size, "kernel_size", 1),
                     check_int(stride, "stride", 1), check_int(padding, "padding", 0),
                     check_int(dilation, "dilation", 1))
    n_out = output_size(n, k, s, p, d)  # in words when the kernel does not fit
    cause = f"input_size={n}, kernel_size={k}, stride={s}, padding={p}"
    check_array_bytes((n + 2 * p,), 8, conv.MAX_ARRAY_BYTES, "the padded axis", cause)
    check_array_bytes((n_out, k), 8, conv.MAX_ARRAY_BYTES, "the taps of every window", cause)
    return n, k, s, p, d


def window_reach(kernel_size, dilation=1):
    """How many input rows one (dilated) window spans: ``dilation * (kH - 1) + 1``.

    Parameters
    ----------
    kernel_size : int
        ``kH``, >= 1.
    dilation : int, default 1
        Spacing of the taps, >= 1 (1 means adjacent rows).

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        When an argument is not an int or is below 1.

    Examples
    --------
    >>> window_reach(3), window_reach(3, dilation=2), window_reach(3, dilation=3)
    (3, 5, 7)
    """
    kernel_size = check_int(kernel_size, "kernel_size", 1)
    dilation = check_int(dilation, "dilation", 1)
    return dilation * (kernel_size - 1) + 1


def tap_offsets(kernel_size, dilation=1):
    """Offsets of a window's taps from its first row.

    Parameters
    ----------
    kernel_size : int
        ``kH``, >= 1.
    dilation : int, default 1

    Returns
    -------
    ndarray of int, shape (kH,)
        ``0, dilation, 2 * dilation, ...``

    Raises
    ------
    TypeError, ValueError
        When an argument is not an int or is below 1.

    Examples
    --------
    >>> tap_offsets(3, dilation=2)
    array([0, 2, 4])
    """
    kernel_size = check_int(kernel_size, "kernel_size", 1)
    dilation = check_int(dilation, "dilation", 1)
    return np.arange(kernel_size) * dilation


def window_starts(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """First row (in padded coordinates) of every window the stride visits.

    Parameters
    ----------
    input_size : int
        ``H``, rows of the input before padding, >= 1.
    kernel_size : int
        ``kH``, >= 1.
    stride : int, default 1
        How many rows the window moves between outputs, >= 1.
    padding : int, default 0
        Rows added on *each* side, >= 0.
    dilation : int, default 1
        Spacing of the kernel's taps, >= 1.

    Returns
    -------
    ndarray of int, shape (H_out,)
        ``0, stride, ..., (H_out - 1) * stride``; output row ``r`` is computed from
        the window that starts at padded row ``starts[r]``.

    Raises
    ------
    TypeError
        When an argument is not an int.
    ValueError
        When an argument is out of range, or the window does not fit the padded input.

    Examples
    --------
    >>> window_starts(7, 3, stride=2)
    array([0, 2, 4])
    >>> window_starts(4, 3, stride=2, padding=1)
    array([0, 2])
    >>> window_starts(224, 7, stride=2, padding=3).shape
    (112,)
    """
    n, k, s, p, d = _check_axis(input_size, kernel_size, stride, padding, dilation)
    return np.arange(output_size(n, k, s, p, d)) * s


def never_covered(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """How many trailing rows of the padded input lie beyond the last window.

    When ``(H + 2 * padding - reach) / stride`` is not a whole number the floor
    drops the remainder: that many rows at the bottom (columns at the right) of
    the padded input are never inside any window, so no output depends on them.
    Some of them may be padding rows (the last ``padding`` rows are).

    Parameters
    ----------
    input_size, kernel_size, stride, padding, dilation : int
        As in :func:`window_starts`.

    Returns
    -------
    int
        ``(H + 2 * padding - reach) % stride``, between 0 and ``stride - 1``.

    Raises
    ------
    TypeError, ValueError
        As :func:`window_starts`.

    Examples
    --------
    >>> never_covered(7, 3, stride=2)     # (7 - 3) / 2 = 2 exactly
    0
    >>> never_covered(8, 3, stride=2)     # (8 - 3) / 2 = 2.5: one row left over
    1
    >>> never_covered(10, 3, stride=4)    # windows at 0 and 4 cover rows 0..6
    3
    """
    n, k, s, p, d = _check_axis(input_size, kernel_size, stride, padding, dilation)
    output_size(n, k, s, p, d)  # raises in words when the window does not fit
    return (n + 2 * p - window_reach(k, d)) % s


def rows_read(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """Which rows of the padded input at least one kernel tap reads.

    Beyond the trailing rows of :func:`never_covered`, a dilated window can
    also skip rows *inside* its span: with ``stride=2`` and ``dilation=2`` every
    tap lands on an even row, so odd rows are never read at all.

    Parameters
    ----------
    input_size, kernel_size, stride, padding, dilation : int
        As in :func:`window_starts`.

    Returns
    -------
    ndarray of bool, shape (H + 2 * padding,)

    Raises
    ------
    TypeError, ValueError
        As :func:`window_starts`.

    Examples
    --------
    >>> rows_read(8, 3, stride=2).astype(int)
    array([1, 1, 1, 1, 1, 1, 1, 0])
    >>> rows_read(7, 3, stride=2, dilation=2).astype(int)
    array([1, 0, 1, 0, 1, 0, 1])
    """
    n, k, s, p, d = _check_axis(input_size, kernel_size, stride, padding, dilation)
    starts = window_starts(n, k, s, p, d)
    read = np.zeros(n + 2 * p, dtype=bool)
    read[(starts[:, None] + tap_offsets(k, d)[None, :]).ravel()] = True
    return read
