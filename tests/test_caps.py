"""Caps in order: 从高不重复, the article-5 cap, the fund (POLICY.md "Caps and principles")."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import bundle, code, customs, firm, other, province
from jixi_batch.calculate import calculate
from jixi_batch.policy import default_policy_path, load_policy

POLICY = load_policy(default_policy_path(2023))
C = code(1)


def _big_article5_firm(c, **extra):
    """A5I 1,000,000 (cap) + A5C 1,000,000 (cap) + A5X 1,000,000 (cap) before the article-5 cap."""
    rows = [customs(c, 60_000_000, direction="I", hs="27090000"),
            customs(c, 1_000_000, direction="I", hs="27011200", qty=30_000_000, unit="千克"),
            customs(c, 60_000_000, direction="E")]
    app = firm(c, landing_rate=Fraction(4, 5), coal_landed_t=Fraction(25_000), local_export_fen=6_000_000_000, **extra)
    return rows, app


def test_offset_partial_and_larger_than_the_line():
    result = calculate(bundle(
        firm_rows=[firm(C, platform_fee_fen=20_000_000)],
        province_rows=[province(C, "境外展会补贴", "A4", 100_000)],
        other_rows=[other(C, "A3S", 30_000), other(C, "A4", 50_000)]), POLICY, "report")
    lines = result.lines.set_index("rule_id")
    assert lines.loc["A3S", ["computed_fen", "offset_fen", "approved_fen"]].tolist() == [10_000_000, 3_000_000, 7_000_000]
    # A4 computes 10,000; the other award of 50,000 is higher: nothing is paid, never negative
    assert lines.loc["A4", ["computed_fen", "offset_fen", "approved_fen"]].tolist() == [1_000_000, 1_000_000, 0]
    assert "从高不重复" in lines.loc["A3S", "explanation"]


def test_article5_cap_spreads_the_reduction_with_ties_to_the_first_rule():
    rows, app = _big_article5_firm(C)
    result = calculate(bundle(customs_rows=rows, firm_rows=[app]), POLICY, "report")
    lines = result.lines.set_index("rule_id")
    assert lines.loc[["A5I", "A5C", "A5X"], "computed_fen"].tolist() == [100_000_000] * 3
    # reduction 1,000,000.00 spread in thirds: 333,333.34 (first rule takes the odd fen) + 333,333.33 × 2
    assert lines.loc[["A5I", "A5C", "A5X"], "art5_cut_fen"].tolist() == [33_333_334, 33_333_333, 33_333_333]
    assert lines["approved_fen"].sum() == 200_000_000
    assert result.firms.loc[0, "art5_cut_fen"] == 100_000_000


def test_article5_cap_applies_after_the_offset():
    rows, app = _big_article5_firm(C)
    result = calculate(bundle(customs_rows=rows, firm_rows=[app], other_rows=[other(C, "A5C", 1_000_000)]),
                       POLICY, "report")
    lines = result.lines.set_index("rule_id")
    assert lines.loc["A5C", "approved_fen"] == 0
    assert lines["art5_cut_fen"].sum() == 0          # 1,000,000 + 1,000,000 = the cap exactly
    assert lines["approved_fen"].sum() == 200_000_000


def _many_firms(n):
    rows, apps = [], []
    for i in range(n):
        c = code(i + 1)
        rows.append(customs(c, 9_000_000 + i * 1_000_003))
        apps.append(firm(c, local_export_fen=(9_000_000 + i * 1_000_003) * 100))
    return bundle(customs_rows=rows, firm_rows=apps, province_rows=[
        province(code(1), "国家级外贸促进平台", "A2N", 0)] * 19)


def test_report_mode_warns_and_pays_as_computed():
    result = calculate(_many_firms(5), POLICY, "report")
    assert result.factor is None
    assert result.total_fen == result.total_before_budget_fen > POLICY.fund_fen
    assert any("超过专项资金" in w for w in result.warnings)


def test_prorate_sums_exactly_to_the_fund():
    result = calculate(_many_firms(5), POLICY, "prorate")
    assert result.total_fen == POLICY.fund_fen
    assert result.factor == Fraction(POLICY.fund_fen, result.total_before_budget_fen)
    firms = result.firms
    before = firms["payout_fen"] + firms["budget_cut_fen"]
    exact = [Fraction(int(b)) * result.factor for b in before]
    assert all(abs(Fraction(int(p)) - e) < 1 for p, e in zip(firms["payout_fen"], exact))
    # each firm's cut is spread over its lines and the lines agree with the firm
    assert result.lines.groupby("code")["budget_cut_fen"].sum().sum() == firms["budget_cut_fen"].sum()


def test_prorate_does_nothing_under_the_fund():
    result = calculate(bundle(province_rows=[province(C, "省级海外仓", "A3W", 0)]), POLICY, "prorate")
    assert result.factor is None and result.total_fen == 20_000_000


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 80_000_000), st.integers(0, 80_000_000), st.booleans(),
                          st.integers(0, 3_000_000_000), st.integers(0, 50_000_000)), min_size=1, max_size=6),
       st.sampled_from(["report", "prorate"]))
def test_properties_no_line_above_its_cap_and_article5_within_its_cap(firms, mode):
    customs_rows, apps = [], []
    for i, (exports, last_year, new, fee, imports) in enumerate(firms):
        c = code(i + 1)
        customs_rows += [customs(c, exports), customs(c, last_year, year=2022),
                         customs(c, imports, direction="I", hs="27100000")]
        apps.append(firm(c, local_export_fen=exports * 100, processing_type=True, newly_introduced=new,
                         bank_fee_fen=fee, landing_rate=Fraction(3, 5), platform_fee_fen=fee))
    result = calculate(bundle(customs_rows=customs_rows, firm_rows=apps), POLICY, mode)
    lines = result.lines
    caps = {r: POLICY.rules[r].cap_fen for r in ("A3S", "A5I", "A5C", "A5X", "A5F")}
    caps["A5G"] = POLICY.rules.A5G.cap_new_fen
    for rule_id, cap in caps.items():
        assert (lines.loc[lines["rule_id"] == rule_id, "computed_fen"] <= cap).all()
    art5 = lines[lines["rule_id"].isin(POLICY.article5.rules)].groupby("code")["approved_fen"].sum()
    assert (art5 <= POLICY.article5.cap_fen).all()
    assert (lines["approved_fen"] >= 0).all()
    assert (lines["approved_fen"] == lines["computed_fen"] - lines["offset_fen"] - lines["art5_cut_fen"]
            - lines["budget_cut_fen"]).all()
    assert result.firms["payout_fen"].sum() == lines["approved_fen"].sum()
    if mode == "prorate" and result.total_before_budget_fen > POLICY.fund_fen:
        assert result.total_fen == POLICY.fund_fen
    assert np.all(result.firms["seq"].to_numpy() == np.arange(1, len(result.firms) + 1))
