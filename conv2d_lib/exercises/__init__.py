"""Checkers for the lessons' exercises: friendly feedback instead of tracebacks.

Each lesson has a module here (``exercises.padding`` for 03_padding, ...). A
checker takes the learner's answer (a value or a function), tries it, and returns
a :class:`Feedback` that shows as a coloured note in the notebook. Calling
``.require()`` on it raises when the answer is wrong: the hidden reference
solutions do that, so CI proves every exercise solvable.
"""

from ._feedback import Feedback, check_function, check_value

__all__ = ["Feedback", "check_function", "check_value"]
