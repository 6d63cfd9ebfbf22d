"""Notice letters: one per paid firm, the combined file, escaping, the sandbox."""
from __future__ import annotations

import re
import time
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from jixi_batch.letters import (COMBINED_NAME, GLUE, LetterTemplateError, keep_tails_together, letter_contexts,
                                letter_notes, letter_wording, write_letters)
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


def make_result(firm_specs, status=None, review=None, policy=None) -> RunResult:
    """firm_specs: (code, name, lines, bank, account); seq by position; status: code -> 状态."""
    policy = policy or load_policy(default_policy_path(2023))
    status = status or {}
    lines, firms = [], []
    for seq, (code, name, firm_lines, bank, account) in enumerate(firm_specs, start=1):
        lines += firm_lines
        firms.append({"seq": seq, "code": code, "name": name, "district": "鸡冠区",
                      "art5_cut_fen": sum(l["art5_cut_fen"] for l in firm_lines),
                      "budget_cut_fen": sum(l["budget_cut_fen"] for l in firm_lines),
                      "payout_fen": sum(l["approved_fen"] for l in firm_lines),
                      "bank": bank, "account": account, "status": status.get(code, "正常"),
                      "address": "鸡西市鸡冠区", "contact": "张三", "phone": "0467-1234567"})
    lines_df = pd.DataFrame(lines, columns=LINE_COLS)
    firms_df = pd.DataFrame(firms, columns=FIRM_SUMMARY_COLS)
    total = int(firms_df["payout_fen"].sum()) if len(firms_df) else 0
    return RunResult(year=2023, policy=policy, policy_path=str(policy.path), program_version="test",
                     run_time="2024-04-15 09:30:12", rules=policy.rules_info(), lines=lines_df, firms=firms_df,
                     review=pd.DataFrame() if review is None else review, accounts=[], files=[],
                     fund_fen=policy.fund_fen, total_before_budget_fen=total, total_fen=total, budget_mode="report",
                     prorate_factor=None, issue_date=date(2024, 4, 15))


CODE_A = "91230300MA1AAAAA1X"
CODE_B = "91230300MA1BBBBB2Y"
CODE_C = "91230300MA1CCCCC3Z"
CODE_D = "91230300MA1DDDDD4W"
NASTY = '鸡西<b>&"贸易有限公司'


def sample_result() -> RunResult:
    """Four firms: two award lines; nothing paid (fully offset); all deductions and no account; an offset."""
    return make_result(sample_result_specs())


def sample_result_specs() -> list:
    return ([
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
    """The text of a letter as a reader sees it (the invisible word joiners left out)."""
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts).replace(GLUE, "")


def page_breaks(path: Path) -> int:
    doc = Document(str(path))
    return sum(1 for br in doc.element.body.iter(f"{W}br") if br.get(f"{W}type") == "page")


def section_breaks(path: Path) -> list:
    """The w:sectPr of every section but the last (in the last paragraph of each letter)."""
    body = Document(str(path)).element.body
    return [s for s in body.iter(f"{W}sectPr") if s.getparent() is not body]


def write(result, folder, template=TEMPLATE, **kwargs) -> list[Path]:
    """Every file write_letters writes: ready letters, drafts, the combined file last."""
    kwargs.setdefault("progress", False)
    return write_letters(result, folder, template, **kwargs).paths


def test_one_letter_per_paid_firm(result, tmp_path):
    paths = write(result, tmp_path / "通知书", issue_date=date(2024, 4, 15))
    names = [p.name for p in paths]
    assert names == ["1_鸡西市甲贸易有限公司.docx", "3_鸡西b&贸易有限公司.docx",
                     "4_鸡西市丁公司.docx", COMBINED_NAME]
    assert all(p.parent == tmp_path / "通知书" and p.is_file() for p in paths)
    assert not any("乙公司" in n for n in names)          # payout 0: no letter


def test_letter_content(result, tmp_path):
    paths = write(result, tmp_path, issue_date=date(2024, 4, 15))
    text = doc_text(paths[0])
    for expected in ("鸡西市甲贸易有限公司：", CODE_A, "《2023年度鸡西市支持对外贸易发展的若干措施》",
                     "本地加工产品出口奖励", "第五条第（二）项", "164,680.00", "1,409.50",
                     "合计（大写：壹拾陆万陆仟零捌拾玖元伍角）", "166,089.50",
                     "奖励资金将于2024年6月30日前一次性拨付至下列账户：", "开户银行：龙江银行鸡西分行", "银行账号：6200000000000000001",
                     "特此通知。", "附件：奖励资金计算说明", "鸡西市商务局　　　　鸡西市财政局", "2024年4月15日",
                     "奖励资金计算说明", "按2%计164,680.00元", "达到5,000,000元（含）以上标准"):
        assert expected in text, expected
    assert "核减" not in text                            # no deductions paragraph when none applied
    assert "草稿" not in text and "盖章" not in text
    assert "{{" not in text and "{%" not in text


def test_number_and_issue_date_are_printed(result, tmp_path):
    paths = write(result, tmp_path, issue_date=date(2024, 5, 6))
    assert "鸡商外贸奖〔2024〕1号" in doc_text(paths[0]) and "2024年5月6日" in doc_text(paths[0])
    assert "鸡商外贸奖〔2024〕4号" in doc_text(paths[2])        # the firm's 序号, not the letter's position
    # the run's --issue-date when none is given; the number takes the year of issue
    result.issue_date = date(2025, 1, 2)
    again = write(result, tmp_path / "again")
    assert "鸡商外贸奖〔2025〕1号" in doc_text(again[0]) and "2025年1月2日" in doc_text(again[0])


def test_no_number_without_a_prefix_and_contact_when_set(tmp_path):
    policy = load_policy(default_policy_path(2023))
    bare = replace(policy, procedure=replace(policy.procedure, letter_number_prefix=""))
    paths = write(make_result(sample_result_specs(), policy=bare), tmp_path / "bare")
    assert "〔" not in doc_text(paths[0]) and "联系人" not in doc_text(paths[0])
    assert any("编号" in note for note in letter_notes(bare))
    assert any("联系人" in note and "联系电话" in note for note in letter_notes(bare))
    contact = replace(policy, procedure=replace(policy.procedure, contact_person="王敏", telephone="0467-2345678"))
    paths = write(make_result(sample_result_specs(), policy=contact), tmp_path / "contact")
    assert "（联系人：王敏，联系电话：0467-2345678）" in doc_text(paths[0])
    assert letter_notes(contact) == []
    phone_only = replace(policy, procedure=replace(policy.procedure, telephone="0467-2345678"))
    paths = write(make_result(sample_result_specs(), policy=phone_only), tmp_path / "phone")
    assert "（联系电话：0467-2345678）" in doc_text(paths[0])


def test_deductions_and_missing_account(result, tmp_path):
    paths = write(result, tmp_path, issue_date=date(2024, 4, 15))
    text = doc_text(paths[1])
    assert "上表核定金额已依规扣减312,345.67元（第五条封顶核减、预算核减），详见附件。" in text
    deductions = letter_contexts(result)[1]["deductions"]
    assert deductions == ["第五条各项奖励合计2,300,000.00元，超过每户企业最高奖励2,000,000.00元，按比例核减300,000.00元",
                          "专项资金20,000,000.00元不足以全额兑现全部奖励，各项奖励按同一比例压减，你单位核减12,345.67元"]
    # no account: no promise to pay into one
    assert "开户银行：" not in text and "银行账号：" not in text and "账户" not in text
    assert "你单位尚未提供开户银行和银行账号，请于2024年6月30日前向鸡西市商务局提供，经核实后拨付。" in text
    total = 100000000 + 50000000 + 80000000 - 30000000 - 1234567
    assert "1,987,654.33" in text and "壹佰玖拾捌万柒仟陆佰伍拾肆元叁角叁分" in text
    assert total == 198765433
    assert "上表核定金额已依规扣减50,000.00元（从高不重复抵扣），详见附件。" in doc_text(paths[2])
    assert letter_contexts(result)[2]["deductions"] == [
        "省级海外仓一次性奖励测算金额200,000.00元，按照“从高不重复”原则，抵扣你单位已享受的同类奖励50,000.00元"]


def test_name_with_markup_renders_literally(result, tmp_path):
    paths = write(result, tmp_path)
    assert NASTY + "：" in doc_text(paths[1])
    with zipfile.ZipFile(paths[1]) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert "<b>" not in xml and "&lt;b&gt;&amp;" in xml


@pytest.mark.parametrize("duplex", [False, True])
def test_combined_file_one_section_per_letter(result, tmp_path, duplex):
    paths = write(result, tmp_path, duplex=duplex)
    combined = paths[-1]
    assert combined.name == COMBINED_NAME
    text = doc_text(combined)
    for name in ("鸡西市甲贸易有限公司", NASTY, "鸡西市丁公司"):
        assert name + "：" in text
    assert "乙公司" not in text
    assert text.count("奖励资金将于2024年6月30日前") == 2 and text.count("尚未提供开户银行和银行账号") == 1
    doc = Document(str(combined))
    assert len(doc.tables) == 6                         # the award table and the annex of each letter
    assert page_breaks(combined) == 0 and all(page_breaks(p) == 0 for p in paths)
    # each letter is a section: a break at the end of the first two, the body's own after the last
    breaks = section_breaks(combined)
    assert len(breaks) == 2 and all(not section_breaks(p) for p in paths[:-1])
    sections = breaks + [doc.element.body.find(f"{W}sectPr")]
    start = "oddPage" if duplex else "nextPage"
    assert [s.find(f"{W}type").get(f"{W}val") for s in sections] == ["nextPage", start, start]
    assert all(s.find(f"{W}pgNumType").get(f"{W}start") == "1" for s in sections)
    assert all(s.find(f"{W}footerReference") is not None for s in sections)
    # the break closes each letter (its annex's last paragraph): the next paragraph opens the next letter
    for sect in breaks:
        closing = sect.getparent().getparent()
        assert "来源于海关进出口数据" in "".join(t.text or "" for t in closing.iter(f"{W}t"))
        assert "鸡商外贸奖" in "".join(t.text or "" for t in closing.getnext().iter(f"{W}t"))


def test_held_firms_are_drafts_outside_the_combined_file(tmp_path):
    review = pd.DataFrame({"级别": ["暂缓拨付", "需核实", "暂缓拨付"], "类别": ["缺少开户信息", "申报数超海关数", "名称不一致"],
                           "统一社会信用代码": [CODE_C, CODE_A, CODE_C]})
    result = make_result(sample_result_specs(), status={CODE_C: "暂缓拨付", CODE_A: "需核实"}, review=review)
    written = write_letters(result, tmp_path / "通知书", TEMPLATE, progress=False)
    assert [p.name for p in written.ready] == ["1_鸡西市甲贸易有限公司.docx", "4_鸡西市丁公司.docx"]
    assert [p.relative_to(tmp_path).as_posix() for p in written.drafts] == ["通知书/暂缓拨付/3_鸡西b&贸易有限公司.docx"]
    assert written.drafts[0].is_file() and written.combined == tmp_path / "通知书" / COMBINED_NAME
    combined = doc_text(written.combined)
    assert NASTY not in combined and "草稿" not in combined
    assert "鸡西市甲贸易有限公司：" in combined and "鸡西市丁公司：" in combined     # 需核实 is payable
    draft = doc_text(written.drafts[0])
    assert "草稿（暂缓拨付，不得寄发）" in draft.splitlines()[0]
    assert "暂缓原因：缺少开户信息、名称不一致，详见兑现表“待核查”工作表" in draft
    assert written.summary() == ("通知书：可寄发 2 份，已合并为“全部通知书.docx”；"
                                 "草稿 1 份（暂缓拨付企业，在“通知书/暂缓拨付”文件夹，不得寄发）")


def test_all_held_writes_drafts_and_no_combined_file(tmp_path):
    result = make_result(sample_result_specs(), status={c: "暂缓拨付" for c in (CODE_A, CODE_C, CODE_D)})
    written = write_letters(result, tmp_path, TEMPLATE, progress=False)
    assert written.ready == [] and written.combined is None and len(written.drafts) == 3
    assert not (tmp_path / COMBINED_NAME).exists()
    assert written.summary().startswith("通知书：可寄发 0 份；草稿 3 份")


def test_no_paid_firm_writes_nothing(tmp_path):
    empty = make_result([(CODE_B, "乙", [line(CODE_B, "乙", "A4", "境外展会市级补贴", "第四条", 100, offset=100)],
                          "银行", "1")])
    assert write(empty, tmp_path / "通知书") == []
    assert list((tmp_path / "通知书").iterdir()) == []


def test_colliding_names_keep_both(tmp_path):
    specs = [(f"9123030000000000{i}X", "同名公司", [line(f"9123030000000000{i}X", "同名公司", "A4", "境外展会市级补贴",
                                                        "第四条", 100)], "银行", "1") for i in (1, 2)]
    paths = write(make_result(specs), tmp_path)
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
        paths = write(result, tmp_path / "out", evil)
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
    paths = write(result, tmp_path)
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
    fast = write(result, tmp_path / "fast", issue_date=date(2024, 4, 15))
    slow = write(result, tmp_path / "slow", slow_template, issue_date=date(2024, 4, 15))
    assert [p.name for p in fast] == [p.name for p in slow]
    for a, b in zip(fast, slow):
        assert doc_text(a) == doc_text(b)
    assert Document(str(slow[0])).core_properties.subject == "鸡西市甲贸易有限公司"
    assert len(section_breaks(slow[-1])) == 2


def test_word_ids_are_not_duplicated_in_combined(result, tmp_path):
    """A template saved by Word carries a bookmark and w14:paraId; the combined file keeps them unique."""
    doc = Document(str(TEMPLATE))
    first = next(p for p in doc.paragraphs if p.text.startswith("关于兑现"))._p
    first.set("{http://schemas.microsoft.com/office/word/2010/wordml}paraId", "1A2B3C4D")
    start = first.makeelement(f"{W}bookmarkStart", {f"{W}id": "0", f"{W}name": "_GoBack"})
    end = first.makeelement(f"{W}bookmarkEnd", {f"{W}id": "0"})
    first.append(start)
    first.append(end)
    word_template = tmp_path / "word.docx"
    doc.save(str(word_template))
    combined = write(result, tmp_path / "out", word_template)[-1]
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
    from jixi_batch import batch, cli

    monkeypatch.setattr(batch, "LETTER_TEMPLATE", _template_with(tmp_path, HOSTILE["a huge power"]))
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
    paths = write(result, tmp_path, issue_date=issued)
    plain = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    for context, path in zip(letter_contexts(result, issued), paths):
        reference = DocxTemplate(str(TEMPLATE))
        reference.render(context, jinja_env=plain, autoescape=True)
        keep_tails_together(reference.docx.element.body)          # the line-break glue both get
        made = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(f"{W}body")
        assert etree.tostring(made, method="c14n") == etree.tostring(reference.docx.element.body, method="c14n")


# --- wording: a letter reads as the bureau writes, not as a program ------------------------------

@pytest.mark.parametrize("workbook, letter", [
    ("本地加工产品出口额 8,234,000.00 元 ≥ 5,000,000 元，按 2% 计 164,680.00 元",
     "本地加工产品出口额8,234,000.00元，达到5,000,000元（含）以上标准，按2%计164,680.00元"),
    ("海关进出口额 180,001,234.00 元，较上年 80,001,234.00 元新增 100,000,000.00 元 ≥ 100,000,000.00 元，"
     "按省级奖励 123,456.25 元的 10% 计 12,345.63 元",
     "海关进出口额180,001,234.00元，较上年80,001,234.00元新增100,000,000.00元，达到100,000,000.00元（含）以上标准，"
     "按省级奖励123,456.25元的10%计12,345.63元"),
    ("银行手续费 1,234.56 元、融资贷款利息 14,791.67 元（共 1 笔，其中 1 笔实付利率高于贷款发放日1年期LPR，按LPR计），"
     "合计 16,026.23 元，按 50% 计 8,013.11 元",
     "银行手续费1,234.56元、融资贷款利息14,791.67元（共1笔，其中1笔实付利率高于贷款发放日1年期贷款市场报价利率，"
     "按贷款市场报价利率计），合计16,026.23元，按50%计8,013.11元"),
    ("能源资源类产品进口额 60,000,000.00 元 ≥ 5,000,000.00 元，商品落地率 60%，超过 50%，按 2% 计 1,200,000.00 元，"
     "超过最高限额，按 1,000,000.00 元计；第五条各项奖励合计 2,700,000.00 元，超过每户企业最高奖励 2,000,000.00 元，"
     "按比例核减 259,259.26 元",
     "能源资源类产品进口额60,000,000.00元，达到5,000,000.00元（含）以上标准，商品落地率60%，超过50%，按2%计1,200,000.00元，"
     "超过最高限额，按1,000,000.00元计；第五条各项奖励合计2,700,000.00元，超过每户企业最高奖励2,000,000.00元，"
     "按比例核减259,259.26元"),
    ("当年煤炭进口 8,000 吨 ≥ 5,000 吨，省内落地 8,000 吨（企业申报 9,000 吨，超过海关进口量，按海关进口量计），"
     "按每吨 50.00 元计 400,000.00 元；已获“2022年度鸡西市外贸奖励(省级)”200,000.00 元，按“从高不重复”原则抵扣 200,000.00 元；"
     "因测算总额超过专项资金，按压减系数 0.904392 核减 1,234.56 元",
     "当年煤炭进口8,000吨，达到5,000吨（含）以上标准，省内落地8,000吨（企业申报9,000吨，超过海关进口量，按海关进口量计），"
     "按每吨50.00元计400,000.00元；已获“2022年度鸡西市外贸奖励（省级）”200,000.00元，按“从高不重复”原则抵扣200,000.00元；"
     "因测算总额超过专项资金，按压减系数0.904392核减1,234.56元"),
    # a symbol a future sentence might still hold is put into words
    ("甲 1.00 元 + 乙 2.00 元 = 3.00 元 < 5.00 元", "甲1.00元加乙2.00元为3.00元，低于5.00元"),
])
def test_letter_wording(workbook, letter):
    assert letter_wording(workbook) == letter


PROGRAM_MARKS = re.compile(r"[+=≥≤<>×÷*/−()\[\]{}:;?!]|(?<![0-9]),|,(?![0-9]{3})|[A-Za-z]| ")


def program_marks(text: str, *allowed: str) -> list[str]:
    """What in a letter reads like program output: arithmetic symbols, half-width brackets and
    punctuation, Latin letters, spaces (the code, the account and firm names are the firm's own)."""
    for own in allowed:
        text = text.replace(own, "")
    return sorted({m.group() for m in PROGRAM_MARKS.finditer(text.replace("\t", ""))})


def test_sample_letters_read_as_a_bureau_writes(tmp_path, capsys):
    """Every letter of the sample run, drafts and the combined file included."""
    from jixi_batch.cli import main

    out = tmp_path / "out"
    assert main(["--input", str(ROOT / "input_samples"), "--output", str(out), "--issue-date", "2024-04-15"]) == 0
    console = capsys.readouterr().out
    assert "通知书：可寄发 29 份，已合并为“全部通知书.docx”；草稿 5 份（暂缓拨付企业，在“通知书/暂缓拨付”文件夹，不得寄发）" \
        in console
    assert "提示：政策参数文件未填写联系人和联系电话，通知书上不印联系方式" in console
    run = next(out.iterdir())
    firms = pd.read_excel(run / "2023年度外贸奖励兑现表.xlsx", sheet_name="企业汇总", engine="calamine",
                          dtype={"银行账号": str}, header=3)
    firms = firms[firms["序号"] != "合计"]
    own = [str(v) for v in pd.concat([firms["企业名称"], firms["统一社会信用代码"], firms["开户银行"], firms["银行账号"]])
           if isinstance(v, str)]
    letters = sorted((run / "通知书").rglob("*.docx"))
    assert len(letters) == 34 + 1
    for path in letters:
        text = doc_text(path)
        assert program_marks(text, *sorted(own, key=len, reverse=True)) == [], path.name
        assert "鸡商外贸奖〔2024〕" in text and "2024年4月15日" in text
        assert "整）。" not in text                       # 大写 stands in the table's total row


def test_program_marks_are_found():
    """The check above finds what it looks for."""
    assert program_marks("合计 12,345.65 元 ≥ 5,000,000 元") == [" ", "≥"]
    assert program_marks("按(2)计, LPR上限=1") == [" ", "(", ")", ",", "=", "L", "P", "R"]
    assert program_marks("8,234,000.00元，按2%计") == []
