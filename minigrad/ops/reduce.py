"""Reductions (sum, mean, logsumexp, max, min, prod, any, all, argmax,
argmin; var and std built from mean), running scans (cumsum, cumprod) and
the two ops that move a gradient between a broadcast shape and the original one.

A reduction's gradient puts the reduced axes back (``expand_dims``) and
broadcasts ``g`` over them; broadcasting's gradient is the opposite, a sum
over the stretched axes. Both work from the *run-time* shape of a reference
tensor, so they stay right when a dimension is ``None`` at build time.
"""

import numpy as np

from .. import config
from ..graph import Op, as_node, normalize_axes, is_fully_known
from .elementwise import cast, equal, exp, sqrt, to_float
from .shape import expand_dims


def reduced_shape(shape, axes, keepdims):
    """The static shape left after reducing ``axes`` of ``shape``.

    >>> reduced_shape((None, 3, 4), (1,), False), reduced_shape((None, 3, 4), (1,), True)
    ((None, 4), (None, 1, 4))
    """
    if keepdims:
        return tuple(1 if axis in axes else dim for axis, dim in enumerate(shape))
    return tuple(dim for axis, dim in enumerate(shape) if axis not in axes)


class Reduction(Op):
    """Reduce ``axes`` (a sorted tuple of non-negative axes) of the input.

    >>> from minigrad import backend as K
    >>> K.sum(K.placeholder(shape=(2, 3)), axis=-1).op
    sum(axes=(1,), keepdims=False)
    """

    __slots__ = ("axes", "keepdims")
    reduce = None  # the NumPy reduction, e.g. np.add.reduce

    def __init__(self, axes, keepdims=False):
        self.axes = tuple(axes)
        self.keepdims = bool(keepdims)

    def infer(self, x):
        dtype = self.forward(np.zeros((1,) * x.ndim, dtype=x.dtype)).dtype
        return reduced_shape(x.shape, self.axes, self.keepdims), dtype

    def forward(self, x):
        return type(self).reduce(x, axis=self.axes, keepdims=self.keepdims)

    def restore(self, g):
        """``g`` with the reduced axes put back as size-1 axes."""
        return g if self.keepdims or not self.axes else expand_dims(g, self.axes)


class Sum(Reduction):
    """``y = sum of x over axes``;  ``dx = g`` broadcast back over those axes."""
    __slots__ = ()
    name, reduce = "sum", np.add.reduce

    def vjp(self, node, g, i):
        return broadcast_like(self.restore(g), node.inputs[0])


def sum(x, axis=None, keepdims=False):
    """Sum of ``x`` over ``axis`` (``None`` for all; an int, negative, or a list).

    >>> from minigrad import backend as K
    >>> K.eval(K.sum(K.constant([[1., 2.], [3., 4.]]), axis=0))
    array([4., 6.], dtype=float32)
    """
    x = as_node(x)
    return Sum(normalize_axes(axis, x.ndim, "sum"), keepdims)(x)


class Mean(Reduction):
    """``y = (sum of x over axes) / n``;  ``dx = g / n`` broadcast back, where
    ``n`` is the number of entries averaged."""
    __slots__ = ()
    name, reduce = "mean", np.mean

    def vjp(self, node, g, i):
        x = node.inputs[0]
        return broadcast_like(self.restore(g), x) / count(x, self.axes)


def mean(x, axis=None, keepdims=False):
    """Mean of ``x`` over ``axis``; integer and boolean inputs are cast to
    ``floatx()`` first, as in Keras.

    >>> from minigrad import backend as K
    >>> K.eval(K.mean(K.constant([[1., 2.], [3., 4.]]), axis=-1, keepdims=True))
    array([[1.5],
           [3.5]], dtype=float32)
    """
    x = to_float(x)
    return Mean(normalize_axes(axis, x.ndim, "mean"), keepdims)(x)


class LogSumExp(Reduction):
    """``y = log(sum(exp(x)))`` over axes, computed as ``m + log(sum(exp(x - m)))``
    with ``m = max(x)`` so that nothing overflows;  ``dx = g * exp(x - y)``
    (the softmax of ``x``)."""
    __slots__ = ()
    name = "logsumexp"

    def forward(self, x):
        shift = np.max(x, axis=self.axes, keepdims=True)
        shift = np.where(np.isfinite(shift), shift, 0).astype(x.dtype, copy=False)
        out = np.log(np.sum(np.exp(x - shift), axis=self.axes, keepdims=True)) + shift
        return out if self.keepdims else np.squeeze(out, axis=self.axes)

    def vjp(self, node, g, i):
        x = node.inputs[0]
        return self.restore(g) * exp(x - self.restore(node))


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` over ``axis``, without overflow.

    >>> from minigrad import backend as K
    >>> K.eval(K.logsumexp(K.constant([1e4, 1e-4], dtype='float64')))
    array(10000.)
    """
    x = as_node(x)
    return LogSumExp(normalize_axes(axis, x.ndim, "logsumexp"), keepdims)(x)


class Count(Op):
    """The number of entries of ``x`` along ``axes``, known only at run time
    (a scalar of ``x``'s dtype). Used by the gradient of ``mean``."""
    __slots__ = ("axes",)
    name = "count"

    def __init__(self, axes):
        self.axes = tuple(axes)

    def infer(self, x):
        return (), config.float_dtype(x.dtype)

    def forward(self, x):
        return np.asarray(np.prod([x.shape[axis] for axis in self.axes]),
                          dtype=config.float_dtype(x.dtype))


def count(x, axes):
    """The number of entries of ``x`` along ``axes``: a Python number when
    the static shape knows it, else a node computed at run time.

    >>> from minigrad import backend as K
    >>> count(K.placeholder(shape=(2, 3)), (0, 1))
    6
    >>> count(K.placeholder(shape=(None, 3)), (0, 1)).op
    count(axes=(0, 1))
    """
    dims = [x.shape[axis] for axis in axes]
    if is_fully_known(dims):
        return int(np.prod(dims))
    return Count(axes)(x)


class BroadcastLike(Op):
    """``y = g`` broadcast to the run-time shape of ``like``;  ``dg = sum_like(g', g)``."""
    __slots__ = ()
    name = "broadcast_like"

    def infer(self, g, like):
        return like.shape, g.dtype

    def forward(self, g, like):
        return np.broadcast_to(g, np.shape(like))

    def vjp(self, node, g, i):
        return sum_like(g, node.inputs[0]) if i == 0 else None


def broadcast_like(g, like):
    """``g`` broadcast to the shape of ``like`` (skipped when already equal).

    >>> from minigrad import backend as K
    >>> g, like = K.placeholder(shape=(3,)), K.placeholder(shape=(None, 3))
    >>> y = broadcast_like(g, like)
    >>> y.op, y.shape, broadcast_like(g, g) is g
    (broadcast_like, (None, 3), True)
    """
    if g.shape == like.shape and is_fully_known(like.shape):
        return g
    return BroadcastLike()(g, like)


class SumLike(Op):
    """``y = g`` summed down to the run-time shape of ``like``: the gradient of
    broadcasting. Leading axes that broadcasting added are summed away, and
    so are axes where ``like`` has size 1;  ``dg = broadcast_like(g', g)``."""
    __slots__ = ()
    name = "sum_like"

    def infer(self, g, like):
        return like.shape, g.dtype

    def forward(self, g, like):
        return sum_to(g, np.shape(like))

    def vjp(self, node, g, i):
        return broadcast_like(g, node.inputs[0]) if i == 0 else None


def sum_like(g, like):
    """``g`` summed down to the shape of ``like`` (skipped when already equal).

    >>> from minigrad import backend as K
    >>> K.eval(sum_like(K.ones((4, 3)), K.zeros((3,))))
    array([4., 4., 4.], dtype=float32)
    """
    if g.shape == like.shape and is_fully_known(like.shape):
        return g
    return SumLike()(g, like)


def sum_to(array, shape):
    """Sum ``array`` down to ``shape``, undoing NumPy broadcasting.

    >>> sum_to(np.ones((4, 2, 3)), (2, 1))
    array([[12.],
           [12.]])
    """
    if np.shape(array) == tuple(shape):
        return array
    lead = np.ndim(array) - len(shape)
    stretched = tuple(axis + lead for axis, dim in enumerate(shape)
                      if dim == 1 and array.shape[axis + lead] != 1)
    summed = np.add.reduce(array, axis=tuple(range(lead)) + stretched, keepdims=True)
    return summed.reshape(shape)


# --------------------------------------------------------------------------
# Extremes and products, logical reductions, positions (argmax) and scans

class Max(Reduction):
    """``y = max of x over axes``;  ``dx = g`` shared equally among the entries
    equal to the maximum (TensorFlow's rule: with ``k`` tied maxima each gets
    ``g / k``), 0 elsewhere."""
    __slots__ = ()
    name, reduce = "max", np.maximum.reduce

    def vjp(self, node, g, i):
        x = node.inputs[0]
        selected = cast(equal(x, self.restore(node)), x.dtype)
        return self.restore(g) * selected / sum(selected, axis=self.axes, keepdims=True)


def max(x, axis=None, keepdims=False):
    """Maximum of ``x`` over ``axis`` (``None`` for all; an int, negative, or a list).

    The gradient goes to the maximal entries, split equally among ties.

    >>> from minigrad import backend as K
    >>> K.eval(K.max(K.constant([[1., 5.], [3., 4.]]), axis=-1))
    array([5., 4.], dtype=float32)
    """
    x = as_node(x)
    return Max(normalize_axes(axis, x.ndim, "max"), keepdims)(x)


class Min(Max):
    """``y = min of x over axes``;  ``dx = g`` shared equally among the minima."""
    __slots__ = ()
    name, reduce = "min", np.minimum.reduce


def min(x, axis=None, keepdims=False):
    """Minimum of ``x`` over ``axis``; the gradient is split equally among ties.

    >>> from minigrad import backend as K
    >>> K.eval(K.min(K.constant([[1., 5.], [3., 4.]]), axis=0, keepdims=True))
    array([[1., 4.]], dtype=float32)
    """
    x = as_node(x)
    return Min(normalize_axes(axis, x.ndim, "min"), keepdims)(x)


class Prod(Reduction):
    """``y = product of x over one axis`` (``K.prod`` chains one per axis);
    ``dx_i = g * (product of the other entries)``, computed as an exclusive
    cumulative product from the left times one from the right, so it is exact
    even where some ``x_j`` are 0 (no division by ``x``)."""
    __slots__ = ()
    name, reduce = "prod", np.multiply.reduce

    def vjp(self, node, g, i):
        x = node.inputs[0]
        if not self.axes:
            return g
        (axis,) = self.axes
        others = (cumprod(x, axis, exclusive=True)
                  * cumprod(x, axis, exclusive=True, reverse=True))
        return self.restore(g) * others


def prod(x, axis=None, keepdims=False):
    """Product of ``x`` over ``axis``: ``y = x_1 x_2 ... x_n``.

    Several axes are reduced one after another (the gradient of a one-axis
    product is exact even with zeros among the entries).

    >>> from minigrad import backend as K
    >>> K.eval(K.prod(K.constant([[1., 2.], [3., 4.]])))
    array(24., dtype=float32)
    """
    x = as_node(x)
    axes = normalize_axes(axis, x.ndim, "prod")
    if len(axes) <= 1:
        return Prod(axes, keepdims)(x)
    for axis in sorted(axes, reverse=True):  # highest first: lower indices stay valid
        x = Prod((axis,), keepdims)(x)
    return x


class Any(Reduction):
    """``y = True`` where some entry over axes is true (input cast to bool); no gradient."""
    __slots__ = ()
    name, reduce = "any", np.logical_or.reduce


def any(x, axis=None, keepdims=False):
    """Logical OR over ``axis`` (the input is cast to bool); a bool tensor.

    >>> from minigrad import backend as K
    >>> K.eval(K.any(K.constant([[0., 1.], [0., 0.]]), axis=1))
    array([ True, False])
    """
    x = _as_bool(x)
    return Any(normalize_axes(axis, x.ndim, "any"), keepdims)(x)


class All(Reduction):
    """``y = True`` where every entry over axes is true (input cast to bool); no gradient."""
    __slots__ = ()
    name, reduce = "all", np.logical_and.reduce


def all(x, axis=None, keepdims=False):
    """Logical AND over ``axis`` (the input is cast to bool); a bool tensor.

    >>> from minigrad import backend as K
    >>> K.eval(K.all(K.constant([[2., 1.], [0., 1.]]), axis=1))
    array([ True, False])
    """
    x = _as_bool(x)
    return All(normalize_axes(axis, x.ndim, "all"), keepdims)(x)


class ArgReduce(Op):
    """The index (int64) of the largest (``argmax``) or smallest (``argmin``)
    entry along ``axis``, the first one on ties; indices have no gradient.

    >>> from minigrad import backend as K
    >>> y = K.argmax(K.placeholder(shape=(2, 3)))
    >>> y.op, y.dtype
    (argmax(axis=1), dtype('int64'))
    """
    __slots__ = ("axis",)
    name = "argreduce"
    find = None

    def __init__(self, axis):
        self.axis = axis

    def infer(self, x):
        return reduced_shape(x.shape, (self.axis,), False), np.dtype(np.int64)

    def forward(self, x):
        return type(self).find(x, axis=self.axis).astype(np.int64, copy=False)


class ArgMax(ArgReduce):
    __doc__ = ArgReduce.__doc__
    __slots__ = ()
    name, find = "argmax", np.argmax


def argmax(x, axis=-1):
    """Index of the largest entry along ``axis`` (int64; the first on ties).

    >>> from minigrad import backend as K
    >>> K.eval(K.argmax(K.constant([[1., 5., 2.], [7., 0., 7.]])))
    array([1, 0])
    """
    x = as_node(x)
    (axis,) = normalize_axes(axis, x.ndim, "argmax")
    return ArgMax(axis)(x)


class ArgMin(ArgReduce):
    __doc__ = ArgReduce.__doc__
    __slots__ = ()
    name, find = "argmin", np.argmin


def argmin(x, axis=-1):
    """Index of the smallest entry along ``axis`` (int64; the first on ties).

    >>> from minigrad import backend as K
    >>> K.eval(K.argmin(K.constant([[1., 5., 2.], [7., 0., 7.]]), axis=0))
    array([0, 1, 0])
    """
    x = as_node(x)
    (axis,) = normalize_axes(axis, x.ndim, "argmin")
    return ArgMin(axis)(x)


class Scan(Op):
    """A running reduction along ``axis``: ``y_i = x_0 (+ or *) ... x_i``.

    ``exclusive`` leaves ``x_i`` itself out (``y_0`` is the identity, 0 or 1);
    ``reverse`` runs from the end. The flags exist for the gradients, which
    are scans in the opposite direction (TensorFlow's ``cumsum``/``cumprod``).

    >>> from minigrad import backend as K
    >>> K.cumsum(K.placeholder(shape=(3,))).op
    cumsum(axis=0, exclusive=False, reverse=False)
    """
    __slots__ = ("axis", "exclusive", "reverse")
    combine = None  # the binary ufunc scanned along the axis (its accumulate)

    def __init__(self, axis, exclusive=False, reverse=False):
        self.axis = int(axis)
        self.exclusive = bool(exclusive)
        self.reverse = bool(reverse)

    def infer(self, x):
        return x.shape, self.forward(np.zeros((1,) * x.ndim, dtype=x.dtype)).dtype

    def forward(self, x):
        combine, axis = type(self).combine, self.axis
        x = np.asarray(x)
        if self.reverse:
            x = np.flip(x, axis)
        y = combine.accumulate(x, axis=axis)
        if self.exclusive and y.shape[axis] > 0:
            y = np.roll(y, 1, axis=axis)
            y[(slice(None),) * axis + (0,)] = combine.identity
        return np.flip(y, axis) if self.reverse else y


class Cumsum(Scan):
    """``y_i = x_0 + ... + x_i`` along ``axis``;  ``dx_k = g_k + ... + g_last``,
    the same scan run backwards."""
    __slots__ = ()
    name, combine = "cumsum", np.add

    def vjp(self, node, g, i):
        return cumsum(g, self.axis, self.exclusive, not self.reverse)


def cumsum(x, axis=0, exclusive=False, reverse=False):
    """Cumulative sum along ``axis``: ``y_i = x_0 + ... + x_i``.

    (``exclusive`` and ``reverse`` are TensorFlow's flags, used by gradients.)

    >>> from minigrad import backend as K
    >>> K.eval(K.cumsum(K.constant([[1., 2.], [3., 4.]]), axis=1))
    array([[1., 3.],
           [3., 7.]], dtype=float32)
    """
    x = as_node(x)
    (axis,) = normalize_axes(axis, x.ndim, "cumsum")
    return Cumsum(axis, exclusive, reverse)(x)


class Cumprod(Scan):
    """``y_i = x_0 * ... * x_i`` along ``axis``;
    ``dx_k = (g_k y_k + ... + g_last y_last) / x_k``, TensorFlow's formula,
    exact wherever ``x_k != 0`` (at a zero it divides by zero)."""
    __slots__ = ()
    name, combine = "cumprod", np.multiply

    def vjp(self, node, g, i):
        return cumsum(g * node, self.axis, self.exclusive, not self.reverse) / node.inputs[0]


def cumprod(x, axis=0, exclusive=False, reverse=False):
    """Cumulative product along ``axis``: ``y_i = x_0 * ... * x_i``.

    >>> from minigrad import backend as K
    >>> K.eval(K.cumprod(K.constant([1., 2., 3., 4.])))
    array([ 1.,  2.,  6., 24.], dtype=float32)
    """
    x = as_node(x)
    (axis,) = normalize_axes(axis, x.ndim, "cumprod")
    return Cumprod(axis, exclusive, reverse)(x)


def var(x, axis=None, keepdims=False):
    """Variance over ``axis`` (the population form, dividing by ``n``):
    ``mean((x - mean(x)) ** 2)``. Integer and boolean inputs become ``floatx()``.

    >>> from minigrad import backend as K
    >>> K.eval(K.var(K.constant([[1., 3.], [5., 9.]]), axis=1))
    array([1., 4.], dtype=float32)
    """
    x = to_float(x)
    deviations = x - mean(x, axis=axis, keepdims=True)
    return mean(deviations * deviations, axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    """Standard deviation over ``axis``: ``sqrt(var(x))`` (population form).

    >>> from minigrad import backend as K
    >>> K.eval(K.std(K.constant([[1., 3.], [5., 9.]]), axis=-1, keepdims=True))
    array([[1.],
           [2.]], dtype=float32)
    """
    return sqrt(var(x, axis=axis, keepdims=keepdims))


def _as_bool(x):
    """``x`` as a bool tensor: nonzero entries are True."""
    x = as_node(x)
    return x if x.dtype == np.bool_ else cast(x, "bool")
