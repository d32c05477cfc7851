"""Independent references for conv2d: SciPy's correlate2d and PyTorch's conv2d.

Neither shares code with :func:`conv2d_lib.conv2d` beyond the argument checks and
the padding arithmetic, so agreeing with them means something. SciPy (in the test
and lessons extras) and PyTorch (optional) are imported only when asked for, and
:func:`available` says whether one is installed, so that a lesson can go on
without it.

Used by the playground's live check (notebooks/09_playground.ipynb) and the tests.
"""

from __future__ import annotations

import importlib

import numpy as np

from ._checks import check_array, check_choice
from .conv import NUMPY_PAD_MODES, check_conv2d_arguments, resolve_padding

__all__ = ["reference_conv2d", "available", "missing_message", "REFERENCES", "REFERENCE_NAMES"]

REFERENCES = ("scipy", "torch")
#: How each reference is called in messages.
REFERENCE_NAMES = {"scipy": "SciPy", "torch": "PyTorch"}
_MODULES = {"scipy": "scipy", "torch": "torch"}


def available(backend):
    """Whether a reference can run here: ``True`` when its package is installed.

    Parameters
    ----------
    backend : {"scipy", "torch"}

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        When ``backend`` is not one of :data:`REFERENCES`.

    Examples
    --------
    >>> available("scipy") in (True, False)
    True
    """
    check_choice(backend, "backend", REFERENCES)
    try:
        importlib.import_module(_MODULES[backend])
    except ImportError:
        return False
    return True


def missing_message(backend):
    """What to tell a learner whose machine lacks ``backend``: ``"install scipy to compare with SciPy"``.

    Parameters
    ----------
    backend : {"scipy", "torch"}

    Returns
    -------
    str

    Raises
    ------
    ValueError
        When ``backend`` is not one of :data:`REFERENCES`.

    Examples
    --------
    >>> missing_message("torch")
    'install torch to compare with PyTorch'
    """
    check_choice(backend, "backend", REFERENCES)
    return f"install {_MODULES[backend]} to compare with {REFERENCE_NAMES[backend]}"


def reference_conv2d(image, weights, bias=None, stride=1, padding=0, dilation=1, padding_mode="zeros",
                     backend="scipy", groups=1):
    """The same layer computed by SciPy (``correlate2d`` per channel pair) or by PyTorch.

    SciPy: pad with ``np.pad``, spread the taps apart with zeros for the dilation,
    ``scipy.signal.correlate2d(..., mode="valid")`` for every (output, input)
    channel pair, sum over input channels, keep every ``stride``-th row and
    column, add the bias; with groups, map ``o`` sums only the channels of its group.
    PyTorch: ``torch.nn.functional.conv2d`` in float64.

    Parameters
    ----------
    image : ndarray, shape (H, W, C_in)
    weights : ndarray, shape (C_out, C_in / groups, kH, kW)
    bias : None, float or ndarray of shape (C_out,)
    stride, padding, dilation, padding_mode, groups
        As in :func:`conv2d_lib.conv2d`.
    backend : {"scipy", "torch"}

    Returns
    -------
    ndarray, shape (H_out, W_out, C_out), float64

    Raises
    ------
    ImportError
        When the backend is not installed: check :func:`available` first to go on
        without it.
    TypeError, ValueError
        For bad arguments, with the same messages as :func:`conv2d_lib.conv2d`.

    Examples
    --------
    >>> x, w = np.arange(16.0).reshape(4, 4, 1), np.ones((1, 1, 2, 2))
    >>> reference_conv2d(x, w, stride=2)[..., 0]
    array([[10., 18.],
           [42., 50.]])
    """
    check_choice(backend, "backend", REFERENCES)
    image = check_array(image, "image", (3,), "(H, W, C_in)")
    weights = check_array(weights, "weights", (4,), "(C_out, C_in / groups, kH, kW)")
    (sH, sW), (dH, dW) = check_conv2d_arguments(image, weights, bias, stride, padding, dilation, padding_mode,
                                                groups)
    C_out, C_group, kH, kW = weights.shape  # C_group = C_in / groups input channels per map
    pads = resolve_padding(padding, (kH, kW), (sH, sW), (dH, dW))
    bias = np.zeros(C_out) if bias is None else np.broadcast_to(np.asarray(bias, float), (C_out,))
    if not available(backend):
        raise ImportError(f"{REFERENCE_NAMES[backend]} is not installed: {missing_message(backend)} "
                          f"(pip install {_MODULES[backend]})")
    if backend == "torch":
        return _torch_reference(image, weights, bias, (sH, sW), pads, (dH, dW), padding_mode, groups)
    from scipy import signal

    x = np.pad(image.astype(float), (*pads, (0, 0)), mode=NUMPY_PAD_MODES[padding_mode])
    dilated = np.zeros((C_out, C_group, dH * (kH - 1) + 1, dW * (kW - 1) + 1))
    dilated[:, :, ::dH, ::dW] = weights
    per_group = C_out // groups  # maps o of group g = o // per_group see channels g * C_group + c
    maps = [sum(signal.correlate2d(x[:, :, o // per_group * C_group + c], dilated[o, c], mode="valid")
                for c in range(C_group))
            for o in range(C_out)]
    return np.stack(maps, axis=-1)[::sH, ::sW] + bias


def _torch_reference(image, weights, bias, stride, pads, dilation, padding_mode, groups):
    import torch
    import torch.nn.functional as F

    (top, bottom), (left, right) = pads
    x = torch.from_numpy(np.ascontiguousarray(image, dtype=np.float64)).permute(2, 0, 1)[None]
    torch_mode = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate", "circular": "circular"}
    x = F.pad(x, (left, right, top, bottom), mode=torch_mode[padding_mode])
    out = F.conv2d(x, torch.from_numpy(np.ascontiguousarray(weights, dtype=np.float64)),
                   torch.from_numpy(np.array(bias, dtype=np.float64)),
                   stride=stride, dilation=dilation, groups=groups)
    return out[0].permute(1, 2, 0).numpy()
