"""The Keras-2-style functional API: ``from minigrad import backend as K``.

This module only gathers names; each lives with its concept:

* configuration -- ``minigrad.config``
* placeholders, variables, values, updates -- ``minigrad.tensors``
* operations -- ``minigrad.ops`` (one module per family: elementwise,
  reduce, shape, indexing, linalg, nn, random, phase, utility, image,
  control)
* ``gradients`` -- ``minigrad.autodiff``
* ``function`` -- ``minigrad.executor``

The Keras 2.2 backend names minigrad does not implement (convolutions,
pooling, CTC, sessions, ...) are listed in ``UNSUPPORTED``
with the reason; ``K.conv2d`` and the like exist, and calling one raises
``NotImplementedError`` naming it (never an ``AttributeError``).

This module is also a backend for the unmodified Keras 2.2.4 package
(``KERAS_BACKEND=minigrad.backend``, or ``from minigrad import keras2``):
Keras copies its names, and ``minigrad.keras_setup`` does the rest.
"""

import itertools
import os

from . import keras_setup
from .config import (epsilon, floatx, image_data_format, normalize_data_format, set_epsilon,
                     set_floatx, set_image_data_format)
from .tensors import (
    batch_get_value, batch_set_value, cast_to_floatx, constant, count_params, dtype, eval,
    eye, get_value, get_variable_shape, int_shape, is_keras_tensor, is_placeholder, is_sparse,
    is_tensor, moving_average_update, name_scope, ndim, ones, ones_like, placeholder, set_value,
    to_dense, update, update_add, update_sub, variable, zeros, zeros_like,
)
from .ops import (
    abs, all, any, arange, argmax, argmin, batch_dot, batch_flatten, batch_normalization,
    bias_add, binary_crossentropy, cast, categorical_crossentropy, clip, concatenate, cos,
    cumprod, cumsum, dot, dropout, elu, equal, exp, expand_dims, flatten, foldl, foldr,
    gather, greater, greater_equal, hard_sigmoid, identity, in_test_phase, in_top_k,
    in_train_phase, l2_normalize, learning_phase, less, less_equal, log, logsumexp, map_fn,
    max, maximum, mean, min, minimum, normalize_batch_in_training, not_equal, one_hot,
    permute_dimensions, pow, print_tensor, prod, random_binomial, random_normal,
    random_normal_variable, random_uniform, random_uniform_variable, relu, repeat,
    repeat_elements, reset_learning_phase, reshape, resize_images, resize_volumes, reverse, rnn,
    round, set_learning_phase, shape, sigmoid, sign, sin, slice, softmax, softplus, softsign,
    sparse_categorical_crossentropy, spatial_2d_padding, spatial_3d_padding, sqrt, square,
    squeeze, stack, std, stop_gradient, sum, switch, tanh, temporal_padding, tile,
    transpose, truncated_normal, var,
)
from .autodiff import gradients
from .executor import function


# --------------------------------------------------------------------------
# Small pieces of Keras 2's global state

_UIDS = {}


def backend():
    """The name of the backend: ``'minigrad'``.

    >>> from minigrad import backend as K
    >>> K.backend()
    'minigrad'
    """
    return "minigrad"


def get_uid(prefix=""):
    """1, 2, 3, ... per ``prefix``: unique numbers for layer names, as in Keras.

    >>> from minigrad import backend as K
    >>> K.reset_uids(); K.get_uid('dense'), K.get_uid('dense')
    (1, 2)
    """
    _UIDS.setdefault(prefix, itertools.count(1))
    return next(_UIDS[prefix])


def reset_uids():
    """Restart every ``get_uid`` count.

    >>> from minigrad import backend as K
    >>> K.reset_uids(); K.get_uid('x')
    1
    """
    _UIDS.clear()


def clear_session():
    """Keras 2 discards its global graph here; minigrad has none (a graph is
    whatever your tensors reference), so this only resets ``get_uid`` and
    makes the learning phase the placeholder again, with default 0.

    >>> from minigrad import backend as K
    >>> K.clear_session(); K.get_uid('dense')
    1
    """
    reset_uids()
    reset_learning_phase()


def manual_variable_initialization(value):
    """Accepted for compatibility: minigrad variables always hold their value
    from the moment they are made, so there is nothing to initialise.

    >>> from minigrad import backend as K
    >>> K.manual_variable_initialization(True)
    """


# --------------------------------------------------------------------------
# What minigrad does not implement

_CONV = "convolutions are outside minigrad's scope (a teaching engine for dense graphs)"
_POOL = "pooling is outside minigrad's scope"
_CTC = "CTC (sequence) losses are outside minigrad's scope"

#: Keras 2.2 backend names that minigrad refuses, with the reason. Each is
#: reachable as ``K.<name>``; calling it raises ``NotImplementedError``.
UNSUPPORTED = {
    "conv1d": _CONV, "conv2d": _CONV, "conv2d_transpose": _CONV, "conv3d": _CONV,
    "conv3d_transpose": _CONV, "separable_conv1d": _CONV, "separable_conv2d": _CONV,
    "depthwise_conv2d": _CONV, "local_conv1d": _CONV, "local_conv2d": _CONV,
    "pool2d": _POOL, "pool3d": _POOL,
    "ctc_label_dense_to_sparse": _CTC, "ctc_batch_cost": _CTC, "ctc_decode": _CTC,
    "get_session": "minigrad has no sessions: compile with K.function and call it",
    "set_session": "minigrad has no sessions: compile with K.function and call it",
}


def _unsupported(name, reason):
    def refuse(*args, **kwargs):
        raise NotImplementedError(f"K.{name} is not supported by minigrad: {reason}")
    refuse.__name__ = refuse.__qualname__ = name
    refuse.__doc__ = (f"Not supported by minigrad: {reason}.\n\n"
                      f"    >>> from minigrad import backend as K\n"
                      f"    >>> K.{name}()\n"
                      f"    Traceback (most recent call last):\n"
                      f"    NotImplementedError: K.{name} is not supported by minigrad: ...\n")
    return refuse


# Real module entries, not a module ``__getattr__``: Keras copies the names
# of its backend's ``__dict__``, so ``keras.backend.conv2d`` refuses too.
globals().update({name: _unsupported(name, reason) for name, reason in UNSUPPORTED.items()})


# --------------------------------------------------------------------------
# When Keras 2.2.4 imports this module as its backend (KERAS_BACKEND=minigrad.backend)

if keras_setup.keras_is_loading(__name__):
    keras_setup.attach()
elif os.environ.get("KERAS_BACKEND") == __name__:
    keras_setup.restore_removed_names()   # Keras will find this module already imported
