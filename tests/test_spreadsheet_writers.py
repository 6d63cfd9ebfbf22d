"""Round-trip checks for tests/spreadsheet_writers.py.

xlsb and ods are read back with python-calamine; SpreadsheetML and HTML have no
calamine reader, so they are parsed with defusedxml / html.parser instead.
"""

import datetime as dt
import io
import struct
import zipfile
from html.parser import HTMLParser

import pytest
from defusedxml import ElementTree
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from spreadsheet_writers import write_html_xls, write_ods, write_spreadsheetml, write_xlsb

LONG = "长" * 70 + "x" * 20000  # record sizes needing 3-byte length fields
SHEETS = {
    "数据": [
        [],  # leading empty rows
        [None],
        [None, "姓名", None, "91230300MA1BXXXXXX", "0110", 1, 2.5, True, False, None, "x"],
        ["a"],  # shorter row; (3, 1) and (3, 2) are under a merge
        [None, None, -3, 0, 1e300, None, None, None, 12345678901234, -0.1, 2**53],
        ["  two  spaces", "l1\nl2", "tab\there", "<&>\"'", "𠀀 non-BMP", LONG],
        [dt.date(2024, 3, 5), dt.datetime(2024, 3, 5, 14, 30, 15), dt.date(1900, 1, 1), dt.date(1900, 2, 28)],
        [None, None, None, None, None, None, None, None, None, None, None, "wide"],
        [None],  # trailing empty row: not part of the range
    ],
    "Hidden sheet": [["h", 1]],
    "Empty": [],
    "Offset": [[None, None], [None, None, "only"]],  # first row and columns empty
}
MERGES = {"数据": [(2, 1, 3, 2), (4, 4, 4, 7)], "Offset": [(1, 2, 1, 3)]}
HIDDEN = ["Hidden sheet"]


def expected_grid(rows, midnight_as_date=False):
    """What to_python(skip_empty_area=False) should return: a rectangle from (0, 0)
    to the last non-empty cell, '' for empty cells, numbers as floats."""
    cells = {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row) if v not in (None, "")}
    if not cells:
        return []
    height, width = max(r for r, _ in cells) + 1, max(c for _, c in cells) + 1
    grid = [[""] * width for _ in range(height)]
    for (r, c), v in cells.items():
        if isinstance(v, int) and not isinstance(v, bool):
            v = float(v)
        if midnight_as_date and isinstance(v, dt.datetime) and v.time() == dt.time():
            v = v.date()
        grid[r][c] = v
    return grid


def read_back(path):
    wb = CalamineWorkbook.from_path(str(path))
    grids = {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}
    merges = {n: wb.get_sheet_by_name(n).merged_cell_ranges for n in wb.sheet_names}
    visible = {m.name: m.visible for m in wb.sheets_metadata}
    return grids, merges, visible


@pytest.mark.parametrize("writer, ext", [(write_xlsb, "xlsb"), (write_ods, "ods")])
def test_round_trip_through_calamine(tmp_path, writer, ext):
    path = tmp_path / f"book.{ext}"
    writer(path, SHEETS, MERGES, hidden=HIDDEN)
    grids, merges, visible = read_back(path)

    assert list(grids) == list(SHEETS)
    for name, rows in SHEETS.items():
        # xlsb stores dates as serials: python-calamine returns a whole-day serial as a date
        assert grids[name] == expected_grid(rows, midnight_as_date=ext == "xlsb"), name
    assert visible == {
        name: SheetVisibleEnum.Hidden if name in HIDDEN else SheetVisibleEnum.Visible for name in SHEETS
    }
    # python-calamine 0.9 reports merged ranges for xls/xlsx only (None here); accept a later
    # version that reports them, as long as they are right
    for name in SHEETS:
        ranges = [((r1, c1), (r2, c2)) for r1, c1, r2, c2 in MERGES.get(name, [])]
        assert merges[name] is None or sorted(merges[name]) == ranges, name

    # file-like objects are detected by content as well
    wb = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    assert wb.get_sheet_by_name("Offset").to_python(skip_empty_area=False) == [["", "", ""], ["", "", "only"]]


@pytest.mark.parametrize("writer, ext", [(write_xlsb, "xlsb"), (write_ods, "ods")])
def test_datetimes(tmp_path, writer, ext):
    values = [
        dt.datetime(2024, 3, 5),  # midnight
        dt.datetime(1999, 12, 31, 23, 59, 59),
        dt.datetime(1900, 2, 28, 12),  # before Excel's fake 1900-02-29
        dt.datetime(2024, 3, 5, 14, 30, 15, 123000),
        dt.datetime(2024, 3, 5, 14, 30, 15, 123456),
    ]
    path = tmp_path / f"dates.{ext}"
    writer(path, {"d": [values]})
    got = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("d").to_python()[0]
    if ext == "ods":
        assert got == values  # ISO date-values round-trip exactly
    else:
        # serial numbers: midnight comes back as a date, sub-second part to milliseconds
        assert got == [dt.date(2024, 3, 5), *values[1:4], values[4].replace(microsecond=123000)]


def xlsb_records(data):
    """Split a BIFF12 part into (type, body) records, checking the framing."""
    pos, out = 0, []
    while pos < len(data):
        rtype = data[pos] & 0x7F
        if data[pos] & 0x80:
            pos += 1
            rtype |= (data[pos] & 0x7F) << 7
        pos += 1
        size = shift = 0
        for _ in range(4):
            size |= (data[pos] & 0x7F) << shift
            shift += 7
            pos += 1
            if not data[pos - 1] & 0x80:
                break
        out.append((rtype, data[pos : pos + size]))
        pos += size
    assert pos == len(data)
    return out


def test_xlsb_parts_and_records(tmp_path):
    path = tmp_path / "book.xlsb"
    write_xlsb(path, SHEETS, MERGES, hidden=HIDDEN)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert names[:4] == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.bin", "xl/_rels/workbook.bin.rels"]
        assert {"xl/styles.bin", "xl/sharedStrings.bin", "xl/worksheets/sheet4.bin"} <= set(names)
        ElementTree.fromstring(zf.read("[Content_Types].xml"))
        book = xlsb_records(zf.read("xl/workbook.bin"))
        sheet1 = xlsb_records(zf.read("xl/worksheets/sheet1.bin"))
        for name in names:
            if name.endswith(".bin"):
                records = xlsb_records(zf.read(name))
                assert records[0][0] in (0x0083, 0x0081, 0x0116, 0x009F)  # Begin{Book,Sheet,StyleSheet,Sst}

    bundles = [body for rtype, body in book if rtype == 0x009C]  # BrtBundleSh
    assert [struct.unpack_from("<I", b)[0] for b in bundles] == [0, 1, 0, 0]  # hsState
    merges = [struct.unpack("<4I", body) for rtype, body in sheet1 if rtype == 0x00B0]  # BrtMergeCell
    assert merges == [(2, 3, 1, 2), (4, 4, 4, 7)]  # rwFirst, rwLast, colFirst, colLast
    dim = next(body for rtype, body in sheet1 if rtype == 0x0094)  # BrtWsDim
    assert struct.unpack("<4I", dim) == (2, 7, 0, 11)


def test_ods_package(tmp_path):
    path = tmp_path / "book.ods"
    write_ods(path, SHEETS, MERGES, hidden=HIDDEN)
    with zipfile.ZipFile(path) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert zf.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        ElementTree.fromstring(zf.read("META-INF/manifest.xml"))
        content = ElementTree.fromstring(zf.read("content.xml"))
    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0"}
    t = "{%s}" % ns["table"]
    tables = {tb.get(t + "name"): tb for tb in content.iter(t + "table")}
    assert tables["Hidden sheet"].get(t + "style-name") == "ta_hidden"
    rows = tables["数据"].findall("table:table-row", ns)
    anchor = rows[2].findall("table:table-cell", ns)[1]
    assert (anchor.get(t + "number-rows-spanned"), anchor.get(t + "number-columns-spanned")) == ("2", "2")
    assert len(rows[2].findall("table:covered-table-cell", ns)) == 1
    assert len(rows[3].findall("table:covered-table-cell", ns)) == 2


def grid_from_spreadsheetml(worksheet, ns):
    """{(row, col): (type, text)} plus merges, following ss:Index and the merge spans."""
    ss = "{%s}" % ns["ss"]
    cells, merges, r = {}, [], -1
    for row in worksheet.findall("ss:Table/ss:Row", ns):
        r = int(row.get(ss + "Index", r + 2)) - 1
        c = -1
        for cell in row.findall("ss:Cell", ns):
            c = int(cell.get(ss + "Index", c + 2)) - 1
            across, down = int(cell.get(ss + "MergeAcross", 0)), int(cell.get(ss + "MergeDown", 0))
            if across or down:
                merges.append((r, c, r + down, c + across))
            data = cell.find("ss:Data", ns)
            if data is not None:
                cells[(r, c)] = (data.get(ss + "Type"), data.text)
            c += across
    return cells, merges


def test_spreadsheetml(tmp_path):
    path = tmp_path / "book.xls"
    write_spreadsheetml(path, SHEETS, MERGES, hidden=HIDDEN)
    raw = path.read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>')
    ns = {"ss": "urn:schemas-microsoft-com:office:spreadsheet", "x": "urn:schemas-microsoft-com:office:excel"}
    root = ElementTree.fromstring(raw)
    sheets = {ws.get("{%s}Name" % ns["ss"]): ws for ws in root.findall("ss:Worksheet", ns)}
    assert list(sheets) == list(SHEETS)
    assert sheets["Hidden sheet"].find("x:WorksheetOptions/x:Visible", ns).text == "SheetHidden"

    cells, merges = grid_from_spreadsheetml(sheets["数据"], ns)
    assert merges == [(2, 1, 3, 2), (4, 4, 4, 7)]
    assert cells[(2, 1)] == ("String", "姓名")
    assert cells[(2, 3)] == ("String", "91230300MA1BXXXXXX")  # ss:Index after the merge
    assert cells[(2, 4)] == ("String", "0110")
    assert cells[(2, 5)] == ("Number", "1") and cells[(2, 6)] == ("Number", "2.5")
    assert cells[(2, 7)] == ("Boolean", "1") and cells[(2, 8)] == ("Boolean", "0")
    assert cells[(2, 10)] == ("String", "x")
    assert cells[(3, 0)] == ("String", "a") and (3, 1) not in cells
    assert cells[(4, 4)] == ("Number", "1e+300") and cells[(4, 8)] == ("Number", "12345678901234")
    assert cells[(5, 1)] == ("String", "l1\nl2") and cells[(5, 0)] == ("String", "  two  spaces")
    assert cells[(6, 0)] == ("DateTime", "2024-03-05T00:00:00.000")
    assert cells[(6, 1)] == ("DateTime", "2024-03-05T14:30:15.000")
    assert cells[(7, 11)] == ("String", "wide")
    assert grid_from_spreadsheetml(sheets["Offset"], ns)[0] == {(1, 2): ("String", "only")}


class TableGrid(HTMLParser):
    """Collect <table> grids as {(row, col): text} with rowspan/colspan placement."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.spans, self.charset = [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "charset" in a:
            self.charset = a["charset"]
        elif tag == "table":
            self.tables.append({})
            self.spans.append([])
            self.busy, self.r = set(), -1
        elif tag == "tr":
            self.r, self.c = self.r + 1, -1
        elif tag in ("td", "th"):
            self.c += 1
            while (self.r, self.c) in self.busy:
                self.c += 1
            rs, cs = int(a.get("rowspan", 1)), int(a.get("colspan", 1))
            self.busy.update((self.r + i, self.c + j) for i in range(rs) for j in range(cs))
            if rs > 1 or cs > 1:
                self.spans[-1].append((self.r, self.c, self.r + rs - 1, self.c + cs - 1))
            self.cell = (self.r, self.c)
            self.tables[-1][self.cell] = ""
            self.c += cs - 1
        elif tag == "br":
            self.tables[-1][self.cell] += "\n"

    def handle_data(self, data):
        if self.tables and getattr(self, "cell", None) in self.tables[-1]:
            self.tables[-1][self.cell] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cell = None


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_html_xls(tmp_path, encoding):
    path = tmp_path / "book.xls"
    write_html_xls(path, SHEETS, MERGES, encoding=encoding)
    text = path.read_bytes().decode(encoding)
    assert 'xmlns:x="urn:schemas-microsoft-com:office:excel"' in text
    parser = TableGrid()
    parser.feed(text)
    assert parser.charset == encoding
    assert len(parser.tables) == len(SHEETS)
    grid = {k: v for k, v in parser.tables[0].items() if v}
    assert parser.spans[0] == [(2, 1, 3, 2), (4, 4, 4, 7)]
    assert grid[(2, 1)] == "姓名" and (2, 2) not in grid  # (2, 2) is covered by the merge
    assert grid[(2, 3)] == "91230300MA1BXXXXXX" and grid[(2, 4)] == "0110" and grid[(2, 10)] == "x"
    assert [grid[(2, c)] for c in (5, 6, 7, 8)] == ["1", "2.5", "TRUE", "FALSE"]
    assert grid[(3, 0)] == "a"
    assert [grid[(4, c)] for c in (2, 3, 4, 8, 10)] == ["-3", "0", "1e+300", "12345678901234", "9007199254740992"]
    assert grid[(5, 1)] == "l1\nl2" and grid[(5, 4)] == "𠀀 non-BMP" and grid[(5, 3)] == "<&>\"'"
    assert [grid[(6, c)] for c in (0, 1)] == ["2024-03-05", "2024-03-05 14:30:15"]
    assert grid[(7, 11)] == "wide"
    assert parser.tables[3] == {(0, 0): "", (0, 1): "", (1, 0): "", (1, 1): "", (1, 2): "only"}
    assert parser.spans[3] == [(1, 2, 1, 3)]
