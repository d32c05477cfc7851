"""The lessons as files: links resolve, kernels are named, exercises have hidden solutions."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_there_are_lessons():
    assert (ROOT / "notebooks" / "00_start_here.ipynb") in NOTEBOOKS
    assert len(NOTEBOOKS) >= 2


def markdown_links(text):
    return [link for link in LINK.findall(text) if "://" not in link and not link.startswith("mailto:")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_links_resolve_and_kernel_is_named(path):
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for link in markdown_links(cell.source):
                assert (path.parent / link).exists(), f"{path.name} links to missing {link}"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name != "00_start_here.ipynb"], ids=lambda p: p.name)
def test_lesson_shape(path):
    """Setup cell marked, 2 to 4 exercises each with a hidden reference solution that must pass."""
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].source.startswith("# Setup (not part of the lesson)")
    assert "sys.path" not in "".join(cell.source for cell in code), "import the installed package instead"
    solutions = [cell for cell in code if "solution" in cell.metadata.get("tags", [])]
    assert 2 <= len(solutions) <= 4, f"{len(solutions)} exercises"
    for cell in solutions:
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
        assert ".require()" in cell.source, "a reference solution must prove itself with .require()"


IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_links_and_pictures_stay_inside_notebooks(path):
    """JupyterLab started in notebooks/ (the README's pip and conda commands, Binder, a hub that
    pulls the lessons) answers 404 for files above it, and Voila fails the whole page for a picture."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for link in markdown_links(cell.source) + IMAGE.findall(cell.source):
                if "://" in link:
                    continue
                assert not link.startswith("/"), f"{path.name} links to the absolute path {link}"
                target = (path.parent / link).resolve()
                assert target.is_relative_to(path.parent.resolve()), f"{path.name} links above notebooks/: {link}"


def test_readme_links_resolve():
    for link in markdown_links((ROOT / "README.md").read_text()):
        assert (ROOT / link).exists(), f"README links to missing {link}"


def test_contents_list_every_lesson_and_each_lesson_links_its_neighbours():
    start = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    contents = "".join(cell.source for cell in start.cells if cell.cell_type == "markdown")
    readme = (ROOT / "README.md").read_text()
    for index, path in enumerate(NOTEBOOKS):
        if path.name != "00_start_here.ipynb":
            assert f"]({path.name})" in contents, f"00_start_here does not list {path.name}"
            assert f"](notebooks/{path.name})" in readme, f"README does not list {path.name}"
        cells = nbformat.read(path, as_version=4).cells
        for cell in (cells[0], cells[-1]):
            if index + 1 < len(NOTEBOOKS):
                assert f"]({NOTEBOOKS[index + 1].name})" in cell.source, f"{path.name} does not link the next lesson"
            if index > 0:
                assert f"]({NOTEBOOKS[index - 1].name})" in cell.source, f"{path.name} does not link the previous one"
