"""End to end: run process.py on input_samples/ and compare with the hand-derived figures.

The expectations live in tests/expected_samples.py (worked out by hand from spec/POLICY.md).
The sample inputs are written by ``python tools/make_inputs.py --out input_samples``.
"""
from __future__ import annotations

import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import expected_samples as E  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PROCESS = REPO / "process.py"
INPUT = REPO / "input_samples"
BOOK_NAME = f"{E.YEAR}年度外贸奖励兑现表.xlsx"

CODE = "统一社会信用代码"
PAYOUT = "兑现金额(元)"
RULE = "规则编号"
COMPUTED = "测算金额(元)"
OFFSET = "从高不重复抵扣(元)"
ART5 = "第五条封顶核减(元)"
BUDGET = "预算核减(元)"
APPROVED = "核定金额(元)"


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------
def fen(value) -> int:
    """A money cell (number, or text like '1,234.56') as integer fen, exact to 2 dp."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return 0
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if text in ("", "-", "—"):
            return 0
        number = Decimal(text)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        number = Decimal(int(value)) if float(value).is_integer() else Decimal(repr(float(value)))
    return int((number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def yuan(fen_value: int) -> str:
    sign = "-" if fen_value < 0 else ""
    whole, cents = divmod(abs(fen_value), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def read_table(book: Path, sheet: str, required: list[str]) -> pd.DataFrame:
    """A sheet as a table whose header is the first row holding every required column."""
    raw = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object, engine="openpyxl")
    for i in range(min(len(raw), 15)):
        cells = [text(v) for v in raw.iloc[i].tolist()]
        if all(col in cells for col in required):
            frame = raw.iloc[i + 1:].copy()
            frame.columns = [c if c else f"_col{j}" for j, c in enumerate(cells)]
            return frame.reset_index(drop=True)
    raise AssertionError(f"{book.name} / {sheet}: no header row with {required}")


def firm_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the totals row (empty code or 合计/总计) and blank rows."""
    codes = frame[CODE].map(text)
    keep = (codes != "") & ~codes.isin(["合计", "总计", "小计"])
    return frame.loc[keep].assign(**{CODE: codes[keep]})


def run_process(out_dir: Path, budget_mode: str | None) -> dict:
    if not PROCESS.exists():
        pytest.skip("process.py is not in the repository yet")
    cmd = [sys.executable, str(PROCESS), "--input", str(INPUT), "--output", str(out_dir),
           "--year", str(E.YEAR), "--no-letters"]
    if budget_mode:
        cmd += ["--budget-mode", budget_mode]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, (f"process.py exit {proc.returncode}\n--- stdout\n{proc.stdout}"
                                  f"\n--- stderr\n{proc.stderr}")
    runs = [p for p in out_dir.iterdir() if p.is_dir()]
    assert len(runs) == 1, f"expected one run folder in {out_dir}, found {runs}"
    book = runs[0] / BOOK_NAME
    assert book.exists(), f"{BOOK_NAME} not written in {runs[0]}"
    firms = firm_rows(read_table(book, "企业汇总", [CODE, PAYOUT]))
    lines = read_table(book, "明细", [CODE, RULE, COMPUTED, OFFSET, ART5, APPROVED])
    lines = lines.assign(**{CODE: lines[CODE].map(text), RULE: lines[RULE].map(text)})
    lines = lines.loc[lines[RULE].isin(E.RULE_ORDER) & (lines[CODE] != "")].reset_index(drop=True)
    review = pd.read_excel(book, sheet_name="待核查", header=None, dtype=object, engine="openpyxl")
    return {"book": book, "proc": proc, "firms": firms, "lines": lines, "review": review}


@pytest.fixture(scope="module")
def report_run(tmp_path_factory):
    return run_process(tmp_path_factory.mktemp("e2e_report"), None)


@pytest.fixture(scope="module")
def prorate_run(tmp_path_factory):
    return run_process(tmp_path_factory.mktemp("e2e_prorate"), "prorate")


def payouts(run) -> dict[str, int]:
    firms = run["firms"]
    dup = firms[CODE][firms[CODE].duplicated()].tolist()
    assert not dup, f"firms listed twice in 企业汇总: {dup}"
    return {code: fen(v) for code, v in zip(firms[CODE], firms[PAYOUT])}


def line_table(run) -> dict[tuple[str, str], dict]:
    lines = run["lines"]
    keys = list(zip(lines[CODE], lines[RULE]))
    dup = sorted({k for k in keys if keys.count(k) > 1})
    assert not dup, f"rule lines listed twice in 明细: {dup}"
    return {(c, r): {"computed": fen(row[COMPUTED]), "offset": fen(row[OFFSET]),
                     "art5_cut": fen(row[ART5]), "approved": fen(row[APPROVED]),
                     "budget_cut": fen(row[BUDGET]) if BUDGET in lines.columns else 0}
            for (c, r), (_, row) in zip(keys, lines.iterrows())}


def rule_totals(run) -> dict[str, int]:
    totals = {rule: 0 for rule in E.RULE_ORDER}
    for (_, rule), line in line_table(run).items():
        totals[rule] += line["approved"]
    return totals


# ------------------------------------------------------------------------------------------
# the checks
# ------------------------------------------------------------------------------------------
def test_expectations_are_self_consistent():
    """The hand-written tables add up (lines → firm payouts → rule totals → grand total)."""
    totals = {rule: 0 for rule in E.RULE_ORDER}
    for code, exp in E.EXPECTED.items():
        rules = {k: v for k, v in exp.items() if k in E.RULE_ORDER}
        assert sum(rules.values()) == exp["payout"], exp["key"]
        for rule, value in rules.items():
            totals[rule] += value
    assert totals == E.RULE_TOTALS
    assert sum(E.RULE_TOTALS.values()) == E.GRAND_TOTAL_FEN
    assert E.GRAND_TOTAL_FEN <= E.FUND_FEN
    for (code, rule), d in E.DEDUCTIONS.items():
        assert d["computed"] - d["offset"] - d["art5_cut"] == E.EXPECTED[code][rule], (code, rule)


def test_every_firm_payout(report_run):
    got = payouts(report_run)
    problems = []
    for code, exp in E.EXPECTED.items():
        if code not in got:
            problems.append(f"{exp['key']} {code} {exp['name']}: missing from 企业汇总")
        elif got[code] != exp["payout"]:
            problems.append(f"{exp['key']} {code}: 兑现金额 {yuan(got[code])} != expected {yuan(exp['payout'])}")
    for code, value in got.items():
        if code not in E.EXPECTED and value != 0:
            problems.append(f"{code}: unexpected 兑现金额 {yuan(value)} ({E.NO_AWARD.get(code, 'not in samples')})")
    assert not problems, "\n".join(problems)


def test_firm_names(report_run):
    firms = report_run["firms"]
    if "企业名称" not in firms.columns:
        pytest.fail("企业汇总 has no 企业名称 column")
    names = dict(zip(firms[CODE], firms["企业名称"].map(text)))
    wrong = [f"{e['key']} {c}: {names.get(c)!r} != {e['name']!r}"
             for c, e in E.EXPECTED.items() if c in names and names[c] != e["name"]]
    assert not wrong, "\n".join(wrong)


def test_every_line(report_run):
    got = line_table(report_run)
    problems = []
    for code, exp in E.EXPECTED.items():
        for rule in E.RULE_ORDER:
            if rule not in exp:
                continue
            want = exp[rule]
            line = got.get((code, rule))
            if line is None:
                if want != 0:
                    problems.append(f"{exp['key']} {code} {rule}: line missing (expected {yuan(want)})")
                continue
            if line["approved"] != want:
                problems.append(f"{exp['key']} {code} {rule}: 核定金额 {yuan(line['approved'])} != {yuan(want)}")
            d = E.DEDUCTIONS.get((code, rule), dict(computed=want, offset=0, art5_cut=0))
            for key, label in (("computed", COMPUTED), ("offset", OFFSET), ("art5_cut", ART5)):
                if line[key] != d[key]:
                    problems.append(f"{exp['key']} {code} {rule}: {label} {yuan(line[key])} != {yuan(d[key])}")
            if line["budget_cut"] != 0:
                problems.append(f"{exp['key']} {code} {rule}: 预算核减 {yuan(line['budget_cut'])} != 0.00")
    for (code, rule), line in got.items():
        expected_here = code in E.EXPECTED and rule in E.EXPECTED[code]
        if not expected_here and line["approved"] != 0:
            problems.append(f"{code} {rule}: unexpected line 核定金额 {yuan(line['approved'])}")
    assert not problems, "\n".join(problems)


def test_rule_totals(report_run):
    totals = rule_totals(report_run)
    wrong = [f"{rule}: {yuan(totals[rule])} != {yuan(E.RULE_TOTALS[rule])}"
             for rule in E.RULE_ORDER if totals[rule] != E.RULE_TOTALS[rule]]
    assert not wrong, "\n".join(wrong)
    assert sum(totals.values()) == E.GRAND_TOTAL_FEN
    assert sum(payouts(report_run).values()) == E.GRAND_TOTAL_FEN


def test_summary_sheet_rule_amounts(report_run):
    """汇总: one row per rule with 规则编号 and 金额(元)."""
    raw = pd.read_excel(report_run["book"], sheet_name="汇总", header=None, dtype=object,
                        engine="openpyxl")
    found = {}
    for i in range(len(raw)):
        cells = [text(v) for v in raw.iloc[i].tolist()]
        if RULE in cells and "金额(元)" in cells:
            rule_col, amount_col = cells.index(RULE), cells.index("金额(元)")
            for j in range(i + 1, len(raw)):
                rule = text(raw.iat[j, rule_col])
                if rule in E.RULE_ORDER:
                    found[rule] = fen(raw.iat[j, amount_col])
            break
    assert found, "汇总: no table with 规则编号 and 金额(元)"
    wrong = [f"{rule}: {yuan(found.get(rule, 0))} != {yuan(E.RULE_TOTALS[rule])}"
             for rule in E.RULE_ORDER if found.get(rule, 0) != E.RULE_TOTALS[rule]]
    assert not wrong, "\n".join(wrong)


def test_review_cases_listed(report_run):
    review = report_run["review"]
    cells = {text(v) for v in review.to_numpy().ravel().tolist()}
    blob = "\n".join(cells)
    missing = [f"{label}: {value}" for label, value in E.REVIEW_CASES
               if value not in cells and value not in blob]
    assert not missing, "not listed in 待核查:\n" + "\n".join(missing)


def test_review_status(report_run):
    firms = report_run["firms"]
    assert "状态" in firms.columns, "企业汇总 has no 状态 column"
    status = dict(zip(firms[CODE], firms["状态"].map(text)))
    wrong = [f"{c}: {status.get(c)!r} != {level!r}" for c, level in E.STATUS_REVIEW.items()
             if status.get(c) != level]
    assert not wrong, "状态:\n" + "\n".join(wrong)
    others = {s for c, s in status.items() if c not in E.STATUS_REVIEW}
    assert others <= {"正常", "需核实"}, others        # a failed claim never holds a payment


def test_total_rows_skipped(report_run):
    """数据核对 (or the console) reports the 合计/总计 rows skipped: 3 in all."""
    raw = pd.read_excel(report_run["book"], sheet_name="数据核对", header=None, dtype=object,
                        engine="openpyxl")
    for i in range(min(len(raw), 15)):
        cells = [text(v) for v in raw.iloc[i].tolist()]
        cols = [j for j, c in enumerate(cells) if ("合计" in c or "总计" in c or "跳过" in c)
                and "行" in c]
        if cols:
            col = cols[0]
            body = raw.iloc[i + 1:]
            # the file name sits in the first text column; skip a totals line of the sheet itself
            first = body.iloc[:, 0].map(text)
            body = body.loc[~first.isin(["合计", "总计"])]
            counts = [int(fen(v) // 100) for v in body.iloc[:, col].tolist() if text(v) != ""]
            assert sum(counts) == E.TOTAL_ROWS_SKIPPED_ALL, f"{cells[col]}: {counts}"
            return
    pytest.fail("数据核对: no column for the total rows skipped")


def test_prorate_mode_same_totals(report_run, prorate_run):
    """The samples stay below the fund: prorate changes nothing."""
    assert E.GRAND_TOTAL_FEN < E.FUND_FEN
    assert payouts(prorate_run) == payouts(report_run)
    assert rule_totals(prorate_run) == E.RULE_TOTALS
    cuts = [f"{c} {r}: {yuan(l['budget_cut'])}" for (c, r), l in line_table(prorate_run).items()
            if l["budget_cut"] != 0]
    assert not cuts, "预算核减 applied although the fund is not exceeded:\n" + "\n".join(cuts)
    assert sum(payouts(prorate_run).values()) == E.GRAND_TOTAL_FEN


def test_inputs_untouched_by_run(report_run):
    """The run never writes into the input folder."""
    names = sorted(p.name for p in INPUT.iterdir())
    assert names == sorted(E.TOTAL_ROWS_SKIPPED), names
