"""The public API contract, section by section: the surface that course
material, tests and outside checks rely on.

It follows the Keras 2 functional backend (``keras.backend``, imported as
``K``) and the Keras 2.2 optimizer API, so that code written against those
reads the same here. Whatever a test below states keeps its spelling and
behaviour; extensions (new ops, optimizers, keyword aliases) are welcome,
removals and renames are not. The sections: imports; the README's first
example; graph building; differentiation; updates and the executor
(Theano's rule: every output and update of a call reads the values from
before it, then all updates are assigned); values and configuration;
optimizers (Keras 2.2 defaults, arguments, state, configuration, registry);
the Keras 2.2 formulas to 1e-10 in float64; seeing it (viz and tracing).

Each test asserts one statement of the contract with real values. Where the
contract gives names, defaults or numbers, they are checked exactly; where
it states an error, the exact error type (and what its message must name)
is checked. Nothing here relies on minigrad internals beyond the contract.
"""

import inspect
import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.figure  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from minigrad import config  # noqa: E402


@pytest.fixture(autouse=True)
def keras_defaults():
    """Each test starts and ends with Keras's default floatx and epsilon."""
    floatx, epsilon = config.floatx(), config.epsilon()
    config.set_floatx("float32")
    config.set_epsilon(1e-7)
    yield
    config.set_floatx(floatx)
    config.set_epsilon(epsilon)


# ======================================================================
# Imports

def test_imports():
    import minigrad as mg
    from minigrad import backend as K
    from minigrad import optimizers

    assert mg.backend is K
    assert mg.optimizers is optimizers
    for name in ("SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam"):
        assert inspect.isclass(getattr(optimizers, name)), name


# ======================================================================
# A first example (the README's linear regression with Adam)

def test_first_example_fits_the_line():
    from minigrad import backend as K, optimizers

    rng = np.random.default_rng(0)
    X_data = rng.normal(size=(256, 3)).astype("float32")
    y_data = X_data @ np.array([[2.0], [-1.0], [0.5]], "float32") + 0.3

    x = K.placeholder(shape=(None, 3), name="x")
    y = K.placeholder(shape=(None, 1), name="y")
    w = K.variable(np.zeros((3, 1)), name="w")
    b = K.variable(np.zeros((1,)), name="b")
    loss = K.mean(K.square(K.dot(x, w) + b - y))

    opt = optimizers.Adam(lr=0.05)
    train = K.function([x, y], [loss], updates=opt.get_updates(loss, [w, b]))
    for step in range(500):
        (l,) = train([X_data, y_data])
    assert isinstance(l, np.ndarray) and l.shape == ()
    assert float(l) < 1e-6
    np.testing.assert_allclose(K.get_value(w).ravel(), [2.0, -1.0, 0.5], atol=1e-3)
    np.testing.assert_allclose(K.get_value(b), [0.3], atol=1e-3)
    assert int(K.get_value(opt.iterations)) == 500


# ======================================================================
# Graph building: names and defaults of the Keras-2 functions

NO_DEFAULT = inspect.Parameter.empty

#: name -> the Keras 2 parameters, in order, with their defaults (NO_DEFAULT: required).
SIGNATURES = {
    "placeholder": [("shape", None), ("ndim", None), ("dtype", None), ("sparse", False),
                    ("name", None)],
    "variable": [("value", NO_DEFAULT), ("dtype", None), ("name", None), ("constraint", None)],
    "constant": [("value", NO_DEFAULT), ("dtype", None), ("shape", None), ("name", None)],
    "zeros": [("shape", NO_DEFAULT)],
    "ones": [("shape", NO_DEFAULT)],
    "zeros_like": [("x", NO_DEFAULT)],
    "ones_like": [("x", NO_DEFAULT)],
    "dot": [("x", NO_DEFAULT), ("y", NO_DEFAULT)],
    "sum": [("x", NO_DEFAULT), ("axis", None), ("keepdims", False)],
    "mean": [("x", NO_DEFAULT), ("axis", None), ("keepdims", False)],
    "square": [("x", NO_DEFAULT)],
    "sqrt": [("x", NO_DEFAULT)],
    "abs": [("x", NO_DEFAULT)],
    "exp": [("x", NO_DEFAULT)],
    "log": [("x", NO_DEFAULT)],
    "pow": [("x", NO_DEFAULT), ("a", NO_DEFAULT)],
    "maximum": [("x", NO_DEFAULT), ("y", NO_DEFAULT)],
    "minimum": [("x", NO_DEFAULT), ("y", NO_DEFAULT)],
    "clip": [("x", NO_DEFAULT), ("min_value", NO_DEFAULT), ("max_value", NO_DEFAULT)],
    "sign": [("x", NO_DEFAULT)],
    "tanh": [("x", NO_DEFAULT)],
    "sigmoid": [("x", NO_DEFAULT)],
    "relu": [("x", NO_DEFAULT), ("alpha", 0.0), ("max_value", None)],
    "softmax": [("x", NO_DEFAULT)],
    "transpose": [("x", NO_DEFAULT)],
    "reshape": [("x", NO_DEFAULT), ("shape", NO_DEFAULT)],
    "cast": [("x", NO_DEFAULT), ("dtype", NO_DEFAULT)],
    "switch": [("condition", NO_DEFAULT), ("then_expression", NO_DEFAULT),
               ("else_expression", NO_DEFAULT)],
    "greater": [("x", NO_DEFAULT), ("y", NO_DEFAULT)],
    "greater_equal": [("x", NO_DEFAULT), ("y", NO_DEFAULT)],
    "less": [("x", NO_DEFAULT), ("y", NO_DEFAULT)],
    "equal": [("x", NO_DEFAULT), ("y", NO_DEFAULT)],
    "categorical_crossentropy": [("target", NO_DEFAULT), ("output", NO_DEFAULT),
                                 ("from_logits", False)],
    "binary_crossentropy": [("target", NO_DEFAULT), ("output", NO_DEFAULT),
                            ("from_logits", False)],
    "int_shape": [("x", NO_DEFAULT)],
    "ndim": [("x", NO_DEFAULT)],
    "dtype": [("x", NO_DEFAULT)],
    "gradients": [("loss", NO_DEFAULT), ("variables", NO_DEFAULT)],
    "update": [("x", NO_DEFAULT), ("new_x", NO_DEFAULT)],
    "update_add": [("x", NO_DEFAULT), ("increment", NO_DEFAULT)],
    "update_sub": [("x", NO_DEFAULT), ("decrement", NO_DEFAULT)],
    "function": [("inputs", NO_DEFAULT), ("outputs", NO_DEFAULT), ("updates", None),
                 ("name", None)],
}


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_backend_function_has_keras2_argument_names(name):
    from minigrad import backend as K

    fn = getattr(K, name)
    assert callable(fn)
    params = list(inspect.signature(fn).parameters.values())
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    expected = SIGNATURES[name]
    assert len(positional) >= len(expected), (name, params)
    for param, (want_name, want_default) in zip(positional, expected):
        assert param.name == want_name, (name, params)
        assert param.default == want_default or (param.default is want_default), (name, params)
    # Anything beyond the Keras 2 arguments must be optional (an extension).
    for param in positional[len(expected):]:
        assert param.default is not NO_DEFAULT, (name, params)


@pytest.mark.parametrize("name", ["get_value", "set_value", "batch_get_value", "batch_set_value",
                                  "eval", "epsilon", "set_epsilon", "floatx", "set_floatx"])
def test_values_and_configuration_functions_exist(name):
    from minigrad import backend as K
    assert callable(getattr(K, name))


def test_placeholder_variable_constant():
    from minigrad import backend as K

    x = K.placeholder(shape=(None, 3), name="x")
    assert K.int_shape(x) == (None, 3)
    assert K.ndim(x) == 2
    assert K.dtype(x) == "float32"
    assert K.int_shape(K.placeholder(ndim=2)) == (None, None)
    assert K.dtype(K.placeholder(shape=(2,), dtype="int32")) == "int32"

    v = K.variable(np.arange(6).reshape(2, 3), name="v")
    assert K.int_shape(v) == (2, 3) and K.dtype(v) == "float32"
    np.testing.assert_array_equal(K.get_value(v), np.arange(6).reshape(2, 3))
    assert isinstance(K.get_value(v), np.ndarray)
    assert K.dtype(K.variable([1, 2], dtype="int64")) == "int64"

    c = K.constant(3.0, shape=(2, 2))
    np.testing.assert_array_equal(K.eval(c), np.full((2, 2), 3.0))
    assert K.dtype(K.constant([1.0])) == "float32"
    assert K.dtype(K.constant([1.0], dtype="float64")) == "float64"


def test_variable_constraint_is_kept():
    from minigrad import backend as K
    clip = lambda p: K.clip(p, -1.0, 1.0)  # noqa: E731
    v = K.variable([3.0], constraint=clip)
    assert v.constraint is clip


def test_zeros_ones_and_likes_are_variables():
    from minigrad import backend as K

    x = K.variable(np.ones((2, 3)) * 7)
    made = {"zeros": K.zeros((2, 3)), "ones": K.ones((2, 3)),
            "zeros_like": K.zeros_like(x), "ones_like": K.ones_like(x)}
    for name, v in made.items():
        assert K.int_shape(v) == (2, 3), name
        expected = 0.0 if name.startswith("zeros") else 1.0
        np.testing.assert_array_equal(K.get_value(v), np.full((2, 3), expected))
        K.set_value(v, np.full((2, 3), 5.0))          # they are variables
        np.testing.assert_array_equal(K.get_value(v), np.full((2, 3), 5.0))


def test_operators_broadcast_and_accept_python_scalars():
    from minigrad import backend as K

    a_val = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.5]], "float32")
    b_val = np.array([2.0, 0.5, -1.0], "float32")
    a, b = K.variable(a_val), K.variable(b_val)
    cases = [
        (a + b, a_val + b_val), (a - b, a_val - b_val), (a * b, a_val * b_val),
        (a / b, a_val / b_val), (b ** 2, b_val ** 2), (-a, -a_val),
        (2 + a, 2 + a_val), (a + 2, a_val + 2), (2 - a, 2 - a_val), (a - 2, a_val - 2),
        (3 * a, 3 * a_val), (a * 3, a_val * 3), (1 / b, 1 / b_val), (b / 4, b_val / 4),
        (2 ** b, 2 ** b_val), (b ** 3, b_val ** 3),
        (a @ K.reshape(b, (3, 1)), a_val @ b_val.reshape(3, 1)),
    ]
    for tensor, expected in cases:
        np.testing.assert_allclose(K.eval(tensor), expected, rtol=1e-6)


def test_keras2_ops_compute_keras2_values():
    from minigrad import backend as K

    x_val = np.array([[1.0, -2.0, 3.0], [-0.5, 4.0, 0.25]], "float32")
    x = K.variable(x_val)
    y_val = np.array([[0.5, 1.0, -1.0], [2.0, -3.0, 0.5]], "float32")
    y = K.variable(y_val)
    pos = K.abs(x) + 1
    pos_val = np.abs(x_val) + 1
    checks = [
        (K.dot(x, K.transpose(y)), x_val @ y_val.T),
        (K.sum(x), x_val.sum()),
        (K.sum(x, axis=1), x_val.sum(axis=1)),
        (K.sum(x, axis=0, keepdims=True), x_val.sum(axis=0, keepdims=True)),
        (K.mean(x), x_val.mean()),
        (K.mean(x, axis=-1, keepdims=True), x_val.mean(axis=-1, keepdims=True)),
        (K.square(x), x_val ** 2), (K.sqrt(pos), np.sqrt(pos_val)), (K.abs(x), np.abs(x_val)),
        (K.exp(x), np.exp(x_val)), (K.log(pos), np.log(pos_val)), (K.pow(x, 3), x_val ** 3),
        (K.maximum(x, y), np.maximum(x_val, y_val)), (K.minimum(x, y), np.minimum(x_val, y_val)),
        (K.clip(x, -1.0, 2.0), np.clip(x_val, -1.0, 2.0)), (K.sign(x), np.sign(x_val)),
        (K.tanh(x), np.tanh(x_val)), (K.sigmoid(x), 1 / (1 + np.exp(-x_val))),
        (K.relu(x), np.maximum(x_val, 0)),
        (K.relu(x, alpha=0.1), np.where(x_val > 0, x_val, 0.1 * x_val)),
        (K.relu(x, max_value=2.0), np.clip(x_val, 0, 2.0)),
        (K.softmax(x), np.exp(x_val) / np.exp(x_val).sum(-1, keepdims=True)),
        (K.transpose(x), x_val.T), (K.reshape(x, (3, 2)), x_val.reshape(3, 2)),
        (K.switch(K.greater(x, y), x, y), np.where(x_val > y_val, x_val, y_val)),
        (K.greater(x, y), x_val > y_val), (K.greater_equal(x, x), np.ones((2, 3), bool)),
        (K.less(x, y), x_val < y_val), (K.equal(x, y), x_val == y_val),
    ]
    for tensor, expected in checks:
        np.testing.assert_allclose(K.eval(tensor), expected, rtol=1e-5, atol=1e-6)
    assert K.dtype(K.cast(x, "int32")) == "int32"
    np.testing.assert_array_equal(K.eval(K.cast(x, "int32")), x_val.astype("int32"))
    assert K.int_shape(K.dot(K.placeholder(shape=(None, 3)), K.transpose(y))) == (None, 2)
    assert K.int_shape(K.sum(x, axis=0)) == (3,)
    assert K.ndim(K.sum(x)) == 0


def test_crossentropies_follow_keras2():
    from minigrad import backend as K

    eps = K.epsilon()
    target = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], "float32")
    output = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.3]], "float32")     # second row sums to 1.2
    norm = output / output.sum(-1, keepdims=True)
    expected = -(target * np.log(np.clip(norm, eps, 1 - eps))).sum(-1)
    got = K.eval(K.categorical_crossentropy(K.constant(target), K.constant(output)))
    np.testing.assert_allclose(got, expected, rtol=1e-5)

    logits = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0]], "float32")
    log_softmax = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    got = K.eval(K.categorical_crossentropy(K.constant(target), K.constant(logits),
                                            from_logits=True))
    np.testing.assert_allclose(got, -(target * log_softmax).sum(-1), rtol=1e-5)

    t = np.array([[0.0, 1.0, 1.0]], "float32")
    p = np.array([[0.2, 0.6, 1.0]], "float32")
    pc = np.clip(p, eps, 1 - eps)
    got = K.eval(K.binary_crossentropy(K.constant(t), K.constant(p)))
    np.testing.assert_allclose(got, -(t * np.log(pc) + (1 - t) * np.log(1 - pc)), rtol=1e-4)
    z = np.array([[0.2, -0.6, 3.0]], "float32")
    got = K.eval(K.binary_crossentropy(K.constant(t), K.constant(z), from_logits=True))
    sig = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(got, -(t * np.log(sig) + (1 - t) * np.log(1 - sig)), rtol=1e-5)


def test_nothing_runs_until_an_executor_is_called():
    from minigrad import backend as K

    v = K.variable([1.0, 2.0])
    K.update(v, v * 10)                     # building an update assigns nothing
    K.update_add(v, K.constant([1.0, 1.0]))
    np.testing.assert_array_equal(K.get_value(v), [1.0, 2.0])


def test_dot_shape_mismatch_is_a_valueerror_at_build_naming_both_shapes():
    from minigrad import backend as K

    a = K.variable(np.ones((3, 2)))
    b = K.variable(np.ones((3, 1)))
    with pytest.raises(ValueError) as info:
        K.dot(a, b)
    message = str(info.value)
    assert "(3, 2)" in message and "(3, 1)" in message
    # Also with a free dimension: the known inner dimensions are checked.
    x = K.placeholder(shape=(None, 3))
    with pytest.raises(ValueError):
        K.dot(x, K.variable(np.ones((2, 1))))


# ======================================================================
# Differentiation

def test_gradients_are_symbolic_and_differentiable_again():
    from minigrad import backend as K

    w = K.variable([1.0, -2.0, 3.0])
    grads = K.gradients(K.sum(w ** 3), [w])
    assert isinstance(grads, list) and len(grads) == 1
    g = grads[0]
    assert isinstance(g, type(w * 1.0)) or hasattr(g, "shape")
    assert K.int_shape(g) == (3,)
    np.testing.assert_allclose(K.eval(g), 3 * np.array([1.0, 4.0, 9.0]))
    # Evaluated like any tensor, e.g. in a function
    np.testing.assert_allclose(K.function([], [g])([])[0], [3.0, 12.0, 27.0])
    (h,) = K.gradients(K.sum(g), [w])
    np.testing.assert_allclose(K.eval(h), 6 * np.array([1.0, -2.0, 3.0]))


def test_gradient_of_unconnected_variable_is_none():
    from minigrad import backend as K

    w, u = K.variable([1.0, 2.0]), K.variable([5.0])
    g_w, g_u = K.gradients(K.sum(K.square(w)), [w, u])
    np.testing.assert_allclose(K.eval(g_w), [2.0, 4.0])
    assert g_u is None


def test_gradient_of_non_scalar_loss_raises():
    from minigrad import backend as K

    w = K.variable([1.0, 2.0])
    with pytest.raises(ValueError):
        K.gradients(K.square(w), [w])
    with pytest.raises(ValueError):
        K.gradients(K.sum(K.square(w), axis=0, keepdims=True), [w])   # shape (1,)
    x = K.placeholder(shape=(None, 3))
    with pytest.raises(ValueError):
        K.gradients(K.sum(x, axis=1), [x])                             # shape (None,)


def _none_or_zero(K, g):
    return g is None or np.all(K.eval(g) == 0)


def test_ops_without_gradient_give_none_or_zero():
    from minigrad import backend as K

    w = K.variable([1.5, -2.5, 3.5])
    assert _none_or_zero(K, K.gradients(K.sum(K.sign(w)), [w])[0])
    for comparison in (K.greater, K.greater_equal, K.less, K.equal):
        loss = K.sum(K.cast(comparison(w, 0.0), "float32"))
        assert _none_or_zero(K, K.gradients(loss, [w])[0]), comparison
    as_int = K.sum(K.cast(K.cast(w, "int32"), "float32"))
    assert _none_or_zero(K, K.gradients(as_int, [w])[0])
    # ... and they never corrupt a gradient that flows along another path
    (g,) = K.gradients(K.sum(w * K.sign(w)), [w])
    np.testing.assert_allclose(K.eval(g), [1.0, -1.0, 1.0])
    (g,) = K.gradients(K.sum(w * K.cast(K.cast(w, "int32"), "float32")), [w])
    np.testing.assert_allclose(K.eval(g), [1.0, -2.0, 3.0])
    (g,) = K.gradients(K.sum(K.switch(K.greater(w, 0.0), K.square(w), -w)), [w])
    np.testing.assert_allclose(K.eval(g), [3.0, -1.0, 7.0])


# ======================================================================
# Updates and the executor

def test_update_update_add_update_sub():
    from minigrad import backend as K

    a, b, c = K.variable([1.0, 2.0]), K.variable([10.0]), K.variable([10.0])
    f = K.function([], [], updates=[K.update(a, a * 3), K.update_add(b, K.constant([2.5])),
                                    K.update_sub(c, K.constant([4.0]))])
    assert f([]) == []
    np.testing.assert_allclose(K.get_value(a), [3.0, 6.0])
    np.testing.assert_allclose(K.get_value(b), [12.5])
    np.testing.assert_allclose(K.get_value(c), [6.0])


def test_function_feeds_inputs_in_order_and_returns_numpy_list():
    from minigrad import backend as K

    x = K.placeholder(shape=(None,), name="x")
    y = K.placeholder(shape=(None,), name="y")
    f = K.function([x, y], [x - y, K.sum(x * y)], name="f")
    out = f([np.array([5.0, 7.0]), np.array([1.0, 2.0])])
    assert isinstance(out, list) and len(out) == 2
    assert all(isinstance(o, np.ndarray) for o in out)
    np.testing.assert_allclose(out[0], [4.0, 5.0])
    np.testing.assert_allclose(out[1], 19.0)


def test_outputs_and_updates_read_values_from_before_the_call():
    from minigrad import backend as K

    v = K.variable([1.0], name="v")
    u = K.variable([0.0], name="u")
    f = K.function([], [v * 10], updates=[K.update(v, v + 1), K.update(u, v * 2)])
    (out,) = f([])
    np.testing.assert_allclose(out, [10.0])            # old v
    np.testing.assert_allclose(K.get_value(u), [2.0])  # from old v, not new
    np.testing.assert_allclose(K.get_value(v), [2.0])
    # swapping two variables in one call works, because both read the old values
    a, b = K.variable([1.0]), K.variable([2.0])
    K.function([], [], updates=[K.update(a, b), K.update(b, a)])([])
    assert K.get_value(a)[0] == 2.0 and K.get_value(b)[0] == 1.0


def test_optimizer_iterations_read_in_a_step_is_the_pre_step_count():
    from minigrad import backend as K, optimizers

    w = K.variable([1.0])
    opt = optimizers.SGD(lr=0.1)
    step = K.function([], [opt.iterations], updates=opt.get_updates(K.sum(K.square(w)), [w]))
    assert [int(step([])[0]) for _ in range(3)] == [0, 1, 2]
    assert int(K.get_value(opt.iterations)) == 3


def _feed_setup(K):
    x = K.placeholder(shape=(None, 2), name="features")
    m = K.placeholder(ndim=1, name="mask")
    v = K.variable([1.0, 2.0], name="v")
    w = K.variable([3.0], name="w")
    f = K.function([x, m], [K.sum(x * v) + K.sum(m)],
                   updates=[K.update(v, v + K.sum(x, axis=0)), K.update_add(w, K.sum(m) + 0 * w)])
    return x, m, v, w, f


def test_bad_feeds_raise_valueerror_naming_the_placeholder_and_change_nothing():
    from minigrad import backend as K

    x, m, v, w, f = _feed_setup(K)
    good_m = np.array([1.0, 1.0])
    bad = {
        "features": [([np.ones(2), good_m]),           # wrong rank
                     ([np.ones((4, 3)), good_m]),      # wrong known dimension
                     ([np.ones((1, 2, 2)), good_m])],  # wrong rank
        "mask": [([np.ones((1, 2)), np.ones((2, 2))]),  # ndim=1 placeholder fed a matrix
                 ([np.ones((1, 2)), np.float32(1.0)])],
    }
    for name, feeds_list in bad.items():
        for feeds in feeds_list:
            with pytest.raises(ValueError) as info:
                f(feeds)
            assert name in str(info.value), (name, str(info.value))
            np.testing.assert_array_equal(K.get_value(v), [1.0, 2.0])
            np.testing.assert_array_equal(K.get_value(w), [3.0])
    # A good call still works afterwards
    (out,) = f([np.ones((1, 2)), good_m])
    np.testing.assert_allclose(out, 5.0)
    np.testing.assert_allclose(K.get_value(v), [2.0, 3.0])
    np.testing.assert_allclose(K.get_value(w), [5.0])


def test_placeholder_needed_but_not_fed_raises_valueerror_naming_it():
    from minigrad import backend as K

    x = K.placeholder(shape=(2,), name="lonely_input")
    v = K.variable([1.0, 2.0], name="v")
    f = K.function([], [K.sum(v)], updates=[K.update(v, v + x)])
    with pytest.raises(ValueError) as info:
        f([])
    assert "lonely_input" in str(info.value)
    np.testing.assert_array_equal(K.get_value(v), [1.0, 2.0])
    # and as an input left out of the fed list
    y = K.placeholder(shape=(2,), name="second_input")
    g = K.function([x, y], [K.sum(x + y)], updates=[K.update(v, v + x + y)])
    with pytest.raises(ValueError) as info:
        g([np.ones(2)])
    assert "second_input" in str(info.value)
    np.testing.assert_array_equal(K.get_value(v), [1.0, 2.0])


def test_two_updates_of_one_variable_raise_when_the_function_is_built():
    from minigrad import backend as K

    v = K.variable([1.0], name="twice")
    with pytest.raises(ValueError):
        K.function([], [], updates=[K.update(v, v + 1), K.update_add(v, K.constant([1.0]))])
    np.testing.assert_array_equal(K.get_value(v), [1.0])
    from minigrad import optimizers
    w = K.variable([1.0, 2.0], name="param")
    updates = optimizers.SGD().get_updates(K.sum(K.square(w)), [w])
    with pytest.raises(ValueError):
        K.function([], [], updates=updates + [K.update(w, w * 0)])


def test_shapes_ranks_and_dtypes_are_python_values():
    from minigrad import backend as K

    x = K.placeholder(shape=(None, 3))
    assert type(K.int_shape(x)) is tuple and type(K.ndim(x)) is int and type(K.dtype(x)) is str


# ----------------------------------------------------------------------
# Values and configuration

def test_get_set_batch_values_and_eval():
    from minigrad import backend as K

    a, b = K.variable([1.0, 2.0]), K.variable(np.zeros((2, 2)))
    K.set_value(a, np.array([5.0, 6.0]))
    np.testing.assert_array_equal(K.get_value(a), [5.0, 6.0])
    K.batch_set_value([(a, np.array([7.0, 8.0])), (b, np.eye(2))])
    got = K.batch_get_value([a, b])
    assert isinstance(got, list) and len(got) == 2
    np.testing.assert_array_equal(got[0], [7.0, 8.0])
    np.testing.assert_array_equal(got[1], np.eye(2))
    out = K.eval(K.sum(a * 2) + K.constant(1.0))
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, 31.0)
    assert K.dtype(a) == "float32" and K.get_value(a).dtype == np.float32


def test_epsilon_and_set_epsilon():
    from minigrad import backend as K

    assert K.epsilon() == 1e-7
    K.set_epsilon(1e-5)
    assert K.epsilon() == 1e-5


def test_floatx_and_set_floatx():
    from minigrad import backend as K

    assert K.floatx() == "float32"
    assert K.dtype(K.variable(1.0)) == "float32"
    K.set_floatx("float64")
    assert K.floatx() == "float64"
    assert K.dtype(K.variable(1.0)) == "float64"
    assert K.dtype(K.constant(1.0)) == "float64"
    assert K.dtype(K.placeholder(shape=(2,))) == "float64"
    assert K.get_value(K.variable([1.0])).dtype == np.float64
    assert K.eval(K.constant(0.1)) == 0.1                      # exact in float64


# ======================================================================
# Optimizers

DEFAULTS = {
    "SGD": {"lr": 0.01, "momentum": 0.0, "decay": 0.0, "nesterov": False},
    "RMSprop": {"lr": 0.001, "rho": 0.9, "epsilon": 1e-7, "decay": 0.0},
    "Adagrad": {"lr": 0.01, "epsilon": 1e-7, "decay": 0.0},
    "Adadelta": {"lr": 1.0, "rho": 0.95, "epsilon": 1e-7, "decay": 0.0},
    "Adam": {"lr": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "decay": 0.0,
             "amsgrad": False},
    "Adamax": {"lr": 0.002, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "decay": 0.0},
    "Nadam": {"lr": 0.002, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
              "schedule_decay": 0.004},
}

#: The constructor signatures of the contract (epsilon=None in the signature).
CONSTRUCTORS = {
    "SGD": [("lr", 0.01), ("momentum", 0.0), ("decay", 0.0), ("nesterov", False)],
    "RMSprop": [("lr", 0.001), ("rho", 0.9), ("epsilon", None), ("decay", 0.0)],
    "Adagrad": [("lr", 0.01), ("epsilon", None), ("decay", 0.0)],
    "Adadelta": [("lr", 1.0), ("rho", 0.95), ("epsilon", None), ("decay", 0.0)],
    "Adam": [("lr", 0.001), ("beta_1", 0.9), ("beta_2", 0.999), ("epsilon", None),
             ("decay", 0.0), ("amsgrad", False)],
    "Adamax": [("lr", 0.002), ("beta_1", 0.9), ("beta_2", 0.999), ("epsilon", None),
               ("decay", 0.0)],
    "Nadam": [("lr", 0.002), ("beta_1", 0.9), ("beta_2", 0.999), ("epsilon", None),
              ("schedule_decay", 0.004)],
}

OPTIMIZER_NAMES = sorted(DEFAULTS)


def _opt(name, **kwargs):
    from minigrad import optimizers
    return getattr(optimizers, name)(**kwargs)


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_optimizer_signature_is_keras22(name):
    from minigrad import optimizers

    params = list(inspect.signature(getattr(optimizers, name)).parameters.values())
    named = [p for p in params if p.kind == p.POSITIONAL_OR_KEYWORD]
    assert [(p.name, p.default) for p in named] == CONSTRUCTORS[name]
    assert any(p.kind == p.VAR_KEYWORD for p in params)


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_optimizer_defaults_via_get_config(name):
    config_ = _opt(name).get_config()
    assert config_ == DEFAULTS[name]
    for key, value in config_.items():
        assert type(value) in (float, int, bool), (key, type(value))
    assert isinstance(config_["lr"], float)


def test_epsilon_none_means_k_epsilon_at_construction_time():
    from minigrad import backend as K

    before = _opt("Adam")
    K.set_epsilon(1e-3)
    made = {name: _opt(name) for name in OPTIMIZER_NAMES if "epsilon" in DEFAULTS[name]}
    K.set_epsilon(1e-7)
    for name, opt in made.items():
        assert opt.get_config()["epsilon"] == 1e-3, name
    assert before.get_config()["epsilon"] == 1e-7
    # and it is that epsilon which the step uses: Adagrad's first step is lr*g/(|g| + eps)
    K.set_epsilon(0.5)
    opt = _opt("Adagrad", lr=1.0)
    K.set_epsilon(1e-7)
    w = K.variable([1.0])
    K.function([], [], updates=opt.get_updates(K.sum(w * 2.0), [w]))([])
    np.testing.assert_allclose(K.get_value(w), [1.0 - 2.0 / (2.0 + 0.5)], rtol=1e-6)


def test_clipnorm_clips_each_gradient_against_the_global_norm():
    from minigrad import backend as K

    a, b = K.variable([3.0, 0.0]), K.variable([4.0])
    loss = (K.sum(K.square(a)) + K.sum(K.square(b))) / 2          # gradients a, b; norm 5
    for c, factor in [(1.0, 1 / 5), (2.5, 2.5 / 5), (5.0, 1.0), (10.0, 1.0)]:
        g_a, g_b = _opt("SGD", clipnorm=c).get_gradients(loss, [a, b])
        np.testing.assert_allclose(K.eval(g_a), np.array([3.0, 0.0]) * factor, rtol=1e-6)
        np.testing.assert_allclose(K.eval(g_b), np.array([4.0]) * factor, rtol=1e-6)
    # and through a step: SGD(lr=1, clipnorm=1) moves by the unit vector
    opt = _opt("SGD", lr=1.0, clipnorm=1.0)
    K.function([], [], updates=opt.get_updates(loss, [a, b]))([])
    np.testing.assert_allclose(K.get_value(a), [3.0 - 0.6, 0.0], rtol=1e-6)
    np.testing.assert_allclose(K.get_value(b), [4.0 - 0.8], rtol=1e-6)


def test_clipvalue_clips_each_entry():
    from minigrad import backend as K

    w = K.variable([3.0, -0.2, -5.0])
    (g,) = _opt("SGD", clipvalue=0.5).get_gradients(K.sum(K.square(w)) / 2, [w])
    np.testing.assert_allclose(K.eval(g), [0.5, -0.2, -0.5], rtol=1e-6)
    # both: norm first, then value
    v = K.variable([30.0, 40.0])
    (g,) = _opt("SGD", clipnorm=5.0, clipvalue=3.5).get_gradients(K.sum(K.square(v)) / 2, [v])
    np.testing.assert_allclose(K.eval(g), [3.0, 3.5], rtol=1e-6)


def test_clip_settings_appear_in_config_only_when_given():
    for name in OPTIMIZER_NAMES:
        assert "clipnorm" not in _opt(name).get_config()
        assert "clipvalue" not in _opt(name).get_config()
        cfg = _opt(name, clipnorm=1.5, clipvalue=0.25).get_config()
        assert cfg["clipnorm"] == 1.5 and cfg["clipvalue"] == 0.25


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_learning_rate_is_an_alias_of_lr(name):
    from minigrad import backend as K

    opt = _opt(name, learning_rate=0.125)
    assert opt.get_config()["lr"] == 0.125
    assert float(K.get_value(opt.lr)) == 0.125


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_unknown_keyword_raises_typeerror(name):
    with pytest.raises(TypeError):
        _opt(name, momentumm=0.9)
    with pytest.raises(TypeError):
        _opt(name, clip_norm=1.0)


OUT_OF_RANGE = [
    (name, arg, value)
    for name in OPTIMIZER_NAMES
    for arg, value in [("lr", -0.5)]
    + ([("beta_1", 1.0), ("beta_1", -0.25), ("beta_2", 1.5), ("beta_2", -0.125)]
       if "beta_1" in DEFAULTS[name] else [])
    + ([("epsilon", -0.001)] if "epsilon" in DEFAULTS[name] else [])
    + ([("decay", -0.75)] if "decay" in DEFAULTS[name] else [])
    + ([("rho", 1.0), ("rho", -0.375)] if "rho" in DEFAULTS[name] else [])
    + [("clipnorm", -2.0), ("clipvalue", -3.0)]
]


@pytest.mark.parametrize("name,arg,value", OUT_OF_RANGE)
def test_out_of_range_hyperparameter_raises_valueerror_naming_it(name, arg, value):
    with pytest.raises(ValueError) as info:
        _opt(name, **{arg: value})
    message = str(info.value)
    assert arg in message, message
    assert repr(value) in message or str(value) in message, message


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_boundary_values_are_accepted(name):
    kwargs = {"lr": 0.0}
    for key in ("beta_1", "beta_2", "rho"):
        if key in DEFAULTS[name]:
            kwargs[key] = 0.0
    if "epsilon" in DEFAULTS[name]:
        kwargs["epsilon"] = 0.0
    if "decay" in DEFAULTS[name]:
        kwargs["decay"] = 0.0
    _opt(name, clipnorm=0.0, clipvalue=0.0, **kwargs)


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_iterations_is_int64_variable_counting_steps(name):
    from minigrad import backend as K

    opt = _opt(name)
    assert K.dtype(opt.iterations) == "int64"
    assert K.get_value(opt.iterations).dtype == np.int64
    assert int(K.get_value(opt.iterations)) == 0
    w = K.variable([1.0, -1.0])
    step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))
    for _ in range(3):
        step([])
    assert int(K.get_value(opt.iterations)) == 3
    assert K.get_value(opt.iterations).dtype == np.int64


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_set_value_of_lr_changes_an_already_compiled_function(name):
    from minigrad import backend as K

    w = K.variable([1.0, -2.0])
    opt = _opt(name, lr=0.01)
    step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))
    K.set_value(opt.lr, 0.0)
    step([])
    np.testing.assert_array_equal(K.get_value(w), [1.0, -2.0])     # lr 0: no move
    K.set_value(opt.lr, 0.1)
    step([])
    assert not np.allclose(K.get_value(w), [1.0, -2.0])
    np.testing.assert_allclose(float(K.get_value(opt.lr)), 0.1, rtol=1e-6)


KERAS_VARIABLES = {"SGD": ["lr", "momentum", "decay"], "RMSprop": ["lr", "decay"],
                   "Adagrad": ["lr", "decay"], "Adadelta": ["lr", "decay"],
                   "Adam": ["lr", "beta_1", "beta_2", "decay"],
                   "Adamax": ["lr", "beta_1", "beta_2", "decay"],
                   "Nadam": ["lr", "beta_1", "beta_2"]}


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_hyperparameters_keras_keeps_as_variables_are_variables(name):
    from minigrad import backend as K

    opt = _opt(name)
    for attr in KERAS_VARIABLES[name]:
        value = K.get_value(getattr(opt, attr))
        np.testing.assert_allclose(value, DEFAULTS[name][attr], rtol=1e-6)


def test_set_value_of_momentum_and_beta_changes_compiled_step(float64):
    from minigrad import backend as K
    w = K.variable([1.0])
    sgd = _opt("SGD", lr=0.1)
    step = K.function([], [], updates=sgd.get_updates(K.sum(w), [w]))          # g = 1
    step([])                                                                 # v = -0.1
    K.set_value(sgd.momentum, 0.5)
    step([])                                                                 # v = -0.05 - 0.1
    np.testing.assert_allclose(K.get_value(w), [1.0 - 0.1 - 0.15], rtol=1e-12)

    u = K.variable([0.0])
    s = K.placeholder(shape=(1,))
    adam = _opt("Adam", lr=0.1, epsilon=0.0)
    K.set_value(adam.beta_1, 0.0)
    K.set_value(adam.beta_2, 0.0)
    step = K.function([s], [], updates=adam.get_updates(K.sum(u * s), [u]))
    step([np.array([4.0])])                        # beta 0: a step of lr * sign(g)
    step([np.array([-0.25])])
    np.testing.assert_allclose(K.get_value(u), [0.0], atol=1e-12)


def test_set_value_of_lr_sgd_numbers():
    from minigrad import backend as K

    w = K.variable([1.0])
    opt = _opt("SGD", lr=0.01)
    step = K.function([], [], updates=opt.get_updates(K.sum(w * 2.0), [w]))   # g = 2
    step([])
    np.testing.assert_allclose(K.get_value(w), [0.98], rtol=1e-6)
    K.set_value(opt.lr, 0.1)
    step([])
    np.testing.assert_allclose(K.get_value(w), [0.78], rtol=1e-6)


def test_decay_uses_the_pre_step_iteration_count(float64):
    from minigrad import backend as K
    w = K.variable([0.0])
    opt = _opt("SGD", lr=0.1, decay=0.5)
    step = K.function([], [], updates=opt.get_updates(K.sum(w), [w]))          # g = 1
    expected = 0.0
    for k in range(4):
        step([])
        expected -= 0.1 / (1 + 0.5 * k)
        np.testing.assert_allclose(K.get_value(w), [expected], rtol=1e-12)


def test_decay_in_adam_uses_pre_step_count_too(float64):
    from minigrad import backend as K
    w = K.variable([1.0])
    opt = _opt("Adam", lr=0.1, decay=1.0, epsilon=0.0)
    step = K.function([], [], updates=opt.get_updates(K.sum(w * 3.0), [w]))   # g = 3 constant
    # constant g: m_t/sqrt(v_t) = sqrt(1-b2^t)^-1 (1-b1^t) ... so the step is exactly lr_k
    expected = 1.0
    for k in range(3):
        step([])
        expected -= 0.1 / (1 + 1.0 * k)
        np.testing.assert_allclose(K.get_value(w), [expected], rtol=1e-12)


def test_adam_first_two_steps_by_hand(float64):
    from minigrad import backend as K
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-3
    w0 = np.array([1.0, -2.0])
    w = K.variable(w0)
    opt = _opt("Adam", lr=lr, beta_1=b1, beta_2=b2, epsilon=eps)
    step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))

    p, m, v = w0.copy(), np.zeros(2), np.zeros(2)
    for t in (1, 2):                       # t = iterations + 1
        g = 2 * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        lr_t = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        p = p - lr_t * m / (np.sqrt(v) + eps)
        step([])
        np.testing.assert_allclose(K.get_value(w), p, rtol=1e-12)
    assert opt.weights[0] is opt.iterations and int(K.get_value(opt.iterations)) == 2
    got = opt.get_weights()
    np.testing.assert_allclose(got[1], m, rtol=1e-12)        # ms then vs
    np.testing.assert_allclose(got[2], v, rtol=1e-12)


def test_amsgrad_uses_the_running_max_of_v(float64):
    from minigrad import backend as K
    lr, b1, b2, eps = 0.1, 0.5, 0.5, 1e-8
    s = K.placeholder(shape=(1,), name="slope")
    w_ams, w_adam = K.variable([0.0]), K.variable([0.0])
    ams = _opt("Adam", lr=lr, beta_1=b1, beta_2=b2, epsilon=eps, amsgrad=True)
    adam = _opt("Adam", lr=lr, beta_1=b1, beta_2=b2, epsilon=eps)
    step_ams = K.function([s], [], updates=ams.get_updates(K.sum(w_ams * s), [w_ams]))
    step_adam = K.function([s], [], updates=adam.get_updates(K.sum(w_adam * s), [w_adam]))
    assert len(ams.weights) == 1 + 3 * 1                      # iterations, m, v, vhat
    assert ams.get_config()["amsgrad"] is True

    p_ams = p_adam = 0.0
    m = v = vhat = 0.0
    for t, g in enumerate([10.0, 1.0, 0.5], start=1):        # v shrinks after step 1
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vhat = max(vhat, v)
        lr_t = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        p_ams -= lr_t * m / (math.sqrt(vhat) + eps)
        p_adam -= lr_t * m / (math.sqrt(v) + eps)
        step_ams([np.array([g])])
        step_adam([np.array([g])])
        np.testing.assert_allclose(K.get_value(w_ams), [p_ams], rtol=1e-12)
        np.testing.assert_allclose(K.get_value(w_adam), [p_adam], rtol=1e-12)
    assert vhat == 50.0 and v < vhat
    np.testing.assert_allclose(ams.get_weights()[3], [vhat], rtol=1e-12)
    assert abs(p_ams - p_adam) > 1e-3


def test_get_gradients_raises_valueerror_on_none():
    from minigrad import backend as K

    w, u = K.variable([1.0, 2.0], name="w"), K.variable([1.0], name="unused")
    for name in OPTIMIZER_NAMES:
        opt = _opt(name)
        grads = opt.get_gradients(K.sum(K.square(w)), [w])
        np.testing.assert_allclose(K.eval(grads[0]), [2.0, 4.0])
        with pytest.raises(ValueError):
            opt.get_gradients(K.sum(K.square(w)), [w, u])
        with pytest.raises(ValueError):
            opt.get_updates(K.sum(K.square(w)), [w, u])


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_get_updates_sets_weights_iterations_first_and_updates(name):
    from minigrad import backend as K

    w, b = K.variable([1.0, -2.0], name="w"), K.variable([0.5], name="b")
    opt = _opt(name)
    assert opt.get_weights() == [] or len(opt.get_weights()) == 0
    updates = opt.get_updates(K.sum(K.square(w)) + K.sum(K.square(b)), [w, b])
    assert isinstance(updates, list) and len(updates) >= 3
    assert opt.updates is updates or list(opt.updates) == list(updates)
    assert opt.weights[0] is opt.iterations
    assert len(opt.weights) >= 1 + 2 if name != "SGD" else len(opt.weights) >= 1
    updated = [u.variable if hasattr(u, "variable") else u[0] for u in updates]
    assert updated[0] is opt.iterations                               # increment first
    assert any(v is w for v in updated) and any(v is b for v in updated)
    for slot in opt.weights[1:]:
        assert any(v is slot for v in updated)
    weights = opt.get_weights()
    assert isinstance(weights, list) and all(isinstance(a, np.ndarray) for a in weights)
    assert weights[0] == 0


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_get_updates_applies_the_parameter_constraint(name):
    from minigrad import backend as K

    w = K.variable([0.5, -0.5], constraint=lambda p: K.clip(p, -0.25, 0.25))
    opt = _opt(name, lr=0.01)
    K.function([], [], updates=opt.get_updates(K.sum(K.square(w - 3.0)), [w]))([])
    assert np.all(np.abs(K.get_value(w)) <= 0.25 + 1e-7)
    np.testing.assert_allclose(K.get_value(w), [0.25, -0.25], rtol=1e-6)


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_get_weights_set_weights_round_trip_and_errors(name):
    from minigrad import backend as K

    w = K.variable([1.0, -2.0, 0.5])
    loss = K.sum(K.square(w))
    fresh = _opt(name)
    with pytest.raises(ValueError):
        fresh.set_weights([np.array(0, "int64"), np.zeros(3)])   # before get_updates

    opt = _opt(name)
    step = K.function([], [], updates=opt.get_updates(loss, [w]))
    step([]); step([])
    saved = opt.get_weights()
    step([])
    opt.set_weights(saved)
    for got, want in zip(opt.get_weights(), saved):
        np.testing.assert_array_equal(got, want)
    assert int(K.get_value(opt.iterations)) == 2

    with pytest.raises(ValueError):
        opt.set_weights(saved[:-1])                                  # count
    with pytest.raises(ValueError):
        opt.set_weights(saved + [np.zeros(3)])                       # count
    wrong_shape = list(saved)
    wrong_shape[-1] = np.zeros(4)
    with pytest.raises(ValueError):
        opt.set_weights(wrong_shape)                                 # shape


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_get_config_and_from_config(name):
    from minigrad import optimizers

    cls = getattr(optimizers, name)
    opt = cls(lr=0.0625, clipnorm=2.0, clipvalue=0.5)
    cfg = opt.get_config()
    assert type(cfg) is dict
    assert set(DEFAULTS[name]) | {"clipnorm", "clipvalue"} == set(cfg)
    for key, value in cfg.items():
        assert type(value) in (float, int, bool), (key, type(value))
    rebuilt = cls.from_config(cfg)
    assert type(rebuilt) is cls and rebuilt is not opt
    assert rebuilt.get_config() == cfg


def test_adam_config_keys_are_keras2s():
    cfg = _opt("Adam", amsgrad=True).get_config()
    assert set(cfg) == {"lr", "beta_1", "beta_2", "decay", "epsilon", "amsgrad"}
    assert cfg["amsgrad"] is True
    assert cfg["lr"] == 0.001 and cfg["beta_2"] == 0.999      # plain Python, not float32 noise


KERAS_NAMES = {"sgd": "SGD", "rmsprop": "RMSprop", "adagrad": "Adagrad",
               "adadelta": "Adadelta", "adam": "Adam", "adamax": "Adamax", "nadam": "Nadam"}


@pytest.mark.parametrize("keras_name", sorted(KERAS_NAMES))
def test_optimizers_get_by_name_case_insensitive(keras_name):
    from minigrad import optimizers

    cls = getattr(optimizers, KERAS_NAMES[keras_name])
    for spelling in (keras_name, keras_name.upper(), KERAS_NAMES[keras_name],
                     keras_name.capitalize()):
        opt = optimizers.get(spelling)
        assert type(opt) is cls, spelling
        assert opt.get_config() == DEFAULTS[KERAS_NAMES[keras_name]]


def test_optimizers_get_dict_instance_and_unknown():
    from minigrad import optimizers

    opt = optimizers.get({"class_name": "Adam", "config": {"lr": 0.5, "beta_1": 0.75}})
    assert type(opt) is optimizers.Adam
    assert opt.get_config()["lr"] == 0.5 and opt.get_config()["beta_1"] == 0.75
    sgd = optimizers.SGD(lr=0.3)
    assert optimizers.get(sgd) is sgd
    with pytest.raises(ValueError):
        optimizers.get("not_an_optimizer")
    with pytest.raises(ValueError):
        optimizers.deserialize({"class_name": "NoSuchThing", "config": {}})


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_serialize_deserialize_round_trip(name):
    from minigrad import optimizers

    opt = _opt(name, lr=0.25, clipnorm=1.0)
    d = optimizers.serialize(opt)
    assert d == {"class_name": name, "config": opt.get_config()}
    back = optimizers.deserialize(d)
    assert type(back) is type(opt) and back is not opt
    assert back.get_config() == opt.get_config()
    assert optimizers.get(d).get_config() == opt.get_config()


# ----------------------------------------------------------------------
# Numerically the Keras 2.2 formulas: float64 trajectories against NumPy

def _keras22_reference(name, cfg, p0, grad_fn, steps):
    """The Keras 2.2 update rules, written out in NumPy (float64)."""
    p = np.array(p0, dtype=np.float64)
    zeros = np.zeros_like(p)
    s1, s2, s3 = zeros.copy(), zeros.copy(), zeros.copy()
    m_schedule = 1.0
    eps = cfg.get("epsilon", 0.0)
    path = []
    for it in range(steps):
        g = grad_fn(p)
        lr = cfg["lr"]
        if cfg.get("decay", 0.0) > 0:
            lr = lr * (1.0 / (1.0 + cfg["decay"] * it))
        t = it + 1.0
        if name == "SGD":
            v = cfg["momentum"] * s1 - lr * g
            s1 = v
            p = p + cfg["momentum"] * v - lr * g if cfg["nesterov"] else p + v
        elif name == "RMSprop":
            s1 = cfg["rho"] * s1 + (1 - cfg["rho"]) * g ** 2
            p = p - lr * g / (np.sqrt(s1) + eps)
        elif name == "Adagrad":
            s1 = s1 + g ** 2
            p = p - lr * g / (np.sqrt(s1) + eps)
        elif name == "Adadelta":
            s1 = cfg["rho"] * s1 + (1 - cfg["rho"]) * g ** 2
            update = g * np.sqrt(s2 + eps) / np.sqrt(s1 + eps)
            p = p - lr * update
            s2 = cfg["rho"] * s2 + (1 - cfg["rho"]) * update ** 2
        elif name == "Adam":
            b1, b2 = cfg["beta_1"], cfg["beta_2"]
            lr_t = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
            s1 = b1 * s1 + (1 - b1) * g
            s2 = b2 * s2 + (1 - b2) * g ** 2
            if cfg["amsgrad"]:
                s3 = np.maximum(s3, s2)
                p = p - lr_t * s1 / (np.sqrt(s3) + eps)
            else:
                p = p - lr_t * s1 / (np.sqrt(s2) + eps)
        elif name == "Adamax":
            b1, b2 = cfg["beta_1"], cfg["beta_2"]
            lr_t = lr / (1 - b1 ** t)
            s1 = b1 * s1 + (1 - b1) * g
            s2 = np.maximum(b2 * s2, np.abs(g))
            p = p - lr_t * s1 / (s2 + eps)
        elif name == "Nadam":
            b1, b2, sd = cfg["beta_1"], cfg["beta_2"], cfg["schedule_decay"]
            mc_t = b1 * (1 - 0.5 * 0.96 ** (t * sd))
            mc_t1 = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * sd))
            m_schedule_new = m_schedule * mc_t
            m_schedule_next = m_schedule * mc_t * mc_t1
            m_schedule = m_schedule_new
            g_prime = g / (1 - m_schedule_new)
            s1 = b1 * s1 + (1 - b1) * g
            m_prime = s1 / (1 - m_schedule_next)
            s2 = b2 * s2 + (1 - b2) * g ** 2
            v_prime = s2 / (1 - b2 ** t)
            m_bar = (1 - mc_t) * g_prime + mc_t1 * m_prime
            p = p - lr * m_bar / (np.sqrt(v_prime) + eps)
        path.append(p.copy())
    return np.array(path)


REFERENCE_RUNS = [
    ("SGD", dict(lr=0.01)),
    ("SGD", dict(lr=0.01, momentum=0.9, decay=0.01)),
    ("SGD", dict(lr=0.01, momentum=0.9, nesterov=True)),
    ("RMSprop", dict(lr=0.01, decay=0.001)),
    ("Adagrad", dict(lr=0.1)),
    ("Adadelta", dict(lr=1.0, epsilon=1e-6)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, decay=0.002, amsgrad=True)),
    ("Adamax", dict(lr=0.01)),
    ("Nadam", dict(lr=0.01)),
]


@pytest.mark.parametrize("name,kwargs", REFERENCE_RUNS,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(REFERENCE_RUNS)])
def test_float64_trajectory_matches_keras22_formulas(name, kwargs, float64):
    from minigrad import backend as K
    h = np.array([1.0, 10.0, 0.3])
    p0 = np.array([1.5, -0.8, 2.0])
    w = K.variable(p0)
    # loss = sum(h w^2 / 2 + w^4 / 20): gradient h w + w^3 / 5
    loss = K.sum(K.constant(h) * K.square(w) / 2 + K.pow(w, 4) / 20)
    opt = _opt(name, **kwargs)
    cfg = opt.get_config()
    step = K.function([], [], updates=opt.get_updates(loss, [w]))
    steps = 300
    got = []
    for _ in range(steps):
        step([])
        got.append(K.get_value(w).copy())
    want = _keras22_reference(name, cfg, p0, lambda p: h * p + p ** 3 / 5, steps)
    np.testing.assert_allclose(np.array(got), want, rtol=1e-10, atol=1e-13)


# ======================================================================
# Seeing it (minigrad.viz and tracing)

def _traced_setup():
    from minigrad import backend as K, optimizers

    x = K.placeholder(shape=(None, 2), name="x")
    w = K.variable([[1.0], [-1.0]], name="w")
    loss = K.mean(K.square(K.dot(x, w) - 1.0))
    opt = optimizers.SGD(lr=0.1)
    updates = opt.get_updates(loss, [w])
    f = K.function([x], [loss], updates=updates)
    return K, x, w, loss, opt, updates, f


def test_trace_runs_one_call_like_f_and_records_everything():
    K, x, w, loss, opt, updates, f = _traced_setup()
    feeds = [np.array([[1.0, 2.0], [0.5, -1.0]], "float32")]
    w_before = K.get_value(w).copy()

    # what f(feeds) would do, computed on twins so the real variables are untouched
    x_val = feeds[0]
    pred = x_val @ w_before
    expected_loss = np.mean((pred - 1.0) ** 2)
    grad = 2 * x_val.T @ (pred - 1.0) / len(x_val)
    expected_w = w_before - 0.1 * grad

    trace = f.trace(feeds)
    assert isinstance(trace.outputs, list) and len(trace.outputs) == 1
    np.testing.assert_allclose(trace.outputs[0], expected_loss, rtol=1e-6)

    # updates are committed
    np.testing.assert_allclose(K.get_value(w), expected_w, rtol=1e-6)
    assert int(K.get_value(opt.iterations)) == 1

    # steps: every evaluated node in evaluation order, with .node and .value
    assert len(trace.steps) > 0
    seen = set()
    for step in trace.steps:
        node, value = step.node, step.value
        assert isinstance(value, np.ndarray)
        for source in getattr(node, "inputs", ()) or ():
            assert id(source) in seen, (node, source)
        seen.add(id(node))
    by_node = {id(s.node): s.value for s in trace.steps}
    assert id(loss) in by_node and id(x) in by_node and id(w) in by_node
    np.testing.assert_allclose(by_node[id(loss)], expected_loss, rtol=1e-6)
    np.testing.assert_allclose(by_node[id(x)], x_val)
    np.testing.assert_allclose(by_node[id(w)], w_before)          # the pre-call value

    # updates: .variable, .old, .new
    assert len(trace.updates) == len(updates)
    changes = {id(u.variable): u for u in trace.updates}
    assert id(w) in changes and id(opt.iterations) in changes
    np.testing.assert_allclose(changes[id(w)].old, w_before)
    np.testing.assert_allclose(changes[id(w)].new, expected_w, rtol=1e-6)
    assert int(changes[id(opt.iterations)].old) == 0 and int(changes[id(opt.iterations)].new) == 1

    # a later plain call continues from the committed values
    (again,) = f(feeds)
    np.testing.assert_allclose(again, np.mean((x_val @ expected_w - 1.0) ** 2), rtol=1e-5)


def test_trace_outputs_equal_what_f_returns():
    from minigrad import backend as K

    x = K.placeholder(shape=(3,), name="x")
    v = K.variable([1.0, 2.0, 3.0])
    outs = [K.sum(x * v), K.tanh(x) + v]
    f = K.function([x], outs, updates=[K.update(v, v * 2)])
    g = K.function([x], outs)
    feeds = [np.array([0.5, -1.0, 2.0])]
    expected = g(feeds)
    trace = f.trace(feeds)
    for a, b in zip(trace.outputs, expected):
        np.testing.assert_allclose(a, b)
    np.testing.assert_allclose(K.get_value(v), [2.0, 4.0, 6.0])


def test_trace_rejects_bad_feeds_like_f():
    from minigrad import backend as K

    x = K.placeholder(shape=(3,), name="traced_x")
    v = K.variable([1.0, 2.0, 3.0])
    f = K.function([x], [K.sum(x)], updates=[K.update(v, v + x)])
    with pytest.raises(ValueError) as info:
        f.trace([np.ones(4)])
    assert "traced_x" in str(info.value)
    np.testing.assert_array_equal(K.get_value(v), [1.0, 2.0, 3.0])


def test_draw_graph_returns_a_figure_with_and_without_trace():
    import minigrad.viz

    K, x, w, loss, opt, updates, f = _traced_setup()
    fig = minigrad.viz.draw_graph(loss)
    assert isinstance(fig, matplotlib.figure.Figure)
    fig = minigrad.viz.draw_graph([loss])
    assert isinstance(fig, matplotlib.figure.Figure)
    fig = minigrad.viz.draw_graph([loss] + list(updates))              # updates allowed
    assert isinstance(fig, matplotlib.figure.Figure)
    trace = f.trace([np.ones((2, 2), "float32")])
    fig = minigrad.viz.draw_graph([loss] + list(updates), trace=trace)
    assert isinstance(fig, matplotlib.figure.Figure)
    fig = minigrad.viz.draw_graph(loss, trace)                        # positional trace
    assert isinstance(fig, matplotlib.figure.Figure)


def test_to_dot_is_digraph_text():
    import minigrad.viz

    K, x, w, loss, opt, updates, f = _traced_setup()
    for outputs in (loss, [loss], [loss] + list(updates)):
        dot = minigrad.viz.to_dot(outputs)
        assert isinstance(dot, str)
        assert dot.lstrip().startswith("digraph")
        assert dot.rstrip().endswith("}")
        assert "->" in dot
    assert "w" in minigrad.viz.to_dot(loss)


def test_plot_trajectories_returns_a_figure():
    import minigrad.viz
    from minigrad import optimizers

    params = list(inspect.signature(minigrad.viz.plot_trajectories).parameters)
    assert params[:2] == ["surface", "runs"]
    fig = minigrad.viz.plot_trajectories(
        "ill_conditioned", {"SGD": optimizers.SGD(lr=0.05), "Adam": optimizers.Adam(lr=0.1)},
        steps=15)
    assert isinstance(fig, matplotlib.figure.Figure)
    fig = minigrad.viz.plot_trajectories("rosenbrock", [optimizers.SGD(lr=1e-3)], steps=5,
                                         loss_panel=False)
    assert isinstance(fig, matplotlib.figure.Figure)
