"""Drive every explorer headlessly: each control at its minimum, middle and maximum.

Every ``explore_*`` function in ``conv2d_lib.widgets`` is found automatically,
so a new explorer is driven as soon as it exists. For each control the test
checks that the callback raises nothing, that the picture is re-rendered, and
that the data plotted in the figure changes when the control moves.
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest

import conv2d_lib.widgets


def explorer_factories():
    found = []
    for module_info in pkgutil.iter_modules(conv2d_lib.widgets.__path__):
        module = importlib.import_module(f"conv2d_lib.widgets.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("explore_") and function.__module__ == module.__name__:
                found.append(pytest.param(function, id=name))
    return found


def figure_state(fig):
    """Everything an explorer may change in its figure, as comparable values."""
    state = []
    for ax in fig.axes:
        for image in ax.images:
            data = np.asarray(image.get_array())
            state.append(("image", data.shape, data.tobytes(), tuple(image.get_extent()),
                          image.norm.vmin, image.norm.vmax))
        for line in ax.lines:
            state.append(("line", np.asarray(line.get_xydata()).tobytes()))
        for patch in ax.patches:
            state.append(("patch", patch.get_visible(), np.asarray(patch.get_extents()).tobytes()))
        for text in ax.texts:
            state.append(("text", text.get_visible(), text.get_text(), text.get_position()))
        state.append(("title", ax.get_title()))
    return state


def control_values(control):
    """Minimum, middle and maximum of a slider; every option of a dropdown; both sides of a toggle."""
    if isinstance(control, (widgets.IntSlider, widgets.FloatSlider, widgets.IntText, widgets.BoundedIntText,
                            widgets.BoundedFloatText)):
        low, high = control.min, control.max
        step = getattr(control, "step", 1) or 1  # a whole-number slider takes only values on its steps
        middle = low + (high - low) // 2 // step * step if isinstance(control.value, int) else (low + high) / 2
        return [low, middle, high]
    if isinstance(control, widgets.FloatLogSlider):  # min and max are exponents of its base
        return [control.base ** e for e in (control.min, (control.min + control.max) / 2, control.max)]
    if isinstance(control, widgets.SelectionSlider):
        return list(control.options)
    if hasattr(control, "options"):
        return [option[1] if isinstance(option, tuple) else option for option in control.options]
    if isinstance(control.value, bool):
        return [not control.value, control.value]
    if isinstance(control.value, (int, float)):  # an unbounded number box
        return [control.value - 1, control.value + 1, control.value]
    raise AssertionError(f"no way to drive a {type(control).__name__}; teach control_values about it")


NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
FACTORIES = explorer_factories()


def test_every_explorer_is_found_exported_and_used_by_a_lesson():
    """The search above finds exactly the explorers the package exports, and each one is opened
    by some lesson (an explorer no lesson calls is dead code; one the search misses goes untested)."""
    found = {param.id for param in FACTORIES}
    exported = {name for name in conv2d_lib.widgets.__all__ if name.startswith("explore_")}
    assert found == exported, f"found but not exported: {found - exported}; exported but not found: {exported - found}"
    lessons = "".join(path.read_text() for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    unused = sorted(name for name in found if f"{name}(" not in lessons)
    assert not unused, f"no lesson opens {unused}"


@pytest.mark.parametrize("factory", FACTORIES)
def test_every_control_moves_the_figure(factory):
    explorer = factory()
    assert bytes(explorer.picture.value).startswith(b"\x89PNG"), "the first picture was not rendered"
    # Controls are driven in order and each is left at its middle value, so a
    # control that matters only with another (padding mode needs padding > 0)
    # is driven after that one has moved.
    for name, control in explorer.controls.items():
        changed = False
        values = control_values(control)
        for value in values:
            before = figure_state(explorer.figure)
            renders = len(explorer.timings_ms)
            explorer.set(**{name: value})
            assert len(explorer.timings_ms) == renders + 1, f"{name}={value!r} did not refresh"
            # A truly impossible setting is allowed, but it must be said in words.
            assert "Traceback" not in explorer.message.value
            changed |= figure_state(explorer.figure) != before
        assert changed, f"moving {name} through {control_values(control)} never changed the figure"
        explorer.set(**{name: values[len(values) // 2]})
