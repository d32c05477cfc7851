"""Explorer for notebooks/07_stacking_layers.ipynb: sizes shrink, receptive fields grow."""

from __future__ import annotations

import ipywidgets as widgets

from ..nn.activations import relu
from ..nn.conv_layer import make_stack, run_stack
from ..plot.stacking import StackFigure
from ..receptive_field import receptive_field, receptive_field_table
from ._base import Explorer
from ._sources import ImageChooser


def explore_stacking(image=None, default="cat"):
    """Layers, kernel size, stride and padding of a stack, with its shapes and receptive field live.

    Parameters
    ----------
    image : ndarray of shape (H, W, 3), or a file path, optional
        Your own picture, offered as "your picture".
    default : str
        The sample image shown first otherwise.

    Returns
    -------
    Explorer
        Controls ``image``, ``layers``, ``kernel_size``, ``stride``, ``padding``,
        ``kernels``, ``relu``.
    """
    chooser = ImageChooser(gray=False, default=default, own=image)
    figure = StackFigure()
    controls = {
        "image": chooser.control,
        "layers": widgets.IntSlider(value=2, min=1, max=6, description="layers"),
        # Odd sizes only, so that padding (k - 1) / 2 keeps the size, as the lesson says.
        "kernel_size": widgets.IntSlider(value=3, min=1, max=7, step=2, description="kernel size"),
        "stride": widgets.IntSlider(value=1, min=1, max=3, description="stride"),
        "padding": widgets.IntSlider(value=0, min=0, max=3, description="padding"),
        "kernels": widgets.Dropdown(options=[("random (He)", False), ("edge detectors", True)],
                                    value=False, description="kernels"),
        "relu": widgets.Checkbox(value=False, description="ReLU between layers"),
    }

    def update(image, layers, kernel_size, stride, padding, kernels, relu):
        x = chooser.array(image)
        settings = [(kernel_size, stride, padding, 1)] * layers
        table = receptive_field_table(x.shape[0], settings)  # raises in words when a layer does not fit
        stack = make_stack(layers, kernel_size, stride, padding, designed=kernels)
        outputs = run_stack(x, stack, activation=relu_function if relu else None)
        last = outputs[-1][:, :, 0]
        pixel = (last.shape[0] // 2, last.shape[1] // 2)
        field = receptive_field(settings, *pixel)
        figure.show(x, last, field, pixel, [x.shape[0]] + [row["output_size"] for row in table],
                    [1] + [row["field"] for row in table])
        shapes = " &rarr; ".join([f"{x.shape}"] + [f"{tuple(out.shape)}" for out in outputs])
        return (f"shapes: {shapes}<br>the marked output pixel sees a {field[2]} x {field[2]} "
                f"square of the input")

    relu_function = relu
    return Explorer(update, controls, figure.fig, extra=[chooser.upload])
