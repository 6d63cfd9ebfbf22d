"""An opened input file (:mod:`.opening`) into raw grids: one object array per visible sheet.

Grid row ``i`` is Excel row ``i + 1`` (pandas' calamine reader keeps leading empty
rows: skip_empty_area=False). CSV is UTF-8 (with or without BOM) or GBK/GB18030, read
as text.
"""
from __future__ import annotations

import csv
import functools
import io
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from .calamine_grid import iter_blocks, sheet_grid
from .errors import InputError
from .opening import OpenedFile, calamine_failure


@dataclass
class RawSheet:
    """One sheet as a grid of raw cell values (object array, rows × columns, None = empty).

    ``filled`` (bool per cell, whitespace-only text counted as filled) when the reader
    already knows it; otherwise :func:`.roles.cell_filled` works it out from the grid.
    A big sheet parsed in row chunks keeps its ``parts`` (:mod:`.sheet_chunks`): the loader
    can take them block by block (:meth:`blocks`); ``grid`` joins them on first use.
    """

    name: str
    _grid: np.ndarray | None = None
    filled: np.ndarray | None = None
    parts: list[Future] | None = None
    parse_whole: Callable[[], object] | None = None
    path: Path | None = None

    @property
    def grid(self) -> np.ndarray:
        if self._grid is None:
            self._grid, self.filled = _reading(self.path, lambda: sheet_grid(self.parts, self.parse_whole))
        return self._grid

    def blocks(self) -> Iterator[tuple[int, int, np.ndarray, np.ndarray]]:
        """The chunks as (first row, first column, grid, filled), in row order; raises
        PartsOverlap (or what calamine raised) when they cannot be joined this way."""
        return iter_blocks(self.parts)


@dataclass
class RawFile:
    path: Path
    sha256: str
    sheets: list[RawSheet]
    skipped_hidden: list[str] = field(default_factory=list)


def read_raw(opened: OpenedFile) -> RawFile:
    """The raw sheets of one opened file (InputError for anything unreadable)."""
    path = opened.path
    if not opened.is_excel:
        return RawFile(path, opened.sha256, read_csv_file(path, opened.data))
    sheets = []
    for name, parts in opened.sheets:
        scan = opened.scans.get(name)
        uncached = scan is not None and scan.uncached
        parse_whole = functools.partial(opened.parse_whole, name)
        if len(parts) > 1 and not uncached:
            sheets.append(RawSheet(name, parts=parts, parse_whole=parse_whole, path=path))
            continue
        grid, filled = _reading(path, functools.partial(sheet_grid, parts, parse_whole))
        sheets.append(RawSheet(name, _with_formulas(grid, scan)) if uncached else RawSheet(name, grid, filled))
    return RawFile(path, opened.sha256, sheets, opened.hidden)


def _reading(path: Path, read):
    """``read()``, calamine's errors on a bad workbook told to the clerk."""
    try:
        return read()
    except Exception as exc:  # any reader failure on a bad workbook
        raise calamine_failure(path, exc) from exc


def _with_formulas(grid: np.ndarray, scan) -> np.ndarray:
    """Put the text of formulas that have no cached result into the grid (see xlsx_guard)."""
    rows = max(grid.shape[0], 1 + max(r for r, _ in scan.uncached))
    cols = max(grid.shape[1], 1 + max(c for _, c in scan.uncached))
    if (rows, cols) != grid.shape:
        bigger = np.full((rows, cols), None, dtype=object)
        bigger[:grid.shape[0], :grid.shape[1]] = grid
        grid = bigger
    for (r, c), formula in scan.uncached.items():
        if grid[r, c] is None or grid[r, c] == "":
            grid[r, c] = formula
    return grid


def decode_csv(path: Path, data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"文件“{path.name}”的编码无法识别（应为UTF-8或GBK），请用Excel另存为.xlsx或UTF-8 CSV再试。")


def read_csv_file(path: Path, data: bytes) -> list[RawSheet]:
    text = decode_csv(path, data)
    if "\x00" in text:
        raise InputError(f"文件“{path.name}”不是文本格式的CSV文件，无法读取。")
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    grid = _csv_fast(text, delimiter)
    if grid is not None:
        return [RawSheet(path.stem or "CSV", grid)]
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"文件“{path.name}”不是有效的CSV文件（{exc}），无法读取。") from exc
    width = max((len(r) for r in rows), default=0)
    grid = np.full((len(rows), width), None, dtype=object)
    for i, row in enumerate(rows):
        if row:
            grid[i, :len(row)] = row
    return [RawSheet(path.stem or "CSV", grid)]


def _csv_fast(text: str, delimiter: str) -> np.ndarray | None:
    """pandas' C parser, when every line fits the width seen in the first lines; else None.

    Blank lines are kept (row i stays line i + 1); empty fields become None.
    """
    head = list(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter))[:200]
    width = max((len(r) for r in head), default=0)
    if width == 0:
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, names=list(range(width)), dtype=str,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            sep=delimiter, engine="c", quotechar='"', index_col=False)
    except (pd.errors.ParserError, ValueError, csv.Error):
        return None
    grid = frame.to_numpy(dtype=object)
    grid[grid == ""] = None
    return grid
