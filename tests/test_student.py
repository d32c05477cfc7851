"""The student copy (``make student``) and the two classroom switches of the checkers.

The copy is built by running ``tools/student_copy.py`` as ``make student`` does. Then:
no line of any reference solution is anywhere in it, every exercise cell is there as
in the lessons (same id, same source), only the setup cells differ, a lesson of the
copy runs top to bottom (``--nbval-lax``), and in that copy ``show_solution`` keeps
the answer back. ``CONV2D_GRADING=1`` makes a checker raise on an answer that is not
right, and a run of the fresh copy in grading mode fails on its unanswered exercises.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conv2d_lib import exercises
from conv2d_lib.exercises import NotYetCorrect, padding

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TOOL = ROOT / "tools" / "student_copy.py"
WITHHELD = "kept the worked answers back"


def _load_tool():
    spec = importlib.util.spec_from_file_location("student_copy", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


student_copy = _load_tool()


def all_solutions():
    """Every reference solution of every lesson, with the lesson's notebook name."""
    found = []
    for name in exercises.LESSONS:
        solutions = importlib.import_module(f"conv2d_lib.exercises.{name}").SOLUTIONS
        found += [(solutions.notebook, solution) for solution in solutions]
    return found


def exercise_cells(notebook):
    return [c for c in notebook.cells if c.cell_type == "code" and "exercises.check_" in c.source]


def solution_lines():
    """The lines of the reference solutions that the lessons themselves do not show.

    A solution repeats the exercise's first line (``def crop(image, top, left, size):``)
    and its check call; those are in the exercise cell, so they are not the answer.
    """
    shown = set()
    for path in NOTEBOOKS.glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            shown.update(line.strip() for line in cell.source.splitlines())
    lines = set()
    for _, solution in all_solutions():
        lines.update(line.strip() for line in solution.source.splitlines())
    return {line for line in lines if line and line not in shown}


def leaked(folder, lines):
    """The solution ``lines`` found in any file under ``folder`` (cell sources and outputs read as text)."""
    found = set()
    for path in Path(folder).rglob("*"):
        if not path.is_file() or path.suffix in {".png", ".jpg", ".npz"}:
            continue
        text = path.read_text(errors="replace")
        if path.suffix == ".ipynb":
            notebook = json.loads(text)
            text = "\n".join("".join(c["source"]) + "\n" + json.dumps(c.get("outputs", []))
                             for c in notebook["cells"])
        present = {line.strip() for line in text.splitlines()}
        found.update(line for line in lines if line in present or (len(line) >= 12 and line in text))
    return found


def build(target):
    result = subprocess.run([sys.executable, str(TOOL), str(target)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return target


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    return build(tmp_path_factory.mktemp("student") / "student")


@pytest.fixture
def no_switches(monkeypatch):
    monkeypatch.delenv(exercises.SOLUTIONS_VARIABLE, raising=False)
    monkeypatch.delenv(exercises.GRADING_VARIABLE, raising=False)
    exercises.reset_tries()
    yield monkeypatch
    exercises.reset_tries()


def test_the_copy_holds_every_lesson_and_no_line_of_any_solution(copy):
    lessons = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert sorted(p.name for p in (copy / "notebooks").glob("*.ipynb")) == lessons
    lines = solution_lines()
    assert len(lines) >= 25, f"too few solution lines to check: {sorted(lines)}"
    assert not leaked(copy, lines), f"reference solution lines in the student copy: {sorted(leaked(copy, lines))}"
    assert not list(copy.rglob("*.py")), "the student copy holds Python files (the package?)"


def test_the_leak_check_finds_a_solution_put_into_a_copy(tmp_path):
    target = build(tmp_path / "student")
    path = target / "notebooks" / "03_padding.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(padding.SOLUTIONS[1].source))
    nbformat.write(notebook, path)
    assert "return n + 2 * p - k + 1   # the padded input has n + 2p pixels" in leaked(target, solution_lines())


def test_every_exercise_cell_is_there_untouched_and_only_setup_cells_change(copy):
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        source = nbformat.read(path, as_version=4)
        student = nbformat.read(copy / "notebooks" / path.name, as_version=4)
        assert student.metadata["kernelspec"] == source.metadata["kernelspec"]
        assert student.metadata["conv2d_lib"]["copy"] == "student"
        assert [c.id for c in student.cells] == [c.id for c in source.cells], path.name
        ours = {c.id: c for c in student.cells}
        for cell in exercise_cells(source):
            assert ours[cell.id].source == cell.source and ours[cell.id].metadata == cell.metadata, \
                f"{path.name}: exercise cell {cell.id} changed"
        for before, after in zip(source.cells, student.cells):
            if student_copy.is_setup_cell(before) and exercise_cells(source):
                assert after.source == before.source.rstrip("\n") + student_copy.WITHHOLD
            else:
                assert after.source == before.source, f"{path.name}: cell {before.id} changed"
        assert len(exercise_cells(student)) == len(exercise_cells(source))


def test_show_solution_keeps_every_answer_back_when_withheld(no_switches):
    for notebook, solution in all_solutions():
        shown = importlib.import_module(solution.checker.__module__).show_solution(solution.number)
        assert solution.code in repr(shown), f"{notebook} exercise {solution.number}: no code without the switch"
    no_switches.setenv(exercises.SOLUTIONS_VARIABLE, "withheld")
    for notebook, solution in all_solutions():
        shown = importlib.import_module(solution.checker.__module__).show_solution(solution.number)
        for text in (repr(shown), shown._repr_html_()):
            assert WITHHELD in text
            assert not any(line.strip() in text for line in solution.code.splitlines() if len(line.strip()) > 3), \
                f"{notebook} exercise {solution.number}: the withheld view shows its code"
    with pytest.raises(ValueError, match="number"):
        padding.show_solution(9)


def test_feedback_offers_show_solution_only_when_it_shows_one(no_switches):
    padding.check_same_padding(5)
    assert "show_solution(2)" in padding.check_same_padding(4).message
    exercises.reset_tries()
    no_switches.setenv(exercises.SOLUTIONS_VARIABLE, "withheld")
    padding.check_same_padding(5)
    second = padding.check_same_padding(4)
    assert not second.passed and second.tries == 2 and "show_solution" not in second.message


def test_grading_mode_raises_on_an_answer_that_is_not_right(no_switches):
    assert not padding.check_same_padding(5).passed   # never raises without the switch
    assert padding.check_same_padding(...).status == "empty"
    no_switches.setenv(exercises.GRADING_VARIABLE, "1")
    assert padding.check_same_padding(2).passed
    with pytest.raises(NotYetCorrect, match="Not yet") as wrong:
        padding.check_same_padding(5)
    assert isinstance(wrong.value, AssertionError) and not wrong.value.feedback.passed
    with pytest.raises(NotYetCorrect, match="Your turn"):
        padding.check_same_padding(...)
    with pytest.raises(NotYetCorrect):   # a function that raises is reported, then graded as wrong
        padding.check_output_size(lambda n, k, p: 1 / 0)
    assert padding.check_output_size(lambda n, k, p: n + 2 * p - k + 1).passed


def run_lesson(copy, name, **env):
    """``pytest --nbval-lax`` on one lesson of the copy, in the copy (no project config)."""
    variables = {key: value for key, value in os.environ.items()
                 if key not in (exercises.SOLUTIONS_VARIABLE, exercises.GRADING_VARIABLE)}
    return subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider",
                           f"notebooks/{name}"], cwd=copy, capture_output=True, text=True, timeout=300,
                          env={**variables, "MPLBACKEND": "Agg", **env})


def test_a_lesson_of_the_copy_runs_top_to_bottom(copy):
    result = run_lesson(copy, "03_padding.ipynb")
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_fresh_copy_fails_in_grading_mode_on_each_unanswered_exercise(copy):
    result = run_lesson(copy, "05_bias.ipynb", **{exercises.GRADING_VARIABLE: "1"})
    wanted = len(exercise_cells(nbformat.read(copy / "notebooks" / "05_bias.ipynb", as_version=4)))
    assert result.returncode != 0 and "NotYetCorrect" in result.stdout, result.stdout[-3000:]
    assert f"{wanted} failed" in result.stdout, result.stdout[-1500:]


def test_the_tool_replaces_its_own_copy_but_no_other_folder(tmp_path):
    target = build(tmp_path / "student")
    (target / "notebooks" / "stale.ipynb").write_text("{}")
    build(target)   # a rebuild starts afresh
    assert not (target / "notebooks" / "stale.ipynb").exists()
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    result = subprocess.run([sys.executable, str(TOOL), str(other)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "target" in result.stderr and "not a student copy" in result.stderr
    assert (other / "notes.txt").read_text() == "keep me"
