"""Reductions (sum, mean, logsumexp) and the two ops that move a gradient
between a broadcast shape and the original one.

A reduction's gradient puts the reduced axes back (``expand_dims``) and
broadcasts ``g`` over them; broadcasting's gradient is the opposite, a sum
over the stretched axes. Both work from the *run-time* shape of a reference
tensor, so they stay right when a dimension is ``None`` at build time.
"""

import functools

import numpy as np

from .. import config
from ..graph import Op, as_node, normalize_axes, is_fully_known


def reduced_shape(shape, axes, keepdims):
    """The static shape left after reducing ``axes`` of ``shape``."""
    if keepdims:
        return tuple(1 if axis in axes else dim for axis, dim in enumerate(shape))
    return tuple(dim for axis, dim in enumerate(shape) if axis not in axes)


class Reduction(Op):
    """Reduce ``axes`` (a sorted tuple of non-negative axes) of the input."""

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

    def kernel(self):
        reduce = type(self).reduce
        if reduce is None:
            return self.forward
        return functools.partial(reduce, axis=self.axes, keepdims=self.keepdims)

    def restore(self, g):
        """``g`` with the reduced axes put back as size-1 axes."""
        return g if self.keepdims or not self.axes else expand_dims(g, self.axes)


class Sum(Reduction):
    """``y = sum of x over axes``;  ``dx = g`` broadcast back over those axes."""
    __slots__ = ()
    name, reduce = "sum", np.add.reduce

    def vjp(self, node, g, i):
        return broadcast_like(self.restore(g), node.inputs[0])


class Mean(Reduction):
    """``y = (sum of x over axes) / n``;  ``dx = g / n`` broadcast back, where
    ``n`` is the number of entries averaged."""
    __slots__ = ()
    name, reduce = "mean", np.mean

    def vjp(self, node, g, i):
        x = node.inputs[0]
        return broadcast_like(self.restore(g), x) / count(x, self.axes)


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
        from .elementwise import exp
        return self.restore(g) * exp(x - self.restore(node))


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


def sum_to(array, shape):
    """Sum ``array`` down to ``shape``, undoing NumPy broadcasting."""
    if np.shape(array) == tuple(shape):
        return array
    lead = np.ndim(array) - len(shape)
    stretched = tuple(axis + lead for axis, dim in enumerate(shape)
                      if dim == 1 and array.shape[axis + lead] != 1)
    summed = np.add.reduce(array, axis=tuple(range(lead)) + stretched, keepdims=True)
    return summed.reshape(shape)


# --------------------------------------------------------------------------
# The backend functions

def sum(x, axis=None, keepdims=False):
    """Sum of ``x`` over ``axis`` (``None`` for all; an int, negative, or a list).

    >>> from minigrad import backend as K
    >>> K.eval(K.sum(K.constant([[1., 2.], [3., 4.]]), axis=0))
    array([4., 6.], dtype=float32)
    """
    x = as_node(x)
    return Sum(normalize_axes(axis, x.ndim, "sum"), keepdims)(x)


def mean(x, axis=None, keepdims=False):
    """Mean of ``x`` over ``axis``; integer and boolean inputs are cast to
    ``floatx()`` first, as in Keras.

    >>> from minigrad import backend as K
    >>> K.eval(K.mean(K.constant([[1., 2.], [3., 4.]]), axis=-1, keepdims=True))
    array([[1.5],
           [3.5]], dtype=float32)
    """
    x = as_node(x)
    if x.dtype.kind != "f":
        from .elementwise import cast
        x = cast(x, config.floatx())
    return Mean(normalize_axes(axis, x.ndim, "mean"), keepdims)(x)


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` over ``axis``, without overflow.

    >>> from minigrad import backend as K
    >>> K.eval(K.logsumexp(K.constant([1e4, 1e-4], dtype='float64')))
    array(10000.)
    """
    x = as_node(x)
    return LogSumExp(normalize_axes(axis, x.ndim, "logsumexp"), keepdims)(x)


def count(x, axes):
    """The number of entries of ``x`` along ``axes``: a Python number when
    the static shape knows it, else a node computed at run time."""
    dims = [x.shape[axis] for axis in axes]
    if is_fully_known(dims):
        return int(np.prod(dims))
    return Count(axes)(x)


def broadcast_like(g, like):
    """``g`` broadcast to the shape of ``like`` (skipped when already equal)."""
    if g.shape == like.shape and is_fully_known(like.shape):
        return g
    return BroadcastLike()(g, like)


def sum_like(g, like):
    """``g`` summed down to the shape of ``like`` (skipped when already equal)."""
    if g.shape == like.shape and is_fully_known(like.shape):
        return g
    return SumLike()(g, like)


from .shape import expand_dims  # noqa: E402  (shape ops use reductions too)
