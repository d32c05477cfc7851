"""Building blocks every lesson figure uses: a figure, a map panel, printed values, a box."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from ._render import render_png

# Colour-blind-safe choices: a diverging map centred on 0 for signed values,
# a perceptually uniform one for values that are never negative.
DIVERGING_CMAP = "RdBu_r"
SEQUENTIAL_CMAP = "viridis"


class LessonFigure(Figure):
    """A matplotlib Figure that shows itself as a PNG when it is a notebook cell's result.

    The lessons' figures live outside pyplot (so they never show twice), and so outside
    the inline backend's display hook: this gives them their own.
    """

    def _repr_png_(self):
        return render_png(self)


def new_figure(ncols=1, nrows=1, width=9.0, height=3.2, dpi=90, wspace=0.45, hspace=0.45):
    """A figure with a grid of axes, outside pyplot so it never shows itself twice.

    The layout is fixed (no layout engine): a live figure is redrawn on every
    slider move, and a constrained layout would double the cost of each draw.
    Panels keep their place when the arrays they show change shape.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : ndarray of Axes, shape (nrows, ncols), squeezed
    """
    fig = LessonFigure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)  # draw with Agg, whatever backend the notebook uses
    axes = fig.subplots(nrows, ncols, squeeze=False)
    fig.subplots_adjust(left=0.06, right=0.89, bottom=0.13, top=0.85, wspace=wspace, hspace=hspace)
    return fig, (axes[0, 0] if axes.size == 1 else np.squeeze(axes))


class MapPanel:
    """One 2-D array shown as an image with a title, labelled axes and a labelled colorbar.

    ``signed=True`` uses a diverging colormap centred on 0 (for convolution
    outputs, which can be negative); ``signed="auto"`` does so only while the
    array has negative values and uses ``cmap`` (default viridis) otherwise;
    ``signed=False`` shows the image in grey (RGB arrays in colour) or ``cmap``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    array : ndarray, shape (H, W) or (H, W, 3)
    title : str
    signed : bool or "auto", default False
    cmap : str, optional
    colorbar : bool, default True
        No colorbar is drawn for RGB arrays.
    label : str, default "value"
        The colorbar's label.
    vrange : (float, float), optional
        Fixed colour limits instead of the array's own range.
    """

    def __init__(self, ax, array, title="", *, signed=False, cmap=None, colorbar=True,
                 label="value", vrange=None):
        self.ax, self.signed, self.vrange = ax, signed, vrange
        self.cmap = cmap or (SEQUENTIAL_CMAP if signed == "auto" else "gray")
        rgb = np.ndim(array) == 3
        self.image = ax.imshow(np.asarray(array), cmap=None if rgb else self.cmap, interpolation="nearest")

        self.colorbar = None
        if colorbar and not rgb:
            # An inset follows the image's box when its aspect changes; a stolen axes would not.
            self.colorbar = ax.figure.colorbar(self.image, cax=ax.inset_axes([1.04, 0.0, 0.045, 1.0]))
            self.colorbar.set_label(label)
        ax.set_xlabel("column")
        ax.set_ylabel("row")
        for axis in (ax.xaxis, ax.yaxis):  # pixels are whole numbers: no 0.5 ticks
            axis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        pin_labels(ax)
        ax.set_title(title, y=1.0)
        self.set(array, title)

    def set(self, array, title=None):
        """Show a new array (any shape) in place, rescaling the colours and the axes."""
        array = np.asarray(array)
        if array.ndim == 3 and array.dtype.kind == "f" and array.max() > 1.0:
            array = array / array.max()  # RGB floats must lie in [0, 1]: show small numbers (0-2) scaled
        self.image.set_data(array)
        h, w = array.shape[:2]
        self.image.set_extent((-0.5, w - 0.5, h - 0.5, -0.5))
        self.ax.set_xlim(-0.5, w - 0.5)
        self.ax.set_ylim(h - 0.5, -0.5)
        if self.colorbar is not None:  # an RGB picture has no colour scale
            self.colorbar.ax.set_visible(array.ndim == 2)
        if array.ndim == 2:
            signed = self._is_signed(array)
            wanted = DIVERGING_CMAP if signed else self.cmap
            if self.image.get_cmap().name != wanted:  # each set_cmap redraws the colorbar
                self.image.set_cmap(wanted)
            self.image.set_clim(*self._limits(array, signed))  # keeps the norm object: cheaper than set_norm
        if title is not None:
            self.ax.title.set_text(title)  # keeps the title's font and its pinned place

    def _is_signed(self, array):
        if self.signed == "auto":
            low, high = self.vrange if self.vrange else (float(array.min()), float(array.max()))
            return low < 0 or low == high == 0  # all zeros: white, as 0 is in every signed map
        return bool(self.signed)

    def _limits(self, array, signed):
        """Colour limits: symmetric around 0 when signed, so white is exactly 0."""
        low, high = self.vrange if self.vrange else (float(array.min()), float(array.max()))
        if signed:
            bound = max(abs(low), abs(high)) or 1.0  # an all-zero map gets a plain -1..1 scale
            return -bound, bound
        if high <= low:  # one value everywhere: put it mid-scale, inside the colorbar's range
            low, high = low - 0.5, high + 0.5
        return low, high


def pin_labels(ax, below=24, left=30):
    """Fix an axes' labels at set distances (points) from it, and its title at the top.

    Left to itself, matplotlib measures every tick label on every draw to place the
    axis labels and the title, which costs a live figure about a fifth of its
    refresh. Pinned labels clear tick labels of up to about four digits.
    """
    to_points = ax.figure.dpi_scale_trans
    ax.xaxis.set_label_coords(0.5, 0.0, transform=ax.transAxes + ScaledTranslation(0, -below / 72, to_points))
    ax.yaxis.set_label_coords(0.0, 0.5, transform=ax.transAxes + ScaledTranslation(-left / 72, 0, to_points))
    ax.set_title(ax.get_title(), y=1.0, fontsize=ax.title.get_fontsize())  # keep its size


class ValueGrid:
    """The numbers of a small array printed on its pixels, updated in place.

    Text colour flips between black and white with the background so every
    number stays readable.
    """

    def __init__(self, ax, fmt="{:.2g}", fontsize=8, limit=15):
        self.ax, self.fmt, self.fontsize, self.limit = ax, fmt, fontsize, limit
        self.texts = []

    def set(self, array, offset=(0, 0), mapper=None, labels=None, fontsize=None):
        """Print ``array``'s values, its pixel ``[0, 0]`` drawn at ``offset`` (row, column).

        Arrays larger than ``limit`` on a side print nothing (the numbers would not fit).
        ``mapper`` is the ScalarMappable whose colours lie under the numbers.
        ``labels`` (strings, same shape as ``array``) replace the formatted values;
        ``fontsize`` changes the size of every label from now on.
        """
        array = np.asarray(array)
        if fontsize is not None:
            self.fontsize = fontsize
            for text in self.texts:
                text.set_fontsize(fontsize)
        h, w = array.shape[:2]
        needed = h * w if max(h, w) <= self.limit else 0
        while len(self.texts) < needed:
            self.texts.append(self.ax.text(0, 0, "", ha="center", va="center", fontsize=self.fontsize))
        for index, text in enumerate(self.texts):
            if index >= needed:
                text.set_visible(False)
                continue
            r, c = divmod(index, w)
            value = array[r, c]
            text.set_position((offset[1] + c, offset[0] + r))
            if labels is not None:
                text.set_text(labels[r][c])
            else:
                text.set_text(self.fmt.format(value) if np.ndim(value) == 0 else "")
            text.set_color(readable_on(mapper, value))
            text.set_visible(True)


def readable_on(mapper, value):
    """Black or white, whichever reads better on the colour ``mapper`` gives ``value``."""
    if mapper is None or np.ndim(value) != 0:
        return "black"
    red, green, blue, _ = mapper.to_rgba(value)
    return "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.5 else "white"


def outline_box(ax, color="#ffb000", linewidth=2.0, linestyle="-"):
    """A rectangle outline to mark a window or a border; move it with ``set_box``.

    Returns
    -------
    matplotlib.patches.Rectangle
        Call ``set_box(rect, top, left, height, width)`` to move it (pixel units).
    """
    rect = Rectangle((-0.5, -0.5), 1, 1, fill=False, edgecolor=color, linewidth=linewidth,
                     linestyle=linestyle)
    ax.add_patch(rect)
    return rect


def set_box(rect, top, left, height, width):
    """Move ``rect`` to cover pixels ``[top, top + height) x [left, left + width)``."""
    rect.set_xy((left - 0.5, top - 0.5))
    rect.set_width(width)
    rect.set_height(height)
