"""Checkers and reference solutions for notebooks/10_backpropagation.ipynb."""

from __future__ import annotations

import numpy as np

from .. import images
from ..backward import conv2d_backward, conv2d_backward_loops
from ..conv import conv2d
from ._feedback import Feedback, _not_answered, _show, check_function, counts_tries, empty, int_tuple, is_number, shortcut
from ._solutions import Solution, Solutions

# Exercise 1: the lesson's image with another grad_output, and one weight.
EXERCISE_GRAD = np.array([[0.0, 1.0, 0.0], [2.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
EXERCISE_WEIGHT = (2, 0)

# Exercise 2: the layer and the batch.
LAYER = dict(in_channels=3, out_channels=6, kernel_size=3, stride=2, padding=1)
BATCH = (8, 32, 32, 3)
SHAPE_NAMES = ("grad_output", "grad_image", "grad_weights", "grad_bias")


def _number(answer):
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer[()]
    return float(answer) if is_number(answer) else None


def _exercise_one():
    """The image, kernel and window of exercise 1, and the gradient it asks for."""
    x, k = images.small_numbers(), images.small_weights(3, seed=3)
    i, j = EXERCISE_WEIGHT
    window = x[i:i + 3, j:j + 3]   # the pixels weight (i, j) met, one per output
    return x, k, window, float(np.sum(window * EXERCISE_GRAD))


@counts_tries
def check_weight_gradient(answer):
    """The gradient of weight [2, 0] for the small numbers image and exercise 1's grad_output, worked out by hand.

    Parameters
    ----------
    answer : float

    Returns
    -------
    Feedback
    """
    x, k, window, expected = _exercise_one()
    i, j = EXERCISE_WEIGHT
    what = f"the gradient of weight [{i}, {j}]"
    reveal = (f"{expected:g}: weight [{i}, {j}] met the pixels x[{i}:{i + 3}, {j}:{j + 3}] (one per output), so its "
              f"gradient is np.sum(x[{i}:{i + 3}, {j}:{j + 3}] * exercise_grad): the pixels times the gradient of "
              "the output each one made, added up.")
    if _not_answered(answer):
        return empty("a number")
    given = _number(answer)
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: a weight's gradient is one number.", reveal)
    if np.isclose(given, expected):
        return Feedback(True, f"Weight [{i}, {j}] met x[{i}:{i + 3}, {j}:{j + 3}]; those pixels times exercise_grad, "
                              f"summed, give {expected:g}.")
    swapped = float(np.sum(x[j:j + 3, i:i + 3] * EXERCISE_GRAD))
    flipped = float(np.sum(window * EXERCISE_GRAD[::-1, ::-1]))
    hint = ("At output (r, c) weight [2, 0] lies on pixel (r + 2, c + 0). Multiply each of those pixels by "
            "exercise_grad at (r, c), not the lesson's grad_output, and add the nine products.")
    if np.isclose(given, swapped):
        hint = "That is the gradient of weight [0, 2]: the first index is the kernel's row, the second its column."
    elif np.isclose(given, window.sum()):
        hint = ("That is the sum of the pixels the weight met, but each counts as much as its output matters to "
                "the loss: multiply it by exercise_grad there first.")
    elif np.isclose(given, EXERCISE_GRAD.sum()):
        hint = "That is the sum of exercise_grad alone (the bias's gradient). The weight's gradient also needs the pixels it met."
    elif np.isclose(given, flipped):
        hint = ("exercise_grad is laid on the pixels as it is, not flipped: pixel x[2 + r, c] goes with "
                "exercise_grad[r, c].")
    elif np.isclose(given, float(np.sum(window * k))):
        hint = "That is the output at [2, 0] (window times kernel). The gradient multiplies the pixels by exercise_grad, not by the kernel."
    return Feedback(False, f"You gave {given:g} for {what}. {hint}", reveal)


def expected_shapes():
    """The shape of every gradient of exercise 2's layer on its batch, as ``conv2d_lib.output_size`` gives them."""
    from ..conv import output_size

    n, h, w, c_in = BATCH
    c_out, k = LAYER["out_channels"], LAYER["kernel_size"]
    h_out, w_out = output_size((h, w), (k, k), LAYER["stride"], LAYER["padding"])
    return {"grad_output": (n, h_out, w_out, c_out), "grad_image": BATCH,
            "grad_weights": (c_out, c_in, k, k), "grad_bias": (c_out,)}


def _shape_hint(name, given, expected):
    """The hint for one wrong shape."""
    n, h, w, c_in = BATCH
    c_out, k = LAYER["out_channels"], LAYER["kernel_size"]
    if name == "grad_bias" and given == (1,):
        return "There is one bias per output map, and so one gradient per output map."
    if len(given) != len(expected):
        owner = {"grad_output": "the layer's output", "grad_image": "the batch of images",
                 "grad_weights": "the weights", "grad_bias": "the bias"}[name]
        axes = "1 axis" if len(expected) == 1 else f"{len(expected)} axes"
        return f"{name} has {axes}: every gradient has exactly the shape of what it belongs to ({owner})."
    if name == "grad_output":
        if given == (n, h, w, c_out):
            return "Output size: the stride 2 makes the output smaller, (H + 2 * padding - kH) // stride + 1."
        if given == (n, (h - k) // 2 + 1, (w - k) // 2 + 1, c_out):
            return "Output size: remember the padding of 1 on each side."
        if given[-1] == c_in:
            return "grad_output is shaped like the output, whose last axis holds C_out maps, not C_in channels."
        if given[1] == c_out:
            return "Channels-last: the output is (N, H_out, W_out, C_out)."
        return "grad_output has the shape of the layer's output: (N, H_out, W_out, C_out)."
    if name == "grad_image":
        if given[1] == c_in:
            return "Channels-last: the image is (N, H, W, C_in), and so is its gradient."
        return "grad_image has exactly the shape of the image the layer was given, the batch included."
    if name == "grad_weights":
        if given == (c_in, c_out, k, k):
            return "Weights are (C_out, C_in, kH, kW): output maps first."
        return "grad_weights has the shape of the weights, (C_out, C_in, kH, kW); the batch adds up into it."
    return "grad_bias has the shape of the bias: one number per output map."


@counts_tries
def check_gradient_shapes(answer):
    """The shape of grad_output, grad_image, grad_weights and grad_bias for exercise 2's layer and batch.

    Parameters
    ----------
    answer : dict
        ``{"grad_output": (...), "grad_image": (...), "grad_weights": (...), "grad_bias": (...)}``, each a tuple of ints.

    Returns
    -------
    Feedback
    """
    expected = expected_shapes()
    reveal = ("grad_output " + str(expected["grad_output"]) + " (the output: 32 + 2 - 3 = 31, // 2 + 1 = 16), "
              f"grad_image {expected['grad_image']} (the batch), grad_weights {expected['grad_weights']} "
              f"(the weights) and grad_bias {expected['grad_bias']} (the bias): each gradient has the shape "
              "of what it belongs to.")
    if _not_answered(answer) or (isinstance(answer, dict) and all(_not_answered(v) for v in answer.values())):
        return empty("four shapes (tuples of whole numbers)")
    if not isinstance(answer, dict):
        return Feedback(False, f"You gave {_show(answer)}: give a dict with the four names as keys, as the cell "
                               "starts, and a shape (a tuple) for each.", reveal)
    missing = [name for name in SHAPE_NAMES if name not in answer]
    if missing:
        return Feedback(False, f"Your dict has no {missing[0]!r}: keep the four keys the cell starts with.", reveal)
    for name in SHAPE_NAMES:
        value = answer[name]
        if _not_answered(value):
            return Feedback(False, f"{name} is still ...: give its shape too.", reveal)
        given = int_tuple(value)
        if given is None:
            whole = int_tuple((value,)) if is_number(value) else None
            if whole is not None:
                return Feedback(False, f"You gave {_show(value)} for {name}: a shape is a tuple, even with one "
                                       f"axis, as in ({whole[0]},).", reveal)
            return Feedback(False, f"You gave {_show(value)} for {name}: a shape is a tuple of whole numbers.",
                            reveal)
        if given != expected[name]:
            return Feedback(False, f"You gave {given} for {name}. {_shape_hint(name, given, expected[name])}", reveal)
    return Feedback(True, f"grad_output {expected['grad_output']}, grad_image {expected['grad_image']}, "
                          f"grad_weights {expected['grad_weights']}, grad_bias {expected['grad_bias']}: each "
                          "gradient has the shape of what it belongs to.")


def _weight_grad_cases():
    rng = np.random.default_rng(10)
    cases = []
    for h, w, c_in, c_out, k in ((5, 5, 1, 1, 3), (6, 5, 2, 3, 3), (7, 6, 3, 2, 2), (4, 4, 1, 2, 4)):
        image = rng.integers(-2, 3, (h, w, c_in)).astype(float)
        grad_output = rng.integers(-2, 3, (h - k + 1, w - k + 1, c_out)).astype(float)
        weights = np.zeros((c_out, c_in, k, k))
        cases.append(((image, grad_output), conv2d_backward(grad_output, image, weights)[1]))
    return cases


def _per_map(image, grad_output, flip=False, swap=False):
    """Typical slips: grad_output flipped, or the result (C_in, C_out, ...) instead of (C_out, C_in, ...)."""
    g = grad_output[::-1, ::-1] if flip else grad_output
    out = np.array([[conv2d(image[:, :, c], g[:, :, o]) for c in range(image.shape[2])]
                    for o in range(g.shape[2])])
    return out.transpose(1, 0, 2, 3) if swap else out


@counts_tries
def check_weight_grad(function):
    """``function(image, grad_output)``: the weight gradient of a stride-1 layer without padding, by conv2d.

    Parameters
    ----------
    function : callable
        The learner's ``weight_grad``: ``image`` (H, W, C_in) and ``grad_output``
        (H_out, W_out, C_out) to ``grad_weights`` (C_out, C_in, kH, kW).

    Returns
    -------
    Feedback
    """
    reveal = ("grad_weights[o, c] = conv2d(image[:, :, c], grad_output[:, :, o]) for every output map o and input "
              "channel c: np.array([[conv2d(image[:, :, c], grad_output[:, :, o]) for c in range(C_in)] "
              "for o in range(C_out)]).")
    cases = _weight_grad_cases()
    mistakes = [
        (lambda x, g: _per_map(x, g, swap=True), "The axes are (C_out, C_in, kH, kW): output maps first, "
                                                  "then input channels."),
        (lambda x, g: _per_map(x, g, flip=True), "grad_output is not flipped: it is laid on the image as it is, "
                                                  "as a kernel in a cross-correlation."),
    ]
    feedback = check_function(function, cases, "the weight gradient of every output map and input channel",
                              hint="Each (output map o, input channel c) pair is one 2-D correlation of the "
                                   "image's channel c with grad_output's map o.",
                              answer_text=reveal, mistakes=mistakes)
    if not feedback.passed:
        return feedback
    lazy = shortcut(function, cases[1][0], (conv2d_backward, conv2d_backward_loops),
                    "the weight gradient with conv2d", reveal)
    return lazy or feedback


SOLUTIONS = Solutions("10_backpropagation.ipynb", [
    Solution(1, check_weight_gradient, "my_gradient", """
        # Weight [2, 0] met x[2:5, 0:3], one pixel per output; each times grad_output there, added up.
        my_gradient = np.sum(x[2:5, 0:3] * exercise_grad)
    """, given="""
        x = images.small_numbers()
        exercise_grad = np.array([[0, 1, 0], [2, 0, -1], [0, 1, 0]])
    """),
    Solution(2, check_gradient_shapes, "shapes", """
        shapes = {
            "grad_output": (8, 16, 16, 6),     # the output: (32 + 2 * 1 - 3) // 2 + 1 = 16, C_out = 6
            "grad_image": (8, 32, 32, 3),      # the batch of images
            "grad_weights": (6, 3, 3, 3),      # the weights (C_out, C_in, kH, kW)
            "grad_bias": (6,),                 # the bias, one per output map
        }
    """),
    Solution(3, check_weight_grad, "weight_grad", """
        def weight_grad(image, grad_output):
            C_in, C_out = image.shape[2], grad_output.shape[2]
            return np.array([[conv2d(image[:, :, c], grad_output[:, :, o]) for c in range(C_in)]
                             for o in range(C_out)])
    """),
])
show_solution = SOLUTIONS.show
