"""Answers to the lessons' exercises, and the checker they call.

Each exercise puts its result in ``answer`` and is followed by a cell that
runs ``check(exercise, answer)``: it prints what was right, or raises
``AssertionError`` with a hint. ``exercise`` is the lesson's number for the
exercise that closes it, and a string such as ``"4-momentum"`` for the
*build it yourself* exercises, where ``answer`` is a piece you wrote (an op,
a function returning an update list, a trace): those checkers run your piece
on problems of their own and compare it with an independent NumPy
derivation, so any correct implementation passes and the library's own
optimizers are refused while your code runs (building them is the exercise).

Try the exercise before reading on: the reference solutions are in
:data:`SOLUTIONS`, which the test suite pastes into the exercise cells to run
every lesson end to end.
"""

import contextlib

import numpy as np

import minigrad as mg
from minigrad import backend as K, optimizers, surfaces
from minigrad.graph import Op
from minigrad.optimizers.base import Optimizer
from minigrad.trace import Trace

SOLUTIONS = {
    1: """\
x = K.placeholder(shape=(None, 2), name="x")
w = K.variable([[1.5], [-2.0]], name="w")
b = K.variable([0.25], name="b")
z = K.sigmoid(K.dot(x, w) + b)
answer = K.function([x], [z])([np.array([[1.0, 0.5], [-1.0, 2.0], [0.0, 0.0]])])[0]
""",
    2: """\
t = K.variable(0.5, dtype="float64")
(first,) = K.gradients(K.tanh(t), [t])
(second,) = K.gradients(first, [t])
answer = float(K.eval(second))
""",
    3: """\
a = K.variable(0.0, name="a")
b = K.variable(1.0, name="b")
step = K.function([], [], updates=[K.update(a, b), K.update(b, a + b)])
for _ in range(10):
    step([])
answer = float(K.get_value(a))
""",
    4: """\
answer = []
for lr in np.arange(0.05, 0.12, 0.02):             # float rates: 0.09000000000000001 is fine
    path = surfaces.descend("ill_conditioned", optimizers.SGD(lr=lr), steps=300)
    if path.diverged or path.losses[-1] > path.losses[0]:
        answer.append(lr)
""",
    5: """\
K.set_floatx("float64")                       # before Adam: its hyperparameters follow floatx
p = K.variable(1.0, dtype="float64", name="p")
loss = 3.0 * K.square(p)                      # g = 6 p = 6 at p = 1
adam = optimizers.Adam(lr=0.1)
step = K.function([], [], updates=adam.get_updates(loss, [p]))
step([])
step([])
answer = float(K.get_value(p))
""",
    6: """\
long_memory = optimizers.Adam(lr=0.01, beta_1=0.0, beta_2=0.999)
answer = float(surfaces.reddi_problem(long_memory, steps=1500).points[-1, 0])
""",
    7: """\
def my_updates(loss, params):                  # momentum SGD, as in lesson 4
    updates = []
    for p, g in zip(params, K.gradients(loss, params)):
        v = K.variable(np.zeros(K.int_shape(p)), dtype=K.dtype(p))
        v_t = 0.9 * v - 0.1 * g
        updates += [K.update(v, v_t), K.update(p, p + v_t)]
    return updates

history, predict = train(my_updates, steps=300)
print("test accuracy", accuracy(predict(X_test), y_test))
answer = my_updates
""",
    "2-vjp": """\
class Sinh(FloatElementwise):
    \"\"\"y = sinh x = (e**x - e**-x) / 2;  dx = g * cosh x.\"\"\"
    name, ufunc = "sinh", np.sinh

    def vjp(self, node, g, i):
        x = node.inputs[0]
        return g * (K.exp(x) + K.exp(-x)) / 2

answer = Sinh
""",
    "3-lag": """\
p = K.variable(1.0, name="p")
velocity = K.variable(0.0, name="velocity")
loss = K.square(p)
(g,) = K.gradients(loss, [p])
v_t = 0.9 * velocity - 0.1 * g
lagging = K.function([], [loss], updates=[K.update(velocity, v_t),
                                          K.update(p, p + velocity)])   # the old velocity
answer = lagging.trace([])
answer
""",
    "4-momentum": """\
def momentum_updates(loss, params, lr, momentum):
    updates = []
    for p, g in zip(params, K.gradients(loss, params)):
        velocity = K.variable(np.zeros(K.int_shape(p)), dtype=K.dtype(p))
        v_t = momentum * velocity - lr * g
        updates += [K.update(velocity, v_t), K.update(p, p + v_t)]
    return updates

answer = momentum_updates
""",
    "5-rmsprop": """\
def rmsprop_updates(loss, params, lr, rho=0.9, epsilon=1e-7):
    updates = []
    for p, g in zip(params, K.gradients(loss, params)):
        a = K.variable(np.zeros(K.int_shape(p)), dtype=K.dtype(p))
        a_t = rho * a + (1 - rho) * K.square(g)
        updates += [K.update(a, a_t), K.update(p, p - lr * g / (K.sqrt(a_t) + epsilon))]
    return updates

answer = rmsprop_updates
""",
    "8-clip": """\
def clip_by_global_norm(grads, clipnorm):
    norm = K.sqrt(sum(K.sum(K.square(g)) for g in grads))
    return [K.switch(K.greater_equal(norm, clipnorm), g * clipnorm / norm, g) for g in grads]

answer = clip_by_global_norm
""",
    "6-amsgrad": """\
def amsgrad_updates(loss, params, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    iterations = K.variable(0.0, dtype=K.dtype(params[0]))
    t = iterations + 1
    lr_t = lr * K.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    updates = [K.update(iterations, t)]
    for p, g in zip(params, K.gradients(loss, params)):
        m, v, vhat = (K.variable(np.zeros(K.int_shape(p)), dtype=K.dtype(p)) for _ in range(3))
        m_t = beta_1 * m + (1 - beta_1) * g
        v_t = beta_2 * v + (1 - beta_2) * K.square(g)
        vhat_t = K.maximum(vhat, v_t)
        updates += [K.update(m, m_t), K.update(v, v_t), K.update(vhat, vhat_t),
                    K.update(p, p - lr_t * m_t / (K.sqrt(vhat_t) + epsilon))]
    return updates

answer = amsgrad_updates
""",
    8: """\
a = K.variable([3.0, 0.0], name="a")
b = K.variable([4.0], name="b")
loss = 0.5 * (K.sum(K.square(a)) + K.sum(K.square(b)))   # gradients [3, 0] and [4]
sgd = optimizers.SGD(lr=1.0, clipnorm=1.0)
K.function([], [], updates=sgd.get_updates(loss, [a, b]))([])
answer = np.concatenate([K.get_value(a), K.get_value(b)])
""",
    9: """\
def my_fit(model, x, y, epochs, batch_size):
    sgd = optimizers.SGD(lr=0.1, momentum=0.9)
    updates = sgd.get_updates(model.total_loss, model.trainable_weights)
    feeds = model._feed_inputs + model._feed_targets + model._feed_sample_weights
    step = K.function(feeds, [model.total_loss], updates=updates)
    for _ in range(epochs):
        for start in range(0, len(x), batch_size):
            x_batch, y_batch = x[start:start + batch_size], y[start:start + batch_size]
            step([x_batch, y_batch, np.ones(len(x_batch), "float32")])

answer = my_fit
""",
}


def _expected(lesson):
    """Each answer worked out independently of the lesson's own code."""
    if lesson == 1:
        x = np.array([[1.0, 0.5], [-1.0, 2.0], [0.0, 0.0]])
        return 1 / (1 + np.exp(-(x @ np.array([[1.5], [-2.0]]) + 0.25)))
    if lesson == 2:
        t = np.tanh(0.5)
        return -2 * t * (1 - t ** 2)
    if lesson == 3:
        a, b = 0, 1
        for _ in range(10):
            a, b = b, a + b
        return float(a)
    if lesson == 4:
        return [0.09, 0.11]  # SGD on curvature 25 is stable only for lr < 2 / 25
    if lesson == 5:  # Keras's form: epsilon on sqrt(v), both corrections in lr_t
        p, m, v = 1.0, 0.0, 0.0
        for t in (1, 2):
            g = 6.0 * p
            m = 0.9 * m + (1 - 0.9) * g
            v = 0.999 * v + (1 - 0.999) * g * g
            p -= 0.1 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t) * m / (np.sqrt(v) + 1e-7)
        return p
    if lesson == 6:
        x, v, lr, beta_2 = 0.0, 0.0, 0.01, 0.999
        for t in range(1, 1501):
            g = surfaces.reddi_coefficient(t)
            v = beta_2 * v + (1 - beta_2) * g * g
            x -= lr * np.sqrt(1 - beta_2 ** t) * g / (np.sqrt(v) + K.epsilon())
            x = min(1.0, max(-1.0, x))
        return x
    if lesson == 8:  # ONE global norm, sqrt(3**2 + 0**2 + 4**2) = 5, scales both gradients
        return np.array([3.0, 0.0, 4.0]) * (1 - 1.0 / 5.0)
    raise KeyError(lesson)


# (rtol, atol) for np.allclose. Lessons 5 and 6 run in float64, where a wrong variant
# of the rule (Algorithm 1's epsilon, AMSGrad's max) moves the answer by only 1e-7 to
# 1e-5 relative, so they are checked to 1e-8 relative and no absolute slack.
TOLERANCES = {5: (1e-8, 0.0), 6: (1e-8, 0.0)}


@contextlib.contextmanager
def _your_own_updates(floatx="float64"):
    """While your code runs: float64 by default, and no library optimizer.

    Every minigrad optimizer starts its ``get_updates`` with ``_start``; here
    that refuses, so wrapping ``optimizers.SGD`` (or a copy of its class)
    cannot pass an exercise whose point is to write the updates yourself.
    """
    def refuse(self, loss, params):
        raise AssertionError(f"{type(self).__name__}.get_updates was called: this exercise "
                             "asks you to build the update list yourself, with K.update")

    saved_floatx, saved_start = K.floatx(), Optimizer._start
    K.set_floatx(floatx)
    Optimizer._start = refuse
    try:
        yield
    finally:
        Optimizer._start = saved_start
        K.set_floatx(saved_floatx)


def _run_updates(build, loss_of, start, steps, feeds=lambda t: [], **settings):
    """Your ``build(loss, params, **settings)`` on a problem of the checker's: the points."""
    assert callable(build), f"`answer` should be your function itself, not {type(build).__name__}"
    with _your_own_updates():
        p = K.variable(np.array(start, dtype="float64"), name="p")
        loss, inputs = loss_of(p)
        updates = build(loss, [p], **settings)
        assert isinstance(updates, list) and updates, (
            "your function should return a non-empty list of updates (K.update(variable, value))")
        step = K.function(inputs, [], updates=updates)
        points = []
        for t in range(1, steps + 1):
            step(feeds(t))
            points.append(np.array(K.get_value(p), dtype=float))
    return np.array(points)


def _bowl(p):
    """Lesson 4's thin bowl, 0.5 (x**2 + 25 y**2), on a vector parameter."""
    return 0.5 * K.sum(K.constant([1.0, 25.0], dtype="float64") * K.square(p)), []


def _bowl_gradient(p):
    return np.array([1.0, 25.0]) * p


def _reddi_loss(p):
    """Reddi et al.'s linear losses, slope fed each step, on a vector parameter."""
    slope = K.placeholder(shape=(), dtype="float64", name="slope")
    return slope * K.sum(p), [slope]


def _momentum_reference(start, steps, lr, momentum):
    p, v, points = np.array(start, float), 0.0, []
    for _ in range(steps):
        v = momentum * v - lr * _bowl_gradient(p)
        p = p + v
        points.append(p)
    return np.array(points)


def _rmsprop_reference(start, steps, lr, rho=0.9, epsilon=1e-7):
    p, a, points = np.array(start, float), 0.0, []
    for _ in range(steps):
        g = _bowl_gradient(p)
        a = rho * a + (1 - rho) * g * g
        p = p - lr * g / (np.sqrt(a) + epsilon)
        points.append(p)
    return np.array(points)


def _amsgrad_reference(start, steps, lr, beta_1, beta_2, epsilon=1e-7):
    p, m, v, vhat, points = np.array(start, float), 0.0, 0.0, 0.0, []
    for t in range(1, steps + 1):
        g = surfaces.reddi_coefficient(t, big=3.0) * np.ones_like(p)
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g * g
        vhat = np.maximum(vhat, v)
        p = p - lr * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t) * m / (np.sqrt(vhat) + epsilon)
        points.append(p)
    return np.array(points)


def _compare_paths(ours, theirs, what):
    worst = int(np.argmax(np.any(~np.isclose(ours, theirs, rtol=1e-9, atol=1e-12), axis=1)))
    assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-12), (
        f"not quite: {what}; first difference at step {worst + 1}: "
        f"yours {ours[worst].tolist()}, expected {theirs[worst].tolist()}")


#: The update-list exercises: the problem (loss, start, steps, what is fed each step),
#: the settings tried, the NumPy derivation compared with, and what passing means.
UPDATE_EXERCISES = {
    "4-momentum": (_bowl, [1.5, 0.6], 40, lambda t: [],
                   [dict(lr=0.02, momentum=0.9), dict(lr=0.05, momentum=0.5)], _momentum_reference,
                   "momentum SGD on the bowl",
                   "your momentum SGD follows v <- momentum v - lr g, p <- p + v exactly."),
    "5-rmsprop": (_bowl, [1.5, 0.6], 40, lambda t: [],
                  [dict(lr=0.01, rho=0.9), dict(lr=0.05, rho=0.5)], _rmsprop_reference,
                  "RMSprop on the bowl",
                  "your RMSprop divides by the root of this step's running mean square."),
    "6-amsgrad": (_reddi_loss, [0.0], 300, lambda t: [surfaces.reddi_coefficient(t, big=3.0)],
                  [dict(lr=0.01, beta_1=0.0, beta_2=0.1), dict(lr=0.01, beta_1=0.9, beta_2=0.99)],
                  _amsgrad_reference, "AMSGrad on Reddi et al.'s problem",
                  "your AMSGrad keeps the largest v it has seen, and Adam's bias correction."),
}


def _check_updates(key, build):
    """An update-list exercise: every step of ``build``'s updates against the derivation."""
    loss_of, start, steps, feeds, trials, reference, what, praise = UPDATE_EXERCISES[key]
    for settings in trials:
        ours = _run_updates(build, loss_of, start, steps, feeds=feeds, **settings)
        _compare_paths(ours, reference(start, steps, **settings), f"{what} with {settings}")
    print(f"Correct: {praise}")


def _check_vjp(op_class):
    """2-vjp: an op class whose vjp passes gradcheck, to first and second order."""
    assert isinstance(op_class, type) and issubclass(op_class, Op), (
        f"`answer` should be your op class itself (Sinh), not {op_class!r}")
    with _your_own_updates():
        x = K.variable(np.linspace(-2.0, 1.5, 6), name="x")
        y = op_class()(x)
        np.testing.assert_allclose(K.eval(y), np.sinh(K.get_value(x)), rtol=1e-12,
                                   err_msg="the forward pass should compute sinh")
        (first,) = K.gradients(K.sum(y), [x])
        assert first is not None, "no gradient reached x: write the vjp (it returns None now)"
        try:
            mg.gradcheck(y, [x])
            mg.gradcheck(first, [x])   # a vjp made of ops can be differentiated again
        except mg.GradientCheckError as error:
            raise AssertionError(f"not quite: your vjp disagrees with finite differences\n{error}")
    print("Correct: gradcheck agrees with your vjp, and with its own derivative.")


def _check_lag(trace):
    """3-lag: the trace of the first call of a momentum step that reads the old velocity."""
    assert isinstance(trace, Trace), (
        f"`answer` should be the trace of one call (f.trace([])), not {type(trace).__name__}")
    moved = [u for u in trace.updates if not np.array_equal(u.old, u.new)]
    stayed = [u for u in trace.updates if np.array_equal(u.old, u.new)]
    assert len(trace.updates) == 2, (
        f"the step should have two updates (velocity and parameter), this one has {len(trace.updates)}")
    assert len(moved) == 1 and len(stayed) == 1, (
        "not the bug: on the first call the velocity should get its new value while the "
        "parameter, reading the velocity as it was before the call (0), does not move")
    print(f"Correct: {moved[0].variable.name} went {float(np.sum(moved[0].old)):g} -> "
          f"{float(np.sum(moved[0].new)):g}, but {stayed[0].variable.name} did not move: "
          "its update read the velocity before the call.")


def _check_clipping(clip):
    """8-clip: Keras 2.2's clipnorm, one global norm over every gradient, built with ops."""
    assert callable(clip), f"`answer` should be your function itself, not {type(clip).__name__}"
    rng = np.random.default_rng(8)
    for clipnorm in [1.0, 50.0]:                       # norm about 4.6: clipped, then not
        arrays = [rng.normal(size=shape) for shape in [(3,), (2, 2), ()]]
        with _your_own_updates():
            clipped = clip([K.constant(array) for array in arrays], clipnorm)
            assert isinstance(clipped, list) and len(clipped) == len(arrays), (
                "return one clipped gradient per gradient, as a list")
            ours = K.function([], clipped)([])
        norm = np.sqrt(sum(np.sum(array ** 2) for array in arrays))
        scale = clipnorm / norm if norm >= clipnorm else 1.0
        for mine, array in zip(ours, arrays):
            assert np.shape(mine) == array.shape and np.allclose(mine, array * scale, rtol=1e-9), (
                f"not quite: with clipnorm={clipnorm} (the global norm is {norm:.3f}) a gradient "
                f"{np.round(array, 3).tolist()} should become {np.round(array * scale, 3).tolist()}, "
                f"yours is {np.round(mine, 3).tolist()}")
    print("Correct: one norm over all the gradients, and every gradient scaled by the same factor.")


def _moons(n, noise, rng):
    """Lesson 7's two moons, drawn afresh for the checker (the same recipe)."""
    angle = rng.uniform(0, np.pi, size=n)
    upper = rng.random(n) < 0.5
    x = np.where(upper, np.cos(angle), 1 - np.cos(angle))
    y = np.where(upper, np.sin(angle), 0.5 - np.sin(angle))
    points = np.stack([x, y], axis=1) + rng.normal(scale=noise, size=(n, 2))
    return points.astype("float32"), upper.astype(int)


def _train_classifier(build, steps=300):
    """Lesson 7's network (2 -> 32 tanh -> 32 tanh -> 2 softmax) trained by your updates."""
    rng = np.random.default_rng(7)
    points, labels = _moons(400, 0.12, rng)
    shapes = [(2, 32), (32,), (32, 32), (32,), (32, 2), (2,)]
    with _your_own_updates(floatx="float32"):
        params = [K.variable(rng.uniform(-0.4, 0.4, size=shape)) for shape in shapes]
        w1, b1, w2, b2, w3, b3 = params
        x, target = K.placeholder(shape=(None, 2)), K.placeholder(shape=(None, 2))
        hidden = K.tanh(K.dot(K.tanh(K.dot(x, w1) + b1), w2) + b2)
        probabilities = K.softmax(K.dot(hidden, w3) + b3)
        loss = K.mean(K.categorical_crossentropy(target, probabilities))
        step = K.function([x, target], [loss], updates=build(loss, params))
        for _ in range(steps):
            step([points, np.eye(2, dtype="float32")[labels]])
        return K.function([x], [probabilities])


def _check_classifier(build):
    """Lesson 7: your optimizer trains the network; 2000 held-out points are classified."""
    assert callable(build) and not isinstance(build, Optimizer), (
        "`answer` should be your function `my_updates(loss, params)` returning a list of "
        f"updates, not {type(build).__name__}: the checker trains a network with it")
    predict = _train_classifier(build)
    points, labels = _moons(2000, 0.12, np.random.default_rng(2024))
    score = float(np.mean(predict([points])[0].argmax(axis=1) == labels))
    assert score >= 0.97, (
        f"accuracy on held-out points {score:.3f} after 300 steps with your updates: aim for "
        "at least 0.97 -- a larger learning rate, momentum, or a per-coordinate scale")
    print(f"Correct: trained with your updates, {score:.1%} of 2000 held-out points classified right.")


BUILD_CHECKS = {"2-vjp": _check_vjp, "3-lag": _check_lag, "8-clip": _check_clipping,
                7: _check_classifier,
                **{key: lambda build, key=key: _check_updates(key, build) for key in UPDATE_EXERCISES}}


def _check_keras_fit(my_fit):
    """Lesson 9: ``my_fit`` with minigrad's SGD must train a Keras model exactly as
    Keras's own ``fit`` with Keras's SGD trains its twin."""
    assert callable(my_fit), f"`answer` should be your `my_fit` function, not {type(my_fit).__name__}"
    import keras   # lesson 9 runs Keras on minigrad; the other lessons do not need it
    rng = np.random.default_rng(7)
    x = rng.normal(size=(96, 3)).astype("float32")
    y = keras.utils.to_categorical((x[:, 0] + x[:, 1] > 0).astype(int), 2)
    twins = []
    for rate in (0.0, 0.1):   # yours is compiled with rate 0: only your updates can move it
        np.random.seed(9)
        model = keras.models.Sequential([keras.layers.Dense(4, activation="tanh", input_shape=(3,)),
                                         keras.layers.Dense(2, activation="softmax")])
        model.compile(keras.optimizers.SGD(lr=rate, momentum=0.9), "categorical_crossentropy")
        twins.append(model)
    yours, keras_own = twins
    start = yours.get_weights()
    my_fit(yours, x, y, epochs=2, batch_size=32)
    keras_own.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0)
    moved = max(float(np.abs(a - b).max()) for a, b in zip(yours.get_weights(), start))
    assert moved > 0, "the weights did not move: are the updates in your K.function?"
    for got, want in zip(yours.get_weights(), keras_own.get_weights()):
        assert np.allclose(got, want, rtol=1e-5, atol=1e-7), (
            "not quite: your weights differ from Keras's fit -- same optimizer settings "
            "(lr 0.1, momentum 0.9)? batches in order? sample weights of 1?")
    print("Correct: minigrad's SGD, through your K.function, took exactly Keras's steps.")


def check(lesson, answer):
    """Say whether ``answer`` solves exercise ``lesson`` (or raise)."""
    if answer is None:
        raise AssertionError("`answer` is still None: write your solution in the exercise cell")
    if lesson in BUILD_CHECKS:
        BUILD_CHECKS[lesson](answer)
        return
    if lesson == 9:
        _check_keras_fit(answer)
        return
    expected = _expected(lesson)
    if lesson == 4:
        rates = sorted(float(rate) for rate in answer)
        assert len(rates) == len(expected) and np.allclose(rates, expected, rtol=1e-9), (
            f"{rates} is not the list of rates that diverge; remember the curvature "
            "along y is 25, and a step multiplies y by (1 - lr * 25)")
    else:
        assert np.shape(answer) == np.shape(expected), (
            f"expected shape {np.shape(expected)}, got {np.shape(answer)}")
        rtol, atol = TOLERANCES.get(lesson, (1e-5, 1e-7))
        got = np.asarray(answer, dtype=float)
        hint = ""
        if lesson == 5 and np.allclose(got, expected, rtol=1e-5):
            hint = (" (close: was floatx float64 when you made the optimizer? In float32 "
                    "Adam's hyperparameters are float32 and the answer moves by 4e-7)")
        assert np.allclose(got, expected, rtol=rtol, atol=atol), (
            f"not quite: got {np.round(got, 10).tolist()}{hint}")
    print(f"Correct: {np.round(np.asarray(answer, dtype=float), 6).tolist()}")
