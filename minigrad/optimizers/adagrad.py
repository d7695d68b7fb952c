r"""Adagrad: divide the step by the root of the *sum* of all squared gradients.

The update rule (Keras 2.2's)::

    v_t = v + g**2                               (sum of squared gradients so far)
    p_t = p - lr * g / (sqrt(v_t) + epsilon)

In math: :math:`v_t = v_{t-1} + g_t^2`,
:math:`p_t = p_{t-1} - \eta\, g_t / (\sqrt{v_t} + \epsilon)`.

RMSprop is this with the sum replaced by a running mean (its ``v``); here
the effective rate of every entry can only shrink.

Paper: Duchi, Hazan & Singer 2011, "Adaptive Subgradient Methods for Online
Learning and Stochastic Optimization" (JMLR 12), the diagonal version.
Keras 2.2 starts ``v`` (the accumulator) at 0 and puts epsilon outside the square
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
        ['iterations', 'v_w', 'w']
        """
        params, grads = self._start(loss, params)
        lr = self._decayed_lr()
        vs = self._slots(params, "v")
        self.weights = [self.iterations] + vs

        for p, g, v in zip(params, grads, vs):
            v_t = v + K.square(g)
            self.updates.append(K.update(v, v_t))
            p_t = p - lr * g / (K.sqrt(v_t) + self.epsilon)
            self._update_param(p, p_t)
        return self.updates
