"""Shared helpers for the Excel writers: display widths, cell formats, page setup.

Both the payout workbook (兑现表) and the blank applications template use these, so
the two workbooks look alike: bold filled header row, frozen, autofilter, widths
that fit Chinese text, A4 landscape, one page wide, header repeated, page numbers.
"""
from __future__ import annotations

import unicodedata
from typing import Iterable

from .money import format_yuan

MONEY_FMT = "#,##0.00"
TEXT_FMT = "@"
INT_FMT = "0"
PCT_FMT = "0.00%"
FACTOR_FMT = "0.000000"
DATE_FMT = "yyyy-mm-dd"

MIN_WIDTH = 6
MAX_WIDTH = 60
WRAP_WIDTH = 60
HEADER_PAD = 2       # the bold header and the autofilter button need a little room
CELL_PAD = 1

FOOTER = "&C第 &P 页 / 共 &N 页"
PAPER_A4 = 9

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}

_WIDE = frozenset(("W", "F"))


def display_width(text: object) -> int:
    """Width of a text on screen: East-Asian wide/full-width characters count 2."""
    if text is None:
        return 0
    s = text if isinstance(text, str) else str(text)
    if s.isascii():
        return len(s)
    eaw = unicodedata.east_asian_width
    return sum(2 if eaw(ch) in _WIDE else 1 for ch in s)


def max_display_width(values: Iterable[object], cap: int = MAX_WIDTH) -> int:
    """Largest display width over values, stopping early once ``cap`` is reached.

    Each distinct text is looked at once, longest first: a text of n characters is at most
    2n wide, so once that cannot beat the maximum found the rest are shorter still. This
    keeps the width pass cheap on sheets with 100,000+ rows.
    """
    texts = {v if isinstance(v, str) else str(v) for v in values if v is not None}
    best = 0
    for s in sorted(texts, key=len, reverse=True):
        if 2 * len(s) <= best:      # neither this one nor any shorter one can be wider
            break
        w = display_width(s)
        if w > best:
            best = w
            if best >= cap:
                return cap
    return best


def money_width(fens: Iterable[int]) -> int:
    """Display width of the widest amount in a money column (fen ints)."""
    lo = hi = 0
    for v in fens:
        if v is None:
            continue
        if v < lo:
            lo = v
        elif v > hi:
            hi = v
    return max(len(format_yuan(lo)), len(format_yuan(hi)))


def fit_width(content_width: int, header: str = "", cap: int = MAX_WIDTH) -> int:
    """Column width from the widest cell and the header, within [MIN_WIDTH, cap]."""
    w = max(content_width + CELL_PAD, display_width(header) + HEADER_PAD, MIN_WIDTH)
    return min(w, cap)


class Styles:
    """The cell formats of one workbook (xlsxwriter formats belong to a workbook)."""

    def __init__(self, wb) -> None:
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
        cell = dict(base, border=1)
        self.header = wb.add_format(dict(
            base, bold=True, bg_color="#DDEBF7", border=1, align="center",
        ))
        self.text = wb.add_format(dict(cell, num_format=TEXT_FMT))
        self.plain = wb.add_format(cell)
        self.wrap = wb.add_format(dict(cell, text_wrap=True, num_format=TEXT_FMT))
        self.money = wb.add_format(dict(cell, num_format=MONEY_FMT))
        self.money_bold = wb.add_format(dict(cell, num_format=MONEY_FMT, bold=True))
        self.int = wb.add_format(dict(cell, num_format=INT_FMT))
        self.int_bold = wb.add_format(dict(cell, num_format=INT_FMT, bold=True))
        self.pct = wb.add_format(dict(cell, num_format=PCT_FMT))
        self.factor = wb.add_format(dict(cell, num_format=FACTOR_FMT))
        self.date = wb.add_format(dict(cell, num_format=DATE_FMT))
        self.label = wb.add_format(dict(cell, bold=True, bg_color="#F2F2F2"))
        self.total_label = wb.add_format(dict(cell, bold=True))
        self.title = wb.add_format(dict(base, bold=True, font_size=12))
        self.note = wb.add_format(dict(base, text_wrap=True, num_format=TEXT_FMT))
        self.ok = wb.add_format(dict(cell, font_color="#006100", bg_color="#C6EFCE"))
        self.bad = wb.add_format(dict(cell, font_color="#9C0006", bg_color="#FFC7CE"))
        # Column formats for the blank template (no border: the clerk types there).
        self.col_text = wb.add_format(dict(base, num_format=TEXT_FMT))
        self.col_money = wb.add_format(dict(base, num_format=MONEY_FMT))
        self.col_int = wb.add_format(dict(base, num_format=INT_FMT))
        self.col_num = wb.add_format(dict(base, num_format="0.00"))
        self.col_date = wb.add_format(dict(base, num_format=DATE_FMT))
        self.col_plain = wb.add_format(base)


def write_header(ws, headers: list[str], styles: Styles, row: int = 0) -> None:
    for c, h in enumerate(headers):
        ws.write_string(row, c, h, styles.header)


def setup_page(ws, header_text: str | None = None) -> None:
    """A4 landscape, one page wide, header row repeated, page numbers in the footer."""
    ws.set_paper(PAPER_A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_footer(FOOTER)
    if header_text:
        ws.set_header("&C" + header_text.replace("&", "&&"))
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)


def finish_table(ws, n_cols: int, last_data_row: int) -> None:
    """Freeze the header row and put an autofilter over header + data rows."""
    ws.freeze_panes(1, 0)
    if n_cols > 0:
        ws.autofilter(0, 0, max(last_data_row, 0), n_cols - 1)
