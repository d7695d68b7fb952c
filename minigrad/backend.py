"""The Keras-2-style functional API: ``from minigrad import backend as K``.

This module only gathers names; each lives with its concept:

* configuration -- :mod:`minigrad.config`
* placeholders, variables, values, updates -- :mod:`minigrad.tensors`
* operations -- :mod:`minigrad.ops` (one module per family)
* ``gradients`` -- :mod:`minigrad.autodiff`
* ``function`` -- :mod:`minigrad.executor`
"""

from .config import epsilon, floatx, set_epsilon, set_floatx
from .tensors import (
    batch_get_value, batch_set_value, constant, dtype, eval, get_value, int_shape,
    is_tensor, ndim, ones, ones_like, placeholder, set_value, update, update_add,
    update_sub, variable, zeros, zeros_like,
)
from .ops import (
    abs, binary_crossentropy, cast, categorical_crossentropy, clip, dot, equal, exp,
    expand_dims, greater, greater_equal, less, less_equal, log, logsumexp, maximum,
    mean, minimum, not_equal, permute_dimensions, pow, relu, reshape, sigmoid, sign,
    softmax, sqrt, square, sum, switch, tanh, transpose,
)
from .autodiff import gradients
from .executor import function
