"""Helpers shared by the reading tests (tiny workbooks and CSVs), plus a smoke test."""
from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from jixi_batch.policy import default_policy_path, load_policy
from jixi_batch.reading.codes import check_char

POLICY = load_policy(default_policy_path(2023))

CUSTOMS_HEADER = ["序号", "年月", "统一社会信用代码", "企业名称", "进出口", "贸易方式", "商品编码",
                  "商品名称", "数量", "计量单位", "金额(元)"]
PROVINCE_HEADER = ["统一社会信用代码", "企业名称", "奖励项目", "省级奖励金额(元)", "文号"]
FIRM_HEADER = ["统一社会信用代码", "企业名称", "所属县区", "通讯地址", "联系人", "联系电话", "开户银行", "银行账号",
               "当年新引入", "生产加工型", "能源资源进口落地率(%)", "煤炭落地数量(吨)", "本地加工产品出口额(元)",
               "平台入驻费(元)", "推广费(元)", "服务企业数(家)", "银行手续费(元)"]
LOAN_HEADER = ["统一社会信用代码", "贷款银行", "发放日", "本金(元)", "计息天数", "实付利息(元)"]
OTHER_HEADER = ["统一社会信用代码", "规则编号", "政策名称", "已获金额(元)"]


def make_code(body9: str, prefix: str = "91230300") -> str:
    """A valid 18-character code: prefix + 9 characters + the GB 32100 check character."""
    first17 = (prefix + body9)[:17]
    assert len(first17) == 17
    return first17 + check_char(first17)


CODE_A = make_code("MA1B2C3D4")
CODE_B = make_code("123456789")
CODE_C = make_code("MA0000001")


def write_xlsx(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = (),
               merges: dict | None = None) -> Path:
    """Rows as given (None = empty cell); the first sheet replaces the default one. ``merges``:
    {sheet: [(first row, first column, last row, last column), …]}, 0-based."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for r0, c0, r1, c1 in (merges or {}).get(name, []):
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str) -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows([["" if v is None else v for v in row] for row in rows])
    return path


def customs_row(code=CODE_A, ym="202312", direction="出口", mode="0110", hs="85171200", qty=10, unit="千克",
                amount=1000, name="鸡西甲公司", seq=1):
    return [seq, ym, code, name, direction, mode, hs, "商品", qty, unit, amount]


def customs_file(tmp_path: Path, rows: list[list] | None = None, name="海关.xlsx", title=True) -> Path:
    rows = rows if rows is not None else [customs_row()]
    lines = ([["2023年1-12月鸡西市企业进出口数据"], []] if title else []) + [CUSTOMS_HEADER] + rows
    return write_xlsx(tmp_path / name, {"Sheet1": lines})


def test_helpers_make_valid_codes():
    from jixi_batch.reading.codes import OK, code_status
    assert code_status(CODE_A) == OK and code_status(CODE_B) == OK and code_status(CODE_C) == OK
