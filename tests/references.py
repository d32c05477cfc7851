"""Independent references for conv2d: SciPy's correlate2d and PyTorch's Conv2d.

Both take our channels-last layout and return channels-last results, so tests
compare like with like.
"""

import numpy as np
from scipy import signal

from conv2d_lib import resolve_padding

NUMPY_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}

try:
    import torch
except ImportError:  # torch is an optional extra
    torch = None


def scipy_conv2d(image, weights, bias=None, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """conv2d built from scipy.signal.correlate2d: pad, correlate each channel pair, sum, subsample.

    image : (N, H, W, C_in); weights : (C_out, C_in, kH, kW). Returns (N, H_out, W_out, C_out), float64.
    """
    s_h, s_w = (stride, stride) if np.isscalar(stride) else stride
    d_h, d_w = (dilation, dilation) if np.isscalar(dilation) else dilation
    c_out, c_in, k_h, k_w = weights.shape
    pads = resolve_padding(padding, (k_h, k_w), (s_h, s_w), (d_h, d_w))
    x = np.pad(image.astype(np.float64), ((0, 0), *pads, (0, 0)), mode=NUMPY_MODE[padding_mode])
    # Dilation: spread the taps apart with zeros in between.
    dilated = np.zeros((c_out, c_in, d_h * (k_h - 1) + 1, d_w * (k_w - 1) + 1))
    dilated[:, :, ::d_h, ::d_w] = weights
    maps = [
        [sum(signal.correlate2d(x[n, :, :, c], dilated[o, c], mode="valid") for c in range(c_in))
         for o in range(c_out)]
        for n in range(x.shape[0])
    ]
    out = np.array(maps).transpose(0, 2, 3, 1)[:, ::s_h, ::s_w, :]
    return out + (0.0 if bias is None else bias)


def torch_conv2d(image, weights, bias=None, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """conv2d through torch.nn.Conv2d (NCHW inside). image : (N, H, W, C_in). Returns (N, H_out, W_out, C_out)."""
    c_out, c_in, k_h, k_w = weights.shape
    layer = torch.nn.Conv2d(c_in, c_out, (k_h, k_w), stride=stride, padding=padding,
                            dilation=dilation, bias=bias is not None, padding_mode=padding_mode,
                            dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(weights.astype(np.float64)))
        if bias is not None:
            layer.bias.copy_(torch.from_numpy(np.broadcast_to(bias, (c_out,)).astype(np.float64)))
        x = torch.from_numpy(image.astype(np.float64)).permute(0, 3, 1, 2)
        return layer(x).permute(0, 2, 3, 1).numpy()
