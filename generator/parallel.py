"""Independent jobs run in forked worker processes, their results in the jobs' order.

Rendering a big API is many independent files; on Linux, forked workers share the IR
without copying or pickling it, and only the finished text comes back. The result does not
depend on how many workers ran or in what order the jobs finished.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

#: Below this total weight (the render plan weighs an operation about 3 and a model 1: some
#: 100 operations with their models), forking costs more than it saves.
MIN_WEIGHT = 400

_JOBS: Sequence[Callable[[], Any]] = ()  # what the forked workers run (inherited, not sent)


class WorkerDied(Exception):
    """A worker process ended without finishing its jobs (killed, or out of memory)."""


def workers(requested: int | None = None) -> int:
    """How many processes to use: `requested`, else one per CPU this process may run on
    (Linux only: elsewhere fork is unavailable or unsafe, so everything runs here)."""
    if requested is not None:
        return max(1, requested)
    if sys.platform != "linux" or not hasattr(os, "sched_getaffinity"):
        return 1
    return max(1, len(os.sched_getaffinity(0)))


def used(weights: Sequence[int], processes: int) -> int:
    """How many processes `run` uses for jobs of these weights: 1 when they are too few or
    too light to pay for forking, or where workers are not forked."""
    if processes <= 1 or len(weights) < 2 or sum(weights) < MIN_WEIGHT or sys.platform != "linux":
        return 1
    return min(processes, len(weights))


def run(jobs: Sequence[Callable[[], T]], weights: Sequence[int], processes: int,
        prepare: Callable[[], None] | None = None) -> list[T]:
    """Each job's result, in order; the heaviest jobs start first. A job's exception is
    raised here, as if it had run in this process. `prepare` runs before the workers are
    forked (what it caches, every worker inherits), only if they are."""
    if used(weights, processes) == 1:
        return [job() for job in jobs]
    if prepare is not None:
        prepare()
    global _JOBS
    _JOBS = jobs
    try:
        done = _forked(weights, used(weights, processes))
    finally:
        _JOBS = ()
    return [job() for job in jobs] if done is None else done


def _forked(weights: Sequence[int], processes: int) -> list[Any] | None:
    """The results of `_JOBS` from `processes` forked workers; None if the system gives
    none (no semaphores for the pool's queues, as without /dev/shm, or no fork)."""
    import multiprocessing  # here: most runs never fork, and this costs startup time
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_worker_start)
    except OSError:
        return None
    order = sorted(range(len(weights)), key=lambda index: -weights[index])
    chunk = max(1, len(order) // (processes * 16))  # few round trips for many small jobs
    try:
        with pool:
            try:
                results = pool.map(_run_one, order, chunksize=chunk)  # forks the workers
            except OSError:
                return None
            done = dict(zip(order, results, strict=True))
    except BrokenProcessPool:
        raise WorkerDied("a worker process died before finishing (killed, or out of memory?);"
                         " --jobs 1 renders in one process") from None
    return [done[index] for index in range(len(order))]


def _worker_start() -> None:
    """Ctrl-C ends a worker at once (the parent reports it); no traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _run_one(index: int) -> Any:
    return _JOBS[index]()
