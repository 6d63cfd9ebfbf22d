"""The run folder: new per run, written beside its final place and renamed when complete.

OUTPUTS.md: a run never overwrites an earlier run and leaves no half-written file
behind. A folder that is still being written carries a leading dot and ``.partial``;
only a complete one gets its final name (``2023年度_20240415-093012``). A run killed
outright (power cut, ``kill -9``) leaves its hidden staging folder; the next run removes
it once it is a day old — only when it carries the marker file every staging folder gets
the moment it is made, so a folder a person made (``.备份.partial``) is never touched.
"""
from __future__ import annotations

import os
import shutil
import time
from datetime import datetime
from pathlib import Path

PARTIAL_SUFFIX = ".partial"
STALE_AFTER_SECONDS = 24 * 3600     # no run takes a day: an older staging folder was abandoned
MARKER = ".jixi-batch-staging"
MARKER_TEXT = ("本文件夹是鸡西市外贸奖励兑现批处理程序运行时的临时文件夹，运行完成即改为正式名称；"
               "运行中断留下的，程序在一天后自动删除。\n")


def run_folder_name(year: int, when: datetime) -> str:
    return f"{year}年度_{when:%Y%m%d-%H%M%S}"


def is_abandoned(path: Path, now: float) -> bool:
    """A staging folder of this program (it holds MARKER) untouched for STALE_AFTER_SECONDS."""
    return (path.name.startswith(".") and path.name.endswith(PARTIAL_SUFFIX) and not path.is_symlink()
            and (path / MARKER).is_file() and now - path.stat().st_mtime > STALE_AFTER_SECONDS)


def remove_abandoned(output_dir: Path) -> None:
    """Remove staging folders a killed run left behind; nothing else in ``output_dir``.

    Age, not the process id, decides: the output folder may be shared by several
    computers, and a process id says nothing about another computer's runs.
    """
    now = time.time()
    for path in output_dir.glob(f".*{PARTIAL_SUFFIX}"):
        try:
            if is_abandoned(path, now):
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue


class StagedRunFolder:
    """Context manager: yields a temporary folder, renamed to a new unused name on success.

    On any exception the temporary folder is removed and the exception propagates,
    so nothing that looks like a finished run is left behind. ``final`` holds the
    finished folder's path after a successful exit.
    """

    def __init__(self, output_dir: Path, year: int, when: datetime):
        self.output_dir = output_dir
        self.base = run_folder_name(year, when)
        self.staging = output_dir / f".{self.base}.{os.getpid()}{PARTIAL_SUFFIX}"
        self.final: Path | None = None

    def __enter__(self) -> Path:
        self.output_dir.mkdir(parents=True, exist_ok=True)
        remove_abandoned(self.output_dir)
        self.staging.mkdir()
        try:
            (self.staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        except BaseException:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise
        return self.staging

    def __exit__(self, exc_type, exc, traceback) -> bool:
        if exc_type is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            return False
        n = 1
        while True:
            candidate = self.output_dir / (self.base if n == 1 else f"{self.base}_{n}")
            if not candidate.exists():
                try:
                    os.rename(self.staging, candidate)
                except OSError:
                    if not candidate.exists():
                        shutil.rmtree(self.staging, ignore_errors=True)
                        raise
                else:
                    self.final = candidate
                    # Renamed first, then unmarked: a kill in between leaves a finished folder
                    # with a stray marker, which is harmless (only .partial folders are removed).
                    try:
                        (candidate / MARKER).unlink()
                    except OSError:
                        pass
                    return False
            n += 1
