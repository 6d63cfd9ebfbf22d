"""Open the input files in background threads while the program starts and reads.

calamine parses a sheet's XML in Rust with the GIL released, so with two or more cores the
parse of the big customs workbook runs beside the main thread: beside the import of pandas
and the rest of the program at start-up, and beside the conversion and tidying of what is
already parsed. A big sheet is cut into row chunks (:mod:`.sheet_chunks`) that the threads
parse side by side, while the main thread turns the first chunks into rows.

Files are opened biggest first; :func:`.loader.read_inputs` takes them smallest first, so
the small ones are done while the big one is still being parsed. The threads are daemons:
an interrupted run does not wait for a parse to finish. Errors
(:class:`.errors.InputError`) are raised where the file is taken, exactly as if it had been
opened there.
"""
from __future__ import annotations

import os
import queue
import threading
from concurrent.futures import Future
from pathlib import Path

from .opening import OpenedFile, open_file

MAX_WORKERS = 4       # parsed chunks wait in memory for the main thread


def as_path(path) -> Path:
    """``path`` as a Path, a Path (or a subclass of it: the desk's uploads name the clerk's file) kept as given."""
    return path if isinstance(path, Path) else Path(path)


class Prefetch:
    """Files being opened (:func:`.opening.open_file`) by background threads."""

    def __init__(self, paths, workers: int | None = None):
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._pending: set[Future] = set()        # submitted, not done: cancelled by close()
        self._lock = threading.Lock()
        self._futures: dict[Path, Future] = {}
        self._sizes: dict[Path, int] = {}
        for path in map(as_path, paths):
            if path in self._sizes or path.name.startswith("~$"):
                continue
            try:
                self._sizes[path] = path.stat().st_size
            except OSError:
                self._sizes[path] = 0        # open_file will say what is wrong with it
        self._count = max(1, min(workers or os.cpu_count() or 1, MAX_WORKERS)) if self._sizes else 0
        # with one thread, cutting a sheet into chunks would only add the cutting
        chunks_to = self.submit if self._count > 1 else None
        for path in sorted(self._sizes, key=lambda p: -self._sizes[p]):
            self._futures[path] = self.submit(open_file, path, chunks_to)
        for _ in range(self._count):
            threading.Thread(target=self._work, name="jixi-open", daemon=True).start()

    def submit(self, fn, *args) -> Future:
        """Run ``fn(*args)`` in a background thread, after the jobs submitted before it."""
        future: Future = Future()
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        self._jobs.put((future, fn, args))
        return future

    def _forget(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            future, fn, args = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # handed to the main thread by result()
                future.set_exception(exc)

    def size(self, path: Path) -> int:
        """The file's size in bytes when the prefetch started (0 if unknown)."""
        return self._sizes.get(as_path(path), 0)

    def opened(self, path: Path) -> OpenedFile:
        """The opened file, waiting for its thread if needed; raises what opening raised.

        The file is handed over (its memory goes with the caller's reference); asked for a
        second time, it is opened again, here."""
        future = self._futures.pop(as_path(path), None)
        return open_file(as_path(path)) if future is None else future.result()

    def close(self) -> None:
        """Cancel what has not started, let go of the opened files, stop the threads."""
        with self._lock:
            pending = list(self._pending)
        for future in pending:
            future.cancel()
        self._futures = {}
        for _ in range(self._count):
            self._jobs.put(None)
        self._count = 0

    def __enter__(self) -> "Prefetch":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
