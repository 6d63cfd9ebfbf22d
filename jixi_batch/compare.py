"""Comparing two runs (DESK.md "Earlier runs", issue 13): what changed between the payout
workbooks of two run folders, exact to the fen.

``compare_runs`` reads each run's `<Y>年度外贸奖励兑现表.xlsx` (sheets 企业汇总 and 明细, header on
the 4th row) and returns a :class:`Comparison`: the firms whose 兑现金额 changed, the firms added and
dropped, and the lines (firm × 规则编号) added, removed or changed with both sides' 计算说明, so the
clerk sees why. ``write_comparison`` writes it as a workbook (对比表); ``Comparison.to_json`` is what
the desk's ``GET /api/compare`` returns.

Money: every 元 cell is turned into integer fen once, at reading (``Decimal(repr(x))`` rounded half
up to the fen); all sums and differences are integer arithmetic, never float.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from .money import format_yuan
from .model import SHEET_FIRMS, SHEET_LINES, SHEET_SUMMARY

WORKBOOK_PATTERN = re.compile(r"^(\d{4})年度外贸奖励兑现表\.xlsx$")
HEADER_ROW = 3          # xlsx_style.HEADER_ROW: every table's header is on the 4th row

CODE, NAME, STATUS, SEQ = "统一社会信用代码", "企业名称", "状态", "序号"
PAYOUT = "兑现金额(元)"
RULE_ID, RULE_NAME, APPROVED, NOTE = "规则编号", "规则名称", "核定金额(元)", "计算说明"
FIRM_COLUMNS = [SEQ, CODE, NAME, PAYOUT]
LINE_COLUMNS = [CODE, NAME, RULE_ID, RULE_NAME, APPROVED, NOTE]
TEXT_COLUMNS = {CODE: str, NAME: str, STATUS: str, SEQ: str, RULE_ID: str, RULE_NAME: str, NOTE: str}

# kinds of a changed line, as the clerk reads them
LINE_ADDED, LINE_REMOVED, LINE_AMOUNT, LINE_NOTE = "新增", "取消", "金额变化", "说明变化"
FIRM_CHANGED, FIRM_ADDED, FIRM_DROPPED, FIRM_STATUS = "金额变化", "新增企业", "减少企业", "状态变化"


class CompareError(Exception):
    """The runs cannot be compared; the message is for the clerk (Chinese) and names the folder."""


# --- the result ---------------------------------------------------------------------------------

@dataclass
class FirmChange:
    """A firm whose 兑现金额 differs between the runs; ``before_fen`` is None for a firm added,
    ``after_fen`` None for a firm dropped."""
    kind: str
    code: str
    name: str
    before_fen: int | None
    after_fen: int | None
    diff_fen: int
    status_before: str = ""
    status_after: str = ""


@dataclass
class LineChange:
    """A line (firm × 规则编号 of 明细) added, removed or changed, with each side's 计算说明."""
    kind: str
    code: str
    name: str
    rule_id: str
    rule_name: str
    before_fen: int | None
    after_fen: int | None
    diff_fen: int
    note_before: str = ""
    note_after: str = ""


@dataclass
class Comparison:
    run_a: str                      # the run folders' names: A is "before", B "after"
    run_b: str
    year_a: int
    year_b: int
    preparer: str
    total_a_fen: int
    total_b_fen: int
    firms_a: int
    firms_b: int
    lines_a: int
    lines_b: int
    changed: list[FirmChange] = field(default_factory=list)
    added: list[FirmChange] = field(default_factory=list)
    dropped: list[FirmChange] = field(default_factory=list)
    lines: list[LineChange] = field(default_factory=list)
    # same 兑现金额, another 状态 (e.g. 正常 -> 暂缓拨付: no longer on the 拨付清单)
    status_changed: list[FirmChange] = field(default_factory=list)

    @property
    def total_diff_fen(self) -> int:
        return self.total_b_fen - self.total_a_fen

    @property
    def firms(self) -> list[FirmChange]:
        """Every firm that changed: amounts changed, added, dropped, then 状态 alone changed."""
        return self.changed + self.added + self.dropped + self.status_changed

    def line_counts(self) -> dict[str, int]:
        counts = dict.fromkeys((LINE_ADDED, LINE_REMOVED, LINE_AMOUNT, LINE_NOTE), 0)
        for line in self.lines:
            counts[line.kind] += 1
        return counts

    @property
    def unchanged(self) -> bool:
        return not (self.changed or self.added or self.dropped or self.lines or self.status_changed)

    def as_dict(self) -> dict:
        """Plain JSON-ready values: every amount both as fen (int) and as 元 text ("1,234.56")."""
        def money(item: dict) -> dict:
            for key in [k for k in item if k.endswith("_fen")]:
                value = item[key]
                item[key[:-4] + "_yuan"] = None if value is None else format_yuan(value)
            return item

        counts = self.line_counts()
        lines_by_firm: dict[str, list[dict]] = {}
        for line in self.lines:
            lines_by_firm.setdefault(line.code, []).append(money(asdict(line)))
        return {
            "a": {"run": self.run_a, "year": self.year_a, "firms": self.firms_a, "lines": self.lines_a,
                  **money({"total_fen": self.total_a_fen})},
            "b": {"run": self.run_b, "year": self.year_b, "firms": self.firms_b, "lines": self.lines_b,
                  **money({"total_fen": self.total_b_fen})},
            **money({"total_diff_fen": self.total_diff_fen}),
            "counts": {"changed": len(self.changed), "added": len(self.added), "dropped": len(self.dropped),
                       "status_changed": len(self.status_changed),
                       "lines": {"added": counts[LINE_ADDED], "removed": counts[LINE_REMOVED],
                                 "changed": counts[LINE_AMOUNT] + counts[LINE_NOTE]}},
            "changed": [money(asdict(f)) for f in self.changed],
            "added": [money(asdict(f)) for f in self.added],
            "dropped": [money(asdict(f)) for f in self.dropped],
            "status_changed": [money(asdict(f)) for f in self.status_changed],
            "lines": [money(asdict(line)) for line in self.lines],
            "lines_by_firm": lines_by_firm,
        }

    def to_json(self) -> str:
        """The comparison as JSON text (Chinese kept as is), what ``GET /api/compare`` answers."""
        return json.dumps(self.as_dict(), ensure_ascii=False)


# --- reading a run ------------------------------------------------------------------------------

def to_fen(value, where: str = "") -> int:
    """A 元 cell as integer fen: ``Decimal(repr(x))`` rounded half up to the fen; blank is 0."""
    if value is None:
        return 0
    if hasattr(value, "item"):                  # numpy scalar -> Python
        value = value.item()
    if isinstance(value, bool):
        raise CompareError(f"{where}的金额“{value}”不是数字。")
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float):
        if math.isnan(value):
            return 0
        text = repr(value)
    else:
        text = str(value).strip().replace(",", "")
        if not text:
            return 0
    try:
        amount = Decimal(text)
        if not amount.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise CompareError(f"{where}的金额“{value}”不是数字。") from None
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


@dataclass
class _Run:
    name: str
    year: int
    preparer: str
    firms: dict[str, dict]        # key -> {code, name, fen, status}, in the workbook's order
    lines: dict[tuple[str, str], dict]   # (firm key, rule id) -> {code, name, rule_name, fen, note}


def find_workbook(run: Path) -> tuple[Path, int]:
    """The payout workbook of a run folder and its year; CompareError naming the folder otherwise."""
    if not run.exists():
        raise CompareError(f"运行结果文件夹“{run}”不存在。")
    if not run.is_dir():
        raise CompareError(f"“{run}”不是运行结果文件夹（应是 output 中的一次运行，如 2023年度_20240415-093012）。")
    if run.name.startswith(".") and run.name.endswith(".partial"):
        raise CompareError(f"“{run}”是未完成的运行留下的临时文件夹，不能用于对比。")
    found = sorted((p, int(m.group(1))) for p in run.iterdir()
                   if (m := WORKBOOK_PATTERN.match(p.name)) and p.is_file())
    if not found:
        raise CompareError(f"运行结果文件夹“{run}”中没有兑现表（<年度>年度外贸奖励兑现表.xlsx），"
                           f"不是本程序的运行结果，或兑现表已被移走。")
    if len(found) > 1:
        raise CompareError(f"运行结果文件夹“{run}”中有 {len(found)} 个兑现表，无法确定用哪一个。")
    return found[0]


def _read_sheet(book, path: Path, sheet: str, needed: list[str]):
    import pandas as pd

    try:
        frame = pd.read_excel(book, sheet_name=sheet, header=HEADER_ROW, dtype=TEXT_COLUMNS)
    except ValueError:
        raise CompareError(f"兑现表“{path}”中没有“{sheet}”工作表，不是本程序生成的兑现表。") from None
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise CompareError(f"兑现表“{path}”的“{sheet}”工作表缺少列：{'、'.join(missing)}，不是本程序生成的兑现表。")
    return frame


def _firm_key(code: str, name: str) -> str:
    return code or f"（无代码）{name}"


def read_run(run: Path) -> _Run:
    """The firms and lines of a run folder's payout workbook, amounts in fen."""
    import pandas as pd

    path, year = find_workbook(run)
    try:
        book = pd.ExcelFile(path, engine="calamine")
    except Exception as exc:        # not a workbook at all, or damaged
        raise CompareError(f"运行结果文件夹“{run}”中的兑现表“{path.name}”无法打开（{exc.__class__.__name__}），"
                           f"文件可能已损坏。") from None
    with book:
        head = pd.read_excel(book, sheet_name=SHEET_SUMMARY, header=None, nrows=3) \
            if SHEET_SUMMARY in book.sheet_names else None
        firms_df = _read_sheet(book, path, SHEET_FIRMS, FIRM_COLUMNS)
        lines_df = _read_sheet(book, path, SHEET_LINES, LINE_COLUMNS)

    preparer = ""
    if head is not None:
        for value in head.to_numpy().ravel().tolist():
            text = _text(value)
            if text.startswith("制表单位："):
                preparer = text[len("制表单位："):]
                break

    firms: dict[str, dict] = {}
    status = firms_df[STATUS].tolist() if STATUS in firms_df.columns else [None] * len(firms_df)
    for i, (seq, code, name, payout, st) in enumerate(zip(firms_df[SEQ].tolist(), firms_df[CODE].tolist(),
                                                          firms_df[NAME].tolist(), firms_df[PAYOUT].tolist(),
                                                          status)):
        code, name = _text(code), _text(name)
        if _text(seq) == "合计" or not (code or name):        # the totals row, blank rows
            continue
        where = f"兑现表“{path}”“{SHEET_FIRMS}”第 {HEADER_ROW + 2 + i} 行"
        key = _firm_key(code, name)
        if key in firms:
            raise CompareError(f"{where}：企业“{name}”（{code}）出现两次，不是本程序生成的兑现表。")
        firms[key] = {"code": code, "name": name, "fen": to_fen(payout, where), "status": _text(st)}

    lines: dict[tuple[str, str], dict] = {}
    for i, (code, name, rule_id, rule_name, approved, note) in enumerate(zip(*(lines_df[c].tolist()
                                                                              for c in LINE_COLUMNS))):
        code, name, rule_id = _text(code), _text(name), _text(rule_id)
        if not (code or name or rule_id):
            continue
        where = f"兑现表“{path}”“{SHEET_LINES}”第 {HEADER_ROW + 2 + i} 行"
        fen = to_fen(approved, where)
        key = (_firm_key(code, name), rule_id)
        if key in lines:                         # never in a workbook of this program: kept, summed
            line = lines[key]
            line["fen"] += fen
            line["note"] = "；".join(t for t in (line["note"], _text(note)) if t)
        else:
            lines[key] = {"code": code, "name": name, "rule_name": _text(rule_name), "fen": fen,
                          "note": _text(note)}
    return _Run(run.resolve().name, year, preparer, firms, lines)


# --- comparing ----------------------------------------------------------------------------------

def compare_runs(run_a: Path, run_b: Path) -> Comparison:
    """What changed from run ``run_a`` (before) to run ``run_b`` (after), exact to the fen."""
    run_a, run_b = Path(run_a), Path(run_b)
    if run_a.exists() and run_b.exists() and run_a.resolve() == run_b.resolve():
        raise CompareError(f"两次指定的是同一个运行结果文件夹“{run_a}”，请指定两次不同的运行。")
    a, b = read_run(run_a), read_run(run_b)

    changed, added, dropped, status_changed = [], [], [], []
    for key, after in b.firms.items():
        before = a.firms.get(key)
        if before is None:
            added.append(FirmChange(FIRM_ADDED, after["code"], after["name"], None, after["fen"], after["fen"],
                                    "", after["status"]))
        elif before["fen"] != after["fen"]:
            changed.append(FirmChange(FIRM_CHANGED, after["code"], after["name"], before["fen"], after["fen"],
                                      after["fen"] - before["fen"], before["status"], after["status"]))
        elif before["status"] != after["status"]:
            status_changed.append(FirmChange(FIRM_STATUS, after["code"], after["name"], before["fen"], after["fen"],
                                             0, before["status"], after["status"]))
    for key, before in a.firms.items():
        if key not in b.firms:
            dropped.append(FirmChange(FIRM_DROPPED, before["code"], before["name"], before["fen"], None,
                                      -before["fen"], before["status"], ""))

    # lines: in the order of the firms of B (then of A), rules in the order of B's 明细 (then A's)
    firm_order = {key: i for i, key in enumerate(list(b.firms) + [k for k in a.firms if k not in b.firms])}
    line_keys = list(b.lines) + [k for k in a.lines if k not in b.lines]
    position = {key: i for i, key in enumerate(line_keys)}
    line_keys.sort(key=lambda k: (firm_order.get(k[0], len(firm_order)), position[k]))
    lines = []
    for key in line_keys:
        before, after = a.lines.get(key), b.lines.get(key)
        if before is None:
            kind = LINE_ADDED
        elif after is None:
            kind = LINE_REMOVED
        elif before["fen"] != after["fen"]:
            kind = LINE_AMOUNT
        elif before["note"] != after["note"]:
            kind = LINE_NOTE
        else:
            continue
        side = after or before
        before_fen = None if before is None else before["fen"]
        after_fen = None if after is None else after["fen"]
        lines.append(LineChange(kind, side["code"], side["name"], key[1], side["rule_name"], before_fen, after_fen,
                                (after_fen or 0) - (before_fen or 0),
                                "" if before is None else before["note"], "" if after is None else after["note"]))

    return Comparison(
        run_a=a.name, run_b=b.name, year_a=a.year, year_b=b.year, preparer=b.preparer or a.preparer,
        total_a_fen=sum(f["fen"] for f in a.firms.values()), total_b_fen=sum(f["fen"] for f in b.firms.values()),
        firms_a=len(a.firms), firms_b=len(b.firms), lines_a=len(a.lines), lines_b=len(b.lines),
        changed=changed, added=added, dropped=dropped, lines=lines, status_changed=status_changed)


def comparison_filename(run_a: Path, run_b: Path) -> str:
    """对比_<A>_<B>.xlsx, A and B the run folders' names (``.`` or ``run/`` given as they are resolved)."""
    return f"对比_{Path(run_a).resolve().name}_{Path(run_b).resolve().name}.xlsx"


def change_words(diff_fen: int) -> str:
    """A difference as a bureau writes it: 增加 1,000.00 元 / 减少 … / 无变化 (no arithmetic signs)."""
    if diff_fen > 0:
        return f"增加 {format_yuan(diff_fen)} 元"
    if diff_fen < 0:
        return f"减少 {format_yuan(-diff_fen)} 元"
    return "无变化"


def summary_lines(c: Comparison) -> list[str]:
    """The console's summary of a comparison (Chinese)."""
    counts = c.line_counts()
    return [
        f"对比前：{c.run_a}，兑现总额 {format_yuan(c.total_a_fen)} 元，{c.firms_a} 户企业",
        f"对比后：{c.run_b}，兑现总额 {format_yuan(c.total_b_fen)} 元，{c.firms_b} 户企业",
        f"兑现总额{change_words(c.total_diff_fen)}",
        f"兑现金额变化的企业 {len(c.changed)} 户，新增企业 {len(c.added)} 户，减少企业 {len(c.dropped)} 户"
        + (f"；金额未变、状态变化的企业 {len(c.status_changed)} 户" if c.status_changed else ""),
        f"奖励明细：新增 {counts[LINE_ADDED]} 条，取消 {counts[LINE_REMOVED]} 条，"
        f"金额变化 {counts[LINE_AMOUNT]} 条，仅计算说明变化 {counts[LINE_NOTE]} 条",
    ]


# --- the workbook 对比_<A>_<B>.xlsx --------------------------------------------------------------

SHEET_OVERVIEW, SHEET_FIRM_CHANGES, SHEET_LINE_CHANGES = "变化汇总", "企业变化", "明细变化"
OVERVIEW_NOTE = ("注：对比前为前一次运行，对比后为后一次运行，差额为对比后减对比前。兑现金额变化的企业、新增企业"
                 "和减少企业三项的金额变化之和等于兑现总额的变化。各企业奖励明细的变化及原因（计算说明）见“明细变化”表。")


def comparison_title(c: Comparison) -> str:
    year = f"{c.year_b}年度" if c.year_a == c.year_b else ""
    return f"{year}鸡西市外贸发展奖励兑现对比表"


def write_comparison(c: Comparison, path: Path, day: date | None = None) -> None:
    """Write the comparison workbook: 变化汇总, 企业变化, 明细变化. Every text from a run (names,
    codes, 计算说明) is written as text, never as a formula."""
    from .doc_dates import chinese_date
    from .payout_workbook import _Col, _row_heights, _table_widths, _write_columns, _write_wrapped_header
    from .xlsx_style import (HEADER_ROW as HEAD, display_width, finish_table, page_layout, setup_page, sum_formula,
                             write_paragraph, write_title_block, write_xlsx)

    title = comparison_title(c)
    left = f"制表单位：{c.preparer}" if c.preparer else ""
    when = chinese_date(day or date.today())
    runs = f"对比前：{c.run_a}　对比后：{c.run_b}"

    def table(wb, styles, name: str, subtitle: str, cols: list, total_cols: tuple = ()) -> None:
        ws = wb.add_worksheet(name)
        widths = _table_widths(cols)
        for i, (col, width) in enumerate(zip(cols, widths)):
            ws.set_column(i, i, width, styles.col_text if col.kind == "text" else None)
        write_title_block(ws, styles, widths, title, subtitle, left, when, "单位：元")
        _write_wrapped_header(ws, styles, cols, widths)
        _write_columns(ws, styles, cols, heights=_row_heights(cols, widths, HEAD + 1))
        n = len(cols[0].values)
        last = HEAD + n
        if total_cols:          # 合计 of the differences (SUM, value cached): the change of 兑现总额
            t = last + 1
            ws.write_string(t, 0, "合计", styles.total_label)
            for i, col in enumerate(cols[1:], 1):
                if i in total_cols:
                    total = sum(v for v in col.values if v is not None)
                    if n:
                        ws.write_formula(t, i, sum_formula(HEAD + 1, last, i), styles.money_z_bold, total / 100)
                    else:
                        ws.write_number(t, i, 0, styles.money_z_bold)
                else:
                    ws.write_blank(t, i, None, styles.total_label)
        finish_table(ws, len(cols), last, HEAD)
        setup_page(ws, f"{title} {name}", HEAD, **page_layout(widths))

    def overview(wb, styles) -> None:
        counts = c.line_counts()
        rows = [("兑现总额(元)", c.total_a_fen, c.total_b_fen, True),
                ("获奖企业户数", c.firms_a, c.firms_b, False),
                ("奖励明细条数", c.lines_a, c.lines_b, False)]
        ws = wb.add_worksheet(SHEET_OVERVIEW)
        kinds = [
            ("兑现金额变化的企业", f"{len(c.changed)} 户", sum(f.diff_fen for f in c.changed)),
            ("新增企业", f"{len(c.added)} 户", sum(f.diff_fen for f in c.added)),
            ("减少企业", f"{len(c.dropped)} 户", sum(f.diff_fen for f in c.dropped)),
        ]
        line_kinds = [
            ("新增奖励明细", f"{counts[LINE_ADDED]} 条"), ("取消奖励明细", f"{counts[LINE_REMOVED]} 条"),
            ("金额变化的奖励明细", f"{counts[LINE_AMOUNT]} 条"), ("仅计算说明变化的奖励明细", f"{counts[LINE_NOTE]} 条"),
        ]
        widths = [26] + [max(18, display_width(c.run_a) + 2, display_width(c.run_b) + 2)] * 3
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        write_title_block(ws, styles, widths, title, f"（变化汇总　{runs}）", left, when, "单位：元")
        _write_wrapped_header(ws, styles, [_Col("项目", "text", []), _Col("对比前", "text", []),
                                           _Col("对比后", "text", []), _Col("差额", "text", [])], widths)
        r = HEAD + 1
        ws.write_string(r, 0, "运行结果文件夹", styles.text)
        ws.write_string(r, 1, c.run_a, styles.text)
        ws.write_string(r, 2, c.run_b, styles.text)
        ws.write_blank(r, 3, None, styles.text)
        r += 1
        for label, before, after, money in rows:
            ws.write_string(r, 0, label, styles.text)
            for j, value in enumerate((before, after, after - before), 1):
                if money:
                    ws.write_number(r, j, value / 100, styles.money)
                else:
                    ws.write_number(r, j, value, styles.int)
            r += 1
        last_row = r - 1
        r += 1
        for j, header in enumerate(["变化情况", "户数或条数", "金额变化(元)", ""]):
            if header:
                ws.write_string(r, j, header, styles.header)
        r += 1
        for label, count, diff in kinds:
            ws.write_string(r, 0, label, styles.text)
            ws.write_string(r, 1, count, styles.text)
            ws.write_number(r, 2, diff / 100, styles.money)
            r += 1
        ws.write_string(r, 0, "合计（即兑现总额变化）", styles.total_label)
        ws.write_blank(r, 1, None, styles.total_label)
        ws.write_formula(r, 2, sum_formula(r - 3, r - 1, 2), styles.money_bold, c.total_diff_fen / 100)
        r += 1
        ws.write_string(r, 0, "金额未变、状态变化的企业", styles.text)
        ws.write_string(r, 1, f"{len(c.status_changed)} 户", styles.text)
        ws.write_blank(r, 2, None, styles.text)
        r += 1
        for label, count in line_kinds:
            ws.write_string(r, 0, label, styles.text)
            ws.write_string(r, 1, count, styles.text)
            ws.write_blank(r, 2, None, styles.text)
            r += 1
        write_paragraph(ws, styles, r + 1, 4, OVERVIEW_NOTE, 48, styles.note)
        finish_table(ws, 4, last_row, HEAD)
        setup_page(ws, f"{title} {SHEET_OVERVIEW}", HEAD)

    def firm_sheet(wb, styles) -> None:
        firms = c.firms
        cols = [
            _Col("序号", "seq", list(range(1, len(firms) + 1))),
            _Col("变化类别", "text", [f.kind for f in firms]),
            _Col("统一社会信用代码", "text", [f.code for f in firms]),
            _Col("企业名称", "wrap", [f.name for f in firms], cap=18),
            _Col("对比前兑现金额(元)", "money", [f.before_fen for f in firms]),
            _Col("对比后兑现金额(元)", "money", [f.after_fen for f in firms]),
            _Col("差额(元)", "money", [f.diff_fen for f in firms]),
            _Col("对比前状态", "text", [f.status_before or None for f in firms]),
            _Col("对比后状态", "text", [f.status_after or None for f in firms]),
        ]
        table(wb, styles, SHEET_FIRM_CHANGES, f"（企业兑现金额变化　{runs}）", cols, total_cols=(6,))

    def line_sheet(wb, styles) -> None:
        lines = c.lines
        cols = [
            _Col("序号", "seq", list(range(1, len(lines) + 1))),
            _Col("统一社会信用代码", "text", [x.code for x in lines]),
            _Col("企业名称", "wrap", [x.name for x in lines], cap=16),
            _Col("规则编号", "text", [x.rule_id for x in lines]),
            _Col("规则名称", "wrap", [x.rule_name for x in lines], cap=14),
            _Col("变化类别", "text", [x.kind for x in lines]),
            _Col("对比前核定金额(元)", "money", [x.before_fen for x in lines]),
            _Col("对比后核定金额(元)", "money", [x.after_fen for x in lines]),
            _Col("差额(元)", "money", [x.diff_fen for x in lines]),
            _Col("对比前计算说明", "wrap", [x.note_before or None for x in lines], cap=36),
            _Col("对比后计算说明", "wrap", [x.note_after or None for x in lines], cap=36),
        ]
        table(wb, styles, SHEET_LINE_CHANGES, f"（奖励明细变化及原因　{runs}）", cols, total_cols=(8,))

    def fill(wb, styles) -> None:
        overview(wb, styles)
        firm_sheet(wb, styles)
        line_sheet(wb, styles)

    write_xlsx(path, fill, {"title": title, "subject": "鸡西市支持对外贸易发展奖励兑现对比",
                            "author": c.preparer, "comments": runs})
