"""Lesson 09 (the playground): influence maths against brute force, weights, reference, explorer."""

import itertools
import sys

import numpy as np
import pytest

from conv2d_lib import conv2d, conv2d_loops, images, kernels, pad, resolve_padding
from conv2d_lib.influence import (central_output, copies_of, inputs_read_by, outputs_affected_by, padded_source,
                                  playground_weights, taps_of, window_centre)
from conv2d_lib.references import reference_conv2d

# ----------------------------------------------------------------------------- brute force


def dependency(shape, kernel_size, stride, padding, dilation, padding_mode):
    """D[i, j, r, c]: does output (r, c) change when input pixel (i, j) is nudged? (positive weights)."""
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, shape)
    w = rng.uniform(0.5, 1.5, kernel_size)  # positive: a nudge can never cancel out
    settings = dict(stride=stride, padding=padding, dilation=dilation, padding_mode=padding_mode)
    base = conv2d_loops(x, w, **settings)
    deps = np.zeros(shape + base.shape, bool)
    for i, j in itertools.product(range(shape[0]), range(shape[1])):
        nudged = x.copy()
        nudged[i, j] += 1.0
        deps[i, j] = np.abs(conv2d_loops(nudged, w, **settings) - base) > 1e-9
    return deps


def cases():
    rng = np.random.default_rng(0)
    found = []
    while len(found) < 40:
        h, w = (int(v) for v in rng.integers(3, 8, 2))
        k = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        stride = (int(rng.integers(1, 4)), int(rng.integers(1, 3)))
        dilation = (int(rng.integers(1, 3)), int(rng.integers(1, 4)))
        mode = ("zeros", "reflect", "replicate", "circular")[int(rng.integers(4))]
        padding = "same" if (stride == (1, 1) and rng.random() < 0.4) else (int(rng.integers(0, 3)), int(rng.integers(0, 3)))
        try:
            conv2d(np.zeros((h, w)), np.zeros(k), stride=stride, padding=padding, dilation=dilation, padding_mode=mode)
        except ValueError:
            continue
        found.append(((h, w), k, stride, padding, dilation, mode))
    # The lesson's own cases, and an even kernel with asymmetric "same".
    found += [((6, 6), (3, 3), 2, 1, 1, "zeros"), ((8, 8), (3, 3), 2, 0, 2, "zeros"),
              ((5, 6), (4, 4), 1, "same", 1, "reflect"), ((5, 5), (2, 2), 1, "same", 2, "circular")]
    return found


@pytest.mark.parametrize("shape, k, stride, padding, dilation, mode", cases())
def test_influence_matches_nudging_each_pixel(shape, k, stride, padding, dilation, mode):
    deps = dependency(shape, k, stride, padding, dilation, mode)
    knobs = dict(stride=stride, padding=padding, dilation=dilation, padding_mode=mode)
    for i, j in itertools.product(range(shape[0]), range(shape[1])):
        assert np.array_equal(outputs_affected_by(i, j, shape, k, **knobs), deps[i, j]), (i, j)
    for r, c in itertools.product(range(deps.shape[2]), range(deps.shape[3])):
        assert np.array_equal(inputs_read_by(r, c, shape, k, **knobs), deps[:, :, r, c]), (r, c)


@pytest.mark.parametrize("shape, k, stride, padding, dilation, mode", cases()[:20])
def test_central_output_is_the_middle_of_the_nudged_outputs(shape, k, stride, padding, dilation, mode):
    deps = dependency(shape, k, stride, padding, dilation, mode)
    knobs = dict(stride=stride, padding=padding, dilation=dilation, padding_mode=mode)
    for i, j in itertools.product(range(shape[0]), range(shape[1])):
        rows, cols = np.nonzero(deps[i, j].any(axis=1))[0], np.nonzero(deps[i, j].any(axis=0))[0]
        expected = None if not len(rows) else (int(np.median(rows)), int(np.median(cols)))
        assert central_output(i, j, shape, k, **knobs) == expected, (i, j)


@pytest.mark.parametrize("shape, k, stride, padding, dilation", [
    ((7, 9), (3, 5), 1, 0, 1), ((8, 8), (3, 3), 2, 1, 2), ((6, 7), (5, 3), (1, 2), (2, 1), (1, 2)),
    ((5, 5), (3, 3), 1, "same", 2), ((9, 6), (1, 3), 3, 0, 1),
])
def test_window_centre_is_the_middle_tap(shape, k, stride, padding, dilation):
    """For odd kernels the centre is tap (kH // 2, kW // 2): padded row r * sH + dH * (kH // 2), minus the top padding."""
    (top, _), (left, _) = resolve_padding(padding, k, stride, dilation)
    (sH, sW), (dH, dW) = (np.broadcast_to(v, 2) for v in (stride, dilation))
    H_out, W_out = conv2d(np.zeros(shape), np.zeros(k), stride=stride, padding=padding, dilation=dilation).shape
    for r, c in itertools.product(range(H_out), range(W_out)):
        row = min(max(r * sH + dH * (k[0] // 2) - top, 0), shape[0] - 1)
        col = min(max(c * sW + dW * (k[1] // 2) - left, 0), shape[1] - 1)
        assert window_centre(r, c, shape, k, stride, padding, dilation) == (row, col), (r, c)
        inside = 0 <= r * sH + dH * (k[0] // 2) - top < shape[0] and 0 <= c * sW + dW * (k[1] // 2) - left < shape[1]
        if inside:  # the centre tap lies on the image: that pixel is read
            assert inputs_read_by(r, c, shape, k, stride, padding, dilation)[row, col]


@pytest.mark.parametrize("shape, k, stride, padding, dilation, mode", cases()[:15])
def test_taps_and_copies_in_padded_coordinates(shape, k, stride, padding, dilation, mode):
    pads = resolve_padding(padding, k, stride, dilation)
    index = np.arange(shape[0] * shape[1]).reshape(shape)
    padded_index = pad(index, pads, mode)
    if mode == "zeros":  # mark the padding: it copies no input pixel
        padded_index = pad(index + 1, pads, mode) - 1
    for i, j in [(0, 0), (shape[0] - 1, shape[1] - 1), (shape[0] // 2, 1)]:
        got = copies_of(i, j, shape, k, stride=stride, padding=padding, dilation=dilation, padding_mode=mode)
        assert np.array_equal(got, padded_index == index[i, j])
    # Taps of output (r, c): padded rows r*s + t*d, columns alike, kH*kW of them.
    (s_h, s_w), (d_h, d_w) = np.broadcast_to(stride, 2), np.broadcast_to(dilation, 2)
    out = conv2d(np.zeros(shape), np.zeros(k), stride=stride, padding=padding, dilation=dilation, padding_mode=mode)
    r, c = out.shape[0] - 1, out.shape[1] - 1
    expected = np.zeros(padded_index.shape, bool)
    expected[np.ix_(r * s_h + d_h * np.arange(k[0]), c * s_w + d_w * np.arange(k[1]))] = True
    assert np.array_equal(taps_of(r, c, shape, k, stride=stride, padding=padding, dilation=dilation), expected)


def test_padded_source_matches_numpy_pad():
    for mode, numpy_mode in [("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")]:
        assert np.array_equal(padded_source(5, 3, 2, mode), np.pad(np.arange(5), (3, 2), mode=numpy_mode))
    assert list(padded_source(2, 1, 1)) == [-1, 0, 1, -1]


def test_influence_bad_input_is_named():
    with pytest.raises(ValueError, match="output pixel"):
        inputs_read_by(3, 0, (5, 5), 3)  # outputs are 0..2
    with pytest.raises(ValueError, match="input pixel"):
        outputs_affected_by(0, 5, (5, 5), 3)
    with pytest.raises(ValueError, match="kernel does not fit"):
        outputs_affected_by(0, 0, (2, 2), 3)
    with pytest.raises(ValueError, match="reflect"):
        padded_source(3, 3, 0, "reflect")
    with pytest.raises(TypeError, match="row"):
        taps_of(0.5, 0, (5, 5), 3)


# ----------------------------------------------------------------------------- weights and the reference


def test_playground_weights_turn_and_flip():
    k = kernels.get("sobel_x")
    w = playground_weights(k, 4)
    assert w.shape == (4, 3, 3, 3)
    assert np.array_equal(w[0, 2], k)
    assert np.array_equal(w[1, 0], kernels.get("sobel_y"))
    assert np.array_equal(w[2, 1], -k)
    assert np.array_equal(playground_weights(k, 4, flip=True), w[..., ::-1, ::-1])
    with pytest.raises(ValueError, match="c_out"):
        playground_weights(k, 5)
    with pytest.raises(ValueError, match="square"):
        playground_weights(np.ones((2, 3)), 1)
    with pytest.raises(TypeError, match="kernel"):
        playground_weights([[1.0]], 1)


@pytest.mark.parametrize("knobs", [dict(), dict(stride=2, padding=1), dict(padding="same", dilation=2),
                                   dict(stride=(2, 3), padding=(1, 2), dilation=(2, 1), padding_mode="reflect"),
                                   dict(padding=2, padding_mode="circular"), dict(padding="same", padding_mode="replicate")])
def test_reference_agrees_with_loops(knobs):
    rng = np.random.default_rng(3)
    x, w, b = rng.normal(size=(9, 8, 3)), rng.normal(size=(2, 3, 4, 4)), rng.normal(size=2)
    ours = conv2d_loops(x, w, b, **knobs)
    assert np.allclose(reference_conv2d(x, w, b, **knobs), ours)
    if "torch" in sys.modules or _has_torch():
        assert np.allclose(reference_conv2d(x, w, b, backend="torch", **knobs), ours)


def _has_torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def test_reference_says_when_scipy_is_missing(monkeypatch):
    from conv2d_lib.references import available, missing_message

    assert available("scipy")  # in the test extra
    monkeypatch.setitem(sys.modules, "scipy", None)
    assert not available("scipy")
    assert missing_message("scipy") == "install scipy to compare with SciPy"
    with pytest.raises(ImportError, match="install scipy to compare with SciPy"):
        reference_conv2d(np.zeros((4, 4, 1)), np.zeros((1, 1, 3, 3)))
    with pytest.raises(ValueError, match="backend"):
        available("matlab")


# ----------------------------------------------------------------------------- the explorer


@pytest.fixture(scope="module")
def playground():
    from conv2d_lib.widgets import explore_playground
    return explore_playground(default="small numbers")


def box_of(rect):
    """(top, left, height, width) in pixels of an outline_box."""
    x, y = rect.get_xy()
    return (round(y + 0.5), round(x + 0.5), round(rect.get_height()), round(rect.get_width()))


def test_lit_window_is_the_picked_outputs_taps(playground):
    playground.set(image="small numbers", kernel="sobel_x", pick_input=False, same=False, stride=2, padding=1,
                   dilation=1, c_out=2, channel=1, flip=False, bias=0.0)
    assert playground.controls["row"].max == 2 and playground.controls["col"].max == 2  # 3 x 3 output
    playground.set(row=1, col=2)
    figure = playground.figure
    lit = playground.state["output"]
    assert lit.shape == (3, 3, 2)
    # Output (1, 2) with stride 2: padded rows 2..4, columns 4..6.
    spot_in, spot_out = _spotlights(playground)
    assert box_of(spot_in.box) == (2, 4, 3, 3)
    assert box_of(spot_out.box) == (1, 2, 1, 1)
    assert "SciPy" in playground.message.value and "out[1, 2, 1]" in playground.message.value
    # The output panel shows channel 1, equal to conv2d called directly.
    expected = conv2d(images.sample("small numbers"), playground_weights(kernels.get("sobel_x"), 2),
                      stride=2, padding=1)
    assert np.array_equal(np.asarray(figure.axes[_output_axis(playground)].images[0].get_array()), expected[..., 1])


def test_pick_input_lights_the_outputs_it_affects(playground):
    playground.set(image="small numbers", kernel="sobel_x", stride=1, padding=1, dilation=2, same=False,
                   pick_input=True, padding_mode="zeros")
    assert playground.controls["row"].max == 4 and playground.controls["row"].description == "input row"
    playground.set(row=4, col=0)
    _, spot_out = _spotlights(playground)
    affected = outputs_affected_by(4, 0, (5, 5), 3, padding=1, dilation=2)
    assert np.array_equal(spot_out.image.get_array()[..., 3] == 0, affected)
    assert f"influences {int(affected.sum())} output" in playground.message.value
    playground.set(pick_input=False)
    assert playground.controls["row"].description == "output row"


def test_switching_pick_mode_keeps_the_spotlight_in_place(playground):
    playground.set(image="small numbers", kernel="sobel_x", stride=2, padding=1, dilation=1, same=False,
                   padding_mode="zeros", pick_input=False)
    playground.set(row=1, col=2)
    playground.set(pick_input=True)   # output (1, 2) reads padded rows 2..4, columns 4..6: middle input (2, 4)
    assert (playground.controls["row"].value, playground.controls["col"].value) == (2, 4)
    playground.set(pick_input=False)  # input (2, 4) is read by output (1, 2) only
    assert (playground.controls["row"].value, playground.controls["col"].value) == (1, 2)


def test_sliders_follow_the_settings(playground):
    playground.set(c_out=4)
    assert playground.controls["channel"].max == 3
    playground.set(channel=3, c_out=2)
    assert playground.controls["channel"].max == 1 and playground.controls["channel"].value == 1
    playground.set(kernel="sobel_x", pick_input=False)
    playground.controls["w11"].value = 7.0  # typing in the grid selects the custom kernel
    assert playground.controls["kernel"].value == "custom"
    assert playground.state["weights"][0, 0, 1, 1] == 7.0


def test_impossible_settings_are_said_in_words(playground):
    playground.set(image="small numbers", stride=2, same=True)
    assert "needs stride 1" in playground.message.value
    playground.set(stride=1, same=False)


def test_missing_reference_is_said(monkeypatch):
    from conv2d_lib.widgets import explore_playground
    monkeypatch.setitem(sys.modules, "scipy", None)
    explorer = explore_playground(default="small numbers", reference="scipy")
    assert "install scipy to compare with SciPy" in explorer.message.value
    assert "max |ours" not in explorer.message.value
    explorer.controls["stride"].value = 2  # and it keeps working as the knobs move
    assert "install scipy to compare with SciPy" in explorer.message.value
    monkeypatch.setitem(sys.modules, "torch", None)
    auto = explore_playground(default="small numbers", reference="auto").message.value
    assert "install scipy to compare with SciPy" in auto and "install torch" in auto
    assert "no reference" in explore_playground(default="small numbers", reference=None).message.value


def _spotlights(explorer):
    return explorer.panels.lit_input, explorer.panels.lit_output


def _output_axis(explorer):
    return explorer.figure.axes.index(explorer.panels.output.ax)


def test_custom_grid_follows_the_menu_and_typing_edits_the_kernel_shown():
    """The nine boxes show the 3 x 3 kernel picked in the menu; typing in one edits that kernel."""
    from conv2d_lib.widgets import explore_playground
    explorer = explore_playground(reference=None)
    grid = lambda: np.array([[explorer.controls[f"w{r}{c}"].value for c in range(3)] for r in range(3)])
    np.testing.assert_array_equal(grid(), kernels.get("sobel_x"))
    explorer.controls["kernel"].value = "laplacian"
    np.testing.assert_array_equal(grid(), kernels.get("laplacian"))
    assert explorer.controls["kernel"].value == "laplacian"  # filling the boxes is not typing
    explorer.controls["w11"].value = 5.0
    assert explorer.controls["kernel"].value == "custom"
    edited = kernels.get("laplacian")
    edited[1, 1] = 5.0
    np.testing.assert_array_equal(grid(), edited)
    explorer.set(kernel="box_blur 2x2")  # no 3 x 3 kernel: the boxes keep the last one
    np.testing.assert_array_equal(grid(), edited)
