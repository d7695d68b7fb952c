"""minigrad/viz/layout.py: layout_graph -- layers follow the data flow, one box
a place, and a 100000-node chain is laid out (collapsed) without recursion."""

from minigrad import backend as K
from minigrad.viz import layout_graph
from figures import linear_regression


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
    assert {style for _, _, style in layout.edges} == {"input", "update"}
    for source, target, _ in layout.edges:
        assert layout.by_key[source].layer < layout.by_key[target].layer
    places = [(box.layer, box.slot) for box in layout.boxes]
    assert len(set(places)) == len(places)
