"""Timing helpers for notebooks/08_efficient_numpy.ipynb: a fair timer, FLOPs and the machine's ceiling.

The lesson's numbers and bench/RESULTS.md follow the same definitions, but not the
same procedure:

* a time is the **minimum** over repeats: on a shared machine the median can be
  many times the minimum, while the minimum is what the code costs when nothing
  interrupts it;
* here, in one process, the NumPy ways run in turn (interleaved, :func:`interleaved_min`),
  so a slow spell hits all of them alike; they share NumPy's one BLAS thread pool.
  PyTorch is timed on its own after them (:meth:`WaysTimer.run`): interleaved, its
  threads and BLAS's slow each other down, both ways. ``bench/bench_conv2d.py``
  (``make bench``) goes further: every contender runs in a process of its own, in
  alternating rounds, and the spread of the rounds' minima is reported beside the
  minimum;
* a convolution does ``2 * H_out * W_out * C_out * C_in * kH * kW`` floating-point
  operations (one multiply and one add per weight per output pixel);
* the ceiling is what ``np.matmul`` achieves on float32 square matrices, in GFLOP/s.

NumPy and the standard library only (PyTorch is imported lazily, when asked for,
by :func:`torch_conv2d`).

Introduced in notebooks/08_efficient_numpy.ipynb.
"""

from __future__ import annotations

import time

import numpy as np

from . import conv
from ._checks import check_array, check_array_bytes, check_int

__all__ = ["conv_flops", "gflops", "interleaved_min", "best_time", "matmul_gflops", "extrapolate",
           "square_image", "torch_version", "torch_conv2d", "WAYS", "WaysTimer"]


def conv_flops(h_out, w_out, c_out, c_in, k_h, k_w, n=1):
    """Floating-point operations of one convolution layer's forward pass (bias not counted).

    ``2 * N * H_out * W_out * C_out * C_in * kH * kW``: every output number is a
    sum of ``C_in * kH * kW`` products, one multiply and one add each.

    Parameters
    ----------
    h_out, w_out : int
        Output height and width.
    c_out, c_in : int
        Output and input channels.
    k_h, k_w : int
        Kernel height and width.
    n : int, default 1
        Batch size ``N``.

    Returns
    -------
    int

    Examples
    --------
    >>> conv_flops(254, 254, 1, 3, 3, 3)
    3483864
    """
    values = [check_int(v, name, 1) for v, name in
              zip((h_out, w_out, c_out, c_in, k_h, k_w, n), ("h_out", "w_out", "c_out", "c_in", "k_h", "k_w", "n"))]
    return 2 * int(np.prod(values, dtype=np.int64))


def gflops(flops, seconds):
    """Achieved speed in GFLOP/s (``flops / seconds / 1e9``).

    Examples
    --------
    >>> gflops(2e9, 0.5)
    4.0
    """
    if not seconds > 0:
        raise ValueError(f"seconds must be > 0, got {seconds!r}")
    return flops / seconds / 1e9


def interleaved_min(methods, repeats=3, inner=1, budget_s=None, warmup=True):
    """Minimum time of each callable, the methods run in turn in this process.

    Each round runs every method ``inner`` times in a row, then the next one, so a
    slow spell of the machine hits all of them; the minimum over all runs is kept.
    Fair for methods that share one thread pool (NumPy's ways); ``make bench`` times
    libraries with pools of their own (PyTorch) in separate processes instead.

    Parameters
    ----------
    methods : dict of str to callable
        Callables taking no argument.
    repeats : int, default 3
        Rounds.
    inner : int, default 1
        Runs of one method in a row within a round.
    budget_s : float, optional
        Stop after the round in which this many seconds have passed (at least one round runs).
    warmup : bool, default True
        Call each method once, untimed, first (caches, thread pools, page faults).

    Returns
    -------
    dict of str to float
        Minimum seconds per method.

    Examples
    --------
    >>> best = interleaved_min({"sum": lambda: sum(range(100))}, repeats=2)
    >>> 0 < best["sum"] < 1
    True
    """
    repeats, inner = check_int(repeats, "repeats", 1), check_int(inner, "inner", 1)
    best = {name: float("inf") for name in methods}
    if warmup:
        for fn in methods.values():
            fn()
    start = time.perf_counter()
    for _ in range(repeats):
        for name, fn in methods.items():
            for _ in range(inner):
                t0 = time.perf_counter()
                fn()
                best[name] = min(best[name], time.perf_counter() - t0)
        if budget_s is not None and time.perf_counter() - start > budget_s:
            break
    return best


def best_time(function, repeats=5, warmup=True):
    """Minimum seconds of ``function()`` over ``repeats`` calls.

    Examples
    --------
    >>> 0 < best_time(lambda: np.ones(10).sum(), repeats=3) < 1
    True
    """
    return interleaved_min({"f": function}, repeats=repeats, warmup=warmup)["f"]


_MATMUL_CACHE = {}


def matmul_gflops(size=1024, repeats=5, refresh=False):
    """The machine's float32 ``np.matmul`` speed in GFLOP/s: the practical ceiling.

    Multiplies two ``size x size`` float32 matrices (``2 * size**3`` FLOPs) and keeps
    the fastest of ``repeats`` runs. Measured once per ``size`` and cached; pass
    ``refresh=True`` to measure again (the larger value is kept, since a busy spell
    only ever makes it look slower). ``make bench`` measures with ``size=2048``.

    Parameters
    ----------
    size : int, default 1024
    repeats : int, default 5
    refresh : bool, default False

    Returns
    -------
    float
    """
    size, repeats = check_int(size, "size", 1), check_int(repeats, "repeats", 1)
    if refresh or size not in _MATMUL_CACHE:
        a = np.random.default_rng(0).standard_normal((size, size)).astype(np.float32)
        speed = gflops(2 * size**3, best_time(lambda: a @ a, repeats))
        _MATMUL_CACHE[size] = max(speed, _MATMUL_CACHE.get(size, 0.0))
    return _MATMUL_CACHE[size]


def extrapolate(seconds, measured_pixels, target_pixels):
    """Scale a time measured on ``measured_pixels`` output pixels to ``target_pixels``.

    The loops do the same work for every output pixel, so their time grows in
    proportion to ``H_out * W_out``.

    Examples
    --------
    >>> extrapolate(0.002, 36, 3600)
    0.2
    """
    measured_pixels = check_int(measured_pixels, "measured_pixels", 1)
    target_pixels = check_int(target_pixels, "target_pixels", 1)
    return seconds * target_pixels / measured_pixels


def square_image(image, size):
    """``image`` resampled to ``size x size`` (nearest pixel) as float32, three channels.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C)
    size : int

    Returns
    -------
    ndarray, shape (size, size, C), float32
        A grey ``(H, W)`` image gets one channel axis added, ``C = 1``.

    Examples
    --------
    >>> square_image(np.arange(4.0).reshape(2, 2), 4)[..., 0]
    array([[0., 0., 1., 1.],
           [0., 0., 1., 1.],
           [2., 2., 3., 3.],
           [2., 2., 3., 3.]], dtype=float32)
    """
    image = check_array(image, "image", (2, 3), "(H, W) or (H, W, C)")
    size = check_int(size, "size", 1)
    check_array_bytes((size, size, 1 if image.ndim == 2 else image.shape[2]), 4, conv.MAX_ARRAY_BYTES,
                      "a square image", f"size={size}")
    if image.ndim == 2:
        image = image[:, :, np.newaxis]
    rows = np.arange(size) * image.shape[0] // size
    cols = np.arange(size) * image.shape[1] // size
    return np.ascontiguousarray(image[rows][:, cols], dtype=np.float32)


def torch_version():
    """PyTorch's version string, or None when PyTorch is not installed.

    Examples
    --------
    >>> torch_version() is None or isinstance(torch_version(), str)
    True
    """
    try:
        import torch
    except ImportError:
        return None
    return torch.__version__


def torch_conv2d(image, weights):
    """PyTorch's conv2d on the same data, as a callable for timing, or None without PyTorch.

    The image is converted once to PyTorch's ``(1, C_in, H, W)`` layout outside the
    callable, so only the convolution is timed.

    Parameters
    ----------
    image : ndarray, shape (H, W, C_in)
    weights : ndarray, shape (C_out, C_in, kH, kW)

    Returns
    -------
    callable or None
        ``run()`` returns the output as an ndarray of shape (H_out, W_out, C_out)
        when called as ``run(numpy=True)``, a tensor otherwise (the cheap form to time).
    """
    image = check_array(image, "image", (3,), "(H, W, C_in)")
    weights = check_array(weights, "weights", (4,), "(C_out, C_in, kH, kW)")
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        return None
    x = torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1)[np.newaxis]))
    w = torch.from_numpy(np.ascontiguousarray(weights, dtype=image.dtype))

    def run(numpy=False):
        out = F.conv2d(x, w)
        return out[0].numpy().transpose(1, 2, 0) if numpy else out

    return run


#: What the lesson times, in the order its figure and tables list them.
WAYS = ("loops", "shifts", "windows", "im2col", "conv2d", "torch")


class WaysTimer:
    """Times the four ways, the library's conv2d and PyTorch's for one layer shape, size by size.

    Every call of :meth:`measure` re-times all ways on the image resampled to
    ``size x size`` and keeps, per way and size, the fastest time seen so far
    (the minimum-of-repeats rule). The loops are only run for real where they
    would take at most ``loops_limit_s``; elsewhere their time is extrapolated by
    the output-pixel count from a run on about 6 x 6 output pixels. PyTorch is
    timed after the NumPy ways, with one untimed warm-up call: right after a
    switch its worker threads and NumPy's (OpenBLAS) compete for the cores.

    Parameters
    ----------
    c_out, kernel_size : int
        The layer: ``C_out`` filters of ``kernel_size x kernel_size``.
    c_in : int, default 3
    repeats, inner, budget_s : as in :func:`interleaved_min`
        Few repeats and a small time budget keep a measurement short.
    loops_limit_s : float, default 0.03
    seed : int, default 0
        Seed of the random float32 weights.

    Attributes
    ----------
    weights : ndarray, shape (C_out, C_in, kH, kW), float32
    times : dict of str to dict of int to float
        ``times[way][size]``: fastest seconds seen. ``"torch"`` stays empty without PyTorch.
    loops_per_pixel : float
        Seconds per output pixel of :func:`conv_loops`, measured on the small crop.
    """

    def __init__(self, c_out, kernel_size, c_in=3, repeats=3, inner=4, budget_s=0.15,
                 loops_limit_s=0.03, seed=0):
        from .methods import conv_loops

        c_out, k = check_int(c_out, "c_out", 1), check_int(kernel_size, "kernel_size", 1)
        c_in = check_int(c_in, "c_in", 1)
        self.weights = np.random.default_rng(seed).standard_normal((c_out, c_in, k, k)).astype(np.float32)
        self.repeats, self.inner, self.budget_s, self.loops_limit_s = repeats, inner, budget_s, loops_limit_s
        self.times = {way: {} for way in WAYS}
        crop = np.random.default_rng(seed).standard_normal((k + 5, k + 5, c_in)).astype(np.float32)
        self.loops_per_pixel = best_time(lambda: conv_loops(crop, self.weights), repeats=5) / 36

    def output_pixels(self, size):
        """``H_out * W_out`` for a ``size x size`` image (stride 1, no padding)."""
        k = self.weights.shape[-1]
        return (size - k + 1) ** 2

    def flops(self, size):
        """FLOPs of the layer on a ``size x size`` image (see :func:`conv_flops`)."""
        c_out, c_in, k_h, k_w = self.weights.shape
        return conv_flops(size - k_h + 1, size - k_w + 1, c_out, c_in, k_h, k_w)

    def loops_estimate(self, size):
        """Seconds the loops would take on a ``size x size`` image, scaled by output pixels."""
        return extrapolate(self.loops_per_pixel, 1, self.output_pixels(size))

    def measure(self, image, size, quick=False):
        """Time every way on ``image`` resampled to ``size x size``; return this run's seconds.

        Parameters
        ----------
        image : ndarray, shape (H, W, C_in) or (H, W) when C_in is 1
        size : int
            Larger than the kernel.
        quick : bool, default False
            One round of 2 runs per way instead of ``repeats`` rounds of ``inner``
            (for a first sketch of many sizes; revisiting a size refines it).

        Returns
        -------
        dict of str to float
            Seconds per way for this run (the loops only when run for real).
        """
        from .conv import conv2d
        from .methods import conv_im2col, conv_loops, conv_shifts, conv_windows

        size = check_int(size, "size", self.weights.shape[-1])
        x, w = square_image(image, size), self.weights
        if x.shape[2] != w.shape[1]:
            raise ValueError(f"image has {x.shape[2]} channel(s) but this layer expects C_in={w.shape[1]}")
        ways = {"shifts": lambda: conv_shifts(x, w), "windows": lambda: conv_windows(x, w),
                "im2col": lambda: conv_im2col(x, w), "conv2d": lambda: conv2d(x, w)}
        if self.loops_estimate(size) <= self.loops_limit_s:
            ways["loops"] = lambda: conv_loops(x, w)
        repeats, inner = (1, 2) if quick else (self.repeats, self.inner)
        now = interleaved_min(ways, repeats, inner, self.budget_s, warmup=False)
        run_torch = torch_conv2d(x, w)
        if run_torch is not None:  # on its own, after a warm-up: its threads and NumPy's fight for the cores
            now.update(interleaved_min({"torch": run_torch}, repeats, inner, self.budget_s))
        for way, seconds in now.items():
            self.times[way][size] = min(seconds, self.times[way].get(size, np.inf))
        return now

    def series(self, way):
        """Sizes and fastest seconds of one way, sorted by size: two float arrays."""
        points = sorted(self.times[way].items())
        return (np.array([p[0] for p in points], float), np.array([p[1] for p in points], float))
