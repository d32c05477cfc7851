"""The backward pass of conv2d: how the loss changes with the image, the weights and the bias.

A layer learns by gradient descent: after the forward pass ``out = conv2d(image,
weights, bias)`` and a loss computed from ``out``, the loss's gradient with respect
to ``out`` (``grad_output``, one number per output value) comes back, and the layer
needs three more gradients, of the same shapes as what they belong to:

* ``grad_bias[o]``: the sum of ``grad_output`` over every pixel of output map ``o``
  (the bias is added to each of them once);
* ``grad_weights[o, ch, i, j]``: every window value that tap ``(i, j)`` met,
  times the gradient of the output it made, summed; this is a correlation of the
  padded input with ``grad_output``;
* ``grad_image``: every output pixel sends ``grad_output`` times the kernel back
  onto its window; this is a *full* correlation of ``grad_output`` (spread apart
  by the stride) with the flipped kernel. A padded pixel of the zeros mode is no
  pixel of the image, and its gradient is dropped; the other modes copy image
  pixels into the padding, and a copy's gradient goes back to the pixel it copies.

Rows and columns that no window reaches (dropped by the floor in
:func:`conv2d_lib.output_size`) take part in no output and get zero gradient.

Shapes as in :mod:`conv2d_lib.conv`: images channels-last ``(H, W)``, ``(H, W, C_in)``
or ``(N, H, W, C_in)``, weights ``(C_out, C_in, kH, kW)`` (or a plain ``(kH, kW)``
kernel with a 2-D image), ``grad_output`` shaped like conv2d's output. NumPy only.
"""

from __future__ import annotations

from math import gcd

import numpy as np

from . import _fast, conv
from ._checks import _NUMERIC_KINDS, check_array_bytes, describe, plain_array
from .conv import _compute_dtype, check_conv2d_arguments, output_size, pad, resolve_padding
from .influence import padded_source

__all__ = ["conv2d_backward", "conv2d_backward_loops"]


# --------------------------------------------------------------------------- checking


def _check_arguments(grad_output, image, weights, stride, padding, dilation, padding_mode):
    """Check every argument as conv2d does, and ``grad_output`` against conv2d's output shape.

    Returns
    -------
    grad_output, image, weights : ndarray
        Plain arrays.
    stride, dilation : (int, int)
    """
    image, weights = plain_array(image, "image"), plain_array(weights, "weights")
    stride, dilation = check_conv2d_arguments(image, weights, None, stride, padding, dilation, padding_mode)
    grad_output = plain_array(grad_output, "grad_output")
    if not isinstance(grad_output, np.ndarray):
        raise TypeError(f"grad_output must be a numpy.ndarray shaped like conv2d's output, got {describe(grad_output)}")
    if grad_output.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(f"grad_output must hold real numbers (bool, int, uint or float), got dtype {grad_output.dtype}")
    kHW = weights.shape[-2:]
    HW = image.shape[1:3] if image.ndim == 4 else image.shape[:2]
    H_out, W_out = output_size(HW, kHW, stride, padding, dilation)
    expected = (H_out, W_out) if weights.ndim == 2 else (H_out, W_out, weights.shape[0])
    expected = (image.shape[0], *expected) if image.ndim == 4 else expected
    if grad_output.shape != expected:
        raise ValueError(
            f"grad_output must have the shape of conv2d's output, {expected} (image shape {image.shape}, "
            f"weights shape {weights.shape}, stride {stride}, padding={padding!r}, dilation {dilation}), "
            f"got shape {grad_output.shape}"
        )
    return grad_output, image, weights, stride, dilation


def _as_batch(grad_output, image, weights):
    """One shape for every case: (N, H_out, W_out, C_out), (N, H, W, C_in), (C_out, C_in, kH, kW)."""
    x = image if image.ndim == 4 else image[np.newaxis]
    x = x[..., np.newaxis] if image.ndim == 2 else x
    w = weights[np.newaxis, np.newaxis] if weights.ndim == 2 else weights
    g = grad_output[..., np.newaxis] if weights.ndim == 2 else grad_output
    g = g if image.ndim == 4 else g[np.newaxis]
    return g, x, w


def _as_given(grad_x, grad_w, image, weights):
    """Back to the shapes that came in: no batch axis for one image, 2-D for a 2-D image and kernel."""
    return grad_x.reshape(image.shape), grad_w.reshape(weights.shape)


# --------------------------------------------------------------------------- loops


def conv2d_backward_loops(grad_output, image, weights, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """The backward pass of :func:`conv2d_lib.conv2d` written as plain loops: what it means, step by step.

    Slow on purpose. It runs the forward pass's loops again (see
    :func:`conv2d_lib.conv2d_loops`), and at every output pixel, instead of
    computing ``out = sum(window * kernel) + bias``, it sends the gradient of that
    output back to the three things that made it, by the rules of a product and a
    sum: the kernel gets ``grad * window``, the window gets ``grad * kernel``, the
    bias gets ``grad``. Then the padding's gradient goes back to the image pixels
    it copies (none for zeros).

    Parameters
    ----------
    grad_output : ndarray, shape (H_out, W_out, C_out), (N, H_out, W_out, C_out) or (H_out, W_out)
        The loss's gradient with respect to each output value: the shape of
        ``conv2d(image, weights, ...)`` (2-D for a plain kernel).
    image : ndarray, shape (H, W), (H, W, C_in) or (N, H, W, C_in)
        The forward pass's input, channels-last.
    weights : ndarray, shape (C_out, C_in, kH, kW) or (kH, kW)
        The forward pass's weights; a plain kernel goes with a 2-D image.
    stride, padding, dilation, padding_mode
        As in :func:`conv2d_lib.conv2d`.

    Returns
    -------
    grad_image : ndarray, the shape of ``image``
    grad_weights : ndarray, the shape of ``weights``
    grad_bias : ndarray, shape (C_out,)
        ``(1,)`` for a plain kernel. All three float32, or float64 when
        ``grad_output``, ``image`` or ``weights`` is float64.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv2d_lib.conv2d`, and a ValueError naming both shapes when
        ``grad_output`` does not have the shape of conv2d's output.

    Examples
    --------
    >>> image = np.arange(9.0).reshape(3, 3)
    >>> grad_image, grad_kernel, grad_bias = conv2d_backward_loops(np.ones((2, 2)), image, np.ones((2, 2)))
    >>> grad_image       # how many windows each pixel is in
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> grad_kernel      # each tap's sum over the windows it met: 0+1+3+4, 1+2+4+5, ...
    array([[ 8., 12.],
           [20., 24.]])
    >>> grad_bias
    array([4.])
    """
    # 0. Check every argument as conv2d does, and grad_output against conv2d's output shape.
    grad_output, image, weights, (sH, sW), (dH, dW) = _check_arguments(
        grad_output, image, weights, stride, padding, dilation, padding_mode)

    # 1. One shape for every case: batches (N, H, W, C_in) and (N, H_out, W_out, C_out), kernels (C_out, C_in, kH, kW).
    g, x, w = _as_batch(grad_output, image, weights)
    N, H, W, C_in = x.shape
    C_out, C_in, kH, kW = w.shape
    _, H_out, W_out, _ = g.shape

    # 2. Compute in floating point: float32, or float64 if any of the three is.
    dtype = _compute_dtype(g.dtype, x.dtype, w.dtype)
    g, w = g.astype(dtype), w.astype(dtype)

    # 3. Pad the images as the forward pass did. The gradient of the padded images starts at zero.
    (top, bottom), (left, right) = resolve_padding(padding, (kH, kW), (sH, sW), (dH, dW))
    padded = pad(x.astype(dtype), ((top, bottom), (left, right)), padding_mode)
    grad_padded = np.zeros_like(padded)
    grad_w = np.zeros((C_out, C_in, kH, kW), dtype)
    grad_b = np.zeros(C_out, dtype)

    # 4. The forward pass's loops. Output out[n, r, c, o] = sum(window * kernel) + bias[o], so a
    #    change of the loss by grad per unit of out changes it by grad * window per unit of kernel,
    #    by grad * kernel per unit of window, and by grad per unit of bias: each adds that up.
    reach_h, reach_w = dH * (kH - 1) + 1, dW * (kW - 1) + 1  # rows and columns one window spans
    for n in range(N):
        for o in range(C_out):
            kernel = w[o].transpose(1, 2, 0)  # (kH, kW, C_in), laid out like the window
            for r in range(H_out):
                for c in range(W_out):
                    i, j = r * sH, c * sW  # the window's top-left pixel in the padded image
                    window = padded[n, i:i + reach_h:dH, j:j + reach_w:dW, :]  # (kH, kW, C_in)
                    grad = g[n, r, c, o]
                    grad_w[o] += grad * window.transpose(2, 0, 1)
                    grad_padded[n, i:i + reach_h:dH, j:j + reach_w:dW, :] += grad * kernel
                    grad_b[o] += grad

    # 5. Back from the padded images to the images. padded_source says which image row each padded
    #    row is (a copy of): -1 for zeros, whose gradient is dropped, since they are no image pixel.
    rows = padded_source(H, top, bottom, padding_mode)
    cols = padded_source(W, left, right, padding_mode)
    grad_x = np.zeros((N, H, W, C_in), dtype)
    for y in range(H + top + bottom):
        for z in range(W + left + right):
            if rows[y] >= 0 and cols[z] >= 0:
                grad_x[:, rows[y], cols[z]] += grad_padded[:, y, z]

    # 6. Give back the shapes that came in.
    grad_x, grad_w = _as_given(grad_x, grad_w, image, weights)
    return grad_x, grad_w, grad_b


# --------------------------------------------------------------------------- fast


def _block_positions(k, itemsize):
    """Output positions per block of ``k`` numbers each, as conv2d's columns are sized (see _fast.py)."""
    positions = max(_fast.MIN_BLOCK_POSITIONS, _fast.BLOCK_BYTES // (k * itemsize))
    return max(1, min(positions, _fast.MAX_BLOCK_BYTES // (k * itemsize)))


def _grad_weights(padded, g, kernel_hw, stride, dilation):
    """The weight gradient: the forward pass's columns (its windows) times grad_output, block by block.

    ``grad_weights[o, ch, i, j] = sum_{n, r, c} padded[n, r*sH + i*dH, c*sW + j*dW, ch] * g[n, r, c, o]``
    is the correlation of the padded input with ``grad_output``. conv2d's columns
    hold, for every output position, its window: row ``(i, j, ch)`` of the columns
    against ``grad_output`` is exactly that sum, so the correlation is one product
    ``columns (K, positions) @ grad_output (positions, C_out)`` per block, the
    columns copied from the same strided views as conv2d's (``_fast._tap_views``).
    (Calling ``_fast.correlate`` with the batch as channels and ``grad_output`` as
    kernels computes the same sum with the columns the other way round, a
    ``kH x kW`` output with huge kernels: measured 2.5-5x slower on W3-W5.)

    Parameters
    ----------
    padded : ndarray, shape (N, Hp, Wp, C_in)
    g : ndarray, shape (N, H_out, W_out, C_out)
    kernel_hw, stride, dilation : (int, int)

    Returns
    -------
    ndarray, shape (C_out, C_in, kH, kW)
    """
    N, _, _, C_in = padded.shape
    _, H_out, W_out, C_out = g.shape
    kH, kW = kernel_hw
    k = kH * kW * C_in
    channels_first = C_in < _fast.MANY_CHANNELS  # conv2d's own dispatch rule for the column layout
    views = _fast._tap_views(padded, kernel_hw, stride, dilation, (H_out, W_out), channels_first)
    g_rows = g.reshape(N * H_out * W_out, C_out)
    grad = np.zeros((k, C_out), g.dtype)  # rows (i, j, ch), as the columns
    for images, rows in _fast._blocks(N, H_out, W_out, _block_positions(k, g.itemsize)):
        n_img, n_rows = images.stop - images.start, rows.stop - rows.start
        length = n_img * n_rows * W_out
        start = (images.start * H_out + rows.start) * W_out
        buffer = _fast._work_buffer(k * length, g.dtype)
        if channels_first:
            cols = buffer.reshape(k, length)
            grid = cols.reshape(kH, kW, C_in, n_img, n_rows, W_out)
            for taps_i, taps_j, view in views:
                grid[taps_i, taps_j] = view[:, :, :, images, rows]
            grad += cols @ g_rows[start:start + length]
        else:
            cols = buffer.reshape(length, k)
            grid = cols.reshape(n_img, n_rows, W_out, kH, kW, C_in)
            for taps_i, taps_j, view in views:
                grid[:, :, :, taps_i, taps_j] = view[images, rows]
            grad += cols.T @ g_rows[start:start + length]
    return np.ascontiguousarray(grad.reshape(kH, kW, C_in, C_out).transpose(3, 2, 0, 1))


def _shift_rows(a, axis, before, after):
    """``a`` with ``before`` zero rows added above (or cut off, when negative) and ``after`` below, along ``axis``."""
    n = a.shape[axis]
    keep = [slice(None)] * a.ndim
    keep[axis] = slice(max(0, -before), n - max(0, -after))
    a = a[tuple(keep)]
    widths = [(0, 0)] * a.ndim
    widths[axis] = (max(0, before), max(0, after))
    return np.pad(a, widths) if any(widths[axis]) else a


def _phase_taps(phase, stride, dilation, k):
    """The taps that reach rows ``phase, phase + stride, ...`` of the padded input, along one axis.

    Padded row ``y`` gets gradient from output row ``r`` through tap ``i`` when
    ``y = r * stride + i * dilation``. For ``y = phase + stride * q`` that needs
    ``i * dilation = phase (mod stride)``: the taps ``first, first + step, ...``
    with ``step = stride / gcd(stride, dilation)``, and tap number ``m`` reads
    output row ``q - shift - m * dilation / gcd``.

    Returns
    -------
    taps : slice or None
        The taps (None: no tap reaches this phase, its gradient is zero).
    shift : int
    spacing : int
        ``dilation / gcd(stride, dilation)``, the dilation of the sub-kernel.
    """
    common = gcd(stride, dilation)
    step, spacing = stride // common, dilation // common
    first = next((i for i in range(min(step, k)) if (i * dilation - phase) % stride == 0), None)
    if first is None:
        return None, 0, spacing
    return slice(first, None, step), (first * dilation - phase) // stride, spacing


def _grad_padded_correlation(g, w, stride, dilation, used_hw, padded_hw):
    """The gradient of the padded batch as a full correlation of grad_output with the flipped kernel.

    With stride 1 it is exactly that: ``grad_output`` padded with ``dilation * (k - 1)``
    zeros on each side, correlated with ``w[:, :, ::-1, ::-1]`` (input and output
    channels swapped) by ``_fast.correlate``. With a stride ``s``, the gradient
    would first be spread apart (``s - 1`` zeros between its rows), and most
    products would be with those zeros: each stride phase of the padded rows
    (``y = a, a + s, ...``) meets only the taps of one phase of the kernel
    (:func:`_phase_taps`), so each phase is its own full correlation of the
    unspread gradient with those taps, flipped, and nothing is multiplied by zero.

    Parameters
    ----------
    g : ndarray, shape (N, H_out, W_out, C_out)
    w : ndarray, shape (C_out, C_in, kH, kW)
    stride, dilation : (int, int)
    used_hw : (int, int)
        Padded rows and columns some window reaches; the rest get zero.
    padded_hw : (int, int)
        ``(Hp, Wp)``.

    Returns
    -------
    ndarray, shape (N, Hp, Wp, C_in)
    """
    N = g.shape[0]
    C_out, C_in, kH, kW = w.shape
    flipped = w.transpose(1, 0, 2, 3)  # (C_in, C_out, kH, kW): the gradient goes from the outputs to the inputs
    grad = np.zeros((N, *padded_hw, C_in), g.dtype)
    # Only the phases some tap reaches (at most kH x kW of them, whatever the stride); the rest stay zero.
    for a in sorted({i * dilation[0] % stride[0] for i in range(kH)}):
        taps_i, shift_i, spacing_i = _phase_taps(a, stride[0], dilation[0], kH)
        for b in sorted({j * dilation[1] % stride[1] for j in range(kW)}):
            taps_j, shift_j, spacing_j = _phase_taps(b, stride[1], dilation[1], kW)
            target = grad[:, a:used_hw[0]:stride[0], b:used_hw[1]:stride[1]]  # a view: filled in place
            if target.size == 0:
                continue
            sub = flipped[:, :, taps_i, taps_j][:, :, ::-1, ::-1]
            # Tap m of n_m (flipped: m' = n_m - 1 - m) reads row q - shift - m * spacing, so the
            # correlation needs grad_output moved down by shift + (n_m - 1) * spacing rows.
            spread = g
            for axis, shift, spacing, n_taps, q in ((1, shift_i, spacing_i, sub.shape[2], target.shape[1]),
                                                   (2, shift_j, spacing_j, sub.shape[3], target.shape[2])):
                before = shift + (n_taps - 1) * spacing
                after = q + (n_taps - 1) * spacing - before - spread.shape[axis]
                spread = _shift_rows(spread, axis, before, after)
            target[...] = _fast.correlate(spread, np.ascontiguousarray(sub), (1, 1), (spacing_i, spacing_j),
                                          target.shape[1:3])
    return grad


def _grad_padded_taps(g, w, stride, dilation, padded_hw):
    """The gradient of the padded batch, tap by tap: each tap sends ``grad_output @ weights[:, :, i, j]`` to its pixels.

    The same sum as the full correlation, ordered by taps: one product per block
    gives every tap's share ``(kH * kW * C_in, C_out) @ (C_out, positions)``, and
    tap ``(i, j)``'s share is added onto the padded pixels it read, rows
    ``r*sH + i*dH`` and columns ``c*sW + j*dW`` (``kH * kW`` strided adds,
    channels-first so that each add moves whole rows). For few input channels the
    correlation's product would have only ``C_in`` columns (W4, 3 channels:
    measured 3-4x slower than this).

    Parameters
    ----------
    g, w, stride, dilation, padded_hw
        As :func:`_grad_padded_correlation`.

    Returns
    -------
    ndarray, shape (N, Hp, Wp, C_in)
        A transposed view of a channels-first array.
    """
    N, H_out, W_out, C_out = g.shape
    _, C_in, kH, kW = w.shape
    (sH, sW), (dH, dW) = stride, dilation
    k = kH * kW * C_in
    w_taps = w.transpose(2, 3, 1, 0).reshape(k, C_out)  # rows (i, j, ch)
    grad = np.zeros((C_in, N, *padded_hw), g.dtype)
    for images, rows in _fast._blocks(N, H_out, W_out, _block_positions(k, g.itemsize)):
        n_img, n_rows = images.stop - images.start, rows.stop - rows.start
        block = g[images, rows].reshape(n_img * n_rows * W_out, C_out)
        buffer = _fast._work_buffer(k * block.shape[0], g.dtype)
        shares = np.matmul(w_taps, block.T, out=buffer.reshape(k, block.shape[0]))
        shares = shares.reshape(kH, kW, C_in, n_img, n_rows, W_out)
        for i in range(kH):
            top = (rows.start * sH) + i * dH  # the padded row that tap row i reads for the block's first output row
            for j in range(kW):
                grad[:, images, top:top + sH * (n_rows - 1) + 1:sH, j * dW:j * dW + sW * (W_out - 1) + 1:sW] += \
                    shares[i, j]
    return grad.transpose(1, 2, 3, 0)


def _grad_padded_image(g, w, stride, dilation, used_hw, padded_hw):
    """The gradient of the padded batch: by correlation from MANY_CHANNELS (16) input channels on, else by taps."""
    if w.shape[1] >= _fast.MANY_CHANNELS:
        return _grad_padded_correlation(g, w, stride, dilation, used_hw, padded_hw)
    return _grad_padded_taps(g, w, stride, dilation, padded_hw)


def _fold_padding(grad_padded, input_hw, pads, padding_mode):
    """Send the gradient of every padded pixel back to the image pixel it is (a copy of), one axis at a time.

    Returns
    -------
    ndarray, shape (N, H, W, C_in)
        A new array.
    """
    for axis, n, (before, after) in ((1, input_hw[0], pads[0]), (2, input_hw[1], pads[1])):
        if before == after == 0:
            continue
        inside = [slice(None)] * 4
        inside[axis] = slice(before, before + n)
        folded = grad_padded[tuple(inside)].copy()
        if padding_mode != "zeros":
            source = padded_source(n, before, after, padding_mode)
            border = np.r_[0:before, before + n:before + n + after]  # the padded rows, copies of source[border]
            index = [slice(None)] * 4
            index[axis] = source[border]
            taken = [slice(None)] * 4
            taken[axis] = border
            np.add.at(folded, tuple(index), grad_padded[tuple(taken)])
        grad_padded = folded
    return np.ascontiguousarray(grad_padded)


def conv2d_backward(grad_output, image, weights, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """The backward pass of :func:`conv2d_lib.conv2d`: gradients of the image, the weights and the bias.

    Given ``grad_output``, the loss's gradient with respect to each value of
    ``conv2d(image, weights, bias, stride, padding, dilation, padding_mode)``, this
    returns the loss's gradients with respect to ``image``, ``weights`` and ``bias``
    (the bias's value does not matter: it is not an argument). The result equals
    :func:`conv2d_backward_loops`, which spells the sums out as loops; here both
    large sums are correlations, run as matrix products on the same strided views
    and blocks as :func:`conv2d_lib.conv2d` (``conv2d_lib/_fast.py``, lesson 08)::

        grad_bias[o]             = sum_{n, r, c} grad_output[n, r, c, o]
        grad_weights[o, ch, i, j] = sum_{n, r, c} padded[n, r*sH + i*dH, c*sW + j*dW, ch]
                                                  * grad_output[n, r, c, o]
        grad_padded[n, y, x, ch] = sum of grad_output[n, r, c, o] * weights[o, ch, i, j]
                                   over y = r*sH + i*dH, x = c*sW + j*dW

    The weight gradient is a correlation of the padded input with ``grad_output``:
    conv2d's columns (every window, lesson 08's im2col) times ``grad_output``,
    one product per block. The gradient of the padded input is a full correlation
    of ``grad_output``, spread apart by the stride, with the flipped kernel: run by
    :func:`conv2d_lib._fast.correlate` one stride phase at a time (so that no
    product is with a zero of the spreading) from 16 input channels on, and for
    fewer, where that product would be skinny, as the same sum ordered by taps
    (one product, then each tap's share added onto the pixels it read). Padded
    zeros' gradient is dropped; reflect, replicate and circular padding send
    theirs back to the pixels they copy, as PyTorch does. Rows and columns that
    no window reaches get zero.

    Parameters
    ----------
    grad_output : ndarray, shape (H_out, W_out, C_out), (N, H_out, W_out, C_out) or (H_out, W_out)
        The shape of conv2d's output for these arguments (2-D for a plain kernel).
    image : ndarray, shape (H, W), (H, W, C_in) or (N, H, W, C_in)
        The forward pass's input, channels-last.
    weights : ndarray, shape (C_out, C_in, kH, kW) or (kH, kW)
        The forward pass's weights; a plain kernel goes with a 2-D image.
    stride : int or (int, int), default 1
    padding : int, (int, int), "valid" or "same", default 0
    dilation : int or (int, int), default 1
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, default "zeros"
        As in :func:`conv2d_lib.conv2d`.

    Returns
    -------
    grad_image : ndarray, the shape of ``image``
    grad_weights : ndarray, the shape of ``weights``
    grad_bias : ndarray, shape (C_out,)
        ``(1,)`` for a plain kernel. All three float32, or float64 when
        ``grad_output``, ``image`` or ``weights`` is float64 (integers are
        computed in float32, as in conv2d).

    Raises
    ------
    TypeError
        When an argument has the wrong type, as in :func:`conv2d_lib.conv2d`, or
        ``grad_output`` is not an ndarray of real numbers.
    ValueError
        When shapes or values do not fit, as in :func:`conv2d_lib.conv2d`, and when
        ``grad_output`` does not have the shape of conv2d's output (both shapes
        are named).

    Examples
    --------
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> grad_image, grad_kernel, grad_bias = conv2d_backward(np.ones((2, 2)), image, np.ones((3, 3)))
    >>> grad_image       # how many of the four 3 x 3 windows each pixel is in
    array([[1., 2., 2., 1.],
           [2., 4., 4., 2.],
           [2., 4., 4., 2.],
           [1., 2., 2., 1.]])
    >>> grad_kernel[0]   # what each top-row tap met in the four windows: 0+1+4+5, 1+2+5+6, 2+3+6+7
    array([10., 14., 18.])
    >>> conv2d_backward(np.ones((1, 1)), image, np.ones((2, 2)), stride=3)[0]   # floor((4 - 2) / 3) + 1 = 1
    array([[1., 1., 0., 0.],
           [1., 1., 0., 0.],
           [0., 0., 0., 0.],
           [0., 0., 0., 0.]])

    Introduced with the backward pass of a convolution layer (see :class:`conv2d_lib.Conv2D`'s ``backward``).
    """
    grad_output, image, weights, stride, dilation = _check_arguments(
        grad_output, image, weights, stride, padding, dilation, padding_mode)
    g, x, w = _as_batch(grad_output, image, weights)
    (N, H, W, _), (C_out, _, kH, kW), (_, H_out, W_out, _) = x.shape, w.shape, g.shape
    dtype = _compute_dtype(g.dtype, x.dtype, w.dtype)
    g, w = g.astype(dtype, copy=False), w.astype(dtype, copy=False)
    pads = resolve_padding(padding, (kH, kW), stride, dilation)
    # Work follows the output's size, as in conv2d: along an axis with one output the stride is never used.
    stride = tuple(1 if n_out == 1 else s for n_out, s in zip((H_out, W_out), stride))
    x = x.astype(dtype, copy=False)
    padded = x if pads == ((0, 0), (0, 0)) else pad(x, pads, padding_mode)
    padded_hw = padded.shape[1:3]
    # The rows and columns some window reaches; the floor drops the rest (zero gradient).
    used_hw = tuple(s * (n - 1) + d * (k - 1) + 1 for s, n, d, k in zip(stride, (H_out, W_out), dilation, (kH, kW)))
    # What the phases build: grad_output shifted, at most one kernel reach longer per axis.
    check_array_bytes((N, H_out + dilation[0] * (kH - 1), W_out + dilation[1] * (kW - 1), C_out), dtype.itemsize,
                      conv.MAX_ARRAY_BYTES, "a shifted output gradient",
                      f"grad_output of shape {grad_output.shape} with weights of shape {weights.shape}")

    grad_b = g.sum(axis=(0, 1, 2))
    grad_w = _grad_weights(padded, g, (kH, kW), stride, dilation)
    grad_padded = _grad_padded_image(g, w, stride, dilation, used_hw, padded_hw)
    grad_x = _fold_padding(grad_padded, (H, W), pads, padding_mode)
    grad_x, grad_w = _as_given(grad_x, grad_w, image, weights)
    return grad_x, grad_w, grad_b
