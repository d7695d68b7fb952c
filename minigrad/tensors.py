"""Making leaves (placeholders, variables, constants), reading and writing
variable values, static shape queries, and updates -- Keras 2's names."""

import contextlib

import numpy as np

from . import config
from .graph import (VALUES_LOCK, Constant, Node, Placeholder, PlaceholderWithDefault, Update,
                    Variable, as_node, format_shape, is_fully_known)
from .executor import Function
from .ops.reduce import broadcast_like
from .values import convert, install


# --------------------------------------------------------------------------
# Names

_NAME_SCOPES = []


@contextlib.contextmanager
def name_scope(name):
    """Prefix the names given to placeholders, variables and constants made
    inside: ``'dense_1/kernel'``. Keras's layers build their weights in one.

    >>> from minigrad import backend as K
    >>> with K.name_scope('dense_1'):
    ...     K.variable([1.], name='kernel').name
    'dense_1/kernel'
    """
    _NAME_SCOPES.append(str(name))
    try:
        yield
    finally:
        _NAME_SCOPES.pop()


def _scoped(name):
    return "/".join(_NAME_SCOPES + [name]) if name is not None and _NAME_SCOPES else name




# --------------------------------------------------------------------------
# Leaves

def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None):
    """A graph input, fed when a compiled function is called.

    ``None`` in ``shape`` marks a dimension known only at call time (a batch
    size, say); ``ndim`` alone makes every dimension free. ``sparse=True``
    (Keras's sparse inputs) raises ``NotImplementedError``: minigrad's
    tensors are dense.

    >>> from minigrad import backend as K
    >>> K.placeholder(shape=(None, 3), name='x')
    <Placeholder 'x' shape=(None, 3) dtype=float32>
    """
    if sparse:
        raise NotImplementedError("K.placeholder(sparse=True) is not supported by minigrad: "
                                  "its tensors are dense NumPy arrays")
    if shape is None:
        if ndim is None:
            raise ValueError("placeholder: give `shape` (a tuple, None for free dimensions) "
                             "or `ndim`; minigrad needs the rank of every tensor")
        shape = (None,) * int(ndim)
    elif ndim is not None and len(shape) != ndim:
        raise ValueError(f"placeholder: shape {tuple(shape)} does not have ndim={ndim}")
    return _for_keras(Placeholder(_check_shape(shape, "placeholder"), dtype, _scoped(name)))


def variable(value, dtype=None, name=None, constraint=None):
    """A tensor holding a NumPy array that updates can change.

    ``dtype`` defaults to ``floatx()``; ``constraint`` is a callable that
    optimizers apply to each new value (e.g. ``lambda w: K.clip(w, -1, 1)``).
    ``value`` may be a tensor that needs no feed (Keras's initializers return
    ``K.random_normal(...)`` and the like): it is evaluated once, now.

    >>> from minigrad import backend as K
    >>> w = K.variable([[1., 2.]], name='w')
    >>> w
    <Variable 'w' shape=(1, 2) dtype=float32>
    >>> K.get_value(w)
    array([[1., 2.]], dtype=float32)
    """
    if isinstance(value, Node):
        value = eval(value)
    return _for_keras(Variable(value, dtype, _scoped(name), constraint))


def constant(value, dtype=None, shape=None, name=None):
    """A constant tensor; with ``shape``, ``value`` (a number) fills that shape.

    >>> from minigrad import backend as K
    >>> K.eval(K.constant(2., shape=(2,)))
    array([2., 2.], dtype=float32)
    """
    array = np.asarray(value, dtype=config.as_dtype(dtype))
    if shape is not None:
        shape = _check_shape(shape, "constant")
        if array.size != 1 and array.shape != shape:
            raise ValueError(f"constant: a value of shape {array.shape} cannot fill shape {shape}")
        array = np.full(shape, array.reshape(-1)[0] if array.size == 1 else array, dtype=array.dtype)
    return _for_keras(Constant(array, name=_scoped(name)))


def _for_keras(leaf):
    """``leaf`` with the two attributes Keras 2's engine reads on the tensors
    a backend makes (as Keras's Theano backend sets them)."""
    leaf._keras_shape = leaf.shape
    leaf._uses_learning_phase = False
    return leaf


def zeros(shape, dtype=None, name=None):
    """A new variable of zeros; ``shape`` is a tuple or one int (a vector).

    >>> from minigrad import backend as K
    >>> K.get_value(K.zeros((2,))), K.get_value(K.zeros(1))
    (array([0., 0.], dtype=float32), array([0.], dtype=float32))
    """
    return variable(np.zeros(_check_shape(shape, "zeros")), config.as_dtype(dtype), name)


def ones(shape, dtype=None, name=None):
    """A new variable of ones; ``shape`` is a tuple or one int (a vector).

    >>> from minigrad import backend as K
    >>> K.get_value(K.ones((2,)))
    array([1., 1.], dtype=float32)
    """
    return variable(np.ones(_check_shape(shape, "ones")), config.as_dtype(dtype), name)


def zeros_like(x, dtype=None, name=None):
    """A new variable of zeros with the shape (and by default dtype) of ``x``.

    When a dimension of ``x`` is known only at run time (a batch), no variable
    can be made: the result is then a tensor of zeros computed with ``x``, as
    Keras's Theano and TensorFlow backends always return (its recurrent
    layers start from ``K.zeros_like(inputs)``).

    >>> from minigrad import backend as K
    >>> K.get_value(K.zeros_like(K.variable([[1., 2.]])))
    array([[0., 0.]], dtype=float32)
    >>> K.zeros_like(K.placeholder(shape=(None, 2))).shape
    (None, 2)
    """
    return _filled_like(x, 0, dtype, name)


def ones_like(x, dtype=None, name=None):
    """A new variable of ones with the shape (and by default dtype) of ``x``
    (a tensor when a dimension of ``x`` is known only at run time, as for
    ``zeros_like``).

    >>> from minigrad import backend as K
    >>> K.get_value(K.ones_like(K.variable([[1., 2.]])))
    array([[1., 1.]], dtype=float32)
    """
    return _filled_like(x, 1, dtype, name)


def _filled_like(x, fill, dtype, name):
    x = as_node(x)
    dtype = config.as_dtype(dtype or x.dtype)
    if is_fully_known(x.shape):
        return variable(np.full(x.shape, fill), dtype, name)
    return broadcast_like(Constant(np.array(fill, dtype=dtype)), x)


def eye(size, dtype=None, name=None):
    """A new variable holding the identity matrix: ``size`` rows and columns
    (or ``(rows, columns)``).

    >>> from minigrad import backend as K
    >>> K.get_value(K.eye(2))
    array([[1., 0.],
           [0., 1.]], dtype=float32)
    """
    rows, columns = (size, size) if isinstance(size, (int, np.integer)) else tuple(size)
    return variable(np.eye(rows, columns), config.as_dtype(dtype), name)


def _check_shape(shape, what):
    """``shape`` as a tuple of non-negative ints and ``None``s (one int ``n``
    is the shape ``(n,)``, as NumPy reads it)."""
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        dims = None
    if dims is None or not all(dim is None or (isinstance(dim, (int, np.integer))
                                               and not isinstance(dim, bool) and dim >= 0)
                               for dim in dims):
        raise ValueError(f"{what}: shape must be a tuple of non-negative ints (or None for a "
                         f"free dimension), got {shape!r}")
    return tuple(None if dim is None else int(dim) for dim in dims)


# --------------------------------------------------------------------------
# Static information

def int_shape(x):
    """The static shape of ``x`` as a tuple of ints, ``None`` where unknown.

    >>> from minigrad import backend as K
    >>> K.int_shape(K.placeholder(shape=(None, 3)))
    (None, 3)
    """
    if isinstance(x, np.ndarray):
        return x.shape
    return as_node(x).shape


def ndim(x):
    """The rank of ``x``.

    >>> from minigrad import backend as K
    >>> K.ndim(K.placeholder(shape=(None, 3)))
    2
    """
    return len(int_shape(x))


def dtype(x):
    """The dtype of ``x`` as a string.

    >>> from minigrad import backend as K
    >>> K.dtype(K.variable(1.))
    'float32'
    """
    return as_node(x).dtype.name


def is_tensor(x):
    """True for a minigrad tensor (any node of the graph).

    >>> from minigrad import backend as K
    >>> K.is_tensor(K.constant(1.)), K.is_tensor(1.)
    (True, False)
    """
    return isinstance(x, Node)


def is_keras_tensor(x):
    """True for a tensor made by a Keras layer or ``Input`` (Keras has set its
    ``_keras_history``); ``ValueError`` for something that is not a tensor.

    >>> from minigrad import backend as K
    >>> K.is_keras_tensor(K.placeholder(shape=(2,)))
    False
    """
    if not is_tensor(x):
        raise ValueError(f"is_keras_tensor: expected a symbolic tensor, got {type(x).__name__} {x!r}")
    return hasattr(x, "_keras_history")


def get_variable_shape(x):
    """The static shape of variable ``x`` (``int_shape``).

    >>> from minigrad import backend as K
    >>> K.get_variable_shape(K.zeros((2, 3)))
    (2, 3)
    """
    return int_shape(x)


def count_params(x):
    """The number of entries of ``x``, whose shape must be fully known.

    >>> from minigrad import backend as K
    >>> K.count_params(K.zeros((2, 3)))
    6
    """
    shape = int_shape(x)
    if not is_fully_known(shape):
        raise ValueError(f"count_params: the shape {format_shape(shape)} has unknown dimensions")
    return int(np.prod(shape, dtype=np.int64))


def is_placeholder(x):
    """True when ``x`` was made by ``K.placeholder``.

    >>> from minigrad import backend as K
    >>> K.is_placeholder(K.placeholder(shape=(2,))), K.is_placeholder(K.variable(1.))
    (True, False)
    """
    return isinstance(x, Placeholder) and not isinstance(x, PlaceholderWithDefault)


def cast_to_floatx(x):
    """A NumPy array of ``x`` in ``floatx()`` (not a tensor, as in Keras).

    >>> from minigrad import backend as K
    >>> K.cast_to_floatx([1, 2])
    array([1., 2.], dtype=float32)
    """
    return np.asarray(x, dtype=config.floatx())


def is_sparse(tensor):
    """Always ``False``: minigrad has no sparse tensors.

    >>> from minigrad import backend as K
    >>> K.is_sparse(K.constant([1.]))
    False
    """
    return False


def to_dense(tensor):
    """``tensor`` itself: minigrad tensors are always dense.

    >>> from minigrad import backend as K
    >>> x = K.constant([1.]); K.to_dense(x) is x
    True
    """
    return tensor



# --------------------------------------------------------------------------
# Values

def get_value(x):
    """A copy of the value of variable ``x`` (or of any tensor that needs no feed).

    >>> from minigrad import backend as K
    >>> K.get_value(K.variable([1., 2.]))
    array([1., 2.], dtype=float32)
    """
    if isinstance(x, Variable):
        with VALUES_LOCK:  # a copy is not lent: the variable's buffer stays its own
            return x._value.copy()
    return eval(x)


def batch_get_value(ops):
    """``[get_value(x) for x in ops]`` (Keras 2's argument name).

    >>> from minigrad import backend as K
    >>> K.batch_get_value([K.variable(1.), K.variable([2., 3.])])
    [array(1., dtype=float32), array([2., 3.], dtype=float32)]
    """
    return [get_value(x) for x in ops]


def set_value(x, value):
    """Give variable ``x`` a new value (converted to its dtype; same shape).

    >>> from minigrad import backend as K
    >>> lr = K.variable(0.01)
    >>> K.set_value(lr, 0.1); K.get_value(lr)
    array(0.1, dtype=float32)
    """
    batch_set_value([(x, value)])


def batch_set_value(tuples):
    """Set several variables at once; all are checked before any is changed.

    >>> from minigrad import backend as K
    >>> a, b = K.variable(0.), K.variable([0., 0.])
    >>> K.batch_set_value([(a, 1.), (b, [2., 3.])]); K.get_value(b)
    array([2., 3.], dtype=float32)
    """
    variables, arrays = [], []
    for x, value in tuples:
        if not isinstance(x, Variable):
            raise TypeError(f"set_value: {x!r} is not a variable")
        array = np.array(convert(value, x.dtype, f"set_value: variable {x.name!r}", "given"))
        if array.shape != x._value.shape:
            raise ValueError(f"set_value: variable {x.name!r} has shape {x._value.shape}; "
                             f"got a value of shape {array.shape}")
        array.flags.writeable = False
        variables.append(x)
        arrays.append(array)
    with VALUES_LOCK:
        install(variables, arrays)


def eval(x):
    """The value of a tensor that needs no placeholder.

    >>> from minigrad import backend as K
    >>> K.eval(K.constant(2.) * 3)
    array(6., dtype=float32)
    """
    function = Function([], [as_node(x)], name="eval")
    if function._unfed:
        names = [node.name for node in function._unfed]
        raise ValueError(f"eval: {function.outputs[0].name!r} depends on placeholder "
                         f"{', '.join(map(repr, names))}, and eval feeds nothing; compile it "
                         f"with f = K.function([{', '.join(names)}], [tensor]) and call "
                         f"f([value{', value' * (len(names) - 1)}])")
    return function([])[0]


# --------------------------------------------------------------------------
# Updates

def update(x, new_x):
    """The update ``x <- new_x``, for ``K.function(..., updates=[...])``.

    >>> from minigrad import backend as K
    >>> v = K.variable(1.)
    >>> K.update(v, v * 2)
    <Update variable_... <- multiply_...>
    """
    return Update(x, new_x, "update")


def update_add(x, increment):
    """The update ``x <- x + increment``.

    >>> from minigrad import backend as K
    >>> v = K.variable(1.)
    >>> K.function([], [], updates=[K.update_add(v, 2.)])([]); K.get_value(v)
    []
    array(3., dtype=float32)
    """
    return Update(x, x + increment, "update_add")


def update_sub(x, decrement):
    """The update ``x <- x - decrement``.

    >>> from minigrad import backend as K
    >>> v = K.variable(1.)
    >>> K.function([], [], updates=[K.update_sub(v, 2.)])([]); K.get_value(v)
    []
    array(-1., dtype=float32)
    """
    return Update(x, x - decrement, "update_sub")


def moving_average_update(x, value, momentum):
    """The update ``x <- momentum * x + (1 - momentum) * value``, an
    exponential moving average (Keras 2's Theano and CNTK form; its
    TensorFlow backend also debiases the average, which minigrad does not).

    >>> from minigrad import backend as K
    >>> m = K.variable(0.)
    >>> K.function([], [], updates=[K.moving_average_update(m, 10., 0.9)])([]); K.get_value(m)
    []
    array(1., dtype=float32)
    """
    return Update(x, x * momentum + value * (1.0 - momentum), "moving_average_update")
