"""The one-year LPR history (article 五（二）: "补贴利率以贷款发放日最后一次公布的1年期LPR为准").

The table ships as package data (``data/lpr_1y.csv``). Rates are kept as integers in
units of 1/1000 of a percent so that interest stays exact.
"""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

LPR_PATH = Path(__file__).parent / "data" / "lpr_1y.csv"
RATE_SCALE = 1000          # stored rate = percent × 1000 (4.25% -> 4250)
PERCENT = 100


class LprTable:
    """Publication dates and rates, sorted by date."""

    def __init__(self, path: Path = LPR_PATH):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = [r for r in csv.reader(handle) if r]
        body = rows[1:]
        self.dates = np.array([np.datetime64(r[0].strip(), "D") for r in body])
        self.rates_milli_pct = np.array(
            [int(Decimal(r[1].strip()) * RATE_SCALE) for r in body], dtype=np.int64)
        order = np.argsort(self.dates)
        self.dates, self.rates_milli_pct = self.dates[order], self.rates_milli_pct[order]
        self.labels = {int(v): format((Decimal(int(v)) / RATE_SCALE).normalize(), "f") + "%"
                       for v in self.rates_milli_pct}

    def lookup(self, issue_dates: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Rate (percent × 1000) last published on or before each date, and a found mask.

        A loan issued on a publication day takes that day's new rate.
        """
        days = issue_dates.to_numpy(dtype="datetime64[D]")
        idx = np.searchsorted(self.dates, days, side="right") - 1
        found = idx >= 0
        rates = np.where(found, self.rates_milli_pct[np.clip(idx, 0, None)], 0)
        return rates.astype(np.int64), found

    def first_date(self) -> str:
        return str(self.dates[0])


def interest_denominator(day_count: int) -> int:
    """Interest = principal × rate/(100×1000) × days/day_count; this is the common denominator."""
    return PERCENT * RATE_SCALE * day_count
