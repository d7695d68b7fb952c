r"""Adagrad: divide the step by the root of the *sum* of all squared gradients.

The update rule (Keras 2.2's)::

    a <- a + g**2                                (sum of squared gradients so far)
    p <- p - lr * g / (sqrt(a) + epsilon)

In math: :math:`a_t = a_{t-1} + g_t^2`,
:math:`p_t = p_{t-1} - \eta\, g_t / (\sqrt{a_t} + \epsilon)`.

RMSprop is this with the sum replaced by a running mean; here the
effective rate of every entry can only shrink.

Paper: Duchi, Hazan & Singer 2011, "Adaptive Subgradient Methods for Online
Learning and Stochastic Optimization" (JMLR 12), the diagonal version.
Keras 2.2 starts the accumulator at 0 and puts epsilon outside the square
root; TensorFlow's (and tf_keras legacy's) Adagrad starts it at 0.1, which
changes every step.
"""

from .. import backend as K
from .base import Optimizer


class Adagrad(Optimizer):
    """Adagrad (Duchi et al. 2011), as Keras 2.2 computes it.

    Args:
        lr: learning rate, >= 0.
        epsilon: fuzz factor, >= 0; ``None`` means ``K.epsilon()``.
        decay: time-based learning-rate decay, >= 0.
        **kwargs: ``clipnorm``, ``clipvalue``, ``learning_rate`` (alias of ``lr``).

    >>> from minigrad import backend as K
    >>> from minigrad.optimizers import Adagrad
    >>> w = K.variable([1.0, -2.0])
    >>> opt = Adagrad(lr=0.5, epsilon=0.0)
    >>> step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))
    >>> _ = step([]); K.get_value(w)            # first step: lr * g / |g|
    array([ 0.5, -1.5], dtype=float32)
    """

    def __init__(self, lr=0.01, epsilon=None, decay=0., **kwargs):
        super().__init__(lr, decay, **kwargs)
        self.epsilon = self._epsilon(epsilon)

    def get_updates(self, loss, params):
        """The updates of one Adagrad step, in order (the rule is in this module's
        docstring, an example of a whole step in `Adagrad`'s; arguments as in
        `Optimizer.get_updates`).

        >>> w = K.variable([1.0], name='w'); opt = Adagrad()
        >>> [update.variable.name for update in opt.get_updates(K.sum(w), [w])]
        ['iterations', 'accumulator_w', 'w']
        """
        params, grads = self._start(loss, params)
        lr = self._decayed_lr()
        accumulators = self._slots(params, "accumulator")
        self.weights = [self.iterations] + accumulators

        for p, g, a in zip(params, grads, accumulators):
            new_a = a + K.square(g)
            self.updates.append(K.update(a, new_a))
            new_p = p - lr * g / (K.sqrt(new_a) + self.epsilon)
            self._update_param(p, new_p)
        return self.updates
