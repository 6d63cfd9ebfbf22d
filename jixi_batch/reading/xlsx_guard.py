"""Checks on an .xlsx before calamine parses it: size of each sheet, and formulas without results.

* **Extents.** calamine allocates the whole rectangle from A1 to the farthest cell, so a 5 KB
  file with one cell at ``XFD1048576`` asks for 17 billion cells and aborts the process (no
  Python exception, no message). Each worksheet's extent is taken from its ``<dimension>``
  and, for sheets up to ``FULL_SCAN_BYTES`` of XML (or declaring too much or nothing), from every
  cell that holds something (calamine skips formatted empty cells); a sheet whose
  rectangle exceeds ``MAX_ROWS`` rows or ``MAX_CELLS`` cells is refused with a message that
  names the file, the sheet and the limit.
* **Error values** (``#DIV/0!``, ``#N/A``) are read as empty by calamine: their text is put into
  the grid, so the cell is listed for review rather than taken as "not declared".
* **Formulas without a cached result.** A workbook written by a program (not saved by Excel)
  may hold ``=B2*2`` with no value; calamine reads such a cell as empty, which would turn a
  declared amount into "not declared" silently. The formula text is put into the grid
  instead (``=B2*2``), so the cell is parsed as text and listed for review.
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
FULL_SCAN_BYTES = 32 << 20      # sheets up to this much XML are scanned cell by cell

_DIMENSION_RE = re.compile(rb'<dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_REF_RE = re.compile(rb'<c\s+r="([A-Z]{1,3})(\d{1,8})"[^>]*?(?<!/)>')    # cells with content
_ROW_RE = re.compile(rb'<row\s+r="(\d{1,8})"')
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


def scan_workbook(zf: zipfile.ZipFile, file_name: str) -> dict[str, SheetScan]:
    """Extents and uncached formulas of every worksheet; InputError when a sheet is too big."""
    scans: dict[str, SheetScan] = {}
    for name, member in sheet_members(zf):
        info = zf.getinfo(member)
        scan = SheetScan(name, member)
        with zf.open(info) as fh:
            head = fh.read(8192)
        m = _DIMENSION_RE.search(head)
        declared_ok = False
        if m and m.group(2):
            last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
            rows, cols = int(last_row), column_index(last_col or b"A")
            declared_ok = rows <= MAX_ROWS and rows * max(cols, 1) <= MAX_CELLS
        # the declared <dimension> counts formatted empty cells too (calamine skips those):
        # a sheet that declares too much, or nothing, is measured cell by cell
        if info.file_size <= FULL_SCAN_BYTES or not declared_ok:
            _full_scan(zf, info, scan, file_name)
        scans[name] = scan
    return scans


def _full_scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo, scan: SheetScan, file_name: str) -> None:
    data = zf.read(info)
    refs = _REF_RE.findall(data)
    # distinct column letters and row numbers are few next to the cells: convert only those
    rows = max(map(int, {digits for _, digits in refs}), default=0)
    cols = max(map(column_index, {letters for letters, _ in refs}), default=0)
    scan.rows, scan.cols = rows, cols
    if rows > MAX_ROWS or rows * max(cols, 1) > MAX_CELLS:
        raise too_big(file_name, scan.name, rows, cols)
    if b't="e"' in data:  # error values (#DIV/0!, #N/A): calamine gives '' for them
        for letters, digits, error in _ERROR_RE.findall(data):
            scan.uncached[(int(digits) - 1, column_index(letters) - 1)] = _unescape(error).strip() or "#错误"
    if b"<f" in data:
        for letters, digits, formula in _UNCACHED_RE.findall(data):
            text = _unescape(formula).strip()
            scan.uncached[(int(digits) - 1, column_index(letters) - 1)] = "=" + (text or "（共享公式）")
