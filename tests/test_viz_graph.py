"""draw_graph and to_dot: rendered headless, checked by what they contain."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from minigrad import backend as K, optimizers  # noqa: E402
from minigrad.graph import Constant, topological_order  # noqa: E402
from minigrad.viz import draw_graph, drawn_boxes, drawn_edges, layout_graph, to_dot  # noqa: E402


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


def small_constants(nodes):
    """The constants a drawing folds into their consumers' labels."""
    return [node for node in nodes if isinstance(node, Constant) and node.value.size <= 4]


def box_patches(figure):
    """``{gid: patch}`` of every box frame drawn (gids as in `drawn_boxes`)."""
    return {patch.get_gid()[len("box:"):]: patch for ax in figure.axes for patch in ax.patches
            if (patch.get_gid() or "").startswith("box:")}


def highlighted(figure):
    """The gids of the boxes outlined in the highlight's red, thick line."""
    return [gid for gid, patch in box_patches(figure).items()
            if patch.get_linewidth() >= 3.0
            and matplotlib.colors.to_hex(patch.get_edgecolor()) == "#d62728"]


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
    for source, target, style in layout.edges:
        if style != "assign":
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
    return {gid: patch.get_window_extent(renderer) for gid, patch in box_patches(figure).items()}


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


def adam_training_step():
    """The README's model and one traced Adam step: the demo's and the Concepts page's drawing."""
    x, y, w, b, loss = linear_regression()
    train = K.function([x, y], [loss], updates=optimizers.Adam(lr=0.05).get_updates(loss, [w, b]))
    rng = np.random.default_rng(0)
    features = rng.normal(size=(16, 3)).astype("float32")
    return train, train.trace([features, features @ np.array([[2.0], [-1.0], [0.5]], "float32")])


def frames_in_data(figure):
    """``{gid: (x0, y0, x1, y1)}`` of every box frame, in data coordinates."""
    return {gid: (p.get_x(), p.get_y(), p.get_x() + p.get_width(), p.get_y() + p.get_height())
            for gid, p in box_patches(figure).items()}


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


def band_of(frame, bands):
    middle = ((frame[0] + frame[2]) / 2, (frame[1] + frame[3]) / 2)
    return [group for group, (x0, y0, x1, y1) in bands.items()
            if x0 <= middle[0] <= x1 and y0 <= middle[1] <= y1]


def test_a_training_step_is_drawn_in_three_bands_with_constants_and_hyperparameters_folded():
    train, trace = adam_training_step()
    figure = render(draw_graph(train, trace=trace))
    bands = {patch.get_gid()[len("band:"):]: (patch.get_x(), patch.get_y(),
                                              patch.get_x() + patch.get_width(),
                                              patch.get_y() + patch.get_height())
             for patch in figure.axes[0].patches if (patch.get_gid() or "").startswith("band:")}
    assert list(bands) == ["forward", "gradients", "updates"]
    tops = [bands[group][3] for group in bands]
    assert tops == sorted(tops, reverse=True)                        # read top to bottom
    for upper, lower in zip(list(bands.values()), list(bands.values())[1:]):
        assert lower[3] < upper[1]                                    # a visible gap between
    frames, boxes = frames_in_data(figure), drawn_boxes(figure)
    expected = {"node:x": "forward", "node:loss": "forward", "node:m_w": "updates",
                "update:w": "updates", "update:iterations": "updates"}
    expected.update({gid: "gradients" for gid, text in boxes.items() if "sum_like(" in text or "broadcast_like(" in text})
    assert len(expected) >= 7
    for gid, group in expected.items():
        assert band_of(frames[gid], bands) == [group], gid
    assert not any("constant" in text for text in boxes.values())
    assert any("add(iterations, 1)" in text for text in boxes.values())
    assert "node:lr" not in boxes and "node:beta_1" not in boxes
    (legend,) = [t.get_text() for t in figure.axes[0].texts if t.get_gid() == "band-title:updates"]
    assert "lr = 0.05" in legend and "beta_1 = 0.9" in legend and "beta_2 = 0.999" in legend


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
