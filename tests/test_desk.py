"""The clerks' desk (DESK.md) through Flask's test client: every endpoint, the token, the cross-site
check, upload limits, path tricks in upload and download names, unusable inputs, and the samples."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from jixi_batch.desk import MAX_FILES, create_app

SAMPLES = Path(__file__).resolve().parents[1] / "input_samples"
TOKEN = "test-token-123"
AUTH = {"X-Desk-Token": TOKEN}


@pytest.fixture
def output(tmp_path):
    return tmp_path / "out"


@pytest.fixture
def app(output):
    return create_app(output, TOKEN)


@pytest.fixture
def client(app):
    return app.test_client()


def sample_files():
    return [(io.BytesIO(p.read_bytes()), p.name) for p in sorted(SAMPLES.iterdir())]


def visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")) if folder.exists() else []


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    """One computation of the samples (letters on), shared by the tests that read its result."""
    output = tmp_path_factory.mktemp("desk") / "out"
    client = create_app(output, TOKEN).test_client()
    answer = client.post("/api/runs", headers=AUTH, data={"files": sample_files(), "issue_date": "2024-04-15"},
                         content_type="multipart/form-data")
    return client, output, answer


# --- the samples ----------------------------------------------------------------------------------------
def test_the_samples_uploaded_give_the_command_lines_result(computed):
    client, output, answer = computed
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["total"] == "18,087,846.70" and body["firms"] == 34 and body["review"] == 25
    assert (output / body["run"]).is_dir() and body["page"] == f"/runs/{body['run']}"
    assert set(body["downloads"]) >= {"workbook", "payment_list", "publicity_xlsx", "publicity_docx", "letters",
                                      "letters_zip"}
    # the uploads' folder is gone; only the run folder and the desk's summaries remain
    assert sorted(p.name for p in output.iterdir()) == [".desk", body["run"]]
    # the clerk's file names, never the generated ones, in what the desk shows
    assert any(line.startswith("海关数据2023.xlsx：") for line in body["lines"])
    assert not any("上传文件" in line for line in body["lines"])


def test_the_workbook_downloads_with_the_total(computed):
    client, output, answer = computed
    url = answer.get_json()["downloads"]["workbook"]
    got = client.get(url, headers=AUTH)
    assert got.status_code == 200 and "attachment" in got.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(got.data), read_only=True)
    assert any("18,087,846.70" in str(v) or v == 18087846.7 for ws in book.worksheets
               for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def test_a_file_in_a_subfolder_and_the_letters_as_one_zip(computed):
    client, output, answer = computed
    run = answer.get_json()["run"]
    letter = next((output / run / "通知书" / "暂缓拨付").glob("*.docx")).relative_to(output / run).as_posix()
    got = client.get(f"/api/runs/{quote(run)}/files/{quote(letter)}", headers=AUTH)
    assert got.status_code == 200 and got.data[:2] == b"PK"
    archive = zipfile.ZipFile(io.BytesIO(client.get(answer.get_json()["downloads"]["letters_zip"], headers=AUTH).data))
    names = archive.namelist()
    assert len(names) == 34 and "全部通知书.docx" not in names
    assert sum(n.startswith("暂缓拨付/") for n in names) == 5


def test_the_runs_are_listed_newest_first(computed):
    client, output, answer = computed
    second = client.post("/api/runs", headers=AUTH, data={"files": sample_files(), "no_letters": "1"},
                         content_type="multipart/form-data").get_json()
    runs = client.get("/api/runs", headers=AUTH).get_json()["runs"]
    assert [r["run"] for r in runs][:2] == [second["run"], answer.get_json()["run"]]
    assert runs[0]["total"] == "18,087,846.70" and runs[0]["firms"] == 34
    assert "letters" not in second["downloads"]


def test_the_pages_show_the_result_in_chinese(computed):
    client, output, answer = computed
    body = answer.get_json()
    page = client.get(body["page"], headers=AUTH).get_data(as_text=True)
    assert "18,087,846.70" in page and "计算说明" in page and "处理建议" in page and "应享未享" in page
    assert "鸡西市北疆新材料产业有限公司" in page and "暂缓拨付" in page
    assert "第五条各项奖励合计" in page                     # a firm's lines with their 计算说明
    assert "企业申报汇总.xlsx，企业信息，第19行" in page and "上传文件" not in page   # the clerk's file names
    for path in ("/", "/runs"):
        got = client.get(path, headers=AUTH)
        assert got.status_code == 200 and body["run"] in got.get_data(as_text=True)
    assert "上传输入文件并计算" in client.get("/", headers=AUTH).get_data(as_text=True)
    assert client.get("/static/desk.js", headers=AUTH).status_code == 200
    assert client.get("/static/desk.css", headers=AUTH).status_code == 200


def test_a_run_folder_made_on_the_command_line_shows_its_files(output, client):
    folder = output / "2023年度_20240101-000000"
    folder.mkdir(parents=True)
    (folder / "2023年度外贸奖励兑现表.xlsx").write_bytes(b"x")
    page = client.get(f"/runs/{folder.name}", headers=AUTH)
    assert page.status_code == 200 and "只提供文件下载" in page.get_data(as_text=True)
    assert client.get(f"/api/runs/{quote(folder.name)}/files/{quote('2023年度外贸奖励兑现表.xlsx')}",
                      headers=AUTH).data == b"x"


def test_compare_two_runs_as_json(client):
    """GET /api/compare: the two runs of the output folder compared, exact to the fen; unknown names,
    path tricks and the same run twice refused."""
    first = client.post("/api/runs", data={"files": sample_files(), "no_letters": "1"}, headers=AUTH,
                        content_type="multipart/form-data").get_json()["run"]
    second = client.post("/api/runs", data={"files": sample_files(), "no_letters": "1"}, headers=AUTH,
                         content_type="multipart/form-data").get_json()["run"]
    got = client.get(f"/api/compare?a={quote(first)}&b={quote(second)}", headers=AUTH)
    assert got.status_code == 200
    body = got.get_json()
    assert body["changed"] == [] and body["added"] == [] and body["dropped"] == []
    assert client.get(f"/api/compare?a={quote(first)}&b={quote(first)}", headers=AUTH).status_code == 400
    for bad in ("x", "../x", quote("/etc")):
        assert client.get(f"/api/compare?a={bad}&b={quote(second)}", headers=AUTH).status_code == 404


# --- the token ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/runs", "/api/runs", "/static/desk.js", "/api/compare",
                                  "/runs/2023年度_20240101-000000"])
@pytest.mark.parametrize("headers", [{}, {"X-Desk-Token": "wrong"}, {"X-Desk-Token": ""}])
def test_without_the_token_403(client, path, headers):
    assert client.get(path, headers=headers).status_code == 403


def test_a_post_without_the_token_403_and_nothing_written(client, output):
    got = client.post("/api/runs", data={"files": sample_files()}, content_type="multipart/form-data")
    assert got.status_code == 403 and "无权访问" in got.get_json()["error"]
    assert visible(output) == []


def test_the_token_in_the_address_becomes_a_cookie(client):
    first = client.get(f"/?token={TOKEN}")
    assert first.status_code == 302 and first.headers["Location"] == "/"
    cookie = first.headers["Set-Cookie"]
    assert "desk_token=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/").status_code == 200            # the cookie now
    assert client.get("/api/runs").status_code == 200
    assert client.get("/?token=wrong").status_code == 200  # the cookie still holds
    client.delete_cookie("desk_token")
    assert client.get("/").status_code == 403


def test_a_cross_site_post_with_the_cookie_403(client, output):
    client.get(f"/?token={TOKEN}")
    for headers in ({}, {"Origin": "http://evil.example"}, {"Referer": "http://evil.example/page"},
                    {"Origin": "http://localhost.evil.example"}, {"Origin": "null"}):
        got = client.post("/api/runs", headers=headers, data={"files": sample_files()},
                          content_type="multipart/form-data")
        assert got.status_code == 403, headers
    assert visible(output) == []
    ok = client.post("/api/runs", headers={"Origin": "http://localhost"}, data={"files": [], "no_letters": "1"},
                     content_type="multipart/form-data")
    assert ok.status_code == 422                      # past the check: the page's own request, no files


def test_a_foreign_host_403(client):
    assert client.get("/", headers={**AUTH, "Host": "evil.example"}).status_code == 403


def test_changes_only_by_post(client):
    assert client.put("/api/runs", headers=AUTH).status_code == 405
    assert client.delete("/api/runs", headers=AUTH).status_code == 405


# --- uploads ----------------------------------------------------------------------------------------------
def test_oversize_413_and_nothing_written(output):
    client = create_app(output, TOKEN, max_upload_bytes=100_000).test_client()
    got = client.post("/api/runs", headers=AUTH, data={"files": [(io.BytesIO(b"0" * 200_000), "big.xlsx")]},
                      content_type="multipart/form-data")
    assert got.status_code == 413 and "512 MB" in got.get_json()["error"]
    assert visible(output) == []


def test_more_than_twenty_files_413(client, output):
    files = [(io.BytesIO(b""), f"f{i}.xlsx") for i in range(MAX_FILES + 1)]
    got = client.post("/api/runs", headers=AUTH, data={"files": files}, content_type="multipart/form-data")
    assert got.status_code == 413 and "最多 20 个文件" in got.get_json()["error"]
    assert visible(output) == []


def test_an_empty_xlsx_422_with_the_chinese_message_and_nothing_written(client, output):
    got = client.post("/api/runs", headers=AUTH, data={"files": [(io.BytesIO(b""), "省厅奖励名单.xlsx")]},
                      content_type="multipart/form-data")
    assert got.status_code == 422
    error = got.get_json()["error"]
    assert "空文件" in error and "省厅奖励名单.xlsx" in error and "上传文件" not in error
    assert visible(output) == []


@pytest.mark.parametrize("name", ["../../x.xlsx", "C:\\x.xlsx", "CON.xlsx", "{abs}/x.xlsx", "..\\..\\x.xlsx",
                                  "a/../../../x.xlsx", "x.xlsx\x00.txt"])
def test_an_uploaded_name_is_never_a_path(tmp_path, name):
    output = tmp_path / "deep" / "out"
    client = create_app(output, TOKEN).test_client()
    (tmp_path / "abs").mkdir()                          # an absolute name points here, never at the system
    name = name.format(abs=tmp_path / "abs")
    before = sorted(tmp_path.rglob("*"))
    got = client.post("/api/runs", headers=AUTH, data={"files": [(io.BytesIO(b""), name)]},
                      content_type="multipart/form-data")
    assert got.status_code == 422
    assert sorted(tmp_path.rglob("*")) == before       # nothing anywhere, inside or outside the output
    assert not Path("C:\\x.xlsx").exists()


def test_a_file_that_is_not_a_spreadsheet_is_named_and_not_read(client, output):
    got = client.post("/api/runs", headers=AUTH, data={"files": [(io.BytesIO(b"hi"), "说明.txt")]},
                      content_type="multipart/form-data")
    assert got.status_code == 422 and "没有表格文件" in got.get_json()["error"]


@pytest.mark.parametrize("form, message", [({"year": "abc"}, "计算年度"), ({"budget_mode": "x"}, "专项资金模式"),
                                           ({"issue_date": "明天"}, "落款日期"), ({"year": "1999"}, "1999")])
def test_bad_fields_are_refused_in_chinese(client, output, form, message):
    got = client.post("/api/runs", headers=AUTH, data={"files": sample_files(), **form},
                      content_type="multipart/form-data")
    assert got.status_code in (400, 422) and message in got.get_json()["error"]
    assert [p for p in visible(output)] == []


# --- downloads: only files inside the run folder ------------------------------------------------------------
@pytest.fixture
def a_run(output, tmp_path):
    folder = output / "2023年度_20240101-000000"
    (folder / "通知书").mkdir(parents=True)
    (folder / "通知书" / "1_甲.docx").write_bytes(b"PK letter")
    (folder / ".jixi-batch-staging").write_text("x")
    (output / "secret.txt").write_text("secret")
    (tmp_path / "outside.txt").write_text("outside")
    (folder / "link.txt").symlink_to(tmp_path / "outside.txt")
    return folder


@pytest.mark.parametrize("name", [
    "../secret.txt", "..%2Fsecret.txt", "%2E%2E%2Fsecret.txt", "%2e%2e/%2e%2e/outside.txt", "/etc/passwd",
    "%2Fetc%2Fpasswd", "通知书/../../secret.txt", "..\\secret.txt", "link.txt", ".jixi-batch-staging",
    "通知书", "", "C:%5Cwindows%5Cwin.ini", "%252e%252e%252fsecret.txt"])
def test_a_download_name_never_leaves_the_run_folder(client, a_run, name):
    got = client.get(f"/api/runs/{a_run.name}/files/{name}", headers=AUTH)
    assert got.status_code in (404, 308), got.status_code
    assert b"secret" not in got.data and b"outside" not in got.data and b"root:" not in got.data


@pytest.mark.parametrize("run", ["..", "%2E%2E", "2023年度_20240101-000001", "secret.txt", ".desk", "x"])
def test_a_run_name_must_be_an_existing_run_folder(client, a_run, run):
    assert client.get(f"/api/runs/{run}/files/secret.txt", headers=AUTH).status_code in (404, 308)
    assert client.get(f"/runs/{run}", headers=AUTH).status_code in (404, 308)


def test_a_letter_in_a_subfolder_downloads(client, a_run):
    got = client.get(f"/api/runs/{a_run.name}/files/{quote('通知书/1_甲.docx')}", headers=AUTH)
    assert got.status_code == 200 and got.data == b"PK letter"


# --- python process.py desk -------------------------------------------------------------------------------
def test_the_desk_listens_on_loopback_and_prints_its_address(tmp_path, capsys, monkeypatch):
    import re
    import threading
    import urllib.request

    from jixi_batch.cli import main
    from jixi_batch.desk import server

    made = {}
    real = server.make_server

    def keep(*args, **kwargs):
        made["server"], made["token"] = real(*args, **kwargs)
        return made["server"], made["token"]

    opened = []
    monkeypatch.setattr(server, "make_server", keep)
    monkeypatch.setattr(server.webbrowser, "open", opened.append)

    def serve_then_stop(self, *args, **kwargs):   # one request through the real socket, then Ctrl+C
        threading.Thread(target=real_serve, args=(self,),
                         daemon=True).start()
        url = f"http://127.0.0.1:{self.port}/api/runs"
        request = urllib.request.Request(url, headers={"X-Desk-Token": made["token"]})
        made["answer"] = urllib.request.urlopen(request, timeout=10).status
        try:
            urllib.request.urlopen(url, timeout=10)
        except urllib.error.HTTPError as exc:
            made["without"] = exc.code
        self.shutdown()
        raise KeyboardInterrupt

    from werkzeug.serving import BaseWSGIServer
    real_serve = BaseWSGIServer.serve_forever
    monkeypatch.setattr(BaseWSGIServer, "serve_forever", serve_then_stop)
    assert main(["desk", "--output", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    line = re.search(r"^工作台地址：http://127\.0\.0\.1:(\d+)/\?token=(\S+)$", out, re.M)
    assert line and line.group(2) == made["token"] and int(line.group(1)) == made["server"].port
    assert made["server"].host == "127.0.0.1" and made["answer"] == 200 and made["without"] == 403
    assert opened == [line.group(0).split("：", 1)[1]]
    assert "工作台已停止。" in out


def test_no_browser_and_a_taken_port(tmp_path, capsys, monkeypatch):
    import socket

    from jixi_batch.cli import main
    from jixi_batch.desk import server

    monkeypatch.setattr(server.webbrowser, "open", lambda url: pytest.fail("browser opened"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["desk", "--no-browser", "--port", str(taken.getsockname()[1]),
                     "--output", str(tmp_path / "out")]) == 1
    assert "工作台未能启动" in capsys.readouterr().out


def test_the_workbook_names_the_clerks_files_and_the_reader_sees_them(computed):
    """What the reader learns from a file name (hg_2022_export: the year and direction) is the same as
    on the command line, and the workbook names the clerk's files everywhere — its 运行记录 too, where an
    upload is named by the clerk's file name (the folder it was read from is gone after the run)."""
    client, output, answer = computed
    run = output / answer.get_json()["run"]
    book = load_workbook(run / "2023年度外贸奖励兑现表.xlsx", read_only=True)
    texts = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    assert not [t for t in texts if "上传文件" in t or ".desk-upload-" in t]
    assert any(t == "hg_2022_export.xlsx（工作台上传）" for t in texts)
    assert any("hg_2022_export.xlsx" in t for t in texts) and any("企业申报汇总.xlsx" in t for t in texts)
    assert any("hg_2022_export.xlsx：" in line and "2022" in line for line in answer.get_json()["lines"])


def test_a_shown_path_never_makes_a_path_of_the_clerks_name(tmp_path):
    from jixi_batch.desk.app import ShownPath

    path = ShownPath.of(tmp_path / "上传文件01.xlsx", "../../x.xlsx")
    assert path.name == "../../x.xlsx" and str(path) == str(tmp_path / "上传文件01.xlsx")
    for derived in (path.with_suffix(".pdf"), path.with_name("a.xlsx"), path.with_stem("b"), path.parent):
        assert derived.parent == tmp_path or derived == tmp_path


def test_a_big_upload_is_spooled_in_the_output_folder_and_gone_after(client, output, monkeypatch):
    import tempfile

    spooled = []
    real = tempfile.SpooledTemporaryFile

    def spy(*args, **kwargs):
        spooled.append(kwargs.get("dir"))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", spy)
    got = client.post("/api/runs", headers=AUTH, data={"files": [(io.BytesIO(b"PK" + b"0" * (2 << 20)), "a.xlsx")]},
                      content_type="multipart/form-data")
    assert got.status_code == 422 and "a.xlsx" in got.get_json()["error"]
    assert spooled == [output.absolute()] and visible(output) == []


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGINT") or __import__("os").name != "posix",
                    reason="Ctrl+C is sent as SIGINT on POSIX")
def test_ctrl_c_stops_the_desk_with_a_chinese_line(tmp_path):
    import signal
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    desk = subprocess.Popen([sys.executable, "process.py", "desk", "--no-browser", "--output", str(tmp_path / "out")],
                            cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        first = desk.stdout.readline().decode()
        assert first.startswith("工作台地址：http://127.0.0.1:")
        while "Ctrl+C" not in desk.stdout.readline().decode():
            pass
        desk.send_signal(signal.SIGINT)
        rest = desk.communicate(timeout=20)[0].decode()
    finally:
        if desk.poll() is None:
            desk.kill()
    assert desk.returncode == 0 and rest.strip() == "工作台已停止。"


def test_a_defect_of_the_program_500_in_chinese_and_the_uploads_removed(client, output, monkeypatch):
    from jixi_batch import batch

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(batch, "run", broken)
    got = client.post("/api/runs", headers=AUTH, data={"files": sample_files()}, content_type="multipart/form-data")
    assert got.status_code == 500
    assert got.get_json()["error"].startswith("程序内部错误（ValueError：boom），未生成输出。")
    assert visible(output) == []


# --- the files checked before computing -------------------------------------------------------------------
def test_the_samples_checked_before_computing(client, output):
    """POST /api/check: each file's role and rows, as the command line reads them; nothing written."""
    got = client.post("/api/check", headers=AUTH, data={"files": sample_files()}, content_type="multipart/form-data")
    assert got.status_code == 200, got.get_json()
    body = got.get_json()
    assert body["year"] == 2023
    files = {f["file"]: f["sheets"] for f in body["files"]}
    assert sorted(files) == sorted(p.name for p in SAMPLES.iterdir())
    customs = files["海关数据2023.xlsx"]
    assert customs == [{"sheet": "进出口明细", "role": "海关数据", "rows_read": 504, "rows_used": 502,
                        "rows_review": 1, "rows_skipped": 1}]
    assert [s["role"] for s in files["企业申报汇总.xlsx"]] == ["企业申报汇总-企业信息", "企业申报汇总-贷款台账",
                                                           "企业申报汇总-其他奖励"]
    assert files["省厅奖励名单.xlsx"][0]["role"] == "省级奖励" and files["省厅奖励名单.xlsx"][0]["rows_read"] == 24
    assert files["hg_2022_export.xlsx"][0]["rows_read"] == 190
    assert any(line.startswith("海关数据2023.xlsx：") for line in body["lines"])
    assert not any("上传文件" in line for line in body["lines"])
    assert visible(output) == []                                  # no run folder, the uploads removed


def test_an_empty_xlsx_checked_422_and_nothing_written(client, output):
    got = client.post("/api/check", headers=AUTH, data={"files": [(io.BytesIO(b""), "省厅奖励名单.xlsx")]},
                      content_type="multipart/form-data")
    assert got.status_code == 422
    error = got.get_json()["error"]
    assert "空文件" in error and "省厅奖励名单.xlsx" in error and "上传文件" not in error
    assert visible(output) == []


def test_the_check_needs_the_token_and_the_desks_own_page(client, output):
    assert client.post("/api/check", data={"files": sample_files()},
                       content_type="multipart/form-data").status_code == 403
    client.get(f"/?token={TOKEN}")
    assert client.post("/api/check", headers={"Origin": "http://evil.example"}, data={"files": sample_files()},
                       content_type="multipart/form-data").status_code == 403
    assert client.get("/api/check", headers=AUTH).status_code == 405
    files = [(io.BytesIO(b""), f"f{i}.xlsx") for i in range(MAX_FILES + 1)]
    assert client.post("/api/check", headers=AUTH, data={"files": files},
                       content_type="multipart/form-data").status_code == 413
    assert visible(output) == []


# --- the comparison on the page ----------------------------------------------------------------------------
def test_the_runs_page_has_the_compare_controls(computed):
    client, output, answer = computed
    first = answer.get_json()["run"]
    second = client.post("/api/runs", headers=AUTH, data={"files": sample_files(), "no_letters": "1"},
                         content_type="multipart/form-data").get_json()["run"]
    page = client.get("/runs", headers=AUTH).get_data(as_text=True)
    for needle in ('id="compare-a"', 'id="compare-b"', 'id="compare-go"', "对比两次运行", 'id="compare-result"',
                   f'<option value="{first}"', f'<option value="{second}" selected'):
        assert needle in page, needle
    assert page.count('id="compare-card"') == 1                       # once, in the page, not in its <title>
    assert "<title>历次运行 — 外贸奖励兑现工作台</title>" in page
    script = client.get("/static/desk.js", headers=AUTH).get_data(as_text=True)
    assert "/api/compare?a=" in script and "innerHTML" not in script.split("--- earlier runs")[1]
    got = client.get(f"/api/compare?a={quote(first)}&b={quote(second)}", headers=AUTH).get_json()
    assert got["a"]["total_yuan"] == got["b"]["total_yuan"] == "18,087,846.70" and got["changed"] == []


def test_one_run_has_no_compare_controls(output, client):
    (output / "2023年度_20240101-000000").mkdir(parents=True)
    assert 'id="compare-go"' not in client.get("/runs", headers=AUTH).get_data(as_text=True)
