"""Explorers for notebooks/10_backpropagation.ipynb: the products that make one weight's or one pixel's gradient."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import images
from ..backward import conv2d_backward
from ..conv import output_size, pad
from ..influence import outputs_affected_by
from ..plot.backprop import PixelGradientFigure, WeightGradientFigure
from ..plot.correlation import short
from ._base import Explorer
from ._sources import YOUR_PICTURE, ImageChooser

CHOICES = ("small numbers", "impulse")  # images whose every number fits on its pixel
CROP = 7                                # your picture: its central 7 x 7 pixels
KERNEL = 3                              # the kernel is 3 x 3
KERNEL_SEED = 3                         # images.small_weights(3, seed=3), as lesson 05's "small weights"
GRAD_SEED = 1                           # the given grad_output: small whole numbers in {-1, 0, 1}
STRIDES = (1, 3)                        # the sliders' ranges
PADDINGS = (0, 2)
SHOWN_TERMS = 9                         # a written sum longer than this is cut short


def kernel():
    """The 3 x 3 kernel of both explorers: weights in {-1, 0, 1} (``images.small_weights(3, seed=3)``).

    Returns
    -------
    ndarray, shape (3, 3), float64

    Raises
    ------
    Nothing
    """
    return images.small_weights(KERNEL, seed=KERNEL_SEED)


def given_grad_output(shape):
    """A made-up ``grad_output`` of ``shape`` ``(H_out, W_out)``: whole numbers in {-1, 0, 1}, fixed by a seed.

    ``(3, 3)`` is the lesson's ``images.small_weights(3, seed=1)``; a smaller output takes its
    bottom-right corner, so that no setting of the explorers has a ``grad_output`` of zeros only.

    As if the loss were ``sum(out * grad_output)``, whose gradient with respect to
    ``out`` is that array itself.

    Parameters
    ----------
    shape : (int, int)
        ``(H_out, W_out)``, each >= 1.

    Returns
    -------
    ndarray, shape (H_out, W_out), float64

    Raises
    ------
    TypeError, ValueError
        As :func:`conv2d_lib.images.small_weights`, for a size that is not a whole number >= 1.

    Examples
    --------
    >>> given_grad_output((3, 3))
    array([[ 0.,  0.,  1.],
           [ 1., -1., -1.],
           [ 1.,  1., -1.]])
    >>> given_grad_output((1, 1))
    array([[-1.]])
    """
    h_out, w_out = shape
    # An output smaller than 3 x 3 takes the bottom-right corner of the lesson's 3 x 3 array,
    # whose top-left numbers are 0: a 1 x 1 grad_output of 0 would make every gradient 0.
    side = max(h_out, w_out, 3)
    return images.small_weights(side, seed=GRAD_SEED)[side - h_out:, side - w_out:]


def _image(chooser, name):
    """The image called ``name``; your picture cut to its centre, so that every number fits."""
    x = chooser.array(name)
    return images.centre_crop(x, CROP) if name == YOUR_PICTURE else x


def _settings():
    return [(s, p) for s in range(STRIDES[0], STRIDES[1] + 1) for p in range(PADDINGS[0], PADDINGS[1] + 1)]


def _gradients(x, stride, padding):
    """grad_output (given) and ``conv2d_backward``'s three gradients for one setting."""
    g = given_grad_output(output_size(x.shape, (KERNEL, KERNEL), stride, padding))
    grad_image, grad_weights, _ = conv2d_backward(g, x, kernel(), stride=stride, padding=padding)
    return g, grad_image, grad_weights


def _bounds(x):
    """The largest |grad_image| and |grad_weights| over every stride and padding the sliders offer."""
    image_bound = weight_bound = 0.0
    for stride, padding in _settings():
        try:
            _, grad_image, grad_weights = _gradients(x, stride, padding)
        except ValueError:  # the kernel does not fit this setting: update() says so
            continue
        image_bound = max(image_bound, float(np.abs(grad_image).max()))
        weight_bound = max(weight_bound, float(np.abs(grad_weights).max()))
    return image_bound or 1.0, weight_bound or 1.0


def _written(terms, total):
    """``a·b + c·d + ... = total`` as HTML, cut short after ``SHOWN_TERMS`` terms."""
    shown = [f"{short(a)}&middot;{'(' + short(b) + ')' if short(b).startswith('-') else short(b)}"
             for a, b in terms[:SHOWN_TERMS]]
    more = f" + ... ({len(terms)} products)" if len(terms) > SHOWN_TERMS else ""
    return (" + ".join(shown) or "0") + more + f" = <b>{short(total)}</b>"


def _knobs():
    """The stride and padding sliders both explorers have."""
    return {
        "stride": widgets.IntSlider(value=1, min=STRIDES[0], max=STRIDES[1], description="stride"),
        "padding": widgets.IntSlider(value=0, min=PADDINGS[0], max=PADDINGS[1], description="padding"),
    }


def _crop_note(name, x):
    return f" (your picture: its central {x.shape[0]} x {x.shape[1]} pixels)" if name == YOUR_PICTURE else ""


def explore_weight_gradient(image=None, default="small numbers"):
    """Pick one weight: light every input pixel it multiplied, and add up its gradient.

    Weight ``(i, j)`` met one padded input pixel at every output position; the
    gradient of the loss with respect to it is the sum of those pixels, each times
    the gradient of the output it made (``grad_output``, given here: small whole
    numbers, as if the loss were ``sum(out * grad_output)``). The value shown is
    :func:`conv2d_lib.conv2d_backward`'s, and the products panel adds up to it.

    Parameters
    ----------
    image : ndarray of shape (H, W) or (H, W, 3), or a file path, optional
        Your own picture, offered as "your picture" (its central 7 x 7 pixels are used).
    default : str
        The sample shown first otherwise: "small numbers" or "impulse".

    Returns
    -------
    Explorer
        Controls ``image``, ``row``, ``col`` (the weight), ``stride``, ``padding``.

    Raises
    ------
    ValueError
        When ``default`` is not one of the offered samples.
    """
    chooser = ImageChooser(gray=True, default=default, own=image, choices=CHOICES)
    figure = WeightGradientFigure()
    controls = {
        "image": chooser.control,
        "row": widgets.IntSlider(value=0, min=0, max=KERNEL - 1, description="weight row"),
        "col": widgets.IntSlider(value=0, min=0, max=KERNEL - 1, description="weight col"),
        **_knobs(),
    }
    scene = {"image": None}

    def update(image, row, col, stride, padding):
        x = _image(chooser, image)
        g, _, grad_weights = _gradients(x, stride, padding)  # a kernel that does not fit: a ValueError in words
        if scene["image"] is not x:
            # Colour limits fixed for this image, whatever the weight, stride and padding.
            low, high = min(0.0, float(x.min())), max(float(x.max()), 1e-9)
            figure.set_scene((low, high), 1.0, max(abs(low), high), _bounds(x)[1])
            scene["image"] = x
        padded = pad(x, padding)
        h_out, w_out = g.shape
        # Weight (row, col) lies on padded pixel (r * stride + row, c * stride + col) at output (r, c).
        rows = slice(row, row + stride * (h_out - 1) + 1, stride)
        cols = slice(col, col + stride * (w_out - 1) + 1, stride)
        met = padded[rows, cols]
        lit = np.zeros(padded.shape, bool)
        lit[rows, cols] = True
        products = met * g
        total = float(grad_weights[row, col])
        figure.show(padded, padding, met, lit, g, products, grad_weights, (row, col))
        terms = list(zip(met.ravel(), g.ravel()))
        return (f"grad_weights[{row}, {col}] = sum of (pixel met &times; grad_output there) = "
                f"{_written(terms, total)}{_crop_note(image, x)}")

    return Explorer(update, controls, figure.fig, extra=[chooser.upload])


def explore_image_gradient(image=None, default="small numbers"):
    """Pick one input pixel: light every output it reached and the weight that linked them.

    Input pixel ``(y, x)`` took part in every output whose window covers it, each
    time through one weight. Its gradient is the sum, over those outputs, of the
    output's gradient times that weight: :func:`conv2d_lib.conv2d_backward`'s value,
    which the products panel adds up to. Which outputs a pixel reaches comes from
    :func:`conv2d_lib.influence.outputs_affected_by`.

    Parameters
    ----------
    image : ndarray of shape (H, W) or (H, W, 3), or a file path, optional
        Your own picture, offered as "your picture" (its central 7 x 7 pixels are used).
    default : str
        The sample shown first otherwise: "small numbers" or "impulse".

    Returns
    -------
    Explorer
        Controls ``image``, ``row``, ``col`` (the input pixel), ``stride``, ``padding``.

    Raises
    ------
    ValueError
        When ``default`` is not one of the offered samples.
    """
    chooser = ImageChooser(gray=True, default=default, own=image, choices=CHOICES)
    figure = PixelGradientFigure()
    controls = {
        "image": chooser.control,
        "row": widgets.IntSlider(value=2, min=0, max=4, description="input row"),
        "col": widgets.IntSlider(value=2, min=0, max=4, description="input col"),
        **_knobs(),
    }

    def fit_sliders(change=None):
        """Let the sliders reach exactly the image's rows and columns."""
        h, w = _image(chooser, controls["image"].value).shape[:2]
        controls["row"].max, controls["col"].max = h - 1, w - 1

    # Registered before the Explorer's own observer, so the sliders fit the new image before it refreshes.
    controls["image"].observe(fit_sliders, names="value")
    fit_sliders()
    scene = {"image": None}
    k = kernel()

    def update(image, row, col, stride, padding):
        x = _image(chooser, image)
        g, grad_image, _ = _gradients(x, stride, padding)
        if scene["image"] is not x:
            bound = float(np.abs(k).max())
            low, high = min(0.0, float(x.min())), max(float(x.max()), 1e-9)
            figure.set_scene((low, high), bound, 1.0, bound, _bounds(x)[0])
            scene["image"] = x
        reached = outputs_affected_by(row, col, x.shape, KERNEL, stride=stride, padding=padding)
        # At output (r, c) the window starts at padded pixel (r * stride, c * stride): the pixel
        # (row + padding, col + padding) lies under weight (row + padding - r * stride, ...).
        r_out, c_out = np.indices(g.shape)
        link_r, link_c = row + padding - r_out * stride, col + padding - c_out * stride
        linked = np.where(reached, k[np.clip(link_r, 0, KERNEL - 1), np.clip(link_c, 0, KERNEL - 1)], 0.0)
        used = np.zeros(k.shape, bool)
        used[link_r[reached], link_c[reached]] = True
        figure.show(x, k, used, g, reached, linked, grad_image, (row, col))
        total = float(grad_image[row, col])
        terms = [(g[r, c], k[link_r[r, c], link_c[r, c]]) for r, c in np.argwhere(reached)]
        if not terms:
            return (f"Pixel [{row}, {col}] is under no window at this stride: it reaches no output, so "
                    f"<b>grad_image[{row}, {col}] = 0</b>.{_crop_note(image, x)}")
        return (f"grad_image[{row}, {col}] = sum of (grad_output &times; the weight linking them) = "
                f"{_written(terms, total)}{_crop_note(image, x)}")

    return Explorer(update, controls, figure.fig, extra=[chooser.upload])
