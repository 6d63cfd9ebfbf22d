"""The command line (OUTPUTS.md): exit codes, run folders, named files, --policy, template."""
from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from jixi_batch.cli import main
from jixi_batch.policy import default_policy_path
from jixi_batch.xlsx_style import HEADER_ROW

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "input_samples"
BOOK = "2023年度外贸奖励兑现表.xlsx"


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _lines(run: Path) -> pd.DataFrame:
    return pd.read_excel(run / BOOK, sheet_name="明细", engine="calamine", dtype={"统一社会信用代码": str},
                         header=HEADER_ROW)


@pytest.mark.parametrize("argv", [["--budget-mode", "all"], ["--no-such-flag"], ["--year", "abc"]])
def test_wrong_use_exits_2_in_chinese(argv, capsys):
    assert main(argv) == 2
    assert "命令行参数有误" in capsys.readouterr().err


def test_missing_input_folder_exits_1_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--input", str(tmp_path / "nowhere"), "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert "找不到输入文件夹" in err and "Traceback" not in err
    assert not out.exists()


def test_year_without_policy_file_exits_1(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--input", str(SAMPLES), "--output", str(out), "--year", "2031", "--no-letters"]) == 1
    assert "2031" in capsys.readouterr().err
    assert not out.exists()


def test_a_year_without_policy_file_names_where_the_year_came_from(tmp_path, capsys):
    from test_reading_support import customs_file, customs_row

    folder = tmp_path / "in"
    folder.mkdir()
    customs_file(folder, [customs_row(ym="203112"), customs_row(ym="203012")])
    out = tmp_path / "out"
    assert main(["--input", str(folder), "--output", str(out), "--no-letters"]) == 1
    err = capsys.readouterr().err
    assert "计算年度：2031 年（海关数据中 2031 年 1 行、2030 年 1 行；取有12月数据的最近年度）" in err
    assert "没有 2031 年度的政策参数文件" in err and "--year" in err and "Traceback" not in err
    assert not out.exists()


def test_two_runs_never_overwrite_and_inputs_stay_untouched(tmp_path):
    before = _digest(SAMPLES)
    out = tmp_path / "out"
    args = ["--input", str(SAMPLES), "--output", str(out), "--year", "2023", "--no-letters"]
    assert main(args) == 0
    first = next(out.iterdir())
    first_book = hashlib.sha256((first / BOOK).read_bytes()).hexdigest()
    assert main(args) == 0
    runs = sorted(p for p in out.iterdir())
    assert len(runs) == 2 and all(not p.name.startswith(".") for p in runs)
    assert hashlib.sha256((first / BOOK).read_bytes()).hexdigest() == first_book
    assert _digest(SAMPLES) == before


def test_files_named_one_by_one_give_the_same_result(tmp_path):
    folder_out, named_out = tmp_path / "a", tmp_path / "b"
    assert main(["--input", str(SAMPLES), "--output", str(folder_out), "--no-letters"]) == 0
    assert main(["--customs", str(SAMPLES / "海关数据2023.xlsx"), "--customs", str(SAMPLES / "hg_2022_export.xlsx"),
                 "--province", str(SAMPLES / "省厅奖励名单.xlsx"), "--applications", str(SAMPLES / "企业申报汇总.xlsx"),
                 "--output", str(named_out), "--no-letters"]) == 0
    a, b = _lines(next(folder_out.iterdir())), _lines(next(named_out.iterdir()))
    assert a["核定金额(元)"].tolist() == b["核定金额(元)"].tolist()


def test_policy_numbers_come_from_the_policy_file(tmp_path):
    data = yaml.safe_load(default_policy_path(2023).read_text(encoding="utf-8"))
    data["rules"]["A3S"]["rate"] = "25"        # half of the shipped 50%
    data["rules"]["A3S"]["cap"] = 1            # and a 1 元 cap
    policy = tmp_path / "variant.yaml"
    policy.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--input", str(SAMPLES), "--output", str(out), "--policy", str(policy), "--no-letters"]) == 0
    a3s = _lines(next(out.iterdir())).query("规则编号 == 'A3S'")
    assert len(a3s) > 0 and (a3s["测算金额(元)"] <= 1).all()


def test_letters_one_per_paid_firm(tmp_path):
    out = tmp_path / "out"
    assert main(["--input", str(SAMPLES), "--output", str(out)]) == 0
    run = next(out.iterdir())
    firms = pd.read_excel(run / BOOK, sheet_name="企业汇总", engine="calamine", header=HEADER_ROW)
    paid = firms[(firms["序号"] != "合计") & (firms["兑现金额(元)"] > 0)]
    letters = sorted((run / "通知书").glob("*.docx"))
    assert len(letters) == len(paid) + 1
    assert (run / "通知书" / "全部通知书.docx").exists()


def test_template_command_writes_once(tmp_path, capsys):
    target = tmp_path / "申报模板.xlsx"
    assert main(["template", "--output", str(target)]) == 0
    book = openpyxl.load_workbook(target)
    assert {"企业信息", "贷款台账", "其他奖励"} <= set(book.sheetnames)
    assert main(["template", "--output", str(target)]) == 1
    assert "不会覆盖" in capsys.readouterr().err


def test_a_filled_template_is_read_as_the_applications_workbook(tmp_path):
    from jixi_batch.policy import load_policy
    from jixi_batch.reading import read_inputs

    target = tmp_path / "申报.xlsx"
    assert main(["template", "--output", str(target)]) == 0
    book = openpyxl.load_workbook(target)
    sheet = book["企业信息"]
    headers = [c.value for c in sheet[1]]
    row = {"统一社会信用代码": "91230300MA1G7T0C4L", "企业名称": "鸡西测试有限公司", "开户银行": "龙江银行",
           "银行账号": "0123456789012345678", "生产加工型": "是", "本地加工产品出口额(元)": 6_000_000}
    for column, value in row.items():
        sheet.cell(row=2, column=headers.index(column) + 1, value=value)
    book.save(target)
    policy = load_policy(default_policy_path(2023))
    bundle = read_inputs([SAMPLES / "海关数据2023.xlsx", target], policy, 2023)
    firm = bundle.firms.set_index("code").loc["91230300MA1G7T0C4L"]
    assert firm["account"] == "0123456789012345678"
    assert bool(firm["processing_type"]) and firm["local_export_fen"] == 600_000_000


def test_files_of_other_kinds_are_named_and_skipped(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in SAMPLES.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "说明.txt").write_text("海关数据另见附件", encoding="utf-8")
    assert main(["--input", str(folder), "--output", str(tmp_path / "out"), "--no-letters"]) == 0
    assert "说明.txt：不是表格文件（.xlsx、.xls、.csv 等），未读取" in capsys.readouterr().out


def test_a_missing_letter_template_exits_1_and_writes_nothing(tmp_path, capsys, monkeypatch):
    from jixi_batch import cli

    monkeypatch.setattr(cli, "LETTER_TEMPLATE", tmp_path / "没有这个模板.docx")
    out = tmp_path / "out"
    assert main(["--output", str(out)]) == 1
    assert "找不到通知书模板" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_an_earlier_payout_workbook_in_the_input_folder_is_named(tmp_path, capsys):
    import shutil

    first = tmp_path / "first"
    assert main(["--output", str(first), "--no-letters"]) == 0
    inputs = tmp_path / "in"
    shutil.copytree(SAMPLES, inputs)
    shutil.copy(next(first.glob("*/2023年度外贸奖励兑现表.xlsx")), inputs)
    out = tmp_path / "out"
    assert main(["--input", str(inputs), "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert "2023年度外贸奖励兑现表.xlsx" in err and "本程序生成的兑现表" in err and "移出输入文件夹" in err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("document, kind", [("2023年度外贸奖励资金拨付清单.xlsx", "拨付清单"),
                                            ("2023年度外贸奖励拟兑现企业名单（公示）.xlsx", "公示名单")])
def test_an_earlier_payment_or_publicity_list_in_the_input_folder_is_named(tmp_path, capsys, document, kind):
    """The 拨付清单 has payees, codes and accounts, the 公示名单 names and codes: read as an input, either
    would pass for 企业信息. Both are named and refused."""
    import shutil

    first = tmp_path / "first"
    assert main(["--output", str(first), "--no-letters"]) == 0
    inputs = tmp_path / "in"
    shutil.copytree(SAMPLES, inputs)
    shutil.copy(next(first.glob(f"*/{document}")), inputs)
    out = tmp_path / "out"
    assert main(["--input", str(inputs), "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"“{document}”是本程序生成的{kind}" in err and "移出输入文件夹" in err
    assert not out.exists() or not any(out.iterdir())
