"""A site's own session parameter ([sites.crawl] session_params) reaches the checks: a link that carries another
session id than the stored page still names that page, as it did for the crawl."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest_twisted

from govmon.checks.engine import check_run, finding_identity
from govmon.checks.links import check_links
from govmon.checks.tracking import track
from govmon.crawler.run import schedule_crawl
from govmon.facts import canonical_url
from govmon.workdays import WorkCalendar
from tests.servers import Reply, SiteServer, html
from tests.snapshots import HOME, context, link, page, snapshot
from tests.test_crawl import fetched
from tests.test_tracking import GONE, PACK, SECTION, SITE, add_run, at

AS_OF = datetime(2026, 11, 20, 16, tzinfo=UTC)  # the end of 20 November in China
TOKEN = frozenset({"token"})


def frame(title: str, main: str, token: int, meta: str = "") -> str:
    nav = f'<ul class="nav"><li><a href="/">首页</a></li><li><a href="/xwzx/?token={token}">要闻动态</a></li></ul>'
    return (f'<html><head><meta charset="utf-8"><title>{title}</title>{meta}</head>'
            f'<body>{nav}<div class="main">{main}</div></body></html>')


def tokened_site(handler) -> Reply:
    """Every answer writes a fresh token into its links. The news column lists two recent notices published as
    PDF files and one old article, whose breadcrumb links the column with its own token."""
    token = len(handler.server.hits)
    path = handler.path.partition("?")[0]
    if path.endswith(".pdf"):
        return Reply(200, b"%PDF-1.4", {"Content-Type": "application/pdf"})
    if path == "/xwzx/":
        entries = "".join(f'<li><a href="/xwzx/n{n}.pdf">关于做好第{n}批惠民补贴发放工作的通知</a><span>2026-11-1{n}</span></li>'
                          for n in (7, 8))
        entries += (f'<li><a href="/xwzx/old.html?token={token}">本市召开上半年经济运行分析会议</a>'
                    '<span>2026-06-01</span></li>')
        return html(frame("要闻动态", f'<ul class="list">{entries}</ul>', token))
    if path == "/xwzx/old.html":
        crumbs = f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/?token={token}">要闻动态</a></div>'
        meta = '<meta name="ColumnName" content="要闻动态"><meta name="PubDate" content="2026-06-01">'
        return html(frame("本市召开上半年经济运行分析会议", f"{crumbs}<h1>本市召开上半年经济运行分析会议</h1>"
                                                       "<p>会议分析了上半年全市经济运行情况。</p>", token, meta))
    if path == "/":
        return html(frame("测试市人民政府", "<p>欢迎访问</p>", token))
    return Reply(404, b"", {"Content-Type": "text/html"})


def column_findings(findings) -> dict[str, str]:
    return {f.rule: f.evidence["newest"] for f in findings if f.rule.startswith(("COL-1", "COL-2"))}


@pytest_twisted.ensureDeferred
async def test_a_column_linked_with_another_token_is_the_crawled_column(store, db_url, make_site):
    with SiteServer({}, fallback=tokened_site) as server:
        site = make_site(server.url + "/", session_params=["token"])
        run = await schedule_crawl(store, site, db_url)
        lists = [path for method, path in server.hits if method == "GET" and path.startswith("/xwzx/?")]
    assert run.status == "complete" and len(lists) == 1  # the crawl fetched the column once, whatever its token
    article = next(p for p in fetched(store, run.id).values() if p.url.startswith(server.url + "/xwzx/old.html"))
    crumb = article.facts["breadcrumb"][-1]["url"]
    assert crumb.startswith(server.url + "/xwzx/?token=") and crumb != lists[0]  # another token than the list's
    # The breadcrumb's column is the list the crawl stored: its newest notice (18 November) is recent.
    assert column_findings(check_run(store, run.id, PACK, AS_OF, site)) == {}
    # Keyed with the default list, the breadcrumb's column has no list page and is judged by its old article.
    assert column_findings(check_run(store, run.id, PACK, AS_OF)) == {"COL-1": "2026-06-01"}


def test_a_link_with_another_token_names_the_stored_page():
    home = page(HOME, depth=0, title="首页")
    dead = page(HOME + "a.html?token=1", status=404)
    dead.fetched_at = AS_OF
    found = snapshot(home, dead, links=(link(home, HOME + "a.html?token=2", "文章"),), session_params=TOKEN)
    assert [(d.rule, d.target) for d in check_links(found, context())] == [("LINK-1", dead.url)]
    unmatched = snapshot(home, dead, links=(link(home, HOME + "a.html?token=2", "文章"),))
    assert check_links(unmatched, context()) == []


def test_a_findings_identity_drops_the_sites_session_parameters_and_is_unchanged_for_the_default_ones():
    one, other = HOME + "a.html?token=1", HOME + "a.html?token=2"
    assert finding_identity("LINK-2", "t", one, TOKEN) == finding_identity("LINK-2", "t", other, TOKEN)
    assert finding_identity("LINK-2", "t", one) != finding_identity("LINK-2", "t", other)
    with_sid = HOME + "a.html?sid=9&token=1"
    stored = hashlib.sha1(f"LINK-2\x1ft\x1f{canonical_url(with_sid)}".encode()).hexdigest()  # as stores hold it
    assert finding_identity("LINK-2", "t", with_sid) == stored


def test_a_page_that_failed_under_another_token_keeps_its_findings_open(store):
    """The list page a finding is on failed to parse in the next complete run, fetched with another token: that
    run did not look at it, so the finding stays open, not re-checked."""
    add_run(store, date(2026, 11, 2), "complete", ("LINK-2", GONE))
    add_run(store, date(2026, 11, 3), "complete", failed={SECTION + "?token=7": "parse_error"})
    with store.session() as session:
        moment = at(date(2026, 11, 3)) + timedelta(hours=12)
        [kept] = track(session, SITE, moment, PACK, WorkCalendar(), TOKEN)
        [lost] = track(session, SITE, moment, PACK, WorkCalendar())
    assert (kept.state, kept.rechecked) == ("open", False)
    assert lost.state == "fixed"  # with the default list the failed page is another URL: wrongly fixed
