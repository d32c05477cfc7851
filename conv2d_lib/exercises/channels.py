"""Checkers and reference solutions for notebooks/06_multi_channel.ipynb: weights, parameters, the channel sum."""

from __future__ import annotations

import numpy as np

from ..conv import conv2d, conv2d_loops
from ._feedback import (Feedback, _not_answered, _show, check_function, counts_tries, empty, int_tuple, is_number,
                        library_calls, number_tuple)
from ._solutions import Solution, Solutions

__all__ = ["hand_example", "check_weights_shape", "check_parameter_count", "check_hand_value",
           "check_channel_sum", "show_solution"]


def hand_example():
    """The small two-channel example of exercise 3, to work out by hand.

    Returns
    -------
    image : ndarray, shape (3, 3, 2)
        Channels-last: ``image[:, :, 0]`` is channel 0, ``image[:, :, 1]`` channel 1.
    weights : ndarray, shape (1, 2, 2, 2)
        One output map, two input channels, 2 x 2 kernels.
    bias : ndarray, shape (1,)

    Examples
    --------
    >>> image, weights, bias = hand_example()
    >>> conv2d(image, weights, bias).shape
    (2, 2, 1)
    """
    channel_0 = np.array([[2, 2, 0], [0, 1, 2], [2, 0, 1]], dtype=float)
    channel_1 = np.array([[1, 2, 1], [0, 1, 0], [1, 2, 2]], dtype=float)
    weights = np.array([[[[1, 0], [0, -1]],      # weights[0, 0]: the kernel on channel 0
                         [[2, 1], [-1, 0]]]],    # weights[0, 1]: the kernel on channel 1
                       dtype=float)
    return np.stack([channel_0, channel_1], axis=2), weights, np.array([0.5])


@counts_tries
def check_weights_shape(answer):
    """The weights' shape for a layer taking an RGB image to 8 maps with 5 x 5 kernels: ``(8, 3, 5, 5)``.

    Parameters
    ----------
    answer : tuple of int
        A list counts too; floats do not (NumPy refuses them as a shape).

    Returns
    -------
    Feedback
    """
    expected = (8, 3, 5, 5)
    reveal = "(8, 3, 5, 5): weights[o, c] is the 5 x 5 kernel output map o applies to input channel c."
    if _not_answered(answer):
        return empty("a tuple of 4 numbers")
    given = int_tuple(answer)
    if given is None:
        numbers = number_tuple(answer)
        if numbers is not None and all(float(n).is_integer() for n in numbers):
            return Feedback(False, f"You gave {_show(answer)}: a shape holds whole numbers of type int "
                                   "(NumPy refuses np.zeros((8.0, 3.0))). Write them without a decimal point.",
                            reveal)
        return Feedback(False, f"You gave {_show(answer)}. Write the shape as a tuple of whole numbers in the "
                               "order (C_out, C_in, kH, kW).", reveal)
    if given == expected:
        return Feedback(True, "(C_out, C_in, kH, kW) = (8, 3, 5, 5): one 5 x 5 kernel per output map and input "
                              "channel.")
    hints = {
        (3, 8, 5, 5): "The output maps come first: (C_out, C_in, kH, kW).",
        (5, 5, 3, 8): "That is TensorFlow's (kH, kW, C_in, C_out) layout; ours (and PyTorch's) is "
                      "(C_out, C_in, kH, kW).",
        (8, 5, 5, 3): "Images are channels-last, weights are not: (C_out, C_in, kH, kW).",
        (8, 5, 5): "Each of the 8 maps needs a 5 x 5 kernel for *each* of the 3 input channels.",
        (5, 5, 8): "Each of the 8 maps needs a 5 x 5 kernel for *each* of the 3 input channels, "
                   "and the layout is (C_out, C_in, kH, kW).",
        (1, 8, 3, 5, 5): "No batch axis in the weights: (C_out, C_in, kH, kW).",
    }
    return Feedback(False, f"You gave {given}. " + hints.get(
        given, "Count one 5 x 5 kernel for every pair of output map and input channel, in the order "
               "(C_out, C_in, kH, kW)."), reveal)


@counts_tries
def check_parameter_count(answer):
    """How many numbers that layer learns: every weight plus one bias per output map.

    Parameters
    ----------
    answer : int

    Returns
    -------
    Feedback
    """
    weights, biases = 8 * 3 * 5 * 5, 8
    reveal = "608: 8 maps x 3 channels x 5 x 5 weights = 600, plus 8 biases."
    if _not_answered(answer):
        return empty("a whole number")
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer[()]
    if not is_number(answer):
        return Feedback(False, f"You gave {_show(answer)}: count the parameters, one whole number.", reveal)
    if answer == weights + biases:
        return Feedback(True, "8 x 3 x 5 x 5 = 600 weights and 8 biases: 608 numbers to learn.")
    hints = {
        weights: "That counts the weights; the biases are learned too.",
        8 * 5 * 5 + 8: "Each output map has a 5 x 5 kernel for each of the 3 input channels, not one.",
        8 * 5 * 5: "Each output map has a 5 x 5 kernel for each of the 3 input channels, and a bias.",
        weights + 3: "There is one bias per *output* map, not per input channel.",
        weights + 1: "There is one bias per output map, not one for the whole layer.",
        3 * 5 * 5 + 1: "That is one output map's parameters; the layer has 8 maps.",
    }
    hint = hints.get(int(answer), "Count the numbers in the weights array (its shape is exercise 1's answer), "
                                  "then the biases.") if float(answer).is_integer() else \
        "A count of parameters is a whole number."
    return Feedback(False, f"You gave {_show(answer)}. {hint}", reveal)


@counts_tries
def check_hand_value(answer):
    """``out[0, 0, 0]`` of the hand example: both channels' windows times their kernels, plus the bias.

    Parameters
    ----------
    answer : float

    Returns
    -------
    Feedback
    """
    image, weights, bias = hand_example()
    expected = float(conv2d(image, weights, bias)[0, 0, 0])
    window = image[:2, :2]
    only_0 = float(np.sum(window[:, :, 0] * weights[0, 0]))
    only_1 = float(np.sum(window[:, :, 1] * weights[0, 1]))
    reveal = (f"{expected:g}: channel 0 gives 2*1 + 2*0 + 0*0 + 1*(-1) = {only_0:g}, channel 1 gives "
              f"1*2 + 2*1 + 0*(-1) + 1*0 = {only_1:g}, and the bias adds {bias[0]:g}.")
    if _not_answered(answer):
        return empty("a number")
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer[()]
    if not is_number(answer):
        return Feedback(False, f"You gave {_show(answer)}: give one number.", reveal)
    if np.isclose(answer, expected):
        return Feedback(True, f"{only_0:g} from channel 0, {only_1:g} from channel 1, plus the bias "
                              f"{bias[0]:g}: {expected:g}.")
    hints = [
        (only_0 + only_1, "Close: the bias is added too."),
        (only_0 + float(bias[0]), "That is channel 0 alone; add channel 1's window times its own kernel."),
        (only_1 + float(bias[0]), "That is channel 1 alone; add channel 0's window times its own kernel."),
        (only_0, "That is channel 0 alone, without the bias."),
        (only_1, "That is channel 1 alone, without the bias."),
        (only_0 + only_1 + 2 * float(bias[0]), "The bias is added once per output map, not once per channel."),
    ]
    hint = next((text for value, text in hints if np.isclose(answer, value)),
                "Multiply the top-left 2 x 2 window of each channel by that channel's kernel, add all 8 "
                "products, then add the bias.")
    return Feedback(False, f"You gave {_show(answer)} for out[0, 0, 0]. {hint}", reveal)


def _channels_at_once(function, arguments):
    """The most channels one conv2d call got while ``function`` ran (0 when it never called conv2d, or raised)."""
    calls = library_calls(function, arguments, (conv2d, conv2d_loops)) or {}
    shapes = [shape for shapes in calls.values() for shape in shapes if shape is not None]
    return max((shape[-1] for shape in shapes if len(shape) >= 3), default=1 if shapes else 0)


def _channel_sum_cases():
    rng = np.random.default_rng(6)
    cases = []
    for h, w, c_in, k, bias in [(5, 5, 3, 3, 0.5), (6, 4, 2, 2, 1.5), (4, 7, 1, 3, -1.0), (5, 6, 4, 1, 0.25)]:
        image = rng.normal(size=(h, w, c_in)).round(2)
        stack = rng.normal(size=(c_in, k, k)).round(2)
        cases.append(((image, stack, bias), conv2d(image, stack[np.newaxis], np.array([bias]))[:, :, 0]))
    return cases


def _each(image, stack):
    return [conv2d(image[:, :, c], stack[c]) for c in range(image.shape[2])]


_CHANNEL_SUM_MISTAKES = [
    (lambda image, stack, bias: sum(_each(image, stack)) + image.shape[2] * bias,
     "You add the bias once per channel; it is added once per output map, after the sum."),
    (lambda image, stack, bias: sum(_each(image, stack)),
     "The sum over the channels is right; the bias is missing."),
    (lambda image, stack, bias: _each(image, stack)[0] + bias,
     "Only channel 0 counts in your map: loop over all the channels, image.shape[2] of them."),
    (lambda image, stack, bias: sum(conv2d(image[:, :, c], stack[0]) for c in range(image.shape[2])) + bias,
     "Every channel has its own kernel, stack[c]; you use the same one for all."),
    (lambda image, stack, bias: sum(_each(image, stack)) / image.shape[2] + bias,
     "You average the channels; a convolution layer adds them."),
]


@counts_tries
def check_channel_sum(function):
    """``function(image, stack, bias)``: one output map as a loop over channels, conv2d on 2-D arrays only.

    ``image`` has shape (H, W, C_in), ``stack`` (C_in, kH, kW) and ``bias`` is a
    number; the result, shape (H_out, W_out), must equal
    ``conv2d(image, stack[np.newaxis], np.array([bias]))[:, :, 0]``. A function that
    hands conv2d several channels at once is not the loop the exercise asks for.

    Parameters
    ----------
    function : callable
        The learner's ``one_map``.

    Returns
    -------
    Feedback
    """
    reveal = ("total = 0; for c in range(image.shape[2]): total = total + conv2d(image[:, :, c], stack[c]); "
              "then return total + bias (the bias once).")
    cases = _channel_sum_cases()
    feedback = check_function(function, cases, "one output map of several channels",
                              hint="Each channel has its own 2-D kernel; one output map adds up what every "
                                   "channel gives, and the bias once.",
                              answer_text=reveal, mistakes=_CHANNEL_SUM_MISTAKES)
    if feedback.status == "empty":
        return feedback
    arguments = cases[0][0]
    at_once = _channels_at_once(function, arguments) if callable(function) else 0
    if at_once > 1:
        return Feedback(False, f"Your function hands conv2d {at_once} channels at once, so conv2d does the sum "
                               "over channels for you. That sum is the exercise: call conv2d on one channel at a "
                               "time (a 2-D array) and add the results up yourself.", reveal)
    return feedback


SOLUTIONS = Solutions("06_multi_channel.ipynb", [
    Solution(1, check_weights_shape, "weights_shape", """
        weights_shape = (8, 3, 5, 5)   # (C_out, C_in, kH, kW)
        assert Conv2D(3, 8, kernel_size=5).weights.shape == weights_shape
    """),
    Solution(2, check_parameter_count, "n_params", """
        n_params = 8 * 3 * 5 * 5 + 8   # every weight, plus one bias per output map
    """),
    Solution(3, check_hand_value, "top_left", """
        # channel 0: 2*1 + 2*0 + 0*0 + 1*(-1) = 1
        # channel 1: 1*2 + 2*1 + 0*(-1) + 1*0 = 4
        # 1 + 4, plus the bias 0.5
        top_left = 5.5
        assert conv2d(x2, w2, b2)[0, 0, 0] == top_left
    """, given="x2, w2, b2 = exercises.hand_example()"),
    Solution(4, check_channel_sum, "one_map", """
        def one_map(image, stack, bias):
            total = 0.0
            for c in range(image.shape[2]):
                total = total + conv2d(image[:, :, c], stack[c])   # one channel, its own kernel
            return total + bias                                   # the bias once
    """),
])
show_solution = SOLUTIONS.show
