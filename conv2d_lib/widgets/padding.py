"""Explorer for notebooks/03_padding.ipynb: padding size and mode, live output size."""

from __future__ import annotations

import ipywidgets as widgets

from .. import kernels
from ..conv import PADDING_MODES, conv2d, explain_output_size, pad, resolve_padding
from ..plot.padding import PaddingFigure
from ._base import Explorer
from ._sources import ImageChooser


def explore_padding(image=None, default="checkerboard"):
    """Padding size, padding mode and "same", with the padded input and the output shown live.

    Parameters
    ----------
    image : ndarray of shape (H, W) or (H, W, 3), or a file path, optional
        Your own picture, offered as "your picture" (and shown first).
    default : str
        The sample image shown first otherwise.

    Returns
    -------
    Explorer
        Controls ``image``, ``kernel``, ``padding``, ``padding_mode``, ``same``.
    """
    chooser = ImageChooser(gray=True, default=default, own=image)
    figure = PaddingFigure()
    controls = {
        "image": chooser.control,
        "kernel": widgets.Dropdown(options=kernels.names(), value="box_blur", description="kernel"),
        "padding": widgets.IntSlider(value=0, min=0, max=8, description="padding"),
        "padding_mode": widgets.Dropdown(options=PADDING_MODES, value="zeros", description="mode"),
        "same": widgets.Checkbox(value=False, description="'same' padding"),
    }

    def update(image, kernel, padding, padding_mode, same):
        x, k = chooser.array(image), kernels.get(kernel)
        padding = "same" if same else padding
        pads = resolve_padding(padding, k.shape)
        output = conv2d(x, k, padding=padding, padding_mode=padding_mode)
        figure.show(pad(x, pads, padding_mode), pads, output, x.shape, reference=conv2d(x, k))
        (h, w), (k_h, k_w) = x.shape, k.shape
        (top, bottom), (left, right) = pads
        used = (f"'same' pads {top} above, {bottom} below, {left} left and {right} right<br>"
                if same else "")
        return (f"{used}output height: {explain_output_size(h, k_h, padding=padding)}<br>"
                f"output width: {explain_output_size(w, k_w, padding=padding)}")

    def follow_same(change):
        # With "same" the padding is worked out, not chosen: the slider would do nothing.
        controls["padding"].disabled = change["new"]

    controls["same"].observe(follow_same, names="value")
    return Explorer(update, controls, figure.fig, extra=[chooser.upload])
