"""Every lesson, as a learner sees it: JupyterLab (and Voila) in Chromium, driven by Playwright.

For each ``notebooks/*.ipynb`` (found by glob, so a new lesson is tested as soon as
it exists) the JupyterLab test opens the notebook in a fresh workspace, waits for
a connected, idle kernel, runs all cells from the Run menu, waits until every code
cell has run (its execution count, read from the page), and asserts that no cell
shows an error. Then, for every explorer (an ipywidgets VBox holding controls, a
message and the PNG figure), it presses ArrowRight on each slider's handle and
asserts that the figure on the page changes (its bytes, not only its blob URL).
An explorer with no slider is moved with its dropdown (ArrowDown) or toggle buttons.
The first control is then moved many times to time the round trip in the browser,
from the key press to the new figure decoded and painted; the table of medians and
worsts is printed at the end and written to ``tests/browser/screenshots/latency.md``.

The Voila test serves each lesson with ``voila NOTEBOOK``, waits until every
"Loading widget..." placeholder is replaced, moves one control and checks the picture.

Run: ``.venv/bin/python -m pytest tests/browser -v -s`` (``make test-browser``). Needs Debian's
Chromium (``apt-get install -y chromium``) and the ``browser`` extra (Playwright, Voila); without
them the tests skip, and fail under ``CONV2D_REQUIRE_BROWSER=1`` (CI). ``CONV2D_ENFORCE_LATENCY=1``
turns the latency target into a failure; ``CONV2D_LATENCY_MOVES`` sets the timed moves (10 at least).
Waits are on the page's own state (kernel, execution counts, the picture's bytes),
never on a fixed sleep.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import statistics
import time
from pathlib import Path

import pytest

from .conftest import NOTEBOOKS, SCREENSHOTS, shutdown_kernels

MOVES = max(10, int(os.environ.get("CONV2D_LATENCY_MOVES", "10")))  # timed key presses per explorer
TARGET_MEDIAN_MS, TARGET_WORST_MS = 150.0, 300.0
# The latency target is reported; it fails a test only when asked (timings are noisy on shared machines).
ENFORCE_LATENCY = os.environ.get("CONV2D_ENFORCE_LATENCY") == "1"
RUN_ALL_TIMEOUT_MS = 240_000
MOVE_TIMEOUT_MS = 20_000
VOILA_TIMEOUT_S = 240.0
QUIET_MS = 250  # a picture has "stopped changing" when its bytes stay the same this long

LESSONS = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


def expected_explorers(lesson):
    """How many code cells call an ``explore_*`` function (00_start_here has none)."""
    cells = json.loads((NOTEBOOKS / lesson).read_text())["cells"]
    return sum(1 for c in cells if c["cell_type"] == "code"
               and re.search(r"\bexplore_\w+\(", "".join(c["source"])))


# ---------------------------------------------------------------------------------------------
# JavaScript run in the page. Explorers are found by shape: an ipywidgets VBox whose direct
# child is the figure (an ipywidgets Image) and which holds controls.
# ---------------------------------------------------------------------------------------------

MARK_EXPLORERS = """
() => {
  const boxes = [];
  for (const img of document.querySelectorAll('img.widget-image')) {
    const box = img.parentElement;
    if (box && box.classList.contains('widget-vbox') && !boxes.includes(box)) boxes.push(box);
  }
  const label = el => { const l = el.querySelector(':scope > .widget-label'); return l ? l.textContent.trim() : ''; };
  return boxes.map((box, i) => {
    box.setAttribute('data-explorer', String(i));
    box.querySelectorAll(':scope > img.widget-image').forEach(img => img.setAttribute('data-figure', String(i)));
    const controls = [];
    const add = (el, kind) => {
      el.setAttribute('data-control', i + '-' + controls.length);
      controls.push({kind, label: label(el)});
    };
    box.querySelectorAll('.widget-slider').forEach(el => add(el, 'slider'));
    box.querySelectorAll('.widget-dropdown').forEach(el => add(el, 'select'));
    box.querySelectorAll('.widget-toggle-buttons').forEach(el => add(el, 'toggle'));
    box.querySelectorAll('.widget-checkbox').forEach(el => add(el, 'checkbox'));
    return controls;
  });
}
"""

INSTALL_PROBES = """
() => {
  if (window.__conv2d) return true;
  const probe = window.__conv2d = {lastKey: 0};
  document.addEventListener('keydown', () => { probe.lastKey = performance.now(); }, true);
  return true;
}
"""

FIGURE_STATE = """
async (i) => {
  const img = document.querySelector(`img[data-figure="${i}"]`);
  if (!img || !img.src) return null;
  let hash = null;
  try {
    const bytes = await (await fetch(img.src)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-1', bytes);
    hash = [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('');
  } catch (e) { hash = 'unreadable:' + img.src; }
  const message = img.parentElement.querySelector(':scope > .widget-html');
  const app = window.jupyterapp, panel = app && app.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
                 && panel.sessionContext.session.kernel;
  return {src: img.src, hash, complete: img.complete && img.naturalWidth > 0,
          message: message ? message.innerText : '', kernel: kernel ? kernel.status : null};
}
"""

# Arm a watcher on figure i. It resolves when the picture's src changes and the new picture is
# decoded and painted (next animation frame), with the time since the last key press. The
# explorer writes its message just before its picture, so a new message alone counts only when
# no picture follows (a setting that cannot work shows words instead of a figure): then it
# resolves once the kernel is idle again (JupyterLab) or after a grace period (Voila).
ARM = """
(i) => {
  const img = document.querySelector(`img[data-figure="${i}"]`);
  const probe = window.__conv2d;
  const box = img.parentElement;
  const before = img.src;
  const message = () => { const m = box.querySelector(':scope > .widget-html'); return m ? m.innerHTML : ''; };
  const messageBefore = message();
  const kernelIdle = () => {
    const app = window.jupyterapp, panel = app && app.shell.currentWidget;
    const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
    return kernel ? kernel.status === 'idle' : null;
  };
  probe.pending = new Promise(resolve => {
    let finished = false, poll = null;
    const done = async (kind) => {
      if (finished) return;
      finished = true;
      observer.disconnect();
      if (poll) clearInterval(poll);
      const changedAt = performance.now();
      if (kind === 'figure') {
        try { await img.decode(); } catch (e) {}
        await new Promise(r => requestAnimationFrame(() => r()));
      }
      resolve({kind, ms: performance.now() - probe.lastKey, srcMs: changedAt - probe.lastKey});
    };
    const observer = new MutationObserver(() => {
      if (img.src !== before) return done('figure');
      if (!poll && message() !== messageBefore) {
        const since = performance.now();
        poll = setInterval(() => {
          if (img.src !== before) return done('figure');
          const idle = kernelIdle();
          if (idle === true || (idle === null && performance.now() - since > 2000)) done('message');
        }, 50);
      }
    });
    observer.observe(box, {attributes: true, childList: true, subtree: true, characterData: true});
  });
  return true;
}
"""

# Choose the next (or previous) option of a <select> and fire 'change', as a mouse pick does;
# the time of the pick counts as the "key press" of the round trip.
PICK_OPTION = """
(select, step) => {
  window.__conv2d.lastKey = performance.now();
  select.selectedIndex = Math.max(0, Math.min(select.options.length - 1, select.selectedIndex + step));
  select.dispatchEvent(new Event('change', {bubbles: true}));
}
"""

WAIT_ARMED = """
async (timeout) => Promise.race([
  window.__conv2d.pending,
  new Promise(r => setTimeout(() => r({kind: 'timeout'}), timeout)),
])
"""

# JupyterLab's own state (window.jupyterapp, exposed by --LabApp.expose_app_in_browser).
LAB_STATE = """
() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.sessionContext || !panel.content || !panel.content.widgets) return null;
  const session = panel.sessionContext.session;
  const kernel = session && session.kernel;
  const cells = panel.content.widgets.map(cell => {
    const model = cell.model;
    if (model.type !== 'code') return {code: false};
    const errors = model.outputs.toJSON().filter(o => o.output_type === 'error')
                                         .map(o => `${o.ename}: ${o.evalue}`);
    return {code: true, count: model.executionCount, errors,
            pending: cell.promptNode ? cell.promptNode.textContent.includes('*') : false};
  });
  return {
    ready: panel.sessionContext.isReady && panel.context.isReady,
    kernel: kernel ? kernel.status : null,
    connection: kernel ? kernel.connectionStatus : null,
    cells,
  };
}
"""

KERNEL_CONNECTED_IDLE = "s.ready && s.connection === 'connected' && s.kernel === 'idle'"
# Every code cell has its execution count (or a cell failed, which stops Run All), nothing queued.
ALL_RUN = ("s.connection === 'connected' && s.kernel === 'idle' && !s.cells.some(c => c.pending) && "
           "(s.cells.every(c => !c.code || c.count !== null) || s.cells.some(c => c.code && c.errors.length))")


def lab_state(page):
    return page.evaluate(LAB_STATE)


def wait_lab(page, condition, timeout_ms, what):
    """Wait on JupyterLab's state until ``condition`` (a JS expression on ``s``) holds."""
    js = f"() => {{ const s = ({LAB_STATE})(); return !!(s && ({condition})); }}"
    try:
        page.wait_for_function(js, timeout=timeout_ms, polling=100)
    except Exception as error:
        raise AssertionError(f"timed out waiting for {what}; state: {lab_state(page)}") from error


class Driver:
    """Moves the controls of the explorers on one page with the keyboard, and watches the figure."""

    def __init__(self, page, lab):
        self.page, self.lab = page, lab
        self.direction = {}  # per control: +1 (ArrowRight/ArrowDown) or -1
        self.settled = {}  # per explorer: the picture's last settled state
        self.keyboard_notes = set()  # controls the keyboard could not move

    def _focus_report(self):
        return self.page.evaluate("""() => {
          const a = document.activeElement;
          const app = window.jupyterapp, panel = app && app.shell.currentWidget;
          const nb = panel && panel.content;
          const name = a ? a.tagName.toLowerCase() + (a.className ? '.' + String(a.className).split(' ').join('.') : '') : 'none';
          return `focus now on <${name}>` +
                 (nb && nb.activeCellIndex !== undefined ? `, active cell ${nb.activeCellIndex}, mode ${nb.mode}` : '');
        }""")

    def figure(self, explorer):
        return self.page.evaluate(FIGURE_STATE, explorer)

    def settle(self, explorer):
        """Wait for an idle kernel (JupyterLab) and a picture whose bytes have stopped changing."""
        deadline = time.monotonic() + MOVE_TIMEOUT_MS / 1000
        last, since = None, time.monotonic()
        while time.monotonic() < deadline:
            state = self.figure(explorer)
            key = state and (state["hash"], state["complete"])
            if key != last:
                last, since = key, time.monotonic()
            elif (state and state["complete"] and (not self.lab or state["kernel"] == "idle")
                  and (time.monotonic() - since) * 1000 >= QUIET_MS):
                self.settled[explorer] = state
                return state
            self.page.wait_for_timeout(40)  # the polling interval of a state check
        raise AssertionError(f"explorer {explorer}: the picture never settled (last state {last})")

    def _key(self, explorer, control, kind):
        """Focus the control and choose the key that moves it one step (turning at the ends)."""
        root = self.page.locator(f'[data-control="{explorer}-{control}"]')
        step = self.direction.setdefault((explorer, control), +1)
        if kind == "slider":
            target = root.locator(".noUi-handle").first
            now, low, high = (float(target.get_attribute(a)) for a in
                              ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
            at_end = now >= high if step > 0 else now <= low
            keys = ("ArrowRight", "ArrowLeft")
            value = lambda: target.get_attribute("aria-valuenow")  # noqa: E731
        elif kind == "select":
            target = root.locator("select").first
            index, count = target.evaluate("s => [s.selectedIndex, s.options.length]")
            at_end = index >= count - 1 if step > 0 else index <= 0
            keys = ("ArrowDown", "ArrowUp")
            value = lambda: target.input_value()  # noqa: E731
        elif kind == "toggle":
            target = root.locator("button:not(.mod-active)").first
            at_end, keys = False, ("Space", "Space")
            value = lambda: root.locator("button.mod-active").first.inner_text()  # noqa: E731
        else:  # checkbox
            target = root.locator("input[type=checkbox]").first
            at_end, keys = False, ("Space", "Space")
            value = lambda: str(target.is_checked())  # noqa: E731
        if at_end:
            step = self.direction[(explorer, control)] = -step
        target.scroll_into_view_if_needed()
        target.focus()
        return target, keys[0] if step > 0 else keys[1], value

    def move(self, explorer, control, kind):
        """One key press on a control. Returns what the page showed, timed in the page."""
        before = self.settled.get(explorer) or self.settle(explorer)
        target, key, value = self._key(explorer, control, kind)
        value_before = value()
        self.page.evaluate(ARM, explorer)
        target.press(key)
        note = None
        if kind == "select" and value() == value_before:
            # JupyterLab binds ArrowUp/ArrowDown in command mode (move between cells) and takes
            # the key from a focused dropdown: choose the next option as a mouse would instead.
            note = f"{key} on the focused dropdown did not change it ({self._focus_report()})"
            self.keyboard_notes.add(note)
            target.evaluate(PICK_OPTION, 1 if key == "ArrowDown" else -1)
        outcome = self.page.evaluate(WAIT_ARMED, MOVE_TIMEOUT_MS)
        outcome["note"] = note
        self.settled.pop(explorer, None)
        after = self.settle(explorer) if outcome["kind"] != "timeout" else self.figure(explorer)
        outcome.update(key=key, value_before=value_before, value_after=value(), before=before, after=after,
                       changed=bool(before and after and before["hash"] != after["hash"]))
        return outcome


def describe(outcome):
    message = re.sub(r"\s+", " ", (outcome["after"] or {}).get("message", ""))[:300]
    return (f"{outcome['key']} moved it {outcome['value_before']} -> {outcome['value_after']}; "
            f"the page showed: {outcome['kind']}; message now: {message!r}")


def chosen_controls(controls):
    """Every slider; an explorer without one gets its first dropdown (not the image) or toggle."""
    sliders = [i for i, c in enumerate(controls) if c["kind"] == "slider"]
    if sliders:
        return sliders
    for kind in ("select", "toggle", "checkbox"):
        for i, c in enumerate(controls):
            if c["kind"] == kind and c["label"] != "image":
                return [i]
    return [i for i, c in enumerate(controls) if c["kind"] == "select"][:1]


def drive_explorers(driver, lesson, latency_table, moves):
    """Move the controls of every explorer; return the problems seen (empty when all is well)."""
    problems = []
    explorers = driver.page.evaluate(MARK_EXPLORERS)
    for index, controls in enumerate(explorers):
        chosen = chosen_controls(controls)
        if not chosen:
            problems.append(f"explorer {index} has no control the test can move ({controls})")
            continue
        if controls[chosen[0]]["kind"] != "slider":
            print(f"{lesson} explorer {index}: no slider; moving its {controls[chosen[0]]['kind']} "
                  f"{controls[chosen[0]]['label']!r} instead")
        for control in chosen:  # each once: the figure must change
            outcome = driver.move(index, control, controls[control]["kind"])
            name = f"explorer {index}, {controls[control]['kind']} {controls[control]['label']!r}"
            if outcome["kind"] == "timeout":
                problems.append(f"{name}: nothing on the page changed within {MOVE_TIMEOUT_MS} ms "
                                f"({describe(outcome)})")
            elif not outcome["changed"]:
                problems.append(f"{name}: the figure did not change ({describe(outcome)})")
        if not moves:
            continue
        first = chosen[0]
        timings, no_figure, notes = [], 0, []
        for _ in range(moves):  # the round trip, key press to new figure painted
            outcome = driver.move(index, first, controls[first]["kind"])
            if outcome["kind"] == "figure":
                timings.append(outcome["ms"])
            else:
                no_figure += 1
                notes.append(describe(outcome))
        latency_table.append({
            "lesson": lesson, "explorer": index, "control": controls[first]["label"] or controls[first]["kind"],
            "moves": len(timings), "no_figure": no_figure, "timings": timings,
            "median": statistics.median(timings) if timings else float("nan"),
            "worst": max(timings) if timings else float("nan"),
        })
        if no_figure:
            print(f"{lesson} explorer {index}: {no_figure} of {moves} moves gave no new figure:\n  "
                  + "\n  ".join(notes[:3]))
        if ENFORCE_LATENCY and timings and not (statistics.median(timings) < TARGET_MEDIAN_MS
                                                and max(timings) < TARGET_WORST_MS):
            problems.append(f"explorer {index}: latency over target: {[round(t) for t in timings]} ms")
    return explorers, problems


def screenshot(page, element, name):
    """A picture of ``element`` whole (the page when None) into tests/browser/screenshots/.

    JupyterLab and Voila scroll inside their own panels, so a full-page shot shows only the
    window: the window is made tall enough for the element instead.
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    if element is None:
        page.screenshot(path=str(SCREENSHOTS / name))
        return
    height = element.evaluate("e => e.getBoundingClientRect().height")
    page.set_viewport_size({"width": 1400, "height": int(max(1000, height + 200))})
    element.scroll_into_view_if_needed()
    element.screenshot(path=str(SCREENSHOTS / name))


def save_failure(page, name):
    with contextlib.suppress(Exception):
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-FAILED.png"), full_page=True)


# ---------------------------------------------------------------------------------------------
# JupyterLab
# ---------------------------------------------------------------------------------------------

# The explorers keep the duration of every refresh (compute, draw, PNG) in Explorer.timings_ms;
# those shown by a cell's last expression are in IPython's Out, in the order of the page.
KERNEL_TIMINGS_CODE = (
    "import json as _conv2d_json\n"
    "print(_conv2d_json.dumps([list(v.timings_ms) for _, v in sorted(Out.items()) "
    "if hasattr(v, 'timings_ms')]))\n"
)
RUN_QUIETLY = """
async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  let text = '';
  const future = kernel.requestExecute({code, silent: false, store_history: false});
  future.onIOPub = msg => { if (msg.header.msg_type === 'stream') text += msg.content.text; };
  await future.done;
  return text;
}
"""


def add_kernel_timings(page, rows):
    """Add to each latency row the kernel's own refresh time for the same moves (median, ms)."""
    try:
        timings = json.loads(page.evaluate(RUN_QUIETLY, KERNEL_TIMINGS_CODE).strip().splitlines()[-1])
    except Exception as error:  # a report column, not a test: say why it is missing
        print(f"kernel timings unavailable: {error}")
        return
    for row in rows:
        if row["explorer"] < len(timings) and len(timings[row["explorer"]]) >= MOVES:
            row["kernel_median"] = statistics.median(timings[row["explorer"]][-MOVES:])


MARKDOWN_IMAGES = ".jp-MarkdownCell .jp-RenderedMarkdown img"
# Pictures the server itself serves; the badges (Colab, Binder) come from their own sites, which
# the suite, run offline, cannot reach (tests/test_routes.py checks their addresses and alt text).
BROKEN_IMAGES = f"""
() => [...document.querySelectorAll({MARKDOWN_IMAGES!r})]
        .filter(img => new URL(img.src, location.href).origin === location.origin)
        .filter(img => img.complete && img.naturalWidth === 0)
        .map(img => img.getAttribute('src').split('?')[0])
"""


def open_notebook(page, lab, name):
    page.goto(f"{lab['base']}/lab/tree/{name}?reset&token={lab['token']}")
    page.wait_for_function("() => !!window.jupyterapp", timeout=120_000)
    page.evaluate(INSTALL_PROBES)
    # The kernel indicator says "idle" before the kernel is connected: wait for both.
    wait_lab(page, KERNEL_CONNECTED_IDLE, 120_000, "the notebook with a connected, idle kernel")


def run_all_from_menu(page):
    page.locator("#jp-MainMenu .lm-MenuBar-item", has_text="Run").first.click()
    label = page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$"))
    page.locator(".lm-Menu .lm-Menu-item").filter(has=label).click()
    wait_lab(page, ALL_RUN, RUN_ALL_TIMEOUT_MS, "every cell to run")


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_in_jupyterlab(lesson, lab, page, latency_table):
    stem = Path(lesson).stem
    try:
        open_notebook(page, lab, lesson)
        run_all_from_menu(page)
        state = lab_state(page)
        errors = [f"code cell {i}: {e}" for i, c in enumerate(state["cells"]) if c.get("code")
                  for e in c["errors"]]
        assert not errors, f"{lesson}: cells show errors:\n" + "\n".join(errors)
        not_run = [i for i, c in enumerate(state["cells"]) if c.get("code") and c["count"] is None]
        assert not not_run, f"{lesson}: code cells {not_run} did not run"
        notebook = page.locator(".jp-NotebookPanel").first
        page.wait_for_function("() => !document.querySelector('.jp-NotebookPanel').innerText"
                               ".includes('Loading widget...')", timeout=60_000)
        broken = notebook.get_by_text("Error displaying widget").count()
        assert broken == 0, f"{lesson}: {broken} widgets failed to display"
        page.wait_for_function(f"() => [...document.querySelectorAll({MARKDOWN_IMAGES!r})]"
                               ".every(img => img.complete)", timeout=30_000)
        problems = []
        missing = page.evaluate(BROKEN_IMAGES)
        if missing:
            problems.append(f"pictures in the text do not load in JupyterLab: {missing}")

        driver = Driver(page, lab=True)
        first_row = len(latency_table)
        explorers, explorer_problems = drive_explorers(driver, lesson, latency_table, MOVES)
        problems += explorer_problems
        add_kernel_timings(page, latency_table[first_row:])
        for note in sorted(driver.keyboard_notes):
            print(f"{lesson}: keyboard: {note}")
        SCREENSHOTS.mkdir(exist_ok=True)
        if explorers:  # the first explorer's cell: its code, controls, message and figure
            cell = page.locator('[data-explorer="0"]').locator("xpath=ancestor::div[contains(@class,'jp-Cell ')][1]")
            screenshot(page, cell, f"{stem}.png")
        else:
            screenshot(page, None, f"{stem}.png")
        wanted = expected_explorers(lesson)
        assert len(explorers) >= wanted, \
            f"{lesson}: {wanted} cells call explore_...() but {len(explorers)} explorers are on the page"
        assert not problems, f"{lesson}:\n" + "\n".join(problems)
    except BaseException:
        save_failure(page, stem)
        raise
    finally:
        shutdown_kernels(lab)


# ---------------------------------------------------------------------------------------------
# Voila
# ---------------------------------------------------------------------------------------------

# Voila has rendered the notebook and its widgets: the page is loaded, no "Loading widget..."
# placeholder is left, and at least as many explorer pictures as the lesson makes are shown.
VOILA_DONE = """
(explorers) => document.readyState === 'complete' && !!document.body &&
  !document.body.innerText.includes('Loading widget...') &&
  [...document.querySelectorAll('img.widget-image')].filter(img => img.complete && img.naturalWidth > 0
     && img.parentElement.classList.contains('widget-vbox')).length >= explorers
"""


def open_in_voila(page, server, explorers):
    """Navigate, and wait for the rendered page; fail at once if the server logs a traceback."""
    page.goto("about:blank")
    page.evaluate("u => setTimeout(() => { location.href = u; }, 0)", server["base"] + "/")
    deadline = time.monotonic() + VOILA_TIMEOUT_S
    while time.monotonic() < deadline:
        log = Path(server["log"]).read_text(errors="replace")
        if "Traceback (most recent call last)" in log:
            trace = log[log.index("Traceback"):].strip().splitlines()
            raise AssertionError("voila failed while rendering the notebook; its log ends:\n"
                                 + "\n".join(trace[:1] + ["  ..."] + trace[-7:]))
        with contextlib.suppress(Exception):
            if page.url.startswith(server["base"]) and page.evaluate(VOILA_DONE, explorers):
                return
        page.wait_for_timeout(200)  # polling interval of the state checks above
    raise AssertionError(f"voila page not ready within {VOILA_TIMEOUT_S:.0f} s")


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_in_voila(lesson, voila_server, page):
    stem = Path(lesson).stem
    server = voila_server(lesson)
    try:
        open_in_voila(page, server, expected_explorers(lesson))
        page.evaluate(INSTALL_PROBES)
        text = page.locator("body").inner_text()
        for marker in ("Traceback (most recent call last)", "There was an error when executing cell",
                       "Error displaying widget"):
            assert marker not in text, f"{lesson} in Voila shows {marker!r}:\n{text[text.index(marker):][:1500]}"
        driver = Driver(page, lab=False)
        explorers = page.evaluate(MARK_EXPLORERS)
        wanted = expected_explorers(lesson)
        assert len(explorers) >= wanted, \
            f"{lesson} in Voila: {wanted} cells call explore_...() but {len(explorers)} explorers are on the page"
        for index, controls in enumerate(explorers[:1]):
            control = chosen_controls(controls)[0]
            outcome = driver.move(index, control, controls[control]["kind"])
            assert outcome["kind"] == "figure" and outcome["changed"], \
                f"{lesson} in Voila, explorer {index}: the figure did not change ({describe(outcome)})"
        screenshot(page, page.locator('[data-explorer="0"]') if explorers else None, f"{stem}-voila.png")
    except BaseException:
        save_failure(page, f"{stem}-voila")
        raise
