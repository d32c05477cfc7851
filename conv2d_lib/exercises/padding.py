"""Checkers for notebooks/03_padding.ipynb."""

from __future__ import annotations

from ..conv import output_size
from ._feedback import check_function, check_value


def check_output_size(function):
    """``function(n, k, p)``: output size for stride 1, kernel ``k``, ``p`` zeros on each side."""
    cases = [((n, k, p), output_size(n, k, padding=p)) for n, k, p in
             [(5, 3, 0), (5, 3, 1), (32, 5, 2), (7, 7, 0), (10, 3, 4), (4, 5, 1)]]
    return check_function(function, cases, "the output size n + 2p - k + 1",
                          reference="Each of the p rows of padding on both sides adds one window position.")


def check_same_padding(answer):
    """The padding that keeps a 28 x 28 image 28 x 28 under a 5 x 5 kernel at stride 1."""
    return check_value(answer, 2, "the padding that keeps the size with a 5 x 5 kernel",
                       "The output loses k - 1 = 4 pixels per axis; 2 on each side give them back.")


def check_reflect_row(answer):
    """The row [1, 2, 3] reflect-padded by 2 on each side."""
    return check_value(answer, [3, 2, 1, 2, 3, 2, 1], "[1, 2, 3] reflect-padded by 2",
                       "reflect mirrors around the edge pixel without repeating it: 3 2 | 1 2 3 | 2 1.")
