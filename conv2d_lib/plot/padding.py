"""The padding lesson's figure: the padded input with the original's border drawn, and the output."""

from __future__ import annotations

import numpy as np

from ._panels import LEGIBLE_PT, MapPanel, frame_box, new_figure, set_box


class PaddingFigure:
    """Two panels: the padded input (the original image framed) and the output map.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    padded, output : MapPanel
    border : matplotlib.patches.Rectangle
        Frames the original image inside the padded one.

    The colour limits depend on the image and the kernel only, never on the padding:
    the input's run from ``min(0, image.min())`` to ``image.max()`` (every mode pads
    with zeros or with the image's own values), the output's are those of the
    ``reference`` output (the kernel on the unpadded image), so a padded border that
    comes out darker or brighter shows as such. Outputs that are never negative
    (a blur) are grey, signed ones diverging around 0.
    """

    def __init__(self):
        self.fig, (ax_in, ax_out) = new_figure(2, width=9.5, height=4.0)
        self.fig.subplots_adjust(left=0.07, right=0.88, bottom=0.13, top=0.83, wspace=0.5)
        self.padded = MapPanel(ax_in, np.zeros((2, 2)), "padded input", label="pixel value")
        self.border = frame_box(ax_in)
        ax_in.legend(handles=[self.border], loc="lower center", bbox_to_anchor=(0.5, 1.1),
                     frameon=False, fontsize=LEGIBLE_PT, handlelength=2.5)
        self.output = MapPanel(ax_out, np.zeros((2, 2)), "output", signed="auto", label="output value")

    def show(self, padded, pads, output, input_shape, reference=None):
        """Show a padded input (H + pads, W + pads) and its output (H_out, W_out).

        Parameters
        ----------
        padded : ndarray, shape (Hp, Wp)
        pads : ((int, int), (int, int))
            ``((top, bottom), (left, right))``, to frame the original image.
        output : ndarray, shape (H_out, W_out)
        input_shape : (int, int)
            ``(H, W)`` of the image before padding.
        reference : ndarray, shape (H - kH + 1, W - kW + 1), optional
            The output without padding, whose range sets the output's colour limits
            (default: the output's own range).
        """
        (top, _), (left, _) = pads
        h, w = input_shape
        original = padded[top:top + h, left:left + w]
        self.padded.vrange = (min(0.0, float(original.min())), float(original.max()))
        if reference is not None:
            low, high = float(reference.min()), float(reference.max())
            self.output.vrange = (min(low, 0.0) if low >= 0 else low, high)
        self.padded.set(padded, f"padded input, {padded.shape[0]} x {padded.shape[1]}")
        set_box(self.border, top, left, h, w)
        self.output.set(output, f"output, {output.shape[0]} x {output.shape[1]}")
