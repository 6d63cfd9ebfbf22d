"""The award rules of the measures, one vectorised function per article item.

Each rule reads the facts table (one row per firm, money in fen) and the policy
parameters, and returns its lines (code, rule_id, basis_fen, computed_fen,
explanation) for the firms it applies to, and review rows for claims that fail.
``computed_fen`` is the rule's own result after its own cap (测算金额).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from .lpr import interest_denominator
from .money import apply_rate, exact_text, format_percent, format_yuan, round_half_up, round_half_up_div, yuan_texts
from .policy import Policy, article_label
from .review import concat_reviews, review_frame

RULE_LINE_COLS = ["code", "rule_id", "basis_fen", "computed_fen", "explanation"]


def _y(fen) -> str:
    return format_yuan(fen) + " 元"


def _ys(*columns) -> list[list[str]]:
    """Each column of fen as texts "1,234.56 元" (formatted a column at a time: 100,000 firms)."""
    return [yuan_texts(column, " 元") for column in columns]


def _tonnes(tonnes: Fraction) -> str:
    """Tonnes as declared, every decimal shown: 4,999.9999995 吨 is not 5,000 吨."""
    return exact_text(tonnes) + " 吨"


def _percent(share: Fraction) -> str:
    """A share of one as declared percent points: Fraction(5000001, 10000000) -> '50.00001%'."""
    return exact_text(share * 100, grouping=False) + "%"


def _lines(rule_id: str, rows: pd.DataFrame, basis, amount, explanation: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({
        "code": rows.index.to_numpy(),
        "rule_id": rule_id,
        "basis_fen": pd.array(basis if basis is not None else [pd.NA] * len(rows), dtype="Int64"),
        "computed_fen": np.asarray(amount, dtype=np.int64),
        "explanation": explanation,
    })
    return frame[frame["computed_fen"] > 0].reset_index(drop=True)


def _capped(amount: np.ndarray, cap) -> tuple[np.ndarray, np.ndarray]:
    cap = np.asarray(cap, dtype=np.int64)
    return np.minimum(amount, cap), amount > cap


def _cap_note(hit: bool, cap: int) -> str:
    return f"，超过最高限额，按 {_y(cap)}计" if hit else ""


def _claim_review(rows: pd.DataFrame, category: str, column: str, values, messages,
                  source: str = "app", rule_id: str | None = None) -> pd.DataFrame:
    """Review rows pointing at the row that claimed (applications row or provincial row)."""
    if source == "app":
        file, sheet, row = rows["app_src_file"], rows["app_src_sheet"], rows["app_src_row"]
    else:
        file, sheet, row = (rows[f"prov_file_{rule_id}"], rows[f"prov_sheet_{rule_id}"],
                            rows[f"prov_row_{rule_id}"])
    return review_frame(category=category, file=file, sheet=sheet, row=row, column=column,
                        value=pd.Series(list(values), index=rows.index, dtype=object),
                        code=pd.Series(rows.index, index=rows.index), name=rows["name"],
                        message=pd.Series(list(messages), index=rows.index, dtype=object))


def _failed_parts(*parts: tuple[bool, str]) -> str:
    """The conditions a claim failed, joined with a semicolon (only those it failed)."""
    return "；".join(text for failed, text in parts if failed)


def _applicants(facts: pd.DataFrame) -> pd.Series:
    """Firms whose applications row can be used (present and not held as 重复申报)."""
    return facts["has_app"] & ~facts["held"]


# --- article 1 ---------------------------------------------------------------
def rule_a1(facts: pd.DataFrame, policy: Policy):
    """第一条: new import+export (Y − (Y−1)) ≥ ``min_increase`` and a provincial award → ``rate`` × that award."""
    rid = "A1"
    params = policy.rules.A1
    threshold, rate = params.min_increase_fen, params.rate
    award = facts["prov_sum_A1"]
    increase = facts["total_y"] - facts["total_y1"]
    claimed = facts[award > 0]
    ok = (increase >= threshold)[award > 0]
    paid = claimed[ok]
    amount = apply_rate(paid["prov_sum_A1"].to_numpy(), rate)
    inc = increase[paid.index]
    threshold_text = _y(threshold)
    rate_text = format_percent(rate)
    text = [f"海关进出口额 {y}，较上年 {y1}新增 {i} ≥ {threshold_text}，按省级奖励 {p}的 {rate_text} 计 {a}"
            for y, y1, i, p, a in zip(*_ys(paid["total_y"], paid["total_y1"], inc, paid["prov_sum_A1"], amount))]
    failed = claimed[~ok]
    inc_f = increase[failed.index]
    review = _claim_review(
        failed, "省级奖励条件不符", "省级奖励金额(元)", yuan_texts(failed["prov_sum_A1"]),
        [f"已获省级外贸主体新增进出口奖励 {p}，但海关进出口额 {y}，较上年 {y1}"
         + (f"新增 {i}" if n >= 0 else f"减少 {d}") + f"，未达到 {threshold_text}，市级奖励不予计算"
         for p, i, d, y, y1, n in zip(*_ys(failed["prov_sum_A1"], inc_f, -inc_f, failed["total_y"], failed["total_y1"]),
                                      inc_f)],
        source="province", rule_id=rid)
    return _lines(rid, paid, paid["prov_sum_A1"].to_numpy(), amount, text), review


# --- article 2 ---------------------------------------------------------------
def _per_item(rid: str, facts: pd.DataFrame, policy: Policy, what: str):
    each = policy.rules[rid].amount_each_fen
    rows = facts[facts[f"prov_rows_{rid}"] > 0]
    count = rows[f"prov_rows_{rid}"].to_numpy()
    amount = count * each
    each_text = _y(each)
    text = [f"获省级奖励的{what} {n} 个，每个奖励 {each_text}，计 {a}" for n, a in zip(count, *_ys(amount))]
    return _lines(rid, rows, None, amount, text), concat_reviews([])


def rule_a2n(facts, policy):
    """第二条: ``amount_each`` per newly created national trade-promotion platform (one provincial row each)."""
    return _per_item("A2N", facts, policy, "新创建国家级贸易促进平台")


def rule_a2p(facts, policy):
    """第二条: ``amount_each`` per newly created provincial trade-promotion platform (one provincial row each)."""
    return _per_item("A2P", facts, policy, "新创建省级贸易促进平台")


# --- article 3 ---------------------------------------------------------------
def rule_a3e(facts, policy):
    """第三条: cross-border e-commerce import+export (``cross_border_trade_modes``) ≥ ``min_trade`` and a
    provincial award → ``rate`` × that award."""
    rid = "A3E"
    params = policy.rules.A3E
    threshold, rate = params.min_trade_fen, params.rate
    claimed = facts[facts["prov_sum_A3E"] > 0]
    ok = claimed["cbec_y"] >= threshold
    paid, failed = claimed[ok], claimed[~ok]
    amount = apply_rate(paid["prov_sum_A3E"].to_numpy(), rate)
    threshold_text = _y(threshold)
    rate_text = format_percent(rate)
    text = [f"跨境电商进出口额 {c} ≥ {threshold_text}，按省级跨境电商奖励 {p}的 {rate_text} 计 {a}"
            for c, p, a in zip(*_ys(paid["cbec_y"], paid["prov_sum_A3E"], amount))]
    review = _claim_review(
        failed, "省级奖励条件不符", "省级奖励金额(元)", yuan_texts(failed["prov_sum_A3E"]),
        [f"已获省级跨境电商奖励 {p}，但海关跨境电商进出口额 {c}，未达到 {threshold_text}，市级奖励不予计算"
         for p, c in zip(*_ys(failed["prov_sum_A3E"], failed["cbec_y"]))],
        source="province", rule_id=rid)
    return _lines(rid, paid, paid["prov_sum_A3E"].to_numpy(), amount, text), review


def rule_a3s(facts, policy):
    """第三条: ``rate`` × (平台入驻费 + 推广费) for a shop on a cross-border platform, at most ``cap``."""
    rid = "A3S"
    params = policy.rules.A3S
    rate, cap = params.rate, params.cap_fen
    base = facts["platform_fee_fen"] + facts["promo_fee_fen"]
    rows = facts[_applicants(facts) & (base > 0)]
    basis = (rows["platform_fee_fen"] + rows["promo_fee_fen"]).to_numpy()
    raw = apply_rate(basis, rate)
    amount, hit = _capped(raw, cap)
    rate_text = format_percent(rate)
    text = [f"入驻平台费 {f}、宣传推广费 {p}，合计 {b}，按 {rate_text} 计 {r}{_cap_note(h, cap)}"
            for f, p, b, r, h in zip(*_ys(rows["platform_fee_fen"], rows["promo_fee_fen"], basis, raw), hit)]
    return _lines(rid, rows, basis, amount, text), concat_reviews([])


def rule_a3w(facts, policy):
    """第三条: ``amount_each`` once per provincial overseas warehouse (an earlier award is deducted, 第七条)."""
    return _per_item("A3W", facts, policy, "省级海外仓")


def rule_a3c(facts, policy):
    """第三条: a foreign-trade service firm serving ≥ ``min_served`` firms with import+export ≥ ``min_trade``
    → ``amount``."""
    rid = "A3C"
    params = policy.rules.A3C
    min_served, threshold, award = params.min_served, params.min_trade_fen, params.amount_fen
    claimed = facts[_applicants(facts) & (facts["served_firms"] > 0)]
    ok = (claimed["served_firms"] >= min_served) & (claimed["total_y"] >= threshold)
    paid, failed = claimed[ok], claimed[~ok]
    threshold_text = _y(threshold)
    award_text = _y(award)
    text = [f"服务企业 {n} 家 ≥ {min_served} 家，海关进出口额 {t} ≥ {threshold_text}，年度奖励 {award_text}"
            for n, t in zip(paid["served_firms"], *_ys(paid["total_y"]))]
    review = _claim_review(
        failed, "申报条件不符", "服务企业数(家)", [str(n) for n in failed["served_firms"]],
        [_failed_parts((few, f"申报服务企业 {n} 家，未达到 {min_served} 家"),
                       (small, f"海关进出口额 {t}，未达到 {threshold_text}")) + "，外贸综合服务企业奖励不予计算"
         for n, t, few, small in zip(failed["served_firms"], *_ys(failed["total_y"]),
                                     failed["served_firms"] < min_served, failed["total_y"] < threshold)])
    return _lines(rid, paid, None, np.full(len(paid), award, dtype=np.int64), text), review


# --- article 4 ---------------------------------------------------------------
def rule_a4(facts, policy):
    """第四条: ``rate`` × the provincial fair subsidies (线下、线上、委托参展, summed)."""
    rid = "A4"
    rate = policy.rules.A4.rate
    rows = facts[facts["prov_sum_A4"] > 0]
    basis = rows["prov_sum_A4"].to_numpy()
    amount = apply_rate(basis, rate)
    rate_text = format_percent(rate)
    text = [f"省级展会补贴 {b}，按 {rate_text} 计 {a}" for b, a in zip(*_ys(basis, amount))]
    return _lines(rid, rows, basis, amount, text), concat_reviews([])


# --- article 5 ---------------------------------------------------------------
def rule_a5i(facts, policy):
    """第五条（一）: energy/resource imports (``energy_hs_prefixes``) ≥ ``min_import`` and 落地率 strictly above
    ``min_landing_rate`` → ``rate`` × the imports, at most ``cap``."""
    rid = "A5I"
    params = policy.rules.A5I
    threshold, rate, cap = params.min_import_fen, params.rate, params.cap_fen
    min_rate = params.min_landing_rate
    applicants = facts[_applicants(facts)]
    big = applicants["energy_import_y"] >= threshold
    landed = (applicants["landing_rate"] > min_rate).astype(bool)      # exact: nothing rounded before
    paid = applicants[big & landed]
    failed = applicants[(applicants["landing_rate"] > 0).astype(bool) & ~(big & landed)]
    raw = apply_rate(paid["energy_import_y"].to_numpy(), rate)
    amount, hit = _capped(raw, cap)
    threshold_text = _y(threshold)
    rate_text = format_percent(rate)
    min_rate_text = _percent(min_rate)
    value_t, raw_t = _ys(paid["energy_import_y"], raw)
    text = [f"能源资源类产品进口额 {v} ≥ {threshold_text}，商品落地率 {_percent(r)}，超过 {min_rate_text}，"
            f"按 {rate_text} 计 {x}{_cap_note(h, cap)}"
            for v, r, x, h in zip(value_t, paid["landing_rate"], raw_t, hit)]
    review = _claim_review(
        failed, "申报条件不符", "能源资源进口落地率(%)", [_percent(r) for r in failed["landing_rate"]],
        [_failed_parts((r <= min_rate, f"申报商品落地率 {_percent(r)}，未超过 {min_rate_text}"),
                       (e < threshold, f"海关能源资源类产品进口额 {v}，未达到 {threshold_text}"))
         + "，能源资源进口落地奖励不予计算"
         for r, e, v in zip(failed["landing_rate"], failed["energy_import_y"], *_ys(failed["energy_import_y"]))])
    return _lines(rid, paid, paid["energy_import_y"].to_numpy(), amount, text), review


def rule_a5c(facts, policy):
    """第五条（一）: coal imports (``coal_hs_prefix``) ≥ ``min_tonnes`` → ``yuan_per_tonne`` × landed tonnes
    (landed capped at imported), at most ``cap``."""
    rid = "A5C"
    params = policy.rules.A5C
    min_t, per_tonne, cap = params.min_import.tonnes, params.fen_per_tonne, params.cap_fen
    claimed = facts[_applicants(facts) & (facts["coal_landed_t"] > 0).astype(bool)]
    ok = (claimed["coal_import_t"] >= min_t).astype(bool)             # exact: nothing rounded before
    paid, failed = claimed[ok], claimed[~ok]
    declared, imported = paid["coal_landed_t"].tolist(), paid["coal_import_t"].tolist()
    landed = [min(c, i) for c, i in zip(declared, imported)]
    raw = np.array([round_half_up(t * per_tonne) for t in landed], dtype=np.int64)   # one rounding, to the fen
    amount, hit = _capped(raw, cap)
    over = np.array([c > i for c, i in zip(declared, imported)], dtype=bool)
    min_t_text = _tonnes(min_t)
    text = [f"当年煤炭进口 {_tonnes(i)} ≥ {min_t_text}，省内落地 {_tonnes(l)}"
            + (f"（企业申报 {_tonnes(c)}，超过海关进口量，按海关进口量计）" if o else "")
            + f"，按每吨 {format_yuan(per_tonne)} 元计 {x}{_cap_note(h, cap)}"
            for i, l, c, o, x, h in zip(imported, landed, declared, over, *_ys(raw), hit)]
    flagged = paid[over]
    review = concat_reviews([
        _claim_review(failed, "申报条件不符", "煤炭落地数量(吨)", [_tonnes(c) for c in failed["coal_landed_t"]],
                      [f"申报煤炭落地 {_tonnes(c)}，但海关当年煤炭进口量 {_tonnes(i)}，未达到 {min_t_text}，"
                       f"煤炭进口落地补贴不予计算" for c, i in zip(failed["coal_landed_t"], failed["coal_import_t"])]),
        _claim_review(flagged, "申报数超海关数", "煤炭落地数量(吨)", [_tonnes(c) for c in flagged["coal_landed_t"]],
                      [f"申报煤炭落地 {_tonnes(c)}，超过海关煤炭进口量 {_tonnes(i)}，按海关进口量计算"
                       for c, i in zip(flagged["coal_landed_t"], flagged["coal_import_t"])]),
    ])
    return _lines(rid, paid, None, amount, text), review


def rule_a5x(facts, policy):
    """第五条（二）: 本地加工产品出口额 (capped at the firm's customs exports) ≥ ``min_export`` → ``rate`` × it,
    at most ``cap``."""
    rid = "A5X"
    params = policy.rules.A5X
    threshold, rate, cap = params.min_export_fen, params.rate, params.cap_fen
    claimed_mask = _applicants(facts) & (facts["local_export_fen"] > 0)
    value = np.minimum(facts["local_export_fen"], facts["export_y"].clip(lower=0))   # capped at customs exports
    qualified = claimed_mask & (value >= threshold)
    paid = facts[qualified]
    basis = value[qualified].to_numpy()
    raw = apply_rate(basis, rate)
    amount, hit = _capped(raw, cap)
    over_all = claimed_mask & (facts["local_export_fen"] > facts["export_y"])
    threshold_text = _y(threshold)
    rate_text = format_percent(rate)
    text = [f"本地加工产品出口额 {b_text} ≥ {threshold_text}"
            + (f"（企业申报 {c_text}，超过海关出口额，按海关出口额计）" if c > b else "")
            + f"，按 {rate_text} 计 {x}{_cap_note(h, cap)}"
            for b, c, b_text, c_text, x, h in zip(basis, paid["local_export_fen"],
                                                  *_ys(basis, paid["local_export_fen"], raw), hit)]
    failed = facts[claimed_mask & ~qualified]
    flagged = facts[over_all]
    review = concat_reviews([
        _claim_review(failed, "申报条件不符", "本地加工产品出口额(元)",
                      yuan_texts(failed["local_export_fen"]),
                      [f"申报本地加工产品出口额 {c}"
                       + (f"，超过海关出口额 {e}，按海关出口额计" if over else "")
                       + f"，未达到 {threshold_text}，本地加工产品出口奖励不予计算"
                       for c, e, over in zip(*_ys(failed["local_export_fen"], failed["export_y"]),
                                             failed["local_export_fen"] > failed["export_y"])]),
        _claim_review(flagged, "申报数超海关数", "本地加工产品出口额(元)",
                      yuan_texts(flagged["local_export_fen"]),
                      [f"申报本地加工产品出口额 {c}，超过海关出口额 {e}，按海关出口额计算"
                       for c, e in zip(*_ys(flagged["local_export_fen"], flagged["export_y"]))]),
    ])
    return _lines(rid, paid, basis, amount, text), review


def rule_a5f(facts, policy, qualified: np.ndarray):
    """第五条（二）: ``rate`` × (银行手续费 + eligible loan interest), at most ``cap``.

    Only for the firms ``qualified`` under the rule ``requires`` names ("同时给予"; A5X in the
    shipped file). Interest per loan is capped at 本金 × LPR × 天数 / ``day_count`` (LPR last
    published on or before 发放日); rounded once at the end.
    """
    rid = "A5F"
    params = policy.rules.A5F
    rate, cap = params.rate, params.cap_fen
    den = interest_denominator(params.day_count)
    required = policy.rules[params.requires]
    wants = _applicants(facts) & ((facts["bank_fee_fen"] > 0) | (facts["loan_interest_num"] > 0))
    paid = facts[wants & qualified]
    failed = facts[wants & ~qualified]
    base_num = paid["bank_fee_fen"].to_numpy(np.int64) * np.int64(den) + paid["loan_interest_num"].to_numpy(np.int64)
    raw = round_half_up_div(base_num * np.int64(rate.numerator), den * rate.denominator)
    amount, hit = _capped(raw, cap)
    interest_fen = round_half_up_div(paid["loan_interest_num"].to_numpy(np.int64), den)
    basis = round_half_up_div(base_num, den)
    rate_text = format_percent(rate)
    fee_t, interest_t, basis_t, raw_t = _ys(paid["bank_fee_fen"], interest_fen, basis, raw)
    text = [f"银行手续费 {f}"
            + (f"、融资贷款利息 {i}（共 {n} 笔" + (f"，其中 {c} 笔实付利率高于贷款发放日1年期LPR，按LPR计" if c else "")
               + "）" if n else "")
            + f"，合计 {b}，按 {rate_text} 计 {x}{_cap_note(h, cap)}"
            for f, i, n, c, b, x, h in zip(fee_t, interest_t, paid["loan_count"], paid["loan_capped"], basis_t,
                                            raw_t, hit)]
    review = _claim_review(
        failed, "申报条件不符", "银行手续费(元)", yuan_texts(failed["bank_fee_fen"]),
        [f"{article_label(params.article)}规定银行手续费及贷款贴息补贴与{required.name}“同时给予”，"
         f"该企业未达到{required.name}条件，本项补贴不予计算"]
        * len(failed))
    return _lines(rid, paid, basis, amount, text), review


def rule_a5g(facts, policy):
    """第五条（三）: a 生产加工型 firm with import+export ≥ ``min_trade`` → ``amount_per_step`` per whole ``step``
    of increase over Y−1, at most ``cap`` (``cap_new`` when 当年新引入)."""
    rid = "A5G"
    params = policy.rules.A5G
    threshold, step, per_step = params.min_trade_fen, params.step_fen, params.amount_per_step_fen
    cap, cap_new = params.cap_fen, params.cap_new_fen
    claimed = facts[_applicants(facts) & facts["processing_type"]]
    increase = (claimed["total_y"] - claimed["total_y1"]).to_numpy()
    steps = np.where(increase > 0, increase // step, 0)
    ok = (claimed["total_y"].to_numpy() >= threshold) & (steps > 0)
    paid, failed = claimed[ok], claimed[~ok]
    raw = steps[ok] * per_step
    caps = np.where(paid["newly_introduced"].to_numpy(), cap_new, cap)
    amount, hit = _capped(raw, caps)
    threshold_text = _y(threshold)
    step_text = _y(step)
    per_step_text = _y(per_step)
    y_t, y1_t, i_t, x_t = _ys(paid["total_y"], paid["total_y1"], increase[ok], raw)
    text = [f"年度贸易额 {y} ≥ {threshold_text}，较上年 {y1}同比增量 {i}，按每增加 {step_text}奖励 {per_step_text}，"
            f"满 {s} 个计 {x}"
            + (_cap_note(h, c) if not n else
               f"，超过当年新引入企业最高奖励，按 {_y(c)}计" if h else f"（当年新引入企业最高奖励 {_y(c)}）")
            for y, y1, i, s, x, h, c, n in zip(y_t, y1_t, i_t, steps[ok], x_t, hit, caps, paid["newly_introduced"])]
    inc_failed = increase[~ok]
    params_name = policy.rules[rid].name
    review = _claim_review(
        failed, "申报条件不符", "生产加工型", ["是"] * len(failed),
        [(f"年度贸易额 {y}，未达到 {threshold_text}" if t < threshold else
          f"年度贸易额 {y}，较上年 {y1}减少 {d}，无同比增量" if i < 0 else
          f"年度贸易额 {y}，较上年 {y1}同比增量 {inc}，不足 {step_text}") + f"，{params_name}不予计算"
         for y, y1, inc, d, t, i in zip(*_ys(failed["total_y"], failed["total_y1"], inc_failed, -inc_failed),
                                        failed["total_y"], inc_failed)])
    return _lines(rid, paid, increase[ok], amount, text), review


RULES = {
    "A1": rule_a1, "A2N": rule_a2n, "A2P": rule_a2p, "A3E": rule_a3e, "A3S": rule_a3s,
    "A3W": rule_a3w, "A3C": rule_a3c, "A4": rule_a4, "A5I": rule_a5i, "A5C": rule_a5c,
    "A5X": rule_a5x, "A5F": rule_a5f, "A5G": rule_a5g,
}


def apply_rules(facts: pd.DataFrame, policy: Policy) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All rules, their lines in the policy's order, and the review rows of failed claims.

    A rule that ``requires`` another (A5F: ``requires: A5X``) is computed after it, for the firms
    the other rule pays (a line before the caps): the dependency is the policy file's, not the code's.
    """
    done: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}

    def run(rid: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        if rid not in done:
            requires = getattr(policy.rules[rid], "requires", None)
            if requires is None:
                done[rid] = RULES[rid](facts, policy)
            else:
                required_lines, _ = run(requires)
                done[rid] = RULES[rid](facts, policy, facts.index.isin(required_lines["code"]))
        return done[rid]

    for rid in policy.rule_order:
        run(rid)
    lines = [done[rid][0] for rid in policy.rule_order]
    out = pd.concat(lines, ignore_index=True) if lines else pd.DataFrame(columns=RULE_LINE_COLS)
    return out[RULE_LINE_COLS], concat_reviews([done[rid][1] for rid in policy.rule_order])
