"""The efficiency lesson's figure: the input at the current size, and time against image size (log-log)."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedFormatter, FixedLocator, NullFormatter, NullLocator

from ._panels import LEGIBLE_PT, MapPanel, new_figure

# Colour-blind-safe (IBM palette) plus black and grey, each with its own marker.
STYLES = {
    "loops": dict(color="#dc267f", marker="o", label="(1) loops, run"),
    "loops scaled": dict(color="#dc267f", linestyle="--", label="(1) loops, scaled up\nby output pixels"),
    "shifts": dict(color="#648fff", marker="s", label="(2) shifts: a matmul per tap"),
    "windows": dict(color="#785ef0", marker="^", label="(3) windows + tensordot"),
    "im2col": dict(color="#ffb000", marker="D", label="(4) im2col: one matmul"),
    "conv2d": dict(color="black", marker="*", label="conv2d_lib.conv2d"),
    "torch": dict(color="#888888", marker="x", label="PyTorch conv2d"),
    "ceiling": dict(color="#888888", linestyle=":", linewidth=2.0, label="at np.matmul speed"),
}


class TimingFigure:
    """Two panels: the input image at the current size, and each way's time against image size.

    Parameters
    ----------
    sizes : (int, int)
        Smallest and largest image size (pixels per side) the x axis must show.
    ceiling_gflops : float
        The machine's matmul speed, named in the ceiling line's legend entry.
    torch_label : str, optional
        Legend text for PyTorch's line (say there when it is not installed).

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    picture : MapPanel
    lines : dict of str to matplotlib.lines.Line2D
        One per key of ``STYLES``, updated with ``set_data``.
    marker : matplotlib.lines.Line2D
        The vertical line at the current size.
    """

    def __init__(self, sizes=(16, 256), ceiling_gflops=None, torch_label=None):
        self.fig, (ax_in, ax) = new_figure(2, width=9.5, height=4.0)
        ax_in.set_position([0.02, 0.2, 0.2, 0.6])
        ax.set_position([0.3, 0.13, 0.43, 0.76])
        self.picture = MapPanel(ax_in, np.zeros((2, 2, 3)), "input", colorbar=False)
        ax_in.set_axis_off()  # a picture of the input; its pixel ticks would only cost drawing time
        self.ax = ax
        self.lines = {}
        for key, style in STYLES.items():
            style = dict(style, markersize=5, linewidth=style.get("linewidth", 1.6))
            if key == "ceiling" and ceiling_gflops:
                style["label"] = self._ceiling_label(ceiling_gflops)
            if key == "torch" and torch_label:
                style["label"] = torch_label
            self.lines[key] = Line2D([], [], **style)
            ax.add_line(self.lines[key])
        self.marker = ax.axvline(sizes[1], color="#bbbbbb", linewidth=6, alpha=0.5, zorder=0)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(sizes[0] / 1.15, sizes[1] * 1.15)
        ticks = [s for s in (16, 32, 64, 128, 256, 512) if sizes[0] <= s <= sizes[1]]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_formatter(FixedFormatter([str(t) for t in ticks]))
        ax.yaxis.set_minor_formatter(NullFormatter())  # decades only: fewer texts, faster draws
        ax.set_xlabel("image size (pixels per side)")
        ax.set_ylabel("time (ms, fastest of repeats)")
        ax.grid(True, which="major", alpha=0.3)
        self.legend = ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False, fontsize=LEGIBLE_PT)

    @staticmethod
    def _ceiling_label(ceiling_gflops):
        return f"at np.matmul speed\n({ceiling_gflops:.0f} GFLOP/s): the floor"

    def set_ceiling(self, ceiling_gflops):
        """Name a new matmul speed in the legend (the line itself moves with ``show``)."""
        label = self._ceiling_label(ceiling_gflops)
        self.lines["ceiling"].set_label(label)
        self.legend.get_texts()[list(STYLES).index("ceiling")].set_text(label)

    def show(self, image, series, size, title):
        """Show the input and every way's times; mark the current size.

        Parameters
        ----------
        image : ndarray, shape (size, size, 3)
            The input the ways were timed on.
        series : dict of str to (ndarray, ndarray)
            ``(sizes, seconds)`` per key of ``STYLES``; a missing key empties its line.
        size : int
            The current size, marked by a vertical band.
        title : str
            Shown above the timing panel.
        """
        shown = np.clip(image, 0.0, 1.0)
        self.picture.set(shown, f"input, {image.shape[0]} x {image.shape[1]} x {image.shape[2]}")
        low, high = np.inf, 0.0
        for key, line in self.lines.items():
            sizes, seconds = series.get(key, ([], []))
            ms = np.asarray(seconds, float) * 1e3
            line.set_data(np.asarray(sizes, float), ms)
            if ms.size:
                low, high = min(low, ms.min()), max(high, ms.max())
        if high > 0:
            self.ax.set_ylim(low / 2, high * 2)
        self.marker.set_xdata([size, size])
        self.ax.set_title(title, fontsize=LEGIBLE_PT, y=1.0)  # pinned: no title search on each draw (see _render)
