"""The batch as one library call (issue 13): the command line and the desk both call batch.run."""
from __future__ import annotations

from pathlib import Path

import pytest

from jixi_batch import batch

SAMPLES = Path(__file__).resolve().parents[1] / "input_samples"


def test_a_run_returns_its_folder_result_and_what_it_said(tmp_path):
    said: list[str] = []
    outcome = batch.run(sorted(SAMPLES.iterdir()), batch.RunOptions(output=tmp_path, letters=False), say=said.append)
    assert outcome.folder.parent == tmp_path and (outcome.folder / "2023年度外贸奖励兑现表.xlsx").is_file()
    assert outcome.result.total_fen == 1_808_784_670 and len(outcome.result.firms) == 34
    assert said == outcome.lines and said[-1] == f"输出文件夹：{outcome.folder}"
    assert outcome.letters is None and outcome.pdf is None


def test_inputs_that_cannot_be_used_raise_run_error_and_write_nothing(tmp_path):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "省厅奖励名单.xlsx").write_bytes(b"")
    out = tmp_path / "out"
    with pytest.raises(batch.RunError, match="空文件"):
        batch.run([bad / "省厅奖励名单.xlsx"], batch.RunOptions(output=out), say=lambda line: None)
    assert not out.exists() or not any(out.iterdir())


def test_a_bad_policy_file_stops_before_any_input_is_read(tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text("policy: [\n", encoding="utf-8")
    with pytest.raises(batch.RunError, match="p.yaml"):
        batch.check_policy(batch.RunOptions(output=tmp_path, policy=policy))


def test_check_reads_as_run_reads_and_writes_nothing(tmp_path):
    """batch.check (the desk's 读取检查): each file's sheets with role and rows, in the order given, the year
    and the reader's lines; the same RunError as run for inputs that cannot be used."""
    paths = sorted(SAMPLES.iterdir())
    out = tmp_path / "out"
    found = batch.check(paths, batch.RunOptions(output=out))
    assert [f["file"] for f in found["files"]] == [p.name for p in paths] and found["year"] == 2023
    customs = next(f for f in found["files"] if f["file"] == "海关数据2023.xlsx")["sheets"]
    assert customs == [{"sheet": "进出口明细", "role": "海关数据", "rows_read": 504, "rows_used": 502,
                        "rows_review": 1, "rows_skipped": 1}]
    assert any(line.startswith("计算年度：2023 年") for line in found["lines"])
    assert not out.exists()
    (tmp_path / "省厅奖励名单.xlsx").write_bytes(b"")
    with pytest.raises(batch.RunError, match="空文件"):
        batch.check([tmp_path / "省厅奖励名单.xlsx"], batch.RunOptions(output=out))
    with pytest.raises(batch.RunError, match="没有 2022 年度的政策参数文件"):
        batch.check(paths, batch.RunOptions(output=out, year=2022))
