"""The 公示名单 `<Y>年度外贸奖励拟兑现企业名单（公示）.xlsx` (OUTPUTS.md "Documents for each step of the
payout"); the same list as a 公文-style Word document is made by ``publicity_docx``.

Every firm with 兑现金额 > 0 is listed, 暂缓拨付 firms included: the 公示 makes the proposed awards
public, while 暂缓拨付 is about whether the payee details are sure enough to send money now (README).
Columns: 序号, 企业名称, 统一社会信用代码, 所属县区, 奖励项目 (the names of the rules with a 核定金额
above 0, joined with 、), 拟兑现金额(元). Above the table: the title and the 公示 text — the 公示期,
from RunResult.publicity_start for policy.procedure.publicity_working_days working days (Monday to
Friday), and where objections go (policy.procedure.objection_contact; the sentence is left out when
it is empty, and the run warns). Below: the issuing bodies and the date. Nothing else about a firm —
no bank account, address, contact person or telephone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import model
from .doc_dates import chinese_date, working_day_end
from .money import format_yuan
from .policy import Policy
from .xlsx_style import (
    HEADER_ROW,
    SUBTITLE_ROW,
    TITLE_ROW,
    Styles,
    display_width,
    finish_table,
    max_display_width,
    money_width,
    setup_page,
    wrapped_lines,
    write_header,
    write_paragraph,
    write_total_row,
    write_xlsx,
)

HEADERS = ["序号", "企业名称", "统一社会信用代码", "所属县区", "奖励项目", "拟兑现金额(元)"]
AMOUNT_COL = HEADERS.index("拟兑现金额(元)")
ITEMS_WIDTH = 40


def publicity_filename(year: int, suffix: str = ".xlsx") -> str:
    return f"{year}年度外贸奖励拟兑现企业名单（公示）{suffix}"


def missing_contact_warning(policy: Policy) -> str | None:
    """The console warning when the policy file names no place for objections."""
    if policy.procedure.objection_contact.strip():
        return None
    return ("政策参数文件未填写公示异议的受理单位和联系方式，"
            "公示名单中未写异议受理的句子；请补充后重新运行，或在公示前补上")


@dataclass(frozen=True)
class Entry:
    name: str
    code: str
    district: str
    items: str
    amount_fen: int


@dataclass(frozen=True)
class Publicity:
    """What the 公示 says, for the workbook and the Word document alike."""

    year: int
    title: str
    entries: list[Entry]
    start: date
    end: date
    working_days: int
    paragraphs: list[str]          # the 公示 text, one sentence group a paragraph
    bodies: tuple[str, ...]        # 落款
    date: date                     # 落款 date: the first day of the 公示

    @property
    def total_fen(self) -> int:
        return sum(e.amount_fen for e in self.entries)

    @property
    def list_title(self) -> str:
        return f"{self.year}年度鸡西市外贸发展奖励拟兑现企业名单"

    @property
    def period(self) -> str:
        return f"{chinese_date(self.start)}至{chinese_date(self.end)}"


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _items(lines) -> dict[str, str]:
    """Each firm's award items: the names of its lines with 核定金额 > 0, in rule order, joined with 、."""
    if lines is None or len(lines) == 0:
        return {}
    paid = lines[lines["approved_fen"] > 0]
    out: dict[str, list[str]] = {}
    for code, name in zip(paid["code"], paid["rule_name"]):
        names = out.setdefault(code, [])
        if name not in names:
            names.append(name)
    return {code: "、".join(names) for code, names in out.items()}


def publicity(result: model.RunResult) -> Publicity:
    policy = result.policy
    items = _items(result.lines)
    entries: list[Entry] = []
    firms = result.firms
    if firms is not None and len(firms):
        paid = firms[firms["payout_fen"] > 0].sort_values("seq", kind="stable")
        for name, code, district, amount in zip(paid["name"], paid["code"], paid["district"], paid["payout_fen"]):
            entries.append(Entry(_text(name), _text(code), _text(district), items.get(code, ""), int(amount)))
    days = policy.procedure.publicity_working_days
    start = result.publicity_start
    end = working_day_end(start, days)
    total = sum(e.amount_fen for e in entries)
    paragraphs = [
        f"根据{policy.title}，经企业申报、数据核对和逐项计算，现将{result.year}年度外贸发展奖励拟兑现企业名单"
        f"予以公示。名单共 {len(entries)} 户企业，拟兑现金额合计 {format_yuan(total)} 元。",
        f"公示期：{chinese_date(start)}至{chinese_date(end)}（{days}个工作日）。",
    ]
    contact = policy.procedure.objection_contact.strip().rstrip("。；;，,.")
    if contact:
        paragraphs.append(f"公示期间如有异议，请以书面形式向以下单位反映：{contact}。")
    return Publicity(
        year=result.year, title=f"关于{result.year}年度鸡西市外贸发展奖励拟兑现企业名单的公示",
        entries=entries, start=start, end=end, working_days=days, paragraphs=paragraphs,
        bodies=tuple(policy.meta.issuing_bodies), date=start,
    )


def write_publicity_xlsx(pub: Publicity, path: Path, preparer: str) -> None:
    """The 公示名单 as a workbook: title, 公示 text, the list with a total, the 落款."""

    def fill(wb, styles: Styles) -> None:
        _write_sheet(wb, styles, pub)

    write_xlsx(path, fill, {"title": pub.title, "subject": "外贸发展奖励拟兑现企业名单公示", "author": preparer})


def _write_sheet(wb, styles: Styles, pub: Publicity) -> None:
    ws = wb.add_worksheet(model.SHEET_PUBLICITY)
    entries = pub.entries
    ncols = len(HEADERS)
    widths = [
        6,
        min(max(max_display_width([e.name for e in entries]) + 2, 24), 36),
        20,
        max(max_display_width([e.district for e in entries]) + 2, 10),
        min(max(max_display_width([e.items for e in entries]) + 2, 20), ITEMS_WIDTH),
        max(money_width([pub.total_fen]) + 2, display_width(HEADERS[AMOUNT_COL]) + 2),
    ]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w, styles.col_text if c not in (0, AMOUNT_COL) else None)

    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, ncols - 1, pub.title, styles.doc_title)
    ws.set_row(TITLE_ROW, 30)
    text = "\n".join("　　" + p for p in pub.paragraphs)
    lines = sum(wrapped_lines("　　" + p, sum(widths) + ncols, 11) for p in pub.paragraphs)
    write_paragraph(ws, styles, SUBTITLE_ROW, ncols, text, 15 * lines + 6)
    ws.merge_range(HEADER_ROW - 1, 0, HEADER_ROW - 1, ncols - 1, "单位：元", styles.meta_right)
    write_header(ws, HEADERS, styles, HEADER_ROW)
    r = HEADER_ROW + 1
    for i, e in enumerate(entries, 1):
        n_lines = max(wrapped_lines(e.items, widths[4]), wrapped_lines(e.name, widths[1]))
        if n_lines > 1:
            ws.set_row(r, 14 * n_lines + 3)
        ws.write_number(r, 0, i, styles.int_center)
        ws.write_string(r, 1, e.name, styles.wrap)
        ws.write_string(r, 2, e.code, styles.text)
        if e.district:
            ws.write_string(r, 3, e.district, styles.text)
        else:
            ws.write_blank(r, 3, None, styles.text)
        ws.write_string(r, 4, e.items, styles.wrap)
        ws.write_number(r, 5, e.amount_fen / 100, styles.money)
        r += 1
    last_data = r - 1
    write_total_row(ws, styles, r, len(entries), (2, 3, 4), AMOUNT_COL, HEADER_ROW + 1, pub.total_fen)
    r += 2
    for line in (*pub.bodies, chinese_date(pub.date)):
        ws.merge_range(r, 3, r, ncols - 1, line, styles.sign_right)
        r += 1
    finish_table(ws, ncols, last_data, HEADER_ROW)
    setup_page(ws, pub.title, HEADER_ROW)
