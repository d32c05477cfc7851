"""The handwritten digits that scikit-learn ships (8 x 8 pictures, no download), split with a seed."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._checks import check_int, describe

__all__ = ["Digits", "load_digits"]


class Digits(NamedTuple):
    """Pictures ``(N, 8, 8, 1)`` float32 in [0, 1] and their labels ``(N,)`` int64 in 0..9."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def load_digits(seed=0, test_fraction=0.2):
    """scikit-learn's 1,797 digits, shuffled by ``seed`` and split into training and test pictures.

    Parameters
    ----------
    seed : int >= 0, default 0
        Which shuffle: the same seed gives the same split on every machine.
    test_fraction : float, default 0.2
        The share of pictures kept aside for the test, in (0, 1).

    Returns
    -------
    Digits
        ``x_train (N_train, 8, 8, 1)``, ``y_train (N_train,)``, ``x_test``, ``y_test``;
        pixel values are scikit-learn's 0-16 divided by 16.

    Raises
    ------
    ImportError
        When scikit-learn is not installed (it is in the lessons extra).
    TypeError, ValueError
        When ``seed`` is not an int >= 0 or ``test_fraction`` not a number in (0, 1).

    Examples
    --------
    >>> data = load_digits(seed=0)
    >>> data.x_train.shape, data.x_test.shape, data.y_train.dtype
    ((1438, 8, 8, 1), (359, 8, 8, 1), dtype('int64'))
    """
    seed = check_int(seed, "seed", 0)
    if not isinstance(test_fraction, (int, float)) or isinstance(test_fraction, bool):
        raise TypeError(f"test_fraction must be a number in (0, 1), got {describe(test_fraction)}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    try:
        from sklearn.datasets import load_digits as sklearn_digits
    except ImportError as error:
        raise ImportError("the digits come with scikit-learn: pip install scikit-learn "
                          "(or the lessons extra: pip install -e \".[lessons]\")") from error
    bunch = sklearn_digits()
    images = (bunch.images / 16.0).astype(np.float32)[..., np.newaxis]
    labels = bunch.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = round(len(labels) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return Digits(images[train], labels[train], images[test], labels[test])
