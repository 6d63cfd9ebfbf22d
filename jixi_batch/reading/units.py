"""Money units and currencies, wherever a person writes them (INPUTS.md "Real exports as they come").

A unit is read from a header (``金额(万元)``, ``人民币（百万元）``, ``出口额(万美元)``), from a line above
the table or its title (``单位：万元``, ``金额单位：美元``, ``（单位：亿元）``), or from a note below it.
Amounts are paid in 元: 元, 千元, 万元, 百万元 and 亿元 are converted; a foreign currency is never
converted (no exchange rate is given), and a unit the program does not know stops the run — never
a guess.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import InputError

RMB = "人民币"
# 元 per unit, by the prefix left once the currency word and a final 元 are taken off
SCALES = {"": 1, "千": 1_000, "万": 10_000, "百万": 1_000_000, "亿": 100_000_000}
_RMB_WORDS = ("人民币", "RMB", "CNY")
# foreign currencies: the word as written -> the name the clerk reads
_FOREIGN_WORDS = {"美元": "美元", "美金": "美元", "USD": "美元", "US$": "美元", "欧元": "欧元", "EUR": "欧元",
                  "港元": "港元", "港币": "港元", "HKD": "港元", "日元": "日元", "JPY": "日元", "英镑": "英镑",
                  "卢布": "卢布", "RUB": "卢布", "韩元": "韩元", "外币": "外币"}
_SEPARATORS_RE = re.compile(r"[\s:：/、,，;；()（）\[\]【】<>《》\"'“”]")
# a unit statement: 单位：万元 / 金额单位：美元 / 币种：人民币, at the start of a cell or after a space
# or bracket, so that 填报单位：… and 制表单位：… are never taken for one
_STATEMENT_RE = re.compile(r"(?:^|(?<=[\s(（\[【,，;；。]))(金额|货值|价值|数额|数量|计量|币值|币种|币制)?"
                           r"(单位|币种|币制)\s*[:：]\s*([^\s,，;；。)）\]】]+)")
_BRACKET_UNIT_RE = re.compile(r"[(（]\s*([^()（）]{1,8})\s*[)）]")


@dataclass(frozen=True)
class MoneyUnit:
    """A money unit as written: 元 per unit (None when only a currency is named) and the currency."""

    scale: int | None
    currency: str | None          # 人民币, 美元, … ; None when the text names none
    text: str

    @property
    def foreign(self) -> bool:
        return self.currency not in (None, RMB)


class UnknownUnit(ValueError):
    """A unit text that is neither a money unit the program knows nor plainly something else."""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).upper()


def money_unit(text: str) -> MoneyUnit:
    """'万元' -> 10,000 元; '人民币(百万元)' -> 1,000,000; '万美元' -> 美元; '' -> no unit named.

    Raises UnknownUnit for text that names neither a known scale nor a currency (``千万元``,
    ``元/吨``, ``吨``)."""
    folded = _fold(text)
    rest = _SEPARATORS_RE.sub("", folded)
    currency = None
    for word, name in _FOREIGN_WORDS.items():
        if word in rest:
            currency, rest = name, rest.replace(word, "", 1)
            break
    if currency is None:
        for word in _RMB_WORDS:
            if word in rest:
                currency, rest = RMB, rest.replace(word, "", 1)
                break
    if currency is None or currency == RMB:
        if rest.endswith("元"):
            rest, currency = rest[:-1], RMB
        elif rest:
            raise UnknownUnit(text)
        elif currency is None:
            return MoneyUnit(None, None, text)
        else:
            return MoneyUnit(None, RMB, text)
    if rest not in SCALES:
        raise UnknownUnit(text)
    return MoneyUnit(SCALES[rest], currency, text)


def currency_in(text: str) -> str | None:
    """The currency a header names anywhere in it (美元金额, 人民币值), or None."""
    folded = _fold(text)
    for word, name in _FOREIGN_WORDS.items():
        if word in folded:
            return name
    return RMB if any(word in folded for word in _RMB_WORDS) else None


def money_unit_or_none(text: str) -> MoneyUnit | None:
    try:
        return money_unit(text)
    except UnknownUnit:
        return None


@dataclass(frozen=True)
class Statement:
    """A unit written beside the table, not in a header: what it says and where."""

    unit: MoneyUnit | None        # None: a quantity unit (``数量单位：吨``)
    quantity: str                 # the quantity unit, when it is one
    text: str                     # the whole cell, for messages


def statements(text: str, quantity_units) -> list[Statement]:
    """The unit statements in one cell of a title line or note (usually none).

    ``单位：万元``, ``金额单位:美元``, ``(单位：亿元)``, a title ending ``（万元）``. A statement naming a
    unit that is neither money nor a known quantity raises UnknownUnit when it says it is about
    money (``金额单位：千万元``, or a bare ``单位：`` followed by something ending in 元)."""
    folded = unicodedata.normalize("NFKC", text)
    found = []
    for prefix, _, token in _STATEMENT_RE.findall(folded):
        for part in re.split(r"[、/]", token):
            part = part.strip()
            if not part:
                continue
            unit = money_unit_or_none(part)
            if unit is not None and (unit.scale is not None or unit.currency is not None):
                if prefix in ("数量", "计量"):
                    raise UnknownUnit(part)
                found.append(Statement(unit, "", text))
            elif part in quantity_units or _fold(part) in quantity_units:
                found.append(Statement(None, part, text))
            elif prefix in ("金额", "货值", "价值", "数额", "币值", "币种", "币制") or part.endswith("元"):
                raise UnknownUnit(part)
    if not found:
        for token in _BRACKET_UNIT_RE.findall(folded):
            unit = money_unit_or_none(token.strip())
            if unit is not None and unit.scale is not None and token.strip().endswith("元"):
                found.append(Statement(unit, "", text))
    return found


def unit_error(file: str, sheet: str, text: str, where: str) -> InputError:
    return InputError(f"文件“{file}”工作表“{sheet}”{where}的单位“{text}”无法识别：金额单位只能是 元、千元、万元、百万元、亿元"
                      "（人民币）。请把金额换算为以上单位之一，或在表头写明单位后重新运行。")
