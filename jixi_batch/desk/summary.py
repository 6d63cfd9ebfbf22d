"""What the desk's pages show of a run: the outcome of batch.run reduced to plain JSON data.

The summary is written once, when the desk finishes a run, to ``<output>/.desk/<run>.json`` (outside the
run folder, which stays exactly what the command line writes). A run folder without one (made on the
command line, or before the desk existed) is shown with its files only.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from ..money import format_yuan, percent_of

SUMMARY_DIR = ".desk"
RUN_NAME = re.compile(r"^(\d{4})年度_(\d{8})-(\d{6})(?:_(\d+))?$")


def yuan(fen) -> str:
    return format_yuan(int(fen)) if fen is not None and fen == fen else ""


def file_url(run: str, name: str) -> str:
    return f"/api/runs/{quote(run)}/files/{quote(name)}"


def downloads(folder: Path) -> dict[str, str]:
    """The documents of a run folder a clerk downloads, by key, as URLs of the file endpoint."""
    run = folder.name
    found: dict[str, str] = {}

    def first(key: str, pattern: str) -> None:
        hits = sorted(folder.glob(pattern))
        if hits:
            found[key] = file_url(run, hits[0].relative_to(folder).as_posix())

    first("workbook", "*兑现表.xlsx")
    first("payment_list", "*拨付清单.xlsx")
    first("publicity_xlsx", "*公示）.xlsx")
    first("publicity_docx", "*公示）.docx")
    first("letters", "通知书/全部通知书.docx")
    first("letters_pdf", "通知书/全部通知书.pdf")
    if any(p.suffix == ".docx" and p.name != "全部通知书.docx" for p in (folder / "通知书").rglob("*.docx")) \
            if (folder / "通知书").is_dir() else False:
        found["letters_zip"] = f"/api/runs/{quote(run)}/letters.zip"
    return found


DOWNLOAD_LABELS = {
    "workbook": "兑现表（.xlsx）",
    "payment_list": "资金拨付清单（.xlsx）",
    "publicity_xlsx": "拟兑现企业名单（公示，.xlsx）",
    "publicity_docx": "拟兑现企业名单（公示，.docx）",
    "letters": "合并通知书（.docx）",
    "letters_pdf": "合并通知书（PDF）",
    "letters_zip": "全部单份通知书（.zip）",
}


def summarize(outcome) -> dict:
    """The page's data of a finished run (batch.RunOutcome)."""
    result = outcome.result
    firms = result.firms
    lines = result.lines
    rules = []
    for rule in result.rules:
        column = firms[rule.rule_id] if rule.rule_id in firms.columns else None
        total = int(column.sum()) if column is not None else 0
        paid = int((column > 0).sum()) if column is not None else 0
        rules.append({"id": rule.rule_id, "name": rule.name, "article": rule.article,
                      "total": yuan(total), "firms": paid})
    by_code: dict[str, list[dict]] = {}
    for row in lines.to_dict("records"):
        cuts = []
        for key, label in (("offset_fen", "从高不重复抵减"), ("art5_cut_fen", "第五条封顶核减"),
                           ("budget_cut_fen", "专项资金压减")):
            if row.get(key):
                cuts.append(f"{label} {yuan(row[key])} 元")
        by_code.setdefault(row["code"], []).append({
            "rule": row["rule_name"], "article": row["article"], "computed": yuan(row["computed_fen"]),
            "approved": yuan(row["approved_fen"]), "cuts": "；".join(cuts), "explanation": row["explanation"]})
    firm_rows = []
    for row in firms.to_dict("records"):
        firm_rows.append({"seq": int(row["seq"]), "code": row["code"], "name": row["name"],
                          "district": row["district"] or "（未填县区）", "status": row["status"],
                          "payout": yuan(row["payout_fen"]), "lines": by_code.get(row["code"], [])})
    review: dict[str, list[dict]] = {}
    for row in result.review.to_dict("records"):
        where = "，".join(str(v) for v in (row.get("文件"), row.get("工作表"),
                                           f"第{row['行号']}行" if row.get("行号") not in (None, "") else None)
                         if v not in (None, "") and v == v)
        review.setdefault(row["级别"], []).append({
            "category": row["类别"], "firm": row.get("企业名称") or "", "code": row.get("统一社会信用代码") or "",
            "where": where, "note": row["说明"], "advice": row["处理建议"]})
    unclaimed = []
    if result.unclaimed is not None:
        for row in result.unclaimed.to_dict("records"):
            unclaimed.append({"code": row["统一社会信用代码"], "firm": row["企业名称"], "rule": row["规则名称"],
                              "basis": row["海关数据依据"], "missing": row["缺少的申报项"],
                              "bound": yuan(row.get("bound_fen")), "contact": row.get("联系方式", "")})
    fund = result.fund_fen
    return {
        "run": outcome.folder.name, "year": result.year, "run_time": result.run_time,
        "total": yuan(result.total_fen), "fund": yuan(fund),
        "share": percent_of(result.total_fen, fund) if fund else "—",
        "over_fund": bool(fund and result.total_before_budget_fen > fund),
        "before_budget": yuan(result.total_before_budget_fen), "budget_mode": result.budget_mode,
        "rules": rules, "firms": firm_rows, "review": review, "review_count": len(result.review),
        "unclaimed": unclaimed, "lines": list(outcome.lines), "warnings": list(result.warnings),
    }


def save_summary(output: Path, data: dict) -> None:
    folder = output / SUMMARY_DIR
    folder.mkdir(exist_ok=True)
    (folder / f"{data['run']}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def load_summary(output: Path, run: str) -> dict | None:
    path = output / SUMMARY_DIR / f"{run}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def list_runs(output: Path) -> list[Path]:
    """The finished run folders in ``output``, newest first (by the time in the name, then the number)."""
    try:
        entries = list(output.iterdir())
    except OSError:
        return []
    runs = [p for p in entries if RUN_NAME.match(p.name) and p.is_dir() and not p.is_symlink()]

    def key(path: Path):
        m = RUN_NAME.match(path.name)
        return (m.group(2), m.group(3), int(m.group(4) or 1), m.group(1))

    return sorted(runs, key=key, reverse=True)
