"""What each node of a training step is *for*: forward pass, gradients or updates.

A drawing of one training step reads best as three groups, in the order the
step computes them: the **forward pass** (everything the outputs, the loss,
need), the **gradients** that ``K.gradients`` added, and the **updates** the
optimizer built from them. Nothing in a graph says which is which, so the
groups are worked out from the graph's shape:

* *forward*: an ancestor of one of the drawn tensors (the loss);
* *updates*: the new value of an update, or a node that reads optimizer state
  (a variable that is updated but is not a parameter of the forward pass,
  such as Adam's ``m`` or ``iterations``) or a hyperparameter;
* *gradients*: everything else (what ``K.gradients`` built).

Two kinds of node are *folded* into the label of the op that uses them
rather than drawn as boxes of their own, because a box and an arrow for the
number 0.9 hide the structure: small constants (``multiply(m_w, 0.9)``), and
the optimizer's *hyperparameters*, scalar variables that only the updates
read and nothing writes (``lr``, ``beta_1``), which the drawing lists once in
a small legend.
"""

from ..graph import Constant, Variable
from .labels import brief

GROUPS = ("forward", "gradients", "updates")
#: What each group is called on a drawing.
GROUP_TITLES = {"forward": "forward pass", "gradients": "gradients (K.gradients)",
                "updates": "optimizer updates"}


def foldable(node, consumers):
    """Whether ``node`` is a small constant that its consumers can show inline.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(2,), name='x')
    >>> y = x * 0.9
    >>> foldable(y.inputs[1], [y]), foldable(x, [y])
    (True, False)
    """
    return isinstance(node, Constant) and node.value.size <= 4 and bool(consumers)


def hyperparameters(order, updates, forward):
    """The scalar variables only the updates read and nothing writes (``lr``, ``beta_1``).

    >>> from minigrad import backend as K, optimizers
    >>> w = K.variable([1.0], name='w')
    >>> loss = K.sum(K.square(w))
    >>> updates = optimizers.Adam().get_updates(loss, [w])
    >>> from minigrad.graph import topological_order
    >>> order = topological_order([loss] + [u.value for u in updates])
    >>> sorted(v.name for v in hyperparameters(order, updates, set(topological_order([loss]))))
    ['beta_1', 'beta_2', 'lr']
    """
    if not updates:
        return []
    written = {update.variable for update in updates}
    return [node for node in order if isinstance(node, Variable) and node.shape == ()
            and node not in written and node not in forward]


def assign_groups(order, tensors, updates, forward):
    """``{node: group}`` for every node of ``order`` (see the module docstring).

    >>> from minigrad import backend as K, optimizers
    >>> w = K.variable([1.0], name='w')
    >>> loss = K.sum(K.square(w))
    >>> updates = optimizers.SGD(lr=0.1).get_updates(loss, [w])
    >>> from minigrad.graph import topological_order
    >>> order = topological_order([loss] + [u.value for u in updates])
    >>> groups = assign_groups(order, [loss], updates, set(topological_order([loss])))
    >>> groups[loss], groups[updates[-1].value]
    ('forward', 'updates')
    """
    state = {update.variable for update in updates} - forward
    state.update(hyperparameters(order, updates, forward))
    new_values = {update.value for update in updates}
    groups = {}
    for node in order:   # a topological order: inputs are grouped before their consumers
        if node in forward:
            groups[node] = "forward"
        elif node in state or node in new_values or node.op is not None and any(
                groups[source] == "updates" for source in node.inputs):
            groups[node] = "updates"
        else:
            groups[node] = "gradients"
    return groups


def inline_label(node, folded):
    """How a node appears inside its consumer's label: its name, or a folded constant's value.

    >>> from minigrad import backend as K
    >>> c = K.constant(0.9)
    >>> inline_label(c, {c}), inline_label(K.placeholder(shape=(), name='x'), set())
    ('0.9', 'x')
    """
    if node in folded and isinstance(node, Constant):
        return brief(node.value, 16)
    return node.name
