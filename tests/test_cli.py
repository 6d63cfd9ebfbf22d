"""The command line (OUTPUTS.md): exit codes, run folders, named files, --policy, template; usage,
help and errors in Chinese only; the console's stage lines, live progress on a terminal only."""
from __future__ import annotations

import argparse
import ast
import gettext
import hashlib
import inspect
import io
import re
import sys
import time
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


# What may stay in ASCII letters: option names, the program's name, the values the clerk types for
# --budget-mode, the subcommands, folder and file names, LibreOffice and PDF.
_NOT_WORDS = re.compile(r"[\w-]*\.(?:xlsx|yaml|docx|pdf)|--?[a-z][a-z-]*|python|process\.py|template|compare|desk"
                        r"|input_samples|output|report|prorate|LibreOffice|PDF")


def english_words(text: str) -> list[str]:
    """Words of three or more ASCII letters, leaving out the above and what the clerk typed (in “”)."""
    return re.findall(r"[A-Za-z]{3,}", _NOT_WORDS.sub(" ", re.sub("“[^”]*”", " ", text)))


WRONG_USE = {
    "invalid choice": (["--budget-mode", "all"], "参数 --budget-mode 的取值“all”无效，应为 report 或 prorate"),
    "unknown option": (["--no-such-flag"], "无法识别的参数：--no-such-flag"),
    "stray word": (["数据"], "无法识别的参数：数据"),
    "not a year": (["--year", "abc"], "参数 --year 的取值“abc”不是年度，应写成如 2023"),
    "not a date": (["--issue-date", "2024-13-01"], "参数 --issue-date 的取值“2024-13-01”不是日期，应写成如 2024-04-15"),
    "not a day": (["--publicity-start", "2024-02-30"], "参数 --publicity-start 的取值“2024-02-30”不是日期"),
    "missing value": (["--input"], "参数 --input 后面缺少取值"),
    "missing choice": (["--no-letters", "--budget-mode"], "参数 --budget-mode 后面缺少取值"),
    "value for a switch": (["--pdf=是"], "参数 --pdf 不需要取值，多了“是”"),
    "ambiguous": (["--p", "x"], "参数 --p 不完整，可能是 --province, --policy, --pdf, --publicity-start"),
    "template unknown option": (["template", "--bogus"], "无法识别的参数：--bogus"),
    "template not a year": (["template", "--year", "二〇二三"], "参数 --year 的取值“二〇二三”不是年度"),
    "compare one run": (["compare", "甲"], "缺少必需的参数：运行B"),
    "compare unknown option": (["compare", "甲", "乙", "--bogus"], "无法识别的参数：--bogus"),
}


@pytest.mark.parametrize("case", WRONG_USE, ids=list(WRONG_USE))
def test_wrong_use_exits_2_in_chinese_only(case, capsys):
    argv, message = WRONG_USE[case]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"命令行参数有误：{message}"), err
    assert "\n用法：python process.py" in err and "说明：python process.py" in err and "--help" in err
    assert english_words(err) == [], err
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext   # put back after use


def test_a_missing_required_argument_is_told_in_chinese():
    from jixi_batch.cli import ChineseArgumentParser, UsageError

    parser = ChineseArgumentParser(prog="python process.py")
    parser.add_argument("run_a", metavar="运行文件夹甲")
    parser.add_argument("run_b", metavar="运行文件夹乙")
    with pytest.raises(UsageError) as stopped:
        parser.parse_args(["甲"])
    assert str(stopped.value).startswith("命令行参数有误：缺少必需的参数：运行文件夹乙。\n用法：")
    assert english_words(str(stopped.value)) == []
    assert "位置参数：" in parser.format_help() and english_words(parser.format_help()) == []


def test_every_message_of_argparse_has_a_chinese_translation():
    """The running interpreter's argparse: every string it passes to gettext is in the table."""
    from jixi_batch.cli import ARGPARSE_ZH

    tree = ast.parse(inspect.getsource(argparse))
    messages = {arg.value for node in ast.walk(tree)
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext")
                for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)}
    assert {"usage: ", "unrecognized arguments: %s", "expected one argument"} <= messages
    assert sorted(messages - set(ARGPARSE_ZH)) == []
    identifiers = re.compile(r"%(\(\w+\))?[sr]|required|__call__|dest=|conflict_resolution")
    assert [m for m, zh in ARGPARSE_ZH.items() if zh == m or english_words(identifiers.sub(" ", zh))] == []


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["template", "--help"], ["compare", "--help"],
                                  ["desk", "--help"]])
def test_help_is_chinese_only_and_lined_up(argv, capsys, monkeypatch):
    from jixi_batch.progress import display_width

    monkeypatch.setenv("COLUMNS", "80")
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("用法：python process.py") and "\n选项：\n" in out and "显示本说明后退出" in out
    assert "--output 文件" in out and "退出状态：0 完成；1 " in out and "2 命令行参数有误" in out
    assert english_words(out) == [], english_words(out)
    assert max(display_width(line) for line in out.splitlines()) <= 80
    starts = {display_width(m.group(1)) for m in re.finditer(r"(?m)^(  -\S.*?  +)(?=\S)", out)}
    assert len(starts) == 1, starts              # the help of every option starts in the same column


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
    drafts = sorted((run / "通知书" / "暂缓拨付").glob("*.docx"))
    held = paid[paid["状态"] == "暂缓拨付"]
    assert len(drafts) == len(held) > 0
    assert len(letters) == len(paid) - len(held) + 1
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
    from jixi_batch import batch

    monkeypatch.setattr(batch, "LETTER_TEMPLATE", tmp_path / "没有这个模板.docx")
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


# --- the console: stage lines always, live progress only on a terminal ----------------------------

class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal (the live line is drawn on it)."""

    def isatty(self) -> bool:
        return True


SUMMARY = re.compile(r"^本次生成通知书 (\d+) 份（可寄发 (\d+) 份、草稿 (\d+) 份），输出文件夹中共有文件 (\d+) 个$", re.M)


def test_not_on_a_terminal_only_plain_lines_and_the_final_count(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--output", str(out)]) == 0
    stdout, stderr = capsys.readouterr()
    assert stderr == ""                              # no bar, no live line, no carriage return
    assert "\r" not in stdout and "正在" not in stdout and "%|" not in stdout
    (run,) = out.iterdir()
    lines = stdout.splitlines()
    assert re.search(r"(?m)^已读取输入文件 4 个，共 770 行（用时.*秒）$", stdout)
    for start in ("已计算奖励（用时", "已写出兑现表“2023年度外贸奖励兑现表.xlsx”（用时", "通知书：可寄发 29 份"):
        assert sum(line.startswith(start) for line in lines) == 1, start
    ready = len(list((run / "通知书").glob("*.docx"))) - 1
    drafts = len(list((run / "通知书" / "暂缓拨付").glob("*.docx")))
    files = sum(1 for p in run.rglob("*") if p.is_file())
    assert (ready, drafts) == (29, 5)
    assert SUMMARY.search(stdout).groups() == (str(ready + drafts), str(ready), str(drafts), str(files))
    assert lines[-2:] == [f"本次生成通知书 34 份（可寄发 29 份、草稿 5 份），输出文件夹中共有文件 {files} 个",
                          f"输出文件夹：{run}"]
    assert english_words(stdout.replace(str(run), "")) == []


def test_without_letters_the_final_line_says_so(tmp_path, capsys):
    assert main(["--output", str(tmp_path / "out"), "--no-letters"]) == 0
    stdout = capsys.readouterr().out
    assert "\n未生成通知书（已指定 --no-letters），输出文件夹中共有文件 4 个\n输出文件夹：" in stdout
    assert "已生成通知书" not in stdout


def test_on_a_terminal_each_stage_shows_a_live_line_then_wipes_it(tmp_path, capsys, monkeypatch):
    from jixi_batch import letters

    def slow_pdf(docx, duplex=False):
        time.sleep(0.5)                              # long enough for the live line to be redrawn
        print("提示：转换时的一条消息", file=sys.stderr)
        time.sleep(0.3)                              # and drawn again after the message
        pdf = docx.with_suffix(".pdf")
        pdf.write_bytes(b"%PDF-1.7")
        return pdf

    monkeypatch.setattr(letters, "convert_to_pdf", slow_pdf)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["--output", str(tmp_path / "out"), "--pdf"]) == 0
    shown, stdout = terminal.getvalue(), capsys.readouterr().out
    for label in ("正在读取输入文件", "正在计算奖励", "正在写出兑现表“2023年度外贸奖励兑现表.xlsx”",
                  "正在把合并通知书转换为 PDF（29 份通知书）"):
        assert f"\r- {label}……已用 0 秒" in shown, label
    assert "\r\\ 正在把合并通知书转换为 PDF（29 份通知书）……已用 0 秒" in shown      # redrawn while it runs
    assert re.search(r"\r {20,}\r提示：转换时的一条消息\n", shown)            # wiped before another message
    assert re.search(r"\r {20,}\r$", shown)                                 # and wiped at the end
    assert "生成通知书" in shown and "34/34" in shown                       # write_letters' own bar
    assert "\r" not in stdout and "正在" not in stdout
    assert re.search(r"\n已把合并通知书转换为 PDF“全部通知书\.pdf”（用时 \d\.\d 秒）\n", stdout)
    assert SUMMARY.search(stdout).groups() == ("34", "29", "5", "40")


def test_reading_progress_names_each_file_and_the_rows_read():
    from jixi_batch.progress import BooksProgress, Stage
    from jixi_batch.reading.workbooks import Workbooks

    paths = sorted(SAMPLES.glob("*.xlsx"))
    stage = Stage("正在读取输入文件")
    seen = []
    with Workbooks(paths) as books:
        shown = BooksProgress(books, stage, len(paths))
        for path in paths:
            for sheet in shown.open(path).sheets:
                for _ in sheet.blocks():
                    seen.append(stage.detail)
    assert "海关数据2023.xlsx（第 3/4 个文件），工作表“进出口明细”已读到第 507 行" in seen
    assert seen[0].startswith("hg_2022_export.xlsx（第 1/4 个文件），工作表“Sheet1”已读到第 ")


@pytest.mark.parametrize("seconds, text", [(0.04, "不到 0.1 秒"), (0.94, "0.9 秒"), (12.4, "12 秒"), (60, "1 分"),
                                           (125, "2 分 5 秒"), (3780, "1 小时 3 分")])
def test_durations_in_chinese(seconds, text):
    from jixi_batch.progress import duration

    assert duration(seconds) == text


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
