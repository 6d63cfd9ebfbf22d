"""Properties: whatever the cells hold, reading balances its accounts or raises InputError."""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixi_batch.reading import InputError, read_inputs
from jixi_batch.reading import values as V
from test_reading_support import CODE_A, CODE_B, CUSTOMS_HEADER, POLICY, customs_row, write_csv, write_xlsx

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
CELL = st.one_of(
    st.none(),
    TEXT,
    st.sampled_from(["合计", "202312", "202212", "进口", "出口", "0110", "9610 跨境电子商务", "1,234.5", "—",
                     CODE_A, CODE_B, CODE_A.lower(), "55%", "2023年5月", "1012100"]),
    st.integers(min_value=-10**15, max_value=10**15),
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)


def _row(draw_cells: list) -> list:
    base = customs_row()
    return [c if c is not None else base[i] for i, c in enumerate(draw_cells)]


ROWS = st.lists(st.lists(st.one_of(st.just(None), CELL), min_size=len(CUSTOMS_HEADER),
                         max_size=len(CUSTOMS_HEADER)), min_size=0, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS, mix=st.booleans())
def test_random_customs_cells_balance_or_input_error(rows, mix):
    rows = [_row(r) if mix else r for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(Path(tmp) / "海关.xlsx", {"S": [["2023年海关数据"], CUSTOMS_HEADER] + rows})
        try:
            bundle = read_inputs([path], POLICY)
        except InputError as exc:
            assert "海关" in str(exc)
            return
    assert all(a.balanced for a in bundle.accounts)
    assert sum(a.rows_read for a in bundle.accounts) <= len(rows)
    assert set(bundle.customs["year"]) <= {bundle.year, bundle.year - 1}
    assert bundle.customs["amount_fen"].dtype == np.int64


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(TEXT, min_size=0, max_size=14), max_size=8), header_at=st.integers(0, 3))
def test_random_csv_balance_or_input_error(rows, header_at):
    rows = list(rows)
    rows.insert(min(header_at, len(rows)), CUSTOMS_HEADER)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(Path(tmp) / "c.csv", rows, "utf-8")
        try:
            bundle = read_inputs([path], POLICY, year=2023)
        except InputError:
            return
    assert all(a.balanced for a in bundle.accounts)


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(CELL, max_size=20))
def test_parsers_never_raise(cells):
    col = np.array(cells + [None], dtype=object)
    for parser in (V.parse_text, V.parse_percent, V.parse_bool, V.parse_date, V.parse_period,
                   V.parse_direction, V.parse_hs_code, V.parse_trade_mode, V.parse_account):
        values, errors = V.map_unique(col, parser)
        assert len(values) == len(col) == len(errors)
    for allow_negative in (True, False):
        values, errors = V.scaled_integers(col, 100, allow_negative, "金额")
        assert values.dtype == np.int64
