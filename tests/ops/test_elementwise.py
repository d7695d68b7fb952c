"""minigrad/ops/elementwise.py: unary and binary ops (with broadcasting),
comparisons, casts, clip, switch, cos, sin and round. Values against NumPy,
gradients against finite differences (hypothesis draws shapes, broadcasting
pairs and values), static shapes and dtypes."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

import minigrad as mg
from minigrad import backend as K
from minigrad.ops.elementwise import FloatElementwise
from helpers import CHECK, gradient_of, var64
from strategies import arrays, broadcastable_pairs, shapes


# --------------------------------------------------------------------------
# Unary ops: (K function, NumPy reference, domain, kinks)

UNARY = {
    "negative": (lambda x: -x, np.negative, "real", ()),
    "square": (K.square, np.square, "real", ()),
    "sqrt": (K.sqrt, np.sqrt, "positive", ()),
    "abs": (K.abs, np.abs, "real", (0.0,)),
    "exp": (K.exp, np.exp, "real", ()),
    "log": (K.log, np.log, "positive", ()),
    "tanh": (K.tanh, np.tanh, "real", ()),
    "sigmoid": (K.sigmoid, lambda x: 1 / (1 + np.exp(-x)), "real", ()),
    "relu": (K.relu, lambda x: np.maximum(x, 0), "real", (0.0,)),
    "leaky_relu": (lambda x: K.relu(x, alpha=0.2), lambda x: np.where(x > 0, x, 0.2 * x), "real", (0.0,)),
    "relu6": (lambda x: K.relu(x, max_value=1.0), lambda x: np.clip(x, 0, 1.0), "real", (0.0, 1.0)),
    "clip": (lambda x: K.clip(x, -0.5, 1.0), lambda x: np.clip(x, -0.5, 1.0), "real", (-0.5, 1.0)),
    "pow_scalar": (lambda x: K.pow(x, 3), lambda x: x ** 3, "real", ()),
    "rpow": (lambda x: 2.0 ** x, lambda x: 2.0 ** x, "real", ()),
    "softmax": (K.softmax, lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True), "real", ()),
    "transpose": (K.transpose, np.transpose, "real", ()),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@CHECK
@given(data=st.data())
def test_unary_values_and_gradients(name, data):
    op, reference, domain, kinks = UNARY[name]
    shape = data.draw(shapes(min_rank=1 if name == "softmax" else 0))
    value = data.draw(arrays(shape, domain, away_from=kinks))
    x = var64(value)
    np.testing.assert_allclose(K.eval(op(x)), reference(value), rtol=1e-12, atol=1e-14)
    assert mg.gradcheck(op(x), [x])


@pytest.mark.parametrize("name, op, reference", [
    ("cos", K.cos, np.cos),
    ("sin", K.sin, np.sin),
    ("log", K.log, np.log),
])
@CHECK
@given(data=st.data())
def test_unary_math_values_and_gradients(name, op, reference, data):
    shape = data.draw(shapes())
    value = data.draw(arrays(shape, "positive" if name == "log" else "real"))
    x = var64(value)
    np.testing.assert_allclose(K.eval(op(x)), reference(value), rtol=1e-13, atol=1e-15)
    assert K.int_shape(op(x)) == shape
    assert mg.gradcheck(op(x), [x])


# --------------------------------------------------------------------------
# Binary ops, with broadcasting between the two operands

BINARY = {
    "add": (lambda a, b: a + b, np.add, "real", "real"),
    "subtract": (lambda a, b: a - b, np.subtract, "real", "real"),
    "multiply": (lambda a, b: a * b, np.multiply, "real", "real"),
    "divide": (lambda a, b: a / b, np.divide, "real", "positive"),
    "pow": (K.pow, np.power, "positive", "real"),
    "maximum": (K.maximum, np.maximum, "real", "real"),
    "minimum": (K.minimum, np.minimum, "real", "real"),
    "switch": (lambda a, b: K.switch(K.greater(a + b, 0), a, b),
               lambda a, b: np.where(a + b > 0, a, b), "real", "real"),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@CHECK
@given(data=st.data())
def test_binary_values_and_broadcast_gradients(name, data):
    op, reference, domain_a, domain_b = BINARY[name]
    shape_a, shape_b = data.draw(broadcastable_pairs())
    a_value = data.draw(arrays(shape_a, domain_a, away_from=(0.0,)))
    b_value = data.draw(arrays(shape_b, domain_b))
    if name in ("maximum", "minimum"):
        # Keep a and b apart: at a tie the derivative is one-sided.
        b_value = b_value + np.where(np.abs(np.broadcast_to(b_value, np.broadcast_shapes(shape_a, shape_b))
                                             - np.broadcast_to(a_value, np.broadcast_shapes(shape_a, shape_b)))
                                      .min(initial=1.0) < 0.05, 0.3, 0.0)
    a, b = var64(a_value), var64(b_value)
    out = op(a, b)
    assert out.shape == np.broadcast_shapes(shape_a, shape_b)
    np.testing.assert_allclose(K.eval(out), reference(a_value, b_value), rtol=1e-12)
    assert mg.gradcheck(out, [a, b])


def test_maximum_sends_the_gradient_to_the_larger_input_and_to_the_first_on_ties():
    a, b = var64([1.0, 3.0, 2.0]), var64([2.0, 1.0, 2.0])
    ga, gb = K.gradients(K.sum(K.maximum(a, b)), [a, b])
    np.testing.assert_array_equal(K.eval(ga), [0, 1, 1])
    np.testing.assert_array_equal(K.eval(gb), [1, 0, 0])


def test_python_numbers_and_arrays_on_either_side():
    x = K.variable([1.0, 2.0])
    assert K.eval(2 - x).tolist() == [1.0, 0.0]
    assert K.eval(np.array([10.0, 20.0]) / x).tolist() == [10.0, 10.0]
    assert K.eval(x ** 2).tolist() == [1.0, 4.0]
    assert K.eval(-x + 1).tolist() == [0.0, -1.0]
    assert (2 * x).dtype == np.float32 and (x * 0.5).dtype == np.float32


# --------------------------------------------------------------------------
# Comparisons, casts and ops without gradients

def test_comparisons_are_boolean_and_have_no_gradient():
    x = K.variable([1.0, 2.0, 3.0])
    for op, expected in [(K.greater, [False, False, True]), (K.greater_equal, [False, True, True]),
                         (K.less, [True, False, False]), (K.equal, [False, True, False])]:
        out = op(x, 2.0)
        assert out.dtype == np.bool_
        assert K.eval(out).tolist() == expected
        assert K.gradients(K.sum(K.cast(out, "float32")), [x]) == [None]


@pytest.mark.parametrize("op, reference", [
    (K.not_equal, np.not_equal), (K.less_equal, np.less_equal),
    (K.equal, np.equal), (K.greater, np.greater),
])
@CHECK
@given(pair=broadcastable_pairs(), seed=st.integers(0, 2**16))
def test_comparisons_broadcast(op, reference, pair, seed):
    rng = np.random.default_rng(seed)
    a, b = (rng.integers(0, 3, size=shape).astype("float64") for shape in pair)
    out = op(K.constant(a, dtype="float64"), K.constant(b, dtype="float64"))
    expected = reference(a, b)
    assert K.int_shape(out) == expected.shape and K.dtype(out) == "bool"
    np.testing.assert_array_equal(K.eval(out), expected)


def test_comparisons_have_no_gradient():
    x = var64([1.0, 2.0])
    loss = K.sum(K.cast(K.not_equal(x, 1.0), "float64") * K.cast(K.less_equal(x, 1.0), "float64"))
    assert K.gradients(loss, [x]) == [None]


def test_sign_and_integer_casts_have_no_gradient():
    x = K.variable([1.5, -2.5])
    assert K.gradients(K.sum(K.sign(x)), [x]) == [None]
    assert K.gradients(K.sum(K.cast(K.cast(x, "int32"), "float32")), [x]) == [None]


def test_float_casts_pass_the_gradient_back_in_the_source_dtype():
    x = K.variable([1.5, -2.5], dtype="float64")
    (g,) = K.gradients(K.sum(K.cast(x, "float32") * 3), [x])
    assert g.dtype == np.float64
    assert K.eval(g).tolist() == [3.0, 3.0]


def test_float_ops_cast_integers_to_floatx():
    n = K.variable([1, 4], dtype="int32")
    assert K.sqrt(n).dtype == np.float32
    assert K.eval(K.sqrt(n)).tolist() == [1.0, 2.0]
    assert K.mean(n).dtype == np.float32


# --------------------------------------------------------------------------
# clip, switch, sigmoid

def test_clip_follows_keras():
    x = K.constant([-3.0, 0.5, 3.0])
    assert K.eval(K.clip(x, None, 1.0)).tolist() == [-3.0, 0.5, 1.0]
    assert K.eval(K.clip(x, 1.0, 0.0)).tolist() == [1.0, 1.0, 1.0]  # max raised to min


def test_clip_passes_the_gradient_at_its_bounds_as_tensorflow_does():
    x = K.variable([-1.0, 0.0, 0.5, 1.0, 2.0])
    (g,) = K.gradients(K.sum(K.clip(x, 0.0, 1.0)), [x])
    assert K.eval(g).tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]


def test_switch_broadcasts_a_lower_rank_condition_over_the_branches():
    x = K.variable([[1.0, 2.0], [3.0, 4.0]])
    rows = K.constant([1.0, 0.0])
    out = K.switch(K.greater(rows, 0.5), x, -x)
    assert K.eval(out).tolist() == [[1.0, 2.0], [-3.0, -4.0]]
    assert K.eval(K.switch(K.constant(True, dtype="bool"), lambda: x, lambda: -x)).tolist() == [[1, 2], [3, 4]]


def test_sigmoid_is_accurate_in_both_tails():
    x = K.constant([-40.0, 40.0], dtype="float64")
    np.testing.assert_allclose(K.eval(K.sigmoid(x)), [1 / (1 + np.exp(40.0)), 1.0], rtol=1e-15)


# --------------------------------------------------------------------------
# cos, sin, round

def test_cos_sin_of_ints_are_floatx():
    x = K.constant([0, 1, 2], dtype="int32")
    assert K.dtype(K.cos(x)) == "float32"
    np.testing.assert_allclose(K.eval(K.cos(x)), np.cos([0, 1, 2]), rtol=1e-6)
    np.testing.assert_allclose(K.eval(K.sin(x)), np.sin([0, 1, 2]), rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_cos_sin_keep_every_float_dtype(dtype):
    x = K.constant([0.5, -1.0], dtype=dtype)
    for op, reference in ((K.cos, np.cos), (K.sin, np.sin), (K.round, np.rint)):
        out = K.eval(op(x))
        assert out.dtype == np.dtype(dtype) and K.dtype(op(x)) == dtype
        np.testing.assert_allclose(out, reference(np.array([0.5, -1.0], dtype=dtype)))


def test_round_halves_to_even_like_tf_round():
    values = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49, -0.51, 3.7])
    np.testing.assert_array_equal(K.eval(K.round(K.constant(values, dtype="float64"))),
                                  [-2, -2, -0, 0, 2, 2, 0, -1, 4])


def test_round_has_no_gradient():
    x = var64([0.3, 1.7])
    assert K.gradients(K.sum(K.round(x)), [x]) == [None]
    # and it does not swallow the gradient of other paths
    np.testing.assert_allclose(gradient_of(K.sum(K.round(x) + 3 * x), x), [3.0, 3.0])


def test_round_of_ints_is_unchanged():
    x = K.constant([1, -2, 3], dtype="int32")
    assert K.dtype(K.round(x)) == "int32"
    np.testing.assert_array_equal(K.eval(K.round(x)), [1, -2, 3])


def test_an_elementwise_op_without_a_ufunc_says_what_to_write():
    class Softsign(FloatElementwise):
        __slots__ = ()
        name = "softsign"

        def forward(self, x):
            return x / (1 + np.abs(x))

    with pytest.raises(NotImplementedError, match="softsign: an Elementwise op takes its dtype "
                                                  "rule from its `ufunc`"):
        Softsign()(K.placeholder(shape=(2,)))
