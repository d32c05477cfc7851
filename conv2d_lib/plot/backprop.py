"""The backpropagation lesson's figures: which products make one gradient, and gradients as correlations.

Matplotlib only: the explorers compute the gradients with :mod:`conv2d_lib.backward`
and the pixels involved with :mod:`conv2d_lib.influence`, and hand the arrays here.
Introduced in notebooks/10_backpropagation.ipynb.
"""

from __future__ import annotations

import numpy as np

from ._panels import HIGHLIGHT, MapPanel, PixelMark, ValueGrid, frame_box, new_figure, outline_box, set_box
from .correlation import ProductGrid, _fixed_labels, _place, _ticks, _title, short

__all__ = ["WeightGradientFigure", "PixelGradientFigure", "correlation_picture"]


class LitPixels:
    """Orange outlines on any set of pixels of one panel, from a pool of rectangles reused in place.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    linewidth : float
    """

    def __init__(self, ax, linewidth=2.5):
        self.ax, self.linewidth = ax, linewidth
        self.boxes = []

    def set(self, mask, offset=(0, 0)):
        """Outline every pixel where ``mask`` (a 2-D bool array) is True, its ``[0, 0]`` drawn at ``offset``."""
        where = np.argwhere(np.asarray(mask, bool))
        while len(self.boxes) < len(where):
            box = outline_box(self.ax, color=HIGHLIGHT, linewidth=self.linewidth)
            box.set_zorder(4)
            self.boxes.append(box)
        for index, box in enumerate(self.boxes):
            if index < len(where):
                r, c = where[index]
                set_box(box, offset[0] + r + 0.06, offset[1] + c + 0.06, 0.88, 0.88)
                box.set_visible(True)
            else:
                box.set_visible(False)


def _label_axes(panel, rows, cols):
    panel.ax.set_xlabel(cols)
    panel.ax.set_ylabel(rows)


class WeightGradientFigure:
    """Four panels: the padded input with the pixels one weight multiplied, grad_output, their products, grad_weights.

    The gradient of weight ``(i, j)`` is the sum of the products panel: every input
    pixel the weight met (outlined in orange on the input), times the gradient of the
    output it made (the same place on ``grad_output``). Its sum is the outlined cell
    of ``grad_weights``. Colour limits are fixed per scene (:meth:`set_scene`), so
    they hold while the weight, the stride or the padding moves.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    input, grad_output, products, grad_weights : MapPanel
    lit : LitPixels
        The outlines on the input.
    weight_mark : PixelMark
        The chosen weight on ``grad_weights``.
    frame : matplotlib.patches.Rectangle
        The original image inside its padding.
    """

    def __init__(self):
        self._tick_state = {}
        self.fig, axes = new_figure(4, width=9.5, height=3.3)
        _place(axes, (0.065, 0.34, 0.52, 0.73), 0.14, 0.16, 9.5, 3.3)
        ax_in, ax_g, ax_p, ax_w = axes
        zeros = np.zeros((3, 3))
        self.input = MapPanel(ax_in, zeros, "input", label="pixel value", vrange=(0.0, 1.0))
        self.grad_output = MapPanel(ax_g, zeros, "grad_output", signed=True, colorbar=False, vrange=(-1.0, 1.0))
        self.products = MapPanel(ax_p, zeros, "products", signed=True, colorbar=False, vrange=(-1.0, 1.0))
        self.grad_weights = MapPanel(ax_w, zeros, "grad_weights", signed=True, label="gradient", vrange=(-1.0, 1.0))
        _fixed_labels((self.input, self.grad_output, self.products, self.grad_weights))
        _label_axes(self.input, "padded row", "padded column")
        _label_axes(self.grad_output, "output row", "output column")
        _label_axes(self.grad_weights, "kernel row", "kernel column")
        # The products sit on the output grid, as grad_output beside them: no ticks of their own.
        ax_p.set_xlabel("output column")
        ax_p.set_ylabel("")
        for spine in ax_p.spines.values():
            spine.set_edgecolor(HIGHLIGHT)
            spine.set_linewidth(3.0)
        self.input_numbers = ValueGrid(ax_in, fmt="{:.2g}")
        self.grad_numbers = ValueGrid(ax_g, fmt="{:.2g}")
        self.product_numbers = ProductGrid(ax_p)
        self.weight_numbers = ValueGrid(ax_w, fmt="{:.3g}")
        self.lit = LitPixels(ax_in)
        self.frame = frame_box(ax_in, "the image without its padding")
        self.weight_mark = PixelMark(ax_w, linewidth=3.0)

    def set_scene(self, image_range, grad_bound, product_bound, weight_bound):
        """Fix the colour limits for one image: call it when the image changes, not when a slider moves.

        Parameters
        ----------
        image_range : (float, float)
            The input's grey scale (0 included: padding adds zeros).
        grad_bound, product_bound, weight_bound : float
            The largest ``|value|`` of grad_output, of any product and of any weight
            gradient over every setting the explorer offers.
        """
        self.input.vrange = image_range
        self.grad_output.vrange = (-grad_bound, grad_bound)
        self.products.vrange = (-product_bound, product_bound)
        self.grad_weights.vrange = (-weight_bound, weight_bound)

    def show(self, padded, padding, met, lit, grad_output, products, grad_weights, tap):
        """Show what weight ``tap`` met and how its gradient adds up.

        Parameters
        ----------
        padded : ndarray, shape (H + 2 * padding, W + 2 * padding)
            The input as the kernel slid over it.
        padding : int
        met : ndarray, shape (H_out, W_out)
            The padded pixel tap ``(i, j)`` met at each output.
        lit : ndarray of bool, shape (H + 2 * padding, W + 2 * padding)
            Those pixels, outlined.
        grad_output, products : ndarray, shape (H_out, W_out)
            ``products = met * grad_output``.
        grad_weights : ndarray, shape (kH, kW)
        tap : (int, int)
        """
        i, j = tap
        h, w = padded.shape
        self.input.set(padded)
        _title(self.input, f"input, padded {padding}\n{h} \u00d7 {w}; orange: met\nby weight [{i}, {j}]")
        self.input_numbers.set(padded, mapper=self.input.image)
        self.lit.set(lit)
        self.frame.set_visible(padding > 0)
        set_box(self.frame, padding, padding, h - 2 * padding, w - 2 * padding)

        self.grad_output.set(grad_output)
        _title(self.grad_output, f"grad_output\n{grad_output.shape[0]} \u00d7 {grad_output.shape[1]}\n(given)")
        self.grad_numbers.set(grad_output, mapper=self.grad_output.image)

        total = float(products.sum())
        self.products.set(products)
        _title(self.products, f"pixel met \u00d7 grad\nsum = {short(total)}")
        self.product_numbers.set(met, grad_output, products, mapper=self.products.image)

        self.grad_weights.set(grad_weights)
        _title(self.grad_weights, f"grad_weights\n[{i}, {j}] = {short(total)}")
        self.weight_numbers.set(grad_weights, mapper=self.grad_weights.image)
        self.weight_mark.set(i, j, 1, 1)
        _ticks(self.fig, self._tick_state)


class PixelGradientFigure:
    """Five panels: the input with one pixel, the kernel, grad_output with the outputs it reached; products, grad_image.

    Input pixel ``(y, x)`` took part in every outlined output; in each, one weight
    linked them (outlined on the kernel). The products panel prints each reached
    output's gradient times its linking weight, and their sum is the outlined pixel
    of ``grad_image``. Colour limits are fixed per scene (:meth:`set_scene`).

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    input, kernel, grad_output, products, grad_image : MapPanel
    used, reached, reached_products : LitPixels
        The weights that linked the pixel to an output, and the outputs it reached.
    input_mark, pixel_mark : PixelMark
        The chosen pixel on the input and on ``grad_image``.
    """

    def __init__(self):
        self._tick_state = {}
        # Two rows, read left to right and down: the pixel, the weights that linked it, the outputs
        # it reached; then their products and the sum they make.
        self.fig, axes = new_figure(3, 2, width=9.5, height=6.0)
        (ax_in, ax_k, ax_g), (ax_p, ax_x, spare) = axes
        spare.remove()
        _place((ax_in, ax_k, ax_g), (0.07, 0.38, 0.69), 0.2, 0.57, 9.5, 6.0)
        _place((ax_p, ax_x), (0.225, 0.535), 0.2, 0.09, 9.5, 6.0)
        zeros = np.zeros((3, 3))
        self.input = MapPanel(ax_in, zeros, "input", colorbar=False, vrange=(0.0, 1.0))
        self.kernel = MapPanel(ax_k, zeros, "kernel", signed=True, colorbar=False, vrange=(-1.0, 1.0))
        self.grad_output = MapPanel(ax_g, zeros, "grad_output", signed=True, colorbar=False, vrange=(-1.0, 1.0))
        self.products = MapPanel(ax_p, zeros, "products", signed=True, colorbar=False, vrange=(-1.0, 1.0))
        self.grad_image = MapPanel(ax_x, zeros, "grad_image", signed=True, label="gradient", vrange=(-1.0, 1.0))
        _fixed_labels((self.input, self.kernel, self.grad_output, self.products, self.grad_image))
        _label_axes(self.input, "input row", "input column")
        _label_axes(self.kernel, "kernel row", "kernel column")
        _label_axes(self.grad_output, "output row", "output column")
        _label_axes(self.grad_image, "input row", "input column")
        ax_p.set_xlabel("output column")
        ax_p.set_ylabel("")
        for spine in ax_p.spines.values():
            spine.set_edgecolor(HIGHLIGHT)
            spine.set_linewidth(3.0)
        self.input_numbers = ValueGrid(ax_in, fmt="{:.2g}")
        self.kernel_numbers = ValueGrid(ax_k, fmt="{:.2g}", fontsize=12)
        self.grad_numbers = ValueGrid(ax_g, fmt="{:.2g}")
        self.product_numbers = ValueGrid(ax_p, fmt="{:.2g}")
        self.image_numbers = ValueGrid(ax_x, fmt="{:.3g}")
        self.used = LitPixels(ax_k)
        self.reached = LitPixels(ax_g)
        self.reached_products = LitPixels(ax_p)
        self.input_mark = PixelMark(ax_in, linewidth=3.0)
        self.pixel_mark = PixelMark(ax_x, linewidth=3.0)

    def set_scene(self, image_range, kernel_bound, grad_bound, product_bound, image_bound):
        """Fix the colour limits for one image (see :meth:`WeightGradientFigure.set_scene`)."""
        self.input.vrange = image_range
        self.kernel.vrange = (-kernel_bound, kernel_bound)
        self.grad_output.vrange = (-grad_bound, grad_bound)
        self.products.vrange = (-product_bound, product_bound)
        self.grad_image.vrange = (-image_bound, image_bound)

    def show(self, image, kernel, used, grad_output, reached, linked, grad_image, pixel):
        """Show the outputs input pixel ``pixel`` reached and the products that make its gradient.

        Parameters
        ----------
        image : ndarray, shape (H, W)
        kernel : ndarray, shape (kH, kW)
        used : ndarray of bool, shape (kH, kW)
            The weights that linked the pixel to some output.
        grad_output : ndarray, shape (H_out, W_out)
        reached : ndarray of bool, shape (H_out, W_out)
            The outputs the pixel took part in.
        linked : ndarray, shape (H_out, W_out)
            At each reached output the weight that linked them (0 elsewhere).
        grad_image : ndarray, shape (H, W)
        pixel : (int, int)
        """
        y, x = pixel
        self.input.set(image)
        _title(self.input, f"input {image.shape[0]} \u00d7 {image.shape[1]}\npixel [{y}, {x}]")
        self.input_numbers.set(image, mapper=self.input.image)
        self.input_mark.set(y, x, 1, 1)

        self.kernel.set(kernel)
        _title(self.kernel, "kernel\norange: the\nlinking weights")
        self.kernel_numbers.set(kernel, mapper=self.kernel.image, labels=[[short(v) for v in row] for row in kernel])
        self.used.set(used)

        self.grad_output.set(grad_output)
        _title(self.grad_output, "grad_output\norange: outputs\nit reached")
        self.grad_numbers.set(grad_output, mapper=self.grad_output.image)
        self.reached.set(reached)

        products = np.where(reached, grad_output * linked, 0.0)
        total = float(products.sum())
        self.products.set(products)
        _title(self.products, f"grad \u00d7 linking weight\nsum = {short(total)}")
        labels = [[short(p) if hit else "" for p, hit in zip(row, hits)] for row, hits in zip(products, reached)]
        self.product_numbers.set(products, mapper=self.products.image, labels=labels)
        self.reached_products.set(reached)

        self.grad_image.set(grad_image)
        _title(self.grad_image, f"grad_image\n[{y}, {x}] = {short(total)}")
        self.image_numbers.set(grad_image, mapper=self.grad_image.image)
        self.pixel_mark.set(y, x, 1, 1)
        _ticks(self.fig, self._tick_state)


def correlation_picture(first, second, result, titles, signed=(False, True, True)):
    """A still picture of ``first (correlated with) second = result``, three panels with their numbers.

    Parameters
    ----------
    first, second, result : ndarray, shape (h, w) each
        What is correlated (the larger array), the kernel slid over it, and the result.
    titles : (str, str, str)
    signed : (bool, bool, bool)
        Which panels hold signed values (diverging colours centred on 0).

    Returns
    -------
    matplotlib.figure.Figure
        Shows itself as a PNG when it is a notebook cell's result.
    """
    fig, axes = new_figure(3, width=9.0, height=3.1)
    _place(axes, (0.06, 0.40, 0.72), 0.2, 0.19, 9.0, 3.1)
    panels = []
    for ax, array, title, sign in zip(axes, (first, second, result), titles, signed):
        panel = MapPanel(ax, array, title, signed=sign, colorbar=False)
        numbers = ValueGrid(ax, fmt="{:.3g}", fontsize=12)
        numbers.set(array, mapper=panel.image, labels=[[short(v) for v in row] for row in np.asarray(array)])
        panels.append(panel)
    _fixed_labels(panels)
    for panel in panels:
        _title(panel, panel.ax.get_title())
    for left, sign, size in ((0.31, "\u22c6", 40), (0.645, "=", 26)):
        fig.text(left, 0.19 + 0.29, sign, fontsize=size, ha="center", va="center")
    _ticks(fig, {})
    return fig
