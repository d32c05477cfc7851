"""Explorers for notebooks/13_beyond_the_layer.ipynb: 1x1 colour mixes, groups, transposed convolution, pooling."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import images
from ..conv import conv2d, explain_output_size
from ..pooling import avg_pool2d, max_pool2d
from ..receptive_field import receptive_field
from ..transpose import conv_transpose2d
from ..variants import (COLOUR_MIXES, check_groups, colour_mix, explain_transpose_output_size, group_connections,
                        grouped_counts, transpose_sources)
from ..plot.beyond import CHANNELS, MIX_LIMIT, GroupsFigure, PointwiseFigure, PoolingFigure, TransposeFigure
from ._base import Explorer
from ._sources import ImageChooser

OUTPUT_SIDE = 56  # the feature map the groups explorer counts multiply-adds for (56 x 56, a MobileNet stage)
MOST_CHANNELS = 16
TRANSPOSE_SIDE = 4  # the transposed explorer's input: the central 4 x 4 of the picture
SMALL_WEIGHTS_SEED = 1  # a 3 x 3 small-weights kernel with both signs and no zero row



def _share(fraction):
    """A fraction as a percentage that never says 0% or 100% for a few pixels in or out."""
    if 0 < fraction < 0.005:
        return "under 1%"
    if 0.995 < fraction < 1:
        return "over 99%"
    return f"{fraction:.0%}"

def _matrix_name(o, c):
    return f"{CHANNELS[o][0]}{CHANNELS[c][0]}"  # "rg": how much green goes into the new red


def explore_pointwise(image=None, default="cat", preset="sepia"):
    """A 1x1 convolution as a colour remix: nine sliders for the 3 x 3 mixing matrix, and presets.

    Each new pixel is ``M @ pixel``: the new red is ``M[0, 0] * red + M[0, 1] * green +
    M[0, 2] * blue``, and so on, computed as ``conv2d`` with weights
    ``M[:, :, np.newaxis, np.newaxis]`` of shape (3, 3, 1, 1).

    Parameters
    ----------
    image : ndarray of shape (H, W, 3), or a file path, optional
        Your own picture, offered as "your picture" (and shown first).
    default : str
        The photo shown first otherwise ("cat" or "coffee").
    preset : str
        The mix the sliders start at: one of ``variants.COLOUR_MIXES``.

    Returns
    -------
    Explorer
        Controls ``image``, ``preset``, and ``rr``, ``rg``, ... ``bb`` (the matrix, row by row:
        ``rg`` is how much of the input's green goes into the output's red).

    Raises
    ------
    ValueError
        When ``preset`` is not one of the mixes.
    """
    start = colour_mix(preset)
    chooser = ImageChooser(gray=False, default=default, own=image, choices=images.photo_names())
    figure = PointwiseFigure()
    controls = {"image": chooser.control,
                "preset": widgets.Dropdown(options=list(COLOUR_MIXES), value=preset, description="preset")}
    for o in range(3):
        for c in range(3):
            controls[_matrix_name(o, c)] = widgets.FloatSlider(
                value=float(start[o, c]), min=-MIX_LIMIT, max=MIX_LIMIT, step=0.01, readout_format="+.2f",
                description=f"{CHANNELS[c]} into {CHANNELS[o]}", continuous_update=True)
    held = {}

    def use_preset(change):  # registered before the explorer's own observer: sliders first, then one redraw
        matrix = colour_mix(change["new"])
        with held["explorer"].holding():
            for o in range(3):
                for c in range(3):
                    controls[_matrix_name(o, c)].value = float(matrix[o, c])

    controls["preset"].observe(use_preset, names="value")

    def update(image, preset, **weights):
        x = chooser.array(image)
        M = np.array([[weights[_matrix_name(o, c)] for c in range(3)] for o in range(3)])
        mixed = conv2d(x, M[:, :, np.newaxis, np.newaxis])  # a 1x1 convolution: (3, 3, 1, 1) weights
        figure.show(x, mixed, M)
        clipped = float(np.mean((mixed < 0) | (mixed > 1)))
        named = next((name for name in COLOUR_MIXES if np.allclose(colour_mix(name), M)), None)
        rows = "; ".join(f"new {CHANNELS[o]} = " + "".join(
            ("" if c == 0 and M[o, c] >= 0 else " &minus; " if M[o, c] < 0 else " + ")
            + f"{abs(M[o, c]):.2f} &times; {CHANNELS[c]}" for c in range(3)) for o in range(3))
        return (f"<b>{'The ' + named + ' mix' if named else 'Your own mix'}</b>: every pixel on its own, "
                f"{rows}. A 1x1 convolution with weights of shape (C_out, C_in, 1, 1) = (3, 3, 1, 1): "
                f"{M.size} weights. {_share(clipped)} of the new values fall outside 0..1 and are shown clipped.")

    explorer = Explorer(update, controls, figure.fig, extra=[chooser.upload])
    held["explorer"] = explorer
    return explorer


def explore_groups(C_in=3, C_out=3, groups=1):
    """Which input channels each output map sees for a grouped convolution, with its counts live.

    Parameters
    ----------
    C_in, C_out, groups : int
        Where the sliders start (each from 1 to 16).

    Returns
    -------
    Explorer
        Controls ``C_in``, ``C_out``, ``groups``, ``kernel_size``. A ``groups`` that does not
        divide both channel counts is answered in words.
    """
    figure = GroupsFigure(most_groups=MOST_CHANNELS)
    slider = dict(min=1, max=MOST_CHANNELS, continuous_update=True)
    controls = {
        "C_in": widgets.IntSlider(value=C_in, description="C_in", **slider),
        "C_out": widgets.IntSlider(value=C_out, description="C_out", **slider),
        "groups": widgets.IntSlider(value=groups, description="groups", **slider),
        "kernel_size": widgets.IntSlider(value=3, min=1, max=7, step=2, description="kernel size"),
    }

    def update(C_in, C_out, groups, kernel_size):
        C_in, C_out, groups = check_groups(C_in, C_out, groups)  # words when groups does not divide them
        sees = group_connections(C_in, C_out, groups)
        kind = ("a full convolution" if groups == 1 else
                "depthwise" if groups == C_in else f"{groups} groups")
        counts = grouped_counts(C_in, C_out, groups, kernel_size, OUTPUT_SIDE)
        figure.show(sees, groups, f"{kind}: each map sees {C_in // groups} of the {C_in} input channels\n"
                                  f"{counts['weights']:,} weights ({kernel_size} x {kernel_size} kernels), "
                                  f"{counts['multiply_adds']:,} multiply-adds")
        full = grouped_counts(C_in, C_out, 1, kernel_size, OUTPUT_SIDE)
        k = kernel_size
        return (f"weights: C_out &times; C_in / groups &times; kH &times; kW = {C_out} &times; {C_in // groups} "
                f"&times; {k} &times; {k} = <b>{counts['weights']:,}</b> (without biases); multiply-adds for a "
                f"{OUTPUT_SIDE} x {OUTPUT_SIDE} output: {OUTPUT_SIDE} &times; {OUTPUT_SIDE} &times; {C_out} &times; "
                f"{counts['per_map']} = <b>{counts['multiply_adds']:,}</b>, so {2 * counts['multiply_adds']:,} FLOPs "
                "(a multiply and an add each, as lesson 08 counts them). "
                + ("groups = 1 is the full convolution of lesson 06: every map has a kernel for every channel."
                   if groups == 1 else
                   f"A full convolution (groups = 1) would need {full['weights']:,} weights and "
                   f"{full['multiply_adds']:,} multiply-adds: {full['weights'] // counts['weights']} times as many."))

    return Explorer(update, controls, figure.fig)


def _signed(value):
    """A weight in a sum: negative ones in brackets, ``(&minus;1)``."""
    return f"(&minus;{-value:g})" if value < 0 else f"{value:g}"


def _transpose_kernel(name, size):
    if name == "ones":
        return np.ones((size, size))
    return images.small_weights(size, seed=SMALL_WEIGHTS_SEED)


def explore_transpose(image=None, default="small numbers"):
    """A transposed convolution, stamp by stamp: pick an input pixel and see where its stamp lands.

    Each input pixel multiplies the kernel by its value (its stamp) and adds it onto the
    output with its top-left corner ``stride`` pixels further for each step along the
    input, minus ``padding`` (which crops the output). Where stamps overlap they add up.

    Parameters
    ----------
    image : ndarray of shape (H, W) or (H, W, 3), or a file path, optional
        Your own picture (its central 4 x 4 is used).
    default : str
        The sample whose central 4 x 4 is shown first.

    Returns
    -------
    Explorer
        Controls ``image``, ``kernel``, ``kernel_size``, ``stride``, ``padding``, ``row``, ``col``.
    """
    chooser = ImageChooser(gray=True, default=default, own=image,
                           choices=("small numbers", "impulse", "checkerboard", "stripes"))
    figure = TransposeFigure()
    side = TRANSPOSE_SIDE - 1
    controls = {
        "image": chooser.control,
        "kernel": widgets.Dropdown(options=["ones", "small weights"], value="ones", description="kernel"),
        "kernel_size": widgets.IntSlider(value=3, min=1, max=4, description="kernel size"),
        "stride": widgets.IntSlider(value=2, min=1, max=3, description="stride"),
        "padding": widgets.IntSlider(value=0, min=0, max=2, description="padding"),
        "row": widgets.IntSlider(value=2, min=0, max=side, description="input row"),
        "col": widgets.IntSlider(value=1, min=0, max=side, description="input column"),
    }

    def update(image, kernel, kernel_size, stride, padding, row, col):
        x = images.centre_crop(chooser.array(image), TRANSPOSE_SIDE)
        if row >= x.shape[0] or col >= x.shape[1]:
            raise ValueError(f"the picture's centre is only {x.shape[0]} x {x.shape[1]} pixels: pick a row below "
                             f"{x.shape[0]} and a column below {x.shape[1]}")
        w = _transpose_kernel(kernel, kernel_size)
        output = conv_transpose2d(x, w, stride=stride, padding=padding)  # words when padding crops it all
        whole = conv_transpose2d(x, w, stride=stride)  # the colour scale: cropping keeps inside it
        ends = np.outer([x.min(), x.max()], [w.min(), w.max()])
        figure.set_scene((float(x.min()), float(x.max()) or 1.0), (min(float(ends.min()), 0.0), float(ends.max()) or 1.0),
                         (min(float(whole.min()), 0.0), float(whole.max()) or 1.0))
        stamp = x[row, col] * w
        top, left = row * stride - padding, col * stride - padding  # where the stamp's corner lands
        H_out, W_out = output.shape
        t, l = max(top, 0), max(left, 0)
        b, r = min(top + kernel_size, H_out), min(left + kernel_size, W_out)
        # The output pixel whose sum is spelled out: the stamp's last, where the next stamps overlap it.
        i = int(np.clip(top + kernel_size - 1, 0, H_out - 1))
        j = int(np.clip(left + kernel_size - 1, 0, W_out - 1))
        figure.show(x, (row, col), stamp, f"x[{row}, {col}] x kernel", output,
                    (t, l, max(b - t, 0), max(r - l, 0)), (i, j))
        sources = transpose_sources(i, j, x.shape, kernel_size, stride, padding)
        terms = " + ".join(f"{x[p, q]:g} &times; {_signed(w[a, c])}" for p, q, a, c in sources) or "nothing"
        lands = (f"its stamp lands with its top-left corner at output ({top}, {left}) = "
                 f"({row} &times; {stride} &minus; {padding}, {col} &times; {stride} &minus; {padding})")
        return (f"Input pixel ({row}, {col}) = {x[row, col]:g}: {lands} (orange), and adds "
                f"x[{row}, {col}] &times; kernel there. "
                f"Output size: H_out = {explain_transpose_output_size(x.shape[0], kernel_size, stride, padding)}. "
                f"<br>Output pixel ({i}, {j}) (dashed outline) adds up {len(sources)} stamp{'s' if len(sources) != 1 else ''}: "
                f"{terms} = <b>{output[i, j]:g}</b>.")

    return Explorer(update, controls, figure.fig, extra=[chooser.upload])


def explore_pooling(image=None, default="cat"):
    """Max pooling against average pooling on the same picture, with kernel and stride sliders.

    Parameters
    ----------
    image : ndarray of shape (H, W) or (H, W, 3), or a file path, optional
        Your own picture, offered as "your picture" (and shown first).
    default : str
        The sample image shown first otherwise.

    Returns
    -------
    Explorer
        Controls ``image``, ``kernel_size``, ``stride``.
    """
    chooser = ImageChooser(gray=True, default=default, own=image)
    figure = PoolingFigure()
    controls = {
        "image": chooser.control,
        "kernel_size": widgets.IntSlider(value=2, min=1, max=6, description="kernel size"),
        "stride": widgets.IntSlider(value=2, min=1, max=6, description="stride"),
    }

    def update(image, kernel_size, stride):
        x = chooser.array(image)
        maximum = max_pool2d(x, kernel_size, stride)  # words when the window does not fit
        average = avg_pool2d(x, kernel_size, stride)
        figure.set_scene((float(x.min()), float(x.max())))
        figure.show(x, maximum, average, kernel_size)
        conv = (3, 1, 0, 1)
        _, _, without = receptive_field([conv, conv])
        _, _, field = receptive_field([conv, (kernel_size, stride, 0, 1), conv])
        H, W = x.shape
        return (f"Each output is the largest value (max) or the mean (average) of a {kernel_size} x {kernel_size} "
                f"window, windows {stride} apart; nothing is learned. Output height: "
                f"{explain_output_size(H, kernel_size, stride)}. <br>Receptive field (lesson 07): a 3x3 "
                f"convolution, this pooling, then a 3x3 convolution: each pixel of the last map sees "
                f"<b>{field} x {field}</b> input pixels, against {without} x {without} for the two convolutions "
                "without the pooling.")

    return Explorer(update, controls, figure.fig, extra=[chooser.upload])
