"""Operations that rearrange entries without changing them: reshape,
transpose, expand_dims, squeeze, reverse, concatenate/stack, tile,
repeat_elements, batch_flatten. Their gradients rearrange ``g`` back (and
where entries were copied, ``tile`` and ``repeat_elements``, sum the copies)."""

import numpy as np

from ..graph import (Constant, Node, Op, as_node, as_nodes, count_argument, format_shape,
                     is_fully_known, normalize_axes, same_shape)
from .utility import Shape


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


def expand_dims(x, axis=-1):
    """Insert a size-1 axis at ``axis`` (an int, or a tuple of output positions).

    >>> from minigrad import backend as K
    >>> K.int_shape(K.expand_dims(K.placeholder(shape=(None, 3)), 1))
    (None, 1, 3)
    """
    x = as_node(x)
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    return ExpandDims(normalize_axes(axes, x.ndim + len(axes), "expand_dims"))(x)


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


def reshape(x, shape):
    """``x`` with a new shape (one entry may be -1).

    >>> from minigrad import backend as K
    >>> K.eval(K.reshape(K.constant([1., 2., 3., 4.]), (2, -1)))
    array([[1., 2.],
           [3., 4.]], dtype=float32)
    """
    if isinstance(shape, Node) or any(isinstance(dim, Node) for dim in shape):
        static, dims = shape_tensor(shape, "reshape")
        return ReshapeTo(static)(as_node(x), dims)
    return Reshape(shape)(x)


def flatten(x):
    """``x`` as a 1-D tensor.

    >>> from minigrad import backend as K
    >>> K.eval(K.flatten(K.constant([[1., 2.], [3., 4.]])))
    array([1., 2., 3., 4.], dtype=float32)
    """
    return Reshape((-1,))(as_node(x))


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


def reshape_like(g, like):
    """``g`` reshaped to the shape of ``like`` (skipped when already equal).

    A fully known ``like`` gives a plain ``reshape``; otherwise the shape is
    read from ``like`` at run time.

    >>> from minigrad import backend as K
    >>> reshape_like(K.placeholder(shape=(6,)), K.placeholder(shape=(2, 3))).op
    reshape(shape=(2, 3))
    >>> reshape_like(K.placeholder(shape=(None,)), K.placeholder(shape=(None, 3))).op
    reshape_like
    """
    if g.shape == like.shape and is_fully_known(like.shape):
        return g
    if is_fully_known(like.shape):
        return Reshape(like.shape)(g)
    return ReshapeLike()(g, like)


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


# --------------------------------------------------------------------------
# Joining, repeating, flipping (Keras 2's concatenate, stack, tile, ...)

class ZerosLike(Op):
    """Zeros of the run-time shape of ``like`` and the given dtype; constant,
    so no gradient. Gradients use it to pad a part back to a whole."""
    __slots__ = ("dtype",)
    name = "zeros_like"

    def __init__(self, dtype):
        self.dtype = np.dtype(dtype)

    def infer(self, like):
        return like.shape, self.dtype

    def forward(self, like):
        return np.zeros(np.shape(like), dtype=self.dtype)


class Concatenate(Op):
    """Join tensors along ``axis``; every other dimension must agree.
    ``dx_k = `` the slice of ``g`` where ``x_k`` sits."""
    __slots__ = ("axis",)
    name = "concatenate"

    def __init__(self, axis):
        self.axis = int(axis)

    def infer(self, *inputs):
        shapes = [node.shape for node in inputs]
        listed = ", ".join(format_shape(shape) for shape in shapes)
        if len({len(shape) for shape in shapes}) != 1:
            raise ValueError(f"concatenate: tensors of different ranks: {listed}")
        shape = []
        for axis, dims in enumerate(zip(*shapes)):
            if axis == self.axis:
                shape.append(None if None in dims else int(np.sum(dims)))
                continue
            known = {dim for dim in dims if dim is not None}
            if len(known) > 1:
                raise ValueError(f"concatenate: shapes {listed} differ in dimension {axis}, "
                                 f"not only in the joined axis {self.axis}")
            shape.append(known.pop() if known else None)
        return tuple(shape), np.result_type(*(node.dtype for node in inputs))

    def forward(self, *arrays):
        return np.concatenate(arrays, axis=self.axis)

    def vjp(self, node, g, i):
        return ConcatPart(self.axis, i)(g, *node.inputs)


def concatenate(tensors, axis=-1):
    """Join a list of tensors along ``axis``; the other dimensions must agree.

    >>> from minigrad import backend as K
    >>> K.eval(K.concatenate([K.constant([[1.]]), K.constant([[2., 3.]])]))
    array([[1., 2., 3.]], dtype=float32)
    >>> K.int_shape(K.concatenate([K.placeholder(shape=(None, 2)), K.placeholder(shape=(4, 3))]))
    (4, 5)
    """
    tensors = as_nodes(tuple(tensors))
    if not tensors:
        raise ValueError("concatenate: needs at least one tensor")
    (axis,) = normalize_axes(axis, tensors[0].ndim, "concatenate")
    return Concatenate(axis)(*tensors)


def stack(x, axis=0):
    """Stack a list of tensors of one shape along a new axis ``axis``.

    >>> from minigrad import backend as K
    >>> K.eval(K.stack([K.constant([1., 2.]), K.constant([3., 4.])], axis=1))
    array([[1., 3.],
           [2., 4.]], dtype=float32)
    """
    tensors = as_nodes(tuple(x))
    if not tensors:
        raise ValueError("stack: needs at least one tensor")
    shapes = [node.shape for node in tensors]
    if not all(same_shape(shape, shapes[0]) for shape in shapes):
        raise ValueError(f"stack: tensors of different shapes: "
                         f"{', '.join(format_shape(shape) for shape in shapes)}")
    (axis,) = normalize_axes(axis, tensors[0].ndim + 1, "stack")
    return Concatenate(axis)(*(expand_dims(node, axis) for node in tensors))


class ConcatPart(Op):
    """The ``index``-th part of ``g``, cut along ``axis`` at the run-time sizes
    of ``parts`` (the gradient of ``concatenate``); its own gradient puts
    ``g'`` back in place between zeros."""
    __slots__ = ("axis", "index")
    name = "concat_part"

    def __init__(self, axis, index):
        self.axis, self.index = int(axis), int(index)

    def infer(self, g, *parts):
        return parts[self.index].shape, g.dtype

    def forward(self, g, *parts):
        sizes = [np.shape(part)[self.axis] for part in parts]
        start = int(np.sum(sizes[:self.index]))
        return g[(slice(None),) * self.axis + (slice(start, start + sizes[self.index]),)]

    def vjp(self, node, g, i):
        if i != 0:
            return None
        parts = node.inputs[1:]
        pieces = [g if k == self.index else ZerosLike(g.dtype)(part) for k, part in enumerate(parts)]
        return Concatenate(self.axis)(*pieces)


class Squeeze(Op):
    """Remove ``axis``, which must have size 1;  ``dx = g`` reshaped back."""
    __slots__ = ("axis",)
    name = "squeeze"

    def __init__(self, axis):
        self.axis = int(axis)

    def infer(self, x):
        if x.shape[self.axis] not in (1, None):
            raise ValueError(f"squeeze: axis {self.axis} of a tensor of shape "
                             f"{format_shape(x.shape)} has size {x.shape[self.axis]}, not 1")
        return x.shape[:self.axis] + x.shape[self.axis + 1:], x.dtype

    def forward(self, x):
        return np.squeeze(x, axis=self.axis)

    def vjp(self, node, g, i):
        return reshape_like(g, node.inputs[0])


def squeeze(x, axis):
    """Remove the size-1 axis ``axis``.

    >>> from minigrad import backend as K
    >>> K.int_shape(K.squeeze(K.placeholder(shape=(None, 1, 3)), 1))
    (None, 3)
    """
    x = as_node(x)
    (axis,) = normalize_axes(axis, x.ndim, "squeeze")
    return Squeeze(axis)(x)


class Reverse(Op):
    """Reverse the order of entries along ``axes``;  ``dx = g`` reversed the same way."""
    __slots__ = ("axes",)
    name = "reverse"

    def __init__(self, axes):
        self.axes = tuple(axes)

    def infer(self, x):
        return x.shape, x.dtype

    def forward(self, x):
        return np.flip(x, self.axes)

    def vjp(self, node, g, i):
        return Reverse(self.axes)(g)


def reverse(x, axes):
    """Reverse ``x`` along ``axes`` (an int or a list).

    >>> from minigrad import backend as K
    >>> K.eval(K.reverse(K.constant([[1., 2.], [3., 4.]]), axes=1))
    array([[2., 1.],
           [4., 3.]], dtype=float32)
    """
    x = as_node(x)
    return Reverse(normalize_axes(axes, x.ndim, "reverse"))(x)


class Tile(Op):
    """Repeat the whole of ``x`` ``reps[k]`` times along axis ``k`` (``np.tile``);
    ``dx = `` the sum of the copies of ``g``."""
    __slots__ = ("reps",)
    name = "tile"

    def __init__(self, reps):
        self.reps = tuple(count_argument(rep, "n", "tile") for rep in reps)

    def infer(self, x):
        if len(self.reps) != x.ndim:
            raise ValueError(f"tile: cannot tile a tensor of shape {format_shape(x.shape)} "
                             f"by {self.reps} (one count per axis)")
        return tuple(None if dim is None else dim * rep
                     for dim, rep in zip(x.shape, self.reps)), x.dtype

    def forward(self, x):
        return np.tile(x, self.reps)

    def vjp(self, node, g, i):
        return TileGrad(self.reps)(g, node.inputs[0])


def tile(x, n):
    """Repeat ``x`` as a whole ``n[k]`` times along axis ``k``. An int ``n``
    (or a shorter list) counts for the last axes, as ``np.tile``.

    >>> from minigrad import backend as K
    >>> K.eval(K.tile(K.constant([[1., 2.]]), [2, 2]))
    array([[1., 2., 1., 2.],
           [1., 2., 1., 2.]], dtype=float32)
    """
    x = as_node(x)
    reps = (n,) if isinstance(n, (int, np.integer)) else tuple(n)
    if len(reps) < x.ndim:
        reps = (1,) * (x.ndim - len(reps)) + reps
    return Tile(reps)(x)


def repeat(x, n):
    """Repeat a 2-D tensor ``(samples, dim)`` ``n`` times: ``(samples, n, dim)``.

    >>> from minigrad import backend as K
    >>> K.eval(K.repeat(K.constant([[1., 2.]]), 2))
    array([[[1., 2.],
            [1., 2.]]], dtype=float32)
    """
    x = as_node(x)
    if x.ndim != 2:
        raise ValueError(f"repeat: needs a 2-D tensor, got shape {format_shape(x.shape)}")
    return Tile((1, n, 1))(expand_dims(x, 1))


class TileGrad(Op):
    """Sum the ``reps`` copies in ``g`` back onto the shape of ``like`` (the
    gradient of ``tile``);  its gradient tiles ``g'`` again."""
    __slots__ = ("reps",)
    name = "tile_grad"

    def __init__(self, reps):
        self.reps = tuple(reps)

    def infer(self, g, like):
        return like.shape, g.dtype

    def forward(self, g, like):
        split = [size for pair in zip(self.reps, np.shape(like)) for size in pair]
        return np.reshape(g, split).sum(axis=tuple(range(0, len(split), 2)))

    def vjp(self, node, g, i):
        return Tile(self.reps)(g) if i == 0 else None


class RepeatElements(Op):
    """Repeat each entry ``rep`` times along ``axis`` (``np.repeat``);
    ``dx = `` the sum of each entry's ``rep`` copies in ``g``."""
    __slots__ = ("rep", "axis")
    name = "repeat_elements"

    def __init__(self, rep, axis):
        self.rep, self.axis = count_argument(rep, "rep", "repeat_elements"), int(axis)

    def infer(self, x):
        dim = x.shape[self.axis]
        shape = list(x.shape)
        shape[self.axis] = None if dim is None else dim * self.rep
        return tuple(shape), x.dtype

    def forward(self, x):
        return np.repeat(x, self.rep, axis=self.axis)

    def vjp(self, node, g, i):
        return RepeatElementsGrad(self.rep, self.axis)(g, node.inputs[0])


def repeat_elements(x, rep, axis):
    """Repeat each entry of ``x`` ``rep`` times along ``axis`` (``np.repeat``).

    >>> from minigrad import backend as K
    >>> K.eval(K.repeat_elements(K.constant([[1., 2.]]), 2, axis=1))
    array([[1., 1., 2., 2.]], dtype=float32)
    """
    x = as_node(x)
    (axis,) = normalize_axes(axis, x.ndim, "repeat_elements")
    return RepeatElements(rep, axis)(x)


class RepeatElementsGrad(Op):
    """Sum each run of ``rep`` entries of ``g`` along ``axis`` back onto the
    shape of ``like`` (the gradient of ``repeat_elements``)."""
    __slots__ = ("rep", "axis")
    name = "repeat_elements_grad"

    def __init__(self, rep, axis):
        self.rep, self.axis = rep, axis

    def infer(self, g, like):
        return like.shape, g.dtype

    def forward(self, g, like):
        shape = np.shape(like)
        split = shape[:self.axis] + (shape[self.axis], self.rep) + shape[self.axis + 1:]
        return np.reshape(g, split).sum(axis=self.axis + 1)

    def vjp(self, node, g, i):
        return RepeatElements(self.rep, self.axis)(g) if i == 0 else None


class BatchFlatten(Op):
    """Keep axis 0 and flatten the rest: shape ``(n, d1, d2, ...) -> (n, d1 d2 ...)``;
    ``dx = g`` reshaped back."""
    __slots__ = ()
    name = "batch_flatten"

    def infer(self, x):
        if x.ndim == 0:
            raise ValueError("batch_flatten: needs a tensor of rank >= 1, got shape ()")
        rest = x.shape[1:]
        return (x.shape[0], int(np.prod(rest)) if is_fully_known(rest) else None), x.dtype

    def forward(self, x):
        return np.reshape(x, (np.shape(x)[0], -1))

    def vjp(self, node, g, i):
        return reshape_like(g, node.inputs[0])


def batch_flatten(x):
    """Flatten every axis but the first: ``(n, d1, d2, ...) -> (n, d1 d2 ...)``.

    >>> from minigrad import backend as K
    >>> K.int_shape(K.batch_flatten(K.placeholder(shape=(None, 2, 3))))
    (None, 6)
    """
    return BatchFlatten()(as_node(x))


# --------------------------------------------------------------------------
# Shapes given as tensors (``K.reshape(x, (K.shape(x)[0], -1))``)

class ReshapeTo(Op):
    """``y = x`` reshaped to the shape held by the 1-D int tensor ``dims``
    (one entry may be -1), known only at run time; ``dx = g`` reshaped back.
    ``static`` is what is known of the result when the graph is built."""
    __slots__ = ("static",)
    name = "reshape_to"

    def __init__(self, static):
        self.static = tuple(static)

    def infer(self, x, dims):
        return self.static, x.dtype

    def forward(self, x, dims):
        return np.reshape(x, tuple(int(dim) for dim in dims))

    def vjp(self, node, g, i):
        return reshape_like(g, node.inputs[0]) if i == 0 else None


def shape_tensor(shape, what):
    """``shape`` -- a 1-D int tensor, or a tuple of ints and scalar int tensors
    -- as ``(static, dims)``: the static shape (``None`` where only the run
    knows; -1 kept as ``None``) and a 1-D integer tensor of the sizes.

    >>> from minigrad import backend as K
    >>> static, dims = shape_tensor((2, -1), 'reshape')
    >>> static, dims.dtype, K.eval(dims)
    ((2, None), dtype('int64'), array([ 2, -1]))
    """
    if isinstance(shape, Node):
        if shape.ndim != 1 or shape.shape[0] is None or shape.dtype.kind not in "iu":
            raise ValueError(f"{what}: a shape tensor must be a 1-D integer tensor of known "
                             f"length, got shape {format_shape(shape.shape)} dtype {shape.dtype.name}")
        known = shape.inputs[0].shape if isinstance(shape.op, Shape) else None
        return known or (None,) * shape.shape[0], shape
    static, entries = [], []
    for dim in shape:
        if isinstance(dim, Node):
            if dim.ndim != 0 or dim.dtype.kind not in "iu":
                raise ValueError(f"{what}: a shape entry must be an int or a scalar int tensor, "
                                 f"got a tensor of shape {format_shape(dim.shape)} dtype {dim.dtype.name}")
            static.append(None)
            entries.append(dim)
        else:
            static.append(None if int(dim) == -1 else int(dim))
            entries.append(Constant(np.int64(dim)))
    return tuple(static), stack(entries)
