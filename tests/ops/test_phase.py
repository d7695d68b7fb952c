"""minigrad/ops/phase.py: the learning phase (a placeholder with default 0, or
fixed by set_learning_phase), in_train_phase and in_test_phase."""

import numpy as np
import pytest

import minigrad as mg
from minigrad import backend as K


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


def test_in_train_phase_branches_must_have_one_shape():
    from minigrad import backend as K
    with pytest.raises(ValueError, match=r"in_train_phase: both branches are computed, so they need one shape"):
        K.in_train_phase(K.constant([1.0, 2.0, 3.0]), K.constant([[1.0], [2.0]]))
