"""conv2d with groups (and depthwise): against the loops, the definition group by group, and PyTorch."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conv2d_lib import PADDING_MODES, Conv2D, conv2d, conv2d_loops, resolve_padding
from conv2d_lib import _fast
from conv2d_lib.references import reference_conv2d

from .references import torch


@st.composite
def grouped_configurations(draw, depthwise=False):
    """A valid conv2d call with groups: batch, channels per group, kernel, stride, padding, mode, dilation, dtype."""
    groups = draw(st.integers(1, 4)) if not depthwise else draw(st.integers(1, 6))
    per_in = 1 if depthwise else draw(st.integers(1, 3))
    per_out = draw(st.integers(1, 3)) if not depthwise else draw(st.integers(1, 2))  # depthwise: multiplier
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = draw(st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)),
                             st.just("same") if stride == (1, 1) else st.just(1)))
    mode = draw(st.sampled_from(PADDING_MODES))
    pads = resolve_padding(padding, k, stride, dilation)
    sizes = []
    for axis in range(2):
        reach = dilation[axis] * (k[axis] - 1) + 1
        smallest = max(1, reach - sum(pads[axis]), max(pads[axis]) + 1)
        sizes.append(draw(st.integers(smallest, smallest + 6)))
    batch = draw(st.sampled_from([None, 1, 2]))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    c_in, c_out = groups * per_in, groups * per_out
    image = rng.standard_normal((*sizes, c_in) if batch is None else (batch, *sizes, c_in)).astype(dtype)
    weights = rng.standard_normal((c_out, per_in, *k)).astype(dtype)
    bias = draw(st.one_of(st.none(), st.just(rng.standard_normal(c_out))))
    return dict(image=image, weights=weights, bias=bias, stride=stride, padding=padding, dilation=dilation,
                padding_mode=mode, groups=groups)


def tolerance(config):
    if config["image"].dtype == np.float64:
        return dict(rtol=1e-10, atol=1e-10)
    return dict(rtol=2e-4, atol=2e-4 * np.sqrt(config["weights"][0].size))


def by_definition(image, weights, bias=None, groups=1, **settings):
    """Group g's maps from group g's channels alone, each an ordinary conv2d (groups=1), side by side."""
    c_in, c_out = image.shape[-1], weights.shape[0]
    parts = [conv2d(image[..., g * c_in // groups:(g + 1) * c_in // groups],
                    weights[g * c_out // groups:(g + 1) * c_out // groups], **settings) for g in range(groups)]
    out = np.concatenate(parts, axis=-1)
    return out if bias is None else out + bias.astype(out.dtype)


def as_batch(image):
    return image if image.ndim == 4 else image[np.newaxis]


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.one_of(grouped_configurations(), grouped_configurations(depthwise=True)))
def test_groups_equal_loops_and_definition(config):
    fast = conv2d(**config)
    loops = conv2d_loops(**config)
    assert fast.shape == loops.shape
    assert fast.dtype == loops.dtype == config["image"].dtype
    np.testing.assert_allclose(fast, loops, **tolerance(config))
    settings_only = {k: v for k, v in config.items() if k not in ("image", "weights", "bias", "groups")}
    np.testing.assert_allclose(fast, by_definition(config["image"], config["weights"], config["bias"],
                                                   config["groups"], **settings_only), **tolerance(config))


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths:UserWarning")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(grouped_configurations(), grouped_configurations(depthwise=True)))
def test_groups_agree_with_torch(config):
    pytest.importorskip("torch")
    groups = config.pop("groups")
    fast = conv2d(**config, groups=groups)
    c_out, per_in, k_h, k_w = config["weights"].shape
    c_in = per_in * groups
    layer = torch.nn.Conv2d(c_in, c_out, (k_h, k_w), stride=config["stride"], padding=config["padding"],
                            dilation=config["dilation"], groups=groups, bias=config["bias"] is not None,
                            padding_mode=config["padding_mode"], dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(config["weights"].astype(np.float64)))
        if config["bias"] is not None:
            layer.bias.copy_(torch.from_numpy(config["bias"]))
        x = torch.from_numpy(as_batch(config["image"]).astype(np.float64)).permute(0, 3, 1, 2)
        reference = layer(x).permute(0, 2, 3, 1).numpy()
    np.testing.assert_allclose(as_batch(fast), reference, **tolerance(config))


@pytest.mark.parametrize("multiplier, stride, dilation, dtype", [
    (1, 1, 1, np.float32), (2, 1, 1, np.float64), (1, (2, 3), 1, np.float32), (1, 1, 2, np.float64)])
def test_depthwise_over_several_row_blocks(monkeypatch, multiplier, stride, dilation, dtype):
    # Blocks of 64 KB of output rows: a few rows each, so the shifts run block after block.
    monkeypatch.setattr(_fast, "DEPTHWISE_BLOCK_BYTES", 1 << 16)
    rng = np.random.default_rng(7)
    image = rng.standard_normal((2, 30, 100 * np.broadcast_to(stride, 2)[1], 40)).astype(dtype)
    weights = rng.standard_normal((40 * multiplier, 1, 3, 3)).astype(dtype)
    bias = rng.standard_normal(40 * multiplier)
    fast = conv2d(image, weights, bias, stride=stride, padding=1, dilation=dilation, groups=40)
    n, h_out, w_out, c_out = fast.shape
    assert _fast.DEPTHWISE_BLOCK_BYTES // (w_out * c_out * fast.itemsize) < h_out - 1  # really several blocks
    expected = by_definition(image, weights, bias, groups=40, stride=stride, padding=1, dilation=dilation)
    close = tolerance(dict(image=image, weights=weights))
    np.testing.assert_allclose(fast, expected, **close)
    if torch is not None:
        x = torch.from_numpy(image.astype(np.float64)).permute(0, 3, 1, 2)
        reference = torch.nn.functional.conv2d(x, torch.from_numpy(weights.astype(np.float64)), torch.from_numpy(bias),
                                               stride=stride, padding=1, dilation=dilation, groups=40)
        np.testing.assert_allclose(fast, reference.permute(0, 2, 3, 1).numpy(), **close)


def test_depthwise_by_hand():
    # Each channel sees its own kernel and nothing else: channel 1's kernel is 2x the box, channel 0's 1x.
    image = np.stack([np.ones((4, 4)), 10 * np.ones((4, 4))], axis=-1)
    weights = np.stack([np.ones((1, 3, 3)), 2 * np.ones((1, 3, 3))])  # (2, 1, 3, 3)
    out = conv2d(image, weights, groups=2)
    np.testing.assert_array_equal(out[..., 0], 9.0)
    np.testing.assert_array_equal(out[..., 1], 180.0)
    # groups=1 with the same numbers would need weights (2, 2, 3, 3): a different layer altogether.
    with pytest.raises(ValueError, match="C_in=1"):
        conv2d(image, weights)


def test_pointwise_is_a_matrix_product_over_channels():
    rng = np.random.default_rng(3)
    image, mix = rng.standard_normal((5, 6, 4)), rng.standard_normal((6, 4))
    np.testing.assert_allclose(conv2d(image, mix[:, :, None, None]), image @ mix.T, rtol=1e-12)


class TestConv2DLayerGroups:
    def test_shape_init_and_call(self):
        layer = Conv2D(64, 128, 3, groups=4, seed=0, padding=1)
        assert layer.weights.shape == (128, 16, 3, 3)
        # He: the fan-in is what one output sums, C_in / groups * kH * kW = 144, not 576.
        assert layer.weights.std() == pytest.approx(np.sqrt(2 / (16 * 9)), rel=0.03)
        layer.bias = np.arange(128, dtype=np.float32)
        image = np.random.default_rng(0).standard_normal((6, 7, 64)).astype(np.float32)
        np.testing.assert_allclose(layer(image), by_definition(image, layer.weights, layer.bias, 4, padding=1),
                                   rtol=1e-5, atol=1e-5)
        assert "groups=4" in repr(layer)
        assert "groups" not in repr(Conv2D(3, 4, 3))

    def test_depthwise_layer(self):
        layer = Conv2D(8, 8, 3, groups=8, seed=1)
        assert layer.weights.shape == (8, 1, 3, 3)
        assert layer.weights.std() == pytest.approx(np.sqrt(2 / 9), rel=0.25)  # only 72 draws

    @pytest.mark.parametrize("arguments, error, words", [
        (dict(in_channels=6, out_channels=4, groups=4), ValueError, ["groups=4", "in_channels=6", "not divisible"]),
        (dict(in_channels=4, out_channels=6, groups=4), ValueError, ["groups=4", "out_channels=6"]),
        (dict(in_channels=4, out_channels=4, groups=0), ValueError, ["groups", ">= 1", "0"]),
        (dict(in_channels=4, out_channels=4, groups=2.0), TypeError, ["groups", "2.0", "int"]),
    ])
    def test_bad_groups(self, arguments, error, words):
        with pytest.raises(error) as caught:
            Conv2D(kernel_size=3, **arguments)
        for word in words:
            assert word in str(caught.value)


def test_bench_beyond_quick_runs(capsys):
    """bench/bench_beyond.py's smoke run works end to end (in this process) and prints the depthwise row."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / "bench_beyond.py"
    spec = importlib.util.spec_from_file_location("bench_beyond", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    try:
        bench.main(["--quick"])
    finally:
        if torch is not None:
            torch.set_grad_enabled(True)  # the bench turns autograd off for its timings
    printed = capsys.readouterr().out
    assert "| D1 depthwise 3x3" in printed and "P2 average pool" in printed


@pytest.mark.parametrize("backend", ["scipy", "torch"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config=st.one_of(grouped_configurations(), grouped_configurations(depthwise=True)))
def test_the_references_take_groups(backend, config):
    """conv2d_lib.references (what lesson 09 and the tests compare with) computes grouped layers too."""
    pytest.importorskip({"scipy": "scipy", "torch": "torch"}[backend])
    image = config["image"]
    # The references take one (H, W, C_in) image; torch warns on "same" with an even kernel.
    assume(image.ndim == 3 and not (config["padding"] == "same" and any(k % 2 == 0 for k in config["weights"].shape[2:])))
    ours = conv2d(**config)
    theirs = reference_conv2d(**config, backend=backend)
    np.testing.assert_allclose(ours, theirs, **tolerance(config))
