"""Checkers for notebooks/07_stacking_layers.ipynb."""

from __future__ import annotations

from ..receptive_field import receptive_field_table
from ._feedback import check_function, check_value


def check_two_layer_field(answer):
    """How wide a square of the input does one output pixel of two stacked 3 x 3 layers see?"""
    return check_value(answer, 5, "the receptive field of two 3 x 3 layers",
                       "Each 3 x 3 layer widens the field by 3 - 1 = 2 pixels: 1 + 2 + 2 = 5.")


def check_shapes(function):
    """``function(n, layers, k, p)``: the output size after ``layers`` identical layers, stride 1."""
    cases = []
    for n, layers, k, p in [(32, 2, 3, 0), (150, 4, 3, 1), (28, 3, 5, 0), (28, 3, 5, 1), (64, 1, 7, 3)]:
        expected = receptive_field_table(n, [(k, 1, p, 1)] * layers)[-1]["output_size"]
        cases.append(((n, layers, k, p), expected))
    return check_function(function, cases, "the output size after the stack",
                          reference="Each stride-1 layer changes the size by 2p - (k - 1).")


def check_layers_for_field(answer):
    """How many stacked 3 x 3, stride-1 layers does it take for one output pixel to see 9 x 9?"""
    return check_value(answer, 4, "the number of layers", "The field is 1 + 2 * layers; 1 + 2 * 4 = 9.")
