"""Notice letters: one per paid firm, the combined file, escaping, the sandbox."""
from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docxtpl import DocxTemplate

from jixi_batch.letters import COMBINED_NAME, LetterTemplateError, write_letters
from jixi_batch.model import FIRM_SUMMARY_COLS, LINE_COLS, RunResult
from jixi_batch.policy import default_policy_path, load_policy

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "notice_letter.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def line(code, name, rule_id, rule_name, article, computed, offset=0, art5=0, budget=0, explanation="说明"):
    return {"code": code, "name": name, "rule_id": rule_id, "rule_name": rule_name, "article": article,
            "basis_fen": 0, "computed_fen": computed, "offset_fen": offset, "art5_cut_fen": art5,
            "budget_cut_fen": budget, "approved_fen": computed - offset - art5 - budget,
            "explanation": explanation}


def make_result(firm_specs) -> RunResult:
    """firm_specs: (code, name, lines, bank, account); seq by position."""
    policy = load_policy(default_policy_path(2023))
    lines, firms = [], []
    for seq, (code, name, firm_lines, bank, account) in enumerate(firm_specs, start=1):
        lines += firm_lines
        firms.append({"seq": seq, "code": code, "name": name, "district": "鸡冠区",
                      "art5_cut_fen": sum(l["art5_cut_fen"] for l in firm_lines),
                      "budget_cut_fen": sum(l["budget_cut_fen"] for l in firm_lines),
                      "payout_fen": sum(l["approved_fen"] for l in firm_lines),
                      "bank": bank, "account": account, "status": "正常",
                      "address": "鸡西市鸡冠区", "contact": "张三", "phone": "0467-1234567"})
    lines_df = pd.DataFrame(lines, columns=LINE_COLS)
    firms_df = pd.DataFrame(firms, columns=FIRM_SUMMARY_COLS)
    total = int(firms_df["payout_fen"].sum()) if len(firms_df) else 0
    return RunResult(year=2023, policy=policy, policy_path=str(policy.path), program_version="test",
                     run_time="2024-04-15 09:30:12", rules=policy.rules_info(), lines=lines_df, firms=firms_df,
                     review=pd.DataFrame(), accounts=[], files=[], fund_fen=policy.fund_fen,
                     total_before_budget_fen=total, total_fen=total, budget_mode="report", prorate_factor=None)


CODE_A = "91230300MA1AAAAA1X"
CODE_B = "91230300MA1BBBBB2Y"
CODE_C = "91230300MA1CCCCC3Z"
CODE_D = "91230300MA1DDDDD4W"
NASTY = '鸡西<b>&"贸易有限公司'


def sample_result() -> RunResult:
    """Four firms: two award lines; nothing paid (fully offset); all deductions and no account; an offset."""
    return make_result([
        (CODE_A, "鸡西市甲贸易有限公司", [
            line(CODE_A, "鸡西市甲贸易有限公司", "A5X", "本地加工产品出口奖励", "第五条第（二）项", 16468000,
                 explanation="本地加工产品出口额 8,234,000.00 元 ≥ 5,000,000 元，按 2% 计 164,680.00 元"),
            line(CODE_A, "鸡西市甲贸易有限公司", "A3S", "跨境电商平台开店补贴", "第三条", 140950),
        ], "龙江银行鸡西分行", "6200000000000000001"),
        (CODE_B, "鸡西市乙公司（未获奖）", [
            line(CODE_B, "鸡西市乙公司（未获奖）", "A4", "境外展会市级补贴", "第四条", 500000, offset=500000),
        ], "中国银行", "123"),
        (CODE_C, NASTY, [
            line(CODE_C, NASTY, "A5I", "能源资源进口落地奖励", "第五条第（一）项", 100000000, art5=20000000),
            line(CODE_C, NASTY, "A5G", "生产加工型企业增量奖励", "第五条第（三）项", 50000000, budget=1234567),
            line(CODE_C, NASTY, "A5C", "煤炭进口落地补贴", "第五条第（一）项", 80000000, art5=10000000),
        ], None, float("nan")),
        (CODE_D, "鸡西市丁公司", [
            line(CODE_D, "鸡西市丁公司", "A3W", "省级海外仓一次性奖励", "第三条", 20000000, offset=5000000),
        ], "建设银行", "6217000000000000004"),
    ])


@pytest.fixture
def result():
    return sample_result()


def doc_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def page_breaks(path: Path) -> int:
    doc = Document(str(path))
    return sum(1 for br in doc.element.body.iter(f"{W}br") if br.get(f"{W}type") == "page")


def test_one_letter_per_paid_firm(result, tmp_path):
    paths = write_letters(result, tmp_path / "通知书", TEMPLATE, progress=False, issue_date=date(2024, 4, 15))
    names = [p.name for p in paths]
    assert names == ["1_鸡西市甲贸易有限公司.docx", "3_鸡西b&贸易有限公司.docx",
                     "4_鸡西市丁公司.docx", COMBINED_NAME]
    assert all(p.parent == tmp_path / "通知书" and p.is_file() for p in paths)
    assert not any("乙公司" in n for n in names)          # payout 0: no letter


def test_letter_content(result, tmp_path):
    paths = write_letters(result, tmp_path, TEMPLATE, progress=False, issue_date=date(2024, 4, 15))
    text = doc_text(paths[0])
    for expected in ("鸡西市甲贸易有限公司：", CODE_A, "《2023年度鸡西市支持对外贸易发展的若干措施》",
                     "本地加工产品出口奖励", "第五条第（二）项", "164,680.00", "1,409.50",
                     "合计兑现金额：人民币 166,089.50 元（大写：壹拾陆万陆仟零捌拾玖元伍角）",
                     "龙江银行鸡西分行", "6200000000000000001", "2024年6月30日", "鸡西市商务局", "鸡西市财政局",
                     "2024年4月15日", "（盖章）", "按 2% 计 164,680.00 元"):
        assert expected in text, expected
    assert "核减" not in text                            # no deductions paragraph when none applied
    assert "{{" not in text and "{%" not in text


def test_deductions_and_missing_account(result, tmp_path):
    paths = write_letters(result, tmp_path, TEMPLATE, progress=False, issue_date=date(2024, 4, 15))
    text = doc_text(paths[1])
    assert "第五条封顶核减" in text and "300,000.00" in text and "2,000,000.00" in text
    assert "预算核减" in text and "12,345.67" in text
    assert "开户银行：（待补充）" in text and "银行账号：（待补充）" in text
    total = 100000000 + 50000000 + 80000000 - 30000000 - 1234567
    assert "1,987,654.33" in text and "壹佰玖拾捌万柒仟陆佰伍拾肆元叁角叁分" in text
    assert total == 198765433
    offset_text = doc_text(paths[2])
    assert "从高不重复" in offset_text and "50,000.00" in offset_text


def test_name_with_markup_renders_literally(result, tmp_path):
    paths = write_letters(result, tmp_path, TEMPLATE, progress=False)
    assert NASTY + "：" in doc_text(paths[1])
    with zipfile.ZipFile(paths[1]) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert "<b>" not in xml and "&lt;b&gt;&amp;" in xml


def test_combined_file(result, tmp_path):
    paths = write_letters(result, tmp_path, TEMPLATE, progress=False)
    combined = paths[-1]
    assert combined.name == COMBINED_NAME
    text = doc_text(combined)
    for name in ("鸡西市甲贸易有限公司", NASTY, "鸡西市丁公司"):
        assert name + "：" in text
    assert "乙公司" not in text
    assert page_breaks(combined) == 2                   # one between each pair of the 3 letters
    assert all(page_breaks(p) == 0 for p in paths[:-1])
    assert text.count("合计兑现金额") == 3
    doc = Document(str(combined))
    assert len(doc.tables) == 3
    # each letter after the first starts with its page break, in its title paragraph
    breaks = [br for br in doc.element.body.iter(f"{W}br") if br.get(f"{W}type") == "page"]
    for br in breaks:
        paragraph = br.getparent().getparent()
        assert "关于兑现2023年度" in "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


def test_no_paid_firm_writes_nothing(tmp_path):
    empty = make_result([(CODE_B, "乙", [line(CODE_B, "乙", "A4", "境外展会市级补贴", "第四条", 100, offset=100)],
                          "银行", "1")])
    assert write_letters(empty, tmp_path / "通知书", TEMPLATE, progress=False) == []
    assert list((tmp_path / "通知书").iterdir()) == []


def test_colliding_names_keep_both(tmp_path):
    specs = [(f"9123030000000000{i}X", "同名公司", [line(f"9123030000000000{i}X", "同名公司", "A4", "境外展会市级补贴",
                                                        "第四条", 100)], "银行", "1") for i in (1, 2)]
    paths = write_letters(make_result(specs), tmp_path, TEMPLATE, progress=False)
    assert [p.name for p in paths] == ["1_同名公司.docx", "2_同名公司.docx", COMBINED_NAME]


def _template_with(tmp_path: Path, text: str) -> Path:
    """A copy of the template whose addressee line is replaced by ``text``."""
    tpl = DocxTemplate(str(TEMPLATE))
    doc = tpl.get_docx()
    target = next(p for p in doc.paragraphs if "{{ firm_name }}" in p.text)
    for run in target.runs[1:]:
        run._r.getparent().remove(run._r)
    target.runs[0].text = text
    path = tmp_path / "evil.docx"
    doc.save(str(path))
    return path


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('echo pwned').read() }}",
    "{{ lines.__class__.__base__.__subclasses__() }}",
])
def test_sandbox_blocks_code(result, tmp_path, attack):
    evil = _template_with(tmp_path, attack)
    try:
        paths = write_letters(result, tmp_path / "out", evil, progress=False)
    except LetterTemplateError as exc:
        assert "模板" in str(exc)
        return
    text = doc_text(paths[0])
    assert "class" not in text and "pwned" not in text


def test_unknown_field_is_a_clear_error(result, tmp_path):
    bad = _template_with(tmp_path, "{{ firm_nmae }}")
    with pytest.raises(LetterTemplateError, match="未知字段"):
        write_letters(result, tmp_path / "out", bad, progress=False)


def test_missing_template(result, tmp_path):
    with pytest.raises(LetterTemplateError, match="找不到通知书模板"):
        write_letters(result, tmp_path / "out", tmp_path / "none.docx", progress=False)


def test_template_is_a4_gb9704():
    doc = Document(str(TEMPLATE))
    section = doc.sections[0]
    mm = lambda length: round(length.mm)  # noqa: E731
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin), mm(section.left_margin), mm(section.right_margin)) \
        == (37, 35, 28, 26)
    with zipfile.ZipFile(TEMPLATE) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert 'w:eastAsia="仿宋_GB2312"' in xml and 'w:eastAsia="方正小标宋简体"' in xml
    assert "{%tr for line in lines %}" in xml and "{%p if deductions %}" in xml


def test_letter_files_are_valid_zips(result, tmp_path):
    paths = write_letters(result, tmp_path, TEMPLATE, progress=False)
    with zipfile.ZipFile(TEMPLATE) as zf:
        template_names = zf.namelist()
    for path in paths:
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
            if path.name != COMBINED_NAME:
                assert zf.namelist() == template_names


def test_docxtpl_path_gives_the_same_letters(result, tmp_path):
    """A template with tags outside the body (here: document properties) takes docxtpl's full render."""
    doc = Document(str(TEMPLATE))
    doc.core_properties.subject = "{{ firm_name }}"
    slow_template = tmp_path / "props.docx"
    doc.save(str(slow_template))
    fast = write_letters(result, tmp_path / "fast", TEMPLATE, progress=False, issue_date=date(2024, 4, 15))
    slow = write_letters(result, tmp_path / "slow", slow_template, progress=False, issue_date=date(2024, 4, 15))
    assert [p.name for p in fast] == [p.name for p in slow]
    for a, b in zip(fast, slow):
        assert doc_text(a) == doc_text(b)
    assert Document(str(slow[0])).core_properties.subject == "鸡西市甲贸易有限公司"
    assert page_breaks(slow[-1]) == 2


def test_word_ids_are_not_duplicated_in_combined(result, tmp_path):
    """A template saved by Word carries a bookmark and w14:paraId; the combined file keeps them unique."""
    doc = Document(str(TEMPLATE))
    first = doc.paragraphs[0]._p
    first.set("{http://schemas.microsoft.com/office/word/2010/wordml}paraId", "1A2B3C4D")
    start = first.makeelement(f"{W}bookmarkStart", {f"{W}id": "0", f"{W}name": "_GoBack"})
    end = first.makeelement(f"{W}bookmarkEnd", {f"{W}id": "0"})
    first.append(start)
    first.append(end)
    word_template = tmp_path / "word.docx"
    doc.save(str(word_template))
    combined = write_letters(result, tmp_path / "out", word_template, progress=False)[-1]
    body = Document(str(combined)).element.body
    assert len([e for e in body.iter(f"{W}bookmarkStart")]) == 1
    para_ids = [e for e in body.iter() if e.get("{http://schemas.microsoft.com/office/word/2010/wordml}paraId")]
    assert len(para_ids) == 1
