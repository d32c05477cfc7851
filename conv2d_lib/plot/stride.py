"""The stride lesson's figure: where the window lands on the padded input, and the smaller output."""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PolyCollection
from ._panels import MapPanel, PixelLocator, PixelMark, ValueGrid, new_figure, outline_box, set_box

ORANGE, BLUE, MAGENTA = "#ffb000", "#648fff", "#dc267f"

KEY = (f'<span style="color:{ORANGE}"><b>&#9633;</b> first window</span> (its taps: small '
       f'<span style="color:{ORANGE}">&#9633;</span>), '
       f'<span style="color:{ORANGE}"><b>- - -</b> last window</span>, '
       f'<span style="color:{BLUE}"><b>&#9675;</b> window centres (one per output pixel)</span>, '
       f'<span style="color:{BLUE}"><b>&middot;&middot;&middot;</b> original image</span>, '
       f'<span style="color:{MAGENTA}"><b>////</b> never reached</span>')
"""HTML key to the marks on the input panel, shown next to the controls."""


class StrideFigure:
    """Two panels: the padded input with the visited windows marked, and the output map.

    On the input: a dot at the centre of every window the stride visits (one per
    output pixel), the first window outlined in orange with its taps marked, the
    last window dashed, the original image framed in blue, and every row and
    column that no window reaches hatched in magenta: those after the last window,
    those the stride jumps over between windows, and those between a dilated
    window's taps that no other window reads. On the output: the first and last
    output pixels outlined to match their windows.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    input, output : MapPanel
    centres, taps : matplotlib.lines.Line2D
    first, last, frame, first_out, last_out : matplotlib.patches.Rectangle
    unreached_rows, unreached_cols : matplotlib.collections.PolyCollection
        One hatched band per run of unread rows (full width) or columns (full height).
    """

    def __init__(self):
        self.fig, (ax_in, ax_out) = new_figure(2, width=9.5, height=4.0)
        self.fig.subplots_adjust(top=0.9, bottom=0.12, left=0.06, right=0.92, wspace=0.42)
        self.ax_in, self.ax_out = ax_in, ax_out
        self.input = MapPanel(ax_in, np.zeros((2, 2)), "padded input", label="pixel value")
        self.input_values = ValueGrid(ax_in, fmt="{:g}", fontsize=10, limit=7)

        hatch = dict(facecolors="none", hatch="////", edgecolors=MAGENTA, linewidths=0.0)
        self.unreached_rows = PolyCollection([], **hatch)
        self.unreached_cols = PolyCollection([], **hatch)
        ax_in.add_collection(self.unreached_rows)
        ax_in.add_collection(self.unreached_cols)
        self.frame = outline_box(ax_in, color=BLUE, linewidth=1.5, linestyle=":")
        # Hollow markers, so a printed value stays readable inside them.
        (self.centres,) = ax_in.plot([], [], linestyle="none", marker="o", markerfacecolor="none",
                                     markeredgecolor=BLUE, markeredgewidth=1.8)
        (self.taps,) = ax_in.plot([], [], linestyle="none", marker="s", markerfacecolor="none",
                                  markeredgecolor=ORANGE, markeredgewidth=1.4)
        # The key to these marks is KEY (HTML next to the controls): a legend would cost
        # a sixth of every redraw.
        # On a photo a window is a few points wide: a ring then shows where it is.
        self.last_window = PixelMark(ax_in, color=ORANGE, linewidth=1.5, linestyle="--")
        self.first_window = PixelMark(ax_in, color=ORANGE, linewidth=2.5)
        self.last, self.first = self.last_window.box, self.first_window.box

        # The output is a sum of window pixels: grey from 0 to the largest sum a window can
        # make (taps x the image's largest pixel), so stride, padding and dilation never rescale it.
        self.output = MapPanel(ax_out, np.zeros((2, 2)), "output", signed="auto",
                               label="window sum (0 to taps \u00d7 max pixel)")
        self.output_values = ValueGrid(ax_out, fmt="{:.3g}", fontsize=11, limit=9)
        for ax in (ax_in, ax_out):  # whole-pixel ticks only
            ax.xaxis.set_major_locator(PixelLocator(6))
            ax.yaxis.set_major_locator(PixelLocator(6))
        self.last_mark = PixelMark(ax_out, color=ORANGE, linewidth=1.5, linestyle="--")
        self.first_mark = PixelMark(ax_out, color=ORANGE, linewidth=2.5)
        self.last_out, self.first_out = self.last_mark.box, self.first_mark.box

    def show(self, padded, pads, input_shape, row_starts, col_starts, tap_rows, tap_cols, reach,
             read, output):
        """Show one setting.

        Parameters
        ----------
        padded : ndarray, shape (Hp, Wp)
            The padded input.
        pads : ((int, int), (int, int))
            ``((top, bottom), (left, right))``, to frame the original image.
        input_shape : (int, int)
            ``(H, W)`` before padding.
        row_starts, col_starts : ndarray of int, shapes (H_out,) and (W_out,)
            Padded row / column where each window starts.
        tap_rows, tap_cols : ndarray of int, shapes (kH,) and (kW,)
            Offsets of the taps inside a window.
        reach : (int, int)
            Rows and columns one window spans.
        read : (ndarray of bool, ndarray of bool), shapes (Hp,) and (Wp,)
            Which rows and columns of the padded input some window's tap reads; the
            others are hatched.
        output : ndarray, shape (H_out, W_out)
        """
        hp, wp = padded.shape
        (top, _), (left, _) = pads
        reach_h, reach_w = reach
        original = padded[top:top + input_shape[0], left:left + input_shape[1]]
        low, high = min(0.0, float(original.min())), float(original.max())
        self.input.vrange = (low, high)
        taps = len(tap_rows) * len(tap_cols)
        self.output.vrange = (taps * low, taps * high)
        self.input.set(padded, f"padded input, {hp} x {wp}")
        self.input_values.set(padded, mapper=self.input.image)
        set_box(self.frame, top, left, *input_shape)
        self.first_window.set(row_starts[0], col_starts[0], reach_h, reach_w)
        self.last_window.set(row_starts[-1], col_starts[-1], reach_h, reach_w)

        centre_r = row_starts + (reach_h - 1) / 2
        centre_c = col_starts + (reach_w - 1) / 2
        grid_r, grid_c = np.meshgrid(centre_r, centre_c, indexing="ij")
        self.centres.set_data(grid_c.ravel(), grid_r.ravel())
        tr, tc = np.meshgrid(row_starts[0] + tap_rows, col_starts[0] + tap_cols, indexing="ij")
        self.taps.set_data(tc.ravel(), tr.ravel())
        # Markers about a third of a pixel wide, readable from 4 x 4 to a photo.
        cell = 72.0 * self.ax_in.get_position().width * self.fig.get_figwidth() / max(hp, wp)
        self.centres.set_markersize(float(np.clip(0.55 * cell, 1.5, 16.0)))
        self.centres.set_markeredgewidth(float(np.clip(0.12 * cell, 0.4, 1.8)))
        # On a photo at stride 1 the centres would only blur the picture: mark them from
        # about 3 points apart on.
        step = min(row_starts[1] if len(row_starts) > 1 else hp, col_starts[1] if len(col_starts) > 1 else wp)
        self.centres.set_visible(cell * step >= 3.0)
        self.taps.set_markersize(float(np.clip(0.75 * cell, 2.0, 22.0)))

        read_rows, read_cols = read
        row_runs, col_runs = unread_runs(read_rows), unread_runs(read_cols)
        self.unreached_rows.set_verts([_band(start, stop, 0, wp) for start, stop in row_runs])
        self.unreached_cols.set_verts([_band(0, hp, start, stop) for start, stop in col_runs])
        self.unreached_rows.set_visible(bool(row_runs))
        self.unreached_cols.set_visible(bool(col_runs))

        h_out, w_out = output.shape
        self.output.set(output, f"output, {h_out} x {w_out}")
        self.output_values.set(output, mapper=self.output.image)
        self.first_mark.set(0, 0, 1, 1)
        self.last_mark.set(h_out - 1, w_out - 1, 1, 1)


def unread_runs(read):
    """``[(start, stop), ...]``: the runs of consecutive False in ``read`` (stop excluded).

    Parameters
    ----------
    read : ndarray of bool, shape (n,)

    Returns
    -------
    list of (int, int)

    Raises
    ------
    Nothing

    Examples
    --------
    >>> unread_runs(np.array([True, True, True, False, True, True, True, False, False, False]))
    [(3, 4), (7, 10)]
    """
    edges = np.diff(np.concatenate([[0], (~np.asarray(read, dtype=bool)).astype(int), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))


def _band(top, bottom, left, right):
    """The corners of the pixels ``[top, bottom) x [left, right)`` in data coordinates (x, y)."""
    return [(left - 0.5, top - 0.5), (right - 0.5, top - 0.5), (right - 0.5, bottom - 0.5), (left - 0.5, bottom - 0.5)]
