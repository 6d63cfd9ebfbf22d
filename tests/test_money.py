"""Exact money helpers: half-up rounding, rates, largest remainder, the LPR table."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixi_batch.lpr import LprTable
from jixi_batch.money import (apply_rate, format_percent, format_yuan, percent_of, round_half_up_div,
                              spread_largest_remainder, yuan_texts)
from jixi_batch.policy import percent, yuan_to_fen


@pytest.mark.parametrize("fen, rate, expected", [
    (123_457, "50", 61_729),    # 617.285 -> 617.29
    (123_456, "50", 61_728),
    (30_864_250, "2", 617_285),
    (25, "10", 3),              # 2.5 fen -> 3
    (24, "10", 2),
    (-25, "10", -3),            # half away from zero for corrections
])
def test_apply_rate_half_up(fen, rate, expected):
    assert apply_rate(np.array([fen]), percent(rate))[0] == expected


def test_round_half_up_div():
    assert round_half_up_div(np.array([5, 15, 14, 16]), 10).tolist() == [1, 2, 1, 2]


def test_policy_amounts_become_exact_fen():
    assert yuan_to_fen(100000000) == 10_000_000_000
    assert yuan_to_fen("0.01") == 1
    with pytest.raises(ValueError):
        yuan_to_fen("0.001")
    assert percent("2.5") == Fraction(1, 40)


def test_formatting():
    assert format_yuan(823_400_000) == "8,234,000.00"
    assert format_yuan(5) == "0.05"
    assert format_yuan(-123) == "-1.23"
    assert format_percent(Fraction(1, 40)) == "2.5%"
    assert percent_of(1, 3) == "33.33%"


def test_largest_remainder_ties_go_to_the_smaller_tiebreak():
    shares = spread_largest_remainder(np.array([1, 1, 1]), np.zeros(3, dtype=np.int64), np.array([100]),
                                      np.array([0, 1, 2]))
    assert shares.tolist() == [34, 33, 33]
    shares = spread_largest_remainder(np.array([1, 1, 1]), np.zeros(3, dtype=np.int64), np.array([100]),
                                      np.array([2, 1, 0]))
    assert shares.tolist() == [33, 33, 34]


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10**10)), min_size=1, max_size=30),
       st.lists(st.integers(0, 10**9), min_size=4, max_size=4))
def test_largest_remainder_sums_exactly_and_stays_within_a_fen(members, amounts):
    groups = np.array([g for g, _ in members], dtype=np.int64)
    weights = np.array([w for _, w in members], dtype=np.int64)
    shares = spread_largest_remainder(weights, groups, np.array(amounts), np.arange(len(members)))
    for g in range(4):
        in_group = groups == g
        total = weights[in_group].sum()
        if total == 0:
            assert shares[in_group].sum() == 0
            continue
        assert shares[in_group].sum() == amounts[g]
        for w, s in zip(weights[in_group], shares[in_group]):
            assert abs(Fraction(int(s)) - Fraction(int(w) * amounts[g], int(total))) < 1


def test_lpr_last_published_on_or_before():
    table = LprTable()
    dates = pd.Series(pd.to_datetime(["2023-06-19", "2023-06-20", "2023-08-21", "2025-12-31", "2019-08-19"]))
    rates, found = table.lookup(dates)
    assert rates[:4].tolist() == [3650, 3550, 3450, 3000]
    assert found.tolist() == [True, True, True, True, False]


def test_largest_remainder_without_int64_overflow():
    # 9,223,372,037 × 1,000,000,000 is above the int64 range
    shares = spread_largest_remainder(np.array([9_223_372_037, 1]), np.zeros(2, dtype=np.int64),
                                      np.array([1_000_000_000]), np.arange(2))
    assert shares.tolist() == [1_000_000_000, 0]


@given(st.lists(st.integers(min_value=-(10**15), max_value=10**15), max_size=50))
def test_yuan_texts_is_format_yuan_over_a_column(values):
    assert yuan_texts(np.array(values, dtype=np.int64), " 元") == [format_yuan(v) + " 元" for v in values]
