"""The blank applications workbook (企业申报汇总.xlsx) the clerk fills (INPUTS.md §3).

Sheets 企业信息, 贷款台账, 其他奖励 with the headers exactly as INPUTS.md names them,
Excel data validation on the first TEMPLATE_ROWS rows (是/否 lists, number ranges,
whole numbers, dates, the rule ids of the policy, 18-character codes), an input
hint on every column, code/account/phone columns formatted as text, and a
填表说明 sheet in Chinese.
"""
from __future__ import annotations

import datetime as _dt
import io
import pathlib

import xlsxwriter

from .policy import Policy
from .tables import Firms, Loans, OtherAwards, Table
from .xlsx_style import (
    WORKBOOK_OPTIONS,
    Styles,
    display_width,
    finish_table,
    fit_width,
    setup_page,
    write_header,
)

TEMPLATE_ROWS = 2000          # rows carrying validation and column formats
TEMPLATE_FILENAME = "企业申报汇总.xlsx"

SHEET_FIRMS, = Firms.sheet_names
SHEET_LOANS, = Loans.sheet_names
SHEET_OTHER, = OtherAwards.sheet_names
SHEET_HELP = "填表说明"


def template_columns(table: type[Table]) -> list[tuple[str, str, str, int]]:
    """(header, validation kind, input hint, minimum width) of each column the clerk fills."""
    return [(c.header, c.kind.template, c.hint, c.width) for c in table.columns if c.template]


def _validation(kind: str, rule_ids: list[str]) -> dict:
    """The Excel data validation for a column kind (no input message yet)."""
    if kind == "code":
        return {"validate": "length", "criteria": "==", "value": 18,
                "error_title": "统一社会信用代码", "error_message": "统一社会信用代码应为18位。"}
    if kind == "yesno":
        return {"validate": "list", "source": ["是", "否"],
                "error_title": "请选择", "error_message": "请从下拉列表选择“是”或“否”。"}
    if kind == "pct":
        return {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
                "error_title": "落地率", "error_message": "请填写0到100之间的数字（百分比）。"}
    if kind in ("money", "qty"):
        return {"validate": "decimal", "criteria": ">=", "value": 0,
                "error_title": "数值", "error_message": "请填写不小于0的数字。"}
    if kind in ("count", "days"):
        return {"validate": "integer", "criteria": ">=", "value": 0,
                "error_title": "整数", "error_message": "请填写不小于0的整数。"}
    if kind == "date":
        return {"validate": "date", "criteria": "between",
                "minimum": _dt.date(2000, 1, 1), "maximum": _dt.date(2099, 12, 31),
                "error_title": "日期", "error_message": "请填写日期，如 2023-05-10。"}
    if kind == "rule" and rule_ids:
        return {"validate": "list", "source": list(rule_ids),
                "error_title": "规则编号", "error_message": "请从下拉列表选择规则编号。"}
    return {"validate": "any"}


def _column_format(kind: str, styles: Styles):
    if kind in ("code", "account", "phone", "text", "yesno", "rule"):
        return styles.col_text
    if kind == "money":
        return styles.col_money
    if kind in ("count", "days"):
        return styles.col_int
    if kind in ("qty", "pct"):
        return styles.col_num
    if kind == "date":
        return styles.col_date
    return styles.col_plain


def _input_title(header: str) -> str:
    return header if len(header) <= 32 else header[:32]


def _data_sheet(wb, styles: Styles, name: str, columns, rule_ids: list[str]) -> None:
    ws = wb.add_worksheet(name)
    headers = [h for h, _, _, _ in columns]
    write_header(ws, headers, styles)
    for c, (header, kind, hint, min_w) in enumerate(columns):
        width = max(fit_width(display_width(header), header), min_w)
        ws.set_column(c, c, width, _column_format(kind, styles))
        # Hint on the header cell and on the data cells; validation on the data cells.
        ws.data_validation(0, c, 0, c, {
            "validate": "any", "input_title": _input_title(header), "input_message": hint[:255],
        })
        opts = _validation(kind, rule_ids)
        opts.update({"input_title": _input_title(header), "input_message": hint[:255]})
        if opts["validate"] != "any":
            opts["ignore_blank"] = True
            opts["error_type"] = "stop"
        ws.data_validation(1, c, TEMPLATE_ROWS, c, opts)
    finish_table(ws, len(headers), 0)
    setup_page(ws, f"企业申报汇总 {name}")


def _help_lines(policy: Policy) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = [
        ("title", f"企业申报汇总表 填表说明（{policy.year}年度）"),
        ("text", f"适用政策：{policy.title}"),
        ("text", ""),
        ("head", "一、总体要求"),
        ("text", "1. 请勿修改工作表名称和第一行表头，也不要插入合并单元格；每行填写一条记录。"),
        ("text", "2. 统一社会信用代码填写18位，按文本录入；同一企业在各工作表中的代码须一致。"),
        ("text", "3. 金额单位为元，可保留两位小数；没有的项目留空（视为0），不要填写负数。"),
        ("text", "4. 银行账号、联系电话按文本填写，不要写成数字或科学计数法。"),
        ("text", "5. 标题行和数据行带有输入提示和数据有效性检查，输入不符合要求时Excel会提示。"),
        ("text", ""),
        ("head", f"二、“{SHEET_FIRMS}”工作表：每户申报企业一行（同一企业不要重复填写）"),
        ("text", "当年新引入、生产加工型：从下拉列表选择“是”或“否”。"),
        ("text", "能源资源进口落地率(%)：填0–100的数字，如落地率55%填 55。"),
        ("text", "煤炭落地数量(吨)：当年进口并落地省内使用的煤炭数量。"),
        ("text", "本地加工产品出口额、平台入驻费、推广费、银行手续费：单位为元。"),
        ("text", "服务企业数(家)：外贸综合服务企业当年服务的企业数，填整数。"),
        ("text", ""),
        ("head", f"三、“{SHEET_LOANS}”工作表：每笔出口融资贷款一行"),
        ("text", "发放日填写日期（如 2023-05-10）；计息天数填整数；本金、实付利息单位为元。"),
        ("text", ""),
        ("head", f"四、“{SHEET_OTHER}”工作表：同一事项已获得的其他奖励（从高不重复）"),
        ("text", "规则编号从下拉列表选择，各编号对应的奖励项目如下："),
    ]
    for rid in policy.rule_order:
        rule = policy.rules[rid]
        lines.append(("rule", f"{rid}：{rule.name}（第{rule.article}条）"))
    lines += [
        ("text", ""),
        ("head", "五、其他"),
        ("text", "表中企业名称应与营业执照一致；同一企业在不同表中名称不一致的，将列入待核查。"),
        ("text", "填报完成后请保存为 .xlsx 文件，与海关数据、省级奖励数据一并放入输入文件夹。"),
    ]
    return lines


def _help_sheet(wb, styles: Styles, policy: Policy) -> None:
    ws = wb.add_worksheet(SHEET_HELP)
    head = wb.add_format({"font_name": "黑体", "font_size": 11, "bold": True})
    title = wb.add_format({"font_name": "黑体", "font_size": 14, "bold": True})
    body = wb.add_format({"font_name": "宋体", "font_size": 11, "text_wrap": True,
                          "valign": "top"})
    width = 6
    for r, (kind, text) in enumerate(_help_lines(policy)):
        fmt = title if kind == "title" else head if kind == "head" else body
        if text:
            ws.write_string(r, 0, text, fmt)
        width = max(width, display_width(text))
    ws.set_column(0, 0, min(width + 2, 100))
    ws.set_paper(9)
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_footer("&C第 &P 页 / 共 &N 页")


def write_application_template(path, policy: Policy) -> None:
    """Write the blank 企业申报汇总 workbook to ``path``: made in memory (no temporary file
    anywhere), then written in one go; a write that fails (disk full) removes what it wrote."""
    rule_ids = list(policy.rule_order)
    packed = io.BytesIO()
    wb = xlsxwriter.Workbook(packed, dict(WORKBOOK_OPTIONS, in_memory=True))
    wb.set_properties({"title": "企业申报汇总", "subject": "鸡西市外贸奖励申报"})
    styles = Styles(wb)
    for table in (Firms, Loans, OtherAwards):
        _data_sheet(wb, styles, table.sheet_names[0], template_columns(table), rule_ids)
    _help_sheet(wb, styles, policy)
    wb.close()
    path = pathlib.Path(path)
    try:
        path.write_bytes(packed.getbuffer())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
