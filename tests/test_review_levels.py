"""Review levels (OUTPUTS.md "Review levels"): every category has a level and a 处理建议; 状态 is the
highest level naming the firm; the 待核查 sheet carries the clerk's columns."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from jixi_batch.review import concat_reviews, review_frame
from jixi_batch.review_levels import CATEGORIES, LEVEL_CHECK, LEVEL_HOLD, LEVEL_INFO, firm_status, with_levels

PACKAGE = Path(__file__).resolve().parents[1] / "jixi_batch"
# every way the program names a review category in its source
_PATTERNS = [re.compile(r'CAT_\w+ = "([^"]+)"'), re.compile(r'category="([^"]+)"'),
             re.compile(r'_claim_review\(\s*\w+,\s*"([^"]+)"')]


def test_every_category_the_program_writes_has_a_level():
    found = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in _PATTERNS:
            found.update(pattern.findall(text))
    assert len(found) >= 20
    assert found <= set(CATEGORIES), sorted(found - set(CATEGORIES))


def test_every_advice_is_one_sentence_with_full_width_punctuation():
    for category, level in CATEGORIES.items():
        assert level.advice.endswith("。") and level.advice.count("。") == 1, category
        assert not re.search(r"[A-Za-z(),;:]", level.advice.replace("LPR", "")), category


def _rows(*pairs):
    return concat_reviews([review_frame(category=c, file="f", sheet="s", row=1, column="", value="", code=code,
                                        name="", message="m") for c, code in pairs])


def test_status_is_the_highest_level_naming_the_firm():
    review = with_levels(_rows(("申报数超海关数", "A"), ("缺少开户信息", "A"), ("申报条件不符", "B"),
                               ("非计算年度", "C"), ("重复行", "D")))
    assert review["级别"].tolist() == [LEVEL_HOLD, LEVEL_HOLD, LEVEL_CHECK, LEVEL_CHECK, LEVEL_INFO]
    assert review["统一社会信用代码"].tolist() == ["A", "D", "A", "B", "C"]        # stable within a level
    assert review["处理建议"].str.len().min() > 5
    status = firm_status(pd.Series(["A", "B", "C", "D", "E"]), review)
    assert status.tolist() == [LEVEL_HOLD, LEVEL_CHECK, "正常", LEVEL_HOLD, "正常"]
