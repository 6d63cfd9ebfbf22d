"""File formats beyond .xlsx: guards before calamine (.xlsb, .ods), text tables (HTML, Excel 2003 XML,
UTF-16 CSV), and the kinds that are named and refused."""
from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

import spreadsheet_writers as W
from jixi_batch.reading import InputError
from jixi_batch.reading.workbooks import Workbooks


def _open(path: Path):
    with Workbooks([path]) as books:
        book = books.open(path)
        return book, [(s.name, s.whole()[0].tolist()) for s in book.sheets]


def _replace_member(path: Path, member_prefix: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    name = next(n for n in parts if n.startswith(member_prefix))
    parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        if "mimetype" in parts:
            out.writestr("mimetype", parts.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
        for n, d in parts.items():
            out.writestr(n, d)


def test_an_xlsb_with_one_cell_far_away_is_refused_before_calamine(tmp_path):
    """Two cells, A1 and XFD1048576: calamine would allocate 17 billion cells and abort."""
    path = tmp_path / "远.xlsb"
    W.write_xlsb(path, {"名单": [["x"]]})

    def row(r, c):
        return [W._rec(0x00, struct.pack("<IIHBBBI", r, 0, 300, 0, 0, 0, 1) + W._u32(c, c)),
                W._rec(0x05, W._u32(c, 0) + struct.pack("<d", 1.0))]
    sheet = b"".join([W._rec(0x81), W._rec(0x94, W._u32(0, 0, 0, 0)), W._rec(0x91)] + row(0, 0)
                     + row(1_048_575, 16_383) + [W._rec(0x92), W._rec(0x82)])
    _replace_member(path, "xl/worksheets/", sheet)
    with pytest.raises(InputError, match="远.xlsb.*名单.*太大"):
        _open(path)


def test_an_ods_cell_repeated_a_billion_times_is_refused(tmp_path):
    path = tmp_path / "重复.ods"
    W.write_ods(path, {"表": [["x", 1]]})
    with zipfile.ZipFile(path) as zf:
        content = zf.read("content.xml")
    bomb = (b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" '
            b'office:value="1" table:number-columns-repeated="1000"><text:p>1</text:p></table:table-cell>'
            b"</table:table-row>")
    _replace_member(path, "content.xml", content.replace(b"</table:table>", bomb + b"</table:table>"))
    with pytest.raises(InputError, match="重复.ods.*表.*太大"):
        _open(path)


def test_empty_repeats_as_libreoffice_writes_them_are_fine(tmp_path):
    path = tmp_path / "ok.ods"
    W.write_ods(path, {"表": [["x", 1]]})
    with zipfile.ZipFile(path) as zf:
        content = zf.read("content.xml")
    tail = (b'<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
            b'table:number-columns-repeated="1024"/></table:table-row>')
    _replace_member(path, "content.xml", content.replace(b"</table:table>", tail + b"</table:table>"))
    _, sheets = _open(path)
    assert sheets == [("表", [["x", 1.0]])]


def test_html_table_with_spans(tmp_path):
    path = tmp_path / "导出.xls"
    W.write_html_xls(path, {"S": [["项目", "企业"], ["A", "甲"], [None, "乙"]]}, merges={"S": [(1, 0, 2, 0)]},
                     encoding="gbk")
    book, sheets = _open(path)
    assert book.kind == "html" and sheets[0][1] == [["项目", "企业"], ["A", "甲"], [None, "乙"]]
    assert book.sheets[0].merges == [(1, 0, 2, 0)]


def test_html_span_too_big_is_refused(tmp_path):
    path = tmp_path / "大.xls"
    path.write_text('<html><table><tr><td rowspan="1048576" colspan="16384">x</td></tr></table></html>')
    with pytest.raises(InputError, match="大.xls.*太大"):
        _open(path)


def test_spreadsheetml_with_a_doctype_is_refused(tmp_path):
    path = tmp_path / "表.xls"
    path.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
                    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>')
    with pytest.raises(InputError, match="DOCTYPE"):
        _open(path)


def test_spreadsheetml_cells_and_merges(tmp_path):
    path = tmp_path / "表.xls"
    W.write_spreadsheetml(path, {"S": [["项目", "金额"], ["A", 1.5], [None, 2]]}, merges={"S": [(1, 0, 2, 0)]})
    book, sheets = _open(path)
    assert book.kind == "spreadsheetml" and sheets == [("S", [["项目", "金额"], ["A", 1.5], [None, 2]])]
    assert book.sheets[0].merges == [(1, 0, 2, 0)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "gb18030"])
def test_csv_in_any_encoding_excel_writes(tmp_path, encoding):
    path = tmp_path / "表.csv"
    path.write_bytes("统一社会信用代码\t金额\r\n91230300MA1B2C3D45\t1,234.5\r\n".encode(encoding))
    _, sheets = _open(path)
    assert sheets[0][1] == [["统一社会信用代码", "金额"], ["91230300MA1B2C3D45", "1,234.5"]]


@pytest.mark.parametrize("name,content,words", [
    ("表.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), ["WPS表格", "另存为"]),
    ("表.numbers", None, ["Numbers", "另存为"]),
    ("网页.xls", b"MIME-Version: 1.0\r\nContent-Type: multipart/related", ["网页存档"]),
    ("表.xlsx", "统一社会信用代码,金额\n".encode(), ["已损坏"]),
])
def test_kinds_that_cannot_be_read_are_named(tmp_path, name, content, words):
    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("Index/Document.iwa", b"\x00")
    else:
        path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        _open(path)
    for word in [name] + words:
        assert word in str(caught.value)


def _sheet_xml_book(tmp_path: Path, rows_xml: bytes, name: str = "未编址.xlsx") -> Path:
    """An xlsxwriter workbook whose sheet's <sheetData> is replaced by ``rows_xml``."""
    import io
    import re

    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    wb.add_worksheet("名单").write(0, 0, "x")
    wb.close()
    path = tmp_path / name
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData>" + rows_xml + b"</sheetData>", data, flags=re.S)
                data = re.sub(rb"<dimension[^>]*/>", b'<dimension ref="A1"/>', data)
            dst.writestr(info, data)
    return path


def test_a_row_of_cells_without_addresses_is_counted_before_calamine(tmp_path):
    """8 KB: 1,000 short rows, then one row of 16,384 cells with no r= — calamine would allocate
    16 million cells (and, at Excel's row limit, abort); every cell element counts."""
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 1000))
    last = b'<row r="1000">' + b"<c><v>0</v></c>" * 16_384 + b"</row>"
    path = _sheet_xml_book(tmp_path, rows + last)
    assert path.stat().st_size < 20_000
    with pytest.raises(InputError, match="未编址.xlsx.*名单.*太大.*16,384 列"):
        _open(path)


def test_a_far_cell_behind_a_lying_dimension_is_counted(tmp_path):
    path = _sheet_xml_book(tmp_path, b'<row r="1"><c r="A1"><v>1</v></c></row>'
                                     b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "远.xlsx")
    with pytest.raises(InputError, match="远.xlsx.*太大"):
        _open(path)


@pytest.mark.parametrize("rows_xml", [
    b'<row r="3"><c r="B3"><v>1</v></c><c r="AA3" s="2"/></row>',              # a formatted empty cell
    b'<row><c><v>1</v></c><c><v>2</v></c></row><row><c r="D9"><v>1</v></c></row>',   # no addresses
    b'<row r="2"><c s="0" r="C2"><v>1</v></c><c r=\'E2\'><v>1</v></c></row>',       # attribute order, quotes
    b'<row r="5" spans="1:3"><c r="AB5" t="s"><v>0</v></c></row><row r="12"><c r="c12"><v>1</v></c></row>',
])
def test_both_ways_of_counting_agree_with_calamine(tmp_path, rows_xml):
    """The exact count places cells as calamine does; the quick one is never below it."""
    import python_calamine

    from jixi_batch.reading import xlsx_guard

    path = _sheet_xml_book(tmp_path, rows_xml, "c.xlsx")
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("名单")
    end_row, end_col = sheet.end
    assert xlsx_guard._exact_extent(rows_xml) == (end_row + 1, end_col + 1)
    quick = xlsx_guard._plain_extent(rows_xml)
    assert quick is None or (quick[0] >= end_row + 1 and quick[1] >= end_col + 1)
