"""Presenter mode (``make present``) in Chromium at a projector's 1280 x 720.

The server is started from ``tools/present.py``'s own :func:`command` and
:func:`environment`, in a copy of ``notebooks/``, as ``make present`` starts it. The
test opens the tree, then lesson 03, and checks what a room sees: no code cell, a
slider that redraws the picture, text no smaller than ``MIN_FONT_PX``, and a name a
screen reader can read on every control of the explorer (and of lesson 02's, whose
kernel grid is named by tooltips). It saves
``tests/browser/screenshots/present-1280x720.png``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import ROOT, SERVER_START_S, copy_notebooks, free_port, kill_group, server_env, wait_for_http
from .test_lessons_in_browser import (INSTALL_PROBES, MARK_EXPLORERS, SCREENSHOTS, VOILA_DONE, Driver,
                                      chosen_controls, describe, save_failure)

LESSON = "03_padding.ipynb"
VIEWPORT = {"width": 1280, "height": 720}
# Text on a 1280 x 720 projector image, read from the back of a classroom: 18 CSS px is about
# 2.5 % of the picture's height (JupyterLab's default is 13-14 px). Headings are larger.
MIN_FONT_PX = 18.0
PAGE_TIMEOUT_S = 120.0


def _present_module():
    spec = importlib.util.spec_from_file_location("present", ROOT / "tools" / "present.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def present_server(tools, workdir):
    """``tools/present.py``'s Voila command, run in a copy of notebooks/ (its tree view)."""
    present = _present_module()
    home = Path(tempfile.mkdtemp(prefix="present-", dir=workdir))
    root = copy_notebooks(home)
    port = free_port()
    log = home / "voila.log"
    command = present.command(port, ip="127.0.0.1")
    process = None
    with open(log, "wb") as out:
        try:
            process = subprocess.Popen(command, cwd=root, env=present.environment(server_env(home)),
                                       stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
            base = f"http://127.0.0.1:{port}"
            wait_for_http(f"{base}/voila/static/voila.js", process, SERVER_START_S, log)
            yield {"base": base, "log": log, "command": command}
        finally:
            kill_group(process)


def wait_for(page, server, script, arg=None, what="the page"):
    deadline = time.monotonic() + PAGE_TIMEOUT_S
    while time.monotonic() < deadline:
        log = Path(server["log"]).read_text(errors="replace")
        assert "Traceback (most recent call last)" not in log, f"voila failed:\n{log[-3000:]}"
        try:
            if page.evaluate(script, arg):
                return
        except Exception:  # the page is still loading
            pass
        page.wait_for_timeout(200)  # polling interval of the state check
    raise AssertionError(f"{what} not ready within {PAGE_TIMEOUT_S:.0f} s")


# Every visible piece of text and every form control, with its computed font size.
FONT_SIZES = """
() => {
  const found = [];
  const visible = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
                          return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const walker = document.createTreeWalker(document.getElementById('rendered_cells') || document.body,
                                           NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || el.closest('script, style, option') || !visible(el)) continue;
    found.push({px: parseFloat(getComputedStyle(el).fontSize), text: n.textContent.trim().slice(0, 40),
                where: el.tagName.toLowerCase() + '.' + String(el.className).split(' ').join('.')});
  }
  for (const el of document.querySelectorAll('select, input, button')) {
    if (!visible(el)) continue;
    found.push({px: parseFloat(getComputedStyle(el).fontSize), text: el.value || el.innerText || '',
                where: el.tagName.toLowerCase()});
  }
  return found;
}
"""

# What a code cell would leave on the page: its input area, an editor, a prompt.
CODE_SHOWN = """
() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .cm-editor, .CodeMirror')]
        .filter(el => el.getBoundingClientRect().height > 0).length
"""

CONTROLS = ("select", "input:not([type=file])", "button", "[role=slider]")


def name_every_control(box):
    """Assert that every visible control in ``box`` has an accessible name; return how many there are."""
    named = 0
    for selector in CONTROLS:
        for element in box.locator(selector).all():
            if element.is_visible():
                # Playwright computes the name as the accessibility tree does (labels, aria, title).
                expect(element).to_have_accessible_name(re.compile(r"\w"), timeout=2000)
                named += 1
    return named


def test_presenter_mode(present_server, page):
    server = present_server
    assert "--strip_sources=True" in server["command"]
    page.set_viewport_size(VIEWPORT)
    try:
        # The tree: every lesson is listed.
        page.goto(server["base"] + "/")
        wait_for(page, server, "name => document.body && document.body.innerText.includes(name)",
                 "09_playground.ipynb", "the tree of lessons")
        for lesson in sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")):
            assert lesson in page.locator("body").inner_text(), f"the tree does not list {lesson}"

        # A lesson: rendered with its explorer, and no code.
        page.goto(f"{server['base']}/voila/render/{LESSON}")
        wait_for(page, server, VOILA_DONE, 1, LESSON)
        text = page.locator("body").inner_text()
        for marker in ("Traceback", "Error displaying widget", "from conv2d_lib", "explore_padding("):
            assert marker not in text, f"{LESSON} in presenter mode shows {marker!r}"
        assert page.evaluate(CODE_SHOWN) == 0, "a code cell is shown"

        # The slider redraws the picture.
        page.evaluate(INSTALL_PROBES)
        explorers = page.evaluate(MARK_EXPLORERS)
        assert explorers, "no explorer on the page"
        controls = explorers[0]
        slider = chosen_controls(controls)[0]
        assert controls[slider]["kind"] == "slider"
        outcome = Driver(page, lab=False).move(0, slider, "slider")
        assert outcome["kind"] == "figure" and outcome["changed"], f"the figure did not change ({describe(outcome)})"

        # Legible from the back of the room.
        sizes = page.evaluate(FONT_SIZES)
        assert len(sizes) > 50, sizes
        small = [s for s in sizes if s["px"] < MIN_FONT_PX]
        assert not small, f"text under {MIN_FONT_PX} px: " + "; ".join(
            f"{s['px']:.0f} px {s['where']} {s['text']!r}" for s in small[:15])
        smallest = min(s["px"] for s in sizes)
        print(f"presenter mode: {len(sizes)} texts and controls, smallest font {smallest:.0f} px")

        # Every control of the explorer has an accessible name (its label, or its tooltip).
        box = page.locator('[data-explorer="0"]')
        assert name_every_control(box) >= 5, "fewer controls than the padding explorer has"

        box.scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "present-1280x720.png"))
    except BaseException:
        save_failure(page, "present")
        raise


def test_presenter_mode_names_the_kernel_grid(present_server, page):
    """Lesson 02's gallery: nine number boxes without a label, named by their tooltips."""
    page.set_viewport_size(VIEWPORT)
    try:
        page.goto(f"{present_server['base']}/voila/render/02_kernels.ipynb")
        wait_for(page, present_server, VOILA_DONE, 2, "02_kernels.ipynb")
        explorers = page.evaluate(MARK_EXPLORERS)
        boxes = page.locator(".widget-vbox .widget-text input[type=number]")
        assert boxes.count() >= 9, "the gallery's kernel grid is not on the page"
        expect(boxes.first).to_have_accessible_name(re.compile(r"kernel weight, row 0, column 0"))
        assert sum(name_every_control(page.locator(f'[data-explorer="{i}"]')) for i in range(len(explorers))) >= 15
    except BaseException:
        save_failure(page, "present-02")
        raise


def test_make_present_runs_this_command_from_notebooks():
    """No browser needed: the Makefile starts tools/present.py in notebooks/, and the command is checked."""
    recipe = (ROOT / "Makefile").read_text().split("\npresent:", 1)[1].split("\n\n", 1)[0]
    assert "cd notebooks && ../$(PY) ../tools/present.py" in recipe
    present = _present_module()
    command = present.command(8866)
    assert command[1:3] == ["-m", "voila"] and "--port=8866" in command and "--Voila.port_retries=0" in command
    assert f"--template={present.TEMPLATE}" in command
    template = present.TEMPLATE_ROOT / "voila" / "templates" / present.TEMPLATE
    assert (template / "index.html.j2").exists() and '"lab"' in (template / "conf.json").read_text()
    assert present.environment({"JUPYTER_PATH": "/x"})["JUPYTER_PATH"].split(os.pathsep) == [str(present.TEMPLATE_ROOT), "/x"]
    with pytest.raises(TypeError, match="port"):
        present.command("8866")
    with pytest.raises(ValueError, match="port"):
        present.command(0)
