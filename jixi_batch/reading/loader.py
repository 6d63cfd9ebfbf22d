"""read_inputs: every input file to tidy tables, review rows and a row account.

Order of work: open each file (:mod:`.workbooks`: files → sheets → blocks of cells), find each
sheet's table and header (:mod:`.layout`), read its rows block by block (:mod:`.tidy`); then
across files: check the roles (one province file, one applications workbook, at least one
customs file), fix the policy year Y, move customs rows of other years to review, hold firms
listed twice in 企业信息, and list codes whose check character fails.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd

from ..model import DOCUMENT_TITLES, PAYOUT_CORE_SHEETS, REVIEW_COLS, InputFile, SheetAccount
from ..money import format_percent
from ..policy import Policy
from ..review import empty as _empty_review, review_frame
from ..tables import APPLICATION_TABLES, ROLE_LABELS, TABLE_BY_ROLE, Customs, Firms, Loans, OtherAwards, Province
from . import codes as codes_mod
from .calamine_grid import join_blocks
from .errors import InputError
from .layout import HEADER_SCAN_ROWS, SAMPLE_ROWS, Layout, Place, detect_layout, partial_is_credible
from .duplicate_rows import find_copies
from .tidy import (CAT_ACCOUNT, CAT_BAD_CHECK, CAT_COPY, CAT_DUPLICATE, CAT_OTHER_YEAR, ReadContext, SheetReader,
                   SheetResult, sheet_warnings)
from .workbooks import Sheet, SheetRestart, Workbook, Workbooks

APP_ROLES = tuple(t.role for t in APPLICATION_TABLES)
CAT_ODD_NAME = "企业名称含特殊字符"
# characters no firm name needs: path separators and the others Windows forbids in file
# names, control/format characters; or a leading = + - @ (a formula in Excel)
_ODD_NAME_RE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]|\.\.|^[=+\-@]')
HEAD_ROWS = HEADER_SCAN_ROWS + 2 + SAMPLE_ROWS     # rows looked at before the rest is read


@dataclass
class InputBundle:
    """Everything reading produced (tables as tables.py declares them)."""

    year: int
    year_line: str                          # the console line saying how the year was chosen
    customs: pd.DataFrame
    province: pd.DataFrame
    firms: pd.DataFrame
    loans: pd.DataFrame
    other_awards: pd.DataFrame
    review: pd.DataFrame
    accounts: list[SheetAccount]
    files: list[InputFile]
    held_codes: set[str] = field(default_factory=set)
    bad_check_codes: set[str] = field(default_factory=set)
    console: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _FileRead:
    path: Path
    sha256: str
    results: list[SheetResult]
    notes: list[str]                        # console lines about skipped/ignored sheets
    warnings: list[str]
    has_sheet_names: bool = True


def read_inputs(paths: list[Path], policy: Policy, year: int | None = None,
                books: Workbooks | None = None) -> InputBundle:
    """Read the clerk's input files (InputError with a Chinese message when the run cannot proceed).

    ``books`` is the :class:`.workbooks.Workbooks` the caller started early; without one the
    files are opened here (still in background threads). Files are taken smallest first, so
    the small ones are done while the biggest is still being parsed; everything after
    (console lines, warnings, checks, tables) follows the order of ``paths``.
    """
    ctx = ReadContext.from_policy(policy)
    paths = [Path(p) for p in paths]
    console = [f"{p.name}：Excel临时文件，已跳过" for p in paths if p.name.startswith("~$")]
    paths = [p for p in paths if not p.name.startswith("~$")]
    own = books is None
    books = Workbooks(paths) if own else books
    try:
        reads: dict[int, _FileRead] = {}
        seen_sha: dict[str, Path] = {}
        for i in sorted(range(len(paths)), key=lambda i: (books.size(paths[i]), i)):
            read = _parse_file(books.open(paths[i]), ctx)
            if read.sha256 in seen_sha:
                first, second = sorted((seen_sha[read.sha256], paths[i]), key=paths.index)
                raise InputError(f"文件“{first.name}”和“{second.name}”内容完全相同，"
                                 "请删除其中一个后重新运行。")
            seen_sha[read.sha256] = paths[i]
            reads[i] = read
    finally:
        if own:
            books.close()
    ordered = [reads[i] for i in sorted(reads)]
    warnings = [w for read in ordered for w in read.warnings]
    _check_roles(ordered, warnings)
    return _assemble(ordered, policy, year, warnings, console)


def _refuse_own_document(book: Workbook) -> None:
    """A 拨付清单 or 公示名单 this program wrote (its one sheet so named, its title in A1) is not an
    input: its payees would be read as 企业信息."""
    if len(book.sheets) != 1 or book.sheets[0].name not in DOCUMENT_TITLES:
        return
    sheet = book.sheets[0]
    grid, _ = sheet.whole()
    title = grid[0, 0] if grid.shape[0] and grid.shape[1] else None
    if isinstance(title, str) and DOCUMENT_TITLES[sheet.name] in title:
        raise InputError(f"文件“{book.path.name}”是本程序生成的{sheet.name}，不是输入文件。"
                         "请把它移出输入文件夹后重新运行。")


def _parse_file(book: Workbook, ctx: ReadContext) -> _FileRead:
    name = book.path.name
    if set(PAYOUT_CORE_SHEETS) <= {sheet.name for sheet in book.sheets}:
        raise InputError(f"文件“{name}”是本程序生成的兑现表（有{'、'.join(PAYOUT_CORE_SHEETS)}工作表），不是输入文件。"
                         "请把它移出输入文件夹后重新运行。")
    _refuse_own_document(book)
    warnings: list[str] = []
    notes = [f"{name}：工作表“{s}”为隐藏工作表，已跳过" for s in book.hidden]
    results: list[SheetResult] = []
    partials = []
    nonempty_sheets = 0
    for sheet in book.sheets:
        place = Place(name, sheet.name, book.has_sheet_names)
        outcome = read_sheet(sheet, place, ctx)
        if outcome == "empty":
            notes.append(f"{name}：工作表“{sheet.name}”为空，已忽略")
            continue
        nonempty_sheets += 1
        if outcome is None:
            notes.append(f"{name}：工作表“{sheet.name}”未识别出表头，已忽略")
        elif isinstance(outcome, Layout):
            if partial_is_credible(outcome, sheet.name):
                partials.append((sheet.name, outcome))
            else:
                notes.append(f"{name}：工作表“{sheet.name}”未识别出数据类型，已忽略")
        else:
            results.append(outcome)
    for sheet_name, layout in partials:
        message = (f"文件“{name}”工作表“{sheet_name}”（看起来是{layout.table.label}）"
                   f"缺少必需的列：{'、'.join(layout.missing)}")
        if not results or sheet_name in layout.table.sheet_names:
            raise InputError(message + "。请补上这些列（表头文字见使用说明）后重新运行。")
        warnings.append(message + "，该工作表已忽略")
        notes.append(message + "，已忽略")
    if not results:
        if nonempty_sheets == 0:
            raise InputError(f"文件“{name}”中没有任何数据（空文件或只有隐藏工作表）。")
        raise InputError(
            f"无法识别文件“{name}”的类型：没有找到海关数据、省级奖励或企业申报汇总的表头。"
            "海关数据应含“年月”“统一社会信用代码”“进出口”“贸易方式”“商品编码”“金额”等列；"
            "省级奖励名单应含“统一社会信用代码”“奖励项目”“省级奖励金额”等列。")
    for result in results:
        _check_usable(result, book.has_sheet_names)
        warnings.extend(sheet_warnings(result))
        where = f"工作表“{result.sheet}”" if book.has_sheet_names else ""
        notes.extend(f"{name}：{where}{note}" for note in result.notes)
    return _FileRead(book.path, book.sha256, results, notes, warnings, book.has_sheet_names)


def _check_usable(result: SheetResult, named: bool) -> None:
    """More than half of a sheet's data rows unusable: the wrong file, or a shape the program did not
    understand — stop, naming the most common problem with an example (INPUTS.md "Fail closed")."""
    account = result.account
    rows = account.rows_read - account.rows_total_skipped
    if not rows or account.rows_review * 2 <= rows:
        return
    review = result.review[result.review["类别"] != CAT_ACCOUNT]   # listed, but the row is used
    counts = review.groupby(["类别", "列"], sort=False).size()
    category, column = counts.idxmax()
    example = review[(review["类别"] == category) & (review["列"] == column)].iloc[0]
    where = f"工作表“{result.sheet}”" if named else ""
    raise InputError(
        f"文件“{result.file}”{where}的 {rows:,} 行数据中有 {account.rows_review:,} 行无法使用，超过一半。"
        f"最常见的问题在“{column}”列（{category}，{counts.max():,} 处），例如第 {example['行号']} 行的"
        f"“{example['值']}”：{example['说明']}。请核对是否选错了文件或工作表、表头与数据是否对应后重新运行。")


def read_sheet(sheet: Sheet, place: Place, ctx: ReadContext):
    """One sheet: its SheetResult; "empty"; None (no header found); or its partial Layout (a header
    that lacks required columns). Read block by block; read again whole when its chunks do not join."""
    try:
        return _read_sheet(sheet, place, ctx)
    except SheetRestart:
        return _read_sheet(sheet, place, ctx)


def _read_sheet(sheet: Sheet, place: Place, ctx: ReadContext):
    blocks = sheet.blocks()
    head = []
    for block in blocks:
        head.append((block.row, block.col, block.grid, block.filled))
        if block.row + len(block.grid) >= HEAD_ROWS:
            break
    if not head:
        return "empty"
    grid, filled = join_blocks(head)
    if not filled.any() and not any(True for _ in blocks):
        return "empty"
    layout = detect_layout(grid, sheet.merges, place, ctx.tonnes_per_unit)
    if layout is None or not layout.complete:
        return layout
    reader = SheetReader(layout, place.file, place.sheet, ctx, sheet.merges, lambda: sheet.hidden_rows)
    start = layout.data_row
    width = max([layout.width, grid.shape[1]] + [i + 1 for i in layout.indexes])
    grid, filled = join_blocks([(0, 0, grid, filled)], width)
    reader.rows(grid[start:], filled[start:], start)
    for block in blocks:
        # in the sheet's columns: the empty ones left of its first cell, and at least to the header's last
        g, f = join_blocks([(0, block.col, block.grid, block.filled)], width)
        reader.rows(g, f, block.row)
    result = reader.result()
    hidden = result.account.rows_hidden
    if hidden:
        how = "隐藏或被筛选掉" if sheet.filtered else "隐藏"
        result.notes.append(f"有 {hidden:,} 行数据在表格中被{how}，已照常读取和计算（隐藏不等于删除）；"
                            "如这些行不应计算，请删除后重新运行")
    return result


def _roles_of(read: _FileRead) -> list[str]:
    roles: list[str] = []
    for result in read.results:
        if result.role not in roles:
            roles.append(result.role)
    return roles


def _check_roles(reads: list[_FileRead], warnings: list[str]) -> None:
    def files_with(roles) -> list[Path]:
        return [r.path for r in reads if any(role in roles for role in _roles_of(r))]

    if not reads:
        raise InputError("没有找到任何输入文件（.xlsx、.xls、.csv）。")
    province = files_with((Province.role,))
    if len(province) > 1:
        raise InputError("有多个文件被识别为省级奖励数据：" + "、".join(f"“{p.name}”" for p in province)
                         + "。请只保留一个省级奖励文件。")
    apps = files_with(APP_ROLES)
    if len(apps) > 1:
        raise InputError("有多个文件被识别为企业申报汇总：" + "、".join(f"“{p.name}”" for p in apps)
                         + "。请只保留一个企业申报汇总工作簿。")
    if not files_with((Customs.role,)):
        raise InputError("没有找到海关数据文件（应含“年月”“统一社会信用代码”“进出口”“贸易方式”“商品编码”“金额”等列）。"
                         "海关数据是必需的。")
    if not province:
        warnings.append("未找到省级奖励名单，依据省级奖励兑现的各项市级奖励均无法计算")
    if not apps:
        warnings.append("未找到企业申报汇总，需企业申报的各项奖励均无法计算，所有企业均缺少开户银行和银行账号")
    elif not files_with((Firms.role,)):
        warnings.append("企业申报汇总中没有找到“企业信息”工作表")


def _concat(results: list[SheetResult], role: str) -> pd.DataFrame:
    frames = [r.table for r in results if r.role == role and len(r.table)]
    if not frames:
        return TABLE_BY_ROLE[role].frame()
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    return pd.concat(frames, ignore_index=True)


def _review_rows(frame: pd.DataFrame, category: str, column, value: pd.Series, message) -> pd.DataFrame:
    """Review rows for rows of a tidy table (source columns give file, sheet and row)."""
    name = frame["name"] if "name" in frame else ""
    return review_frame(category, frame["src_file"], frame["src_sheet"], frame["src_row"], column, value,
                        frame["code"], name, message)


def _header_of(results: list[SheetResult], role: str, field_name: str) -> dict[tuple[str, str], str]:
    return {(r.file, r.sheet): r.headers.get(field_name, "") for r in results if r.role == role}


# A year holding less than this share of the customs rows is never taken for the computation year
# by default: a typo (202412 among 2023 data) must not choose the policy (INPUTS.md "Fail closed").
YEAR_MIN_SHARE = Fraction(1, 10)


def _choose_year(rows: Counter, year: int | None, warnings: list[str]) -> tuple[int, str]:
    """Y and the console line saying how it was chosen: the argument; else, among the years holding
    at least YEAR_MIN_SHARE of the customs rows, the latest with December data (or whole-year
    figures), else the latest of them (warned)."""
    if year is not None:
        return int(year), f"计算年度：{int(year)} 年（按 --year 指定）"
    if not rows:
        raise InputError("海关数据中没有可识别的年月，无法确定计算年度。"
                         "请检查海关数据文件的“年月”列，或用 --year 指定年度。")
    per_year: Counter = Counter()
    december: set[int] = set()
    for (y, m), n in rows.items():
        per_year[y] += n
        if m in (0, 12):
            december.add(y)
    total = sum(per_year.values())
    substantial = [y for y, n in per_year.items() if n >= YEAR_MIN_SHARE * total] \
        or [max(per_year, key=lambda y: (per_year[y], y))]
    full = [y for y in substantial if y in december]
    chosen = max(full or substantial)
    if not full:
        warnings.append(f"海关数据中没有任何一年有12月的数据，按 {chosen} 年作为计算年度；"
                        "如不正确请用 --year 指定")
    counts = "、".join(f"{y} 年 {per_year[y]:,} 行" for y in sorted(substantial, reverse=True))
    line = f"计算年度：{chosen} 年（海关数据中 {counts}；取{'有12月数据的' if full else ''}最近年度）"
    stray = sorted(y for y in per_year if y not in substantial)
    if stray:
        listing = "、".join(f"{y} 年 {per_year[y]:,} 行" for y in stray)
        line += f"；{listing}，不足海关数据行数的{format_percent(YEAR_MIN_SHARE)}，不作为计算年度"
    return chosen, line


def _assemble(reads: list[_FileRead], policy: Policy, year: int | None, warnings: list[str],
              console: list[str]) -> InputBundle:
    results = [r for read in reads for r in read.results]
    accounts = {(r.file, r.sheet): r.account for r in results}
    reviews = [r.review for r in results if len(r.review)]

    copied: Counter = Counter()
    customs = _without_copies(_concat(results, Customs.role), results, Customs.role, accounts, reviews, copied)
    y, year_line = _choose_year(sum((r.year_months for r in results), Counter()), year, warnings)
    if policy.year != y:
        warnings.append(f"计算年度 {y} 与政策文件的年度 {policy.year} 不一致，请确认使用了正确的政策文件")
    _warn_overlaps(reads, customs, warnings)

    in_scope = customs["year"].isin([y, y - 1]).to_numpy()
    other = customs.loc[~in_scope]
    if len(other):
        headers = _header_of(results, Customs.role, "period")
        column = pd.Series([headers.get(k, "年月") for k in zip(other["src_file"], other["src_sheet"])],
                           index=other.index, dtype=object)
        value = other["year"].astype(str) + other["month"].map(lambda m: f"{m:02d}" if m else "年")
        message = (f"年月不属于计算年度 {y} 年或上年 {y - 1} 年" + "（" + value + "），该行未纳入计算")
        reviews.append(_review_rows(other, CAT_OTHER_YEAR, column, value, message))
        _move_to_review(accounts, other)
        customs = customs.loc[in_scope].reset_index(drop=True)
    if not (customs["year"] == y).any():
        warnings.append(f"海关数据中没有 {y} 年的数据")
    if not (customs["year"] == y - 1).any():
        warnings.append(f"海关数据中没有 {y - 1} 年（上年）的数据，上年进出口额按 0 计算")

    firms = _without_copies(_concat(results, Firms.role), results, Firms.role, accounts, reviews, copied)
    held: set[str] = set()
    dup = firms["code"].duplicated(keep=False).to_numpy()
    if dup.any():
        dups = firms.loc[dup]
        held = set(dups["code"])
        rows_of = dups.groupby("code")["src_row"].apply(lambda s: "、".join(f"第{r}行" for r in s))
        headers = _header_of(results, Firms.role, "code")
        column = pd.Series([headers.get(k, "统一社会信用代码") for k in zip(dups["src_file"], dups["src_sheet"])],
                           index=dups.index, dtype=object)
        message = ("该企业在“企业信息”表中有多行（" + dups["code"].map(rows_of) + "），内容不一致，"
                   "无法确定以哪一行为准，需企业申报的奖励暂不计算")
        reviews.append(_review_rows(dups, CAT_DUPLICATE, column, dups["code"], message))
        _move_to_review(accounts, dups)
        firms = firms.loc[~dup].reset_index(drop=True)

    province, loans, other_awards = (_without_copies(_concat(results, t.role), results, t.role, accounts, reviews,
                                                     copied) for t in (Province, Loans, OtherAwards))

    tables = {Customs.role: customs, Province.role: province, Firms.role: firms, Loans.role: loans,
              OtherAwards.role: other_awards}
    bad_codes, bad_review = _bad_checks(tables, results)
    if len(bad_review):
        reviews.append(bad_review)

    odd_review = _odd_names(tables)
    if len(odd_review):
        reviews.append(odd_review)

    review = pd.concat(reviews, ignore_index=True)[REVIEW_COLS] if reviews else _empty_review()
    review["行号"] = review["行号"].astype("Int64")
    for column in REVIEW_COLS:
        if column != "行号":
            review[column] = review[column].fillna("").astype(object).map(str)

    files = []
    for read in reads:
        file_accounts = [r.account for r in read.results]
        rows = sum(a.rows_read for a in file_accounts)
        # a file uploaded on the desk is read under a generated name in a folder removed after the run:
        # the run record keeps the clerk's own file name instead of that path
        uploaded = read.path.name != os.path.basename(str(read.path))
        where = f"{read.path.name}（工作台上传）" if uploaded else str(read.path)
        files.append(InputFile(path=where, sha256=read.sha256, roles=_roles_of(read), rows_read=rows))
        console.append(_console_line(read))
        if copied[read.path.name]:
            console.append(f"{read.path.name}：{copied[read.path.name]:,} 行与前面的行完全相同（重复行），"
                           "只计算一次，已列入待核查")
        console.extend(read.notes)
    console.append(year_line)
    return InputBundle(year=y, year_line=year_line, customs=customs, province=province, firms=firms,
                       loans=loans, other_awards=other_awards, review=review, accounts=list(accounts.values()),
                       files=files, held_codes=held, bad_check_codes=bad_codes, console=console,
                       warnings=warnings)


_SOURCE = ["src_file", "src_sheet", "src_row"]


def _without_copies(table: pd.DataFrame, results: list[SheetResult], role: str, accounts: dict,
                    reviews: list, copied: Counter) -> pd.DataFrame:
    """The table without the rows equal in every cell to an earlier row of the same role (same sheet,
    another sheet, another file): each copy is listed as 重复行 and counted per file in ``copied``."""
    prints = [r.prints.assign(src_file=r.file, src_sheet=r.sheet) for r in results
              if r.role == role and r.prints is not None and len(r.prints)]
    if not prints or table.empty:
        return table
    copies = find_copies(pd.concat(prints, ignore_index=True))
    if copies.empty:
        return table
    is_copy = pd.MultiIndex.from_frame(table[_SOURCE]).isin(pd.MultiIndex.from_frame(copies[_SOURCE]))
    if not is_copy.any():
        return table
    rows = table.loc[is_copy].drop_duplicates(_SOURCE).merge(copies, on=_SOURCE, how="left")
    same_sheet = (rows["first_file"] == rows["src_file"]) & (rows["first_sheet"] == rows["src_sheet"])
    where = ("文件“" + rows["first_file"] + "”工作表“" + rows["first_sheet"] + "”").where(~same_sheet, "本表")
    message = ("该行与" + where + "第" + rows["first_row"].astype(str) + "行各列内容相同（序号列除外），视为重复行，"
               "只计算一次，该行未纳入计算")
    headers = _header_of(results, role, "code")
    column = pd.Series([headers.get(k, "统一社会信用代码") for k in zip(rows["src_file"], rows["src_sheet"])],
                       index=rows.index, dtype=object)
    reviews.append(_review_rows(rows, CAT_COPY, column, rows["code"], message))
    _move_to_review(accounts, rows)
    copied.update(rows["src_file"].tolist())
    return table.loc[~is_copy].reset_index(drop=True)


def _move_to_review(accounts: dict, rows: pd.DataFrame) -> None:
    """Rows taken out of a table after parsing: count them as review, not used (a row of import and
    export columns is one row of the sheet, two of the table)."""
    rows = rows.drop_duplicates(_SOURCE)
    for (file, sheet), count in rows.groupby(["src_file", "src_sheet"]).size().items():
        account = accounts[(file, sheet)]
        account.rows_used -= int(count)
        account.rows_review += int(count)


def _bad_checks(tables: dict[str, pd.DataFrame], results: list[SheetResult]) -> tuple[set[str], pd.DataFrame]:
    """Codes used in the tables whose check character fails: one review row per code per file."""
    used = [table for table in tables.values() if len(table)]
    uniques = set().union(*(pd.unique(table["code"]) for table in used))
    bad = {c for c in uniques if codes_mod.code_status(c) == codes_mod.BAD_CHECK}
    if not bad:
        return set(), _empty_review()
    frames = []
    for table in used:
        cols = ["code", "src_file", "src_sheet", "src_row"] + (["name"] if "name" in table else [])
        frames.append(table.loc[table["code"].isin(bad), cols].drop_duplicates(["code", "src_file"]))
    firsts = pd.concat(frames, ignore_index=True)
    if "name" not in firsts:
        firsts["name"] = ""
    firsts["name"] = firsts["name"].fillna("")
    rows = firsts.sort_values(["src_file", "src_sheet", "src_row"])
    rows = rows.drop_duplicates(["code", "src_file"]).reset_index(drop=True)
    headers = {}
    for r in results:
        headers[(r.file, r.sheet)] = r.headers.get("code", "统一社会信用代码")
    column = pd.Series([headers.get(k, "统一社会信用代码") for k in zip(rows["src_file"], rows["src_sheet"])],
                       dtype=object)
    message = ("统一社会信用代码第18位（校验码）与前17位不符，按《法人和其他组织统一社会信用代码编码规则》"
               "（GB 32100—2015）应为“" + rows["code"].map(lambda c: codes_mod.check_char(c[:17]))
               + "”，代码可能有误；奖励照常测算，核实前暂缓拨付")
    return bad, _review_rows(rows, CAT_BAD_CHECK, column, rows["code"], message)


def _odd_names(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Firm names holding path or control characters or starting like a formula: one review row
    per name and file. The firm is computed as usual; its letter's file name is made safe."""
    named = [t for t in tables.values() if len(t) and "name" in t]
    odd_names = {n for t in named for n in pd.unique(t["name"]) if _ODD_NAME_RE.search(str(n))}
    if not odd_names:
        return _empty_review()
    frames = [t.loc[t["name"].isin(odd_names), ["code", "name", "src_file", "src_sheet", "src_row"]] for t in named]
    odd = pd.concat(frames, ignore_index=True).drop_duplicates(["code", "name", "src_file"]).reset_index(drop=True)
    return _review_rows(odd, CAT_ODD_NAME, "企业名称", odd["name"],
                        "企业名称含有路径符号、控制字符或以 = + - @ 开头，请核对名称是否正确"
                        "（该企业照常计算；兑现表中按文本写入，通知书文件名已去掉这些字符）")


def _warn_overlaps(reads: list[_FileRead], customs: pd.DataFrame, warnings: list[str]) -> None:
    """Two customs files covering the same month and direction would count it twice: warn.
    (A whole year covers each of its months; imports in one file and exports in another do not
    overlap.)"""
    if customs.empty:
        return
    keys = customs[["src_file", "year", "month", "direction"]].drop_duplicates()
    covered: dict[str, set] = {}
    for file, year, month, direction in keys.itertuples(index=False):
        months = range(1, 13) if month == 0 else (month,)
        covered.setdefault(file, set()).update((year, m, direction) for m in months)
    names = list(covered)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            common = sorted({(y, m) for y, m, _ in covered[a] & covered[b]})
            if common:
                listing = "、".join(f"{y}年{m}月" for y, m in common[:6]) + ("等" if len(common) > 6 else "")
                warnings.append(f"海关数据文件“{a}”和“{b}”都包含 {listing} 的数据，"
                                "如为同一数据会被重复计算，请核对")


def _console_line(read: _FileRead) -> str:
    parts = []
    total_skipped = 0
    for r in read.results:
        a = r.account
        total_skipped += a.rows_total_skipped
        where = f"工作表“{r.sheet}”" if read.has_sheet_names else ""
        parts.append(f"{where}识别为【{ROLE_LABELS[r.role]}】，读取 {a.rows_read:,} 行"
                     f"（使用 {a.rows_used:,} 行，列入待核查 {a.rows_review:,} 行）")
    return f"{read.path.name}：" + "；".join(parts) + (f"；跳过合计行 {total_skipped} 行" if total_skipped else "")
