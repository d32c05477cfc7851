"""The playground's figure: padded input, kernel with its numbers, output map, and lit pixels on both.

Drawing only: every array arrives computed (by the explorer, from the library's
maths); this module places it, and lights the pixels it is told to light by
washing out the others.
"""

from __future__ import annotations

import numpy as np
from ._panels import HIGHLIGHT, MapPanel, PixelLocator, ValueGrid, frame_box, new_figure, outline_box, set_box

ORANGE = HIGHLIGHT
KEY = (f'<span style="color:{ORANGE}">&#9632;</span> orange box: around the lit pixels (on a small picture '
       f'everything else is washed out; on a large one orange cross-hairs point at them) '
       f'&nbsp; <span style="background:black;color:white">&nbsp;- - -&nbsp;</span> white dashes on black: '
       f'the image inside its padding &nbsp; output colours: red above 0, blue below, white 0, on a scale '
       f'that depends on the image and the kernel only')


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
        # The kernel's panel is large enough for a 4 x 4 kernel's weights at a legible size.
        ax_in.set_position([0.065, 0.11, 0.22, 0.76])
        ax_k.set_position([0.425, 0.2, 0.19, 0.58])
        ax_out.set_position([0.68, 0.11, 0.2, 0.76])
        self.input = MapPanel(ax_in, np.zeros((2, 2)), "input", label="pixel value")
        self.frame = frame_box(ax_in)
        self.lit_input = Spotlight(ax_in)
        self.kernel = MapPanel(ax_k, np.zeros((3, 3)), "kernel", signed=True, colorbar=False)
        self.numbers = ValueGrid(ax_k, fmt="{:.2g}", fontsize=11)
        self.output = MapPanel(ax_out, np.zeros((2, 2)), "output", signed=True, label="output value")
        self.lit_output = Spotlight(ax_out)
        # Fewer tick labels: text is most of a redraw's cost, and the panels are small.
        for axis in (ax_in.xaxis, ax_in.yaxis, ax_out.xaxis, ax_out.yaxis):
            axis.set_major_locator(PixelLocator(4))

    def show(self, padded, frame, kernel, output, lit_input, lit_output, titles, bound=None):
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
        bound : float, optional
            The output's colour limits, ``-bound`` to ``bound``: give one that depends on
            the image and the kernel only, so that they hold while the sliders move
            (values beyond saturate). Default: the output's own largest magnitude.
        """
        padded = np.asarray(padded, dtype=float)
        if padded.ndim == 3:  # RGB must lie in [0, 1] to be shown: scale the display only
            top = padded.max()
            padded = np.clip(padded / top if top > 1.0 else padded, 0.0, 1.0)
        top, left, h, w = frame
        original = padded[top:top + h, left:left + w]
        self.input.vrange = (min(0.0, float(original.min())), float(original.max()))
        self.input.set(padded, titles[0])
        set_box(self.frame, *frame)
        self.frame.set_visible(padded.shape[:2] != tuple(frame[2:]))
        self.lit_input.set(lit_input)
        self.kernel.set(kernel, titles[1])
        side = max(kernel.shape)  # smaller numbers in smaller cells
        self.numbers.fmt = "{:.2g}" if side <= 4 else "{:.1g}"
        self.numbers.set(kernel, mapper=self.kernel.image)
        self.output.vrange = None if bound is None else (-(float(bound) or 1.0), float(bound) or 1.0)
        self.output.set(output, titles[2])
        self.lit_output.set(lit_output)
