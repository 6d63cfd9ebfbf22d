"""Files in → sheets → blocks of cells: the one way the rest of reading sees an input file.

    with Workbooks(paths) as books:            # parsing starts in background threads
        book = books.open(path)                # InputError when the file cannot be used
        for sheet in book.sheets:
            for block in sheet.blocks():       # Block(row, col, grid, filled), in row order
                ...

Behind this interface (``prefetch``, ``opening``, ``sheet_chunks``, ``calamine_grid``,
``xlsx_guard``, ``text_tables``): the size, zip and XML guards, calamine's parse in background
threads, a big sheet cut into row chunks parsed side by side, CSV and the HTML or XML tables
saved as ``.xls``. A sheet comes as one block or as several; a reader that takes the blocks one
after another reads both the same way. When the chunks of a sheet turn out not to join (rows
stored out of order, or a chunk calamine cannot parse), ``blocks()`` raises
:class:`SheetRestart`; asked again, it yields the whole sheet parsed in one piece.

Grid row ``i`` is Excel row ``i + 1``, column ``j`` Excel column ``j + 1``: a block says where its
first cell is. ``filled`` marks the cells that hold something (whitespace-only text included).
Nothing heavy is imported at module level: :class:`Workbooks` starts before pandas is loaded.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .opening import CALAMINE_ERRORS, OpenedFile, calamine_failure
from .prefetch import Prefetch

Range = tuple[int, int, int, int]        # merged cells: first row, first column, last row, last column


@dataclass
class Block:
    """A run of a sheet's rows: ``grid`` (object array, None = empty) starts at (row, col)."""

    row: int
    col: int
    grid: object                         # numpy.ndarray of cell values
    filled: object                       # numpy.ndarray of bool


class SheetRestart(Exception):
    """The sheet's chunks could not be read one after another; read it again, whole."""


class ChunkDefect(RuntimeError):
    """A chunk failed where the whole sheet parses: the cut is wrong (a defect of the program)."""


class Sheet:
    """One visible worksheet: its name, its merged ranges and its cells as blocks."""

    def __init__(self, name: str, *, grid=None, parts=None, parse_whole: Callable | None = None,
                 merges: list[Range] | None = None, path: Path | None = None, uncached: dict | None = None,
                 scan=None, hidden_rows: list[int] | None = None):
        self.name = name
        self._scan = scan                    # xlsx_guard.SheetScan: hidden rows noted as the XML is measured
        self._hidden_rows = hidden_rows or []
        self._grid = grid
        self._filled = None
        self._parts = parts
        self._parse_whole = parse_whole
        self._merges = merges
        self._path = path
        self._uncached = uncached or {}
        self._whole = grid is not None or parts is None or len(parts) == 1 or bool(self._uncached)

    @property
    def merges(self) -> list[Range]:
        """Merged ranges (calamine's for a sheet parsed whole, from the XML for a cut one)."""
        if self._merges is None:
            self._merges = []
            if self._parts and len(self._parts) == 1 and self._parts[0].done() \
                    and self._parts[0].exception() is None:
                ranges = getattr(self._parts[0].result(), "merged_cell_ranges", None) or []
                self._merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]
        return self._merges

    @property
    def hidden_rows(self) -> list[int]:
        """0-based rows marked hidden or filtered out (.xlsx, .ods); complete for the rows of the
        blocks given so far (a cut sheet's chunks are measured as they are parsed)."""
        return self._scan.hidden_rows if self._scan is not None else self._hidden_rows

    @property
    def filtered(self) -> bool:
        """The sheet has a filter: some hidden rows may be filtered out rather than hidden by hand."""
        return bool(self._scan is not None and self._scan.filtered)

    def blocks(self) -> Iterator[Block]:
        """The sheet's cells in row order; raises SheetRestart once if its chunks do not join."""
        if not self._whole:
            yield from self._chunks()
            return
        grid, filled = self.whole()
        yield Block(0, 0, grid, filled)

    def _chunks(self) -> Iterator[Block]:
        from .calamine_grid import PartsOverlap, iter_blocks
        from .xlsx_guard import ChunkHasFormulas

        try:
            for row, col, grid, filled in iter_blocks(self._parts):
                yield Block(row, col, grid, filled)
        except (PartsOverlap, ChunkHasFormulas):   # rows out of order, formulas: read it whole
            self._whole = True
            raise SheetRestart(self.name) from None
        except CALAMINE_ERRORS as exc:
            # a chunk calamine refused: a damaged sheet, or a cut in the wrong place — a defect
            _reading(self._path, self._parse_whole)
            raise ChunkDefect(f"calamine refused a chunk of sheet {self.name!r} it parses whole") from exc

    def whole(self):
        """(grid, filled) of the whole sheet."""
        if self._grid is None:
            from .calamine_grid import sheet_grid
            from .opening import done

            single = self._parts is not None and len(self._parts) == 1
            parts = self._parts if single else [done(_reading(self._path, self._parse_whole))]
            self._grid, self._filled = _reading(self._path, functools.partial(sheet_grid, parts))
            if single:
                _ = self.merges
            if self._uncached:
                self._grid, self._filled = _with_formulas(self._grid, self._uncached)
        elif self._filled is None:
            from .calamine_grid import rows_to_grid

            self._grid, self._filled = rows_to_grid(self._grid) if isinstance(self._grid, list) \
                else _filled_of(self._grid)
        return self._grid, self._filled


@dataclass
class Workbook:
    """One input file: its visible sheets, the names of its hidden ones, its fingerprint."""

    path: Path
    sha256: str
    kind: str                                 # "workbook", "csv", "html" or "spreadsheetml"
    sheets: list[Sheet]
    hidden: list[str] = field(default_factory=list)

    @property
    def has_sheet_names(self) -> bool:
        """False for a CSV: the clerk gave it no sheet name to be told."""
        return self.kind != "csv"


class Workbooks:
    """The input files, opened in background threads from the moment this is made."""

    def __init__(self, paths, workers: int | None = None):
        self._prefetch = Prefetch(paths, workers)

    def size(self, path: Path) -> int:
        return self._prefetch.size(path)

    def open(self, path: Path) -> Workbook:
        """The file's sheets (InputError with a Chinese message when it cannot be used)."""
        return _workbook(self._prefetch.opened(path))

    def close(self) -> None:
        self._prefetch.close()

    def __enter__(self) -> "Workbooks":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _workbook(opened: OpenedFile) -> Workbook:
    from . import text_tables

    path = opened.path
    if opened.kind == "workbook":
        sheets = []
        for name, parts in opened.sheets:
            scan = opened.scans.get(name)
            sheets.append(Sheet(name, parts=parts, parse_whole=functools.partial(opened.parse_whole, name),
                                merges=opened.merges.get(name), path=path,
                                uncached=scan.uncached if scan is not None else None,
                                scan=scan, hidden_rows=opened.hidden_rows.get(name)))
        return Workbook(path, opened.sha256, opened.kind, sheets, opened.hidden)
    if opened.kind == "html":
        tables = text_tables.read_html(path, opened.data)
    elif opened.kind == "spreadsheetml":
        tables = text_tables.read_spreadsheetml(path, opened.data)
    else:
        tables = text_tables.read_csv(path, text_tables.decode_text(path, opened.data))
    return Workbook(path, opened.sha256, opened.kind,       # SpreadsheetML gives its hidden rows too
                    [Sheet(name, grid=rows, merges=merges, hidden_rows=hidden[0] if hidden else None)
                     for name, rows, merges, *hidden in tables])


def _reading(path: Path, read):
    """``read()``, calamine's errors on a bad workbook told to the clerk."""
    try:
        return read()
    except CALAMINE_ERRORS as exc:
        raise calamine_failure(path, exc) from exc


def _filled_of(grid):
    """(grid, filled) for a grid of text cells (a CSV read by pandas: None already marks empty)."""
    import numpy as np

    return grid, np.asarray(grid != None)  # noqa: E711  (elementwise)


def _with_formulas(grid, uncached: dict):
    """Put the text of formulas without a cached result, and of error values, into the grid
    (see xlsx_guard): such a cell is listed for review, never read as empty."""
    import numpy as np

    rows = max(grid.shape[0], 1 + max(r for r, _ in uncached))
    cols = max(grid.shape[1], 1 + max(c for _, c in uncached))
    if (rows, cols) != grid.shape:
        bigger = np.full((rows, cols), None, dtype=object)
        bigger[:grid.shape[0], :grid.shape[1]] = grid
        grid = bigger
    for (r, c), formula in uncached.items():
        if grid[r, c] is None or grid[r, c] == "":
            grid[r, c] = formula
    return grid, np.asarray(grid != None) & np.asarray(grid != "")  # noqa: E711
