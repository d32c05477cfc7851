"""Receptive fields of stacked convolution layers: which input pixels one output pixel sees.

NumPy-free arithmetic. A layer is described by ``(kernel_size, stride, padding,
dilation)``, each an int (the same on both axes). Coordinates are in input pixels:
row 0 is the image's first row; negative rows lie in the padding.

Introduced in notebooks/07_stacking_layers.ipynb.
"""

from __future__ import annotations

from ._checks import check_int

__all__ = ["receptive_field", "receptive_field_table"]


def _walk(layers):
    """Yield ``(size, jump, start)`` after each layer: window span, step and first row, in input pixels."""
    size, jump, start = 1, 1, 0
    for index, layer in enumerate(layers):
        if not isinstance(layer, (tuple, list)) or len(layer) != 4:
            raise TypeError(f"layers[{index}] must be (kernel_size, stride, padding, dilation), got {layer!r}")
        k, s, p, d = (check_int(v, f"layers[{index}][{i}]", 0 if i == 2 else 1) for i, v in enumerate(layer))
        span = d * (k - 1) + 1
        # The layer's first window starts p pixels before its input's row 0 and spans `span` of them;
        # each of those input pixels already sees `size` pixels, `jump` apart, from `start` on.
        start -= p * jump
        size += (span - 1) * jump
        jump *= s
        yield size, jump, start


def receptive_field(layers, row=0, col=0):
    """The square of input pixels that output pixel ``(row, col)`` of the last layer depends on.

    Parameters
    ----------
    layers : list of (int, int, int, int)
        ``(kernel_size, stride, padding, dilation)`` of each layer, first layer first.
    row, col : int, default 0
        The output pixel of the last layer.

    Returns
    -------
    (int, int, int)
        ``(top, left, size)``: the field covers input rows ``top .. top + size - 1`` and
        columns ``left .. left + size - 1``. Parts may lie outside the image (in padding).

    Examples
    --------
    >>> receptive_field([(3, 1, 0, 1), (3, 1, 0, 1)])      # two 3x3 layers see 5x5
    (0, 0, 5)
    >>> receptive_field([(3, 2, 1, 1), (3, 1, 1, 1)], row=2, col=1)
    (1, -1, 7)
    """
    row, col = check_int(row, "row", 0), check_int(col, "col", 0)
    size, jump, start = 1, 1, 0
    for size, jump, start in _walk(layers):
        pass
    return start + row * jump, start + col * jump, size


def receptive_field_table(input_size, layers):
    """Per layer: output size, receptive field size and jump, for a table in a lesson.

    Parameters
    ----------
    input_size : int
    layers : list of (int, int, int, int)

    Returns
    -------
    list of dict
        One per layer, with keys ``layer``, ``output_size``, ``field`` (receptive field
        side in input pixels) and ``jump`` (input pixels between neighbouring outputs).

    Raises
    ------
    ValueError
        When a layer's kernel does not fit its (padded) input.

    Examples
    --------
    >>> [row["field"] for row in receptive_field_table(32, [(3, 1, 1, 1)] * 3)]
    [3, 5, 7]
    """
    from .conv import output_size

    rows, size = [], check_int(input_size, "input_size", 1)
    for index, ((field, jump, _), (k, s, p, d)) in enumerate(zip(_walk(layers), layers), start=1):
        try:
            size = output_size(size, k, s, p, d)
        except ValueError as problem:
            raise ValueError(f"layer {index} gets a {size}-pixel input: {problem}") from None
        rows.append({"layer": index, "output_size": size, "field": field, "jump": jump})
    return rows
