"""Review rows (待核查): one table of everything a clerk must look at."""
from __future__ import annotations

import pandas as pd

from .model import REVIEW_COLS


def review_frame(category, file, sheet, row, column, value, code, name, message) -> pd.DataFrame:
    """Build review rows; any argument may be a scalar or a Series aligned with the others."""
    series = [a for a in (category, file, sheet, row, column, value, code, name, message)
              if isinstance(a, pd.Series)]
    if series and len(series[0]) == 0:
        return empty()
    index = series[0].index if series else pd.RangeIndex(1)
    frame = pd.DataFrame(index=index)
    for header, arg in zip(REVIEW_COLS, (category, file, sheet, row, column, value, code, name, message)):
        frame[header] = arg.to_numpy() if isinstance(arg, pd.Series) else arg
    frame["行号"] = frame["行号"].astype("Int64")
    return frame.reset_index(drop=True)[REVIEW_COLS]


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "行号" else object) for c in REVIEW_COLS})



def concat_reviews(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty()
    out = pd.concat(frames, ignore_index=True)[REVIEW_COLS]
    out["行号"] = out["行号"].astype("Int64")
    return out
