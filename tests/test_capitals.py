"""Capital numerals (大写) by the People's Bank of China rules."""
from decimal import Decimal

import pytest

from jixi_batch.capitals import format_yuan, to_capital_from_decimal, to_capital_yuan

CASES = [
    (100000000, "壹佰万元整"),                       # 1,000,000.00
    (140950, "壹仟肆佰零玖元伍角"),                   # 1,409.50: no 整 after 角
    (600714, "陆仟零柒元壹角肆分"),                   # 6,007.14
    (10700053, "壹拾万柒仟元零伍角叁分"),             # 107,000.53
    (168032, "壹仟陆佰捌拾元零叁角贰分"),             # 1,680.32: 元位 0 -> 元零
    (32504, "叁佰贰拾伍元零肆分"),                   # 325.04: 角 0 -> 零
    (50, "伍角"),                                   # 0.50
    (1000, "壹拾元整"),                              # 10.00: 壹拾 in full
    (10000000000, "壹亿元整"),                       # 100,000,000.00
    (1, "壹分"),                                    # 0.01
    (10, "壹角"),                                   # 0.10
    (5, "伍分"),
    (15, "壹角伍分"),
    (1001, "壹拾元零壹分"),                          # 10.01
    (10010, "壹佰元零壹角"),                         # 100.10
    (100000001, "壹佰万元零壹分"),                   # 1,000,000.01
    (10001000000, "壹亿零壹万元整"),                 # 100,010,000.00
    (10010000000, "壹亿零壹拾万元整"),               # 1,0010,0000
    (2000000000, "贰仟万元整"),                      # 20,000,000.00
    (10000010000, "壹亿零壹佰元整"),                 # 100,000,100.00
    (10000000100, "壹亿零壹元整"),                   # a whole zero section
    (100100, "壹仟零壹元整"),
    (109000, "壹仟零玖拾元整"),
    (190000, "壹仟玖佰元整"),
    (1000100, "壹万零壹元整"),
    (100000000000, "壹拾亿元整"),
    (123456789012, "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元零壹角贰分"),
    (1000000000000000, "壹拾万亿元整"),
    (0, "零元整"),
    (198765433, "壹佰玖拾捌万柒仟陆佰伍拾肆元叁角叁分"),
]


@pytest.mark.parametrize("fen, text", CASES)
def test_capital(fen, text):
    assert to_capital_yuan(fen) == text


def test_at_least_twenty_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize("amount, text", [
    (Decimal("1409.5"), "壹仟肆佰零玖元伍角"),
    (Decimal("0.005"), "壹分"),                      # half up to the fen
    (Decimal("0.004"), "零元整"),
    (Decimal("6007.145"), "陆仟零柒元壹角伍分"),
    ("107000.53", "壹拾万柒仟元零伍角叁分"),
    (10, "壹拾元整"),
])
def test_from_decimal_rounds_half_up(amount, text):
    assert to_capital_from_decimal(amount) == text


def test_numpy_int_accepted():
    np = pytest.importorskip("numpy")
    assert to_capital_yuan(np.int64(140950)) == "壹仟肆佰零玖元伍角"


@pytest.mark.parametrize("bad", [-1, 10 ** 20, 1.5])
def test_rejects(bad):
    with pytest.raises(ValueError):
        to_capital_yuan(bad)


def test_format_yuan():
    assert format_yuan(123456789) == "1,234,567.89"
    assert format_yuan(5) == "0.05"
    assert format_yuan(0) == "0.00"
