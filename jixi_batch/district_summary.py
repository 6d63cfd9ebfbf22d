"""The 县区汇总 sheet of the payout workbook: the 资金分配表 (OUTPUTS.md "Documents for each step of
the payout").

One row per 所属县区 with 企业数 and 金额(元) — the firms with 兑现金额 > 0 and the sum of their
兑现金额 — and 其中暂缓拨付(元), the part held back (so a district's figure ties to the 拨付清单);
firms with no 所属县区 under “未填写县区”, last. Districts come in the order of their first firm
in 企业汇总 (firms are ordered by 统一社会信用代码, whose digits 3–8 are the district's code), so
the order follows the administrative divisions without a table of them. A total row of SUM
formulas, whose 金额 equals 兑现总额; 经办人 / 审核人 / 负责人 below.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import model
from .review_levels import LEVEL_HOLD
from .xlsx_style import (
    HEADER_ROW,
    Heading,
    Styles,
    display_width,
    finish_table,
    money_width,
    setup_page,
    sum_formula,
    write_header,
    write_signatures,
)

UNFILLED = "未填写县区"
HEADERS = ["序号", "所属县区", "企业数", "金额(元)", "其中暂缓拨付(元)"]
SUBTITLE = "（按县区汇总　资金分配表）"


@dataclass(frozen=True)
class DistrictRow:
    district: str
    firms: int
    payout_fen: int
    held_fen: int


def district_rows(firms) -> list[DistrictRow]:
    """The paid firms (兑现金额 > 0) of the firm table, per 所属县区."""
    if firms is None or len(firms) == 0:
        return []
    paid = firms[firms["payout_fen"] > 0].sort_values("seq", kind="stable")
    groups: dict[str, list[int]] = {}
    for district, payout, status in zip(paid["district"], paid["payout_fen"], paid["status"]):
        name = district.strip() if isinstance(district, str) else ""
        entry = groups.setdefault(name or UNFILLED, [0, 0, 0])
        entry[0] += 1
        entry[1] += int(payout)
        if status == LEVEL_HOLD:
            entry[2] += int(payout)
    order = [d for d in groups if d != UNFILLED] + ([UNFILLED] if UNFILLED in groups else [])
    return [DistrictRow(d, *groups[d]) for d in order]


def write_district_sheet(wb, styles: Styles, result: model.RunResult, head: Heading) -> None:
    rows = district_rows(result.firms)
    ws = wb.add_worksheet(model.SHEET_DISTRICTS)
    ncols = len(HEADERS)
    total_fen = sum(r.payout_fen for r in rows)
    money_w = max(money_width([total_fen]) + 4, 18)
    name_w = max([display_width(r.district) + 4 for r in rows] + [24])
    widths = [8, name_w, 12, money_w, money_w]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)

    head.write(ws, styles, widths, SUBTITLE)
    write_header(ws, HEADERS, styles, HEADER_ROW)
    r = HEADER_ROW + 1
    for i, row in enumerate(rows, 1):
        ws.write_number(r, 0, i, styles.int_center)
        ws.write_string(r, 1, row.district, styles.text)
        ws.write_number(r, 2, row.firms, styles.int)
        ws.write_number(r, 3, row.payout_fen / 100, styles.money_z)
        ws.write_number(r, 4, row.held_fen / 100, styles.money_z)
        r += 1
    ws.write_string(r, 0, "合计", styles.total_label)
    ws.write_blank(r, 1, None, styles.total_label)
    cached = [sum(x.firms for x in rows), total_fen / 100, sum(x.held_fen for x in rows) / 100]
    for c, value, fmt in zip((2, 3, 4), cached, (styles.int_bold, styles.money_z_bold, styles.money_z_bold)):
        if rows:
            ws.write_formula(r, c, sum_formula(HEADER_ROW + 1, r - 1, c), fmt, value)
        else:
            ws.write_number(r, c, 0, fmt)
    write_signatures(ws, styles, r + 1, widths)
    finish_table(ws, ncols, r - 1, HEADER_ROW)
    setup_page(ws, f"{head.title} {model.SHEET_DISTRICTS}", HEADER_ROW)
    ws.set_portrait()
