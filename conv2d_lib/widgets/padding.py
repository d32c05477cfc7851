"""Explorer for notebooks/03_padding.ipynb: padding size and mode, live output size."""

from __future__ import annotations

import ipywidgets as widgets

from .. import kernels
from ..conv import PADDING_MODES, conv2d, pad, resolve_padding
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
        Controls ``image``, ``kernel``, ``padding``, ``padding_mode``, ``same``. The
        mode menu is disabled while there is no padding to fill (padding 0), and the
        message says so.
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
        if not top + bottom + left + right:
            used += (f"padding 0: there is no frame to fill, so the <b>mode</b> ({padding_mode}) changes "
                     "nothing; move <b>padding</b> above 0 to use it<br>")
        # Stride 1 here, so the size is the formula of this lesson, n + 2p - k + 1 (no floor yet).
        return (f"{used}output height: {_size_sum(h, top, bottom, k_h)}<br>"
                f"output width: {_size_sum(w, left, right, k_w)}")

    def follow_same(change=None):
        # With "same" the padding is worked out, not chosen: the slider would do nothing.
        controls["padding"].disabled = controls["same"].value
        # With no padding there is nothing for the mode to fill: say so on the menu itself.
        no_frame = controls["padding"].value == 0 and not controls["same"].value
        controls["padding_mode"].disabled = no_frame
        controls["padding_mode"].tooltip = ("padding 0: no frame to fill, so the mode changes nothing"
                                            if no_frame else "what fills the padding frame")

    follow_same()
    controls["same"].observe(follow_same, names="value")
    controls["padding"].observe(follow_same, names="value")
    return Explorer(update, controls, figure.fig, extra=[chooser.upload])


def _size_sum(n, before, after, k):
    """``32 + 2 x 1 - 3 + 1 = 32``: the stride-1 output size with its numbers, as lesson 03 writes it."""
    pads = f"2 x {before}" if before == after else f"{before} + {after}"
    return f"{n} + {pads} - {k} + 1 = <b>{n + before + after - k + 1}</b>"
