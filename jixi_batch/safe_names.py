"""File names for the letters, safe on Windows and Linux (OUTPUTS.md: ``<序号>_<企业名称>.docx``).

A firm name comes from an input workbook and may hold anything: path separators, ``..``,
control characters, the characters Windows forbids, a device name such as ``CON``, or a
thousand characters. The name written is always one plain file inside the letters folder.
"""
from __future__ import annotations

import re
import unicodedata

SUFFIX = ".docx"
DEFAULT_NAME = "企业"
MAX_NAME_CHARS = 80           # the firm-name part
MAX_FILE_BYTES = 200          # the whole file name, UTF-8 (Linux allows 255, leaves room for "_NN")

# Windows reserved device names; reserved also with any extension ("con.txt") and, on
# Windows, followed by spaces. COM/LPT also with the superscript digits ¹²³.
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|(COM|LPT)[1-9¹²³])(\s*)(\..*)?$", re.IGNORECASE)
_FORBIDDEN = re.compile(r'[<>:"|?*/\\]')
_DOTS = re.compile(r"\.{2,}")
_SPACES = re.compile(r"\s+")


def is_reserved_windows_name(file_name: str) -> bool:
    """True when Windows treats the name as a device (CON, con.txt, COM1.docx, 'NUL .x')."""
    return bool(_RESERVED.match(file_name.strip()))


def _is_unprintable(char: str) -> bool:
    # Cc: control chars (incl. NUL, newlines, tabs); Cf: format chars such as the bidi
    # overrides (U+202E) that can disguise a name; Zl/Zp: line/paragraph separators;
    # Cs/Co/Cn: surrogates, private use, unassigned.
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")


def clean_name(name) -> str:
    """The firm-name part, cleaned (may be empty)."""
    if name is None or (isinstance(name, float) and name != name):   # None / NaN
        return ""
    text = unicodedata.normalize("NFC", str(name))
    text = "".join(" " if char in "\t\r\n" else char for char in text if char in "\t\r\n" or not _is_unprintable(char))
    text = _FORBIDDEN.sub("", text)
    text = _DOTS.sub(".", text)
    text = _SPACES.sub(" ", text)
    return text.strip(" .")


def _truncate(text: str, max_chars: int, max_bytes: int) -> str:
    text = text[:max_chars]
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    return text.rstrip(" .")


def safe_file_name(seq: int, name, used: set[str]) -> str:
    """``<seq>_<name>.docx``, safe on Windows and Linux, unique (case-insensitive) within ``used``.

    ``used`` collects the names given so far (stored case-folded); the returned name is added.
    """
    prefix = f"{int(seq)}_"
    part = clean_name(name)
    budget = MAX_FILE_BYTES - len(prefix.encode("utf-8")) - len(SUFFIX)
    part = _truncate(part, MAX_NAME_CHARS, budget) or DEFAULT_NAME
    stem = prefix + part
    if is_reserved_windows_name(stem):           # cannot happen with a numeric prefix; kept as a guard
        stem = "_" + stem
    candidate = stem + SUFFIX
    counter = 1
    while candidate in used or candidate.casefold() in used:
        counter += 1
        extra = f"_{counter}"
        short = _truncate(part, MAX_NAME_CHARS, budget - len(extra)) or DEFAULT_NAME
        candidate = f"{prefix}{short}{extra}{SUFFIX}"
    used.add(candidate.casefold())
    return candidate
