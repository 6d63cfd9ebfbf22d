"""Stage timing (how long reading, computing and writing took) and a garbage-collector pause.

``cli.run_batch`` wraps its stages in :func:`stage`; nothing is recorded unless a
caller (the benchmark in ``benchmarks/``) has installed a dict with :func:`record_into`.
The cost when nobody listens is one ``perf_counter`` call pair per stage.
"""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager

_sink: dict[str, int] | None = None


def record_into(sink: dict[str, int] | None) -> None:
    """Record stage durations (nanoseconds, summed per stage name) into ``sink``; ``None`` stops."""
    global _sink
    _sink = sink


@contextmanager
def stage(name: str):
    """Time the enclosed block as stage ``name`` (durations of the same name add up)."""
    start = time.perf_counter_ns()
    try:
        yield
    finally:
        if _sink is not None:
            _sink[name] = _sink.get(name, 0) + time.perf_counter_ns() - start


@contextmanager
def paused_gc():
    """Pause Python's cyclic garbage collector for the enclosed block (reference counting goes on).

    Reading, computing and writing create millions of long-lived objects (cells, strings,
    rows) and no reference cycles worth collecting; the collector would otherwise walk
    all of them again each time a generation fills up (about 15% of a 300,000-row run).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
