r"""Adam, and AMSGrad: momentum plus RMSprop, with bias correction.

Adam keeps two slots per parameter: ``m``, a running mean of the gradient
(momentum, as in SGD) and ``v``, a running mean of its square (as in
RMSprop). Both start at 0, so early on they are biased towards 0;
dividing by ``1 - beta**t`` corrects that.

Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization",
Algorithm 1::

    m_t    = beta_1 * m + (1 - beta_1) * g
    v_t    = beta_2 * v + (1 - beta_2) * g**2
    mhat_t = m_t / (1 - beta_1**t)
    vhat_t = v_t / (1 - beta_2**t)
    p_t    = p - lr * mhat_t / (sqrt(vhat_t) + epsilon)

The paper's "efficient" form (end of its Section 2), which Keras 2.2
computes, folds both corrections into the learning rate::

    t      = iterations + 1
    lr_t   = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)
    p_t    = p - lr_t * m_t / (sqrt(v_t) + epsilon)

In math: :math:`\eta_t = \eta \sqrt{1-\beta_2^t} / (1-\beta_1^t)`,
:math:`p_t = p_{t-1} - \eta_t\, m_t / (\sqrt{v_t} + \hat\epsilon)`.
The two forms are equal except where epsilon sits: the efficient form's
:math:`\hat\epsilon` equals :math:`\epsilon \sqrt{1-\beta_2^t}` of Algorithm
1, so Keras's epsilon weighs more in the first steps than PyTorch's (which
follows Algorithm 1). With epsilon = 1e-7 the difference is tiny unless
gradients are tiny too.

AMSGrad (Reddi, Kale & Kumar 2018, "On the Convergence of Adam and Beyond",
Algorithm 2; ICLR best paper) changes one thing: the denominator uses the
largest ``v`` seen so far, so an entry's effective rate never grows back::

    vhat_t = maximum(vhat, v_t)
    p_t    = p - lr_t * m_t / (sqrt(vhat_t) + epsilon)

The paper shows (Section 5, a test here) a one-dimensional online problem
where Adam converges to the worst point and AMSGrad to the best. Keras's
AMSGrad keeps the bias correction of ``lr_t``, which the paper's Algorithm 2
leaves out. (Keras 2.2 also put one dummy ``vhat`` per parameter in
``weights`` when ``amsgrad=False``; minigrad's plain Adam has no ``vhat``s.)
"""

from .. import backend as K
from .base import FRACTION, Optimizer, moving_average


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015), optionally AMSGrad, as Keras 2.2 computes it.

    Args:
        lr: learning rate, >= 0.
        beta_1: decay of the running mean of gradients, in [0, 1).
        beta_2: decay of the running mean of squared gradients, in [0, 1).
        epsilon: fuzz factor, >= 0; ``None`` means ``K.epsilon()``.
        decay: time-based learning-rate decay, >= 0.
        amsgrad: use AMSGrad (Reddi et al. 2018), the maximum of past ``v``.
        **kwargs: ``clipnorm``, ``clipvalue``, ``learning_rate`` (alias of ``lr``).

    >>> from minigrad import backend as K
    >>> from minigrad.optimizers import Adam
    >>> w = K.variable([1.0, -2.0])
    >>> opt = Adam(lr=0.1, epsilon=0.0)
    >>> step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))
    >>> _ = step([]); K.get_value(w)            # the first step is lr * sign(g)
    array([ 0.9, -1.9], dtype=float32)
    >>> [K.int_shape(x) for x in opt.weights]   # iterations, m, v
    [(), (2,), (2,)]
    """

    def __init__(self, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.,
                 amsgrad=False, **kwargs):
        super().__init__(lr, decay, **kwargs)
        self.beta_1 = self._hyperparameter("beta_1", beta_1, FRACTION)
        self.beta_2 = self._hyperparameter("beta_2", beta_2, FRACTION)
        self.epsilon = self._epsilon(epsilon)
        self.amsgrad = self._setting("amsgrad", amsgrad)

    def get_updates(self, loss, params):
        """The updates of one Adam step, in order (the rule is in this module's
        docstring, an example of a whole step in `Adam`'s; arguments as in
        `Optimizer.get_updates`).

        >>> w = K.variable([1.0], name='w'); opt = Adam(amsgrad=True)    # vhat: AMSGrad's
        >>> [update.variable.name for update in opt.get_updates(K.sum(w), [w])]
        ['iterations', 'vhat_w', 'm_w', 'v_w', 'w']
        """
        params, grads = self._start(loss, params)
        lr = self._decayed_lr()
        t = self._time()
        lr_t = lr * (K.sqrt(1. - K.pow(self.beta_2, t)) / (1. - K.pow(self.beta_1, t)))

        ms = self._slots(params, "m")
        vs = self._slots(params, "v")
        vhats = self._slots(params, "vhat") if self.amsgrad else [None] * len(params)
        self.weights = [self.iterations] + ms + vs + (vhats if self.amsgrad else [])

        for p, g, m, v, vhat in zip(params, grads, ms, vs, vhats):
            m_t = moving_average(self.beta_1, m, g)
            v_t = moving_average(self.beta_2, v, K.square(g))
            if self.amsgrad:
                vhat_t = K.maximum(vhat, v_t)
                p_t = p - lr_t * m_t / (K.sqrt(vhat_t) + self.epsilon)
                self.updates.append(K.update(vhat, vhat_t))
            else:
                p_t = p - lr_t * m_t / (K.sqrt(v_t) + self.epsilon)
            self.updates.append(K.update(m, m_t))
            self.updates.append(K.update(v, v_t))
            self._update_param(p, p_t)
        return self.updates


class AMSGrad(Adam):
    """Adam with ``amsgrad=True`` (Reddi et al. 2018), under its own name:
    ``serialize`` gives ``{'class_name': 'AMSGrad', ...}``.

    Takes the arguments of `Adam`; ``amsgrad`` may only be True.

    Raises:
        ValueError: ``amsgrad`` other than True.

    >>> from minigrad.optimizers import AMSGrad
    >>> AMSGrad(lr=0.01)
    AMSGrad(lr=0.01, decay=0.0, beta_1=0.9, beta_2=0.999, epsilon=1e-07, amsgrad=True)
    """

    def __init__(self, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.,
                 amsgrad=True, **kwargs):
        if amsgrad is not True:
            raise ValueError(f"AMSGrad: `amsgrad` is always True here, got amsgrad={amsgrad!r}; "
                             "use Adam for plain Adam")
        super().__init__(lr, beta_1, beta_2, epsilon, decay, amsgrad=True, **kwargs)
