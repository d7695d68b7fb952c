r"""Adadelta: RMSprop whose learning rate is itself a running RMS of the steps.

The update rule (Keras 2.2's)::

    v_t       = rho * v + (1 - rho) * g**2                      (running mean of g**2)
    delta     = g * sqrt(v_delta + epsilon) / sqrt(v_t + epsilon)  (the step, in units of p)
    p_t       = p - lr * delta
    v_delta_t = rho * v_delta + (1 - rho) * delta**2            (running mean of delta**2)

In math, with :math:`\mathrm{RMS}[y] = \sqrt{E[y^2] + \epsilon}`:
:math:`\Delta_t = g_t\, \mathrm{RMS}[\Delta]_{t-1} / \mathrm{RMS}[g]_t`,
:math:`p_t = p_{t-1} - \eta \Delta_t`.

Paper: Zeiler 2012, "ADADELTA: An Adaptive Learning Rate Method", Algorithm 1.
The paper has no learning rate (it is 1, Keras's default); epsilon sits
*inside* both square roots, as in the paper. ``v`` is RMSprop's; the second
running mean, ``v_delta``, is updated with the new step, after it is computed.
"""

from .. import backend as K
from .base import FRACTION, Optimizer, moving_average


class Adadelta(Optimizer):
    """Adadelta (Zeiler 2012), as Keras 2.2 computes it.

    Args:
        lr: learning rate, >= 0 (1.0 is the paper's method).
        rho: decay of both running means, in [0, 1).
        epsilon: fuzz factor, >= 0; ``None`` means ``K.epsilon()``.
        decay: time-based learning-rate decay, >= 0.
        **kwargs: ``clipnorm``, ``clipvalue``, ``learning_rate`` (alias of ``lr``).

    >>> from minigrad import backend as K
    >>> from minigrad.optimizers import Adadelta
    >>> w = K.variable([1.0])
    >>> opt = Adadelta(rho=0.0, epsilon=0.01)
    >>> step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))
    >>> _ = step([]); K.get_value(w)            # 1 - 2 * sqrt(0.01) / sqrt(4.01)
    array([0.9001], dtype=float32)
    """

    def __init__(self, lr=1.0, rho=0.95, epsilon=None, decay=0., **kwargs):
        super().__init__(lr, decay, **kwargs)
        self.rho = self._hyperparameter("rho", rho, FRACTION)
        self.epsilon = self._epsilon(epsilon)

    def get_updates(self, loss, params):
        """The updates of one Adadelta step, in order (the rule is in this module's
        docstring, an example of a whole step in `Adadelta`'s; arguments as in
        `Optimizer.get_updates`).

        >>> w = K.variable([1.0], name='w'); opt = Adadelta()
        >>> [update.variable.name for update in opt.get_updates(K.sum(w), [w])]
        ['iterations', 'v_w', 'w', 'v_delta_w']
        """
        params, grads = self._start(loss, params)
        lr = self._decayed_lr()
        vs = self._slots(params, "v")
        v_deltas = self._slots(params, "v_delta")
        self.weights = [self.iterations] + vs + v_deltas

        for p, g, v, v_delta in zip(params, grads, vs, v_deltas):
            v_t = moving_average(self.rho, v, K.square(g))
            self.updates.append(K.update(v, v_t))
            delta = g * K.sqrt(v_delta + self.epsilon) / K.sqrt(v_t + self.epsilon)
            self._update_param(p, p - lr * delta)
            v_delta_t = moving_average(self.rho, v_delta, K.square(delta))
            self.updates.append(K.update(v_delta, v_delta_t))
        return self.updates
