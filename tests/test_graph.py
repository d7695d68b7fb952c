"""Building graphs: static shapes and dtypes, readable reprs and errors,
leaves, values and configuration (the K table of the contract)."""

import copy
import gc
import pickle

import numpy as np
import pytest

import minigrad as mg
from minigrad import backend as K


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


def test_placeholder_needs_a_rank():
    with pytest.raises(ValueError, match="give `shape`"):
        K.placeholder()
    with pytest.raises(ValueError, match="does not have ndim=3"):
        K.placeholder(shape=(2,), ndim=3)


def test_variable_creation_and_values():
    v = K.variable([[1, 2]], name="v")
    assert v.dtype == np.float32 and K.get_value(v).tolist() == [[1.0, 2.0]]
    K.set_value(v, [[3, 4]])
    assert K.get_value(v).tolist() == [[3.0, 4.0]]
    with pytest.raises(ValueError, match=r"variable 'v' has shape \(1, 2\); got a value of shape \(2,\)"):
        K.set_value(v, [1.0, 2.0])
    with pytest.raises(TypeError, match="not a variable"):
        K.set_value(K.constant(1.0), 2.0)
    with pytest.raises(TypeError, match="constraint must be callable"):
        K.variable(1.0, constraint=3)


def test_batch_set_value_checks_everything_first():
    a, b = K.variable(1.0), K.variable([1.0, 2.0])
    with pytest.raises(ValueError):
        K.batch_set_value([(a, 5.0), (b, [1.0])])
    assert K.get_value(a) == 1.0
    K.batch_set_value([(a, 5.0), (b, [3.0, 4.0])])
    assert [x.tolist() for x in K.batch_get_value([a, b])] == [5.0, [3.0, 4.0]]


def test_constants_zeros_ones():
    assert K.eval(K.constant(7, shape=(2, 2))).tolist() == [[7, 7], [7, 7]]
    assert K.eval(K.constant([1, 2])).dtype == np.float32
    z = K.zeros((2, 3), dtype="float64")
    assert K.get_value(z).dtype == np.float64 and not K.get_value(z).any()
    assert K.get_value(K.ones_like(z)).sum() == 6
    assert K.get_value(K.zeros_like(K.variable([1, 2], dtype="int32"))).dtype == np.int32
    # A run-time dimension: a tensor of zeros computed with x, as Keras's backends give.
    x = K.placeholder(shape=(None, 2), dtype="float64")
    zeros, ones = K.zeros_like(x), K.ones_like(x, dtype="int32")
    assert not isinstance(zeros, mg.Variable) and zeros.shape == (None, 2)
    got = K.function([x], [zeros, ones])([np.full((3, 2), 5.0)])
    assert got[0].tolist() == [[0.0, 0.0]] * 3 and got[0].dtype == np.float64
    assert got[1].tolist() == [[1, 1]] * 3 and got[1].dtype == np.int32


def test_eval_refuses_placeholders_by_name():
    with pytest.raises(ValueError, match="depends on placeholder 'p'"):
        K.eval(K.placeholder(shape=(), name="p") * 2)


def test_floatx_and_epsilon():
    assert K.floatx() == "float32" and K.epsilon() == 1e-7
    K.set_floatx("float64")
    assert K.variable(1.0).dtype == np.float64 and K.placeholder(shape=()).dtype == np.float64
    assert K.constant(1.0).dtype == np.float64
    with pytest.raises(ValueError, match="unknown float type 'int8'"):
        K.set_floatx("int8")
    assert K.floatx() == "float64"
    K.set_epsilon(1e-4)
    assert K.epsilon() == 1e-4
    with pytest.raises(ValueError):
        K.set_epsilon(-1.0)
    assert K.epsilon() == 1e-4


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


def test_variables_need_numbers_and_shapes_need_non_negative_ints():
    with pytest.raises(TypeError, match="variable: the value must be a number"):
        K.variable(None)
    with pytest.raises(TypeError, match="variable 'v': the value must be a number"):
        K.variable("abc", name="v")
    with pytest.raises(TypeError, match="of one shape"):
        K.variable([[1], [2, 3]])
    for bad in [(2.5, 3), (-1, 3), "ab"]:
        with pytest.raises(ValueError, match="placeholder: shape must be a tuple of non-negative ints"):
            K.placeholder(shape=bad)
    with pytest.raises(ValueError, match="zeros: shape must be"):
        K.zeros((-2,))


def test_axis_must_be_an_int_or_a_list_of_ints():
    with pytest.raises(TypeError, match="sum: axis must be None, an int or a list of ints, got 'x'"):
        K.sum(K.placeholder(shape=(2, 3)), axis="x")
    with pytest.raises(TypeError, match="mean: axis must be"):
        K.mean(K.placeholder(shape=(2, 3)), axis=0.0)


def test_softmax_of_integers_is_floatx_both_statically_and_when_computed():
    x = K.variable([[1, 2]], dtype="int32")
    y = K.softmax(x)
    assert y.dtype == np.float32 and K.eval(y).dtype == np.float32


def test_a_float32_variable_mixed_with_float64_gets_a_float32_gradient():
    from minigrad import optimizers
    w = K.variable([1.0, 2.0], name="w")
    loss = K.sum(w * K.constant([3.0, 4.0], dtype="float64"))
    assert loss.dtype == np.float64
    (g,) = K.gradients(loss, [w])
    assert g.dtype == np.float32 and K.eval(g).tolist() == [3.0, 4.0]
    K.function([], [], updates=optimizers.SGD(lr=0.1).get_updates(loss, [w]))([])
    np.testing.assert_allclose(K.get_value(w), [0.7, 1.6], rtol=1e-6)


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
# set_value follows the rules of feeds (issue 10, item 8)

@pytest.mark.parametrize("value, message", [
    ([None, None], r"variable 'w' has dtype float32; the object array given"),
    (["3", "4"], r"variable 'w' has dtype float32; the str32 array given"),
    ([1e40, 2.0], r"variable 'w' has dtype float32; the float64 array given"),
    ([[1.0], [2.0, 3.0]], r"variable 'w': cannot convert the value given to an array"),
])
def test_set_value_refuses_what_a_feed_refuses_and_names_the_variable(value, message):
    w = K.variable([1.0, 2.0], name="w")
    with pytest.raises(TypeError, match=message):
        K.set_value(w, value)
    assert K.get_value(w).tolist() == [1.0, 2.0]


def test_set_value_of_an_integer_variable_refuses_fractions_and_overflow():
    n = K.variable(3, dtype="int64", name="n")
    for bad in (2.7, np.nan, 2 ** 70):
        with pytest.raises(TypeError, match="variable 'n' has dtype int64"):
            K.set_value(n, bad)
    K.batch_set_value([(n, np.int32(5))])
    assert K.get_value(n) == 5 and K.get_value(n).dtype == np.int64


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
