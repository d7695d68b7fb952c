"""minigrad/trace.py: a trace records the values the executor computes, and
nothing changes before the commit."""

import numpy as np
import pytest

from minigrad import backend as K
from minigrad.graph import Op
from helpers import FEEDS, regression_step


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
