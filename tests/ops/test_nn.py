"""minigrad/ops/nn.py: activations (elu, softplus, softsign, hard_sigmoid,
softmax, and relu's full form), l2_normalize, the cross-entropies (sparse
included), stop_gradient, bias_add, in_top_k and batch normalization. NumPy
references written out here, Keras 2.2's forms."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

import minigrad as mg
from minigrad import backend as K
from helpers import CHECK, np_axis, var64
from strategies import arrays, axes_for, shapes


def np_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_relu(x, alpha=0.0, max_value=None, threshold=0.0):
    negative = np.maximum(threshold - x, 0)
    y = np.where(x > threshold, x, 0.0)
    if max_value is not None:
        y = np.clip(y, 0, max_value)
    return y - alpha * negative


ACTIVATIONS = {
    # name: (K function, NumPy reference, kinks to stay away from)
    "elu": (K.elu, lambda x: np.where(x > 0, x, np.exp(x) - 1), (0.0,)),
    "elu_alpha": (lambda x: K.elu(x, alpha=0.3), lambda x: np.where(x > 0, x, 0.3 * (np.exp(x) - 1)), (0.0,)),
    "softplus": (K.softplus, lambda x: np.log1p(np.exp(x)), ()),
    "softsign": (K.softsign, lambda x: x / (1 + np.abs(x)), ()),
    "hard_sigmoid": (K.hard_sigmoid, lambda x: np.clip(0.2 * x + 0.5, 0, 1), (-2.5, 2.5)),
    "relu_threshold": (lambda x: K.relu(x, threshold=0.5), lambda x: np_relu(x, threshold=0.5), (0.5,)),
    "relu_all": (lambda x: K.relu(x, alpha=0.1, max_value=1.5, threshold=0.5),
                 lambda x: np_relu(x, 0.1, 1.5, 0.5), (0.5, 1.5)),
    "softmax_axis0": (lambda x: K.softmax(x, axis=0), lambda x: np_softmax(x, axis=0), ()),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@CHECK
@given(data=st.data())
def test_activations(name, data):
    op, reference, kinks = ACTIVATIONS[name]
    shape = data.draw(shapes(min_rank=1))
    value = data.draw(arrays(shape, "real", away_from=kinks)) * (3 if name == "hard_sigmoid" else 1)
    x = var64(value)
    out = op(x)
    assert K.int_shape(out) == shape and K.dtype(out) == "float64"
    np.testing.assert_allclose(K.eval(out), reference(value), rtol=1e-12, atol=1e-14)
    assert mg.gradcheck(out, [x])


def test_activations_at_their_edges():
    big = K.constant([-1000.0, 0.0, 1000.0], dtype="float64")
    np.testing.assert_allclose(K.eval(K.softplus(big)), [0.0, np.log(2), 1000.0])
    np.testing.assert_allclose(K.eval(K.elu(big)), [-1.0, 0.0, 1000.0])
    x = var64([0.0, 1000.0, -1000.0])
    (g,) = K.gradients(K.sum(K.softplus(x) + K.elu(x)), [x])
    np.testing.assert_allclose(K.eval(g), [0.5 + 1.0, 1.0 + 1.0, 0.0 + 0.0])  # finite, no NaN
    (g,) = K.gradients(K.sum(K.softsign(x)), [x])
    np.testing.assert_allclose(K.eval(g)[0], 1.0)


def test_activations_cast_ints_to_floatx():
    x = K.constant([-1, 0, 2], dtype="int32")
    for op in (K.elu, K.softplus, K.softsign, K.hard_sigmoid):
        assert K.dtype(op(x)) == "float32"
    np.testing.assert_allclose(K.eval(K.hard_sigmoid(x)), [0.3, 0.5, 0.9], rtol=1e-6)


@CHECK
@given(data=st.data())
def test_l2_normalize(data):
    shape = data.draw(shapes(min_rank=1))
    axis = data.draw(axes_for(len(shape)))
    value = data.draw(arrays(shape, "real"))
    x = var64(value)
    expected = value / np.sqrt(np.maximum(np.sum(value ** 2, axis=np_axis(axis), keepdims=True), 1e-12))
    out = K.l2_normalize(x, axis=axis)
    assert K.int_shape(out) == shape
    np.testing.assert_allclose(K.eval(out), expected, rtol=1e-12)
    assert mg.gradcheck(out, [x])


def test_l2_normalize_of_zeros_is_zero():
    np.testing.assert_array_equal(K.eval(K.l2_normalize(K.constant([[0.0, 0.0], [3.0, 4.0]]), axis=1)),
                                  np.array([[0, 0], [0.6, 0.8]], dtype="float32"))


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
    logits = var64(logits_value)
    target = K.constant(target_value, dtype="float64")
    probabilities = np.exp(logits_value) / np.exp(logits_value).sum(-1, keepdims=True)
    expected = keras_categorical_crossentropy(target_value, probabilities)
    for loss in (K.categorical_crossentropy(target, K.softmax(logits)),
                 K.categorical_crossentropy(target, logits, from_logits=True)):
        assert loss.shape == (batch,)
        np.testing.assert_allclose(K.eval(loss), expected, rtol=1e-9)
        assert mg.gradcheck(loss, [logits])


def test_categorical_crossentropy_clips_as_keras_does():
    loss = K.categorical_crossentropy(K.constant([[1.0, 0.0]]), K.constant([[0.0, 1.0]]))
    np.testing.assert_allclose(K.eval(loss), [-np.log(np.float32(1e-7))], rtol=1e-6)


@CHECK
@given(shape=shapes(min_rank=1), data=st.data())
def test_binary_crossentropy(shape, data):
    logits_value = data.draw(arrays(shape))
    target_value = (data.draw(arrays(shape, "unit")) > 0.5).astype(float)
    logits = var64(logits_value)
    target = K.constant(target_value, dtype="float64")
    p = 1 / (1 + np.exp(-logits_value))
    expected = -(target_value * np.log(p) + (1 - target_value) * np.log(1 - p))
    for loss in (K.binary_crossentropy(target, K.sigmoid(logits)),
                 K.binary_crossentropy(target, logits, from_logits=True)):
        np.testing.assert_allclose(K.eval(loss), expected, rtol=1e-9)
        assert mg.gradcheck(loss, [logits])


@CHECK
@given(data=st.data(), from_logits=st.booleans())
def test_sparse_categorical_crossentropy(data, from_logits):
    batch = data.draw(shapes(min_rank=1, max_rank=2))
    classes = data.draw(st.integers(2, 4))
    logits = data.draw(arrays(batch + (classes,), "real"))
    targets = np.random.default_rng(data.draw(st.integers(0, 99))).integers(0, classes, size=batch)
    t = K.constant(targets, dtype="int32")
    if from_logits:
        output, probabilities = var64(logits), np_softmax(logits)
    else:
        p = np_softmax(logits)
        output = var64(p)
        clipped = np.clip(p, 1e-7, 1 - 1e-7)
        probabilities = clipped / clipped.sum(-1, keepdims=True)
    expected = -np.log(np.take_along_axis(probabilities, targets[..., None], -1))[..., 0]
    out = K.sparse_categorical_crossentropy(t, output, from_logits=from_logits)
    assert K.int_shape(out) == batch
    np.testing.assert_allclose(K.eval(out), expected, rtol=1e-10)
    assert mg.gradcheck(out, [output])


def test_sparse_categorical_crossentropy_shapes_and_agreement():
    logits = np.array([[1.0, 2.0, 0.5], [0.1, -1.0, 2.0]])
    dense = K.categorical_crossentropy(K.constant(np.eye(3)[[1, 2]], dtype="float64"),
                                       K.constant(logits, dtype="float64"), from_logits=True)
    for target in ([1, 2], [[1], [2]]):  # (batch,) or (batch, 1), as Keras allows
        sparse = K.sparse_categorical_crossentropy(K.constant(target, dtype="int64"),
                                                   K.constant(logits, dtype="float64"), from_logits=True)
        np.testing.assert_allclose(K.eval(sparse), K.eval(dense), rtol=1e-12)
    # classes along axis 0
    out = K.sparse_categorical_crossentropy(K.constant([1, 2], dtype="int32"),
                                            K.constant(logits.T, dtype="float64"), from_logits=True, axis=0)
    np.testing.assert_allclose(K.eval(out), K.eval(dense), rtol=1e-12)
    unknown = K.sparse_categorical_crossentropy(K.placeholder(shape=(None,), dtype="int32"),
                                                K.placeholder(shape=(None, 3)))
    assert K.int_shape(unknown) == (None,)


def test_binary_and_categorical_crossentropy_from_logits_and_probabilities():
    z = np.array([[-2.0, 0.5], [3.0, -0.1]])
    t = np.array([[0.0, 1.0], [1.0, 0.0]])
    p = 1 / (1 + np.exp(-z))
    expected = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    zt, tt = K.constant(z, dtype="float64"), K.constant(t, dtype="float64")
    np.testing.assert_allclose(K.eval(K.binary_crossentropy(tt, zt, from_logits=True)), expected, rtol=1e-10)
    np.testing.assert_allclose(K.eval(K.binary_crossentropy(tt, K.sigmoid(zt))), expected, rtol=1e-6)
    expected_cce = -np.sum(t * np.log(np_softmax(z)), axis=-1)
    np.testing.assert_allclose(K.eval(K.categorical_crossentropy(tt, zt, from_logits=True)), expected_cce, rtol=1e-12)
    np.testing.assert_allclose(K.eval(K.categorical_crossentropy(tt, K.softmax(zt))), expected_cce, rtol=1e-6)


# --------------------------------------------------------------------------
# stop_gradient, bias_add, in_top_k, batch normalization

def test_stop_gradient_tensor_and_list():
    w = var64([1.0, 2.0])
    frozen = K.stop_gradient(w)
    np.testing.assert_array_equal(K.eval(frozen), [1.0, 2.0])
    assert K.gradients(K.sum(frozen * 3), [w]) == [None]
    (g,) = K.gradients(K.sum(K.stop_gradient(w) * w), [w])
    np.testing.assert_array_equal(K.eval(g), [1.0, 2.0])
    a, b = K.stop_gradient([w, w * 2])
    assert K.gradients(K.sum(a + b), [w]) == [None]
    assert K.int_shape(K.stop_gradient(K.placeholder(shape=(None, 2)))) == (None, 2)


@CHECK
@given(data=st.data())
def test_bias_add(data):
    shape = data.draw(shapes(min_rank=2, max_rank=4))
    value = data.draw(arrays(shape))
    x = var64(value)
    b = var64(data.draw(arrays(shape[-1:])))
    out = K.bias_add(x, b)
    np.testing.assert_allclose(K.eval(out), value + K.get_value(b))
    assert mg.gradcheck(out, [x, b])
    full = var64(data.draw(arrays(shape[1:])))
    np.testing.assert_allclose(K.eval(K.bias_add(x, full)), value + K.get_value(full))
    assert mg.gradcheck(K.bias_add(x, full), [full])
    first = var64(data.draw(arrays(shape[1:2])))
    expected = value + K.get_value(first).reshape((1, -1) + (1,) * (len(shape) - 2))
    out = K.bias_add(x, first, data_format="channels_first")
    np.testing.assert_allclose(K.eval(out), expected)
    assert mg.gradcheck(out, [first])


def test_bias_add_errors_and_unknown_dims():
    assert K.int_shape(K.bias_add(K.placeholder(shape=(None, 3)), K.zeros((3,)))) == (None, 3)
    with pytest.raises(ValueError, match=r"\(4,\).*\(None, 3\)"):
        K.bias_add(K.placeholder(shape=(None, 3)), K.zeros((4,)))
    with pytest.raises(ValueError, match="dimensions"):
        K.bias_add(K.placeholder(shape=(2, 3, 4, 5)), K.zeros((4, 5)))
    with pytest.raises(ValueError, match="data_format"):
        K.bias_add(K.placeholder(shape=(2, 3)), K.zeros((3,)), data_format="nhwc")


def test_in_top_k():
    p = np.array([[0.1, 0.7, 0.2, 0.0], [0.5, 0.3, 0.3, 0.1], [0.25, 0.25, 0.25, 0.25]])
    targets = np.array([2, 2, 3])
    for k, expected in [(1, [False, False, True]), (2, [True, True, True]), (3, [True, True, True])]:
        out = K.in_top_k(K.constant(p), K.constant(targets, dtype="int32"), k)
        np.testing.assert_array_equal(K.eval(out), expected)
    assert K.int_shape(K.in_top_k(K.placeholder(shape=(None, 4)),
                                  K.placeholder(shape=(None,), dtype="int32"), 1)) == (None,)


def test_batch_normalization_and_normalize_batch_in_training():
    rng = np.random.default_rng(3)
    value = rng.normal(size=(5, 3))
    gamma, beta = rng.uniform(0.5, 1.5, 3), rng.normal(size=3)
    x = var64(value)
    mean, var = value.mean(0), value.var(0)
    expected = (value - mean) / np.sqrt(var + 1e-3) * gamma + beta
    out = K.batch_normalization(x, K.constant(mean, dtype="float64"), K.constant(var, dtype="float64"),
                                K.constant(beta, dtype="float64"), K.constant(gamma, dtype="float64"))
    np.testing.assert_allclose(K.eval(out), expected, rtol=1e-12)
    normed, m, v = K.normalize_batch_in_training(x, K.constant(gamma, dtype="float64"),
                                                 K.constant(beta, dtype="float64"), [0])
    np.testing.assert_allclose(K.eval(normed), expected, rtol=1e-10)
    np.testing.assert_allclose(K.eval(m), mean, rtol=1e-12)
    np.testing.assert_allclose(K.eval(v), var, rtol=1e-12)
    assert mg.gradcheck(normed, [x])
    value4 = rng.normal(size=(2, 3, 2, 2))
    normed, m, v = K.normalize_batch_in_training(var64(value4), None, None, [0, 2, 3], epsilon=0.0)
    m4, v4 = value4.mean((0, 2, 3), keepdims=True), value4.var((0, 2, 3), keepdims=True)
    np.testing.assert_allclose(K.eval(normed), (value4 - m4) / np.sqrt(v4), rtol=1e-10)
    assert K.int_shape(m) == (3,) and K.int_shape(v) == (3,)


def test_bias_add_default_follows_image_data_format():
    x = K.constant(np.zeros((2, 3, 4)))
    b = K.constant([1.0, 2.0, 3.0])
    K.set_image_data_format("channels_first")
    try:
        out = K.eval(K.bias_add(x, b))
    finally:
        K.set_image_data_format("channels_last")
    np.testing.assert_array_equal(out[0, :, 0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"\(3,\)"):
        K.bias_add(x, b)   # channels_last: 4 channels, not 3


# --------------------------------------------------------------------------
# Found in review: picking a class by index, never by multiply-and-sum

def test_in_top_k_with_infinities_and_out_of_range_targets_follows_tensorflow():
    import numpy as np
    from minigrad import backend as K
    targets = K.constant([1], dtype="int32")
    assert K.eval(K.in_top_k(K.constant([[-np.inf, 0.1, 0.9]]), targets, 1)).tolist() == [False]
    assert K.eval(K.in_top_k(K.constant([[np.inf, 0.0, 1.0]]), K.constant([2], "int32"), 1)).tolist() == [False]
    assert K.eval(K.in_top_k(K.constant([[-1.0, -2.0, -3.0]]), K.constant([5], "int32"), 1)).tolist() == [False]
    assert K.eval(K.in_top_k(K.constant([[0.1, 0.9, 0.5]]), targets, 1)).tolist() == [True]
    with pytest.raises(ValueError, match="in_top_k: needs predictions of shape"):
        K.in_top_k(K.constant([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]), targets, 1)


def test_sparse_crossentropy_reads_the_true_class_and_refuses_bad_labels():
    import numpy as np
    import minigrad as mg
    from minigrad import backend as K
    logits = K.constant([[-np.inf, 0.0, 1.0]], dtype="float64")
    loss = K.sparse_categorical_crossentropy(K.constant([2], "int32"), logits, from_logits=True)
    np.testing.assert_allclose(K.eval(loss), [np.log1p(np.exp(-1.0))])
    with pytest.raises(mg.EvaluationError, match=r"pick: index 2 is out of range \[0, 2\)"):
        K.eval(K.sparse_categorical_crossentropy(K.constant([2, 0], "int32"), K.constant([[0.2, 0.8], [0.5, 0.5]])))
    with pytest.raises(ValueError, match=r"does not match the rows"):
        K.sparse_categorical_crossentropy(K.constant([0, 1, 2, 3], "int32"), K.constant(np.full((3, 4, 5), 0.2)))
    with pytest.raises(ValueError, match=r"does not match the rows"):
        K.sparse_categorical_crossentropy(K.constant([1], "int32"), K.constant([[0.2, 0.8], [0.5, 0.5]]))
    w = K.variable([[0.3, -0.2, 0.1], [0.0, 0.4, -0.5]], dtype="float64")
    assert mg.gradcheck(K.sparse_categorical_crossentropy(K.constant([2, 1], "int32"), w, from_logits=True), [w])


def test_sparse_crossentropy_takes_whole_float_labels_and_refuses_fractions():
    import numpy as np
    import minigrad as mg
    from minigrad import backend as K
    probabilities = K.constant([[0.2, 0.8], [0.5, 0.5]])
    labels = K.placeholder(shape=(2,), name="labels")
    f = K.function([labels], [K.sparse_categorical_crossentropy(labels, probabilities)])
    np.testing.assert_allclose(f([[1.0, 0.0]])[0], -np.log([0.8, 0.5]), rtol=1e-6)
    for bad in ([0.5, 1.0], [1.0, np.nan]):
        with pytest.raises(mg.EvaluationError, match="labels must be whole numbers, got (0.5|nan)"):
            f([bad])


def test_softmax_of_integers_is_floatx_both_statically_and_when_computed():
    x = K.variable([[1, 2]], dtype="int32")
    y = K.softmax(x)
    assert y.dtype == np.float32 and K.eval(y).dtype == np.float32
