"""The crawl reads the attachments the rule pack names (PII-1): what a file holds is stored masked, and a file it
cannot read says why without being a broken link.

Every file here is synthetic, built in the test with openpyxl; the personal numbers are made up (a valid check
digit computed here), never taken from a page.
"""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, datetime

import pytest_twisted
from openpyxl import Workbook
from sqlalchemy import select

from govmon.checks.engine import check_run
from govmon.checks.pack import load_pack
from govmon.crawler.run import schedule_crawl
from govmon.store import Page
from tests.servers import Reply, SiteServer, html

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    """A made-up 18-digit ID number with its GB 11643 check digit."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


ID_NUMBER = id_number("53010219900307123")
MOBILE = "139" + "12345678"


def workbook(*rows: tuple) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROSTER = workbook(("2026年城乡低保人员名单",), ("姓名", "身份证号码", "联系电话"), ("张某某", ID_NUMBER, MOBILE))


def home(links: str) -> Reply:
    return html(f"<html><head><meta charset='utf-8'><title>首页</title></head><body>{links}"
                "<div>主办单位：测试市人民政府办公室 网站标识码：5300000033</div></body></html>")


def reading(kinds: tuple[str, ...] = ("xlsx", "csv"), max_bytes: int = 20_000_000) -> dict:
    return {"GOVMON_READ_ATTACHMENTS": {"kinds": list(kinds), "max_bytes": max_bytes}}


def stored(store, run_id: int, kind: str = "attachment") -> dict[str, Page]:
    with store.session() as session:
        return {p.url: p for p in session.scalars(select(Page).where(Page.run_id == run_id, Page.kind == kind))}


def every_stored_text(db_url: str) -> list[str]:
    """Every value of every column of every table, as text (facts are JSON text in SQLite)."""
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [str(value) for table in tables for row in db.execute(f'SELECT * FROM "{table}"') for value in row
                if value is not None]


def link_findings(store, run_id: int) -> dict[str, str]:
    result = check_run(store, run_id, load_pack("national"), datetime.now(UTC))
    return {f.target: f.rule for f in result if f.rule.startswith("LINK-")}


@pytest_twisted.ensureDeferred
async def test_an_xlsx_is_read_and_its_numbers_are_stored_masked_and_nowhere_whole(store, db_url, make_site):
    routes = {"/": home('<a href="/files/roster.xlsx">2026年低保名单.xlsx</a>'),
              "/files/roster.xlsx": Reply(200, ROSTER, {"Content-Type": XLSX})}
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url, **reading())
    assert [hit for hit in server.hits if hit[1] == "/files/roster.xlsx"] == [
        ("HEAD", "/files/roster.xlsx"), ("GET", "/files/roster.xlsx")]
    roster = stored(store, run.id)[server.url + "/files/roster.xlsx"]
    assert (roster.method, roster.status, roster.error_kind, roster.size) == ("GET", 200, None, len(ROSTER))
    assert roster.facts["read"]["format"] == "xlsx" and roster.facts["read"]["truncated"] is False
    assert roster.facts["read"]["segments"] >= 1
    assert roster.facts["link_text"] == "2026年低保名单.xlsx"
    found = {(entry["kind"], entry["masked"], entry["where"]["sheet"], entry["where"]["cell"])
             for entry in roster.facts["personal_data"]}
    assert ("id_card", "530102********" + ID_NUMBER[-4:], "Sheet1", "B3") in found
    assert ("mobile", "139****5678", "Sheet1", "C3") in found
    texts = every_stored_text(db_url)
    assert any("530102********" in text for text in texts)  # the dump does hold the facts
    assert not any(ID_NUMBER in text for text in texts)
    assert not any(MOBILE in text for text in texts)
    assert run.status == "complete" and run.stats["errors"] == 0


@pytest_twisted.ensureDeferred
async def test_a_file_past_the_reading_cap_is_not_read_and_not_broken(store, db_url, make_site):
    def says_nothing_on_head(handler):  # a download script that answers HEAD without the file's size
        return Reply(200, b"" if handler.command == "HEAD" else ROSTER, {"Content-Type": XLSX})

    routes = {"/": home('<a href="/big.xlsx">大表</a><a href="/unsized.xlsx">未知大小</a>'),
              "/big.xlsx": Reply(200, ROSTER, {"Content-Type": XLSX}), "/unsized.xlsx": says_nothing_on_head}
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url, **reading(max_bytes=2000))
    assert len(ROSTER) > 2000
    assert ("GET", "/big.xlsx") not in server.hits  # its HEAD said how big it is
    assert ("GET", "/unsized.xlsx") in server.hits  # cut off at the cap
    attachments = stored(store, run.id)
    for path in ("/big.xlsx", "/unsized.xlsx"):
        page = attachments[server.url + path]
        assert (page.method, page.status, page.error_kind) == ("HEAD", 200, None)
        assert page.facts["read_error"] == "附件超过读取大小上限（0.002 MB）"
        assert "read" not in page.facts
    assert link_findings(store, run.id) == {}
    assert run.stats["errors"] == 0


@pytest_twisted.ensureDeferred
async def test_kinds_not_listed_are_only_checked(store, db_url, make_site):
    routes = {"/": home('<a href="/a.docx">通知</a><a href="/b.xlsx">名单</a>'),
              "/a.docx": Reply(200, b"PK\x03\x04", {"Content-Type": "application/octet-stream"}),
              "/b.xlsx": Reply(200, ROSTER, {"Content-Type": XLSX})}
    with SiteServer(routes) as server:
        listed = await schedule_crawl(store, make_site(server.url + "/"), db_url, **reading(kinds=("xlsx",)))
        unread = await schedule_crawl(store, make_site(server.url + "/"), db_url)  # no GOVMON_READ_ATTACHMENTS
    docx = stored(store, listed.id)[server.url + "/a.docx"]
    assert (docx.method, docx.status) == ("HEAD", 200) and "read" not in docx.facts and "read_error" not in docx.facts
    assert docx.facts["link_text"] == "通知"
    assert stored(store, listed.id)[server.url + "/b.xlsx"].method == "GET"
    assert {(p.method, "read" in p.facts) for p in stored(store, unread.id).values()} == {("HEAD", False)}
    assert server.hits.count(("GET", "/a.docx")) == 0 and server.hits.count(("GET", "/b.xlsx")) == 1


@pytest_twisted.ensureDeferred
async def test_a_corrupt_or_html_attachment_says_why_it_was_not_read(store, db_url, make_site):
    routes = {"/": home('<a href="/corrupt.xlsx">坏表</a><a href="/login.xlsx">要登录</a><a href="/gone.xlsx">无</a>'),
              "/corrupt.xlsx": Reply(200, b"PK\x03\x04" + b"\x00" * 64, {"Content-Type": XLSX}),
              "/login.xlsx": html("<html><body>请先登录</body></html>")}
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url, **reading())
    attachments = stored(store, run.id)
    corrupt = attachments[server.url + "/corrupt.xlsx"]
    assert (corrupt.method, corrupt.status, corrupt.error_kind) == ("GET", 200, None)
    assert corrupt.facts["read_error"] and "read" not in corrupt.facts and "personal_data" not in corrupt.facts
    login = attachments[server.url + "/login.xlsx"]
    assert (login.method, login.facts["read_error"]) == ("HEAD", "附件实为网页")
    gone = attachments[server.url + "/gone.xlsx"]  # broken as today (LINK-3), nothing to read
    assert (gone.method, gone.status) == ("HEAD", 404) and "read_error" not in gone.facts
    assert ("GET", "/gone.xlsx") not in server.hits and ("GET", "/login.xlsx") not in server.hits
    # a web page where a file should be is a broken attachment, as before; a corrupt file is no broken link
    assert link_findings(store, run.id) == {server.url + "/gone.xlsx": "LINK-3", server.url + "/login.xlsx": "LINK-3"}


@pytest_twisted.ensureDeferred
async def test_a_server_refusing_head_is_read_from_its_one_get(store, db_url, make_site):
    def refuses_head(handler):
        return Reply(405) if handler.command == "HEAD" else Reply(200, ROSTER, {"Content-Type": XLSX})

    routes = {"/": home('<a href="/roster.xlsx">名单</a>'), "/roster.xlsx": refuses_head}
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url, **reading())
    assert [hit for hit in server.hits if hit[1] == "/roster.xlsx"] == [("HEAD", "/roster.xlsx"), ("GET", "/roster.xlsx")]
    roster = stored(store, run.id)[server.url + "/roster.xlsx"]
    assert roster.method == "GET" and roster.facts["read"]["format"] == "xlsx"
    assert roster.facts["link_text"] == "名单"
    assert {entry["kind"] for entry in roster.facts["personal_data"]} >= {"id_card", "mobile"}


@pytest_twisted.ensureDeferred
async def test_a_csv_is_an_attachment_when_csv_is_read_and_its_download_is_the_same_check(store, db_url, make_site):
    rows = f"姓名,身份证号码\n李某,{ID_NUMBER}\n".encode()
    routes = {"/": home('<a href="/list.csv">名单</a>'), "/list.csv": Reply(200, rows, {"Content-Type": "text/csv"})}
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", max_checks=1), db_url, **reading())
    assert run.stats["limits_reached"] == []  # HEAD and GET are one check
    listed = stored(store, run.id)[server.url + "/list.csv"]
    assert listed.facts["read"]["format"] == "csv"
    assert [entry["masked"] for entry in listed.facts["personal_data"]] == ["530102********" + ID_NUMBER[-4:]]
    assert not any(ID_NUMBER in text for text in every_stored_text(db_url))
