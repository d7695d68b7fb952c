"""Helpers shared by several test files, written once: the hypothesis settings
of the op tests, float64 variables, the shape-value-gradient check, NumPy's
spelling of an axis, running jobs in threads, a small regression step to
trace, and tables of refused arguments. (Hypothesis strategies are in
strategies.py; what the viz tests read off a figure is in figures.py.)"""

import threading

import numpy as np
import pytest
from hypothesis import settings

import minigrad as mg
from minigrad import backend as K

#: Hypothesis settings of the op tests: 25 drawn cases each, no deadline (gradchecks take time).
CHECK = settings(max_examples=25, deadline=None)


def var64(value):
    """A float64 variable holding ``value`` (float64 for exact values and finite differences)."""
    return K.variable(value, dtype="float64")


def check(out, expected, variables):
    """Static shape, value and gradient of ``out`` in one go."""
    expected = np.asarray(expected)
    assert K.int_shape(out) == expected.shape
    np.testing.assert_allclose(K.eval(out), expected, rtol=1e-12, atol=1e-14)
    assert mg.gradcheck(out, variables)


def gradient_of(loss, x):
    """The value of d loss / d x, or None where the gradient is None."""
    (g,) = K.gradients(loss, [x])
    return None if g is None else K.eval(g)


def np_axis(axis):
    """A Keras axis (None, an int or a list of ints) as NumPy takes it (a list becomes a tuple)."""
    return tuple(axis) if isinstance(axis, list) else axis


def in_threads(*jobs):
    """Run each job in its own thread, all at once, and wait for them all."""
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def regression_step(lr=0.1):
    """A linear regression on float64 ``w`` and ``b`` with its SGD updates:
    ``(x, y, w, b, loss, updates)``, to call or trace on ``FEEDS``."""
    x = K.placeholder(shape=(None, 2), name="x")
    y = K.placeholder(shape=(None,), name="y")
    w = K.variable([0.5, -0.25], dtype="float64", name="w")
    b = K.variable(0.1, dtype="float64", name="b")
    error = K.sum(x * w, axis=1) + b - y
    loss = K.mean(K.square(error))
    loss.name = "loss"
    gw, gb = K.gradients(loss, [w, b])
    updates = [K.update_sub(w, lr * gw), K.update_sub(b, lr * gb)]
    return x, y, w, b, loss, updates


#: A batch of three rows for `regression_step`: ``[x, y]``.
FEEDS = [np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]), np.array([1.0, 0.0, 2.0])]


def refusal_test(cases):
    """A test (assign it to a ``test_...`` name) that each case of ``cases``,
    ``{id: (error, message, build)}``, raises ``error`` with a message matching
    ``message`` when ``build()`` is called: bad input named, never a NumPy traceback."""
    @pytest.mark.parametrize("error, message, build", list(cases.values()), ids=list(cases))
    def test(error, message, build):
        with pytest.raises(error, match=message):
            build()
    return test
