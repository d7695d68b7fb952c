"""Running the update tail in parts (minigrad/threads.py): every part runs,
on its own thread, under the caller's NumPy error state; the call returns
only when all have finished, and raises if one failed; a forked child makes
its own threads. (tests/test_compiler.py checks the split tails' numbers.)"""

import multiprocessing
import threading

import numpy as np
import pytest

from minigrad import backend as K, compiler, threads

def test_threads_is_at_least_one():
    assert isinstance(threads.THREADS, int) and 1 <= threads.THREADS <= 4


def test_each_part_runs_once_on_a_thread_of_its_own_under_the_callers_errstate():
    seen = []

    def run(arrays, destinations, part=0, parts=1):
        errors = tuple(sorted(np.geterr().items())) + (np.geterrcall(),)
        seen.append((part, parts, threading.get_ident(), errors, arrays, destinations))
    with np.errstate(over="ignore", invalid="raise", divide="print", call=print):
        threads.run_in_parts(run, "arrays", "destinations", 3)
        errors = tuple(sorted(np.geterr().items())) + (print,)
    assert sorted(part for part, *_ in seen) == [0, 1, 2]
    assert {(parts, errors_, arrays, destinations) for _, parts, _, errors_, arrays, destinations
            in seen} == {(3, errors, "arrays", "destinations")}
    here = [ident for part, _, ident, *_ in seen if part == 0]
    assert here == [threading.get_ident()]
    assert all(ident != here[0] for part, _, ident, *_ in seen if part)


def test_one_part_is_a_plain_call():
    calls = []
    threads.run_in_parts(lambda *args: calls.append(args), "a", "d")
    assert calls == [("a", "d")]


def test_a_failing_part_is_raised_after_every_part_has_finished():
    finished = []

    def run(arrays, destinations, part=0, parts=1):
        if part == 1:
            raise ValueError("part 1 failed")
        threading.Event().wait(0.05)
        finished.append(part)
    with pytest.raises(ValueError, match="part 1 failed"):
        threads.run_in_parts(run, None, None, 3)
    assert sorted(finished) == [0, 2]


def test_without_new_threads_the_parts_run_here(monkeypatch):
    class ShutDown:
        def __init__(self, count):
            pass

        def submit(self, *args):
            raise RuntimeError("cannot schedule new futures after interpreter shutdown")
    monkeypatch.setattr(threads, "workers", ShutDown)
    seen = []
    threads.run_in_parts(lambda a, d, part=0, parts=1: seen.append(
        (part, threading.get_ident())), None, None, 3)
    assert sorted(seen) == [(part, threading.get_ident()) for part in range(3)]


def _split_step():
    w = K.variable(np.zeros(4 * compiler.BLOCK, "float32"), name="w")
    return w, K.function([], [], updates=[K.update(w, w + 1.0)])


def _step_in_child(queue):
    w, f = _split_step()
    f([])
    queue.put(float(K.get_value(w).sum()))


def test_a_forked_child_makes_its_own_threads(monkeypatch):
    monkeypatch.setattr(threads, "THREADS", 2)
    monkeypatch.setattr(compiler, "SPLIT_MIN_SIZE", 1)
    w, f = _split_step()
    assert "in 2 parts" in f.source
    f([])  # the pool exists in this process now
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_step_in_child, args=(queue,))
    child.start()
    child.join(timeout=60)
    if child.exitcode is None:
        child.kill()
    assert child.exitcode == 0, "the child hung or failed"
    assert queue.get(timeout=5) == 4 * compiler.BLOCK
    assert threads.workers(1) is threads.workers(1)  # one pool per process


def test_the_pool_grows_when_more_parts_are_asked_for():
    threads.workers(1)
    assert threads.workers(3)._max_workers >= 3
    assert threads.workers(2) is threads.workers(3)
