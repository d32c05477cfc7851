"""Uploads as a learner makes them: the file picker of every explorer's button, in Chromium.

One notebook, written into the JupyterLab server's folder for this test, shows one explorer
of each kind (every ``explore_*`` function with an upload button). For each, the test clicks
the button, answers the file chooser Playwright intercepts, and checks the words that appear
next to the button for a file that is not a picture, a 12 MB file (over the button's 8 MB and
over the 10 MiB a default server takes in one message: the suite's servers take 64 MiB, as
``make lab`` does; the file is made in the page and given to the same file input, since
Playwright's driver takes seconds to carry megabytes), and a 1 x 1 picture; then that a good
picture still changes the figure, and (on three explorers whose buttons sit in different
layouts) that the same file picked once more is taken again. A Voila page gets the same round.

Run: ``.venv/bin/python -m pytest tests/browser/test_uploads_in_browser.py -v -s``.
Screenshots of the messages land in ``tests/browser/screenshots/uploads-*.png``.
"""

from __future__ import annotations

import io
import time

import nbformat
import numpy as np
import pytest

from conv2d_lib.widgets._sources import UPLOAD_LIMIT_MB

from .conftest import SCREENSHOTS, shutdown_kernels
from .test_lessons_in_browser import (FIGURE_STATE, INSTALL_PROBES, MARK_EXPLORERS, open_in_voila, open_notebook,
                                      run_all_from_menu, lab_state, save_failure, screenshot)

# One of each kind, in the order the notebook shows them.
KINDS = ["explore_channels_of_image", "explore_image_patch", "explore_cross_correlation", "explore_kernel_gallery",
         "explore_padding", "explore_stride", "explore_bias", "explore_channels", "explore_output_channels",
         "explore_stacking", "explore_timing", "explore_playground"]
NOTEBOOK = "uploads_check.ipynb"
MESSAGE_TIMEOUT_MS = 60_000
SCREENSHOT_OF = (3, 4, 11)  # the gallery, padding and playground explorers: three layouts of the button


def picture_bytes(array, fmt="PNG"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=fmt)
    return buffer.getvalue()


def photo(height, width):
    """A smooth colour picture (a small file as JPEG), uint8 (height, width, 3)."""
    rows, cols = np.mgrid[0:height, 0:width]
    return np.stack([rows * 255 // height, cols * 255 // width, (rows + cols) * 255 // (height + width)],
                    axis=-1).astype(np.uint8)


rng = np.random.default_rng(3)
FILES = {
    "not a picture": {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"a shopping list, not a picture\n"},
    "huge": {"name": "huge.jpg", "mimeType": "image/jpeg", "size": 12_000_000},  # made in the page: see pick
    "1x1": {"name": "dot.png", "mimeType": "image/png", "buffer": picture_bytes(np.full((1, 1, 3), 90, np.uint8))},
    "good": {"name": "noise.png", "mimeType": "image/png",
             "buffer": picture_bytes(rng.integers(0, 256, (48, 64, 3), dtype=np.uint8))},
    "photo": {"name": "camera.jpg", "mimeType": "image/jpeg", "buffer": picture_bytes(photo(3000, 4000), "JPEG")},
}
EXPECTED = {
    "not a picture": "notes.txt was not used. That file is not a picture Pillow can read (PNG, JPEG",
    "huge": f"That picture is 12 MB; the limit is {UPLOAD_LIMIT_MB} MB",
    "1x1": "1 x 1 pixels",
    "good": "Using noise.png: 64 x 48 pixels",
    "photo": "Your 4000 x 3000 picture was shrunk to 250 x 188 so the sliders stay quick",
}

STATUS_TEXT = """
(i) => {
  const box = document.querySelector(`[data-explorer="${i}"]`);
  const status = box && box.querySelector('.conv2d-upload-status');
  return status ? status.innerText : null;
}
"""


def write_notebook(folder):
    cells = [nbformat.v4.new_code_cell("import conv2d_lib.widgets as w")]
    cells += [nbformat.v4.new_code_cell(f"w.{kind}()") for kind in KINDS]
    notebook = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(notebook, str(folder / NOTEBOOK))


# A file of ``size`` zero bytes, made in the page and handed to the file input the chooser opened.
MADE_IN_PAGE = """
(input, file) => {
  const chosen = new DataTransfer();
  chosen.items.add(new File([new Uint8Array(file.size)], file.name, {type: file.mimeType}));
  input.files = chosen.files;
  input.dispatchEvent(new Event('change', {bubbles: true}));
}
"""


def pick(page, explorer, file):
    """Click the explorer's upload button and give the file chooser ``file``, as a learner does.

    ``file`` holds a name, a mimeType and either the bytes (``buffer``) or a ``size``: Playwright
    sends a buffer through its driver, which takes seconds per megabyte, so a large file is made
    in the page and given to the same file input.
    """
    button = page.locator(f'[data-explorer="{explorer}"] .widget-upload').first
    button.scroll_into_view_if_needed()
    with page.expect_file_chooser() as chooser:
        button.click()
    if "size" in file:
        chooser.value.element.evaluate(MADE_IN_PAGE, file)
    else:
        chooser.value.set_files(file)


def wait_for_status(page, explorer, words, before):
    """Wait until the words next to the button change from ``before`` and contain ``words``."""
    try:
        page.wait_for_function(f"(a) => {{ const t = ({STATUS_TEXT})(a[0]); return t !== null && t !== a[1] "
                               f"&& t.includes(a[2]); }}", arg=[explorer, before, words],
                               timeout=MESSAGE_TIMEOUT_MS, polling=100)
    except Exception as error:
        raise AssertionError(f"explorer {explorer}: {words!r} never appeared next to the button; it says "
                             f"{page.evaluate(STATUS_TEXT, explorer)!r}") from error
    return page.evaluate(STATUS_TEXT, explorer)


def wait_for_new_figure(page, explorer, before_hash):
    page.wait_for_function(f"async (a) => {{ const s = await ({FIGURE_STATE})(a[0]); "
                           f"return s && s.complete && s.hash !== a[1]; }}", arg=[explorer, before_hash],
                           timeout=MESSAGE_TIMEOUT_MS, polling=200)


def upload_round(page, explorer, kernel_connected=None, again=True):
    """The four files, then (``again``) the good one once more; returns the problems seen."""
    problems = []
    status = page.evaluate(STATUS_TEXT, explorer)
    if status is None or f"up to {UPLOAD_LIMIT_MB} MB" not in status:
        return [f"explorer {explorer}: the limit is not said next to the button before an upload ({status!r})"]
    for kind in ("not a picture", "huge", "1x1"):
        pick(page, explorer, FILES[kind])
        status = wait_for_status(page, explorer, EXPECTED[kind], status)
        if kernel_connected is not None and not kernel_connected():
            problems.append(f"explorer {explorer}: the kernel connection dropped after the {kind} file")
        if kind == "huge" and explorer in SCREENSHOT_OF:
            screenshot(page, page.locator(f'[data-explorer="{explorer}"]'), f"uploads-{explorer}-huge.png")
    before = page.evaluate(FIGURE_STATE, explorer)["hash"]
    pick(page, explorer, FILES["good"])
    status = wait_for_status(page, explorer, EXPECTED["good"], status)
    try:
        wait_for_new_figure(page, explorer, before)
    except Exception:
        problems.append(f"explorer {explorer}: a good picture after the refused ones did not change the figure")
    if again:  # the same file once more: the button must take it (the words go away and come back)
        pick(page, explorer, FILES["not a picture"])
        status = wait_for_status(page, explorer, EXPECTED["not a picture"], status)
        pick(page, explorer, FILES["good"])
        wait_for_status(page, explorer, EXPECTED["good"], status)
    return problems


@pytest.fixture
def upload_notebook(lab):
    write_notebook(lab["root"])
    try:
        yield NOTEBOOK
    finally:
        (lab["root"] / NOTEBOOK).unlink(missing_ok=True)


def test_uploads_in_every_explorer(lab, page, upload_notebook):
    try:
        open_notebook(page, lab, upload_notebook)
        run_all_from_menu(page)
        errors = [e for c in lab_state(page)["cells"] if c.get("code") for e in c["errors"]]
        assert not errors, f"cells show errors: {errors}"
        page.wait_for_function("() => !document.querySelector('.jp-NotebookPanel').innerText"
                               ".includes('Loading widget...')", timeout=60_000)
        page.evaluate(INSTALL_PROBES)
        explorers = page.evaluate(MARK_EXPLORERS)
        assert len(explorers) == len(KINDS), f"{len(KINDS)} explorers expected, {len(explorers)} on the page"

        def connected():
            state = lab_state(page)
            return bool(state and state["connection"] == "connected")

        problems = []
        for index in range(len(explorers)):
            start = time.monotonic()
            # Every explorer shares the button's code: the same file twice is checked on three layouts.
            problems += upload_round(page, index, connected, again=index in SCREENSHOT_OF)
            print(f"{KINDS[index]}: uploads answered in {time.monotonic() - start:.1f} s")
        pick(page, 4, FILES["not a picture"])  # the padding explorer, for a picture of the words
        wait_for_status(page, 4, EXPECTED["not a picture"], None)
        screenshot(page, page.locator('[data-explorer="4"]'), "uploads-4-not-a-picture.png")
        pick(page, 4, FILES["photo"])
        wait_for_status(page, 4, EXPECTED["photo"], None)
        screenshot(page, page.locator('[data-explorer="4"]'), "uploads-4-shrunk.png")
        assert not problems, "\n".join(problems)
    except BaseException:
        save_failure(page, "uploads")
        raise
    finally:
        shutdown_kernels(lab)


def test_uploads_in_voila(voila_server, page):
    server = voila_server("03_padding.ipynb")
    try:
        open_in_voila(page, server, 1)
        page.evaluate(INSTALL_PROBES)
        page.evaluate(MARK_EXPLORERS)
        problems = upload_round(page, 0)
        screenshot(page, page.locator('[data-explorer="0"]'), "uploads-voila.png")
        assert not problems, "\n".join(problems)
    except BaseException:
        save_failure(page, "uploads-voila")
        raise
