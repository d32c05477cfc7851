"""Every kind of bad input gets a TypeError or ValueError that names the argument."""

import numpy as np
import pytest

from conv2d_lib import Conv2D, conv2d, conv2d_loops, output_size, pad
from conv2d_lib import compat

IMAGE = np.zeros((8, 8, 3), np.float32)
WEIGHTS = np.zeros((2, 3, 3, 3), np.float32)

CASES = [
    # (what is wrong, call arguments, exception, words the message must contain)
    ("image is a list", dict(image=[[1.0]]), TypeError, ["image", "list", "ndarray"]),
    ("image is complex", dict(image=IMAGE.astype(complex)), TypeError, ["image", "complex"]),
    ("image is object", dict(image=IMAGE.astype(object)), TypeError, ["image", "object"]),
    ("image is strings", dict(image=np.full((8, 8, 3), "a")), TypeError, ["image", "<U1"]),
    ("image is 1-D", dict(image=np.zeros(8)), ValueError, ["image", "1 dimensions", "(H, W, C_in)"]),
    ("image is 5-D", dict(image=np.zeros((1, 1, 8, 8, 3))), ValueError, ["image", "5 dimensions"]),
    ("image is empty", dict(image=np.zeros((0, 8, 3))), ValueError, ["image", "empty", "(0, 8, 3)"]),
    ("weights is a list", dict(weights=[[1.0]]), TypeError, ["weights", "list"]),
    ("weights is 3-D", dict(weights=np.zeros((3, 3, 3))), ValueError, ["weights", "3 dimensions", "(C_out, C_in, kH, kW)"]),
    ("weights complex", dict(weights=WEIGHTS.astype(complex)), TypeError, ["weights", "complex"]),
    ("plain kernel on RGB", dict(weights=np.zeros((3, 3))), ValueError, ["plain (kH, kW) kernel", "(8, 8, 3)"]),
    ("channel mismatch", dict(weights=np.zeros((2, 4, 3, 3))), ValueError, ["3 channel", "C_in=4"]),
    ("kernel too large", dict(weights=np.zeros((2, 3, 9, 3))), ValueError, ["kernel does not fit", "height", "9"]),
    ("stride 0", dict(stride=0), ValueError, ["stride", ">= 1", "0"]),
    ("stride float", dict(stride=1.5), TypeError, ["stride", "1.5", "int"]),
    ("stride bool", dict(stride=True), TypeError, ["stride", "True"]),
    ("stride triple", dict(stride=(1, 1, 1)), TypeError, ["stride", "pair"]),
    ("dilation 0", dict(dilation=(1, 0)), ValueError, ["dilation[1]", ">= 1"]),
    ("negative padding", dict(padding=-1), ValueError, ["padding", ">= 0", "-1"]),
    ("padding float", dict(padding=1.0), TypeError, ["padding", "1.0"]),
    ("padding word", dict(padding="full"), ValueError, ["padding", "'valid'", "'same'", "'full'"]),
    ("same with stride", dict(padding="same", stride=2), ValueError, ["same", "stride 1"]),
    ("unknown mode", dict(padding_mode="mirror"), ValueError, ["padding_mode", "'reflect'", "'mirror'"]),
    ("reflect too wide", dict(padding=8, padding_mode="reflect"), ValueError, ["reflect", "padding < the input", "8"]),
    ("circular too wide", dict(padding=9, padding_mode="circular"), ValueError, ["circular", "9"]),
    ("bias wrong length", dict(bias=np.zeros(3)), ValueError, ["bias", "(C_out,)=(2,)", "(3,)"]),
    ("bias a list", dict(bias=[0.0, 1.0]), TypeError, ["bias", "list"]),
    ("bias bool", dict(bias=True), TypeError, ["bias", "True"]),
    ("bias complex", dict(bias=np.zeros(2, complex)), TypeError, ["bias", "complex"]),
]


@pytest.mark.parametrize("function", [conv2d, conv2d_loops])
@pytest.mark.parametrize("what, changes, error, words", CASES, ids=[c[0] for c in CASES])
def test_conv2d_rejects(function, what, changes, error, words):
    arguments = dict(image=IMAGE, weights=WEIGHTS, **{k: v for k, v in changes.items() if k not in ("image", "weights")})
    arguments["image"] = changes.get("image", IMAGE)
    arguments["weights"] = changes.get("weights", WEIGHTS)
    with pytest.raises(error) as caught:
        function(**arguments)
    for word in words:
        assert word in str(caught.value), f"{word!r} missing from: {caught.value}"


@pytest.mark.parametrize("arguments, error, words", [
    (dict(input_size=4, kernel_size=5), ValueError, ["kernel does not fit", "5", "4"]),
    (dict(input_size=4.0, kernel_size=3), TypeError, ["input_size", "4.0"]),
    (dict(input_size=0, kernel_size=1), ValueError, ["input_size", ">= 1"]),
    (dict(input_size=(4, 4, 4), kernel_size=3), TypeError, ["input_size", "pair"]),
    (dict(input_size=9, kernel_size=3, stride=2, padding="same"), ValueError, ["same", "stride 1"]),
])
def test_output_size_rejects(arguments, error, words):
    with pytest.raises(error) as caught:
        output_size(**arguments)
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize("n, k, s, p, d, expected", [
    (5, 3, 1, 0, 1, 3), (5, 3, 1, 1, 1, 5), (4, 3, 2, 1, 1, 2), (7, 3, 2, 0, 1, 3),
    (6, 3, 2, 0, 1, 2), (224, 7, 2, 3, 1, 112), (10, 3, 1, 0, 2, 6), (8, 3, 3, "same", 1, None),
])
def test_output_size_floor_formula(n, k, s, p, d, expected):
    if expected is None:
        with pytest.raises(ValueError):
            output_size(n, k, s, p, d)
        return
    assert output_size(n, k, s, p, d) == expected
    # The same number the arithmetic gives, written out.
    assert expected == (n + 2 * p - d * (k - 1) - 1) // s + 1
    assert output_size((n, n + 1), k, s, p, d)[0] == expected


def test_output_size_same_keeps_size():
    assert output_size((17, 20), (4, 5), padding="same") == (17, 20)
    assert output_size(17, 3, padding="valid") == 15


def test_pad_modes():
    row = np.array([[1, 2, 3]])
    assert pad(row, ((0, 0), (2, 2)), "zeros").tolist() == [[0, 0, 1, 2, 3, 0, 0]]
    assert pad(row, ((0, 0), (2, 2)), "reflect").tolist() == [[3, 2, 1, 2, 3, 2, 1]]
    assert pad(row, ((0, 0), (2, 2)), "replicate").tolist() == [[1, 1, 1, 2, 3, 3, 3]]
    assert pad(row, ((0, 0), (2, 2)), "circular").tolist() == [[2, 3, 1, 2, 3, 1, 2]]
    assert pad(np.zeros((2, 3, 3)), 1).shape == (4, 5, 3)
    with pytest.raises(ValueError, match="padding_mode"):
        pad(row, 1, "wrap")


class TestConv2DLayer:
    def test_shapes_and_reproducible_he_init(self):
        layer = Conv2D(3, 16, 5, seed=1)
        assert layer.weights.shape == (16, 3, 5, 5)
        np.testing.assert_array_equal(layer.weights, Conv2D(3, 16, 5, seed=1).weights)
        assert not np.array_equal(layer.weights, Conv2D(3, 16, 5, seed=2).weights)
        big = Conv2D(64, 64, 3, seed=0).weights
        assert abs(big.std() - np.sqrt(2 / (64 * 9))) < 0.01
        np.testing.assert_array_equal(layer.bias, np.zeros(16))
        assert Conv2D(3, 16, 5, bias=False).bias is None

    def test_applies_conv2d(self):
        layer = Conv2D(3, 4, (3, 2), stride=2, padding=1, seed=0)
        image = np.random.default_rng(0).random((10, 11, 3))
        np.testing.assert_allclose(layer(image), conv2d_loops(image, layer.weights, layer.bias, 2, 1), rtol=1e-6)
        assert layer(image).shape == (output_size(10, 3, 2, 1), output_size(11, 2, 2, 1), 4)

    @pytest.mark.parametrize("arguments, error, words", [
        ((3.0, 4, 3), TypeError, ["in_channels", "3.0"]),
        ((3, "4", 3), TypeError, ["out_channels", "'4'"]),
        ((3, 4, 0), ValueError, ["kernel_size", ">= 1"]),
        ((3, 4, (3, 3, 3)), ValueError, ["kernel_size"]),
        ((3, 4, 2.5), TypeError, ["kernel_size", "2.5"]),
        ((0, 4, 3), ValueError, ["in_channels", ">= 1"]),
    ])
    def test_construction_errors(self, arguments, error, words):
        with pytest.raises(error) as caught:
            Conv2D(*arguments)
        for word in words:
            assert word in str(caught.value)

    def test_call_errors(self):
        layer = Conv2D(3, 4, 3)
        with pytest.raises(TypeError, match="image must be a numpy.ndarray"):
            layer([[1, 2, 3]])
        with pytest.raises(ValueError, match="in_channels=3"):
            layer(np.zeros((8, 8, 4)))


class TestCompat:
    def test_original_examples_run(self):
        image = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
        assert compat.conv2d(image, 3, 8, 3).shape == (62, 62, 8)
        assert compat.conv2d(image, 3, 8, 3, stride=1, padding=1).shape == (64, 64, 8)
        red = image[:, :, :1]
        assert compat.conv2d(red, 1, 1, 3).shape == (62, 62, 1)
        np.testing.assert_array_equal(compat.conv2d(image, 3, 2, 3, seed=5), compat.conv2d(image, 3, 2, 3, seed=5))

    @pytest.mark.parametrize("arguments, error", [
        (("not an array", 3, 8, 3), TypeError),
        ((np.zeros((8, 8, 3)), "3", 8, 3), TypeError),
        ((np.zeros((8, 8, 3)), 3, 8.0, 3), TypeError),
        ((np.zeros((8, 8, 3)), 3, 8, -1), ValueError),
        ((np.zeros((8, 8, 3)), 1, 8, 3), ValueError),
    ])
    def test_documented_errors(self, arguments, error):
        with pytest.raises(error):
            compat.conv2d(*arguments)
