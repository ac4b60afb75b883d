"""The spider view (SEC-1 cloaking): the homepage and its first internal pages fetched again as Baiduspider, stored
as pages of kind spider_view beside the browser's, never followed and never counted as the site's pages.

The pages are synthetic: a site that shows Baiduspider another title and a link to another host.
"""

from __future__ import annotations

import pytest
import pytest_twisted
from sqlalchemy import select

from govmon.crawler.run import schedule_crawl
from govmon.registry import SPIDER_USER_AGENT, RegistryError, load_registry
from govmon.store import Link, Page
from tests.conftest import write_registry
from tests.servers import Reply, SiteServer, html

CASINO = "http://localhost:9/casino.html"  # another host: only in the spider's view, never requested


def page(title: str, body: str = "") -> str:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}"
            "<div>主办单位：测试市人民政府办公室 网站标识码：5300000033</div></body></html>")


class CloakingSite:
    """Answers Baiduspider with a stuffed title and one more link, every other visitor with the page itself;
    remembers which paths each was served."""

    def __init__(self, links: str):
        self.links = links
        self.spider_paths: list[str] = []
        self.spider_agents: set[str] = set()

    def __call__(self, handler):
        if "Baiduspider" in handler.headers.get("User-Agent", ""):
            self.spider_paths.append(handler.path)
            self.spider_agents.add(handler.headers["User-Agent"])
            return html(page("澳门博彩 娱乐城", f'{self.links}<a href="{CASINO}">真人荷官</a>'))
        return html(page(f"测试市人民政府 {handler.path}", self.links))


LINKS = "".join(f'<a href="/p{i}.html">栏目{i}</a>' for i in range(1, 6))


def views(store, run_id: int, kind: str) -> dict[str, Page]:
    with store.session() as session:
        return {p.url: p for p in session.scalars(select(Page).where(Page.run_id == run_id, Page.kind == kind))}


@pytest_twisted.ensureDeferred
async def test_the_spider_view_keeps_what_spiders_are_shown_beside_the_browser_view(store, db_url, make_site):
    site = CloakingSite(LINKS)
    with SiteServer({}, fallback=site) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", spider_view_pages=3), db_url)
    spider = views(store, run.id, "spider_view")
    browser = views(store, run.id, "page")
    home = server.url + "/"
    assert set(spider) == {home, server.url + "/p1.html", server.url + "/p2.html", server.url + "/p3.html"}
    assert sorted(site.spider_paths) == ["/", "/p1.html", "/p2.html", "/p3.html"]  # once each, never followed
    assert site.spider_agents == {SPIDER_USER_AGENT}  # the registry's default spider
    assert spider[home].title == spider[home].facts["title"] == "澳门博彩 娱乐城"
    assert {"url": CASINO, "text": "真人荷官"} in spider[home].facts["offsite_links"]
    assert set(spider[home].facts) >= {"hidden_links", "meta_text"}
    assert (spider[home].method, spider[home].status) == ("GET", 200)
    assert browser[home].title == "测试市人民政府 /"
    assert len(browser) == 6 and not any(url.startswith("http://localhost:9") for url in views(store, run.id, "external"))
    with store.session() as session:
        sources = {link.source_id for link in session.scalars(select(Link).where(Link.run_id == run.id))}
        targets = {link.target for link in session.scalars(select(Link).where(Link.run_id == run.id))}
    assert not sources & {p.id for p in spider.values()}  # no Link rows of the spider view
    assert CASINO not in targets
    assert run.status == "complete" and run.stats["errors"] == 0


@pytest_twisted.ensureDeferred
async def test_no_spider_view_when_its_pages_are_zero(store, db_url, make_site):
    site = CloakingSite(LINKS)
    with SiteServer({}, fallback=site) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", spider_view_pages=0), db_url)
    assert views(store, run.id, "spider_view") == {} and site.spider_paths == []
    assert len(views(store, run.id, "page")) == 6


@pytest_twisted.ensureDeferred
async def test_the_spider_view_counts_toward_neither_max_pages_nor_the_errors(store, db_url, make_site):
    def refuses_spiders(handler):  # a site that blocks Baiduspider: the spider's view is an error, not the site's
        if "Baiduspider" in handler.headers.get("User-Agent", ""):
            return html(page("禁止访问"), status=403)
        return html(page(f"页面 {handler.path}", LINKS))

    with SiteServer({}, fallback=refuses_spiders) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", max_pages=3, spider_view_pages=3), db_url)
    browser = views(store, run.id, "page")
    spider = views(store, run.id, "spider_view")
    assert len(browser) == 3 and run.stats["limits_reached"] == ["max_pages"]
    assert set(spider) == set(browser)  # the pages not crawled as a browser are not viewed as a spider either
    assert all(p.status == 403 and p.facts == {} and p.error_kind is None for p in spider.values())
    assert run.stats["errors"] == 0 and run.stats["fetched"]["page"] == 3


@pytest_twisted.ensureDeferred
async def test_the_spider_view_obeys_robots_for_the_spider(store, db_url, make_site):
    routes = {"/robots.txt": Reply(200, "User-agent: Baiduspider\nDisallow: /\n", {"Content-Type": "text/plain"})}
    site = CloakingSite('<a href="/p1.html">栏目</a>')
    with SiteServer(routes, fallback=site) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", robots="obey", spider_view_pages=3), db_url)
    spider = views(store, run.id, "spider_view")
    assert set(spider) == {server.url + "/", server.url + "/p1.html"}
    assert {p.error_kind for p in spider.values()} == {"robots_blocked"} and site.spider_paths == []
    assert views(store, run.id, "page")[server.url + "/"].title == "测试市人民政府 /"
    assert run.stats["robots_blocked"] == [] and run.status == "complete"


@pytest.mark.parametrize(("setting", "value"), [("spider_view_pages", 21), ("spider_view_pages", -1),
                                                ("spider_user_agent", "Baiduspider\\r\\nX-Injected: 1")])
def test_the_spider_view_settings_are_bounded(tmp_path, setting, value):
    with pytest.raises(RegistryError, match=setting):
        load_registry(write_registry(tmp_path / "registry.toml", "http://www.example.gov.cn/", **{setting: value}))


@pytest_twisted.ensureDeferred
async def test_a_spider_sent_off_the_site_is_shown_that_link_and_not_taken_there(store, db_url, make_site):
    with SiteServer({"/": html(page("博彩"))}) as elsewhere:
        other = elsewhere.url.replace("127.0.0.1", "localhost")  # another host name: out of the site's scope

        def sends_spiders_away(handler):
            if "Baiduspider" in handler.headers.get("User-Agent", ""):
                return Reply(302, b"", {"Location": other + "/"})
            return html(page("测试市人民政府"))

        with SiteServer({"/": sends_spiders_away}) as server:
            run = await schedule_crawl(store, make_site(server.url + "/", spider_view_pages=3), db_url)
        assert elsewhere.hits == []  # the monitor is not sent to fetch whatever a server points it at
    home = views(store, run.id, "spider_view")[server.url + "/"]
    assert (home.status, home.facts["offsite_redirect"], home.facts["title"]) == (302, other + "/", None)
    assert home.facts["offsite_links"] == [{"url": other + "/", "text": ""}]
    assert views(store, run.id, "page")[server.url + "/"].title == "测试市人民政府"


@pytest_twisted.ensureDeferred
async def test_the_homepage_pager_is_not_a_spider_view(store, db_url, make_site):
    site = CloakingSite('<div class="pagination"><a href="/index_1.html">下一页</a></div><a href="/p1.html">栏目</a>'
                        '<a href="/p2.html">栏目</a>')
    with SiteServer({}, fallback=site) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", spider_view_pages=1), db_url)
    assert server.url + "/index_1.html" in views(store, run.id, "page")[server.url + "/"].facts["pagination"]
    assert set(views(store, run.id, "spider_view")) == {server.url + "/", server.url + "/p1.html"}
