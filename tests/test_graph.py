"""minigrad/graph.py: building graphs -- static shapes and broadcasting,
readable reprs and errors, nodes as dictionary keys, literals that must fit,
axes, copies and pickles; for every op, counts that are whole numbers and
a static dtype and shape equal to the computed ones; and what keeps building
cheap (shared literals and shapes, default names written when first read,
the collector after a sweep)."""

import copy
import gc
import pickle

import numpy as np
import pytest

import minigrad as mg
from minigrad import backend as K
from helpers import refusal_test


def test_static_shapes_with_unknown_dimensions():
    x = K.placeholder(shape=(None, 3), name="x")
    w = K.variable(np.zeros((3, 2)))
    assert K.int_shape(K.dot(x, w) + K.variable(np.zeros(2))) == (None, 2)
    assert K.int_shape(K.placeholder(ndim=2)) == (None, None)
    assert K.ndim(x) == 2 and K.dtype(x) == "float32"


def test_broadcasting_errors_name_both_shapes_at_build_time():
    with pytest.raises(ValueError, match=r"add: shapes \(2, 3\) and \(4, 3\) cannot be broadcast"):
        K.placeholder(shape=(2, 3)) + K.placeholder(shape=(4, 3))


def test_reprs_say_what_a_node_is():
    x = K.placeholder(shape=(None, 3), name="x")
    assert repr(x) == "<Placeholder 'x' shape=(None, 3) dtype=float32>"
    y = K.tanh(x)
    assert repr(y) == f"<Tensor '{y.name}' = tanh(x) shape=(None, 3) dtype=float32>"
    s = K.sum(x, axis=1, keepdims=True)
    assert "sum(axes=(1,), keepdims=True)(x)" in repr(s)


def test_symbolic_tensors_refuse_truth_values_and_iteration():
    x = K.placeholder(shape=(2,), name="x")
    with pytest.raises(TypeError, match="no truth value .* K.switch"):
        if x > 0:
            pass
    with pytest.raises(TypeError, match="cannot be iterated"):
        list(x)


def test_equality_is_identity_so_nodes_can_be_keys():
    x = K.placeholder(shape=(2,))
    assert x == x and x != K.placeholder(shape=(2,))
    assert {x: 1}[x] == 1


def test_numpy_arrays_on_the_left_build_nodes():
    x = K.variable([1.0, 2.0])
    assert K.eval(np.array([2.0, 2.0]) * x).tolist() == [2.0, 4.0]
    assert K.eval(np.float64(1.0) - x).tolist() == [0.0, -1.0]


# --------------------------------------------------------------------------
# Found in review: no silent wrap-around, no silent NaN, clear messages

def test_integer_literals_that_do_not_fit_are_refused():
    n = K.variable([1, 2, 3], dtype="int32", name="n")
    with pytest.raises(ValueError, match="does not fit tensor 'n' of dtype int32"):
        n > 2**40
    u = K.variable([0, 5], dtype="uint8", name="u")
    with pytest.raises(ValueError, match="does not fit tensor 'u' of dtype uint8"):
        u > -1
    assert K.eval(n * 2).tolist() == [2, 4, 6]


def test_a_float_literal_with_an_integer_tensor_keeps_its_value():
    n = K.variable([1, 2], dtype="int32")
    assert K.eval(n + 3.7).tolist() == [4.7, 5.7]


def test_axis_must_be_an_int_or_a_list_of_ints():
    with pytest.raises(TypeError, match="sum: axis must be None, an int or a list of ints, got 'x'"):
        K.sum(K.placeholder(shape=(2, 3)), axis="x")
    with pytest.raises(TypeError, match="mean: axis must be"):
        K.mean(K.placeholder(shape=(2, 3)), axis=0.0)


# --------------------------------------------------------------------------
# Copies and pickles (issue 10: items 1 and 10)

def _clones():
    return {"deepcopy": copy.deepcopy, "pickle": lambda node: pickle.loads(pickle.dumps(node))}


@pytest.mark.parametrize("clone", ["deepcopy", "pickle"])
@pytest.mark.parametrize("make", [K.variable, K.constant])
def test_copies_keep_values_read_only_so_outputs_never_alias_them(make, clone):
    node = _clones()[clone](make([1.0, 2.0]))
    assert not node.value.flags.writeable
    (out,) = K.function([], [node])([])
    out[0] = 999.0
    assert node.value.tolist() == [1.0, 2.0]
    assert K.eval(node).tolist() == [1.0, 2.0]


@pytest.mark.parametrize("clone", ["deepcopy", "pickle"])
def test_copies_of_several_tensors_share_their_common_graph(clone):
    x = K.placeholder(shape=(2,), name="x")
    w = K.variable([3.0, 4.0], name="w")
    y = K.sum(x * w)
    x2, w2, y2 = _clones()[clone]([x, w, y])
    assert (x2, w2) != (x, w) and {x2, w2} == set(y2.inputs[0].inputs)
    assert K.function([x2], [y2])([[1.0, 1.0]])[0] == 7.0
    (g,) = K.gradients(y2, [w2])
    assert K.function([x2], [g])([[5.0, 6.0]])[0].tolist() == [5.0, 6.0]


@pytest.mark.parametrize("clone", ["deepcopy", "pickle"])
def test_a_6000_deep_chain_copies_without_recursion(clone):
    x = K.variable(1.0, dtype="float64", name="x")
    y = x
    for _ in range(6000):
        y = y * 1.0001
    y2 = _clones()[clone](y)
    assert y2 is not y and y2.name == y.name
    assert K.eval(y2) == pytest.approx(1.0001 ** 6000, rel=1e-9)


def test_numpy_functions_on_a_tensor_point_to_the_backend_function():
    x = K.placeholder(shape=(2,), name="x")
    with pytest.raises(TypeError, match=r"np\.exp .*symbolic tensor 'x'.* K\.exp\(x\)"):
        np.exp(x)
    # NumPy arrays on the left of an operator still build graph nodes.
    y = np.array([1.0, 2.0], dtype="float32") * x - np.float32(1.0)
    assert K.function([x], [y])([[3.0, 4.0]])[0].tolist() == [2.0, 7.0]
    assert (np.ones(2) < x).op.name == "less"
    assert (np.ones(2) == x) is False and x in [np.ones(2), x]  # == stays identity


# --------------------------------------------------------------------------
# Every op: counts are whole numbers, and static dtype and shape always equal
# the computed ones, for every dtype

def test_counts_must_be_whole_non_negative_numbers():
    x = K.placeholder(shape=(2, 3))
    with pytest.raises(TypeError, match="one_hot: `num_classes` must be a whole number, got 2.9"):
        K.one_hot(K.constant([0], "int32"), 2.9)
    with pytest.raises(ValueError, match="one_hot: `num_classes` must be >= 0"):
        K.one_hot(K.constant([0], "int32"), -2)
    with pytest.raises(TypeError, match="repeat_elements: `rep` must be a whole number"):
        K.repeat_elements(x, 2.7, 1)
    with pytest.raises(TypeError, match="tile: `n` must be a whole number"):
        K.tile(x, [1, 2.5])
    with pytest.raises(ValueError, match="repeat_elements: `rep` must be >= 0, got -2"):
        K.repeat_elements(x, -2, 1)
    with pytest.raises(ValueError, match="tile: `n` must be >= 0, got -1"):
        K.tile(x, [-1, 2])


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_ops_keep_the_float_type(dtype):
    x = K.variable([[0.5, -1.0]], dtype=dtype)
    for out in (x + 1, x * x, K.tanh(x), K.exp(x), K.sum(x), K.mean(x, axis=0), K.softmax(x),
                K.dot(x, K.transpose(x)), K.sigmoid(x), K.relu(x), K.clip(x, 0, 1), K.sqrt(K.abs(x))):
        assert out.dtype == np.dtype(dtype), out
        assert K.eval(out).dtype == np.dtype(dtype), out


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_float_dtypes_flow_through(dtype):
    K.set_floatx(dtype)
    x = K.placeholder(shape=(None, 3))
    outputs = [K.max(x, axis=1), K.prod(x), K.var(x), K.cumsum(x, 1), K.elu(x), K.softplus(x),
               K.l2_normalize(x, 1), K.concatenate([x, x]), K.tile(x, 2), x[:, 1:], K.gather(x, [0]),
               K.batch_dot(x, x, axes=1), K.dropout(x, 0.5), K.sin(x), K.one_hot(K.argmax(x), 3)]
    values = K.function([x], outputs)([np.full((2, 3), 0.5)])
    for node, value in zip(outputs, values):
        assert K.dtype(node) == dtype and value.dtype == np.dtype(dtype), node


def test_int_and_bool_variables():
    i = K.variable([3, 1, 2], dtype="int32")
    b = K.variable([True, False, True], dtype="bool")
    assert K.eval(K.max(i)).tolist() == 3 and K.dtype(K.max(i)) == "int32"
    assert K.eval(K.cumsum(i)).tolist() == [3, 4, 6]
    assert K.eval(K.argmax(i)).tolist() == 0
    assert K.eval(K.concatenate([i, i])).tolist() == [3, 1, 2, 3, 1, 2]
    assert K.eval(i[::-1]).tolist() == [2, 1, 3]
    assert K.eval(K.any(b)).tolist() is True and K.eval(K.all(b)).tolist() is False
    assert K.eval(K.reverse(b, 0)).tolist() == [True, False, True]
    assert K.eval(K.one_hot(i, 4)).argmax(-1).tolist() == [3, 1, 2]


SWEEP = {
    "max": lambda x: K.max(x, 1), "min": lambda x: K.min(x), "prod": lambda x: K.prod(x, [0, 1], True),
    "var": K.var, "std": lambda x: K.std(x, 0), "logsumexp": K.logsumexp, "any": K.any, "all": K.all,
    "argmax": K.argmax, "argmin": K.argmin, "cumsum": K.cumsum, "cumprod": lambda x: K.cumprod(x, 1),
    "cos": K.cos, "sin": K.sin, "round": K.round, "not_equal": lambda x: K.not_equal(x, 1),
    "less_equal": lambda x: K.less_equal(x, 1), "concatenate": lambda x: K.concatenate([x, x]),
    "stack": lambda x: K.stack([x, x]), "tile": lambda x: K.tile(x, 2), "repeat": lambda x: K.repeat(x, 2),
    "repeat_elements": lambda x: K.repeat_elements(x, 2, 0), "flatten": K.flatten,
    "batch_flatten": K.batch_flatten, "squeeze": lambda x: K.squeeze(x[None], 0),
    "reverse": lambda x: K.reverse(x, 1), "gather": lambda x: K.gather(x, [0, 2]),
    "getitem": lambda x: x[1:, None, ::2], "slice": lambda x: K.slice(x, (0, 1), (2, 2)),
    "dot": lambda x: K.dot(x, K.transpose(x)),
    "dot_nd": lambda x: K.dot(x, K.reshape(K.concatenate([x, x]), (2, 4, 3))),
    "batch_dot": lambda x: K.batch_dot(x, x, 1), "elu": K.elu, "softplus": K.softplus,
    "softsign": K.softsign, "hard_sigmoid": K.hard_sigmoid, "softmax": K.softmax,
    "l2_normalize": lambda x: K.l2_normalize(x, 1), "stop_gradient": K.stop_gradient,
    "bias_add": lambda x: K.bias_add(x, x[0]), "dropout": lambda x: K.dropout(x, 0.5),
    "identity": K.identity, "shape": K.shape, "one_hot": lambda x: K.one_hot(K.argmax(x), 4),
    "relu": lambda x: K.relu(x, 0.1, 1.5, 0.5), "scce": lambda x: K.sparse_categorical_crossentropy(K.argmax(x), x),
    "in_top_k": lambda x: K.in_top_k(x, K.argmax(x), 1),
    "normalize_batch": lambda x: K.normalize_batch_in_training(x, None, None, [0])[0],
    "in_train_phase": lambda x: K.in_train_phase(x, x * 2),
}


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int32", "bool"])
def test_static_dtype_and_shape_match_the_computed_ones(dtype):
    x = K.constant((np.arange(1, 13).reshape(3, 4) % 3 + 1).astype(dtype))
    nodes = {name: build(x) for name, build in SWEEP.items()}
    values = K.function([], list(nodes.values()))([])
    for (name, node), value in zip(nodes.items(), values):
        assert value.dtype == node.dtype, name
        assert value.ndim == node.ndim and all(
            s is None or s == v for s, v in zip(node.shape, value.shape)), name


test_what_is_not_a_tensor_is_refused = refusal_test({
    "an update": (TypeError, r"an update \(<Update v <- v>\) is not a tensor; pass it in `updates=`",
                  lambda: K.sum(K.update(K.variable(1.0, name="v"), K.variable(1.0, name="v")))),
    "an object": (TypeError, r"cannot turn <object .*> \(dtype object\) into a tensor",
                  lambda: K.variable(1.0) + object()),
    "a string": (TypeError, r"cannot turn 'a' \(dtype <U1\) into a tensor",
                 lambda: K.variable(1.0) + "a"),
})


# --------------------------------------------------------------------------
# Cheap building (issue 12): literals share one constant, shapes one tuple

def test_a_number_written_beside_a_float_tensor_is_one_shared_constant():
    x = K.placeholder(shape=(2,), dtype="float64", name="x")
    half = (x * 0.5).inputs[1]
    assert (0.5 * K.tanh(x)).inputs[0] is half and (x - 0.5).inputs[1] is half
    assert (x * 1).inputs[1] is not (x * 1.0).inputs[1]           # the int and the float
    assert (K.cast(x, "float32") * 0.5).inputs[1] is not half      # each dtype its own
    assert K.constant(0.5) is not K.constant(0.5)                  # K.constant: never shared
    assert (x * np.nan).inputs[1] is not (x * np.nan).inputs[1]    # NaN: never shared
    y = K.function([x], [x * 0.0, x * -0.0])([[1.0, 2.0]])
    assert np.signbit(y[0]).tolist() == [False, False] and np.signbit(y[1]).tolist() == [True, True]


def test_static_shapes_are_python_ints_and_equal_shapes_share_one_tuple():
    a = K.placeholder(shape=[None, np.int64(3)])
    b = K.placeholder(shape=(None, 3))
    assert a.shape == (None, 3) and type(a.shape[1]) is int and a.shape is b.shape
    assert K.tanh(a).shape is a.shape and (a * b).shape is a.shape


def test_a_default_name_is_written_when_first_asked_for_and_then_kept():
    x = K.placeholder(shape=(2,), name="x")
    y = K.tanh(x)
    assert y._name is None                        # nothing formatted while building
    assert y.name == f"tanh_{y.uid}" and y.name is y.name
    copied = pickle.loads(pickle.dumps(K.exp(y)))
    assert copied.inputs[0].name == y.name and copied.name.startswith("exp_")
    y.name = "activation"
    assert y.name == "activation" and "'activation' = tanh(x)" in repr(y)


def test_what_k_gradients_builds_joins_the_oldest_generation_unscanned():
    x = K.variable(0.3)
    y = x
    for _ in range(2000):
        y = K.tanh(y) * 0.5
    assert gc.isenabled()
    (g,) = K.gradients(y, [x])                 # collector_paused around the sweep
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert any(item is g for item in gc.get_objects(generation=2))
    gc.freeze()                                # a program's own frozen objects stay frozen
    try:
        frozen = gc.get_freeze_count()
        K.gradients(y, [x])
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_an_op_missing_a_method_says_which_one():
    class Halve(mg.graph.Op):
        __slots__ = ()
        name = "halve"

    x = K.placeholder(shape=(2,))
    with pytest.raises(NotImplementedError, match="halve: an op needs an `infer` method"):
        Halve()(x)
    Halve.infer = lambda self, x: (x.shape, x.dtype)
    with pytest.raises(mg.EvaluationError, match="halve: an op needs a `forward` or a `ufunc`"):
        K.eval(Halve()(K.constant([1.0, 2.0])))
