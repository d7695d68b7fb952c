"""The operations, one module per family. Each op class holds its shape rule,
NumPy forward and gradient; each public function builds a node of it.

The modules form layers, each built only on the ones before it (every import
at the top of its module; a test parses them to check)::

    graph -> utility -> shape -> elementwise -> indexing -> reduce -> linalg
          -> nn, random, phase, control, image

``utility`` holds the ops that merely pass values on (``shape``, ``identity``,
``print_tensor``, ``arange``); ``shape`` only rearranges (reshape, transpose,
concatenate, tile); ``elementwise`` computes entry by entry, ``indexing`` picks
and pads, ``reduce`` sums and averages, ``linalg`` multiplies matrices; the
last layer builds on all of them. The one cycle is the documented one:
``graph.py`` imports this package at its end, so that ``x + y`` on a node can
call ``ops.add``.
"""

#: The layers above, lowest first: a module may import only from earlier layers.
LAYERS = [("utility",), ("shape",), ("elementwise",), ("indexing",), ("reduce",), ("linalg",),
          ("nn", "random", "phase", "control", "image")]

from .elementwise import (
    abs, add, cast, clip, cos, divide, equal, exp, greater, greater_equal, less,
    less_equal, log, log1p, maximum, minimum, multiply, negative, not_equal,
    pow, relu, round, sigmoid, sign, sin, sqrt, square, subtract, switch, tanh,
)
from .reduce import (
    all, any, argmax, argmin, broadcast_like, cumprod, cumsum, logsumexp, max, mean,
    min, prod, std, sum, sum_like, var,
)
from .shape import (
    batch_flatten, concatenate, expand_dims, flatten, permute_dimensions, repeat,
    repeat_elements, reshape, reshape_like, reverse, squeeze, stack, tile, transpose,
)
from .indexing import gather, getitem, one_hot, pad, slice
from .linalg import batch_dot, dot
from .nn import (
    batch_normalization, bias_add, binary_crossentropy, categorical_crossentropy, elu,
    hard_sigmoid, in_top_k, l2_normalize, normalize_batch_in_training, softmax, softplus,
    softsign, sparse_categorical_crossentropy, stop_gradient,
)
from .random import (
    dropout, random_binomial, random_normal, random_normal_variable, random_uniform,
    random_uniform_variable, truncated_normal,
)
from .phase import (in_test_phase, in_train_phase, learning_phase, reset_learning_phase,
                    set_learning_phase)
from .utility import arange, identity, print_tensor, shape
from .control import foldl, foldr, map_fn, rnn
from .image import (
    resize_images, resize_volumes, spatial_2d_padding, spatial_3d_padding, temporal_padding,
)
