"""Global settings, as in Keras 2: the default float type and the fuzz factor.

``floatx`` is the dtype given to new variables, constants and placeholders
when none is asked for; ``epsilon`` is the small constant that optimizers
and losses add to denominators and use to clip probabilities.
"""

import numpy as np

_FLOATX = "float32"
_EPSILON = 1e-7
_FLOAT_TYPES = ("float16", "float32", "float64")


def floatx():
    """The default float type, as a string (``'float32'`` unless changed).

    >>> floatx()
    'float32'
    """
    return _FLOATX


def set_floatx(floatx):
    """Set the default float type: ``'float16'``, ``'float32'`` or ``'float64'``.

    Only nodes created afterwards are affected. Anything else raises
    ``ValueError`` and leaves the setting as it was.

    >>> set_floatx('float64'); floatx()
    'float64'
    >>> set_floatx('float32')
    """
    global _FLOATX
    if str(floatx) not in _FLOAT_TYPES:
        raise ValueError(f"set_floatx: unknown float type {floatx!r}; expected one of {_FLOAT_TYPES}")
    _FLOATX = str(floatx)


def epsilon():
    """The fuzz factor used in numeric expressions (``1e-7`` unless changed).

    >>> epsilon()
    1e-07
    """
    return _EPSILON


def set_epsilon(e):
    """Set the fuzz factor; it must be a non-negative number.

    >>> set_epsilon(1e-5); epsilon()
    1e-05
    >>> set_epsilon(1e-7)
    """
    global _EPSILON
    e = float(e)
    if not e >= 0:
        raise ValueError(f"set_epsilon: epsilon must be >= 0, got {e!r}")
    _EPSILON = e


def as_dtype(dtype):
    """Normalise a dtype argument (``None`` means ``floatx()``) to a NumPy dtype.

    >>> as_dtype(None), as_dtype('int32')
    (dtype('float32'), dtype('int32'))
    """
    if dtype is None:
        return np.dtype(_FLOATX)
    try:
        return np.dtype(dtype)
    except TypeError as error:
        raise TypeError(f"unknown dtype {dtype!r}") from error


def float_dtype(dtype):
    """The dtype a float-valued op gives for an input of ``dtype``: floats keep
    their precision; integers and booleans become ``floatx()``.

    >>> float_dtype('float64'), float_dtype('int32'), float_dtype(bool)
    (dtype('float64'), dtype('float32'), dtype('float32'))
    """
    dtype = np.dtype(dtype)
    return dtype if dtype.kind == "f" else np.dtype(_FLOATX)
