"""Stacked layers: receptive fields against brute force, shapes against output_size, the stack helpers."""

import numpy as np
import pytest

from conv2d_lib import conv2d, output_size
from conv2d_lib.nn.activations import relu
from conv2d_lib.nn.conv_layer import designed_weights, make_stack, run_stack
from conv2d_lib.receptive_field import receptive_field, receptive_field_table


def brute_force_field(size, layers, row, col):
    """Input pixels that change output (row, col) of the stack when perturbed one at a time."""
    base = np.zeros((size, size))

    def forward(image):
        x = image
        for k, s, p, d in layers:
            x = conv2d(x, np.ones((k, k)), stride=s, padding=p, dilation=d)
        return x[row, col]

    reference = forward(base)
    hits = np.zeros((size, size), bool)
    for r in range(size):
        for c in range(size):
            bumped = base.copy()
            bumped[r, c] = 1.0
            hits[r, c] = forward(bumped) != reference
    return hits


@pytest.mark.parametrize("layers, pixel", [
    ([(3, 1, 0, 1), (3, 1, 0, 1)], (2, 3)),
    ([(3, 2, 1, 1), (3, 1, 1, 1)], (2, 1)),
    ([(5, 1, 2, 1), (3, 2, 0, 1), (3, 1, 1, 1)], (1, 2)),
    ([(3, 1, 1, 2), (2, 2, 0, 1)], (3, 0)),
    ([(4, 3, 1, 1), (3, 1, 0, 1)], (1, 1)),
])
def test_receptive_field_matches_brute_force(layers, pixel):
    size = 20
    hits = brute_force_field(size, layers, *pixel)
    top, left, span = receptive_field(layers, *pixel)
    expected = np.zeros((size, size), bool)
    expected[max(top, 0):top + span, max(left, 0):left + span] = True
    if all(d == 1 for *_, d in layers):  # with dilation the field has holes; its bounding box is what we draw
        np.testing.assert_array_equal(hits, expected)
    rows, cols = np.nonzero(hits)
    assert rows.min() >= top and rows.max() <= top + span - 1
    assert cols.min() >= left and cols.max() <= left + span - 1


def test_table_sizes_follow_output_size():
    table = receptive_field_table(56, [(3, 2, 1, 1), (3, 1, 1, 1), (3, 2, 0, 1)])
    sizes = [56]
    for k, s, p, d in [(3, 2, 1, 1), (3, 1, 1, 1), (3, 2, 0, 1)]:
        sizes.append(output_size(sizes[-1], k, s, p, d))
    assert [row["output_size"] for row in table] == sizes[1:]
    assert [row["field"] for row in table] == [3, 7, 11]
    with pytest.raises(ValueError, match="does not fit"):
        receptive_field_table(4, [(3, 1, 0, 1)] * 2)
    with pytest.raises(TypeError, match="layers\\[0\\]"):
        receptive_field([(3, 1, 0)])


def test_run_stack_applies_layers_in_order_with_relu_between():
    rng = np.random.default_rng(0)
    image = rng.standard_normal((12, 12, 3))
    stack = make_stack(3, 3, 1, 1, seed=4)
    outputs = run_stack(image, stack, activation=relu)
    by_hand = conv2d(relu(conv2d(relu(conv2d(image, stack[0].weights, stack[0].bias, padding=1)),
                                 stack[1].weights, stack[1].bias, padding=1)),
                     stack[2].weights, stack[2].bias, padding=1)
    np.testing.assert_allclose(outputs[-1], by_hand, rtol=1e-5, atol=1e-6)
    assert (outputs[-1] < 0).any()  # no ReLU after the last layer
    with pytest.raises(TypeError, match="list of Conv2D"):
        run_stack(image, [np.zeros((1, 3, 3, 3))])


def test_designed_weights_apply_the_kernel_to_the_channel_average():
    kernel = np.arange(9.0).reshape(3, 3)
    image = np.random.default_rng(1).random((8, 8, 3))
    out = conv2d(image, designed_weights([kernel], 3))
    np.testing.assert_allclose(out[:, :, 0], conv2d(image.mean(axis=2), kernel), rtol=1e-5)
    assert make_stack(2, designed=True)[1].weights.shape == (4, 4, 3, 3)
    framed = make_stack(1, kernel_size=5, designed=True)[0].weights[0, 0]
    np.testing.assert_allclose(framed[1:4, 1:4] * 3, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    assert framed[0].sum() == 0 and framed[:, 4].sum() == 0
    with pytest.raises(ValueError, match="kernel_size >= 3"):
        make_stack(1, kernel_size=2, designed=True)
