"""Comparing two runs (DESK.md "Earlier runs", issue 13): two runs of the samples, the second with
one provincial award raised by 0.80 元 (so one firm's A1 award rises by exactly 8 fen) and one firm's
only provincial row removed (so the firm drops out); the comparison finds exactly that, to the fen."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from jixi_batch.cli import main
from jixi_batch.compare import (
    FIRM_ADDED,
    FIRM_CHANGED,
    FIRM_DROPPED,
    FIRM_STATUS,
    LINE_ADDED,
    LINE_AMOUNT,
    LINE_NOTE,
    LINE_REMOVED,
    Comparison,
    FirmChange,
    LineChange,
    compare_runs,
    comparison_filename,
    to_fen,
    write_comparison,
)
from jixi_batch.xlsx_style import HEADER_ROW

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "input_samples"
BOOK = "2023年度外贸奖励兑现表.xlsx"
PROVINCE = "省厅奖励名单.xlsx"

RAISED_CODE = "91230302MA1CF4TL71"      # 鸡西鑫达国际贸易有限公司: A1 = 10% of its provincial award
# A1 12,345.63 -> 12,345.71 (half up at .705): 8 fen more, a difference float arithmetic gets wrong
# ((12345.71 - 12345.63) * 100 is 7.99999999999 in float)
RAISED_FROM, RAISED_TO = 123456.25, 123457.05
AFTER_FEN, DIFF_FEN = 1_234_571, 8
DROPPED_CODE = "91230306MA1E5JR93A"     # 鸡西石墨产业园区运营管理有限公司: its only line is A2N


def _run(inputs: Path, output: Path) -> Path:
    assert main(["--input", str(inputs), "--output", str(output), "--no-letters"]) == 0
    (run,) = [p for p in output.iterdir() if p.is_dir()]
    return run


def _changed_inputs(folder: Path) -> Path:
    shutil.copytree(SAMPLES, folder)
    wb = openpyxl.load_workbook(folder / PROVINCE)
    ws = wb.active
    drop = None
    for row in ws.iter_rows(min_row=1):
        if row[2].value == RAISED_CODE:
            assert row[4].value == RAISED_FROM
            row[4].value = RAISED_TO
        elif row[2].value == DROPPED_CODE:
            drop = row[0].row
            removed = row[4].value
        elif row[0].value == "合计":
            total_cell = row[4]
    total_cell.value = round(total_cell.value + (RAISED_TO - RAISED_FROM) - removed, 2)
    ws.delete_rows(drop)
    wb.save(folder / PROVINCE)
    return folder


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("cmp")
    before = _run(SAMPLES, base / "before")
    after = _run(_changed_inputs(base / "changed_inputs"), base / "after")
    return before, after


def _firm_amounts(run: Path) -> dict[str, float]:
    df = pd.read_excel(run / BOOK, sheet_name="企业汇总", header=HEADER_ROW, engine="calamine",
                       dtype={"统一社会信用代码": str})
    return dict(zip(df["统一社会信用代码"], df["兑现金额(元)"]))


def test_finds_the_changed_firm_to_the_fen_and_the_dropped_firm(runs):
    before, after = runs
    c = compare_runs(before, after)
    assert [(f.kind, f.code, f.before_fen, f.after_fen, f.diff_fen) for f in c.changed] == [
        (FIRM_CHANGED, RAISED_CODE, 1_234_563, AFTER_FEN, DIFF_FEN)]
    assert c.added == []
    dropped_fen = round(_firm_amounts(before)[DROPPED_CODE] * 100)
    assert dropped_fen > 0
    assert [(f.kind, f.code, f.before_fen, f.after_fen, f.diff_fen) for f in c.dropped] == [
        (FIRM_DROPPED, DROPPED_CODE, dropped_fen, None, -dropped_fen)]
    assert c.total_diff_fen == DIFF_FEN - dropped_fen
    assert c.total_a_fen == 1_808_784_670            # the samples' 兑现总额 18,087,846.70
    assert c.firms_a - 1 == c.firms_b

    # the lines say why: the A1 line with both 计算说明 (the provincial figure), the A2N line removed
    assert [(x.kind, x.code, x.rule_id) for x in c.lines] == [
        (LINE_AMOUNT, RAISED_CODE, "A1"), (LINE_REMOVED, DROPPED_CODE, "A2N")]
    a1, a2n = c.lines
    assert (a1.before_fen, a1.after_fen, a1.diff_fen) == (1_234_563, AFTER_FEN, DIFF_FEN)
    assert "123,456.25" in a1.note_before and "12,345.63" in a1.note_before
    assert "123,457.05" in a1.note_after and "12,345.71" in a1.note_after
    assert a1.rule_name and a2n.rule_name
    assert (a2n.before_fen, a2n.after_fen, a2n.diff_fen) == (dropped_fen, None, -dropped_fen)
    assert a2n.note_before and a2n.note_after == ""


def test_a_run_compared_with_an_identical_run_finds_nothing(runs, tmp_path):
    before, _ = runs
    twin = tmp_path / "2023年度_20240101-000000"
    shutil.copytree(before, twin)
    c = compare_runs(before, twin)
    assert c.unchanged and c.total_diff_fen == 0 and c.total_a_fen == c.total_b_fen
    data = json.loads(c.to_json())
    assert data["counts"] == {"changed": 0, "added": 0, "dropped": 0, "status_changed": 0,
                              "lines": {"added": 0, "removed": 0, "changed": 0}}
    assert data["total_diff_yuan"] == "0.00"


def test_json_holds_fen_and_yuan_texts(runs):
    data = json.loads(compare_runs(*runs).to_json())
    assert data["a"]["total_yuan"] == "18,087,846.70" and data["a"]["total_fen"] == 1_808_784_670
    (firm,) = data["changed"]
    assert firm["diff_fen"] == DIFF_FEN and firm["diff_yuan"] == "0.08" and firm["before_yuan"] == "12,345.63"
    assert data["dropped"][0]["after_yuan"] is None
    assert [x["rule_id"] for x in data["lines_by_firm"][RAISED_CODE]] == ["A1"]
    assert data["counts"]["lines"] == {"added": 0, "removed": 1, "changed": 1}


def test_command_line_writes_the_workbook(runs, capsys):
    before, after = runs
    target = after.parent / comparison_filename(before, after)
    assert target.name == f"对比_{before.name}_{after.name}.xlsx"
    try:
        assert main(["compare", str(before), str(after)]) == 0
        out = capsys.readouterr().out
        assert "兑现总额减少" in out and "兑现金额变化的企业 1 户，新增企业 0 户，减少企业 1 户" in out
        assert str(target) in out
        book = pd.ExcelFile(target, engine="calamine")
        assert book.sheet_names == ["变化汇总", "企业变化", "明细变化"]
        firms = pd.read_excel(book, sheet_name="企业变化", header=HEADER_ROW, dtype={"统一社会信用代码": str})
        assert firms["统一社会信用代码"].tolist()[:2] == [RAISED_CODE, DROPPED_CODE]
        assert firms["变化类别"].tolist()[:2] == ["金额变化", "减少企业"]
        assert firms["差额(元)"].tolist()[0] == pytest.approx(0.08)
        assert firms.iloc[-1]["序号"] == "合计"
        lines = pd.read_excel(book, sheet_name="明细变化", header=HEADER_ROW, dtype={"统一社会信用代码": str})
        assert "123,456.25" in lines.loc[0, "对比前计算说明"] and "123,457.05" in lines.loc[0, "对比后计算说明"]
        overview = pd.read_excel(book, sheet_name="变化汇总", header=HEADER_ROW)
        assert overview.loc[0, "对比前"] == before.name and overview.loc[0, "对比后"] == after.name
        # a second time: the file exists, it is not overwritten
        stamp = target.stat().st_mtime_ns
        assert main(["compare", str(before), str(after)]) == 1
        assert "文件已存在" in capsys.readouterr().err and target.stat().st_mtime_ns == stamp
    finally:
        target.unlink(missing_ok=True)


def test_command_line_output_option(runs, tmp_path, capsys):
    target = tmp_path / "sub" / "我的对比.xlsx"
    assert main(["compare", str(runs[0]), str(runs[1]), "--output", str(target)]) == 0
    assert target.is_file() and not (runs[1].parent / comparison_filename(*runs)).exists()


def _no_sheet(run: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "2023年度_20240102-000000"
    shutil.copytree(run, copy)
    wb = openpyxl.load_workbook(copy / BOOK)
    del wb["明细"]
    wb.save(copy / BOOK)
    return copy


@pytest.mark.parametrize("case, message", [
    ("missing", "不存在"),
    ("file", "不是运行结果文件夹"),
    ("empty", "没有兑现表"),
    ("same", "同一个运行结果文件夹"),
    ("no_sheet", "没有“明细”工作表"),
])
def test_command_line_errors_exit_1_naming_the_folder(runs, tmp_path, capsys, case, message):
    before, after = runs
    other = {
        "missing": lambda: tmp_path / "没有这个文件夹",
        "file": lambda: before / BOOK,
        "empty": lambda: (tmp_path / "空文件夹").mkdir() or tmp_path / "空文件夹",
        "same": lambda: before,
        "no_sheet": lambda: _no_sheet(before, tmp_path),
    }[case]()
    assert main(["compare", str(before), str(other), "--output", str(tmp_path / "x.xlsx")]) == 1
    err = capsys.readouterr().err
    assert message in err and other.name in err
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("argv", [["compare"], ["compare", "a"], ["compare", "a", "b", "c"],
                                  ["compare", "a", "b", "--unknown"]])
def test_wrong_use_exits_2_in_chinese(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "命令行参数有误" in err and "usage" not in err and "error" not in err


def test_help_is_chinese(capsys):
    assert main(["compare", "--help"]) == 0
    out = capsys.readouterr().out
    assert "对比两次运行" in out and "运行A" in out and "usage" not in out


def test_formula_like_text_stays_text(tmp_path):
    evil = '=HYPERLINK("http://example.com","点我")'
    c = Comparison(run_a="=A", run_b="+B", year_a=2023, year_b=2023, preparer="@局", total_a_fen=100,
                   total_b_fen=0, firms_a=1, firms_b=0, lines_a=1, lines_b=0,
                   dropped=[FirmChange(FIRM_DROPPED, "-123", evil, 100, None, -100)],
                   lines=[LineChange(LINE_REMOVED, "-123", evil, "=A1", "+规则", 100, None, -100, "=1+1", "")])
    path = tmp_path / "对比.xlsx"
    write_comparison(c, path)
    wb = openpyxl.load_workbook(path)
    texts = {cell.value: cell.data_type for ws in wb for row in ws.iter_rows() for cell in row
             if isinstance(cell.value, str)}
    for value in (evil, "-123", "=A1", "+规则", "=1+1", "=A", "+B"):
        assert texts.get(value) == "s", value
    formulas = [cell.value for ws in wb for row in ws.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas and all(f.startswith("=SUM(") for f in formulas)


def test_to_fen_is_exact():
    assert to_fen(12345.63) == 1_234_563
    assert to_fen(0.29) == 29                       # 0.29 * 100 is 28.999999999999996 in float
    assert to_fen(0.1 + 0.2) == 30
    assert to_fen(1.005) == 101                     # repr '1.005', half up; float rounding gives 100
    assert to_fen(-2.675) == -268
    assert to_fen(np.float64(18087846.7)) == 1_808_784_670
    assert to_fen(np.int64(700000)) == 70_000_000 and to_fen(5) == 500
    assert to_fen(None) == 0 and to_fen(float("nan")) == 0 and to_fen("") == 0
    assert to_fen("1,234.565") == 123_457


def test_the_other_way_round_the_dropped_firm_is_added(runs):
    before, after = runs
    c = compare_runs(after, before)
    assert [(f.code, f.diff_fen) for f in c.changed] == [(RAISED_CODE, -DIFF_FEN)]
    assert [(f.kind, f.code, f.before_fen) for f in c.added] == [(FIRM_ADDED, DROPPED_CODE, None)]
    assert c.dropped == [] and c.total_diff_fen == -compare_runs(before, after).total_diff_fen
    assert [(x.kind, x.rule_id, x.note_before == "") for x in c.lines] == [
        (LINE_AMOUNT, "A1", False), (LINE_ADDED, "A2N", True)]


def test_a_firm_whose_status_alone_changed_is_listed(runs, tmp_path):
    before, _ = runs
    copy = tmp_path / "2023年度_20240103-000000"
    shutil.copytree(before, copy)
    wb = openpyxl.load_workbook(copy / BOOK)
    ws = wb["企业汇总"]
    header = [cell.value for cell in ws[HEADER_ROW + 1]]
    code_col, status_col = header.index("统一社会信用代码"), header.index("状态")
    for row in ws.iter_rows(min_row=HEADER_ROW + 2):
        if row[code_col].value == RAISED_CODE:
            assert row[status_col].value == "正常"
            row[status_col].value = "暂缓拨付"
    wb.save(copy / BOOK)
    c = compare_runs(before, copy)
    assert c.changed == c.added == c.dropped == c.lines == [] and not c.unchanged
    assert [(f.kind, f.code, f.diff_fen, f.status_before, f.status_after) for f in c.status_changed] == [
        (FIRM_STATUS, RAISED_CODE, 0, "正常", "暂缓拨付")]
    assert c.total_diff_fen == 0        # the 合计 row (formulas without cached values now) is not read


def test_a_damaged_workbook_exits_1_naming_the_folder(runs, tmp_path, capsys):
    copy = tmp_path / "2023年度_20240104-000000"
    shutil.copytree(runs[0], copy)
    (copy / BOOK).write_bytes(b"PK\x03\x04 not really a workbook")
    assert main(["compare", str(runs[0]), str(copy), "--output", str(tmp_path / "x.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "无法打开" in err and copy.name in err and not (tmp_path / "x.xlsx").exists()


def test_a_folder_given_as_dot_is_named_by_its_real_name(runs, tmp_path, capsys, monkeypatch):
    before, after = runs
    monkeypatch.chdir(after)
    assert comparison_filename(before, Path(".")) == comparison_filename(before, after)
    assert main(["compare", str(before), ".", "--output", str(tmp_path / "x.xlsx")]) == 0
    assert after.name in capsys.readouterr().out


def test_a_line_whose_explanation_alone_changed_is_listed(runs, tmp_path):
    before, _ = runs
    copy = tmp_path / "2023年度_20240105-000000"
    shutil.copytree(before, copy)
    wb = openpyxl.load_workbook(copy / BOOK)
    ws = wb["明细"]
    header = [cell.value for cell in ws[HEADER_ROW + 1]]
    code_col, note_col = header.index("统一社会信用代码"), header.index("计算说明")
    for row in ws.iter_rows(min_row=HEADER_ROW + 2):
        if row[code_col].value == RAISED_CODE:
            old = row[note_col].value
            row[note_col].value = old + "（已复核）"
    wb.save(copy / BOOK)
    c = compare_runs(before, copy)
    assert c.firms == []
    assert [(x.kind, x.code, x.diff_fen, x.note_before, x.note_after) for x in c.lines] == [
        (LINE_NOTE, RAISED_CODE, 0, old, old + "（已复核）")]
