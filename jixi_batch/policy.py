"""The policy file, parsed once into typed, frozen parameters (POLICY.md; INPUTS.md "Fail closed").

The shipped file for 2023 is ``jixi_batch/policies/2023.yaml``; ``--policy`` loads another. The
file is read as plain data (:mod:`.policy_yaml`) and every key is checked when it is loaded, before
any input file is read: a missing key, a value of the wrong type, a negative or out-of-range
value, an unknown key or rule id stops the run with a :class:`PolicyError` naming the file and
the key path (``rules.A1.rate``). Nothing else in the program reads the YAML.

Money is integer fen (fields ending in ``_fen``; written in 元 in the file), rates are exact
``Fraction``s (written as percent text, ``"2.5"`` is 2.5%), quantities carry their unit.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, ClassVar, Mapping

from .model import RuleInfo
from .policy_yaml import NotPlainData, load_plain_yaml

POLICY_DIR = Path(__file__).parent / "policies"
FEN_PER_YUAN = 100
MAX_YUAN = 10 ** 12          # 一万亿元: far above any parameter, far below int64 fen


class PolicyError(Exception):
    """The policy file is missing, unreadable or has a bad parameter (message in Chinese)."""


# --- where a value sits, for messages --------------------------------------------------------

class _At:
    """A key path (``rules.A1.rate``) in one policy file."""

    def __init__(self, file: str, path: str = ""):
        self.file, self.path = file, path

    def __truediv__(self, key) -> "_At":
        return _At(self.file, f"{self.path}.{key}" if self.path else str(key))

    def error(self, text: str) -> PolicyError:
        return PolicyError(f"政策参数文件“{self.file}”的 {self.path} {text}" if self.path
                           else f"政策参数文件“{self.file}”{text}")

    def wrong(self, value, what: str) -> PolicyError:
        space = " " if what[:1].isascii() else ""        # 应为 1 到 12 之间…, 应为大于 0 的…
        return self.error(f"应为{space}{what}，实际为“{_shown(value)}”")

    def missing(self, what: str) -> PolicyError:
        return PolicyError(f"政策参数文件“{self.file}”缺少参数 {self.path}（{what}）")


def _shown(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "一组参数"
    if isinstance(value, list):
        return "列表"
    return str(value)


# --- kinds of value ----------------------------------------------------------------------------

class _Kind:
    """What a value must be (``what``, for messages) and how it becomes its typed form."""

    def __init__(self, what: str, convert: Callable[[Any], Any] | None = None, optional: bool = False,
                 default: Any = None):
        self.what, self.convert, self.optional, self.default = what, convert, optional, default

    def read(self, value, at: _At):
        """The typed value; ``convert`` raises ValueError, ArithmeticError or TypeError on a bad one."""
        try:
            return self.convert(value)
        except (ValueError, ArithmeticError, TypeError):
            raise at.wrong(value, self.what) from None


def _number(value) -> Decimal:
    """An int, a decimal or decimal text, exactly; never a bool."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise TypeError(value)
    number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    if not number.is_finite():
        raise ValueError(value)
    return number


def yuan_to_fen(value) -> int:
    """An amount in 元 (int, Decimal or decimal text) as integer fen, exactly."""
    fen = Decimal(str(value)) * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise ValueError(f"amount {value!r} 元 is not a whole number of fen")
    return int(fen)


def percent(value) -> Fraction:
    """A rate written in percent ("10", "2.5") as an exact fraction."""
    return Fraction(Decimal(str(value))) / 100


def _fen(low_open: bool) -> Callable[[Any], int]:
    """An amount in 元 (at most two decimals) as fen, from 0 (or above 0) to MAX_YUAN."""
    def convert(value) -> int:
        fen = yuan_to_fen(_number(value))
        if fen < 0 or fen > MAX_YUAN * FEN_PER_YUAN or (low_open and fen == 0):
            raise ValueError(value)
        return fen
    return convert


def _rate(low_open: bool, high_open: bool) -> Callable[[Any], Fraction]:
    """Percent text with at most two decimals ("2.5" is 2.5%) as an exact fraction of 1, within 0–100%."""
    def convert(value) -> Fraction:
        rate = percent(_number(value))
        if (rate * 10_000).denominator != 1 or not 0 <= rate <= 1 \
                or (low_open and rate == 0) or (high_open and rate == 1):
            raise ValueError(value)
        return rate
    return convert


def _integer(low: int, high: int) -> Callable[[Any], int]:
    def convert(value) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(value)
        return value
    return convert


def _text(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(value)
    return value.strip()


def _text_or_empty(value) -> str:
    if not isinstance(value, str):
        raise ValueError(value)
    return value.strip()


def _digits(low: int, high: int) -> Callable[[Any], str]:
    def convert(value) -> str:
        if not isinstance(value, str) or not value.isascii() or not value.isdigit() \
                or not low <= len(value) <= high:
            raise ValueError(value)
        return value
    return convert


def _list_of(convert_one) -> Callable[[Any], tuple]:
    def convert(value) -> tuple:
        if not isinstance(value, list) or not value:
            raise ValueError(value)
        return tuple(convert_one(v) for v in value)
    return convert


def _one_of(*choices) -> Callable[[Any], Any]:
    """Exactly one of ``choices``, of the same type (360, not "360" or 360.0)."""
    def convert(value):
        if type(value) is not type(choices[0]) or value not in choices:
            raise ValueError(value)
        return value
    return convert


def _positive(high: int) -> Callable[[Any], Decimal]:
    def convert(value) -> Decimal:
        number = _number(value)
        if not 0 < number <= high:
            raise ValueError(value)
        return number
    return convert


def _issued(value) -> str:
    return value.isoformat() if isinstance(value, date) else _text(value)


@dataclass(frozen=True)
class Quantity:
    """A quantity with its unit (the policy's coal threshold is in 吨)."""

    value: Decimal
    unit: str

    @property
    def tonnes(self) -> Fraction:
        return Fraction(self.value)


def _tonnes(value) -> Quantity:
    """Tonnes, 0 to 1,000,000,000, at most six decimals (a gram)."""
    tonnes = _number(value)
    if not 0 <= tonnes <= 10 ** 9 or tonnes != tonnes.quantize(Decimal("0.000001")):
        raise ValueError(value)
    return Quantity(tonnes, "吨")


TEXT = _Kind("文字", _text)
NOTE = _Kind("文字", _text, optional=True, default="")
MONEY = _Kind("大于 0 的金额（元，最多两位小数）", _fen(low_open=True))
THRESHOLD = _Kind("不小于 0 的金额（元，最多两位小数）", _fen(low_open=False))
RATE = _Kind("大于 0、不超过 100 的百分数（如“10”即 10%，最多两位小数）", _rate(low_open=True, high_open=False))
PERCENT_BELOW_100 = _Kind("不小于 0、小于 100 的百分数（如“50”即 50%，最多两位小数）",
                          _rate(low_open=False, high_open=True))
COUNT = _Kind("不小于 0 的整数", _integer(0, 10 ** 9))
BLANKABLE = _Kind("文字（可为空：\"\"）", _text_or_empty, optional=True, default="")
WORKING_DAYS = _Kind("1 到 30 之间的整数（工作日数）", _integer(1, 30), optional=True, default=5)
TONNES = _Kind("不小于 0 的吨数（最多六位小数）", _tonnes)
DAY_COUNT = _Kind("一年的计息天数 360 或 365", _one_of(360, 365))
YEAR = _Kind("2000 到 2100 之间的年份", _integer(2000, 2100))
MONTH = _Kind("1 到 12 之间的整数（月份）", _integer(1, 12))
YEAR_OFFSET = _Kind("0 到 5 之间的整数（政策年度之后第几年）", _integer(0, 5))
ISSUED = _Kind("日期（如 \"2023-08-16\"）", _issued, optional=True, default="")
TEXTS = _Kind("文字列表（至少一项）", _list_of(_text))
RULE_ID = _Kind("规则编号（如 A5X）", _text)
RULE_LIST = _Kind("规则编号列表（如 [A5I, A5C]）", _list_of(_text))
TRADE_MODES = _Kind("加引号的 4 位监管方式代码列表（如 [\"9610\"]）", _list_of(_digits(4, 4)))
HS_PREFIXES = _Kind("加引号的 2 到 10 位商品编码前缀列表（如 [\"2709\"]）", _list_of(_digits(2, 10)))
HS_PREFIX = _Kind("加引号的 2 到 10 位商品编码前缀（如 \"2701\"）", _digits(2, 10))


class _Table(_Kind):
    """A mapping of text keys to values of one kind; an entry's message names its key."""

    def __init__(self, what: str, entry: _Kind):
        super().__init__(what)
        self.entry = entry

    def read(self, value, at: _At):
        if not isinstance(value, dict) or not value:
            raise at.wrong(value, self.what)
        out = {}
        for key, entry in value.items():
            if not isinstance(key, str) or not key.strip():
                raise at.wrong(key, self.what)
            out[key.strip()] = self.entry.read(entry, at / key)
        return MappingProxyType(out)


TONNES_PER_UNIT = _Table("计量单位与吨的换算表（如 千克: \"0.001\"）",
                         _Kind("大于 0 的吨数（一个该计量单位折合多少吨）", _positive(10 ** 6)))
TRADE_MODE_TABLE = _Table("监管方式名称与代码的对照表（如 一般贸易: \"0110\"）",
                          _Kind("加引号的 4 位监管方式代码（如 \"0110\"）", _digits(4, 4)))
ITEM_TABLE = _Table("省级奖励项目与规则编号的对照表（如 境外展会补贴: A4）", RULE_ID)


class _Section(_Kind):
    """A mapping read into the dataclass ``cls``: its fields name their keys (``_param``)."""

    def __init__(self, cls, optional: bool = False, **fixed):
        super().__init__("一组“键: 值”参数", optional=optional)
        self.cls, self.fixed = cls, fixed
        if optional:
            self.default = cls(**{f.name: f.metadata["kind"].default for f in fields(cls) if "key" in f.metadata},
                               **fixed)

    def read(self, value, at: _At):
        if not isinstance(value, dict):
            raise at.wrong(value, self.what)
        params = {f.metadata["key"]: f for f in fields(self.cls) if "key" in f.metadata}
        for key in value:
            if key not in params:
                raise (at / key).error(f"不是可识别的参数，请检查拼写（可用：{'、'.join(params)}）")
        kwargs = dict(self.fixed)
        for key, spec in params.items():
            kind: _Kind = spec.metadata["kind"]
            if value.get(key) is None:
                if not kind.optional:
                    raise (at / key).missing(kind.what)
                kwargs[spec.name] = kind.default
            else:
                kwargs[spec.name] = kind.read(value[key], at / key)
        return self.cls(**kwargs)


def _param(key: str, kind: _Kind):
    """A dataclass field read from ``key`` of its section, as ``kind`` says."""
    return field(metadata={"key": key, "kind": kind})


# --- the policy: meta, codes, rules -----------------------------------------------------------

@dataclass(frozen=True)
class Payout:
    """第七条: awards of year Y are paid by the end of ``deadline_month`` of Y + ``deadline_year_offset``."""

    text: str = _param("text", NOTE)
    article: str = _param("article", NOTE)
    deadline_month: int = _param("deadline_month", MONTH)
    deadline_year_offset: int = _param("deadline_year_offset", YEAR_OFFSET)

    def deadline(self, year: int) -> date:
        deadline_year = int(year) + self.deadline_year_offset
        return date(deadline_year, self.deadline_month,
                    calendar.monthrange(deadline_year, self.deadline_month)[1])


@dataclass(frozen=True)
class Fund:
    """第七条: the special fund (专项资金) the total is held against."""

    article: str = _param("article", NOTE)
    amount_fen: int = _param("amount", MONEY)
    unit: str = _param("unit", _Kind("“元”（金额一律以元为单位）", _one_of("元"), optional=True, default="元"))


@dataclass(frozen=True)
class Rounding:
    """POLICY.md "Money": half up, to the fen, once per rule line (the only rounding the program does)."""

    method: str = _param("method", _Kind("“half_up”（四舍五入）", _one_of("half_up")))
    unit: str = _param("unit", _Kind("“分”", _one_of("分")))


@dataclass(frozen=True)
class Meta:
    """The measures themselves: year, title, issuer, the bodies that sign the letters, payout, fund."""

    year: int = _param("year", YEAR)
    title: str = _param("title", TEXT)
    issued: str = _param("issued", ISSUED)
    issuer: str = _param("issuer", TEXT)
    issuing_bodies: tuple[str, ...] = _param("issuing_bodies", TEXTS)
    payout: Payout = _param("payout", _Section(Payout))
    fund: Fund = _param("fund", _Section(Fund))
    rounding: Rounding = _param("rounding", _Section(Rounding))


@dataclass(frozen=True)
class TradeModes:
    article: str = _param("article", NOTE)
    values: tuple[str, ...] = _param("values", TRADE_MODES)


@dataclass(frozen=True)
class HsPrefixes:
    article: str = _param("article", NOTE)
    values: tuple[str, ...] = _param("values", HS_PREFIXES)


@dataclass(frozen=True)
class HsPrefix:
    article: str = _param("article", NOTE)
    value: str = _param("value", HS_PREFIX)


@dataclass(frozen=True)
class TradeModeNames:
    article: str = _param("article", NOTE)
    source: str = _param("source", NOTE)
    values: Mapping[str, str] = _param("values", TRADE_MODE_TABLE)


@dataclass(frozen=True)
class Codes:
    """Trade modes and HS prefixes the rules select rows by; units and names the reader converts."""

    cross_border_trade_modes: TradeModes = _param("cross_border_trade_modes", _Section(TradeModes))
    energy_hs_prefixes: HsPrefixes = _param("energy_hs_prefixes", _Section(HsPrefixes))
    coal_hs_prefix: HsPrefix = _param("coal_hs_prefix", _Section(HsPrefix))
    tonnes_per_unit: Mapping[str, Decimal] = _param("quantity_units", TONNES_PER_UNIT)
    trade_mode_names: TradeModeNames = _param("trade_mode_names", _Section(TradeModeNames))


@dataclass(frozen=True)
class Rule:
    """What every rule states: its article (``五（二）``), name, the sentence of the measures, a reading."""

    provincial: ClassVar[bool] = False      # paid on a provincial award item (province_items)
    rule_id: str
    article: str = _param("article", TEXT)
    name: str = _param("name", TEXT)
    text: str = _param("text", NOTE)
    reading: str = _param("reading", NOTE)


@dataclass(frozen=True)
class RuleA1(Rule):
    """第一条: new trade (Y − (Y−1)) ≥ ``min_increase`` → ``rate`` × the provincial award."""

    provincial: ClassVar[bool] = True
    min_increase_fen: int = _param("min_increase", THRESHOLD)
    rate: Fraction = _param("rate", RATE)


@dataclass(frozen=True)
class PerItemRule(Rule):
    """第二条 (A2N, A2P), 第三条 (A3W): ``amount_each`` per provincial row (platform, warehouse)."""

    provincial: ClassVar[bool] = True
    amount_each_fen: int = _param("amount_each", MONEY)


@dataclass(frozen=True)
class RuleA3E(Rule):
    """第三条: cross-border e-commerce trade ≥ ``min_trade`` → ``rate`` × the provincial award."""

    provincial: ClassVar[bool] = True
    min_trade_fen: int = _param("min_trade", THRESHOLD)
    rate: Fraction = _param("rate", RATE)


@dataclass(frozen=True)
class RuleA3S(Rule):
    """第三条: ``rate`` × (入驻费 + 推广费), at most ``cap``."""

    rate: Fraction = _param("rate", RATE)
    cap_fen: int = _param("cap", MONEY)


@dataclass(frozen=True)
class RuleA3C(Rule):
    """第三条: served firms ≥ ``min_served`` and trade ≥ ``min_trade`` → ``amount``."""

    min_served: int = _param("min_served", COUNT)
    min_trade_fen: int = _param("min_trade", THRESHOLD)
    amount_fen: int = _param("amount", MONEY)


@dataclass(frozen=True)
class RuleA4(Rule):
    """第四条: ``rate`` × the provincial fair subsidies."""

    provincial: ClassVar[bool] = True
    rate: Fraction = _param("rate", RATE)


@dataclass(frozen=True)
class RuleA5I(Rule):
    """第五条（一）: energy imports ≥ ``min_import`` and 落地率 > ``min_landing_rate`` → ``rate``, at most ``cap``."""

    min_import_fen: int = _param("min_import", THRESHOLD)
    min_landing_rate: Fraction = _param("min_landing_rate", PERCENT_BELOW_100)
    rate: Fraction = _param("rate", RATE)
    cap_fen: int = _param("cap", MONEY)


@dataclass(frozen=True)
class RuleA5C(Rule):
    """第五条（一）: coal imports ≥ ``min_tonnes`` → ``yuan_per_tonne`` × landed tonnes, at most ``cap``."""

    min_import: Quantity = _param("min_tonnes", TONNES)
    fen_per_tonne: int = _param("yuan_per_tonne", MONEY)
    cap_fen: int = _param("cap", MONEY)


@dataclass(frozen=True)
class RuleA5X(Rule):
    """第五条（二）: local-processing exports ≥ ``min_export`` → ``rate``, at most ``cap``."""

    min_export_fen: int = _param("min_export", THRESHOLD)
    rate: Fraction = _param("rate", RATE)
    cap_fen: int = _param("cap", MONEY)


@dataclass(frozen=True)
class RuleA5F(Rule):
    """第五条（二）: ``rate`` × (bank fees + interest at LPR / ``day_count``), at most ``cap``; only for
    firms that qualify for the rule named by ``requires`` (同时给予)."""

    rate: Fraction = _param("rate", RATE)
    cap_fen: int = _param("cap", MONEY)
    day_count: int = _param("day_count", DAY_COUNT)
    requires: str = _param("requires", RULE_ID)


@dataclass(frozen=True)
class RuleA5G(Rule):
    """第五条（三）: trade ≥ ``min_trade`` → ``amount_per_step`` per whole ``step`` of increase, at most
    ``cap`` (``cap_new`` for a firm newly introduced in Y)."""

    min_trade_fen: int = _param("min_trade", THRESHOLD)
    step_fen: int = _param("step", MONEY)
    amount_per_step_fen: int = _param("amount_per_step", MONEY)
    cap_fen: int = _param("cap", MONEY)
    cap_new_fen: int = _param("cap_new", MONEY)


def _rule(rule_id: str, cls):
    return _param(rule_id, _Section(cls, rule_id=rule_id))


@dataclass(frozen=True)
class Rules:
    """Every rule the program computes, each with its own parameters."""

    A1: RuleA1 = _rule("A1", RuleA1)
    A2N: PerItemRule = _rule("A2N", PerItemRule)
    A2P: PerItemRule = _rule("A2P", PerItemRule)
    A3E: RuleA3E = _rule("A3E", RuleA3E)
    A3S: RuleA3S = _rule("A3S", RuleA3S)
    A3W: PerItemRule = _rule("A3W", PerItemRule)
    A3C: RuleA3C = _rule("A3C", RuleA3C)
    A4: RuleA4 = _rule("A4", RuleA4)
    A5I: RuleA5I = _rule("A5I", RuleA5I)
    A5C: RuleA5C = _rule("A5C", RuleA5C)
    A5X: RuleA5X = _rule("A5X", RuleA5X)
    A5F: RuleA5F = _rule("A5F", RuleA5F)
    A5G: RuleA5G = _rule("A5G", RuleA5G)

    def __getitem__(self, rule_id: str) -> Rule:
        return getattr(self, rule_id)


RULE_IDS = tuple(f.name for f in fields(Rules))


@dataclass(frozen=True)
class Article5:
    """第五条: the rules of the article together, at most ``cap`` per firm."""

    article: str = _param("article", NOTE)
    text: str = _param("text", NOTE)
    rules: tuple[str, ...] = _param("rules", RULE_LIST)
    cap_fen: int = _param("cap", MONEY)


@dataclass(frozen=True)
class Procedure:
    """How the bureau carries out the payout (OUTPUTS.md "Documents for each step", "Letters ready to
    send"): who prepares the tables, the 公示 period and where objections go, the letters' number
    prefix and the contact printed on them. Not numbers of the measures; a file without this section
    gets these defaults (and the console names what is left empty)."""

    preparer: str = _param("preparer", BLANKABLE)                         # 制表单位; default: the first issuing body
    publicity_working_days: int = _param("publicity_working_days", WORKING_DAYS)
    objection_contact: str = _param("objection_contact", BLANKABLE)        # 公示 objections: where and how
    letter_number_prefix: str = _param("letter_number_prefix", BLANKABLE)  # 编号 = prefix + 序号
    contact_person: str = _param("contact_person", BLANKABLE)
    telephone: str = _param("telephone", BLANKABLE)


@dataclass(frozen=True)
class Policy:
    """The whole policy file, checked; ``path`` is where it was read from."""

    path: Path
    meta: Meta = _param("policy", _Section(Meta))
    codes: Codes = _param("codes", _Section(Codes))
    province_items: Mapping[str, str] = _param("province_items", ITEM_TABLE)
    rules: Rules = _param("rules", _Section(Rules))
    article5: Article5 = _param("article5", _Section(Article5))
    rule_order: tuple[str, ...] = _param("rule_order", RULE_LIST)
    procedure: Procedure = _param("procedure", _Section(Procedure, optional=True))

    @property
    def preparer(self) -> str:
        """制表单位: the one the policy file names, else the first body that issues the letters."""
        return self.procedure.preparer or self.meta.issuing_bodies[0]

    @property
    def year(self) -> int:
        return self.meta.year

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def fund_fen(self) -> int:
        return self.meta.fund.amount_fen

    @property
    def provincial_rules(self) -> tuple[str, ...]:
        """The rules paid on provincial award items, in rule order."""
        return tuple(r for r in self.rule_order if self.rules[r].provincial)

    def rules_info(self) -> list[RuleInfo]:
        return [RuleInfo(rule_id=r, name=self.rules[r].name, article=article_label(self.rules[r].article),
                         text=self.rules[r].text)
                for r in self.rule_order]


def article_label(article: str) -> str:
    """'五（二）' -> '第五条第（二）项'; '三' -> '第三条'."""
    if "（" in article:
        head, item = article.split("（", 1)
        return f"第{head}条第（{item}项"
    return f"第{article}条"


def _check_rule_ids(ids: tuple[str, ...], at: _At, complete: bool) -> None:
    known = "、".join(RULE_IDS)
    seen = set()
    for rule_id in ids:
        if rule_id not in RULE_IDS:
            raise at.error(f"中的“{rule_id}”不是本程序能计算的规则（可用：{known}）")
        if rule_id in seen:
            raise at.error(f"中的“{rule_id}”出现了两次")
        seen.add(rule_id)
    missing = [r for r in RULE_IDS if r not in seen]
    if complete and missing:
        raise at.error(f"缺少规则 {'、'.join(missing)}（每条规则都要列出一次）")


def _check_links(policy: Policy, at: _At) -> None:
    """Rule ids that point across sections name rules that exist and fit."""
    _check_rule_ids(policy.rule_order, at / "rule_order", complete=True)
    _check_rule_ids(policy.article5.rules, at / "article5" / "rules", complete=False)
    provincial = [r for r in RULE_IDS if policy.rules[r].provincial]
    for item, rule_id in policy.province_items.items():
        where = at / "province_items" / item
        if rule_id not in RULE_IDS:
            raise where.error(f"指向的“{rule_id}”不是本程序能计算的规则（可用：{'、'.join(provincial)}）")
        if rule_id not in provincial:
            raise where.error(f"指向的“{rule_id}”不按省级奖励计算（可用：{'、'.join(provincial)}）")
    for rule_id in provincial:
        if rule_id not in policy.province_items.values():
            raise (at / "province_items").error(f"中没有指向规则 {rule_id} 的省级奖励项目")
    requires = policy.rules.A5F.requires
    if requires not in RULE_IDS or requires == "A5F":
        raise (at / "rules" / "A5F" / "requires").error(
            f"指向的“{requires}”不是本程序能计算的其他规则（可用：{'、'.join(r for r in RULE_IDS if r != 'A5F')}）")


def default_policy_path(year: int) -> Path:
    return POLICY_DIR / f"{year}.yaml"


def load_policy(path: Path) -> Policy:
    """Read and check a policy file; PolicyError with a Chinese message naming file and key when unusable."""
    path = Path(path)
    at = _At(path.name)
    try:
        data = load_plain_yaml(path)
    except FileNotFoundError:
        raise PolicyError(f"找不到政策参数文件：{path}") from None
    except OSError as exc:
        raise PolicyError(f"政策参数文件“{path.name}”无法读取（{exc.strerror or exc.__class__.__name__}）："
                          f"{path}") from None
    except NotPlainData as exc:
        where = (f"第 {exc.line} 行" if exc.line else "") + (f"（{exc.key}）" if exc.key else "")
        raise PolicyError(f"政策参数文件“{path.name}”{where}{exc.reason}") from None
    if not isinstance(data, dict):
        raise at.error("的内容不是“键: 值”形式的参数表")
    policy = _Section(Policy, path=path).read(data, at)
    _check_links(policy, at)
    return policy
