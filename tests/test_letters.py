"""Notice letters: one per paid firm, the combined file, escaping, the sandbox."""
from __future__ import annotations

import time
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from jixi_batch.letters import COMBINED_NAME, LetterTemplateError, letter_contexts, write_letters
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


# --- a hostile or broken template is stopped, quickly, naming the template -----------------------

HOSTILE = {
    "two nested range(100000) loops":
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "a huge power": "{{ 9**(9**9) }}",
    "range(10**9)": "{% for i in range(10**9) %}{% endfor %}",
    "'x' * 10**9": "{{ 'x' * 10**9 }}",
    "10**8 loop steps": "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "a 100 MB letter": "{% for i in range(10000) %}{{ 'x' * 10000 }}{% endfor %}",
    "slow steps": "{% for i in range(1000) %}{{ ('x' * 500000)|list|sort|length }}{% endfor %}",
    "doubling by ~": "{% set a = 'x' * 1000 %}" + "{% set a = a ~ a %}" * 30 + "{{ a|length }}",
    "doubling by lists": "{% set a = 'x' * 1000 %}" + "{% set a = [a, a] %}" * 30 + "{{ a|length }}",
    "a list repeated": "{{ [firm_name] * 1000000 }}",
    "a % width": "{{ '%999999999d' % 1 }}",
    "a format width": "{{ '{:>999999999}'.format(1) }}",
    "a center width": "{{ 'x'|center(10**9) }}",
    "a ljust width": "{{ 'x'.ljust(10**9) }}",
    "replace amplifying": "{{ ('x' * 100000)|replace('x', 'x' * 100000) }}",
    "join amplifying": "{{ ('y' * 100000).join('x' * 100000) }}",
    "indent amplifying": "{{ ('x\\n' * 100000)|indent(100000) }}",
    "sum of lists": "{{ ([[1]] * 100000)|sum(start=[]) }}",
    "a macro calling itself": "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "a macro doubling": "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "lipsum": "{{ lipsum(1000000) }}",
    "a method not allowed": "{{ 'x'.translate({120: 'y'}) }}",
    "mutating a list": "{{ lines.append(1) }}",
    "division by zero": "{{ 1 / 0 }}",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_template_is_stopped_quickly_naming_the_template(result, tmp_path, case):
    evil = _template_with(tmp_path, HOSTILE[case])
    start = time.perf_counter()
    with pytest.raises(LetterTemplateError) as caught:
        write_letters(result, tmp_path / "out", evil, progress=False)
    assert time.perf_counter() - start < 5
    message = str(caught.value)
    assert message.startswith("通知书模板“evil.docx”") and "已停止生成通知书" in message
    assert not list((tmp_path / "out").glob("*.docx"))


def test_hostile_template_stops_the_run_with_exit_1_and_nothing_written(tmp_path, monkeypatch, capsys):
    from jixi_batch import cli

    monkeypatch.setattr(cli, "LETTER_TEMPLATE", _template_with(tmp_path, HOSTILE["a huge power"]))
    out = tmp_path / "out"
    assert cli.main(["--input", str(ROOT / "input_samples"), "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert "错误：通知书模板“evil.docx”中的乘方运算（**）结果超过 4,096 位二进制数" in err
    assert "未生成任何输出" in err and "程序内部错误" not in err
    assert not out.exists() or not any(out.iterdir())


def test_template_unpacking_to_too_much_is_refused(result, tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("word/media/big.bin", b"\0" * (65 << 20))
    with pytest.raises(LetterTemplateError, match="通知书模板“bomb.docx”过大"):
        write_letters(result, tmp_path / "out", bomb, progress=False)


def test_shipped_template_renders_as_an_unbounded_sandbox_renders_it(result, tmp_path):
    """The bounds change nothing for the shipped template: each letter's body is the body docxtpl
    makes with jinja2's plain sandbox."""
    issued = date(2024, 4, 15)
    paths = write_letters(result, tmp_path, TEMPLATE, progress=False, issue_date=issued)
    plain = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    for context, path in zip(letter_contexts(result, issued), paths):
        reference = DocxTemplate(str(TEMPLATE))
        reference.render(context, jinja_env=plain, autoescape=True)
        made = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(f"{W}body")
        assert etree.tostring(made, method="c14n") == etree.tostring(reference.docx.element.body, method="c14n")
