"""Kept so that ``from conv2d_lib.activations import relu`` in older notebooks still works.

The activation functions live in :mod:`conv2d_lib.nn.activations`;
``from conv2d_lib import relu`` is the short way.
"""

from .nn.activations import *  # noqa: F401,F403
from .nn.activations import __all__  # noqa: F401
