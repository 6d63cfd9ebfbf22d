"""Which cells of a sheet hold something, and which rows are total rows (合计/总计/小计)."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

TOTAL_WORDS = ("合计", "总计", "小计")
TOTAL_SCAN_CELLS = 3
_TOTAL_RE = re.compile("|".join(TOTAL_WORDS))


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
