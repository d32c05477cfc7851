"""The lessons as files: links resolve, kernels are named, exercises wait for the learner."""

import importlib
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_lessons_are_numbered_in_order_without_gaps():
    """Every file in notebooks/ is a lesson NN_name.ipynb, numbered 00, 01, 02, ... with none missing,
    so the navigation links and the contents cannot skip or repeat one."""
    every = sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb"))
    assert every == [path.name for path in NOTEBOOKS], "a notebook in notebooks/ is not named NN_name.ipynb"
    assert [int(path.name[:2]) for path in NOTEBOOKS] == list(range(len(NOTEBOOKS)))
    assert NOTEBOOKS[0].name == "00_start_here.ipynb"


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
    """Setup cell marked; 2 to 4 exercises left for the learner, each with a reference solution in the package.

    No cell holds a solution, so "Run All" runs none; tests/test_checkers_feedback.py runs
    every reference solution through its checker, and each untouched exercise cell to a
    neutral prompt.
    """
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].source.startswith("# Setup (not part of the lesson)")
    assert "sys.path" not in "".join(cell.source for cell in code), "import the installed package instead"
    imported = re.search(r"^from conv2d_lib\.exercises import (\w+) as exercises$", code[0].source, re.M)
    assert imported, "the setup cell imports the lesson's checkers as `exercises`"
    lesson = importlib.import_module(f"conv2d_lib.exercises.{imported.group(1)}")
    assert lesson.SOLUTIONS.notebook == path.name
    for cell in code:
        assert "solution" not in cell.metadata.get("tags", []), "solutions live in the package, not in a cell"
        assert not cell.metadata.get("jupyter", {}).get("source_hidden"), "no hidden code for Run All to run"
        assert ".require()" not in cell.source
    exercises = [cell for cell in code if re.search(r"^exercises\.check_\w+\(", cell.source, re.M)]
    assert 2 <= len(exercises) <= 4, f"{len(exercises)} exercises"
    assert len(exercises) == len(lesson.SOLUTIONS), "one reference solution per exercise"
    for number, (cell, solution) in enumerate(zip(exercises, lesson.SOLUTIONS), start=1):
        assert solution.number == number
        assert cell.source.rstrip().split("\n")[-1] == solution.check, "the cell ends with the solution's check"
        assert re.search(rf"^(def {solution.name}\(.*\n\s+\.\.\.|{solution.name} = .*\.\.\.)", cell.source, re.M), \
            f"exercise {number} leaves {solution.name} as ... for the learner"
        assert f"exercises.show_solution({number})" in cell.source
        assert solution.code not in "".join(c.source for c in code), "the answer is not written in the lesson"
        before = "\n".join(c.source for c in code[:code.index(cell) + 1])
        for line in solution.given.splitlines():
            assert line in before, f"exercise {number}'s solution relies on {line!r}, which the lesson must run first"


def test_start_here_says_run_all_leaves_the_exercises_to_the_learner():
    start = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    text = " ".join("".join(cell.source for cell in start.cells if cell.cell_type == "markdown").split())
    assert "Run All Cells* never fills in the exercises" in text and "exercises.show_solution(1)" in text


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
