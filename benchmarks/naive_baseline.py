"""A naive baseline: a representative subset of the rules as a per-row Python loop over openpyxl.

This is what the batch would look like written the obvious way, and it exists only so the
README can show the factor between that and the vectorised program. It covers
per-firm totals from the customs rows (Y and Y−1 trade, Y exports) and the rules
A1 (大型外贸主体市级奖励), A5X (本地加工产品出口奖励) and A5G (生产加工型企业增量奖励),
each rule's 测算金额 in integer fen, and writes them to an .xlsx with openpyxl. It is not a
second implementation of the program: it assumes the clean, canonical layout that
``tools/make_inputs.py --scale-*`` writes (title line, header row, 合计 row; no aliases, no
万元, no bad cells) and leaves out review rows, 从高不重复, the 第五条 cap and the fund.

    python benchmarks/naive_baseline.py INPUT_DIR [--year 2023] [--out FILE.xlsx] [--json]

With ``--json`` it prints {"seconds": ..., "rules": {"A1": fen, ...}, "firms": n} so the
benchmark can check its sums against the program's 明细 (测算金额 per rule).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jixi_batch.policy import default_policy_path, load_policy  # noqa: E402  (parameters only)


def to_fen(value) -> int:
    if value is None or value == "":
        return 0
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).replace(",", ""))
    return int((number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_text(rate) -> Decimal:
    """A policy rate (an exact fraction of 1) in percent: Fraction(1, 50) -> Decimal('2')."""
    return Decimal(rate.numerator) * 100 / Decimal(rate.denominator)


def rate_of(fen: int, percent: Decimal) -> int:
    return int((Decimal(fen) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def sheet_rows(path: Path, sheet: str | None = None):
    """(header -> index, data rows) of one sheet: header = first row with 统一社会信用代码."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = book[sheet] if sheet else book.worksheets[0]
    header = None
    for row in ws.iter_rows(values_only=True):
        if header is None:
            if "统一社会信用代码" in row:
                header = {str(h): i for i, h in enumerate(row) if h is not None}
            continue
        if any(isinstance(v, str) and v.strip() in ("合计", "总计", "小计") for v in row[:3]):
            continue
        if row[header["统一社会信用代码"]] in (None, ""):
            continue
        yield header, row
    book.close()


def classify(folder: Path) -> dict[str, Path]:
    roles = {}
    for path in sorted(folder.glob("*.xlsx")):
        book = openpyxl.load_workbook(path, read_only=True)
        names = book.sheetnames
        book.close()
        if "企业信息" in names:
            roles["applications"] = path
        elif "奖励" in path.name or "省" in path.name:
            roles["province"] = path
        else:
            roles["customs"] = path
    return roles


def run(folder: Path, year: int, out: Path | None) -> dict:
    policy = load_policy(default_policy_path(year))
    roles = classify(folder)
    total_y: dict[str, int] = {}
    total_y1: dict[str, int] = {}
    export_y: dict[str, int] = {}
    for h, row in sheet_rows(roles["customs"]):
        code = str(row[h["统一社会信用代码"]]).strip().upper()
        ym = int(row[h["年月"]])
        fen = to_fen(row[h["金额(元)"]])
        if ym // 100 == year:
            total_y[code] = total_y.get(code, 0) + fen
            if str(row[h["进出口"]]).strip() in ("出口", "E"):
                export_y[code] = export_y.get(code, 0) + fen
        elif ym // 100 == year - 1:
            total_y1[code] = total_y1.get(code, 0) + fen
    province_a1: dict[str, int] = {}
    for h, row in sheet_rows(roles["province"]):
        if policy.province_items.get(str(row[h["奖励项目"]]).strip()) == "A1":
            code = str(row[h["统一社会信用代码"]]).strip().upper()
            province_a1[code] = province_a1.get(code, 0) + to_fen(row[h["省级奖励金额(元)"]])
    seen: dict[str, int] = {}
    apps = []
    for h, row in sheet_rows(roles["applications"], "企业信息"):
        code = str(row[h["统一社会信用代码"]]).strip().upper()
        seen[code] = seen.get(code, 0) + 1
        apps.append((code, h, row))

    awards: dict[str, dict[str, int]] = {}
    a1, a5x, a5g = policy.rules.A1, policy.rules.A5X, policy.rules.A5G
    a1_min, a1_rate = a1.min_increase_fen, percent_text(a1.rate)
    for code, award in province_a1.items():
        if award > 0 and total_y.get(code, 0) - total_y1.get(code, 0) >= a1_min:
            awards.setdefault(code, {})["A1"] = rate_of(award, a1_rate)
    x_min, x_rate, x_cap = a5x.min_export_fen, percent_text(a5x.rate), a5x.cap_fen
    g_min, g_step, g_each = a5g.min_trade_fen, a5g.step_fen, a5g.amount_per_step_fen
    g_cap, g_cap_new = a5g.cap_fen, a5g.cap_new_fen
    for code, h, row in apps:
        if seen[code] > 1:          # 重复申报: application rules held
            continue
        local = to_fen(row[h["本地加工产品出口额(元)"]])
        if local > 0:
            value = min(local, max(export_y.get(code, 0), 0))
            if value >= x_min:
                awards.setdefault(code, {})["A5X"] = min(rate_of(value, x_rate), x_cap)
        if str(row[h["生产加工型"]]).strip() == "是":
            y, y1 = total_y.get(code, 0), total_y1.get(code, 0)
            steps = (y - y1) // g_step if y > y1 else 0
            if y >= g_min and steps > 0:
                cap = g_cap_new if str(row[h["当年新引入"]]).strip() == "是" else g_cap
                awards.setdefault(code, {})["A5G"] = min(steps * g_each, cap)

    if out is not None:
        book = openpyxl.Workbook()
        ws = book.active
        ws.append(["统一社会信用代码", "海关进出口额(元)", "上年(元)", "A1(元)", "A5X(元)", "A5G(元)"])
        for code in sorted(awards):
            a = awards[code]
            ws.append([code, total_y.get(code, 0) / 100, total_y1.get(code, 0) / 100,
                       a.get("A1", 0) / 100, a.get("A5X", 0) / 100, a.get("A5G", 0) / 100])
        book.save(out)
    sums = {rid: sum(a.get(rid, 0) for a in awards.values()) for rid in ("A1", "A5X", "A5G")}
    return {"rules": sums, "firms": len(awards)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    result = run(args.input, args.year, args.out)
    result["seconds"] = time.perf_counter() - start
    if args.json:
        print(json.dumps(result))
    else:
        print(f"naive baseline: {result['seconds']:.1f} s, {result['firms']} firms, rules {result['rules']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
