"""How well a classifier does: the confusion matrix of its answers."""

from __future__ import annotations

import numpy as np

from .._checks import check_int, describe, plain_array

__all__ = ["confusion_matrix"]


def confusion_matrix(labels, predicted, classes=10):
    """Count, for every true class and every answer, how many examples got that answer.

    Parameters
    ----------
    labels : ndarray, shape (N,), ints in 0..classes-1
        The right answers.
    predicted : ndarray, shape (N,), ints in 0..classes-1
        The classifier's answers.
    classes : int, default 10
        ``K``, the number of classes.

    Returns
    -------
    ndarray, shape (K, K), int64
        Row ``t``, column ``p``: how many examples of class ``t`` were answered ``p``. The
        diagonal holds the right answers; each row sums to the number of examples of its class.

    Raises
    ------
    TypeError
        When ``labels`` or ``predicted`` is not an ndarray of ints.
    ValueError
        When their shapes differ or are not (N,), or a value is outside 0..classes-1.

    Examples
    --------
    >>> confusion_matrix(np.array([0, 1, 1]), np.array([0, 1, 0]), classes=2)
    array([[1, 0],
           [1, 1]])
    """
    classes = check_int(classes, "classes", 1)
    arrays = []
    for name, value in (("labels", labels), ("predicted", predicted)):
        value = plain_array(value, name)
        if not isinstance(value, np.ndarray) or value.dtype.kind not in "iu":
            raise TypeError(f"{name} must be an ndarray of ints (class numbers), got {describe(value)}")
        if value.ndim != 1:
            raise ValueError(f"{name} must have shape (N,), got shape {value.shape}")
        if value.size and (value.min() < 0 or value.max() >= classes):
            raise ValueError(f"{name} must lie in 0..{classes - 1} (classes={classes}), "
                             f"got {value.min()}..{value.max()}")
        arrays.append(value.astype(np.int64))
    labels, predicted = arrays
    if labels.shape != predicted.shape:
        raise ValueError(f"labels and predicted must have the same shape, got {labels.shape} and {predicted.shape}")
    counts = np.zeros((classes, classes), np.int64)
    np.add.at(counts, (labels, predicted), 1)
    return counts
