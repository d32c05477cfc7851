"""Explorer for notebooks/08_efficient_numpy.ipynb: the four ways timed live against image size."""

from __future__ import annotations

import ipywidgets as widgets

from ..methods import im2col_megabytes
from ..plot.timing import TimingFigure
from ..timing import WAYS, WaysTimer, gflops, matmul_gflops, square_image, torch_version
from ._base import Explorer
from ._sources import ImageChooser

# Layers on an RGB image: (label, (C_out, kernel size)).
LAYERS = [("3 -> 1 map, 3 x 3 (bench W1)", (1, 3)),
          ("3 -> 8 maps, 5 x 5 (bench W2)", (8, 5)),
          ("3 -> 32 maps, 3 x 3", (32, 3))]
# Sizes timed when a layer is first picked, so the lines have a shape from the start.
GRID = (16, 32, 64, 128, 256)
NAMES = {"loops": "(1) loops", "shifts": "(2) shifts", "windows": "(3) windows", "im2col": "(4) im2col",
         "conv2d": "conv2d_lib.conv2d", "torch": "PyTorch"}


def explore_timing(image=None, default="cat"):
    """Time the four ways, the library's conv2d and PyTorch's on an image of a chosen size.

    Every refresh re-times all of them at the current size (fastest of a few
    repeats, the fastest time seen so far kept per size) and moves the lines of a
    log-log plot of time against image size. The loops run for real only on small
    sizes; elsewhere their time is scaled up from a small run by the output-pixel count.
    Picking another picture alone redraws the picture without re-timing: the content of
    an image does not change how long a convolution takes.

    Parameters
    ----------
    image : ndarray of shape (H, W) or (H, W, 3), or a file path, optional
        Your own picture, offered as "your picture" (its content does not change the times).
    default : str
        The sample image shown first otherwise.

    Returns
    -------
    Explorer
        Controls ``image``, ``size``, ``layer``.
    """
    chooser = ImageChooser(gray=False, default=default, own=image)
    ceiling = {"gflops": matmul_gflops(), "checks": 3}  # measured once per session, cached
    has_torch = torch_version() is not None
    figure = TimingFigure((GRID[0], GRID[-1]), ceiling["gflops"],
                          None if has_torch else "PyTorch: not installed")
    timers = {}
    last = {}  # the (size, layer) timed by the previous refresh
    controls = {
        "image": chooser.control,
        "size": widgets.IntSlider(value=128, min=16, max=256, step=16, description="size (px)"),
        "layer": widgets.Dropdown(options=LAYERS, value=(8, 5), description="layer"),
    }

    def update(image, size, layer):
        x = chooser.array(image)
        if layer not in timers:
            timers[layer] = WaysTimer(*layer)
            for s in GRID:
                if s != size:
                    timers[layer].measure(x, s, quick=True)
        timer = timers[layer]
        if last.get("timed") != (size, layer) or last.get("image") == image:
            timer.measure(x, size)  # a new picture alone only changes the picture, not the times
        last.update(timed=(size, layer), image=image)
        flops = timer.flops(size)
        fastest = min(timer.times[way][size] for way in WAYS if size in timer.times[way])
        if gflops(flops, fastest) > ceiling["gflops"] and ceiling["checks"] > 0:
            # Faster than matmul: matmul was measured in a busy spell. Measure again (a few times at
            # most, each bounded), keep the larger.
            ceiling["checks"] -= 1
            ceiling["gflops"] = matmul_gflops(repeats=3, refresh=True)
            figure.set_ceiling(ceiling["gflops"])
        series = {way: timer.series(way) for way in WAYS}
        scaled = sorted(set(GRID) | set(timer.times["shifts"]))
        series["loops scaled"] = (scaled, [timer.loops_estimate(s) for s in scaled])
        series["ceiling"] = (scaled, [timer.flops(s) / (ceiling["gflops"] * 1e9) for s in scaled])
        _, c_in, k, _ = timer.weights.shape
        megabytes = im2col_megabytes((size, size), c_in, (k, k))
        figure.show(square_image(x, size), series, size,
                    f"{size} x {size} image: {flops:,} FLOP; im2col columns {megabytes:.3g} MB")
        return _table(timer, size, flops, ceiling["gflops"], has_torch)

    return Explorer(update, controls, figure.fig, extra=[chooser.upload])


def _table(timer, size, flops, ceiling, has_torch):
    """An HTML table: each way's fastest time, GFLOP/s and share of the matmul ceiling at ``size``."""
    rows = []
    for way in WAYS:
        seconds, note = timer.times[way].get(size), ""
        if way == "torch" and not has_torch:
            rows.append(f"<tr><td>{NAMES[way]}</td><td colspan=3>not installed</td></tr>")
            continue
        if seconds is None and way == "loops":
            seconds, note = timer.loops_estimate(size), " (scaled)"
        speed = gflops(flops, seconds)
        rows.append(f"<tr><td>{NAMES[way]}</td><td>{seconds * 1e3:,.2f} ms{note}</td>"
                    f"<td>{speed:.2f} GFLOP/s</td><td>{100 * speed / ceiling:.1f}% of matmul</td></tr>")
    return (f"<b>{size} x {size}</b>: {flops:,} FLOP. np.matmul reaches {ceiling:.0f} GFLOP/s on this machine. "
            "Times are the fastest seen so far; they vary from run to run.<br>"
            f"<table style='font-size:90%'>{''.join(rows)}</table>")
