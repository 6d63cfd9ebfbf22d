"""What the clerk sees while a run works (OUTPUTS.md "The console").

Each stage (reading, computing, writing the workbook, the letters, the PDF) ends with one plain
line on stdout saying what was done and how long it took; the caller prints it with
:func:`took`. On a terminal, a stage also shows a live line on stderr while it runs — what is
being done, how far, how long so far — redrawn in place a few times a second and wiped when the
stage ends. When stderr is not a terminal (a log file, a pipe, a test) there is no live line,
no carriage return, nothing but the plain lines.

The live line uses only ASCII spinner characters, carriage returns and spaces (no ANSI escapes,
no Braille): a Windows console on code page 936 shows it as it is.
"""
from __future__ import annotations

import shutil
import sys
import threading
import time
import unicodedata
from contextlib import contextmanager
from typing import Iterator

SPINNER = "-\\|/"
TICK_SECONDS = 0.2


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: a Chinese character (or full-width sign) takes two."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def clip(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` columns."""
    used, out = 0, []
    for ch in text:
        w = display_width(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out)


def duration(seconds: float) -> str:
    """不到 0.1 秒, 0.9 秒, 12 秒, 2 分 5 秒, 1 小时 3 分."""
    if seconds < 0.1:
        return "不到 0.1 秒"
    if seconds < 10:
        return f"{seconds:.1f} 秒"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} 秒"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} 分 {secs} 秒" if secs else f"{minutes} 分"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} 小时 {minutes} 分" if minutes else f"{hours} 小时"


def took(stage: "Stage") -> str:
    """（用时 0.9 秒）: what a finished-stage line ends with."""
    text = duration(stage.seconds)
    return f"（用时{'' if text.startswith('不到') else ' '}{text}）"


class Stage:
    """One stage of the run: its live text, and how long it took once it is over."""

    def __init__(self, label: str):
        self.label = label
        self.detail = ""
        self._start = time.perf_counter()
        self._end: float | None = None

    def update(self, detail: str) -> None:
        """What the stage is doing now (shown after the label on the live line)."""
        self.detail = detail

    @property
    def seconds(self) -> float:
        return (self._end if self._end is not None else time.perf_counter()) - self._start

    def finish(self) -> None:
        self._end = time.perf_counter()

    def live_text(self, turn: int) -> str:
        detail = f"：{self.detail}" if self.detail else ""
        return f"{SPINNER[turn % len(SPINNER)]} {self.label}{detail}……已用 {int(self.seconds)} 秒"


class Console:
    """Where the stages are shown: ``live`` (default: stderr is a terminal) turns the live line on."""

    def __init__(self, live: bool | None = None):
        self.live = _is_terminal(sys.stderr) if live is None else live

    @contextmanager
    def stage(self, label: str) -> Iterator[Stage]:
        """Run the enclosed block as a stage; on a terminal, with a live line while it runs."""
        stage = Stage(label)
        if not self.live:
            try:
                yield stage
            finally:
                stage.finish()
            return
        line = _LiveLine(stage, sys.stderr)
        saved = sys.stdout, sys.stderr
        # Anything else printed meanwhile (a warning, a message of the stage) first wipes the live line.
        sys.stderr = _Interrupting(saved[1], line)
        if _is_terminal(saved[0]):
            sys.stdout = _Interrupting(saved[0], line)
        line.start()
        try:
            yield stage
        finally:
            stage.finish()
            line.stop()
            sys.stdout, sys.stderr = saved


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class _LiveLine:
    """The stage's line on the terminal, redrawn every TICK_SECONDS by a background thread."""

    def __init__(self, stage: Stage, stream):
        self.stage = stage
        self.stream = stream
        self.lock = threading.Lock()
        self.shown = 0              # columns of the line now on screen (0: nothing shown)
        self.held = False           # someone else's text is mid-line: do not draw over it
        self.turn = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="jixi-progress", daemon=True)

    def start(self) -> None:
        self.draw()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.wipe()

    def _run(self) -> None:
        try:
            while not self._stop.wait(TICK_SECONDS):
                self.turn += 1
                self.draw()
        except Exception:       # the live line is a courtesy: it never stops or disturbs the run
            pass

    def draw(self) -> None:
        with self.lock:
            if self.held or self._stop.is_set():
                return
            width = max(shutil.get_terminal_size((80, 24)).columns - 1, 10)
            text = clip(self.stage.live_text(self.turn), width)
            shown = display_width(text)
            try:
                self.stream.write("\r" + text + " " * max(self.shown - shown, 0))
                self.stream.flush()
            except (OSError, ValueError):
                return
            self.shown = max(shown, 1)

    def wipe(self) -> None:
        with self.lock:
            self._wipe()

    def _wipe(self) -> None:
        if self.shown:
            try:
                self.stream.write("\r" + " " * self.shown + "\r")
                self.stream.flush()
            except (OSError, ValueError):
                pass
            self.shown = 0

    def interrupt(self, text: str) -> None:
        """Someone writes ``text`` to the terminal: wipe the line first; draw again only after
        a line of theirs is complete."""
        with self.lock:
            self._wipe()
            if text:
                self.held = not text.endswith("\n")


class _Interrupting:
    """A stream that wipes the live line before anything is written to it."""

    def __init__(self, stream, line: _LiveLine):
        self._stream = stream
        self._line = line

    def write(self, text: str) -> int:
        self._line.interrupt(text)
        written = self._stream.write(text)
        if text.endswith("\n"):
            self._stream.flush()
        return written

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


class BooksProgress:
    """The input files as ``read_inputs`` opens them, each file and the rows read so far shown
    on the stage's live line. Wraps a :class:`~jixi_batch.reading.workbooks.Workbooks` (anything
    else is passed through); the workbooks themselves are not changed."""

    def __init__(self, books, stage: Stage, count: int):
        self._books = books
        self._stage = stage
        self._count = max(count, 1)
        self._opened = 0

    def open(self, path):
        self._opened += 1
        where = f"{path.name}（第 {(self._opened - 1) % self._count + 1}/{self._count} 个文件）"
        self._stage.update(where)
        book = self._books.open(path)
        for sheet in book.sheets:
            sheet.blocks = self._counting(sheet.blocks, where, sheet.name)
        return book

    def _counting(self, blocks, where: str, sheet_name: str):
        def counted():
            for block in blocks():
                rows = block.row + len(block.grid)
                self._stage.update(f"{where}，工作表“{sheet_name}”已读到第 {rows:,} 行")
                yield block
        return counted

    def __getattr__(self, name: str):
        return getattr(self._books, name)
