"""The documents for each step of the payout (OUTPUTS.md): 拨付清单, 公示名单 (.xlsx and .docx), and
the 县区汇总 and 汇总 of the workbook, checked on the sample run and on made-up runs.

What must hold, to the fen: 拨付合计 + 暂缓拨付合计 = 兑现总额 (also when the fund is prorated); no
暂缓拨付 firm in the 拨付清单; the 大写 of its total; 汇总's 核定金额 per rule = 企业汇总's column sums;
县区汇总's total = 兑现总额; no account, bank, address, phone or contact in the 公示名单; a name
beginning with = stays text in every file.
"""
from __future__ import annotations

import re
import sys
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import expected_samples as E  # noqa: E402

from jixi_batch import model  # noqa: E402
from jixi_batch.capitals import to_capital_yuan  # noqa: E402
from jixi_batch.cli import main  # noqa: E402
from jixi_batch.doc_dates import chinese_date, working_day_end  # noqa: E402
from jixi_batch.payment_list import payment_filename, split_payments, write_payment_list  # noqa: E402
from jixi_batch.payout_workbook import write_payout_workbook  # noqa: E402
from jixi_batch.policy import default_policy_path, load_policy  # noqa: E402
from jixi_batch.publicity_docx import title_lines, write_publicity_docx  # noqa: E402
from jixi_batch.publicity_list import publicity, publicity_filename, write_publicity_xlsx  # noqa: E402
from jixi_batch.xlsx_style import HEADER_ROW  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "input_samples"
BOOK = "2023年度外贸奖励兑现表.xlsx"
PAYMENT = payment_filename(2023)
PUBLICITY_XLSX = publicity_filename(2023, ".xlsx")
PUBLICITY_DOCX = publicity_filename(2023, ".docx")
HELD = "暂缓拨付"


# --- reading the documents back ------------------------------------------------------------

def fen(value) -> int:
    return int(round(float(value) * 100))


def rows(path: Path, sheet: str | None = None) -> list[list]:
    """Every row of a sheet (cached values), as lists."""
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()]


def table(path: Path, sheet: str | None = None) -> tuple[list[str], list[list], list[list]]:
    """(header, data rows up to the 合计 row, the rows from 合计 on)."""
    all_rows = rows(path, sheet)
    header = all_rows[HEADER_ROW]
    body = all_rows[HEADER_ROW + 1:]
    end = next(i for i, r in enumerate(body) if r[0] == "合计")
    return header, body[:end], body[end:]


def labelled(after: list[list], label: str, col: int) -> int:
    """The amount beside the row whose first cell starts with ``label``."""
    for r in after:
        if isinstance(r[0], str) and r[0].startswith(label):
            return fen(r[col])
    raise AssertionError(f"no row {label!r}")


def payment_list(path: Path) -> dict:
    header, data, after = table(path)
    col = header.index("金额(元)")
    return {
        "header": header,
        "rows": [dict(zip(header, r)) for r in data],
        "total": fen(after[0][col]),
        "capital": next(r[2] for r in after if r[0] == "合计金额（大写）"),
        "payable": labelled(after, "本清单拨付合计", col),
        "held": labelled(after, "暂缓拨付合计", col),
        "grand": labelled(after, "兑现总额", col),
        "held_label": next(r[0] for r in after if isinstance(r[0], str) and r[0].startswith("暂缓拨付合计")),
    }


def firm_table(book: Path) -> pd.DataFrame:
    header, data, _ = table(book, "企业汇总")
    return pd.DataFrame(data, columns=header)


def run_sample(out: Path, *extra: str) -> Path:
    args = ["--input", str(SAMPLES), "--output", str(out), "--no-letters", "--issue-date", "2024-04-15",
            "--publicity-start", "2024-04-16", *extra]
    assert main(args) == 0
    runs = [p for p in out.iterdir() if p.is_dir()]
    assert len(runs) == 1
    return runs[0]


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> Path:
    return run_sample(tmp_path_factory.mktemp("docs"))


@pytest.fixture(scope="module")
def prorated_run(tmp_path_factory) -> Path:
    """The samples with a fund of 1,234,567.89 元, prorated: every firm cut, odd fen to spread."""
    folder = tmp_path_factory.mktemp("prorate")
    data = yaml.safe_load(default_policy_path(2023).read_text(encoding="utf-8"))
    data["policy"]["fund"]["amount"] = "1234567.89"
    policy = folder / "2023.yaml"
    policy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return run_sample(folder / "out", "--budget-mode", "prorate", "--policy", str(policy))


# --- 拨付清单 ----------------------------------------------------------------------------------

def held_fen_expected() -> tuple[int, int]:
    """From the hand-derived expectations: the 暂缓拨付 firms' count and 兑现金额."""
    held = [c for c, level in E.STATUS_REVIEW.items() if level == HELD and E.EXPECTED.get(c, {}).get("payout")]
    return len(held), sum(E.EXPECTED[c]["payout"] for c in held)


def test_payable_plus_held_is_the_total_to_the_fen(sample_run):
    got = payment_list(sample_run / PAYMENT)
    n_held, held = held_fen_expected()
    assert (n_held, held) == (5, 1_848_025_00)
    assert got["grand"] == E.GRAND_TOTAL_FEN == 18_087_846_70
    assert got["held"] == held
    assert got["payable"] == got["total"] == E.GRAND_TOTAL_FEN - held
    assert got["payable"] + got["held"] == got["grand"]
    assert sum(fen(r["金额(元)"]) for r in got["rows"]) == got["payable"]
    assert f"（{n_held} 户，" in got["held_label"]


def test_payable_plus_held_with_the_fund_prorated(prorated_run):
    got = payment_list(prorated_run / PAYMENT)
    firms = firm_table(prorated_run / BOOK)
    payout = {c: fen(v) for c, v in zip(firms["统一社会信用代码"], firms["兑现金额(元)"])}
    status = dict(zip(firms["统一社会信用代码"], firms["状态"]))
    assert got["grand"] == sum(payout.values()) == 1_234_567_89       # prorated to the fund, to the fen
    assert got["held"] == sum(v for c, v in payout.items() if status[c] == HELD)
    assert got["payable"] + got["held"] == got["grand"]
    assert sum(fen(r["金额(元)"]) for r in got["rows"]) == got["payable"] == got["total"]
    assert got["capital"] == "人民币" + to_capital_yuan(got["payable"])


def test_no_held_firm_in_the_payment_list(sample_run):
    got = payment_list(sample_run / PAYMENT)
    firms = firm_table(sample_run / BOOK)
    held = {c for c, s in zip(firms["统一社会信用代码"], firms["状态"]) if s == HELD}
    assert held == {c for c, level in E.STATUS_REVIEW.items() if level == HELD}
    listed = [r["统一社会信用代码"] for r in got["rows"]]
    assert not set(listed) & held
    paid = {c for c, v in zip(firms["统一社会信用代码"], firms["兑现金额(元)"]) if fen(v) > 0}
    assert set(listed) == paid - held and len(listed) == len(set(listed)) == 29
    assert [r["序号"] for r in got["rows"]] == list(range(1, 30))


def test_payment_list_rows(sample_run):
    got = payment_list(sample_run / PAYMENT)
    assert got["header"] == ["序号", "收款人全称", "统一社会信用代码", "开户银行", "银行账号", "金额(元)", "用途"]
    for r in got["rows"]:
        code = r["统一社会信用代码"]
        assert r["收款人全称"] == E.EXPECTED[code]["name"]
        assert fen(r["金额(元)"]) == E.EXPECTED[code]["payout"]
        assert r["用途"] == "2023年度外贸发展奖励"
        assert isinstance(r["银行账号"], str) and r["银行账号"].isdigit() and r["开户银行"]
    ws = openpyxl.load_workbook(sample_run / PAYMENT).worksheets[0]
    col = got["header"].index("银行账号") + 1
    for r in range(HEADER_ROW + 2, HEADER_ROW + 2 + len(got["rows"])):
        assert ws.cell(row=r, column=col).data_type == "s" and ws.cell(row=r, column=col).number_format == "@"


def test_capital_of_the_total(sample_run):
    got = payment_list(sample_run / PAYMENT)
    # 16,239,821.70 元, written out by hand
    assert got["payable"] == 16_239_821_70
    assert got["capital"] == "人民币壹仟陆佰贰拾叁万玖仟捌佰贰拾壹元柒角"


def test_payment_list_title_date_and_signatures(sample_run):
    all_rows = rows(sample_run / PAYMENT)
    assert all_rows[0][0] == "2023年度鸡西市外贸发展奖励资金拨付清单"
    meta = [v for v in all_rows[2] if v]
    assert meta == ["制表单位：鸡西市商务局", "2024年4月15日", "单位：元"]
    texts = {v for r in all_rows for v in r if isinstance(v, str)}
    assert {"经办人：", "审核人：", "负责人："} <= texts


# --- 汇总, 企业汇总, 县区汇总 -----------------------------------------------------------------------

def test_summary_ties_out_with_the_firm_table_rule_by_rule(sample_run):
    header, data, after = table(sample_run / BOOK, "汇总")
    approved = {r[0]: fen(r[header.index("金额(元)")]) for r in data}
    firms = firm_table(sample_run / BOOK)
    for rule in E.RULE_ORDER:
        column = next(h for h in firms.columns if isinstance(h, str) and h.endswith(f"（{rule}）"))
        assert sum(fen(v) for v in firms[column]) == approved[rule] == E.RULE_TOTALS[rule], rule
    # each rule's steps: 测算金额 less the three cuts is 核定金额
    for r in data:
        values = dict(zip(header, r))
        assert fen(values["测算金额(元)"]) - fen(values["从高不重复抵扣(元)"]) - fen(values["第五条封顶核减(元)"]) \
            - fen(values["预算核减(元)"]) == fen(values["金额(元)"]), r[0]
    assert fen(after[0][header.index("金额(元)")]) == E.GRAND_TOTAL_FEN


def test_district_total_is_the_grand_total(sample_run, prorated_run):
    for run, grand in ((sample_run, E.GRAND_TOTAL_FEN), (prorated_run, 1_234_567_89)):
        header, data, after = table(run / BOOK, "县区汇总")
        amount, held = header.index("金额(元)"), header.index("其中暂缓拨付(元)")
        assert sum(fen(r[amount]) for r in data) == fen(after[0][amount]) == grand
        assert fen(after[0][held]) == payment_list(run / PAYMENT)["held"]
        firms = firm_table(run / BOOK)
        assert after[0][header.index("企业数")] == sum(fen(v) > 0 for v in firms["兑现金额(元)"]) == 34
    header, data, _ = table(sample_run / BOOK, "县区汇总")
    districts = [r[1] for r in data]
    assert districts[-1] == "未填写县区" and districts[:3] == ["鸡西市（高新区）", "鸡冠区", "恒山区"]


# --- 公示名单 ----------------------------------------------------------------------------------

def private_texts(run: Path) -> set[str]:
    """Every firm's bank, account, address, contact person and telephone, as the inputs give them."""
    info = pd.read_excel(SAMPLES / "企业申报汇总.xlsx", sheet_name="企业信息", dtype=str, engine="calamine")
    texts = set()
    for column in ("通讯地址", "联系人", "联系电话", "开户银行", "银行账号"):
        texts |= {v.strip() for v in info[column].dropna() if len(v.strip()) >= 2}
    firms = firm_table(run / BOOK)
    texts |= {v for v in firms["银行账号"].dropna() if isinstance(v, str) and v}
    return texts


def document_text(path: Path) -> str:
    """All the text stored in a .xlsx or .docx: every part of the zip (all XML: no pictures)."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert all(n.endswith((".xml", ".rels")) for n in names), names
        return "\n".join(zf.read(n).decode("utf-8") for n in names)


def test_publicity_holds_no_private_data(sample_run):
    private = private_texts(sample_run)
    assert len(private) > 100          # the check would pass on nothing otherwise
    for name in (PUBLICITY_XLSX, PUBLICITY_DOCX):
        text = document_text(sample_run / name)
        leaked = sorted(t for t in private if t in text)
        assert not leaked, (name, leaked[:5])
        shown = "\n".join(re.findall(r">([^<]+)<", text))                # every text node
        assert not re.search(r"\d{16,19}", shown), name                # nothing like an account number
        assert not re.search(r"1[3-9]\d{9}|0467-?\d{7}", shown), name   # nor a telephone


def test_publicity_lists_every_firm_paid(sample_run):
    header, data, after = table(sample_run / PUBLICITY_XLSX)
    assert header == ["序号", "企业名称", "统一社会信用代码", "所属县区", "奖励项目", "拟兑现金额(元)"]
    listed = {r[2]: r for r in data}
    expected = {c: e for c, e in E.EXPECTED.items() if e["payout"] > 0}
    assert set(listed) == set(expected)                      # 暂缓拨付 firms too (README)
    assert len(data) == 34
    names = {r.rule_id: r.name for r in load_policy(default_policy_path(2023)).rules_info()}
    for code, e in expected.items():
        row = listed[code]
        assert row[1] == e["name"] and fen(row[5]) == e["payout"]
        assert row[4] == "、".join(names[r] for r in E.RULE_ORDER if e.get(r, 0) > 0), code
    assert fen(after[0][5]) == E.GRAND_TOTAL_FEN


def test_publicity_period_bodies_and_objections(sample_run, tmp_path, capsys):
    text = rows(sample_run / PUBLICITY_XLSX)[1][0]
    assert "公示期：2024年4月16日至2024年4月22日（5个工作日）。" in text
    assert "异议" not in text                 # the samples' policy file names no place for objections
    docx = document_text(sample_run / PUBLICITY_DOCX)
    for part in ("2024年4月16日至2024年4月22日", "鸡西市商务局", "鸡西市财政局", "附件"):
        assert part in docx
    # with a place for objections, the sentence is there and no warning is given
    data = yaml.safe_load(default_policy_path(2023).read_text(encoding="utf-8"))
    data["procedure"]["objection_contact"] = "鸡西市商务局对外贸易科。"
    policy = tmp_path / "2023.yaml"
    policy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    capsys.readouterr()
    run = run_sample(tmp_path / "out", "--policy", str(policy))
    out = capsys.readouterr().out
    assert "objection_contact" not in out
    sentence = "公示期间如有异议，请以书面形式向以下单位反映：鸡西市商务局对外贸易科。"
    assert sentence in rows(run / PUBLICITY_XLSX)[1][0]
    assert "公示期间如有异议" in document_text(run / PUBLICITY_DOCX)


def test_console_names_each_document_and_the_missing_contact(tmp_path, capsys):
    run_sample(tmp_path / "out")
    out = capsys.readouterr().out
    assert "拨付清单：2023年度外贸奖励资金拨付清单.xlsx，拨付 29 户 16,239,821.70 元；暂缓拨付 5 户 1,848,025.00 元" in out
    assert "公示名单：2023年度外贸奖励拟兑现企业名单（公示）（.xlsx 和 .docx），34 户 18,087,846.70 元；" \
           "公示期 2024年4月16日至2024年4月22日" in out
    assert "提示：政策参数文件未填写公示异议的受理单位和联系方式" in out


def test_working_days():
    assert working_day_end(date(2024, 4, 16), 5) == date(2024, 4, 22)     # Tuesday: over a weekend
    assert working_day_end(date(2024, 4, 15), 5) == date(2024, 4, 19)     # Monday to Friday
    assert working_day_end(date(2024, 4, 13), 5) == date(2024, 4, 19)     # Saturday: counted from Monday
    assert working_day_end(date(2024, 4, 19), 1) == date(2024, 4, 19)
    assert working_day_end(date(2024, 4, 19), 7) == date(2024, 4, 29)
    assert chinese_date(date(2024, 4, 5)) == "2024年4月5日"
    with pytest.raises(ValueError):
        working_day_end(date(2024, 4, 19), 0)


def test_title_cut_by_meaning():
    assert title_lines("关于2023年度鸡西市外贸发展奖励拟兑现企业名单的公示") == \
        ["关于2023年度鸡西市外贸发展奖励", "拟兑现企业名单的公示"]
    assert title_lines("短标题") == ["短标题"]


# --- made-up runs: text stays text, the split is exact ----------------------------------------

INJECTED = ['=HYPERLINK("http://x","y")', "+86 123", "-1", "@SUM(A1)"]


def made_up_result(statuses: list[str], payouts: list[int], names: list[str] | None = None) -> model.RunResult:
    policy = load_policy(default_policy_path(2023))
    rules = policy.rules_info()
    n = len(payouts)
    names = names or [f"鸡西测试{i}有限公司" for i in range(n)]
    codes = [f"91230300MA1A0000{i:02d}" for i in range(n)]
    lines = pd.DataFrame([{
        "code": codes[i], "name": names[i], "rule_id": "A1", "rule_name": rules[0].name, "article": rules[0].article,
        "basis_fen": payouts[i] * 10, "computed_fen": payouts[i], "offset_fen": 0, "art5_cut_fen": 0,
        "budget_cut_fen": 0, "approved_fen": payouts[i], "explanation": "说明",
    } for i in range(n)], columns=model.LINE_COLS)
    firms = pd.DataFrame({
        "seq": range(1, n + 1), "code": codes, "name": names,
        "district": ["=鸡冠区", None, "恒山区", "-1"][:n] + ["鸡东县"] * max(0, n - 4),
        **{r.rule_id: (payouts if r.rule_id == "A1" else [0] * n) for r in rules},
        "art5_cut_fen": [0] * n, "budget_cut_fen": [0] * n, "payout_fen": payouts,
        "bank": ["=银行"] * n, "account": [f"62220202000123456{i:02d}" for i in range(n)], "status": statuses,
        "address": ["=地址"] * n, "contact": ["=联系人"] * n, "phone": ["=0467"] * n,
    })
    return model.RunResult(
        year=2023, policy=policy, policy_path="2023.yaml", program_version="0", run_time="2024-04-15 09:30:12",
        rules=rules, lines=lines, firms=firms, review=pd.DataFrame(columns=model.REVIEW_COLS), accounts=[],
        files=[], fund_fen=policy.fund_fen, total_before_budget_fen=sum(payouts), total_fen=sum(payouts),
        budget_mode="report", prorate_factor=None, issue_date=date(2024, 4, 15),
        publicity_start=date(2024, 4, 16),
    )


def test_names_beginning_with_a_formula_sign_stay_text(tmp_path):
    result = made_up_result(["正常", HELD, "需核实", "正常"], [1_000_00, 2_000_00, 3_000_01, 4_000_99], INJECTED)
    files = {
        "book": tmp_path / BOOK, "payment": tmp_path / PAYMENT,
        "pub_xlsx": tmp_path / PUBLICITY_XLSX, "pub_docx": tmp_path / PUBLICITY_DOCX,
    }
    write_payout_workbook(result, files["book"])
    write_payment_list(result, files["payment"])
    pub = publicity(result)
    write_publicity_xlsx(pub, files["pub_xlsx"], "鸡西市商务局")
    write_publicity_docx(pub, files["pub_docx"], "鸡西市商务局")
    for key in ("book", "payment", "pub_xlsx"):
        wb = openpyxl.load_workbook(files[key])
        seen = set()
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        assert str(cell.value).startswith("=SUM("), (key, ws.title, cell.value)
                    elif cell.value in INJECTED or cell.value in ("=鸡冠区", "=银行"):
                        assert cell.data_type == "s"
                        seen.add(cell.value)
        wanted = set(INJECTED) - ({INJECTED[1]} if key == "payment" else set())   # the held firm is not paid
        assert wanted <= seen, (key, wanted - seen)
    docx = document_text(files["pub_docx"])
    for name in INJECTED:
        assert name.replace('"', "&quot;") in docx or name in docx


def test_split_is_exact_and_refuses_a_negative_payout():
    result = made_up_result(["正常", HELD, HELD, "需核实"], [1, 99_999_999_99, 3, 0])
    pay = split_payments(result)
    assert [p.amount_fen for p in pay.payees] == [1]          # a firm with nothing to pay is not a payee
    assert (pay.held_count, pay.held_fen, pay.total_fen) == (2, 99_999_999_99 + 3, 1 + 99_999_999_99 + 3)
    assert pay.payable_fen + pay.held_fen == pay.total_fen
    broken = made_up_result(["正常", "正常"], [5_00, -1_00])
    with pytest.raises(ValueError):
        split_payments(broken)
