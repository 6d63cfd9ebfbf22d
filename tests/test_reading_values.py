"""Cell value parsers: numbers, percent, booleans, dates, year-months, customs codes, accounts."""
from __future__ import annotations

import datetime as dt

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jixi_batch.reading import values as V


def fen(value, allow_negative=False):
    return V.make_scaled_parser(100, allow_negative, "金额")(value)


@pytest.mark.parametrize("raw,expected", [
    ("1,234,567.00", 123456700), (" 1234 ", 123400), ("１２３４．５", 123450), ("1，234", 123400),
    (1234, 123400), (0.1 + 0.2, 30), (1.005, 101), (2.675, 268), (0.125, 13), ("0.005", 1),
    ("—", 0), ("-", 0), ("－", 0), ("", 0), (None, 0), (float("nan"), 0), ("1e3", 100000),
])
def test_money_text_and_numbers(raw, expected):
    assert fen(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["abc", "12元3", True, dt.datetime(2023, 1, 1), "1.2.3"])
def test_money_not_a_number(raw):
    value, error = fen(raw)
    assert value == 0 and "不是数字" in error


def test_money_negative():
    assert fen(-5)[1] == "不能为负数"
    assert fen("-1,000.5", allow_negative=True) == (-100050, None)
    assert fen(-0.005, allow_negative=True) == (-1, None)     # half away from zero


def test_vectorised_money_matches_decimal_path():
    rng = np.random.default_rng(7)
    floats = np.round(rng.uniform(-1e9, 1e9, 5000), 2).tolist() + [1.005, 2.675, 0.125, -0.125, 1e14 + 0.5,
                                                                   123456789.125, 0.0, -0.0]
    col = np.array(floats + [None], dtype=object)
    fast, errors = V.scaled_integers(col, 100, True, "金额")
    slow = [fen(x, allow_negative=True)[0] for x in col]
    assert fast.tolist() == slow
    assert all(e is None for e in errors)


NUMBER_TEXTS = st.one_of(
    st.decimals(-10**12, 10**12, places=3, allow_nan=False).map(str),
    st.decimals(-10**9, 10**9, places=2, allow_nan=False).map(lambda d: f"{d:,}"),
    st.integers(-10**18, 10**18).map(str),
    st.integers(10**14, 10**17).map(str),                  # beyond 15 digits a float rounds
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", " 12 ", "+5", ".5", "5.", "1e5", "1e-400", "1e400", "nan", "inf", "—", "１２", "1_000",
                     "0x10", "1,2,3", "--1", "12345678901234567", "1.2.3", "十二万", "-0", "¥5"]),
    st.none())


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(NUMBER_TEXTS, min_size=1, max_size=40), scale=st.sampled_from([1, 100, 1000, 1_000_000,
                                                                                       10**10]),
       signed=st.booleans())
def test_text_columns_in_bulk_equal_the_decimal_parser_cell_by_cell(texts, scale, signed):
    """Property: the bulk path for text numbers (a CSV) gives each cell exactly what the Decimal
    parser gives it, errors included."""
    col = np.array(texts, dtype=object)
    values, errors = V.scaled_integers(col, scale, signed, "金额")
    parse = V.make_scaled_parser(scale, signed, "金额")
    assert list(zip(values.tolist(), errors.tolist())) == [parse(v) for v in texts]


def test_vectorised_money_wan_yuan_and_negative():
    col = np.array([1.5, 2, None, -3], dtype=object)
    values, errors = V.scaled_integers(col, 1_000_000, False, "金额")
    assert values.tolist() == [1_500_000, 2_000_000, 0, 0]
    assert errors.tolist() == [None, None, None, "不能为负数"]


def test_map_unique_keeps_booleans_apart_from_ones():
    col = np.array([1, True, "1", 1.0, None], dtype=object)
    values, errors = V.map_unique(col, lambda v: fen(v))
    assert values.tolist() == [100, 0, 100, 100, 0]
    assert errors[1] is not None and errors[0] is None


@pytest.mark.parametrize("raw,share", [
    (55, "0.55"), ("55", "0.55"), ("55%", "0.55"), ("55.5％", "0.555"), (0.55, "0.55"), ("0.55", "0.55"),
    (1, "1"), ("0.5%", "0.005"), (None, "0"), ("", "0"), (0, "0"), (100, "1"),
    # kept exactly as declared: never rounded to a number of places
    (0.5000001, "0.5000001"), ("50.00001%", "0.5000001"), (50.0000000001, "0.500000000001"),
])
def test_percent(raw, share):
    assert V.parse_percent(raw) == (Fraction(share), None)


@pytest.mark.parametrize("raw", ["abc", 150, "-5%", "55%%"])
def test_percent_errors(raw):
    assert V.parse_percent(raw)[1] is not None


@pytest.mark.parametrize("raw,expected", [
    (4_999_999.9995, "4999999.9995"), ("4,999,999.9995", "4999999.9995"), (1500, "1500"), (None, "0"),
    (-12.5, "-12.5"), ("0.1", "0.1"),
])
def test_quantity_kept_as_declared(raw, expected):
    values, errors = V.quantities(np.array([raw], dtype=object))
    assert errors[0] is None and V.exact_quantity(values[0]) == Fraction(expected)


def test_quantity_text_beyond_a_float_is_refused():
    values, errors = V.quantities(np.array(["1234567890.1234567891", "12"], dtype=object))
    assert "有效数字" in errors[0] and errors[1] is None and values[1] == 12


def test_declared_tonnes_exact():
    parse = V.make_exact_parser(Fraction(1, 1000), "数量（吨）")      # a column in 千克
    assert parse(4_999_999.9995) == (Fraction("4999.9999995"), None)
    assert parse(-1)[1] == "不能为负数" and parse("abc")[1].startswith("不是数字")


@pytest.mark.parametrize("raw,expected", [
    ("是", True), ("否", False), ("Y", True), ("n", False), (1, True), (0, False), ("√", True),
    ("TRUE", True), ("false", False), (True, True), (None, False), ("", False), (1.0, True),
])
def test_bool(raw, expected):
    assert V.parse_bool(raw) == (expected, None)


def test_bool_error():
    assert V.parse_bool("也许")[1] is not None


@pytest.mark.parametrize("raw", [
    dt.datetime(2023, 5, 10), dt.date(2023, 5, 10), "2023-05-10", "2023/5/10", "2023年5月10日", "20230510",
    20230510, 45056, 45056.0, "45056", "2023-05-10 00:00:00", "２０２３－０５－１０", "2023.5.10",
])
def test_dates(raw):
    assert V.parse_date(raw) == (dt.date(2023, 5, 10), None)


@pytest.mark.parametrize("raw", ["2023-02-30", "明天", None, 12.5, True])
def test_date_errors(raw):
    assert V.parse_date(raw)[1] is not None


@pytest.mark.parametrize("raw", [
    "202305", 202305, "2023-05", "2023-5", "2023年5月", "2023年05月", dt.datetime(2023, 5, 1),
    "2023-05-31", 45056, "2023/05", 202305.0,
])
def test_year_month(raw):
    assert V.parse_period(raw) == ((2023, 5), None)


@pytest.mark.parametrize("raw", [2023, "2023", "2023年", "2023年度", "2023年全年", 2023.0, "2023年1-12月",
                                 "2023年1月-12月", "2023年1月至12月", "2023年01～12月份", "2023.1-12", "202301-202312",
                                 "2023年1月-2023年12月", " 2023 年 1-12 月 ", "2023年1-12月累计"])
def test_a_year_alone_or_a_whole_year_range_is_the_whole_year(raw):
    """INPUTS.md "Periods": a year alone and a cumulative range over the whole year (month 0)."""
    assert V.parse_period(raw) == ((2023, 0), None)


@pytest.mark.parametrize("raw", ["2023年1-6月", "2023年7-12月", "202301-202306", "2023年2月-12月"])
def test_a_range_over_part_of_a_year_is_an_error_naming_it(raw):
    period, error = V.parse_period(raw)
    assert period is None and "不是全年数据" in error


def test_year_month_bare_month_and_errors():
    assert V.parse_period("5月") == ((None, 5), None)
    assert V.parse_period(5) == ((None, 5), None)
    assert V.parse_period("1-12月") == ((None, 0), None)
    assert V.parse_period("2023-1-12") == ((2023, 1), None)        # a day, not a range
    for raw in ["202313", "20231", "abc", None, True, "2023年13月", "2023年12-1月"]:
        assert V.parse_period(raw)[1] is not None


@pytest.mark.parametrize("raw,expected", [
    ("01012100", "01012100"), ("1012100", "01012100"), (1012100, "01012100"), (1012100.0, "01012100"),
    ("270112", None), ("2701.1210", "27011210"), ("270112100", "0270112100"), ("2701121000", "2701121000"),
    ("27O1", None), (None, None), (12.5, None),
    # INPUTS.md "Code and name pairs": a code typed through a number, or written in groups
    ("27011210.0", "27011210"), ("27011210.00", "27011210"), ("2701121.0", "02701121"), ("2701.12.10", "27011210"),
    ("8517120000.0", "8517120000"), ("27011210.5", None), ("2709.0000", "27090000"), ("0712.909990", "0712909990"),
    ("1904.100000", "1904100000"), ("2701.12.10", "27011210"), ("2709.00.00", "27090000"), ("270.1121", None),
])
def test_hs_code(raw, expected):
    value, error = V.parse_hs_code(raw)
    if expected is None:
        assert error is not None
    else:
        assert (value, error) == (expected, None)


@pytest.mark.parametrize("raw,expected", [
    ("9610 跨境电子商务", "9610"), ("0110", "0110"), (110, "0110"), ("110", "0110"), ("0110一般贸易", "0110"),
    ("９６１０", "9610"), (9610.0, "9610"),
])
def test_trade_mode(raw, expected):
    assert V.parse_trade_mode(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["一般贸易", None, "", "10", 10, "10 一般贸易"])
def test_trade_mode_errors(raw):
    """Without the policy file's name table a name cannot be a code; a 2-digit code is the customs
    statistics' own 贸易方式, never padded into a 监管方式 (0010)."""
    assert V.parse_trade_mode(raw)[1] is not None


NAMES = {V.trade_mode_key(name): code for name, code in
         [("一般贸易", "0110"), ("跨境电子商务", "9610"), ("进料对口", "0615"), ("保税电商A", "1239")]}


@pytest.mark.parametrize("raw,expected", [
    ("一般贸易", "0110"), (" 跨境 电子商务 ", "9610"), ("进料对口", "0615"), ("保税电商Ａ", "1239"),
    ("一般贸易(0110)", "0110"), ("一般贸易（0110）", "0110"), ("10 一般贸易", "0110"), ("0110 随便写", "0110"),
])
def test_trade_mode_names_map_through_the_policy_table(raw, expected):
    assert V.parse_trade_mode(raw, NAMES) == (expected, None)


@pytest.mark.parametrize("raw", ["不存在的贸易方式", "10", "39 其他贸易方式"])
def test_trade_mode_unknown_name_is_an_error(raw):
    assert V.parse_trade_mode(raw, NAMES)[1] is not None


@pytest.mark.parametrize("raw,expected", [("进口", "I"), ("出口", "E"), ("i", "I"), ("E", "E"), ("进", "I"),
                                          (" 出 ", "E")])
def test_direction(raw, expected):
    assert V.parse_direction(raw) == (expected, None)


def test_direction_error():
    assert V.parse_direction("转口")[1] is not None


def test_account():
    assert V.parse_account(" 6222 0210 ") == ("62220210", None)
    assert V.parse_account("6222-0212-3456-7890") == ("6222021234567890", None)
    assert V.parse_account(622202123456789) == ("622202123456789", None)         # 15 digits: exact
    assert V.parse_account("") == ("", None)


@pytest.mark.parametrize("raw,shown", [
    (6222020000000000000, ""),                        # a number of 19 digits: its last digits are lost
    (1234.5, ""),
    (dt.datetime(2023, 5, 1), "2023-05-01"),            # INPUTS.md "Fail closed": a date
    ("=\"6228480012345678\"", "=\"6228480012345678\""),   # a formula
    ("'6228480012345678", "'6228480012345678"),         # a leading apostrophe
    ("6228A80012345678", "6228A80012345678"),           # letters
    ("6228/8001", "6228/8001"),
    ("62284", "62284"),
])
def test_accounts_that_are_wrong_are_kept_as_written_and_named(raw, shown):
    value, problem = V.parse_account(raw)
    assert value == shown and problem


def test_integers_only():
    values, errors = V.scaled_integers(np.array([12, "3", 2.5, None], dtype=object), 1, False, "整数",
                                       integer_only=True)
    assert values.tolist()[:2] == [12, 3] and values.tolist()[3] == 0
    assert errors[2] is not None


def test_map_unique_memo_parses_each_value_once_across_calls_and_keeps_types_apart():
    calls = []

    def parse(value):
        calls.append(value)
        return repr(value), None

    memo: dict = {}
    first, _ = V.map_unique(np.array(["a", 1.0, True, "a"], dtype=object), parse, memo)
    second, _ = V.map_unique(np.array([True, 1, "a", 2.5], dtype=object), parse, memo)
    assert list(first) == ["'a'", "1", "True", "'a'"] and list(second) == ["True", "1", "'a'", "2.5"]
    assert [c for c in calls if c is not None] == ["a", 1, True, 2.5]
