"""The payout workbook `<Y>年度外贸奖励兑现表.xlsx` (OUTPUTS.md "The payout workbook", "A workbook
ready to sign").

Sheets, in order: 汇总, 县区汇总, 企业汇总, 明细, 待核查, 数据核对, 运行记录. Sheet names and the
headers named in OUTPUTS.md are fixed. Every sheet has the title, a subtitle, 制表单位, the date
and (for money) 单位：元 above its table, whose header is on row HEADER_ROW (the 4th row); 汇总
and 县区汇总 have 经办人 / 审核人 / 负责人 below. The writer computes nothing new beyond counts and
sums for display: every amount comes from the RunResult in integer fen and is turned into 元
only at the moment the cell is written. Zero amounts print blank (the cell holds 0).

Everything that came from an input file (names, codes, accounts, file names, review
values) is written with ``write_string``, so a firm called ``=HYPERLINK(...)`` stays text.
"""
from __future__ import annotations

import numbers
import pathlib
from typing import Sequence

from . import model
from .district_summary import write_district_sheet
from .doc_dates import chinese_date
from .run_record import write_run_record
from .tables import ROLE_LABELS
from .model import SHEET_CHECK, SHEET_FIRMS, SHEET_LINES, SHEET_REVIEW, SHEET_SUMMARY, SHEET_UNCLAIMED
from .xlsx_style import (
    HEADER_ROW,
    MAX_WIDTH,
    WRAP_WIDTH,
    Heading,
    Styles,
    display_width,
    finish_table,
    fit_width,
    max_display_width,
    money_width,
    page_layout,
    setup_page,
    sum_formula,
    write_header,
    write_paragraph,
    write_signatures,
    wrapped_lines,
    write_xlsx,
)

LINE_HEIGHT = 14       # points per line of wrapped 10 pt text (宋体 13.5; CJK fallback fonts a little more)
HEADER_LINE_HEIGHT = 14

# 汇总: the fixed headers (OUTPUTS.md), with the steps from 测算金额 to 核定金额 between 企业数 and
# 金额(元), which is the 核定金额.
SUMMARY_HEADERS = ["规则编号", "规则名称", "政策依据", "企业数", "测算金额(元)", "从高不重复抵扣(元)",
                   "第五条封顶核减(元)", "预算核减(元)", "金额(元)"]
SUMMARY_MONEY = ["computed_fen", "offset_fen", "art5_cut_fen", "budget_cut_fen", "approved_fen"]
SUMMARY_NOTE = ("注：金额为核定金额，即测算金额扣除从高不重复抵扣、第五条封顶核减和预算核减后的金额，"
                "与“企业汇总”表各奖励项目列的合计一致；合计行的企业数为获得奖励的企业户数（一户企业只计一次）。")

SUBTITLES = {
    SHEET_SUMMARY: "（按奖励项目汇总）",
    SHEET_FIRMS: "（按企业汇总　各奖励项目为核定金额，第五条封顶核减和预算核减已在其中扣除，列示备查）",
    SHEET_LINES: "（奖励计算明细）",
    SHEET_REVIEW: "（待核查事项）",
    SHEET_CHECK: "（输入数据核对）",
    SHEET_UNCLAIMED: "（海关数据达到条件但未申报的企业　可能金额上限仅供联系企业参考，不予兑现）",
}

# 明细: LINE_COLS -> Chinese header, kind of cell and, for wrapped text, the widest it may be.
LINE_HEADERS = [
    ("code", "统一社会信用代码", "text", None),
    ("name", "企业名称", "wrap", 18),
    ("rule_id", "规则编号", "text", None),
    ("rule_name", "规则名称", "wrap", 16),
    ("article", "政策依据", "text", None),
    ("basis_fen", "计算基数(元)", "money", None),
    ("computed_fen", "测算金额(元)", "money", None),
    ("offset_fen", "从高不重复抵扣(元)", "money", None),
    ("art5_cut_fen", "第五条封顶核减(元)", "money", None),
    ("budget_cut_fen", "预算核减(元)", "money", None),
    ("approved_fen", "核定金额(元)", "money", None),
    ("explanation", "计算说明", "wrap", 40),
]

# 待核查: REVIEW_COLS are already the Chinese headers; kind and width of those that are not plain text,
# and the room left for the clerk's hand in the last three.
REVIEW_KINDS = {"行号": ("int_or_text", None), "文件": ("wrap", 16), "工作表": ("wrap", 12), "列": ("wrap", 12),
                "值": ("wrap", 14), "企业名称": ("wrap", 16), "说明": ("wrap", 36), "处理建议": ("wrap", 28)}
REVIEW_ROOM = {"处理结果": 16, "经办人": 8, "处理日期": 10}

CHECK_HEADERS = ["文件", "工作表", "角色", "读取行数", "使用行数", "待核查行数", "合计行跳过数", "其中隐藏行数", "核对"]
CHECK_OK = "✓ 平衡"
CHECK_BAD = "✗ 不平衡"
CHECK_NOTE = (
    "核对关系：读取行数等于使用行数、待核查行数与合计行跳过数之和。"
    "“✓ 平衡”表示该工作表读到的每一行都有去向（计入测算、列入待核查或作为合计行跳过）；"
    "“✗ 不平衡”请联系技术人员。"
    "“其中隐藏行数”是读取行数中在原表里被隐藏或筛选掉的行：这些行照常读取和计算，如不应计算，请删除后重新运行。"
)

MODE_LABELS = {"report": "按测算金额兑现", "prorate": "按专项资金比例压减"}


def payout_filename(year: int) -> str:
    return f"{year}年度外贸奖励兑现表.xlsx"


def workbook_title(year: int) -> str:
    return f"{year}年度鸡西市外贸发展奖励兑现表"


def heading(result: model.RunResult) -> Heading:
    """The title, 制表单位 and date every table of the run carries."""
    return Heading(workbook_title(result.year), result.policy.preparer, chinese_date(result.issue_date))


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
    """One output column: header, cell kind, its values (fen ints for money) and, for wrapped
    text, the widest it may be before it wraps."""

    __slots__ = ("header", "kind", "values", "cap")

    def __init__(self, header: str, kind: str, values: list, cap: int | None = None) -> None:
        self.header = header
        self.kind = kind
        self.values = values
        self.cap = cap


def _width(col: _Col, header_wraps: bool = False) -> int:
    header = "" if header_wraps else col.header
    if col.kind == "money":
        w = money_width(col.values)
    elif col.kind in ("int", "int_or_text"):
        w = max_display_width(col.values)
    elif col.kind == "wrap":
        cap = col.cap or WRAP_WIDTH
        return fit_width(max_display_width(col.values, cap), header, cap)
    else:
        w = max_display_width(col.values)
    return fit_width(w, header, MAX_WIDTH)


def _table_widths(cols: Sequence[_Col]) -> list[int]:
    """Column widths of a printed table: money columns as wide as their largest amount (the 合计
    included) and their header wrapped; wrapped text within its cap but never narrower than half
    its header; other columns fit their header and values."""
    widths = []
    for col in cols:
        if col.kind == "money":
            sums = [sum(v for v in col.values if v is not None)]
            widths.append(max(money_width(col.values + sums) + 1, 9))
        elif col.kind == "wrap":
            widths.append(max(_width(col, header_wraps=True), display_width(col.header) // 2 + 2,
                              display_width(col.header) + 2 if display_width(col.header) <= 4 else 0))
        elif col.kind in ("int", "seq"):
            widths.append(max(max_display_width(col.values) + 1, display_width(col.header) + 2))
        elif col.kind == "text":
            # accounts (digits only) need no padding: a character unit is a little wider than a digit
            # at 10 pt; codes with letters get one unit more, as letters are wider in some fonts
            pad = 0 if all(v is None or str(v).isdigit() for v in col.values) else 1
            widths.append(min(max(max_display_width(col.values) + pad, display_width(col.header) + 2, 6), MAX_WIDTH))
        else:
            widths.append(_width(col))
    return widths


def _cell_writers(ws):
    """The worksheet's undecorated write methods (no argument parsing per cell), if present."""
    return (getattr(ws, "_write_string", ws.write_string), getattr(ws, "_write_number", ws.write_number),
            getattr(ws, "_write_blank", ws.write_blank))


def _row_heights(cols: Sequence[_Col], widths: Sequence[int], first_row: int) -> dict[int, int]:
    """Heights (points) for rows whose wrapped text needs more than one line (wrapped_lines)."""
    heights: dict[int, int] = {}
    for col, width in zip(cols, widths):
        if col.kind != "wrap":
            continue
        known: dict[str, int] = {}                 # names and sentences repeat: measure each once
        for i, text in enumerate(col.values):
            if text is None:
                continue
            text = str(text)
            lines = known.get(text)
            if lines is None:
                lines = known[text] = wrapped_lines(text, width)
            if lines > 1:
                row = first_row + i
                heights[row] = max(heights.get(row, 0), LINE_HEIGHT * lines + 3)
    return heights


def _write_columns(ws, styles: Styles, cols: Sequence[_Col], first_row: int = HEADER_ROW + 1,
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
            plan.append((1, values, styles.money_z, None))
        elif kind == "int":
            plan.append((1, col.values, styles.int, None))
        elif kind == "seq":                       # 序号, centred
            plan.append((1, col.values, styles.int_center, None))
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


def _write_wrapped_header(ws, styles: Styles, cols: Sequence[_Col], widths: Sequence[int]) -> None:
    """The header row, wrapped within the column widths, tall enough for the longest header."""
    lines = max((wrapped_lines(c.header, w) for c, w in zip(cols, widths)), default=1)
    if lines > 1:
        ws.set_row(HEADER_ROW, HEADER_LINE_HEIGHT * lines + 4)
    fmt = styles.header_wrap if lines > 1 else styles.header
    for c, col in enumerate(cols):
        ws.write_string(HEADER_ROW, c, col.header, fmt)


def _table_sheet(wb, styles: Styles, head: Heading, name: str, cols: Sequence[_Col], unit: str,
                 room: dict[str, int] | None = None) -> object:
    """A sheet that is one table: title block, header, data, widths (at least ``room`` for the
    columns named there), freeze, filter, page setup."""
    ws = wb.add_worksheet(name)
    widths = [max(w, (room or {}).get(c.header, 0)) for c, w in zip(cols, _table_widths(cols))]
    for c, (col, width) in enumerate(zip(cols, widths)):
        ws.set_column(c, c, width, styles.col_text if col.kind == "text" else None)
    head.write(ws, styles, widths, SUBTITLES[name], unit)
    _write_wrapped_header(ws, styles, cols, widths)
    _write_columns(ws, styles, cols, heights=_row_heights(cols, widths, first_row=HEADER_ROW + 1))
    n = len(cols[0].values) if cols else 0
    finish_table(ws, len(cols), HEADER_ROW + n, HEADER_ROW)
    setup_page(ws, f"{head.title} {name}", HEADER_ROW, **page_layout(widths))
    return ws


# --- the sheets ---------------------------------------------------------------

def rule_sums(lines) -> tuple[dict[str, dict[str, int]], dict[str, int], int]:
    """Per rule: Σ of each money step (SUMMARY_MONEY) and the firms with 核定金额 > 0; and the
    distinct firms paid."""
    if lines is None or len(lines) == 0:
        return {}, {}, 0
    sums = lines.groupby("rule_id", sort=False)[SUMMARY_MONEY].sum()
    paid = lines[lines["approved_fen"] > 0]
    firms = paid.groupby("rule_id", sort=False)["code"].nunique()
    return ({rid: {k: int(v) for k, v in row.items()} for rid, row in sums.iterrows()},
            {k: int(v) for k, v in firms.items()}, int(paid["code"].nunique()))


def _write_summary(wb, styles: Styles, result: model.RunResult, head: Heading) -> None:
    ws = wb.add_worksheet(SHEET_SUMMARY)
    ncols = len(SUMMARY_HEADERS)
    sums, firm_counts, paid_firms = rule_sums(result.lines)
    rows = [(rule.rule_id, rule.name, rule.article, firm_counts.get(rule.rule_id, 0),
             sums.get(rule.rule_id, dict.fromkeys(SUMMARY_MONEY, 0))) for rule in result.rules]
    # Lines of a rule not in result.rules would otherwise vanish from the totals.
    known = {rule.rule_id for rule in result.rules}
    other = {k: sum(v[k] for rid, v in sums.items() if rid not in known) for k in SUMMARY_MONEY}
    if any(other.values()):
        rows.append(("其他", "未列入规则顺序的规则", "", None, other))
    totals = {k: sum(r[4][k] for r in rows) for k in SUMMARY_MONEY}

    widths = [display_width(h) + 2 for h in SUMMARY_HEADERS]
    for r in rows:
        for c in range(3):
            widths[c] = max(widths[c], display_width(r[c]) + 1)
    for c, key in enumerate(SUMMARY_MONEY, 4):
        widths[c] = max(widths[c], money_width([totals[key]]) + 2)

    widths[2] = max(widths[2], money_width([result.total_fen, result.fund_fen, result.total_before_budget_fen]) + 2,
                    max(display_width(m) for m in MODE_LABELS.values()) + 2)
    widths = [min(w, MAX_WIDTH) for w in widths]
    head.write(ws, styles, widths, SUBTITLES[SHEET_SUMMARY])
    _write_wrapped_header(ws, styles, [_Col(h, "text", []) for h in SUMMARY_HEADERS], widths)
    r = HEADER_ROW + 1
    for rule_id, name, article, firms, money in rows:
        ws.write_string(r, 0, rule_id, styles.text)
        ws.write_string(r, 1, name, styles.text)
        ws.write_string(r, 2, article, styles.text)
        if firms is None:
            ws.write_blank(r, 3, None, styles.int)
        else:
            ws.write_number(r, 3, firms, styles.int)
        for c, key in enumerate(SUMMARY_MONEY, 4):
            ws.write_number(r, c, money[key] / 100, styles.money_z)
        r += 1
    last_rule_row = r - 1
    ws.write_string(r, 0, "合计", styles.total_label)
    ws.write_blank(r, 1, None, styles.total_label)
    ws.write_blank(r, 2, None, styles.total_label)
    ws.write_number(r, 3, paid_firms, styles.int_bold)
    for c, key in enumerate(SUMMARY_MONEY, 4):
        if rows:
            ws.write_formula(r, c, sum_formula(HEADER_ROW + 1, r - 1, c), styles.money_z_bold, totals[key] / 100)
        else:
            ws.write_number(r, c, 0, styles.money_z_bold)
    r += 1
    write_paragraph(ws, styles, r, ncols, SUMMARY_NOTE, 30, styles.note)
    r += 2

    # --- totals, fund, mode --------------------------------------------------
    def kv(label: str, writer, *args) -> None:
        nonlocal r
        ws.merge_range(r, 0, r, 1, label, styles.label)
        writer(r, 2, *args)
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
    factor = result.prorate_factor
    if factor is None:
        kv("压减系数", ws.write_string, "未压减", styles.text)
    else:
        num = getattr(factor, "numerator", factor)
        den = getattr(factor, "denominator", 1)
        kv("压减系数", ws.write_number, num / den, styles.factor)
    write_signatures(ws, styles, r, widths)

    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    finish_table(ws, ncols, last_rule_row, HEADER_ROW)
    setup_page(ws, f"{head.title} {SHEET_SUMMARY}", HEADER_ROW)


def _rule_header(rule: model.RuleInfo) -> str:
    """A rule column of 企业汇总: the rule's name, its id in brackets (the 规则编号 of 明细)."""
    return f"{rule.name}（{rule.rule_id}）"


def _write_firms(wb, styles: Styles, result: model.RunResult, head: Heading) -> None:
    firms = result.firms
    n = 0 if firms is None else len(firms)
    zeros = [0] * n
    cols = [
        _Col("序号", "seq", _values(firms, "seq")),
        _Col("统一社会信用代码", "text", _values(firms, "code")),
        _Col("企业名称", "wrap", _values(firms, "name"), cap=16),
        _Col("所属县区", "wrap", _values(firms, "district"), cap=8),
    ]
    rule_cols = []
    for rule in result.rules:
        rid = rule.rule_id
        vals = _values(firms, rid) if firms is not None and rid in firms.columns else zeros
        rule_cols.append(len(cols))
        cols.append(_Col(_rule_header(rule), "money", vals))
    cols += [
        _Col("第五条封顶核减(元)", "money", _values(firms, "art5_cut_fen")),
        _Col("预算核减(元)", "money", _values(firms, "budget_cut_fen")),
        _Col("兑现金额(元)", "money", _values(firms, "payout_fen")),
        _Col("开户银行", "wrap", _values(firms, "bank"), cap=10),
        _Col("银行账号", "text", _values(firms, "account")),
        _Col("状态", "text", _values(firms, "status")),
    ]
    widths = _table_widths(cols)

    ws = wb.add_worksheet(SHEET_FIRMS)
    for c, (col, w) in enumerate(zip(cols, widths)):
        ws.set_column(c, c, w, styles.col_text if col.kind == "text" else None)
    head.write(ws, styles, widths, SUBTITLES[SHEET_FIRMS])
    _write_wrapped_header(ws, styles, cols, widths)
    _write_columns(ws, styles, cols, heights=_row_heights(cols, widths, HEADER_ROW + 1))

    # Totals row: SUM formulas with the cached value, so readers that do not
    # recalculate (pandas, openpyxl data_only) see the number.
    t = HEADER_ROW + n + 1
    ws.write_string(t, 0, "合计", styles.total_label)
    for c, col in enumerate(cols[1:], 1):
        if col.kind == "money":
            total = sum(v for v in col.values if v is not None)
            if n:
                ws.write_formula(t, c, sum_formula(HEADER_ROW + 1, t - 1, c), styles.money_z_bold, total / 100)
            else:
                ws.write_number(t, c, 0, styles.money_z_bold)
        else:
            ws.write_blank(t, c, None, styles.total_label)

    finish_table(ws, len(cols), HEADER_ROW + n, HEADER_ROW)
    setup_page(ws, f"{head.title} {SHEET_FIRMS}", HEADER_ROW, **page_layout(widths))


def _write_lines(wb, styles: Styles, result: model.RunResult, head: Heading) -> None:
    lines = result.lines
    cols = [_Col(h, kind, _values(lines, key), cap) for key, h, kind, cap in LINE_HEADERS]
    _table_sheet(wb, styles, head, SHEET_LINES, cols, "单位：元")


def _write_review(wb, styles: Styles, result: model.RunResult, head: Heading) -> None:
    review = result.review
    cols = []
    for h in model.REVIEW_SHEET_COLS:
        kind, cap = REVIEW_KINDS.get(h, ("text", None))
        values = _values(review, h) if h in review else [None] * len(review)
        cols.append(_Col(h, kind, values, cap))
    _table_sheet(wb, styles, head, SHEET_REVIEW, cols, "", REVIEW_ROOM)


# 应享未享: unclaimed.COLUMNS -> header, kind of cell, widest before wrapping
UNCLAIMED_HEADERS = [
    ("统一社会信用代码", "统一社会信用代码", "text", None),
    ("企业名称", "企业名称", "wrap", 18),
    ("规则编号", "规则编号", "text", None),
    ("规则名称", "规则名称", "wrap", 14),
    ("海关数据依据", "海关数据依据", "wrap", 40),
    ("缺少的申报项", "缺少的申报项", "wrap", 14),
    ("bound_fen", "可能金额上限(元)", "money", None),
    ("联系方式", "联系方式", "wrap", 20),
]


def _write_unclaimed(wb, styles: Styles, result: model.RunResult, head: Heading) -> None:
    """应享未享 (OUTPUTS.md): one row per firm × rule, the upper bound in 元; written in every run."""
    table = result.unclaimed
    cols = [_Col(h, kind, _values(table, key), cap) for key, h, kind, cap in UNCLAIMED_HEADERS]
    _table_sheet(wb, styles, head, SHEET_UNCLAIMED, cols, "单位：元")


def _write_check(wb, styles: Styles, result: model.RunResult, head: Heading) -> None:
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
    widths = [_width(col) for col in cols] + [fit_width(display_width(CHECK_BAD), "核对")]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w, styles.col_text if c < len(cols) and cols[c].kind == "text" else None)
    head.write(ws, styles, widths, SUBTITLES[SHEET_CHECK], "单位：行")
    write_header(ws, headers, styles, HEADER_ROW)
    # one row at a time: the 核对 cell belongs to its row (constant_memory row order)
    for i, a in enumerate(accts):
        r = HEADER_ROW + 1 + i
        _write_columns(ws, styles, [_Col(c.header, c.kind, c.values[i:i + 1]) for c in cols], first_row=r)
        if a.balanced:
            ws.write_string(r, len(cols), CHECK_OK, styles.ok)
        else:
            ws.write_string(r, len(cols), CHECK_BAD, styles.bad)
    note_row = HEADER_ROW + len(accts) + 2
    write_paragraph(ws, styles, note_row, len(headers), CHECK_NOTE, 48, styles.note)
    finish_table(ws, len(headers), HEADER_ROW + len(accts), HEADER_ROW)
    setup_page(ws, f"{head.title} {SHEET_CHECK}", HEADER_ROW)


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
    normally ``payout_filename(result.year)`` inside the run's temporary folder)."""
    head = heading(result)

    def fill(wb, styles: Styles) -> None:
        _write_summary(wb, styles, result, head)
        write_district_sheet(wb, styles, result, head)
        _write_firms(wb, styles, result, head)
        _write_lines(wb, styles, result, head)
        _write_review(wb, styles, result, head)
        _write_unclaimed(wb, styles, result, head)
        _write_check(wb, styles, result, head)
        write_run_record(wb, styles, result, head)

    write_xlsx(path, fill, {
        "title": head.title,
        "subject": "鸡西市支持对外贸易发展奖励兑现",
        "author": result.policy.preparer,
        "comments": f"jixi-batch {result.program_version} {result.run_time}",
    }, constant_memory=_constant_memory(result))
