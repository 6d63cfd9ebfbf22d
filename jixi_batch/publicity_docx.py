"""The 公示名单 as a Word document `<Y>年度外贸奖励拟兑现企业名单（公示）.docx` (OUTPUTS.md "Documents for
each step of the payout"), in 公文 style near GB/T 9704-2012, made with python-docx (no Word needed).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm. Page one: the title in 2号 (22 pt)
方正小标宋简体 (黑体 where it is missing), cut into lines by meaning, the 公示 text in 3号 (16 pt)
仿宋_GB2312 at a fixed 28 pt line, first lines indented two characters, the 附件 line, then the
issuing bodies and the date at the right. Then a landscape A4 section (a table of six columns
fits it without wrapping codes or amounts): 附件 (黑体), the list's title and the table (仿宋 小四,
header row repeated on every page, no row split across pages) with its 合计. Page numbers `— 1 —`
at the foot.
What the document says comes from ``publicity_list.publicity``: the two files say the same.
"""
from __future__ import annotations

import copy
import io
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.section import WD_ORIENT, WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .doc_dates import chinese_date
from .money import format_yuan
from .publicity_list import HEADERS, Publicity

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
TITLE_PT, BODY_PT, TABLE_PT, LINE_PT = 22, 16, 12, 28
# the list is an A4 landscape section: column widths, mm (text width 297 - 28 - 26 = 243 mm), wide
# enough that a code or an amount never wraps
COLUMN_MM = [13, 50, 56, 24, 66, 34]
ALIGN = [WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER,
         WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT]


def _fonts(run, east_asia: str, size: float, bold: bool = False) -> None:
    """Latin and East Asian font of a run (python-docx sets only the Latin one)."""
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _paragraph(container, text: str = "", *, font: str = BODY_FONT, size: float = BODY_PT, bold: bool = False,
               align=None, indent: bool = False, line_pt: float | None = LINE_PT, before: float = 0,
               after: float = 0, right_chars: float = 0, keep_with_next: bool = False):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if right_chars:
        fmt.right_indent = Pt(BODY_PT * right_chars)
    if line_pt is None:
        fmt.line_spacing = 1.0
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line_pt)
    fmt.widow_control = True
    fmt.keep_with_next = keep_with_next
    if text:
        _fonts(p.add_run(text), font, size, bold)
    return p


def title_lines(title: str, per_line: int = 20) -> list[str]:
    """A title too long for one line cut where the words allow (GB/T 9704: lines broken by
    meaning): after 奖励, else after 年度, else in the middle."""
    if len(title) <= per_line:
        return [title]
    for word in ("奖励", "年度"):
        cut = title.find(word)
        if cut > 0 and cut + len(word) <= per_line and len(title) - cut - len(word) <= per_line:
            return [title[:cut + len(word)], title[cut + len(word):]]
    half = (len(title) + 1) // 2
    return [title[:half], title[half:]]


def _line_break():
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    return run


def _page_number_footer(section) -> None:
    """— 1 — centred at the foot of every page (宋体 4号, as GB/T 9704)."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(p.add_run("— "), "宋体", 14)
    run = p.add_run()
    _fonts(run, "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _fonts(p.add_run(" —"), "宋体", 14)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _no_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cell(cell, text: str, align, *, bold: bool = False, font: str = BODY_FONT) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.space_before = fmt.space_after = Pt(1)
    fmt.line_spacing = 1.1
    if text:
        _fonts(p.add_run(text), font, TABLE_PT, bold)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _table(doc, pub: Publicity) -> None:
    """The list: a header row, one row per firm, the 合计. The firms' rows are copies of one row
    made with python-docx, their texts set in the XML: python-docx finds a row's cells by walking
    the whole table, which would take seconds for a few thousand firms."""
    table = doc.add_table(rows=3, cols=len(HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # Word reads the cells' widths, LibreOffice and WPS the table grid: both are set
    for column, mm in zip(table.columns, COLUMN_MM):
        column.width = Mm(mm)
    header, pattern, total = table.rows
    for row in (header, pattern, total):
        _no_split(row)
        for cell, mm in zip(row.cells, COLUMN_MM):
            cell.width = Mm(mm)
    _repeat_header(header)
    for cell, text in zip(header.cells, HEADERS):
        _cell(cell, text, WD_ALIGN_PARAGRAPH.CENTER, font=HEADING_FONT)
    for cell, align in zip(pattern.cells, ALIGN):
        _cell(cell, "x", align)                  # one run a cell, its text replaced below
    totals = ["合计", f"共 {len(pub.entries)} 户", "", "", "", format_yuan(pub.total_fen)]
    for cell, text, align in zip(total.cells, totals, ALIGN):
        _cell(cell, text, align, bold=True)
    model = pattern._tr
    for i, e in enumerate(pub.entries, 1):
        tr = copy.deepcopy(model)
        for t, text in zip(tr.iter(qn("w:t")), (str(i), e.name, e.code, e.district, e.items,
                                                  format_yuan(e.amount_fen))):
            t.text = text
        total._tr.addprevious(tr)
    model.getparent().remove(model)


def build_publicity_docx(pub: Publicity, preparer: str) -> bytes:
    doc = Document()
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):      # python-docx's template has a stale preview picture
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rel_id]
    props = doc.core_properties
    props.title, props.subject = pub.title, "外贸发展奖励拟兑现企业名单公示"
    props.author = props.last_modified_by = preparer
    props.comments = props.keywords = props.category = ""
    props.created = props.modified = datetime(pub.date.year, pub.date.month, pub.date.day)

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    _page_number_footer(section)

    title = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=36, after=LINE_PT)
    for i, line in enumerate(title_lines(pub.title)):
        run = title.add_run(line)
        _fonts(run, TITLE_FONT, TITLE_PT)
        if i:
            run._element.addprevious(_line_break())
    for text in pub.paragraphs:
        _paragraph(doc, text, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(doc)
    _paragraph(doc, f"附件：{pub.list_title}", indent=True)
    _paragraph(doc)
    _paragraph(doc)
    for line in (*pub.bodies, chinese_date(pub.date)):
        _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)

    # the list, in a landscape section of its own
    annex = doc.add_section(WD_SECTION_START.NEW_PAGE)
    annex.orientation = WD_ORIENT.LANDSCAPE
    annex.page_width, annex.page_height = Mm(297), Mm(210)
    annex.top_margin, annex.bottom_margin = Mm(28), Mm(26)
    annex.left_margin, annex.right_margin = Mm(28), Mm(26)
    _paragraph(doc, "附件", font=HEADING_FONT, size=BODY_PT, line_pt=LINE_PT)
    _paragraph(doc, pub.list_title, font=TITLE_FONT, size=18, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=32,
               after=6, keep_with_next=True)
    _paragraph(doc, "单位：元", size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, line_pt=20, keep_with_next=True)
    _table(doc, pub)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def write_publicity_docx(pub: Publicity, path: Path, preparer: str) -> None:
    """Write the 公示名单 document to ``path`` in one go."""
    path.write_bytes(build_publicity_docx(pub, preparer))
