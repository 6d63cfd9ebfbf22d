"""The hidden rows of an ``.xls`` (BIFF8) workbook, which calamine reads like any other row.

Each worksheet's substream holds a ROW record (0x0208) for every row with cells or formatting;
bit 0x20 of its flags (``fDyZero``, [MS-XLS] 2.4.221) marks a row hidden — by hand or by a filter.
The workbook stream is taken from the compound file by olefile; the sheets are found by their
BoundSheet8 records (0x0085), which give each substream's offset and the sheet's name.

Walking every record of a sheet in Python takes about a second per 50 MB (millions of cell
records), so the ROW records are found by a byte search instead: every BIFF8 ROW record starts
``08 02 10 00`` (its type and its fixed size, 16). A match is taken only when it reads as a ROW
record (bit 0x100 of its flags, which the format sets on every ROW, and columns in order) and the
two records after it have plausible headers — a chance match inside a number would have to pass
all of that. Finding a few rows too many could only add a note; a real ROW record is never missed.
"""
from __future__ import annotations

import io
import re
import struct

_BOF, _EOF, _BOUNDSHEET, _ROW = 0x0809, 0x000A, 0x0085, 0x0208
_BIFF8 = 0x0600
_HIDDEN = 0x20


def hidden_rows(data: bytes) -> dict[str, list[int]]:
    """Sheet name -> its 0-based hidden rows; {} when the file is not a BIFF8 workbook that can be
    walked (calamine then reads it, or says what is wrong with it)."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            stream = next((name for name in ("Workbook", "Book") if ole.exists(name)), None)
            if stream is None:
                return {}
            book = ole.openstream(stream).read()
    except (OSError, ValueError, struct.error, IndexError):
        return {}
    if len(book) < 6:
        return {}
    kind, _, version = struct.unpack_from("<HHH", book, 0)
    if (kind, version) != (_BOF, _BIFF8):            # BIFF5 and older: names in a code page; not walked
        return {}
    out = {}
    sheets = _sheets(book)
    ends = sorted({offset for _, offset in sheets} | {len(book)})
    for name, offset in sheets:
        rows = _hidden_in(book, offset, next((e for e in ends if e > offset), len(book)))
        if rows:
            out[name] = rows
    return out


def _records(book: bytes, pos: int):
    """(type, offset of its data, size) of each record from ``pos`` on."""
    end = len(book)
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", book, pos)
        yield kind, pos + 4, size
        pos += 4 + size


def _sheets(book: bytes) -> list[tuple[str, int]]:
    """(name, substream offset) of each worksheet, from the globals substream."""
    out = []
    for kind, pos, size in _records(book, 0):
        if kind == _EOF:
            break
        if kind != _BOUNDSHEET or size < 8:
            continue
        offset, _state, sheet_type, count, high = struct.unpack_from("<IBBBB", book, pos)
        if sheet_type != 0:              # a chart, a macro sheet
            continue
        raw = book[pos + 8:pos + 8 + count * (2 if high & 1 else 1)]
        out.append((raw.decode("utf-16-le" if high & 1 else "latin-1", "replace"), offset))
    return out


_ROW_START = re.compile(re.escape(struct.pack("<HH", _ROW, 16)))
_MAX_RECORD = 8224                  # BIFF8: the longest record's data
_ROW_FLAG_SET = 0x100               # [MS-XLS] 2.4.221: reserved3, MUST be 1


def _hidden_in(book: bytes, offset: int, end: int) -> list[int]:
    """The hidden rows of the worksheet substream book[offset:end]."""
    hidden = []
    header = struct.Struct("<HH").unpack_from
    row_data = struct.Struct("<HHHHHHH").unpack_from
    for match in _ROW_START.finditer(book, offset, end):
        at = match.start()
        if at + 28 > end:
            continue
        row, first, last, _height, _reserved, _unused, flags = row_data(book, at + 4)
        if not flags & _ROW_FLAG_SET or first > last:
            continue
        following, ok = at + 20, True
        for _ in range(2):
            kind, size = header(book, following)
            if not 0 < kind < 0x1000 or size > _MAX_RECORD:
                ok = False
                break
            following += 4 + size
            if following + 4 > end:
                break
        if ok and flags & _HIDDEN:
            hidden.append(row)
    return hidden
