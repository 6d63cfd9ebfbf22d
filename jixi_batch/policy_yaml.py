"""The policy file read as plain data: mappings, lists, text and numbers, nothing else.

A policy file is edited by hand and may come from anywhere, so YAML's programming features are
refused where they are first met, before anything is built from them: tags (``!!python/object``,
``!!binary``, ``!foo``), anchors and aliases (``&a`` / ``*a``: an alias bomb expands a few lines
into billions of nodes), merge keys (``<<``), keys written twice, non-text keys and deep nesting.
The file size is capped. Numbers keep the text they were written in: a decimal (``2.5``) becomes
a ``Decimal``, never a binary float; an integer is plain decimal digits (YAML 1.1 would read
``0110`` as octal 72, ``1:30`` as 90): anything else stays text, for the checks to refuse.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, ScalarNode

MAX_BYTES = 1 << 20          # a policy file is about 15 KB; anything near 1 MB is not one
MAX_DEPTH = 16               # the shipped file nests 4 deep
_YAML_TAG = "tag:yaml.org,2002:"
_DECIMAL_INT = re.compile(r"[-+]?[0-9][0-9_]*")


class NotPlainData(Exception):
    """The file is not plain YAML data; ``reason`` is Chinese, ``line`` 1-based (or None), ``key`` the
    dotted path of the value it is in (``policy.title``), when known."""

    def __init__(self, reason: str, line: int | None = None, key: str = ""):
        super().__init__(reason)
        self.reason, self.line, self.key = reason, line, key


def _line(mark) -> int | None:
    return mark.line + 1 if mark is not None else None


def _shown_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else tag


class PlainDataLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that raises :class:`NotPlainData` on any tag, anchor, alias or merge key."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._path: list[str] = []          # the keys (and list positions) leading to the node composed

    def _refuse(self, reason: str, event) -> NotPlainData:
        return NotPlainData(reason, _line(event.start_mark), ".".join(self._path))

    def compose_node(self, parent, index):
        event = self.peek_event()
        # a mapping's value comes with its key node as ``index``; a list item with its position
        step = index.value if isinstance(index, ScalarNode) else (str(index + 1) if isinstance(index, int) else None)
        if step is not None:
            self._path.append(step)
        try:
            if isinstance(event, AliasEvent) or event.anchor is not None:
                raise self._refuse("使用了 YAML 锚点或别名（& 或 *），政策参数文件只能直接写出每个值", event)
            if isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.tag is not None:
                raise self._refuse(f"使用了 YAML 标记“{_shown_tag(event.tag)}”，政策参数文件只能写文字和数字", event)
            if isinstance(event, ScalarEvent) and event.value == "<<" and event.implicit[0]:
                raise self._refuse("使用了 YAML 合并键“<<”，政策参数文件只能直接写出每个值", event)
            self._depth += 1
            try:
                if self._depth > MAX_DEPTH:
                    raise self._refuse(f"嵌套超过 {MAX_DEPTH} 层", event)
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        finally:
            if step is not None:
                self._path.pop()

    def construct_mapping(self, node: MappingNode, deep: bool = False):
        seen = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode):
                raise NotPlainData("使用了不是文字的键", _line(key_node.start_mark))
            if key_node.value in seen:
                raise NotPlainData(f"出现了重复的键“{key_node.value}”", _line(key_node.start_mark))
            seen.add(key_node.value)
        return super().construct_mapping(node, deep)

    def construct_plain_int(self, node):
        text = self.construct_scalar(node)
        return int(text.replace("_", "")) if _DECIMAL_INT.fullmatch(text) else text

    def construct_decimal(self, node):
        text = self.construct_scalar(node)
        try:
            return Decimal(text.replace("_", ""))
        except InvalidOperation:
            return text


PlainDataLoader.add_constructor(_YAML_TAG + "int", PlainDataLoader.construct_plain_int)
PlainDataLoader.add_constructor(_YAML_TAG + "float", PlainDataLoader.construct_decimal)


def load_plain_yaml(path: Path):
    """The data of the YAML file at ``path``. OSError when it cannot be read; NotPlainData otherwise."""
    with open(path, "rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise NotPlainData(f"超过 {MAX_BYTES // 1024 // 1024} MB，不是政策参数文件")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotPlainData("不是 UTF-8 编码，请用记事本“另存为”UTF-8 编码后再试") from None
    try:
        return yaml.load(text, Loader=PlainDataLoader)
    except RecursionError:
        raise NotPlainData(f"嵌套超过 {MAX_DEPTH} 层") from None
    except yaml.MarkedYAMLError as exc:
        raise NotPlainData("格式有误（YAML 语法错误），请检查缩进、冒号和引号",
                           _line(exc.problem_mark or exc.context_mark)) from None
    except yaml.YAMLError:
        raise NotPlainData("格式有误（YAML 语法错误），请检查缩进、冒号和引号") from None
