"""The tables that flow between the stages, named once.

Every stage reads and writes pandas DataFrames whose columns are listed here.
Money is always integer fen (int64); codes are normalised 18-character strings.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# --- roles a sheet can play (INPUTS.md) -------------------------------------
ROLE_CUSTOMS = "customs"
ROLE_PROVINCE = "province"
ROLE_FIRMS = "app_firms"          # 企业申报汇总 / 企业信息
ROLE_LOANS = "app_loans"          # 企业申报汇总 / 贷款台账
ROLE_OTHER = "app_other_awards"   # 企业申报汇总 / 其他奖励

ROLE_LABELS = {
    ROLE_CUSTOMS: "海关数据",
    ROLE_PROVINCE: "省级奖励",
    ROLE_FIRMS: "企业申报汇总-企业信息",
    ROLE_LOANS: "企业申报汇总-贷款台账",
    ROLE_OTHER: "企业申报汇总-其他奖励",
}

# Source columns carried by every tidy table, so any row can be traced back.
# the payout workbook's sheets (OUTPUTS.md), in order
SHEET_SUMMARY = "汇总"
SHEET_FIRMS = "企业汇总"
SHEET_LINES = "明细"
SHEET_REVIEW = "待核查"
SHEET_CHECK = "数据核对"
SHEET_ORDER = [SHEET_SUMMARY, SHEET_FIRMS, SHEET_LINES, SHEET_REVIEW, SHEET_CHECK]

# 专项资金 modes (OUTPUTS.md --budget-mode): pay as computed and report an excess, or prorate
BUDGET_MODES = ("report", "prorate")

SRC_COLS = ["src_file", "src_sheet", "src_row"]

# --- tidy tables produced by reading ---------------------------------------
CUSTOMS_COLS = [
    "code", "name", "year", "month",
    "direction",        # "I" import / "E" export
    "trade_mode",       # 4-digit text, e.g. "0110", "9610"
    "hs_code",          # text, leading zeros restored (8 or 10 digits)
    "quantity_milli",   # int64: quantity x 1000, half-up
    "unit",             # text as given, e.g. "千克", "吨"
    "amount_fen",       # int64; negative rows are corrections and are kept
] + SRC_COLS

PROVINCE_COLS = [
    "code", "name",
    "item",             # canonical provincial item name from the policy file
    "rule_id",          # rule fed by the item (policy file mapping)
    "amount_fen", "doc_no",
] + SRC_COLS

FIRM_COLS = [
    "code", "name", "district", "address", "contact", "phone",
    "bank", "account",                  # account always text
    "newly_introduced",                 # bool (是 -> True; empty -> False)
    "processing_type",                  # bool
    "landing_rate_ppm",                 # int64, 55% -> 550000; empty -> 0
    "coal_landed_g",                    # int64 grams (tonnes x 1e6)
    "local_export_fen", "platform_fee_fen", "promo_fee_fen",
    "served_firms",                     # int64
    "bank_fee_fen",
] + SRC_COLS

LOAN_COLS = [
    "code", "bank_name", "issue_date",  # issue_date: datetime64[ns] (NaT never reaches here)
    "principal_fen", "days", "interest_paid_fen",
] + SRC_COLS

OTHER_AWARD_COLS = ["code", "rule_id", "policy_name", "amount_fen"] + SRC_COLS

# --- review rows (待核查) -----------------------------------------------------
REVIEW_COLS = ["类别", "文件", "工作表", "行号", "列", "值", "统一社会信用代码", "企业名称", "说明"]

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
    # then one int64 fen column per rule id (e.g. "A1", "A5X"): the line's
    # amount after 从高不重复 (测算金额 − 从高不重复抵扣), 0 where the firm has no line
    "art5_cut_fen", "budget_cut_fen",
    "payout_fen",       # 兑现金额 = Σ rule columns − art5_cut − budget_cut = Σ approved
    "bank", "account",
    "status",           # "正常" or "待核查" (any review row names the firm)
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
    policy: dict                 # the loaded policy file (YAML as dict)
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
