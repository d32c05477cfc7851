"""Building blocks every lesson figure uses: a figure, a map panel, printed values, a box."""

from __future__ import annotations

import math

import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import Locator
from matplotlib.transforms import ScaledTranslation

from ._render import draw_with_data, render_png

# One visual language for every lesson. Images (and maps that are never negative) are
# grey: bright = large, which reads the same for every kind of colour vision. Signed
# values use one diverging map, always centred on 0 (white = 0, red above, blue below;
# red-blue, not red-green, so it stays readable with colour-blind eyes).
IMAGE_CMAP = "gray"
DIVERGING_CMAP = "RdBu_r"

# The smallest text a figure prints, in points at the figures' 90 dpi (11 px): legible
# on a projector. Printed values that would need smaller type are left out.
LEGIBLE_PT = 9.0

# The marks every lesson uses: orange outlines "this step" (a window, the pixel it
# fills); a white dashed line on black frames the original image inside its padding.
HIGHLIGHT = "#ffb000"

TITLE_PAD = 10  # points between a panel's top and its title: a top tick label (half out) fits below


class LessonFigure(Figure):
    """A matplotlib Figure that shows itself as a PNG when it is a notebook cell's result.

    The lessons' figures live outside pyplot (so they never show twice), and so outside
    the inline backend's display hook: this gives them their own.
    """

    def _repr_png_(self):
        return render_png(self)


class PixelLocator(Locator):
    """Whole-number ticks at pixel centres, inside the view: a 1 x 1 map gets the one tick 0.

    Parameters
    ----------
    nbins : int
        At most this many intervals between ticks (steps of 1, 2, 5, 10, 20, 50, ...).
    """

    def __init__(self, nbins=5):
        self.nbins = nbins

    def __call__(self):
        return self.tick_values(*self.axis.get_view_interval())

    def tick_values(self, vmin, vmax):
        low, high = sorted((vmin, vmax))
        first, last = math.ceil(low - 1e-9), math.floor(high + 1e-9)
        if last < first:
            return np.array([])
        step = 1
        while (last - first) / step > self.nbins:
            step = next(s * 10 ** e for e in range(12) for s in (1, 2, 5) if s * 10 ** e > step)
        return np.arange(math.ceil(first / step) * step, last + 1, step, dtype=float)


def pixel_points(ax):
    """How many points one data unit (one pixel of an image) is on screen, in ``ax``.

    With an image's equal aspect the axes shrink to fit, so the scale is the smaller of
    the two directions of the axes' box.
    """
    box = ax.get_position(original=True)
    width_pt, height_pt = box.width * ax.figure.get_figwidth() * 72, box.height * ax.figure.get_figheight() * 72
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    return min(width_pt / max(abs(x1 - x0), 1e-9), height_pt / max(abs(y1 - y0), 1e-9))


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

    ``signed=True`` uses ``DIVERGING_CMAP`` centred on 0 (for convolution
    outputs, which can be negative); ``signed="auto"`` does so only while the
    array (or ``vrange``) has negative values, and grey otherwise;
    ``signed=False`` shows the image in grey (RGB arrays in colour).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    array : ndarray, shape (H, W) or (H, W, 3)
    title : str
    signed : bool or "auto", default False
    colorbar : bool, default True
        No colorbar is drawn for RGB arrays.
    label : str, default "value"
        The colorbar's label.
    vrange : (float, float), optional
        Fixed colour limits instead of the array's own range.
    """

    def __init__(self, ax, array, title="", *, signed=False, colorbar=True, label="value", vrange=None):
        self.ax, self.signed, self.vrange = ax, signed, vrange
        self.cmap = IMAGE_CMAP
        rgb = np.ndim(array) == 3
        # Nearest-pixel resampling gives the same pixels whether the colours are looked up before or
        # after it; looking them up after, on the data ("data" stage), draws a panel in 0.45x the
        # time of matplotlib's choice for an enlarged image (colours first, then resampling RGBA).
        self.image = ax.imshow(np.asarray(array), cmap=None if rgb else self.cmap, interpolation="nearest",
                               interpolation_stage="data")

        self.colorbar = None
        if colorbar and not rgb:
            # An inset follows the image's box when its aspect changes; a stolen axes would not.
            self.colorbar = ax.figure.colorbar(self.image, cax=ax.inset_axes([1.04, 0.0, 0.045, 1.0]))
            self.colorbar.set_label(label)
        ax.set_xlabel("column")
        ax.set_ylabel("row")
        for axis in (ax.xaxis, ax.yaxis):  # pixels are whole numbers: ticks at their centres only
            axis.set_major_locator(PixelLocator(5))
        pin_labels(ax)
        ax.set_title(title, y=1.0, pad=TITLE_PAD)
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
            # A scale that follows the data changes with many moves: drawn with the data, not the frame.
            draw_with_data(self.colorbar.ax.yaxis, on=self.vrange is None)
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
    # Keep its size; lift it clear of the top tick label of the axes and of its colorbar.
    ax.set_title(ax.get_title(), y=1.0, fontsize=ax.title.get_fontsize(), pad=TITLE_PAD)


# Widths of DejaVu Sans glyphs in ems (matplotlib's default font), to fit printed values.
_EM = {**dict.fromkeys("0123456789", 0.64), ".": 0.32, ",": 0.32, "-": 0.37, "\u2212": 0.84,
       "+": 0.84, "=": 0.84, "\u00d7": 0.84, "(": 0.4, ")": 0.4, "e": 0.62, " ": 0.32}


def text_width_em(text):
    """The width of one line of ``text`` in ems (an estimate from DejaVu Sans' glyph widths)."""
    return sum(_EM.get(char, 0.7) for char in text)


def fitting_size(labels, cell_pt, largest, fill=0.9):
    """The font size (points) at which every label fits a square cell of ``cell_pt`` points.

    ``labels`` are strings, possibly of several lines. At most ``largest``.
    """
    lines = [line for label in labels for line in str(label).split("\n")] or [""]
    widest = max(text_width_em(line) for line in lines) or 1.0
    tallest = max(str(label).count("\n") + 1 for label in labels) if labels else 1
    return min(largest, fill * cell_pt / widest, fill * cell_pt / (1.2 * tallest))


class ValueGrid:
    """The numbers of a small array printed on its pixels, updated in place.

    Numbers are printed as large as their pixels allow, up to ``fontsize``; when they
    would be smaller than ``LEGIBLE_PT`` (too many pixels for the panel) none is
    printed. Text colour flips between black and white with the background so every
    number stays readable.
    """

    def __init__(self, ax, fmt="{:.2g}", fontsize=11, limit=15):
        self.ax, self.fmt, self.fontsize, self.limit = ax, fmt, fontsize, limit
        self.texts = []
        self.shown_size = None  # the font size of the last numbers printed, or None

    def set(self, array, offset=(0, 0), mapper=None, labels=None, fontsize=None):
        """Print ``array``'s values, its pixel ``[0, 0]`` drawn at ``offset`` (row, column).

        Arrays larger than ``limit`` on a side, or whose numbers would not fit their
        pixels at ``LEGIBLE_PT``, print nothing. ``mapper`` is the ScalarMappable whose
        colours lie under the numbers. ``labels`` (strings, same shape as ``array``)
        replace the formatted values; ``fontsize`` changes the largest size from now on.
        Call it after the axes' limits are set for the new array.
        """
        array = np.asarray(array)
        if fontsize is not None:
            self.fontsize = fontsize
        h, w = array.shape[:2]
        needed = h * w if max(h, w) <= self.limit else 0
        if labels is None and needed:
            labels = [[self.fmt.format(array[r, c]) if np.ndim(array[r, c]) == 0 else "" for c in range(w)]
                      for r in range(h)]
        size = fitting_size([label for row in labels for label in row], pixel_points(self.ax),
                            self.fontsize) if needed else 0.0
        if size < LEGIBLE_PT:
            needed = 0
        self.shown_size = size if needed else None
        while len(self.texts) < needed:
            self.texts.append(self.ax.text(0, 0, "", ha="center", va="center", fontsize=size))
        colors = readable_colors(mapper, array) if needed else None
        for index, text in enumerate(self.texts):
            if index >= needed:
                text.set_visible(False)
                continue
            r, c = divmod(index, w)
            text.set_position((offset[1] + c, offset[0] + r))
            text.set_text(labels[r][c])
            text.set_fontsize(size)
            text.set_color(colors[r][c])
            text.set_visible(True)


_LUMA = np.array([0.299, 0.587, 0.114])  # how bright each of red, green and blue looks (Rec. 601)


def readable_on(mapper, value):
    """Black or white, whichever reads better on the colour ``mapper`` gives ``value``."""
    if mapper is None or np.ndim(value) != 0:
        return "black"
    return "black" if np.dot(mapper.to_rgba(value)[:3], _LUMA) > 0.5 else "white"


def readable_colors(mapper, array):
    """:func:`readable_on` for each pixel of a 2-D ``array`` at once (one colour lookup, not one per pixel).

    Returns a list of rows of "black" or "white"; all black for an RGB array or no ``mapper``.
    """
    array = np.asarray(array)
    h, w = array.shape[:2]
    if mapper is None or array.ndim != 2:
        return [["black"] * w for _ in range(h)]
    rgba = mapper.to_rgba(array)
    light = rgba[..., :3] @ _LUMA > 0.5
    return [["black" if bright else "white" for bright in row] for row in light.tolist()]


def outline_box(ax, color=HIGHLIGHT, linewidth=2.0, linestyle="-"):
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


class _SolidUnderline(patheffects.AbstractPathEffect):
    """Draws a solid line of its own width and colour under a (dashed) line."""

    def __init__(self, linewidth, color):
        super().__init__()
        self.linewidth, self.color = linewidth, color

    def draw_path(self, renderer, gc, tpath, affine, rgbFace=None):
        under = renderer.new_gc()
        under.copy_properties(gc)
        under.set_dashes(0, None)
        under.set_linewidth(self.linewidth)
        under.set_foreground(self.color)
        renderer.draw_path(under, tpath, affine, None)
        under.restore()


def dashes_on_black(artist, under=3.4):
    """Draw ``artist``'s (white, dashed) line over a solid black one ``under`` points wide; returns it.

    White on black reads on any pixel: grey, both ends of the diverging map, and its white middle.
    """
    artist.set_path_effects([_SolidUnderline(under, "black"), patheffects.Normal()])
    return artist


def frame_box(ax, label="the original image"):
    """The frame of the original image inside its padding: white dashes on a black line.

    Readable on any picture, and in neither colour of the diverging map. Move it with
    ``set_box``; its ``label`` is what a legend says.
    """
    rect = dashes_on_black(outline_box(ax, color="white", linewidth=1.6, linestyle=(0, (4, 3))))
    rect.set_label(label)
    rect.set_zorder(3)
    return rect


class PixelMark:
    """An outline around some pixels, with a ring around them when they are too small to see.

    On a photo one pixel is a fraction of a point on screen, and its outline a dot: a
    ring of ``ring_pt`` points around it then says where it is.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    color : str
    linewidth : float
    linestyle : str
    ring_pt : float
        The ring's diameter in points; it shows while the marked box is smaller than half of it.
    """

    def __init__(self, ax, color=HIGHLIGHT, linewidth=2.5, linestyle="-", ring_pt=16.0):
        self.ax, self.ring_pt = ax, ring_pt
        self.box = outline_box(ax, color=color, linewidth=linewidth, linestyle=linestyle)
        self.ring = Line2D([0], [0], linestyle="none", marker="o", markersize=ring_pt, markerfacecolor="none",
                           markeredgecolor=color, markeredgewidth=2.2,
                           path_effects=[patheffects.Stroke(linewidth=4.0, foreground="black"),
                                         patheffects.Normal()])
        ax.add_line(self.ring)

    def set(self, top, left, height, width):
        """Mark pixels ``[top, top + height) x [left, left + width)``; call after the axes' limits are set."""
        set_box(self.box, top, left, height, width)
        self.ring.set_data([left + (width - 1) / 2], [top + (height - 1) / 2])
        self.ring.set_visible(max(height, width) * pixel_points(self.ax) < self.ring_pt / 2)

    def set_visible(self, visible):
        self.box.set_visible(visible)
        if not visible:
            self.ring.set_visible(False)
