"""Checkers and reference solutions for notebooks/13_beyond_the_layer.ipynb."""

from __future__ import annotations

import numpy as np

from ..pooling import avg_pool2d, max_pool2d
from ..transpose import transpose_output_size
from ..variants import separable_counts, valid_groups
from ._feedback import Feedback, _not_answered, _show, counts_tries, empty, same_numbers, whole_number
from ._solutions import Solution, Solutions

# Exercise 1: a depthwise-separable block from 32 to 64 channels with 3 x 3 kernels, no biases.
SEPARABLE = dict(C_in=32, C_out=64, kernel_size=3)
# Exercise 2: a transposed convolution of a 7 x 7 map, kernel 4, stride 2, padding 1 (a GAN's upsampling).
TRANSPOSE = dict(input_size=7, kernel_size=4, stride=2, padding=1)
# Exercise 3: the groups a convolution from 12 to 8 channels can have.
GROUP_CHANNELS = (12, 8)
# Exercise 4: max pooling 2 x 2 with stride 2 of this 4 x 4.
POOL_INPUT = np.array([[1, 3, 2, 0],
                       [4, 2, 1, 5],
                       [0, 1, 7, 2],
                       [6, 2, 3, 1]])


@counts_tries
def check_separable_weights(answer):
    """The weights of a depthwise 3 x 3 (32 channels) then a 1x1 from 32 to 64 channels, without biases.

    Parameters
    ----------
    answer : int

    Returns
    -------
    Feedback
    """
    counts = separable_counts(**SEPARABLE)
    expected = counts["separable"]["weights"]
    depthwise, pointwise = counts["depthwise"]["weights"], counts["pointwise"]["weights"]
    reveal = (f"{expected:,}: the depthwise part has one 3 x 3 kernel per channel, 32 x 9 = {depthwise}, and the "
              f"1x1 part 64 x 32 = {pointwise}; together {depthwise} + {pointwise} = {expected}.")
    if _not_answered(answer):
        return empty("a whole number")
    given = whole_number(answer)
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: a count of weights is one whole number.", reveal)
    if given == expected:
        return Feedback(True, f"{expected:,} weights, against {counts['full']['weights']:,} for a full 3 x 3 "
                              f"convolution with the same output: {counts['ratio']:.1f} times fewer (the more "
                              "output channels, the nearer the ratio comes to 9, the kernel's 3 x 3).")
    if given == counts["full"]["weights"]:
        hint = "That is a full 3 x 3 convolution from 32 to 64 channels. The block splits it in two cheaper steps."
    elif given == depthwise:
        hint = "That is the depthwise step alone; the 1x1 step after it has weights too."
    elif given == pointwise:
        hint = "That is the 1x1 step alone; the depthwise step before it has weights too."
    elif given in (expected + 32, expected + 64, expected + 32 + 64):
        hint = "That counts biases (one per map of a step): this exercise leaves them out."
    elif given == 64 * 9 + 64 * 32:
        hint = "The depthwise step works on the 32 input channels, one kernel each, before the 1x1 makes 64."
    else:
        hint = "Count the two steps apart: a depthwise 3 x 3 (groups = C_in), then a 1x1 from C_in to C_out."
    return Feedback(False, f"You gave {given:,}. {hint}", reveal)


@counts_tries
def check_transpose_size(answer):
    """The output height of a transposed convolution: 7 rows, kernel 4, stride 2, padding 1.

    Parameters
    ----------
    answer : int

    Returns
    -------
    Feedback
    """
    n, k, s, p = TRANSPOSE["input_size"], TRANSPOSE["kernel_size"], TRANSPOSE["stride"], TRANSPOSE["padding"]
    expected = transpose_output_size(n, k, s, p)
    reveal = f"{expected}: (H - 1) * stride - 2 * padding + kH = ({n} - 1) * {s} - 2 * {p} + {k} = {expected}."
    if _not_answered(answer):
        return empty("a whole number")
    given = whole_number(answer)
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: a size is one whole number.", reveal)
    if given == expected:
        return Feedback(True, f"{expected}: the map doubles, as the upsampling in a GAN or a U-Net does.")
    if given == (n + 2 * p - k) // s + 1:
        hint = "That is the ordinary convolution's rule, which makes the map smaller. A transposed one grows it."
    elif given == (n - 1) * s + k:
        hint = "That is the size before the padding: here padding crops rows from each side of the output."
    elif given == (n - 1) * s - p + k:
        hint = "Padding crops from both sides of the output, the top and the bottom."
    else:
        hint = "The input pixels land stride rows apart on the output, and the last one's stamp is kH rows tall."
    return Feedback(False, f"You gave {given}. {hint}", reveal)


def _whole_numbers(answer):
    """A set of ints from a set, list or tuple of whole numbers, else None."""
    if isinstance(answer, np.ndarray):
        answer = answer.tolist()
    if not isinstance(answer, (set, frozenset, list, tuple, range)):
        return None
    numbers = [whole_number(a) for a in answer]
    return None if any(n is None for n in numbers) else set(numbers)


@counts_tries
def check_valid_groups(answer):
    """Every ``groups`` a convolution from C_in = 12 to C_out = 8 channels can have.

    Parameters
    ----------
    answer : set or list of int

    Returns
    -------
    Feedback
    """
    C_in, C_out = GROUP_CHANNELS
    expected = set(valid_groups(C_in, C_out))
    reveal = (f"{sorted(expected)}: groups must divide both C_in = 12 (1, 2, 3, 4, 6, 12) and C_out = 8 "
              "(1, 2, 4, 8), so the numbers on both lists.")
    if _not_answered(answer):
        return empty("a set of whole numbers, such as {1, 5}")
    given = _whole_numbers(answer)
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: write the groups as a set of whole numbers.", reveal)
    if given == expected:
        return Feedback(True, f"{sorted(expected)}: the numbers that divide both 12 and 8.")
    of_in = {g for g in range(1, C_in + 1) if C_in % g == 0}
    of_out = {g for g in range(1, C_out + 1) if C_out % g == 0}
    if given == of_in:
        hint = "Those divide C_in. The output maps are split into the same number of groups: C_out must divide too."
    elif given == of_out:
        hint = "Those divide C_out. The input channels are split into the same number of groups: C_in must divide too."
    elif given < expected:
        hint = f"Every number you gave works, but some are missing ({len(expected) - len(given)} more)."
    elif given - expected:
        wrong = sorted(given - expected)[0]
        hint = f"groups = {wrong} does not work: {C_in} / {wrong} and {C_out} / {wrong} must both be whole numbers."
    else:
        hint = "groups must divide both channel counts."
    return Feedback(False, f"You gave {sorted(given)}. {hint}", reveal)


@counts_tries
def check_max_pool(answer):
    """Max pooling 2 x 2 with stride 2 of ``POOL_INPUT``, worked out by hand.

    Parameters
    ----------
    answer : ndarray or nested list, shape (2, 2)

    Returns
    -------
    Feedback
    """
    expected = max_pool2d(POOL_INPUT.astype(float), 2)
    reveal = ("[[4, 5], [6, 7]]: the largest number of each 2 x 2 block: max(1, 3, 4, 2) = 4, max(2, 0, 1, 5) = 5, "
              "max(0, 1, 6, 2) = 6, max(7, 2, 3, 1) = 7.")
    if _not_answered(answer):
        return empty("a 2 x 2 array, such as np.array([[1, 2], [3, 4]])")
    try:
        given = np.asarray(answer, dtype=float)
    except Exception:  # not numbers (a string, a function, an object that refuses to be an array)
        return Feedback(False, f"You gave {_show(answer)}: write the four numbers as a 2 x 2 array.", reveal)
    if given.shape != (2, 2):
        hint = ("Windows of 2 x 2 that move 2 pixels at a time: a 4 x 4 input gives 2 x 2 outputs."
                if given.ndim == 2 else "Write the result as a 2 x 2 array, rows first.")
        return Feedback(False, f"You gave an array of shape {given.shape}. {hint}", reveal)
    if same_numbers(given, expected):
        return Feedback(True, "Each output is the largest number of its 2 x 2 block.")
    if same_numbers(given, avg_pool2d(POOL_INPUT.astype(float), 2)):
        hint = "Those are the means of the blocks: average pooling. Max pooling keeps the largest number."
    elif same_numbers(given, expected.T):
        hint = "Right numbers, but rows and columns swapped: the first row of the result comes from the top two rows."
    else:
        hint = "Split the 4 x 4 into four 2 x 2 blocks (top-left, top-right, bottom-left, bottom-right)."
    return Feedback(False, f"You gave {_show(given)}. {hint}", reveal)


SOLUTIONS = Solutions("13_beyond_the_layer.ipynb", [
    Solution(1, check_separable_weights, "separable_weights", """
        depthwise = 32 * 3 * 3      # one 3 x 3 kernel per input channel (groups = C_in)
        pointwise = 64 * 32         # a 1x1 convolution from 32 to 64 channels
        separable_weights = depthwise + pointwise
    """),
    Solution(2, check_transpose_size, "transposed_height", """
        transposed_height = (7 - 1) * 2 - 2 * 1 + 4   # (H - 1) * stride - 2 * padding + kH
    """),
    Solution(3, check_valid_groups, "groups_that_work", """
        groups_that_work = {g for g in range(1, 9) if 12 % g == 0 and 8 % g == 0}
    """),
    Solution(4, check_max_pool, "pooled_by_hand", """
        pooled_by_hand = np.array([[4, 5],
                                   [6, 7]])   # the largest number of each 2 x 2 block
    """),
])
show_solution = SOLUTIONS.show
