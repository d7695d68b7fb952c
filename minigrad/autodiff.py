"""Reverse-mode differentiation that turns a graph into more graph.

``gradients(loss, variables)`` walks the graph from ``loss`` back to the
variables, once, in reverse topological order. At each node it holds ``g``,
the gradient of ``loss`` with respect to that node (the sum of what every
consumer sent back), and asks the node's op for the gradient of each input
(``minigrad.graph.Op.vjp``). The chain rule in one line::

    d loss / d input  +=  vjp(node, d loss / d node, i)

Because every ``vjp`` is written with ops, the result is a graph: it can be
evaluated, drawn, or differentiated again (a Hessian-vector product is the
gradient of ``sum(gradient * v)``).

Two things happen here for every op, so that no op has to do them itself:

* only inputs on a path to one of the ``variables`` are visited, and only
  floating-point ones (integers and booleans have no gradient);
* a gradient arriving at an input of an op that broadcasts is summed back
  down to that input's shape (``sum_like``), when their static shapes differ.

Equal static shapes with unknown (``None``) dimensions are not summed on the
way: such a dimension could, at run time, have been broadcast from 1. The
gradient then keeps the wider shape for a while, which changes no number --
every op between here and the variable is linear in ``g``, so the sum may
come later -- and the sum comes where the shape is known again: at an input
whose static shape differs (every variable has a fully known shape), or at
the end for a requested tensor with unknown dimensions. An op that needs the
exact shape before then (``dot``, ``reshape``) raises, naming itself.
"""

from .graph import Node, as_node, collector_paused, topological_order
from .ops import cast, sum_like


def gradients(loss, variables):
    """Symbolic gradients of the scalar ``loss`` with respect to each of ``variables``.

    Returns a list with one node per variable, or ``None`` for a variable that
    ``loss`` does not depend on (through a differentiable path).

    >>> from minigrad import backend as K
    >>> w = K.variable([1., 2.])
    >>> (g,) = K.gradients(K.sum(K.square(w)), [w])
    >>> K.eval(g)
    array([2., 4.], dtype=float32)
    """
    if not isinstance(loss, Node):
        raise TypeError(f"gradients: loss must be a tensor, got {loss!r}")
    variables = [variables] if isinstance(variables, Node) else list(variables)
    for variable in variables:
        if not isinstance(variable, Node):
            raise TypeError(f"gradients: cannot differentiate with respect to {variable!r}")
    if loss.shape != ():
        raise ValueError(f"gradients: loss must be a scalar (shape ()), but {loss.name!r} has "
                         f"shape {loss.shape}; reduce it first, e.g. with K.mean or K.sum")

    with collector_paused():
        return _backward(loss, variables)


def _backward(loss, variables):
    """The reverse sweep of ``gradients``: each node's gradient, from the
    loss back to the variables."""
    order = topological_order([loss])
    relevant = _depends_on(order, variables)
    grads = {loss: as_node(1.0, like=loss)} if loss in relevant else {}
    for node in reversed(order):
        g, op = grads.get(node), node.op
        if g is None or op is None:
            continue
        for i, source in enumerate(node.inputs):
            if source not in relevant:
                continue
            contribution = op.vjp(node, g, i)
            if contribution is None:
                continue
            if op.broadcasts and contribution.shape != source.shape:
                contribution = sum_like(contribution, source)
            earlier = grads.get(source)
            grads[source] = contribution if earlier is None else earlier + contribution
    return [_finish(grads.get(variable), variable) for variable in variables]


def _finish(g, variable):
    """The gradient as the variable's own shape and dtype.

    A tensor with unknown dimensions may still have been broadcast at run
    time (a batch of 1 against a batch of 5): one sum at the end settles it,
    as summing is linear and may wait (see the module docstring). And a
    float32 variable mixed with float64 on its way to the loss gets a
    float32 gradient, as TensorFlow gives, so an optimizer can use it.
    """
    if g is None:
        return None
    g = sum_like(g, variable)
    return g if g.dtype == variable.dtype else cast(g, variable.dtype)


def _depends_on(order, variables):
    """The nodes of ``order`` (a topological order) through which a gradient
    can reach one of ``variables``: floating-point nodes with such a variable
    among their ancestors, the variables included."""
    relevant = {variable for variable in variables if variable.dtype.kind == "f"}
    for node in order:
        if node.dtype.kind == "f" and not relevant.isdisjoint(node.inputs):
            relevant.add(node)
    return relevant
