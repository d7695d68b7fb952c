"""Optimizers by name: ``get``, ``serialize``, ``deserialize``, as in Keras 2.

>>> from minigrad import optimizers
>>> optimizers.get('adam')
Adam(lr=0.001, decay=0.0, beta_1=0.9, beta_2=0.999, epsilon=1e-07, amsgrad=False)
>>> optimizers.serialize(optimizers.SGD(lr=0.1, momentum=0.9))
{'class_name': 'SGD', 'config': {'lr': 0.1, 'decay': 0.0, 'momentum': 0.9, 'nesterov': False}}
"""

from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import AMSGrad, Adam
from .adamax import Adamax
from .base import Optimizer
from .nadam import Nadam
from .rmsprop import RMSprop
from .sgd import SGD

#: Every optimizer, by lower-case name (names are matched case-insensitively).
OPTIMIZERS = {cls.__name__.lower(): cls
              for cls in (SGD, RMSprop, Adagrad, Adadelta, Adam, AMSGrad, Adamax, Nadam)}


def serialize(optimizer):
    """``{'class_name': ..., 'config': ...}`` describing ``optimizer``.

    Args:
        optimizer: an `Optimizer`.

    Returns:
        A dict of plain Python values that `deserialize` turns back into an
        equal optimizer.

    Raises:
        TypeError: ``optimizer`` is not an optimizer.

    >>> from minigrad.optimizers import Adagrad
    >>> serialize(Adagrad(lr=0.1))
    {'class_name': 'Adagrad', 'config': {'lr': 0.1, 'decay': 0.0, 'epsilon': 1e-07}}
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"serialize: expected an optimizer, got {optimizer!r}")
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config):
    """A new optimizer from ``{'class_name': ..., 'config': {...}}``.

    Args:
        config: a dict as `serialize` returns; the class name is matched
            case-insensitively and a missing ``'config'`` means the defaults.

    Raises:
        ValueError: an unknown class name (the message lists the known ones)
            or a dict without ``'class_name'``.

    >>> deserialize({'class_name': 'rmsprop', 'config': {'lr': 0.01}})
    RMSprop(lr=0.01, decay=0.0, rho=0.9, epsilon=1e-07)
    >>> deserialize({'class_name': 'AdamW'})
    Traceback (most recent call last):
    ValueError: unknown optimizer 'AdamW'; known optimizers: SGD, RMSprop, Adagrad, ..., Nadam
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"deserialize: expected a dict with 'class_name' (and 'config'), "
                         f"got {config!r}")
    name = config["class_name"]
    cls = OPTIMIZERS.get(str(name).lower())
    if cls is None:
        known = ", ".join(cls.__name__ for cls in OPTIMIZERS.values())
        raise ValueError(f"unknown optimizer {name!r}; known optimizers: {known}")
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier):
    """An optimizer from a name (``'adam'``), a serialized dict, or an
    optimizer (returned as it is).

    Args:
        identifier: a name such as ``'adam'`` or ``'AMSGrad'`` (the
            defaults), a dict as `serialize` returns, or an optimizer.

    Raises:
        ValueError: an unknown name, or an identifier of another kind.

    >>> from minigrad.optimizers import SGD
    >>> get('nadam')
    Nadam(lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-07, schedule_decay=0.004)
    >>> opt = SGD(lr=0.1)
    >>> get(opt) is opt
    True
    >>> get(0.1)
    Traceback (most recent call last):
    ValueError: could not interpret optimizer identifier 0.1; give a name such as 'adam', ...
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise ValueError(f"could not interpret optimizer identifier {identifier!r}; give a name "
                     "such as 'adam', a dict {'class_name': ..., 'config': ...}, or an optimizer")
