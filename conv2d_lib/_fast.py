"""The vectorized inner part of conv2d: a padded batch in, the correlation out.

Inputs are already validated, padded and in the compute dtype.

Why this is fast
----------------
A convolution layer is a matrix product in disguise: every output pixel is a dot
product of one kernel-sized window (``K = C_in * kH * kW`` numbers) with each of
the ``C_out`` filters. BLAS (``np.matmul``) runs matrix products near the CPU's
peak, so the whole game is to feed it the windows cheaply ("im2col": the windows
as the columns of a matrix). Four ideas do that:

1. **Blocks.** The columns are built for a block of output positions at a time
   (a few thousand), multiplied, and the product is written straight into its
   place in the output. The block stays in the CPU cache while BLAS reads it, and
   the extra memory stays small even for a 2048 x 2048 photo (never a gigabyte of
   columns). One work buffer is reused for every block and every call
   (:func:`_work_buffer`): fresh megabytes per call are fresh pages from the
   operating system each time (W5 measured 4.6 ms with the kept buffer, 5.7-6.0
   ms with a fresh one). Its two halves take turns, block by block, so the copy
   never writes where BLAS's other thread has just read (see :func:`_columns`).
2. **Windows as a view.** The value that tap ``(i, j)`` meets at output
   ``(r, c)`` is ``padded[r * sH + i * dH, c * sW + j * dW]``: a fixed step per
   axis, so all window values form one strided *view* of the padded image
   (``as_strided``, what ``sliding_window_view`` is built on), and filling a
   block's columns is a single NumPy copy from that view (one per stride phase
   with few channels, idea 3), with no Python loop over taps. The columns' layout follows the number of input channels (the
   dispatch rule, see :func:`_tap_views`): channels-first ``(K, positions)``
   below ``MANY_CHANNELS`` input channels (an RGB photo: the copy moves whole
   image rows of one channel), channels-last ``(positions, K)`` from there on (a
   network layer: the ``kW * C_in`` numbers of one kernel row lie side by side
   in memory and are copied as one run, and ``(positions, K)`` is the layout
   BLAS multiplies fastest). One copy per block instead of one per tap took W4's
   copying from 0.126 to 0.086 ms per block.
3. **Stride phases.** With few channels and a stride ``s``, the image is first
   split into its ``s x s`` phases (``image[a::s, b::s]``); the taps that read
   one phase read it with stride 1, so the copies move contiguous rows.
4. **Folding, for few output channels.** The product is then so skinny that
   copying dominates; the kernel columns are folded into the product instead,
   with "flat shifts" (see :func:`_folded_block`). Without dilation down, the
   image rows are laid out so that the folded columns are a view, never copied,
   and the products are small enough for BLAS to run on the calling thread:
   a learner's filter pays no wake-up of BLAS's threads (see :func:`_row_folded`).

With ``groups``, each group is its own correlation of ``C_in / groups`` channels
(:func:`_grouped`), except a depthwise convolution (one input channel per group),
which is no matrix product at all: it is done by shifts (:func:`_depthwise`).
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from math import gcd

import numpy as np
from numpy.lib.stride_tricks import as_strided

# Dispatch rule: channels-last columns from this many input channels on, below it
# channels-first columns (see _tap_views for why).
MANY_CHANNELS = 16
# One block of columns is about BLOCK_BYTES (the L2 cache of one core) but covers
# at least MIN_BLOCK_POSITIONS outputs, so that each matrix product is big enough
# for BLAS to split across cores (then the block lives in the shared L3 cache),
# and it holds at most MAX_BLOCK_BYTES, so that a very deep layer (K in the
# thousands) keeps a work buffer of a few MB. Measured on a 2-core AMD EPYC (1 MB
# L2, 32 MB L3): products of 2,048-4,096 rows ran at 175-198 GFLOP/s, 12,544 rows
# at 141-168; a 3 MB cap ran W5 in 4.1 ms against 4.3-4.7 ms with 6 MB or none,
# and W3, W4 within 3% of no cap; 1.5 MB was 3-5% slower on all three.
BLOCK_BYTES = 1 << 20
MIN_BLOCK_POSITIONS = 4096
MAX_BLOCK_BYTES = 3 << 20
# Fold the kernel columns into the product (see _folded_block) up to FOLD_C_OUT output
# channels and from FOLD_K_W kernel columns on (or for a single output channel): the
# product is then so skinny, and the copying saved so large, that folding wins.
# Measured: 1.6-2.4x faster for 3 -> 1 (k3), 3 -> 4 or 8 (k5, k7); 1.1-1.2x slower
# for 3 -> 2 or 8 (k3); several times slower from 16 output channels on.
FOLD_C_OUT = 8
FOLD_K_W = 5
# The row-folded product (see _row_folded) multiplies one output row at a time, split by columns
# so that no product exceeds SINGLE_THREAD_MNK (m * n * k): OpenBLAS runs such products on the
# calling thread and never wakes its own threads. Measured with NumPy 2.4's OpenBLAS 0.3.31 on
# 2 cores: (40 x 15) @ (15 x n) stayed on one thread up to 0.81 M and used two from 1.08 M on;
# on the busy machine a two-thread product of 1-2 M took 0.2-2.4 ms instead of about 0.05 ms.
SINGLE_THREAD_MNK = 1 << 19
# Its blocks of output rows hold about ROW_BLOCK_BYTES of partial sums (measured on W2: 16 rows,
# 1.3 MB, beat 8 and 32 rows), and from PARALLEL_MNK (m * n * k summed over the call) on, two
# Python threads share the blocks (W2, 158 M: 8.6 against 10.7 ms on one thread at load 2.5,
# within the noise of each other at load 5; W1, 1.8 M: one thread faster, 0.31 against 0.33 ms).
# Their waits block: nothing spins while the other programs of a busy machine hold a core.
ROW_BLOCK_BYTES = 1 << 20
PARALLEL_MNK = 1 << 24
# A depthwise convolution (see _depthwise) works on blocks of output rows of about this many bytes:
# its products are memory-bound elementwise passes, and fewer, longer passes won over cache-sized
# blocks (112 x 112 x 32, 3 x 3: 0.90 ms in blocks of 256 KB, 0.85 ms of 1 MB, 0.78 ms of 2 MB or more).
DEPTHWISE_BLOCK_BYTES = 4 << 20
# The work buffer is kept between calls up to this size; a larger one (a huge
# layer) is allocated per call and released again.
KEEP_WORK_BYTES = 32 << 20

_kept = threading.local()  # one work buffer per thread and dtype
_pool = {}  # process id -> the ThreadPoolExecutor of _row_folded, made on first use
_pool_lock = threading.Lock()


def _usable_cpus():
    """CPUs this process may run on (its affinity where the system tells it, else all).

    One in a browser (JupyterLite's Pyodide), which cannot start threads.
    """
    if sys.platform == "emscripten":
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _threads():
    """The two worker threads that share a big row-folded product (made once per process, idle between calls).

    Per process: a child made by ``fork`` inherits the pool object but not its
    threads, and work handed to it would never run, so the child makes its own.
    """
    with _pool_lock:
        pid = os.getpid()
        if pid not in _pool:
            _pool.clear()
            _pool[pid] = ThreadPoolExecutor(max_workers=2, thread_name_prefix="conv2d")
        return _pool[pid]


def _work_buffer(size, dtype, slot="columns"):
    """A 1-D scratch array of ``size`` elements, reused from the previous call when it fits.

    Parameters
    ----------
    size : int
    dtype : numpy dtype
    slot : str
        Which buffer: two buffers in use at once need two slots.

    Returns
    -------
    ndarray, shape (size,)
        Uninitialised. Valid until the next call in the same thread.
    """
    dtype = np.dtype(dtype)
    if size * dtype.itemsize > KEEP_WORK_BYTES:
        return np.empty(size, dtype)
    buffers = _kept.__dict__.setdefault("buffers", {})
    buffer = buffers.get((slot, dtype))
    if buffer is None or buffer.size < size:
        buffer = buffers[slot, dtype] = np.empty(size, dtype)
    return buffer[:size]


# --------------------------------------------------------------------------- columns


def _tap_views(padded, kernel_hw, stride, dilation, out_hw, channels_first):
    """Every window value as strided views of the image, a few views in all (ideas 2 and 3).

    Parameters
    ----------
    padded : ndarray, shape (N, Hp, Wp, C_in)
    kernel_hw, stride, dilation, out_hw : (int, int)
    channels_first : bool
        Layout of the columns the views will be copied into.

    Returns
    -------
    list of (slice, slice, ndarray)
        ``(taps_i, taps_j, view)``: ``view`` holds, for kernel rows ``taps_i`` and
        kernel columns ``taps_j`` (slices of ``range(kH)``, ``range(kW)``), the
        value each tap meets at every output position, with shape
        ``(n_i, n_j, C_in, N, H_out, W_out)`` if ``channels_first`` else
        ``(N, H_out, W_out, n_i, n_j, C_in)``: the layout of the columns.
        The views overlap in memory (read-only): nothing is copied yet.

    Notes
    -----
    Channels-last: one view covers all taps, since output ``(r, c)`` meets tap
    ``(i, j)`` at ``padded[r * sH + i * dH, c * sW + j * dW]``, a fixed step per axis.
    Without dilation across, the ``kW * C_in`` values of a kernel row are side by
    side in memory, and NumPy copies them as one run.
    Channels-first: one view per stride phase. Phase ``(a, b)`` is
    ``padded[:, a::sH, b::sW]``, copied once channels-first; the taps whose rows
    satisfy ``i * dH % sH == a`` (and likewise columns) read it with stride 1.
    Every index stays inside the image because ``out_hw`` follows output_size.
    """
    n, _, _, C_in = padded.shape
    (kH, kW), (s_h, s_w), (d_h, d_w), (H_out, W_out) = kernel_hw, stride, dilation, out_hw
    if not channels_first:
        padded = np.ascontiguousarray(padded)
        sn, sr, sc, sch = padded.strides
        view = as_strided(padded, (n, H_out, W_out, kH, kW, C_in),
                          (sn, s_h * sr, s_w * sc, d_h * sr, d_w * sc, sch), writeable=False)
        return [(slice(None), slice(None), view)]
    views = []
    # Taps i and i + step_h read the same row phase, (d_h / g) phase rows apart.
    step_h, step_w = s_h // gcd(s_h, d_h), s_w // gcd(s_w, d_w)
    for i0 in range(min(step_h, kH)):
        for j0 in range(min(step_w, kW)):
            (qh, a), (qw, b) = divmod(i0 * d_h, s_h), divmod(j0 * d_w, s_w)
            phase = np.ascontiguousarray(padded[:, a::s_h, b::s_w].transpose(3, 0, 1, 2))  # (C_in, N, Hq, Wq)
            sc, sn, sr, sx = phase.strides
            taps_i, taps_j = slice(i0, None, step_h), slice(j0, None, step_w)
            n_i, n_j = len(range(kH)[taps_i]), len(range(kW)[taps_j])
            view = as_strided(phase[:, :, qh:, qw:], (n_i, n_j, C_in, n, H_out, W_out),
                              (step_h * d_h // s_h * sr, step_w * d_w // s_w * sx, sc, sn, sr, sx), writeable=False)
            views.append((taps_i, taps_j, view))
    return views


def _blocks(n, H_out, W_out, positions):
    """Split the outputs into blocks of at most about ``positions`` output positions, evenly.

    Returns
    -------
    list of (slice, slice)
        ``(images, rows)``: whole images per block when an image is small, else
        runs of rows of one image. Either way a block's outputs are contiguous
        in the (N, H_out, W_out, C_out) result.
    """
    def even_step(total, most):  # as few blocks as `most` allows, of nearly equal size
        n_blocks = -(-total // most)
        return -(-total // n_blocks)

    per_image = H_out * W_out
    if per_image <= positions:
        step = even_step(n, positions // per_image)  # whole images per block
        return [(slice(a, min(a + step, n)), slice(0, H_out)) for a in range(0, n, step)]
    step = even_step(H_out, max(1, positions // W_out))  # rows per block
    return [(slice(img, img + 1), slice(r, min(r + step, H_out))) for img in range(n) for r in range(0, H_out, step)]


def _columns(padded, weights, bias, stride, dilation, out_hw, channels_first):
    """Correlate by blocked im2col (ideas 1 to 3); arguments as in :func:`correlate`."""
    (H_out, W_out), n = out_hw, padded.shape[0]
    C_out, C_in, kH, kW = weights.shape
    k = kH * kW * C_in
    s_h, reach_h = stride[0], dilation[0] * (kH - 1) + 1
    # Channels-last, one view covers the whole batch and copies nothing. Channels-first
    # views copy stride phases: of the whole batch at once when that copy is small (one
    # pass; per block, the rows shared by neighbouring blocks would be copied twice:
    # W4 took 1.2x as long), else per block from the rows the block reads, so that a
    # big photo is never copied whole a second time.
    per_block = channels_first and padded.nbytes > KEEP_WORK_BYTES
    views = None if per_block else _tap_views(padded, (kH, kW), stride, dilation, out_hw, channels_first)
    # Order the weights like the columns: taps row-major, then channels -> (K, C_out).
    w_mat = weights.transpose(2, 3, 1, 0).reshape(k, C_out)
    positions = max(MIN_BLOCK_POSITIONS, BLOCK_BYTES // (k * padded.itemsize))
    positions = min(positions, MAX_BLOCK_BYTES // (k * padded.itemsize))
    blocks = _blocks(n, H_out, W_out, positions)
    # Two halves of the work buffer, used in turn: the copy into one half does not
    # wait for BLAS's other thread, which has just read the other half from its own
    # core's cache (writing there would first invalidate those lines). W4: 1.75 ->
    # 1.52 ms.
    size = max((im.stop - im.start) * (rs.stop - rs.start) for im, rs in blocks) * W_out * k
    buffer = _work_buffer(size * min(2, len(blocks)), padded.dtype)
    halves = (buffer[:size], buffer[-size:])

    out = np.empty((n, H_out, W_out, C_out), padded.dtype)
    out_rows = out.reshape(n * H_out * W_out, C_out)  # a view: out is new and contiguous
    for number, (images, rows) in enumerate(blocks):
        n_img, n_rows = images.stop - images.start, rows.stop - rows.start
        length = n_img * n_rows * W_out
        start = (images.start * H_out + rows.start) * W_out
        block = out_rows[start : start + length]
        half = halves[number % 2]
        if channels_first:
            cols = half[: k * length].reshape(k, length)
            grid = cols.reshape(kH, kW, C_in, n_img, n_rows, W_out)
            if per_block:
                piece = padded[images, rows.start * s_h : (rows.stop - 1) * s_h + reach_h]
                for taps_i, taps_j, view in _tap_views(piece, (kH, kW), stride, dilation, (n_rows, W_out), True):
                    grid[taps_i, taps_j] = view
            else:
                for taps_i, taps_j, view in views:
                    grid[taps_i, taps_j] = view[:, :, :, images, rows]
            np.matmul(cols.T, w_mat, out=block)
        else:
            cols = half[: k * length].reshape(length, k)
            grid = cols.reshape(n_img, n_rows, W_out, kH, kW, C_in)
            for taps_i, taps_j, view in views:
                grid[:, :, :, taps_i, taps_j] = view[images, rows]
            np.matmul(cols, w_mat, out=block)
        if bias is not None:
            block += bias  # while the block is still in the cache
    return out


# --------------------------------------------------------------------------- folding


def _flat_phases(piece, stride_h, dilation_h, kH, d_w, kW):
    """Channels-first, flattened stride phases of the rows of a piece of the batch, for the folded product.

    Parameters
    ----------
    piece : ndarray, shape (n, h, Wp, C_in)
        The padded rows one block of outputs reads (never the whole batch: the extra
        memory stays the size of a block).
    stride_h, dilation_h, kH : int
        Vertical stride, dilation and kernel height (the folded product needs stride 1 across).
    d_w, kW : int
        Horizontal dilation and kernel width.

    Returns
    -------
    flat : ndarray, shape (s_h, C_in, M)
        Phase ``a`` holds ``piece[:, a::s_h]`` flattened (row ``g`` of the piece's
        phase rows starts at ``g * Wp``), zero-filled to ``hq`` rows per image, plus a
        ``tail`` of zeros so that the last outputs can read past the end safely.
        A view of a work buffer: valid until the next call in the same thread.
    row_taps : list of (int, int)
        For kernel row ``i``: the phase and flat shift of tap ``(i, 0)``.
    hq : int
        Rows per image in one phase.
    """
    n, h, w_p, C_in = piece.shape
    hq = -(-h // stride_h)
    row_taps = []
    for i in range(kH):
        q, a = divmod(i * dilation_h, stride_h)
        row_taps.append((a, q * w_p))
    size = n * hq * w_p
    tail = max(off for _, off in row_taps) + (kW - 1) * d_w
    flat = _work_buffer(stride_h * C_in * (size + tail), piece.dtype, slot="phases")
    flat = flat.reshape(stride_h, C_in, size + tail)
    flat[:, :, size:] = 0
    grid = flat[:, :, :size].reshape(stride_h, C_in, n, hq, w_p)
    for a in range(stride_h):
        phase = piece[:, a::stride_h].transpose(3, 0, 1, 2)
        grid[a, :, :, : phase.shape[2]] = phase
        grid[a, :, :, phase.shape[2]:] = 0  # a phase one row short (only dropped outputs read it)
    return flat, row_taps, hq


def _folded_block(flat, row_taps, start, length, w_fold, kW, d_w):
    """Outputs ``start : start + length`` (flat positions) with the kernel columns folded in.

    **Flat shifts.** Flatten the padded image so that pixel ``(r, c)`` sits at
    position ``p = r * Wp + c``. With stride 1 across, the pixel that tap
    ``(i, j)`` sees for output ``p`` is at ``p + i * Wp + j``: for every output at
    once, a tap is a *contiguous slice* of the flat image, shifted by
    ``i * Wp + j``. The outputs are computed on the full padded width ``Wp``; the
    last few of each row "wrap around" into the next row and are thrown away.

    **Folding.** For few output channels (a skinny product) the columns hold only
    tap ``(i, 0)`` of each kernel row, ``kW`` times fewer to copy, and one product
    computes for every position all ``kW * C_out`` partial sums "tap column ``j``,
    filter ``co``". Output ``p`` then adds partial sum ``j`` of position
    ``p + j * d_w`` (tap ``(i, j)`` is tap ``(i, 0)`` shifted by ``j * d_w``). The
    flops are the same, but the copying shrinks and the product
    ``(kW * C_out, kH * C_in) @ (kH * C_in, positions)`` is a shape BLAS runs
    faster than ``(positions, K) @ (K, C_out)``.

    Parameters
    ----------
    flat, row_taps : as returned by :func:`_flat_phases`
    start, length : int
    w_fold : ndarray, shape (kW * C_out, kH * C_in)
        Row ``j * C_out + co``, column ``i * C_in + ci`` holds ``weights[co, ci, i, j]``.
    kW, d_w : int
        Kernel width and horizontal dilation.

    Returns
    -------
    ndarray, shape (length, C_out)
    """
    C_in = flat.shape[1]
    C_out = w_fold.shape[0] // kW
    span = length + (kW - 1) * d_w  # partial sums are needed up to p + (kW - 1) * d_w
    rows = len(row_taps) * C_in
    buffer = _work_buffer(rows * span + w_fold.shape[0] * span, flat.dtype)
    cols = buffer[: rows * span].reshape(rows, span)
    for t, (phase, off) in enumerate(row_taps):
        cols[t * C_in : (t + 1) * C_in] = flat[phase, :, start + off : start + off + span]
    part = np.matmul(w_fold, cols, out=buffer[rows * span :].reshape(w_fold.shape[0], span))
    res = part[:C_out, :length].copy()
    for j in range(1, kW):  # contiguous row adds: cheap next to the product
        res += part[j * C_out : (j + 1) * C_out, j * d_w : j * d_w + length]
    return res.T


def _folded(padded, weights, bias, stride_h, dilation, out_hw):
    """Correlate with the folded product (idea 4); stride 1 across. Arguments as in :func:`correlate`.

    Block by block (whole small images, or runs of rows of one image): the rows a
    block reads are turned into flat phases (:func:`_flat_phases`), multiplied, and
    written into their place, so the extra memory is a few blocks, never a second
    copy of the padded batch.
    """
    (H_out, W_out), (n, _, w_p, _) = out_hw, padded.shape
    C_out, C_in, kH, kW = weights.shape
    d_h, d_w = dilation
    reach_h = d_h * (kH - 1) + 1
    # The weights for the folded product: rows (j, C_out), columns (i, C_in).
    w_fold = weights.transpose(3, 0, 2, 1).reshape(kW * C_out, kH * C_in)
    # A block of columns holds kH * C_in numbers per position (measured faster for W2
    # than sizing the blocks by the partial sums too); positions run over the full width Wp.
    positions = max(MIN_BLOCK_POSITIONS, BLOCK_BYTES // (kH * C_in * padded.itemsize))
    out = np.empty((n, H_out, W_out, C_out), padded.dtype)
    for images, rows in _blocks(n, H_out, w_p, positions):
        piece = padded[images, rows.start * stride_h : (rows.stop - 1) * stride_h + reach_h]
        flat, row_taps, hq = _flat_phases(piece, stride_h, d_h, kH, d_w, kW)
        n_img, n_rows = images.stop - images.start, rows.stop - rows.start
        # Flat row g is image g // hq, output row g % hq; rows g % hq >= n_rows and
        # columns >= W_out are wrap-around work, dropped below.
        last_row = (n_img - 1) * hq + n_rows
        res = _folded_block(flat, row_taps, 0, last_row * w_p, w_fold, kW, d_w).reshape(last_row, w_p, C_out)
        for k in range(n_img):
            block = out[images.start + k, rows]
            block[...] = res[k * hq : k * hq + n_rows, :W_out]
            if bias is not None:
                block += bias  # while the rows are still in the cache, as in _columns
    return out


def _row_folded(padded, weights, bias, stride_h, d_w, out_hw):
    """The folded product one output row at a time, from a row-planar copy (idea 4 without the column copy).

    Stride 1 across and no dilation down; arguments as in :func:`correlate`.

    **Rows as a view.** Lay the padded rows a block reads out as ``(rows, C_in, Wp)``
    (each image row, channel by channel). The value that tap ``(i, 0)`` of channel
    ``c`` meets at output ``(r, x)`` is then at ``((r * sH + i) * C_in + c) * Wp + x``:
    for one output row, the ``kH * C_in`` rows of the folded product's columns are
    ``kH * C_in`` consecutive rows of that copy, a plain matrix with row step ``Wp``.
    So the columns are a *view*, never copied, and one (small) product per output row
    gives its ``kW * C_out`` partial sums over the full padded width ``Wp``; the
    shifted adds of :func:`_folded_block` then finish them.

    **No thread wake-ups.** Every product is kept under ``SINGLE_THREAD_MNK`` (split
    by columns), so BLAS runs it on the calling thread. A large call is shared by two
    Python threads instead (NumPy releases the GIL in its copies and products), whose
    waits block rather than spin, and every block's data stays in its core's cache.
    The extra memory is one block per thread (partial sums, the planar rows), about
    ``ROW_BLOCK_BYTES`` each.
    """
    (H_out, W_out), (n, _, w_p, C_in) = out_hw, padded.shape
    C_out, _, kH, kW = weights.shape
    w_fold = np.ascontiguousarray(weights.transpose(3, 0, 2, 1).reshape(kW * C_out, kH * C_in))
    m, k = w_fold.shape
    step = -(-w_p // -(-m * k * w_p // SINGLE_THREAD_MNK))  # columns per product, evenly split
    chunks = [slice(a, min(a + step, w_p)) for a in range(0, w_p, step)]
    # Whole small images per block (a batch of digits is a few blocks, not one per image), or
    # runs of rows of one image; positions count the full padded width.
    jobs = _blocks(n, H_out, w_p, max(w_p, ROW_BLOCK_BYTES // (m * padded.itemsize)))
    out = np.empty((n, H_out, W_out, C_out), padded.dtype)
    isz = padded.itemsize

    def work(my_jobs):
        most_in = max((im.stop - im.start) * ((rs.stop - rs.start - 1) * stride_h + kH) for im, rs in my_jobs)
        most_out = max((im.stop - im.start) * (rs.stop - rs.start) for im, rs in my_jobs)
        planar_all = _work_buffer(most_in * C_in * w_p, padded.dtype, slot="planar")
        buffer = _work_buffer(most_out * (m * w_p + C_out * W_out), padded.dtype, slot="row sums")
        for images, rows in my_jobs:
            n_img, b = images.stop - images.start, rows.stop - rows.start
            top, in_rows = rows.start * stride_h, (b - 1) * stride_h + kH
            planar = planar_all[: n_img * in_rows * C_in * w_p].reshape(n_img, in_rows, C_in, w_p)
            planar[...] = padded[images, top : top + in_rows].transpose(0, 1, 3, 2)
            view = as_strided(planar, (n_img, b, k, w_p),
                              (in_rows * C_in * w_p * isz, stride_h * C_in * w_p * isz, w_p * isz, isz), writeable=False)
            part = buffer[: n_img * b * m * w_p].reshape(n_img, b, m, w_p)
            for cols in chunks:
                np.matmul(w_fold, view[..., cols], out=part[..., cols])
            block = out[images, rows]  # (n_img, b, W_out, C_out)
            # Output (r, x) of map co adds partial sum j of position x + j * d_w, for every j.
            sums = buffer[n_img * b * m * w_p : n_img * b * (m * w_p + C_out * W_out)].reshape(n_img, b, C_out, W_out)
            dest = block.transpose(0, 1, 3, 2) if C_out == 1 else sums  # (n_img, b, C_out, W_out)
            if kW == 1:
                dest[...] = part[..., :W_out]
            else:
                np.add(part[..., :C_out, :W_out], part[..., C_out : 2 * C_out, d_w : d_w + W_out], out=dest)
            for j in range(2, kW):
                dest += part[..., j * C_out : (j + 1) * C_out, j * d_w : j * d_w + W_out]
            if C_out > 1:
                block[...] = dest.transpose(0, 1, 3, 2)
            if bias is not None:
                block += bias  # while the rows are still in the cache

    if len(jobs) > 1 and m * k * w_p * H_out * n >= PARALLEL_MNK and _usable_cpus() > 1:
        for done in [_threads().submit(work, jobs[half::2]) for half in (0, 1)]:
            done.result()  # re-raises a worker's exception here
    else:
        work(jobs)
    return out


# --------------------------------------------------------------------------- groups


def _depthwise(padded, weights, bias, stride, dilation, out_hw):
    """Depthwise correlation (one input channel per group) by shifts; arguments as in :func:`correlate`.

    Each output channel ``o`` reads input channel ``o // m`` alone (``m = C_out / C_in``,
    the channel multiplier, usually 1). A matrix product would multiply by a kernel
    that is zero almost everywhere, so instead every tap ``(i, j)`` is one
    multiply-add of a whole shifted slice of the image with that tap's weight, per
    channel: ``kH * kW`` multiply-adds, each a broadcasted elementwise product over
    all pixels and channels at once. The tap's weights are laid out as a whole
    output row ``(W_out, C_out)``, so that with stride 1 across, NumPy runs each
    product as one long contiguous loop per row (a per-channel ``(C_out,)`` weight
    would make it a loop of ``C_out`` numbers per pixel, measured 3x slower). The
    rows are done in blocks of about ``DEPTHWISE_BLOCK_BYTES``, so that the scratch
    for the products stays a few MB for any image. The work is memory-bound and
    runs on one core.
    """
    (H_out, W_out), (s_h, s_w), (d_h, d_w) = out_hw, stride, dilation
    C_out, _, kH, kW = weights.shape
    n, C_in = padded.shape[0], padded.shape[3]
    if C_out != C_in:  # channel multiplier m: input channel c feeds outputs c*m .. c*m + m - 1
        padded = np.repeat(padded, C_out // C_in, axis=3)
    padded = np.ascontiguousarray(padded)
    # taps[i, j] is weights[:, 0, i, j] repeated along a whole output row: (kH, kW, W_out, C_out).
    taps = np.ascontiguousarray(np.broadcast_to(weights[:, 0].transpose(1, 2, 0)[:, :, np.newaxis],
                                                (kH, kW, W_out, C_out)))
    out = np.empty((n, H_out, W_out, C_out), padded.dtype)
    rows = max(1, DEPTHWISE_BLOCK_BYTES // (W_out * C_out * padded.itemsize))
    scratch = _work_buffer(min(rows, H_out) * W_out * C_out, padded.dtype, slot="depthwise")
    for img in range(n):
        for r in range(0, H_out, rows):
            m = min(rows, H_out - r)
            block = out[img, r : r + m]
            product = scratch[: m * W_out * C_out].reshape(m, W_out, C_out)
            for i in range(kH):
                top = r * s_h + i * d_h  # the padded row that tap row i reads for output row r
                for j in range(kW):
                    left = j * d_w
                    shifted = padded[img, top : top + s_h * (m - 1) + 1 : s_h,
                                     left : left + s_w * (W_out - 1) + 1 : s_w]  # (m, W_out, C_out)
                    if i == 0 and j == 0:
                        np.multiply(shifted, taps[0, 0], out=block)
                    else:
                        np.multiply(shifted, taps[i, j], out=product)
                        block += product
            if bias is not None:
                block += bias
    return out


def _grouped(padded, weights, bias, stride, dilation, out_hw, groups):
    """Correlation with ``groups`` > 1; arguments as in :func:`correlate`.

    Depthwise (one input channel per group) by shifts (:func:`_depthwise`); otherwise
    group by group, each an ordinary correlation of its ``C_in / groups`` channels
    with its ``C_out / groups`` kernel stacks, written into its block of output maps.
    """
    C_out, C_group = weights.shape[:2]
    if C_group == 1:
        return _depthwise(padded, weights, bias, stride, dilation, out_hw)
    n, (H_out, W_out), per_group = padded.shape[0], out_hw, C_out // groups
    out = np.empty((n, H_out, W_out, C_out), padded.dtype)
    for g in range(groups):
        maps = slice(g * per_group, (g + 1) * per_group)
        part = correlate(padded[..., g * C_group : (g + 1) * C_group], weights[maps], stride, dilation, out_hw,
                         bias=None if bias is None else bias[maps])
        out[..., maps] = part
    return out


def correlate(padded, weights, stride, dilation, out_hw, bias=None, groups=1):
    """Cross-correlate a padded batch with a weight stack.

    Dispatch rule: with few input channels (``C_in < MANY_CHANNELS``, 16), stride 1
    across, ``C_out <= FOLD_C_OUT`` (8) and ``kW >= FOLD_K_W`` (5) or ``C_out == 1``,
    the folded product: row by row (:func:`_row_folded`) without dilation down, else
    on flat phases (:func:`_folded`); otherwise blocked columns,
    channels-first below 16 input channels, channels-last from 16 on (see
    :func:`_tap_views` for why).

    Parameters
    ----------
    padded : ndarray, shape (N, Hp, Wp, C_in)
        Float32 or float64, any strides.
    weights : ndarray, shape (C_out, C_in / groups, kH, kW)
    stride, dilation : (int, int)
    out_hw : (int, int)
        ``(H_out, W_out)``, already known to fit.
    bias : ndarray, shape (C_out,), optional
        Added to every output position (in the dtype of ``padded``).
    groups : int, default 1
        Channel groups, already known to divide ``C_in`` and ``C_out``
        (see :func:`_grouped`).

    Returns
    -------
    ndarray, shape (N, H_out, W_out, C_out), dtype of ``padded``
        A new C-contiguous array.
    """
    C_out, C_in, _, kW = weights.shape
    # Work follows the output's size, not the arguments' values: along an axis with one
    # output the stride is never used, and stride 10**7 must not make 10**7 stride phases.
    # (Rows no window reaches are never read either: each block takes only its own rows.)
    stride = tuple(1 if n_out == 1 else s for n_out, s in zip(out_hw, stride))
    if groups > 1:
        return _grouped(padded, weights, bias, stride, dilation, out_hw, groups)
    few_channels = C_in < MANY_CHANNELS
    if few_channels and stride[1] == 1 and C_out <= FOLD_C_OUT and (kW >= FOLD_K_W or (C_out == 1 and kW > 1)):
        if dilation[0] == 1:
            return _row_folded(padded, weights, bias, stride[0], dilation[1], out_hw)
        return _folded(padded, weights, bias, stride[0], dilation, out_hw)
    return _columns(padded, weights, bias, stride, dilation, out_hw, channels_first=few_channels)
