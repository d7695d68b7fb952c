"""minigrad/ops/reduce.py: reductions with axis (None, int, negative, list) and
keepdims (sum, mean, max, min, prod, var, std, logsumexp, any, all, argmax,
argmin) and scans (cumsum, cumprod). Values against NumPy, static shapes
(None kept), gradients against finite differences."""

import numpy as np
import pytest
from hypothesis import assume, given, strategies as st

import minigrad as mg
from minigrad import backend as K
from helpers import CHECK, gradient_of, np_axis, var64
from strategies import arrays, axes_for, shapes, shapes_with_axis


# --------------------------------------------------------------------------
# Reductions

def reduce_drawn(op, reference, data):
    """``op`` and its NumPy ``reference`` on a drawn float64 variable ``x`` of rank >= 1,
    over a drawn axis (None, an int, negative, or a list) with drawn keepdims:
    ``(x, axis, out, expected)``."""
    shape = data.draw(shapes(min_rank=1))
    axis = data.draw(axes_for(len(shape)))
    keepdims = data.draw(st.booleans())
    value = data.draw(arrays(shape))
    x = var64(value)
    out = op(x, axis=axis, keepdims=keepdims)
    return x, axis, out, reference(value, axis=np_axis(axis), keepdims=keepdims)


#: The reductions that add entries up (the others are REDUCTIONS below).
SUMS = {
    "sum": (K.sum, np.sum),
    "mean": (K.mean, np.mean),
    "logsumexp": (K.logsumexp, lambda x, axis, keepdims: np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))),
}


@pytest.mark.parametrize("name", sorted(SUMS))
@CHECK
@given(data=st.data())
def test_reductions_over_any_axes(name, data):
    x, axis, out, expected = reduce_drawn(*SUMS[name], data)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(K.eval(out), expected, rtol=1e-12)
    assert mg.gradcheck(out, [x])


def np_logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


REDUCTIONS = {
    "max": (K.max, np.max),
    "min": (K.min, np.min),
    "prod": (K.prod, np.prod),
    "var": (K.var, np.var),
    "std": (K.std, np.std),
    "logsumexp": (K.logsumexp, np_logsumexp),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@CHECK
@given(data=st.data())
def test_reductions_values_shapes_and_gradients(name, data):
    x, axis, out, expected = reduce_drawn(*REDUCTIONS[name], data)
    assert K.int_shape(out) == np.shape(expected)
    np.testing.assert_allclose(K.eval(out), expected, rtol=1e-12, atol=1e-14)
    if name == "std":  # sqrt has no derivative at a zero variance (one entry)
        shape = K.int_shape(x)
        axes = range(len(shape)) if axis is None else np.atleast_1d(axis)
        assume(np.prod([shape[a] for a in axes]) > 1)
    assert mg.gradcheck(out, [x])


def test_reductions_keep_unknown_dimensions():
    x = K.placeholder(shape=(None, 3, 4))
    assert K.int_shape(K.sum(x, axis=1)) == (None, 4)
    assert K.int_shape(K.mean(x, axis=[1, 2], keepdims=True)) == (None, 1, 1)


@pytest.mark.parametrize("name", sorted(REDUCTIONS) + ["any", "all", "argmax", "argmin"])
def test_reductions_keep_unknown_dims(name):
    op = {**{key: value[0] for key, value in REDUCTIONS.items()},
          "any": K.any, "all": K.all, "argmax": K.argmax, "argmin": K.argmin}[name]
    x = K.placeholder(shape=(None, 3, 4))
    if name.startswith("arg"):
        assert K.int_shape(op(x, axis=1)) == (None, 4)
        assert K.int_shape(op(x)) == (None, 3)
        return
    assert K.int_shape(op(x, axis=1)) == (None, 4)
    assert K.int_shape(op(x, axis=[0, -1], keepdims=True)) == (1, 3, 1)
    assert K.int_shape(op(x, axis=-1, keepdims=True)) == (None, 3, 1)
    assert K.int_shape(op(x)) == ()


def test_reduction_axis_errors_name_the_op():
    with pytest.raises(ValueError, match="sum: axis 2 is out of range for a tensor of rank 2"):
        K.sum(K.placeholder(shape=(None, 3)), axis=2)
    with pytest.raises(ValueError, match="repeated axis"):
        K.mean(K.placeholder(shape=(2, 3)), axis=[1, -1])


@pytest.mark.parametrize("op", [K.max, K.min, K.prod, K.var, K.std, K.any, K.all, K.argmax,
                                K.cumsum, K.cumprod])
def test_reductions_reject_bad_axes(op):
    with pytest.raises(ValueError, match="out of range"):
        op(K.placeholder(shape=(2, 3)), axis=2)


def test_mean_gradient_uses_the_run_time_batch_size():
    x = K.placeholder(shape=(None, 2))
    w = K.variable([[1.0], [2.0]])
    (g,) = K.gradients(K.mean(K.dot(x, w)), [w])
    f = K.function([x], [g])
    batch = np.arange(8.0).reshape(4, 2)
    np.testing.assert_allclose(f([batch])[0], batch.mean(axis=0, keepdims=True).T)
    np.testing.assert_allclose(f([batch[:1]])[0], batch[:1].T)


def test_max_min_gradient_is_shared_among_ties_as_in_tensorflow():
    x = var64([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    np.testing.assert_allclose(gradient_of(K.sum(K.max(x, axis=1)), x),
                               [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    np.testing.assert_allclose(gradient_of(K.min(x), x), [[1, 0, 0], [0, 0, 0]])
    np.testing.assert_allclose(gradient_of(K.sum(K.min(x, axis=0)), x),
                               [[1, 0, 0], [0, 1, 1]])


def test_prod_gradient_is_exact_with_zeros():
    x = var64([[0.0, 2.0, 3.0], [0.0, 0.0, 5.0], [1.0, 2.0, 4.0]])
    np.testing.assert_allclose(gradient_of(K.sum(K.prod(x, axis=1)), x),
                               [[6, 0, 0], [0, 0, 0], [8, 4, 2]])
    y = var64([0.0, 2.0, 3.0])
    np.testing.assert_allclose(gradient_of(K.prod(y), y), [6.0, 0.0, 0.0])


@CHECK
@given(data=st.data())
def test_prod_second_derivative(data):
    value = data.draw(arrays((data.draw(st.integers(1, 4)),), "real", away_from=(0.0,), margin=0.2))
    x = var64(value)
    (g,) = K.gradients(K.prod(x), [x])
    assert mg.gradcheck(g, [x])


def test_logsumexp_is_stable_over_all_axes():
    assert K.eval(K.logsumexp(K.constant([1e4, 1e-4], dtype="float64"))) == 1e4
    assert np.isfinite(K.eval(K.logsumexp(K.constant([-1e4, -1e4]))))


def test_logsumexp_is_stable():
    np.testing.assert_equal(K.eval(K.logsumexp(K.constant([1e4, 1e-4], dtype="float64"))), 1e4)
    np.testing.assert_allclose(K.eval(K.logsumexp(K.constant([[-1e4, -1e4]]), axis=-1)),
                               [-1e4 + np.log(2)], rtol=1e-6)


def test_var_and_std_of_ints_are_floats():
    x = K.constant([[1, 3], [5, 9]], dtype="int32")
    assert K.dtype(K.var(x)) == "float32"
    np.testing.assert_allclose(K.eval(K.var(x, axis=1)), [1.0, 4.0])
    np.testing.assert_allclose(K.eval(K.std(x)), np.std([[1, 3], [5, 9]]), rtol=1e-6)


def test_max_prod_of_ints_stay_ints():
    x = K.constant([[1, 7], [3, 2]], dtype="int32")
    assert K.eval(K.max(x, axis=0)).tolist() == [3, 7]
    assert K.eval(K.min(x)).tolist() == 1
    assert K.eval(K.prod(x, axis=-1)).tolist() == [7, 6]
    assert K.dtype(K.max(x)) == "int32"


@pytest.mark.parametrize("op, reference", [(K.any, np.any), (K.all, np.all)])
@CHECK
@given(data=st.data())
def test_any_all(op, reference, data):
    shape = data.draw(shapes(min_rank=1))
    axis = data.draw(axes_for(len(shape)))
    keepdims = data.draw(st.booleans())
    value = np.random.default_rng(data.draw(st.integers(0, 99))).integers(0, 2, size=shape)
    for tensor, array in ((K.constant(value.astype("float32")), value),
                          (K.constant(value.astype(bool)), value.astype(bool))):
        out = op(tensor, axis=axis, keepdims=keepdims)
        expected = reference(array, axis=np_axis(axis), keepdims=keepdims)
        assert K.dtype(out) == "bool" and K.int_shape(out) == np.shape(expected)
        np.testing.assert_array_equal(K.eval(out), expected)


@pytest.mark.parametrize("op, reference", [(K.argmax, np.argmax), (K.argmin, np.argmin)])
@CHECK
@given(data=st.data())
def test_argmax_argmin(op, reference, data):
    shape, axis = data.draw(shapes_with_axis())
    value = data.draw(arrays(shape, "real"))
    out = op(K.constant(value, dtype="float64"), axis=axis)
    expected = reference(value, axis=axis)
    assert K.int_shape(out) == expected.shape and K.dtype(out) == "int64"
    np.testing.assert_array_equal(K.eval(out), expected)
    np.testing.assert_array_equal(K.eval(op(K.constant(value))), reference(value, axis=-1))


def test_argmax_first_on_ties_and_no_gradient():
    x = var64([[1.0, 5.0, 5.0], [7.0, 0.0, 7.0]])
    np.testing.assert_array_equal(K.eval(K.argmax(x)), [1, 0])
    np.testing.assert_array_equal(K.eval(K.argmin(x, axis=0)), [0, 1, 0])
    assert K.gradients(K.sum(K.cast(K.argmax(x), "float64")), [x]) == [None]


# --------------------------------------------------------------------------
# Scans

@pytest.mark.parametrize("op, reference", [(K.cumsum, np.cumsum), (K.cumprod, np.cumprod)])
@CHECK
@given(data=st.data())
def test_scans_values_and_gradients(op, reference, data):
    shape, axis = data.draw(shapes_with_axis())
    value = data.draw(arrays(shape, "real", away_from=(0.0,), margin=0.2))
    x = var64(value)
    out = op(x, axis=axis)
    assert K.int_shape(out) == shape
    np.testing.assert_allclose(K.eval(out), reference(value, axis=axis), rtol=1e-12)
    assert mg.gradcheck(out, [x])


def test_scans_default_axis_is_0_and_keep_unknown_dims():
    x = K.constant([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(K.eval(K.cumsum(x)), [[1, 2], [4, 6]])
    np.testing.assert_array_equal(K.eval(K.cumprod(x)), [[1, 2], [3, 8]])
    assert K.int_shape(K.cumsum(K.placeholder(shape=(None, 3)), axis=-1)) == (None, 3)


def test_scans_on_ints_and_empty():
    np.testing.assert_array_equal(K.eval(K.cumsum(K.constant([1, 2, 3], dtype="int32"))), [1, 3, 6])
    assert K.eval(K.cumsum(K.constant(np.zeros((0, 2))))).shape == (0, 2)
    assert K.eval(K.cumprod(K.constant(np.zeros((2, 0))), axis=1)).shape == (2, 0)


def test_cumsum_second_derivative_and_exclusive_reverse_flags():
    x = var64([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(K.eval(K.cumsum(x, exclusive=True)), [0, 1, 3])
    np.testing.assert_array_equal(K.eval(K.cumsum(x, reverse=True)), [6, 5, 3])
    np.testing.assert_array_equal(K.eval(K.cumprod(x, exclusive=True, reverse=True)), [6, 3, 1])
    (g,) = K.gradients(K.sum(K.square(K.cumprod(x))), [x])
    assert mg.gradcheck(g, [x])
