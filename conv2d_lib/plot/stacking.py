"""Figures for stacked layers: the results grid, the red-channel example, and the live stack figure."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FormatStrFormatter

from ..images import CHANNEL_NAMES
from ._panels import DIVERGING_CMAP, IMAGE_CMAP, LEGIBLE_PT, MapPanel, PixelMark, ValueGrid, new_figure



def _bare(ax):
    ax.set_xticks([])
    ax.set_yticks([])


def stack_figure(image, outputs, title, maps_per_layer=4):
    """The input, its channels, and every layer's output maps, each titled with its shape.

    Parameters
    ----------
    image : ndarray, shape (H, W, 3)
        Values in [0, 1] or uint8.
    outputs : list of ndarray, each of shape (H_i, W_i, C_out_i)
        What each layer produced (computed by the caller).
    title : str
    maps_per_layer : int, default 4
        How many maps of each layer to show.

    Returns
    -------
    matplotlib.figure.Figure
        One row for the input and one per layer. Output maps use a diverging
        colormap centred on 0, with limits shared along each row.
    """
    rows, cols = 1 + len(outputs), 1 + maps_per_layer
    width = 9.5  # what a notebook or the README shows without scaling it down
    row_height = 0.68 * width / cols + 0.35
    fig, axes = new_figure(cols, rows, width=width, height=row_height * rows + 0.6, wspace=0.12, hspace=0.45)
    fig.subplots_adjust(left=0.02, right=0.9, top=1 - 0.6 / (row_height * rows + 0.6), bottom=0.02)
    fig.suptitle(title, fontsize=11)
    axes = np.atleast_2d(axes)
    axes[0, 0].imshow(image)
    axes[0, 0].set_title(f"input {tuple(image.shape)}", fontsize=LEGIBLE_PT)
    for c in range(cols - 1):
        ax = axes[0, c + 1]
        if c < 3:
            ax.imshow(image[:, :, c], cmap=IMAGE_CMAP)
            ax.set_title(f"{CHANNEL_NAMES[c]} channel", fontsize=LEGIBLE_PT)
        else:
            ax.set_visible(False)
    for row, out in enumerate(outputs, start=1):
        bound = float(np.abs(out[:, :, :maps_per_layer]).max()) or 1.0
        axes[row, 0].text(0.5, 0.5, f"layer {row}\noutput\n{tuple(out.shape)}", ha="center",
                          va="center", fontsize=10, transform=axes[row, 0].transAxes)
        axes[row, 0].axis("off")
        for m in range(maps_per_layer):
            ax = axes[row, m + 1]
            if m >= out.shape[2]:
                ax.set_visible(False)
                continue
            shown = ax.imshow(out[:, :, m], cmap=DIVERGING_CMAP, vmin=-bound, vmax=bound)
            ax.set_title(f"map {m}", fontsize=LEGIBLE_PT)
        colorbar = fig.colorbar(shown, ax=axes[row, 1:].tolist(), fraction=0.02, pad=0.01)
        colorbar.set_label("value", fontsize=LEGIBLE_PT)
        colorbar.ax.tick_params(labelsize=LEGIBLE_PT)
    for ax in axes.ravel():
        _bare(ax)
    return fig


def single_channel_figure(channel, kernel, output, title):
    """One input channel, the kernel with its numbers, and the intermediate output.

    Parameters
    ----------
    channel : ndarray, shape (H, W)
    kernel : ndarray, shape (kH, kW)
    output : ndarray, shape (H_out, W_out)
    title : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, (ax_in, ax_k, ax_out) = new_figure(3, width=9.5, height=3.4)
    fig.suptitle(title, fontsize=11)
    # Fixed places: each colorbar and its label end before the next panel's axis labels.
    # The kernel's weights are printed on it, in the output's diverging colours: no colorbar.
    ax_in.set_position([0.06, 0.14, 0.22, 0.66])
    ax_k.set_position([0.445, 0.14, 0.16, 0.66])
    ax_out.set_position([0.68, 0.14, 0.2, 0.66])
    MapPanel(ax_in, channel, f"red channel {channel.shape}", label="pixel value")
    kernel_panel = MapPanel(ax_k, kernel, f"kernel {kernel.shape}", signed=True, colorbar=False)
    ValueGrid(ax_k, fmt="{:.2f}", fontsize=11).set(kernel, mapper=kernel_panel.image)
    MapPanel(ax_out, output, f"intermediate output {output.shape}", signed=True, label="output value")
    return fig


class StackFigure:
    """Live figure: the input with one output pixel's receptive field, the last layer's map, and sizes.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    """

    def __init__(self):
        self.fig, (ax_in, ax_out, ax_sizes) = new_figure(3, width=9.5, height=4.0)
        ax_in.set_position([0.065, 0.12, 0.25, 0.66])
        ax_out.set_position([0.39, 0.12, 0.25, 0.66])
        ax_sizes.set_position([0.81, 0.12, 0.17, 0.66])
        self.input = MapPanel(ax_in, np.zeros((2, 2)), "input", label="pixel value")
        self.input.colorbar.ax.set_visible(False)  # an RGB picture: no colour scale
        self.field_mark = PixelMark(ax_in)
        # Every setting is a new stack with outputs of its own size: the map gets its own
        # symmetric scale, which the colorbar's label says.
        self.output = MapPanel(ax_out, np.zeros((2, 2)), "last layer", signed=True,
                               label="output value (this stack's scale)")
        self.pixel_mark = PixelMark(ax_out)
        self.field, self.pixel = self.field_mark.box, self.pixel_mark.box
        self.size_line, = ax_sizes.plot([], [], "o-", color="#648fff", label="output size (pixels)")
        self.field_line, = ax_sizes.plot([], [], "s--", color="#dc267f", label="receptive field (pixels)")
        ax_sizes.set_xlabel("layer")
        ax_sizes.set_ylabel("pixels (log scale)")
        ax_sizes.set_yscale("log", base=2)  # a field of 3 and a map of 150 both stay readable
        ax_sizes.yaxis.set_major_formatter(FormatStrFormatter("%g"))  # 128, not 2^7
        ax_sizes.legend(fontsize=LEGIBLE_PT, loc="lower center", bbox_to_anchor=(0.3, 1.0), frameon=False)
        ax_sizes.grid(alpha=0.3)
        self.ax_sizes = ax_sizes

    def show(self, image, output_map, field, pixel, sizes, fields):
        """Update every artist in place.

        Parameters
        ----------
        image : ndarray, shape (H, W)
        output_map : ndarray, shape (H_out, W_out)
        field : (int, int, int)
            ``(top, left, size)`` of the receptive field on the input.
        pixel : (int, int)
            The output pixel whose field is shown.
        sizes, fields : list of int
            Output size and receptive field size after each layer, input first.
        """
        self.input.set(image, f"input {image.shape[0]} x {image.shape[1]}")
        top, left, size = field
        self.field_mark.set(top, left, size, size)
        self.output.set(output_map, f"last layer, map 0:\n{output_map.shape[0]} x {output_map.shape[1]}")
        self.pixel_mark.set(pixel[0], pixel[1], 1, 1)
        layers = np.arange(len(sizes))
        self.size_line.set_data(layers, sizes)
        self.field_line.set_data(layers, fields)
        self.ax_sizes.set_xlim(-0.3, max(len(sizes) - 0.7, 1))
        self.ax_sizes.set_ylim(0.8, max(max(sizes), max(fields)) * 1.5)
        self.ax_sizes.set_xticks(layers)
