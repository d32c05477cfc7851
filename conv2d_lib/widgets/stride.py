"""Explorer for notebooks/04_stride.ipynb: stride, padding, dilation, and the windows they visit."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import images
from ..conv import conv2d, explain_output_size, pad
from ..geometry import never_covered, rows_read, tap_offsets, window_reach, window_starts
from ..plot.stride import KEY, StrideFigure, unread_runs
from ._base import Explorer
from ._sources import ImageChooser

WHOLE = 0  # the "input size" value that keeps the whole image
SIZES = [("whole image", WHOLE)] + [(f"{n} x {n}", n) for n in range(4, 13)]


def explore_stride(image=None, default="checkerboard"):
    """Stride, padding and dilation, with the windows they visit marked on the input.

    The kernel is a ``k x k`` block of ones, so every output pixel is the sum of
    its window (whole numbers on "small numbers").

    Parameters
    ----------
    image : ndarray of shape (H, W) or (H, W, 3), or a file path, optional
        Your own picture, offered as "your picture" (and shown first).
    default : str
        The sample image shown first otherwise.

    Returns
    -------
    Explorer
        Controls ``image``, ``size`` (the central n x n of the image, or all of it),
        ``kernel_size``, ``stride``, ``padding``, ``dilation``.
    """
    chooser = ImageChooser(gray=True, default=default, own=image)
    figure = StrideFigure()
    controls = {
        "image": chooser.control,
        "size": widgets.Dropdown(options=SIZES, value=8 if image is None else WHOLE,
                                 description="input size"),
        "kernel_size": widgets.IntSlider(value=3, min=1, max=7, description="kernel size"),
        "stride": widgets.IntSlider(value=2, min=1, max=4, description="stride"),
        "padding": widgets.IntSlider(value=0, min=0, max=3, description="padding"),
        "dilation": widgets.IntSlider(value=1, min=1, max=3, description="dilation"),
    }

    def update(image, size, kernel_size, stride, padding, dilation):
        x = chooser.array(image) if size == WHOLE else images.centre_crop(chooser.array(image), size)
        k = np.ones((kernel_size, kernel_size))
        # conv2d raises a ValueError in words when the window does not fit the padded input.
        output = conv2d(x, k, stride=stride, padding=padding, dilation=dilation)
        axes = [dict(n=n, k=kernel_size, s=stride, p=padding, d=dilation) for n in x.shape]
        starts = [window_starts(*a.values()) for a in axes]
        unreached = tuple(never_covered(*a.values()) for a in axes)
        read = tuple(rows_read(*a.values()) for a in axes)
        reach = window_reach(kernel_size, dilation)
        taps = tap_offsets(kernel_size, dilation)
        figure.show(pad(x, padding), ((padding, padding), (padding, padding)), x.shape,
                    starts[0], starts[1], taps, taps, (reach, reach), read, output)
        return _message(x.shape, kernel_size, stride, padding, dilation, unreached, read)

    return Explorer(update, controls, figure.fig, extra=[chooser.upload])


def _message(shape, k, s, p, d, unreached, read):
    """The size arithmetic and, in words, what the last rows and columns do."""
    h, w = shape
    lines = [KEY,
             f"kernel: a {k} x {k} block of ones, so each output pixel is the sum of its window",
             f"input {h} x {w}, kernel {k} x {k}, stride {s}, padding {p}, dilation {d}"
             + (f": the {k} taps are {d} apart, so the window spans {window_reach(k, d)} pixels" if d > 1 and k > 1 else ""),
             *([f"kernel size 1: a single tap, so <b>dilation</b> ({d}) has nothing to spread apart"]
               if k == 1 else []),
             f"output height: {explain_output_size(h, k, s, p, d)}",
             f"output width: {explain_output_size(w, k, s, p, d)}"]
    for left, n, (one, many) in zip(unreached, shape, (("row", "rows"), ("column", "columns"))):
        if left:
            padded = n + 2 * p
            which = f"{one} {padded - 1}" if left == 1 else f"{many} {padded - left} to {padded - 1}"
            of_image = max(0, left - p)
            what = ("padding" if not of_image else "image" if of_image == left
                    else f"{left - of_image} padding, {of_image} image")
            lines.append(f"<b>The last {one if left == 1 else f'{left} {many}'} of the padded input "
                         f"({which}, {what}) {'is' if left == 1 else 'are'} never reached</b> by any "
                         f"window (hatched): no output depends on {'it' if left == 1 else 'them'}.")
    # Rows can also be skipped inside the covered part: between windows when the stride is
    # larger than the window, between taps when dilation spreads them apart. They are hatched too.
    span = window_reach(k, d)
    reason = (f"the stride ({s}) is larger than the window ({span} pixel{'s' if span > 1 else ''})"
              if s > span else f"the taps are {d} apart and the stride is {s}")
    where = "two windows" if s > span else "the windows' taps"
    for mask, n, left, (one, many) in zip(read, shape, unreached, (("row", "rows"), ("column", "columns"))):
        gaps = unread_runs(mask[: n + 2 * p - left])   # the trailing rows are said above
        if gaps:
            count = sum(stop - start for start, stop in gaps)
            lines.append(f"<b>{_capital(one if count == 1 else many)} {_runs_in_words(gaps)} "
                         f"{'lies' if count == 1 else 'lie'} <i>between</i> {where} and "
                         f"{'is' if count == 1 else 'are'} never read either</b> (hatched): {reason}.")
    return "<br>".join(lines)


def _capital(word):
    return word[:1].upper() + word[1:]


def _runs_in_words(runs):
    """``[(3, 4), (7, 9)]`` as "3 and 7 to 8": each run of rows, the last joined by "and"."""
    parts = [f"{start}" if stop - start == 1 else f"{start} to {stop - 1}" for start, stop in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
