"""Which pixels influence which: the input pixels one output reads, the outputs one input reaches.

For any kernel size, stride, padding (an int, a pair, ``"valid"`` or ``"same"``),
padding mode and dilation. NumPy only.

Output pixel ``(r, c)`` of ``conv2d`` reads the taps at padded rows
``r * stride + t * dilation`` for ``t = 0 .. kH - 1`` (columns alike). A padded row
is either an image row (shifted by the top padding) or padding: zeros, which come
from no input pixel, or, for the other modes, a *copy* of some input row
(:func:`padded_source`). So an input pixel influences every output one of whose
taps lands on it or on one of its copies in the padding. Rows and columns are
independent, so each answer is an outer product of a row mask and a column mask.

"Influences" is structural: it holds whatever the weights are (a tap whose weight
happens to be 0 still counts).

Also here: the weight stack the playground builds from one 2-D kernel
(:func:`playground_weights`). Its independent reference for ``conv2d`` is in
:mod:`conv2d_lib.references`.

Introduced in notebooks/09_playground.ipynb.

Examples
--------
>>> outputs_affected_by(2, 2, (7, 7), 3, stride=2).astype(int)
array([[1, 1, 0],
       [1, 1, 0],
       [0, 0, 0]])
>>> inputs_read_by(0, 0, (6, 6), 3, stride=2, padding=1).astype(int)[:3, :3]
array([[1, 1, 0],
       [1, 1, 0],
       [0, 0, 0]])
"""

from __future__ import annotations

import numpy as np

from . import conv
from ._checks import check_array, check_array_bytes, check_choice, check_int, check_mode_fits, check_pair
from .conv import NUMPY_PAD_MODES, PADDING_MODES, output_size, resolve_padding

__all__ = ["padded_source", "inputs_read_by", "taps_of", "outputs_affected_by", "copies_of",
           "window_centre", "central_output", "playground_weights"]



def padded_source(input_size, before, after, padding_mode="zeros"):
    """Which input row each row of the padded input is (a copy of), along one axis.

    Parameters
    ----------
    input_size : int
        ``H``, rows before padding, >= 1.
    before, after : int
        Rows of padding added at the top and at the bottom, each >= 0.
    padding_mode : {"zeros", "reflect", "replicate", "circular"}

    Returns
    -------
    ndarray of int, shape (H + before + after,)
        The input row each padded row copies; ``-1`` for a row of zeros.

    Raises
    ------
    TypeError, ValueError
        When a size is not an int or out of range, or the mode is unknown or needs a
        larger input (reflect: padding < H; circular: padding <= H).

    Examples
    --------
    >>> padded_source(3, 2, 2)
    array([-1, -1,  0,  1,  2, -1, -1])
    >>> padded_source(3, 2, 2, "reflect")
    array([2, 1, 0, 1, 2, 1, 0])
    >>> padded_source(3, 2, 1, "circular")
    array([1, 2, 0, 1, 2, 0])
    """
    n = check_int(input_size, "input_size", 1)
    before, after = check_int(before, "before", 0), check_int(after, "after", 0)
    check_choice(padding_mode, "padding_mode", PADDING_MODES)
    check_mode_fits([(before, after)], [n], padding_mode, axes=["size"], given=f"before={before}, after={after}")
    check_array_bytes((n + before + after,), 8, conv.MAX_ARRAY_BYTES, "the padded rows",
                      f"input_size={n}, before={before}, after={after}")
    if padding_mode == "zeros":
        return np.pad(np.arange(n), (before, after), constant_values=-1)
    return np.pad(np.arange(n), (before, after), mode=NUMPY_PAD_MODES[padding_mode])


def _axes(input_size, kernel_size, stride, padding, dilation, padding_mode):
    """Per axis: (taps of every window in padded coordinates (n_out, k), source of each padded row, pads)."""
    HW = check_pair(input_size, "input_size", 1)
    kHW = check_pair(kernel_size, "kernel_size", 1)
    sHW = check_pair(stride, "stride", 1)
    dHW = check_pair(dilation, "dilation", 1)
    check_choice(padding_mode, "padding_mode", PADDING_MODES)
    pads = resolve_padding(padding, kHW, sHW, dHW)
    out_hw = output_size(HW, kHW, sHW, padding, dHW)  # says so in words when the kernel does not fit
    axes = []
    for n, k, s, d, n_out, (before, after) in zip(HW, kHW, sHW, dHW, out_hw, pads):
        check_array_bytes((n_out, k), 8, conv.MAX_ARRAY_BYTES, "the taps of every window",
                          f"input_size={input_size!r} with kernel_size={kernel_size!r}")
        taps = np.arange(n_out)[:, None] * s + np.arange(k)[None, :] * d  # (n_out, k), padded coordinates
        axes.append((taps, padded_source(n, before, after, padding_mode), (before, after)))
    return axes


def _check_pixel(row, col, shape, what):
    row, col = check_int(row, "row", 0), check_int(col, "col", 0)
    if row >= shape[0] or col >= shape[1]:
        raise ValueError(f"{what} ({row}, {col}) does not exist: rows go from 0 to {shape[0] - 1} "
                         f"and columns from 0 to {shape[1] - 1}")
    return row, col


def taps_of(row, col, input_size, kernel_size, stride=1, padding=0, dilation=1):
    """The pixels of the *padded* input that output ``(row, col)``'s kernel taps lie on.

    Parameters
    ----------
    row, col : int
        An output pixel: ``0 <= row < H_out``, ``0 <= col < W_out``.
    input_size : (int, int)
        ``(H, W)`` before padding.
    kernel_size, stride, dilation : int or (int, int)
    padding : int, (int, int), "valid" or "same"
        As in :func:`conv2d_lib.conv2d`.

    Returns
    -------
    ndarray of bool, shape (H + top + bottom, W + left + right)
        True on the ``kH * kW`` taps (spread ``dilation`` apart).

    Raises
    ------
    TypeError, ValueError
        For a bad size, or an output pixel that does not exist.

    Examples
    --------
    >>> taps_of(0, 1, (4, 4), 2, dilation=2).astype(int)
    array([[0, 1, 0, 1],
           [0, 0, 0, 0],
           [0, 1, 0, 1],
           [0, 0, 0, 0]])
    """
    (rows, src_r, _), (cols, src_c, _) = _axes(input_size, kernel_size, stride, padding, dilation, "zeros")
    row, col = _check_pixel(row, col, (len(rows), len(cols)), "output pixel")
    hit_r = np.zeros(len(src_r), bool)
    hit_r[rows[row]] = True
    hit_c = np.zeros(len(src_c), bool)
    hit_c[cols[col]] = True
    return np.outer(hit_r, hit_c)


def inputs_read_by(row, col, input_size, kernel_size, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """The input pixels that output pixel ``(row, col)`` depends on (its receptive field).

    A tap on zero padding reads no input pixel; a tap on reflect, replicate or
    circular padding reads the input pixel that padding copies.

    Parameters
    ----------
    row, col : int
        An output pixel: ``0 <= row < H_out``, ``0 <= col < W_out``.
    input_size : (int, int)
        ``(H, W)``.
    kernel_size, stride, dilation : int or (int, int)
    padding : int, (int, int), "valid" or "same"
    padding_mode : {"zeros", "reflect", "replicate", "circular"}

    Returns
    -------
    ndarray of bool, shape (H, W)

    Raises
    ------
    TypeError, ValueError
        For a bad argument, or an output pixel that does not exist.

    Examples
    --------
    >>> inputs_read_by(0, 0, (4, 4), 3, padding=1).astype(int)
    array([[1, 1, 0, 0],
           [1, 1, 0, 0],
           [0, 0, 0, 0],
           [0, 0, 0, 0]])
    >>> inputs_read_by(0, 0, (4, 4), 3, padding=1, padding_mode="circular").astype(int)
    array([[1, 1, 0, 1],
           [1, 1, 0, 1],
           [0, 0, 0, 0],
           [1, 1, 0, 1]])
    """
    (rows, src_r, _), (cols, src_c, _) = _axes(input_size, kernel_size, stride, padding, dilation, padding_mode)
    row, col = _check_pixel(row, col, (len(rows), len(cols)), "output pixel")
    masks = []
    for taps, source in ((rows[row], src_r), (cols[col], src_c)):
        n = int(source.max()) + 1
        hit = np.zeros(n, bool)
        read = source[taps]
        hit[read[read >= 0]] = True
        masks.append(hit)
    return np.outer(*masks)


def outputs_affected_by(row, col, input_size, kernel_size, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """The output pixels that input pixel ``(row, col)`` influences.

    Parameters
    ----------
    row, col : int
        An input pixel: ``0 <= row < H``, ``0 <= col < W``.
    input_size : (int, int)
        ``(H, W)``.
    kernel_size, stride, dilation : int or (int, int)
    padding : int, (int, int), "valid" or "same"
    padding_mode : {"zeros", "reflect", "replicate", "circular"}

    Returns
    -------
    ndarray of bool, shape (H_out, W_out)
        Possibly all False: with a stride larger than the window some input pixels
        are never read, and the last rows may be dropped by the floor.

    Raises
    ------
    TypeError, ValueError
        For a bad argument, or an input pixel that does not exist.

    Examples
    --------
    >>> outputs_affected_by(0, 3, (5, 5), 3).astype(int)    # outputs 1 and 2 have column 3 in their window
    array([[0, 1, 1],
           [0, 0, 0],
           [0, 0, 0]])
    >>> outputs_affected_by(2, 2, (5, 5), 1, stride=2, dilation=1).astype(int)
    array([[0, 0, 0],
           [0, 1, 0],
           [0, 0, 0]])
    """
    (rows, src_r, _), (cols, src_c, _) = _axes(input_size, kernel_size, stride, padding, dilation, padding_mode)
    n_h, n_w = check_pair(input_size, "input_size", 1)
    row, col = _check_pixel(row, col, (n_h, n_w), "input pixel")
    hit_r = (src_r[rows] == row).any(axis=1)
    hit_c = (src_c[cols] == col).any(axis=1)
    return np.outer(hit_r, hit_c)


def copies_of(row, col, input_size, kernel_size, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """Where input pixel ``(row, col)`` appears in the padded input: itself, and its copies in the padding.

    Parameters
    ----------
    As :func:`outputs_affected_by`.

    Returns
    -------
    ndarray of bool, shape (H + top + bottom, W + left + right)

    Raises
    ------
    TypeError, ValueError
        For a bad argument, or an input pixel that does not exist.

    Examples
    --------
    >>> copies_of(0, 0, (3, 3), 3, padding=1, padding_mode="replicate").astype(int)
    array([[1, 1, 0, 0, 0],
           [1, 1, 0, 0, 0],
           [0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0]])
    """
    (_, src_r, _), (_, src_c, _) = _axes(input_size, kernel_size, stride, padding, dilation, padding_mode)
    row, col = _check_pixel(row, col, check_pair(input_size, "input_size", 1), "input pixel")
    return np.outer(src_r == row, src_c == col)


def window_centre(row, col, input_size, kernel_size, stride=1, padding=0, dilation=1):
    """The input pixel under the middle of output ``(row, col)``'s window (moved inside the image).

    The middle of the taps along each axis, minus the padding before it, rounded;
    a window centred on padding gives the nearest image pixel.

    Parameters
    ----------
    row, col : int
        An output pixel: ``0 <= row < H_out``, ``0 <= col < W_out``.
    input_size : (int, int)
        ``(H, W)``.
    kernel_size, stride, dilation : int or (int, int)
    padding : int, (int, int), "valid" or "same"

    Returns
    -------
    (int, int)
        An input pixel, ``0 <= row < H`` and ``0 <= col < W``.

    Raises
    ------
    TypeError, ValueError
        For a bad argument, or an output pixel that does not exist.

    Examples
    --------
    >>> window_centre(0, 0, (5, 5), 3)              # window rows 0..2, columns 0..2
    (1, 1)
    >>> window_centre(0, 0, (5, 5), 3, padding=1)   # centred on the first image pixel
    (0, 0)
    >>> window_centre(1, 0, (8, 8), 3, stride=2, dilation=2)   # rows 2, 4, 6
    (4, 2)
    """
    (rows, _, (top, _)), (cols, _, (left, _)) = _axes(input_size, kernel_size, stride, padding, dilation, "zeros")
    row, col = _check_pixel(row, col, (len(rows), len(cols)), "output pixel")
    n_h, n_w = check_pair(input_size, "input_size", 1)
    middle_r = int(round(rows[row].mean())) - top
    middle_c = int(round(cols[col].mean())) - left
    return min(max(middle_r, 0), n_h - 1), min(max(middle_c, 0), n_w - 1)


def central_output(row, col, input_size, kernel_size, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """The output pixel in the middle of those input pixel ``(row, col)`` influences, or None.

    Parameters
    ----------
    As :func:`outputs_affected_by`.

    Returns
    -------
    (int, int) or None
        The median row and the median column of :func:`outputs_affected_by`; None
        when the input pixel influences no output at all.

    Raises
    ------
    TypeError, ValueError
        For a bad argument, or an input pixel that does not exist.

    Examples
    --------
    >>> central_output(2, 2, (5, 5), 3)        # outputs 0..2 on both axes see input 2
    (1, 1)
    >>> central_output(1, 1, (5, 5), 1, stride=2) is None
    True
    """
    lit = outputs_affected_by(row, col, input_size, kernel_size, stride, padding, dilation, padding_mode)
    if not lit.any():
        return None
    return tuple(int(np.median(np.flatnonzero(lit.any(axis=axis)))) for axis in (1, 0))


# --------------------------------------------------------------------------- the playground's weights


def playground_weights(kernel, c_out, c_in=3, flip=False):
    """The playground's weight stack: output channel ``o`` is the kernel turned ``o`` quarter turns.

    ``weights[o, c] = np.rot90(kernel, -o)`` (clockwise) for every input channel
    ``c``: each output map sums the same turned kernel over all ``C_in`` channels.
    A Sobel x kernel thus gives four edge detectors: left-to-right, top-to-bottom,
    right-to-left, bottom-to-top. ``flip=True`` flips every kernel
    (``weights[..., ::-1, ::-1]``), which turns cross-correlation into true convolution.

    Parameters
    ----------
    kernel : ndarray, shape (k, k)
        Square, so that turning it keeps its shape.
    c_out : int
        ``C_out``, 1 to 4 (turning a fifth time repeats the first).
    c_in : int, default 3
    flip : bool, default False

    Returns
    -------
    ndarray, shape (C_out, C_in, k, k), float64

    Raises
    ------
    TypeError, ValueError
        For a kernel that is not a square 2-D array, or counts out of range.

    Examples
    --------
    >>> w = playground_weights(np.array([[1.0, 2.0], [3.0, 4.0]]), 2, c_in=1)
    >>> w.shape
    (2, 1, 2, 2)
    >>> w[1, 0]                     # turned a quarter clockwise
    array([[3., 1.],
           [4., 2.]])
    >>> playground_weights(np.array([[1.0, 2.0], [3.0, 4.0]]), 1, c_in=1, flip=True)[0, 0]
    array([[4., 3.],
           [2., 1.]])
    """
    kernel = check_array(kernel, "kernel", (2,), "(k, k)")
    if kernel.shape[0] != kernel.shape[1]:
        raise ValueError(f"kernel must be square (k, k) so that it can be turned, got shape {kernel.shape}")
    c_out, c_in = check_int(c_out, "c_out", 1), check_int(c_in, "c_in", 1)
    if c_out > 4:
        raise ValueError(f"c_out must be between 1 and 4 (four quarter turns), got {c_out}")
    turned = np.stack([np.rot90(kernel.astype(float), -o) for o in range(c_out)])  # (C_out, k, k)
    weights = np.repeat(turned[:, np.newaxis], c_in, axis=1)
    return np.ascontiguousarray(weights[..., ::-1, ::-1]) if flip else weights
