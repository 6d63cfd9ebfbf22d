"""The output folder fails closed (INPUTS.md "Fail closed", last bullet; OUTPUTS.md run folder).

A folder that cannot be made or written stops the run with exit 1 and a Chinese message naming
the folder; nothing is left behind and nothing already in the output folder is touched.
"""
from __future__ import annotations

import errno
import pathlib
from pathlib import Path

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
