"""Lesson 11 in JupyterLab and Voila: the run button trains live, and the pause button stops it.

The generic test (test_lessons_in_browser.py) moves the lesson's slider and menu; this one
unticks momentum (so the run lasts), presses **run**, sees the loss curve's picture change again and again while the kernel keeps
answering, presses **pause**, and sees the picture stop changing. The run is an asyncio task
on the kernel's event loop: if it held the loop, the pause would never be heard.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from .conftest import SCREENSHOTS, shutdown_kernels
from .test_lessons_in_browser import (FIGURE_STATE, INSTALL_PROBES, MARK_EXPLORERS, expected_explorers, lab_state,
                                      open_in_voila, open_notebook, run_all_from_menu, save_failure, screenshot)

LESSON = "11_learning_a_kernel.ipynb"
WATCH_S = 30.0  # at most this long for the pictures a live run draws
STILL_S = 2.0  # a paused run's picture stays the same this long


def figure(page):
    return page.evaluate(FIGURE_STATE, 0)


def message(page):
    return re.sub(r"\s+", " ", (figure(page) or {}).get("message", ""))


def run_and_pause(page, idle):
    """Momentum off, run: the picture changes again and again; pause: it stops. ``idle`` is a JS test on the state."""
    # Plain gradient descent (momentum off) takes thousands of steps: the run goes on until paused.
    opened = figure(page)["hash"]
    momentum = page.locator('[data-explorer="0"] input[type=checkbox]').first
    momentum.scroll_into_view_if_needed()
    momentum.click()
    page.wait_for_function(f"(h) => (({FIGURE_STATE})(0)).then(s => s && s.hash !== h && " + idle + ")",
                           arg=opened, timeout=20_000, polling=100)
    button = page.locator('[data-explorer="0"] button', has_text=re.compile(r"^\s*run\s*$")).first
    before = figure(page)
    assert "paused" in message(page), message(page)

    # Run: the picture changes several times while the cell's run goes on in the background.
    button.click()
    seen, deadline = {before["hash"]}, time.monotonic() + WATCH_S
    while len(seen) < 4 and time.monotonic() < deadline:
        state = figure(page)
        if state and state["complete"]:
            seen.add(state["hash"])
        page.wait_for_timeout(50)  # the polling interval of the picture
    assert len(seen) >= 4, f"the loss curve changed {len(seen) - 1} times in {WATCH_S:.0f} s of running"
    # The speed joins the words once the run has timed a fifth of a second of steps; the first
    # pictures can come before that.
    try:
        page.wait_for_function(f"() => (({FIGURE_STATE})(0)).then(s => s && s.message.includes('steps per second'))",
                               timeout=10_000, polling=100)
    except Exception:
        raise AssertionError(f"no speed in the words after 10 s of running: {message(page)}") from None

    # Pause: the kernel hears it between two batches of steps, and the picture stops changing.
    pause = page.locator('[data-explorer="0"] button', has_text=re.compile(r"^\s*pause\s*$")).first
    pause.click()
    page.wait_for_function(f"() => (({FIGURE_STATE})(0)).then(s => s && s.message.includes('paused')"
                           " && " + idle + ")", timeout=20_000, polling=100)
    # The message comes just before the last picture (the run as it stopped): let that one arrive.
    page.wait_for_timeout(1000)  # the last picture's round trip, well within a second
    still, since = figure(page)["hash"], time.monotonic()
    while time.monotonic() - since < STILL_S:
        now = figure(page)
        assert now["hash"] == still, "the picture kept changing after pause"
        page.wait_for_timeout(100)  # the polling interval of the picture
    assert "diverged" not in message(page) and "went wrong" not in message(page), message(page)


def test_run_trains_live_and_pause_stops_it(lab, page):
    stem = Path(LESSON).stem
    try:
        open_notebook(page, lab, LESSON)
        run_all_from_menu(page)
        state = lab_state(page)
        errors = [f"code cell {i}: {e}" for i, c in enumerate(state["cells"]) if c.get("code") for e in c["errors"]]
        assert not errors, "cells show errors:\n" + "\n".join(errors)
        page.wait_for_function("() => !document.querySelector('.jp-NotebookPanel').innerText"
                               ".includes('Loading widget...')", timeout=60_000)
        explorers = page.evaluate(MARK_EXPLORERS)
        assert explorers, "no explorer on the page"
        run_and_pause(page, idle="s.kernel === 'idle'")

        notebook = page.locator(".jp-NotebookPanel").first
        text = notebook.inner_text()
        for marker in ("Traceback (most recent call last)", "Error displaying widget", "RuntimeWarning"):
            assert marker not in text, f"the page shows {marker!r}"
        errors = [f"code cell {i}: {e}" for i, c in enumerate(lab_state(page)["cells"]) if c.get("code")
                  for e in c["errors"]]
        assert not errors, "cells show errors after the run:\n" + "\n".join(errors)
        SCREENSHOTS.mkdir(exist_ok=True)
        cell = page.locator('[data-explorer="0"]').locator("xpath=ancestor::div[contains(@class,'jp-Cell ')][1]")
        screenshot(page, cell, f"{stem}-after-a-live-run.png")
    except BaseException:
        save_failure(page, f"{stem}-live")
        raise
    finally:
        shutdown_kernels(lab)


def test_run_and_pause_in_voila(voila_server, page):
    """The same in Voila (the presenter's page): its kernel answers pause while the run goes on."""
    stem = Path(LESSON).stem
    server = voila_server(LESSON)
    try:
        open_in_voila(page, server, expected_explorers(LESSON))
        page.evaluate(INSTALL_PROBES)
        assert page.evaluate(MARK_EXPLORERS), "no explorer on the page"
        run_and_pause(page, idle="true")
        text = page.locator("body").inner_text()
        for marker in ("Traceback (most recent call last)", "Error displaying widget", "RuntimeWarning"):
            assert marker not in text, f"the Voila page shows {marker!r}"
    except BaseException:
        save_failure(page, f"{stem}-voila-live")
        raise
