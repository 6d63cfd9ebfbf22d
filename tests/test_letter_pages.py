"""Letters as printed: page counts measured by rendering with LibreOffice (OUTPUTS.md "Letters ready to send").

A letter with one or two award lines is one page of notice and one page of annex (计算说明); page
numbers restart at 1 in each letter; with --duplex every letter of the combined file starts on an odd
page; no paragraph ends with a line of one or two characters (“整）。”, “户：”).

The pages are counted in PDFs made by ``soffice --headless --convert-to pdf`` with the stand-in fonts
of templates/fonts.conf (FandolFang for 仿宋_GB2312, Liberation Serif for Times New Roman), read with
poppler's pdftotext. Without LibreOffice, poppler or the fonts these tests skip — except where
JIXI_REQUIRE_SOFFICE=1 (CI, .ci/run), where they fail: the layout must be checked somewhere.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from jixi_batch.letters import FONTS_CONF, KEEP_BLANK_PAGES, write_letters

from test_letters import CODE_A, CODE_B, CODE_C, CODE_D, TEMPLATE, line, make_result

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = os.environ.get("JIXI_REQUIRE_SOFFICE") == "1"
FOOTER = re.compile(r"^\s*—\s*(\d+)\s*—\s*$", re.MULTILINE)
# a line holding only a character or two and closing punctuation: the tail of a paragraph left alone
ORPHAN = re.compile(r"^\s*[\u4e00-\u9fff]{0,2}[）。：，；”]+\s*$", re.MULTILINE)


def _missing() -> str | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return "LibreOffice (soffice) is not installed"
    if shutil.which("pdftotext") is None:
        return "poppler-utils (pdftotext) is not installed"
    if shutil.which("fc-match") is None:
        return "fontconfig (fc-match) is not installed"
    found = subprocess.run(["fc-match", "仿宋_GB2312"], capture_output=True, text=True,
                           env=dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF)))
    if "Fandol" not in found.stdout:
        return f"the stand-in for 仿宋_GB2312 is missing (fc-match: {found.stdout.strip()!r}); see .ci/run"
    return None


@pytest.fixture(scope="module")
def soffice():
    missing = _missing()
    if missing and REQUIRED:
        pytest.fail(f"JIXI_REQUIRE_SOFFICE=1 but {missing}")
    if missing:
        pytest.skip(missing)
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(soffice: str, docs: list[Path], out: Path) -> dict[Path, list[str]]:
    """Convert the documents in one LibreOffice run; each document's pages as text (pdftotext -layout).
    Blank pages LibreOffice inserts for an odd-page section start are kept (IsSkipEmptyPages false),
    as a printer prints them."""
    out.mkdir(parents=True, exist_ok=True)
    profile = out / ".profile"
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
               KEEP_BLANK_PAGES,
               "--outdir", str(out), *map(str, docs)]
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    subprocess.run(command, check=True, capture_output=True, timeout=600, env=env)
    pages = {}
    for doc in docs:
        pdf = out / (doc.stem + ".pdf")
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout
        pages[doc] = text.replace("\u2060", "").split("\f")[:-1]
    return pages


def page_number(page: str) -> int | None:
    found = FOOTER.findall(page)
    return int(found[-1]) if found else None


CODE_F = "91230300MA1FFFFF6U"
LONG_NAME = "黑龙江省鸡西市鸡冠区兴凯湖现代农业装备与新材料进出口贸易集团有限责任公司"


def stress_result():
    """Letters at the edge of one page: two lines, each offset and cut by the budget (with one or two
    lines the article-5 cap cannot bite: each of its rules is capped at 1,000,000), a two-line firm name
    and a bank name that wraps; two lines with no account; one line; three lines (may take two pages);
    twelve lines (three pages: the letter after it needs a blank page before it); a held firm."""
    ded = [line(CODE_A, LONG_NAME, "A5X", "本地加工产品出口奖励", "第五条第（二）项", 100000000, offset=20000000,
                budget=9123456,
                explanation="本地加工产品出口额 50,000,000.00 元 ≥ 5,000,000.00 元，按 2% 计 1,000,000.00 元；"
                            "已获其他奖励 200,000.00 元（鸡东县工业产品出口奖励），按从高不重复原则抵扣 200,000.00 元；"
                            "专项资金按比例压减（系数 0.885965），核减 91,234.56 元"),
           line(CODE_A, LONG_NAME, "A5F", "出口业务银行手续费及贷款贴息补贴", "第五条第（二）项", 50000000,
                offset=10000000, budget=4561728,
                explanation="银行手续费 100,000.00 元 + 贷款贴息利息 1,095,000.00 元（1 笔，按发放日LPR计）"
                            "= 1,195,000.00 元，按 50% 计 597,500.00 元，超过上限，按上限 500,000.00 元 计；"
                            "已获其他奖励 100,000.00 元（鸡东县外贸企业融资贴息），按从高不重复原则抵扣 100,000.00 元；"
                            "专项资金按比例压减（系数 0.885965），核减 45,617.28 元")]
    specs = [
        (CODE_A, LONG_NAME, ded, "中国工商银行股份有限公司鸡西鸡冠区红旗路支行营业部", "6222020908001234567"),
        (CODE_B, "鸡西市乙贸易有限公司", [
            line(CODE_B, "鸡西市乙贸易有限公司", "A4", "境外展会市级补贴", "第四条", 500000),
            line(CODE_B, "鸡西市乙贸易有限公司", "A3S", "跨境电商平台开店补贴", "第三条", 1234567)], None, None),
        (CODE_C, "鸡西市丙公司", [line(CODE_C, "鸡西市丙公司", "A3W", "省级海外仓一次性奖励", "第三条", 20000000)],
         "龙江银行鸡西分行", "6200000000000000001"),
        (CODE_F, "鸡西市己公司", [line(CODE_F, "鸡西市己公司", f"R{i}", f"第{i}项奖励", "第三条", 100000 * i)
                              for i in range(1, 13)], "建设银行", "6217000000000000006"),
        (CODE_D, "鸡西市丁公司", [line(CODE_D, "鸡西市丁公司", r, n, a, 10000000, art5=1000000)
                              for r, n, a in (("A5I", "能源资源进口落地奖励", "第五条第（一）项"),
                                              ("A5C", "煤炭进口落地补贴", "第五条第（一）项"),
                                              ("A5X", "本地加工产品出口奖励", "第五条第（二）项"))],
         "建设银行", "6217000000000000004"),
        ("91230300MA1EEEEE5V", "鸡西市戊公司（暂缓）", [
            line("91230300MA1EEEEE5V", "鸡西市戊公司（暂缓）", "A4", "境外展会市级补贴", "第四条", 300000),
            line("91230300MA1EEEEE5V", "鸡西市戊公司（暂缓）", "A3S", "跨境电商平台开店补贴", "第三条", 200000)],
         "银行", "1"),
    ]
    review = pd.DataFrame({"级别": ["暂缓拨付"], "类别": ["银行账号有误"], "统一社会信用代码": ["91230300MA1EEEEE5V"]})
    return make_result(specs, status={"91230300MA1EEEEE5V": "暂缓拨付"}, review=review)


def test_letters_with_one_or_two_lines_fit_one_page_plus_annex(soffice, tmp_path):
    written = write_letters(stress_result(), tmp_path / "通知书", TEMPLATE, progress=False,
                            issue_date=date(2024, 4, 15), duplex=True)
    docs = written.ready + written.drafts
    pages = to_pdf(soffice, docs + [written.combined], tmp_path / "pdf")
    counts = {doc.name: len(pages[doc]) for doc in docs}
    for doc in docs:
        if doc.name.startswith(("1_", "2_", "3_", "6_")):          # one or two award lines, drafts too
            assert counts[doc.name] == 2, counts
            notice, annex = pages[doc]
            assert "特此通知" in notice and "2024年4月15日" in notice.replace(" ", ""), doc.name
            assert annex.lstrip().startswith("附件") and "奖励资金计算说明" in annex
            assert [page_number(p) for p in pages[doc]] == [1, 2]
        elif doc.name.startswith("5_"):
            assert counts[doc.name] in (2, 3), counts                # three lines: the notice may run on
        else:
            assert counts[doc.name] == 3, counts                     # twelve lines: a letter of odd length
    for doc in docs + [written.combined]:
        for page in pages[doc]:
            assert not ORPHAN.search(page), (doc.name, ORPHAN.search(page).group())

    # the combined file, double-sided: every letter starts on an odd page, numbered from 1
    combined = pages[written.combined]
    starts = [i for i, page in enumerate(combined, start=1) if page_number(page) == 1]
    assert len(starts) == len(written.ready) == 5
    assert all(i % 2 == 1 for i in starts), starts
    # after a letter of odd length (the fourth), a blank page (no number, no text)
    assert len(combined) == sum(counts[p.name] + counts[p.name] % 2 for p in written.ready[:-1]) \
        + counts[written.ready[-1].name]
    assert [i for i, page in enumerate(combined, start=1) if not page.strip()] == [starts[3] + 3], starts
    assert "暂缓" not in "".join(combined)


def test_sample_letters_pages(soffice, tmp_path):
    """The sample run: every ready letter starts on an odd page of the double-sided combined file, a
    letter with one or two award lines takes exactly two pages (notice and annex), page numbers restart."""
    from jixi_batch.cli import main

    out = tmp_path / "out"
    assert main(["--input", str(ROOT / "input_samples"), "--output", str(out), "--duplex",
                 "--issue-date", "2024-04-15"]) == 0
    run = next(out.iterdir())
    firms = pd.read_excel(run / "2023年度外贸奖励兑现表.xlsx", sheet_name="企业汇总", engine="calamine", header=3)
    lines = pd.read_excel(run / "2023年度外贸奖励兑现表.xlsx", sheet_name="明细", engine="calamine", header=3)
    firms = firms[(firms["序号"] != "合计") & (firms["兑现金额(元)"] > 0) & (firms["状态"] != "暂缓拨付")]
    per_firm = lines.groupby("统一社会信用代码").size()
    expected = [int(per_firm[code]) for code in firms.sort_values("序号")["统一社会信用代码"]]
    combined = to_pdf(soffice, [run / "通知书" / "全部通知书.docx"], tmp_path / "pdf")[run / "通知书" / "全部通知书.docx"]
    numbers = [page_number(page) for page in combined]
    starts = [i for i, n in enumerate(numbers) if n == 1]
    assert len(starts) == len(expected) == 29
    assert all(i % 2 == 0 for i in starts), starts                   # 0-based: odd pages
    for k, (start, n_lines) in enumerate(zip(starts, expected)):
        end = starts[k + 1] if k + 1 < len(starts) else len(numbers)
        printed = [n for n in numbers[start:end] if n is not None]   # the blank page has no number
        assert printed == list(range(1, len(printed) + 1))
        if n_lines <= 2:
            assert len(printed) == 2, (k, n_lines, printed)
    for page in combined:
        assert not ORPHAN.search(page), ORPHAN.search(page).group()
