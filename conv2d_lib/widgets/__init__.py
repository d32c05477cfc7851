"""Explorers: ipywidgets controls wired to conv2d_lib's maths and figures.

This is the only part of the package that imports ipywidgets. Each
``explore_*`` function returns an :class:`Explorer`; showing it in a notebook
shows its controls and its figure. Its ``update`` is a plain function of the
control values, so tests drive it without a browser.
"""

from ._base import Explorer
from ._sources import ImageChooser
from .padding import explore_padding

__all__ = ["Explorer", "ImageChooser", "explore_padding"]
