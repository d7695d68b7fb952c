"""Elementwise operations: arithmetic, math functions, comparisons, selection.

All of them broadcast their inputs as NumPy does. Each gradient is returned
in the *output's* shape; ``minigrad.autodiff`` sums it back down to the
shape of a broadcast input, in one place for every op.

None of these ops but ``Cast`` has parameters, so each is made once
(``MULTIPLY = Multiply()``) and that one object serves every node it builds:
an op object fewer per node to allocate, and for Python's garbage collector
to track and scan again and again while a big graph grows.

Notation in the docstrings: ``y`` is the op's output, ``g`` the gradient of
the loss with respect to ``y`` (same shape as ``y``).
"""

import numpy as np

from .. import config
from ..graph import Op, as_node, as_nodes, broadcast_shapes
from .shape import expand_dims


def result_dtype(ufunc, dtypes, op):
    """The dtype ``ufunc`` gives for inputs of these ``dtypes``: the kernel
    itself decides, so the static dtype always equals the computed one.

    >>> i, f = np.dtype('int32'), np.dtype('float32')
    >>> result_dtype(np.add, (i, f), 'add'), result_dtype(np.less, (i, f), 'less')
    (dtype('float64'), dtype('bool'))
    """
    result = _RESULT_DTYPES.get((ufunc, dtypes))   # asked once per ufunc and dtypes
    if result is None:
        try:
            result = ufunc.resolve_dtypes(dtypes + (None,) * ufunc.nout)[ufunc.nin]
        except TypeError:  # NumPy's "no loop for these dtypes"
            names = ", ".join(dtype.name for dtype in dtypes)
            raise TypeError(f"{op}: not defined for dtype(s) {names}") from None
        _RESULT_DTYPES[ufunc, dtypes] = result
    return result


_RESULT_DTYPES = {}


class Elementwise(Op):
    """``y = ufunc(*inputs)``, entry by entry, with broadcasting.

    >>> from minigrad import backend as K
    >>> (K.placeholder(shape=(2,)) + 1.0).op
    add
    """

    __slots__ = ()
    broadcasts = True

    def infer(self, *inputs):
        if type(self).ufunc is None:
            raise NotImplementedError(f"{self.name}: an Elementwise op takes its dtype rule from "
                                      "its `ufunc`; give the class one, or subclass Op and write "
                                      "`infer` and `forward`")
        # Unary ops, and binary ops on equal shapes, skip the general rule.
        if len(inputs) == 1:
            shape, dtypes = inputs[0].shape, (inputs[0].dtype,)
        elif len(inputs) == 2 and inputs[0].shape == inputs[1].shape:
            shape, dtypes = inputs[0].shape, (inputs[0].dtype, inputs[1].dtype)
        else:
            shape = broadcast_shapes(*[node.shape for node in inputs], op=self.name)
            dtypes = tuple(node.dtype for node in inputs)
        return shape, result_dtype(type(self).ufunc, dtypes, self.name)


class FloatElementwise(Elementwise):
    """An elementwise op defined on real numbers: integer and boolean inputs
    are cast to ``floatx()`` first (a visible ``cast`` node), as Keras does.

    >>> from minigrad import backend as K
    >>> y = K.tanh(K.placeholder(shape=(2,), dtype='int32'))
    >>> y.op, y.inputs[0].op
    (tanh, cast(dtype='float32'))
    """

    __slots__ = ()

    def __call__(self, *inputs, name=None):
        nodes = as_nodes(inputs)
        for node in nodes:
            if node.dtype.kind != "f":
                nodes = tuple(map(to_float, nodes))
                break
        return super().__call__(*nodes, name=name)


def to_float(x):
    """``x`` itself if it is a float tensor, else ``x`` cast to ``floatx()``.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(2,))
    >>> to_float(x) is x, to_float(K.placeholder(shape=(2,), dtype='int32')).op
    (True, cast(dtype='float32'))
    """
    x = as_node(x)
    return x if x.dtype.kind == "f" else cast(x, config.floatx())


# --------------------------------------------------------------------------
# Arithmetic

class Add(Elementwise):
    """``y = a + b``;  ``da = g``, ``db = g``."""
    __slots__ = ()
    name, ufunc = "add", np.add

    def vjp(self, node, g, i):
        return g


ADD = Add()


def add(a, b):
    """``a + b`` with broadcasting.

    >>> from minigrad import backend as K
    >>> K.eval(K.constant([1., 2.]) + 1)
    array([2., 3.], dtype=float32)
    """
    return ADD(a, b)


class Subtract(Elementwise):
    """``y = a - b``;  ``da = g``, ``db = -g``."""
    __slots__ = ()
    name, ufunc = "subtract", np.subtract

    def vjp(self, node, g, i):
        return g if i == 0 else -g


SUBTRACT = Subtract()


def subtract(a, b):
    """``a - b`` with broadcasting.

    >>> from minigrad import backend as K
    >>> K.eval(3 - K.constant([1., 2.]))
    array([2., 1.], dtype=float32)
    """
    return SUBTRACT(a, b)


class Multiply(Elementwise):
    """``y = a * b``;  ``da = g * b``, ``db = g * a``."""
    __slots__ = ()
    name, ufunc = "multiply", np.multiply

    def vjp(self, node, g, i):
        return g * node.inputs[1 - i]


MULTIPLY = Multiply()


def multiply(a, b):
    """``a * b`` with broadcasting.

    >>> from minigrad import backend as K
    >>> K.eval(K.constant([1., 2.]) * K.constant([[1.], [10.]]))
    array([[ 1.,  2.],
           [10., 20.]], dtype=float32)
    """
    return MULTIPLY(a, b)


class Divide(Elementwise):
    """``y = a / b``;  ``da = g / b``, ``db = -g * y / b``."""
    __slots__ = ()
    name, ufunc = "divide", np.true_divide

    def vjp(self, node, g, i):
        a, b = node.inputs
        return g / b if i == 0 else -g * node / b


DIVIDE = Divide()


def divide(a, b):
    """``a / b`` (true division) with broadcasting.

    >>> from minigrad import backend as K
    >>> K.eval(K.constant([1., 2.]) / 4)
    array([0.25, 0.5 ], dtype=float32)
    """
    return DIVIDE(a, b)


class Pow(FloatElementwise):
    """``y = a ** b``;  ``da = g * b * a ** (b - 1)``, ``db = g * y * log(a)``
    (taken as 0 where ``a <= 0``, as TensorFlow does)."""
    __slots__ = ()
    name, ufunc = "pow", np.power

    def vjp(self, node, g, i):
        a, b = node.inputs
        if i == 0:
            return g * b * a ** (b - 1)
        return g * node * log(switch(greater(a, 0), a, 1))


POW = Pow()


def pow(x, a):
    """``x ** a``, elementwise (Keras: ``K.pow(x, a)``).

    >>> from minigrad import backend as K
    >>> K.eval(K.pow(K.constant([2., 3.]), 2))
    array([4., 9.], dtype=float32)
    """
    return POW(x, a)


class Maximum(Elementwise):
    """``y = max(a, b)``;  the gradient goes to ``a`` where ``a >= b``, else to ``b``."""
    __slots__ = ()
    name, ufunc = "maximum", np.maximum

    def vjp(self, node, g, i):
        a, b = node.inputs
        return switch(greater_equal(a, b), g, 0) if i == 0 else switch(greater_equal(a, b), 0, g)


MAXIMUM = Maximum()


def maximum(x, y):
    """Elementwise maximum of ``x`` and ``y``.

    >>> from minigrad import backend as K
    >>> K.eval(K.maximum(K.constant([1., 5.]), 3))
    array([3., 5.], dtype=float32)
    """
    return MAXIMUM(x, y)


class Minimum(Elementwise):
    """``y = min(a, b)``;  the gradient goes to ``a`` where ``a <= b``, else to ``b``."""
    __slots__ = ()
    name, ufunc = "minimum", np.minimum

    def vjp(self, node, g, i):
        a, b = node.inputs
        return switch(less_equal(a, b), g, 0) if i == 0 else switch(less_equal(a, b), 0, g)


MINIMUM = Minimum()


def minimum(x, y):
    """Elementwise minimum of ``x`` and ``y``.

    >>> from minigrad import backend as K
    >>> K.eval(K.minimum(K.constant([1., 5.]), 3))
    array([1., 3.], dtype=float32)
    """
    return MINIMUM(x, y)


class Negative(Elementwise):
    """``y = -x``;  ``dx = -g``."""
    __slots__ = ()
    name, ufunc = "negative", np.negative

    def vjp(self, node, g, i):
        return -g


NEGATIVE = Negative()


def negative(x):
    """``-x``.

    >>> from minigrad import backend as K
    >>> K.eval(-K.constant([1., -2.]))
    array([-1.,  2.], dtype=float32)
    """
    return NEGATIVE(x)


# --------------------------------------------------------------------------
# Math functions

class Square(Elementwise):
    """``y = x ** 2``;  ``dx = g * (2 x)``."""
    __slots__ = ()
    name, ufunc = "square", np.square

    def vjp(self, node, g, i):
        return g * (2 * node.inputs[0])


SQUARE = Square()


def square(x):
    """``x ** 2``, elementwise.

    >>> from minigrad import backend as K
    >>> K.eval(K.square(K.constant([-3., 2.])))
    array([9., 4.], dtype=float32)
    """
    return SQUARE(x)


class Sqrt(FloatElementwise):
    """``y = sqrt(x)``;  ``dx = g * 0.5 / y``."""
    __slots__ = ()
    name, ufunc = "sqrt", np.sqrt

    def vjp(self, node, g, i):
        return g * 0.5 / node


SQRT = Sqrt()


def sqrt(x):
    """Square root, elementwise. Keras 2 clips negative inputs to 0 first;
    so does minigrad (the gradient at a clipped entry is 0).

    >>> from minigrad import backend as K
    >>> K.eval(K.sqrt(K.constant([4., 9.])))
    array([2., 3.], dtype=float32)
    """
    return SQRT(clip(to_float(x), 0.0, np.inf))


class Abs(Elementwise):
    """``y = |x|``;  ``dx = g * sign(x)`` (0 at 0)."""
    __slots__ = ()
    name, ufunc = "abs", np.absolute

    def vjp(self, node, g, i):
        return g * sign(node.inputs[0])


ABS = Abs()


def abs(x):
    """``|x|``, elementwise.

    >>> from minigrad import backend as K
    >>> K.eval(K.abs(K.constant([-3., 2.])))
    array([3., 2.], dtype=float32)
    """
    return ABS(x)


class Sign(Elementwise):
    """``y = sign(x)`` in {-1, 0, 1}; piecewise constant, so no gradient flows."""
    __slots__ = ()
    name, ufunc = "sign", np.sign


SIGN = Sign()


def sign(x):
    """-1, 0 or 1 by the sign of each entry; no gradient.

    >>> from minigrad import backend as K
    >>> K.eval(K.sign(K.constant([-3., 0., 2.])))
    array([-1.,  0.,  1.], dtype=float32)
    """
    return SIGN(x)


class Exp(FloatElementwise):
    """``y = e ** x``;  ``dx = g * y``."""
    __slots__ = ()
    name, ufunc = "exp", np.exp

    def vjp(self, node, g, i):
        return g * node


EXP = Exp()


def exp(x):
    """``e ** x``, elementwise.

    >>> from minigrad import backend as K
    >>> K.eval(K.exp(K.constant([0.])))
    array([1.], dtype=float32)
    """
    return EXP(x)


class Log(FloatElementwise):
    """``y = ln x``;  ``dx = g / x``."""
    __slots__ = ()
    name, ufunc = "log", np.log

    def vjp(self, node, g, i):
        return g / node.inputs[0]


LOG = Log()


def log(x):
    """Natural logarithm, elementwise.

    >>> from minigrad import backend as K
    >>> K.eval(K.log(K.constant([1.])))
    array([0.], dtype=float32)
    """
    return LOG(x)


class Log1p(FloatElementwise):
    """``y = ln(1 + x)``, accurate for small ``x``;  ``dx = g / (1 + x)``."""
    __slots__ = ()
    name, ufunc = "log1p", np.log1p

    def vjp(self, node, g, i):
        return g / (1 + node.inputs[0])


LOG1P = Log1p()


def log1p(x):
    """``ln(1 + x)``, accurate near 0.

    >>> from minigrad import backend as K, ops
    >>> K.eval(ops.log1p(K.constant([0.])))
    array([0.], dtype=float32)
    """
    return LOG1P(x)


class Tanh(FloatElementwise):
    """``y = tanh x``;  ``dx = g * (1 - y ** 2)``."""
    __slots__ = ()
    name, ufunc = "tanh", np.tanh

    def vjp(self, node, g, i):
        return g * (1 - node * node)


TANH = Tanh()


def tanh(x):
    """Hyperbolic tangent, elementwise.

    >>> from minigrad import backend as K
    >>> K.eval(K.tanh(K.constant([0.])))
    array([0.], dtype=float32)
    """
    return TANH(x)


class Sigmoid(Op):
    """``y = 1 / (1 + e ** -x)``;  ``dx = g * y * (1 - y)``.

    Computed as ``where(x >= 0, 1, e) / (1 + e)`` with ``e = exp(-|x|)``, which
    never overflows and keeps full relative precision in both tails.
    """
    __slots__ = ()
    name = "sigmoid"

    def infer(self, x):
        return x.shape, x.dtype

    def forward(self, x):
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1, e).astype(e.dtype, copy=False) / (1 + e)

    def vjp(self, node, g, i):
        return g * node * (1 - node)


SIGMOID = Sigmoid()


def sigmoid(x):
    """Logistic sigmoid ``1 / (1 + e ** -x)``, elementwise.

    >>> from minigrad import backend as K
    >>> K.eval(K.sigmoid(K.constant([0.])))
    array([0.5], dtype=float32)
    """
    return SIGMOID(to_float(x))


class Relu(Op):
    """``y = max(x, 0)``;  ``dx = g`` where ``x > 0``, else 0."""
    __slots__ = ()
    name = "relu"

    def infer(self, x):
        return x.shape, x.dtype

    def forward(self, x):
        return np.maximum(x, 0).astype(x.dtype, copy=False)

    def vjp(self, node, g, i):
        return switch(greater(node.inputs[0], 0), g, 0)


RELU = Relu()


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, Keras 2.2's form.

    ``f(x) = x`` for ``x > threshold`` (capped at ``max_value`` if given),
    ``alpha * (x - threshold)`` below it (a leaky slope when ``alpha != 0``).

    >>> from minigrad import backend as K
    >>> K.eval(K.relu(K.constant([-2., 1., 8.]), alpha=0.5, max_value=6.))
    array([-1.,  1.,  6.], dtype=float32)
    """
    if alpha != 0:
        negative_part = RELU(threshold - x) if threshold != 0 else RELU(-x)
    if threshold != 0:
        x = x * cast(greater(x, threshold), x.dtype)
    else:
        x = RELU(x)
    if max_value is not None:
        x = clip(x, 0.0, max_value)
    if alpha != 0:
        x = x - alpha * negative_part
    return x


class Clip(Elementwise):
    """``y = min(max(x, low), high)``;  ``dx = g`` where ``low <= x <= high``
    (bounds included, as in TensorFlow), else 0. The bounds get no gradient."""
    __slots__ = ()
    name, ufunc = "clip", np.clip

    def infer(self, x, low, high):
        shape = broadcast_shapes(x.shape, low.shape, high.shape, op=self.name)
        return shape, np.result_type(x.dtype, low.dtype, high.dtype)

    def vjp(self, node, g, i):
        # Where clipping left x unchanged, the gradient passes.
        return switch(equal(node, node.inputs[0]), g, 0) if i == 0 else None


CLIP = Clip()


def clip(x, min_value, max_value):
    """Clip each entry to ``[min_value, max_value]`` (Keras 2.2: ``None`` means
    unbounded, and a ``max_value`` below ``min_value`` is raised to it).

    >>> from minigrad import backend as K
    >>> K.eval(K.clip(K.constant([-2., 0.5, 3.]), 0., 1.))
    array([0. , 0.5, 1. ], dtype=float32)
    """
    if min_value is None:
        min_value = -np.inf
    if max_value is None:
        max_value = np.inf
    if not hasattr(max_value, "shape") and not hasattr(min_value, "shape"):
        max_value = max(max_value, min_value)
    return CLIP(x, min_value, max_value)


class Cast(Op):
    """``y = x`` as ``dtype``;  ``dx = g`` cast back, or nothing for a cast to
    an integer or boolean type (such values cannot vary smoothly)."""
    __slots__ = ("dtype",)
    name = "cast"

    def __init__(self, dtype):
        self.dtype = config.as_dtype(dtype)

    def infer(self, x):
        return x.shape, self.dtype

    def forward(self, x):
        return np.asarray(x).astype(self.dtype)

    def vjp(self, node, g, i):
        x = node.inputs[0]
        if self.dtype.kind != "f" or x.dtype.kind != "f":
            return None
        return cast(g, x.dtype)


def cast(x, dtype):
    """``x`` converted to ``dtype`` (a NumPy dtype or its name).

    >>> from minigrad import backend as K
    >>> K.eval(K.cast(K.constant([1.7, -1.7]), 'int32'))
    array([ 1, -1], dtype=int32)
    """
    return Cast(dtype)(x)


class Cos(FloatElementwise):
    """``y = cos x``;  ``dx = -g * sin x``."""
    __slots__ = ()
    name, ufunc = "cos", np.cos

    def vjp(self, node, g, i):
        return -g * sin(node.inputs[0])


COS = Cos()


def cos(x):
    """Cosine, elementwise: ``y = cos x``.

    >>> from minigrad import backend as K
    >>> K.eval(K.cos(K.constant([0., 3.14159265])))
    array([ 1., -1.], dtype=float32)
    """
    return COS(x)


class Sin(FloatElementwise):
    """``y = sin x``;  ``dx = g * cos x``."""
    __slots__ = ()
    name, ufunc = "sin", np.sin

    def vjp(self, node, g, i):
        return g * cos(node.inputs[0])


SIN = Sin()


def sin(x):
    """Sine, elementwise: ``y = sin x``.

    >>> from minigrad import backend as K
    >>> K.eval(K.sin(K.constant([0., 1.5707964])))
    array([0., 1.], dtype=float32)
    """
    return SIN(x)


class Round(Elementwise):
    """``y`` = the nearest integer to ``x``, halves to even (TensorFlow's
    ``tf.round``, NumPy's ``np.rint``); piecewise constant, so no gradient
    flows (``K.gradients`` gives ``None``, as TensorFlow does)."""
    __slots__ = ()
    name, ufunc = "round", np.rint


ROUND = Round()


def round(x):
    """Round each entry to the nearest integer, halves to the even neighbour
    (``round(0.5) = 0``, ``round(1.5) = 2``), as ``tf.round``; no gradient.

    >>> from minigrad import backend as K
    >>> K.eval(K.round(K.constant([0.5, 1.5, -1.7, 2.2])))
    array([ 0.,  2., -2.,  2.], dtype=float32)
    """
    (x,) = as_nodes((x,))
    if x.dtype.kind in "biu":  # already whole numbers: unchanged, dtype kept
        return x
    return ROUND(x)


# --------------------------------------------------------------------------
# Comparisons and selection: boolean results, no gradient

class Comparison(Elementwise):
    """A boolean elementwise test; booleans do not vary smoothly, so no gradient.

    >>> from minigrad import backend as K
    >>> y = K.greater(K.placeholder(shape=(2,)), 0.0)
    >>> y.op, y.dtype
    (greater, dtype('bool'))
    """
    __slots__ = ()


class Greater(Comparison):
    """``a > b``."""
    __slots__ = ()
    name, ufunc = "greater", np.greater


GREATER = Greater()


def greater(x, y):
    """Elementwise ``x > y`` (bool).

    >>> from minigrad import backend as K
    >>> K.eval(K.greater(K.constant([1., 3.]), 2))
    array([False,  True])
    """
    return GREATER(x, y)


class GreaterEqual(Comparison):
    """``a >= b``."""
    __slots__ = ()
    name, ufunc = "greater_equal", np.greater_equal


GREATER_EQUAL = GreaterEqual()


def greater_equal(x, y):
    """Elementwise ``x >= y`` (bool).

    >>> from minigrad import backend as K
    >>> K.eval(K.greater_equal(K.constant([1., 2.]), 2))
    array([False,  True])
    """
    return GREATER_EQUAL(x, y)


class Less(Comparison):
    """``a < b``."""
    __slots__ = ()
    name, ufunc = "less", np.less


LESS = Less()


def less(x, y):
    """Elementwise ``x < y`` (bool).

    >>> from minigrad import backend as K
    >>> K.eval(K.less(K.constant([1., 3.]), 2))
    array([ True, False])
    """
    return LESS(x, y)


class LessEqual(Comparison):
    """``a <= b``."""
    __slots__ = ()
    name, ufunc = "less_equal", np.less_equal


LESS_EQUAL = LessEqual()


def less_equal(x, y):
    """Elementwise ``x <= y`` (bool).

    >>> from minigrad import backend as K
    >>> K.eval(K.less_equal(K.constant([2., 3.]), 2))
    array([ True, False])
    """
    return LESS_EQUAL(x, y)


class Equal(Comparison):
    """``a == b``."""
    __slots__ = ()
    name, ufunc = "equal", np.equal


EQUAL = Equal()


def equal(x, y):
    """Elementwise ``x == y`` (bool).

    >>> from minigrad import backend as K
    >>> K.eval(K.equal(K.constant([1., 2.]), 2))
    array([False,  True])
    """
    return EQUAL(x, y)


class NotEqual(Comparison):
    """``a != b``."""
    __slots__ = ()
    name, ufunc = "not_equal", np.not_equal


NOT_EQUAL = NotEqual()


def not_equal(x, y):
    """Elementwise ``x != y`` (bool).

    >>> from minigrad import backend as K
    >>> K.eval(K.not_equal(K.constant([1., 2.]), 2))
    array([ True, False])
    """
    return NOT_EQUAL(x, y)


class Switch(Elementwise):
    """``y = condition ? a : b``;  ``da = g`` where the condition holds (else
    0), ``db = g`` where it does not; the condition gets no gradient."""
    __slots__ = ()
    name, ufunc = "switch", np.where

    def infer(self, condition, a, b):
        shape = broadcast_shapes(condition.shape, a.shape, b.shape, op=self.name)
        return shape, np.result_type(a.dtype, b.dtype)

    def vjp(self, node, g, i):
        condition = node.inputs[0]
        if i == 0:
            return None
        return switch(condition, g, 0) if i == 1 else switch(condition, 0, g)


SWITCH = Switch()


def switch(condition, then_expression, else_expression):
    """Pick ``then_expression`` where ``condition`` holds, else ``else_expression``.

    As in Keras 2, either branch may be a callable returning a tensor, and a
    condition of lower rank than the branches is broadcast against them.

    >>> from minigrad import backend as K
    >>> x = K.constant([-1., 2.])
    >>> K.eval(K.switch(x > 0, x, 0 * x))
    array([0., 2.], dtype=float32)
    """
    if callable(then_expression):
        then_expression = then_expression()
    if callable(else_expression):
        else_expression = else_expression()
    then_expression, else_expression = as_nodes((then_expression, else_expression))
    (condition,) = as_nodes((condition,))
    if condition.dtype != np.bool_:
        condition = cast(condition, "bool")
    # Keras 2 lines up a lower-rank condition with the leading axes of
    # then_expression (a vector condition picks whole rows), unlike NumPy.
    if 0 < condition.ndim < then_expression.ndim:
        trailing = range(condition.ndim, then_expression.ndim)
        condition = expand_dims(condition, tuple(trailing))
    return SWITCH(condition, then_expression, else_expression)
