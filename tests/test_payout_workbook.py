"""The payout workbook: sheet names, fixed headers, money, text safety, totals, print setup, and the
parts of a table ready to sign (title, 制表单位, date, signatures; OUTPUTS.md "A workbook ready to sign").

Every table's header is on row HEADER_ROW + 1 (1-based) below the title block."""
from __future__ import annotations

from datetime import date
from fractions import Fraction

import openpyxl
import pandas as pd
import pytest

from jixi_batch import model
from jixi_batch.model import SHEET_ORDER
from jixi_batch.policy import default_policy_path, load_policy
from jixi_batch.tables import Customs, Firms, Loans, OtherAwards
from jixi_batch.payout_workbook import (
    CHECK_BAD,
    CHECK_OK,
    payout_filename,
    write_payout_workbook,
)
from jixi_batch.money import format_yuan as money_text
from jixi_batch.xlsx_style import HEADER_ROW, MONEY_BLANK_ZERO_FMT, display_width, max_display_width

HEAD = HEADER_ROW + 1          # the header row, 1-based as openpyxl counts
FIRST = HEAD + 1               # the first data row

INJECTED = ['=HYPERLINK("http://x","y")', "+86 123", "-1", "@SUM(A1)"]
CODES = [f"91230300MA1A00000{i}" for i in range(1, 6)]
NAMES = ["鸡西市甲乙丙丁进出口贸易有限责任公司"] + INJECTED
ACCOUNTS = ["6222020200012345678", "0012345", "=1+2", "", "62170000123456789012"]

RULE_HEADERS = ["大型外贸主体市级奖励（A1）", "跨境电商平台开店补贴（A3S）", "本地加工产品出口奖励（A5X）"]
FIRM_HEADERS = (
    ["序号", "统一社会信用代码", "企业名称", "所属县区"] + RULE_HEADERS
    + ["第五条封顶核减(元)", "预算核减(元)", "兑现金额(元)", "开户银行", "银行账号", "状态"]
)
LINE_HEADERS = [
    "统一社会信用代码", "企业名称", "规则编号", "规则名称", "政策依据", "计算基数(元)",
    "测算金额(元)", "从高不重复抵扣(元)", "第五条封顶核减(元)", "预算核减(元)", "核定金额(元)",
    "计算说明",
]
REVIEW_FIXED = ["类别", "文件", "工作表", "行号", "统一社会信用代码", "企业名称", "说明"]
CHECK_HEADERS = ["文件", "工作表", "角色", "读取行数", "使用行数", "待核查行数", "合计行跳过数", "其中隐藏行数", "核对"]
SUMMARY_HEADERS = ["规则编号", "规则名称", "政策依据", "企业数", "测算金额(元)", "从高不重复抵扣(元)",
                   "第五条封顶核减(元)", "预算核减(元)", "金额(元)"]

RULES = [
    model.RuleInfo("A1", "大型外贸主体市级奖励", "第一条", "对年度新增进出口额……"),
    model.RuleInfo("A3S", "跨境电商平台开店补贴", "第三条", "对在第三方跨境电商平台……"),
    model.RuleInfo("A5X", "本地加工产品出口奖励", "第五条第（二）项", "对年出口额500万元……"),
]

# (firm index, rule, basis, computed, offset, art5, budget)
LINE_SPECS = [
    (0, "A1", 150_000_000_00, 15_000_000, 0, 0, 0),
    (0, "A5X", 8_234_000_00, 16_468_000, 2_000_000, 0, 0),
    (1, "A3S", 2_469_134, 1_234_567, 0, 0, 567),
    (2, "A5X", 60_000_000_00, 100_000_000, 0, 10_000_000, 0),
    (3, "A1", 0, 0, 0, 0, 0),
    (4, "A3S", 10, 5, 0, 0, 0),
]


def _lines() -> pd.DataFrame:
    rows = []
    names = {r.rule_id: r for r in RULES}
    for i, rid, basis, comp, off, a5, bud in LINE_SPECS:
        rows.append({
            "code": CODES[i], "name": NAMES[i], "rule_id": rid,
            "rule_name": names[rid].name, "article": names[rid].article,
            "basis_fen": basis, "computed_fen": comp, "offset_fen": off,
            "art5_cut_fen": a5, "budget_cut_fen": bud,
            "approved_fen": comp - off - a5 - bud,
            "explanation": f"本地加工产品出口额 {money_text(basis)} 元 ≥ 5,000,000 元，按 2% 计 "
                           f"{money_text(comp)} 元" + "，说明文字" * (10 if i == 0 else 0),
        })
    df = pd.DataFrame(rows, columns=model.LINE_COLS)
    for c in ["basis_fen", "computed_fen", "offset_fen", "art5_cut_fen", "budget_cut_fen",
              "approved_fen"]:
        df[c] = df[c].astype("int64")
    return df


def _firms(lines: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for i, code in enumerate(CODES):
        ls = lines[lines["code"] == code]
        row = {"seq": i + 1, "code": code, "name": NAMES[i], "district": "鸡冠区"}
        for rule in RULES:
            x = ls[ls["rule_id"] == rule.rule_id]
            row[rule.rule_id] = int(x["approved_fen"].sum())      # the line's 核定金额
        row.update({
            "art5_cut_fen": int(ls["art5_cut_fen"].sum()),
            "budget_cut_fen": int(ls["budget_cut_fen"].sum()),
            "payout_fen": int(ls["approved_fen"].sum()),
            "bank": "中国工商银行鸡西分行", "account": ACCOUNTS[i],
            "status": "待核查" if i in (1, 3) else "正常",
            "address": "鸡西市", "contact": "张三", "phone": "0467-1234567",
        })
        rows.append(row)
    cols = (model.FIRM_SUMMARY_COLS[:4] + [r.rule_id for r in RULES]
            + model.FIRM_SUMMARY_COLS[4:])
    return pd.DataFrame(rows)[cols]


def _review() -> pd.DataFrame:
    return pd.DataFrame([
        {"类别": "格式错误", "文件": "企业申报汇总.xlsx", "工作表": "企业信息", "行号": 5,
         "列": "推广费(元)", "值": "=1+1", "统一社会信用代码": CODES[1], "企业名称": NAMES[1],
         "说明": "推广费应为数字"},
        {"类别": "缺少开户信息", "文件": "", "工作表": "", "行号": None,
         "列": "", "值": "", "统一社会信用代码": CODES[3], "企业名称": NAMES[3],
         "说明": "企业有奖励但没有银行账号，请补全开户信息后再兑现" * 3},
        {"类别": "名称不一致", "文件": "海关数据2023.xlsx", "工作表": "Sheet1", "行号": 12,
         "列": "企业名称", "值": "@SUM(A1)", "统一社会信用代码": CODES[4], "企业名称": NAMES[4],
         "说明": "同一企业在不同文件中名称不同"},
    ], columns=model.REVIEW_COLS)


def _result(**kw) -> model.RunResult:
    lines = _lines()
    firms = _firms(lines)
    total = int(lines["approved_fen"].sum())
    base = dict(
        year=2023,
        policy=load_policy(default_policy_path(2023)),
        policy_path="jixi_batch/policies/2023.yaml",
        program_version="0.1.0",
        run_time="2024-04-15 09:30:12",
        rules=RULES,
        lines=lines,
        firms=firms,
        review=_review(),
        accounts=[
            model.SheetAccount("海关数据2023.xlsx", "Sheet1", Customs.role, 100, 97, 2, 1),
            model.SheetAccount("企业申报汇总.xlsx", "企业信息", Firms.role, 10, 9, 1, 0),
            model.SheetAccount("企业申报汇总.xlsx", "贷款台账", Loans.role, 5, 3, 1, 0),
        ],
        files=[
            model.InputFile("海关数据2023.xlsx", "a" * 64, [Customs.role], 100),
            model.InputFile("=企业申报汇总.xlsx", "b" * 64,
                            [Firms.role, Loans.role, OtherAwards.role], 15),
        ],
        fund_fen=2_000_000_000,
        total_before_budget_fen=total + 567,
        total_fen=total,
        budget_mode="report",
        prorate_factor=None,
        warnings=[],
        issue_date=date(2024, 4, 15),
        publicity_start=date(2024, 4, 16),
    )
    base.update(kw)
    return model.RunResult(**base)


def _header(ws) -> list:
    return [c.value for c in next(ws.iter_rows(min_row=HEAD, max_row=HEAD))]


@pytest.fixture()
def book(tmp_path):
    path = tmp_path / payout_filename(2023)
    write_payout_workbook(_result(), path)
    return path


def test_filename():
    assert payout_filename(2023) == "2023年度外贸奖励兑现表.xlsx"


def test_sheet_names_and_headers(book):
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == SHEET_ORDER == ["汇总", "县区汇总", "企业汇总", "明细", "待核查", "应享未享", "数据核对", "运行记录"]
    assert _header(wb["汇总"]) == SUMMARY_HEADERS
    for h in ["规则编号", "规则名称", "政策依据", "企业数", "金额(元)"]:      # the fixed ones (OUTPUTS.md)
        assert h in SUMMARY_HEADERS
    assert _header(wb["企业汇总"]) == FIRM_HEADERS
    assert _header(wb["明细"]) == LINE_HEADERS
    review_header = _header(wb["待核查"])
    for h in REVIEW_FIXED + ["列", "值"]:
        assert h in review_header
    assert _header(wb["数据核对"]) == CHECK_HEADERS


def test_lines_money_and_format(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["明细"]
    lines = _lines()
    assert ws.max_row == HEAD + len(lines)
    money_cols = {h: i for i, h in enumerate(LINE_HEADERS) if h.endswith("(元)")}
    key = {"计算基数(元)": "basis_fen", "测算金额(元)": "computed_fen",
           "从高不重复抵扣(元)": "offset_fen", "第五条封顶核减(元)": "art5_cut_fen",
           "预算核减(元)": "budget_cut_fen", "核定金额(元)": "approved_fen"}
    for r, rec in enumerate(lines.to_dict("records"), start=FIRST):
        for h, c in money_cols.items():
            cell = ws.cell(row=r, column=c + 1)
            assert cell.data_type == "n"             # zero is a 0 that prints blank, not an empty cell
            assert cell.number_format == MONEY_BLANK_ZERO_FMT == '#,##0.00;-#,##0.00;""'
            assert round(cell.value * 100) == rec[key[h]]
        assert ws.cell(row=r, column=12).alignment.wrap_text
    # pandas sees the same numbers
    df = pd.read_excel(book, sheet_name="明细", dtype={"统一社会信用代码": str}, engine="openpyxl", header=HEADER_ROW)
    assert list(df.columns) == LINE_HEADERS
    assert (df["核定金额(元)"] * 100).round().astype("int64").tolist() == \
        lines["approved_fen"].tolist()
    assert df["统一社会信用代码"].tolist() == lines["code"].tolist()


def test_injected_text_stays_text(book):
    wb = openpyxl.load_workbook(book)
    for sheet, header in [("企业汇总", "企业名称"), ("明细", "企业名称"), ("待核查", "企业名称")]:
        ws = wb[sheet]
        col = _header(ws).index(header) + 1
        values = []
        for row in ws.iter_rows(min_row=FIRST, min_col=col, max_col=col):
            cell = row[0]
            if cell.value is None:
                continue
            assert cell.data_type == "s", (sheet, cell.coordinate, cell.value)
            values.append(cell.value)
        for name in INJECTED:
            if sheet != "待核查" or name in (NAMES[1], NAMES[3], NAMES[4]):
                assert name in values, (sheet, name)
    # review values and file names, too
    ws = wb["待核查"]
    val_col = _header(ws).index("值") + 1
    values = [ws.cell(row=r, column=val_col) for r in range(FIRST, ws.max_row + 1)]
    assert [c.data_type for c in values if c.value == "=1+1"] == ["s"]
    record = wb["运行记录"]
    cells = [c for row in record.iter_rows() for c in row if c.value == "=企业申报汇总.xlsx"]
    assert len(cells) == 1 and cells[0].data_type == "s"
    # nothing in the workbook is a formula except the 合计 SUMs
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert str(c.value).startswith("=SUM("), (ws.title, c.coordinate, c.value)


def test_account_is_text(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["企业汇总"]
    col = FIRM_HEADERS.index("银行账号") + 1
    for r, acct in enumerate(ACCOUNTS, start=FIRST):
        cell = ws.cell(row=r, column=col)
        assert cell.number_format == "@"
        if acct:
            assert cell.data_type == "s"
            assert cell.value == acct


def test_firm_totals_row(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["企业汇总"]
    n = len(CODES)
    total_row = FIRST + n
    assert ws.cell(row=total_row, column=1).value == "合计"
    firms = _firms(_lines())
    money_headers = RULE_HEADERS + ["第五条封顶核减(元)", "预算核减(元)", "兑现金额(元)"]
    for h in money_headers:
        c = FIRM_HEADERS.index(h) + 1
        cell = ws.cell(row=total_row, column=c)
        letter = openpyxl.utils.get_column_letter(c)
        assert cell.data_type == "f"
        assert cell.value == f"=SUM({letter}{FIRST}:{letter}{FIRST + n - 1})"
        assert cell.number_format == MONEY_BLANK_ZERO_FMT
    # cached values, as readers that do not recalculate see them
    cached = openpyxl.load_workbook(book, data_only=True)["企业汇总"]
    df = pd.read_excel(book, sheet_name="企业汇总", dtype={"统一社会信用代码": str, "银行账号": str},
                       engine="openpyxl", header=HEADER_ROW)
    df = df[df["序号"].notna()]                      # the note below the table
    assert df["序号"].iloc[-1] == "合计"
    key = {"第五条封顶核减(元)": "art5_cut_fen", "预算核减(元)": "budget_cut_fen",
           "兑现金额(元)": "payout_fen", **{h: r.rule_id for h, r in zip(RULE_HEADERS, RULES)}}
    for h in money_headers:
        expected = int(firms[key[h]].sum())
        assert round(df[h].iloc[-1] * 100) == expected
        assert round(df[h].iloc[:-1].sum() * 100) == expected
        c = FIRM_HEADERS.index(h) + 1
        assert round(cached.cell(row=total_row, column=c).value * 100) == expected
    # the rule columns are 核定金额: they add up to 兑现金额, firm by firm
    rule_sum = sum((df[h].iloc[:-1] * 100).round().astype("int64") for h in RULE_HEADERS)
    assert rule_sum.tolist() == firms["payout_fen"].tolist()
    assert round(df["兑现金额(元)"].iloc[-1] * 100) == _result().total_fen
    # the firm rows are the firms, in order, with their payout
    assert df["统一社会信用代码"].iloc[:-1].tolist() == CODES
    assert (df["兑现金额(元)"].iloc[:-1] * 100).round().astype("int64").tolist() == \
        firms["payout_fen"].tolist()
    assert df["状态"].iloc[:-1].tolist() == firms["status"].tolist()


def test_print_and_view_setup(book):
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        assert ws.freeze_panes == f"A{FIRST}", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A{HEAD}:"), ws.title
        assert ws.page_setup.orientation == ("portrait" if ws.title == "县区汇总" else "landscape"), ws.title
        assert str(ws.page_setup.paperSize) in ("9", "8"), ws.title          # A4, or A3 for a wide table
        assert ws.print_title_rows in (f"{HEAD}:{HEAD}", f"${HEAD}:${HEAD}"), (ws.title, ws.print_title_rows)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (1, None)
        assert str(ws.page_setup.fitToHeight) == "0"
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        header = next(ws.iter_rows(min_row=HEAD, max_row=HEAD))
        assert header[0].font.bold and header[0].fill.fgColor.rgb not in (None, "00000000")
        assert header[0].border.left.style == "thin"
    # autofilter spans the data
    assert wb["明细"].auto_filter.ref == f"A{HEAD}:L{HEAD + len(LINE_SPECS)}"
    assert wb["企业汇总"].auto_filter.ref == f"A{HEAD}:M{HEAD + len(CODES)}"
    # widths fit Chinese text: a long name wraps within its column, its row tall enough for two lines
    ws = wb["企业汇总"]
    name_w = ws.column_dimensions["C"].width
    assert 16 <= name_w < display_width(NAMES[0])
    assert ws.cell(row=FIRST, column=3).alignment.wrap_text
    assert ws.row_dimensions[FIRST].height >= 2 * 14
    assert ws.column_dimensions["A"].width >= 6
    assert wb["明细"].column_dimensions["L"].width <= 61


def test_check_sheet(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["数据核对"]
    marks = [ws.cell(row=r, column=9).value for r in range(FIRST, FIRST + 3)]
    assert marks == [CHECK_OK, CHECK_OK, CHECK_BAD]
    assert CHECK_OK == "✓ 平衡" and CHECK_BAD == "✗ 不平衡"
    assert ws.cell(row=FIRST, column=3).value == "海关数据"
    assert [ws.cell(row=FIRST, column=c).value for c in range(4, 8)] == [100, 97, 2, 1]
    texts = [c.value for row in ws.iter_rows(min_row=FIRST + 3) for c in row if isinstance(c.value, str)]
    assert any("读取行数等于使用行数、待核查行数与合计行跳过数之和" in t for t in texts)


def _label_map(ws, value_col: int) -> dict:
    """Label (column A) -> the value in ``value_col`` (1-based), below the table."""
    out = {}
    for row in ws.iter_rows(min_row=FIRST):
        if isinstance(row[0].value, str) and len(row) >= value_col:
            out.setdefault(row[0].value, row[value_col - 1].value)
    return out


def test_summary_sheet(book):
    wb = openpyxl.load_workbook(book, data_only=True)
    ws = wb["汇总"]
    rows = [[c.value for c in row[:9]] for row in ws.iter_rows(min_row=FIRST, max_row=FIRST + 2)]
    assert [r[0] for r in rows] == ["A1", "A3S", "A5X"]
    assert [r[2] for r in rows] == ["第一条", "第三条", "第五条第（二）项"]
    # 企业数: firms with 核定金额 > 0 (firm 4's A1 line is 0)
    assert [r[3] for r in rows] == [1, 2, 2]
    # 测算金额, 从高不重复抵扣, 第五条封顶核减, 预算核减, 金额 (the 核定金额), per rule
    assert [[round(v * 100) for v in r[4:9]] for r in rows] == [
        [15_000_000, 0, 0, 0, 15_000_000],
        [1_234_567 + 5, 0, 0, 567, 1_234_000 + 5],
        [16_468_000 + 100_000_000, 2_000_000, 10_000_000, 0, 14_468_000 + 90_000_000],
    ]
    for c in range(5, 10):
        assert ws.cell(row=FIRST, column=c).number_format == MONEY_BLANK_ZERO_FMT
    total_row = [c.value for c in next(ws.iter_rows(min_row=FIRST + 3, max_row=FIRST + 3))]
    assert total_row[0] == "合计"
    assert round(total_row[8] * 100) == _result().total_fen
    assert total_row[3] == 4
    kv = _label_map(ws, 3)          # label merged over A:B, value in C
    assert round(kv["兑现总额(元)"] * 100) == _result().total_fen
    assert round(kv["专项资金(元)"] * 100) == 2_000_000_000
    assert kv["使用比例"] == pytest.approx(_result().total_fen / 2_000_000_000)
    assert kv["兑现模式"] == "按测算金额兑现"
    assert kv["压减系数"] == "未压减"
    # only money on the page a leader signs: the run record is on a sheet of its own
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert not texts & {"程序版本", "政策文件", "SHA-256", "运行时间"}
    assert {"经办人：", "审核人：", "负责人："} <= texts


def test_title_block_on_every_sheet(book):
    """Title, subtitle, 制表单位 and the date above every table; 单位：元 where it holds money."""
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        assert ws.cell(row=1, column=1).value == "2023年度鸡西市外贸发展奖励兑现表", ws.title
        assert str(ws.cell(row=2, column=1).value).startswith("（"), ws.title
        meta = [c.value for c in ws[3] if c.value]
        assert meta[0] == "制表单位：鸡西市商务局", (ws.title, meta)
        assert "2024年4月15日" in meta, (ws.title, meta)
        if ws.title in ("汇总", "县区汇总", "企业汇总", "明细"):
            assert meta[-1] == "单位：元", (ws.title, meta)


def test_run_record_sheet(book):
    wb = openpyxl.load_workbook(book, data_only=True)
    ws = wb["运行记录"]
    assert _header(ws) == ["文件", "角色", "读取行数", "SHA-256"]
    files = {}
    for row in ws.iter_rows(min_row=FIRST):
        vals = [c.value for c in row[:4]]
        if vals[0] is None:
            break
        files[vals[0]] = dict(zip(["文件", "角色", "读取行数", "SHA-256"], vals))
    assert files["海关数据2023.xlsx"] == {"文件": "海关数据2023.xlsx", "角色": "海关数据",
                                        "读取行数": 100, "SHA-256": "a" * 64}
    assert files["=企业申报汇总.xlsx"]["角色"] == \
        "企业申报汇总-企业信息、企业申报汇总-贷款台账、企业申报汇总-其他奖励"
    assert files["=企业申报汇总.xlsx"]["SHA-256"] == "b" * 64
    kv = _label_map(ws, 2)
    assert kv["程序版本"] == "0.1.0"
    assert kv["政策文件"] == "jixi_batch/policies/2023.yaml"
    assert kv["政策年度"] == "2023"
    assert kv["运行时间"] == "2024-04-15 09:30:12"
    assert kv["落款日期"] == "2024年4月15日"
    assert kv["兑现模式"] == "按测算金额兑现（--budget-mode report）"


def test_summary_prorate_and_warnings(tmp_path):
    path = tmp_path / "x.xlsx"
    write_payout_workbook(_result(budget_mode="prorate", prorate_factor=Fraction(2, 3),
                                  warnings=["测算总额超过专项资金，已按比例压减"]), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["汇总"]
    kv = _label_map(ws, 3)
    assert kv["兑现模式"] == "按专项资金比例压减"
    assert kv["压减系数"] == pytest.approx(2 / 3)
    cell = [c for row in ws.iter_rows() for c in row if c.value == "压减系数"][0]
    assert ws.cell(row=cell.row, column=3).number_format == "0.000000"
    assert _label_map(wb["运行记录"], 2)["提示"] == "测算总额超过专项资金，已按比例压减"


def test_empty_run(tmp_path):
    path = tmp_path / "empty.xlsx"
    firms = pd.DataFrame(columns=model.FIRM_SUMMARY_COLS[:4] + ["A1", "A3S", "A5X"]
                         + model.FIRM_SUMMARY_COLS[4:])
    write_payout_workbook(_result(lines=pd.DataFrame(columns=model.LINE_COLS), firms=firms,
                                  review=pd.DataFrame(columns=model.REVIEW_COLS),
                                  accounts=[], files=[], total_fen=0,
                                  total_before_budget_fen=0), path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == SHEET_ORDER
    assert _header(wb["企业汇总"]) == FIRM_HEADERS
    assert _header(wb["明细"]) == LINE_HEADERS
    assert wb["企业汇总"].cell(row=FIRST, column=1).value == "合计"
    assert wb["县区汇总"].cell(row=FIRST, column=1).value == "合计"


def test_district_sheet(book):
    """县区汇总: per 所属县区 the firms paid and their 兑现金额, the part held, a total equal to 兑现总额."""
    wb = openpyxl.load_workbook(book, data_only=True)
    ws = wb["县区汇总"]
    assert _header(ws) == ["序号", "所属县区", "企业数", "金额(元)", "其中暂缓拨付(元)"]
    rows = [[c.value for c in row[:5]] for row in ws.iter_rows(min_row=FIRST, max_row=FIRST + 1)]
    firms = _firms(_lines())
    paid = firms[firms["payout_fen"] > 0]
    assert rows[0][1:4] == ["鸡冠区", len(paid), pytest.approx(paid["payout_fen"].sum() / 100)]
    assert rows[1][0] == "合计"
    assert round(rows[1][3] * 100) == _result().total_fen
    formulas = openpyxl.load_workbook(book)["县区汇总"]
    assert formulas.cell(row=FIRST + 1, column=4).value == f"=SUM(D{FIRST}:D{FIRST})"


def test_display_width():
    assert display_width("abc") == 3
    assert display_width("鸡西市") == 6
    assert display_width("ＡＢ1") == 5
    assert max_display_width(["a", "鸡西", "abcde"]) == 5
    assert max_display_width(["鸡" * 100], cap=60) == 60
    assert money_text(123456) == "1,234.56"
    assert money_text(-5) == "-0.05"


def test_many_lines_all_written(tmp_path):
    n = 3_000
    lines = pd.concat([_lines()] * (n // len(LINE_SPECS)), ignore_index=True)
    path = tmp_path / "big.xlsx"
    write_payout_workbook(_result(lines=lines), path)
    df = pd.read_excel(path, sheet_name="明细", engine="calamine", header=HEADER_ROW)
    assert len(df) == len(lines)
    assert (df["核定金额(元)"] * 100).round().astype(int).tolist() == lines["approved_fen"].tolist()


def test_firm_totals_seen_by_calamine(book):
    pytest.importorskip("python_calamine")
    df = pd.read_excel(book, sheet_name="企业汇总", engine="calamine", header=HEADER_ROW)
    df = df[df["序号"].notna()]
    assert df["序号"].iloc[-1] == "合计"
    assert round(df["兑现金额(元)"].iloc[-1] * 100) == _result().total_fen
    assert df["企业名称"].iloc[1] == NAMES[1]


def test_rows_with_long_wrapped_text_get_taller(tmp_path):
    path = tmp_path / "book.xlsx"
    write_payout_workbook(_result(), path)
    sheet = openpyxl.load_workbook(path)["明细"]
    texts = [(row[0].row, row[-1].value) for row in sheet.iter_rows(min_row=FIRST)]
    long_rows = [r for r, text in texts if text and len(str(text)) > 60]
    assert long_rows, "the fixture should hold a long 计算说明"
    assert all((sheet.row_dimensions[r].height or 0) >= 32 for r in long_rows)


def test_wide_firm_table_prints_on_a3():
    """企业汇总 with every rule: A3 landscape, one page wide, the text at least about 7 pt."""
    from jixi_batch.xlsx_style import FONT_PT, MIN_PRINT_PT, PAPER_A3, page_layout, print_scale

    # the samples' widths: 序号, code, name, district, 13 rules, the two cuts, payout, bank, account, 状态
    widths = [6, 19, 16, 8, 10, 13, 13, 10, 13, 11, 11, 10, 13, 13, 13, 11, 13, 13, 9, 14, 10, 19, 8]
    layout = page_layout(widths)
    assert layout["paper"] == PAPER_A3 and layout["pages_wide"] == 1
    assert FONT_PT * print_scale(widths) >= MIN_PRINT_PT >= 6.8
    assert page_layout([10] * 12) == {}                      # a narrow table stays on A4
    assert page_layout([13] * 40)["pages_wide"] == 2         # too wide for A3: two pages wide
