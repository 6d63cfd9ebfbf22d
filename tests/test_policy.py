"""The policy file: plain YAML data only (INPUTS.md "Fail closed": bad settings are refused)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import FrozenInstanceError
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from jixi_batch.policy import PolicyError, default_policy_path, load_policy

SHIPPED = default_policy_path(2023)
ALIAS_BOMB = "\n".join(['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
                       + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]) + "\n"


def write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    return str(caught.value)


def test_alias_bomb_is_refused_at_once(tmp_path):
    path = write(tmp_path, ALIAS_BOMB)
    start = time.perf_counter()
    message = refusal(path)
    assert time.perf_counter() - start < 0.5
    assert "bad.yaml" in message and "第 1 行" in message and "锚点或别名" in message


@pytest.mark.parametrize("text, shown", [
    ("policy: !!python/object:os.system {}\n", "!!python/object:os.system"),
    ("policy: !!python/object/apply:os.system [echo pwned]\n", "!!python/object/apply:os.system"),
    ("policy: !!binary aGVsbG8=\n", "!!binary"),
    ("policy: !custom 1\n", "!custom"),
])
def test_tags_are_refused(tmp_path, text, shown):
    message = refusal(write(tmp_path, text))
    assert "bad.yaml" in message and f"YAML 标记“{shown}”" in message


@pytest.mark.parametrize("text, reason", [
    ("base: {a: 1}\nother:\n  <<: {a: 2}\n", "合并键"),
    ("a: 1\na: 2\n", "第 2 行出现了重复的键“a”"),
    ("? [a, b]\n: 1\n", "使用了不是文字的键"),
    ("a: " + "[" * 40 + "]" * 40 + "\n", "嵌套超过"),
    ("a: [1, 2\n", "YAML 语法错误"),
])
def test_other_yaml_features_are_refused(tmp_path, text, reason):
    message = refusal(write(tmp_path, text))
    assert "bad.yaml" in message and reason in message


def test_oversized_file_is_refused_without_parsing(tmp_path):
    path = write(tmp_path, "# " + "x" * (2 << 20) + "\n")
    assert "超过 1 MB" in refusal(path)


def test_gbk_file_is_named(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("标题: 鸡西\n".encode("gbk"))
    assert "不是 UTF-8 编码" in refusal(path)


def test_the_shipped_file_loads():
    assert load_policy(SHIPPED).year == 2023


# --- every key checked when the file is loaded ---------------------------------------------------

DELETE = object()


def variant(tmp_path: Path, changes: dict, name: str = "bad.yaml") -> Path:
    """The shipped file with ``changes`` ({"rules.A1.rate": "abc", "rules.A3S.cap": DELETE}) applied."""
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            node = node[key]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    return write(tmp_path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False), name)


A4_ITEMS = {f"province_items.{item}": DELETE for item in ("境外展会补贴", "线上展会补贴", "委托参展补贴")}
RATE_TEXT = "应为大于 0、不超过 100 的百分数（如“10”即 10%，最多两位小数）"


@pytest.mark.parametrize("changes, expected", [
    ({"rules.A3S.cap": DELETE}, "缺少参数 rules.A3S.cap（大于 0 的金额（元，最多两位小数））"),
    ({"rules.A5F.requires": DELETE}, "缺少参数 rules.A5F.requires"),
    ({"rules.A5G": DELETE}, "缺少参数 rules.A5G"),
    ({"policy.fund": DELETE}, "缺少参数 policy.fund"),
    ({"rules.A1.rate": "abc"}, f"的 rules.A1.rate {RATE_TEXT}，实际为“abc”"),
    ({"rules.A1.rate": True}, "的 rules.A1.rate 应为大于 0、不超过 100 的百分数"),
    ({"rules.A1.rate": "-10"}, f"的 rules.A1.rate {RATE_TEXT}，实际为“-10”"),
    ({"rules.A5X.rate": "-2"}, "的 rules.A5X.rate 应为大于 0、不超过 100 的百分数"),
    ({"rules.A5X.rate": "150"}, "的 rules.A5X.rate 应为大于 0、不超过 100 的百分数"),
    ({"rules.A4.rate": "0"}, "的 rules.A4.rate 应为大于 0、不超过 100 的百分数"),
    ({"rules.A4.rate": "2.555"}, "的 rules.A4.rate 应为大于 0、不超过 100 的百分数"),
    ({"rules.A5I.min_landing_rate": "100"}, "的 rules.A5I.min_landing_rate 应为不小于 0、小于 100 的百分数"),
    ({"policy.fund.amount": -1}, "的 policy.fund.amount 应为大于 0 的金额（元，最多两位小数），实际为“-1”"),
    ({"policy.fund.amount": 0}, "的 policy.fund.amount 应为大于 0 的金额"),
    ({"policy.fund.unit": "万元"}, "的 policy.fund.unit 应为“元”"),
    ({"rules.A3S.cap": 0}, "的 rules.A3S.cap 应为大于 0 的金额"),
    ({"rules.A3S.cap": "0.001"}, "的 rules.A3S.cap 应为大于 0 的金额（元，最多两位小数），实际为“0.001”"),
    ({"rules.A3S.cap": 10 ** 13}, "的 rules.A3S.cap 应为大于 0 的金额"),
    ({"article5.cap": "abc"}, "的 article5.cap 应为大于 0 的金额"),
    ({"rules.A5I.min_import": -1}, "的 rules.A5I.min_import 应为不小于 0 的金额"),
    ({"rules.A3C.min_served": -1}, "的 rules.A3C.min_served 应为不小于 0 的整数"),
    ({"rules.A5C.min_tonnes": -5}, "的 rules.A5C.min_tonnes 应为不小于 0 的吨数"),
    ({"rules.A5G.step": 0}, "的 rules.A5G.step 应为大于 0 的金额"),
    ({"rules.A5F.day_count": 300}, "的 rules.A5F.day_count 应为一年的计息天数 360 或 365，实际为“300”"),
    ({"policy.payout.deadline_month": 13},
     "的 policy.payout.deadline_month 应为 1 到 12 之间的整数（月份），实际为“13”"),
    ({"policy.year": "abc"}, "的 policy.year 应为 2000 到 2100 之间的年份"),
    ({"policy.rounding.method": "down"}, "的 policy.rounding.method 应为“half_up”（四舍五入）"),
    ({"codes.cross_border_trade_modes.values": [9610]}, "的 codes.cross_border_trade_modes.values 应为加引号的 4 位"),
    ({"codes.quantity_units.千克": "-0.001"}, "的 codes.quantity_units.千克 应为大于 0 的吨数"),
    ({"codes.trade_mode_names.values.一般贸易": "110"}, "的 codes.trade_mode_names.values.一般贸易 应为加引号的 4 位"),
    ({"rules.A1.rat": "10"}, "的 rules.A1.rat 不是可识别的参数，请检查拼写"),
    ({"rules.A6": {"name": "新规则"}}, "的 rules.A6 不是可识别的参数"),
    ({"rule_order": ["A1", "A9"]}, "的 rule_order 中的“A9”不是本程序能计算的规则"),
    ({"rule_order": ["A1", "A2N", "A2P", "A3E", "A3S", "A3W", "A3C", "A4", "A5I", "A5C", "A5X", "A5F"]},
     "的 rule_order 缺少规则 A5G"),
    ({"rule_order": ["A1", "A1"]}, "的 rule_order 中的“A1”出现了两次"),
    ({"article5.rules": ["A5I", "A9"]}, "的 article5.rules 中的“A9”不是本程序能计算的规则"),
    ({"province_items.境外展会补贴": "A44"}, "的 province_items.境外展会补贴 指向的“A44”不是本程序能计算的规则"),
    ({"province_items.境外展会补贴": "A5X"}, "的 province_items.境外展会补贴 指向的“A5X”不按省级奖励计算"),
    (A4_ITEMS, "的 province_items 中没有指向规则 A4 的省级奖励项目"),
    ({"rules.A5F.requires": "A5Z"}, "的 rules.A5F.requires 指向的“A5Z”不是本程序能计算的其他规则"),
    ({"rules.A5F.requires": "A5F"}, "的 rules.A5F.requires 指向的“A5F”不是本程序能计算的其他规则"),
])
def test_bad_settings_are_refused_naming_file_and_key(tmp_path, changes, expected):
    message = refusal(variant(tmp_path, changes))
    assert message.startswith("政策参数文件“bad.yaml”")
    assert expected in message


def test_a_file_that_is_not_a_mapping(tmp_path):
    assert "不是“键: 值”形式" in refusal(write(tmp_path, "- a\n- b\n"))


def test_parameters_are_typed_and_frozen():
    policy = load_policy(SHIPPED)
    assert policy.rules.A1.rate == Fraction(1, 10) and policy.rules.A1.min_increase_fen == 10_000_000_000
    assert policy.rules.A5I.min_landing_rate == Fraction(1, 2)
    assert policy.rules.A5C.min_import.tonnes == 5_000 and policy.rules.A5C.min_import.unit == "吨"
    assert policy.rules.A5F.requires == "A5X" and policy.rules.A5F.day_count == 360
    assert policy.fund_fen == 2_000_000_000 and policy.article5.cap_fen == 200_000_000
    assert policy.codes.tonnes_per_unit["千克"] == Decimal("0.001")
    assert policy.codes.trade_mode_names.values["一般贸易"] == "0110"
    assert policy.provincial_rules == ("A1", "A2N", "A2P", "A3E", "A3W", "A4")
    with pytest.raises(FrozenInstanceError):
        policy.rules.A1.rate = Fraction(1, 2)
    with pytest.raises(TypeError):
        policy.province_items["境外展会补贴"] = "A1"


def test_decimals_are_exact_and_yaml_octal_is_not_a_number(tmp_path):
    policy = load_policy(variant(tmp_path, {"rules.A3S.rate": 12.5, "rules.A3S.cap": 0.1}, "ok.yaml"))
    assert policy.rules.A3S.rate == Fraction(1, 8) and policy.rules.A3S.cap_fen == 10
    text = variant(tmp_path, {}, "octal.yaml").read_text(encoding="utf-8").replace(
        "deadline_month: 6", "deadline_month: 0o6")
    assert "policy.payout.deadline_month 应为 1 到 12 之间的整数（月份），实际为“0o6”" in refusal(
        write(tmp_path, text, "octal.yaml"))


# --- through the command line: exit 1, file and key named, nothing written, before any input ------

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "input_samples"


def run_process(policy: Path, out: Path, *extra: str, inputs: Path = SAMPLES) -> subprocess.CompletedProcess:
    args = [sys.executable, str(ROOT / "process.py"), "--policy", str(policy), "--input", str(inputs),
            "--output", str(out), "--no-letters", *extra]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("JIXI_DEBUG", None)
    return subprocess.run(args, capture_output=True, text=True, encoding="utf-8", timeout=60, env=env)


CLI_CASES = {
    "missing key": ({"rules.A3S.cap": DELETE}, "缺少参数 rules.A3S.cap"),
    "wrong type": ({"rules.A1.rate": "abc"}, f"的 rules.A1.rate {RATE_TEXT}，实际为“abc”"),
    "negative rate": ({"rules.A1.rate": "-10", "rules.A5X.rate": "-2"}, "的 rules.A1.rate 应为大于 0"),
    "out of range": ({"rules.A5F.day_count": 300}, "的 rules.A5F.day_count 应为一年的计息天数 360 或 365"),
    "unknown rule id": ({"rule_order": ["A1", "A9"]}, "的 rule_order 中的“A9”不是本程序能计算的规则"),
    "A5F requires an unknown rule": ({"rules.A5F.requires": "A5Z"}, "的 rules.A5F.requires 指向的“A5Z”"),
}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_bad_setting_stops_the_run_before_any_input_is_read(tmp_path, case):
    changes, expected = CLI_CASES[case]
    broken_inputs = tmp_path / "in"          # reading these would stop the run with another message
    broken_inputs.mkdir()
    (broken_inputs / "海关数据.xlsx").write_bytes(b"")
    out = tmp_path / "out"
    proc = run_process(variant(tmp_path, changes), out, inputs=broken_inputs)
    assert proc.returncode == 1, proc.stderr
    assert "政策参数文件“bad.yaml”" in proc.stderr and expected in proc.stderr
    assert "程序内部错误" not in proc.stderr and "海关数据.xlsx" not in proc.stderr + proc.stdout
    assert "未生成任何输出" in proc.stderr and not out.exists()


def test_fund_of_minus_one_with_prorate_is_refused(tmp_path):
    out = tmp_path / "out"
    proc = run_process(variant(tmp_path, {"policy.fund.amount": -1}), out, "--budget-mode", "prorate")
    assert proc.returncode == 1
    assert "政策参数文件“bad.yaml”的 policy.fund.amount 应为大于 0 的金额（元，最多两位小数），实际为“-1”" in proc.stderr
    assert "程序内部错误" not in proc.stderr and not out.exists()


@pytest.mark.parametrize("text, expected", [
    (ALIAS_BOMB, "第 1 行（a0）使用了 YAML 锚点或别名"),
    ("policy: !!python/object/apply:os.system [echo pwned]\n", "使用了 YAML 标记“!!python/object/apply:os.system”"),
])
def test_yaml_that_is_not_plain_data_is_refused_at_once(tmp_path, text, expected):
    out = tmp_path / "out"
    start = time.perf_counter()
    proc = run_process(write(tmp_path, text), out)
    assert time.perf_counter() - start < 20          # the interpreter's start; the refusal itself is instant
    assert proc.returncode == 1 and "政策参数文件“bad.yaml”" in proc.stderr and expected in proc.stderr
    assert "pwned" not in proc.stdout + proc.stderr
    assert "程序内部错误" not in proc.stderr and not out.exists()


def test_shipped_parameters_written_another_way_give_the_same_payouts(tmp_path):
    """A variant spelling (a unit beside the fund, rates as numbers, a date unquoted) loads the same."""
    text = SHIPPED.read_text(encoding="utf-8")
    for old, new in [('rate: "10"', "rate: 10"), ('rate: "2"', "rate: 2.0"), ('issued: "2023-08-16"', "issued: 2023-08-16")]:
        assert old in text
        text = text.replace(old, new)
    same = load_policy(write(tmp_path, text, "same.yaml"))
    shipped = load_policy(SHIPPED)
    assert same.rules == shipped.rules and same.meta == shipped.meta and same.codes == shipped.codes


def _shipped_with(procedure: str | None) -> str:
    text = SHIPPED.read_text(encoding="utf-8")
    head = text[:text.index("\nprocedure:")]
    return head + ("\nprocedure:\n" + procedure if procedure is not None else "\n")


def test_procedure_section_is_optional_with_defaults(tmp_path):
    policy = load_policy(write(tmp_path, _shipped_with(None)))
    assert policy.procedure.publicity_working_days == 5 and policy.procedure.telephone == ""
    assert policy.preparer == "鸡西市商务局"          # the first issuing body
    shipped = load_policy(SHIPPED)
    assert shipped.procedure.letter_number_prefix and shipped.preparer == "鸡西市商务局"


@pytest.mark.parametrize("body, key", [
    ("  publicity_working_days: 0\n", "procedure.publicity_working_days"),
    ("  publicity_working_days: 五\n", "procedure.publicity_working_days"),
    ("  telephone: 13800000000\n", "procedure.telephone"),
    ("  fax: \"1\"\n", "procedure"),
])
def test_procedure_values_are_checked(tmp_path, body, key):
    message = refusal(write(tmp_path, _shipped_with(body)))
    assert "bad.yaml" in message and key in message


def test_a_refused_tag_or_alias_names_its_key_as_well_as_its_line(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8").replace(
        "  title: 《2023年度鸡西市支持对外贸易发展的若干措施》", "  title: !!python/object/apply:os.system [echo]")
    message = refusal(write(tmp_path, text))
    assert "第 9 行（policy.title）" in message
    message = refusal(write(tmp_path, "a:\n  b: [1, &x 2, *x]\n"))
    assert "第 2 行（a.b.2）" in message
