"""The desk end to end in a real headless Chromium (Debian's chromium + chromium-driver, driven by
Selenium): choose the sample files, compute, find and open a firm, download the workbook and check its
total. Screenshots go to $JIXI_DESK_SCREENSHOTS when set (the README's are made so: docs/), else to the
test's temporary folder. Skipped without Chromium, its driver or Selenium — unless JIXI_REQUIRE_BROWSER=1
(.ci/run), where a missing browser fails the test."""
from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

SAMPLES = Path(__file__).resolve().parents[1] / "input_samples"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def _browser_missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "Selenium is not installed"
    if not (CHROMIUM and DRIVER):
        return "chromium or chromedriver is not installed"
    return None


@pytest.fixture
def browser(tmp_path):
    missing = _browser_missing()
    if missing:
        if os.environ.get("JIXI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{missing} (JIXI_REQUIRE_BROWSER=1)")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1360,1000", "--lang=zh-CN", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.implicitly_wait(0)
    try:
        yield driver, downloads
    finally:
        driver.quit()


@pytest.fixture
def desk(tmp_path):
    from jixi_batch.desk.server import address, make_server

    server, token = make_server(tmp_path / "out", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield address(server, token), tmp_path / "out"
    finally:
        server.shutdown()
        server.server_close()


def wait_for(condition, seconds: float = 60, what: str = ""):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_drop_compute_open_a_firm_and_download_the_workbook(browser, desk, tmp_path):
    from selenium.webdriver.common.by import By

    driver, downloads = browser
    url, output = desk
    shots = Path(os.environ.get("JIXI_DESK_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    driver.get(url)
    assert driver.current_url.endswith("/") and "token=" not in driver.current_url   # the token became a cookie
    assert "上传输入文件并计算" in driver.page_source
    # a drop of the sample files on the drop zone: the files are handed to a scratch file input (what
    # WebDriver can fill), then dropped on the zone as the browser would drop them from the desktop
    scratch = driver.execute_script(
        "var i = document.createElement('input'); i.type = 'file'; i.multiple = true; i.id = 'scratch';"
        "document.body.appendChild(i); return i;")
    scratch.send_keys("\n".join(str(p) for p in sorted(SAMPLES.iterdir())))
    driver.execute_script(
        "var i = document.getElementById('scratch'), t = new DataTransfer();"
        "for (var k = 0; k < i.files.length; k++) t.items.add(i.files[k]);"
        "document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: t, bubbles: true,"
        " cancelable: true})); i.remove();")
    chosen = driver.find_elements(By.CSS_SELECTOR, "#chosen li")
    driver.execute_script("document.getElementsByName('issue_date')[0].value = '2024-04-15';"
                          "document.getElementsByName('publicity_start')[0].value = '2024-04-15';")
    assert len(chosen) == 4 and any("海关数据2023.xlsx" in li.text for li in chosen)
    # the files read before computing: each file's role and rows in a table
    rows = wait_for(lambda: [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#check-table tbody tr")
                             if r.is_displayed()], what="the files checked")
    assert len(rows) == 6 and any(r.startswith("海关数据2023.xlsx 进出口明细 海关数据 504 502 1 1") for r in rows), rows
    assert "计算年度 2023 年" in driver.find_element(By.ID, "check-status").text
    assert list(output.iterdir()) == []                                  # nothing written, the uploads gone
    driver.save_screenshot(str(shots / "desk-upload.png"))

    driver.find_element(By.ID, "go").click()
    wait_for(lambda: "/runs/" in driver.current_url, what="the result page")
    assert driver.find_element(By.ID, "total").text == "18,087,846.70"
    firms = driver.find_elements(By.CSS_SELECTOR, "tr.firm")
    assert len(firms) == 34
    assert "待核查（25 条）" in driver.page_source and "晚于兑现期限" not in driver.page_source   # 2024-04-15 taken
    driver.save_screenshot(str(shots / "desk-result.png"))

    search = driver.find_element(By.ID, "search")
    search.send_keys("北疆")
    shown = [row for row in firms if row.is_displayed()]
    assert len(shown) == 1 and "鸡西市北疆新材料产业有限公司" in shown[0].text
    shown[0].click()
    lines = shown[0].find_element(By.XPATH, "following-sibling::tr[1]")
    assert lines.is_displayed() and "第五条各项奖励合计" in lines.text and "计算说明" in lines.text
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", lines)
    driver.save_screenshot(str(shots / "desk-firm.png"))

    driver.find_element(By.CSS_SELECTOR, "a.download[data-key='workbook']").click()
    book = wait_for(lambda: next((p for p in downloads.glob("*.xlsx")), None), what="the downloaded workbook")
    wait_for(lambda: not list(downloads.glob("*.crdownload")), what="the download to finish")
    assert book.name == "2023年度外贸奖励兑现表.xlsx"
    summary = load_workbook(book, read_only=True)
    assert any(v == 18087846.7 or "18,087,846.70" in str(v) for ws in summary.worksheets
               for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    run = unquote(driver.current_url.rsplit("/", 1)[1])
    assert (output / run / book.name).read_bytes() == book.read_bytes()


def drop(driver, paths):
    """The files dropped on the upload page's drop zone (through a scratch file input WebDriver can fill)."""
    scratch = driver.execute_script(
        "var i = document.createElement('input'); i.type = 'file'; i.multiple = true; i.id = 'scratch';"
        "document.body.appendChild(i); return i;")
    scratch.send_keys("\n".join(str(p) for p in paths))
    driver.execute_script(
        "var i = document.getElementById('scratch'), t = new DataTransfer();"
        "for (var k = 0; k < i.files.length; k++) t.items.add(i.files[k]);"
        "document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: t, bubbles: true,"
        " cancelable: true})); i.remove();")


def test_compute_twice_and_compare_on_the_page(browser, desk, tmp_path):
    """The samples computed, then again without last year's customs file; the earlier-runs page compares
    the two: the total's difference, the firms changed and added, a line's two 计算说明."""
    from selenium.webdriver.common.by import By

    driver, _ = browser
    url, output = desk
    shots = Path(os.environ.get("JIXI_DESK_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    samples = sorted(SAMPLES.iterdir())
    driver.get(url)
    for files in (samples, [p for p in samples if p.name != "hg_2022_export.xlsx"]):
        driver.get(url.split("?")[0])
        drop(driver, files)
        driver.find_element(By.CSS_SELECTOR, "input[name=no_letters]").click()
        driver.find_element(By.ID, "go").click()
        wait_for(lambda: "/runs/" in driver.current_url, what="the result page")
    driver.get(url.split("?")[0].rstrip("/") + "/runs")
    driver.find_element(By.ID, "compare-go").click()
    result = driver.find_element(By.ID, "compare-result")
    wait_for(lambda: "差额" in result.text, what="the comparison")
    text = result.text
    assert "18,087,846.70" in text and "18,637,846.70" in text and "差额 +550,000.00 元" in text, text
    assert "兑现金额变化的企业（3 户）" in text and "新增企业（1 户）" in text and "减少企业（0 户）" in text
    assert "鸡西市鸡冠区兴旺服装加工有限公司" in text and "+40,000.00" in text
    assert "较上年 80,001,234.00 元" in text and "较上年 0.00 元" in text       # both 计算说明 of a line
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", result)
    driver.save_screenshot(str(shots / "desk-compare.png"))
