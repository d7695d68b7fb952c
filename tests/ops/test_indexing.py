"""minigrad/ops/indexing.py: x[...] (basic keys, a scalar tensor index), slice,
gather, one_hot and pad. Values against NumPy, static shapes, gradients
against finite differences, and the run-time range checks."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

import minigrad as mg
from minigrad import backend as K
from helpers import CHECK, check, var64, refusal_test
from strategies import arrays, shapes


# --------------------------------------------------------------------------
# x[...]

KEYS = [
    (1,), (-1,), (slice(None, 2),), (slice(None, None, -1),), (slice(1, None), 0),
    (None, slice(None), 1), (Ellipsis, 0), (0, Ellipsis, None), (slice(None, None, 2), slice(-2, None)),
    (slice(5, 9),),
]


@pytest.mark.parametrize("key", KEYS, ids=[str(key) for key in KEYS])
def test_getitem_values_shapes_gradients(key):
    value = np.random.default_rng(0).normal(size=(3, 4))
    x = var64(value)
    check(x[key], value[key], [x])


def test_getitem_keeps_unknown_dims_and_checks_ranges():
    x = K.placeholder(shape=(None, 3))
    assert K.int_shape(x[:, None, 1:]) == (None, 1, 2)
    assert K.int_shape(x[0]) == (3,)
    assert K.int_shape(x[..., -1]) == (None,)
    with pytest.raises(ValueError, match=r"\(None, 3\)"):
        x[:, 3]
    with pytest.raises(ValueError, match="too many indices"):
        x[0, 0, 0]
    with pytest.raises(TypeError, match="K.gather"):
        x[[0, 1]]


def test_a_scalar_integer_tensor_index_picks_a_row_as_in_tensorflow():
    w = K.variable(np.arange(12.0).reshape(4, 3), dtype="float64")
    i = K.placeholder(shape=(), dtype="int32", name="i")
    row = w[i]
    assert row.op.name == "gather" and row.shape == (3,)
    f = K.function([i], [row])
    assert f([2])[0].tolist() == [6.0, 7.0, 8.0]
    with pytest.raises(ValueError, match="index 7 is out of range"):
        f([7])
    assert mg.gradcheck(K.sum(w[K.constant(1, dtype="int32")] ** 2), [w])
    sums = K.map_fn(lambda j: K.sum(w[j]), K.arange(4), dtype="float64")   # Keras's own test idiom
    assert K.eval(sums).tolist() == [3.0, 12.0, 21.0, 30.0]
    with pytest.raises(TypeError, match="use K.gather"):
        w[K.constant([0, 1], dtype="int32")]                  # a vector of indices: say gather


def test_getitem_second_derivative():
    x = var64([0.5, -1.0, 2.0])
    (g,) = K.gradients(K.sum(K.square(x[1:]) * x[:-1]), [x])
    assert mg.gradcheck(g, [x])


@st.composite
def basic_keys(draw, shape):
    """A random basic index for ``shape``: per axis an int or a slice (any
    start/stop/step, out-of-range bounds included), with ``None`` sprinkled in."""
    key = []
    for dim in shape[:draw(st.integers(0, len(shape)))]:
        if draw(st.booleans()):
            key.append(draw(st.integers(-dim, dim - 1)))
        else:
            bound = st.none() | st.integers(-dim - 2, dim + 2)
            step = draw(st.none() | st.sampled_from([1, 2, -1, -2]))
            key.append(slice(draw(bound), draw(bound), step))
        if draw(st.integers(0, 4)) == 0:
            key.append(None)
    return tuple(key)


@CHECK
@given(data=st.data())
def test_getitem_random_keys(data):
    shape = data.draw(shapes(min_rank=1))
    key = data.draw(basic_keys(shape))
    value = data.draw(arrays(shape))
    x = var64(value)
    check(x[key], value[key], [x])
    unknown = K.placeholder(shape=(None,) + shape[1:])
    static = K.int_shape(unknown[key])
    assert len(static) == value[key].ndim
    assert all(s is None or s == v for s, v in zip(static, value[key].shape))


# --------------------------------------------------------------------------
# slice, gather, one_hot, pad

def test_slice():
    value = np.arange(24.0).reshape(2, 3, 4)
    x = var64(value)
    check(K.slice(x, (0, 1, 1), (2, 2, -1)), value[0:2, 1:3, 1:], [x])
    check(K.slice(x, [1, 0, 0], [-1, -1, 2]), value[1:, :, :2], [x])
    assert K.int_shape(K.slice(K.placeholder(shape=(None, 4)), (0, 1), (-1, 2))) == (None, 2)
    with pytest.raises(ValueError, match=r"\(2, 3, 4\)"):
        K.slice(x, (0, 2, 0), (1, 2, 1))
    with pytest.raises(ValueError, match="one entry per axis"):
        K.slice(x, (0,), (1,))


def test_a_slice_that_does_not_fit_the_run_time_shape_is_an_error():
    import numpy as np
    import minigrad as mg
    from minigrad import backend as K
    x = K.placeholder(shape=(None, 3), name="x")
    f = K.function([x], [K.slice(x, (3, 0), (2, -1))])
    assert f([np.zeros((5, 3))])[0].shape == (2, 3)
    with pytest.raises(mg.EvaluationError, match=r"slice: start \(3, 0\) and size \(2, -1\) do not fit"):
        f([np.zeros((4, 3))])


@CHECK
@given(data=st.data())
def test_gather(data):
    shape = data.draw(shapes(min_rank=1))
    index_shape = data.draw(shapes(max_rank=2))
    value = data.draw(arrays(shape))
    indices = np.random.default_rng(data.draw(st.integers(0, 99))).integers(0, shape[0], size=index_shape)
    x = var64(value)
    check(K.gather(x, K.constant(indices, dtype="int32")), value[indices], [x])


def test_gather_repeated_rows_add_up_and_shapes():
    x = var64([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    (g,) = K.gradients(K.sum(K.gather(x, [2, 0, 2])), [x])
    np.testing.assert_array_equal(K.eval(g), [[1, 1], [0, 0], [2, 2]])
    assert K.int_shape(K.gather(K.placeholder(shape=(None, 5)), K.placeholder(shape=(None, 2), dtype="int32"))) == (None, 2, 5)
    with pytest.raises(TypeError, match="integers"):
        K.gather(x, K.constant([0.0]))
    assert mg.gradcheck(K.sum(K.square(K.gather(x, [1, 1]))), [x])
    (g2,) = K.gradients(K.sum(K.square(K.gather(x, [1, 1, 2]))), [x])
    assert mg.gradcheck(K.sum(g2 * g2), [x])   # second order, through gather's gradient


def test_gather_refuses_indices_out_of_range():
    import minigrad as mg
    from minigrad import backend as K
    reference = K.constant([[1.0], [2.0]])
    with pytest.raises(mg.EvaluationError, match=r"gather: index -1 is out of range \[0, 2\)"):
        K.eval(K.gather(reference, K.constant([-1], "int32")))


def test_one_hot():
    indices = np.array([[0, 2], [1, 5]])
    out = K.one_hot(K.constant(indices, dtype="int32"), 3)
    assert K.int_shape(out) == (2, 2, 3) and K.dtype(out) == "float32"
    np.testing.assert_array_equal(K.eval(out), np.eye(3)[[[0, 2], [1, 0]]] * [[[1], [1]], [[1], [0]]])
    assert K.int_shape(K.one_hot(K.placeholder(shape=(None,), dtype="int64"), 4)) == (None, 4)
    with pytest.raises(TypeError, match="integers"):
        K.one_hot(K.constant([1.0]), 3)


@CHECK
@given(data=st.data())
def test_pad_values_and_gradients(data):
    shape = data.draw(shapes(min_rank=1))
    widths = [(data.draw(st.integers(0, 2)), data.draw(st.integers(0, 2))) for _ in shape]
    value = data.draw(arrays(shape))
    x = var64(value)
    check(mg.ops.pad(x, widths), np.pad(value, widths), [x])


test_bad_indices_are_refused = refusal_test({
    "two ellipses": (ValueError, r"indexing: an index can only have a single ellipsis",
                     lambda: K.placeholder(shape=(2, 3))[..., ...]),
    "gather from a scalar": (ValueError, r"gather: cannot gather from a scalar \(shape \(\)\)",
                             lambda: K.gather(K.constant(1.0), K.constant([0], "int32"))),
    "pad widths": (ValueError, r"pad: widths \(\(1, 1\),\) do not fit a tensor of shape \(2, 3\)",
                   lambda: mg.ops.pad(K.placeholder(shape=(2, 3)), [(1, 1)])),
})
