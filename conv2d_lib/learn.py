"""Learning a kernel by gradient descent: find the weights that turn a photo into a target.

Make a target by convolving a photo with a *hidden* kernel, start from random weights,
and repeat one step: the forward pass ``out = conv2d(image, weights)``, the mean squared
error ``loss = mean((out - target) ** 2)``, its gradient with respect to ``out``
(``2 * (out - target) / out.size``), the backward pass
(:func:`conv2d_lib.conv2d_backward`) for the gradient with respect to the weights, and a
step against it (:class:`conv2d_lib.nn.SGD`, plain or with momentum). The loss is a
quadratic bowl in the weights, so with a small enough learning rate the weights roll
down to the hidden kernel. With too large a one every step overshoots further than the
last, and the loss grows without end: :class:`KernelFit` notices that in time, stops,
and says so in words, before NumPy would warn of an overflow.

How large is too large is set by the bowl's steepest direction, its largest curvature
(:func:`largest_curvature`): plain gradient descent diverges when the learning rate is
above ``2 / curvature``, with momentum ``m`` above ``2 * (1 + m) / curvature``
(:func:`largest_stable_learning_rate`).

Shapes as in :mod:`conv2d_lib.conv`: a grey image ``(H, W)`` with a kernel ``(kH, kW)``,
or an image ``(H, W, C_in)`` with weights ``(C_out, C_in, kH, kW)``. NumPy only.
Introduced in notebooks/11_learning_a_kernel.ipynb.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._checks import check_array, check_int, describe
from .backward import conv2d_backward
from .conv import conv2d
from .nn.optim import SGD

__all__ = ["KernelFit", "loss_and_gradient", "largest_curvature", "largest_stable_learning_rate",
           "GROWTH_LIMIT"]

#: A run has diverged when its loss is this many times its first loss (or not finite at all).
#: Far below where float64 overflows, so the run stops before NumPy would warn.
GROWTH_LIMIT = 1e6


def _check_image_and_weights(image, weights, name="weights"):
    """Check the pair the fitter convolves; return them as float64 arrays."""
    image = check_array(image, "image", (2, 3), "(H, W) or (H, W, C_in)")
    weights = check_array(weights, name, (2, 4), "(kH, kW) or (C_out, C_in, kH, kW)")
    if (image.ndim == 2) != (weights.ndim == 2):
        raise ValueError(f"a grey image (H, W) goes with a kernel (kH, kW), and an image (H, W, C_in) with "
                         f"weights (C_out, C_in, kH, kW); got image shape {image.shape} and {name} shape "
                         f"{weights.shape}")
    if weights.shape[-2] > image.shape[0] or weights.shape[-1] > image.shape[1]:
        raise ValueError(f"{name} of shape {weights.shape} is larger than the image ({image.shape}): "
                         "the kernel must fit inside the image")
    if image.ndim == 3 and weights.shape[1] != image.shape[2]:
        raise ValueError(f"{name} has C_in = {weights.shape[1]} (shape {weights.shape}) but the image has "
                         f"{image.shape[2]} channels (shape {image.shape})")
    return image.astype(np.float64), weights.astype(np.float64)


def _check_rate(value, name, low, high=math.inf, closed_low=False):
    if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number, got {describe(value)}")
    value = float(value)
    above = value >= low if closed_low else value > low
    if not (above and value < high and math.isfinite(value)):
        span = f"{'[' if closed_low else '('}{low:g}, {high:g})"
        raise ValueError(f"{name} must be a finite number in {span}, got {value!r}")
    return value


def loss_and_gradient(image, target, weights):
    """The mean squared error of ``conv2d(image, weights)`` against ``target``, and its gradient.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C_in)
    target : ndarray, shape (H_out, W_out) or (H_out, W_out, C_out)
        What the convolution should give (no padding, stride 1).
    weights : ndarray, shape (kH, kW) or (C_out, C_in, kH, kW)

    Returns
    -------
    loss : float
        ``mean((conv2d(image, weights) - target) ** 2)``.
    grad_weights : ndarray, the shape of ``weights``, float64
        How fast the loss grows with each weight.

    Raises
    ------
    TypeError, ValueError
        When an argument is not an array of the shapes above, or ``target`` does not have
        the shape of the convolution's output.

    Examples
    --------
    >>> image = np.arange(9.0).reshape(3, 3)
    >>> loss, grad = loss_and_gradient(image, np.zeros((2, 2)), np.zeros((2, 2)))
    >>> float(loss), grad.tolist()    # every output is 0, the target too: nothing to learn
    (0.0, [[0.0, 0.0], [0.0, 0.0]])
    """
    image, weights = _check_image_and_weights(image, weights)
    target = check_array(target, "target", (2, 3), "(H_out, W_out) or (H_out, W_out, C_out)")
    output = conv2d(image, weights)
    if target.shape != output.shape:
        raise ValueError(f"target must have the shape of conv2d(image, weights), {output.shape}, "
                         f"got shape {target.shape}")
    return _loss_and_gradient(image, target.astype(np.float64), weights, output)


def _loss_and_gradient(image, target, weights, output=None):
    """loss_and_gradient on checked float64 arrays (the fitter's inner step)."""
    output = conv2d(image, weights) if output is None else output
    residual = output - target
    loss = float(np.mean(residual ** 2))
    grad_output = 2.0 * residual / residual.size  # d loss / d output, one number per output value
    _, grad_weights, _ = conv2d_backward(grad_output, image, weights)
    return loss, grad_weights


def _windows(image, kH, kW):
    """Every kH x kW window of ``image``, one row each: shape (H_out * W_out, C_in * kH * kW)."""
    image = image[:, :, np.newaxis] if image.ndim == 2 else image
    windows = np.lib.stride_tricks.sliding_window_view(image, (kH, kW), axis=(0, 1))  # (H_out, W_out, C_in, kH, kW)
    return windows.reshape(-1, windows.shape[2] * kH * kW)


def largest_curvature(image, kernel_shape):
    """How steep the loss bowl is along its steepest direction (the largest eigenvalue of its Hessian).

    The loss ``mean((conv2d(image, w) - target) ** 2)`` is ``mean((X @ w - t) ** 2)`` with
    one row of ``X`` per window of the image, so its second derivative (its Hessian, the
    same everywhere) is ``2 * X.T @ X / len(X)``. The result does not depend on the target
    or on the weights, only on the image and the kernel's size. One output map's weights
    are learned independently of the others', so ``C_out`` does not matter.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C_in)
    kernel_shape : (int, int)
        ``(kH, kW)``.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        When ``image`` is not an image or the kernel does not fit in it.

    Examples
    --------
    >>> float(largest_curvature(np.ones((5, 5)), (1, 1)))   # loss = mean((w - t)^2): curvature 2
    2.0
    """
    image = check_array(image, "image", (2, 3), "(H, W) or (H, W, C_in)")
    if not isinstance(kernel_shape, (tuple, list)) or len(kernel_shape) != 2:
        raise TypeError(f"kernel_shape must be a pair (kH, kW), got {describe(kernel_shape)}")
    kH, kW = (check_int(v, f"kernel_shape[{i}]", 1) for i, v in enumerate(kernel_shape))
    if kH > image.shape[0] or kW > image.shape[1]:
        raise ValueError(f"a {kH} x {kW} kernel does not fit in an image of shape {image.shape}")
    X = _windows(image.astype(np.float64), kH, kW)
    return float(np.linalg.eigvalsh(2.0 * X.T @ X / len(X))[-1])


def largest_stable_learning_rate(image, kernel_shape, momentum=0.0):
    """The learning rate above which gradient descent on this image diverges.

    Along the steepest direction each plain step multiplies the distance to the bottom
    of the bowl by ``1 - learning_rate * curvature``: above ``2 / curvature`` that factor
    is below -1 and each step lands further away, on the other side. With momentum ``m``
    the limit is ``2 * (1 + m) / curvature``.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C_in)
    kernel_shape : (int, int)
    momentum : float in [0, 1), default 0.0

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        As :func:`largest_curvature`, and when ``momentum`` is not in [0, 1).

    Examples
    --------
    >>> float(largest_stable_learning_rate(np.ones((5, 5)), (1, 1)))
    1.0
    """
    momentum = _check_rate(momentum, "momentum", 0.0, 1.0, closed_low=True)
    return 2.0 * (1.0 + momentum) / largest_curvature(image, kernel_shape)


class KernelFit:
    """Gradient descent that learns a hidden kernel from a photo and its convolution.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C_in)
        The photo (values of about 0 to 1 keep the learning rates of the lesson).
    hidden : ndarray, shape (kH, kW) or (C_out, C_in, kH, kW)
        The kernel to find: the target is ``conv2d(image, hidden)``.
    learning_rate : float, default 0.3
        > 0. Changing the attribute later takes effect at the next step.
    momentum : float in [0, 1), default 0.0
        0 is plain gradient descent; 0.9 keeps nine tenths of the last step (faster here).
    seed : int, default 0
        Which random start: weights drawn from a normal distribution of spread 0.1.

    Attributes
    ----------
    target : ndarray, shape (H_out, W_out) or (H_out, W_out, C_out)
    weights : ndarray, the shape of ``hidden``
        The weights learned so far (updated in place by each step).
    start : ndarray, the shape of ``hidden``
        The random weights the run started from.
    losses : list of float
        ``losses[i]`` is the loss with the weights after ``i`` steps.
    steps : int
        How many steps were taken.
    diverged : bool
        True once the loss has stopped being finite or has grown to ``GROWTH_LIMIT`` times
        its first value; the run then takes no more steps (see :attr:`verdict`).

    Raises
    ------
    TypeError, ValueError
        When an argument is not of the kind above, or the image and the kernel do not go together.

    Examples
    --------
    >>> from conv2d_lib import images, kernels
    >>> photo = images.centre_crop(images.sample("cat", gray=True), 64)
    >>> fit = KernelFit(photo, kernels.get("sobel_x"), learning_rate=0.5, momentum=0.9)
    >>> fit.step(1500) < 1e-8, fit.error() < 1e-3
    (True, True)
    >>> too_fast = KernelFit(photo, kernels.get("sobel_x"), learning_rate=5.0)
    >>> _ = too_fast.step(100)
    >>> too_fast.diverged, too_fast.steps < 100       # it stopped by itself, without a warning
    (True, True)
    """

    def __init__(self, image, hidden, learning_rate=0.3, momentum=0.0, seed=0):
        self.image, self.hidden = _check_image_and_weights(image, hidden, "hidden")
        self.momentum = _check_rate(momentum, "momentum", 0.0, 1.0, closed_low=True)
        self.learning_rate = _check_rate(learning_rate, "learning_rate", 0.0)
        self.seed = check_int(seed, "seed", 0)
        self.target = conv2d(self.image, self.hidden)
        self.start = np.random.default_rng(self.seed).normal(0.0, 0.1, self.hidden.shape)
        self.reset()

    def reset(self):
        """Back to the random start: the same weights, no steps, no losses."""
        self.weights = self.start.copy()
        self.steps = 0
        self.diverged = False
        self._optimizer = SGD(self, self.learning_rate, self.momentum)
        self._grad = None
        self.losses = []
        self._measure()

    def parameters(self):
        """``("weights", array, gradient)``, what :class:`conv2d_lib.nn.SGD` updates."""
        yield "weights", self.weights, self._grad

    def _measure(self):
        """Loss and gradient at the current weights; flags divergence, never lets NumPy warn."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            loss, grad = _loss_and_gradient(self.image, self.target, self.weights)
        self.losses.append(loss)
        first = max(self.losses[0], 1e-300)
        if not (math.isfinite(loss) and np.all(np.isfinite(grad))) or loss > GROWTH_LIMIT * first:
            self.diverged = True
            self._grad = None
        else:
            self._grad = grad
        return loss

    def step(self, n=1):
        """Take up to ``n`` steps of gradient descent; return the loss after the last one.

        Each step moves the weights against the gradient of the loss (with momentum if
        asked), then measures the loss at the new weights. The run stops early when it
        diverges: then :attr:`diverged` is True and :attr:`verdict` says why in words.

        Parameters
        ----------
        n : int >= 0, default 1

        Returns
        -------
        float
            The current loss, ``losses[-1]``.

        Raises
        ------
        TypeError, ValueError
            When ``n`` is not a whole number >= 0.
        """
        n = check_int(n, "n", 0)
        self._optimizer.lr = _check_rate(self.learning_rate, "learning_rate", 0.0)
        for _ in range(n):
            if self.diverged:
                break
            with np.errstate(over="ignore", invalid="ignore", under="ignore"):
                self._optimizer.step()
            self.steps += 1
            self._measure()
        return self.losses[-1]

    def error(self):
        """The largest difference between a learned weight and the hidden one (max abs error)."""
        return float(np.max(np.abs(self.weights - self.hidden)))

    @property
    def verdict(self):
        """The run in words: how far the loss has come, or that it diverged and what to do.

        Returns
        -------
        str
        """
        first, last = self.losses[0], self.losses[-1]
        if self.diverged:
            grown = f"{last:.2g}" if math.isfinite(last) else "more than a float can hold"
            return (f"diverged: learning rate {self.learning_rate:.3g} too large, loss grew from {first:.2g} to "
                    f"{grown} in {self.steps} steps; lower it and start again")
        return (f"step {self.steps}: loss {last:.2g} (from {first:.2g}), largest weight error "
                f"{self.error():.2g}")
