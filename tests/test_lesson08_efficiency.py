"""Lesson 08 (efficient NumPy): the four ways agree with the loops, the timing helpers."""

import importlib.util
import time
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import correlate2d

from conv2d_lib import conv2d, conv2d_loops
from conv2d_lib.methods import METHODS, conv_im2col, im2col, im2col_megabytes
from conv2d_lib.timing import (
    WAYS,
    WaysTimer,
    conv_flops,
    extrapolate,
    gflops,
    interleaved_min,
    matmul_gflops,
    square_image,
    torch_conv2d,
    torch_version,
)

ROOT = Path(__file__).resolve().parents[1]
SHAPES = [  # (H, W, C_in, C_out, kH, kW)
    (5, 5, 1, 1, 3, 3),
    (7, 6, 3, 2, 3, 2),
    (9, 9, 2, 4, 1, 1),
    (4, 5, 3, 1, 4, 5),   # kernel as large as the image: one output pixel
    (12, 10, 4, 3, 5, 3),
]


def random_case(h, w, c_in, c_out, k_h, k_w, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((h, w, c_in)).astype(dtype), rng.standard_normal((c_out, c_in, k_h, k_w)).astype(dtype)


@pytest.mark.parametrize("name", list(METHODS))
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_every_way_equals_the_library_loops(name, shape):
    image, weights = random_case(*shape)
    expected = conv2d_loops(image, weights)
    result = METHODS[name](image, weights)
    assert result.shape == expected.shape
    np.testing.assert_allclose(result, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", list(METHODS))
def test_every_way_equals_scipy_on_one_channel(name):
    image, weights = random_case(8, 11, 1, 1, 3, 4, seed=3)
    expected = correlate2d(image[..., 0], weights[0, 0], mode="valid")
    np.testing.assert_allclose(METHODS[name](image, weights)[..., 0], expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", list(METHODS))
def test_float32_stays_float32_and_agrees_with_conv2d(name):
    image, weights = random_case(16, 16, 3, 8, 5, 5, dtype=np.float32)
    result = METHODS[name](image, weights)
    assert result.dtype == np.float32
    np.testing.assert_allclose(result, conv2d(image, weights), rtol=1e-4, atol=1e-4)


def test_im2col_by_hand():
    image = np.arange(1.0, 10.0).reshape(3, 3, 1)
    assert im2col(image, (2, 2)).tolist() == [[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]]
    # Two channels: each tap holds the channels side by side (tap-major, channel-minor).
    two = np.stack([image[..., 0], 10 * image[..., 0]], axis=-1)
    assert im2col(two, (1, 2))[0].tolist() == [1, 10, 2, 20]


def test_im2col_rows_are_the_windows():
    image, _ = random_case(6, 7, 3, 1, 3, 2)
    columns = im2col(image, (3, 2))
    assert columns.shape == (4 * 6, 3 * 2 * 3)
    np.testing.assert_array_equal(columns[1 * 6 + 4], image[1:4, 4:6].ravel())


@pytest.mark.parametrize("h, w, c_in, k, itemsize", [(256, 256, 3, 3, 4), (30, 17, 5, 4, 8), (3, 3, 1, 3, 4)])
def test_im2col_megabytes_is_the_real_size(h, w, c_in, k, itemsize):
    dtype = np.float32 if itemsize == 4 else np.float64
    image = np.zeros((h, w, c_in), dtype)
    assert im2col_megabytes((h, w), c_in, (k, k), itemsize) == pytest.approx(im2col(image, (k, k)).nbytes / 2**20)


def test_im2col_megabytes_by_hand():
    # A 2048 x 2048 photo (padding 2 -> 2052), 5 x 5 kernel: 2048**2 rows of 75 float32 = 1200 MB (bench/RESULTS.md).
    assert im2col_megabytes((2052, 2052), 3, (5, 5)) == pytest.approx(1200.0)


@pytest.mark.parametrize("bad, error, words", [
    (dict(image=np.zeros((5, 5))), ValueError, "image"),
    (dict(image=[[1.0]]), TypeError, "image"),
    (dict(weights=np.zeros((3, 3))), ValueError, "weights"),
    (dict(weights=np.zeros((1, 2, 3, 3))), ValueError, "C_in"),
    (dict(weights=np.zeros((1, 1, 6, 3))), ValueError, "does not fit"),
])
def test_ways_reject_bad_input_in_words(bad, error, words):
    args = dict(image=np.zeros((5, 5, 1)), weights=np.zeros((1, 1, 3, 3)))
    args.update(bad)
    for name, way in METHODS.items():
        if name == "loops" and isinstance(bad.get("image"), np.ndarray) and bad["image"].ndim == 2:
            continue  # way 1 is conv2d_loops, which reads a 2-D image as one channel
        with pytest.raises(error, match=words):
            way(**args)


def test_helpers_reject_bad_input_in_words():
    with pytest.raises(ValueError, match="does not fit"):
        im2col_megabytes((2, 2), 3, (3, 3))
    with pytest.raises(TypeError, match="c_in"):
        im2col_megabytes((8, 8), 3.0, (3, 3))
    with pytest.raises(TypeError, match="kernel_hw"):
        im2col(np.zeros((4, 4, 1)), 3)
    with pytest.raises(ValueError, match="c_out"):
        conv_flops(4, 4, 0, 3, 3, 3)
    with pytest.raises(ValueError, match="seconds"):
        gflops(1e9, 0.0)
    with pytest.raises(ValueError, match="size"):
        square_image(np.zeros((4, 4)), 0)


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_conv2d", ROOT / "bench" / "bench_conv2d.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_flops_agree_with_make_bench():
    bench = load_bench()
    for name, _, shape, c_out, k, stride, padding, _ in bench.WORKLOADS:
        if stride != 1:
            continue
        n, h, _, c_in = shape
        side = h + 2 * padding - k + 1
        assert conv_flops(side, side, c_out, c_in, k, k, n=n) == bench.flops(shape, c_out, k, stride, padding), name
    assert conv_flops(254, 254, 1, 3, 3, 3) == 2 * 254 * 254 * 27


def test_interleaved_min_keeps_the_minimum_and_respects_the_budget():
    calls = {"a": 0, "b": 0}
    durations = iter([0.003, 0.001, 0.002] * 10)

    def slow_a():
        calls["a"] += 1
        end = next(durations)
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < end:
            pass

    def b():
        calls["b"] += 1

    best = interleaved_min({"a": slow_a, "b": b}, repeats=3, inner=1, warmup=False)
    assert calls == {"a": 3, "b": 3}
    assert 0.001 <= best["a"] < 0.0025  # the fastest of 3, 1 and 2 ms
    calls.update(a=0, b=0)
    interleaved_min({"a": slow_a, "b": b}, repeats=100, inner=2, budget_s=0.0, warmup=True)
    assert calls == {"a": 3, "b": 3}  # one warm-up, then one round of 2: the budget stops it


def test_matmul_gflops_is_cached_and_counts_2n3_flops(monkeypatch):
    from conv2d_lib import timing

    monkeypatch.setattr(timing, "_MATMUL_CACHE", {})
    monkeypatch.setattr(timing, "best_time", lambda function, repeats: 1e-3)  # every matmul "takes" 1 ms
    assert matmul_gflops(64, repeats=2) == pytest.approx(2 * 64**3 / 1e-3 / 1e9)  # 0.524 GFLOP/s
    monkeypatch.setattr(timing, "best_time", lambda function, repeats: 1.0)
    assert matmul_gflops(64, repeats=2) == pytest.approx(0.000524288 * 1000)  # cached, not measured again
    assert matmul_gflops(64, repeats=2, refresh=True) == pytest.approx(0.524288)  # slower now: the faster is kept
    assert matmul_gflops(32, repeats=2) == pytest.approx(2 * 32**3 / 1e9)  # another size, measured afresh


def test_extrapolate_and_square_image():
    assert extrapolate(0.5, 10, 40) == pytest.approx(2.0)
    picture = square_image(np.arange(12.0).reshape(3, 4), 6)
    assert picture.shape == (6, 6, 1) and picture.dtype == np.float32
    assert picture[0, 0, 0] == 0 and picture[-1, -1, 0] == 11


@pytest.mark.skipif(torch_version() is None, reason="PyTorch is not installed")
def test_torch_agrees():
    image, weights = random_case(10, 9, 3, 4, 3, 2, dtype=np.float32)
    np.testing.assert_allclose(torch_conv2d(image, weights)(numpy=True), conv_im2col(image, weights),
                               rtol=1e-4, atol=1e-4)


def test_ways_timer_records_and_extrapolates():
    timer = WaysTimer(2, 3, repeats=2, loops_limit_s=1.0)
    image = np.random.default_rng(0).random((40, 50, 3))
    now = timer.measure(image, 16)
    assert {"shifts", "windows", "im2col", "conv2d", "loops"} <= set(now)
    timer.measure(image, 8)
    sizes, seconds = timer.series("im2col")
    assert sizes.tolist() == [8, 16] and np.all(seconds > 0)
    assert timer.flops(16) == conv_flops(14, 14, 2, 3, 3, 3)
    assert timer.loops_estimate(16) == pytest.approx(timer.loops_per_pixel * 14 * 14)
    assert set(timer.times) == set(WAYS)
    quick = WaysTimer(2, 3, repeats=1, loops_limit_s=0.0)
    assert "loops" not in quick.measure(image, 16)  # too slow by the estimate: scaled, not run
    with pytest.raises(ValueError, match="size"):
        quick.measure(image, 2)


# --------------------------------------------------------------------------- explorer


@pytest.fixture
def small_grid(monkeypatch):
    import conv2d_lib.widgets.timing as wt

    monkeypatch.setattr(wt, "GRID", (16, 32))
    return wt


def test_explorer_marks_the_size_and_reports_the_columns(small_grid):
    explorer = small_grid.explore_timing()
    explorer.set(size=48)
    figure_lines = explorer.figure.axes[1].lines
    assert list(explorer.figure.axes[1].lines[-1].get_xdata()) == [48, 48]  # the band at the current size
    im2col_line = next(line for line in figure_lines if "im2col" in line.get_label())
    assert 48 in im2col_line.get_xdata()
    c_out, k = explorer.controls["layer"].value
    megabytes = im2col_megabytes((48, 48), 3, (k, k))
    assert f"{megabytes:.3g} MB" in explorer.figure.axes[1].get_title()
    assert f"{conv_flops(48 - k + 1, 48 - k + 1, c_out, 3, k, k):,} FLOP" in explorer.message.value


def test_explorer_says_when_torch_is_missing(small_grid, monkeypatch):
    monkeypatch.setattr(small_grid, "torch_version", lambda: None)
    import conv2d_lib.timing as timing

    monkeypatch.setattr(timing, "torch_conv2d", lambda image, weights: None)
    explorer = small_grid.explore_timing()
    assert "not installed" in explorer.message.value
    labels = [line.get_label() for line in explorer.figure.axes[1].lines]
    assert any("not installed" in label for label in labels)
    torch_line = next(line for line in explorer.figure.axes[1].lines if "not installed" in line.get_label())
    assert len(torch_line.get_xdata()) == 0
