"""Explorers: ipywidgets controls wired to conv2d_lib's maths and figures.

This is the only part of the package that imports ipywidgets. Each
``explore_*`` function returns an :class:`Explorer`; showing it in a notebook
shows its controls and its figure. Its ``update`` is a plain function of the
control values, so tests drive it without a browser.
"""

from ._base import Explorer
from ._sources import ImageChooser
from .arrays import explore_channels_of_image, explore_image_patch
from .beyond import explore_groups, explore_pointwise, explore_pooling, explore_transpose
from .bias import explore_bias
from .padding import explore_padding
from .playground import explore_playground
from .stacking import explore_stacking
from .stride import explore_stride
from .channels import explore_channels, explore_output_channels
from .kernels import explore_cross_correlation, explore_kernel_gallery
from .learning import explore_learning
from .timing import explore_timing
from .backprop import explore_image_gradient, explore_weight_gradient
from .tiny_cnn import TrainingCurves, explore_drawing, explore_feature_maps, explore_training

__all__ = ["Explorer", "ImageChooser", "explore_padding", "explore_stride", "explore_channels", "explore_output_channels", "explore_channels_of_image", "explore_image_patch", "explore_bias", "explore_cross_correlation", "explore_kernel_gallery", "explore_stacking", "explore_playground", "explore_timing", "explore_weight_gradient", "explore_image_gradient", "explore_pointwise", "explore_groups", "explore_transpose", "explore_pooling", "explore_learning", "explore_feature_maps", "explore_drawing", "explore_training", "TrainingCurves"]
