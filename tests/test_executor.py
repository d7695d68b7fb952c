"""K.function: what it computes, Theano's simultaneous updates, and that a
failed call, for any reason, changes no variable and names the culprit."""

import copy
import itertools
import linecache
import os
import pickle
import sys
import tracemalloc
import warnings

import numpy as np
import pytest

import minigrad as mg
from minigrad import backend as K, executor
from helpers import in_threads, refusal_test


def test_outputs_are_a_list_of_arrays_in_order():
    x = K.placeholder(shape=(None, 2), name="x")
    f = K.function([x], [K.sum(x), x * 2])
    total, doubled = f([np.array([[1.0, 2.0]])])
    assert isinstance(total, np.ndarray) and total.shape == () and total == 3.0
    assert doubled.tolist() == [[2.0, 4.0]]


def test_updates_read_the_values_from_before_the_call():
    a, b = K.variable(1.0), K.variable(10.0)
    count = K.variable(0, dtype="int64")
    # A swap only works if both right-hand sides see the old values.
    f = K.function([], [a, b, count], updates=[K.update(a, b), K.update(b, a), K.update_add(count, 1)])
    outputs = f([])
    assert [o.item() for o in outputs] == [1.0, 10.0, 0]  # outputs see the pre-call values too
    assert K.get_value(a) == 10.0 and K.get_value(b) == 1.0 and K.get_value(count) == 1
    f([])
    assert K.get_value(a) == 1.0 and K.get_value(b) == 10.0 and K.get_value(count) == 2


def test_an_update_and_an_output_of_the_same_expression_agree():
    v = K.variable([1.0, 2.0])
    new = v * 3
    f = K.function([], [new], updates=[K.update(v, new)])
    (out,) = f([])
    assert out.tolist() == [3.0, 6.0] and K.get_value(v).tolist() == [3.0, 6.0]


def test_update_add_and_update_sub():
    v = K.variable([1.0, 2.0])
    K.function([], [], updates=[K.update_add(v, [1.0, 1.0])])([])
    K.function([], [], updates=[K.update_sub(v, 0.5)])([])
    assert K.get_value(v).tolist() == [1.5, 2.5]


def test_pairs_are_accepted_as_updates():
    v = K.variable(1.0)
    K.function([], [], updates=[(v, v + 1)])([])
    assert K.get_value(v) == 2.0


def test_two_updates_of_one_variable_fail_when_built():
    v = K.variable(1.0, name="v")
    with pytest.raises(ValueError, match="variable 'v' is updated twice"):
        K.function([], [], updates=[K.update(v, v + 1), K.update_add(v, 1.0)])


def test_update_checks_shape_and_dtype_when_built():
    v = K.variable([1.0, 2.0], name="v")
    with pytest.raises(ValueError, match=r"shape \(3,\) to variable 'v' of shape \(2,\)"):
        K.update(v, K.constant([1.0, 2.0, 3.0]))
    with pytest.raises(TypeError, match="float64 value to float32 variable 'v'"):
        K.update(v, K.constant([1.0, 2.0], dtype="float64"))
    with pytest.raises(TypeError, match="target must be a variable"):
        K.update(K.constant(1.0), 2.0)


def test_only_what_the_outputs_need_is_computed():
    x = K.placeholder(shape=(2,), name="x")
    unused = K.log(x - 100)  # would warn and give NaN if it were computed
    f = K.function([x], [x * 2])
    assert unused not in f.order
    with np.errstate(all="raise"):
        assert f([[1.0, 2.0]])[0].tolist() == [2.0, 4.0]


def test_the_generated_source_is_the_program():
    x = K.placeholder(shape=(None, 3), name="x")
    w = K.variable(np.ones((3, 1)), name="w")
    f = K.function([x], [K.tanh(K.dot(x, w))], name="predict")
    assert f.source.splitlines()[0] == "def predict(feeds, variables):"
    assert "np.dot(x, w)" in f.source and "np.tanh(" in f.source
    assert len(f.order) == 4  # x, w, dot, tanh


# --------------------------------------------------------------------------
# Bad feeds: ValueError/TypeError naming the placeholder, nothing changes

@pytest.fixture
def step():
    """A function with an update, to see that failed calls change nothing."""
    x = K.placeholder(shape=(None, 2), name="x")
    w = K.variable([[1.0], [2.0]], name="w")
    f = K.function([x], [K.dot(x, w)], updates=[K.update(w, w * 2)])
    return f, w


def test_missing_feed_names_the_placeholder(step):
    f, w = step
    y = K.placeholder(shape=(), name="y")
    g = K.function([], [K.sum(f.outputs[0]) * y])
    with pytest.raises(ValueError, match="placeholder 'x', 'y' is needed but is not among"):
        g([])
    with pytest.raises(ValueError, match=r"expected 1 arrays for inputs \['x'\], got 0"):
        f([])
    assert K.get_value(w).tolist() == [[1.0], [2.0]]


@pytest.mark.parametrize("bad, message", [
    (np.ones(2), r"placeholder 'x' has shape \(None, 2\); it was fed an array of shape \(2,\)"),
    (np.ones((4, 3)), r"placeholder 'x' has shape \(None, 2\); it was fed an array of shape \(4, 3\)"),
    (np.ones((1, 2, 1)), r"fed an array of shape \(1, 2, 1\)"),
])
def test_wrong_rank_or_shape_names_the_placeholder(step, bad, message):
    f, w = step
    with pytest.raises(ValueError, match=message):
        f([bad])
    assert K.get_value(w).tolist() == [[1.0], [2.0]]


def test_a_feed_that_would_lose_values_is_refused():
    n = K.placeholder(shape=(2,), dtype="int32", name="n")
    f = K.function([n], [n * 2])
    with pytest.raises(TypeError, match="placeholder 'n' has dtype int32; the float64 array fed to it cannot be converted"):
        f([np.array([1.5, 2.0])])
    assert f([np.array([1, 2])])[0].tolist() == [2, 4]


def test_feeds_are_converted_to_the_placeholder_dtype():
    x = K.placeholder(shape=(2,), name="x")
    (out,) = K.function([x], [x + 1])([[1, 2]])
    assert out.dtype == np.float32


def test_feeds_must_be_a_list():
    x = K.placeholder(shape=(2,), name="x")
    with pytest.raises(TypeError, match="call it with a list of arrays"):
        K.function([x], [x])(np.ones(2))


def test_inputs_and_outputs_must_be_lists_of_the_right_kinds():
    x = K.placeholder(shape=(2,), name="x")
    with pytest.raises(TypeError, match="`outputs` must be a list or tuple"):
        K.function([x], x)
    with pytest.raises(TypeError, match="inputs must be placeholders"):
        K.function([K.variable(1.0)], [x])
    with pytest.raises(TypeError, match="unexpected argument"):
        K.function([x], [x], session="s")


# --------------------------------------------------------------------------
# Failures during a call: all or nothing, and the failing node is named

def test_a_run_time_shape_error_names_the_node_and_changes_nothing():
    x = K.placeholder(shape=(None, 3), name="x")
    y = K.placeholder(shape=(None, 3), name="y")
    total = K.variable(0.0, name="total")
    s = K.sum(x + y)
    f = K.function([x, y], [s], updates=[K.update_add(total, s)])
    with pytest.raises(mg.EvaluationError, match=r"add failed while computing .*x: \(2, 3\).*y: \(4, 3\)") as info:
        f([np.ones((2, 3)), np.ones((4, 3))])
    assert info.value.node.op.name == "add"
    assert K.get_value(total) == 0.0
    assert f([np.ones((2, 3)), np.ones((2, 3))])[0] == 12.0


def test_a_failing_constraint_changes_no_variable():
    def refuse_negative(value):
        def check(array):
            if np.any(array < 0):
                raise ValueError("negative entries are not allowed")
            return array
        return _Call(check)(value)

    a = K.variable([1.0, 2.0], name="a")
    b = K.variable([1.0, 2.0], name="b")
    f = K.function([], [], updates=[K.update(a, a + 1), K.update(b, refuse_negative(b - 3))])
    with pytest.raises(mg.EvaluationError, match="negative entries are not allowed"):
        f([])
    assert K.get_value(a).tolist() == [1.0, 2.0] and K.get_value(b).tolist() == [1.0, 2.0]


class _Call(mg.Op):
    """A test op applying a Python function (here: a NaN or range check)."""
    __slots__ = ("function",)
    name = "check"

    def __init__(self, function):
        self.function = function

    def infer(self, x):
        return x.shape, x.dtype

    def forward(self, x):
        return self.function(x)


def test_a_nan_check_stops_the_step():
    def finite(array):
        if not np.all(np.isfinite(array)):
            raise FloatingPointError("non-finite value")
        return array

    w = K.variable([1.0, 0.0], name="w")
    with np.errstate(divide="ignore"):
        f = K.function([], [], updates=[K.update(w, _Call(finite)(1 / w))])
        with pytest.raises(ValueError, match="non-finite value"):
            f([])
    assert K.get_value(w).tolist() == [1.0, 0.0]


def test_an_update_of_the_wrong_run_time_shape_changes_nothing():
    x = K.placeholder(shape=(None,), name="x")
    v = K.variable([0.0, 0.0], name="v")
    other = K.variable(5.0, name="other")
    f = K.function([x], [], updates=[K.update(other, other + 1), K.update(v, x)])
    with pytest.raises(ValueError, match=r"variable 'v' computed a float32 value of shape \(3,\), but the variable is float32 of shape \(2,\)"):
        f([np.ones(3)])
    assert K.get_value(v).tolist() == [0.0, 0.0] and K.get_value(other) == 5.0


# --------------------------------------------------------------------------
# Aliasing: nothing handed out can change a variable behind its back

def test_outputs_and_values_do_not_alias_variables():
    v = K.variable([1.0, 2.0])
    (out,) = K.function([], [v])([])
    out[0] = 100.0
    value = K.get_value(v)
    value[1] = 100.0
    assert K.get_value(v).tolist() == [1.0, 2.0]


def test_a_fed_array_assigned_to_a_variable_is_copied():
    x = K.placeholder(shape=(2,), name="x")
    v = K.variable([0.0, 0.0])
    data = np.array([1.0, 2.0], dtype="float32")
    K.function([x], [], updates=[K.update(v, x)])([data])
    data[0] = 100.0
    assert K.get_value(v).tolist() == [1.0, 2.0]


# --------------------------------------------------------------------------
# Depth: no recursion anywhere

def test_a_chain_of_100000_nodes_builds_differentiates_and_evaluates():
    x = K.variable(0.3, dtype="float64")
    y = x
    for _ in range(50_000):
        y = K.tanh(y) * 0.5  # two nodes a link
    (g,) = K.gradients(y, [x])
    f = K.function([], [y, g])
    value, grad = f([])
    expected, derivative = 0.3, 1.0
    for _ in range(50_000):
        t = np.tanh(expected)
        derivative *= 0.5 * (1 - t * t)
        expected = 0.5 * t
    assert value == pytest.approx(expected, rel=1e-12, abs=1e-300)
    assert grad == pytest.approx(derivative, rel=1e-9, abs=1e-300)


# --------------------------------------------------------------------------
# Tracing

def test_trace_records_every_node_and_applies_the_updates():
    x = K.placeholder(shape=(2,), name="x")
    w = K.variable([1.0, 1.0], name="w")
    loss = K.sum(K.square(x * w))
    (g,) = K.gradients(loss, [w])
    f = K.function([x], [loss], updates=[K.update_sub(w, 0.1 * g)])
    twin_w = K.variable([1.0, 1.0])
    data = [np.array([1.0, 2.0])]
    trace = f.trace(data)
    assert [step.node for step in trace.steps] == f.order
    assert trace.outputs[0] == 5.0
    assert trace.value(loss) == 5.0
    (update,) = trace.updates
    assert update.variable is w
    assert update.old.tolist() == [1.0, 1.0]
    np.testing.assert_allclose(update.new, [0.8, 0.2])
    np.testing.assert_allclose(K.get_value(w), [0.8, 0.2])
    # The same numbers as the compiled path:
    f2 = K.function([x], [loss, g])
    K.set_value(w, [1.0, 1.0])
    assert f2(data)[1].tolist() == pytest.approx([2.0, 8.0]) and twin_w is not w


def test_big_temporaries_are_reused_in_place_with_the_same_numbers():
    x = K.placeholder(shape=(300, 200), name="x")
    w = K.variable(np.full((300, 200), 0.5), name="w")
    y = K.tanh(x * 2 + 1) * w
    f = K.function([x], [y], updates=[K.update(w, w + y)])
    assert "out=" in f.source
    data = np.random.default_rng(0).normal(size=(300, 200)).astype("float32")
    expected = np.tanh(data * 2 + 1) * 0.5
    (traced,) = f.trace([data]).outputs
    K.set_value(w, np.full((300, 200), 0.5))
    (compiled,) = f([data])
    np.testing.assert_array_equal(compiled, traced)
    np.testing.assert_allclose(compiled, expected, rtol=1e-6)
    assert K.get_value(w)[0, 0] == pytest.approx(0.5 + expected[0, 0], rel=1e-6)


def test_small_temporaries_are_not_reused():
    x = K.placeholder(shape=(3,), name="x")
    assert "out=" not in K.function([x], [K.tanh(x * 2 + 1)]).source


# --------------------------------------------------------------------------
# Found in review: values that must not be lost or shared silently

def test_feeds_that_would_wrap_around_or_overflow_are_refused():
    n = K.placeholder(shape=(1,), dtype="int32", name="n")
    with pytest.raises(TypeError, match="placeholder 'n' has dtype int32"):
        K.function([n], [n])([np.array([2**40])])
    x = K.placeholder(shape=(1,), name="x")
    with pytest.raises(TypeError, match="placeholder 'x' has dtype float32"):
        K.function([x], [x])([np.array([1e300])])
    assert K.function([n], [n])([np.array([7], dtype="int64")])[0].tolist() == [7]


def test_the_callers_arrays_are_never_shared_or_frozen():
    x = K.placeholder(shape=(3,), name="x")
    v = K.variable([0.0, 0.0, 0.0], name="v")
    data = np.array([1.0, 2.0, 3.0], dtype="float32")
    f = K.function([x], [K.identity(x), K.identity(x)], updates=[K.update(v, K.identity(x))])
    first, second = f([data])
    assert data.flags.writeable
    assert first is not data and second is not data and first is not second
    data[0] = 99.0
    first[1] = 42.0
    assert K.get_value(v).tolist() == [1.0, 2.0, 3.0] and second.tolist() == [1.0, 2.0, 3.0]


def test_many_nodes_with_one_name_get_distinct_identifiers():
    x = K.placeholder(shape=(), name="h")
    y = x
    for _ in range(300):
        y = K.tanh(y)
        y.name = "h"
    f = K.function([x], [y])
    assert "h_301 = np.tanh(h_300" in f.source
    expected = 0.5
    for _ in range(300):
        expected = np.tanh(expected)
    assert f([0.5])[0] == pytest.approx(expected, rel=1e-6)


def test_arrays_passed_one_by_one_get_a_helpful_error():
    x = K.placeholder(shape=(2,), name="x")
    y = K.placeholder(shape=(2,), name="y")
    f = K.function([x, y], [x + y])
    with pytest.raises(TypeError, match=r"pass the arrays in one list.*f\(\[a, b\]\), not f\(a, b\)"):
        f(np.ones(2), np.ones(2))


# --------------------------------------------------------------------------
# Hardening (issue 10): memory, interrupts, threads, random draws, copies

def _chain(links, size):
    """x -> x * 1.001 -> ... (``links`` multiplications) on ``size`` float64 entries."""
    x = K.placeholder(shape=(size,), dtype="float64", name="x")
    y = x
    for _ in range(links):
        y = y * 1.001
    return x, y


def _peak_bytes(call):
    """The most memory ``call()`` allocated beyond what it started with (NumPy reports to tracemalloc)."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_node_by_node_path_frees_each_value_after_its_last_use(monkeypatch):
    monkeypatch.setattr(executor, "CODEGEN_LIMIT", 50)
    x, y = _chain(300, 20_000)                       # 160 kB a value, 48 MB if all were kept
    f = K.function([x], [K.sum(y)])
    assert f.source is None
    data = np.ones(20_000)
    (total,) = f([data])
    assert total == pytest.approx(20_000 * 1.001 ** 300)
    assert _peak_bytes(lambda: f([data])) < 8 * data.nbytes


def test_the_replay_of_a_failed_call_frees_each_value_after_its_last_use():
    x, y = _chain(300, 20_000)
    z = K.placeholder(shape=(None,), dtype="float64", name="z")
    f = K.function([x, z], [y + z])                  # fails at the very last op
    data = np.ones(20_000)
    f([data, np.zeros(1)])

    def fail():
        with pytest.raises(executor.EvaluationError) as caught:
            f([data, np.zeros(2)])
        assert caught.value.node is f.outputs[0]
    assert _peak_bytes(fail) < 8 * data.nbytes


PACKAGE = os.path.dirname(mg.__file__)


def _interrupt_at_line(number):
    """A tracer raising KeyboardInterrupt at the ``number``-th line run in
    minigrad's modules, as a signal arriving there would.

    Not on a ``with`` line: a tracer sees it again just before ``__exit__``
    is called, outside the block's protection, where CPython never runs a
    signal handler (it does so only after a call or on a backward jump).
    """
    lines = itertools.count()

    def local(frame, event, arg):
        if event == "line" and not linecache.getline(frame.f_code.co_filename,
                                                     frame.f_lineno).lstrip().startswith("with "):
            if next(lines) == number:
                raise KeyboardInterrupt
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None
    return tracer


def test_an_interrupt_at_any_point_of_a_call_applies_all_updates_or_none():
    variables = [K.variable(0.0) for _ in range(40)]
    f = K.function([], [], updates=[K.update_add(v, 1.0) for v in variables])
    interrupted = 0
    for number in itertools.count():
        sys.settrace(_interrupt_at_line(number))
        try:
            f([])
            completed = True
        except KeyboardInterrupt:
            completed, interrupted = False, interrupted + 1
        finally:
            sys.settrace(None)
        assert len({float(K.get_value(v)) for v in variables}) == 1, f"line {number}"
        if completed:
            break
    assert interrupted > 40 and float(K.get_value(variables[0])) >= 1.0


@pytest.fixture
def fast_thread_switches():
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def test_calls_from_several_threads_lose_no_update(fast_thread_switches):
    v = K.variable(0.0)
    f = K.function([], [], updates=[K.update_add(v, 1.0)])

    def work():
        for _ in range(1000):
            f([])
    in_threads(work, work, work, work)
    assert float(K.get_value(v)) == 4000.0


def test_a_reader_in_another_thread_never_sees_half_an_update(fast_thread_switches):
    variables = [K.variable(0.0) for _ in range(100)]
    write = K.function([], [], updates=[K.update_add(v, 1.0) for v in variables])
    stacked = K.stack(variables)
    spread = K.function([], [K.max(stacked) - K.min(stacked)])
    seen = []

    def writer():
        for _ in range(300):
            write([])

    def reader():
        for _ in range(300):
            seen.append(float(spread([])[0]))
    in_threads(writer, reader)
    assert set(seen) == {0.0} and float(K.get_value(variables[-1])) == 300.0


def test_a_failure_after_random_draws_is_named_by_a_replay_with_the_same_draws():
    draw = K.random_uniform((1,), 0.0, 2.0, seed=3)
    picked = K.gather(K.constant([10.0]), K.cast(draw, "int32"))   # index 1 is out of range
    f = K.function([], [picked])
    outcomes = []
    for _ in range(40):
        try:
            outcomes.append(f([])[0].item())
        except executor.EvaluationError as error:
            assert error.node is picked
            outcomes.append("failed")
    assert "failed" in outcomes and 10.0 in outcomes


def test_a_failed_call_does_not_advance_the_random_state():
    x = K.placeholder(shape=(None,), name="x")
    noise = K.random_normal((3,), seed=5)
    f = K.function([x], [noise + x])
    with pytest.raises(executor.EvaluationError):
        f([np.zeros(2)])                     # draws, then fails at the add
    (first,) = f([np.zeros(3)])
    expected = np.random.default_rng(5).normal(0.0, 1.0, 3).astype("float32")
    assert first.tolist() == expected.tolist()


def test_each_compiled_function_shows_its_own_source_in_warnings():
    x = K.placeholder(shape=(None,), name="x")
    f = K.function([x], [x / 0.0])
    K.function([x], [K.exp(x) * 2.0 + 1.0 - x, K.tanh(x)])    # compiled later, same name
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f([[1.0]])
    (warning,) = caught
    assert "np.divide(x, " in linecache.getline(warning.filename, warning.lineno)


def test_an_input_listed_twice_is_refused():
    x = K.placeholder(shape=(2,), name="x")
    with pytest.raises(ValueError, match="function: placeholder 'x' is listed twice in `inputs`"):
        K.function([x, x], [x])


@pytest.mark.parametrize("what", ["function", "trace"])
def test_pickling_a_function_or_a_trace_says_what_to_pickle_instead(what):
    v = K.variable(1.0, name="v")
    f = K.function([], [v * 2])
    thing = f if what == "function" else f.trace([])
    with pytest.raises(TypeError, match="cannot be pickled.*K.function"):
        pickle.dumps(thing)
    with pytest.raises(TypeError, match="cannot be pickled"):
        copy.deepcopy(thing)


def test_a_trace_keeps_its_own_copy_of_the_fed_arrays():
    x = K.placeholder(shape=(2,), name="x")
    data = np.array([1.0, 2.0], "float32")
    trace = K.function([x], [K.reshape(x, (2, 1))]).trace([data])
    data[0] = 100.0                           # the caller reuses its array
    assert trace.value(x).tolist() == [1.0, 2.0]
    assert trace.steps[-1].value.ravel().tolist() == [1.0, 2.0]


def test_eval_of_a_tensor_that_needs_a_feed_says_to_compile_it():
    x = K.placeholder(shape=(2,), name="x")
    with pytest.raises(ValueError, match=r"eval: .* placeholder 'x'.*K\.function\(\[x\], \[.*\]\)"):
        K.eval(K.sum(x))


def test_a_failure_past_codegen_limit_is_named_without_a_second_run(monkeypatch):
    monkeypatch.setattr(executor, "CODEGEN_LIMIT", 5)
    x, y = _chain(10, 3)
    z = K.placeholder(shape=(None,), dtype="float64", name="z")
    f = K.function([x, z], [y + z])
    runs = []
    monkeypatch.setattr(f, "_evaluate", lambda *args, **kwargs: runs.append(1) or
                        executor.Function._evaluate(f, *args, **kwargs))
    with pytest.raises(executor.EvaluationError) as caught:
        f([np.ones(3), np.zeros(2)])
    assert caught.value.node is f.outputs[0] and runs == [1]


@pytest.mark.parametrize("view", [
    lambda a: K.reshape(a, (-1,)), lambda a: a[1:], lambda a: K.identity(a),
    lambda a: K.stop_gradient(a), lambda a: K.reverse(a, 0), lambda a: K.transpose(a),
    lambda a: K.squeeze(K.expand_dims(a, 0), 0), lambda a: K.print_tensor(a, ""),
])
def test_views_of_big_temporaries_are_not_overwritten(view, capsys):
    """The executor writes big ufunc results into dying temporaries (out=);
    a temporary that a view-returning op has read must keep its numbers."""
    x = K.placeholder(shape=(200, 200), dtype="float64")
    a = K.exp(x)
    f = K.function([x], [view(a), K.tanh(a)])
    seen, _ = f([np.zeros((200, 200))])
    np.testing.assert_array_equal(seen, 1.0)


test_bad_outputs_and_updates_are_refused = refusal_test({
    "a number as output": (TypeError, "function: outputs must be tensors, got 3.0",
                           lambda: K.function([], [3.0])),
    "a variable as update": (TypeError, r"function: an update must be K.update\(x, new_x\) or a pair",
                             lambda: K.function([], [], updates=[K.variable(1.0)])),
})
