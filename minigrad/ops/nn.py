"""Neural-network functions: softmax, the other Keras 2 activations (elu,
softplus, softsign, hard_sigmoid), l2_normalize, the cross-entropy losses,
stop_gradient, bias_add, in_top_k and batch normalization.

The losses are compositions of primitive ops, written as Keras 2.2 writes
them (clipping included), so their gradients come from the primitives'.
"""

import numpy as np

from .. import config
from ..graph import Op, as_node, count_argument, format_shape, normalize_axes, same_shape
from .elementwise import (abs as abs_, cast, clip, exp, greater, log, log1p, maximum, minimum, relu,
                          sigmoid, sqrt, square, switch, to_float)
from .reduce import logsumexp, mean as mean_, sum as sum_, var as var_
from .utility import Identity
from .indexing import Pick
from .shape import expand_dims, permute_dimensions, reshape, squeeze


class Softmax(Op):
    """``y = exp(x) / sum(exp(x))`` along ``axis`` (shifted by the max, so it
    never overflows);  ``dx = (g - sum(g * y)) * y``, the sum along ``axis``."""
    __slots__ = ("axis",)
    name = "softmax"

    def __init__(self, axis):
        self.axis = axis

    def infer(self, x):
        return x.shape, x.dtype

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
    x = to_float(x)
    (axis,) = normalize_axes(axis, x.ndim, "softmax")
    return Softmax(axis)(x)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot (or soft) ``target`` and ``output``, along ``axis``.

    Keras 2.2's form: unless ``from_logits``, ``output`` is first rescaled to
    sum to 1 and clipped to ``[eps, 1 - eps]``; then ``-sum(target * log(output))``.
    With ``from_logits``, ``output - logsumexp(output)`` is the log-softmax.

    >>> from minigrad import backend as K
    >>> K.eval(K.categorical_crossentropy(K.constant([[0., 1.]]), K.constant([[0.5, 0.5]]))).round(4)
    array([0.6931], dtype=float32)
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
    >>> K.eval(K.binary_crossentropy(K.constant([1.]), K.constant([0.5]))).round(4)
    array([0.6931], dtype=float32)
    """
    output = as_node(output)
    target = as_node(target, like=output)
    if not from_logits:
        eps = config.epsilon()
        output = clip(output, eps, 1.0 - eps)
        output = log(output / (1.0 - output))
    return relu(output) - output * target + log1p(exp(-abs_(output)))


# --------------------------------------------------------------------------
# Activations, normalisation, losses and helpers, in Keras 2.2's forms

class Softplus(Op):
    """``y = log(1 + e ** x)``, computed as ``max(x, 0) + log1p(e ** -|x|)`` so
    it never overflows;  ``dx = g * sigmoid(x)`` (exact at 0 too, where the
    stable form's pieces have kinks)."""
    __slots__ = ()
    name = "softplus"

    def infer(self, x):
        return x.shape, x.dtype

    def forward(self, x):
        return (np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))).astype(x.dtype, copy=False)

    def vjp(self, node, g, i):
        return g * sigmoid(node.inputs[0])


def softplus(x):
    """``log(1 + e ** x)``, without overflow.

    >>> from minigrad import backend as K
    >>> K.eval(K.softplus(K.constant([-1000., 0., 1000.]))).tolist()
    [0.0, 0.693147..., 1000.0]
    """
    return Softplus()(to_float(x))


class StopGradient(Identity):
    """``y = x``, but no gradient flows back through it."""
    __slots__ = ()
    name = "stop_gradient"

    def vjp(self, node, g, i):
        return None


def stop_gradient(variables):
    """``variables`` (a tensor or a list of tensors) unchanged, but opaque to
    ``K.gradients``: nothing flows back through them.

    >>> from minigrad import backend as K
    >>> w = K.variable(3.)
    >>> K.gradients(K.stop_gradient(w) * w, [w])[0].op
    multiply
    >>> K.eval(K.gradients(K.stop_gradient(w) * w, [w])[0])
    array(3., dtype=float32)
    """
    if isinstance(variables, (list, tuple)):
        return [StopGradient()(as_node(v)) for v in variables]
    return StopGradient()(as_node(variables))


def elu(x, alpha=1.0):
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (e ** x - 1)`` otherwise.

    >>> from minigrad import backend as K
    >>> K.eval(K.elu(K.constant([-1., 2.]), alpha=2.)).round(4)
    array([-1.2642,  2.    ], dtype=float32)
    """
    x = to_float(x)
    # exp of min(x, 0): the branch not taken never overflows (no inf * 0 in the gradient).
    return switch(greater(x, 0), x, alpha * (exp(minimum(x, 0)) - 1))


def softsign(x):
    """``x / (1 + |x|)``.

    >>> from minigrad import backend as K
    >>> K.eval(K.softsign(K.constant([-3., 1.])))
    array([-0.75,  0.5 ], dtype=float32)
    """
    x = to_float(x)
    return x / (1 + abs_(x))


def hard_sigmoid(x):
    """Keras 2's piecewise-linear sigmoid: ``clip(0.2 x + 0.5, 0, 1)``.

    >>> from minigrad import backend as K
    >>> K.eval(K.hard_sigmoid(K.constant([-3., 0., 1., 3.])))
    array([0. , 0.5, 0.7, 1. ], dtype=float32)
    """
    return clip(0.2 * to_float(x) + 0.5, 0.0, 1.0)


def l2_normalize(x, axis=None):
    """``x / sqrt(max(sum(x ** 2, axis), 1e-12))``: unit Euclidean norm along
    ``axis`` (all axes for ``None``), as ``tf.nn.l2_normalize``.

    >>> from minigrad import backend as K
    >>> K.eval(K.l2_normalize(K.constant([[3., 4.], [0., 0.]]), axis=-1))
    array([[0.6, 0.8],
           [0. , 0. ]], dtype=float32)
    """
    x = to_float(x)
    return x / sqrt(maximum(sum_(square(x), axis=axis, keepdims=True), 1e-12))


class ClassLabels(Op):
    """Float class labels as int64, refusing any that is not a whole number:
    Keras 2.2 casts, so a label 1.7 would silently become class 1. Labels
    are not differentiable: no gradient.

    >>> from minigrad import backend as K
    >>> K.eval(ClassLabels()(K.constant([2., 0.])))
    array([2, 0])
    """
    __slots__ = ()
    name = "class_labels"

    def infer(self, x):
        return x.shape, np.dtype("int64")

    def forward(self, x):
        whole = np.isfinite(x) & (x == np.trunc(x))
        if not whole.all():
            raise ValueError(f"sparse_categorical_crossentropy: labels must be whole numbers, "
                             f"got {x[~whole].flat[0]}")
        return x.astype(np.int64)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Categorical cross-entropy with integer targets: ``-log p[target]``,
    where ``p`` is ``output`` normalised along ``axis`` (Keras 2.2: clipped to
    ``[eps, 1 - eps]``, logged, then treated as logits) or, with
    ``from_logits``, ``softmax(output)``.

    ``target`` has ``output``'s shape without ``axis`` (or with a size-1 axis
    there, which is dropped); the result has ``target``'s shape.

    >>> from minigrad import backend as K
    >>> p = K.constant([[0.2, 0.8], [0.5, 0.5]])
    >>> K.eval(K.sparse_categorical_crossentropy(K.constant([1, 0], dtype='int32'), p)).tolist()
    [0.2231435..., 0.693147...]
    """
    output = to_float(output)
    target = as_node(target)
    (axis,) = normalize_axes(axis, output.ndim, "sparse_categorical_crossentropy")
    if axis != output.ndim - 1:  # put the classes last, where one_hot puts them
        perm = [a for a in range(output.ndim) if a != axis] + [axis]
        output, axis = permute_dimensions(output, perm), output.ndim - 1
    if target.ndim == output.ndim and target.shape[-1] in (1, None):
        target = squeeze(target, -1)
    if target.dtype.kind == "f":
        target = ClassLabels()(target)
    elif target.dtype.kind not in "iu":
        target = cast(target, "int64")
    if not from_logits:
        eps = config.epsilon()
        output = log(clip(output, eps, 1.0 - eps))
    log_probabilities = output - logsumexp(output, axis=-1, keepdims=True)
    # The log-probability of each row's true class (an error for a label out
    # of range), read directly: a multiply-and-sum with a one-hot row would
    # turn a -inf elsewhere in the row into NaN.
    return -Pick()(log_probabilities, target)


def bias_add(x, bias, data_format=None):
    """``x + bias``, with ``bias`` (1-D: one value per channel, or of rank
    ``ndim(x) - 1``) lined up with the channel axis: the last for
    ``'channels_last'``, axis 1 for ``'channels_first'`` (``None``: the
    default ``K.image_data_format()``). A channels-first ``x`` with a bias of
    rank ``ndim(x) - 1`` takes the bias in channels-last order and moves its
    channel axis first (Keras 2.2 *reshapes* it instead, which scrambles it).

    >>> from minigrad import backend as K
    >>> K.eval(K.bias_add(K.constant([[1., 2.], [3., 4.]]), K.constant([10., 20.])))
    array([[11., 22.],
           [13., 24.]], dtype=float32)
    """
    x, bias = as_node(x), as_node(bias)
    data_format = config.normalize_data_format(data_format, "bias_add")
    if bias.ndim not in (1, x.ndim - 1):
        raise ValueError(f"bias_add: unexpected bias dimensions {bias.ndim} (shape {bias.shape}); "
                         f"expected 1 or {x.ndim - 1} for x of shape {x.shape}")
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    if bias.ndim == 1 and None not in (channels, bias.shape[0]) and channels != bias.shape[0]:
        raise ValueError(f"bias_add: bias of shape {bias.shape} does not match the "
                         f"{channels} channels of x of shape {x.shape} ({data_format})")
    if data_format == "channels_first" and x.ndim > 2:
        if bias.ndim == 1:
            bias = reshape(bias, (-1,) + (1,) * (x.ndim - 2))
        else:  # (..., C) -> (C, ...)
            bias = _channels_first(bias)
    return x + bias        # NumPy broadcasting lines the bias up from the right


def _channels_first(bias):
    """A channels-last bias of rank ``ndim(x) - 1`` moved to channels-first order."""
    return permute_dimensions(bias, (bias.ndim - 1,) + tuple(range(bias.ndim - 1)))


class InTopK(Op):
    """``y[i] = targets[i]`` is among the ``k`` largest of ``predictions[i]``:
    fewer than ``k`` entries of the row beat the target's. As TensorFlow, a
    target outside ``[0, classes)`` or a row with a non-finite entry gives
    False. A boolean answer: no gradient."""
    __slots__ = ("k",)
    name = "in_top_k"

    def __init__(self, k):
        self.k = count_argument(k, "k", "in_top_k")

    def infer(self, predictions, targets):
        if (predictions.ndim != 2 or targets.ndim != 1 or targets.dtype.kind not in "iu"
                or not same_shape(predictions.shape[:1], targets.shape)):
            raise ValueError(f"in_top_k: needs predictions of shape (batch, classes) and integer "
                             f"targets of shape (batch,), got {format_shape(predictions.shape)} "
                             f"and {format_shape(targets.shape)} {targets.dtype.name}")
        return targets.shape, np.dtype(bool)

    def forward(self, predictions, targets):
        if len(targets) != len(predictions):
            raise ValueError(f"in_top_k: {len(targets)} targets for {len(predictions)} rows")
        classes = predictions.shape[-1]
        valid = (targets >= 0) & (targets < classes)
        rows = np.arange(len(targets))
        target_score = predictions[rows, np.where(valid, targets, 0)]
        beaten_by = np.sum(predictions > target_score[:, None], axis=-1)
        finite = np.all(np.isfinite(predictions), axis=-1)
        return valid & finite & (beaten_by < self.k)


def in_top_k(predictions, targets, k):
    """For each row ``i``: is ``targets[i]`` among the ``k`` largest entries of
    ``predictions[i]``? (A bool tensor; ties at the boundary count as in, as
    ``tf.nn.in_top_k``: the target is in when fewer than ``k`` entries beat it.)

    >>> from minigrad import backend as K
    >>> p = K.constant([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
    >>> K.eval(K.in_top_k(p, K.constant([2, 2], dtype='int32'), 2))
    array([ True, False])
    """
    return InTopK(k)(to_float(predictions), as_node(targets))


def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):
    """``(x - mean) / sqrt(var + epsilon) * gamma + beta``, with ``mean``,
    ``var``, ``beta``, ``gamma`` broadcast against ``x`` (``beta=None`` means
    0, ``gamma=None`` means 1). ``axis`` is accepted for Keras 2.2's
    signature; the operands' shapes already say how they line up.

    >>> from minigrad import backend as K
    >>> K.eval(K.batch_normalization(K.constant([[1., 3.]]), K.constant([1., 1.]),
    ...        K.constant([4., 1.]), None, None, epsilon=0.))
    array([[0., 2.]], dtype=float32)
    """
    x = to_float(x)
    scale = 1.0 / sqrt(as_node(var, like=x) + epsilon)
    if gamma is not None:
        scale = scale * gamma
    shifted = x * scale - as_node(mean, like=x) * scale
    return shifted if beta is None else shifted + beta


def normalize_batch_in_training(x, gamma, beta, reduction_axes, epsilon=1e-3):
    """Normalise ``x`` by its own mean and variance over ``reduction_axes``;
    returns ``(normalized, mean, var)``, the statistics without the reduced
    axes. ``gamma`` and ``beta`` (or ``None``) have the shape of the axes kept.

    >>> from minigrad import backend as K
    >>> normed, m, v = K.normalize_batch_in_training(K.constant([[1.], [3.]]), None, None, [0], 0.)
    >>> K.eval(normed).ravel(), K.eval(m), K.eval(v)
    (array([-1.,  1.], dtype=float32), array([2.], dtype=float32), array([1.], dtype=float32))
    """
    x = to_float(x)
    axes = normalize_axes(reduction_axes, x.ndim, "normalize_batch_in_training")
    mean, var = mean_(x, axis=axes), var_(x, axis=axes)

    def lined_up(t):
        return None if t is None else expand_dims(as_node(t, like=x), axes)
    normed = batch_normalization(x, lined_up(mean), lined_up(var), lined_up(beta),
                                 lined_up(gamma), epsilon=epsilon)
    return normed, mean, var
