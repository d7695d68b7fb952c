r"""Adadelta: RMSprop whose learning rate is itself a running RMS of the steps.

The update rule (Keras 2.2's)::

    a   <- rho * a + (1 - rho) * g**2                     (running mean of g**2)
    d   =  g * sqrt(d_a + epsilon) / sqrt(a + epsilon)    (the step, in units of p)
    p   <- p - lr * d
    d_a <- rho * d_a + (1 - rho) * d**2                   (running mean of d**2)

In math, with :math:`\mathrm{RMS}[y] = \sqrt{E[y^2] + \epsilon}`:
:math:`\Delta_t = g_t\, \mathrm{RMS}[\Delta]_{t-1} / \mathrm{RMS}[g]_t`,
:math:`p_t = p_{t-1} - \eta \Delta_t`.

Paper: Zeiler 2012, "ADADELTA: An Adaptive Learning Rate Method", Algorithm 1.
The paper has no learning rate (it is 1, Keras's default); epsilon sits
*inside* both square roots, as in the paper. The second accumulator is
updated with the new step ``d``, after it is computed.
"""

from .. import backend as K
from .base import FRACTION, Optimizer


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
        ['iterations', 'accumulator_w', 'w', 'delta_accumulator_w']
        """
        params, grads = self._start(loss, params)
        lr = self._decayed_lr()
        accumulators = self._slots(params, "accumulator")
        delta_accumulators = self._slots(params, "delta_accumulator")
        self.weights = [self.iterations] + accumulators + delta_accumulators

        for p, g, a, d_a in zip(params, grads, accumulators, delta_accumulators):
            new_a = self.rho * a + (1. - self.rho) * K.square(g)
            self.updates.append(K.update(a, new_a))
            update = g * K.sqrt(d_a + self.epsilon) / K.sqrt(new_a + self.epsilon)
            self._update_param(p, p - lr * update)
            new_d_a = self.rho * d_a + (1 - self.rho) * K.square(update)
            self.updates.append(K.update(d_a, new_d_a))
        return self.updates
