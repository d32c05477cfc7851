"""The playground's figure: padded input, kernel with its numbers, output map, and lit pixels on both.

Drawing only: every array arrives computed (by the explorer, from the library's
maths); this module places it, and lights the pixels it is told to light by
washing out the others.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from ._panels import MapPanel, ValueGrid, new_figure, outline_box, set_box

ORANGE, BLUE, MAGENTA = "#ffb000", "#648fff", "#dc267f"
KEY = (f'<span style="color:{ORANGE}">&#9632;</span> orange box: around the lit pixels (on a small picture '
       f'everything else is washed out; on a large one orange cross-hairs point at them) '
       f'&nbsp; <span style="color:{BLUE}">&#9633;</span> dashed blue: the image inside its padding')


class Spotlight:
    """Lights some pixels of a panel: a box around them, and a white veil over the others.

    On a picture of ``crosshair_from`` pixels or more a side, where one lit pixel is
    a dot, thin cross-hairs through the lit pixels replace the veil.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The panel, whose image is ``(h, w)`` pixels with pixel ``(0, 0)`` at ``(0, 0)``.
    color : str
        Colour of the box around the lit pixels.
    veil : float
        Opacity of the white veil over the unlit pixels (0 to 1).
    """

    def __init__(self, ax, color=ORANGE, veil=0.45, crosshair_from=40):
        self.veil, self.crosshair_from = veil, crosshair_from
        self.image = ax.imshow(np.zeros((1, 1, 4)), interpolation="nearest", zorder=2)
        self.box = outline_box(ax, color=color, linewidth=2.0)
        self.box.set_zorder(3)
        # On a large picture one lit pixel is a dot: thin lines through it show where it is.
        self.across = ax.axhline(0, color=color, linewidth=0.8, alpha=0.8, zorder=3)
        self.down = ax.axvline(0, color=color, linewidth=0.8, alpha=0.8, zorder=3)

    def set(self, lit):
        """Light the True pixels of ``lit`` (bool, shape (h, w)); box them; hide the box if none."""
        lit = np.asarray(lit, dtype=bool)
        h, w = lit.shape
        large = max(h, w) >= self.crosshair_from
        rgba = np.ones((h, w, 4))
        rgba[..., 3] = np.where(lit, 0.0, self.veil)
        self.image.set_data(rgba)
        self.image.set_extent((-0.5, w - 0.5, h - 0.5, -0.5))
        self.image.set_visible(not large)  # a veil over a photo would only dim it: cross-hairs instead
        rows, cols = np.flatnonzero(lit.any(axis=1)), np.flatnonzero(lit.any(axis=0))
        self.box.set_visible(rows.size > 0)
        self.across.set_visible(large and rows.size > 0)
        self.down.set_visible(large and rows.size > 0)
        if rows.size:
            set_box(self.box, rows[0], cols[0], rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)
            self.across.set_ydata([(rows[0] + rows[-1]) / 2] * 2)
            self.down.set_xdata([(cols[0] + cols[-1]) / 2] * 2)


class PlaygroundFigure:
    """Three panels: the (padded) input, the kernel one output channel uses, and that output map.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    input, kernel, output : MapPanel
    numbers : ValueGrid
        The kernel's weights printed on it.
    frame : matplotlib.patches.Rectangle
        Frames the image inside its padding.
    lit_input, lit_output : Spotlight
    """

    def __init__(self):
        self.fig, (ax_in, ax_k, ax_out) = new_figure(3, width=9.5, height=4.0)
        # Fixed places (no layout engine): room for the input's colorbar when it shows one channel,
        # the kernel's axis labels, and the output's colorbar label at the right edge.
        ax_in.set_position([0.07, 0.11, 0.25, 0.76])
        ax_k.set_position([0.475, 0.24, 0.105, 0.50])
        ax_out.set_position([0.66, 0.11, 0.245, 0.76])
        self.input = MapPanel(ax_in, np.zeros((2, 2)), "input", label="pixel value")
        self.frame = outline_box(ax_in, color=BLUE, linewidth=1.5, linestyle="--")
        self.frame.set_zorder(3)
        self.lit_input = Spotlight(ax_in)
        self.kernel = MapPanel(ax_k, np.zeros((3, 3)), "kernel", signed=True, colorbar=False)
        self.numbers = ValueGrid(ax_k, fmt="{:.2g}", fontsize=8)
        self.output = MapPanel(ax_out, np.zeros((2, 2)), "output", signed=True, label="output value")
        self.lit_output = Spotlight(ax_out)
        # Fewer tick labels: text is most of a redraw's cost, and the panels are small.
        for axis in (ax_in.xaxis, ax_in.yaxis, ax_out.xaxis, ax_out.yaxis):
            axis.set_major_locator(MaxNLocator(nbins=4, integer=True))

    def show(self, padded, frame, kernel, output, lit_input, lit_output, titles):
        """Show one state of the playground.

        Parameters
        ----------
        padded : ndarray, shape (Hp, Wp, 3) or (Hp, Wp)
            The padded input, in colour or one channel.
        frame : (int, int, int, int)
            ``(top, left, H, W)``: where the image sits inside its padding.
        kernel : ndarray, shape (kH, kW)
            The weights shown (``weights[o, c]``, the same for every ``c``).
        output : ndarray, shape (H_out, W_out)
            The output map shown.
        lit_input : ndarray of bool, shape (Hp, Wp)
        lit_output : ndarray of bool, shape (H_out, W_out)
        titles : (str, str, str)
            For the input, kernel and output panels.
        """
        padded = np.asarray(padded, dtype=float)
        if padded.ndim == 3:  # RGB must lie in [0, 1] to be shown: scale the display only
            top = padded.max()
            padded = np.clip(padded / top if top > 1.0 else padded, 0.0, 1.0)
        self.input.set(padded, titles[0])
        set_box(self.frame, *frame)
        self.frame.set_visible(padded.shape[:2] != tuple(frame[2:]))
        self.lit_input.set(lit_input)
        self.kernel.set(kernel, titles[1])
        side = max(kernel.shape)  # smaller numbers in smaller cells
        self.numbers.fmt = "{:.2g}" if side <= 4 else "{:.1g}"
        self.numbers.set(kernel, mapper=self.kernel.image)
        for text in self.numbers.texts:
            text.set_fontsize(8 if side <= 3 else 6.5 if side == 4 else 5.5)
        self.output.set(output, titles[2])
        self.lit_output.set(lit_output)
