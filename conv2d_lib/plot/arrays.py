"""Figures for notebooks/01_images_as_arrays.ipynb: an image's channels, and a patch zoomed in.

Drawing only: the explorers in ``conv2d_lib.widgets.arrays`` slice the arrays and
hand them here; these classes move their existing artists to show them.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import ConnectionPatch

from ..images import CHANNEL_LETTERS, CHANNEL_NAMES
from ._panels import HIGHLIGHT, MapPanel, PixelLocator, ValueGrid, new_figure, outline_box, pin_labels, set_box
from ._render import draw_with_data


# The box drawn on the photo: a dark outline under a bright one, visible on any picture.
_BOX_DARK, _BOX_BRIGHT = "black", HIGHLIGHT


class ChannelsFigure:
    """Four panels: an image in colour, then its red, green and blue channels side by side.

    Each channel is shown either in grey (``"gray"``: bright = much of that colour),
    which reads the same for every kind of colour vision, or ``"tinted"`` (the channel's
    values drawn in its own colour, black where it is 0). Every panel is labelled.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    picture : MapPanel
        The image in colour.
    channels : list of MapPanel, length 3
        One panel per channel, in the order R, G, B.
    """

    def __init__(self):
        self.fig, axes = new_figure(4, width=9.5, height=3.0, wspace=0.3)
        self.fig.subplots_adjust(left=0.065, right=0.92, bottom=0.19, top=0.76)
        self.picture = MapPanel(axes[0], np.zeros((2, 2, 3)), "the image", colorbar=False)
        self.channels = [MapPanel(ax, np.zeros((2, 2)), colorbar=(i == 2), label="channel value")
                         for i, ax in enumerate(axes[1:])]
        for ax in axes:
            pin_labels(ax)
            ax.xaxis.set_major_locator(PixelLocator(3))  # narrow panels: few ticks
            ax.yaxis.set_major_locator(PixelLocator(4))
        for ax in axes[1:]:
            ax.set_ylabel("")
        self._suptitle = self.fig.suptitle("", fontsize=10, y=0.99)

    def show(self, image, mode="gray", vrange=(0.0, 1.0), name="image"):
        """Show ``image`` and its three channels.

        Parameters
        ----------
        image : ndarray, shape (H, W, 3)
            Floats in ``vrange`` (or uint8 with ``vrange=(0, 255)``).
        mode : {"gray", "tinted"}
        vrange : (float, float)
            The value range shared by all channels (so that equal values look equal).
        name : str
            What the image is called in the figure's title.
        """
        low, high = vrange
        scaled = np.clip((np.asarray(image, dtype=float) - low) / (high - low), 0.0, 1.0)
        self.picture.set(scaled, f"{name} in colour\nshape {image.shape}")
        for index, panel in enumerate(self.channels):
            plane = image[:, :, index]
            title = f"{CHANNEL_LETTERS[index]} ({CHANNEL_NAMES[index]})\nimage[:, :, {index}]"
            panel.vrange = vrange
            if mode == "tinted":
                tinted = np.zeros(scaled.shape)
                tinted[:, :, index] = scaled[:, :, index]
                panel.set(tinted, title)
            else:
                panel.set(plane, title)
            if panel.colorbar is not None:
                panel.colorbar.ax.set_visible(mode != "tinted")
        self._suptitle.set_text("one (H, W, 3) array = three (H, W) channels: "
                                + ("bright means much of that colour" if mode == "gray"
                                   else "each channel drawn in its own colour"))


class PatchFigure:
    """The whole image with a patch outlined, and the patch enlarged with its numbers printed.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    whole : MapPanel
        The full image, in colour.
    box : list of matplotlib.patches.Rectangle
        The outline of the patch on the full image (a dark and a bright line).
    patch : MapPanel
        One channel of the patch, enlarged, in grey.
    numbers : ValueGrid
        The patch's values printed on its pixels.
    """

    def __init__(self):
        self.fig, (ax_whole, ax_patch) = new_figure(2, width=9.5, height=4.8, wspace=0.3)
        self.fig.subplots_adjust(left=0.07, right=0.9, bottom=0.12, top=0.87)
        self.whole = MapPanel(ax_whole, np.zeros((2, 2, 3)), "the image", colorbar=False)
        self.box = [outline_box(ax_whole, color=_BOX_DARK, linewidth=3.5),
                    outline_box(ax_whole, color=_BOX_BRIGHT, linewidth=1.8)]
        self.patch = MapPanel(ax_patch, np.zeros((2, 2)), "the patch", label="pixel value")
        pin_labels(ax_whole)
        pin_labels(ax_patch)
        self.numbers = ValueGrid(ax_patch, fmt="{:.0f}", fontsize=12)
        draw_with_data(ax_patch.xaxis, ax_patch.yaxis)  # numbered by the patch's place: they change with it
        # Two lines from the box's corners to the enlarged patch: "this is that, zoomed in".
        self.links = []
        for _ in range(2):
            link = ConnectionPatch((0, 0), (0, 0), "data", "data", axesA=ax_patch, axesB=ax_whole,
                                   color=_BOX_BRIGHT, linewidth=1.0, linestyle="--")
            self.fig.add_artist(link)
            self.links.append(link)

    def show(self, image, top, left, patch, vrange=(0.0, 1.0), fmt="{:.0f}", channel="R",
             index_text=""):
        """Show ``image`` with the box at ``(top, left)`` and ``patch`` enlarged beside it.

        Parameters
        ----------
        image : ndarray, shape (H, W, 3)
            The whole image, floats in ``vrange``.
        top, left : int
            The patch's first row and column in ``image``.
        patch : ndarray, shape (h, w)
            The values to print (one channel, or grey), ``h, w <= 15``.
        vrange : (float, float)
            The colour range of the patch panel (``(0, 255)`` for uint8 pixels).
        fmt : str
            How each value is printed.
        channel : str
            The channel's name, for the titles.
        index_text : str
            The NumPy expression that cuts the patch out, shown as the patch's title.
        """
        low, high = vrange
        height, width = patch.shape
        scaled = np.clip((np.asarray(image, dtype=float) - low) / (high - low), 0.0, 1.0)
        self.whole.set(scaled, f"the whole image, shape {image.shape}")
        for rect in self.box:
            set_box(rect, top, left, height, width)
        self.patch.vrange = vrange
        self.patch.set(patch, f"{index_text}\n{channel}, enlarged")
        self.numbers.fmt = fmt
        self.numbers.set(patch, mapper=self.patch.image)  # as large as the pixels allow
        # The patch panel's own axes count from 0; label them with the image's rows/columns.
        ax = self.patch.ax
        rows, cols = np.arange(height), np.arange(width)
        step = 1 if max(height, width) <= 8 else 2
        ax.set_yticks(rows[::step], [str(top + r) for r in rows[::step]])
        ax.set_xticks(cols[::step], [str(left + c) for c in cols[::step]])
        # Link the box's left corners to the patch's left corners (the patch sits to the right).
        corners = [((-0.5, -0.5), (left + width - 0.5, top - 0.5)),
                   ((-0.5, height - 0.5), (left + width - 0.5, top + height - 0.5))]
        for link, (on_patch, on_whole) in zip(self.links, corners):
            link.xy1, link.xy2 = on_patch, on_whole
