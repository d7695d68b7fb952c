"""Operations that rearrange entries without changing them: reshape,
transpose, expand_dims. Their gradients rearrange ``g`` back."""

import numpy as np

from ..graph import Op, as_node, format_shape, is_fully_known, normalize_axes


class ExpandDims(Op):
    """Insert size-1 axes at ``axes`` (positions in the output);
    ``dx = g`` with those axes removed."""
    __slots__ = ("axes",)
    name = "expand_dims"

    def __init__(self, axes):
        self.axes = tuple(axes)

    def infer(self, x):
        shape = list(x.shape)
        for axis in self.axes:
            shape.insert(axis, 1)
        return tuple(shape), x.dtype

    def forward(self, x):
        return np.expand_dims(x, self.axes)

    def vjp(self, node, g, i):
        return reshape_like(g, node.inputs[0])


class Reshape(Op):
    """Give ``x`` the static ``shape`` (one entry may be -1: "whatever is left");
    ``dx = g`` reshaped back to the shape of ``x``."""
    __slots__ = ("shape",)
    name = "reshape"

    def __init__(self, shape):
        self.shape = tuple(int(dim) for dim in shape)

    def infer(self, x):
        target = self.shape
        free = [axis for axis, dim in enumerate(target) if dim == -1]
        if len(free) > 1 or any(dim < -1 for dim in target):
            raise ValueError(f"reshape: invalid target shape {format_shape(target)}")
        if not is_fully_known(x.shape):
            return tuple(None if dim == -1 else dim for dim in target), x.dtype
        size = int(np.prod(x.shape))
        known = int(np.prod([dim for dim in target if dim != -1]))
        if free and known and size % known == 0:
            target = tuple(size // known if dim == -1 else dim for dim in target)
        if int(np.prod(target)) != size or -1 in target:
            raise ValueError(f"reshape: cannot reshape a tensor of shape {format_shape(x.shape)} "
                             f"({size} entries) into shape {format_shape(self.shape)}")
        return target, x.dtype

    def forward(self, x):
        return np.reshape(x, self.shape)

    def vjp(self, node, g, i):
        return reshape_like(g, node.inputs[0])


class ReshapeLike(Op):
    """``y = g`` reshaped to the run-time shape of ``like``;  ``dg = reshape_like(g', g)``."""
    __slots__ = ()
    name = "reshape_like"

    def infer(self, g, like):
        return like.shape, g.dtype

    def forward(self, g, like):
        return np.reshape(g, np.shape(like))

    def vjp(self, node, g, i):
        return reshape_like(g, node.inputs[0]) if i == 0 else None


class Transpose(Op):
    """Permute the axes: output axis ``k`` is input axis ``perm[k]``;
    ``dx = g`` permuted by the inverse permutation."""
    __slots__ = ("perm",)
    name = "transpose"

    def __init__(self, perm):
        self.perm = tuple(int(axis) for axis in perm)

    def infer(self, x):
        if sorted(self.perm) != list(range(x.ndim)):
            raise ValueError(f"transpose: {self.perm} is not a permutation of the axes of "
                             f"a tensor of shape {format_shape(x.shape)}")
        return tuple(x.shape[axis] for axis in self.perm), x.dtype

    def forward(self, x):
        return np.transpose(x, self.perm)

    def vjp(self, node, g, i):
        return Transpose(np.argsort(self.perm))(g)


def expand_dims(x, axis=-1):
    """Insert a size-1 axis at ``axis`` (an int, or a tuple of output positions).

    >>> from minigrad import backend as K
    >>> K.int_shape(K.expand_dims(K.placeholder(shape=(None, 3)), 1))
    (None, 1, 3)
    """
    x = as_node(x)
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    return ExpandDims(normalize_axes(axes, x.ndim + len(axes), "expand_dims"))(x)


def reshape(x, shape):
    """``x`` with a new shape (one entry may be -1).

    >>> from minigrad import backend as K
    >>> K.eval(K.reshape(K.constant([1., 2., 3., 4.]), (2, -1)))
    array([[1., 2.],
           [3., 4.]], dtype=float32)
    """
    return Reshape(shape)(x)


def reshape_like(g, like):
    """``g`` reshaped to the shape of ``like`` (skipped when already equal)."""
    if g.shape == like.shape and is_fully_known(like.shape):
        return g
    if is_fully_known(like.shape):
        return Reshape(like.shape)(g)
    return ReshapeLike()(g, like)


def transpose(x, perm=None):
    """Permute the axes of ``x``; by default reverse them (Keras's ``K.transpose``).

    >>> from minigrad import backend as K
    >>> K.int_shape(K.transpose(K.placeholder(shape=(None, 3))))
    (3, None)
    """
    x = as_node(x)
    return Transpose(range(x.ndim)[::-1] if perm is None else perm)(x)


def permute_dimensions(x, pattern):
    """Permute the axes of ``x``: output axis ``k`` is input axis ``pattern[k]``.

    >>> from minigrad import backend as K
    >>> K.int_shape(K.permute_dimensions(K.placeholder(shape=(2, 3, 4)), (2, 0, 1)))
    (4, 2, 3)
    """
    return Transpose(pattern)(x)
