"""How ``K.function`` turns a graph into Python: three stages, each a
function a reader can hold on one screen, with the plan passed explicitly.

1. **plan** (``plan``) -- decide everything, write nothing. It runs passes
   over the graph, each filling in a part of a ``Plan``:

   * *fold* (``fold_pass``): ops whose inputs are all constants run once,
     while compiling;
   * *order*: the op nodes to run, inputs first; the update tail (below)
     moved to the end;
   * *fuse* (``tail_pass``): the **update tail** -- the big elementwise ops
     that only the updates need (an optimizer's whole step is one) -- is
     evaluated block by block (``BLOCK`` entries at a time, a few hundred
     kilobytes, which stay in the cache) instead of one full-size
     temporary per op. Each op still runs as the same NumPy ufunc on the same
     numbers in the same order, so the results are bit for bit those of the
     unfused program; only the memory traffic changes. (XLA and tinygrad
     fuse elementwise chains the same way.) Once a variable's old value is
     read for the last time, its destination holds the intermediates that
     lead to its new value (``m *= beta_1``);
   * *in place* (``in_place_pass``): which of the tail's updates may write
     their new value into the variable's own buffer, as Theano's destroy
     handler lets an op overwrite an input that nothing later reads. A
     variable qualifies when nothing outside the tail can keep a view of its
     array (it is not an output nor another update's value, and every other
     op reading it is a ufunc, whose result is a new array). At call time
     the variable must also not have been lent out (``Variable.value``) nor
     be fed as an input; otherwise the tail writes a new array, as before;
   * *split* (``split_pass``): a tail that runs in place and whose updates
     write ``SPLIT_MIN_SIZE`` entries or more in all (an Adam step: m, v and
     the parameters, so from about 350,000 parameters on) is cut into
     ``threads.THREADS`` ranges of entries, computed at once on as many
     threads (``minigrad/threads.py`` says why that is exact and safe);
   * *liveness* (``liveness_pass``): after its last use each temporary is
     deleted, or, if big, its buffer takes the result of the op that
     consumed it (``np.add(a, b, out=a)``). A graph too big to write out is
     run node by node from ``schedule``, which frees values alike.

2. **emit** (``emit``) -- the plan written out as Python source, one line
   per op; a comment names the pass behind every line that is not a plain
   NumPy call. A ufunc with a 0-d result is asked for an array (``out=...``),
   not a NumPy scalar, and ``np.clip`` is called as the ufunc behind it:
   the same numbers, at a third of the cost on small arrays.
3. **load** (``load``) -- compile the source, register it with ``linecache``
   (tracebacks show its lines), return the callable.

The executor (``minigrad.executor.Function``) decides when the tail runs:
in place, only in a final phase, after every check of the call has passed,
with interrupts held back until all updates are assigned; otherwise inside
the call like any other op.
"""

import itertools
import keyword
import linecache
import re
import warnings
import weakref

import numpy as np

from . import threads
from .graph import Constant, is_fully_known
from .ops.elementwise import result_dtype


#: Ufunc results of at least this many entries are written into the buffer
#: of a temporary that dies at the same step, instead of a new array.
REUSE_MIN_SIZE = 1 << 15

#: Elementwise ops on arrays of at least this many entries may join the
#: update tail, evaluated in blocks of ``BLOCK`` entries.
FUSE_MIN_SIZE = 1 << 12
BLOCK = 1 << 16

#: An in-place tail runs in parts, one per thread, when its arrays of sizes
#: that give each part at least ``SPLIT_MIN_PART`` entries hold at least
#: ``SPLIT_MIN_SIZE`` entries in all; smaller arrays are computed by part 0.
#: (On smaller slices a ufunc call waits for the interpreter's lock about as
#: long as it computes; a smaller tail saves less than the threads cost.)
SPLIT_MIN_SIZE = 1 << 20
SPLIT_MIN_PART = 1 << 15

#: A number per compiled function, so each one's source has its own
#: ``linecache`` entry (tracebacks and warnings show the right line).
_compilations = itertools.count(1)


class Plan:
    """What compiling decided, pass by pass; ``emit`` only writes it out.

    ``order``: the op nodes in the order they run; ``folded``: the ops
    computed while compiling, with their values; ``dying[node]``: the
    temporaries deleted after ``node``; ``buffers[node]``: the dead
    temporary whose buffer takes ``node``'s result; ``tail``: the fused update
    tail (ops, in order), ``tail_updates`` the updates it computes and
    ``in_place`` the variables among them it may write in place;
    ``parts``: the threads the tail runs on, in place, and ``shared`` the
    sizes of array whose entries they share.
    """

    def __init__(self, function):
        self.name = function.name
        self.inputs, self.outputs, self.updates = function.inputs, function.outputs, function.updates
        self.variables = function._variables
        self.leaves = [node for node in function.order if node.op is None]
        self.order = [node for node in function.order if node.op is not None]
        self.kept = set(self.outputs) | {update.value for update in self.updates}
        self.folded = {}  # node -> its value, computed once while compiling
        self.tail, self.tail_updates, self.in_place = [], [], []
        self.parts, self.shared = 1, set()
        self.dying, self.buffers = {}, {}


def plan(function):
    """Every decision about ``function``'s program, pass by pass."""
    plan = Plan(function)
    fold_pass(plan)
    tail_pass(plan)
    in_place_pass(plan)
    split_pass(plan)
    liveness_pass(plan)
    return plan


# --------------------------------------------------------------------------
# Pass "fold": ops on constants only

def fold_pass(plan):
    """Ops whose inputs are all constants (``expand_dims`` of a literal, say)
    are run once, now; the program reads the result as a constant. A
    ``stateful`` op (one that draws random numbers or prints), or one that
    fails or warns, is left to run at call time."""
    for node in plan.order:
        if getattr(node.op, "stateful", False) or not all(
                isinstance(source, Constant) or source in plan.folded for source in node.inputs):
            continue
        args = [plan.folded.get(source, getattr(source, "value", None)) for source in node.inputs]
        try:
            with np.errstate(all="raise"), warnings.catch_warnings():
                warnings.simplefilter("error")
                value = np.array(node.op.kernel()(*args))
        except Exception:
            continue
        value.flags.writeable = False
        plan.folded[node] = value
    plan.order = [node for node in plan.order if node not in plan.folded]


# --------------------------------------------------------------------------
# Pass "fuse": the update tail

def tail_pass(plan):
    """The big elementwise ops whose results only updates (and other tail
    ops) read, moved to the end of ``plan.order`` as ``plan.tail``."""
    consumers = _consumers(plan.order)
    values = [update.value for update in plan.updates]
    once = {value for value in values if values.count(value) == 1}
    tail = set()
    for node in reversed(plan.order):
        readers = consumers.get(node, [])
        if (node not in plan.outputs and _fusible(node) and (node in once or readers)
                and all(reader in tail for reader in readers)):
            tail.add(node)
    plan.tail = [node for node in plan.order if node in tail]
    plan.order = [node for node in plan.order if node not in tail] + plan.tail
    plan.tail_updates = [update for update in plan.updates if update.value in tail]


def _consumers(order):
    consumers = {}
    for node in order:
        for source in dict.fromkeys(node.inputs):
            consumers.setdefault(source, []).append(node)
    return consumers


#: Elementwise NumPy functions that are not ufuncs but take ``out=`` alike
#: (``K.sqrt`` clips its argument at zero first).
ELEMENTWISE = {np.clip}

#: NumPy functions that are a Python wrapper around one ufunc, and that ufunc:
#: the program calls the ufunc itself, on the same numbers (``np.clip`` checks
#: for ``None`` bounds, which a graph never has, and costs five ufunc calls).
UFUNC_BEHIND = {np.clip: (np._core if hasattr(np, "_core") else np.core).umath.clip}  # NumPy 2, 1


def _fusible(node):
    """A NumPy ufunc (or ``np.clip``) on big float arrays whose inputs are the
    same shape or single numbers, and whose result has the node's dtype (so
    writing it into a buffer of that dtype changes nothing)."""
    kernel = node.op.kernel()
    ufunc = (isinstance(kernel, np.ufunc) and kernel.nout == 1 and kernel.nin == len(node.inputs)
             and getattr(np, kernel.__name__, None) is kernel)
    if not (ufunc or kernel in ELEMENTWISE):
        return False
    if not is_fully_known(node.shape) or np.prod(node.shape) < FUSE_MIN_SIZE:
        return False
    if any(not is_fully_known(source.shape) or (source.shape != node.shape
                                                and np.prod(source.shape) != 1)
           for source in node.inputs):
        return False
    dtypes = tuple(source.dtype for source in node.inputs)
    if not all(dtype.kind in "fb" for dtype in dtypes + (node.dtype,)):
        return False
    try:  # the rule the elementwise ops infer their dtype by
        return result_dtype(UFUNC_BEHIND.get(kernel, kernel), dtypes, node.op.name) == node.dtype
    except TypeError:  # no loop for these dtypes: the op fails at run time, unfused
        return False


# --------------------------------------------------------------------------
# Pass "in place"

def in_place_pass(plan):
    """The tail's variables whose new value may go into their own buffer:
    nothing outside the tail can hold a view of their array."""
    consumers = _consumers(plan.order)
    tail = set(plan.tail)
    for update in plan.tail_updates:
        variable = update.variable
        if variable in plan.kept:
            continue
        if all(reader in tail or isinstance(reader.op.kernel(), np.ufunc)
               for reader in consumers.get(variable, [])):
            plan.in_place.append(variable)


def fp_errors_cannot_raise():
    """Whether NumPy's floating-point errors (overflow, 0/0, ...) can only
    warn or pass here: then the tail cannot fail halfway. Under
    ``np.seterr(all='raise')``, or a warnings filter turning RuntimeWarning
    into an error, it could, and the tail must write new arrays instead."""
    if any(mode not in ("ignore", "warn", "print") for mode in np.geterr().values()):
        return False
    return not any(action == "error" and issubclass(RuntimeWarning, category)
                   for action, _, category, _, _ in warnings.filters)


# --------------------------------------------------------------------------
# Pass "split"

def split_pass(plan):
    """``plan.parts`` and ``plan.shared``: the tail runs in ``threads.THREADS``
    parts if it may run in place (only then does it run in the final phase,
    where nothing can fail) and the sizes worth sharing (``SPLIT_MIN_PART``
    entries a part) hold ``SPLIT_MIN_SIZE`` entries or more."""
    sizes = [int(np.prod(update.variable.shape)) for update in plan.tail_updates]
    shared = {size for size in sizes if size // threads.THREADS >= SPLIT_MIN_PART}
    if plan.in_place and threads.THREADS > 1 and \
            sum(size for size in sizes if size in shared) >= SPLIT_MIN_SIZE:
        plan.parts, plan.shared = threads.THREADS, shared


# --------------------------------------------------------------------------
# Pass "liveness"

def liveness_pass(plan):
    """``plan.dying`` and ``plan.buffers`` for the ops before the tail (the
    tail's block temporaries are planned by ``emit_tail``)."""
    plan.dying = {node: dying for node, _, _, dying in schedule(plan.order, plan.kept | set(plan.folded))
                  if dying}
    fresh = set()  # temporaries holding a new, writable array of their own (ufunc results)
    tail = set(plan.tail)
    for node in plan.order:
        if node in tail:
            continue
        kernel = node.op.kernel()
        buffer = _reusable_buffer(node, kernel, plan.dying.get(node, ()), fresh)
        if buffer is not None:
            plan.buffers[node] = buffer
        if isinstance(kernel, np.ufunc):
            fresh.add(node)
        else:
            # Other kernels may return a view of an input (reshape, x[1:],
            # identity): that input's buffer must then never be overwritten.
            fresh.difference_update(node.inputs)


def schedule(order, kept):
    """Liveness, for the liveness pass and the node-by-node run (very large
    graphs, traces, replays): one ``(node, kernel, inputs, dying)`` per op,
    in ``order``, where ``dying`` lists the inputs it is the last to read:
    once it is computed their values can go, unless they are leaves (held
    elsewhere anyway) or ``kept`` (outputs and new values). One backward
    walk: the first reader met going backwards is the last one."""
    steps, read = [], set(kept)
    for node in reversed(order):
        op = node.op
        if op is None:
            continue
        dying = ()
        for source in node.inputs:
            if source.op is not None and source not in read:
                read.add(source)
                dying += (source,)
        steps.append((node, op.kernel(), node.inputs, dying))
    steps.reverse()
    return steps


def _reusable_buffer(node, kernel, dead, fresh):
    """An input dying at this step whose array can take ``node``'s result.

    Writing a ufunc's result into a dead temporary (``out=``) saves allocating
    a new array -- for big arrays a large part of the cost, as every new page
    must be faulted in. Only arrays a ufunc made here qualify (a view could
    share memory with a variable), of the same shape and dtype, and only above
    ``REUSE_MIN_SIZE`` entries: for small arrays ``out=`` is slower.
    """
    if not isinstance(kernel, np.ufunc) or kernel.nout != 1 or not is_fully_known(node.shape):
        return None
    if np.prod(node.shape) < REUSE_MIN_SIZE:
        return None
    for source in dead:
        if source in fresh and source.shape == node.shape and source.dtype == node.dtype:
            return source
    return None


# --------------------------------------------------------------------------
# Emit

class Source:
    """The program being written: its lines, the names it uses (``ident``)
    and the objects they stand for (``namespace``)."""

    def __init__(self, plan):
        self.names = _Identifiers()
        self.namespace = {"np": np}
        self.ident = {}
        self.kernels = {}
        self.lines = []
        for node in plan.leaves + plan.inputs + list(plan.folded):
            if node not in self.ident:
                self.ident[node] = self.names.new(node.name)
                if isinstance(node, Constant):
                    self.namespace[self.ident[node]] = node.value
                elif node in plan.folded:  # pass fold: computed while compiling
                    self.namespace[self.ident[node]] = plan.folded[node]
        self.fn_name = self.names.new(plan.name)
        self.scratch, self.block_names = [], []  # the tail's block buffers: (name, dtype)

    def new_scratch(self, dtype):
        """A new block-sized buffer: allocated as ``scratch``, used as ``block``
        (its first ``hi - lo`` entries)."""
        self.scratch.append((self.names.new("scratch"), dtype))
        self.block_names.append(self.names.new("block"))
        return self.block_names[-1]

    def call(self, node, args, note=""):
        """``kernel(args)`` for ``node``, the kernel named once; a comment
        says what a name that is not NumPy's stands for, then ``note``."""
        kernel = node.op.kernel()
        if id(kernel) not in self.kernels:
            self.kernels[id(kernel)] = _kernel_name(kernel, node.op, self.names, self.namespace)
        name = self.kernels[id(kernel)]
        notes = [] if name.startswith("np.") else [repr(node.op)]
        if kernel in UFUNC_BEHIND:
            notes = [f"the ufunc np.{kernel.__name__} calls"]
        comment = "; ".join(notes + [note] if note else notes)
        return f"{name}({', '.join(args)})" + (f"  # {comment}" if comment else "")


def emit(plan):
    """The plan as Python source: ``(source, namespace, function name)``."""
    src = Source(plan)
    out = src.lines
    out.append(f"def {src.fn_name}(feeds, variables):")
    zero_d = {node for node in plan.order if _zero_d_ufunc(node)} if ARRAY_ON_REQUEST else ()
    if zero_d:
        out.append("    # out=...: a ufunc gives a 0-d array, not a NumPy scalar (slower to compute with)")
    if plan.inputs:
        out.append(f"    {_tuple(src.ident[node] for node in plan.inputs)} = feeds")
    if plan.variables:
        out.append(f"    {_tuple(src.ident[node] for node in plan.variables)} = variables")
    tail = set(plan.tail)
    for node in plan.order:
        src.ident[node] = src.names.new(node.name)
        if node in tail:
            continue
        args = [src.ident[source] for source in node.inputs]
        if node in plan.buffers:
            args.append(f"out={src.ident[plan.buffers[node]]}")
        elif node in zero_d:
            args.append("out=...")
        out.append(f"    {src.ident[node]} = {src.call(node, args)}")
        if node in plan.dying:
            out.append(f"    del {', '.join(src.ident[source] for source in plan.dying[node])}")
    pending = emit_tail_call(plan, src) if plan.tail else "None"
    outputs = _tuple(src.ident[node] for node in plan.outputs)
    new_values = _tuple(src.ident[update.value] for update in plan.updates)
    out.append(f"    return {outputs}, {new_values}, {pending}")
    if plan.tail:
        emit_tail(plan, src)
    return "\n".join(out) + "\n", src.namespace, src.fn_name


def _ufunc_returns_arrays_on_request():
    """Whether ``out=...`` makes a ufunc return a 0-d array (NumPy 2.3 on)."""
    try:
        return type(np.negative(np.zeros(()), out=...)) is np.ndarray
    except TypeError:
        return False


#: On a 0-d array a ufunc returns a NumPy scalar, unless asked (``out=...``)
#: for an array: the ops that read it then run 40% faster, and a variable's
#: new value is already the array it keeps.
ARRAY_ON_REQUEST = _ufunc_returns_arrays_on_request()


def _zero_d_ufunc(node):
    """Whether ``node`` is a ufunc of one result that is 0-d."""
    kernel = node.op.kernel()
    kernel = UFUNC_BEHIND.get(kernel, kernel)
    return node.shape == () and isinstance(kernel, np.ufunc) and kernel.nout == 1


def emit_tail_call(plan, src):
    """The lines that claim the tail's destinations and, unless it will run
    in place after the checks, run it now; returns the ``pending`` expression."""
    tail = set(plan.tail)
    # A single number fixed while compiling (a constant, a folded op) is a
    # 0-d array the tail reads by its name, as the program does: not an argument.
    src.tail_args = list(dict.fromkeys(
        source for node in plan.tail for source in node.inputs if source not in tail
        and not (source.shape == () and src.ident[source] in src.namespace)))
    src.tail_name = src.names.new(src.fn_name + "_tail")
    claim = src.names.new("claim")
    src.namespace[claim] = Claim(plan.tail_updates, plan.in_place)
    targets = _tuple(src.ident[update.value] for update in plan.tail_updates)
    call_args = _tuple(src.ident[node] + _as_the_tail_reads(node.shape) for node in src.tail_args)
    parts = f", {plan.parts})  # pass split: in place, in {plan.parts} parts, one per thread" \
        if plan.parts > 1 else ")"
    if "reshape(-1)" in call_args:
        src.lines.append("    # the tail reads its arrays flat (a block is a slice of each): any "
                         "copy that takes (of a strided array) is made now, before the final phase")
    src.lines += [
        f"    # pass in place: {len(plan.in_place)} of {len(plan.tail_updates)} updates may be "
        "written into their variables' own buffers (Claim says which, now)",
        f"    {targets}, destinations, in_place = {claim}(feeds)",
        f"    tail = ({src.tail_name}, {call_args}, destinations{parts}",
        "    if not in_place:  # the tail runs now, into new arrays",
        f"        {src.tail_name}({call_args}, destinations)",
        "        tail = None"]
    return "tail"


def emit_tail(plan, src):
    """The fused tail, a function of its input arrays and its destinations
    (and, if split, of which part of ``parts`` to compute): for each size of
    array, one loop over blocks (one block for arrays of up to ``2 * BLOCK``
    entries), each op a ufunc writing into a block-sized scratch buffer
    (taken again after its last use) or straight into its update's
    destination. The scratch buffers are made once, while compiling (a set
    per part); calls take turns (``VALUES_LOCK``), so they never share one."""
    out, ident, names = src.lines, src.ident, src.names
    args = [ident[node] for node in src.tail_args]
    for update in plan.tail_updates:
        ident[update] = names.new(ident[update.value] + "_dest")
    sizes = list(dict.fromkeys(int(np.prod(node.shape)) for node in plan.tail))
    split = plan.parts > 1
    out += ["", "", f"def {src.tail_name}(arrays, destinations{', part=0, parts=1' if split else ''}):",
            f"    # pass fuse: {len(plan.tail)} elementwise ops on arrays of {sizes} entries, in "
            f"blocks of {BLOCK} entries (one block up to {2 * BLOCK})"]
    if split:
        out.append("    # pass split: every op is elementwise, so entries lo:hi of the results need "
                   "entries lo:hi of the arrays only; each part computes its own range")
    out += [f"    {_tuple(args)} = arrays",
            f"    {_tuple(ident[u] for u in plan.tail_updates)} = destinations"]
    for update in plan.tail_updates:  # a variable's own C-ordered buffer or a new one: a view
        name, reshape = ident[update], _as_the_tail_reads(update.variable.shape)
        if reshape:
            out.append(f"    {name} = {name}{reshape}  # flat: a block is a slice of it")
    loops = [_tail_loop(plan, src, size) for size in sizes]
    length = max(_block_length(_part_length(plan, size)) for size in sizes)
    parts = [tuple(np.empty(length, dtype) for _, dtype in src.scratch) for _ in range(plan.parts)]
    if src.scratch and split:
        of_part = names.new("scratch_of_part")
        src.namespace[of_part] = parts
        out.append(f"    {_tuple(name for name, _ in src.scratch)} = {of_part}[part]  "
                   f"# one set per part ({plan.parts} parts), {length} entries a buffer, "
                   "made while compiling")
    elif src.scratch:
        src.namespace.update((name, array) for (name, _), array in zip(src.scratch, parts[0]))
        out.append(f"    # {_tuple(name for name, _ in src.scratch)}: {length}-entry buffers, made "
                   "while compiling")
    for lines in loops:
        out.extend(lines)


def _as_the_tail_reads(shape):
    """How the tail reads an array of ``shape``: one number as a 0-d array
    (NumPy's fastest loops), several flat (a block is a slice of it)."""
    if np.prod(shape) == 1:
        return ".reshape(())" if shape != () else ""
    return ".reshape(-1)" if len(shape) > 1 else ""


def _block_length(size):
    """Entries per block: ``BLOCK``, or the whole array when it has at most
    two blocks' worth (each block costs a Python call per op)."""
    return size if size <= 2 * BLOCK else BLOCK


def _part_length(plan, size):
    """The entries of arrays of ``size`` one part computes (at most)."""
    return -(-size // plan.parts) if size in plan.shared else size


def _tail_loop(plan, src, size):
    """The loop over blocks for the tail ops on arrays of ``size`` entries
    (no loop if one block holds them): over this part's range if the parts
    share the size, else, in a split tail, all of it in part 0."""
    ops = [node for node in plan.tail if np.prod(node.shape) == size]
    entries = _part_length(plan, size)
    loop, shared = _block_length(entries) < entries, size in plan.shared
    sliced = loop or shared
    body = _tail_body(plan, src, ops, sliced)
    stop = "hi - lo" if sliced else size
    views = [f"{_tuple(src.block_names)} = ({', '.join(f'{n}[:{stop}]' for n, _ in src.scratch)},)"]
    body = (views if src.scratch else []) + body
    bounds = f"part * {size} // parts, (part + 1) * {size} // parts  # pass split: this part's entries"
    if loop:
        start, stop = ("start", "stop") if shared else (0, size)
        body = ([f"start, stop = {bounds}"] if shared else []) + [
            f"for lo in range({start}, {stop}, {BLOCK}):",
            f"    hi = min(lo + {BLOCK}, {stop})"] + ["    " + line for line in body]
    elif shared:
        body = [f"lo, hi = {bounds}"] + body
    if plan.parts > 1 and not shared:
        body = ["if part == 0:  # pass split: too few entries to share; part 0 computes them"] + [
            "    " + line for line in body]
    return ["    " + line for line in body]


def _tail_body(plan, src, ops, sliced):
    """One block's lines for ``ops``: big inputs and destinations sliced
    (if ``sliced``), then one ufunc call per op into a scratch buffer or its
    destination; an update whose variable is still read later in the block
    is copied in at the end. Between the last read of a variable's old value
    and its new value, its destination serves as scratch (``_lent_destination``):
    in place, that is ``m *= beta_1`` rather than a write to another buffer."""
    ident, size, computed = src.ident, np.prod(ops[0].shape), set(ops)
    updates = {update.value: update for update in plan.tail_updates if update.value in computed}
    last = {}
    for i, node in enumerate(ops):
        for source in node.inputs:
            last[source] = i
    body, where = [], {}
    read = [s for s in dict.fromkeys(s for n in ops for s in n.inputs) if s not in computed]
    big = [s for s in read if np.prod(s.shape) == size] + list(updates.values())
    for key in read:
        where[key] = ident[key]
    for key in big:
        where[key] = src.names.new(ident[key] + "_b") if sliced else ident[key]
        if sliced:
            body.append(f"{where[key]} = {ident[key]}[lo:hi]")
    return body + _tail_calls(src, ops, updates, last, where)


def _tail_calls(src, ops, updates, last, where):
    """The ufunc call of each op of a block, each writing into its update's
    destination, a destination lent to it, or a scratch block (taken again
    after its last read); then the copies of the updates computed early."""
    body, free, late, blocks, held = [], {}, [], set(), {}
    for (_, dtype), block in zip(src.scratch, src.block_names):  # an earlier size's, free again
        free.setdefault(dtype, []).append(block)
        blocks.add(block)
    at = {value: i for i, value in enumerate(ops) if value in updates}
    opening, open_ = {}, []  # the destinations free from the last read of the old value on
    for value, update in updates.items():
        opening.setdefault(max(last.get(update.variable, -1), 0), []).append(update)
    for i, node in enumerate(ops):
        open_ = [update for update in open_ if at[update.value] > i] + opening.get(i, [])
        for source in dict.fromkeys(node.inputs):  # dying here: its buffer may take the result
            if last[source] == i and where[source] in blocks and source not in updates:
                free[source.dtype].append(where[source])
        update = updates.get(node)
        lent = None if update else _lent_destination(node, i, open_, at, last, held)
        note = f"pass fuse: in {where[lent]} until {src.ident[lent.value]}" if lent else ""
        if update is not None and last.get(update.variable, -1) <= i:
            target = where[update]
        elif lent is not None:
            target = where[lent]
        else:
            pool = free.setdefault(node.dtype, [])
            target = pool.pop() if pool else src.new_scratch(node.dtype)
            blocks.add(target)
            if update is not None:
                late.append(f"{where[update]}[...] = {target}  # after the last read of "
                            f"{update.variable.name}'s old value")
        args = [where[source] for source in node.inputs] + [f"out={target}"]
        body.append(f"{src.ident[node]} = {src.call(node, args, note)}")
        where[node] = target
    return body + late


def _lent_destination(node, i, open_, at, last, held):
    """The update whose destination may hold ``node`` (the ``i``-th op) for a
    while: one of ``open_`` (its variable's old value read for the last time
    by now, its own value computed after ``i``, at ``at[value]``), of
    ``node``'s dtype, its value computed no earlier than ``node``'s last read,
    and nothing else held there still to be read. ``held`` notes it."""
    for update in open_:
        value, holder = update.value, held.get(update)
        if (value.dtype == node.dtype and last.get(node, at[value]) <= at[value]
                and (holder is None or last[holder] <= i)):
            held[update] = node
            return update
    return None


class Claim:
    """At call time, where each of the tail's updates goes: into the
    variable's own buffer if the plan allows it, nobody was lent the array,
    no input array shares its memory and it is laid out in C order (the tail
    writes it flat: ``reshape(-1)`` of any other layout would be a copy,
    and the update would be lost); else into a new array. In place
    only when NumPy's floating-point errors cannot raise (``fp_errors_cannot_raise``).

    Returns ``(new values, writable destinations, in_place)``."""

    def __init__(self, updates, in_place):
        self.updates = updates
        self.allowed = set(in_place)

    def __call__(self, feeds):
        if not (self.allowed and fp_errors_cannot_raise()):
            return self._new_arrays()
        fed = {id(array if array.base is None else array.base) for array in feeds}
        values, destinations = [], []
        for update in self.updates:
            variable, own = update.variable, update.variable._value
            if variable in self.allowed and not variable.is_lent() and id(own) not in fed \
                    and own.flags.c_contiguous:
                own.setflags(True)  # write=True, by position (a third of the time by keyword)
                destination = own.view()  # writable; the variable's array stays read-only
                own.setflags(False)
            else:  # a new array, frozen by the executor's checks; the view stays writable
                own = np.empty(variable.shape, variable.dtype)
                destination = own.view()
            values.append(own)
            destinations.append(destination)
        return tuple(values), tuple(destinations), True

    def _new_arrays(self):
        values = tuple(np.empty(update.variable.shape, update.variable.dtype)
                       for update in self.updates)
        return values, values, False


# --------------------------------------------------------------------------
# Load

def load(function, source, namespace, fn_name):
    """Compile ``source`` under its own ``linecache`` key (dropped with
    ``function``) and return the function it defines."""
    filename = f"<minigrad {fn_name} #{next(_compilations)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    weakref.finalize(function, linecache.cache.pop, filename, None)
    exec(compile(source, filename, "exec"), namespace)
    return namespace[fn_name]


def _tuple(items):
    items = list(items)
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _kernel_name(kernel, op, names, namespace):
    """``np.tanh`` for a NumPy function (``clip_ufunc`` for the ufunc behind
    ``np.clip``), else a fresh name bound in the namespace."""
    public = getattr(kernel, "__name__", None)
    if kernel in UFUNC_BEHIND:
        name = names.new(public + "_ufunc")
        namespace[name] = UFUNC_BEHIND[kernel]
        return name
    if public and getattr(np, public, None) is kernel:
        return f"np.{public}"
    name = names.new(op.name + "_op")
    namespace[name] = kernel
    return name


class _Identifiers:
    """Unique, valid Python identifiers made from node names."""

    def __init__(self):
        self.taken = {"np", "feeds", "variables", "tail", "destinations", "in_place", "arrays",
                      "array", "lo", "hi"}
        self.next_suffix = {}  # per base name, so a thousand 'h's cost no more than one

    def new(self, name):
        base = re.sub(r"\W", "_", str(name)) or "node"
        if base[0].isdigit() or keyword.iskeyword(base):
            base = "_" + base
        candidate = base
        while candidate in self.taken:
            suffix = self.next_suffix.get(base, 2)
            self.next_suffix[base] = suffix + 1
            candidate = f"{base}_{suffix}"
        self.taken.add(candidate)
        return candidate
