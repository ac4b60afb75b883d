"""A hostile site cannot make one crawl unbounded: responses are capped by kind, decompression stops at the cap,
the crawl stops at its wall-clock budget as partial, and checks stop at their budget."""

from __future__ import annotations

import gzip

import pytest_twisted

from crawler.run import schedule_crawl
from reports.labels import run_reason_label
from tests.servers import Reply, SiteServer, html
from tests.test_crawl import fetched, page

CAP = 1_000_000  # bytes: a page's cap in these tests


@pytest_twisted.ensureDeferred
async def test_a_gzip_bomb_is_too_large_and_the_rest_of_the_site_is_crawled(store, db_url, make_site):
    bomb = gzip.compress(b"<html><body>" + b"a" * (50 * CAP), compresslevel=9)  # 50 MB in some 50 kB
    routes = {
        "/": html(page("首页", '<a href="/bomb.html">炸弹</a><a href="/big.html">大页</a><a href="/fine.html">正常</a>'
                       '<a href="/report.pdf">附件</a>')),
        "/bomb.html": Reply(200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"}),
        "/big.html": html(page("大页", "政" * CAP)),  # 3 MB as sent
        "/fine.html": html(page("正常", '<a href="/deeper.html">更深</a>')),
        "/deeper.html": html(page("更深")),
        # HEAD refused, so the attachment is checked by GET: 2 MB is over a page's cap, not an attachment's
        "/report.pdf": lambda handler: Reply(405 if handler.command == "HEAD" else 200, b"%PDF" + b"0" * (2 * CAP),
                                             {"Content-Type": "application/pdf"}),
    }
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", max_page_bytes=CAP,
                                                    max_attachment_bytes=5 * CAP), db_url)
    pages = fetched(store, run.id)
    assert len(bomb) < CAP
    assert run.status == "complete"
    assert pages[server.url + "/bomb.html"].error_kind == "too_large"
    assert "decompress" in pages[server.url + "/bomb.html"].error_detail
    assert pages[server.url + "/big.html"].error_kind == "too_large"
    assert pages[server.url + "/deeper.html"].title == "更深"
    report = pages[server.url + "/report.pdf"]
    assert (report.status, report.error_kind, report.size) == (200, None, 2 * CAP + 4)


@pytest_twisted.ensureDeferred
async def test_a_crawl_past_its_duration_stops_as_partial(store, db_url, make_site):
    """A site without end (every page links to ten new ones) would hold the crawl until max_pages, a million
    pages away; the budget ends it. A request in flight still has its own timeout: the crawl closes after it."""

    def endless(handler) -> Reply:
        name = handler.path.strip("/").removesuffix(".html") or "0"
        if not name.isdigit():  # the soft-404 probes
            return html(page("未找到"), status=404)
        number = int(name)
        return html(page(f"第{number}页", "".join(f'<a href="/{10 * number + k}.html">下级</a>' for k in range(1, 11))))

    with SiteServer({}, fallback=endless) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", max_pages=1_000_000, max_depth=100,
                                                    max_duration=1.0), db_url)
    assert run.status == "partial"
    assert run.reason == "stopped early: closespider_timeout"
    assert run_reason_label(run.reason) == "采集提前结束（达到采集时长上限）"
    assert fetched(store, run.id)[server.url + "/"].title == "第0页"  # what it saw is kept


@pytest_twisted.ensureDeferred
async def test_checks_stop_at_their_budget_on_the_site_and_elsewhere(store, db_url, make_site):
    with SiteServer({}, fallback=Reply(200, b"x", {"Content-Type": "image/png"})) as other:
        external = other.url.replace("127.0.0.1", "localhost")  # another host name: not the site's
        body = "".join(f'<img src="/i{index}.png">' for index in range(40))
        body += "".join(f'<a href="{external}/e{index}.html">外链{index}</a>' for index in range(40))
        with SiteServer({"/": html(page("首页", body))}, fallback=Reply(200, b"x", {"Content-Type": "image/png"})) \
                as server:
            run = await schedule_crawl(store, make_site(server.url + "/", max_checks=12, external_delay=0), db_url)
    heads = [path for method, path in server.hits + other.hits if method == "HEAD"]
    assert len(heads) == 12
    assert "max_checks" in run.stats["limits_reached"]
    assert run.status == "complete"  # the budget is the configured scope, like max_pages
    assert len(fetched(store, run.id)) == 3 + 12  # two soft-404 probes, the homepage, and the checks made
