"""The hidden rows of an ``.xls`` (BIFF8) workbook, which calamine reads like any other row.

Each worksheet's substream holds a ROW record (0x0208) for every row with cells or formatting;
bit 0x20 of its flags (``fDyZero``, [MS-XLS] 2.4.221) marks a row hidden — by hand or by a filter.
The workbook stream is taken from the compound file by olefile; the sheets are found by their
BoundSheet8 records (0x0085), which give each substream's offset and the sheet's name.
"""
from __future__ import annotations

import io
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
    for name, offset in _sheets(book):
        rows = _hidden_in(book, offset)
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


def _hidden_in(book: bytes, offset: int) -> list[int]:
    rows = []
    for kind, pos, size in _records(book, offset):
        if kind == _EOF:
            break
        if kind == _ROW and size >= 16 and struct.unpack_from("<H", book, pos + 12)[0] & _HIDDEN:
            rows.append(struct.unpack_from("<H", book, pos)[0])
    return rows
