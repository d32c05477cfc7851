"""Every explorer's figure stays legible at its extreme settings, in one visual language.

Each explorer (found as in test_explorers.py) is driven through every control: each
slider and number box to its minimum, middle and maximum, every option of each menu,
both sides of each toggle. After every refresh the figure is drawn and checked:

(a) no two visible texts overlap (tick labels, titles, axis and colorbar labels,
    legends, printed values, annotations), and none is cut off at the figure's edge;
(b) no text is smaller than ``FLOOR_PT`` at the size the explorer is shown;
(c) a panel with negative values uses the one diverging map, ``DIVERGING_CMAP``,
    with limits symmetric about 0; every other panel is grey (or a colour picture);
(d) colour limits do not move while a slider moves, unless that slider is about the
    scale (``RESCALING``, each with the reason the figure says in words).

The static figures of lesson 07 and the README pictures get (a) to (c) too.
"""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.image import AxesImage

from conv2d_lib.plot import DIVERGING_CMAP
from tests.test_explorers import FACTORIES, control_values

# 9 pt at the figures' 90 dpi is 11 px: the height of the captions under a slide on a
# 1024-px-wide projector. Smaller digits blur into each other from the back of a room.
# A figure wider than 9.5 in (855 px, what a notebook cell shows) is scaled down to fit,
# and its text with it, so the floor applies after that scaling.
FLOOR_PT = 9.0
SHOWN_WIDTH_IN = 9.5

IMAGE_CMAPS = {"gray", "Greys_r"}

# Sliders allowed to change colour limits, and why (each figure says it in words).
RESCALING = {
    ("explore_stride", "kernel_size"): "the output is the sum of k x k pixels: its range grows as k squared",
    ("explore_stacking", "layers"): "each setting is a new stack of layers with its own output map",
    ("explore_stacking", "kernel_size"): "each setting is a new stack of layers with its own output map",
    ("explore_stacking", "stride"): "each setting is a new stack of layers with its own output map",
    ("explore_stacking", "padding"): "each setting is a new stack of layers with its own output map",
    ("explore_transpose", "kernel_size"): "the output is a sum of overlapping stamps: more overlap with a larger kernel",
    ("explore_transpose", "stride"): "the output is a sum of overlapping stamps: less overlap with a larger stride",
}

SLIDERS = (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider, widgets.SelectionSlider)


# ---------------------------------------------------------------------------- texts

def _axes_tree(axes):
    for ax in axes:
        yield ax
        yield from _axes_tree(ax.child_axes)



def visible_texts(fig):
    """(what, Text) for every text a draw of ``fig`` puts on screen."""
    found = []

    def add(what, text):
        if text.get_visible() and text.get_text().strip() and text.get_alpha() != 0:
            found.append((what, text))

    for text in fig.texts:
        add("figure text", text)
    for legend in fig.legends:
        if legend.get_visible():
            for text in legend.get_texts():
                add("legend", text)
    for ax in _axes_tree(fig.axes):
        if not _axes_visible(ax):
            continue
        name = ax.get_label() or "axes"
        for title in (ax.title, ax._left_title, ax._right_title):
            add(f"{name} title", title)
        if ax.axison:
            for axis_name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
                if not axis.get_visible():
                    continue
                add(f"{axis_name} label", axis.label)
                for tick in axis._update_ticks():  # the ticks inside the view: those a draw shows
                    if tick.get_visible():
                        for label in (tick.label1, tick.label2):
                            add(f"{axis_name} tick label", label)
                add(f"{axis_name} offset", axis.get_offset_text())
        for text in ax.texts:
            add("text", text)
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            for text in legend.get_texts():
                add("legend", text)
    return found


def _axes_visible(ax):
    while ax is not None:
        if not ax.get_visible():
            return False
        parent = getattr(ax, "_parent_axes", None)
        ax = parent
    return True


def check_texts(fig, where):
    """(a) and (b): no overlapping, cut or tiny text. Returns a list of problems."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = visible_texts(fig)
    problems = []
    scale = min(1.0, SHOWN_WIDTH_IN / fig.get_figwidth())
    for what, text in texts:
        if text.get_fontsize() * scale < FLOOR_PT - 1e-6:
            problems.append(f"{where}: {what} {text.get_text()!r} is {text.get_fontsize() * scale:.1f} pt "
                            f"on screen (floor {FLOOR_PT} pt)")
    boxes = np.array([text.get_window_extent(renderer).extents for _, text in texts])  # x0, y0, x1, y1
    if not len(boxes):
        return problems
    width, height = fig.bbox.width, fig.bbox.height
    for (what, text), (x0, y0, x1, y1) in zip(texts, boxes):
        if x0 < -1 or y0 < -1 or x1 > width + 1 or y1 > height + 1:
            problems.append(f"{where}: {what} {text.get_text()!r} is cut off at the figure's edge")
    # Two boxes overlap when they share more than 1 px both across and down (glyph boxes
    # include a little air: touching is not overlapping).
    across = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(boxes[:, None, 0], boxes[None, :, 0])
    down = np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(boxes[:, None, 1], boxes[None, :, 1])
    clash = np.triu((across > 1.0) & (down > 1.0), k=1)
    for i, j in zip(*np.nonzero(clash)):
        problems.append(f"{where}: {texts[i][0]} {texts[i][1].get_text()!r} overlaps "
                        f"{texts[j][0]} {texts[j][1].get_text()!r}")
    return problems


# ---------------------------------------------------------------------------- colours

def data_images(fig):
    """Every visible 2-D data image (not a colour picture, not an overlay), with its axes."""
    for ax in _axes_tree(fig.axes):
        if not _axes_visible(ax):
            continue
        for image in ax.images:
            data = np.asarray(image.get_array())
            if image.get_visible() and isinstance(image, AxesImage) and data.ndim == 2:
                yield ax, image, data


def check_colours(fig, where):
    """(c): signed panels diverging with symmetric limits, the rest grey."""
    problems = []
    for ax, image, data in data_images(fig):
        name, (low, high) = image.get_cmap().name, (image.norm.vmin, image.norm.vmax)
        title = ax.get_title().replace("\n", " ") or ax.get_label()
        if np.nanmin(data) < 0 and name != DIVERGING_CMAP:
            problems.append(f"{where}: {title!r} has negative values but uses {name!r}")
        if name == DIVERGING_CMAP and not np.isclose(low, -high):
            problems.append(f"{where}: {title!r} is diverging but its limits {low:.3g}..{high:.3g} "
                            "are not symmetric about 0")
        if name not in IMAGE_CMAPS | {DIVERGING_CMAP}:
            problems.append(f"{where}: {title!r} uses {name!r}: images are grey, signed values {DIVERGING_CMAP}")
    return problems


def colour_limits(fig):
    return [(ax.get_label() or i, image.get_cmap().name, image.norm.vmin, image.norm.vmax)
            for i, (ax, image, _) in enumerate(data_images(fig))]


# ---------------------------------------------------------------------------- the tests

def summary(problems, shown=30):
    """One line per distinct problem, with the settings where it shows (problems are 'where: what')."""
    where = {}
    for problem in problems:
        setting, _, what = problem.partition(": ")
        where.setdefault(what, []).append(setting)
    lines = [f"{what}  [{', '.join(dict.fromkeys(settings[:4]))}{', ...' if len(set(settings)) > 4 else ''}]"
             for what, settings in where.items()]
    return f"{len(lines)} problems:\n" + "\n".join(lines[:shown]) + ("\n..." if len(lines) > shown else "")


def _settle(explorer, name, value):
    explorer.set(**{name: value})
    return "cannot work" not in explorer.message.value  # a veiled picture: nothing new drawn


@pytest.mark.parametrize("factory", FACTORIES)
def test_texts_are_legible_at_every_setting(factory):
    explorer = factory()
    problems = check_texts(explorer.figure, "default")
    for name, control in explorer.controls.items():
        values = control_values(control)
        for value in values:
            if _settle(explorer, name, value):
                problems += check_texts(explorer.figure, f"{name}={value!r}")
        explorer.set(**{name: values[len(values) // 2]})
    # On a photo the sliders reach furthest (rows and columns in the hundreds: the longest titles).
    if "image" in explorer.controls and "cat" in explorer.controls["image"].options:
        explorer.set(image="cat")
        for name, control in explorer.controls.items():
            if isinstance(control, SLIDERS):
                start = control.value
                for value in (control.min, control.max) if hasattr(control, "min") else control.options:
                    if _settle(explorer, name, value):
                        problems += check_texts(explorer.figure, f"image='cat', {name}={value!r}")
                explorer.set(**{name: start})
    assert not problems, summary(problems)


@pytest.mark.parametrize("factory", FACTORIES)
def test_colours_follow_one_scheme_at_every_setting(factory):
    explorer = factory()
    problems = check_colours(explorer.figure, "default")
    for name, control in explorer.controls.items():
        values = control_values(control)
        for value in values:
            if _settle(explorer, name, value):
                problems += check_colours(explorer.figure, f"{name}={value!r}")
        explorer.set(**{name: values[len(values) // 2]})
    assert not problems, summary(problems)


@pytest.mark.parametrize("factory", FACTORIES)
def test_colour_limits_hold_while_a_slider_moves(factory):
    explorer = factory()
    name_of = factory.__name__
    problems = []
    menu = explorer.controls.get("image")  # no menu: one photo (learning), none (groups), digits (lesson 12)
    pictures = [menu.value] if menu is not None else [None]  # the default picture, and a photo
    if menu is not None and "cat" in menu.options and pictures[0] != "cat":
        pictures.append("cat")
    for picture in pictures:
        if menu is not None:
            explorer.set(image=picture)
        for name, control in explorer.controls.items():
            if not isinstance(control, SLIDERS) or (name_of, name) in RESCALING:
                continue
            start = control.value
            before = colour_limits(explorer.figure)
            for value in control_values(control):
                if _settle(explorer, name, value):
                    after = colour_limits(explorer.figure)
                    if after != before:
                        problems.append(f"image={picture!r}, {name}={value!r}: colour limits {before} became {after}")
            explorer.set(**{name: start})
    assert not problems, "\n".join(problems[:20])


def test_bias_histogram_axis_holds_while_the_bias_moves():
    from conv2d_lib.widgets import explore_bias

    explorer = explore_bias()
    ax = explorer.figure.axes[1]
    before = (ax.get_xlim(), ax.get_ylim())
    for value in control_values(explorer.controls["bias"]):
        explorer.set(bias=value)
        assert (ax.get_xlim(), ax.get_ylim()) == before, f"bias={value}: the histogram's axes moved"


def _lesson10_pictures():
    """The two stills of notebooks/10_backpropagation.ipynb, as the lesson draws them."""
    from conv2d_lib import conv2d, images
    from conv2d_lib.plot.backprop import correlation_picture

    x, k, g = images.small_numbers(), images.small_weights(3, seed=3), images.small_weights(3, seed=1)
    weights = lambda: correlation_picture(x, g, conv2d(x, g), ("image x", "grad_output\n(slid as the kernel)",
                                                                "conv2d(x, grad_output)\n= grad_weights"))
    full = lambda: correlation_picture(np.pad(g, 2), k[::-1, ::-1], conv2d(np.pad(g, 2), k[::-1, ::-1]),
                                       ("grad_output, padded by 2", "kernel, flipped", "= grad_image"),
                                       signed=(True, True, True))
    return [pytest.param(weights, id="lesson10_weight_gradient"), pytest.param(full, id="lesson10_full_convolution")]


def static_figures():
    from tools.make_pictures import learned_kernels_figure, red_channel_example_figure, stacked_results_figure

    return [pytest.param(lambda: stacked_results_figure(2, 0), id="conv2d_low"),
            pytest.param(lambda: stacked_results_figure(4, 1), id="conv2d_high"),
            pytest.param(red_channel_example_figure, id="intermediate"), 
            pytest.param(learned_kernels_figure, id="learned_kernels"), *_lesson10_pictures()]


@pytest.mark.parametrize("make", static_figures())
def test_static_figures_are_legible(make):
    fig = make()
    problems = check_texts(fig, "figure") + check_colours(fig, "figure")
    assert not problems, summary(problems)


def test_figures_name_colormaps_only_through_the_constants():
    """One diverging map for the whole collection: no module picks another by name."""
    root = Path(__file__).resolve().parents[1] / "conv2d_lib"
    named = re.compile(r"""cmap\s*=\s*["'](?!gray["'])""")
    offenders = [f"{path.relative_to(root)}:{number}: {line.strip()}"
                 for folder in ("plot", "widgets") for path in sorted((root / folder).glob("*.py"))
                 for number, line in enumerate(path.read_text().splitlines(), start=1)
                 if named.search(line) and path.name != "_panels.py"]
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("factory", FACTORIES)
def test_control_labels_are_shown_whole(factory):
    """ipywidgets cuts a description at about 80 px ("output m..."): each must take the width it needs."""
    explorer = factory()
    cut = [f"{name}: {control.description!r}" for name, control in explorer.controls.items()
           if control.description and not isinstance(control, widgets.Checkbox)
           and control.style.description_width != "initial"]
    assert not cut, "labels that may be cut: " + ", ".join(cut)


@pytest.mark.parametrize("shape, rows, columns", [((1, 1), [0], [0]), ((2, 3), [0, 1], [0, 1, 2]),
                                                  ((150, 225), [0, 50, 100], [0, 50, 100, 150, 200])])
def test_pixel_ticks_are_whole_numbers_at_pixel_centres(shape, rows, columns):
    from conv2d_lib.plot import MapPanel, new_figure

    fig, ax = new_figure()
    MapPanel(ax, np.zeros(shape), "map")
    fig.canvas.draw()
    shown = [[tick.get_loc() for tick in axis._update_ticks()] for axis in (ax.yaxis, ax.xaxis)]
    assert shown == [rows, columns]


def test_printed_values_fit_their_pixels_or_are_left_out():
    """A 4 x 4 kernel of 0.0625 in a small panel: either legible and apart, or not printed at all."""
    from conv2d_lib.plot import LEGIBLE_PT, MapPanel, ValueGrid, new_figure

    for width in (1.0, 2.0, 4.0):
        fig, ax = new_figure(width=width + 1.5, height=width + 1.0)
        ax.set_position([0.25, 0.2, width / (width + 1.5), width / (width + 1.0)])
        panel = MapPanel(ax, np.full((4, 4), 0.0625), "kernel", colorbar=False)
        grid = ValueGrid(ax, fmt="{:.2g}")
        grid.set(np.full((4, 4), 0.0625), mapper=panel.image)
        printed = [t for t in ax.texts if t.get_visible()]
        assert len(printed) in (0, 16), width
        assert all(t.get_fontsize() >= LEGIBLE_PT for t in printed)
        assert not [p for p in check_texts(fig, f"{width} in") if "overlaps" in p]
        assert (len(printed) == 16) == (width >= 2.0), f"{width} in: {len(printed)} printed"


def test_printed_values_are_black_on_light_and_white_on_dark_pixels():
    """Each number's colour is the one readable_on picks for its own pixel's colour."""
    import matplotlib.pyplot as plt

    from conv2d_lib.plot import MapPanel, ValueGrid, new_figure, readable_on

    values = np.linspace(-1.0, 1.0, 25).reshape(5, 5)
    fig, ax = new_figure(width=4, height=4)
    panel = MapPanel(ax, values, "signed", signed=True)
    assert panel.image.get_cmap().name == DIVERGING_CMAP
    grid = ValueGrid(ax, fmt="{:.1f}")
    grid.set(values, mapper=panel.image)
    shown = [t.get_color() for t in grid.texts[:25]]
    assert shown == [readable_on(panel.image, v) for v in values.ravel()]
    assert {"black", "white"} <= set(shown)  # the ends of the map are dark, its middle is white
    plt.close(fig)
