"""The original NumPy-Conv2D function, for readers who come from that project.

``conv2d(image, in_channels, out_channels, kernel_size, stride=1, padding=0)``
built a layer with random weights and applied it; the examples written for it run
unchanged here. New code should use :class:`conv2d_lib.Conv2D` or
:func:`conv2d_lib.conv2d`, which take the weights explicitly.
"""

from __future__ import annotations

from .nn.conv_layer import Conv2D

__all__ = ["conv2d"]


def conv2d(image, in_channels, out_channels, kernel_size, stride=1, padding=0, *, seed=None):
    """Perform a 2-D convolution with freshly drawn random (He) weights.

    Parameters
    ----------
    image : ndarray, shape (H, W, C_in) or (H, W)
        Input image, channels-last.
    in_channels : int
        Number of input channels ``C_in``.
    out_channels : int
        Number of output channels ``C_out``.
    kernel_size : int or (int, int)
        Size of the convolutional kernel.
    stride : int, default 1
    padding : int, default 0
    seed : int or None, default None
        Seed for the random weights (the original had none).

    Returns
    -------
    ndarray, shape (H_out, W_out, C_out)

    Raises
    ------
    TypeError
        If ``image`` is not a ``numpy.ndarray``, or ``in_channels`` or
        ``out_channels`` is not an int.
    ValueError
        If ``kernel_size`` is invalid, or the image's channels are not ``in_channels``.

    Examples
    --------
    >>> conv2d(np.zeros((10, 10, 3)), 3, 4, 3).shape
    (8, 8, 4)
    """
    layer = Conv2D(in_channels, out_channels, kernel_size, stride, padding, seed=seed)
    return layer(image)
