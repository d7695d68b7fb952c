"""Finite-difference checking: is a symbolic gradient right?

For a scalar ``L`` and each entry ``x_i`` of each variable, the central
difference

    (L(x + h e_i) - L(x - h e_i)) / (2 h)

approximates ``dL/dx_i`` with an error of order ``h**2``; in float64 with
``h = 1e-6`` that leaves about eight good digits, enough to catch any wrong
formula. A non-scalar output ``y`` is first reduced to the scalar
``sum(y * r)`` with fixed random weights ``r``, which checks every entry of
the Jacobian-vector product at once.
"""

import numpy as np

from .autodiff import gradients
from .executor import Function
from .graph import Node, Variable, as_node
from .ops import multiply, sum as sum_
from .tensors import set_value


class GradientCheckError(AssertionError):
    """A symbolic gradient disagrees with its finite-difference estimate.

    An ``AssertionError``, so a failed check inside a test reads as a failure.
    A kink is where the two legitimately differ: ``relu`` has gradient 0 at 0,
    while the central difference there averages the slopes 0 and 1:

    >>> import minigrad as mg
    >>> from minigrad import backend as K
    >>> x = K.variable([0.0, 1.0], dtype='float64', name='x')
    >>> mg.gradcheck(K.sum(K.relu(x)), [x])
    Traceback (most recent call last):
    minigrad.gradcheck.GradientCheckError: gradcheck: the symbolic gradient disagrees with finite ...
      x[0]: symbolic 0, numeric 0.5
    """


def numerical_gradients(loss, variables, feeds=None, eps=1e-6):
    """Central-difference estimates of ``d loss / d v`` for each variable ``v``.

    Every variable is left exactly as it was.

    Args:
        loss: a scalar tensor.
        variables: the variables to differentiate with respect to.
        feeds: ``{placeholder: array}`` for the placeholders ``loss`` needs.
        eps: the step ``h`` of ``(L(x + h) - L(x - h)) / (2 h)``.

    Returns:
        One float64 array per variable, of its shape.

    >>> import numpy as np
    >>> from minigrad import backend as K
    >>> v = K.variable([1.0, 2.0], dtype='float64', name='v')
    >>> p = K.placeholder(shape=(2,), dtype='float64', name='p')
    >>> numerical_gradients(K.sum(K.square(v) * p), [v], {p: np.array([3.0, 0.5])})   # 2 v p
    [array([6., 2.])]
    >>> K.get_value(v)
    array([1., 2.])
    """
    loss = as_node(loss)
    if loss.shape != ():
        raise ValueError(f"numerical_gradients: loss must be a scalar, but {loss.name!r} has "
                         f"shape {loss.shape}; gradcheck reduces a tensor for you")
    feeds = dict(feeds or {})
    evaluate = Function(list(feeds), [loss], name="numerical_gradient")
    arrays = list(feeds.values())
    estimates = []
    for variable in variables:
        original = variable.value
        estimate = np.zeros(original.shape, dtype=np.float64)
        try:
            for index in np.ndindex(original.shape):
                values = []
                for step in (eps, -eps):
                    shifted = original.copy()
                    shifted[index] += step
                    set_value(variable, shifted)
                    values.append(float(evaluate(arrays)[0]))
                estimate[index] = (values[0] - values[1]) / (2 * eps)
        finally:
            set_value(variable, original)
        estimates.append(estimate)
    return estimates


def gradcheck(output, variables, feeds=None, eps=1e-6, rtol=1e-5, atol=1e-7, seed=0):
    """Check ``K.gradients`` against finite differences; ``True`` or an error.

    ``output`` is a tensor built from ``variables`` (float64 variables: in
    float32 a finite difference has only about three good digits).
    ``feeds`` maps placeholders to arrays. Raises `GradientCheckError`
    listing the worst entries when ``|symbolic - numeric| > atol + rtol * |numeric|``.

    >>> import minigrad as mg
    >>> from minigrad import backend as K
    >>> x = K.variable([0.5, -1.0], dtype='float64')
    >>> mg.gradcheck(K.tanh(x) * x, [x])
    True
    """
    variables = [variables] if isinstance(variables, Node) else list(variables)
    for variable in variables:
        if not isinstance(variable, Variable):
            raise TypeError(f"gradcheck: {variable!r} is not a variable")
        if variable.dtype != np.float64:
            raise ValueError(f"gradcheck: variable {variable.name!r} is {variable.dtype.name}; "
                             "finite differences need float64 (K.set_floatx('float64'))")
    output = as_node(output)
    loss = output
    if output.shape != ():
        weights = np.random.default_rng(seed).uniform(0.5, 1.5, size=_concrete(output, feeds))
        loss = sum_(multiply(output, weights.astype(output.dtype)))
    symbolic = gradients(loss, variables)
    feeds = dict(feeds or {})
    connected = [g for g in symbolic if g is not None]
    values = iter(Function(list(feeds), connected, name="gradcheck")(list(feeds.values())))
    symbolic = [next(values) if g is not None else np.zeros(v.value.shape)
                for g, v in zip(symbolic, variables)]
    numeric = numerical_gradients(loss, variables, feeds, eps)
    problems = []
    for variable, ours, estimate in zip(variables, symbolic, numeric):
        error = np.abs(ours - estimate)
        bad = ~(error <= atol + rtol * np.abs(estimate))  # NaN on either side is bad too
        for index in [index for index in np.ndindex(bad.shape) if bad[index]][:5]:
            problems.append(f"  {variable.name}{list(index)}: symbolic {ours[index]:.10g}, "
                            f"numeric {estimate[index]:.10g}")
    if problems:
        raise GradientCheckError("gradcheck: the symbolic gradient disagrees with finite "
                                 "differences at\n" + "\n".join(problems))
    return True


def _concrete(output, feeds):
    """The run-time shape of ``output``, evaluating it if the static one has ``None``."""
    if all(dim is not None for dim in output.shape):
        return output.shape
    feeds = dict(feeds or {})
    return Function(list(feeds), [output])(list(feeds.values()))[0].shape
