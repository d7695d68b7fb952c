"""minigrad: a small, exact, readable symbolic autodiff engine with Keras 2 optimizers.

>>> from minigrad import backend as K
>>> w = K.variable([1.0, 2.0])
>>> loss = K.sum(K.square(w))
>>> K.eval(K.gradients(loss, [w])[0])
array([2., 4.], dtype=float32)
"""

import importlib

from . import backend
from . import optimizers
from .autodiff import gradients
from .executor import EvaluationError, Function, function
from .gradcheck import GradientCheckError, gradcheck, numerical_gradients
from .graph import Constant, Node, Op, Placeholder, Update, Variable
from .trace import Trace

__version__ = "0.1.0"


def __getattr__(name):
    # minigrad.viz and minigrad.surfaces load on first use: matplotlib is
    # slow to import, and the engine does not need it.
    if name in ("viz", "surfaces"):
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'minigrad' has no attribute {name!r}")
