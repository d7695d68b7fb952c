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
Drawing lives in :mod:`minigrad.viz`, imported only when asked for, so a
trace costs no matplotlib import.
"""

import numpy as np


class TraceStep:
    """One node of a traced call and the value it had."""

    __slots__ = ("index", "node", "value")

    def __init__(self, index, node, value):
        self.index = index
        self.node = node
        self.value = np.asarray(value)

    def __repr__(self):
        return f"<TraceStep {self.index}: {self.node.name} = {_brief(self.value)}>"


class TraceUpdate:
    """One variable assignment of a traced call: ``variable`` went from ``old`` to ``new``."""

    __slots__ = ("variable", "old", "new")

    def __init__(self, variable, old, new):
        self.variable = variable
        self.old = old
        self.new = new

    def __repr__(self):
        return f"<TraceUpdate {self.variable.name}: {_brief(self.old)} -> {_brief(self.new)}>"


class Trace:
    """Every value computed during one call of a compiled function."""

    def __init__(self, function, outputs, steps, updates):
        self.function = function
        self.outputs = outputs
        self.steps = steps
        self.updates = updates

    def value(self, node):
        """The value ``node`` had in this call."""
        for step in self.steps:
            if step.node is node:
                return step.value
        raise KeyError(f"{node!r} was not evaluated in this call")

    def __len__(self):
        return len(self.steps)

    def show(self, step=None, **options):
        """The graph as it was at ``step`` (every value when ``None``), as a
        matplotlib ``Figure``; options go to :func:`minigrad.viz.draw_graph`."""
        from .viz.trace_view import draw_trace_step
        return draw_trace_step(self, step, **options)

    def widget(self, **options):
        """A slider stepping through the call (needs ipywidgets)."""
        from .viz.trace_view import trace_widget
        return trace_widget(self, **options)

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
