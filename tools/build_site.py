"""Build the lessons as a static web site: ``build/site/index.html`` and one page per lesson.

Every lesson is run top to bottom once (nbconvert's ExecutePreprocessor, in a copy of
``notebooks/`` with ``assets/`` beside it, so the checkout stays clean) and rendered with
nbconvert's ``lab`` template. The index is the contents, with the titles that
``tools/navigation.py`` reads from the notebooks; links between lessons
(``NN_name.ipynb``) point at the pages (``NN_name.html``).

A page has no kernel, so no widget can work there. Each explorer's display carries a
still of its picture and a note that its controls need a live kernel (see
``Explorer._repr_mimebundle_``): the page shows that instead of the widget. Any other
widget output (lesson 00's slider) is replaced by a note that says the same. Nothing is
left that needs ipywidgets' JavaScript, so the pictures show with no network. MathJax
(for the formulas) is copied next to the pages from the ``jupyter-server-mathjax``
package, so the formulas need no network either; nbconvert's template still asks a CDN
for require.js, which these pages do not use.

    python tools/build_site.py              # build/site/
    python tools/build_site.py --out DIR    # somewhere else
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor

sys.path.insert(0, str(Path(__file__).resolve().parent))
from navigation import NOTEBOOKS, ROOT, START, label, lessons  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ('<p class="conv2d-static-widget"><em>A live control stands here in JupyterLab (a slider, '
               "a menu): it needs a live kernel. Run the lesson in JupyterLab to use it.</em></p>")
TIMEOUT_S = 600  # one cell; lesson 08 times the convolution four ways
# MathJax 2 as jupyter-server-mathjax ships it, with the one configuration it has.
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
LESSON_LINK = re.compile(r'(href=")(\d\d_[A-Za-z0-9_\-]+)\.ipynb((?:#[^"]*)?")')


# A badge: a picture from the network inside a link ("Open in Colab", "Launch on Binder").
BADGE = re.compile(r"\[!\[([^\]]*)\]\((https?://[^)\s]+)\)\]\(([^)\s]+)\)")


def badges_as_words(notebook):
    """Badge pictures become plain links with their alt text: the pages load nothing from the network."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = BADGE.sub(r"[\1](\3)", cell.source)


def static_outputs(notebook):
    """Outputs a page without a kernel can show: widget views give way to their still, or to a note.

    Returns the number of widget outputs that had a still of their own (the explorers).
    """
    stills = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            del data[WIDGET_VIEW]
            if "text/html" in data or "image/png" in data:
                stills += 1
            else:
                data.clear()
                data["text/html"] = WIDGET_NOTE
    notebook.metadata.pop("widgets", None)
    return stills


def page_links(text, names):
    """``text`` (HTML) with every link to a lesson in ``names`` pointing at its page."""
    def page(match):
        stem = match.group(2)
        return match.group(1) + (f"{stem}.html" if f"{stem}.ipynb" in names else f"{stem}.ipynb") + match.group(3)
    return LESSON_LINK.sub(page, text)


def exporter():
    """nbconvert's lab template, with pictures in markdown embedded and MathJax from beside the pages."""
    return HTMLExporter(template_name="lab", embed_images=True, mathjax_url=MATHJAX_URL)


def run_lesson(path, workdir, title):
    """The lesson executed in ``workdir`` and ready to render: (notebook, explorer stills)."""
    notebook = nbformat.read(path, as_version=4)
    ExecutePreprocessor(timeout=TIMEOUT_S, kernel_name="python3").preprocess(
        notebook, {"metadata": {"path": str(workdir)}})
    stills = static_outputs(notebook)
    badges_as_words(notebook)
    notebook.metadata["title"] = label(path, title)
    return notebook, stills


def index_page(found):
    rows = "\n".join(
        f'<tr><td>{path.name[:2]}</td><td><a href="{path.stem}.html">{html.escape(title)}</a></td></tr>'
        for path, title in found)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Conv2D from scratch: the lessons</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}
table {{ border-collapse: collapse; }}
th {{ text-align: left; }}
td {{ padding: 0.3em 1em 0.3em 0; border-bottom: 1px solid #ddd; }}
</style>
</head>
<body>
<h1>Conv2D from scratch: interactive NumPy lessons</h1>
<p>Every lesson below was run once when these pages were made. Each explorer shows its picture
as the lesson first opens it; its sliders and menus need a live kernel. To move them, run the
lessons in Jupyter (<code>make lab</code> in the project folder) or in the browser with
JupyterLite (<code>make lite</code>).</p>
<table>
<tr><th>Lesson</th><th>What you will do</th></tr>
{rows}
</table>
<p>Start with <a href="{Path(START).stem}.html">lesson 00</a>.</p>
</body>
</html>
"""


def build(out):
    found = lessons()
    names = {path.name for path, _ in found}
    html_exporter = exporter()
    if out.exists():
        if any(out.iterdir()) and not (out / "index.html").is_file():
            raise SystemExit(f"{out} is not empty and holds no earlier site: choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    import jupyter_server_mathjax  # the site extra; the checks in tests/test_site.py run without it

    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", out / "mathjax")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="conv2d-site-") as scratch:
        workdir = Path(scratch) / "notebooks"
        shutil.copytree(NOTEBOOKS, workdir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        if (ROOT / "assets").is_dir():  # lesson code may open ../assets
            shutil.copytree(ROOT / "assets", Path(scratch) / "assets")
        for path, title in found:
            lesson_started = time.perf_counter()
            notebook, stills = run_lesson(workdir / path.name, workdir, title)
            body, _ = html_exporter.from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
            (out / f"{path.stem}.html").write_text(page_links(body, names), encoding="utf-8")
            print(f"{path.name}: {stills} explorer still(s), {time.perf_counter() - lesson_started:.0f} s")
    (out / "index.html").write_text(index_page(found), encoding="utf-8")
    print(f"site: {len(found)} lessons in {out} in {time.perf_counter() - started:.0f} s")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site", help="where to write (default build/site)")
    build(parser.parse_args(argv).out.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
