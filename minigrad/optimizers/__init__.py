"""The Keras 2.2 optimizers, one small module each, in the order to read them.

==========  =========================================================
``sgd``      SGD, momentum, Nesterov momentum
``rmsprop``  + a running mean of g**2 to scale each entry's step
``adagrad``  + the sum of g**2 instead (steps only shrink)
``adadelta`` + a running RMS of the steps in place of the rate
``adam``     momentum + RMSprop + bias correction; AMSGrad: max of v
``adamax``   Adam with the infinity norm
``nadam``    Adam with Nesterov momentum
``base``     what they share, written once
==========  =========================================================

>>> from minigrad import optimizers
>>> optimizers.get('AMSGrad').amsgrad
True
"""

from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import AMSGrad, Adam
from .adamax import Adamax
from .base import Optimizer
from .nadam import Nadam
from .registry import deserialize, get, serialize
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "AMSGrad", "Adamax",
           "Nadam", "get", "serialize", "deserialize"]
