"""The direct calamine grid equals what pandas.read_excel(engine="calamine") gives."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import python_calamine

from jixi_batch.reading.calamine_grid import read_sheet_grids

REPO = Path(__file__).resolve().parents[1]
BOOKS = sorted((REPO / "input_samples").glob("*.xlsx")) + sorted(
    (REPO / "tests" / "bad_inputs" / "cases").glob("[0-9]*_*/*.xlsx"))[:60]


def _same(a, b) -> bool:
    if a is None or (isinstance(a, float) and np.isnan(a)):
        return b is None or (isinstance(b, float) and np.isnan(b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_grid_matches_pandas(path):
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:
        pytest.skip("not a readable workbook (a bad-input case)")
    names = [s.name for s in workbook.sheets_metadata]
    grids = read_sheet_grids(workbook, names)
    frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine",
                           keep_default_na=False, na_values=[""])
    for name in names:
        expected = frames[name].to_numpy(dtype=object, na_value=None)
        grid = grids[name]
        rows, cols = expected.shape
        assert all(_same(grid[r, c], expected[r, c]) for r in range(rows) for c in range(cols)), name
        # anything beyond pandas' frame is empty
        assert all(v is None for v in grid[rows:, :].ravel()) and all(v is None for v in grid[:, cols:].ravel())
