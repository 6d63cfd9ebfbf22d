"""The notice letters 通知书/ (OUTPUTS.md "The notice letters", "Letters ready to send").

One Word letter per firm with 兑现金额 > 0, named ``<序号>_<企业名称>.docx``, and one combined file
``全部通知书.docx`` of the letters ready to send, each letter a section of its own (page numbers
restart at 1; with ``duplex`` it starts on an odd page). A 暂缓拨付 firm's letter is a draft, marked
草稿 in the letter, written to ``通知书/暂缓拨付/`` and never put in the combined file. Letters are
rendered with docxtpl from ``templates/notice_letter.docx`` (a clerk may edit it in Word/WPS) in a
sandboxed jinja2 environment bounded in steps, time and size (letter_sandbox.py), so an edited
template cannot run code, hang or exhaust the run; every value is escaped, so a firm name such as
``A<b>&"公司`` prints as written. Whatever stops a template stops the run with a message naming the
template. The writer computes nothing new: amounts, explanations and deductions come from the capped
lines and the firm summary of the ``RunResult``; the 计算说明 is reworded for a letter (letter_wording).
"""
from __future__ import annotations

import copy
import errno
import io
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from docx import Document
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError
from lxml import etree
from tqdm import tqdm

from .capitals import to_capital_yuan
from .letter_sandbox import LetterEnvironment, TemplateLimitError
from .model import RunResult
from .money import format_yuan
from .policy import Policy
from .safe_names import safe_file_name

COMBINED_NAME = "全部通知书.docx"
MAX_TEMPLATE_BYTES = 64 << 20       # the template's parts unpacked (a zip bomb is refused before it is opened)
PROGRESS_DESC = "生成通知书"
FONTS_CONF = Path(__file__).resolve().parent.parent / "templates" / "fonts.conf"
MIN_FREE_FOR_PDF = 1 << 20          # bytes free below which a failed PDF conversion is put down to a full disk

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_W = f"{{{W_NS}}}"

# Characters XML 1.0 cannot hold (a stray \x0b from Excel would break the document).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class LetterTemplateError(ValueError):
    """The letter template cannot be used; the message is for the clerk (Chinese)."""


# --- small text helpers --------------------------------------------------------------------------

def _text(value) -> str:
    """Text of a cell value for a letter: '' for None/NaN, XML-invalid characters removed."""
    if value is None:
        return ""
    try:
        if value != value:          # NaN, pd.NA raises TypeError
            return ""
    except (TypeError, ValueError):
        return ""
    return _XML_INVALID.sub("", str(value)).strip()


def chinese_date(day: date) -> str:
    """date(2024, 4, 5) -> '2024年4月5日'."""
    return f"{day.year}年{day.month}月{day.day}日"


def payout_deadline(policy: Policy, year: int) -> str:
    """Last day of the payout month of Y+offset (article 7: 次年6月底) -> '2024年6月30日'."""
    return chinese_date(policy.meta.payout.deadline(year))


def policy_title(policy: Policy) -> str:
    title = _text(policy.title)
    if title and not title.startswith("《"):
        title = f"《{title}》"
    return title


# --- wording: what the letter says, as a bureau writes it ---------------------------------------

_N = r"-?[0-9][0-9,]*(?:\.[0-9]+)?"          # a figure as format_yuan and the quantity texts write it
_CJK_PUNCT = {"(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！"}
# phrases of the workbook's 计算说明 reworded for a letter, applied in order once the spaces are gone
_REWORDINGS: list[tuple[re.Pattern, str]] = [(re.compile(pattern), replacement) for pattern, replacement in (
    # thresholds and comparisons (the 计算说明 of a table cell keeps ≥, as OUTPUTS.md writes it)
    (rf"需≥({_N}[^，；。（）]*)", r"需达到\1（含）以上"),
    (rf"需>({_N}[^，；。（）]*)", r"需超过\1"),
    (rf"≥({_N}[^，；。（）]*?)(?=[，；。（）]|$)", r"，达到\1（含）以上标准"),
    (rf"≤({_N}[^，；。（）]*?)(?=[，；。（）]|$)", r"，未超过\1"),
    (rf">({_N}[^，；。（）]*?)(?=[，；。（）]|$)", r"，超过\1"),
    (rf"<({_N}[^，；。（）]*?)(?=[，；。（）]|$)", r"，低于\1"),
    # English
    (r"LPR", "贷款市场报价利率"),
)]
# whatever symbol a new explanation might still hold, in words
_SYMBOL_WORDS = {"≥": "不低于", "≤": "不超过", ">": "超过", "<": "低于", "=": "为", "+": "加", "−": "减",
                 "×": "乘以", "*": "乘以", "÷": "除以", "/": "每"}
_SPACE = re.compile(r" +")
_HALF_PUNCT = re.compile(r"[():;?!]|,(?![0-9]{3})|(?<![0-9]),")


def _drop_spaces(text: str) -> str:
    """Spaces go, except between two Latin letters (a name such as 'ABC Trading' keeps its own)."""
    def keep(match: re.Match) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        return " " if before.isascii() and before.isalpha() and after.isascii() and after.isalpha() else ""
    return _SPACE.sub(keep, text)


def letter_wording(text: str) -> str:
    """A 计算说明 of the workbook as a letter says it: no arithmetic symbols, full-width punctuation,
    no stray spaces, no English abbreviation.

    '本地加工产品出口额 8,234,000.00 元 ≥ 5,000,000 元，按 2% 计 164,680.00 元' ->
    '本地加工产品出口额8,234,000.00元，达到5,000,000元（含）以上标准，按2%计164,680.00元'.
    Figures keep their digits, thousands separators and decimal point; 2% stays as written.
    """
    text = _drop_spaces(_text(text).replace("\u3000", " "))
    text = _HALF_PUNCT.sub(lambda m: "，" if m.group() == "," else _CJK_PUNCT[m.group()], text)
    for pattern, replacement in _REWORDINGS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"[≥≤<>=+−×*÷/]", lambda m: _SYMBOL_WORDS[m.group()], text)
    text = re.sub(r"(?<=[^0-9A-Za-z])-(?=[^0-9])|(?<=[^0-9A-Za-z])-$", "减", text)
    return re.sub(r"，{2,}", "，", text.replace("（，", "（")).strip("，")


# --- contexts ------------------------------------------------------------------------------------

DEDUCTION_KINDS = (("从高不重复抵扣", "offset_fen"), ("第五条封顶核减", "art5_cut_fen"), ("预算核减", "budget_cut_fen"))
HOLD = "暂缓拨付"          # the 状态 whose letter is a draft (review_levels.LEVEL_HOLD)
DRAFTS_DIR = HOLD          # 通知书/暂缓拨付/


def _deductions(firm_lines: list[dict], policy: Policy, fund_fen: int) -> list[str]:
    """The deductions applied to one firm, in plain words, one clause each (empty when none):
    从高不重复抵扣, 第五条封顶核减, 预算核减. The template joins them into one sentence."""
    items = []
    for line in firm_lines:
        if line["offset_fen"] > 0:
            items.append(f"{line['rule_name']}测算金额{format_yuan(line['computed_fen'])}元，按照“从高不重复”原则，"
                         f"抵扣你单位已享受的同类奖励{format_yuan(line['offset_fen'])}元")
    art5_cut = sum(line["art5_cut_fen"] for line in firm_lines)
    if art5_cut > 0:
        art5_rules = set(policy.article5.rules)
        art5_sum = sum(line["computed_fen"] - line["offset_fen"] for line in firm_lines if line["rule_id"] in art5_rules)
        items.append(f"第五条各项奖励合计{format_yuan(art5_sum)}元，超过每户企业最高奖励"
                     f"{format_yuan(policy.article5.cap_fen)}元，按比例核减{format_yuan(art5_cut)}元")
    budget_cut = sum(line["budget_cut_fen"] for line in firm_lines)
    if budget_cut > 0:
        fund_text = f"专项资金{format_yuan(fund_fen)}元" if fund_fen else "专项资金"
        items.append(f"{fund_text}不足以全额兑现全部奖励，各项奖励按同一比例压减，"
                     f"你单位核减{format_yuan(budget_cut)}元")
    return items


def letter_number(policy: Policy, issue_date: date, seq: int) -> str:
    """编号 (发文字号, GB/T 9704 7.2.4): prefix + 〔year of issue〕 + 序号 + 号, e.g. 鸡商外贸奖〔2024〕3号.

    The year is the year the letter is issued (--issue-date), as in every 发文字号 — Y+1 for a payout
    made by the end of June of Y+1 —, not the policy year, which the title names. The 序号 is the firm's
    in 企业汇总, not padded (9704: 不编虚位). No prefix in the policy file: no number."""
    prefix = _text(policy.procedure.letter_number_prefix)
    return f"{prefix}〔{issue_date.year}〕{seq}号" if prefix else ""


def contact_note(policy: Policy) -> str:
    """'联系人：张三，联系电话：0467-2345678' from the policy file ('' when neither is set)."""
    person, phone = _text(policy.procedure.contact_person), _text(policy.procedure.telephone)
    parts = ([f"联系人：{person}"] if person else []) + ([f"联系电话：{phone}"] if phone else [])
    return "，".join(parts)


def _hold_reasons(review) -> dict[str, list[str]]:
    """code -> the 类别 of the 暂缓拨付 review rows naming the firm, first seen first."""
    reasons: dict[str, list[str]] = {}
    if review is None or len(review) == 0 or not {"级别", "类别", "统一社会信用代码"} <= set(review.columns):
        return reasons
    held = review[review["级别"] == HOLD]
    for code, category in zip(held["统一社会信用代码"].astype(str), held["类别"].astype(str)):
        found = reasons.setdefault(code, [])
        if category not in found:
            found.append(category)
    return reasons


def letter_contexts(result: RunResult, issue_date: date | None = None) -> list[dict]:
    """One template context per firm with 兑现金额 > 0, in 序号 order."""
    policy = result.policy
    issued = issue_date or result.issue_date or date.today()
    common = {
        "year": int(result.year),
        "policy_title": policy_title(policy),
        "policy_issuer": _text(policy.meta.issuer),
        "deadline": payout_deadline(policy, result.year),
        "issue_date": chinese_date(issued),
        "issuing_bodies": [_text(body) for body in policy.meta.issuing_bodies],
        "contact_note": contact_note(policy),
    }
    firms = result.firms
    if firms is None or len(firms) == 0:
        return []
    paid = firms[firms["payout_fen"] > 0].sort_values("seq", kind="stable")
    lines_by_code: dict[str, list[dict]] = {}
    if result.lines is not None and len(result.lines):
        for line in result.lines.to_dict("records"):
            lines_by_code.setdefault(line["code"], []).append(line)
    held_for = _hold_reasons(result.review)
    contexts = []
    for firm in paid.to_dict("records"):
        firm_lines = [line for line in lines_by_code.get(firm["code"], [])
                      if line["computed_fen"] != 0 or line["approved_fen"] != 0]
        payout = int(firm["payout_fen"])
        bank, account = _text(firm.get("bank")), _text(firm.get("account"))
        missing = [label for label, value in (("开户银行", bank), ("银行账号", account)) if not value]
        draft = _text(firm.get("status")) == HOLD
        contexts.append({
            **common,
            "seq": int(firm["seq"]),
            "number": letter_number(policy, issued, int(firm["seq"])),
            "draft": draft,
            "hold_reasons": ("、".join(held_for.get(_text(firm["code"]), [])) or "待核查") if draft else "",
            "firm_name": _text(firm["name"]),
            "code": _text(firm["code"]),
            "lines": [{
                "rule_id": _text(line["rule_id"]),
                "rule_name": _text(line["rule_name"]),
                "article": _text(line["article"]),
                "explanation": letter_wording(line["explanation"]),
                "amount": format_yuan(line["approved_fen"]),
                "computed": format_yuan(line["computed_fen"]),
            } for line in firm_lines],
            "deductions": _deductions(firm_lines, policy, int(result.fund_fen or 0)),
            "deducted": format_yuan(sum(line["computed_fen"] - line["approved_fen"] for line in firm_lines)),
            "deduction_kinds": "、".join(kind for kind, column in DEDUCTION_KINDS
                                        if any(line[column] > 0 for line in firm_lines)),
            "total": format_yuan(payout),
            "total_capital": to_capital_yuan(payout),
            "has_account": not missing,
            "bank": bank,
            "account": account,
            "missing_account": "和".join(missing),
            "address": _text(firm.get("address")),
            "contact": _text(firm.get("contact")),
            "phone": _text(firm.get("phone")),
        })
    return contexts


# --- rendering -----------------------------------------------------------------------------------

def _read_template(template: Path) -> bytes:
    """The template's bytes: a Word document whose parts, unpacked, stay within MAX_TEMPLATE_BYTES."""
    head = f"通知书模板“{template.name}”"
    try:
        data = template.read_bytes()
    except FileNotFoundError:
        raise LetterTemplateError(f"找不到通知书模板：{template}") from None
    except OSError as exc:
        raise LetterTemplateError(f"{head}无法读取（{exc.strerror or exc.__class__.__name__}）：{template}") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
            is_word = _FastRenderer.DOCUMENT in zf.namelist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        is_word, unpacked = False, 0
    if not is_word:
        raise LetterTemplateError(f"{head}不是 Word（.docx）文件：{template}")
    if unpacked > MAX_TEMPLATE_BYTES:
        raise LetterTemplateError(f"{head}过大（展开后超过 {MAX_TEMPLATE_BYTES >> 20} MB），"
                                  "请删去其中过大的图片后另存再试")
    return data


def _render(data: bytes, context: dict, env: LetterEnvironment, template: Path) -> DocxTemplate:
    """Full docxtpl render of one letter (used when the fast renderer cannot be)."""
    doc = DocxTemplate(io.BytesIO(data))
    with _template_errors(template):
        doc.render(context, jinja_env=env, autoescape=True)
    return doc


class _ZipTemplate:
    """The template's zip entries, compressed once, written again with document.xml replaced.

    Compressing the template's style parts (hundreds of KB in a python-docx or Word template) for
    every letter was most of the time a letter took; the entries that do not change are copied as
    compressed bytes. The output is a plain zip (deflate, no zip64: letters are small).
    """

    def __init__(self, data: bytes):
        now = datetime.now()
        self.dos_time = (now.hour << 11) | (now.minute << 5) | (now.second // 2)
        self.dos_date = ((max(now.year, 1980) - 1980) << 9) | (now.month << 5) | now.day
        self.entries: list[tuple[str, bytes | None]] = []
        self.packed: dict[str, tuple[int, int, bytes]] = {}
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                raw = zf.read(info.filename)
                self.entries.append((info.filename, raw))
                self.packed[info.filename] = self._pack(raw)

    @staticmethod
    def _pack(raw: bytes) -> tuple[int, int, bytes]:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return zlib.crc32(raw), len(raw), compressor.compress(raw) + compressor.flush()

    def write(self, path: Path, replace: dict[str, bytes]) -> None:
        local, central, offset = [], [], 0
        for name, _ in self.entries:
            crc, size, packed = self._pack(replace[name]) if name in replace else self.packed[name]
            encoded = name.encode("utf-8")
            flags = 0 if encoded.isascii() else 0x800
            header = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, flags, 8, self.dos_time, self.dos_date,
                                 crc, len(packed), size, len(encoded), 0)
            local += [header, encoded, packed]
            central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, flags, 8, self.dos_time,
                                       self.dos_date, crc, len(packed), size, len(encoded), 0, 0, 0, 0, 0, offset)
                           + encoded)
            offset += len(header) + len(encoded) + len(packed)
        directory = b"".join(central)
        end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
        Path(path).write_bytes(b"".join(local) + directory + end)


_TAG_BYTES = (b"{{", b"{%", b"{#")
_BODY = re.compile(r"<w:body[ >].*</w:body>", re.DOTALL)


class _FastRenderer:
    """Renders a template whose tags are all in the document body, compiling it once.

    It does what docxtpl's render does for the body (the same patch_xml and post-processing),
    but once per template instead of once per letter, and writes the letter zip directly.
    ``create`` returns None when the template needs docxtpl's full render (tags in headers,
    footers, footnotes or document properties, or column loops ``{%tc``): then every letter
    is rendered with docxtpl.
    """

    DOCUMENT = "word/document.xml"

    def __init__(self, tpl: DocxTemplate, zipped: _ZipTemplate, compiled, head: str, tail: str):
        self.tpl, self.zipped, self.compiled, self.head, self.tail = tpl, zipped, compiled, head, tail

    @classmethod
    def create(cls, data: bytes, env: LetterEnvironment) -> "_FastRenderer | None":
        zipped = _ZipTemplate(data)
        parts = dict(zipped.entries)
        if cls.DOCUMENT not in parts:
            return None
        for name, raw in parts.items():
            if name != cls.DOCUMENT and name.endswith(".xml") and any(tag in raw for tag in _TAG_BYTES):
                return None
        document = parts[cls.DOCUMENT].decode("utf-8")
        match = _BODY.search(document)
        if match is None:
            return None
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.render_init()
        source = tpl.patch_xml(tpl.get_xml())
        if "{%tc" in source or "{%-tc" in source:
            return None
        compiled = env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", source))
        return cls(tpl, zipped, compiled, document[:match.start()], document[match.end():])

    def render(self, context: dict) -> str:
        """The rendered <w:body> element as XML text (as docxtpl's render_xml_part makes it)."""
        xml = self.compiled.render(context)
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if any(char in xml for char in "\t\n\a\f"):
            xml = self.tpl.resolve_listing(xml)
        return xml

    def save(self, body_xml: str, path: Path) -> None:
        document = (self.head + body_xml + self.tail).encode("utf-8")
        self.zipped.write(path, {self.DOCUMENT: document})


def _template_errors(template: Path):
    """Context manager: whatever goes wrong while the template is compiled or filled in becomes a
    LetterTemplateError naming the template, in Chinese."""
    return _TemplateErrors(template)


class _TemplateErrors:
    def __init__(self, template: Path):
        self.template = template

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None or isinstance(exc, LetterTemplateError) or not isinstance(exc, Exception):
            return False
        raise LetterTemplateError(_template_message(self.template.name, exc)) from exc


_STOP = "，已停止生成通知书。"


def _template_message(name: str, exc: Exception) -> str:
    head = f"通知书模板“{name}”"
    if isinstance(exc, TemplateLimitError):
        return f"{head}{exc}{_STOP}请修改模板后重新运行。"
    if isinstance(exc, SecurityError):
        return f"{head}使用了不允许的写法（只能读取通知书字段，不能访问程序内部或修改数据）{_STOP}"
    if isinstance(exc, UndefinedError):
        found = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", str(exc))
        field = f"“{found.group(1) or found.group(2)}”" if found else ""
        return f"{head}使用了未知字段{field}{_STOP}可用字段见 README“通知书模板”一节。"
    if isinstance(exc, TemplateSyntaxError):
        return (f"{head}的标签写法有误{_near(exc)}{_STOP}"
                "请在 Word 中检查 {{ }} 和 {% %} 标签是否成对、拼写是否正确。")
    reason = {RecursionError: "中的宏调用自身的层数过多", ZeroDivisionError: "中的运算除数为零",
              OverflowError: "中的运算数值过大", MemoryError: "中的运算所需内存过多"}.get(
        type(exc), "填写时出错（运算或字段的类型不符）")
    return f"{head}{reason}{_STOP}"


def _near(exc: TemplateSyntaxError) -> str:
    """'（出错处附近：“…”）': the text of the line the error is on, without its XML."""
    lines = (exc.source or "").splitlines()
    if not exc.lineno or exc.lineno > len(lines):
        return ""
    text = " ".join(re.sub(r"<[^>]+>", "", lines[exc.lineno - 1]).split())
    return f"（出错处附近：“{text[:60]}”）" if text else ""


GLUE = "\u2060"              # WORD JOINER: no line break here (UAX #14; LibreOffice honours it, U+200D it does not)
TAIL_CHARS = 5                # a paragraph's last line holds at least this many characters
MIN_GLUED = 16                # shorter paragraphs (a date, a table cell) are left alone
_DATE = re.compile(r"[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日")
_CENTRED = etree.XPath("boolean(w:pPr/w:jc[@w:val='center'])", namespaces={"w": W_NS})
_IN_TABLE = etree.XPath("boolean(ancestor::w:tc)", namespaces={"w": W_NS})


def _glue_units(date_text: str) -> str:
    """'2024年6月30日' with each figure glued to its unit: a line may break after 年 or 月, never
    between 6 and 月."""
    return re.sub(r"([0-9])([年月日])", rf"\1{GLUE}\2", date_text)


def _keep_tail_together(paragraph) -> None:
    """Glue the last TAIL_CHARS characters of a paragraph together, so its last line never holds a
    character or two alone (“整）。”, “户：”), and keep each figure of a date with its unit (never
    “2024年6” at the end of a line and “月30日” on the next): a word joiner between each pair of
    characters where a line could break (not inside a run of Latin letters and figures, which never
    breaks). A centred paragraph (a title) and a table cell (a narrow column, where a glued tail
    would strand the character before it) keep their own breaks."""
    texts = [t for t in paragraph.iter(f"{_W}t") if t.text]
    for node in texts:
        if _DATE.search(node.text):
            node.text = _DATE.sub(lambda m: _glue_units(m.group()), node.text)
    chars = [(node, i) for node in texts for i in range(len(node.text)) if node.text[i] != GLUE]
    if len(chars) < MIN_GLUED or _CENTRED(paragraph) or _IN_TABLE(paragraph):
        return
    inserts: dict = {}
    for (left_node, li), (node, i) in zip(chars[-TAIL_CHARS:-1], chars[-TAIL_CHARS + 1:]):
        left, right = left_node.text[li], node.text[i]
        if (left.isascii() and right.isascii()) or (i and node.text[i - 1] == GLUE) or \
                (node is not left_node and left_node.text.endswith(GLUE)):
            continue
        inserts.setdefault(node, []).append(i)
    for node, positions in inserts.items():
        text = node.text
        for i in sorted(positions, reverse=True):
            text = text[:i] + GLUE + text[i:]
        node.text = text


def keep_tails_together(body) -> None:
    """_keep_tail_together for every paragraph of a rendered letter body."""
    for paragraph in body.iter(f"{_W}p"):
        _keep_tail_together(paragraph)


def _parse_body(xml: str, template: Path):
    try:
        return etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise LetterTemplateError(f"通知书模板“{template.name}”填写后不是有效的 Word 内容{_STOP}"
                                  "请检查标签是否拆开了 Word 的段落或表格。") from exc


_ID_NAMESPACES = {"w": W_NS, "w14": W14_NS}
_BOOKMARKS = etree.XPath(".//w:bookmarkStart | .//w:bookmarkEnd", namespaces=_ID_NAMESPACES)
_WITH_IDS = etree.XPath("descendant-or-self::*[@w14:paraId or @w14:textId]", namespaces=_ID_NAMESPACES)


def _strip_unique_ids(elements: list) -> None:
    """Bookmarks and Word's paragraph ids must be unique in one document: drop them from copies."""
    for element in elements:
        for mark in _BOOKMARKS(element):
            mark.getparent().remove(mark)
        for node in _WITH_IDS(element):
            for attr in (f"{{{W14_NS}}}paraId", f"{{{W14_NS}}}textId"):
                node.attrib.pop(attr, None)


# CT_SectPr's children in schema order, and CT_PPr's children that may follow a w:sectPr
_SECT_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
               "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")


def _sect_child(sect_pr, name: str, **attrs: str) -> None:
    """Set a child of w:sectPr (w:type, w:pgNumType), added in its schema place when missing."""
    child = sect_pr.find(f"{_W}{name}")
    if child is None:
        child = etree.Element(f"{_W}{name}")
        later = {f"{_W}{tag}" for tag in _SECT_ORDER[_SECT_ORDER.index(name) + 1:]}
        following = next((c for c in sect_pr if c.tag in later), None)
        if following is not None:
            following.addprevious(child)
        else:
            sect_pr.append(child)
    for key, value in attrs.items():
        child.set(f"{_W}{key}", value)


def _empty_paragraph():
    """A paragraph one point high, to end a letter whose body ends with a table."""
    paragraph = etree.Element(f"{_W}p")
    ppr = etree.SubElement(paragraph, f"{_W}pPr")
    etree.SubElement(ppr, f"{_W}spacing").attrib.update({f"{_W}line": "20", f"{_W}lineRule": "exact",
                                                         f"{_W}before": "0", f"{_W}after": "0"})
    return paragraph


class _Combined:
    """The combined file: the template's document with every ready letter's body, one after another.

    Each letter is a section of its own whose page numbers restart at 1: the section break sits in
    the letter's last paragraph, a copy of the template's w:sectPr (same page, margins, footers).
    A section starts on a new page, or with ``duplex`` on an odd page, so that printed on both sides
    no sheet carries two firms (Word, WPS and LibreOffice add the blank page where one is needed).
    """

    def __init__(self, data: bytes, duplex: bool = False):
        self.doc = Document(io.BytesIO(data))
        self.body = self.doc.element.body
        self.sect_pr = self.body.find(f"{_W}sectPr")
        if self.sect_pr is None:
            self.sect_pr = etree.SubElement(self.body, f"{_W}sectPr")
        _sect_child(self.sect_pr, "pgNumType", start="1")
        self.start = "oddPage" if duplex else "nextPage"
        # Templates saved by Word carry bookmarks and w14:paraId; python-docx-built ones do not.
        self.has_ids = bool(_BOOKMARKS(self.body) or _WITH_IDS(self.body))
        for child in list(self.body):
            if child is not self.sect_pr:
                self.body.remove(child)
        self.count = 0
        self.last_paragraph = None

    def _end_section(self) -> None:
        """Close the letter added last with a section break (a copy of the template's sectPr)."""
        sect_pr = copy.deepcopy(self.sect_pr)
        _sect_child(sect_pr, "type", val=self.start if self.count > 1 else "nextPage")
        ppr = self.last_paragraph.find(f"{_W}pPr")
        if ppr is None:
            ppr = etree.Element(f"{_W}pPr")
            self.last_paragraph.insert(0, ppr)
        for old in ppr.findall(f"{_W}sectPr"):
            ppr.remove(old)
        change = ppr.find(f"{_W}pPrChange")
        if change is not None:
            change.addprevious(sect_pr)
        else:
            ppr.append(sect_pr)

    def add(self, body) -> None:
        """Append the content of a rendered <w:body> (its final sectPr stays the template's)."""
        elements = [child for child in body if child.tag != f"{_W}sectPr"]
        if self.count:
            if self.has_ids:
                _strip_unique_ids(elements)
            self._end_section()
        if not elements or elements[-1].tag != f"{_W}p":
            elements.append(_empty_paragraph())
        for element in elements:
            self.sect_pr.addprevious(element)
        self.last_paragraph = elements[-1]
        self.count += 1

    def save(self, path: Path) -> None:
        _sect_child(self.sect_pr, "type", val=self.start if self.count > 1 else "nextPage")
        for number, doc_pr in enumerate(self.body.iter(f"{{{WP_NS}}}docPr"), start=1):
            doc_pr.set("id", str(number))
        _save(self.doc, path)


def _save(doc, path: Path) -> None:
    """Save a python-docx or docxtpl document: packed in memory, written in one go, so a full
    disk leaves no open zip to fail again when collected ("Exception ignored" on stderr)."""
    packed = io.BytesIO()
    doc.save(packed)
    Path(path).write_bytes(packed.getbuffer())


@dataclass
class LettersWritten:
    """What write_letters wrote: the letters ready to send (and the combined file of them), and the
    drafts of 暂缓拨付 firms in 通知书/暂缓拨付/."""

    ready: list[Path] = field(default_factory=list)
    drafts: list[Path] = field(default_factory=list)
    combined: Path | None = None
    duplex: bool = False

    @property
    def paths(self) -> list[Path]:
        """Every file written: ready letters, drafts, the combined file last."""
        return self.ready + self.drafts + ([self.combined] if self.combined else [])

    def summary(self) -> str:
        """The console line, e.g. 通知书：可寄发 29 份，已合并为“全部通知书.docx”；草稿 5 份 …"""
        if not self.ready and not self.drafts:
            return "通知书：没有兑现金额大于零的企业，未生成通知书"
        parts = []
        if self.ready:
            duplex = "，双面打印时每份从奇数页开始" if self.duplex else ""
            parts.append(f"可寄发 {len(self.ready)} 份，已合并为“{COMBINED_NAME}”{duplex}")
        else:
            parts.append("可寄发 0 份")
        if self.drafts:
            parts.append(f"草稿 {len(self.drafts)} 份（暂缓拨付企业，在“通知书/{DRAFTS_DIR}”文件夹，不得寄发）")
        return "通知书：" + "；".join(parts)


def letter_notes(policy: Policy) -> list[str]:
    """What the letters leave out because the policy file does not say it (for the console)."""
    notes = []
    procedure = policy.procedure
    if not _text(procedure.contact_person) and not _text(procedure.telephone):
        notes.append("政策参数文件未填写联系人和联系电话，通知书上不印联系方式")
    elif not _text(procedure.contact_person) or not _text(procedure.telephone):
        missing = "联系人" if not _text(procedure.contact_person) else "联系电话"
        notes.append(f"政策参数文件未填写{missing}，通知书上只印已填写的联系方式")
    if not _text(procedure.letter_number_prefix):
        notes.append("政策参数文件未填写通知书编号前缀，通知书不印编号")
    return notes


def write_letters(result: RunResult, letters_dir: Path, template: Path, progress: bool = True,
                  issue_date: date | None = None, duplex: bool = False) -> LettersWritten:
    """Write one letter per paid firm and the combined file of the letters ready to send.

    Nothing is written for a firm with 兑现金额 0; with no paid firm, nothing is written at all.
    A 暂缓拨付 firm's letter is a draft (marked 草稿 in the letter) written to ``暂缓拨付/`` and left
    out of the combined file. ``issue_date`` (the 落款 date) defaults to the run's. With ``duplex``
    every letter of the combined file starts on an odd page.
    """
    letters_dir, template = Path(letters_dir), Path(template)
    contexts = letter_contexts(result, issue_date)
    data = _read_template(template)
    letters_dir.mkdir(parents=True, exist_ok=True)
    written = LettersWritten(duplex=duplex)
    if not contexts:
        return written
    env = LetterEnvironment()
    with _template_errors(template):
        fast = _FastRenderer.create(data, env)
        combined = _Combined(data, duplex)
    drafts_dir = letters_dir / DRAFTS_DIR
    used: dict[Path, set[str]] = {letters_dir: {COMBINED_NAME.casefold(), DRAFTS_DIR.casefold()}, drafts_dir: set()}
    for context in tqdm(contexts, desc=PROGRESS_DESC, unit="份", disable=not progress):
        folder = drafts_dir if context["draft"] else letters_dir
        folder.mkdir(exist_ok=True)
        path = folder / safe_file_name(context["seq"], context["firm_name"], used[folder])
        if fast is not None:
            with _template_errors(template):
                body_xml = fast.render(context)
            body = _parse_body(body_xml, template)      # checks the letter is well-formed
            keep_tails_together(body)
            fast.save(etree.tostring(body, encoding="unicode"), path)
        else:
            rendered = _render(data, context, env, template)
            body = rendered.docx.element.body
            keep_tails_together(body)
            _save(rendered, path)
        if context["draft"]:
            written.drafts.append(path)
        else:
            written.ready.append(path)
            combined.add(body)
    if written.ready:
        written.combined = letters_dir / COMBINED_NAME
        combined.save(written.combined)
    return written


# --- PDF -----------------------------------------------------------------------------------------

def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


# LibreOffice leaves out of a PDF the blank pages it inserts before an odd-page section unless told
# to keep them; a double-sided print needs them (LibreOffice 7.4+ reads these JSON filter options).
KEEP_BLANK_PAGES = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def convert_to_pdf(docx: Path, timeout: int = 600, duplex: bool = False) -> Path | None:
    """Convert a .docx to PDF beside it with LibreOffice (``soffice --headless --convert-to pdf``);
    with ``duplex`` the blank pages that put each letter on an odd page are kept in the PDF.

    None when LibreOffice is not installed or the conversion fails (the caller tells the clerk);
    a failed conversion also prints the reason to stderr and leaves no half-written PDF. The
    .docx letters are never affected. A conversion that failed on a full disk raises OSError
    (ENOSPC), which stops the run.
    """
    soffice = find_soffice()
    if soffice is None:
        return None
    docx = Path(docx).resolve()
    # A private profile: works while another LibreOffice is open and leaves the user's alone. It and
    # LibreOffice's temporary files (TMPDIR) stay beside the letters, in the run's staging folder.
    with tempfile.TemporaryDirectory(prefix=".jixi-lo-", dir=docx.parent) as profile:
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--convert-to", KEEP_BLANK_PAGES if duplex else "pdf", "--outdir", str(docx.parent), str(docx)]
        env = dict(os.environ, TMPDIR=profile, TMP=profile, TEMP=profile)
        if FONTS_CONF.is_file() and "FONTCONFIG_FILE" not in env and sys.platform != "win32":
            env["FONTCONFIG_FILE"] = str(FONTS_CONF)     # stand-ins for 仿宋_GB2312 etc. (templates/fonts.conf)
        try:
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=timeout, env=env)
            failed = None
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            failed = exc
    pdf = docx.with_suffix(".pdf")
    if failed is None and pdf.is_file():
        return pdf
    # LibreOffice does not say why it failed: less free space than the letters file takes is a full disk.
    full = shutil.disk_usage(docx.parent).free < max(docx.stat().st_size, MIN_FREE_FOR_PDF)
    pdf.unlink(missing_ok=True)          # never a half-written PDF in a finished run
    if full:
        raise OSError(errno.ENOSPC, "no space left for the PDF", str(pdf))
    reason = failed.__class__.__name__ if failed is not None else "未生成 PDF 文件"
    print(f"提示：LibreOffice 转换 PDF 失败：{docx.name}（{reason}）", file=sys.stderr)
    return None
