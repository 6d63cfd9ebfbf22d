"""The 拨付清单 `<Y>年度外贸奖励资金拨付清单.xlsx` (OUTPUTS.md "Documents for each step of the payout",
"Review levels", "A workbook ready to sign").

One row per firm with 兑现金额 > 0 whose 状态 is not 暂缓拨付, in 企业汇总 order, numbered anew from
1: 序号, 收款人全称, 统一社会信用代码, 开户银行, 银行账号 (text), 金额(元), 用途 (`<Y>年度外贸发展奖励`);
the total in figures (a SUM formula with its value) and in 大写; then the firms held (暂缓拨付) as a
separate count and sum, and 拨付合计, 暂缓拨付合计 and 兑现总额 side by side, so that the first two
add up to the third to the fen — checked here before anything is written. Title, 制表单位, date
above; 经办人 / 审核人 / 负责人 below. Every text from the inputs is written as text.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import model
from .capitals import to_capital_yuan
from .doc_dates import chinese_date
from .money import format_yuan
from .review_levels import LEVEL_HOLD
from .xlsx_style import (
    HEADER_ROW,
    META_ROW,
    SUBTITLE_ROW,
    TITLE_ROW,
    Heading,
    Styles,
    display_width,
    finish_table,
    keep_tail_together,
    max_display_width,
    money_width,
    setup_page,
    wrapped_lines,
    write_header,
    write_paragraph,
    write_signatures,
    write_total_row,
    write_xlsx,
)

HEADERS = ["序号", "收款人全称", "统一社会信用代码", "开户银行", "银行账号", "金额(元)", "用途"]
AMOUNT_COL = HEADERS.index("金额(元)")
LABEL_PAYABLE = "本清单拨付合计"
LABEL_HELD = "暂缓拨付合计"
LABEL_TOTAL = "兑现总额"
LABEL_CAPITAL = "合计金额（大写）"
CAPITAL_PREFIX = "人民币"


def payment_filename(year: int) -> str:
    return f"{year}年度外贸奖励资金拨付清单.xlsx"


def purpose(year: int) -> str:
    """用途 of every payment."""
    return f"{year}年度外贸发展奖励"


@dataclass(frozen=True)
class Payee:
    name: str
    code: str
    bank: str
    account: str
    amount_fen: int


@dataclass(frozen=True)
class Payments:
    """The firms to pay now and the amounts held, from the firm table."""

    payees: list[Payee]
    held_count: int
    held_fen: int
    total_fen: int               # 兑现总额 (RunResult.total_fen)
    total_count: int             # firms with 兑现金额 > 0

    @property
    def payable_fen(self) -> int:
        return sum(p.amount_fen for p in self.payees)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def split_payments(result: model.RunResult) -> Payments:
    """Firms with 兑现金额 > 0 split into those paid now and those held (暂缓拨付). Raises
    ValueError when paid + held does not come to 兑现总额 (a defect: no list is written then)."""
    firms = result.firms
    payees: list[Payee] = []
    held_count = held_fen = 0
    if firms is not None and len(firms):
        paid = firms[firms["payout_fen"] > 0].sort_values("seq", kind="stable")
        for name, code, bank, account, amount, status in zip(
                paid["name"], paid["code"], paid["bank"], paid["account"], paid["payout_fen"], paid["status"]):
            if status == LEVEL_HOLD:
                held_count += 1
                held_fen += int(amount)
            else:
                payees.append(Payee(_text(name), _text(code), _text(bank), _text(account), int(amount)))
    payments = Payments(payees, held_count, held_fen, int(result.total_fen), len(payees) + held_count)
    if payments.payable_fen + held_fen != payments.total_fen:
        raise ValueError(f"拨付合计 {format_yuan(payments.payable_fen)} 与暂缓拨付合计 {format_yuan(held_fen)} "
                         f"之和不等于兑现总额 {format_yuan(payments.total_fen)}")
    return payments


def write_payment_list(result: model.RunResult, path: Path) -> Payments:
    """Write the 拨付清单 of ``result`` to ``path``; returns what it holds (for the console)."""
    payments = split_payments(result)
    head = Heading(f"{result.year}年度鸡西市外贸发展奖励资金拨付清单", result.policy.preparer,
                   chinese_date(result.issue_date))
    use = purpose(result.year)

    def fill(wb, styles: Styles) -> None:
        _write_sheet(wb, styles, result, head, payments, use)

    write_xlsx(path, fill, {"title": head.title, "subject": "外贸发展奖励资金拨付", "author": head.preparer})
    return payments


def _write_sheet(wb, styles: Styles, result: model.RunResult, head: Heading, payments: Payments, use: str) -> None:
    ws = wb.add_worksheet(model.SHEET_PAYMENT_LIST)
    payees = payments.payees
    ncols = len(HEADERS)
    money_w = max(money_width([payments.total_fen]) + 2, 14)
    widths = [
        6,
        min(max(max_display_width([p.name for p in payees]) + 2, 24), 34),
        20,
        min(max(max_display_width([p.bank for p in payees]) + 2, 16), 26),
        max(max_display_width([p.account for p in payees]) + 2, 22),
        money_w,
        display_width(use) + 2,
    ]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w, styles.col_text if c not in (0, AMOUNT_COL) else None)

    head.write(ws, styles, widths, f"（依据{result.policy.title}）")
    heights = {TITLE_ROW: 30, SUBTITLE_ROW: 20, META_ROW: 18}
    write_header(ws, HEADERS, styles, HEADER_ROW)
    r = HEADER_ROW + 1
    for i, p in enumerate(payees, 1):
        lines = max(wrapped_lines(p.name, widths[1]), wrapped_lines(p.bank, widths[3]))
        if lines > 1:
            heights[r] = 14 * lines + 3
            ws.set_row(r, heights[r])
        ws.write_number(r, 0, i, styles.int_center)
        ws.write_string(r, 1, p.name, styles.wrap)
        ws.write_string(r, 2, p.code, styles.text)
        ws.write_string(r, 3, p.bank, styles.wrap)
        if p.account:
            ws.write_string(r, 4, p.account, styles.text)
        else:
            ws.write_blank(r, 4, None, styles.text)
        ws.write_number(r, 5, p.amount_fen / 100, styles.money)
        ws.write_string(r, 6, use, styles.text_center)
        r += 1
    last_data = r - 1
    write_total_row(ws, styles, r, len(payees), (2, 3, 4, 6), AMOUNT_COL, HEADER_ROW + 1, payments.payable_fen)
    r += 1
    ws.merge_range(r, 0, r, 1, LABEL_CAPITAL, styles.label)
    ws.merge_range(r, 2, r, ncols - 1, CAPITAL_PREFIX + to_capital_yuan(payments.payable_fen), styles.total_label)
    r += 2

    # the amounts held, and the three totals that must agree
    rows = [
        (f"{LABEL_PAYABLE}（{len(payees)} 户）", payments.payable_fen),
        (f"{LABEL_HELD}（{payments.held_count} 户，不在本清单内，核实后另行拨付）", payments.held_fen),
        (f"{LABEL_TOTAL}（{payments.total_count} 户，与兑现表一致）", payments.total_fen),
    ]
    for label, fen in rows:
        ws.merge_range(r, 0, r, AMOUNT_COL - 1, label, styles.label)
        ws.write_number(r, AMOUNT_COL, fen / 100, styles.money_bold)
        r += 1
    write_paragraph(ws, styles, r, ncols,
                    f"核对：本清单拨付合计与暂缓拨付合计之和为 {format_yuan(payments.total_fen)} 元，与兑现总额相符。"
                    "暂缓拨付的企业及原因见兑现表“企业汇总”（状态为暂缓拨付）和“待核查”工作表。", 32, styles.note)
    heights[r] = 32
    end = write_signatures(ws, styles, r, widths)
    heights[end] = 36
    finish_table(ws, ncols, last_data, HEADER_ROW)
    setup_page(ws, f"{head.title}", HEADER_ROW)
    keep_tail_together(ws, widths, heights, HEADER_ROW, last_data, end)
