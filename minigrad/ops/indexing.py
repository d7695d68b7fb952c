"""Picking entries: ``x[1:3, None]`` (basic indexing), ``K.slice``,
``K.gather`` (rows by an index tensor) and ``K.one_hot``; and zero padding,
whose gradient is a slice.

The gradient of picking is putting back: the picked part of ``g`` goes to
the places it came from and every other place gets 0. Each "put back" op's
own gradient is the picking op again, so these pairs can be differentiated
any number of times.
"""

import numpy as np

from .. import config
from ..graph import Node, Op, as_node, count_argument, format_shape, same_shape
from .elementwise import cast
from .shape import expand_dims

_slice, _max = slice, max  # builtins; this module's own `slice` is K.slice


def _key_text(key):
    """``(slice(1, None), None, 0)`` -> ``'[1:, None, 0]'``, as it was typed."""
    def one(item):
        if isinstance(item, _slice):
            text = ("" if item.start is None else str(item.start)) + ":" + \
                   ("" if item.stop is None else str(item.stop))
            return text + (f":{item.step}" if item.step is not None else "")
        return str(item)
    return "[" + ", ".join(one(item) for item in key) + "]"


def normalize_key(key, shape):
    """A basic index as a tuple of ints, slices and ``None``, one slice or int
    per axis of ``shape`` (an ``...`` is expanded, missing axes become ``:``).

    >>> normalize_key((..., 1), (2, 3, 4))
    (slice(None, None, None), slice(None, None, None), 1)
    >>> normalize_key((None, 0), (2, 3))
    (None, 0, slice(None, None, None))
    """
    key = key if isinstance(key, tuple) else (key,)
    for item in key:
        ok = (item is None or item is Ellipsis or isinstance(item, _slice)
              or (isinstance(item, (int, np.integer)) and not isinstance(item, bool)))
        if not ok:
            raise TypeError(f"indexing: only ints, slices, None and ... can index a tensor, "
                            f"got {item!r}; use K.gather to pick entries by an index tensor")
    if sum(item is Ellipsis for item in key) > 1:
        raise ValueError("indexing: an index can only have a single ellipsis ('...')")
    used = sum(item is not None and item is not Ellipsis for item in key)
    if used > len(shape):
        raise ValueError(f"indexing: too many indices {_key_text(key)} for a tensor of "
                         f"shape {format_shape(shape)}")
    if Ellipsis in key:
        at = key.index(Ellipsis)
        key = key[:at] + (_slice(None),) * (len(shape) - used) + key[at + 1:]
    else:
        key = key + (_slice(None),) * (len(shape) - used)
    return tuple(int(item) if isinstance(item, (int, np.integer)) else item for item in key)


class GetItem(Op):
    """``y = x[key]`` for a basic index (ints, slices, ``None``);
    ``dx = `` zeros with ``g`` written at ``[key]``."""
    __slots__ = ("key",)
    name = "getitem"

    def __init__(self, key):
        self.key = key

    def infer(self, x):
        shape, axis = [], 0
        for item in self.key:
            if item is None:
                shape.append(1)
                continue
            dim = x.shape[axis]
            if isinstance(item, _slice):
                shape.append(None if dim is None else len(range(*item.indices(dim))))
            elif dim is not None and not -dim <= item < dim:
                raise ValueError(f"indexing: index {item} is out of range for axis {axis} of a "
                                 f"tensor of shape {format_shape(x.shape)}")
            axis += 1
        return tuple(shape), x.dtype

    def forward(self, x):
        return x[self.key]

    def vjp(self, node, g, i):
        return GetItemGrad(self.key)(g, node.inputs[0])

    def params(self):
        return {"key": _key_text(self.key)}


def getitem(x, key):
    """``x[key]`` for a basic NumPy index: ints, slices, ``None`` (a new
    axis) and ``...``. This is what ``node[...]`` calls. A scalar integer
    *tensor* picks one row, as in TensorFlow: ``x[i]`` is ``K.gather(x, i)``
    (Keras code indexes so inside ``K.map_fn``).

    >>> from minigrad import backend as K
    >>> x = K.constant([[1., 2., 3.], [4., 5., 6.]])
    >>> K.eval(x[1, ::2])
    array([4., 6.], dtype=float32)
    >>> K.int_shape(K.placeholder(shape=(None, 3))[:, None, 1:])
    (None, 1, 2)
    >>> K.eval(x[K.constant(1, dtype='int32')])
    array([4., 5., 6.], dtype=float32)
    """
    x = as_node(x)
    if isinstance(key, Node) and key.shape == () and key.dtype.kind in "iu":
        return gather(x, key)
    return GetItem(normalize_key(key, x.shape))(x)


class Slice(GetItem):
    """``tf.slice``: the block at ``start`` with ``size`` entries per axis
    (-1: all the rest). Unlike ``x[key]``, a block that does not fit the
    run-time shape is an error, not silently cut short."""
    __slots__ = ("start", "size")
    name = "slice"

    def __init__(self, start, size):
        self.start, self.size = tuple(start), tuple(size)
        super().__init__(tuple(_slice(begin, None if count == -1 else begin + count)
                               for begin, count in zip(self.start, self.size)))

    def forward(self, x):
        for axis, (begin, count) in enumerate(zip(self.start, self.size)):
            if begin + _max(count, 0) > x.shape[axis]:
                raise ValueError(f"slice: start {self.start} and size {self.size} do not fit in "
                                 f"a tensor of run-time shape {x.shape}")
        return x[self.key]

    def params(self):
        return {"start": self.start, "size": self.size}


def slice(x, start, size):
    """The block of ``x`` that begins at ``start`` (one index per axis) and
    has ``size`` entries along each axis (``-1``: all the rest), as ``tf.slice``.

    >>> from minigrad import backend as K
    >>> K.eval(K.slice(K.constant([[1., 2., 3.], [4., 5., 6.]]), (0, 1), (-1, 2)))
    array([[2., 3.],
           [5., 6.]], dtype=float32)
    """
    x = as_node(x)
    start, size = tuple(start), tuple(size)
    if len(start) != x.ndim or len(size) != x.ndim:
        raise ValueError(f"slice: start {start} and size {size} need one entry per axis of "
                         f"a tensor of shape {format_shape(x.shape)}")
    start = tuple(count_argument(begin, "start", "slice") for begin in start)
    size = tuple(-1 if count == -1 else count_argument(count, "size", "slice") for count in size)
    for axis, (begin, count) in enumerate(zip(start, size)):
        dim = x.shape[axis]
        if dim is not None and begin + _max(count, 0) > dim:
            raise ValueError(f"slice: start {start} and size {size} do not fit in a tensor "
                             f"of shape {format_shape(x.shape)}")
    return Slice(start, size)(x)


class GetItemGrad(Op):
    """Zeros of the run-time shape of ``like`` with ``g`` written at ``[key]``:
    the gradient of ``x[key]``. Its gradient is ``g'[key]``."""
    __slots__ = ("key",)
    name = "getitem_grad"

    def __init__(self, key):
        self.key = key

    def infer(self, g, like):
        return like.shape, g.dtype

    def forward(self, g, like):
        out = np.zeros(np.shape(like), dtype=g.dtype)
        out[self.key] = g
        return out

    def vjp(self, node, g, i):
        return GetItem(self.key)(g) if i == 0 else None

    def params(self):
        return {"key": _key_text(self.key)}


class Gather(Op):
    """``y = reference[indices]`` along axis 0: ``y[j..., :] = reference[indices[j...], :]``,
    shape ``indices.shape + reference.shape[1:]``;  ``dreference = `` zeros
    with each ``g[j...]`` *added* at row ``indices[j...]`` (rows picked twice
    get both). Indices get no gradient."""
    __slots__ = ()
    name = "gather"

    def infer(self, reference, indices):
        if reference.ndim == 0:
            raise ValueError("gather: cannot gather from a scalar (shape ())")
        if indices.dtype.kind not in "iu":
            raise TypeError(f"gather: indices must be integers, got dtype {indices.dtype.name}")
        return indices.shape + reference.shape[1:], reference.dtype

    def forward(self, reference, indices):
        _check_range(indices, reference.shape[0], "gather")
        return np.take(reference, indices, axis=0)

    def vjp(self, node, g, i):
        reference, indices = node.inputs
        return GatherGrad()(g, indices, reference) if i == 0 else None


def gather(reference, indices):
    """Rows of ``reference`` picked by the integer tensor ``indices`` (axis 0):
    the shape is ``indices.shape + reference.shape[1:]``.

    >>> from minigrad import backend as K
    >>> K.eval(K.gather(K.constant([[1., 2.], [3., 4.], [5., 6.]]), [2, 0, 2]))
    array([[5., 6.],
           [1., 2.],
           [5., 6.]], dtype=float32)
    """
    reference = as_node(reference)
    indices = as_node(indices)
    return Gather()(reference, indices)


class GatherGrad(Op):
    """Zeros of the shape of ``like`` with each row ``g[j...]`` added at row
    ``indices[j...]``: the gradient of ``gather``. Its gradient gathers again."""
    __slots__ = ()
    name = "gather_grad"

    def infer(self, g, indices, like):
        return like.shape, g.dtype

    def forward(self, g, indices, like):
        out = np.zeros(np.shape(like), dtype=g.dtype)
        np.add.at(out, indices, g)
        return out

    def vjp(self, node, g, i):
        return Gather()(g, node.inputs[1]) if i == 0 else None


class Pick(Op):
    """``y[...] = x[..., index[...]]``: one entry of each row (the last axis),
    chosen by the integer ``index``, of ``x``'s shape without that axis. An
    index outside ``[0, n)`` is an error, not a wrap-around. ``dx = g`` put
    back at the picked entries: ``g * one_hot(index)``. This is how a
    sparse cross-entropy reads the probability of the true class.

    >>> from minigrad import backend as K
    >>> K.eval(Pick()(K.constant([[1., 2.], [3., 4.]]), K.constant([1, 0], dtype='int32')))
    array([2., 3.], dtype=float32)
    """
    __slots__ = ()
    name = "pick"

    def infer(self, x, index):
        if index.dtype.kind not in "iu":
            raise TypeError(f"pick: index must be integers, got dtype {index.dtype.name}")
        if x.ndim == 0 or not same_shape(index.shape, x.shape[:-1]):
            raise ValueError(f"pick: index of shape {format_shape(index.shape)} does not match the "
                             f"rows of a tensor of shape {format_shape(x.shape)}")
        rows = tuple(a if a is not None else b for a, b in zip(x.shape[:-1], index.shape))
        return rows, x.dtype

    def forward(self, x, index):
        _check_range(index, x.shape[-1], "pick")
        return np.take_along_axis(x, np.expand_dims(index, -1), axis=-1)[..., 0]

    def vjp(self, node, g, i):
        x, index = node.inputs
        if i == 1:
            return None
        if x.shape[-1] is None:
            raise ValueError(f"pick: differentiating needs the number of classes of {x.name!r} "
                             f"(shape {format_shape(x.shape)})")
        return expand_dims(g, -1) * cast(one_hot(index, x.shape[-1]), g.dtype)


def _check_range(index, size, op):
    """Refuse an index outside ``[0, size)``: NumPy would wrap a negative one."""
    index = np.asarray(index)
    if index.size and (index.min() < 0 or index.max() >= size):
        bad = index[(index < 0) | (index >= size)].flat[0]
        raise ValueError(f"{op}: index {bad} is out of range [0, {size})")


class OneHot(Op):
    """``y[..., k] = 1`` where ``indices[...] == k``, else 0, for ``k`` in
    ``range(num_classes)`` (an index outside that range gives a row of zeros,
    as TensorFlow's ``one_hot``). Integers in, so no gradient."""
    __slots__ = ("num_classes", "dtype")
    name = "one_hot"

    def __init__(self, num_classes, dtype):
        self.num_classes = count_argument(num_classes, "num_classes", "one_hot")
        self.dtype = np.dtype(dtype)

    def infer(self, indices):
        if indices.dtype.kind not in "iu":
            raise TypeError(f"one_hot: indices must be integers, got dtype {indices.dtype.name}")
        return indices.shape + (self.num_classes,), self.dtype

    def forward(self, indices):
        return (np.expand_dims(indices, -1) == np.arange(self.num_classes)).astype(self.dtype)


def one_hot(indices, num_classes):
    """One-hot encoding of the integer tensor ``indices``: shape
    ``indices.shape + (num_classes,)``, dtype ``floatx()``.

    >>> from minigrad import backend as K
    >>> K.eval(K.one_hot(K.constant([0, 2], dtype='int32'), 3))
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    """
    return OneHot(num_classes, config.floatx())(as_node(indices))


# --------------------------------------------------------------------------
# Zero padding (Keras 2's temporal/spatial padding are built on it): the
# opposite of slicing, whose gradient it is not -- its gradient is a slice

class Pad(Op):
    """Add ``before`` and ``after`` zeros along each axis: ``widths`` holds one
    ``(before, after)`` pair per axis;  ``dx = g`` with the padding cut off."""
    __slots__ = ("widths",)
    name = "pad"

    def __init__(self, widths):
        self.widths = tuple((int(before), int(after)) for before, after in widths)

    def infer(self, x):
        if len(self.widths) != x.ndim or any(w < 0 for pair in self.widths for w in pair):
            raise ValueError(f"pad: widths {self.widths} do not fit a tensor of shape "
                             f"{format_shape(x.shape)} (one non-negative pair per axis)")
        return tuple(None if dim is None else dim + before + after
                     for dim, (before, after) in zip(x.shape, self.widths)), x.dtype

    def forward(self, x):
        return np.pad(x, self.widths)

    def vjp(self, node, g, i):
        return GetItem(tuple(_slice(before, -after if after else None)
                             for before, after in self.widths))(g)


def pad(x, widths):
    """``x`` with zeros added around it: ``widths[k] = (before, after)`` for axis ``k``.

    >>> from minigrad import backend as K, ops
    >>> K.eval(ops.pad(K.constant([[1., 2.]]), [(0, 1), (1, 0)]))
    array([[0., 1., 2.],
           [0., 0., 0.]], dtype=float32)
    """
    return Pad(widths)(as_node(x))
