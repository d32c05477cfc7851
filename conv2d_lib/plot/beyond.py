"""Figures for notebooks/13_beyond_the_layer.ipynb: colour mixes, group connections, stamps, pooling.

Drawing only: the arrays come from the library (``conv2d``, ``conv_transpose2d``,
``max_pool2d``, ``avg_pool2d``, ``conv2d_lib.variants``).
"""

from __future__ import annotations

import numpy as np

from ._panels import HIGHLIGHT, MapPanel, PixelMark, ValueGrid, dashes_on_black, new_figure, outline_box, set_box

CHANNELS = ("red", "green", "blue")
MIX_LIMIT = 1.0  # the mixing sliders' range, -1 to 1: the matrix panel's fixed colour limits


class PointwiseFigure:
    """The photo, its 1x1-convolution remix, and the 3 x 3 mixing matrix with its numbers.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    before, after : MapPanel
        RGB pictures (the remix clipped to 0..1 for showing).
    matrix : MapPanel
        ``M[o, c]`` in the diverging map, fixed limits -1..1.
    numbers : ValueGrid
    """

    def __init__(self):
        self.fig, (ax_in, ax_out, ax_m) = new_figure(3, width=9.5, height=3.6, wspace=0.5)
        ax_in.set_position([0.075, 0.15, 0.25, 0.66])
        ax_out.set_position([0.41, 0.15, 0.25, 0.66])
        ax_m.set_position([0.75, 0.15, 0.15, 0.66])
        blank = np.zeros((2, 2, 3))
        self.before = MapPanel(ax_in, blank, "the photo (R, G, B)")
        self.after = MapPanel(ax_out, blank, "after the 1x1 convolution")
        self.matrix = MapPanel(ax_m, np.eye(3), "mixing matrix M", signed=True,
                               vrange=(-MIX_LIMIT, MIX_LIMIT), label="weight")
        ax_m.set_xticks(range(3), ["R", "G", "B"])
        ax_m.set_yticks(range(3), ["R", "G", "B"])
        ax_m.set_xlabel("from input channel")
        ax_m.set_ylabel("to output channel")
        self.numbers = ValueGrid(ax_m, fmt="{:.2f}", fontsize=10)

    def show(self, image, mixed, matrix):
        """``image`` and ``mixed`` of shape (H, W, 3); ``matrix`` of shape (3, 3)."""
        self.before.set(image)
        self.after.set(np.clip(mixed, 0.0, 1.0))
        self.matrix.set(matrix)
        self.numbers.set(matrix, mapper=self.matrix.image)


class GroupsFigure:
    """Which input channels each output map sees: a C_out x C_in grid, each group outlined.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    grid : MapPanel
        White where output map ``o`` has a kernel for input channel ``c``, black where not.
    boxes : list of matplotlib.patches.Rectangle
        One outline per group (unused ones hidden).
    """

    def __init__(self, most_groups=16):
        self.fig, ax = new_figure(1, width=7.0, height=4.4)
        ax.set_position([0.12, 0.13, 0.62, 0.72])
        self.grid = MapPanel(ax, np.zeros((2, 2)), "", vrange=(0.0, 1.0), label="1 = has a kernel for it")
        ax.set_xlabel("input channel c")
        ax.set_ylabel("output map o")
        self.boxes = [outline_box(ax, color=HIGHLIGHT, linewidth=2.5) for _ in range(most_groups)]

    def show(self, sees, groups, title):
        """``sees`` of shape (C_out, C_in), bool; ``groups`` blocks outlined."""
        self.grid.set(sees.astype(float), title)
        C_out, C_in = sees.shape
        for g, box in enumerate(self.boxes):
            box.set_visible(g < groups)
            if g < groups:
                h, w = C_out // groups, C_in // groups
                set_box(box, g * h, g * w, h, w)


class TransposeFigure:
    """The input with the chosen pixel, that pixel's stamp, and the output it lands on.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    source, stamp, output : MapPanel
    pixel : PixelMark
        The chosen input pixel.
    landing : matplotlib.patches.Rectangle
        Where its stamp lands on the output (the part inside it).
    summed : PixelMark
        The output pixel whose sum the message spells out (white dashes on black).
    output_numbers : ValueGrid
        The output's values where the stamp lands.
    """

    def __init__(self):
        self.fig, (ax_in, ax_k, ax_out) = new_figure(3, width=9.5, height=3.9, wspace=0.6)
        ax_in.set_position([0.06, 0.14, 0.21, 0.66])
        ax_k.set_position([0.41, 0.14, 0.15, 0.66])
        ax_out.set_position([0.64, 0.14, 0.26, 0.66])
        self.source = MapPanel(ax_in, np.zeros((2, 2)), "input x", label="pixel value")
        self.stamp = MapPanel(ax_k, np.zeros((2, 2)), "its stamp", signed="auto", colorbar=False)  # the input's scale
        self.output = MapPanel(ax_out, np.zeros((2, 2)), "output", signed="auto", label="output value")
        self.source_numbers = ValueGrid(ax_in, fmt="{:.3g}")
        self.stamp_numbers = ValueGrid(ax_k, fmt="{:.3g}")
        self.output_numbers = ValueGrid(ax_out, fmt="{:.3g}", fontsize=10)
        self.pixel = PixelMark(ax_in)
        self.landing = outline_box(ax_out, linewidth=2.5)
        # White dashes on black: the summed pixel can be any colour of the diverging map.
        self.summed = PixelMark(ax_out, color="white", linewidth=1.6, linestyle=(0, (3, 2)))
        dashes_on_black(self.summed.box)

    def set_scene(self, input_range, stamp_range, output_range):
        """Fix the colour limits for one image and kernel (each a (low, high) pair)."""
        self.source.vrange, self.stamp.vrange = input_range, stamp_range
        self.output.vrange = output_range

    def show(self, x, pixel, stamp, stamp_title, output, landing, summed):
        """Show the input with ``pixel`` (row, col) marked, its ``stamp``, and ``output``.

        ``landing`` is ``(top, left, height, width)`` on the output (height 0: outside it);
        ``summed`` the output pixel (row, col) marked for its sum.
        """
        self.source.set(x)
        self.source_numbers.set(x, mapper=self.source.image)
        self.pixel.set(pixel[0], pixel[1], 1, 1)
        self.stamp.set(stamp, stamp_title)
        self.stamp_numbers.set(stamp, mapper=self.stamp.image)
        self.output.set(output, f"output, {output.shape[0]} x {output.shape[1]}")
        top, left, height, width = landing
        # Numbers only where the stamp lands: the sums it takes part in (and few texts to draw).
        self.output_numbers.set(output[top:top + height, left:left + width], offset=(top, left),
                                mapper=self.output.image)
        self.landing.set_visible(height > 0 and width > 0)
        set_box(self.landing, top, left, height, width)
        self.summed.set(summed[0], summed[1], 1, 1)


class PoolingFigure:
    """The input with its first window, max pooling and average pooling side by side.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    source, maximum, average : MapPanel
        Grey, one fixed colour scale for all three (pooling never leaves the input's range).
    window : matplotlib.patches.Rectangle
        The first window, on the input.
    """

    def __init__(self):
        self.fig, (ax_in, ax_max, ax_avg) = new_figure(3, width=9.5, height=3.7, wspace=0.55)
        for ax, left in zip((ax_in, ax_max, ax_avg), (0.075, 0.385, 0.695)):
            ax.set_position([left, 0.14, 0.22, 0.68])
        self.source = MapPanel(ax_in, np.zeros((2, 2)), "input", colorbar=False)
        self.maximum = MapPanel(ax_max, np.zeros((2, 2)), "max pooling", colorbar=False)
        self.average = MapPanel(ax_avg, np.zeros((2, 2)), "average pooling", label="pixel value")
        self.numbers = [ValueGrid(panel.ax, fmt="{:.3g}") for panel in (self.source, self.maximum, self.average)]
        self.window = outline_box(ax_in, linewidth=2.5)
        self.first = [outline_box(panel.ax, linewidth=2.5) for panel in (self.maximum, self.average)]

    def set_scene(self, value_range):
        """Fix the colour limits for one image."""
        for panel in (self.source, self.maximum, self.average):
            panel.vrange = value_range

    def show(self, x, maximum, average, kernel_size):
        """Show the input (H, W), both pooled maps (H_out, W_out) and the first k x k window."""
        for panel, grid, array in zip((self.source, self.maximum, self.average), self.numbers, (x, maximum, average)):
            panel.set(array)
            grid.set(array, mapper=panel.image)
        self.maximum.ax.title.set_text(f"max pooling, {maximum.shape[0]} x {maximum.shape[1]}")
        self.average.ax.title.set_text(f"average pooling, {average.shape[0]} x {average.shape[1]}")
        set_box(self.window, 0, 0, kernel_size, kernel_size)
        for box in self.first:
            set_box(box, 0, 0, 1, 1)


def upsampling_figure(transposed, resized, titles=("transposed convolution", "resize, then convolve")):
    """Two upsampled maps side by side in grey, on one colour scale: a static figure.

    Parameters
    ----------
    transposed, resized : ndarray, shape (H, W)
    titles : (str, str)

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = new_figure(2, width=9.0, height=4.0, wspace=0.5)
    low = float(min(transposed.min(), resized.min()))
    high = float(max(transposed.max(), resized.max()))
    for ax, array, title, bar in zip(axes, (transposed, resized), titles, (False, True)):
        MapPanel(ax, array, title, colorbar=bar, vrange=(low, high), label="output value")
    return fig
