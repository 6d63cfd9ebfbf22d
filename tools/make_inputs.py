"""Sample input data for jixi-batch: the realistic sample set and a scale generator.

    python tools/make_inputs.py --out input_samples
    python tools/make_inputs.py --out /tmp/big --scale-firms 5000 --scale-rows 300000 [--seed 7]

Default mode writes the hand-checked sample set (fictional Jixi firms) that
``tests/expected_samples.py`` describes figure by figure:

* ``海关数据2023.xlsx``   customs export for 2023 (title lines, alias headers, a 合计 row,
                          trade modes with names, HS codes with a dropped leading zero);
* ``hg_2022_export.xlsx``  customs export for 2022 in 万元 with other aliases and a 总计 row;
* ``省厅奖励名单.xlsx``    the provincial award list (title line, 文号, a 合计 row);
* ``企业申报汇总.xlsx``    the city applications (企业信息 / 贷款台账 / 其他奖励).

Every firm, amount and date of the sample set is spelled out in ``FIRMS`` below; nothing in
the sample set is random except how a yearly total is split over months and commodities
(seeded, and always summing exactly to the stated total).

Scale mode writes random but valid data in the same formats (one customs file holding both
years), streaming with xlsxwriter's constant_memory mode.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

import xlsxwriter

# --------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)
# --------------------------------------------------------------------------------------
CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

DIVISIONS = {
    "230300": "鸡西市",
    "230302": "鸡冠区",
    "230303": "恒山区",
    "230304": "滴道区",
    "230305": "梨树区",
    "230306": "城子河区",
    "230307": "麻山区",
    "230321": "鸡东县",
    "230381": "虎林市",
    "230382": "密山市",
}


def check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a code."""
    if len(first17) != 17:
        raise ValueError(f"need 17 characters, got {first17!r}")
    total = sum(CODE_CHARSET.index(ch) * w for ch, w in zip(first17, CODE_WEIGHTS))
    return CODE_CHARSET[(31 - total % 31) % 31]


def make_code(division: str, org: str, category: str = "91") -> str:
    """``91`` + 6-digit division + 9-character organisation code + check character."""
    if len(division) != 6 or len(org) != 9 or any(c not in CODE_CHARSET for c in org):
        raise ValueError(f"bad division/org: {division!r} {org!r}")
    first17 = category + division + org
    return first17 + check_char(first17)


def is_valid_code(code: str) -> bool:
    return (len(code) == 18 and all(c in CODE_CHARSET for c in code)
            and check_char(code[:17]) == code[17])


def wrong_check(code: str) -> str:
    """The same code with a different (wrong) but well-formed check character."""
    good = CODE_CHARSET.index(code[17])
    return code[:17] + CODE_CHARSET[(good + 7) % 31]


# --------------------------------------------------------------------------------------
# Customs vocabulary
# --------------------------------------------------------------------------------------
TRADE_MODES = {
    "0110": "0110 一般贸易",
    "0214": "0214 来料加工",
    "0615": "0615 进料对口",
    "9610": "9610 跨境电子商务",
    "9710": "9710 跨境电商B2B直接出口",
    "9810": "9810 跨境电商出口海外仓",
    "1210": "1210 保税跨境贸易电子商务",
    "1239": "1239 保税跨境贸易电子商务A",
}

# HS code -> (commodity name, unit, rough price in 元 per unit)
GOODS = {
    "27090000": ("原油", "千克", Decimal("4.1")),
    "27101922": ("燃料油", "千克", Decimal("4.6")),
    "27111200": ("液化丙烷", "千克", Decimal("4.9")),
    "27111100": ("液化天然气", "千克", Decimal("3.8")),
    "44032500": ("针叶木原木", "立方米", Decimal("1350")),
    "44071100": ("松木锯材", "立方米", Decimal("1900")),
    "12019010": ("黄大豆", "千克", Decimal("3.9")),
    "27011210": ("炼焦煤", "千克", None),
    "27011900": ("其他煤", "吨", None),
    "25049000": ("天然石墨", "千克", Decimal("6.2")),
    "38019090": ("石墨制品", "千克", Decimal("18.5")),
    "68151000": ("非电气用石墨制品", "千克", Decimal("42")),
    "84314990": ("工程机械零件", "千克", Decimal("55")),
    "84295211": ("挖掘机", "台", Decimal("650000")),
    "62034200": ("棉制男裤", "件", Decimal("48")),
    "61091000": ("棉制T恤衫", "件", Decimal("26")),
    "20089999": ("其他水果罐头", "千克", Decimal("12")),
    "03038990": ("冻鱼", "千克", Decimal("15")),            # leading zero, written as 3038990
    "07129990": ("干蔬菜", "千克", Decimal("21")),          # leading zero, written as 7129990
    "08119000": ("冷冻蓝莓", "千克", Decimal("33")),         # leading zero, written as 8119000
    "1904100000": ("膨化谷物食品", "千克", Decimal("16")),
    "0712909990": ("干制山野菜", "千克", Decimal("60")),     # 10 digits, written as 712909990
    "94036099": ("木制家具", "件", Decimal("850")),
    "39269090": ("塑料制品", "千克", Decimal("24")),
    "87032341": ("小轿车", "辆", Decimal("180000")),
    "73089000": ("钢结构件", "千克", Decimal("9")),
}
# codes written to the 2023 sheet as numbers (Excel dropped the leading zero)
DROPPED_ZERO = {"03038990", "07129990", "08119000", "0712909990"}

CN_DIGITS = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def D(text) -> Decimal:
    return Decimal(str(text))


class T(str):
    """A value the clerk typed as text (kept as a text cell even when it looks like a number)."""


# --------------------------------------------------------------------------------------
# The sample firms. Amounts are 元 (strings, exact). Comments give the intent; the
# expected awards are derived by hand in tests/expected_samples.py.
#   y:   2023 customs lines  (direction, mode, hs, total 元, pieces[, quantity, unit])
#        a negative total is a 冲减 correction line
#   y1:  2022 customs lines  (direction, mode, hs, total 万元, pieces)
#   prov: provincial award rows (item, amount 元, 文号)
#   app:  企业信息 fields (None = firm has no applications row)
# --------------------------------------------------------------------------------------
BANKS = ["中国工商银行鸡西分行", "中国建设银行鸡西分行", "中国农业银行鸡西分行", "中国银行鸡西分行",
         "龙江银行鸡西分行", "鸡西农村商业银行", "哈尔滨银行鸡西分行", "中国邮政储蓄银行鸡西市分行"]

FIRMS = [
    # ---- A1 大型外贸主体 -------------------------------------------------------------
    dict(key="F01", div="230302", org="MA1CF4TL7", name="鸡西鑫达国际贸易有限公司",
         # 2023 total 180,001,234.00; 2022 total 8,000.1234 万元 -> increase exactly 1亿
         y=[("I", "0110", "84295211", "95000000.00", 6), ("E", "0110", "38019090", "85001234.00", 9)],
         y1=[("I", "0110", "84295211", "3000.1234", 3), ("E", "0110", "38019090", "5000.0000", 4)],
         prov=[("外贸主体新增进出口奖励", "123456.25", "黑商务发〔2024〕18号")],
         app=dict()),
    dict(key="F02", div="230382", org="MA1B8W2Q0", name="黑龙江兴凯湖国际物流有限公司",
         # 2023 total 149,999,999.99; 2022 5,000 万元 -> increase 99,999,999.99 < 1亿
         y=[("I", "0110", "87032341", "89999999.99", 8), ("E", "0110", "73089000", "60000000.00", 6)],
         y1=[("I", "0110", "87032341", "3000.0000", 3), ("E", "0110", "73089000", "2000.0000", 3)],
         prov=[("外贸主体新增进出口奖励", "300000", "黑商务发〔2024〕18号")],
         app=dict()),
    dict(key="F03", div="230303", org="MA1D2HNX5", name="鸡西北方石墨集团进出口有限公司",
         # 2023 total 250,000,000.00; no 2022 rows
         y=[("E", "0110", "25049000", "150000000.00", 12), ("E", "0615", "68151000", "60000000.00", 6),
            ("I", "0615", "84314990", "40000000.00", 5)],
         y1=[],
         prov=[("外贸主体新增进出口奖励", "800000", "黑商务发〔2024〕18号"),
               ("境外展会补贴", "80000", "黑商务发〔2024〕22号"),
               ("线上展会补贴", "12000", "黑商务发〔2024〕22号"),
               ("委托参展补贴", "8000", "黑商务发〔2024〕22号")],
         app=dict()),
    # ---- A2 贸易促进平台 ------------------------------------------------------------
    dict(key="F04", div="230306", org="MA1E5JR93", name="鸡西石墨产业园区运营管理有限公司",
         y=[("E", "0110", "38019090", "3200000.00", 4)], y1=[("E", "0110", "38019090", "210.0000", 2)],
         prov=[("国家级外贸促进平台", "3000000", "黑商务函〔2024〕7号")],
         app=None),                                   # no applications row -> 缺少开户信息
    dict(key="F05", div="230382", org="MA1A3P6K2", name="密山口岸进口贸易创新服务有限公司",
         y=[("I", "0110", "12019010", "2100000.00", 3)], y1=[],
         prov=[("省级外贸促进平台", "1000000", "黑商务函〔2024〕8号"),
               ("省级外贸促进平台", "1000000", "黑商务函〔2024〕9号")],
         app=dict()),
    dict(key="F06", div="230381", org="MA1G7T0C4", name="虎林市跨境贸易促进中心有限公司",
         wrong_check=True,                            # code with a wrong check character
         y=[("E", "9610", "20089999", "1800000.00", 4)], y1=[],
         prov=[("省级外贸促进平台", "1000000", "黑商务函〔2024〕8号")],
         app=dict(platform_fee="20000")),
    # ---- A3E / A3S / A3W 跨境电商 ---------------------------------------------------
    dict(key="F07", div="230302", org="MA1H9K3U6", name="鸡西云端跨境电子商务有限公司",
         # cross-border e-commerce exactly 10,000,000.00 (9610 + 1210); 0110 not counted
         y=[("E", "9610", "08119000", "6000000.00", 10), ("I", "1210", "61091000", "4000000.00", 5),
            ("E", "0110", "07129990", "2000000.00", 3)],
         y1=[("E", "9610", "08119000", "400.0000", 4)],
         prov=[("跨境电商奖励", "200000", "黑商务发〔2024〕25号")],
         app=dict(platform_fee="10000.00", promo_fee=" 2345.65 ")),
    dict(key="F08", div="230321", org="MA1J0M4W8", name="鸡东县北货南销电子商务有限公司",
         # cross-border 9,999,999.99 < 1000万; the 5,000,000 of 0110 does not count
         y=[("E", "9610", "0712909990", "9999999.99", 11), ("E", "0110", "0712909990", "5000000.00", 4)],
         y1=[("E", "9610", "0712909990", "600.0000", 5)],
         prov=[("跨境电商奖励", "150000", "黑商务发〔2024〕25号")],
         app=dict(platform_fee="800000", promo_fee="300000")),
    dict(key="F09", div="230305", org="MA1K2N5X1", name="鸡西易通跨境供应链管理有限公司",
         # cross-border 30,000,000.00 over 9710 / 9810 / 1239
         y=[("E", "9710", "62034200", "16000000.00", 8), ("E", "9810", "94036099", "12000000.00", 6),
            ("I", "1239", "1904100000", "2000000.00", 4)],
         y1=[("E", "9710", "62034200", "1500.0000", 6)],
         prov=[("跨境电商奖励", "500000", "黑商务发〔2024〕25号"),
               ("省级海外仓", "500000", "黑商务发〔2024〕31号")],
         app=dict(platform_fee="600,000.00", promo_fee="400,000"),
         other=[("A3E", "梨树区促进跨境电商发展扶持资金", "20000")]),
    dict(key="F10", div="230307", org="MA1L4P6Y3", name="鸡西兴凯湖农产品电商有限公司",
         y=[("E", "9610", "20089999", "850000.00", 5)], y1=[],
         prov=[],
         app=dict(platform_fee="200000", promo_fee="100000".translate(CN_DIGITS)),
         other=[("A3S", "麻山区电子商务发展专项补贴", "50000")]),
    dict(key="F11", div="230304", org="MA1M6Q7A5", name="滴道区鑫源山珍电子商务有限公司",
         y=[("E", "9610", "07129990", "420000.00", 3)], y1=[],
         prov=[],
         app=dict(platform_fee="40000", promo_fee="20000", no_bank=True)),   # no bank account
    dict(key="F12", div="230302", org="MA1N8R8B7", name="鸡西远航海外仓储有限公司",
         y=[("E", "9810", "94036099", "7600000.00", 6)], y1=[("E", "9810", "94036099", "500.0000", 3)],
         prov=[("省级海外仓", "500000", "黑商务发〔2024〕31号"),
               ("省级海外仓", "500000", "黑商务发〔2024〕32号")],
         app=dict()),
    dict(key="F13", div="230302", org="MA1P0T9C9", name="黑龙江龙兴国际贸易有限公司",
         y=[("E", "0110", "20089999", "5400000.00", 6)], y1=[("E", "0110", "20089999", "480.0000", 4)],
         prov=[("省级海外仓", "500000", "黑商务发〔2024〕31号"),
               ("境外展会补贴", "50000", "黑商务发〔2024〕22号")],
         app=dict(),
         other=[("A3W", "2022年度鸡西市外贸奖励（省级海外仓一次性奖励）", "200000")]),
    # ---- A3C 外贸综合服务企业 -------------------------------------------------------
    dict(key="F14", div="230302", org="MA1Q2U0D0", name="鸡西外贸综合服务有限公司",
         # served 10, 2023 total exactly 50,000,000.00
         y=[("E", "0110", "73089000", "30000000.00", 9), ("I", "0110", "84314990", "20000000.00", 7)],
         y1=[("E", "0110", "73089000", "4000.0000", 6)],
         prov=[], app=dict(served="10", coal_landed="—")),
    dict(key="F15", div="230302", org="MA1R4W1E2", name="鸡西众联外贸综合服务有限公司",
         # served 9 (< 10), total 80,000,000.00
         y=[("E", "0110", "73089000", "50000000.00", 8), ("I", "0110", "84314990", "30000000.00", 6)],
         y1=[("E", "0110", "73089000", "7000.0000", 6)],
         prov=[], app=dict(served="9")),
    dict(key="F16", div="230382", org="MA1T6X2F4", name="密山市兴边外贸综合服务有限公司",
         # served 10, total 49,999,999.99 (< 5000万)
         y=[("E", "0110", "20089999", "29999999.99", 8), ("I", "0110", "12019010", "20000000.00", 6)],
         y1=[("E", "0110", "20089999", "3000.0000", 5)],
         prov=[], app=dict(served="10")),
    dict(key="F17", div="230302", org="MA1U8Y3G6", name="鸡西华信供应链管理有限公司",
         # served 25, total 120,000,000.00 (2022: 11,000 万元)
         y=[("E", "0110", "73089000", "70000000.00", 10), ("I", "0110", "84314990", "50000000.00", 8)],
         y1=[("E", "0110", "73089000", "6000.0000", 6), ("I", "0110", "84314990", "5000.0000", 5)],
         prov=[], app=dict(served="25")),
    # ---- A4 展会 ---------------------------------------------------------------------
    dict(key="F18", div="230303", org="MA1W0A4H8", name="鸡西石墨烯新材料科技有限公司",
         y=[("E", "0110", "38019090", "2600000.00", 5)], y1=[("E", "0110", "38019090", "190.0000", 3)],
         prov=[("境外展会补贴", "12345.65", "黑商务发〔2024〕22号")],
         app=dict()),
    dict(key="F19", div="230306", org="MA1X2B5J1", name="鸡西恒泰机械制造有限公司",
         dup_app=True,                                # listed twice in 企业信息 -> held
         y=[("E", "0110", "84314990", "3900000.00", 6)], y1=[("E", "0110", "84314990", "350.0000", 4)],
         prov=[("委托参展补贴", "60000", "黑商务发〔2024〕22号"),
               ("线上展会补贴", "20000", "黑商务发〔2024〕22号")],
         app=dict(platform_fee="100000", processing="是")),
    # ---- A5I 能源资源进口 -----------------------------------------------------------
    dict(key="F20", div="230303", org="MA1Y4C6K3", name="鸡西龙华能源有限公司",
         # energy imports exactly 5,000,000.00 (2710 + 2711), 落地率 55
         y=[("I", "0110", "27101922", "3000000.00", 4), ("I", "0110", "27111200", "2000000.00", 3),
            ("I", "0110", "84314990", "700000.00", 2)],
         y1=[("I", "0110", "27101922", "380.0000", 3)],
         prov=[], app=dict(landing=55)),
    dict(key="F21", div="230382", org="MA1AAD7L5", name="密山市俄粮进口贸易有限公司",
         # energy imports 4,999,999.99, 落地率 80%
         y=[("I", "0110", "12019010", "4999999.99", 6)], y1=[("I", "0110", "12019010", "420.0000", 4)],
         prov=[], app=dict(landing="80%")),
    dict(key="F22", div="230381", org="MA1BCE8M7", name="虎林市森工木业进出口有限公司",
         # energy imports 10,000,000.00, 落地率 exactly 50 (not 超50%)
         y=[("I", "0110", "44032500", "10000000.00", 8)], y1=[("I", "0110", "44032500", "900.0000", 6)],
         prov=[], app=dict(landing=50)),
    dict(key="F23", div="230321", org="MA1CEF9N9", name="鸡东县北方木材加工有限公司",
         # energy imports 7,654,321.25 (4407); machinery import and a 4407 export do not count
         y=[("I", "0110", "44071100", "7654321.25", 7), ("I", "0110", "84314990", "1000000.00", 2),
            ("E", "0110", "44071100", "500000.00", 2)],
         y1=[("I", "0110", "44071100", "700.0000", 5)],
         prov=[], app=dict(landing=Decimal("0.55"))),      # an Excel percent cell
    # ---- A5C 煤炭进口落地 -----------------------------------------------------------
    dict(key="F24", div="230303", org="MA1DGG0P0", name="鸡西市恒山区鑫盛煤炭经销有限公司",
         # coal 3,000,000 + 2,000,000 千克 = 5,000 t exactly; landed 5,000
         y=[("I", "0110", "27011210", "2400000.00", 3, "3000000", "千克"),
            ("I", "0110", "27011210", "1600000.00", 2, "2000000", "千克")],
         y1=[("I", "0110", "27011210", "350.0000", 3)],
         prov=[], app=dict(coal_landed="5000")),
    dict(key="F25", div="230304", org="MA1EJH1Q2", name="鸡西市滴道区宏源煤业有限公司",
         # coal 4,999,999 千克 = 4,999.999 t (< 5000); landed 4,999
         y=[("I", "0110", "27011210", "3999999.20", 4, "4999999", "千克")],
         y1=[("I", "0110", "27011210", "300.0000", 3)],
         prov=[], app=dict(coal_landed="4999")),
    dict(key="F26", div="230321", org="MA1FKJ2R4", name="鸡东县东盛能源贸易有限公司",
         # coal 8,000 吨; landed claim 9,000 (> imported: capped, flagged)
         y=[("I", "0110", "27011900", "6400000.00", 4, "8000", "吨")],
         y1=[("I", "0110", "27011900", "500.0000", 3)],
         prov=[], app=dict(coal_landed="9000")),
    dict(key="F27", div="230305", org="MA1GLK3T6", name="鸡西市恒达煤业有限责任公司",
         customs_name="鸡西市梨树区恒达煤业有限公司",          # name differs between files
         # coal 6,500 吨; landed 6,000.5
         y=[("I", "0110", "27011900", "5200000.00", 5, "6500", "吨")],
         y1=[("I", "0110", "27011900", "450.0000", 3)],
         prov=[], app=dict(coal_landed="6000.5")),
    # ---- A5X / A5F 本地加工产品出口 -------------------------------------------------
    dict(key="F28", div="230303", org="MA1HML4U8", name="鸡西市宏达石墨制品有限公司",
         # claim 5,000,000.00 exactly (exports 6,000,000); 生产加工型 but 2023 < 2022 (no A5G)
         y=[("E", "0110", "68151000", "6000000.00", 8)], y1=[("E", "0110", "68151000", "700.0000", 6)],
         prov=[], app=dict(local_export="5000000.00", bank_fee="3000.00", processing="是"),
         loans=[("中国工商银行鸡西分行", dt.date(2023, 6, 19), "1000000.00", 360, "40000.00"),
                ("龙江银行鸡西分行", "2023/6/20", "2000000.00", 180, "36000.00"),
                ("中国银行鸡西分行", "2023年8月22日", "1000000.00", 90, "8000.00")]),
    dict(key="F29", div="230302", org="MA1JNM5W1", name="鸡西市金穗粮食加工有限公司",
         # claim 4,999,999.99 (< 500万) -> neither A5X nor A5F
         y=[("E", "0110", "1904100000", "6000000.00", 6)], y1=[("E", "0110", "1904100000", "520.0000", 4)],
         prov=[], app=dict(local_export="4999999.99", bank_fee="5000")),
    dict(key="F30", div="230382", org="MA1KPN6X3", name="密山市绿野食品进出口有限公司",
         # claim 9,000,000 > customs exports 8,000,000 -> capped, flagged
         y=[("E", "0110", "03038990", "8000000.00", 8), ("I", "0110", "39269090", "300000.00", 2)],
         y1=[("E", "0110", "03038990", "650.0000", 5)],
         prov=[], app=dict(local_export="9000000")),
    dict(key="F31", div="230302", org="MA1LQP7Y5", name="鸡西市北药生物科技有限公司",
         # claim 6,123,456.25 (exports 7,000,000); one loan on 2023-08-20 (LPR 3.55%)
         y=[("E", "0110", "0712909990", "7000000.00", 7)], y1=[("E", "0110", "0712909990", "800.0000", 5)],
         prov=[], app=dict(local_export=T("6123456.25"), bank_fee="1234.56"),
         loans=[("哈尔滨银行鸡西分行", 20230820, "1500000.00", 100, "20000.00")]),
    # ---- A5G 生产加工型增量 ---------------------------------------------------------
    dict(key="F33", div="230302", org="MA1MRQ8A7", name="鸡西市鸡冠区兴旺服装加工有限公司",
         # 2023 exactly 5,000,000.00; 2022 200 万元
         y=[("E", "0214", "62034200", "4100000.00", 6), ("I", "0214", "39269090", "900000.00", 3)],
         y1=[("E", "0214", "62034200", "200.0000", 4)],
         prov=[], app=dict(processing="是")),
    dict(key="F34", div="230306", org="MA1NTR9B9", name="鸡西市城子河区顺发木制品有限公司",
         # 2023 4,999,999.99 (< 500万); 2022 100 万元
         y=[("E", "0110", "94036099", "4999999.99", 6)], y1=[("E", "0110", "94036099", "100.0000", 3)],
         prov=[], app=dict(processing="是")),
    dict(key="F35", div="230307", org="MA1PUT0C0", name="鸡西市麻山区福源食品加工有限公司",
         # 2023 20,100,000.00 − 100,000.00 correction = 20,000,000.00; 2022 1,700.0001 万元
         y=[("E", "0110", "20089999", "20100000.00", 10), ("E", "0110", "20089999", "-100000.00", 1)],
         y1=[("E", "0110", "20089999", "1000.0001", 5), ("E", "0110", "20089999", "700.0000", 3)],
         prov=[], app=dict(processing="是")),
    dict(key="F36", div="230303", org="MA1QWU1D2", name="鸡西市佳美石墨深加工有限公司",
         # 2023 40,000,000.00; 2022 1,000 万元
         y=[("E", "0615", "38019090", "32000000.00", 10), ("I", "0615", "25049000", "8000000.00", 5)],
         y1=[("E", "0615", "38019090", "1000.0000", 6)],
         prov=[], app=dict(processing="是")),
    dict(key="F37", div="230300", org="MA1RXW2E4", name="鸡西中兴新能源装备制造有限公司",
         # 当年新引入, no 2022 rows; 2023 65,500,000.00
         y=[("E", "0110", "84314990", "50500000.00", 9), ("I", "0110", "73089000", "15000000.00", 5)],
         y1=[],
         prov=[], app=dict(processing="是", new="是")),
    dict(key="F38", div="230381", org="MA1TYX3F6", name="虎林市新兴矿产品加工有限公司",
         # 当年新引入, no 2022 rows; 2023 12,345,678.00
         y=[("E", "0110", "25049000", "12345678.00", 8)], y1=[],
         prov=[], app=dict(processing="是", new="是")),
    dict(key="F39", div="230302", org="MA1U0Y4G8", name="鸡西市通达商贸有限公司",
         # not 生产加工型: 2023 30,000,000.00 vs 2022 500 万元 -> no A5G
         y=[("E", "0110", "61091000", "30000000.00", 9)], y1=[("E", "0110", "61091000", "500.0000", 4)],
         prov=[], app=dict(processing="否")),
    # ---- Article-5 cap --------------------------------------------------------------
    dict(key="F40", div="230303", org="MA1W2A5H0", name="鸡西市龙江石化产品进出口有限公司",
         # A5I 60,000,000 imports; A5X claim 55,000,000 (exports 58,000,000); A5F capped
         y=[("I", "0110", "27090000", "40000000.00", 8), ("I", "0110", "27111100", "20000000.00", 6),
            ("E", "0110", "38019090", "58000000.00", 10)],
         y1=[("I", "0110", "27090000", "10000.0000", 8)],
         prov=[], app=dict(landing="60%", local_export="55000000", bank_fee="100000"),
         loans=[("中国建设银行鸡西分行", "2023-03-15", "30000000.00", 360, "1095000.00")]),
    dict(key="F41", div="230382", org="MA1X4B6J2", name="密山市兴凯湖能源贸易有限公司",
         # A5I 70,000,000; coal 25,000 t landed 24,000; A5X claim 80,000,000 (exports 85,000,000)
         y=[("I", "0110", "27111200", "70000000.00", 10),
            ("I", "0110", "27011900", "20000000.00", 8, "25000", "吨"),
            ("E", "0110", "73089000", "85000000.00", 10)],
         y1=[("I", "0110", "27111200", "9000.0000", 8)],
         prov=[], app=dict(landing=75, coal_landed="24000", local_export="80000000")),
    dict(key="F42", div="230321", org="MA1Y6C7K4", name="鸡西市鸡东煤化工有限公司",
         # A5I 55,000,000; coal 20,000,000 千克 landed 18,000 t; A5X claim 50,000,000
         # (exports 52,000,000) with 400,000 already received elsewhere
         y=[("I", "0110", "27101922", "55000000.00", 10),
            ("I", "0110", "27011210", "16000000.00", 8, "20000000", "千克"),
            ("E", "0110", "38019090", "52000000.00", 10)],
         y1=[("I", "0110", "27101922", "8000.0000", 6)],
         prov=[], app=dict(landing=T("90"), coal_landed="18000", local_export="50000000"),
         other=[("A5X", "鸡东县工业产品出口奖励", "400000")]),
    dict(key="F43", div="230300", org="MA1AAD8L6", name="鸡西市北疆新材料产业有限公司",
         # 当年新引入, 生产加工型, no 2022 rows; coal 22,000 t landed 21,000;
         # A5X claim 35,000,000 (exports 55,000,000); 2023 total 70,000,000.00
         y=[("I", "0110", "27011900", "15000000.00", 8, "22000", "吨"),
            ("E", "0110", "68151000", "55000000.00", 10)],
         y1=[],
         prov=[], app=dict(coal_landed="21000", local_export="35000000", processing="是", new="是")),
    dict(key="F44", div="230381", org="MA1BCE9M8", name="鸡西市宏远木业集团有限公司",
         # A5I 50,000,000 (logs); A5X claim 50,000,000 = exports -> exactly 2,000,000
         y=[("I", "0110", "44032500", "50000000.00", 10), ("E", "0110", "94036099", "50000000.00", 10)],
         y1=[("I", "0110", "44032500", "6000.0000", 8)],
         prov=[], app=dict(landing=Decimal("0.8"), local_export="50000000")),
    # ---- background and review-only firms ---------------------------------------------
    dict(key="F45", div="230302", org="MA1CEF0N0", name="鸡西市华欣工贸有限公司",
         bad_code_row=True,                           # one 2023 row with a 17-character code
         y=[("E", "0110", "61091000", "1500000.00", 5)], y1=[("E", "0110", "61091000", "140.0000", 3)],
         prov=[], app=None),
    dict(key="F46", div="230305", org="MA1DGG1P2", name="鸡西市梨树区永安建材有限公司",
         bad_code_prov=True,                          # its provincial row has a letter O in the code
         y=[("E", "0110", "73089000", "900000.00", 3)], y1=[],
         prov=[("境外展会补贴", "30000", "黑商务发〔2024〕22号")],
         app=None),
    dict(key="F47", div="230382", org="MA1EJH2Q4", name="密山市边贸商城有限公司",
         # unknown provincial item
         y=[("E", "0110", "61091000", "2200000.00", 4)], y1=[("E", "0110", "61091000", "200.0000", 3)],
         prov=[("外贸稳增长专项奖励", "100000", "黑商务发〔2024〕40号")],
         app=None),
    dict(key="F48", div="230304", org="MA1FKJ3R6", name="鸡西市滴道区瑞丰农产品有限公司",
         y=[("E", "0110", "20089999", "3300000.00", 5)], y1=[("E", "0110", "20089999", "280.0000", 3)],
         prov=[], app=None),
    dict(key="F49", div="230307", org="MA1GLK4T8", name="鸡西市麻山区森源林产品有限公司",
         y=[("E", "0110", "94036099", "1200000.00", 3), ("I", "0110", "44071100", "800000.00", 2)],
         y1=[("E", "0110", "94036099", "160.0000", 3)],
         prov=[], app=None),
]


def firm_code(firm: dict) -> str:
    code = make_code(firm["div"], firm["org"])
    return wrong_check(code) if firm.get("wrong_check") else code


def bad_code_customs(firm: dict) -> str:
    """The 17-character code of the bad customs row (check character lost)."""
    return firm_code(firm)[:17]


def bad_code_province(firm: dict) -> str:
    """An 18-character code with a letter O (outside the GB 32100 charset)."""
    code = firm_code(firm)
    return code[:10] + "O" + code[11:]


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def split_exact(total: int, pieces: int, rng: random.Random) -> list[int]:
    """Split an integer total into `pieces` positive integers (same sign) summing exactly."""
    if pieces <= 1 or abs(total) < pieces * 10:
        return [total]
    sign = -1 if total < 0 else 1
    mag = abs(total)
    weights = [rng.randint(60, 140) for _ in range(pieces)]
    wsum = sum(weights)
    parts = [mag * w // wsum for w in weights]
    parts[-1] += mag - sum(parts)
    return [sign * p for p in parts]


def months_for(pieces: int, rng: random.Random) -> list[int]:
    if pieces >= 12:
        return [(i % 12) + 1 for i in range(pieces)]
    return sorted(rng.sample(range(1, 13), pieces))


def quantity_for(hs: str, amount_fen: int, rng: random.Random) -> int:
    price = GOODS[hs][2]
    if price is None:
        return 0
    qty = int(Decimal(abs(amount_fen)) / 100 / (price * D(rng.uniform(0.85, 1.15)).quantize(D("0.01"))))
    return max(qty, 1) * (1 if amount_fen >= 0 else -1)


def fen_to_float(fen: int) -> float:
    return float(Decimal(fen) / 100)


class Book:
    """A thin wrapper around an xlsxwriter workbook with the formats we need."""

    def __init__(self, path: Path, constant_memory: bool = False):
        self.wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory,
                                                  "strings_to_numbers": False,
                                                  "strings_to_formulas": False,
                                                  "strings_to_urls": False})
        self.wb.set_properties({"created": dt.datetime(2024, 3, 1, 9, 0, 0), "author": "jixi-batch"})
        self.title = self.wb.add_format({"bold": True, "font_size": 14})
        self.head = self.wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                        "text_wrap": True, "align": "center", "valign": "vcenter"})
        self.money = self.wb.add_format({"num_format": "#,##0.00"})
        self.wan = self.wb.add_format({"num_format": "#,##0.0000"})
        self.text = self.wb.add_format({"num_format": "@"})
        self.date = self.wb.add_format({"num_format": "yyyy-mm-dd"})
        self.ym = self.wb.add_format({"num_format": "yyyy年m月"})
        self.pct = self.wb.add_format({"num_format": "0%"})
        self.bold_money = self.wb.add_format({"bold": True, "num_format": "#,##0.00"})
        self.bold = self.wb.add_format({"bold": True})

    def close(self):
        self.wb.close()


# --------------------------------------------------------------------------------------
# default mode: the sample set
# --------------------------------------------------------------------------------------
CUSTOMS_2023_FILE = "海关数据2023.xlsx"
CUSTOMS_2022_FILE = "hg_2022_export.xlsx"
PROVINCE_FILE = "省厅奖励名单.xlsx"
APPLICATIONS_FILE = "企业申报汇总.xlsx"


def _customs_lines(firm: dict, lines: list, year: int, unit_wan: bool, rng: random.Random) -> list[dict]:
    rows = []
    for line in lines:
        direction, mode, hs, total, pieces = line[:5]
        qty_total, qty_unit = (line[5], line[6]) if len(line) > 5 else (None, None)
        if unit_wan:   # total in 万元 with at most 4 decimals = whole 元; parts stay in 万元
            total_yuan = D(total) * 10000
            assert total_yuan == total_yuan.to_integral_value()
            yuan_parts = split_exact(int(total_yuan), pieces, rng)
            fens = [y * 100 for y in yuan_parts]
            parts = [Decimal(y) / 10000 for y in yuan_parts]
        else:          # total in 元; parts in fen
            fens = split_exact(int(D(total) * 100), pieces, rng)
            parts = fens
        pieces_n = len(fens)
        months = months_for(pieces_n, rng)
        if qty_total is not None:
            qtys = split_exact(int(qty_total), pieces_n, rng) if pieces_n > 1 else [int(qty_total)]
            if len(qtys) != pieces_n:           # too small to split: keep one row
                qtys = [int(qty_total)] + [0] * (pieces_n - 1)
        else:
            qtys = [quantity_for(hs, f, rng) for f in fens]
        for month, value, qty in zip(months, parts, qtys):
            rows.append(dict(year=year, month=month, code=firm_code(firm),
                             name=firm.get("customs_name", firm["name"]), direction=direction,
                             mode=mode, hs=hs, goods=GOODS[hs][0], qty=qty,
                             unit=qty_unit or GOODS[hs][1], value=value, firm=firm["key"]))
    return rows


def write_customs_2023(path: Path, rng: random.Random) -> int:
    rows = []
    for firm in FIRMS:
        rows += _customs_lines(firm, firm["y"], 2023, False, rng)
        if firm.get("bad_code_row"):
            rows.append(dict(year=2023, month=11, code=bad_code_customs(firm), name=firm["name"],
                             direction="E", mode="0110", hs="61091000", goods="棉制T恤衫",
                             qty=3000, unit="件", value=8650000, firm=firm["key"]))
    order = {f["key"]: i for i, f in enumerate(FIRMS)}
    rng.shuffle(rows)
    rows.sort(key=lambda r: (r["month"], order[r["firm"]]))
    book = Book(path)
    ws = book.wb.add_worksheet("进出口明细")
    ws.write(0, 0, "2023年1-12月鸡西市企业进出口数据", book.title)
    ws.write(1, 0, "单位：元", book.bold)
    ws.write(1, 8, "数据来源：密山海关、虎林海关", book.bold)
    headers = ["序号", "统计年月", "统一社会信用代码", "经营单位名称", "进出口", "监管方式",
               "HS编码", "商品名称", "第一数量", "第一计量单位", "人民币（元）"]
    ws.write_row(2, 0, headers, book.head)
    total_fen = 0
    r = 3
    for i, row in enumerate(rows, start=1):
        ws.write_number(r, 0, i)
        ws.write_number(r, 1, row["year"] * 100 + row["month"])
        ws.write_string(r, 2, row["code"])
        ws.write_string(r, 3, row["name"])
        ws.write_string(r, 4, "进口" if row["direction"] == "I" else "出口")
        ws.write_string(r, 5, TRADE_MODES[row["mode"]])
        if row["hs"] in DROPPED_ZERO:
            ws.write_number(r, 6, int(row["hs"]))          # Excel dropped the leading zero
        else:
            ws.write_string(r, 6, row["hs"])
        ws.write_string(r, 7, row["goods"])
        ws.write_number(r, 8, row["qty"])
        ws.write_string(r, 9, row["unit"])
        ws.write_number(r, 10, fen_to_float(row["value"]), book.money)
        total_fen += row["value"]
        r += 1
    ws.write_string(r, 0, "合计", book.bold)
    ws.write_number(r, 10, fen_to_float(total_fen), book.bold_money)
    ws.set_column(2, 3, 28)
    ws.set_column(5, 5, 24)
    ws.set_column(6, 7, 14)
    ws.set_column(10, 10, 18)
    ws.freeze_panes(3, 0)
    book.close()
    return len(rows)


def write_customs_2022(path: Path, rng: random.Random) -> int:
    rows = []
    for firm in FIRMS:
        rows += _customs_lines(firm, firm["y1"], 2022, True, rng)
    rows.sort(key=lambda r: (r["month"], r["code"]))
    book = Book(path)
    ws = book.wb.add_worksheet("Sheet1")
    ws.write(0, 0, "2022年1-12月鸡西市外贸企业进出口情况表", book.title)
    headers = ["日期", "企业代码", "收发货人名称", "进出口标志", "贸易方式代码", "税号", "品名",
               "法定数量", "单位", "金额(万元)"]
    ws.write_row(1, 0, headers, book.head)
    total = Decimal(0)
    r = 2
    for row in rows:
        ws.write_datetime(r, 0, dt.datetime(row["year"], row["month"], 1), book.ym)
        ws.write_string(r, 1, row["code"])
        ws.write_string(r, 2, row["name"])
        ws.write_string(r, 3, row["direction"])
        ws.write_string(r, 4, row["mode"])
        ws.write_string(r, 5, row["hs"])
        ws.write_string(r, 6, row["goods"])
        ws.write_number(r, 7, row["qty"])
        ws.write_string(r, 8, row["unit"])
        ws.write_number(r, 9, float(row["value"]), book.wan)
        total += row["value"]
        r += 1
    ws.write_string(r, 0, "总计", book.bold)
    ws.write_number(r, 9, float(total), book.wan)
    ws.set_column(1, 2, 28)
    book.close()
    return len(rows)


def write_province(path: Path) -> int:
    book = Book(path)
    ws = book.wb.add_worksheet("拟奖励企业名单")
    ws.write(0, 0, "2023年度黑龙江省外贸发展专项资金奖励企业名单（鸡西市）", book.title)
    headers = ["序号", "企业名称", "统一社会信用代码", "支持项目", "省级奖励金额（元）", "批复文号"]
    ws.write_row(1, 0, headers, book.head)
    r, n, total = 2, 0, Decimal(0)
    for firm in FIRMS:
        for item, amount, doc in firm["prov"]:
            n += 1
            code = bad_code_province(firm) if firm.get("bad_code_prov") else firm_code(firm)
            ws.write_number(r, 0, n)
            ws.write_string(r, 1, firm["name"])
            ws.write_string(r, 2, code)
            ws.write_string(r, 3, item)
            ws.write_number(r, 4, float(D(amount)), book.money)
            ws.write_string(r, 5, doc)
            total += D(amount)
            r += 1
    ws.write_string(r, 0, "合计", book.bold)
    ws.write_number(r, 4, float(total), book.bold_money)
    ws.set_column(1, 2, 30)
    ws.set_column(3, 3, 22)
    ws.set_column(4, 5, 22)
    book.close()
    return n


FIRM_HEADERS = ["统一社会信用代码", "企业名称", "所属县区", "通讯地址", "联系人", "联系电话",
                "开户银行", "银行账号", "当年新引入", "生产加工型", "能源资源进口落地率(%)",
                "煤炭落地数量(吨)", "本地加工产品出口额(元)", "平台入驻费(元)", "推广费(元)",
                "服务企业数(家)", "银行手续费(元)"]
LOAN_HEADERS = ["统一社会信用代码", "贷款银行", "发放日", "本金(元)", "计息天数", "实付利息(元)"]
OTHER_HEADERS = ["统一社会信用代码", "规则编号", "政策名称", "已获金额(元)"]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "丽华", "志强", "海燕", "国庆", "秀英", "文博", "晓东", "春梅", "立新", "玉兰", "振宇"]
STREETS = ["兴国中路", "和平北大街", "中心大街", "红旗路", "文化路", "南山路", "跃进路", "东风路"]


def _write_value(ws, r, c, value, book: Book):
    """Write an applications cell: numbers as numbers, text as text, Decimal ratio as percent."""
    if value is None or value == "":
        return
    if isinstance(value, Decimal):
        ws.write_number(r, c, float(value), book.pct)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value)
    else:
        text = str(value)
        if not isinstance(value, T):
            try:      # plain numeric text in FIRMS stands for a number cell
                if text == text.strip() and "," not in text and text.isascii():
                    ws.write_number(r, c, float(Decimal(text)))
                    return
            except ArithmeticError:
                pass
        ws.write_string(r, c, text)


def _firm_row(firm: dict, idx: int, variant: int = 0) -> list:
    app = firm["app"]
    code = firm_code(firm)
    district = DIVISIONS[firm["div"]]
    if firm["div"] == "230300":
        district = "鸡西市（高新区）"
    contact = SURNAMES[idx % len(SURNAMES)] + GIVEN[(idx * 7) % len(GIVEN)]
    local = random.Random(f"{firm['key']}-{variant}")       # stable per firm
    phone = local.choice(["0467", "139", "158", "186", "133"])
    phone = f"{phone}-{local.randint(2000000, 2999999)}" if phone == "0467" else \
        f"{phone}{local.randint(0, 99999999):08d}"
    bank_i = (idx + variant) % len(BANKS)
    bank = BANKS[bank_i]
    if bank_i == 5:   # the rural commercial bank's accounts begin with 0: text keeps the zero
        account = f"0{local.randint(10**17, 10**18 - 1)}"
    else:
        account = f"{local.choice(['6222', '6227', '6228', '6217', '6230'])}{local.randint(10**14, 10**15 - 1)}"
    if app.get("no_bank"):
        bank, account = "", ""
    address = f"黑龙江省鸡西市{district.replace('鸡西市（高新区）', '高新区')}{STREETS[idx % len(STREETS)]}{10 + idx * 3}号"
    return [code, firm["name"], district, address, contact, phone, bank, account,
            app.get("new", "否"), app.get("processing", "否"), app.get("landing"),
            app.get("coal_landed"), app.get("local_export"), app.get("platform_fee"),
            app.get("promo_fee"), app.get("served"), app.get("bank_fee")]


def write_applications(path: Path) -> tuple[int, int, int]:
    book = Book(path)
    ws = book.wb.add_worksheet("企业信息")
    ws.write_row(0, 0, FIRM_HEADERS, book.head)
    r = 1
    for idx, firm in enumerate(FIRMS):
        if firm["app"] is None:
            continue
        rows = [_firm_row(firm, idx)]
        if firm.get("dup_app"):   # the same firm again, other account and other claim
            second = _firm_row(firm, idx, variant=1)
            second[13] = "120000"
            rows.append(second)
        for values in rows:
            for c, value in enumerate(values):
                if c in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9):
                    if value:
                        ws.write_string(r, c, str(value))
                else:
                    _write_value(ws, r, c, value, book)
            r += 1
    n_firms = r - 1
    ws.set_column(0, 1, 30)
    ws.set_column(2, 7, 18)
    ws.set_column(8, 16, 14)
    ws.freeze_panes(1, 0)

    wl = book.wb.add_worksheet("贷款台账")
    wl.write_row(0, 0, LOAN_HEADERS, book.head)
    r = 1
    for firm in FIRMS:
        for bank, issued, principal, days, interest in firm.get("loans", []):
            wl.write_string(r, 0, firm_code(firm))
            wl.write_string(r, 1, bank)
            if isinstance(issued, dt.date):
                wl.write_datetime(r, 2, dt.datetime(issued.year, issued.month, issued.day), book.date)
            elif isinstance(issued, int):
                wl.write_number(r, 2, issued)
            else:
                wl.write_string(r, 2, issued)
            wl.write_number(r, 3, float(D(principal)), book.money)
            wl.write_number(r, 4, days)
            wl.write_number(r, 5, float(D(interest)), book.money)
            r += 1
    n_loans = r - 1
    wl.set_column(0, 1, 28)
    wl.set_column(2, 5, 16)

    wo = book.wb.add_worksheet("其他奖励")
    wo.write_row(0, 0, OTHER_HEADERS, book.head)
    r = 1
    for firm in FIRMS:
        for rule, policy, amount in firm.get("other", []):
            wo.write_string(r, 0, firm_code(firm))
            wo.write_string(r, 1, rule)
            wo.write_string(r, 2, policy)
            wo.write_number(r, 3, float(D(amount)), book.money)
            r += 1
    n_other = r - 1
    wo.set_column(0, 0, 28)
    wo.set_column(2, 2, 48)
    wo.set_column(3, 3, 16)
    book.close()
    return n_firms, n_loans, n_other


def write_samples(out: Path, seed: int = 2023) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    for firm in FIRMS:      # the sample set itself must be sound
        code = firm_code(firm)
        assert is_valid_code(code) != bool(firm.get("wrong_check")), firm["key"]
    rng = random.Random(seed)
    counts = {
        CUSTOMS_2023_FILE: write_customs_2023(out / CUSTOMS_2023_FILE, rng),
        CUSTOMS_2022_FILE: write_customs_2022(out / CUSTOMS_2022_FILE, rng),
        PROVINCE_FILE: write_province(out / PROVINCE_FILE),
        APPLICATIONS_FILE: write_applications(out / APPLICATIONS_FILE),
    }
    return counts


# --------------------------------------------------------------------------------------
# scale mode
# --------------------------------------------------------------------------------------
NAME_PARTS_A = ["龙江", "兴凯", "北方", "鑫达", "恒泰", "华信", "宏远", "金穗", "绿野", "中兴",
                "瑞丰", "永安", "云端", "易通", "北疆", "佳美", "顺发", "福源", "通达", "森源"]
NAME_PARTS_B = ["国际贸易", "进出口", "石墨制品", "煤炭经销", "木业", "食品加工", "能源", "电子商务",
                "供应链管理", "机械制造", "农产品", "新材料", "矿产品", "服装加工", "建材"]


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _col_letter(c: int) -> str:
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _xml_row(r: int, values: list) -> str:
    cells = []
    for c, value in enumerate(values):
        ref = f"{_col_letter(c)}{r}"
        if value is None:
            continue
        if isinstance(value, (int, float, Decimal)):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{xml_escape(str(value))}</t></is></c>')
    return f'<row r="{r}">{"".join(cells)}</row>'


_FAST_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>'),
}


class SharedStrings:
    """The shared-strings table of a fast-written workbook."""

    def __init__(self):
        self.ids: dict[str, int] = {}

    def index(self, text: str) -> int:
        return self.ids.setdefault(text, len(self.ids))

    def xml(self) -> str:
        items = "".join(f"<si><t>{xml_escape(t)}</t></si>" for t in self.ids)
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'count="{len(self.ids)}" uniqueCount="{len(self.ids)}">{items}</sst>')


def write_fast_xlsx(path: Path, sheet_name: str, rows, sst: SharedStrings, dimension: str = "") -> None:
    """A one-sheet .xlsx streamed from an iterable of ``<row>`` XML strings.

    ``t="s"`` cells index ``sst`` (filled before or while the rows are produced); the
    shared-strings part is written after the sheet. Other text cells are inline strings.
    """
    import zipfile
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, text in _FAST_PARTS.items():
            zf.writestr(name, text)
        zf.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{xml_escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            if dimension:
                fh.write(f'<dimension ref="{dimension}"/>'.encode())
            fh.write(b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="3" topLeftCell="A4" '
                     b'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                     b'<cols><col min="3" max="4" width="34" customWidth="1"/>'
                     b'<col min="6" max="6" width="26" customWidth="1"/>'
                     b'<col min="11" max="11" width="18" customWidth="1"/></cols><sheetData>')
            chunk = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= 5000:
                    fh.write("".join(chunk).encode("utf-8"))
                    chunk = []
            fh.write("".join(chunk).encode("utf-8"))
            fh.write(b"</sheetData></worksheet>")
        zf.writestr("xl/sharedStrings.xml", sst.xml())
    tmp.replace(path)


def _random_org(rng: random.Random) -> str:
    return "MA" + "".join(rng.choice(CODE_CHARSET) for _ in range(7))


def write_scale(out: Path, n_firms: int, n_rows: int, seed: int) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    divisions = list(DIVISIONS)
    firms, seen = [], set()
    while len(firms) < n_firms:
        div = rng.choice(divisions)
        code = make_code(div, _random_org(rng))
        if code in seen:
            continue
        seen.add(code)
        i = len(firms) + 1
        name = (f"{'鸡西市' if div == '230300' else DIVISIONS[div]}{rng.choice(NAME_PARTS_A)}"
                f"{rng.choice(NAME_PARTS_B)}有限公司{i:05d}")
        firms.append((code, name, div))

    # customs: both years in one file, streamed. xlsxwriter needs ~10 µs a cell on a small
    # machine (35 s for 300,000 rows x 11 columns); the sheet XML is written directly instead.
    hs_codes = list(GOODS)
    modes = list(TRADE_MODES.values())
    mode_weights = [60, 6, 8, 8, 4, 4, 5, 5]
    headers = ["序号", "年月", "统一社会信用代码", "企业名称", "进出口", "贸易方式", "商品编码",
               "商品名称", "数量", "计量单位", "金额(元)"]
    sst = SharedStrings()            # repeated texts as shared strings (as Excel saves them)
    firm_codes = [sst.index(f[0]) for f in firms]
    firm_names = [sst.index(f[1]) for f in firms]
    mode_ids = [sst.index(m) for m in modes]
    goods_ids = {hs: (sst.index(hs), sst.index(GOODS[hs][0]), sst.index(GOODS[hs][1]),
                      GOODS[hs][1] in ("千克", "吨")) for hs in hs_codes}
    directions = (sst.index("进口"), sst.index("出口"))
    pick_firm = rng.choices(range(n_firms), k=n_rows)
    pick_mode = rng.choices(mode_ids, weights=mode_weights, k=n_rows)
    pick_hs = rng.choices(hs_codes, k=n_rows)
    rnd = rng.random
    total_fen = 0

    def customs_rows():
        nonlocal total_fen
        yield _xml_row(1, ["2022年1月-2023年12月鸡西市企业进出口数据"])
        yield _xml_row(2, ["单位：元"])
        yield _xml_row(3, headers)
        for i in range(n_rows):
            f = pick_firm[i]
            hs_id, goods_id, unit_id, by_weight = goods_ids[pick_hs[i]]
            fen = 100_000 + int(rnd() * 499_900_000)
            if rnd() < 0.005:
                fen = -fen // 10          # a 冲减 correction
            total_fen += fen
            r = i + 4
            ym = (2022 + (i & 1)) * 100 + 1 + int(rnd() * 12)
            qty = 1 + int(rnd() * (500_000 if by_weight else 5000))
            yield (f'<row r="{r}"><c r="A{r}"><v>{i + 1}</v></c><c r="B{r}"><v>{ym}</v></c>'
                   f'<c r="C{r}" t="s"><v>{firm_codes[f]}</v></c>'
                   f'<c r="D{r}" t="s"><v>{firm_names[f]}</v></c>'
                   f'<c r="E{r}" t="s"><v>{directions[rnd() < 0.5]}</v></c>'
                   f'<c r="F{r}" t="s"><v>{pick_mode[i]}</v></c>'
                   f'<c r="G{r}" t="s"><v>{hs_id}</v></c>'
                   f'<c r="H{r}" t="s"><v>{goods_id}</v></c>'
                   f'<c r="I{r}"><v>{qty}</v></c>'
                   f'<c r="J{r}" t="s"><v>{unit_id}</v></c>'
                   f'<c r="K{r}" s="1"><v>{fen / 100!r}</v></c></row>')
        yield _xml_row(n_rows + 4, ["合计", None, None, None, None, None, None, None, None, None,
                                    Decimal(total_fen) / 100])

    write_fast_xlsx(out / "海关数据_2022-2023.xlsx", "进出口明细", customs_rows(), sst,
                    f"A1:K{n_rows + 4}")

    # provincial list
    items = [("外贸主体新增进出口奖励", 100000, 2000000), ("国家级外贸促进平台", 1000000, 3000000),
             ("省级外贸促进平台", 500000, 1000000), ("跨境电商奖励", 50000, 500000),
             ("省级海外仓", 300000, 500000), ("境外展会补贴", 5000, 100000),
             ("线上展会补贴", 2000, 30000), ("委托参展补贴", 2000, 50000)]
    book = Book(out / "省厅奖励名单.xlsx", constant_memory=True)
    ws = book.wb.add_worksheet("拟奖励企业名单")
    ws.write(0, 0, "2023年度黑龙江省外贸发展专项资金奖励企业名单（鸡西市）", book.title)
    ws.write_row(1, 0, ["序号", "企业名称", "统一社会信用代码", "奖励项目", "省级奖励金额(元)", "文号"],
                 book.head)
    n_prov = max(1, n_firms // 5)
    total = 0
    for i in range(n_prov):
        code, name, _ = firms[rng.randrange(n_firms)]
        item, lo, hi = rng.choice(items)
        amount = rng.randint(lo // 100, hi // 100) * 100
        total += amount
        ws.write_row(i + 2, 0, (i + 1, name, code, item, amount, f"黑商务发〔2024〕{rng.randint(1, 60)}号"))
    ws.write_row(n_prov + 2, 0, ("合计", None, None, None, total))
    book.close()

    # applications
    book = Book(out / "企业申报汇总.xlsx", constant_memory=True)
    ws = book.wb.add_worksheet("企业信息")
    ws.write_row(0, 0, FIRM_HEADERS, book.head)
    for i, (code, name, div) in enumerate(firms):
        processing = rng.random() < 0.3
        row = [code, name, DIVISIONS[div], f"黑龙江省鸡西市{DIVISIONS[div]}{rng.choice(STREETS)}{rng.randint(1, 300)}号",
               rng.choice(SURNAMES) + rng.choice(GIVEN), f"13{rng.randint(0, 999999999):09d}",
               rng.choice(BANKS), f"{rng.randint(10**18, 10**19 - 1)}",
               "是" if rng.random() < 0.05 else "否", "是" if processing else "否"]
        ws.write_row(i + 1, 0, row, book.text)
        c = len(row)
        if rng.random() < 0.1:
            ws.write_number(i + 1, c, rng.randint(30, 100))
        if rng.random() < 0.05:
            ws.write_number(i + 1, c + 1, rng.randint(1000, 30000))
        if rng.random() < 0.2:
            ws.write_number(i + 1, c + 2, rng.randint(1_000_000_00, 80_000_000_00) / 100)
        if rng.random() < 0.1:
            ws.write_number(i + 1, c + 3, rng.randint(1000, 500000))
            ws.write_number(i + 1, c + 4, rng.randint(0, 300000))
        if rng.random() < 0.03:
            ws.write_number(i + 1, c + 5, rng.randint(1, 40))
        if rng.random() < 0.2:
            ws.write_number(i + 1, c + 6, rng.randint(0, 20_000_000) / 100)
    wl = book.wb.add_worksheet("贷款台账")
    wl.write_row(0, 0, LOAN_HEADERS, book.head)
    n_loans = max(1, n_firms // 10)
    for i in range(n_loans):
        code = firms[rng.randrange(n_firms)][0]
        issued = dt.date(2022, 6, 1) + dt.timedelta(days=rng.randint(0, 570))
        principal = rng.randint(100, 50000) * 1000
        days = rng.randint(30, 365)
        interest = round(principal * 0.04 * days / 360 * rng.uniform(0.8, 1.1), 2)
        wl.write_string(i + 1, 0, code)
        wl.write_string(i + 1, 1, rng.choice(BANKS))
        wl.write_datetime(i + 1, 2, dt.datetime(issued.year, issued.month, issued.day), book.date)
        wl.write_number(i + 1, 3, principal)
        wl.write_number(i + 1, 4, days)
        wl.write_number(i + 1, 5, interest)
    wo = book.wb.add_worksheet("其他奖励")
    wo.write_row(0, 0, OTHER_HEADERS, book.head)
    rules = ["A3S", "A3W", "A5X", "A5G", "A3E"]
    for i in range(max(1, n_firms // 50)):
        wo.write_row(i + 1, 0, (firms[rng.randrange(n_firms)][0], rng.choice(rules), "县区配套奖励",
                                rng.randint(1, 100) * 1000))
    book.close()
    return {"firms": n_firms, "customs_rows": n_rows, "province_rows": n_prov, "loans": n_loans}


# --------------------------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="写出 jixi-batch 的样例输入数据")
    parser.add_argument("--out", required=True, help="输出文件夹")
    parser.add_argument("--scale-firms", type=int, help="规模测试：企业数")
    parser.add_argument("--scale-rows", type=int, help="规模测试：海关数据行数")
    parser.add_argument("--seed", type=int, default=None, help="随机种子（默认固定）")
    args = parser.parse_args(argv)
    out = Path(args.out)
    started = time.perf_counter()
    if args.scale_firms or args.scale_rows:
        if not (args.scale_firms and args.scale_rows):
            parser.error("--scale-firms 与 --scale-rows 需同时给出")
        counts = write_scale(out, args.scale_firms, args.scale_rows,
                             7 if args.seed is None else args.seed)
    else:
        counts = write_samples(out, 2023 if args.seed is None else args.seed)
    print(f"已写出 {out}：{counts}（{time.perf_counter() - started:.1f} 秒）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
