"""Activation functions applied after a convolution: ReLU, and how much of a map it lets through.

NumPy only. Every function works on any shape, so it fits between stacked layers:
an output ``(H_out, W_out, C_out)`` or a batch ``(N, H_out, W_out, C_out)`` goes in,
the same shape comes out.

Introduced in notebooks/05_bias.ipynb.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._checks import describe

__all__ = ["relu", "active_fraction"]


def _check_real_array(x, name):
    """``x`` as a real (int, uint or float) ndarray of any shape, or raise naming ``name``."""
    if isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_)):
        return np.asarray(x)
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray (any shape, e.g. (H_out, W_out, C_out)) "
                        f"or a real number, got {describe(x)}")
    if x.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers (int, uint or float), got dtype {x.dtype}")
    return x


def relu(x):
    """The rectified linear unit: keep positive values, replace the others by 0.

    ``relu(x) = max(x, 0)``, element by element. After a convolution with bias
    ``b``, ``relu(conv2d(image, weights, bias=b))`` keeps exactly the pixels whose
    plain correlation is above ``-b``: the bias sets the threshold.

    Parameters
    ----------
    x : ndarray of any shape, e.g. (H_out, W_out, C_out) or (N, H_out, W_out, C_out); or a real number
        Integer or floating-point values. NaN stays NaN (as in PyTorch), so a
        broken computation is not hidden behind zeros.

    Returns
    -------
    ndarray, same shape and dtype as ``x``
        A new array; ``x`` is not changed. A number gives a 0-d array.

    Raises
    ------
    TypeError
        When ``x`` is not an ndarray or a real number, or holds bools, complex
        numbers, strings or objects.

    Examples
    --------
    >>> relu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
    array([0. , 0. , 0. , 0.5, 2. ])
    >>> relu(np.array([[-1, 3], [2, -4]]))          # integers stay integers
    array([[0, 3],
           [2, 0]])
    """
    x = _check_real_array(x, "x")
    out = np.array(np.maximum(x, np.zeros((), dtype=x.dtype)))
    out += 0  # turns -0.0 into 0.0, so a printed map never shows "-0."
    return out


def active_fraction(x):
    """The share of values that ReLU lets through, i.e. that are greater than 0.

    Parameters
    ----------
    x : ndarray of any shape, e.g. (H_out, W_out) or (H_out, W_out, C_out)
        Typically ``conv2d(image, weights, bias=b)`` before ReLU.

    Returns
    -------
    float
        Between 0 and 1. NaN values count as not passing.

    Raises
    ------
    TypeError
        When ``x`` is not a real-valued ndarray.
    ValueError
        When ``x`` is empty (the share of nothing is undefined).

    Examples
    --------
    >>> active_fraction(np.array([-1.0, 0.0, 0.5, 3.0]))   # 0 does not pass
    0.5
    """
    x = _check_real_array(x, "x")
    if x.size == 0:
        raise ValueError(f"x must not be empty, got shape {x.shape}")
    return float(np.count_nonzero(x > 0)) / x.size
