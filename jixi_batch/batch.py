"""The batch as one library call: input files and options in, a finished run folder and what it holds out.

The command line (cli.py) and the clerks' desk (DESK.md) are two faces of :func:`run`: each turns its
own input (arguments, a web form) into :class:`RunOptions`, and shows the lines :func:`run` says and the
stages it runs in its own way (printed with a live line on a terminal; collected for a page). Neither
re-implements a step. A run that cannot proceed raises :class:`RunError` with the Chinese message for
the clerk, and writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import __version__
from .progress import BooksProgress, Console, Stage, took
from .reading.workbooks import Workbooks
from .timing import paused_gc, stage

if TYPE_CHECKING:
    from .calculate import Calculation
    from .reading.loader import InputBundle
    from .model import RunResult
    from .policy import Policy

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LETTER_TEMPLATE = PROJECT_ROOT / "templates" / "notice_letter.docx"
DEFAULT_YEAR = 2023


class RunError(Exception):
    """The run cannot proceed (exit status 1 on the command line, 422 on the desk); the message is
    for the clerk."""


@dataclass
class RunOptions:
    """What a run is asked to do (the command line's options, the desk's form)."""

    output: Path
    year: int | None = None
    policy: Path | None = None
    budget_mode: str = "report"
    letters: bool = True
    pdf: bool = False
    duplex: bool = False
    issue_date: date | None = None
    publicity_start: date | None = None


@dataclass
class RunOutcome:
    """A finished run: its folder, what the writers were given, the computation, and what it said."""

    folder: Path
    result: "RunResult"
    calculation: "Calculation"
    lines: list[str] = field(default_factory=list)
    letters: object = None          # letters.LettersWritten, or None with letters off
    pdf: Path | None = None


def choose_policy(policy: Path | None, year: int | None, year_line: str = "") -> "Policy":
    """The policy file given, or the one shipped for ``year`` (``year_line``: how the year was chosen),
    every parameter checked."""
    from .policy import PolicyError, default_policy_path, load_policy

    path = policy or default_policy_path(year or DEFAULT_YEAR)
    if policy is None and year is not None and not path.is_file():
        basis = f"{year_line}。" if year_line else ""
        raise RunError(f"{basis}没有 {year} 年度的政策参数文件（{path}）。如年度不对，请核对海关数据的“年月”列"
                       f"或用 --year 指定计算年度；如确为 {year} 年度，请用 --policy 指定政策参数文件。")
    try:
        return load_policy(path)
    except PolicyError as exc:
        raise RunError(str(exc)) from None


def check_policy(options: RunOptions) -> "Policy":
    """The policy the options name, checked before any input is read (a bad setting stops at once)."""
    return choose_policy(options.policy, options.year)


def _read(paths: list[Path], options: RunOptions, policy: "Policy", books) -> tuple["Policy", "InputBundle"]:
    """The inputs read with ``policy``, read again with the year's own policy when the year comes from the
    customs data and differs (RunError with the clerk's message when they cannot be used)."""
    from .reading import InputError, read_inputs

    try:
        with stage("read"), paused_gc():
            bundle = read_inputs(paths, policy, options.year, books)
        if options.year is None and options.policy is None and bundle.year != policy.year:
            policy = choose_policy(options.policy, bundle.year, bundle.year_line)
            with stage("read"), paused_gc():
                bundle = read_inputs(paths, policy, bundle.year, books)
    except InputError as exc:
        raise RunError(str(exc)) from None
    return policy, bundle


def check(paths: list[Path], options: RunOptions) -> dict:
    """The inputs read as :func:`run` reads them, nothing computed or written (the desk's check before
    computing): ``{"files": [{"file", "sheets": [{"sheet", "role" (Chinese), "rows_read", "rows_used",
    "rows_review", "rows_skipped"}]}], "year", "lines"}`` in the order of ``paths``. RunError as run."""
    from .tables import ROLE_LABELS

    policy = check_policy(options)
    with Workbooks(paths) as books:
        _, bundle = _read(paths, options, policy, books)
    files: dict[str, list[dict]] = {}
    for account in bundle.accounts:
        files.setdefault(account.file, []).append({
            "sheet": account.sheet, "role": ROLE_LABELS.get(account.role, account.role),
            "rows_read": account.rows_read, "rows_used": account.rows_used, "rows_review": account.rows_review,
            "rows_skipped": account.rows_total_skipped})
    return {"files": [{"file": name, "sheets": sheets} for name, sheets in files.items()],
            "year": bundle.year, "lines": list(bundle.console)}


def run(paths: list[Path], options: RunOptions, say: Callable[[str], None] = print,
        console: Console | None = None, policy: "Policy | None" = None) -> RunOutcome:
    """Read ``paths``, compute, and write one run folder in ``options.output``.

    ``say`` gets each line for the clerk, in order; ``console`` runs the stages (a live line on a
    terminal, nothing otherwise); ``policy``: the one :func:`check_policy` already loaded for these
    options, if the caller checked it first. RunError, with nothing written, when the inputs or the
    output folder cannot be used."""
    console = console or Console(live=False)
    lines: list[str] = []

    def tell(line: str) -> None:
        lines.append(line)
        say(line)

    policy = policy or check_policy(options)
    with Workbooks(paths) as books, console.stage("正在读取输入文件") as reading:
        if console.live:
            books = BooksProgress(books, reading, len(paths))
        policy, bundle = _read(paths, options, policy, books)
    from .calculate import calculate
    from .caps import factor_text
    from .model import RunResult
    from .money import format_yuan, percent_of
    from .payout_documents import write_payout_documents
    from .payout_workbook import payout_filename, write_payout_workbook
    from .publicity_list import missing_contact_warning
    from .run_folder import OutputFolderError, StagedRunFolder
    from .unclaimed import console_line as unclaimed_line

    for line in bundle.console:
        tell(line)
    tell(f"已读取输入文件 {len(bundle.files)} 个，共 {sum(f.rows_read for f in bundle.files):,} 行{took(reading)}")
    with console.stage("正在计算奖励") as computing, stage("compute"), paused_gc():
        calc = calculate(bundle, policy, options.budget_mode)
    tell(f"已计算奖励{took(computing)}")
    now = datetime.now()
    result = RunResult(
        year=bundle.year, policy=policy, policy_path=str(policy.path), program_version=__version__,
        run_time=f"{now:%Y-%m-%d %H:%M:%S}", rules=policy.rules_info(), lines=calc.lines, firms=calc.firms,
        review=calc.review, accounts=bundle.accounts, files=bundle.files, fund_fen=policy.fund_fen,
        total_before_budget_fen=calc.total_before_budget_fen, total_fen=calc.total_fen,
        budget_mode=options.budget_mode, prorate_factor=calc.factor, warnings=calc.warnings,
        issue_date=options.issue_date or now.date(), publicity_start=options.publicity_start or now.date(),
        unclaimed=calc.unclaimed,
    )
    deadline = policy.meta.payout.deadline(bundle.year)
    if result.issue_date > deadline:
        calc.warnings.append(f"落款日期 {result.issue_date:%Y年%-m月%-d日} 晚于兑现期限 {deadline:%Y年%-m月%-d日}"
                             f"（政策第{policy.meta.payout.article}条：{policy.meta.payout.text}），请核实")
    if (no_contact := missing_contact_warning(policy)) is not None:
        calc.warnings.append(no_contact)
    staged = StagedRunFolder(options.output, bundle.year, now)
    letters = None
    pdf = None
    try:
        with staged as folder:
            book = folder / payout_filename(bundle.year)
            with console.stage(f"正在写出兑现表“{book.name}”") as writing, stage("write"), paused_gc(), \
                    staged.writing("兑现表未能写完"):
                write_payout_workbook(result, book)
            tell(f"已写出兑现表“{book.name}”{took(writing)}")
            with console.stage("正在写出拨付清单和公示名单"), stage("write"), paused_gc():
                documents = write_payout_documents(result, folder, staged.writing)
            if options.letters:
                letters, pdf = _write_letters(staged, result, options, console, tell)
    except OutputFolderError as exc:
        raise RunError(str(exc)) from None
    for warning in calc.warnings:
        tell(f"提示：{warning}")
    fund = policy.fund_fen
    share = f"{percent_of(calc.total_fen, fund)}" if fund else "—"
    tell(f"兑现总额：{format_yuan(calc.total_fen)} 元；专项资金 {format_yuan(fund)} 元，使用 {share}"
         + (f"；已按比例压减，系数 {factor_text(calc.factor)}" if calc.factor is not None else ""))
    tell(review_line(calc))
    tell(unclaimed_line(calc.unclaimed))
    for line in documents:
        tell(line)
    if options.pdf and options.letters and pdf is None:
        from .letters import find_soffice

        if find_soffice() is None:
            tell("提示：未找到 LibreOffice（soffice），未生成 PDF；安装后可用 --pdf 重新生成")
    tell(written_line(staged.final, letters, not options.letters))
    tell(f"输出文件夹：{staged.final}")
    return RunOutcome(folder=staged.final, result=result, calculation=calc, lines=lines, letters=letters, pdf=pdf)


def written_line(run_folder: Path, letters, no_letters: bool) -> str:
    """本次生成通知书 34 份（可寄发 29 份、草稿 5 份），输出文件夹中共有文件 40 个: the letters (one per paid
    firm, the combined file not counted) and every file in the finished run folder, its subfolders included."""
    files = sum(1 for p in run_folder.rglob("*") if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(run_folder).parts))
    ready, drafts = (len(letters.ready), len(letters.drafts)) if letters is not None else (0, 0)
    made = ("未生成通知书（已指定 --no-letters）" if no_letters else
            f"本次生成通知书 {ready + drafts} 份" + (f"（可寄发 {ready} 份、草稿 {drafts} 份）" if drafts else ""))
    return f"{made}，输出文件夹中共有文件 {files} 个"


def review_line(calc) -> str:
    """获奖企业 34 户（正常 25 户、需核实 4 户、暂缓拨付 5 户）；待核查 25 条（暂缓拨付 9 条、需核实 16 条）."""
    from .review_levels import LEVELS, STATUS_OK

    firms = calc.firms["status"].value_counts()
    rows = calc.review["级别"].value_counts()
    by_status = "、".join(f"{s} {firms[s]} 户" for s in (STATUS_OK,) + LEVELS if firms.get(s, 0))
    by_level = "、".join(f"{lv} {rows[lv]} 条" for lv in LEVELS if rows.get(lv, 0))
    return (f"获奖企业 {len(calc.firms)} 户" + (f"（{by_status}）" if by_status else "")
            + f"；待核查 {len(calc.review)} 条" + (f"（{by_level}）" if by_level else ""))


def _write_letters(staged, result, options: RunOptions, console: Console, tell: Callable[[str], None]):
    """The letters of ``result`` in the staged run folder's 通知书 (drafts of 暂缓拨付 firms in
    通知书/暂缓拨付), and the combined file of the ready ones as PDF when asked and made: (what was
    written, the PDF or None). Imported only when letters are wanted. On a terminal write_letters shows
    its own progress bar; the PDF conversion runs as a stage."""
    from .letters import LetterTemplateError, convert_to_pdf, letter_notes, write_letters

    started = Stage("")
    try:
        with stage("letters"), staged.writing("通知书未能写完"):
            letters = write_letters(result, staged.staging / "通知书", LETTER_TEMPLATE, progress=console.live,
                                    issue_date=result.issue_date, duplex=options.duplex)
    except LetterTemplateError as exc:
        raise RunError(str(exc)) from None
    started.finish()
    tell(letters.summary() + took(started))
    if letters.paths:
        for note in letter_notes(result.policy):
            tell(f"提示：{note}")
    if not (options.pdf and letters.combined):
        return letters, None
    with console.stage(f"正在把合并通知书转换为 PDF（{len(letters.ready)} 份通知书）") as converting, \
            staged.writing("PDF 通知书未能写完"):
        made = convert_to_pdf(letters.combined, duplex=options.duplex)
    if made is not None:
        tell(f"已把合并通知书转换为 PDF“{made.name}”{took(converting)}")
    return letters, made
