"""conv2d_lib: the 2-D convolution layer from scratch in NumPy, for learning.

The numeric core (``conv``, ``backward``, ``kernels``, ``images``' synthetic patterns, and ``nn``:
the Conv2D layer, ReLU and the tiny network toolkit) needs NumPy alone. ``conv2d_lib.plot`` draws with matplotlib and
``conv2d_lib.widgets`` wires sliders with ipywidgets; import them explicitly.

Shapes: images ``(H, W)``, ``(H, W, C_in)`` or ``(N, H, W, C_in)`` (channels-last),
weights ``(C_out, C_in, kH, kW)`` (``(C_out, C_in / groups, kH, kW)`` with groups; a transposed
convolution's ``(C_in, C_out / groups, kH, kW)``, as in PyTorch), outputs ``(H_out, W_out, C_out)``.
"""

from . import images, kernels
from .backward import conv2d_backward
from .conv import (PADDING_MODES, channel_contributions, conv2d, conv2d_loops, explain_output_size, output_size, pad,
                   resolve_padding)
from .nn.activations import relu
from .nn.conv_layer import Conv2D
from .pooling import avg_pool2d, max_pool2d, max_pool2d_backward
from .transpose import conv_transpose2d, conv_transpose2d_loops, transpose_output_size

__version__ = "0.1.0"
__all__ = ["conv2d", "conv2d_loops", "conv2d_backward", "channel_contributions", "output_size", "explain_output_size", "pad", "resolve_padding", "PADDING_MODES",
           "Conv2D", "relu", "kernels", "images", "conv_transpose2d", "conv_transpose2d_loops", "transpose_output_size",
           "max_pool2d", "avg_pool2d", "max_pool2d_backward"]
