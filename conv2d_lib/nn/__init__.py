"""A tiny neural-network toolkit on top of conv2d: layers that know their own backward pass.

No autograd engine: every layer's ``forward`` keeps what its ``backward`` needs, and
``backward`` turns the gradient of the loss with respect to its output into the
gradient with respect to its input (and fills ``grads`` for its parameters). A
learner can read every line. Shapes are channels-last, as everywhere in the package:
images ``(N, H, W, C)``, features ``(N, F)``.

Examples
--------
>>> import numpy as np
>>> from conv2d_lib.nn import Dense, ReLU, Sequential, SoftmaxCrossEntropy, SGD
>>> model = Sequential([Dense(4, 8, seed=0), ReLU(), Dense(8, 3, seed=1)])
>>> loss = SoftmaxCrossEntropy()
>>> x, labels = np.ones((2, 4), np.float32), np.array([0, 2])
>>> value = loss(model(x), labels)
>>> _ = model.backward(loss.backward())
>>> SGD(model, lr=0.1).step()
"""

from .activations import active_fraction, relu
from .conv_layer import Conv2D, make_stack, run_stack
from .data import Digits, load_digits
from .layers import Dense, Flatten, Layer, MaxPool2D, ReLU
from .loss import SoftmaxCrossEntropy, softmax
from .metrics import confusion_matrix
from .model import Sequential
from .optim import SGD

__all__ = ["Conv2D", "make_stack", "run_stack", "relu", "active_fraction", "Layer", "Dense", "ReLU", "Flatten", "MaxPool2D", "Sequential", "SoftmaxCrossEntropy", "SGD", "Digits", "load_digits", "softmax", "confusion_matrix"]
