"""minigrad/ops/linalg.py: dot (matrices and vectors, Keras 2's n-D rule),
the TensorDot behind it, and batch_dot with Keras 2's axes. Values against
NumPy, static shapes, gradients against finite differences."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

import minigrad as mg
from minigrad import backend as K
from helpers import CHECK, check, var64, refusal_test
from strategies import arrays


@CHECK
@given(n=st.integers(1, 4), k=st.integers(1, 4), m=st.integers(1, 4), data=st.data())
def test_dot_matrices_and_vectors(n, k, m, data):
    for shape_x, shape_y in [((n, k), (k, m)), ((n, k), (k,)), ((k,), (k, m)), ((k,), (k,))]:
        x_value, y_value = data.draw(arrays(shape_x)), data.draw(arrays(shape_y))
        x, y = var64(x_value), var64(y_value)
        out = K.dot(x, y)
        assert out.shape == np.dot(x_value, y_value).shape
        np.testing.assert_allclose(K.eval(out), np.dot(x_value, y_value), rtol=1e-12)
        assert mg.gradcheck(out, [x, y])


def test_dot_shape_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"dot: shapes \(3, 2\) and \(3, 1\) are not aligned"):
        K.dot(K.placeholder(shape=(3, 2)), K.placeholder(shape=(3, 1)))


def test_matmul_operator_is_dot():
    a, b = var64([[1.0, 2.0]]), var64([[3.0], [4.0]])
    assert K.eval(a @ b).tolist() == [[11.0]]


DOT_SHAPES = [((4, 2), (5, 2, 3)), ((2, 3, 4), (4,)), ((2, 3, 4), (4, 5)), ((3,), (2, 3, 4)),
              ((2, 3, 4), (2, 4, 5)), ((3, 4), (4, 2)), ((4,), (4,))]


@pytest.mark.parametrize("x_shape, y_shape", DOT_SHAPES, ids=str)
def test_dot_nd_values_shapes_gradients(x_shape, y_shape):
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=x_shape), rng.normal(size=y_shape)
    x, y = var64(a), var64(b)
    check(K.dot(x, y), np.dot(a, b), [x, y])


def test_dot_nd_static_shapes():
    assert K.int_shape(K.dot(K.placeholder(shape=(None, 2)), K.placeholder(shape=(5, 2, 3)))) == (None, 5, 3)
    with pytest.raises(ValueError, match=r"\(4, 2\).*\(5, 3, 3\)"):
        K.dot(K.placeholder(shape=(4, 2)), K.placeholder(shape=(5, 3, 3)))


def test_dot_nd_second_derivative():
    x, y = var64(np.arange(1.0, 7.0).reshape(3, 2) / 7), var64(np.arange(1.0, 13.0).reshape(2, 2, 3) / 13)
    (g,) = K.gradients(K.sum(K.square(K.dot(x, y))), [y])
    assert mg.gradcheck(K.sum(g * g), [x, y])


@pytest.mark.parametrize("x_shape, y_shape, x_axes, y_axes", [
    ((3, 4, 5), (5, 2, 3), (0, 2), (2, 0)),
    ((3, 4, 5), (3, 5, 2), (0, 2), (0, 1)),
    ((2, 3, 4), (4, 3, 2), (2, 1, 0), (0, 1, 2)),
    ((2, 3), (3, 4), (1,), (0,)),
], ids=str)
def test_tensordot_behind_dot(x_shape, y_shape, x_axes, y_axes):
    from minigrad.ops.linalg import TensorDot
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=x_shape), rng.normal(size=y_shape)
    x, y = var64(a), var64(b)
    check(TensorDot(x_axes, y_axes)(x, y), np.tensordot(a, b, axes=(x_axes, y_axes)), [x, y])
    with pytest.raises(ValueError, match="not aligned"):
        TensorDot((0,), (0,))(K.placeholder(shape=(2, 3)), K.placeholder(shape=(3, 2)))


# --------------------------------------------------------------------------
# batch_dot

def np_batch_dot(a, b, axes):
    """Keras 2's documented batch_dot: per sample, tensordot over the paired
    axes; a 1-D result becomes (batch, 1)."""
    out = np.stack([np.tensordot(a[i], b[i], axes=(axes[0] - 1, axes[1] - 1)) for i in range(len(a))])
    return out[:, None] if out.ndim == 1 else out


BATCH_DOT_CASES = [
    ((2, 3), (2, 3), 1, (1, 1)),
    ((2, 3), (2, 3), None, (1, 1)),
    ((2, 3, 4), (2, 4, 5), None, (2, 1)),
    ((2, 4, 1), (2, 3, 4), (1, 2), (1, 2)),
    ((2, 3, 4), (2, 3, 5), 1, (1, 1)),
    ((2, 3, 4), (2, 4), None, (2, 1)),
    ((2, 4), (2, 4, 3), (1, 1), (1, 1)),
    ((2, 3, 4, 5), (2, 5, 2), (-1, 1), (3, 1)),
]


@pytest.mark.parametrize("x_shape, y_shape, axes, paired", BATCH_DOT_CASES, ids=str)
def test_batch_dot(x_shape, y_shape, axes, paired):
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=x_shape), rng.normal(size=y_shape)
    x, y = var64(a), var64(b)
    check(K.batch_dot(x, y, axes=axes), np_batch_dot(a, b, paired), [x, y])


def test_batch_dot_keras_examples_and_errors():
    x, y = K.constant([[1.0, 2.0], [3.0, 4.0]]), K.constant([[5.0, 6.0], [7.0, 8.0]])
    np.testing.assert_array_equal(K.eval(K.batch_dot(x, y, axes=1)), [[17.0], [53.0]])
    shape = K.int_shape(K.batch_dot(K.placeholder(shape=(32, 20, 1)),
                                    K.placeholder(shape=(32, 30, 20)), axes=(1, 2)))
    assert shape == (32, 1, 30)
    assert K.int_shape(K.batch_dot(K.placeholder(shape=(None, 3, 4)),
                                   K.placeholder(shape=(None, 4, 5)))) == (None, 3, 5)
    with pytest.raises(ValueError, match=r"\(2, 3, 4\).*\(2, 3, 5\)"):
        K.batch_dot(K.placeholder(shape=(2, 3, 4)), K.placeholder(shape=(2, 3, 5)))
    with pytest.raises(ValueError, match="batch"):
        K.batch_dot(K.placeholder(shape=(2, 3)), K.placeholder(shape=(4, 3)), axes=1)
    with pytest.raises(ValueError, match="rank"):
        K.batch_dot(K.placeholder(shape=(3,)), K.placeholder(shape=(3, 3)))


@CHECK
@given(data=st.data())
def test_batch_dot_random_ranks_and_axes(data):
    batch, k = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3))
    x_rank, y_rank = data.draw(st.integers(2, 4)), data.draw(st.integers(2, 4))
    ax, ay = data.draw(st.integers(1, x_rank - 1)), data.draw(st.integers(1, y_rank - 1))
    x_shape = [batch] + [data.draw(st.integers(1, 3)) for _ in range(x_rank - 1)]
    y_shape = [batch] + [data.draw(st.integers(1, 3)) for _ in range(y_rank - 1)]
    x_shape[ax], y_shape[ay] = k, k
    a, b = data.draw(arrays(tuple(x_shape))), data.draw(arrays(tuple(y_shape)))
    axes = (ax - x_rank if data.draw(st.booleans()) else ax, ay - y_rank if data.draw(st.booleans()) else ay)
    x, y = var64(a), var64(b)
    check(K.batch_dot(x, y, axes=axes), np_batch_dot(a, b, (ax, ay)), [x, y])


test_bad_axes_and_ranks_are_refused = refusal_test({
    "batch_dot axes": (ValueError, "batch_dot: axes must be None, an int or a pair of ints, got 'a'",
                       lambda: K.batch_dot(K.ones((2, 3)), K.ones((2, 3)), axes="a")),
    "batch_dot axis 0": (ValueError, "batch_dot: axis 0 is the batch axis and cannot be summed over",
                         lambda: K.batch_dot(K.ones((2, 3)), K.ones((2, 3)), axes=(0, 0))),
    "dot of a scalar": (ValueError, r"dot: needs tensors of rank >= 1, got shapes \(\) and \(2, 3\)",
                        lambda: K.dot(K.constant(1.0), K.ones((2, 3)))),
})
