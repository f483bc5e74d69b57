"""Spreading work over worker processes without ever losing a task.

``ordered_map`` runs ``func`` over ``items`` in ``jobs`` processes and yields the
results in ``items`` order, a chunk at a time, with a bounded number of chunks in
flight (memory stays flat). A worker that dies (a crash in a C extension, the OOM
killer) breaks a ``ProcessPoolExecutor`` as a whole: the chunk it was running is
then run again one item at a time in a fresh pool, so the item that kills a worker
is found and answered by ``on_crash(item)``; the other chunks in flight are simply
submitted again. ``multiprocessing.Pool`` waited forever for a dead worker's task.
An interrupt (Ctrl-C) or any error stops the workers at once instead of waiting for
the files they are reading.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 32


class _Restartable:
    def __init__(self, jobs: int, initializer: Callable[..., None], initargs: tuple) -> None:
        self._jobs, self._initializer, self._initargs = jobs, initializer, initargs
        self._executor: ProcessPoolExecutor | None = None

    def submit(self, func: Callable[..., Any], *args: Any) -> Future:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self._jobs, initializer=self._initializer, initargs=self._initargs
            )
        return self._executor.submit(func, *args)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def kill(self) -> None:
        """Stop now (Ctrl-C, an error): a worker busy with a slow file is not waited for,
        and none is left running once the command has ended."""
        if self._executor is not None:
            processes = list(getattr(self._executor, "_processes", {}).values())
            self._executor.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(timeout=5)
            self._executor = None


def _run_chunk(func: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [func(item) for item in chunk]


def ordered_map(
    func: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    on_crash: Callable[[T], R],
    initializer: Callable[..., None] = lambda: None,
    initargs: tuple = (),
) -> Iterator[R]:
    """``map(func, items)`` over ``jobs`` worker processes, in order; see the module."""
    pool = _Restartable(jobs, initializer, initargs)
    waiting = deque(items[i : i + CHUNK] for i in range(0, len(items), CHUNK))
    in_flight: deque[tuple[Sequence[T], Future]] = deque()
    try:
        while waiting or in_flight:
            try:
                while waiting and len(in_flight) < 2 * jobs:
                    in_flight.append((waiting[0], pool.submit(_run_chunk, func, waiting[0])))
                    waiting.popleft()
            except BrokenProcessPool:  # a worker died while chunks were being handed out
                _requeue(waiting, in_flight, pool)
                continue
            chunk, future = in_flight.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:  # this chunk's worker (or another) died
                _requeue(waiting, in_flight, pool)
                yield from _one_at_a_time(pool, func, chunk, on_crash)
                continue
            yield from results
    except BaseException:
        pool.kill()
        raise
    pool.close()


def _requeue(waiting: deque, in_flight: deque, pool: _Restartable) -> None:
    """The pool is broken: the chunks it held go back to the front, in order."""
    waiting.extendleft(reversed([chunk for chunk, _ in in_flight]))
    in_flight.clear()
    pool.close()


def _one_at_a_time(
    pool: _Restartable, func: Callable[[T], R], chunk: Sequence[T], on_crash: Callable[[T], R]
) -> Iterator[R]:
    for item in chunk:
        try:
            result = pool.submit(func, item).result()
        except BrokenProcessPool:
            pool.close()
            result = on_crash(item)
        yield result
