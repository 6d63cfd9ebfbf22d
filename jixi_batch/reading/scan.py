"""Which cells of a sheet hold something, and which rows are total rows (合计/总计/小计)."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

TOTAL_WORDS = ("合计", "总计", "小计")
TOTAL_SCAN_CELLS = 3
_SPACES_RE = re.compile(r"[\s\u3000]+")
# a total label: the word alone (合　计, 总计：), after what it totals (本页合计, 2023年5月小计, 华北区小计),
# or first in a short cell (合计金额) — never a word inside a firm's name (鸡西市小计量仪器有限公司)
_TOTAL_LABEL_RE = re.compile(r"(?:^.{0,12}(?:合计|总计|小计)|^(?:合计|总计|小计).{0,4})[:：]?(?:[(（][^()（）]*[)）])?$")


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


def is_total_label(value) -> bool:
    """合计/总计/小计 as a row's label (spaces ignored), not as part of a name."""
    return value.__class__ is str and _TOTAL_LABEL_RE.match(_SPACES_RE.sub("", value)) is not None


def total_rows(grid: np.ndarray, filled: np.ndarray) -> np.ndarray:
    """Bool per row: one of its first three non-empty cells is a total label (:func:`is_total_label`)."""
    out = np.zeros(grid.shape[0], dtype=bool)
    if grid.size == 0:
        return out
    seen = np.zeros(grid.shape[0], dtype=np.int32)      # non-empty cells so far, left to right
    for j in range(grid.shape[1]):
        rows = np.flatnonzero(filled[:, j] & (seen < TOTAL_SCAN_CELLS))
        seen += filled[:, j]
        if not len(rows):
            continue
        values = grid[rows, j].tolist()
        # every total word holds 计: a test in C first, the regex only for the few cells that pass it
        hits = {v for v in set(values) if v.__class__ is str and "计" in v and is_total_label(v)}
        if hits:
            out[rows[np.fromiter((v in hits for v in values), dtype=bool, count=len(values))]] = True
    return out
