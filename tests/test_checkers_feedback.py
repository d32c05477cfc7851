"""Every exercise is solvable, waits quietly until answered, and never makes a checker raise.

Every reference solution (source text in the package) runs in a fresh namespace made
like its notebook's (the notebook's own setup cell, then what the lesson ran before the
exercise) and must pass its checker. Every exercise cell, run as "Run All" leaves it,
must give the neutral prompt. Tries are counted per exercise, and the answer comes on
the third different wrong try.
"""

import importlib
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from conv2d_lib.exercises import LESSONS, Feedback, reset_tries
from conv2d_lib.exercises import _feedback, padding
from tools.navigation import run_cell

ROOT = Path(__file__).resolve().parents[1]
MODULES = {name: importlib.import_module(f"conv2d_lib.exercises.{name}") for name in LESSONS}
SOLUTIONS = [(name, solution) for name, module in MODULES.items() for solution in module.SOLUTIONS]
CHECKERS = [(name, solution.checker) for name, solution in SOLUTIONS]


@pytest.fixture(autouse=True)
def fresh_tries():
    reset_tries()
    yield
    reset_tries()


def notebook_cells(name):
    return [cell for cell in nbformat.read(ROOT / "notebooks" / MODULES[name].SOLUTIONS.notebook, as_version=4).cells
            if cell.cell_type == "code"]


def notebook_namespace(name):
    """A fresh namespace as the notebook's kernel has it after its setup cell (run as IPython runs it)."""
    namespace = {"__name__": "__main__"}
    run_cell(notebook_cells(name)[0].source, namespace)
    return namespace


def exercise_cell(name, number):
    cells = [cell for cell in notebook_cells(name) if re.search(r"^exercises\.check_\w+\(", cell.source, re.M)]
    return cells[number - 1].source


def ids(pairs):
    return [f"{name}-{solution.number}" for name, solution in pairs]


@pytest.mark.parametrize("name, solution", SOLUTIONS, ids=ids(SOLUTIONS))
def test_every_reference_solution_passes_its_checker(name, solution, capsys):
    namespace = notebook_namespace(name)
    exec(solution.given, namespace)
    exec(solution.code, namespace)
    feedback = eval(solution.check, namespace)
    assert isinstance(feedback, Feedback) and feedback.status == "correct", feedback
    feedback.require()
    assert str(feedback).startswith("Correct! ") and "Correct!" in feedback._repr_html_()


@pytest.mark.parametrize("name, solution", SOLUTIONS, ids=ids(SOLUTIONS))
def test_an_untouched_exercise_gets_a_neutral_prompt(name, solution, capsys):
    """As "Run All" leaves it: no verdict, no answer, a prompt to write one."""
    namespace = notebook_namespace(name)
    exec(solution.given, namespace)
    *body, last = exercise_cell(name, solution.number).rstrip().split("\n")
    exec("\n".join(body), namespace)
    feedback = eval(last, namespace)
    assert feedback.status == "empty" and not feedback.passed
    text = str(feedback)
    assert text.startswith("Your turn. Replace ") and "..." in text and "Not yet" not in text and "Correct" not in text
    assert "Your turn." in feedback._repr_html_() and "Not yet" not in feedback._repr_html_()
    for line in solution.code.splitlines():
        code = line.split("#")[0].strip()
        if len(code) > 6 and not code.startswith(("def ", "return ")):
            assert code.split("=")[-1].strip() not in text, f"the prompt gives the answer away: {text}"
    with pytest.raises(AssertionError):
        feedback.require()
    assert _feedback._TRIES == {}, "an untouched exercise is not a try"


def test_show_solution_shows_the_source_and_checks_the_number(capsys):
    for module in MODULES.values():
        for solution in module.SOLUTIONS:
            view = module.show_solution(solution.number)
            assert solution.code in repr(view) and solution.check in repr(view)
            assert "<pre" in view._repr_html_()
            assert not view.offered   # outside Jupyter there is no next cell to fill
    for bad in (0, 5, "1", True, None):
        with pytest.raises(ValueError, match="number: this lesson has exercises"):
            padding.show_solution(bad)


def test_show_solution_takes_the_place_of_its_call_in_jupyter(monkeypatch):
    """As %load does: a new cell below would be added once more by every "Run All"."""
    calls = []

    class ZMQInteractiveShell:
        def set_next_input(self, text, replace):
            calls.append((text, replace))

    import IPython
    monkeypatch.setattr(IPython, "get_ipython", lambda: ZMQInteractiveShell())
    view = padding.show_solution(2)
    text = "# exercises.show_solution(2) put this worked answer here. Run the cell to check it.\n"
    assert view.offered and calls == [(text + padding.SOLUTIONS[2].source, True)]
    assert "in place of the call" in repr(view)


# --- counting tries -----------------------------------------------------------------------

def test_the_answer_comes_on_the_third_different_wrong_try():
    first = padding.check_same_padding(4)
    assert first.tries == 1 and "The answer" not in first.message and "show_solution" not in first.message
    again = padding.check_same_padding(4)          # the same answer checked again is the same try
    assert again.tries == 1 and again.message == first.message
    second = padding.check_same_padding(5)
    assert second.tries == 2 and "exercises.show_solution(2)" in second.message and "The answer" not in second.message
    third = padding.check_same_padding(1)
    assert third.tries == 3 and "The answer: 2" in third.message
    assert padding.check_same_padding(4).tries == 1   # going back to the first answer
    assert padding.check_same_padding(2).passed and padding.check_same_padding(...).tries == 0


def test_a_function_redefined_with_the_same_code_is_the_same_try():
    def wrong(n, k, p):
        return n - k + 1

    assert padding.check_output_size(wrong).tries == 1

    def wrong(n, k, p):  # noqa: F811 - the learner runs the cell again unchanged
        return n - k + 1

    assert padding.check_output_size(wrong).tries == 1

    def wrong(n, k, p):  # noqa: F811 - now changed
        return n + p - k + 1

    assert padding.check_output_size(wrong).tries == 2
    assert padding.check_same_padding(4).tries == 1, "each exercise counts its own tries"


def test_feedback_reads_as_html_and_as_plain_text():
    wrong = padding.check_reflect_row([5, 4, 4, 5, 6, 7, 7, 6])
    assert str(wrong).startswith("Not yet. That repeats") or str(wrong).startswith("Not yet. You gave")
    html = wrong._repr_html_()
    assert "&#10008; Not yet.</b>" in html and "&#x27;symmetric&#x27;" in html and "<script" not in html
    assert "<code>" in Feedback(False, "Try `np.pad` here.")._repr_html_()
    assert "<b>" not in Feedback(False, "<b>bold</b>")._repr_html_().split("</b>", 1)[1]


# --- never raise --------------------------------------------------------------------------

class Nasty:
    """An answer that fails at everything a checker might try on it."""

    def __repr__(self):
        raise RuntimeError("no repr")

    def __eq__(self, other):
        raise RuntimeError("no ==")

    __hash__ = object.__hash__

    def __iter__(self):
        raise RuntimeError("no iter")

    def __len__(self):
        raise RuntimeError("no len")

    def __float__(self):
        raise RuntimeError("no float")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array")


def _raises(*args):
    raise KeyError("inside the learner's function")


ODD_ANSWERS = [None, ..., "a string", "", "(48, 64, 3)", 3.7, -12, 0, 2.5, float("nan"), float("inf"), 10**30,
               True, np.bool_(False), [], {}, set(), (1,), [[1, 2], [3]], [None, None], np.zeros((2, 3, 4)),
               np.array("x"), np.array([1, 2], dtype=object), {"kernel_size": "3"}, {"stride": 0}, {1: 2},
               {(0, 0, 0)}, object(), Nasty(), _raises, lambda *a: "text", lambda *a: None, lambda *a: Nasty(),
               lambda *a: np.full((3, 3), np.nan), lambda *a: [1, 2, 3], lambda: 1, print, int, np.float64(1e300)]


@pytest.mark.parametrize("name, checker", CHECKERS, ids=[f"{n}.{c.__name__}" for n, c in CHECKERS])
def test_checkers_never_raise_and_never_pass_odd_answers(name, checker, capsys):
    for answer in ODD_ANSWERS:
        feedback = checker(answer)
        assert isinstance(feedback, Feedback) and not feedback.passed, (answer, feedback)
        assert "could not be checked" not in feedback.message, (answer, feedback.message)
        assert str(feedback) and feedback._repr_html_()
