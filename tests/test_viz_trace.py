"""Traces: their values are the executor's, and nothing changes before the commit."""

import numpy as np
import pytest

from minigrad import backend as K
from minigrad.graph import Op
from minigrad.viz import trace_table_html


def regression_step(lr=0.1):
    x = K.placeholder(shape=(None, 2), name="x")
    y = K.placeholder(shape=(None,), name="y")
    w = K.variable([0.5, -0.25], dtype="float64", name="w")
    b = K.variable(0.1, dtype="float64", name="b")
    error = K.sum(x * w, axis=1) + b - y
    loss = K.mean(K.square(error))
    loss.name = "loss"
    gw, gb = K.gradients(loss, [w, b])
    updates = [K.update_sub(w, lr * gw), K.update_sub(b, lr * gb)]
    return x, y, w, b, loss, updates


FEEDS = [np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]), np.array([1.0, 0.0, 2.0])]


def test_a_trace_records_the_values_the_executor_computes():
    x, y, w, b, loss, updates = regression_step()
    traced = K.function([x, y], [loss], updates=updates)
    plain = K.function([x, y], [loss] + [update.value for update in updates])
    expected_loss, new_w, new_b = plain(FEEDS)      # no updates: the state stays put
    trace = traced.trace(FEEDS)
    np.testing.assert_array_equal(trace.outputs[0], expected_loss)
    np.testing.assert_array_equal(trace.value(loss), expected_loss)
    for update, expected in zip(trace.updates, [new_w, new_b]):
        np.testing.assert_array_equal(update.new, expected)
        np.testing.assert_array_equal(K.get_value(update.variable), expected)
    # Every recorded op value is what its op computes from the recorded inputs.
    for step in trace.steps:
        node = step.node
        if node.op is not None:
            inputs = [trace.value(source) for source in node.inputs]
            np.testing.assert_array_equal(step.value, node.op.forward(*inputs))
    assert [step.index for step in trace.steps] == list(range(len(trace.steps)))
    assert [step.node for step in trace.steps] == traced.order


def test_tracing_matches_calling_step_after_step():
    x, y, w, b, loss, updates = regression_step()
    f = K.function([x, y], [loss], updates=updates)
    start = K.batch_get_value([w, b])
    called = [f(FEEDS)[0] for _ in range(3)]
    after_calls = K.batch_get_value([w, b])
    K.batch_set_value(zip([w, b], start))
    traced = [f.trace(FEEDS).outputs[0] for _ in range(3)]
    np.testing.assert_array_equal(called, traced)
    for ours, theirs in zip(K.batch_get_value([w, b]), after_calls):
        np.testing.assert_array_equal(ours, theirs)


class Spy(Op):
    """Identity op that records the value of a variable while it runs."""
    __slots__ = ("variable", "seen")
    name = "spy"

    def __init__(self, variable):
        self.variable, self.seen = variable, []

    def infer(self, x):
        return x.shape, x.dtype

    def forward(self, x):
        self.seen.append(K.get_value(self.variable).copy())
        return x

    def vjp(self, node, g, i):
        return g


def test_no_variable_changes_while_tracing_before_the_commit():
    x, y, w, b, loss, _ = regression_step()
    spies = [Spy(w), Spy(b)]
    watched = spies[1](spies[0](loss))   # evaluated after the whole forward pass
    gw, gb = K.gradients(watched, [w, b])
    late = [Spy(w), Spy(b)]
    updates = [K.update_sub(w, late[0](0.1 * gw)), K.update_sub(b, late[1](0.1 * gb))]
    f = K.function([x, y], [watched], updates=updates)
    before = K.batch_get_value([w, b])
    trace = f.trace(FEEDS)
    for spy in spies + late:
        start = before[0] if spy.variable is w else before[1]
        assert spy.seen and all(np.array_equal(seen, start) for seen in spy.seen)
    for update, old in zip(trace.updates, before):
        np.testing.assert_array_equal(update.old, old)
        assert not np.array_equal(update.new, old)
    # Variables read during the trace are recorded with their pre-call values.
    np.testing.assert_array_equal(trace.value(w), before[0])


def test_a_failing_trace_changes_nothing():
    x, y, w, b, loss, updates = regression_step()
    f = K.function([x, y], [loss], updates=updates)
    before = K.batch_get_value([w, b])
    with pytest.raises(ValueError, match="'x'"):
        f.trace([np.ones((3, 5)), np.ones(3)])
    for ours, theirs in zip(K.batch_get_value([w, b]), before):
        np.testing.assert_array_equal(ours, theirs)


def test_the_html_table_lists_every_step_and_update():
    x, y, w, b, loss, updates = regression_step()
    trace = K.function([x, y], [loss], updates=updates).trace(FEEDS)
    table = trace._repr_html_()
    assert table == trace_table_html(trace)
    assert table.count("<tr>") == 1 + len(trace.steps) + 1 + len(trace.updates)
    assert "<td>loss</td>" in table and "value before the call" in table
    assert "fed" in table and "largest change" in table


def test_the_widget_steps_through_the_trace():
    ipywidgets = pytest.importorskip("ipywidgets")
    x, y, w, b, loss, updates = regression_step()
    trace = K.function([x, y], [loss]).trace(FEEDS)
    widget = trace.widget()
    assert isinstance(widget, ipywidgets.VBox)
    slider, image = widget.children
    assert (slider.min, slider.max) == (0, len(trace.steps) - 1)
    first = bytes(image.value)
    assert first.startswith(b"\x89PNG")
    slider.value = 3                       # moving the slider redraws the picture
    assert bytes(image.value).startswith(b"\x89PNG") and bytes(image.value) != first


def test_without_ipywidgets_the_widget_points_to_show(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "ipywidgets", None)     # as if not installed
    x, y, w, b, loss, updates = regression_step()
    trace = K.function([x, y], [loss]).trace(FEEDS)
    with pytest.raises(ImportError, match=r"trace.show\(step\)"):
        trace.widget()
    assert trace.show(0).axes                                  # the fallback still draws


def test_to_dot_can_carry_a_traces_values():
    from minigrad.viz import to_dot
    x, y, w, b, loss, updates = regression_step()
    trace = K.function([x, y], [loss]).trace(FEEDS)
    dot = to_dot(loss, trace=trace)
    assert f"\\n= {float(trace.outputs[0]):.4g}" in dot
