"""The output folder fails closed (INPUTS.md "Fail closed", last bullet; OUTPUTS.md run folder).

A folder that cannot be made or written stops the run with exit 1 and a Chinese message naming
the folder; nothing is left behind and nothing already in the output folder is touched.
"""
from __future__ import annotations

import errno
import os
import pathlib
import subprocess
import sys
from pathlib import Path

import pytest

from jixi_batch.cli import main

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "input_samples"


def _run(out: Path) -> int:
    return main(["--input", str(SAMPLES), "--output", str(out), "--year", "2023", "--no-letters"])


def _assert_stopped(capsys, message: str) -> None:
    err = capsys.readouterr().err
    assert f"错误：{message}" in err, err
    assert "未生成任何输出。" in err and "Traceback" not in err and "程序内部错误" not in err


def test_output_that_is_a_file_stops_the_run(tmp_path, capsys):
    out = tmp_path / "结果.xlsx"
    out.write_bytes(b"a file, not a folder")
    assert _run(out) == 1
    _assert_stopped(capsys, f"输出位置“{out}”是一个文件，不是文件夹，请用 --output 指定一个文件夹。")
    assert out.read_bytes() == b"a file, not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["结果.xlsx"]


def test_output_below_a_file_stops_the_run(tmp_path, capsys):
    blocker = tmp_path / "文件"
    blocker.write_bytes(b"x")
    out = blocker / "子文件夹" / "输出"
    assert _run(out) == 1
    _assert_stopped(capsys, f"输出文件夹“{out}”无法建立：上级“{blocker}”是一个文件，不是文件夹。"
                            f"请用 --output 指定一个文件夹。")


def _refuse_mkdir(monkeypatch, refused) -> None:
    """A read-only folder, simulated: chmod has no effect on root, who runs these tests."""
    real = pathlib.Path.mkdir

    def mkdir(self, *args, **kwargs):
        if refused(self):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "mkdir", mkdir)


def test_read_only_output_folder_stops_the_run(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "别人的文件.txt").write_text("keep", encoding="utf-8")
    _refuse_mkdir(monkeypatch, lambda path: path.parent == out)
    assert _run(out) == 1
    _assert_stopped(capsys, f"输出文件夹“{out}”不可写入（权限不足），请换一个文件夹或请管理员开放写权限。")
    assert [p.name for p in out.iterdir()] == ["别人的文件.txt"]


def test_output_folder_that_cannot_be_made_stops_the_run(tmp_path, capsys, monkeypatch):
    out = tmp_path / "只读" / "out"
    _refuse_mkdir(monkeypatch, lambda path: tmp_path in path.parents)
    assert _run(out) == 1
    _assert_stopped(capsys, f"输出文件夹“{out}”不可写入（权限不足），请换一个文件夹或请管理员开放写权限。")
    assert not out.parent.exists()


# --- a full disk: a subprocess, so that stderr shows every traceback and "Exception ignored" -----

RUNNER = r"""
import errno, pathlib, shutil, subprocess, sys, tempfile
sys.path.insert(0, sys.argv[1])
OUT = sys.argv[2]
FULL = OSError(errno.ENOSPC, "No space left on device")
{patch}
import pytest

from jixi_batch.cli import main
sys.exit(main(sys.argv[3:]))
"""

# The Nth write of a file whose name ends with END is cut off halfway by a full disk.
FULL_ON_WRITE = r"""
real_write_bytes, calls = pathlib.Path.write_bytes, []
def write_bytes(self, data):
    if self.name.endswith({end!r}):
        calls.append(self)
        if len(calls) == {nth}:
            view = memoryview(data)
            real_write_bytes(self, view[: len(view) // 2])
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
    return real_write_bytes(self, data)
pathlib.Path.write_bytes = write_bytes
"""

# The disk fills while xlsxwriter makes its fourth temporary file in the run folder (three are
# left behind); with CONSTANT_MEMORY_CELLS = 0 the row data goes to temporary files as well.
FULL_IN_TEMP = r"""
import jixi_batch.payout_workbook
jixi_batch.payout_workbook.CONSTANT_MEMORY_CELLS = {cells}
real_mkstemp, made = tempfile.mkstemp, []
def mkstemp(*args, dir=None, **kwargs):
    if dir is not None and str(dir).startswith(OUT):
        if len(made) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        made.append(dir)
    return real_mkstemp(*args, dir=dir, **kwargs)
tempfile.mkstemp = mkstemp
"""

# LibreOffice stops halfway through the PDF; the disk has FREE bytes left.
PDF_FAILS = r"""
import collections, jixi_batch.letters as letters
letters.find_soffice = lambda: "soffice"
def run(command, **kwargs):
    outdir = pathlib.Path(command[command.index("--outdir") + 1])
    (outdir / pathlib.Path(command[-1]).with_suffix(".pdf").name).write_bytes(b"%PDF-1.7 half")
    raise subprocess.CalledProcessError(1, command)
letters.subprocess.run = run
Usage = collections.namedtuple("Usage", "total used free")
letters.shutil.disk_usage = lambda path: Usage(10**9, 10**9 - {free}, {free})
"""


def _run_apart(tmp_path: Path, patch: str, *extra: str):
    """process.py's main in a new interpreter with TMPDIR an empty folder; (result, out, TMPDIR)."""
    out, system_temp = tmp_path / "out", tmp_path / "系统临时文件夹"
    system_temp.mkdir()
    env = dict(os.environ, TMPDIR=str(system_temp), TEMP=str(system_temp), TMP=str(system_temp))
    argv = ["--input", str(SAMPLES), "--output", str(out), "--year", "2023", *extra]
    code = RUNNER.format(patch=patch)
    proc = subprocess.run([sys.executable, "-c", code, str(REPO), str(out), *argv], env=env,
                          check=False, capture_output=True, text=True, timeout=300)
    return proc, out, system_temp


def _assert_stopped_cleanly(proc, out: Path, system_temp: Path, message: str) -> None:
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith(f"错误：{message}\n未生成任何输出。\n"), proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert not any(out.iterdir()), list(out.iterdir())        # no staging folder, no temporary file
    assert not any(system_temp.iterdir()), list(system_temp.iterdir())


def _full(out: Path, failed: str) -> str:
    return f"磁盘空间不足，{failed}（输出文件夹“{out}”）。请清理磁盘或换一个输出文件夹后重新运行。"


@pytest.mark.parametrize("cells", [3_000_000, 0], ids=["in-memory rows", "constant_memory rows"])
def test_disk_full_in_the_workbook_temporary_files(tmp_path, cells):
    proc, out, system_temp = _run_apart(tmp_path, FULL_IN_TEMP.format(cells=cells), "--no-letters")
    _assert_stopped_cleanly(proc, out, system_temp, _full(out, "兑现表未能写完"))


@pytest.mark.parametrize("end, nth, failed", [
    ("兑现表.xlsx", 1, "兑现表未能写完"),
    (".docx", 3, "通知书未能写完"),                  # the third firm's letter
    ("全部通知书.docx", 1, "通知书未能写完"),
])
def test_disk_full_while_writing(tmp_path, end, nth, failed):
    proc, out, system_temp = _run_apart(tmp_path, FULL_ON_WRITE.format(end=end, nth=nth))
    _assert_stopped_cleanly(proc, out, system_temp, _full(out, failed))


def test_disk_full_while_libreoffice_writes_the_pdf(tmp_path):
    proc, out, system_temp = _run_apart(tmp_path, PDF_FAILS.format(free=4096), "--pdf")
    _assert_stopped_cleanly(proc, out, system_temp, _full(out, "PDF 通知书未能写完"))


def test_a_failed_pdf_with_room_on_disk_is_named_and_no_half_pdf_kept(tmp_path):
    proc, out, system_temp = _run_apart(tmp_path, PDF_FAILS.format(free=10**9), "--pdf")
    assert proc.returncode == 0, proc.stderr
    assert "提示：LibreOffice 转换 PDF 失败：全部通知书.docx（CalledProcessError）" in proc.stderr
    (run,) = out.iterdir()
    assert not list(run.rglob("*.pdf")) and not list(run.rglob(".*"))
    assert not any(system_temp.iterdir())


def test_disk_full_while_writing_the_blank_template(tmp_path, capsys, monkeypatch):
    import tempfile

    system_temp = tmp_path / "系统临时文件夹"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    real_write_bytes = pathlib.Path.write_bytes

    def write_bytes(self, data):
        real_write_bytes(self, memoryview(data)[:100])
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(pathlib.Path, "write_bytes", write_bytes)
    target = tmp_path / "模板" / "申报模板.xlsx"
    assert main(["template", "--output", str(target)]) == 1
    _assert_stopped(capsys, _full(target.parent, "空白模板未能写完"))
    assert not any(target.parent.iterdir()) and not any(system_temp.iterdir())
