"""The JupyterLite site (``make lite``, tools/build_lite.sh): its contents, and the site in Chromium.

``make lite`` builds ``build/lite/`` and runs this file with ``CONV2D_LITE_DIR=build/lite``;
without that variable every test here skips, saying so. The checks:

* the contents: every lesson under ``files/`` (the same notebook as in ``notebooks/``), the
  conv2d_lib wheel in the piplite index (``pypi/all.json``, listed in ``jupyter-lite.json``'s
  ``pipliteUrls``) with the package's modules in it, and the kernel's configuration;
* in Chromium, with no network: the site's JupyterLab lists the lessons and opens one;
* in Chromium with a kernel, only when ``PYODIDE_DIR`` gave the build a local Pyodide
  distribution (with NumPy and matplotlib): a lesson installs conv2d_lib from the site's index
  with piplite, runs, and shows its explorer. Otherwise that test skips with the reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from navigation import lessons  # noqa: E402

LITE = os.environ.get("CONV2D_LITE_DIR")
PYODIDE_DIR = os.environ.get("PYODIDE_DIR") or None
CHROMIUM = Path(os.environ.get("CONV2D_CHROMIUM", "/usr/bin/chromium"))
LESSONS = lessons()
SCREENSHOTS = os.environ.get("CONV2D_LITE_SCREENSHOTS")  # a folder for a picture of the opened lesson
PIPLITE = "@jupyterlite/pyodide-kernel-extension:kernel"


@pytest.fixture(scope="module")
def site():
    if not LITE:
        pytest.skip("no JupyterLite site to check: `make lite` builds build/lite/ and checks it "
                    "(or set CONV2D_LITE_DIR to a built site)")
    folder = Path(LITE).resolve()
    assert (folder / "jupyter-lite.json").is_file(), f"{folder} is not a JupyterLite site: run tools/build_lite.sh"
    return folder


def config(site):
    return json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]


def test_every_lesson_is_in_the_site_files(site):
    listed = json.loads((site / "api" / "contents" / "all.json").read_text())
    names = {entry["name"] for entry in listed["content"]}
    for path, _ in LESSONS:
        published = site / "files" / path.name
        assert published.is_file(), f"{path.name} is not under files/"
        assert published.read_bytes() == path.read_bytes(), f"files/{path.name} differs from notebooks/{path.name}"
        assert path.name in names, f"{path.name} is missing from the contents listing"
    assert sorted(p.name for p in (site / "files").glob("*.ipynb")) == sorted(p.name for p, _ in LESSONS)


def test_the_wheel_is_in_the_piplite_index(site):
    urls = config(site)["litePluginSettings"][PIPLITE]["pipliteUrls"]
    assert any(url.split("?")[0] == "./pypi/all.json" for url in urls), urls
    index = json.loads((site / "pypi" / "all.json").read_text())
    releases = index["conv2d-lib"]["releases"]
    version = __import__("conv2d_lib").__version__
    assert list(releases) == [version]
    (release,) = releases[version]
    wheel = site / "pypi" / release["url"]
    assert wheel.is_file(), f"the index points at {release['url']}, which is not in pypi/"
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == release["digests"]["sha256"]
    with zipfile.ZipFile(wheel) as archive:
        inside = set(archive.namelist())
        metadata = archive.read(next(n for n in inside if n.endswith(".dist-info/METADATA"))).decode()
    source = {p.relative_to(ROOT).as_posix() for p in (ROOT / "conv2d_lib").rglob("*.py")}
    assert source <= inside, f"modules missing from the wheel: {sorted(source - inside)}"
    assert "Requires-Dist: numpy" in metadata


def test_the_kernel_is_pyodide_with_the_widget_manager(site):
    data = config(site)
    assert data["defaultKernelName"] == "python"
    extensions = {extension["name"] for extension in data["federated_extensions"]}
    assert extensions == {"@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager"}
    kernel = data["litePluginSettings"][PIPLITE]
    if PYODIDE_DIR:
        assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.mjs"
        assert (site / "static" / "pyodide" / "pyodide.mjs").is_file()
        assert (site / "static" / "pyodide" / "pyodide-lock.json").is_file()
    else:  # the kernel's default: Pyodide from its public distribution, loaded by the page
        assert "pyodideUrl" not in kernel


# ---------------------------------------------------------------------------------------------
# In Chromium
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(site, tmp_path_factory):
    """The site over HTTP on 127.0.0.1 (a service worker needs it), with the app exposed to tests."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    pytest.importorskip("playwright.sync_api", reason="Playwright for Python is missing: pip install -e '.[browser]'")
    from tests.browser.conftest import free_port, kill_group, wait_for_http

    copy = tmp_path_factory.mktemp("lite") / "site"
    shutil.copytree(site, copy)
    settings = json.loads((copy / "jupyter-lite.json").read_text())
    settings["jupyter-config-data"]["exposeAppInBrowser"] = "true"  # window.jupyterapp, for the checks
    (copy / "jupyter-lite.json").write_text(json.dumps(settings))
    port = free_port()
    log = copy.parent / "server.log"
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port),
                                   "--directory", str(copy)], stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/lab/index.html", server, 60, log)
        yield base
    finally:
        kill_group(server)


@pytest.fixture
def lite_page(served):
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_FLAGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            yield page
        finally:
            with contextlib.suppress(Exception):
                browser.close()


def test_the_site_lists_the_lessons_and_opens_one(served, lite_page):
    page = lite_page
    page.goto(f"{served}/lab/index.html")
    page.wait_for_function("() => !!window.jupyterapp", timeout=120_000)
    for path, _ in LESSONS:
        page.locator(".jp-DirListing-item", has_text=path.name).first.wait_for(timeout=60_000)
    path, title = LESSONS[3]
    page.goto(f"{served}/lab/index.html?path={path.name}")
    page.wait_for_function("() => !!window.jupyterapp", timeout=120_000)
    heading = page.locator(".jp-NotebookPanel .jp-RenderedMarkdown h1", has_text=title.split(":")[0]).first
    heading.wait_for(timeout=60_000)
    # The notebook draws only the cells in view: count the cells of its model.
    cells = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.cells.length")
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"lite-{path.stem}.png"))
    source = json.loads(path.read_text())
    assert cells == len(source["cells"]), f"{path.name}: {cells} cells on the page, {len(source['cells'])} in the file"


def test_a_lesson_runs_in_the_browser_with_a_local_pyodide(site, served, lite_page):
    if not PYODIDE_DIR:
        pytest.skip("no local Pyodide distribution given (PYODIDE_DIR): the lessons were not run in "
                    "JupyterLite's kernel; the site loads Pyodide from its public CDN when opened")
    lock = json.loads((site / "static" / "pyodide" / "pyodide-lock.json").read_text())["packages"]
    missing = [name for name in ("numpy", "matplotlib", "micropip")
               if name not in lock or not (site / "static" / "pyodide" / lock[name]["file_name"]).is_file()]
    if missing:
        pytest.skip(f"the Pyodide distribution in PYODIDE_DIR={PYODIDE_DIR} lacks {', '.join(missing)} "
                    "(a core build without packages?): the lessons were not run in JupyterLite's kernel")
    page = lite_page
    path = next(p for p, _ in LESSONS if p.name.startswith("03_"))
    page.goto(f"{served}/lab/index.html?path={path.name}")
    page.wait_for_function("() => !!window.jupyterapp", timeout=120_000)
    idle = ("() => { const p = window.jupyterapp.shell.currentWidget; const k = p && p.sessionContext"
            " && p.sessionContext.session && p.sessionContext.session.kernel; return !!k && k.status === 'idle'; }")
    page.wait_for_function(idle, timeout=300_000)
    # conv2d_lib from the site's own index, whatever the lesson's setup cell does.
    installed = page.evaluate("""async () => {
      const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
      let text = '';
      const future = kernel.requestExecute({code: "import piplite\\nawait piplite.install('conv2d_lib')\\n"
                                            + "import conv2d_lib; print('conv2d_lib', conv2d_lib.__version__)"});
      future.onIOPub = msg => { if (msg.content && msg.content.text) text += msg.content.text;
                                if (msg.content && msg.content.evalue) text += msg.content.ename + ': ' + msg.content.evalue; };
      await future.done;
      return text;
    }""")
    assert "conv2d_lib " in installed, installed
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.widget-image')].some(i => i.complete && i.naturalWidth > 0)",
        timeout=600_000)
    errors = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
        .filter(c => c.model.type === 'code')
        .flatMap(c => c.model.outputs.toJSON().filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue))""")
    assert not errors, errors
