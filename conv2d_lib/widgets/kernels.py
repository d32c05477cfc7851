"""Explorers for notebooks/02_kernels.ipynb: cross-correlation step by step, and a kernel gallery."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import kernels
from ..conv import conv2d, output_size
from ..plot.correlation import CorrelationFigure, GalleryFigure, short
from ..windows import window_products
from ._base import Explorer
from ._sources import ImageChooser



def _written_sum(window, kernel, total):
    """``2·1 + 1·0 + ... = 3``, the sum an output pixel is, as HTML."""
    terms = [f"{short(a)}&middot;{'(' + short(b) + ')' if short(b).startswith('-') else short(b)}"
             for a, b in zip(window.ravel(), kernel.ravel())]
    return " + ".join(terms) + f" = <b>{total:.4g}</b>"


def explore_cross_correlation(image=None, default="small numbers"):
    """Cross-correlation one output pixel at a time: window, kernel, products, sum, output.

    Pick an output position with the ``row`` and ``column`` sliders: the window it
    sees is outlined on the input, each product ``window x weight`` is printed, and
    their sum is the highlighted output pixel. Ticking ``flip`` lays the kernel
    down flipped, which is true convolution.

    Parameters
    ----------
    image : ndarray of shape (H, W) or (H, W, 3), or a file path, optional
        Your own picture, offered as "your picture" (and shown first).
    default : str
        The sample image shown first otherwise (one of ``images.SAMPLES``).

    Returns
    -------
    Explorer
        Controls ``image``, ``kernel``, ``flip``, ``row``, ``col``.
    """
    chooser = ImageChooser(gray=True, default=default, own=image)
    figure = CorrelationFigure()
    controls = {
        "image": chooser.control,
        "kernel": widgets.Dropdown(options=[kernels.SMALL_WEIGHTS] + kernels.names(), value=kernels.SMALL_WEIGHTS,
                                   description="kernel"),
        "flip": widgets.Checkbox(value=False, description="flip the kernel (true convolution)"),
        "row": widgets.IntSlider(value=0, min=0, max=0, description="output row"),
        "col": widgets.IntSlider(value=0, min=0, max=0, description="output col"),
    }

    def fit_sliders(change=None):
        """Let the sliders reach exactly the output's rows and columns."""
        try:
            h_out, w_out = output_size(chooser.array(controls["image"].value).shape,
                                       kernels.from_menu(controls["kernel"].value).shape)
        except ValueError:  # kernel larger than the picture: update() says so in words
            return
        controls["row"].max, controls["col"].max = h_out - 1, w_out - 1

    # Registered before the Explorer's own observers, so the sliders fit the new
    # image before it refreshes (changing max may clamp a slider's value).
    controls["image"].observe(fit_sliders, names="value")
    controls["kernel"].observe(fit_sliders, names="value")
    fit_sliders()

    def update(image, kernel, flip, row, col):
        x, k = chooser.array(image), kernels.from_menu(kernel)
        if flip:
            k = k[::-1, ::-1]
        output = conv2d(x, k)
        window, products, total = window_products(x, k, row, col)
        figure.show(x, k, window, products, total, output, row, col, flipped=flip)
        return f"out[{row}, {col}] = " + _written_sum(window, k, total)

    return Explorer(update, controls, figure.fig, extra=[chooser.upload])


def explore_kernel_gallery(image=None, default="cat", start="identity"):
    """The named kernels applied to a picture, next to a 3 x 3 kernel you type in yourself.

    Parameters
    ----------
    image : ndarray of shape (H, W) or (H, W, 3), or a file path, optional
        Your own picture, offered as "your picture" (and shown first).
    default : str
        The sample image shown first otherwise (one of ``images.SAMPLES``).
    start : str
        The named 3 x 3 kernel your own kernel starts from.

    Returns
    -------
    Explorer
        Controls ``image``, ``kernel`` and ``w00`` ... ``w22`` (your kernel's nine weights,
        ``w<row><column>``).
    """
    chooser = ImageChooser(gray=True, default=default, own=image)
    figure = GalleryFigure()
    first = kernels.get(start)
    if first.shape != (3, 3):
        raise ValueError(f"start must name a 3 x 3 kernel, got {start!r} of shape {first.shape}")
    boxes = {f"w{r}{c}": widgets.BoundedFloatText(value=float(first[r, c]), min=-10.0, max=10.0, step=1.0,
                                                  tooltip=f"kernel weight, row {r}, column {c}",
                                                  layout=widgets.Layout(width="5em"))
             for r in range(3) for c in range(3)}
    controls = {
        "image": chooser.control,
        "kernel": widgets.Dropdown(options=kernels.names(), value="sobel_x", description="kernel"),
        **boxes,
    }

    def update(image, kernel, **weights):
        x, k = chooser.array(image), kernels.get(kernel)
        own = np.array([[weights[f"w{r}{c}"] for c in range(3)] for r in range(3)])
        figure.show(x, kernel, k, conv2d(x, k), conv2d(x, own))
        return f"<b>{kernel}</b>: {kernels.describe(kernel)}"

    explorer = Explorer(update, controls, figure.fig)
    grid = widgets.GridBox(list(boxes.values()),
                           layout=widgets.Layout(grid_template_columns="repeat(3, 5.5em)"))
    own = widgets.VBox([widgets.HTML("<b>your kernel</b> (type a number, Enter)"), grid])
    top = widgets.HBox([widgets.VBox([chooser.control, chooser.upload, controls["kernel"]]), own],
                       layout=widgets.Layout(align_items="center", grid_gap="2em"))
    explorer.widget.children = (top, explorer.message, explorer.picture)
    return explorer
