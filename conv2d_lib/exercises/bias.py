"""Checkers for notebooks/05_bias.ipynb."""

from __future__ import annotations

import numpy as np

from ._feedback import Feedback, check_function, check_value


def check_bias_for_blank(answer):
    """The bias that makes the output of an all-zero image equal 0.5 everywhere."""
    return check_value(answer, 0.5, "the bias that makes a black image's output 0.5",
                       "On an all-zero image every window sums to 0, so each output is the bias alone.")


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
    cases = [
        np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),
        np.array([[-1.0, 3.0], [2.0, -4.0]]),
        np.array([[[-1.5], [0.25]], [[7.0], [-0.0]]]),  # (H, W, C) with one channel
        np.arange(-3, 4),                                # integers
    ]
    feedback = check_function(function, [((case.copy(),), np.maximum(case, 0)) for case in cases],
                              "max(x, 0) element by element",
                              reference="Hint: np.maximum(x, 0) keeps positives and turns negatives into 0.")
    if not feedback.passed:
        if "truth value of an array" in feedback.message:  # Python's max(x, 0) on an array
            return Feedback(False, "Python's max() compares whole arrays, not element by element. "
                                   "NumPy's np.maximum(x, 0) takes the larger of x and 0 for every element.")
        return feedback
    for case in cases:
        given = case.copy()
        function(given)
        if not np.array_equal(given, case):
            return Feedback(False, "Your function gives the right values but changes the array it is "
                                   "given (it writes zeros into x). Return a new array instead, e.g. "
                                   "np.maximum(x, 0), so the layer's input stays as it was.")
    return feedback


def check_threshold_bias(answer):
    """The bias that, followed by ReLU, lets only correlation values above 1 pass."""
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool) \
            and np.isclose(answer, 1.0):
        return Feedback(False, "You gave 1: that moves every value up by 1, so values above -1 pass. "
                               "A value r passes when r + b > 0, i.e. r > -b; which b makes -b = 1?")
    return check_value(answer, -1.0, "the bias that lets only values above 1 pass ReLU",
                       "A value r passes ReLU when r + b > 0, i.e. when r > -b. For the threshold 1, "
                       "-b = 1.")
