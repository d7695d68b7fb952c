"""Matrix products. ``K.dot`` follows Keras 2 (and ``np.dot``): a sum over the
last axis of ``x`` and the second-to-last axis of ``y`` (the only axis of a
1-D ``y``), so ``(4, 2) . (5, 2, 3) -> (4, 5, 3)``.

Products of higher rank are ``TensorDot`` (a sum over any paired axes,
whose gradients are tensordots again) and ``K.batch_dot``, written with
``expand_dims``, ``*`` and ``sum`` so that its gradient needs no new rule."""

import numpy as np

from ..graph import Op, as_nodes, format_shape, normalize_axes
from .reduce import sum as sum_
from .shape import expand_dims, reshape_like, transpose


class Dot(Op):
    """``y = x . w``.

    For matrices, ``dx = g . w^T`` and ``dw = x^T . g``; vectors are handled
    as one-row or one-column matrices. For higher ranks the gradients are
    those of the equivalent ``TensorDot``.
    """
    __slots__ = ()
    name, ufunc = "dot", np.dot

    def infer(self, x, w):
        if x.ndim == 0 or w.ndim == 0:
            raise ValueError(f"dot: needs tensors of rank >= 1, got shapes "
                             f"{format_shape(x.shape)} and {format_shape(w.shape)}")
        contracted = -2 if w.ndim >= 2 else -1
        left, right = x.shape[-1], w.shape[contracted]
        if left is not None and right is not None and left != right:
            raise ValueError(f"dot: shapes {format_shape(x.shape)} and {format_shape(w.shape)} "
                             f"are not aligned ({left} != {right})")
        shape = x.shape[:-1] + (w.shape[:-2] + w.shape[-1:] if w.ndim >= 2 else ())
        return shape, np.result_type(x.dtype, w.dtype)


    def vjp(self, node, g, i):
        x, w = node.inputs
        if x.ndim > 2 or w.ndim > 2:
            # np.dot is the tensordot of x's last axis with w's contracted one.
            return TensorDot((x.ndim - 1,), (w.ndim - 2 if w.ndim >= 2 else 0,)).vjp(node, g, i)
        if x.ndim == 2 and w.ndim == 2:
            return dot(g, transpose(w)) if i == 0 else dot(transpose(x), g)
        # A vector is a one-row (x) or one-column (w) matrix whose extra axis
        # is missing from g too; put the axes in, use the matrix rule, take them out.
        missing = tuple(axis for axis, vector in ((0, x.ndim == 1), (1, w.ndim == 1)) if vector)
        x2 = x if x.ndim == 2 else expand_dims(x, 0)
        w2 = w if w.ndim == 2 else expand_dims(w, -1)
        g2 = expand_dims(g, missing)
        if i == 0:
            return reshape_like(dot(g2, transpose(w2)), x)
        return reshape_like(dot(transpose(x2), g2), w)


def dot(x, y):
    """Keras 2's ``K.dot``: the matrix product for 2-D tensors; for n-D ones a
    sum over the last axis of ``x`` and the second-to-last of ``y``:
    ``out[a..., b..., n] = sum_k x[a..., k] y[b..., k, n]`` (``np.dot``'s rule).

    >>> from minigrad import backend as K
    >>> K.eval(K.dot(K.constant([[1., 2.]]), K.constant([[3.], [4.]])))
    array([[11.]], dtype=float32)
    >>> K.int_shape(K.dot(K.placeholder(shape=(4, 2)), K.placeholder(shape=(5, 2, 3))))
    (4, 5, 3)
    >>> K.dot(K.placeholder(shape=(3, 2)), K.placeholder(shape=(3, 1)))
    Traceback (most recent call last):
    ...
    ValueError: dot: shapes (3, 2) and (3, 1) are not aligned (2 != 3)
    """
    x, y = as_nodes((x, y))
    return Dot()(x, y)


class TensorDot(Op):
    """``y = sum over k of x[free_x, k] * w[k, free_w]``, where ``k`` runs over
    the paired axes ``x_axes`` of ``x`` and ``w_axes`` of ``w`` (``np.tensordot``);
    the output's axes are the free axes of ``x``, then those of ``w``.

    The gradients contract ``g`` with the other input over the free axes:
    ``dx = tensordot(g, w)`` over the free axes of ``w``, ``dw = tensordot(x, g)``
    over the free axes of ``x``, each permuted back to its input's axis order.
    """
    __slots__ = ("x_axes", "w_axes")
    name = "tensordot"

    def __init__(self, x_axes, w_axes):
        self.x_axes = tuple(int(axis) for axis in x_axes)
        self.w_axes = tuple(int(axis) for axis in w_axes)

    def infer(self, x, w):
        for a, b in zip(self.x_axes, self.w_axes):
            left, right = x.shape[a], w.shape[b]
            if left is not None and right is not None and left != right:
                raise ValueError(f"tensordot: shapes {format_shape(x.shape)} and "
                                 f"{format_shape(w.shape)} are not aligned on axes {a} and {b} "
                                 f"({left} != {right})")
        shape = (tuple(dim for axis, dim in enumerate(x.shape) if axis not in self.x_axes)
                 + tuple(dim for axis, dim in enumerate(w.shape) if axis not in self.w_axes))
        return shape, np.result_type(x.dtype, w.dtype)

    def forward(self, x, w):
        return np.tensordot(x, w, axes=(self.x_axes, self.w_axes))

    def vjp(self, node, g, i):
        x, w = node.inputs
        x_free = [axis for axis in range(x.ndim) if axis not in self.x_axes]
        w_free = [axis for axis in range(w.ndim) if axis not in self.w_axes]
        # np.tensordot leaves the other input's summed axes in their own order;
        # `order` lists which axis of this input each axis of the result is.
        if i == 0:
            g_w_free = range(len(x_free), g.ndim)
            paired = [self.x_axes[k] for k in np.argsort(self.w_axes)]
            grad, order = TensorDot(g_w_free, w_free)(g, w), x_free + paired
        else:
            g_x_free = range(len(x_free))
            paired = [self.w_axes[k] for k in np.argsort(self.x_axes)]
            grad, order = TensorDot(x_free, g_x_free)(x, g), paired + w_free
        if order == sorted(order):
            return grad
        return transpose(grad, np.argsort(order))


def batch_dot(x, y, axes=None):
    """Keras 2's batchwise dot product: for each sample ``b`` (axis 0), the sum
    over axis ``axes[0]`` of ``x[b]`` and axis ``axes[1]`` of ``y[b]``.

    The output's shape is ``x``'s without ``axes[0]``, followed by ``y``'s
    without axis 0 and ``axes[1]``; a 1-D result becomes ``(batch, 1)``. An
    int ``axes`` means the same axis in both; ``None`` means the last axis
    of ``x`` with the second-to-last of ``y`` (its last if ``y`` is 2-D), a
    batched matrix product. Written as ``sum(x' * y', axis)`` after moving
    the paired axes to meet, so its gradient comes from those ops (the
    product holds ``batch * a * k * b`` entries before the sum: fine at
    teaching sizes, wasteful for big ones).

    >>> from minigrad import backend as K
    >>> x, y = K.constant([[1., 2.], [3., 4.]]), K.constant([[5., 6.], [7., 8.]])
    >>> K.eval(K.batch_dot(x, y, axes=1))
    array([[17.],
           [53.]], dtype=float32)
    >>> K.int_shape(K.batch_dot(K.placeholder(shape=(32, 20, 1)), K.placeholder(shape=(32, 30, 20)), axes=(1, 2)))
    (32, 1, 30)
    """
    x, y = as_nodes((x, y))
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(f"batch_dot: needs tensors of rank >= 2, got shapes "
                         f"{format_shape(x.shape)} and {format_shape(y.shape)}")
    if axes is None:
        axes = (x.ndim - 1, y.ndim - 1 if y.ndim == 2 else y.ndim - 2)
    elif isinstance(axes, (int, np.integer)):
        axes = (axes, axes)
    if len(axes) != 2 or not all(isinstance(axis, (int, np.integer)) for axis in axes):
        raise ValueError(f"batch_dot: axes must be None, an int or a pair of ints, got {axes!r}")
    (ax,), (ay,) = normalize_axes(axes[0], x.ndim, "batch_dot"), normalize_axes(axes[1], y.ndim, "batch_dot")
    if ax == 0 or ay == 0:
        raise ValueError(f"batch_dot: axis 0 is the batch axis and cannot be summed over (axes {tuple(axes)})")
    for a, b, what in ((0, 0, "batch sizes"), (ax, ay, "summed axes")):
        if x.shape[a] is not None and y.shape[b] is not None and x.shape[a] != y.shape[b]:
            raise ValueError(f"batch_dot: shapes {format_shape(x.shape)} and {format_shape(y.shape)} "
                             f"with axes {tuple(axes)}: the {what} differ ({x.shape[a]} != {y.shape[b]})")
    # x -> (batch, a..., k, 1...) and y -> (batch, 1..., k, b...): then multiply and sum k.
    x_perm = [0] + [axis for axis in range(1, x.ndim) if axis != ax] + [ax]
    y_perm = [0, ay] + [axis for axis in range(1, y.ndim) if axis != ay]
    xs = x if x_perm == sorted(x_perm) else transpose(x, x_perm)
    ys = y if y_perm == sorted(y_perm) else transpose(y, y_perm)
    n_x, n_y = x.ndim - 2, y.ndim - 2
    if n_y:
        xs = expand_dims(xs, tuple(range(x.ndim, x.ndim + n_y)))
    if n_x:
        ys = expand_dims(ys, tuple(range(1, 1 + n_x)))
    out = sum_(xs * ys, axis=1 + n_x)
    return expand_dims(out, 1) if out.ndim == 1 else out
