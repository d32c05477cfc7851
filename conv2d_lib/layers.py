"""The Conv2D layer: weights and bias held together with the settings that use them.

Introduced in notebooks/06_multi_channel.ipynb.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_int, check_pair, describe
from .conv import conv2d

__all__ = ["Conv2D"]


class Conv2D:
    """A 2-D convolution layer with He-initialised weights, channels-last.

    Parameters
    ----------
    in_channels : int
        ``C_in``, the number of channels the layer expects.
    out_channels : int
        ``C_out``, the number of feature maps it makes (one kernel stack each).
    kernel_size : int or (int, int)
        ``kH`` (square) or ``(kH, kW)``.
    stride : int or (int, int), default 1
    padding : int, (int, int), "valid" or "same", default 0
    bias : bool, default True
        Whether the layer adds a bias (initialised to zeros, as He initialisation does).
    seed : int or None, default None
        Seed for the weights, so that a lesson shows the same pictures every run.
    dilation : int or (int, int), default 1
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, default "zeros"

    Attributes
    ----------
    weights : ndarray, shape (C_out, C_in, kH, kW), float32
        Drawn from a normal distribution with standard deviation
        ``sqrt(2 / (C_in * kH * kW))`` (He et al., 2015), which keeps the
        output's scale about constant through stacked ReLU layers.
    bias : ndarray, shape (C_out,), float32, or None

    Raises
    ------
    TypeError
        When ``in_channels`` or ``out_channels`` is not an int, or ``kernel_size``
        is not an int or a pair of ints; when the image is not an ndarray.
    ValueError
        When a channel count or the kernel size is < 1, or when the image's
        channels are not ``in_channels``.

    Examples
    --------
    >>> layer = Conv2D(3, 8, kernel_size=3, padding=1, seed=0)
    >>> layer.weights.shape
    (8, 3, 3, 3)
    >>> layer(np.zeros((32, 32, 3), np.uint8)).shape
    (32, 32, 8)
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, *,
                 bias=True, seed=None, dilation=1, padding_mode="zeros"):
        self.in_channels = check_int(in_channels, "in_channels", 1)
        self.out_channels = check_int(out_channels, "out_channels", 1)
        if not isinstance(kernel_size, (int, np.integer, tuple, list)) or isinstance(kernel_size, bool):
            raise TypeError(f"kernel_size must be an int or a pair of ints, got {describe(kernel_size)}")
        try:
            self.kernel_size = check_pair(kernel_size, "kernel_size", 1)
        except TypeError as error:  # a pair holding floats, or of the wrong length
            raise ValueError(f"invalid kernel_size: {error}") from None
        self.stride, self.padding, self.dilation = stride, padding, dilation
        self.padding_mode = padding_mode
        rng = np.random.default_rng(seed)
        fan_in = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        self.weights = (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)
        self.bias = np.zeros(self.out_channels, np.float32) if bias else None

    def __call__(self, image):
        """Apply the layer.

        Parameters
        ----------
        image : ndarray, shape (H, W), (H, W, C_in) or (N, H, W, C_in)
            A 2-D image counts as one channel.

        Returns
        -------
        ndarray, shape (H_out, W_out, C_out) or (N, H_out, W_out, C_out)
        """
        if not isinstance(image, np.ndarray):
            raise TypeError(f"image must be a numpy.ndarray, got {describe(image)}")
        if image.ndim == 2:
            image = image[:, :, np.newaxis]
        channels = image.shape[-1] if image.ndim in (3, 4) else None
        if channels is not None and channels != self.in_channels:
            raise ValueError(
                f"image has {channels} channel(s) (shape {image.shape}) but this layer was "
                f"built with in_channels={self.in_channels}"
            )
        return conv2d(image, self.weights, self.bias, self.stride, self.padding,
                      self.dilation, self.padding_mode)

    def __repr__(self):
        return (f"Conv2D(in_channels={self.in_channels}, out_channels={self.out_channels}, "
                f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding!r})")
