"""draw_graph and to_dot: rendered headless, checked by what they contain."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from minigrad import backend as K  # noqa: E402
from minigrad.graph import topological_order  # noqa: E402
from minigrad.viz import draw_graph, drawn_boxes, drawn_edges, layout_graph, to_dot  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def linear_regression():
    x = K.placeholder(shape=(None, 3), name="x")
    y = K.placeholder(shape=(None, 1), name="y")
    w = K.variable(np.zeros((3, 1)), name="w")
    b = K.variable(np.zeros((1,)), name="b")
    loss = K.mean(K.square(K.dot(x, w) + b - y))
    loss.name = "loss"  # a readable name for the drawing (ops accept no name=)
    return x, y, w, b, loss


def render(figure):
    figure.canvas.draw()  # a full Agg render: the drawing must not fail late
    return figure


def test_every_node_is_drawn_once_with_name_op_and_shape():
    x, y, w, b, loss = linear_regression()
    figure = render(draw_graph(loss))
    boxes = drawn_boxes(figure)
    nodes = topological_order([loss])
    assert len(boxes) == len(nodes) == 9
    for node in nodes:
        text = boxes[f"node:{node.name}"]
        assert node.name in text and str(node.shape) in text
    assert "placeholder (None, 3)" in boxes["node:x"]
    assert "mean" in boxes["node:loss"]
    assert drawn_edges(figure).count("input") == 8


def test_updates_are_drawn_distinctly_with_an_arrow_back_to_the_variable():
    x, y, w, b, loss = linear_regression()
    gw, gb = K.gradients(loss, [w, b])
    updates = [K.update_sub(w, 0.1 * gw), K.update_sub(b, 0.1 * gb)]
    figure = render(draw_graph([loss] + updates))
    boxes = drawn_boxes(figure)
    assert {"update:w", "update:b"} <= set(boxes)
    assert "w <- " in boxes["update:w"]
    edges = drawn_edges(figure)
    assert edges.count("update") == 2 and edges.count("assign") == 2
    nodes = topological_order([loss, gw, gb] + [u.value for u in updates])
    assert len(boxes) == len(nodes) + 2


def test_a_function_and_its_trace_put_values_and_gradients_on_the_boxes():
    x, y, w, b, loss = linear_regression()
    gw, gb = K.gradients(loss, [w, b])
    f = K.function([x, y], [loss, gw], updates=[K.update_sub(w, 0.5 * gw)])
    feeds = [np.ones((2, 3)), np.full((2, 1), 2.0)]
    trace = f.trace(feeds)
    figure = render(draw_graph(f, trace=trace, gradients={w: gw}))
    boxes = drawn_boxes(figure)
    assert "= 4" in boxes["node:loss"]            # mean((0 - 2)^2)
    assert "grad [[-4], [-4], [-4]]" in boxes["node:w"]
    assert "old [[0], [0], [0]]" in boxes["update:w"]
    assert "new [[2], [2], [2]]" in boxes["update:w"]


def test_a_trace_step_highlights_one_node_and_fades_the_later_ones():
    x, y, w, b, loss = linear_regression()
    f = K.function([x, y], [loss])
    trace = f.trace([np.ones((2, 3)), np.ones((2, 1))])
    step = 3
    figure = render(trace.show(step))
    boxes = drawn_boxes(figure)
    known = [record.node for record in trace.steps[:step + 1]]
    later = [record.node for record in trace.steps[step + 1:]]
    assert all("\n= " in boxes[f"node:{node.name}"] for node in known)
    assert not any("\n= " in boxes[f"node:{node.name}"] for node in later)
    highlighted = [t for t in figure.axes[0].texts if t.get_bbox_patch() is not None
                   and t.get_bbox_patch().get_linewidth() == 3.0]
    assert [t.get_gid() for t in highlighted] == [f"node:{trace.steps[step].node.name}"]
    assert trace.steps[step].node.name in figure.axes[0].get_title(loc="left")
    with pytest.raises(IndexError, match="out of range"):
        trace.show(len(trace.steps))


def test_a_big_graph_is_collapsed_into_a_readable_summary():
    x = K.placeholder(shape=(None, 4), name="x")
    h = x
    for _ in range(200):
        h = K.tanh(h) * 0.9
    loss = K.sum(h)
    loss.name = "total"
    figure = render(draw_graph(loss, max_nodes=60))
    boxes = drawn_boxes(figure)
    assert len(boxes) <= 12
    summaries = [text for gid, text in boxes.items() if gid.startswith("summary:")]
    assert sum(int(text.split(": ")[1].split()[0]) for text in summaries) == \
        len(topological_order([loss])) - 1          # every node but x, counted once
    op_counts = [part.split() for text in summaries for part in text.split("\n")[1].split(", ")]
    assert sum(int(count) for count, name, *_ in op_counts if name == "tanh") == 200
    assert "node:x" in boxes and "output:total" in boxes
    assert "collapsed" in figure.axes[0].get_title(loc="left")


def test_a_100000_node_chain_lays_out_without_recursion():
    x = K.placeholder(shape=(), name="x")
    one = K.constant(1.0)
    h = x
    for _ in range(100_000):
        h = h + one
    layout = layout_graph(h, max_nodes=60)
    assert layout.collapsed and layout.node_count == 100_002
    assert len(layout.boxes) <= 10


def test_layers_respect_the_data_flow_and_no_two_boxes_overlap():
    x, y, w, b, loss = linear_regression()
    gw, gb = K.gradients(loss, [w, b])
    layout = layout_graph([loss, K.update_sub(w, gw), K.update_sub(b, gb)])
    for source, target, kind in layout.edges:
        if kind != "assign":
            assert layout.by_key[source].layer < layout.by_key[target].layer
    places = [(box.layer, box.slot) for box in layout.boxes]
    assert len(set(places)) == len(places)


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


def test_draw_graph_rejects_what_it_cannot_draw():
    with pytest.raises(TypeError, match="cannot draw"):
        draw_graph([3.0])
    with pytest.raises(ValueError, match="direction"):
        draw_graph(K.placeholder(shape=(1,)) * 2, direction="sideways")


def box_extents(figure):
    renderer = figure.canvas.get_renderer()
    return {text.get_gid(): text.get_bbox_patch().get_window_extent(renderer)
            for text in figure.axes[0].texts
            if text.get_gid() and not text.get_gid().startswith("edge:")}


@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_a_graph_of_about_sixty_nodes_is_drawn_in_full_without_overlapping_boxes(direction):
    x = K.placeholder(shape=(None, 4), name="x")
    target = K.placeholder(shape=(None, 2), name="target")
    h = x
    params = []
    for layer, width in enumerate([8, 8, 2]):
        w = K.variable(np.zeros((K.int_shape(h)[1], width)), name=f"w{layer}")
        b = K.variable(np.zeros(width), name=f"b{layer}")
        params += [w, b]
        h = K.tanh(K.dot(h, w) + b)
    loss = K.mean(K.square(h - target))
    (g,) = K.gradients(loss, params[:1])
    graph = [loss, K.update_sub(params[0], 0.1 * g)]
    nodes = topological_order([loss, 0.1 * g])
    assert 45 <= len(nodes) + 1 <= 60
    figure = render(draw_graph(graph, direction=direction))
    extents = box_extents(figure)
    assert len(extents) == len(topological_order([loss, graph[1].value])) + 1
    boxes = list(extents.values())
    for i, first in enumerate(boxes):
        for second in boxes[i + 1:]:
            assert not first.overlaps(second), "two boxes overlap: the drawing is unreadable"


def test_deep_graphs_are_drawn_top_to_bottom_shallow_ones_left_to_right():
    x = K.placeholder(shape=(3,), name="x")
    deep = x
    for _ in range(15):
        deep = K.tanh(deep)
    for output, expected in [(K.sum(K.exp(x)), "LR"), (K.sum(deep), "TB")]:
        extents = box_extents(render(draw_graph(output)))
        first, last = extents["node:x"], extents[f"node:{output.name}"]
        if expected == "LR":
            assert first.x1 < last.x0
        else:
            assert first.y0 > last.y1          # inputs on top, read downwards like f.source


def test_viz_loads_lazily_from_the_package():
    import minigrad as mg
    assert mg.viz.draw_graph is draw_graph
    assert "rosenbrock" in mg.surfaces.SURFACES


def test_a_zero_parameter_such_as_axis_0_is_shown():
    from minigrad import backend as K
    from minigrad.viz.labels import describe_op
    assert describe_op(K.softmax(K.placeholder(shape=(2, 3)), axis=0)) == "softmax axis=0"
