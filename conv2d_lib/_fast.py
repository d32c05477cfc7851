"""The vectorized inner part of conv2d: a padded batch in, the correlation out.

Inputs are already validated, padded and in the compute dtype.

Why this is fast
----------------
A convolution layer is a matrix product in disguise: every output pixel is a dot
product of one kernel-sized window (``K = C_in * kH * kW`` numbers) with each of
the ``C_out`` filters. BLAS (``np.matmul``) runs matrix products near the CPU's
peak, so the whole game is to feed it the windows cheaply. Three ideas do that:

1. **Flat shifts instead of windows.** Flatten the padded image so that pixel
   ``(r, c)`` sits at position ``p = r * W + c``. With stride 1, the pixel that
   kernel tap ``(i, j)`` sees for output ``p`` is at ``p + i * W + j``: for every
   output at once, a tap is just a *contiguous slice* of the flat image, shifted
   by ``i * W + j``. No window is ever cut out. The price: outputs are computed
   on the full padded width ``W``; the last few of each row "wrap around" into
   the next row and are thrown away (a few percent of extra work).
2. **Stride phases.** A stride ``s`` is turned into stride 1 by splitting the
   image into its ``s x s`` phases (``image[a::s, b::s]``). Tap ``(i, j)`` then
   reads one phase with stride 1, so idea 1 applies; dilation only changes which
   phase and which shift a tap uses. This keeps every stride and dilation exact.
3. **Blocks.** The outputs are computed a block of rows at a time, so the work
   arrays stay in the CPU cache and peak extra memory stays small even for a
   2048 x 2048 photo (never a gigabyte of im2col columns).

The columns are then multiplied by the weights in one BLAS call per block. Their
layout follows the number of input channels (the dispatch rule, see
:func:`_columns_block`): channels-first ``(K, positions)`` below
``MANY_CHANNELS`` input channels (an RGB photo: each tap is one long memcpy),
channels-last ``(positions, K)`` from there on (a network layer: runs of
``C_in`` numbers copy fast, and that is BLAS's favourite layout). With few
output channels the product is skinny and the copying dominates, so the kernel
columns are folded into the product instead (see :func:`_folded_block`).
"""

from __future__ import annotations

import numpy as np

# Dispatch rule: channels-last columns from this many input channels on, below it
# channels-first columns (see _columns_block for why).
MANY_CHANNELS = 16
# One block of columns is about BLOCK_BYTES (the L2 cache of one core) but covers
# at least MIN_BLOCK_POSITIONS outputs, so that each matrix product is big enough
# for BLAS to split across cores (then the block lives in the shared L3 cache).
# Measured on a 2-core AMD EPYC (1 MB L2, 32 MB L3); the speed is flat within ~2x.
BLOCK_BYTES = 1 << 20
MIN_BLOCK_POSITIONS = 4096
# Fold the kernel columns into the product (see _folded_block) up to FOLD_C_OUT output
# channels and from FOLD_K_W kernel columns on (or for a single output channel): the
# product is then so skinny, and the copying saved so large, that folding wins.
# Measured: 1.6-2.4x faster for 3 -> 1 (k3), 3 -> 4 or 8 (k5, k7); 1.1-1.2x slower
# for 3 -> 2 or 8 (k3); several times slower from 16 output channels on.
FOLD_C_OUT = 8
FOLD_K_W = 5


def _phases(padded, stride, dilation, kernel_hw, channels_first):
    """Flatten the padded batch into its stride phases (ideas 1 and 2).

    Parameters
    ----------
    padded : ndarray, shape (N, Hp, Wp, C_in)
    stride, dilation, kernel_hw : (int, int)
    channels_first : bool
        Layout of the result (see below).

    Returns
    -------
    flat : ndarray, shape (s_h * s_w, C_in, M) if ``channels_first`` else (s_h * s_w, M, C_in)
        Phase ``a * s_w + b`` holds ``padded[:, a::s_h, b::s_w]`` zero-filled to
        ``(N, Hq, Wq)`` and flattened, so ``M = N * Hq * Wq + tail``. The ``tail``
        zeros let the last tap of the last block read past the end safely.
    taps : list of (int, int)
        For kernel tap ``(i, j)`` in row-major order: its phase and flat shift.
    hq, wq : int
        Height and width of one phase image.
    """
    n, h_p, w_p, c_in = padded.shape
    (s_h, s_w), (d_h, d_w), (k_h, k_w) = stride, dilation, kernel_hw
    hq, wq = -(-h_p // s_h), -(-w_p // s_w)
    taps = []
    for i in range(k_h):
        for j in range(k_w):
            (qh, ph), (qw, pw) = divmod(i * d_h, s_h), divmod(j * d_w, s_w)
            taps.append((ph * s_w + pw, qh * wq + qw))
    size = n * hq * wq
    tail = max(off for _, off in taps)
    if channels_first:
        flat = np.empty((s_h * s_w, c_in, size + tail), padded.dtype)
        flat[:, :, size:] = 0
        grid = flat[:, :, :size].reshape(s_h, s_w, c_in, n, hq, wq).transpose(0, 1, 3, 4, 5, 2)
    else:
        flat = np.empty((s_h * s_w, size + tail, c_in), padded.dtype)
        flat[:, size:] = 0
        grid = flat[:, :size].reshape(s_h, s_w, n, hq, wq, c_in)
    # grid[a, b] is a (N, Hq, Wq, C_in) view of phase (a, b) inside ``flat``.
    for a in range(s_h):
        for b in range(s_w):
            phase = padded[:, a::s_h, b::s_w]
            h, w = phase.shape[1:3]
            grid[a, b, :, :h, :w] = phase
            grid[a, b, :, h:] = 0  # phases that come out short are zero-filled
            grid[a, b, :, :h, w:] = 0
    return flat, taps, hq, wq


def _columns_block(flat, taps, start, length, w_mat, channels_first):
    """Outputs ``start : start + length`` (flat positions) from one block of columns.

    Parameters
    ----------
    flat, taps : as returned by :func:`_phases`
    start, length : int
    w_mat : ndarray, shape (K, C_out)
        Weights ordered like the columns: tap (row-major), then channel.
    channels_first : bool
        Layout of ``flat``.

    Returns
    -------
    ndarray, shape (length, C_out)

    Notes
    -----
    Channels-first (few channels): the columns are ``(K, length)`` and each tap
    is *one* contiguous copy of its ``C_in`` channel rows. ``cols.T @ w_mat`` lets
    BLAS read the transposed view without a copy.
    Channels-last (many channels): the columns are ``(length, K)`` and each tap
    copies ``length`` runs of ``C_in`` contiguous numbers; with ``C_in >= 16``
    those runs are long enough to copy fast, and ``(length, K)`` is the layout
    BLAS multiplies fastest. Either way the result comes out channels-last.
    """
    c_in = flat.shape[1] if channels_first else flat.shape[2]
    k = len(taps) * c_in
    cols = np.empty((k, length) if channels_first else (length, k), flat.dtype)
    for t, (phase, off) in enumerate(taps):
        if channels_first:
            cols[t * c_in : (t + 1) * c_in] = flat[phase, :, start + off : start + off + length]
        else:
            cols[:, t * c_in : (t + 1) * c_in] = flat[phase, start + off : start + off + length]
    return (cols.T if channels_first else cols) @ w_mat


def _folded_block(flat, row_taps, start, length, w_fold, k_w, d_w):
    """Like :func:`_columns_block`, with the kernel columns folded into the product.

    For few output channels (a skinny product) and stride 1 across: the columns
    hold only tap ``(i, 0)`` of each kernel row, ``kW`` times fewer to copy, and
    one product computes for every position all ``kW * C_out`` partial sums
    "tap column ``j``, filter ``co``". Output ``p`` then adds partial sum ``j``
    of position ``p + j * d_w`` (idea 1 again: tap ``(i, j)`` is tap ``(i, 0)``
    shifted by ``j * d_w``). The flops are the same, but the copying shrinks and
    the product ``(kW * C_out, kH * C_in) @ (kH * C_in, positions)`` is a shape
    BLAS runs faster than ``(positions, K) @ (K, C_out)``.

    Parameters
    ----------
    flat : ndarray, shape (s_h * s_w, C_in, M)
        Channels-first, from :func:`_phases`.
    row_taps : list of (int, int)
        Phase and flat shift of tap ``(i, 0)`` for each kernel row ``i``.
    start, length : int
    w_fold : ndarray, shape (kW * C_out, kH * C_in)
        Row ``j * C_out + co``, column ``i * C_in + ci`` holds ``weights[co, ci, i, j]``.
    k_w, d_w : int
        Kernel width and horizontal dilation.

    Returns
    -------
    ndarray, shape (length, C_out)
    """
    c_in = flat.shape[1]
    c_out = w_fold.shape[0] // k_w
    span = length + (k_w - 1) * d_w  # partial sums are needed up to p + (kW - 1) * d_w
    cols = np.empty((len(row_taps) * c_in, span), flat.dtype)
    for t, (phase, off) in enumerate(row_taps):
        cols[t * c_in : (t + 1) * c_in] = flat[phase, :, start + off : start + off + span]
    part = w_fold @ cols  # (kW * C_out, span)
    res = part[:c_out, :length].copy()
    for j in range(1, k_w):  # contiguous row adds: cheap next to the product
        res += part[j * c_out : (j + 1) * c_out, j * d_w : j * d_w + length]
    return res.T


def correlate(padded, weights, stride, dilation, out_hw):
    """Cross-correlate a padded batch with a weight stack.

    Dispatch rule: channels-last columns when ``C_in >= MANY_CHANNELS`` (16),
    channels-first columns otherwise (see :func:`_columns_block` for why); with
    channels-first columns, stride 1 across, ``C_out <= FOLD_C_OUT`` (8) and
    ``kW >= FOLD_K_W`` (5) or ``C_out == 1``, the kernel columns are folded into
    the product (see :func:`_folded_block`).

    Parameters
    ----------
    padded : ndarray, shape (N, Hp, Wp, C_in)
        Float32 or float64, any strides.
    weights : ndarray, shape (C_out, C_in, kH, kW)
    stride, dilation : (int, int)
    out_hw : (int, int)
        ``(H_out, W_out)``, already known to fit.

    Returns
    -------
    ndarray, shape (N, H_out, W_out, C_out), dtype of ``padded``
        A new C-contiguous array.
    """
    h_out, w_out = out_hw
    c_out, c_in, k_h, k_w = weights.shape
    n = padded.shape[0]
    first = c_in < MANY_CHANNELS
    flat, taps, hq, wq = _phases(padded, stride, dilation, (k_h, k_w), channels_first=first)
    # Order the weights like the columns: taps row-major, then channels -> (K, C_out).
    w_mat = weights.transpose(2, 3, 1, 0).reshape(k_h * k_w * c_in, c_out)
    # Few output channels and stride 1 across: fold the kernel columns (see _folded_block).
    fold = first and stride[1] == 1 and c_out <= FOLD_C_OUT and (k_w >= FOLD_K_W or (c_out == 1 and k_w > 1))
    row_taps = taps[::k_w]  # tap (i, 0) of each kernel row
    # The same weights for the folded product: rows (j, C_out), columns (i, C_in).
    w_fold = weights.transpose(3, 0, 2, 1).reshape(k_w * c_out, k_h * c_in)
    # A block of columns holds K numbers per position, kH * C_in when folded (then
    # the blocks are longer; measured faster for W2 than sizing by the partial sums too).
    col_rows = k_h * c_in if fold else k_h * k_w * c_in
    positions = max(MIN_BLOCK_POSITIONS, BLOCK_BYTES // (col_rows * padded.itemsize))

    # Work on "rows" of the flat phase images: row g is image g // hq, row g % hq.
    # Rows g % hq >= h_out and columns >= w_out are wrap-around work, dropped below.
    out = np.empty((n, h_out, w_out, c_out), padded.dtype)
    rows_per_block = max(1, positions // wq)
    last_row = (n - 1) * hq + h_out
    for g0 in range(0, last_row, rows_per_block):
        g1 = min(g0 + rows_per_block, last_row)
        if fold:
            res = _folded_block(flat, row_taps, g0 * wq, (g1 - g0) * wq, w_fold, k_w, dilation[1])
        else:
            res = _columns_block(flat, taps, g0 * wq, (g1 - g0) * wq, w_mat, first)
        res = res.reshape(g1 - g0, wq, c_out)
        for img in range(g0 // hq, (g1 - 1) // hq + 1):
            a, b = max(g0, img * hq), min(g1, img * hq + h_out)
            if a < b:
                out[img, a - img * hq : b - img * hq] = res[a - g0 : b - g0, :w_out]
    return out
