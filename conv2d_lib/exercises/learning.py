"""Checkers and reference solutions for notebooks/11_learning_a_kernel.ipynb.

Exercises 1 and 2 use one weight: a 1 x 1 kernel ``w`` on a 1 x 3 image
``x = [[1, 2, 3]]`` whose target is ``t = 2 * x``, with the loss
``mean((w * x - t) ** 2)``.
"""

from __future__ import annotations

import numpy as np

from ._feedback import Feedback, _not_answered, _show, counts_tries, empty, is_number, whole_number
from ._solutions import Solution, Solutions

X = np.array([[1.0, 2.0, 3.0]])
T = 2 * X
W, LEARNING_RATE = 1.0, 0.05


def _number(answer):
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.reshape(())[()]
    return float(answer) if is_number(answer) else None


def _gradient(w, factor=2.0, mean=True):
    """d/dw of mean((w x - t)^2), or the slips: no factor 2, a sum instead of a mean."""
    total = np.sum(factor * (w * X - T) * X)
    return total / X.size if mean else total


@counts_tries
def check_one_step(answer):
    """The weight after one step of gradient descent from ``w = 1`` with learning rate 0.05.

    Parameters
    ----------
    answer : float

    Returns
    -------
    Feedback
    """
    right = W - LEARNING_RATE * _gradient(W)
    reveal = (f"{right:.4f}: the gradient is mean(2 * (w * x - t) * x) = 2 * (-1 * 1 - 2 * 2 - 3 * 3) / 3 = "
              f"{_gradient(W):.4f}, and the step is w - 0.05 * gradient = 1 + 0.05 * 9.3333 = {right:.4f}.")
    if _not_answered(answer):
        return empty("a number")
    given = _number(answer)
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: the new weight is one number.", reveal)
    if np.isclose(given, right, rtol=1e-3):
        return Feedback(True, f"The gradient is {_gradient(W):.3f} (negative: a larger w lowers the loss), so the "
                              f"step moves w up, to {right:.4f}.")
    hint = ("Work out the gradient first: the loss is a mean over the three pixels of (w x - t)^2, and the "
            "derivative of a square u^2 is 2u times the derivative of u. Then step against it.")
    if np.isclose(given, W + LEARNING_RATE * _gradient(W), rtol=1e-3):
        hint = ("Right size, wrong way: you moved with the gradient. The loss falls when w moves against it: "
                "w - learning_rate * gradient.")
    elif np.isclose(given, W - LEARNING_RATE * _gradient(W, factor=1.0), rtol=1e-3):
        hint = "Almost: the derivative of (w x - t)^2 has a factor 2 in front, 2 (w x - t) x."
    elif np.isclose(given, W - LEARNING_RATE * _gradient(W, mean=False), rtol=1e-3):
        hint = "The loss is a mean, not a sum: divide by the number of pixels (3)."
    elif np.isclose(given, W - _gradient(W), rtol=1e-3):
        hint = "The step is the gradient times the learning rate, not the gradient itself."
    elif np.isclose(given, -LEARNING_RATE * _gradient(W), rtol=1e-3):
        hint = "That is how far the weight moves; the question asks for the weight after the move."
    return Feedback(False, f"You gave {given:g} for the new weight. {hint}", reveal)


@counts_tries
def check_largest_rate(answer):
    """The learning rate above which plain gradient descent on the one-weight loss diverges.

    Parameters
    ----------
    answer : float

    Returns
    -------
    Feedback
    """
    curvature = 2 * np.mean(X ** 2)  # the second derivative of mean((w x - t)^2) in w
    right = 2 / curvature
    reveal = (f"3/14 = {right:.4f}: the curvature (second derivative) is 2 * mean(x^2) = 2 * 14 / 3 = "
              f"{curvature:.4f}, and each step multiplies the distance to the best w by "
              "1 - learning_rate * curvature, which is below -1 (a growing overshoot) once learning_rate > "
              f"2 / curvature = {right:.4f}.")
    if _not_answered(answer):
        return empty("a number")
    given = _number(answer)
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: a learning rate is one number.", reveal)
    if np.isclose(given, right, rtol=2e-3):
        return Feedback(True, f"Above {right:.4f} each step overshoots the best weight by more than it was "
                              "off before, on the other side: the loss grows step after step.")
    hint = ("Each step multiplies the distance to the best w by 1 - learning_rate * curvature, where the "
            "curvature is the second derivative of the loss in w. When does that factor go below -1?")
    if np.isclose(given, 1 / curvature, rtol=2e-3):
        hint = ("That rate lands on the best w in one step (the factor is 0). Larger rates overshoot; "
                "the loss only grows once the overshoot is larger than the distance it started from.")
    elif np.isclose(given, 1 / np.mean(X ** 2) / 2, rtol=2e-3) or np.isclose(given, 2 / np.mean(X ** 2), rtol=2e-3):
        hint = "Check the curvature: the second derivative of mean((w x - t)^2) in w is 2 mean(x^2)."
    elif np.isclose(given, 2 / (2 * np.sum(X ** 2)), rtol=2e-3):
        hint = "The loss is a mean over the pixels, so its curvature is 2 mean(x^2), not 2 sum(x^2)."
    return Feedback(False, f"You gave {given:g} for the largest stable learning rate. {hint}", reveal)


@counts_tries
def check_rgb_weights(answer):
    """How many weights a 3 x 3 kernel from an RGB image to one output map has to learn.

    Parameters
    ----------
    answer : int

    Returns
    -------
    Feedback
    """
    reveal = "27: weights of shape (C_out, C_in, kH, kW) = (1, 3, 3, 3), one 3 x 3 kernel per colour channel."
    if _not_answered(answer):
        return empty("a whole number")
    given = whole_number(answer)
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: count the weights, a whole number.", reveal)
    if given == 27:
        return Feedback(True, "The weights have shape (1, 3, 3, 3): 3 x 3 x 3 = 27 numbers, three times as many "
                              "as a grey image's kernel, so gradient descent has 27 directions to find.")
    hint = "Write the weights' shape (C_out, C_in, kH, kW) for this layer and multiply."
    if given == 9:
        hint = "That is a grey image's kernel. An RGB image has three input channels, and each has its own 3 x 3."
    elif given == 28:
        hint = "That counts a bias too. The question counts the kernel's weights only."
    elif given == 3:
        hint = "That is the number of input channels; each of them has a whole 3 x 3 kernel."
    return Feedback(False, f"You gave {given} for the number of weights. {hint}", reveal)


SOLUTIONS = Solutions("11_learning_a_kernel.ipynb", [
    Solution(1, check_one_step, "new_w", """
        gradient = np.mean(2 * (w * x - t) * x)   # d/dw of mean((w * x - t) ** 2): -9.33
        new_w = w - lr * gradient                 # a step against the gradient
    """, given="""
        x = np.array([[1.0, 2.0, 3.0]])
        t = 2 * x
        w, lr = 1.0, 0.05
    """),
    Solution(2, check_largest_rate, "largest_rate", """
        curvature = 2 * np.mean(x ** 2)   # the second derivative of the loss in w
        largest_rate = 2 / curvature      # above it, 1 - rate * curvature < -1: each step overshoots further
    """, given="""
        x = np.array([[1.0, 2.0, 3.0]])
    """),
    Solution(3, check_rgb_weights, "rgb_weights", """
        rgb_weights = 1 * 3 * 3 * 3   # (C_out, C_in, kH, kW) = (1, 3, 3, 3)
    """),
])
show_solution = SOLUTIONS.show
