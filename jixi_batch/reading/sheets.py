"""Open an input file into raw grids: one object array per visible sheet.

Grid row ``i`` is Excel row ``i + 1`` (pandas' calamine reader keeps leading empty
rows: skip_empty_area=False). ``.xlsx``/``.xlsm`` are checked for XML bombs and
DOCTYPE/ENTITY declarations before anything parses them; an encrypted (password)
workbook, a corrupt zip, an HTML page saved as ``.xls`` and an empty file are
refused with a Chinese :class:`InputError`. CSV is UTF-8 (with or without BOM) or
GBK/GB18030, read as text.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .calamine_grid import read_sheet_grids
from .errors import InputError
from .xlsx_guard import scan_workbook

EXCEL_EXTS = {".xlsx", ".xlsm", ".xls"}
CSV_EXTS = {".csv"}
SUPPORTED_EXTS = EXCEL_EXTS | CSV_EXTS

MAX_UNCOMPRESSED = 1 << 30          # 1 GiB in total
MAX_RATIO = 200                     # compression ratio of a member ...
RATIO_MIN_SIZE = 10 << 20           # ... over 10 MB
ENTITY_SCAN_BYTES = 4096

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DOCTYPE_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass
class RawSheet:
    """One sheet as a grid of raw cell values (object array, rows × columns)."""

    name: str
    grid: np.ndarray


@dataclass
class RawFile:
    path: Path
    sha256: str
    sheets: list[RawSheet]
    skipped_hidden: list[str] = field(default_factory=list)


def _corrupt(path: Path, detail: str = "") -> InputError:
    extra = f"（{detail}）" if detail else ""
    return InputError(f"文件“{path.name}”已损坏或不是Excel工作簿{extra}，无法读取。请用Excel打开检查后另存为.xlsx再试。")


def _password(path: Path) -> InputError:
    return InputError(f"文件“{path.name}”设置了打开密码（已加密），程序无法读取。请在Excel中取消密码后另存，再重新运行。")


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
            names = {i.filename for i in infos}
            if not any(n.lower() in ("xl/workbook.xml", "xl/workbook.bin") for n in names):
                raise _corrupt(path, "压缩包中没有工作簿内容")
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
        raise _corrupt(path) from exc


PROLOG_LIMIT = 1 << 20
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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


def read_excel_file(path: Path, data: bytes) -> tuple[list[RawSheet], list[str]]:
    """Visible sheets of an .xlsx/.xlsm/.xls as raw grids, and the names of hidden sheets skipped."""
    import python_calamine

    head = data[:8]
    scans = {}
    if head.startswith(ZIP_MAGIC):
        check_zip(path)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            scans = scan_workbook(zf, path.name)
    elif head == OLE_MAGIC:
        if _is_encrypted_ole(data):
            raise _password(path)
    else:
        sniff = data[:2048].lstrip().lower()
        if sniff.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"mime-version")):
            raise InputError(
                f"文件“{path.name}”实际是网页/XML格式，并不是真正的Excel工作簿。"
                "请用Excel打开后“另存为”.xlsx 再试。")
        raise _corrupt(path)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = workbook.sheets_metadata
    except Exception as exc:  # calamine raises its own error types for bad files
        text = str(exc).lower()
        if "password" in text or "encrypt" in text or "protect" in text:
            raise _password(path) from exc
        raise _corrupt(path) from exc
    visible, hidden = [], []
    for meta in metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        is_visible = meta.visible == python_calamine.SheetVisibleEnum.Visible
        (visible if is_visible else hidden).append(meta.name)
    if not visible:
        return [], hidden
    try:
        grids = read_sheet_grids(workbook, visible)   # = pandas.read_excel(engine="calamine"), faster
    except Exception as exc:  # any reader failure on a bad workbook
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise _password(path) from exc
        raise _corrupt(path) from exc
    sheets = [RawSheet(name, _with_formulas(grids[name], scans.get(name))) for name in visible]
    return sheets, hidden




def _with_formulas(grid: np.ndarray, scan) -> np.ndarray:
    """Put the text of formulas that have no cached result into the grid (see xlsx_guard)."""
    if scan is None or not scan.uncached:
        return grid
    rows = max(grid.shape[0], 1 + max(r for r, _ in scan.uncached))
    cols = max(grid.shape[1], 1 + max(c for _, c in scan.uncached))
    if (rows, cols) != grid.shape:
        bigger = np.full((rows, cols), None, dtype=object)
        bigger[:grid.shape[0], :grid.shape[1]] = grid
        grid = bigger
    for (r, c), formula in scan.uncached.items():
        if grid[r, c] is None or grid[r, c] == "":
            grid[r, c] = formula
    return grid


def decode_csv(path: Path, data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"文件“{path.name}”的编码无法识别（应为UTF-8或GBK），请用Excel另存为.xlsx或UTF-8 CSV再试。")


def read_csv_file(path: Path, data: bytes) -> list[RawSheet]:
    text = decode_csv(path, data)
    if "\x00" in text:
        raise InputError(f"文件“{path.name}”不是文本格式的CSV文件，无法读取。")
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    grid = _csv_fast(text, delimiter)
    if grid is not None:
        return [RawSheet(path.stem or "CSV", grid)]
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"文件“{path.name}”不是有效的CSV文件（{exc}），无法读取。") from exc
    width = max((len(r) for r in rows), default=0)
    grid = np.full((len(rows), width), None, dtype=object)
    for i, row in enumerate(rows):
        if row:
            grid[i, :len(row)] = row
    return [RawSheet(path.stem or "CSV", grid)]


def _csv_fast(text: str, delimiter: str) -> np.ndarray | None:
    """pandas' C parser, when every line fits the width seen in the first lines; else None.

    Blank lines are kept (row i stays line i + 1); empty fields become None.
    """
    head = list(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter))[:200]
    width = max((len(r) for r in head), default=0)
    if width == 0:
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, names=list(range(width)), dtype=str,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            sep=delimiter, engine="c", quotechar='"', index_col=False)
    except (pd.errors.ParserError, ValueError, csv.Error):
        return None
    grid = frame.to_numpy(dtype=object)
    grid[grid == ""] = None
    return grid


def read_raw(path: Path, data: bytes, sha256: str) -> RawFile:
    """The raw sheets of one file (InputError for anything unreadable)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_EXTS:
        raise InputError(f"文件“{path.name}”的类型不受支持（只读取 .xlsx、.xlsm、.xls、.csv）。")
    if not data:
        raise InputError(f"文件“{path.name}”是空文件（0 字节），无法读取。")
    if suffix in CSV_EXTS:
        if data[:4] == ZIP_MAGIC or data[:8] == OLE_MAGIC:
            sheets, hidden = read_excel_file(path, data)
            return RawFile(path, sha256, sheets, hidden)
        return RawFile(path, sha256, read_csv_file(path, data))
    sheets, hidden = read_excel_file(path, data)
    return RawFile(path, sha256, sheets, hidden)
