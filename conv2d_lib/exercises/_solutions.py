"""Reference solutions, kept as source text in each lesson's checker module and shown on request.

The notebooks hold no solution cells, so "Run All" never runs one. A learner who wants
to see a worked answer calls ``exercises.show_solution(2)``: it shows the code and, in
Jupyter, puts it in the place of the call, ready to run, as ``%load`` does (a new cell
below would be added again by every "Run All"). The tests execute every solution's
source in a fresh namespace made like the notebook's and require its checker to pass.
"""

from __future__ import annotations

import html
import textwrap

from . import _feedback


class Solution:
    """One exercise's reference solution.

    Parameters
    ----------
    number : int
        The exercise's number in its lesson (1, 2, ...).
    checker : callable
        The lesson module's checker for it, decorated with ``counts_tries``.
    name : str
        The variable (or function) the learner fills in, passed to the checker.
    code : str
        The solution's source: it defines ``name``.
    given : str, optional
        Lines the notebook runs before the exercise that the solution relies on
        (``cat = images.photo("cat")``); the tests check they are in the notebook.
    """

    def __init__(self, number, checker, name, code, given=""):
        self.number, self.checker, self.name = number, checker, name
        self.code = textwrap.dedent(code).strip("\n")
        self.given = textwrap.dedent(given).strip("\n")

    @property
    def check(self):
        """The line that checks the answer, as the exercise cell ends: ``exercises.check_x(name)``."""
        return f"exercises.{self.checker.__name__}({self.name})"

    @property
    def source(self):
        """The code shown to the learner: the solution, then its check."""
        return f"{self.code}\n\n{self.check}"


class SolutionView:
    """What ``show_solution`` returns: the code, as a code block in a notebook and as plain text."""

    def __init__(self, number, source, offered):
        self.number, self.source, self.offered = number, source, offered

    def _note(self):
        where = "It now stands in this cell, in place of the call: run the cell to check it." if self.offered else \
            "Copy it into the exercise's cell and run it to check it."
        return f"A worked answer to exercise {self.number}. {where}"

    def __repr__(self):
        return f"{self._note()}\n\n{self.source}"

    def _repr_html_(self):
        return (f'<div style="border-left:4px solid #4d4d4d;padding:4px 10px;margin:4px 0">'
                f'<p style="margin:0 0 4px 0">{html.escape(self._note())}</p>'
                f'<pre style="margin:0">{html.escape(self.source)}</pre></div>')


class WithheldView:
    """What ``show_solution`` returns when the teacher keeps the worked answers back (``CONV2D_SOLUTIONS=withheld``)."""

    def __init__(self, number):
        self.number = number

    def __repr__(self):
        return (f"Your teacher has kept the worked answers back in this copy of the lessons, so there is none "
                f"to show for exercise {self.number}. The hints under the exercise point the way; "
                "ask your teacher when you are stuck.")

    def _repr_html_(self):
        return (f'<div style="border-left:4px solid #4d4d4d;padding:4px 10px;margin:4px 0">'
                f'{html.escape(repr(self))}</div>')


class Solutions:
    """The reference solutions of one lesson, by exercise number.

    Parameters
    ----------
    notebook : str
        The lesson's file name in ``notebooks/``.
    solutions : list of Solution
        Numbered 1, 2, ... in the order the exercises appear.

    Raises
    ------
    ValueError
        When the numbers are not 1, 2, ... in order.
    """

    def __init__(self, notebook, solutions):
        numbers = [s.number for s in solutions]
        if numbers != list(range(1, len(solutions) + 1)):
            raise ValueError(f"solutions must be numbered 1, 2, ... in order, got {numbers}")
        self.notebook, self.solutions = notebook, {s.number: s for s in solutions}
        for solution in solutions:
            key = _feedback._key(getattr(solution.checker, "__wrapped__", solution.checker))
            _feedback._SOLUTIONS[key] = f"`exercises.show_solution({solution.number})`"

    def __iter__(self):
        return iter(self.solutions.values())

    def __len__(self):
        return len(self.solutions)

    def __getitem__(self, number):
        if isinstance(number, bool) or number not in self.solutions:
            raise ValueError(f"number: this lesson has exercises {sorted(self.solutions)}, got {number!r}")
        return self.solutions[number]

    def show(self, number):
        """Show the reference solution of exercise ``number``; in Jupyter, also put it in the calling cell.

        Parameters
        ----------
        number : int
            The exercise's number in this lesson.

        Returns
        -------
        SolutionView or WithheldView
            Shows the code (a code block in a notebook, plain text elsewhere); with
            ``CONV2D_SOLUTIONS=withheld`` (the student copy) only says that the teacher
            has kept the worked answers back.

        Raises
        ------
        ValueError
            When the lesson has no exercise ``number``.
        """
        solution = self[number]
        if _feedback.solutions_withheld():
            return WithheldView(number)
        return SolutionView(number, solution.source, _offer_in_this_cell(number, solution.source))


def in_place_of_the_call(number, source):
    """The text that takes the place of a cell calling ``show_solution(number)``: the call, commented, then ``source``."""
    return f"# exercises.show_solution({number}) put this worked answer here. Run the cell to check it.\n{source}"


def _offer_in_this_cell(number, source):
    """Put ``source`` in the running cell, in place of the call (IPython's ``%load`` way); True when it did."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "set_next_input") or type(shell).__name__ != "ZMQInteractiveShell":
        return False
    shell.set_next_input(in_place_of_the_call(number, source), replace=True)
    return True
