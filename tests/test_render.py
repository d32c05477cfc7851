"""render_png redraws only the data artists over a kept frame: it must equal a full draw.

Every explorer is driven through every control (as in test_explorers.py) and,
after each move, the picture it shows is compared pixel for pixel with a full
draw of the same figure. A frame change that the frame state misses, or a data
artist drawn out of order, shows up here as a pixel difference.
"""

import io

import numpy as np
import pytest
from PIL import Image

from conv2d_lib.plot import MapPanel, new_figure
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
        for value in values:
            explorer.set(**{name: value})
            if "cannot work" in explorer.message.value:
                continue  # a veiled picture: the veil is not part of the figure
            assert_same_picture(explorer.picture.value, explorer.figure, f"{name}={value!r}")
        explorer.set(**{name: values[len(values) // 2]})


def test_frame_is_reused_and_redrawn_when_it_changes():
    fig, ax = new_figure()
    panel = MapPanel(ax, np.arange(12.0).reshape(3, 4), "start")
    render_png(fig)
    frame = fig._frame_cache
    panel.set(np.arange(12.0).reshape(3, 4)[::-1], "same frame")  # same shape and range: the frame stays
    assert_same_picture(render_png(fig), fig, "same frame")
    assert fig._frame_cache is frame
    panel.set(np.arange(30.0).reshape(5, 6), "new shape")  # new limits and ticks: a new frame
    assert_same_picture(render_png(fig), fig, "new shape")
    assert fig._frame_cache is not frame


def test_grid_lines_over_an_image_stay_on_top():
    """Grid lines are frame, drawn before the data; over an image they must still show as in a full draw."""
    fig, ax = new_figure()
    ax.imshow(np.random.default_rng(0).random((8, 8)))
    ax.grid(True, color="white")
    assert_same_picture(render_png(fig), fig, "grid over image")
