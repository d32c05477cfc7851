"""The multi-channel lesson's figure: three input channels, their three partial maps, and the sum.

Introduced in notebooks/06_multi_channel.ipynb. Drawing only: the explorer computes
the maps with :func:`conv2d_lib.conv2d` and hands them over.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..images import CHANNEL_LETTERS, CHANNEL_NAMES
from ._panels import MapPanel, ValueGrid, new_figure, pin_labels



class ChannelsFigure:
    """Eight panels in two rows, each column one step of a multi-channel convolution.

    Top row: the red, green and blue channels of the input (grey, one shared colour
    scale) and the input in colour. Bottom row, under each channel: that channel
    convolved with its own kernel ``weights[o, c]``, and under the colour
    input the sum of the three plus the bias: output map ``o``. The bottom row shares
    one diverging colour scale centred on 0, so the three shares and their sum compare
    at a glance. Two colorbars (one per row), no ticks; arrays at most 15 pixels a
    side get their numbers printed.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    channels : list of MapPanel
        The three input channels.
    colour : MapPanel
        The input as an RGB picture.
    partials : list of MapPanel
        ``conv2d(image[:, :, c], weights[o, c])`` for ``c = 0, 1, 2``.
    total : MapPanel
        Output map ``o``: the partials' sum plus ``bias[o]``.

    Examples
    --------
    >>> figure = ChannelsFigure()
    >>> figure.show(np.ones((5, 5, 3)), np.zeros((3, 3, 3)), np.zeros((3, 3)), output_index=0)
    >>> figure.partials[0].ax.get_title()
    'w[0, 0] on R'
    """

    def __init__(self):
        self.fig, axes = new_figure(4, 2, width=9.5, height=4.0)
        top, bottom = axes
        blank = np.zeros((2, 2))
        self.channels = [
            MapPanel(ax, blank, colorbar=(c == 2), label="pixel value") for c, ax in enumerate(top[:3])
        ]
        self.colour = MapPanel(top[3], np.zeros((2, 2, 3)), "input, all channels")
        self.partials = [
            MapPanel(ax, blank, signed=True, colorbar=False)
            for c, ax in enumerate(bottom[:3])
        ]
        self.total = MapPanel(bottom[3], blank, signed=True, label="output value")
        self._grids = [(panel, ValueGrid(panel.ax, fontsize=11)) for panel in
                       (*self.channels, *self.partials, self.total)]
        # Fixed places: three channel columns close together, a gap for the shared
        # colorbars, the fourth column, and room on the right for the last colorbar.
        width, height = 0.19, 0.35
        lefts = (0.045, 0.235, 0.425, 0.705)
        for row, bottom_edge in ((top, 0.57), (bottom, 0.13)):
            for ax, left in zip(row, lefts):
                ax.set_position([left, bottom_edge, width, height])
        # No ticks, and no axis at all where there is no label: a live figure draws
        # every axis on every change, and these are the costly part of a draw.
        for r, c in np.ndindex(axes.shape):
            ax = axes[r, c]
            ax.set_xticks([])
            ax.set_yticks([])
            corner = (r, c) == (1, 0)  # one pair of axis labels says how every panel is laid out
            ax.set_xlabel("column" if corner else "")
            ax.set_ylabel("row" if corner else "")
            ax.xaxis.set_visible(corner)
            ax.yaxis.set_visible(corner)
            if corner:
                pin_labels(ax, below=6, left=6)  # no tick labels to clear here
            ax.set_title(" ", y=1.0)  # a fixed title place: no search for a free spot on every draw
        for colorbar in (self.channels[2].colorbar, self.total.colorbar):
            colorbar.locator = MaxNLocator(nbins=4)  # few tick labels: text is the costly part of a draw

    def show(self, image, partials, total, output_index=0, bias=0.0, bound=None):
        """Show one output map and how it is made.

        Parameters
        ----------
        image : ndarray, shape (H, W, 3)
            The input, channels-last.
        partials : ndarray, shape (3, H_out, W_out)
            ``partials[c]`` is channel ``c`` convolved with ``weights[o, c]``.
        total : ndarray, shape (H_out, W_out)
            Output map ``o`` as the layer computes it (the partials' sum plus the bias).
        output_index : int
            ``o``, for the titles.
        bias : float
            ``bias[o]``, for the title of the sum.
        bound : float, optional
            The bottom row's colour limits, ``-bound`` to ``bound``. Give one that depends
            only on the image and the kernels (not on the sliders), so that a slider
            visibly strengthens or weakens a map; values beyond it saturate. Default:
            the largest magnitude shown.
        """
        image = np.asarray(image, dtype=float)
        low, high = float(image.min()), float(image.max())
        for c, panel in enumerate(self.channels):
            panel.vrange = (low, high)
            panel.set(image[:, :, c], f"{CHANNEL_NAMES[c]} channel {CHANNEL_LETTERS[c]}")
        self.colour.set(np.clip((image - min(low, 0.0)) / max(high - min(low, 0.0), 1.0), 0.0, 1.0),
                        "input, all channels")

        # One colour scale for the whole bottom row, so the sum compares with its parts.
        if bound is None:
            bound = max(float(np.abs(partials).max()), float(np.abs(total).max()))
        bound = float(bound) or 1.0  # an all-zero scene: a plain -1..1 scale
        for c, panel in enumerate(self.partials):
            panel.vrange = (-bound, bound)
            panel.set(partials[c], f"w[{output_index}, {c}] on {CHANNEL_LETTERS[c]}")
        self.total.vrange = (-bound, bound)
        self.total.set(total, f"sum + bias ({bias:.3g}) = map {output_index}")
        for panel, grid in self._grids:
            grid.set(panel.image.get_array(), mapper=panel.image)
