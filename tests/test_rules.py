"""Each rule at, just below and just above each threshold (POLICY.md "Rules")."""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from factories import bundle, code, customs, firm, loan, other, province
from jixi_batch.calculate import calculate
from jixi_batch.policy import default_policy_path, load_policy

POLICY = load_policy(default_policy_path(2023))
C = code(1)


def run(**tables):
    return calculate(bundle(**tables), POLICY, "report")


def approved(result, rule_id, code_=C):
    rows = result.lines[(result.lines["code"] == code_) & (result.lines["rule_id"] == rule_id)]
    return int(rows["approved_fen"].sum()) if len(rows) else None


def review_categories(result, code_=C):
    return set(result.review.loc[result.review["统一社会信用代码"] == code_, "类别"])


# --- A1 -----------------------------------------------------------------------
@pytest.mark.parametrize("increase, expected", [
    (100_000_000, 5_000_000),        # at the threshold: 10% of 500,000.00 元
    (100_000_000.01, 5_000_000),     # just above
    (99_999_999.99, None),           # just below
])
def test_a1_threshold(increase, expected):
    result = run(customs_rows=[customs(C, 20_000_000 + increase), customs(C, 20_000_000, year=2022)],
                 province_rows=[province(C, "外贸主体新增进出口奖励", "A1", 500_000)])
    assert approved(result, "A1") == expected
    assert ("省级奖励条件不符" in review_categories(result)) == (expected is None)


def test_a1_no_previous_year_rows_counts_as_zero():
    result = run(customs_rows=[customs(C, 100_000_000)],
                 province_rows=[province(C, "外贸主体新增进出口奖励", "A1", 123_456.78)])
    assert approved(result, "A1") == 1_234_568  # 12,345.678 -> 12,345.68 half up


def test_a1_customs_corrections_are_summed():
    result = run(customs_rows=[customs(C, 100_500_000), customs(C, -600_000)],
                 province_rows=[province(C, "外贸主体新增进出口奖励", "A1", 100_000)])
    assert approved(result, "A1") is None


# --- article 2 and the per-item awards -----------------------------------------
def test_a2_one_line_per_platform_row():
    result = run(province_rows=[province(C, "国家级外贸促进平台", "A2N", 0),
                                province(C, "省级外贸促进平台", "A2P", 300_000),
                                province(C, "省级外贸促进平台", "A2P", 300_000)])
    assert approved(result, "A2N") == 100_000_000
    assert approved(result, "A2P") == 100_000_000  # 2 × 500,000.00


def test_a3w_earlier_award_deducted_once_ever():
    result = run(province_rows=[province(C, "省级海外仓", "A3W", 0)],
                 other_rows=[other(C, "A3W", 200_000, "2022年度市级海外仓奖励")])
    line = result.lines.iloc[0]
    assert (line["computed_fen"], line["offset_fen"], line["approved_fen"]) == (20_000_000, 20_000_000, 0)


# --- A3E ----------------------------------------------------------------------
@pytest.mark.parametrize("cbec, expected", [(10_000_000, 3_000_000), (10_000_000.01, 3_000_000),
                                            (9_999_999.99, None)])
def test_a3e_threshold(cbec, expected):
    result = run(customs_rows=[customs(C, cbec, trade_mode="9610"), customs(C, 50_000_000, trade_mode="0110")],
                 province_rows=[province(C, "跨境电商奖励", "A3E", 300_000)])
    assert approved(result, "A3E") == expected


# --- A3S ----------------------------------------------------------------------
@pytest.mark.parametrize("fees_fen, expected", [
    (123_457, 61_729),               # 1,234.57 × 50% = 617.285 -> 617.29 (half up)
    (100_000_000, 50_000_000),       # 1,000,000 × 50% = 500,000, at the cap
    (100_000_002, 50_000_000),       # just above the cap
    (99_999_998, 49_999_999),        # just below
])
def test_a3s_rate_rounding_and_cap(fees_fen, expected):
    result = run(firm_rows=[firm(C, platform_fee_fen=fees_fen - 1, promo_fee_fen=1)])
    assert approved(result, "A3S") == expected


# --- A3C ----------------------------------------------------------------------
@pytest.mark.parametrize("served, total, paid", [
    (10, 50_000_000, True), (11, 50_000_000.01, True), (9, 60_000_000, False), (10, 49_999_999.99, False)])
def test_a3c_thresholds(served, total, paid):
    result = run(customs_rows=[customs(C, total)], firm_rows=[firm(C, served_firms=served)])
    assert approved(result, "A3C") == (10_000_000 if paid else None)
    assert ("申报条件不符" in review_categories(result)) == (not paid)


# --- A4 -----------------------------------------------------------------------
def test_a4_sums_the_three_items():
    result = run(province_rows=[province(C, "境外展会补贴", "A4", 100_000.05),
                                province(C, "线上展会补贴", "A4", 20_000),
                                province(C, "委托参展补贴", "A4", 3_000)])
    assert approved(result, "A4") == 1_230_001  # 123,000.05 × 10% = 12,300.005 -> 12,300.01


# --- A5I ----------------------------------------------------------------------
@pytest.mark.parametrize("imports, rate_ppm, expected", [
    (5_000_000, 500_001, 10_000_000),    # at the import threshold, rate just above 50%
    (5_000_000, 500_000, None),          # rate exactly 50%: 超50% is strict
    (4_999_999.99, 900_000, None),       # just below the import threshold
    (50_000_000, 550_000, 100_000_000),  # 2% = 1,000,000, at the cap
    (50_000_000.5, 550_000, 100_000_000),  # above the cap
])
def test_a5i(imports, rate_ppm, expected):
    result = run(customs_rows=[customs(C, imports, direction="I", hs="2709000000")],
                 firm_rows=[firm(C, landing_rate=Fraction(rate_ppm, 1_000_000))])
    assert approved(result, "A5I") == expected


def test_a5i_ignores_coal_and_exports():
    result = run(customs_rows=[customs(C, 6_000_000, direction="I", hs="27011200"),
                               customs(C, 6_000_000, direction="E", hs="27090000")],
                 firm_rows=[firm(C, landing_rate=Fraction(3, 5))])
    assert approved(result, "A5I") is None


# --- A5C ----------------------------------------------------------------------
@pytest.mark.parametrize("imported_kg, landed_g, expected", [
    (5_000_000, 5_000_000_000, 25_000_000),     # 5,000 t imported and landed × 50 = 250,000.00
    (4_999_999, 4_999_999_000, None),           # 4,999.999 t: below
    (6_000_000, 5_432_123_456, 27_160_617),     # 5,432.123456 t × 50 = 271,606.1728 -> 271,606.17
    (6_000_000, 7_000_000_000, 30_000_000),     # landed claim above imports -> imports
    (30_000_000, 20_000_000_000, 100_000_000),  # 20,000 t × 50 = 1,000,000 at the cap
    (30_000_000, 20_001_000_000, 100_000_000),  # above the cap
])
def test_a5c(imported_kg, landed_g, expected):
    result = run(customs_rows=[customs(C, 1_000_000, direction="I", hs="27011200", qty=imported_kg, unit="千克")],
                 firm_rows=[firm(C, coal_landed_t=Fraction(landed_g, 1_000_000))])
    assert approved(result, "A5C") == expected


def test_a5c_tonnes_unit():
    result = run(customs_rows=[customs(C, 1_000_000, direction="I", hs="2701120000", qty=5_000, unit="吨")],
                 firm_rows=[firm(C, coal_landed_t=Fraction(5_000))])
    assert approved(result, "A5C") == 25_000_000


# --- thresholds on exact values (INPUTS.md "Fail closed") ----------------------------
def test_a5i_rate_a_hair_above_the_threshold_is_above():
    # 0.5000001 (50.00001%) is above 50%; held in ppm it would round to 500000 and be refused
    result = run(customs_rows=[customs(C, 6_000_000, direction="I", hs="2709000000")],
                 firm_rows=[firm(C, landing_rate=Fraction("0.5000001"))])
    assert approved(result, "A5I") == 12_000_000
    explanation = result.lines.loc[result.lines["rule_id"] == "A5I", "explanation"].iloc[0]
    assert "商品落地率 50.00001%，超过 50%" in explanation


def test_a5c_imports_a_hair_below_the_threshold_are_below():
    # 4,999,999.9995 千克 = 4,999.9999995 吨 < 5,000 吨; held in grams it would round up to 5,000 吨
    result = run(customs_rows=[customs(C, 1_000_000, direction="I", hs="27011200", qty=4_999_999.9995, unit="千克")],
                 firm_rows=[firm(C, coal_landed_t=Fraction(4_000))])
    assert approved(result, "A5C") is None
    message = " ".join(result.review["说明"])
    assert "海关当年煤炭进口量 4,999.9999995 吨，未达到 5,000 吨" in message


def test_a5c_amount_from_exact_tonnes_rounded_once():
    # 5,000.0001 t × 50 元/吨 = 250,000.005 元 → 250,000.01: half up, once, from the exact tonnes
    result = run(customs_rows=[customs(C, 1_000_000, direction="I", hs="27011200", qty=6_000, unit="吨")],
                 firm_rows=[firm(C, coal_landed_t=Fraction("5000.0001"))])
    assert approved(result, "A5C") == 25_000_001
    result = run(customs_rows=[customs(C, 1_000_000, direction="I", hs="27011200", qty=6_000, unit="吨")],
                 firm_rows=[firm(C, coal_landed_t=Fraction("5000.00009"))])
    assert approved(result, "A5C") == 25_000_000     # 250,000.0045 元 → 250,000.00


# --- A5X ----------------------------------------------------------------------
@pytest.mark.parametrize("claim_fen, exports, expected", [
    (500_000_000, 9_000_000, 10_000_000),       # 5,000,000 at the threshold × 2% = 100,000
    (499_999_999, 9_000_000, None),             # just below
    (823_400_000, 9_000_000, 16_468_000),       # 8,234,000 × 2% = 164,680.00
    (900_000_000, 6_000_000, 12_000_000),       # claim above customs exports -> 6,000,000 × 2%
    (5_000_000_000, 60_000_000, 100_000_000),   # 50,000,000 × 2% = 1,000,000 at the cap
    (5_000_000_100, 60_000_000, 100_000_000),   # above the cap
])
def test_a5x(claim_fen, exports, expected):
    result = run(customs_rows=[customs(C, exports, direction="E")],
                 firm_rows=[firm(C, local_export_fen=claim_fen)])
    assert approved(result, "A5X") == expected


def test_a5x_claim_above_customs_is_flagged():
    result = run(customs_rows=[customs(C, 6_000_000)], firm_rows=[firm(C, local_export_fen=900_000_000)])
    assert "申报数超海关数" in review_categories(result)


# --- A5F ----------------------------------------------------------------------
def _a5f(loans, fee_fen=0, claim_fen=600_000_000):
    return run(customs_rows=[customs(C, 10_000_000)],
               firm_rows=[firm(C, local_export_fen=claim_fen, bank_fee_fen=fee_fen)], loan_rows=loans)


def test_a5f_lpr_on_publication_day_takes_the_new_rate():
    # 2023-06-20 published 3.55%; the day before still 3.65%
    on_day = _a5f([loan(C, "2023-06-20", 1_000_000, 360, 99_999)])
    day_before = _a5f([loan(C, "2023-06-19", 1_000_000, 360, 99_999)])
    assert approved(on_day, "A5F") == 1_775_000       # 35,500 × 50% = 17,750.00
    assert approved(day_before, "A5F") == 1_825_000   # 36,500 × 50% = 18,250.00


def test_a5f_paid_interest_below_the_lpr_bound_is_used():
    result = _a5f([loan(C, "2023-09-01", 1_000_000, 180, 10_000.01)], fee_fen=1_000)
    # min(10,000.01, 1,000,000 × 3.45% × 180/360 = 17,250) + 10.00 = 10,010.01 × 50% = 5,005.005 -> 5,005.01
    assert approved(result, "A5F") == 500_501


def test_a5f_rounds_once_on_the_sum():
    # three loans of 100 × 3.45% × 1/360 = 0.9583.. fen each; sum 2.875 fen × 50% = 1.4375 -> 1 fen
    # (rounding each loan first would give 3 fen × 50% = 1.5 -> 2 fen)
    result = _a5f([loan(C, "2023-09-01", 100, 1, 5)] * 3)
    assert approved(result, "A5F") == 1


def test_a5f_cap_and_requires_a5x():
    big = _a5f([], fee_fen=100_000_002)
    assert approved(big, "A5F") == 50_000_000
    not_qualified = _a5f([], fee_fen=100_000, claim_fen=499_999_999)
    assert approved(not_qualified, "A5F") is None
    assert "申报条件不符" in review_categories(not_qualified)


def test_a5f_follows_the_dependency_the_policy_file_declares():
    """requires: A5X in the shipped file; the same firms under a file that says requires: A5G."""
    rules = replace(POLICY.rules, A5F=replace(POLICY.rules.A5F, requires="A5G"))
    requires_a5g = replace(POLICY, rules=rules)
    exporter = dict(customs_rows=[customs(C, 10_000_000)],
                    firm_rows=[firm(C, local_export_fen=600_000_000, bank_fee_fen=100_000)])
    assert approved(run(**exporter), "A5F") == 50_000
    under_a5g = calculate(bundle(**exporter), requires_a5g, "report")
    assert approved(under_a5g, "A5X") is not None and approved(under_a5g, "A5F") is None
    assert "与生产加工型企业增量奖励“同时给予”，该企业未达到生产加工型企业增量奖励条件" in " ".join(under_a5g.review["说明"])
    grower = dict(customs_rows=[customs(C, 10_000_000)],
                  firm_rows=[firm(C, processing_type=True, bank_fee_fen=100_000)])
    assert approved(run(**grower), "A5F") is None
    assert approved(calculate(bundle(**grower), requires_a5g, "report"), "A5F") == 50_000


def test_a5f_loan_before_the_lpr_table_is_listed():
    result = _a5f([loan(C, "2019-08-19", 1_000_000, 360, 40_000)], fee_fen=100)
    assert approved(result, "A5F") == 50        # only the fee
    assert "贷款日期早于LPR表" in review_categories(result)


# --- A5G ----------------------------------------------------------------------
@pytest.mark.parametrize("this_year, last_year, new, expected", [
    (5_000_000, 4_000_000, False, 2_000_000),         # at 5,000,000; increase 1,000,000 -> 1 step
    (4_999_999.99, 3_000_000, False, None),            # below the trade threshold
    (5_999_999.99, 5_000_000, False, None),            # increase 999,999.99 -> 0 steps
    (7_999_999.99, 5_000_000, False, 4_000_000),       # 2.99.. steps -> 2 -> 40,000
    (5_000_000, 6_000_000, False, None),               # decrease
    (40_000_000, 10_000_000, False, 50_000_000),       # 30 steps = 600,000 -> cap 500,000
    (40_000_000, 10_000_000, True, 60_000_000),        # new firm: cap 1,000,000
    (80_000_000, 10_000_000, True, 100_000_000),       # new firm above its cap
])
def test_a5g(this_year, last_year, new, expected):
    result = run(customs_rows=[customs(C, this_year), customs(C, last_year, year=2022)],
                 firm_rows=[firm(C, processing_type=True, newly_introduced=new)])
    assert approved(result, "A5G") == expected


def test_held_firm_gets_no_application_rules_but_keeps_provincial_ones():
    result = run(customs_rows=[customs(C, 9_000_000)],
                 province_rows=[province(C, "省级海外仓", "A3W", 0)],
                 firm_rows=[firm(C, local_export_fen=800_000_000)], held=[C])
    assert approved(result, "A5X") is None
    assert approved(result, "A3W") == 20_000_000


def test_missing_bank_is_listed_but_still_computed():
    result = run(province_rows=[province(C, "省级海外仓", "A3W", 0)])
    assert approved(result, "A3W") == 20_000_000
    assert "缺少开户信息" in review_categories(result)
    assert result.firms.loc[0, "status"] == "暂缓拨付"
