"""The update tail in parts, on several threads (the compiler's pass *split*).

Every op of the fused update tail is elementwise: entry ``i`` of each result
needs only entry ``i`` of its inputs. So the entries ``lo:hi`` of the new
values can be computed knowing nothing of the others, and a tail over ``n``
entries can be cut into ``parts`` ranges, ``part * n // parts`` up to
``(part + 1) * n // parts``, each computed by a thread of its own. Each
range runs the same ufuncs on the same numbers in the same order, so the
results are bit for bit those of one thread; only the time changes.

It pays because a NumPy ufunc releases the interpreter's lock (the GIL)
while its loop runs over a large array: two threads then really compute at
once, and only the Python between the ufunc calls takes turns. (numexpr
evaluates its expressions the same way, in blocks over several threads.)

What a thread of the tail must not change, and how it does not:

* *NumPy's error state* (``np.errstate``) is the caller's (its context in
  NumPy 2, its thread in NumPy 1): each part runs under a copy of it, so an
  ``np.errstate(over='ignore')`` around the call holds in every part.
* *Ctrl-C*: Python delivers signals to the main thread only, which the
  executor's final phase holds back until every variable has its new value;
  that thread runs a part itself, then waits for the others.
* *Failing halfway*: the tail runs in parts only in that final phase, after
  every check, when NumPy's floating-point errors can only warn
  (``compiler.fp_errors_cannot_raise``); its buffers are made while
  compiling, so no part allocates.
* *A fork* (``multiprocessing``) leaves the child no threads: the pool is
  made again in a process that did not make it.
"""

import concurrent.futures
import os

import numpy as np


def _usable_cpus():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


#: Threads a split tail runs on: one per CPU this process may use, at most 4
#: (each part's Python -- a call per ufunc per block -- takes turns under the
#: GIL, which more threads would make the bottleneck). 1: no threads.
THREADS = min(4, _usable_cpus())

_pool = (None, 0, None)  # (the process that made it, its threads, the pool)


def workers(count):
    """A pool of at least ``count`` threads, for the parts after the first
    (which the calling thread runs): made again in a new process, or when
    more threads are asked for than it has."""
    global _pool
    pid, size, pool = _pool
    if pid != os.getpid() or size < count:
        if pid == os.getpid():
            pool.shutdown(wait=False)  # its idle threads end
        pool = concurrent.futures.ThreadPoolExecutor(count, thread_name_prefix="minigrad-part")
        _pool = (os.getpid(), count, pool)
    return pool


def _under(errors, run, *args):
    """``run(*args)`` under NumPy's error state ``errors`` (``np.geterr()``
    and ``np.geterrcall()`` of the caller)."""
    modes, call = errors
    with np.errstate(call=call, **modes):
        run(*args)


def run_in_parts(run, arrays, destinations, parts=1):
    """``run(arrays, destinations, part, parts)`` for each part: parts
    ``1 ... parts - 1`` on the pool, under the caller's NumPy error state,
    part 0 here. Returns when every part has finished (and raises the first
    error, if one failed)."""
    if parts == 1:
        run(arrays, destinations)
        return
    errors, pool, futures = (np.geterr(), np.geterrcall()), workers(parts - 1), []
    for part in range(1, parts):
        try:
            futures.append(pool.submit(_under, errors, run, arrays, destinations, part, parts))
        except RuntimeError:  # no new threads (the interpreter is shutting down): run it here
            run(arrays, destinations, part, parts)
    try:
        run(arrays, destinations, 0, parts)
    finally:
        concurrent.futures.wait(futures)
    for future in futures:
        future.result()
