r"""Stochastic gradient descent, with momentum and Nesterov momentum.

The update rule (Keras 2.2's, which is the one of Sutskever et al. 2013)::

    plain SGD:    p_t = p - lr * g

    momentum:     velocity_t = momentum * velocity - lr * g     (one velocity per parameter)
                  p_t        = p + velocity_t

    Nesterov:     velocity_t = momentum * velocity - lr * g
                  p_t        = p + momentum * velocity_t - lr * g   (one velocity step ahead)

In math: :math:`\mathrm{velocity}_t = \mu\, \mathrm{velocity}_{t-1} - \eta g_t`,
:math:`p_t = p_{t-1} + \mathrm{velocity}_t`, or
:math:`p_t = p_{t-1} + \mu\, \mathrm{velocity}_t - \eta g_t` with Nesterov.

Papers: Polyak 1964 (the "heavy ball", classical momentum); Nesterov 1983
(accelerated gradient); Sutskever, Martens, Dahl & Hinton 2013 ("On the
importance of initialization and momentum in deep learning"), whose Section
2 writes Nesterov's method as a momentum update. The form above evaluates
the gradient at the current parameters, not at the look-ahead point: it
stores ``p + momentum * velocity`` in place of the paper's ``p`` (Bengio et al.
2013's reparametrisation), which is what Keras, TensorFlow and PyTorch do.

Keras 2.2 always runs the momentum formula, even with ``momentum=0``
(``velocity_t = -lr * g``, ``p + velocity_t``): the same numbers as
``p - lr * g``, and one velocity slot per parameter in ``weights``.
"""

from .. import backend as K
from .base import AT_LEAST_ZERO, Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum.

    Args:
        lr: learning rate, >= 0.
        momentum: momentum factor, >= 0 (0 is plain SGD).
        decay: time-based learning-rate decay, >= 0.
        nesterov: use Nesterov momentum.
        **kwargs: ``clipnorm``, ``clipvalue``, ``learning_rate`` (alias of ``lr``).

    >>> from minigrad import backend as K
    >>> from minigrad.optimizers import SGD
    >>> w = K.variable([1.0, -2.0])
    >>> opt = SGD(lr=0.1)
    >>> step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))
    >>> _ = step([]); K.get_value(w)            # w - 0.1 * 2w
    array([ 0.8, -1.6], dtype=float32)
    >>> opt
    SGD(lr=0.1, decay=0.0, momentum=0.0, nesterov=False)
    """

    def __init__(self, lr=0.01, momentum=0., decay=0., nesterov=False, **kwargs):
        super().__init__(lr, decay, **kwargs)
        self.momentum = self._hyperparameter("momentum", momentum, AT_LEAST_ZERO)
        self.nesterov = self._setting("nesterov", nesterov)

    def get_updates(self, loss, params):
        """The updates of one SGD step, in order (the rule is in this module's
        docstring, an example of a whole step in `SGD`'s; arguments as in
        `Optimizer.get_updates`).

        >>> w = K.variable([1.0], name='w'); opt = SGD(momentum=0.9)
        >>> [update.variable.name for update in opt.get_updates(K.sum(w), [w])]
        ['iterations', 'velocity_w', 'w']
        """
        params, grads = self._start(loss, params)
        lr = self._decayed_lr()
        velocities = self._slots(params, "velocity")
        self.weights = [self.iterations] + velocities

        for p, g, velocity in zip(params, grads, velocities):
            velocity_t = self.momentum * velocity - lr * g
            self.updates.append(K.update(velocity, velocity_t))
            if self.nesterov:
                p_t = p + self.momentum * velocity_t - lr * g
            else:
                p_t = p + velocity_t
            self._update_param(p, p_t)
        return self.updates
