"""The command line (OUTPUTS.md "The command line"); messages to the clerk in Chinese.

Exit status: 0 done; 1 the inputs could not be used (nothing written); 2 wrong use.
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .model import BUDGET_MODES
from .reading.opening import INPUT_EXTS
from .reading.workbooks import Workbooks
from .timing import paused_gc, stage

# Only light modules above: run_batch starts calamine parsing the input files in background
# threads (reading/workbooks.py) first and imports numpy, pandas and the rest meanwhile.
if TYPE_CHECKING:
    from .policy import Policy

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = PROJECT_ROOT / "input_samples"
DEFAULT_OUTPUT = PROJECT_ROOT / "output"
LETTER_TEMPLATE = PROJECT_ROOT / "templates" / "notice_letter.docx"
DEFAULT_YEAR = 2023
TEMPLATE_NAME = "企业申报汇总（空白模板）.xlsx"


class UsageError(Exception):
    """Wrong command-line use (exit status 2)."""


class RunError(Exception):
    """The run cannot proceed (exit status 1); the message is for the clerk."""


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(f"命令行参数有误：{message}\n用法：{self.format_usage().strip()}")


def build_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(prog="python process.py",
                                   description="鸡西市外贸奖励兑现批处理：读取海关数据、省级奖励名单和企业申报汇总，计算奖励并生成兑现表和通知书。")
    parser.add_argument("--input", type=Path, help="输入文件夹（其中的表格文件都会读取，自动识别用途）")
    parser.add_argument("--output", type=Path, help="输出文件夹（每次运行新建一个子文件夹）")
    parser.add_argument("--customs", type=Path, action="append", default=[], help="海关数据文件（可给两次：当年与上年）")
    parser.add_argument("--province", type=Path, help="省级奖励名单文件")
    parser.add_argument("--applications", type=Path, help="企业申报汇总文件")
    parser.add_argument("--year", type=int, help="政策年度（默认：海关数据中最近的完整年度）")
    parser.add_argument("--policy", type=Path, help="政策参数文件（默认：随程序提供的该年度文件）")
    parser.add_argument("--budget-mode", choices=BUDGET_MODES, default="report",
                        help="专项资金模式：report 按测算兑现并提示超额；prorate 超额时按比例压减")
    parser.add_argument("--no-letters", action="store_true", help="不生成通知书")
    parser.add_argument("--pdf", action="store_true", help="同时把合并通知书转换为 PDF（需要 LibreOffice）")
    parser.add_argument("--duplex", action="store_true",
                        help="双面打印：合并通知书中每份通知书都从奇数页开始，两户企业不会印在同一张纸上")
    parser.add_argument("--issue-date", type=_date_arg, metavar="YYYY-MM-DD",
                        help="通知书和各表的落款日期（默认：今天）")
    parser.add_argument("--publicity-start", type=_date_arg, metavar="YYYY-MM-DD",
                        help="公示开始日期（默认：今天）；公示期的工作日数见政策参数文件")
    return parser


def _date_arg(text: str) -> date:
    """A date given on the command line: 2024-04-15 (or 2024/4/15, 20240415)."""
    from .reading.values import parse_date

    value, error = parse_date(text)
    if error or value is None:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，应写成如 2024-04-15")
    return value.date() if isinstance(value, datetime) else value


def build_template_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(prog="python process.py template", description="生成空白的企业申报汇总模板")
    parser.add_argument("--output", type=Path, help="模板文件路径（默认：output/企业申报汇总（空白模板）.xlsx）")
    parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help="政策年度")
    parser.add_argument("--policy", type=Path, help="政策参数文件")
    return parser


def input_paths(args) -> list[Path]:
    """The files to read: every spreadsheet in --input, or the ones named one by one."""
    named = [*args.customs, *([args.province] if args.province else []),
             *([args.applications] if args.applications else [])]
    for path in named:
        if not path.is_file():
            raise RunError(f"找不到输入文件：{path}")
    if named and args.input is None:
        return named
    folder = args.input or DEFAULT_INPUT
    if not folder.is_dir():
        raise RunError(f"找不到输入文件夹：{folder}")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(("~$", ".")))
    found = [p for p in files if p.suffix.lower() in INPUT_EXTS]
    for skipped in (p for p in files if p.suffix.lower() not in INPUT_EXTS):
        print(f"{skipped.name}：不是表格文件（.xlsx、.xls、.csv 等），未读取")
    if not found and not named:
        raise RunError(f"输入文件夹中没有表格文件（.xlsx、.xls、.csv 等）：{folder}")
    return found + [p for p in named if p not in found]


def choose_policy(args, year: int | None, year_line: str = "") -> "Policy":
    """The policy file given with --policy, or the one shipped for ``year`` (``year_line``: how the
    year was chosen), every parameter checked."""
    from .policy import PolicyError, default_policy_path, load_policy

    path = args.policy or default_policy_path(year or DEFAULT_YEAR)
    if args.policy is None and year is not None and not path.is_file():
        basis = f"{year_line}。" if year_line else ""
        raise RunError(f"{basis}没有 {year} 年度的政策参数文件（{path}）。如年度不对，请核对海关数据的“年月”列"
                       f"或用 --year 指定计算年度；如确为 {year} 年度，请用 --policy 指定政策参数文件。")
    try:
        return load_policy(path)
    except PolicyError as exc:
        raise RunError(str(exc)) from None


def run_batch(args) -> int:
    policy = choose_policy(args, args.year)     # a bad setting stops the run before any input is read
    paths = input_paths(args)
    with Workbooks(paths) as books:
        from .reading import InputError, read_inputs

        try:
            with stage("read"), paused_gc():
                bundle = read_inputs(paths, policy, args.year, books)
            if args.year is None and args.policy is None and bundle.year != policy.year:
                policy = choose_policy(args, bundle.year, bundle.year_line)
                with stage("read"), paused_gc():
                    bundle = read_inputs(paths, policy, bundle.year, books)
        except InputError as exc:
            raise RunError(str(exc)) from None
    from .calculate import calculate
    from .caps import factor_text
    from .model import RunResult
    from .money import format_yuan, percent_of
    from .payout_documents import write_payout_documents
    from .payout_workbook import payout_filename, write_payout_workbook
    from .publicity_list import missing_contact_warning
    from .run_folder import OutputFolderError, StagedRunFolder

    for line in bundle.console:
        print(line)
    with stage("compute"), paused_gc():
        calc = calculate(bundle, policy, args.budget_mode)
    now = datetime.now()
    result = RunResult(
        year=bundle.year, policy=policy, policy_path=str(policy.path), program_version=__version__,
        run_time=f"{now:%Y-%m-%d %H:%M:%S}", rules=policy.rules_info(), lines=calc.lines, firms=calc.firms,
        review=calc.review, accounts=bundle.accounts, files=bundle.files, fund_fen=policy.fund_fen,
        total_before_budget_fen=calc.total_before_budget_fen, total_fen=calc.total_fen,
        budget_mode=args.budget_mode, prorate_factor=calc.factor, warnings=calc.warnings,
        issue_date=args.issue_date or now.date(), publicity_start=args.publicity_start or now.date(),
    )
    deadline = policy.meta.payout.deadline(bundle.year)
    if result.issue_date > deadline:
        calc.warnings.append(f"落款日期 {result.issue_date:%Y年%-m月%-d日} 晚于兑现期限 {deadline:%Y年%-m月%-d日}"
                             f"（政策第{policy.meta.payout.article}条：{policy.meta.payout.text}），请核实")
    if (no_contact := missing_contact_warning(policy)) is not None:
        calc.warnings.append(no_contact)
    output_dir = args.output or DEFAULT_OUTPUT
    staged = StagedRunFolder(output_dir, bundle.year, now)
    pdf = None
    try:
        with staged as folder:
            with stage("write"), paused_gc(), staged.writing("兑现表未能写完"):
                write_payout_workbook(result, folder / payout_filename(bundle.year))
            with stage("write"), paused_gc():
                documents = write_payout_documents(result, folder, staged.writing)
            if not args.no_letters:
                pdf = write_letters_into(staged, result, args.pdf)
    except OutputFolderError as exc:
        raise RunError(str(exc)) from None
    for warning in calc.warnings:
        print(f"提示：{warning}")
    fund = policy.fund_fen
    share = f"{percent_of(calc.total_fen, fund)}" if fund else "—"
    print(f"兑现总额：{format_yuan(calc.total_fen)} 元；专项资金 {format_yuan(fund)} 元，使用 {share}"
          + (f"；已按比例压减，系数 {factor_text(calc.factor)}" if calc.factor is not None else ""))
    print(review_line(calc))
    for line in documents:
        print(line)
    if args.pdf and not args.no_letters and pdf is None:
        from .letters import find_soffice

        if find_soffice() is None:
            print("提示：未找到 LibreOffice（soffice），未生成 PDF；安装后可用 --pdf 重新生成")
    print(f"输出文件夹：{staged.final}")
    return 0


def review_line(calc) -> str:
    """获奖企业 34 户（正常 25 户、需核实 4 户、暂缓拨付 5 户）；待核查 25 条（暂缓拨付 9 条、需核实 16 条）."""
    from .review_levels import LEVELS, STATUS_OK

    firms = calc.firms["status"].value_counts()
    rows = calc.review["级别"].value_counts()
    by_status = "、".join(f"{s} {firms[s]} 户" for s in (STATUS_OK,) + LEVELS if firms.get(s, 0))
    by_level = "、".join(f"{lv} {rows[lv]} 条" for lv in LEVELS if rows.get(lv, 0))
    return (f"获奖企业 {len(calc.firms)} 户" + (f"（{by_status}）" if by_status else "")
            + f"；待核查 {len(calc.review)} 条" + (f"（{by_level}）" if by_level else ""))


def write_letters_into(staged, result, pdf: bool) -> Path | None:
    """The letters of ``result`` in the staged run folder's 通知书 (and the combined file as PDF
    when asked); the PDF's path, if one was made. Imported only when letters are wanted."""
    from .letters import LetterTemplateError, convert_to_pdf, write_letters

    try:
        with stage("letters"), staged.writing("通知书未能写完"):
            letters = write_letters(result, staged.staging / "通知书", LETTER_TEMPLATE,
                                    progress=sys.stderr.isatty())
    except LetterTemplateError as exc:
        raise RunError(str(exc)) from None
    if not (pdf and letters):
        return None
    with staged.writing("PDF 通知书未能写完"):
        return convert_to_pdf(letters[-1])


def run_template(argv: list[str]) -> int:
    from .application_template import write_application_template
    from .run_folder import output_error

    args = build_template_parser().parse_args(argv)
    policy = choose_policy(args, args.year)
    target = args.output or DEFAULT_OUTPUT / TEMPLATE_NAME
    if target.exists():
        raise RunError(f"文件已存在，不会覆盖：{target}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_application_template(target, policy)
    except OSError as exc:
        raise RunError(str(output_error(exc, "空白模板未能写完", target.parent))) from None
    print(f"空白企业申报汇总模板：{target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["template"]:
            return run_template(argv[1:])
        return run_batch(build_parser().parse_args(argv))
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except RunError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        print("未生成任何输出。", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断，未生成输出。", file=sys.stderr)
        return 1
    except Exception as exc:  # a defect of the program, not of the inputs
        if os.environ.get("JIXI_DEBUG"):
            traceback.print_exc()
        print(f"错误：程序内部错误（{exc.__class__.__name__}：{exc}），未生成输出。请把输入文件和此信息交给维护人员。",
              file=sys.stderr)
        return 1
