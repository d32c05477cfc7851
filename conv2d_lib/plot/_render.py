"""Figure to PNG bytes, fast enough for a live slider: redraw only what can change.

Most of a lesson figure's drawing time goes into its frame: ticks, tick labels,
axis labels, colorbar scales (text is slow to draw). Most slider moves change
only the data: images, printed values, boxes, titles. So :func:`render_png`
keeps pictures of frames (*backgrounds*) and, when a frame comes back, restores
it and draws only the data artists on top, in the order a full draw would use.
That is matplotlib's "blitting" (see the matplotlib guide "Faster rendering by
using blitting"), applied to a figure rendered to PNG rather than to a window.

What counts as frame: the figure's and every axes' background patch, and each
axes' x and y axis (ticks, tick labels, axis labels) unless it draws grid lines,
which lie over the data. Everything else is data. A frame is known by its
state (:func:`_frame_state`): the axes' limits, scales, labels, tick labels,
visibility and positions, and the figure's size. The last ``KEPT_FRAMES``
states are remembered; a frame is kept from its second use on, since keeping
it costs a draw of its own.

Titles must not be placed by matplotlib's automatic title positioning (which
runs only in a full draw): the lesson figures pin them (``pin_labels``).

Text is the other slow part: the numbers printed in the cells of a small image
are laid out and rasterised glyph by glyph on every draw (about 0.5 ms each). While
:func:`render_png` draws, a text drawn a second time has its picture kept
(:class:`_TextPictures`) by everything its pixels depend on, its position within a
pixel included, and from then on it is pasted, pixel for pixel the same; a text
artist whose every property is as at its last draw is pasted without its layout.
``tests/test_render.py`` drives every explorer there and back and checks that
each picture equals a full draw, up to antialiasing jitter of a few grey levels.
"""

from __future__ import annotations

import math
import weakref
from collections import OrderedDict
from operator import attrgetter

import numpy as np
from matplotlib import rcParams
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from ._png import rgb_to_png

__all__ = ["draw_with_data", "render_full_png", "render_png", "render_veiled_png"]

KEPT_FRAMES = 4  # frames remembered per figure
KEPT_TEXTS = 4096  # text pictures remembered per figure (a few kB each)


_DRAWN_WITH_DATA = weakref.WeakSet()  # axes (x or y) whose ticks follow the data: see draw_with_data


def draw_with_data(*axes, on=True):
    """Draw these x or y axes with the data on every refresh, not as part of a kept frame.

    For an axis whose tick labels change with many slider moves (a zoomed patch numbered
    by its place in the image, a colour scale that follows the data): as frame, each such
    move would be a new frame and a full draw; drawn with the data, it costs its few
    texts. Its ticks then leave the frame state. ``on=False`` puts them back in the frame.
    """
    for axis in axes:
        if on:
            _DRAWN_WITH_DATA.add(axis)
        else:
            _DRAWN_WITH_DATA.discard(axis)


def _frame_axes(ax):
    """The x and y axis of ``ax`` that belong to the frame: those without grid lines, not drawn with the data.

    Grid lines are drawn over the data below them (an image), so an axis with a
    grid has to be drawn again with the data, in its place in the order.
    """
    return [axis for axis in (ax.xaxis, ax.yaxis) if axis not in _DRAWN_WITH_DATA
            and not any(tick.gridline.get_visible() for tick in axis.get_major_ticks() + axis.get_minor_ticks())]


def _data_children(ax):
    """The children of ``ax`` that the data pass draws (child axes among them), filtered as Axes.draw does."""
    frame_axes = _frame_axes(ax)
    children = [a for a in ax.get_children() if a is not ax.patch and a not in frame_axes]
    if not (ax.axison and ax.get_frame_on()):  # no frame, no spines
        children = [a for a in children if a not in ax.spines.values()]
    if not ax.axison:
        children = [a for a in children if a not in (ax.xaxis, ax.yaxis)]
    return children


def _axes_tree(axes_list):
    for ax in axes_list:
        yield ax
        yield from _axes_tree(ax.child_axes)


def _frame_state(fig):
    """Everything the frame's pixels depend on, as a comparable (hashable) tuple.

    An inset axes (a colorbar) is placed by its locator from its parent's
    position when drawn, so its own position is left out: before a draw it
    still holds the previous one.
    """
    state = [fig.bbox.bounds, fig.dpi]
    for ax in _axes_tree(fig.axes):
        placed_by_parent = ax.get_axes_locator() is not None
        frame = _frame_axes(ax)
        # The limits and scale of an axis drawn with the data change only what the data pass draws.
        state.append((ax.get_visible(), ax.axison, None if placed_by_parent else ax.get_position().bounds,
                      *((True, tuple(axis.get_view_interval().tolist()), axis.get_scale(), axis.label.get_text(),
                         tuple(t.get_text() for t in axis.get_ticklabels()))
                        if axis in frame else (False,) for axis in (ax.xaxis, ax.yaxis))))
    return tuple(state)


def _data_artists(fig):
    """The data artists of the figure and of every axes: what a slider move can change."""
    data = [a for a in fig.get_children() if a is not fig.patch and a not in fig.axes]
    for ax in _axes_tree(fig.axes):
        data += [a for a in _data_children(ax) if a not in ax.child_axes]
    return data


def _draw_data(fig, renderer):
    """Draw the data artists in a full draw's order: by zorder, axes by axes, children inside parents.

    A plain text goes through the figure's kept text pictures (:meth:`_TextPictures.draw_artist`).
    """
    texts = fig.__dict__.get("_kept_texts")

    def draw(artist):
        if texts is not None and type(artist) is Text:
            texts.draw_artist(artist, renderer)
        else:
            artist.draw(renderer)

    def draw_axes(ax):
        if not ax.get_visible():
            return
        locator = ax.get_axes_locator()
        if locator is not None:  # as Axes.draw: an inset follows its parent, which may have moved
            ax.apply_aspect(locator(ax, renderer))
        for artist in sorted(_data_children(ax), key=attrgetter("zorder")):
            if artist in ax.child_axes:
                draw_axes(artist)
            else:
                draw(artist)

    top = [a for a in fig.get_children() if a is not fig.patch]
    for artist in sorted(top, key=attrgetter("zorder")):
        if artist in fig.axes:
            draw_axes(artist)
        else:
            draw(artist)


def _to_png(fig) -> bytes:
    return rgb_to_png(np.asarray(fig.canvas.buffer_rgba())[:, :, :3])  # the figure is opaque: alpha is waste


def render_full_png(fig) -> bytes:
    """Draw the whole of ``fig`` and return PNG bytes (the reference :func:`render_png` must equal)."""
    fig.canvas.draw()
    return _to_png(fig)


def render_png(fig) -> bytes:
    """PNG bytes of ``fig`` (what an ipywidgets.Image shows), redrawing only what changed.

    Cheaper than ``savefig``, which draws twice under a layout engine and
    compresses harder: a live slider needs the milliseconds more than the bytes.
    A frame (axes, ticks, labels) seen for the first time is drawn in a plain
    full draw; seen again, it is drawn alone and kept, and from then on only the
    data is drawn over it (see the module docstring). The last ``KEPT_FRAMES``
    frames are remembered, so a slider moved to and fro between settings that
    change the frame (a padding, a kernel size) redraws only the data too.
    """
    renderer = fig.canvas.get_renderer()
    texts = fig.__dict__.setdefault("_kept_texts", _TextPictures())
    renderer.draw_text = texts.drawer(renderer)
    try:
        return _render_kept(fig)
    finally:
        del renderer.draw_text  # back to the class's own, for savefig and full draws


def _render_kept(fig):
    canvas = fig.canvas
    state = _frame_state(fig)
    frames = fig.__dict__.setdefault("_kept_frames", OrderedDict())  # state -> background, or None if seen once
    if state not in frames:
        canvas.draw()
        _remember(frames, state, None)
        return _to_png(fig)
    background = frames[state]
    if background is None:  # the second time: draw this frame alone, keep it
        data = _data_artists(fig)
        was_animated = [a.get_animated() for a in data]
        for artist in data:  # animated artists are left out of a draw: the frame alone
            artist.set_animated(True)
        try:
            canvas.draw()
        finally:
            for artist, animated in zip(data, was_animated):
                artist.set_animated(animated)
        background = canvas.copy_from_bbox(fig.bbox)
    else:
        canvas.restore_region(background)
    _remember(frames, state, background)
    _draw_data(fig, canvas.get_renderer())
    return _to_png(fig)


def _font_key(prop, mtext):
    """The font and shaping a text's glyphs depend on: its font properties, features and language."""
    shaping = tuple(repr(getattr(mtext, name, lambda: None)()) for name in ("get_fontfeatures", "get_language"))
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_size_in_points(), prop.get_file()) + shaping


class _TextPictures:
    """Pictures of drawn texts, by everything their pixels depend on: paste instead of drawing again.

    A text's glyphs land on the pixel grid according to the fraction of a pixel its position
    has, so that fraction (to FreeType's 1/64) is part of the key, and a pasted picture is
    the very pixels a draw would make. A text that a clip rectangle would cut, or that has a
    clip path or math in it, is drawn as usual.
    """

    def __init__(self):
        self.pictures = {}
        self.seen = set()  # keys of texts drawn once: a picture is kept from the second draw on
        self.placed = {}  # a text artist's key -> the pictures its last draw pasted, (x, y, picture)
        self._recording = None  # while a text artist draws: the pastes so far, or False if one was drawn
        self.hits = 0  # text artists pasted whole (for tests)

    def draw_artist(self, text, renderer):
        """Draw a plain Text artist; drawn before with the same key, paste its pictures where they went.

        This skips the text's layout (about half of a pasted text's time). Texts with math, TeX,
        wrapping, a box, path effects or a clip path, and those a clip would cut, are drawn as usual.
        """
        key = self._artist_key(text, renderer)
        if key is None:
            return text.draw(renderer)
        placed = self.placed.get(key)
        if placed is None:
            self._recording = []
            try:
                text.draw(renderer)
            finally:
                recorded, self._recording = self._recording, None
            if recorded is not None:  # None: a line of it was new, drawn in place (see drawer)
                if len(self.placed) >= KEPT_TEXTS:
                    self.placed.clear()
                self.placed[key] = recorded
            return None
        if placed is False:
            return text.draw(renderer)
        self.hits += 1
        gc = renderer.new_gc()
        gc.set_alpha(text.get_alpha())  # as Text.draw's gc; the pictures lie inside any clip (checked)
        for x0, y0, picture in placed:
            renderer.draw_image(gc, x0, y0, picture)
        gc.restore()
        return None

    def _stop_recording(self):
        if self._recording is not None:
            self._recording = False

    @staticmethod
    def _artist_key(text, renderer):
        """Everything a text artist's layout and pixels depend on, or None when it is not pasted."""
        string = text.get_text()
        if (not text.get_visible() or not string or "$" in string or text.get_usetex() or text.get_wrap()
                or text.get_bbox_patch() is not None or text.get_path_effects() or text.get_clip_path() is not None):
            return None
        x, y = text.get_transform().transform(text.get_unitless_position())
        font = _font_key(text.get_fontproperties(), text)
        clip = text.get_clip_box().bounds if text.get_clip_on() and text.get_clip_box() is not None else None
        return (string, float(x), float(y), font, to_rgba(text.get_color()), text.get_alpha(), text.get_antialiased(),
                text.get_horizontalalignment(), text.get_verticalalignment(), text.get_rotation(),
                text.get_rotation_mode(), text.get_transform_rotates_text(), text.get_linespacing(),
                text._multialignment, clip, renderer.dpi, renderer.width, renderer.height,
                rcParams["text.hinting"], rcParams["text.hinting_factor"])

    def drawer(self, renderer):
        """A ``draw_text`` for ``renderer`` that pastes kept pictures (RendererAgg's signature)."""
        draw = type(renderer).draw_text.__get__(renderer)

        def draw_text(gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if ismath or not s or gc.get_clip_path()[0] is not None:
                self._stop_recording()  # drawn, not pasted: its artist is not kept
                return draw(gc, x, y, s, prop, angle, ismath, mtext)
            left, top = math.floor(x), math.floor(y)  # y counts down from the top here
            key = self._key(renderer, gc, x - left, y - top, s, prop, angle, mtext)
            if key not in self.pictures:
                if key not in self.seen:  # seen once: drawn in place, which costs 0.6x keeping a picture
                    if len(self.seen) >= KEPT_TEXTS:
                        self.seen.clear()
                    self.seen.add(key)
                    if isinstance(self._recording, list):
                        self._recording = None  # its artist is kept next time, if it comes back
                    return draw(gc, x, y, s, prop, angle, ismath, mtext)
                if len(self.pictures) >= KEPT_TEXTS:
                    self.pictures.clear()
                self.pictures[key] = self._draw_alone(renderer, gc, x - left, y - top, s, prop, angle, mtext)
            picture, dx, dy = self.pictures[key]
            if picture is None:  # nothing visible (spaces)
                return None
            height, width = picture.shape[:2]
            x0, y0 = left + dx, renderer.height - (top + dy) - height  # draw_image counts y up
            clip = gc.get_clip_rectangle()
            if clip is not None and not (clip.x0 <= x0 - 1 and x0 + width + 1 <= clip.x1
                                         and clip.y0 <= y0 - 1 and y0 + height + 1 <= clip.y1):
                self._stop_recording()
                return draw(gc, x, y, s, prop, angle, ismath, mtext)  # clipped: let Agg cut it
            renderer.draw_image(gc, x0, y0, picture[::-1])
            if isinstance(self._recording, list):  # a text artist is being drawn: keep where this went
                self._recording.append((x0, y0, picture[::-1]))
            return None

        return draw_text

    @staticmethod
    def _key(renderer, gc, fx, fy, s, prop, angle, mtext):
        return (s, _font_key(prop, mtext), angle, renderer.dpi, tuple(gc.get_rgb()), gc.get_alpha(), gc.get_forced_alpha(),
                gc.get_antialiased(), rcParams["text.hinting"], rcParams["text.hinting_factor"],
                round(fx * 64), round(fy * 64))

    @staticmethod
    def _draw_alone(renderer, gc, fx, fy, s, prop, angle, mtext):
        """Draw the text on a transparent scratch canvas; its visible pixels and their offset."""
        width, height, _ = renderer.get_text_width_height_descent(s, prop, False)
        margin = int(width + height) + 4  # room for the text in any direction and rotation
        scratch = RendererAgg(2 * margin, 2 * margin, renderer.dpi)
        scratch_gc = scratch.new_gc()
        scratch_gc.copy_properties(gc)
        scratch_gc.set_clip_rectangle(None)
        scratch_gc.set_clip_path(None)
        scratch.draw_text(scratch_gc, margin + fx, margin + fy, s, prop, angle, False, mtext)
        scratch_gc.restore()
        rgba = np.asarray(scratch.buffer_rgba())
        rows, cols = np.flatnonzero(rgba[:, :, 3].any(axis=1)), np.flatnonzero(rgba[:, :, 3].any(axis=0))
        if rows.size == 0:
            return None, 0, 0
        picture = rgba[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].copy()
        return picture, cols[0] - margin, rows[0] - margin


def _remember(frames, state, background):
    frames[state] = background
    frames.move_to_end(state)
    while len(frames) > KEPT_FRAMES:  # a kept frame is one RGBA copy of the figure (about 1 MB)
        frames.popitem(last=False)


def render_veiled_png(fig, text):
    """PNG of ``fig`` under a white veil with ``text`` on it, for a picture that is out of date."""
    veil = fig.add_artist(Rectangle((0, 0), 1, 1, transform=fig.transFigure, facecolor="white",
                                    alpha=0.75, zorder=10))
    notice = fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=13, color="#b35806", zorder=11)
    try:
        return render_png(fig)
    finally:
        veil.remove()
        notice.remove()
