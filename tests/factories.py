"""Tidy input tables built directly, so rule and cap tests need no Excel file.

Each row starts from the declared table's defaults (``jixi_batch.tables``); only what a test
cares about is given here.
"""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from jixi_batch.review import empty as empty_review
from jixi_batch.tables import Customs, Firms, Loans, OtherAwards, Province

YEAR = 2023
SRC = {"src_file": "test.xlsx", "src_sheet": "Sheet1", "src_row": 2}


def code(n: int) -> str:
    """A distinct 18-character code per firm number (check character not needed here)."""
    return f"91230300TEST{n:05d}X"


def fen(yuan) -> int:
    return int(round(yuan * 100))


def customs(code_: str, amount_yuan, year: int = YEAR, direction: str = "E", trade_mode: str = "0110",
            hs: str = "84818040", qty: float = 0, unit: str = "千克", name: str = "测试企业") -> dict:
    return Customs.row(code=code_, name=name, year=year, month=6, direction=direction, trade_mode=trade_mode,
                       hs_code=hs, quantity=float(qty), unit=unit, amount_fen=fen(amount_yuan), **SRC)


def province(code_: str, item: str, rule_id: str, amount_yuan, name: str = "测试企业") -> dict:
    return Province.row(code=code_, name=name, item=item, rule_id=rule_id, amount_fen=fen(amount_yuan), **SRC)


def firm(code_: str, name: str = "测试企业", **values) -> dict:
    defaults = {"district": "鸡冠区", "bank": "龙江银行", "account": "6200000000000000001"}
    return Firms.row(code=code_, name=name, **{**defaults, **values, **SRC})


def loan(code_: str, issue_date: str, principal_yuan, days: int, paid_yuan) -> dict:
    return Loans.row(code=code_, bank_name="龙江银行", issue_date=pd.Timestamp(issue_date),
                     principal_fen=fen(principal_yuan), days=days, interest_paid_fen=fen(paid_yuan), **SRC)


def other(code_: str, rule_id: str, amount_yuan, policy_name: str = "省级政策") -> dict:
    return OtherAwards.row(code=code_, rule_id=rule_id, policy_name=policy_name, amount_fen=fen(amount_yuan), **SRC)


def bundle(customs_rows=(), province_rows=(), firm_rows=(), loan_rows=(), other_rows=(),
           held=(), year: int = YEAR) -> SimpleNamespace:
    return SimpleNamespace(
        year=year,
        customs=Customs.frame(list(customs_rows)),
        province=Province.frame(list(province_rows)),
        firms=Firms.frame(list(firm_rows)),
        loans=Loans.frame(list(loan_rows)),
        other_awards=OtherAwards.frame(list(other_rows)),
        review=empty_review(), held_codes=set(held), bad_check_codes=set(), warnings=[],
    )
