"""The computation graph: nodes, operations, and the order to visit them in.

A graph is made of ``Node`` objects. A node is either a *leaf*

* ``Variable`` -- holds a NumPy array that updates may change,
* ``Placeholder`` -- a value fed in when a function is called (a
  ``PlaceholderWithDefault`` reads its ``value`` when it is not fed),
* ``Constant`` -- a fixed array,

or the result of applying an ``Op`` to input nodes. Building a node runs
nothing: it only works out the node's static ``shape`` (a tuple in which
``None`` marks a dimension known only at run time) and ``dtype``, so that
mistakes are reported where they are made, naming the shapes involved.

Every op defines three things side by side (see ``minigrad/ops``):

``infer(*inputs) -> (shape, dtype)``
    the shape rule, run when the node is built;
``forward(*arrays) -> array``
    the NumPy computation, run by the executor;
``vjp(node, g, i) -> Node``
    the vector-Jacobian product: given ``g``, the gradient of a scalar loss
    with respect to ``node``, the gradient with respect to input ``i``,
    written as *graph expressions* so that gradients can be differentiated
    again. ``None`` means "no gradient flows to that input".

Graph walks are iterative (``topological_order``), never recursive, so a
chain of a hundred thousand nodes is no harder than a chain of three.
"""

import contextlib
import gc
import itertools
import math
import operator
import threading

import numpy as np

from . import config

#: Held while a compiled function reads the variables, computes its updates
#: and assigns them (or writes them in place), and while ``set_value``,
#: ``get_value`` or ``Variable.value`` reads or assigns: calls and assignments
#: from several threads take turns, so that no update is lost and none is
#: seen half done. Re-entrant, so a kernel may itself call a compiled function.
VALUES_LOCK = threading.RLock()

_uids = itertools.count()


# --------------------------------------------------------------------------
# Static shapes

def format_shape(shape):
    """``(None, 3)`` -> ``'(None, 3)'``; a readable static shape.

    >>> format_shape([None, 3])
    '(None, 3)'
    """
    return str(tuple(shape))


def is_fully_known(shape):
    """True when no dimension of ``shape`` is ``None``.

    >>> is_fully_known((2, 3)), is_fully_known((None, 3))
    (True, False)
    """
    return all(dim is not None for dim in shape)


def static_shape(shape):
    """``shape`` as a tuple of Python ints and ``None``s, the form every node
    keeps (``(np.int64(2), 3.0)`` becomes ``(2, 3)``).

    Equal shapes share one tuple, remembered the first time it is seen (up
    to a few thousand of them): a graph repeats a handful of shapes over and
    over, so most nodes find theirs with one dictionary lookup, and equal
    values (``np.int64(2) == 2``) look up the same tuple.

    >>> static_shape([None, np.int64(3)])
    (None, 3)
    """
    try:
        return _SHAPES[shape]
    except (KeyError, TypeError):   # new, or a list (which cannot be a key)
        known = tuple(None if dim is None else int(dim) for dim in shape)
        if len(_SHAPES) < 4096:
            _SHAPES[known] = known
        return known


_SHAPES = {}


def same_shape(a, b):
    """True when static shapes ``a`` and ``b`` may be equal at run time:
    the same rank, and equal wherever both dimensions are known.

    >>> same_shape((None, 3), (2, 3)), same_shape((2, 3), (2, 4)), same_shape((3,), (1, 3))
    (True, False, False)
    """
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))


def broadcast_shapes(*shapes, op="broadcast"):
    """NumPy's broadcasting rule on static shapes that may contain ``None``.

    Dimensions are matched from the right; a 1 stretches to the other size;
    ``None`` (unknown until run time) is assumed compatible, and the result is
    known wherever one side is known and not 1.

    >>> broadcast_shapes((None, 3), (3,))
    (None, 3)
    >>> broadcast_shapes((2, 3), (4, 3))
    Traceback (most recent call last):
    ...
    ValueError: broadcast: shapes (2, 3) and (4, 3) cannot be broadcast together (dimension -2: 2 vs 4)
    """
    if shapes.count(shapes[0]) == len(shapes):
        return shapes[0]                  # the common case, decided without the loop below
    result = []
    ndim = max(len(shape) for shape in shapes)
    for axis in range(-1, -ndim - 1, -1):
        dims = [shape[axis] for shape in shapes if len(shape) >= -axis]
        known = {dim for dim in dims if dim is not None and dim != 1}
        if len(known) > 1:
            sizes = " vs ".join(str(dim) for dim in dims)
            listed = " and ".join(format_shape(shape) for shape in shapes)
            raise ValueError(f"{op}: shapes {listed} cannot be broadcast together "
                             f"(dimension {axis}: {sizes})")
        if known:
            result.append(known.pop())
        elif None in dims:
            result.append(None)
        else:
            result.append(1)
    return tuple(reversed(result))


def normalize_axes(axis, ndim, op):
    """``axis`` (None, an int or a list/tuple, negatives allowed) as a sorted
    tuple of non-negative axes; ``ValueError`` naming ``op`` when out of range.

    >>> normalize_axes(None, 3, 'sum'), normalize_axes(-1, 3, 'sum'), normalize_axes([2, 0], 3, 'sum')
    ((0, 1, 2), (2,), (0, 2))
    >>> normalize_axes(3, 3, 'sum')
    Traceback (most recent call last):
    ...
    ValueError: sum: axis 3 is out of range for a tensor of rank 3
    """
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else axis
    if not isinstance(axes, (list, tuple)) or not all(
            isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axes):
        raise TypeError(f"{op}: axis must be None, an int or a list of ints, got {axis!r}")
    normalized = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"{op}: axis {a} is out of range for a tensor of rank {ndim}")
        normalized.append(int(a) % ndim)
    if len(set(normalized)) != len(normalized):
        raise ValueError(f"{op}: repeated axis in {axis!r}")
    return tuple(sorted(normalized))


def count_argument(value, argument, op):
    """``value`` as a non-negative Python int (a size or a repeat count);
    ``TypeError``/``ValueError`` naming ``op`` and ``argument`` otherwise,
    rather than silently truncating 2.5 to 2.

    >>> count_argument(3, "rep", "tile")
    3
    >>> count_argument(2.5, "rep", "tile")
    Traceback (most recent call last):
    ...
    TypeError: tile: `rep` must be a whole number, got 2.5
    """
    try:
        count = operator.index(value)
    except TypeError:
        raise TypeError(f"{op}: `{argument}` must be a whole number, got {value!r}") from None
    if count < 0:
        raise ValueError(f"{op}: `{argument}` must be >= 0, got {count}")
    return count


# --------------------------------------------------------------------------
# Operations

class Op:
    """An operation: a shape rule, a NumPy forward and a gradient, side by side.

    Subclasses set ``name`` and define ``infer``, ``forward`` and
    ``vjp``. An op that *is* one NumPy function (``np.add``, ``np.dot``,
    ``np.where``) names it as the class attribute ``ufunc`` instead of
    writing ``forward``: the executor then calls that function directly,
    which skips a Python-level call (`Op.kernel`). Parameters of an op (an
    axis, a dtype) are attributes listed in ``__slots__``; they appear in
    the op's ``repr``. Calling an op on inputs builds a node: ``Tanh()(x)``.

    >>> from minigrad import backend as K
    >>> y = K.sum(K.placeholder(shape=(None, 3), name='x'), axis=1)
    >>> y.op, y.op.params()
    (sum(axes=(1,), keepdims=False), {'axes': (1,), 'keepdims': False})
    """

    __slots__ = ()
    name = "op"
    #: True for ops that broadcast their inputs against each other; the
    #: gradient flowing to such an input is summed back to its shape.
    broadcasts = False
    #: The NumPy function that computes the op from its inputs, if one does.
    ufunc = None

    def __call__(self, *inputs, name=None):
        nodes = as_nodes(inputs)
        shape, dtype = self.infer(*nodes)
        return Node(self, nodes, shape, dtype, name)

    def infer(self, *inputs):
        """Return ``(shape, dtype)`` of the output for these input nodes."""
        raise NotImplementedError(f"{self.name}: an op needs an `infer` method giving its "
                                  "output's (shape, dtype) from its input nodes")

    def forward(self, *arrays):
        """Compute the output array from the input arrays (by default, ``ufunc``)."""
        if type(self).ufunc is None:
            raise NotImplementedError(f"{self.name}: an op needs a `forward` or a `ufunc`")
        return type(self).ufunc(*arrays)

    def vjp(self, node, g, i):
        """The gradient flowing to ``node.inputs[i]``, as a node (or ``None``)."""
        return None

    def kernel(self):
        """The callable the executor runs: the class's ``ufunc`` when it has
        one, else ``forward``. (Read from the class: ``np.where`` and
        ``np.clip`` are Python functions, which an instance lookup would bind
        as methods.) Ops do not override this; it is the executor's one rule."""
        return type(self).ufunc if type(self).ufunc is not None else self.forward

    def params(self):
        """The op's parameters, as a dict (for ``repr`` and drawings); a
        dtype shows as its name (``'float32'``)."""
        slots = [slot for cls in reversed(type(self).__mro__)
                 for slot in getattr(cls, "__slots__", ())]
        values = {slot: getattr(self, slot) for slot in slots}
        return {slot: value.name if isinstance(value, np.dtype) else value
                for slot, value in values.items()}

    def __repr__(self):
        params = ", ".join(f"{key}={value!r}" for key, value in self.params().items())
        return f"{self.name}({params})" if params else self.name


# --------------------------------------------------------------------------
# Nodes

#: The attributes Keras 2's engine sets on the tensors of its backend (the
#: static shape it expects, whether the learning phase is involved, and the
#: layer that made the tensor). A node has a slot for each, empty until Keras
#: fills it, so ``hasattr(node, '_keras_history')`` is false until then and
#: any other attribute is still refused: a slot costs 8 bytes a node, a
#: per-node ``__dict__`` about a hundred once used.
KERAS_ATTRIBUTES = ("_keras_shape", "_uses_learning_phase", "_keras_history")


#: NumPy's ufuncs that Node's operators stand for, by the op function's name.
_OPERATOR_UFUNCS = {np.add: "add", np.subtract: "subtract", np.multiply: "multiply",
                    np.true_divide: "divide", np.power: "pow", np.matmul: "dot",
                    np.less: "less", np.less_equal: "less_equal", np.greater: "greater",
                    np.greater_equal: "greater_equal"}


def _numpy_meets_a_node(node, ufunc, method, *inputs, **kwargs):
    """``Node.__array_ufunc__``: NumPy asks a tensor what a ufunc means for it.

    ``array * x`` (NumPy's operator runs first) builds the node ``x``'s own
    operator would; any other ufunc (``np.exp(x)``) is refused with a
    pointer to the backend function, rather than NumPy's bare "does not
    support ufuncs": a tensor has no numbers until a compiled function runs.
    """
    if ufunc in (np.equal, np.not_equal) and method == "__call__":
        return ufunc is np.not_equal  # ``array == node``: identity, as ``==`` on nodes
    name = _OPERATOR_UFUNCS.get(ufunc)
    if name is not None and method == "__call__" and not kwargs:
        return getattr(ops, name)(*inputs)
    raise TypeError(f"np.{ufunc.__name__} cannot compute with the symbolic tensor {node.name!r}: "
                    f"it has no values until a compiled function runs; use the backend "
                    f"function, K.{ufunc.__name__}({node.name}), or K.eval a tensor first")


class Node:
    """A tensor in the graph: the output of ``op`` applied to ``inputs``.

    Attributes: ``op`` (``None`` for leaves), ``inputs`` (a tuple of nodes),
    ``shape`` (static, ``None`` for unknown dimensions), ``dtype`` (a NumPy
    dtype) and ``name``. Arithmetic operators build new nodes, with NumPy
    broadcasting and Python numbers or arrays on either side.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(None, 3), name='x')
    >>> y = 2 * x + 1
    >>> y.shape, y.dtype.name, [node.name for node in y.inputs]
    ((None, 3), 'float32', ['multiply_...', 'constant_...'])
    """

    __slots__ = ("op", "inputs", "shape", "dtype", "_name", "uid", *KERAS_ATTRIBUTES)
    # NumPy asks a node what its ufuncs mean: ``array * node`` is a node.
    __array_ufunc__ = _numpy_meets_a_node

    def __init__(self, op, inputs, shape, dtype, name=None):
        self.op = op
        self.inputs = tuple(inputs)
        self.shape = static_shape(shape)
        self.dtype = dtype if isinstance(dtype, np.dtype) else np.dtype(dtype)
        self.uid = next(_uids)
        self._name = name

    @property
    def name(self):
        """The name given, else its op's name (or its class's, for a leaf) and
        its number: ``'tanh_12'``, ``'variable_3'``.

        The default is written out when first asked for: most nodes of a
        big graph (a gradient's, say) are never named by anyone, and
        formatting a string for each would be a third of building them.
        """
        if self._name is None:
            word = self.op.name if self.op is not None else type(self).__name__.lower()
            self._name = f"{word}_{self.uid}"
        return self._name

    @name.setter
    def name(self, name):
        self._name = name

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        what = "Tensor" if self.op is not None else type(self).__name__
        source = ""
        if self.op is not None:
            args = ", ".join(node.name for node in self.inputs)
            source = f" = {self.op!r}({args})"
        return (f"<{what} '{self.name}'{source} shape={format_shape(self.shape)} "
                f"dtype={self.dtype.name}>")

    # Symbolic tensors have no truth value or length: say so, rather than
    # letting Python pick a surprising default.
    def __bool__(self):
        raise TypeError(f"{self.name!r} is symbolic and has no truth value until it is "
                        "evaluated; use K.switch for a data-dependent choice")

    def __iter__(self):
        raise TypeError(f"{self.name!r} is symbolic and cannot be iterated; "
                        "index it or use K.gather")

    # Arithmetic: each operator is the backend function of the same meaning,
    # the other operand made a node beside this one first (``x * 0.5``: the
    # shared constant 0.5 of x's dtype), as the function would, in one step.
    def __add__(self, other): return ops.add(self, as_node(other, self))
    def __radd__(self, other): return ops.add(as_node(other, self), self)
    def __sub__(self, other): return ops.subtract(self, as_node(other, self))
    def __rsub__(self, other): return ops.subtract(as_node(other, self), self)
    def __mul__(self, other): return ops.multiply(self, as_node(other, self))
    def __rmul__(self, other): return ops.multiply(as_node(other, self), self)
    def __truediv__(self, other): return ops.divide(self, as_node(other, self))
    def __rtruediv__(self, other): return ops.divide(as_node(other, self), self)
    def __pow__(self, other): return ops.pow(self, as_node(other, self))
    def __rpow__(self, other): return ops.pow(as_node(other, self), self)
    def __matmul__(self, other): return ops.dot(self, as_node(other, self))
    def __rmatmul__(self, other): return ops.dot(as_node(other, self), self)
    def __neg__(self): return ops.negative(self)
    def __pos__(self): return self
    def __abs__(self): return ops.abs(self)
    def __getitem__(self, key): return ops.getitem(self, key)  # ints, slices, None, ...
    def __lt__(self, other): return ops.less(self, as_node(other, self))
    def __le__(self, other): return ops.less_equal(self, as_node(other, self))
    def __gt__(self, other): return ops.greater(self, as_node(other, self))
    def __ge__(self, other): return ops.greater_equal(self, as_node(other, self))
    # ``==`` stays identity, as in TensorFlow 1: nodes are dictionary keys.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    # Copying and pickling. By default a node's state holds its inputs, whose
    # states hold theirs, ...: pickle and deepcopy would recurse as deep as
    # the graph. Here a node's state starts with all its ancestors, inputs
    # first (`_Ancestors`), so each one is written after its own inputs, a
    # single level down; the memo of pickle (and of deepcopy) then writes
    # every node once, and tensors copied together keep sharing their graph.
    def __reduce_ex__(self, protocol):
        return _blank_node, (type(self),), (_Ancestors.of(self), _slot_values(self))

    def __setstate__(self, state):
        _, slots = state
        for name, value in slots.items():
            setattr(self, name, value)
        for name in ("value", "_value"):
            if isinstance(slots.get(name), np.ndarray):
                slots[name].flags.writeable = False  # a copy stays read-only (see Variable)


def _blank_node(cls):
    """A node of class ``cls`` with no attributes yet (``__setstate__`` fills them)."""
    return cls.__new__(cls)


def _slot_values(node):
    """Every attribute ``node`` has, by name (``__slots__`` of all its classes)."""
    names = [name for cls in type(node).__mro__ for name in getattr(cls, "__slots__", ())]
    return {name: getattr(node, name) for name in names if hasattr(node, name)}


#: Per thread: ids of the nodes that an `_Ancestors` is writing right now.
_writing = threading.local()


class _Ancestors(list):
    """The ancestors of a node being pickled or deep-copied, in topological
    order, written ahead of the node's own state (see ``Node.__reduce_ex__``).

    Only the outermost node lists them: while its ancestors are written, an
    ancestor's own ``_Ancestors`` is empty, so the work stays linear. It is a
    list (pickle rebuilds it by appending) whose items come from a generator,
    which knows when the writing ends and forgets the ids then.
    """

    __slots__ = ("node",)

    @classmethod
    def of(cls, node):
        """The ancestors to write ahead of ``node``: ``None`` for a leaf, or
        for a node whose ancestors are already being written."""
        if not node.inputs or id(node) in _writing.__dict__.get("ids", ()):
            return None
        ancestors = cls()
        ancestors.node = node
        return ancestors

    def __reduce_ex__(self, protocol):
        return _Ancestors, (), None, self._written_first()

    def _written_first(self):
        writing = _writing.__dict__.setdefault("ids", set())
        if id(self.node) in writing:
            return
        ancestors = [node for node in topological_order([self.node])[:-1] if id(node) not in writing]
        ids = {id(node) for node in ancestors} | {id(self.node)}
        writing.update(ids)
        try:
            yield from ancestors
        finally:
            writing.difference_update(ids)


class Variable(Node):
    """A leaf holding a NumPy array that updates replace; see ``K.variable``.

    ``constraint`` is an optional callable that optimizers apply to the new
    value of the variable (a graph expression in, a graph expression out).
    Its ``value`` is read-only to everyone else: an array once handed out (to
    a trace, say) keeps its numbers. The executor alone may write a new value
    into the variable's own buffer (the in-place pass, ``minigrad.compiler``),
    and only into a buffer nobody else was given: reading ``value`` *lends*
    the array out, and a lent array is never written again (the next update
    goes to a new array instead).

    >>> import numpy as np
    >>> w = Variable(np.zeros((2, 3)), name='w')
    >>> w, w.value.flags.writeable
    (<Variable 'w' shape=(2, 3) dtype=float32>, False)
    """

    __slots__ = ("_value", "_lent", "constraint")

    def __init__(self, value, dtype=None, name=None, constraint=None):
        if constraint is not None and not callable(constraint):
            raise TypeError(f"variable: constraint must be callable, got {constraint!r}")
        value = _variable_array(value, config.as_dtype(dtype), name)
        value.flags.writeable = False
        super().__init__(None, (), value.shape, value.dtype, name)
        self._value = value
        self._lent = None
        self.constraint = constraint

    @property
    def value(self):
        """The variable's array, lent out: the executor will not write into it."""
        with VALUES_LOCK:  # not while a call writes into it
            self._lent = id(self._value)
            return self._value

    @value.setter
    def value(self, value):
        raise TypeError(f"variable {self.name!r}: give it a new value with "
                        f"K.set_value({self.name}, value), which checks the dtype and shape")

    def is_lent(self):
        """Whether the current array was handed out by ``value``."""
        return self._lent == id(self._value)


def _variable_array(value, dtype, name):
    """A fresh array of ``dtype`` from ``value``; ``TypeError`` naming the
    variable for anything that is not numbers of one consistent shape."""
    what = f"variable {name!r}" if name is not None else "variable"
    try:
        array = np.array(value)
        if value is None or array.dtype.kind not in "biuf":
            raise TypeError
        return array.astype(dtype)
    except (TypeError, ValueError):
        raise TypeError(f"{what}: the value must be a number or an array of numbers "
                        f"(of one shape), got {value!r}") from None


class Placeholder(Node):
    """A leaf whose value is fed when a compiled function is called.

    >>> Placeholder((None, 2), name='x')
    <Placeholder 'x' shape=(None, 2) dtype=float32>
    """

    __slots__ = ()

    def __init__(self, shape, dtype=None, name=None):
        super().__init__(None, (), shape, config.as_dtype(dtype), name)


class PlaceholderWithDefault(Placeholder):
    """A placeholder that need not be fed: a function whose inputs do not list
    it reads its ``value`` when called (TensorFlow's
    ``placeholder_with_default``). Keras's learning phase is one.

    >>> p = PlaceholderWithDefault(0, dtype='int32', name='phase')
    >>> p, p.value
    (<PlaceholderWithDefault 'phase' shape=() dtype=int32>, array(0, dtype=int32))
    """

    __slots__ = ("_value",)

    def __init__(self, value, dtype=None, name=None):
        value = np.array(value, dtype=config.as_dtype(dtype))
        value.flags.writeable = False
        super().__init__(value.shape, value.dtype, name)
        self._value = value

    @property
    def value(self):
        """The default, read when the placeholder is not fed."""
        return self._value

    @value.setter
    def value(self, value):
        """A new default, as a read-only array of the placeholder's dtype."""
        array = np.array(value, dtype=self.dtype)
        array.flags.writeable = False
        self._value = array


class Constant(Node):
    """A leaf holding a fixed (read-only) array.

    >>> Constant([1.5, 2.5], dtype='float64').value
    array([1.5, 2.5])
    """

    __slots__ = ("value",)

    def __init__(self, value, dtype=None, name=None):
        value = np.array(value, dtype=dtype, copy=True)
        value.flags.writeable = False
        super().__init__(None, (), value.shape, value.dtype, name)
        self.value = value


def as_node(value, like=None):
    """``value`` if it is a node, else a ``Constant`` holding it.

    A Python number or array takes the dtype of ``like`` (the tensor it is
    combined with) where that loses nothing, as in TensorFlow: ``x * 2`` and
    ``x * 0.5`` keep a float32 ``x`` float32 (a number beside a float tensor
    is the one shared constant ``literal`` keeps for it). A float combined
    with an integer tensor stays float64, as in NumPy; a float combined with
    nothing becomes ``floatx()``. An integer that the tensor's type cannot
    hold is refused, rather than wrapped around. A list that holds tensors is
    packed into one (``K.stack``), as Keras code expects of
    ``K.prod([K.shape(x)[0], 2])``.

    >>> import numpy as np
    >>> as_node(0.5, like=Placeholder((2,), dtype='float16')).dtype
    dtype('float16')
    >>> as_node(2**40, like=Placeholder((2,), dtype='int32', name='n'))
    Traceback (most recent call last):
    ...
    ValueError: the number 1099511627776 does not fit tensor 'n' of dtype int32
    """
    if isinstance(value, Node):
        return value
    if type(value) in (float, int) and like is not None and like.dtype.kind == "f":
        return literal(value, like.dtype)   # x * 0.5, 1 - x: the commonest literals
    if isinstance(value, (list, tuple)) and any(isinstance(item, Node) for item in value):
        return ops.stack(value)   # [K.shape(x)[0], 3]: a list holding tensors is packed
    if isinstance(value, Update):
        raise TypeError(f"an update ({value!r}) is not a tensor; pass it in `updates=`")
    try:
        array = np.asarray(value)
    except Exception as error:
        raise TypeError(f"cannot turn {value!r} into a tensor") from error
    if array.dtype.kind not in "biuf":
        raise TypeError(f"cannot turn {value!r} (dtype {array.dtype}) into a tensor")
    if like is not None and _fits(array.dtype, like.dtype):
        dtype = like.dtype
        if dtype.kind in "iub" and not np.array_equal(array.astype(dtype), array):
            shown = value if array.size == 1 else "an array"
            raise ValueError(f"the number {shown} does not fit tensor {like.name!r} "
                             f"of dtype {dtype.name}")
    elif array.dtype.kind == "f" and like is None:
        dtype = config.floatx()
    else:
        dtype = array.dtype
    return Constant(array, dtype=dtype)


def literal(number, dtype):
    """The constant for a Python number written beside a float tensor
    (``x * 0.5``, ``1 - y``): made once per number and dtype, then shared.

    A constant never changes, so sharing it changes no value, and a chain
    that writes ``* 0.5`` fifty thousand times holds one constant rather
    than fifty thousand (Theano, Keras's other backend, keeps the same cache
    of scalar constants). ``draw_graph`` shows a small constant inside each
    consumer's label, as before; ``to_dot``, which draws every node, draws
    it once, with an edge to each consumer. The first thousand numbers are
    kept; 0.0 and -0.0 are told apart, and NaN (equal to nothing) is never
    shared. Constants made by ``K.constant`` are never shared.

    >>> f64 = np.dtype('float64')
    >>> literal(0.5, f64) is literal(0.5, f64), literal(0.0, f64) is literal(-0.0, f64)
    (True, False)
    """
    if number != number:
        return Constant(number, dtype=dtype)
    key = (type(number), number, math.copysign(1.0, number) if number == 0 else 1.0, dtype)
    constant = _LITERALS.get(key)
    if constant is None:
        constant = Constant(number, dtype=dtype)
        if len(_LITERALS) < 1000:
            _LITERALS[key] = constant
    return constant


_LITERALS = {}


def _fits(value_dtype, tensor_dtype):
    """Whether a literal of ``value_dtype`` may take ``tensor_dtype``: any
    number joins a float tensor, integers an integer one, booleans a boolean one."""
    value_kind, tensor_kind = value_dtype.kind, tensor_dtype.kind
    if tensor_kind == "f":
        return True
    if tensor_kind in "iu":
        return value_kind in "biu"
    return value_kind == tensor_kind


def as_nodes(values):
    """Turn a tuple of op inputs into nodes, numbers taking their partners' dtype.

    >>> n = Placeholder((2,), dtype='int32', name='n')
    >>> [(node.name, node.dtype.name) for node in as_nodes((3, n))]
    [('constant_...', 'int32'), ('n', 'int32')]
    """
    for value in values:
        if not isinstance(value, Node):
            break
    else:
        return values   # all nodes already: the common case, decided in one pass
    like = None
    for value in values:
        if isinstance(value, Node):
            like = value
            break
    return tuple([value if isinstance(value, Node) else as_node(value, like) for value in values])


# --------------------------------------------------------------------------
# Updates (what optimizers return and K.function applies)

class Update:
    """``variable <- value``, applied by a compiled function after each call.

    Unpacks like the pair ``(variable, value)``, which ``K.function`` also accepts.
    ``made_by`` names the function that builds it (``'update_add'``, ...) in
    the errors a wrong target, dtype or shape raises.

    >>> from minigrad import backend as K
    >>> v = K.variable(1.0, name='v')
    >>> target, value = K.update_add(v, 2.0)
    >>> target is v, value
    (True, <Tensor 'add_...' = add(v, constant_...) shape=() dtype=float32>)
    """

    __slots__ = ("variable", "value")

    def __init__(self, variable, value, made_by="update"):
        if not isinstance(variable, Variable):
            raise TypeError(f"{made_by}: the target must be a variable, got {variable!r}")
        value = as_node(value, like=variable)
        if value.dtype != variable.dtype:
            raise TypeError(f"{made_by}: cannot assign a {value.dtype.name} value to "
                            f"{variable.dtype.name} variable {variable.name!r}; use K.cast")
        if not same_shape(value.shape, variable.shape):
            raise ValueError(f"{made_by}: cannot assign a value of shape {format_shape(value.shape)} "
                             f"to variable {variable.name!r} of shape {format_shape(variable.shape)}")
        self.variable = variable
        self.value = value

    def __iter__(self):
        return iter((self.variable, self.value))

    def __repr__(self):
        return f"<Update {self.variable.name} <- {self.value.name}>"


# --------------------------------------------------------------------------
# Walking the graph

def topological_order(roots):
    """Every node that ``roots`` depend on, each listed after all its inputs.

    A depth-first walk with an explicit stack (no recursion, so any depth
    works); each node appears once, in the order an evaluator may compute it.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(), name='x')
    >>> [node.name for node in topological_order([K.exp(x) * x])]
    ['x', 'exp_...', 'multiply_...']
    """
    order, seen = [], set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        # The path being walked, and beside each node the inputs not yet
        # looked at (two lists rather than a list of pairs: no pair to make
        # and unpack at every step).
        path, pending = [root], [iter(root.inputs)]
        while path:
            for child in pending[-1]:
                if child not in seen:
                    seen.add(child)
                    path.append(child)
                    pending.append(iter(child.inputs))
                    break
            else:
                pending.pop()
                order.append(path.pop())
    return order


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector, paused while a big graph is walked
    or built (``K.gradients``, ``K.function``).

    The collector runs each time enough new objects have piled up, and each
    time it scans the objects it tracks: building 100,000 nodes makes it
    scan the growing graph again and again, about a third of the time.
    Graph nodes hold no cycles that need collecting meanwhile; it runs again
    afterwards (if it was running before).

    The young objects -- the graph just made among them -- then join the
    collector's oldest generation without a scan (``gc.freeze`` then
    ``gc.unfreeze``, two list splices): a graph's nodes live as long as the
    graph, and left young they would be scanned at once, and again as they
    age, for nothing. The next full collection still sees them all (young
    garbage cycles wait for it). A program that froze objects itself
    (``gc.get_freeze_count()`` not 0) keeps them frozen: the pause then
    only pauses.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


from . import ops  # noqa: E402  (the operators above need the op functions)
