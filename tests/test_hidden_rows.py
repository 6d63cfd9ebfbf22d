"""Hidden data is named (INPUTS.md "Fail closed"): hidden rows and rows filtered out are read
(hiding is not deleting), and the console and 数据核对 say how many of each sheet were hidden."""
from __future__ import annotations

import struct
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from spreadsheet_writers import write_spreadsheetml
from test_reading_support import CUSTOMS_HEADER, POLICY, customs_row

from jixi_batch.cli import main
from jixi_batch.reading import read_inputs, sheet_chunks
from jixi_batch.reading.xls_rows import hidden_rows as xls_hidden_rows
from jixi_batch.xlsx_style import HEADER_ROW

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROWS = [customs_row(amount=1000 + i, seq=i + 1) for i in range(6)]


def _xlsx(path: Path, rows: list[list], hidden: list[int], filter_ref: str | None = None) -> Path:
    """Excel rows (1-based) in ``hidden`` hidden, as Excel writes them (<row hidden="1">)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "海关"
    ws.append(CUSTOMS_HEADER)
    for row in rows:
        ws.append(row)
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    if filter_ref:
        ws.auto_filter.ref = filter_ref
    wb.save(path)
    return path


def _hidden_note(bundle) -> list[str]:
    return [line for line in bundle.console if "已照常读取和计算（隐藏不等于删除）" in line]


def test_rows_hidden_by_hand_are_read_and_counted(tmp_path):
    bundle = read_inputs([_xlsx(tmp_path / "海关.xlsx", ROWS, [3, 5])], POLICY)
    assert bundle.customs["amount_fen"].sum() == sum(1000 + i for i in range(6)) * 100
    account = bundle.accounts[0]
    assert (account.rows_read, account.rows_used, account.rows_hidden) == (6, 6, 2) and account.balanced
    assert _hidden_note(bundle) == ["海关.xlsx：工作表“海关”有 2 行数据在表格中被隐藏，已照常读取和计算（隐藏不等于删除）；"
                                    "如这些行不应计算，请删除后重新运行"]


def test_rows_filtered_out_are_named_as_such(tmp_path):
    bundle = read_inputs([_xlsx(tmp_path / "海关.xlsx", ROWS, [2, 4, 6], filter_ref="A1:K7")], POLICY)
    assert bundle.accounts[0].rows_hidden == 3 and len(bundle.customs) == 6
    assert "被隐藏或被筛选掉" in _hidden_note(bundle)[0]


def test_no_hidden_rows_no_line(tmp_path):
    bundle = read_inputs([_xlsx(tmp_path / "海关.xlsx", ROWS, [])], POLICY)
    assert bundle.accounts[0].rows_hidden == 0 and not _hidden_note(bundle)


def test_a_hidden_header_or_empty_row_is_not_a_hidden_data_row(tmp_path):
    rows = ROWS[:3] + [[None] * 11] + ROWS[3:]
    bundle = read_inputs([_xlsx(tmp_path / "海关.xlsx", rows, [1, 5, 6])], POLICY)
    assert bundle.accounts[0].rows_hidden == 1            # row 6 only: row 1 is the header, row 5 is empty


@pytest.mark.parametrize("name", ["hidden_rows.ods", "hidden_rows.xls"])
def test_hidden_rows_of_ods_and_xls_saved_by_libreoffice(name):
    """Rows 3 and 5 hidden in Excel, saved by LibreOffice Calc as .ods and .xls (tests/fixtures)."""
    bundle = read_inputs([FIXTURES / name], POLICY)
    assert bundle.accounts[0].rows_hidden == 2 and len(bundle.customs) == 6 and bundle.accounts[0].balanced


def test_hidden_rows_of_an_excel_2003_xml_file(tmp_path):
    path = tmp_path / "海关.xls"
    write_spreadsheetml(path, {"海关": [CUSTOMS_HEADER] + ROWS}, hidden_rows={"海关": {2, 4}})
    bundle = read_inputs([path], POLICY)
    assert bundle.accounts[0].rows_hidden == 2 and len(bundle.customs) == 6


def test_hidden_rows_of_a_sheet_read_in_chunks(tmp_path, monkeypatch):
    rows = [customs_row(amount=1 + i, seq=i + 1, ym=f"2023{1 + i % 12:02d}") for i in range(3000)]
    hidden = list(range(10, 3000, 250))
    path = _xlsx(tmp_path / "海关.xlsx", rows, hidden)
    whole = read_inputs([path], POLICY).accounts[0]
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", 16384)
    cut = read_inputs([path], POLICY).accounts[0]
    assert whole.rows_hidden == cut.rows_hidden == len(hidden)


def test_an_xls_that_cannot_be_walked_has_no_hidden_rows():
    assert xls_hidden_rows(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600) == {}
    assert xls_hidden_rows(b"not a compound file") == {}


def test_check_sheet_shows_hidden_rows(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _xlsx(folder / "海关.xlsx", [customs_row(ym=ym, amount=1000 + i) for i, ym in enumerate(["202312"] * 3 + ["202212"])],
          [3])
    out = tmp_path / "out"
    assert main(["--input", str(folder), "--output", str(out), "--no-letters"]) == 0
    book = next(out.iterdir()) / "2023年度外贸奖励兑现表.xlsx"
    check = pd.read_excel(book, sheet_name="数据核对", engine="calamine", header=HEADER_ROW)
    assert check.loc[0, "读取行数"] == 4 and check.loc[0, "其中隐藏行数"] == 1 and check.loc[0, "核对"] == "✓ 平衡"



def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _row(r: int, hidden: bool) -> bytes:
    return _record(0x0208, struct.pack("<HHHHHHI", r, 0, 2, 0x00FF, 0, 0, 0x100 | (0x20 if hidden else 0)))


def _cell(r: int) -> bytes:
    return _record(0x0203, struct.pack("<HHHd", r, 0, 15, 1.0))          # NUMBER


def _sheet(blocks: list[list[tuple[int, bool]]], dbcells: bool, rows: int) -> bytes:
    """A BIFF8 worksheet substream: BOF, DIMENSIONS, row blocks (ROW records, their cells, a DBCELL
    pointing back to the block's first ROW when ``dbcells``), EOF."""
    out = _record(0x0809, struct.pack("<HH", 0x0600, 0x0010) + bytes(12))
    out += _record(0x0200, struct.pack("<IIHHH", 0, rows, 0, 2, 0))
    for block in blocks:
        start = len(out)
        out += b"".join(_row(r, h) for r, h in block) + b"".join(_cell(r) for r, _ in block)
        if dbcells:
            out += _record(0x00D7, struct.pack("<I", len(out) - start))
    return out + _record(0x000A, b"")


@pytest.mark.parametrize("dbcells, rows", [(True, 70), (False, 70), (False, 5)])
def test_xls_row_records_found_without_walking_the_cells(dbcells, rows):
    """Excel's 32-row blocks closed by DBCELLs, or ROW records among the cells as xlwt writes them;
    a number whose bytes hold a ROW record's start is not taken for one."""
    from jixi_batch.reading import xls_rows

    hidden = {3, 40, 65} if rows == 70 else {3}
    blocks = [[(r, r in hidden) for r in range(start, min(start + 32, rows))] for start in range(0, rows, 32)]
    book = _sheet(blocks, dbcells, rows)
    decoy = _record(0x0203, struct.pack("<HHH", 1, 0, 15) + struct.pack("<HH", 0x0208, 16) + bytes([0x20, 1, 0, 0]))
    book = book[:-4] + decoy + book[-4:]
    assert sorted(xls_rows._hidden_in(book, 0, len(book))) == sorted(hidden)
