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
  chunk as it is cut (:class:`ChunkMeasure`), so its XML is decompressed once and the first
  chunks parse while later ones are measured.
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

    A sheet for which ``cut(info)`` is true is left to be measured as it is cut into chunks
    (:class:`ChunkMeasure`), or whole by :func:`measure` if it is not cut after all."""
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
    scan.rows, scan.cols = _checked_extent(data, file_name, scan.name)
    if b't="e"' in data:  # error values (#DIV/0!, #N/A): calamine gives '' for them
        for letters, digits, error in _ERROR_RE.findall(data):
            scan.uncached[(int(digits) - 1, column_index(letters) - 1)] = _unescape(error).strip() or "#错误"
    if b"<f" in data:
        for letters, digits, formula in _UNCACHED_RE.findall(data):
            text = _unescape(formula).strip()
            scan.uncached[(int(digits) - 1, column_index(letters) - 1)] = "=" + (text or "（共享公式）")
    scan.measured = True


class ChunkMeasure:
    """Measures a sheet a chunk of rows at a time (the chunks in order, each a run of whole rows).

    Called with a chunk's XML body: False when the chunk holds a formula or an error value (the
    sheet is then read whole, see the module docstring); InputError when the rows so far make the
    sheet too big."""

    def __init__(self, scan: SheetScan, file_name: str):
        self.scan, self.file_name = scan, file_name

    def __call__(self, body: bytes) -> bool:
        if b"<f" in body or b't="e"' in body:
            return False
        rows, cols = _checked_extent(body, self.file_name, self.scan.name)
        self.scan.rows, self.scan.cols = max(self.scan.rows, rows), max(self.scan.cols, cols)
        _limit(self.file_name, self.scan.name, self.scan.rows, self.scan.cols)
        return True


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
    """The farthest row and column of ``xml`` when every row and cell carries its address first
    (``<row r="7"``, ``<c r="B7"``), formatted empty cells included; None otherwise."""
    if (xml.count(b"<c ") + xml.count(b"<c>") != xml.count(_PLAIN_CELL)
            or xml.count(b"<row ") + xml.count(b"<row>") != xml.count(_PLAIN_ROW)
            or b":c " in xml or b":c>" in xml or b":row" in xml):        # a namespace prefix
        return None
    import numpy as np

    rows = cols = 0
    step = SCAN_BLOCK
    for start in range(0, len(xml), step):
        block = np.frombuffer(xml, dtype=np.uint8, count=min(step + 32, len(xml) - start), offset=start)
        limit = min(step, len(block))                 # a tag starting in the 32-byte overlap is the next block's
        cols = max(cols, _letters_after(block, _positions(block, _PLAIN_CELL, limit), len(_PLAIN_CELL)))
        row_at = _positions(block, _PLAIN_ROW, limit)
        rows = max(rows, _digits_after(block, row_at, len(_PLAIN_ROW)))
        cell_rows = _positions(block, _PLAIN_CELL, limit)
        rows = max(rows, _digits_after(block, cell_rows, len(_PLAIN_CELL), skip_letters=True))
    return rows, cols


def _positions(block, pattern: bytes, limit: int):
    """Where ``pattern`` starts in ``block`` (before ``limit``), as a numpy array."""
    import numpy as np

    n = len(pattern)
    end = min(limit, len(block) - n - 12)
    if end <= 0:
        return np.empty(0, dtype=np.int64)
    at = np.flatnonzero(block[:end] == pattern[0])
    for k in range(1, n):
        at = at[block[at + k] == pattern[k]]
    return at


def _letters_after(block, at, offset: int) -> int:
    """The largest column number written as letters (A, Z, AA, XFD) right after each position."""
    import numpy as np

    if not len(at):
        return 0
    letters = [block[at + offset + k].astype(np.int64) for k in range(4)]
    is_letter = [(x >= 65) & (x <= 90) for x in letters]
    value = np.zeros(len(at), dtype=np.int64)
    going = np.ones(len(at), dtype=bool)
    for x, ok in zip(letters, is_letter):
        going &= ok
        value = np.where(going, value * 26 + (x - 64), value)
    return int(value.max())


def _digits_after(block, at, offset: int, skip_letters: bool = False) -> int:
    """The largest number written in digits right after each position (after the column letters
    of a cell reference when ``skip_letters``)."""
    import numpy as np

    if not len(at):
        return 0
    at = at + offset
    if skip_letters:                                   # step over the 1–3 letters of the column
        for _ in range(3):
            x = block[at]
            at = at + ((x >= 65) & (x <= 90))
    value = np.zeros(len(at), dtype=np.int64)
    going = np.ones(len(at), dtype=bool)
    for k in range(8):
        x = block[at + k].astype(np.int64)
        going &= (x >= 48) & (x <= 57)
        value = np.where(going, value * 10 + (x - 48), value)
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
