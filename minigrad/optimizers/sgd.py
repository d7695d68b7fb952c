r"""Stochastic gradient descent, with momentum and Nesterov momentum.

The update rule (Keras 2.2's, which is the one of Sutskever et al. 2013)::

    plain SGD:    p <- p - lr * g

    momentum:     v <- momentum * v - lr * g          (the velocity, one per parameter)
                  p <- p + v

    Nesterov:     v <- momentum * v - lr * g
                  p <- p + momentum * v - lr * g      (look one velocity step ahead)

In math: :math:`v_t = \mu v_{t-1} - \eta g_t`, :math:`p_t = p_{t-1} + v_t`, or
:math:`p_t = p_{t-1} + \mu v_t - \eta g_t` with Nesterov.

Papers: Polyak 1964 (the "heavy ball", classical momentum); Nesterov 1983
(accelerated gradient); Sutskever, Martens, Dahl & Hinton 2013 ("On the
importance of initialization and momentum in deep learning"), whose Section
2 writes Nesterov's method as a momentum update. The form above evaluates
the gradient at the current parameters, not at the look-ahead point: it
stores ``p + momentum * v`` in place of the paper's ``p`` (Bengio et al.
2013's reparametrisation), which is what Keras, TensorFlow and PyTorch do.

Keras 2.2 always runs the momentum formula, even with ``momentum=0``
(``v = -lr * g``, ``p + v``): the same numbers as ``p - lr * g``, and one
velocity slot per parameter in ``weights``.
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
        moments = self._slots(params, "velocity")
        self.weights = [self.iterations] + moments

        for p, g, m in zip(params, grads, moments):
            v = self.momentum * m - lr * g                  # velocity
            self.updates.append(K.update(m, v))
            if self.nesterov:
                new_p = p + self.momentum * v - lr * g
            else:
                new_p = p + v
            self._update_param(p, new_p)
        return self.updates
