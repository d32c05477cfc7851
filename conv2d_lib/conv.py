"""2-D convolution (cross-correlation) in NumPy: the loop version, the fast version, sizes and padding.

Shapes follow one convention everywhere:

* images are channels-last, as matplotlib shows them: ``(H, W)``, ``(H, W, C_in)``
  or a batch ``(N, H, W, C_in)``;
* weights are ``(C_out, C_in, kH, kW)``: ``weights[o, c]`` is the 2-D kernel that
  output map ``o`` applies to input channel ``c`` (PyTorch's layout);
* outputs are channels-last again: ``(H_out, W_out, C_out)``.

Introduced in notebooks/02_kernels.ipynb (the loops) and notebooks/03_padding.ipynb.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _fast
from ._checks import check_array, check_choice, check_int, check_pair, describe, is_int

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
_NUMPY_PAD_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}

__all__ = ["conv2d", "conv2d_loops", "output_size", "explain_output_size", "pad", "resolve_padding", "PADDING_MODES"]


# --------------------------------------------------------------------------- sizes


def _one_output_size(n: int, k: int, s: int, p_total: int, d: int, axis: str) -> int:
    reach = d * (k - 1) + 1  # how many input pixels one (dilated) window spans
    if n + p_total < reach:
        raise ValueError(
            f"the kernel does not fit the padded input along {axis}: the window spans {reach} "
            f"pixels (kernel_size {k}, dilation {d}) but the padded input has {n + p_total} "
            f"(input {n} + {p_total} of padding); use a smaller kernel or more padding"
        )
    return (n + p_total - reach) // s + 1


def output_size(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """Spatial size of a convolution's output, by the floor formula.

    ``H_out = floor((H + 2 * padding - dilation * (kH - 1) - 1) / stride) + 1``,
    which for ``dilation=1`` is the familiar ``floor((H - kH + 2 * padding) / stride) + 1``.
    When the division is not whole, the last rows (or columns) of the padded input
    that no window reaches are dropped, exactly as PyTorch does.

    Parameters
    ----------
    input_size : int or (int, int)
        ``H`` or ``(H, W)``.
    kernel_size : int or (int, int)
        ``kH`` or ``(kH, kW)``.
    stride, dilation : int or (int, int), default 1
        Step of the window and spacing of its taps, each >= 1.
    padding : int, (int, int), "valid" or "same", default 0
        Zeros added on *each* side. ``"same"`` needs ``stride == 1`` and keeps the size.

    Returns
    -------
    int or (int, int)
        ``H_out``, or ``(H_out, W_out)`` when any argument is a pair.

    Raises
    ------
    TypeError
        When a size is not an int or a pair of ints.
    ValueError
        When a size is out of range, or the kernel does not fit the padded input.

    Examples
    --------
    >>> output_size(5, 3)
    3
    >>> output_size((4, 4), 3, stride=2, padding=1)
    (2, 2)
    >>> output_size(7, 3, stride=2)   # (7 - 3) / 2 + 1 = 3
    3
    """
    paired = any(isinstance(v, (tuple, list)) for v in (input_size, kernel_size, stride, padding, dilation))
    n_hw = check_pair(input_size, "input_size", 1)
    k_hw = check_pair(kernel_size, "kernel_size", 1)
    s_hw = check_pair(stride, "stride", 1)
    d_hw = check_pair(dilation, "dilation", 1)
    pads = resolve_padding(padding, k_hw, s_hw, d_hw)
    out = tuple(
        _one_output_size(n, k, s, sum(p), d, axis)
        for n, k, s, p, d, axis in zip(n_hw, k_hw, s_hw, pads, d_hw, ("height", "width"))
    )
    return out if paired else out[0]


def explain_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """The output-size arithmetic for one axis, written out for a learner.

    Parameters
    ----------
    input_size, kernel_size, stride, dilation : int
    padding : int, "valid" or "same"
        For "same" the total padding ``dilation * (kernel_size - 1)`` is used.

    Returns
    -------
    str
        The formula with the numbers filled in, the result, and how many trailing
        rows (columns) of the padded input no window reaches, when there are any.

    Examples
    --------
    >>> explain_output_size(7, 3, stride=2)
    'floor((7 + 0 - 3) / 2) + 1 = floor(2) + 1 = 3'
    >>> explain_output_size(8, 3, stride=2)
    'floor((8 + 0 - 3) / 2) + 1 = floor(2.5) + 1 = 3; the last 1 pixel(s) are never covered'
    """
    input_size = check_int(input_size, "input_size", 1)
    (top, bottom), _ = resolve_padding(padding, (kernel_size, 1), (stride, 1), (dilation, 1))
    reach = dilation * (kernel_size - 1) + 1
    padded = input_size + top + bottom
    size = _one_output_size(input_size, kernel_size, stride, top + bottom, dilation, "this axis")
    span = padded - reach
    quotient = f"{span / stride:g}"
    text = (f"floor(({input_size} + {top + bottom} - {reach}) / {stride}) + 1 "
            f"= floor({quotient}) + 1 = {size}")
    unused = span % stride
    if unused:
        text += f"; the last {unused} pixel(s) are never covered"
    return text


def resolve_padding(padding, kernel_size, stride=1, dilation=1):
    """Turn any accepted ``padding`` into explicit ``((top, bottom), (left, right))``.

    Parameters
    ----------
    padding : int, (int, int), "valid" or "same"
        An int pads every side by that much; a pair pads rows and columns separately.
        ``"valid"`` means no padding. ``"same"`` (stride 1 only, as in PyTorch) pads a
        total of ``dilation * (k - 1)`` per axis, the extra pixel of an even kernel going
        to the bottom / right.
    kernel_size, stride, dilation : int or (int, int)

    Returns
    -------
    ((int, int), (int, int))

    Examples
    --------
    >>> resolve_padding("same", 4)
    ((1, 2), (1, 2))
    """
    k_hw = check_pair(kernel_size, "kernel_size", 1)
    s_hw = check_pair(stride, "stride", 1)
    d_hw = check_pair(dilation, "dilation", 1)
    if isinstance(padding, str):
        check_choice(padding, "padding", ("valid", "same"))
        if padding == "valid":
            return ((0, 0), (0, 0))
        if s_hw != (1, 1):
            raise ValueError(f"padding='same' needs stride 1 (as in PyTorch), got stride {s_hw}")
        totals = [d * (k - 1) for k, d in zip(k_hw, d_hw)]
        return tuple((t // 2, t - t // 2) for t in totals)
    if not (is_int(padding) or isinstance(padding, (tuple, list))):
        raise TypeError(
            f"padding must be an int, a pair of ints, 'valid' or 'same', got {describe(padding)}"
        )
    p_h, p_w = check_pair(padding, "padding", 0)
    return ((p_h, p_h), (p_w, p_w))


# --------------------------------------------------------------------------- padding


def _check_mode_fits(pads, size_hw, padding_mode):
    """reflect needs pad < size and circular pad <= size, as in PyTorch."""
    for (before, after), n, axis in zip(pads, size_hw, ("height", "width")):
        largest = max(before, after)
        if padding_mode == "reflect" and largest >= n:
            raise ValueError(
                f"padding_mode='reflect' needs padding < the input {axis} ({n}), got padding {largest}"
            )
        if padding_mode == "circular" and largest > n:
            raise ValueError(
                f"padding_mode='circular' needs padding <= the input {axis} ({n}), got padding {largest}"
            )


def _pad_batch(x, pads, padding_mode):
    """Pad the two spatial axes of an ``(N, H, W, C)`` array (arguments already checked)."""
    if pads == ((0, 0), (0, 0)):
        return x
    return np.pad(x, ((0, 0), *pads, (0, 0)), mode=_NUMPY_PAD_MODE[padding_mode])


def pad(image, padding, padding_mode="zeros"):
    """Pad an image on its two spatial axes, the way ``conv2d`` does before sliding the kernel.

    Parameters
    ----------
    image : ndarray, shape (H, W), (H, W, C) or (N, H, W, C)
    padding : int, (int, int) or ((top, bottom), (left, right))
    padding_mode : {"zeros", "reflect", "replicate", "circular"}
        PyTorch's names: zeros adds 0; reflect mirrors without repeating the edge
        (``3 2 | 1 2 3``); replicate repeats the edge pixel (``1 1 | 1 2 3``);
        circular wraps around from the other side (``2 3 | 1 2 3``).

    Returns
    -------
    ndarray, shape (H + top + bottom, W + left + right, ...)
        Same dtype as ``image``.

    Examples
    --------
    >>> pad(np.array([[1, 2, 3]]), ((0, 0), (2, 0)), "reflect")
    array([[3, 2, 1, 2, 3]])
    """
    image = check_array(image, "image", (2, 3, 4), "(H, W), (H, W, C) or (N, H, W, C)")
    check_choice(padding_mode, "padding_mode", PADDING_MODES)
    if isinstance(padding, (tuple, list)) and len(padding) == 2 and all(
        isinstance(p, (tuple, list)) for p in padding
    ):
        pads = tuple(check_pair(tuple(p), f"padding[{i}]", 0) for i, p in enumerate(padding))
    elif isinstance(padding, str):
        raise TypeError("pad() needs explicit sizes; use resolve_padding() to turn 'same' into sizes")
    else:
        p_h, p_w = check_pair(padding, "padding", 0)
        pads = ((p_h, p_h), (p_w, p_w))
    spatial = {2: (0, 1), 3: (0, 1), 4: (1, 2)}[image.ndim]
    _check_mode_fits(pads, tuple(image.shape[a] for a in spatial), padding_mode)
    widths = [(0, 0)] * image.ndim
    widths[spatial[0]], widths[spatial[1]] = pads
    return np.pad(image, widths, mode=_NUMPY_PAD_MODE[padding_mode])


# --------------------------------------------------------------------------- validation


@dataclass
class _Job:
    """A validated convolution: padded batch, weights and bias in the compute dtype."""

    padded: np.ndarray  # (N, H + pads, W + pads, C_in)
    weights: np.ndarray  # (C_out, C_in, kH, kW)
    bias: np.ndarray  # (C_out,)
    stride: tuple[int, int]
    dilation: tuple[int, int]
    out_hw: tuple[int, int]
    image_ndim: int
    plain_kernel: bool  # weights came as (kH, kW): give a 2-D result back

    def finish(self, out: np.ndarray) -> np.ndarray:
        """Drop the batch / channel axes the caller did not give."""
        if self.image_ndim < 4:
            out = out[0]
        if self.plain_kernel:
            out = out[..., 0]
        return out


def _prepare(image, weights, bias, stride, padding, dilation, padding_mode) -> _Job:
    image = check_array(image, "image", (2, 3, 4), "(H, W), (H, W, C_in) or (N, H, W, C_in)")
    weights = check_array(weights, "weights", (2, 4), "(kH, kW) or (C_out, C_in, kH, kW)")
    stride = check_pair(stride, "stride", 1)
    dilation = check_pair(dilation, "dilation", 1)
    check_choice(padding_mode, "padding_mode", PADDING_MODES)

    plain_kernel = weights.ndim == 2
    if plain_kernel:
        if image.ndim != 2:
            raise ValueError(
                f"a plain (kH, kW) kernel needs a 2-D (H, W) image, got image shape {image.shape}; "
                "pass weights of shape (C_out, C_in, kH, kW) for images with channels"
            )
        weights = weights[np.newaxis, np.newaxis]
    # Work on a batch (N, H, W, C_in) throughout; finish() drops the axes again.
    batch = {2: lambda a: a[np.newaxis, :, :, np.newaxis], 3: lambda a: a[np.newaxis], 4: lambda a: a}[image.ndim](image)
    c_out, c_in, k_h, k_w = weights.shape
    if batch.shape[3] != c_in:
        raise ValueError(
            f"image has {batch.shape[3]} channel(s) (shape {image.shape}) but weights expect "
            f"C_in={c_in} (weights shape {weights.shape}, read as (C_out, C_in, kH, kW))"
        )

    pads = resolve_padding(padding, (k_h, k_w), stride, dilation)
    out_hw = tuple(
        _one_output_size(n, k, s, sum(p), d, axis)
        for n, k, s, p, d, axis in zip(batch.shape[1:3], (k_h, k_w), stride, pads, dilation, ("height", "width"))
    )
    _check_mode_fits(pads, batch.shape[1:3], padding_mode)

    # Integers (uint8 photos) are computed in float so they never overflow;
    # float32 stays float32 and float64 stays float64.
    dtype = np.result_type(batch.dtype, weights.dtype, np.float32)
    bias = _check_bias(bias, c_out, dtype)
    padded = _pad_batch(batch.astype(dtype, copy=False), pads, padding_mode)
    return _Job(padded, weights.astype(dtype, copy=False), bias, stride, dilation, out_hw, image.ndim, plain_kernel)


def _check_bias(bias, c_out, dtype) -> np.ndarray:
    if bias is None:
        return np.zeros(c_out, dtype)
    if isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"bias must be None, a number or an array of shape (C_out,)=({c_out},), got {describe(bias)}")
    if np.isscalar(bias) and isinstance(bias, (int, float, np.integer, np.floating)):
        return np.full(c_out, bias, dtype)
    if not isinstance(bias, np.ndarray):
        raise TypeError(f"bias must be None, a number or an array of shape (C_out,)=({c_out},), got {describe(bias)}")
    if bias.dtype.kind not in "iuf":
        raise TypeError(f"bias must hold real numbers, got dtype {bias.dtype}")
    if bias.shape != (c_out,) and bias.shape != ():
        raise ValueError(f"bias must have shape (C_out,)=({c_out},) to match weights, got shape {bias.shape}")
    return np.broadcast_to(bias, (c_out,)).astype(dtype)


# --------------------------------------------------------------------------- convolution


_SIGNATURE_DOC = """
    Parameters
    ----------
    image : ndarray, shape (H, W), (H, W, C_in) or (N, H, W, C_in)
        Channels-last, as matplotlib shows images. Integer images (uint8 photos)
        are computed in floating point and never overflow.
    weights : ndarray, shape (C_out, C_in, kH, kW) or (kH, kW)
        ``weights[o, c]`` is the kernel that output map ``o`` applies to input
        channel ``c``. A plain ``(kH, kW)`` kernel is accepted for a 2-D image, and
        then the result is 2-D too.
    bias : None, float or ndarray of shape (C_out,), default None
        Added once to every pixel of output map ``o``.
    stride : int or (int, int), default 1
        How far the window moves between outputs.
    padding : int, (int, int), "valid" or "same", default 0
        Pixels added on each side. ``"same"`` (stride 1, as in PyTorch) keeps the size;
        for an even kernel the extra pixel goes to the bottom / right.
    dilation : int or (int, int), default 1
        Spacing between kernel taps (1 means adjacent pixels, as in PyTorch).
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, default "zeros"
        What the padding is filled with, with PyTorch's names and meanings.

    Returns
    -------
    ndarray, shape (H_out, W_out, C_out), (N, H_out, W_out, C_out) or (H_out, W_out)
        Channels-last. float32 in gives float32 out, float64 stays float64, and
        integer input gives float32 (float64 if the weights are float64).
        ``H_out`` and ``W_out`` follow :func:`output_size`.

    Raises
    ------
    TypeError
        When an argument has the wrong type: not an ndarray, a complex, object or
        string array, a float where an int belongs.
    ValueError
        When shapes or values do not fit: wrong number of dimensions, an empty
        array, channel mismatch, kernel larger than the padded input, stride or
        dilation < 1, negative padding, unknown padding mode, wrong bias length.
"""


def conv2d(image, weights, bias=None, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """2-D convolution layer's forward pass, fast and vectorized.

    Like every deep-learning library, this computes *cross-correlation*: the kernel
    slides over the image unflipped, and each output pixel is the sum over input
    channels and kernel taps of window times kernel, plus the bias::

        out[n, r, c, o] = bias[o] + sum_{ch, i, j}
            padded[n, r*sH + i*dH, c*sW + j*dW, ch] * weights[o, ch, i, j]

    (True convolution flips the kernel first: ``weights[..., ::-1, ::-1]``.)
    The result equals :func:`conv2d_loops`, which spells the same sum out as loops.
    {signature}
    Examples
    --------
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> conv2d(image, np.ones((2, 2)))          # sum of each 2x2 window
    array([[10., 14., 18.],
           [26., 30., 34.],
           [42., 46., 50.]])
    >>> conv2d(np.zeros((32, 32, 3), np.float32), np.zeros((8, 3, 3, 3)), stride=2, padding=1).shape
    (16, 16, 8)
    """
    job = _prepare(image, weights, bias, stride, padding, dilation, padding_mode)
    # No bias given: skip adding zeros (a whole pass over the output).
    out = _fast.correlate(job.padded, job.weights, job.stride, job.dilation, job.out_hw,
                          bias=None if bias is None else job.bias)
    return job.finish(out)


def conv2d_loops(image, weights, bias=None, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """2-D convolution written as plain loops: the meaning of :func:`conv2d`.

    Slow on purpose: it visits every output pixel of every output map, cuts out the
    window of the padded input that the kernel covers there, multiplies it element
    by element with the kernel stack and sums. It is cross-correlation (the kernel
    is not flipped), as in every deep-learning library.
    {signature}
    Examples
    --------
    >>> conv2d_loops(np.arange(16.0).reshape(4, 4), np.ones((2, 2)))[0]
    array([10., 14., 18.])
    """
    job = _prepare(image, weights, bias, stride, padding, dilation, padding_mode)
    x, w, b = job.padded, job.weights, job.bias
    (s_h, s_w), (d_h, d_w), (h_out, w_out) = job.stride, job.dilation, job.out_hw
    n_batch, c_out = x.shape[0], w.shape[0]
    k_h, k_w = w.shape[2:]

    out = np.zeros((n_batch, h_out, w_out, c_out), dtype=x.dtype)
    for n in range(n_batch):
        for o in range(c_out):
            kernel = w[o].transpose(1, 2, 0)  # (kH, kW, C_in), lined up with the window
            for r in range(h_out):
                for c in range(w_out):
                    top, left = r * s_h, c * s_w
                    window = x[n, top : top + d_h * (k_h - 1) + 1 : d_h, left : left + d_w * (k_w - 1) + 1 : d_w, :]
                    out[n, r, c, o] = np.sum(window * kernel) + b[o]
    return job.finish(out)


conv2d.__doc__ = conv2d.__doc__.replace("{signature}", _SIGNATURE_DOC)
conv2d_loops.__doc__ = conv2d_loops.__doc__.replace("{signature}", _SIGNATURE_DOC)
