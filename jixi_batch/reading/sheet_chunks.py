"""A big worksheet cut into row chunks that calamine parses side by side.

calamine parses one sheet on one core; on a 300,000-row customs export that is most of the
read. Each chunk here is a small workbook of its own: the original's parts (shared strings,
styles, workbook, relationships) with the big sheet's XML replaced by a run of its rows,
stored uncompressed. calamine parses the chunks in parallel (:mod:`.prefetch`), each with
the GIL released, and the main thread joins their cells in :mod:`.calamine_grid`.

What makes the join exact: a cut falls only after a ``</row>`` inside ``<sheetData>``
(text and attribute values in XML cannot hold a raw ``<``, so that is a tag; one inside a
comment or CDATA section leaves both chunks malformed, calamine refuses them and the sheet
is parsed whole), a row is never split, and every cell keeps its own ``r="B7"`` address.
A chunk's cells are placed by the address of its first cell (``CalamineSheet.start``);
:func:`.calamine_grid.iter_blocks` checks that chunks follow one another without overlap
(rows out of order or rows without an ``r`` address would overlap), and otherwise the
sheet is parsed whole. The chunk's ``<dimension>``
is dropped (it describes the whole sheet), and so is everything after ``</sheetData>``
(merged cells, margins: nothing calamine's values depend on).

Sheets this cannot cut simply (no plain ``<worksheet>``/``<sheetData>``, e.g. with a
namespace prefix) are parsed whole, as before.
"""
from __future__ import annotations

import io
import re
import zipfile
from typing import Iterator

CHUNK_BYTES = 16 << 20          # sheet XML per chunk (a 300,000-row export is about 120 MB)
OWN_THREAD_BYTES = 4 << 20      # a sheet not worth cutting but this big is parsed in a thread of its own
READ_BYTES = 4 << 20
ROW_END = b"</row>"
DATA_END = b"</sheetData>"
TAIL = b"</sheetData></worksheet>"
EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')
_DATA_START_RE = re.compile(rb"<sheetData\s*>")
_ROOT_RE = re.compile(rb"<worksheet[\s>]")
_DIMENSION_RE = re.compile(rb"<dimension\b[^>]*/>")


def worth_cutting(info: zipfile.ZipInfo) -> bool:
    """A sheet with at least two chunks' worth of XML."""
    return info.file_size >= 2 * CHUNK_BYTES


def chunk_xml(stream, chunk_bytes: int | None = None, tail: list | None = None) -> Iterator[tuple[bytes, ...]] | None:
    """The sheet XML read from ``stream`` as complete worksheet documents of about
    ``chunk_bytes`` each (each as a tuple of pieces to write one after another); None
    (nothing read beyond the head) when the sheet has no plain ``<sheetData>``. Chunks are
    produced while the stream is still being read. What follows ``</sheetData>`` (merged
    cells among it) is appended to ``tail`` once the last chunk is made."""
    head = stream.read(READ_BYTES)
    match = _DATA_START_RE.search(head)
    if match is None or _ROOT_RE.search(head, 0, match.start()) is None:
        return None
    prefix = _DIMENSION_RE.sub(b"", head[:match.end()])
    return _chunks(stream, bytearray(head[match.end():]), prefix, chunk_bytes or CHUNK_BYTES,
                   tail if tail is not None else [])


def _chunks(stream, buffer: bytearray, prefix: bytes, chunk_bytes: int, tail: list) -> Iterator[tuple[bytes, ...]]:
    searched = 0                                 # buffer[:searched] holds no </sheetData>
    while True:
        end = buffer.find(DATA_END, searched)
        limit = end if end >= 0 else len(buffer)
        while True:                              # whole rows, a chunk's worth at a time
            cut = buffer.find(ROW_END, max(chunk_bytes - len(ROW_END), 0), limit)
            if cut < 0:
                break
            cut += len(ROW_END)
            body = bytes(memoryview(buffer)[:cut])
            del buffer[:cut]
            limit -= cut
            yield prefix, body, TAIL
        if end >= 0:
            body = bytes(memoryview(buffer)[:limit])
            tail.append(bytes(buffer[limit:]))
            tail.append(stream.read())
            if body.strip():
                yield prefix, body, TAIL
            return
        searched = max(0, len(buffer) - len(DATA_END) + 1)
        block = stream.read(READ_BYTES)
        if not block:
            # no </sheetData>: a malformed sheet. This last chunk fails to parse, and the
            # sheet is then parsed whole, which reports it as calamine does.
            yield prefix, bytes(buffer)
            return
        buffer += block


_MERGE_RE = re.compile(rb'<mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')


def merged_ranges(xml: bytes) -> list[tuple[int, int, int, int]]:
    """The merged ranges named in a sheet's XML, as calamine gives them: (first row, first column,
    last row, last column), 0-based."""
    from .xlsx_guard import column_index

    return [(int(r0) - 1, column_index(c0) - 1, int(r1) - 1, column_index(c1) - 1)
            for c0, r0, c1, r1 in _MERGE_RE.findall(xml)]


class ChunkWorkbooks:
    """Workbooks like the one in ``zf`` whose ``sheet_member`` holds one chunk each.

    The other parts are read once; the other worksheets are left empty (they are not
    read from a chunk's workbook).
    """

    def __init__(self, zf: zipfile.ZipFile, sheet_member: str, worksheets: set[str]):
        self.sheet_member = sheet_member
        self.parts = [(info.filename, EMPTY_SHEET if info.filename in worksheets else zf.read(info))
                      for info in zf.infolist() if info.filename != sheet_member]

    def build(self, pieces: tuple[bytes, ...]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
            for name, data in self.parts:
                target.writestr(name, data)
            with target.open(self.sheet_member, "w", force_zip64=True) as member:
                for piece in pieces:
                    member.write(piece)
        return out.getvalue()
