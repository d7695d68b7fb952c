"""minigrad/viz/routing.py: where boxes and edges land on the page -- no two
boxes overlap, and no edge runs through a box it does not connect."""

import numpy as np
import pytest

from minigrad import backend as K
from minigrad.graph import topological_order
from minigrad.viz import draw_graph
from figures import (adam_training_step, box_extents, frames_in_data, linear_regression, render,
                     small_constants)


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
    nodes = topological_order([loss, graph[1].value])
    assert len(extents) == len(nodes) - len(small_constants(nodes)) + 1   # + the update
    boxes = list(extents.values())
    for i, first in enumerate(boxes):
        for second in boxes[i + 1:]:
            assert not first.overlaps(second), "two boxes overlap: the drawing is unreadable"


def drawn_routes(figure):
    """``[(source gid, target gid, points)]`` of every edge's polyline."""
    return [(*line.get_gid().split("|")[1:], np.column_stack(line.get_data()))
            for ax in figure.axes for line in ax.lines
            if (line.get_gid() or "").startswith("route:")]


def segment_hits(start, end, box, inset=1e-3):
    """Whether the segment from ``start`` to ``end`` passes through the inside of ``box``
    (Liang and Barsky's clipping: the part of the segment inside is not empty)."""
    x0, y0, x1, y1 = box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset
    (px, py), (dx, dy) = start, (end[0] - start[0], end[1] - start[1])
    low, high = 0.0, 1.0
    for p, q in [(-dx, px - x0), (dx, x1 - px), (-dy, py - y0), (dy, y1 - py)]:
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
    return low < high


def test_the_crossing_check_itself_sees_a_crossing():
    assert segment_hits((0, 0), (2, 2), (0.5, 0.5, 1, 1))
    assert not segment_hits((0, 0), (2, 0), (0.5, 0.5, 1, 1))
    assert not segment_hits((0, 0.5), (2, 0.5), (0.5, 0.5, 1, 1))   # along the frame is fine


def lesson_2_gradient():
    a, b, c = K.variable(2.0, name="a"), K.variable(-3.0, name="b"), K.variable(10.0, name="c")
    return draw_graph(K.gradients(K.square(a * b + c), [a])[0])


def lesson_3_step():
    x, y, w, b, loss = linear_regression()
    gw, gb = K.gradients(loss, [w, b])
    step = K.function([x, y], [loss], updates=[K.update_sub(w, 0.1 * gw), K.update_sub(b, 0.1 * gb)])
    trace = step.trace([np.ones((4, 3)), np.zeros((4, 1))])
    return draw_graph(step, trace=trace, gradients={w: gw})


DRAWINGS = {
    "lesson 3's traced step": lesson_3_step,
    "training step": lambda: draw_graph(*adam_training_step()),
    "training step, collapsed": lambda: adam_training_step()[1].show(10, max_nodes=30),
    "training step, left to right": lambda: draw_graph(adam_training_step()[0], direction="LR"),
    "lesson 2's gradient": lesson_2_gradient,
}


@pytest.mark.parametrize("name", list(DRAWINGS))
def test_no_edge_passes_through_a_box_it_does_not_connect(name):
    figure = render(DRAWINGS[name]())
    frames, routes = frames_in_data(figure), drawn_routes(figure)
    assert routes and any(len(points) > 4 for _, _, points in routes)   # some edges skip layers
    heads = [text for text in figure.axes[0].texts if (text.get_gid() or "").startswith("edge:")]
    assert len(heads) == len(routes)
    for head in heads:   # every arrow has a head: drawn along a segment of some length
        assert np.hypot(*np.subtract(head.xy, head.xyann)) > 0.05
    for source, target, points in routes:
        assert source in frames and target in frames
        for gid, frame in frames.items():
            if gid not in (source, target):
                hits = [segment_hits(p, q, frame) for p, q in zip(points, points[1:])]
                assert not any(hits), f"the edge {source} -> {target} runs through {gid}"
