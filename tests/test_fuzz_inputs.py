"""Fuzzing the reading layer: arbitrary cell values, shuffled and renamed (alias) columns.

Whatever the cells hold, read_inputs + calculate either compute — with every sheet's rows
read = used + review + total rows skipped — or raise InputError (a Chinese message for the
clerk). Never another exception, never a lost row.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import xlsxwriter
from hypothesis import HealthCheck, given, settings, strategies as st

from jixi_batch.calculate import calculate
from jixi_batch.policy import default_policy_path, load_policy
from jixi_batch.reading import InputError, read_inputs
from jixi_batch.reading.codes import check_char

POLICY = load_policy(default_policy_path(2023))


def code(n: int) -> str:
    first = f"91230300MA{n:07d}"[:17]
    return first + check_char(first)


CODES = [code(i) for i in range(1, 6)]

# (canonical header, aliases) per role; the fuzzer picks one name per column and shuffles them
CUSTOMS = [("年月", ["日期", "统计年月"]), ("统一社会信用代码", ["企业代码", "信用代码"]),
           ("企业名称", ["经营单位名称", "收发货人名称"]), ("进出口", ["进出口标志"]),
           ("贸易方式", ["监管方式", "贸易方式代码"]), ("商品编码", ["HS编码", "税号"]),
           ("数量", ["第一数量"]), ("计量单位", ["单位"]), ("金额(元)", ["人民币", "金额（万元）"])]
PROVINCE = [("统一社会信用代码", ["社会信用代码"]), ("企业名称", ["单位名称"]),
            ("奖励项目", ["项目名称", "支持项目"]), ("省级奖励金额(元)", ["奖励金额", "金额（万元）"]),
            ("文号", ["批复文号"])]
FIRMS = [("统一社会信用代码", []), ("企业名称", []), ("开户银行", ["开户行"]), ("银行账号", ["账号"]),
         ("当年新引入", []), ("生产加工型", []), ("能源资源进口落地率(%)", ["落地率"]),
         ("煤炭落地数量(吨)", []), ("本地加工产品出口额(元)", ["本地加工出口额"]), ("平台入驻费(元)", []),
         ("推广费(元)", []), ("服务企业数(家)", []), ("银行手续费(元)", ["手续费"])]
LOANS = [("统一社会信用代码", []), ("发放日", ["发放日期"]), ("本金(元)", ["本金"]), ("计息天数", ["天数"]),
         ("实付利息(元)", ["利息"])]

GOOD = {
    "年月": st.sampled_from([202301, 202212, "2023-05", "2023年6月", dt.datetime(2023, 3, 1)]),
    "统一社会信用代码": st.sampled_from(CODES + [c.lower() for c in CODES] + [" " + CODES[0]]),
    "进出口": st.sampled_from(["进口", "出口", "I", "E"]),
    "贸易方式": st.sampled_from(["0110", 110, "9610 跨境电子商务", "1210"]),
    "商品编码": st.sampled_from(["27011200", 2701120, "8517120000", "27090000"]),
    "计量单位": st.sampled_from(["千克", "吨", "台"]),
    "奖励项目": st.sampled_from(["外贸主体新增进出口奖励", "境外展会补贴", "省级海外仓", "跨境电商奖励"]),
    "当年新引入": st.sampled_from(["是", "否", True, 1, ""]),
    "生产加工型": st.sampled_from(["是", "否", "Y", 0]),
    "能源资源进口落地率(%)": st.sampled_from([55, "55%", 0.55, "80％", 1]),
    "计息天数": st.integers(0, 400),
    "服务企业数(家)": st.integers(0, 50),
    "发放日": st.sampled_from([dt.datetime(2023, 5, 10), "2023-05-10", "2023/5/10", "2023年5月10日", 20230510]),
}
NUMBER = st.one_of(st.integers(0, 10**9), st.floats(0, 1e12, allow_nan=False, allow_infinity=False),
                   st.decimals(0, 10**8, places=2).map(lambda d: f"{d:,}"))
WILD = st.one_of(
    st.none(), st.text(max_size=12), st.integers(-10**16, 10**16), st.integers(-10**7, -1),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["合计", "小计", "N/A", "NULL", "—", "=1+1", "+1", "@x", "../x", "１２３", "1,234.5", "55%",
                     "#DIV/0!", "\x00", " ", "统一社会信用代码", "CON", "是"]),
)


def good_cell(header: str):
    return GOOD.get(header, NUMBER if any(k in header for k in ("金额", "数量", "费", "本金", "利息", "天数",
                                                                  "数", "额")) else st.text(max_size=8))


@st.composite
def sheet(draw, columns, max_rows=6):
    chosen = [(draw(st.sampled_from([canon] + aliases)), canon) for canon, aliases in columns]
    order = draw(st.permutations(range(len(chosen))))
    headers = [chosen[i] for i in order]
    n = draw(st.integers(0, max_rows))
    rows = [[draw(good_cell(canon)) for _, canon in headers] for _ in range(n)]
    # a wild cell in at most half of the rows: a sheet mostly unusable stops the run (INPUTS.md "Fail
    # closed"), and the rows must mostly reach the parsers for a parser's defect to show
    for r in draw(st.sets(st.integers(0, max(n - 1, 0)), max_size=n // 2)) if n else ():
        rows[r][draw(st.integers(0, len(headers) - 1))] = draw(WILD)
    title = draw(st.booleans())
    return ([["2023年鸡西市数据"]] if title else []) + [[h for h, _ in headers]] + rows


def write(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, dt.datetime):
                    ws.write_datetime(r, c, v, date_fmt)
                elif isinstance(v, bool):
                    ws.write_boolean(r, c, v)
                elif isinstance(v, (int, float)):
                    if v != v or v in (float("inf"), float("-inf")) or abs(v) > 1e300:
                        ws.write_string(r, c, str(v))
                    else:
                        ws.write_number(r, c, v)
                else:
                    ws.write_string(r, c, "".join(ch for ch in str(v) if ch >= " " or ch in "\t\n"))
    wb.close()
    return path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(customs=sheet(CUSTOMS, 8), province=sheet(PROVINCE), firms=sheet(FIRMS), loans=sheet(LOANS, 4))
def test_any_cells_compute_or_stop_cleanly(customs, province, firms, loans):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = [write(tmp / "海关.xlsx", {"Sheet1": customs}), write(tmp / "省级.xlsx", {"名单": province}),
                 write(tmp / "申报.xlsx", {"企业信息": firms, "贷款台账": loans})]
        try:
            bundle = read_inputs(paths, POLICY, 2023)
        except InputError as exc:
            assert str(exc) and "文件" in str(exc) or "没有" in str(exc)
            return
        for account in bundle.accounts:
            assert account.balanced, account
        data_rows = {"Sheet1": customs, "名单": province, "企业信息": firms, "贷款台账": loans}
        for account in bundle.accounts:
            assert account.rows_read <= len(data_rows[account.sheet])
        result = calculate(bundle, POLICY, "report")
        assert (result.firms["payout_fen"] >= 0).all()
