"""The same convolution four ways, from the loops to one big matrix multiply.

Each function computes the same cross-correlation as :func:`conv2d_lib.conv2d_loops`
for one channels-last image, stride 1 and no padding (pad first with
:func:`conv2d_lib.pad` if you want it):

    out[r, c, o] = sum over i, j, ch of image[r + i, c + j, ch] * weights[o, ch, i, j]

1. :func:`conv_loops`: a Python loop over every output pixel and output channel
   (this is :func:`conv2d_lib.conv2d_loops` itself, the loop of lesson 02).
2. :func:`conv_shifts`: a loop over the ``kH * kW`` kernel taps; each tap multiplies
   a shifted slice of the whole image by one ``(C_in, C_out)`` matrix.
3. :func:`conv_windows`: every window as a view (``sliding_window_view``), contracted
   with the weights by ``np.tensordot``.
4. :func:`conv_im2col`: the windows copied into the rows of one column matrix
   (:func:`im2col`), then a single matrix multiply.

They are written to be read (notebooks/08_efficient_numpy.ipynb shows their source),
not to be fast in every case; the library's :func:`conv2d_lib.conv2d` goes further
(see conv2d_lib/_fast.py). NumPy only.

Introduced in notebooks/08_efficient_numpy.ipynb.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import check_array, check_int, check_pair, describe, plain_array
from .conv import conv2d_loops

__all__ = ["conv_loops", "conv_shifts", "conv_windows", "conv_im2col", "im2col", "im2col_megabytes", "METHODS"]


def _kernel_fits(image, kernel_hw):
    """Validate ``image`` (H, W, C_in) and ``kernel_hw`` (kH, kW); return (kH, kW)."""
    check_array(image, "image", (3,), "(H, W, C_in)")
    if not isinstance(kernel_hw, (tuple, list)):
        raise TypeError(f"kernel_hw must be a pair of ints (kH, kW), got {describe(kernel_hw)}")
    if len(kernel_hw) != 2:
        raise ValueError(f"kernel_hw must be a pair of ints (kH, kW), got {len(kernel_hw)} values: "
                         f"{describe(kernel_hw)}")
    kH, kW = (check_int(k, f"kernel_hw[{n}]", 1) for n, k in enumerate(kernel_hw))
    if kH > image.shape[0] or kW > image.shape[1]:
        raise ValueError(f"the {kH} x {kW} kernel (kernel_hw {tuple(kernel_hw)}) does not fit the "
                         f"{image.shape[0]} x {image.shape[1]} image; pad the image first")
    return kH, kW


def _output_shape(image, weights):
    """Validate ``image`` (H, W, C_in) and ``weights`` (C_out, C_in, kH, kW); return (H_out, W_out, C_out)."""
    check_array(image, "image", (3,), "(H, W, C_in)")
    check_array(weights, "weights", (4,), "(C_out, C_in, kH, kW)")
    (H, W, C_in), (C_out, C_in_weights, kH, kW) = image.shape, weights.shape
    if C_in != C_in_weights:
        raise ValueError(f"image has C_in={C_in} channels (shape {image.shape}) but weights expect "
                         f"C_in={C_in_weights} (weights shape {weights.shape}, read as (C_out, C_in, kH, kW))")
    _kernel_fits(image, (kH, kW))
    return H - kH + 1, W - kW + 1, C_out


#: Way 1: loop over every image, output map and output pixel (the meaning, and slow). It is the
#: package's own loop, :func:`conv2d_lib.conv2d_loops` from notebooks/02_kernels.ipynb, which
#: also pads, strides and dilates; with stride 1 and no padding it computes exactly the sum above.
conv_loops = conv2d_loops


def conv_shifts(image, weights):
    """Way 2: loop over the kernel taps; each adds a shifted slice times a (C_in, C_out) matrix.

    Tap ``(i, j)`` of the kernel sees, for *every* output pixel at once, the slice
    ``image[i:i + H_out, j:j + W_out]``: one matrix multiply per tap, ``kH * kW`` in all.

    Parameters
    ----------
    image : ndarray, shape (H, W, C_in)
    weights : ndarray, shape (C_out, C_in, kH, kW)

    Returns
    -------
    ndarray, shape (H_out, W_out, C_out)

    Examples
    --------
    >>> conv_shifts(np.arange(9.0).reshape(3, 3, 1), np.ones((1, 1, 2, 2)))[..., 0]
    array([[ 8., 12.],
           [20., 24.]])
    """
    image, weights = plain_array(image, "image"), plain_array(weights, "weights")  # np.matrix, memmap: plain
    H_out, W_out, C_out = _output_shape(image, weights)
    kH, kW = weights.shape[2:]
    out = np.zeros((H_out, W_out, C_out), np.result_type(image, weights))
    for i in range(kH):
        for j in range(kW):
            shifted = image[i:i + H_out, j:j + W_out, :]                   # (H_out, W_out, C_in)
            out += shifted @ weights[:, :, i, j].T                         # @ (C_in, C_out)
    return out


def conv_windows(image, weights):
    """Way 3: all windows as a view (no copy), contracted with the weights by tensordot.

    ``sliding_window_view`` gives ``windows[r, c] == image[r:r + kH, c:c + kW]``
    without copying a byte; ``np.tensordot`` then sums over channel, row and column
    of the window. (To call BLAS, tensordot reshapes the view, which copies the
    windows: an im2col in disguise.)

    Parameters
    ----------
    image : ndarray, shape (H, W, C_in)
    weights : ndarray, shape (C_out, C_in, kH, kW)

    Returns
    -------
    ndarray, shape (H_out, W_out, C_out)

    Examples
    --------
    >>> conv_windows(np.arange(9.0).reshape(3, 3, 1), np.ones((1, 1, 2, 2)))[..., 0]
    array([[ 8., 12.],
           [20., 24.]])
    """
    image, weights = plain_array(image, "image"), plain_array(weights, "weights")  # np.matrix, memmap: plain
    _output_shape(image, weights)
    kH, kW = weights.shape[2:]
    windows = sliding_window_view(image, (kH, kW), axis=(0, 1))          # (H_out, W_out, C_in, kH, kW)
    return np.tensordot(windows, weights, axes=([2, 3, 4], [1, 2, 3]))    # (H_out, W_out, C_out)


def im2col(image, kernel_hw):
    """The column matrix: one row per output pixel, holding its whole window.

    Row ``r * W_out + c`` is the window under output pixel ``(r, c)``, flattened
    in the order (kernel row ``i``, kernel column ``j``, channel): the same order as
    ``weights.transpose(2, 3, 1, 0).reshape(K, C_out)``.

    Parameters
    ----------
    image : ndarray, shape (H, W, C_in)
    kernel_hw : (int, int)
        ``(kH, kW)``.

    Returns
    -------
    ndarray, shape (H_out * W_out, K) with K = kH * kW * C_in

    Examples
    --------
    >>> im2col(np.arange(9.0).reshape(3, 3, 1), (2, 2))
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    """
    image = plain_array(image, "image")
    kH, kW = _kernel_fits(image, kernel_hw)
    windows = sliding_window_view(image, (kH, kW), axis=(0, 1))          # (H_out, W_out, C_in, kH, kW)
    H_out, W_out = windows.shape[:2]
    return windows.transpose(0, 1, 3, 4, 2).reshape(H_out * W_out, -1)   # the reshape copies


def conv_im2col(image, weights):
    """Way 4: copy every window into a column matrix, then ONE matrix multiply.

    Parameters
    ----------
    image : ndarray, shape (H, W, C_in)
    weights : ndarray, shape (C_out, C_in, kH, kW)

    Returns
    -------
    ndarray, shape (H_out, W_out, C_out)

    Examples
    --------
    >>> conv_im2col(np.arange(9.0).reshape(3, 3, 1), np.ones((1, 1, 2, 2)))[..., 0]
    array([[ 8., 12.],
           [20., 24.]])
    """
    image, weights = plain_array(image, "image"), plain_array(weights, "weights")  # np.matrix, memmap: plain
    H_out, W_out, C_out = _output_shape(image, weights)
    columns = im2col(image, weights.shape[2:])                            # (H_out * W_out, K)
    w_matrix = weights.transpose(2, 3, 1, 0).reshape(-1, C_out)           # (K, C_out)
    return (columns @ w_matrix).reshape(H_out, W_out, C_out)


def im2col_megabytes(image_hw, c_in, kernel_hw, itemsize=4):
    """Size in MB (2**20 bytes) of the im2col column matrix, stride 1, no padding.

    ``H_out * W_out`` rows of ``K = kH * kW * C_in`` numbers of ``itemsize`` bytes
    (4 for float32, 8 for float64).

    Parameters
    ----------
    image_hw : (int, int)
        ``(H, W)`` of the (already padded) image.
    c_in : int
    kernel_hw : (int, int)
        ``(kH, kW)``.
    itemsize : int, default 4

    Returns
    -------
    float

    Examples
    --------
    >>> im2col_megabytes((1026, 1026), 3, (3, 3))      # 1024 x 1024 outputs, K = 27, float32
    108.0
    """
    H, W = check_pair(image_hw, "image_hw", 1)
    kH, kW = check_pair(kernel_hw, "kernel_hw", 1)
    C_in, itemsize = check_int(c_in, "c_in", 1), check_int(itemsize, "itemsize", 1)
    if kH > H or kW > W:
        raise ValueError(f"the {kH} x {kW} kernel does not fit the {H} x {W} image (image_hw, kernel_hw)")
    return (H - kH + 1) * (W - kW + 1) * kH * kW * C_in * itemsize / 2**20


#: The four ways, by the name the lesson and its explorer use.
METHODS = {"loops": conv_loops, "shifts": conv_shifts, "windows": conv_windows, "im2col": conv_im2col}
