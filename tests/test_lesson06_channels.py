"""Lesson 06 (multi-channel): the explorers show the right maps, and the checkers judge fairly."""

import numpy as np
import pytest
from scipy import signal

from conv2d_lib import Conv2D, conv2d, conv2d_loops, images, kernels
from conv2d_lib.exercises import channels as ex
from conv2d_lib.widgets import explore_channels, explore_output_channels


def shown(panel):
    return np.asarray(panel.image.get_array())


# --------------------------------------------------------------------------- explorers


def test_channels_explorer_panels_are_the_channel_sum():
    explorer = explore_channels()
    explorer.set(image="shapes", kernel="sobel_x", red=1.0, green=-0.5, blue=2.0, bias=0.3)
    image = images.sample("shapes")
    panels = ChannelsPanels(explorer)
    for c, scale in enumerate((1.0, -0.5, 2.0)):
        np.testing.assert_allclose(panels.channels[c], image[:, :, c])
        expected = signal.correlate2d(image[:, :, c], scale * kernels.sobel_x(), mode="valid")
        np.testing.assert_allclose(panels.partials[c], expected, atol=1e-9)
    weights = np.stack([s * kernels.sobel_x() for s in (1.0, -0.5, 2.0)])[np.newaxis]
    np.testing.assert_allclose(panels.total, conv2d_loops(image, weights, np.array([0.3]))[:, :, 0], atol=1e-9)
    np.testing.assert_allclose(panels.total, sum(panels.partials) + 0.3, atol=1e-9)
    assert "weights shape (1, 3, 3, 3)" in explorer.message.value


def test_small_numbers_give_the_lesson_numbers():
    explorer = explore_channels()
    explorer.set(image="small numbers", kernel="small weights", red=1.0, green=1.0, blue=1.0, bias=0.5)
    panels = ChannelsPanels(explorer)
    assert panels.partials[0][0, 0] == -7 and panels.total[0, 0] == -1.5
    # 5 x 5 inputs and 3 x 3 outputs get their numbers printed on the pixels.
    texts = [t.get_text() for ax in explorer.figure.axes for t in ax.texts if t.get_visible()]
    assert len(texts) == 3 * 25 + 4 * 9 and "-1.5" in texts


def test_bottom_row_shares_one_symmetric_colour_scale():
    explorer = explore_channels()
    explorer.set(image="cat", kernel="sobel_x", red=2.0, green=0.5, blue=-1.0, bias=0.0)
    panels = ChannelsPanels(explorer)
    norms = [(p.image.norm.vmin, p.image.norm.vmax) for p in (*explorer_figure(explorer).partials,
                                                             explorer_figure(explorer).total)]
    assert len(set(norms)) == 1
    low, high = norms[0]
    assert low == -high
    # The scale is the map's at scales 1 and bias 0 (independent of the sliders): sum of the channels' parts.
    unit = sum(signal.correlate2d(images.sample("cat")[:, :, c], kernels.sobel_x(), mode="valid") for c in range(3))
    assert high == pytest.approx(np.abs(unit).max())
    explorer.set(red=0.5, bias=1.0)
    assert (explorer_figure(explorer).total.image.norm.vmin, explorer_figure(explorer).total.image.norm.vmax) == norms[0]


def test_output_explorer_shows_the_layers_stack():
    layer = Conv2D(3, 5, kernel_size=3, seed=1)
    layer.bias = np.arange(5, dtype=np.float32) / 10
    explorer = explore_output_channels(layer)
    image = images.sample("cat")
    features = layer(image)
    for o in (0, 3, 4):
        explorer.set(output=o)
        panels = ChannelsPanels(explorer)
        red_part = signal.correlate2d(image[:, :, 0], layer.weights[o, 0].astype(float), mode="valid")
        np.testing.assert_allclose(panels.partials[0], red_part, atol=1e-5)
        np.testing.assert_allclose(panels.total, features[:, :, o], atol=1e-6)
        np.testing.assert_allclose(sum(panels.partials) + layer.bias[o], panels.total, atol=1e-5)
        assert f"w[{o}, 2] on B" == explorer_figure(explorer).partials[2].ax.get_title()
        assert f"weights[{o}, 1] on G" in explorer.message.value


def test_output_explorer_follows_padding_and_stride():
    layer = Conv2D(3, 2, kernel_size=3, stride=2, padding=1, seed=0)
    explorer = explore_output_channels(layer, image=np.random.default_rng(0).random((9, 11, 3)))
    panels = ChannelsPanels(explorer)
    assert panels.total.shape == (5, 6)
    np.testing.assert_allclose(sum(panels.partials) + layer.bias[0], panels.total, atol=1e-6)


@pytest.mark.parametrize("layer, error, words", [
    ("conv", TypeError, ["layer", "Conv2D", "'conv'"]),
    (Conv2D(1, 4, 3), ValueError, ["3 input channels", "(4, 1, 3, 3)"]),
    (Conv2D(3, 1, 3), ValueError, ["at least 2 output maps"]),
])
def test_output_explorer_rejects_bad_layers(layer, error, words):
    with pytest.raises(error) as caught:
        explore_output_channels(layer)
    for word in words:
        assert word in str(caught.value)


def test_refresh_is_live():
    explorer = explore_channels()
    for i in range(6):
        explorer.set(red=-1.0 + 0.3 * i)
    assert min(explorer.timings_ms[1:]) < 250  # generous: the machine is shared; the target is < 100 ms


class ChannelsPanels:
    """The arrays an explorer's ChannelsFigure currently shows."""

    def __init__(self, explorer):
        figure = explorer_figure(explorer)
        self.channels = [shown(p) for p in figure.channels]
        self.partials = [shown(p) for p in figure.partials]
        self.total = shown(figure.total)


def explorer_figure(explorer):
    return explorer.channels_figure


# --------------------------------------------------------------------------- checkers


def test_hand_example_matches_the_loops():
    image, weights, bias = ex.hand_example()
    assert image.shape == (3, 3, 2) and weights.shape == (1, 2, 2, 2)
    by_hand = np.sum(image[:2, :2, 0] * weights[0, 0]) + np.sum(image[:2, :2, 1] * weights[0, 1]) + bias[0]
    assert by_hand == conv2d_loops(image, weights, bias)[0, 0, 0] == 5.5


@pytest.mark.parametrize("answer, passed, words", [
    ((8, 3, 5, 5), True, []),
    ([8, 3, 5, 5], True, []),
    ((3, 8, 5, 5), False, ["output maps come first"]),
    ((5, 5, 3, 8), False, ["TensorFlow"]),
    ((8, 5, 5, 3), False, ["channels-last"]),
    ((8, 5, 5), False, ["each"]),
    (..., False, ["Replace the ..."]),
    ("(8, 3, 5, 5)", False, ["(C_out, C_in, kH, kW)"]),
])
def test_check_weights_shape(answer, passed, words):
    feedback = ex.check_weights_shape(answer)
    assert feedback.passed is passed
    assert Conv2D(3, 8, 5).weights.shape == (8, 3, 5, 5)
    for word in words:
        assert word in feedback.message


@pytest.mark.parametrize("answer, passed, words", [
    (608, True, []), (np.int64(608), True, []),
    (600, False, ["bias"]), (208, False, ["each of the 3 input channels"]), (603, False, ["output"]),
    (None, False, ["Replace"]), (..., False, ["Replace"]), (1, False, ["8 biases"]),
])
def test_check_parameter_count(answer, passed, words):
    layer = Conv2D(3, 8, 5)
    assert layer.weights.size + layer.bias.size == 608
    feedback = ex.check_parameter_count(answer)
    assert feedback.passed is passed
    for word in words:
        assert word in feedback.message


@pytest.mark.parametrize("answer, passed, words", [
    (5.5, True, []), (np.float32(5.5), True, []),
    (5.0, False, ["bias"]), (1.5, False, ["channel 0 alone"]), (4.5, False, ["channel 1 alone"]),
    (0.0, False, ["8 products"]), (..., False, ["Replace"]),
])
def test_check_hand_value(answer, passed, words):
    feedback = ex.check_hand_value(answer)
    assert feedback.passed is passed
    for word in words:
        assert word in feedback.message


def reference_one_map(image, stack, bias):
    return sum(signal.correlate2d(image[:, :, c], stack[c], mode="valid") for c in range(image.shape[2])) + bias


def test_check_channel_sum():
    assert ex.check_channel_sum(reference_one_map).passed

    def placeholder(image, stack, bias):
        ...

    def bias_per_channel(image, stack, bias):
        return sum(conv2d(image[:, :, c], stack[c]) + bias for c in range(image.shape[2]))

    def first_channel_only(image, stack, bias):
        return conv2d(image[:, :, 0], stack[0]) + bias

    def crashes(image, stack, bias):
        return conv2d(image, stack)  # a 3-D image with a 3-D stack: ValueError

    assert not ex.check_channel_sum(placeholder).passed
    assert "returned None" in ex.check_channel_sum(placeholder).message
    assert "bias once" in ex.check_channel_sum(bias_per_channel).message
    assert not ex.check_channel_sum(first_channel_only).passed
    assert "raised ValueError" in ex.check_channel_sum(crashes).message
    assert not ex.check_channel_sum(None).passed
