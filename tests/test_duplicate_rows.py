"""Duplicates are not paid twice (INPUTS.md "Fail closed"): a row equal in every cell to an earlier
row of the same role — same sheet, another sheet, another file — is counted once; each copy is
listed as 重复行 and counted on the console."""
from __future__ import annotations

from test_reading_support import (CODE_A, CODE_B, CUSTOMS_HEADER, FIRM_HEADER, POLICY, PROVINCE_HEADER,
                                  customs_file, customs_row, write_xlsx)

from jixi_batch.reading import read_inputs


def _balanced(bundle) -> bool:
    return all(a.balanced for a in bundle.accounts)


def _copies(bundle):
    return bundle.review[bundle.review["类别"] == "重复行"]


def test_province_rows_pasted_twice_are_paid_once(tmp_path):
    rows = [[CODE_A, "甲", "境外展会补贴", 1000, "文1"], [CODE_B, "乙", "境外展会补贴", 2000, "文1"]]
    path = write_xlsx(tmp_path / "省级.xlsx", {"名单": [PROVINCE_HEADER] + rows + rows})
    bundle = read_inputs([customs_file(tmp_path), path], POLICY)
    assert bundle.province["amount_fen"].tolist() == [100_000, 200_000]
    copies = _copies(bundle)
    assert copies["行号"].tolist() == [4, 5] and copies["值"].tolist() == [CODE_A, CODE_B]
    assert copies["说明"].iloc[0].startswith("该行与本表第2行各列内容相同（序号列除外），视为重复行，只计算一次")
    assert "省级.xlsx：2 行与前面的行完全相同（重复行），只计算一次，已列入待核查" in bundle.console
    account = next(a for a in bundle.accounts if a.file == "省级.xlsx")
    assert (account.rows_read, account.rows_used, account.rows_review) == (4, 2, 2) and _balanced(bundle)


def test_a_customs_sheet_copied_in_its_workbook_counts_once(tmp_path):
    rows = [customs_row(amount=1000), customs_row(ym="202311", amount=500)]
    sheet = [CUSTOMS_HEADER] + rows
    path = write_xlsx(tmp_path / "海关.xlsx", {"出口": sheet, "出口 (2)": sheet})
    bundle = read_inputs([path], POLICY)
    assert bundle.customs["amount_fen"].sum() == 150_000
    copies = _copies(bundle)
    assert copies["工作表"].tolist() == ["出口 (2)", "出口 (2)"]
    assert copies["说明"].iloc[0].startswith("该行与文件“海关.xlsx”工作表“出口”第2行各列内容相同")
    assert _balanced(bundle)


def test_rows_repeated_in_another_file_count_once(tmp_path):
    first = customs_file(tmp_path, [customs_row(amount=1000), customs_row(ym="202306", amount=700)], name="a.xlsx")
    second = customs_file(tmp_path, [customs_row(ym="202306", amount=700), customs_row(ym="202307", amount=1)],
                          name="b.xlsx")
    bundle = read_inputs([first, second], POLICY)
    assert sorted(bundle.customs["amount_fen"].tolist()) == [100, 70_000, 100_000]
    assert _copies(bundle)[["文件", "行号"]].values.tolist() == [["b.xlsx", 4]]
    assert "b.xlsx：1 行与前面的行完全相同（重复行），只计算一次，已列入待核查" in bundle.console
    assert not any(line.startswith("a.xlsx：1 行") for line in bundle.console)


def test_equal_means_equal_in_every_cell_but_the_running_number(tmp_path):
    """A row renumbered when pasted is still a copy; one cell apart (an amount, a commodity name,
    a column the program does not read) is another row; 1000 and "1,000" are the same figure."""
    base = customs_row(amount=1000, seq=1)
    renumbered = customs_row(amount=1000, seq=2)
    as_text = customs_row(amount="1,000", seq=3)
    other_amount = customs_row(amount=1001, seq=4)
    other_name = customs_row(amount=1000, seq=5)
    other_name[7] = "另一种商品"
    bundle = read_inputs([customs_file(tmp_path, [base, renumbered, as_text, other_amount, other_name])], POLICY)
    assert sorted(bundle.customs["amount_fen"].tolist()) == [100_000, 100_000, 100_100]
    assert _copies(bundle)["行号"].tolist() == [5, 6]


def test_a_row_of_import_and_export_columns_pasted_twice(tmp_path):
    header = ["年月", "统一社会信用代码", "企业名称", "贸易方式", "商品编码", "进口额(元)", "出口额(元)"]
    row = [202312, CODE_A, "甲", "0110", "27011200", 100, 200]
    path = write_xlsx(tmp_path / "海关.xlsx", {"S": [header, row, row]})
    bundle = read_inputs([path], POLICY)
    assert sorted(bundle.customs["amount_fen"].tolist()) == [10_000, 20_000]
    assert _copies(bundle)["行号"].tolist() == [3]
    account = bundle.accounts[0]
    assert (account.rows_read, account.rows_used, account.rows_review) == (2, 1, 1) and _balanced(bundle)


def test_a_firm_row_copied_is_one_application_not_a_conflict(tmp_path):
    firm = [CODE_A, "甲", "鸡冠区", "地址", "张三", "13900000000", "工行", "6222021234567890123", "否", "否",
            None, None, 100000, None, None, None, None]
    path = write_xlsx(tmp_path / "企业申报汇总.xlsx", {"企业信息": [FIRM_HEADER, firm, firm]})
    bundle = read_inputs([customs_file(tmp_path), path], POLICY)
    assert bundle.firms["code"].tolist() == [CODE_A] and not bundle.held_codes
    assert _copies(bundle)["行号"].tolist() == [3]
    assert "重复申报" not in set(bundle.review["类别"])
