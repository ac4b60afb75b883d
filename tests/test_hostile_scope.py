"""Hostile sites against the crawler's scope and its other false results: redirects and refreshes to another
origin (the same host on another port is another origin), robots.txt, TLS certificates, session ids in URLs,
GBK with invalid bytes and a title of a million characters. Every server is a real one on 127.0.0.1."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime, timedelta

import pytest
import pytest_twisted
import trustme
from sqlalchemy import select

from govmon.checks.columns import check_columns
from govmon.checks.engine import check_run
from govmon.checks.pack import load_pack
from govmon.crawler.items import MAX_FACT_CHARS
from govmon.crawler.run import schedule_crawl
from govmon.facts import canonical_url
from govmon.facts.title import MAX_TITLE_CHARS
from govmon.origins import site_origins
from govmon.store import Link, Page, Run
from tests.servers import Reply, SiteServer, html
from tests.snapshots import HOME, TODAY, context, snapshot
from tests.snapshots import page as stored
from tests.test_crawl import fetched, findings, page

NOW = datetime(2026, 11, 20, 4, tzinfo=UTC)


def links_of(store, run_id: int, source: str) -> set[tuple[str, str, str, bool]]:
    with store.session() as session:
        rows = session.execute(select(Link.tag, Link.attr, Link.target, Link.internal).join(
            Page, Page.id == Link.source_id).where(Link.run_id == run_id, Page.url == source)).all()
    return {tuple(row) for row in rows}


def requested(server: SiteServer) -> list[tuple[str, str]]:
    return [(method, path) for method, path in server.hits if "govmon-" not in path]


def test_the_scope_is_origins_and_a_default_port_means_http_and_https(make_site):
    site = make_site("https://www.yn.gov.cn/").model_copy(
        update={"allowed_hosts": ("xxgk.yn.gov.cn", "data.yn.gov.cn:8443")})
    assert site_origins(site) == {
        ("http", "www.yn.gov.cn", 80), ("https", "www.yn.gov.cn", 443),
        ("http", "xxgk.yn.gov.cn", 80), ("https", "xxgk.yn.gov.cn", 443),
        ("https", "data.yn.gov.cn", 8443),
    }
    on_a_port = make_site("http://www.yn.gov.cn:8080/").model_copy(update={"allowed_hosts": ("xxgk.yn.gov.cn",)})
    assert site_origins(on_a_port) == {("http", "www.yn.gov.cn", 8080), ("http", "xxgk.yn.gov.cn", 8080)}


@pytest.fixture
def elsewhere():
    """Another origin on the same host: what a hostile site sends the crawler to (a local service, another port).
    Its page says a secret and links to 40 more of its pages."""
    body = "password=hunter2 " + "".join(f'<a href="/b{i}.html">{i}</a>' for i in range(40))
    routes = {"/secret.html": html(page("本机服务", body))}
    routes.update({f"/b{i}.html": html(page(f"B{i}")) for i in range(40)})
    with SiteServer(routes) as server:
        yield server


@pytest_twisted.ensureDeferred
async def test_redirect_refresh_and_script_to_another_port_are_one_external_link_never_a_page(
        store, db_url, make_site, elsewhere):
    secret = elsewhere.url + "/secret.html"
    routes = {
        "/": html(page("首页", '<a href="/moved.html">已迁移</a><a href="/refresh.html">自动跳转</a>'
                             f'<a href="/script.html">脚本跳转</a><a href="{elsewhere.url}/b0.html">另一端口</a>')),
        "/moved.html": Reply(302, b"", {"Location": secret}),
        "/refresh.html": html(page("跳转", f'<meta http-equiv="refresh" content="0; url={secret}">')),
        "/script.html": html(page("脚本", f'<script>window.location.href = "{secret}";</script>')),
    }
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    assert run.status == "complete"
    # checked once with HEAD, as an external link; nothing of the other origin fetched, stored or followed
    assert sorted(requested(elsewhere)) == [("HEAD", "/b0.html"), ("HEAD", "/secret.html")]
    pages = fetched(store, run.id)
    assert (pages[secret].kind, pages[secret].method, pages[secret].title) == ("external", "HEAD", None)
    assert not any(p.kind == "page" and (p.final_url or p.url).startswith(elsewhere.url) for p in pages.values())
    moved = pages[server.url + "/moved.html"]
    assert (moved.kind, moved.status, moved.final_url, moved.error_kind) == ("page", 302, moved.url, None)
    assert links_of(store, run.id, moved.url) == {("redirect", "Location", secret, False)}
    assert ("meta", "refresh", secret, False) in links_of(store, run.id, server.url + "/refresh.html")
    assert ("script", "location", secret, False) in links_of(store, run.id, server.url + "/script.html")
    assert findings(store, run.id) == {}  # the external page answers: no dead link, and no secret quoted anywhere


@pytest_twisted.ensureDeferred
async def test_a_rendered_page_whose_script_leaves_the_site_keeps_its_static_facts(store, db_url, make_site, elsewhere):
    script = ('<div id="x"></div><script>document.getElementById("x").innerHTML = "<b>写入</b>";'
              f'location.replace("{elsewhere.url}/secret.html");</script>')
    with SiteServer({"/": html(page("首页", script))}) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", render="auto"), db_url)
    assert requested(elsewhere) == [("HEAD", "/secret.html")]  # Chromium never loaded the other origin's page
    home = fetched(store, run.id)[server.url + "/"]
    assert (home.render, home.title) == ("render_failed", "首页")
    assert "out of the site" in home.facts["render_error"]


@pytest_twisted.ensureDeferred
async def test_an_offsite_redirect_to_a_dead_address_is_a_dead_link_of_the_redirecting_page(store, db_url, make_site,
                                                                                            elsewhere):
    gone = elsewhere.url + "/gone.html"
    routes = {"/": html(page("首页", '<a href="/old.html">旧址</a>')),
              "/old.html": Reply(301, b"", {"Location": gone})}
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    assert requested(elsewhere) == [("HEAD", "/gone.html")]
    result = check_run(store, run.id, load_pack("national"), NOW)
    [dead] = [f for f in result if f.rule.startswith("LINK-")]
    assert (dead.rule, dead.target, dead.evidence["reason"]) == ("LINK-2", gone, "http_404")
    assert [(p["page"], p["tag"]) for p in dead.places] == [(server.url + "/old.html", "redirect")]


@pytest_twisted.ensureDeferred
async def test_a_homepage_redirecting_to_another_origin_fails_the_run_and_fetches_nothing_there(
        store, db_url, make_site, elsewhere):
    with SiteServer({"/": Reply(302, b"", {"Location": elsewhere.url + "/secret.html"})}) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    assert run.status == "failed" and "offsite_redirect" in run.reason and elsewhere.url in run.reason
    assert ("GET", "/secret.html") not in elsewhere.hits
    assert check_run(store, run.id, load_pack("national"), NOW) == []  # a failed run judges nothing


@pytest.mark.parametrize("not_found_status", [200, 404])
@pytest_twisted.ensureDeferred
async def test_a_dead_link_redirected_off_site_where_missing_urls_go_is_a_soft_404(store, db_url, make_site,
                                                                                   not_found_status):
    """Every unknown URL of the site 302s to another origin's /404.html, as the random probes show: a link to
    one is dead (soft 404), and that /404.html, whatever it answers, is not a link of the site's."""
    with SiteServer({"/404.html": html(page("页面不存在"), not_found_status), "/new.html": html(page("新址"))}) as other:
        routes = {"/": html(page("首页", '<a href="/a.html">文章</a>')),
                  "/a.html": html(page("文章", '<a href="/missing.html">已删除</a><a href="/moved.html">已迁移</a>')),
                  "/moved.html": Reply(301, b"", {"Location": other.url + "/new.html"})}
        with SiteServer(routes, fallback=Reply(302, b"", {"Location": other.url + "/404.html"})) as server:
            run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    assert run.status == "complete"
    assert sorted(other.hits) == [("HEAD", "/404.html"), ("HEAD", "/new.html")]  # checked, never crawled
    result = check_run(store, run.id, load_pack("national"), NOW)
    [dead] = [f for f in result if f.rule.startswith("LINK-")]  # not /moved.html, nor /404.html itself
    assert (dead.rule, dead.target, dead.evidence["reason"]) == ("LINK-2", server.url + "/missing.html", "soft_404")
    assert (dead.evidence["signal"], dead.evidence["redirect"]) == ("same_redirect", other.url + "/404.html")
    assert dead.evidence["probe"].startswith(server.url + "/govmon-") and "站外" in dead.evidence["detail"]
    assert [p["page"] for p in dead.places] == [server.url + "/a.html"]


@pytest_twisted.ensureDeferred
async def test_an_allowed_host_with_its_port_is_crawled_and_one_without_takes_the_homes_port(store, db_url, make_site):
    with SiteServer({"/x.html": html(page("信息公开"))}) as xxgk:
        other = xxgk.url.replace("127.0.0.1", "localhost")
        routes = {"/": html(page("首页", f'<a href="{other}/x.html">信息公开</a>'))}
        with SiteServer(routes) as server:
            site = make_site(server.url + "/")
            allowed = site.model_copy(update={"allowed_hosts": (f"localhost:{xxgk.port}",)})
            run = await schedule_crawl(store, allowed, db_url)
            bare = site.model_copy(update={"allowed_hosts": ("localhost",)})  # localhost at the home's port
            run_bare = await schedule_crawl(store, bare, db_url)
    crawled, checked = fetched(store, run.id)[other + "/x.html"], fetched(store, run_bare.id)[other + "/x.html"]
    assert (crawled.kind, crawled.title) == ("page", "信息公开")
    assert (checked.kind, checked.method) == ("external", "HEAD")


ROBOTS_HOME = page("首页", '<div class="nav"><a href="/">首页</a><a href="/tzgg/">通知公告</a>'
                         '<a href="/hdjl/">咨询投诉</a></div><a href="/wz/old.html">旧文章</a>'
                         '<ul><li><a href="/tzgg/a1.html">关于春季防火的通知</a><span>2026-11-18</span></li>'
                         '<li><a href="/tzgg/a2.html">关于冬季供暖的通知</a><span>2026-11-17</span></li></ul>')
ROBOTS_ROUTES = {
    "/robots.txt": Reply(200, b"User-agent: *\nDisallow: /hdjl/\nDisallow: /tzgg/\n", {"Content-Type": "text/plain"}),
    "/": html(ROBOTS_HOME),
    "/hdjl/": html(page("咨询投诉", "<form><textarea name=q></textarea></form>")),
    # an old article naming the column: all that is left of it when its list page cannot be read
    "/wz/old.html": html(page("旧文章", '<meta name="ColumnName" content="通知公告"><h1>旧文章</h1>'
                                      '<div>发布时间：2025-01-06</div>')),
    "/tzgg/": html(page("通知公告", '<div>当前位置：首页 > 通知公告</div><ul><li><a href="/tzgg/a1.html">关于春季防火的'
                                   '通知</a><span>2026-11-18</span></li></ul>')),
}


@pytest_twisted.ensureDeferred
async def test_pages_robots_txt_forbids_are_not_judged_never_missing(store, db_url, make_site):
    with SiteServer(ROBOTS_ROUTES) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", robots="obey"), db_url)
        assert ("GET", "/hdjl/") not in server.hits and ("GET", "/tzgg/") not in server.hits
        ignoring = await schedule_crawl(store, make_site(server.url + "/", robots="ignore"), db_url)
    pages = fetched(store, run.id)
    assert pages[server.url + "/hdjl/"].error_kind == "robots_blocked"
    assert run.status == "complete"
    assert server.url + "/hdjl/" in run.stats["robots_blocked"]  # counted in the run's stats
    result = check_run(store, run.id, load_pack("national"), NOW)
    rules = {f.rule for f in result}
    assert not rules & {"INTER-1", "COL-1", "COL-2", "COL-3", "COL-4", "HOME-1", "LINK-1", "LINK-2"}
    with store.session() as session:
        unjudged = session.get(Run, run.id).stats["checked"]["unjudged"]
    assert {"INTER-1", "COL-4", "COL:robots_blocked", "LINK:robots_blocked"} <= set(unjudged)
    assert "通知公告" in unjudged["COL:robots_blocked"]
    assert "robots.txt" in unjudged["INTER-1"]
    # the same site read whole: the channel works and the missing required columns are found missing
    control = {f.rule for f in check_run(store, ignoring.id, load_pack("national"), NOW)}
    assert "INTER-1" not in control and "COL-4" in control and "COL-1" not in control


def tls_server(ca: trustme.CA, cert_host: str, routes: dict) -> SiteServer:
    server = SiteServer(routes)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(cert_host).configure_cert(context)
    server.server.socket = context.wrap_socket(server.server.socket, server_side=True)
    server.url = f"https://127.0.0.1:{server.port}"
    return server


@pytest.fixture
def trusted_ca(tmp_path, monkeypatch) -> trustme.CA:
    """A CA the crawl trusts as it trusts the system's (OpenSSL reads SSL_CERT_FILE)."""
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    return ca


TLS_ROUTES = {"/": html(page("首页", '<a href="/a.html">A</a>')), "/a.html": html(page("加密页面"))}


@pytest_twisted.ensureDeferred
async def test_https_site_with_a_good_certificate_is_crawled(store, db_url, make_site, trusted_ca):
    with tls_server(trusted_ca, "127.0.0.1", TLS_ROUTES) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    assert run.status == "complete"
    assert fetched(store, run.id)[server.url + "/a.html"].title == "加密页面"


@pytest.mark.parametrize("issued_by", ["another name", "an untrusted CA"])
@pytest_twisted.ensureDeferred
async def test_https_site_with_a_bad_certificate_is_a_tls_error(store, db_url, make_site, trusted_ca, issued_by):
    ca, name = (trusted_ca, "www.other.gov.cn") if issued_by == "another name" else (trustme.CA(), "127.0.0.1")
    with tls_server(ca, name, TLS_ROUTES) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    assert run.status == "failed" and "tls_error" in run.reason
    assert ("GET", "/a.html") not in server.hits
    assert fetched(store, run.id)[server.url + "/"].error_kind == "tls_error"


@pytest_twisted.ensureDeferred
async def test_a_bad_certificate_behind_a_link_is_a_dead_link(store, db_url, make_site, trusted_ca):
    with tls_server(trusted_ca, "www.other.gov.cn", TLS_ROUTES) as bad:
        routes = {"/": html(page("首页", f'<a href="{bad.url}/a.html">外部</a>'))}
        with SiteServer(routes) as server:
            run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    assert findings(store, run.id) == {bad.url + "/a.html": ("LINK-1", "tls_error")}


def session_page(handler) -> Reply:
    """Every answer writes a fresh session id into its links, as cookieless Java and PHP sites do."""
    fresh = len(handler.server.hits)
    return html(page("会话", f'<a href="/a.jsp;jsessionid={fresh}">A</a><a href="/b.php?id=1&PHPSESSID={fresh}">B</a>'
                           f'<a href="/c.jsp?SID={fresh}&amp;x=1">C</a>'))


@pytest.mark.parametrize(("url", "identity"), [
    ("http://a.gov.cn/x.jsp;jsessionid=0A1B?id=3", "http://a.gov.cn/x.jsp?id=3"),
    ("http://a.gov.cn/x.jsp;JSESSIONID=0A1B;v=2", "http://a.gov.cn/x.jsp;v=2"),
    ("http://a.gov.cn/x.php?PHPSESSID=9f&id=1&sid=2", "http://a.gov.cn/x.php?id=1"),
    ("http://a.gov.cn/x?side=1&sids=2", "http://a.gov.cn/x?side=1&sids=2"),  # names match whole, not in part
])
def test_canonical_url_drops_session_parameters(url: str, identity: str):
    assert canonical_url(url) == identity
    assert canonical_url(url, frozenset()) != identity or url == identity  # a site may keep them


@pytest_twisted.ensureDeferred
async def test_session_ids_are_not_part_of_a_urls_identity(store, db_url, make_site):
    routes = {"/": session_page, "/a.jsp": session_page, "/b.php": session_page, "/c.jsp": session_page}
    with SiteServer(routes, fallback=session_page) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
        gets = sorted(path.partition(";")[0].partition("?")[0] for method, path in requested(server) if method == "GET")
        assert gets == ["/", "/a.jsp", "/b.php", "/c.jsp"]  # each page once, whatever its session id
        keeping = await schedule_crawl(store, make_site(server.url + "/", session_params=[], max_pages=20), db_url)
    assert run.status == "complete"
    assert len([p for p in fetched(store, keeping.id).values() if p.kind == "page"]) == 20  # without: no end


@pytest_twisted.ensureDeferred
async def test_gb2312_with_invalid_bytes_is_read_as_gbk_not_cp1252(store, db_url, make_site):
    declared = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    broken = page("朱镕基同志纪念馆", "欢迎访问", declared).encode("gbk").replace(b"<body>", b"<body>" + b"\xff" * 40)
    routes = {"/": html(page("首页", '<a href="/gbk.html">纪念馆</a>')),
              "/gbk.html": Reply(200, broken, {"Content-Type": "text/html"})}
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    gbk = fetched(store, run.id)[server.url + "/gbk.html"]
    assert (gbk.encoding, gbk.title, gbk.facts["sponsor"]) == ("gb18030", "朱镕基同志纪念馆", "测试市人民政府办公室")


@pytest_twisted.ensureDeferred
async def test_a_title_of_a_million_characters_is_stored_truncated(store, db_url, make_site):
    huge = "标题" * 725_000  # 1.45 million characters
    routes = {"/": html(page("首页", '<a href="/huge.html">长</a>')),
              "/huge.html": html(page(huge, f'<meta name="ColumnName" content="{huge}">'))}
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    stored = fetched(store, run.id)[server.url + "/huge.html"]
    assert stored.title == huge[:MAX_TITLE_CHARS]
    assert stored.facts["title"] == huge[:MAX_TITLE_CHARS]
    assert stored.facts["meta"]["ColumnName"] == huge[:MAX_FACT_CHARS]


def test_a_navigation_only_homepage_with_second_level_pages_robots_forbids_is_not_judged():
    gateway = stored(HOME, depth=0, navigation_only=True, latest_listed=None, nav=[])
    old = stored(HOME + "a/", latest_listed=(TODAY - timedelta(days=40)).isoformat())
    unread = stored(HOME + "b/", status=None)
    unread.error_kind, unread.facts = "robots_blocked", {}
    ctx = context()
    assert [d.rule for d in check_columns(snapshot(gateway, old), context()) if d.rule == "HOME-1"] == ["HOME-1"]
    assert not [d for d in check_columns(snapshot(gateway, old, unread), ctx) if d.rule == "HOME-1"]
    assert "robots.txt" in ctx.unjudged["HOME-1"]
