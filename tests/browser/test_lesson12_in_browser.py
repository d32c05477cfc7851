"""Lesson 12 in JupyterLab: training starts and stops from its buttons, and the drawing grid answers.

After Run All (the lesson trains its network once, in its cell), the live training explorer's
**train** button starts a run on the kernel's event loop: its picture must keep changing while
it trains, the **stop** button must be answered (the picture stops changing, the kernel goes
idle), and no cell may show an error. Then a few cells of the drawing grid are clicked: the
network's answer (the picture and its message) changes with them.

Run: ``.venv/bin/python -m pytest tests/browser -k 12_tiny_cnn -v -s``.
"""

from __future__ import annotations

import time

from .conftest import shutdown_kernels
from .test_lessons_in_browser import (FIGURE_STATE, MARK_EXPLORERS, lab_state, open_notebook, run_all_from_menu,
                                      save_failure, screenshot)

LESSON = "12_tiny_cnn.ipynb"


def explorer_with_button(page, label):
    """The index of the explorer whose controls hold a button called ``label``."""
    count = len(page.evaluate(MARK_EXPLORERS))
    for index in range(count):
        if page.locator(f'[data-explorer="{index}"] button', has_text=label).count():
            return index
    raise AssertionError(f"no explorer on the page has a {label!r} button")


def hashes_for(page, index, seconds, enough=None):
    """The picture's distinct states over ``seconds`` (or until ``enough`` are seen), polled every 100 ms."""
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline and (enough is None or len(seen) < enough):
        state = page.evaluate(FIGURE_STATE, index)
        if state and (not seen or seen[-1] != state["hash"]):
            seen.append(state["hash"])
        page.wait_for_timeout(100)  # the polling interval
    return seen


def kernel_status(page):
    return (lab_state(page) or {}).get("kernel")


def test_train_and_stop_and_the_drawing_grid(lab, page):
    try:
        open_notebook(page, lab, LESSON)
        run_all_from_menu(page)
        errors = [f"code cell {i}: {e}" for i, c in enumerate(lab_state(page)["cells"]) if c.get("code")
                  for e in c["errors"]]
        assert not errors, "cells show errors:\n" + "\n".join(errors)
        page.wait_for_function("() => !document.querySelector('.jp-NotebookPanel').innerText"
                               ".includes('Loading widget...')", timeout=60_000)

        trainer = explorer_with_button(page, "train")
        box = page.locator(f'[data-explorer="{trainer}"]')
        box.scroll_into_view_if_needed()
        before = page.evaluate(FIGURE_STATE, trainer)["hash"]
        box.locator("button", has_text="train").first.click()
        # A whole run takes under 5 s on a quiet machine, so stop is pressed as soon as the picture
        # has changed three times (about half a second), while the run is surely still going.
        started = time.monotonic()
        running = hashes_for(page, trainer, 4.0, enough=4)
        watched = time.monotonic() - started
        message = box.locator(":scope > .widget-html").first
        assert len(running) >= 3 and running[-1] != before, \
            f"the picture changed only {len(running)} times in {watched:.1f} s of training"
        # The run is a task on the kernel's event loop: between two batches the kernel is idle to the
        # front end, so the buttons' messages get through. What shows it trains is the picture.
        stop = box.locator("button", has_text="stop").first
        clicked = time.monotonic()
        try:
            stop.click(timeout=10_000)
        except Exception as error:
            raise AssertionError(f"stop could not be pressed {watched:.1f} s into the run; the explorer says: "
                                 f"{message.inner_text()!r}") from error
        try:
            page.wait_for_function("(i) => document.querySelector(`[data-explorer=\"${i}\"] > .widget-html`)"
                                   ".innerText.includes('Stopped after')", arg=trainer, timeout=10_000, polling=50)
        except Exception as error:
            raise AssertionError(f"stop was not answered in 10 s; the explorer says: {message.inner_text()!r}") from error
        answered = time.monotonic() - clicked
        page.wait_for_timeout(500)  # the picture drawn as it stops
        after_stop = hashes_for(page, trainer, 3.0)
        assert len(after_stop) == 1, f"the picture went on changing after stop ({len(after_stop)} states in 3 s)"
        assert kernel_status(page) == "idle", "the kernel is still busy after stop"
        print(f"{LESSON}: stop answered in {answered * 1000:.0f} ms; {len(running)} pictures in {watched:.1f} s of training")
        screenshot(page, box, "12_tiny_cnn-training.png")

        drawing = explorer_with_button(page, "clear")
        box = page.locator(f'[data-explorer="{drawing}"]')
        box.scroll_into_view_if_needed()
        box.locator("button", has_text="clear").first.click()
        page.wait_for_function("(i) => document.querySelector(`[data-explorer=\"${i}\"] > .widget-html`)"
                               ".innerText.includes('empty')", arg=drawing, timeout=20_000)
        cells = box.locator(".widget-gridbox button")
        assert cells.count() == 64
        answers = set()
        for index in (12, 20, 28, 36, 44, 52, 11, 13):  # a vertical stroke, then a hook at its top
            shown = page.evaluate(FIGURE_STATE, drawing)["hash"]
            cells.nth(index).click()
            page.wait_for_function(f"async () => (await ({FIGURE_STATE})({drawing})).hash !== {shown!r}",
                                   timeout=20_000, polling=100)
            answers.add(box.locator(":scope > .widget-html").first.inner_text().split("Cells on")[0].strip())
        assert len(answers) >= 2, f"the answer did not follow the drawing: {answers}"
        screenshot(page, box, "12_tiny_cnn-drawing.png")
        errors = [f"code cell {i}: {e}" for i, c in enumerate(lab_state(page)["cells"]) if c.get("code")
                  for e in c["errors"]]
        assert not errors, "cells show errors:\n" + "\n".join(errors)
    except BaseException:
        save_failure(page, "12_tiny_cnn-buttons")
        raise
    finally:
        shutdown_kernels(lab)
