"""minigrad/viz/dot.py: to_dot, the graph as Graphviz DOT text, with a trace's
values if given."""

from minigrad import backend as K
from minigrad.viz import to_dot
from helpers import FEEDS, regression_step
from figures import linear_regression


def test_to_dot_lists_every_node_edge_and_update():
    x, y, w, b, loss = linear_regression()
    dot = to_dot([loss, K.update_sub(w, 0.1 * K.gradients(loss, [w])[0])])
    assert dot.startswith("digraph minigrad {") and dot.rstrip().endswith("}")
    assert 'label="x\\nplaceholder (None, 3)"' in dot
    assert "style=dashed" in dot and "w <- " in dot
    nodes = [line for line in dot.splitlines() if "[label=" in line]
    edges = [line for line in dot.splitlines() if "->" in line]
    assert len(nodes) == len(set(nodes))
    assert len(edges) >= len(nodes) - 3


def test_to_dot_can_carry_a_traces_values():
    from minigrad.viz import to_dot
    x, y, w, b, loss, updates = regression_step()
    trace = K.function([x, y], [loss]).trace(FEEDS)
    dot = to_dot(loss, trace=trace)
    assert f"\\n= {float(trace.outputs[0]):.4g}" in dot
