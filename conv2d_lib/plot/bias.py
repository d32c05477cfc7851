"""The bias lesson's figure: the feature map with fixed colour limits, and a histogram of its values."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ._panels import LEGIBLE_PT, MapPanel, PixelLocator, ValueGrid, new_figure

ORANGE, GREY = "#ffb000", "#bbbbbb"


class BiasFigure:
    """Two panels: the output map and the histogram of its values, both updated in place.

    The colour limits and the histogram's bins stay fixed while the bias moves
    (set them with :meth:`set_scene` when the image or the kernel changes), so a
    larger bias visibly warms the whole map and slides the histogram to the right.

    Parameters
    ----------
    bins : int, default 40
        Number of histogram bars, even so that 0 is a bin edge. The bars are a fixed
        set of rectangles, moved with ``set_x`` / ``set_height``, never redrawn.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    output : MapPanel
        The feature map, diverging colours centred on 0.
    values : ValueGrid
        The numbers on the map when it is small (<= 15 pixels a side).
    bars : matplotlib.container.BarContainer
        The histogram, one rectangle per bin.
    zero_line, bias_line : matplotlib.lines.Line2D
        Vertical markers at 0 and at the bias.
    blocked : matplotlib.patches.Rectangle
        Shades the values ReLU sets to 0 (visible only with ReLU on).
    """

    def __init__(self, bins=40):
        self.fig, (ax_map, ax_hist) = new_figure(2, width=9.5, height=4.0)
        # The map gets more room than the histogram: it is the picture the lesson is about.
        ax_map.set_position([0.065, 0.14, 0.42, 0.70])
        ax_hist.set_position([0.685, 0.14, 0.30, 0.70])
        self.output = MapPanel(ax_map, np.zeros((2, 2)), "output", signed=True, vrange=(-1.0, 1.0),
                               label="output value")
        # Few tick labels: text is most of a redraw's cost, and pixel rows are whole numbers.
        for axis in (ax_map.xaxis, ax_map.yaxis):
            axis.set_major_locator(PixelLocator(5))
        self.output.colorbar.locator = MaxNLocator(5)
        ax_hist.xaxis.set_major_locator(MaxNLocator(7))
        ax_hist.yaxis.set_major_locator(MaxNLocator(4))
        ax_hist.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        self.values = ValueGrid(ax_map, fmt="{:.3g}")
        self.ax_hist = ax_hist
        self.n_bins = bins
        # Each bar in the map's own colour for its values (blue below 0, red above), so a
        # colour means the same in both panels; grey bars are the values ReLU sets to 0.
        self.bars = ax_hist.bar(np.zeros(bins), np.zeros(bins), width=1.0, align="edge",
                                color=GREY, edgecolor="#555555", linewidth=0.4)
        # A rectangle spanning the axes' height, as axvspan draws one; made by hand because
        # axvspan returns a Polygon without set_x before matplotlib 3.9.
        self.blocked = Rectangle((-1.0, 0.0), 1.0, 1.0, transform=ax_hist.get_xaxis_transform(), color=GREY,
                                 alpha=0.35, lw=0, visible=False, label="ReLU makes these 0")
        ax_hist.add_patch(self.blocked)
        self.bias_line = ax_hist.axvline(0.0, color=ORANGE, lw=2.5, label="bias b")
        # Drawn on top of the bias line, so that b = 0 still shows both.
        self.zero_line = ax_hist.axvline(0.0, color="black", lw=1.2, ls="--", label="0", zorder=3)
        legend = ax_hist.legend(handles=[self.blocked, self.bias_line, self.zero_line], loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False,
                                fontsize=LEGIBLE_PT, handlelength=1.5, columnspacing=1.0)
        self._blocked_entry = legend.get_texts()[0]  # said only while ReLU is on
        ax_hist.set_xlabel("output value, before ReLU")
        ax_hist.set_ylabel("share of pixels")
        self._edges = np.linspace(-1.0, 1.0, bins + 1)
        self._top = 0.0

    def set_scene(self, plain, bias_limit):
        """Fix the colour limits and the histogram's bins for one image and kernel.

        Call it when the image or the kernel changes, not when the bias moves. The
        colours span ``-scale`` to ``scale``, with ``scale`` the 99th percentile of
        ``|plain|`` but at least 1 (so that a small bias does not saturate a weak map);
        brighter outliers saturate. The histogram spans ``-(scale + bias_limit)`` to
        ``scale + bias_limit``, so the values stay in view at every bias.

        Parameters
        ----------
        plain : ndarray, shape (H_out, W_out)
            The output without bias, ``conv2d(image, weights)``.
        bias_limit : float
            The largest bias (in magnitude) the slider offers.
        """
        scale = max(float(np.percentile(np.abs(plain), 99)), 1.0)
        reach = scale + bias_limit
        self.output.vrange = (-scale, scale)
        self._edges = np.linspace(-reach, reach, self.n_bins + 1)
        width = self._edges[1] - self._edges[0]
        for bar, left in zip(self.bars, self._edges[:-1]):
            bar.set_x(left)
            bar.set_width(width)
        self.ax_hist.set_xlim(-reach, reach)
        self.blocked.set_x(-reach)
        self.blocked.set_width(reach)
        # The y axis is fixed for the scene too: a bias shifts the values by up to one bin
        # against the bins' edges, so the tallest bar over a bin's worth of shifts sets it.
        tallest = max(self._shares(plain + shift).max() for shift in np.linspace(0.0, width, 9))
        self._top = max(float(tallest) * 1.12, 1e-3)
        self.ax_hist.set_ylim(0.0, self._top)

    def _shares(self, values):
        """The share of ``values`` in each bin; bins closed on the right, outliers in the end bars."""
        index = np.searchsorted(self._edges, values.ravel(), side="left") - 1
        counts = np.bincount(np.clip(index, 0, self.n_bins - 1), minlength=self.n_bins)
        return counts / max(values.size, 1)

    def show(self, output, bias, relu_on, shown=None, title="output"):
        """Show one output map and the histogram of the values before ReLU.

        Parameters
        ----------
        output : ndarray, shape (H_out, W_out)
            ``conv2d(image, weights, bias=bias)``, before any ReLU.
        bias : float
            Where the orange marker goes.
        relu_on : bool
            Grey out the bars at or below 0 and shade the region ReLU sets to 0.
        shown : ndarray, shape (H_out, W_out), optional
            What the map shows (``relu(output)`` with ReLU on); default ``output``.
        title : str
        """
        shown = output if shown is None else shown
        self.output.set(shown, title)
        self.values.set(shown, mapper=self.output.image)

        edges = self._edges
        # Bins are closed on the right, (left, right], so a value of exactly 0 counts
        # with the values ReLU blocks; values beyond the range land in the end bars.
        shares = self._shares(output)
        colours = self.output.image.to_rgba((edges[:-1] + edges[1:]) / 2)
        for bar, share, right, colour in zip(self.bars, shares, edges[1:], colours):
            bar.set_height(share)
            bar.set_facecolor(GREY if relu_on and right <= 0 else colour)
        self.bias_line.set_xdata([bias, bias])
        self.blocked.set_visible(bool(relu_on))
        self._blocked_entry.set_visible(bool(relu_on))
