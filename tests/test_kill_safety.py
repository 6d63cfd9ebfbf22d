"""A run killed at any moment (kill -9) leaves no run folder that looks complete.

process.py (with letters) is started on input_samples/ and killed after several delays;
afterwards every non-hidden folder in the output folder must be a finished run: its payout
workbook opens and has all five sheets, its letters open. A ``.partial`` staging folder left
by the kill is hidden (leading dot) and never counts as a run.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

REPO = Path(__file__).resolve().parents[1]
BOOK = "2023年度外贸奖励兑现表.xlsx"
SHEETS = ["汇总", "县区汇总", "企业汇总", "明细", "待核查", "应享未享", "数据核对", "运行记录"]
DOCUMENTS = ["2023年度外贸奖励资金拨付清单.xlsx", "2023年度外贸奖励拟兑现企业名单（公示）.xlsx",
             "2023年度外贸奖励拟兑现企业名单（公示）.docx"]


def _start(out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(REPO / "process.py"), "--input", str(REPO / "input_samples"),
                             "--output", str(out), "--year", "2023"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _assert_only_complete_runs(out: Path) -> int:
    if not out.exists():
        return 0
    runs = [p for p in out.iterdir() if not p.name.startswith(".")]
    for run in runs:
        assert run.is_dir() and not run.name.endswith(".partial"), run
        wb = openpyxl.load_workbook(run / BOOK, read_only=True)
        assert wb.sheetnames == SHEETS
        wb.close()
        for name in DOCUMENTS:
            with zipfile.ZipFile(run / name) as zf:
                assert zf.testzip() is None
        letters = sorted(p for p in (run / "通知书").rglob("*") if p.is_file())     # drafts in 暂缓拨付/ too
        assert letters
        for letter in letters:
            with zipfile.ZipFile(letter) as zf:
                assert zf.testzip() is None
    for hidden in (p for p in out.iterdir() if p.name.startswith(".")):
        assert hidden.name.endswith(".partial"), hidden
    return len(runs)


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.2, 1.5, 1.8, None])
def test_kill_at_any_moment(tmp_path, delay):
    out = tmp_path / "out"
    proc = _start(out)
    if delay is None:   # "right before completion": poll until the run folder appears, kill at once
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if out.exists() and any(not p.name.startswith(".") for p in out.iterdir()):
                break
            time.sleep(0.005)
    else:
        time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    _assert_only_complete_runs(out)


def test_run_to_the_end_is_complete(tmp_path):
    out = tmp_path / "out"
    proc = _start(out)
    assert proc.wait(timeout=120) == 0
    assert _assert_only_complete_runs(out) == 1
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_a_day_old_staging_folder_is_removed_a_fresh_one_kept(tmp_path):
    from datetime import datetime

    from jixi_batch.run_folder import MARKER, STALE_AFTER_SECONDS, StagedRunFolder

    abandoned = tmp_path / ".2023年度_20240101-080000.4242.partial"
    running = tmp_path / ".2023年度_20240101-090000.4343.partial"
    for folder in (abandoned, running):
        folder.mkdir()
        (folder / MARKER).write_text("", encoding="utf-8")
        (folder / "兑现表.xlsx").write_bytes(b"half")
    old = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(abandoned, (old, old))
    with StagedRunFolder(tmp_path, 2023, datetime(2024, 1, 2, 8, 0, 0)) as folder:
        assert (folder / MARKER).is_file()
        (folder / "x.txt").write_text("done")
    assert not abandoned.exists() and running.exists()
    final = tmp_path / "2023年度_20240102-080000"
    assert sorted(p.name for p in final.iterdir()) == ["x.txt"]      # the marker is gone


def test_folders_a_person_made_are_never_removed(tmp_path):
    """Only folders holding the program's marker are removed, however old and however named."""
    from datetime import datetime

    from jixi_batch.run_folder import STALE_AFTER_SECONDS, StagedRunFolder

    made = [tmp_path / ".备份.partial", tmp_path / ".2023年度_20240101-080000.4242.partial",
            tmp_path / "备份"]
    for folder in made:
        folder.mkdir()
        (folder / "重要.xlsx").write_bytes(b"keep")
    linked = tmp_path / ".链接.partial"
    linked.symlink_to(made[-1], target_is_directory=True)
    old = time.time() - 10 * STALE_AFTER_SECONDS
    for folder in made:
        os.utime(folder, (old, old))
    with StagedRunFolder(tmp_path, 2023, datetime(2024, 1, 2, 8, 0, 0)):
        pass
    for folder in made:
        assert (folder / "重要.xlsx").read_bytes() == b"keep"
    assert linked.is_symlink()
