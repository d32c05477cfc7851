"""What an explorer shows on a page without a kernel: its current picture and words, beside the widget.

A live front end renders the ``application/vnd.jupyter.widget-view+json`` part of the
display bundle; a static page (nbconvert's HTML, a notebook viewer, a PDF) has no
widget state and shows the ``text/html`` or ``image/png`` part instead. Every explorer
is found by the search ``tests/test_explorers.py`` uses, so a new one is checked too.
"""

import base64
import io
import re

import ipywidgets as widgets
import pytest
from IPython.core.formatters import DisplayFormatter
from PIL import Image

from .test_explorers import FACTORIES, control_values

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def html_picture(bundle):
    """The PNG bytes of the one picture in the bundle's HTML."""
    found = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', bundle["text/html"])
    assert len(found) == 1, f"expected one picture in the HTML, found {len(found)}"
    return base64.b64decode(found[0])


@pytest.mark.parametrize("factory", FACTORIES)
def test_the_bundle_holds_the_widget_and_a_still_of_its_picture(factory):
    explorer = factory()
    # As IPython formats a cell's result for the front end.
    bundle, _ = DisplayFormatter().format(explorer)
    assert bundle[WIDGET_VIEW]["model_id"] == explorer.widget.model_id
    picture = bytes(explorer.picture.value)
    assert html_picture(bundle) == picture
    assert base64.b64decode(bundle["image/png"]) == picture
    width, height = Image.open(io.BytesIO(picture)).size
    assert (width, height) == tuple(int(v) for v in explorer.figure.canvas.get_width_height())
    note = bundle["text/plain"]
    assert "need a live kernel" in note and "need a live kernel" in bundle["text/html"]
    assert "VBox(" not in note
    for control in explorer.controls.values():
        if control.description:
            assert control.description in note, f"the note does not name the control {control.description!r}"
    assert explorer.message.value in bundle["text/html"]


@pytest.mark.parametrize("factory", [f for f in FACTORIES if f.id in ("explore_padding", "explore_stride", "explore_bias")])
def test_the_still_is_the_picture_of_the_current_settings(factory):
    explorer = factory()
    first = html_picture(explorer._repr_mimebundle_())
    for name, control in explorer.controls.items():
        if isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
            value = next(v for v in control_values(control) if v != control.value)
            explorer.set(**{name: value})
            break
    else:
        pytest.fail("no slider to move")
    now = html_picture(explorer._repr_mimebundle_())
    assert now == bytes(explorer.picture.value)
    assert now != first
