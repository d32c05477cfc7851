"""Checkers and reference solutions for notebooks/09_playground.ipynb."""

from __future__ import annotations

import numpy as np

from ..conv import output_size
from ..influence import inputs_read_by
from ._feedback import Feedback, _not_answered, _show, counts_tries, empty, int_tuple, number_tuple, whole_number
from ._solutions import Solution, Solutions

# Exercise 1: the cat (150 x 225 x 3), C_out = 4, a 3 x 3 kernel, stride 2, padding 1, dilation 2.
SHAPE_KNOBS = dict(input_size=(150, 225), kernel_size=3, stride=2, padding=1, dilation=2)
SHAPE_C_OUT = 4


@counts_tries
def check_output_shape(answer):
    """The output shape for the cat, C_out = 4, kernel 3 x 3, stride 2, padding 1, dilation 2.

    Parameters
    ----------
    answer : tuple of int
        A list counts too; floats do not (NumPy refuses them as a shape).

    Returns
    -------
    Feedback
    """
    h_out, w_out = output_size(**SHAPE_KNOBS)
    expected = (h_out, w_out, SHAPE_C_OUT)
    reveal = (f"{expected}: the window spans 2 * (3 - 1) + 1 = 5 pixels, so floor((150 + 2 - 5) / 2) + 1 = {h_out} "
              f"rows and floor((225 + 2 - 5) / 2) + 1 = {w_out} columns, with C_out = 4 last.")
    if _not_answered(answer):
        return empty("the shape, a tuple (H_out, W_out, C_out)")
    given = int_tuple(answer)
    if given is None:
        numbers = number_tuple(answer)
        if numbers is not None and all(float(n).is_integer() for n in numbers):
            return Feedback(False, f"You gave {_show(answer)}: a shape holds whole numbers of type int "
                                   "(NumPy refuses np.zeros((74.0, 2.0))). Use // or int() for the floor.", reveal)
        return Feedback(False, f"You gave {_show(answer)}. Write the shape as a tuple of three whole numbers, "
                               "(H_out, W_out, C_out).", reveal)
    if given == expected:
        return Feedback(True, f"{expected}: the dilated window spans 5 pixels, stride 2 halves the size, and "
                              "C_out comes last.")
    if len(given) != 3:
        return Feedback(False, f"You gave {len(given)} numbers: the output shape is (H_out, W_out, C_out).", reveal)
    if given == (SHAPE_C_OUT, h_out, w_out):
        hint = "Right numbers, wrong order: outputs here are channels-last, (H_out, W_out, C_out)."
    elif given[:2] == output_size((150, 225), 3, 2, 1, 1):
        hint = "That is the size without dilation. With dilation 2 the 3 taps are 2 apart: how many pixels " \
               "does the window span then?"
    elif given[:2] == output_size((150, 225), 3, 2, 0, 2):
        hint = "That is the size without the padding of 1 on each side."
    elif given[:2] == output_size((150, 225), 3, 1, 1, 2):
        hint = "That is the size at stride 1; the window here moves 2 pixels at a time."
    elif given[:2] == (h_out, w_out) and given[2] == 3:
        hint = "The last number is C_out, the number of output maps, not C_in (the image's 3 colours)."
    elif given[:2] == (w_out, h_out):
        hint = "Rows first: the cat is 150 rows tall and 225 columns wide."
    else:
        hint = "Use floor((n + 2p - d(k - 1) - 1) / s) + 1 for each axis, and C_out last."
    return Feedback(False, f"You gave {given}. {hint}", reveal)


_KNOBS = {"kernel_size": 3, "stride": 1, "padding": 0, "dilation": 1}


@counts_tries
def check_ten_by_ten(settings):
    """A dict ``kernel_size, stride, padding, dilation`` that makes the 32 x 32 checkerboard 10 x 10.

    Parameters
    ----------
    settings : dict
        Settings left out take the defaults 3, 1, 0, 1.

    Returns
    -------
    Feedback
    """
    what = "a dict with kernel_size, stride, padding and dilation"
    reveal = "for example dict(kernel_size=5, stride=3, padding=0, dilation=1): floor((32 - 5) / 3) + 1 = 10."
    if _not_answered(settings):
        return empty(what)
    if not isinstance(settings, dict):
        return Feedback(False, f"Give {what}, e.g. dict(kernel_size=3, stride=1, padding=0, dilation=1); "
                               f"got {type(settings).__name__}.", reveal)
    unknown = sorted(str(key) for key in set(settings) - set(_KNOBS))
    if unknown:
        return Feedback(False, f"Unknown setting(s) {unknown}: use only {sorted(_KNOBS)}.", reveal)
    knobs = {**_KNOBS, **settings}
    if any(_not_answered(v) for v in knobs.values()):
        return Feedback(False, "Replace every ... in your dict with a whole number, then run this cell again.",
                        empty=True)
    numbers = {name: whole_number(value) for name, value in knobs.items()}
    bad = [name for name, value in numbers.items() if value is None or isinstance(knobs[name], float)]
    if bad:
        return Feedback(False, f"{bad[0]} should be a whole number (an int), got {_show(knobs[bad[0]])}.", reveal)
    k, s, p, d = (numbers[name] for name in ("kernel_size", "stride", "padding", "dilation"))
    try:
        size = output_size(32, k, stride=s, padding=p, dilation=d)
    except (TypeError, ValueError) as problem:
        return Feedback(False, f"Those settings cannot work: {problem}", reveal)
    reach = d * (k - 1) + 1  # how many input pixels one window spans
    formula = f"floor((32 + 2*{p} - {reach}) / {s}) + 1"
    if size == 10:
        return Feedback(True, f"A {k} x {k} kernel with stride {s}, padding {p} and dilation {d} turns 32 x 32 "
                              f"into 10 x 10: {formula} = 10.")
    return Feedback(False, f"Those settings give {size} x {size}, not 10 x 10: {formula} = "
                           f"floor({(32 + 2 * p - reach) / s:g}) + 1 = {size}. The floor must come to 9; "
                           "a larger stride or kernel makes it smaller, more padding larger.", reveal)


@counts_tries
def check_inputs_of_corner(answer):
    """Which input pixels (row, col) of a 6 x 6 image output (0, 0) reads: 3 x 3 kernel, stride 2, padding 1.

    Parameters
    ----------
    answer : set of (int, int)
        A list or tuple of pairs counts too.

    Returns
    -------
    Feedback
    """
    what = "the set of input pixels (row, col) that output (0, 0) depends on"
    expected = {tuple(map(int, p)) for p in np.argwhere(inputs_read_by(0, 0, (6, 6), 3, stride=2, padding=1))}
    reveal = (f"{sorted(expected)}: the window of output (0, 0) covers input rows -1, 0, 1 and columns -1, 0, 1 "
              "(padding shifts it up and left); only the pixels inside the image count.")
    if _not_answered(answer):
        return empty(what)
    try:
        pairs = [tuple(pair) for pair in answer]
        if isinstance(answer, (str, bytes, dict)) or not all(len(pair) == 2 for pair in pairs):
            raise ValueError
        given = set()
        for pair in pairs:
            numbers = [whole_number(n) for n in pair]
            if None in numbers or any(isinstance(n, float) for n in pair):
                raise ValueError
            given.add(tuple(numbers))
    except Exception:  # not pairs of whole numbers, or an object that cannot be read as such
        return Feedback(False, "Give a set (or list) of (row, col) pairs of whole numbers, e.g. {(0, 0), (0, 1)}.",
                        reveal)
    if given == expected:
        return Feedback(True, f"Output (0, 0) reads {sorted(expected)}: its window starts one pixel up and left, "
                              "in the padding, so only a 2 x 2 corner of the image is inside it.")
    if any(r < 0 or c < 0 for r, c in given):
        hint = "Negative rows or columns lie in the padding: they are zeros, not input pixels."
    elif given == {(r, c) for r in range(3) for c in range(3)}:
        hint = "That is the window without padding. With padding 1, where does the window of output (0, 0) start?"
    elif given == {(0, 0)}:
        hint = "Output (0, 0) reads a whole window of the padded input, not one pixel: which of its pixels are " \
               "inside the image?"
    elif given < expected:
        hint = "Some pixels are missing: list every input pixel that lies under the window."
    else:
        hint = "Padding shifts the window up and left: in input coordinates, which rows and columns does the " \
               "window of output (0, 0) cover, and which of them are inside the image?"
    return Feedback(False, f"You gave {sorted(given)}. {hint}", reveal)


SOLUTIONS = Solutions("09_playground.ipynb", [
    Solution(1, check_output_shape, "shape", """
        # the window spans 2 * (3 - 1) + 1 = 5 pixels: floor((150 + 2 - 5) / 2) + 1 = 74 rows,
        # floor((225 + 2 - 5) / 2) + 1 = 112 columns, and C_out = 4 maps last
        shape = (74, 112, 4)
    """),
    Solution(2, check_ten_by_ten, "settings", """
        # floor((32 - 5) / 3) + 1 = 10; many other settings work too
        settings = dict(kernel_size=5, stride=3, padding=0, dilation=1)
    """),
    Solution(3, check_inputs_of_corner, "corner_inputs", """
        # the window covers rows and columns -1, 0, 1; only 0 and 1 are inside the image
        corner_inputs = {(0, 0), (0, 1), (1, 0), (1, 1)}
    """),
])
show_solution = SOLUTIONS.show
