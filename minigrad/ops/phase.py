"""The learning phase: 0 for test, 1 for training (Keras 2's ``learning_phase``).

Some layers act differently while training -- dropout drops, at test time it
does not. minigrad follows Keras 2 on TensorFlow:

* ``K.learning_phase()`` is a scalar **placeholder with a default**
  (``PlaceholderWithDefault``, 0 at first). Code may feed it
  (``K.function([x, K.learning_phase()], ...)`` then ``f([data, 1])``: what
  Keras's ``fit`` and ``predict`` do) or leave it out of the inputs, and the
  function then reads its default when called.
* ``K.set_learning_phase(v)`` **fixes** the phase: from then on
  ``learning_phase()`` is the Python int ``v``, so ``in_train_phase`` picks
  its branch while the graph is built and Keras's engine stops feeding the
  phase (it checks ``isinstance(K.learning_phase(), int)``). The placeholder's
  default becomes ``v`` too, so functions built *before* the call read the
  new phase as well -- nothing stale. ``K.clear_session()`` makes the phase
  dynamic again.

``in_train_phase(x, alt)`` on the placeholder is an ordinary ``K.switch``,
decided at run time, and marks its result ``_uses_learning_phase`` so that
Keras knows to feed the phase.
"""

import numpy as np

from ..graph import Node, PlaceholderWithDefault, as_node, format_shape, same_shape
from .elementwise import switch

_PHASE = PlaceholderWithDefault(0, dtype=np.int32, name="keras_learning_phase")
_FIXED = None   # the phase set by set_learning_phase, or None while it is fed at run time


def learning_phase():
    """The learning phase: the placeholder (an int32 scalar, 0 = test,
    1 = training, read from its default of 0 when not fed), or the Python
    int given to ``set_learning_phase``.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(2,))
    >>> f = K.function([x, K.learning_phase()], [K.in_train_phase(x * 10, x)])
    >>> f([[1., 2.], 1]), f([[1., 2.], 0])
    ([array([10., 20.], dtype=float32)], [array([1., 2.], dtype=float32)])
    """
    return _PHASE if _FIXED is None else _FIXED


def set_learning_phase(value):
    """Fix the learning phase to 0 (test) or 1 (train); anything else raises
    ``ValueError``. ``learning_phase()`` then returns ``value`` (an int), and
    functions built earlier read it too when the phase is not fed.

    >>> from minigrad import backend as K
    >>> y = K.in_train_phase(K.constant(1.), K.constant(0.))   # a switch on the placeholder
    >>> K.set_learning_phase(1); K.learning_phase(), K.eval(y)
    (1, array(1., dtype=float32))
    >>> K.clear_session(); K.learning_phase()
    <PlaceholderWithDefault 'keras_learning_phase' shape=() dtype=int32>
    """
    global _FIXED
    if isinstance(value, Node) or value not in (0, 1):
        raise ValueError(f"set_learning_phase: expected 0 (test) or 1 (train), got {value!r}")
    _FIXED = int(value)
    _PHASE.value = _FIXED


def reset_learning_phase():
    """Make the phase dynamic again: ``learning_phase()`` is the placeholder,
    whose default is 0 (part of ``K.clear_session()``).

    >>> from minigrad import backend as K
    >>> K.set_learning_phase(1); K.reset_learning_phase(); K.eval(K.learning_phase())
    array(0, dtype=int32)
    """
    global _FIXED
    _FIXED = None
    _PHASE.value = 0


def in_train_phase(x, alt, training=None):
    """``x`` in the training phase, ``alt`` otherwise (either may be a
    callable returning a tensor).

    ``training=None`` uses ``learning_phase()``: the placeholder, decided at
    run time (the result is marked ``_uses_learning_phase`` for Keras), or the
    fixed int. A tensor is used the same way; a literal 0/1/``False``/``True``
    picks the branch now and returns it.

    Decided at run time, the choice is a ``switch`` (TensorFlow's ``where``,
    not Keras's ``tf.cond``): both branches are computed, so they must have
    the same shape, and a non-finite gradient inside the branch not taken
    (``sqrt`` at 0, say) still reaches the result as NaN.

    >>> from minigrad import backend as K
    >>> K.eval(K.in_train_phase(K.constant([1.]), lambda: K.constant([2.]), training=0))
    array([2.], dtype=float32)
    """
    uses_learning_phase = training is None
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
    chosen = switch(training, x, alt)
    if uses_learning_phase:
        chosen._uses_learning_phase = True
    return chosen


def in_test_phase(x, alt, training=None):
    """``x`` in the test phase, ``alt`` otherwise: ``in_train_phase(alt, x, training)``.

    >>> from minigrad import backend as K
    >>> K.eval(K.in_test_phase(K.constant(1.), K.constant(0.), training=1))
    array(0., dtype=float32)
    """
    return in_train_phase(alt, x, training)
