"""Global settings, as in Keras 2: the default float type, the fuzz factor
and the image data format.

``floatx`` is the dtype given to new variables, constants and placeholders
when none is asked for; ``epsilon`` is the small constant that optimizers
and losses add to denominators and use to clip probabilities;
``image_data_format`` says where the channel axis of an image batch is.

The three values live in one place, ``SETTINGS``, under the names Keras 2's
own ``keras.backend.common`` module gives them (``_FLOATX``, ``_EPSILON``,
``_IMAGE_DATA_FORMAT``). When minigrad runs as Keras's backend,
``share_settings_with(keras.backend.common)`` makes that module the place:
``keras.backend.set_floatx('float64')`` and ``K.set_floatx('float64')`` then
change the same setting, with no copy to keep in step.
"""

import types

import numpy as np

_FLOAT_TYPES = ("float16", "float32", "float64")
_DATA_FORMATS = ("channels_last", "channels_first")

#: Where the settings live (see ``share_settings_with``).
SETTINGS = types.SimpleNamespace(_FLOATX="float32", _EPSILON=1e-7,
                                 _IMAGE_DATA_FORMAT="channels_last")


def share_settings_with(module):
    """Keep the settings in ``module`` (Keras's ``keras.backend.common``) from now on.

    The module's current values win: they are the ones Keras read from its
    ``keras.json``.

    >>> import types
    >>> before = SETTINGS
    >>> keras_common = types.SimpleNamespace(_FLOATX='float64', _EPSILON=1e-7,
    ...                                      _IMAGE_DATA_FORMAT='channels_last')
    >>> share_settings_with(keras_common); floatx()
    'float64'
    >>> keras_common._FLOATX = 'float16'; floatx()    # Keras's set_floatx, seen here
    'float16'
    >>> share_settings_with(before)                   # (undo, for this example)
    """
    global SETTINGS
    SETTINGS = module


def floatx():
    """The default float type, as a string (``'float32'`` unless changed).

    >>> floatx()
    'float32'
    """
    return SETTINGS._FLOATX


def set_floatx(floatx):
    """Set the default float type: ``'float16'``, ``'float32'`` or ``'float64'``.

    Only nodes created afterwards are affected. Anything else raises
    ``ValueError`` and leaves the setting as it was.

    >>> set_floatx('float64'); floatx()
    'float64'
    >>> set_floatx('float32')
    """
    if str(floatx) not in _FLOAT_TYPES:
        raise ValueError(f"set_floatx: unknown float type {floatx!r}; expected one of {_FLOAT_TYPES}")
    SETTINGS._FLOATX = str(floatx)


def epsilon():
    """The fuzz factor used in numeric expressions (``1e-7`` unless changed).

    >>> epsilon()
    1e-07
    """
    return SETTINGS._EPSILON


def set_epsilon(e):
    """Set the fuzz factor; it must be a non-negative number.

    >>> set_epsilon(1e-5); epsilon()
    1e-05
    >>> set_epsilon(1e-7)
    """
    e = float(e)
    if not e >= 0:
        raise ValueError(f"set_epsilon: epsilon must be >= 0, got {e!r}")
    SETTINGS._EPSILON = e


def image_data_format():
    """``'channels_last'`` (the default) or ``'channels_first'``: where image
    batches keep their channels (used by ``bias_add`` and the image helpers).

    >>> image_data_format()
    'channels_last'
    """
    return SETTINGS._IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Set the default data format: ``'channels_last'`` or ``'channels_first'``.

    >>> set_image_data_format('channels_first'); image_data_format()
    'channels_first'
    >>> set_image_data_format('channels_last')
    """
    SETTINGS._IMAGE_DATA_FORMAT = normalize_data_format(data_format, "set_image_data_format")


def normalize_data_format(data_format, what="data_format"):
    """``data_format``, checked; ``None`` means ``image_data_format()``.

    >>> normalize_data_format(None), normalize_data_format('channels_first')
    ('channels_last', 'channels_first')
    >>> normalize_data_format('nchw', 'bias_add')
    Traceback (most recent call last):
    ...
    ValueError: bias_add: unknown data_format 'nchw'; expected 'channels_last' or 'channels_first'
    """
    if data_format is None:
        return image_data_format()
    if data_format not in _DATA_FORMATS:
        raise ValueError(f"{what}: unknown data_format {data_format!r}; expected "
                         "'channels_last' or 'channels_first'")
    return str(data_format)


def as_dtype(dtype):
    """Normalise a dtype argument (``None`` means ``floatx()``) to a NumPy dtype.

    >>> as_dtype(None), as_dtype('int32')
    (dtype('float32'), dtype('int32'))
    """
    if dtype is None:
        return np.dtype(SETTINGS._FLOATX)
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
    return dtype if dtype.kind == "f" else np.dtype(SETTINGS._FLOATX)
