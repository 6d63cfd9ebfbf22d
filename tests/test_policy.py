"""The policy file: plain YAML data only (INPUTS.md "Fail closed": bad settings are refused)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

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
    ("a: 1\na: 2\n", "键“a”重复出现"),
    ("? [a, b]\n: 1\n", "键只能是文字"),
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
