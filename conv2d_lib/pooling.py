"""Max and average pooling, channels-last, with PyTorch's meaning and output sizes.

A pooling window slides over each channel on its own, like a depthwise convolution's
kernel, but instead of multiplying and summing it keeps the largest value (max
pooling) or the mean (average pooling). Nothing is learned.

* ``stride`` defaults to ``kernel_size`` (windows side by side, as in PyTorch);
* ``H_out = floor((H + 2 * padding - kH) / stride) + 1`` (PyTorch's ``ceil_mode=False``,
  the only mode here), the same rule as :func:`conv2d_lib.output_size`;
* ``padding`` is at most half the kernel size, as PyTorch requires. Max pooling pads
  with ``-inf`` (a padded pixel is never the maximum), average pooling with zeros that
  count in the mean (PyTorch's default ``count_include_pad=True``).

:func:`max_pool2d_backward` sends each output's gradient to the pixel that was the
maximum of its window (the first one in row-major order when several tie, as
PyTorch does), so a network layer can learn through max pooling.
"""

from __future__ import annotations

import numpy as np

from . import conv
from ._checks import check_array, check_array_bytes, check_pair, describe, is_int, plain_array

__all__ = ["max_pool2d", "avg_pool2d", "max_pool2d_backward", "max_pool2d_loops", "avg_pool2d_loops"]

_SHAPES = "(H, W), (H, W, C) or (N, H, W, C)"


def _check_arguments(image, kernel_size, stride, padding, name="image"):
    """Check a pooling call; return the image, the settings as pairs and ``(H_out, W_out)``."""
    image = check_array(image, name, (2, 3, 4), _SHAPES)
    kernel = check_pair(kernel_size, "kernel_size", 1)
    stride = kernel if stride is None else check_pair(stride, "stride", 1)
    if not (is_int(padding) or isinstance(padding, (tuple, list))):
        raise TypeError(f"padding must be an int or a pair of ints (rows, columns), got {describe(padding)}")
    padding = check_pair(padding, "padding", 0)
    for p, k, axis in zip(padding, kernel, ("height", "width")):
        if 2 * p > k:
            raise ValueError(f"padding must be at most half the kernel size (as in PyTorch), got padding {p} "
                             f"with kernel_size {k} along {axis}")
    H, W = image.shape[1:3] if image.ndim == 4 else image.shape[:2]
    out_hw = conv.output_size((H, W), kernel, stride, padding)  # in words when the window does not fit
    N = image.shape[0] if image.ndim == 4 else 1
    C = image.shape[-1] if image.ndim > 2 else 1
    itemsize = conv._compute_dtype(image.dtype).itemsize
    cause = f"the {name} of shape {image.shape} with padding {padding}"
    check_array_bytes((N, H + 2 * padding[0], W + 2 * padding[1], C), itemsize, conv.MAX_ARRAY_BYTES,
                      "a padded input", cause)
    return image, kernel, stride, padding, out_hw


def _padded_batch(image, padding, fill):
    """(N, H + 2 pH, W + 2 pW, C) in the compute dtype, the frame filled with ``fill``."""
    x = image if image.ndim == 4 else image[np.newaxis]
    x = x[..., np.newaxis] if image.ndim == 2 else x
    x = x.astype(conv._compute_dtype(x.dtype), copy=False)
    (pH, pW) = padding
    return np.pad(x, ((0, 0), (pH, pH), (pW, pW), (0, 0)), constant_values=fill)


def _tap(padded, i, j, stride, out_hw):
    """What tap (i, j) of every window sees: ``padded[:, r * sH + i, c * sW + j]`` for all outputs (a view)."""
    (sH, sW), (H_out, W_out) = stride, out_hw
    return padded[:, i:i + sH * (H_out - 1) + 1:sH, j:j + sW * (W_out - 1) + 1:sW]


def _shape_back(out, image):
    out = out if image.ndim == 4 else out[0]
    return out[..., 0] if image.ndim == 2 else out


def _pool_loops(image, kernel_size, stride, padding, fill, reduce):
    """Pooling as plain loops: ``reduce`` each window of the image padded with ``fill``."""
    image = plain_array(image, "image")
    image, (kH, kW), (sH, sW), padding, (H_out, W_out) = _check_arguments(image, kernel_size, stride, padding)
    padded = _padded_batch(image, padding, fill)
    N, _, _, C = padded.shape
    out = np.empty((N, H_out, W_out, C), padded.dtype)
    for n in range(N):
        for r in range(H_out):
            for c in range(W_out):
                for ch in range(C):
                    window = padded[n, r * sH:r * sH + kH, c * sW:c * sW + kW, ch]
                    out[n, r, c, ch] = reduce(window)
    return _shape_back(out, image)


def _pool_taps(image, kernel_size, stride, padding, fill, combine, average=False):
    """Pooling by whole-image taps: ``combine`` (a ufunc) the strided views of the padded image, one per
    kernel offset, so the loop runs over the ``kH * kW`` offsets and NumPy over the pixels; ``average``
    then divides by ``kH * kW``."""
    image = plain_array(image, "image")
    image, (kH, kW), stride, padding, out_hw = _check_arguments(image, kernel_size, stride, padding)
    padded = _padded_batch(image, padding, fill)
    out = _tap(padded, 0, 0, stride, out_hw).copy()
    for i in range(kH):
        for j in range(kW):
            if i or j:
                combine(out, _tap(padded, i, j, stride, out_hw), out=out)
    if average:
        out /= kH * kW
    return _shape_back(out, image)


def max_pool2d_loops(image, kernel_size, stride=None, padding=0):
    """Max pooling as plain loops: every output pixel is the largest value in its window.

    Parameters
    ----------
    image : ndarray, shape (H, W), (H, W, C) or (N, H, W, C)
    kernel_size, stride, padding
        As in :func:`max_pool2d`.

    Returns
    -------
    ndarray, shape (H_out, W_out, C), (N, H_out, W_out, C) or (H_out, W_out)
        As :func:`max_pool2d`.

    Raises
    ------
    TypeError, ValueError
        As :func:`max_pool2d`.

    Examples
    --------
    >>> max_pool2d_loops(np.arange(16.0).reshape(4, 4), 2)
    array([[ 5.,  7.],
           [13., 15.]])
    """
    # A padded pixel is -inf: never the maximum.
    return _pool_loops(image, kernel_size, stride, padding, fill=-np.inf, reduce=np.max)


def avg_pool2d_loops(image, kernel_size, stride=None, padding=0):
    """Average pooling as plain loops: every output pixel is the mean of its window, padding included.

    Parameters
    ----------
    image : ndarray, shape (H, W), (H, W, C) or (N, H, W, C)
    kernel_size, stride, padding
        As in :func:`avg_pool2d`.

    Returns
    -------
    ndarray, shape (H_out, W_out, C), (N, H_out, W_out, C) or (H_out, W_out)
        As :func:`avg_pool2d`.

    Raises
    ------
    TypeError, ValueError
        As :func:`avg_pool2d`.

    Examples
    --------
    >>> avg_pool2d_loops(np.arange(16.0).reshape(4, 4), 2)
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    # Padded zeros count in the mean (PyTorch's count_include_pad=True).
    return _pool_loops(image, kernel_size, stride, padding, fill=0, reduce=np.mean)


def max_pool2d(image, kernel_size, stride=None, padding=0):
    """Max pooling (PyTorch's ``max_pool2d``, ``ceil_mode=False``), channels-last.

    Each channel on its own: output ``(r, c)`` is the largest value of the window of
    ``kH x kW`` pixels with its top-left corner at ``(r * sH, c * sW)`` of the padded
    image. Computed tap by tap (``kH * kW`` elementwise maxima of shifted views), as
    :func:`max_pool2d_loops` spells it out. A NaN in a window makes its output NaN,
    as in PyTorch.

    Parameters
    ----------
    image : ndarray, shape (H, W), (H, W, C) or (N, H, W, C)
        Channels-last; every channel is pooled on its own.
    kernel_size : int or (int, int)
        ``kH`` or ``(kH, kW)``, each >= 1.
    stride : None, int or (int, int), default None
        Each >= 1; None means ``kernel_size`` (windows side by side).
    padding : int or (int, int), default 0
        ``-inf`` added on each side; at most half the kernel size.

    Returns
    -------
    ndarray, shape (H_out, W_out, C), (N, H_out, W_out, C) or (H_out, W_out)
        ``H_out = floor((H + 2 * padding - kH) / stride) + 1``. float32 (float64 for a
        float64 image; integers are computed in float32).

    Raises
    ------
    TypeError
        When ``image`` is not a real ndarray, or a size is not an int or a pair of ints.
    ValueError
        When ``image`` has the wrong number of dimensions or is empty, a size is out of
        range, the padding is more than half the kernel size, the window does not fit the
        padded image, or the padded image would take more than
        ``conv2d_lib.conv.MAX_ARRAY_BYTES``.

    Examples
    --------
    >>> max_pool2d(np.arange(16.0).reshape(4, 4), 2)
    array([[ 5.,  7.],
           [13., 15.]])
    >>> max_pool2d(np.zeros((112, 112, 64)), 3, stride=2, padding=1).shape   # ResNet's stem
    (56, 56, 64)
    """
    return _pool_taps(image, kernel_size, stride, padding, fill=-np.inf, combine=np.maximum)


def avg_pool2d(image, kernel_size, stride=None, padding=0):
    """Average pooling (PyTorch's ``avg_pool2d``, ``ceil_mode=False``, ``count_include_pad=True``).

    Each channel on its own: output ``(r, c)`` is the mean of the ``kH x kW`` window
    with its top-left corner at ``(r * sH, c * sW)`` of the zero-padded image, always
    divided by ``kH * kW`` (the padded zeros count, as in PyTorch's default). That is a
    depthwise convolution with a box kernel of ``1 / (kH * kW)``.

    Parameters
    ----------
    image : ndarray, shape (H, W), (H, W, C) or (N, H, W, C)
    kernel_size : int or (int, int)
    stride : None, int or (int, int), default None
        None means ``kernel_size``.
    padding : int or (int, int), default 0
        Zeros added on each side; at most half the kernel size.

    Returns
    -------
    ndarray, shape (H_out, W_out, C), (N, H_out, W_out, C) or (H_out, W_out)
        As :func:`max_pool2d`.

    Raises
    ------
    TypeError, ValueError
        As :func:`max_pool2d`.

    Examples
    --------
    >>> avg_pool2d(np.arange(16.0).reshape(4, 4), 2)
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    >>> avg_pool2d(np.ones((2, 2)), 2, stride=1, padding=1)[0]   # the corner window holds 1 one and 3 zeros
    array([0.25, 0.5 , 0.25])
    """
    return _pool_taps(image, kernel_size, stride, padding, fill=0, combine=np.add, average=True)


def max_pool2d_backward(grad_output, image, kernel_size, stride=None, padding=0):
    """The gradient of :func:`max_pool2d` with respect to its input.

    Each output pixel's gradient goes to the one input pixel that was the maximum of
    its window, and nowhere else; where windows overlap (stride < kernel) a pixel that
    is the maximum of several windows collects all their gradients. When several
    pixels of a window tie for the maximum, the first one in row-major order (top row
    first, left to right) gets it, as in PyTorch; a padded pixel never does, and a NaN
    counts as the maximum (the last NaN of the window, as in PyTorch).

    Parameters
    ----------
    grad_output : ndarray, shape of ``max_pool2d(image, kernel_size, stride, padding)``
        The gradient of the loss with respect to the pooled output.
    image : ndarray, shape (H, W), (H, W, C) or (N, H, W, C)
        The input the forward pass pooled.
    kernel_size, stride, padding
        As in :func:`max_pool2d`.

    Returns
    -------
    ndarray, shape of ``image``
        float32, or float64 when ``image`` or ``grad_output`` is float64.

    Raises
    ------
    TypeError
        As :func:`max_pool2d`, and when ``grad_output`` is not a real ndarray.
    ValueError
        As :func:`max_pool2d`, and when ``grad_output`` does not have the output's shape.

    Examples
    --------
    >>> image = np.array([[1.0, 3.0], [3.0, 2.0]])      # a tie: the first 3 (row 0) gets the gradient
    >>> max_pool2d_backward(np.array([[10.0]]), image, 2)
    array([[ 0., 10.],
           [ 0.,  0.]])
    """
    image, grad_output = plain_array(image, "image"), plain_array(grad_output, "grad_output")
    image, (kH, kW), stride, padding, out_hw = _check_arguments(image, kernel_size, stride, padding)
    expected = {2: out_hw, 3: (*out_hw, image.shape[-1]), 4: (image.shape[0], *out_hw, image.shape[-1])}[image.ndim]
    grad_output = check_array(grad_output, "grad_output", (image.ndim,), f"{expected}, the pooled output's shape")
    if grad_output.shape != expected:
        raise ValueError(f"grad_output must have the shape max_pool2d gives for this image, {tuple(expected)}, "
                         f"got shape {grad_output.shape}")
    padded = _padded_batch(image, padding, -np.inf)
    dtype = conv._compute_dtype(padded.dtype, grad_output.dtype)
    grad = grad_output if grad_output.ndim == 4 else grad_output[np.newaxis]
    grad = (grad[..., np.newaxis] if image.ndim == 2 else grad).astype(dtype, copy=False)
    (pH, pW) = padding
    _, Hp, Wp, _ = padded.shape
    inside = np.zeros((Hp, Wp, 1), bool)
    inside[pH:Hp - pH, pW:Wp - pW] = True  # the image's own pixels, not the frame
    # PyTorch's rule, tap by tap in row-major order: a tap takes the window's maximum when it is
    # larger than the best so far, or a NaN, or the window's first pixel inside the image.
    best = np.full(grad.shape, -np.inf, padded.dtype)
    winner = np.full(grad.shape, -1, np.int64)
    for i in range(kH):
        for j in range(kW):
            value = _tap(padded, i, j, stride, out_hw)
            here = _tap(inside[np.newaxis], i, j, stride, out_hw)
            take = here & ((value > best) | np.isnan(value) | (winner < 0))
            best = np.where(take, value, best)
            winner = np.where(take, i * kW + j, winner)
    grad_padded = np.zeros(padded.shape, dtype)
    for i in range(kH):
        for j in range(kW):  # within one tap, different windows read different pixels: += is safe
            _tap(grad_padded, i, j, stride, out_hw)[...] += np.where(winner == i * kW + j, grad, 0)
    out = grad_padded[:, pH:Hp - pH, pW:Wp - pW]
    return _shape_back(np.ascontiguousarray(out), image)
