"""Tidy input tables built directly, so rule and cap tests need no Excel file."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from jixi_batch.model import (CUSTOMS_COLS, FIRM_COLS, LOAN_COLS, OTHER_AWARD_COLS, PROVINCE_COLS)
from jixi_batch.review import empty as empty_review

YEAR = 2023
SRC = {"src_file": "test.xlsx", "src_sheet": "Sheet1", "src_row": 2}


def code(n: int) -> str:
    """A distinct 18-character code per firm number (check character not needed here)."""
    return f"91230300TEST{n:05d}X"


def customs(code_: str, amount_yuan, year: int = YEAR, direction: str = "E", trade_mode: str = "0110",
            hs: str = "84818040", qty: int = 0, unit: str = "千克", name: str = "测试企业") -> dict:
    return {"code": code_, "name": name, "year": year, "month": 6, "direction": direction,
            "trade_mode": trade_mode, "hs_code": hs, "quantity_milli": qty * 1000, "unit": unit,
            "amount_fen": int(round(amount_yuan * 100)), **SRC}


def province(code_: str, item: str, rule_id: str, amount_yuan, name: str = "测试企业") -> dict:
    return {"code": code_, "name": name, "item": item, "rule_id": rule_id,
            "amount_fen": int(round(amount_yuan * 100)), "doc_no": "", **SRC}


def firm(code_: str, name: str = "测试企业", **values) -> dict:
    row = {"code": code_, "name": name, "district": "鸡冠区", "address": "", "contact": "", "phone": "",
           "bank": "龙江银行", "account": "6200000000000000001", "newly_introduced": False,
           "processing_type": False, "landing_rate_ppm": 0, "coal_landed_g": 0, "local_export_fen": 0,
           "platform_fee_fen": 0, "promo_fee_fen": 0, "served_firms": 0, "bank_fee_fen": 0, **SRC}
    row.update(values)
    return row


def loan(code_: str, issue_date: str, principal_yuan, days: int, paid_yuan) -> dict:
    return {"code": code_, "bank_name": "龙江银行", "issue_date": pd.Timestamp(issue_date),
            "principal_fen": int(round(principal_yuan * 100)), "days": days,
            "interest_paid_fen": int(round(paid_yuan * 100)), **SRC}


def other(code_: str, rule_id: str, amount_yuan, policy_name: str = "省级政策") -> dict:
    return {"code": code_, "rule_id": rule_id, "policy_name": policy_name,
            "amount_fen": int(round(amount_yuan * 100)), **SRC}


def _frame(rows, columns) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns:
        if column.endswith(("_fen", "_milli", "_ppm", "_g")) or column in ("year", "month", "days",
                                                                           "served_firms", "src_row"):
            frame[column] = frame[column].astype("int64")
    if "issue_date" in columns:
        frame["issue_date"] = pd.to_datetime(frame["issue_date"])
    return frame


def bundle(customs_rows=(), province_rows=(), firm_rows=(), loan_rows=(), other_rows=(),
           held=(), year: int = YEAR) -> SimpleNamespace:
    return SimpleNamespace(
        year=year,
        customs=_frame(list(customs_rows), CUSTOMS_COLS),
        province=_frame(list(province_rows), PROVINCE_COLS),
        firms=_frame(list(firm_rows), FIRM_COLS),
        loans=_frame(list(loan_rows), LOAN_COLS),
        other_awards=_frame(list(other_rows), OTHER_AWARD_COLS),
        review=empty_review(), held_codes=set(held), bad_check_codes=set(), warnings=[],
    )
