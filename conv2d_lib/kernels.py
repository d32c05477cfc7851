"""A library of named 2-D kernels, each with a one-line description.

Every kernel is a float64 array of shape ``(kH, kW)``. To use one in
``conv2d`` on a one-channel image pass it as it is; for a stack use
``kernel[np.newaxis, np.newaxis]`` (shape ``(1, 1, kH, kW)``).

Introduced in notebooks/02_kernels.ipynb.

Examples
--------
>>> names()[:3]
['identity', 'box_blur', 'gaussian']
>>> get("sobel_x")
array([[-1.,  0.,  1.],
       [-2.,  0.,  2.],
       [-1.,  0.,  1.]])
"""

from __future__ import annotations

import inspect

import numpy as np

from ._checks import check_choice, check_int, describe as _describe_value

__all__ = ["names", "get", "describe", "from_menu", "SMALL_WEIGHTS", "MAX_SIZE", "identity", "box_blur", "gaussian",
           "sharpen", "sobel_x", "minus_sobel_x", "sobel_y", "prewitt_x", "prewitt_y", "laplacian", "emboss",
           "outline"]


def identity(size=3):
    """Identity, shape (size, size): a 1 in the centre, so the output equals the input.

    Parameters
    ----------
    size : int, default 3
        Odd, so that there is a centre.

    Returns
    -------
    ndarray, shape (size, size), float64

    Raises
    ------
    TypeError
        When ``size`` is not an int.
    ValueError
        When ``size`` is below 1, even, or above :data:`MAX_SIZE`.
    """
    size = _odd_size(size)
    kernel = np.zeros((size, size))
    kernel[size // 2, size // 2] = 1.0
    return kernel


def box_blur(size=3):
    """Box blur, shape (size, size): the plain average of the window.

    Parameters
    ----------
    size : int, default 3

    Returns
    -------
    ndarray, shape (size, size), float64
        Every weight ``1 / size**2``.

    Raises
    ------
    TypeError
        When ``size`` is not an int.
    ValueError
        When ``size`` is below 1 or above :data:`MAX_SIZE`.
    """
    size = check_int(size, "size", 1, MAX_SIZE)
    return np.full((size, size), 1.0 / size**2)


def gaussian(size=5, sigma=1.0):
    """Gaussian blur, shape (size, size): a weighted average, heavier near the centre; sums to 1.

    Parameters
    ----------
    size : int, default 5
        Odd, so that there is a centre.
    sigma : float, default 1.0
        The bell's width in pixels, > 0.

    Returns
    -------
    ndarray, shape (size, size), float64

    Raises
    ------
    TypeError
        When ``size`` is not an int or ``sigma`` not a number.
    ValueError
        When ``size`` is below 1, even or above :data:`MAX_SIZE`, or ``sigma`` is not positive.
    """
    size = _odd_size(size)
    if not isinstance(sigma, (int, float, np.integer, np.floating)) or isinstance(sigma, (bool, np.bool_)):
        raise TypeError(f"sigma must be a positive number (int or float), got {sigma!r} ({type(sigma).__name__})")
    if not sigma > 0:
        raise ValueError(f"sigma must be a positive number, got {sigma!r}")
    offsets = np.arange(size) - size // 2
    bell = np.exp(-(offsets**2) / (2.0 * sigma**2))
    kernel = np.outer(bell, bell)
    return kernel / kernel.sum()


def sharpen():
    """Sharpen, 3x3: the pixel boosted against its four neighbours; sums to 1."""
    return np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float)


def sobel_x():
    """Sobel x, 3x3: responds to vertical edges (brightness changing left to right)."""
    return np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float)


def minus_sobel_x():
    """Minus Sobel x, 3x3: -sobel_x, answers where brightness falls from left to right (Sobel x turned half a turn)."""
    return 0.0 - sobel_x()  # rather than -sobel_x(), which would print its zeros as -0.


def sobel_y():
    """Sobel y, 3x3: responds to horizontal edges (brightness changing top to bottom)."""
    return sobel_x().T.copy()


def prewitt_x():
    """Prewitt x, 3x3: like Sobel x with equal row weights."""
    return np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype=float)


def prewitt_y():
    """Prewitt y, 3x3: like Sobel y with equal column weights."""
    return prewitt_x().T.copy()


def laplacian():
    """Laplacian, 3x3: responds to edges in every direction; sums to 0, so flat areas give 0."""
    return np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float)


def emboss():
    """Emboss, 3x3: lights one side of every edge and shades the other, like a relief."""
    return np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], dtype=float)


def outline():
    """Outline, 3x3: the pixel against all eight neighbours; sums to 0, keeps only edges."""
    return np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], dtype=float)


#: The largest kernel the sized kernels make: far wider than any lesson's image, and small
#: enough that a mistyped size (10**6) is refused at once instead of filling the memory.
MAX_SIZE = 999


def _odd_size(size):
    size = check_int(size, "size", 1, MAX_SIZE)
    if size % 2 == 0:
        raise ValueError(f"size must be odd so the kernel has a centre, got {size}")
    return size


_CATALOGUE = {f.__name__: f for f in (identity, box_blur, gaussian, sharpen, sobel_x, minus_sobel_x, sobel_y,
                                      prewitt_x, prewitt_y, laplacian, emboss, outline)}
# Menus show the name the lessons write: "-sobel_x", as in "what does -sobel_x respond to?"
_CATALOGUE = {("-sobel_x" if name == "minus_sobel_x" else name): f for name, f in _CATALOGUE.items()}


def names():
    """Names of every kernel, in teaching order, for a dropdown.

    Returns
    -------
    list of str
    """
    return list(_CATALOGUE)


def get(name, **params):
    """The kernel called ``name``, made with its default size unless ``params`` say otherwise.

    Parameters
    ----------
    name : str
        One of :func:`names`.
    **params
        Passed to the kernel's function, e.g. ``get("gaussian", size=7, sigma=2.0)``.

    Returns
    -------
    ndarray, shape (kH, kW), float64
        A fresh array: changing it does not change the library.

    Raises
    ------
    TypeError
        When ``params`` names a parameter this kernel does not take (``sobel_x`` has a
        fixed 3 x 3 size), or a value has the wrong type.
    ValueError
        When ``name`` is not a known kernel, or a value is out of range.

    Examples
    --------
    >>> float(get("box_blur", size=3).sum())
    1.0
    """
    check_choice(name, "name", tuple(_CATALOGUE))
    make = _CATALOGUE[name]
    takes = tuple(inspect.signature(make).parameters)
    for key, value in params.items():
        if key not in takes:
            offer = f"it takes {', '.join(takes)}" if takes else "it has a fixed size and takes no parameters"
            raise TypeError(f"kernel {name!r} does not take {key}={_describe_value(value)}: {offer}")
    return make(**params)


#: The explorers' menu entry for :func:`conv2d_lib.images.small_weights`, next to the named kernels.
SMALL_WEIGHTS = "small weights"


def from_menu(name, seed=0):
    """The kernel an explorer's menu entry stands for: a named kernel, or the small weights.

    Parameters
    ----------
    name : str
        One of :func:`names`, or :data:`SMALL_WEIGHTS` for the 3 x 3 weights in
        {-1, 0, 1} that go with the "small numbers" image.
    seed : int, default 0
        Which small weights (only used for :data:`SMALL_WEIGHTS`).

    Returns
    -------
    ndarray, shape (kH, kW), float64

    Raises
    ------
    ValueError
        When ``name`` is neither a kernel nor :data:`SMALL_WEIGHTS`.

    Examples
    --------
    >>> from_menu("small weights").shape, from_menu("sobel_x")[0]
    ((3, 3), array([-1.,  0.,  1.]))
    """
    from .images import small_weights

    check_choice(name, "name", (*_CATALOGUE, SMALL_WEIGHTS))
    return small_weights(3, seed=seed) if name == SMALL_WEIGHTS else get(name)


def describe(name):
    """One-line description of the kernel called ``name``.

    Parameters
    ----------
    name : str
        One of :func:`names`.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        When ``name`` is not a known kernel.

    Examples
    --------
    >>> describe("box_blur")
    'Box blur, shape (size, size): the plain average of the window.'
    """
    check_choice(name, "name", tuple(_CATALOGUE))
    return _CATALOGUE[name].__doc__.strip().split("\n\n")[0]  # the first paragraph
