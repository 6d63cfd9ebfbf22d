"""The benchmark's customs workbook written in other ways, so speed is measured on any file, not ours.

``tools/make_inputs.py`` writes the scale inputs with a hand-made XML writer (shared strings, a
``<dimension>``, addresses on every cell). Clerks get files from other tools; each writer here
rewrites the same cells:

* ``make_inputs``  the file as ``tools/make_inputs.py`` writes it;
* ``openpyxl``     openpyxl's write-only mode: inline strings, no ``<dimension>``;
* ``xlsxwriter``   xlsxwriter's default mode: shared strings, a ``<dimension>``;
* ``xls``          BIFF8 through xlwt (65,536 rows a sheet, so several sheets, a header on each);
                   xlwt is not a dependency of the program: it is installed for the benchmark only,
                   into ``benchmarks/.deps`` (``pip install --target``);
* ``csv``          UTF-8 with a byte-order mark, as Excel saves "CSV UTF-8".
"""
from __future__ import annotations

import csv
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

CUSTOMS = "海关数据_2022-2023.xlsx"
SHEET = "进出口明细"
INT_COLUMNS = {0, 1, 8}            # 序号, 年月, 数量
MONEY_COLUMN = 10                  # 金额(元)
HEADER_ROW = 2                     # two title lines above the header
DEPS = Path(__file__).resolve().parent / ".deps"
WRITERS = ("make_inputs", "openpyxl", "xlsxwriter", "xls", "csv")
SUFFIX = {"make_inputs": ".xlsx", "openpyxl": ".xlsx", "xlsxwriter": ".xlsx", "xls": ".xls", "csv": ".csv"}


def rows_of(source: Path) -> list[list]:
    """The cells of the customs sheet ``tools/make_inputs.py`` wrote (None for an empty cell)."""
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(str(source)).get_sheet_by_name(SHEET)
    out = []
    for row in sheet.to_python(skip_empty_area=False):
        cells = [None if v == "" else int(v) if c in INT_COLUMNS and isinstance(v, float) and v.is_integer() else v
                 for c, v in enumerate(row)]
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    return out


def write_variant(source_folder: Path, folder: Path, writer: str) -> Path:
    """``folder`` holding the inputs of ``source_folder`` with the customs file written by ``writer``."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in source_folder.iterdir():
        if path.name != CUSTOMS:
            shutil.copy2(path, folder / path.name)
    target = folder / (Path(CUSTOMS).stem + SUFFIX[writer])
    if writer == "make_inputs":
        shutil.copy2(source_folder / CUSTOMS, target)
    else:
        {"openpyxl": _openpyxl, "xlsxwriter": _xlsxwriter, "xls": _xls, "csv": _csv}[writer](
            target, rows_of(source_folder / CUSTOMS))
    return folder


def _openpyxl(path: Path, rows: list[list]) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    for r, row in enumerate(rows):
        if r > HEADER_ROW and len(row) > MONEY_COLUMN and isinstance(row[MONEY_COLUMN], float):
            money = WriteOnlyCell(ws, value=row[MONEY_COLUMN])
            money.number_format = "#,##0.00"
            row = row[:MONEY_COLUMN] + [money]
        ws.append(row)
    wb.save(path)


def _xlsxwriter(path: Path, rows: list[list]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    ws = wb.add_worksheet(SHEET)
    money = wb.add_format({"num_format": "#,##0.00"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, (int, float)):
                ws.write_number(r, c, value, money if c == MONEY_COLUMN and r > HEADER_ROW else None)
            else:
                ws.write_string(r, c, value)
    wb.close()


def _csv(path: Path, rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for row in rows:
            writer.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in row])


def _xls(path: Path, rows: list[list]) -> None:
    xlwt = _xlwt()
    wb = xlwt.Workbook(encoding="utf-8")
    money = xlwt.easyxf(num_format_str="#,##0.00")
    title, header, data = rows[:HEADER_ROW], rows[HEADER_ROW], rows[HEADER_ROW + 1:]
    limit, sheet_no, i = 65_536, 0, 0
    while i < len(data):
        sheet_no += 1
        ws = wb.add_sheet(SHEET if sheet_no == 1 else f"{SHEET}{sheet_no}")
        lead = (title if sheet_no == 1 else []) + [header]
        take = data[i:i + limit - len(lead)]
        for r, row in enumerate(lead + take):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value, money if c == MONEY_COLUMN and r >= len(lead) else xlwt.Style.default_style)
        i += len(take)
    wb.save(str(path))


def _xlwt():
    """xlwt, installed into benchmarks/.deps the first time (it is not a dependency of the program)."""
    if str(DEPS) not in sys.path:
        sys.path.insert(0, str(DEPS))
    try:
        import xlwt
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(DEPS), "xlwt>=1.3,<2"],
                       check=True)
        importlib.invalidate_caches()          # the folder was listed before xlwt was put in it
        import xlwt
    return xlwt
