"""The compiler's passes (minigrad/compiler.py): the fused update tail gives
the same bits as the op-by-op program, and writing it in place -- on one
thread or split in parts over several (the ``parts`` fixture) -- keeps every
promise of the copying executor: updates from the values before the call,
all or nothing under failures, interrupts and threads, and no array once
handed out ever changes."""

import linecache
import signal
import sys

import numpy as np
import pytest

from minigrad import backend as K, compiler, threads
from minigrad.graph import VALUES_LOCK
from minigrad.optimizers import Adam
from helpers import in_threads

N = 3 * compiler.BLOCK + 123  # several blocks and a shorter last one


def _adam(n=N, amsgrad=False, dtype="float32", tensors=1):
    """An Adam step on ``tensors`` variables, the gradients fed."""
    rng = np.random.default_rng(0)
    params = [K.variable(rng.standard_normal(n), dtype=dtype, name=f"w{k}") for k in range(tensors)]
    grads = [K.placeholder(shape=(n,), dtype=dtype, name=f"g{k}") for k in range(tensors)]
    opt = Adam(lr=0.01, amsgrad=amsgrad)
    opt.get_gradients = lambda loss, ps: grads
    step = K.function(grads, [], updates=opt.get_updates(None, params), name="step")
    feeds = [rng.standard_normal(n).astype(dtype) for _ in range(tensors)]
    return step, params, opt, feeds


def _state(params, opt):
    return [K.get_value(v) for v in params + opt.weights]


@pytest.fixture(params=[1, 3], ids=["one thread", "split in 3"])
def parts(request, monkeypatch):
    """Functions compiled in the test run their tail on one thread, or in
    three parts on three threads (whatever the size and the machine)."""
    monkeypatch.setattr(threads, "THREADS", request.param)
    monkeypatch.setattr(compiler, "SPLIT_MIN_SIZE", 1)
    return request.param


def _split_in(f, parts):
    return (f"in {parts} parts" in f.source) == (parts > 1)


@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_fused_tail_gives_the_bits_of_the_op_by_op_program(amsgrad, dtype, parts):
    fused, p1, o1, feeds = _adam(amsgrad=amsgrad, dtype=dtype, tensors=2)
    plain, p2, o2, _ = _adam(amsgrad=amsgrad, dtype=dtype, tensors=2)
    assert "pass fuse" in fused.source and "pass in place" in fused.source
    assert _split_in(fused, parts)
    for _ in range(3):
        fused(feeds)
        plain.trace(feeds)  # one node at a time, each a new array
    for a, b in zip(_state(p1, o1), _state(p2, o2)):
        np.testing.assert_array_equal(a, b)


def test_the_tail_writes_into_the_variables_own_buffers(parts):
    step, params, opt, feeds = _adam()
    assert _split_in(step, parts)
    step(feeds)
    buffers = [v._value for v in params + opt.weights[1:]]  # not iterations: small, replaced
    K.get_value(params[0])  # a copy: the buffer is not lent
    step(feeds)
    assert all(v._value is buffer for v, buffer in zip(params + opt.weights[1:], buffers))
    assert not params[0]._value.flags.writeable


def test_an_array_once_handed_out_never_changes(parts):
    step, params, opt, feeds = _adam()
    step(feeds)
    held = params[0].value           # lent out
    kept = held.copy()
    trace = step.trace(feeds)        # a trace keeps the values before and after
    recorded = [(change.old.copy(), change.new.copy()) for change in trace.updates]
    step(feeds)
    step(feeds)
    np.testing.assert_array_equal(held, kept)
    for change, (old, new) in zip(trace.updates, recorded):
        np.testing.assert_array_equal(change.old, old)
        np.testing.assert_array_equal(change.new, new)
    assert params[0]._value is not held


def test_a_variable_fed_its_own_array_reads_it_before_it_is_written(parts):
    x = K.placeholder(shape=(N,), name="x")
    w = K.variable(np.arange(N, dtype="float32"), name="w")
    f = K.function([x], [], updates=[K.update(w, x[::-1] * 3.0 + w * 2.0)])
    assert _split_in(f, parts)
    f([w.value])  # fed the variable's own array, reversed by the graph
    np.testing.assert_array_equal(K.get_value(w), np.arange(N, dtype="float32")[::-1] * 3
                                  + np.arange(N, dtype="float32") * 2)


def test_a_failing_call_leaves_the_in_place_variables_unchanged():
    step, params, opt, feeds = _adam()
    other = K.variable(np.zeros(3), name="other")
    bad = K.update(other, K.reshape(K.placeholder(shape=(None,), name="z"), (-1,)))
    updates = opt.get_updates(None, params) + [bad]
    f = K.function(step.inputs + [bad.value.inputs[0]], [], updates=updates)
    f(feeds + [np.zeros(3)])
    state = _state(params, opt)
    with pytest.raises(ValueError, match="no variable was changed"):
        f(feeds + [np.zeros(4)])  # the last update has the wrong shape: checked first
    for a, b in zip(state, _state(params, opt)):
        np.testing.assert_array_equal(a, b)


def test_under_seterr_raise_the_tail_writes_new_arrays_and_fails_cleanly():
    x = K.placeholder(shape=(N,), name="x")
    w = K.variable(np.full(N, 3e38), name="w")
    f = K.function([x], [], updates=[K.update(w, w * x)])
    before = w._value
    with np.errstate(over="raise"):
        with pytest.raises(Exception):
            f([np.full(N, 10.0)])
        assert w._value is before and K.get_value(w)[0] == np.float32(3e38)
        f([np.full(N, 0.5)])
    assert w._value is not before  # a new array: the tail could have failed halfway


def _signal_at_line(number, files):
    """A tracer that delivers SIGINT at the ``number``-th line run in
    ``files`` (minigrad's modules and the generated code), as Ctrl-C pressed
    there: it runs the SIGINT handler installed at that moment (Python's
    default raises KeyboardInterrupt; the executor's final phase holds it
    back). Not on a ``with`` line (see ``test_executor._interrupt_at_line``:
    the tracer sees it again just before ``__exit__``, where CPython runs no
    signal handler)."""
    count = [0]

    def local(frame, event, arg):
        line = linecache.getline(frame.f_code.co_filename, frame.f_lineno)
        if event == "line" and not line.lstrip().startswith("with "):
            count[0] += 1
            if count[0] == number:
                signal.getsignal(signal.SIGINT)(signal.SIGINT, frame)
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(files) else None
    return tracer


def _lock_is_free():
    """Whether another thread can take the values' lock (an interrupt must
    never leave it held)."""
    taken = []

    def take():
        if VALUES_LOCK.acquire(timeout=5):
            VALUES_LOCK.release()
            taken.append(True)
    in_threads(take)
    return bool(taken)


def test_ctrl_c_at_any_line_of_an_in_place_step_applies_all_updates_or_none(parts):
    step, params, opt, feeds = _adam(n=2 * compiler.BLOCK + 5)
    assert _split_in(step, parts)
    files = (compiler.__file__.rsplit("/", 1)[0], "<minigrad")
    initial = _state(params, opt)
    step(feeds)
    after = _state(params, opt)
    interrupted = 0
    for number in range(1, 10_000):
        K.batch_set_value(zip(params + opt.weights, initial))
        sys.settrace(_signal_at_line(number, files))
        try:
            step(feeds)
            completed = True
        except KeyboardInterrupt:
            completed, interrupted = False, interrupted + 1
        finally:
            sys.settrace(None)
        now = _state(params, opt)
        unchanged = all(np.array_equal(a, b) for a, b in zip(now, initial))
        applied = all(np.array_equal(a, b) for a, b in zip(now, after))
        assert unchanged or applied, f"line {number}: half an update"
        assert _lock_is_free(), f"line {number}: the lock is still held"
        if completed:
            break
    assert interrupted > 20


def test_a_reader_in_another_thread_never_sees_half_an_in_place_update(parts):
    w = K.variable(np.zeros(3 * compiler.BLOCK), name="w")
    f = K.function([], [], updates=[K.update(w, w + 1.0)])
    assert "pass fuse" in f.source and _split_in(f, parts)
    spreads = []

    def writer():
        for _ in range(100):
            f([])

    def reader():
        for _ in range(100):
            value = K.get_value(w)
            spreads.append(float(value.max() - value.min()))
    in_threads(writer, reader)
    assert set(spreads) == {0.0} and float(K.get_value(w)[0]) == 100.0


def test_small_updates_are_not_fused():
    w = K.variable(np.zeros(10), name="w")
    f = K.function([], [], updates=[K.update(w, w + 1.0)])
    assert "pass fuse" not in f.source


def test_the_plan_is_passed_explicitly_and_names_its_passes():
    step, params, opt, feeds = _adam()
    plan = step.plan
    assert plan.tail and set(plan.in_place) == set(params + opt.weights[1:])
    assert plan.order[-len(plan.tail):] == plan.tail


def test_a_constant_assigned_to_a_variable_is_never_written_in_place():
    w = K.variable(np.ones(N), name="w")
    zeros = K.zeros((N,))
    K.function([], [], updates=[K.update(w, zeros)])([])
    step = K.function([], [], updates=[K.update(w, w + 1.0)])
    step([])
    step([])
    assert not zeros.value.any() and float(K.get_value(w)[0]) == 2.0


def test_ops_on_constants_only_are_computed_once_while_compiling():
    x = K.placeholder(shape=(3,), name="x")
    c = K.constant([1.0, 2.0, 3.0])
    f = K.function([x], [x * K.exp(c)])
    assert "np.exp" not in f.source
    np.testing.assert_array_equal(f([np.ones(3)])[0], np.exp(np.float32([1, 2, 3])))


def test_no_function_of_the_executor_or_the_compiler_is_over_60_lines():
    import ast
    from minigrad import executor
    for module in (executor, compiler):
        tree = ast.parse(open(module.__file__).read())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                assert node.end_lineno - node.lineno < 60, (module.__name__, node.name)


def test_fold_leaves_stateful_ops_to_run_at_every_call(capsys):
    printed = K.print_tensor(K.constant([1.0, 2.0]), message="c = ") * 2
    drawn = K.random_uniform((3,), seed=1) * 1.0
    f = K.function([], [printed, drawn])
    capsys.readouterr()
    first, second = f([]), f([])
    assert capsys.readouterr().out == "c = [1. 2.]\nc = [1. 2.]\n"      # printed by each call
    assert not np.array_equal(first[1], second[1])                      # drawn by each call


def test_the_schedule_frees_each_temporary_after_its_last_reader():
    x = K.placeholder(shape=(None,), name="x")
    w = K.variable([1.0, 2.0], name="w")
    h = K.tanh(x * w)
    y = h * h + K.exp(h) * K.sum(x)                     # h read three times, x * w once
    order = K.function([x], [y, h]).order
    kept = {y, h}
    last_reader = {}
    for node in order:
        for source in node.inputs:
            last_reader[source] = node
    expected = {}
    for source, reader in last_reader.items():
        if source.op is not None and source not in kept:            # not leaves, not outputs
            expected.setdefault(reader, set()).add(source)
    scheduled = {node: set(sources) for node, _, _, sources in compiler.schedule(order, kept) if sources}
    assert scheduled == expected
    assert expected[h] == {h.inputs[0]}                              # x * w, read by tanh only
    assert h not in set().union(*expected.values())                  # an output: kept
    assert [node for node, *_ in compiler.schedule(order, kept)] == [n for n in order if n.op is not None]


def test_np_clip_runs_as_its_ufunc_with_the_same_numbers():
    x = K.placeholder(shape=(4,), name="x")
    f = K.function([x], [K.sqrt(x), K.clip(x, -1.0, 1.0)])
    assert "np.clip(" not in f.source and "clip_ufunc(" in f.source
    data = np.float32([-2.0, -0.0, 0.25, np.nan])
    root, clipped = f([data])
    np.testing.assert_array_equal(root, np.sqrt(np.clip(data, 0, np.inf)))
    np.testing.assert_array_equal(clipped, np.clip(data, -1.0, 1.0))
    assert np.signbit(root[1]) == np.signbit(np.sqrt(np.clip(data, 0, np.inf))[1])


@pytest.mark.skipif(not compiler.ARRAY_ON_REQUEST, reason="out=... needs NumPy 2.3")
def test_zero_d_ufunc_results_are_arrays_with_the_numbers_of_scalars():
    t = K.variable(3.0, name="t")
    lr = K.variable(0.01, name="lr")
    rate = lr * K.sqrt(1.0 - K.pow(0.999, t + 1.0)) / (1.0 - K.pow(0.9, t + 1.0))
    f = K.function([], [rate], updates=[K.update_add(t, 1.0)])
    assert "out=...)" in f.source and "# out=...:" in f.source
    (compiled,) = f([])
    K.set_value(t, 3.0)
    traced = f.trace([])                            # node by node: each op's NumPy scalar
    assert type(compiled) is np.ndarray and compiled.shape == ()
    assert compiled == traced.outputs[0] and K.get_value(t) == 4.0
    assert type(t._value) is np.ndarray and not t._value.flags.writeable


@pytest.mark.parametrize("rule", [
    lambda w, v, x: (w * 0.9 + x * 0.1, v * 0.5 + w),           # v's rule reads w's old value late
    lambda w, v, x: ((w + x) * (w - x), K.sqrt(v * v + 1.0) - w),
    lambda w, v, x: (x * 2.0 - v, w * v * x),                    # each reads the other's old value
])
def test_destinations_holding_intermediates_give_the_bits_of_the_op_by_op_program(rule, parts):
    rng = np.random.default_rng(1)
    start = [rng.standard_normal(N).astype("float32") for _ in range(2)]
    data = rng.standard_normal(N).astype("float32")
    results = []
    for traced in (False, True):
        w, v = K.variable(start[0], name="w"), K.variable(start[1], name="v")
        x = K.placeholder(shape=(N,), name="x")
        new_w, new_v = rule(w, v, x)
        f = K.function([x], [], updates=[K.update(w, new_w), K.update(v, new_v)])
        assert "pass fuse" in f.source
        for _ in range(2):
            f.trace([data]) if traced else f([data])
        results.append([K.get_value(w), K.get_value(v)])
    for fused, plain in zip(*results):
        np.testing.assert_array_equal(fused, plain)


def test_a_split_tail_of_several_sizes_gives_the_bits_of_the_op_by_op_program(parts):
    rng = np.random.default_rng(2)
    # one block a part; a loop over blocks in each part; 2-D; odd; too small to fuse
    shapes = [(N,), (6 * compiler.BLOCK + 7,), (300, 77), (4099,), (5,)]
    start = [rng.standard_normal(shape).astype("float32") for shape in shapes]
    data = [rng.standard_normal(shape).astype("float32") for shape in shapes]
    results = []
    for traced in (False, True):
        params = [K.variable(value) for value in start]
        grads = [K.placeholder(shape=shape) for shape in shapes]
        opt = Adam(lr=0.01, amsgrad=True)
        opt.get_gradients = lambda loss, ps: grads
        f = K.function(grads, [], updates=opt.get_updates(None, params))
        assert _split_in(f, parts)
        assert ("for lo in range(start, stop" in f.source) == ("if part == 0" in f.source) \
            == (parts > 1)
        for _ in range(3):
            f.trace(data) if traced else f(data)
        results.append(_state(params, opt))
    for split, plain in zip(*results):
        np.testing.assert_array_equal(split, plain)


def test_only_big_tails_written_in_place_are_split(monkeypatch):
    monkeypatch.setattr(threads, "THREADS", 2)
    w = K.variable(np.zeros(3 * compiler.BLOCK), name="w")
    small = K.function([], [], updates=[K.update(w, w + 1.0)])
    assert "pass fuse" in small.source and "pass split" not in small.source  # < SPLIT_MIN_SIZE
    monkeypatch.setattr(compiler, "SPLIT_MIN_SIZE", 1)
    assert "in 2 parts" in K.function([], [], updates=[K.update(w, w + 1.0)]).source
    # w is also an output: the tail cannot write it in place, so it runs in the call, unsplit
    copying = K.function([], [w], updates=[K.update(w, w + 1.0)])
    assert "pass fuse" in copying.source and "pass split" not in copying.source
    monkeypatch.setattr(threads, "THREADS", 1)  # one CPU: nothing to split over
    assert "pass split" not in K.function([], [], updates=[K.update(w, w + 1.0)]).source


@pytest.mark.parametrize("errors", ["ignore", "warn"])
def test_every_part_computes_under_the_callers_errstate(errors, monkeypatch, recwarn):
    monkeypatch.setattr(threads, "THREADS", 3)
    monkeypatch.setattr(compiler, "SPLIT_MIN_SIZE", 1)
    w = K.variable(np.ones(N), name="w")
    K.set_value(w, np.r_[np.ones(N - 1), 3e38].astype("float32"))  # overflows in the last part
    f = K.function([], [], updates=[K.update(w, w * 10.0)])
    with np.errstate(over=errors):
        f([])
    assert np.isinf(K.get_value(w)[-1]) and K.get_value(w)[0] == 10.0
    overflows = [w for w in recwarn if "overflow" in str(w.message)]
    assert len(overflows) == (errors == "warn")


def test_a_split_step_allocates_no_more_than_a_block_per_call():
    import tracemalloc
    step, params, opt, feeds = _adam(n=compiler.SPLIT_MIN_SIZE, tensors=2)
    step(feeds)
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    step(feeds)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak - before < 0.05 * sum(K.get_value(p).nbytes for p in params)


def test_arrays_in_any_layout_give_the_bits_of_the_op_by_op_program(parts):
    """The tail reads and writes flat arrays: a Fortran-ordered variable (its
    flat view would be a copy) gets a new array instead of losing its update,
    and a strided feed is flattened before the final phase."""
    rng = np.random.default_rng(3)
    start = np.asfortranarray(rng.standard_normal((400, 300)).astype("float32"))
    data = rng.standard_normal((300, 400)).astype("float32").T  # strided, not C-ordered
    results = []
    for traced in (False, True):
        w = K.variable(start, name="w")
        x = K.placeholder(shape=(400, 300), name="x")
        f = K.function([x], [], updates=[K.update(w, w * 0.5 + x)])
        assert "pass fuse" in f.source and _split_in(f, parts)
        for _ in range(2):
            f.trace([data]) if traced else f([data])
        K.set_value(w, np.asfortranarray(K.get_value(w)))
        f.trace([data]) if traced else f([data])
        results.append(K.get_value(w))
    np.testing.assert_array_equal(*results)
    np.testing.assert_array_equal(results[0], ((start * 0.5 + data) * 0.5 + data) * 0.5 + data)
