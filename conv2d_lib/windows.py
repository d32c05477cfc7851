"""The window a kernel covers for one output pixel, and the products it sums there.

Maths only (NumPy). Used by the step-by-step cross-correlation explorer and its
figure. Introduced in notebooks/02_kernels.ipynb.
"""

from __future__ import annotations


from ._checks import check_array, check_int, check_pair

__all__ = ["window_slice", "window_products"]


def window_slice(row, col, kernel_size, stride=1):
    """Which input pixels output pixel ``(row, col)`` sees, as a pair of slices.

    Parameters
    ----------
    row, col : int
        Position in the output map, each >= 0.
    kernel_size : int or (int, int)
        ``kH`` or ``(kH, kW)``.
    stride : int or (int, int), default 1

    Returns
    -------
    (slice, slice)
        ``image[rows, cols]`` is the ``(kH, kW)`` window (of the padded input).

    Raises
    ------
    TypeError
        When a position or size is not an int (or a pair of ints).
    ValueError
        When a position is negative or a size below 1.

    Examples
    --------
    >>> window_slice(1, 2, 3)
    (slice(1, 4, None), slice(2, 5, None))
    >>> window_slice(1, 2, (2, 3), stride=2)
    (slice(2, 4, None), slice(4, 7, None))
    """
    row, col = check_int(row, "row", 0), check_int(col, "col", 0)
    (kH, kW), (sH, sW) = check_pair(kernel_size, "kernel_size", 1), check_pair(stride, "stride", 1)
    return slice(row * sH, row * sH + kH), slice(col * sW, col * sW + kW)


def window_products(image, kernel, row, col):
    """The window under the kernel at output ``(row, col)``, its products with the kernel, and their sum.

    The sum is ``conv2d(image, kernel)[row, col]`` (cross-correlation, no padding,
    stride 1): nothing is flipped.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : ndarray, shape (kH, kW)
    row, col : int
        ``0 <= row < H - kH + 1`` and ``0 <= col < W - kW + 1``.

    Returns
    -------
    window : ndarray, shape (kH, kW)
    products : ndarray, shape (kH, kW)
        ``window * kernel``, element by element.
    total : float
        ``products.sum()``.

    Raises
    ------
    TypeError
        When ``image`` or ``kernel`` is not a real ndarray, or a position not an int.
    ValueError
        When an array is not 2-D, or the window would stick out of the image.

    Examples
    --------
    >>> image = np.arange(9.0).reshape(3, 3)
    >>> window, products, total = window_products(image, np.array([[1.0, -1.0]]), 2, 1)
    >>> window, products, total
    (array([[7., 8.]]), array([[ 7., -8.]]), -1.0)
    """
    image = check_array(image, "image", (2,), "(H, W)")
    kernel = check_array(kernel, "kernel", (2,), "(kH, kW)")
    rows, cols = window_slice(row, col, kernel.shape)
    (H, W), (kH, kW) = image.shape, kernel.shape
    if rows.stop > H or cols.stop > W:
        raise ValueError(
            f"output ({row}, {col}) does not exist: a {kH} x {kW} kernel on a {H} x {W} image gives "
            f"rows 0 to {H - kH} and columns 0 to {W - kW}"
        )
    window = image[rows, cols].astype(float)
    products = window * kernel
    return window, products, float(products.sum())
