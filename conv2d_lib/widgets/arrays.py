"""Explorers for notebooks/01_images_as_arrays.ipynb: an image's channels, and a patch of pixels."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import images
from ..plot.arrays import ChannelsFigure, PatchFigure
from ._base import Explorer
from ._sources import ImageChooser

CHANNELS = {**{letter: c for c, letter in enumerate(images.CHANNEL_LETTERS)}, "gray": None}
_CHANNEL_WORDS = {**{letter: f"channel {letter} ({name})" for letter, name in zip(images.CHANNEL_LETTERS,
                                                                                  images.CHANNEL_NAMES)},
                  "gray": "grey (brightness)"}


def _value_range(pixels):
    """Colour limits that show these numbers as they are: 0-255 for uint8, else from 0 (or below) up."""
    if pixels.dtype == np.uint8:
        return 0.0, 255.0
    low, high = float(pixels.min()), float(pixels.max())
    low = min(0.0, low)
    return low, max(high, low + 1.0)


def explore_image_patch(image=None, default="cat"):
    """Pick a row, a column and a size: see that patch of the image outlined, enlarged and in numbers.

    Parameters
    ----------
    image : ndarray of shape (H, W) or (H, W, 3), or a file path, optional
        Your own picture, offered as "your picture" (and shown first).
    default : str
        The sample image shown first otherwise (one of ``images.SAMPLES``).

    Returns
    -------
    Explorer
        Controls ``image``, ``row``, ``column``, ``size``, ``channel``. The row and
        column sliders reach as far as the patch still fits in the picture.
    """
    chooser = ImageChooser(gray=False, default=default, own=image)
    figure = PatchFigure()
    controls = {
        "image": chooser.control,
        "row": widgets.IntSlider(value=40, min=0, max=142, description="row"),
        "column": widgets.IntSlider(value=100, min=0, max=217, description="column"),
        # 6 x 6 to start: 36 printed numbers keep a refresh quick.
        "size": widgets.IntSlider(value=6, min=4, max=12, description="patch size"),
        "channel": widgets.Dropdown(options=list(CHANNELS), value="G", description="channel"),
    }

    def fit_sliders(change=None):
        # Registered before the Explorer's own observers, so the limits are right when it redraws.
        h, w = chooser.array(controls["image"].value).shape[:2]
        controls["size"].max = max(min(12, h, w), controls["size"].min)  # no patch larger than the image
        size = controls["size"].value
        controls["row"].max = max(h - size, 0)
        controls["column"].max = max(w - size, 0)

    fit_sliders()
    controls["image"].observe(fit_sliders, names="value")
    controls["size"].observe(fit_sliders, names="value")

    def update(image, row, column, size, channel):
        pixels = chooser.pixels(image)
        h, w = pixels.shape[:2]
        height, width = min(size, h), min(size, w)
        top, left = min(row, h - height), min(column, w - width)
        block = pixels[top:top + height, left:left + width]
        index = CHANNELS[channel]
        if index is None:
            patch, code = images.to_gray(block), f"to_gray(image[{top}:{top + height}, {left}:{left + width}])"
        else:
            patch, code = block[:, :, index], f"image[{top}:{top + height}, {left}:{left + width}, {index}]"
        whole = pixels.dtype.kind in "biu"
        figure.show(pixels.astype(float), top, left, patch, vrange=_value_range(pixels),
                    fmt="{:.0f}" if whole else "{:.2g}",
                    channel=_CHANNEL_WORDS[channel], index_text=code)
        r, g, b = pixels[top, left]
        show = (lambda v: f"{int(v):d}") if whole else (lambda v: f"{v:.3g}")
        notes = [f"image shape {pixels.shape}, dtype {pixels.dtype}; "
                 f"the patch's top-left pixel image[{top}, {left}] = (R, G, B) = ({show(r)}, {show(g)}, {show(b)})"]
        if (top, left) != (row, column) or (height, width) != (size, size):
            notes.append(f"the {size} x {size} patch does not fit at row {row}, column {column} of this "
                         f"{h} x {w} image: showing rows {top} to {top + height - 1}, "
                         f"columns {left} to {left + width - 1}")
        if index is None:
            notes.append("grey = 0.299 R + 0.587 G + 0.114 B (how bright the pixel looks)")
        return "<br>".join(notes)

    return Explorer(update, controls, figure.fig, extra=[chooser.upload])


def explore_channels_of_image(image=None, default="cat"):
    """An image in colour and its red, green and blue channels, each as its own picture.

    Parameters
    ----------
    image : ndarray of shape (H, W) or (H, W, 3), or a file path, optional
        Your own picture, offered as "your picture" (and shown first).
    default : str
        The sample image shown first otherwise (one of ``images.SAMPLES``).

    Returns
    -------
    Explorer
        Controls ``image`` and ``show`` (``"gray"``: each channel in grey;
        ``"tinted"``: each in its own colour).
    """
    chooser = ImageChooser(gray=False, default=default, own=image)
    figure = ChannelsFigure()
    controls = {
        "image": chooser.control,
        "show": widgets.ToggleButtons(options=["gray", "tinted"], value="gray",
                                      description="channels in"),
    }

    def update(image, show):
        pixels = chooser.pixels(image)
        figure.show(pixels, show, vrange=_value_range(pixels), name=image)
        low, high = pixels.min(), pixels.max()
        return (f"shape {pixels.shape} = (rows H, columns W, channels C); dtype {pixels.dtype}; "
                f"values from {low:.6g} to {high:.6g}")

    return Explorer(update, controls, figure.fig, extra=[chooser.upload])
