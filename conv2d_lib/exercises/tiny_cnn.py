"""Checkers and reference solutions for notebooks/12_tiny_cnn.ipynb."""

from __future__ import annotations

import numpy as np

from ..pooling import max_pool2d_backward
from ._feedback import Feedback, _not_answered, _show, counts_tries, empty, int_tuple, whole_number
from ._solutions import Solution, Solutions

#: The layers of the lesson's network, in order (what ``make_network(0).summary((8, 8, 1))`` names).
LAYERS = ("conv 3x3 (1 -> 16)", "ReLU", "conv 3x3 (16 -> 32)", "ReLU", "max pool 2x2", "flatten", "dense (-> 10)")
SHAPES = [(8, 8, 16), (8, 8, 16), (8, 8, 32), (8, 8, 32), (4, 4, 32), (512,), (10,)]

#: Exercise 3's 4 x 4 input: every 2 x 2 window holds a tie for its maximum.
POOL_IMAGE = np.array([[1.0, 3.0, 2.0, 0.0],
                       [3.0, 2.0, 1.0, 2.0],
                       [0.0, 1.0, 5.0, 4.0],
                       [2.0, 2.0, 4.0, 5.0]])
POOL_GRAD = np.array([[1.0, 2.0],
                      [3.0, 4.0]])


@counts_tries
def check_layer_shapes(answer):
    """The output shape of each of the seven layers for one 8 x 8 x 1 digit (without the batch).

    Parameters
    ----------
    answer : list of tuple of int
        Seven shapes, in the order of the layers.

    Returns
    -------
    Feedback
    """
    reveal = ("[(8, 8, 16), (8, 8, 16), (8, 8, 32), (8, 8, 32), (4, 4, 32), (512,), (10,)]: padding 1 keeps "
              "8 x 8 through both 3 x 3 convolutions, ReLU changes no shape, the 2 x 2 pooling halves rows and "
              "columns, flatten makes 4 x 4 x 32 = 512 numbers, and the dense layer one score per digit.")
    if _not_answered(answer):
        return empty("a list of seven shapes")
    if not isinstance(answer, (list, tuple)) or len(answer) != len(SHAPES):
        count = len(answer) if isinstance(answer, (list, tuple)) else None
        said = f"{count} shapes" if count is not None else _show(answer)
        return Feedback(False, f"You gave {said}: give a list of seven shapes, one per layer, each a tuple "
                               "such as (8, 8, 16).", reveal)
    shapes = [int_tuple(shape) for shape in answer]
    for index, (given, raw, right) in enumerate(zip(shapes, answer, SHAPES)):
        if given == right:
            continue
        where = f"Layer {index + 1} ({LAYERS[index]})"
        shown = _show(raw) if given is None else str(given)
        if given is None:
            hint = "each shape is a tuple of whole numbers, such as (8, 8, 16)."
        elif index in (0, 2) and given[:2] == (6, 6):
            hint = "a 3 x 3 kernel without padding would shrink 8 to 6, but these layers have padding 1."
        elif index in (1, 3):
            hint = "ReLU works element by element: it keeps the shape of what it is given."
        elif index == 4 and given[:2] == (8, 8):
            hint = "2 x 2 max pooling with stride 2 keeps one number of each 2 x 2 window: rows and columns halve."
        elif index == 4 and len(given) == 3 and given[2] != 32:
            hint = "pooling works on each map on its own: the number of maps stays 32."
        elif index == 5:
            hint = "flatten puts every number of the 4 x 4 x 32 maps in one row."
        elif index == 6:
            hint = "the dense layer gives one score per class, and there are 10 digits."
        else:
            hint = "the last number of a convolution's output shape is its number of kernels (C_out)."
        return Feedback(False, f"{where}: you gave {shown}. {hint[0].upper() + hint[1:]}", reveal)
    return Feedback(True, "8 x 8 all the way through the convolutions (padding 1), halved by the pooling, "
                          "512 numbers in a row, 10 scores.")


@counts_tries
def check_first_layer_parameters(answer):
    """How many numbers the first convolution (1 -> 16 maps, 3 x 3, with a bias) learns.

    Parameters
    ----------
    answer : int

    Returns
    -------
    Feedback
    """
    reveal = "160: 16 kernels of 1 x 3 x 3 = 9 weights make 144, plus one bias per map, 16."
    if _not_answered(answer):
        return empty("a whole number")
    given = whole_number(answer)
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: a number of parameters is a whole number.", reveal)
    if given == 160:
        return Feedback(True, "16 x (1 x 3 x 3) = 144 weights and 16 biases: 160 numbers.")
    hints = {
        144: "That counts the weights. Each map also has one more number the layer learns (lesson 05).",
        9: "That is one kernel. The layer has one kernel for each of its output maps.",
        10: "That is one kernel and its bias. The layer has one of those for each of its output maps.",
        16: "That is the number of maps. Each has a whole 3 x 3 kernel, and a bias.",
        145: "The layer has one bias per map, not one for the whole layer.",
        1024: "That is how many numbers the layer outputs (8 x 8 x 16), not how many it learns.",
    }
    hint = hints.get(given, "Count the weights (shape (C_out, C_in, kH, kW)) and the biases (shape (C_out,)).")
    return Feedback(False, f"You gave {given} for the first layer's parameters. {hint}", reveal)


@counts_tries
def check_pool_backward(answer):
    """The gradient of a 2 x 2 max pooling (stride 2) for ``POOL_IMAGE``, given ``POOL_GRAD`` for its output.

    Parameters
    ----------
    answer : ndarray, shape (4, 4)

    Returns
    -------
    Feedback
    """
    right = max_pool2d_backward(POOL_GRAD, POOL_IMAGE, 2)
    reveal = (f"{right.astype(int).tolist()}: each window's gradient goes to its first maximum in reading order "
              "(top row first, left to right), and every other pixel gets 0.")
    if _not_answered(answer):
        return empty("a 4 x 4 array")
    try:  # a ragged list is not an array at all
        given = np.asarray(answer) if isinstance(answer, (list, tuple, np.ndarray)) else None
    except (ValueError, TypeError):
        given = None
    if given is None or given.dtype.kind not in "biuf" or given.shape != (4, 4):
        shape = f"shape {given.shape}" if given is not None and given.dtype != object else _show(answer)
        return Feedback(False, f"You gave {shape}: the gradient has the input's shape, 4 x 4.", reveal)
    if np.allclose(given, right):
        return Feedback(True, "Each window's gradient lands on one pixel, its first maximum; the other 12 get 0.")
    windows = [(slice(r, r + 2), slice(c, c + 2)) for r in (0, 2) for c in (0, 2)]
    if all(np.isclose(given[w].sum(), g) for w, g in zip(windows, POOL_GRAD.ravel())) and \
            np.count_nonzero(given) > 4:
        spread = all(np.allclose(given[w], g / 4) for w, g in zip(windows, POOL_GRAD.ravel()))
        hint = ("That spreads each gradient over its window, as average pooling would. Max pooling passed on only "
                "the largest pixel, so only that pixel moved the output." if spread else
                "Each window's gradient goes to one pixel only, even when two pixels tie for the maximum.")
    elif np.count_nonzero(given) == 8 and all(np.isclose(given[w][POOL_IMAGE[w] == POOL_IMAGE[w].max()], g).all()
                                              for w, g in zip(windows, POOL_GRAD.ravel())):
        hint = "Every window has a tie. Only one of the tied pixels gets the gradient: the first in reading order."
    elif np.count_nonzero(given) == 4:
        hint = ("One pixel per window, good. When two pixels tie, the first one in reading order (top row first, "
                "then left to right) gets it.")
    else:
        hint = "The gradient of each output goes back to the input pixel that was its window's maximum."
    return Feedback(False, f"You gave {np.array2string(given, separator=', ')}. {hint}", reveal)


SOLUTIONS = Solutions("12_tiny_cnn.ipynb", [
    Solution(1, check_layer_shapes, "shapes", """
        shapes = [(8, 8, 16),    # conv 3x3, padding 1: still 8 x 8, 16 maps
                  (8, 8, 16),    # ReLU keeps the shape
                  (8, 8, 32),    # conv 3x3, padding 1: 32 maps
                  (8, 8, 32),    # ReLU
                  (4, 4, 32),    # max pool 2x2: rows and columns halve
                  (512,),        # flatten: 4 * 4 * 32 numbers in a row
                  (10,)]         # dense: one score per digit
    """),
    Solution(2, check_first_layer_parameters, "first_layer_parameters", """
        weights = 16 * 1 * 3 * 3     # C_out x C_in x kH x kW
        biases = 16                  # one per output map
        first_layer_parameters = weights + biases
    """),
    Solution(3, check_pool_backward, "pool_grad", """
        pool_grad = np.zeros((4, 4))
        for r in range(2):
            for c in range(2):
                window = x_pool[2 * r:2 * r + 2, 2 * c:2 * c + 2]
                i, j = np.unravel_index(np.argmax(window), window.shape)   # argmax: the first maximum
                pool_grad[2 * r + i, 2 * c + j] = grad_pool[r, c]
    """, given="""
        x_pool = exercises.POOL_IMAGE
        grad_pool = exercises.POOL_GRAD
    """),
])
show_solution = SOLUTIONS.show
