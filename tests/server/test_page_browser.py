"""The page in headless Chromium (Debian's /usr/bin/chromium driven by Playwright; no browser
is downloaded): log in, upload the dev notice, see each of its tasks with its unit, click a
task and see it in the text, follow a citation; a screenshot is saved to
tests/output/page.png."""
from pathlib import Path

import httpx
import pytest

from serverlib import ROOT, TOKEN
from pipeline.devcorpus import DEV_CORPUS

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
NOTICE = DEV_CORPUS / "qngai-skhcn-tb-ketluan-2021.docx"
OUTPUT = ROOT / "tests" / "output"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no {CHROMIUM}")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def test_upload_and_read_a_notice(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1000}, locale="vi-VN")
    page.set_default_timeout(120_000)

    # not logged in: sent to the login form; a wrong token is refused
    page.goto(server.url + "/")
    assert "/login" in page.url
    page.fill("#token", "not-the-token")
    page.click("button[type=submit]")
    assert page.locator(".alert.error").is_visible()
    page.fill("#token", TOKEN)
    page.click("button[type=submit]")
    page.wait_for_url(server.url + "/")
    assert page.locator("h1").first.inner_text() == "Tải lên văn bản"
    cookie = next(c for c in page.context.cookies() if c["name"] == "vanban_session")
    assert cookie["httpOnly"] and cookie["value"] != TOKEN

    # upload: the page goes to the notice
    page.set_input_files("#files", str(NOTICE))
    page.click("#upload-button")
    page.wait_for_url("**/documents/*")
    doc_id = page.url.split("/documents/")[1].split("?")[0]
    assert page.locator(".alert.ok").is_visible()

    api = httpx.get(f"{server.url}/api/documents/{doc_id}", headers={"Authorization": f"Bearer {TOKEN}"},
                    timeout=60).json()
    tasks = api["tasks"]
    assert len(tasks) == 43

    # header fields, with Vietnamese labels
    fields = page.locator("#header-card").inner_text()
    for label in ("Cơ quan ban hành", "Số/Ký hiệu", "Ngày ban hành", "Trích yếu", "Người ký"):
        assert label in fields
    if api["header"]["subject"]:
        assert api["header"]["subject"] in page.locator("[data-field=subject]").inner_text()

    # one row per task, each showing its unit
    rows = page.locator("li.task")
    assert rows.count() == len(tasks)
    for t in tasks:
        row = page.locator(f'li.task[data-task-path="{t["path"]}"]')
        assert row.count() == 1, t["path"]
        unit = row.locator(":scope > .task-row .chip.unit").inner_text()
        assert unit == (t["unit"] or "Chưa xác định đơn vị"), t["path"]
        if t["deadline"] or t.get("due"):      # a period's last day when no day is given (issue 13)
            assert row.locator(":scope > .task-row .chip.deadline").count() == 1

    # a click on a task marks its span in the text
    first = tasks[0]
    page.locator(f'li.task[data-task-path="{first["path"]}"] > .task-row').click()
    flashed = page.locator("#fulltext .hl.flash")
    assert flashed.count() >= 1
    marked = "".join(flashed.all_inner_texts())
    assert marked.strip()[:30] in api["header"]["text"][first["span_start"]:first["span_end"]]

    # citations are listed; one resolved to a stored notice is a link
    assert page.locator("tr.citation").count() == len(api["citations"])

    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "page-full.png"), full_page=True)
    # the shot a reader wants: the tasks with their units beside the text, the task clicked
    page.locator("#tree-card").evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 10)")
    page.screenshot(path=str(OUTPUT / "page.png"), full_page=False)

    with_unit = sum(1 for t in tasks if t["unit"])
    if with_unit < 41:                      # the gold gives 41 of the 43 tasks a unit
        pytest.xfail(f"the analysis gives {with_unit} of {len(tasks)} tasks a unit; the page shows each as stored")


CITED = """UBND TỈNH QUẢNG NGÃI
SỞ KHOA HỌC VÀ CÔNG NGHỆ
Số: 21/TB-SKHCN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quảng Ngãi, ngày 05 tháng 3 năm 2021
THÔNG BÁO
Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 2 năm 2021
1. Phòng Quản lý Khoa học hoàn thành báo cáo trước ngày 30/3/2021.
2. Văn phòng Sở tổng hợp kết quả.
"""
CITING = """UBND TỈNH QUẢNG NGÃI
SỞ KHOA HỌC VÀ CÔNG NGHỆ
Số: 35/TB-SKHCN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quảng Ngãi, ngày 02 tháng 4 năm 2021
THÔNG BÁO
Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 3 năm 2021
Căn cứ Thông báo số 21/TB-SKHCN ngày 05/3/2021 của Sở Khoa học và Công nghệ;
1. Phòng Quản lý Khoa học tiếp tục thực hiện Thông báo số 21/TB-SKHCN ngày 05/3/2021.
"""


def test_citation_links_to_the_cited_notice(server, browser, tmp_path):
    """Upload two notices (several files at once through the form), one citing the other:
    the citing notice's page links to the cited one (resolved by number and symbol)."""
    (tmp_path / "tb-21.txt").write_text(CITED, encoding="utf-8")
    (tmp_path / "tb-35.txt").write_text(CITING, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.set_default_timeout(120_000)
    page.goto(server.url + "/login")
    page.fill("#token", TOKEN)
    page.click("button[type=submit]")
    page.set_input_files("#files", [str(tmp_path / "tb-21.txt"), str(tmp_path / "tb-35.txt")])
    page.click("#upload-button")
    page.wait_for_url("**/upload")
    results = page.locator("tr.result")
    assert results.count() == 2
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "results.png"))
    assert page.locator("tr.result.failed").count() == 0
    page.locator("tr.result", has_text="tb-35.txt").locator("a").click()
    page.wait_for_url("**/documents/*")
    assert "35/TB-SKHCN" in page.locator("[data-field=number]").inner_text()
    link = page.locator("tr.citation", has_text="21/TB-SKHCN").locator("a.cited-link")
    assert link.count() == 1
    link.click()
    page.wait_for_url("**/documents/*")
    assert "21/TB-SKHCN" in page.locator("[data-field=number]").inner_text()
    page.goto(server.url + "/")
    # one row per notice (issue 13); each uploaded file is reached from it, as a notice or as
    # a file listed under its notice (the grouping may take tb-35 and the dev notice, both
    # TB-SKHCN of 2 April 2021 with one number blank and alike trích yếu, for one notice)
    rows = page.locator("table.notices tr.notice")
    assert rows.count() >= 2
    home = page.locator("#notices").inner_text()
    assert "21/TB-SKHCN" in home and ("35/TB-SKHCN" in home or "tb-35.txt" in home)
    page.screenshot(path=str(OUTPUT / "home.png"), full_page=True)
