"""Layers with a forward and a backward pass: Dense, ReLU, Flatten, MaxPool2D.

The convolution layer is :class:`conv2d_lib.Conv2D` itself, which has the same ``forward``,
``backward``, ``params`` and ``grads``.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_int, check_pair, describe, plain_array
from ..pooling import max_pool2d, max_pool2d_backward
from .activations import relu

__all__ = ["Layer", "Dense", "ReLU", "Flatten", "MaxPool2D"]


class Layer:
    """What every layer has: parameters, their gradients, ``forward`` and ``backward``.

    Attributes
    ----------
    params : dict of str to ndarray
        The layer's trainable arrays (empty for ReLU and Flatten).
    grads : dict of str to ndarray
        Filled by ``backward``: the gradient of the loss for each of ``params``, same shapes.
    """

    def __init__(self):
        self.params, self.grads = {}, {}
        self._kept = None  # what forward keeps for backward

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):  # pragma: no cover - every layer defines its own
        raise NotImplementedError

    def backward(self, grad_output):  # pragma: no cover
        raise NotImplementedError

    def _needs_forward(self):
        if self._kept is None:
            raise RuntimeError(f"{type(self).__name__}.backward needs a forward pass first: call the layer on "
                               "a batch, then backward with the gradient of its output")
        return self._kept


def _check_batch(x, name, ndim, shape_text):
    x = plain_array(x, name)
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real numpy.ndarray of shape {shape_text}, got {describe(x)}")
    if x.ndim != ndim:
        raise ValueError(f"{name} must have shape {shape_text}, got shape {x.shape}")
    return x


class Dense(Layer):
    """A fully connected layer: ``y = x @ weights.T + bias``, as PyTorch's ``nn.Linear``.

    Parameters
    ----------
    in_features, out_features : int
        ``F_in`` and ``F_out``.
    seed : int or None, default None
        Seed for the He-initialised weights (standard deviation ``sqrt(2 / F_in)``).
    dtype : numpy dtype, default float32

    Attributes
    ----------
    params : {"weights": ndarray (F_out, F_in), "bias": ndarray (F_out,)}

    Raises
    ------
    TypeError, ValueError
        For a size that is not an int >= 1; on a call, for input that is not ``(N, F_in)``.
    """

    def __init__(self, in_features, out_features, seed=None, dtype=np.float32):
        super().__init__()
        self.in_features = check_int(in_features, "in_features", 1)
        self.out_features = check_int(out_features, "out_features", 1)
        rng = np.random.default_rng(seed)
        weights = rng.standard_normal((self.out_features, self.in_features)) * np.sqrt(2.0 / self.in_features)
        self.params = {"weights": weights.astype(dtype), "bias": np.zeros(self.out_features, dtype)}

    def forward(self, x):
        """``x`` of shape (N, F_in) to (N, F_out)."""
        x = _check_batch(x, "x", 2, f"(N, F_in) with F_in={self.in_features}")
        if x.shape[1] != self.in_features:
            raise ValueError(f"x has {x.shape[1]} features (shape {x.shape}) but this layer was built with "
                             f"in_features={self.in_features}")
        self._kept = x
        return x @ self.params["weights"].T + self.params["bias"]

    def backward(self, grad_output):
        """Gradient (N, F_out) of the loss for the output in; the one for the input (N, F_in) out."""
        x = self._needs_forward()
        self.grads = {"weights": grad_output.T @ x, "bias": grad_output.sum(axis=0)}
        return grad_output @ self.params["weights"]


class ReLU(Layer):
    """``max(x, 0)`` element by element; its gradient passes where the input was positive."""

    def forward(self, x):
        """Any shape in, the same shape out: :func:`relu`, keeping where it let values through."""
        out = relu(x)
        self._kept = out > 0
        return out

    def backward(self, grad_output):
        return grad_output * self._needs_forward()


class Flatten(Layer):
    """Feature maps (N, H, W, C) to rows of features (N, H * W * C), in channels-last order."""

    def forward(self, x):
        x = _check_batch(x, "x", 4, "(N, H, W, C)")
        self._kept = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_output):
        return grad_output.reshape(self._needs_forward())


class MaxPool2D(Layer):
    """Max pooling of every channel (:func:`conv2d_lib.pooling.max_pool2d`); the gradient goes to each maximum.

    Parameters
    ----------
    kernel_size : int or (int, int)
    stride : None, int or (int, int), default None (the kernel size)
    padding : int or (int, int), default 0
    """

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        # Checked here, so a bad layer fails when it is built (the window's fit is checked per call).
        kernel_size = check_pair(kernel_size, "kernel_size", 1)
        stride = kernel_size if stride is None else check_pair(stride, "stride", 1)
        self.settings = dict(kernel_size=kernel_size, stride=stride, padding=check_pair(padding, "padding", 0))

    def forward(self, x):
        """(N, H, W, C) in, (N, H_out, W_out, C) out."""
        self._kept = x
        return max_pool2d(x, **self.settings)

    def backward(self, grad_output):
        return max_pool2d_backward(grad_output, self._needs_forward(), **self.settings)
