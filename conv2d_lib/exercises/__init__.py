"""Checkers for the lessons' exercises: friendly feedback instead of tracebacks.

Each lesson has a module here (``exercises.padding`` for 03_padding, ...), which a
lesson imports as ``exercises``. A checker takes the learner's answer (a value or a
function), tries it, and returns a :class:`Feedback` that shows as a coloured note in
the notebook: "Your turn" while the ``...`` is still there, "Not yet" with a hint for
a wrong answer, "Correct!" for a right one. Checkers count the different wrong tries
of each exercise: the first hints point to the idea, the third gives the answer.

The reference solutions live in the same modules as source text, never in a notebook
cell, so "Run All" does not run them: ``exercises.show_solution(2)`` shows exercise
2's on request (in Jupyter it also puts it in the calling cell, as ``%load`` does). The tests run every
one of them through its checker, which proves every exercise solvable.

For a class: ``CONV2D_SOLUTIONS=withheld`` keeps the worked answers back (the student
copy, ``make student``, sets it), and ``CONV2D_GRADING=1`` makes a checker raise
:class:`NotYetCorrect` on an answer that is not right, so a notebook run grades it.
"""

from ._feedback import (GRADING_VARIABLE, SOLUTIONS_VARIABLE, Feedback, NotYetCorrect, check_function, check_value,
                        grading, reset_tries, solutions_withheld)
from ._solutions import Solution, Solutions

LESSONS = ("arrays", "kernels", "padding", "stride", "bias", "channels", "stacking", "efficiency", "playground",
           "backprop", "learning", "tiny_cnn", "beyond")

__all__ = ["Feedback", "check_function", "check_value", "reset_tries", "Solution", "Solutions", "LESSONS",
           "NotYetCorrect", "grading", "solutions_withheld", "GRADING_VARIABLE", "SOLUTIONS_VARIABLE"]
