r"""RMSprop: divide the step by a running root-mean-square of the gradient.

The update rule (Keras 2.2's)::

    v_t = rho * v + (1 - rho) * g**2            (running mean of squared gradients)
    p_t = p - lr * g / (sqrt(v_t) + epsilon)

In math: :math:`v_t = \rho v_{t-1} + (1-\rho) g_t^2`,
:math:`p_t = p_{t-1} - \eta\, g_t / (\sqrt{v_t} + \epsilon)`.

Compared with SGD, one slot per parameter and one line: each entry of the
gradient is scaled by the inverse of its own recent magnitude, so steep and
flat directions move at similar speeds.

Paper: Tieleman & Hinton 2012, "Lecture 6.5 -- rmsprop", COURSERA: Neural
Networks for Machine Learning (never published otherwise). The lecture has
no epsilon; Keras adds it *outside* the square root, as above, while
TensorFlow's own ``RMSPropOptimizer`` adds it inside (``sqrt(v + epsilon)``).
``v`` starts at 0. It is Adam's ``v``: Adam with ``beta_1 = 0`` is RMSprop
with the bias-corrected rate ``lr * sqrt(1 - rho**t)`` (a test checks it).
"""

from .. import backend as K
from .base import FRACTION, Optimizer, moving_average


class RMSprop(Optimizer):
    """RMSprop (Tieleman & Hinton 2012), as Keras 2.2 computes it.

    Args:
        lr: learning rate, >= 0.
        rho: decay of the running mean of squared gradients, in [0, 1).
        epsilon: fuzz factor, >= 0; ``None`` means ``K.epsilon()``.
        decay: time-based learning-rate decay, >= 0.
        **kwargs: ``clipnorm``, ``clipvalue``, ``learning_rate`` (alias of ``lr``).

    >>> from minigrad import backend as K
    >>> from minigrad.optimizers import RMSprop
    >>> w = K.variable([1.0, -2.0])
    >>> opt = RMSprop(lr=0.01, rho=0.0, epsilon=0.0)
    >>> step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))
    >>> _ = step([]); K.get_value(w)            # rho=0: a step of lr * sign(g)
    array([ 0.99, -1.99], dtype=float32)
    """

    def __init__(self, lr=0.001, rho=0.9, epsilon=None, decay=0., **kwargs):
        super().__init__(lr, decay, **kwargs)
        self.rho = self._hyperparameter("rho", rho, FRACTION)
        self.epsilon = self._epsilon(epsilon)

    def get_updates(self, loss, params):
        """The updates of one RMSprop step, in order (the rule is in this module's
        docstring, an example of a whole step in `RMSprop`'s; arguments as in
        `Optimizer.get_updates`).

        >>> w = K.variable([1.0], name='w'); opt = RMSprop()
        >>> [update.variable.name for update in opt.get_updates(K.sum(w), [w])]
        ['iterations', 'v_w', 'w']
        """
        params, grads = self._start(loss, params)
        lr = self._decayed_lr()
        vs = self._slots(params, "v")
        self.weights = [self.iterations] + vs

        for p, g, v in zip(params, grads, vs):
            v_t = moving_average(self.rho, v, K.square(g))
            self.updates.append(K.update(v, v_t))
            p_t = p - lr * g / (K.sqrt(v_t) + self.epsilon)
            self._update_param(p, p_t)
        return self.updates
