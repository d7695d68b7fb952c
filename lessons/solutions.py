"""Answers to the lessons' closing exercises, and the checker they call.

Each lesson ends with an exercise that puts its result in ``answer`` and a
cell that runs ``check(lesson, answer)``: it prints what was right, or
raises ``AssertionError`` with a hint. Try the exercise before reading on:
the reference solutions are in :data:`SOLUTIONS`, which the test suite
pastes into the exercise cell to run every lesson end to end.
"""

import numpy as np

from minigrad import backend as K, optimizers, surfaces

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
for lr in [0.05, 0.07, 0.09, 0.11]:
    path = surfaces.descend("ill_conditioned", optimizers.SGD(lr=lr), steps=300)
    if path.diverged or path.losses[-1] > path.losses[0]:
        answer.append(lr)
""",
    5: """\
p = K.variable(1.0, dtype="float64", name="p")
loss = 3.0 * K.square(p)                      # g = 6 p = 6 at p = 1
adam = optimizers.Adam(lr=0.1)                # floatx is float64: so are its hyperparameters
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
history, predict = train(optimizers.Adam(lr=0.01), steps=400)
answer = predict
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


def _moons(n, noise, rng):
    """Lesson 7's two moons, drawn afresh for the checker (the same recipe)."""
    angle = rng.uniform(0, np.pi, size=n)
    upper = rng.random(n) < 0.5
    x = np.where(upper, np.cos(angle), 1 - np.cos(angle))
    y = np.where(upper, np.sin(angle), 0.5 - np.sin(angle))
    points = np.stack([x, y], axis=1) + rng.normal(scale=noise, size=(n, 2))
    return points.astype("float32"), upper.astype(int)


def _check_classifier(predict):
    """Lesson 7: classify 2000 held-out points the learner never saw."""
    assert callable(predict), (
        f"`answer` should be your `predict` function (from `train`), not {type(predict).__name__}: "
        "the checker measures the accuracy itself, on points of its own")
    points, labels = _moons(2000, 0.12, np.random.default_rng(2024))
    output = np.asarray(predict(points))
    assert output.shape in [(len(points), 2), (len(points),)], (
        f"predict(points) should give one row of 2 probabilities per point, got shape {output.shape}")
    predicted = output.argmax(axis=1) if output.ndim == 2 else output.astype(int)
    score = float(np.mean(predicted == labels))
    assert score >= 0.97, (
        f"accuracy on held-out points {score:.3f}: aim for at least 0.97 -- try Adam or RMSprop, "
        "a larger learning rate, or more steps")
    print(f"Correct: {score:.1%} of 2000 held-out points classified right.")


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
    """Say whether ``answer`` solves lesson ``lesson``'s exercise (or raise)."""
    if answer is None:
        raise AssertionError("`answer` is still None: write your solution in the exercise cell")
    if lesson == 7:
        _check_classifier(answer)
        return
    if lesson == 9:
        _check_keras_fit(answer)
        return
    expected = _expected(lesson)
    if lesson == 4:
        assert sorted(answer) == expected, (
            f"{sorted(answer)} is not the list of rates that diverge; remember the curvature "
            "along y is 25, and a step multiplies y by (1 - lr * 25)")
    else:
        assert np.shape(answer) == np.shape(expected), (
            f"expected shape {np.shape(expected)}, got {np.shape(answer)}")
        rtol, atol = TOLERANCES.get(lesson, (1e-5, 1e-7))
        assert np.allclose(np.asarray(answer, dtype=float), expected, rtol=rtol, atol=atol), (
            f"not quite: got {np.round(np.asarray(answer, dtype=float), 10).tolist()}")
    print(f"Correct: {np.round(np.asarray(answer, dtype=float), 6).tolist()}")
