"""统一社会信用代码: normalisation and the GB 32100-2015 check character."""
from __future__ import annotations

import pytest

from jixi_batch.reading.codes import (BAD_CHECK, CHARSET, INVALID, MISSING, OK, WEIGHTS, check_char,
                                      code_status, normalise_code)
from test_reading_support import make_code


def test_hand_checked_code():
    # 9 1 2 3 0 3 0 0 M A 1 B 2 C 3 D 4 with values M=21 A=10 B=11 C=12 D=13:
    # Σ w·v = 9+3+18+81+0+78+0+0+420+290+25+143+16+288+30+390+112 = 1903; 1903 mod 31 = 12;
    # 31 − 12 = 19 → 'K'
    assert sum(w * CHARSET.index(c) for w, c in zip(WEIGHTS, "91230300MA1B2C3D4")) == 1903
    assert check_char("91230300MA1B2C3D4") == "K"
    assert code_status("91230300MA1B2C3D4K") == OK
    assert code_status("91230300MA1B2C3D4E") == BAD_CHECK


def test_weights_are_powers_of_three_mod_31():
    assert list(WEIGHTS) == [pow(3, i, 31) for i in range(17)]


@pytest.mark.parametrize("body", ["123456789", "MA0000001", "MA1CQ7X3Y", "000000000"])
def test_generated_codes_are_valid(body):
    code = make_code(body)
    assert len(code) == 18 and code_status(code) == OK


def test_remainder_zero_gives_check_zero():
    # find a prefix whose sum is a multiple of 31: the check character is '0', not CHARSET[31]
    for n in range(100000):
        prefix = f"9123030000{n:07d}"
        if sum(w * CHARSET.index(c) for w, c in zip(WEIGHTS, prefix)) % 31 == 0:
            assert check_char(prefix) == "0"
            return
    pytest.fail("no prefix found")


def test_normalise_trims_folds_and_upper_cases():
    code = make_code("MA1B2C3D4")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    assert normalise_code(f"  {full_width}\u3000") == code
    assert normalise_code(code[:6] + " " + code[6:]) == code
    assert normalise_code(code.lower()) == code
    assert normalise_code(None) == ""
    assert normalise_code(float("nan")) == ""


def test_status_of_bad_codes():
    assert code_status("") == MISSING
    assert code_status("91230300MA1B2C3D4") == INVALID            # 17 characters
    assert code_status("91230300MA1B2C3DIK") == INVALID           # I is not in the charset
    assert code_status("91230300MA1B2C3D4KK") == INVALID
