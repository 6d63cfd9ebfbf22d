"""Which role a sheet plays, where its header row is, and which rows are data / totals.

The header row is searched in the first ``HEADER_SCAN_ROWS`` rows: for each role, each
row's cells are matched against the role's columns (columns.py); the (role, row) with
the most columns matched among those that have all the role's required columns wins.
A sheet named 企业信息 / 贷款台账 / 其他奖励 prefers that role. When no role is
complete, the best partial match is kept so the caller can name the missing columns.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .columns import ROLE_SPECS, Match, RoleSpec, is_complete, match_header_row, missing_required

HEADER_SCAN_ROWS = 30
TOTAL_WORDS = ("合计", "总计", "小计")
TOTAL_SCAN_CELLS = 3
_TOTAL_RE = re.compile("|".join(TOTAL_WORDS))
_YEAR_RE = re.compile(r"(20\d{2}|19\d{2})\s*年")


@dataclass
class Layout:
    spec: RoleSpec
    header_row: int                 # grid index of the header row
    columns: dict[str, Match]       # canonical header -> Match
    duplicates: list[str]
    complete: bool
    missing: list[str]
    width: int = 0                  # the header row's cells up to its last non-empty one


def _row_cells(grid: np.ndarray, i: int) -> list:
    return list(grid[i]) if grid.shape[1] else []


def detect_layout(grid: np.ndarray, sheet_name: str) -> Layout | None:
    """The best (role, header row) for a sheet; None when nothing looks like a header."""
    best: tuple | None = None
    best_partial: tuple | None = None
    sheet_key = unicodedata.normalize("NFKC", sheet_name).strip()
    rows = min(HEADER_SCAN_ROWS, grid.shape[0])
    for i in range(rows):
        cells = _row_cells(grid, i)
        if not any(isinstance(c, str) and c.strip() for c in cells):
            continue
        for priority, spec in enumerate(ROLE_SPECS):
            found, duplicates = match_header_row(cells, spec)
            if not found:
                continue
            named = any(sheet_key == n for n in spec.sheet_names)
            if is_complete(spec, found):
                key = (1 if named else 0, len(found), -i, -priority)
                if best is None or key > best[0]:
                    best = (key, spec, i, found, duplicates)
            else:
                missing = missing_required(spec, found)
                required = [c for c in spec.columns if c.required]
                have = len(required) - len(missing)
                share = have / len(required)
                # most required columns found first: a province list missing 奖励项目 (code and
                # amount found) must not lose to "企业信息 with only the code column" (share 1/1)
                key = (1 if named else 0, have, share, len(found), -i, -priority)
                if best_partial is None or key > best_partial[0]:
                    best_partial = (key, spec, i, found, duplicates, missing)
    if best is not None:
        _, spec, i, found, duplicates = best
        return Layout(spec, i, found, duplicates, True, [], _header_width(grid, i))
    if best_partial is not None:
        _, spec, i, found, duplicates, missing = best_partial
        if spec.min_specific and not missing:
            missing = [f"至少{spec.min_specific}个申报信息列（如 " + "、".join(spec.specific[4:8]) + "）"]
        return Layout(spec, i, found, duplicates, False, missing, _header_width(grid, i))
    return None


def _header_width(grid: np.ndarray, row: int) -> int:
    cells = _row_cells(grid, row)
    return max((j + 1 for j, cell in enumerate(cells) if cell is not None and str(cell).strip()), default=0)


def partial_is_credible(layout: Layout, sheet_name: str) -> bool:
    """A partial header that clearly meant this role (so a missing column is an error)."""
    sheet_key = unicodedata.normalize("NFKC", sheet_name).strip()
    if sheet_key in layout.spec.sheet_names:
        return True
    required = [c for c in layout.spec.columns if c.required]
    have = len(required) - len([m for m in layout.missing if m in {c.header for c in required}])
    if have >= max(2, len(required) - 1):   # all required columns but one (e.g. the code column)
        return True
    return "统一社会信用代码" in layout.columns and have >= max(2, (len(required) + 1) // 2)


def cell_filled(grid: np.ndarray, filled: np.ndarray | None = None, width: int | None = None) -> np.ndarray:
    """Bool per cell: not None/NaN and not empty or whitespace-only text.

    ``filled`` is the reader's own mask of non-empty cells, if it has one (a copy is
    returned). Vectorised: empty text is found for the whole grid at once; whitespace-only
    text (a typed space) is looked for only in sparse rows — at most half of ``width`` (the
    header's width; default the grid's) cells filled — where it could decide whether the row
    counts at all: a row that fills most columns is data either way.
    """
    if grid.size == 0:
        return np.zeros(grid.shape, dtype=bool)
    if filled is None:
        filled = np.asarray(pd.notna(grid)) & (grid != "")
    else:
        filled = filled.copy()
    counts = filled.sum(axis=1)
    sparse = np.flatnonzero((counts > 0) & (counts <= max(3, (width or grid.shape[1]) // 2)))
    for i in sparse:
        for j in np.flatnonzero(filled[i]):
            value = grid[i, j]
            if isinstance(value, str) and not value.strip():
                filled[i, j] = False
    return filled


def total_rows(grid: np.ndarray, filled: np.ndarray) -> np.ndarray:
    """Bool per row: one of its first three non-empty cells is text containing 合计/总计/小计."""
    out = np.zeros(grid.shape[0], dtype=bool)
    if grid.size == 0:
        return out
    seen = np.zeros(grid.shape[0], dtype=np.int32)      # non-empty cells so far, left to right
    search = _TOTAL_RE.search
    for j in range(grid.shape[1]):
        rows = np.flatnonzero(filled[:, j] & (seen < TOTAL_SCAN_CELLS))
        seen += filled[:, j]
        if not len(rows):
            continue
        values = grid[rows, j].tolist()
        hits = {v for v in set(values) if v.__class__ is str and search(v) is not None}
        if hits:
            out[rows[np.fromiter((v in hits for v in values), dtype=bool, count=len(values))]] = True
    return out


def title_year(grid: np.ndarray, header_row: int) -> int | None:
    """The one year named in the title lines above the header (``2023年1-12月...``), if exactly one."""
    years = set()
    for i in range(header_row):
        for cell in grid[i]:
            if isinstance(cell, str):
                years.update(int(y) for y in _YEAR_RE.findall(unicodedata.normalize("NFKC", cell)))
    return years.pop() if len(years) == 1 else None
