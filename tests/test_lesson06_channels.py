"""Lesson 06 (multi-channel): the explorers show the right maps (checkers: test_checkers_lessons.py)."""

import numpy as np
import pytest
from scipy import signal

from conv2d_lib import Conv2D, conv2d, conv2d_loops, images, kernels
from conv2d_lib.widgets import explore_channels, explore_output_channels


def shown(panel):
    return np.asarray(panel.image.get_array())


# --------------------------------------------------------------------------- maths


@pytest.mark.parametrize("settings", [dict(), dict(stride=2, padding=1), dict(padding="same", padding_mode="reflect"),
                                      dict(dilation=2, padding=(2, 1), padding_mode="circular")])
def test_channel_contributions_are_each_channel_alone(settings):
    from conv2d_lib import channel_contributions

    rng = np.random.default_rng(2)
    image, weights, bias = rng.standard_normal((9, 8, 3)), rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    for o in range(4):
        parts = channel_contributions(image, weights, o, **settings)
        for c in range(3):  # channel c alone: zero the others' kernels
            alone = np.zeros_like(weights[o:o + 1])
            alone[0, c] = weights[o, c]
            np.testing.assert_allclose(parts[c], conv2d_loops(image, alone, **settings)[:, :, 0], atol=1e-12)
        np.testing.assert_allclose(parts.sum(axis=0) + bias[o], conv2d(image, weights, bias, **settings)[:, :, o],
                                   atol=1e-12)
    parts = channel_contributions(image, weights, 1)
    np.testing.assert_allclose(parts[2], signal.correlate2d(image[:, :, 2], weights[1, 2], mode="valid"), atol=1e-12)


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
