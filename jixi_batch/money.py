"""Exact money: integer fen, half-up rounding, largest-remainder spreading.

POLICY.md "Money": all money is integer 分; a rate applied to an amount rounds
half up to the fen, once per rule line.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import numpy as np

FEN_PER_YUAN = 100


def round_half_up_div(numerator: np.ndarray, denominator: int) -> np.ndarray:
    """numerator / denominator rounded half up (away from zero at .5), int64 in, int64 out."""
    num = np.asarray(numerator, dtype=np.int64)
    den = np.int64(denominator)
    magnitude = (np.abs(num) * 2 + den) // (2 * den)
    return np.where(num < 0, -magnitude, magnitude).astype(np.int64)


def apply_rate(fen: np.ndarray, rate: Fraction) -> np.ndarray:
    """fen × rate, rounded half up to the fen (the single rounding of a rule line)."""
    num = np.asarray(fen, dtype=np.int64) * np.int64(rate.numerator)
    return round_half_up_div(num, rate.denominator)


def format_yuan(fen: int) -> str:
    """12345678 -> '123,456.78' (元 with two decimals and thousands separators)."""
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{yuan:,}.{cents:02d}"


_CENTS = [f".{c:02d}" for c in range(FEN_PER_YUAN)]


def yuan_texts(fen, unit: str = "") -> list[str]:
    """:func:`format_yuan` over a whole column of fen (int64), each text followed by ``unit``."""
    fen = np.asarray(fen, dtype=np.int64)
    yuan, cents = np.divmod(np.abs(fen), FEN_PER_YUAN)
    texts = [f"{y:,}{_CENTS[c]}{unit}" for y, c in zip(yuan.tolist(), cents.tolist())]
    for i in np.flatnonzero(fen < 0).tolist():
        texts[i] = "-" + texts[i]
    return texts


def round_half_up(value: Fraction) -> int:
    """An exact amount of fen rounded half up (away from zero at .5) to a whole fen."""
    magnitude = (abs(value.numerator) * 2 + value.denominator) // (2 * value.denominator)
    return -magnitude if value < 0 else magnitude


def exact_text(value: Fraction, grouping: bool = True) -> str:
    """An exact number as the decimal it is (Fraction(99999999999, 20000000) -> '4,999.99999995'): a
    declared figure is a decimal, so it is shown whole, never rounded; a value that is not a short
    finite decimal (a unit conversion such as 1/3) is shown to 12 places, marked 约."""
    value = Fraction(value)
    den = value.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    approx = den != 1
    with localcontext() as ctx:
        ctx.prec = 80
        shown = Decimal(value.numerator) / Decimal(value.denominator)
        if approx or shown != shown.quantize(Decimal(10) ** -30, ROUND_HALF_UP):
            approx, shown = True, shown.quantize(Decimal(10) ** -12, ROUND_HALF_UP)
        text = format(shown.normalize(), ",f" if grouping else "f")
    return ("约 " if approx else "") + text


def format_percent(rate: Fraction) -> str:
    """Fraction(1, 10) -> '10%'; Fraction(1, 40) -> '2.5%'."""
    pct = Decimal(rate.numerator * 100) / Decimal(rate.denominator)
    text = format(pct.normalize(), "f")
    return f"{text}%"


def percent_of(part_fen: int, whole_fen: int) -> str:
    """part / whole as a percentage with two decimals, half up: '87.50%'."""
    share = (Decimal(int(part_fen)) * 100 / Decimal(int(whole_fen))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{share}%"


def spread_largest_remainder(
    weights: np.ndarray, groups: np.ndarray, group_amount: np.ndarray, tiebreak: np.ndarray
) -> np.ndarray:
    """Split each group's amount over its members in proportion to their weights, to the fen.

    Each member first gets floor(amount × weight / Σweight); the fen left over go,
    one each, to the members with the largest remainders; equal remainders go to the
    member with the smaller ``tiebreak``. The shares of a group sum exactly to its
    amount. ``groups`` are integer group ids 0..G-1; ``group_amount`` is indexed by them.
    Weights must be non-negative; a group whose weights sum to 0 gets nothing.
    """
    weights = np.asarray(weights, dtype=np.int64)
    groups = np.asarray(groups, dtype=np.int64)
    group_amount = np.asarray(group_amount, dtype=np.int64)
    n_groups = len(group_amount)
    if len(weights) == 0:
        return np.zeros(0, dtype=np.int64)
    totals = np.zeros(n_groups, dtype=np.int64)
    np.add.at(totals, groups, weights)
    member_total = totals[groups]
    safe_total = np.where(member_total == 0, 1, member_total)
    amounts = group_amount[groups]
    if int(np.abs(weights).max(initial=0)) * int(np.abs(group_amount).max(initial=0)) >= 2**62:
        # int64 would overflow: do the products in Python integers (exact, slower)
        product = weights.astype(object) * amounts.astype(object)
        share = np.array([p // t if t else 0 for p, t in zip(product, member_total.tolist())], dtype=np.int64)
        remainder = np.array([p % t if t else 0 for p, t in zip(product, member_total.tolist())], dtype=object)
        remainder = _rank_keys(remainder)
    else:
        product = weights * amounts
        share = np.where(member_total == 0, 0, product // safe_total)
        remainder = np.where(member_total == 0, 0, product % safe_total)
    given = np.zeros(n_groups, dtype=np.int64)
    np.add.at(given, groups, share)
    leftover = np.where(totals == 0, 0, group_amount - given)
    # Rank members within their group: largest remainder first, then tiebreak.
    # Remainders are compared as fractions of the group total; within a group the
    # denominator is shared, so the integer remainders compare directly.
    order = np.lexsort((np.asarray(tiebreak), -remainder, groups))
    sorted_groups = groups[order]
    starts = np.searchsorted(sorted_groups, sorted_groups, side="left")
    rank = np.arange(len(order)) - starts
    bonus = np.zeros(len(weights), dtype=np.int64)
    bonus[order] = (rank < leftover[sorted_groups]).astype(np.int64)
    return share + bonus


def _rank_keys(values: np.ndarray) -> np.ndarray:
    """Python integers of any size replaced by int64 ranks that sort the same way."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = np.zeros(len(values), dtype=np.int64)
    rank, previous = -1, None
    for i in order:
        if previous is None or values[i] != previous:
            rank += 1
            previous = values[i]
        ranks[i] = rank
    return ranks
