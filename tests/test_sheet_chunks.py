"""A sheet cut into row chunks and read block by block gives the very grid, and the very tables,
of a whole parse (reading/workbooks.py: files in → sheets → blocks of cells)."""
from __future__ import annotations

import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import python_calamine
import xlsxwriter

from hypothesis import HealthCheck, given, settings, strategies as st

from jixi_batch.reading import sheet_chunks
from jixi_batch.reading.calamine_grid import PartsOverlap, join_blocks, join_parts, sheet_grid
from jixi_batch.reading.opening import check_zip, done
from jixi_batch.reading.workbooks import SheetRestart, Workbooks
from jixi_batch.reading.xlsx_guard import scan_workbook, sheet_members

REPO = Path(__file__).resolve().parents[1]
BOOKS = sorted((REPO / "input_samples").glob("*.xlsx")) + sorted(
    (REPO / "tests" / "bad_inputs" / "cases").glob("[0-9]*_*/*.xlsx"))


def _whole(data: bytes, name: str):
    return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name)


def _chunked_parts(data: bytes, member: str, name: str, chunk_bytes: int):
    """Futures of the parsed chunks (None when the sheet cannot be cut)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        worksheets = {m for _, m in sheet_members(zf)}
        with zf.open(member) as stream:
            chunks = sheet_chunks.chunk_xml(stream, chunk_bytes)
            if chunks is None:
                return None
            books = sheet_chunks.ChunkWorkbooks(zf, member, worksheets)
            pool = ThreadPoolExecutor(2)
            return [pool.submit(_whole, books.build(pieces), name) for pieces in chunks]


def _same_grid(a, b) -> bool:
    (grid_a, filled_a), (grid_b, filled_b) = a, b
    return (grid_a.shape == grid_b.shape and (filled_a == filled_b).all()
            and all(type(x) is type(y) and (x == y or x is None) for x, y in zip(grid_a.ravel(), grid_b.ravel())))


def _books():
    out, seen = [], set()
    for path in BOOKS:
        data = path.read_bytes()
        if data in seen:              # many bad-input cases share their untouched files
            continue
        seen.add(data)
        try:
            check_zip(path)
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                members = sheet_members(zf)
                scan_workbook(zf, path.name)      # what the guard refuses is never parsed
            python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except Exception:
            continue                  # not a readable workbook (a bad-input case)
        out += [pytest.param(data, name, member, id=f"{path.parent.name}/{path.name}/{name}")
                for name, member in members]
    return out


@pytest.mark.parametrize("data,name,member", _books())
@pytest.mark.parametrize("chunk_bytes", [1, 5000])
def test_chunks_join_to_the_whole_sheet(data, name, member, chunk_bytes):
    try:
        whole = sheet_grid([done(_whole(data, name))])
    except Exception:
        pytest.skip("calamine cannot parse this sheet whole")
    parts = _chunked_parts(data, member, name, chunk_bytes)
    if parts is None:
        pytest.skip("no plain <sheetData>: parsed whole")
    assert _same_grid(sheet_grid(parts), whole)


def _book_with_sheet_xml(rows_xml: bytes) -> bytes:
    """An xlsxwriter workbook whose sheet1.xml <sheetData> is replaced by ``rows_xml``."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("S")
    ws.write(0, 0, "x")
    wb.close()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    target_buf = io.BytesIO()
    with zipfile.ZipFile(target_buf, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData>" + rows_xml + b"</sheetData>", data,
                              flags=re.S)
            target.writestr(info.filename, data)
    return target_buf.getvalue()


def _row(r: int | None, cells: list[tuple[str | None, float]]) -> bytes:
    attr = b"" if r is None else b' r="%d"' % r
    body = b"".join((b'<c r="%s"><v>%s</v></c>' % (ref.encode(), repr(v).encode())) if ref
                    else b"<c><v>%s</v></c>" % repr(v).encode() for ref, v in cells)
    return b"<row%s>%s</row>" % (attr, body)


@pytest.mark.parametrize("rows_xml", [
    # rows out of order across chunks
    b"".join(_row(r, [(f"B{r}", float(r))]) for r in [1, 2, 9, 10, 3, 4, 5, 6]),
    # rows and cells without addresses
    b"".join(_row(None, [(None, float(i)), (None, 0.5)]) for i in range(12)),
])
def test_chunks_that_overlap_fall_back_to_a_whole_parse(rows_xml, tmp_path, monkeypatch):
    data = _book_with_sheet_xml(rows_xml)
    parts = _chunked_parts(data, "xl/worksheets/sheet1.xml", "S", 1)
    assert len(parts) > 2
    with pytest.raises(PartsOverlap):
        join_parts(parts)
    path = tmp_path / "o.xlsx"
    path.write_bytes(data)
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", 1)
    monkeypatch.setattr(sheet_chunks, "OWN_THREAD_BYTES", 1 << 30)
    assert _same_grid(_sheet_blocks(path, workers=2)[1], sheet_grid([done(_whole(data, "S"))]))


def test_leading_empty_rows_and_columns_are_kept():
    rows_xml = _row(4, [("C4", 1.0)]) + _row(7, [("B7", 2.0), ("E7", 3.0)]) + _row(20, [("D20", 4.0)])
    data = _book_with_sheet_xml(rows_xml)
    grid, filled = sheet_grid(_chunked_parts(data, "xl/worksheets/sheet1.xml", "S", 1))
    assert grid.shape == (20, 5)
    assert [(r, c, grid[r, c]) for r, c in zip(*np.nonzero(filled))] == [(3, 2, 1.0), (6, 1, 2.0), (6, 4, 3.0),
                                                                        (19, 3, 4.0)]


def _sheet_blocks(path: Path, workers: int) -> tuple[int, tuple]:
    """(number of blocks, joined grid) of the first sheet of ``path``, read through Workbooks."""
    with Workbooks([path], workers=workers) as books:
        sheet = books.open(path).sheets[0]
        try:
            blocks = list(sheet.blocks())
        except SheetRestart:
            blocks = list(sheet.blocks())
    return len(blocks), join_blocks([(b.row, b.col, b.grid, b.filled) for b in blocks])


def test_a_big_sheet_is_cut_and_read_as_a_whole_parse(tmp_path, monkeypatch):
    path = tmp_path / "big.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("海关")
    ws.write_row(0, 0, ["年月", "统一社会信用代码", "金额"])
    for i in range(1, 3000):
        ws.write_row(i, 0, [202301 + i % 12, f"91230300MA{i:08d}", i * 1.25])
    wb.close()
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", 8192)
    count, chunked = _sheet_blocks(path, workers=2)
    assert count > 10
    assert _same_grid(chunked, _sheet_blocks(path, workers=1)[1])


CELLS = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False, width=32),
                  st.booleans(), st.text(alphabet="0123456789ABC合计金额 ，", max_size=6))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS, max_size=6), min_size=1, max_size=60), first_row=st.integers(0, 5),
       first_col=st.integers(0, 3), chunk_bytes=st.integers(1, 3000))
def test_two_ways_of_cutting_a_sheet_give_the_same_grid(tmp_path, monkeypatch, rows, first_row, first_col,
                                                        chunk_bytes):
    """Property: whatever the cells and wherever the cuts fall, the blocks of a sheet cut into
    chunks join to the grid of the same sheet parsed whole."""
    path = tmp_path / "p.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(first_row + r, first_col + c, value)
    wb.close()
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", chunk_bytes)
    monkeypatch.setattr(sheet_chunks, "OWN_THREAD_BYTES", 1 << 30)
    whole = _sheet_blocks(path, workers=1)[1]
    cut = _sheet_blocks(path, workers=2)[1]
    assert _same_grid(cut, whole)


def test_booleans_share_objects_down_the_column_across_chunks(tmp_path):
    path = tmp_path / "flags.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.write_number(0, 0, 1)
    for i in range(1, 6):
        ws.write_boolean(i, 0, i % 2 == 1)
        ws.write_number(i, 1, i)
    wb.close()
    data = path.read_bytes()
    whole = sheet_grid([done(_whole(data, "S"))])
    chunked = sheet_grid(_chunked_parts(data, "xl/worksheets/sheet1.xml", "S", 1))
    assert _same_grid(chunked, whole)
    assert [type(v) for v in whole[0][:, 0]] == [float, bool, bool, bool, bool, bool]


def _bundle(folder: Path):
    from jixi_batch.policy import default_policy_path, load_policy
    from jixi_batch.reading import read_inputs

    paths = sorted(p for p in folder.iterdir() if p.suffix == ".xlsx")
    return read_inputs(paths, load_policy(default_policy_path(2023)))


def _count_blocks(monkeypatch) -> dict:
    """Count the blocks each sheet is read in, and the restarts (name -> [blocks, restarts])."""
    from jixi_batch.reading import workbooks

    counts: dict = {}
    chunks = workbooks.Sheet._chunks

    def counting(self):
        entry = counts.setdefault(self.name, [0, 0])
        try:
            for block in chunks(self):
                entry[0] += 1
                yield block
        except SheetRestart:
            entry[1] += 1
            raise
    monkeypatch.setattr(workbooks.Sheet, "_chunks", counting)
    return counts


@pytest.mark.parametrize("chunk_bytes", [512, 8192, 65536])
def test_reading_in_chunks_gives_the_same_bundle(monkeypatch, chunk_bytes):
    """Tidied chunk by chunk; 512-byte chunks hold fewer rows than the header search."""
    whole = _bundle(REPO / "input_samples")
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", chunk_bytes)
    monkeypatch.setattr(sheet_chunks, "OWN_THREAD_BYTES", 1024)     # the sheets not cut: a thread each
    counts = _count_blocks(monkeypatch)
    chunked = _bundle(REPO / "input_samples")
    assert counts["进出口明细"][0] > 1 and not any(restarts for _, restarts in counts.values())
    for table in ("customs", "province", "firms", "loans", "other_awards", "review"):
        pd.testing.assert_frame_equal(getattr(chunked, table), getattr(whole, table))
    assert chunked.accounts == whole.accounts
    assert (chunked.warnings, chunked.console) == (whole.warnings, whole.console)


def test_rows_out_of_order_are_read_whole(tmp_path, monkeypatch):
    """Data rows stored last-first: the chunks overlap, the sheet is read again whole, same result."""

    folder = tmp_path / "in"
    folder.mkdir()
    for path in (REPO / "input_samples").glob("*.xlsx"):
        data = path.read_bytes()
        if path.name == "海关数据2023.xlsx":
            source = zipfile.ZipFile(io.BytesIO(data))
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as target:
                for info in source.infolist():
                    part = source.read(info)
                    if info.filename == "xl/worksheets/sheet1.xml":
                        rows = re.findall(rb"<row .*?</row>", part, flags=re.S)
                        shuffled = b"".join(rows[:5] + rows[5:][::-1])
                        part = part.replace(b"".join(rows), shuffled)
                    target.writestr(info.filename, part)
            data = out.getvalue()
        (folder / path.name).write_bytes(data)
    whole = _bundle(folder)
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", 4096)
    counts = _count_blocks(monkeypatch)
    chunked = _bundle(folder)
    assert counts["进出口明细"][1] == 1
    pd.testing.assert_frame_equal(chunked.customs, whole.customs)
    pd.testing.assert_frame_equal(chunked.review, whole.review)


def test_one_thread_parses_sheets_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", 4096)
    path = REPO / "input_samples" / "海关数据2023.xlsx"
    assert _sheet_blocks(path, workers=1)[0] == 1
    assert _sheet_blocks(path, workers=2)[0] > 1


def test_merged_cells_of_a_cut_sheet_come_from_its_xml(tmp_path, monkeypatch):
    """A chunk carries no <mergeCells>: the merges of a cut sheet are read from the XML's tail."""
    import openpyxl

    path = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(400):
        ws.append([f"项目{i // 4}", i, "x" * 20])
    ws.merge_cells("A5:A8")
    ws.merge_cells("B390:C395")
    wb.save(path)
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", 2048)
    with Workbooks([path], workers=2) as books:
        cut = books.open(path).sheets[0]
        assert sorted(cut.merges) == [(4, 0, 7, 0), (389, 1, 394, 2)]
        assert len(list(cut.blocks())) > 1
    with Workbooks([path], workers=1) as books:
        whole = books.open(path).sheets[0]
        list(whole.blocks())
        assert sorted(whole.merges) == sorted(cut.merges)
