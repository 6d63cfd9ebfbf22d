"""The input tables, each declared once (INPUTS.md): every column with its header, aliases, type and unit.

A table is a class, its columns class attributes, in the order of the tidy table — the way
pandera's ``DataFrameModel`` states a table's whole contract in one place. Everything else is
derived from these classes:

* the reader's header matching, value parsing and tidy dtypes (``reading/layout.py``,
  ``reading/tidy.py``);
* the facts' column lists (``facts.py``: :func:`Firms.fields_of`);
* the blank applications workbook (``application_template.py``: :func:`template_columns`);
* the test factories (``tests/factories.py``: :meth:`Table.row`, :meth:`Table.frame`).

Adding a column to 企业信息 is one line in :class:`Firms` (and the rule that reads it).

A column's *kind* says how its cells are parsed and what the tidy table holds; its
``units`` (for money, through ``reading/units.py``) say what a header may name in brackets.
Headers are matched after folding full-width characters, spaces and line breaks
(``reading/layout.py``), so ``金额（元）`` = ``金额(元)`` = ``金额 (元)``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Kind:
    """What a column holds: how its cells are parsed, its tidy dtype and its blank-template form.

    ``outputs`` names the tidy columns a kind fills when it is not just the column's own name
    (a period gives ``year`` and ``month``). ``default`` is the value of every row when an
    optional column is absent from a sheet.
    """

    name: str
    dtype: str                      # "int64", "float64", "exact" (Fractions), "bool", "str", "datetime64[ns]"
    default: object = ""
    template: str = "text"          # data validation in the blank template
    outputs: tuple[tuple[str, str], ...] = ()
    money: bool = False             # amounts in 元: header units 元/千元/万元…, currencies
    number: bool = False            # a figure: a cell merged down over rows is not copied into each


CODE = Kind("code", "str", template="code")
TEXT = Kind("text", "str")
PHONE = Kind("text", "str", template="phone")
ACCOUNT = Kind("account", "str", template="account")
BOOL = Kind("bool", "bool", False, template="yesno")
MONEY = Kind("money", "int64", 0, template="money", money=True, number=True)             # ≥ 0, fen
MONEY_SIGNED = Kind("money_signed", "int64", 0, template="money", money=True, number=True)  # 冲减 allowed
QUANTITY = Kind("quantity", "float64", 0.0, template="qty", number=True)  # the cell's number, unrounded
TONNES = Kind("tonnes", "exact", Fraction(0), template="qty", number=True)   # declared tonnes, exact
INTEGER = Kind("integer", "int64", 0, template="count", number=True)
DAYS = Kind("integer", "int64", 0, template="days", number=True)
PERCENT = Kind("percent", "exact", Fraction(0), template="pct", number=True)  # a share of one, exact
DATE = Kind("date", "datetime64[ns]", None, template="date")
PERIOD = Kind("period", "int64", outputs=(("year", "int64"), ("month", "int64")))   # month 0: whole year
DIRECTION = Kind("direction", "str")                                   # "I" import / "E" export
TRADE_MODE = Kind("trade_mode", "str")                                 # 4-digit code as text
HS_CODE = Kind("hs_code", "str")                                       # 8 or 10 digits as text
ITEM = Kind("item", "str", outputs=(("item", "str"), ("rule_id", "str")))
RULE_ID = Kind("rule_id", "str", template="rule")


@dataclass(frozen=True)
class Column:
    """One input column: canonical header (INPUTS.md), aliases, kind and what it is for.

    ``by_direction`` (customs) lists the headers of a column that may come as an import /
    export pair instead (``进口额``, ``出口额``; or ``进口``/``出口`` under an amount header).
    ``name_aliases`` are the headers of a companion name column (``贸易方式名称``): used,
    through the policy file's table, only when the sheet has no code column.
    ``verbatim`` text columns are read as typed (the account is never a number).
    """

    header: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    required: bool = False
    hint: str = ""                  # the blank template's input message
    width: int = 0                  # the blank template's minimum column width
    template: bool = True           # written in the blank applications workbook
    keep: bool = True               # a column of the tidy table (False: recognised, not kept)
    by_direction: tuple[tuple[str, tuple[str, ...]], ...] = ()
    name_aliases: tuple[str, ...] = ()
    declaration: bool = False       # an empty cell is "not declared", not 0 or 否: also a ``<field>_given`` flag
    field: str = ""                 # the attribute name: set by Table

    @property
    def outputs(self) -> tuple[tuple[str, str], ...]:
        """(tidy column, dtype) pairs this column fills."""
        if not self.keep:
            return ()
        own = self.kind.outputs or ((self.field, self.kind.dtype),)
        return own + (((self.given_field, "bool"),) if self.declaration else ())

    @property
    def given_field(self) -> str:
        """The flag of a declaration column: the cell held something (应享未享, OUTPUTS.md)."""
        return self.field + "_given"

    @property
    def critical(self) -> bool:
        """Two different columns for it in one sheet stop the run (it decides money or the join);
        for the other text columns the first is used and the clerk warned."""
        return self.kind not in (TEXT, PHONE)


SOURCE_COLUMNS = (("src_file", "str"), ("src_sheet", "str"), ("src_row", "int64"))

_CODE_HINT = "18位统一社会信用代码，按文本填写（字母请大写）。"

# shared by every table
CODE_COLUMN = Column(
    "统一社会信用代码", CODE,
    ("社会信用代码", "信用代码", "统一信用代码", "企业统一社会信用代码", "统一社会信用代码证号", "社会统一信用代码",
     "统一社会信用代码号", "统一代码", "纳税人识别号", "纳税人识别号(统一社会信用代码)", "企业代码", "企业编码",
     # 10-character customs registration codes: recognised so that a file holding only them is named
     "经营单位编码", "经营单位代码", "海关编码", "企业海关编码", "海关注册编码", "海关代码", "收发货人编码",
     "收发货人代码", "境内收发货人编码", "十位编码", "企业十位编码"),
    required=True, hint=_CODE_HINT, width=22)
NAME_COLUMN = Column(
    "企业名称", TEXT,
    ("经营单位名称", "收发货人名称", "单位名称", "企业", "经营单位", "收发货人", "公司名称", "企业全称", "企业(单位)名称",
     "单位(企业)名称", "项目单位", "项目单位名称", "申报单位", "申报单位名称", "申报企业", "申报企业名称", "申请单位",
     "承担单位", "项目承担单位", "境内收发货人", "境内收发货人名称", "企业名", "收款单位", "受益企业", "支持企业",
     "获奖企业", "拟支持企业", "拟支持单位", "纳税人名称"),
    hint="与营业执照一致的企业全称。", width=30)


class Table:
    """An input table: its role, the label the clerk sees, its columns (class attributes)."""

    role: ClassVar[str]
    label: ClassVar[str]
    sheet_names: ClassVar[tuple[str, ...]] = ()    # sheet names that mark this table
    min_specific: ClassVar[int] = 0                 # besides the required: this many of its own columns
    columns: ClassVar[tuple[Column, ...]] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        columns = []
        for name, value in list(vars(cls).items()):
            if isinstance(value, Column):
                column = dataclasses.replace(value, field=name)
                setattr(cls, name, column)
                columns.append(column)
        cls.columns = tuple(columns)

    @classmethod
    def column(cls, field: str) -> Column:
        return next(c for c in cls.columns if c.field == field)

    @classmethod
    def dtypes(cls) -> dict[str, str]:
        """The tidy table's columns and dtypes, in order, the source columns last."""
        return dict([pair for column in cls.columns for pair in column.outputs] + list(SOURCE_COLUMNS))

    @classmethod
    def tidy_columns(cls) -> list[str]:
        return list(cls.dtypes())

    @classmethod
    def fields_of(cls, *dtypes: str, exclude=("code", "name")) -> list[str]:
        """The tidy columns of these dtypes (facts joins them by kind)."""
        return [name for column in cls.columns for name, dtype in column.outputs
                if dtype in dtypes and name not in exclude]

    @classmethod
    def frame(cls, columns: dict | list | None = None) -> pd.DataFrame:
        """A frame with exactly the table's columns and dtypes: from {column: values}, from a list of
        row dicts, or empty."""
        if isinstance(columns, list):
            columns = {name: [row.get(name) for row in columns] for name in cls.dtypes()}
        out = {}
        for name, dtype in cls.dtypes().items():
            values = (columns or {}).get(name)
            if values is None:
                values = np.empty(0, dtype=object)
            if dtype == "int64":
                out[name] = pd.Series(np.asarray(values, dtype=np.int64), dtype=np.int64)
            elif dtype == "float64":
                out[name] = pd.Series(np.asarray(values, dtype=np.float64), dtype=np.float64)
            elif dtype == "exact":
                out[name] = pd.Series([Fraction(v) if v is not None else Fraction(0) for v in values], dtype=object)
            elif dtype == "bool":
                out[name] = pd.Series(np.asarray(values, dtype=bool), dtype=bool)
            elif dtype == "datetime64[ns]":
                out[name] = pd.Series(pd.to_datetime(pd.Series(values, dtype=object))).astype("datetime64[ns]")
            else:
                out[name] = pd.Series(values, dtype=object).astype(str) if len(values) else pd.Series(dtype=str)
        return pd.DataFrame(out)

    @classmethod
    def row(cls, **values) -> dict:
        """One tidy row: every column at its kind's default, then ``values``."""
        row = {}
        for column in cls.columns:
            for name, dtype in column.outputs:
                row[name] = column.kind.default if not column.kind.outputs else (0 if dtype == "int64" else "")
        row.update(src_file="", src_sheet="", src_row=0)
        unknown = set(values) - set(row)
        if unknown:
            raise KeyError(f"{cls.__name__} has no column {sorted(unknown)}")
        row.update(values)
        return row


class Customs(Table):
    """海关数据: one row per firm × month × direction × trade mode × commodity (INPUTS.md §1)."""

    role = "customs"
    label = "海关数据"

    code = CODE_COLUMN
    name = NAME_COLUMN
    period = Column("年月", PERIOD,
                    ("日期", "统计年月", "月份", "月度", "年月份", "数据年月", "统计月份", "统计期", "统计期间", "统计时间", "期间",
                     "时间", "年度", "年份", "统计年度", "数据年度", "数据期间", "所属期", "所属期间", "报告期", "申报年月",
                     "进出口年月", "进出口日期", "申报日期"), required=True)
    direction = Column("进出口", DIRECTION,
                       ("进出口标志", "进出口类型", "进出口方向", "进出口标识", "进出口别", "进出口类别", "进/出口", "进出口状态",
                        "贸易流向", "流向", "进出口代码", "IE", "I/E", "IE标志", "进出口标记", "进口或出口", "进出口分类",
                        "进出口分类名称", "进口/出口", "出口/进口", "进/出"), required=True)
    trade_mode = Column("贸易方式", TRADE_MODE,
                        ("贸易方式代码", "贸易方式编码", "监管方式", "监管方式代码", "监管方式编码", "贸易方式(代码)",
                         "监管方式(代码)"),
                        required=True, name_aliases=("贸易方式名称", "监管方式名称", "贸易方式描述", "监管方式描述"))
    hs_code = Column("商品编码", HS_CODE,
                     ("HS编码", "税号", "商品代码", "HS编号", "HSCODE", "HS CODE", "商品编号", "海关商品编码", "商品税号",
                      "HS", "HS8", "HS10", "8位商品编码", "10位商品编码", "八位商品编码", "十位商品编码", "商品编码(HS)",
                      "税则号列", "税则号", "税号编码", "HS商品编码", "商品代号", "产品编码"), required=True)
    goods = Column("商品名称", TEXT, ("品名", "商品名", "商品描述", "商品名称及规格"), keep=False)
    quantity = Column("数量", QUANTITY,
                            ("第一数量", "法定数量", "第一法定数量", "法定第一数量", "成交数量", "数量1"),
                            by_direction=(("I", ("进口数量", "进口第一数量", "进口量")),
                                          ("E", ("出口数量", "出口第一数量", "出口量"))))
    unit = Column("计量单位", TEXT,
                  ("第一计量单位", "单位", "法定计量单位", "第一法定计量单位", "第一单位", "数量单位", "计量单位1",
                   "法定第一计量单位"))
    amount_fen = Column("金额(元)", MONEY_SIGNED,
                        ("人民币", "人民币(元)", "金额", "人民币金额", "金额(人民币)", "进出口额", "进出口金额", "进出口总额",
                         "进出口总值", "进出口值", "货值", "价值", "总价", "成交总价", "统计金额", "人民币值", "人民币价值",
                         "美元", "美元金额", "金额(美元)", "价值(美元)"),
                        required=True,
                        by_direction=(("I", ("进口额", "进口金额", "进口值", "进口总额", "进口总值", "进口", "进口货值")),
                                      ("E", ("出口额", "出口金额", "出口值", "出口总额", "出口总值", "出口", "出口货值"))))


class Province(Table):
    """省级奖励: one row per firm × award item (INPUTS.md §2)."""

    role = "province"
    label = "省级奖励"

    code = CODE_COLUMN
    name = NAME_COLUMN
    item = Column("奖励项目", ITEM,
                  ("项目名称", "支持项目", "奖励项目名称", "项目", "奖励类别", "支持方向", "支持内容", "项目类别", "奖励事项",
                   "支持事项", "奖补项目", "补助项目", "资金项目", "项目类型", "奖励类型", "支持类别", "申报项目"),
                  required=True)
    amount_fen = Column("省级奖励金额(元)", MONEY,
                        ("奖励金额", "省级奖励(元)", "金额", "省级奖励", "省级奖励资金", "奖励资金", "省级资金", "拟支持金额",
                         "支持金额", "补助金额", "奖补金额", "奖补资金", "补助资金", "拟奖励金额", "拟补助金额", "拟奖补金额",
                         "省级支持金额", "省级补助金额", "省级奖补金额", "下达金额", "安排金额", "拟安排金额", "拨付金额",
                         "资金金额", "支持资金", "奖励额"),
                        required=True)
    doc_no = Column("文号", TEXT, ("批复文号", "备注", "文件号", "发文文号", "下达文号", "文件文号"))


class Firms(Table):
    """企业申报汇总 / 企业信息: one row per applying firm (INPUTS.md §3)."""

    role = "app_firms"
    label = "企业申报汇总-企业信息"
    sheet_names = ("企业信息",)
    min_specific = 2

    code = CODE_COLUMN
    name = NAME_COLUMN
    district = Column("所属县区", TEXT, ("县区", "所属区县", "区县", "所属县(市、区)", "县(市)区", "所在县区", "所属地区",
                                      "地区", "县(市、区)", "所在地区", "所属县(市)区"),
                      hint="企业所属县（市、区）。", width=10)
    address = Column("通讯地址", TEXT, ("地址", "通信地址", "联系地址", "企业地址", "注册地址", "邮寄地址"),
                     hint="用于寄送兑现通知书。", width=30)
    contact = Column("联系人", TEXT, ("企业联系人", "联系人姓名"), hint="企业联系人姓名。", width=8)
    phone = Column("联系电话", PHONE, ("电话", "手机", "联系方式", "手机号码", "联系人电话", "联系人手机"),
                   hint="手机或座机号码，按文本填写。", width=14)
    bank = Column("开户银行", TEXT, ("开户行", "开户银行名称", "开户行名称", "开户银行全称"),
                  hint="收款账户的开户银行全称。", width=24)
    account = Column("银行账号", ACCOUNT, ("账号", "银行帐号", "开户账号", "帐号", "开户帐号", "银行卡号", "收款账号",
                                         "开户银行账号", "银行账户"),
                     hint="收款银行账号，按文本填写，不要写成数字或科学计数。", width=24)
    newly_introduced = Column("当年新引入", BOOL, ("是否当年新引入", "新引入", "当年新引进", "是否新引入", "是否当年新引进企业",
                                              "是否当年新引进", "当年新引进企业", "是否新引进企业", "新引进企业"),
                              hint="请选择“是”或“否”；当年新引入的企业填“是”。", width=10)
    processing_type = Column("生产加工型", BOOL, ("是否生产加工型", "生产加工型企业", "是否生产加工型企业",
                                              "是否为生产加工型企业", "生产加工型外贸企业", "是否生产加工型外贸企业"),
                             hint="请选择“是”或“否”；生产加工型外贸企业填“是”。", width=10, declaration=True)
    landing_rate = Column("能源资源进口落地率(%)", PERCENT,
                          ("落地率", "商品落地率", "进口落地率", "能源资源商品落地率", "能源资源进口落地率",
                           "能源资源类商品落地率", "省内落地率"),
                          hint="填0–100的数字，如 55 表示 55%。", declaration=True)
    coal_landed_t = Column("煤炭落地数量(吨)", TONNES, ("煤炭落地量", "煤炭落地数量", "煤炭实际落地数量", "煤炭省内落地数量"),
                           hint="当年进口并落地省内使用的煤炭数量，单位：吨，不能为负数。", declaration=True)
    local_export_fen = Column("本地加工产品出口额(元)", MONEY, ("本地加工出口额", "本地加工产品出口金额", "本地加工产品出口额"),
                              hint="单位：元，不能为负数。", declaration=True)
    platform_fee_fen = Column("平台入驻费(元)", MONEY, ("入驻费", "入驻平台费", "平台入驻费用", "跨境电商平台入驻费"),
                              hint="第三方跨境电商平台入驻费，单位：元，不能为负数。")
    promo_fee_fen = Column("推广费(元)", MONEY, ("宣传推广费", "推广费用", "平台推广费"),
                           hint="跨境电商平台宣传推广费，单位：元，不能为负数。")
    served_firms = Column("服务企业数(家)", INTEGER, ("服务企业数量", "服务企业", "服务中小微企业数"),
                          hint="外贸综合服务企业当年服务的企业数，填整数。")
    bank_fee_fen = Column("银行手续费(元)", MONEY, ("手续费", "出口业务银行手续费"),
                          hint="开展出口业务发生的银行手续费，单位：元，不能为负数。")


class Loans(Table):
    """企业申报汇总 / 贷款台账: one row per export-financing loan (INPUTS.md §3, A5F)."""

    role = "app_loans"
    label = "企业申报汇总-贷款台账"
    sheet_names = ("贷款台账",)

    code = CODE_COLUMN
    name = dataclasses.replace(NAME_COLUMN, keep=False, template=False)
    bank_name = Column("贷款银行", TEXT, ("银行", "贷款机构", "贷款行", "放款银行"),
                       hint="发放出口融资贷款的银行。", width=24)
    issue_date = Column("发放日", DATE, ("发放日期", "放款日", "放款日期", "贷款发放日", "贷款发放日期"), required=True,
                        hint="贷款发放日期，如 2023-05-10。", width=12)
    principal_fen = Column("本金(元)", MONEY, ("本金", "贷款本金", "贷款金额"), required=True,
                           hint="贷款本金，单位：元，不能为负数。")
    days = Column("计息天数", DAYS, ("天数", "实际计息天数"), required=True, hint="当年计息天数，填整数。")
    interest_paid_fen = Column("实付利息(元)", MONEY, ("利息", "已付利息", "实际支付利息", "支付利息"), required=True,
                               hint="当年实际支付的利息，单位：元，不能为负数。")


class OtherAwards(Table):
    """企业申报汇总 / 其他奖励: awards already received for the same item (article 7, 从高不重复)."""

    role = "app_other_awards"
    label = "企业申报汇总-其他奖励"
    sheet_names = ("其他奖励",)

    code = CODE_COLUMN
    name = dataclasses.replace(NAME_COLUMN, keep=False, template=False)
    rule_id = Column("规则编号", RULE_ID, ("规则", "规则ID", "对应规则编号", "规则代码"), required=True,
                     hint="从下拉列表选择已获奖励对应的规则编号（见“填表说明”）。", width=10)
    policy_name = Column("政策名称", TEXT, ("政策", "奖励政策名称", "政策文件"), hint="已获奖励的政策名称。", width=30)
    amount_fen = Column("已获金额(元)", MONEY, ("已获奖励金额", "已获得金额", "已获奖励"), required=True,
                        hint="同一事项已获得的奖励金额，单位：元，不能为负数。")


TABLES: tuple[type[Table], ...] = (Customs, Province, Firms, Loans, OtherAwards)
APPLICATION_TABLES: tuple[type[Table], ...] = (Firms, Loans, OtherAwards)
TABLE_BY_ROLE = {table.role: table for table in TABLES}
ROLE_LABELS = {table.role: table.label for table in TABLES}
