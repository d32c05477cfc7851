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
``tests/test_render.py`` drives every explorer there and back and checks that
each picture equals a full draw, up to antialiasing jitter of a few grey levels.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from operator import attrgetter

import numpy as np
from matplotlib.patches import Rectangle
from PIL import Image

__all__ = ["render_full_png", "render_png", "render_veiled_png"]

KEPT_FRAMES = 4  # frames remembered per figure


def _frame_axes(ax):
    """The x and y axis of ``ax`` that belong to the frame: those without grid lines.

    Grid lines are drawn over the data below them (an image), so an axis with a
    grid has to be drawn again with the data, in its place in the order.
    """
    return [axis for axis in (ax.xaxis, ax.yaxis)
            if not any(tick.gridline.get_visible() for tick in axis.get_major_ticks() + axis.get_minor_ticks())]


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
        state.append((ax.get_visible(), ax.axison, None if placed_by_parent else ax.get_position().bounds,
                      ax.get_xlim(), ax.get_ylim(),
                      ax.get_xscale(), ax.get_yscale(), ax.xaxis.label.get_text(), ax.yaxis.label.get_text(),
                      tuple(t.get_text() for t in ax.xaxis.get_ticklabels()),
                      tuple(t.get_text() for t in ax.yaxis.get_ticklabels())))
    return tuple(state)


def _data_artists(fig):
    """The data artists of the figure and of every axes: what a slider move can change."""
    data = [a for a in fig.get_children() if a is not fig.patch and a not in fig.axes]
    for ax in _axes_tree(fig.axes):
        data += [a for a in _data_children(ax) if a not in ax.child_axes]
    return data


def _draw_data(fig, renderer):
    """Draw the data artists in a full draw's order: by zorder, axes by axes, children inside parents."""

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
                artist.draw(renderer)

    top = [a for a in fig.get_children() if a is not fig.patch]
    for artist in sorted(top, key=attrgetter("zorder")):
        if artist in fig.axes:
            draw_axes(artist)
        else:
            artist.draw(renderer)


def _to_png(fig) -> bytes:
    buffer = io.BytesIO()
    rgb = np.asarray(fig.canvas.buffer_rgba())[:, :, :3]  # the figure is opaque: alpha is waste
    Image.fromarray(rgb).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


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
