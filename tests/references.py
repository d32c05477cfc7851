"""Independent references for conv2d in the tests, on batches: SciPy's correlate2d and PyTorch's Conv2d.

The SciPy one is the package's own (``conv2d_lib.references``, which the playground
shows live); the PyTorch one goes through ``torch.nn.Conv2d`` with its own
``padding`` and ``padding_mode``, so that our "same" and mode handling is checked
against PyTorch's, not against our own arithmetic.
"""

import numpy as np

from conv2d_lib.references import reference_conv2d

try:
    import torch
except ImportError:  # torch is an optional extra
    torch = None


def scipy_conv2d(image, weights, bias=None, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """image : (N, H, W, C_in); weights : (C_out, C_in, kH, kW). Returns (N, H_out, W_out, C_out), float64."""
    return np.stack([reference_conv2d(one, weights, bias, stride, padding, dilation, padding_mode)
                     for one in image])


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


def numerical_gradient(loss, array, step=1e-6):
    """Central differences of the scalar ``loss()`` with respect to every entry of ``array``.

    ``array`` is changed in place one entry at a time and put back: the definition of the
    gradient, independent of any backward pass.
    """
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        kept = array[index]
        array[index] = kept + step
        up = loss()
        array[index] = kept - step
        down = loss()
        array[index] = kept
        grad[index] = (up - down) / (2 * step)
    return grad
