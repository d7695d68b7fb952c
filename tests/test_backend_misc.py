"""The rest of the Keras 2 backend: creation and value functions (eye,
arange, count_params, print_tensor, ...), the learning phase, random draws
and dropout, dtypes, and the names minigrad refuses."""

import inspect

import numpy as np
import pytest

import minigrad as mg
from minigrad import backend as K
from minigrad.ops import phase


@pytest.fixture(autouse=True)
def test_phase():
    """Every test starts and ends with the dynamic phase (the placeholder, default 0)."""
    K.reset_learning_phase()
    yield
    K.reset_learning_phase()


# --------------------------------------------------------------------------
# Creation and values

def test_eye():
    w = K.eye(3)
    assert isinstance(w, mg.Variable) and K.dtype(w) == "float32"
    np.testing.assert_array_equal(K.get_value(w), np.eye(3))
    np.testing.assert_array_equal(K.get_value(K.eye((2, 3), dtype="float64")), np.eye(2, 3))
    assert K.dtype(K.eye(2, dtype="int32")) == "int32"


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


def test_moving_average_update():
    m = K.variable(2.0)
    K.function([], [], updates=[K.moving_average_update(m, 10.0, 0.75)])([])
    np.testing.assert_allclose(K.get_value(m), 0.75 * 2 + 0.25 * 10)


# --------------------------------------------------------------------------
# The learning phase

def test_set_learning_phase_accepts_only_0_and_1():
    for bad in (2, -1, 0.5, "train", None):
        with pytest.raises(ValueError, match="0 .* or 1"):
            K.set_learning_phase(bad)
    assert K.get_value(K.learning_phase()) == 0
    K.set_learning_phase(1)
    assert K.get_value(K.learning_phase()) == 1
    K.set_learning_phase(True)
    assert K.get_value(K.learning_phase()) == 1


def test_in_train_phase_follows_the_phase_at_call_time():
    x = K.placeholder(shape=(2,))
    y = K.in_train_phase(x * 10, x)
    f = K.function([x], [y])              # compiled before the phase changes
    assert f([[1.0, 2.0]])[0].tolist() == [1.0, 2.0]
    K.set_learning_phase(1)
    assert f([[1.0, 2.0]])[0].tolist() == [10.0, 20.0]
    K.set_learning_phase(0)
    assert K.eval(K.in_test_phase(K.constant(1.0), K.constant(0.0))) == 1.0


def test_learning_phase_can_be_fed_like_keras():
    x = K.placeholder(shape=(2,))
    f = K.function([x, K.learning_phase()], [K.in_train_phase(x * 10, x)])
    assert f([[1.0, 2.0], 1])[0].tolist() == [10.0, 20.0]
    assert f([[1.0, 2.0], 0])[0].tolist() == [1.0, 2.0]
    K.set_learning_phase(1)
    assert f([[1.0, 2.0], 0])[0].tolist() == [1.0, 2.0]   # a feed wins over the stored value


def test_in_train_phase_literal_training_and_callables():
    a, b = K.constant([1.0]), K.constant([2.0])
    assert K.in_train_phase(a, b, training=1) is a
    assert K.in_train_phase(a, b, training=False) is b
    assert K.in_train_phase(lambda: a, lambda: b, training=True) is a
    assert K.in_test_phase(a, b, training=0) is a
    t = K.placeholder(shape=(), dtype="bool")
    f = K.function([t], [K.in_train_phase(lambda: a, b, training=t)])
    assert f([True])[0].tolist() == [1.0] and f([False])[0].tolist() == [2.0]
    assert K.eval(K.in_train_phase(lambda: a * 3, lambda: b)).tolist() == [2.0]


def test_learning_phase_has_no_gradient_and_is_one_node():
    assert K.learning_phase() is K.learning_phase()
    assert isinstance(K.learning_phase(), mg.graph.PlaceholderWithDefault)
    w = K.variable([1.0, 2.0], dtype="float64")
    K.set_learning_phase(1)
    assert mg.gradcheck(K.in_train_phase(w * w, w), [w])
    (g,) = K.gradients(K.sum(K.in_train_phase(w * 3, w * 5)), [w])
    assert K.eval(g).tolist() == [3.0, 3.0]


def test_set_learning_phase_fixes_the_phase_as_keras_expects():
    placeholder = K.learning_phase()
    x = K.placeholder(shape=(2,))
    before = K.function([x], [K.in_train_phase(x * 10, x)])   # built on the placeholder
    K.set_learning_phase(1)
    assert K.learning_phase() == 1 and isinstance(K.learning_phase(), int)
    built_after = K.in_train_phase(x * 10, x)
    assert built_after.op.name == "multiply"                   # the branch, picked while building
    assert before([[1.0, 2.0]])[0].tolist() == [10.0, 20.0]   # earlier graphs read it too
    with pytest.raises(TypeError, match="inputs must be placeholders, got 1; K.learning_phase"):
        K.function([x, K.learning_phase()], [x])
    K.clear_session()
    assert K.learning_phase() is placeholder and K.eval(placeholder) == 0
    assert before([[1.0, 2.0]])[0].tolist() == [1.0, 2.0]


def test_in_train_phase_marks_results_that_depend_on_the_phase():
    x = K.placeholder(shape=(2,))
    assert K.in_train_phase(x * 2, x)._uses_learning_phase is True
    flag = K.placeholder(shape=(), dtype="bool")
    assert not hasattr(K.in_train_phase(x * 2, x, training=flag), "_uses_learning_phase")


def test_the_phase_is_fed_as_keras_feeds_it():
    x = K.placeholder(shape=(2,))
    f = K.function([x, K.learning_phase()], [K.in_train_phase(x * 10, x)])
    for train in (1, 1.0, [1.0][0], True, np.float32(1)):
        assert f([[1.0, 2.0], train])[0].tolist() == [10.0, 20.0]
    assert f([[1.0, 2.0], 0.0])[0].tolist() == [1.0, 2.0]
    with pytest.raises(TypeError, match="keras_learning_phase"):
        f([[1.0, 2.0], 0.5])


# --------------------------------------------------------------------------
# What Keras's engine asks of the tensors a backend makes

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


def test_placeholder_refuses_sparse_by_name():
    with pytest.raises(NotImplementedError, match=r"K\.placeholder\(sparse=True\)"):
        K.placeholder(shape=(None, 3), sparse=True)
    assert K.int_shape(K.placeholder(shape=(None, 3), sparse=False)) == (None, 3)


def test_variable_evaluates_an_initializer_tensor_once():
    v = K.variable(K.random_uniform((3, 2), seed=4), name="w")
    first = K.get_value(v)
    assert first.shape == (3, 2) and np.array_equal(K.get_value(v), first)
    assert K.get_value(K.variable(K.constant(0.0, shape=(2,)) + 1)).tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="placeholder"):
        K.variable(K.placeholder(shape=(2,)) * 2)


def test_zeros_and_ones_take_an_int_shape():
    assert K.get_value(K.zeros(1)).tolist() == [0.0]
    assert K.int_shape(K.ones(3, dtype="float64")) == (3,)
    with pytest.raises(ValueError, match="shape"):
        K.zeros(-1)


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


def test_seedless_random_ops_follow_numpy_global_seed():
    np.random.seed(7)
    a = K.eval(K.random_normal((4,)))
    np.random.seed(7)
    b = K.eval(K.random_normal((4,)))
    np.testing.assert_array_equal(a, b)


def test_refused_names_are_module_entries_keras_can_copy():
    for name in K.UNSUPPORTED:
        with pytest.raises(NotImplementedError, match=rf"K\.{name} is not supported"):
            vars(K)[name]()


def test_settings_can_live_in_keras_common_module():
    import types
    from minigrad import config
    own = config.SETTINGS
    keras_common = types.SimpleNamespace(_FLOATX="float64", _EPSILON=1e-4,
                                         _IMAGE_DATA_FORMAT="channels_first")
    try:
        config.share_settings_with(keras_common)
        assert (K.floatx(), K.epsilon(), K.image_data_format()) == ("float64", 1e-4, "channels_first")
        assert K.variable(1.0).dtype == np.float64
        K.set_floatx("float16")
        assert keras_common._FLOATX == "float16"
    finally:
        config.share_settings_with(own)
    assert K.floatx() == "float32"


# --------------------------------------------------------------------------
# Random draws

RANDOM = {
    "normal": lambda shape, **kw: K.random_normal(shape, mean=1.0, stddev=2.0, **kw),
    "uniform": lambda shape, **kw: K.random_uniform(shape, minval=-1.0, maxval=3.0, **kw),
    "binomial": lambda shape, **kw: K.random_binomial(shape, p=0.3, **kw),
    "truncated": lambda shape, **kw: K.truncated_normal(shape, mean=1.0, stddev=2.0, **kw),
}


@pytest.mark.parametrize("name", sorted(RANDOM))
@pytest.mark.parametrize("dtype", [None, "float16", "float64"])
def test_random_shape_dtype_and_fresh_draws(name, dtype):
    x = RANDOM[name]((50, 40), dtype=dtype)
    assert K.int_shape(x) == (50, 40) and K.dtype(x) == (dtype or "float32")
    first, second = K.eval(x), K.eval(x)
    assert first.shape == (50, 40) and first.dtype == np.dtype(dtype or "float32")
    assert not np.array_equal(first, second)
    f = K.function([], [x])
    assert not np.array_equal(f([])[0], f([])[0])


@pytest.mark.parametrize("name", sorted(RANDOM))
def test_random_seed_gives_the_same_sequence(name):
    a, b = RANDOM[name]((20,), seed=7), RANDOM[name]((20,), seed=7)
    for _ in range(3):
        np.testing.assert_array_equal(K.eval(a), K.eval(b))
    c = RANDOM[name]((20,), seed=8)
    assert not np.array_equal(K.eval(RANDOM[name]((20,), seed=7)), K.eval(c))


def test_seeded_random_never_touches_numpys_global_generator():
    np.random.seed(123)
    expected = np.random.random(3)
    np.random.seed(123)
    for name in RANDOM:
        K.eval(RANDOM[name]((10,), seed=1))
    K.eval(K.dropout(K.ones((10,)), 0.5, seed=1))
    K.random_normal_variable((3,), 0.0, 1.0, seed=1)
    K.random_uniform_variable((3,), 0.0, 1.0, seed=1)
    np.testing.assert_array_equal(np.random.random(3), expected)


def test_unseeded_random_takes_one_seed_from_numpy_when_built():
    np.random.seed(123)
    seeds = np.random.randint(10_000_000, size=3)
    np.random.seed(123)
    y = K.random_uniform((10,))
    K.eval(y), K.eval(y)                       # calls draw from the node's own generator
    z = K.random_normal_variable((3,), 0.0, 1.0)
    K.random_uniform_variable((3,), 0.0, 1.0)
    assert np.random.randint(10_000_000) == np.random.RandomState(123).randint(10_000_000, size=4)[3]
    np.testing.assert_array_equal(K.get_value(z), np.random.default_rng(seeds[1]).normal(0, 1, 3)
                                  .astype("float32"))


def test_random_distributions():
    n = 200_000
    normal = K.eval(K.random_normal((n,), 1.0, 2.0, dtype="float64", seed=0))
    assert abs(normal.mean() - 1.0) < 0.03 and abs(normal.std() - 2.0) < 0.03
    uniform = K.eval(K.random_uniform((n,), -1.0, 3.0, dtype="float64", seed=0))
    assert uniform.min() >= -1.0 and uniform.max() < 3.0 and abs(uniform.mean() - 1.0) < 0.03
    binomial = K.eval(K.random_binomial((n,), 0.3, seed=0))
    assert set(np.unique(binomial)) == {0.0, 1.0} and abs(binomial.mean() - 0.3) < 0.01
    assert K.eval(K.random_binomial((5,), 0.0, seed=0)).sum() == 0
    truncated = K.eval(K.truncated_normal((n,), 1.0, 2.0, dtype="float64", seed=0))
    assert truncated.min() >= 1.0 - 4.0 and truncated.max() <= 1.0 + 4.0
    # a normal truncated at two standard deviations has stddev 0.8796 sigma
    assert abs(truncated.std() - 2.0 * 0.8796) < 0.02 and abs(truncated.mean() - 1.0) < 0.02


def test_random_has_no_gradient():
    w = K.variable([1.0, 2.0], dtype="float64")
    noise = K.random_normal((2,), dtype="float64")
    assert K.gradients(K.sum(noise), [w]) == [None]
    (g,) = K.gradients(K.sum(w * noise), [w])
    f = K.function([], [g, noise])
    grad, drawn = f([])
    np.testing.assert_array_equal(grad, drawn)   # the same draw in one call


def test_random_variables():
    w = K.random_normal_variable((3, 4), 0.5, 2.0, seed=1, name="w")
    assert isinstance(w, mg.Variable) and w.name == "w" and K.dtype(w) == "float32"
    np.testing.assert_array_equal(K.get_value(w), K.get_value(K.random_normal_variable((3, 4), 0.5, 2.0, seed=1)))
    u = K.random_uniform_variable((1000,), -2.0, -1.0, dtype="float64", seed=2)
    assert K.dtype(u) == "float64" and -2 <= K.get_value(u).min() and K.get_value(u).max() < -1
    drawn = K.get_value(w)
    K.eval(w * 2)
    np.testing.assert_array_equal(K.get_value(w), drawn)   # drawn once, not at each evaluation


def test_random_shape_errors():
    with pytest.raises(ValueError, match="negative"):
        K.random_normal((2, -1))
    with pytest.raises(ValueError, match="float"):
        K.random_uniform((2,), dtype="int32")


# --------------------------------------------------------------------------
# Dropout

def test_dropout_values_and_scaling():
    x = K.ones((10_000,), dtype="float64")
    y = K.eval(K.dropout(x, 0.25, seed=0))
    assert set(np.unique(np.round(y, 12))) == {0.0, round(1 / 0.75, 12)}
    assert abs((y == 0).mean() - 0.25) < 0.02
    np.testing.assert_array_equal(K.eval(K.dropout(x, 0.0)), np.ones(10_000))


@pytest.mark.parametrize("level", [-0.1, 1.0, 1.5])
def test_dropout_rejects_levels_outside_0_1(level):
    with pytest.raises(ValueError, match="level"):
        K.dropout(K.ones((3,)), level)


def test_dropout_noise_shape_and_unknown_batch():
    x = K.placeholder(shape=(None, 4))
    y = K.dropout(x, 0.5, noise_shape=(None, 1), seed=3)
    assert K.int_shape(y) == (None, 4)
    out = K.function([x], [y])([np.ones((200, 4))])[0]
    assert out.shape == (200, 4)
    assert (out == out[:, :1]).all()             # one draw shared along axis 1
    assert 0 < (out[:, 0] == 0).sum() < 200
    z = K.function([x], [K.dropout(x, 0.5, seed=3)])([np.ones((6, 4))])[0]
    assert z.shape == (6, 4)
    with pytest.raises(ValueError, match="noise_shape"):
        K.dropout(K.ones((2, 4)), 0.5, noise_shape=(2, 3))


def test_dropout_gradient_uses_the_same_mask():
    w = K.variable(np.full(1000, 2.0), dtype="float64")
    y = K.dropout(w, 0.4, seed=0)
    (g,) = K.gradients(K.sum(y), [w])
    out, grad = K.function([], [y, g])([])
    np.testing.assert_allclose(grad, out / 2.0)
    # learning phase + dropout, the Keras idiom
    x = K.placeholder(shape=(None, 3))
    f = K.function([x, K.learning_phase()], [K.in_train_phase(K.dropout(x, 0.5), x)])
    data = np.ones((100, 3))
    np.testing.assert_array_equal(f([data, 0])[0], data)
    assert (f([data, 1])[0] == 0).any()


# --------------------------------------------------------------------------
# Dtypes

@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_float_dtypes_flow_through(dtype):
    K.set_floatx(dtype)
    x = K.placeholder(shape=(None, 3))
    outputs = [K.max(x, axis=1), K.prod(x), K.var(x), K.cumsum(x, 1), K.elu(x), K.softplus(x),
               K.l2_normalize(x, 1), K.concatenate([x, x]), K.tile(x, 2), x[:, 1:], K.gather(x, [0]),
               K.batch_dot(x, x, axes=1), K.dropout(x, 0.5), K.sin(x), K.one_hot(K.argmax(x), 3)]
    values = K.function([x], outputs)([np.full((2, 3), 0.5)])
    for node, value in zip(outputs, values):
        assert K.dtype(node) == dtype and value.dtype == np.dtype(dtype), node


def test_int_and_bool_variables():
    i = K.variable([3, 1, 2], dtype="int32")
    b = K.variable([True, False, True], dtype="bool")
    assert K.eval(K.max(i)).tolist() == 3 and K.dtype(K.max(i)) == "int32"
    assert K.eval(K.cumsum(i)).tolist() == [3, 4, 6]
    assert K.eval(K.argmax(i)).tolist() == 0
    assert K.eval(K.concatenate([i, i])).tolist() == [3, 1, 2, 3, 1, 2]
    assert K.eval(i[::-1]).tolist() == [2, 1, 3]
    assert K.eval(K.any(b)).tolist() is True and K.eval(K.all(b)).tolist() is False
    assert K.eval(K.reverse(b, 0)).tolist() == [True, False, True]
    assert K.eval(K.one_hot(i, 4)).argmax(-1).tolist() == [3, 1, 2]


def test_set_floatx_rejects_others_and_keeps_the_setting():
    K.set_floatx("float64")
    for bad in ("int32", "float128", "bfloat16", None):
        with pytest.raises(ValueError):
            K.set_floatx(bad)
    assert K.floatx() == "float64"


# --------------------------------------------------------------------------
# The whole Keras 2.2 backend: present, or refused with NotImplementedError

KERAS_22_BACKEND = """
epsilon set_epsilon floatx set_floatx cast_to_floatx image_data_format set_image_data_format
backend get_uid reset_uids clear_session manual_variable_initialization learning_phase
set_learning_phase get_session set_session is_sparse to_dense variable constant is_keras_tensor
is_tensor placeholder is_placeholder shape int_shape ndim dtype eval zeros ones eye zeros_like
ones_like identity random_uniform_variable random_normal_variable count_params cast get_value
batch_get_value set_value batch_set_value get_variable_shape print_tensor update update_add
update_sub moving_average_update function gradients stop_gradient dot batch_dot transpose gather
max min sum prod cumsum cumprod var std mean any all argmax argmin logsumexp square abs sqrt exp
log round sign pow clip equal not_equal greater greater_equal less less_equal maximum minimum sin
cos concatenate reshape permute_dimensions repeat_elements repeat arange tile flatten
batch_flatten expand_dims squeeze stack one_hot reverse slice rnn switch in_train_phase
in_test_phase map_fn foldl foldr relu elu softmax softplus softsign categorical_crossentropy
sparse_categorical_crossentropy binary_crossentropy sigmoid hard_sigmoid tanh dropout l2_normalize
in_top_k bias_add normalize_batch_in_training batch_normalization random_normal random_uniform
random_binomial truncated_normal conv1d conv2d conv2d_transpose separable_conv1d separable_conv2d
depthwise_conv2d conv3d conv3d_transpose pool2d pool3d local_conv1d local_conv2d resize_images
resize_volumes temporal_padding spatial_2d_padding spatial_3d_padding ctc_label_dense_to_sparse
ctc_batch_cost ctc_decode
""".split()


@pytest.mark.parametrize("name", KERAS_22_BACKEND)
def test_every_keras_backend_name_exists_or_is_refused(name):
    function = getattr(K, name)          # never an AttributeError
    assert callable(function)
    if name in K.UNSUPPORTED:
        assert name in vars(K)           # Keras copies the backend's __dict__
        with pytest.raises(NotImplementedError, match=rf"K\.{name}\b"):
            function(None, None)
    else:
        doc = inspect.getdoc(function) or ""
        assert doc, f"K.{name} has no docstring"


def test_unsupported_list_is_explicit():
    for name in ("conv2d", "pool2d", "ctc_batch_cost", "depthwise_conv2d", "local_conv2d"):
        assert name in K.UNSUPPORTED and K.UNSUPPORTED[name]
    assert hasattr(K, "conv2d")
    with pytest.raises(AttributeError):
        K.no_such_function
    assert not hasattr(K, "no_such_function")


def test_public_backend_functions_have_examples():
    missing = [name for name, value in vars(K).items()
               if not name.startswith("_") and inspect.isfunction(value)
               and ">>>" not in (value.__doc__ or "")]
    assert missing == []


def test_config_helpers():
    assert K.backend() == "minigrad"
    assert K.image_data_format() == "channels_last"
    K.set_image_data_format("channels_first")
    assert K.image_data_format() == "channels_first"
    K.set_image_data_format("channels_last")
    with pytest.raises(ValueError):
        K.set_image_data_format("nchw")
    K.reset_uids()
    assert [K.get_uid("a"), K.get_uid("a"), K.get_uid("b")] == [1, 2, 1]
    K.set_learning_phase(1)
    K.clear_session()
    assert K.get_uid("a") == 1 and K.get_value(K.learning_phase()) == 0


# --------------------------------------------------------------------------
# Shapes given as tensors (Keras code does K.random_normal(K.shape(x)), ...)

def test_random_with_shapes_from_tensors():
    z = K.placeholder(shape=(None, 2))
    eps = K.random_normal(shape=(K.shape(z)[0], 2), seed=1)        # the VAE idiom
    assert K.int_shape(eps) == (None, 2)
    like = K.random_uniform(K.shape(z), seed=1)
    assert K.int_shape(like) == (None, 2)
    f = K.function([z], [eps, like, K.truncated_normal(K.shape(z)), K.random_binomial(K.shape(z), 0.5)])
    for value in f([np.zeros((5, 2))]):
        assert value.shape == (5, 2)
    first, second = f([np.zeros((3, 2))])[0], f([np.zeros((3, 2))])[0]
    assert first.shape == (3, 2) and not np.array_equal(first, second)
    with pytest.raises(ValueError, match="1-D"):
        K.random_normal(K.placeholder(shape=(2, 2), dtype="int32"))


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
# Static dtype and shape always equal the computed ones, for every dtype

SWEEP = {
    "max": lambda x: K.max(x, 1), "min": lambda x: K.min(x), "prod": lambda x: K.prod(x, [0, 1], True),
    "var": K.var, "std": lambda x: K.std(x, 0), "logsumexp": K.logsumexp, "any": K.any, "all": K.all,
    "argmax": K.argmax, "argmin": K.argmin, "cumsum": K.cumsum, "cumprod": lambda x: K.cumprod(x, 1),
    "cos": K.cos, "sin": K.sin, "round": K.round, "not_equal": lambda x: K.not_equal(x, 1),
    "less_equal": lambda x: K.less_equal(x, 1), "concatenate": lambda x: K.concatenate([x, x]),
    "stack": lambda x: K.stack([x, x]), "tile": lambda x: K.tile(x, 2), "repeat": lambda x: K.repeat(x, 2),
    "repeat_elements": lambda x: K.repeat_elements(x, 2, 0), "flatten": K.flatten,
    "batch_flatten": K.batch_flatten, "squeeze": lambda x: K.squeeze(x[None], 0),
    "reverse": lambda x: K.reverse(x, 1), "gather": lambda x: K.gather(x, [0, 2]),
    "getitem": lambda x: x[1:, None, ::2], "slice": lambda x: K.slice(x, (0, 1), (2, 2)),
    "dot": lambda x: K.dot(x, K.transpose(x)),
    "dot_nd": lambda x: K.dot(x, K.reshape(K.concatenate([x, x]), (2, 4, 3))),
    "batch_dot": lambda x: K.batch_dot(x, x, 1), "elu": K.elu, "softplus": K.softplus,
    "softsign": K.softsign, "hard_sigmoid": K.hard_sigmoid, "softmax": K.softmax,
    "l2_normalize": lambda x: K.l2_normalize(x, 1), "stop_gradient": K.stop_gradient,
    "bias_add": lambda x: K.bias_add(x, x[0]), "dropout": lambda x: K.dropout(x, 0.5),
    "identity": K.identity, "shape": K.shape, "one_hot": lambda x: K.one_hot(K.argmax(x), 4),
    "relu": lambda x: K.relu(x, 0.1, 1.5, 0.5), "scce": lambda x: K.sparse_categorical_crossentropy(K.argmax(x), x),
    "in_top_k": lambda x: K.in_top_k(x, K.argmax(x), 1),
    "normalize_batch": lambda x: K.normalize_batch_in_training(x, None, None, [0])[0],
    "in_train_phase": lambda x: K.in_train_phase(x, x * 2),
}


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int32", "bool"])
def test_static_dtype_and_shape_match_the_computed_ones(dtype):
    x = K.constant((np.arange(1, 13).reshape(3, 4) % 3 + 1).astype(dtype))
    nodes = {name: build(x) for name, build in SWEEP.items()}
    values = K.function([], list(nodes.values()))([])
    for (name, node), value in zip(nodes.items(), values):
        assert value.dtype == node.dtype, name
        assert value.ndim == node.ndim and all(
            s is None or s == v for s, v in zip(node.shape, value.shape)), name


from hypothesis import given, settings, strategies as st  # noqa: E402


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


# --------------------------------------------------------------------------
# Loops, unrolled: map_fn, foldl, foldr, rnn

def test_map_fn_foldl_foldr():
    value = np.random.default_rng(7).normal(size=(3, 4))
    x = K.variable(value, dtype="float64")
    out = K.map_fn(lambda row: K.sum(K.square(row)) * row[0], x)
    np.testing.assert_allclose(K.eval(out), (value ** 2).sum(1) * value[:, 0])
    assert K.int_shape(out) == (3,)
    assert mg.gradcheck(out, [x])
    left = K.foldl(lambda acc, row: acc * 0.5 + row, x)
    right = K.foldr(lambda acc, row: acc * 0.5 + row, x, initializer=K.zeros((4,), dtype="float64"))
    expected_left, expected_right = value[0], np.zeros(4)
    for row in value[1:]:
        expected_left = expected_left * 0.5 + row
    for row in value[::-1]:
        expected_right = expected_right * 0.5 + row
    np.testing.assert_allclose(K.eval(left), expected_left)
    np.testing.assert_allclose(K.eval(right), expected_right)
    assert mg.gradcheck(left * right, [x])
    with pytest.raises(ValueError, match=r"number of steps.*\(None, 4\)"):
        K.map_fn(lambda row: row, K.placeholder(shape=(None, 4)))


def np_simple_rnn(x, w, u, h0, mask=None, go_backwards=False):
    steps = range(x.shape[1])[::-1] if go_backwards else range(x.shape[1])
    h, outputs, previous = h0, [], np.zeros_like(h0)
    for t in steps:
        new = np.tanh(x[:, t] @ w + h @ u)
        if mask is not None:
            keep = mask[:, t][:, None]
            new_output = np.where(keep, new, previous)
            h = np.where(keep, new, h)
        else:
            new_output = h = new
        outputs.append(new_output)
        previous = new_output
    return outputs[-1], np.stack(outputs, axis=1), h


@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_rnn_matches_a_numpy_loop_and_differentiates(masked, go_backwards):
    rng = np.random.default_rng(8)
    x_value, w_value, u_value = rng.normal(size=(2, 4, 3)), rng.normal(size=(3, 5)) / 2, rng.normal(size=(5, 5)) / 2
    h0 = np.zeros((2, 5))
    mask_value = np.array([[1, 1, 0, 1], [1, 0, 0, 0]], dtype=bool) if masked else None
    x, w, u = (K.variable(v, dtype="float64") for v in (x_value, w_value, u_value))

    def step(x_t, states):
        h = K.tanh(K.dot(x_t, w) + K.dot(states[0], u))
        return h, [h]

    last, outputs, (h,) = K.rnn(step, x, [K.constant(h0, dtype="float64")], go_backwards=go_backwards,
                                mask=None if mask_value is None else K.constant(mask_value))
    expected = np_simple_rnn(x_value, w_value, u_value, h0, mask_value, go_backwards)
    for node, value in zip((last, outputs, h), expected):
        np.testing.assert_allclose(K.eval(node), value, rtol=1e-12)
    assert K.int_shape(outputs) == (2, 4, 5) and K.int_shape(last) == (2, 5)
    assert mg.gradcheck(K.sum(outputs) + K.sum(h * h), [x, w, u])


def test_rnn_constants_unknown_batch_and_errors():
    x = K.placeholder(shape=(None, 3, 2))
    seen = []

    def step(x_t, states):
        seen.append(len(states))
        total = states[0] + x_t * states[1]
        return total, [total]

    last, outputs, _ = K.rnn(step, x, [K.zeros((1, 2))], constants=[K.constant(2.0)])
    assert seen == [2, 2, 2] and K.int_shape(outputs) == (None, 3, 2)
    out = K.function([x], [outputs])([np.ones((4, 3, 2))])[0]
    np.testing.assert_array_equal(out[:, :, 0], np.tile([2.0, 4.0, 6.0], (4, 1)))
    with pytest.raises(ValueError, match="3-D"):
        K.rnn(step, K.placeholder(shape=(2, 3)), [K.zeros((1, 2))])
    with pytest.raises(ValueError, match="number of steps"):
        K.rnn(step, K.placeholder(shape=(2, None, 2)), [K.zeros((1, 2))])


def test_in_train_phase_branches_must_have_one_shape():
    from minigrad import backend as K
    with pytest.raises(ValueError, match=r"in_train_phase: both branches are computed, so they need one shape"):
        K.in_train_phase(K.constant([1.0, 2.0, 3.0]), K.constant([[1.0], [2.0]]))
