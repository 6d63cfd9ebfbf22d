"""Pure-Python writers for spreadsheet formats that no installed library writes.

Tests use them to build input files for the reader (python-calamine) and for
the "Excel file that is really XML/HTML" cases that government systems produce:

- write_xlsb          Excel binary workbook (BIFF12 / MS-XLSB)
- write_ods           OpenDocument spreadsheet
- write_spreadsheetml Excel 2003 XML Spreadsheet (often saved as .xls)
- write_html_xls      HTML table (often saved as .xls)

Common arguments: ``sheets`` maps sheet name -> list of rows, each row a list of
values (None, str, int, float, bool, datetime.date, datetime.datetime); rows
may have different lengths. ``merges`` maps sheet name -> list of
(first_row, first_col, last_row, last_col), 0-based and inclusive. ``hidden``
names sheets to mark hidden. Empty strings are written as empty cells.
Standard library only.
"""

import datetime as _dt
import math
import re
import struct
import zipfile
from xml.sax.saxutils import escape, quoteattr

__all__ = ["write_xlsb", "write_ods", "write_spreadsheetml", "write_html_xls"]


# --------------------------------------------------------------------------
# Shared helpers


def _kind(value):
    """Classify a cell value: 'empty', 'bool', 'number', 'string', 'date' or 'datetime'."""
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "bool"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"cannot write non-finite number {value!r}")
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, _dt.datetime):  # before date: datetime is a date subclass
        return "datetime"
    if isinstance(value, _dt.date):
        return "date"
    raise TypeError(f"unsupported cell value {value!r}")


def _spans(merges):
    """Return ({(row, col): (rows, cols)} for merge anchors, {covered (row, col)})."""
    anchors, covered = {}, set()
    for r1, c1, r2, c2 in merges or ():
        if r2 < r1 or c2 < c1:
            raise ValueError(f"bad merge range {(r1, c1, r2, c2)}")
        anchors[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
        covered.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
        covered.discard((r1, c1))
    return anchors, covered


def _excel_serial(value):
    """Excel 1900-system serial number of a date/datetime (with Excel's fake 1900-02-29)."""
    moment = value.replace(tzinfo=None) if isinstance(value, _dt.datetime) else _dt.datetime.combine(value, _dt.time())
    delta = moment - _dt.datetime(1899, 12, 30)
    days = delta.days - 1 if delta.days < 61 else delta.days  # before 1900-03-01: 1900-01-01 is 1
    return days + (delta.seconds + delta.microseconds / 1e6) / 86400.0


def _display(value):
    """Text as a spreadsheet would display the value."""
    kind = _kind(value)
    if kind == "empty":
        return ""
    if kind == "bool":
        return "TRUE" if value else "FALSE"
    if kind == "number":
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return str(value)
    if kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if kind == "date":
        return value.isoformat()
    return value


def _xml_text(text):
    """Escape text for XML content/attributes, keeping CR/LF/TAB explicit."""
    return escape(text, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;", '"': "&quot;"})


def _zip(path, members):
    """Write (name, bytes) members in order; an ODF "mimetype" member is stored uncompressed."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(info, data)


# --------------------------------------------------------------------------
# XLSB (MS-XLSB). Record = type (1-2 byte varint) + size (1-4 byte varint) + body.

_DATE_FMT, _DATETIME_FMT = 164, 165  # custom number format ids
_XF_GENERAL, _XF_DATE, _XF_DATETIME = 0, 1, 2  # cell XF indexes (iStyleRef)


def _rec(rtype, body=b""):
    out = bytearray([rtype]) if rtype < 0x80 else bytearray([(rtype & 0x7F) | 0x80, rtype >> 7])
    n = len(body)
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            break
    return bytes(out) + body


def _wstr(text):
    """XLWideString: u32 count of UTF-16 code units + UTF-16LE."""
    data = text.encode("utf-16-le")
    return struct.pack("<I", len(data) // 2) + data


def _u32(*values):
    return struct.pack(f"<{len(values)}I", *values)


def _xlsb_styles():
    """styles.bin: 1 font, 2 fills, 1 border, 1 style XF, cell XFs General/date/datetime.

    Calamine's style reader only looks at BrtBeginFmts/BrtFmt and BrtBeginCellXFs/BrtXF
    (it byte-scans the records in between), so this block is kept constant and tested.
    """
    color_auto = bytes(8)  # BrtColor xColorType=auto
    color_theme1 = bytes([0x06, 1, 0, 0, 0, 0, 0, 0])  # xColorType=theme(3), theme index 1 (dk1)
    fill = lambda fls: _u32(fls) + bytes([0x02, 64] + [0] * 6) + bytes([0x02, 65] + [0] * 6) + bytes(48)
    blxf = bytes(2) + color_auto
    xf = lambda parent, fmt, attrs: struct.pack("<HHHHHBBHBB", parent, fmt, 0, 0, 0, 0, 0, 0x1010, attrs, 0)
    return b"".join([
        _rec(0x0116),  # BrtBeginStyleSheet
        _rec(0x0267, _u32(2)),  # BrtBeginFmts
        _rec(0x002C, struct.pack("<H", _DATE_FMT) + _wstr("yyyy\\-mm\\-dd")),  # BrtFmt
        _rec(0x002C, struct.pack("<H", _DATETIME_FMT) + _wstr("yyyy\\-mm\\-dd\\ hh:mm:ss")),
        _rec(0x0268),  # BrtEndFmts
        _rec(0x0263, _u32(1)),  # BrtBeginFonts
        # BrtFont: 11pt, no flags, normal weight, no sss/underline, family 2, charset 0, color, minor scheme
        _rec(0x002B, struct.pack("<HHHHBBBB", 220, 0, 400, 0, 0, 2, 0, 0) + color_theme1 + b"\x02" + _wstr("Calibri")),
        _rec(0x0264),  # BrtEndFonts
        _rec(0x025B, _u32(2)),  # BrtBeginFills
        _rec(0x002D, fill(0)),  # BrtFill: none
        _rec(0x002D, fill(17)),  # BrtFill: gray125
        _rec(0x025C),  # BrtEndFills
        _rec(0x0265, _u32(1)),  # BrtBeginBorders
        _rec(0x002E, b"\x00" + blxf * 5),  # BrtBorder: no borders
        _rec(0x0266),  # BrtEndBorders
        _rec(0x0272, _u32(1)),  # BrtBeginCellStyleXFs
        _rec(0x002F, xf(0xFFFF, 0, 0)),  # BrtXF (style XF "Normal")
        _rec(0x0273),  # BrtEndCellStyleXFs
        _rec(0x0269, _u32(3)),  # BrtBeginCellXFs
        _rec(0x002F, xf(0, 0, 0)),  # XF 0: General
        _rec(0x002F, xf(0, _DATE_FMT, 1)),  # XF 1: date (fAtrNum)
        _rec(0x002F, xf(0, _DATETIME_FMT, 1)),  # XF 2: date and time
        _rec(0x026A),  # BrtEndCellXFs
        _rec(0x026B, _u32(1)),  # BrtBeginStyles
        _rec(0x0030, _u32(0) + struct.pack("<HBB", 1, 0, 0xFF) + _wstr("Normal")),  # BrtStyle
        _rec(0x026C),  # BrtEndStyles
        _rec(0x01F9, _u32(0)), _rec(0x01FA),  # BrtBeginDXFs / BrtEndDXFs
        _rec(0x01FC, _u32(0) + _wstr("TableStyleMedium2") + _wstr("PivotStyleLight16")),  # BrtBeginTableStyles
        _rec(0x01FD),  # BrtEndTableStyles
        _rec(0x0117),  # BrtEndStyleSheet
    ])


def _xlsb_sheet(rows, merges, selected, sst):
    """One worksheet part; strings are added to the shared string table ``sst``."""
    _spans(merges)  # validates the ranges
    cells = []  # (row, [(col, record), ...])
    for r, row in enumerate(rows):
        recs = []
        for c, value in enumerate(row):
            kind = _kind(value)
            if kind == "empty":
                continue
            if kind == "string":
                body = _u32(c, _XF_GENERAL) + _u32(sst.setdefault(value, len(sst)))
                recs.append((c, _rec(0x0007, body)))  # BrtCellIsst
            elif kind == "bool":
                recs.append((c, _rec(0x0004, _u32(c, _XF_GENERAL) + bytes([bool(value)]))))  # BrtCellBool
            else:  # numbers and dates: BrtCellReal (dates as serials with a date XF)
                xf = {"number": _XF_GENERAL, "date": _XF_DATE, "datetime": _XF_DATETIME}[kind]
                num = float(value) if kind == "number" else _excel_serial(value)
                recs.append((c, _rec(0x0005, _u32(c, xf) + struct.pack("<d", num))))
        if recs:
            cells.append((r, recs))

    used_cols = [c for _, recs in cells for c, _ in recs]
    merge_cells = [(r1, r2, c1, c2) for r1, c1, r2, c2 in merges or ()]
    if cells:
        dim = (cells[0][0], cells[-1][0], min(used_cols), max(used_cols))
    else:
        dim = (0, 0, 0, 0)

    parts = [
        _rec(0x0081),  # BrtBeginSheet
        _rec(0x0094, _u32(*dim)),  # BrtWsDim: rwFirst, rwLast, colFirst, colLast
        _rec(0x0085),  # BrtBeginWsViews
        # BrtBeginWsView: flags (grid, headers, zeros, outline, default header colour [+selected]),
        # xlView, rwTop, colLeft, icvHdr, reserved, zoom 100, zooms, iWbkView
        _rec(0x0089, struct.pack("<HIIIBBHHHHHI", 0x039C | (0x40 if selected else 0), 0, 0, 0, 64, 0, 0, 100, 0, 0, 0, 0)),
        _rec(0x008A),  # BrtEndWsView
        _rec(0x0086),  # BrtEndWsViews
        _rec(0x0091),  # BrtBeginSheetData
    ]
    for r, recs in cells:
        # BrtColSpan list: first/last used column per 1024-column block
        blocks = {}
        for c, _ in recs:
            first, last = blocks.get(c >> 10, (c, c))
            blocks[c >> 10] = (min(first, c), max(last, c))
        spans = b"".join(_u32(*blocks[b]) for b in sorted(blocks))
        # BrtRowHdr: rw, ixfe, miyRw (15pt), 2 flag bytes, phonetic flag byte, ccolspan, spans
        parts.append(_rec(0x0000, struct.pack("<IIHBBBI", r, 0, 300, 0, 0, 0, len(blocks)) + spans))
        parts.extend(rec for _, rec in recs)
    parts.append(_rec(0x0092))  # BrtEndSheetData
    if merge_cells:
        parts.append(_rec(0x00B1, _u32(len(merge_cells))))  # BrtBeginMergeCells
        parts.extend(_rec(0x00B0, _u32(*m)) for m in merge_cells)  # BrtMergeCell (RfX)
        parts.append(_rec(0x00B2))  # BrtEndMergeCells
    parts.append(_rec(0x0082))  # BrtEndSheet
    return b"".join(parts)


def write_xlsb(path, sheets, merges=None, hidden=()):
    """Write an Excel binary workbook (.xlsb).

    Numbers are BrtCellReal doubles (calamine returns floats; ints beyond 2**53 lose
    precision), strings go to a shared string table, booleans are BrtCellBool.
    Dates/datetimes are Excel serials with a yyyy-mm-dd / yyyy-mm-dd hh:mm:ss number
    format (calamine: a whole-day serial comes back as a date, times to the millisecond).
    Merges are BrtMergeCell records (python-calamine does not report them for xlsb).
    """
    merges, hidden = merges or {}, set(hidden)
    names = list(sheets)
    if not names:
        raise ValueError("a workbook needs at least one sheet")
    visible = [i for i, n in enumerate(names) if n not in hidden]
    active = visible[0] if visible else 0  # Excel repairs a workbook with no visible sheet
    sst = {}
    sheet_parts = [_xlsb_sheet(sheets[n], merges.get(n), i == active, sst) for i, n in enumerate(names)]

    book = [
        _rec(0x0083),  # BrtBeginBook
        # BrtFileVersion: guidCodeName, app name, last edited, lowest edited, build
        _rec(0x0080, bytes(16) + _wstr("xl") + _wstr("7") + _wstr("7") + _wstr("22228")),
        _rec(0x0099, _u32(0, 124226) + _wstr("")),  # BrtWbProp: flags (1900 dates), theme version, code name
        _rec(0x0087),  # BrtBeginBookViews
        # BrtBookView: x, y, width, height, tab ratio, first tab, active tab, flags (scroll bars, tabs)
        _rec(0x009E, struct.pack("<iiIIIIIB", 0, 460, 28800, 17600, 600, active, active, 0x78)),
        _rec(0x0088),  # BrtEndBookViews
        _rec(0x008F),  # BrtBeginBundleShs
    ]
    for i, name in enumerate(names):
        # BrtBundleSh: hsState (0 visible, 1 hidden), iTabID, relationship id, sheet name
        state = 1 if name in hidden else 0
        book.append(_rec(0x009C, _u32(state, i + 1) + _wstr(f"rId{i + 1}") + _wstr(name)))
    book += [_rec(0x0090), _rec(0x0084)]  # BrtEndBundleShs, BrtEndBook

    strings = sorted(sst, key=sst.get)
    uses = sum(1 for rows in sheets.values() for row in rows for v in row if _kind(v) == "string")
    shared = b"".join(
        [_rec(0x009F, _u32(uses, len(strings)))]  # BrtBeginSst: cstTotal, cstUnique
        + [_rec(0x0013, b"\x00" + _wstr(s)) for s in strings]  # BrtSSTItem (plain RichStr)
        + [_rec(0x00A0)]  # BrtEndSst
    )

    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    sheet_ct = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.bin" ContentType="application/vnd.ms-excel.worksheet"/>'
        for i in range(len(names))
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{sheet_ct}"
        '<Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/>'
        '<Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/>'
        "</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}officeDocument" Target="xl/workbook.bin"/>'
        "</Relationships>"
    )
    n = len(names)
    book_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i + 1}" Type="{rel}worksheet" Target="worksheets/sheet{i + 1}.bin"/>'
            for i in range(n)
        )
        + f'<Relationship Id="rId{n + 1}" Type="{rel}styles" Target="styles.bin"/>'
        f'<Relationship Id="rId{n + 2}" Type="{rel}sharedStrings" Target="sharedStrings.bin"/>'
        "</Relationships>"
    )
    _zip(path, [
        ("[Content_Types].xml", content_types.encode()),
        ("_rels/.rels", root_rels.encode()),
        ("xl/workbook.bin", b"".join(book)),
        ("xl/_rels/workbook.bin.rels", book_rels.encode()),
        *((f"xl/worksheets/sheet{i + 1}.bin", part) for i, part in enumerate(sheet_parts)),
        ("xl/styles.bin", _xlsb_styles()),
        ("xl/sharedStrings.bin", shared),
    ])


# --------------------------------------------------------------------------
# ODS (OpenDocument 1.2)

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'office:version="1.2"'
)


def _ods_paragraphs(text):
    """String content as <text:p> elements (one per line), spaces kept with <text:s>."""
    paras = []
    for line in text.split("\n"):
        line = escape(line)  # tabs stay literal: calamine ignores <text:tab/>

        def spaces(m, end=len(line)):
            # one space between words stays literal; leading, trailing, repeated ones use text:s
            keep = 1 if 0 < m.start() and m.end() < end else 0
            rest = len(m.group()) - keep
            return " " * keep + ("" if not rest else "<text:s/>" if rest == 1 else f'<text:s text:c="{rest}"/>')

        paras.append("<text:p>" + re.sub(" +", spaces, line) + "</text:p>")
    return "".join(paras)


def _ods_cell(value, span=None, covered=False):
    kind = _kind(value)
    tag = "table:covered-table-cell" if covered else "table:table-cell"
    attrs = ""
    if span:
        attrs += f' table:number-rows-spanned="{span[0]}" table:number-columns-spanned="{span[1]}"'
    if kind == "empty":
        return f"<{tag}{attrs}/>"
    if kind == "string":
        return f'<{tag}{attrs} office:value-type="string">{_ods_paragraphs(value)}</{tag}>'
    if kind == "bool":
        attrs += f' office:value-type="boolean" office:boolean-value="{"true" if value else "false"}"'
    elif kind == "number":
        attrs += f' office:value-type="float" office:value="{value!r}"'
    elif kind == "date":
        attrs += f' table:style-name="ce_date" office:value-type="date" office:date-value="{value.isoformat()}"'
    else:
        iso = value.replace(tzinfo=None).isoformat()
        attrs += f' table:style-name="ce_datetime" office:value-type="date" office:date-value="{iso}"'
    return f"<{tag}{attrs}><text:p>{escape(_display(value))}</text:p></{tag}>"


def write_ods(path, sheets, merges=None, hidden=()):
    """Write an OpenDocument spreadsheet (.ods).

    Numbers are office:value-type="float", dates "date" (date-only values without a
    time part), booleans "boolean". Merges use number-rows/columns-spanned on the
    anchor and table:covered-table-cell for the covered cells (values there are kept;
    python-calamine does not report ODS merges). Hidden sheets use a table style with
    table:display="false".
    """
    merges, hidden = merges or {}, set(hidden)
    tables = []
    for name, rows in sheets.items():
        anchors, covered = _spans(merges.get(name))
        height = max([len(rows)] + [r + n for (r, _), (n, _) in anchors.items()])
        width = max([1] + [len(row) for row in rows] + [c + n for (_, c), (_, n) in anchors.items()])
        style = "ta_hidden" if name in hidden else "ta1"
        out = [f'<table:table table:name={quoteattr(name)} table:style-name="{style}">',
               f'<table:table-column table:number-columns-repeated="{width}"/>']
        for r in range(height):
            row = rows[r] if r < len(rows) else []
            # the row must cover merge anchors/covered cells beyond its own length
            last = max([len(row)] + [c + 1 for (rr, c) in list(anchors) + list(covered) if rr == r])
            cells = [_ods_cell(row[c] if c < len(row) else None, anchors.get((r, c)), (r, c) in covered)
                     for c in range(last)]
            # no whitespace between cells: calamine rejects text nodes inside a row
            out.append("<table:table-row>" + ("".join(cells) or "<table:table-cell/>") + "</table:table-row>")
        if not height:
            out.append("<table:table-row><table:table-cell/></table:table-row>")
        out.append("</table:table>")
        tables.append("".join(out))

    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<office:document-content {_ODS_NS}>"
        "<office:automatic-styles>"
        '<number:date-style style:name="N_date"><number:year number:style="long"/><number:text>-</number:text>'
        '<number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/>'
        "</number:date-style>"
        '<number:date-style style:name="N_datetime"><number:year number:style="long"/><number:text>-</number:text>'
        '<number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/>'
        '<number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text>'
        '<number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/>'
        "</number:date-style>"
        '<style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>'
        '<style:style style:name="ta_hidden" style:family="table"><style:table-properties table:display="false"/></style:style>'
        '<style:style style:name="ce_date" style:family="table-cell" style:data-style-name="N_date"/>'
        '<style:style style:name="ce_datetime" style:family="table-cell" style:data-style-name="N_datetime"/>'
        "</office:automatic-styles>"
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    _zip(path, [
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),  # first, uncompressed
        ("META-INF/manifest.xml", manifest.encode()),
        ("content.xml", content.encode()),
    ])


# --------------------------------------------------------------------------
# Excel 2003 XML Spreadsheet (SpreadsheetML)


def write_spreadsheetml(path, sheets, merges=None, hidden=(), hidden_rows=None):
    """Write an Excel 2003 XML Spreadsheet (the format often saved under an .xls name).

    Cells are Data ss:Type Number/String/Boolean/DateTime (dates get a date style);
    skipped cells and rows use ss:Index, merges ss:MergeAcross/ss:MergeDown (values
    in covered cells are dropped). Hidden sheets use WorksheetOptions/Visible; hidden rows
    ({sheet: 0-based rows}) ss:Hidden="1".
    """
    merges, hidden, hidden_rows = merges or {}, set(hidden), hidden_rows or {}
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"'
        ' xmlns:o="urn:schemas-microsoft-com:office:office"'
        ' xmlns:x="urn:schemas-microsoft-com:office:excel"'
        ' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"'
        ' xmlns:html="http://www.w3.org/TR/REC-html40">\n'
        '<Styles>\n<Style ss:ID="Default" ss:Name="Normal"><Alignment ss:Vertical="Bottom"/></Style>\n'
        '<Style ss:ID="sDate"><NumberFormat ss:Format="yyyy\\-mm\\-dd"/></Style>\n'
        '<Style ss:ID="sDateTime"><NumberFormat ss:Format="yyyy\\-mm\\-dd\\ hh:mm:ss"/></Style>\n'
        "</Styles>\n"
    ]
    for name, rows in sheets.items():
        anchors, covered = _spans(merges.get(name))
        height = max([len(rows)] + [r + 1 for r, _ in anchors])
        out.append(f"<Worksheet ss:Name={quoteattr(name)}>\n<Table>\n")
        next_row = 0
        for r in range(height):
            row = rows[r] if r < len(rows) else []
            cols = sorted({c for c, v in enumerate(row) if _kind(v) != "empty"} | {c for rr, c in anchors if rr == r})
            cols = [c for c in cols if (r, c) not in covered]
            if not cols:
                continue
            hide = ' ss:Hidden="1"' if r in hidden_rows.get(name, ()) else ""
            out.append(f'<Row ss:Index="{r + 1}"{hide}>' if r != next_row else f"<Row{hide}>")
            next_col = 0
            for c in cols:
                value = row[c] if c < len(row) else None
                attrs = f' ss:Index="{c + 1}"' if c != next_col else ""
                kind = _kind(value)
                if kind in ("date", "datetime"):
                    attrs += ' ss:StyleID="sDate"' if kind == "date" else ' ss:StyleID="sDateTime"'
                span = anchors.get((r, c))
                if span and span[1] > 1:
                    attrs += f' ss:MergeAcross="{span[1] - 1}"'
                if span and span[0] > 1:
                    attrs += f' ss:MergeDown="{span[0] - 1}"'
                next_col = c + (span[1] if span else 1)
                if kind == "empty":
                    out.append(f"<Cell{attrs}/>")
                    continue
                if kind == "bool":
                    typ, text = "Boolean", "1" if value else "0"
                elif kind == "number":
                    typ, text = "Number", repr(value)
                elif kind == "string":
                    typ, text = "String", _xml_text(value)
                else:
                    typ = "DateTime"
                    moment = value if kind == "datetime" else _dt.datetime.combine(value, _dt.time())
                    text = moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
                out.append(f'<Cell{attrs}><Data ss:Type="{typ}">{text}</Data></Cell>')
            out.append("</Row>\n")
            next_row = r + 1
        out.append("</Table>\n")
        if name in hidden:
            out.append('<WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">'
                       "<Visible>SheetHidden</Visible></WorksheetOptions>\n")
        out.append("</Worksheet>\n")
    out.append("</Workbook>\n")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("".join(out))


# --------------------------------------------------------------------------
# HTML table saved as .xls


def write_html_xls(path, sheets, merges=None, encoding="utf-8"):
    """Write an HTML "Excel" file: one <table> per sheet, cells as displayed text.

    Merges become rowspan/colspan (covered cells are omitted, their values dropped).
    The file is encoded with ``encoding`` (e.g. "gbk") and declares it in <meta>.
    String cells carry mso-number-format:"\\@" so Excel keeps leading zeros.
    """
    merges = merges or {}
    names = list(sheets)
    sheet_xml = "".join(
        f"<x:ExcelWorksheet><x:Name>{escape(n)}</x:Name><x:WorksheetOptions><x:DisplayGridlines/>"
        "</x:WorksheetOptions></x:ExcelWorksheet>" for n in names
    )
    out = [
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n'
        f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">\n'
        f'<meta charset="{encoding}">\n<meta name="ProgId" content="Excel.Sheet">\n'
        f"<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets>{sheet_xml}"
        "</x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]-->\n"
        '<style>td.text{mso-number-format:"\\@";}</style>\n</head>\n<body>\n'
    ]
    for name in names:
        rows = sheets[name]
        anchors, covered = _spans(merges.get(name))
        height = max([len(rows)] + [r + 1 for r, _ in anchors])
        out.append(f'<table border="1" data-sheet={quoteattr(name)}>\n')
        for r in range(height):
            row = rows[r] if r < len(rows) else []
            last = max([len(row)] + [c + 1 for rr, c in anchors if rr == r])
            cells = []
            for c in range(last):
                if (r, c) in covered:
                    continue
                value = row[c] if c < len(row) else None
                attrs = ' class="text"' if _kind(value) == "string" else ""
                rows_n, cols_n = anchors.get((r, c), (1, 1))
                attrs += f' rowspan="{rows_n}"' if rows_n > 1 else ""
                attrs += f' colspan="{cols_n}"' if cols_n > 1 else ""
                text = escape(_display(value)).replace("\n", '<br style="mso-data-placement:same-cell;">')
                cells.append(f"<td{attrs}>{text}</td>")
            out.append(f"<tr>{''.join(cells) or '<td></td>'}</tr>\n")
        out.append("</table>\n")
    out.append("</body>\n</html>\n")
    with open(path, "w", encoding=encoding, errors="xmlcharrefreplace", newline="\n") as fh:
        fh.write("".join(out))
