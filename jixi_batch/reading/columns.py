"""Canonical columns per role, their aliases, and header normalisation.

A header cell is normalised (NFKC full-width fold, all whitespace and line breaks
removed, upper-case, a leading ``*`` dropped) and a trailing unit in brackets is split
off: ``金额（万元）`` → (``金额``, ``万元``). The base name is matched against the
canonical name and aliases of each column of a role; the unit scales the values
(万元 → ×10000 to 元). A money header in 美元 is not matched (the RMB column is wanted).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import ROLE_CUSTOMS, ROLE_FIRMS, ROLE_LOANS, ROLE_OTHER, ROLE_PROVINCE

_WS_RE = re.compile(r"\s+")
_UNIT_RE = re.compile(r"^(.+?)[(\[【]([^()\[\]【】]*)[)\]】]$")

# column kinds (how values are parsed; see tidy.py)
CODE = "code"
TEXT = "text"
MONEY = "money"                  # non-negative money -> fen
MONEY_SIGNED = "money_signed"    # customs amounts: negative = correction
QUANTITY = "quantity"            # customs quantity -> milli
TONNES = "tonnes"                # declared tonnes -> grams
INTEGER = "integer"
PERCENT = "percent"
BOOL = "bool"
DATE = "date"
YEAR_MONTH = "year_month"
DIRECTION = "direction"
TRADE_MODE = "trade_mode"
HS_CODE = "hs_code"
ACCOUNT = "account"
ITEM = "item"                    # provincial award item
RULE_ID = "rule_id"              # 其他奖励 rule id


@dataclass(frozen=True)
class Column:
    header: str                  # canonical header as in INPUTS.md
    field: str                   # the tidy column it feeds ('' = recognised, not kept)
    kind: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def names(self) -> set[str]:
        return {split_unit(normalise_header(n))[0] for n in (self.header, *self.aliases)}


@dataclass(frozen=True)
class RoleSpec:
    role: str
    columns: tuple[Column, ...]
    sheet_names: tuple[str, ...] = ()   # sheet names that hint this role
    min_specific: int = 0               # besides required: this many role-specific columns
    specific: tuple[str, ...] = field(default=())

    def column(self, header: str) -> Column:
        return next(c for c in self.columns if c.header == header)


def normalise_header(cell) -> str:
    """NFKC fold, no whitespace/line breaks, upper-case, '*' markers dropped."""
    if cell is None:
        return ""
    text = unicodedata.normalize("NFKC", str(cell))
    text = _WS_RE.sub("", text).upper()
    return text.strip("*※")


def split_unit(name: str) -> tuple[str, str]:
    """'金额(万元)' -> ('金额', '万元'); '金额万元' -> ('金额', '万元'); '金额' -> ('金额', '')."""
    m = _UNIT_RE.match(name)
    if m:
        return m.group(1), m.group(2)
    if name.endswith("万元") and len(name) > 2:
        return name[:-2], "万元"
    return name, ""


def money_scale(unit: str) -> Decimal | None:
    """元 per unit of a money header; None when the header is not in RMB (e.g. 美元)."""
    if "美元" in unit or "USD" in unit or "外币" in unit:
        return None
    if "万" in unit:
        return Decimal(10000)
    if "千元" in unit:
        return Decimal(1000)
    return Decimal(1)


CODE_COL = Column("统一社会信用代码", "code", CODE,
                  ("社会信用代码", "企业代码", "信用代码", "统一信用代码", "企业统一社会信用代码",
                   "统一社会信用代码证号", "纳税人识别号"), required=True)
NAME_COL = Column("企业名称", "name", TEXT,
                  ("经营单位名称", "收发货人名称", "单位名称", "企业", "经营单位", "收发货人", "公司名称"))

CUSTOMS = RoleSpec(ROLE_CUSTOMS, (
    Column("年月", "ym", YEAR_MONTH, ("日期", "统计年月", "月份", "年月份", "数据年月", "统计月份"), True),
    CODE_COL,
    NAME_COL,
    Column("进出口", "direction", DIRECTION, ("进出口标志", "进出口类型", "进出口方向", "进出口标识"), True),
    Column("贸易方式", "trade_mode", TRADE_MODE, ("贸易方式代码", "监管方式", "监管方式代码", "贸易方式名称"), True),
    Column("商品编码", "hs_code", HS_CODE, ("HS编码", "税号", "商品代码", "HS编号", "HSCODE", "商品编号"), True),
    Column("商品名称", "", TEXT, ("品名", "商品名")),
    Column("数量", "quantity_milli", QUANTITY, ("第一数量", "法定数量", "第一法定数量")),
    Column("计量单位", "unit", TEXT, ("第一计量单位", "单位", "法定计量单位", "第一法定计量单位")),
    Column("金额(元)", "amount_fen", MONEY_SIGNED,
           ("人民币", "人民币(元)", "金额", "人民币金额", "金额(人民币)", "进出口额", "进出口金额"), True),
))

PROVINCE = RoleSpec(ROLE_PROVINCE, (
    CODE_COL,
    NAME_COL,
    Column("奖励项目", "item", ITEM, ("项目名称", "支持项目", "奖励项目名称", "项目", "奖励类别"), True),
    Column("省级奖励金额(元)", "amount_fen", MONEY,
           ("奖励金额", "省级奖励(元)", "金额", "省级奖励", "省级奖励资金", "奖励资金", "省级资金"), True),
    Column("文号", "doc_no", TEXT, ("批复文号", "备注", "文件号", "发文文号")),
))

FIRMS = RoleSpec(ROLE_FIRMS, (
    CODE_COL,
    NAME_COL,
    Column("所属县区", "district", TEXT, ("县区", "所属区县", "区县", "所属县(市、区)", "县(市)区", "所在县区")),
    Column("通讯地址", "address", TEXT, ("地址", "通信地址", "联系地址", "企业地址")),
    Column("联系人", "contact", TEXT, ()),
    Column("联系电话", "phone", TEXT, ("电话", "手机", "联系方式", "手机号码")),
    Column("开户银行", "bank", TEXT, ("开户行", "开户银行名称", "开户行名称")),
    Column("银行账号", "account", ACCOUNT, ("账号", "银行帐号", "开户账号", "帐号", "开户帐号", "银行卡号")),
    Column("当年新引入", "newly_introduced", BOOL, ("是否当年新引入", "新引入", "当年新引进", "是否新引入")),
    Column("生产加工型", "processing_type", BOOL, ("是否生产加工型", "生产加工型企业", "是否生产加工型企业")),
    Column("能源资源进口落地率(%)", "landing_rate_ppm", PERCENT, ("落地率", "商品落地率", "进口落地率")),
    Column("煤炭落地数量(吨)", "coal_landed_g", TONNES, ("煤炭落地量", "煤炭落地数量")),
    Column("本地加工产品出口额(元)", "local_export_fen", MONEY, ("本地加工出口额", "本地加工产品出口金额")),
    Column("平台入驻费(元)", "platform_fee_fen", MONEY, ("入驻费", "入驻平台费", "平台入驻费用")),
    Column("推广费(元)", "promo_fee_fen", MONEY, ("宣传推广费", "推广费用")),
    Column("服务企业数(家)", "served_firms", INTEGER, ("服务企业数量", "服务企业")),
    Column("银行手续费(元)", "bank_fee_fen", MONEY, ("手续费",)),
), sheet_names=("企业信息",), min_specific=2,
    specific=("所属县区", "通讯地址", "联系人", "联系电话", "开户银行", "银行账号", "当年新引入", "生产加工型",
              "能源资源进口落地率(%)", "煤炭落地数量(吨)", "本地加工产品出口额(元)", "平台入驻费(元)",
              "推广费(元)", "服务企业数(家)", "银行手续费(元)"))

LOANS = RoleSpec(ROLE_LOANS, (
    CODE_COL,
    NAME_COL,
    Column("贷款银行", "bank_name", TEXT, ("银行", "贷款机构", "贷款行", "放款银行")),
    Column("发放日", "issue_date", DATE, ("发放日期", "放款日", "放款日期", "贷款发放日", "贷款发放日期"), True),
    Column("本金(元)", "principal_fen", MONEY, ("本金", "贷款本金", "贷款金额"), True),
    Column("计息天数", "days", INTEGER, ("天数", "实际计息天数", "计息天数(天)"), True),
    Column("实付利息(元)", "interest_paid_fen", MONEY, ("利息", "已付利息", "实际支付利息", "支付利息"), True),
), sheet_names=("贷款台账",))

OTHER = RoleSpec(ROLE_OTHER, (
    CODE_COL,
    NAME_COL,
    Column("规则编号", "rule_id", RULE_ID, ("规则", "规则ID", "对应规则编号", "规则代码"), True),
    Column("政策名称", "policy_name", TEXT, ("政策", "奖励政策名称", "政策文件")),
    Column("已获金额(元)", "amount_fen", MONEY, ("已获奖励金额", "已获得金额", "已获奖励", "已获金额"), True),
), sheet_names=("其他奖励",))

ROLE_SPECS = (CUSTOMS, PROVINCE, FIRMS, LOANS, OTHER)
SPEC_BY_ROLE = {spec.role: spec for spec in ROLE_SPECS}


@dataclass
class Match:
    """One canonical column found in a header row."""

    column: Column
    index: int            # column index in the grid
    header_text: str      # the header cell as in the file (for review rows)
    unit: str             # unit found in the header, e.g. '万元'


def match_header_row(cells: list, spec: RoleSpec) -> tuple[dict[str, Match], list[str]]:
    """Map the header cells of one row to the role's columns.

    Returns {canonical header: Match} (first cell wins) and the headers that matched a
    column already taken (duplicates).
    """
    lookup = _lookup(spec.role)
    found: dict[str, Match] = {}
    duplicates: list[str] = []
    for index, cell in enumerate(cells):
        norm = normalise_header(cell)
        if not norm:
            continue
        base, unit = split_unit(norm)
        column = lookup.get(base) or lookup.get(norm)
        if column is None:
            continue
        if column.kind in (MONEY, MONEY_SIGNED) and money_scale(unit) is None:
            continue
        if column.header in found:
            duplicates.append(str(cell).strip())
            continue
        found[column.header] = Match(column, index, str(cell).strip(), unit)
    return found, duplicates


_LOOKUPS: dict[str, dict[str, Column]] = {}


def _lookup(role: str) -> dict[str, Column]:
    if role not in _LOOKUPS:
        table: dict[str, Column] = {}
        for column in SPEC_BY_ROLE[role].columns:
            for name in column.names():
                table.setdefault(name, column)
        _LOOKUPS[role] = table
    return _LOOKUPS[role]


def missing_required(spec: RoleSpec, found: dict[str, Match]) -> list[str]:
    """Required headers (and the role-specific minimum) not present in ``found``."""
    missing = [c.header for c in spec.columns if c.required and c.header not in found]
    return missing


def is_complete(spec: RoleSpec, found: dict[str, Match]) -> bool:
    if missing_required(spec, found):
        return False
    if spec.min_specific:
        return sum(1 for h in spec.specific if h in found) >= spec.min_specific
    return True
