"""Explorer for notebooks/05_bias.ipynb: a bias slider shifts the feature map, ReLU cuts it at 0."""

from __future__ import annotations

import ipywidgets as widgets

from .. import activations, kernels
from .._checks import check_choice
from ..conv import conv2d
from ..plot.bias import BiasFigure
from ._base import Explorer
from ._sources import ImageChooser

SMALL_WEIGHTS_SEED = 3  # with the "small numbers" image: outputs of both signs, 3 of 9 above 0
BIAS_LIMIT = 2.0


def explore_bias(image=None, default="cat", kernel="sobel_x"):
    """A bias slider and a ReLU toggle on one feature map, with the histogram of its values.

    The colour limits stay fixed while the bias moves (they change only with the
    image or the kernel), so adding a bias visibly shifts every pixel, and the
    histogram slides with it.

    Parameters
    ----------
    image : ndarray of shape (H, W) or (H, W, 3), or a file path, optional
        Your own picture, offered as "your picture" (and shown first).
    default : str
        The sample image shown first otherwise (one of ``images.SAMPLES``).
    kernel : str
        The kernel shown first: one of ``kernels.names()`` or ``"small weights"``
        (3 x 3 weights in {-1, 0, 1}, ``images.small_weights(3, seed=3)``, which give
        the "small numbers" image outputs of both signs).

    Returns
    -------
    Explorer
        Controls ``image``, ``kernel``, ``bias``, ``relu``.

    Raises
    ------
    ValueError
        When ``kernel`` is not one of the offered kernels.
    """
    check_choice(kernel, "kernel", tuple(kernels.names()) + (kernels.SMALL_WEIGHTS,))
    chooser = ImageChooser(gray=True, default=default, own=image)
    figure = BiasFigure()
    controls = {
        "image": chooser.control,
        "kernel": widgets.Dropdown(options=kernels.names() + [kernels.SMALL_WEIGHTS], value=kernel,
                                   description="kernel"),
        "bias": widgets.FloatSlider(value=0.0, min=-BIAS_LIMIT, max=BIAS_LIMIT, step=0.05,
                                    description="bias b", readout_format="+.2f", continuous_update=True),
        "relu": widgets.Checkbox(value=False, description="ReLU after"),
    }
    scene = {"image": None, "kernel": None}

    def update(image, kernel, bias, relu):
        x, k = chooser.array(image), kernels.from_menu(kernel, seed=SMALL_WEIGHTS_SEED)
        if scene["image"] is not x or scene["kernel"] != kernel:
            # Colour limits and histogram bins fixed for this image and kernel, whatever the bias.
            figure.set_scene(conv2d(x, k), BIAS_LIMIT)
            scene.update(image=x, kernel=kernel)
        output = conv2d(x, k, bias=bias)
        shown = activations.relu(output) if relu else output
        passing = activations.active_fraction(output)
        title = f"relu(conv2d(image, {kernel}, bias={bias:+.2f}))" if relu else \
            f"conv2d(image, {kernel}, bias={bias:+.2f})"
        figure.show(output, bias, relu, shown=shown, title=title)
        h_out, w_out = output.shape
        count = round(passing * output.size)
        if relu:
            return (f"ReLU on: <b>{passing:.0%} of pixels pass</b> ({count} of {output.size}): those whose "
                    f"correlation without bias is above -b = {0.0 - bias:g}. The rest (grey bars) become 0.")
        sign = "+" if bias >= 0 else "&minus;"
        return (f"Each of the {h_out} x {w_out} output pixels = its correlation without bias {sign} "
                f"{abs(bias):g}. {passing:.0%} of them are above 0 ({count} of {output.size}): "
                "those would pass a ReLU.")

    return Explorer(update, controls, figure.fig, extra=[chooser.upload])

