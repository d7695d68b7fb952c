"""minigrad/tensors.py: leaves and their values -- eye, zeros and ones,
variables made from initializer tensors, placeholders, name scopes, the
attributes Keras sets on tensors, count_params and moving_average_update."""

import numpy as np
import pytest

import minigrad as mg
from minigrad import backend as K


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
