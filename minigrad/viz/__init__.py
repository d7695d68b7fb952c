"""Seeing every step: graph drawings, traces, optimizer paths, training curves.

Everything here draws with matplotlib alone (no Graphviz binary needed) and
returns a ``matplotlib.figure.Figure``, so a notebook shows it and a script
can ``savefig`` it.

* `draw_graph` and `to_dot` -- the computation graph;
* `draw_trace_step` and `trace_widget` -- one call, node by node
  (also as ``trace.show(step)`` and ``trace.widget()``);
* `plot_trajectories` and `animate_trajectories` -- optimizers
  walking over the 2-D functions of `minigrad.surfaces`;
* `plot_training_curves` -- loss and accuracy per optimizer.
"""

from .dot import to_dot
from .graph_figure import draw_graph, drawn_boxes, drawn_edges
from .layout import layout_graph
from .trace_view import draw_trace_step, trace_table_html, trace_widget
from .trajectories import animate_trajectories, plot_trajectories
from .curves import plot_training_curves
