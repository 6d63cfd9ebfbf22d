"""Layout: units, currencies, two-row headers, import/export pairs, merged cells, periods and
directions written outside the table (reading/layout.py, reading/units.py, reading/tidy.py)."""
from __future__ import annotations

import openpyxl
import pytest

from jixi_batch.reading import InputError, read_inputs
from jixi_batch.reading import units as U
from jixi_batch.reading.layout import direction_in, period_in, split_unit
from jixi_batch.tables import TABLES
from jixi_batch.reading.layout import LOOKUPS, normalise_header
from test_reading_support import CODE_A, CODE_B, CUSTOMS_HEADER, POLICY, customs_row, write_xlsx

QUANTITY_UNITS = {"吨": 1, "千克": 0.001}


@pytest.mark.parametrize("text,scale,currency", [
    ("元", 1, "人民币"), ("千元", 1000, "人民币"), ("万元", 10_000, "人民币"), ("百万元", 1_000_000, "人民币"),
    ("亿元", 100_000_000, "人民币"), ("人民币万元", 10_000, "人民币"), ("万元人民币", 10_000, "人民币"),
    ("人民币", None, "人民币"), ("RMB", None, "人民币"), ("美元", 1, "美元"), ("万美元", 10_000, "美元"),
    ("千美元", 1000, "美元"), ("USD", 1, "美元"), ("欧元", 1, "欧元"), ("", None, None),
])
def test_money_units(text, scale, currency):
    unit = U.money_unit(text)
    assert (unit.scale, unit.currency) == (scale, currency)


@pytest.mark.parametrize("text", ["千万元", "万", "元/吨", "吨", "%", "十万元", "万亿元"])
def test_an_unknown_money_unit_is_never_guessed(text):
    with pytest.raises(U.UnknownUnit):
        U.money_unit(text)


@pytest.mark.parametrize("cell,scale", [
    ("单位：万元", 10_000), ("金额单位:元", 1), ("（单位：亿元）", 100_000_000), ("单位： 千元", 1000),
    ("2023年鸡西市外贸企业进出口统计表(单位:万元)", 10_000), ("2023年进出口数据（万元）", 10_000),
    ("单位：万元、吨", 10_000),
])
def test_unit_statements(cell, scale):
    found = [s for s in U.statements(cell, QUANTITY_UNITS) if s.unit is not None]
    assert [s.unit.scale for s in found] == [scale]


@pytest.mark.parametrize("cell", ["填报单位：鸡西市商务局", "制表单位：市商务局（盖章）", "计量单位", "申报单位：某某公司",
                                  "2023年1-12月鸡西市企业进出口数据", "数据来源：密山海关"])
def test_lines_that_are_not_unit_statements(cell):
    assert U.statements(cell, QUANTITY_UNITS) == []


def test_a_statement_of_an_unknown_money_unit_stops():
    with pytest.raises(U.UnknownUnit):
        U.statements("金额单位：千万元", QUANTITY_UNITS)


@pytest.mark.parametrize("name,parts", [
    ("金额(万元)", ("金额", "万元")), ("金额万元", ("金额", "万元")), ("金额/万元", ("金额", "万元")),
    ("出口额(万美元)", ("出口额", "万美元")), ("美元", ("美元", "")), ("进/出口", ("进/出口", "")),
    ("人民币万元", ("人民币", "万元")), ("能源资源进口落地率(%)", ("能源资源进口落地率", "%")),
])
def test_split_unit(name, parts):
    assert split_unit(name) == parts


@pytest.mark.parametrize("text,direction", [
    ("2023年鸡西市企业进口数据", "I"), ("…企业出口数据", "E"), ("export-2023-jixi", "E"), ("hg_2022_export", "E"),
    ("IMPORT 2023", "I"), ("2023年进出口数据", None), ("进口与出口", None), ("海关数据", None),
])
def test_direction_in_a_title_or_name(text, direction):
    assert direction_in(text) == direction


@pytest.mark.parametrize("text,period", [
    ("2023年1-12月鸡西市企业进出口数据", (2023, 0)), ("2023年鸡西市企业进出口数据", (2023, 0)),
    ("2023年5月进口数据", (2023, 5)), ("export-2023-jixi", (2023, 0)), ("2023年1-6月进口数据", None),
    ("2022-2023年数据", None), ("海关数据", None),
])
def test_period_in_a_title_or_name(text, period):
    assert period_in(text) == period


def test_no_alias_names_two_columns_of_one_table():
    """An alias decides a column: within a table, one text may name only one column."""
    for table in TABLES:
        seen: dict[str, str] = {}
        for column in table.columns:
            texts = (column.header, *column.aliases, *column.name_aliases,
                     *(t for _, ts in column.by_direction for t in ts))
            for text in texts:
                key = normalise_header(text)
                assert seen.setdefault(key, column.field) == column.field, (table.__name__, text)
        assert LOOKUPS[table]


def _customs(tmp_path, header, rows, title=(), name="海关.xlsx", merges=()):
    path = tmp_path / name
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in [*title, header, *rows]:
        ws.append(line)
    for ref in merges:
        ws.merge_cells(ref)
    wb.save(path)
    return path


def test_two_unit_statements_that_disagree_stop(tmp_path):
    path = _customs(tmp_path, CUSTOMS_HEADER[:-1] + ["金额"], [customs_row()],
                    title=[["单位：万元"], ["金额单位：元"]])
    with pytest.raises(InputError, match="不同的金额单位"):
        read_inputs([path], POLICY)


def test_a_column_named_in_its_header_keeps_its_unit_over_the_line_above(tmp_path):
    path = _customs(tmp_path, CUSTOMS_HEADER, [customs_row(amount=1000)], title=[["单位：万元"]])
    assert read_inputs([path], POLICY).customs["amount_fen"].tolist() == [100_000]


def test_two_different_amount_columns_stop_naming_both(tmp_path):
    path = _customs(tmp_path, CUSTOMS_HEADER + ["进出口额"], [customs_row() + [5]])
    with pytest.raises(InputError, match="多列都可作为.*金额\\(元\\).*进出口额"):
        read_inputs([path], POLICY)


def test_a_header_with_unit_and_the_same_without_is_one_column_written_twice(tmp_path):
    path = _customs(tmp_path, CUSTOMS_HEADER + ["金额"], [customs_row() + [777]])
    bundle = read_inputs([path], POLICY)
    assert bundle.customs["amount_fen"].tolist() == [100_000]
    assert any("重复的列" in w for w in bundle.warnings)


def test_a_figure_merged_over_rows_is_listed_not_copied(tmp_path):
    """An amount written once over two rows belongs to neither row alone: both are listed for review."""
    rows = [customs_row(amount=1000), customs_row(amount=None), customs_row(amount=500), customs_row(amount=700)]
    path = _customs(tmp_path, CUSTOMS_HEADER, rows, merges=["K2:K3"])
    bundle = read_inputs([path], POLICY)
    assert bundle.customs["amount_fen"].tolist() == [50_000, 70_000]
    merged = bundle.review[bundle.review["类别"] == "合并单元格"]
    assert merged["行号"].tolist() == [2, 3] and all("跨第2至3行合并" in m for m in merged["说明"])
    assert all(a.balanced for a in bundle.accounts)


def test_a_firm_merged_down_applies_to_every_row(tmp_path):
    rows = [customs_row(amount=1000), customs_row(code=None, name=None, amount=2000)]
    path = _customs(tmp_path, CUSTOMS_HEADER, rows, merges=["C2:C3", "D2:D3"])
    bundle = read_inputs([path], POLICY)
    assert bundle.customs["code"].tolist() == [CODE_A, CODE_A]
    assert bundle.customs["amount_fen"].sum() == 300_000


def test_one_quantity_column_beside_import_and_export_amounts(tmp_path):
    """A quantity goes to the one direction with an amount; with both, the row cannot be split."""
    header = ["年月", "统一社会信用代码", "企业名称", "贸易方式", "商品编码", "数量", "计量单位", "进口额(元)", "出口额(元)"]
    rows = [[202305, CODE_A, "甲", "0110", "27011200", 6000, "吨", 100, None],
            [202305, CODE_B, "乙", "0110", "27011200", 10, "吨", 100, 200],
            [202306, CODE_B, "乙", "0110", "27011200", 0, "吨", 300, 400]]
    bundle = read_inputs([_customs(tmp_path, header, rows)], POLICY)
    got = sorted(zip(bundle.customs["code"], bundle.customs["direction"], bundle.customs["amount_fen"],
                     bundle.customs["quantity"]))
    assert got == sorted([(CODE_A, "I", 10_000, 6_000), (CODE_B, "I", 30_000, 0), (CODE_B, "E", 40_000, 0)])
    assert bundle.review.loc[bundle.review["类别"] == "数量无法区分进出口", "行号"].tolist() == [3]
    assert all(a.balanced for a in bundle.accounts)


def test_part_of_a_year_is_listed_for_review(tmp_path):
    rows = [customs_row(ym="2023年1-6月"), customs_row(ym="2023年1-12月", amount=200)]
    bundle = read_inputs([_customs(tmp_path, CUSTOMS_HEADER, rows)], POLICY)
    assert bundle.customs["amount_fen"].tolist() == [20_000]
    assert (bundle.customs["month"] == 0).all()
    assert bundle.review["类别"].tolist() == ["非全年累计"]


def test_a_quantity_unit_in_the_header_fills_empty_unit_cells(tmp_path):
    header = CUSTOMS_HEADER[:8] + ["数量(吨)", "计量单位", "金额(元)"]
    rows = [customs_row(qty=10, unit=None), customs_row(qty=20, unit="千克")]
    bundle = read_inputs([_customs(tmp_path, header, rows)], POLICY)
    assert bundle.customs["unit"].tolist() == ["吨", "千克"]


def test_a_direction_from_the_title_and_one_from_the_sheet_name_must_agree(tmp_path):
    header = [h for h in CUSTOMS_HEADER if h != "进出口"]
    row = [v for i, v in enumerate(customs_row()) if i != 4]
    path = write_xlsx(tmp_path / "海关.xlsx", {"进口": [["2023年出口数据"], header, row]})
    bundle = read_inputs([path], POLICY)         # the title is read first and decides
    assert bundle.customs["direction"].tolist() == ["E"]
    path = write_xlsx(tmp_path / "海关.xlsx", {"明细": [["2023年进口、出口数据"], header, row]})
    with pytest.raises(InputError, match="同时写有进口和出口"):
        read_inputs([path], POLICY)


def test_no_direction_anywhere_names_the_missing_column(tmp_path):
    header = [h for h in CUSTOMS_HEADER if h != "进出口"]
    row = [v for i, v in enumerate(customs_row()) if i != 4]
    path = write_xlsx(tmp_path / "海关数据.xlsx", {"明细": [header, row]})
    with pytest.raises(InputError, match="缺少必需的列：进出口"):
        read_inputs([path], POLICY)


def test_an_unknown_tonnes_unit_in_the_applications_stops(tmp_path):
    from test_reading_support import FIRM_HEADER
    header = [h if h != "煤炭落地数量(吨)" else "煤炭落地数量(万吨)" for h in FIRM_HEADER]
    path = write_xlsx(tmp_path / "申报.xlsx", {"企业信息": [header, [CODE_A, "甲"] + [None] * 15]})
    with pytest.raises(InputError, match="万吨"):
        read_inputs([_customs(tmp_path, CUSTOMS_HEADER, [customs_row()]), path], POLICY)
