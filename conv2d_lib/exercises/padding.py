"""Checkers for notebooks/03_padding.ipynb."""

from __future__ import annotations

from ..conv import output_size
from ._feedback import Feedback, check_function, check_value


def check_output_size(function):
    """``function(n, k, p)``: output size for stride 1, kernel ``k``, ``p`` zeros on each side."""
    cases = [((n, k, p), output_size(n, k, padding=p)) for n, k, p in
             [(5, 3, 0), (5, 3, 1), (32, 5, 2), (7, 7, 0), (10, 3, 4), (4, 5, 1)]]
    feedback = check_function(function, cases, "the output size",
                              reference="Each of the p rows of padding on both sides adds one window position.")
    if feedback.passed or not callable(function):
        return feedback
    try:
        one_short = all(function(*args) == expected - 1 for args, expected in cases)
    except Exception:  # the learner's code: the first message already reports errors
        one_short = False
    if one_short:
        return Feedback(False, "Every answer is one short: the first window position counts too. "
                               "With n = k and no padding the kernel fits exactly once.")
    return feedback


def check_same_padding(answer):
    """The padding that keeps a 28 x 28 image 28 x 28 under a 5 x 5 kernel at stride 1."""
    return check_value(answer, 2, "the padding that keeps the size with a 5 x 5 kernel",
                       "The output loses k - 1 = 4 pixels per axis; 2 on each side give them back.")


def check_reflect_row(answer):
    """The row [4, 5, 6, 7] reflect-padded by 2 on each side."""
    if isinstance(answer, (list, tuple)) and list(answer) == [5, 4, 4, 5, 6, 7, 7, 6]:
        return Feedback(False, "That repeats the edge pixel (numpy's 'symmetric'). reflect mirrors "
                               "around the edge pixel itself, so the 4 appears only once.")
    return check_value(answer, [6, 5, 4, 5, 6, 7, 6, 5], "[4, 5, 6, 7] reflect-padded by 2",
                       "reflect mirrors around the edge pixel without repeating it: 6 5 | 4 5 6 7 | 6 5.")
