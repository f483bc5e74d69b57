"""io/pool.ordered_map: order kept across chunks, a dying worker isolated to its item,
workers stopped (not waited for) when the consumer stops. Workers are forked here
(Linux), so the module-level functions below reach them by reference."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import pytest

from sreladder.io import pool

pytestmark = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="the test functions are found by fork"
)
VICTIMS = {37, 38, 150}


def square_or_die(item: int) -> int:
    if item in VICTIMS:
        os._exit(1)  # a worker that dies, as a crash in a C extension would
    return item * item


def crashed(item: int) -> int:
    return -item


def test_order_is_kept_and_each_dead_worker_costs_only_its_item() -> None:
    items = list(range(200))  # several chunks of pool.CHUNK, several in flight at once
    results = list(pool.ordered_map(square_or_die, items, 2, crashed))
    assert results == [-i if i in VICTIMS else i * i for i in items]


def slow_then_mark(marker: str) -> str:
    time.sleep(0.2 if marker.endswith("fast") else 20)
    Path(marker).write_text("finished")
    return marker


def test_stopping_the_consumer_stops_the_workers(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pool, "CHUNK", 1)
    markers = [str(tmp_path / name) for name in ("m0-fast", "m1-slow", "m2-slow")]
    earlier = set(multiprocessing.active_children())  # other tests' pools, reaped later
    generator = pool.ordered_map(slow_then_mark, markers, 2, crashed)
    first = next(generator)  # m0 is done; m1 and m2 are busy for 20 s
    generator.close()  # as on Ctrl-C: they are killed, not waited for
    assert first == markers[0]
    assert not Path(markers[1]).exists() and not Path(markers[2]).exists()
    for _ in range(100):  # terminated at once; reaping may lag a loaded machine a little
        ours = [p for p in multiprocessing.active_children() if p not in earlier]
        if not any(p.is_alive() for p in ours):
            break
        time.sleep(0.1)
    assert not any(p.is_alive() for p in ours)
