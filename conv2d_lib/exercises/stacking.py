"""Checkers and reference solutions for notebooks/07_stacking_layers.ipynb."""

from __future__ import annotations

from ..receptive_field import receptive_field_table
from ._feedback import Feedback, _not_answered, _show, check_function, counts_tries, empty, whole_number
from ._solutions import Solution, Solutions


def _count(answer, what, right, hints, default, reveal):
    """The feedback on a whole-number answer: right, a typical slip with its own hint, or the default hint."""
    if _not_answered(answer):
        return empty("a whole number")
    given = whole_number(answer)
    if given is None:
        return Feedback(False, f"You gave {_show(answer)}: {what} is a whole number.", reveal)
    if given == right:
        return None
    return Feedback(False, f"You gave {given} for {what}. {hints.get(given, default)}", reveal)


@counts_tries
def check_two_layer_field(answer):
    """How wide a square of the input does one output pixel of two stacked 3 x 3 layers see?

    Parameters
    ----------
    answer : int

    Returns
    -------
    Feedback
    """
    hints = {
        6: "Not 3 + 3: the two windows overlap. Start from one pixel of the second layer's output and widen it "
           "layer by layer.",
        9: "Not 3 x 3: the field grows by addition, layer by layer, not by multiplication.",
        3: "That is what one layer sees. The second layer's 3 x 3 window reads 3 x 3 pixels of the first "
           "layer's output, and each of those sees 3 x 3 of the input.",
        4: "Each 3 x 3 layer widens the field on both sides, by one pixel each side.",
    }
    feedback = _count(answer, "the receptive field of two 3 x 3 layers", 5, hints,
                      "Start from one output pixel: which pixels of the layer before does it read? And those?",
                      "5: each 3 x 3 layer widens the field by 3 - 1 = 2 pixels, so 1 + 2 + 2 = 5.")
    return feedback or Feedback(True, "1 + 2 + 2 = 5: each 3 x 3 layer widens the field by 2.")


@counts_tries
def check_shapes(function):
    """``function(n, layers, k, p)``: the output size after ``layers`` identical layers, stride 1.

    Parameters
    ----------
    function : callable
        The learner's ``size_after``.

    Returns
    -------
    Feedback
    """
    cases = []
    for n, layers, k, p in [(32, 2, 3, 0), (150, 4, 3, 1), (28, 3, 5, 0), (28, 3, 5, 1), (64, 1, 7, 3),
                            (20, 0, 3, 0)]:
        expected = receptive_field_table(n, [(k, 1, p, 1)] * layers)[-1]["output_size"] if layers else n
        cases.append(((n, layers, k, p), expected))
    mistakes = [
        (lambda n, layers, k, p: n - layers * (k - 1),
         "Your sizes ignore the padding: each layer gets p pixels back on each side."),
        (lambda n, layers, k, p: n + 2 * p - k + 1,
         "That is the size after one layer; each of the layers shrinks (or keeps) the size again."),
        (lambda n, layers, k, p: n + layers * (p - k + 1),
         "The padding goes on both sides of each layer's input."),
        (lambda n, layers, k, p: n - layers * k + 1 + 2 * p * layers,
         "Each layer's window fits in n + 2p - k + 1 positions: the + 1 belongs to every layer."),
    ]
    return check_function(function, cases, "the output size after the stack",
                          hint="Use the size formula of lesson 03 once per layer: each layer's output is the "
                               "next layer's input.",
                          answer_text="apply n + 2p - k + 1 once per layer, or in one line "
                                      "n + layers * (2p - k + 1).",
                          mistakes=mistakes)


@counts_tries
def check_layers_for_field(answer):
    """How many stacked 3 x 3, stride-1 layers does it take for one output pixel to see 9 x 9?

    Parameters
    ----------
    answer : int

    Returns
    -------
    Feedback
    """
    hints = {
        3: "Not 9 / 3: the field does not multiply by 3 per layer, it widens by the same number of pixels "
           "each time.",
        8: "Each 3 x 3 layer widens the field by 2 pixels (one on each side), not by 1.",
        9: "That is the width of the field, not the number of layers.",
        5: "Count the field layer by layer: 3 after one layer, then how much wider per layer?",
    }
    feedback = _count(answer, "the number of layers", 4, hints,
                      "Write the field after 1, 2, 3 ... layers (3, 5, ...) until it reaches 9.",
                      "4: the field is 1 + 2 * layers, and 1 + 2 * 4 = 9.")
    return feedback or Feedback(True, "1 + 2 * 4 = 9: four 3 x 3 layers.")


SOLUTIONS = Solutions("07_stacking_layers.ipynb", [
    Solution(1, check_two_layer_field, "field_of_two_layers", """
        field_of_two_layers = 5   # each 3 x 3 layer widens the field by 2: 1 + 2 + 2
    """),
    Solution(2, check_shapes, "size_after", """
        def size_after(n, layers, k, p):
            for _ in range(layers):
                n = n + 2 * p - k + 1   # one layer, stride 1
            return n
    """),
    Solution(3, check_layers_for_field, "layers_needed", """
        layers_needed = 4   # the field is 1 + 2 * layers = 9
    """),
])
show_solution = SOLUTIONS.show
