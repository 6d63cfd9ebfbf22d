"""How a sheet is laid out: which table it holds, where its header is, what each column means.

Real exports differ from the canonical tables (INPUTS.md "Real exports as they come"); this module
understands them or names what it cannot:

* **the header** is looked for in the first ``HEADER_SCAN_ROWS`` rows, one row or two: a row of
  sub-headers (``美元 | 人民币`` under a merged ``金额``, ``进口 | 出口`` under ``人民币(元)``) joins
  the row above it, whose merged cells (or blanks, in a CSV) span the columns below;
* **each column** is matched against the declared tables (``tables.py``): aliases after folding
  full-width characters and spaces, a unit in brackets split off, the direction of an import /
  export pair, the currency of an amount; where two columns could be one field, the credit codes
  among the values, the 人民币 column over one in dollars, a code over a name decide — and two
  columns that still compete for a figure stop the run;
* **units** come from the column's header, else from a line above the table, its title or the
  header row (``单位：万元``); a foreign currency with no 人民币 column, or an unknown unit, stops
  the run;
* **what a column would say but the sheet says elsewhere**: the direction of a file or sheet that
  holds only imports or exports (its title, sheet name or file name), the period of a table with
  no period column (its title, sheet name or file name).

The result, :class:`Layout`, is all :mod:`.tidy` needs to read the rows below the header.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np

from ..tables import APPLICATION_TABLES, TABLES, Column, Customs, Table
from . import codes as codes_mod
from . import units as U
from .errors import InputError
from .scan import TOTAL_WORDS

HEADER_SCAN_ROWS = 30
SAMPLE_ROWS = 200                   # rows below the header looked at to tell two code columns apart
DIRECTIONS = {"I": "进口", "E": "出口"}
_WS_RE = re.compile(r"\s+")
_BRACKET_RE = re.compile(r"^(.+?)[(\[【]([^()\[\]【】]*)[)\]】]$")
_UNIT_SUFFIXES = ("百万美元", "万美元", "千美元", "亿美元", "美元", "百万元", "万元", "千元", "亿元")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_CN_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_DIRECTION_WORDS = (("进口", "I"), ("出口", "E"), ("IMPORT", "I"), ("EXPORT", "E"))
_MIXED_WORDS = ("进出口", "出进口", "IMPORTANDEXPORT", "IMPORT&EXPORT", "IMPORT-EXPORT")
CONFLICT = "conflict"


def normalise_header(cell) -> str:
    """NFKC fold, no whitespace or line breaks, upper-case, ``*`` markers dropped."""
    if cell is None:
        return ""
    text = unicodedata.normalize("NFKC", str(cell))
    return _WS_RE.sub("", text).upper().strip("*※")


def split_unit(name: str) -> tuple[str, str]:
    """'金额(万元)' -> ('金额', '万元'); '金额万元', '金额/万元' -> ('金额', '万元'); '金额' -> ('金额', '')."""
    m = _BRACKET_RE.match(name)
    if m:
        return m.group(1), m.group(2)
    for sep in ("/", ":"):
        head, _, tail = name.rpartition(sep)
        if head and tail and _unit_like(tail):
            return head, tail
    for suffix in _UNIT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


def _unit_like(text: str) -> bool:
    unit = U.money_unit_or_none(text)
    return (unit is not None and (unit.scale is not None or unit.currency is not None)) or text in ("%", "吨", "千克")


# --- the declared tables as header lookups -------------------------------------------------

@dataclass(frozen=True)
class Alias:
    column: Column
    direction: str | None = None    # the import / export column of a pair
    name_only: bool = False         # a companion name column (贸易方式名称): a code column wins


def _lookup(table: type[Table]) -> dict[str, Alias]:
    out: dict[str, Alias] = {}

    def add(text: str, alias: Alias) -> None:
        norm = normalise_header(text)
        for key in (norm, split_unit(norm)[0]):
            out.setdefault(key, alias)

    for column in table.columns:
        for text in (column.header, *column.aliases):
            add(text, Alias(column))
    for column in table.columns:
        for direction, texts in column.by_direction:
            for text in texts:
                add(text, Alias(column, direction))
        for text in column.name_aliases:
            add(text, Alias(column, name_only=True))
    return out


LOOKUPS = {table: _lookup(table) for table in TABLES}


# --- one sheet's layout ------------------------------------------------------------------------

@dataclass
class Binding:
    """A grid column read as a table column."""

    column: Column
    index: int
    header: str                     # as written, sub-header joined: 金额/人民币
    direction: str | None = None    # the import or export column of a pair
    unit: str = ""                  # unit named on the header, as written
    currency: str | None = None     # currency named on the header
    name_only: bool = False
    scale: Decimal | Fraction = Decimal(1)   # cell value × scale = the tidy unit (fen for money, tonnes)


@dataclass
class Layout:
    table: type[Table]
    header_row: int                                  # grid row of the (first) header row
    header_rows: int                                 # 1, or 2 with a row of sub-headers
    bindings: dict[str, Binding]                     # field -> column
    pairs: dict[str, dict[str, Binding]] = field(default_factory=dict)   # field -> {"I": …, "E": …}
    constants: dict[str, tuple[object, str]] = field(default_factory=dict)   # field -> (value, where read)
    complete: bool = True
    missing: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the shape was understood (console)
    warnings: list[str] = field(default_factory=list)  # what the clerk should check (console, 提示)
    title_year: int | None = None
    quantity_unit: str = ""                          # the customs quantity unit named beside the table
    width: int = 0                                   # the header's width
    row_numbers: tuple[int, ...] = ()                # columns headed 序号: a running number, not data

    @property
    def data_row(self) -> int:
        return self.header_row + self.header_rows

    @property
    def indexes(self) -> list[int]:
        return sorted({b.index for b in self.all_bindings()})

    def all_bindings(self) -> list[Binding]:
        return list(self.bindings.values()) + [b for pair in self.pairs.values() for b in pair.values()]


@dataclass(frozen=True)
class Place:
    """Where a sheet is: its file and sheet names (title lines come from the grid). A CSV's one
    sheet is named after the file by the reader, not by the clerk: ``named`` is False."""

    file: str
    sheet: str
    named: bool = True

    def sources(self, grid: np.ndarray, top: int) -> list[tuple[str, list[str]]]:
        """Where a table may say what it holds outside its columns: title lines, sheet name, file name."""
        out = [("标题", _title_texts(grid, top))]
        if self.named:
            out.append(("工作表名", [self.sheet]))
        out.append(("文件名", [self.file.rsplit(".", 1)[0]]))
        return out


def _texts(row) -> list[str]:
    return [v.strip() for v in row if isinstance(v, str) and v.strip()]


def _is_header_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _subheader_row(row: np.ndarray) -> bool:
    """A row that can be sub-headers under the row above: text only, no credit code, no figure,
    and at least one word that qualifies a column (a currency, a unit, a direction) or names one."""
    cells = [v for v in row if v is not None and not (isinstance(v, str) and not v.strip())]
    if not cells or any(not isinstance(v, str) for v in cells):
        return False
    useful = False
    for value in cells:
        norm = normalise_header(value)
        if codes_mod.is_valid_code(codes_mod.normalise_code(value)) or any(w in norm for w in TOTAL_WORDS):
            return False
        if _qualifier(norm) or _bare_unit(norm) or _STATEMENT_RE.match(norm) \
                or any(norm in lookup or split_unit(norm)[0] in lookup for lookup in LOOKUPS.values()):
            useful = True
    return useful


def _header_like(row: np.ndarray) -> bool:
    """A row with at least two cells naming a column of one table (not a title line)."""
    return _names_columns(tuple(v for v in row if _is_header_text(v)))


@functools.lru_cache(maxsize=4096)
def _names_columns(texts: tuple[str, ...]) -> bool:
    norms = [normalise_header(v) for v in texts]
    for lookup in LOOKUPS.values():
        if sum(1 for n in norms if n in lookup or split_unit(n)[0] in lookup) >= 2:
            return True
    return False


def _qualifier(norm: str) -> bool:
    """A header text that only qualifies a column: a currency or money unit, or 进口 / 出口."""
    if norm in ("进口", "出口", "进", "出"):
        return True
    unit = U.money_unit_or_none(norm)
    return unit is not None and (unit.scale is not None or unit.currency is not None)


def header_texts(grid: np.ndarray, merges, top: int, rows: int, width: int) -> list[list[str]]:
    """Per grid column, the header texts top to bottom (a merged or blank cell of the upper row
    spanning the sub-headers below it is carried across)."""
    out = []
    upper = [grid[top, j] if _is_header_text(grid[top, j]) else None for j in range(width)]
    if rows == 2:
        for r0, c0, r1, c1 in merges:
            if r0 == top and r1 >= top and c1 > c0 and upper[c0] is not None:
                for j in range(c0 + 1, min(c1, width - 1) + 1):
                    upper[j] = upper[j] if upper[j] is not None else upper[c0]
        lower = [grid[top + 1, j] if _is_header_text(grid[top + 1, j]) else None for j in range(width)]
        for j in range(1, width):   # no merge (a CSV): a blank above a currency, unit or direction
            if upper[j] is None and lower[j] is not None and upper[j - 1] is not None \
                    and lower[j - 1] is not None and _qualifier(normalise_header(lower[j])):
                upper[j] = upper[j - 1]     # continues the header on its left
        for j in range(width):
            out.append([str(t).strip() for t in (upper[j], lower[j]) if t is not None])
    else:
        out = [[str(t).strip()] if t is not None else [] for t in upper]
    return out


@dataclass
class _Candidate:
    """A header read one way: the columns each grid column could be."""

    table: type[Table]
    top: int
    rows: int
    found: dict[str, list[Binding]]      # field -> candidate bindings, in column order


def _match(table: type[Table], texts: list[list[str]]) -> dict[str, list[Binding]]:
    found: dict[str, list[Binding]] = {}
    for index, parts in enumerate(texts):
        if not parts:
            continue
        matched = _match_cell(table, tuple(parts))
        if matched is not None:
            column, direction, unit, currency, name_only = matched
            found.setdefault(column.field, []).append(
                Binding(column, index, "/".join(parts), direction, unit, currency, name_only))
    return found


@functools.lru_cache(maxsize=8192)
def _match_cell(table, parts: tuple[str, ...]):
    """What a header cell (its texts top to bottom) stands for: (column, direction, unit, currency,
    name only), or None. The sub-header is the more specific; a text that is only a unit
    (``（千元）`` under ``金额``) gives the unit; a direction or currency may come from either row
    (``出口金额`` over ``美元 | 人民币``). The same headers recur from sheet to sheet: cached."""
    lookup = LOOKUPS[table]
    chosen: Alias | None = None
    direction = None
    units: list[str] = []
    currency = None
    for text in reversed(parts):
        norm = normalise_header(text)
        if _STATEMENT_RE.match(norm):           # 单位：千元 under a header: about the table (_table_unit)
            continue
        base, unit = split_unit(norm)
        bare = _bare_unit(norm)
        if bare:
            base, unit = "", bare
        money = U.money_unit_or_none(unit) if unit else None
        currency = currency or (money.currency if money is not None else None) or U.currency_in(base)
        if unit:
            units.append(unit)
        alias = (lookup.get(norm) or lookup.get(base)) if base else None
        direction = direction or {"进口": "I", "出口": "E"}.get(base) or (alias.direction if alias else None)
        if alias is not None and chosen is None and not (base in ("进口", "出口") and len(parts) > 1):
            chosen = alias
    if chosen is None:
        if direction and table is Customs:
            chosen = Alias(Customs.amount_fen, direction)   # 进口 | 出口 columns under a unit line
        elif currency and table is Customs and all(_qualifier(normalise_header(p)) for p in parts):
            chosen = Alias(Customs.amount_fen)              # 美元 | 人民币 under a merged 金额
        else:
            return None
    direction = chosen.direction or direction
    if direction and not chosen.column.by_direction:
        direction = None
    return chosen.column, direction, units[0] if units else "", currency, chosen.name_only


_STATEMENT_RE = re.compile(r"^(金额|货值|价值|数额|数量|计量|币值)?(单位|币种|币制)[:：]")
_MEASURE_WORDS = {"%", "吨", "千克", "公斤", "KG", "克", "个", "家", "户", "件", "台", "辆", "套", "只", "箱", "米", "立方米",
                  "平方米", "升", "天", "日", "笔", "次"}


def _bare_unit(norm: str) -> str:
    """A header text that is only a unit: ``（千元）``, ``万元``, ``(个)`` -> the unit; else ''."""
    inner = norm[1:-1] if len(norm) > 2 and norm[0] in "([【" and norm[-1] in ")]】" else norm
    if not inner or len(inner) > 8:
        return ""
    unit = U.money_unit_or_none(inner)
    if unit is not None and (unit.scale is not None or unit.currency is not None) and inner not in _CURRENCY_NAMES:
        return inner
    return inner if inner in _MEASURE_WORDS else ""


_ROW_NUMBER_HEADERS = frozenset({"序号", "行号", "NO", "NO."})
_CURRENCY_NAMES = {"人民币", "美元", "美金", "RMB", "USD", "CNY"}      # a column of their own, not a unit


def _all_candidates(grid: np.ndarray, merges) -> list[_Candidate]:
    rows = min(HEADER_SCAN_ROWS, grid.shape[0])
    width = grid.shape[1]
    out = []
    for top in range(rows):
        if not any(_is_header_text(v) for v in grid[top]):
            continue
        depths = [1]
        if top + 1 < grid.shape[0] and _header_like(grid[top]) and _subheader_row(grid[top + 1]):
            depths.append(2)
        for depth in depths:
            texts = header_texts(grid, merges, top, depth, width)
            for table in TABLES:
                found = _match(table, texts)
                if found:
                    out.append(_Candidate(table, top, depth, found))
    return out


def _missing(candidate: _Candidate, grid: np.ndarray, place: Place) -> list[str]:
    """Required columns the candidate lacks (a direction or period written elsewhere counts)."""
    table, found = candidate.table, candidate.found
    missing = []
    for column in table.columns:
        if not column.required or column.field in found:
            continue
        if table is Customs and column.field == "direction" and (
                any(b.direction for b in found.get("amount_fen", []))
                or _direction_elsewhere(grid, candidate.top, place) != (None, "")):
            continue                # (a conflict is named when the layout is finished)
        if table is Customs and column.field == "period" and _period_elsewhere(grid, candidate.top, place)[0]:
            continue
        missing.append(column.header)
    if table.min_specific:
        specific = [c.field for c in table.columns if c.field not in ("code", "name")]
        if sum(1 for f in specific if f in found) < table.min_specific and not missing:
            examples = "、".join(c.header for c in table.columns[4:8])
            missing.append(f"至少{table.min_specific}个申报信息列（如 {examples}）")
    return missing


def detect_layout(grid: np.ndarray, merges, place: Place, quantity_units: dict | None = None) -> Layout | None:
    """The sheet's table and header (see the module docstring); None when nothing looks like one.

    A complete header (every required column, or what stands for it) wins over a partial one;
    then a sheet named for its table (企业信息), then the most columns, a header with its
    sub-header row, the highest row. InputError when the header is understood but the sheet
    cannot give what the table needs (only dollars, only 10-digit customs codes, an unknown unit).
    """
    quantity_units = quantity_units or {}
    sheet_key = unicodedata.normalize("NFKC", place.sheet).strip()
    best = None
    for candidate in _all_candidates(grid, merges):
        missing = _missing(candidate, grid, place)
        table = candidate.table
        named = sheet_key in table.sheet_names
        required = [c for c in table.columns if c.required]
        have = len(required) - len([m for m in missing if m in {c.header for c in required}])
        key = (not missing, named, have, len(candidate.found), candidate.rows, -candidate.top,
               -TABLES.index(table))
        if best is None or key > best[0]:
            best = (key, candidate, missing)
    if best is None:
        return None
    _, candidate, missing = best
    return _finish(candidate, missing, grid, merges, place, quantity_units)


def _finish(candidate: _Candidate, missing: list[str], grid: np.ndarray, merges, place: Place,
            quantity_units: dict) -> Layout:
    table = candidate.table
    layout = Layout(table, candidate.top, candidate.rows, {}, complete=not missing, missing=missing,
                    title_year=title_year(grid, candidate.top),
                    width=_header_width(grid, candidate.top, candidate.rows))
    layout.row_numbers = tuple(j for j in range(layout.width)
                               if normalise_header(grid[candidate.top, j]) in _ROW_NUMBER_HEADERS)
    if missing:
        layout.bindings = {f: bs[0] for f, bs in candidate.found.items()}
        return layout
    statement = _table_unit(grid, candidate, place, quantity_units)
    for field_name, bindings in candidate.found.items():
        column = table.column(field_name)
        if field_name == "code":
            layout.bindings[field_name] = _choose_code(grid, candidate, bindings, place)
            continue
        plain = [b for b in bindings if not b.direction]
        paired = [b for b in bindings if b.direction]
        if column.kind.money:
            plain, paired = (_usable_money(plain, statement, layout), _usable_money(paired, statement, layout))
            if not plain and not paired:
                raise _foreign_only(bindings, statement, place)
        if plain:
            layout.bindings[field_name] = _one(plain, column, place, layout)
        if paired:
            layout.pairs[field_name] = {d: _one([b for b in paired if b.direction == d], column, place, layout)
                                        for d in DIRECTIONS if any(b.direction == d for b in paired)}
    if candidate.rows == 1:
        _no_hidden_subcolumns(layout, grid, merges, place)
    if table is Customs:
        _customs_shape(layout, grid, place)
    for binding in layout.all_bindings():
        _set_scale(binding, statement, quantity_units, place, layout)
    _unit_notes(layout, statement)
    if statement is not None and statement.quantity:
        layout.quantity_unit = statement.quantity
    return layout


def _no_hidden_subcolumns(layout: Layout, grid: np.ndarray, merges, place: Place) -> None:
    """A figure's header merged over several columns that hold figures, with no row of sub-headers
    under it that says which is which (美元 | 人民币): reading the first would be a guess."""
    for binding in layout.all_bindings():
        if not binding.column.kind.number:
            continue
        for r0, c0, r1, c1 in merges:
            if r0 == layout.header_row and c0 == binding.index and c1 > c0:
                below = grid[layout.data_row:layout.data_row + SAMPLE_ROWS, c0 + 1:c1 + 1]
                if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in below.ravel()):
                    raise InputError(
                        f"文件“{place.file}”工作表“{place.sheet}”的表头“{binding.header}”合并了多列，各列都有数值，"
                        "但下一行没有能识别的子表头（如 美元｜人民币、进口｜出口），程序无法确定使用哪一列。"
                        "请在合并表头下一行写明各列的币种或进出口后重新运行。")


def _unit_notes(layout: Layout, statement) -> None:
    """One console line per unit converted: which columns, from what, to 元."""
    by_unit: dict[int, list[str]] = {}
    for b in layout.all_bindings():
        if b.column.kind.money and b.scale != 100:
            by_unit.setdefault(int(b.scale) // 100, []).append(b)
    for scale, bindings in by_unit.items():
        named = [b.header for b in bindings if b.unit]
        where = f"列“{'”“'.join(named)}”" if named else f"金额（见“{statement.text.strip()}”）"
        layout.notes.append(f"{where}的单位为{_scale_text(scale)}，已换算为元")


def _scale_text(scale: int) -> str:
    return {v: k + "元" for k, v in U.SCALES.items()}.get(scale, f"{scale}元")


def _header_width(grid: np.ndarray, top: int, rows: int) -> int:
    width = 0
    for r in range(top, min(top + rows, grid.shape[0])):
        width = max([width] + [j + 1 for j, v in enumerate(grid[r]) if _is_header_text(v)])
    return width


# --- choosing between columns ----------------------------------------------------------------

def _one(bindings: list[Binding], column: Column, place: Place, layout: Layout) -> Binding:
    """The one column for a field: a code column over a name column, a 人民币 amount over one naming
    no currency; the same header twice is a copy (the first is used, the clerk warned); two
    different headers for a figure stop the run."""
    codes = [b for b in bindings if not b.name_only] or bindings
    groups: dict[str, list[Binding]] = {}
    for b in codes:
        groups.setdefault(_base_key(b.header), []).append(b)
    if len(groups) > 1 and column.kind.money:      # 人民币 named, beside a column naming no currency
        explicit = {k: g for k, g in groups.items() if _names_rmb(g[0].header)}
        if explicit and len(explicit) < len(groups):
            dropped = [g[0].header for k, g in groups.items() if k not in explicit]
            layout.notes.append("金额取“" + "”“".join(g[0].header for g in explicit.values()) + "”列（人民币）；“"
                                + "”“".join(dropped) + "”列未写明币种，未使用")
            groups = explicit
    if len(groups) > 1 and column.critical:
        names = "”“".join(g[0].header for g in groups.values())
        raise InputError(f"文件“{place.file}”工作表“{place.sheet}”有多列都可作为“{column.header}”：“{names}”，"
                         "程序无法确定使用哪一列。请删除或改名多余的列后重新运行。")
    chosen = next(iter(groups.values()))
    for b in codes:
        if b is not chosen[0]:
            layout.duplicates.append(b.header)
    return chosen[0]


def _names_rmb(header: str) -> bool:
    return any(word in normalise_header(header) for word in ("人民币", "RMB", "CNY"))


def _base_key(header: str) -> str:
    """A header without its units: 金额(元) and 金额 are the same column written twice."""
    return "/".join(split_unit(normalise_header(part))[0] for part in header.split("/"))


def _choose_code(grid: np.ndarray, candidate: _Candidate, bindings: list[Binding], place: Place) -> Binding:
    """The key column: of the columns a code header names, the one whose values are credit codes."""
    if len(bindings) == 1 and not _customs_codes_only(grid, candidate, bindings[0]):
        return bindings[0]
    scores = []
    for binding in bindings:
        credit, customs = _code_counts(grid, candidate, binding)
        scores.append((credit, -binding.index, binding, customs))
    scores.sort(key=lambda s: s[:2], reverse=True)
    credit, _, best, customs = scores[0]
    if credit == 0 and any(s[3] for s in scores):
        found = next(s[2] for s in scores if s[3])
        raise InputError(f"文件“{place.file}”工作表“{place.sheet}”的“{found.header}”列是10位海关编码，不是18位统一社会信用代码，"
                         "无法与省级奖励名单和企业申报汇总对应。请导出带“统一社会信用代码”列的数据后重新运行。")
    return best


def _code_counts(grid: np.ndarray, candidate: _Candidate, binding: Binding) -> tuple[int, int]:
    start = candidate.top + candidate.rows
    values = grid[start:start + SAMPLE_ROWS, binding.index]
    credit = customs = 0
    for value in values:
        code = codes_mod.normalise_code(value)
        if codes_mod.is_valid_code(code):
            credit += 1
        elif len(code) == 10 and code.isalnum() and code.isascii():
            customs += 1
    return credit, customs


def _customs_codes_only(grid, candidate, binding) -> bool:
    credit, customs = _code_counts(grid, candidate, binding)
    return credit == 0 and customs > 0


def _usable_money(bindings: list[Binding], statement, layout: Layout) -> list[Binding]:
    """Amount columns not in a foreign currency (the header's currency, else the table's); a
    column in dollars beside one in 人民币 is left out, and said so."""
    table_currency = statement.unit.currency if statement is not None and statement.unit else None
    usable, foreign = [], []
    for b in bindings:
        currency = b.currency or table_currency
        (foreign if currency not in (None, U.RMB) else usable).append(b)
    if usable and foreign:
        layout.notes.append("金额取“" + "”“".join(b.header for b in usable) + "”列（人民币）；“"
                            + "”“".join(b.header for b in foreign) + "”列为外币，未使用")
    return usable


def _foreign_only(bindings: list[Binding], statement, place: Place) -> InputError:
    b = bindings[0]
    currency = b.currency or (statement.unit.currency if statement is not None and statement.unit else "外币")
    where = f"（表格上方注明“{statement.text.strip()}”）" if not b.currency and statement is not None else ""
    return InputError(f"文件“{place.file}”工作表“{place.sheet}”的金额列“{b.header}”是{currency}{where}，"
                      "没有人民币金额列。奖励按人民币（元）计算，程序不做汇率换算。请导出人民币金额后重新运行。")


# --- units ----------------------------------------------------------------------------------------

def _table_unit(grid: np.ndarray, candidate: _Candidate, place: Place, quantity_units: dict):
    """The one unit statement of the table (title lines, the header rows' free cells), or None."""
    found = []
    for r in range(candidate.top + candidate.rows):
        for j, value in enumerate(grid[r]):
            # in the header rows only a plain statement (单位：千元): 金额(元) is a column's own unit
            if not isinstance(value, str) or (r >= candidate.top and not _STATEMENT_RE.match(normalise_header(value))):
                continue
            try:
                found.extend(U.statements(value, quantity_units))
            except U.UnknownUnit as exc:
                raise U.unit_error(place.file, place.sheet, str(exc), f"“{value.strip()}”中") from None
    money = {s.unit.scale or 1: s for s in found if s.unit is not None}
    currencies = {s.unit.currency for s in found if s.unit is not None and s.unit.currency}
    if len(money) > 1 or len(currencies) > 1:
        texts = "”“".join(dict.fromkeys(s.text.strip() for s in found if s.unit is not None))
        raise InputError(f"文件“{place.file}”工作表“{place.sheet}”的表格上方写有不同的金额单位：“{texts}”，"
                         "程序无法确定金额单位。请只保留一处单位说明后重新运行。")
    quantities = [s for s in found if s.unit is None]
    if money:
        statement = next(iter(money.values()))
        if quantities:
            return U.Statement(statement.unit, quantities[0].quantity, statement.text)
        return statement
    return quantities[0] if quantities else None


_PERCENT_UNITS = {"%", "百分比", "百分数"}
_COUNT_UNITS = {"家", "个", "户", "天", "日", "笔", "次"}


def _set_scale(binding: Binding, statement, quantity_units: dict, place: Place, layout: Layout) -> None:
    """The factor from a cell to the tidy unit, from the header's unit or the table's (money)."""
    kind = binding.column.kind
    unit = binding.unit
    where = f"列“{binding.header}”"
    if kind.money:
        if unit:
            try:
                money = U.money_unit(unit)
            except U.UnknownUnit:
                raise U.unit_error(place.file, place.sheet, unit, where) from None
            table = statement.unit if statement is not None else None
            if table is not None and table.scale is not None and money.scale not in (None, table.scale):
                layout.warnings.append(
                    f"文件“{place.file}”工作表“{place.sheet}”{where}写明单位“{unit}”，表格上方又写有“{statement.text.strip()}”，"
                    "两处不一致：按列标题的单位计算，请核对")
        else:
            money = statement.unit if statement is not None and statement.unit is not None else None
        scale = money.scale if money is not None and money.scale is not None else 1
        binding.scale = Decimal(scale) * 100
    elif kind.name == "tonnes":
        tonnes = quantity_units.get(unit) if unit else 1
        if tonnes is None:
            raise InputError(f"文件“{place.file}”工作表“{place.sheet}”{where}的单位“{unit}”无法识别"
                             f"（可用：{'、'.join(sorted(set(quantity_units)))}）。请按吨填写后重新运行。")
        binding.scale = Fraction(Decimal(str(tonnes)))         # tonnes per unit of the column
    elif kind.name == "percent":
        if unit and unit not in _PERCENT_UNITS:
            raise InputError(f"文件“{place.file}”工作表“{place.sheet}”{where}的单位“{unit}”无法识别，应为百分比（%）。")
    elif kind.name == "integer":
        if unit and unit not in _COUNT_UNITS:
            raise InputError(f"文件“{place.file}”工作表“{place.sheet}”{where}的单位“{unit}”无法识别。")
    elif kind.name == "quantity":
        if unit and not layout.quantity_unit:
            layout.quantity_unit = unit


# --- what the sheet says outside its columns ---------------------------------------------------

def _title_texts(grid: np.ndarray, top: int) -> list[str]:
    return [t for r in range(top) for t in _texts(grid[r])]


@functools.lru_cache(maxsize=4096)
def _period_of(text: str):
    return period_in(text)


@functools.lru_cache(maxsize=4096)
def directions_in(text: str) -> frozenset[str]:
    """The directions a title or name speaks of: '…企业进口数据' -> {'I'}; 'export-2023' -> {'E'};
    '进出口…' -> set() (both at once is no direction); '进口、出口…' -> {'I', 'E'}."""
    folded = normalise_header(text)
    for word in _MIXED_WORDS:
        folded = folded.replace(word, "")
    return frozenset(code for word, code in _DIRECTION_WORDS if word in folded)


def direction_in(text: str) -> str | None:
    found = directions_in(text)
    return next(iter(found)) if len(found) == 1 else None


def _direction_elsewhere(grid: np.ndarray, top: int, place: Place, strict: bool = False) -> tuple[str | None, str]:
    """The direction a title line, the sheet name or the file name gives (first that gives one).
    Title lines naming both: None, or with ``strict`` an InputError."""
    for where, texts in place.sources(grid, top):
        found = set().union(*(directions_in(t) for t in texts))
        if len(found) > 1:
            if not strict:
                return None, CONFLICT
            raise InputError(f"文件“{place.file}”工作表“{place.sheet}”的{where}同时写有进口和出口，"
                             "程序无法确定该表是进口还是出口数据。请在表中加“进出口”列后重新运行。")
        if found:
            text = next(t for t in texts if direction_in(t))
            return found.pop(), f"{where}“{text}”"
    return None, ""


def period_in(text: str) -> tuple[int, int] | None:
    """A period named in a title or name: '2023年1-12月…' -> (2023, 0), '2023年5月…' -> (2023, 5),
    '…2023…' -> (2023, 0); a part of a year ('2023年1-6月') or several years -> None."""
    from .values import parse_period

    folded = unicodedata.normalize("NFKC", text)
    if len(set(_YEAR_RE.findall(folded))) > 1:
        return None
    m = re.search(r"((?:19|20)\d{2})\s*年\s*(\d{1,2}\s*(?:月份?)?\s*[-—–~～至到]\s*\d{1,2}\s*月份?|\d{1,2}\s*月|全年|度)?",
                  folded)
    if m:
        period, error = parse_period(m.group(0))
        return period if error is None and period and period[0] else None
    years = set(_YEAR_RE.findall(folded))
    return (int(years.pop()), 0) if len(years) == 1 else None


def _period_elsewhere(grid: np.ndarray, top: int, place: Place) -> tuple[tuple[int, int] | None, str]:
    for where, texts in place.sources(grid, top):
        found = {_period_of(t) for t in texts} - {None}
        if len(found) == 1:
            text = next(t for t in texts if _period_of(t))
            return found.pop(), f"{where}“{text}”"
    return None, ""


def _customs_shape(layout: Layout, grid: np.ndarray, place: Place) -> None:
    """Import and export amounts as a pair of columns, or a 进出口 column; a split file's direction and
    a period written only in the title, as constants of every row."""
    wide = "amount_fen" in layout.pairs and ("direction" not in layout.bindings
                                             or "amount_fen" not in layout.bindings)
    if wide:
        pair = "”“".join(b.header for b in layout.pairs["amount_fen"].values())
        unused = [layout.bindings.pop(f).header for f in ("amount_fen", "direction") if f in layout.bindings]
        layout.notes.append(f"进口、出口金额分列，按“{pair}”读取" + (f"；“{'”“'.join(unused)}”列未使用" if unused else ""))
    else:
        layout.pairs.clear()
    if "direction" not in layout.bindings and not wide:
        direction, where = _direction_elsewhere(grid, layout.header_row, place, strict=True)
        layout.constants["direction"] = (direction, where)
        layout.notes.append(f"没有“进出口”列，按{where}作为{DIRECTIONS[direction]}数据读取")
    if "period" not in layout.bindings:
        period, where = _period_elsewhere(grid, layout.header_row, place)
        layout.constants["period"] = (period, where)
        text = f"{period[0]}年" + (f"{period[1]}月" if period[1] else "全年")
        layout.notes.append(f"没有“年月”列，按{where}作为{text}数据读取")


def title_year(grid: np.ndarray, header_row: int) -> int | None:
    """The one year named in the title lines above the header (``2023年1-12月...``), if exactly one."""
    years = set()
    for i in range(header_row):
        for cell in grid[i]:
            if isinstance(cell, str):
                years.update(int(y) for y in _CN_YEAR_RE.findall(unicodedata.normalize("NFKC", cell)))
    return years.pop() if len(years) == 1 else None


def partial_is_credible(layout: Layout, sheet_name: str) -> bool:
    """A partial header that clearly meant this table (so a missing column is an error)."""
    sheet_key = unicodedata.normalize("NFKC", sheet_name).strip()
    if sheet_key in layout.table.sheet_names:
        return True
    required = [c for c in layout.table.columns if c.required]
    have = len(required) - len([m for m in layout.missing if m in {c.header for c in required}])
    if have >= max(2, len(required) - 1):   # all required columns but one (e.g. the code column)
        return True
    return "code" in layout.bindings and have >= max(2, (len(required) + 1) // 2)


def is_application_table(table: type[Table]) -> bool:
    return table in APPLICATION_TABLES
