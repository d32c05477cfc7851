"""The loss of a classifier: softmax turns scores into probabilities, cross-entropy scores them."""

from __future__ import annotations

import numpy as np

from .._checks import describe, plain_array

__all__ = ["SoftmaxCrossEntropy", "softmax"]


def softmax(logits):
    """Scores to probabilities, row by row: ``exp(logits) / sum(exp(logits))``, computed without overflow.

    Parameters
    ----------
    logits : ndarray, shape (N, K)
        Real scores, one row per example.

    Returns
    -------
    ndarray, shape (N, K)
        Each row >= 0 and summing to 1; the largest score gets the largest probability.

    Raises
    ------
    TypeError
        When ``logits`` is not a real ndarray of shape (N, K).

    Examples
    --------
    >>> softmax(np.array([[0.0, np.log(3.0)]])).round(3)
    array([[0.25, 0.75]])
    """
    logits = plain_array(logits, "logits")
    if not isinstance(logits, np.ndarray) or logits.ndim != 2 or logits.dtype.kind not in "iuf":
        raise TypeError(f"logits must be a real ndarray of shape (N, K), got {describe(logits)}")
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))  # exp never overflows
    return shifted / shifted.sum(axis=1, keepdims=True)


class SoftmaxCrossEntropy:
    """Mean cross-entropy of the softmax of the scores, as PyTorch's ``nn.CrossEntropyLoss``.

    ``loss = mean_n( -log softmax(logits[n])[labels[n]] )``. Its gradient with respect
    to the scores is ``(softmax(logits) - one_hot(labels)) / N``: the probability given
    to each class, minus 1 for the right one.

    Examples
    --------
    >>> loss = SoftmaxCrossEntropy()
    >>> round(loss(np.zeros((1, 4)), np.array([2])), 4)    # 4 equal scores: -log(1/4)
    1.3863
    """

    def __init__(self):
        self._kept = None

    def __call__(self, logits, labels):
        """The mean loss (a float) of ``logits`` (N, K) for the right classes ``labels`` (N,) in 0..K-1."""
        logits, labels = plain_array(logits, "logits"), plain_array(labels, "labels")
        if not isinstance(logits, np.ndarray) or logits.ndim != 2 or logits.dtype.kind != "f":
            raise TypeError(f"logits must be a float ndarray of shape (N, K), got {describe(logits)}")
        if not isinstance(labels, np.ndarray) or labels.dtype.kind not in "iu" or labels.shape != logits.shape[:1]:
            raise ValueError(f"labels must be ints of shape (N,)=({logits.shape[0]},), got {describe(labels)}")
        if labels.size and (labels.min() < 0 or labels.max() >= logits.shape[1]):
            raise ValueError(f"labels must lie in 0..{logits.shape[1] - 1} (K={logits.shape[1]} classes), "
                             f"got {labels.min()}..{labels.max()}")
        shifted = logits - logits.max(axis=1, keepdims=True)  # exp never overflows
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self._kept = (np.exp(log_probs), labels)
        return float(-log_probs[np.arange(len(labels)), labels].mean())

    def backward(self):
        """The gradient (N, K) of the last loss with respect to its logits."""
        if self._kept is None:
            raise RuntimeError("SoftmaxCrossEntropy.backward needs a loss first: call it on logits and labels")
        probs, labels = self._kept
        grad = probs.copy()
        grad[np.arange(len(labels)), labels] -= 1.0
        return grad / len(labels)
