"""The padding lesson's figure: the padded input with the original's border drawn, and the output."""

from __future__ import annotations

import numpy as np

from ._panels import MapPanel, new_figure, outline_box, set_box


class PaddingFigure:
    """Two panels: the padded input (the original image framed) and the output map.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    padded, output : MapPanel
    border : matplotlib.patches.Rectangle
        Frames the original image inside the padded one.
    """

    def __init__(self):
        self.fig, (ax_in, ax_out) = new_figure(2, width=9.5, height=4.0)
        self.padded = MapPanel(ax_in, np.zeros((2, 2)), "padded input", label="pixel value")
        self.border = outline_box(ax_in, color="#ffb000", linewidth=2.5)
        self.border.set_label("the original image")
        ax_in.legend(handles=[self.border], loc="lower center", bbox_to_anchor=(0.5, 1.08),
                     frameon=False, fontsize=8)
        self.output = MapPanel(ax_out, np.zeros((2, 2)), "output", signed="auto", label="output value")

    def show(self, padded, pads, output, input_shape):
        """Show a padded input (H + pads, W + pads) and its output (H_out, W_out).

        Parameters
        ----------
        padded : ndarray, shape (Hp, Wp)
        pads : ((int, int), (int, int))
            ``((top, bottom), (left, right))``, to frame the original image.
        output : ndarray, shape (H_out, W_out)
        input_shape : (int, int)
            ``(H, W)`` of the image before padding.
        """
        (top, _), (left, _) = pads
        h, w = input_shape
        self.padded.set(padded, f"padded input, {padded.shape[0]} x {padded.shape[1]}")
        set_box(self.border, top, left, h, w)
        self.output.set(output, f"output, {output.shape[0]} x {output.shape[1]}")
