r"""Nadam: Adam with Nesterov momentum and a warming momentum schedule.

Dozat 2016, "Incorporating Nesterov Momentum into Adam" (ICLR workshop),
with Dozat's warming momentum schedule, as Keras 2.2 computes it::

    t       = iterations + 1
    mu_t    = beta_1 * (1 - 0.5 * 0.96**(t * schedule_decay))        (momentum schedule)
    mu_t1   = beta_1 * (1 - 0.5 * 0.96**((t + 1) * schedule_decay))
    s_t     = s * mu_t                      (s: running product of the schedule, starts at 1)
    g'      = g / (1 - s_t)
    m_t     = beta_1 * m + (1 - beta_1) * g
    m'      = m_t / (1 - s_t * mu_t1)
    v_t     = beta_2 * v + (1 - beta_2) * g**2
    v'      = v_t / (1 - beta_2**t)
    mbar    = (1 - mu_t) * g' + mu_t1 * m'   (Nesterov: mix today's gradient with
                                              tomorrow's momentum)
    p_t     = p - lr * mbar / (sqrt(v') + epsilon)

In math: :math:`\bar m_t = (1-\mu_t)\hat g_t + \mu_{t+1} \hat m_t`,
:math:`p_t = p_{t-1} - \eta\, \bar m_t / (\sqrt{\hat v_t} + \epsilon)`.

Unlike Adam's efficient form, the bias corrections divide ``g``, ``m`` and
``v`` themselves, as in the paper; epsilon sits outside the square root.
Nadam has no time-based ``decay``; its ``schedule_decay`` only shapes the
momentum schedule. ``m_schedule`` (``s`` above) is state: it is in
``weights``, after ``iterations`` (as in Keras 2.3; Keras 2.2.4 left it out,
so its ``set_weights`` could not restore a Nadam exactly).
"""

from .. import backend as K
from .base import AT_LEAST_ZERO, FRACTION, Optimizer, moving_average


class Nadam(Optimizer):
    """Nadam (Dozat 2016), as Keras 2.2 computes it.

    Args:
        lr: learning rate, >= 0.
        beta_1: momentum (before the schedule), in [0, 1).
        beta_2: decay of the running mean of squared gradients, in [0, 1).
        epsilon: fuzz factor, >= 0; ``None`` means ``K.epsilon()``.
        schedule_decay: how fast the momentum schedule warms up, >= 0.
        **kwargs: ``clipnorm``, ``clipvalue``, ``learning_rate`` (alias of ``lr``).

    >>> from minigrad import backend as K
    >>> from minigrad.optimizers import Nadam
    >>> w = K.variable([1.0, -2.0])
    >>> opt = Nadam(lr=0.1)
    >>> step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))
    >>> _ = step([]); K.get_value(w)
    array([ 0.8..., -1.8...], dtype=float32)
    >>> [x.name for x in opt.weights[:2]]
    ['iterations', 'm_schedule']
    """

    def __init__(self, lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=None,
                 schedule_decay=0.004, **kwargs):
        if "decay" in kwargs:
            raise TypeError("Nadam: unexpected keyword argument 'decay': Nadam has no time-based "
                            "decay; its `schedule_decay` shapes the momentum schedule")
        super().__init__(lr, None, **kwargs)
        self.beta_1 = self._hyperparameter("beta_1", beta_1, FRACTION)
        self.beta_2 = self._hyperparameter("beta_2", beta_2, FRACTION)
        self.epsilon = self._epsilon(epsilon)
        self.schedule_decay = self._setting("schedule_decay", schedule_decay, AT_LEAST_ZERO)
        self.m_schedule = K.variable(1., name="m_schedule")

    def get_updates(self, loss, params):
        """The updates of one Nadam step, in order (the rule is in this module's
        docstring, an example of a whole step in `Nadam`'s; arguments as in
        `Optimizer.get_updates`).

        >>> w = K.variable([1.0], name='w'); opt = Nadam()
        >>> [update.variable.name for update in opt.get_updates(K.sum(w), [w])]
        ['iterations', 'm_schedule', 'm_w', 'v_w', 'w']
        """
        params, grads = self._start(loss, params)
        t = self._time()
        decay_base = K.constant(0.96)
        momentum_cache_t = self.beta_1 * (1. - 0.5 * (K.pow(decay_base, t * self.schedule_decay)))
        momentum_cache_t_1 = self.beta_1 * (
            1. - 0.5 * (K.pow(decay_base, (t + 1) * self.schedule_decay)))
        m_schedule_t = self.m_schedule * momentum_cache_t
        m_schedule_next = self.m_schedule * momentum_cache_t * momentum_cache_t_1
        self.updates.append(K.update(self.m_schedule, m_schedule_t))

        ms = self._slots(params, "m")
        vs = self._slots(params, "v")
        self.weights = [self.iterations, self.m_schedule] + ms + vs

        for p, g, m, v in zip(params, grads, ms, vs):
            g_prime = g / (1. - m_schedule_t)
            m_t = moving_average(self.beta_1, m, g)
            m_t_prime = m_t / (1. - m_schedule_next)
            v_t = moving_average(self.beta_2, v, K.square(g))
            v_t_prime = v_t / (1. - K.pow(self.beta_2, t))
            m_t_bar = (1. - momentum_cache_t) * g_prime + momentum_cache_t_1 * m_t_prime
            self.updates.append(K.update(m, m_t))
            self.updates.append(K.update(v, v_t))
            p_t = p - self.lr * m_t_bar / (K.sqrt(v_t_prime) + self.epsilon)
            self._update_param(p, p_t)
        return self.updates
