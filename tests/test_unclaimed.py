"""应享未享 (OUTPUTS.md): customs figures at a declaration rule's customs threshold, the declaration missing.

At, below and above each customs threshold; a declaration of 0 or 否 is a declaration; a firm with a line is
not listed; the sheet pays nothing and changes no payout."""
from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from factories import bundle, code, customs, firm
from jixi_batch import calculate as calculate_module
from jixi_batch.calculate import calculate
from jixi_batch.policy import default_policy_path, load_policy
from jixi_batch.unclaimed import NOT_APPLIED, console_line

POLICY = load_policy(default_policy_path(2023))
C = code(1)


def gaps(customs_rows, firm_rows=()):
    return calculate(bundle(customs_rows=customs_rows, firm_rows=list(firm_rows)), POLICY, "report").unclaimed


def bound(table, rule_id):
    rows = table[table["规则编号"] == rule_id]
    return int(rows["bound_fen"].iloc[0]) if len(rows) else None


@pytest.mark.parametrize("exports, expected", [
    (5_000_000, 10_000_000),          # at the threshold: 2% = 100,000.00
    (4_999_999.99, None),             # below
    (80_000_000, 100_000_000),        # above the cap: the cap
])
def test_a5x_exports_without_a_declaration(exports, expected):
    table = gaps([customs(C, exports, direction="E")], [firm(C)])
    assert bound(table, "A5X") == expected


def test_a5x_declared_zero_is_a_declaration_and_no_row_means_not_applied():
    assert bound(gaps([customs(C, 8_000_000)], [firm(C, local_export_fen=0, local_export_fen_given=True)]),
                 "A5X") is None
    table = gaps([customs(C, 8_000_000)])
    assert bound(table, "A5X") == 16_000_000 and table["缺少的申报项"].iloc[0] == NOT_APPLIED


def test_a5x_firm_paid_is_not_listed():
    table = gaps([customs(C, 8_000_000)], [firm(C, local_export_fen=800_000_000, local_export_fen_given=True)])
    assert "A5X" not in set(table["规则编号"])


@pytest.mark.parametrize("imports, expected", [(5_000_000, 10_000_000), (4_999_999.99, None)])
def test_a5i_energy_imports_without_a_landing_rate(imports, expected):
    table = gaps([customs(C, imports, direction="I", hs="2709000000")], [firm(C)])
    assert bound(table, "A5I") == expected
    declared = gaps([customs(C, imports, direction="I", hs="2709000000")],
                    [firm(C, landing_rate=Fraction(0), landing_rate_given=True)])
    assert bound(declared, "A5I") is None


@pytest.mark.parametrize("kg, expected", [(5_000_000, 25_000_000), (4_999_999.9995, None), (60_000_000, 100_000_000)])
def test_a5c_coal_imports_without_a_landed_quantity(kg, expected):
    table = gaps([customs(C, 1_000_000, direction="I", hs="27011200", qty=kg, unit="千克")], [firm(C)])
    assert bound(table, "A5C") == expected


@pytest.mark.parametrize("this_year, last_year, new, expected", [
    (6_000_000, 4_000_000, False, 4_000_000),      # 2 steps of 1,000,000 × 20,000
    (4_999_999.99, 0, False, None),                # below the trade threshold
    (6_000_000, 5_500_000, False, None),           # no whole step of increase
    (90_000_000, 0, False, 50_000_000),            # the cap
    (90_000_000, 0, True, 100_000_000),            # the cap of a newly introduced firm
])
def test_a5g_trade_without_a_processing_declaration(this_year, last_year, new, expected):
    rows = [customs(C, this_year)] + ([customs(C, last_year, year=2022)] if last_year else [])
    assert bound(gaps(rows, [firm(C, newly_introduced=new)]), "A5G") == expected
    declared_no = gaps(rows, [firm(C, processing_type=False, processing_type_given=True)])
    assert bound(declared_no, "A5G") is None


def test_payouts_are_the_same_with_and_without_the_sheet(monkeypatch):
    rows = [customs(code(n), 3_000_000 * n, direction="E") for n in range(1, 9)]
    firms = [firm(code(n), local_export_fen=300_000_000 * n, local_export_fen_given=n % 2 == 0) for n in range(1, 9)]
    with_sheet = calculate(bundle(customs_rows=rows, firm_rows=firms), POLICY, "report")
    assert len(with_sheet.unclaimed)
    monkeypatch.setattr(calculate_module, "unclaimed", lambda facts, lines, policy: with_sheet.unclaimed.iloc[:0])
    without = calculate(bundle(customs_rows=rows, firm_rows=firms), POLICY, "report")
    pd.testing.assert_frame_equal(with_sheet.lines, without.lines)
    pd.testing.assert_frame_equal(with_sheet.firms, without.firms)
    assert with_sheet.total_fen == without.total_fen


def test_console_line_counts_firms_and_sums_the_bounds():
    declared = {"processing_type_given": True}          # 否: only A5X is missing
    table = gaps([customs(C, 8_000_000), customs(code(2), 6_000_000)],
                 [firm(C, **declared), firm(code(2), **declared)])
    assert console_line(table).startswith("应享未享：2 户企业 2 项，按海关数据测算的金额上限合计 280,000.00 元")


def test_the_sheet_is_in_the_workbook_of_a_sample_run(tmp_path, capsys):
    """The sheet with the spec's columns, its bounds in 元 summing to the console line's total."""
    from pathlib import Path

    from jixi_batch.cli import main

    samples = Path(__file__).resolve().parents[1] / "input_samples"
    assert main(["--input", str(samples), "--output", str(tmp_path), "--no-letters"]) == 0
    out = capsys.readouterr().out
    (run,) = tmp_path.iterdir()
    sheet = pd.read_excel(run / "2023年度外贸奖励兑现表.xlsx", sheet_name="应享未享", header=3, engine="calamine",
                          dtype={"统一社会信用代码": str})
    assert list(sheet.columns) == ["统一社会信用代码", "企业名称", "规则编号", "规则名称", "海关数据依据",
                                   "缺少的申报项", "可能金额上限(元)", "联系方式"]
    assert len(sheet) == 18 and sheet["统一社会信用代码"].nunique() == 17
    total = f"{round(sheet['可能金额上限(元)'].sum(), 2):,.2f}"
    assert f"应享未享：17 户企业 18 项，按海关数据测算的金额上限合计 {total} 元" in out
