"""minigrad/ops/random.py: random draws (shapes, dtypes, seeds, NumPy's global
generator, distributions, shapes given as tensors), random variables and
dropout."""

import numpy as np
import pytest

import minigrad as mg
from minigrad import backend as K
from helpers import refusal_test


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


def test_seedless_random_ops_follow_numpy_global_seed():
    np.random.seed(7)
    a = K.eval(K.random_normal((4,)))
    np.random.seed(7)
    b = K.eval(K.random_normal((4,)))
    np.testing.assert_array_equal(a, b)


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


test_bad_shapes_are_refused = refusal_test({
    "negative variable shape": (ValueError, r"random_uniform_variable: a variable needs a shape of "
                                r"non-negative ints, got \(2, -1\)",
                                lambda: K.random_uniform_variable((2, -1), 0, 1)),
})
