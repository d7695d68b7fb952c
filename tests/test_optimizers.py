"""Contract behaviours of minigrad.optimizers: state, configuration, registry,
hyperparameters as variables, iteration counting, decay, clipping, errors,
and Reddi et al. 2018's counterexample for Adam."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from minigrad import backend as K, optimizers
from minigrad.optimizers import (
    AMSGrad, Adadelta, Adagrad, Adam, Adamax, Nadam, Optimizer, RMSprop, SGD,
)
from helpers import refusal_test

# One configuration per optimizer (and option) that exercises its whole state.
CONFIGS = {
    "sgd": (SGD, {"lr": 0.05, "momentum": 0.9}),
    "nesterov": (SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True, "decay": 0.01}),
    "rmsprop": (RMSprop, {"lr": 0.01, "rho": 0.8, "decay": 0.01}),
    "adagrad": (Adagrad, {"lr": 0.05}),
    "adadelta": (Adadelta, {"lr": 0.5, "rho": 0.9}),
    "adam": (Adam, {"lr": 0.01, "decay": 0.01, "clipnorm": 0.5}),
    "amsgrad": (Adam, {"lr": 0.01, "amsgrad": True, "clipvalue": 0.1}),
    "AMSGrad": (AMSGrad, {"lr": 0.01, "beta_2": 0.99}),
    "adamax": (Adamax, {"lr": 0.01}),
    "nadam": (Nadam, {"lr": 0.01, "schedule_decay": 0.01}),
}


def problem(seed=0):
    """A small float64 least-squares-through-tanh problem: (W, b, loss)."""
    rng = np.random.default_rng(seed)
    X = K.constant(rng.normal(size=(6, 3)))
    Y = K.constant(rng.uniform(-0.5, 0.5, size=(6, 2)))
    W = K.variable(rng.normal(size=(3, 2)), name="W")
    b = K.variable(np.zeros(2), name="b")
    loss = K.mean(K.square(K.tanh(K.dot(X, W) + b) - Y))
    return W, b, loss


def trained(cls, config, steps, seed=0):
    W, b, loss = problem(seed)
    opt = cls(**config)
    step = K.function([], [loss], updates=opt.get_updates(loss, [W, b]))
    for _ in range(steps):
        step([])
    return opt, step, (W, b)


# ----------------------------------------------------------------- state

@pytest.mark.parametrize("name", CONFIGS)
def test_state_transfer_continues_identically(name, float64):
    cls, config = CONFIGS[name]
    opt_a, step_a, params_a = trained(cls, config, 30)
    state = opt_a.get_weights()
    assert [w.shape for w in state] == [K.int_shape(v) for v in opt_a.weights]

    # A fresh optimizer on fresh parameters holding the same values.
    W, b, loss = problem()
    K.batch_set_value([(W, K.get_value(params_a[0])), (b, K.get_value(params_a[1]))])
    opt_b = cls(**config)
    step_b = K.function([], [loss], updates=opt_b.get_updates(loss, [W, b]))
    opt_b.set_weights(state)
    for _ in range(20):
        np.testing.assert_array_equal(step_a([])[0], step_b([])[0])
    np.testing.assert_array_equal(K.get_value(params_a[0]), K.get_value(W))
    np.testing.assert_array_equal(K.get_value(params_a[1]), K.get_value(b))
    for x, y in zip(opt_a.get_weights(), opt_b.get_weights()):
        np.testing.assert_array_equal(x, y)
    assert int(opt_b.get_weights()[0]) == 50


@pytest.mark.parametrize("name", CONFIGS)
def test_state_transfer_is_needed(name, float64):
    """Without set_weights the fresh optimizer goes elsewhere, so the test
    above would catch state that get_weights/set_weights leave behind."""
    cls, config = CONFIGS[name]
    opt_a, step_a, params_a = trained(cls, config, 30)
    W, b, loss = problem()
    K.batch_set_value([(W, K.get_value(params_a[0])), (b, K.get_value(params_a[1]))])
    step_b = K.function([], [loss], updates=cls(**config).get_updates(loss, [W, b]))
    for _ in range(5):
        step_a([]), step_b([])
    assert not np.array_equal(K.get_value(params_a[0]), K.get_value(W))


def test_nadam_m_schedule_is_state(float64):
    opt, step, _ = trained(Nadam, {"lr": 0.01}, 3)
    weights = opt.get_weights()
    assert opt.weights[1] is opt.m_schedule
    # m_schedule = prod over t of beta_1 * (1 - 0.5 * 0.96 ** (t * 0.004))
    expected = np.prod([0.9 * (1 - 0.5 * 0.96 ** (t * 0.004)) for t in (1, 2, 3)])
    np.testing.assert_allclose(weights[1], expected, rtol=1e-14)


def test_weight_order_is_iterations_then_slots(float64):
    W, b, loss = problem()
    for cls, kwargs, slots in [(SGD, {}, 1), (RMSprop, {}, 1), (Adagrad, {}, 1),
                               (Adadelta, {}, 2), (Adam, {}, 2), (Adam, {"amsgrad": True}, 3),
                               (Adamax, {}, 2)]:
        opt = cls(**kwargs)
        opt.get_updates(loss, [W, b])
        assert opt.weights[0] is opt.iterations
        assert [K.int_shape(w) for w in opt.weights] == [()] + [(3, 2), (2,)] * slots
    opt = Nadam()
    opt.get_updates(loss, [W, b])
    assert opt.weights[:2] == [opt.iterations, opt.m_schedule]
    assert [K.int_shape(w) for w in opt.weights[2:]] == [(3, 2), (2,)] * 2


def test_set_weights_wrong_count_or_shape_changes_nothing(float64):
    opt, step, _ = trained(Adam, {"lr": 0.01}, 3)
    before = opt.get_weights()
    with pytest.raises(ValueError, match="expected 5 arrays.*got 4"):
        opt.set_weights(before[:4])
    bad = [np.zeros_like(w) for w in before]
    bad[-1] = np.zeros((3,))          # the last one is wrong: nothing may change
    with pytest.raises(ValueError, match=r"array 4 .*shape \(2,\), got \(3,\)"):
        opt.set_weights(bad)
    for x, y in zip(before, opt.get_weights()):
        np.testing.assert_array_equal(x, y)


def test_set_weights_before_get_updates_raises():
    opt = Adam()
    assert opt.get_weights() == []
    with pytest.raises(ValueError, match="get_updates"):
        opt.set_weights([np.array(0)])
    with pytest.raises(ValueError, match="get_updates"):
        opt.set_weights([])


# -------------------------------------------------------- hyperparameters

def test_set_value_on_lr_changes_a_compiled_step():
    w = K.variable([1.0])
    opt = SGD(lr=0.1)
    step = K.function([], [], updates=opt.get_updates(K.sum(w), [w]))  # gradient 1
    step([])
    np.testing.assert_allclose(K.get_value(w), [0.9], rtol=1e-6)
    K.set_value(opt.lr, 0.5)
    step([])
    np.testing.assert_allclose(K.get_value(w), [0.4], rtol=1e-6)


def test_set_value_on_beta_changes_a_compiled_adam_step(float64):
    w = K.variable([1.0])
    opt = Adam(lr=0.1, epsilon=0.0)
    step = K.function([], [], updates=opt.get_updates(K.sum(w), [w]))
    K.set_value(opt.beta_1, 0.0)
    K.set_value(opt.beta_2, 0.0)
    for _ in range(3):              # beta = 0: every step is lr * g / |g|
        step([])
    np.testing.assert_allclose(K.get_value(w), [0.7], rtol=1e-14)


def test_learning_rate_alias():
    opt = Adam(learning_rate=0.25)
    assert opt.learning_rate is opt.lr
    assert opt.get_config()["lr"] == 0.25


def test_hyperparameters_are_floatx_variables(float64):
    opt = Adam(lr=0.1)
    assert K.dtype(opt.lr) == K.dtype(opt.beta_1) == K.dtype(opt.decay) == "float64"
    assert K.dtype(opt.iterations) == "int64"


def test_epsilon_none_means_k_epsilon_at_construction():
    K.set_epsilon(1e-4)
    opt = RMSprop()
    K.set_epsilon(1e-7)
    assert opt.epsilon == 1e-4 and opt.get_config()["epsilon"] == 1e-4


def test_iterations_count_applied_steps():
    w = K.variable([1.0, 2.0])
    opt = Adam()
    step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))
    assert int(K.get_value(opt.iterations)) == 0
    for _ in range(7):
        step([])
    assert int(K.get_value(opt.iterations)) == 7


def test_decay_uses_pre_step_iteration_count(float64):
    w = K.variable([0.0])
    opt = SGD(lr=1.0, decay=1.0)
    step = K.function([], [], updates=opt.get_updates(K.sum(w), [w]))  # gradient 1
    positions = []
    for _ in range(3):
        step([])
        positions.append(K.get_value(w)[0])
    # steps of lr / (1 + decay * k) for k = 0, 1, 2
    np.testing.assert_allclose(np.diff([0.0] + positions), [-1.0, -1 / 2, -1 / 3], rtol=1e-15)


def test_zero_decay_adds_no_decay_to_the_graph(float64):
    """Keras applies decay only when it is > 0 at construction: with 0,
    later K.set_value(opt.decay, ...) changes nothing."""
    w = K.variable([0.0])
    opt = SGD(lr=1.0)
    step = K.function([], [], updates=opt.get_updates(K.sum(w), [w]))
    K.set_value(opt.decay, 1.0)
    step([]), step([])
    np.testing.assert_allclose(K.get_value(w), [-2.0])


def test_adam_first_step_uses_t_equal_one(float64):
    """Bias correction with t = iterations + 1: the first step is exactly
    lr * g / |g| (epsilon 0), whatever the betas."""
    w = K.variable([3.0, -1.0])
    opt = Adam(lr=0.01, beta_1=0.5, beta_2=0.7, epsilon=0.0)
    step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))
    step([])
    np.testing.assert_allclose(K.get_value(w), [2.99, -0.99], rtol=1e-14)


# ----------------------------------------------------------- gradients

def test_clipnorm_uses_one_global_norm_then_clipvalue(float64):
    a, b = K.variable([3.0, 0.0]), K.variable([4.0])
    loss = K.sum(K.square(a)) / 2 + K.sum(K.square(b)) / 2      # gradients: a, b
    ga, gb = SGD(clipnorm=1.0).get_gradients(loss, [a, b])       # global norm 5
    np.testing.assert_allclose(K.eval(ga), [0.6, 0.0], rtol=1e-15)
    np.testing.assert_allclose(K.eval(gb), [0.8], rtol=1e-15)
    ga, gb = SGD(clipnorm=1.0, clipvalue=0.7).get_gradients(loss, [a, b])
    np.testing.assert_allclose(K.eval(gb), [0.7])                # norm first, then value
    np.testing.assert_allclose(K.eval(ga), [0.6, 0.0])
    ga, gb = SGD(clipnorm=10.0).get_gradients(loss, [a, b])      # below the norm: unchanged
    np.testing.assert_allclose(K.eval(gb), [4.0])


def test_constraint_is_applied_to_the_new_value():
    w = K.variable([0.0, 0.5], constraint=lambda x: K.clip(x, -0.1, 0.1))
    opt = SGD(lr=1.0)
    step = K.function([], [], updates=opt.get_updates(K.sum(w * K.constant([1., -1.])), [w]))
    step([])
    np.testing.assert_allclose(K.get_value(w), [-0.1, 0.1])


def test_missing_gradient_names_the_parameter():
    w, unused = K.variable([1.0], name="w"), K.variable([2.0], name="unused")
    with pytest.raises(ValueError, match="'unused'"):
        Adam().get_updates(K.sum(w), [w, unused])


def test_params_must_be_variables():
    w = K.variable([1.0])
    with pytest.raises(TypeError, match="must be variables"):
        SGD().get_updates(K.sum(w * 2), [w * 2])


# -------------------------------------------------------------- errors

@pytest.mark.parametrize("cls, kwargs, argument", [
    (SGD, {"lr": -0.1}, "lr"),
    (SGD, {"learning_rate": -1.0}, "learning_rate"),
    (SGD, {"momentum": -0.5}, "momentum"),
    (SGD, {"decay": -1e-3}, "decay"),
    (RMSprop, {"rho": 1.0}, "rho"),
    (RMSprop, {"rho": -0.1}, "rho"),
    (RMSprop, {"epsilon": -1e-7}, "epsilon"),
    (Adagrad, {"lr": float("nan")}, "lr"),
    (Adadelta, {"rho": 1.5}, "rho"),
    (Adam, {"beta_1": 1.0}, "beta_1"),
    (Adam, {"beta_2": -0.001}, "beta_2"),
    (Adam, {"lr": float("inf")}, "lr"),
    (Adam, {"clipnorm": -1.0}, "clipnorm"),
    (Adam, {"clipvalue": -0.5}, "clipvalue"),
    (Adamax, {"beta_2": 1.0}, "beta_2"),
    (Nadam, {"schedule_decay": -0.004}, "schedule_decay"),
    (Nadam, {"beta_1": 2}, "beta_1"),
    (AMSGrad, {"amsgrad": False}, "amsgrad"),
])
def test_out_of_range_raises_value_error_naming_argument_and_value(cls, kwargs, argument):
    value = next(iter(kwargs.values()))
    with pytest.raises(ValueError) as info:
        cls(**kwargs)
    shown = f"{argument}={value!r}" if isinstance(value, bool) else f"{argument}={float(value)!r}"
    assert shown in str(info.value)


@pytest.mark.parametrize("cls, kwargs, word", [
    (Adam, {"momentum": 0.9}, "momentum"),
    (SGD, {"beta_1": 0.9}, "beta_1"),
    (Nadam, {"decay": 0.1}, "decay"),
    (RMSprop, {"clip_norm": 1.0}, "clip_norm"),
    (Adam, {"lr": "fast"}, "lr"),
    (SGD, {"momentum": None}, "momentum"),
])
def test_unknown_or_non_numeric_argument_raises_type_error(cls, kwargs, word):
    with pytest.raises(TypeError, match=word):
        cls(**kwargs)


def test_valid_edge_values_are_accepted():
    Adam(lr=0.0, beta_1=0.0, beta_2=0.0, epsilon=0.0, decay=0.0, clipnorm=0.0, clipvalue=0.0)
    RMSprop(rho=0.0)
    SGD(momentum=1.5)


# ------------------------------------------------ configuration, registry

@pytest.mark.parametrize("name", CONFIGS)
def test_config_round_trip(name):
    cls, config = CONFIGS[name]
    opt = cls(**config)
    cfg = opt.get_config()
    for key, value in cfg.items():
        assert type(value) in (float, bool), (key, value)
    for key, value in config.items():
        assert cfg[key] == value, key           # 0.01 reads back as 0.01, even in float32
    clone = cls.from_config(cfg)
    assert type(clone) is cls and clone.get_config() == cfg
    assert repr(clone) == repr(opt)
    restored = optimizers.deserialize(optimizers.serialize(opt))
    assert type(restored) is cls and restored.get_config() == cfg


def test_config_keys_are_keras_2_keys():
    assert set(Adam().get_config()) == {"lr", "beta_1", "beta_2", "epsilon", "decay", "amsgrad"}
    assert set(SGD().get_config()) == {"lr", "momentum", "decay", "nesterov"}
    assert set(RMSprop().get_config()) == {"lr", "rho", "epsilon", "decay"}
    assert set(Adagrad().get_config()) == {"lr", "epsilon", "decay"}
    assert set(Adadelta().get_config()) == {"lr", "rho", "epsilon", "decay"}
    assert set(Adamax().get_config()) == {"lr", "beta_1", "beta_2", "epsilon", "decay"}
    assert set(Nadam().get_config()) == {"lr", "beta_1", "beta_2", "epsilon", "schedule_decay"}
    assert Adam(clipnorm=1.0).get_config()["clipnorm"] == 1.0
    assert "clipvalue" not in Adam(clipnorm=1.0).get_config()


def test_defaults_are_keras_2_2():
    assert Adam().get_config() == {"lr": 0.001, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999,
                                   "epsilon": 1e-7, "amsgrad": False}
    assert SGD().get_config() == {"lr": 0.01, "decay": 0.0, "momentum": 0.0, "nesterov": False}
    assert RMSprop().get_config() == {"lr": 0.001, "decay": 0.0, "rho": 0.9, "epsilon": 1e-7}
    assert Adagrad().get_config() == {"lr": 0.01, "decay": 0.0, "epsilon": 1e-7}
    assert Adadelta().get_config() == {"lr": 1.0, "decay": 0.0, "rho": 0.95, "epsilon": 1e-7}
    assert Adamax().get_config() == {"lr": 0.002, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999,
                                     "epsilon": 1e-7}
    assert Nadam().get_config() == {"lr": 0.002, "beta_1": 0.9, "beta_2": 0.999,
                                    "epsilon": 1e-7, "schedule_decay": 0.004}


def test_config_follows_set_value():
    opt = SGD(lr=0.1)
    K.set_value(opt.lr, 0.3)
    assert opt.get_config()["lr"] == 0.3


def test_amsgrad_serializes_as_itself():
    d = optimizers.serialize(AMSGrad(lr=0.02))
    assert d["class_name"] == "AMSGrad" and d["config"]["amsgrad"] is True
    opt = optimizers.deserialize(d)
    assert type(opt) is AMSGrad and opt.amsgrad and opt.get_config()["lr"] == 0.02
    assert optimizers.serialize(Adam(amsgrad=True))["class_name"] == "Adam"


def test_registry_get():
    assert type(optimizers.get("adam")) is Adam
    assert type(optimizers.get("ADAM")) is Adam
    assert type(optimizers.get("Nadam")) is Nadam
    assert type(optimizers.get("rmsprop")) is RMSprop
    ams = optimizers.get("AMSGrad")
    assert type(ams) is AMSGrad and ams.amsgrad
    for name in ("sgd", "adagrad", "adadelta", "adamax"):
        assert isinstance(optimizers.get(name), Optimizer)
    opt = optimizers.get({"class_name": "SGD", "config": {"lr": 0.3, "nesterov": True,
                                                          "momentum": 0.5}})
    assert type(opt) is SGD and opt.get_config()["lr"] == 0.3 and opt.nesterov
    assert type(optimizers.get({"class_name": "adamax"})) is Adamax
    same = Adam()
    assert optimizers.get(same) is same


def test_registry_errors():
    with pytest.raises(ValueError, match=r"'adamw'.*Adam.*Nadam.*SGD|'adamw'.*SGD"):
        optimizers.get("adamw")
    with pytest.raises(ValueError, match="known optimizers: SGD, RMSprop, Adagrad"):
        optimizers.deserialize({"class_name": "Lion", "config": {}})
    with pytest.raises(ValueError, match="could not interpret"):
        optimizers.get(42)
    with pytest.raises(ValueError, match="class_name"):
        optimizers.deserialize({"config": {}})
    with pytest.raises(TypeError, match="momentum"):
        optimizers.get({"class_name": "Adam", "config": {"momentum": 0.9}})


def test_repr():
    assert repr(SGD(lr=0.1, momentum=0.9, nesterov=True, clipnorm=1.0)) == (
        "SGD(lr=0.1, decay=0.0, momentum=0.9, nesterov=True, clipnorm=1.0)")


# ------------------------------------------- Reddi, Kale & Kumar 2018, Section 5

def reddi_online_run(cls, steps, alpha=1.0):
    """The online problem of Reddi et al. 2018, Section 5: f_t(x) = 1010 x when
    t mod 101 = 1, else -10 x, on x in [-1, 1]; the best fixed point is x = -1
    (each 101 steps add 1010 - 1000 = +10 per unit of x). Step size
    alpha / sqrt(t), as in the paper's online experiments. Returns the x after
    each step and the regret of each step, f_t(x_t) - f_t(-1)."""
    K.set_floatx("float64")
    x = K.variable(0.0, name="x", constraint=lambda v: K.clip(v, -1.0, 1.0))
    c = K.placeholder(shape=(), name="c")
    loss = c * x
    opt = cls(lr=alpha, beta_1=0.9, beta_2=0.99)
    step = K.function([c], [loss], updates=opt.get_updates(loss, [x]))
    xs, regrets = [], []
    for t in range(1, steps + 1):
        coefficient = 1010.0 if t % 101 == 1 else -10.0
        K.set_value(opt.lr, alpha / np.sqrt(t))
        (f_t,) = step([coefficient])        # the loss at x_t, before the step
        regrets.append(f_t - coefficient * -1.0)
        xs.append(float(K.get_value(x)))
    return np.array(xs), np.array(regrets)


def test_reddi_adam_goes_to_the_wrong_end_amsgrad_to_the_optimum():
    cycles = 60
    adam_x, adam_regret = reddi_online_run(Adam, 101 * cycles)
    ams_x, ams_regret = reddi_online_run(AMSGrad, 101 * cycles)
    # Adam: pinned at the worst point +1, for most of the last cycle too.
    assert adam_x[-1] == 1.0
    assert np.mean(adam_x[-101:]) > 0.9
    # AMSGrad: in the half next to the optimum -1, and still going down.
    assert ams_x[-1] < -0.7
    assert np.mean(ams_x[-101:]) < -0.75
    assert np.mean(ams_x[-101:]) < np.mean(ams_x[-20 * 101:-19 * 101]) - 0.02
    # Average regret per step over the last 20 cycles: Adam's stays above
    # 20/101, what sitting at +1 costs; AMSGrad's is lower and shrinking.
    late, middle = slice(-20 * 101, None), slice(-40 * 101, -20 * 101)
    assert adam_regret[late].mean() > 20 / 101
    assert ams_regret[late].mean() < adam_regret[late].mean()
    assert ams_regret[late].mean() < ams_regret[middle].mean()


@pytest.mark.parametrize("cls, kwargs", [(Adam, {"amsgrad": "False"}), (SGD, {"nesterov": "no"}),
                                         (SGD, {"nesterov": 1})])
def test_flags_must_be_real_booleans(cls, kwargs):
    (name,) = kwargs
    with pytest.raises(TypeError, match=f"`{name}` must be True or False"):
        cls(**kwargs)


def test_clipnorm_at_a_zero_gradient_is_silent_and_exact():
    import warnings
    w = K.variable([0.0, 0.0])
    opt = SGD(lr=0.1, clipnorm=1.0)
    step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        step([])
    assert K.get_value(w).tolist() == [0.0, 0.0]


# ------------------------------------------- hardening (issue 10)

@pytest.mark.parametrize("cls, kwargs, argument", [
    (Adam, {"beta_1": 0.99999999}, "beta_1"),
    (Adamax, {"beta_2": 0.999999999}, "beta_2"),
    (RMSprop, {"rho": 0.99999999}, "rho"),
    (Adadelta, {"rho": 0.99999999}, "rho"),
    (Adam, {"lr": 1e39}, "lr"),
    (SGD, {"momentum": 1e39}, "momentum"),
    (SGD, {"decay": 1e39}, "decay"),
])
def test_the_range_is_checked_on_the_stored_float32_value(cls, kwargs, argument):
    with pytest.raises(ValueError, match=rf"`{argument}`.* stored as float32 .*(1\.0|inf)"):
        cls(**kwargs)


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(["Adam", "RMSprop", "SGD", "Nadam", "Adadelta", "Adamax"]),
       value=st.one_of(st.floats(0.0, 1.0), st.floats(0.99999, 1.0), st.floats(1e38, 1e40)))
def test_every_accepted_optimizer_round_trips_and_steps_to_finite_numbers(name, value):
    cls = getattr(optimizers, name)
    key = {"RMSprop": "rho", "SGD": "momentum", "Adadelta": "rho"}.get(name, "beta_1")
    try:
        opt = cls(**{key: value})
    except ValueError:
        return
    again = optimizers.deserialize(optimizers.serialize(opt))
    assert again.get_config() == opt.get_config()
    w = K.variable([1.0, -2.0])
    step = K.function([], [], updates=again.get_updates(K.sum(K.square(w)), [w]))
    step([])
    assert np.isfinite(K.get_value(w)).all()


def test_decay_under_float16_keeps_working_past_65504_steps():
    K.set_floatx("float16")
    w = K.variable([1.0], name="w")
    opt = SGD(lr=0.5, decay=1e-4)
    step = K.function([], [], updates=opt.get_updates(K.sum(w), [w]))     # g = 1
    K.set_value(opt.iterations, 90_000)
    step([])
    assert K.get_value(w).tolist() == [np.float16(1.0 - np.float16(0.5 / 10.0))]


def test_a_parameter_of_another_dtype_is_refused_when_the_updates_are_built():
    w16 = K.variable([1.0, 2.0], dtype="float16", name="w16")
    for opt in (Adam(), SGD(momentum=0.9)):
        with pytest.raises(TypeError, match="parameter 'w16' is float16.* float32"):
            opt.get_updates(K.sum(K.cast(w16, "float32")), [w16])


def test_set_weights_refuses_a_fractional_or_negative_iteration_count():
    w = K.variable([1.0], name="w")
    opt = SGD(momentum=0.9)
    opt.get_updates(K.sum(w), [w])
    with pytest.raises(TypeError, match="variable 'iterations' has dtype int64"):
        opt.set_weights([2.7, np.zeros(1)])
    with pytest.raises(ValueError, match="iterations.* >= 0, got -5"):
        opt.set_weights([-5, np.zeros(1)])
    assert opt.get_weights()[0] == 0


def test_nadam_from_a_config_with_decay_says_nadam_has_no_decay():
    with pytest.raises(TypeError, match="Nadam: unexpected keyword argument.*'decay'.*schedule_decay"):
        Nadam.from_config({"decay": 0.1})


def test_get_updates_with_one_variable_instead_of_a_list_says_so():
    w = K.variable([1.0], name="w")
    with pytest.raises(TypeError, match=r"params must be a list of variables.*\[w\]"):
        SGD().get_updates(K.sum(w), w)


@pytest.mark.parametrize("cls, kwargs, suggestion", [
    (SGD, {"momentm": 0.9}, "momentum"), (Adam, {"beta1": 0.9}, "beta_1"),
    (Adam, {"learningrate": 0.1}, "learning_rate"), (RMSprop, {"clip_norm": 1.0}, "clipnorm"),
])
def test_a_misspelt_keyword_suggests_the_nearest_accepted_name(cls, kwargs, suggestion):
    with pytest.raises(TypeError, match=f"did you mean '{suggestion}'"):
        cls(**kwargs)


def test_assigning_a_number_to_a_hyperparameter_points_to_set_value():
    w = K.variable([1.0], name="w")
    opt = SGD(lr=0.1)
    step = K.function([], [], updates=opt.get_updates(K.sum(w), [w]))
    with pytest.raises(TypeError, match=r"K\.set_value\(opt\.lr, 0\.0\)"):
        opt.lr = 0.0
    step([])
    assert K.get_value(w).tolist() == [pytest.approx(0.9)]


# -------------------------------------------------------------- the ladder
# Each rung is the one below it plus a few lines: pinned here, value for value.

def ladder_path(optimizer, loss_and_params, steps=60, before_step=None):
    """Parameters after each step of ``optimizer`` on a fresh float64 problem."""
    loss, params = loss_and_params()
    step = K.function([], [loss], updates=optimizer.get_updates(loss, params))
    path = []
    for t in range(1, steps + 1):
        if before_step is not None:
            before_step(t)
        step([])
        path.append(np.concatenate([K.get_value(p).ravel() for p in params]))
    return np.array(path)


def tanh_problem():
    W, b, loss = problem()
    return loss, [W, b]


def test_nesterov_with_no_momentum_is_plain_sgd(float64):
    plain = ladder_path(SGD(lr=0.1), tanh_problem)
    nesterov = ladder_path(SGD(lr=0.1, momentum=0.0, nesterov=True), tanh_problem)
    by_hand = ladder_path(SGD(lr=0.1, momentum=0.3), tanh_problem)
    np.testing.assert_array_equal(nesterov, plain)              # p + 0 * v - lr g = p - lr g
    assert not np.allclose(by_hand, plain)                      # (momentum does change it)


def test_adam_with_no_momentum_is_rmsprop_with_the_corrected_rate(float64):
    beta_2, lr = 0.99, 0.01
    adam = ladder_path(Adam(lr=lr, beta_1=0.0, beta_2=beta_2), tanh_problem)
    rmsprop = RMSprop(lr=lr, rho=beta_2)
    corrected = ladder_path(rmsprop, tanh_problem, before_step=lambda t: K.set_value(
        rmsprop.lr, lr * np.sqrt(1.0 - np.power(beta_2, float(t)))))
    np.testing.assert_array_equal(adam, corrected)     # m_t = 0 * m + 1 * g = g, exactly
    assert not np.allclose(adam, ladder_path(RMSprop(lr=lr, rho=beta_2), tanh_problem))


def growing_gradients():
    """A loss whose squared gradients never shrink: ``v_t`` only grows, so
    ``max(vhat, v_t)`` is always ``v_t``."""
    w = K.variable([0.5, -1.0, 2.0], name="w")
    return K.sum(w * K.constant([3.0, -1.0, 0.5])), [w]       # a constant gradient


def test_amsgrad_is_adam_while_the_squared_gradients_never_shrink(float64):
    adam = ladder_path(Adam(lr=0.01), growing_gradients)
    amsgrad = ladder_path(Adam(lr=0.01, amsgrad=True), growing_gradients)
    np.testing.assert_array_equal(amsgrad, adam)
    shrinking = ladder_path(Adam(lr=0.1), tanh_problem, steps=200)
    assert not np.array_equal(ladder_path(Adam(lr=0.1, amsgrad=True), tanh_problem, steps=200),
                              shrinking)


def test_every_running_mean_is_the_one_moving_average():
    from minigrad.optimizers.base import moving_average
    import inspect
    for module in (optimizers.rmsprop, optimizers.adadelta, optimizers.adam, optimizers.adamax,
                   optimizers.nadam):
        source = inspect.getsource(module)
        assert "moving_average(" in source and "(1. - self." not in source, module.__name__
    assert K.eval(moving_average(0.75, K.constant(4.0, dtype="float64"), 8.0)) == 5.0


test_bad_registry_arguments_are_refused = refusal_test({
    "serialize a name": (TypeError, "serialize: expected an optimizer, got 'sgd'",
                         lambda: optimizers.serialize("sgd")),
})
