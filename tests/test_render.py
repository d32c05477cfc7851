"""render_png redraws only the data artists over a kept frame: it must equal a full draw.

Every explorer is driven through every control (as in test_explorers.py), there
and back, and after each move the picture it shows is compared pixel for pixel
with a full draw of the same figure. A frame change that the frame state misses, or a data
artist drawn out of order, shows up here as a pixel difference.
"""

import io

import numpy as np
import pytest
from PIL import Image

from conv2d_lib.plot import MapPanel, new_figure
from conv2d_lib.plot import _render
from conv2d_lib.plot._render import render_full_png, render_png
from tests.test_explorers import FACTORIES, control_values


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(bytes(png))).convert("RGB"))


def assert_same_picture(shown, fig, what):
    """Equal to a full draw, up to antialiasing jitter: a text drawn at a position that differs
    in the last bits can shade a glyph's edge pixel one grey level apart. A stale or
    missing artist differs by far more."""
    full = pixels(render_full_png(fig)).astype(int)
    shown = pixels(shown).astype(int)
    assert shown.shape == full.shape, what
    worst = np.abs(shown - full).max(axis=-1)
    differ = worst > 3
    assert not differ.any(), (f"{what}: {differ.sum()} pixels differ from a full draw by up to {worst.max()} "
                              f"grey levels, first at {np.argwhere(differ)[0]}")


@pytest.mark.parametrize("factory", FACTORIES)
def test_explorer_pictures_equal_a_full_draw(factory):
    explorer = factory()
    assert_same_picture(explorer.picture.value, explorer.figure, "first picture")
    for name, control in explorer.controls.items():
        values = control_values(control)
        for value in values + values[::-1]:  # there and back: kept frames are reused on the way back
            explorer.set(**{name: value})
            if "cannot work" in explorer.message.value:
                continue  # a veiled picture: the veil is not part of the figure
            assert_same_picture(explorer.picture.value, explorer.figure, f"{name}={value!r}")
        explorer.set(**{name: values[len(values) // 2]})


def test_frames_are_kept_from_their_second_use():
    fig, ax = new_figure()
    panel = MapPanel(ax, np.arange(12.0).reshape(3, 4), "start")
    render_png(fig)
    frames = fig._kept_frames
    assert list(frames.values()) == [None]  # a new frame: plain full draw, only remembered
    panel.set(np.arange(12.0).reshape(3, 4)[::-1], "same frame")  # same shape and range
    assert_same_picture(render_png(fig), fig, "same frame, kept now")
    (kept,) = frames.values()
    assert kept is not None
    panel.set(np.arange(30.0).reshape(5, 6), "new shape")  # new limits and ticks: another frame
    assert_same_picture(render_png(fig), fig, "new shape")
    assert len(frames) == 2
    panel.set(np.arange(12.0).reshape(3, 4), "back to the first shape")  # to and fro: reused
    assert_same_picture(render_png(fig), fig, "back")
    assert len(frames) == 2 and kept in frames.values()
    for size in range(6, 6 + _render.KEPT_FRAMES + 2):  # only the last few are remembered
        panel.set(np.ones((size, size)), f"{size}")
        render_png(fig)
    assert len(frames) == _render.KEPT_FRAMES and kept not in frames.values()


def test_grid_lines_over_an_image_stay_on_top():
    """An axis with grid lines is redrawn with the data, so the grid still lies over an image."""
    fig, ax = new_figure()
    image = ax.imshow(np.random.default_rng(0).random((8, 8)))
    ax.grid(True, color="white")
    for seed in (1, 2, 3):  # full draw, then keep the frame, then reuse it
        image.set_data(np.random.default_rng(seed).random((8, 8)))
        assert_same_picture(render_png(fig), fig, f"grid over image, refresh {seed}")
    assert any(frame is not None for frame in fig._kept_frames.values())


def test_kept_text_pictures_are_the_pixels_a_draw_makes():
    """Texts are pasted from kept pictures: at any fraction of a pixel, rotated, in colour,
    and cut by the axes' edge (drawn as usual then), the picture is a full draw's, exactly."""
    fig, ax = new_figure()
    image = ax.imshow(np.random.default_rng(0).random((5, 8)), cmap="gray")
    for i in range(5):
        for j in range(9):  # the last column hangs over the axes' right edge: clipped
            ax.text(j + 0.13 * i, i, f"{(i * 8 + j) * 0.37 - 3:.2f}", ha="center", va="center", clip_on=True,
                    color="#b35806" if j % 2 else "white", rotation=30 if i == 4 else 0)
    ax.set_title("kept texts")
    for seed in (1, 2, 3):  # full draw, frame kept, frame reused: texts pasted from the second on
        image.set_data(np.random.default_rng(seed).random((5, 8)))
        np.testing.assert_array_equal(pixels(render_png(fig)), pixels(render_full_png(fig)))
    assert len(fig._kept_texts.pictures) >= 40  # the texts were kept, not drawn each time
    assert "draw_text" not in vars(fig.canvas.get_renderer())  # savefig draws as matplotlib does


def test_a_text_drawn_again_unchanged_is_pasted_whole_and_a_changed_one_is_laid_out_again():
    """Text artists whose every property is the same as at their last draw skip the layout; any
    change (its words, colour, size, place, alignment) lays it out again, and the pixels stay a full draw's."""
    fig, ax = new_figure()
    image = ax.imshow(np.random.default_rng(0).random((5, 8)), cmap="gray")
    texts = [ax.text(j, i, f"{i}.{j}", ha="center", va="center", color="white") for i in range(5) for j in range(8)]
    multiline = ax.text(3.5, 2, "two\nlines", ha="left", va="top", color="#b35806")
    for seed in (1, 2, 3):  # the frame is kept from the second draw: texts are pasted whole from the third
        image.set_data(np.random.default_rng(seed).random((5, 8)))
        np.testing.assert_array_equal(pixels(render_png(fig)), pixels(render_full_png(fig)))
    kept = fig._kept_texts
    assert kept.hits >= len(texts) + 1
    changes = [lambda: texts[0].set_text("new"), lambda: texts[1].set_color("black"),
               lambda: texts[2].set_fontsize(14), lambda: texts[3].set_position((0.3, 0.2)),
               lambda: texts[4].set_horizontalalignment("left"), lambda: multiline.set_linespacing(2.0),
               lambda: texts[5].set_rotation(45), lambda: texts[6].set_visible(False)]
    for change in changes:
        change()
        np.testing.assert_array_equal(pixels(render_png(fig)), pixels(render_full_png(fig)))


def test_a_colour_scale_that_follows_the_data_is_drawn_with_it_and_keeps_the_frame():
    """A panel without fixed colour limits redraws its colorbar's scale with the data: new limits
    are no new frame; with fixed limits (vrange) the scale is part of the frame again."""
    fig, ax = new_figure()
    panel = MapPanel(ax, np.arange(12.0).reshape(3, 4), "follows the data")
    for scale in (1.0, 2.0, 3.5, -4.0, 0.1):  # new colour limits, and signed ones, every time
        panel.set(scale * np.arange(12.0).reshape(3, 4), f"times {scale}")
        assert_same_picture(render_png(fig), fig, f"limits x {scale}")
    assert len(fig._kept_frames) == 1
    panel.vrange = (0.0, 20.0)
    panel.set(np.arange(12.0).reshape(3, 4), "fixed limits")
    assert_same_picture(render_png(fig), fig, "fixed limits")
    assert panel.colorbar.ax.yaxis in _render._frame_axes(panel.colorbar.ax)
    assert len(fig._kept_frames) == 2


def test_the_zoomed_patch_numbered_by_its_place_keeps_its_frame():
    """Lesson 01's patch explorer moved row by row: its axes, numbered by the patch's place, are drawn
    with the data, so every move after the first two draws only the data."""
    from conv2d_lib.widgets import explore_image_patch

    explorer = explore_image_patch()
    row = explorer.controls["row"]
    for _ in range(6):
        row.value += 1
        assert_same_picture(explorer.picture.value, explorer.figure, f"row {row.value}")
    assert len(explorer.figure._kept_frames) == 1
