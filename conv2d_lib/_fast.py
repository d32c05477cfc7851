"""The vectorized inner part of conv2d: a padded batch in, the correlation out.

Inputs are already validated, padded and in the compute dtype.

How it is fast
--------------
A convolution is a matrix product in disguise: stack every kernel-sized window of
the input as one column ("im2col") and the whole layer is ``weights @ columns``,
which BLAS runs near the machine's peak. Two tricks keep that cheap:

1. *Flat shifts instead of windows.* Flatten a channels-first image to one long
   row per channel. With stride 1, the pixel that kernel tap ``(i, j)`` sees for
   output ``(r, c)`` sits ``i * W + j`` places after pixel ``(r, c)``, so the row of
   columns for that tap is a *contiguous slice* of the flat image: copying it is a
   plain memcpy. The price is that outputs are computed on the full padded width
   ``W``; the last few columns of each row "wrap around" into the next row and are
   thrown away.
   A stride ``s`` is turned into stride 1 by splitting the image into its ``s x s``
   phases (every ``s``-th pixel, starting at 0, 1, ..., s - 1): each tap then reads
   one phase with stride 1. Dilation only changes which phase and which shift.
2. *Blocks.* The columns are built and multiplied a few output rows at a time, so
   they stay in the CPU cache (about 1 MB) and peak extra memory stays small even
   for a 2048 x 2048 photo.
"""

from __future__ import annotations

import numpy as np

# Column block size in bytes: each block of columns should fit in the L2 cache
# (1 MB per core on the reference machine) so that BLAS reads it from cache.
_BLOCK_BYTES = 1 << 19


def _phases(padded, stride, dilation, kernel_hw):
    """Rearrange the padded batch into flat, channels-first stride phases.

    Parameters
    ----------
    padded : ndarray, shape (N, Hp, Wp, C_in)
    stride, dilation, kernel_hw : (int, int)

    Returns
    -------
    flat : ndarray, shape (s_h * s_w, C_in, N * Hq * Wq + tail)
        ``flat[a * s_w + b, c]`` is channel ``c`` of ``padded[:, a::s_h, b::s_w]``,
        zero-filled to ``(N, Hq, Wq)`` and flattened; ``tail`` zeros at the end let the
        last block read past the last image without a bounds check.
    taps : list of (int, int)
        For each kernel tap ``(i, j)`` (row-major), the phase it reads and its flat shift.
    hq, wq : int
        Size of one phase image.
    """
    n, h_p, w_p, c_in = padded.shape
    (s_h, s_w), (d_h, d_w), (k_h, k_w) = stride, dilation, kernel_hw
    hq, wq = -(-h_p // s_h), -(-w_p // s_w)
    taps = []
    for i in range(k_h):
        for j in range(k_w):
            (qh, ph), (qw, pw) = divmod(i * d_h, s_h), divmod(j * d_w, s_w)
            taps.append((ph * s_w + pw, qh * wq + qw))
    tail = max(off for _, off in taps) + wq
    flat = np.empty((s_h * s_w, c_in, n * hq * wq + tail), dtype=padded.dtype)
    flat[:, :, n * hq * wq :] = 0
    grid = flat[:, :, : n * hq * wq].reshape(s_h, s_w, c_in, n, hq, wq)
    for a in range(s_h):
        for b in range(s_w):
            phase = padded[:, a::s_h, b::s_w, :].transpose(3, 0, 1, 2)  # (C_in, N, h, w)
            h, w = phase.shape[2:]
            grid[a, b, :, :, :h, :w] = phase
            grid[a, b, :, :, h:, :] = 0  # phases shorter than hq x wq are zero-filled
            grid[a, b, :, :, :h, w:] = 0
    return flat, taps, hq, wq


def _blocks(n, h_out, hq, wq, col_bytes):
    """Split the output into blocks whose columns (K x length) fit the cache.

    Yields ``(n0, n1, r0, r1, rows)``: images ``n0:n1``, output rows ``r0:r1``, and
    the number of phase rows computed per image (whole images are computed with
    their wasted bottom rows when several small images share one block).
    """
    rows = max(1, _BLOCK_BYTES // (col_bytes * wq))
    if rows >= hq:  # several whole (small) images per block
        per = rows // hq
        for n0 in range(0, n, per):
            yield n0, min(n0 + per, n), 0, h_out, hq
    else:
        for i in range(n):
            for r0 in range(0, h_out, rows):
                r1 = min(r0 + rows, h_out)
                yield i, i + 1, r0, r1, r1 - r0


def correlate(padded, weights, stride, dilation, out_hw):
    """Cross-correlate a padded batch with a weight stack.

    Parameters
    ----------
    padded : ndarray, shape (N, Hp, Wp, C_in)
    weights : ndarray, shape (C_out, C_in, kH, kW)
    stride, dilation : (int, int)
    out_hw : (int, int)
        ``(H_out, W_out)``, already known to fit.

    Returns
    -------
    ndarray, shape (N, H_out, W_out, C_out), dtype of ``padded``
    """
    h_out, w_out = out_hw
    c_out, c_in, k_h, k_w = weights.shape
    n = padded.shape[0]
    flat, taps, hq, wq = _phases(padded, stride, dilation, (k_h, k_w))
    k = c_in * k_h * k_w
    # Columns are ordered (tap, channel); order the weights the same way: (K, C_out).
    w_mat = weights.transpose(2, 3, 1, 0).reshape(k, c_out)
    out = np.empty((n, h_out, w_out, c_out), dtype=padded.dtype)
    for n0, n1, r0, r1, rows in _blocks(n, h_out, hq, wq, k * padded.itemsize):
        start = (n0 * hq + r0) * wq
        length = (n1 - n0) * rows * wq
        cols = np.empty((k, length), dtype=padded.dtype)
        for t, (phase, off) in enumerate(taps):
            cols[t * c_in : (t + 1) * c_in] = flat[phase, :, start + off : start + off + length]
        # (length, K) @ (K, C_out): BLAS reads the transposed columns without a copy
        # and writes channels-last output directly.
        res = cols.T @ w_mat
        out[n0:n1, r0:r1] = res.reshape(n1 - n0, rows, wq, c_out)[:, : r1 - r0, :w_out]
    return out
