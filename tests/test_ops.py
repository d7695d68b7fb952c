"""Every engine op: values against NumPy, gradients against finite differences
(hypothesis draws shapes, broadcasting pairs, axes and values), static shapes."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import minigrad as mg
from minigrad import backend as K
from strategies import arrays, axes_for, broadcastable_pairs, shapes

CHECK = settings(max_examples=25, deadline=None)


def variables(*values):
    return [K.variable(value, dtype="float64") for value in values]


def evaluate(tensor):
    return K.eval(tensor)


# --------------------------------------------------------------------------
# Unary elementwise ops: (K function, NumPy reference, domain, kinks)

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
    (x,) = variables(value)
    np.testing.assert_allclose(evaluate(op(x)), reference(value), rtol=1e-12, atol=1e-14)
    assert mg.gradcheck(op(x), [x])


# --------------------------------------------------------------------------
# Binary elementwise ops, with broadcasting between the two operands

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
    a, b = variables(a_value, b_value)
    out = op(a, b)
    assert out.shape == np.broadcast_shapes(shape_a, shape_b)
    np.testing.assert_allclose(evaluate(out), reference(a_value, b_value), rtol=1e-12)
    assert mg.gradcheck(out, [a, b])


def test_maximum_sends_the_gradient_to_the_larger_input_and_to_the_first_on_ties():
    a, b = variables([1.0, 3.0, 2.0], [2.0, 1.0, 2.0])
    ga, gb = K.gradients(K.sum(K.maximum(a, b)), [a, b])
    np.testing.assert_array_equal(evaluate(ga), [0, 1, 1])
    np.testing.assert_array_equal(evaluate(gb), [1, 0, 0])


def test_python_numbers_and_arrays_on_either_side():
    x = K.variable([1.0, 2.0])
    assert evaluate(2 - x).tolist() == [1.0, 0.0]
    assert evaluate(np.array([10.0, 20.0]) / x).tolist() == [10.0, 10.0]
    assert evaluate(x ** 2).tolist() == [1.0, 4.0]
    assert evaluate(-x + 1).tolist() == [0.0, -1.0]
    assert (2 * x).dtype == np.float32 and (x * 0.5).dtype == np.float32


# --------------------------------------------------------------------------
# Reductions

REDUCTIONS = {
    "sum": (K.sum, np.sum),
    "mean": (K.mean, np.mean),
    "logsumexp": (K.logsumexp, lambda x, axis, keepdims: np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@CHECK
@given(data=st.data())
def test_reductions_over_any_axes(name, data):
    op, reference = REDUCTIONS[name]
    shape = data.draw(shapes(min_rank=1))
    axis = data.draw(axes_for(len(shape)))
    keepdims = data.draw(st.booleans())
    value = data.draw(arrays(shape))
    (x,) = variables(value)
    out = op(x, axis=axis, keepdims=keepdims)
    numpy_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = reference(value, axis=numpy_axis, keepdims=keepdims)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(evaluate(out), expected, rtol=1e-12)
    assert mg.gradcheck(out, [x])


def test_logsumexp_is_stable():
    assert evaluate(K.logsumexp(K.constant([1e4, 1e-4], dtype="float64"))) == 1e4
    assert np.isfinite(evaluate(K.logsumexp(K.constant([-1e4, -1e4]))))


def test_reduction_axis_errors_name_the_op():
    with pytest.raises(ValueError, match="sum: axis 2 is out of range for a tensor of rank 2"):
        K.sum(K.placeholder(shape=(None, 3)), axis=2)
    with pytest.raises(ValueError, match="repeated axis"):
        K.mean(K.placeholder(shape=(2, 3)), axis=[1, -1])


def test_reductions_keep_unknown_dimensions():
    x = K.placeholder(shape=(None, 3, 4))
    assert K.int_shape(K.sum(x, axis=1)) == (None, 4)
    assert K.int_shape(K.mean(x, axis=[1, 2], keepdims=True)) == (None, 1, 1)


def test_mean_gradient_uses_the_run_time_batch_size():
    x = K.placeholder(shape=(None, 2))
    w = K.variable([[1.0], [2.0]])
    (g,) = K.gradients(K.mean(K.dot(x, w)), [w])
    f = K.function([x], [g])
    batch = np.arange(8.0).reshape(4, 2)
    np.testing.assert_allclose(f([batch])[0], batch.mean(axis=0, keepdims=True).T)
    np.testing.assert_allclose(f([batch[:1]])[0], batch[:1].T)


# --------------------------------------------------------------------------
# Linear algebra and shapes

@CHECK
@given(n=st.integers(1, 4), k=st.integers(1, 4), m=st.integers(1, 4), data=st.data())
def test_dot_matrices_and_vectors(n, k, m, data):
    for shape_x, shape_y in [((n, k), (k, m)), ((n, k), (k,)), ((k,), (k, m)), ((k,), (k,))]:
        x_value, y_value = data.draw(arrays(shape_x)), data.draw(arrays(shape_y))
        x, y = variables(x_value, y_value)
        out = K.dot(x, y)
        assert out.shape == np.dot(x_value, y_value).shape
        np.testing.assert_allclose(evaluate(out), np.dot(x_value, y_value), rtol=1e-12)
        assert mg.gradcheck(out, [x, y])


def test_dot_shape_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"dot: shapes \(3, 2\) and \(3, 1\) are not aligned"):
        K.dot(K.placeholder(shape=(3, 2)), K.placeholder(shape=(3, 1)))


def test_matmul_operator_is_dot():
    a, b = variables([[1.0, 2.0]], [[3.0], [4.0]])
    assert evaluate(a @ b).tolist() == [[11.0]]


@CHECK
@given(data=st.data())
def test_reshape_transpose_expand_dims(data):
    shape = data.draw(shapes(min_rank=1))
    value = data.draw(arrays(shape))
    (x,) = variables(value)
    perm = data.draw(st.permutations(range(len(shape))))
    cases = [
        (K.reshape(x, (-1,)), value.reshape(-1)),
        (K.reshape(x, (1, -1)), value.reshape(1, -1)),
        (K.permute_dimensions(x, perm), np.transpose(value, perm)),
        (K.expand_dims(x, 0), value[None]),
    ]
    for out, expected in cases:
        assert out.shape == expected.shape
        np.testing.assert_array_equal(evaluate(out), expected)
        assert mg.gradcheck(out, [x])


def test_reshape_errors_and_unknown_dimensions():
    with pytest.raises(ValueError, match=r"cannot reshape a tensor of shape \(2, 3\)"):
        K.reshape(K.placeholder(shape=(2, 3)), (4, -1))
    assert K.int_shape(K.reshape(K.placeholder(shape=(None, 3)), (-1, 6))) == (None, 6)


def test_transpose_rejects_a_bad_permutation():
    with pytest.raises(ValueError, match="not a permutation"):
        K.permute_dimensions(K.placeholder(shape=(2, 3)), (0, 0))


# --------------------------------------------------------------------------
# Casts, comparisons and ops without gradients

def test_comparisons_are_boolean_and_have_no_gradient():
    x = K.variable([1.0, 2.0, 3.0])
    for op, expected in [(K.greater, [False, False, True]), (K.greater_equal, [False, True, True]),
                         (K.less, [True, False, False]), (K.equal, [False, True, False])]:
        out = op(x, 2.0)
        assert out.dtype == np.bool_
        assert evaluate(out).tolist() == expected
        assert K.gradients(K.sum(K.cast(out, "float32")), [x]) == [None]


def test_sign_and_integer_casts_have_no_gradient():
    x = K.variable([1.5, -2.5])
    assert K.gradients(K.sum(K.sign(x)), [x]) == [None]
    assert K.gradients(K.sum(K.cast(K.cast(x, "int32"), "float32")), [x]) == [None]


def test_float_casts_pass_the_gradient_back_in_the_source_dtype():
    x = K.variable([1.5, -2.5], dtype="float64")
    (g,) = K.gradients(K.sum(K.cast(x, "float32") * 3), [x])
    assert g.dtype == np.float64
    assert evaluate(g).tolist() == [3.0, 3.0]


def test_float_ops_cast_integers_to_floatx():
    n = K.variable([1, 4], dtype="int32")
    assert K.sqrt(n).dtype == np.float32
    assert evaluate(K.sqrt(n)).tolist() == [1.0, 2.0]
    assert K.mean(n).dtype == np.float32


def test_clip_follows_keras():
    x = K.constant([-3.0, 0.5, 3.0])
    assert evaluate(K.clip(x, None, 1.0)).tolist() == [-3.0, 0.5, 1.0]
    assert evaluate(K.clip(x, 1.0, 0.0)).tolist() == [1.0, 1.0, 1.0]  # max raised to min


def test_clip_passes_the_gradient_at_its_bounds_as_tensorflow_does():
    x = K.variable([-1.0, 0.0, 0.5, 1.0, 2.0])
    (g,) = K.gradients(K.sum(K.clip(x, 0.0, 1.0)), [x])
    assert evaluate(g).tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]


def test_switch_broadcasts_a_lower_rank_condition_over_the_branches():
    x = K.variable([[1.0, 2.0], [3.0, 4.0]])
    rows = K.constant([1.0, 0.0])
    out = K.switch(K.greater(rows, 0.5), x, -x)
    assert evaluate(out).tolist() == [[1.0, 2.0], [-3.0, -4.0]]
    assert evaluate(K.switch(K.constant(True, dtype="bool"), lambda: x, lambda: -x)).tolist() == [[1, 2], [3, 4]]


def test_sigmoid_is_accurate_in_both_tails():
    x = K.constant([-40.0, 40.0], dtype="float64")
    np.testing.assert_allclose(evaluate(K.sigmoid(x)), [1 / (1 + np.exp(40.0)), 1.0], rtol=1e-15)


# --------------------------------------------------------------------------
# Losses (Keras 2.2's formulas)

def keras_categorical_crossentropy(target, output, eps=1e-7):
    output = output / output.sum(-1, keepdims=True)
    return -(target * np.log(np.clip(output, eps, 1 - eps))).sum(-1)


@CHECK
@given(batch=st.integers(1, 4), classes=st.integers(2, 5), data=st.data())
def test_categorical_crossentropy(batch, classes, data):
    logits_value = data.draw(arrays((batch, classes)))
    target_value = np.eye(classes)[np.arange(batch) % classes]
    (logits,) = variables(logits_value)
    target = K.constant(target_value, dtype="float64")
    probabilities = np.exp(logits_value) / np.exp(logits_value).sum(-1, keepdims=True)
    expected = keras_categorical_crossentropy(target_value, probabilities)
    for loss in (K.categorical_crossentropy(target, K.softmax(logits)),
                 K.categorical_crossentropy(target, logits, from_logits=True)):
        assert loss.shape == (batch,)
        np.testing.assert_allclose(evaluate(loss), expected, rtol=1e-9)
        assert mg.gradcheck(loss, [logits])


def test_categorical_crossentropy_clips_as_keras_does():
    loss = K.categorical_crossentropy(K.constant([[1.0, 0.0]]), K.constant([[0.0, 1.0]]))
    np.testing.assert_allclose(evaluate(loss), [-np.log(np.float32(1e-7))], rtol=1e-6)


@CHECK
@given(shape=shapes(min_rank=1), data=st.data())
def test_binary_crossentropy(shape, data):
    logits_value = data.draw(arrays(shape))
    target_value = (data.draw(arrays(shape, "unit")) > 0.5).astype(float)
    (logits,) = variables(logits_value)
    target = K.constant(target_value, dtype="float64")
    p = 1 / (1 + np.exp(-logits_value))
    expected = -(target_value * np.log(p) + (1 - target_value) * np.log(1 - p))
    for loss in (K.binary_crossentropy(target, K.sigmoid(logits)),
                 K.binary_crossentropy(target, logits, from_logits=True)):
        np.testing.assert_allclose(evaluate(loss), expected, rtol=1e-9)
        assert mg.gradcheck(loss, [logits])


# --------------------------------------------------------------------------
# dtypes

@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_ops_keep_the_float_type(dtype):
    x = K.variable([[0.5, -1.0]], dtype=dtype)
    for out in (x + 1, x * x, K.tanh(x), K.exp(x), K.sum(x), K.mean(x, axis=0), K.softmax(x),
                K.dot(x, K.transpose(x)), K.sigmoid(x), K.relu(x), K.clip(x, 0, 1), K.sqrt(K.abs(x))):
        assert out.dtype == np.dtype(dtype), out
        assert evaluate(out).dtype == np.dtype(dtype), out
