"""A sheet read by calamine straight into a raw grid, without pandas' per-cell detour.

``pandas.read_excel(..., header=None, dtype=object, engine="calamine")`` converts every cell
in a Python function and then runs the whole sheet through its Python CSV parser; on a
300,000-row customs export that is half of the read time. This module builds the grid from
calamine's rows directly. It holds the cells ``frame.to_numpy(dtype=object, na_value=None)``
would hold, except as follows:

* a float with an integral value stays a float (pandas makes ``202305.0`` the int
  ``202305``). Every parser gets such a float as that int (:func:`.values.map_unique`
  converts per distinct value; :func:`.values.scaled_integers` reads numbers as floats
  anyway), so converting 300,000 cells a column here would be work for nothing;
* a ``date`` becomes a ``datetime`` at midnight; everything else as given;
* empty cells (calamine's ``""``) become ``None``; pandas' NA words such as ``"N/A"`` stay
  text (a clerk who typed "N/A" in an amount cell must see it listed for review, not have
  it read silently as "not declared": tests/bad_inputs case 48).

Row ``i`` of the grid is Excel row ``i + 1`` (``skip_empty_area=False``), as before.
"""
from __future__ import annotations

from concurrent.futures import Future
from datetime import date, datetime
from typing import Iterator

import numpy as np
from pandas.api.types import infer_dtype

from ..timing import paused_gc

_NoneType = type(None)


def iter_blocks(parts: list[Future]) -> Iterator[tuple[int, int, np.ndarray, np.ndarray]]:
    """The parsed parts of a sheet (futures of ``CalamineSheet``, in row order) as blocks
    (first row, first column, grid, filled), each placed by its first cell's address and
    made as soon as its part is parsed, while later parts are still being parsed.

    Raises :class:`PartsOverlap` when a part starts at or above the end of the previous
    one: its rows were out of order or unnumbered, and only a whole parse places them.
    """
    end = 0
    for part in parts:
        sheet = part.result()
        start = sheet.start
        if start is None:                       # no cell with a value
            continue
        first_row, first_col = start
        if first_row < end:
            raise PartsOverlap(first_row, end)
        grid, filled = rows_to_grid(sheet.to_python(skip_empty_area=True))
        end = first_row + len(grid)
        yield first_row, first_col, grid, filled


def join_parts(parts: list[Future]) -> tuple[np.ndarray, np.ndarray]:
    """(grid, filled) of a sheet from its parsed parts (see :func:`iter_blocks`), as
    ``to_python(skip_empty_area=False)`` of the whole sheet would give it."""
    return join_blocks(list(iter_blocks(parts)))


def join_blocks(blocks: list[tuple[int, int, np.ndarray, np.ndarray]],
                width: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(grid, filled) from row 0 and column 0 to the end of the last of ``blocks`` (see
    :func:`iter_blocks`), at least ``width`` columns wide."""
    width = max([width] + [c + g.shape[1] for _, c, g, _ in blocks])
    if len(blocks) == 1 and blocks[0][:2] == (0, 0) and blocks[0][2].shape[1] == width:
        return blocks[0][2], blocks[0][3]
    height = max((r + g.shape[0] for r, _, g, _ in blocks), default=0)
    grid = np.full((height, width), None, dtype=object)
    filled = np.zeros((height, width), dtype=bool)
    for r, c, block, block_filled in blocks:
        grid[r:r + block.shape[0], c:c + block.shape[1]] = block
        filled[r:r + block.shape[0], c:c + block.shape[1]] = block_filled
    return grid, filled


class PartsOverlap(Exception):
    """Two parts of a sheet cover the same rows."""


def rows_to_grid(rows: list[list]) -> tuple[np.ndarray, np.ndarray]:
    """calamine rows -> (grid, filled).

    ``grid`` is an object array with ``None`` for empty cells (see the module docstring);
    ``filled`` is True where a cell holds something (whitespace-only text included).
    Short rows are padded with "" (the lists are extended in place).
    """
    if not rows:
        return np.empty((0, 0), dtype=object), np.zeros((0, 0), dtype=bool)
    lengths = set(map(len, rows))
    width = max(lengths)
    if len(lengths) > 1:
        for row in rows:
            if len(row) < width:
                row.extend([""] * (width - len(row)))
    grid = np.empty((len(rows), width), dtype=object)
    grid[:] = rows
    filled = np.empty(grid.shape, dtype=bool)
    for c in range(width):
        filled[:, c] = ~_fix_column(grid, c)
    return grid, filled


def _fix_column(grid: np.ndarray, c: int) -> np.ndarray:
    """Column ``c`` of ``grid`` as described in the module docstring, in place; its empty cells."""
    column = grid[:, c]
    if infer_dtype(column, skipna=False) == "string":       # text (and empty) cells only
        empty = column == ""
    else:
        values = column.tolist()
        kinds = set(map(type, values))
        if date in kinds:
            for i, v in enumerate(values):
                if v.__class__ is date:
                    column[i] = datetime(v.year, v.month, v.day)     # column is a view of grid
        empty = column == ""
        if float in kinds:
            empty |= column != column                           # NaN
        if _NoneType in kinds:
            empty |= np.fromiter((v is None for v in values), dtype=bool, count=len(values))
    if empty.any():
        grid[empty, c] = None
    return empty


def sheet_grid(parts: list[Future]) -> tuple[np.ndarray, np.ndarray]:
    """(grid, filled) of a sheet from its parsed parts (see :func:`join_parts`).

    The cyclic garbage collector is paused meanwhile: a big sheet is millions of new cell
    objects without a single reference cycle, and the collector would otherwise walk all
    of them again and again as they pile up.
    """
    with paused_gc():
        return join_parts(parts)
