"""应享未享 (OUTPUTS.md): firms whose customs figures meet a declaration rule's customs threshold but who
have no line for it because a declaration is missing — for the bureau to reach before the deadline.

It pays nothing and changes nothing: it reads the facts and the rule lines. 可能金额上限 is what the rule
would pay on the customs figure alone, after the rule's own cap — an upper bound, never a promise. A
declaration of 否 or 0 is a declaration, not a gap; a firm whose 企业信息 rows are held (重复申报) has
declared, and is listed for review elsewhere.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .money import apply_rate, exact_text, format_percent, format_yuan, round_half_up, yuan_texts
from .policy import Policy

COLUMNS = ["统一社会信用代码", "企业名称", "规则编号", "规则名称", "海关数据依据", "缺少的申报项",
           "bound_fen", "联系方式"]          # bound_fen: the sheet's 可能金额上限(元), in fen until written
NOT_APPLIED = "未申报（无企业信息）"


def _yuan(fen) -> str:
    return format_yuan(fen) + " 元"


def _rows(facts: pd.DataFrame, mask: np.ndarray, rule_id: str, policy: Policy, column: str,
          basis: list[str], bound: np.ndarray) -> pd.DataFrame:
    """Rows for the firms in ``mask`` (a customs threshold met, the declaration of ``column`` missing)."""
    chosen = facts[mask]
    missing = np.where(chosen["has_app"].to_numpy(), column, NOT_APPLIED)
    contact = [("联系人" + c if c else "") + ("，" if c and p else "") + ("电话" + p if p else "")
               for c, p in zip(chosen["contact"], chosen["phone"])]
    return pd.DataFrame({
        "统一社会信用代码": chosen.index.to_numpy(), "企业名称": chosen["name"].to_numpy(), "规则编号": rule_id,
        "规则名称": policy.rules[rule_id].name, "海关数据依据": basis, "缺少的申报项": missing,
        "bound_fen": np.asarray(bound, dtype=np.int64), "联系方式": contact,
    }, columns=COLUMNS)


def _gap(facts: pd.DataFrame, given: str, paid: set, rule_id: str) -> np.ndarray:
    """No usable declaration in this column (no 企业信息 row, or the cell empty), not held, no line."""
    undeclared = ~facts["has_app"].to_numpy() | ~facts[given].to_numpy()
    no_line = ~facts.index.isin([c for c, r in paid if r == rule_id])
    return undeclared & ~facts["held"].to_numpy() & no_line


def unclaimed(facts: pd.DataFrame, rule_lines: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """The 应享未享 table: one row per firm × rule, firms by 统一社会信用代码, rules in policy order."""
    paid = set(zip(rule_lines["code"], rule_lines["rule_id"]))
    parts = []

    # 第五条（一）: energy/resource imports at the threshold; 落地率 not declared
    p = policy.rules.A5I
    energy = facts["energy_import_y"].to_numpy(np.int64)
    mask = _gap(facts, "landing_rate_given", paid, "A5I") & (energy >= p.min_import_fen)
    bound = np.minimum(apply_rate(energy[mask], p.rate), p.cap_fen)
    tail = (f"，达到 {_yuan(p.min_import_fen)}（另需落地率超过{exact_text(p.min_landing_rate * 100)}%），"
            f"按 {format_percent(p.rate)} 测算")
    parts.append(_rows(facts, mask, "A5I", policy, "能源资源进口落地率(%)",
                       [f"能源资源类商品进口额 {v}{tail}" for v in yuan_texts(energy[mask], " 元")], bound))

    # 第五条（一）: coal imports at the threshold; landed quantity not declared (landed ≤ imported)
    p = policy.rules.A5C
    coal = facts["coal_import_t"].to_numpy(object)
    mask = _gap(facts, "coal_landed_t_given", paid, "A5C") & np.array([t >= p.min_import.tonnes for t in coal],
                                                                       dtype=bool)
    bound = np.minimum(np.array([round_half_up(t * p.fen_per_tonne) for t in coal[mask]], dtype=np.int64),
                       p.cap_fen)
    tail = f" 吨，达到 {exact_text(p.min_import.tonnes)} 吨，按全部落地测算"
    parts.append(_rows(facts, mask, "A5C", policy, "煤炭落地数量(吨)",
                       [f"煤炭进口 {exact_text(t)}{tail}" for t in coal[mask]], bound))

    # 第五条（二）: exports at the threshold; 本地加工产品出口额 not declared (capped at exports)
    p = policy.rules.A5X
    exports = facts["export_y"].to_numpy(np.int64)
    mask = _gap(facts, "local_export_fen_given", paid, "A5X") & (exports >= p.min_export_fen)
    bound = np.minimum(apply_rate(exports[mask], p.rate), p.cap_fen)
    tail = f"，达到 {_yuan(p.min_export_fen)}，按全部为本地加工产品、{format_percent(p.rate)} 测算"
    parts.append(_rows(facts, mask, "A5X", policy, "本地加工产品出口额(元)",
                       [f"出口额 {v}{tail}" for v in yuan_texts(exports[mask], " 元")], bound))

    # 第五条（三）: trade at the threshold with at least one step of increase; 生产加工型 not declared
    p = policy.rules.A5G
    total, last = facts["total_y"].to_numpy(np.int64), facts["total_y1"].to_numpy(np.int64)
    steps = np.where(total > last, (total - last) // p.step_fen, 0)
    mask = _gap(facts, "processing_type_given", paid, "A5G") & (total >= p.min_trade_fen) & (steps > 0)
    caps = np.where(facts["newly_introduced"].to_numpy()[mask], p.cap_new_fen, p.cap_fen)
    bound = np.minimum(steps[mask] * p.amount_per_step_fen, caps)
    reached = f"，达到 {_yuan(p.min_trade_fen)}，同比增量 "
    parts.append(_rows(facts, mask, "A5G", policy, "生产加工型",
                       [f"进出口额 {t}{reached}{i}，计 {s} 档" for t, i, s in
                        zip(yuan_texts(total[mask], " 元"), yuan_texts(total[mask] - last[mask], " 元"), steps[mask])],
                       bound))

    out = pd.concat(parts, ignore_index=True)
    order = {r: i for i, r in enumerate(policy.rule_order)}
    out["_order"] = out["规则编号"].map(order)
    return out.sort_values(["统一社会信用代码", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)


def console_line(table: pd.DataFrame) -> str:
    """应享未享：3 户企业 4 项，按海关数据测算的金额上限合计 1,234.00 元（仅供联系企业，不予兑现）."""
    if not len(table):
        return "应享未享：无（海关数据达到条件而未申报的企业）"
    firms = table["统一社会信用代码"].nunique()
    total = int(table["bound_fen"].sum())
    return (f"应享未享：{firms} 户企业 {len(table)} 项，按海关数据测算的金额上限合计 {format_yuan(total)} 元"
            "（仅供联系企业核实申报，不予兑现）")
