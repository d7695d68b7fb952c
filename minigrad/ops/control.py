"""Loops over a tensor's first axis -- ``map_fn``, ``foldl``, ``foldr`` and
Keras 2's ``rnn`` -- by *unrolling*: the Python loop runs once, while the
graph is built, and leaves one copy of the loop body per step in the graph.

That is how a symbolic graph without loop nodes expresses a loop, and it
keeps every step visible (``f.source`` lists them, a drawing shows them) and
differentiable by the ordinary rules (backpropagation through time is just
``K.gradients`` of the unrolled graph). The price: the number of steps must
be known when the graph is built (the first axis of ``elems``, the time axis
of ``rnn``'s inputs), and a long loop makes a long graph.
"""

from ..graph import as_node, format_shape
from .elementwise import switch
from .shape import ZerosLike, expand_dims, stack


def _steps(x, axis, what):
    """The static length of ``x`` along ``axis``; an error naming ``what`` if unknown."""
    n = x.shape[axis]
    if n is None:
        raise ValueError(f"{what}: minigrad unrolls the loop while building the graph, so the "
                         f"number of steps (axis {axis} of a tensor of shape "
                         f"{format_shape(x.shape)}) must be known")
    return n


def map_fn(fn, elems, name=None, dtype=None):
    """``stack([fn(elems[0]), fn(elems[1]), ...])``: ``fn`` applied to each
    slice of ``elems`` along axis 0 (unrolled; ``name`` and ``dtype`` are
    accepted for Keras's signature).

    >>> from minigrad import backend as K
    >>> K.eval(K.map_fn(lambda row: K.sum(row * row), K.constant([[1., 2.], [3., 4.]])))
    array([ 5., 25.], dtype=float32)
    """
    elems = as_node(elems)
    n = _steps(elems, 0, "map_fn")
    if n == 0:
        raise ValueError("map_fn: elems has no entries along axis 0, so fn's result shape is unknown")
    return stack([as_node(fn(elems[i])) for i in range(n)])


def foldl(fn, elems, initializer=None, name=None):
    """Reduce ``elems`` along axis 0 from the left: ``acc = fn(acc, elems[i])``
    for ``i = 0, 1, ...``, starting from ``initializer`` (default: ``elems[0]``,
    then from ``i = 1``). Unrolled.

    >>> from minigrad import backend as K
    >>> K.eval(K.foldl(lambda acc, x: acc * 10 + x, K.constant([1., 2., 3.])))
    array(123., dtype=float32)
    """
    return _fold(fn, elems, initializer, reverse=False, what="foldl")


def foldr(fn, elems, initializer=None, name=None):
    """Reduce ``elems`` along axis 0 from the right: ``acc = fn(acc, elems[i])``
    for ``i = n - 1, n - 2, ...``, starting from ``initializer`` (default: the
    last slice). Unrolled.

    >>> from minigrad import backend as K
    >>> K.eval(K.foldr(lambda acc, x: acc * 10 + x, K.constant([1., 2., 3.])))
    array(321., dtype=float32)
    """
    return _fold(fn, elems, initializer, reverse=True, what="foldr")


def _fold(fn, elems, initializer, reverse, what):
    elems = as_node(elems)
    order = list(range(_steps(elems, 0, what)))
    if reverse:
        order.reverse()
    if initializer is None:
        if not order:
            raise ValueError(f"{what}: elems is empty and there is no initializer")
        acc, order = elems[order[0]], order[1:]
    else:
        acc = initializer
    for i in order:
        acc = fn(acc, elems[i])
    return as_node(acc)


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None,
        constants=None, unroll=False, input_length=None):
    """Run ``step_function`` over the time axis (axis 1) of ``inputs``, as
    Keras 2's ``K.rnn``; always unrolled, so the number of steps must be known.

    At each step ``t``: ``output_t, states = step_function(inputs[:, t], states + constants)``.
    With ``mask`` (``(samples, time)``, true where a step counts), a masked
    step keeps the previous output (zeros before the first) and states.
    ``go_backwards`` walks the steps from the last (outputs in that order).

    Returns ``(last_output, outputs, new_states)``: the last step's output
    ``(samples, ...)``, all outputs ``(samples, time, ...)`` and the final states.

    >>> from minigrad import backend as K
    >>> x = K.constant([[[1.], [2.], [3.]]])            # (samples=1, time=3, features=1)
    >>> def step(x_t, states):                          # a running sum
    ...     total = states[0] + x_t
    ...     return total, [total]
    >>> last, outputs, states = K.rnn(step, x, [K.constant([[0.]])])
    >>> K.eval(outputs)[0, :, 0], K.eval(last)
    (array([1., 3., 6.], dtype=float32), array([[6.]], dtype=float32))
    """
    inputs = as_node(inputs)
    if inputs.ndim < 3:
        raise ValueError(f"rnn: inputs should be at least 3-D (samples, time, ...), got shape "
                         f"{format_shape(inputs.shape)}")
    steps = list(range(_steps(inputs, 1, "rnn")))
    if not steps:
        raise ValueError("rnn: inputs have no time steps")
    if go_backwards:
        steps.reverse()
    constants = list(constants or [])
    states = list(initial_states)
    if mask is not None:
        mask = as_node(mask)
        if mask.ndim == 2:
            mask = expand_dims(mask, -1)   # (samples, time, 1): lines up with each step's (samples, ...)
    outputs = []
    for t in steps:
        output, new_states = step_function(inputs[:, t], states + constants)
        output, new_states = as_node(output), [as_node(state) for state in new_states]
        if mask is not None:
            keep = mask[:, t]
            previous = outputs[-1] if outputs else ZerosLike(output.dtype)(output)
            output = switch(keep, output, previous)
            new_states = [switch(keep, new, old) for new, old in zip(new_states, states)]
        outputs.append(output)
        states = new_states
    stacked = stack(outputs, axis=1)
    return outputs[-1], stacked, states

