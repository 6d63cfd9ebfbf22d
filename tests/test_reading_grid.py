"""The direct calamine grid equals what pandas.read_excel(engine="calamine") gives.

The one documented difference: an integral float stays a float in our grid (pandas gives an
int); map_unique hands it to every parser as that int (tested below)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import python_calamine

from jixi_batch.reading import values as V
from jixi_batch.reading.calamine_grid import sheet_grid
from jixi_batch.reading.opening import done

REPO = Path(__file__).resolve().parents[1]
BOOKS = sorted((REPO / "input_samples").glob("*.xlsx")) + sorted(
    (REPO / "tests" / "bad_inputs" / "cases").glob("[0-9]*_*/*.xlsx"))[:60]


def _same(a, b) -> bool:
    if a is None or (isinstance(a, float) and np.isnan(a)):
        return b is None or (isinstance(b, float) and np.isnan(b))
    if type(a) is float and a.is_integer():
        a = int(a)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_grid_matches_pandas(path):
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:
        pytest.skip("not a readable workbook (a bad-input case)")
    names = [s.name for s in workbook.sheets_metadata]
    grids = {name: sheet_grid([done(workbook.get_sheet_by_name(name))]) for name in names}
    frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine",
                           keep_default_na=False, na_values=[""])
    for name in names:
        expected = frames[name].to_numpy(dtype=object, na_value=None)
        grid, filled = grids[name]
        assert (filled == np.not_equal(grid, None)).all(), name
        rows, cols = expected.shape
        assert all(_same(grid[r, c], expected[r, c]) for r in range(rows) for c in range(cols)), name
        # anything beyond pandas' frame is empty
        assert all(v is None for v in grid[rows:, :].ravel()) and all(v is None for v in grid[:, cols:].ravel())


def test_map_unique_gives_parsers_integral_floats_as_ints():
    seen = []
    column = np.array([202305.0, 202305.0, 2.5, "202306", None, True, 1.0, float(2**70)], dtype=object)
    V.map_unique(column, lambda v: (seen.append(v), None))
    assert [(type(v), v) for v in seen] == [(int, 202305), (float, 2.5), (str, "202306"), (bool, True),
                                            (int, 1), (int, 2**70), (type(None), None)]
