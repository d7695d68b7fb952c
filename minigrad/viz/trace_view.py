"""Looking at a `Trace`: a table, a figure per step, a slider.

* `trace_table_html` -- every evaluated node in order, what computed it
  and its value, then every update (old and new value); a notebook shows it
  for a bare ``trace``;
* `draw_trace_step` -- the graph with the values known at one step,
  that step's node highlighted (``trace.show(step)``);
* `trace_widget` -- a slider over the steps, if ipywidgets is installed
  (``trace.widget()``); without it, ``trace.show(step)`` does the same job.
"""

import html
import io

import matplotlib.pyplot as plt
import numpy as np

from .graph_figure import draw_graph
from .labels import brief, describe_op, style_of


def trace_table_html(trace, max_rows=400):
    """The trace as an HTML table (what a notebook shows for ``trace``).

    >>> from minigrad import backend as K
    >>> w = K.variable(2.0, name='w')
    >>> f = K.function([], [w * w], updates=[K.update_sub(w, 1.0)])
    >>> table = trace_table_html(f.trace([]))
    >>> '<td>w</td>' in table and 'update' in table
    True
    """
    rows = []
    for step in trace.steps[:max_rows]:
        node = step.node
        if node.op is None:
            how = {"placeholder": "fed", "variable": "value before the call",
                   "constant": "constant"}[style_of(node)]
        else:
            how = f"{describe_op(node)}({', '.join(source.name for source in node.inputs)})"
        rows.append(_row([step.index, node.name, how, node.shape, node.dtype.name,
                          brief(step.value, 40)]))
    if len(trace.steps) > max_rows:
        rows.append(_row(["...", f"{len(trace.steps) - max_rows} more steps", "", "", "", ""]))
    head = _row(["step", "node", "computed as", "shape", "dtype", "value"], cell="th")
    parts = [f"<p><b>Trace of {html.escape(trace.function.name)}</b>: {len(trace.steps)} "
             f"steps, {len(trace.updates)} updates (applied together after the last step)</p>",
             f"<table>{head}{''.join(rows)}</table>"]
    if trace.updates:
        changes = [_row([update.variable.name, brief(update.old, 40), brief(update.new, 40),
                         f"{_largest_change(update):.3g}"]) for update in trace.updates]
        head = _row(["update", "old", "new", "largest change"], cell="th")
        parts.append(f"<table>{head}{''.join(changes)}</table>")
    return "\n".join(parts)


def _row(cells, cell="td"):
    return "<tr>" + "".join(f"<{cell}>{html.escape(str(value))}</{cell}>" for value in cells) + "</tr>"


def _largest_change(update):
    difference = np.asarray(update.new, dtype=float) - np.asarray(update.old, dtype=float)
    return float(np.max(np.abs(difference))) if difference.size else 0.0


def draw_trace_step(trace, step=None, **options):
    """The traced graph at ``step``: values up to that node, the node highlighted.

    ``step=None`` shows every value and the updates' old and new values.
    Options are passed to `draw_graph`.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(), name='x')
    >>> f = K.function([x], [K.exp(x)])
    >>> figure = draw_trace_step(f.trace([0.0]), step=0)
    >>> figure.axes[0].get_title(loc='left')
    '2 nodes | step 0 of 1: x'
    """
    return draw_graph(trace, trace=trace, step=step, **options)


def trace_widget(trace, **options):
    """A slider that steps through ``trace``, redrawing the graph at each step.

    The picture is a PNG in an ``ipywidgets.Image``, redrawn when the slider
    moves (no output capturing, so it also behaves in headless runs).

    Args:
        trace: a `Trace`.
        **options: passed to `draw_graph` for every step.

    Returns:
        An ``ipywidgets.VBox`` of an ``IntSlider`` (one position per step)
        and an ``Image``; a notebook displays it.

    Raises:
        ImportError: ipywidgets is not installed (``pip install
            ipywidgets``; the ``jupyter`` development dependency brings it).
            The message points to ``trace.show(step)``, which needs nothing more.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(), name='x')
    >>> f = K.function([x], [K.exp(x)])
    >>> slider, image = trace_widget(f.trace([0.0])).children
    >>> type(slider).__name__, slider.min, slider.max, image.format
    ('IntSlider', 0, 1, 'png')
    """
    try:
        import ipywidgets
    except ImportError as error:
        raise ImportError("trace.widget() needs ipywidgets (pip install ipywidgets); "
                          "trace.show(step) draws one step without it") from error

    slider = ipywidgets.IntSlider(value=0, min=0, max=len(trace.steps) - 1,
                                  description="step", continuous_update=False)
    image = ipywidgets.Image(value=step_png(trace, 0, **options), format="png")

    def redraw(change):
        image.value = step_png(trace, change["new"], **options)

    slider.observe(redraw, names="value")
    return ipywidgets.VBox([slider, image])


def step_png(trace, step, dpi=80, **options):
    """The figure of `draw_trace_step` as PNG bytes (the figure is closed).

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(), name='x')
    >>> f = K.function([x], [K.exp(x)])
    >>> step_png(f.trace([0.0]), 1)[1:4]         # the PNG signature
    b'PNG'
    """
    figure = draw_trace_step(trace, step, **options)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()
