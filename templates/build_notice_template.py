"""Build templates/notice_letter.docx, the notice letter (通知书) template, with python-docx.

    python templates/build_notice_template.py            # writes templates/notice_letter.docx

The .docx is the template the program uses. A clerk may open it in Word or WPS and edit the wording,
fonts or layout; the program then uses the edited file. This script only makes the first version
reviewable; re-running it overwrites the clerk's edits.

Layout (中文公文, near GB/T 9704-2012): A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
title 2号 (22 pt) 方正小标宋简体 (Word/WPS substitute 黑体 where it is missing: font-table altName);
body 3号 (16 pt) 仿宋_GB2312 (substitute 仿宋), fixed 26 pt line spacing, first line indented two
characters. Page one is the notice: 编号 (and, for a 暂缓拨付 firm, the draft mark on the same line),
the title on one line, 主送, one sentence with the firm's code, the table of award lines (小四) whose
last row is the total in figures and in 大写, one sentence naming the deductions if any, when and into
which account it is paid (bank and account on lines of their own), 特此通知, 附件说明, the issuing
bodies and the date (room for the seals above them), the bureau's contact as 附注. The 计算说明 of
every line, with its deductions, is the 附件 on the next page (its own table, 五号, header row
repeated, rows never split), so a letter with one or two award lines is one page of notice and one
of annex. Page numbers "— 1 —" (4号) in the footer, odd pages on the right and even pages on the left
(GB/T 9704 7.5), restarting at 1 in every letter. Lead-ins and headings keep with what follows; the
payment sentence, the account, 特此通知, 附件说明, 署名 and date keep together, so neither a heading
nor the seal block stands alone at the foot or top of a page. The program glues the last characters
of each paragraph together so that no line holds “整）。” or “户：” alone (letters.keep_tails_together).

Fields the template may use (jinja2 inside the document, rendered by docxtpl in a sandbox; text is
escaped, so a name with < & " prints as written):

    firm_name        企业名称
    code             统一社会信用代码
    seq              序号 (int)
    number           编号, e.g. "鸡商外贸奖〔2024〕3号" ("" when the policy file sets no prefix)
    draft            True for a 暂缓拨付 firm: its letter is a draft in 通知书/暂缓拨付/, not for sending
    hold_reasons     why it is held, e.g. "缺少开户信息、名称不一致" ("" unless draft)
    year             政策年度 (int), e.g. 2023
    policy_title     政策名称 with 《》, e.g. 《2023年度鸡西市支持对外贸易发展的若干措施》
    policy_issuer    政策印发机关, e.g. 鸡西市人民政府办公室
    lines            award lines, each with:
                       line.rule_id, line.rule_name (规则名称), line.article (政策依据, 第五条第（二）项),
                       line.explanation (计算说明, worded for the letter: no arithmetic symbols),
                       line.amount (核定金额, "164,680.00"), line.computed (测算金额, "164,680.00")
    deductions       list of clauses in plain words (从高不重复抵扣 / 第五条封顶核减 / 预算核减), e.g.
                     "第五条各项奖励合计2,300,000.00元，超过每户企业最高奖励2,000,000.00元，按比例核减300,000.00元";
                     empty when nothing was deducted
    deducted         Σ 测算金额 − Σ 核定金额, "312,345.67"
    deduction_kinds  the kinds applied, "第五条封顶核减、预算核减"
    total            兑现金额, "1,234,567.89"
    total_capital    兑现金额大写, "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"
    has_account      True when both 开户银行 and 银行账号 are known
    bank, account    开户银行, 银行账号 ("" when the firm gave none)
    missing_account  what is missing, "开户银行和银行账号" / "开户银行" / "银行账号" ("" when none)
    address, contact, phone   企业地址, 联系人, 联系电话 (may be empty)
    deadline         兑现截止日期, "2024年6月30日"
    issue_date       落款日期 (--issue-date, default the day of the run), "2024年4月15日"
    issuing_bodies   list of 发文机关, e.g. ["鸡西市商务局", "鸡西市财政局"]
    contact_note     the bureau's contact, "联系人：张三，联系电话：0467-2345678" ("" when not set)

Tag rules (docxtpl): ``{%tr ... %}`` in a table row repeats/removes that row, ``{%p ... %}`` in a
paragraph of its own repeats/removes paragraphs; ``{{ ... }}`` prints a field. Python code cannot be
run from the template (jinja2 SandboxedEnvironment); an unknown field name stops the run with a message.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent / "notice_letter.docx"

TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "黑体"           # SimHei, on every Chinese Windows
BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"            # FangSong, on every Chinese Windows
HEADING_FONT = "黑体"             # 附件 mark, table headers, the draft mark
PAGE_NUMBER_FONT = "宋体"         # GB/T 9704 7.5: 4号半角宋体阿拉伯数字
LATIN_FONT = "Times New Roman"   # figures and Latin letters (GB/T 9704 practice)

BODY_PT = 16                     # 3号
TITLE_PT = 22                    # 2号
TABLE_PT = 12                    # 小四: the award table of the notice
ANNEX_TABLE_PT = 10.5            # 五号: the 计算说明 table of the annex
PAGE_NUMBER_PT = 14              # 4号
LINE_PT = 26                     # fixed line spacing of the body (9704: ~28; 26 keeps the notice on one page)
TITLE_LINE_PT = 35
INDENT = Pt(BODY_PT * 2)         # two characters

TEXT_WIDTH_MM = 210 - 28 - 26    # 156 mm
# column widths, mm (they add up to the text width)
COLUMNS = [("奖励项目", 62), ("政策依据", 54), ("核定金额（元）", 40)]
ANNEX_COLUMNS = [("序号", 12), ("奖励项目", 30), ("政策依据", 22), ("计算说明", 68), ("核定金额（元）", 24)]

CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY)


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
              align=JUSTIFY, indent: bool = False, bold: bool = False, line_pt: float | None = LINE_PT,
              space_before: float = 0, space_after: float = 0, right_indent_pt: float = 0,
              left_indent_pt: float = 0, keep_with_next: bool = False, keep_lines: bool = True,
              page_break_before: bool = False):
    p = doc_or_cell.add_paragraph()
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    fmt.first_line_indent = INDENT if indent else Pt(0)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(space_after)
    if right_indent_pt:
        fmt.right_indent = Pt(right_indent_pt)
    if left_indent_pt:
        fmt.left_indent = Pt(left_indent_pt)
    if line_pt is None:
        fmt.line_spacing = 1.0
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line_pt)
    fmt.widow_control = True
    if keep_with_next:
        fmt.keep_with_next = True
    if keep_lines:
        fmt.keep_together = True
    if page_break_before:
        fmt.page_break_before = True
    if text:
        set_fonts(p.add_run(text), font, size, bold)
    return p


def tag_paragraph(doc, tag: str):
    """A paragraph holding only a {%p %} tag (removed when rendered)."""
    return paragraph(doc, tag, line_pt=None, keep_lines=False)


def cell_text(cell, text: str, *, align=LEFT, size: float = TABLE_PT, font: str = BODY_FONT,
              keep_with_next: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.space_before = Pt(2)
    fmt.space_after = Pt(2)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(round(size * 1.35))
    fmt.widow_control = True
    if keep_with_next:
        fmt.keep_with_next = True
    if text:
        set_fonts(p.add_run(text), font, size)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


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


def row_flags(row, *, header: bool = False) -> None:
    """A row never split across pages; a header row repeated on each page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)


def make_table(doc, columns, rows: int):
    table = doc.add_table(rows=rows, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table_borders(table)
    for column, (_, width) in zip(table.columns, columns):
        column.width = Mm(width)          # w:gridCol, which LibreOffice/WPS follow
    for row in table.rows:
        for cell, (_, width) in zip(row.cells, columns):
            cell.width = Mm(width)        # w:tcW, which Word follows
    return table


def header_row(table, columns, size: float) -> None:
    header = table.rows[0]
    row_flags(header, header=True)
    for cell, (label, _) in zip(header.cells, columns):
        cell_text(cell, label, align=CENTER, size=size, font=HEADING_FONT, keep_with_next=True)
        shade(cell)


def font_table_fallbacks(document) -> None:
    """Declare the 公文 fonts with altName so Word/WPS substitute 黑体/仿宋 where they are missing."""
    part = next((p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    from lxml import etree
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, alt in ((TITLE_FONT, TITLE_FALLBACK), (BODY_FONT, BODY_FALLBACK),
                      (TITLE_FALLBACK, None), (BODY_FALLBACK, None), (PAGE_NUMBER_FONT, None)):
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


def page_number_footer(footer, align, indent_side: str) -> None:
    """"— N —" in 4号宋体, one character in from the edge (GB/T 9704 7.5)."""
    p = footer.paragraphs[0]
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(PAGE_NUMBER_PT + 2)
    setattr(fmt, f"{indent_side}_indent", Pt(PAGE_NUMBER_PT))
    set_fonts(p.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    p._p.append(field)
    number_run = field.find(qn("w:r"))
    rpr = OxmlElement("w:rPr")
    number_run.insert(0, rpr)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), PAGE_NUMBER_FONT)
    rpr.append(fonts)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(PAGE_NUMBER_PT * 2))
        rpr.append(size)
    set_fonts(p.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)


def restart_page_numbers(section) -> None:
    sect_pr = section._sectPr
    numbering = sect_pr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        sect_pr.insert_element_before(numbering, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                                      "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
                                      "w:printerSettings", "w:sectPrChange")
    numbering.set(qn("w:start"), "1")


def build(out: Path = OUT) -> Path:
    doc = Document()

    # page: A4 portrait, GB/T 9704 margins; page numbers 7 mm below the text block
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    doc.settings.odd_and_even_pages_header_footer = True
    page_number_footer(section.footer, RIGHT, "right")               # odd pages
    page_number_footer(section.even_page_footer, LEFT, "left")       # even pages
    restart_page_numbers(section)

    # default style: 仿宋 3号; every paragraph below also sets its fonts explicitly
    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_FONT, BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    font_table_fallbacks(doc)

    props = doc.core_properties
    props.title = "外贸发展奖励资金兑现通知书"
    props.author = "鸡西市商务局"
    props.subject = "外贸发展奖励资金兑现"   # no tags outside the body: the program then renders fastest
    props.comments = "通知书模板：可在 Word 或 WPS 中修改文字和格式，可用字段见说明文件“通知书模板”一节"
    props.keywords = ""
    drop_thumbnail(doc)

    # the first line: 编号 (发文字号) at the right edge; a 暂缓拨付 firm's letter is a draft, marked at
    # the left of the same line, where GB/T 9704 puts such marks (份号、密级) — it takes no extra line
    tag_paragraph(doc, "{%p if draft or number %}")
    first = paragraph(doc, align=LEFT, keep_with_next=True)
    first.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    set_fonts(first.add_run("{% if draft %}草稿（暂缓拨付，不得寄发）{% endif %}"), HEADING_FONT, BODY_PT)
    set_fonts(first.add_run("\t{{ number }}"), BODY_FONT, BODY_PT)
    tag_paragraph(doc, "{%p endif %}")
    paragraph(doc, "关于兑现{{ year }}年度外贸发展奖励资金的通知", font=TITLE_FONT, size=TITLE_PT, align=CENTER,
              line_pt=TITLE_LINE_PT, keep_with_next=True)
    paragraph(doc, "", line_pt=BODY_PT, keep_with_next=True)      # a blank line under the title

    paragraph(doc, "{{ firm_name }}：", align=LEFT, keep_with_next=True)
    # the code comes first, so that it always fits on the first line (an 18-character code cannot break)
    paragraph(doc, "你单位（统一社会信用代码：{{ code }}）经审核符合{{ policy_title }}规定的奖励条件，"
                   "核定{{ year }}年度奖励资金如下：", indent=True, keep_with_next=True)

    # award table: header, {%tr for %}, data row, {%tr endfor %}, total row
    table = make_table(doc, COLUMNS, 5)
    header_row(table, COLUMNS, TABLE_PT)
    cell_text(table.rows[1].cells[0], "{%tr for line in lines %}")
    data = table.rows[2]
    row_flags(data)
    cell_text(data.cells[0], "{{ line.rule_name }}", keep_with_next=True)
    cell_text(data.cells[1], "{{ line.article }}", align=CENTER, keep_with_next=True)
    cell_text(data.cells[2], "{{ line.amount }}", align=RIGHT, keep_with_next=True)
    cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    total_row = table.rows[4]
    row_flags(total_row)
    merged = total_row.cells[0].merge(total_row.cells[1])
    for extra in merged.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    cell_text(merged, "合计（大写：{{ total_capital }}）", align=CENTER)
    cell_text(total_row.cells[2], "{{ total }}", align=RIGHT)

    # deductions, only when any applied: what and how much on this page, each in words in the annex
    tag_paragraph(doc, "{%p if deductions %}")
    paragraph(doc, "上表核定金额已依规扣减{{ deducted }}元（{{ deduction_kinds }}），详见附件。", indent=True,
              space_before=4, keep_lines=False)
    tag_paragraph(doc, "{%p endif %}")

    # when and where it is paid (the total in figures and in 大写 is the table's last row); never a
    # promise into a missing account. The account stands on a line of its own (a long number cannot
    # break and would stretch a line).
    tag_paragraph(doc, "{%p if has_account %}")
    paragraph(doc, "奖励资金将于{{ deadline }}前一次性拨付至下列账户：", indent=True, space_before=4,
              keep_with_next=True, keep_lines=False)
    paragraph(doc, "开户银行：{{ bank }}", indent=True, align=LEFT, keep_with_next=True)
    paragraph(doc, "银行账号：{{ account }}", indent=True, align=LEFT, keep_with_next=True)
    tag_paragraph(doc, "{%p else %}")
    paragraph(doc, "你单位尚未提供{{ missing_account }}，请于{{ deadline }}前向{{ issuing_bodies|first }}提供，"
                   "经核实后拨付。", indent=True, space_before=4, keep_with_next=True, keep_lines=False)
    tag_paragraph(doc, "{%p endif %}")
    paragraph(doc, "特此通知。", indent=True, keep_with_next=True)
    paragraph(doc, "附件：奖励资金计算说明", indent=True, space_before=LINE_PT / 2, keep_with_next=True)

    # signature block: room for the seals (they cover the bodies and the date), the bodies side by
    # side, the date 右空四字; kept with the text before it, so it never stands alone on a page
    paragraph(doc, "", keep_with_next=True)
    paragraph(doc, "{{ issuing_bodies|join('　　　　') }}", align=RIGHT, right_indent_pt=BODY_PT * 2,
              space_before=LINE_PT / 2, keep_with_next=True)
    paragraph(doc, "{{ issue_date }}", align=RIGHT, right_indent_pt=BODY_PT * 4)
    tag_paragraph(doc, "{%p if contact_note %}")
    paragraph(doc, "（{{ contact_note }}）", indent=True)          # 附注 (GB/T 9704 7.3.6)
    tag_paragraph(doc, "{%p endif %}")

    # the annex: 计算说明 of each award line, on its own page(s)
    paragraph(doc, "附件", font=HEADING_FONT, align=LEFT, keep_with_next=True, page_break_before=True)
    paragraph(doc, "奖励资金计算说明", font=TITLE_FONT, size=TITLE_PT, align=CENTER, line_pt=TITLE_LINE_PT,
              space_before=BODY_PT, space_after=BODY_PT / 2, keep_with_next=True)
    paragraph(doc, "企业名称：{{ firm_name }}", align=LEFT, keep_with_next=True)
    paragraph(doc, "统一社会信用代码：{{ code }}", align=LEFT, space_after=4, keep_with_next=True)
    annex = make_table(doc, ANNEX_COLUMNS, 5)
    header_row(annex, ANNEX_COLUMNS, ANNEX_TABLE_PT)
    cell_text(annex.rows[1].cells[0], "{%tr for line in lines %}", size=ANNEX_TABLE_PT)
    row = annex.rows[2]
    row_flags(row)
    cell_text(row.cells[0], "{{ loop.index }}", align=CENTER, size=ANNEX_TABLE_PT)
    cell_text(row.cells[1], "{{ line.rule_name }}", size=ANNEX_TABLE_PT)
    cell_text(row.cells[2], "{{ line.article }}", align=CENTER, size=ANNEX_TABLE_PT)
    cell_text(row.cells[3], "{{ line.explanation }}", size=ANNEX_TABLE_PT)
    cell_text(row.cells[4], "{{ line.amount }}", align=RIGHT, size=ANNEX_TABLE_PT)
    cell_text(annex.rows[3].cells[0], "{%tr endfor %}", size=ANNEX_TABLE_PT)
    total_row = annex.rows[4]
    row_flags(total_row)
    merged = total_row.cells[0].merge(total_row.cells[3])
    for extra in merged.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    cell_text(merged, "合计", align=CENTER, size=ANNEX_TABLE_PT, font=HEADING_FONT)
    cell_text(total_row.cells[4], "{{ total }}", align=RIGHT, size=ANNEX_TABLE_PT)
    paragraph(doc, "注：计算所用数据来源于海关进出口数据、省级奖励名单和你单位申报材料。", size=ANNEX_TABLE_PT,
              line_pt=round(ANNEX_TABLE_PT * 1.5), space_before=4, indent=False, align=LEFT)
    tag_paragraph(doc, "{%p if draft %}")
    paragraph(doc, "草稿（暂缓拨付，不得寄发）。暂缓原因：{{ hold_reasons }}，详见兑现表“待核查”工作表。"
                   "处理后重新运行，即生成正式通知书。", font=HEADING_FONT, size=ANNEX_TABLE_PT,
              line_pt=round(ANNEX_TABLE_PT * 1.5), space_before=4, align=LEFT)
    tag_paragraph(doc, "{%p endif %}")

    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    print(build(target))
