"""2-D convolution (cross-correlation) in NumPy: the loop version, the fast version, sizes and padding.

Shapes follow one convention everywhere:

* images are channels-last, as matplotlib shows them: ``(H, W)``, ``(H, W, C_in)``
  or a batch ``(N, H, W, C_in)``;
* weights are ``(C_out, C_in, kH, kW)``: ``weights[o, c]`` is the 2-D kernel that
  output map ``o`` applies to input channel ``c`` (PyTorch's layout); with
  ``groups`` they are ``(C_out, C_in / groups, kH, kW)``;
* outputs are channels-last again: ``(H_out, W_out, C_out)``.

Introduced in notebooks/02_kernels.ipynb (the loops) and notebooks/03_padding.ipynb.
"""

from __future__ import annotations

import numpy as np

from . import _fast
from ._checks import (check_array, check_array_bytes, check_choice, check_int, check_mode_fits, check_pair,
                      describe, is_int, plain_array)

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
#: The name ``np.pad`` gives each padding mode.
NUMPY_PAD_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}
#: The largest array (padded input or output) that conv2d, conv2d_loops and pad build, in bytes.
#: Sizes are checked before anything is allocated, so a stray ``padding=10**5`` gets a ValueError
#: in words at once instead of a multi-GiB allocation, a long wait or NumPy's MemoryError. Raise it
#: for bigger work on a bigger machine.
MAX_ARRAY_BYTES = 2 << 30

__all__ = ["conv2d", "conv2d_loops", "channel_contributions", "output_size", "explain_output_size", "pad",
           "resolve_padding", "check_conv2d_arguments", "PADDING_MODES", "NUMPY_PAD_MODES",
           "MAX_ARRAY_BYTES"]


def _compute_dtype(*dtypes):
    """The float type a convolution computes in: float64 if any input is float64, else float32.

    Integers (a uint8 photo, an int64 array of small numbers) are computed in float32, so
    their sums never wrap around and do not silently double the memory.

    Parameters
    ----------
    *dtypes : numpy dtype

    Returns
    -------
    numpy dtype
        ``float32`` or ``float64``.

    Examples
    --------
    >>> _compute_dtype(np.dtype(np.int32), np.dtype(np.float32))
    dtype('float32')
    """
    wide = any(np.dtype(d).kind == "f" and np.dtype(d).itemsize >= 8 for d in dtypes)
    return np.dtype(np.float64 if wide else np.float32)


# --------------------------------------------------------------------------- sizes


def _one_output_size(H: int, kH: int, sH: int, padding_total: int, dH: int, axis: str) -> int:
    """``H_out`` along one axis (arguments already checked), or a ValueError in words."""
    reach = dH * (kH - 1) + 1  # how many input pixels one (dilated) window spans
    if H + padding_total < reach:
        raise ValueError(
            f"the kernel does not fit the padded input along {axis}: the window spans {reach} "
            f"pixels (kernel_size {kH}, dilation {dH}) but the padded input has {H + padding_total} "
            f"(input {H} + {padding_total} of padding); use a smaller kernel or more padding"
        )
    return (H + padding_total - reach) // sH + 1


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
    HW = check_pair(input_size, "input_size", 1)
    kHW = check_pair(kernel_size, "kernel_size", 1)
    sHW = check_pair(stride, "stride", 1)
    dHW = check_pair(dilation, "dilation", 1)
    pads = resolve_padding(padding, kHW, sHW, dHW)
    out = tuple(
        _one_output_size(n, k, s, sum(p), d, axis)
        for n, k, s, p, d, axis in zip(HW, kHW, sHW, pads, dHW, ("height", "width"))
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

    Raises
    ------
    TypeError, ValueError
        As :func:`output_size`.

    Examples
    --------
    >>> explain_output_size(7, 3, stride=2)
    'floor((7 + 0 - 3) / 2) + 1 = floor(2) + 1 = 3'
    >>> explain_output_size(8, 3, stride=2)
    'floor((8 + 0 - 3) / 2) + 1 = floor(2.5) + 1 = 3; the last 1 pixel(s) are never covered'
    """
    input_size = check_int(input_size, "input_size", 1)
    kernel_size = check_int(kernel_size, "kernel_size", 1)
    stride, dilation = check_int(stride, "stride", 1), check_int(dilation, "dilation", 1)
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

    Raises
    ------
    TypeError
        When ``padding`` is not an int, a pair of ints or a string, or a size is not an int.
    ValueError
        When a size is negative (padding) or below 1, ``padding`` is another word, or
        ``"same"`` comes with a stride other than 1.

    Examples
    --------
    >>> resolve_padding("same", 4)
    ((1, 2), (1, 2))
    """
    kHW = check_pair(kernel_size, "kernel_size", 1)
    sHW = check_pair(stride, "stride", 1)
    dHW = check_pair(dilation, "dilation", 1)
    if isinstance(padding, str):
        check_choice(padding, "padding", ("valid", "same"))
        if padding == "valid":
            return ((0, 0), (0, 0))
        if sHW != (1, 1):
            raise ValueError(f"padding='same' needs stride 1 (as in PyTorch), got stride {sHW}")
        totals = [d * (k - 1) for k, d in zip(kHW, dHW)]
        return tuple((t // 2, t - t // 2) for t in totals)
    if not (is_int(padding) or isinstance(padding, (tuple, list))):
        raise TypeError(
            f"padding must be an int, a pair of ints, 'valid' or 'same', got {describe(padding)}"
        )
    p_h, p_w = check_pair(padding, "padding", 0)
    return ((p_h, p_h), (p_w, p_w))


# --------------------------------------------------------------------------- padding


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

    Raises
    ------
    TypeError
        When ``image`` is not a real ndarray, or a padding size is not an int.
    ValueError
        When ``image`` has the wrong number of dimensions, a size is negative, the mode
        is unknown, the mode needs a larger image (reflect: padding < size;
        circular: padding <= size), or the padded image would take more than
        :data:`MAX_ARRAY_BYTES` (checked before anything is allocated).

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
        raise TypeError(f"padding must be an int, a pair of ints or ((top, bottom), (left, right)), got "
                        f"{describe(padding)}; use resolve_padding() to turn 'same' or 'valid' into sizes")
    else:
        p_h, p_w = check_pair(padding, "padding", 0)
        pads = ((p_h, p_h), (p_w, p_w))
    spatial = {2: (0, 1), 3: (0, 1), 4: (1, 2)}[image.ndim]
    check_mode_fits(pads, tuple(image.shape[a] for a in spatial), padding_mode)
    widths = [(0, 0)] * image.ndim
    widths[spatial[0]], widths[spatial[1]] = pads
    padded_shape = tuple(n + sum(w) for n, w in zip(image.shape, widths))
    check_array_bytes(padded_shape, image.itemsize, MAX_ARRAY_BYTES, "the padded image", f"padding={padding!r}")
    return np.pad(image, widths, mode=NUMPY_PAD_MODES[padding_mode])


# --------------------------------------------------------------------------- checking


def check_conv2d_arguments(image, weights, bias=None, stride=1, padding=0, dilation=1, padding_mode="zeros",
                           groups=1):
    """Check every argument of :func:`conv2d` and :func:`conv2d_loops` before any work is done.

    Both functions (and :func:`conv2d_lib.references.reference_conv2d`) call this
    first, so a bad call gets the same message from all of them.

    Parameters
    ----------
    image, weights, bias, stride, padding, dilation, padding_mode, groups
        As in :func:`conv2d`.

    Returns
    -------
    stride, dilation : (int, int)
        ``(sH, sW)`` and ``(dH, dW)``.

    Raises
    ------
    TypeError
        When an argument has the wrong type (see :func:`conv2d`).
    ValueError
        When shapes or values do not fit (see :func:`conv2d`), or the padded input or the
        output would take more than :data:`MAX_ARRAY_BYTES`.

    Examples
    --------
    >>> check_conv2d_arguments(np.zeros((8, 8, 3)), np.zeros((4, 3, 3, 3)), stride=2)
    ((2, 2), (1, 1))
    >>> check_conv2d_arguments(np.zeros((8, 8, 4)), np.zeros((6, 2, 3, 3)), groups=2)
    ((1, 1), (1, 1))
    """
    image = check_array(image, "image", (2, 3, 4), "(H, W), (H, W, C_in) or (N, H, W, C_in)")
    weights = check_array(weights, "weights", (2, 4), "(kH, kW) or (C_out, C_in, kH, kW)")
    stride = check_pair(stride, "stride", 1)
    dilation = check_pair(dilation, "dilation", 1)
    check_choice(padding_mode, "padding_mode", PADDING_MODES)
    if weights.ndim == 2 and image.ndim != 2:
        raise ValueError(
            f"a plain (kH, kW) kernel needs a 2-D (H, W) image, got image shape {image.shape}; "
            "pass weights of shape (C_out, C_in, kH, kW) for images with channels"
        )
    C_in = 1 if image.ndim == 2 else image.shape[-1]  # a 2-D image is one channel
    C_out, C_in_weights, kH, kW = (1, 1, *weights.shape) if weights.ndim == 2 else weights.shape
    groups = check_int(groups, "groups", 1)
    if groups == 1 and C_in != C_in_weights:
        raise ValueError(
            f"image has {C_in} channel(s) (shape {image.shape}) but weights expect "
            f"C_in={C_in_weights} (weights shape {weights.shape}, read as (C_out, C_in, kH, kW))"
        )
    if groups > 1:
        _check_groups(groups, C_in, C_out, C_in_weights, image.shape, weights.shape)
    H, W = image.shape[1:3] if image.ndim == 4 else image.shape[:2]
    H_out, W_out = output_size((H, W), (kH, kW), stride, padding, dilation)  # in words when the kernel does not fit
    pads = resolve_padding(padding, (kH, kW), stride, dilation)
    check_mode_fits(pads, (H, W), padding_mode)
    _check_bias(bias, C_out)
    # The sizes of what would be built, before anything is: a huge padding or output is refused in words.
    N = image.shape[0] if image.ndim == 4 else 1
    dtype = _compute_dtype(image.dtype, weights.dtype)
    if pads != ((0, 0), (0, 0)) or image.dtype != dtype:  # else the image is used as it is
        if pads == ((0, 0), (0, 0)):
            cause = f"the image of shape {image.shape} and dtype {image.dtype} (computed in {dtype})"
        elif padding == "same":
            cause = f"padding='same' with kernel_size {(kH, kW)} and dilation {dilation}"
        else:
            cause = f"padding={padding!r}"
        padded_shape = (N, H + sum(pads[0]), W + sum(pads[1]), C_in)
        check_array_bytes(padded_shape, dtype.itemsize, MAX_ARRAY_BYTES, "a padded input", cause)
    itemsize = dtype.itemsize
    check_array_bytes((N, H_out, W_out, C_out), itemsize, MAX_ARRAY_BYTES, "an output",
                      f"the image of shape {image.shape} with weights of shape {weights.shape}, stride "
                      f"{stride} and padding={padding!r}")
    return stride, dilation


def _check_groups(groups, C_in, C_out, C_in_weights, image_shape, weights_shape):
    """Channels split into ``groups`` blocks: both counts divisible, weights of C_in / groups channels."""
    if C_in % groups:
        raise ValueError(f"groups={groups} must divide the image's C_in={C_in} channels (image shape "
                         f"{image_shape}): {C_in} is not divisible by {groups}")
    if C_out % groups:
        raise ValueError(f"groups={groups} must divide C_out={C_out} (weights shape {weights_shape}, read as "
                         f"(C_out, C_in / groups, kH, kW)): {C_out} is not divisible by {groups}")
    if C_in_weights != C_in // groups:
        raise ValueError(
            f"with groups={groups}, weights must have C_in / groups = {C_in} / {groups} = {C_in // groups} "
            f"channel(s) on axis 1, got weights shape {weights_shape} for an image with {C_in} channels "
            f"(shape {image_shape})"
        )


def _check_bias(bias, C_out):
    accepted = f"None, a real number or an ndarray of shape (C_out,)=({C_out},)"
    if bias is None:
        return
    bias = plain_array(bias, "bias")
    if isinstance(bias, (bool, np.bool_)) or not isinstance(bias, (int, float, np.integer, np.floating, np.ndarray)):
        raise TypeError(f"bias must be {accepted}, got {describe(bias)}")
    if isinstance(bias, np.ndarray):
        if bias.dtype.kind not in "iuf":
            raise TypeError(f"bias must hold real numbers (int, uint or float), got dtype {bias.dtype}")
        if bias.shape not in ((C_out,), ()):
            raise ValueError(f"bias must have shape (C_out,)=({C_out},) to match weights, got shape {bias.shape}")


# --------------------------------------------------------------------------- convolution


def conv2d_loops(image, weights, bias=None, stride=1, padding=0, dilation=1, padding_mode="zeros", groups=1):
    """2-D convolution written as plain loops: what :func:`conv2d` computes, step by step.

    Slow on purpose. It pads the images, works out how many window positions fit,
    and then visits every output pixel of every output map: it cuts out the window
    of the padded input under the kernel, multiplies it element by element with the
    kernel stack, sums, and adds the bias. Nothing is flipped (cross-correlation, as
    in every deep-learning library).

    Parameters
    ----------
    image : ndarray, shape (H, W), (H, W, C_in) or (N, H, W, C_in)
        Channels-last. A 2-D image is one channel. Integers (uint8 photos) are
        computed in floating point.
    weights : ndarray, shape (C_out, C_in / groups, kH, kW) or (kH, kW)
        ``weights[o, c]`` is the kernel output map ``o`` applies to input channel ``c``
        (of its group). A plain ``(kH, kW)`` kernel goes with a 2-D image and gives a 2-D result.
    bias : None, float or ndarray of shape (C_out,), default None
        Added once to every pixel of output map ``o``.
    stride : int or (int, int), default 1
        Rows and columns the window moves between two outputs (lesson 04).
    padding : int, (int, int), "valid" or "same", default 0
        Pixels added on each side (lesson 03); "same" (stride 1) keeps the size,
        the extra pixel of an even kernel going to the bottom / right.
    dilation : int or (int, int), default 1
        Spacing of the kernel's taps; 1 means adjacent pixels.
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, default "zeros"
        What the padding holds (see :func:`pad`).
    groups : int, default 1
        As in :func:`conv2d`: output map ``o`` sees only the input channels of its group.

    Returns
    -------
    ndarray, shape (H_out, W_out, C_out), (N, H_out, W_out, C_out) or (H_out, W_out)
        Channels-last, float32 (float64 when the image or the weights are float64).

    Raises
    ------
    TypeError, ValueError
        As :func:`conv2d`: the message names the argument, the value given and what
        is accepted.

    Examples
    --------
    >>> conv2d_loops(np.arange(16.0).reshape(4, 4), np.ones((2, 2)))[0]
    array([10., 14., 18.])

    Introduced in notebooks/02_kernels.ipynb.
    """
    # 0. Check every argument before any work: a bad one raises a TypeError or ValueError in words.
    image, weights, bias = plain_array(image, "image"), plain_array(weights, "weights"), plain_array(bias, "bias")
    (sH, sW), (dH, dW) = check_conv2d_arguments(image, weights, bias, stride, padding, dilation, padding_mode,
                                                groups)

    # 1. One shape for every case: a batch of images (N, H, W, C_in) and a stack of kernels
    #    (C_out, C_in, kH, kW). A 2-D image is one channel, a plain (kH, kW) kernel one stack.
    x = image if image.ndim == 4 else image[np.newaxis]
    x = x[..., np.newaxis] if image.ndim == 2 else x
    w = weights[np.newaxis, np.newaxis] if weights.ndim == 2 else weights
    N, H, W, C_in = x.shape
    C_out, C_group, kH, kW = w.shape  # C_group = C_in / groups channels per kernel stack

    # 2. Compute in floating point: in uint8, 255 + 255 would wrap around to 254.
    dtype = _compute_dtype(x.dtype, w.dtype)  # float32, or float64 if either is
    bias = np.zeros(C_out, dtype) if bias is None else np.broadcast_to(np.asarray(bias, dtype), (C_out,))

    # 3. Pad every image: rows above and below, columns left and right (lesson 03).
    (top, bottom), (left, right) = resolve_padding(padding, (kH, kW), (sH, sW), (dH, dW))
    padded = pad(x.astype(dtype), ((top, bottom), (left, right)), padding_mode)

    # 4. Output size: how many window positions fit in the padded image (lessons 03 and 04).
    reach_h, reach_w = dH * (kH - 1) + 1, dW * (kW - 1) + 1  # rows and columns one window spans
    H_out = (H + top + bottom - reach_h) // sH + 1
    W_out = (W + left + right - reach_w) // sW + 1

    # 5. The loops: for every output pixel, the window times the kernel stack, summed, plus the bias.
    #    With groups, output map o belongs to group g and sees only that group's input channels.
    out = np.zeros((N, H_out, W_out, C_out), dtype)
    for n in range(N):
        for o in range(C_out):
            kernel = w[o].transpose(1, 2, 0)  # (kH, kW, C_group), laid out like the window
            g = o // (C_out // groups)  # the group of output map o
            channels = slice(g * C_group, (g + 1) * C_group)  # all C_in channels when groups == 1
            for r in range(H_out):
                for c in range(W_out):
                    i, j = r * sH, c * sW  # the window's top-left pixel in the padded image
                    window = padded[n, i:i + reach_h:dH, j:j + reach_w:dW, channels]  # (kH, kW, C_group)
                    out[n, r, c, o] = np.sum(window * kernel) + bias[o]

    # 6. Give back the shape that came in: no batch axis for one image, 2-D for a plain kernel.
    out = out if image.ndim == 4 else out[0]
    return out[..., 0] if weights.ndim == 2 else out


def conv2d(image, weights, bias=None, stride=1, padding=0, dilation=1, padding_mode="zeros", groups=1):
    """2-D convolution layer's forward pass, fast and vectorized.

    Like every deep-learning library, this computes *cross-correlation*: the kernel
    slides over the image unflipped, and each output pixel is the sum over input
    channels and kernel taps of window times kernel, plus the bias::

        out[n, r, c, o] = bias[o] + sum_{ch, i, j}
            padded[n, r*sH + i*dH, c*sW + j*dW, ch] * weights[o, ch, i, j]

    (True convolution flips the kernel first: ``weights[..., ::-1, ::-1]``.)
    The result equals :func:`conv2d_loops`, which spells the same sum out as loops;
    here the loops run inside matrix products (conv2d_lib/_fast.py, lesson 08).

    Parameters
    ----------
    image : ndarray, shape (H, W), (H, W, C_in) or (N, H, W, C_in)
        Channels-last, as matplotlib shows images. Integer images (uint8 photos)
        are computed in floating point and never overflow. Array subclasses are read
        as the plain arrays they hold (``np.matrix``, ``np.memmap``); a masked array
        only when nothing is masked (fill masked values first).
    weights : ndarray, shape (C_out, C_in / groups, kH, kW) or (kH, kW)
        ``weights[o, c]`` is the kernel that output map ``o`` applies to input
        channel ``c`` (of its group). A plain ``(kH, kW)`` kernel is accepted for a
        2-D image, and then the result is 2-D too.
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
    groups : int, default 1
        PyTorch's meaning: the ``C_in`` input channels are split into ``groups``
        blocks of ``C_in / groups``, and the ``C_out`` maps into ``groups`` blocks of
        ``C_out / groups``; the maps of block ``g`` see only the channels of block
        ``g``. ``groups == C_in`` is a depthwise convolution (one kernel per channel
        when ``C_out == C_in``). Both channel counts must be divisible by ``groups``.

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
        array, channel mismatch, kernel larger than the padded input, stride,
        dilation or groups < 1, channels not divisible by ``groups``, negative
        padding, unknown padding mode, wrong bias length,
        masked values, or a padded input or output over :data:`MAX_ARRAY_BYTES`
        (checked before any work, so a huge size fails at once).

    Examples
    --------
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> conv2d(image, np.ones((2, 2)))          # sum of each 2x2 window
    array([[10., 14., 18.],
           [26., 30., 34.],
           [42., 46., 50.]])
    >>> conv2d(np.zeros((32, 32, 3), np.float32), np.zeros((8, 3, 3, 3)), stride=2, padding=1).shape
    (16, 16, 8)
    >>> conv2d(np.ones((5, 5, 3)), np.ones((3, 1, 3, 3)), groups=3)[0, 0]   # depthwise: 9 ones per channel
    array([9., 9., 9.])
    """
    image, weights, bias = plain_array(image, "image"), plain_array(weights, "weights"), plain_array(bias, "bias")
    stride, dilation = check_conv2d_arguments(image, weights, bias, stride, padding, dilation, padding_mode, groups)
    # The same steps as conv2d_loops, with its loops (step 5) replaced by _fast.correlate.
    x = image if image.ndim == 4 else image[np.newaxis]
    x = x[..., np.newaxis] if image.ndim == 2 else x
    w = weights[np.newaxis, np.newaxis] if weights.ndim == 2 else weights
    dtype = _compute_dtype(x.dtype, w.dtype)
    pads = resolve_padding(padding, w.shape[2:], stride, dilation)
    x = x.astype(dtype, copy=False)
    padded = x if pads == ((0, 0), (0, 0)) else pad(x, pads, padding_mode)
    H_out, W_out = output_size(x.shape[1:3], w.shape[2:], stride, padding, dilation)
    # No bias given: skip adding zeros (a whole pass over the output).
    bias = None if bias is None else np.broadcast_to(np.asarray(bias, dtype), (w.shape[0],))
    out = _fast.correlate(padded, w.astype(dtype, copy=False), stride, dilation, (H_out, W_out), bias=bias,
                          groups=int(groups))
    out = out if image.ndim == 4 else out[0]
    return out[..., 0] if weights.ndim == 2 else out


def channel_contributions(image, weights, output_index=0, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """What each input channel adds to one output map: channel ``c`` correlated with ``weights[o, c]``.

    Output map ``o`` of :func:`conv2d` is the sum of these ``C_in`` maps plus
    ``bias[o]``: the bias is added once, not once per channel.

    Parameters
    ----------
    image : ndarray, shape (H, W, C_in)
    weights : ndarray, shape (C_out, C_in, kH, kW)
    output_index : int, default 0
        The output map ``o``, ``0 <= o < C_out``.
    stride, padding, dilation, padding_mode
        As in :func:`conv2d`.

    Returns
    -------
    ndarray, shape (C_in, H_out, W_out)
        ``contributions[c] == conv2d(image[:, :, c], weights[o, c], ...)``.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv2d`, and when ``output_index`` is not an int in ``0 .. C_out - 1``.

    Examples
    --------
    >>> image = np.stack([np.ones((3, 3)), 2 * np.ones((3, 3))], axis=2)       # (3, 3, 2)
    >>> parts = channel_contributions(image, np.ones((1, 2, 2, 2)))
    >>> parts[:, 0, 0], float(conv2d(image, np.ones((1, 2, 2, 2)))[0, 0, 0])   # 4 + 8 = 12
    (array([4., 8.]), 12.0)

    Introduced in notebooks/06_multi_channel.ipynb.
    """
    image = check_array(image, "image", (3,), "(H, W, C_in)")
    weights = check_array(weights, "weights", (4,), "(C_out, C_in, kH, kW)")
    check_conv2d_arguments(image, weights, None, stride, padding, dilation, padding_mode)
    o = check_int(output_index, "output_index", 0)
    if o >= weights.shape[0]:
        raise ValueError(f"output_index must be below C_out={weights.shape[0]} (weights shape "
                         f"{weights.shape}), got {o}")
    settings = dict(stride=stride, padding=padding, dilation=dilation, padding_mode=padding_mode)
    return np.stack([conv2d(image[:, :, c], weights[o, c], **settings) for c in range(image.shape[2])])
