"""Fixtures of the browser suite: a JupyterLab server, Debian's Chromium and Playwright.

Everything here is started by the tests themselves and stopped by process id (the
whole process group) in ``finally`` blocks, so a failing test leaves nothing behind:

* ``lab``: JupyterLab on 127.0.0.1, a free port and a random token, serving a
  temporary copy of ``notebooks/`` (the checkout stays clean), with its own
  settings (cell windowing off, autosave off, no news), workspaces and checkpoints
  in the same temporary folder.
* ``browser``: ``/usr/bin/chromium`` started headless with the flags a closed
  network needs and a fresh ``--user-data-dir``; Playwright for Python attaches to
  it over the DevTools protocol (so the test knows, and kills, the browser's pid).
* ``voila_server``: a factory that starts ``voila NOTEBOOK`` the same way.

Without Chromium or Playwright the tests skip, saying why; with
``CONV2D_REQUIRE_BROWSER=1`` (CI) they fail instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"  # ignored by git
CHROMIUM = Path(os.environ.get("CONV2D_CHROMIUM", "/usr/bin/chromium"))
REQUIRE = os.environ.get("CONV2D_REQUIRE_BROWSER") == "1"

# The flags Chromium needs on this closed network (see the machine notes).
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,1000", "--hide-scrollbars",
]

SERVER_START_S = 120.0
# The browser sends an uploaded file to the kernel in one websocket message, and tornado drops the
# connection on a message over 10 MiB unless told otherwise. The servers here accept 64 MiB, as
# `make lab` does, so that a file over the upload button's limit reaches the kernel and gets words.
WEBSOCKET_MAX_MESSAGE_BYTES = 64 * 2**20
TORNADO_SETTINGS = json.dumps({"websocket_max_message_size": WEBSOCKET_MAX_MESSAGE_BYTES})
BROWSER_START_S = 60.0

# JupyterLab settings for the test server (user settings, in a temporary folder).
LAB_SETTINGS = {
    # Every cell stays in the page, scrolled into view or not.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # Nothing writes to the notebook while the test runs.
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    # No "get notified about Jupyter news?" pop-up, no update check.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the lessons in Chromium (tests/browser)")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _missing(reason):
    """Skip, or fail when CONV2D_REQUIRE_BROWSER=1 says the browser suite must run."""
    if REQUIRE:
        pytest.fail(f"{reason} (CONV2D_REQUIRE_BROWSER=1 demands the browser suite)", pytrace=False)
    pytest.skip(reason)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid):
    """(parent id, start time) of a process, from /proc; None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[1]), fields[19]
    except (OSError, ValueError, IndexError):
        return None


def descendants(pid):
    """(id, start time) of every process below ``pid``, read from /proc."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(entry.name)):
            children.setdefault(stat[0], []).append((int(entry.name), stat[1]))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child[0])
    return found


def kill_group(process, timeout=10.0):
    """Stop a process we started, its process group, and any descendant that left the group.

    SIGTERM first (JupyterLab and Voila then shut their kernels down), SIGKILL after ``timeout``.
    Kernels run in sessions of their own, so their ids are collected before the server goes.
    """
    if process is None:
        return
    below = descendants(process.pid) if process.poll() is None else []
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(wait)
            break
        except subprocess.TimeoutExpired:
            continue
    for pid, started in below:  # whatever outlived its parent (the same process, not a reused id)
        stat = _stat(pid)
        if stat and stat[1] == started:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


def wait_for_http(url, process, timeout, log=None):
    """Wait until ``url`` answers 200 (the server is up), or fail with the server's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s:\n{_tail(log)}")


def _tail(log, lines=40):
    if log is None or not Path(log).exists():
        return ""
    return "\n".join(Path(log).read_text(errors="replace").splitlines()[-lines:])


def server_env(home):
    """An environment that keeps Jupyter's config, data and runtime files in ``home``."""
    env = dict(os.environ)
    env.update({
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    env.pop("JUPYTER_TOKEN", None)
    return env


def copy_notebooks(target):
    """A throw-away copy of notebooks/ (plus assets/, which lesson code may open as ../assets)."""
    shutil.copytree(NOTEBOOKS, target / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    if (ROOT / "assets").is_dir():
        shutil.copytree(ROOT / "assets", target / "assets")
    return target / "notebooks"


@pytest.fixture(scope="session")
def tools():
    """Chromium and Playwright, or a skip (a failure under CONV2D_REQUIRE_BROWSER=1)."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is missing: pip install -e '.[browser]'")
    for module in ("jupyterlab", "voila"):
        try:
            __import__(module)
        except ImportError:
            _missing(f"{module} is missing: pip install -e '.[browser]'")
    return sync_playwright


@pytest.fixture(scope="session")
def workdir():
    """One temporary folder for the whole run: server root, settings, profiles."""
    path = Path(tempfile.mkdtemp(prefix="conv2d-browser-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def lab(tools, workdir):
    """A JupyterLab server on a temporary copy of notebooks/: yields its base url, token and folder."""
    home = workdir / "lab"
    home.mkdir()
    root = copy_notebooks(home)
    settings = home / "user-settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    # No announcements fetched from the internet, no update check (JSON config: null is None).
    (home / "config").mkdir()
    (home / "config" / "jupyter_server_config.json").write_text(json.dumps({"LabApp": {
        "news_url": None, "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate"}}))
    port, token = free_port(), secrets.token_hex(16)
    log = home / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={home / 'workspaces'}",
        f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: the test reads the page's state
        f"--ServerApp.tornado_settings={TORNADO_SETTINGS}",
    ]
    process = None
    with open(log, "wb") as out:
        try:
            process = subprocess.Popen(command, cwd=root, env=server_env(home), stdout=out,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
            base = f"http://127.0.0.1:{port}"
            wait_for_http(f"{base}/api/status?token={token}", process, SERVER_START_S, log)
            yield {"base": base, "token": token, "root": root, "log": log, "pid": process.pid}
        finally:
            kill_group(process)


def shutdown_kernels(lab):
    """Delete every session (and so kernel) this test run started on the lab server."""
    headers = {"Authorization": f"token {lab['token']}"}
    base = lab["base"]
    try:
        with urllib.request.urlopen(urllib.request.Request(f"{base}/api/sessions", headers=headers),
                                    timeout=10) as answer:
            sessions = json.load(answer)
        for session in sessions:
            request = urllib.request.Request(f"{base}/api/sessions/{session['id']}",
                                             headers=headers, method="DELETE")
            with contextlib.suppress(urllib.error.URLError):
                urllib.request.urlopen(request, timeout=30).close()
    except (urllib.error.URLError, OSError):
        pass


@pytest.fixture(scope="session")
def browser(tools, workdir):
    """Debian's Chromium, started by us (pid known), with Playwright attached over CDP."""
    profile = workdir / "chromium-profile"
    profile.mkdir()
    log = workdir / "chromium.log"
    command = [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
               "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank"]
    process = playwright = None
    with open(log, "wb") as out:
        try:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
            endpoint = _devtools_endpoint(profile, process, log)
            playwright = tools().start()
            connected = playwright.chromium.connect_over_cdp(endpoint, timeout=BROWSER_START_S * 1000)
            yield connected
        finally:
            if playwright is not None:
                with contextlib.suppress(Exception):
                    playwright.stop()
            kill_group(process)


def _devtools_endpoint(profile, process, log):
    """Chromium writes its DevTools port to DevToolsActivePort in the profile once it listens."""
    deadline = time.monotonic() + BROWSER_START_S
    port_file = profile / "DevToolsActivePort"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Chromium exited with {process.returncode}:\n{_tail(log)}")
        if port_file.exists():
            lines = port_file.read_text().split()
            if len(lines) >= 2 and re.fullmatch(r"\d+", lines[0]):
                return f"http://127.0.0.1:{lines[0]}"
        time.sleep(0.1)
    raise RuntimeError(f"Chromium did not open its DevTools port within {BROWSER_START_S:.0f} s:\n"
                       f"{_tail(log)}")


@pytest.fixture
def page(browser, request):
    """A fresh browser context and page per test; console errors are kept for the report."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(f"pageerror: {e}"))
    try:
        yield page
    finally:
        with contextlib.suppress(Exception):
            context.close()


@pytest.fixture
def voila_server(tools, workdir):
    """Start ``voila NOTEBOOK`` on a free port (a factory); every server is stopped at teardown."""
    started = []

    def start(notebook_name):
        # A fresh folder per server: the fixture is per test, but the work folder is the run's.
        home = Path(tempfile.mkdtemp(prefix=f"voila-{Path(notebook_name).stem}-", dir=workdir))
        root = copy_notebooks(home)
        port = free_port()
        log = home / "voila.log"
        command = [
            sys.executable, "-m", "voila", str(root / notebook_name), "--no-browser",
            f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
            "--show_tracebacks=True", f"--Voila.tornado_settings={TORNADO_SETTINGS}",
        ]
        out = open(log, "wb")
        process = subprocess.Popen(command, cwd=root, env=server_env(home), stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
        started.append((process, out))
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/voila/static/voila.js", process, SERVER_START_S, log)
        return {"base": base, "log": log, "pid": process.pid}

    try:
        yield start
    finally:
        for process, out in started:
            kill_group(process)
            out.close()


# ---------------------------------------------------------------------------------------------
# The latency table: filled by the JupyterLab tests, printed and written at the end of the run.
# ---------------------------------------------------------------------------------------------

LATENCY_ROWS = []
LATENCY_FILE = SCREENSHOTS / "latency.md"


@pytest.fixture(scope="session")
def latency_table():
    return LATENCY_ROWS


def format_latency(rows, target_median=150.0, target_worst=300.0):
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"Slider key press -> new figure painted, in Chromium (ms); {os.cpu_count()} cores, "
        f"load average {load} (1/5/15 min) at the end of the run.",
        f"Target: median < {target_median:.0f} ms and worst < {target_worst:.0f} ms.",
        "",
        "The kernel column is the explorer's own refresh (compute, draw, PNG) for the same moves;",
        "the rest of the round trip is the comm messages, the page and the browser's decode and paint.",
        "",
        "| lesson | explorer | control moved | moves | median ms | worst ms | kernel median ms | target |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        ok = r["median"] < target_median and r["worst"] < target_worst
        note = "met" if ok else "MISSED"
        if r["no_figure"]:
            note += f" ({r['no_figure']} moves gave no new figure)"
        lines.append(f"| {r['lesson']} | {r['explorer']} | {r['control']} | {r['moves']} | "
                     f"{r['median']:.0f} | {r['worst']:.0f} | {r.get('kernel_median', float('nan')):.0f} | {note} |")
    return "\n".join(lines) + "\n"


def pytest_terminal_summary(terminalreporter):
    if not LATENCY_ROWS:
        return
    table = format_latency(LATENCY_ROWS)
    SCREENSHOTS.mkdir(exist_ok=True)
    LATENCY_FILE.write_text(table)
    terminalreporter.write_sep("=", "browser round trip (also in tests/browser/screenshots/latency.md)")
    terminalreporter.write_line(table)
