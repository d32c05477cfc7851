"""Transposed convolution: every input pixel stamps a scaled copy of the kernel onto the output.

``conv_transpose2d`` has PyTorch's meaning, shape rule and weight layout:

* images are channels-last, as everywhere in the package: ``(H, W)``, ``(H, W, C_in)`` or
  ``(N, H, W, C_in)``, and so are the outputs ``(H_out, W_out, C_out)``;
* weights are ``(C_in, C_out / groups, kH, kW)``: ``weights[c, o]`` is the kernel that input
  channel ``c`` stamps onto output map ``o`` (of its group). That is the layout of
  :func:`conv2d_lib.conv2d`'s weights read the other way round, so the weights of a ``conv2d``
  from ``C_out`` to ``C_in`` channels serve its transpose unchanged;
* ``H_out = (H - 1) * stride - 2 * padding + dilation * (kH - 1) + output_padding + 1``.

It is the gradient of ``conv2d`` with respect to its input (tests/test_transpose.py checks the
adjoint identity ``<conv2d(x, w), g> == <x, conv_transpose2d(g, w)>``), which is why it
undoes a ``conv2d``'s change of shape: a ``conv2d`` with stride 2 halves the size, its
transpose with the same settings doubles it.
"""

from __future__ import annotations

from math import gcd

import numpy as np

from . import _fast, conv
from ._checks import check_array, check_array_bytes, check_int, check_pair, describe, is_int, plain_array

__all__ = ["conv_transpose2d", "conv_transpose2d_loops", "transpose_output_size"]


def _padding_pair(padding, name):
    """An int or a pair of ints >= 0; PyTorch's conv_transpose2d has no 'same' or 'valid'."""
    if not (is_int(padding) or isinstance(padding, (tuple, list))):
        raise TypeError(f"{name} must be an int or a pair of ints (rows, columns), got {describe(padding)}"
                        + ("; conv_transpose2d has no 'same' or 'valid' (as in PyTorch)"
                           if isinstance(padding, str) else ""))
    return check_pair(padding, name, 0)


def _sizes(HW, kHW, stride, padding, output_padding, dilation):
    """``(H_out, W_out)`` by the transposed shape rule (arguments checked), or a ValueError in words."""
    out = []
    for n, k, s, p, op, d, axis in zip(HW, kHW, stride, padding, output_padding, dilation, ("height", "width")):
        if op >= max(s, d):
            raise ValueError(
                f"output_padding must be smaller than stride or dilation (as in PyTorch), got output_padding "
                f"{op} with stride {s} and dilation {d} along {axis}"
            )
        size = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
        if size < 1:
            raise ValueError(
                f"padding {p} crops away the whole output along {axis}: (H - 1) * stride - 2 * padding + "
                f"dilation * (kH - 1) + output_padding + 1 = ({n} - 1) * {s} - 2 * {p} + {d} * ({k} - 1) + "
                f"{op} + 1 = {size}; use a padding below {((n - 1) * s + d * (k - 1) + op) // 2 + 1}"
            )
        out.append(size)
    return tuple(out)


def transpose_output_size(input_size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    """Spatial size of a transposed convolution's output.

    ``H_out = (H - 1) * stride - 2 * padding + dilation * (kH - 1) + output_padding + 1``:
    the input pixels land ``stride`` apart, the last one's stamp reaches
    ``dilation * (kH - 1)`` further, ``padding`` crops that many rows from each side and
    ``output_padding`` adds rows at the bottom (to pick one of the input sizes a strided
    ``conv2d`` maps to the same output size).

    Parameters
    ----------
    input_size : int or (int, int)
        ``H`` or ``(H, W)``, each >= 1.
    kernel_size : int or (int, int)
        ``kH`` or ``(kH, kW)``, each >= 1.
    stride, dilation : int or (int, int), default 1
        Each >= 1.
    padding : int or (int, int), default 0
        Each >= 0.
    output_padding : int or (int, int), default 0
        Each >= 0 and smaller than the stride or the dilation along its axis (as in PyTorch).

    Returns
    -------
    int or (int, int)
        ``H_out``, or ``(H_out, W_out)`` when any argument is a pair.

    Raises
    ------
    TypeError
        When a size is not an int or a pair of ints.
    ValueError
        When a size is out of range, ``output_padding`` is not smaller than the stride or
        the dilation, or the padding crops away the whole output.

    Examples
    --------
    >>> transpose_output_size(4, 3, stride=2, padding=1)            # (4 - 1) * 2 - 2 + 2 + 1
    7
    >>> transpose_output_size(4, 3, stride=2, padding=1, output_padding=1)   # undoes conv2d's 8 -> 4
    8
    >>> transpose_output_size((2, 3), 2, stride=2)
    (4, 6)
    """
    paired = any(isinstance(v, (tuple, list)) for v in (input_size, kernel_size, stride, padding, output_padding,
                                                         dilation))
    sizes = _sizes(check_pair(input_size, "input_size", 1), check_pair(kernel_size, "kernel_size", 1),
                   check_pair(stride, "stride", 1), _padding_pair(padding, "padding"),
                   _padding_pair(output_padding, "output_padding"), check_pair(dilation, "dilation", 1))
    return sizes if paired else sizes[0]


def _check_arguments(image, weights, bias, stride, padding, output_padding, groups, dilation):
    """Check every argument of the two functions below; return the settings as pairs and the output size."""
    image = check_array(image, "image", (2, 3, 4), "(H, W), (H, W, C_in) or (N, H, W, C_in)")
    weights = check_array(weights, "weights", (2, 4), "(kH, kW) or (C_in, C_out / groups, kH, kW)")
    stride, dilation = check_pair(stride, "stride", 1), check_pair(dilation, "dilation", 1)
    padding, output_padding = _padding_pair(padding, "padding"), _padding_pair(output_padding, "output_padding")
    groups = check_int(groups, "groups", 1)
    if weights.ndim == 2 and image.ndim != 2:
        raise ValueError(
            f"a plain (kH, kW) kernel needs a 2-D (H, W) image, got image shape {image.shape}; "
            "pass weights of shape (C_in, C_out / groups, kH, kW) for images with channels"
        )
    C_in = 1 if image.ndim == 2 else image.shape[-1]
    C_in_weights, C_per_group, kH, kW = (1, 1, *weights.shape) if weights.ndim == 2 else weights.shape
    if C_in != C_in_weights:
        raise ValueError(
            f"image has {C_in} channel(s) (shape {image.shape}) but weights expect C_in={C_in_weights} on "
            f"axis 0 (weights shape {weights.shape}, read as (C_in, C_out / groups, kH, kW), as in PyTorch)"
        )
    if C_in % groups:
        raise ValueError(f"groups={groups} must divide the image's C_in={C_in} channels (image shape "
                         f"{image.shape}): {C_in} is not divisible by {groups}")
    C_out = C_per_group * groups
    H, W = image.shape[1:3] if image.ndim == 4 else image.shape[:2]
    out_hw = _sizes((H, W), (kH, kW), stride, padding, output_padding, dilation)
    conv._check_bias(bias, C_out)
    N = image.shape[0] if image.ndim == 4 else 1
    itemsize = conv._compute_dtype(image.dtype, weights.dtype).itemsize
    cause = (f"the image of shape {image.shape} with weights of shape {weights.shape}, stride {stride}, "
             f"dilation {dilation}")
    # What is built: the output (the loops' canvas is at most 2 * padding larger), and per stride
    # phase the input framed by at most the kernel's reach.
    check_array_bytes((N, *out_hw, C_out), itemsize, conv.MAX_ARRAY_BYTES, "an output", cause)
    framed = tuple(n + 2 * d * (k - 1) for n, d, k in zip((H, W), dilation, (kH, kW)))
    check_array_bytes((N, *framed, C_in), itemsize, conv.MAX_ARRAY_BYTES, "a framed input", cause)
    return stride, padding, output_padding, groups, dilation, out_hw


def _as_batch(image, weights, bias):
    """One shape for every case: (N, H, W, C_in), (C_in, C_out / groups, kH, kW), a bias of (C_out,) or None."""
    x = image if image.ndim == 4 else image[np.newaxis]
    x = x[..., np.newaxis] if image.ndim == 2 else x
    w = weights[np.newaxis, np.newaxis] if weights.ndim == 2 else weights
    return x, w


def _shape_back(out, image, weights):
    out = out if image.ndim == 4 else out[0]
    return out[..., 0] if weights.ndim == 2 else out


def conv_transpose2d_loops(image, weights, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Transposed convolution written as loops: each input pixel stamps a scaled copy of the kernel.

    Slow on purpose. Input pixel ``(r, c)`` of channel ``ci`` multiplies the kernel
    ``weights[ci, o]`` by its value and adds the result onto the output, with its
    top-left corner at ``(r * stride, c * stride)``; where stamps overlap they add up.
    Then ``padding`` rows and columns are cut from each side, and ``output_padding``
    more are kept at the bottom and the right. Compare :func:`conv2d_lib.conv2d_loops`,
    where each *output* pixel gathers a window: here each *input* pixel scatters one.

    Parameters
    ----------
    image : ndarray, shape (H, W), (H, W, C_in) or (N, H, W, C_in)
        Channels-last. A 2-D image is one channel (and goes with a 2-D kernel).
    weights : ndarray, shape (C_in, C_out / groups, kH, kW) or (kH, kW)
        ``weights[ci, o]`` is the stamp input channel ``ci`` puts on output map ``o``
        of its group (PyTorch's layout; a plain kernel gives a 2-D result).
    bias : None, float or ndarray of shape (C_out,), default None
        Added once to every pixel of output map ``o``.
    stride : int or (int, int), default 1
        How far apart the stamps of neighbouring input pixels land.
    padding : int or (int, int), default 0
        Rows (columns) cut from each side of the full output.
    output_padding : int or (int, int), default 0
        Rows (columns) kept at the bottom (right); smaller than the stride or the dilation.
    groups : int, default 1
        Input channels in ``groups`` blocks of ``C_in / groups``; block ``g`` stamps
        only onto the ``C_out / groups`` maps of block ``g``.
    dilation : int or (int, int), default 1
        Spacing of the kernel's taps within a stamp.

    Returns
    -------
    ndarray, shape (H_out, W_out, C_out), (N, H_out, W_out, C_out) or (H_out, W_out)
        ``H_out`` by :func:`transpose_output_size`; float32 (float64 when the image
        or the weights are float64).

    Raises
    ------
    TypeError, ValueError
        As :func:`conv_transpose2d`.

    Examples
    --------
    >>> conv_transpose2d_loops(np.array([[1.0, 2.0]]), np.ones((2, 2)))   # two stamps overlap in the middle
    array([[1., 3., 2.],
           [1., 3., 2.]])
    """
    image, weights, bias = plain_array(image, "image"), plain_array(weights, "weights"), plain_array(bias, "bias")
    (sH, sW), (pH, pW), _, groups, (dH, dW), (H_out, W_out) = _check_arguments(
        image, weights, bias, stride, padding, output_padding, groups, dilation)
    x, w = _as_batch(image, weights, bias)
    N, H, W, C_in = x.shape
    _, C_per_group, kH, kW = w.shape
    dtype = conv._compute_dtype(x.dtype, w.dtype)
    x, w = x.astype(dtype), w.astype(dtype)
    reach_h, reach_w = dH * (kH - 1) + 1, dW * (kW - 1) + 1  # rows and columns one stamp covers
    # The canvas holds every stamp whole, and the rows output_padding keeps beyond the last one.
    canvas = np.zeros((N, max((H - 1) * sH + reach_h, pH + H_out), max((W - 1) * sW + reach_w, pW + W_out),
                       C_per_group * groups), dtype)
    for n in range(N):
        for r in range(H):
            for c in range(W):
                for ci in range(C_in):
                    g = ci // (C_in // groups)  # the group of input channel ci
                    maps = slice(g * C_per_group, (g + 1) * C_per_group)  # the output maps it stamps onto
                    stamp = x[n, r, c, ci] * w[ci]  # (C_out / groups, kH, kW): the kernel scaled by the pixel
                    i, j = r * sH, c * sW  # where the stamp's top-left corner lands
                    canvas[n, i:i + reach_h:dH, j:j + reach_w:dW, maps] += stamp.transpose(1, 2, 0)
    out = canvas[:, pH:pH + H_out, pW:pW + W_out]  # padding cuts rows and columns from each side
    if bias is not None:
        out = out + np.asarray(bias, dtype)
    return _shape_back(np.ascontiguousarray(out), image, weights)


def conv_transpose2d(image, weights, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Transposed convolution (PyTorch's ``conv_transpose2d``), fast and vectorized, channels-last.

    The same sum as :func:`conv_transpose2d_loops`, computed as ordinary correlations.
    It equals a ``conv2d`` of the input spread out (``stride - 1`` zeros between its
    pixels) and framed with ``dilation * (k - 1) - padding`` zeros on each side, with
    the kernel flipped (``[::-1, ::-1]``) and its two channel axes swapped. Most of
    those products would be with the zeros (three in four for stride 2), so instead
    the output is split into its ``sH x sW`` stride phases (``out[a::sH, b::sW]``):
    the output pixels of one phase are reached by the same taps of the kernel (those
    with ``(i * dH - a - padding) % sH == 0``), and the phase is a correlation of the
    input itself, unspread, with those taps flipped, through the engine of
    :func:`conv2d_lib.conv2d` (see :func:`_phases`).

    Parameters
    ----------
    image : ndarray, shape (H, W), (H, W, C_in) or (N, H, W, C_in)
        Channels-last. A 2-D image is one channel (and goes with a 2-D kernel).
        Integer images are computed in float32.
    weights : ndarray, shape (C_in, C_out / groups, kH, kW) or (kH, kW)
        PyTorch's layout for a transposed convolution: the weights of a
        ``conv2d(y, weights, groups=groups)`` from ``C_out`` to ``C_in`` channels.
    bias : None, float or ndarray of shape (C_out,), default None
    stride, dilation : int or (int, int), default 1
        Each >= 1.
    padding : int or (int, int), default 0
        Each >= 0: rows (columns) cut from each side of the full output. No "same".
    output_padding : int or (int, int), default 0
        Each >= 0 and smaller than the stride or the dilation along its axis.
    groups : int, default 1
        Must divide ``C_in``; ``C_out = groups * weights.shape[1]``.

    Returns
    -------
    ndarray, shape (H_out, W_out, C_out), (N, H_out, W_out, C_out) or (H_out, W_out)
        ``H_out = (H - 1) * stride - 2 * padding + dilation * (kH - 1) + output_padding + 1``
        (:func:`transpose_output_size`). float32, or float64 when the image or the
        weights are float64.

    Raises
    ------
    TypeError
        When the image or the weights are not a real ndarray, a setting is not an int
        or a pair of ints (``padding="same"`` included), or the bias is not a number or
        an ndarray.
    ValueError
        When an array has the wrong number of dimensions or is empty, the image's
        channels are not ``weights.shape[0]``, ``groups`` does not divide them, a
        stride, dilation or groups is < 1, a padding is negative, ``output_padding`` is
        not smaller than the stride or the dilation, the padding crops away the whole
        output, the bias has the wrong length, or the output or the input framed by
        the kernel's reach would take more than ``conv2d_lib.conv.MAX_ARRAY_BYTES``.

    Examples
    --------
    >>> conv_transpose2d(np.array([[1.0, 2.0]]), np.ones((2, 2)), stride=2)   # stamps side by side
    array([[1., 1., 2., 2.],
           [1., 1., 2., 2.]])
    >>> conv_transpose2d(np.zeros((16, 16, 8)), np.zeros((8, 3, 3, 3)), stride=2, padding=1,
    ...                  output_padding=1).shape
    (32, 32, 3)
    """
    image, weights, bias = plain_array(image, "image"), plain_array(weights, "weights"), plain_array(bias, "bias")
    stride, padding, _, groups, dilation, out_hw = _check_arguments(
        image, weights, bias, stride, padding, output_padding, groups, dilation)
    x, w = _as_batch(image, weights, bias)
    N, H, W, C_in = x.shape
    _, C_per_group, kH, kW = w.shape
    dtype = conv._compute_dtype(x.dtype, w.dtype)
    x = x.astype(dtype, copy=False)
    # The correlation's kernels: for output map o of group g and input channel ci of g,
    # weights[g * C_in / groups + ci, o] (flipped below, phase by phase).
    w_conv = w.astype(dtype, copy=False).reshape(groups, C_in // groups, C_per_group, kH, kW).transpose(0, 2, 1, 3, 4)
    w_conv = w_conv.reshape(groups * C_per_group, C_in // groups, kH, kW)
    bias = None if bias is None else np.broadcast_to(np.asarray(bias, dtype), (groups * C_per_group,))
    out = np.empty((N, *out_hw, groups * C_per_group), dtype)
    rows = _phases(H, kH, stride[0], padding[0], dilation[0], out_hw[0])
    cols = _phases(W, kW, stride[1], padding[1], dilation[1], out_hw[1])
    for a, taps_i, (top, bottom), dilation_h, size_h in rows:
        for b, taps_j, (left, right), dilation_w, size_w in cols:
            target = out[:, a::stride[0], b::stride[1]]
            # Crop the input where the frame is negative: what is left is all the phase reads of it.
            piece = x[:, max(0, -top):H - max(0, -bottom), max(0, -left):W - max(0, -right)]
            if taps_i is None or taps_j is None or piece.size == 0:  # no tap reaches this phase, or only zeros
                target[...] = 0 if bias is None else bias
                continue
            # Frame it so that phase output q reads input rows q - top + m * dilation_h.
            piece = np.pad(piece, ((0, 0), (max(0, top), max(0, bottom)), (max(0, left), max(0, right)), (0, 0)))
            kernel = np.ascontiguousarray(w_conv[:, :, taps_i, taps_j][:, :, ::-1, ::-1])
            target[...] = _fast.correlate(piece, kernel, (1, 1), (dilation_h, dilation_w), (size_h, size_w),
                                          bias=bias, groups=groups)
    return _shape_back(out, image, weights)


def _phases(n, k, s, p, d, n_out):
    """How to compute each stride phase of a transposed convolution along one axis (arguments checked).

    Output ``u = a + s * q`` of phase ``a`` is full output ``t = u + p``, which tap ``i``
    reaches from input ``r = (t - i * d) / s`` when that is whole: for the taps
    ``i = i0, i0 + step, ...`` with ``(i0 * d - a - p) % s == 0`` and ``step = s / gcd(s, d)``,
    input ``r = q - c_0 - m * e`` for the ``m``-th of them (``e = d / gcd(s, d)``). Reversing
    the taps turns that into a correlation with dilation ``e`` of the input framed by
    ``c_0 + (M - 1) * e`` rows before it.

    Returns
    -------
    list of (int, slice or None, (int, int), int, int)
        For every phase ``a`` that holds outputs: ``a``; the taps (None when no tap
        reaches it); the rows to add before and after the input (negative: to crop);
        the dilation ``e`` of the phase's correlation; and its number of outputs.
    """
    plans = []
    g = gcd(s, d)
    step, e = s // g, d // g
    for a in range(min(s, n_out)):
        size = len(range(a, n_out, s))
        first = [i for i in range(min(step, k)) if (i * d - a - p) % s == 0]
        if not first:
            plans.append((a, None, (0, 0), e, size))
            continue
        i0 = first[0]
        taps = slice(i0, None, step)
        M = len(range(k)[taps])
        c0 = (i0 * d - a - p) // s
        before = c0 + (M - 1) * e
        # The last output reads input (size - 1) - before + (M - 1) * e: frame up to it.
        after = (size - 1) - before + (M - 1) * e - (n - 1)
        plans.append((a, taps, (before, after), e, size))
    return plans
