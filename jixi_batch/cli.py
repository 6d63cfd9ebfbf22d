"""The command line (OUTPUTS.md "The command line"); messages to the clerk in Chinese.

Exit status: 0 done; 1 the inputs could not be used (nothing written); 2 wrong use.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
import traceback
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import batch
from .batch import DEFAULT_YEAR, RunError
from .model import BUDGET_MODES
from .progress import Console, display_width
from .reading.opening import INPUT_EXTS

# Only light modules above: batch.run starts calamine parsing the input files in background
# threads (reading/workbooks.py) first and imports numpy, pandas and the rest meanwhile.
if TYPE_CHECKING:
    from .policy import Policy

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = PROJECT_ROOT / "input_samples"
DEFAULT_OUTPUT = PROJECT_ROOT / "output"
TEMPLATE_NAME = "企业申报汇总（空白模板）.xlsx"


class UsageError(Exception):
    """Wrong command-line use (exit status 2)."""


class HelpShown(Exception):
    """``--help`` was asked for and printed (exit status 0)."""


# --- the command line in Chinese ------------------------------------------------------------------
# argparse writes its own words through gettext (``argparse._`` and ``argparse.ngettext``, looked up
# when each message is made). ChineseArgumentParser swaps in this table while it builds, parses and
# formats, and puts the originals back afterwards: other users of argparse in the process are not
# affected. Every message argparse 3.10–3.13 can give is here, the programmer's errors included;
# tests/test_cli.py checks that the running interpreter's argparse has no message missing from it.
# An argument's own error (``argument --year: …``) reads "参数 --year <predicate>", so the messages
# below that follow an argument name, and those of the argument types in this module, start with a
# predicate (的取值…, 后面缺少取值).
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "subcommands": "子命令",
    "%(heading)s:": "%(heading)s：",
    "show this help message and exit": "显示本说明后退出",
    "show program's version number and exit": "显示程序版本后退出",
    " (default: %(default)s)": "（默认：%(default)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s：提示：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s %(message)s",
    "expected one argument": "后面缺少取值",
    "expected at most one argument": "后面最多只能有一个取值",
    "expected at least one argument": "后面至少要有一个取值",
    "expected %s argument": "后面应有 %s 个取值",
    "expected %s arguments": "后面应有 %s 个取值",
    "invalid %(type)s value: %(value)r": "的取值“%(value)s”无效",
    "invalid choice: %(value)r (choose from %(choices)s)": "的取值“%(value)s”无效，应为 %(choices)s 之一",
    "ignored explicit argument %r": "不需要取值，多了“%s”",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "ambiguous option: %(option)s could match %(matches)s":
        "参数 %(option)s 不完整，可能是 %(matches)s 中的任何一个，请写全",
    "unexpected option string: %s": "参数 %s 不应出现在这里",
    "can't open '%(filename)s': %(error)s": "无法打开文件“%(filename)s”：%(error)s",
    'argument "-" with mode %r': "参数“-”不能以 %r 方式打开",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可用的命令：%(choices)s）",
    "argument '%(argument_name)s' is deprecated": "参数 %(argument_name)s 已停止使用",
    "option '%(option)s' is deprecated": "选项 %(option)s 已停止使用",
    "command '%(parser_name)s' is deprecated": "命令 %(parser_name)s 已停止使用",
    # errors of the program's own parser definitions (never the clerk's): translated all the same
    "%r is not callable": "%r 不能调用",
    "'required' is an invalid argument for positionals": "位置参数不能设定 required",
    ".__call__() not defined": "未定义 .__call__()",
    "cannot have multiple subparser arguments": "不能有多组子命令",
    "cannot merge actions - two groups are named %r": "无法合并参数：有两组都名为 %r",
    "conflicting option string: %s": "参数名重复：%s",
    "conflicting option strings: %s": "参数名重复：%s",
    "conflicting subparser: %s": "子命令重复：%s",
    "conflicting subparser alias: %s": "子命令别名重复：%s",
    "dest= is required for options like %r": "像 %r 这样的参数必须指定 dest=",
    "invalid conflict_resolution value: %r": "conflict_resolution 的取值 %r 无效",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r":
        "参数名 %(option)r 无效：应以 %(prefix_chars)r 中的字符开头",
    "mutually exclusive arguments must be optional": "互斥的参数必须是可选参数",
}


def _zh_gettext(message: str) -> str:
    return ARGPARSE_ZH.get(message, message)


def _zh_ngettext(singular: str, plural: str, n: int) -> str:
    return _zh_gettext(singular if n == 1 else plural)


@contextmanager
def _argparse_in_chinese():
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _zh_gettext, _zh_ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Lays help out by the columns text takes on a terminal (a Chinese character takes two: argparse
    counts characters), and keeps the line breaks of the description and the epilog."""

    def add_argument(self, action):
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:        # the widest invocation, in columns
            width = display_width(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, width)

    def _format_action(self, action):
        # argparse's own layout (3.10-3.13), with columns for characters
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent = " " * self._current_indent
        if not action.help:
            parts = [f"{indent}{header}\n"]
        elif display_width(header) <= action_width:
            parts = [f"{indent}{header}{' ' * (action_width - display_width(header))}  "]
            indent_first = 0
        else:
            parts = [f"{indent}{header}\n"]
            indent_first = help_position
        if action.help and action.help.strip():
            help_text = self._expand_help(action)
            if help_text:
                lines = self._split_lines(help_text, help_width)
                parts.append(" " * indent_first + lines[0] + "\n")
                parts.extend(" " * help_position + line + "\n" for line in lines[1:])
        elif not parts[0].endswith("\n"):
            parts.append("\n")
        parts.extend(self._format_action(sub) for sub in self._iter_indented_subactions(action))
        return self._join_parts(parts)

    def _format_usage(self, usage, actions, groups, prefix):
        """argparse's usage on one line, then wrapped by columns: the options under each other after
        the program's name."""
        width, self._width = self._width, 1 << 30
        try:
            text = super()._format_usage(usage, actions, groups, prefix)
        finally:
            self._width = width
        at = text.find(self._prog)
        if at < 0 or "\n" in text.strip("\n"):
            return text
        head, parts = text[:at + len(self._prog)], _usage_parts(text[at + len(self._prog):])
        room = self._width - self._current_indent
        indent = display_width(head) + 1
        if indent > room * 3 // 4:
            indent = display_width(text[:at])
        lines, line = [], head
        for part in parts:
            if line.strip() and display_width(line) + 1 + display_width(part) > room and line != head:
                lines.append(line)
                line = " " * indent + part
            else:
                line += " " + part
        lines.append(line)
        return "\n".join(lines) + "\n\n"

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for line in text.strip("\n").splitlines():
            body = line.lstrip(" ")
            lead = indent + line[:len(line) - len(body)]
            lines.extend(lead + part for part in (_wrap(body, max(width - len(lead), 20)) or [""]))
        return "\n".join(lines) + "\n"


def _usage_parts(text: str) -> list[str]:
    """The parts of a usage line: ``[--input 文件夹]``, ``(a | b)``, ``文件``, split at the spaces
    outside brackets."""
    parts, depth, current = [], 0, ""
    for ch in text.strip():
        depth += ch in "[("
        depth -= ch in "])"
        if ch == " " and depth == 0:
            if current:
                parts.append(current)
            current = ""
        else:
            current += ch
    if current:
        parts.append(current)
    return parts


# Signs that close a phrase: never the first of a line (they hang at the end of the one before).
_CLOSING = set("，。；：、）》」』”’！？…,.;:)")


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns; Chinese breaks between any two characters,
    a run of ASCII (an option name, a number, a file name) only at a space."""
    lines: list[str] = []
    line, used = "", 0
    for token in re.findall(r"[!-~]+| |.", text):
        w = display_width(token)
        if line and used + w > width and token not in _CLOSING:
            lines.append(line.rstrip())
            line, used = "", 0
            if token == " ":
                continue
        line += token
        used += w
    if line.strip():
        lines.append(line.rstrip())
    return lines


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with every word the clerk sees in Chinese (usage, help, errors); wrong use raises
    UsageError (exit status 2), --help raises HelpShown (exit status 0) after printing."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        with _argparse_in_chinese():
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with _argparse_in_chinese():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with _argparse_in_chinese():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _argparse_in_chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_in_chinese():
            text = super().format_help()
        for group in self._action_groups:       # "选项:" (argparse up to 3.12 adds an ASCII colon)
            if group.title:
                text = text.replace(f"\n{group.title}:\n", f"\n{group.title}：\n")
        return text

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            raise argparse.ArgumentError(action, f"的取值“{value}”无效，应为 {' 或 '.join(map(str, action.choices))}")

    def exit(self, status: int = 0, message: str | None = None):
        """Called by argparse after --help (status 0); wrong use goes through :meth:`error`."""
        if status:
            raise UsageError((message or "").strip() or "命令行参数有误。")
        raise HelpShown()

    def error(self, message: str):
        message = re.sub(r"^argument (\S+): ", r"参数 \1 ", message)    # argparse 3.10 does not translate it
        end = "" if message.endswith(("。", "！", "？")) else "。"
        raise UsageError(f"命令行参数有误：{message}{end}\n{self.format_usage().rstrip()}\n"
                         f"各参数的说明：{self.prog} --help")


EXIT_CODES = "退出状态：0 完成；1 输入数据无法使用（未生成任何输出）；2 命令行参数有误。"


def build_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="python process.py",
        description="鸡西市外贸奖励兑现批处理：读取海关数据、省级奖励名单和企业申报汇总，计算奖励并生成兑现表和通知书。\n"
                    "不带参数运行时，读取 input_samples 文件夹，结果写入 output 文件夹。",
        epilog="其他命令：\n"
               "  python process.py template [--output 文件]    生成空白的企业申报汇总模板\n"
               "  python process.py compare 运行A 运行B [--output 文件]    对比两次运行的兑现结果\n"
               "  python process.py desk [--port 端口] [--output 文件夹] [--no-browser]\n"
               "                                                启动工作台（在浏览器中上传文件、计算和下载）\n"
               + EXIT_CODES)
    parser.add_argument("--input", type=Path, metavar="文件夹",
                        help="输入文件夹，其中的表格文件都会读取，自动识别用途（默认：input_samples）")
    parser.add_argument("--output", type=Path, metavar="文件夹",
                        help="输出文件夹，每次运行在其中新建一个子文件夹（默认：output）")
    parser.add_argument("--customs", type=Path, action="append", default=[], metavar="文件",
                        help="海关数据文件（可给两次：当年与上年）")
    parser.add_argument("--province", type=Path, metavar="文件", help="省级奖励名单文件")
    parser.add_argument("--applications", type=Path, metavar="文件", help="企业申报汇总文件")
    parser.add_argument("--year", type=_year_arg, metavar="年度", help="政策年度，如 2023（默认：海关数据中最近的完整年度）")
    parser.add_argument("--policy", type=Path, metavar="文件", help="政策参数文件（默认：随程序提供的该年度文件）")
    parser.add_argument("--budget-mode", choices=BUDGET_MODES, default="report", metavar="模式",
                        help="专项资金模式：report 按测算金额兑现，超出专项资金时提示（默认）；"
                             "prorate 超出时按比例压减，使兑现总额等于专项资金")
    parser.add_argument("--no-letters", action="store_true", help="不生成通知书")
    parser.add_argument("--pdf", action="store_true", help="同时把合并通知书转换为 PDF（需要安装 LibreOffice）")
    parser.add_argument("--duplex", action="store_true",
                        help="双面打印：合并通知书中每份通知书都从奇数页开始，两户企业不会印在同一张纸上")
    parser.add_argument("--issue-date", type=_date_arg, metavar="日期",
                        help="通知书和各表的落款日期，写成如 2024-04-15（默认：今天）")
    parser.add_argument("--publicity-start", type=_date_arg, metavar="日期",
                        help="公示开始日期，写成如 2024-04-15（默认：今天）；公示期的工作日数见政策参数文件")
    return parser


def _date_arg(text: str) -> date:
    """A date given on the command line: 2024-04-15 (or 2024/4/15, 20240415)."""
    from .reading.values import parse_date

    value, error = parse_date(text)
    if error or value is None:
        raise argparse.ArgumentTypeError(f"的取值“{text}”不是日期，应写成如 2024-04-15")
    return value.date() if isinstance(value, datetime) else value


def _year_arg(text: str) -> int:
    """A policy year given on the command line (a whole number, as ``int`` reads it)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"的取值“{text}”不是年度，应写成如 2023") from None


def build_template_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(prog="python process.py template", description="生成空白的企业申报汇总模板。",
                                   epilog=EXIT_CODES)
    parser.add_argument("--output", type=Path, metavar="文件",
                        help="模板文件路径（默认：output/企业申报汇总（空白模板）.xlsx）")
    parser.add_argument("--year", type=_year_arg, default=DEFAULT_YEAR, metavar="年度",
                        help=f"政策年度（默认：{DEFAULT_YEAR}）")
    parser.add_argument("--policy", type=Path, metavar="文件", help="政策参数文件（默认：随程序提供的该年度文件）")
    return parser


def build_compare_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="python process.py compare",
        description="对比两次运行的兑现结果：兑现金额变化的企业、新增和减少的企业、各项奖励明细的变化及其计算说明，"
                    "生成对比表“对比_<运行A>_<运行B>.xlsx”。",
        epilog="运行A、运行B 是输出文件夹中的运行结果文件夹，如\n"
               "  output/2023年度_20240415-093012\n"
               "退出状态：0 完成；1 运行结果无法对比（未生成对比表）；2 命令行参数有误。")
    parser.add_argument("run_a", type=Path, metavar="运行A", help="对比前的运行结果文件夹（output 中的一个子文件夹）")
    parser.add_argument("run_b", type=Path, metavar="运行B", help="对比后的运行结果文件夹")
    parser.add_argument("--output", type=Path, metavar="文件",
                        help="对比表文件路径（默认：运行B所在文件夹中的“对比_<运行A>_<运行B>.xlsx”）")
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
    """The policy of --policy, or the one shipped for ``year``, every parameter checked."""
    return batch.choose_policy(args.policy, year, year_line)


def run_batch(args, console: Console | None = None) -> int:
    """The command line's face of :func:`batch.run`: arguments in, lines printed, exit status out."""
    options = batch.RunOptions(
        output=args.output or DEFAULT_OUTPUT, year=args.year, policy=args.policy, budget_mode=args.budget_mode,
        letters=not args.no_letters, pdf=args.pdf, duplex=args.duplex, issue_date=args.issue_date,
        publicity_start=args.publicity_start)
    policy = batch.check_policy(options)   # a bad setting stops the run before any input is read
    batch.run(input_paths(args), options, say=print, console=console or Console(), policy=policy)
    return 0


def build_desk_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="python process.py desk",
        description="启动工作台：在本机（127.0.0.1）开启网页，在浏览器中上传输入文件、计算、查看结果和下载；"
                    "每次计算在输出文件夹中新建一个运行文件夹，与命令行相同。",
        epilog=EXIT_CODES)
    parser.add_argument("--port", type=_port_arg, default=0, metavar="端口", help="监听端口（默认：自动选择一个空闲端口）")
    parser.add_argument("--output", type=Path, metavar="文件夹", help="输出文件夹（默认：output）")
    parser.add_argument("--no-browser", action="store_true", help="不自动打开浏览器，只显示工作台地址")
    return parser


def _port_arg(text: str) -> int:
    """A port given on the command line: 1 to 65535."""
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"的取值“{text}”不是端口号，应为 1 到 65535 之间的整数")
    return int(text)


def run_desk(argv: list[str]) -> int:
    from .desk.server import serve

    args = build_desk_parser().parse_args(argv)
    return serve(args.output or DEFAULT_OUTPUT, args.port, open_browser=not args.no_browser)


def write_new_file(target: Path, write: Callable[[Path], None], unfinished: str) -> None:
    """``write(target)`` for a file that must not exist yet (never overwritten), its folder made; a
    folder that cannot be written stops with the Chinese message of run_folder.output_error."""
    from .run_folder import output_error

    if target.exists():
        raise RunError(f"文件已存在，不会覆盖：{target}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write(target)
    except OSError as exc:
        raise RunError(str(output_error(exc, unfinished, target.parent))) from None


def run_template(argv: list[str]) -> int:
    from .application_template import write_application_template

    args = build_template_parser().parse_args(argv)
    policy = choose_policy(args, args.year)
    target = args.output or DEFAULT_OUTPUT / TEMPLATE_NAME
    write_new_file(target, lambda path: write_application_template(path, policy), "空白模板未能写完")
    print(f"空白企业申报汇总模板：{target}")
    return 0


def run_compare(argv: list[str]) -> int:
    from .compare import CompareError, compare_runs, comparison_filename, summary_lines, write_comparison

    args = build_compare_parser().parse_args(argv)
    target = args.output or args.run_b.resolve().parent / comparison_filename(args.run_a, args.run_b)
    try:
        started = time.perf_counter()
        comparison = compare_runs(args.run_a, args.run_b)
    except CompareError as exc:
        raise RunError(str(exc)) from None
    write_new_file(target, lambda path: write_comparison(comparison, path), "对比表未能写完")
    for line in summary_lines(comparison):
        print(line)
    print(f"对比表：{target}（用时 {time.perf_counter() - started:.1f} 秒）")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["template"]:
            return run_template(argv[1:])
        if argv[:1] == ["compare"]:
            return run_compare(argv[1:])
        if argv[:1] == ["desk"]:
            return run_desk(argv[1:])
        return run_batch(build_parser().parse_args(argv))
    except HelpShown:
        return 0
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
