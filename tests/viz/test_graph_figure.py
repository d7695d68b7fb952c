"""minigrad/viz/graph_figure.py: draw_graph, rendered headless and checked by
what the figure contains -- every node once, updates, a trace's values and
gradients, the traced step highlighted, big graphs collapsed, the direction,
text sizes."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from minigrad import backend as K
from minigrad.graph import topological_order
from minigrad.viz import draw_graph, drawn_boxes, drawn_edges
from figures import (adam_training_step, box_extents, box_patches, frames_in_data, highlighted,
                     linear_regression, render, small_constants)


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


def test_updates_are_drawn_distinctly_and_the_variables_they_write_are_marked():
    x, y, w, b, loss = linear_regression()
    gw, gb = K.gradients(loss, [w, b])
    updates = [K.update_sub(w, 0.1 * gw), K.update_sub(b, 0.1 * gb)]
    figure = render(draw_graph([loss] + updates))
    boxes = drawn_boxes(figure)
    assert {"update:w", "update:b"} <= set(boxes)
    assert "w <- " in boxes["update:w"]
    edges = drawn_edges(figure)
    assert edges.count("update") == 2 and "assign" not in edges   # no arc back across the figure
    frames = box_patches(figure)
    for name in "wb":
        assert frames[f"node:{name}"].get_linestyle() == "--"     # written after the call
        assert matplotlib.colors.to_hex(frames[f"node:{name}"].get_edgecolor()) == "#e06c00"
    assert frames["node:x"].get_linestyle() == "solid"
    nodes = topological_order([loss, gw, gb] + [u.value for u in updates])
    assert len(boxes) == len(nodes) - len(small_constants(nodes)) + 2   # 0.1 is in a label


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
    assert highlighted(figure) == [f"node:{trace.steps[step].node.name}"]
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


def test_draw_graph_rejects_what_it_cannot_draw():
    with pytest.raises(TypeError, match="cannot draw"):
        draw_graph([3.0])
    with pytest.raises(ValueError, match="direction"):
        draw_graph(K.placeholder(shape=(1,)) * 2, direction="sideways")


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


def test_text_is_at_least_9_points_and_every_label_fits_its_box():
    train, trace = adam_training_step()
    figure = render(trace.show(20))
    texts = [text for text in figure.axes[0].texts if text.get_text()]
    assert len(texts) > 60
    assert min(text.get_fontsize() for text in texts) >= 9
    assert figure.axes[0].title.get_fontsize() >= 9
    renderer, patches = figure.canvas.get_renderer(), box_patches(figure)
    for text in texts:
        if text.get_gid() in patches:
            inside, frame = text.get_window_extent(renderer), patches[text.get_gid()].get_window_extent(renderer)
            assert frame.x0 <= inside.x0 and inside.x1 <= frame.x1, text.get_gid()
            assert frame.y0 <= inside.y0 and inside.y1 <= frame.y1, text.get_gid()
    # drawn at its natural size: one data unit is one inch, so 9 pt is 9 pt on the screen
    ax = figure.axes[0]
    width_inches = ax.get_position().width * figure.get_figwidth()
    assert width_inches == pytest.approx(ax.get_xlim()[1] - ax.get_xlim()[0])


@pytest.mark.parametrize("max_nodes", [80, 30])
def test_the_traced_step_is_always_visibly_highlighted(max_nodes):
    train, trace = adam_training_step()
    for step in list(range(0, len(trace.steps), 9)) + [10]:
        figure = render(trace.show(step, max_nodes=max_nodes))
        (gid,) = highlighted(figure)
        patch, node = box_patches(figure)[gid], trace.steps[step].node
        assert patch.get_alpha() in (None, 1.0)
        x0, y0, x1, y1 = frames_in_data(figure)[gid]
        (left, right), (bottom, top) = figure.axes[0].get_xlim(), figure.axes[0].get_ylim()
        assert left <= x0 and x1 <= right and bottom <= y0 and y1 <= top
        assert gid == f"node:{node.name}" or f">> holds step {step}: {node.name}" in \
            drawn_boxes(figure)[gid]
        plt.close(figure)
