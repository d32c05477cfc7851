"""Argument checks shared by the public entry points.

Every public function validates its arguments once, here, and raises a
``TypeError`` or ``ValueError`` that names the argument, what was given and
what is accepted. Internal helpers trust what these functions return.
"""

from __future__ import annotations

import numbers

import numpy as np

# dtype kinds we compute with: bool, signed int, unsigned int, float.
_NUMERIC_KINDS = "biuf"


def describe(value) -> str:
    """Short description of a value for an error message."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def is_int(value) -> bool:
    """True for Python and NumPy integers, False for bool and everything else."""
    if type(value) is int:  # the common case, without the slower abstract-class check
        return True
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def check_int(value, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int, or raise naming ``name``; ``maximum`` says where the limit is set."""
    if not is_int(value):
        raise TypeError(f"{name} must be an int, got {describe(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum:,}, got {value:,}")
    return value


def check_pair(value, name: str, minimum: int) -> tuple[int, int]:
    """Accept an int or a pair of ints (rows, columns); return the pair."""
    if type(value) is tuple and len(value) == 2 and type(value[0]) is int and type(value[1]) is int \
            and value[0] >= minimum and value[1] >= minimum:
        return value  # already a checked pair: the common case inside the package
    if is_int(value):
        value = (value, value)
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{name} must be an int or a pair of ints (rows, columns), got {describe(value)}")
    if len(value) != 2:
        raise ValueError(f"{name} must be an int or a pair of ints (rows, columns), got {len(value)} "
                         f"values: {describe(value)}")
    return tuple(check_int(v, f"{name}[{i}]", minimum) for i, v in enumerate(value))


def plain_array(value, name: str):
    """``value`` as a plain ndarray when it is an ndarray subclass; anything else unchanged.

    ``np.matrix`` (always 2-D, ``*`` means the matrix product) and ``np.memmap`` are
    read as the plain arrays they hold. A masked array is read the same way when
    nothing is masked; with masked values it is refused, since a window sum cannot
    leave values out (and silently using the values under the mask would be wrong).
    """
    if type(value) is np.ndarray or not isinstance(value, np.ndarray):
        return value
    if isinstance(value, np.ma.MaskedArray):
        masked = int(np.ma.count_masked(value))
        if masked:
            raise ValueError(
                f"{name} is a masked array with {masked} masked value(s) (shape {value.shape}): a "
                f"convolution cannot leave values out of its window sums; fill them first "
                f"({name}.filled(0), or another value) and pass the plain array"
            )
        return np.ma.getdata(value)
    return np.asarray(value)


def check_array(value, name: str, ndims: tuple[int, ...], shape_text: str) -> np.ndarray:
    """Check that ``value`` is a non-empty real numeric ndarray with one of ``ndims`` dimensions.

    Returns ``value`` as a plain ndarray (see :func:`plain_array` for subclasses).
    """
    value = plain_array(value, name)
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray of shape {shape_text}, got {describe(value)}")
    if value.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(
            f"{name} must hold real numbers (bool, int, uint or float), got dtype {value.dtype}"
        )
    if value.ndim not in ndims:
        raise ValueError(
            f"{name} must have {' or '.join(map(str, ndims))} dimensions {shape_text}, "
            f"got {value.ndim} dimensions with shape {value.shape}"
        )
    if value.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {value.shape}")
    return value


def format_bytes(size: int) -> str:
    """``size`` bytes in words: ``'3.0 GiB'``, ``'512 KiB'``."""
    if size >= 1 << 50:
        return f"about {size:.1e} bytes"
    for unit, shift in (("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift:
            return f"{size / (1 << shift):,.1f} {unit}"
    return f"{size} bytes"


def check_array_bytes(shape, itemsize: int, limit: int, what: str, cause: str) -> None:
    """Refuse to build an array of ``shape`` when it would take more than ``limit`` bytes.

    Parameters
    ----------
    shape : tuple of int
        The shape of the array that would be built.
    itemsize : int
        Bytes per element.
    limit : int
        The largest size accepted, in bytes.
    what : str
        What the array is, for the message ("the padded input").
    cause : str
        The argument (and value) that makes it so big, first in the message.

    Raises
    ------
    ValueError
        Naming ``cause``, the shape, its size and the limit.
    """
    size = itemsize
    for n in shape:
        size *= n
    if size > limit:
        raise ValueError(
            f"{cause} makes {what} of shape {tuple(shape)}, {format_bytes(size)}: more than the "
            f"{format_bytes(limit)} conv2d_lib builds at most (conv2d_lib.conv.MAX_ARRAY_BYTES)"
        )


def check_choice(value, name: str, choices: tuple[str, ...]) -> str:
    """Check that ``value`` is one of the strings in ``choices``."""
    if not isinstance(value, str) or value not in choices:
        accepted = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {accepted}, got {describe(value)}")
    return value


def check_mode_fits(pads, sizes, padding_mode, axes=("height", "width"), given=None):
    """Check that the input is large enough for its padding mode, as in PyTorch.

    reflect needs every padding < the input's size along that axis (it mirrors
    without repeating the edge), circular needs padding <= size (it wraps around once).

    Parameters
    ----------
    pads : sequence of (int, int)
        ``(before, after)`` for each axis.
    sizes : sequence of int
        The input's size along each axis.
    padding_mode : str
        One of conv2d's padding modes (already checked).
    axes : sequence of str
        The axes' names, for the message.
    given : str, optional
        How the message names the padding given (default ``"padding <largest>"``).
    """
    for (before, after), n, axis in zip(pads, sizes, axes):
        largest = max(before, after)
        text = given or f"padding {largest}"
        if padding_mode == "reflect" and largest >= n:
            raise ValueError(f"padding_mode='reflect' needs padding < the input {axis} ({n}), got {text}")
        if padding_mode == "circular" and largest > n:
            raise ValueError(f"padding_mode='circular' needs padding <= the input {axis} ({n}), got {text}")
