"""One row per firm, one column per fact a rule needs. The only place that joins.

Customs rows are summed per firm (Y and Y−1 totals, cross-border e-commerce, energy
imports, coal tonnes, exports); provincial items are pivoted per rule; the
applications (企业信息) and the loan ledger (贷款台账) are joined by 统一社会信用代码.
"""
from __future__ import annotations

import unicodedata
from fractions import Fraction

import numpy as np
import pandas as pd

from .lpr import LprTable, interest_denominator
from .policy import Policy
from .reading.values import exact_quantity
from .review import empty as empty_review, review_frame
from .tables import Firms

# the applications' columns a rule or a letter reads, by kind (tables.Firms declares them)
APP_TEXT = Firms.fields_of("str")
APP_FLAGS = Firms.fields_of("bool")
APP_NUMBERS = Firms.fields_of("int64")
APP_EXACT = Firms.fields_of("exact")         # 落地率, declared tonnes: Fractions, never rounded
ZERO = Fraction(0)


def _prefix_mask(values: pd.Series, prefixes: tuple[str, ...]) -> np.ndarray:
    """``values.astype(str).str.startswith(prefixes)``, tested once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    hit = np.fromiter((str(u).startswith(prefixes) for u in uniques), dtype=bool, count=len(uniques))
    return hit[codes]


def customs_facts(customs: pd.DataFrame, year: int, policy: Policy) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-firm customs sums for year Y (and the Y−1 total), plus review rows for coal units."""
    this_year = customs["year"].to_numpy() == year
    last_year = customs["year"].to_numpy() == year - 1
    imports = customs["direction"].to_numpy() == "I"
    exports = customs["direction"].to_numpy() == "E"
    codes = policy.codes
    cbec_modes = list(codes.cross_border_trade_modes.values)
    energy = _prefix_mask(customs["hs_code"], codes.energy_hs_prefixes.values)
    coal = _prefix_mask(customs["hs_code"], (codes.coal_hs_prefix.value,))
    cbec = customs["trade_mode"].astype(str).isin(cbec_modes).to_numpy()

    coal_rows = customs.loc[this_year & imports & coal]
    unit_key = coal_rows["unit"].astype(str).str.strip()
    known = unit_key.isin(list(codes.tonnes_per_unit))
    # tonnes exactly as declared: the threshold is compared with no rounding
    per_unit = {unit: Fraction(tpu) for unit, tpu in codes.tonnes_per_unit.items()}
    exact = {q: exact_quantity(q) for q in set(coal_rows["quantity"].tolist())}
    tonnes = [exact[q] * per_unit.get(u, ZERO) for q, u in zip(coal_rows["quantity"].tolist(), unit_key.tolist())]
    coal_rows = coal_rows.assign(coal_t=pd.Series(tonnes, index=coal_rows.index, dtype=object))
    unknown_units = coal_rows.loc[~known.to_numpy()]
    review = review_frame(
        category="计量单位无法换算",
        file=unknown_units["src_file"], sheet=unknown_units["src_sheet"], row=unknown_units["src_row"],
        column="计量单位", value=unknown_units["unit"], code=unknown_units["code"], name=unknown_units["name"],
        message="煤炭进口数量的计量单位无法换算为吨，该行数量未计入煤炭进口量（金额照常计入进出口额）",
    )
    # One grouping of the year-Y and year-Y−1 rows, each sum over its own rows; a firm with
    # none of a sum's rows gets 0 (build_facts fills missing facts with 0 anyway), in int64.
    amount = customs["amount_fen"].to_numpy(np.int64)
    zero = np.int64(0)
    sums = {
        "total_y": np.where(this_year, amount, zero),
        "total_y1": np.where(last_year, amount, zero),
        "cbec_y": np.where(this_year & cbec, amount, zero),
        "energy_import_y": np.where(this_year & imports & energy, amount, zero),
        "export_y": np.where(this_year & exports, amount, zero),
    }
    in_years = this_year | last_year
    table = pd.DataFrame({name: values[in_years] for name, values in sums.items()})
    table["code"] = customs["code"].to_numpy()[in_years]
    grouped = table.groupby("code", sort=False).sum()
    parts = [grouped[name] for name in sums]
    coal_sums: dict[str, Fraction] = {}
    for code, t in zip(coal_rows["code"].tolist(), coal_rows["coal_t"].tolist()):
        coal_sums[code] = coal_sums.get(code, ZERO) + t
    parts.append(pd.Series(coal_sums, dtype=object, name="coal_import_t"))
    return pd.concat(parts, axis=1), review


def province_facts(province: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Per firm and rule: the provincial amount awarded and the number of item rows."""
    rules = sorted(policy.provincial_rules)
    sums = province.pivot_table(index="code", columns="rule_id", values="amount_fen",
                                aggfunc="sum", fill_value=0)
    counts = province.pivot_table(index="code", columns="rule_id", values="amount_fen",
                                  aggfunc="size", fill_value=0)
    sums = sums.reindex(columns=rules, fill_value=0).add_prefix("prov_sum_")
    counts = counts.reindex(columns=rules, fill_value=0).add_prefix("prov_rows_")
    first = province.drop_duplicates(["code", "rule_id"]).pivot(
        index="code", columns="rule_id", values=["src_file", "src_sheet", "src_row"])
    sources = pd.DataFrame(index=first.index)
    for rule in rules:
        for part in ("file", "sheet", "row"):
            column = ("src_" + part, rule)
            sources[f"prov_{part}_{rule}"] = first[column] if column in first.columns else None
    return pd.concat([sums, counts, sources], axis=1)


def loan_facts(loans: pd.DataFrame, policy: Policy, lpr: LprTable) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Eligible interest per firm (A5F), exact, at the common denominator of lpr.interest_denominator.

    eligible = min(实付利息, 本金 × LPR × 计息天数 / day_count) for each loan, LPR last published
    on or before the loan's 发放日. A loan dated before the table is listed for review.
    """
    den = interest_denominator(policy.rules.A5F.day_count)
    rates, found = lpr.lookup(loans["issue_date"])
    bound = loans["principal_fen"].to_numpy(np.int64) * rates * loans["days"].to_numpy(np.int64)
    paid = loans["interest_paid_fen"].to_numpy(np.int64) * np.int64(den)
    eligible = np.minimum(bound, paid)
    usable = loans.assign(eligible_num=eligible, lpr_milli_pct=rates,
                          capped_by_lpr=bound < paid).loc[found]
    early = loans.loc[~found]
    review = review_frame(
        category="贷款日期早于LPR表", file=early["src_file"], sheet=early["src_sheet"], row=early["src_row"],
        column="发放日", value=early["issue_date"].dt.strftime("%Y-%m-%d"), code=early["code"], name="",
        message=f"发放日早于LPR数据表的第一条（{lpr.first_date()}），无法确定贴息利率，该笔贷款未计入贴息",
    )
    per_firm = usable.groupby("code", sort=False).agg(
        loan_interest_num=("eligible_num", "sum"),
        loan_count=("eligible_num", "size"),
        loan_capped=("capped_by_lpr", "sum"),
    )
    return per_firm, review


def _display_key(name) -> str:
    return "".join(unicodedata.normalize("NFKC", str(name)).split())


def firm_names(frames: dict[str, pd.DataFrame]) -> tuple[pd.Series, pd.DataFrame]:
    """The name shown for each firm and review rows where files disagree.

    Precedence: the applications workbook, then the provincial list, then customs
    (INPUTS.md: "the name in the applications workbook wins for letters").
    """
    stacked = []
    for rank, (label, frame) in enumerate(frames.items()):
        if len(frame):
            part = frame[["code", "name", "src_file"]].drop_duplicates()
            part["rank"] = rank
            stacked.append(part)
    if not stacked:
        return pd.Series(dtype=object), empty_review()
    names = pd.concat(stacked, ignore_index=True)
    names = names[names["name"].astype(str).str.strip() != ""]
    names["key"] = names["name"].map(_display_key)
    chosen = names.sort_values("rank", kind="stable").drop_duplicates("code").set_index("code")["name"]
    distinct = names.drop_duplicates(["code", "key"])
    conflicted = distinct[distinct.duplicated("code", keep=False)]
    rows = []
    for code, group in conflicted.groupby("code", sort=True):
        listing = "；".join(f"{f}：{n}" for f, n in zip(group["src_file"], group["name"]))
        rows.append({"code": code, "name": chosen.get(code, ""), "listing": listing})
    conflict = pd.DataFrame(rows, columns=["code", "name", "listing"])
    review = review_frame(
        category="名称不一致", file="", sheet="", row=None, column="企业名称", value=conflict["name"],
        code=conflict["code"], name=conflict["name"],
        message=("同一统一社会信用代码在不同文件中的企业名称不一致（" + conflict["listing"]
                 + "），通知书采用企业申报汇总中的名称"),
    )
    return chosen, review


def build_facts(bundle, policy: Policy, lpr: LprTable) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The facts table (index: code) and the review rows the joins produce."""
    customs, customs_review = customs_facts(bundle.customs, bundle.year, policy)
    province = province_facts(bundle.province, policy)
    loans, loan_review = loan_facts(bundle.loans, policy, lpr)
    firms = bundle.firms.drop_duplicates("code").set_index("code")
    app = firms[APP_TEXT + APP_FLAGS + APP_NUMBERS + APP_EXACT].copy()
    app["has_app"] = True
    app["app_src_file"] = firms["src_file"]
    app["app_src_sheet"] = firms["src_sheet"]
    app["app_src_row"] = firms["src_row"]
    names, name_review = firm_names({"app": bundle.firms, "province": bundle.province,
                                     "customs": bundle.customs})
    codes = sorted(set(customs.index) | set(province.index) | set(app.index) | set(bundle.held_codes))
    facts = pd.DataFrame(index=pd.Index(codes, name="code"))
    facts = facts.join(customs).join(province).join(app).join(loans)
    facts["name"] = names.reindex(facts.index).fillna("").astype(str)
    money_cols = (["total_y", "total_y1", "cbec_y", "energy_import_y", "export_y",
                   "loan_interest_num", "loan_count", "loan_capped"]
                  + [c for c in facts.columns if c.startswith(("prov_sum_", "prov_rows_"))] + APP_NUMBERS)
    for column in money_cols:
        facts[column] = facts[column].fillna(0).astype(np.int64)
    for column in APP_EXACT + ["coal_import_t"]:
        facts[column] = pd.Series([v if isinstance(v, Fraction) else ZERO for v in facts[column]],
                                  index=facts.index, dtype=object)
    for column in APP_FLAGS + ["has_app"]:
        facts[column] = facts[column].fillna(False).astype(bool)
    for column in APP_TEXT + ["app_src_file", "app_src_sheet"]:
        facts[column] = facts[column].fillna("").astype(str)
    facts["app_src_row"] = facts["app_src_row"].astype("Int64")
    facts["held"] = facts.index.isin(list(bundle.held_codes))
    review = pd.concat([customs_review, loan_review, name_review], ignore_index=True)
    return facts, review
