"""Checkers and reference solutions for notebooks/03_padding.ipynb."""

from __future__ import annotations

import numpy as np

from ..conv import explain_output_size, output_size
from ._feedback import (Feedback, _not_answered, _show, check_function, counts_tries, empty, number_tuple, shortcut,
                        whole_number)
from ._solutions import Solution, Solutions

_SIZE_CASES = [(5, 3, 0), (5, 3, 1), (32, 5, 2), (7, 7, 0), (10, 3, 4), (4, 5, 1)]
_SIZE_ANSWER = ("n + 2 * p - k + 1: the padded input has n + 2p pixels, and a k-wide window fits in n + 2p - k + 1 "
                "positions.")


@counts_tries
def check_output_size(function):
    """``function(n, k, p)``: output size for stride 1, kernel ``k``, ``p`` zeros on each side.

    Parameters
    ----------
    function : callable
        The learner's ``my_output_size``.

    Returns
    -------
    Feedback
    """
    cases = [((n, k, p), output_size(n, k, padding=p)) for n, k, p in _SIZE_CASES]
    mistakes = [
        (lambda n, k, p: n + 2 * p - k,
         "Every answer is one short: the first window position counts too. With n = k and no padding the "
         "kernel fits exactly once."),
        (lambda n, k, p: n + p - k + 1,
         "The padding is added on both sides: the padded input has n + 2p pixels."),
        (lambda n, k, p: n - k + 1,
         "Your size does not change with p: the padded input is larger than n."),
        (lambda n, k, p: n + 2 * p - k - 1,
         "Two short: count the window positions on a small case, say n = 3, k = 3, p = 0."),
        (lambda n, k, p: n + 2 * p,
         "That is the size of the padded input; the kernel still needs room to fit."),
    ]
    feedback = check_function(function, cases, "the output size",
                              hint="Pad first, then count the positions a k-wide window fits in, as in lesson 02.",
                              answer_text=_SIZE_ANSWER,
                              mistakes=mistakes)
    if feedback.passed:
        return shortcut(function, cases[0][0], (output_size, explain_output_size), "the formula",
                        _SIZE_ANSWER) or feedback
    return feedback


@counts_tries
def check_same_padding(answer):
    """The padding that keeps a 28 x 28 image 28 x 28 under a 5 x 5 kernel at stride 1.

    Parameters
    ----------
    answer : int

    Returns
    -------
    Feedback
    """
    what = "the padding that keeps the size with a 5 x 5 kernel"
    reveal = "2: the output loses k - 1 = 4 pixels per axis, and 2 on each side give them back."
    if _not_answered(answer):
        return empty("a whole number")
    given = whole_number(answer)
    if given is not None and isinstance(answer, (float, np.floating)):
        return Feedback(False, f"You gave {_show(answer)}: conv2d takes the padding as an int (padding=2.0 raises a "
                               "TypeError). Write it without a decimal point.", reveal)
    hints = {
        4: "4 is how many pixels the kernel takes off each axis in all; padding is added on both sides.",
        5: "That is the kernel size. How many pixels does the kernel take off each axis, and how many does "
           "padding p add back?",
        1: "Too little: what size does a 28 x 28 image become with a 5 x 5 kernel and that padding?",
        3: "Too much: what size does a 28 x 28 image become with a 5 x 5 kernel and that padding?",
    }
    if given == 2:
        return Feedback(True, "Padding 2 keeps 28 x 28: 28 + 2 * 2 - 5 + 1 = 28.")
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: padding is a whole number of pixels per side.", reveal)
    return Feedback(False, f"You gave {given} for {what}. " + hints.get(
        given, "How many pixels does a 5 x 5 kernel take off each axis? Padding adds p on each side."), reveal)


@counts_tries
def check_reflect_row(answer):
    """The row [4, 5, 6, 7] reflect-padded by 2 on each side.

    Parameters
    ----------
    answer : list of numbers
        A tuple or a 1-D array counts too.

    Returns
    -------
    Feedback
    """
    reveal = ("[6, 5, 4, 5, 6, 7, 6, 5]: reflect mirrors around the edge pixel without repeating it, "
              "6 5 | 4 5 6 7 | 6 5.")
    if _not_answered(answer):
        return empty("a list of 8 numbers")
    given = number_tuple(answer)
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: write the padded row as a list of numbers, "
                               "like [1, 2, 3].", reveal)
    row = np.array([4, 5, 6, 7])
    if given == tuple(np.pad(row, 2, mode="reflect")):
        return Feedback(True, "6 5 | 4 5 6 7 | 6 5: mirrored around the edge pixels, which appear once.")
    others = {
        "symmetric": "That repeats the edge pixel (NumPy calls it 'symmetric'): reflect mirrors around the "
                     "edge pixel itself, so it appears only once.",
        "edge": "That repeats the edge pixel outwards (replicate): reflect mirrors the pixels next to it.",
        "wrap": "That wraps around (circular): reflect mirrors at each edge instead of taking the other end.",
        "constant": "That is zero padding: reflect copies pixels of the row itself.",
    }
    for mode, hint in others.items():
        if given == tuple(np.pad(row, 2, mode=mode)):
            return Feedback(False, f"You gave {list(answer)!r}. {hint}", reveal)
    if len(given) != 8:
        return Feedback(False, f"You gave {len(given)} numbers: 4 pixels plus 2 on each side make 8.", reveal)
    if given[2:6] != (4, 5, 6, 7):
        return Feedback(False, "The row itself stays in the middle, unchanged: 4, 5, 6, 7 at places 2 to 5.",
                        reveal)
    return Feedback(False, f"You gave {list(answer)!r}. Mirror the row at its edge pixel, as if a mirror stood "
                           "on the 4 (and on the 7).", reveal)


SOLUTIONS = Solutions("03_padding.ipynb", [
    Solution(1, check_output_size, "my_output_size", """
        def my_output_size(n, k, p):
            return n + 2 * p - k + 1   # the padded input has n + 2p pixels
    """),
    Solution(2, check_same_padding, "same_padding", """
        # a 5 x 5 kernel takes off k - 1 = 4 pixels per axis; 2 on each side give them back
        same_padding = 2
    """),
    Solution(3, check_reflect_row, "reflected", """
        # 6 5 | 4 5 6 7 | 6 5: mirrored around the edge pixels, which appear once
        reflected = [6, 5, 4, 5, 6, 7, 6, 5]
    """),
])
show_solution = SOLUTIONS.show
