"""Dates as a bureau writes them, and the 公示期 in working days (OUTPUTS.md "Documents for each
step of the payout").

Working days are Monday to Friday. Statutory holidays and the weekend days worked in their place
(调休) are not known to the program: the clerk checks the end date of the 公示期 (README).
"""
from __future__ import annotations

from datetime import date, timedelta


def chinese_date(day: date) -> str:
    """date(2024, 4, 15) -> '2024年4月15日'."""
    return f"{day.year}年{day.month}月{day.day}日"


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def working_day_end(start: date, working_days: int) -> date:
    """The last day of a period of ``working_days`` working days beginning on ``start``: ``start``
    counts when it is a working day; a period starting on a Saturday begins counting on Monday."""
    if working_days < 1:
        raise ValueError(f"a period needs at least one working day, not {working_days}")
    day = start
    counted = 1 if is_working_day(day) else 0
    while counted < working_days or not is_working_day(day):
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
