"""Figures for notebooks/12_tiny_cnn.ipynb: training curves, the confusion matrix, the digits it gets
wrong, and the first layer's kernels with their feature maps. Drawing only: the numbers come from
``conv2d_lib.nn``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from ._panels import DIVERGING_CMAP, IMAGE_CMAP, LEGIBLE_PT, MapPanel, new_figure, pin_labels, readable_on

__all__ = ["TrainingFigure", "DigitFigure", "mosaic", "confusion_figure", "mistakes_figure", "COUNTS_CMAP",
           "KERNEL_LIMIT", "INK_MAX"]

#: Counts of pictures (not an image, not signed values): a sequential map that is colour-blind safe.
COUNTS_CMAP = "Blues"
#: Fixed colour limit of first-layer weights, so a kernel's colours mean the same before and after training.
KERNEL_LIMIT = 1.5
#: The digits' largest ink value: scikit-learn stores 0..16 per pixel.
INK_MAX = 16
GAP = "#d9d9d9"  # between the tiles of a mosaic
LOSS, TRAIN, TEST = "#4d4d4d", "#ffb000", "#2166ac"  # dark grey, orange, blue: told apart without colour vision


def _bare(ax):
    """A small multiple: no ticks (its place in the grid says which kernel it is)."""
    ax.set_xticks([])
    ax.set_yticks([])


def mosaic(tiles, cols):
    """Tiles (K, h, w) laid out ``cols`` to a row, one blank (NaN) pixel between them: one image, one draw.

    Sixteen small axes cost sixteen frames to draw on every refresh; one image of all the
    tiles costs one.
    """
    tiles = np.asarray(tiles, float)
    count, h, w = tiles.shape
    rows = -(-count // cols)
    out = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan)
    for k in range(count):
        r, c = divmod(k, cols)
        out[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w] = tiles[k]
    return out


def _mosaic_panel(ax, shape, cols, limit, tile_shape):
    """A diverging image of a mosaic, fixed limits, no ticks; the tiles' gaps show in light grey."""
    image = ax.imshow(mosaic(np.zeros((shape, *tile_shape)), cols), cmap=DIVERGING_CMAP, vmin=-limit, vmax=limit,
                      interpolation="nearest")
    _bare(ax)
    ax.set_facecolor(GAP)  # NaN pixels are transparent: the gaps show the axes' grey
    for spine in ax.spines.values():
        spine.set_visible(False)
    return image


class TrainingFigure:
    """The loss of every batch, the accuracy after every epoch, and the first layer's kernels, live.

    The axes span the whole run from the start (``epochs`` epochs of ``batches`` batches), so
    the curves grow to the right and the scales never jump; the kernels keep the colour limits
    ``+-KERNEL_LIMIT``.

    Parameters
    ----------
    epochs, batches : int
        The run's length: epochs, and batches per epoch.
    kernels : int, default 16
        How many first-layer kernels are drawn (4 x 4).

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    loss_line, train_line, test_line : matplotlib.lines.Line2D
    kernel_image : AxesImage
        The kernels side by side (:func:`mosaic`), ``+-KERNEL_LIMIT``.
    """

    def __init__(self, epochs, batches, kernels=16):
        self.fig, (ax_loss, ax_acc) = new_figure(2, width=9.5, height=3.6)
        ax_loss.set_position([0.075, 0.16, 0.27, 0.66])
        ax_acc.set_position([0.43, 0.16, 0.22, 0.66])
        self.ax_loss, self.ax_acc, self.batches = ax_loss, ax_acc, batches
        ax_loss.set_yscale("log")
        ax_loss.set_xlim(0, epochs)
        ax_loss.set_ylim(0.005, 5.0)
        ax_loss.set_xlabel("epoch")
        ax_loss.set_ylabel("loss (log scale)")
        (self.loss_line,) = ax_loss.plot([], [], color=LOSS, linewidth=1.0)
        ax_acc.set_xlim(0.5, epochs + 0.5)
        ax_acc.set_ylim(0.0, 1.0)
        ax_acc.set_xlabel("epoch")
        ax_acc.set_ylabel("accuracy")
        ax_acc.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax_loss.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        (self.train_line,) = ax_acc.plot([], [], "o-", color=TRAIN, markersize=4, label="training")
        (self.test_line,) = ax_acc.plot([], [], "s--", color=TEST, markersize=4, label="test")
        ax_acc.legend(loc="lower right", fontsize=LEGIBLE_PT, frameon=False)
        for ax, title in ((ax_loss, "loss of each batch"), (ax_acc, "share of digits right")):
            pin_labels(ax, left=38)
            ax.set_title(title, y=1.0, pad=8)
        self.side = int(np.ceil(np.sqrt(kernels)))
        self.kernels = kernels
        self.ax_kernels = self.fig.add_axes([0.685, 0.12, 0.21, 0.66])
        self.kernel_image = _mosaic_panel(self.ax_kernels, kernels, self.side, KERNEL_LIMIT, (3, 3))
        self.fig.colorbar(self.kernel_image, cax=self.fig.add_axes([0.905, 0.16, 0.012, 0.58])).set_label("weight")
        self.kernel_title = self.fig.text(0.79, 0.845, "first-layer kernels", ha="center", fontsize=LEGIBLE_PT + 1)
        # In the loss panel's texts (placed on the figure), so a test of the panels sees it change.
        self.title = ax_loss.text(0.5, 0.93, "", ha="center", fontsize=LEGIBLE_PT + 2, transform=self.fig.transFigure)

    def reset(self, weights, title):
        """Empty curves and the kernels ``weights`` (C_out, 1, kH, kW) of a network about to be trained."""
        for line in (self.loss_line, self.train_line, self.test_line):
            line.set_data([], [])
        self.set_kernels(weights)
        self.title.set_text(title)

    def set_kernels(self, weights):
        self.kernel_image.set_data(mosaic(np.asarray(weights)[:self.kernels, 0], self.side))

    def show(self, history, title):
        """Draw a training run so far: ``history`` as :func:`conv2d_lib.nn.digits.training_steps` yields it."""
        losses = np.asarray(history["loss"], float)
        self.loss_line.set_data(np.arange(1, len(losses) + 1) / self.batches, losses)
        for line, values in ((self.train_line, history["train_accuracy"]), (self.test_line, history["test_accuracy"])):
            line.set_data(np.arange(1, len(values) + 1), values)
        self.set_kernels(history["model"].layers[0].weights)
        self.title.set_text(title)


class DigitFigure:
    """A digit, the first layer's kernels and the feature map each makes of it (and the answer, as bars).

    The kernels (top two rows) keep ``+-KERNEL_LIMIT``; each feature map sits under its kernel's
    place (bottom two rows: map ``k`` in the same column as kernel ``k``), with colour limits
    fixed for the network (``map_limit``), so one colour means one value for every digit.

    Parameters
    ----------
    weights : ndarray, shape (C_out, 1, kH, kW)
        The first layer's kernels; 16 are drawn.
    map_limit : float
        Colour limit of the feature maps (symmetric about 0).
    probabilities : bool, default False
        Also draw the network's probability for each class, as 10 bars.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    digit : MapPanel
    kernel_image, map_image : AxesImage
        The kernels and the maps side by side (:func:`mosaic`).
    bars : BarContainer or None
    """

    def __init__(self, weights, map_limit, probabilities=False):
        weights = np.asarray(weights)[:16, 0]
        self.fig, ax_digit = new_figure(1, width=9.5, height=5.0)
        box = [0.06, 0.50, 0.20, 0.34] if probabilities else [0.06, 0.30, 0.20, 0.40]
        ax_digit.set_position(box)
        self.digit = MapPanel(ax_digit, np.zeros((8, 8)), "the digit", vrange=(0, INK_MAX), label="ink (0-16)")
        self.bars = None
        if probabilities:
            ax_bars = self.fig.add_axes([0.06, 0.10, 0.22, 0.24])
            self.bars = ax_bars.bar(np.arange(10), np.zeros(10), color=TEST)
            ax_bars.set_xlim(-0.6, 9.6)
            ax_bars.set_ylim(0, 1)
            ax_bars.set_xticks(np.arange(10))
            ax_bars.set_yticks([0, 0.5, 1])
            ax_bars.set_xlabel("digit")
            ax_bars.set_ylabel("probability")
            pin_labels(ax_bars, below=22, left=30)
            self.ax_bars = ax_bars
        self.ax_kernels = self.fig.add_axes([0.34, 0.50, 0.55, 0.32])
        self.kernel_image = _mosaic_panel(self.ax_kernels, len(weights), 8, KERNEL_LIMIT, weights.shape[1:])
        self.kernel_image.set_data(mosaic(weights, 8))
        kh, kw = weights.shape[1:]
        for k in range(len(weights)):  # each kernel's number above it
            r, c = divmod(k, 8)
            self.ax_kernels.text(c * (kw + 1) + (kw - 1) / 2, r * (kh + 1) - 0.55, str(k + 1), ha="center",
                                 va="bottom", fontsize=LEGIBLE_PT)
        self.count = len(weights)
        self.ax_maps = self.fig.add_axes([0.34, 0.05, 0.55, 0.34])
        self.map_image = _mosaic_panel(self.ax_maps, self.count, 8, map_limit, (8, 8))
        for image, bottom, label in ((self.kernel_image, 0.52, "weight"), (self.map_image, 0.07, "map value")):
            bar_ax = self.fig.add_axes([0.905, bottom, 0.015, 0.28])
            self.fig.colorbar(image, cax=bar_ax).set_label(label)
        self.fig.text(0.62, 0.875, "first-layer kernels (3 x 3 weights), numbered", ha="center",
                      fontsize=LEGIBLE_PT + 1)
        self.fig.text(0.62, 0.405, "the feature map each kernel makes of this digit (8 x 8), same places",
                      ha="center", fontsize=LEGIBLE_PT + 1)

    def show(self, ink, maps, title, probabilities=None):
        """The digit ``ink`` (8, 8) in 0..16, its feature maps (8, 8, C_out), and the answer's probabilities (10,)."""
        self.digit.set(ink, title)
        self.map_image.set_data(mosaic(np.moveaxis(np.asarray(maps)[:, :, :self.count], -1, 0), 8))
        if self.bars is not None and probabilities is not None:
            best = int(np.argmax(probabilities))
            for digit, (bar, p) in enumerate(zip(self.bars, probabilities)):
                bar.set_height(float(p))
                bar.set_color(TEST if digit == best else "#bbbbbb")


def confusion_figure(counts):
    """The confusion matrix as a picture: true digit down, predicted digit across, counts in the cells.

    Parameters
    ----------
    counts : ndarray, shape (10, 10), int
        From :func:`conv2d_lib.nn.confusion_matrix`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    counts = np.asarray(counts)
    fig, ax = new_figure(1, width=6.0, height=5.0)
    ax.set_position([0.12, 0.12, 0.66, 0.76])
    image = ax.imshow(counts, cmap=COUNTS_CMAP, vmin=0, vmax=max(int(counts.max()), 1), interpolation="nearest")
    classes = np.arange(counts.shape[0])
    ax.set_xticks(classes)
    ax.set_yticks(classes)
    ax.set_xlabel("predicted digit (the network's answer)")
    ax.set_ylabel("true digit")
    for (r, c), value in np.ndenumerate(counts):
        if value or r == c:
            ax.text(c, r, str(value), ha="center", va="center", fontsize=LEGIBLE_PT + 1,
                    color=readable_on(image, value), fontweight="bold" if r != c else "normal")
    fig.colorbar(image, cax=ax.inset_axes([1.04, 0.0, 0.045, 1.0])).set_label("test pictures")
    right = int(np.trace(counts))
    ax.set_title(f"{right} of {int(counts.sum())} test digits right: the diagonal", y=1.0, pad=8)
    return fig


def mistakes_figure(images, labels, predicted, limit=12):
    """The test digits the network gets wrong, each with its true label and the network's answer.

    Parameters
    ----------
    images : ndarray, shape (N, 8, 8) or (N, 8, 8, 1)
        The pictures it got wrong, values in [0, 1].
    labels, predicted : ndarray, shape (N,)
    limit : int, default 12
        At most this many are drawn (in two rows of 6).

    Returns
    -------
    matplotlib.figure.Figure
    """
    shown = min(len(labels), limit)
    cols = 6
    rows = max(1, int(np.ceil(shown / cols)))
    fig, _ = new_figure(1, width=8.0, height=1.9 * rows + 0.5)
    fig.axes[0].remove()
    height = 1.0 / rows
    for index in range(shown):
        r, c = divmod(index, cols)
        ax = fig.add_axes([0.02 + c / cols * 0.96 + 0.02, 1 - (r + 1) * height + 0.06 * height,
                           0.96 / cols - 0.05, height * 0.62])
        _bare(ax)
        ax.imshow(np.asarray(images[index]).reshape(8, 8) * INK_MAX, cmap=IMAGE_CMAP, vmin=0, vmax=INK_MAX,
                  interpolation="nearest")
        ax.set_title(f"true {labels[index]}, said {predicted[index]}", y=1.0, pad=4, fontsize=LEGIBLE_PT + 1)
    if not shown:
        fig.text(0.5, 0.5, "no test digit is wrong", ha="center", fontsize=LEGIBLE_PT + 2)
    return fig
