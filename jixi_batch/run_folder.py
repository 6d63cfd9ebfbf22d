"""The run folder: new per run, written beside its final place and renamed when complete.

OUTPUTS.md: a run never overwrites an earlier run and leaves no half-written file
behind. A folder that is still being written carries a leading dot and ``.partial``;
only a complete one gets its final name (``2023年度_20240415-093012``). A run killed
outright (power cut, ``kill -9``) leaves its hidden staging folder; the next run removes
it once it is a day old.
"""
from __future__ import annotations

import os
import shutil
import time
from datetime import datetime
from pathlib import Path

PARTIAL_SUFFIX = ".partial"
STALE_AFTER_SECONDS = 24 * 3600     # no run takes a day: an older staging folder was abandoned


def run_folder_name(year: int, when: datetime) -> str:
    return f"{year}年度_{when:%Y%m%d-%H%M%S}"


def remove_abandoned(output_dir: Path) -> None:
    """Remove staging folders a killed run left behind (untouched for STALE_AFTER_SECONDS).

    Age, not the process id, decides: the output folder may be shared by several
    computers, and a process id says nothing about another computer's runs.
    """
    now = time.time()
    for path in output_dir.glob(f".*{PARTIAL_SUFFIX}"):
        try:
            if path.is_dir() and now - path.stat().st_mtime > STALE_AFTER_SECONDS:
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
                    self.final = candidate
                    return False
                except OSError:
                    if not candidate.exists():
                        shutil.rmtree(self.staging, ignore_errors=True)
                        raise
            n += 1
