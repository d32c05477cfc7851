"""Checkers and reference solutions for notebooks/05_bias.ipynb."""

from __future__ import annotations

import numpy as np

from ..nn.activations import relu
from ._feedback import (Feedback, _not_answered, _show, call, check_function, counts_tries, empty, is_number,
                        is_stub, shortcut)
from ._solutions import Solution, Solutions


def _number(answer):
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer[()]
    return float(answer) if is_number(answer) else None


@counts_tries
def check_bias_for_flat(answer):
    """The bias that makes a 3 x 3 kernel of ones give 0.5 on an image that is 0.25 everywhere.

    Parameters
    ----------
    answer : float

    Returns
    -------
    Feedback
    """
    what = "the bias that makes the output 0.5"
    reveal = ("-1.75: each window holds nine pixels of 0.25, so it sums to 2.25, and "
              "2.25 + b = 0.5 gives b = 0.5 - 2.25 = -1.75.")
    if _not_answered(answer):
        return empty("a number")
    given = _number(answer)
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: the bias is one number.", reveal)
    if np.isclose(given, -1.75):
        return Feedback(True, "Each window sums to 9 x 0.25 = 2.25, and 2.25 - 1.75 = 0.5.")
    hint = "First work out what one window sums to before the bias; the bias is then added to that sum."
    if np.isclose(given, 0.5):
        hint = "0.5 would be right for a black image, whose windows sum to 0. Here the windows are not empty."
    elif np.isclose(given, 1.75):
        hint = "Right size, wrong sign: the window sum is already above 0.5, so the bias has to pull it down."
    elif np.isclose(given, 0.25):
        hint = "The kernel adds up all nine pixels of its window, not just one."
    return Feedback(False, f"You gave {given:g} for {what}. {hint}", reveal)


def _relu_cases():
    return [
        np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),
        np.array([[-1.0, 3.0], [2.0, -4.0]]),
        np.array([[[-1.5], [0.25]], [[7.0], [-0.0]]]),   # (H, W, C) with one channel
        np.arange(-3, 4),                                 # integers
    ]


@counts_tries
def check_relu(function):
    """``function(x)``: ReLU of an ndarray of any shape, a new array, ``x`` left unchanged.

    Parameters
    ----------
    function : callable or None
        The learner's ``my_relu``.

    Returns
    -------
    Feedback
    """
    reveal = "return np.maximum(x, 0): the larger of each element and 0, in a new array."
    if callable(function) and not is_stub(function):
        _, error = call(function, (np.array([[-1.0, 3.0], [2.0, -4.0]]),))
        if isinstance(error, ValueError) and "truth value of an array" in str(error):
            return Feedback(False, "Python's max() (or an if on the whole array) compares whole arrays, not "
                                   "element by element. NumPy has an element-by-element version of max.", reveal)
    cases = _relu_cases()
    mistakes = [
        (lambda x: np.abs(x), "Negative values should become 0, not positive: ReLU cuts them, it does not flip them."),
        (lambda x: np.minimum(x, 0), "That keeps the negative values and cuts the positive ones: the other way round."),
        (lambda x: (x > 0).astype(float), "That says where x is positive (1 or 0); ReLU keeps the positive values "
                                          "themselves."),
    ]
    feedback = check_function(function, [((case,), np.maximum(case, 0)) for case in cases],
                              "max(x, 0) element by element",
                              hint="ReLU keeps each positive value as it is and puts 0 in place of each negative one.",
                              answer_text=reveal, mistakes=mistakes)
    if not feedback.passed:
        return feedback
    lazy = shortcut(function, (cases[0],), (relu,), "ReLU", reveal)
    if lazy:
        return lazy
    for case in cases:
        given = case.copy()
        try:
            function(given)
        except Exception:  # it passed on copies of the same arrays a moment ago
            pass
        if not np.array_equal(given, case):
            return Feedback(False, "Your function gives the right values but changes the array it is "
                                   "given (it writes zeros into x). Return a new array instead, so the layer's "
                                   "input stays as it was.", reveal)
    return feedback


@counts_tries
def check_threshold_bias(answer):
    """The bias that, followed by ReLU, lets only window sums (outputs before the bias) above 1 pass.

    Parameters
    ----------
    answer : float

    Returns
    -------
    Feedback
    """
    what = "the bias that lets only values above 1 pass ReLU"
    reveal = "-1: a value r passes ReLU when r + b > 0, i.e. when r > -b; for the threshold 1, -b = 1."
    if _not_answered(answer):
        return empty("a number")
    given = _number(answer)
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: the bias is one number.", reveal)
    if np.isclose(given, -1.0):
        return Feedback(True, "With b = -1 a value r passes ReLU when r - 1 > 0, that is when r > 1.")
    if np.isclose(given, 1.0):
        hint = "That moves every value up by 1, so values above -1 pass, not above 1."
    else:
        hint = "A value r passes ReLU when r + b > 0. For which r does that hold, with your b?"
    return Feedback(False, f"You gave {given:g} for {what}. {hint}", reveal)


SOLUTIONS = Solutions("05_bias.ipynb", [
    Solution(1, check_bias_for_flat, "flat_bias", """
        window_sum = 9 * 0.25           # nine pixels of 0.25 under a kernel of ones
        flat_bias = 0.5 - window_sum    # window_sum + bias = 0.5
    """),
    Solution(2, check_relu, "my_relu", """
        def my_relu(x):
            return np.maximum(x, 0)   # a new array; x stays as it was
    """),
    Solution(3, check_threshold_bias, "threshold_bias", """
        threshold_bias = -1.0   # r passes when r + b > 0, i.e. r > -b = 1
    """),
])
show_solution = SOLUTIONS.show
