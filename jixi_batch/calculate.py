"""From the tidy input tables to capped award lines and the per-firm summary.

facts → rules → 从高不重复 → 第五条 cap → 专项资金, then the firm table the workbook
and the letters read. Nothing here reads or writes files.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from .caps import apply_article5_cap, apply_fund, apply_offsets
from .facts import build_facts
from .lpr import LprTable
from .model import LINE_COLS
from .money import format_yuan
from .policy import Policy
from .review import concat_reviews, review_frame
from .review_levels import STATUS_OK, firm_status, with_levels
from .rules import apply_rules
from .unclaimed import unclaimed



@dataclass
class Calculation:
    lines: pd.DataFrame
    firms: pd.DataFrame
    review: pd.DataFrame
    factor: Fraction | None
    total_before_budget_fen: int
    total_fen: int
    warnings: list[str]
    unclaimed: pd.DataFrame         # 应享未享 (unclaimed.COLUMNS): pays nothing, changes nothing


def calculate(bundle, policy: Policy, mode: str, lpr: LprTable | None = None) -> Calculation:
    """Every rule, every cap, and the review rows they add, for the firms in ``bundle``."""
    facts, fact_review = build_facts(bundle, policy, lpr or LprTable())
    raw_lines, rule_review = apply_rules(facts, policy)
    gaps = unclaimed(facts, raw_lines, policy)
    lines = apply_offsets(raw_lines, bundle.other_awards)
    lines = apply_article5_cap(lines, policy)
    firm_codes = sorted(lines["code"].unique())
    seq = pd.Series(np.arange(1, len(firm_codes) + 1), index=pd.Index(firm_codes, name="code"))
    before = int((lines["computed_fen"] - lines["offset_fen"] - lines["art5_cut_fen"]).sum())
    lines, factor = apply_fund(lines, seq, policy, mode)
    lines["approved_fen"] = (lines["computed_fen"] - lines["offset_fen"] - lines["art5_cut_fen"]
                             - lines["budget_cut_fen"])
    lines = _finish_lines(lines, facts, policy, seq)
    firms = _firm_summary(lines, facts, policy, seq)
    bank_review = _missing_bank(firms, facts)
    review = with_levels(concat_reviews([bundle.review, fact_review, rule_review, bank_review]))
    firms["status"] = firm_status(firms["code"], review)
    total = int(firms["payout_fen"].sum())
    warnings = list(bundle.warnings)
    if before > policy.fund_fen and mode == "report":
        warnings.append(f"测算总额 {format_yuan(before)} 元超过专项资金 {format_yuan(policy.fund_fen)} 元，"
                        f"超出 {format_yuan(before - policy.fund_fen)} 元，请报领导研究是否按比例压减")
    return Calculation(lines=lines, firms=firms, review=review, factor=factor,
                       total_before_budget_fen=before, total_fen=total, warnings=warnings, unclaimed=gaps)


def _finish_lines(lines: pd.DataFrame, facts: pd.DataFrame, policy: Policy, seq: pd.Series) -> pd.DataFrame:
    info = {r.rule_id: r for r in policy.rules_info()}
    out = lines.copy()
    out["name"] = facts["name"].reindex(out["code"]).to_numpy()
    out["rule_name"] = out["rule_id"].map(lambda r: info[r].name)
    out["article"] = out["rule_id"].map(lambda r: info[r].article)
    out["_seq"] = seq.reindex(out["code"]).to_numpy()
    out["_order"] = out["rule_id"].map({r: i for i, r in enumerate(policy.rule_order)})
    out = out.sort_values(["_seq", "_order"], kind="stable").reset_index(drop=True)
    return out[LINE_COLS]


def _firm_summary(lines: pd.DataFrame, facts: pd.DataFrame, policy: Policy, seq: pd.Series) -> pd.DataFrame:
    """One row per firm with any line: 核定金额 per rule (so 汇总 and 企业汇总 tie out rule by rule),
    the cuts already made in them, the payout (their sum)."""
    per_rule = lines.pivot_table(index="code", columns="rule_id", values="approved_fen",
                                 aggfunc="sum", fill_value=0)
    per_rule = per_rule.reindex(index=seq.index, columns=policy.rule_order, fill_value=0).astype(np.int64)
    sums = lines.groupby("code")[["art5_cut_fen", "budget_cut_fen", "approved_fen"]].sum().reindex(seq.index)
    info = facts.reindex(seq.index)
    firms = pd.DataFrame({
        "seq": seq.to_numpy(),
        "code": seq.index.to_numpy(),
        "name": info["name"].to_numpy(),
        "district": info["district"].to_numpy(),
    })
    for rule_id in policy.rule_order:
        firms[rule_id] = per_rule[rule_id].to_numpy()
    firms["art5_cut_fen"] = sums["art5_cut_fen"].to_numpy(np.int64)
    firms["budget_cut_fen"] = sums["budget_cut_fen"].to_numpy(np.int64)
    firms["payout_fen"] = sums["approved_fen"].to_numpy(np.int64)
    for column in ("bank", "account", "address", "contact", "phone"):
        firms[column] = info[column].to_numpy()
    firms["status"] = STATUS_OK
    return firms


def _missing_bank(firms: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """缺少开户信息: a firm to be paid with no bank or account (or no applications row)."""
    missing = firms[(firms["payout_fen"] > 0)
                    & ((firms["bank"].str.strip() == "") | (firms["account"].str.strip() == ""))]
    src = facts.reindex(missing["code"])
    return review_frame(
        category="缺少开户信息", file=src["app_src_file"].fillna(""), sheet=src["app_src_sheet"].fillna(""),
        row=src["app_src_row"], column="开户银行/银行账号", value="",
        code=missing["code"], name=missing["name"],
        message=pd.Series([f"该企业应兑现 {format_yuan(p)} 元，" + _missing_bank_reason(h, d) + "，暂缓拨付"
                           for p, h, d in zip(missing["payout_fen"], src["has_app"].fillna(False),
                                              src["held"].fillna(False))],
                          index=missing.index, dtype=object),
    )


def _missing_bank_reason(has_app: bool, held: bool) -> str:
    if held:
        return "在“企业信息”表中填报了多行，开户银行和银行账号无法确定"
    if has_app:
        return "企业申报汇总中未填写开户银行或银行账号"
    return "未在企业申报汇总中填报，无开户银行和银行账号"
