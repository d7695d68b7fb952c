"""The executor: ``K.function(inputs, outputs, updates)`` compiles a graph once
into a plain Python function of NumPy calls, then runs it on each call.

Compiling does the graph work a single time, in three stages
(``minigrad.compiler``): **plan** -- every node the outputs and updates
need, inputs first (``minigrad.graph.topological_order``), then passes that
fold ops on constants, fuse the big elementwise update tail into one
blocked loop, mark which updates may be written in place, and work out when
each temporary dies; **emit** -- one line of NumPy per op,
``tanh_7 = np.tanh(add_6)``; **load** -- compiled by Python itself.
``f.source`` shows the program: it is the graph, written out as the NumPy
code you would have typed by hand, with a comment naming the pass behind
each line that is not a plain call.

A call then follows Theano's documented rule, which minigrad adopts (and
Keras 2 on Theano behaves so): every output and every update's new value is
computed from the variables as they were *before* the call; only then are
all updates assigned, together. So within one call ``optimizer.iterations``
reads the pre-step count, and an update never depends on the order of the
list. An optimizer that wants the new moment in its parameter update builds
the expression ``m_t`` once and uses it in both ``K.update(m, m_t)`` and
``K.update(p, p - lr * m_t)``.

Very large graphs (more than ``CODEGEN_LIMIT`` ops) are not compiled: they
run node by node, as a trace does, releasing each value after its last use too.

If anything fails -- a bad feed, an op that cannot run, an update of the
wrong shape, a ``KeyboardInterrupt`` -- no variable changes, the random ops
are left as they were, and the error names the node (found by replaying the
call node by node, from the same random draws).

``f.trace(feeds)`` runs the same call step by step instead, recording each
node's value (see ``minigrad.trace``); the compiled path records nothing,
so tracing costs nothing when it is off.
"""

import contextlib
import functools
import operator
import signal
import threading
import traceback

import numpy as np

from . import compiler
from .graph import (VALUES_LOCK, Constant, Node, Placeholder, PlaceholderWithDefault, Update,
                    Variable, collector_paused, format_shape, same_shape, topological_order)
from .threads import run_in_parts
from .values import convert, install
from .trace import Trace, TraceStep, TraceUpdate


#: Graphs with more ops than this run step by step instead of as generated
#: code: Python takes about 25 microseconds to compile each generated line,
#: which for a very long chain costs more than the calls it would speed up.
CODEGEN_LIMIT = 10_000


class EvaluationError(ValueError):
    """An op failed while a compiled function ran; ``.node`` is the culprit.

    >>> import numpy as np
    >>> from minigrad import backend as K
    >>> a, b = K.placeholder(shape=(None,), name='a'), K.placeholder(shape=(None,), name='b')
    >>> K.function([a, b], [a + b])([np.ones(2), np.ones(3)])
    Traceback (most recent call last):
    ...
    minigrad.executor.EvaluationError: add failed while computing <Tensor 'add_...' = add(a, b) ...> from [a: (2,) float32, b: (3,) float32]: ValueError: operands could not be broadcast together ...
    """

    def __init__(self, message, node):
        super().__init__(message)
        self.node = node


class Function:
    """A compiled graph; call it with a list of arrays, one per input.

    Attributes for the curious: ``order`` (the nodes in evaluation order),
    ``source`` (the generated Python, or ``None`` for a graph run node by
    node), ``inputs``, ``outputs``, ``updates``.

    Threads and interrupts: calls may come from several threads. One lock
    (``minigrad.graph.VALUES_LOCK``, also taken by ``K.set_value``) lets
    one call at a time read the variables, compute and assign its updates,
    so no update is lost and no call sees another's half done; calls
    therefore take turns rather than run in parallel. The new values are
    checked and copied first, then assigned in one step that neither a
    ``KeyboardInterrupt`` nor another thread can split
    (``minigrad.values.install``). An update tail written in place runs
    just before that step, after every check, with Ctrl-C held back until
    the assignment is done (``_commit``). A ``Function`` cannot be pickled or
    copied (it holds compiled code): pickle the graph and compile it again.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(None,), name='x')
    >>> f = K.function([x], [K.tanh(x) * 2], name='f')
    >>> print(f.source)
    def f(feeds, variables):
        (x,) = feeds
        tanh_... = np.tanh(x)
        multiply_... = np.multiply(tanh_..., constant_...)
        del tanh_...
        return (multiply_...,), (), None
    <BLANKLINE>
    >>> f([[0.0, 100.0]])
    [array([0., 2.], dtype=float32)]
    """

    def __init__(self, inputs, outputs, updates=None, name=None):
        self.name = name or "function"
        self.inputs = _as_list(inputs, "inputs")
        self.outputs = _as_list(outputs, "outputs")
        self.updates = _as_updates(updates)
        for position, placeholder in enumerate(self.inputs):
            if not isinstance(placeholder, Placeholder):
                hint = ("; K.learning_phase() is a plain int once K.set_learning_phase fixed it: "
                        "leave it out of the inputs" if isinstance(placeholder, int) else "")
                raise TypeError(f"function: inputs must be placeholders, got {placeholder!r}{hint}")
            if placeholder in self.inputs[:position]:
                raise ValueError(f"function: placeholder {placeholder.name!r} is listed twice in "
                                 "`inputs`; list each input once and feed it once")
        for output in self.outputs:
            if not isinstance(output, Node):
                raise TypeError(f"function: outputs must be tensors, got {output!r}")

        self.order = topological_order(self.outputs + [update.value for update in self.updates])
        fed = set(self.inputs)
        leaves = [node for node in self.order if node.op is None]
        # What a call reads from the nodes themselves: variables, and the
        # placeholders with a default (the learning phase) that are not fed.
        self._unfed = [node for node in leaves if isinstance(node, Placeholder)
                       and not isinstance(node, PlaceholderWithDefault) and node not in fed]
        self._variables = [node for node in leaves if node not in fed
                           and isinstance(node, (Variable, PlaceholderWithDefault))]
        self._targets = [update.variable for update in self.updates]
        self._generators = list({id(node.op): node.op.generator for node in self.order
                                 if getattr(node.op, "generator", None) is not None}.values())
        if len(self.order) - len(leaves) <= CODEGEN_LIMIT:
            self.plan = compiler.plan(self)
            self.source, namespace, fn_name = compiler.emit(self.plan)
            self._run = compiler.load(self, self.source, namespace, fn_name)
        else:
            self.plan = None
            self.source, self._run = None, self._run_stepwise
            self._steps  # the node-by-node program, made now, while compiling

    # ----------------------------------------------------------------- calling
    def __call__(self, feeds=(), *more):
        if more:
            raise TypeError(f"{self.name}: pass the arrays in one list, one per input "
                            f"{[node.name for node in self.inputs]}: f([a, b]), not f(a, b)")
        arrays = self._check_feeds(feeds)
        fed = {id(array) for array in arrays} if arrays else _NOTHING_FED
        with VALUES_LOCK:
            outputs, checked, tail = self._step(arrays, fed, self._run_or_explain)
            if tail is None:
                install(self._targets, checked)  # the final phase: one step nothing can split
            else:
                self._commit(checked, tail)
        return self._deliver(outputs, fed)

    def trace(self, feeds=()):
        """Run one call exactly as ``f(feeds)`` does (updates are applied), and
        return a ``Trace`` of every node's value.

        >>> from minigrad import backend as K
        >>> v = K.variable(2.0, name='v')
        >>> trace = K.function([], [v * v], updates=[K.update_add(v, 1.0)]).trace([])
        >>> [(step.node.name[:8], float(step.value)) for step in trace.steps]
        [('v', 2.0), ('multiply', 4.0), ('constant', 1.0), ('add_...', 3.0)]
        >>> trace.updates
        [<TraceUpdate v: 2.0 -> 3.0>]
        """
        # The trace keeps its own copies: the caller may reuse its arrays.
        arrays = [array.copy() for array in self._check_feeds(feeds)]
        fed = {id(array) for array in arrays}
        values = _Values()

        def evaluate(arrays, variable_values, draws):
            values.update(self._evaluate(arrays, variable_values, keep=True))
            return self._results(values)
        with VALUES_LOCK:
            outputs, checked, _ = self._step(arrays, fed, evaluate)
            # Read through ``value``: the trace holds these arrays, so they
            # are lent, and no later call writes into them.
            before = [variable.value for variable in self._targets]
            install(self._targets, checked)
            after = [variable.value for variable in self._targets]
        steps = [TraceStep(index, node, values[node]) for index, node in enumerate(self.order)]
        changes = [TraceUpdate(variable, previous, new)
                   for variable, previous, new in zip(self._targets, before, after)]
        return Trace(self, self._deliver(outputs, fed), steps, changes)

    # ------------------------------------------------------------------ steps
    def _check_feeds(self, feeds):
        """The fed arrays, converted to each placeholder's dtype and checked
        against its static shape; ``ValueError`` naming the placeholder if not."""
        if self._unfed:
            names = ", ".join(repr(node.name) for node in self._unfed)
            raise ValueError(f"{self.name}: placeholder {names} is needed but is not among the "
                             f"function's inputs {[node.name for node in self.inputs]}")
        if type(feeds) is not list and not isinstance(feeds, (list, tuple)):
            raise TypeError(f"{self.name}: call it with a list of arrays, one per input "
                            f"{[node.name for node in self.inputs]}; got {type(feeds).__name__}")
        if len(feeds) != len(self.inputs):
            raise ValueError(f"{self.name}: expected {len(self.inputs)} arrays for inputs "
                             f"{[node.name for node in self.inputs]}, got {len(feeds)}")
        return [_check_feed(placeholder, value) for placeholder, value in zip(self.inputs, feeds)] \
            if feeds else []

    def _step(self, arrays, fed, run):
        """A call's work up to the assignment, under the lock: read the
        variables, ``run(arrays, values, draws)``, check the new values.
        If anything fails, even by an interrupt, the random ops' generators
        go back to where they were: a failed call draws nothing."""
        old = list(map(_VALUE, self._variables))
        draws = [generator.bit_generator.state for generator in self._generators] \
            if self._generators else ()
        try:
            outputs, new_values, tail = run(arrays, old, draws)
            return outputs, self._checked(new_values, fed), tail
        except BaseException:
            self._restore(draws)
            raise

    def _commit(self, checked, tail):
        """The final phase when the update tail is to be written in place
        (``tail`` is ``(run, arrays, destinations)``, and ``parts`` if the
        tail is split: ``threads.run_in_parts``): write it, then assign
        the new values. Everything that could fail has run; an interrupt
        arriving now is held back until every variable has its new value."""
        with _interrupts_held():
            run_in_parts(*tail)
            install(self._targets, checked)

    def _run_or_explain(self, arrays, variable_values, draws):
        """``self._run``; if it fails, a node-by-node replay of the call, from
        the same random draws, raises an ``EvaluationError`` naming the node."""
        try:
            return self._run(arrays, variable_values)
        except Exception as error:
            if self.source is None:
                raise  # the node-by-node run (of a very large graph) has named the node
            traceback.clear_frames(error.__traceback__)  # the failed run's temporaries go first
            self._restore(draws)
            self._evaluate(arrays, variable_values)
            raise EvaluationError(f"{self.name}: the compiled call failed ({type(error).__name__}: "
                                  f"{error}) although a step-by-step replay did not", None) from error

    def _restore(self, draws):
        """Put the random ops' generators back to the states ``draws``."""
        for generator, state in zip(self._generators, draws):
            generator.bit_generator.state = state

    @functools.cached_property
    def _steps(self):
        """``compiler.schedule``: each op's kernel, inputs and the values dying after it."""
        return compiler.schedule(self.order, set(self.outputs) | {u.value for u in self.updates})

    def _evaluate(self, arrays, variable_values, keep=False):
        """Every node's value, computed one node at a time (the slow, visible
        path). Unless ``keep`` (a trace keeps them all), each value is dropped
        after its last use, as the generated code's ``del`` lines do."""
        values = _Values(zip(self.inputs, arrays))
        values.update(zip(self._variables, variable_values))
        value_of = values.__getitem__
        with collector_paused():  # many small objects come and go: no collector passes
            for node, kernel, inputs, dying in self._steps:
                try:
                    values[node] = kernel(*map(value_of, inputs))
                except Exception as error:
                    raise _explain(node, [values[source] for source in inputs], error) from error
                if dying and not keep:
                    for source in dying:
                        del values[source]
        return values

    def _run_stepwise(self, arrays, variable_values):
        """The compiled function's job, done by ``_evaluate`` instead."""
        return self._results(self._evaluate(arrays, variable_values))

    def _results(self, values):
        """``(outputs, new_values, None)`` read from every node's value (no
        update tail is left to run)."""
        return ([values[node] for node in self.outputs],
                [values[update.value] for update in self.updates], None)

    def _checked(self, new_values, fed):
        """The arrays the updates will assign, each checked against its
        variable and made read-only (``install`` then assigns them all).
        (A variable never changes shape: ``set_value`` keeps it too.)"""
        arrays = []
        for variable, value in zip(self._targets, new_values):
            array = value if type(value) is np.ndarray else np.asarray(value)
            if array.shape != variable.shape or array.dtype != variable.dtype:
                raise ValueError(f"{self.name}: the update of variable {variable.name!r} computed a "
                                 f"{array.dtype.name} value of shape {array.shape}, but the variable "
                                 f"is {variable.dtype.name} of shape {variable._value.shape}; no "
                                 "variable was changed")
            # A variable keeps an array nobody else can write to, and that no
            # one else holds (a constant's, another variable's): the in-place
            # pass may later write into it. Its own buffer, written in place, stays.
            flags = array.flags
            if not flags.owndata or id(array) in fed or not (flags.writeable
                                                             or array is variable._value):
                array = array.copy()
            array.setflags(False)  # write=False, passed by position: a third of the time
            arrays.append(array)
        return arrays

    @staticmethod
    def _deliver(outputs, fed):
        """The outputs as arrays the caller owns: a variable's value, a view,
        a fed array or an array already handed out is copied."""
        delivered, seen = [], set()
        for value in outputs:
            array = value if type(value) is np.ndarray else np.asarray(value)
            flags = array.flags
            if not (flags.owndata and flags.writeable) or id(array) in fed or id(array) in seen:
                array = array.copy()
            if len(outputs) > 1:
                seen.add(id(array))
            delivered.append(array)
        return delivered

    def __reduce_ex__(self, protocol):
        raise TypeError(f"function {self.name!r} cannot be pickled or copied: it holds compiled "
                        "code; pickle its graph (inputs, outputs, updates) and call K.function "
                        "again")

    def __repr__(self):
        return (f"<Function {self.name!r}: {len(self.inputs)} inputs, {len(self.outputs)} outputs, "
                f"{len(self.updates)} updates, {sum(node.op is not None for node in self.order)} ops>")


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """Compile a graph into a callable, as Keras 2's ``K.function``.

    ``f = K.function(inputs, outputs, updates)``; ``f(list_of_arrays)`` feeds
    the placeholders ``inputs`` in order and returns a list of NumPy arrays,
    one per output. ``updates`` is a list of ``K.update(...)`` results (or
    ``(variable, new_value)`` pairs), applied together after the outputs are
    computed, all from the values before the call.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(None,))
    >>> total = K.variable(0.)
    >>> f = K.function([x], [K.sum(x)], updates=[K.update_add(total, K.sum(x))])
    >>> f([[1., 2.]])
    [array(3., dtype=float32)]
    >>> f([[4.]]), K.get_value(total)
    ([array(4., dtype=float32)], array(7., dtype=float32))
    """
    if kwargs:
        raise TypeError(f"function: unexpected argument(s) {sorted(kwargs)}")
    with collector_paused():
        return Function(inputs, outputs, updates, name)


# --------------------------------------------------------------------------
# Checking what comes in

def _as_list(values, what):
    if isinstance(values, tuple):
        values = list(values)
    if not isinstance(values, list):
        raise TypeError(f"function: `{what}` must be a list or tuple, got {type(values).__name__}")
    return values


def _as_updates(updates):
    """Normalise ``updates`` to a list of ``Update``; one per variable."""
    normalized = []
    for update in _as_list(updates or [], "updates"):
        if not isinstance(update, Update):
            if not (isinstance(update, (tuple, list)) and len(update) == 2):
                raise TypeError(f"function: an update must be K.update(x, new_x) or a pair "
                                f"(x, new_x), got {update!r}")
            update = Update(*update)
        normalized.append(update)
    targets = set()
    for update in normalized:
        if update.variable in targets:
            raise ValueError(f"function: variable {update.variable.name!r} is updated twice; "
                             "one call can assign each variable only once")
        targets.add(update.variable)
    return normalized


def _check_feed(placeholder, value):
    shape, dtype = placeholder.shape, placeholder.dtype
    if type(value) is np.ndarray and value.dtype == dtype:
        array = value  # what ``convert`` would return, without naming the placeholder first
    else:
        array = convert(value, dtype, f"placeholder {placeholder.name!r}")
    if array.shape != shape and not same_shape(shape, array.shape):
        raise ValueError(f"placeholder {placeholder.name!r} has shape {format_shape(shape)}; "
                         f"it was fed an array of shape {array.shape}")
    return array


_VALUE = operator.attrgetter("_value")
_NOTHING_FED = frozenset()


class _Values(dict):
    """Each node's value during a node-by-node run. A constant is read from
    the graph when asked for, not copied into the table: a long chain has a
    constant per op, and the table stays as small as the values alive."""

    def __missing__(self, node):
        if isinstance(node, Constant):
            return node.value
        raise KeyError(node)


@contextlib.contextmanager
def _interrupts_held():
    """Hold back Ctrl-C (SIGINT) for the duration of the block, then deliver
    it: the block runs to its end. Only the main thread receives signals, so
    elsewhere there is nothing to hold."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is None:
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            signal.raise_signal(signal.SIGINT)


def _explain(node, args, error):
    """An ``EvaluationError`` that names ``node`` and its run-time inputs."""
    inputs = ", ".join(f"{source.name}: {np.shape(arg)} {np.asarray(arg).dtype}"
                       for source, arg in zip(node.inputs, args))
    return EvaluationError(f"{node.op.name} failed while computing {node!r} from [{inputs}]: "
                           f"{type(error).__name__}: {error}", node)
