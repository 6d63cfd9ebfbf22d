"""统一社会信用代码 (GB 32100-2015): normalisation and the 18th check character.

A code is trimmed, inner spaces removed, full-width characters folded (NFKC) and
upper-cased. It is valid when it has 18 characters from ``CHARSET``; its 18th
character is the check character over the first 17:

    C18 = 31 − (Σ Wi × value(Ci) mod 31), with 31 written as 0,

where value() is the position in ``CHARSET`` and W = 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28
(3^(i-1) mod 31). Some early codes really in use fail the check: they are still joined
(status ``BAD_CHECK``) and listed for review.
"""
from __future__ import annotations

import re
import unicodedata

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(CHARSET)}
_VALID_RE = re.compile(f"[{CHARSET}]{{18}}")
_SPACES_RE = re.compile(r"\s+")

OK = "ok"
MISSING = "missing"
INVALID = "invalid"
BAD_CHECK = "bad_check"


def check_char(prefix17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a code."""
    if len(prefix17) != 17 or any(c not in _VALUE for c in prefix17):
        raise ValueError(f"not a 17-character code prefix: {prefix17!r}")
    total = sum(w * _VALUE[c] for w, c in zip(WEIGHTS, prefix17))
    return CHARSET[(31 - total % 31) % 31]


def normalise_code(raw) -> str:
    """Trimmed, inner spaces removed, NFKC-folded, upper-case text ('' when empty).

    An integer cell (an all-digit code Excel stored as a number) becomes its digits.
    """
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return str(raw).upper()
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        if raw != raw:  # NaN: an empty cell
            return ""
        # a non-integral or huge float cannot be a code; show it as Excel would
        return repr(raw).upper()
    text = unicodedata.normalize("NFKC", str(raw))
    return _SPACES_RE.sub("", text).upper()


def code_status(code: str) -> str:
    """OK, MISSING (empty), INVALID (length/charset) or BAD_CHECK (check character fails)."""
    if not code:
        return MISSING
    if not _VALID_RE.fullmatch(code):
        return INVALID
    if check_char(code[:17]) != code[17]:
        return BAD_CHECK
    return OK


def is_valid_code(code: str) -> bool:
    """18 characters from the charset (the check character is not required to match)."""
    return bool(_VALID_RE.fullmatch(code))


def invalid_reason(code: str) -> str:
    """Why a normalised code is INVALID, in Chinese (length first, then the bad characters)."""
    code = code or ""
    if len(code) != 18:
        return f"有{len(code)}位，应为18位"
    bad = sorted({c for c in code if c not in _VALUE})
    return ("含有不允许的字符“" + "”“".join(bad) + "”（统一社会信用代码只用数字和大写字母，不使用I、O、S、V、Z"
            "五个字母，“O”多为数字“0”误填）")
