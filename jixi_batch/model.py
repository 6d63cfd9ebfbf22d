"""The tables that flow between the stages after reading, named once.

The input tables are declared in ``tables.py``; the review rows, award lines, firm summary and
run result are named here. Money is always integer fen (int64); codes are normalised
18-character strings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .policy import Policy

# the payout workbook's sheets (OUTPUTS.md), in order
SHEET_SUMMARY = "汇总"
SHEET_DISTRICTS = "县区汇总"       # the 资金分配表 (OUTPUTS.md "Documents for each step of the payout")
SHEET_FIRMS = "企业汇总"
SHEET_LINES = "明细"
SHEET_REVIEW = "待核查"
SHEET_UNCLAIMED = "应享未享"        # OUTPUTS.md "应享未享": pays nothing
SHEET_CHECK = "数据核对"
SHEET_RECORD = "运行记录"          # program, policy, inputs with SHA-256 ("A workbook ready to sign")
SHEET_ORDER = [SHEET_SUMMARY, SHEET_DISTRICTS, SHEET_FIRMS, SHEET_LINES, SHEET_REVIEW, SHEET_UNCLAIMED, SHEET_CHECK,
               SHEET_RECORD]
# the sheets every payout workbook has had: a workbook holding them is one of ours, not an input
PAYOUT_CORE_SHEETS = [SHEET_SUMMARY, SHEET_FIRMS, SHEET_LINES, SHEET_REVIEW, SHEET_CHECK]
# the one sheet of the 拨付清单 and of the 公示名单, and what their title (cell A1) holds
SHEET_PAYMENT_LIST = "拨付清单"
SHEET_PUBLICITY = "公示名单"
DOCUMENT_TITLES = {SHEET_PAYMENT_LIST: "外贸发展奖励资金拨付清单", SHEET_PUBLICITY: "外贸发展奖励拟兑现企业名单"}

# 专项资金 modes (OUTPUTS.md --budget-mode): pay as computed and report an excess, or prorate
BUDGET_MODES = ("report", "prorate")

# --- review rows (待核查) -----------------------------------------------------
REVIEW_COLS = ["类别", "文件", "工作表", "行号", "列", "值", "统一社会信用代码", "企业名称", "说明"]
# the 待核查 sheet: the level first, then the row's facts, what to do, and columns the clerk fills in
REVIEW_SHEET_COLS = ["级别"] + REVIEW_COLS + ["处理建议", "处理结果", "经办人", "处理日期"]

# --- award lines (明细), English names inside, Chinese headers on output -----
LINE_COLS = [
    "code", "name", "rule_id", "rule_name", "article",
    "basis_fen",        # 计算基数(元)
    "computed_fen",     # 测算金额(元): rule result after its own cap
    "offset_fen",       # 从高不重复抵扣(元)
    "art5_cut_fen",     # 第五条封顶核减(元)
    "budget_cut_fen",   # 预算核减(元)
    "approved_fen",     # 核定金额(元)
    "explanation",      # 计算说明
]


@dataclass
class SheetAccount:
    """Row accounting for one sheet of one input file (数据核对)."""

    file: str
    sheet: str
    role: str
    rows_read: int = 0
    rows_used: int = 0
    rows_review: int = 0
    rows_total_skipped: int = 0
    rows_hidden: int = 0            # of rows_read: hidden or filtered out in the file, read all the same

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.rows_used + self.rows_review + self.rows_total_skipped


@dataclass
class InputFile:
    """One input file as the run saw it (run record)."""

    path: str
    sha256: str
    roles: list[str] = field(default_factory=list)
    rows_read: int = 0

# --- per-firm summary (企业汇总), built from the lines -------------------------
FIRM_SUMMARY_COLS = [
    "seq",              # 序号, 1-based, firms ordered by code
    "code", "name", "district",
    # then one int64 fen column per rule id (e.g. "A1", "A5X"): the line's 核定金额
    # (after 从高不重复, 第五条封顶 and 预算核减), 0 where the firm has no line
    "art5_cut_fen", "budget_cut_fen",   # already deducted in the rule columns; shown for the record
    "payout_fen",       # 兑现金额 = Σ rule columns = Σ approved
    "bank", "account",
    "status",           # 正常 / 需核实 / 暂缓拨付: the highest level of the review rows naming the firm
    "address", "contact", "phone",
]


@dataclass
class RuleInfo:
    """One rule as the outputs show it (from the policy file)."""

    rule_id: str
    name: str          # 规则名称
    article: str       # 政策依据, e.g. "第五条第（二）项" text built from the policy
    text: str          # the policy sentence


@dataclass
class RunResult:
    """Everything the writers need; writers compute nothing new."""

    year: int
    policy: "Policy"             # the policy file, checked and typed (policy.py)
    policy_path: str
    program_version: str
    run_time: str                # "2024-04-15 09:30:12"
    rules: list[RuleInfo]        # in policy rule_order
    lines: "object"              # DataFrame[LINE_COLS], ordered by firm seq then rule order
    firms: "object"              # DataFrame[FIRM_SUMMARY_COLS + rule id columns]
    review: "object"             # DataFrame[REVIEW_COLS]
    accounts: list[SheetAccount]
    files: list[InputFile]
    fund_fen: int
    total_before_budget_fen: int  # Σ approved before 预算核减
    total_fen: int                # Σ payout_fen
    budget_mode: str              # "report" | "prorate"
    prorate_factor: "object"      # fractions.Fraction or None when not applied
    warnings: list[str] = field(default_factory=list)
    unclaimed: "object" = None    # DataFrame[unclaimed.COLUMNS]: 应享未享, or None
    issue_date: date = field(default_factory=date.today)        # 落款日期 of letters and tables (--issue-date)
    publicity_start: date = field(default_factory=date.today)   # 公示 starts (--publicity-start)
