"""Every kind of bad input gets a TypeError or ValueError that names the argument.

The contract, for every public function of the numeric core: a wrong *type* is a
TypeError, a wrong *value* (of an accepted type) a ValueError, and the message names
the argument, the value given and what is accepted. ``CONTRACT`` tests it with one
table; ``test_every_public_function_is_in_the_table`` keeps the table complete.
"""

import inspect

import numpy as np
import pytest

from conv2d_lib import (Conv2D, backward, compat, conv, conv2d, conv2d_loops, geometry, images, influence, kernels,
                        methods, output_size, pad, pooling, references, transpose, variants, windows)
from conv2d_lib.nn import activations, conv_layer

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
    ("stride triple", dict(stride=(1, 1, 1)), ValueError, ["stride", "pair", "3 values", "(1, 1, 1)"]),
    ("dilation 0", dict(dilation=(1, 0)), ValueError, ["dilation[1]", ">= 1"]),
    ("negative padding", dict(padding=-1), ValueError, ["padding", ">= 0", "-1"]),
    ("padding float", dict(padding=1.0), TypeError, ["padding", "1.0"]),
    ("padding word", dict(padding="full"), ValueError, ["padding", "'valid'", "'same'", "'full'"]),
    ("same with stride", dict(padding="same", stride=2), ValueError, ["same", "stride 1"]),
    ("unknown mode", dict(padding_mode="mirror"), ValueError, ["padding_mode", "'reflect'", "'mirror'"]),
    ("reflect too wide", dict(padding=8, padding_mode="reflect"), ValueError, ["reflect", "padding < the input", "8"]),
    ("circular too wide", dict(padding=9, padding_mode="circular"), ValueError, ["circular", "9"]),
    ("bias wrong length", dict(bias=np.zeros(3)), ValueError, ["bias", "(C_out,)=(2,)", "(3,)"]),
    ("groups 0", dict(groups=0), ValueError, ["groups", ">= 1", "0"]),
    ("groups float", dict(groups=1.0), TypeError, ["groups", "1.0", "int"]),
    ("groups not dividing C_in", dict(groups=2, weights=np.zeros((2, 1, 3, 3))), ValueError,
     ["groups=2", "C_in=3", "3 is not divisible by 2"]),
    ("groups not dividing C_out", dict(groups=3, weights=np.zeros((2, 1, 3, 3))), ValueError,
     ["groups=3", "C_out=2", "2 is not divisible by 3"]),
    ("groups, weights of all channels", dict(groups=3, weights=np.zeros((3, 3, 3, 3))), ValueError,
     ["groups=3", "C_in / groups = 3 / 3 = 1", "(3, 3, 3, 3)"]),
    ("bias a list", dict(bias=[0.0, 1.0]), TypeError, ["bias", "list"]),
    ("bias bool", dict(bias=True), TypeError, ["bias", "True"]),
    ("bias complex", dict(bias=np.zeros(2, complex)), TypeError, ["bias", "complex"]),
    ("image masked", dict(image=np.ma.masked_array(IMAGE, mask=IMAGE == 0)), ValueError,
     ["image", "masked array", "192 masked", "filled"]),
    ("weights masked", dict(weights=np.ma.masked_array(WEIGHTS, mask=WEIGHTS == 0)), ValueError,
     ["weights", "masked array", "weights.filled(0)"]),
    # Sizes are checked before anything is built: each of these once asked NumPy for GiB to TiB.
    ("padding 10**5", dict(padding=10**5), ValueError,
     ["padding=100000", "(1, 200008, 200008, 3)", "447.1 GiB", "2.0 GiB", "MAX_ARRAY_BYTES"]),
    ("padding 2**63", dict(padding=2**63), ValueError, ["padding=9223372036854775808", "bytes", "MAX_ARRAY_BYTES"]),
    ("padding pair 10**4", dict(padding=(0, 10**8)), ValueError, ["padding=(0, 100000000)", "GiB"]),
    ("same, dilation 10**6", dict(padding="same", dilation=10**6), ValueError,
     ["padding='same'", "dilation (1000000, 1000000)", "TiB"]),
    ("output too big", dict(image=np.broadcast_to(np.float32(0), (20000, 20000, 1)),
                            weights=np.zeros((4, 1, 1, 1), np.float32)),
     ValueError, ["an output", "(1, 20000, 20000, 4)", "6.0 GiB", "weights of shape (4, 1, 1, 1)"]),
    ("input too big", dict(image=np.broadcast_to(np.uint8(0), (30000, 30000, 3)), weights=WEIGHTS), ValueError,
     ["the image of shape (30000, 30000, 3) and dtype uint8", "a padded input", "10.1 GiB"]),
]


@pytest.mark.parametrize("function", [conv2d, conv2d_loops])
@pytest.mark.parametrize("what, changes, error, words", CASES, ids=[c[0] for c in CASES])
def test_conv2d_rejects(function, what, changes, error, words):
    arguments = dict(image=IMAGE, weights=WEIGHTS, **{k: v for k, v in changes.items() if k not in ("image", "weights")})
    arguments["image"] = changes.get("image", IMAGE)
    arguments["weights"] = changes.get("weights", WEIGHTS)
    with pytest.raises((TypeError, ValueError)) as caught:
        function(**arguments)
    assert type(caught.value) is error, f"{type(caught.value).__name__} instead of {error.__name__}: {caught.value}"
    for word in words:
        assert word in str(caught.value), f"{word!r} missing from: {caught.value}"


# The backward pass takes neither a bias nor groups (not differentiated yet): conv2d's other cases.
BACKWARD_CASES = [c for c in CASES if "bias" not in c[1] and "groups" not in c[1]]


@pytest.mark.parametrize("function", [backward.conv2d_backward, backward.conv2d_backward_loops])
@pytest.mark.parametrize("what, changes, error, words", BACKWARD_CASES, ids=[c[0] for c in BACKWARD_CASES])
def test_backward_rejects_as_conv2d(function, what, changes, error, words):
    # The backward pass checks its arguments with conv2d's own checks, before grad_output.
    arguments = {**dict(grad_output=np.zeros((6, 6, 2), np.float32), image=IMAGE, weights=WEIGHTS), **changes}
    with pytest.raises((TypeError, ValueError)) as caught:
        function(**arguments)
    assert type(caught.value) is error, f"{type(caught.value).__name__} instead of {error.__name__}: {caught.value}"
    for word in words:
        assert word in str(caught.value), f"{word!r} missing from: {caught.value}"


IMG = np.zeros((6, 6, 3))
GRAY = np.zeros((6, 6))
W4 = np.zeros((2, 3, 3, 3))
K = np.ones((3, 3))
GRAD = np.zeros((4, 4, 2))  # conv2d(IMG, W4)'s shape

# (function, good keyword arguments, the argument made bad, its bad value, error, words beside the
# argument's name that the message must hold: the value given and what is accepted).
CONTRACT = [
    # conv
    (conv.channel_contributions, dict(image=IMG, weights=W4), "output_index", 2, ValueError, ["2", "C_out=2"]),
    (conv.channel_contributions, dict(image=IMG, weights=W4), "output_index", 0.0, TypeError, ["0.0", "int"]),
    (conv.channel_contributions, dict(image=IMG, weights=W4), "image", GRAY, ValueError, ["2 dimensions", "(H, W, C_in)"]),
    (conv.check_conv2d_arguments, dict(image=IMG, weights=W4), "stride", "2", TypeError, ["'2'", "pair of ints"]),
    (conv.output_size, dict(input_size=5, kernel_size=3), "kernel_size", (3, 3, 3), ValueError, ["(3, 3, 3)", "pair"]),
    (conv.output_size, dict(input_size=5, kernel_size=3), "kernel_size", (3.0, 3), TypeError, ["3.0", "int"]),
    (conv.output_size, dict(input_size=5, kernel_size=3), "input_size", 4.0, TypeError, ["4.0", "int"]),
    (conv.output_size, dict(input_size=5, kernel_size=3), "input_size", 0, ValueError, [">= 1", "0"]),
    (conv.output_size, dict(input_size=5, kernel_size=3), "padding", "full", ValueError, ["'full'", "'same'"]),
    (conv.output_size, dict(input_size=5, kernel_size=3), "padding", 1.5, TypeError, ["1.5", "pair of ints"]),
    (conv.explain_output_size, dict(input_size=5, kernel_size=3), "kernel_size", (3, 3), TypeError, ["(3, 3)", "int"]),
    (conv.explain_output_size, dict(input_size=5, kernel_size=3), "stride", 0, ValueError, [">= 1", "0"]),
    (conv.resolve_padding, dict(padding=1, kernel_size=3), "padding", -1, ValueError, [">= 0", "-1"]),
    (conv.resolve_padding, dict(padding=1, kernel_size=3), "padding", None, TypeError, ["None", "'same'"]),
    (conv.pad, dict(image=GRAY, padding=1), "padding", "same", TypeError, ["'same'", "resolve_padding"]),
    (conv.pad, dict(image=GRAY, padding=1), "padding", (1, 2, 3), ValueError, ["(1, 2, 3)", "pair"]),
    (conv.pad, dict(image=GRAY, padding=1), "padding_mode", "wrap", ValueError, ["'wrap'", "'circular'"]),
    (conv.pad, dict(image=GRAY, padding=1), "image", [[1.0]], TypeError, ["list", "ndarray"]),
    (conv.pad, dict(image=GRAY, padding=1), "padding", 10**5, ValueError, ["100000", "the padded image", "GiB"]),
    (conv.pad, dict(image=GRAY, padding=1), "image", np.ma.masked_array(GRAY, mask=GRAY == 0), ValueError,
     ["masked", "filled"]),
    # backward
    (backward.conv2d_backward, dict(grad_output=GRAD, image=IMG, weights=W4), "grad_output", np.zeros((4, 4, 3)),
     ValueError, ["(4, 4, 2)", "(4, 4, 3)", "conv2d's output"]),
    (backward.conv2d_backward, dict(grad_output=GRAD, image=IMG, weights=W4), "grad_output", np.zeros((1, 4, 4, 2)),
     ValueError, ["(4, 4, 2)", "(1, 4, 4, 2)", "image shape (6, 6, 3)"]),
    (backward.conv2d_backward, dict(grad_output=GRAD[:2, :2], image=IMG, weights=W4, stride=2), "grad_output", GRAD,
     ValueError, ["(2, 2, 2)", "(4, 4, 2)", "stride (2, 2)"]),
    (backward.conv2d_backward, dict(grad_output=GRAD, image=IMG, weights=W4), "grad_output", GRAD.tolist(),
     TypeError, ["list", "ndarray"]),
    (backward.conv2d_backward, dict(grad_output=GRAD, image=IMG, weights=W4), "grad_output", GRAD.astype(complex),
     TypeError, ["complex", "real numbers"]),
    (backward.conv2d_backward, dict(grad_output=np.zeros((4, 4)), image=GRAY, weights=K), "grad_output",
     np.zeros((4, 4, 1)), ValueError, ["(4, 4)", "(4, 4, 1)"]),
    (backward.conv2d_backward, dict(grad_output=GRAD, image=IMG, weights=W4), "grad_output",
     np.ma.masked_array(GRAD, mask=GRAD == 0), ValueError, ["masked", "filled"]),
    (backward.conv2d_backward_loops, dict(grad_output=GRAD, image=IMG, weights=W4), "grad_output", np.zeros((3, 3, 2)),
     ValueError, ["(4, 4, 2)", "(3, 3, 2)"]),
    (backward.conv2d_backward_loops, dict(grad_output=GRAD, image=IMG, weights=W4), "grad_output", "zeros",
     TypeError, ["'zeros'", "ndarray"]),
    # layers
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "kernel_size", (3, 3, 3), ValueError,
     ["(3, 3, 3)", "pair"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "kernel_size", (3, 2.5), TypeError,
     ["kernel_size[1]", "2.5", "int"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "kernel_size", "3", TypeError, ["'3'", "int"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "in_channels", 0, ValueError, [">= 1", "0"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "stride", 0, ValueError, [">= 1", "0"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "padding", "full", ValueError, ["'full'", "'same'"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "padding_mode", "mirror", ValueError,
     ["'mirror'", "'reflect'"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "stride", -1, ValueError, [">= 1", "-1"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3, stride=2), "padding", "same", ValueError,
     ["'same'", "stride 1"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "bias", "no", TypeError,
     ["'no'", "True or False"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "bias", 0, TypeError, ["0", "True or False"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "seed", "abc", TypeError,
     ["'abc'", "int >= 0", "Generator"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "seed", -1, ValueError, [">= 0", "-1"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "seed", 1.5, TypeError, ["1.5", "int"]),
    (conv_layer.run_stack, dict(image=IMG, layers=[Conv2D(3, 2, 3)]), "layers", Conv2D(3, 2, 3), TypeError,
     ["Conv2D(", "list of Conv2D"]),
    (conv_layer.designed_weights, dict(kernel_list=[K], in_channels=3), "in_channels", "3", TypeError, ["'3'", "int"]),
    (conv_layer.designed_weights, dict(kernel_list=[K], in_channels=3), "kernel_list", [K, np.ones((2, 2))], ValueError,
     ["(2, 2)", "(3, 3)", "2-D kernels of one shape"]),
    (conv_layer.make_stack, dict(n_layers=2), "n_layers", 0, ValueError, [">= 1", "0"]),
    (conv_layer.make_stack, dict(n_layers=2), "n_layers", 10**6, ValueError, ["at most 1,000", "1,000,000"]),
    (conv_layer.make_stack, dict(n_layers=2), "channels", 10**5, ValueError,
     ["in_channels=100000, out_channels=100000", "weights of shape", "GiB"]),
    (conv_layer.Conv2D, dict(in_channels=3, out_channels=4, kernel_size=3), "out_channels", 10**9, ValueError,
     ["out_channels=1000000000", "weights of shape (1000000000, 3, 3, 3)", "MAX_ARRAY_BYTES"]),
    (conv_layer.make_stack, dict(n_layers=2), "channels", 2.0, TypeError, ["2.0", "int"]),
    (conv_layer.Conv2D, dict(in_channels=4, out_channels=4, kernel_size=3), "groups", 3, ValueError,
     ["groups=3", "in_channels=4", "not divisible"]),
    (conv_layer.Conv2D, dict(in_channels=4, out_channels=4, kernel_size=3), "groups", "2", TypeError, ["'2'", "int"]),
    # transpose
    (transpose.conv_transpose2d, dict(image=IMG, weights=W4.transpose(1, 0, 2, 3)), "output_padding", 1, ValueError,
     ["output_padding 1", "smaller than stride or dilation", "stride 1"]),
    (transpose.conv_transpose2d, dict(image=IMG, weights=W4.transpose(1, 0, 2, 3)), "padding", "same", TypeError,
     ["'same'", "pair of ints"]),
    (transpose.conv_transpose2d, dict(image=IMG, weights=W4.transpose(1, 0, 2, 3)), "groups", 2, ValueError,
     ["groups=2", "C_in=3"]),
    (transpose.conv_transpose2d, dict(image=IMG, weights=W4.transpose(1, 0, 2, 3)), "weights", W4, ValueError,
     ["C_in=2", "3 channel", "(C_in, C_out / groups, kH, kW)"]),
    (transpose.conv_transpose2d_loops, dict(image=IMG, weights=W4.transpose(1, 0, 2, 3)), "padding", 9, ValueError,
     ["padding 9", "crops away the whole output"]),
    (transpose.conv_transpose2d_loops, dict(image=IMG, weights=W4.transpose(1, 0, 2, 3)), "stride", 0.5, TypeError,
     ["0.5", "int"]),
    (transpose.transpose_output_size, dict(input_size=4, kernel_size=3), "output_padding", -1, ValueError,
     [">= 0", "-1"]),
    (transpose.transpose_output_size, dict(input_size=4, kernel_size=3), "input_size", 4.0, TypeError,
     ["4.0", "int"]),
    (transpose.transpose_output_size, dict(input_size=4, kernel_size=3, stride=2), "output_padding", 2, ValueError,
     ["output_padding 2", "stride 2"]),
    # pooling
    (pooling.max_pool2d, dict(image=IMG, kernel_size=2), "padding", 2, ValueError,
     ["padding 2", "at most half the kernel size", "kernel_size 2"]),
    (pooling.max_pool2d, dict(image=IMG, kernel_size=2), "kernel_size", 7, ValueError, ["does not fit", "7"]),
    (pooling.avg_pool2d, dict(image=IMG, kernel_size=2), "stride", 0, ValueError, [">= 1", "0"]),
    (pooling.avg_pool2d, dict(image=IMG, kernel_size=2), "image", [[1.0]], TypeError, ["list", "ndarray"]),
    (pooling.max_pool2d_loops, dict(image=IMG, kernel_size=2), "kernel_size", (2, 2, 2), ValueError,
     ["(2, 2, 2)", "pair"]),
    (pooling.avg_pool2d_loops, dict(image=IMG, kernel_size=2), "padding", "same", TypeError,
     ["'same'", "pair of ints"]),
    (pooling.max_pool2d_backward, dict(grad_output=np.zeros((3, 3, 3)), image=IMG, kernel_size=2), "grad_output",
     np.zeros((3, 3, 2)), ValueError, ["(3, 3, 3)", "got shape (3, 3, 2)"]),
    (pooling.max_pool2d_backward, dict(grad_output=np.zeros((3, 3, 3)), image=IMG, kernel_size=2), "grad_output",
     "zeros", TypeError, ["'zeros'", "ndarray"]),
    # activations
    (activations.relu, dict(x=GRAY), "x", "abc", TypeError, ["'abc'", "ndarray"]),
    (activations.relu, dict(x=GRAY), "x", GRAY.astype(bool), TypeError, ["bool", "real numbers"]),
    (activations.active_fraction, dict(x=GRAY), "x", np.zeros(0), ValueError, ["empty", "(0,)"]),
    (activations.active_fraction, dict(x=GRAY), "x", [1.0], TypeError, ["[1.0]", "ndarray"]),
    # kernels
    (kernels.get, dict(name="sobel_x"), "name", "sobel", ValueError, ["'sobel'", "'sobel_x'"]),
    (kernels.describe, dict(name="sobel_x"), "name", 3, ValueError, ["3", "'sobel_x'"]),
    (kernels.from_menu, dict(name="sobel_x"), "name", "tiny weights", ValueError, ["'tiny weights'", "'small weights'"]),
    (kernels.identity, dict(size=3), "size", 4, ValueError, ["odd", "4"]),
    (kernels.box_blur, dict(size=3), "size", 0, ValueError, [">= 1", "0"]),
    (kernels.gaussian, dict(size=5), "sigma", -1.0, ValueError, ["-1.0", "positive"]),
    (kernels.gaussian, dict(size=5), "sigma", "wide", TypeError, ["'wide'", "positive number"]),
    (kernels.gaussian, dict(size=5), "size", 10**6 + 1, ValueError, ["at most 999", "1,000,001"]),
    (kernels.box_blur, dict(size=3), "size", 1001, ValueError, ["at most 999"]),
    (kernels.get, dict(name="sobel_x"), "size", 5, TypeError, ["'sobel_x'", "size=5", "takes no parameters"]),
    (kernels.get, dict(name="gaussian"), "sizes", 5, TypeError, ["'gaussian'", "sizes=5", "it takes size, sigma"]),
    (kernels.get, dict(name="gaussian"), "size", 4, ValueError, ["odd", "4"]),
    # images
    (images.photo, dict(name="cat"), "name", "dog", ValueError, ["'dog'", "'cat'"]),
    (images.sample, dict(name="cat"), "name", "dog", ValueError, ["'dog'", "'small numbers'"]),
    (images.checkerboard, dict(size=8), "square", 0, ValueError, [">= 1", "0"]),
    (images.stripes, dict(size=8), "direction", "diagonal", ValueError, ["'diagonal'", "'vertical'"]),
    (images.shapes, dict(size=32), "size", 8, ValueError, [">= 16", "8"]),
    (images.impulse, dict(size=9), "size", 9.0, TypeError, ["9.0", "int"]),
    (images.small_numbers, dict(size=5), "channels", 0, ValueError, [">= 1", "0"]),
    (images.small_weights, dict(size=3), "c_out", 2, ValueError, ["c_out=2", "c_in=None", "both"]),
    (images.small_weights, dict(size=3, c_out=2, c_in=2), "c_in", 65, ValueError, ["at most 64"]),
    (images.small_weights, dict(size=3, c_out=64, c_in=64), "size", 999, ValueError, ["(64, 64, 999, 999)",
                                                                                     "at most 16,777,216"]),
    (images.small_numbers, dict(size=5), "size", 10**5, ValueError, ["at most 4,096", "100,000"]),
    (images.checkerboard, dict(size=8), "size", 10**6, ValueError, ["at most 4,096"]),
    (images.stripes, dict(size=8), "size", 10**6, ValueError, ["at most 4,096"]),
    (images.impulse, dict(size=9), "size", 10**6, ValueError, ["at most 4,096"]),
    (images.shapes, dict(size=32), "size", 10**6, ValueError, ["at most 4,096"]),
    (images.to_gray, dict(image=IMG), "image", np.zeros((4, 4, 2)), ValueError, ["3 channels", "(4, 4, 2)"]),
    (images.to_unit_floats, dict(image=GRAY), "image", "photo.png", TypeError, ["'photo.png'", "ndarray"]),
    (images.centre_crop, dict(image=GRAY, size=2), "size", 0, ValueError, [">= 1", "0"]),
    (images.as_channels, dict(image=GRAY, gray=False), "image", np.zeros((4, 4, 2)), ValueError, ["(4, 4, 2)", "3"]),
    # windows, geometry
    (windows.window_slice, dict(row=0, col=0, kernel_size=3), "row", -1, ValueError, [">= 0", "-1"]),
    (windows.window_products, dict(image=GRAY, kernel=K, row=0, col=0), "row", 4, ValueError,
     ["(4, 0)", "rows 0 to 3"]),
    (windows.window_products, dict(image=GRAY, kernel=K, row=0, col=0), "kernel", np.ones((1, 3, 3)), ValueError,
     ["3 dimensions", "(kH, kW)"]),
    (geometry.window_reach, dict(kernel_size=3), "dilation", 0, ValueError, [">= 1", "0"]),
    (geometry.tap_offsets, dict(kernel_size=3), "kernel_size", "3", TypeError, ["'3'", "int"]),
    (geometry.window_starts, dict(input_size=8, kernel_size=3), "padding", -1, ValueError, [">= 0", "-1"]),
    (geometry.window_starts, dict(input_size=4, kernel_size=3), "kernel_size", 5, ValueError, ["does not fit", "5"]),
    (geometry.never_covered, dict(input_size=8, kernel_size=3), "stride", 1.0, TypeError, ["1.0", "int"]),
    (geometry.rows_read, dict(input_size=8, kernel_size=3), "input_size", (8, 8), TypeError, ["(8, 8)", "int"]),
    # Sizes are checked before arrays along the axis are built (10**12 once asked for 7 TiB).
    (geometry.rows_read, dict(input_size=8, kernel_size=3), "input_size", 10**12, ValueError,
     ["input_size=1000000000000", "the padded axis", "TiB"]),
    (geometry.window_starts, dict(input_size=8, kernel_size=3), "padding", 10**12, ValueError,
     ["padding=1000000000000", "TiB"]),
    (geometry.rows_read, dict(input_size=10**6, kernel_size=3), "kernel_size", 5 * 10**5, ValueError,
     ["kernel_size=500000", "the taps of every window", "GiB"]),
    # influence
    (influence.padded_source, dict(input_size=3, before=1, after=1), "padding_mode", "mirror", ValueError,
     ["'mirror'", "'reflect'"]),
    (influence.padded_source, dict(input_size=3, before=1, after=1, padding_mode="reflect"), "before", 3, ValueError,
     ["reflect", "3", "padding < the input size"]),
    (influence.inputs_read_by, dict(row=0, col=0, input_size=(5, 5), kernel_size=3), "row", 3, ValueError,
     ["(3, 0)", "0 to 2"]),
    (influence.outputs_affected_by, dict(row=0, col=0, input_size=(5, 5), kernel_size=3), "col", 5, ValueError,
     ["(0, 5)", "0 to 4"]),
    (influence.taps_of, dict(row=0, col=0, input_size=(5, 5), kernel_size=3), "input_size", (5, 5, 5), ValueError,
     ["(5, 5, 5)", "pair"]),
    (influence.copies_of, dict(row=0, col=0, input_size=(5, 5), kernel_size=3), "padding_mode", "edge", ValueError,
     ["'edge'", "'replicate'"]),
    (influence.window_centre, dict(row=0, col=0, input_size=(5, 5), kernel_size=3), "row", 0.5, TypeError,
     ["0.5", "int"]),
    (influence.central_output, dict(row=0, col=0, input_size=(5, 5), kernel_size=3), "row", 5, ValueError,
     ["(5, 0)", "0 to 4"]),
    (influence.padded_source, dict(input_size=3, before=1, after=1), "input_size", 10**9, ValueError,
     ["input_size=1000000000", "the padded rows", "GiB"]),
    (influence.inputs_read_by, dict(row=0, col=0, input_size=(5, 5), kernel_size=3), "input_size",
     (10**9, 10**9), ValueError, ["(1000000000, 1000000000)", "the taps of every window", "GiB"]),
    (influence.playground_weights, dict(kernel=K, c_out=2), "c_out", 5, ValueError, ["5", "between 1 and 4"]),
    (influence.playground_weights, dict(kernel=K, c_out=2), "kernel", np.ones((2, 3)), ValueError, ["(2, 3)", "square"]),
    # methods
    (methods.conv_shifts, dict(image=IMG, weights=W4), "weights", np.zeros((2, 4, 3, 3)), ValueError,
     ["C_in=3", "C_in=4"]),
    (methods.conv_windows, dict(image=IMG, weights=W4), "image", GRAY, ValueError, ["2 dimensions", "(H, W, C_in)"]),
    (methods.conv_im2col, dict(image=IMG, weights=W4), "weights", W4.tolist(), TypeError, ["list", "ndarray"]),
    (methods.im2col, dict(image=IMG, kernel_hw=(3, 3)), "kernel_hw", 3, TypeError, ["3", "pair"]),
    (methods.im2col, dict(image=IMG, kernel_hw=(3, 3)), "kernel_hw", (7, 3), ValueError, ["7 x 3", "6 x 6"]),
    (methods.im2col_megabytes, dict(image_hw=(8, 8), c_in=3, kernel_hw=(3, 3)), "image_hw", (8, 8, 8), ValueError,
     ["(8, 8, 8)", "pair"]),
    (methods.im2col_megabytes, dict(image_hw=(8, 8), c_in=3, kernel_hw=(3, 3)), "c_in", 3.0, TypeError, ["3.0", "int"]),
    (methods.conv_loops, dict(image=IMG, weights=W4), "bias", "zero", TypeError, ["'zero'", "(C_out,)"]),
    # references
    (references.reference_conv2d, dict(image=IMG, weights=W4), "backend", "matlab", ValueError, ["'matlab'", "'scipy'"]),
    (references.reference_conv2d, dict(image=IMG, weights=W4), "stride", 0, ValueError, [">= 1", "0"]),
    (references.reference_conv2d, dict(image=IMG, weights=W4), "padding_mode", "mirror", ValueError,
     ["'mirror'", "'reflect'"]),
    (references.available, dict(backend="scipy"), "backend", "matlab", ValueError, ["'matlab'", "'torch'"]),
    (references.missing_message, dict(backend="scipy"), "backend", None, ValueError, ["None", "'scipy'"]),
    # variants
    (variants.check_groups, dict(C_in=8, C_out=8, groups=2), "groups", 3, ValueError,
     ["8 is not divisible by 3", "1, 2, 4, 8"]),
    (variants.check_groups, dict(C_in=8, C_out=8, groups=2), "C_in", 0, ValueError, [">= 1", "0"]),
    (variants.valid_groups, dict(C_in=12, C_out=8), "C_out", 8.0, TypeError, ["8.0", "int"]),
    (variants.group_connections, dict(C_in=4, C_out=2, groups=2), "C_out", 3, ValueError,
     ["C_out=3", "not divisible by 2"]),
    (variants.grouped_counts, dict(C_in=4, C_out=4, groups=2), "kernel_size", (3, 3, 3), ValueError,
     ["pair", "3 numbers"]),
    (variants.grouped_counts, dict(C_in=4, C_out=4, groups=2), "bias", 1, TypeError, ["True or False", "int"]),
    (variants.separable_counts, dict(C_in=4, C_out=8), "output_size", 0, ValueError, [">= 1", "0"]),
    (variants.transpose_sources, dict(row=0, col=0, input_size=3, kernel_size=3, stride=2), "row", 7, ValueError,
     ["(7, 0)", "7 x 7 output"]),
    (variants.explain_transpose_output_size, dict(input_size=3, kernel_size=3), "padding", 5, ValueError,
     ["crops away the whole output", "below 3"]),
    (variants.colour_mix, dict(name="grey"), "name", "gray", ValueError, ["'gray'", "'sepia'"]),
]


def _row_id(row):
    function, _, name, value, error, _ = row
    return f"{function.__module__.split('.')[-1]}.{function.__name__}-{name}-{error.__name__}"


@pytest.mark.parametrize("function, good, name, bad, error, words", CONTRACT, ids=[_row_id(r) for r in CONTRACT])
def test_contract(function, good, name, bad, error, words):
    function(**good)  # the good call runs: the error below comes from the bad argument alone
    with pytest.raises((TypeError, ValueError)) as caught:
        function(**{**good, name: bad})
    assert type(caught.value) is error, f"{type(caught.value).__name__} instead of {error.__name__}: {caught.value}"
    message = str(caught.value)
    for word in [name.split("[")[0], *words]:
        assert word in message, f"{word!r} missing from: {message}"


MODULES = [conv, backward, conv_layer, activations, kernels, images, windows, geometry, influence, methods, references,
           transpose, pooling, variants]
NOT_HERE = {"load_image", "read_picture"}  # bad files and arguments are tested with the uploads, in tests/test_uploads.py
TESTED_ELSEWHERE = {"conv2d", "conv2d_loops", "conv_loops"}  # CASES below, for both functions


def test_every_public_function_is_in_the_table():
    in_table = {function.__name__ for function, *_ in CONTRACT} | TESTED_ELSEWHERE | NOT_HERE
    public = {name for module in MODULES for name in module.__all__
              if inspect.isfunction(getattr(module, name)) or inspect.isclass(getattr(module, name))}
    # Functions that take no arguments cannot be given a bad one.
    public -= {name for module in MODULES for name in module.__all__
               if inspect.isfunction(getattr(module, name)) and not inspect.signature(getattr(module, name)).parameters}
    assert public - in_table == set()


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
    # The same number as counting the window starts that fit, one by one.
    reach = d * (k - 1) + 1
    assert expected == sum(1 for start in range(0, n + 2 * p, s) if start + reach <= n + 2 * p)
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
        big = Conv2D(64, 64, 3, seed=0).weights  # 36,864 draws: the std is known to about 0.4%
        assert big.std() == pytest.approx(np.sqrt(2 / (64 * 9)), rel=0.02)
        assert abs(big.mean()) < 0.02 * big.std()
        assert Conv2D(3, 64, 7, seed=0).weights.std() == pytest.approx(np.sqrt(2 / (3 * 49)), rel=0.03)
        np.testing.assert_array_equal(layer.bias, np.zeros(16))
        assert Conv2D(3, 16, 5, bias=False).bias is None

    def test_applies_conv2d(self):
        layer = Conv2D(3, 4, (3, 2), stride=2, padding=1, seed=0)
        image = np.random.default_rng(0).random((10, 11, 3))
        layer.bias = np.arange(4, dtype=np.float32)  # a bias that shows: 0, 1, 2, 3
        np.testing.assert_allclose(layer(image), conv2d_loops(image, layer.weights, layer.bias, 2, 1), rtol=1e-6)
        # By hand: floor((10 + 2 - 3) / 2) + 1 = 5 rows, floor((11 + 2 - 2) / 2) + 1 = 6 columns.
        assert layer(image).shape == (5, 6, 4)
        # out[0, 0] sees the window padded[0:3, 0:2], whose first row and column are zeros.
        by_hand = np.sum(image[:2, :1, :].transpose(2, 0, 1) * layer.weights[:, :, 1:, 1:], axis=(1, 2, 3)) + layer.bias
        np.testing.assert_allclose(layer(image)[0, 0], by_hand, rtol=1e-5)

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
