"""Caps and principles, in the order POLICY.md gives them.

1. rule cap — already inside each rule's 测算金额;
2. 从高不重复 (第七条): paid = max(0, rule amount − other award for the same item);
3. 第五条 cap: article5.cap per firm (每户企业最高奖励), the reduction spread over the firm's article-5
   lines in proportion, largest remainder, ties to the rule listed first;
4. 专项资金 (第七条): ``report`` pays as computed and warns; ``prorate`` scales every
   firm by fund / total, largest remainder, ties to the lower 序号.
Each stage is a named column, so a line carries its whole story.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from .money import format_yuan, spread_largest_remainder
from .policy import Policy


def _group_ids(keys: pd.Series) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(keys, sort=False)
    return codes.astype(np.int64), len(uniques)


def apply_offsets(lines: pd.DataFrame, other_awards: pd.DataFrame) -> pd.DataFrame:
    """从高不重复: deduct awards already received for the same rule (another policy or an earlier year)."""
    received = other_awards.groupby(["code", "rule_id"], sort=False).agg(
        other_fen=("amount_fen", "sum"),
        other_policy=("policy_name", lambda s: "、".join(dict.fromkeys(str(v) for v in s if str(v).strip()))),
    )
    out = lines.join(received, on=["code", "rule_id"])
    other = out["other_fen"].fillna(0).astype(np.int64).to_numpy()
    out["offset_fen"] = np.minimum(out["computed_fen"].to_numpy(), np.maximum(other, 0))
    note = [f"；已获“{p or '其他政策奖励'}”{format_yuan(o)} 元，按“从高不重复”原则抵扣 {format_yuan(d)} 元"
            + ("，本项不再兑现" if d >= c else "") if o > 0 else ""
            for o, p, d, c in zip(other, out["other_policy"].fillna(""), out["offset_fen"], out["computed_fen"])]
    out["explanation"] = out["explanation"] + pd.Series(note, index=out.index, dtype=object)
    return out.drop(columns=["other_fen", "other_policy"])


def apply_article5_cap(lines: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """第五条: the sum of the article5.rules lines ≤ article5.cap per firm; the excess is spread over the lines."""
    cap = policy.article5.cap_fen
    art5_rules = list(policy.article5.rules)
    out = lines.copy()
    out["art5_cut_fen"] = np.zeros(len(out), dtype=np.int64)
    mask = out["rule_id"].isin(art5_rules).to_numpy()
    part = out.loc[mask]
    if part.empty:
        return out
    after = (part["computed_fen"] - part["offset_fen"]).to_numpy(np.int64)
    groups, n_groups = _group_ids(part["code"])
    totals = np.zeros(n_groups, dtype=np.int64)
    np.add.at(totals, groups, after)
    excess = np.maximum(totals - cap, 0)
    order = part["rule_id"].map({r: i for i, r in enumerate(art5_rules)}).to_numpy(np.int64)
    cut = spread_largest_remainder(after, groups, excess, order)
    out.loc[mask, "art5_cut_fen"] = cut
    note = [f"；第五条各项奖励合计 {format_yuan(t)} 元，超过每户企业最高奖励 {format_yuan(cap)} 元，"
            f"按比例核减 {format_yuan(c)} 元"
            if c > 0 or e > 0 else "" for t, e, c in zip(totals[groups], excess[groups], cut)]
    out.loc[mask, "explanation"] = part["explanation"].to_numpy() + np.array(note, dtype=object)
    return out


def apply_fund(lines: pd.DataFrame, firm_seq: pd.Series, policy: Policy, mode: str) -> tuple[pd.DataFrame, Fraction | None]:
    """第七条 专项资金: report (pay as computed) or prorate (scale to the fund exactly)."""
    out = lines.copy()
    out["budget_cut_fen"] = np.zeros(len(out), dtype=np.int64)
    before = (out["computed_fen"] - out["offset_fen"] - out["art5_cut_fen"]).to_numpy(np.int64)
    total = int(before.sum())
    fund = policy.fund_fen
    if mode != "prorate" or total <= fund:
        return out, None
    factor = Fraction(fund, total)
    firm_codes = firm_seq.sort_values().index.to_numpy()
    firm_index = pd.Index(firm_codes)
    line_firm = firm_index.get_indexer(out["code"])
    payout = np.zeros(len(firm_codes), dtype=np.int64)
    np.add.at(payout, line_firm, before)
    kept = spread_largest_remainder(payout, np.zeros(len(payout), dtype=np.int64),
                                    np.array([fund], dtype=np.int64), np.arange(len(payout)))
    firm_cut = payout - kept
    order = out["rule_id"].map({r: i for i, r in enumerate(policy.rule_order)}).to_numpy(np.int64)
    cut = spread_largest_remainder(before, line_firm.astype(np.int64), firm_cut, order)
    out["budget_cut_fen"] = cut
    note = [f"；因测算总额超过专项资金，按压减系数 {_factor_text(factor)} 核减 {format_yuan(c)} 元" if c > 0 else ""
            for c in cut]
    out["explanation"] = out["explanation"] + pd.Series(note, index=out.index, dtype=object)
    return out, factor


def _factor_text(factor: Fraction) -> str:
    scaled = factor.numerator * 10**6 * 2 // factor.denominator
    micro = (scaled + 1) // 2
    return f"{micro // 10**6}.{micro % 10**6:06d}"


def factor_text(factor: Fraction | None) -> str:
    """The prorate factor with six decimals, half up, for display."""
    return _factor_text(factor) if factor is not None else ""
