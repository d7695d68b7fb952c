"""minigrad/ops/shape.py: reshape, transpose, expand_dims, concatenate, stack,
tile, repeat, repeat_elements, reverse, squeeze, flatten and batch_flatten.
Values against NumPy, static shapes (None kept, ValueError naming shapes),
gradients against finite differences."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

import minigrad as mg
from minigrad import backend as K
from helpers import CHECK, check, var64, refusal_test
from strategies import arrays, shapes, shapes_with_axis


# --------------------------------------------------------------------------
# Reshaping and transposing

@CHECK
@given(data=st.data())
def test_reshape_transpose_expand_dims(data):
    shape = data.draw(shapes(min_rank=1))
    value = data.draw(arrays(shape))
    x = var64(value)
    perm = data.draw(st.permutations(range(len(shape))))
    cases = [
        (K.reshape(x, (-1,)), value.reshape(-1)),
        (K.reshape(x, (1, -1)), value.reshape(1, -1)),
        (K.permute_dimensions(x, perm), np.transpose(value, perm)),
        (K.expand_dims(x, 0), value[None]),
    ]
    for out, expected in cases:
        assert out.shape == expected.shape
        np.testing.assert_array_equal(K.eval(out), expected)
        assert mg.gradcheck(out, [x])


def test_reshape_errors_and_unknown_dimensions():
    with pytest.raises(ValueError, match=r"cannot reshape a tensor of shape \(2, 3\)"):
        K.reshape(K.placeholder(shape=(2, 3)), (4, -1))
    assert K.int_shape(K.reshape(K.placeholder(shape=(None, 3)), (-1, 6))) == (None, 6)


def test_transpose_rejects_a_bad_permutation():
    with pytest.raises(ValueError, match="not a permutation"):
        K.permute_dimensions(K.placeholder(shape=(2, 3)), (0, 0))


def test_reshape_and_permute_dimensions_still_work():
    value = np.arange(6.0).reshape(2, 3)
    x = var64(value)
    check(K.reshape(x, (3, -1)), value.reshape(3, 2), [x])
    check(K.permute_dimensions(K.expand_dims(x), (2, 0, 1)), value[None].transpose(0, 1, 2), [x])


def test_reshape_with_tensor_entries():
    x = K.placeholder(shape=(None, 2, 3), dtype="float64")
    y = K.reshape(x, (K.shape(x)[0], -1))
    assert K.int_shape(y) == (None, None)
    z = K.reshape(x, K.shape(K.placeholder(shape=(None, 6))))
    assert K.int_shape(z) == (None, 6)
    data = np.arange(12.0).reshape(2, 2, 3)
    out_y, = K.function([x], [y])([data])
    np.testing.assert_array_equal(out_y, data.reshape(2, -1))
    w = K.variable(np.arange(6.0).reshape(2, 3), dtype="float64")
    assert mg.gradcheck(K.reshape(w * w, (K.shape(w)[1], 2)), [w])
    assert K.int_shape(K.reshape(w, (K.shape(w)[1], 2))) == (None, 2)
    with pytest.raises(ValueError, match="scalar int"):
        K.reshape(w, (K.constant(2.0), 3))


# --------------------------------------------------------------------------
# Joining

@CHECK
@given(data=st.data())
def test_concatenate(data):
    shape, axis = data.draw(shapes_with_axis())
    parts = []
    for _ in range(data.draw(st.integers(1, 3))):
        part_shape = list(shape)
        part_shape[axis] = data.draw(st.integers(0, 3))
        parts.append(data.draw(arrays(tuple(part_shape))))
    xs = [var64(part) for part in parts]
    check(K.concatenate(xs, axis=axis), np.concatenate(parts, axis=axis), xs)


def test_concatenate_default_axis_shapes_and_errors():
    a, b = K.placeholder(shape=(None, 2)), K.placeholder(shape=(None, 3))
    assert K.int_shape(K.concatenate([a, b])) == (None, 5)
    assert K.int_shape(K.concatenate([a, K.placeholder(shape=(4, None))])) == (4, None)
    assert K.int_shape(K.concatenate([a, a], axis=0)) == (None, 2)
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 3\)"):
        K.concatenate([K.placeholder(shape=(2, 3)), K.placeholder(shape=(4, 3))], axis=1)
    with pytest.raises(ValueError, match="ranks"):
        K.concatenate([K.placeholder(shape=(2, 3)), K.placeholder(shape=(3,))])


def test_concatenate_gradient_with_unknown_sizes():
    x = K.placeholder(shape=(None, 2), dtype="float64")
    w = var64([[1.0, 2.0], [3.0, 4.0]])
    loss = K.sum(K.square(K.concatenate([x * 0 + w, w * 3], axis=0)[1:, :]))
    assert mg.gradcheck(loss, [w], feeds={x: np.ones((2, 2))})


@CHECK
@given(data=st.data())
def test_stack(data):
    shape = data.draw(shapes())
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    parts = [data.draw(arrays(shape)) for _ in range(data.draw(st.integers(1, 3)))]
    xs = [var64(part) for part in parts]
    check(K.stack(xs, axis=axis), np.stack(parts, axis=axis), xs)


def test_stack_errors():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(2, 4\)"):
        K.stack([K.placeholder(shape=(2, 3)), K.placeholder(shape=(2, 4))])
    assert K.int_shape(K.stack([K.placeholder(shape=(None, 3))] * 2, axis=-1)) == (None, 3, 2)


# --------------------------------------------------------------------------
# Repeating and rearranging

@CHECK
@given(data=st.data())
def test_tile(data):
    shape = data.draw(shapes(min_rank=1))
    reps = [data.draw(st.integers(1, 3)) for _ in shape]
    value = data.draw(arrays(shape))
    x = var64(value)
    check(K.tile(x, reps), np.tile(value, reps), [x])


def test_tile_int_and_shapes():
    x = K.constant([[1.0, 2.0]])
    np.testing.assert_array_equal(K.eval(K.tile(x, 2)), [[1, 2, 1, 2]])
    assert K.int_shape(K.tile(K.placeholder(shape=(None, 3)), [2, 2])) == (None, 6)
    with pytest.raises(ValueError, match=r"\(None, 3\)"):
        K.tile(K.placeholder(shape=(None, 3)), [1, 2, 3])


@CHECK
@given(data=st.data())
def test_repeat_elements(data):
    shape, axis = data.draw(shapes_with_axis())
    rep = data.draw(st.integers(1, 3))
    value = data.draw(arrays(shape))
    x = var64(value)
    check(K.repeat_elements(x, rep, axis), np.repeat(value, rep, axis=axis), [x])


def test_repeat_elements_unknown_dims():
    x = K.placeholder(shape=(None, 3))
    assert K.int_shape(K.repeat_elements(x, 2, 0)) == (None, 3)
    assert K.int_shape(K.repeat_elements(x, 2, 1)) == (None, 6)


def test_repeat():
    value = np.arange(6.0).reshape(2, 3)
    x = var64(value)
    check(K.repeat(x, 4), np.repeat(value[:, None, :], 4, axis=1), [x])
    assert K.int_shape(K.repeat(K.placeholder(shape=(None, 3)), 2)) == (None, 2, 3)
    with pytest.raises(ValueError, match=r"2-D.*\(2, 3, 4\)"):
        K.repeat(K.placeholder(shape=(2, 3, 4)), 2)


@CHECK
@given(data=st.data())
def test_reverse(data):
    shape = data.draw(shapes(min_rank=1))
    axes = data.draw(st.lists(st.integers(0, len(shape) - 1), min_size=1, unique=True))
    value = data.draw(arrays(shape))
    x = var64(value)
    check(K.reverse(x, axes), np.flip(value, tuple(axes)), [x])
    check(K.reverse(x, -1), np.flip(value, -1), [x])


def test_squeeze_flatten_batch_flatten():
    value = np.arange(24.0).reshape(2, 1, 3, 4)
    x = var64(value)
    check(K.squeeze(x, 1), value[:, 0], [x])
    check(K.squeeze(x, -3), value[:, 0], [x])
    check(K.flatten(x), value.ravel(), [x])
    check(K.batch_flatten(x), value.reshape(2, -1), [x])
    assert K.int_shape(K.squeeze(K.placeholder(shape=(None, 1, 3)), 1)) == (None, 3)
    assert K.int_shape(K.flatten(K.placeholder(shape=(None, 3)))) == (None,)
    assert K.int_shape(K.batch_flatten(K.placeholder(shape=(None, 2, 3)))) == (None, 6)
    assert K.int_shape(K.batch_flatten(K.placeholder(shape=(4, None, 3)))) == (4, None)
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        K.squeeze(K.placeholder(shape=(2, 3)), 1)


def test_batch_flatten_runs_with_unknown_dims_and_differentiates():
    p = K.placeholder(shape=(None, None, 2), dtype="float64")
    w = var64([1.0, 2.0])
    out = K.batch_flatten(p * w)
    f = K.function([p], [out])
    np.testing.assert_array_equal(f([np.ones((3, 2, 2))])[0], np.tile([1.0, 2, 1, 2], (3, 1)))
    assert mg.gradcheck(K.sum(K.square(out)), [w], feeds={p: np.arange(12.0).reshape(3, 2, 2)})


test_bad_shapes_are_refused = refusal_test({
    "concatenate nothing": (ValueError, "concatenate: needs at least one tensor",
                            lambda: K.concatenate([])),
    "stack nothing": (ValueError, "stack: needs at least one tensor", lambda: K.stack([])),
    "two free dimensions": (ValueError, r"reshape: invalid target shape \(-1, -1\)",
                            lambda: K.reshape(K.ones((2, 3)), (-1, -1))),
    "batch_flatten a scalar": (ValueError, r"batch_flatten: needs a tensor of rank >= 1",
                               lambda: K.batch_flatten(K.constant(1.0))),
})
