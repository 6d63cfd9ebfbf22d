"""One sheet, its role and header known, to a tidy table plus review rows.

Rows below the header that are empty are not counted; total rows (合计/总计/小计 in one
of the first three non-empty cells, and no valid credit code) are skipped and counted;
every other row is read and either used or listed for review — one review row per
problem cell, the row counted once. Columns are parsed a whole column at a time
(values.py), never row by row.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from ..model import (CUSTOMS_COLS, FIRM_COLS, LOAN_COLS, OTHER_AWARD_COLS, PROVINCE_COLS,
                     REVIEW_COLS, ROLE_CUSTOMS, ROLE_FIRMS, ROLE_LOANS, ROLE_OTHER, ROLE_PROVINCE,
                     SheetAccount)
from ..review import empty as empty_review
from . import codes as codes_mod
from . import columns as C
from . import values as V
from .roles import Layout, cell_filled, title_year, total_rows

TABLE_COLS = {
    ROLE_CUSTOMS: CUSTOMS_COLS,
    ROLE_PROVINCE: PROVINCE_COLS,
    ROLE_FIRMS: FIRM_COLS,
    ROLE_LOANS: LOAN_COLS,
    ROLE_OTHER: OTHER_AWARD_COLS,
}
INT_FIELDS = {"year", "month", "quantity_milli", "amount_fen", "landing_rate_ppm", "coal_landed_g",
              "local_export_fen", "platform_fee_fen", "promo_fee_fen", "served_firms", "bank_fee_fen",
              "principal_fen", "days", "interest_paid_fen", "src_row"}
BOOL_FIELDS = {"newly_introduced", "processing_type"}

# review categories
CAT_CODE_MISSING = "缺少统一社会信用代码"
CAT_CODE_INVALID = "统一社会信用代码无效"
CAT_BAD_CHECK = "校验码错误"
CAT_FORMAT = "数据格式错误"
CAT_NEGATIVE = "金额为负"
CAT_UNKNOWN_ITEM = "未知奖励项目"
CAT_UNKNOWN_RULE = "未知规则编号"
CAT_DUPLICATE = "重复申报"
CAT_OTHER_YEAR = "非计算年度"
CAT_REPEATED_HEADER = "重复表头行"
NOT_USED = "，该行未使用"


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


@dataclass
class ReadContext:
    """What reading needs from the policy file."""

    items: dict[str, tuple[str, str]]      # normalised item name -> (item name, rule id)
    rule_ids: set[str]
    tonnes_per_unit: dict[str, Decimal]    # normalised unit -> tonnes per unit

    @classmethod
    def from_policy(cls, policy: dict) -> "ReadContext":
        items = {_key(str(name)): (str(name), str(rule)) for name, rule in
                 (policy.get("province_items") or {}).items()}
        rule_ids = {str(r) for r in (policy.get("rule_order") or [])}
        units = ((policy.get("codes") or {}).get("quantity_units") or {})
        tonnes = {_key(str(u)): Decimal(str(t)) for u, t in units.items()}
        return cls(items, rule_ids, tonnes)


@dataclass
class SheetResult:
    file: str
    sheet: str
    role: str
    table: pd.DataFrame
    review: pd.DataFrame
    account: SheetAccount
    headers: dict[str, str]                 # tidy field -> header text in the file
    warnings: list[str] = field(default_factory=list)
    year_months: set = field(default_factory=set)   # customs: every (year, month) read, used or not
    percent_ones: dict[str, int] = field(default_factory=dict)   # header -> cells holding 1 (落地率)


class _Problems:
    """Review entries collected column by column, built into one frame at the end."""

    def __init__(self, n: int):
        self.n = n
        self.parts: list[tuple] = []
        self.bad = np.zeros(n, dtype=bool)

    def add(self, mask: np.ndarray, header: str, cells: np.ndarray, category, message):
        """The rows in ``mask``: their ``cells`` (raw values of the column) shown as text."""
        if not mask.any():
            return
        self.bad |= mask
        idx = np.flatnonzero(mask)
        cat = category[idx] if isinstance(category, np.ndarray) else np.full(len(idx), category, dtype=object)
        msg = message[idx] if isinstance(message, np.ndarray) else np.full(len(idx), message, dtype=object)
        self.parts.append((idx, header, _texts(cells[idx]), cat, msg))

    def frame(self, file: str, sheet: str, rownum: np.ndarray, code: np.ndarray, name: np.ndarray,
              col_order: dict[str, int]) -> pd.DataFrame:
        if not self.parts:
            return empty_review()
        idx = np.concatenate([p[0] for p in self.parts])
        out = pd.DataFrame({
            "类别": np.concatenate([p[3] for p in self.parts]),
            "文件": file,
            "工作表": sheet,
            "行号": rownum[idx],
            "列": np.concatenate([np.full(len(p[0]), p[1], dtype=object) for p in self.parts]),
            "值": np.concatenate([p[2] for p in self.parts]),
            "统一社会信用代码": code[idx],
            "企业名称": name[idx],
            "说明": np.concatenate([p[4] for p in self.parts]),
        })
        out["_order"] = out["列"].map(col_order).fillna(999)
        out = out.sort_values(["行号", "_order"], kind="stable").drop(columns="_order")
        out["行号"] = out["行号"].astype("Int64")
        return out.reset_index(drop=True)[REVIEW_COLS]


def _texts(col: np.ndarray, memo: dict | None = None) -> np.ndarray:
    values, _ = V.map_unique(col, V.parse_text, memo)
    return values


def _message(header: str, errors: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = np.empty(len(errors), dtype=object)
    out[mask] = [f"{header}：{e}{NOT_USED}" for e in errors[mask]]
    return out


def tidy_sheet(grid: np.ndarray, layout: Layout, file: str, sheet: str, ctx: ReadContext,
               filled: np.ndarray | None = None) -> SheetResult:
    """Parse the data rows of one sheet (below ``layout.header_row``) for its role.

    ``filled`` is the reader's mask of non-empty cells of ``grid``, if it has one."""
    start = layout.header_row + 1
    return tidy_rows(grid[start:], None if filled is None else filled[start:], start, layout,
                     title_year(grid, layout.header_row), file, sheet, ctx)


def tidy_rows(region: np.ndarray, filled: np.ndarray | None, start: int, layout: Layout,
              year: int | None, file: str, sheet: str, ctx: ReadContext, memos: dict | None = None) -> SheetResult:
    """Parse data rows of a sheet: ``region`` is the grid from grid row ``start`` (Excel row
    ``start + 1``) on, below the header; ``year`` the year named in the sheet's title lines.

    A big sheet is parsed a run of rows at a time (:func:`merge_results` joins the runs);
    ``memos`` (one dict for the sheet) keeps each column's parsed values from run to run."""
    memos = {} if memos is None else memos
    role = layout.spec.role
    filled = cell_filled(region, filled, layout.width) if region.size \
        else np.zeros(region.shape, dtype=bool)
    nonempty = filled.any(axis=1) if region.size else np.zeros(len(region), dtype=bool)
    totals = total_rows(region, filled) & nonempty if region.size else np.zeros(len(region), dtype=bool)
    rows_read = int(nonempty.sum())

    code_match = layout.columns["统一社会信用代码"]
    code_raw = region[:, code_match.index] if region.size else np.empty(len(region), dtype=object)
    code_text, status = V.map_unique(code_raw, _parse_code, memos.setdefault("code", {}))
    valid = (status == codes_mod.OK) | (status == codes_mod.BAD_CHECK)
    totals &= ~valid
    keep = nonempty & ~totals
    rows = region[keep]
    n = len(rows)
    rownum = (np.flatnonzero(keep) + start + 1).astype(np.int64)
    code_text, status, code_raw = code_text[keep], status[keep], code_raw[keep]
    problems = _Problems(n)
    headers = {m.column.field or m.column.header: m.header_text for m in layout.columns.values()}
    col_order = {m.header_text: m.index for m in layout.columns.values()}
    warnings = [f"文件“{file}”工作表“{sheet}”有重复的列“{h}”，只使用第一列" for h in layout.duplicates]
    percent_ones: dict[str, int] = {}

    problems.add(status == codes_mod.MISSING, code_match.header_text, code_raw, CAT_CODE_MISSING,
                 f"{code_match.header_text}：缺少统一社会信用代码{NOT_USED}")
    # the header row again further down (tables pasted one under another): one review row, not
    # one per cell that is a header text instead of a value
    repeated = (status == codes_mod.INVALID) & (code_text == codes_mod.normalise_code(code_match.header_text))
    problems.add(repeated, code_match.header_text, code_raw, CAT_REPEATED_HEADER,
                 f"该行与表头相同（重复的表头行）{NOT_USED}")
    invalid = (status == codes_mod.INVALID) & ~repeated
    if invalid.any():
        reasons, _ = V.map_unique(code_text[invalid], lambda c: (codes_mod.invalid_reason(c), None))
        messages = np.empty(n, dtype=object)
        messages[invalid] = [f"{code_match.header_text}{r}{NOT_USED}" for r in reasons]
        problems.add(invalid, code_match.header_text, code_raw, CAT_CODE_INVALID, messages)

    name_match = layout.columns.get("企业名称")
    names = _texts(rows[:, name_match.index], memos.setdefault("name", {})) if name_match \
        else np.full(n, "", dtype=object)

    data: dict[str, np.ndarray] = {"code": code_text, "name": names}
    for match in layout.columns.values():
        column = match.column
        if column.kind in (C.CODE,) or not column.field or column.field == "name":
            continue
        col = rows[:, match.index]
        header = match.header_text
        memo = memos.setdefault(column.field, {})
        kind = column.kind
        category = CAT_FORMAT
        if kind == C.TEXT:
            data[column.field] = _texts(col, memo)
            continue
        if kind in (C.MONEY, C.MONEY_SIGNED):
            scale = C.money_scale(match.unit) * 100
            what = "金额（元）" if scale == 100 else f"金额（{match.unit}）"
            vals, errs = V.scaled_integers(col, scale, kind == C.MONEY_SIGNED, what)
        elif kind == C.QUANTITY:
            vals, errs = V.scaled_integers(col, 1000, True, "数量")
        elif kind == C.TONNES:
            tonnes = ctx.tonnes_per_unit.get(_key(match.unit), Decimal(1)) if match.unit else Decimal(1)
            if match.unit and _key(match.unit) not in ctx.tonnes_per_unit:
                warnings.append(f"文件“{file}”工作表“{sheet}”列“{header}”的单位无法识别，按吨计")
            vals, errs = V.scaled_integers(col, tonnes * 1_000_000, False, "数量（吨）")
        elif kind == C.INTEGER:
            vals, errs = V.scaled_integers(col, 1, False, "整数", integer_only=True)
        elif kind == C.PERCENT:
            vals, errs = V.map_unique(col, V.parse_percent_ppm, memo)
            ones = sum(1 for v in col if isinstance(v, (int, float)) and not isinstance(v, bool) and v == 1)
            if ones:
                percent_ones[header] = ones
        elif kind in _VALUE_PARSERS:
            vals, errs = V.map_unique(col, _VALUE_PARSERS[kind], memo)
        elif kind == C.YEAR_MONTH:
            vals, errs = V.map_unique(col, lambda v: _year_month(v, year), memo)
        elif kind == C.ITEM:
            vals, errs = V.map_unique(col, lambda v: _parse_item(v, ctx), memo)
            category = CAT_UNKNOWN_ITEM
        elif kind == C.RULE_ID:
            vals, errs = V.map_unique(col, lambda v: _parse_rule(v, ctx), memo)
            category = CAT_UNKNOWN_RULE
        else:  # pragma: no cover - every kind is handled above
            raise AssertionError(kind)
        bad = (errs != None) & ~repeated  # noqa: E711
        if bad.any():
            cats = np.full(n, category, dtype=object)
            cats[errs == "不能为负数"] = CAT_NEGATIVE
            problems.add(bad, header, col, cats, _message(header, errs, bad))
        data[column.field] = vals

    data, missing_warnings = _complete(role, data, n, layout, file, sheet)
    warnings += missing_warnings
    used = ~problems.bad
    year_months = {v for v in data["ym"] if v is not None} if role == ROLE_CUSTOMS else set()
    table = _table(role, data, used, file, sheet, rownum)
    review = problems.frame(file, sheet, rownum, code_text, names, col_order)
    account = SheetAccount(file=file, sheet=sheet, role=role, rows_read=rows_read,
                           rows_used=int(used.sum()), rows_review=int(problems.bad.sum()),
                           rows_total_skipped=int(totals.sum()))
    return SheetResult(file, sheet, role, table, review, account, headers, warnings, year_months, percent_ones)


def merge_results(parts: list[SheetResult]) -> SheetResult:
    """One sheet's result from the results of its runs of rows (in row order)."""
    first = parts[0]
    if len(parts) > 1:
        table = pd.concat([p.table for p in parts], ignore_index=True)
        reviews = [p.review for p in parts if len(p.review)]
        review = pd.concat(reviews, ignore_index=True) if reviews else first.review
        account = SheetAccount(file=first.file, sheet=first.sheet, role=first.role,
                               **{k: sum(getattr(p.account, k) for p in parts)
                                  for k in ("rows_read", "rows_used", "rows_review", "rows_total_skipped")})
        ones: dict[str, int] = {}
        for part in parts:
            for header, count in part.percent_ones.items():
                ones[header] = ones.get(header, 0) + count
        first = SheetResult(first.file, first.sheet, first.role, table, review, account, first.headers,
                            list(dict.fromkeys(w for p in parts for w in p.warnings)),
                            set().union(*(p.year_months for p in parts)), ones)
    return first


def sheet_warnings(result: SheetResult) -> list[str]:
    """The sheet's warnings, with the counts of 落地率 cells holding 1."""
    return result.warnings + [
        f"文件“{result.file}”工作表“{result.sheet}”列“{header}”有 {count} 个值填写为 1，"
        "按 100% 理解（0.55 或 55 都表示 55%）" for header, count in result.percent_ones.items()]


# column kinds whose cells are parsed by a function of the cell alone
_VALUE_PARSERS = {
    C.BOOL: V.parse_bool,
    C.DATE: V.parse_date,
    C.DIRECTION: V.parse_direction,
    C.TRADE_MODE: V.parse_trade_mode,
    C.HS_CODE: V.parse_hs_code,
    C.ACCOUNT: V.parse_account,
}


def _parse_code(value):
    code = codes_mod.normalise_code(value)
    return code, codes_mod.code_status(code)


def _year_month(value, title_year: int | None):
    """年月; a bare month takes the year of the title line, without one it is an error."""
    ym, error = V.parse_year_month(value)
    if error or ym[0] is not None:
        return ym, error
    if title_year is None:
        return None, "只有月份，无法确定年份，应填写如 202305"
    return (title_year, ym[1]), None


def _parse_item(value, ctx: ReadContext):
    text = V.as_text(value)
    if not text:
        return ("", ""), "缺少奖励项目"
    found = ctx.items.get(_key(text))
    if found is None:
        return ("", ""), "不是政策文件中的省级奖励项目（" + "、".join(v[0] for v in ctx.items.values()) + "）"
    return found, None


def _parse_rule(value, ctx: ReadContext):
    text = _key(V.as_text(value))
    if not text:
        return "", "缺少规则编号"
    if text not in ctx.rule_ids:
        return "", "不是政策文件中的规则编号（" + "、".join(sorted(ctx.rule_ids)) + "）"
    return text, None


_DEFAULTS = {C.TEXT: "", C.ACCOUNT: "", C.BOOL: False}


def _complete(role: str, data: dict, n: int, layout: Layout, file: str, sheet: str):
    """Fill optional columns the sheet lacks (text '', numbers 0, flags False) and say so."""
    warnings = []
    for column in C.SPEC_BY_ROLE[role].columns:
        if not column.field or column.field in data:
            continue
        data[column.field] = np.full(n, _DEFAULTS.get(column.kind, 0), dtype=object)
        if role in (ROLE_FIRMS,) or column.field in ("quantity_milli", "unit"):
            warnings.append(f"文件“{file}”工作表“{sheet}”没有“{column.header}”列，按空值处理")
    return data, warnings


def _table(role: str, data: dict, used: np.ndarray, file: str, sheet: str, rownum: np.ndarray) -> pd.DataFrame:
    cols = {}
    if role == ROLE_CUSTOMS:
        ym = data.pop("ym")[used]
        cols["year"] = np.array([v[0] for v in ym], dtype=np.int64)
        cols["month"] = np.array([v[1] for v in ym], dtype=np.int64)
    if role == ROLE_PROVINCE:
        item = data.pop("item")[used]
        cols["item"] = np.array([v[0] for v in item], dtype=object)
        cols["rule_id"] = np.array([v[1] for v in item], dtype=object)
    for key, values in data.items():
        cols[key] = values[used]
    cols["src_file"] = np.full(int(used.sum()), file, dtype=object)
    cols["src_sheet"] = np.full(int(used.sum()), sheet, dtype=object)
    cols["src_row"] = rownum[used]
    return typed_frame(role, cols)


def typed_frame(role: str, cols: dict | None = None) -> pd.DataFrame:
    """A frame with exactly the role's columns and their dtypes (empty when ``cols`` is None)."""
    out = {}
    for name in TABLE_COLS[role]:
        values = cols.get(name) if cols else None
        if values is None:
            values = np.empty(0, dtype=object)
        if name in INT_FIELDS:
            out[name] = pd.Series(np.asarray(values, dtype=np.int64), dtype=np.int64)
        elif name in BOOL_FIELDS:
            out[name] = pd.Series(np.asarray(values, dtype=bool), dtype=bool)
        elif name == "issue_date":
            out[name] = pd.Series(pd.to_datetime(pd.Series(values, dtype=object))).astype("datetime64[ns]")
        else:
            out[name] = pd.Series(values, dtype=object).astype(str) if len(values) else pd.Series(dtype=str)
    return pd.DataFrame(out)[TABLE_COLS[role]]
