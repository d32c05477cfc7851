"""The Conv2D layer: weights and bias held together with the settings that use them.

Introduced in notebooks/06_multi_channel.ipynb.
"""

from __future__ import annotations

import numpy as np

from .. import conv
from .._checks import check_array_bytes, check_choice, check_int, check_pair, describe, is_int, plain_array
from ..backward import conv2d_backward
from ..conv import PADDING_MODES, conv2d, resolve_padding

__all__ = ["Conv2D", "run_stack", "designed_weights", "make_stack", "EDGE_KERNELS"]


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
    seed : int >= 0, numpy.random.Generator or None, default None
        Seed for the weights, so that a lesson shows the same pictures every run
        (None: different weights every time).
    dilation : int or (int, int), default 1
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, default "zeros"
    groups : int, default 1
        Channel groups, as in :func:`conv2d_lib.conv2d`: each of the ``groups``
        blocks of ``C_out / groups`` maps sees only its own block of
        ``C_in / groups`` input channels; ``groups == in_channels`` is depthwise.
        Both channel counts must be divisible by it.

    All settings are checked here, so a bad layer fails when it is built, not when
    it is first called.

    Attributes
    ----------
    weights : ndarray, shape (C_out, C_in / groups, kH, kW), float32
        Drawn from a normal distribution with standard deviation
        ``sqrt(2 / (C_in / groups * kH * kW))`` (He et al., 2015: the fan-in is the
        number of inputs one output sums), which keeps the output's scale about
        constant through stacked ReLU layers.
    bias : ndarray, shape (C_out,), float32, or None
    grad_weights, grad_bias : ndarray or None
        The gradients :meth:`backward` computed last (None before it runs; ``grad_bias``
        stays None without a bias). The layer keeps its last input for it.

    Raises
    ------
    TypeError
        When ``in_channels`` or ``out_channels`` is not an int, ``kernel_size``,
        ``stride`` or ``dilation`` is not an int or a pair of ints, ``padding`` not
        an int, a pair or a word, ``bias`` not True or False, ``seed`` not an int, a
        Generator or None; when the image is not an ndarray.
    ValueError
        When a channel count, the kernel size, the stride, the dilation or ``groups``
        is < 1, a channel count is not divisible by ``groups``, a
        pair does not hold two values, the padding is negative or an unknown word
        (or "same" with a stride), the padding mode is unknown, the seed is negative,
        the weights would take more than ``conv2d_lib.conv.MAX_ARRAY_BYTES``, or the
        image's channels are not ``in_channels``.

    Examples
    --------
    >>> layer = Conv2D(3, 8, kernel_size=3, padding=1, seed=0)
    >>> layer.weights.shape
    (8, 3, 3, 3)
    >>> layer(np.zeros((32, 32, 3), np.uint8)).shape
    (32, 32, 8)
    >>> Conv2D(32, 32, kernel_size=3, groups=32, seed=0).weights.shape   # depthwise: one kernel per channel
    (32, 1, 3, 3)
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, *,
                 bias=True, seed=None, dilation=1, padding_mode="zeros", groups=1):
        self.in_channels = check_int(in_channels, "in_channels", 1)
        self.out_channels = check_int(out_channels, "out_channels", 1)
        self.kernel_size = check_pair(kernel_size, "kernel_size", 1)
        # The other settings are checked here too, so that a bad layer fails when it is built.
        self.stride, self.dilation = check_pair(stride, "stride", 1), check_pair(dilation, "dilation", 1)
        resolve_padding(padding, self.kernel_size, self.stride, self.dilation)
        check_choice(padding_mode, "padding_mode", PADDING_MODES)
        self.padding, self.padding_mode = padding, padding_mode
        self.groups = check_int(groups, "groups", 1)
        for name, count in (("in_channels", self.in_channels), ("out_channels", self.out_channels)):
            if count % self.groups:
                raise ValueError(f"groups={self.groups} must divide {name}={count}: {count} is not divisible "
                                 f"by {self.groups}")
        if not isinstance(bias, (bool, np.bool_)):
            raise TypeError(f"bias must be True or False (whether the layer adds a bias), got {describe(bias)}")
        if not (seed is None or is_int(seed) or isinstance(seed, np.random.Generator)):
            raise TypeError(f"seed must be an int >= 0, a numpy.random.Generator or None, got {describe(seed)}")
        if is_int(seed):
            check_int(seed, "seed", 0)
        rng = np.random.default_rng(seed)
        fan_in = self.in_channels // self.groups * self.kernel_size[0] * self.kernel_size[1]
        shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
        check_array_bytes(shape, 8, conv.MAX_ARRAY_BYTES, "weights",  # drawn in float64, kept in float32
                          f"in_channels={self.in_channels}, out_channels={self.out_channels} and kernel_size "
                          f"{self.kernel_size}")
        self.weights = (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)
        self.bias = np.zeros(self.out_channels, np.float32) if bias else None
        self.grad_weights = self.grad_bias = self._input = None  # set by backward(), and by a call

    def __call__(self, image):
        """Apply the layer.

        Parameters
        ----------
        image : ndarray, shape (H, W), (H, W, C_in) or (N, H, W, C_in)
            A 2-D image counts as one channel.

        Returns
        -------
        ndarray, shape (H_out, W_out, C_out) or (N, H_out, W_out, C_out)

        Raises
        ------
        TypeError
            When ``image`` is not an ndarray.
        ValueError
            When its channels are not ``in_channels``, or as :func:`conv2d_lib.conv2d`.
        """
        image = plain_array(image, "image")
        if not isinstance(image, np.ndarray):
            raise TypeError(f"image must be a numpy.ndarray, got {describe(image)}")
        given_shape = image.shape
        if image.ndim == 2:
            image = image[:, :, np.newaxis]
        channels = image.shape[-1] if image.ndim in (3, 4) else None
        if channels is not None and channels != self.in_channels:
            raise ValueError(
                f"image has {channels} channel(s) (shape {image.shape}) but this layer was "
                f"built with in_channels={self.in_channels}"
            )
        out = conv2d(image, self.weights, self.bias, self.stride, self.padding,
                     self.dilation, self.padding_mode, self.groups)
        self._input = (image, given_shape)  # what backward() differentiates at
        return out

    def backward(self, grad_output):
        """The backward pass of the last call ``layer(image)``: fills the gradients, returns the image's.

        Parameters
        ----------
        grad_output : ndarray, shape (H_out, W_out, C_out) or (N, H_out, W_out, C_out)
            The loss's gradient with respect to each value the last call returned.

        Returns
        -------
        ndarray, shape (H, W, C_in) or (N, H, W, C_in)
            The loss's gradient with respect to that call's image (``(H, W)`` for a 2-D
            image), to hand to the layer before this one. Also sets
            ``layer.grad_weights``, shape (C_out, C_in, kH, kW), and ``layer.grad_bias``,
            shape (C_out,) (None for a layer without bias).

        Raises
        ------
        RuntimeError
            When the layer has not been called yet: there is no input to differentiate at.
        ValueError
            When the layer has ``groups`` other than 1 (not differentiated yet).
        TypeError, ValueError
            As :func:`conv2d_lib.backward.conv2d_backward`, e.g. when ``grad_output``
            does not have the shape of the last output.

        Examples
        --------
        >>> layer = Conv2D(1, 2, kernel_size=3, seed=0)
        >>> out = layer(np.ones((5, 5), np.float32))
        >>> layer.backward(np.ones_like(out)).shape, layer.grad_weights.shape, layer.grad_bias
        ((5, 5), (2, 1, 3, 3), array([9., 9.], dtype=float32))
        """
        if self._input is None:
            raise RuntimeError("backward() needs the input of a forward pass: call layer(image) first, "
                               "then layer.backward(grad_output) with the gradient of what it returned")
        if self.groups != 1:
            raise ValueError(f"backward computes layers with groups=1 only (conv2d_backward has no groups "
                             f"yet); this layer has groups={self.groups}")
        image, given_shape = self._input
        grad_image, self.grad_weights, grad_bias = conv2d_backward(
            grad_output, image, self.weights, self.stride, self.padding, self.dilation, self.padding_mode)
        self.grad_bias = None if self.bias is None else grad_bias
        return grad_image.reshape(given_shape)

    # The protocol of conv2d_lib.nn's layers, so that a Conv2D sits in a Sequential beside them.
    def forward(self, image):
        """The same as ``layer(image)``."""
        return self(image)

    @property
    def params(self):
        """``{"weights": ..., "bias": ...}`` (no bias for a layer without one): what SGD updates in place."""
        return {"weights": self.weights} if self.bias is None else {"weights": self.weights, "bias": self.bias}

    @property
    def grads(self):
        """The gradients the last ``backward`` filled, named as in :attr:`params` (empty before one)."""
        found = {"weights": self.grad_weights, "bias": self.grad_bias}
        return {name: found[name] for name in self.params if found[name] is not None}

    def __repr__(self):
        groups = f", groups={self.groups}" if self.groups != 1 else ""
        return (f"Conv2D(in_channels={self.in_channels}, out_channels={self.out_channels}, "
                f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding!r}{groups})")


def run_stack(image, layers, activation=None):
    """Apply layers one after the other and keep every intermediate output.

    Parameters
    ----------
    image : ndarray, shape (H, W, C_in) or (H, W)
    layers : list of Conv2D
        Each layer's ``in_channels`` must equal the previous layer's ``out_channels``.
    activation : callable, optional
        Applied after every layer but the last (``conv2d_lib.relu``, say).

    Returns
    -------
    list of ndarray
        ``outputs[i]`` has shape ``(H_i, W_i, C_out_i)``: the output of layer ``i + 1``.

    Raises
    ------
    TypeError
        When ``layers`` is not a list of Conv2D.
    ValueError
        When a layer's ``in_channels`` does not match what reaches it.

    Examples
    --------
    >>> stack = [Conv2D(3, 4, 3, seed=0), Conv2D(4, 4, 3, seed=1)]
    >>> [out.shape for out in run_stack(np.zeros((10, 10, 3)), stack)]
    [(8, 8, 4), (6, 6, 4)]
    """
    if not isinstance(layers, (list, tuple)) or not all(isinstance(layer, Conv2D) for layer in layers):
        raise TypeError(f"layers must be a list of Conv2D, got {describe(layers)}")
    outputs, x = [], image
    for index, layer in enumerate(layers):
        x = layer(x)
        outputs.append(x)
        if activation is not None and index + 1 < len(layers):
            x = activation(x)
    return outputs


def designed_weights(kernel_list, in_channels):
    """Weights that apply hand-made kernels to the average of the input channels.

    Output map ``o`` applies ``kernel_list[o]`` to every input channel with weight
    ``1 / in_channels``, i.e. to the channels' average: a stand-in for what a
    trained layer's kernels look like (edge detectors, blurs) that a lesson can explain.

    Parameters
    ----------
    kernel_list : list of ndarray, each of shape (kH, kW)
    in_channels : int

    Returns
    -------
    ndarray, shape (len(kernel_list), in_channels, kH, kW), float32

    Raises
    ------
    TypeError
        When ``in_channels`` is not an int.
    ValueError
        When ``in_channels`` < 1, or the kernels are not 2-D of one shape.

    Examples
    --------
    >>> designed_weights([np.ones((3, 3))], 3).shape
    (1, 3, 3, 3)
    """
    in_channels = check_int(in_channels, "in_channels", 1)
    shapes = {np.shape(k) for k in kernel_list}
    if len(shapes) != 1 or len(next(iter(shapes))) != 2:
        raise ValueError(f"kernel_list must hold 2-D kernels of one shape, got shapes {sorted(shapes)}")
    stack = np.stack([np.asarray(k, dtype=np.float32) for k in kernel_list])
    return np.repeat(stack[:, np.newaxis] / in_channels, in_channels, axis=1)


EDGE_KERNELS = ("sobel_x", "sobel_y", "laplacian", "box_blur")


#: The most layers make_stack builds: far more than any lesson stacks, few enough to build at once.
MAX_STACK_LAYERS = 1000


def make_stack(n_layers, kernel_size=3, stride=1, padding=0, *, in_channels=3, channels=4,
               designed=False, seed=0):
    """A stack of ``n_layers`` Conv2D layers with the same settings, seeded.

    Parameters
    ----------
    n_layers : int
        1 to :data:`MAX_STACK_LAYERS` (1000).
    kernel_size, stride, padding
        As for :class:`Conv2D`, the same for every layer.
    in_channels : int, default 3
        Channels of the image the stack takes.
    channels : int, default 4
        Output maps of every layer.
    designed : bool, default False
        False: He-initialised random weights (each layer seeded ``seed + i``).
        True: every layer applies the edge kernels Sobel x, Sobel y, Laplacian and
        a box blur to the average of its input maps (3 x 3 kernels, framed with
        zeros when ``kernel_size`` is larger; smaller sizes raise ``ValueError``).

    Returns
    -------
    list of Conv2D

    Raises
    ------
    TypeError, ValueError
        As :class:`Conv2D` for the settings; ValueError for ``designed=True`` with a
        kernel smaller than 3 x 3.

    Examples
    --------
    >>> [layer.weights.shape for layer in make_stack(2, channels=4)]
    [(4, 3, 3, 3), (4, 4, 3, 3)]
    """
    from .. import kernels

    n_layers = check_int(n_layers, "n_layers", 1, MAX_STACK_LAYERS)
    channels = check_int(channels, "channels", 1)
    stack = []
    for index in range(n_layers):
        C_in = in_channels if index == 0 else channels
        layer = Conv2D(C_in, channels, kernel_size, stride, padding, seed=seed + index)
        if designed:
            kH, kW = layer.kernel_size
            if kH < 3 or kW < 3:
                raise ValueError(f"the designed edge kernels need kernel_size >= 3, got {kernel_size}")
            # Larger kernels hold the 3 x 3 detector in their middle, zeros around it.
            frame = (((kH - 3) // 2, kH - 3 - (kH - 3) // 2), ((kW - 3) // 2, kW - 3 - (kW - 3) // 2))
            names = [EDGE_KERNELS[o % len(EDGE_KERNELS)] for o in range(channels)]
            layer.weights = designed_weights([np.pad(kernels.get(name), frame) for name in names], C_in)
        stack.append(layer)
    return stack
