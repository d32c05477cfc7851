"""Layers in a row: the output of one is the input of the next, and the gradient flows back."""

from __future__ import annotations

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

    def parameters(self):
        """``(name, array, gradient)`` for every parameter, named ``"<layer index>.<name>"``."""
        for index, layer in enumerate(self.layers):
            for name, value in getattr(layer, "params", {}).items():
                yield f"{index}.{name}", value, layer.grads.get(name)
