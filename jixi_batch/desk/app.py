"""The desk's Flask application: the pages and the small API of DESK.md over batch.run.

Safety (DESK.md "Safety"): every request carries the per-start token (``?token=`` once, then a cookie;
``X-Desk-Token`` for scripts) or gets 403; requests that change anything are POST and must come from the
desk's own page (Origin or Referer on the desk's own host) or carry the token header; the Host must be
the loopback address (no DNS rebinding). Uploads: at most MAX_FILES files and MAX_UPLOAD_BYTES in all
(413 beyond); each saved under a generated name with only a known spreadsheet extension, in a fresh
hidden folder of the output folder removed after the run. Run names in URLs must be existing run folders;
file names must resolve inside that run folder.
"""
from __future__ import annotations

import hmac
import io
import re
import shutil
import tempfile
import threading
import time
import unicodedata
import zipfile
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Request, abort, g, jsonify, redirect, render_template, request, send_file
from werkzeug.exceptions import HTTPException
from werkzeug.security import safe_join

from .. import batch
from ..model import BUDGET_MODES
from ..reading.opening import INPUT_EXTS
from .summary import DOWNLOAD_LABELS, RUN_NAME, downloads, list_runs, load_summary, save_summary, summarize

MAX_FILES = 20
MAX_UPLOAD_BYTES = 512 << 20
COOKIE = "desk_token"
HEADER = "X-Desk-Token"
UPLOAD_PREFIX = ".desk-upload-"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
_EXT = re.compile(r"^\.[a-z0-9]{1,5}$")

MESSAGES = {
    400: "请求有误。",
    403: "无权访问：请使用启动工作台时显示的地址（带 token）打开本页面。",
    404: "找不到所请求的页面或文件。",
    405: "不支持此操作方式。",
    413: f"上传的文件过多或过大：每次计算最多 {MAX_FILES} 个文件、合计不超过 512 MB。",
    500: "程序内部错误，请把输入文件和此信息交给维护人员。",
}


class ShownPath(type(Path())):
    """A saved upload's path (generated, used for every access to the file) that gives the clerk's own
    file name as its ``name``: the reader's messages, its 待核查 rows, the workbook's 运行记录 and what the
    reader learns from a file name (a direction or a year, as on the command line) all see the clerk's
    name, while the file system only ever sees the generated one."""

    _shown: str | None = None

    @classmethod
    def of(cls, path: Path, shown: str) -> "ShownPath":
        made = cls(path)
        made._shown = shown
        return made

    @property
    def name(self) -> str:
        return self._shown or super().name

    # a path derived from this one is made from the generated name, never from the clerk's
    def with_name(self, name):
        return Path(self).with_name(name)

    def with_stem(self, stem):
        return Path(self).with_stem(stem)

    def with_suffix(self, suffix):
        return Path(self).with_suffix(suffix)


def display_name(raw: str | None) -> str:
    """A file's own name as the clerk gave it, for showing only: its last part (either separator),
    without control characters, at most 120 characters."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:120] or "（无名文件）"


def safe_suffix(name: str) -> str | None:
    """The extension kept for a saved upload: a known spreadsheet extension, lower case, or None."""
    suffix = Path(name).suffix.lower()
    return suffix if _EXT.match(suffix) and suffix in INPUT_EXTS else None


def create_app(output_dir, token: str, max_upload_bytes: int = MAX_UPLOAD_BYTES) -> Flask:
    output = Path(output_dir).absolute()
    output.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, static_folder="static", template_folder="templates")

    class UploadRequest(Request):
        # an upload being received is held in memory up to 1 MB, then in a nameless temporary file in
        # the output folder (not the system's temporary folder), gone when the request ends
        def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
            return tempfile.SpooledTemporaryFile(max_size=1 << 20, dir=output)

    app.request_class = UploadRequest
    app.config.update(MAX_CONTENT_LENGTH=max_upload_bytes, JSON_AS_ASCII=False,
                      DESK_OUTPUT=output, DESK_TOKEN=token)
    app.json.ensure_ascii = False
    computing = threading.Lock()          # one computation at a time: one clerk, one machine

    def wants_json() -> bool:
        return request.path.startswith("/api/")

    def token_ok(given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), token.encode())

    @app.before_request
    def guard():
        host = (request.host or "").rsplit(":", 1)[0].strip("[]")
        if host not in LOCAL_HOSTS:
            abort(403)
        g.header_token = token_ok(request.headers.get(HEADER))
        from_query = token_ok(request.args.get("token"))
        if not (g.header_token or from_query or token_ok(request.cookies.get(COOKIE))):
            abort(403)
        if request.method not in ("GET", "HEAD") and not g.header_token and not same_origin():
            abort(403)
        if from_query and request.method == "GET" and not wants_json():
            # first visit: the token becomes a cookie and leaves the address bar
            response = redirect(request.path)
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
            return response
        return None

    def same_origin() -> bool:
        origin = request.headers.get("Origin") or request.headers.get("Referer")
        if not origin:
            return False
        parts = urlsplit(origin)
        return parts.scheme == "http" and parts.netloc == request.host

    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        message = getattr(exc, "desk_message", None) or MESSAGES.get(code, exc.description or "")
        if (defect := getattr(exc, "original_exception", None)) is not None:     # a defect of the program
            message = (f"程序内部错误（{defect.__class__.__name__}：{defect}），未生成输出。"
                       f"请把输入文件和此信息交给维护人员。")
        if wants_json() or request.method == "POST":
            return jsonify(error=message), code
        return render_template("error.html", message=message, code=code), code

    def fail(code: int, message: str):
        exc = HTTPException()
        exc.code = code
        exc.desk_message = message
        raise exc

    def run_folder(run: str) -> Path:
        """The run folder named in a URL: only an existing run folder of the output folder."""
        if not RUN_NAME.match(run or ""):
            fail(404, "没有这次运行。")
        for folder in list_runs(output):
            if folder.name == run:
                return folder
        fail(404, "没有这次运行。")

    def run_entry(folder: Path) -> dict:
        summary = load_summary(output, folder.name) or {}
        return {"run": folder.name, "page": f"/runs/{folder.name}", "total": summary.get("total"),
                "firms": len(summary["firms"]) if "firms" in summary else None,
                "review": summary.get("review_count"), "run_time": summary.get("run_time"),
                "downloads": downloads(folder)}

    # --- pages ---------------------------------------------------------------------------------------
    @app.get("/")
    def index():
        today = date.today().isoformat()
        return render_template("index.html", today=today, budget_modes=BUDGET_MODES, max_files=MAX_FILES,
                               exts=sorted(INPUT_EXTS), runs=[run_entry(f) for f in list_runs(output)[:5]])

    @app.get("/runs")
    def runs_page():
        return render_template("runs.html", runs=[run_entry(f) for f in list_runs(output)])

    @app.get("/runs/<run>")
    def run_page(run: str):
        folder = run_folder(run)
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                       if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))
        return render_template("run.html", run=folder.name, summary=load_summary(output, folder.name),
                               downloads=downloads(folder), labels=DOWNLOAD_LABELS, files=files)

    # --- the API ---------------------------------------------------------------------------------------
    @app.get("/api/runs")
    def api_runs():
        return jsonify(runs=[run_entry(f) for f in list_runs(output)])

    def received() -> list:
        """The uploaded files of this request (413 beyond MAX_FILES, 422 when there are none)."""
        uploads = request.files.getlist("files")
        if len(uploads) > MAX_FILES:
            fail(413, MESSAGES[413])
        uploads = [u for u in uploads if u.filename]
        if not uploads:
            fail(422, "没有收到输入文件，请选择海关数据、省级奖励名单和企业申报汇总文件。")
        return uploads

    @contextmanager
    def saved(uploads, notes: list[str]):
        """The uploads saved under generated names in a fresh hidden folder of the output folder, removed
        afterwards: (the folder, saved name -> the clerk's name, the paths to read)."""
        staging = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX, dir=output))
        try:
            names: dict[str, str] = {}
            paths: list[Path] = []
            for n, upload in enumerate(uploads, 1):
                shown = display_name(upload.filename)
                suffix = safe_suffix(shown)
                if suffix is None:
                    notes.append(f"{shown}：不是表格文件（.xlsx、.xls、.csv 等），未读取")
                    continue
                path = staging / f"上传文件{n:02d}{suffix}"
                upload.save(path)
                names[path.name] = shown
                paths.append(ShownPath.of(path, shown))
            if not paths:
                fail(422, "上传的文件中没有表格文件（.xlsx、.xls、.csv 等）。")
            yield staging, names, paths
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    @app.post("/api/check")
    def api_check():
        """The uploads read as a computation would read them, nothing computed and nothing written
        (DESK.md step 1): each file's sheets with their roles and rows, the year, the reader's lines."""
        uploads = received()
        options = form_options(request.form, output)
        notes: list[str] = []
        with computing, saved(uploads, notes) as (staging, names, paths):
            try:
                found = batch.check(paths, options)
            except batch.RunError as exc:
                fail(422, shown_names(str(exc), staging, names))
            found = renamed(found, lambda text: shown_names(text, staging, names))
        found["lines"] = notes + found["lines"]
        return jsonify(found)

    @app.post("/api/runs")
    def api_compute():
        uploads = received()
        options = form_options(request.form, output)
        notes: list[str] = []
        with computing:
            with saved(uploads, notes) as (staging, names, paths):
                started = time.perf_counter()
                try:
                    outcome = batch.run(paths, options, say=lambda line: None)
                except batch.RunError as exc:
                    fail(422, shown_names(str(exc), staging, names))
                seconds = time.perf_counter() - started
            data = summarize(outcome)
            for key in ("lines", "warnings", "review"):     # the clerk's file names, not the saved ones
                data[key] = renamed(data[key], lambda text: shown_names(text, staging, names))
            data["lines"] = notes + data["lines"]
            save_summary(output, data)
        folder = outcome.folder
        return jsonify(run=folder.name, total=data["total"], firms=len(data["firms"]), review=data["review_count"],
                       downloads=downloads(folder), page=f"/runs/{folder.name}", lines=data["lines"],
                       seconds=round(seconds, 2))

    @app.get("/api/runs/<run>/files/<path:name>")
    def api_file(run: str, name: str):
        folder = run_folder(run).resolve()
        joined = safe_join(str(folder), name)
        if joined is None:
            fail(404, "没有这个文件。")
        target = Path(joined).resolve()
        inside = target.is_relative_to(folder) and target != folder
        if not inside or not target.is_file() or any(p.startswith(".") for p in target.relative_to(folder).parts):
            fail(404, "没有这个文件。")
        return send_file(target, as_attachment=True, download_name=target.name)

    @app.get("/api/runs/<run>/letters.zip")
    def api_letters_zip(run: str):
        folder = run_folder(run).resolve()
        letters = folder / "通知书"
        found = sorted(p for p in letters.rglob("*.docx") if p.is_file() and p.name != "全部通知书.docx") \
            if letters.is_dir() else []
        if not found:
            fail(404, "这次运行没有生成通知书。")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in found:
                archive.write(path, path.relative_to(letters).as_posix())
        buffer.seek(0)
        return send_file(buffer, as_attachment=True, download_name=f"通知书_{folder.name}.zip",
                         mimetype="application/zip")

    @app.get("/api/compare")
    def api_compare():
        """Two runs of the output folder compared (DESK.md), the command line's compare as JSON."""
        from ..compare import CompareError, compare_runs

        first, second = run_folder(request.args.get("a", "")), run_folder(request.args.get("b", ""))
        if first == second:
            fail(400, "请选择两次不同的运行进行对比。")
        try:
            return app.response_class(compare_runs(first, second).to_json(), mimetype="application/json")
        except CompareError as exc:
            fail(422, str(exc))

    return app


def shown_names(text: str, staging: Path, names: dict[str, str]) -> str:
    """A line or message with the saved uploads' paths and names replaced by the clerk's file names."""
    for saved, shown in names.items():
        text = text.replace(str(staging / saved), shown).replace(saved, shown)
    return text.replace(str(staging), "上传文件夹")


def renamed(value, rename):
    """``value`` (JSON data) with ``rename`` applied to every string in it."""
    if isinstance(value, str):
        return rename(value)
    if isinstance(value, list):
        return [renamed(v, rename) for v in value]
    if isinstance(value, dict):
        return {k: renamed(v, rename) for k, v in value.items()}
    return value


def form_options(form, output: Path) -> batch.RunOptions:
    """The form's fields as RunOptions, with the command line's defaults for those left empty."""
    from ..reading.values import parse_date

    year = None
    if (text := (form.get("year") or "").strip()):
        if not re.fullmatch(r"\d{4}", text):
            _bad(f"计算年度“{text}”无效，应写成如 2023，或留空由海关数据确定。")
        year = int(text)
    mode = (form.get("budget_mode") or "report").strip()
    if mode not in BUDGET_MODES:
        _bad(f"专项资金模式“{mode}”无效，应为 {'、'.join(BUDGET_MODES)} 之一。")

    def day(field: str, label: str) -> date | None:
        text = (form.get(field) or "").strip()
        if not text:
            return None
        value, error = parse_date(text)
        if error or value is None:
            _bad(f"{label}“{text}”不是日期，应写成如 2024-04-15。")
        return value.date() if isinstance(value, datetime) else value

    return batch.RunOptions(output=output, year=year, budget_mode=mode,
                            letters=(form.get("no_letters") or "").strip() not in ("1", "on", "true"),
                            issue_date=day("issue_date", "落款日期"),
                            publicity_start=day("publicity_start", "公示开始日期"))


def _bad(message: str):
    exc = HTTPException()
    exc.code = 400
    exc.desk_message = message
    raise exc

