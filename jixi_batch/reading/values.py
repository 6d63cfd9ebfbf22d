"""Cell values: from whatever Excel or a CSV gives to exact typed values.

Every parser here takes one cell value (``None``/NaN for an empty cell, ``str``,
``int``, a binary float from Excel, ``bool``, ``datetime``...) and returns
``(value, error)``: ``error`` is ``None`` or a Chinese sentence saying what was
expected. Columns are parsed with :func:`map_unique`, which calls the parser once
per distinct cell value, and money/quantity columns that are all numbers take a
vectorised numpy path (:func:`scaled_integers`).

Exactness: an Excel float goes through ``Decimal(repr(x))`` — its shortest decimal
text, i.e. what Excel shows — and is never multiplied as a binary float where the
product could round differently. Money is integer fen, rounded half up
(away from zero) from the exact decimal. Rates and declared tonnes are exact Fractions, and
the customs quantity is the cell's number itself: nothing a threshold is compared with is
rounded (INPUTS.md "Fail closed").
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
import pandas as pd

# --- empty cells and text ----------------------------------------------------

DASHES = {"-", "—", "–", "―", "－", "--", "——", "―", "/", "－－", "−"}
_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_WS_RE = re.compile(r"\s+")
LIMIT = Decimal(10) ** 17  # 1e17 fen (1e15 元) or units: larger is a typing error, never a figure


def is_empty(value) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float):
        return value != value
    if isinstance(value, str):
        return not value.strip()
    return False


def fold(text: str) -> str:
    """NFKC (full-width to half-width) and trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def as_text(value) -> str:
    """A cell as text for tables and review rows ('' for empty)."""
    if is_empty(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.hour or value.minute or value.second:
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def parse_text(value):
    """Free text (names, banks, addresses): trimmed, '' when empty."""
    return as_text(value), None


# --- numbers -----------------------------------------------------------------

@functools.lru_cache(maxsize=65536)
def _text_decimal(text: str):
    t = unicodedata.normalize("NFKC", text)
    t = _WS_RE.sub("", t).replace(",", "").replace("，", "")
    if t in DASHES or not t:
        return None, None
    if t[0] in "¥$" and len(t) > 1:
        t = t[1:]
    if not _NUMBER_RE.fullmatch(t):
        return None, "不是数字"
    try:
        return Decimal(t), None
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        return None, "不是数字"


def to_decimal(value):
    """(Decimal | None for empty, error). Text, Excel numbers; booleans and dates are errors."""
    if is_empty(value):
        return None, None
    if isinstance(value, bool) or isinstance(value, np.bool_):
        return None, "不是数字"
    if isinstance(value, (int, np.integer)):
        return Decimal(int(value)), None
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            return None, "不是数字"
        return Decimal(repr(value.item() if isinstance(value, np.floating) else value)), None
    if isinstance(value, str):
        number, error = _text_decimal(value)
        if number is not None and not number.is_finite():
            return None, "不是数字"
        return number, error
    return None, "不是数字"


def scale_decimal(number: Decimal, scale: Decimal) -> int:
    """number × scale rounded half up (away from zero) to an integer."""
    return int((number * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def make_scaled_parser(scale, allow_negative: bool, what: str, integer_only: bool = False):
    """A parser: number → round_half_up(number × scale); empty → 0."""
    scale = Decimal(scale)

    def parse(value):
        number, error = to_decimal(value)
        if error:
            return 0, f"{error}，应填写{what}"
        if number is None:
            return 0, None
        if abs(number * scale) >= LIMIT:
            return 0, f"数值过大，应填写{what}"
        if number < 0 and not allow_negative:
            return 0, "不能为负数"
        if integer_only and number != number.to_integral_value():
            return 0, "应为整数" + ("" if what == "整数" else f"（{what}）")
        return scale_decimal(number, scale), None

    return parse


# --- map a column through a per-value parser ---------------------------------

_TRUE_KEY = "\x00TRUE"
_FALSE_KEY = "\x00FALSE"


def _may_hide_booleans(uniques) -> bool:
    """True == 1 == 1.0 in Python: factorize may have merged a boolean with 1/0."""
    for u in uniques:
        if isinstance(u, (bool, np.bool_)):
            return True
        if isinstance(u, (int, float, np.integer, np.floating)) and (u == 0 or u == 1):
            return True
    return False


def _bool_safe_keys(col: np.ndarray) -> np.ndarray:
    keys = col.copy()
    for i in np.flatnonzero(np.fromiter((type(x) is bool or type(x) is np.bool_ for x in col),
                                        dtype=bool, count=len(col))):
        keys[i] = _TRUE_KEY if col[i] else _FALSE_KEY
    return keys


def _unkey(key):
    """The cell value a factorize key stands for, an integral float as the int pandas would give."""
    if key.__class__ is float:
        return int(key) if key.is_integer() else key
    if isinstance(key, str):
        if key == _TRUE_KEY:
            return True
        if key == _FALSE_KEY:
            return False
    return key


def map_unique(col, parse, memo: dict | None = None, factors: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``parse`` once per distinct value; (values, errors) as object arrays.

    A float with an integral value (``202305.0``) reaches ``parse`` as an int, as it would
    from pandas' reader (see :mod:`.calamine_grid`). ``memo`` (a dict kept by the caller)
    carries results from earlier calls with the same ``parse``: a big sheet is parsed a
    chunk of rows at a time, and each firm's code is then checked once, not once a chunk.
    ``factors`` (a dict kept by the caller) receives, under ``id(values)``, (values, the value
    of each distinct cell, each row's index into them): what :mod:`.duplicate_rows` hashes
    instead of factorizing the column again.
    """
    col = np.asarray(col, dtype=object)
    if len(col) == 0:
        return np.empty(0, dtype=object), np.empty(0, dtype=object)
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    if _may_hide_booleans(uniques):
        codes, uniques = pd.factorize(_bool_safe_keys(col), use_na_sentinel=True)
    memo = {} if memo is None else memo
    results = []
    for u in uniques:
        value = _unkey(u)
        key = (value.__class__, value)          # True == 1 == 1.0: keep them apart
        result = memo.get(key)
        if result is None:
            result = memo[key] = parse(value)
        results.append(result)
    results.append(parse(None))
    values = np.empty(len(results), dtype=object)
    errors = np.empty(len(results), dtype=object)
    for i, (v, e) in enumerate(results):
        values[i] = v
        errors[i] = e
    index = np.where(codes < 0, len(uniques), codes)
    out = values[index]
    if factors is not None:
        factors[id(out)] = (out, values, index)
    return out, errors[index]


# --- vectorised numbers --------------------------------------------------------

_NUMERIC_KINDS = {"integer", "floating", "mixed-integer-float", "empty", "decimal"}


def scaled_integers(col, scale, allow_negative: bool, what: str,
                    integer_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A numeric column × scale as int64, half up, plus errors (object array, None = fine).

    Columns of Excel numbers take a numpy path: integral values are multiplied as
    integers; other floats are rounded from ``x × scale`` except where that product is
    within rounding noise of a .5 boundary (or large), which go through the exact
    ``Decimal(repr(x))`` path. Columns with text go value by value through
    :func:`make_scaled_parser` (once per distinct value).
    """
    col = np.asarray(col, dtype=object)
    parse = make_scaled_parser(scale, allow_negative, what, integer_only)
    scale_dec = Decimal(scale)
    kind = pd.api.types.infer_dtype(col, skipna=True) if len(col) else "empty"
    if scale_dec != scale_dec.to_integral_value() or kind == "decimal":
        values, errors = map_unique(col, parse)
        return values.astype(np.int64), errors
    if kind not in _NUMERIC_KINDS:
        return _scaled_text_column(col, scale, allow_negative, what, integer_only)
    scale_int = int(scale_dec)
    with np.errstate(invalid="ignore", over="ignore"):
        try:
            x = col.astype(np.float64)
        except (OverflowError, TypeError, ValueError):
            values, errors = map_unique(col, parse)
            return values.astype(np.int64), errors
        empty = np.isnan(x)
        xs = np.where(empty, 0.0, x)
        scaled = xs * scale_int
        # beyond 1e13 after scaling, a float product may round and an int64 product may overflow
        small = np.abs(scaled) < 1e13
        integral = (xs == np.floor(xs)) & small
        frac = np.abs(scaled) - np.floor(np.abs(scaled))
        tolerance = 1e-6 + np.abs(scaled) * 1e-15
        exact_needed = (~integral & (np.abs(frac - 0.5) < tolerance)) | ~small | ~np.isfinite(xs)
        result = np.zeros(len(col), dtype=np.int64)
        ints = integral & ~exact_needed
        result[ints] = xs[ints].astype(np.int64) * scale_int
        rest = ~integral & ~exact_needed
        rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
        result[rest] = rounded[rest].astype(np.int64)
    errors = np.full(len(col), None, dtype=object)
    if exact_needed.any():
        idx = np.flatnonzero(exact_needed)
        vals, errs = map_unique(col[idx], parse)
        result[idx] = vals.astype(np.int64)
        errors[idx] = errs
    bad_sign = (xs < 0) & ~exact_needed
    if not allow_negative and bad_sign.any():
        result[bad_sign] = 0
        errors[bad_sign] = "不能为负数"
    if integer_only:
        not_int = ~integral & ~empty & ~exact_needed
        if not_int.any():
            result[not_int] = 0
            errors[not_int] = "应为整数" + ("" if what == "整数" else f"（{what}）")
    return result, errors


# --- percent -------------------------------------------------------------------

def parse_percent(value):
    """落地率 as an exact share of one (55% → Fraction(11, 20)); empty → 0.

    Reading rule: text with a % sign (``55%``, ``55.5％``) is percent points. A plain
    number (an Excel number, or text without %) ≤ 1 and > 0 is a fraction — an Excel
    percent cell formatted 55% arrives as 0.55 — so 0.55 → 55% and 1 → 100%; a plain
    number > 1 is percent points (55 → 55%). Above 100% or negative is an error. The
    value is kept exactly as declared (0.5000001 is above 50%: INPUTS.md "Fail closed").
    """
    if is_empty(value):
        return Fraction(0), None
    points = None
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value)
        text = _WS_RE.sub("", text)
        if text.endswith("%"):
            number, error = _text_decimal(text[:-1])
            if error or number is None:
                return Fraction(0), "不是百分比，应填写如 55 或 55%"
            points = number
    if points is None:
        number, error = to_decimal(value)
        if error:
            return Fraction(0), "不是百分比，应填写如 55 或 55%"
        if number is None:
            return Fraction(0), None
        points = number * 100 if 0 < number <= 1 else number
    if points < 0 or points > 100:
        return Fraction(0), "百分比应在 0 到 100% 之间"
    return Fraction(points) / 100, None


# --- exact quantities ------------------------------------------------------------

def make_exact_parser(per_unit: Fraction, what: str):
    """A parser: a number ≥ 0 → the exact quantity (number × ``per_unit``) as a Fraction; empty → 0."""
    def parse(value):
        number, error = to_decimal(value)
        if error:
            return Fraction(0), f"{error}，应填写{what}"
        if number is None:
            return Fraction(0), None
        if abs(number) >= LIMIT:
            return Fraction(0), f"数值过大，应填写{what}"
        if number < 0:
            return Fraction(0), "不能为负数"
        return Fraction(number) * per_unit, None

    return parse


def quantities(col) -> tuple[np.ndarray, np.ndarray]:
    """The customs 数量 column as the numbers the cells hold (float64, as Excel holds them), plus errors.

    A float is kept, not a scaled integer, so nothing is rounded: the declared decimal is its
    shortest representation (``exact_quantity``), taken before any arithmetic. Text is read as a
    decimal and kept only when a float holds it exactly (up to 15 significant digits)."""
    col = np.asarray(col, dtype=object)
    kind = pd.api.types.infer_dtype(col, skipna=True) if len(col) else "empty"
    if kind in ("integer", "floating", "mixed-integer-float", "empty"):
        with np.errstate(invalid="ignore"):
            x = col.astype(np.float64)
        bad = ~np.isfinite(x) & ~np.isnan(x) | (np.abs(np.nan_to_num(x)) >= float(LIMIT))
        errors = np.full(len(col), None, dtype=object)
        errors[bad] = "数值过大，应填写数量"
        return np.where(np.isnan(x) | bad, 0.0, x), errors
    return map_unique(col, _parse_quantity)


def _parse_quantity(value):
    number, error = to_decimal(value)
    if error:
        return 0.0, f"{error}，应填写数量"
    if number is None:
        return 0.0, None
    if abs(number) >= LIMIT:
        return 0.0, "数值过大，应填写数量"
    held = float(number)
    if Decimal(repr(held)) != number:
        return 0.0, "有效数字超过15位，无法精确计算，应填写数量"
    return held, None


def exact_quantity(value: float) -> Fraction:
    """A quantity cell's number exactly as declared: the shortest decimal that is this float."""
    return Fraction(Decimal(repr(float(value))))


# --- booleans --------------------------------------------------------------------

_TRUE = {"是", "Y", "YES", "1", "√", "✓", "✔", "TRUE", "T", "对", "有"}
_FALSE = {"否", "N", "NO", "0", "×", "✗", "✘", "FALSE", "F", "无", "不是"}


def parse_bool(value):
    """是/否 (also Y/N, 1/0, √, TRUE/FALSE, Excel booleans); empty → False."""
    if is_empty(value):
        return False, None
    if isinstance(value, (bool, np.bool_)):
        return bool(value), None
    if isinstance(value, (int, float)) and value in (0, 1):
        return value == 1, None
    text = unicodedata.normalize("NFKC", str(value)).strip().upper()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    return False, "应填写“是”或“否”"


# --- dates -------------------------------------------------------------------------

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_RES = [
    re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
]
_TIME_TAIL_RE = re.compile(r"(\s+|T)\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
def _make_date(y: int, m: int, d: int):
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _serial_date(number: Decimal):
    if number != number.to_integral_value() or not (20000 <= number <= 80000):
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def to_date(value):
    """(datetime.date | None, error) from an Excel date, text or serial number."""
    if is_empty(value):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, (bool, np.bool_)):
        return None, "不是日期"
    if isinstance(value, (int, float, np.integer, np.floating)):
        number, error = to_decimal(value)
        if error or number is None:
            return None, "不是日期"
        if number == number.to_integral_value() and 19000101 <= number <= 29991231:
            d = _make_date(int(number) // 10000, int(number) // 100 % 100, int(number) % 100)
            return (d, None) if d else (None, "不是日期")
        d = _serial_date(number)
        return (d, None) if d else (None, "不是日期")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = _TIME_TAIL_RE.sub("", text).strip()
    for pattern in _DATE_RES:
        m = pattern.fullmatch(text)
        if m:
            d = _make_date(int(m["y"]), int(m["m"]), int(m["d"]))
            return (d, None) if d else (None, "不是有效日期")
    number, error = _text_decimal(text)
    if number is not None and not error:
        d = _serial_date(number)
        if d:
            return d, None
    return None, "不是日期"


def parse_date(value):
    """发放日: an Excel date, 2023-05-10, 2023/5/10, 2023年5月10日, 20230510 or an Excel serial."""
    d, error = to_date(value)
    if error:
        return None, error + "，应填写如 2023-05-10"
    if d is None:
        return None, "缺少日期"
    return d, None


_RANGE_SEP = r"\s*[-—–~～至到]\s*"
_PERIOD_MONTH_RES = [
    re.compile(r"(\d{4})(\d{2})"),
    re.compile(r"(\d{4})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月份?"),
]
_PERIOD_YEAR_RE = re.compile(r"(\d{4})(?:年度?|年全年|年度全年)?")
_PERIOD_RANGE_RE = re.compile(r"(\d{4})(?:年|[.\-/])(\d{1,2})月?份?" + _RANGE_SEP + r"(\d{1,2})(?:月份?)?(?:累计)?")
_PERIOD_YEARS_RANGE_RE = re.compile(r"(\d{4})(?:年|[.\-/])?(\d{1,2})月?份?" + _RANGE_SEP
                                    + r"(\d{4})(?:年|[.\-/])?(\d{1,2})月?份?(?:累计)?")
_BARE_RANGE_RE = re.compile(r"(\d{1,2})月?份?" + _RANGE_SEP + r"(\d{1,2})月份?(?:累计)?")
_BARE_MONTH_RE = re.compile(r"(\d{1,2})月?份?")
PERIOD_EXPECTED = "应填写如 202305、2023年、2023年1-12月"


def _range(year, first: int, last: int, text: str):
    """A cumulative range: the whole year is (year, 0); part of a year cannot be used."""
    if not (1 <= first <= 12 and 1 <= last <= 12) or first > last:
        return None, f"不是有效的统计期间，{PERIOD_EXPECTED}"
    if first == 1 and last == 12:
        return (year, 0), None
    return None, f"统计期间“{text}”是{first}至{last}月的累计数，不是全年数据，无法按月或按年计算"


def parse_period(value):
    """年月 → ((year, month), error); month 0 is a whole year (INPUTS.md "Periods").

    ``202305``, ``2023-05``, ``2023年5月``, a date (any day of the month); a year alone (``2023``,
    ``2023年``, ``2023年度``) and a cumulative range over the whole year (``2023年1-12月``,
    ``2023年1月至12月``, ``202301-202312``) are the whole year; a range over part of a year is an
    error (listed for review). A bare month (``5``, ``5月``) or a bare range (``1-12月``) comes
    back with year None: the caller may take the year from the sheet's title line.
    """
    if is_empty(value):
        return None, "缺少年月"
    if isinstance(value, (dt.date, dt.datetime)) and not isinstance(value, bool):
        return (value.year, value.month), None
    if isinstance(value, (bool, np.bool_)):
        return None, f"不是年月，{PERIOD_EXPECTED}"
    if isinstance(value, (int, float, np.integer, np.floating)):
        number, error = to_decimal(value)
        if error or number is None or number != number.to_integral_value():
            return None, f"不是年月，{PERIOD_EXPECTED}"
        number = int(number)
        if 1 <= number <= 12:
            return (None, number), None
        if 1900 <= number <= 2999:
            return (number, 0), None
        if 20000 <= number <= 80000:
            d = _serial_date(Decimal(number))
            return ((d.year, d.month), None) if d else (None, f"不是年月，{PERIOD_EXPECTED}")
        text = str(number)
    else:
        text = _TIME_TAIL_RE.sub("", unicodedata.normalize("NFKC", str(value)).strip())
        text = _WS_RE.sub("", text)
    for pattern in _PERIOD_MONTH_RES:
        m = pattern.fullmatch(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if 1900 <= year <= 2999 and 1 <= month <= 12:
                return (year, month), None
            return None, f"不是有效年月，{PERIOD_EXPECTED}"
    m = _PERIOD_YEAR_RE.fullmatch(text)
    if m and 1900 <= int(m.group(1)) <= 2999:
        return (int(m.group(1)), 0), None
    if any(p.fullmatch(text) for p in _DATE_RES):      # 2023-1-12 is a day, not a range
        d, error = to_date(text)
        return ((d.year, d.month), None) if d else (None, f"不是有效年月，{PERIOD_EXPECTED}")
    m = _PERIOD_RANGE_RE.fullmatch(text)
    if m and 1900 <= int(m.group(1)) <= 2999:
        return _range(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    m = _PERIOD_YEARS_RANGE_RE.fullmatch(text)
    if m and m.group(1) == m.group(3) and 1900 <= int(m.group(1)) <= 2999:
        return _range(int(m.group(1)), int(m.group(2)), int(m.group(4)), text)
    d, error = to_date(text) if not text.isdigit() else (None, "")   # typed digits are no date serial
    if d and not error:
        return (d.year, d.month), None
    m = _BARE_RANGE_RE.fullmatch(text)
    if m:
        return _range(None, int(m.group(1)), int(m.group(2)), text)
    m = _BARE_MONTH_RE.fullmatch(text)
    if m and 1 <= int(m.group(1)) <= 12:
        return (None, int(m.group(1))), None
    return None, f"不是年月，{PERIOD_EXPECTED}"


# --- customs codes ---------------------------------------------------------------

_DIRECTIONS = {"进口": "I", "进": "I", "I": "I", "IMPORT": "I",
               "出口": "E", "出": "E", "E": "E", "EXPORT": "E"}


def parse_direction(value):
    """进出口: 进口/出口/I/E/进/出 → 'I'/'E'."""
    text = _WS_RE.sub("", unicodedata.normalize("NFKC", as_text(value))).upper()
    if text in _DIRECTIONS:
        return _DIRECTIONS[text], None
    return "", "应填写“进口”或“出口”"


def _integer_digits(value):
    """An Excel number holding a code (no decimals) → its digits, else None."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return str(int(value)) if value >= 0 else None
    if isinstance(value, (float, np.floating)):
        if np.isfinite(value) and value >= 0 and value == np.floor(value) and value < 1e16:
            return str(int(value))
    return None


_LEADING_DIGITS_RE = re.compile(r"\d+")


_DOTTED_CODE_RE = re.compile(r"\d{4}(?:\.\d{2}){0,2}\.\d{2,6}")  # 2701.1210, 2701.12.10, 0712.909990: grouped
_DECIMAL_CODE_RE = re.compile(r"(\d{7,10})\.0+")             # 27011210.0: a code typed through a number


def parse_hs_code(value):
    """商品编码 as 8 or 10 digits of text; a 7- or 9-digit code lost its leading zero to Excel.

    ``27011210.0`` (a number turned into text) is ``27011210``; ``2701.12.10``, ``2709.0000`` and
    ``0712.909990`` (written in groups after the 4-digit heading) are ``27011210``, ``27090000`` and
    ``0712909990``."""
    if is_empty(value):
        return "", "缺少商品编码"
    digits = _integer_digits(value)
    if digits is None:
        if not isinstance(value, str):
            return "", "商品编码应为8位或10位数字"
        text = _WS_RE.sub("", unicodedata.normalize("NFKC", value))
        m = _DECIMAL_CODE_RE.fullmatch(text)
        if _DOTTED_CODE_RE.fullmatch(text):      # the heading's 4 digits, a dot, the rest: 2709.0000
            digits = text.replace(".", "")
        elif m:
            digits = m.group(1)
        else:
            digits = text
        if not digits.isascii() or not digits.isdigit():
            return "", "商品编码应为8位或10位数字"
    if len(digits) in (7, 9):
        digits = "0" + digits
    if len(digits) not in (8, 10):
        return "", "商品编码应为8位或10位数字"
    return digits, None


_BRACKETED_DIGITS_RE = re.compile(r"[(\[（【](\d{3,4})[)\]）】]")
_NAME_KEY_RE = re.compile(r"[\s()\[\]（）【】·,，、]")


def trade_mode_key(name: str) -> str:
    """A trade-mode name as looked up in the policy file's table (folded, no spaces or brackets)."""
    return _NAME_KEY_RE.sub("", unicodedata.normalize("NFKC", name)).upper()


def parse_trade_mode(value, names: dict[str, str] | None = None):
    """贸易方式: the 4-digit 监管方式 code (``0110``, ``9610 跨境电子商务``, ``一般贸易(0110)``), or a
    name alone mapped through ``names`` (the policy file's table: ``一般贸易`` → ``0110``).

    An Excel number 110 (leading zero dropped) → ``0110``. A 1- or 2-digit code is the customs
    statistics' own 贸易方式 (``10`` 一般贸易), not a 监管方式: its name is used when it has one."""
    if is_empty(value):
        return "", "缺少贸易方式"
    digits = _integer_digits(value)
    name = ""
    if digits is None:
        text = unicodedata.normalize("NFKC", as_text(value)).strip()
        m = _LEADING_DIGITS_RE.match(text)
        bracketed = _BRACKETED_DIGITS_RE.search(text)
        if m:
            digits, name = m.group(0), text[m.end():]
        elif bracketed:
            digits = bracketed.group(1)
        else:
            name = text
        if len(digits or "") > 4:
            digits = digits[:4]
    if digits is not None and 3 <= len(digits) <= 4:
        return digits.zfill(4), None
    code = (names or {}).get(trade_mode_key(name)) if name.strip() else None
    if code is not None:
        return code, None
    if digits is not None:
        return "", "贸易方式应为4位监管方式代码，如 0110（1至2位的是海关统计贸易方式代码，不是监管方式）"
    return "", "贸易方式不是4位监管方式代码，也不是政策文件贸易方式表中的名称"


_ACCOUNT_SEPARATORS_RE = re.compile(r"[\s\-]+")


def parse_account(value):
    """银行账号 as text, exactly, and what is wrong with it, if anything (INPUTS.md "Fail closed":
    an account that is a date, a formula, has a leading apostrophe or letters is listed for review
    and the firm is 待核查; the row is used as usual).

    Spaces and hyphens written for readability are dropped. An account Excel stored as a number is
    exact up to 15 digits; beyond that its last digits are lost and it is left empty."""
    if is_empty(value):
        return "", None
    if isinstance(value, (bool, np.bool_)):
        return as_text(value), "账号应为文本数字"
    if isinstance(value, (dt.date, dt.datetime)):
        return as_text(value), "账号是日期，可能被Excel改成了日期格式，请按文本重新填写"
    digits = _integer_digits(value)
    if digits is not None and len(digits) <= MAX_EXACT_CHARS:
        return digits, None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "", "账号被Excel存成了数字，超过15位的部分已经丢失，请将该列设为文本后重新填写"
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text.startswith("="):
        return text, "账号是公式（以“=”开头），不是账号本身，请填写账号数字"
    if text.startswith(("'", "‘", "’")):
        return text, "账号前有单引号，请去掉单引号，按文本填写账号数字"
    account = _ACCOUNT_SEPARATORS_RE.sub("", text)
    if any(c.isalpha() for c in account):
        return account, "账号含有字母，请核对"
    if not account.isdigit():
        return account, "账号含有数字以外的字符，请核对"
    if not 8 <= len(account) <= 32:
        return account, f"账号只有{len(account)}位，请核对" if len(account) < 8 else f"账号有{len(account)}位，请核对"
    return account, None


MAX_EXACT_CHARS = 15   # ≤15 characters: at most 15 significant digits, which round-trip through a float


def _scaled_text_column(col: np.ndarray, scale, allow_negative: bool, what: str, integer_only: bool):
    """A column holding text (CSV, or numbers typed as text) × scale, half up.

    Texts pandas reads as a number (``1234.5``, ``-3``, ``1,234,567.00`` once the thousands
    separators are taken out) of at most 15 characters are converted in bulk: such a text and
    the binary float nearest to it have the same shortest decimal form, so the numeric path
    gives exactly the Decimal result. Anything else (full-width digits, dashes, words, longer
    numbers, Excel numbers mixed in) goes value by value through the Decimal parser.
    """
    result = np.zeros(len(col), dtype=np.int64)
    errors = np.full(len(col), None, dtype=object)
    plain = np.zeros(len(col), dtype=bool)
    if pd.api.types.infer_dtype(col, skipna=True) == "string":
        texts = pd.Series(col, dtype=object)
        if texts.str.contains(",", regex=False).any():
            texts = texts.str.replace(",", "", regex=False)
        numbers = pd.to_numeric(texts, errors="coerce").to_numpy(dtype=np.float64)
        plain = np.isfinite(numbers) & (texts.str.strip().str.len().to_numpy(dtype=np.float64, na_value=99)
                                        <= MAX_EXACT_CHARS)
        if plain.any():
            values, errs = scaled_integers(numbers[plain], scale, allow_negative, what, integer_only)
            result[plain], errors[plain] = values, errs
    rest = ~plain
    if rest.any():
        values, errs = map_unique(col[rest], make_scaled_parser(scale, allow_negative, what, integer_only))
        result[rest], errors[rest] = values.astype(np.int64), errs
    return result, errors
