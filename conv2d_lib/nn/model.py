"""Layers in a row: the output of one is the input of the next, and the gradient flows back."""

from __future__ import annotations

import numpy as np

from .._checks import describe

__all__ = ["Sequential"]


class Sequential:
    """A list of layers applied one after the other.

    Parameters
    ----------
    layers : list
        Objects with ``forward``, ``backward``, ``params`` and ``grads`` (see
        :class:`conv2d_lib.nn.Layer`).

    Raises
    ------
    TypeError
        When ``layers`` is not a list of such layers.
    """

    def __init__(self, layers):
        if not isinstance(layers, (list, tuple)) or not all(
                hasattr(layer, "forward") and hasattr(layer, "backward") for layer in layers):
            raise TypeError(f"layers must be a list of layers (with forward and backward), got {describe(layers)}")
        self.layers = list(layers)

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_output):
        """Back through every layer, last first; returns the gradient for the model's input."""
        for layer in reversed(self.layers):
            grad_output = layer.backward(grad_output)
        return grad_output

    def summary(self, input_shape):
        """What each layer makes of one input: ``(layer, output shape, number of parameters)`` rows.

        Parameters
        ----------
        input_shape : tuple of int
            The shape of one example, without the batch: ``(8, 8, 1)`` for a digit.

        Returns
        -------
        list of (str, tuple, int)
            One row per layer; the shape is without the batch dimension.

        Raises
        ------
        TypeError
            When ``input_shape`` is not a tuple of ints.

        Examples
        --------
        >>> from conv2d_lib.nn import Dense, ReLU
        >>> Sequential([Dense(4, 3, seed=0), ReLU()]).summary((4,))
        [('Dense(4 -> 3)', (3,), 15), ('ReLU', (3,), 0)]
        """
        if not isinstance(input_shape, tuple) or not all(isinstance(n, int) and n >= 1 for n in input_shape):
            raise TypeError(f"input_shape must be a tuple of ints >= 1 (one example's shape), got {describe(input_shape)}")
        x = np.zeros((1, *input_shape), np.float32)
        rows = []
        for layer in self.layers:
            x = layer.forward(x)
            count = sum(int(value.size) for value in getattr(layer, "params", {}).values())
            rows.append((_layer_name(layer), tuple(x.shape[1:]), count))
        return rows

    def parameters(self):
        """``(name, array, gradient)`` for every parameter, named ``"<layer index>.<name>"``."""
        for index, layer in enumerate(self.layers):
            for name, value in getattr(layer, "params", {}).items():
                yield f"{index}.{name}", value, layer.grads.get(name)


def _layer_name(layer):
    """A short name for a table: ``Conv2D 3x3 (1 -> 16)``, ``MaxPool2D 2x2``, ``Dense(512 -> 10)``."""
    kind = type(layer).__name__
    if kind == "Conv2D":
        (kh, kw) = layer.kernel_size
        return f"Conv2D {kh}x{kw} ({layer.in_channels} -> {layer.out_channels})"
    if kind == "MaxPool2D":
        (kh, kw) = layer.settings["kernel_size"]
        return f"MaxPool2D {kh}x{kw}"
    if kind == "Dense":
        return f"Dense({layer.in_features} -> {layer.out_features})"
    return kind
