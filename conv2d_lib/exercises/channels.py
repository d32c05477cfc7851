"""Checkers for notebooks/06_multi_channel.ipynb: weight shapes, parameter counts, the channel sum."""

from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ._feedback import Feedback, check_function, check_value

__all__ = ["hand_example", "check_weights_shape", "check_parameter_count", "check_hand_value",
           "check_channel_sum"]


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


def check_weights_shape(answer):
    """The weights' shape for a layer taking an RGB image to 8 maps with 5 x 5 kernels."""
    expected = (8, 3, 5, 5)
    hints = {
        (3, 8, 5, 5): "The output maps come first: (C_out, C_in, kH, kW).",
        (5, 5, 3, 8): "That is TensorFlow's (kH, kW, C_in, C_out) layout; ours (and PyTorch's) is "
                      "(C_out, C_in, kH, kW).",
        (8, 5, 5, 3): "Images are channels-last, weights are not: (C_out, C_in, kH, kW).",
        (8, 5, 5): "Each of the 8 maps needs a 5 x 5 kernel for *each* of the 3 input channels.",
        (5, 5, 8): "Each of the 8 maps needs a 5 x 5 kernel for *each* of the 3 input channels, "
                   "and the layout is (C_out, C_in, kH, kW).",
    }
    if isinstance(answer, (tuple, list)) and tuple(answer) in hints and tuple(answer) != expected:
        return Feedback(False, f"You gave {tuple(answer)!r}. {hints[tuple(answer)]}")
    if isinstance(answer, list):
        answer = tuple(answer)
    return check_value(answer, expected, "the shape of the weights",
                       "weights[o, c] is the 5 x 5 kernel output map o applies to input channel c, "
                       "so the shape is (C_out, C_in, kH, kW).")


def check_parameter_count(answer):
    """How many numbers that layer learns: every weight plus one bias per output map."""
    weights, biases = 8 * 3 * 5 * 5, 8
    hints = {
        weights: f"That counts the weights ({weights}); add one bias per output map.",
        8 * 5 * 5 + 8: "Each output map has a 5 x 5 kernel for each of the 3 input channels, not one.",
        8 * 5 * 5: "Each output map has a 5 x 5 kernel for each of the 3 input channels, and a bias.",
        weights + 3: "There is one bias per *output* map (8), not per input channel.",
        weights + 1: "There is one bias per output map: 8 of them.",
    }
    if not isinstance(answer, (bool, np.bool_)) and isinstance(answer, (int, np.integer)) and answer in hints:
        return Feedback(False, f"You gave {answer}. {hints[int(answer)]}")
    return check_value(answer, weights + biases, "the number of parameters (weights and biases)",
                       "8 maps x 3 channels x 5 x 5 weights, plus 8 biases.")


def check_hand_value(answer):
    """``out[0, 0, 0]`` of the hand example: both channels' windows times their kernels, plus the bias."""
    image, weights, bias = hand_example()
    expected = float(conv2d(image, weights, bias)[0, 0, 0])
    window = image[:2, :2]
    only_0 = float(np.sum(window[:, :, 0] * weights[0, 0]))
    only_1 = float(np.sum(window[:, :, 1] * weights[0, 1]))
    hints = {
        only_0 + only_1: "Close: now add the bias.",
        only_0 + float(bias[0]): "That is channel 0 alone; add channel 1's window times its own kernel.",
        only_1 + float(bias[0]): "That is channel 1 alone; add channel 0's window times its own kernel.",
        only_0: "That is channel 0 alone, without the bias.",
    }
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
        for value, hint in hints.items():
            if np.isclose(answer, value) and not np.isclose(answer, expected):
                return Feedback(False, f"You gave {answer!r}. {hint}")
    return check_value(answer, expected, "the value of out[0, 0, 0]",
                       "Multiply the top-left 2 x 2 window of each channel by that channel's kernel, "
                       "add all 8 products, then add the bias.")


def check_channel_sum(function):
    """``function(image, stack, bias)``: one output map as a loop over channels.

    ``image`` has shape (H, W, C_in), ``stack`` (C_in, kH, kW) and ``bias`` is a
    number; the result, shape (H_out, W_out), must equal
    ``conv2d(image, stack[np.newaxis], np.array([bias]))[:, :, 0]``.
    """
    rng = np.random.default_rng(6)
    cases = []
    for h, w, c_in, k, bias in [(5, 5, 3, 3, 0.0), (6, 4, 2, 2, 1.5), (4, 7, 1, 3, -1.0), (5, 6, 4, 1, 0.25)]:
        image = rng.integers(0, 3, (h, w, c_in)).astype(float)
        stack = rng.integers(-1, 2, (c_in, k, k)).astype(float)
        cases.append(((image, stack, bias), conv2d(image, stack[np.newaxis], np.array([bias]))[:, :, 0]))
    return check_function(function, cases, "one output map (the sum over channels of conv2d(image[:, :, c], stack[c]), plus the bias)",
                          reference="Loop over the channels c, add conv2d(image[:, :, c], stack[c]) for each, "
                                    "then add the bias once (not once per channel).")
