"""The jinja2 environment the letter template runs in: sandboxed, and bounded in time and size.

A clerk edits ``templates/notice_letter.docx`` in Word; a broken or hostile template must never
hang or exhaust the run. Rendering happens in this process, so nothing can be stopped from
outside: the template is kept within bounds from inside, at every step it takes.

- **Sandbox**: jinja2's ``ImmutableSandboxedEnvironment`` — no internal attributes, no mutation
  of lists or dicts (``l.extend(l)`` would double a list at each call).
- **Steps and time**: every loop iteration, call, attribute or item lookup, intercepted operator
  and output chunk is a step; a part of a letter (its body, a header…) may take at most
  ``MAX_STEPS`` of them and ``SECONDS_PER_PART`` seconds. Loops are counted by rewriting each
  ``{% for %}`` of the parsed template to iterate through a guard.
- **Sizes, checked before the work where one operation could be huge**: ``range()`` at most
  ``MAX_RANGE`` items; ``**`` and ``*`` on integers at most ``MAX_INT_BITS`` bits; repetition
  (``'x' * n``), concatenation, ``%`` / ``format``, ``replace``, ``join``, ``indent``, ``center``
  estimated before they run; any text, list or mapping a template builds at most ``MAX_VALUE``
  characters or items (nested contents counted); the rendered part at most ``MAX_OUTPUT``.
- **Only what a letter needs**: the filters in ``FILTERS`` (not ``wordwrap``, ``tojson``,
  ``urlize``…, whose output can grow far beyond their input), the string, list and mapping
  methods in ``METHODS``, and no ``lipsum``.

Every refusal is a :class:`TemplateLimitError` with a Chinese reason; letters.py names the template.
"""
from __future__ import annotations

import functools
import itertools
import re
import time
import types
from collections.abc import Iterator, Mapping, Sized

from jinja2 import StrictUndefined, Template, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import _PassArg
from jinja2.visitor import NodeTransformer

MAX_RANGE = 10_000
MAX_INT_BITS = 4_096                 # about 1,200 digits
MAX_VALUE = 1_000_000                # characters or items in one value a template builds
MAX_OUTPUT = 10_000_000              # characters of one rendered part (the body of a letter is ~30,000)
MAX_STEPS = 1_000_000
SECONDS_PER_PART = 2.0

FILTERS = frozenset({
    "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape",
    "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent", "int", "items", "join",
    "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse", "round",
    "safe", "select", "selectattr", "sort", "string", "striptags", "sum", "title", "trim", "truncate", "unique",
    "upper", "wordcount",
})
METHODS = frozenset({
    "capitalize", "center", "count", "endswith", "find", "format", "get", "index", "isdigit", "isspace", "items",
    "join", "keys", "ljust", "lower", "lstrip", "replace", "rfind", "rjust", "rsplit", "rstrip", "split",
    "startswith", "strip", "title", "upper", "values", "zfill",
})
_METHOD_TYPES = (types.BuiltinMethodType, types.MethodWrapperType, types.MethodType)
_DATA_TYPES = (str, bytes, list, tuple, dict, set, frozenset, int, float)
_PERCENT_SPEC = re.compile(r"%[-#0 +]*(\d*|\*)(?:\.(\d*|\*))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*?:([^{}]*)\}")
_NESTED_BRACE = re.compile(r"\{[^{}]*\{")


class TemplateLimitError(SecurityError):
    """The template went beyond a bound; the message (a Chinese reason) follows the template's name."""


def _size(value, limit: int = MAX_VALUE) -> int:
    """Characters or items in ``value``, nested contents included; counting stops just above ``limit``."""
    total, pending = 0, [value]
    while pending and total <= limit:
        item = pending.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, Mapping):
            total += len(item)
            pending.extend(itertools.islice(itertools.chain(item.keys(), item.values()), limit))
        elif isinstance(item, (list, tuple, set, frozenset, range)):
            total += len(item)
            if not isinstance(item, range):
                pending.extend(itertools.islice(item, limit))
        elif isinstance(item, int):
            total += item.bit_length() // 3
        else:
            total += 1
    return total


def _format_estimate(fmt: str, args: tuple, kwargs: dict, spec: re.Pattern) -> int:
    """A bound on the length of ``fmt`` formatted with the arguments (widths and precisions added)."""
    widths = sum(int(n) for match in spec.finditer(fmt) for group in match.groups() if group
                 for n in re.findall(r"\d+", group))
    estimate = len(fmt) + widths + sum(_size(a) for a in (*args, *kwargs.values()))
    if "*" in fmt or _NESTED_BRACE.search(fmt):          # a width taken from the arguments
        estimate += sum(abs(a) for a in (*args, *kwargs.values()) if isinstance(a, int))
    return estimate


def _estimate(name: str, subject, args: tuple, kwargs: dict) -> int:
    """A bound on the size of what the filter or method ``name`` would build (0: nothing to fear)."""
    if name == "replace":
        old, new = (list(args) + [kwargs.get("old", ""), kwargs.get("new", "")])[:2]
        times = str(subject).count(str(old)) if old else len(str(subject)) + 1
        return len(str(subject)) + times * max(0, len(str(new)) - len(str(old)))
    if name == "join":
        items, sep = subject, (list(args) + [kwargs.get("d", "")])[0]
        return _size(items) + len(str(sep)) * (len(items) if isinstance(items, Sized) else _size(items))
    if name == "format" and isinstance(subject, str):
        return _format_estimate(subject, args, kwargs, _PERCENT_SPEC)
    if name == "indent":
        width = (list(args) + [kwargs.get("width", 4)])[0]
        width = width if isinstance(width, int) else len(str(width))
        return len(str(subject)) + (str(subject).count("\n") + 1) * abs(width)
    return 0


def _method_estimate(name: str, subject, args: tuple, kwargs: dict) -> int:
    if name == "format":
        return _format_estimate(str(subject), args, kwargs, _BRACE_SPEC)
    if name == "join":                       # sep.join(items)
        return _estimate("join", args[0] if args else (), (subject,), {})
    return _estimate(name, subject, args, kwargs)


class _GuardLoops(NodeTransformer):
    """Every ``for`` iterates through the ``_loop`` filter; every built text, list or mapping through ``_value``."""

    @staticmethod
    def _through(node: nodes.Expr, name: str) -> nodes.Filter:
        return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)

    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        node.iter = self._through(node.iter, "_loop")
        return node

    def visit_Concat(self, node):
        return self._through(self.generic_visit(node), "_value")

    visit_List = visit_Dict = visit_Concat

    def visit_Tuple(self, node):
        node = self.generic_visit(node)
        return self._through(node, "_value") if node.ctx == "load" else node


class _BoundedTemplate(Template):
    def render(self, *args, **kwargs) -> str:
        """A part of a letter, with a fresh budget of steps and time."""
        self.environment.begin_part()
        return super().render(*args, **kwargs)


class LetterEnvironment(ImmutableSandboxedEnvironment):
    """Sandboxed, bounded jinja2 that also compiles each distinct template text once.

    docxtpl calls ``from_string`` with the whole document XML on every render; the XML of the
    template is the same for every firm, so the compiled template is reused.
    """

    intercepted_binops = frozenset({"**", "*", "+", "%"})
    template_class = _BoundedTemplate

    def __init__(self):
        super().__init__(autoescape=True, keep_trailing_newline=True, undefined=StrictUndefined)
        self._compiled: dict[str, object] = {}
        self.filters = {name: self._bounded_filter(name, func)
                        for name, func in self.filters.items() if name in FILTERS}
        self.filters["_loop"] = self._loop
        self.filters["_value"] = self._value
        self.globals.pop("lipsum", None)
        self.globals["range"] = self._range
        self._steps, self._deadline = 0, float("inf")

    # --- the budget of one rendered part ----------------------------------------------------------

    def begin_part(self) -> None:
        self._steps, self._deadline = 0, time.monotonic() + SECONDS_PER_PART

    def concat(self, parts: Iterator[str]) -> str:
        """Output joined from its chunks: a rendered part, a macro's or a ``{% set %}`` block's."""
        out, length = [], 0
        for chunk in parts:
            self._tick()
            length += len(chunk)
            if length > MAX_OUTPUT:
                raise TemplateLimitError(f"填写后一份通知书超过 {MAX_OUTPUT:,} 个字符")
            out.append(chunk)
        return "".join(out)

    def _tick(self) -> None:
        self._steps += 1
        if self._steps > MAX_STEPS:
            raise TemplateLimitError(f"填写一份通知书的循环和运算超过 {MAX_STEPS:,} 步")
        if time.monotonic() > self._deadline:
            raise TemplateLimitError(f"填写一份通知书超过 {SECONDS_PER_PART:g} 秒仍未完成（可能含有过多的循环或运算）")

    def _checked(self, value, what: str):
        if _size(value) > MAX_VALUE:
            raise TemplateLimitError(f"中的{what}结果过长（超过 {MAX_VALUE:,} 个字符或项）")
        return value

    def _materialized(self, items):
        """A generator's items as a list, stopped once they pass MAX_VALUE; anything else as it is."""
        if not isinstance(items, Iterator):
            return items
        out, total = [], 0
        for item in items:
            self._tick()
            total += _size(item) + 1
            if total > MAX_VALUE:
                raise TemplateLimitError(f"中生成的列表过长（超过 {MAX_VALUE:,} 个字符或项）")
            out.append(item)
        return out

    def _loop(self, iterable):
        for item in iterable:
            self._tick()
            yield item

    def _value(self, value):
        return self._checked(value, "拼接或列表")

    def _range(self, *args):
        values = range(*args)
        if len(values) > MAX_RANGE:
            raise TemplateLimitError(f"中的 range() 要生成 {len(values):,} 项，超过上限 {MAX_RANGE:,} 项")
        return values

    # --- the hooks of the sandbox -------------------------------------------------------------

    def _parse(self, source, name, filename):
        return _GuardLoops().visit(super()._parse(source, name, filename))

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = super().from_string(source)
            self._compiled[source] = template
        return template

    def getattr(self, obj, attribute):
        self._tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        self._tick()
        return super().getitem(obj, argument)

    def call_binop(self, context, operator, left, right):
        self._tick()
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 \
                and abs(left) > 1 and right * left.bit_length() > MAX_INT_BITS:
            raise TemplateLimitError(f"中的乘方运算（**）结果超过 {MAX_INT_BITS:,} 位二进制数")
        if operator == "*":
            if isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                    raise TemplateLimitError(f"中的乘法运算（*）结果超过 {MAX_INT_BITS:,} 位二进制数")
            elif isinstance(left, int) or isinstance(right, int):
                times, seq = (left, right) if isinstance(left, int) else (right, left)
                if times > 0 and times * _size(seq) > MAX_VALUE:
                    raise TemplateLimitError(f"中的重复运算（*）结果过长（约 {times * _size(seq):,} 个字符或项，"
                                             f"上限 {MAX_VALUE:,}）")
        if operator == "+" and not isinstance(left, (int, float)) and _size(left) + _size(right) > MAX_VALUE:
            raise TemplateLimitError(f"中的拼接运算（+）结果过长（超过 {MAX_VALUE:,} 个字符或项）")
        if operator == "%" and isinstance(left, str) \
                and _format_estimate(left, right if isinstance(right, tuple) else (right,), {},
                                     _PERCENT_SPEC) > MAX_VALUE:
            raise TemplateLimitError(f"中的格式化运算（%）结果过长（超过 {MAX_VALUE:,} 个字符）")
        return self._checked(super().call_binop(context, operator, left, right), f"“{operator}”运算")

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805  (jinja2's signature)
        __self._tick()
        args = tuple(__self._materialized(a) for a in args)
        target = getattr(__obj, "__wrapped__", __obj)     # str.format comes wrapped by the sandbox
        if isinstance(target, _METHOD_TYPES) and isinstance(target.__self__, _DATA_TYPES):
            name = target.__name__
            if name not in METHODS:
                raise TemplateLimitError(f"调用了不允许的“{name}”")
            __self._check_arguments(name, args, kwargs)
            if _method_estimate(name, target.__self__, args, kwargs) > MAX_VALUE:
                raise TemplateLimitError(f"中的“{name}”结果过长（超过 {MAX_VALUE:,} 个字符或项）")
        return __self._checked(super().call(__context, __obj, *args, **kwargs), "调用")

    def _check_arguments(self, name: str, args: tuple, kwargs: dict) -> None:
        if name == "format":
            return                                         # numbers to print, not sizes (estimated instead)
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and abs(value) > MAX_VALUE:
                raise TemplateLimitError(f"中“{name}”的参数 {value:,} 过大（上限 {MAX_VALUE:,}）")

    def _bounded_filter(self, name: str, func):
        skip = 0 if _PassArg.from_obj(func) is None else 1  # a context, eval context or environment first

        @functools.wraps(func)
        def bounded(*args, **kwargs):
            self._tick()
            value, rest = (args[skip], args[skip + 1:]) if len(args) > skip else (None, ())
            self._check_arguments(name, rest, kwargs)
            if name == "sum" and not isinstance(kwargs.get("start", rest[1] if len(rest) > 1 else 0), (int, float)):
                raise TemplateLimitError("中的 sum 只能用于数字")
            if isinstance(value, Iterator):             # a generator (map, select…) built within bounds
                value = self._materialized(value)
                args = (*args[:skip], value, *rest)
            if _estimate(name, value, rest, kwargs) > MAX_VALUE:
                raise TemplateLimitError(f"中的“{name}”结果过长（超过 {MAX_VALUE:,} 个字符或项）")
            return self._checked(func(*args, **kwargs), f"“{name}”")
        return bounded

