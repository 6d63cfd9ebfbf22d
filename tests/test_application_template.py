"""The blank applications workbook (企业申报汇总.xlsx): sheets, headers, validation, text columns."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from jixi_batch.application_template import TEMPLATE_ROWS, write_application_template
from jixi_batch.policy import Policy, default_policy_path, load_policy

FIRM_HEADERS = [
    "统一社会信用代码", "企业名称", "所属县区", "通讯地址", "联系人", "联系电话", "开户银行", "银行账号",
    "当年新引入", "生产加工型", "能源资源进口落地率(%)", "煤炭落地数量(吨)", "本地加工产品出口额(元)",
    "平台入驻费(元)", "推广费(元)", "服务企业数(家)", "银行手续费(元)",
]
LOAN_HEADERS = ["统一社会信用代码", "贷款银行", "发放日", "本金(元)", "计息天数", "实付利息(元)"]
OTHER_HEADERS = ["统一社会信用代码", "规则编号", "政策名称", "已获金额(元)"]


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(default_policy_path(2023))


@pytest.fixture(scope="module")
def book(policy, tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "企业申报汇总.xlsx"
    write_application_template(path, policy)
    return path


def _header(ws) -> list:
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]


def _col(headers: list, name: str) -> str:
    return openpyxl.utils.get_column_letter(headers.index(name) + 1)


def _validations(ws) -> dict:
    """Column letter -> list of validations whose range covers data row 2 of that column."""
    out: dict[str, list] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            start, _, end = rng.partition(":")
            first = openpyxl.utils.cell.coordinate_from_string(start)
            last = openpyxl.utils.cell.coordinate_from_string(end or start)
            if first[1] <= 2 <= last[1]:
                c0 = openpyxl.utils.column_index_from_string(first[0])
                c1 = openpyxl.utils.column_index_from_string(last[0])
                for c in range(c0, c1 + 1):
                    out.setdefault(openpyxl.utils.get_column_letter(c), []).append(dv)
    return out


def _dim(ws, letter: str):
    """The column dimension covering a column (adjacent alike columns share one <col>)."""
    idx = openpyxl.utils.column_index_from_string(letter)
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max and dim.min <= idx <= dim.max:
            return dim
    return ws.column_dimensions[letter]


def _one(vals: dict, col: str, kind: str):
    found = [dv for dv in vals.get(col, []) if dv.type == kind]
    assert len(found) == 1, (col, kind, [(dv.type, dv.sqref) for dv in vals.get(col, [])])
    return found[0]


def test_sheets_and_headers(book):
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:3] == ["企业信息", "贷款台账", "其他奖励"]
    assert "填表说明" in wb.sheetnames
    assert _header(wb["企业信息"]) == FIRM_HEADERS
    assert _header(wb["贷款台账"]) == LOAN_HEADERS
    assert _header(wb["其他奖励"]) == OTHER_HEADERS
    # pandas reads the blank sheets as empty tables with those columns
    for sheet, headers in [("企业信息", FIRM_HEADERS), ("贷款台账", LOAN_HEADERS),
                           ("其他奖励", OTHER_HEADERS)]:
        df = pd.read_excel(book, sheet_name=sheet, engine="openpyxl")
        assert list(df.columns) == headers and len(df) == 0


def test_firm_validations(book):
    ws = openpyxl.load_workbook(book)["企业信息"]
    vals = _validations(ws)
    h = FIRM_HEADERS
    code = _one(vals, _col(h, "统一社会信用代码"), "textLength")
    assert code.operator == "equal" and str(code.formula1) == "18"
    assert str(code.sqref) == f"A2:A{TEMPLATE_ROWS + 1}"
    for name in ["当年新引入", "生产加工型"]:
        dv = _one(vals, _col(h, name), "list")
        assert dv.formula1 == '"是,否"'
    pct = _one(vals, _col(h, "能源资源进口落地率(%)"), "decimal")
    assert pct.operator in (None, "between") and (str(pct.formula1), str(pct.formula2)) == ("0", "100")
    for name in ["煤炭落地数量(吨)", "本地加工产品出口额(元)", "平台入驻费(元)", "推广费(元)",
                 "银行手续费(元)"]:
        dv = _one(vals, _col(h, name), "decimal")
        assert dv.operator == "greaterThanOrEqual" and str(dv.formula1) == "0"
    served = _one(vals, _col(h, "服务企业数(家)"), "whole")
    assert served.operator == "greaterThanOrEqual"
    # every column carries an input hint, on its data cells and on its header cell
    for c in range(1, len(h) + 1):
        letter = openpyxl.utils.get_column_letter(c)
        assert any(dv.prompt and dv.showInputMessage for dv in vals[letter]), letter
    header_hints = [dv for dv in ws.data_validations.dataValidation
                    if str(dv.sqref).endswith("1") and ":" not in str(dv.sqref)]
    assert len(header_hints) == len(h)


def test_loan_and_other_validations(book, policy):
    wb = openpyxl.load_workbook(book)
    ws = wb["贷款台账"]
    vals = _validations(ws)
    _one(vals, _col(LOAN_HEADERS, "统一社会信用代码"), "textLength")
    _one(vals, _col(LOAN_HEADERS, "发放日"), "date")
    _one(vals, _col(LOAN_HEADERS, "计息天数"), "whole")
    _one(vals, _col(LOAN_HEADERS, "本金(元)"), "decimal")
    _one(vals, _col(LOAN_HEADERS, "实付利息(元)"), "decimal")
    ws = wb["其他奖励"]
    vals = _validations(ws)
    _one(vals, _col(OTHER_HEADERS, "统一社会信用代码"), "textLength")
    rule = _one(vals, _col(OTHER_HEADERS, "规则编号"), "list")
    assert rule.formula1 == '"' + ",".join(policy.rule_order) + '"'
    _one(vals, _col(OTHER_HEADERS, "已获金额(元)"), "decimal")


def test_text_columns_and_layout(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["企业信息"]
    for name in ["统一社会信用代码", "银行账号", "联系电话"]:
        assert _dim(ws, _col(FIRM_HEADERS, name)).number_format == "@", name
    assert _dim(wb["贷款台账"], "A").number_format == "@"
    assert _dim(wb["其他奖励"], "A").number_format == "@"
    assert _dim(wb["贷款台账"], "C").number_format == "yyyy-mm-dd"
    for sheet in ["企业信息", "贷款台账", "其他奖励"]:
        ws = wb[sheet]
        assert ws.freeze_panes == "A2"
        header = ws["A1"]
        assert header.font.bold
        assert ws.page_setup.orientation == "landscape"
        # the widest header fits
        for c, h in enumerate(_header(ws), 1):
            width = _dim(ws, openpyxl.utils.get_column_letter(c)).width
            assert width >= sum(2 if ord(ch) > 0x2000 else 1 for ch in h), h


def test_help_sheet(book, policy):
    ws = openpyxl.load_workbook(book)["填表说明"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "填表说明" in text
    for rid in policy.rule_order:
        assert f"{rid}：{policy.rules[rid].name}" in text
    assert "是" in text and "18位" in text
