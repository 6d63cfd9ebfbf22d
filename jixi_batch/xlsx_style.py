"""Shared helpers for the Excel writers: display widths, cell formats, page setup, and the
parts of a table ready to sign (OUTPUTS.md "A workbook ready to sign").

The payout workbook (兑现表), the payment list (拨付清单), the 公示名单 and the blank applications
template use these, so they look alike: bold filled header row, frozen, autofilter, widths that
fit Chinese text, landscape, one page wide, header repeated, page numbers. A printed table has a
title, a subtitle, 制表单位 / date / 单位：元 above it (``write_title_block``) and 经办人 / 审核人 /
负责人 below it (``write_signatures``).
"""
from __future__ import annotations

import io
import math
import traceback
import unicodedata
from pathlib import Path
from typing import Callable, Iterable

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.utility import xl_rowcol_to_cell

from .money import format_yuan

MONEY_FMT = "#,##0.00"
# zero prints blank; the cell still holds 0, so sums and filters work
MONEY_BLANK_ZERO_FMT = '#,##0.00;-#,##0.00;""'
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
PAPER_A3 = 8

# A table sheet ready to sign: title, subtitle, 制表单位 line, then the header row.
TITLE_ROW, SUBTITLE_ROW, META_ROW = 0, 1, 2
HEADER_ROW = 3
SIGNATURES = ("经办人：", "审核人：", "负责人：")

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
        self.money_z = wb.add_format(dict(cell, num_format=MONEY_BLANK_ZERO_FMT))
        self.money_z_bold = wb.add_format(dict(cell, num_format=MONEY_BLANK_ZERO_FMT, bold=True))
        self.header_wrap = wb.add_format(dict(
            base, bold=True, bg_color="#DDEBF7", border=1, align="center", text_wrap=True,
        ))
        self.text_center = wb.add_format(dict(cell, num_format=TEXT_FMT, align="center"))
        self.int = wb.add_format(dict(cell, num_format=INT_FMT))
        self.int_bold = wb.add_format(dict(cell, num_format=INT_FMT, bold=True))
        self.int_center = wb.add_format(dict(cell, num_format=INT_FMT, align="center"))
        self.pct = wb.add_format(dict(cell, num_format=PCT_FMT))
        self.factor = wb.add_format(dict(cell, num_format=FACTOR_FMT))
        self.date = wb.add_format(dict(cell, num_format=DATE_FMT))
        self.label = wb.add_format(dict(cell, bold=True, bg_color="#F2F2F2"))
        self.total_label = wb.add_format(dict(cell, bold=True))
        self.title = wb.add_format(dict(base, bold=True, font_size=12))
        # the parts of a table ready to sign
        self.doc_title = wb.add_format(dict(base, font_name="黑体", font_size=18, align="center"))
        self.doc_subtitle = wb.add_format(dict(base, font_size=12, align="center"))
        self.meta_left = wb.add_format(dict(base, num_format=TEXT_FMT, align="left"))
        self.meta_center = wb.add_format(dict(base, num_format=TEXT_FMT, align="center"))
        self.meta_right = wb.add_format(dict(base, num_format=TEXT_FMT, align="right"))
        self.sign = wb.add_format(dict(base, font_size=11, num_format=TEXT_FMT, align="left"))
        self.sign_right = wb.add_format(dict(base, font_size=11, num_format=TEXT_FMT, align="center"))
        self.paragraph = wb.add_format(dict(base, font_size=11, text_wrap=True, num_format=TEXT_FMT,
                                            align="left", valign="top"))
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


def wrapped_lines(text: str, width: float, pt: float = 10) -> int:
    """Lines a text of ``pt`` points takes in a column ``width`` units wide (7 px a unit and 5 px
    padding at 96 dpi; a Chinese character is ``pt`` points wide, an ASCII one half that; past one
    line, up to a tenth is lost to where lines of figures break). Excel and LibreOffice do not grow a row for
    wrapped text in a file they did not lay out themselves, so the writers set heights from this."""
    display = (len(text.encode("utf-8")) + len(text)) // 2       # 2 for a Chinese character, 1 for ASCII
    room = max((width * 7 + 5 - 6) / (pt * 96 / 72 / 2), 1)
    if display <= room:
        return 1
    ascii_share = len(text.encode("ascii", "ignore")) / len(text)   # words of figures break at spaces only
    return math.ceil(display / (room * (0.98 - 0.1 * ascii_share)))


def write_header(ws, headers: list[str], styles: Styles, row: int = 0) -> None:
    for c, h in enumerate(headers):
        ws.write_string(row, c, h, styles.header)


def setup_page(ws, header_text: str | None = None, header_row: int = 0, paper: int = PAPER_A4,
               pages_wide: int = 1, repeat_cols: int = 0, side_margin: float = 0.4) -> None:
    """Landscape (A4 unless told), ``pages_wide`` pages wide, header row repeated (and the first
    ``repeat_cols`` columns when more than one page wide), page numbers in the footer and, at its
    left in small print, ``header_text`` (which document and sheet a loose page belongs to)."""
    ws.set_paper(paper)
    ws.set_landscape()
    ws.fit_to_pages(pages_wide, 0)
    ws.repeat_rows(header_row)
    if repeat_cols:
        ws.repeat_columns(0, repeat_cols - 1)
    if header_text:
        ws.set_footer("&L&8 " + header_text.replace("&", "&&") + FOOTER)
    else:
        ws.set_footer(FOOTER)
    ws.set_margins(left=side_margin, right=side_margin, top=0.6, bottom=0.75)


# A table prints on A4 landscape one page wide when its text stays at least MIN_PRINT_PT large
# (about 7 pt as LibreOffice prints, the smaller of LibreOffice and Excel), else on A3, else two A3
# pages wide with the first three columns repeated on each (page_layout).
MIN_PRINT_PT = 6.8
FONT_PT = 10.0
LIBREOFFICE_WIDER = 1.07
MARGIN_IN = 0.4
NARROW_MARGIN_IN = 0.25
A4_PRINTABLE_MM = 297 - 2 * MARGIN_IN * 25.4
A3_PRINTABLE_MM = 420 - 2 * NARROW_MARGIN_IN * 25.4
A4_PRINTABLE_HEIGHT_PT = 595.3 - (0.6 + 0.75) * 72       # landscape, top and bottom margins of setup_page
DEFAULT_ROW_PT = 15


def print_scale(widths, printable_mm: float = A3_PRINTABLE_MM) -> float:
    """The scale at which columns of these widths fit one page wide, at most 1, in whole percent
    as Excel and LibreOffice print. A character unit is 7 px plus 5 px padding at 96 dpi in Excel;
    LibreOffice lays the same columns out about 7% wider (measured on the samples' render), and
    the wider is taken."""
    exact = printable_mm / (sum(w * 7 + 5 for w in widths) * 25.4 / 96 * LIBREOFFICE_WIDER)
    return min(1.0, math.floor(exact * 100) / 100)


def page_layout(widths) -> dict:
    """setup_page's arguments for a table of columns ``widths`` wide: A4 landscape one page wide
    when the text stays at least MIN_PRINT_PT there, else A3 landscape (narrow margins), else A3
    two pages wide with the first three columns repeated."""
    if FONT_PT * print_scale(widths, A4_PRINTABLE_MM) >= MIN_PRINT_PT:
        return {}
    wide = 1 if FONT_PT * print_scale(widths) >= MIN_PRINT_PT else 2
    return {"paper": PAPER_A3, "pages_wide": wide, "repeat_cols": 3 if wide > 1 else 0,
            "side_margin": NARROW_MARGIN_IN}


def keep_tail_together(ws, widths, heights: dict[int, float], header_row: int, last_data_row: int,
                       end_row: int, keep: int = 3) -> None:
    """On an A4 landscape sheet one page wide: when a page would end among the last ``keep`` data
    rows or below them (the 合计, 大写 and signature rows), break the page before those ``keep`` rows
    instead, so the totals never stand alone on a page. ``heights`` are the rows' heights set
    (points; DEFAULT_ROW_PT otherwise)."""
    first_tail = max(last_data_row - keep + 1, header_row + 1)
    capacity = A4_PRINTABLE_HEIGHT_PT / print_scale(widths, A4_PRINTABLE_MM)
    height = lambda r: heights.get(r, DEFAULT_ROW_PT)      # noqa: E731
    used = sum(height(r) for r in range(header_row + 1))
    for r in range(header_row + 1, end_row + 1):
        if used + height(r) > capacity:          # row r starts a page, under the repeated header
            if r > first_tail:
                ws.set_h_pagebreaks([first_tail])
                return
            used = height(header_row)
        used += height(r)


def finish_table(ws, n_cols: int, last_data_row: int, header_row: int = 0) -> None:
    """Freeze the header row and put an autofilter over header + data rows."""
    ws.freeze_panes(header_row + 1, 0)
    if n_cols > 0:
        ws.autofilter(header_row, 0, max(last_data_row, header_row), n_cols - 1)


def write_title_block(ws, styles: Styles, widths: list[float], title: str, subtitle: str,
                      left: str = "", center: str = "", right: str = "单位：元") -> int:
    """Rows 0–2 above a table whose columns are ``widths`` wide: the title, the subtitle and one
    line with ``left`` (制表单位：…) at the left, ``center`` (the date) in the middle and
    ``right`` (单位：元) at the right, each merged over enough columns to hold it. Returns the
    header row (HEADER_ROW)."""
    n_cols = len(widths)
    last = max(n_cols - 1, 0)
    _merged(ws, TITLE_ROW, 0, last, title, styles.doc_title)
    ws.set_row(TITLE_ROW, 30)
    _merged(ws, SUBTITLE_ROW, 0, last, subtitle, styles.doc_subtitle)
    ws.set_row(SUBTITLE_ROW, 20)
    total = sum(widths)
    # the left part reaches a third of the width (more if its text needs it), the right part too
    end_left, acc = 0, 0.0
    while end_left < n_cols - 1 and (acc + widths[end_left] < max(total / 3, display_width(left) + 2)):
        acc += widths[end_left]
        end_left += 1
    start_right, acc = n_cols - 1, widths[-1] if widths else 0
    while start_right > end_left + 1 and acc < max(total / 3, display_width(right) + 2):
        start_right -= 1
        acc += widths[start_right]
    if start_right - end_left >= 2 and center:
        parts = [(0, end_left, left, styles.meta_left), (end_left + 1, start_right - 1, center, styles.meta_center),
                 (start_right, last, right, styles.meta_right)]
    elif start_right > end_left:
        text = "　　".join(t for t in (left, center) if t)
        parts = [(0, start_right - 1, text, styles.meta_left), (start_right, last, right, styles.meta_right)]
    else:
        parts = [(0, last, "　　".join(t for t in (left, center, right) if t), styles.meta_left)]
    for first, end, text, fmt in parts:
        _merged(ws, META_ROW, first, end, text, fmt)
    ws.set_row(META_ROW, 18)
    return HEADER_ROW


def write_signatures(ws, styles: Styles, row: int, widths: list[float], labels=SIGNATURES) -> int:
    """经办人 / 审核人 / 负责人 one row below ``row`` (left blank), each at the start of its share
    of the table's width (columns ``widths`` wide), with room to sign. Returns the row written."""
    row += 1
    runs = _shares(widths, len(labels))
    if len(runs) < len(labels):          # a table too narrow for three: all on one line
        runs, labels = [(0, len(widths) - 1)], ["　　　　　　".join(labels)]
    for (first, last), label in zip(runs, labels):
        _merged(ws, row, first, last, label, styles.sign)
    ws.set_row(row, 36)
    return row


def _shares(widths: list[float], parts: int) -> list[tuple[int, int]]:
    """Columns cut into ``parts`` runs of about equal width (fewer when there are fewer columns)."""
    total = sum(widths) or 1
    runs, first, acc = [], 0, 0.0
    for c, w in enumerate(widths):
        acc += w
        if acc >= total * (len(runs) + 1) / parts - 1e-9 or c == len(widths) - 1:
            runs.append((first, c))
            first = c + 1
    return runs


def write_paragraph(ws, styles: Styles, row: int, n_cols: int, text: str, height: float | None = None,
                    fmt=None) -> None:
    """One wrapped paragraph of text merged over the table's width."""
    _merged(ws, row, 0, max(n_cols - 1, 0), text, fmt or styles.paragraph)
    if height:
        ws.set_row(row, height)


def _merged(ws, row: int, first: int, last: int, text: str, fmt) -> None:
    if last > first:
        ws.merge_range(row, first, row, last, text, fmt)
    else:
        ws.write_string(row, first, text, fmt)


def sum_formula(first_row: int, last_row: int, col: int) -> str:
    """=SUM(F5:F38) over a column's data rows."""
    return f"=SUM({xl_rowcol_to_cell(first_row, col)}:{xl_rowcol_to_cell(last_row, col)})"


def write_total_row(ws, styles: Styles, row: int, count: int, blank_cols, amount_col: int, first_data: int,
                    total_fen: int) -> None:
    """A list's 合计 row: 合计, 共 N 户, the blank cells between, and the amount column's SUM (its value
    cached as ``total_fen``, so a reader that does not recalculate sees it); 0 for an empty list."""
    ws.write_string(row, 0, "合计", styles.total_label)
    ws.write_string(row, 1, f"共 {count} 户", styles.total_label)
    for c in blank_cols:
        ws.write_blank(row, c, None, styles.total_label)
    if count:
        ws.write_formula(row, amount_col, sum_formula(first_data, row - 1, amount_col), styles.money_bold,
                         total_fen / 100)
    else:
        ws.write_number(row, amount_col, 0, styles.money_bold)


def write_xlsx(path: Path, fill: Callable, properties: dict, constant_memory: bool = False) -> None:
    """Make a workbook in memory with ``fill(wb, styles)`` and write it to ``path`` in one go.

    xlsxwriter's temporary files (row data in constant_memory mode, each part while packing) go
    in the folder of ``path``, never the system temp folder: when a full disk stops the write,
    the ones left behind go with the run's staging folder.
    """
    packed = io.BytesIO()
    wb = xlsxwriter.Workbook(packed, dict(WORKBOOK_OPTIONS, constant_memory=constant_memory,
                                          tmpdir=str(path.parent)))
    wb.set_properties(properties)
    try:
        fill(wb, Styles(wb))
        wb.close()
    except BaseException as exc:
        # Free xlsxwriter's half-made zip now, while ``packed`` is open: left to the garbage
        # collector, it would be closed after ``packed`` and print "Exception ignored".
        cause = exc
        while cause is not None:
            traceback.clear_frames(cause.__traceback__)
            cause = cause.__context__
        error = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else None
        if isinstance(error, OSError):      # xlsxwriter's wrapper of a temporary file's OSError
            raise OSError(error.errno, error.strerror, error.filename) from None
        raise
    path.write_bytes(packed.getbuffer())


class Heading:
    """What every printed table of a run carries above it: the document's title, 制表单位 and the
    date (OUTPUTS.md "A workbook ready to sign")."""

    __slots__ = ("title", "preparer", "date")

    def __init__(self, title: str, preparer: str, date: str) -> None:
        self.title = title
        self.preparer = preparer
        self.date = date

    def write(self, ws, styles: Styles, widths: list[float], subtitle: str, unit: str = "单位：元") -> int:
        """Title, subtitle and the 制表单位 / date / unit line over columns ``widths`` wide;
        returns the header row."""
        return write_title_block(ws, styles, widths, self.title, subtitle,
                                 f"制表单位：{self.preparer}", self.date, unit)
