"""Completeness means coverage, not perfection: one run over a site with a malformed link, a blank page, a meta
refresh and a URL that stays rate limited is complete, and reports exactly the dead links."""

from __future__ import annotations

import pytest_twisted

from govmon.crawler.run import schedule_crawl
from tests.servers import Reply, SiteServer, html
from tests.test_crawl import fetched, findings, page


@pytest_twisted.ensureDeferred
async def test_a_hostile_little_site_gives_a_complete_run_and_exactly_its_dead_links(store, db_url, make_site):
    busy_hits: list[str] = []

    def busy(handler) -> Reply:  # always too many requests, as a server protecting itself answers
        busy_hits.append(handler.command)
        return html(page("忙"), status=429, **{"Retry-After": "0"})

    home = page("首页", "".join((
        '<a href="http://localhost]/x.html">坏地址</a>',
        '<a href="/blank.html">空白页</a>',
        '<a href="/moved.html">已迁移</a>',
        '<a href="/busy.html">繁忙</a>',
        '<a href="/gone.html">已删除</a>',
        '<a href="/fine.html">正常</a>',
    )))
    routes = {
        "/": html(home),
        "/blank.html": Reply(200, b"", {"Content-Type": "text/html"}),
        "/moved.html": html('<html><head><meta http-equiv="refresh" content="0; url=/new.html"></head>'
                            '<body></body></html>'),
        "/new.html": html(page("新地址", '<a href="/gone-too.html">旧文</a>')),
        "/busy.html": busy,
        "/fine.html": html(page("正常")),
    }
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", retries=1), db_url)
    base = server.url
    assert run.status == "complete" and run.stats["rate_limited"] == 1
    pages = fetched(store, run.id)
    assert pages[base + "/moved.html"].status == 200  # the refreshing page is the page that answered
    assert pages[base + "/new.html"].title == "新地址"  # and its target is crawled like any link
    assert len(busy_hits) == 2  # asked again once, then left: not judged
    assert findings(store, run.id) == {
        "http://localhost%5D/x.html": ("LINK-1", "invalid_url"),  # stored as a browser would request it
        base + "/blank.html": ("LINK-1", "empty_page"),
        base + "/gone.html": ("LINK-1", "http_404"),
        base + "/gone-too.html": ("LINK-2", "http_404"),
    }
