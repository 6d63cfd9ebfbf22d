"""Build templates/notice_letter.docx, the notice letter (通知书) template, with python-docx.

    python templates/build_notice_template.py            # writes templates/notice_letter.docx

The .docx is the template the program uses. A clerk may open it in Word or WPS and edit the wording,
fonts or layout; the program then uses the edited file. This script only makes the first version
reviewable; re-running it overwrites the clerk's edits.

Layout (中文公文, near GB/T 9704-2012): A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
title 2号 (22 pt) 方正小标宋简体 (Word/WPS substitute 黑体 where it is missing: font-table altName);
body 3号 (16 pt) 仿宋_GB2312 (substitute 仿宋), fixed 26 pt line spacing, first line indented two
characters; the table of award lines in 仿宋 五号 (10.5 pt), header row repeated on each page.

Fields the template may use (jinja2 inside the document, rendered by docxtpl in a sandbox; text is
escaped, so a name with < & " prints as written):

    firm_name        企业名称
    code             统一社会信用代码
    seq              序号 (int)
    year             政策年度 (int), e.g. 2023
    policy_title     政策名称 with 《》, e.g. 《2023年度鸡西市支持对外贸易发展的若干措施》
    policy_issuer    政策印发机关, e.g. 鸡西市人民政府办公室
    lines            award lines, each with:
                       line.rule_id, line.rule_name (规则名称), line.article (政策依据, 第五条第（二）项),
                       line.explanation (计算说明), line.amount (核定金额, "164,680.00"),
                       line.computed (测算金额, "164,680.00")
    deductions       list of sentences in plain words (从高不重复抵扣 / 第五条封顶核减 / 预算核减);
                     empty when nothing was deducted
    total            兑现金额, "1,234,567.89"
    total_capital    兑现金额大写, "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"
    bank, account    开户银行, 银行账号 ("（待补充）" when the firm gave none)
    address, contact, phone   企业地址, 联系人, 联系电话 (may be empty)
    deadline         兑现截止日期, "2024年6月30日"
    issue_date       落款日期 (date of the run), "2024年4月15日"
    issuing_bodies   list of 发文机关, e.g. ["鸡西市商务局", "鸡西市财政局"]

Tag rules (docxtpl): ``{%tr ... %}`` in a table row repeats/removes that row, ``{%p ... %}`` in a
paragraph of its own repeats/removes paragraphs; ``{{ ... }}`` prints a field. Python code cannot be
run from the template (jinja2 SandboxedEnvironment); an unknown field name stops the run with a message.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent / "notice_letter.docx"

TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "黑体"           # SimHei, on every Chinese Windows
BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"            # FangSong, on every Chinese Windows
LATIN_FONT = "Times New Roman"   # figures and Latin letters (GB/T 9704 practice)

BODY_PT = 16                     # 3号
TITLE_PT = 22                    # 2号
TABLE_PT = 10.5                  # 五号
LINE_PT = 26                     # fixed line spacing of the body (9704: ~28; 26 keeps most letters on one page)
INDENT = Pt(BODY_PT * 2)         # two characters

# column widths of the award table, mm (text width 210 - 28 - 26 = 156 mm)
COLUMNS = [("规则名称", 38), ("政策依据", 34), ("计算说明", 56), ("核定金额(元)", 28)]


def set_fonts(run_or_style, east_asia: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    """Latin and East Asian font of a run or style (python-docx sets only the Latin one)."""
    font = run_or_style.font
    font.name = LATIN_FONT
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asia)
    hint = rfonts.get(qn("w:hint"))
    if hint is None:
        rfonts.set(qn("w:hint"), "eastAsia")


def paragraph(doc_or_cell, text: str = "", *, font: str = BODY_FONT, size: float = BODY_PT,
              align=None, indent: bool = False, bold: bool = False, line_pt: float | None = LINE_PT,
              space_before: float = 0, space_after: float = 0, right_indent_pt: float = 0,
              keep_with_next: bool = False):
    p = doc_or_cell.add_paragraph()
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    fmt.first_line_indent = INDENT if indent else Pt(0)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(space_after)
    if right_indent_pt:
        fmt.right_indent = Pt(right_indent_pt)
    if line_pt is None:
        fmt.line_spacing = 1.0
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line_pt)
    fmt.widow_control = True
    if keep_with_next:
        fmt.keep_with_next = True
    if text:
        set_fonts(p.add_run(text), font, size, bold)
    return p


def tag_paragraph(doc, tag: str):
    """A paragraph holding only a {%p %} tag (removed when rendered)."""
    return paragraph(doc, tag, line_pt=None)


def cell_text(cell, text: str, *, align=WD_ALIGN_PARAGRAPH.LEFT, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.space_before = Pt(2)
    fmt.space_after = Pt(2)
    fmt.line_spacing = 1.15
    if text:
        set_fonts(p.add_run(text), BODY_FONT, TABLE_PT, bold)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def set_cell_width(cell, mm: float) -> None:
    cell.width = Mm(mm)


def shade(cell, fill: str = "E7E6E6") -> None:
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def table_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = parse_xml(
        f'<w:tblBorders {nsdecls("w")}>'
        + "".join(f'<w:{side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
                  for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>")
    tbl_pr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    no_split = OxmlElement("w:cantSplit")
    tr_pr.append(no_split)


def font_table_fallbacks(document) -> None:
    """Declare the 公文 fonts with altName so Word/WPS substitute 黑体/仿宋 where they are missing."""
    part = next((p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    from lxml import etree
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, alt in ((TITLE_FONT, TITLE_FALLBACK), (BODY_FONT, BODY_FALLBACK),
                      (TITLE_FALLBACK, None), (BODY_FALLBACK, None)):
        font = etree.SubElement(root, f"{{{w}}}font")
        font.set(f"{{{w}}}name", name)
        if alt:
            etree.SubElement(font, f"{{{w}}}altName").set(f"{{{w}}}val", alt)
        etree.SubElement(font, f"{{{w}}}charset").set(f"{{{w}}}val", "86")      # GB2312
        etree.SubElement(font, f"{{{w}}}family").set(f"{{{w}}}val", "modern" if name != TITLE_FONT else "script")
        etree.SubElement(font, f"{{{w}}}pitch").set(f"{{{w}}}val", "fixed" if name != TITLE_FONT else "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def drop_thumbnail(document) -> None:
    """python-docx's default package carries a thumbnail of an unrelated page; drop it."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rel_id)


def build(out: Path = OUT) -> Path:
    doc = Document()

    # page: A4 portrait, GB/T 9704 margins
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(20)

    # default style: 仿宋 3号; every paragraph below also sets its fonts explicitly
    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_FONT, BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    font_table_fallbacks(doc)

    props = doc.core_properties
    props.title = "外贸奖励兑现通知书"
    props.author = "鸡西市商务局"
    props.subject = "外贸奖励兑现"   # no tags outside the body: the program then renders fastest
    props.comments = "jixi-batch 通知书模板：字段说明见 templates/build_notice_template.py"
    props.keywords = ""
    drop_thumbnail(doc)

    # the python-docx default document starts with no paragraph; title first
    paragraph(doc, "关于兑现{{ year }}年度鸡西市支持对外贸易发展", font=TITLE_FONT, size=TITLE_PT,
              align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=35, keep_with_next=True)
    paragraph(doc, "奖励资金的通知", font=TITLE_FONT, size=TITLE_PT,
              align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=35, space_after=BODY_PT, keep_with_next=True)

    paragraph(doc, "{{ firm_name }}：")
    paragraph(doc, "根据{{ policy_title }}（{{ policy_issuer }}印发）有关规定，经审核，你单位"
                   "（统一社会信用代码：{{ code }}）符合{{ year }}年度鸡西市支持对外贸易发展奖励资金"
                   "兑现条件，核定的奖励项目及金额如下：", indent=True)

    # award table: header, {%tr for %}, data row, {%tr endfor %}, total row
    table = doc.add_table(rows=5, cols=len(COLUMNS))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table_borders(table)
    for column, (_, width) in zip(table.columns, COLUMNS):
        column.width = Mm(width)          # w:gridCol, which LibreOffice/WPS follow
    for row in table.rows:
        for cell, (_, width) in zip(row.cells, COLUMNS):
            set_cell_width(cell, width)   # w:tcW, which Word follows
    header = table.rows[0]
    repeat_header(header)
    for cell, (label, _) in zip(header.cells, COLUMNS):
        cell_text(cell, label, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        shade(cell)
    cell_text(table.rows[1].cells[0], "{%tr for line in lines %}")
    data = table.rows[2]
    data._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    cell_text(data.cells[0], "{{ line.rule_name }}")
    cell_text(data.cells[1], "{{ line.article }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    cell_text(data.cells[2], "{{ line.explanation }}")
    cell_text(data.cells[3], "{{ line.amount }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    total_row = table.rows[4]
    merged = total_row.cells[0].merge(total_row.cells[2])
    for extra in merged.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    cell_text(merged, "合　计", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    cell_text(total_row.cells[3], "{{ total }}", align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True)

    # deductions, only when any applied
    tag_paragraph(doc, "{%p if deductions %}")
    paragraph(doc, "经审核，你单位下列金额依规核减，已在上表核定金额中扣除：", indent=True, space_before=6)
    tag_paragraph(doc, "{%p for item in deductions %}")
    paragraph(doc, "（{{ loop.index }}）{{ item }}", indent=True)
    tag_paragraph(doc, "{%p endfor %}")
    tag_paragraph(doc, "{%p endif %}")

    paragraph(doc, "合计兑现金额：人民币 {{ total }} 元（大写：{{ total_capital }}）。", indent=True, space_before=6)
    paragraph(doc, "开户银行：{{ bank }}", indent=True)
    paragraph(doc, "银行账号：{{ account }}", indent=True)
    paragraph(doc, "上述资金将于{{ deadline }}前一次性拨付至以上账户。如开户银行或账号有误，"
                   "请及时与{{ issuing_bodies|first }}联系。", indent=True, keep_with_next=True)
    paragraph(doc, "特此通知。", indent=True, keep_with_next=True)

    # signature block: room for the seals (the seal covers the bodies and the date), bodies and date
    # right-aligned, date 右空四字. The closing lines keep with the signature, so the signature never
    # stands alone on a page.
    paragraph(doc, "", keep_with_next=True)
    paragraph(doc, "{{ issuing_bodies|join('（盖章）　') }}（盖章）", align=WD_ALIGN_PARAGRAPH.RIGHT,
              right_indent_pt=BODY_PT * 2, keep_with_next=True)
    paragraph(doc, "{{ issue_date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent_pt=BODY_PT * 4)

    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    print(build(target))
