"""The size of each sheet of an ``.ods`` or ``.xlsb`` workbook, counted before calamine sees it.

calamine allocates the whole rectangle between a sheet's first and last cell: a 1 KB ``.xlsb``
with one cell at A1 and one at XFD1048576 asks for 17 billion cells and aborts the process, and
an ``.ods`` cell repeated with ``table:number-columns-repeated`` / ``number-rows-repeated`` is
expanded cell by cell. Each sheet's extent is counted here from every cell that holds something
(repeats multiplied out; empty repeats, which calamine skips, are not counted) and a sheet beyond
the limits of :mod:`.xlsx_guard` is refused with a message naming the file and the sheet. The
same walk collects the merged ranges, which calamine reports for ``.xlsx`` and ``.xls`` only.
"""
from __future__ import annotations

import re
import struct
import zipfile

from .xlsx_guard import MAX_CELLS, MAX_ROWS, too_big

_ODS_TAG_RE = re.compile(rb"<table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>"
                         rb"|</table:(table-row|table)>")
_NAME_RE = re.compile(rb'table:name="([^"]*)"')
_ROWS_RE = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLS_RE = re.compile(rb'table:number-columns-repeated="(\d+)"')
_VALUE_RE = re.compile(rb"office:value-type=")
_ROW_SPAN_RE = re.compile(rb'table:number-rows-spanned="(\d+)"')
_COL_SPAN_RE = re.compile(rb'table:number-columns-spanned="(\d+)"')
_HIDDEN_RE = re.compile(rb'table:visibility="(?:collapse|filter)"')


def scan_ods(zf: zipfile.ZipFile, file_name: str) -> tuple[dict[str, list[tuple[int, int, int, int]]],
                                                            dict[str, list[int]]]:
    """Refuse an .ods whose sheet, its repeats multiplied out, is bigger than the limits; return
    each sheet's merged ranges (calamine does not report them for .ods) and its hidden rows that
    hold something (``table:visibility`` collapse, or filter: filtered out), 0-based."""
    data = zf.read("content.xml")
    merges: dict[str, list] = {}
    hidden: dict[str, set] = {}
    sheet, row_at, row_repeat, col_at, rows, width = "", 0, 1, 0, 0, 0
    row_hidden = False
    for m in _ODS_TAG_RE.finditer(data):
        tag, attrs, closing_tag = m.group(1), m.group(2) or b"", m.group(4)
        if closing_tag == b"table-row":
            row_at += row_repeat
            continue
        if closing_tag == b"table":
            continue
        if tag == b"table":
            name = _NAME_RE.search(attrs)
            sheet = name.group(1).decode("utf-8", "replace") if name else ""
            row_at = rows = width = 0
            merges[sheet] = []
            hidden[sheet] = set()
        elif tag == b"table-row":
            repeat = _ROWS_RE.search(attrs)
            row_repeat, col_at = (int(repeat.group(1)) if repeat else 1), 0
            row_hidden = _HIDDEN_RE.search(attrs) is not None
            if m.group(3):                 # an empty row (<table:table-row/>)
                row_at += row_repeat
        else:
            repeat = _COLS_RE.search(attrs)
            count = int(repeat.group(1)) if repeat else 1
            if _VALUE_RE.search(attrs) or (not m.group(3) and tag == b"table-cell"):
                rows, width = max(rows, row_at + row_repeat), max(width, col_at + count)
                _check(file_name, sheet, rows, width)
                if row_hidden:
                    hidden[sheet].update(range(row_at, row_at + row_repeat))
            spans = [int(x.group(1)) if x else 1 for x in (_ROW_SPAN_RE.search(attrs), _COL_SPAN_RE.search(attrs))]
            if tag == b"table-cell" and spans != [1, 1]:
                merges[sheet].append((row_at, col_at, row_at + spans[0] - 1, col_at + spans[1] - 1))
            col_at += count
    return merges, {name: sorted(rows_) for name, rows_ in hidden.items() if rows_}


def _check(file_name: str, sheet: str, rows: int, cols: int) -> None:
    if rows > MAX_ROWS or rows * max(cols, 1) > MAX_CELLS:
        raise too_big(file_name, sheet, rows, cols)


# --- .xlsb: BIFF12 records ---------------------------------------------------------------------------

_CELL_RECORDS = set(range(1, 14))          # BrtCellBlank … BrtFmlaError: their first 4 bytes are the column
_BLANK = 1
_ROW_HEADER = 0
_MERGE_CELL = 0xB0


def scan_xlsb(zf: zipfile.ZipFile, file_name: str) -> dict[str, list[tuple[int, int, int, int]]]:
    """Refuse an .xlsb whose sheet's cells reach beyond the limits (every cell record is counted);
    return each sheet's merged ranges (calamine does not report them for .xlsb)."""
    names = _xlsb_sheet_names(zf)
    merges = {}
    for info in zf.infolist():
        member = info.filename
        if member.lower().startswith("xl/worksheets/") and member.lower().endswith(".bin"):
            sheet = names.get(member.lower(), member.rsplit("/", 1)[-1])
            rows, cols, merges[sheet] = _xlsb_extent(zf.read(info))
            _check(file_name, sheet, rows, cols)
    return merges


def _records(data: bytes):
    """(record type, offset of its data, its size) of every BIFF12 record."""
    pos, end = 0, len(data)
    while pos < end:
        kind = data[pos]
        pos += 1
        if kind & 0x80 and pos < end:
            kind = (kind & 0x7F) | ((data[pos] & 0x7F) << 7)
            pos += 1
        size = shift = 0
        for _ in range(4):
            if pos >= end:
                return
            byte = data[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        yield kind, pos, size
        pos += size


def _xlsb_extent(data: bytes) -> tuple[int, int, list]:
    """(rows, columns) from A1 to the farthest cell holding something, and the merged ranges."""
    row = rows = cols = 0
    merges = []
    unpack = struct.unpack_from
    for kind, pos, size in _records(data):
        if kind == _ROW_HEADER and size >= 4:
            row = unpack("<I", data, pos)[0]
        elif kind in _CELL_RECORDS and kind != _BLANK and size >= 4:
            rows, cols = max(rows, row + 1), max(cols, unpack("<I", data, pos)[0] + 1)
        elif kind == _MERGE_CELL and size >= 16:
            first_row, last_row, first_col, last_col = unpack("<4I", data, pos)
            merges.append((first_row, first_col, last_row, last_col))
    return rows, cols, merges


_BUNDLE_SHEET = 0x9C
_REL_RE = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')


def _xlsb_sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet part (lower-case member name) -> the sheet's name, from workbook.bin and its relationships."""
    try:
        book = zf.read("xl/workbook.bin")
        rels = zf.read("xl/_rels/workbook.bin.rels")
    except KeyError:
        return {}
    targets = {rid.decode(): "xl/" + target.decode().lstrip("/").removeprefix("xl/") for rid, target in _REL_RE.findall(rels)}
    out = {}
    for kind, pos, size in _records(book):
        if kind != _BUNDLE_SHEET or size < 12:
            continue
        try:
            rid, at = _wide(book, pos + 8)
            name, _ = _wide(book, at)
        except (struct.error, UnicodeDecodeError):
            continue
        if rid in targets:
            out[targets[rid].lower()] = name
    return out


def _wide(data: bytes, pos: int) -> tuple[str, int]:
    """An XLWideString at ``pos``: (text, offset after it)."""
    count = struct.unpack_from("<I", data, pos)[0]
    if count == 0xFFFFFFFF:
        return "", pos + 4
    end = pos + 4 + 2 * count
    return data[pos + 4:end].decode("utf-16-le"), end
