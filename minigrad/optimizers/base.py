"""What every optimizer shares, written once: the base class `Optimizer`.

An optimizer here does not *run* anything. ``get_updates(loss, params)``
builds graph: the gradients, the new value of every piece of state and of
every parameter, returned as a list of ``K.update`` pairs that
``K.function(..., updates=...)`` compiles and applies on each call. This is
the Keras 2.2 design, and it is why the hyperparameters live in variables:
``K.set_value(opt.lr, 0.1)`` changes the step of a function compiled long
before.

The shared mechanics, in the order a step meets them:

* **gradients** (`Optimizer.get_gradients`): ``K.gradients``, then
  Keras 2.2's clipping -- by norm, against ONE global norm over all the
  gradients, then by value::

      n = sqrt(sum over params of sum(g**2))
      g <- g * clipnorm / n          for every g, when n >= clipnorm
      g <- clip(g, -clipvalue, clipvalue)

* **time-based decay** (only when ``decay > 0`` at construction, as Keras)::

      lr_k = lr * (1 / (1 + decay * k))    k: the iteration count BEFORE the step

* **iterations**: an int64 variable, incremented by every step;
* **constraints**: a parameter created with ``K.variable(..., constraint=f)``
  gets ``f(p_t)`` instead of ``p_t``;
* **state**: ``weights`` is ``[iterations] + slots`` (Keras's order:
  ``ms + vs (+ vhats)``); ``get_weights``/``set_weights`` copy it out and in;
* **moving averages** (`moving_average`): the one formula behind momentum's
  ``m`` and every running mean of squares, ``decay * avg + (1 - decay) * x``;
* **configuration**: ``get_config``/``from_config`` with Keras 2's keys, and
  argument checking with messages that name the argument and the value.

A subclass creates its hyperparameters in ``__init__`` with
`Optimizer._hyperparameter` (a variable) or `Optimizer._setting`
(a plain Python value), and writes its update rule in ``get_updates``.

One vocabulary across the files: ``p``, ``g`` a parameter and its gradient;
``m`` the running mean of ``g`` (Adam's first moment), ``v`` of ``g**2`` (the
second moment: RMSprop's, Adagrad's sum, Adadelta's, Adam's); SGD's slot is
its ``velocity``; ``x_t`` is the new value of ``x`` after this step, and
``lr_t`` the rate of this step.
Unlike Keras 2.2, every optimizer puts ``iterations`` first in ``weights``
(Keras 2.2 left it out for RMSprop, Adagrad and Adadelta).
"""

import difflib
import inspect
import math
import numbers

import numpy as np

from .. import backend as K
from ..graph import Node, Variable

def moving_average(decay, average, x):
    r"""The exponential moving average of ``x``, one step on:
    ``decay * average + (1 - decay) * x`` (:math:`eta a + (1-eta) x`).

    It is momentum's ``m`` (``x = g``) and the running mean of squares of
    RMSprop, Adadelta, Adam and Nadam (``x = g**2``). Started at 0, it is
    biased towards 0 for the first ~``1 / (1 - decay)`` steps: Adam's bias
    correction divides that out.

    >>> from minigrad import backend as K
    >>> K.eval(moving_average(0.9, K.constant(10.), K.constant(20.)))
    array(11., dtype=float32)
    """
    return decay * average + (1. - decay) * x


# Ranges for hyperparameter checks: (lowest, highest, highest included?).
AT_LEAST_ZERO = (0.0, math.inf, False)  # [0, inf)
FRACTION = (0.0, 1.0, False)  # [0, 1): betas and rho


class Optimizer:
    """The base of all optimizers: shared mechanics, no update rule.

    Args:
        lr: the learning rate (``learning_rate`` is accepted as an alias).
        decay: time-based learning-rate decay; ``None`` for an optimizer
            that has none (Nadam).
        **kwargs: ``clipnorm`` (clip all gradients together so their global
            norm is at most this) and ``clipvalue`` (clip each entry to
            ``[-clipvalue, clipvalue]``). Anything else raises ``TypeError``.

    Attributes:
        iterations: int64 variable, the number of steps applied.
        lr: the learning rate, a variable (``learning_rate`` is the same object).
            Compiled steps read the variable, so change it with
            ``K.set_value(opt.lr, 0.1)``; ``opt.lr = 0.1`` would change
            nothing already built (so in Keras 2.2) and raises ``TypeError``
            here, as for every hyperparameter kept in a variable.
        weights: the state variables, ``[iterations] + slots``; set by
            `get_updates`.
        updates: the list returned by the last `get_updates`.

    Raises:
        TypeError: an unknown keyword argument, or a hyperparameter that is
            not a number.
        ValueError: a hyperparameter out of its range.

    The hyperparameters live in variables, so a compiled step sees a change:

    >>> from minigrad import backend as K
    >>> from minigrad.optimizers import SGD
    >>> opt = SGD(lr=0.1)
    >>> K.set_value(opt.lr, 0.05); opt
    SGD(lr=0.05, decay=0.0, momentum=0.0, nesterov=False)
    >>> SGD(lr=-1.0)
    Traceback (most recent call last):
    ValueError: SGD: `lr` must be in [0, inf), got lr=-1.0
    >>> SGD(momentun=0.9)
    Traceback (most recent call last):
    TypeError: SGD: unexpected keyword argument(s) 'momentun' (did you mean 'momentum'?); accepted ...
    """

    def __init__(self, lr, decay=None, **kwargs):
        if "learning_rate" in kwargs:
            lr = self._number("learning_rate", kwargs.pop("learning_rate"), AT_LEAST_ZERO)
        clipnorm = kwargs.pop("clipnorm", None)
        clipvalue = kwargs.pop("clipvalue", None)
        if kwargs:
            raise TypeError(self._unexpected(kwargs))
        self._config_keys = []
        self.iterations = K.variable(0, dtype="int64", name="iterations")
        self.lr = self._hyperparameter("lr", lr, AT_LEAST_ZERO)
        self.initial_decay = None
        if decay is not None:
            self.decay = self._hyperparameter("decay", decay, AT_LEAST_ZERO)
            self.initial_decay = float(decay)
        self._clip_keys = []
        self.clipnorm = self._clip("clipnorm", clipnorm)
        self.clipvalue = self._clip("clipvalue", clipvalue)
        self.weights = []
        self.updates = []

    # ----------------------------------------------------------- arguments
    @property
    def learning_rate(self):
        """Alias of ``lr`` (the same variable).

        >>> from minigrad.optimizers import SGD
        >>> opt = SGD(learning_rate=0.3)
        >>> opt.learning_rate is opt.lr, opt.get_config()['lr']
        (True, 0.3)
        """
        return self.lr

    def __setattr__(self, name, value):
        """Refuse to replace a hyperparameter variable by a number: steps
        already compiled read the variable, so that would silently change
        nothing; ``K.set_value`` changes the variable itself."""
        current = self.__dict__.get("lr" if name == "learning_rate" else name)
        if isinstance(current, Variable) and not isinstance(value, Variable):
            raise TypeError(f"{type(self).__name__}: `{name}` is a variable that compiled steps "
                            f"read, and assigning a number would not change them; use "
                            f"K.set_value(opt.{name}, {value!r})")
        super().__setattr__(name, value)

    def _unexpected(self, kwargs):
        """The message for unknown keyword arguments, with the nearest
        accepted name for each (``momentm`` -> ``momentum``)."""
        accepted = [name for name in inspect.signature(type(self).__init__).parameters
                    if name not in ("self", "kwargs")] + ["clipnorm", "clipvalue", "learning_rate"]
        unknown = []
        for key in sorted(kwargs):
            nearest = difflib.get_close_matches(key, accepted, n=1)
            unknown.append(f"{key!r} (did you mean {nearest[0]!r}?)" if nearest else repr(key))
        return (f"{type(self).__name__}: unexpected keyword argument(s) {', '.join(unknown)}; "
                "accepted besides the hyperparameters: 'clipnorm', 'clipvalue', 'learning_rate'")

    def _number(self, name, value, valid, dtype=None):
        """``value`` as a float, checked against the range ``valid`` -- as it
        will be stored in ``dtype``, if given: 0.99999999 becomes 1.0 in
        float32 and 1e39 becomes inf, which the Python float would hide."""
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{type(self).__name__}: `{name}` must be a number, got {value!r}")
        value = float(value)
        with np.errstate(over="ignore"):
            stored = value if dtype is None else float(np.asarray(value, dtype=dtype))
        low, high, high_included = valid
        if not (low <= stored and (stored <= high if high_included else stored < high)):
            bound = "]" if high_included else ")"
            rounded = "" if stored == value or math.isnan(value) else \
                f", which is stored as {np.dtype(dtype).name} {stored!r}"
            raise ValueError(f"{type(self).__name__}: `{name}` must be in [{low:g}, {high:g}{bound}, "
                             f"got {name}={value!r}{rounded}")
        return value

    def _hyperparameter(self, name, value, valid):
        """A hyperparameter kept in a floatx variable (part of the config),
        checked as stored, so that the config reads back what is stored."""
        value = self._number(name, value, valid, dtype=K.floatx())
        variable = K.variable(value, name=name)
        self._config_keys.append(name)
        return variable

    def _setting(self, name, value, valid=None):
        """A checked hyperparameter kept as a Python float, or a bool when
        ``valid`` is None (part of the config)."""
        if valid is None and not isinstance(value, (bool, np.bool_)):
            # bool("False") is True: a flag must be a real boolean.
            raise TypeError(f"{type(self).__name__}: `{name}` must be True or False, got {value!r}")
        self._config_keys.append(name)
        return bool(value) if valid is None else self._number(name, value, valid)

    def _epsilon(self, epsilon):
        """``epsilon``, where ``None`` means ``K.epsilon()`` now."""
        return self._setting("epsilon", K.epsilon() if epsilon is None else epsilon, AT_LEAST_ZERO)

    def _clip(self, name, value):
        if value is None:
            return None
        self._clip_keys.append(name)
        return self._number(name, value, AT_LEAST_ZERO)

    # ------------------------------------------------------------ the step
    def get_gradients(self, loss, params):
        """The gradients of ``loss`` for ``params``, clipped as configured.

        Raises:
            ValueError: a parameter that ``loss`` does not depend on (its
                gradient would be ``None``).

        >>> from minigrad import backend as K
        >>> from minigrad.optimizers import SGD
        >>> a, b = K.variable([3., 0.]), K.variable([4.])
        >>> loss = (K.sum(K.square(a)) + K.sum(K.square(b))) / 2   # gradients a, b
        >>> [K.eval(g) for g in SGD(clipnorm=1.).get_gradients(loss, [a, b])]
        [array([0.6, 0. ], dtype=float32), array([0.8], dtype=float32)]
        """
        params = self._param_list(params)
        grads = K.gradients(loss, params)
        missing = [p.name for p, g in zip(params, grads) if g is None]
        if missing:
            raise ValueError(f"{type(self).__name__}: the loss has no gradient with respect to "
                             f"{', '.join(map(repr, missing))} (it does not depend on it, or only "
                             "through ops without a gradient); leave it out of `params`")
        if self.clipnorm is not None and self.clipnorm > 0:
            c = self.clipnorm
            norm = K.sqrt(sum([K.sum(K.square(g)) for g in grads]))
            # Both branches of a switch are computed; dividing by max(norm, c)
            # is the same as by norm where that branch is taken, and never 0/0.
            grads = [K.switch(K.greater_equal(norm, c), g * c / K.maximum(norm, c), g)
                     for g in grads]
        if self.clipvalue is not None and self.clipvalue > 0:
            c = self.clipvalue
            grads = [K.clip(g, -c, c) for g in grads]
        return grads

    def get_updates(self, loss, params):
        """The list of updates of one step (iterations, state, parameters).

        Each call creates fresh state (``weights``) for ``params``; compile the
        result once with ``K.function(..., updates=...)`` and call that.

        Args:
            loss: a scalar tensor that depends on every one of ``params``.
            params: the variables to optimize.

        Returns:
            A list of ``K.update`` pairs: the iteration count first, then, for
            each parameter, its slots and its new value (also kept as
            ``self.updates``).

        Raises:
            TypeError: an entry of ``params`` that is not a variable.
            ValueError: a parameter that ``loss`` does not depend on.
            NotImplementedError: on the base class, which has no update rule.

        >>> from minigrad import backend as K
        >>> from minigrad.optimizers import SGD
        >>> w = K.variable([1.0, 2.0], name='w')
        >>> opt = SGD(lr=0.1, momentum=0.9)
        >>> updates = opt.get_updates(K.sum(K.square(w)), [w])
        >>> [update.variable.name for update in updates]
        ['iterations', 'velocity_w', 'w']
        >>> step = K.function([], [], updates=updates)
        >>> _ = step([]); K.get_value(w)            # v = -0.1 * 2w, w + v
        array([0.8, 1.6], dtype=float32)
        """
        raise NotImplementedError(f"{type(self).__name__} does not define get_updates")

    def _start(self, loss, params):
        """Check ``params``, return their gradients and begin ``self.updates``
        with the iteration count, as every ``get_updates`` does first."""
        params = self._param_list(params)
        for p in params:
            if not isinstance(p, Variable):
                raise TypeError(f"{type(self).__name__}: params must be variables, got {p!r}")
            if np.promote_types(p.dtype, self.lr.dtype) != p.dtype:
                # A wider parameter (float64 under a float32 optimizer) takes
                # float64 steps; a narrower one would get steps it cannot hold.
                raise TypeError(f"{type(self).__name__}: parameter {p.name!r} is {p.dtype.name}, "
                                f"narrower than the optimizer's {self.lr.dtype.name} (floatx when "
                                "it was made), so its steps would not fit it; make the optimizer "
                                f"under K.set_floatx({p.dtype.name!r}), or the parameter "
                                f"{self.lr.dtype.name}")
        grads = self.get_gradients(loss, params)
        self.updates = [K.update_add(self.iterations, 1)]
        return params, grads

    def _param_list(self, params):
        """``params`` as a list; a single tensor is refused, by name."""
        if isinstance(params, Node):
            raise TypeError(f"{type(self).__name__}: params must be a list of variables, got the "
                            f"single tensor {params.name!r}; pass [{params.name}]")
        return list(params)

    def _decayed_lr(self):
        """The learning rate of this step: Keras 2.2's time-based decay with
        the pre-step iteration count, or ``lr`` itself when decay was 0.

        In float16 the count would become inf after 65,504 steps (and the
        rate 0), so there the factor is computed in float32, then cast."""
        lr = self.lr
        if self.initial_decay is not None and self.initial_decay > 0:
            dtype = K.dtype(self.decay)
            if np.dtype(dtype).itemsize >= 4:
                lr = lr * (1. / (1. + self.decay * K.cast(self.iterations, dtype)))
            else:
                factor = 1. / (1. + K.cast(self.decay, "float32") * K.cast(self.iterations, "float32"))
                lr = lr * K.cast(factor, dtype)
        return lr

    def _time(self):
        """``t = iterations + 1``, the number of this step, as a float."""
        return K.cast(self.iterations, K.floatx()) + 1

    @staticmethod
    def _slots(params, slot):
        """One new zero variable per parameter, of its shape and dtype, named
        after both (``m_w`` is the ``m`` of ``w``) so traces and drawings say
        which is which."""
        return [K.zeros(K.int_shape(p), dtype=K.dtype(p), name=f"{slot}_{p.name}") for p in params]

    def _update_param(self, p, p_t):
        """Append ``p <- p_t`` to the updates, through ``p``'s constraint if any."""
        if getattr(p, "constraint", None) is not None:
            p_t = p.constraint(p_t)
        self.updates.append(K.update(p, p_t))

    # --------------------------------------------------------------- state
    def get_weights(self):
        """The optimizer's state (``weights``) as a list of NumPy arrays.

        Returns:
            One array per state variable: ``iterations`` first, then the
            slots (empty before `get_updates`).

        >>> from minigrad import backend as K
        >>> from minigrad.optimizers import SGD
        >>> w = K.variable([1.0, 2.0], name='w')
        >>> opt = SGD(lr=0.1, momentum=0.9)
        >>> step = K.function([], [], updates=opt.get_updates(K.sum(K.square(w)), [w]))
        >>> _ = step([]); opt.get_weights()        # one step taken; the velocity of w
        [array(1), array([-0.2, -0.4], dtype=float32)]
        """
        return K.batch_get_value(self.weights)

    def set_weights(self, weights):
        """Restore the state from ``weights`` (as given by `get_weights`).

        Everything is checked before anything changes.

        Args:
            weights: one array per state variable, in the order of
                ``weights`` (``iterations`` first, then the slots).

        Raises:
            ValueError: no state yet (``get_updates`` not called), or a
                wrong number of arrays, or an array of the wrong shape.

        >>> import numpy as np
        >>> from minigrad import backend as K
        >>> from minigrad.optimizers import SGD
        >>> w = K.variable([1.0, 2.0], name='w')
        >>> opt = SGD(lr=0.1, momentum=0.9)
        >>> _ = opt.get_updates(K.sum(K.square(w)), [w])
        >>> opt.set_weights([5, np.array([0.5, -0.5])])
        >>> opt.get_weights()
        [array(5), array([ 0.5, -0.5], dtype=float32)]
        >>> opt.set_weights([5])
        Traceback (most recent call last):
        ValueError: SGD.set_weights: expected 2 arrays (iterations and the slots), got 1
        """
        name = type(self).__name__
        if not self.weights:
            raise ValueError(f"{name}.set_weights: the optimizer has no state yet; call "
                             "get_updates(loss, params) first")
        weights = list(weights)
        if len(weights) != len(self.weights):
            raise ValueError(f"{name}.set_weights: expected {len(self.weights)} arrays "
                             f"(iterations and the slots), got {len(weights)}")
        for i, (variable, value) in enumerate(zip(self.weights, weights)):
            if np.shape(value) != variable.value.shape:
                raise ValueError(f"{name}.set_weights: array {i} ({variable.name!r}) must have "
                                 f"shape {variable.value.shape}, got {np.shape(value)}")
        count = np.asarray(weights[0])
        if count.dtype.kind in "iuf" and count < 0:
            raise ValueError(f"{name}.set_weights: array 0 ('iterations') counts steps and must be "
                             f">= 0, got {count}")
        K.batch_set_value(list(zip(self.weights, weights)))

    # ------------------------------------------------------- configuration
    def get_config(self):
        """The hyperparameters as a dict of plain Python numbers and bools
        (Keras 2 keys; ``clipnorm``/``clipvalue`` only when given).

        >>> from minigrad.optimizers import SGD
        >>> SGD(lr=0.1, clipnorm=1.0).get_config()
        {'lr': 0.1, 'decay': 0.0, 'momentum': 0.0, 'nesterov': False, 'clipnorm': 1.0}
        """
        config = {key: _plain(getattr(self, key)) for key in self._config_keys}
        config.update({key: getattr(self, key) for key in self._clip_keys})
        return config

    @classmethod
    def from_config(cls, config):
        """A new optimizer with the hyperparameters of ``config``.

        Args:
            config: a dict as `get_config` returns; missing keys take their
                defaults.

        >>> from minigrad.optimizers import Adam
        >>> Adam.from_config({'lr': 0.01, 'beta_1': 0.5})
        Adam(lr=0.01, decay=0.0, beta_1=0.5, beta_2=0.999, epsilon=1e-07, amsgrad=False)
        >>> Adam.from_config(Adam(lr=0.01).get_config()).get_config() == Adam(lr=0.01).get_config()
        True
        """
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{key}={value!r}" for key, value in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _plain(value):
    """A Python number or bool for a config: a variable gives the shortest
    decimal that reads back as its value (0.001, not 0.0010000000474974513
    for float32)."""
    if isinstance(value, Variable):
        return float(str(value.value[()]))
    return value
