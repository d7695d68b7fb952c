"""minigrad: a small, exact, readable symbolic autodiff engine with Keras 2 optimizers.

>>> from minigrad import backend as K
>>> w = K.variable([1.0, 2.0])
>>> loss = K.sum(K.square(w))
>>> K.eval(K.gradients(loss, [w])[0])
array([2., 4.], dtype=float32)
"""

from . import backend
from . import optimizers
from .autodiff import gradients
from .executor import EvaluationError, Function, function
from .gradcheck import GradientCheckError, gradcheck, numerical_gradients
from .graph import Constant, Node, Op, Placeholder, Update, Variable
from .trace import Trace

__version__ = "0.1.0"
