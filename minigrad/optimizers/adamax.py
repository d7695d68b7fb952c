r"""Adamax: Adam with the infinity norm in place of the root mean square.

Kingma & Ba 2015, Section 7.1, Algorithm 2 (Keras 2.2 adds epsilon)::

    t    = iterations + 1
    lr_t = lr / (1 - beta_1**t)                 (only m needs a bias correction)
    m_t  = beta_1 * m + (1 - beta_1) * g
    u_t  = maximum(beta_2 * u, |g|)             (exponentially weighted infinity norm)
    p_t  = p - lr_t * m_t / (u_t + epsilon)

In math: :math:`u_t = \max(\beta_2 u_{t-1}, |g_t|)`,
:math:`p_t = p_{t-1} - \frac{\eta}{1-\beta_1^t}\, m_t / (u_t + \epsilon)`.

Compared with Adam, only the ``v`` line changes: ``u`` is the limit of
:math:`(\beta_2^p u^p + (1-\beta_2^p)|g|^p)^{1/p}` as :math:`p \to \infty`.
The paper divides by ``u_t`` alone; Keras adds epsilon to guard ``u = 0``.
"""

from .. import backend as K
from .base import FRACTION, Optimizer, moving_average


class Adamax(Optimizer):
    """Adamax (Kingma & Ba 2015, Section 7.1), as Keras 2.2 computes it.

    Args:
        lr: learning rate, >= 0.
        beta_1: decay of the running mean of gradients, in [0, 1).
        beta_2: decay of the infinity norm, in [0, 1).
        epsilon: fuzz factor, >= 0; ``None`` means ``K.epsilon()``.
        decay: time-based learning-rate decay, >= 0.
        **kwargs: ``clipnorm``, ``clipvalue``, ``learning_rate`` (alias of ``lr``).

    >>> from minigrad import backend as K
    >>> from minigrad.optimizers import Adamax
    >>> w = K.variable([1.0, -2.0])
    >>> opt = Adamax(lr=0.1, epsilon=0.0)
    >>> step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))
    >>> _ = step([]); K.get_value(w)            # the first step is lr * sign(g)
    array([ 0.9, -1.9], dtype=float32)
    """

    def __init__(self, lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0., **kwargs):
        super().__init__(lr, decay, **kwargs)
        self.beta_1 = self._hyperparameter("beta_1", beta_1, FRACTION)
        self.beta_2 = self._hyperparameter("beta_2", beta_2, FRACTION)
        self.epsilon = self._epsilon(epsilon)

    def get_updates(self, loss, params):
        """The updates of one Adamax step, in order (the rule is in this module's
        docstring, an example of a whole step in `Adamax`'s; arguments as in
        `Optimizer.get_updates`).

        >>> w = K.variable([1.0], name='w'); opt = Adamax()
        >>> [update.variable.name for update in opt.get_updates(K.sum(w), [w])]
        ['iterations', 'm_w', 'u_w', 'w']
        """
        params, grads = self._start(loss, params)
        lr = self._decayed_lr()
        t = self._time()
        lr_t = lr / (1. - K.pow(self.beta_1, t))

        ms = self._slots(params, "m")
        us = self._slots(params, "u")
        self.weights = [self.iterations] + ms + us

        for p, g, m, u in zip(params, grads, ms, us):
            m_t = moving_average(self.beta_1, m, g)
            u_t = K.maximum(self.beta_2 * u, K.abs(g))
            p_t = p - lr_t * m_t / (u_t + self.epsilon)
            self.updates.append(K.update(m, m_t))
            self.updates.append(K.update(u, u_t))
            self._update_param(p, p_t)
        return self.updates
