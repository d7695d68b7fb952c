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
adam = optimizers.Adam(lr=0.1)
K.function([], [], updates=adam.get_updates(loss, [p]))([])
answer = float(K.get_value(p))
""",
    6: """\
long_memory = optimizers.Adam(lr=0.01, beta_1=0.0, beta_2=0.999)
answer = float(surfaces.reddi_problem(long_memory, steps=1500).points[-1, 0])
""",
    7: """\
history, predict = train(optimizers.Adam(lr=0.01), steps=400)
answer = accuracy(predict(X_test), y_test)
""",
    8: """\
w = K.variable([3.0, 4.0], name="w")
loss = 0.5 * K.sum(K.square(w))               # gradient w = [3, 4], norm 5
sgd = optimizers.SGD(lr=1.0, clipnorm=1.0)
K.function([], [], updates=sgd.get_updates(loss, [w]))([])
answer = K.get_value(w)
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
    if lesson == 5:
        lr_t = 0.1 * np.sqrt(1 - 0.999) / (1 - 0.9)
        m, v = (1 - 0.9) * 6.0, (1 - 0.999) * 36.0
        return 1.0 - lr_t * m / (np.sqrt(v) + K.epsilon())
    if lesson == 6:
        x, v, lr, beta_2 = 0.0, 0.0, 0.01, 0.999
        for t in range(1, 1501):
            g = surfaces.reddi_coefficient(t)
            v = beta_2 * v + (1 - beta_2) * g * g
            x -= lr * np.sqrt(1 - beta_2 ** t) * g / (np.sqrt(v) + K.epsilon())
            x = min(1.0, max(-1.0, x))
        return x
    if lesson == 8:
        return np.array([2.4, 3.2])
    raise KeyError(lesson)


def check(lesson, answer):
    """Say whether ``answer`` solves lesson ``lesson``'s exercise (or raise)."""
    if answer is None:
        raise AssertionError("`answer` is still None: write your solution in the exercise cell")
    if lesson == 7:
        assert 0.97 <= float(answer) <= 1.0, (
            f"test accuracy {float(answer):.3f}: aim for at least 0.97 -- try Adam or RMSprop, "
            "a larger learning rate, or more steps")
        print(f"Correct: {float(answer):.1%} of the test points classified right.")
        return
    expected = _expected(lesson)
    if lesson == 4:
        assert sorted(answer) == expected, (
            f"{sorted(answer)} is not the list of rates that diverge; remember the curvature "
            "along y is 25, and a step multiplies y by (1 - lr * 25)")
    else:
        assert np.shape(answer) == np.shape(expected), (
            f"expected shape {np.shape(expected)}, got {np.shape(answer)}")
        assert np.allclose(np.asarray(answer, dtype=float), expected, rtol=1e-5, atol=1e-7), (
            f"not quite: got {np.round(answer, 6)}")
    print(f"Correct: {np.round(np.asarray(answer, dtype=float), 6).tolist()}")
