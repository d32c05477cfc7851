"""Checkers and reference solutions for notebooks/04_stride.ipynb."""

from __future__ import annotations

import math

import numpy as np

from ..conv import explain_output_size, output_size
from ..geometry import never_covered
from ._feedback import (Feedback, _all_results, _not_answered, _show, call, counts_tries, empty, is_number, is_stub,
                        shortcut, whole_number)
from ._solutions import Solution, Solutions

# (n, k, s, p) cases: whole and fractional divisions, padding, a kernel as large as the input.
_SIZE_CASES = [(7, 3, 2, 0), (8, 3, 2, 0), (224, 7, 2, 3), (4, 3, 2, 1), (32, 3, 2, 1), (10, 3, 4, 0),
               (5, 5, 3, 0), (28, 5, 1, 2)]

# Typical wrong formulas and what to say about each.
_MISTAKES = [
    (lambda n, k, s, p: (n + 2 * p - k) / s + 1,
     "Your result is not a whole number: the window takes whole steps, so a window that would stick out "
     "past the padded input does not count. How do you round the division, then?"),
    (lambda n, k, s, p: math.ceil((n + 2 * p - k) / s) + 1,
     "You rounded the division up; a window that would stick out past the padded input does not "
     "count, so round down (floor, // in Python)."),
    (lambda n, k, s, p: round((n + 2 * p - k) / s) + 1,
     "You rounded to the nearest whole number; a window that would stick out past the padded input does "
     "not count, so round down."),
    (lambda n, k, s, p: (n + 2 * p - k) // s,
     "You are one short: the first window (at position 0) counts too, so add 1 after dividing."),
    (lambda n, k, s, p: (n + 2 * p - k + 1) // s,
     "Divide only the distance the window can travel, (n + 2p - k), by the stride, then count the first "
     "window too."),
    (lambda n, k, s, p: (n + p - k) // s + 1,
     "The padding p is added on both sides: the padded input has n + 2p pixels."),
    (lambda n, k, s, p: (n + 2 * p - k + 1) / s,
     "Not the stride-1 size divided by s: the window travels n + 2p - k pixels in steps of s, plus the "
     "first window."),
]

_SIZE_ANSWER = ("(n + 2 * p - k) // s + 1: the window travels n + 2p - k pixels in whole steps of s, plus the "
                "first window.")


@counts_tries
def check_output_size(function):
    """``function(n, k, s, p)``: the output size for input ``n``, kernel ``k``, stride ``s``, padding ``p``.

    A whole number as a float (``np.floor`` returns one) counts as right.

    Parameters
    ----------
    function : callable or None
        The learner's function; ``None``, ``...`` or a body that is still ``...`` count as not written yet.

    Returns
    -------
    Feedback
        Passed when every case matches :func:`conv2d_lib.output_size`; otherwise names
        the first case that does not and, when the mistake is a common one, what to change.
    """
    if _not_answered(function) or (callable(function) and is_stub(function)):
        return empty("your function's code")
    if not callable(function):
        return Feedback(False, f"Give a function (the name after def), got {_show(function)}.", _SIZE_ANSWER)
    results = []
    for n, k, s, p in _SIZE_CASES:
        expected = output_size(n, k, stride=s, padding=p)
        result, error = call(function, (n, k, s, p))
        if isinstance(error, NotImplementedError):
            return empty("your function's code")
        if error is not None:
            return Feedback(False, f"Calling it with (n={n}, k={k}, s={s}, p={p}) raised "
                                   f"{type(error).__name__}: {error}", _SIZE_ANSWER)
        if result is None:
            return Feedback(False, "Your function returned None: did you forget `return`?", _SIZE_ANSWER)
        if isinstance(result, np.ndarray) and result.ndim == 0:
            result = result[()]
        if not is_number(result):
            return Feedback(False, f"For (n={n}, k={k}, s={s}, p={p}) your function returned {_show(result)}; "
                                   "it should return one whole number.", _SIZE_ANSWER)
        results.append(result)
        if whole_number(result) == expected:
            continue
        hint = _diagnose(_all_results(function, [(case, None) for case in _SIZE_CASES], results))
        if not hint and whole_number(result) is None:
            hint = _MISTAKES[0][1]
        return Feedback(False, f"For n={n}, k={k}, s={s}, p={p} the output size is {expected}, "
                               f"your function gave {_show(result)}. {hint}".strip(), _SIZE_ANSWER)
    return shortcut(function, _SIZE_CASES[0], (output_size, explain_output_size), "the formula", _SIZE_ANSWER) or \
        Feedback(True, f"Your formula gives the right size on all {len(_SIZE_CASES)} cases, "
                       "including those where the division is not whole.")


def _diagnose(results):
    """The hint of the first typical mistake that gives the learner's results on the cases so far, or ""."""
    for formula, why in _MISTAKES:
        try:
            if all(np.isclose(formula(*case), result) for case, result in zip(_SIZE_CASES, results)):
                return why
        except Exception:  # a result that is not a number (a later case): not this formula
            continue
    return ""


@counts_tries
def check_halving_stride(answer):
    """The stride that turns a 32 x 32 map into 16 x 16 with a 3 x 3 kernel and padding 1.

    Parameters
    ----------
    answer : int

    Returns
    -------
    Feedback
    """
    reveal = "2: floor((32 + 2 - 3) / 2) + 1 = 15 + 1 = 16; the window visits every other position."
    if _not_answered(answer):
        return empty("a whole number")
    given = whole_number(answer)
    if given is not None and isinstance(answer, (float, np.floating)):
        return Feedback(False, f"You gave {_show(answer)}: conv2d takes the stride as an int (stride=2.0 raises a "
                               "TypeError). Write it without a decimal point.", reveal)
    if given == 2:
        return Feedback(True, "Stride 2: floor((32 + 2 - 3) / 2) + 1 = 16, every other position.")
    if given is not None and given >= 1:
        size = output_size(32, 3, stride=given, padding=1)
        return Feedback(False, f"Stride {given} gives floor((32 + 2 - 3) / {given}) + 1 = {size}, not 16. "
                               "Which step makes the window visit every other position?", reveal)
    return Feedback(False, f"You gave {_show(answer)}: a stride is a whole number of pixels, 1 or more. Try "
                           "output_size(32, 3, stride=s, padding=1) for a few s.", reveal)


@counts_tries
def check_never_covered(answer):
    """How many of the 10 rows a 3 x 3 kernel at stride 4 (no padding) never reaches after its last window.

    Parameters
    ----------
    answer : int

    Returns
    -------
    Feedback
    """
    expected = never_covered(10, 3, stride=4)
    what = "the number of rows after the last window that are never reached (10 rows, kernel 3, stride 4)"
    reveal = (f"{expected}: the windows start at rows 0 and 4 (the next one, at 8, would need rows 8, 9 and 10), "
              "so they cover rows 0-2 and 4-6; after the last window, rows 7, 8 and 9 are never reached.")
    if _not_answered(answer):
        return empty("a whole number")
    given = whole_number(answer)
    if given == expected:
        return Feedback(True, "Rows 7, 8 and 9: the windows start at rows 0 and 4, and one at row 8 would "
                              "need a row 10.")
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: count rows, a whole number.", reveal)
    hints = {
        output_size(10, 3, stride=4): "That is the number of windows (the output size), not of rows left over.",
        expected + 1: "You counted row 3 too: it is skipped between the two windows, not left over at the end.",
        0: "Some rows are left over: write down the first row of each window (0, 4, ...) and the rows it covers.",
    }
    hint = hints.get(given, "Write down where each window starts (0, 4, ...), which rows it covers, and where "
                            "the next one would need rows the input does not have.")
    return Feedback(False, f"You gave {given} for {what}. {hint}", reveal)


@counts_tries
def check_dilated_reach(answer):
    """How many pixels a 3 x 3 kernel with dilation 3 spans along one axis.

    Parameters
    ----------
    answer : int

    Returns
    -------
    Feedback
    """
    what = "the number of pixels a 3-tap kernel with dilation 3 spans"
    reveal = ("7: the 3 taps sit at offsets 0, 3 and 6, so the window runs from pixel 0 to pixel 6: "
              "d * (k - 1) + 1 = 3 * 2 + 1 pixels.")
    if _not_answered(answer):
        return empty("a whole number")
    given = whole_number(answer)
    if given == 7:
        return Feedback(True, "The taps sit at offsets 0, 3 and 6: the window spans 3 * (3 - 1) + 1 = 7 pixels.")
    hints = {
        9: "Not k * d: the last tap ends the window, nothing comes after it.",
        3: "That is the number of taps; dilation spreads them apart, so they span more pixels.",
        6: "That is the offset of the last tap; count the pixels from the first tap to the last, both included.",
        5: "That is the span at dilation 2. At dilation 3, at which offsets do the taps sit?",
    }
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: count pixels, a whole number.", reveal)
    return Feedback(False, f"You gave {given} for {what}. " + hints.get(
        given, "Write down the offsets of the 3 taps when they are 3 apart, then count the pixels from the "
               "first to the last."), reveal)


SOLUTIONS = Solutions("04_stride.ipynb", [
    Solution(1, check_output_size, "my_output_size", """
        def my_output_size(n, k, s, p):
            # whole steps of s over the padded input, plus the first window
            return (n + 2 * p - k) // s + 1
    """),
    Solution(2, check_halving_stride, "halving_stride", """
        halving_stride = 2   # floor((32 + 2 - 3) / 2) + 1 = 16
    """),
    Solution(3, check_never_covered, "rows_never_reached", """
        # windows at rows 0-2 and 4-6; one at row 8 would need row 10, so rows 7, 8, 9 stay unread
        rows_never_reached = 3
    """),
    Solution(4, check_dilated_reach, "dilated_span", """
        dilated_span = 7   # taps at offsets 0, 3 and 6: d * (k - 1) + 1
    """),
])
show_solution = SOLUTIONS.show
