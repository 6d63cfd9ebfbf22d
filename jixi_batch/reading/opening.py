"""Open one input file: size limit, bytes, fingerprint, XML-bomb guards, calamine's parse.

Everything here runs before (and without) numpy and pandas, so :mod:`.prefetch` can do it in
a background thread while the program is still starting. The expensive part, calamine
parsing a sheet's XML, runs in Rust with the GIL released; what is left for the main thread
is turning the parsed sheets into grids (:mod:`.sheets`).

``.xlsx``/``.xlsm`` are checked for zip bombs and DOCTYPE/ENTITY declarations (any member,
any extension, UTF-16 included) and sized by :mod:`.xlsx_guard` before calamine sees them;
an encrypted workbook, a corrupt zip, an HTML page saved as ``.xls`` and an empty file are
refused with a Chinese :class:`InputError`.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import sheet_chunks, text_tables
from .errors import InputError
from . import xlsx_guard
from .ods_xlsb_guard import scan_ods, scan_xlsb
from .xls_rows import hidden_rows as xls_hidden_rows
from .xlsx_guard import measure_chunk, scan_workbook

# read by calamine (a workbook) or as text (CSV, and the HTML or XML tables saved as .xls)
WORKBOOK_EXTS = {".xlsx", ".xlsm", ".xlsb", ".ods", ".xls"}
TEXT_EXTS = {".csv", ".tsv"}
SUPPORTED_EXTS = WORKBOOK_EXTS | TEXT_EXTS
# spreadsheets of kinds the program cannot read: named and refused, never skipped in silence
REFUSED_KINDS = {".et": "WPS表格（.et）", ".ett": "WPS表格模板（.ett）", ".numbers": "Apple Numbers 表格（.numbers）",
                 ".gnumeric": "Gnumeric 表格（.gnumeric）", ".wk4": "Lotus 表格（.wk4）", ".dbf": "dBase 数据表（.dbf）"}
INPUT_EXTS = SUPPORTED_EXTS | set(REFUSED_KINDS)
_BINARY_ONLY = {".xlsx", ".xlsm", ".xlsb", ".ods"}     # a text file under these names is a broken file

MAX_FILE_BYTES = 512 << 20          # a bigger file is refused before it is read into memory
MAX_UNCOMPRESSED = 1 << 30          # 1 GiB in total
MAX_RATIO = 200                     # compression ratio of a member ...
RATIO_MIN_SIZE = 10 << 20           # ... over 10 MB
ENTITY_SCAN_BYTES = 4096
PROLOG_LIMIT = 1 << 20

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DOCTYPE_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


Submit = Callable[..., Future]       # runs fn(*args) in a background thread


@dataclass
class OpenedFile:
    """One input file, read and (for a workbook) parsed, not yet turned into grids.

    ``sheets`` are the visible worksheets as (name, parts): futures of parsed
    ``python_calamine.CalamineSheet``, one per row chunk of the sheet (:mod:`.sheet_chunks`)
    or one for the whole sheet. ``scans`` are the :mod:`.xlsx_guard` findings per sheet
    name; ``merges`` the merged ranges calamine cannot give: of a sheet cut into chunks (read
    from its XML, since a chunk carries none) and of the sheets of an ``.ods`` or ``.xlsb`` (read
    by their guard); ``data`` the file's bytes (a text file's; a workbook's, to parse a
    sheet whole again with :meth:`parse_whole`).
    """

    path: Path
    sha256: str
    kind: str                       # "workbook" (calamine) or "csv", "html", "spreadsheetml"
    data: bytes
    sheets: list[tuple[str, list[Future]]] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    scans: dict = field(default_factory=dict)
    merges: dict = field(default_factory=dict)
    hidden_rows: dict = field(default_factory=dict)     # sheet -> 0-based hidden rows (.ods; .xlsx: its scan)

    def parse_whole(self, name: str):
        """The sheet ``name`` parsed in one piece (when its chunks cannot be joined), its cells
        counted first."""
        import python_calamine

        _measure_whole(self.path, self.data, self.scans.get(name))
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(self.data)).get_sheet_by_name(name)


def done(value) -> Future:
    """A future that already holds ``value``."""
    future: Future = Future()
    future.set_result(value)
    return future


def corrupt(path: Path, detail: str = "") -> InputError:
    extra = f"（{detail}）" if detail else ""
    return InputError(f"文件“{path.name}”已损坏或不是Excel工作簿{extra}，无法读取。请用Excel打开检查后另存为.xlsx再试。")


def password(path: Path) -> InputError:
    return InputError(f"文件“{path.name}”设置了打开密码（已加密），程序无法读取。请在Excel中取消密码后另存，再重新运行。")


def _calamine_errors() -> tuple[type[BaseException], ...]:
    import python_calamine

    return (python_calamine.CalamineError,)


CALAMINE_ERRORS = _calamine_errors()
# what a file that is not a well-formed workbook makes the standard library raise
FORMAT_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, UnicodeDecodeError)


def calamine_failure(path: Path, exc: Exception) -> InputError:
    """What calamine's error on a workbook means for the clerk: a password, or a damaged file."""
    text = str(exc).lower()
    return password(path) if "password" in text or "encrypt" in text or "protect" in text else corrupt(path)


def open_file(path: Path, submit: Submit | None = None) -> OpenedFile:
    """Read, fingerprint, check and parse one input file (InputError when it cannot be used).

    With ``submit``, a big sheet is cut into row chunks whose parse is submitted there;
    otherwise every sheet is parsed here, whole.
    """
    data = _read_bytes(path)
    sha = hashlib.sha256(data).hexdigest()
    try:
        return _open(path, data, sha, submit)
    except FORMAT_ERRORS as exc:  # what a malformed file provokes; anything else is a defect
        raise corrupt(path) from exc


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"文件“{path.name}”太大（{size / (1 << 20):,.0f} MB），超过程序的处理上限 "
                             f"{MAX_FILE_BYTES >> 20} MB。请按年度/月份拆分成多个文件后再运行。")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法打开文件“{path.name}”：{exc.strerror or exc}") from exc


def _open(path: Path, data: bytes, sha: str, submit: Submit | None) -> OpenedFile:
    suffix = path.suffix.lower()
    if suffix in REFUSED_KINDS:
        raise InputError(f"文件“{path.name}”是{REFUSED_KINDS[suffix]}格式，程序无法读取。"
                         "请用原软件打开后“另存为”Excel工作簿（.xlsx）再运行。")
    if suffix not in SUPPORTED_EXTS:
        raise InputError(f"文件“{path.name}”的类型不受支持（只读取 "
                         + "、".join(sorted(SUPPORTED_EXTS)) + "）。")
    if not data:
        raise InputError(f"文件“{path.name}”是空文件（0 字节），无法读取。")
    if data[:4] == ZIP_MAGIC or data[:8] == OLE_MAGIC:
        return _open_excel(path, data, sha, submit)
    if suffix in _BINARY_ONLY:
        raise corrupt(path)
    kind = text_tables.kind_of_text(data)
    if kind == "mime":
        raise InputError(f"文件“{path.name}”是网页存档（MHT）格式，并不是真正的Excel工作簿，程序无法读取。"
                         "请用Excel打开后“另存为”.xlsx 再试。")
    if kind == "xml":
        raise InputError(f"文件“{path.name}”是XML文件，但不是Excel的XML表格，程序无法读取。"
                         "请用Excel打开后“另存为”.xlsx 再试。")
    return OpenedFile(path, sha, kind=kind, data=data)


def _open_excel(path: Path, data: bytes, sha: str, submit: Submit | None) -> OpenedFile:
    """Guards, then calamine: the visible worksheets parsed, the hidden ones named."""
    import python_calamine

    scans, merges, hidden_rows = {}, {}, {}
    if data.startswith(ZIP_MAGIC):
        check_zip(path)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = {n.lower() for n in zf.namelist()}
            if "xl/workbook.bin" in names:
                merges = scan_xlsb(zf, path.name)
            elif "content.xml" in names:
                merges, hidden_rows = scan_ods(zf, path.name)
            else:    # a sheet to be cut into chunks is measured as it is cut
                scans = scan_workbook(zf, path.name, sheet_chunks.worth_cutting if submit else None)
    elif _is_encrypted_ole(data):
        raise password(path)
    elif data.startswith(OLE_MAGIC):
        hidden_rows = xls_hidden_rows(data)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible, hidden = [], []
        for meta in workbook.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            is_visible = meta.visible == python_calamine.SheetVisibleEnum.Visible
            (visible if is_visible else hidden).append(meta.name)
        sheets = []
        for name in visible:
            parts = _submit_parse(path, data, scans.get(name), scans, submit, merges)
            if not parts:
                _measure_whole(path, data, scans.get(name))
                parts = [done(workbook.get_sheet_by_name(name))]
            sheets.append((name, parts))
    except CALAMINE_ERRORS as exc:  # calamine's own error types for a bad workbook
        raise calamine_failure(path, exc) from exc
    return OpenedFile(path, sha, kind="workbook", data=data, sheets=sheets, hidden=hidden, scans=scans,
                      merges=merges, hidden_rows=hidden_rows)


def _submit_parse(path: Path, data: bytes, scan, scans: dict, submit: Submit | None, merges: dict) -> list[Future]:
    """Futures of a big sheet's parse: one per row chunk (:mod:`.sheet_chunks`), each measured
    (:class:`.xlsx_guard.ChunkMeasure`) before it is submitted, or one for the whole sheet when
    it is big but not worth cutting (so that the sheets of a workbook with one sheet a year
    parse side by side), or holds formulas; [] when the sheet is parsed here."""
    if submit is None or scan is None:
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo(scan.member)
            if not sheet_chunks.worth_cutting(info):
                if info.file_size < sheet_chunks.OWN_THREAD_BYTES:
                    return []
                _measure_whole(path, data, scan)
                return [submit(_parse_sheet, data, scan.name)]
            with zf.open(info) as stream:
                tail: list[bytes] = []
                chunks = sheet_chunks.chunk_xml(stream, tail=tail)
                if chunks is not None:
                    books = sheet_chunks.ChunkWorkbooks(zf, scan.member, {s.member for s in scans.values()})
                    parts = [submit(_measure_and_parse, books.build(pieces), pieces[1], scan, path.name)
                             for pieces in chunks]
                    after_rows = b"".join(tail)
                    merges[scan.name] = sheet_chunks.merged_ranges(after_rows)
                    scan.filtered = xlsx_guard.has_filter(after_rows)
                    return parts
            _measure_whole(path, data, scan)
            return [submit(_parse_sheet, data, scan.name)]
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError, RuntimeError, zlib.error):
        return []               # calamine parses the sheet whole and says what is wrong


def _measure_whole(path: Path, data: bytes, scan) -> None:
    """Count the cells of a sheet about to be parsed whole, if the chunks did not."""
    if scan is None or scan.measured:
        return
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xlsx_guard.measure(zf, scan, path.name)


def _measure_and_parse(book: bytes, body: bytes, scan, file_name: str):
    """One chunk of a cut sheet: its cells counted and hidden rows noted (xlsx_guard.measure_chunk),
    then parsed."""
    measure_chunk(body, file_name, scan)
    return _parse_sheet(book, scan.name)


def _parse_sheet(book: bytes, name: str):
    """The sheet ``name`` of the workbook ``book`` (zip bytes), parsed by calamine."""
    import python_calamine

    return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(book)).get_sheet_by_name(name)


def check_zip(path: Path) -> None:
    """Refuse zip bombs and XML with DOCTYPE/ENTITY declarations (InputError)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED:
                raise InputError(f"文件“{path.name}”解压后超过 1 GB，可能是恶意构造的文件，已拒绝读取。")
            for info in infos:
                if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise InputError(f"文件“{path.name}”中的“{info.filename}”压缩比异常，可能是恶意构造的文件，已拒绝读取。")
            names = {i.filename.lower() for i in infos}
            if "index/document.iwa" in names:
                raise InputError(f"文件“{path.name}”是{REFUSED_KINDS['.numbers']}格式，程序无法读取。"
                                 "请用原软件打开后“另存为”Excel工作簿（.xlsx）再运行。")
            if not names & {"xl/workbook.xml", "xl/workbook.bin", "content.xml"}:
                raise corrupt(path, "压缩包中没有工作簿内容")
            for info in infos:
                # every member, whatever its name: a part may be XML under any extension
                with zf.open(info) as member:
                    head = member.read(ENTITY_SCAN_BYTES)
                    if _DOCTYPE_RE.search(head) is None and _looks_like_xml(head):
                        head = _prolog_declaration(member, head)
                if _DOCTYPE_RE.search(head):
                    raise InputError(
                        f"文件“{path.name}”中的“{info.filename}”含有 DOCTYPE/ENTITY 声明，"
                        "可能是恶意构造的文件，已拒绝读取。请用Excel打开后另存为.xlsx再试。")
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, ValueError,
            NotImplementedError) as exc:
        raise corrupt(path) from exc


def _looks_like_xml(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") or head.startswith(_UTF16_BOMS)


def _prolog_declaration(member, head: bytes) -> bytes:
    """Walk the XML prolog (declaration, comments, PIs) up to the root element.

    Returns b"<!DOCTYPE" when the prolog declares a DOCTYPE or any other ``<!`` markup, or
    is longer than PROLOG_LIMIT (a long comment must not hide a DOCTYPE from the 4 KB
    scan); otherwise b"". UTF-16 parts are decoded first.
    """
    data = head + member.read(PROLOG_LIMIT - len(head)) if len(head) >= ENTITY_SCAN_BYTES else head
    if data.startswith(_UTF16_BOMS):
        text = data[: len(data) // 2 * 2].decode("utf-16", "replace")
    else:
        text = data.decode("utf-8", "replace").lstrip("\ufeff")
    pos, end = 0, len(text)
    while True:
        while pos < end and text[pos] in " \t\r\n":
            pos += 1
        if text.startswith("<?", pos):
            close, skip = text.find("?>", pos), 2
        elif text.startswith("<!--", pos):
            close, skip = text.find("-->", pos), 3
        elif text.startswith("<!", pos):
            return b"<!DOCTYPE"
        else:
            return b""          # the root element (or not XML at all): no DOCTYPE before it
        if close < 0:
            return b"<!DOCTYPE" if len(data) >= PROLOG_LIMIT else b""
        pos = close + skip


def _is_encrypted_ole(data: bytes) -> bool:
    """An OOXML file saved with a password is an OLE container with an EncryptionInfo stream."""
    return "EncryptedPackage".encode("utf-16-le") in data
