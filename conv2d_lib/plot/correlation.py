"""The kernels lesson's figures: cross-correlation step by step, and a kernel gallery.

Matplotlib only: the explorers compute windows, products and outputs with the
library and hand the arrays here. Introduced in notebooks/02_kernels.ipynb.
"""

from __future__ import annotations

import numpy as np

from matplotlib.ticker import FixedLocator, MaxNLocator

from ._panels import HIGHLIGHT, MapPanel, PixelLocator, PixelMark, ValueGrid, new_figure, pin_labels


def _place(axes, lefts, width, bottom, fig_width, fig_height):
    """Square panels side by side at the given left edges (figure fractions)."""
    height = width * fig_width / fig_height
    for ax, left in zip(axes, lefts):
        ax.set_position([left, bottom, width, height])


def _ticks(fig, state):
    """Every row and column numbered on small panels, a few whole numbers on large ones.

    ``state`` (a dict kept by the figure) remembers each axis's choice, so that a
    locator is replaced only when the array's size changes.
    """
    for ax in fig.axes:
        for axis, (low, high) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            if not axis.get_major_ticks() or not axis.get_ticklabels():
                continue  # a panel drawn without ticks
            size = int(round(abs(high - low)))
            small = size <= 9
            if state.get(axis) != (small, size if small else None):
                state[axis] = (small, size if small else None)
                axis.set_major_locator(FixedLocator(range(size)) if small else PixelLocator(4))


def short(value):
    """A number as a learner would write it: ``2``, ``-1``, ``0.46``, ``0.0029``."""
    text = f"{value:.2g}"
    return "0" if text == "-0" else text


def _title(panel, text):
    """A two-line title that fits above a narrow panel, at a fixed height.

    A fixed ``y`` spares matplotlib from measuring the tick labels on every draw
    to place the title (about a tenth of a live refresh).
    """
    panel.ax.title.set_text(text)  # keeps its pinned place (pin_labels)
    panel.ax.title.set_fontsize(10)


def _fixed_labels(panels):
    """Pin axis labels a little closer than the default (narrow panels); fewer colorbar ticks."""
    for panel in panels:
        pin_labels(panel.ax, below=22, left=26)
        if panel.colorbar is not None:
            panel.colorbar.locator = MaxNLocator(nbins=4)


class ProductGrid:
    """Each cell of a small panel labelled ``window x weight = product``, updated in place.

    Kernels up to ``full`` pixels a side show the two factors and the product;
    up to ``limit`` a side only the product; larger ones print nothing (and so do
    cells too small for legible numbers).
    """

    def __init__(self, ax, fontsize=11, full=3, limit=7):
        self.fontsize, self.full = fontsize, full
        self.grid = ValueGrid(ax, fontsize=fontsize, limit=limit)

    @property
    def texts(self):
        return self.grid.texts

    def set(self, window, weights, products, mapper=None):
        """Label every cell of ``products`` (shape (kH, kW)) with its factors and value."""
        full = max(products.shape) <= self.full
        rows = list(zip(window, weights, products))
        if full:  # the factors and the product, if they fit their cells
            labels = [[f"{short(x)}\u00d7{_paren(k)}\n={short(p)}" for x, k, p in zip(*row)] for row in rows]
            self.grid.set(products, mapper=mapper, labels=labels)
            if self.grid.shown_size is not None:
                return
        self.grid.set(products, mapper=mapper, labels=[[short(p) for p in row[2]] for row in rows])


def _paren(value):
    text = short(value)
    return f"({text})" if text.startswith("-") else text


class CorrelationFigure:
    """Four panels: input with the window, kernel, window x kernel with the numbers, output with the pixel.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    input, kernel, products, output : MapPanel
    window_box, pixel_box : matplotlib.patches.Rectangle
        The receptive field on the input, and the output pixel its sum lands in.
    """

    def __init__(self):
        self._tick_state = {}
        self.fig, axes = new_figure(4, width=9.5, height=3.0)
        _place(axes, (0.055, 0.35, 0.535, 0.745), 0.15, 0.17, 9.5, 3.0)
        ax_in, ax_k, ax_p, ax_out = axes
        zeros = np.zeros((3, 3))
        self.input = MapPanel(ax_in, zeros, "input", label="pixel value")
        self.kernel = MapPanel(ax_k, zeros, "kernel", signed=True, colorbar=False)
        self.products = MapPanel(ax_p, zeros, "window \u00d7 kernel", signed=True, colorbar=False)
        self.output = MapPanel(ax_out, zeros, "output", signed="auto", label="output value")
        self.input_numbers = ValueGrid(ax_in, fmt="{:.2g}")
        self.kernel_numbers = ValueGrid(ax_k, fmt="{:.2g}", fontsize=12)
        self.product_numbers = ProductGrid(ax_p)
        self.output_numbers = ValueGrid(ax_out, fmt="{:.3g}")
        # On a photo the window and the pixel are a few points wide: a ring then shows where they are.
        self.window_mark = PixelMark(ax_in, linewidth=3.0)
        self.pixel_mark = PixelMark(ax_out, linewidth=3.0)
        self.window_box, self.pixel_box = self.window_mark.box, self.pixel_mark.box
        # Orange is "this step": the window, its products and the pixel their sum fills.
        _fixed_labels((self.input, self.kernel, self.products, self.output))
        for spine in ax_p.spines.values():
            spine.set_edgecolor(HIGHLIGHT)
            spine.set_linewidth(3.0)
        self.kernel.ax.set_xlabel("kernel column")
        self.kernel.ax.set_ylabel("kernel row")
        # Same rows and columns as the kernel beside it: no ticks or labels, fewer texts to draw.
        ax_p.set_xlabel("")
        ax_p.set_ylabel("")
        ax_p.set_xticks([])
        ax_p.set_yticks([])

    def show(self, image, kernel, window, products, total, output, row, col, flipped=False):
        """Show one step of the cross-correlation.

        Parameters
        ----------
        image : ndarray, shape (H, W)
        kernel : ndarray, shape (kH, kW)
            The kernel as it is laid on the window (already flipped for true convolution).
        window, products : ndarray, shape (kH, kW)
            The input pixels under the kernel, and ``window * kernel``.
        total : float
            ``products.sum()``, the output value at ``(row, col)``.
        output : ndarray, shape (H_out, W_out)
        row, col : int
            The output position; the window's top-left input pixel is ``(row, col)``.
        flipped : bool
            Whether ``kernel`` was flipped (true convolution), for the titles.
        """
        k_h, k_w = kernel.shape
        self.input.set(image)
        _title(self.input, f"input {image.shape[0]} \u00d7 {image.shape[1]}\n"
                           f"window: rows {row}\u2013{row + k_h - 1}\ncols {col}\u2013{col + k_w - 1}")
        self.input_numbers.set(image, mapper=self.input.image)
        self.window_mark.set(row, col, k_h, k_w)

        name = "kernel, flipped\n(true convolution)" if flipped else "kernel\n(as it is: cross-correlation)"
        self.kernel.set(kernel)
        _title(self.kernel, name)
        self.kernel_numbers.set(kernel, mapper=self.kernel.image)

        # Colour limits that hold while the window moves: no product can pass max|x| max|k|.
        bound = float(np.abs(image).max() * np.abs(kernel).max()) or 1.0
        self.products.vrange = (-bound, bound)
        self.products.set(products)
        _title(self.products, f"window \u00d7 kernel\nsum = {total:.3g}")
        self.product_numbers.set(window, kernel, products, mapper=self.products.image)

        self.output.set(output)
        _title(self.output, f"output {output.shape[0]} \u00d7 {output.shape[1]}\n"
                            f"out[{row}, {col}] = {total:.3g}")
        self.output_numbers.set(output, mapper=self.output.image)
        self.pixel_mark.set(row, col, 1, 1)
        _ticks(self.fig, self._tick_state)


class GalleryFigure:
    """Four large panels: the input and a named kernel's weights above, its output and your kernel's below.

    The panels are large enough (about 300 pixels wide) that a photo is shown at its own
    size or larger: a 3 x 3 blur shrunk to a thumbnail would look like the input.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    input, kernel, named_output, own_output : MapPanel
    """

    def __init__(self):
        self._tick_state = {}
        self.fig, axes = new_figure(2, 2, width=9.5, height=6.2)
        (ax_in, ax_k), (ax_named, ax_own) = axes
        for ax, (left, bottom) in zip((ax_in, ax_k, ax_named, ax_own),
                                      ((0.075, 0.56), (0.575, 0.56), (0.075, 0.075), (0.575, 0.075))):
            ax.set_position([left, bottom, 0.33, 0.35])
        zeros = np.zeros((3, 3))
        self.input = MapPanel(ax_in, zeros, "input", label="pixel value")
        self.kernel = MapPanel(ax_k, zeros, "kernel", signed=True, colorbar=False)
        self.kernel.ax.set_xlabel("kernel column")
        self.kernel.ax.set_ylabel("kernel row")
        self.kernel_numbers = ValueGrid(self.kernel.ax, fmt="{:.2g}", fontsize=13)
        self.named_output = MapPanel(ax_named, zeros, "output", signed="auto", label="output value")
        self.own_output = MapPanel(ax_own, zeros, "your kernel's output", signed="auto", label="output value")
        _fixed_labels((self.input, self.kernel, self.named_output, self.own_output))

    def show(self, image, name, kernel, named_output, own_output):
        """Show the input, the kernel called ``name`` with its numbers, and both outputs.

        Parameters
        ----------
        image : ndarray, shape (H, W)
        name : str
        kernel : ndarray, shape (kH, kW)
        named_output, own_output : ndarray, shape (H_out, W_out)
        """
        self.input.set(image)
        _title(self.input, f"input {image.shape[0]} \u00d7 {image.shape[1]}")
        self.kernel.set(kernel)
        _title(self.kernel, f"kernel {name}, {kernel.shape[0]} \u00d7 {kernel.shape[1]}")
        _ticks(self.fig, self._tick_state)
        self.kernel_numbers.set(kernel, mapper=self.kernel.image,
                                labels=[[short(v) for v in row] for row in kernel])
        self.named_output.set(named_output)
        _title(self.named_output, f"output of {name}")
        self.own_output.set(own_output)
        _title(self.own_output, "output of your kernel")
        _ticks(self.fig, self._tick_state)
