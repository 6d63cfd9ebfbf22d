"""Write the bad-input corpus: tests/bad_inputs/cases/<NN_name>/ (input files + expect.json).

    python tests/bad_inputs/make_corpus.py            # rewrites cases/ from input_samples/

Each case is a folder the program can be run on (``python process.py --input <case> ...``):
a copy of the valid ``input_samples/`` files with one file replaced, added or removed, so the
rest of the run is known. ``00_clean`` is the untouched sample set: "computes" cases compare
each firm's 兑现金额 with the run on ``00_clean``.

expect.json:
    kind            "stops" (exit 1, nothing written) or "computes" (exit 0)
    exit            the exit status
    stderr          substrings the error message must contain (file, sheet, column, limit...)
    stdout          substrings the console must contain (computes cases)
    review          [{类别, 文件?, 列?, 值?, 行号?}] rows that must appear in 待核查
    same_payout     "all": every firm of 00_clean gets the same 兑现金额;
                    or {"except": [codes]}: every other firm does
    letters         run with letters (security cases: file names stay inside the run folder)
    formula_names   names that must come out as text (never formulas) in the workbook
    note            the bad input, in words (README_TABLE.md is written from these)

Written only by the cases that need them:
    args            more command-line arguments; ``{case}`` stands for the case folder
                    (e.g. ``["--policy", "{case}/政策参数.yaml"]``)
    data_check      [{文件, 工作表?, 其中隐藏行数?, 合计行跳过数?, ...}] rows that must appear in 数据核对
    status          {code: 状态} in 企业汇总 (e.g. "暂缓拨付")
    output_file     ``--output`` names an existing file holding this text; it must stay as it is
    output_keep     {path: text}: files a person put in the output folder before the run (made three
                    days old); every one must be there, unchanged, after the run

Two cases need libraries the program does not use, installed only for this script (NOT in
requirements.txt): ``xlwt`` for the real BIFF8 ``.xls`` and ``msoffcrypto-tool`` for the
password-protected workbook; e.g. ``pip install --target /tmp/gen_deps xlwt msoffcrypto-tool``
and run with ``PYTHONPATH=/tmp/gen_deps``. The generated files are committed, so the tests
never need them. The "very large file" is a small workbook whose one far cell (XFD1048576)
would make the reader allocate 17 billion cells; the file-size limit is tested in
tests/test_bad_inputs.py with a sparse file made at test time.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import xlsxwriter

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SAMPLES = REPO / "input_samples"
CASES = HERE / "cases"
sys.path.insert(0, str(REPO))

from jixi_batch.reading.codes import check_char  # noqa: E402

CUSTOMS23 = "海关数据2023.xlsx"
CUSTOMS22 = "hg_2022_export.xlsx"
PROVINCE = "省厅奖励名单.xlsx"
APPS = "企业申报汇总.xlsx"
ALL = [CUSTOMS23, CUSTOMS22, PROVINCE, APPS]

PROVINCE_SHEET = "拟奖励企业名单"
CUSTOMS_SHEET = "进出口明细"


# ------------------------------------------------------------------------------------------
# reading the samples as grids, writing workbooks
# ------------------------------------------------------------------------------------------
def grids(name: str) -> dict[str, list[list]]:
    """Every sheet of a sample file as rows of Python values (None for an empty cell)."""
    frames = pd.read_excel(SAMPLES / name, sheet_name=None, header=None, dtype=object, engine="calamine")
    out = {}
    for sheet, frame in frames.items():
        rows = []
        for row in frame.itertuples(index=False):
            rows.append([None if (isinstance(v, float) and v != v) else v for v in row])
        out[sheet] = rows
    return out


def write_xlsx(path: Path, sheets: dict[str, list[list]], hidden=(), merges=None, hidden_rows=None,
               filters=None) -> None:
    """openpyxl workbook, rows as given; merges: {sheet: ["A1:B1", ...]}; hidden_rows: {sheet: [Excel
    row numbers]}; filters: {sheet: (range, column index, [values shown])} — an autofilter (the rows it
    filters out are given in hidden_rows, as Excel writes them)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, rows in sheets.items():
        ws = wb.create_sheet(sheet)
        for row in rows:
            ws.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row])
        for ref in (merges or {}).get(sheet, []):
            ws.merge_cells(ref)
        for r in (hidden_rows or {}).get(sheet, []):
            ws.row_dimensions[r].hidden = True
        if sheet in (filters or {}):
            ref, col, shown = filters[sheet]
            ws.auto_filter.ref = ref
            ws.auto_filter.add_filter_column(col, shown)
        if sheet in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)


def write_csv(path: Path, rows: list[list], encoding: str) -> None:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows([["" if v is None else v for v in row] for row in rows])


def province_rows() -> list[list]:
    return grids(PROVINCE)[PROVINCE_SHEET]


def code_at(rows, r, c=2):
    return str(rows[r][c]).strip()


# ------------------------------------------------------------------------------------------
# cases
# ------------------------------------------------------------------------------------------
class Case:
    def __init__(self, name: str, note: str, clerk: str, **expect):
        self.name = name
        self.dir = CASES / name
        self.note = note            # the bad input
        self.clerk = clerk          # what the clerk sees (README table)
        self.expect = {"kind": "stops" if expect.get("exit", 0) == 1 else "computes", "exit": 0,
                       "stderr": [], "stdout": [], "review": [], "same_payout": "all", "letters": False,
                       "formula_names": []}
        self.expect.update(expect)
        if self.expect["exit"] == 1:
            self.expect["same_payout"] = None

    def start(self, samples=ALL, drop=()) -> "Case":
        if self.dir.exists():
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        for name in samples:
            if name not in drop:
                shutil.copyfile(SAMPLES / name, self.dir / name)
        return self

    def path(self, name: str) -> Path:
        return self.dir / name

    def remove(self, name: str) -> Path:
        p = self.dir / name
        if p.exists():
            p.unlink()
        return p

    def finish(self) -> None:
        data = dict(self.expect, note=self.note, clerk=self.clerk)
        (self.dir / "expect.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                                              encoding="utf-8")


def rewrite_member(src: Path, dst: Path, member: str, transform) -> None:
    data = src.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            content = zin.read(info.filename)
            if info.filename == member:
                content = transform(content)
            zout.writestr(info.filename, content)


BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                   for i in range(1, 10))
        + b"]>\n")


def bomb_sheet(data: bytes) -> bytes:
    """Billion laughs: 10^9 'lol's if expanded; the cell text refers to the last entity."""
    body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    return BOMB + body.replace(b"<sheetData>", b'<sheetData><row r="99"><c r="A99" t="inlineStr"><is><t>&lol9;</t>'
                                               b"</is></c></row>", 1)


def _dollars(yuan) -> float:
    """A plausible dollar figure beside the 元 one (so that reading the wrong column shows)."""
    return round(float(yuan) / 7.1, 2)


def cases() -> list[Case]:
    out: list[Case] = []

    def case(name, note, clerk, **expect) -> Case:
        c = Case(name, note, clerk, **expect)
        out.append(c)
        return c

    prov = province_rows()
    # the sample province list: row index 1 = header, 2..24 = firms, 25 = 合计
    p_hdr = prov[1]
    firm_rows = list(range(2, len(prov) - 1))

    # --- 00 the clean samples ------------------------------------------------------------
    c = case("00_clean", "正确的样例数据（对照组）", "正常计算；其他用例与它比对兑现金额")
    c.start()

    # --- unreadable files: stop, nothing written ---------------------------------------
    c = case("01_empty_file", "空文件（0 字节）", "“文件“省厅奖励名单.xlsx”是空文件（0 字节），无法读取。”",
             exit=1, stderr=[PROVINCE, "空文件"])
    c.start().path(PROVINCE).write_bytes(b"")

    c = case("02_not_a_workbook", "不是工作簿（文本文件改名为 .xlsx）",
             "“文件“省厅奖励名单.xlsx”已损坏或不是Excel工作簿，无法读取。请用Excel打开检查后另存为.xlsx再试。”",
             exit=1, stderr=[PROVINCE, "不是Excel工作簿"])
    c.start().path(PROVINCE).write_text("这是一份说明文字，不是表格。\n", encoding="utf-8")

    c = case("03_truncated_xlsx", "截断/损坏的 .xlsx（只有前一半字节）", "“文件“海关数据2023.xlsx”已损坏或不是Excel工作簿…”",
             exit=1, stderr=[CUSTOMS23, "损坏"])
    data = (SAMPLES / CUSTOMS23).read_bytes()
    c.start().path(CUSTOMS23).write_bytes(data[: len(data) // 2])

    c = case("04_password_protected", "设置了打开密码的工作簿",
             "“文件“省厅奖励名单.xlsx”设置了打开密码（已加密），程序无法读取。请在Excel中取消密码后另存…”",
             exit=1, stderr=[PROVINCE, "密码"])
    c.start()
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
        with open(SAMPLES / PROVINCE, "rb") as fh:
            buf = io.BytesIO()
            OOXMLFile(fh).encrypt("1234", buf)
        c.path(PROVINCE).write_bytes(buf.getvalue())
    except ImportError:
        keep = HERE / "cases" / c.name / PROVINCE
        print(f"msoffcrypto-tool not installed: {keep} left as the sample copy — install it (see docstring)")
        raise SystemExit(1)

    c = case("05_html_saved_as_xls", "网页表格保存成 .xls（很多系统的“导出Excel”）",
             "按网页表格读取，结果与 .xlsx 相同")
    c.start()
    c.remove(PROVINCE)
    html = "<html><body><table>" + "".join(
        "<tr>" + "".join(f"<td>{'' if v is None else v}</td>" for v in row) + "</tr>" for row in prov) + "</table></body></html>"
    c.path("省厅奖励名单.xls").write_text(html, encoding="utf-8")

    c = case("06_csv_text_named_xlsx", "扩展名错误：CSV 文本保存为 .xlsx", "“文件“省厅奖励名单.xlsx”已损坏或不是Excel工作簿…另存为.xlsx再试。”",
             exit=1, stderr=[PROVINCE, "不是Excel工作簿"])
    c.start()
    write_csv(c.path(PROVINCE), prov, "utf-8-sig")

    c = case("07_xlsx_named_xls", "扩展名错误：真正的 .xlsx 改名为 .xls", "按内容识别，正常计算（结果与正确数据相同）")
    c.start()
    c.remove(PROVINCE)
    shutil.copyfile(SAMPLES / PROVINCE, c.path("省厅奖励名单.xls"))

    c = case("08_xlsx_named_csv", "扩展名错误：真正的 .xlsx 改名为 .csv", "按内容识别，正常计算（结果与正确数据相同）")
    c.start()
    c.remove(PROVINCE)
    shutil.copyfile(SAMPLES / PROVINCE, c.path("省厅奖励名单.csv"))

    c = case("09_xls_biff8", "旧版 .xls（BIFF8）格式的省级奖励名单", "正常读取，结果与 .xlsx 相同")
    c.start()
    c.remove(PROVINCE)
    try:
        import xlwt
    except ImportError:
        print("xlwt not installed: cannot write the .xls case (see docstring)")
        raise SystemExit(1)
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(PROVINCE_SHEET)
    for i, row in enumerate(prov):
        for j, v in enumerate(row):
            if v is not None:
                sheet.write(i, j, v)
    book.save(str(c.path("省厅奖励名单.xls")))

    for name, enc, label in (("10_csv_utf8", "utf-8", "UTF-8"), ("11_csv_utf8_bom", "utf-8-sig", "UTF-8（带BOM）"),
                             ("12_csv_gbk", "gbk", "GBK")):
        c = case(name, f"省级奖励名单为 {label} 编码的 CSV", "正常读取，结果与工作簿相同")
        c.start()
        c.remove(PROVINCE)
        write_csv(c.path("省厅奖励名单.csv"), prov, enc)

    c = case("13_customs_gbk_csv_wan_yuan", "上年海关数据为 GBK 编码 CSV，金额列为“金额(万元)”", "正常读取，万元换算为元，结果相同")
    c.start()
    c.remove(CUSTOMS22)
    rows22 = grids(CUSTOMS22)["Sheet1"]
    rows22 = [[v.strftime("%Y%m") if isinstance(v, (pd.Timestamp, dt.datetime)) else v for v in row] for row in rows22]
    write_csv(c.path("hg_2022_export.csv"), rows22, "gbk")

    # --- structure: header row, columns, roles ------------------------------------------
    c = case("14_no_header_row", "没有表头行（标题下直接是数据）",
             "“无法识别文件“省厅奖励名单.xlsx”的类型：没有找到海关数据、省级奖励或企业申报汇总的表头。…”",
             exit=1, stderr=[PROVINCE, "无法识别"])
    c.start()
    write_xlsx(c.path(PROVINCE), {PROVINCE_SHEET: [prov[0]] + prov[2:]})

    c = case("15_missing_required_column", "缺少必需的列（省级奖励名单没有“支持项目”列）",
             "“文件“省厅奖励名单.xlsx”工作表“拟奖励企业名单”（看起来是省级奖励）缺少必需的列：奖励项目。请补上这些列…”",
             exit=1, stderr=[PROVINCE, PROVINCE_SHEET, "奖励项目"])
    c.start()
    write_xlsx(c.path(PROVINCE), {PROVINCE_SHEET: [row[:3] + row[4:] for row in prov]})

    c = case("16_customs_missing_hs_column", "海关数据缺少“商品编码”列",
             "“文件“海关数据2023.xlsx”工作表“进出口明细”（看起来是海关数据）缺少必需的列：商品编码。…”",
             exit=1, stderr=[CUSTOMS23, CUSTOMS_SHEET, "商品编码"])
    c.start()
    rows23 = grids(CUSTOMS23)[CUSTOMS_SHEET]
    write_xlsx(c.path(CUSTOMS23), {CUSTOMS_SHEET: [row[:6] + row[7:] for row in rows23]})

    c = case("50_missing_code_column", "省级奖励名单缺少“统一社会信用代码”列",
             "“文件“省厅奖励名单.xlsx”工作表“拟奖励企业名单”（看起来是省级奖励）缺少必需的列：统一社会信用代码。…”",
             exit=1, stderr=[PROVINCE, PROVINCE_SHEET, "统一社会信用代码"])
    c.start()
    write_xlsx(c.path(PROVINCE), {PROVINCE_SHEET: [row[:2] + row[3:] for row in prov]})

    c = case("17_role_unknown", "无法识别用途的文件（文件夹里多了一张通讯录）",
             "“无法识别文件“通讯录.xlsx”的类型：没有找到海关数据、省级奖励或企业申报汇总的表头。…”",
             exit=1, stderr=["通讯录.xlsx", "无法识别"])
    c.start()
    write_xlsx(c.path("通讯录.xlsx"), {"Sheet1": [["姓名", "部门", "电话"], ["张三", "外贸科", "0467-1234567"]]})

    c = case("18_two_province_files", "两个文件都是省级奖励名单",
             "“有多个文件被识别为省级奖励数据：“省厅奖励名单.xlsx”、“省厅奖励名单(1).xlsx”。请只保留一个省级奖励文件。”",
             exit=1, stderr=[PROVINCE, "省厅奖励名单(1).xlsx", "多个文件"])
    c.start()
    write_xlsx(c.path("省厅奖励名单(1).xlsx"), {PROVINCE_SHEET: prov[:-2]})

    c = case("19_identical_copies", "同一文件放了两份", "“文件“…”和“…”内容完全相同，请删除其中一个后重新运行。”",
             exit=1, stderr=["内容完全相同", "副本"])
    c.start()
    shutil.copyfile(SAMPLES / CUSTOMS22, c.path("hg_2022_export - 副本.xlsx"))

    c = case("20_no_customs_file", "缺少海关数据", "“没有找到海关数据文件（需要 年月、统一社会信用代码、…）。海关数据是必需的。”",
             exit=1, stderr=["没有找到海关数据"])
    c.start(drop=(CUSTOMS23, CUSTOMS22))

    c = case("21_two_candidate_header_rows", "两行都像表头：表头在数据中间又重复了一次（两份导出拼接）",
             "取第一行表头；重复的表头行列入待核查（一行，类别“重复表头行”），其余照常",
             review=[{"类别": "重复表头行", "文件": PROVINCE, "行号": 14}])
    c.start()
    write_xlsx(c.path(PROVINCE), {PROVINCE_SHEET: prov[:13] + [p_hdr] + prov[13:]})

    c = case("22_duplicate_column_names", "重复的列名（两列“省级奖励金额（元）”）",
             "提示“有重复的列“…”，只使用第一列”，按第一列计算", stdout=["重复的列"])
    c.start()
    write_xlsx(c.path(PROVINCE), {PROVINCE_SHEET: [row + ([p_hdr[4]] if i == 1 else [0 if i > 1 else None])
                                                   for i, row in enumerate(prov)]})

    c = case("23_merged_header_cells", "合并单元格的两行表头（“金额”合并在“美元/人民币（元）”之上，美元在前）",
             "两行表头合并识别，金额取人民币列，美元列不用；屏幕上说明；结果相同",
             stdout=["美元", "未使用"])
    c.start()
    rows23 = grids(CUSTOMS23)[CUSTOMS_SHEET]
    head = rows23[2][:10] + ["金额", None]
    sub = [None] * 10 + ["美元", "人民币（元）"]
    data = [row[:10] + [_dollars(row[10]), row[10]] if isinstance(row[10], (int, float)) else row + [None]
            for row in rows23[3:]]
    merges = [f"{col}3:{col}4" for col in "ABCDEFGHIJ"] + ["K3:L3"]
    write_xlsx(c.path(CUSTOMS23), {CUSTOMS_SHEET: rows23[:2] + [head, sub] + data}, merges={CUSTOMS_SHEET: merges})

    c = case("24_hidden_sheets", "隐藏的工作表（申报汇总里藏着一张旧的企业信息）", "隐藏工作表跳过并在屏幕上说明，结果相同",
             stdout=["隐藏工作表"])
    c.start()
    apps = grids(APPS)
    old = [apps["企业信息"][0]] + [row[:7] + ["0"] + row[8:] for row in apps["企业信息"][1:5]]
    write_xlsx(c.path(APPS), {**apps, "旧企业信息": old}, hidden=("旧企业信息",))

    # --- cell values ------------------------------------------------------------------
    r = firm_rows[0]
    c = case("25_text_in_number_cell", "数字单元格里是文字（省级奖励金额写成“十二万”）",
             "待核查：数据格式错误，文件/工作表/行号/列，值“十二万”，说明“省级奖励金额（元）：不是数字，应填写金额（元），该行未纳入计算”；其他企业照常",
             review=[{"类别": "数据格式错误", "文件": PROVINCE, "行号": r + 1, "值": "十二万"}],
             same_payout={"except": [code_at(prov, r)]})
    rows = [list(x) for x in prov]
    rows[r][4] = "十二万"
    write_xlsx(c.start().path(PROVINCE), {PROVINCE_SHEET: rows})

    r = firm_rows[1]
    c = case("26_negative_amount", "负数金额（省级奖励金额 -300000）", "待核查：金额为负，“…不能为负数，该行未纳入计算”；其他企业照常",
             review=[{"类别": "金额为负", "文件": PROVINCE, "行号": r + 1}],
             same_payout={"except": [code_at(prov, r)]})
    rows = [list(x) for x in prov]
    rows[r][4] = -abs(rows[r][4])
    write_xlsx(c.start().path(PROVINCE), {PROVINCE_SHEET: rows})

    c = case("27_customs_corrections", "海关数据中的冲减行（负数金额，允许）", "负数按冲减计入，结果相同（冲减行与被冲减行相抵）")
    rows23 = grids(CUSTOMS23)[CUSTOMS_SHEET]
    extra = []
    for row in rows23[3:8]:
        plus = list(row)
        plus[10] = row[10] + 1                  # a row of its own (an exact copy would be a 重复行)
        minus = list(plus)
        minus[10] = -plus[10]
        minus[8] = -row[8]
        extra += [plus, minus]
    write_xlsx(c.start().path(CUSTOMS23), {CUSTOMS_SHEET: rows23[:-1] + extra + rows23[-1:]})

    c = case("28_numbers_as_text", "数字存成文本：千分位逗号、全角数字、前后空格", "照常识别为数字，结果相同")
    rows = [list(x) for x in prov]
    full = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
    for k, i in enumerate(firm_rows):
        amount = rows[i][4]
        text = f"{amount:,.2f}"
        rows[i][4] = [text, text.translate(full), f"  {amount}  ", f"¥{text}"][k % 4]
    write_xlsx(c.start().path(PROVINCE), {PROVINCE_SHEET: rows})

    c = case("29_wan_yuan_column", "金额列以万元为单位（“省级奖励金额（万元）”）", "按表头换算为元，结果相同")
    rows = [list(x) for x in prov]
    rows[1][4] = "省级奖励金额（万元）"
    from decimal import Decimal
    for i in firm_rows + [len(prov) - 1]:
        rows[i][4] = float(Decimal(repr(rows[i][4])) / 10000)
    write_xlsx(c.start().path(PROVINCE), {PROVINCE_SHEET: rows})

    apps = grids(APPS)
    loans = apps["贷款台账"]
    dates = [row[2] for row in loans[1:]]
    c = case("30_dates_listed_forms", "发放日用 INPUTS.md 列出的各种写法（Excel日期、2023-05-10、2023/5/10、2023年5月10日、20230510、Excel序号）",
             "全部识别，结果相同")
    new = [list(x) for x in loans]
    forms = [lambda d: d.to_pydatetime(), lambda d: d.strftime("%Y-%m-%d"), lambda d: f"{d.year}/{d.month}/{d.day}",
             lambda d: f"{d.year}年{d.month}月{d.day}日", lambda d: int(d.strftime("%Y%m%d")),
             lambda d: (d - pd.Timestamp("1899-12-30")).days]
    parsed = []
    for d in dates:
        if isinstance(d, str) and "年" in d:
            y, rest = d.split("年")
            m, rest = rest.split("月")
            d = pd.Timestamp(int(y), int(m), int(rest.rstrip("日")))
        else:
            d = pd.Timestamp(str(d)) if not isinstance(d, (pd.Timestamp, dt.datetime)) else pd.Timestamp(d)
        parsed.append(d)
    for k, d in enumerate(parsed):
        new[k + 1][2] = forms[(k + 1) % len(forms)](d)
    write_xlsx(c.start().path(APPS), {**apps, "贷款台账": new})

    c = case("31_dates_other_forms", "发放日用未列出的写法：2023.6.19、“2023-06-20 00:00:00”（能识别）；06/19/2023、2023年8月22号（不能识别）",
             "能识别的照常；不能识别的列入待核查：数据格式错误，“发放日：不是日期，应填写如 2023-05-10，该行未纳入计算”",
             review=[{"类别": "数据格式错误", "文件": APPS, "工作表": "贷款台账", "列": "发放日", "行号": 4},
                     {"类别": "数据格式错误", "文件": APPS, "工作表": "贷款台账", "列": "发放日", "行号": 5}],
             same_payout={"except": [loans[3][0], loans[4][0]]})
    new = [list(x) for x in loans]
    d0, d1, d2, d3 = parsed[:4]
    new[1][2] = f"{d0.year}.{d0.month}.{d0.day}"
    new[2][2] = d1.strftime("%Y-%m-%d 00:00:00")
    new[3][2] = d2.strftime("%m/%d/%Y")
    new[4][2] = f"{d3.year}年{d3.month}月{d3.day}号"
    write_xlsx(c.start().path(APPS), {**apps, "贷款台账": new})

    firms = apps["企业信息"]
    rate_col = firms[0].index("能源资源进口落地率(%)")
    c = case("32_percent_forms", "落地率写成 55、“55%”、“55％”、0.55（Excel百分比单元格）", "全部按 55% 理解，结果相同")
    new = [list(x) for x in firms]
    k = 0
    for row in new[1:]:
        v = row[rate_col]
        if v is None:
            continue
        if isinstance(v, str):
            points = Decimal(v.rstrip("%"))
        else:
            points = Decimal(repr(v)) * 100 if v <= 1 else Decimal(repr(v))
        row[rate_col] = [float(points), f"{points}%", f"{points}％", float(points / 100)][k % 4]
        k += 1
    write_xlsx(c.start().path(APPS), {**apps, "企业信息": new})

    # --- codes ------------------------------------------------------------------------
    c = case("33_codes_spaces_case_fullwidth", "信用代码带空格、小写字母、全角字符", "自动去空格、转大写、全角转半角，结果相同")
    rows = [list(x) for x in prov]
    wide = str.maketrans({chr(i): chr(i + 0xFEE0) for i in range(0x21, 0x7F)})
    for k, i in enumerate(firm_rows):
        code = rows[i][2]
        rows[i][2] = [f" {code} ", code.lower(), code.translate(wide), f"{code[:8]} {code[8:]}"][k % 4]
    write_xlsx(c.start().path(PROVINCE), {PROVINCE_SHEET: rows})

    rows = [list(x) for x in prov]
    r_len, r_letter, r_check = firm_rows[2], firm_rows[3], firm_rows[4]
    short = rows[r_len][2][:-1]
    letter = rows[r_letter][2][:10] + "O" + rows[r_letter][2][11:]
    good = rows[r_check][2]
    bad = good[:17] + next(ch for ch in "0123456789ABCDEFGHJKLMNPQRTUWXY" if ch != check_char(good[:17]))
    rows[r_len][2], rows[r_letter][2], rows[r_check][2] = short, letter, bad
    c = case("34_codes_invalid", "信用代码位数不对、含禁用字母（O）、第18位校验码错误",
             "位数/字母错误：待核查“统一社会信用代码无效”（“有17位，应为18位”/“含有不允许的字符“O”…”），该行未纳入计算；"
             "校验码错误：照常计算并列入待核查“校验码错误”",
             review=[{"类别": "统一社会信用代码无效", "文件": PROVINCE, "行号": r_len + 1, "值": short},
                     {"类别": "统一社会信用代码无效", "文件": PROVINCE, "行号": r_letter + 1, "值": letter},
                     {"类别": "校验码错误", "文件": PROVINCE, "值": bad}],
             same_payout={"except": [good, code_at(prov, r_len), code_at(prov, r_letter)]})
    write_xlsx(c.start().path(PROVINCE), {PROVINCE_SHEET: rows})

    # --- firms ------------------------------------------------------------------------
    dup = next(i for i, row in enumerate(firms) if i and row[firms[0].index("本地加工产品出口额(元)")])
    dup_code = firms[dup][0]
    c = case("35_same_firm_twice", "同一企业在“企业信息”中出现两次，两行内容不同（联系电话不同）",
             "两行都列入待核查“重复申报”（“该企业在“企业信息”表中有多行（第N行、第M行），内容不一致，无法确定以哪一行为准…”），该企业申报类奖励暂不计算，其他企业照常",
             review=[{"类别": "重复申报", "文件": APPS, "值": dup_code, "行号": dup + 1},
                     {"类别": "重复申报", "文件": APPS, "值": dup_code, "行号": len(firms) + 1}],
             same_payout={"except": [dup_code]})
    second = list(firms[dup])
    second[firms[0].index("联系电话")] = "13900000000"
    write_xlsx(c.start().path(APPS), {**apps, "企业信息": firms + [second]})

    rows = [list(x) for x in prov]
    r = firm_rows[5]
    rows[r][1] = rows[r][1].replace("有限公司", "有限责任公司")
    c = case("36_same_firm_different_names", "同一企业在不同文件中名称不同", "待核查“名称不一致”，列出各文件中的名称；通知书用申报汇总中的名称，金额不变",
             review=[{"类别": "名称不一致", "统一社会信用代码": code_at(prov, r)}])
    write_xlsx(c.start().path(PROVINCE), {PROVINCE_SHEET: rows})

    rows23 = grids(CUSTOMS23)[CUSTOMS_SHEET]
    mid = len(rows23) // 2
    subtotal = ["小计", None, None, None, None, None, None, None, None, None, 123456789.0]
    c = case("37_total_row_in_middle", "表格中间有一行“小计”", "跳过并计数（数据核对“合计行跳过数”），不当作企业，结果相同",
             stdout=["跳过合计行 2 行"])
    write_xlsx(c.start().path(CUSTOMS23), {CUSTOMS_SHEET: rows23[:mid] + [subtotal] + rows23[mid:]})

    c = case("38_formulas_with_results", "输入单元格是公式（Excel保存过，带计算结果）", "取公式的计算结果，结果相同")
    c.start()
    wb = xlsxwriter.Workbook(str(c.path(PROVINCE)))
    ws = wb.add_worksheet(PROVINCE_SHEET)
    for i, row in enumerate(prov):
        for j, v in enumerate(row):
            if v is None:
                continue
            if j == 4 and i in firm_rows and isinstance(v, (int, float)):
                ws.write_formula(i, j, f"={v}*1", None, v)
            elif j == 4 and i == len(prov) - 1:
                ws.write_formula(i, j, f"=SUM(E3:E{i})", None, v)
            else:
                ws.write(i, j, v) if not isinstance(v, str) else ws.write_string(i, j, v)
    wb.close()

    col_local = firms[0].index("本地加工产品出口额(元)")
    r = dup
    c = case("39_formulas_without_results", "公式没有计算结果（程序生成、未经Excel保存的文件）",
             "不当作空值：列入待核查“数据格式错误”，值为公式文本（如“=35000000*1”），“不是数字…该行未纳入计算”",
             review=[{"类别": "数据格式错误", "文件": APPS, "工作表": "企业信息", "行号": r + 1,
                      "值": f"={firms[r][col_local]}*1"}],
             same_payout={"except": [firms[r][0]]})
    new = [list(x) for x in firms]
    new[r][col_local] = f"={firms[r][col_local]}*1"
    write_xlsx(c.start().path(APPS), {**apps, "企业信息": new})     # openpyxl stores no cached value

    rows = [list(x) for x in prov]
    r = firm_rows[6]
    rows[r][3] = "外贸新业态创新奖励"
    c = case("40_unknown_province_item", "省级奖励名单中有政策文件里没有的奖励项目",
             "待核查“未知奖励项目”，“不属于本政策对应的省级奖励项目（…）”，该行未纳入计算（不会被丢弃而不提示）",
             review=[{"类别": "未知奖励项目", "文件": PROVINCE, "行号": r + 1, "值": "外贸新业态创新奖励"}],
             same_payout={"except": [code_at(prov, r)]})
    write_xlsx(c.start().path(PROVINCE), {PROVINCE_SHEET: rows})

    new = [list(x) for x in loans]
    new[1][2] = "2018-05-10"
    c = case("41_loan_before_lpr_table", "贷款发放日早于 LPR 数据表（2018-05-10）",
             "待核查“贷款日期早于LPR表”，“该笔贷款未计入贴息”",
             review=[{"类别": "贷款日期早于LPR表", "文件": APPS, "行号": 2}],
             same_payout={"except": [loans[1][0]]})
    write_xlsx(c.start().path(APPS), {**apps, "贷款台账": new})

    # --- security ---------------------------------------------------------------------
    c = case("42_xml_entity_bomb", "工作簿内含 XML 实体炸弹（billion laughs）",
             "立即拒绝：“文件“省厅奖励名单.xlsx”中的“xl/worksheets/sheet1.xml”含有 DOCTYPE/ENTITY 声明，可能是恶意构造的文件，已拒绝读取。…”",
             exit=1, stderr=[PROVINCE, "ENTITY"])
    rewrite_member(SAMPLES / PROVINCE, c.start().path(PROVINCE), "xl/worksheets/sheet1.xml", bomb_sheet)

    c = case("43_xml_entity_bomb_behind_comment", "实体炸弹藏在 8 KB 注释之后（躲过只看文件开头的检查）",
             "同上，立即拒绝", exit=1, stderr=[PROVINCE, "ENTITY"])
    rewrite_member(SAMPLES / PROVINCE, c.start().path(PROVINCE), "xl/sharedStrings.xml",
                   lambda d: b'<?xml version="1.0"?>\n<!--' + b"x" * 8192 + b"-->\n" + BOMB[22:]
                   + d.split(b"?>", 1)[1])

    c = case("44_zip_bomb", "压缩炸弹（一个成员解压后 200 MB 全零）",
             "“文件“省厅奖励名单.xlsx”中的“xl/media/pad.bin”压缩比异常，可能是恶意构造的文件，已拒绝读取。”",
             exit=1, stderr=[PROVINCE, "压缩比"])
    c.start()
    src = (SAMPLES / PROVINCE).read_bytes()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(c.path(PROVINCE), "w", zipfile.ZIP_DEFLATED,
                                                                   compresslevel=9) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        zout.writestr("xl/media/pad.bin", b"\0" * (200 << 20))

    c = case("45_huge_dimension", "超大表格：一个单元格写在 XFD1048576（文件只有几 KB，读入需要 170 亿个单元格）",
             "读入前拒绝：“文件“省厅奖励名单.xlsx”工作表“拟奖励企业名单”太大：数据范围 1,048,576 行 × 16,384 列…超过程序的处理上限（每个工作表最多 1,048,576 行、15,000,000 个单元格）…”",
             exit=1, stderr=[PROVINCE, PROVINCE_SHEET, "15,000,000", "上限"])
    c.start()
    wb = xlsxwriter.Workbook(str(c.path(PROVINCE)))
    ws = wb.add_worksheet(PROVINCE_SHEET)
    for i, row in enumerate(prov):
        for j, v in enumerate(row):
            if v is not None:
                ws.write(i, j, v)
    ws.write_string(1048575, 16383, "x")
    wb.close()

    names = {}
    rows = [list(x) for x in firms]
    attack = ["=HYPERLINK(\"http://example.com\",\"点我\")", "+1+2", "-3+4", "@SUM(A1:A2)"]
    paid_rows = [i for i, row in enumerate(rows) if i and row[col_local]][:4]
    for k, i in enumerate(paid_rows):
        names[rows[i][0]] = attack[k]
        rows[i][1] = attack[k]
    c = case("46_formula_like_names", "企业名称以 = + - @ 开头（公式注入）",
             "兑现表中按文本原样写入（不会成为公式）；待核查“企业名称含特殊字符”和“名称不一致”",
             review=[{"类别": "企业名称含特殊字符", "文件": APPS, "统一社会信用代码": code} for code in names],
             formula_names=list(names.values()))
    write_xlsx(c.start().path(APPS), {**apps, "企业信息": rows})

    rows = [list(x) for x in firms]
    path_names = ["../../../逃逸公司", "..\\..\\Windows\\System32\\逃逸", "/etc/passwd", "CON"]
    paid_rows = [i for i, row in enumerate(rows) if i and row[col_local]][4:8]
    codes = []
    for k, i in enumerate(paid_rows):
        rows[i][1] = path_names[k]
        codes.append(rows[i][0])
    c = case("47_path_like_names", "企业名称像路径（../../、\\、/etc/passwd、CON），用作通知书文件名",
             "通知书文件名去掉路径符号，只写在本次运行的“通知书”文件夹内；待核查“企业名称含特殊字符”；金额不变",
             review=[{"类别": "企业名称含特殊字符", "文件": APPS, "统一社会信用代码": code} for code in codes[:3]],
             letters=True)
    write_xlsx(c.start().path(APPS), {**apps, "企业信息": rows})

    rows = [list(x) for x in prov]
    rows[firm_rows[7]][4] = "N/A"
    rows[firm_rows[8]][2] = None
    c = case("48_several_bad_cells", "同一文件里多种坏单元格（金额“N/A”、信用代码为空）",
             "每个坏单元格一行待核查（文件、工作表、行号、列、值、说明），其他企业照常",
             review=[{"类别": "数据格式错误", "文件": PROVINCE, "行号": firm_rows[7] + 1, "值": "N/A"},
                     {"类别": "缺少统一社会信用代码", "文件": PROVINCE, "行号": firm_rows[8] + 1}],
             same_payout={"except": [code_at(prov, firm_rows[7]), code_at(prov, firm_rows[8])]})
    write_xlsx(c.start().path(PROVINCE), {PROVINCE_SHEET: rows})

    c = case("49_excel_lock_file", "Excel 打开时留下的临时文件 ~$企业申报汇总.xlsx", "跳过临时文件，结果相同")
    c.start().path("~$企业申报汇总.xlsx").write_bytes(b"\x0c" + "张三".encode("utf-16-le") + b"\0" * 150)

    # --- fail closed (INPUTS.md "Fail closed: never a silently wrong payout") -----------
    # duplicates: counted once, each copy listed as 重复行, counted per file on the console
    rows23 = grids(CUSTOMS23)[CUSTOMS_SHEET]          # index 2 = header, 3..505 = data, 506 = 合计
    copy_sheet = CUSTOMS_SHEET + " (2)"
    c = case("52_sheet_copied_in_workbook", "海关数据工作簿里把工作表复制了一份（“进出口明细 (2)”与原表完全相同）",
             "复制表的每一行列入待核查“重复行”（“该行与文件…工作表“进出口明细”第N行各列内容相同（序号列除外），视为重复行，只计算一次…”），"
             "屏幕上说明“海关数据2023.xlsx：502 行与前面的行完全相同（重复行），只计算一次”；兑现金额不变",
             stdout=[f"{CUSTOMS23}：502 行与前面的行完全相同（重复行），只计算一次，已列入待核查"],
             review=[{"类别": "重复行", "文件": CUSTOMS23, "工作表": copy_sheet, "行号": 4},
                     {"类别": "重复行", "文件": CUSTOMS23, "工作表": copy_sheet, "行号": len(rows23) - 1}],
             data_check=[{"文件": CUSTOMS23, "工作表": CUSTOMS_SHEET, "使用行数": 502},
                         {"文件": CUSTOMS23, "工作表": copy_sheet, "使用行数": 0, "待核查行数": 503}])
    write_xlsx(c.start().path(CUSTOMS23), {CUSTOMS_SHEET: rows23, copy_sheet: rows23})

    pasted = rows23[10:15]                            # Excel rows 11..15
    c = case("53_customs_rows_pasted_twice", "海关数据末尾（合计行下面）又粘贴了一遍其中 5 行",
             "粘贴的 5 行列入待核查“重复行”（“该行与本表第11行各列内容相同…”），屏幕上说明“5 行与前面的行完全相同（重复行）”；兑现金额不变",
             stdout=[f"{CUSTOMS23}：5 行与前面的行完全相同（重复行），只计算一次，已列入待核查"],
             review=[{"类别": "重复行", "文件": CUSTOMS23, "工作表": CUSTOMS_SHEET, "行号": len(rows23) + 1 + k,
                      "值": str(row[2])} for k, row in enumerate(pasted)])
    write_xlsx(c.start().path(CUSTOMS23), {CUSTOMS_SHEET: rows23 + pasted})

    again = [list(prov[i]) for i in firm_rows[:3]]
    c = case("54_province_rows_pasted_twice", "省级奖励名单中 3 行粘贴了两遍（放在合计行上面）",
             "多出的 3 行列入待核查“重复行”，省级奖励只计一次；屏幕上说明“3 行与前面的行完全相同（重复行）”；兑现金额不变",
             stdout=[f"{PROVINCE}：3 行与前面的行完全相同（重复行），只计算一次，已列入待核查"],
             review=[{"类别": "重复行", "文件": PROVINCE, "行号": len(prov) + k, "值": code_at(prov, i)}
                     for k, i in enumerate(firm_rows[:3])])
    write_xlsx(c.start().path(PROVINCE), {PROVINCE_SHEET: prov[:-1] + again + prov[-1:]})

    c = case("55_firm_info_row_copied", "“企业信息”中一户企业的行原样复制了一行（各列完全相同）",
             "复制的行列入待核查“重复行”（不是“重复申报”：内容相同，不必取舍），该企业照常计算；兑现金额不变",
             review=[{"类别": "重复行", "文件": APPS, "工作表": "企业信息", "行号": len(firms) + 1, "值": dup_code}])
    write_xlsx(c.start().path(APPS), {**apps, "企业信息": firms + [list(firms[dup])]})

    again_file = "海关数据2023（另存）.xlsx"
    c = case("56_customs_sheet_in_second_file", "同一张海关数据另存成了另一个文件名（“海关数据2023（另存）.xlsx”，内容相同、文件不完全相同）",
             "另存文件的每一行列入待核查“重复行”，只计算一次；屏幕上说明“海关数据2023（另存）.xlsx：502 行与前面的行完全相同（重复行）”；兑现金额不变",
             stdout=[f"{again_file}：502 行与前面的行完全相同（重复行），只计算一次，已列入待核查"],
             review=[{"类别": "重复行", "文件": again_file, "工作表": CUSTOMS_SHEET, "行号": 4}],
             data_check=[{"文件": again_file, "工作表": CUSTOMS_SHEET, "使用行数": 0, "待核查行数": 503}])
    write_xlsx(c.start().path(again_file), {CUSTOMS_SHEET: rows23})

    last_seq = max(row[0] for row in rows23[3:-1] if isinstance(row[0], (int, float)))
    renumbered = [[int(last_seq) + 1 + k] + list(row[1:]) for k, row in enumerate(rows23[20:25])]
    c = case("57_copies_differ_only_in_seq", "海关数据中 5 行被复制到表尾，序号列接着往下编（只有序号不同）",
             "序号列不参与比较：5 行仍是“重复行”，列入待核查，只计算一次；兑现金额不变",
             stdout=[f"{CUSTOMS23}：5 行与前面的行完全相同（重复行），只计算一次，已列入待核查"],
             review=[{"类别": "重复行", "文件": CUSTOMS23, "行号": len(rows23) + k, "值": str(row[2])}
                     for k, row in enumerate(renumbered)])
    write_xlsx(c.start().path(CUSTOMS23), {CUSTOMS_SHEET: rows23[:-1] + renumbered + rows23[-1:]})

    # hidden and filtered rows: read and computed (hiding is not deleting), counted per sheet
    c = case("58_hidden_rows", "隐藏的行：省级奖励名单隐藏了 3 行、海关数据隐藏了 5 行（行里有数据）",
             "隐藏行照常读取和计算；屏幕上说明“工作表“…”有 3 行数据在表格中被隐藏，已照常读取和计算（隐藏不等于删除）…”；"
             "数据核对“其中隐藏行数”列出 3 和 5；兑现金额不变",
             stdout=[f"{PROVINCE}：工作表“{PROVINCE_SHEET}”有 3 行数据在表格中被隐藏，已照常读取和计算（隐藏不等于删除）",
                     f"{CUSTOMS23}：工作表“{CUSTOMS_SHEET}”有 5 行数据在表格中被隐藏，已照常读取和计算"],
             data_check=[{"文件": PROVINCE, "工作表": PROVINCE_SHEET, "其中隐藏行数": 3, "使用行数": 21},
                         {"文件": CUSTOMS23, "工作表": CUSTOMS_SHEET, "其中隐藏行数": 5, "使用行数": 502}])
    c.start()
    write_xlsx(c.path(PROVINCE), {PROVINCE_SHEET: prov}, hidden_rows={PROVINCE_SHEET: [6, 7, 8]})
    write_xlsx(c.path(CUSTOMS23), {CUSTOMS_SHEET: rows23}, hidden_rows={CUSTOMS_SHEET: list(range(30, 35))})

    direction = rows23[2].index("进出口")
    imports = [i + 1 for i, row in enumerate(rows23) if i > 2 and row[direction] == "进口"]
    c = case("59_filtered_rows", f"海关数据设了筛选，只显示“出口”，{len(imports)} 行“进口”被筛选掉",
             f"被筛选掉的行照常读取和计算；屏幕上说明“有 {len(imports)} 行数据在表格中被隐藏或被筛选掉…”；"
             f"数据核对“其中隐藏行数”为 {len(imports)}；兑现金额不变",
             stdout=[f"{CUSTOMS23}：工作表“{CUSTOMS_SHEET}”有 {len(imports)} 行数据在表格中被隐藏或被筛选掉，已照常读取和计算"],
             data_check=[{"文件": CUSTOMS23, "工作表": CUSTOMS_SHEET, "其中隐藏行数": len(imports), "使用行数": 502}])
    write_xlsx(c.start().path(CUSTOMS23), {CUSTOMS_SHEET: rows23}, hidden_rows={CUSTOMS_SHEET: imports},
               filters={CUSTOMS_SHEET: (f"A3:K{len(rows23)}", direction, ["出口"])})

    # a mostly unusable table stops the run
    rows = [list(x) for x in prov]
    for i in firm_rows[:13]:
        rows[i][4] = "待定"
    c = case("60_unusable_table_amounts", "省级奖励名单大半行的金额写成“待定”（23 行中 13 行，另有 2 行原本就有问题）",
             "“文件“省厅奖励名单.xlsx”工作表“拟奖励企业名单”的 23 行数据中有 15 行无法使用，超过一半。最常见的问题在“省级奖励金额（元）”列"
             "（数据格式错误，13 处），例如第 3 行的“待定”…请核对是否选错了文件或工作表…”",
             exit=1, stderr=[PROVINCE, PROVINCE_SHEET, "省级奖励金额（元）", "超过一半", "待定"])
    write_xlsx(c.start().path(PROVINCE), {PROVINCE_SHEET: rows})

    rows = [list(x) for x in rows23]
    cut = range(3, 3 + (len(rows23) - 4) * 3 // 5)
    for i in cut:
        rows[i][2] = str(rows[i][2])[:17]
    c = case("61_unusable_table_codes", "海关数据六成行的信用代码少了最后一位（复制时被截掉）",
             "“文件“海关数据2023.xlsx”工作表“进出口明细”的 503 行数据中有 302 行无法使用，超过一半。最常见的问题在“统一社会信用代码”列"
             "（统一社会信用代码无效，…处），例如第 4 行的…”",
             exit=1, stderr=[CUSTOMS23, CUSTOMS_SHEET, "统一社会信用代码", "超过一半", str(rows[3][2])])
    write_xlsx(c.start().path(CUSTOMS23), {CUSTOMS_SHEET: rows})

    # bank accounts: listed for review, the firm 待核查, amounts unchanged
    acc = firms[0].index("银行账号")

    def firm_index(code: str) -> int:
        return next(i for i, row in enumerate(firms) if i and row[0] == code)

    accounts = [
        ("62_account_is_date", "91230302MA1CF4TL71", "银行账号被Excel改成了日期（单元格里是日期 2023-05-10）",
         "账号是日期，可能被Excel改成了日期格式，请按文本重新填写", lambda a: dt.datetime(2023, 5, 10), False),
        ("63_account_is_formula", "91230302MA1LQP7Y5W", "银行账号写成公式 =\"6227…\"（程序生成、没有计算结果的文件）",
         "账号是公式（以“=”开头），不是账号本身，请填写账号数字", lambda a: f'="{a}"', True),
        ("64_account_leading_apostrophe", "91230302MA1MRQ8A7M", "银行账号前带单引号 '6222…（从系统导出的文本）",
         "账号前有单引号，请去掉单引号，按文本填写账号数字", lambda a: f"'{a}", True),
        ("65_account_with_letters", "91230303MA1D2HNX5P", "银行账号里数字 0 打成了字母 O",
         "账号含有字母，请核对", lambda a: a.replace("0", "O", 1), True),
        ("66_account_scientific_notation", "91230302MA1N8R8B7W", "银行账号存成了数字（Excel 显示为 6.22756E+18，后几位已丢失）",
         "账号被Excel存成了数字，超过15位的部分已经丢失", lambda a: float(a), False),
    ]
    for name, code, note, reason, change, pin_value in accounts:
        r = firm_index(code)
        new = [list(x) for x in firms]
        new[r][acc] = change(new[r][acc])
        wanted = {"类别": "银行账号有误", "文件": APPS, "工作表": "企业信息", "行号": r + 1, "列": "银行账号",
                  "统一社会信用代码": code}
        if pin_value:
            wanted["值"] = new[r][acc]
        review = [wanted]
        clerk = f"待核查“银行账号有误”，说明“银行账号：{reason}…（该企业暂缓拨付）”；企业汇总中该企业状态为暂缓拨付，兑现金额不变"
        if isinstance(new[r][acc], float):
            review.append({"类别": "缺少开户信息", "统一社会信用代码": code})
            clerk = (f"待核查“银行账号有误”（“银行账号：{reason}，请将该列设为文本后重新填写”）和“缺少开户信息”，"
                     "兑现表中不写这个不完整的账号；该企业状态为暂缓拨付，兑现金额不变")
        c = case(name, note, clerk, review=review, status={code: "暂缓拨付"})
        write_xlsx(c.start().path(APPS), {**apps, "企业信息": new})

    # total rows: a firm whose name holds 小计 is a firm; 合计 written with spaces is a total
    rows = [list(x) for x in prov]
    odd_code = "91230302MA1CXJ8L7"
    odd = [len(firm_rows) + 1, "鸡西市小计量仪器有限公司", odd_code, "境外展会补贴", 50000, "黑商务发〔2024〕18号"]
    c = case("67_total_like_firm_name_bad_code", "企业名称含“小计”（鸡西市小计量仪器有限公司），信用代码又少打了一位",
             "不当作合计行跳过：列入待核查“统一社会信用代码无效”（“统一社会信用代码有17位，应为18位，该行未纳入计算”），合计行跳过数仍为 1",
             review=[{"类别": "统一社会信用代码无效", "文件": PROVINCE, "行号": len(prov), "值": odd_code,
                      "企业名称": "鸡西市小计量仪器有限公司"}],
             data_check=[{"文件": PROVINCE, "工作表": PROVINCE_SHEET, "合计行跳过数": 1, "待核查行数": 3}])
    write_xlsx(c.start().path(PROVINCE), {PROVINCE_SHEET: rows[:-1] + [odd] + rows[-1:]})

    c = case("68_total_rows_with_spaces", "合计行写法带空格：“合　计”（全角空格）、“总 计：”，名单中间还有一行“小 计”",
             "都认作合计行跳过并计数（数据核对“合计行跳过数”），不列入待核查，结果相同",
             data_check=[{"文件": CUSTOMS23, "工作表": CUSTOMS_SHEET, "合计行跳过数": 1, "待核查行数": 1},
                         {"文件": CUSTOMS22, "合计行跳过数": 1, "待核查行数": 0},
                         {"文件": PROVINCE, "合计行跳过数": 2, "待核查行数": 2}])
    c.start()
    rows = [list(x) for x in rows23]
    rows[-1][0] = "合\u3000计"
    write_xlsx(c.path(CUSTOMS23), {CUSTOMS_SHEET: rows})
    rows = [list(x) for x in grids(CUSTOMS22)["Sheet1"]]
    rows[-1][0] = "总 计："
    write_xlsx(c.path(CUSTOMS22), {"Sheet1": rows})
    rows = [list(x) for x in prov]
    write_xlsx(c.path(PROVINCE), {PROVINCE_SHEET: rows[:13] + [["小 计", None, None, None, 5000000, None]] + rows[13:]})

    # bad settings: the policy file given with --policy
    shipped = (REPO / "jixi_batch" / "policies" / "2023.yaml").read_text(encoding="utf-8")
    policy_name = "政策参数2023（修改）.yaml"

    def edited(old: str, new: str) -> str:
        assert shipped.count(old) == 1, old
        return shipped.replace(old, new)

    laughs = ['  lol0: &a0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]'] + [
        f"  lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    policies = [
        ("69_policy_negative_rate", "政策参数文件（--policy）中 A1 的比例写成负数 rate: \"-10\"",
         "“政策参数文件“政策参数2023（修改）.yaml”的 rules.A1.rate 应为大于 0、不超过 100 的百分数…实际为“-10””",
         ["rules.A1.rate", "-10"],
         edited('rate: "10"                  # % of the provincial award actually received',
                'rate: "-10"                 # % of the provincial award actually received')),
        ("70_policy_missing_cap", "政策参数文件中删掉了 A3S 的上限（cap）",
         "“政策参数文件“政策参数2023（修改）.yaml”缺少参数 rules.A3S.cap（大于 0 的金额（元，最多两位小数））”",
         ["缺少参数", "rules.A3S.cap"],
         edited('    rate: "50"                  # % of 入驻费 + 推广费\n    cap: 500000                 # 元\n',
                '    rate: "50"                  # % of 入驻费 + 推广费\n')),
        ("71_policy_rate_not_a_number", "政策参数文件中 A5X 的比例写成 rate: \"abc\"",
         "“政策参数文件“政策参数2023（修改）.yaml”的 rules.A5X.rate 应为大于 0、不超过 100 的百分数…实际为“abc””",
         ["rules.A5X.rate", "abc"],
         edited('    rate: "2"                   # %\n', '    rate: "abc"                 # %\n')),
        ("72_policy_yaml_alias_bomb", "政策参数文件中有 YAML 锚点/别名炸弹（10 层别名，展开后 10 亿项）",
         "立即拒绝，不展开：“政策参数文件“政策参数2023（修改）.yaml”第 9 行（policy.lol0）使用了 YAML 锚点或别名（& 或 *），政策参数文件只能直接写出每个值”",
         ["第 9 行", "锚点或别名"],
         edited("policy:\n  year: 2023\n", "policy:\n  year: 2023\n" + "\n".join(laughs) + "\n")),
        ("73_policy_yaml_python_tag", "政策参数文件中有 YAML 标记 !!python/object/apply:os.system（试图执行命令）",
         "不执行：“政策参数文件“政策参数2023（修改）.yaml”第 9 行（policy.title）使用了 YAML 标记“!!python/object/apply:os.system”，政策参数文件只能写文字和数字”",
         ["第 9 行", "!!python/object/apply:os.system"],
         edited("  title: 《2023年度鸡西市支持对外贸易发展的若干措施》\n",
                '  title: !!python/object/apply:os.system ["echo 政策参数文件中的命令被执行了"]\n')),
    ]
    for name, note, clerk, wanted, text in policies:
        c = case(name, note, clerk, exit=1, stderr=[f"政策参数文件“{policy_name}”", *wanted],
                 args=["--policy", "{case}/" + policy_name])
        c.start().path(policy_name).write_text(text, encoding="utf-8")

    # hostile and foreign files
    c = case("74_last_row_16384_unaddressed_cells", "8 KB 的工作簿：最后一行（第 1048576 行）有 16,384 个不写地址的单元格 <c><v>0</v></c>",
             "读入前拒绝：“文件“省厅奖励名单.xlsx”工作表“拟奖励企业名单”太大：数据范围 1,048,576 行 × 16,384 列…超过程序的处理上限…”",
             exit=1, stderr=[PROVINCE, PROVINCE_SHEET, "太大", "1,048,576 行 × 16,384 列", "15,000,000"])
    rewrite_member(SAMPLES / PROVINCE, c.start().path(PROVINCE), "xl/worksheets/sheet1.xml",
                   lambda d: d.replace(b"</sheetData>", b'<row r="1048576">' + b"<c><v>0</v></c>" * 16384
                                       + b"</row></sheetData>", 1))

    c = case("75_wps_et_file", "企业申报汇总保存成了 WPS 表格格式（企业申报汇总.et）",
             "“文件“企业申报汇总.et”是WPS表格（.et）格式，程序无法读取。请用原软件打开后“另存为”Excel工作簿（.xlsx）再运行。”",
             exit=1, stderr=["企业申报汇总.et", "WPS表格", "另存为"])
    c.start().remove(APPS)
    book = xlwt.Workbook(encoding="utf-8")                # an .et is a compound file, like a BIFF8 .xls
    for sheet_name, sheet_rows in apps.items():
        sheet = book.add_sheet(sheet_name)
        for i, row in enumerate(sheet_rows):
            for j, v in enumerate(row):
                if v is not None:
                    sheet.write(i, j, v.strftime("%Y-%m-%d") if isinstance(v, (pd.Timestamp, dt.datetime)) else v)
    book.save(str(c.path("企业申报汇总.et")))

    def numbers_package(path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("Index/Document.iwa", b"\x00\x1c\x00\x00" + b"\x08\x01" * 12)
            zf.writestr("Metadata/Properties.plist", b'<?xml version="1.0" encoding="UTF-8"?>\n'
                                                      b'<plist version="1.0"><dict/></plist>\n')

    c = case("76_apple_numbers_file", "上年海关数据是 Apple Numbers 文件（hg_2022_export.numbers）",
             "“文件“hg_2022_export.numbers”是Apple Numbers 表格（.numbers）格式，程序无法读取。请用原软件打开后“另存为”…（.xlsx）再运行。”",
             exit=1, stderr=["hg_2022_export.numbers", "Numbers", "另存为"])
    c.start().remove(CUSTOMS22)
    numbers_package(c.path("hg_2022_export.numbers"))

    c = case("77_numbers_named_xlsx", "Numbers 文件改了扩展名为 .xlsx（hg_2022_export.xlsx）",
             "按内容识别：“文件“hg_2022_export.xlsx”是Apple Numbers 表格（.numbers）格式，程序无法读取…”",
             exit=1, stderr=[CUSTOMS22, "Numbers", "另存为"])
    c.start().remove(CUSTOMS22)
    numbers_package(c.path(CUSTOMS22))

    # the output folder
    c = case("78_output_is_a_file", "--output 指向一个已有的文件（不是文件夹）",
             "“输出位置“…”是一个文件，不是文件夹，请用 --output 指定一个文件夹。”，该文件原样保留",
             exit=1, stderr=["是一个文件，不是文件夹", "--output"], output_file="上次的兑现表说明，请勿覆盖。\n")
    c.start()

    c = case("79_person_made_partial_folder", "输出文件夹里有经办人自己建的“.备份.partial”文件夹，还有一个名字像程序临时文件夹的"
             "“.2023年度_20240415-093012.4242.partial”（都是三天前的）",
             "照常运行；这两个文件夹及其中的文件原样保留（程序只清理带有自己标记文件的临时文件夹）",
             output_keep={".备份.partial/备份说明.txt": "经办人手工备份，请勿删除。\n",
                          ".2023年度_20240415-093012.4242.partial/兑现表草稿.txt": "草稿\n"})
    c.start()

    return out


def write_table(made: list[Case]) -> None:
    """README_TABLE.md: kind of bad input | what the clerk sees (for the project README)."""
    lines = ["| kind of bad input | what the clerk sees | case |", "|---|---|---|"]
    for c in made[1:]:
        outcome = "退出码 1，不生成任何输出：" if c.expect["exit"] == 1 else "退出码 0："
        lines.append(f"| {c.note} | {outcome}{c.clerk} | `{c.name}` |")
    lines.append("| 超过 512 MB 的文件（测试时生成的稀疏文件） | 退出码 1，不生成任何输出：读入内存前拒绝，“文件“…”太大（… MB），"
                 "超过程序的处理上限 512 MB。请按年度/月份拆分成多个文件后再运行。” | `test_file_size_limit_names_the_limit` |")
    lines.append("| 公式结果为错误值（#DIV/0!、#N/A）或单元格里写着 N/A、NULL | 退出码 0：待核查“数据格式错误”，值为“#DIV/0!”/“N/A”，"
                 "不会当作空值（未申报） | `test_error_values_and_na_words_are_reviewed_not_empty` |")
    head = ("# Bad inputs and what the clerk sees\n\nWritten by `tests/bad_inputs/make_corpus.py` from the corpus "
            "in `tests/bad_inputs/cases/` (each row is tested by `tests/test_bad_inputs.py`). A run that stops "
            "prints `错误：<message>` and `未生成任何输出。` and exits with status 1; a run that computes lists "
            "every unusable row in the 待核查 sheet (类别, 文件, 工作表, 行号, 列, 值, 说明) and balances every "
            "input sheet in 数据核对 (读取 = 使用 + 待核查 + 合计行跳过).\n\n")
    (HERE / "README_TABLE.md").write_text(head + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    if CASES.exists():
        shutil.rmtree(CASES)
    CASES.mkdir(parents=True)
    made = cases()
    for c in made:
        c.finish()
    write_table(made)
    print(f"{len(made)} cases written to {CASES}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
