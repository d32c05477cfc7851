"""What a screen reader needs: alt text on every picture, a name on every control.

* Every markdown picture in the lessons' markdown cells and in the project's
  ``.md`` files (README.md first) has alt text: ``![what it shows](file.png)``,
  never ``![](file.png)``; an HTML ``<img>`` has a non-empty ``alt``.
* Every control an explorer puts on the page (slider, dropdown, number box,
  checkbox, toggle, button, upload) has a non-empty ``description`` (the label
  ipywidgets ties to the input) or ``tooltip``. The browser suite checks that the
  input in the page really gets an accessible name from it
  (tests/browser/test_present.py).

Colour-blind readability of the figures is tested in tests/test_figure_legibility.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import ipywidgets as widgets
import pytest

from tests.test_explorers import FACTORIES

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SKIP_DIRS = {".venv", "build", "dist", ".git", "node_modules", ".pytest_cache", ".ipynb_checkpoints"}

# ![alt](target) and ![alt][ref]; the alt text is group 1.
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\s*[(\[]")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
HTML_ALT = re.compile(r"""\balt\s*=\s*("([^"]*)"|'([^']*)')""", re.IGNORECASE)


def missing_alt(text):
    """The pictures in a markdown text that have no alt text, as they are written."""
    found = [m.group(0) for m in MARKDOWN_IMAGE.finditer(text) if not m.group(1).strip()]
    for tag in HTML_IMAGE.findall(text):
        alt = HTML_ALT.search(tag)
        if alt is None or not (alt.group(2) or alt.group(3) or "").strip():
            found.append(tag)
    return found


def markdown_sources():
    """(where, text) for every lesson markdown cell and every .md file of the project."""
    sources = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for index, cell in enumerate(json.loads(path.read_text())["cells"]):
            if cell["cell_type"] == "markdown":
                sources.append((f"{path.name} cell {index}", "".join(cell["source"])))
    for path in sorted(ROOT.rglob("*.md")):
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
            sources.append((str(path.relative_to(ROOT)), path.read_text()))
    return sources


def test_the_alt_text_check_finds_pictures_without_it():
    assert missing_alt("see ![](a.png) and ![ ](b.png) and ![][ref]") == ["![](", "![ ](", "![]["]
    assert missing_alt('<img src="a.png"> <img src="b.png" alt=""> <img alt="" src="c.png"/>') == [
        '<img src="a.png">', '<img src="b.png" alt="">', '<img alt="" src="c.png"/>']
    assert missing_alt("![the padded input](a.png) <img src='b.png' alt='the output'> a ![link] ") == []


def test_every_markdown_picture_has_alt_text():
    sources = markdown_sources()
    assert any(where == "README.md" for where, _ in sources)
    assert sum(where.endswith(".ipynb") or ".ipynb " in where for where, _ in sources) > 10
    problems = [f"{where}: {image}" for where, text in sources for image in missing_alt(text)]
    assert not problems, "pictures without alt text (write what the picture shows inside ![...]):\n" + \
        "\n".join(problems)


# Widgets that show things rather than take input: they need no label of their own.
DISPLAYS = (widgets.Box, widgets.HTML, widgets.HTMLMath, widgets.Label, widgets.Image, widgets.Output)


def controls_in(widget):
    """Every input widget inside ``widget`` (its children, recursively), in page order."""
    if isinstance(widget, widgets.Box):
        return [control for child in widget.children for control in controls_in(child)]
    if isinstance(widget, DISPLAYS) or not isinstance(widget, widgets.DOMWidget):
        return []
    return [widget]


def accessible_name(control):
    return (getattr(control, "description", "") or "").strip() or (getattr(control, "tooltip", "") or "").strip()


@pytest.mark.parametrize("factory", FACTORIES)
def test_every_control_of_every_explorer_has_a_name(factory):
    explorer = factory()
    controls = controls_in(explorer.widget)
    # Everything the explorer drives is on the page, so the walk above sees every control.
    assert {id(c) for c in explorer.controls.values()} <= {id(c) for c in controls}
    unnamed = [f"{type(c).__name__} (value {c.value!r})" if hasattr(c, "value") else type(c).__name__
               for c in controls if not accessible_name(c)]
    assert not unnamed, f"{factory.__name__}: controls a screen reader cannot name: {unnamed}"
