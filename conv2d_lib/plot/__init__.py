"""Figures for the lessons: matplotlib only, no convolution maths.

Every helper draws on an ``ax`` it is given (or builds its own ``Figure``) and
returns the artists it will later update in place, so that explorers can call
``set_data`` instead of drawing a new figure on every slider move.
"""

from ._panels import (
    DIVERGING_CMAP,
    HIGHLIGHT,
    IMAGE_CMAP,
    LEGIBLE_PT,
    MapPanel,
    PixelLocator,
    PixelMark,
    ValueGrid,
    frame_box,
    new_figure,
    outline_box,
    pin_labels,
    readable_on,
    set_box,
)
from ._render import render_png, render_veiled_png

__all__ = ["new_figure", "render_png", "render_veiled_png", "MapPanel", "ValueGrid", "outline_box", "set_box", "pin_labels",
           "readable_on", "frame_box", "PixelMark", "PixelLocator", "DIVERGING_CMAP", "IMAGE_CMAP", "HIGHLIGHT",
           "LEGIBLE_PT"]
