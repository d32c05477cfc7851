"""The edges of the input space: array subclasses, integer types, huge strides, memory use.


Each case here was once a crash, a wrong result or an allocation of many GiB; the
results are checked against conv2d_loops (an independent reference) and, where it
matters, the memory conv2d allocates is measured with tracemalloc (NumPy reports
its allocations to it).
"""

import tracemalloc

import numpy as np
import pytest

from conv2d_lib import Conv2D, conv2d, conv2d_loops, methods
from conv2d_lib import _fast

pytestmark = pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")

RNG = np.random.default_rng(12)
IMAGE = RNG.random((9, 11))
KERNEL = RNG.random((3, 2))


@pytest.mark.parametrize("function", [conv2d, conv2d_loops])
def test_matrix_arguments_are_read_as_plain_arrays(function):
    expected = conv2d_loops(IMAGE, KERNEL)
    np.testing.assert_allclose(function(np.matrix(IMAGE), KERNEL), expected)
    np.testing.assert_allclose(function(IMAGE, np.matrix(KERNEL)), expected)
    result = function(np.matrix(IMAGE), np.matrix(KERNEL))
    assert type(result) is np.ndarray and result.shape == expected.shape


@pytest.mark.parametrize("function", [conv2d, conv2d_loops])
def test_masked_arrays_with_nothing_masked_are_used_and_memmaps_too(function, tmp_path):
    expected = conv2d_loops(IMAGE, KERNEL)
    np.testing.assert_allclose(function(np.ma.masked_array(IMAGE, mask=False), KERNEL), expected)
    np.testing.assert_allclose(function(np.ma.masked_invalid(IMAGE), KERNEL), expected)
    stored = np.lib.format.open_memmap(tmp_path / "image.npy", mode="w+", dtype=IMAGE.dtype, shape=IMAGE.shape)
    stored[...] = IMAGE
    np.testing.assert_allclose(function(stored, KERNEL), expected)


def test_the_layer_and_the_teaching_methods_take_subclasses_too():
    layer = Conv2D(1, 2, 3, seed=0)
    np.testing.assert_allclose(layer(np.matrix(IMAGE)), layer(IMAGE))
    rgb = RNG.random((6, 7, 3))
    weights = RNG.random((2, 3, 3, 3))
    masked = np.ma.masked_array(rgb, mask=False)
    for way in (methods.conv_shifts, methods.conv_windows, methods.conv_im2col):
        result = way(masked, weights)
        assert type(result) is np.ndarray
        np.testing.assert_allclose(result, conv2d_loops(rgb, weights))


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.int64, np.uint16, np.bool_])
def test_integer_images_are_computed_in_float32_as_documented(dtype):
    image = (RNG.integers(0, 2, (7, 8, 3)) * (1 if dtype == np.bool_ else 100)).astype(dtype)
    layer = Conv2D(3, 2, 3, seed=1)
    assert layer(image).dtype == np.float32
    assert conv2d(image, layer.weights).dtype == np.float32
    assert conv2d_loops(image, layer.weights).dtype == np.float32
    np.testing.assert_allclose(layer(image), conv2d_loops(image.astype(np.float64), layer.weights, layer.bias),
                               rtol=1e-5, atol=1e-4)
    assert conv2d(image, layer.weights.astype(np.float64)).dtype == np.float64


@pytest.mark.parametrize("stride", [(10**7, 1), (1, 10**7), (10**7, 10**7), (2**63, 1), (2**70, 2**70), (8, 1)])
@pytest.mark.parametrize("c_out", [1, 4, 16])
def test_a_stride_past_the_image_gives_one_window_and_costs_nothing(stride, c_out):
    """Work follows the output: one output row means the stride is never used."""
    image = RNG.random((10, 10, 3))
    weights = RNG.random((c_out, 3, 3, 3))
    result = conv2d(image, weights, stride=stride)
    expected = conv2d_loops(image, weights, stride=stride)
    assert result.shape == expected.shape
    np.testing.assert_allclose(result, expected)


def test_a_huge_stride_on_a_large_image_allocates_only_the_output():
    image = np.ones((1000, 1000), np.float32)
    tracemalloc.start()
    try:
        result = conv2d(image, np.ones((3, 3), np.float32), stride=(2 * 10**6, 1))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.shape == (1, 998) and np.all(result == 9)
    assert peak < 2 << 20, f"{peak / 2**20:.1f} MiB for a 1 x 998 output"


def _peak_extra(image, weights, **settings):
    """Bytes conv2d allocates beyond its output (tracemalloc's peak), and the output."""
    conv2d(image, weights, **settings)  # the work buffers are kept between calls: count them once
    tracemalloc.start()
    try:
        out = conv2d(image, weights, **settings)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - out.nbytes, out


@pytest.mark.parametrize("c_out, k, stride, path", [
    (1, 5, 1, "folded"), (4, 5, 1, "folded"), (4, 5, (2, 1), "folded"),
    (16, 3, 1, "columns, channels-first"), (16, 3, 2, "columns, channels-first"),
])
def test_extra_memory_stays_a_few_blocks_for_a_large_photo(c_out, k, stride, path):
    """A 2000 x 2000 RGB photo (46 MiB in float32) is never copied whole a second time."""
    image = RNG.random((2000, 2000, 3), dtype=np.float32)
    weights = RNG.random((c_out, 3, k, k), dtype=np.float32)
    extra, out = _peak_extra(image, weights, stride=stride)
    assert extra < _fast.KEEP_WORK_BYTES, f"{path}: {extra / 2**20:.1f} MiB extra for a 46 MiB image"
    # The block-by-block result equals the same rows computed from a small strip of the image
    # (small enough for the one-pass path, itself checked against the loops and PyTorch).
    s_h = stride if isinstance(stride, int) else stride[0]
    for row in (0, 777, out.shape[0] - 3):
        strip = image[row * s_h : (row + 3 - 1) * s_h + k]
        np.testing.assert_allclose(out[row : row + 3], conv2d(strip, weights, stride=stride), rtol=1e-5)
    np.testing.assert_allclose(conv2d(image[:30, :30], weights, stride=stride),
                               conv2d_loops(image[:30, :30], weights, stride=stride), rtol=1e-4)


def test_padding_costs_one_padded_copy_and_no_more():
    image = RNG.random((2000, 2000, 3), dtype=np.float32)
    for c_out, k in ((1, 5), (16, 3)):
        extra, _ = _peak_extra(image, RNG.random((c_out, 3, k, k), dtype=np.float32), padding=k // 2)
        padded = (2000 + k - 1) ** 2 * 3 * 4
        assert extra < padded + _fast.KEEP_WORK_BYTES, f"C_out {c_out}: {extra / 2**20:.1f} MiB extra"
