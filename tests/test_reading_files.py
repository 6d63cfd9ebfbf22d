"""read_inputs on tiny files: headers, roles, totals, accounts, CSV encodings, errors."""
from __future__ import annotations

import datetime as dt
import zipfile
from fractions import Fraction

import numpy as np
import openpyxl
import pandas as pd
import pytest

from jixi_batch.model import REVIEW_COLS
from jixi_batch.tables import Customs, Firms, Loans, OtherAwards, Province

CUSTOMS_COLS, PROVINCE_COLS = Customs.tidy_columns(), Province.tidy_columns()
FIRM_COLS, LOAN_COLS, OTHER_AWARD_COLS = Firms.tidy_columns(), Loans.tidy_columns(), OtherAwards.tidy_columns()
ROLE_CUSTOMS, ROLE_PROVINCE, ROLE_FIRMS = Customs.role, Province.role, Firms.role
ROLE_LOANS, ROLE_OTHER = Loans.role, OtherAwards.role
from jixi_batch.reading import InputBundle, InputError, read_inputs
from test_reading_support import (CODE_A, CODE_B, CODE_C, CUSTOMS_HEADER, FIRM_HEADER, LOAN_HEADER,
                                  OTHER_HEADER, POLICY, PROVINCE_HEADER, customs_file, customs_row,
                                  write_csv, write_xlsx)


def balanced(bundle: InputBundle) -> bool:
    return all(a.balanced for a in bundle.accounts)


def firm_row(code=CODE_A, name="鸡西甲公司", account="6222021234567890123", **kw):
    values = {"所属县区": "鸡冠区", "通讯地址": "鸡西市", "联系人": "张三", "联系电话": "13800000000",
              "开户银行": "工行鸡西分行", "银行账号": account, "当年新引入": "否", "生产加工型": "是",
              "能源资源进口落地率(%)": "", "煤炭落地数量(吨)": "", "本地加工产品出口额(元)": 8234000,
              "平台入驻费(元)": "", "推广费(元)": "", "服务企业数(家)": "", "银行手续费(元)": 1000}
    values.update(kw)
    return [code, name] + [values[h] for h in FIRM_HEADER[2:]]


def apps_file(tmp_path, firms=None, loans=None, others=None, name="企业申报汇总.xlsx"):
    return write_xlsx(tmp_path / name, {
        "企业信息": [FIRM_HEADER] + (firms if firms is not None else [firm_row()]),
        "贷款台账": [LOAN_HEADER] + (loans or []),
        "其他奖励": [OTHER_HEADER] + (others or []),
    })


def province_file(tmp_path, rows=None, name="省级奖励.xlsx"):
    rows = rows if rows is not None else [[CODE_A, "鸡西甲公司", "外贸主体新增进出口奖励", 500000, "黑商发1号"]]
    return write_xlsx(tmp_path / name, {"奖励": [["2023年度省级外贸奖励"], PROVINCE_HEADER] + rows})


# --- header row, row numbers, aliases -----------------------------------------------

def test_header_under_two_title_lines_and_excel_row_numbers(tmp_path):
    path = customs_file(tmp_path, [customs_row(), customs_row(code=CODE_B, amount=5)])
    bundle = read_inputs([path], POLICY)
    assert list(bundle.customs.columns) == CUSTOMS_COLS
    # title at row 1, blank row 2, header row 3: data starts at Excel row 4
    assert bundle.customs["src_row"].tolist() == [4, 5]
    assert bundle.customs["amount_fen"].tolist() == [100000, 500]
    assert bundle.customs["code"].tolist() == [CODE_A, CODE_B]
    assert bundle.accounts[0].rows_read == 2 and balanced(bundle)


def test_leading_empty_rows_keep_excel_row_numbers(tmp_path):
    # header on row 3 with nothing above: calamine must not drop the empty leading rows
    wb = openpyxl.Workbook()
    ws = wb.active
    for j, h in enumerate(CUSTOMS_HEADER, start=2):
        ws.cell(row=3, column=j, value=h)
    for j, v in enumerate(customs_row(code="bad"), start=2):
        ws.cell(row=4, column=j, value=v)
    for j, v in enumerate(customs_row(), start=2):
        ws.cell(row=5, column=j, value=v)
    path = tmp_path / "c.xlsx"
    wb.save(path)
    bundle = read_inputs([path], POLICY)
    assert bundle.customs["src_row"].tolist() == [5]
    assert bundle.review["行号"].tolist() == [4]
    assert bundle.review["列"].tolist() == ["统一社会信用代码"]


def test_aliases_full_width_line_breaks_and_wan_yuan(tmp_path):
    header = ["统计年月", "社会信用代码", "经营单位名称", "进出口标志", "监管方式", "HS编码", "品名", "第一数量",
              "第一计量单位", "金额\n（万元）", "金额(美元)"]
    rows = [["202312", CODE_A, "甲", "I", "9610 跨境电子商务", 1012100, "x", 1.5, "吨", "1.23456", 999]]
    path = write_xlsx(tmp_path / "c.xlsx", {"数据": [header] + rows})
    bundle = read_inputs([path], POLICY)
    row = bundle.customs.iloc[0]
    assert row["amount_fen"] == 1234560          # 1.23456 万元 = 12,345.60 元
    assert row["trade_mode"] == "9610" and row["hs_code"] == "01012100" and row["direction"] == "I"
    assert row["quantity"] == 1.5 and row["unit"] == "吨"


def test_province_wan_yuan_and_item_normalisation(tmp_path):
    header = ["社会信用代码", "单位名称", "支持项目", "省级奖励金额（万元）", "批复文号"]
    rows = [[CODE_A, "甲", " 境外展会补贴 ", 5, "文1"], [CODE_B, "乙", "国家级外贸促进平台", "0.5", ""]]
    path = write_xlsx(tmp_path / "p.xlsx", {"省级": [header] + rows})
    bundle = read_inputs([customs_file(tmp_path), path], POLICY)
    assert list(bundle.province.columns) == PROVINCE_COLS
    assert bundle.province["amount_fen"].tolist() == [5000000, 500000]
    assert bundle.province["item"].tolist() == ["境外展会补贴", "国家级外贸促进平台"]
    assert bundle.province["rule_id"].tolist() == ["A4", "A2N"]


def test_duplicate_header_uses_first_and_warns(tmp_path):
    header = CUSTOMS_HEADER + ["金额"]
    rows = [customs_row() + [777]]
    path = write_xlsx(tmp_path / "c.xlsx", {"S": [header] + rows})
    bundle = read_inputs([path], POLICY)
    assert bundle.customs["amount_fen"].tolist() == [100000]
    assert any("重复的列" in w for w in bundle.warnings)


# --- totals and accounting ---------------------------------------------------------

def test_total_rows_middle_and_bottom_are_skipped_and_counted(tmp_path):
    rows = [customs_row(seq=1), ["小计", None, None, None, None, None, None, None, None, None, 1000],
            customs_row(seq=2, code=CODE_B), [None, None, None, "总计", None, None, None, None, None, None, 2000],
            [], customs_row(seq=3, code="X"), [None, "合计：", None, None, None, None, None, None, None, None, 9]]
    bundle = read_inputs([customs_file(tmp_path, rows)], POLICY)
    account = bundle.accounts[0]
    assert account.rows_total_skipped == 3
    assert account.rows_read == 6          # the fully empty row is not counted
    assert account.rows_used == 2 and account.rows_review == 1
    assert balanced(bundle)
    assert "跳过合计行 3 行" in bundle.console[0]


def test_a_header_row_repeated_mid_table_is_one_review_row(tmp_path):
    rows = [customs_row(), list(CUSTOMS_HEADER), customs_row(code=CODE_B)]
    bundle = read_inputs([customs_file(tmp_path, rows)], POLICY)
    account = bundle.accounts[0]
    assert (account.rows_read, account.rows_used, account.rows_review) == (3, 2, 1)
    assert bundle.review[["类别", "行号", "列", "值"]].values.tolist() == [
        ["重复表头行", 5, "统一社会信用代码", "统一社会信用代码"]]
    assert balanced(bundle)


def test_firm_name_with_total_word_is_not_a_total_row(tmp_path):
    rows = [customs_row(name="合计贸易有限公司", seq="")]
    bundle = read_inputs([customs_file(tmp_path, rows)], POLICY)
    assert len(bundle.customs) == 1 and bundle.accounts[0].rows_total_skipped == 0


def test_one_review_row_per_problem_cell_row_counted_once(tmp_path):
    rows = [customs_row(amount="abc", direction="转口", hs="12"), customs_row(code=CODE_B)]
    bundle = read_inputs([customs_file(tmp_path, rows)], POLICY)
    assert bundle.accounts[0].rows_review == 1 and bundle.accounts[0].rows_used == 1
    assert sorted(bundle.review["列"]) == sorted(["进出口", "商品编码", "金额(元)"])
    assert set(bundle.review["行号"]) == {4}
    assert set(bundle.review["值"]) == {"abc", "转口", "12"}
    assert list(bundle.review.columns) == REVIEW_COLS
    assert set(bundle.review["文件"]) == {"海关.xlsx"} and set(bundle.review["工作表"]) == {"Sheet1"}


# --- roles -------------------------------------------------------------------------

def test_all_five_roles_detected(tmp_path):
    loans = [[CODE_A, "工行", dt.datetime(2023, 5, 10), 1000000, 90, "8,000.00"],
             [CODE_A, "建行", "2023年6月1日", "500,000", 30, 1200]]
    others = [[CODE_A, "a3w", "某政策", 100000]]
    paths = [customs_file(tmp_path), province_file(tmp_path), apps_file(tmp_path, loans=loans, others=others)]
    bundle = read_inputs(paths, POLICY)
    roles = {f.path.split("/")[-1]: f.roles for f in bundle.files}
    assert roles == {"海关.xlsx": [ROLE_CUSTOMS], "省级奖励.xlsx": [ROLE_PROVINCE],
                     "企业申报汇总.xlsx": [ROLE_FIRMS, ROLE_LOANS, ROLE_OTHER]}
    assert list(bundle.firms.columns) == FIRM_COLS and list(bundle.loans.columns) == LOAN_COLS
    assert list(bundle.other_awards.columns) == OTHER_AWARD_COLS
    assert bundle.loans["issue_date"].dtype == "datetime64[ns]"
    assert bundle.loans["issue_date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-05-10", "2023-06-01"]
    assert bundle.loans["interest_paid_fen"].tolist() == [800000, 120000]
    assert bundle.other_awards["rule_id"].tolist() == ["A3W"]
    firm = bundle.firms.iloc[0]
    assert firm["account"] == "6222021234567890123" and bool(firm["processing_type"]) is True
    assert firm["local_export_fen"] == 823400000 and firm["bank_fee_fen"] == 100000
    assert len(bundle.console) == 4 and bundle.console[-1].startswith("计算年度：2023 年") and balanced(bundle)
    assert not [w for w in bundle.warnings if "没有找到" in w]
    for f in bundle.files:
        assert len(f.sha256) == 64


def test_roles_found_by_columns_not_names(tmp_path):
    # applications sheets under other names are still recognised by their columns
    path = write_xlsx(tmp_path / "随便.xlsx", {"Sheet1": [FIRM_HEADER, firm_row()],
                                               "Sheet2": [LOAN_HEADER, [CODE_A, "工行", "20230510", 1, 1, 0]]})
    bundle = read_inputs([customs_file(tmp_path), path], POLICY)
    assert len(bundle.firms) == 1 and len(bundle.loans) == 1


def test_unrecognised_sheet_ignored_with_console_line(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", {"说明": [["本表由海关提供"], ["请勿修改"]],
                                            "数据": [CUSTOMS_HEADER, customs_row()]})
    bundle = read_inputs([path], POLICY)
    assert len(bundle.customs) == 1
    assert any("说明" in line and "忽略" in line for line in bundle.console)
    assert [a.sheet for a in bundle.accounts] == ["数据"]


def test_hidden_sheet_skipped(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", {"数据": [CUSTOMS_HEADER, customs_row()],
                                            "旧数据": [CUSTOMS_HEADER, customs_row(code=CODE_B)]},
                      hidden=("旧数据",))
    bundle = read_inputs([path], POLICY)
    assert bundle.customs["code"].tolist() == [CODE_A]
    assert any("旧数据" in line and "隐藏" in line for line in bundle.console)


def test_landing_rate_percent_cell_and_account_number(tmp_path):
    path = tmp_path / "apps.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业信息"
    ws.append(FIRM_HEADER)
    ws.append(firm_row(account=6222020000000000000, **{"能源资源进口落地率(%)": 0.55}))
    ws.cell(row=2, column=FIRM_HEADER.index("能源资源进口落地率(%)") + 1).number_format = "0%"
    ws.append(firm_row(code=CODE_B, account=1234.5, **{"能源资源进口落地率(%)": "60%"}))
    ws.append(firm_row(code=CODE_C, **{"能源资源进口落地率(%)": 70, "煤炭落地数量(吨)": "5,000.5",
                                       "服务企业数(家)": 12}))
    wb.save(path)
    bundle = read_inputs([customs_file(tmp_path), path], POLICY)
    firms = bundle.firms.set_index("code")
    assert firms.loc[CODE_A, "landing_rate"] == Fraction(55, 100)
    assert firms.loc[CODE_C, "landing_rate"] == Fraction(70, 100)
    assert firms.loc[CODE_C, "coal_landed_t"] == Fraction("5000.5")
    assert firms.loc[CODE_C, "served_firms"] == 12
    # an account Excel stored as a number lost its last digits (19 digits, or a fraction): the firm's
    # row is used, the account left empty and listed for review (INPUTS.md "Fail closed")
    assert firms.loc[CODE_A, "account"] == "" and firms.loc[CODE_B, "account"] == ""
    flagged = bundle.review[bundle.review["类别"] == "银行账号有误"]
    assert sorted(flagged["统一社会信用代码"]) == sorted([CODE_A, CODE_B])
    assert set(flagged["列"]) == {"银行账号"}


# --- CSV -----------------------------------------------------------------------------

def test_gbk_and_utf8_csv_give_the_same_table(tmp_path):
    rows = [["2023年鸡西市进出口数据"], CUSTOMS_HEADER,
            [1, "2023-12", CODE_A, "鸡西甲公司", "出口", "9610 跨境电子商务", "1012100", "活马", "1,000.5", "千克",
             "1,234,567.89"],
            [2, "2023年11月", CODE_B, "鸡西乙公司", "进口", "0110", "27011210", "煤", "10", "吨", "５００"],
            ["合计", "", "", "", "", "", "", "", "", "", "1,235,067.89"]]
    gbk = write_csv(tmp_path / "gbk.csv", rows, "gbk")
    utf8 = write_csv(tmp_path / "utf8.csv", rows, "utf-8-sig")
    a = read_inputs([gbk], POLICY, year=2023)
    b = read_inputs([utf8], POLICY, year=2023)
    cols = [c for c in CUSTOMS_COLS if c not in ("src_file", "src_sheet")]
    pd.testing.assert_frame_equal(a.customs[cols], b.customs[cols])
    assert a.customs["amount_fen"].tolist() == [123456789, 50000]
    assert a.customs["name"].tolist() == ["鸡西甲公司", "鸡西乙公司"]
    assert a.customs["src_row"].tolist() == [3, 4]
    assert a.customs["src_sheet"].tolist() == ["gbk", "gbk"]
    assert a.accounts[0].rows_total_skipped == 1 and balanced(a)


def test_plain_utf8_csv_without_bom(tmp_path):
    rows = [CUSTOMS_HEADER, customs_row()]
    bundle = read_inputs([write_csv(tmp_path / "c.csv", rows, "utf-8")], POLICY)
    assert bundle.customs["name"].tolist() == ["鸡西甲公司"]


# --- customs files and years ---------------------------------------------------------

def test_two_customs_files_and_year_choice(tmp_path):
    y1 = customs_file(tmp_path, [customs_row(ym="202212", amount=1), customs_row(ym="202201", amount=2)],
                      name="2022.xlsx")
    y0 = customs_file(tmp_path, [customs_row(ym="202312", amount=3), customs_row(ym="202401", amount=4)],
                      name="2023.xlsx")
    bundle = read_inputs([y0, y1], POLICY)
    assert bundle.year == 2023                      # 2024 has no December
    assert sorted(bundle.customs["amount_fen"].tolist()) == [100, 200, 300]
    assert bundle.review["类别"].tolist() == ["非计算年度"]
    assert bundle.review["值"].tolist() == ["202401"]
    assert balanced(bundle)
    assert [a.rows_review for a in bundle.accounts] == [1, 0]


def test_a_stray_year_is_never_the_computation_year(tmp_path):
    """One row typed 202412 among 2023 data (December) does not choose 2024: it is listed, and
    the console says which year was taken and from what (INPUTS.md "Fail closed")."""
    rows = [customs_row(ym=f"2023{m:02d}") for m in range(1, 13)] + [customs_row(ym="202412", amount=9)]
    bundle = read_inputs([customs_file(tmp_path, rows)], POLICY)
    assert bundle.year == 2023
    assert bundle.review["类别"].tolist() == ["非计算年度"] and bundle.review["值"].tolist() == ["202412"]
    assert bundle.year_line == ("计算年度：2023 年（海关数据中 2023 年 12 行；取有12月数据的最近年度）；"
                                "2024 年 1 行，不足海关数据行数的10%，不作为计算年度")
    assert bundle.console[-1] == bundle.year_line
    assert balanced(bundle)


def test_a_year_at_the_share_counts(tmp_path):
    """A year holding exactly a tenth of the rows is substantial: the latest with December wins."""
    rows = [customs_row(ym="202312")] * 9 + [customs_row(ym="202412")]
    assert read_inputs([customs_file(tmp_path, rows)], POLICY).year == 2024
    rows = [customs_row(ym="202312")] * 10 + [customs_row(ym="202412")]
    assert read_inputs([customs_file(tmp_path, rows, name="b.xlsx")], POLICY).year == 2023


def test_year_without_december_warns(tmp_path):
    bundle = read_inputs([customs_file(tmp_path, [customs_row(ym="202305"), customs_row(ym="202206")])], POLICY)
    assert bundle.year == 2023
    assert any("12月" in w for w in bundle.warnings)


def test_year_argument_wins(tmp_path):
    path = customs_file(tmp_path, [customs_row(ym="202312"), customs_row(ym="202212"), customs_row(ym="202112")])
    bundle = read_inputs([path], POLICY, year=2022)
    assert sorted(bundle.customs["year"].unique().tolist()) == [2021, 2022]
    assert balanced(bundle)


def test_bare_month_takes_the_title_year(tmp_path):
    header = [h if h != "年月" else "月份" for h in CUSTOMS_HEADER]
    rows = [customs_row(ym="12月"), customs_row(ym=11)]
    path = write_xlsx(tmp_path / "c.xlsx", {"S": [["2023年鸡西市进出口"], header] + rows})
    bundle = read_inputs([path], POLICY)
    assert bundle.customs[["year", "month"]].values.tolist() == [[2023, 12], [2023, 11]]


def test_negative_customs_amount_is_a_correction(tmp_path):
    bundle = read_inputs([customs_file(tmp_path, [customs_row(amount=-500), customs_row(amount="-1,000")])],
                         POLICY)
    assert bundle.customs["amount_fen"].tolist() == [-50000, -100000]
    assert bundle.review.empty


def test_negative_amounts_elsewhere_are_reviewed(tmp_path):
    prov = province_file(tmp_path, [[CODE_A, "甲", "境外展会补贴", -100, ""], [CODE_B, "乙", "境外展会补贴", 100, ""]])
    apps = apps_file(tmp_path, firms=[firm_row(**{"银行手续费(元)": -1}), firm_row(code=CODE_B)])
    bundle = read_inputs([customs_file(tmp_path), prov, apps], POLICY)
    assert bundle.province["code"].tolist() == [CODE_B]
    assert bundle.firms["code"].tolist() == [CODE_B]
    assert sorted(bundle.review["类别"].tolist()) == ["金额为负", "金额为负"]
    assert balanced(bundle)


def test_unknown_item_and_rule_are_reviewed(tmp_path):
    prov = province_file(tmp_path, [[CODE_A, "甲", "外星贸易奖", 100, ""], [CODE_B, "乙", "境外展会补贴", 100, ""]])
    apps = apps_file(tmp_path, others=[[CODE_A, "Z9", "x", 1], [CODE_A, "A4", "x", 1]])
    bundle = read_inputs([customs_file(tmp_path), prov, apps], POLICY)
    assert bundle.province["code"].tolist() == [CODE_B] and bundle.other_awards["rule_id"].tolist() == ["A4"]
    assert sorted(bundle.review["类别"].tolist()) == ["未知奖励项目", "未知规则编号"]
    assert set(bundle.review["值"]) == {"外星贸易奖", "Z9"}


def test_bad_check_character_used_and_reviewed_once_per_file(tmp_path):
    bad = CODE_A[:17] + ("0" if CODE_A[17] != "0" else "1")
    path = customs_file(tmp_path, [customs_row(code=bad, amount=1), customs_row(code=bad.lower(), amount=2),
                                   customs_row(amount=3)])
    bundle = read_inputs([path, province_file(tmp_path, [[bad, "甲", "境外展会补贴", 1, ""]])], POLICY)
    assert bundle.customs["code"].tolist() == [bad, bad, CODE_A]
    assert bundle.bad_check_codes == {bad}
    check = bundle.review[bundle.review["类别"] == "校验码错误"]
    assert sorted(check["文件"].tolist()) == ["海关.xlsx", "省级奖励.xlsx"]
    assert bundle.accounts[0].rows_used == 3 and balanced(bundle)


def test_missing_or_invalid_code_goes_to_review(tmp_path):
    rows = [customs_row(code=None), customs_row(code="91230300MA1B2C3D4"), customs_row(code=CODE_B),
            customs_row(code=CODE_C)]
    bundle = read_inputs([customs_file(tmp_path, rows)], POLICY)
    assert bundle.customs["code"].tolist() == [CODE_B, CODE_C]
    assert bundle.review["类别"].tolist() == ["缺少统一社会信用代码", "统一社会信用代码无效"]
    assert bundle.review["行号"].tolist() == [4, 5]


# --- applications ---------------------------------------------------------------------

def test_duplicate_firm_is_held(tmp_path):
    apps = apps_file(tmp_path, firms=[firm_row(), firm_row(code=CODE_B), firm_row(account="1")],
                     loans=[[CODE_A, "工行", "2023-05-10", 100, 10, 1]])
    bundle = read_inputs([customs_file(tmp_path), apps], POLICY)
    assert bundle.held_codes == {CODE_A}
    assert bundle.firms["code"].tolist() == [CODE_B]
    dup = bundle.review[bundle.review["类别"] == "重复申报"]
    assert dup["行号"].tolist() == [2, 4]
    assert len(bundle.loans) == 1                      # other sheets are kept
    firm_account = next(a for a in bundle.accounts if a.role == ROLE_FIRMS)
    assert (firm_account.rows_used, firm_account.rows_review) == (1, 2) and balanced(bundle)


def test_missing_optional_firm_column_warns(tmp_path):
    header = ["统一社会信用代码", "企业名称", "开户银行", "银行账号"]
    path = write_xlsx(tmp_path / "a.xlsx", {"企业信息": [header, [CODE_A, "甲", "工行", "123"]]})
    bundle = read_inputs([customs_file(tmp_path), path], POLICY)
    assert bundle.firms["local_export_fen"].tolist() == [0]
    assert bundle.firms["newly_introduced"].tolist() == [False]
    assert any("本地加工产品出口额" in w for w in bundle.warnings)


# --- errors ---------------------------------------------------------------------------

def test_missing_required_column(tmp_path):
    header = [h for h in CUSTOMS_HEADER if h != "商品编码"]
    row = customs_row()
    del row[CUSTOMS_HEADER.index("商品编码")]
    path = write_xlsx(tmp_path / "海关缺列.xlsx", {"S": [header, row]})
    with pytest.raises(InputError) as info:
        read_inputs([path], POLICY)
    assert "海关缺列.xlsx" in str(info.value) and "商品编码" in str(info.value)


def test_named_application_sheet_missing_a_column(tmp_path):
    header = [h for h in LOAN_HEADER if h != "计息天数"]
    path = write_xlsx(tmp_path / "申报.xlsx", {"企业信息": [FIRM_HEADER, firm_row()], "贷款台账": [header]})
    with pytest.raises(InputError) as info:
        read_inputs([customs_file(tmp_path), path], POLICY)
    assert "申报.xlsx" in str(info.value) and "贷款台账" in str(info.value) and "计息天数" in str(info.value)


def test_corrupt_files(tmp_path):
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    text = tmp_path / "文本.xls"
    text.write_text("hello", encoding="utf-8")
    html = tmp_path / "网页.xls"
    html.write_text("<html><table><tr><td>1</td></tr></table></html>", encoding="utf-8")
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    for path in (broken, text, html, empty):
        with pytest.raises(InputError) as info:
            read_inputs([path], POLICY)
        assert path.name in str(info.value)


def test_unknown_role_and_no_customs(tmp_path):
    other = write_xlsx(tmp_path / "杂项.xlsx", {"S": [["姓名", "年龄"], ["张三", 30]]})
    with pytest.raises(InputError) as info:
        read_inputs([other], POLICY)
    assert "杂项.xlsx" in str(info.value)
    with pytest.raises(InputError) as info:
        read_inputs([province_file(tmp_path)], POLICY)
    assert "海关" in str(info.value)


def test_two_province_files(tmp_path):
    a = province_file(tmp_path, name="省1.xlsx")
    b = province_file(tmp_path, [[CODE_B, "乙", "境外展会补贴", 1, ""]], name="省2.xlsx")
    with pytest.raises(InputError) as info:
        read_inputs([customs_file(tmp_path), a, b], POLICY)
    assert "省1.xlsx" in str(info.value) and "省2.xlsx" in str(info.value)


def test_two_application_workbooks(tmp_path):
    a = apps_file(tmp_path, name="申报1.xlsx")
    b = apps_file(tmp_path, firms=[firm_row(code=CODE_B)], name="申报2.xlsx")
    with pytest.raises(InputError) as info:
        read_inputs([customs_file(tmp_path), a, b], POLICY)
    assert "申报1.xlsx" in str(info.value) and "申报2.xlsx" in str(info.value)


def test_identical_files_refused(tmp_path):
    a = customs_file(tmp_path, name="a.xlsx")
    b = tmp_path / "b.xlsx"
    b.write_bytes(a.read_bytes())
    with pytest.raises(InputError, match="内容完全相同"):
        read_inputs([a, b], POLICY)


def _rewrite_member(src, dst, member, transform):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == member:
                data = transform(data)
            zout.writestr(info, data)


def test_xml_entity_workbook_refused(tmp_path):
    src = customs_file(tmp_path, name="src.xlsx")
    bomb = tmp_path / "实体.xlsx"

    def add_entity(data: bytes) -> bytes:
        return (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
                + data)

    _rewrite_member(src, bomb, "xl/worksheets/sheet1.xml", add_entity)
    with pytest.raises(InputError) as info:
        read_inputs([bomb], POLICY)
    assert "实体.xlsx" in str(info.value) and "ENTITY" in str(info.value)


def test_zip_bomb_ratio_refused(tmp_path):
    src = customs_file(tmp_path, name="src.xlsx")
    bomb = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        zout.writestr("xl/media/padding.bin", b"\0" * (20 << 20))
    with pytest.raises(InputError, match="压缩比"):
        read_inputs([bomb], POLICY)


def test_password_protected_workbook(tmp_path):
    # an encrypted OOXML file is an OLE container with an EncryptedPackage stream
    fake = tmp_path / "加密.xlsx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le")
                     + b"\0" * 512)
    with pytest.raises(InputError) as info:
        read_inputs([fake], POLICY)
    assert "加密.xlsx" in str(info.value) and "密码" in str(info.value)


def test_excel_lock_files_are_skipped(tmp_path):
    lock = tmp_path / "~$海关.xlsx"
    lock.write_bytes(b"\0" * 165)
    bundle = read_inputs([customs_file(tmp_path), lock], POLICY)
    assert len(bundle.files) == 1


def test_xls_format_is_read(tmp_path):
    xls = pytest.importorskip("xlwt", reason="xlwt not installed: no way to write an .xls here")
    book = xls.Workbook()
    sheet = book.add_sheet("S")
    for i, row in enumerate([CUSTOMS_HEADER, customs_row()]):
        for j, v in enumerate(row):
            sheet.write(i, j, v)
    path = tmp_path / "c.xls"
    book.save(str(path))
    assert len(read_inputs([path], POLICY).customs) == 1


def test_review_is_text_except_row_number(tmp_path):
    rows = [customs_row(amount=True, code=12345), customs_row(amount=1), customs_row(amount=2)]
    bundle = read_inputs([customs_file(tmp_path, rows)], POLICY)
    assert str(bundle.review["行号"].dtype) == "Int64"
    for column in REVIEW_COLS:
        if column != "行号":
            assert all(isinstance(v, str) for v in bundle.review[column])
    assert np.all(bundle.review["行号"].to_numpy() == 4)


# --- fail closed (INPUTS.md) -----------------------------------------------------------

def test_a_sheet_mostly_unusable_stops_naming_the_commonest_problem_and_an_example(tmp_path):
    """Three rows of four with a typed word for the amount: the wrong file, or a shape not understood."""
    rows = [customs_row(amount="见附件"), customs_row(amount="见附件"), customs_row(amount=5), customs_row(amount="N/A")]
    with pytest.raises(InputError) as caught:
        read_inputs([customs_file(tmp_path, rows)], POLICY)
    message = str(caught.value)
    for text in ("海关.xlsx", "Sheet1", "4 行数据中有 3 行无法使用", "金额(元)", "数据格式错误", "第 4 行", "见附件"):
        assert text in message, (text, message)


def test_half_the_rows_unusable_is_not_most(tmp_path):
    rows = [customs_row(amount="见附件"), customs_row(amount=5)]
    bundle = read_inputs([customs_file(tmp_path, rows)], POLICY)
    assert len(bundle.customs) == 1 and balanced(bundle)


def test_thresholds_compare_the_values_as_declared(tmp_path):
    """INPUTS.md "Fail closed": 落地率 0.5000001 is above 50%, and 4,999,999.9995 千克 of coal is below
    5,000 吨 — read from files, nothing is rounded before a threshold is compared."""
    from jixi_batch.calculate import calculate
    rows = [customs_row(code=CODE_A, direction="进口", hs="2709000000", qty=1, unit="千克", amount=6_000_000),
            customs_row(code=CODE_B, direction="进口", hs="27011200", qty=4_999_999.9995, unit="千克",
                        amount=1_000_000, name="鸡西乙公司")]
    apps = write_xlsx(tmp_path / "apps.xlsx", {"企业信息": [
        FIRM_HEADER,
        firm_row(code=CODE_A, **{"能源资源进口落地率(%)": 0.5000001}),
        firm_row(code=CODE_B, name="鸡西乙公司", **{"煤炭落地数量(吨)": 4000})]})
    bundle = read_inputs([customs_file(tmp_path, rows), apps], POLICY)
    result = calculate(bundle, POLICY, "report")
    lines = result.lines.set_index(["code", "rule_id"])
    assert lines.loc[(CODE_A, "A5I"), "approved_fen"] == 12_000_000        # 2% of 6,000,000.00
    assert (CODE_B, "A5C") not in lines.index
    refused = result.review[result.review["统一社会信用代码"] == CODE_B]
    assert any("4,999.9999995 吨，未达到 5,000 吨" in m for m in refused["说明"])
