"""Independent references for conv2d: SciPy's correlate2d and PyTorch's conv2d.

Neither shares code with :func:`conv2d_lib.conv2d` beyond the argument checks and
the padding arithmetic, so agreeing with them means something. SciPy (a test
dependency) and PyTorch (optional) are imported only when asked for.

Used by the playground's live check (notebooks/09_playground.ipynb) and the tests.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_array, check_choice, check_pair
from .conv import _NUMPY_PAD_MODE, PADDING_MODES, output_size, resolve_padding

__all__ = ["reference_conv2d", "REFERENCES"]

REFERENCES = ("scipy", "torch")


def reference_conv2d(image, weights, bias=None, stride=1, padding=0, dilation=1, padding_mode="zeros",
                     backend="scipy"):
    """The same layer computed by SciPy (``correlate2d`` per channel pair) or by PyTorch.

    SciPy: pad with ``np.pad``, spread the taps apart with zeros for the dilation,
    ``scipy.signal.correlate2d(..., mode="valid")`` for every (output, input)
    channel pair, sum over input channels, keep every ``stride``-th row and
    column, add the bias. PyTorch: ``torch.nn.functional.conv2d`` in float64.

    Parameters
    ----------
    image : ndarray, shape (H, W, C_in)
    weights : ndarray, shape (C_out, C_in, kH, kW)
    bias : None, float or ndarray of shape (C_out,)
    stride, padding, dilation, padding_mode
        As in :func:`conv2d_lib.conv2d`.
    backend : {"scipy", "torch"}

    Returns
    -------
    ndarray, shape (H_out, W_out, C_out), float64

    Raises
    ------
    ImportError
        When the backend is not installed (SciPy is a test dependency, PyTorch optional).
    TypeError, ValueError
        For bad arguments, as :func:`conv2d_lib.conv2d` (which checks them first).

    Examples
    --------
    >>> x, w = np.arange(16.0).reshape(4, 4, 1), np.ones((1, 1, 2, 2))
    >>> reference_conv2d(x, w, stride=2)[..., 0]
    array([[10., 18.],
           [42., 50.]])
    """
    check_choice(backend, "backend", REFERENCES)
    image = check_array(image, "image", (3,), "(H, W, C_in)")
    weights = check_array(weights, "weights", (4,), "(C_out, C_in, kH, kW)")
    (s_h, s_w), (d_h, d_w) = check_pair(stride, "stride", 1), check_pair(dilation, "dilation", 1)
    c_out, c_in, k_h, k_w = weights.shape
    pads = resolve_padding(padding, (k_h, k_w), (s_h, s_w), (d_h, d_w))
    if image.shape[2] != c_in:
        raise ValueError(f"image has {image.shape[2]} channel(s) (shape {image.shape}) but weights expect "
                         f"C_in={c_in} (weights shape {weights.shape})")
    output_size(image.shape[:2], (k_h, k_w), (s_h, s_w), padding, (d_h, d_w))  # raises in words if it cannot fit
    check_choice(padding_mode, "padding_mode", PADDING_MODES)
    bias = np.zeros(c_out) if bias is None else np.broadcast_to(np.asarray(bias, float), (c_out,))
    if backend == "torch":
        return _torch_reference(image, weights, bias, (s_h, s_w), pads, (d_h, d_w), padding_mode)
    try:
        from scipy import signal
    except ImportError:
        raise ImportError("SciPy not installed: pip install scipy (it is in the [test] extra)") from None
    x = np.pad(image.astype(float), (*pads, (0, 0)), mode=_NUMPY_PAD_MODE[padding_mode])
    dilated = np.zeros((c_out, c_in, d_h * (k_h - 1) + 1, d_w * (k_w - 1) + 1))
    dilated[:, :, ::d_h, ::d_w] = weights
    maps = [sum(signal.correlate2d(x[:, :, c], dilated[o, c], mode="valid") for c in range(c_in))
            for o in range(c_out)]
    return np.stack(maps, axis=-1)[::s_h, ::s_w] + bias


def _torch_reference(image, weights, bias, stride, pads, dilation, padding_mode):
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        raise ImportError("PyTorch not installed: pip install torch (the [torch] extra)") from None
    (top, bottom), (left, right) = pads
    x = torch.from_numpy(np.ascontiguousarray(image, dtype=np.float64)).permute(2, 0, 1)[None]
    torch_mode = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate", "circular": "circular"}
    x = F.pad(x, (left, right, top, bottom), mode=torch_mode[padding_mode])
    out = F.conv2d(x, torch.from_numpy(np.ascontiguousarray(weights, dtype=np.float64)),
                   torch.from_numpy(np.array(bias, dtype=np.float64)),
                   stride=stride, dilation=dilation)
    return out[0].permute(1, 2, 0).numpy()
