"""The operations, one module per family. Each op class holds its shape rule,
NumPy forward and gradient; each public function builds a node of it."""

from .elementwise import (
    abs, add, cast, clip, divide, equal, exp, greater, greater_equal, less,
    less_equal, log, log1p, maximum, minimum, multiply, negative, not_equal,
    pow, relu, sigmoid, sign, sqrt, square, subtract, switch, tanh,
)
from .reduce import broadcast_like, logsumexp, mean, sum, sum_like
from .shape import expand_dims, permute_dimensions, reshape, reshape_like, transpose
from .linalg import dot
from .nn import binary_crossentropy, categorical_crossentropy, softmax
