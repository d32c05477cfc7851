"""Counts and connections of the layers beyond the basic one: 1x1, grouped, transposed, pooled.

NumPy only. Which input channels a grouped convolution's output map sees, how many
weights and multiply-adds it costs, which input pixels a transposed convolution's
output pixel gathers its stamps from, and the named colour mixes of a 1x1 convolution.
The convolutions themselves are :func:`conv2d_lib.conv2d` (``groups``),
:func:`conv2d_lib.conv_transpose2d` and :mod:`conv2d_lib.pooling`.

Introduced in notebooks/13_beyond_the_layer.ipynb.

Examples
--------
>>> grouped_counts(32, 32, groups=32, kernel_size=3)["weights"]     # depthwise: one 3x3 per channel
288
>>> group_connections(4, 2, groups=2).astype(int)                    # map 0 sees channels 0-1, map 1 sees 2-3
array([[1, 1, 0, 0],
       [0, 0, 1, 1]])
"""

from __future__ import annotations

import numpy as np

from ._checks import check_int
from .transpose import transpose_output_size

__all__ = ["check_groups", "valid_groups", "group_connections", "grouped_counts", "separable_counts",
           "transpose_sources", "explain_transpose_output_size", "COLOUR_MIXES", "colour_mix"]


def check_groups(C_in, C_out, groups):
    """Raise in words unless ``groups`` divides both channel counts; return the three as ints.

    Parameters
    ----------
    C_in, C_out, groups : int
        Each >= 1.

    Returns
    -------
    (int, int, int)

    Raises
    ------
    TypeError
        When a count is not an int.
    ValueError
        When a count is below 1, or ``groups`` does not divide ``C_in`` or ``C_out``
        (the message names both numbers).

    Examples
    --------
    >>> check_groups(6, 4, 2)
    (6, 4, 2)
    """
    C_in, C_out, groups = check_int(C_in, "C_in", 1), check_int(C_out, "C_out", 1), check_int(groups, "groups", 1)
    for name, count in (("C_in", C_in), ("C_out", C_out)):
        if count % groups:
            raise ValueError(f"groups={groups} must divide {name}={count}: {count} is not divisible by {groups} "
                             f"(the groups that fit C_in={C_in} and C_out={C_out} are "
                             f"{', '.join(map(str, valid_groups(C_in, C_out)))})")
    return C_in, C_out, groups


def valid_groups(C_in, C_out):
    """Every ``groups`` a convolution from ``C_in`` to ``C_out`` channels can have: their common divisors.

    Parameters
    ----------
    C_in, C_out : int
        Each >= 1.

    Returns
    -------
    list of int
        Increasing, from 1 to the greatest common divisor.

    Raises
    ------
    TypeError, ValueError
        When a count is not an int >= 1.

    Examples
    --------
    >>> valid_groups(12, 8)
    [1, 2, 4]
    """
    C_in, C_out = check_int(C_in, "C_in", 1), check_int(C_out, "C_out", 1)
    return [g for g in range(1, min(C_in, C_out) + 1) if C_in % g == 0 and C_out % g == 0]


def group_connections(C_in, C_out, groups=1):
    """Which input channels each output map of a grouped convolution sees.

    Parameters
    ----------
    C_in, C_out, groups : int
        ``groups`` divides both counts (PyTorch's meaning: maps ``g * C_out / groups``
        to ``(g + 1) * C_out / groups - 1`` see channels ``g * C_in / groups`` to
        ``(g + 1) * C_in / groups - 1``).

    Returns
    -------
    ndarray of bool, shape (C_out, C_in)
        ``sees[o, c]`` is True when output map ``o`` has a kernel for input channel ``c``.

    Raises
    ------
    TypeError, ValueError
        As :func:`check_groups`.

    Examples
    --------
    >>> group_connections(3, 3, groups=3).astype(int)     # depthwise: each map sees its own channel
    array([[1, 0, 0],
           [0, 1, 0],
           [0, 0, 1]])
    """
    C_in, C_out, groups = check_groups(C_in, C_out, groups)
    return (np.arange(C_out)[:, None] // (C_out // groups)) == (np.arange(C_in)[None, :] // (C_in // groups))


def grouped_counts(C_in, C_out, groups=1, kernel_size=3, output_size=(1, 1), bias=False):
    """Weights and multiply-adds of a grouped convolution.

    Each of the ``C_out`` maps has a kernel of ``C_in / groups`` channels of ``kH x kW``
    taps, so there are ``C_out * (C_in / groups) * kH * kW`` weights (``+ C_out`` biases),
    and every one of the ``H_out * W_out`` output pixels of every map costs
    ``(C_in / groups) * kH * kW`` multiply-adds.

    Parameters
    ----------
    C_in, C_out, groups : int
        ``groups`` divides both counts.
    kernel_size : int or (int, int), default 3
    output_size : int or (int, int), default (1, 1)
        ``H_out`` or ``(H_out, W_out)``.
    bias : bool, default False
        Whether to count the ``C_out`` biases.

    Returns
    -------
    dict
        ``weights`` (int, biases included when asked), ``multiply_adds`` (int),
        ``per_map`` (weights of one map's kernel).

    Raises
    ------
    TypeError, ValueError
        As :func:`check_groups`, and when a size is not an int (or pair) >= 1.

    Examples
    --------
    >>> grouped_counts(8, 8, groups=2, kernel_size=3, output_size=10)
    {'weights': 288, 'multiply_adds': 28800, 'per_map': 36}
    """
    C_in, C_out, groups = check_groups(C_in, C_out, groups)
    kH, kW = _pair(kernel_size, "kernel_size")
    H_out, W_out = _pair(output_size, "output_size")
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"bias must be True or False, got {type(bias).__name__}")
    per_map = (C_in // groups) * kH * kW
    return {"weights": C_out * per_map + (C_out if bias else 0),
            "multiply_adds": H_out * W_out * C_out * per_map, "per_map": per_map}


def separable_counts(C_in, C_out, kernel_size=3, output_size=(1, 1)):
    """A full convolution against a depthwise one followed by a 1x1 (MobileNet's block), same output shape.

    Parameters
    ----------
    C_in, C_out : int
    kernel_size : int or (int, int), default 3
    output_size : int or (int, int), default (1, 1)

    Returns
    -------
    dict
        ``full``, ``depthwise``, ``pointwise``: each a :func:`grouped_counts` dict (no
        bias); ``separable``: the weights and multiply-adds of depthwise plus pointwise;
        ``ratio``: full weights over separable weights (the multiply-adds have the same
        ratio), ``1 / (1 / C_out + 1 / (kH * kW))``.

    Raises
    ------
    TypeError, ValueError
        As :func:`grouped_counts`.

    Examples
    --------
    >>> counts = separable_counts(32, 64, 3)
    >>> counts["full"]["weights"], counts["separable"]["weights"], round(counts["ratio"], 2)
    (18432, 2336, 7.89)
    """
    full = grouped_counts(C_in, C_out, 1, kernel_size, output_size)
    depthwise = grouped_counts(C_in, C_in, C_in, kernel_size, output_size)
    pointwise = grouped_counts(C_in, C_out, 1, 1, output_size)
    separable = {key: depthwise[key] + pointwise[key] for key in ("weights", "multiply_adds")}
    return {"full": full, "depthwise": depthwise, "pointwise": pointwise, "separable": separable,
            "ratio": full["weights"] / separable["weights"]}


def _pair(value, name):
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair of ints, got {len(value)} numbers")
        return check_int(value[0], name, 1), check_int(value[1], name, 1)
    value = check_int(value, name, 1)
    return value, value


def transpose_sources(row, col, input_size, kernel_size, stride=1, padding=0):
    """The stamps that add up at one output pixel of a transposed convolution.

    Input pixel ``(r, c)`` stamps the kernel with its top-left corner at output
    ``(r * stride - padding, c * stride - padding)``, so output ``(row, col)`` gets
    tap ``(a, b)`` of that stamp when ``row = r * stride - padding + a`` (and
    likewise for columns). Dilation 1, no output padding.

    Parameters
    ----------
    row, col : int
        The output pixel, inside the output.
    input_size : int or (int, int)
        ``H`` or ``(H, W)`` of the input.
    kernel_size : int or (int, int)
    stride : int, default 1
    padding : int, default 0

    Returns
    -------
    list of (int, int, int, int)
        ``(r, c, a, b)``: input pixel ``(r, c)`` adds ``x[r, c] * kernel[a, b]`` to the
        output pixel; rows first. The output pixel is the sum of those products.

    Raises
    ------
    TypeError, ValueError
        When a size is not an int >= its minimum, or ``(row, col)`` is outside the output.

    Examples
    --------
    >>> transpose_sources(2, 0, 3, 3, stride=2)     # stamps of rows 0 and 1 overlap on output row 2
    [(0, 0, 2, 0), (1, 0, 0, 0)]
    """
    H, W = _pair(input_size, "input_size")
    kH, kW = _pair(kernel_size, "kernel_size")
    stride, padding = check_int(stride, "stride", 1), check_int(padding, "padding", 0)
    H_out, W_out = transpose_output_size((H, W), (kH, kW), stride, padding)
    row, col = check_int(row, "row", 0), check_int(col, "col", 0)
    if row >= H_out or col >= W_out:
        raise ValueError(f"(row, col) must be inside the {H_out} x {W_out} output, got ({row}, {col})")
    found = []
    for r in range(H):
        a = row + padding - r * stride
        if not 0 <= a < kH:
            continue
        for c in range(W):
            b = col + padding - c * stride
            if 0 <= b < kW:
                found.append((r, c, a, b))
    return found


def explain_transpose_output_size(input_size, kernel_size, stride=1, padding=0):
    """The transposed output-size rule with the numbers filled in, as a line of text.

    Parameters
    ----------
    input_size, kernel_size : int
    stride : int, default 1
    padding : int, default 0

    Returns
    -------
    str

    Raises
    ------
    TypeError, ValueError
        As :func:`conv2d_lib.transpose_output_size`.

    Examples
    --------
    >>> explain_transpose_output_size(5, 3, stride=2, padding=1)
    '(H - 1) * stride - 2 * padding + kH = (5 - 1) * 2 - 2 * 1 + 3 = 9'
    """
    size = transpose_output_size(input_size, kernel_size, stride, padding)
    return (f"(H - 1) * stride - 2 * padding + kH = ({input_size} - 1) * {stride} - 2 * {padding} + "
            f"{kernel_size} = {size}")


# Rows are the output channels (red, green, blue), columns the input channels: new = image @ M.T.
COLOUR_MIXES = {
    "identity": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
    "grey": ((0.3, 0.59, 0.11), (0.3, 0.59, 0.11), (0.3, 0.59, 0.11)),
    "swap red/blue": ((0.0, 0.0, 1.0), (0.0, 1.0, 0.0), (1.0, 0.0, 0.0)),
    "sepia": ((0.39, 0.77, 0.19), (0.35, 0.69, 0.17), (0.27, 0.53, 0.13)),
}


def colour_mix(name):
    """A named 3 x 3 mixing matrix for a 1x1 convolution of an RGB image.

    Parameters
    ----------
    name : str
        One of ``COLOUR_MIXES``: "identity", "grey", "swap red/blue", "sepia".

    Returns
    -------
    ndarray, shape (3, 3)
        ``M[o, c]``: how much of input channel ``c`` goes into output channel ``o``;
        as 1x1 weights it is ``M[:, :, np.newaxis, np.newaxis]``, shape (C_out, C_in, 1, 1).

    Raises
    ------
    ValueError
        When ``name`` is not one of the mixes.

    Examples
    --------
    >>> colour_mix("swap red/blue") @ np.array([1.0, 0.5, 0.0])     # an orange pixel turns blue-ish
    array([0. , 0.5, 1. ])
    """
    if not isinstance(name, str) or name not in COLOUR_MIXES:
        raise ValueError(f"name must be one of {', '.join(map(repr, COLOUR_MIXES))}, got {name!r}")
    return np.array(COLOUR_MIXES[name])
