"""Kept so that ``from conv2d_lib.layers import ...`` in older notebooks still works.

The Conv2D layer and the stack helpers live in :mod:`conv2d_lib.nn.conv_layer`, beside the
other layers of the tiny network toolkit; ``from conv2d_lib import Conv2D`` is the short way.
"""

from .nn.conv_layer import *  # noqa: F401,F403
from .nn.conv_layer import __all__  # noqa: F401
