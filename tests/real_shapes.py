"""Real export shapes: the canonical sample figures written as customs systems, the province and
bureaus really write them (INPUTS.md "Real exports as they come").

Each shape is a function that writes an input folder: the sample files of ``input_samples/`` with
one role (or more) replaced by the same figures in another shape. ``tests/test_real_shapes.py``
runs every shape and holds it to the canonical payouts, or to a refusal naming the file, the sheet
and the column where the shape loses what the awards need.

Every shape says where it was seen (``seen``). The customs layouts come from public material:
the customs statistics platform's downloads (stats.customs.gov.cn) as kept in
github.com/turbanisch/chinautils ``data-raw/customs-samples`` and github.com/sherrisherry/CNprj,
the firm-level customs database's column names as renamed in the replication code of
github.com/lingfei-daniel-lu/mps-trade ``do-files/data_archive/customs_raw_monthly.do``, and the
customs-derived ``.xls`` reports read by github.com/oldmalebird/customs_vegetable_data. For the
province's 公示 lists and the bureau's application forms no public sample was found in the
material searched: those shapes follow INPUTS.md and say so.
"""
from __future__ import annotations

import csv
import io
import shutil
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

import python_calamine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))        # run as a script: the program beside it

from spreadsheet_writers import write_html_xls, write_ods, write_spreadsheetml, write_xlsb  # noqa: E402
from test_reading_support import write_xlsx  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "input_samples"
CUSTOMS23, CUSTOMS22 = "海关数据2023.xlsx", "hg_2022_export.xlsx"
PROVINCE, APPS = "省厅奖励名单.xlsx", "企业申报汇总.xlsx"
CANONICAL = [CUSTOMS23, CUSTOMS22, PROVINCE, APPS]
TOTAL_WORDS = ("合计", "总计")
MODE_NAMES = {"0110": "一般贸易", "0214": "来料加工", "0615": "进料对口", "9610": "跨境电子商务",
              "9710": "跨境电商B2B直接出口", "9810": "跨境电商出口海外仓", "1210": "保税跨境贸易电子商务",
              "1239": "保税跨境贸易电子商务A"}


# --- the canonical figures ------------------------------------------------------------------------

@dataclass
class Row:
    """One customs row of the samples, exactly."""

    year: int
    month: int
    code: str
    name: str
    direction: str          # "I" / "E"
    mode: str               # 4 digits
    hs: str                 # 8 or 10 digits
    goods: str
    qty: int
    unit: str
    yuan: Decimal

    @property
    def ym(self) -> int:
        return self.year * 100 + self.month

    @property
    def io(self) -> str:
        return "进口" if self.direction == "I" else "出口"


def _sheet(name: str, sheet: str) -> list[list]:
    return python_calamine.CalamineWorkbook.from_path(str(SAMPLES / name)).get_sheet_by_name(sheet).to_python()


def _hs(value) -> str:
    text = str(int(value)) if isinstance(value, float) else str(value)
    return "0" + text if len(text) in (7, 9) else text


def customs_rows() -> list[Row]:
    """Every data row of both sample customs files (the rows a clerk would see), 元 exact."""
    rows = []
    for raw in _sheet(CUSTOMS23, "进出口明细")[3:]:
        if raw[0] in TOTAL_WORDS:
            continue
        rows.append(Row(int(raw[1]) // 100, int(raw[1]) % 100, raw[2], raw[3], "I" if raw[4] == "进口" else "E",
                        raw[5][:4], _hs(raw[6]), raw[7], int(raw[8]), raw[9],
                        Decimal(repr(raw[10])).quantize(Decimal("0.01"))))
    for raw in _sheet(CUSTOMS22, "Sheet1")[2:]:
        if raw[0] in TOTAL_WORDS:
            continue
        rows.append(Row(raw[0].year, raw[0].month, raw[1], raw[2], raw[3], raw[4], _hs(raw[5]), raw[6],
                        int(raw[7]), raw[8], (Decimal(repr(raw[9])) * 10000).quantize(Decimal("0.01"))))
    return rows


def province_rows() -> list[list]:
    """序号, 企业名称, 统一社会信用代码, 支持项目, 省级奖励金额（元）, 批复文号 — the sample's data rows."""
    return [r for r in _sheet(PROVINCE, "拟奖励企业名单")[2:] if r[0] not in TOTAL_WORDS]


def application_sheets() -> dict[str, list[list]]:
    book = python_calamine.CalamineWorkbook.from_path(str(SAMPLES / APPS))
    return {name: [[None if v == "" else v for v in row] for row in book.get_sheet_by_name(name).to_python()]
            for name in book.sheet_names}


def number(value: Decimal):
    """A figure as Excel stores it (a binary float whose shortest text is the exact decimal)."""
    return float(value)


def yearly(rows: list[Row]) -> list[Row]:
    """The rows summed over the year per firm × direction × trade mode × commodity × unit (month 0)."""
    sums: dict[tuple, Row] = {}
    for r in rows:
        key = (r.year, r.code, r.name, r.direction, r.mode, r.hs, r.goods, r.unit)
        if key in sums:
            sums[key].qty += r.qty
            sums[key].yuan += r.yuan
        else:
            sums[key] = Row(r.year, 0, r.code, r.name, r.direction, r.mode, r.hs, r.goods, r.qty, r.unit, r.yuan)
    return list(sums.values())


# --- writers -------------------------------------------------------------------------------------------

def write_csv(path: Path, rows: list[list], encoding: str = "utf-8-sig", delimiter: str = ",",
              quote_all: bool = False, trailing: bool = False) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
                        lineterminator="\r\n")
    for row in rows:
        cells = ["" if v is None else v for v in row]
        writer.writerow(cells + ([""] if trailing else []))
    path.write_bytes(buffer.getvalue().encode(encoding))


def grouped(rows: list, key: Callable) -> list[tuple[object, list]]:
    """Runs of rows with the same key, in order of first appearance."""
    out: dict = {}
    for row in rows:
        out.setdefault(key(row), []).append(row)
    return list(out.items())


# --- the registry ------------------------------------------------------------------------------------------

@dataclass
class Shape:
    id: str
    role: str                       # 海关数据 / 省级奖励 / 企业申报汇总
    title: str                      # the shape in a few words
    header: str                     # an example header, as written
    seen: str                       # where it was seen
    write: Callable[[Path], None]
    stops: list[str] = field(default_factory=list)     # refused: texts the message must hold
    clerk: str = ""                 # what the clerk sees (README)
    replaces: tuple[str, ...] = ()  # sample files the shape takes the place of

    def folder(self, base: Path) -> Path:
        """An input folder: the samples, the replaced ones taken out, the shape's files written."""
        base.mkdir(parents=True, exist_ok=True)
        for name in CANONICAL:
            if name not in self.replaces:
                shutil.copyfile(SAMPLES / name, base / name)
        self.write(base)
        return base


SHAPES: list[Shape] = []
CUSTOMS_BOTH = (CUSTOMS23, CUSTOMS22)


def shape(id: str, role: str, title: str, header: str, seen: str, replaces=CUSTOMS_BOTH, stops=(), clerk=""):
    def register(write):
        SHAPES.append(Shape(id, role, title, header, seen, write, list(stops), clerk, tuple(replaces)))
        return write
    return register


STATS = ("海关统计数据在线查询平台（stats.customs.gov.cn）的下载文件，见 github.com/turbanisch/chinautils "
         "data-raw/customs-samples/chinese-full.csv 与 github.com/sherrisherry/CNprj")
FIRM_DB = ("中国海关进出口企业数据库的列名，见 github.com/lingfei-daniel-lu/mps-trade "
           "do-files/data_archive/customs_raw_monthly.do")
REPORTS = "海关信息中心导出的 .xls 报表（标题8行、单位写在表头），见 github.com/oldmalebird/customs_vegetable_data"
SPEC = "INPUTS.md“Real exports as they come”（所查公开资料中未找到该类公示名单/申报表的原件）"
OFFICE = "Excel 与 WPS 的“另存为”格式"
STD_HEADER = ["年月", "统一社会信用代码", "企业名称", "进出口", "贸易方式", "商品编码", "商品名称", "数量", "计量单位"]


def _std(r: Row) -> list:
    return [r.ym, r.code, r.name, r.io, r.mode, r.hs, r.goods, r.qty, r.unit]


# --- customs: the statistics platform's CSV conventions -------------------------------------------------

@shape("C01", "海关数据", "统计平台式CSV：GB18030、全部加引号、行尾多一个逗号、千分位，按进口/出口和年度分文件，没有年月列和进出口列",
       '"统一社会信用代码","企业名称","贸易方式编码","贸易方式名称","商品编码","商品名称","第一数量","第一计量单位","第二数量","第二计量单位","人民币",',
       STATS, clerk="按文件名取年度和进出口方向，结果相同")
def c01_platform_csv_split_by_file(folder: Path) -> None:
    header = ["统一社会信用代码", "企业名称", "贸易方式编码", "贸易方式名称", "商品编码", "商品名称", "第一数量",
              "第一计量单位", "第二数量", "第二计量单位", "人民币"]
    for (year, direction), rows in grouped(yearly(customs_rows()), lambda r: (r.year, r.direction)):
        body = [[r.code, r.name, r.mode, MODE_NAMES[r.mode], r.hs, r.goods, r.qty, r.unit, "?", "?", f"{r.yuan:,.2f}"]
                for r in rows]
        kind = "进口" if direction == "I" else "出口"
        write_csv(folder / f"{year}年1-12月{kind}商品贸易方式企业统计.csv", [header] + body, "gb18030",
                  quote_all=True, trailing=True)


@shape("C02", "海关数据", "按月的统计平台式CSV：“数据年月”202305，英文文件名分进口/出口（export-2023-…），UTF-8带BOM",
       "数据年月,统一社会信用代码,企业名称,贸易方式编码,贸易方式名称,商品编码,商品名称,第一数量,第一计量单位,人民币",
       STATS + "（CUS-STAT-5 的“数据年月”列）", clerk="按文件名取进出口方向，结果相同")
def c02_monthly_csv_english_file_names(folder: Path) -> None:
    header = ["数据年月", "统一社会信用代码", "企业名称", "贸易方式编码", "贸易方式名称", "商品编码", "商品名称",
              "第一数量", "第一计量单位", "人民币"]
    for direction, rows in grouped(customs_rows(), lambda r: r.direction):
        body = [[str(r.ym), r.code, r.name, r.mode, MODE_NAMES[r.mode], r.hs, r.goods, r.qty, r.unit, str(r.yuan)]
                for r in rows]
        write_csv(folder / f"{'import' if direction == 'I' else 'export'}-2022-2023-jixi.csv", [header] + body)


@shape("C03", "海关数据", "美元和人民币两列，美元在前（统计平台可同时下载美元、人民币）",
       "数据年月 | … | 美元 | 人民币", STATS, clerk="金额取“人民币”列，屏幕上说明美元列未使用，结果相同")
def c03_dollars_before_yuan(folder: Path) -> None:
    header = STD_HEADER + ["美元", "人民币"]
    body = [_std(r) + [round(number(r.yuan) / 7.05, 2), number(r.yuan)] for r in customs_rows()]
    write_xlsx(folder / "海关数据2022-2023.xlsx", {"进出口": [header] + body})


@shape("C04", "海关数据", "金额只有美元（统计平台的美元下载）", "数据年月 | … | 美元", STATS,
       stops=["海关数据美元.xlsx", "进出口", "美元", "没有人民币金额列"],
       clerk="退出码 1，不生成任何输出：指出文件、工作表和“美元”列，说明奖励按人民币计算、程序不做汇率换算")
def c04_dollars_only(folder: Path) -> None:
    header = STD_HEADER + ["美元"]
    body = [_std(r) + [round(number(r.yuan) / 7.05, 2)] for r in customs_rows()]
    write_xlsx(folder / "海关数据美元.xlsx", {"进出口": [header] + body})


@shape("C05", "海关数据", "表格上方写“金额单位：美元”，金额列只写“金额”", "金额单位：美元 ／ 年月 | … | 金额", STATS,
       stops=["海关数据.xlsx", "明细", "金额", "美元"],
       clerk="退出码 1：指出文件、工作表、“金额”列和表格上方的“金额单位：美元”")
def c05_dollars_in_a_line_above(folder: Path) -> None:
    header = STD_HEADER + ["金额"]
    body = [_std(r) + [round(number(r.yuan) / 7.05, 2)] for r in customs_rows()]
    write_xlsx(folder / "海关数据.xlsx", {"明细": [["2022-2023年鸡西市企业进出口数据"], ["金额单位：美元"], header] + body})


# --- customs: the firm-level database's columns -----------------------------------------------------------

@shape("C06", "海关数据", "10位海关编码“企业代码”在统一社会信用代码左边（企业库的“企业代码/企业编码”是10位海关编码）",
       "月度 | 进出口 | 企业代码 | 统一社会信用代码 | 企业名称 | 商品代码 | 金额 | 数量 | 贸易方式", FIRM_DB,
       clerk="按列中的值认出统一社会信用代码列，结果相同")
def c06_customs_code_left_of_credit_code(folder: Path) -> None:
    header = ["月度", "进出口", "企业代码", "统一社会信用代码", "企业名称", "商品代码", "金额", "数量", "单位", "贸易方式"]
    body = [[str(r.ym), r.io, f"2303{zlib.crc32(r.code.encode()) % 10**6:06d}", r.code, r.name, r.hs, str(r.yuan), str(r.qty),
             r.unit, MODE_NAMES[r.mode]] for r in customs_rows()]
    write_xlsx(folder / "海关企业数据.xlsx", {"2022-2023": [header] + body})


@shape("C07", "海关数据", "只有10位海关编码，没有统一社会信用代码（企业库原样）", "日期 | 进口或出口 | 企业编码 | 经营单位 | 税号编码 | 金额",
       FIRM_DB, stops=["企业库.xlsx", "2022-2023", "企业编码", "10位海关编码", "统一社会信用代码"],
       clerk="退出码 1：指出“企业编码”列是10位海关编码，需要统一社会信用代码")
def c07_customs_codes_only(folder: Path) -> None:
    header = ["日期", "进口或出口", "企业编码", "经营单位", "税号编码", "贸易方式", "金额", "数量", "单位"]
    body = [[str(r.ym), r.io, f"2303{i:06d}", r.name, r.hs, MODE_NAMES[r.mode], str(r.yuan), r.qty, r.unit]
            for i, r in enumerate(customs_rows())]
    write_xlsx(folder / "企业库.xlsx", {"2022-2023": [header] + body})


@shape("C08", "海关数据", "贸易方式只有名称（企业库2003–2006年各表）", "日期 | 进口或出口 | 统一社会信用代码 | 经营单位 | 税号编码 | 贸易方式 | 金额",
       FIRM_DB, clerk="贸易方式名称按政策文件中的监管方式表换算为代码，结果相同")
def c08_trade_mode_names_only(folder: Path) -> None:
    header = ["日期", "进口或出口", "统一社会信用代码", "经营单位", "税号编码", "贸易方式", "金额", "数量", "单位"]
    body = [[r.ym, r.io, r.code, r.name, r.hs, MODE_NAMES[r.mode], number(r.yuan), r.qty, r.unit]
            for r in customs_rows()]
    write_xlsx(folder / "海关数据.xlsx", {"Sheet1": [header] + body})


@shape("C09", "海关数据", "贸易方式代码和名称两列（贸易方式编码 + 贸易方式名称）", "… | 贸易方式编码 | 贸易方式名称 | …", STATS,
       clerk="取代码列，结果相同")
def c09_trade_mode_code_and_name(folder: Path) -> None:
    header = ["年月", "统一社会信用代码", "企业名称", "进出口", "贸易方式名称", "贸易方式编码", "商品编码", "商品名称",
              "第一数量", "第一计量单位", "人民币(元)"]
    body = [[r.ym, r.code, r.name, r.io, MODE_NAMES[r.mode], r.mode, r.hs, r.goods, r.qty, r.unit, number(r.yuan)]
            for r in customs_rows()]
    write_xlsx(folder / "海关数据.xlsx", {"Sheet1": [header] + body})


@shape("C10", "海关数据", "商品编码成了带“.0”的文本（数据库导出的CSV）", "… | 商品编码 | … 值如 27011210.0", FIRM_DB
       + "（2007–2011年税号编码为数字，去掉了前导零）", clerk="去掉“.0”并补回前导零，结果相同")
def c10_hs_codes_as_decimals(folder: Path) -> None:
    body = [[r.ym, r.code, r.name, r.io, r.mode, f"{int(r.hs)}.0", r.goods, r.qty, r.unit, str(r.yuan)]
            for r in customs_rows()]
    write_csv(folder / "海关数据.csv", [STD_HEADER + ["金额(元)"]] + body, "utf-8")


# --- customs: units written where people write them ----------------------------------------------------------

@shape("C11", "海关数据", "表格上方一行“金额单位：万元”，表头只写“金额”", "金额单位：万元 ／ 年月 | … | 金额", REPORTS,
       clerk="按万元换算为元，屏幕上说明，结果相同")
def c11_wan_in_a_line_above(folder: Path) -> None:
    body = [_std(r) + [number(r.yuan / 10000)] for r in customs_rows()]
    write_xlsx(folder / "海关数据.xlsx", {"明细": [["2022-2023年鸡西市企业进出口数据"], ["金额单位：万元", None, None, "制表单位：市商务局"],
                                              STD_HEADER + ["金额"]] + body})


@shape("C12", "海关数据", "单位写在标题括号里“（单位：千元）”", "2022—2023年鸡西市企业进出口情况（单位：千元）", REPORTS,
       clerk="按千元换算为元，结果相同")
def c12_thousand_in_the_title(folder: Path) -> None:
    body = [_std(r) + [number(r.yuan / 1000)] for r in customs_rows()]
    write_xlsx(folder / "海关数据.xlsx", {"明细": [["2022—2023年鸡西市企业进出口情况（单位：千元）"], STD_HEADER + ["金额"]] + body})


@shape("C13", "海关数据", "表头写“金额(亿元)”", "… | 金额(亿元)", REPORTS, clerk="按亿元换算为元，结果相同")
def c13_yi_in_the_header(folder: Path) -> None:
    body = [_std(r) + [number(r.yuan / 100_000_000)] for r in customs_rows()]
    write_xlsx(folder / "海关数据.xlsx", {"明细": [STD_HEADER + ["金额(亿元)"]] + body})


@shape("C14", "海关数据", "表头写“人民币（百万元）”", "… | 人民币（百万元）", REPORTS, clerk="按百万元换算为元，结果相同")
def c14_million_in_the_header(folder: Path) -> None:
    body = [_std(r) + [number(r.yuan / 1_000_000)] for r in customs_rows()]
    write_xlsx(folder / "海关数据.xlsx", {"明细": [STD_HEADER + ["人民币（百万元）"]] + body})


@shape("C15", "海关数据", "不认识的单位“金额（千万元）”", "… | 金额（千万元）", REPORTS,
       stops=["海关数据.xlsx", "明细", "千万元", "无法识别"], clerk="退出码 1：指出文件、工作表和无法识别的单位")
def c15_unknown_unit(folder: Path) -> None:
    body = [_std(r) + [number(r.yuan / 10_000_000)] for r in customs_rows()]
    write_xlsx(folder / "海关数据.xlsx", {"明细": [STD_HEADER + ["金额（千万元）"]] + body})


# --- customs: two-row headers, wide layouts, splits ---------------------------------------------------------------

@shape("C16", "海关数据", "两行表头：“人民币(万元)”合并在“进口 | 出口”之上，没有进出口列", "人民币(万元) ／ 进口 | 出口",
       REPORTS + "（当期出口金额/当期进口金额并列）", clerk="每行拆成进口、出口两条，按万元换算，结果相同")
def c16_two_row_header_import_export_pair(folder: Path) -> None:
    head = ["年月", "统一社会信用代码", "企业名称", "贸易方式", "商品编码", "商品名称", "数量", "计量单位", "人民币(万元)", None]
    sub = [None] * 8 + ["进口", "出口"]
    body = []
    for r in customs_rows():
        amounts = [number(r.yuan / 10000), None] if r.direction == "I" else [None, number(r.yuan / 10000)]
        body.append([r.ym, r.code, r.name, r.mode, r.hs, r.goods, r.qty, r.unit] + amounts)
    merges = [(2, c, 3, c) for c in range(8)] + [(2, 8, 2, 9)]
    write_xlsx(folder / "海关数据.xlsx", {"进出口": [["2022-2023年企业进出口"], [None], head, sub] + body},
               merges={"进出口": merges})


@shape("C17", "海关数据", "进口额、出口额、进出口额三列并列（无进出口列）", "… | 进出口额(元) | 进口额(元) | 出口额(元)", REPORTS,
       clerk="按进口额、出口额两列读取，进出口额列不用，结果相同")
def c17_wide_columns_with_a_total(folder: Path) -> None:
    header = ["年月", "统一社会信用代码", "企业名称", "贸易方式", "商品编码", "商品名称", "数量", "计量单位",
              "进出口额(元)", "进口额(元)", "出口额(元)"]
    body = []
    for r in customs_rows():
        pair = [number(r.yuan), None] if r.direction == "I" else [None, number(r.yuan)]
        body.append([r.ym, r.code, r.name, r.mode, r.hs, r.goods, r.qty, r.unit, number(r.yuan)] + pair)
    write_xlsx(folder / "海关数据.xlsx", {"Sheet1": [header] + body})


@shape("C18", "海关数据", "金额“美元 | 人民币”合并在“金额”之下，美元在前（两行表头）", "金额 ／ 美元 | 人民币", STATS,
       clerk="金额取人民币列，结果相同")
def c18_merged_amount_over_currencies(folder: Path) -> None:
    head = STD_HEADER + ["金额", None]
    sub = [None] * len(STD_HEADER) + ["美元", "人民币"]
    body = [_std(r) + [round(number(r.yuan) / 7.05, 2), number(r.yuan)] for r in customs_rows()]
    merges = [(0, c, 1, c) for c in range(len(STD_HEADER))] + [(0, 9, 0, 10)]
    write_xlsx(folder / "海关数据.xlsx", {"Sheet1": [head, sub] + body}, merges={"Sheet1": merges})


@shape("C19", "海关数据", "进口、出口在同一工作簿的两个工作表（工作表名“进口”“出口”），没有进出口列",
       "工作表“进口”“出口”：年月 | 统一社会信用代码 | …", STATS + "（进出口方向只是查询条件）",
       clerk="按工作表名取进出口方向，结果相同")
def c19_split_by_sheet(folder: Path) -> None:
    header = [h for h in STD_HEADER if h != "进出口"] + ["金额(元)"]
    sheets = {}
    for direction, rows in grouped(customs_rows(), lambda r: r.direction):
        sheets["进口" if direction == "I" else "出口"] = [header] + [
            [r.ym, r.code, r.name, r.mode, r.hs, r.goods, r.qty, r.unit, number(r.yuan)] for r in rows]
    write_xlsx(folder / "海关数据.xlsx", sheets)


@shape("C20", "海关数据", "进口、出口分两个文件，方向只写在标题行", "2022-2023年鸡西市企业进口数据 ／ 年月 | …", REPORTS,
       clerk="按标题取进出口方向，结果相同")
def c20_split_by_title(folder: Path) -> None:
    header = [h for h in STD_HEADER if h != "进出口"] + ["人民币"]
    for direction, rows in grouped(customs_rows(), lambda r: r.direction):
        title = f"2022-2023年鸡西市企业{'进口' if direction == 'I' else '出口'}数据"
        write_xlsx(folder / f"海关数据{'A' if direction == 'I' else 'B'}.xlsx", {"Sheet1": [[title], header] + [
            [r.ym, r.code, r.name, r.mode, r.hs, r.goods, r.qty, r.unit, number(r.yuan)] for r in rows]})


# --- customs: periods ---------------------------------------------------------------------------------------

@shape("C21", "海关数据", "年度累计：每企业每年一行，统计期写“2023年1-12月”和“2022年”", "统计期 | 统一社会信用代码 | …",
       STATS + "（不分月展示时为累计数）", clerk="整年数据，结果相同")
def c21_cumulative_year_rows(folder: Path) -> None:
    header = ["统计期"] + STD_HEADER[1:] + ["金额(元)"]
    body = [[f"{r.year}年1-12月" if r.year == 2023 else f"{r.year}年"] + _std(r)[1:] + [number(r.yuan)]
            for r in yearly(customs_rows())]
    write_xlsx(folder / "海关数据.xlsx", {"累计": [header] + body})


@shape("C22", "海关数据", "没有年月列，年度写在标题“2023年1-12月…”，每年一个文件", "2023年1-12月鸡西市企业进出口数据 ／ 统一社会信用代码 | …",
       REPORTS + "（统计期写在标题行）", clerk="按标题取年度，结果相同")
def c22_period_in_the_title(folder: Path) -> None:
    header = STD_HEADER[1:] + ["人民币(元)"]
    for year, rows in grouped(yearly(customs_rows()), lambda r: r.year):
        write_xlsx(folder / f"海关数据{'甲' if year == 2023 else '乙'}.xlsx", {"Sheet1": [
            [f"{year}年1-12月鸡西市企业进出口数据"], header] + [_std(r)[1:] + [number(r.yuan)] for r in rows]})


# --- customs: merged cells in the body, other formats ------------------------------------------------------------

FIRM_FIRST_HEADER = ["统一社会信用代码", "企业名称", "年月", "进出口", "贸易方式", "商品编码", "商品名称", "数量", "计量单位",
                     "金额(元)"]


def merged_by_firm(first_row: int, figures=lambda r: [r.ym, r.qty, number(r.yuan)]):
    """The customs rows a firm at a time, its code and name written once and merged down over its rows:
    (body, merges) for a table whose first data row is ``first_row``."""
    body, merges, r0 = [], [], first_row
    for _, group in grouped(sorted(customs_rows(), key=lambda r: (r.code, r.ym)), lambda r: (r.code, r.name)):
        for i, r in enumerate(group):
            ym, qty, amount = figures(r)
            body.append([r.code if i == 0 else None, r.name if i == 0 else None, ym, r.io, r.mode, r.hs, r.goods,
                         qty, r.unit, amount])
        if len(group) > 1:
            merges += [(r0, 0, r0 + len(group) - 1, 0), (r0, 1, r0 + len(group) - 1, 1)]
        r0 += len(group)
    return body, merges


@shape("C23", "海关数据", "企业代码和名称只写一次，向下合并单元格覆盖该企业各行", "统一社会信用代码（合并）| 企业名称（合并）| …",
       REPORTS + "（产品名称只写一次，下方留空）", clerk="合并单元格的值用于它覆盖的每一行，结果相同")
def c23_firm_merged_down(folder: Path) -> None:
    body, merges = merged_by_firm(1)
    write_xlsx(folder / "海关数据.xlsx", {"Sheet1": [FIRM_FIRST_HEADER] + body}, merges={"Sheet1": merges})


@shape("C24", "海关数据", "系统“导出Excel”：网页表格存成 .xls（GBK，企业单元格 rowspan 合并）", "<table> 年月 | 统一社会信用代码 | …",
       "政府业务系统的“导出Excel”（HTML 表格以 .xls 为扩展名）；统计平台结果页见 github.com/sherrisherry/CNprj batch-html.py",
       clerk="按网页表格读取，合并单元格用于每一行，结果相同")
def c24_html_table_saved_as_xls(folder: Path) -> None:
    body, merges = merged_by_firm(2, lambda r: [str(r.ym), str(r.qty), f"{r.yuan:,.2f}"])
    write_html_xls(folder / "进出口数据导出.xls", {"Sheet1": [["鸡西市企业进出口数据"], FIRM_FIRST_HEADER] + body},
                   merges={"Sheet1": merges + [(0, 0, 0, 9)]}, encoding="gbk")


@shape("C25", "海关数据", "Excel 2003 XML 表格存成 .xls", '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
       OFFICE + "（XML 表格 2003）", clerk="按XML表格读取，结果相同")
def c25_spreadsheetml(folder: Path) -> None:
    body = [[r.ym, r.code, r.name, r.io, r.mode, r.hs, r.goods, r.qty, r.unit, number(r.yuan)] for r in customs_rows()]
    write_spreadsheetml(folder / "海关数据.xls", {"进出口": [STD_HEADER + ["金额(元)"]] + body})


@shape("C26", "海关数据", "Excel 二进制工作簿 .xlsb", "年月 | 统一社会信用代码 | … | 金额(元)", OFFICE, clerk="结果相同")
def c26_xlsb(folder: Path) -> None:
    body = [_std(r) + [number(r.yuan)] for r in customs_rows()]
    write_xlsb(folder / "海关数据.xlsb", {"Sheet1": [STD_HEADER + ["金额(元)"]] + body})


@shape("C27", "海关数据", "Excel“Unicode 文本”：UTF-16、制表符分隔，存成 .csv", "年月\\t统一社会信用代码\\t…", OFFICE,
       clerk="结果相同")
def c27_utf16_tab_text(folder: Path) -> None:
    body = [_std(r) + [str(r.yuan)] for r in customs_rows()]
    write_csv(folder / "海关数据.csv", [STD_HEADER + ["金额(元)"]] + body, "utf-16", delimiter="\t")


@shape("C28", "海关数据", "OpenDocument 表格 .ods（WPS/LibreOffice 另存）", "年月 | 统一社会信用代码 | …", OFFICE, clerk="结果相同")
def c28_ods(folder: Path) -> None:
    body = [_std(r) + [number(r.yuan)] for r in customs_rows()]
    write_ods(folder / "海关数据.ods", {"Sheet1": [STD_HEADER + ["金额(元)"]] + body})


@shape("C29", "海关数据", "Excel 二进制工作簿 .xlsb，企业代码和名称向下合并", "统一社会信用代码（合并）| 企业名称（合并）| 年月 | …",
       OFFICE + "（.xlsb 保留合并单元格；calamine 不报告 .xlsb 的合并区域，由程序自行读取）", clerk="结果相同")
def c29_xlsb_firm_merged_down(folder: Path) -> None:
    body, merges = merged_by_firm(1)
    write_xlsb(folder / "海关数据.xlsb", {"Sheet1": [FIRM_FIRST_HEADER] + body}, merges={"Sheet1": merges})


CLERK = ("本轮独立测试（helper 模拟经办人自造的导出）；统计报表常见的写法，所查公开资料中未找到可引用的原件")


@shape("C30", "海关数据", "单位写在表头下一行：金额列下写“（千元）”，其他列下空着或写计量单位", "人民币 ／ （千元）",
       CLERK, clerk="表头下一行当作子表头，按千元换算，结果相同")
def c30_unit_row_under_the_header(folder: Path) -> None:
    units = [None, None, None, None, None, None, None, "（千克/台）", None, "（千元）"]
    body = [_std(r) + [number(r.yuan / 1000)] for r in customs_rows()]
    write_xlsx(folder / "海关数据.xlsx", {"明细": [["2022-2023年企业进出口"], STD_HEADER + ["人民币"], units] + body})


@shape("C31", "海关数据", "“出口金额”“进口金额”各合并在“美元 | 人民币”之上，没有进出口列", "出口金额 ／ 美元 | 人民币",
       CLERK, clerk="两行表头：每行拆成进口、出口，取人民币列，美元列不用，结果相同")
def c31_direction_amounts_over_currencies(folder: Path) -> None:
    head = [h for h in STD_HEADER if h != "进出口"] + ["出口金额", None, "进口金额", None]
    sub = [None] * 8 + ["美元", "人民币", "美元", "人民币(元)"]
    body = []
    for r in customs_rows():
        pair = [round(number(r.yuan) / 7.05, 2), number(r.yuan)]
        amounts = pair + [None, None] if r.direction == "E" else [None, None] + pair
        body.append([r.ym, r.code, r.name, r.mode, r.hs, r.goods, r.qty, r.unit] + amounts)
    merges = [(0, c, 1, c) for c in range(8)] + [(0, 8, 0, 9), (0, 10, 0, 11)]
    write_xlsx(folder / "海关数据.xlsx", {"Sheet1": [head, sub] + body}, merges={"Sheet1": merges})


@shape("C32", "海关数据", "商品编码按章节写点：2709.0000、0712.909990", "… | 商品编码 | … 值如 2709.0000", CLERK,
       clerk="去掉点号，结果相同")
def c32_hs_codes_with_a_dot(folder: Path) -> None:
    body = [[r.ym, r.code, r.name, r.io, r.mode, f"{r.hs[:4]}.{r.hs[4:]}", r.goods, r.qty, r.unit, number(r.yuan)]
            for r in customs_rows()]
    write_xlsx(folder / "海关数据.xlsx", {"Sheet1": [STD_HEADER + ["金额(元)"]] + body})


@shape("C33", "海关数据", "“金额”合并在两列之上，两列都有数，却没有子表头说明哪列是什么", "金额（合并两列）", CLERK,
       stops=["海关数据.xlsx", "Sheet1", "金额", "合并了多列"], clerk="退出码 1：指出文件、工作表和合并的表头，请写明各列币种")
def c33_merged_amount_without_subheaders(folder: Path) -> None:
    head = STD_HEADER + ["金额", None]
    body = [_std(r) + [round(number(r.yuan) / 7.05, 2), number(r.yuan)] for r in customs_rows()]
    write_xlsx(folder / "海关数据.xlsx", {"Sheet1": [head] + body}, merges={"Sheet1": [(0, 9, 0, 10)]})


# --- the province's list -------------------------------------------------------------------------------------------

PROVINCE_ONLY = (PROVINCE,)


def _province_body(scale: Decimal = Decimal(1)) -> list[list]:
    return [[r[0], r[1], r[2], r[3], number(Decimal(repr(r[4])) / scale), r[5]] for r in province_rows()]


@shape("P01", "省级奖励", "公示名单：“单位：万元”在标题下一行，金额列“拟支持金额”，另有“所属地区”列", "单位：万元 ／ 序号 | 企业名称 | 统一社会信用代码 | 支持项目 | 拟支持金额 | 所属地区 | 备注",
       SPEC, replaces=PROVINCE_ONLY, clerk="按万元换算为元，结果相同")
def p01_publicity_list_in_wan(folder: Path) -> None:
    header = ["序号", "企业名称", "统一社会信用代码", "支持项目", "拟支持金额", "所属地区", "备注"]
    body = [r[:5] + ["鸡西市", r[5]] for r in _province_body(Decimal(10000))]
    write_xlsx(folder / "省级公示名单.xlsx", {"公示": [["2023年度省级外贸发展专项资金拟支持企业名单"], [None, None, None, None, "单位：万元"],
                                                header] + body})


@shape("P02", "省级奖励", "支持项目只写一次，向下合并覆盖该项目各企业", "序号 | 支持项目（合并）| 企业名称 | 统一社会信用代码 | 奖补金额（元）",
       SPEC, replaces=PROVINCE_ONLY, clerk="合并单元格的项目用于每一行，结果相同")
def p02_item_merged_down(folder: Path) -> None:
    rows = sorted(_province_body(), key=lambda r: r[3])
    header = ["序号", "支持项目", "企业名称", "统一社会信用代码", "奖补金额（元）", "文号"]
    body, merges, r0 = [], [], 2
    for item, group in grouped(rows, lambda r: r[3]):
        for i, r in enumerate(group):
            body.append([r[0], item if i == 0 else None, r[1], r[2], r[4], r[5]])
        if len(group) > 1:
            merges.append((r0, 1, r0 + len(group) - 1, 1))
        r0 += len(group)
    write_xlsx(folder / "省级奖励.xlsx", {"名单": [["2023年度省外贸发展专项资金奖励企业名单"], header] + body},
               merges={"名单": merges})


@shape("P03", "省级奖励", "网页表格存成 .xls，项目单元格 rowspan 合并，“奖励资金（元）”", "<table> 项目名称 | 企业名称 | 统一社会信用代码 | 奖励资金（元）",
       SPEC + "；网页导出见 C24", replaces=PROVINCE_ONLY, clerk="结果相同")
def p03_html_with_rowspan(folder: Path) -> None:
    rows = sorted(_province_body(), key=lambda r: r[3])
    header = ["项目名称", "企业名称", "统一社会信用代码", "奖励资金（元）", "文号"]
    body, merges, r0 = [], [], 1
    for item, group in grouped(rows, lambda r: r[3]):
        for i, r in enumerate(group):
            body.append([item if i == 0 else None, r[1], r[2], f"{Decimal(repr(r[4])):.2f}", r[5]])
        if len(group) > 1:
            merges.append((r0, 0, r0 + len(group) - 1, 0))
        r0 += len(group)
    write_html_xls(folder / "省级奖励名单.xls", {"Sheet1": [header] + body}, merges={"Sheet1": merges})


@shape("P04", "省级奖励", "OpenDocument 表格 .ods", "序号 | 企业名称 | 统一社会信用代码 | 支持项目 | 省级奖励金额（元）", OFFICE,
       replaces=PROVINCE_ONLY, clerk="结果相同")
def p04_ods(folder: Path) -> None:
    header = ["序号", "企业名称", "统一社会信用代码", "支持项目", "省级奖励金额（元）", "批复文号"]
    write_ods(folder / "省级奖励.ods", {"名单": [header] + _province_body()})


@shape("P05", "省级奖励", "两行表头：“奖励资金”合并在“金额（元）| 文号”之上", "企业名称 | 统一社会信用代码 | 项目 | 奖励资金 ／ 金额（元）| 文号",
       SPEC, replaces=PROVINCE_ONLY, clerk="结果相同")
def p05_two_row_header(folder: Path) -> None:
    head = ["企业名称", "统一社会信用代码", "项目", "奖励资金", None]
    sub = [None, None, None, "金额（元）", "文号"]
    body = [[r[1], r[2], r[3], r[4], r[5]] for r in _province_body()]
    write_xlsx(folder / "省级奖励.xlsx", {"名单": [head, sub] + body},
               merges={"名单": [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 0, 4)]})


@shape("P06", "省级奖励", "OpenDocument 表格 .ods，支持项目向下合并", "序号 | 支持项目（合并）| 企业名称 | 统一社会信用代码 | 奖补金额（元）",
       OFFICE + "（.ods 保留合并单元格；calamine 不报告 .ods 的合并区域，由程序自行读取）", replaces=PROVINCE_ONLY,
       clerk="合并单元格的项目用于每一行，结果相同")
def p06_ods_item_merged_down(folder: Path) -> None:
    rows = sorted(_province_body(), key=lambda r: r[3])
    header = ["序号", "支持项目", "企业名称", "统一社会信用代码", "奖补金额（元）", "文号"]
    body, merges, r0 = [], [], 1
    for item, group in grouped(rows, lambda r: r[3]):
        for i, r in enumerate(group):
            body.append([r[0], item if i == 0 else None, r[1], r[2], r[4], r[5]])
        if len(group) > 1:
            merges.append((r0, 1, r0 + len(group) - 1, 1))
        r0 += len(group)
    write_ods(folder / "省级奖励.ods", {"名单": [header] + body}, merges={"名单": merges})


@shape("P07", "省级奖励", "单位写在表头下一行：“奖励金额”下写“（万元）”", "奖励金额 ／ （万元）", CLERK, replaces=PROVINCE_ONLY,
       clerk="按万元换算，结果相同")
def p07_unit_row_under_the_header(folder: Path) -> None:
    header = ["序号", "企业名称", "统一社会信用代码", "支持项目", "奖励金额", "文号"]
    units = [None, None, None, None, "（万元）", None]
    write_xlsx(folder / "省级奖励.xlsx", {"名单": [header, units] + _province_body(Decimal(10000))})


# --- the applications workbook -------------------------------------------------------------------------------------

APPS_ONLY = (APPS,)
BUREAU_WORDING = {"所属县区": "所属地区", "通讯地址": "联系地址", "开户银行": "开户行", "银行账号": "账号",
                  "当年新引入": "是否当年新引进企业", "生产加工型": "是否生产加工型企业",
                  "能源资源进口落地率(%)": "能源资源商品落地率(%)", "煤炭落地数量(吨)": "煤炭实际落地数量（吨）",
                  "本地加工产品出口额(元)": "本地加工产品出口额（元）", "服务企业数(家)": "服务企业数量（家）",
                  "发放日": "贷款发放日", "本金(元)": "贷款本金（元）", "实付利息(元)": "实际支付利息（元）"}


@shape("A01", "企业申报汇总", "局里申报表的说法：“是否当年新引进企业”“能源资源商品落地率”“开户行”“账号”等",
       "统一社会信用代码 | 企业名称 | 所属地区 | … | 是否当年新引进企业 | 是否生产加工型企业 | 能源资源商品落地率(%) | …",
       SPEC, replaces=APPS_ONLY, clerk="按别名识别各列，结果相同")
def a01_bureau_wording(folder: Path) -> None:
    sheets = application_sheets()
    for rows in sheets.values():
        rows[0] = [BUREAU_WORDING.get(h, h) for h in rows[0]]
    write_xlsx(folder / "企业申报汇总表.xlsx", sheets)


@shape("A02", "企业申报汇总", "申报汇总另存为 .xlsb", "工作表 企业信息、贷款台账、其他奖励", OFFICE, replaces=APPS_ONLY,
       clerk="结果相同")
def a02_xlsb(folder: Path) -> None:
    write_xlsb(folder / "企业申报汇总.xlsb", application_sheets())


@shape("A03", "企业申报汇总", "申报汇总另存为 .ods", "工作表 企业信息、贷款台账、其他奖励", OFFICE, replaces=APPS_ONLY,
       clerk="结果相同")
def a03_ods(folder: Path) -> None:
    write_ods(folder / "企业申报汇总.ods", application_sheets())


# --- kinds that cannot be read ------------------------------------------------------------------------------------------

@shape("X01", "企业申报汇总", "WPS 表格 .et", "（WPS 自有格式）", "WPS Office 的默认表格格式", replaces=(),
       stops=["申报汇总.et", "WPS表格", "另存为"], clerk="退出码 1：指出文件是WPS表格格式，请另存为 .xlsx")
def x01_wps_et(folder: Path) -> None:
    (folder / "申报汇总.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)


@shape("X02", "海关数据", "Apple Numbers .numbers", "（Numbers 自有格式）", "macOS 的 Numbers 表格", replaces=(),
       stops=["海关.numbers", "Numbers", "另存为"], clerk="退出码 1：指出文件是Numbers格式，请另存为 .xlsx")
def x02_numbers(folder: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("Index/Document.iwa", b"\x00")
    (folder / "海关.numbers").write_bytes(buffer.getvalue())


def by_id() -> dict[str, Shape]:
    return {s.id: s for s in SHAPES}


def markdown_table() -> str:
    """The README's table of shapes taken and refused."""
    lines = ["| 编号 | 用途 | 形态 | 表头示例 | 程序的处理（经办人看到的） | 出处 |", "|---|---|---|---|---|---|"]
    for s in SHAPES:
        cells = [s.id, s.role, s.title, f"`{s.header}`", ("**拒绝**：" if s.stops else "") + s.clerk, s.seen]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("`\\|", "`|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":     # python tests/real_shapes.py C16 /tmp/c16 (one shape's folder) | --table
    if sys.argv[1] == "--table":
        print(markdown_table(), end="")
    else:
        print(by_id()[sys.argv[1]].folder(Path(sys.argv[2])))
