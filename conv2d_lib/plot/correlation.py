"""The kernels lesson's figures: cross-correlation step by step, and a kernel gallery.

Matplotlib only: the explorers compute windows, products and outputs with the
library and hand the arrays here. Introduced in notebooks/02_kernels.ipynb.
"""

from __future__ import annotations

import numpy as np

from matplotlib.ticker import FixedLocator, MaxNLocator

from ._panels import MapPanel, ValueGrid, new_figure, outline_box, pin_labels, set_box

HIGHLIGHT = "#ffb000"  # orange: the window on the input and the pixel it fills on the output


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
                axis.set_major_locator(FixedLocator(range(size)) if small else MaxNLocator(nbins=4, integer=True))


def short(value):
    """A number as a learner would write it: ``2``, ``-1``, ``0.46``, ``0.0029``."""
    text = f"{value:.2g}"
    return "0" if text == "-0" else text


def _title(panel, text):
    """A two-line title that fits above a narrow panel, at a fixed height.

    A fixed ``y`` spares matplotlib from measuring the tick labels on every draw
    to place the title (about a tenth of a live refresh).
    """
    panel.ax.set_title(text, y=1.0, fontsize=9.5)


def _fixed_labels(panels):
    """Pin axis labels a little closer than the default (narrow panels); fewer colorbar ticks."""
    for panel in panels:
        pin_labels(panel.ax, below=19, left=24)
        if panel.colorbar is not None:
            panel.colorbar.locator = MaxNLocator(nbins=4)


def _fit_numbers(grid, side, base=8.0):
    """Shrink a ValueGrid's numbers so that a 5 x 5 or 7 x 7 kernel's weights fit their cells."""
    size = base if side <= 3 else base * 0.72 if side <= 5 else base * 0.55
    for text in grid.texts:
        text.set_fontsize(size)


class ProductGrid:
    """Each cell of a small panel labelled ``window x weight = product``, updated in place.

    Kernels up to ``full`` pixels a side show the two factors and the product;
    up to ``limit`` a side only the product; larger ones print nothing.
    """

    def __init__(self, ax, fontsize=7, full=3, limit=7):
        self.fontsize, self.full = fontsize, full
        self.grid = ValueGrid(ax, fontsize=fontsize, limit=limit)

    @property
    def texts(self):
        return self.grid.texts

    def set(self, window, weights, products, mapper=None):
        """Label every cell of ``products`` (shape (kH, kW)) with its factors and value."""
        full = max(products.shape) <= self.full
        labels = [[f"{short(x)}\n\u00d7{_paren(k)}\n={short(p)}" if full else short(p)
                   for x, k, p in zip(*rows)] for rows in zip(window, weights, products)]
        self.grid.set(products, mapper=mapper, labels=labels,
                      fontsize=self.fontsize if full else self.fontsize - 1.5)


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
        self.fig, axes = new_figure(4, width=9.5, height=2.7)
        _place(axes, (0.06, 0.345, 0.55, 0.765), 0.155, 0.17, 9.5, 2.7)
        ax_in, ax_k, ax_p, ax_out = axes
        zeros = np.zeros((3, 3))
        self.input = MapPanel(ax_in, zeros, "input", label="pixel value")
        self.kernel = MapPanel(ax_k, zeros, "kernel", signed=True, colorbar=False)
        self.products = MapPanel(ax_p, zeros, "window \u00d7 kernel", signed=True, colorbar=False)
        self.output = MapPanel(ax_out, zeros, "output", signed="auto", cmap="gray", label="output value")
        self.input_numbers = ValueGrid(ax_in, fmt="{:.2g}")
        self.kernel_numbers = ValueGrid(ax_k, fmt="{:.2g}", fontsize=9)
        self.product_numbers = ProductGrid(ax_p)
        self.output_numbers = ValueGrid(ax_out, fmt="{:.3g}")
        self.window_box = outline_box(ax_in, color=HIGHLIGHT, linewidth=3.0)
        self.pixel_box = outline_box(ax_out, color=HIGHLIGHT, linewidth=3.0)
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
                           f"window: rows {row}\u2013{row + k_h - 1}, cols {col}\u2013{col + k_w - 1}")
        self.input_numbers.set(image, mapper=self.input.image)
        set_box(self.window_box, row, col, k_h, k_w)

        name = "kernel, flipped\n(true convolution)" if flipped else "kernel\n(as it is: cross-correlation)"
        self.kernel.set(kernel)
        _title(self.kernel, name)
        self.kernel_numbers.set(kernel, mapper=self.kernel.image)
        _fit_numbers(self.kernel_numbers, max(kernel.shape))

        self.products.set(products)
        _title(self.products, f"window \u00d7 kernel\nsum = {total:.3g}")
        self.product_numbers.set(window, kernel, products, mapper=self.products.image)

        self.output.set(output)
        _title(self.output, f"output {output.shape[0]} \u00d7 {output.shape[1]}\n"
                            f"out[{row}, {col}] = {total:.3g}")
        self.output_numbers.set(output, mapper=self.output.image)
        set_box(self.pixel_box, row, col, 1, 1)
        _ticks(self.fig, self._tick_state)


class GalleryFigure:
    """Four panels: the input, a named kernel's weights, its output, and the output of your own kernel.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    input, kernel, named_output, own_output : MapPanel
    """

    def __init__(self):
        self._tick_state = {}
        self.fig, axes = new_figure(4, width=9.5, height=2.5)
        _place(axes, (0.065, 0.33, 0.52, 0.785), 0.125, 0.18, 9.5, 2.5)
        ax_in, ax_k, ax_named, ax_own = axes
        zeros = np.zeros((3, 3))
        self.input = MapPanel(ax_in, zeros, "input", label="pixel value")
        self.kernel = MapPanel(ax_k, zeros, "kernel", signed=True, colorbar=False)
        self.kernel.ax.set_xlabel("kernel column")
        self.kernel.ax.set_ylabel("kernel row")
        self.kernel_numbers = ValueGrid(self.kernel.ax, fmt="{:.2g}", fontsize=8)
        self.named_output = MapPanel(ax_named, zeros, "output", signed="auto", cmap="gray",
                                     label="output value")
        self.own_output = MapPanel(ax_own, zeros, "your kernel's output", signed="auto", cmap="gray",
                                   label="output value")
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
        _title(self.kernel, f"{name}\n{kernel.shape[0]} \u00d7 {kernel.shape[1]}")
        self.kernel_numbers.set(kernel, mapper=self.kernel.image)
        _fit_numbers(self.kernel_numbers, max(kernel.shape), base=7.5)
        self.named_output.set(named_output)
        _title(self.named_output, f"output of {name}")
        self.own_output.set(own_output)
        _title(self.own_output, "output of your kernel")
        _ticks(self.fig, self._tick_state)
