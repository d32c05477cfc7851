"""Checkers for notebooks/09_playground.ipynb."""

from __future__ import annotations

import numpy as np

from .. import images
from ..conv import conv2d, output_size
from ..influence import inputs_read_by
from ._feedback import Feedback, check_value

# Exercise 1: the cat (150 x 225 x 3), C_out = 4, a 3 x 3 kernel, stride 2, padding 1, dilation 2.
SHAPE_KNOBS = dict(input_size=(150, 225), kernel_size=3, stride=2, padding=1, dilation=2)
SHAPE_C_OUT = 4


def check_output_shape(answer):
    """The output shape for the cat, C_out = 4, kernel 3 x 3, stride 2, padding 1, dilation 2."""
    h_out, w_out = output_size(**SHAPE_KNOBS)
    expected = (h_out, w_out, SHAPE_C_OUT)
    if isinstance(answer, (tuple, list)) and len(answer) == 3 and all(np.ndim(a) == 0 for a in answer):
        answer = tuple(answer)
        if answer == (SHAPE_C_OUT, h_out, w_out):
            return Feedback(False, f"Right numbers, wrong order: outputs here are channels-last, "
                                   f"(H_out, W_out, C_out) = {expected}.")
        if answer[:2] == output_size((150, 225), 3, 2, 1, 1):
            return Feedback(False, f"You gave {answer}: that is the size without dilation. With dilation 2 the "
                                   "3 taps are 2 apart, so the window spans 5 pixels, not 3.")
        if answer[:2] == output_size((150, 225), 3, 2, 0, 2):
            return Feedback(False, f"You gave {answer}: that is the size without the padding of 1 on each side.")
        if answer[2] == 3:
            return Feedback(False, f"You gave {answer}: the last number is C_out (the output channels, 4), "
                                   "not C_in (the image's 3 colours).")
    return check_value(answer, expected, "the output shape (H_out, W_out, C_out)",
                       "Use floor((n + 2p - d(k - 1) - 1) / s) + 1 for each axis, and C_out last.")


def check_ten_by_ten(settings):
    """A dict ``kernel_size, stride, padding, dilation`` that makes the 32 x 32 checkerboard 10 x 10."""
    what = "a dict with kernel_size, stride, padding and dilation"
    if settings is None or settings is Ellipsis:
        return Feedback(False, f"Replace the ... with {what}.")
    if not isinstance(settings, dict):
        return Feedback(False, f"Give {what}, e.g. dict(kernel_size=3, stride=1, padding=0, dilation=1); "
                               f"got {type(settings).__name__}.")
    known = {"kernel_size": 3, "stride": 1, "padding": 0, "dilation": 1}
    unknown = sorted(set(settings) - set(known))
    if unknown:
        return Feedback(False, f"Unknown setting(s) {unknown}: use only {sorted(known)}.")
    knobs = {**known, **settings}
    if any(v is Ellipsis or v is None for v in knobs.values()):
        return Feedback(False, "Replace every ... in your dict with a whole number.")
    k = knobs.pop("kernel_size")
    try:
        out = conv2d(images.checkerboard(32, 4), np.ones((k, k)), **knobs)
    except (TypeError, ValueError) as problem:
        return Feedback(False, f"conv2d refused those settings: {problem}")
    if out.shape == (10, 10):
        return Feedback(True, f"A {k} x {k} kernel with {knobs} turns 32 x 32 into 10 x 10: "
                              f"floor((32 + 2*{knobs['padding']} - {knobs['dilation'] * (k - 1) + 1}) / "
                              f"{knobs['stride']}) + 1 = 10.")
    reach = knobs["dilation"] * (k - 1) + 1  # how many input pixels one window spans
    span = 32 + 2 * knobs["padding"] - reach
    return Feedback(False, f"Those settings give {out.shape[0]} x {out.shape[1]}, not 10 x 10: "
                           f"floor((32 + 2*{knobs['padding']} - {reach}) / {knobs['stride']}) + 1 = "
                           f"floor({span / knobs['stride']:g}) + 1 = {out.shape[0]}. The floor must come to 9; "
                           "a larger stride or kernel makes it smaller, more padding larger.")


def check_inputs_of_corner(answer):
    """Which input pixels (row, col) of a 6 x 6 image output (0, 0) reads: 3 x 3 kernel, stride 2, padding 1."""
    what = "the set of input pixels (row, col) that output (0, 0) depends on"
    if answer is None or answer is Ellipsis:
        return Feedback(False, f"Replace the ... with {what}.")
    try:
        given = {(int(r), int(c)) for r, c in answer}
    except (TypeError, ValueError):
        return Feedback(False, "Give a set (or list) of (row, col) pairs, e.g. {(0, 0), (0, 1)}.")
    expected = {tuple(map(int, p)) for p in np.argwhere(inputs_read_by(0, 0, (6, 6), 3, stride=2, padding=1))}
    if given == expected:
        return Feedback(True, f"Output (0, 0) reads {sorted(expected)}: its window starts one pixel up and left, "
                              "in the padding, so only a 2 x 2 corner of the image is inside it.")
    if any(r < 0 or c < 0 for r, c in given):
        return Feedback(False, "Negative rows or columns lie in the padding: they are zeros, not input pixels. "
                               "Leave them out.")
    if given == {(r, c) for r in range(3) for c in range(3)}:
        return Feedback(False, "That is the window without padding. With padding 1 the window of output (0, 0) "
                               "starts at input row -1, column -1.")
    return Feedback(False, f"You gave {sorted(given)}. The window of output (0, 0) covers input rows -1, 0, 1 and "
                           "columns -1, 0, 1 (padding shifts it up and left); keep the ones inside the image.")
