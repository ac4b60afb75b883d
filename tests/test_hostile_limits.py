"""A hostile site cannot make one crawl unbounded: responses are capped by kind, decompression stops at the cap,
the crawl stops at its wall-clock budget as partial, and checks stop at their budget. The probes keep the site's
page cap too, and the verification of citizens' reports the registry's budget and concurrency."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest_twisted
from sqlalchemy import select

from govmon.checks.pack import load_pack
from govmon.crawler.run import schedule_crawl
from govmon.demo.dns import LocalDNS, Zone
from govmon.intake.verify import verify_reports
from govmon.registry import load_registry
from govmon.reports.labels import run_reason_label
from govmon.schedules import jobs
from govmon.store import CitizenReport, Ipv6Probe
from govmon.tasks import check_accounts, probe_availability
from govmon.workdays import WorkCalendar
from tests.conftest import write_registry
from tests.servers import Reply, SilentServer, SiteServer, html, on_both_stacks
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


# ----- limits from the registry beyond the crawl

SMALL = 10_000  # bytes: the smallest crawl.max_page_bytes allowed, far below the fetch's own 5 MB default
BIG_PAGE = html(page("大首页", "政" * SMALL))  # 30 kB


def test_the_availability_probe_keeps_the_sites_page_cap(store, tmp_path):
    with SiteServer({"/": BIG_PAGE}) as server:
        site = load_registry(write_registry(tmp_path / "govmon.toml", server.url + "/",
                                            max_page_bytes=SMALL)).sites[0]
        probe = probe_availability(store, site, load_pack("national"))
    assert (probe.ok, probe.error_kind) == (False, "too_large")


def test_a_mirror_feed_over_the_sites_page_cap_is_an_error_not_read(store, tmp_path):
    items = "".join(f"<item><title>第{n}条推文</title><link>http://127.0.0.1/p{n}</link></item>" for n in range(400))
    feed = Reply(200, f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>账号</title>{items}'
                      "</channel></rss>", {"Content-Type": "application/xml; charset=utf-8"})
    with SiteServer({"/feed": feed}) as server:
        path = write_registry(tmp_path / "govmon.toml", server.url + "/", max_page_bytes=SMALL)
        path.write_text(path.read_text(encoding="utf-8") + f'\n[[account]]\nid = "wx"\nplatform = "微信公众号"\n'
                        f'name = "测试发布"\nsponsor = "测试办"\nsite = "t"\nmirrors = ["{server.url}/feed"]\n',
                        encoding="utf-8")
        registry = load_registry(path)
        ((check, _findings),) = check_accounts(store, list(registry.accounts), {"t": registry.sites[0]},
                                                load_pack("national"))
    (mirror,) = check.mirrors
    assert check.verdict == "unknown" and mirror["error"].startswith("too_large")


def test_the_scheduled_ipv6_probe_keeps_the_sites_page_cap(store, db_url, tmp_path):
    host = "www.x.gov.cn"
    zone = Zone().add(host, "A", "127.0.0.1").add(host, "AAAA", "::1")
    v4, v6 = on_both_stacks(lambda port: SiteServer({"/": BIG_PAGE}, port=port),
                            lambda port: SiteServer({"/": BIG_PAGE}, host="::1", port=port))
    with LocalDNS(zone) as dns, v4, v6:
        path = write_registry(tmp_path / "govmon.toml", f"http://{host}:{v4.port}/", max_page_bytes=SMALL)
        path.write_text(f'[settings]\nresolver = "{dns.address}"\n' + path.read_text(encoding="utf-8"),
                        encoding="utf-8")
        jobs.monitor.cache_clear()
        try:
            jobs.probe_ipv6(str(path), db_url, "t")
        finally:
            jobs.monitor.cache_clear()
    with store.session() as session:
        homepage = session.scalars(select(Ipv6Probe)).one().measurements["homepage"]
    fetches = homepage["ipv4"]["fetches"] + homepage["ipv6"]["fetches"]
    assert fetches and {f["error_kind"] for f in fetches} == {"too_large"}


def test_verify_keeps_the_registrys_budget_and_concurrency(store, tmp_path):
    """One site at a time within 2 s: the hung site, first in line, spends the budget and the other waits."""
    with SilentServer() as hung, SiteServer({"/": html(page("首页")), "/a.html": html(page("文章"))}) as fine:
        path = write_registry(tmp_path / "govmon.toml", hung.url + "/", timeout=30)
        second = path.read_text(encoding="utf-8").split("[[site]]")[1].replace('id = "t"', 'id = "b"').replace(
            hung.url, fine.url).replace("5300000033", "5300000044")
        path.write_text("[intake]\nverify_budget = 2\nverify_concurrency = 1\n" + path.read_text(encoding="utf-8")
                        + "\n[[site]]" + second, encoding="utf-8")
        registry = load_registry(path)
        stamp = datetime(2026, 11, 21, tzinfo=UTC)
        with store.session.begin() as session:
            for day, (number, site_id, url) in enumerate((("hung", "t", hung.url), ("fine", "b", fine.url)), 1):
                session.add(CitizenReport(number=number, site_id=site_id, url=url + "/a.html", category="内容无法访问",
                                          description="打不开", submitted_at=datetime(2026, 11, day, tzinfo=UTC),
                                          source="test", imported_at=stamp, updated_at=stamp))
        results = {v.report.number: v.check for v in verify_reports(store, registry, WorkCalendar(), moment=stamp)}
        assert hung.accepted.is_set()
    assert results == {"hung": None, "fine": None}  # 4 sites at once, or 1200 s, would have verified "fine"
    assert fine.hits == []
