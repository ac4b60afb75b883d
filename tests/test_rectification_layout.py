"""A rectification list an administrator can read, from a real crawl: the same broken link on 50 pages is one row
with the pages in a collapsible list, every place is in words a person knows (a page's title, an account's name and
platform, a column's name), never an internal id or a made-up anchor, and every reason is in Chinese."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import openpyxl
import pytest
import pytest_twisted
from lxml import html as lxml_html

from govmon import clock
from govmon.checks.engine import check_run
from govmon.checks.ipv6 import check_ipv6
from govmon.checks.latest import availability_at
from govmon.checks.pack import load_pack
from govmon.config import CHINA_TZ
from govmon.crawler.run import schedule_crawl
from govmon.registry import load_registry
from govmon.reports.assemble import rectification_doc
from govmon.reports.rectification import write_rectification_list
from govmon.store import Run, open_store
from govmon.tasks import check_accounts
from tests.conftest import write_registry
from tests.servers import Reply, SiteServer, closed_port, html

PACK = load_pack("national")
ARTICLES = 50
FOOTER = "<div id='footer'>主办单位：测试市人民政府办公室 联系电话：0871-1234567 网站标识码：5300000033 滇ICP备12345678号</div>"
ACCOUNTS = """
[[account]]
id = "ts-weibo"
platform = "微博"
name = "测试发布"
sponsor = "测试市人民政府办公室"
site = "t"
mirrors = ["{base}/feeds/silent"]

[[account]]
id = "ts-toutiao"
platform = "今日头条"
name = "测试头条"
sponsor = "测试市人民政府办公室"
site = "t"
mirrors = ["{base}/feeds/down", "{refused}feed"]
"""
# Exception names and English messages the crawler and the probes record (crawler/errors.py): none may reach a
# report; nor may three English words in a row (URLs and single codes such as "HTTP 404" have no such run).
ENGLISH = re.compile(r"[A-Za-z]*(?:Error|Exception)\b|Traceback|redirections|refused"
                     r"|\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2}")
INTERNAL = re.compile(r"account:|ts-weibo|ts-toutiao|/#|MEDIA:")


def rss(age_days: int) -> Reply:
    published = (datetime.now(CHINA_TZ) - timedelta(days=age_days)).strftime("%a, %d %b %Y %H:%M:%S +0800")
    body = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>测试发布</title>'
            f"<link>http://127.0.0.1/</link><item><title>冬季安全提示</title><link>http://127.0.0.1/p1</link>"
            f"<pubDate>{published}</pubDate></item></channel></rss>")
    return Reply(200, body, {"Content-Type": "application/xml; charset=utf-8"})


def routes(refused: str) -> dict:
    listed = "".join(f'<li><a href="/zwgk/t{n}.html">关于第{n}号文件的通知</a></li>' for n in range(ARTICLES))
    pages = {f"/zwgk/t{n}.html": html(
        f"<html><head><title>关于第{n}号文件的通知</title></head><body><h1>关于第{n}号文件的通知</h1>"
        f'<p>正文。</p><a href="/old/list.html">旧版目录</a> <a href="{refused}">省政务服务网</a>{FOOTER}</body></html>')
        for n in range(ARTICLES)}
    return {"/": html(f"<html><head><title>测试市人民政府</title></head><body><ul>{listed}</ul>{FOOTER}</body></html>"),
            **pages, "/feeds/silent": rss(20),
            "/feeds/down": Reply(503, "RSSHub is down", {"Content-Type": "text/plain"})}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The list of a crawled site, in every format, with its accounts checked against local mirrors."""
    tmp = tmp_path_factory.mktemp("layout")
    db_url = f"sqlite:///{tmp / 'govmon.db'}"
    store = open_store(db_url)
    refused = f"http://127.0.0.1:{closed_port()}/portal/"
    with SiteServer(routes(refused)) as server:
        path = write_registry(tmp / "govmon.toml", server.url + "/")
        accounts = ACCOUNTS.format(base=server.url, refused=refused)
        path.write_text(path.read_text(encoding="utf-8") + accounts, encoding="utf-8")
        registry = load_registry(path)
        site = registry.sites[0]
        run = pytest_twisted.blockon(schedule_crawl(store, site, db_url))
        check_run(store, run.id, PACK, datetime.now(CHINA_TZ), site=site)
        check_accounts(store, list(registry.accounts_of(site.id)), {site.id: site}, PACK)
    now = clock.now()
    doc = rectification_doc(store, site, run.id, PACK, datetime.now(CHINA_TZ).date(), now,
                            accounts=registry.accounts_of(site.id), availability=availability_at(store, site, PACK, now))
    with store.session() as session:
        started = session.get(Run, run.id).started_at
    paths = write_rectification_list(doc, tmp / "out", ["html", "xlsx", "json"])
    yield {"doc": doc, "paths": paths, "base": server.url, "started": started}
    store.engine.dispose()


@pytest.fixture(scope="module")
def page(written):
    """The page's body: what a reader sees (the style sheet names fonts in English)."""
    return lxml_html.fromstring(written["paths"]["html"].read_bytes()).body


@pytest.fixture(scope="module")
def sheet(written):
    return openpyxl.load_workbook(written["paths"]["xlsx"])


def _row_of(page, target: str):
    rows = [row for row in page.xpath("//table[@class='findings']//tr[contains(@class, 'finding')]")
            if target in row.xpath("string(td[@class='col-place'])")]
    assert len(rows) == 1, f"{target}: {len(rows)} rows"
    return rows[0]


def test_the_same_broken_link_on_50_pages_is_one_row_with_the_pages_collapsed(written, page):
    row = _row_of(page, written["base"] + "/old/list.html")
    (details,) = row.xpath(".//details")
    assert details.get("open") is None  # 50 pages: collapsed
    assert details.xpath("string(summary)") == f"出现在{ARTICLES}个页面"
    listed = details.xpath(".//ol/li")
    assert len(listed) == PACK.report.places_cap
    first = listed[0].text_content()
    assert re.match(rf"关于第(\d+)号文件的通知 {re.escape(written['base'])}/zwgk/t\1\.html「旧版目录」$", first), first
    assert f"等{ARTICLES}处" in details.text_content()
    group = row.getparent()
    assert group.get("id") == "rule-LINK-2"
    assert page.xpath("//table[contains(@class,'by-rule')]//a[@href='#rule-LINK-2']")


def test_the_xlsx_has_the_same_grouping(written, sheet):
    findings = sheet["整改清单"]
    headers = [c.value for c in findings[1]]
    col = {h: n for n, h in enumerate(headers, 1)}
    rows = [r for r in range(2, findings.max_row + 1)
            if findings.cell(r, col["问题网址"]).value == written["base"] + "/old/list.html"]
    assert len(rows) == 1
    assert findings.cell(rows[0], col["出现次数"]).value == ARTICLES
    pages = findings.cell(rows[0], col["所在页面"]).value.split("\n")
    assert len(pages) == PACK.report.places_cap + 1 and pages[-1] == f"等{ARTICLES}处"
    assert re.match(rf"关于第(\d+)号文件的通知　{re.escape(written['base'])}/zwgk/t\1\.html$", pages[0]), pages[0]


def test_places_are_words_a_person_knows_never_internal_ids_or_made_up_anchors(written, page, sheet):
    text = page.text_content()
    assert not INTERNAL.search(text), INTERNAL.search(text)
    assert not any(INTERNAL.search(href) for href in page.xpath("//a/@href") if not href.startswith("#rule-"))
    places = {row.xpath("string(td[@class='col-problem']//div[@class='rule-id'])"):
              row.xpath("string(td[@class='col-place'])") for row in page.xpath("//tr[contains(@class, 'finding')]")}
    assert "账号“测试发布”（微博）" in places["MEDIA-1"]
    assert "首页导航及网站地图" in places["COL-4"]
    assert "测试发布（微博）" in page.xpath("string(//table[contains(@class,'media')])")
    unjudged = page.xpath("string(//ul[@class='unjudged'])")
    assert "“测试头条”（今日头条）" in unjudged and "HTTP 503" in unjudged and "连接被拒绝" in unjudged
    for row in sheet["整改清单"].iter_rows(min_row=2, values_only=True):
        assert not any(INTERNAL.search(str(value)) for value in row if value is not None), row


def test_every_reason_is_in_chinese(written, page, sheet):
    refused = next(f for f in written["doc"]["findings"] if f["evidence"]["reason"] == "connection_refused")
    assert ENGLISH.search(refused["evidence"]["detail"])  # the JSON keeps the crawler's own words …
    text = page.text_content()
    assert not ENGLISH.search(text), ENGLISH.search(text)  # … no human-facing format does
    assert "连接被拒绝" in _row_of(page, refused["target"]).text_content()
    for ws in sheet:
        for row in ws.iter_rows(values_only=True):
            assert not any(ENGLISH.search(str(value)) for value in row if value is not None), row


def test_china_time_is_said_once_and_every_time_is_china_time(written, page, sheet):
    assert page.text_content().count("时间均为北京时间") == 1
    cells = [str(v) for ws in sheet for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert sum(cell.count("时间均为北京时间") for cell in cells) == 1
    started = written["started"].astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    findings = sheet["整改清单"]
    col = {c.value: n for n, c in enumerate(findings[1], 1)}
    crawl_rows = [r for r in range(2, findings.max_row + 1) if findings.cell(r, col["规则编号"]).value == "LINK-2"]
    assert {findings.cell(r, col["首次发现"]).value for r in crawl_rows} == {started}
    assert f"首次发现 {started}" in _row_of(page, written["base"] + "/old/list.html").text_content()


def test_ipv6_claim_and_name_server_findings_say_where():
    measurements = {
        "host": "www.test.gov.cn", "url": "http://www.test.gov.cn/", "claim": "text:网站支持IPv6",
        "dns": {"zone": "test.gov.cn", "a": {"values": ["127.0.0.1"], "error": None},
                "aaaa": {"values": [], "error": "no_answer"},
                "ns": {"values": ["ns1.test.gov.cn", "ns2.test.gov.cn"], "error": None},
                "ns_aaaa": {"ns1.test.gov.cn": {"values": [], "error": "no_answer"},
                            "ns2.test.gov.cn": {"values": [], "error": "no_answer"}}},
        "homepage": {"ipv6": {"attempts": 0}},
    }
    drafts = {d.rule: d for d in check_ipv6(measurements, PACK, PACK.report.places_cap)}
    assert set(drafts) == {"IPV6-1", "IPV6-5", "IPV6-6"}
    claim, servers = drafts["IPV6-5"], drafts["IPV6-6"]
    assert (claim.places_total, claim.places[0]["page"]) == (1, "http://www.test.gov.cn/")
    assert "首页" in claim.places[0]["text"] and "text:" not in claim.evidence["detail"]
    assert "IPV6-1" not in claim.evidence["detail"]  # the rule by its name, not its ID
    assert servers.places_total == 2 and [p["page"] for p in servers.places] == ["ns1.test.gov.cn", "ns2.test.gov.cn"]
    assert servers.evidence["location"] == "域名 test.gov.cn 的权威域名服务器"
    assert "no_answer" not in drafts["IPV6-1"].evidence["detail"]
