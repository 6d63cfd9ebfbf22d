"""Tables that arrive as text: CSV in any encoding Excel or WPS writes, and the HTML or XML tables
that many government systems save under an ``.xls`` name.

Each reader gives the sheets of the file as (name, rows, merges): rows of text cells (None for
an empty one), merges as (first row, first column, last row, last column), 0-based. Nothing here
evaluates anything: the HTML reader is the standard library's tokenizer (no scripts, no network,
no entities beyond HTML's own), the XML one is defusedxml (no DTDs, no entity expansion).
"""
from __future__ import annotations

import csv
import html.parser
import io
import re
from pathlib import Path

from .errors import InputError

MAX_CELLS = 15_000_000          # as for a worksheet (xlsx_guard)
MAX_SPAN = 1_048_576
SPREADSHEETML_NS = "urn:schemas-microsoft-com:office:spreadsheet"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)

Sheets = list[tuple]      # (name, rows, merges (first row, first col, last row, last col)[, hidden rows])


def decode_text(path: Path, data: bytes) -> str:
    """UTF-16 (with a BOM, or plainly ASCII-in-UTF-16), UTF-8 (with or without BOM), else GB18030."""
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16")
    encoding = _utf16_without_bom(data)
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"文件“{path.name}”的编码无法识别（应为UTF-8、GBK或UTF-16），请用Excel另存为.xlsx再试。")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: the NUL bytes of its ASCII characters (digits, commas, tabs,
    line ends) fall on odd positions (little-endian) or on even ones, far more than the other way."""
    head = data[:4096]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd > len(head) // 20 and even * 4 < odd:
        return "utf-16-le"
    if even > len(head) // 20 and odd * 4 < even:
        return "utf-16-be"
    return None


def kind_of_text(data: bytes) -> str:
    """'html', 'spreadsheetml', 'mime' (a web archive) or 'csv', from the first bytes."""
    head = data[:4096]
    if head.startswith(_UTF16_BOMS) or _utf16_without_bom(head):
        head = head.decode("utf-16" if head.startswith(_UTF16_BOMS) else _utf16_without_bom(head),
                           "ignore").encode("utf-8")
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sniff.startswith(b"mime-version"):
        return "mime"
    if sniff.startswith(b"<?xml") or sniff.startswith(b"<workbook"):
        return "spreadsheetml" if SPREADSHEETML_NS.encode() in data[:65536] else "xml"
    if sniff.startswith((b"<html", b"<!doctype html", b"<table", b"<meta", b"<head", b"<body", b"<!--")):
        return "html"
    return "csv"


# --- CSV -------------------------------------------------------------------------------------

def read_csv(path: Path, text: str) -> Sheets:
    """The one sheet of a CSV (comma or tab separated; a trailing separator is an empty cell)."""
    if "\x00" in text:
        raise InputError(f"文件“{path.name}”不是文本格式的CSV文件，无法读取。")
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = _csv_fast(text, delimiter)
    if rows is None:
        try:
            rows = [[cell if cell != "" else None for cell in row]
                    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
        except csv.Error as exc:
            raise InputError(f"文件“{path.name}”不是有效的CSV文件（{exc}），无法读取。") from exc
    return [(path.stem or "CSV", rows, [])]


def _csv_fast(text: str, delimiter: str):
    """pandas' C parser, when every line fits the width seen in the first lines; else None.

    Blank lines are kept (row i stays line i + 1); empty fields become None."""
    import pandas as pd

    head = list(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter))[:200]
    width = max((len(r) for r in head), default=0)
    if width == 0:
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, names=list(range(width)), dtype=str,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            sep=delimiter, engine="c", quotechar='"', index_col=False)
    except (pd.errors.ParserError, ValueError, csv.Error):
        return None
    grid = frame.to_numpy(dtype=object, copy=True)        # pandas may hand out a read-only view
    grid[grid == ""] = None
    return grid


# --- HTML ------------------------------------------------------------------------------------

class _TableParser(html.parser.HTMLParser):
    """Rows and cell spans of every <table> (nested tables are read as their own table)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self._stack: list[list] = []             # open tables: their rows
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._skip = 0                           # inside <script>/<style>

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self._stack.append([])
        elif not self._stack:
            return
        elif tag == "tr":
            self._stack[-1].append([])
        elif tag in ("td", "th"):
            self._close_cell()
            if not self._stack[-1]:
                self._stack[-1].append([])
            values = dict(attrs)
            self._span = (_span(values.get("rowspan")), _span(values.get("colspan")))
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_cell()
        elif tag == "table" and self._stack:
            self._close_cell()
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None and not self._skip:
            self._cell.append(data)

    def _close_cell(self):
        if self._cell is not None and self._stack and self._stack[-1]:
            text = re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(self._cell)).strip()
            self._stack[-1][-1].append((text, *self._span))
        self._cell = None

    def close(self):
        super().close()
        while self._stack:
            self._close_cell()
            self.tables.append(self._stack.pop())


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), MAX_SPAN))
    except (TypeError, ValueError):
        return 1


def read_html(path: Path, data: bytes) -> Sheets:
    """Every <table> of an HTML page as a sheet; rowspan/colspan become merged cells."""
    match = _CHARSET_RE.search(data[:4096])
    text = None
    if match and not data.startswith(_UTF16_BOMS):
        try:
            text = data.decode(match.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode_text(path, data)
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    sheets = []
    for number, rows in enumerate(t for t in parser.tables if any(t)):
        grid, merges = _place(path, rows)
        sheets.append((f"表{number + 1}" if len(parser.tables) > 1 else (path.stem or "表1"), grid, merges))
    if not sheets:
        raise InputError(f"文件“{path.name}”是网页格式，但其中没有表格，无法读取。")
    return sheets


def _place(path: Path, rows: list[list[tuple[str, int, int]]]):
    """Cells with spans placed in a grid (a cell covered by a span above is skipped, as browsers do)."""
    taken: set[tuple[int, int]] = set()
    cells: dict[tuple[int, int], str] = {}
    merges = []
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            if rowspan * colspan > 1:
                if rowspan * colspan > MAX_CELLS:
                    raise _too_big(path)
                merges.append((r, c, r + rowspan - 1, c + colspan - 1))
                taken.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
            if text:
                cells[(r, c)] = text
            c += colspan
            width = max(width, c)
    height = max([len(rows)] + [m[2] + 1 for m in merges])
    if height * max(width, 1) > MAX_CELLS:
        raise _too_big(path)
    grid = [[None] * width for _ in range(height)]
    for (r, c), text in cells.items():
        grid[r][c] = text
    return grid, merges


def _too_big(path: Path) -> InputError:
    return InputError(f"文件“{path.name}”中的表格太大（超过 {MAX_CELLS:,} 个单元格），超过程序的处理上限。"
                      "请按年度/月份拆分成多个文件后再运行。")


# --- Excel 2003 XML (SpreadsheetML) --------------------------------------------------------------

def read_spreadsheetml(path: Path, data: bytes) -> Sheets:
    """The worksheets of an Excel 2003 XML file (ss:Index skips, ss:MergeAcross/MergeDown merge)."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    ns = "{" + SPREADSHEETML_NS + "}"
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise InputError(f"文件“{path.name}”含有 DOCTYPE/ENTITY 声明，可能是恶意构造的文件，已拒绝读取。"
                         "请用Excel打开后另存为.xlsx再试。") from None
    except ElementTree.ParseError as exc:
        raise InputError(f"文件“{path.name}”不是有效的XML表格（{exc}），无法读取。"
                         "请用Excel打开后另存为.xlsx再试。") from None
    try:
        return _spreadsheetml_sheets(path, root, ns)
    except ValueError as exc:          # an ss:Index or ss:MergeAcross that is not a number
        raise InputError(f"文件“{path.name}”的XML表格格式有误（{exc}），无法读取。请用Excel打开后另存为.xlsx再试。") from None


def _spreadsheetml_sheets(path: Path, root, ns: str) -> Sheets:
    sheets = []
    for number, ws in enumerate(root.iter(ns + "Worksheet")):
        name = ws.get(ns + "Name") or f"Sheet{number + 1}"
        if (ws.get(ns + "Visible") or "").lower().startswith("sheethidden"):
            continue
        cells, merges, height, width, hidden = {}, [], 0, 0, []
        r = -1
        for row in ws.iter(ns + "Row"):
            r = _index(row.get(ns + "Index"), r + 1)
            if row.get(ns + "Hidden") in ("1", "true"):
                hidden.append(r)
            c = -1
            for cell in row.findall(ns + "Cell"):
                c = _index(cell.get(ns + "Index"), c + 1)
                across = min(int(cell.get(ns + "MergeAcross") or 0), MAX_SPAN)
                down = min(int(cell.get(ns + "MergeDown") or 0), MAX_SPAN)
                if across or down:
                    merges.append((r, c, r + down, c + across))
                value = _xml_value(cell.find(ns + "Data"), ns)
                if value is not None:
                    cells[(r, c)] = value
                height, width = max(height, r + down + 1), max(width, c + across + 1)
                if height > MAX_SPAN or height * max(width, 1) > MAX_CELLS:
                    raise _too_big(path)
                c += across
        grid = [[None] * width for _ in range(height)]
        for (i, j), value in cells.items():
            grid[i][j] = value
        sheets.append((name, grid, merges, hidden))
    return sheets


def _index(value, default: int) -> int:
    """ss:Index is 1-based; a missing one continues from the previous row or cell."""
    if value is None:
        return default
    index = int(value) - 1
    if not 0 <= index < MAX_SPAN:
        raise ValueError(f"ss:Index {value}")
    return max(index, default)


def _xml_value(data, ns: str):
    if data is None:
        return None
    text = "".join(data.itertext())
    kind = data.get(ns + "Type", "String")
    if kind == "Number":
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    if kind == "Boolean":
        return text.strip() == "1"
    if kind == "DateTime":
        import datetime as dt
        try:
            return dt.datetime.fromisoformat(text.strip())
        except ValueError:
            return text
    return text if text != "" else None
