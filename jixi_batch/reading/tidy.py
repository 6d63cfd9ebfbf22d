"""The rows of a sheet whose layout is known, to a tidy table plus review rows.

A sheet is read a block of rows at a time (:mod:`.workbooks`): :class:`SheetReader` keeps what
carries from block to block (each column's parsed values, the value of a cell merged down over
rows) and joins the blocks' results. Rows below the header that are empty are not counted;
total rows (合计/总计/小计 in one of the first three non-empty cells, and no valid credit code) are
skipped and counted; every other row is read and either used or listed for review — one review
row per problem cell, the row counted once. Columns are parsed a whole column at a time
(values.py), never row by row.

Where the layout says so (:mod:`.layout`), a row gives one tidy row per direction (import and
export amounts in a pair of columns), takes the direction or the period written outside the
table, and converts amounts in the unit the sheet names.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable
from decimal import Decimal

import numpy as np
import pandas as pd

from ..model import REVIEW_COLS, SheetAccount
from ..policy import Policy
from ..review import empty as empty_review
from ..tables import Customs, Firms, Table
from . import codes as codes_mod
from . import values as V
from .duplicate_rows import fingerprints
from .layout import Binding, Layout
from .scan import cell_filled, total_rows

# review categories
CAT_CODE_MISSING = "缺少统一社会信用代码"
CAT_CODE_INVALID = "统一社会信用代码无效"
CAT_BAD_CHECK = "校验码错误"
CAT_FORMAT = "数据格式错误"
CAT_NEGATIVE = "金额为负"
CAT_UNKNOWN_ITEM = "未知奖励项目"
CAT_UNKNOWN_RULE = "未知规则编号"
CAT_DUPLICATE = "重复申报"
CAT_COPY = "重复行"
CAT_OTHER_YEAR = "非计算年度"
CAT_REPEATED_HEADER = "重复表头行"
CAT_MERGED = "合并单元格"
CAT_PERIOD = "非全年累计"
CAT_QUANTITY_SPLIT = "数量无法区分进出口"
CAT_ACCOUNT = "银行账号有误"
NOT_USED = "，该行未纳入计算"


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


@dataclass
class ReadContext:
    """What reading needs from the policy file."""

    items: dict[str, tuple[str, str]]      # normalised item name -> (item name, rule id)
    rule_ids: set[str]
    tonnes_per_unit: dict[str, Decimal]    # unit as written and normalised -> tonnes per unit
    trade_modes: dict[str, str]            # trade-mode name key -> 4-digit code
    # each column's parsed values, kept across blocks, sheets and files: a firm's code, say,
    # is checked once in a run (values.map_unique)
    memos: dict = field(default_factory=dict)

    @classmethod
    def from_policy(cls, policy: Policy) -> "ReadContext":
        items = {_key(name): (name, rule) for name, rule in policy.province_items.items()}
        tonnes = {}
        for unit, per in policy.codes.tonnes_per_unit.items():
            tonnes[unit] = tonnes[_key(unit)] = per
        modes = {V.trade_mode_key(name): code for name, code in policy.codes.trade_mode_names.values.items()}
        return cls(items, set(policy.rule_order), tonnes, modes)


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
    year_months: Counter = field(default_factory=Counter)   # customs: rows per (year, month), used or not
    percent_ones: dict[str, int] = field(default_factory=dict)   # header -> cells holding 1 (落地率)
    notes: list[str] = field(default_factory=list)  # how the sheet's shape was understood
    prints: pd.DataFrame | None = None      # the used rows' fingerprints: src_row, fp1, fp2 (duplicate_rows)


class _Problems:
    """Review entries collected column by column, built into one frame at the end."""

    def __init__(self, n: int):
        self.n = n
        self.parts: list[tuple] = []
        self.bad = np.zeros(n, dtype=bool)

    def add(self, mask: np.ndarray, header: str, cells: np.ndarray, category, message, use_row: bool = False):
        """The rows in ``mask``: their ``cells`` (raw values of the column) shown as text. The rows are
        not used, unless ``use_row`` (a value to check, such as an account, that must not drop the row)."""
        if not mask.any():
            return
        if not use_row:
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


def _texts(col: np.ndarray, memo: dict | None = None, factors: dict | None = None) -> np.ndarray:
    values, _ = V.map_unique(col, V.parse_text, memo, factors)
    return values


def _message(header: str, errors: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = np.empty(len(errors), dtype=object)
    out[mask] = [f"{header}：{e}{NOT_USED}" for e in errors[mask]]
    return out


class SheetReader:
    """Reads the data rows of one sheet, a block at a time (:meth:`rows`), into one result."""

    def __init__(self, layout: Layout, file: str, sheet: str, ctx: ReadContext, merges=(),
                 hidden_rows: Callable[[], list[int]] = list):
        self.layout = layout
        self.hidden_rows = hidden_rows      # the sheet's hidden rows known so far (workbooks.Sheet)
        self.file, self.sheet, self.ctx = file, sheet, ctx
        self.memos = ctx.memos
        self.parts: list[SheetResult] = []
        start = layout.data_row
        self.merges = [m for m in merges if m[0] >= start and (m[2] > m[0] or m[3] > m[1])]
        self.merge_values: dict = {}
        self.filled_merges: set = set()
        self.number_columns = {b.index: b for b in layout.all_bindings() if b.column.kind.number}

    def rows(self, region: np.ndarray, filled: np.ndarray | None, start: int) -> None:
        """Parse a run of data rows: ``region`` is the grid from grid row ``start`` (Excel row
        ``start + 1``) on, at least as wide as the header."""
        merged = None
        if self.merges:
            region, filled, merged = self._fill_merges(region, filled, start)
        hidden = np.zeros(len(region), dtype=bool)
        rows = np.asarray(self.hidden_rows(), dtype=np.int64)
        hidden[rows[(rows >= start) & (rows < start + len(region))] - start] = True
        self.parts.append(_tidy_rows(region, filled, start, self.layout, self.file, self.sheet, self.ctx,
                                     self.memos, merged, hidden))

    def _fill_merges(self, region: np.ndarray, filled, start: int):
        """A value written once in a cell merged down over rows applies to every row it spans; a
        figure merged over rows cannot be given to each, and those rows are listed for review."""
        end = start + len(region)
        merged: dict[int, tuple[Binding, object, tuple]] = {}
        copied = False
        for merge in self.merges:
            r0, c0, r1, c1 = merge
            if r1 < start or r0 >= end:
                continue
            if start <= r0 < end and c0 < region.shape[1]:
                self.merge_values[merge] = region[r0 - start, c0]
            value = self.merge_values.get(merge)
            rows = range(max(r0, start) - start, min(r1, end - 1) - start + 1)
            figures = [b for i, b in self.number_columns.items() if c0 <= i <= c1]
            if figures and r1 > r0:
                for r in rows:
                    merged.setdefault(r, (figures[0], value, merge))
                continue
            if value is None:
                continue
            if not copied:
                region = region.copy()
                filled = None if filled is None else filled.copy()
                copied = True
            last = min(c1, region.shape[1] - 1)
            self.filled_merges.add(merge)
            for r in rows:
                for c in range(c0, last + 1):
                    if region[r, c] is None:
                        region[r, c] = value
                        if filled is not None:
                            filled[r, c] = True
        return region, filled, merged

    def result(self) -> SheetResult:
        result = merge_results(self.parts)
        result.notes = list(self.layout.notes)
        result.warnings = list(self.layout.warnings) + result.warnings
        down = [m for m in self.filled_merges if m[2] > m[0]]
        if down:
            result.notes.append(f"有 {len(down)} 处单元格向下合并，合并格中的内容已用于它覆盖的每一行")
        return result


def _parse_column(binding: Binding, col: np.ndarray, ctx: ReadContext, memo: dict, title_year, factors: dict):
    """(values, errors, category, percent ones) of one bound column."""
    kind = binding.column.kind.name
    if kind in ("money", "money_signed"):
        unit = f"（{binding.unit}）" if binding.unit else "（元）"
        vals, errs = V.scaled_integers(col, binding.scale, kind == "money_signed", "金额" + unit)
    elif kind == "quantity":
        vals, errs = V.quantities(col)
    elif kind == "tonnes":
        vals, errs = V.map_unique(col, V.make_exact_parser(binding.scale, "数量（吨）"), memo, factors)
    elif kind == "integer":
        vals, errs = V.scaled_integers(col, 1, False, "整数", integer_only=True)
    elif kind == "percent":
        vals, errs = V.map_unique(col, V.parse_percent, memo, factors)
    elif kind == "trade_mode":
        vals, errs = V.map_unique(col, lambda v: V.parse_trade_mode(v, ctx.trade_modes), memo, factors)
    elif kind == "period":
        vals, errs = V.map_unique(col, lambda v: _period(v, title_year), memo, factors)
        category = np.full(len(col), CAT_FORMAT, dtype=object)
        category[np.fromiter((e is not None and "累计" in e for e in errs), dtype=bool, count=len(errs))] = CAT_PERIOD
        return vals, errs, category
    elif kind == "item":
        vals, errs = V.map_unique(col, lambda v: _parse_item(v, ctx), memo, factors)
        return vals, errs, CAT_UNKNOWN_ITEM
    elif kind == "rule_id":
        vals, errs = V.map_unique(col, lambda v: _parse_rule(v, ctx), memo, factors)
        return vals, errs, CAT_UNKNOWN_RULE
    else:
        vals, errs = V.map_unique(col, _VALUE_PARSERS[kind], memo, factors)
    return vals, errs, CAT_FORMAT


def _tidy_rows(region: np.ndarray, filled: np.ndarray | None, start: int, layout: Layout, file: str, sheet: str,
               ctx: ReadContext, memos: dict, merged: dict | None, hidden: np.ndarray) -> SheetResult:
    table = layout.table
    filled = cell_filled(region, filled, layout.width) if region.size \
        else np.zeros(region.shape, dtype=bool)
    nonempty = filled.any(axis=1) if region.size else np.zeros(len(region), dtype=bool)
    totals = total_rows(region, filled) & nonempty if region.size else np.zeros(len(region), dtype=bool)
    rows_read = int(nonempty.sum())

    code_match = layout.bindings["code"]
    code_raw = region[:, code_match.index] if region.size else np.empty(len(region), dtype=object)
    factors: dict = {}      # how each read column was factorized (for the rows' fingerprints)
    code_text, status = V.map_unique(code_raw, _parse_code, memos.setdefault("code", {}), factors)
    code_factors = factors.pop(id(code_text), None)         # None: no rows
    valid = (status == codes_mod.OK) | (status == codes_mod.BAD_CHECK)
    totals &= ~valid
    keep = nonempty & ~totals
    rows = region[keep]
    n = len(rows)
    rownum = (np.flatnonzero(keep) + start + 1).astype(np.int64)
    code_text, status, code_raw = code_text[keep], status[keep], code_raw[keep]
    if code_factors is not None:
        factors[id(code_text)] = (code_text, code_factors[1], code_factors[2][keep])
    problems = _Problems(n)
    headers = {b.column.field: b.header for b in layout.all_bindings()}
    col_order = {b.header: b.index for b in layout.all_bindings()}
    warnings = [f"文件“{file}”工作表“{sheet}”有重复的列“{h}”，只使用第一列" for h in layout.duplicates]
    percent_ones: dict[str, int] = {}

    problems.add(status == codes_mod.MISSING, code_match.header, code_raw, CAT_CODE_MISSING,
                 f"未填写统一社会信用代码{NOT_USED}")
    # the header row again further down (tables pasted one under another): one review row, not
    # one per cell that is a header text instead of a value
    repeated = (status == codes_mod.INVALID) & (code_text == codes_mod.normalise_code(code_match.header.split("/")[-1]))
    problems.add(repeated, code_match.header, code_raw, CAT_REPEATED_HEADER,
                 f"该行与表头相同（重复的表头行）{NOT_USED}")
    invalid = (status == codes_mod.INVALID) & ~repeated
    if invalid.any():
        reasons, _ = V.map_unique(code_text[invalid], lambda c: (codes_mod.invalid_reason(c), None))
        messages = np.empty(n, dtype=object)
        messages[invalid] = [f"{code_match.header}{r}{NOT_USED}" for r in reasons]
        problems.add(invalid, code_match.header, code_raw, CAT_CODE_INVALID, messages)
    if merged:
        _merged_problems(problems, merged, keep, n)

    name_match = layout.bindings.get("name")
    names = _texts(rows[:, name_match.index], memos.setdefault("name", {}), factors) if name_match \
        else np.full(n, "", dtype=object)

    data: dict[str, np.ndarray] = {"code": code_text, "name": names}
    for binding in layout.bindings.values():
        field_name = binding.column.field
        if field_name in ("code", "name") or not binding.column.keep:     # 商品名称: recognised, not kept
            continue
        col = rows[:, binding.index]
        if binding.column.kind.name == "text" or binding.column.kind.name == "code":
            data[field_name] = _texts(col, memos.setdefault(field_name, {}), factors)
            continue
        memo = memos.setdefault((field_name, layout.title_year) if field_name == "period" else field_name, {})
        vals, errs, category = _parse_column(binding, col, ctx, memo, layout.title_year, factors)
        _add_errors(problems, binding, col, vals, errs, category, repeated)
        if binding.column.declaration:
            data[binding.column.given_field] = np.fromiter((not V.is_empty(v) for v in col), dtype=bool,
                                                           count=len(col))
        if binding.column.kind.name == "percent":
            ones = sum(1 for v in col if isinstance(v, (int, float)) and not isinstance(v, bool) and v == 1)
            if ones:
                percent_ones[binding.header] = ones
        data[field_name] = vals

    paired: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = {}
    for field_name, pair in layout.pairs.items():
        for direction, binding in pair.items():
            col = rows[:, binding.index]
            vals, errs, category = _parse_column(binding, col, ctx, memos.setdefault(field_name + direction, {}),
                                                 layout.title_year, factors)
            _add_errors(problems, binding, col, vals, errs, category, repeated)
            present = np.fromiter((not V.is_empty(v) for v in col), dtype=bool, count=n)
            paired.setdefault(field_name, {})[direction] = (vals, present)

    for field_name, (value, _) in layout.constants.items():
        column = np.empty(n, dtype=object)
        column[:] = [value] * n
        data[field_name] = column
    if layout.quantity_unit and "unit" in data:
        data["unit"] = np.where(data["unit"] == "", layout.quantity_unit, data["unit"])

    data, missing_warnings = _complete(table, data, n, layout, file, sheet)
    warnings += missing_warnings
    if "amount_fen" in paired:
        split = _split_quantity(data, paired, problems, layout)
    used = ~problems.bad
    prints = _prints(rows, used, rownum, layout, data, paired, factors)
    year_months = Counter(v for v in data["period"] if v is not None) if table is Customs else Counter()
    if "amount_fen" in paired:
        frame = _pair_table(data, paired, split, used, file, sheet, rownum)
    else:
        frame = _table(table, data, used, file, sheet, rownum)
    review = problems.frame(file, sheet, rownum, code_text, names, col_order)
    account = SheetAccount(file=file, sheet=sheet, role=table.role, rows_read=rows_read,
                           rows_used=int(used.sum()), rows_review=int(problems.bad.sum()),
                           rows_total_skipped=int(totals.sum()), rows_hidden=int((hidden & nonempty).sum()))
    return SheetResult(file, sheet, table.role, frame, review, account, headers, warnings, year_months, percent_ones,
                       prints=prints)


def _prints(rows: np.ndarray, used: np.ndarray, rownum: np.ndarray, layout: Layout, data: dict,
            paired: dict, factors: dict) -> pd.DataFrame:
    """Fingerprints of the used rows, from their cells and what they were read as."""
    parsed = dict(data)
    for name, pair in paired.items():
        for direction, (values, _) in pair.items():
            parsed[f"{name}:{direction}"] = values
    fp = fingerprints(rows, used, layout, parsed, factors)
    return pd.DataFrame({"src_row": rownum[used], "fp1": fp[:, 0], "fp2": fp[:, 1]})


def _add_errors(problems: _Problems, binding: Binding, col, vals, errs, category, repeated) -> None:
    bad = (errs != None) & ~repeated  # noqa: E711
    if bad.any() and binding.column.kind.name == "account":      # the row is used; the account is checked
        messages = np.empty(len(errs), dtype=object)
        messages[bad] = [f"{binding.header}：{e}（该企业暂缓拨付）" for e in errs[bad]]
        problems.add(bad, binding.header, col, CAT_ACCOUNT, messages, use_row=True)
    elif bad.any():
        cats = category.copy() if isinstance(category, np.ndarray) else np.full(len(col), category, dtype=object)
        cats[errs == "不能为负数"] = CAT_NEGATIVE
        problems.add(bad, binding.header, col, cats, _message(binding.header, errs, bad))


def _merged_problems(problems: _Problems, merged: dict, keep: np.ndarray, n: int) -> None:
    """Rows under a figure merged over several rows (see SheetReader._fill_merges)."""
    kept = np.flatnonzero(keep)
    position = {r: i for i, r in enumerate(kept)}
    by_header: dict[str, list] = {}
    for r, (binding, value, merge) in merged.items():
        if r in position:
            by_header.setdefault(binding.header, []).append((position[r], value, merge))
    for header, entries in by_header.items():
        mask = np.zeros(n, dtype=bool)
        cells = np.empty(n, dtype=object)
        messages = np.empty(n, dtype=object)
        for i, value, (r0, _, r1, _) in entries:
            mask[i] = True
            cells[i] = value
            messages[i] = (f"{header}：该单元格跨第{r0 + 1}至{r1 + 1}行合并，无法确定每一行的数值{NOT_USED}；"
                           "请取消合并，逐行填写后重新运行")
        problems.add(mask, header, cells, CAT_MERGED, messages)


def _split_quantity(data: dict, paired: dict, problems: _Problems, layout: Layout) -> dict[str, np.ndarray]:
    """Each direction's quantity in a table of import / export columns: its own column, or the
    one quantity column when the row has an amount in one direction only (a row with both and
    a quantity cannot be split: listed for review)."""
    amounts = paired["amount_fen"]
    if "quantity" in paired:
        return {d: paired["quantity"].get(d, (np.zeros(len(data["code"])), None))[0] for d in amounts}
    quantity = np.asarray(data["quantity"], dtype=np.float64)
    both = np.ones(len(quantity), dtype=bool)
    for _, present in amounts.values():
        both &= present
    both &= len(amounts) > 1
    clash = both & (quantity != 0)
    if clash.any():
        binding = layout.bindings.get("quantity")
        header = binding.header if binding else "数量"
        problems.add(clash, header, quantity.astype(object), CAT_QUANTITY_SPLIT,
                     f"{header}：该行进口和出口都有金额，只有一个数量，无法区分进口数量和出口数量{NOT_USED}")
    return {d: np.where(present, quantity, 0) for d, (_, present) in amounts.items()}


def merge_results(parts: list[SheetResult]) -> SheetResult:
    """One sheet's result from the results of its runs of rows (in row order)."""
    first = parts[0]
    if len(parts) > 1:
        table = pd.concat([p.table for p in parts], ignore_index=True)
        reviews = [p.review for p in parts if len(p.review)]
        review = pd.concat(reviews, ignore_index=True) if reviews else first.review
        account = SheetAccount(file=first.file, sheet=first.sheet, role=first.role,
                               **{k: sum(getattr(p.account, k) for p in parts)
                                  for k in ("rows_read", "rows_used", "rows_review", "rows_total_skipped",
                                            "rows_hidden")})
        ones: dict[str, int] = {}
        for part in parts:
            for header, count in part.percent_ones.items():
                ones[header] = ones.get(header, 0) + count
        first = SheetResult(first.file, first.sheet, first.role, table, review, account, first.headers,
                            list(dict.fromkeys(w for p in parts for w in p.warnings)),
                            sum((p.year_months for p in parts), Counter()), ones,
                            prints=pd.concat([p.prints for p in parts], ignore_index=True))
    return first


def sheet_warnings(result: SheetResult) -> list[str]:
    """The sheet's warnings, with the counts of 落地率 cells holding 1."""
    return result.warnings + [
        f"文件“{result.file}”工作表“{result.sheet}”列“{header}”有 {count} 个值填写为 1，"
        "按 100% 理解（0.55 或 55 都表示 55%）" for header, count in result.percent_ones.items()]


# column kinds whose cells are parsed by a function of the cell alone
_VALUE_PARSERS = {
    "bool": V.parse_bool,
    "date": V.parse_date,
    "direction": V.parse_direction,
    "hs_code": V.parse_hs_code,
    "account": V.parse_account,
}


def _parse_code(value):
    code = codes_mod.normalise_code(value)
    return code, codes_mod.code_status(code)


def _period(value, title_year: int | None):
    """年月; a bare month (or the whole-year range 1-12月) takes the year of the title line."""
    period, error = V.parse_period(value)
    if error or period[0] is not None:
        return period, error
    if title_year is None:
        return None, "只有月份，无法确定年份，应填写如 202305"
    return (title_year, period[1]), None


def _parse_item(value, ctx: ReadContext):
    text = V.as_text(value)
    if not text:
        return ("", ""), "缺少奖励项目"
    found = ctx.items.get(_key(text))
    if found is None:
        return ("", ""), "不属于本政策对应的省级奖励项目（" + "、".join(v[0] for v in ctx.items.values()) + "）"
    return found, None


def _parse_rule(value, ctx: ReadContext):
    text = _key(V.as_text(value))
    if not text:
        return "", "缺少规则编号"
    if text not in ctx.rule_ids:
        return "", "不是政策文件中的规则编号（" + "、".join(sorted(ctx.rule_ids)) + "）"
    return text, None


def _complete(table: type[Table], data: dict, n: int, layout: Layout, file: str, sheet: str):
    """Fill optional columns the sheet lacks (text '', numbers 0, flags False) and say so."""
    warnings = []
    for column in table.columns:
        if not column.keep or column.field in data or column.field in layout.pairs:
            continue
        data[column.field] = np.full(n, column.kind.default, dtype=object)
        if column.declaration:
            data[column.given_field] = np.zeros(n, dtype=bool)
        if table is Firms or column.field in ("quantity", "unit"):
            warnings.append(f"文件“{file}”工作表“{sheet}”没有“{column.header}”列，按空值处理")
    return data, warnings


def _columns(data: dict, table: type[Table], used: np.ndarray, file: str, sheet: str, rownum: np.ndarray) -> dict:
    """The tidy columns of the rows in ``used`` (a period or an item splits into two columns)."""
    cols = {}
    for column in table.columns:
        if not column.keep or column.field not in data:
            continue
        values = data[column.field][used]
        outputs = column.kind.outputs
        if column.declaration:
            cols[column.given_field] = data[column.given_field][used]
        if len(outputs) == 2:                   # (year, month), (item, rule id): split once per distinct pair
            codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
            for k, (name, _) in enumerate(outputs):
                parts = np.empty(len(uniques), dtype=object)
                parts[:] = [u[k] for u in uniques]
                cols[name] = parts[codes]
        else:
            cols[column.field] = values
    count = int(used.sum())
    cols["src_file"] = np.full(count, file, dtype=object)
    cols["src_sheet"] = np.full(count, sheet, dtype=object)
    cols["src_row"] = rownum[used]
    return cols


def _table(table: type[Table], data: dict, used: np.ndarray, file: str, sheet: str, rownum: np.ndarray):
    return table.frame(_columns(data, table, used, file, sheet, rownum))


def _pair_table(data: dict, paired: dict, quantity: dict, used: np.ndarray, file: str, sheet: str,
                rownum: np.ndarray) -> pd.DataFrame:
    """A customs table of import / export column pairs: a tidy row per direction with an amount."""
    frames = []
    for direction, (amounts, present) in paired["amount_fen"].items():
        rows = used & present
        data = dict(data, direction=np.full(len(used), direction, dtype=object), amount_fen=amounts,
                    quantity=quantity[direction])
        frames.append(Customs.frame(_columns(data, Customs, rows, file, sheet, rownum)))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values("src_row", kind="stable").reset_index(drop=True)
