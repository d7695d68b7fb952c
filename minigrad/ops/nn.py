"""Neural-network functions: softmax and the Keras 2 cross-entropy losses.

The losses are compositions of primitive ops, written as Keras 2.2 writes
them (clipping included), so their gradients come from the primitives'.
"""

import numpy as np

from .. import config
from ..graph import Op, as_node, normalize_axes
from .elementwise import clip, log, log1p, exp, relu, abs as abs_
from .reduce import logsumexp, sum as sum_


class Softmax(Op):
    """``y = exp(x) / sum(exp(x))`` along ``axis`` (shifted by the max, so it
    never overflows);  ``dx = (g - sum(g * y)) * y``, the sum along ``axis``."""
    __slots__ = ("axis",)
    name = "softmax"

    def __init__(self, axis):
        self.axis = axis

    def infer(self, x):
        return x.shape, config.float_dtype(x.dtype)

    def forward(self, x):
        e = np.exp(x - np.max(x, axis=self.axis, keepdims=True))
        return e / np.sum(e, axis=self.axis, keepdims=True)

    def vjp(self, node, g, i):
        return (g - sum_(g * node, axis=self.axis, keepdims=True)) * node


def softmax(x, axis=-1):
    """Softmax along ``axis``.

    >>> from minigrad import backend as K
    >>> K.eval(K.softmax(K.constant([[0., 0.]])))
    array([[0.5, 0.5]], dtype=float32)
    """
    x = as_node(x)
    (axis,) = normalize_axes(axis, x.ndim, "softmax")
    return Softmax(axis)(x)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot (or soft) ``target`` and ``output``, along ``axis``.

    Keras 2.2's form: unless ``from_logits``, ``output`` is first rescaled to
    sum to 1 and clipped to ``[eps, 1 - eps]``; then ``-sum(target * log(output))``.
    With ``from_logits``, ``output - logsumexp(output)`` is the log-softmax.

    >>> from minigrad import backend as K
    >>> K.eval(K.categorical_crossentropy(K.constant([[0., 1.]]), K.constant([[0.5, 0.5]])))
    array([0.6931472], dtype=float32)
    """
    target, output = as_node(target), as_node(output)
    target = as_node(target, like=output)
    if from_logits:
        log_probabilities = output - logsumexp(output, axis=axis, keepdims=True)
    else:
        output = output / sum_(output, axis=axis, keepdims=True)
        eps = config.epsilon()
        log_probabilities = log(clip(output, eps, 1.0 - eps))
    return -sum_(target * log_probabilities, axis=axis)


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary cross-entropy, Keras 2.2's form.

    Unless ``from_logits``, ``output`` is clipped to ``[eps, 1 - eps]`` and
    turned into logits ``log(p / (1 - p))``; then TensorFlow's stable
    ``max(z, 0) - z * t + log(1 + exp(-|z|))``.

    >>> from minigrad import backend as K
    >>> K.eval(K.binary_crossentropy(K.constant([1.]), K.constant([0.5])))
    array([0.6931472], dtype=float32)
    """
    output = as_node(output)
    target = as_node(target, like=output)
    if not from_logits:
        eps = config.epsilon()
        output = clip(output, eps, 1.0 - eps)
        output = log(output / (1.0 - output))
    return relu(output) - output * target + log1p(exp(-abs_(output)))
