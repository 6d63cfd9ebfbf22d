"""The 运行记录 sheet of the payout workbook (OUTPUTS.md "A workbook ready to sign"): what made
this run — each input file with its role, rows read and SHA-256; the program version, the
policy file, the year, the time of the run, the mode and dates given; the warnings. It has a
sheet of its own so that 汇总, the page a leader signs, holds only the money.

The input files are the table (header on HEADER_ROW, as on every sheet); the other facts follow
below it, one label and value a row.
"""
from __future__ import annotations

from . import model
from .doc_dates import chinese_date
from .tables import ROLE_LABELS
from .xlsx_style import (
    HEADER_ROW,
    Heading,
    Styles,
    display_width,
    finish_table,
    fit_width,
    setup_page,
    write_header,
)

HEADERS = ["文件", "角色", "读取行数", "SHA-256"]
SUBTITLE = "（运行记录）"
MODE_OPTIONS = {"report": "按测算金额兑现（--budget-mode report）",
                "prorate": "按专项资金比例压减（--budget-mode prorate）"}
ROLE_WIDTH = 30
VALUE_WIDTH = 60       # the merged value cells (角色 … SHA-256) hold at most this much a line


def record_items(result: model.RunResult) -> list[tuple[str, str]]:
    """The facts of the run, label and value."""
    items = [
        ("程序版本", str(result.program_version)),
        ("政策文件", str(result.policy_path)),
        ("政策名称", result.policy.title),
        ("政策年度", str(result.year)),
        ("运行时间", str(result.run_time)),
        ("兑现模式", MODE_OPTIONS.get(result.budget_mode, str(result.budget_mode))),
        ("落款日期", chinese_date(result.issue_date)),
        ("公示开始日期", chinese_date(result.publicity_start)),
    ]
    items += [("提示", str(w)) for w in result.warnings or []]
    return items


def write_run_record(wb, styles: Styles, result: model.RunResult, head: Heading) -> None:
    ws = wb.add_worksheet(model.SHEET_RECORD)
    ncols = len(HEADERS)
    files = result.files
    items = record_items(result)
    roles = ["、".join(ROLE_LABELS.get(x, str(x)) for x in f.roles) for f in files]
    widths = [
        fit_width(max([display_width(str(f.path)) for f in files]
                      + [display_width(label) for label, _ in items] + [24]), "文件"),
        fit_width(min(max([display_width(r) for r in roles] + [12]), ROLE_WIDTH), "角色", ROLE_WIDTH),
        fit_width(6, "读取行数"),
        fit_width(64, "SHA-256", 68),
    ]
    span = sum(widths[1:])
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)

    head.write(ws, styles, widths, SUBTITLE, "")
    write_header(ws, HEADERS, styles, HEADER_ROW)
    r = HEADER_ROW + 1
    for f, role in zip(files, roles):
        lines = -(-display_width(role) // max(widths[1] - 2, 1))
        if lines > 1:
            ws.set_row(r, 16 * lines)
        ws.write_string(r, 0, str(f.path), styles.text)
        ws.write_string(r, 1, role, styles.wrap)
        ws.write_number(r, 2, f.rows_read, styles.int)
        ws.write_string(r, 3, str(f.sha256), styles.text_center)
        r += 1
    last_file_row = r - 1
    r += 1
    for label, value in items:
        lines = -(-display_width(value) // max(span - 4, 1))
        if lines > 1:
            ws.set_row(r, 16 * lines)
        ws.write_string(r, 0, label, styles.label)
        ws.merge_range(r, 1, r, ncols - 1, value, styles.wrap)
        r += 1
    finish_table(ws, ncols, last_file_row, HEADER_ROW)
    setup_page(ws, f"{head.title} {model.SHEET_RECORD}", HEADER_ROW)
