"""Feedback objects and the two generic checks every lesson's checkers build on."""

from __future__ import annotations

import html

import numpy as np


class Feedback:
    """The verdict on one answer: passed or not, and a sentence for the learner.

    Shows as a green (correct) or orange (not yet) note in a notebook, and as
    plain text elsewhere.
    """

    def __init__(self, passed, message):
        self.passed, self.message = bool(passed), message

    def require(self):
        """Raise ``AssertionError`` unless the answer passed (used by reference solutions)."""
        if not self.passed:
            raise AssertionError(self.message)
        return self

    def __repr__(self):
        return ("Correct! " if self.passed else "Not yet. ") + self.message

    def _repr_html_(self):
        colour, mark, word = ("#1a9850", "&#10004;", "Correct!") if self.passed else ("#b35806", "&#10008;", "Not yet.")
        return (f'<div style="border-left:4px solid {colour};padding:4px 10px;margin:4px 0">'
                f'<b style="color:{colour}">{mark} {word}</b> {html.escape(self.message)}</div>')


def _not_answered(answer):
    return answer is None or answer is Ellipsis


def check_value(answer, expected, what, why=""):
    """Compare a learner's value (a number, a tuple, an array) with the expected one.

    Parameters
    ----------
    answer : object
        ``None`` or ``...`` mean "not answered yet".
    expected : object
    what : str
        What the value is, for the message ("the output size").
    why : str
        One sentence explaining the right answer, shown when it is wrong.

    Returns
    -------
    Feedback
    """
    if _not_answered(answer):
        return Feedback(False, f"Replace the ... with {what}.")
    try:
        same = np.shape(answer) == np.shape(expected) and np.allclose(answer, expected)
    except (TypeError, ValueError):
        same = answer == expected
    if same:
        return Feedback(True, f"{what[0].upper() + what[1:]} is {_show(expected)}.")
    return Feedback(False, f"You gave {_show(answer)} for {what}. {why}".strip())


def check_function(function, cases, what, reference=None):
    """Call a learner's function on several cases and compare with the expected results.

    Parameters
    ----------
    function : callable or None
    cases : list of (tuple, object)
        ``(arguments, expected)``; ``expected`` may be an array.
    what : str
        What the function should compute, for the messages.
    reference : str, optional
        A hint shown on the first wrong case.

    Returns
    -------
    Feedback
        Passed when every case matches; otherwise names the first case that does not.
    """
    if function is None or not callable(function):
        return Feedback(False, f"Write a function that computes {what}.")
    for arguments, expected in cases:
        shown = ", ".join(_show(a) for a in arguments)
        try:
            result = function(*arguments)
        except NotImplementedError:
            return Feedback(False, f"Your function is not written yet: replace the ... with code that computes {what}.")
        except Exception as error:  # the learner's code: report any failure in words
            return Feedback(False, f"Calling it with ({shown}) raised {type(error).__name__}: {error}")
        if result is None or result is Ellipsis:
            return Feedback(False, f"Your function returned {result!r} for ({shown}); make it return {what}.")
        if np.shape(result) != np.shape(expected):
            return Feedback(False, f"For ({shown}) the result should have shape {np.shape(expected)}, "
                                   f"got {np.shape(result)}. {reference or ''}".strip())
        if not np.allclose(result, expected):
            return Feedback(False, f"For ({shown}) expected {_show(expected)}, got {_show(result)}"
                                   f"{_first_difference(result, expected)}. {reference or ''}".strip())
    return Feedback(True, f"Your function computes {what} on all {len(cases)} test cases.")


def _first_difference(result, expected):
    """Where two same-shaped arrays first differ, when printing them whole would not show it."""
    if np.ndim(expected) == 0 or np.size(expected) <= 12:
        return ""
    wrong = np.argwhere(~np.isclose(result, expected))
    where = tuple(int(i) for i in wrong[0])
    return (f" (they differ in {len(wrong)} of {np.size(expected)} places; first at index {where}: "
            f"expected {np.asarray(expected)[where]:.4g}, got {np.asarray(result)[where]:.4g})")


def _show(value):
    if isinstance(value, np.ndarray):
        if value.size <= 12:
            return np.array2string(value, separator=", ").replace("\n", "")
        return f"an array of shape {value.shape}"
    return repr(value)
