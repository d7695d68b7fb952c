"""Matrix products. ``K.dot`` follows Keras 2 (and ``np.dot``): a sum over the
last axis of ``x`` and the second-to-last axis of ``y`` (the only axis of a
1-D ``y``), so ``(4, 2) . (5, 2, 3) -> (4, 5, 3)``."""

import numpy as np

from ..graph import Op, as_nodes, format_shape


class Dot(Op):
    """``y = x . w``.

    For matrices, ``dx = g . w^T`` and ``dw = x^T . g``; vectors are handled
    as one-row or one-column matrices.
    """
    __slots__ = ()
    name = "dot"

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

    def forward(self, x, w):
        return np.dot(x, w)

    def kernel(self):
        return np.dot

    def vjp(self, node, g, i):
        from .shape import expand_dims, reshape_like, transpose
        x, w = node.inputs
        if x.ndim > 2 or w.ndim > 2:
            raise NotImplementedError(
                f"the gradient of dot for shapes {format_shape(x.shape)} and "
                f"{format_shape(w.shape)} (rank > 2) is not implemented yet")
        # Matrices throughout: a vector becomes a one-row (x) or one-column (w) matrix.
        x2 = x if x.ndim == 2 else expand_dims(x, 0)
        w2 = w if w.ndim == 2 else expand_dims(w, -1)
        g2 = g if g.ndim == 2 else expand_dims(g, 0 if x.ndim == 1 else -1)
        if g.ndim == 0:
            g2 = expand_dims(g, (0, 1))
        if i == 0:
            return reshape_like(dot(g2, transpose(w2)), x)
        return reshape_like(dot(transpose(x2), g2), w)


def dot(x, y):
    """Keras 2's ``K.dot``: the matrix product for 2-D tensors.

    >>> from minigrad import backend as K
    >>> K.eval(K.dot(K.constant([[1., 2.]]), K.constant([[3.], [4.]])))
    array([[11.]], dtype=float32)
    >>> K.dot(K.placeholder(shape=(3, 2)), K.placeholder(shape=(3, 1)))
    Traceback (most recent call last):
    ...
    ValueError: dot: shapes (3, 2) and (3, 1) are not aligned (2 != 3)
    """
    x, y = as_nodes((x, y))
    return Dot()(x, y)
