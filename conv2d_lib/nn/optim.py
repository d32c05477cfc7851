"""Stochastic gradient descent with momentum, as PyTorch's ``torch.optim.SGD``."""

from __future__ import annotations

import numbers

from .._checks import describe

__all__ = ["SGD"]


class SGD:
    """Move every parameter a step against its gradient: ``v = momentum * v + grad``, ``p -= lr * v``.

    Parameters
    ----------
    model : Sequential
        Anything with ``parameters()`` yielding ``(name, array, gradient)``.
    lr : float
        The learning rate, > 0.
    momentum : float, default 0.0
        In [0, 1): how much of the last step is kept.

    Raises
    ------
    TypeError, ValueError
        When ``lr`` or ``momentum`` is not a number in range.
    """

    def __init__(self, model, lr, momentum=0.0):
        for name, value in (("lr", lr), ("momentum", momentum)):
            if not isinstance(value, numbers.Real) or isinstance(value, bool):
                raise TypeError(f"{name} must be a number, got {describe(value)}")
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.model, self.lr, self.momentum = model, float(lr), float(momentum)
        self._velocity = {}

    def step(self):
        """One update of every parameter that has a gradient, in place."""
        for name, value, grad in self.model.parameters():
            if grad is None:
                continue
            velocity = self._velocity.get(name)
            velocity = grad.copy() if velocity is None else self.momentum * velocity + grad
            self._velocity[name] = velocity
            value -= (self.lr * velocity).astype(value.dtype, copy=False)
