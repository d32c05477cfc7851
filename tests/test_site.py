"""The static site (``make site``, tools/build_site.py): pages, pictures, links, no errors.

The first tests check the builder's parts on notebooks made here (no kernel needed).
The others read a built site, the last one in headless Chromium with no network: ``make site`` builds ``build/site/`` and runs this file
with ``CONV2D_SITE_DIR=build/site``; without that variable they skip, saying so.
"""

from __future__ import annotations

import json
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import ipywidgets as widgets
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402
from navigation import lessons  # noqa: E402

from conv2d_lib.widgets import explore_padding  # noqa: E402

LESSONS = lessons()
SITE = os.environ.get("CONV2D_SITE_DIR")
EXPLORE_CALL = re.compile(r"\bexplore_\w+\(")


class Page(HTMLParser):
    """What the checks need from a page: links, pictures, ids, explorer stills and the visible text.

    ``outputs`` is the text of the cells' outputs alone (the lesson's words may name an error).
    """

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.links, self.sources, self.ids, self.stills = [], [], set(), 0
        self.text, self.outputs = [], []
        self._skip = 0
        self._divs = []  # per open div: (inside an output, inside an explorer's still)
        self.feed(text)

    def _inside(self):
        return self._divs[-1] if self._divs else (False, False)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        output, still = self._inside()
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("img", "script", "link") and (attrs.get("src") or attrs.get("href")):
            self.sources.append((tag, attrs.get("src") or attrs.get("href")))
        if tag == "img" and still and (attrs.get("src") or "").startswith("data:image/png;base64,"):
            self.stills += 1
        if tag == "div":
            self._divs.append((output or "jp-OutputArea-output" in classes,
                               still or "conv2d-static-explorer" in classes))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "div" and self._divs:
            self._divs.pop()
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
            if self._inside()[0]:
                self.outputs.append(data)


# ---------------------------------------------------------------------------------------------
# The builder's parts
# ---------------------------------------------------------------------------------------------

def notebook_with(*bundles):
    cell = nbformat.v4.new_code_cell("explore_padding()")
    cell.outputs = [nbformat.v4.new_output("display_data", data=bundle) for bundle in bundles]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return notebook


def test_a_widget_output_gives_way_to_its_still_or_to_a_note():
    explorer = explore_padding()
    slider = widgets.IntSlider(description="kernel size")
    notebook = notebook_with(explorer._repr_mimebundle_(), slider._repr_mimebundle_())
    assert build_site.static_outputs(notebook) == 1
    still, note = (output["data"] for output in notebook.cells[0].outputs)
    assert build_site.WIDGET_VIEW not in still and build_site.WIDGET_VIEW not in note
    assert "conv2d-static-explorer" in still["text/html"]
    assert set(note) == {"text/html"} and "needs a live kernel" in note["text/html"]
    assert "widgets" not in notebook.metadata
    body, _ = build_site.exporter().from_notebook_node(notebook)
    page = Page(body)
    assert page.stills == 1
    assert "widget-view+json" not in body and "IntSlider(" not in body
    assert "needs a live kernel" in "".join(page.text)


def test_links_to_lessons_point_at_their_pages_and_others_are_left_alone():
    names = {"02_kernels.ipynb", "03_padding.ipynb"}
    text = ('<a href="02_kernels.ipynb">a</a> <a href="03_padding.ipynb#Exercises">b</a> '
            '<a href="07_other.ipynb">c</a> <a href="https://example.org/04_x.ipynb">d</a>')
    assert build_site.page_links(text, names) == (
        '<a href="02_kernels.html">a</a> <a href="03_padding.html#Exercises">b</a> '
        '<a href="07_other.ipynb">c</a> <a href="https://example.org/04_x.ipynb">d</a>')


def test_badges_become_words_and_other_pictures_stay():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "[![Open in Colab](https://colab.example/badge.svg)](https://colab.example/x.ipynb) and "
        "![The padding explorer](../assets/explorer_padding.png)")])
    build_site.badges_as_words(notebook)
    assert notebook.cells[0].source == ("[Open in Colab](https://colab.example/x.ipynb) and "
                                        "![The padding explorer](../assets/explorer_padding.png)")


def test_the_index_lists_every_lesson_with_its_title_and_page():
    page = Page(build_site.index_page(LESSONS))
    text = " ".join("".join(page.text).split())
    for path, title in LESSONS:
        assert " ".join(title.split()) in text
        assert f"{path.stem}.html" in page.links


# ---------------------------------------------------------------------------------------------
# A built site
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site():
    if not SITE:
        pytest.skip("no built site to check: `make site` builds build/site/ and checks it "
                    "(or set CONV2D_SITE_DIR to a built site)")
    folder = Path(SITE).resolve()
    assert (folder / "index.html").is_file(), f"{folder} has no index.html: run tools/build_site.py"
    return folder


def explorer_calls(path):
    cells = json.loads(path.read_text())["cells"]
    return sum(len(EXPLORE_CALL.findall("".join(c["source"]))) for c in cells if c["cell_type"] == "code")


@pytest.mark.parametrize("path", [path for path, _ in LESSONS], ids=lambda p: p.stem)
def test_every_lesson_page_shows_its_explorers_without_errors(site, path):
    page_file = site / f"{path.stem}.html"
    assert page_file.is_file(), f"no page for {path.name}"
    body = page_file.read_text(encoding="utf-8")
    page = Page(body)
    wanted = explorer_calls(path)
    assert page.stills >= wanted, f"{path.name}: {wanted} explorer calls, {page.stills} explorer pictures"
    outputs = "".join(page.outputs)
    if wanted:
        assert "need a live kernel" in outputs
    for marker in ("Traceback", "failed to display", "Error displaying widget", "Loading widget",
                   "VBox(children", "IntSlider("):
        assert marker.lower() not in outputs.lower(), f"{path.name} shows {marker!r} in an output"
    assert "application/vnd.jupyter.widget-view+json\">" not in body, f"{path.name} has a widget view left"


@pytest.mark.parametrize("name", ["index"] + [path.stem for path, _ in LESSONS])
def test_every_relative_link_and_source_resolves(site, name):
    page = Page((site / f"{name}.html").read_text(encoding="utf-8"))
    broken = []
    for kind, target in [("a", link) for link in page.links] + page.sources:
        parts = urlsplit(target)
        if parts.scheme or target.startswith("//"):
            if kind in ("img",) and parts.scheme != "data":
                broken.append(f"picture from the network: {target}")
            continue
        if not parts.path:  # "#anchor" on the same page
            if parts.fragment and unquote(parts.fragment) not in page.ids:
                broken.append(target)
            continue
        where = (site / unquote(parts.path)).resolve()
        if not where.is_file():
            broken.append(target)
        elif parts.fragment and where.suffix == ".html" and unquote(parts.fragment) not in Page(where.read_text()).ids:
            broken.append(target)
    assert not broken, f"{name}.html: broken links: {broken}"


def test_the_lessons_link_to_each_other_as_pages(site):
    """The navigation bars reach the neighbours' pages, and the contents every page."""
    for index, (path, _) in enumerate(LESSONS):
        links = Page((site / f"{path.stem}.html").read_text(encoding="utf-8")).links
        assert not [link for link in links if link.endswith(".ipynb") and not urlsplit(link).scheme]
        for neighbour in LESSONS[max(0, index - 1):index] + LESSONS[index + 1:index + 2]:
            assert f"{neighbour[0].stem}.html" in links, f"{path.name} has no link to {neighbour[0].stem}.html"


def test_the_pages_show_their_pictures_and_formulas_in_chromium_with_no_network(site):
    """Every page in headless Chromium with every request off the disk refused: pictures decode, formulas set."""
    from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is missing")
    refused = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else (refused.append(route.request.url), route.abort()))
            for name in ["index"] + [path.stem for path, _ in LESSONS]:
                page.goto((site / f"{name}.html").as_uri(), wait_until="load")
                broken = page.evaluate("() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
                                       ".map(i => i.alt || i.src.slice(0, 60))")
                assert not broken, f"{name}.html: pictures that do not show: {broken}"
                formulas = page.evaluate("() => document.body.innerText.split('$$').length - 1")
                if formulas or "$" in page.evaluate("() => document.body.innerText"):
                    page.wait_for_function("() => window.MathJax && window.MathJax.Hub && "
                                           "window.MathJax.Hub.queue.pending === 0 && "
                                           "!document.body.innerText.includes('$$')", timeout=60_000)
        finally:
            browser.close()
    assert all("require" in url for url in refused), f"requests to the network: {refused}"
