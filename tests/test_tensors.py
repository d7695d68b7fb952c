"""minigrad/tensors.py: leaves and their values -- placeholders, variables
(from values or initializer tensors), constants, eye, zeros and ones, name
scopes, the attributes Keras sets on tensors, count_params, K.eval,
moving_average_update, and set_value with the rules of feeds."""

import numpy as np
import pytest

import minigrad as mg
from minigrad import backend as K
from helpers import refusal_test


def test_eye():
    w = K.eye(3)
    assert isinstance(w, mg.Variable) and K.dtype(w) == "float32"
    np.testing.assert_array_equal(K.get_value(w), np.eye(3))
    np.testing.assert_array_equal(K.get_value(K.eye((2, 3), dtype="float64")), np.eye(2, 3))
    assert K.dtype(K.eye(2, dtype="int32")) == "int32"


def test_zeros_and_ones_take_an_int_shape():
    assert K.get_value(K.zeros(1)).tolist() == [0.0]
    assert K.int_shape(K.ones(3, dtype="float64")) == (3,)
    with pytest.raises(ValueError, match="shape"):
        K.zeros(-1)


def test_variable_evaluates_an_initializer_tensor_once():
    v = K.variable(K.random_uniform((3, 2), seed=4), name="w")
    first = K.get_value(v)
    assert first.shape == (3, 2) and np.array_equal(K.get_value(v), first)
    assert K.get_value(K.variable(K.constant(0.0, shape=(2,)) + 1)).tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="placeholder"):
        K.variable(K.placeholder(shape=(2,)) * 2)


def test_placeholder_refuses_sparse_by_name():
    with pytest.raises(NotImplementedError, match=r"K\.placeholder\(sparse=True\)"):
        K.placeholder(shape=(None, 3), sparse=True)
    assert K.int_shape(K.placeholder(shape=(None, 3), sparse=False)) == (None, 3)


def test_name_scope_prefixes_named_leaves():
    with K.name_scope("dense_1"):
        kernel = K.variable(np.zeros((2, 2)), name="kernel")
        with K.name_scope("inner"):
            x = K.placeholder(shape=(2,), name="x")
        unnamed = K.variable(0.0)
    assert kernel.name == "dense_1/kernel" and x.name == "dense_1/inner/x"
    assert "/" not in unnamed.name and K.variable(0.0, name="k").name == "k"
    f = K.function([x], [K.dot(x, kernel)])
    assert "dense_1_kernel" in f.source            # a valid identifier in the generated code


def test_tensors_take_the_attributes_keras_sets():
    x = K.placeholder(shape=(None, 4), name="x")
    assert x._keras_shape == (None, 4) and x._uses_learning_phase is False
    assert not hasattr(x, "_keras_history")
    y = K.tanh(x)
    assert not any(hasattr(y, name) for name in mg.graph.KERAS_ATTRIBUTES)
    y._keras_shape, y._uses_learning_phase, y._keras_history = (None, 4), True, ("layer", 0, 0)
    assert K.is_keras_tensor(y) and not K.is_keras_tensor(x)
    with pytest.raises(AttributeError):
        y.some_other_attribute = 1            # nodes stay slotted
    with pytest.raises(ValueError, match="expected a symbolic tensor"):
        K.is_keras_tensor(np.zeros(2))
    assert K.variable([1.0, 2.0])._keras_shape == (2,)
    assert K.constant(0.0, shape=(2, 3))._keras_shape == (2, 3)


def test_count_params_and_variable_shape():
    assert K.count_params(K.zeros((2, 3, 4))) == 24
    assert K.count_params(K.variable(1.0)) == 1
    assert K.get_variable_shape(K.zeros((2, 3))) == (2, 3)
    with pytest.raises(ValueError, match=r"\(None, 3\)"):
        K.count_params(K.placeholder(shape=(None, 3)))


def test_is_placeholder_and_friends():
    assert K.is_placeholder(K.placeholder(shape=(2,)))
    assert not K.is_placeholder(K.variable(1.0))
    assert not K.is_placeholder(K.constant(1.0))
    assert not K.is_placeholder(K.learning_phase())
    assert not K.is_sparse(K.constant(1.0))
    x = K.constant(1.0)
    assert K.to_dense(x) is x
    assert K.cast_to_floatx([1, 2]).dtype == np.float32


def test_moving_average_update():
    m = K.variable(2.0)
    K.function([], [], updates=[K.moving_average_update(m, 10.0, 0.75)])([])
    np.testing.assert_allclose(K.get_value(m), 0.75 * 2 + 0.25 * 10)


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


test_bad_leaves_are_refused = refusal_test({
    "constant of the wrong size": (ValueError, r"constant: a value of shape \(3,\) cannot fill "
                                   r"shape \(2,\)", lambda: K.constant([1., 2., 3.], shape=(2,))),
})


def test_a_variable_s_value_is_set_only_through_set_value():
    n = K.variable([1, 2], dtype="int32", name="n")
    with pytest.raises(TypeError, match=r"variable 'n': give it a new value with K.set_value\(n, value\)"):
        n.value = [2.7, 3.0]
    assert K.get_value(n).tolist() == [1, 2]
