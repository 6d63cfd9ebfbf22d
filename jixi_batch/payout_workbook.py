"""The payout workbook `<Y>年度外贸奖励兑现表.xlsx` (OUTPUTS.md).

Sheets, in order: 汇总, 企业汇总, 明细, 待核查, 数据核对. Sheet names and the headers
named in OUTPUTS.md are fixed. The writer computes nothing new beyond counts and sums
for display: every amount comes from the RunResult in integer fen and is turned into
元 only at the moment the cell is written.

Everything that came from an input file (names, codes, accounts, file names, review
values) is written with ``write_string``, so a firm called ``=HYPERLINK(...)`` stays text.
"""
from __future__ import annotations

import io
import numbers
import pathlib
import traceback
from typing import Sequence

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.utility import xl_rowcol_to_cell

from . import model
from .tables import ROLE_LABELS
from .model import SHEET_CHECK, SHEET_FIRMS, SHEET_LINES, SHEET_REVIEW, SHEET_SUMMARY
from .xlsx_style import (
    MAX_WIDTH,
    WRAP_WIDTH,
    WORKBOOK_OPTIONS,
    Styles,
    display_width,
    finish_table,
    fit_width,
    max_display_width,
    money_width,
    setup_page,
    write_header,
)

LINE_HEIGHT = 16       # points per line of wrapped text (11 pt text with CJK fallback fonts)

SUMMARY_HEADERS = ["规则编号", "规则名称", "政策依据", "企业数", "金额(元)"]

# 明细: LINE_COLS -> Chinese header and kind of cell.
LINE_HEADERS = [
    ("code", "统一社会信用代码", "text"),
    ("name", "企业名称", "text"),
    ("rule_id", "规则编号", "text"),
    ("rule_name", "规则名称", "text"),
    ("article", "政策依据", "text"),
    ("basis_fen", "计算基数(元)", "money"),
    ("computed_fen", "测算金额(元)", "money"),
    ("offset_fen", "从高不重复抵扣(元)", "money"),
    ("art5_cut_fen", "第五条封顶核减(元)", "money"),
    ("budget_cut_fen", "预算核减(元)", "money"),
    ("approved_fen", "核定金额(元)", "money"),
    ("explanation", "计算说明", "wrap"),
]

# 待核查: REVIEW_COLS are already the Chinese headers.
REVIEW_KINDS = {"行号": "int_or_text", "说明": "wrap", "处理建议": "wrap"}

CHECK_HEADERS = ["文件", "工作表", "角色", "读取行数", "使用行数", "待核查行数", "合计行跳过数", "核对"]
CHECK_OK = "✓ 平衡"
CHECK_BAD = "✗ 不平衡"
CHECK_NOTE = (
    "核对关系：读取行数 = 使用行数 + 待核查行数 + 合计行跳过数。"
    "“✓ 平衡”表示该工作表读到的每一行都有去向（计入测算、列入待核查或作为合计行跳过）；"
    "“✗ 不平衡”请联系技术人员。"
    "“其中隐藏行数”是读取行数中在原表里被隐藏或筛选掉的行：这些行照常读取和计算，如不应计算，请删除后重新运行。"
)

MODE_LABELS = {"report": "按测算兑现(report)", "prorate": "按比例压减(prorate)"}


def payout_filename(year: int) -> str:
    return f"{year}年度外贸奖励兑现表.xlsx"


# --- column helpers -----------------------------------------------------------

def _values(df, name: str) -> list:
    """A column as a plain Python list, missing values as None."""
    n = 0 if df is None else len(df)
    if df is None or name not in df.columns:
        return [None] * n
    s = df[name]
    if s.isna().any():
        return s.astype(object).where(s.notna(), None).tolist()
    return s.tolist()


class _Col:
    """One output column: header, cell kind and its values (fen ints for money)."""

    __slots__ = ("header", "kind", "values")

    def __init__(self, header: str, kind: str, values: list) -> None:
        self.header = header
        self.kind = kind
        self.values = values


def _width(col: _Col) -> int:
    if col.kind == "money":
        w = money_width(col.values)
    elif col.kind in ("int", "int_or_text"):
        w = max_display_width(col.values)
    elif col.kind == "wrap":
        return fit_width(max_display_width(col.values, WRAP_WIDTH), col.header, WRAP_WIDTH)
    else:
        w = max_display_width(col.values)
    return fit_width(w, col.header, MAX_WIDTH)


def _cell_writers(ws):
    """The worksheet's undecorated write methods (no argument parsing per cell), if present."""
    return (getattr(ws, "_write_string", ws.write_string), getattr(ws, "_write_number", ws.write_number),
            getattr(ws, "_write_blank", ws.write_blank))


def _row_heights(cols: Sequence[_Col], widths: Sequence[int], first_row: int) -> dict[int, int]:
    """Heights (points) for rows whose wrapped text needs more than one line.

    Excel and LibreOffice do not grow a row for wrapped text in a file they did not
    lay out themselves, so the height is set here. A character's display width is
    estimated as (UTF-8 bytes + 1) / 2: 2 for a Chinese character, 1 for ASCII.
    """
    heights: dict[int, int] = {}
    for col, width in zip(cols, widths):
        if col.kind != "wrap":
            continue
        for i, text in enumerate(col.values):
            if text is None:
                continue
            text = str(text)
            display = (len(text.encode("utf-8")) + len(text)) // 2
            lines = -(-display // max(width - 4, 1))   # a little slack for proportional fonts
            if lines > 1:
                row = first_row + i
                heights[row] = max(heights.get(row, 0), LINE_HEIGHT * lines)
    return heights


def _write_columns(ws, styles: Styles, cols: Sequence[_Col], first_row: int = 1,
                   heights: dict[int, int] | None = None) -> None:
    """Write the data cells row by row, in row order (the workbook is in constant_memory mode:
    a row is flushed to disk as soon as a later row is written, so nothing may go back up)."""
    heights = heights or {}
    write_string, write_number, write_blank = _cell_writers(ws)
    plan = []
    for col in cols:
        kind = col.kind
        if kind == "money":
            values = [None if v is None else v / 100 for v in col.values]   # fen -> 元 at the write
            plan.append((1, values, styles.money, None))
        elif kind == "int":
            plan.append((1, col.values, styles.int, None))
        elif kind == "int_or_text":
            plan.append((2, col.values, styles.int, styles.text))
        else:
            fmt = styles.wrap if kind == "wrap" else styles.text
            values = [v if v is None or type(v) is str else str(v) for v in col.values]
            plan.append((0, values, fmt, None))
    n = len(cols[0].values) if cols else 0
    for i in range(n):
        r = first_row + i
        if r in heights:
            ws.set_row(r, heights[r])
        for c, (how, values, fmt, fmt_s) in enumerate(plan):
            v = values[i]
            if v is None:
                write_blank(r, c, None, fmt)
            elif how == 0:
                write_string(r, c, v, fmt)
            elif how == 1:
                write_number(r, c, v, fmt)
            elif isinstance(v, numbers.Real) and not isinstance(v, bool):
                write_number(r, c, v, fmt)
            else:
                write_string(r, c, str(v), fmt_s)


def _table_sheet(wb, styles: Styles, name: str, cols: Sequence[_Col], title: str) -> object:
    """A sheet that is one table: header, data, widths, freeze, filter, page setup."""
    ws = wb.add_worksheet(name)
    widths = [_width(col) for col in cols]
    for c, (col, width) in enumerate(zip(cols, widths)):
        ws.set_column(c, c, width, styles.col_text if col.kind == "text" else None)
    write_header(ws, [c.header for c in cols], styles)
    _write_columns(ws, styles, cols, heights=_row_heights(cols, widths, first_row=1))
    n = len(cols[0].values) if cols else 0
    finish_table(ws, len(cols), n)
    setup_page(ws, f"{title} {name}")
    return ws


# --- the sheets ---------------------------------------------------------------

def _rule_stats(lines) -> tuple[dict, dict, int]:
    """Per rule: firms with 核定金额 > 0 and Σ 核定金额; and distinct paid firms."""
    if lines is None or len(lines) == 0:
        return {}, {}, 0
    amounts = lines.groupby("rule_id", sort=False)["approved_fen"].sum()
    paid = lines[lines["approved_fen"] > 0]
    firms = paid.groupby("rule_id", sort=False)["code"].nunique()
    return (
        {k: int(v) for k, v in firms.items()},
        {k: int(v) for k, v in amounts.items()},
        int(paid["code"].nunique()),
    )


def _write_summary(wb, styles: Styles, result: model.RunResult, title: str) -> None:
    ws = wb.add_worksheet(SHEET_SUMMARY)
    write_header(ws, SUMMARY_HEADERS, styles)
    firm_counts, amounts, paid_firms = _rule_stats(result.lines)

    widths = [display_width(h) for h in SUMMARY_HEADERS]

    def note(c: int, text: str) -> None:
        widths[c] = max(widths[c], display_width(text))

    r = 1
    for rule in result.rules:
        ws.write_string(r, 0, rule.rule_id, styles.text)
        ws.write_string(r, 1, rule.name, styles.text)
        ws.write_string(r, 2, rule.article, styles.text)
        ws.write_number(r, 3, firm_counts.get(rule.rule_id, 0), styles.int)
        ws.write_number(r, 4, amounts.get(rule.rule_id, 0) / 100, styles.money)
        note(0, rule.rule_id)
        note(1, rule.name)
        note(2, rule.article)
        r += 1
    last_rule_row = r - 1
    # Lines of a rule not in result.rules would otherwise vanish from the totals.
    known = {rule.rule_id for rule in result.rules}
    total_fen = sum(v for k, v in amounts.items()) if amounts else 0
    other = sum(v for k, v in amounts.items() if k not in known)
    if other:
        ws.write_string(r, 0, "其他", styles.text)
        ws.write_string(r, 1, "未列入规则顺序的规则", styles.text)
        ws.write_blank(r, 2, None, styles.text)
        ws.write_blank(r, 3, None, styles.int)
        ws.write_number(r, 4, other / 100, styles.money)
        note(1, "未列入规则顺序的规则")
        r += 1
    ws.write_string(r, 0, "合计", styles.total_label)
    ws.write_blank(r, 1, None, styles.total_label)
    ws.write_string(r, 2, "企业数为不重复企业户数", styles.total_label)
    note(2, "企业数为不重复企业户数")
    ws.write_number(r, 3, paid_firms, styles.int_bold)
    if r > 1:
        ws.write_formula(
            r, 4, f"=SUM({xl_rowcol_to_cell(1, 4)}:{xl_rowcol_to_cell(r - 1, 4)})",
            styles.money_bold, total_fen / 100,
        )
    else:
        ws.write_number(r, 4, 0, styles.money_bold)
    r += 2

    # --- totals, fund, mode --------------------------------------------------
    def kv(label: str, writer, *args) -> None:
        nonlocal r
        ws.write_string(r, 0, label, styles.label)
        note(0, label)
        writer(r, 1, *args)
        r += 1

    ws.write_string(r, 0, "兑现总额与专项资金", styles.title)
    r += 1
    kv("兑现总额(元)", ws.write_number, result.total_fen / 100, styles.money)
    kv("预算核减前合计(元)", ws.write_number, result.total_before_budget_fen / 100, styles.money)
    kv("专项资金(元)", ws.write_number, result.fund_fen / 100, styles.money)
    if result.fund_fen:
        kv("使用比例", ws.write_number, result.total_fen / result.fund_fen, styles.pct)
    else:
        kv("使用比例", ws.write_string, "—", styles.text)
    mode = MODE_LABELS.get(result.budget_mode, str(result.budget_mode))
    kv("兑现模式", ws.write_string, mode, styles.text)
    note(1, mode)
    factor = result.prorate_factor
    if factor is None:
        kv("压减系数", ws.write_string, "未压减", styles.text)
    else:
        num = getattr(factor, "numerator", factor)
        den = getattr(factor, "denominator", 1)
        kv("压减系数", ws.write_number, num / den, styles.factor)
    for w in result.warnings or []:
        kv("提示", ws.write_string, str(w), styles.wrap)
        note(1, str(w))
    r += 1

    # --- run record ------------------------------------------------------------
    ws.write_string(r, 0, "运行记录", styles.title)
    r += 1
    record = [
        ("程序版本", str(result.program_version)),
        ("政策文件", str(result.policy_path)),
        ("政策名称", result.policy.title),
        ("政策年度", str(result.year)),
        ("运行时间", str(result.run_time)),
    ]
    for label, value in record:
        kv(label, ws.write_string, value, styles.text)
        note(1, value)
    r += 1
    # One row per input file. The 64-character SHA-256 sits in the already wide
    # column B and the role labels wrap in column C, so the rule table above
    # keeps narrow number columns.
    file_headers = ["文件", "SHA-256", "角色", "读取行数"]
    for c, h in enumerate(file_headers):
        ws.write_string(r, c, h, styles.header)
    r += 1
    role_cap = 30
    for f in result.files:
        roles = "、".join(ROLE_LABELS.get(x, str(x)) for x in f.roles)
        ws.write_string(r, 0, str(f.path), styles.text)
        ws.write_string(r, 1, str(f.sha256), styles.text)
        ws.write_string(r, 2, roles, styles.wrap)
        ws.write_number(r, 3, f.rows_read, styles.int)
        note(0, str(f.path))
        note(1, str(f.sha256))
        widths[2] = max(widths[2], min(display_width(roles), role_cap))
        r += 1

    widths[4] = max(widths[4], money_width([result.total_fen, result.fund_fen,
                                            result.total_before_budget_fen, total_fen]))
    for c, w in enumerate(widths):
        # The SHA-256 (64 characters) may pass the usual cap on this sheet.
        ws.set_column(c, c, fit_width(w, SUMMARY_HEADERS[c], 68))
    finish_table(ws, len(SUMMARY_HEADERS), last_rule_row)
    setup_page(ws, f"{title} {SHEET_SUMMARY}")


def _write_firms(wb, styles: Styles, result: model.RunResult, title: str) -> None:
    firms = result.firms
    rule_ids = [rule.rule_id for rule in result.rules]
    n = 0 if firms is None else len(firms)
    zeros = [0] * n
    cols = [
        _Col("序号", "int", _values(firms, "seq")),
        _Col("统一社会信用代码", "text", _values(firms, "code")),
        _Col("企业名称", "text", _values(firms, "name")),
        _Col("所属县区", "text", _values(firms, "district")),
    ]
    for rid in rule_ids:
        vals = _values(firms, rid) if firms is not None and rid in firms.columns else zeros
        cols.append(_Col(rid, "money", vals))
    cols += [
        _Col("第五条封顶核减(元)", "money", _values(firms, "art5_cut_fen")),
        _Col("预算核减(元)", "money", _values(firms, "budget_cut_fen")),
        _Col("兑现金额(元)", "money", _values(firms, "payout_fen")),
        _Col("开户银行", "text", _values(firms, "bank")),
        _Col("银行账号", "text", _values(firms, "account")),
        _Col("状态", "text", _values(firms, "status")),
    ]

    ws = wb.add_worksheet(SHEET_FIRMS)
    write_header(ws, [c.header for c in cols], styles)
    _write_columns(ws, styles, cols)

    # Totals row: SUM formulas with the cached value, so readers that do not
    # recalculate (pandas, openpyxl data_only) see the number.
    t = n + 1
    ws.write_string(t, 0, "合计", styles.total_label)
    for c, col in enumerate(cols[1:], 1):
        if col.kind == "money":
            total = sum(v for v in col.values if v is not None)
            if n:
                rng = f"{xl_rowcol_to_cell(1, c)}:{xl_rowcol_to_cell(n, c)}"
                ws.write_formula(t, c, f"=SUM({rng})", styles.money_bold, total / 100)
            else:
                ws.write_number(t, c, 0, styles.money_bold)
        else:
            ws.write_blank(t, c, None, styles.total_label)

    for c, col in enumerate(cols):
        w = _width(col)
        if col.kind == "money":
            sums = [sum(v for v in col.values if v is not None)]
            w = max(w, fit_width(money_width(sums), col.header))
        ws.set_column(c, c, w, styles.col_text if col.kind == "text" else None)
    finish_table(ws, len(cols), n)
    setup_page(ws, f"{title} {SHEET_FIRMS}")


def _write_lines(wb, styles: Styles, result: model.RunResult, title: str) -> None:
    lines = result.lines
    cols = [_Col(h, kind, _values(lines, key)) for key, h, kind in LINE_HEADERS]
    _table_sheet(wb, styles, SHEET_LINES, cols, title)


def _write_review(wb, styles: Styles, result: model.RunResult, title: str) -> None:
    review = result.review
    cols = [_Col(h, REVIEW_KINDS.get(h, "text"), _values(review, h) if h in review else [""] * len(review))
            for h in model.REVIEW_SHEET_COLS]
    _table_sheet(wb, styles, SHEET_REVIEW, cols, title)


def _write_check(wb, styles: Styles, result: model.RunResult, title: str) -> None:
    accts = result.accounts
    cols = [
        _Col("文件", "text", [a.file for a in accts]),
        _Col("工作表", "text", [a.sheet for a in accts]),
        _Col("角色", "text", [ROLE_LABELS.get(a.role, a.role) for a in accts]),
        _Col("读取行数", "int", [a.rows_read for a in accts]),
        _Col("使用行数", "int", [a.rows_used for a in accts]),
        _Col("待核查行数", "int", [a.rows_review for a in accts]),
        _Col("合计行跳过数", "int", [a.rows_total_skipped for a in accts]),
        _Col("其中隐藏行数", "int", [a.rows_hidden for a in accts]),
    ]
    ws = wb.add_worksheet(SHEET_CHECK)
    headers = [c.header for c in cols] + ["核对"]
    write_header(ws, headers, styles)
    # one row at a time: the 核对 cell belongs to its row (constant_memory row order)
    for r, a in enumerate(accts, 1):
        _write_columns(ws, styles, [_Col(c.header, c.kind, c.values[r - 1:r]) for c in cols], first_row=r)
        if a.balanced:
            ws.write_string(r, len(cols), CHECK_OK, styles.ok)
        else:
            ws.write_string(r, len(cols), CHECK_BAD, styles.bad)
    note_row = len(accts) + 2
    ws.merge_range(note_row, 0, note_row, len(headers) - 1, CHECK_NOTE, styles.note)
    ws.set_row(note_row, 32)
    for c, col in enumerate(cols):
        ws.set_column(c, c, _width(col), styles.col_text if col.kind == "text" else None)
    ws.set_column(len(cols), len(cols), fit_width(display_width(CHECK_BAD), "核对"))
    finish_table(ws, len(headers), len(accts))
    setup_page(ws, f"{title} {SHEET_CHECK}")


# Every sheet is written strictly in row order, so xlsxwriter's constant_memory mode (each
# row flushed to a temporary file as soon as the next row starts) is always allowed. It is
# ~70% slower per cell here (in-line strings are escaped cell by cell instead of shared),
# and below a few million cells the memory it saves (~100 bytes a cell) is small next to
# what reading the inputs took; so it is switched on only for very large workbooks.
CONSTANT_MEMORY_CELLS = 3_000_000


def _constant_memory(result: model.RunResult) -> bool:
    def size(frame, width: int) -> int:
        return 0 if frame is None else len(frame) * width

    cells = (size(result.lines, len(LINE_HEADERS)) + size(result.review, len(model.REVIEW_SHEET_COLS))
             + size(result.firms, len(result.rules) + 10))
    return cells > CONSTANT_MEMORY_CELLS


def write_payout_workbook(result: model.RunResult, path: pathlib.Path) -> None:
    """Write the payout workbook for ``result`` to ``path`` (the caller picks the name,
    normally ``payout_filename(result.year)`` inside the run's temporary folder).

    xlsxwriter's temporary files (row data in constant_memory mode, each part while packing)
    go in the folder of ``path``, never the system temp folder: when a full disk stops the
    write, the ones left behind go with the run's staging folder. The zip is packed in memory
    and written to ``path`` in one go.
    """
    title = f"{result.year}年度外贸奖励兑现表"
    packed = io.BytesIO()
    wb = xlsxwriter.Workbook(packed, dict(WORKBOOK_OPTIONS, constant_memory=_constant_memory(result),
                                          tmpdir=str(path.parent)))
    wb.set_properties({
        "title": title,
        "subject": "鸡西市支持对外贸易发展奖励兑现",
        "comments": f"jixi-batch {result.program_version} {result.run_time}",
    })
    try:
        styles = Styles(wb)
        _write_summary(wb, styles, result, title)
        _write_firms(wb, styles, result, title)
        _write_lines(wb, styles, result, title)
        _write_review(wb, styles, result, title)
        _write_check(wb, styles, result, title)
        wb.close()
    except BaseException as exc:
        # Free xlsxwriter's half-made zip now, while ``packed`` is open: left to the garbage
        # collector, it would be closed after ``packed`` and print "Exception ignored".
        cause = exc
        while cause is not None:
            traceback.clear_frames(cause.__traceback__)
            cause = cause.__context__
        error = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else None
        if isinstance(error, OSError):      # xlsxwriter's wrapper of a temporary file's OSError
            raise OSError(error.errno, error.strerror, error.filename) from None
        raise
    path.write_bytes(packed.getbuffer())
