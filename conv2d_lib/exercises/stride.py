"""Checkers for notebooks/04_stride.ipynb."""

from __future__ import annotations

import math

import numpy as np

from ..conv import output_size
from ..geometry import never_covered
from ._feedback import Feedback, _not_answered, check_value

# (n, k, s, p) cases: whole and fractional divisions, padding, a kernel as large as the input.
_SIZE_CASES = [(7, 3, 2, 0), (8, 3, 2, 0), (224, 7, 2, 3), (4, 3, 2, 1), (32, 3, 2, 1), (10, 3, 4, 0),
               (5, 5, 3, 0), (28, 5, 1, 2)]

# Typical wrong formulas and what to say about each.
_MISTAKES = [
    (lambda n, k, s, p: (n + 2 * p - k) / s + 1,
     "Your result is not a whole number: the window takes whole steps, so round the division "
     "down (floor, // in Python)."),
    (lambda n, k, s, p: math.ceil((n + 2 * p - k) / s) + 1,
     "You rounded the division up; a window that would stick out past the padded input does not "
     "count, so round down (floor, //)."),
    (lambda n, k, s, p: round((n + 2 * p - k) / s) + 1,
     "You rounded to the nearest whole number; round down instead (floor, //)."),
    (lambda n, k, s, p: (n + 2 * p - k) // s,
     "You are one short: the first window (at position 0) counts too, so add 1 after dividing."),
    (lambda n, k, s, p: (n + 2 * p - k + 1) // s,
     "Divide only the distance the window can travel, (n + 2p - k), by the stride, then add 1 "
     "for the first window."),
    (lambda n, k, s, p: (n + p - k) // s + 1,
     "The padding p is added on both sides: the padded input has n + 2p pixels."),
]


def check_output_size(function):
    """``function(n, k, s, p)``: the output size for input ``n``, kernel ``k``, stride ``s``, padding ``p``.

    Parameters
    ----------
    function : callable or None
        The learner's function; ``None`` or one returning ``...`` counts as not written yet.

    Returns
    -------
    Feedback
        Passed when every case matches :func:`conv2d_lib.output_size`; otherwise names
        the first case that does not and, when the mistake is a common one, what to change.
    """
    if function is None or function is Ellipsis or not callable(function):
        return Feedback(False, "Write a function my_output_size(n, k, s, p) that returns the output size.")
    for n, k, s, p in _SIZE_CASES:
        expected = output_size(n, k, stride=s, padding=p)
        try:
            result = function(n, k, s, p)
        except NotImplementedError:
            return Feedback(False, "Your function is not written yet: replace the ... with the formula.")
        except Exception as error:  # the learner's code: report any failure in words
            return Feedback(False, f"Calling it with (n={n}, k={k}, s={s}, p={p}) raised "
                                   f"{type(error).__name__}: {error}")
        if result is None or result is Ellipsis:
            return Feedback(False, f"Your function returned {result!r}; make it return the output size "
                                   "(replace the ... with the formula and return it).")
        if not isinstance(result, (int, float, np.integer, np.floating)) or isinstance(result, bool):
            return Feedback(False, f"For (n={n}, k={k}, s={s}, p={p}) your function returned {result!r}; "
                                   "it should return one whole number.")
        if result == expected and float(result).is_integer():
            continue
        hint = _diagnose(function)
        if not hint and not float(result).is_integer():
            hint = _MISTAKES[0][1]
        return Feedback(False, f"For n={n}, k={k}, s={s}, p={p} the output size is {expected}, "
                               f"your function gave {result!r}. {hint}".strip())
    return Feedback(True, f"Your formula gives the right size on all {len(_SIZE_CASES)} cases, "
                          "including those where the division is not whole.")


def _diagnose(function):
    """The hint of the first typical mistake that matches ``function`` on every case, or ""."""
    try:
        results = [function(*case) for case in _SIZE_CASES]
    except Exception:  # the learner's code: no diagnosis then
        return ""
    for formula, why in _MISTAKES:
        if all(formula(*case) == result for case, result in zip(_SIZE_CASES, results)):
            return why
    return ""


def check_halving_stride(answer):
    """The stride that turns a 32 x 32 map into 16 x 16 with a 3 x 3 kernel and padding 1.

    Returns
    -------
    Feedback
    """
    what = "the stride that halves a 32 x 32 map (kernel 3, padding 1)"
    if _not_answered(answer):
        return Feedback(False, f"Replace the ... with {what}.")
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool) and answer >= 1 and answer != 2:
        size = output_size(32, 3, stride=int(answer), padding=1)
        return Feedback(False, f"Stride {answer} gives floor((32 + 2 - 3) / {answer}) + 1 = {size}, "
                               "not 16. Which step makes the window visit every other position?")
    return check_value(answer, 2, what,
                       "The stride must be a whole number >= 1: try output_size(32, 3, stride=s, padding=1) "
                       "for a few s.")


def check_never_covered(answer):
    """How many of the 10 rows a 3 x 3 kernel at stride 4 (no padding) never reaches.

    Returns
    -------
    Feedback
    """
    expected = never_covered(10, 3, stride=4)
    what = "the number of rows after the last window that are never reached (10 rows, kernel 3, stride 4)"
    if _not_answered(answer):
        return Feedback(False, f"Replace the ... with {what}.")
    why = ("The windows start at rows 0 and 4 (the next one, at 8, would need rows 8, 9 and 10), "
           "so they cover rows 0-2 and 4-6; after the last window, rows 7, 8 and 9 are never reached.")
    if answer == output_size(10, 3, stride=4):
        why = "That is the number of windows (the output size), not of rows left over. " + why
    if answer == expected + 1:
        why = "You counted row 3 too: it is skipped between the two windows, not left over at the end. " + why
    return check_value(answer, expected, what, why)


def check_dilated_reach(answer):
    """How many pixels a 3 x 3 kernel with dilation 3 spans along one axis.

    Returns
    -------
    Feedback
    """
    what = "the number of pixels a 3-tap kernel with dilation 3 spans"
    why = ("The 3 taps sit at offsets 0, 3 and 6, so the window runs from pixel 0 to pixel 6: "
           "d * (k - 1) + 1 = 3 * 2 + 1 pixels.")
    if answer == 9:
        why = "Not k * d: the last tap ends the window, nothing comes after it. " + why
    return check_value(answer, 7, what, why)
