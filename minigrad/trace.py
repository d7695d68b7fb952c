"""A record of one call of a compiled function, node by node.

``trace = f.trace(feeds)`` runs the call exactly as ``f(feeds)`` would
(updates included) and keeps every value on the way:

* ``trace.outputs`` -- what ``f(feeds)`` returns;
* ``trace.steps`` -- each evaluated node in evaluation order, with ``.node``
  and ``.value`` (leaves first read, then each op as it is computed);
* ``trace.updates`` -- each update, with ``.variable``, ``.old`` and ``.new``.

To look at it: ``repr(trace)`` is a plain-text listing; a notebook shows an
HTML table (``_repr_html_``); ``trace.show(step)`` draws the graph as it was
at one step; ``trace.widget()`` adds a slider when ipywidgets is installed.
Drawing lives in `minigrad.viz`, the top layer, which knows a trace only by
what it holds. ``show``, ``widget`` and ``_repr_html_`` import it when first
called -- the one ``import`` of minigrad's own code written inside a
function -- because matplotlib takes about a second to import, and
``import minigrad`` (or Keras loading its backend) should not pay for a
drawing nobody asked for. (``minigrad.viz`` as an attribute of the package
loads on first use too.) As viz runs optimizers for its trajectory plots,
and so reaches the executor, this link closes an import cycle: one of the
two the package documents and ``tests/test_layering.py`` allows.
"""

import numpy as np


class TraceStep:
    """One node of a traced call and the value it had.

    Args:
        index: the node's place in evaluation order (from 0).
        node: the node.
        value: its value in this call (kept as a NumPy array).

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(2,), name='x')
    >>> step = K.function([x], [K.square(x)]).trace([[1.0, 2.0]]).steps[1]
    >>> step
    <TraceStep 1: square_... = [1., 4.]>
    >>> step.node.name.startswith('square'), step.value
    (True, array([1., 4.], dtype=float32))
    """

    __slots__ = ("index", "node", "value")

    def __init__(self, index, node, value):
        self.index = index
        self.node = node
        self.value = np.asarray(value)

    def __repr__(self):
        return f"<TraceStep {self.index}: {self.node.name} = {_brief(self.value)}>"


class TraceUpdate:
    """One variable assignment of a traced call: ``variable`` went from ``old`` to ``new``.

    >>> from minigrad import backend as K
    >>> w = K.variable(2.0, name='w')
    >>> update = K.function([], [], updates=[K.update_add(w, 0.5)]).trace([]).updates[0]
    >>> update
    <TraceUpdate w: 2. -> 2.5>
    >>> update.variable is w, float(update.old), float(update.new)
    (True, 2.0, 2.5)
    """

    __slots__ = ("variable", "old", "new")

    def __init__(self, variable, old, new):
        self.variable = variable
        self.old = old
        self.new = new

    def __repr__(self):
        return f"<TraceUpdate {self.variable.name}: {_brief(self.old)} -> {_brief(self.new)}>"


class Trace:
    """Every value computed during one call of a compiled function.

    Made by ``f.trace(feeds)``, which also applies the updates, as ``f(feeds)`` would.

    Args:
        function: the compiled function that was called.
        outputs: what the call returned.
        steps: a `TraceStep` per evaluated node, in evaluation order.
        updates: a `TraceUpdate` per update, applied after the last step.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(), name='x')
    >>> w = K.variable(2.0, name='w')
    >>> f = K.function([x], [w * x], updates=[K.update_sub(w, 1.0)])
    >>> trace = f.trace([3.0])
    >>> trace.outputs, float(K.get_value(w))        # the update was applied
    ([array(6., dtype=float32)], 1.0)
    >>> trace
    Trace of function: 5 steps, 1 updates
        0  w                    2.
        1  x                    3.
        2  multiply_...         6.
        3  constant_...         1.
        4  subtract_...         1.
      update w: 2. -> 1.
    """

    def __init__(self, function, outputs, steps, updates):
        self.function = function
        self.outputs = outputs
        self.steps = steps
        self.updates = updates
        self._step_of = {step.node: step for step in steps}  # value() in constant time

    def value(self, node):
        """The value ``node`` had in this call.

        Raises:
            KeyError: ``node`` was not evaluated in this call.

        >>> from minigrad import backend as K
        >>> x = K.placeholder(shape=(2,), name='x')
        >>> hidden = K.tanh(x)
        >>> trace = K.function([x], [K.sum(hidden)]).trace([[0.0, 1.0]])
        >>> trace.value(hidden)
        array([0.    , 0.7616], dtype=float32)
        >>> trace.value(K.exp(x))
        Traceback (most recent call last):
        KeyError: "<Tensor 'exp_...' = exp(x) ...> was not evaluated in this call"
        """
        if node not in self._step_of:
            raise KeyError(f"{node!r} was not evaluated in this call")
        return self._step_of[node].value

    def __len__(self):
        return len(self.steps)

    def show(self, step=None, **options):
        """The graph as it was at ``step`` (every value when ``None``), as a
        matplotlib ``Figure``; options go to `minigrad.viz.draw_graph`.

        >>> import matplotlib.pyplot as plt
        >>> from minigrad import backend as K
        >>> x = K.placeholder(shape=(), name='x')
        >>> trace = K.function([x], [K.exp(x)]).trace([0.0])
        >>> figure = trace.show(1)
        >>> figure.axes[0].get_title(loc='left')
        '2 nodes | step 1 of 1: exp_...'
        >>> plt.close(figure)
        """
        from .viz.trace_view import draw_trace_step
        return draw_trace_step(self, step, **options)

    def widget(self, **options):
        """A slider stepping through the call (needs ipywidgets); see
        `minigrad.viz.trace_widget`.

        >>> from minigrad import backend as K
        >>> x = K.placeholder(shape=(), name='x')
        >>> trace = K.function([x], [K.exp(x)]).trace([0.0])
        >>> [type(child).__name__ for child in trace.widget().children]
        ['IntSlider', 'Image']
        """
        from .viz.trace_view import trace_widget
        return trace_widget(self, **options)

    def __reduce_ex__(self, protocol):
        raise TypeError("a Trace cannot be pickled or copied: it refers to the compiled function "
                        "(made by K.function, which holds compiled code); pickle the values "
                        "instead, e.g. {step.node.name: step.value for step in trace.steps}")

    def _repr_html_(self):
        from .viz.trace_view import trace_table_html
        return trace_table_html(self)

    def __repr__(self):
        lines = [f"Trace of {self.function.name}: {len(self.steps)} steps, {len(self.updates)} updates"]
        for step in self.steps:
            lines.append(f"  {step.index:>3}  {step.node.name:<20} {_brief(step.value)}")
        for update in self.updates:
            lines.append(f"  update {update.variable.name}: {_brief(update.old)} -> {_brief(update.new)}")
        return "\n".join(lines)


def _brief(value, limit=6):
    """A one-line picture of an array: small ones in full, big ones by shape."""
    array = np.asarray(value)
    if array.size <= limit:
        return np.array2string(array, precision=4, separator=", ").replace("\n", "")
    return f"<{array.dtype.name} array of shape {array.shape}>"
