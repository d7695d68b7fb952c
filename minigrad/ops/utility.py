"""Small utilities of the Keras 2 backend: ``identity``, ``print_tensor``
and ``arange`` (a range whose bounds may be tensors)."""

import sys

import numpy as np

from ..graph import Constant, Node, Op, as_node


class Identity(Op):
    """``y = x``;  ``dx = g``."""
    __slots__ = ()
    name = "identity"

    def infer(self, x):
        return x.shape, x.dtype

    def forward(self, x):
        return x

    def vjp(self, node, g, i):
        return g


def identity(x, name=None):
    """A tensor with the same value as ``x``.

    >>> from minigrad import backend as K
    >>> K.eval(K.identity(K.constant([1., 2.])))
    array([1., 2.], dtype=float32)
    """
    return Identity()(as_node(x), name=name)


class PrintTensor(Identity):
    """``y = x``, printing ``message`` and the value each time it is evaluated;
    ``dx = g``. It has a side effect, so ``stateful = True``: a pass that
    caches or folds constant subgraphs must keep it."""
    __slots__ = ("message",)
    name = "print_tensor"
    stateful = True

    def __init__(self, message=""):
        self.message = str(message)

    def forward(self, x):
        print(f"{self.message}{np.asarray(x)}", file=sys.stdout)
        return x


def print_tensor(x, message=""):
    """``x`` unchanged, but printing ``message`` followed by its value each
    time it is evaluated. Use the returned tensor in place of ``x``.

    >>> from minigrad import backend as K
    >>> y = K.print_tensor(K.constant([1., 2.]), message="x is: ") * 2
    >>> K.eval(y)
    x is: [1. 2.]
    array([2., 4.], dtype=float32)
    """
    return PrintTensor(message)(as_node(x))


class Arange(Op):
    """``y = [start, start + step, ...]`` up to (excluding) ``stop``, cast to
    ``dtype``, from scalar tensors: the length is known only at run time.
    Bounds do not vary smoothly with the output's length: no gradient."""
    __slots__ = ("dtype",)
    name = "arange"

    def __init__(self, dtype):
        self.dtype = np.dtype(dtype)

    def infer(self, start, stop, step):
        for bound in (start, stop, step):
            if bound.ndim != 0:
                raise ValueError(f"arange: start, stop and step must be scalars, got shape {bound.shape}")
        return (None,), self.dtype

    def forward(self, start, stop, step):
        return np.arange(start, stop, step).astype(self.dtype, copy=False)


def arange(start, stop=None, step=1, dtype="int32"):
    """``[start, start + step, ...]`` up to (excluding) ``stop``, as ``np.arange``
    and Keras 2: with one argument, ``arange(n)`` is ``0 .. n - 1``; an empty
    range (``stop <= start`` for a positive step) is an empty tensor. The
    values are computed, then cast to ``dtype`` (``'int32'`` by default).
    ``start`` (and ``stop``, ``step``) may be scalar tensors; then the length
    is known only at run time.

    >>> from minigrad import backend as K
    >>> K.eval(K.arange(2, 8, 2))
    array([2, 4, 6], dtype=int32)
    >>> K.eval(K.arange(-3))
    array([], dtype=int32)
    >>> K.eval(K.arange(K.constant(3.), dtype='float32'))
    array([0., 1., 2.], dtype=float32)
    """
    if stop is None:
        start, stop = 0, start
    if not isinstance(step, Node) and step == 0:
        raise ValueError("arange: step must not be 0")
    if not any(isinstance(bound, Node) for bound in (start, stop, step)):
        return Constant(np.arange(start, stop, step).astype(dtype))
    bounds = [as_node(bound) if isinstance(bound, Node) else Constant(bound) for bound in (start, stop, step)]
    return Arange(dtype)(*bounds)


class Shape(Op):
    """The run-time shape of ``x`` as a 1-D int32 tensor; no gradient."""
    __slots__ = ()
    name = "shape"

    def infer(self, x):
        return (x.ndim,), np.dtype(np.int32)

    def forward(self, x):
        return np.asarray(np.shape(x), dtype=np.int32)


def shape(x):
    """The shape of ``x`` as a tensor, known when the graph runs (use
    ``K.int_shape`` for the static shape, with ``None`` for unknown sizes).

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(None, 3))
    >>> K.function([x], [K.shape(x)])([[[1., 2., 3.]] * 2])
    [array([2, 3], dtype=int32)]
    """
    return Shape()(as_node(x))
