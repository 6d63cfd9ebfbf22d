"""Letter file names: safe on Windows and Linux, never outside the folder, unique."""
from pathlib import Path

import pytest

from jixi_batch.safe_names import is_reserved_windows_name, safe_file_name

WINDOWS_FORBIDDEN = set('<>:"/\\|?*')


def check_safe(name: str, folder: Path) -> None:
    assert name.endswith(".docx")
    assert not (set(name) & WINDOWS_FORBIDDEN)
    assert all(ord(c) >= 32 for c in name)
    assert ".." not in name
    assert not name[:-5].endswith((" ", "."))
    assert len(name.encode("utf-8")) <= 200
    assert not is_reserved_windows_name(name)
    assert (folder / name).resolve().parent == folder.resolve()


@pytest.mark.parametrize("raw, expected", [
    ("鸡西市甲贸易有限公司", "1_鸡西市甲贸易有限公司.docx"),
    ("a/b\\c", "1_abc.docx"),
    ("../../etc/passwd", "1_etcpasswd.docx"),
    ("..", "1_企业.docx"),
    ("", "1_企业.docx"),
    (None, "1_企业.docx"),
    (float("nan"), "1_企业.docx"),
    ('鸡西<东方>:"贸易"|?*公司', "1_鸡西东方贸易公司.docx"),
    ("公司. . .", "1_公司.docx"),
    ("  鸡西\t贸易\n公司  ", "1_鸡西 贸易 公司.docx"),
    ("鸡西\x00\x1f\u202e贸易", "1_鸡西贸易.docx"),
    ("CON", "1_CON.docx"),
])
def test_cleaning(raw, expected, tmp_path):
    name = safe_file_name(1, raw, set())
    assert name == expected
    check_safe(name, tmp_path)


@pytest.mark.parametrize("raw", ["CON", "con.txt", "COM1", "lpt9.docx", "NUL ", "aux", "../CON", "PRN.", "."])
def test_reserved_and_traversal_never_escape(raw, tmp_path):
    check_safe(safe_file_name(7, raw, set()), tmp_path)


@pytest.mark.parametrize("name, reserved", [
    ("CON", True), ("con.txt", True), ("COM1", True), ("com1.docx", True), ("LPT9", True), ("nul .x", True),
    ("AUX", True), ("PRN", True), ("COM0", False), ("CONSOLE", False), ("1_CON.docx", False), ("鸡西", False),
])
def test_reserved_names(name, reserved):
    assert is_reserved_windows_name(name) is reserved


def test_nfc_normalised():
    decomposed = "Cafe\u0301"                      # e + combining accent
    assert safe_file_name(1, decomposed, set()) == "1_Caf\u00e9.docx"


def test_over_long_names_are_cut(tmp_path):
    name = safe_file_name(12, "鸡西" * 200, set())
    assert len(name[len("12_"):-len(".docx")]) <= 80
    assert len(name.encode("utf-8")) <= 200
    check_safe(name, tmp_path)
    latin = safe_file_name(12, "a" * 500, set())
    assert len(latin) <= 3 + 80 + 5


def test_collisions_keep_both_case_insensitive(tmp_path):
    used: set[str] = set()
    first = safe_file_name(1, "ABC", used)
    second = safe_file_name(1, "abc", used)
    third = safe_file_name(1, "a/b/c", used)
    assert (first, second) == ("1_ABC.docx", "1_abc_2.docx")
    assert third == "1_abc_3.docx"
    assert len({n.casefold() for n in (first, second, third)}) == 3
    long_used: set[str] = set()
    a = safe_file_name(1, "长" * 300, long_used)
    b = safe_file_name(1, "长" * 300, long_used)
    assert a != b and b.endswith("_2.docx") and len(b.encode("utf-8")) <= 200
    for name in (first, second, third, a, b):
        check_safe(name, tmp_path)
        (tmp_path / name).write_bytes(b"x")
    assert len(list(tmp_path.iterdir())) == 5


def test_used_set_is_updated():
    used = set()
    name = safe_file_name(3, "甲", used)
    assert name.casefold() in used
