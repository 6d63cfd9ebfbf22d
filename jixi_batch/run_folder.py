"""The run folder: new per run, written beside its final place and renamed when complete.

OUTPUTS.md: a run never overwrites an earlier run and leaves no half-written file
behind. A folder that is still being written carries a leading dot and ``.partial``;
only a complete one gets its final name (``2023年度_20240415-093012``). A run killed
outright (power cut, ``kill -9``) leaves its hidden staging folder; the next run removes
it once it is a day old — only when it carries the marker file every staging folder gets
the moment it is made, so a folder a person made (``.备份.partial``) is never touched.

Every failure of the output folder (cannot be made, not writable, a file in its place, disk
full or quota while writing) becomes an ``OutputFolderError`` with a Chinese message saying
what is wrong and where; the staging folder is removed.
"""
from __future__ import annotations

import errno
import os
import shutil
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

PARTIAL_SUFFIX = ".partial"
STALE_AFTER_SECONDS = 24 * 3600     # no run takes a day: an older staging folder was abandoned
MARKER = ".jixi-batch-staging"
MARKER_TEXT = ("本文件夹是鸡西市外贸奖励兑现批处理程序运行时的临时文件夹，运行完成即改为正式名称；"
               "运行中断留下的，程序在一天后自动删除。\n")


class OutputFolderError(Exception):
    """The output folder cannot be written; the message is for the clerk (Chinese)."""


def output_error(exc: OSError, failed: str, output_dir: Path) -> OutputFolderError:
    """The clerk's message for ``exc``, raised while doing what ``failed`` names
    (e.g. ``兑现表未能写完``) in ``output_dir``."""
    where = f"输出文件夹“{output_dir.absolute()}”"
    code = exc.errno
    if code == errno.ENOSPC:
        return OutputFolderError(f"磁盘空间不足，{failed}（{where}）。请清理磁盘或换一个输出文件夹后重新运行。")
    if code == errno.EDQUOT:
        return OutputFolderError(f"磁盘配额已用完，{failed}（{where}）。请清理文件、请管理员增加配额"
                                 f"或换一个输出文件夹后重新运行。")
    if code in (errno.EACCES, errno.EPERM):
        return OutputFolderError(f"{where}不可写入（权限不足），请换一个文件夹或请管理员开放写权限。")
    if code == errno.EROFS:
        return OutputFolderError(f"{where}所在磁盘为只读，不可写入，请换一个文件夹。")
    name = errno.errorcode.get(code, "未知") if code else "未知"
    return OutputFolderError(f"{failed}（系统错误 {name}，{where}）。请检查该文件夹和磁盘后重新运行。")


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
        try:
            self.output_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._not_a_folder() or output_error(exc, "输出文件夹未能建立", self.output_dir) from None
        remove_abandoned(self.output_dir)
        with self.writing("运行文件夹未能建立"):
            self.staging.mkdir()
            try:
                (self.staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            except BaseException:
                shutil.rmtree(self.staging, ignore_errors=True)
                raise
        return self.staging

    def _not_a_folder(self) -> OutputFolderError | None:
        """The error when the output folder, or a folder above it, is a file."""
        where = self.output_dir.absolute()
        if os.path.lexists(where) and not os.path.isdir(where):
            return OutputFolderError(f"输出位置“{where}”是一个文件，不是文件夹，请用 --output 指定一个文件夹。")
        for path in where.parents:
            if os.path.lexists(path) and not os.path.isdir(path):
                return OutputFolderError(f"输出文件夹“{where}”无法建立：上级“{path}”是一个文件，不是文件夹。"
                                         f"请用 --output 指定一个文件夹。")
        return None

    @contextmanager
    def writing(self, failed: str):
        """Turn an OSError of the enclosed block into an OutputFolderError naming ``failed``."""
        try:
            yield
        except OSError as exc:
            raise output_error(exc, failed, self.output_dir) from None

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
                except OSError as error:
                    if not candidate.exists():
                        shutil.rmtree(self.staging, ignore_errors=True)
                        raise output_error(error, "运行文件夹未能改为正式名称", self.output_dir) from None
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
