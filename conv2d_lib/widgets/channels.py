"""Explorers for notebooks/06_multi_channel.ipynb: one kernel per input channel, summed into one map."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .. import images, kernels
from .._checks import describe
from ..conv import channel_contributions, conv2d
from ..nn.conv_layer import Conv2D
from ..plot.channels import ChannelsFigure
from ._base import Explorer
from ._sources import ImageChooser



def _stack_text(weights, o, bias):
    """The kernel stack ``weights[o]`` as three small printed arrays side by side, in HTML."""
    blocks = [np.array2string(np.asarray(weights[o, c], dtype=float) + 0.0, precision=2, suppress_small=True,
                              floatmode="maxprec").splitlines() for c in range(weights.shape[1])]
    width = max(max(len(line) for line in block) for block in blocks) + 3
    heads = [f"weights[{o}, {c}] on {images.CHANNEL_LETTERS[c]}" for c in range(len(blocks))]
    width = max(width, max(len(h) for h in heads) + 3)
    lines = ["".join(h.ljust(width) for h in heads)]
    for row in range(max(len(b) for b in blocks)):
        lines.append("".join((b[row] if row < len(b) else "").ljust(width) for b in blocks))
    shape = ", ".join(str(n) for n in weights.shape)
    return (f"weights shape ({shape}) = (C_out, C_in, kH, kW); output map {o} uses the stack weights[{o}] "
            f"and bias[{o}] = {bias:.3g}:<pre style='line-height:1.2;margin:2px 0'>"
            + html.escape("\n".join(lines)) + "</pre>")


def explore_channels(image=None, default="cat"):
    """One output map from an RGB image: a kernel per channel, each scaled by a slider, summed, plus bias.

    The layer here has ``C_out = 1``: its weights, shape ``(1, 3, kH, kW)``, are the
    chosen kernel times the red, green and blue sliders (``weights[0, c] = scale_c *
    kernel``; "small weights" gives each channel its own kernel in {-1, 0, 1}).

    Parameters
    ----------
    image : ndarray of shape (H, W, 3) or (H, W), or a file path, optional
        Your own picture, offered as "your picture" (and shown first).
    default : str
        The sample image shown first otherwise (one of ``images.SAMPLES``).

    Returns
    -------
    Explorer
        Controls ``image``, ``kernel``, ``red``, ``green``, ``blue`` (scales, -2 to 2)
        and ``bias`` (-2 to 2); ``explorer.channels_figure`` is its :class:`ChannelsFigure`.
    """
    chooser = ImageChooser(gray=False, default=default, own=image)
    figure = ChannelsFigure()
    scale = dict(min=-2.0, max=2.0, step=0.1, readout_format=".1f", continuous_update=True)
    controls = {
        "image": chooser.control,
        "kernel": widgets.Dropdown(options=kernels.names() + [kernels.SMALL_WEIGHTS], value="sobel_x",
                                   description="kernel"),
        "red": widgets.FloatSlider(value=1.0, description="R scale", **scale),
        "green": widgets.FloatSlider(value=1.0, description="G scale", **scale),
        "blue": widgets.FloatSlider(value=1.0, description="B scale", **scale),
        "bias": widgets.FloatSlider(value=0.0, description="bias", **scale),
    }

    def update(image, kernel, red, green, blue, bias):
        x = chooser.array(image)
        if kernel == kernels.SMALL_WEIGHTS:
            stack = images.small_weights(3, c_out=1, c_in=3)[0]  # (3, 3, 3): one kernel per channel
        else:
            stack = np.repeat(kernels.get(kernel)[np.newaxis], 3, axis=0)
        weights = (np.array([red, green, blue])[:, np.newaxis, np.newaxis] * stack)[np.newaxis]
        total = conv2d(x, weights, np.array([bias]))[:, :, 0]
        # Colour limits from the map at scales 1 and bias 0: they hold while the sliders move.
        bound = np.abs(conv2d(x, stack[np.newaxis])).max()
        figure.show(x, channel_contributions(x, weights, 0), total, output_index=0, bias=bias, bound=bound)
        return _stack_text(weights, 0, bias)

    explorer = Explorer(update, controls, figure.fig, extra=[chooser.upload])
    explorer.channels_figure = figure  # its panels, for tests and the curious
    return explorer


def explore_output_channels(layer=None, image=None, default="cat"):
    """Pick an output map of a Conv2D layer and see its kernel stack at work on each channel.

    Parameters
    ----------
    layer : Conv2D, optional
        A layer with ``in_channels=3`` and at least two output maps. Default: a fresh
        ``Conv2D(3, 4, kernel_size=3, seed=0)`` (random He-initialised weights).
    image : ndarray of shape (H, W, 3) or (H, W), or a file path, optional
        Your own picture, offered as "your picture" (and shown first).
    default : str
        The sample image shown first otherwise (one of ``images.SAMPLES``).

    Returns
    -------
    Explorer
        Controls ``image`` and ``output`` (the output map ``o``, 0 to ``C_out - 1``);
        ``explorer.channels_figure`` is its :class:`ChannelsFigure`.

    Raises
    ------
    TypeError
        When ``layer`` is not a Conv2D.
    ValueError
        When ``layer`` does not take 3 input channels or has a single output map.
    """
    if layer is None:
        layer = Conv2D(3, 4, kernel_size=3, seed=0)
    if not isinstance(layer, Conv2D):
        raise TypeError(f"layer must be a conv2d_lib.Conv2D, got {describe(layer)}")
    weights = np.asarray(layer.weights)
    if weights.ndim != 4 or weights.shape[1] != 3:
        raise ValueError(f"layer must take 3 input channels (RGB): its weights must have shape "
                         f"(C_out, 3, kH, kW), got {weights.shape}")
    if weights.shape[0] < 2:
        raise ValueError(f"layer must have at least 2 output maps to choose from, got weights {weights.shape}")
    chooser = ImageChooser(gray=False, default=default, own=image)
    figure = ChannelsFigure()
    controls = {
        "image": chooser.control,
        "output": widgets.IntSlider(value=0, min=0, max=weights.shape[0] - 1, description="output map o"),
    }
    settings = dict(stride=layer.stride, padding=layer.padding, dilation=layer.dilation,
                    padding_mode=layer.padding_mode)

    def update(image, output):
        x = chooser.array(image)
        w = np.asarray(layer.weights)
        bias = 0.0 if layer.bias is None else float(layer.bias[output])
        maps = layer(x)
        total = maps[:, :, output]
        # One colour scale for every output map of the layer, so that maps compare as you move.
        figure.show(x, channel_contributions(x, w, output, **settings), total, output_index=output, bias=bias,
                    bound=np.abs(maps).max())
        return _stack_text(w, output, bias)

    explorer = Explorer(update, controls, figure.fig, extra=[chooser.upload])
    explorer.channels_figure = figure  # its panels, for tests and the curious
    return explorer
