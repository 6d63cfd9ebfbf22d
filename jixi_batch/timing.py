"""Optional stage timing: how long reading, computing and writing took.

``cli.run_batch`` wraps its stages in :func:`stage`; nothing is recorded unless a
caller (the benchmark in ``benchmarks/``) has installed a dict with :func:`record_into`.
The cost when nobody listens is one ``perf_counter`` call pair per stage.
"""
from __future__ import annotations

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
