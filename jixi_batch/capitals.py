"""Amounts in capital numerals (中文大写金额), by the People's Bank of China rules.

The rules followed (中国人民银行《支付结算办法》附件《正确填写票据和结算凭证的基本规定》):

- digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟, sections 万 and 亿; "壹拾" is written in full
  (10.00 -> 壹拾元整);
- an amount ending at 元 ends with "整"; one with 角 but no 分 ends at 角 without "整"
  (1,409.50 -> 壹仟肆佰零玖元伍角); one with 分 never has "整";
- zeros between digits are written as one "零" (6,007.14 -> 陆仟零柒元壹角肆分), also when the
  zeros run into the next section (100,010,000.00 -> 壹亿零壹万元整); zeros at the end of a
  section before a non-zero 仟 digit are not written (107,000.53 -> 壹拾万柒仟元零伍角叁分 — the
  rules allow either, this is the common form);
- when the 元 digit is 0 and there are 角 or 分, "零" follows "元"
  (1,680.32 -> 壹仟陆佰捌拾元零叁角贰分); when 角 is 0 and 分 is not, "零" stands for the 角
  (325.04 -> 叁佰贰拾伍元零肆分);
- amounts below one 元 have no "元" (0.50 -> 伍角, 0.05 -> 伍分); zero is 零元整.

Money is integer fen everywhere; ``to_capital_from_decimal`` is the one entry for a decimal
amount in 元 and rounds half up to the fen first.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .money import format_yuan  # re-exported: "1,234,567.89"

__all__ = ["to_capital_yuan", "to_capital_from_decimal", "format_yuan"]

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")                 # within a 4-digit section
SECTIONS = ("", "万", "亿", "万亿")            # one per 4-digit section, lowest first
MAX_YUAN = 10 ** (4 * len(SECTIONS)) - 1     # 9999,9999,9999,9999 元


def _integer_text(yuan: int) -> str:
    """The whole-元 part (yuan > 0) without the trailing 元."""
    sections = []
    while yuan:
        yuan, section = divmod(yuan, 10000)
        sections.append(section)
    out: list[str] = []
    pending_zero = False          # zeros seen since the last digit written
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        if section == 0:
            if out:
                pending_zero = True
            continue
        for place in range(3, -1, -1):
            digit = section // 10 ** place % 10
            if digit == 0:
                if out:
                    pending_zero = True
                continue
            if pending_zero:
                out.append("零")
                pending_zero = False
            out.append(DIGITS[digit] + UNITS[place])
        out.append(SECTIONS[index])
        # Zeros at the end of a section (万位 0 before a 仟 digit) are not written.
        # (zeros at the start of the next section are: its loop sets pending_zero).
        pending_zero = False
    return "".join(out)


def to_capital_yuan(fen: int) -> str:
    """Integer fen -> 大写金额, e.g. 140950 -> '壹仟肆佰零玖元伍角'."""
    if isinstance(fen, bool):
        raise TypeError("fen must be an integer, not bool")
    if isinstance(fen, float):
        if fen != int(fen):
            raise ValueError(f"fen must be a whole number: {fen!r}")
    fen = int(fen)
    if fen < 0:
        raise ValueError(f"a capital amount cannot be negative: {fen} fen")
    yuan, cents = divmod(fen, 100)
    if yuan > MAX_YUAN:
        raise ValueError(f"amount too large for capital numerals: {fen} fen")
    jiao, fen_digit = divmod(cents, 10)
    if yuan == 0:
        if cents == 0:
            return "零元整"
        text = ""
        if jiao:
            text += DIGITS[jiao] + "角"
        if fen_digit:
            text += DIGITS[fen_digit] + "分"
        return text
    text = _integer_text(yuan) + "元"
    if cents == 0:
        return text + "整"
    if jiao:
        if yuan % 10 == 0:
            text += "零"
        text += DIGITS[jiao] + "角"
    else:
        text += "零"
    if fen_digit:
        text += DIGITS[fen_digit] + "分"
    return text


def to_capital_from_decimal(amount: Decimal | int | str) -> str:
    """An amount in 元 (Decimal, int or decimal text) rounded half up to the fen, in 大写."""
    value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    if not value.is_finite():
        raise ValueError(f"not a finite amount: {amount!r}")
    fen = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return to_capital_yuan(fen)
