"""The notice letters 通知书/ (OUTPUTS.md "The notice letters").

One Word letter per firm with 兑现金额 > 0, named ``<序号>_<企业名称>.docx``, and one combined file
``全部通知书.docx`` with every letter, each starting on a new page. Letters are rendered with docxtpl
from ``templates/notice_letter.docx`` (a clerk may edit it in Word/WPS) in a sandboxed jinja2
environment bounded in steps, time and size (letter_sandbox.py), so an edited template cannot run
code, hang or exhaust the run; every value is escaped, so a firm name such as ``A<b>&"公司`` prints
as written. Whatever stops a template stops the run with a message naming the template. The writer computes nothing new: amounts, explanations and
deductions come from the capped lines and the firm summary of the ``RunResult``.
"""
from __future__ import annotations

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
MISSING = "（待补充）"
PROGRESS_DESC = "生成通知书"
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


# --- contexts ------------------------------------------------------------------------------------

def _deductions(firm_lines: list[dict], policy: Policy, fund_fen: int) -> list[str]:
    """The deductions applied to one firm, in plain words (empty when none)."""
    items = []
    for line in firm_lines:
        if line["offset_fen"] > 0:
            items.append(f"从高不重复抵扣：{line['rule_name']}测算金额 {format_yuan(line['computed_fen'])} 元，"
                         f"按照“从高不重复”原则，扣除你单位已享受的同类奖励 {format_yuan(line['offset_fen'])} 元。")
    art5_cut = sum(line["art5_cut_fen"] for line in firm_lines)
    if art5_cut > 0:
        art5_rules = set(policy.article5.rules)
        art5_sum = sum(line["computed_fen"] - line["offset_fen"] for line in firm_lines if line["rule_id"] in art5_rules)
        items.append(f"第五条封顶核减：第五条各项奖励合计 {format_yuan(art5_sum)} 元，"
                     f"超过每户企业最高奖励 {format_yuan(policy.article5.cap_fen)} 元的规定，"
                     f"核减 {format_yuan(art5_cut)} 元。")
    budget_cut = sum(line["budget_cut_fen"] for line in firm_lines)
    if budget_cut > 0:
        fund_text = f"专项资金 {format_yuan(fund_fen)} 元" if fund_fen else "专项资金"
        items.append(f"预算核减：{fund_text}不足以全额兑现全部奖励，各项奖励按同一比例压减，"
                     f"你单位核减 {format_yuan(budget_cut)} 元。")
    return items


def letter_contexts(result: RunResult, issue_date: date | None = None) -> list[dict]:
    """One template context per firm with 兑现金额 > 0, in 序号 order."""
    policy = result.policy
    common = {
        "year": int(result.year),
        "policy_title": policy_title(policy),
        "policy_issuer": _text(policy.meta.issuer),
        "deadline": payout_deadline(policy, result.year),
        "issue_date": chinese_date(issue_date or date.today()),
        "issuing_bodies": [_text(body) for body in policy.meta.issuing_bodies],
    }
    firms = result.firms
    if firms is None or len(firms) == 0:
        return []
    paid = firms[firms["payout_fen"] > 0].sort_values("seq", kind="stable")
    lines_by_code: dict[str, list[dict]] = {}
    if result.lines is not None and len(result.lines):
        for line in result.lines.to_dict("records"):
            lines_by_code.setdefault(line["code"], []).append(line)
    contexts = []
    for firm in paid.to_dict("records"):
        firm_lines = [line for line in lines_by_code.get(firm["code"], [])
                      if line["computed_fen"] != 0 or line["approved_fen"] != 0]
        payout = int(firm["payout_fen"])
        contexts.append({
            **common,
            "seq": int(firm["seq"]),
            "firm_name": _text(firm["name"]),
            "code": _text(firm["code"]),
            "lines": [{
                "rule_id": _text(line["rule_id"]),
                "rule_name": _text(line["rule_name"]),
                "article": _text(line["article"]),
                "explanation": _text(line["explanation"]),
                "amount": format_yuan(line["approved_fen"]),
                "computed": format_yuan(line["computed_fen"]),
            } for line in firm_lines],
            "deductions": _deductions(firm_lines, policy, int(result.fund_fen or 0)),
            "total": format_yuan(payout),
            "total_capital": to_capital_yuan(payout),
            "bank": _text(firm.get("bank")) or MISSING,
            "account": _text(firm.get("account")) or MISSING,
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


def _parse_body(xml: str, template: Path):
    try:
        return etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise LetterTemplateError(f"通知书模板“{template.name}”填写后不是有效的 Word 内容{_STOP}"
                                  "请检查标签是否拆开了 Word 的段落或表格。") from exc


def _page_break_run():
    run = etree.Element(f"{_W}r")
    etree.SubElement(run, f"{_W}br").set(f"{_W}type", "page")
    return run


def _start_on_new_page(elements: list) -> None:
    """Put one page break at the very start of a letter's body."""
    first = elements[0] if elements else None
    if first is not None and first.tag == f"{_W}p":
        ppr = first.find(f"{_W}pPr")
        first.insert(0 if ppr is None else 1, _page_break_run())
    else:
        paragraph = etree.Element(f"{_W}p")
        paragraph.append(_page_break_run())
        elements.insert(0, paragraph)


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


class _Combined:
    """The combined file: the template's document with every letter's body, one after another."""

    def __init__(self, data: bytes):
        self.doc = Document(io.BytesIO(data))
        self.body = self.doc.element.body
        self.sect_pr = self.body.find(f"{_W}sectPr")
        # Templates saved by Word carry bookmarks and w14:paraId; python-docx-built ones do not.
        self.has_ids = bool(_BOOKMARKS(self.body) or _WITH_IDS(self.body))
        for child in list(self.body):
            if child is not self.sect_pr:
                self.body.remove(child)
        self.count = 0

    def add(self, body) -> None:
        """Append the content of a rendered <w:body> (its final sectPr stays the template's)."""
        elements = [child for child in body if child.tag != f"{_W}sectPr"]
        if self.count:
            if self.has_ids:
                _strip_unique_ids(elements)
            _start_on_new_page(elements)
        self.count += 1
        for element in elements:
            if self.sect_pr is not None:
                self.sect_pr.addprevious(element)
            else:
                self.body.append(element)

    def save(self, path: Path) -> None:
        for number, doc_pr in enumerate(self.body.iter(f"{{{WP_NS}}}docPr"), start=1):
            doc_pr.set("id", str(number))
        _save(self.doc, path)


def _save(doc, path: Path) -> None:
    """Save a python-docx or docxtpl document: packed in memory, written in one go, so a full
    disk leaves no open zip to fail again when collected ("Exception ignored" on stderr)."""
    packed = io.BytesIO()
    doc.save(packed)
    Path(path).write_bytes(packed.getbuffer())


def write_letters(result: RunResult, letters_dir: Path, template: Path, progress: bool = True,
                  issue_date: date | None = None) -> list[Path]:
    """Write one letter per paid firm and the combined file; return their paths, the combined last.

    Nothing is written for a firm with 兑现金额 0; with no paid firm, nothing is written at all.
    ``issue_date`` (the 落款 date) defaults to today.
    """
    letters_dir, template = Path(letters_dir), Path(template)
    contexts = letter_contexts(result, issue_date)
    data = _read_template(template)
    letters_dir.mkdir(parents=True, exist_ok=True)
    if not contexts:
        return []
    env = LetterEnvironment()
    with _template_errors(template):
        fast = _FastRenderer.create(data, env)
        combined = _Combined(data)
    used: set[str] = {COMBINED_NAME.casefold()}
    written: list[Path] = []
    for context in tqdm(contexts, desc=PROGRESS_DESC, unit="份", disable=not progress):
        path = letters_dir / safe_file_name(context["seq"], context["firm_name"], used)
        if fast is not None:
            with _template_errors(template):
                body_xml = fast.render(context)
            body = _parse_body(body_xml, template)      # checks the letter is well-formed
            fast.save(body_xml, path)
        else:
            rendered = _render(data, context, env, template)
            _save(rendered, path)
            body = rendered.docx.element.body
        written.append(path)
        combined.add(body)
    combined_path = letters_dir / COMBINED_NAME
    combined.save(combined_path)
    written.append(combined_path)
    return written


# --- PDF -----------------------------------------------------------------------------------------

def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_pdf(docx: Path, timeout: int = 600) -> Path | None:
    """Convert a .docx to PDF beside it with LibreOffice (``soffice --headless --convert-to pdf``).

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
                   "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)]
        env = dict(os.environ, TMPDIR=profile, TMP=profile, TEMP=profile)
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
