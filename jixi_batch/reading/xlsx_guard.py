"""Checks on an .xlsx before calamine parses it: size of each sheet, and formulas without results.

* **Extents.** calamine allocates the whole rectangle from A1 to the farthest cell, so a 5 KB
  file with one cell at ``XFD1048576`` — or a last row of 16,384 cells written without
  addresses (``<c><v>0</v></c>``) — asks for billions of cells and aborts the process (no Python
  exception, no message). Every cell element is counted, addressed or not, before calamine sees
  the sheet; a sheet whose rectangle exceeds ``MAX_ROWS`` rows or ``MAX_CELLS`` cells is refused
  with a message that names the file, the sheet and the limit. A ``<dimension>`` is never
  trusted (openpyxl's write-only mode writes none; any file may lie).

  Two ways of counting: when every row and cell is written the plain way (``<row r="7"``,
  ``<c r="B7"``: what Excel, WPS, openpyxl and xlsxwriter write), numpy reads all the addresses
  in blocks of the XML (:func:`_plain_extent`: tens of milliseconds per 16 MB, mostly outside
  the GIL, so the parse of other chunks goes on). Otherwise, or when that bound is over a limit,
  every ``<row>`` and ``<c>`` is placed as calamine places it (:func:`_exact_extent`: any
  namespace prefix, cells and rows without an address counted on from the one before), counting
  only cells that hold something (calamine skips formatted empty cells).

  A sheet big enough to be cut into row chunks (:mod:`.sheet_chunks`) is measured chunk by
  chunk, each just before calamine parses it, in the same background thread
  (:func:`measure_chunk`): its XML is decompressed once, and measuring goes on beside the
  parse of other chunks and the main thread's work.
* **Error values** (``#DIV/0!``, ``#N/A``) are read as empty by calamine: their text is put into
  the grid, so the cell is listed for review rather than taken as "not declared".
* **Formulas without a cached result.** A workbook written by a program (not saved by Excel)
  may hold ``=B2*2`` with no value; calamine reads such a cell as empty, which would turn a
  declared amount into "not declared" silently. The formula text is put into the grid
  instead (``=B2*2``), so the cell is parsed as text and listed for review. A sheet holding
  formulas or error values is read whole, never cut.
"""
from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from .errors import InputError

MAX_ROWS = 1_048_576            # Excel's own row limit
MAX_CELLS = 15_000_000          # rows × columns of one sheet's used rectangle (about 1 GB of memory)
SCAN_BLOCK = 16 << 20           # XML measured per numpy pass

# a <row> or <c> start tag, any namespace prefix; quoted attribute values may hold '>'
_TAG_RE = re.compile(rb'<(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])((?:[^>"\']|"[^"]*"|\'[^\']*\')*)>')
_R_ATTR_RE = re.compile(rb'(?:^|\s)(?:[A-Za-z_][\w.\-]*:)?r\s*=\s*["\']\s*([A-Za-z]*)(\d*)')
_PLAIN_CELL = b'<c r="'
_PLAIN_ROW = b'<row r="'
_UNCACHED_RE = re.compile(
    rb'<c\s+r="([A-Z]{1,3})(\d{1,8})"[^>]*>\s*<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')
_ERROR_RE = re.compile(rb'<c\s+r="([A-Z]{1,3})(\d{1,8})"[^>]*\bt="e"[^>]*>(?:(?!</c>).)*?<v>([^<]*)</v>', re.S)
_HIDDEN_ROW_RE = re.compile(rb'<(?:[A-Za-z_][\w.\-]*:)?row\s(?:[^>"\']|"[^"]*"|\'[^\']*\')*?'
                            rb'\bhidden\s*=\s*["\']\s*(?:1|true)\s*["\']')
_FILTER_RE = re.compile(rb'<(?:[A-Za-z_][\w.\-]*:)?autoFilter\b')
_SHEET_RE = re.compile(rb'<sheet\b[^>]*?/?>')
_ATTR_RE = re.compile(rb'([\w:]+)="([^"]*)"')
_REL_RE = re.compile(rb'<Relationship\b[^>]*?/?>')


@dataclass
class SheetScan:
    name: str
    member: str
    rows: int = 0
    cols: int = 0
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)   # (row, col) 0-based -> "=formula"
    measured: bool = False          # False: to be measured chunk by chunk as it is cut, or whole
    hidden_rows: list[int] = field(default_factory=list)    # 0-based rows marked hidden (or filtered out)
    filtered: bool = False          # the sheet has a filter (<autoFilter>): hidden rows may be filtered out


def column_index(letters: bytes | str) -> int:
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27 (1-based)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def _unescape(text: bytes) -> str:
    return html.unescape(text.decode("utf-8", "replace"))


def sheet_members(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) for each sheet listed in xl/workbook.xml, in order."""
    names = {n.lower(): n for n in zf.namelist()}
    try:
        workbook = zf.read(names.get("xl/workbook.xml", "xl/workbook.xml"))
        rels = zf.read(names.get("xl/_rels/workbook.xml.rels", "xl/_rels/workbook.xml.rels"))
    except KeyError:
        return []
    targets = {}
    for rel in _REL_RE.findall(rels):
        attrs = dict(_ATTR_RE.findall(rel))
        target = _unescape(attrs.get(b"Target", b""))
        if target.startswith("/"):
            member = target.lstrip("/")
        else:
            member = posixpath.normpath(posixpath.join("xl", target))
        targets[attrs.get(b"Id", b"")] = member
    out = []
    for tag in _SHEET_RE.findall(workbook):
        attrs = dict(_ATTR_RE.findall(tag))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id") or k == b"id"), b"")
        member = targets.get(rid)
        if member and member.lower() in names:
            out.append((_unescape(attrs.get(b"name", b"")), names[member.lower()]))
    return out


def too_big(file_name: str, sheet: str, rows: int, cols: int) -> InputError:
    return InputError(
        f"文件“{file_name}”工作表“{sheet}”太大：数据范围 {rows:,} 行 × {cols:,} 列（{rows * cols:,} 个单元格），"
        f"超过程序的处理上限（每个工作表最多 {MAX_ROWS:,} 行、{MAX_CELLS:,} 个单元格）。"
        "请删除表格右侧或下方多余的行列（含格式），或按年度/月份拆分成多个文件后再运行。")


def scan_workbook(zf: zipfile.ZipFile, file_name: str, cut=None) -> dict[str, SheetScan]:
    """Extents and uncached formulas of every worksheet; InputError when a sheet is too big.

    A sheet for which ``cut(info)`` is true is left to be measured chunk by chunk
    (:func:`measure_chunk`), or whole by :func:`measure` if it is read whole after all."""
    scans: dict[str, SheetScan] = {}
    for name, member in sheet_members(zf):
        scan = SheetScan(name, member)
        if cut is None or not cut(zf.getinfo(member)):
            measure(zf, scan, file_name)
        scans[name] = scan
    return scans


def measure(zf: zipfile.ZipFile, scan: SheetScan, file_name: str) -> None:
    """Count every cell of the sheet, note its formulas without results and error values."""
    data = zf.read(scan.member)
    start, end = data.find(b"<sheetData"), data.rfind(b"</sheetData>")
    cells = data[start:end] if 0 <= start < end else data      # the rows (an extLst may use prefixes)
    scan.rows, scan.cols = _checked_extent(cells, file_name, scan.name)
    scan.hidden_rows[:] = hidden_rows(cells)
    scan.filtered = has_filter(data[end:] if 0 <= start < end else data)
    if b't="e"' in data:  # error values (#DIV/0!, #N/A): calamine gives '' for them
        for letters, digits, error in _ERROR_RE.findall(data):
            scan.uncached[(int(digits) - 1, column_index(letters) - 1)] = _unescape(error).strip() or "#错误"
    if b"<f" in data:
        for letters, digits, formula in _UNCACHED_RE.findall(data):
            text = _unescape(formula).strip()
            scan.uncached[(int(digits) - 1, column_index(letters) - 1)] = "=" + (text or "（共享公式）")
    scan.measured = True


class ChunkHasFormulas(Exception):
    """A chunk of a cut sheet holds formulas or error values: the sheet is read whole instead."""


def measure_chunk(body: bytes, file_name: str, scan: SheetScan) -> None:
    """Count the cells of one chunk of a cut sheet (a run of whole rows) before calamine parses it,
    and note its hidden rows in ``scan``.

    InputError when they reach beyond the limits (their addresses are the sheet's own);
    ChunkHasFormulas when the chunk holds a formula or an error value (see the module docstring)."""
    if b"<f" in body or b't="e"' in body:
        raise ChunkHasFormulas(scan.name)
    _checked_extent(body, file_name, scan.name)
    scan.hidden_rows.extend(hidden_rows(body))      # chunks measured in other threads: one call each


def hidden_rows(xml: bytes) -> list[int]:
    """The 0-based rows that ``xml`` (rows of a sheet) marks hidden — by hand or by a filter, Excel
    writes both as ``<row r="7" hidden="1">``. A row with no address is not placed (none is known
    to write one hidden)."""
    out = []
    at = xml.find(b"hidden")
    while at >= 0:
        start, end = xml.rfind(b"<", 0, at), xml.find(b">", at)
        if end < 0:
            break
        tag = xml[start:end]
        if _HIDDEN_ROW_RE.match(tag):
            ref = _R_ATTR_RE.search(tag, tag.find(b" "))
            if ref and ref.group(2) and not ref.group(1):
                out.append(int(ref.group(2)) - 1)
        at = xml.find(b"hidden", end)
    return out


def has_filter(xml: bytes) -> bool:
    """Whether the sheet's XML after its rows holds a filter (``<autoFilter>``)."""
    return _FILTER_RE.search(xml) is not None


def _limit(file_name: str, sheet: str, rows: int, cols: int) -> None:
    if rows > MAX_ROWS or rows * max(cols, 1) > MAX_CELLS:
        raise too_big(file_name, sheet, rows, cols)


def _checked_extent(xml: bytes, file_name: str, sheet: str) -> tuple[int, int]:
    """(rows, columns) the cells of ``xml`` reach; the exact count when the quick bound is too big."""
    rows, cols = _plain_extent(xml) or (MAX_ROWS + 1, MAX_CELLS)
    if rows > MAX_ROWS or rows * max(cols, 1) > MAX_CELLS:
        rows, cols = _exact_extent(xml)
        _limit(file_name, sheet, rows, cols)
    return rows, cols


def _plain_extent(xml: bytes) -> tuple[int, int] | None:
    """A bound on the farthest row and column of ``xml`` when every row and cell carries its
    address first (``<row r="7"``, ``<c r="B7"``), formatted empty cells included; None otherwise.

    A few big numpy operations a block (a chunk is measured in a background thread while the main
    thread works, and every numpy call waits for the GIL): every ``<`` and the two bytes after
    it tell the tags; the columns are read from the letters of every cell address, the rows
    bounded by the most digits an address has (a sheet of 42,000 rows: 99,999);
    :func:`_checked_extent` counts exactly when the bound is over a limit."""
    import numpy as np

    rows = cols = 0
    for start in range(0, len(xml), SCAN_BLOCK):
        end = min(start + SCAN_BLOCK, len(xml))
        block = np.frombuffer(xml, dtype=np.uint8, count=min(end + 32, len(xml)) - start, offset=start)
        if end + 32 > len(xml):
            block = np.concatenate([block, np.zeros(32, dtype=np.uint8)])     # room to look ahead
        at = np.flatnonzero(block[:end - start] == 60)                       # every '<' in this block
        tag = block[at + 1].astype(np.uint32) << 16 | block[at + 2].astype(np.uint32) << 8 | block[at + 3]
        # '<c r', '<row', and what is not plain: '<c>', '<c/', '<c' + another attribute, a prefix
        cells, rows_at = at[tag == 0x632072], at[tag == 0x726F77]
        if np.count_nonzero((tag >> 8 == 0x6320) | (tag >> 8 == 0x633E) | (tag >> 8 == 0x632F)) != len(cells) \
                or ((tag >> 8 & 0xFF) == 58).any() or (tag & 0xFF == 58).any():
            return None
        ends = block[rows_at + 4]
        rows_at = rows_at[(ends == 32) | (ends == 62) | (ends == 47)]
        if len(cells) and not (block[cells + 4] == 61).all() & (block[cells + 5] == 34).all():
            return None                                                       # '<c r' but not '<c r="'
        if len(rows_at) and not ((block[rows_at + 5] == 114).all() & (block[rows_at + 6] == 61).all()
                                 & (block[rows_at + 7] == 34).all()):
            return None
        if len(cells):
            letters = cells + 6
            second = block[letters + 1]
            if ((second >= 65) & (second <= 90)).any():                      # beyond Z: exactly
                cols = max(cols, _max_column(block, letters))
                digits = letters + _letter_count(block, letters)
            else:
                cols = max(cols, int(block[letters].max()) - 64)
                digits = letters + 1
            rows = max(rows, _digits_bound(block, digits))
        rows = max(rows, _digits_bound(block, rows_at + 8))
    return rows, cols


def _digits_bound(block, at) -> int:
    """The largest number with as many digits as the longest written at the positions (999 for 3)."""
    count = 0
    while len(at) and count < 8:
        x = block[at + count]
        at = at[(x >= 48) & (x <= 57)]
        count += bool(len(at))
    return 10 ** count - 1


def _letter_count(block, at):
    """How many capital letters (1 to 3) start at each position."""
    count = (block[at] >= 65) & (block[at] <= 90)
    count = count.astype("int64")
    going = count.astype(bool)
    for k in (1, 2):
        going = going & (block[at + k] >= 65) & (block[at + k] <= 90)
        count += going
    return count


def _max_column(block, at) -> int:
    """The largest column written as letters at the positions (XFD > AA > Z): only the longest
    are converted."""
    if not len(at):
        return 0
    count = _letter_count(block, at)
    longest = int(count.max())
    if longest == 0:
        return 0
    at = at[count == longest]
    value = 0
    for k in range(longest):
        value = value * 26 + (block[at + k].astype("int64") - 64)
    return int(value.max())


def _exact_extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) as calamine places the cells that hold something: a row or cell without an
    address follows the one before it."""
    row = col = rows = cols = 0
    for m in _TAG_RE.finditer(xml):
        tag, attrs = m.group(1), m.group(2)
        ref = _R_ATTR_RE.search(attrs)
        if tag == b"row":
            row = int(ref.group(2)) if ref and ref.group(2) else row + 1
            col = 0
            continue
        if ref and ref.group(1):
            col = column_index(ref.group(1).upper())
            if ref.group(2):
                row = int(ref.group(2))
        else:
            col += 1
        if not attrs.rstrip().endswith(b"/"):         # <c …/> holds nothing
            rows, cols = max(rows, row), max(cols, col)
    return rows, cols
