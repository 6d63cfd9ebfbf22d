"""Rows pasted twice, a sheet copied: a data row equal in every cell to an earlier row of the same
role (in the same sheet, another sheet or another file) is counted once; each later copy is listed
for review (INPUTS.md "Fail closed": duplicates are not paid twice).

Rows are compared by a 128-bit fingerprint of their cells: each recognised column by the value
it was read as (so 1000 and "1,000", or a figure in 万元 and the same in 元, are equal), every other
column by its cell, by position; empty cells do not count (a block of rows read narrower than the
next is the same row). A running number column (序号) is left out: pasted rows are often
renumbered, and a number of the row is not data. A fingerprint is made per sheet, a block of rows
at a time, and means the same in every sheet and file, so copies are found across them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .layout import Layout

_KEY = "jixi-dup-rows-k1"                           # pandas' hash key: 16 characters
_SEEDS = (np.uint64(0x243F6A8885A308D3), np.uint64(0x13198A2E03707344))


def fingerprints(rows: np.ndarray, used: np.ndarray, layout: Layout, parsed: dict[str, np.ndarray],
                 factors: dict) -> np.ndarray:
    """(n, 2) uint64: one fingerprint per used row of ``rows`` (the grid's data rows). ``parsed``: the
    recognised columns' values, by name, for every row; ``factors``: how some of them were
    factorized when they were read (values.map_unique), so they are not factorized again."""
    out = np.zeros((int(used.sum()), 2), dtype=np.uint64)
    if not len(out):
        return out
    read = {b.index for b in layout.all_bindings() if b.column.keep}
    columns = [("=" + name, values) for name, values in sorted(parsed.items())]
    columns += [(f"#{j}", rows[:, j]) for j in range(rows.shape[1])
                if j not in read and j not in layout.row_numbers]
    for label, values in columns:
        known = factors.get(id(values))
        if known is not None and known[0] is values:
            uniques, codes = known[1], known[2][used]
        else:
            codes, uniques = pd.factorize(np.asarray(values)[used])    # None and NaN: -1, empty
        hashes = np.vstack([_unique_hashes(np.asarray(uniques), label), np.zeros((1, 2), dtype=np.uint64)])
        out += hashes[codes]        # a sum (wrapping): the columns' order, and empty cells (0), do not count
    return out


def _unique_hashes(uniques: np.ndarray, label: str) -> np.ndarray:
    """(m, 2): two 64-bit hashes per distinct value of a column, mixed with the column's label and
    the value's kind (number, text, other); 0 for a cell of whitespace. Numbers and text are hashed
    vectorized: a column of 300,000 amounts is a few numpy calls, not 300,000 Python ones."""
    if uniques.dtype.kind in "iuf":
        return _numbers(uniques, label)
    if pd.api.types.infer_dtype(uniques, skipna=False) == "string":       # names, codes: no loop
        hashed = _labelled(uniques, label, "s")
        hashed[uniques == ""] = 0
        return hashed
    out = np.zeros((len(uniques), 2), dtype=np.uint64)
    kinds = np.array([_kind(u) for u in uniques], dtype=object)
    for kind in ("i", "f"):
        chosen = kinds == kind
        if chosen.any():
            out[chosen] = _numbers(np.array(uniques[chosen].tolist(), dtype=np.int64 if kind == "i" else np.float64),
                                   label)
    for kind in ("s", "o"):
        chosen = kinds == kind
        if chosen.any():
            texts = uniques[chosen] if kind == "s" else np.array([repr(u) for u in uniques[chosen]], dtype=object)
            hashed = _labelled(texts, label, kind)
            hashed[np.array([not t.strip() for t in texts], dtype=bool)] = 0
            out[chosen] = hashed
    return out


# a value's kind by its type: whole numbers, other numbers, text, nothing; anything else (flags,
# dates, periods, Decimals) is "o", told by its repr
_KINDS = {int: "i", np.int64: "i", float: "f", np.float64: "f", str: "s", type(None): "",
          bool: "o", np.bool_: "o"}


def _kind(value) -> str:
    kind = _KINDS.get(type(value), "o")
    return "o" if kind == "i" and not -(1 << 63) <= value < (1 << 63) else kind


def _numbers(values: np.ndarray, label: str) -> np.ndarray:
    """Hashes of numbers: a whole number the same whether it came as 1000 or 1000.0."""
    if values.dtype.kind in "iu":
        return _labelled(values.astype(np.int64), label, "n")
    values = values.astype(np.float64)
    out = np.zeros((len(values), 2), dtype=np.uint64)
    whole = np.isfinite(values) & (np.floor(values) == values) & (np.abs(values) < 2.0 ** 63)
    out[whole] = _numbers(values[whole].astype(np.int64), label)
    other = ~whole & ~np.isnan(values)
    out[other] = _labelled(values[other], label, "f")
    return out


def _labelled(values: np.ndarray, label: str, kind: str) -> np.ndarray:
    """(m, 2): the values hashed, mixed with the column's label and the values' kind into two
    64-bit hashes (splitmix64's finaliser, with two seeds: every bit of each reaches every bit of
    both). Two distinct cells with equal hashes are about as likely as 3 in 100 million at a
    million distinct values; rows, sums of their cells' hashes, are told apart by both."""
    hashed = pd.util.hash_array(values, hash_key=_KEY, categorize=False) ^ \
        pd.util.hash_array(np.array([label + "\x1f" + kind], dtype=object), hash_key=_KEY, categorize=False)[0]
    out = np.empty((len(values), 2), dtype=np.uint64)
    for k, seed in enumerate(_SEEDS):
        z = hashed ^ seed
        with np.errstate(over="ignore"):
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            out[:, k] = z ^ (z >> np.uint64(31))
    return out


def find_copies(prints: pd.DataFrame) -> pd.DataFrame:
    """The later copies among ``prints`` (rows in reading order: file, sheet, row; columns src_file,
    src_sheet, src_row, fp1, fp2), each with the first row it repeats (first_file, first_sheet,
    first_row)."""
    copy = prints.duplicated(["fp1", "fp2"], keep="first").to_numpy()
    if not copy.any():
        return prints.iloc[0:0].assign(first_file="", first_sheet="", first_row=0)
    firsts = prints.loc[~copy].set_index(["fp1", "fp2"])[["src_file", "src_sheet", "src_row"]]
    firsts.columns = ["first_file", "first_sheet", "first_row"]
    copies = prints.loc[copy]
    return copies.join(firsts, on=["fp1", "fp2"]).reset_index(drop=True)
