"""minigrad/ops/utility.py: arange (against NumPy, tensor bounds), print_tensor,
identity and shape."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import minigrad as mg
from minigrad import backend as K


@pytest.mark.parametrize("args, kwargs, expected", [
    ((5,), {}, np.arange(5)),
    ((2, 8, 2), {}, np.arange(2, 8, 2)),
    ((-3,), {}, np.arange(0)),                 # negative single bound: empty, as Keras
    ((3, 3), {}, np.arange(0)),                # empty range
    ((5, 0, -2), {}, np.arange(5, 0, -2)),
    ((0.5, 3), {}, np.arange(0.5, 3).astype("int32")),   # computed, then cast to int32
    ((0.0, 1.0, 0.25), {"dtype": "float64"}, np.arange(0.0, 1.0, 0.25)),
])
def test_arange_values(args, kwargs, expected):
    out = K.arange(*args, **kwargs)
    value = K.eval(out)
    assert value.dtype == np.dtype(kwargs.get("dtype", "int32"))
    np.testing.assert_array_equal(value, expected)
    assert K.int_shape(out) == expected.shape


def test_arange_with_tensor_bounds():
    n = K.placeholder(shape=(), dtype="int32")
    out = K.arange(n)
    assert K.int_shape(out) == (None,) and K.dtype(out) == "int32"
    f = K.function([n], [out])
    np.testing.assert_array_equal(f([4])[0], [0, 1, 2, 3])
    assert f([-2])[0].shape == (0,)
    np.testing.assert_array_equal(K.eval(K.arange(K.constant(1.0), 4, dtype="float32")), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="step"):
        K.arange(0, 3, 0)
    with pytest.raises(ValueError, match="scalars"):
        K.arange(K.constant([1, 2]))


@settings(max_examples=40, deadline=None)
@given(start=st.integers(-5, 5) | st.floats(-5, 5).map(lambda v: round(v, 2)),
       stop=st.none() | st.integers(-5, 8), step=st.sampled_from([1, 2, 3, -1, -2, 0.5]),
       dtype=st.sampled_from(["int32", "int64", "float32", "float64"]))
def test_arange_matches_numpy(start, stop, step, dtype):
    if stop is None:
        expected = np.arange(0, start, step)
    else:
        expected = np.arange(start, stop, step)
    out = K.arange(start, stop, step, dtype=dtype)
    np.testing.assert_array_equal(K.eval(out), expected.astype(dtype))
    assert K.int_shape(out) == expected.shape and K.dtype(out) == dtype
    tensor_start = K.arange(K.constant(start, dtype="float64"), stop, step, dtype=dtype)
    np.testing.assert_array_equal(K.eval(tensor_start), expected.astype(dtype))


def test_print_tensor_prints_at_every_evaluation(capsys):
    x = K.placeholder(shape=(2,))
    y = K.print_tensor(x, message="x = ") * 2
    f = K.function([x], [y])
    capsys.readouterr()
    np.testing.assert_array_equal(f([[1.0, 2.0]])[0], [2.0, 4.0])
    f([[3.0, 4.0]])
    assert capsys.readouterr().out == "x = [1. 2.]\nx = [3. 4.]\n"
    w = K.variable([1.0, 2.0], dtype="float64")
    assert mg.gradcheck(K.print_tensor(w) * w, [w])
    assert K.int_shape(K.print_tensor(x)) == (2,)
    capsys.readouterr()


def test_identity_and_shape():
    w = K.variable([1.0, 2.0], dtype="float64")
    np.testing.assert_array_equal(K.eval(K.identity(w)), [1.0, 2.0])
    assert mg.gradcheck(K.identity(w) * w, [w])
    x = K.placeholder(shape=(None, 3))
    assert K.int_shape(K.shape(x)) == (2,)
    np.testing.assert_array_equal(K.function([x], [K.shape(x)])([np.zeros((5, 3))])[0], [5, 3])
