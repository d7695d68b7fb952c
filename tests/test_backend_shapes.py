"""The Keras 2 backend's shape, indexing and product functions: concatenate,
stack, tile, repeat, repeat_elements, reverse, squeeze, flatten,
batch_flatten, x[...], slice, gather, one_hot, dot (n-D) and batch_dot.
Values against NumPy, static shapes (None kept, ValueError naming shapes),
gradients against finite differences."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import minigrad as mg
from minigrad import backend as K
from strategies import arrays, shapes

CHECK = settings(max_examples=20, deadline=None)


def var64(value):
    return K.variable(value, dtype="float64")


def check(out, expected, variables):
    """Static shape, value and gradient of ``out`` in one go."""
    expected = np.asarray(expected)
    assert K.int_shape(out) == expected.shape
    np.testing.assert_allclose(K.eval(out), expected, rtol=1e-12, atol=1e-14)
    assert mg.gradcheck(out, variables)


# --------------------------------------------------------------------------
# Joining

@CHECK
@given(data=st.data())
def test_concatenate(data):
    shape = data.draw(shapes(min_rank=1))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
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
    shape = data.draw(shapes(min_rank=1))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
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


def test_reshape_and_permute_dimensions_still_work():
    value = np.arange(6.0).reshape(2, 3)
    x = var64(value)
    check(K.reshape(x, (3, -1)), value.reshape(3, 2), [x])
    check(K.permute_dimensions(K.expand_dims(x), (2, 0, 1)), value[None].transpose(0, 1, 2), [x])


# --------------------------------------------------------------------------
# Indexing

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


def test_one_hot():
    indices = np.array([[0, 2], [1, 5]])
    out = K.one_hot(K.constant(indices, dtype="int32"), 3)
    assert K.int_shape(out) == (2, 2, 3) and K.dtype(out) == "float32"
    np.testing.assert_array_equal(K.eval(out), np.eye(3)[[[0, 2], [1, 0]]] * [[[1], [1]], [[1], [0]]])
    assert K.int_shape(K.one_hot(K.placeholder(shape=(None,), dtype="int64"), 4)) == (None, 4)
    with pytest.raises(TypeError, match="integers"):
        K.one_hot(K.constant([1.0]), 3)


# --------------------------------------------------------------------------
# dot with Keras 2's n-D rule, batch_dot with Keras 2's axes

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


@pytest.mark.parametrize("view", [
    lambda a: K.reshape(a, (-1,)), lambda a: a[1:], lambda a: K.identity(a),
    lambda a: K.stop_gradient(a), lambda a: K.reverse(a, 0), lambda a: K.transpose(a),
    lambda a: K.squeeze(K.expand_dims(a, 0), 0), lambda a: K.print_tensor(a, ""),
])
def test_views_of_big_temporaries_are_not_overwritten(view, capsys):
    """The executor writes big ufunc results into dying temporaries (out=);
    a temporary that a view-returning op has read must keep its numbers."""
    x = K.placeholder(shape=(200, 200), dtype="float64")
    a = K.exp(x)
    f = K.function([x], [view(a), K.tanh(a)])
    seen, _ = f([np.zeros((200, 200))])
    np.testing.assert_array_equal(seen, 1.0)


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


# --------------------------------------------------------------------------
# Padding and nearest-neighbour resizing (Keras 2's image helpers)

@CHECK
@given(data=st.data())
def test_pad_values_and_gradients(data):
    shape = data.draw(shapes(min_rank=1))
    widths = [(data.draw(st.integers(0, 2)), data.draw(st.integers(0, 2))) for _ in shape]
    value = data.draw(arrays(shape))
    x = var64(value)
    check(mg.ops.pad(x, widths), np.pad(value, widths), [x])


def test_padding_functions():
    value = np.random.default_rng(5).normal(size=(2, 3, 4, 5))
    x = var64(value)
    t = var64(value[0])
    check(K.temporal_padding(t, (2, 1)), np.pad(value[0], [(0, 0), (2, 1), (0, 0)]), [t])
    check(K.spatial_2d_padding(x, ((1, 0), (2, 3))), np.pad(value, [(0, 0), (1, 0), (2, 3), (0, 0)]), [x])
    check(K.spatial_2d_padding(x, ((1, 0), (2, 3)), "channels_first"),
          np.pad(value, [(0, 0), (0, 0), (1, 0), (2, 3)]), [x])
    v5 = value[..., None]
    x5 = var64(v5)
    check(K.spatial_3d_padding(x5), np.pad(v5, [(0, 0), (1, 1), (1, 1), (1, 1), (0, 0)]), [x5])
    assert K.int_shape(K.spatial_2d_padding(K.placeholder(shape=(None, None, 4, 3)))) == (None, None, 6, 3)
    with pytest.raises(ValueError, match=r"rank 4.*\(2, 3\)"):
        K.spatial_2d_padding(K.placeholder(shape=(2, 3)))


def test_resize_images_and_volumes():
    value = np.random.default_rng(6).normal(size=(2, 3, 4, 2))
    x = var64(value)
    expected = value.repeat(2, axis=1).repeat(3, axis=2)
    check(K.resize_images(x, 2, 3, "channels_last"), expected, [x])
    check(K.resize_images(x, 2, 3, "channels_first"), value.repeat(2, axis=2).repeat(3, axis=3), [x])
    v5 = value[:, None]
    x5 = var64(v5)
    check(K.resize_volumes(x5, 2, 1, 2, "channels_last"), v5.repeat(2, 1).repeat(2, 3), [x5])
    assert K.int_shape(K.resize_images(K.placeholder(shape=(None, 3, None, 1)), 2, 2, "channels_last")) == (None, 6, None, 1)
    with pytest.raises(NotImplementedError, match="nearest"):
        K.resize_images(x, 2, 2, "channels_last", interpolation="bilinear")
    with pytest.raises(ValueError, match="data_format"):
        K.resize_images(x, 2, 2, "nhwc")


# --------------------------------------------------------------------------
# Found in review: counts are whole numbers, blocks must fit, indices in range

def test_counts_must_be_whole_non_negative_numbers():
    from minigrad import backend as K
    x = K.placeholder(shape=(2, 3))
    with pytest.raises(TypeError, match="one_hot: `num_classes` must be a whole number, got 2.9"):
        K.one_hot(K.constant([0], "int32"), 2.9)
    with pytest.raises(ValueError, match="one_hot: `num_classes` must be >= 0"):
        K.one_hot(K.constant([0], "int32"), -2)
    with pytest.raises(TypeError, match="repeat_elements: `rep` must be a whole number"):
        K.repeat_elements(x, 2.7, 1)
    with pytest.raises(TypeError, match="tile: `n` must be a whole number"):
        K.tile(x, [1, 2.5])


def test_padding_needs_one_pair_per_spatial_axis():
    from minigrad import backend as K
    with pytest.raises(ValueError, match=r"spatial_2d_padding: `padding` needs 2 \(before, after\) pair"):
        K.spatial_2d_padding(K.placeholder(shape=(1, 4, 4, 3)), ((1, 1),))
    with pytest.raises(ValueError, match=r"spatial_3d_padding: `padding` needs 3"):
        K.spatial_3d_padding(K.placeholder(shape=(1, 2, 2, 2, 1)), ((1, 1), (1, 1)))
    with pytest.raises(ValueError, match=r"temporal_padding: `padding` needs 1"):
        K.temporal_padding(K.placeholder(shape=(1, 5, 3)), (1, 2, 3))


def test_a_slice_that_does_not_fit_the_run_time_shape_is_an_error():
    import numpy as np
    import minigrad as mg
    from minigrad import backend as K
    x = K.placeholder(shape=(None, 3), name="x")
    f = K.function([x], [K.slice(x, (3, 0), (2, -1))])
    assert f([np.zeros((5, 3))])[0].shape == (2, 3)
    with pytest.raises(mg.EvaluationError, match=r"slice: start \(3, 0\) and size \(2, -1\) do not fit"):
        f([np.zeros((4, 3))])


def test_gather_refuses_indices_out_of_range():
    import minigrad as mg
    from minigrad import backend as K
    reference = K.constant([[1.0], [2.0]])
    with pytest.raises(mg.EvaluationError, match=r"gather: index -1 is out of range \[0, 2\)"):
        K.eval(K.gather(reference, K.constant([-1], "int32")))
