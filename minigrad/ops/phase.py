"""The learning phase: 0 for test, 1 for training (Keras 2's ``learning_phase``).

Some layers act differently while training -- dropout drops, at test time it
does not. In Keras 2 with TensorFlow, ``K.learning_phase()`` is a boolean
placeholder with a default: code either feeds it
(``K.function([x, K.learning_phase()], ...)`` then ``f([data, 1])``) or
leaves it to its default, and ``K.set_learning_phase(1)`` fixes it for the
graphs built afterwards.

minigrad makes the phase **one int32 scalar node that is both a variable
and a placeholder** (``LearningPhase``):

* like a variable, it holds a value (0 at first) that a compiled function
  reads *when it is called*, so ``K.set_learning_phase(1)`` switches every
  graph, including ones compiled before -- no rebuilding, nothing stale;
* like a placeholder, it may be listed among a function's inputs and fed,
  which overrides the stored value for that call only (the Keras idiom above
  works unchanged).

``in_train_phase(x, alt)`` is then an ordinary ``K.switch`` on the phase,
decided at run time. Only a literal ``training=0/1/True/False`` picks a
branch while the graph is built, as in Keras.
"""

import numpy as np

from ..graph import Node, Placeholder, Variable, as_node, format_shape, same_shape
from .elementwise import switch


class LearningPhase(Variable, Placeholder):
    """The learning-phase scalar: a variable (read at call time) that may also
    be fed as a placeholder. There is one, ``learning_phase()``."""

    __slots__ = ()

    def __init__(self, value=0):
        Node.__init__(self, None, (), (), np.int32, "keras_learning_phase")
        self.constraint = None
        self.set(value)

    def set(self, value):
        if isinstance(value, Node) or value not in (0, 1):
            raise ValueError(f"set_learning_phase: expected 0 (test) or 1 (train), got {value!r}")
        array = np.array(int(value), dtype=np.int32)
        array.flags.writeable = False
        self.value = array


_PHASE = LearningPhase(0)


def learning_phase():
    """The learning-phase tensor (an int32 scalar): 0 = test, 1 = training.

    It can be fed like a placeholder; otherwise its stored value (set by
    ``set_learning_phase``, 0 at first) is read when a function runs.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(2,))
    >>> f = K.function([x, K.learning_phase()], [K.in_train_phase(x * 10, x)])
    >>> f([[1., 2.], 1]), f([[1., 2.], 0])
    ([array([10., 20.], dtype=float32)], [array([1., 2.], dtype=float32)])
    """
    return _PHASE


def set_learning_phase(value):
    """Set the learning phase to 0 (test) or 1 (train); anything else raises
    ``ValueError``. Functions compiled earlier see the new value too.

    >>> from minigrad import backend as K
    >>> y = K.in_train_phase(K.constant(1.), K.constant(0.))
    >>> K.set_learning_phase(1); K.eval(y)
    array(1., dtype=float32)
    >>> K.set_learning_phase(0); K.eval(y)
    array(0., dtype=float32)
    """
    _PHASE.set(value)


def in_train_phase(x, alt, training=None):
    """``x`` in the training phase, ``alt`` otherwise (either may be a
    callable returning a tensor).

    ``training=None`` uses ``learning_phase()``, decided at run time; a
    tensor is used the same way; a literal 0/1/``False``/``True`` picks the
    branch now and returns it.

    Decided at run time, the choice is a ``switch`` (TensorFlow's ``where``,
    not Keras's ``tf.cond``): both branches are computed, so they must have
    the same shape, and a non-finite gradient inside the branch not taken
    (``sqrt`` at 0, say) still reaches the result as NaN.

    >>> from minigrad import backend as K
    >>> K.eval(K.in_train_phase(K.constant([1.]), lambda: K.constant([2.]), training=0))
    array([2.], dtype=float32)
    """
    if training is None:
        training = learning_phase()
    if not isinstance(training, Node):
        chosen = x if training else alt
        return chosen() if callable(chosen) else chosen
    x, alt = (branch() if callable(branch) else branch for branch in (x, alt))
    x, alt = as_node(x), as_node(alt)
    if not same_shape(x.shape, alt.shape):
        raise ValueError(f"in_train_phase: both branches are computed, so they need one shape; "
                         f"got {format_shape(x.shape)} and {format_shape(alt.shape)}")
    return switch(training, x, alt)


def in_test_phase(x, alt, training=None):
    """``x`` in the test phase, ``alt`` otherwise: ``in_train_phase(alt, x, training)``.

    >>> from minigrad import backend as K
    >>> K.eval(K.in_test_phase(K.constant(1.), K.constant(0.), training=1))
    array(0., dtype=float32)
    """
    return in_train_phase(alt, x, training)
