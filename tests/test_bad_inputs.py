"""The bad-input corpus (tests/bad_inputs/cases, written by tests/bad_inputs/make_corpus.py).

Every case runs through ``python process.py --input <case> --output <tmp> --year 2023 --no-letters``
(a subprocess for the cases that stop; in-process ``cli.main`` for the ones that compute, to save
start-up time) and must get what its expect.json says: exit status, message naming the file (and
sheet, column, limit), no traceback, nothing written when it stops; the rows listed in 待核查;
every other firm paid exactly as on the clean samples; and on every sheet of every run
rows read = rows used + rows listed for review + total rows skipped (数据核对).

A case may add command-line arguments (``args``, ``{case}`` standing for its folder), rows that
must appear in 数据核对 (``data_check``), firms' 状态 (``status``), and what is in the output
folder before the run (``output_file``: --output names a file; ``output_keep``: files a person put
there): whatever was there is there afterwards, unchanged.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter
import pandas as pd
import pytest

from jixi_batch import cli
from jixi_batch.xlsx_style import HEADER_ROW

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "bad_inputs" / "cases"
PROCESS = REPO / "process.py"
BOOK = "2023年度外贸奖励兑现表.xlsx"
ALL_CASES = sorted(p.name for p in CASES.iterdir() if (p / "expect.json").is_file())
CHECK_COLS = ["读取行数", "使用行数", "待核查行数", "合计行跳过数"]


def expect_of(name: str) -> dict:
    return json.loads((CASES / name / "expect.json").read_text(encoding="utf-8"))


def run_subprocess(case_dir: Path, out: Path, letters: bool = False, extra=()) -> subprocess.CompletedProcess:
    args = [sys.executable, str(PROCESS), "--input", str(case_dir), "--output", str(out), "--year", "2023", *extra]
    if not letters:
        args.append("--no-letters")
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("JIXI_DEBUG", None)
    return subprocess.run(args, capture_output=True, text=True, encoding="utf-8", timeout=120, env=env)


def run_in_process(case_dir: Path, out: Path, letters: bool = False, extra=()) -> tuple[int, str, str]:
    args = ["--input", str(case_dir), "--output", str(out), "--year", "2023", *extra] \
        + ([] if letters else ["--no-letters"])
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(args)
    return code, stdout.getvalue(), stderr.getvalue()


def run_folders(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")] if out.exists() else []


def workbook_of(out: Path) -> Path:
    folders = run_folders(out)
    assert len(folders) == 1, folders
    return folders[0] / BOOK


def sheet(book: Path, name: str) -> pd.DataFrame:
    return pd.read_excel(book, sheet_name=name, dtype=object, engine="calamine", keep_default_na=False, header=HEADER_ROW,
                         na_values=[""])


def payouts(book: Path) -> dict[str, str]:
    firms = sheet(book, "企业汇总")
    firms = firms[firms["统一社会信用代码"].map(lambda v: isinstance(v, str) and len(v) == 18)]
    return dict(zip(firms["统一社会信用代码"], firms["兑现金额(元)"].map(lambda v: f"{float(v):.2f}")))


def assert_accounts_balance(book: Path) -> None:
    check = sheet(book, "数据核对")
    check = check[check["文件"].map(lambda v: isinstance(v, str) and v != "") & check["读取行数"].notna()]
    assert len(check), "数据核对 is empty"
    for _, row in check.iterrows():
        read, used, review, skipped = (int(row[c]) for c in CHECK_COLS)
        assert read == used + review + skipped, f"数据核对 not balanced: {dict(row)}"
        assert row["核对"] and "不" not in str(row["核对"]), dict(row)


def review_matches(review: pd.DataFrame, wanted: dict) -> bool:
    """A row of ``review`` (待核查, or 数据核对) holding every value of ``wanted``; whole numbers and
    行号 are compared as numbers."""
    mask = pd.Series(True, index=review.index)
    for key, value in wanted.items():
        if key == "行号" or isinstance(value, int):
            mask &= pd.to_numeric(review[key], errors="coerce") == int(value)
        else:
            mask &= review[key].map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v)) \
                == str(value)
    return bool(mask.any())


@pytest.fixture(scope="module")
def clean_payouts(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("clean")
    code, _, err = run_in_process(CASES / "00_clean", out)
    assert code == 0, err
    return payouts(workbook_of(out))


def test_corpus_is_complete():
    """At least 40 real cases; each has input files and an expect.json; the corpus stays small."""
    assert len(ALL_CASES) >= 40
    total = 0
    for name in ALL_CASES:
        files = [p for p in (CASES / name).iterdir() if p.name != "expect.json"]
        assert files or expect_of(name)["exit"] == 1, name
        total += sum(p.stat().st_size for p in (CASES / name).iterdir())
    # most cases are copies of the same sample files (one git blob each): the repository grows by far less
    assert total < 8 << 20


@pytest.mark.parametrize("name", ALL_CASES)
def test_case(name, tmp_path, clean_payouts):
    expect = expect_of(name)
    case_dir = CASES / name
    out = tmp_path / "out"
    before = {p.name: p.read_bytes() for p in case_dir.iterdir()}
    extra = [arg.replace("{case}", str(case_dir)) for arg in expect.get("args", [])]
    prepare_output(out, expect)
    there = output_tree(out)
    started = time.monotonic()
    if expect["exit"] != 0:
        proc = run_subprocess(case_dir, out, expect["letters"], extra)
        code, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
    else:
        code, stdout, stderr = run_in_process(case_dir, out, expect["letters"], extra)
    elapsed = time.monotonic() - started
    assert "Traceback" not in stderr + stdout
    assert "程序内部错误" not in stderr, stderr
    assert code == expect["exit"], stdout + stderr
    # the inputs are never touched
    assert {p.name: p.read_bytes() for p in case_dir.iterdir()} == before
    for text in expect["stderr"]:
        assert text in stderr, f"{text!r} not in {stderr!r}"
    for text in expect["stdout"]:
        assert text in stdout, f"{text!r} not in {stdout!r}"
    if code != 0:
        assert "错误：" in stderr and "未生成任何输出" in stderr
        assert output_tree(out) == there, "the output folder changed"
        assert elapsed < 20, f"took {elapsed:.1f}s to refuse"
        return
    after = output_tree(out)
    for path, content in there.items():
        assert after.get(path, "missing") == content, f"{path} in the output folder was changed or removed"
    book = workbook_of(out)
    assert_accounts_balance(book)
    review = sheet(book, "待核查")
    for wanted in expect["review"]:
        assert review_matches(review, wanted), f"no 待核查 row like {wanted}:\n{review.to_string()}"
    same = expect["same_payout"]
    if same:
        got = payouts(book)
        skip = set() if same == "all" else set(same["except"])
        for code_, amount in clean_payouts.items():
            if code_ not in skip:
                assert got.get(code_) == amount, (code_, got.get(code_), amount)
    check = sheet(book, "数据核对")
    for wanted in expect.get("data_check", []):
        assert review_matches(check, wanted), f"no 数据核对 row like {wanted}:\n{check.to_string()}"
    if expect.get("status"):
        firms = sheet(book, "企业汇总")
        status = dict(zip(firms["统一社会信用代码"], firms["状态"]))
        for code_, wanted in expect["status"].items():
            assert status.get(code_) == wanted, (code_, status.get(code_), wanted)
    if expect["formula_names"]:
        assert_no_formulas_but_totals(book, expect["formula_names"])
    if expect["letters"]:
        assert_letters_inside(out)


def prepare_output(out: Path, expect: dict) -> None:
    """What is at --output before the run: a file (``output_file``), or files a person put in the
    output folder (``output_keep``), made three days old: a clean-up that went by age alone would
    remove them."""
    if expect.get("output_file") is not None:
        out.write_text(expect["output_file"], encoding="utf-8")
    if expect.get("output_keep"):
        old = time.time() - 3 * 24 * 3600
        for relative, text in expect["output_keep"].items():
            path = out / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for path in sorted(out.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            os.utime(path, (old, old))


def output_tree(out: Path) -> dict[str, bytes | None]:
    """Everything at --output: relative path -> file content (None for a folder); '.' when it is a file."""
    if out.is_file():
        return {".": out.read_bytes()}
    if not out.exists():
        return {}
    return {str(p.relative_to(out)): (p.read_bytes() if p.is_file() else None) for p in out.rglob("*")}


def assert_no_formulas_but_totals(book: Path, names: list[str]) -> None:
    """Texts from the inputs stay text: the only formulas are the program's own totals (SUM), in
    the workbook and in the 拨付清单 and 公示名单 beside it."""
    seen = set()
    for path in sorted(book.parent.glob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        assert ws.title in ("汇总", "县区汇总", "企业汇总", "拨付清单", "公示名单") \
                            and str(cell.value).startswith("=SUM("), (path.name, ws.title, cell.value)
                    elif isinstance(cell.value, str) and cell.value in names:
                        seen.add(cell.value)
    assert seen == set(names), set(names) - seen


def assert_letters_inside(out: Path) -> None:
    """Every file written is inside the one run folder; letters are plain files in 通知书/ (drafts of
    暂缓拨付 firms in 通知书/暂缓拨付/)."""
    folder = run_folders(out)[0]
    everything = [p for p in out.rglob("*")]
    for p in everything:
        assert p.resolve().is_relative_to(folder.resolve()) or p == folder, p
    drafts = folder / "通知书" / "暂缓拨付"
    letters = [p for p in (folder / "通知书").rglob("*") if p != drafts]
    assert letters
    for p in letters:
        assert p.is_file() and p.parent in (folder / "通知书", drafts)
        assert not any(ch in p.name for ch in '/\\:*?"<>|') and ".." not in p.name
        with zipfile.ZipFile(p) as zf:
            assert zf.testzip() is None


def test_file_size_limit_names_the_limit(tmp_path):
    """A file over the size limit is refused before it is read (a sparse file: no real disk use)."""
    from jixi_batch.reading import opening
    case = tmp_path / "in"
    case.mkdir()
    for p in (CASES / "00_clean").iterdir():
        if p.suffix == ".xlsx":
            (case / p.name).write_bytes(p.read_bytes())
    big = case / "海关数据全年.csv"
    with open(big, "wb") as fh:
        fh.truncate(opening.MAX_FILE_BYTES + 1)
    proc = run_subprocess(case, tmp_path / "out")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "海关数据全年.csv" in proc.stderr and f"{opening.MAX_FILE_BYTES >> 20} MB" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_entity_bomb_is_refused_quickly_with_bounded_memory(tmp_path):
    """The billion-laughs workbook ends in well under a second of reading, in little memory."""
    import resource
    from jixi_batch.reading import InputError, read_inputs
    from test_reading_support import POLICY
    path = CASES / "42_xml_entity_bomb" / "省厅奖励名单.xlsx"
    started = time.process_time()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError, match="ENTITY"):
        read_inputs([path], POLICY)
    assert time.process_time() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000   # KB


def test_utf16_xml_part_with_doctype_is_refused(tmp_path):
    """A part encoded in UTF-16 cannot hide a DOCTYPE from the byte scan."""
    from jixi_batch.reading import InputError, read_inputs
    from test_reading_support import POLICY
    src = CASES / "00_clean" / "省厅奖励名单.xlsx"
    dst = tmp_path / "utf16.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                text = data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
                body = text.split("?>", 1)
                text = body[0] + '?>\n<!DOCTYPE x [<!ENTITY a "b">]>' + body[1]
                data = text.encode("utf-16")
            zout.writestr(info.filename, data)
    with pytest.raises(InputError, match="ENTITY"):
        read_inputs([dst], POLICY)


def test_province_as_gbk_csv_equals_workbook(tmp_path):
    """The held-out check: the province list as GBK CSV gives the same payout as the workbook."""
    results = []
    for name in ("00_clean", "12_csv_gbk"):
        out = tmp_path / name
        code, _, err = run_in_process(CASES / name, out)
        assert code == 0, err
        results.append(payouts(workbook_of(out)))
    assert results[0] == results[1]


def test_error_values_and_na_words_are_reviewed_not_empty(tmp_path):
    """#DIV/0! / #N/A results and typed N/A, NULL are listed for review, never read as 'not declared'."""
    from jixi_batch.reading import read_inputs
    from test_reading_support import CODE_A, CODE_B, CODE_C, POLICY, PROVINCE_HEADER, customs_file
    path = tmp_path / "省级.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("名单")
    ws.write_row(0, 0, PROVINCE_HEADER)
    for r, code_ in enumerate([CODE_A, CODE_B, CODE_C], 1):
        ws.write_row(r, 0, [code_, "公司", "境外展会补贴"])
    ws.write_formula(1, 3, "=1/0", None, "#DIV/0!")
    ws.write_formula(2, 3, "=NA()", None, "#N/A")
    ws.write_string(3, 3, "NULL")
    for r in range(4, 8):  # good rows, so the sheet is usable and the bad ones are listed
        ws.write_row(r, 0, [CODE_A, "公司", "境外展会补贴", 1000 + r])
    wb.close()
    bundle = read_inputs([customs_file(tmp_path), path], POLICY)
    assert len(bundle.province) == 4
    values = set(bundle.review.loc[bundle.review["类别"] == "数据格式错误", "值"])
    assert values == {"#DIV/0!", "#N/A", "NULL"}
    assert all(a.balanced for a in bundle.accounts)
