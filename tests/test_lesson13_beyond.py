"""Lesson 13 (beyond the basic layer): the counts and connections of conv2d_lib.variants, and the explorers.

References are independent of the code under test: a grouped convolution written as a full
one with block-diagonal weights, the loop versions of the transposed convolution and of
pooling, and brute force over every ``groups``.
"""

import itertools
import re

import numpy as np
import pytest

from conv2d_lib import conv2d, conv2d_loops, conv_transpose2d_loops, images, transpose_output_size
from conv2d_lib.pooling import avg_pool2d_loops, max_pool2d_loops
from conv2d_lib.variants import (COLOUR_MIXES, check_groups, colour_mix, explain_transpose_output_size,
                                 group_connections, grouped_counts, separable_counts, transpose_sources,
                                 valid_groups)
from conv2d_lib.widgets import explore_groups, explore_pointwise, explore_pooling, explore_transpose


def words(explorer):
    text = re.sub(r"<[^>]+>", " ", explorer.message.value)
    return " ".join(text.replace("&times;", "x").replace("&minus;", "-").split())


def block_diagonal(weights, groups):
    """The full (C_out, C_in, kH, kW) weights that a grouped convolution's (C_out, C_in / groups, ...) stand for."""
    C_out, C_group, kH, kW = weights.shape
    dense = np.zeros((C_out, C_group * groups, kH, kW))
    per = C_out // groups
    for o in range(C_out):
        g = o // per
        dense[o, g * C_group:(g + 1) * C_group] = weights[o]
    return dense


# --------------------------------------------------------------------------- groups

@pytest.mark.parametrize("C_in, C_out, groups", [(4, 2, 2), (6, 6, 3), (8, 8, 8), (3, 6, 3), (4, 8, 1), (6, 4, 2)])
def test_connections_and_counts_are_those_of_the_block_diagonal_full_convolution(C_in, C_out, groups):
    rng = np.random.default_rng(C_in * 100 + C_out * 10 + groups)
    w = rng.normal(size=(C_out, C_in // groups, 3, 3)) + 0.1  # no weight exactly 0
    x = rng.normal(size=(7, 6, C_in))
    dense = block_diagonal(w, groups)
    np.testing.assert_allclose(conv2d_loops(x, w, groups=groups), conv2d_loops(x, dense), atol=1e-12)
    assert np.array_equal(group_connections(C_in, C_out, groups), dense.any(axis=(2, 3)))
    out = conv2d(x, w, groups=groups)
    counts = grouped_counts(C_in, C_out, groups, 3, out.shape[:2])
    assert counts["weights"] == np.count_nonzero(dense) == w.size
    # Multiply-adds: every output pixel of every map, one per nonzero weight of its map's kernels.
    assert counts["multiply_adds"] == out.shape[0] * out.shape[1] * np.count_nonzero(dense)
    assert grouped_counts(C_in, C_out, groups, 3, bias=True)["weights"] == w.size + C_out


@pytest.mark.parametrize("C_in, C_out", [(12, 8), (16, 16), (7, 5), (1, 4), (9, 6)])
def test_valid_groups_are_those_conv2d_accepts(C_in, C_out):
    accepted = []
    for g in range(1, 17):
        try:
            conv2d(np.zeros((3, 3, C_in)), np.zeros((C_out, max(C_in // g, 1), 1, 1)), groups=g)
        except ValueError:
            continue
        accepted.append(g)
    assert valid_groups(C_in, C_out) == accepted


def test_check_groups_names_both_numbers():
    with pytest.raises(ValueError, match="groups=3 must divide C_in=8: 8 is not divisible by 3") as raised:
        check_groups(8, 6, 3)
    assert "1, 2" in str(raised.value)
    with pytest.raises(ValueError, match="C_out=4"):
        check_groups(6, 4, 3)
    with pytest.raises(TypeError, match="groups must be an int"):
        check_groups(4, 4, 2.0)


@pytest.mark.parametrize("C_in, C_out, k", [(32, 64, 3), (128, 256, 3), (64, 64, 5), (3, 16, 3)])
def test_separable_counts_match_the_weights_of_the_two_layers(C_in, C_out, k):
    counts = separable_counts(C_in, C_out, k, output_size=(10, 12))
    depthwise, pointwise = np.zeros((C_in, 1, k, k)), np.zeros((C_out, C_in, 1, 1))
    assert counts["full"]["weights"] == np.zeros((C_out, C_in, k, k)).size
    assert counts["separable"]["weights"] == depthwise.size + pointwise.size
    assert counts["separable"]["multiply_adds"] == 120 * (depthwise.size + pointwise.size)
    assert counts["ratio"] == pytest.approx(1 / (1 / C_out + 1 / k ** 2))


def test_mobilenet_saves_eight_to_nine_times_with_many_maps():
    assert 8 < separable_counts(128, 256, 3)["ratio"] < 9 < separable_counts(1024, 1024, 3)["ratio"] + 0.1


# --------------------------------------------------------------------------- transposed convolution

@pytest.mark.parametrize("H, W, k, stride, padding", [(4, 4, 3, 2, 0), (3, 5, 2, 1, 0), (4, 3, 4, 2, 1),
                                                      (2, 2, 3, 3, 2), (5, 4, 1, 2, 0)])
def test_the_stamps_at_each_output_pixel_add_up_to_the_loops_output(H, W, k, stride, padding):
    rng = np.random.default_rng(H + 10 * W + 100 * k)
    x, w = rng.normal(size=(H, W)), rng.normal(size=(k, k))
    out = conv_transpose2d_loops(x, w, stride=stride, padding=padding)
    for i, j in itertools.product(range(out.shape[0]), range(out.shape[1])):
        sources = transpose_sources(i, j, (H, W), k, stride, padding)
        assert sum(x[r, c] * w[a, b] for r, c, a, b in sources) == pytest.approx(out[i, j], abs=1e-9)
        # Each source is exact: a stamp of that one pixel reaches (i, j) with that tap.
        for r, c, a, b in sources:
            one = np.zeros_like(x)
            one[r, c] = 1.0
            tap = np.zeros_like(w)
            tap[a, b] = 1.0
            assert conv_transpose2d_loops(one, tap, stride=stride, padding=padding)[i, j] == 1.0


def test_explained_transposed_size_is_the_librarys():
    for n, k, s, p in itertools.product(range(1, 6), range(1, 5), range(1, 4), range(0, 3)):
        try:
            size = transpose_output_size(n, k, s, p)
        except ValueError:
            continue
        assert explain_transpose_output_size(n, k, s, p).endswith(f"= {size}")
    with pytest.raises(ValueError, match="inside the 5 x 5 output"):
        transpose_sources(5, 0, 2, 3, stride=2)


# --------------------------------------------------------------------------- 1x1 convolution

def test_colour_mixes_as_1x1_convolutions_are_matrix_products():
    photo = images.sample("coffee")
    for name in COLOUR_MIXES:
        M = colour_mix(name)
        expected = np.einsum("hwc,oc->hwo", photo, M)
        np.testing.assert_allclose(conv2d(photo, M[:, :, None, None]), expected, atol=1e-6)
    assert np.allclose(colour_mix("grey").sum(axis=1), 1.0)
    assert np.array_equal(colour_mix("swap red/blue") @ [1, 2, 3], [3, 2, 1])
    with pytest.raises(ValueError, match="'identity'"):
        colour_mix("negative")


# --------------------------------------------------------------------------- explorers

def test_pointwise_explorer_shows_the_mix_and_a_preset_moves_the_sliders():
    explorer = explore_pointwise()
    explorer.set(preset="swap red/blue")
    assert explorer.values()["rb"] == 1.0 and explorer.values()["rr"] == 0.0
    photo = images.sample("cat")
    shown = explorer.figure.axes[1].images[0].get_array()
    np.testing.assert_allclose(shown, photo[..., ::-1], atol=1e-6)
    renders = len(explorer.timings_ms)
    explorer.set(preset="grey")
    assert len(explorer.timings_ms) == renders + 1, "a preset redraws once, not once per slider"
    explorer.set(rr=-1.0)
    M = np.array([[-1.0, 0.59, 0.11], [0.3, 0.59, 0.11], [0.3, 0.59, 0.11]])
    np.testing.assert_allclose(explorer.figure.axes[1].images[0].get_array(), np.clip(photo @ M.T, 0, 1), atol=1e-6)
    assert "Your own mix" in words(explorer) and "outside 0..1" in words(explorer)


def test_groups_explorer_draws_the_connections_and_counts_them():
    explorer = explore_groups()
    explorer.set(C_in=6, C_out=12, groups=3, kernel_size=3)
    grid = explorer.figure.axes[0].images[0].get_array()
    assert np.array_equal(grid, group_connections(6, 12, 3).astype(float))
    said = words(explorer)
    assert f"= {12 * 2 * 9:,}" in said and f"{56 * 56 * 12 * 2 * 9:,}" in said and "3 times as many" in said
    assert f"{2 * 56 * 56 * 12 * 2 * 9:,} FLOPs" in said
    explorer.set(groups=4)
    assert "cannot work" in explorer.message.value and "Traceback" not in explorer.message.value
    assert "6 is not divisible by 4" in words(explorer)
    explorer.set(groups=6, C_out=6)
    assert "depthwise" in explorer.figure.axes[0].get_title()


def test_transpose_explorer_output_and_sum_are_the_loops():
    explorer = explore_transpose()
    explorer.set(kernel="small weights", kernel_size=3, stride=2, padding=1, row=2, col=1)
    x = images.centre_crop(images.sample("small numbers", gray=True), 4)
    w = images.small_weights(3, seed=1)
    expected = conv_transpose2d_loops(x, w, stride=2, padding=1)
    ax_in, ax_stamp, ax_out = explorer.figure.axes[:3]
    assert ax_in.get_title() == "input x"
    np.testing.assert_allclose(ax_out.images[0].get_array(), expected, atol=1e-6)
    np.testing.assert_allclose(ax_stamp.images[0].get_array(), x[2, 1] * w)
    said = words(explorer)
    # The stamp of (2, 1) lands at (2 * 2 - 1, 1 * 2 - 1) = (3, 1); its last pixel is (5, 3).
    assert "output (3, 1)" in said and "(4 - 1) * 2 - 2 * 1 + 3 = 7" in said
    total = re.search(r"Output pixel \(5, 3\) .* = (-?[\d.]+) ?\.", said)
    assert total and float(total.group(1)) == pytest.approx(expected[5, 3])


def test_pooling_explorer_shows_both_poolings_and_the_receptive_field():
    explorer = explore_pooling()
    explorer.set(image="small numbers", kernel_size=3, stride=2)
    x = images.sample("small numbers", gray=True)
    panels = explorer.figure.axes[:3]
    np.testing.assert_allclose(panels[1].images[0].get_array(), max_pool2d_loops(x, 3, 2))
    np.testing.assert_allclose(panels[2].images[0].get_array(), avg_pool2d_loops(x, 3, 2))
    # conv 3, pool 3 stride 2, conv 3: 1 + 2 + 2 + 2 * 2 = 9.
    assert "sees 9 x 9 input pixels, against 5 x 5" in words(explorer)
    explorer.set(kernel_size=6)
    assert "cannot work" in explorer.message.value
