"""Every checker against a table of right answers (the variants learners write) and typical wrong ones.

Each wrong answer must fail on its first try with a hint about its own mistake (a
distinctive word of that hint), and that first hint must not give the answer away.
Expected values come from independent references: SciPy, loops, NumPy's own pad.
"""

import numpy as np
import pytest
from scipy import signal

import conv2d_lib
import conv2d_lib.nn.activations
from conv2d_lib import conv2d, images, kernels, output_size
from conv2d_lib.exercises import (arrays, backprop, beyond, bias, channels, efficiency, kernels as kernels_ex,
                                  learning, padding, playground, reset_tries, stacking, stride, tiny_cnn)
from conv2d_lib.pooling import avg_pool2d_loops, max_pool2d_loops
from conv2d_lib.transpose import conv_transpose2d_loops
from conv2d_lib.methods import im2col, im2col_megabytes


@pytest.fixture(autouse=True)
def fresh_tries():
    reset_tries()
    yield
    reset_tries()


CAT = images.photo("cat")


# --- learners' functions, right and wrong ---------------------------------------------------

def corr2d_loops(image, kernel):
    k_h, k_w = kernel.shape
    out = np.zeros((image.shape[0] - k_h + 1, image.shape[1] - k_w + 1))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = np.sum(image[r:r + k_h, c:c + k_w] * kernel)
    return out


def corr2d_by_taps(image, kernel):  # a different but right loop: over the kernel's taps
    k_h, k_w = kernel.shape
    h_out, w_out = image.shape[0] - k_h + 1, image.shape[1] - k_w + 1
    out = np.zeros((h_out, w_out))
    for i in range(k_h):
        for j in range(k_w):
            out += kernel[i, j] * image[i:i + h_out, j:j + w_out]
    return out


def corr2d_int_store(image, kernel):  # stores every sum into an integer array
    k_h, k_w = kernel.shape
    out = np.zeros((image.shape[0] - k_h + 1, image.shape[1] - k_w + 1), dtype=int)
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = np.sum(image[r:r + k_h, c:c + k_w] * kernel)
    return out


def corr2d_zeros_like(image, kernel):  # the output as large as the image
    out = np.zeros_like(image, dtype=float)
    k_h, k_w = kernel.shape
    for r in range(image.shape[0] - k_h + 1):
        for c in range(image.shape[1] - k_w + 1):
            out[r, c] = np.sum(image[r:r + k_h, c:c + k_w] * kernel)
    return out


def corr2d_square_only(image, kernel):  # uses kH for both axes
    k = kernel.shape[0]
    out = np.zeros((image.shape[0] - k + 1, image.shape[1] - k + 1))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = np.sum(image[r:r + k, c:c + k] * kernel)
    return out


def corr2d_rows_by_kw(image, kernel):  # the window's rows counted with kW, its columns with kH
    k_h, k_w = kernel.shape
    out = np.zeros((image.shape[0] - k_h + 1, image.shape[1] - k_w + 1))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = np.sum(image[r:r + k_w, c:c + k_h] * kernel)
    return out


def corr2d_past_the_edge(image, kernel):  # loops over every input pixel, so the last windows are cut short
    k_h, k_w = kernel.shape
    out = np.zeros((image.shape[0] - k_h + 1, image.shape[1] - k_w + 1))
    for r in range(image.shape[0]):
        for c in range(image.shape[1]):
            out[r, c] = np.sum(image[r:r + k_h, c:c + k_w] * kernel)
    return out


def corr2d_one_row_too_many(image, kernel):  # pixel by pixel, with one window position too many down
    k_h, k_w = kernel.shape
    out = np.zeros((image.shape[0] - k_h + 2, image.shape[1] - k_w + 1))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = sum(kernel[i, j] * image[r + i, c + j] for i in range(k_h) for j in range(k_w))
    return out


def weight_grad_loops(image, grad_output):  # lesson 10: a loop over the pairs, into an array made first
    c_in, c_out = image.shape[2], grad_output.shape[2]
    k_h, k_w = image.shape[0] - grad_output.shape[0] + 1, image.shape[1] - grad_output.shape[1] + 1
    out = np.zeros((c_out, c_in, k_h, k_w))
    for o in range(c_out):
        for c in range(c_in):
            out[o, c] = conv2d(image[:, :, c], grad_output[:, :, o])
    return out


def weight_grad_scipy(image, grad_output):  # no conv2d at all
    return np.array([[signal.correlate2d(image[:, :, c], grad_output[:, :, o], mode="valid")
                      for c in range(image.shape[2])] for o in range(grad_output.shape[2])])


def weight_grad_by_taps(image, grad_output):  # tap by tap: the formula of the lesson, summed over the outputs
    h_out, w_out = grad_output.shape[:2]
    k_h, k_w = image.shape[0] - h_out + 1, image.shape[1] - w_out + 1
    return np.array([[[[np.sum(image[i:i + h_out, j:j + w_out, c] * grad_output[:, :, o]) for j in range(k_w)]
                       for i in range(k_h)] for c in range(image.shape[2])] for o in range(grad_output.shape[2])])


def weight_grad_swapped(image, grad_output):  # (C_in, C_out, kH, kW)
    return weight_grad_loops(image, grad_output).transpose(1, 0, 2, 3)


def weight_grad_flipped(image, grad_output):
    return weight_grad_loops(image, grad_output[::-1, ::-1])


def weight_grad_library(image, grad_output):  # lets the backward pass do it all
    h_out, w_out, c_out = grad_output.shape
    weights = np.zeros((c_out, image.shape[2], image.shape[0] - h_out + 1, image.shape[1] - w_out + 1))
    return conv2d_lib.conv2d_backward(grad_output, image, weights)[1]


def weight_grad_swapped_arguments(image, grad_output):  # grad_output as the image
    return np.array([[conv2d(grad_output[:, :, o], image[:, :, c]) for c in range(image.shape[2])]
                     for o in range(grad_output.shape[2])])


def weight_grad_stub(image, grad_output):
    ...  # your code here


BACKPROP_SHAPES = {"grad_output": (8, 16, 16, 6), "grad_image": (8, 32, 32, 3), "grad_weights": (6, 3, 3, 3),
                   "grad_bias": (6,)}


def shapes_with(**changes):
    return {**BACKPROP_SHAPES, **changes}


def one_map_loop(image, stack, bias):
    total = 0.0
    for c in range(image.shape[2]):
        total = total + conv2d(image[:, :, c], stack[c])
    return total + bias


def one_map_list(image, stack, bias):  # a comprehension, summed with NumPy
    return np.sum([conv2d(image[:, :, c], stack[c]) for c in range(image.shape[2])], axis=0) + bias


def one_map_scipy(image, stack, bias):  # no conv2d at all, one channel at a time
    return sum(signal.correlate2d(image[:, :, c], stack[c], mode="valid") for c in range(image.shape[2])) + bias


def one_map_one_call(image, stack, bias):  # conv2d does the channel sum itself
    return conv2d(image, stack[np.newaxis], np.array([bias]))[:, :, 0]


def one_map_module_call(image, stack, bias):  # the same, through the package's name
    return conv2d_lib.conv2d(image, stack[np.newaxis])[:, :, 0] + bias


def one_map_bias_each(image, stack, bias):
    return sum(conv2d(image[:, :, c], stack[c]) + bias for c in range(image.shape[2]))


def columns_mb_arithmetic(h, w, c_in, k):
    return (h - k + 1) * (w - k + 1) * k * k * c_in * 4 / 2**20


def columns_mb_builds(h, w, c_in, k):  # measures the real matrix instead of computing its size
    return im2col(np.zeros((h, w, c_in), np.float32), (k, k)).nbytes / 2**20


def relu_in_place(x):
    x[x < 0] = 0
    return x


def relu_python_max(x):
    return max(x, 0)


def corr2d_windows(image, kernel):  # a different but right way: NumPy's window view
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)
    return np.einsum("rcij,ij->rc", windows, kernel)


def relu_loop(x):  # element by element, in a new array
    out = x.copy()
    for index in np.ndindex(x.shape):
        out[index] = max(x[index], 0)
    return out


def stub(*args):
    ...


# --- right answers --------------------------------------------------------------------------

def pool_backward_loops(image, grad):
    """2 x 2 max-pool backward by hand: each gradient to the first maximum of its window, in reading order."""
    out = np.zeros_like(image, dtype=float)
    for r in range(grad.shape[0]):
        for c in range(grad.shape[1]):
            cells = [(2 * r + i, 2 * c + j) for i in range(2) for j in range(2)]
            best = max(cells, key=lambda rc: (image[rc], -cells.index(rc)))
            out[best] += grad[r, c]
    return out


def pool_spread(image, grad):
    return np.kron(grad, np.ones((2, 2))) / 4


def pool_every_tie(image, grad):
    out = np.zeros_like(image, dtype=float)
    for r in range(2):
        for c in range(2):
            window = image[2 * r:2 * r + 2, 2 * c:2 * c + 2]
            out[2 * r:2 * r + 2, 2 * c:2 * c + 2] = np.where(window == window.max(), grad[r, c], 0)
    return out


def pool_last_tie(image, grad):
    flipped = pool_backward_loops(image[::-1, ::-1], grad[::-1, ::-1])
    return flipped[::-1, ::-1]


RIGHT = [
    (arrays.check_shape_of_rgb_image, [(48, 64, 3), [48, 64, 3], (np.int64(48), np.int64(64), np.int64(3)),
                                       np.zeros((48, 64, 3)).shape, np.array([48, 64, 3])]),
    (arrays.check_green_value, [CAT[10, 20, 1], int(CAT[10, 20, 1]), np.int64(CAT[10, 20, 1]),
                                float(CAT[10, 20, 1]), np.array(CAT[10, 20, 1])]),
    (arrays.check_to_float, [lambda im: im / 255, lambda im: im / 255.0, lambda im: im.astype(np.float32) / 255,
                             lambda im: im.astype(np.float16) / 255, lambda im: im * (1 / 255),
                             lambda im: np.divide(im, 255)]),
    (arrays.check_crop, [lambda im, t, l, s: im[t:t + s, l:l + s], lambda im, t, l, s: im[t:t + s, l:l + s, :],
                         lambda im, t, l, s: im[t:t + s][:, l:l + s].copy()]),
    (kernels_ex.check_one_output, [-7, -7.0, np.float64(-7.0), np.int64(-7), np.array(-7.0)]),
    (kernels_ex.check_corr2d, [corr2d_loops, corr2d_by_taps, corr2d_windows]),
    (kernels_ex.check_horizontal_edge_kernel, [kernels.get("sobel_y"), kernels.get("prewitt_y"),
                                               [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
                                               ((-1, -1, -1), (0, 0, 0), (1, 1, 1)),
                                               np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=np.int64)]),
    (padding.check_output_size, [lambda n, k, p: n + 2 * p - k + 1, lambda n, k, p: (n + 2 * p) - (k - 1),
                                 lambda n, k, p: len(range(0, n + 2 * p - k + 1))]),
    (padding.check_same_padding, [2, np.int64(2)]),
    (padding.check_reflect_row, [[6, 5, 4, 5, 6, 7, 6, 5], (6, 5, 4, 5, 6, 7, 6, 5),
                                 np.array([6, 5, 4, 5, 6, 7, 6, 5]), [6.0, 5, 4, 5, 6, 7, 6, 5]]),
    (stride.check_output_size, [lambda n, k, s, p: (n + 2 * p - k) // s + 1,
                                lambda n, k, s, p: int((n + 2 * p - k) / s) + 1,
                                lambda n, k, s, p: np.floor((n + 2 * p - k) / s) + 1,
                                lambda n, k, s, p: np.int64((n + 2 * p - k) // s + 1)]),
    (stride.check_halving_stride, [2, np.int64(2)]),
    (stride.check_never_covered, [3, np.int64(3)]),
    (stride.check_dilated_reach, [7, 7.0]),
    (bias.check_bias_for_flat, [-1.75, 0.5 - 9 * 0.25, np.float32(-1.75), -7 / 4]),
    (bias.check_relu, [lambda x: np.maximum(x, 0), lambda x: np.where(x > 0, x, 0), lambda x: np.clip(x, 0, None),
                       lambda x: x * (x > 0), relu_loop]),
    (bias.check_threshold_bias, [-1, -1.0, np.float64(-1)]),
    (channels.check_weights_shape, [(8, 3, 5, 5), [8, 3, 5, 5], conv2d_lib.Conv2D(3, 8, 5).weights.shape]),
    (channels.check_parameter_count, [608, np.int64(608), 8 * 3 * 5 * 5 + 8]),
    (channels.check_hand_value, [5.5, np.float32(5.5), 11 / 2]),
    (channels.check_channel_sum, [one_map_loop, one_map_list, one_map_scipy]),
    (stacking.check_two_layer_field, [5, np.int64(5)]),
    (stacking.check_shapes, [lambda n, layers, k, p: n + layers * (2 * p - k + 1),
                             lambda n, layers, k, p: n - layers * (k - 1 - 2 * p)]),
    (stacking.check_layers_for_field, [4, np.int64(4)]),
    (efficiency.check_layer_flops, [2 * 56 * 56 * 64 * 64 * 3 * 3, 231211008.0, np.int64(231211008)]),
    (efficiency.check_columns_megabytes, [columns_mb_arithmetic,
                                          lambda h, w, c, k: (h - k + 1) * (w - k + 1) * k * k * c * 4 / 1024 / 1024]),
    (efficiency.check_tiny_columns, [[[1, 2, 5, 6], [2, 3, 6, 7], [3, 4, 7, 8], [5, 6, 9, 10], [6, 7, 10, 11],
                                      [7, 8, 11, 12]], im2col(efficiency.tiny_image(), (2, 2)),
                                     im2col(efficiency.tiny_image(), (2, 2)).astype(int)]),
    (playground.check_output_shape, [(74, 112, 4), [74, 112, 4], (np.int64(74), 112, 4)]),
    (playground.check_ten_by_ten, [dict(kernel_size=5, stride=3, padding=0, dilation=1),
                                   dict(kernel_size=3, stride=3, padding=0, dilation=2), dict(kernel_size=23),
                                   {"kernel_size": np.int64(5), "stride": 3}]),
    (playground.check_inputs_of_corner, [{(0, 0), (0, 1), (1, 0), (1, 1)}, [(1, 1), (0, 0), (1, 0), (0, 1)],
                                         [[0, 0], [0, 1], [1, 0], [1, 1]], {(np.int64(0), 0), (0, 1), (1, 0), (1, 1)}]),
    (backprop.check_weight_gradient, [7, 7.0, np.float32(7), np.sum(images.small_numbers()[2:5, 0:3]
                                                                    * np.array([[0, 1, 0], [2, 0, -1], [0, 1, 0]]))]),
    (backprop.check_gradient_shapes, [BACKPROP_SHAPES, {name: list(shape) for name, shape in BACKPROP_SHAPES.items()},
                                      shapes_with(grad_bias=(np.int64(6),), grad_image=np.array([8, 32, 32, 3])),
                                      shapes_with(grad_weights=conv2d_lib.Conv2D(3, 6, 3, stride=2, padding=1).weights.shape)]),
    (backprop.check_weight_grad, [weight_grad_loops, weight_grad_scipy, weight_grad_by_taps]),
    (beyond.check_separable_weights, [32 * 3 * 3 + 64 * 32, np.zeros((32, 1, 3, 3)).size + np.zeros((64, 32, 1, 1)).size,
                                      np.int64(2336), 2336.0]),
    (beyond.check_transpose_size, [conv_transpose2d_loops(np.zeros((7, 7)), np.zeros((4, 4)), stride=2, padding=1).shape[0],
                                   np.int64(14)]),
    (beyond.check_valid_groups, [{g for g in range(1, 13) if 12 % g == 0 and 8 % g == 0}, [1, 2, 4], (4, 2, 1),
                                 np.array([1, 2, 4]), {np.int64(1), 2, 4}]),
    (beyond.check_max_pool, [max_pool2d_loops(beyond.POOL_INPUT.astype(float), 2),
                             beyond.POOL_INPUT.reshape(2, 2, 2, 2).max(axis=(1, 3)), [[4, 5], [6, 7]]]),
    # One weight w = 1 on x = [[1, 2, 3]] with target 2x: the gradient by hand, 2 * (-1 - 4 - 9) / 3.
    (learning.check_one_step, [1 - 0.05 * 2 * (-14) / 3, 1.4667, np.float64(1.46667), np.array([[1.4666667]])]),
    (learning.check_largest_rate, [3 / 14, 0.2143, np.float32(0.21428)]),
    (learning.check_rgb_weights, [27, np.int64(27), 27.0]),
    (tiny_cnn.check_layer_shapes, [list(tiny_cnn.SHAPES), tuple(tiny_cnn.SHAPES),
                                   [tuple(shape) for shape in np.array(tiny_cnn.SHAPES[:5])] + [(512,), (10,)],
                                   [[8, 8, 16], [8, 8, 16], [8, 8, 32], [8, 8, 32], [4, 4, 32], [512], [10]]]),
    (tiny_cnn.check_first_layer_parameters, [160, np.int64(160), conv2d_lib.Conv2D(1, 16, 3).weights.size + 16]),
    (tiny_cnn.check_pool_backward, [pool_backward_loops(tiny_cnn.POOL_IMAGE, tiny_cnn.POOL_GRAD),
                                    pool_backward_loops(tiny_cnn.POOL_IMAGE, tiny_cnn.POOL_GRAD).astype(int).tolist()]),
]


@pytest.mark.parametrize("checker, answer", [(c, a) for c, answers in RIGHT for a in answers],
                         ids=[f"{c.__name__}-{i}" for c, answers in RIGHT for i in range(len(answers))])
def test_right_answers_pass(checker, answer):
    feedback = checker(answer)
    assert feedback.passed and feedback.status == "correct", feedback
    assert str(feedback).startswith("Correct! ")


# --- wrong answers: (checker, answer, a word of the hint about that mistake) ----------------

WRONG = [
    (arrays.check_shape_of_rgb_image, (48.0, 64.0, 3.0), "whole numbers of type int"),
    (arrays.check_shape_of_rgb_image, (64, 48, 3), "Rows come first"),
    (arrays.check_shape_of_rgb_image, (3, 48, 64), "PyTorch"),
    (arrays.check_shape_of_rgb_image, (48, 64), "grey image"),
    (arrays.check_shape_of_rgb_image, "48, 64, 3", "tuple of whole numbers"),
    (arrays.check_green_value, CAT[20, 10, 1], "first index is the row"),
    (arrays.check_green_value, CAT[10, 20, 0], "red value"),
    (arrays.check_green_value, CAT[10, 20, 2], "blue value"),
    (arrays.check_green_value, CAT[10, 20], "more than one number"),
    (arrays.check_green_value, "92", "one number"),
    (arrays.check_to_float, lambda im: im // 255, "whole numbers"),
    (arrays.check_to_float, lambda im: im.astype(float), "keeps the values 0 to 255"),
    (arrays.check_to_float, lambda im: im / 256, "largest value"),
    (arrays.check_to_float, lambda im: (im / 255).tolist(), "return an array"),
    (arrays.check_to_float, lambda im: 1 / 0, "ZeroDivisionError"),
    (arrays.check_to_float, lambda im: print(im / 255), "forget `return`"),
    (arrays.check_crop, lambda im, t, l, s: im[l:l + s, t:t + s], "row `left`"),
    (arrays.check_crop, lambda im, t, l, s: im[t:t + s + 1, l:l + s + 1], "too large"),
    (arrays.check_crop, lambda im, t, l, s: im[t:t + s - 1, l:l + s - 1], "too small"),
    (arrays.check_crop, lambda im, t, l, s: im[t:t + s, l:l + s, 0], "lost its channels"),
    (arrays.check_crop, lambda im, t, l, s: im[t:s, l:s], "stops at b"),
    (arrays.check_crop, lambda im, t, l, s: im, "whole image"),
    (kernels_ex.check_one_output, 11, "window alone"),
    (kernels_ex.check_one_output, -3, "swapped position"),
    (kernels_ex.check_one_output, -4, "centred"),
    (kernels_ex.check_one_output, -6, "flipped kernel"),
    (kernels_ex.check_one_output, -5, "lesson's first image"),
    (kernels_ex.check_one_output, 7, "wrong sign"),
    (kernels_ex.check_one_output, "five", "one number"),
    (kernels_ex.check_corr2d, corr2d_int_store, "whole numbers"),
    (kernels_ex.check_corr2d, lambda i, k: signal.convolve2d(i, k, mode="valid"), "flips the kernel"),
    (kernels_ex.check_corr2d, lambda i, k: signal.correlate2d(i, k, mode="same"), "how many positions"),
    (kernels_ex.check_corr2d, corr2d_zeros_like, "how many positions"),
    (kernels_ex.check_corr2d, corr2d_square_only, "kH rows by kW columns"),
    (kernels_ex.check_corr2d, corr2d_rows_by_kw, "kH rows by kW columns"),
    (kernels_ex.check_corr2d, corr2d_past_the_edge, "cut short"),
    (kernels_ex.check_corr2d, corr2d_one_row_too_many, "index runs past"),
    (kernels_ex.check_corr2d, lambda i, k: 1 / 0, "raised ZeroDivisionError"),
    (kernels_ex.check_corr2d, lambda i, k: conv2d(i, k), "`conv2d`"),
    (kernels_ex.check_corr2d, lambda i, k: conv2d_lib.conv2d_loops(i, k), "`conv2d_loops`"),
    (kernels_ex.check_horizontal_edge_kernel, kernels.get("sobel_x"), "vertical stripes"),
    (kernels_ex.check_horizontal_edge_kernel, np.array([[1, -1, 0], [-1, 1, 0], [0, 0, 0]]), "corners"),
    (kernels_ex.check_horizontal_edge_kernel, kernels.get("box_blur"), "flat grey area"),
    (kernels_ex.check_horizontal_edge_kernel, np.zeros((3, 3)), "hardly"),
    (kernels_ex.check_horizontal_edge_kernel, np.zeros((2, 2)), "(3, 3)"),
    (kernels_ex.check_horizontal_edge_kernel, "abc", "array of numbers"),
    (padding.check_output_size, lambda n, k, p: n + 2 * p - k, "one short"),
    (padding.check_output_size, lambda n, k, p: n + p - k + 1, "both sides"),
    (padding.check_output_size, lambda n, k, p: n - k + 1, "does not change with p"),
    (padding.check_output_size, lambda n, k, p: n + 2 * p, "padded input"),
    (padding.check_output_size, stub, None),
    (padding.check_output_size, lambda n, k, p: conv2d_lib.output_size(n, k, padding=p), "`output_size`"),
    (padding.check_same_padding, 4, "on both sides"),
    (padding.check_same_padding, 5, "kernel size"),
    (padding.check_same_padding, 1, "Too little"),
    (padding.check_same_padding, 2.5, "whole number"),
    (padding.check_same_padding, 2.0, "takes the padding as an int"),
    (padding.check_reflect_row, [5, 4, 4, 5, 6, 7, 7, 6], "symmetric"),
    (padding.check_reflect_row, [4, 4, 4, 5, 6, 7, 7, 7], "replicate"),
    (padding.check_reflect_row, [6, 7, 4, 5, 6, 7, 4, 5], "wraps around"),
    (padding.check_reflect_row, [0, 0, 4, 5, 6, 7, 0, 0], "zero padding"),
    (padding.check_reflect_row, [5, 4, 5, 6, 7, 6], "make 8"),
    (padding.check_reflect_row, "6 5 4 5 6 7 6 5", "list of numbers"),
    (stride.check_output_size, lambda n, k, s, p: (n + 2 * p - k) / s + 1, "not a whole number"),
    (stride.check_output_size, lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1, "rounded the division up"),
    (stride.check_output_size, lambda n, k, s, p: round((n + 2 * p - k) / s) + 1, "nearest"),
    (stride.check_output_size, lambda n, k, s, p: (n + 2 * p - k) // s, "one short"),
    (stride.check_output_size, lambda n, k, s, p: (n + p - k) // s + 1, "both sides"),
    (stride.check_output_size, lambda n, k, s, p: "7", "one whole number"),
    (stride.check_output_size, lambda n, k, s, p: output_size(n, k, s, p), "`output_size`"),
    (stride.check_halving_stride, 4, "= 8, not 16"),
    (stride.check_halving_stride, 1, "= 32, not 16"),
    (stride.check_halving_stride, "2", "whole number of pixels"),
    (stride.check_halving_stride, 0, "1 or more"),
    (stride.check_halving_stride, np.float64(2.0), "takes the stride as an int"),
    (stride.check_never_covered, 2, "number of windows"),
    (stride.check_never_covered, 4, "row 3"),
    (stride.check_never_covered, 0, "Some rows are left over"),
    (stride.check_dilated_reach, 9, "Not k * d"),
    (stride.check_dilated_reach, 3, "number of taps"),
    (stride.check_dilated_reach, 6, "both included"),
    (tiny_cnn.check_layer_shapes, [(6, 6, 16)] + list(tiny_cnn.SHAPES[1:]), "padding 1"),
    (tiny_cnn.check_layer_shapes, list(tiny_cnn.SHAPES[:4]) + [(8, 8, 32)] + list(tiny_cnn.SHAPES[5:]), "halve"),
    (tiny_cnn.check_layer_shapes, list(tiny_cnn.SHAPES[:5]) + [(32,), (10,)], "4 x 4 x 32 maps"),
    (tiny_cnn.check_layer_shapes, list(tiny_cnn.SHAPES[:3]), "seven shapes"),
    (tiny_cnn.check_layer_shapes, [(8, 8, 16), (8, 8, 32)] + list(tiny_cnn.SHAPES[2:]), "keeps the shape"),
    (tiny_cnn.check_first_layer_parameters, 144, "one more number"),
    (tiny_cnn.check_first_layer_parameters, 9, "one kernel for each"),
    (tiny_cnn.check_first_layer_parameters, 1024, "outputs"),
    (tiny_cnn.check_first_layer_parameters, "160", "whole number"),
    (tiny_cnn.check_pool_backward, pool_spread(tiny_cnn.POOL_IMAGE, tiny_cnn.POOL_GRAD), "average pooling"),
    (tiny_cnn.check_pool_backward, pool_every_tie(tiny_cnn.POOL_IMAGE, tiny_cnn.POOL_GRAD), "Every window has a tie"),
    (tiny_cnn.check_pool_backward, pool_last_tie(tiny_cnn.POOL_IMAGE, tiny_cnn.POOL_GRAD), "the first one in reading order"),
    (tiny_cnn.check_pool_backward, np.zeros((2, 2)), "4 x 4"),
    (bias.check_bias_for_flat, 0.0, "window sums to before the bias"),
    (bias.check_bias_for_flat, 0.5, "black image"),
    (bias.check_bias_for_flat, 1.75, "wrong sign"),
    (bias.check_bias_for_flat, 0.25, "all nine pixels"),
    (bias.check_bias_for_flat, "-1.75", "one number"),
    (bias.check_relu, relu_in_place, "changes the array"),
    (bias.check_relu, relu_python_max, "element by element"),
    (bias.check_relu, np.abs, "not flip"),
    (bias.check_relu, lambda x: np.minimum(x, 0), "other way round"),
    (bias.check_relu, lambda x: x > 0, "positive values themselves"),
    (bias.check_relu, conv2d_lib.nn.activations.relu, "`relu`"),
    (bias.check_threshold_bias, 1, "above -1"),
    (bias.check_threshold_bias, 0, "r + b > 0"),
    (channels.check_weights_shape, (8.0, 3.0, 5.0, 5.0), "whole numbers of type int"),
    (channels.check_weights_shape, (3, 8, 5, 5), "output maps come first"),
    (channels.check_weights_shape, (5, 5, 3, 8), "TensorFlow"),
    (channels.check_weights_shape, (8, 5, 5, 3), "channels-last"),
    (channels.check_weights_shape, (8, 5, 5), "*each*"),
    (channels.check_weights_shape, "(8, 3, 5, 5)", "(C_out, C_in, kH, kW)"),
    (channels.check_parameter_count, 600, "biases are learned"),
    (channels.check_parameter_count, 208, "each of the 3 input channels"),
    (channels.check_parameter_count, 603, "*output* map"),
    (channels.check_parameter_count, 601, "not one for the whole layer"),
    (channels.check_parameter_count, 76, "8 maps"),
    (channels.check_hand_value, 5.0, "bias is added too"),
    (channels.check_hand_value, 1.5, "channel 0 alone"),
    (channels.check_hand_value, 4.5, "channel 1 alone"),
    (channels.check_hand_value, 6.0, "once per output map"),
    (channels.check_channel_sum, one_map_one_call, "3 channels at once"),
    (channels.check_channel_sum, one_map_module_call, "channels at once"),
    (channels.check_channel_sum, one_map_bias_each, "once per channel"),
    (channels.check_channel_sum, lambda im, st, b: conv2d(im[:, :, 0], st[0]) + b, "Only channel 0"),
    (channels.check_channel_sum, lambda im, st, b: sum(conv2d(im[:, :, c], st[0]) for c in range(im.shape[2])) + b,
     "its own kernel"),
    (channels.check_channel_sum, lambda im, st, b: sum(conv2d(im[:, :, c], st[c]) for c in range(im.shape[2])),
     "bias is missing"),
    (channels.check_channel_sum, lambda im, st, b: conv2d(im, st), "raised ValueError"),
    (stacking.check_two_layer_field, 6, "overlap"),
    (stacking.check_two_layer_field, 9, "addition"),
    (stacking.check_two_layer_field, 3, "one layer sees"),
    (stacking.check_shapes, lambda n, layers, k, p: n - layers * (k - 1), "ignore the padding"),
    (stacking.check_shapes, lambda n, layers, k, p: n + 2 * p - k + 1, "after one layer"),
    (stacking.check_shapes, lambda n, layers, k, p: n + layers * (p - k + 1), "both sides"),
    (stacking.check_layers_for_field, 3, "Not 9 / 3"),
    (stacking.check_layers_for_field, 8, "not by 1"),
    (stacking.check_layers_for_field, 9, "width of the field"),
    (efficiency.check_layer_flops, 56 * 56 * 64 * 64 * 9, "multiplies only"),
    (efficiency.check_layer_flops, 2 * 54 * 54 * 64 * 64 * 9, "56 x 56"),
    (efficiency.check_layer_flops, 2 * 56 * 56 * 64 * 9, "C_in counts"),
    (efficiency.check_layer_flops, "a lot", "one number"),
    (efficiency.check_columns_megabytes, columns_mb_builds, "builds the arrays"),
    (efficiency.check_columns_megabytes, lambda h, w, c, k: im2col_megabytes((h, w), c, (k, k)), "`im2col_megabytes`"),
    (efficiency.check_columns_megabytes, lambda h, w, c, k: (h - k + 1) * (w - k + 1) * k * k * c * 4, "in bytes"),
    (efficiency.check_columns_megabytes, lambda h, w, c, k: (h - k + 1) * (w - k + 1) * k * k * c * 4 / 1e6,
     "not a million"),
    (efficiency.check_columns_megabytes, lambda h, w, c, k: (h - k + 1) * (w - k + 1) * k * k * c * 8 / 2**20,
     "float64"),
    (efficiency.check_columns_megabytes, lambda h, w, c, k: (h - k + 1) * (w - k + 1) * k * k * 4 / 2**20,
     "every input channel"),
    (efficiency.check_columns_megabytes, lambda h, w, c, k: h * w * k * k * c * 4 / 2**20, "one row per output pixel"),
    (efficiency.check_tiny_columns, im2col(efficiency.tiny_image(), (2, 2)).T, "transpose"),
    (efficiency.check_tiny_columns, [[1, 2, 5, 6]], "(6, 4)"),
    (efficiency.check_tiny_columns, [[1, 5, 2, 6], [2, 6, 3, 7], [3, 7, 4, 8], [5, 9, 6, 10], [6, 10, 7, 11],
                                     [7, 11, 8, 12]], "column by column"),
    (efficiency.check_tiny_columns, [[1, 2, 5, 6]] * 6, "Row 1"),
    (efficiency.check_tiny_columns, [[1, 2], [3]], "6 rows of 4 numbers"),
    (playground.check_output_shape, (74.0, 112.0, 4.0), "whole numbers of type int"),
    (playground.check_output_shape, (4, 74, 112), "channels-last"),
    (playground.check_output_shape, (75, 113, 4), "without dilation"),
    (playground.check_output_shape, (73, 111, 4), "without the padding"),
    (playground.check_output_shape, (74, 112, 3), "not C_in"),
    (playground.check_output_shape, (112, 74, 4), "Rows first"),
    (playground.check_output_shape, "big", "three whole numbers"),
    (playground.check_ten_by_ten, dict(kernel_size=3, stride=2, padding=0, dilation=1), "15 x 15"),
    (playground.check_ten_by_ten, dict(kernel_size=40), "cannot work"),
    (playground.check_ten_by_ten, dict(kernel_size=10**10), "cannot work"),
    (playground.check_ten_by_ten, dict(kernel=3), "Unknown"),
    (playground.check_ten_by_ten, dict(kernel_size=5.0, stride=3), "whole number (an int)"),
    (playground.check_ten_by_ten, [5, 3, 0, 1], "a dict"),
    (playground.check_inputs_of_corner, {(r, c) for r in range(-1, 2) for c in range(-1, 2)}, "padding"),
    (playground.check_inputs_of_corner, {(r, c) for r in range(3) for c in range(3)}, "without padding"),
    (playground.check_inputs_of_corner, {(0, 0)}, "not one pixel"),
    (playground.check_inputs_of_corner, {(0, 0), (0, 1)}, "missing"),
    (playground.check_inputs_of_corner, {(0.5, 1), (0, 0)}, "whole numbers"),
    (playground.check_inputs_of_corner, 5, "pairs"),
    (backprop.check_weight_gradient, -1, "weight [0, 2]"),
    (backprop.check_weight_gradient, 12, "multiply it by exercise_grad"),
    (backprop.check_weight_gradient, 3, "sum of exercise_grad alone"),
    (backprop.check_weight_gradient, 4, "not flipped"),
    (backprop.check_weight_gradient, -6, "not by the kernel"),
    (backprop.check_weight_gradient, 5, "add the nine products"),
    (backprop.check_weight_gradient, "7", "one number"),
    (backprop.check_gradient_shapes, shapes_with(grad_output=(8, 32, 32, 6)), "stride 2"),
    (backprop.check_gradient_shapes, shapes_with(grad_output=(8, 15, 15, 6)), "padding of 1"),
    (backprop.check_gradient_shapes, shapes_with(grad_output=(8, 16, 16, 3)), "not C_in"),
    (backprop.check_gradient_shapes, shapes_with(grad_output=(8, 6, 16, 16)), "Channels-last"),
    (backprop.check_gradient_shapes, shapes_with(grad_output=(16, 16, 6)), "4 axes"),
    (backprop.check_gradient_shapes, shapes_with(grad_image=(8, 3, 32, 32)), "Channels-last"),
    (backprop.check_gradient_shapes, shapes_with(grad_image=(8, 16, 16, 6)), "the shape of the image"),
    (backprop.check_gradient_shapes, shapes_with(grad_weights=(3, 6, 3, 3)), "output maps first"),
    (backprop.check_gradient_shapes, shapes_with(grad_weights=(8, 6, 3, 3, 3)), "4 axes"),
    (backprop.check_gradient_shapes, shapes_with(grad_bias=6), "even with one axis"),
    (backprop.check_gradient_shapes, shapes_with(grad_bias=(1,)), "one bias per output map"),
    (backprop.check_gradient_shapes, shapes_with(grad_bias=(8, 6)), "1 axis:"),
    (backprop.check_gradient_shapes, shapes_with(grad_bias=(6.0,)), "tuple of whole numbers"),
    (backprop.check_gradient_shapes, shapes_with(grad_bias=...), "still ..."),
    (backprop.check_gradient_shapes, {"grad_output": (8, 16, 16, 6)}, "keep the four keys"),
    (backprop.check_gradient_shapes, ((8, 16, 16, 6), (8, 32, 32, 3)), "give a dict"),
    (backprop.check_weight_grad, weight_grad_swapped, "output maps first"),
    (backprop.check_weight_grad, weight_grad_flipped, "not flipped"),
    (backprop.check_weight_grad, weight_grad_library, "conv2d_backward"),
    (backprop.check_weight_grad, weight_grad_swapped_arguments, "raised ValueError"),
    (backprop.check_weight_grad, weight_grad_stub, None),
    (beyond.check_separable_weights, 64 * 32 * 3 * 3, "full 3 x 3"),
    (beyond.check_separable_weights, 32 * 3 * 3, "depthwise step alone"),
    (beyond.check_separable_weights, 64 * 32, "1x1 step alone"),
    (beyond.check_separable_weights, 32 * 9 + 64 * 32 + 32 + 64, "biases"),
    (beyond.check_separable_weights, 32 * 9 + 64 * 32 + 64, "biases"),
    (beyond.check_separable_weights, 64 * 9 + 64 * 32, "32 input channels"),
    (beyond.check_separable_weights, 100, "two steps apart"),
    (beyond.check_separable_weights, "many", "one whole number"),
    (beyond.check_transpose_size, (7 + 2 - 4) // 2 + 1, "ordinary convolution"),
    (beyond.check_transpose_size, (7 - 1) * 2 + 4, "before the padding"),
    (beyond.check_transpose_size, (7 - 1) * 2 - 1 + 4, "both sides"),
    (beyond.check_transpose_size, 20, "stride rows apart"),
    (beyond.check_transpose_size, 14.5, "one whole number"),
    (beyond.check_valid_groups, {1, 2, 3, 4, 6, 12}, "divide C_in"),
    (beyond.check_valid_groups, [1, 2, 4, 8], "divide C_out"),
    (beyond.check_valid_groups, {1, 2}, "missing"),
    (beyond.check_valid_groups, {1, 2, 3, 4}, "groups = 3 does not work"),
    (beyond.check_valid_groups, "1, 2, 4", "set of whole numbers"),
    (beyond.check_max_pool, avg_pool2d_loops(beyond.POOL_INPUT.astype(float), 2), "average pooling"),
    (beyond.check_max_pool, [[4, 6], [5, 7]], "swapped"),
    (beyond.check_max_pool, beyond.POOL_INPUT, "2 x 2 outputs"),
    (beyond.check_max_pool, [4, 5, 6, 7], "rows first"),
    (beyond.check_max_pool, [[9, 9], [9, 9]], "four 2 x 2 blocks"),
    (beyond.check_max_pool, "abc", "four numbers"),
    (learning.check_one_step, 1 + 0.05 * 2 * (-14) / 3, "wrong way"),
    (learning.check_one_step, 1 - 0.05 * (-14) / 3, "factor 2"),
    (learning.check_one_step, 1 - 0.05 * 2 * (-14), "not a sum"),
    (learning.check_one_step, 1 - 2 * (-14) / 3, "times the learning rate"),
    (learning.check_one_step, -0.05 * 2 * (-14) / 3, "after the move"),
    (learning.check_one_step, "1.47", "one number"),
    (learning.check_largest_rate, 3 / 28, "in one step"),
    (learning.check_largest_rate, 2 / 28, "not 2 sum"),
    (learning.check_largest_rate, 0.5, "below -1"),
    (learning.check_rgb_weights, 9, "grey image"),
    (learning.check_rgb_weights, 28, "bias"),
    (learning.check_rgb_weights, 3, "input channels"),
    (learning.check_rgb_weights, 27.5, "whole number"),
]

# What a first wrong try must not show: the answer, or the line that computes it.
SECRETS = {
    arrays.check_shape_of_rgb_image: ["48, 64, 3"],
    arrays.check_green_value: ["cat[10, 20, 1]", f"= {int(CAT[10, 20, 1])}"],
    arrays.check_to_float: ["image / 255"],
    arrays.check_crop: ["top:top + size"],
    kernels_ex.check_one_output: ["= -7", "hand_image[2:5, 1:4]"],
    kernels_ex.check_corr2d: ["image[r:r + kH"],
    kernels_ex.check_horizontal_edge_kernel: ["[[-1, -1, -1]", "-1 on top"],
    padding.check_output_size: ["n + 2 * p - k + 1"],
    padding.check_same_padding: ["2 on each side"],
    padding.check_reflect_row: ["6, 5, 4, 5, 6, 7, 6, 5", "6 5 | 4"],
    stride.check_output_size: ["(n + 2 * p - k) // s + 1"],
    stride.check_halving_stride: ["Stride 2", "visits every other"],
    stride.check_never_covered: ["rows 7, 8 and 9"],
    stride.check_dilated_reach: ["3 * 2 + 1", "0, 3 and 6"],
    bias.check_bias_for_flat: ["-1.75", "2.25"],
    bias.check_relu: ["np.maximum(x, 0)"],
    bias.check_threshold_bias: ["-b = 1"],
    channels.check_weights_shape: ["(8, 3, 5, 5)"],
    channels.check_parameter_count: ["608", "plus 8 biases"],
    channels.check_hand_value: ["5.5"],
    channels.check_channel_sum: ["conv2d(image[:, :, c], stack[c])"],
    stacking.check_two_layer_field: ["1 + 2 + 2"],
    stacking.check_shapes: ["layers * (2p - k + 1)", "2p - (k - 1)"],
    stacking.check_layers_for_field: ["1 + 2 * 4"],
    efficiency.check_layer_flops: ["231,211,008", "64 * 64 * 3 * 3"],
    efficiency.check_columns_megabytes: ["(h - k + 1) * (w - k + 1) * k * k"],
    efficiency.check_tiny_columns: ["[2, 3, 6, 7]"],
    playground.check_output_shape: ["(74, 112, 4)"],
    playground.check_ten_by_ten: ["kernel_size=5, stride=3"],
    playground.check_inputs_of_corner: ["(0, 0), (0, 1), (1, 0), (1, 1)", "rows -1, 0, 1"],
    backprop.check_weight_gradient: ["x[2:5, 0:3]", "7:"],
    backprop.check_gradient_shapes: ["(8, 16, 16, 6)", "(6, 3, 3, 3)", "// 2 + 1 = 16"],
    backprop.check_weight_grad: ["conv2d(image[:, :, c], grad_output[:, :, o])"],
    beyond.check_separable_weights: ["2,336", "2336"],
    beyond.check_transpose_size: ["= 14", "(7 - 1) * 2"],
    beyond.check_valid_groups: ["[1, 2, 4]"],
    beyond.check_max_pool: ["[[4, 5], [6, 7]]", "max(1, 3, 4, 2) = 4"],
    learning.check_one_step: ["1.4667", "-9.33"],
    learning.check_largest_rate: ["0.2143", "3/14"],
    learning.check_rgb_weights: ["27", "(1, 3, 3, 3)"],
    tiny_cnn.check_layer_shapes: ["(4, 4, 32), (512,)", "4 x 4 x 32 = 512"],
    tiny_cnn.check_first_layer_parameters: ["160", "make 144"],
    tiny_cnn.check_pool_backward: ["[[0, 1, 2, 0]"],
}


@pytest.mark.parametrize("checker, answer, word", WRONG,
                         ids=[f"{c.__name__}-{i}" for i, (c, _, _) in enumerate(WRONG)])
def test_wrong_answers_fail_with_a_hint_about_their_own_mistake(checker, answer, word):
    feedback = checker(answer)
    if word is None:   # a body still ``...``: not a wrong try, a prompt
        assert feedback.status == "empty" and feedback.tries == 0
        return
    assert feedback.status == "wrong" and not feedback.passed, feedback
    assert word in feedback.message, feedback.message
    assert feedback.tries == 1 and "The answer" not in feedback.message
    for secret in SECRETS[checker]:
        if secret in repr(answer):   # the learner's own answer, said back to them
            continue
        assert secret not in feedback.message, f"the first hint gives the answer away: {feedback.message}"
    assert feedback.answer, "a wrong answer has an answer to show on the third try"
    assert str(feedback).startswith("Not yet. ") and "Not yet." in feedback._repr_html_()


def test_every_checker_has_right_wrong_and_secret_rows():
    checkers = {solution.checker for module in (arrays, kernels_ex, padding, stride, bias, channels, stacking,
                                                efficiency, playground, backprop, learning, tiny_cnn, beyond)
                for solution in module.SOLUTIONS}
    assert checkers == {c for c, _ in RIGHT} == {c for c, _, w in WRONG if w} == set(SECRETS)


@pytest.mark.parametrize("checker", sorted(SECRETS, key=lambda c: c.__module__ + c.__name__), ids=lambda c: c.__name__)
def test_the_third_different_wrong_try_gives_the_answer(checker):
    wrongs = [answer for c, answer, word in WRONG if c is checker and word][:3]
    while len(wrongs) < 3:
        wrongs.append(("another", len(wrongs)))      # any other wrong answer is a new try
    feedbacks = [checker(answer) for answer in wrongs]
    assert [f.tries for f in feedbacks] == [1, 2, 3]
    assert "show_solution(" in feedbacks[1].message and "The answer" not in feedbacks[1].message
    assert "The answer: " in feedbacks[2].message and feedbacks[2].answer in feedbacks[2].message
    assert any(secret in feedbacks[2].message for secret in SECRETS[checker])


# --- the cases of the findings, spelled out -------------------------------------------------

def test_lesson02_exercise1_slips_give_different_numbers_from_the_answer():
    values = [value for value, _ in kernels_ex._one_output_mistakes()]
    right = signal.correlate2d(kernels_ex.hand_image(), images.small_weights(), mode="valid")[2, 1]
    assert right == -7 and len(set(values + [right])) == len(values) + 1
    # out[1, 2] (row and column swapped) is called a swap, never "the centred window"
    swapped = kernels_ex.check_one_output(float(conv2d(kernels_ex.hand_image(), images.small_weights())[1, 2]))
    assert "swapped" in swapped.message and "centred" not in swapped.message


def test_corr2d_into_an_integer_array_fails_on_non_integer_pixels():
    image = np.array([[0.5, 1.25, 2.0], [1.0, 0.75, 0.5], [2.5, 0.0, 1.5]])
    assert not np.array_equal(corr2d_int_store(image, np.ones((2, 2))), corr2d_loops(image, np.ones((2, 2))))
    assert "integer" in kernels_ex.check_corr2d(corr2d_int_store).message or \
        "whole numbers" in kernels_ex.check_corr2d(corr2d_int_store).message


def test_float16_counts_to_its_own_precision_but_not_less():
    assert arrays.check_to_float(lambda im: (im / 255).astype(np.float16)).passed
    assert not arrays.check_to_float(lambda im: (im / 255 + 0.01).astype(np.float16)).passed
    assert not arrays.check_to_float(lambda im: im / 255 + 1e-4).passed


def test_one_map_watch_leaves_conv2d_as_it_was():
    before = (conv2d_lib.conv2d, conv2d_lib.conv.conv2d, globals()["conv2d"])
    channels.check_channel_sum(one_map_one_call)
    channels.check_channel_sum(lambda im, st, b: 1 / 0)
    assert (conv2d_lib.conv2d, conv2d_lib.conv.conv2d, globals()["conv2d"]) == before
    assert conv2d_lib.conv2d is conv2d_lib.conv.conv2d is conv2d


def test_reflect_answer_is_what_pad_does():
    from conv2d_lib import pad
    assert pad(np.array([[4, 5, 6, 7]]), ((0, 0), (2, 2)), "reflect")[0].tolist() == [6, 5, 4, 5, 6, 7, 6, 5]


def test_hand_example_matches_the_loops():
    image, weights, b = channels.hand_example()
    by_hand = np.sum(image[:2, :2, 0] * weights[0, 0]) + np.sum(image[:2, :2, 1] * weights[0, 1]) + b[0]
    assert by_hand == conv2d_lib.conv2d_loops(image, weights, b)[0, 0, 0] == 5.5


def test_float_sizes_fail_where_the_package_and_numpy_refuse_them():
    """Why 2.0 is not a padding or a stride, and (48.0, 64.0, 3.0) not a shape: they raise."""
    with pytest.raises(TypeError):
        np.zeros((48.0, 64.0, 3.0))
    for knob in ("padding", "stride"):
        with pytest.raises(TypeError, match=knob):
            conv2d(np.zeros((28, 28)), np.ones((5, 5)), **{knob: 2.0})


def test_a_slip_is_named_only_when_it_fits_every_case():
    """Right on no case but one short on the first is not "one short": the hint must fit the whole function."""
    odd = padding.check_output_size(lambda n, k, p: n + 2 * p - k if (n, k, p) == (5, 3, 0) else 0)
    assert not odd.passed and "one short" not in odd.message and "Pad first" in odd.message
    assert "one short" in padding.check_output_size(lambda n, k, p: n + 2 * p - k).message
