"""The crawl against real local servers: encodings, redirects, failures, scope, limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest_twisted
from sqlalchemy import select

from govmon.checks.engine import check_run
from govmon.checks.pack import load_pack
from govmon.crawler.run import schedule_crawl
from govmon.store import Link, Page
from tests.servers import Reply, SilentServer, SiteServer, closed_port, html

FOOTER = "<div>主办单位：测试市人民政府办公室 网站标识码：5300000033</div>"


def page(title: str, body: str = "", charset_meta: str = '<meta charset="utf-8">') -> str:
    return f"<html><head>{charset_meta}<title>{title}</title></head><body>{body}{FOOTER}</body></html>"


def fetched(store, run_id: int) -> dict[str, Page]:
    with store.session() as session:
        return {p.url: p for p in session.scalars(select(Page).where(Page.run_id == run_id))}


def findings(store, run_id: int) -> dict[str, tuple[str, str]]:
    """target → (rule, reason) of the link findings (these plain test pages break the identity rules too)"""
    result = check_run(store, run_id, load_pack("national"), datetime.now(UTC))
    return {f.target: (f.rule, f.evidence["reason"]) for f in result if f.rule.startswith("LINK-")}


@pytest_twisted.ensureDeferred
async def test_chinese_encodings_decode_to_the_same_text(store, db_url, make_site):
    gbk_meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    routes = {
        "/": html(page("首页", '<a href="/gbk.html">a</a><a href="/gb18030.html">b</a><a href="/plain.html">c</a>')),
        # declared gb2312, but 镕 堃 喆 exist only in GBK: what real sites serve
        "/gbk.html": Reply(200, page("朱镕基 王堃 陶喆", "", gbk_meta).encode("gbk"), {"Content-Type": "text/html"}),
        "/gb18030.html": Reply(200, page("政策文件 𠀀", "", '<meta charset="gb18030">').encode("gb18030"),
                               {"Content-Type": "text/html"}),
        "/plain.html": Reply(200, page("部门动态", "", "").encode("utf-8"), {"Content-Type": "text/html"}),
    }
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    pages = fetched(store, run.id)
    assert run.status == "complete"
    gbk = pages[server.url + "/gbk.html"]
    assert (gbk.title, gbk.encoding, gbk.facts["sponsor"]) == ("朱镕基 王堃 陶喆", "gb18030", "测试市人民政府办公室")
    assert pages[server.url + "/gb18030.html"].title == "政策文件 𠀀"
    plain = pages[server.url + "/plain.html"]
    assert (plain.title, plain.encoding, plain.facts["site_code"]) == ("部门动态", "utf-8", "5300000033")


@pytest_twisted.ensureDeferred
async def test_links_are_stored_with_tag_attribute_anchor_and_scope(store, db_url, make_site):
    routes = {
        "/": html(page("首页", '<a href="/a.html"> 文章 A </a><img src="/logo.png" alt="标志">'
                             '<iframe src="/frame.html"></iframe><a href="http://localhost:9/x">外链</a>'
                             '<script src="/app.js"></script><a href="/f.docx">附件</a>')),
        "/a.html": html(page("A")), "/frame.html": html(page("F")),
        "/logo.png": Reply(200, b"\x89PNG", {"Content-Type": "image/png"}),
        "/app.js": Reply(200, b"1", {"Content-Type": "application/javascript"}),
        "/f.docx": Reply(200, b"PK\x03\x04", {"Content-Type": "application/octet-stream"}),
    }
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    with store.session() as session:
        links = {(link.target.removeprefix(server.url), link.tag, link.attr, link.text, link.kind, link.internal)
                 for link in session.scalars(select(Link).where(Link.run_id == run.id))}
    assert ("/a.html", "a", "href", "文章 A", "page", True) in links
    assert ("/logo.png", "img", "src", "标志", "resource", True) in links
    assert ("/frame.html", "iframe", "src", "", "page", True) in links
    assert ("http://localhost:9/x", "a", "href", "外链", "page", False) in links
    assert ("/f.docx", "a", "href", "附件", "attachment", True) in links
    pages = fetched(store, run.id)
    assert pages[server.url + "/frame.html"].kind == "page"  # frames are followed
    assert pages[server.url + "/logo.png"].method == "HEAD"  # resources are checked, not crawled
    assert pages[server.url + "/f.docx"].kind == "attachment"
    assert pages["http://localhost:9/x"].kind == "external"
    assert ("GET", "/logo.png") not in server.hits


@pytest_twisted.ensureDeferred
async def test_redirects_record_final_url_and_loops_are_broken(store, db_url, make_site):
    routes = {
        "/": html(page("首页", '<a href="/moved.html">moved</a>')),
        "/moved.html": html(page("跳转", '<a href="/loop-a">loop</a>'), status=301, Location="/new.html"),
        "/new.html": html(page("新页面")),
        "/loop-a": Reply(302, b"", {"Location": "/loop-b"}),
        "/loop-b": Reply(302, b"", {"Location": "/loop-a"}),
    }
    routes["/new.html"] = html(page("新页面", '<a href="/loop-a">循环</a>'))
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    pages = fetched(store, run.id)
    moved = pages[server.url + "/moved.html"]
    assert (moved.status, moved.final_url) == (200, server.url + "/new.html")
    assert pages[server.url + "/loop-a"].error_kind == "redirect_loop"
    assert findings(store, run.id) == {server.url + "/loop-a": ("LINK-2", "redirect_loop")}


@pytest_twisted.ensureDeferred
async def test_failures_are_named_refused_timeout_http(store, db_url, make_site):
    refused = f"http://localhost:{closed_port()}/gone"
    with SilentServer() as silent:
        routes = {
            "/": html(page("首页", '<a href="/list.html">列表</a>')),
            "/list.html": html(page("列表", f'<a href="{refused}">拒绝</a><a href="{silent.url}/x">无响应</a>'
                                        '<a href="/500.html">错误</a><a href="/f.pdf">附件</a>')),
            "/500.html": html(page("错误"), status=500),
        }
        with SiteServer(routes) as server:
            run = await schedule_crawl(store, make_site(server.url + "/", timeout=5), db_url)  # room for a loaded machine
        assert silent.accepted.is_set()
    assert run.status == "complete"
    assert findings(store, run.id) == {
        refused: ("LINK-2", "connection_refused"),
        silent.url + "/x": ("LINK-2", "timeout"),
        server.url + "/500.html": ("LINK-2", "http_500"),
        server.url + "/f.pdf": ("LINK-3", "http_404"),
    }


@pytest_twisted.ensureDeferred
async def test_head_refused_falls_back_to_get(store, db_url, make_site):
    def head_405(handler):
        return Reply(405) if handler.command == "HEAD" else html(page("外部"))

    def head_403(handler):
        return Reply(403) if handler.command == "HEAD" else html(page("外部"))

    with SiteServer({"/ok405": head_405, "/ok403": head_403}) as external:
        ext = external.url.replace("127.0.0.1", "localhost")  # another host name: out of the site's scope
        routes = {"/": html(page("首页", f'<a href="{ext}/ok405">a</a><a href="{ext}/ok403">b</a>'
                                        f'<a href="{ext}/missing">c</a>'))}
        with SiteServer(routes) as server:
            run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
        assert ("GET", "/ok405") in external.hits and ("GET", "/ok403") in external.hits
    assert findings(store, run.id) == {ext + "/missing": ("LINK-1", "http_404")}


@pytest_twisted.ensureDeferred
async def test_429_is_retried_after_retry_after(store, db_url, make_site):
    calls = []

    def busy(handler):
        calls.append(handler.command)
        return html(page("忙"), status=429, **{"Retry-After": "0"}) if len(calls) == 1 else html(page("正常"))

    routes = {"/": html(page("首页", '<a href="/busy.html">x</a>')), "/busy.html": busy}
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", retries=2), db_url)
    assert calls == ["GET", "GET"]
    assert fetched(store, run.id)[server.url + "/busy.html"].status == 200
    assert findings(store, run.id) == {}


@pytest_twisted.ensureDeferred
async def test_soft_404_found_by_comparing_with_a_random_url(store, db_url, make_site):
    nav = '<div class="nav"><a href="/">首页</a> 政务公开 政策文件 通知公告 互动交流 办事服务</div>'
    not_found = html(page("测试市人民政府", nav + "<div>抱歉，您要找的内容走丢了</div><div>请检查网址后重试</div>"))
    routes = {
        "/": html(page("首页", nav + '<a href="/gone.html">旧文</a><a href="/empty/">空栏目</a>'
                                   '<a href="/article.html">文章</a><a href="/deleted.html">删</a>')),
        "/empty/": html(page("空栏目", nav + "<div>当前位置：首页 > 规划计划</div><div>暂无信息</div>")),
        "/article.html": html(page("关于做好2026年工作的通知", nav + "<p>" + "各单位：现将有关事项通知如下。" * 20 + "</p>")),
        "/deleted.html": html("<html><head><title>提示</title></head><body><h2>该信息已删除</h2></body></html>"),
    }
    with SiteServer(routes, fallback=not_found) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    assert findings(store, run.id) == {
        server.url + "/gone.html": ("LINK-1", "soft_404"),
        server.url + "/deleted.html": ("LINK-1", "soft_404"),
    }


@pytest_twisted.ensureDeferred
async def test_a_blank_page_is_a_dead_link_and_the_run_stays_complete(store, db_url, make_site):
    routes = {
        "/": html(page("首页", '<a href="/broken.html">坏</a><a href="/fine.html">好</a>')),
        "/broken.html": Reply(200, b"", {"Content-Type": "text/html"}),
        "/fine.html": html(page("好页面")),
    }
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    pages = fetched(store, run.id)
    assert pages[server.url + "/broken.html"].error_kind == "empty_page"
    assert pages[server.url + "/fine.html"].title == "好页面"
    assert run.status == "complete" and run.stats["parse_failed"] == [server.url + "/broken.html"]
    assert findings(store, run.id) == {server.url + "/broken.html": ("LINK-1", "empty_page")}


@pytest_twisted.ensureDeferred
async def test_unreachable_homepage_fails_the_run(store, db_url, make_site):
    run = await schedule_crawl(store, make_site(f"http://127.0.0.1:{closed_port()}/"), db_url)
    assert run.status == "failed" and "connection_refused" in run.reason


@pytest_twisted.ensureDeferred
async def test_page_limit_and_scope(store, db_url, make_site):
    body = "".join(f'<a href="/p{i}.html">{i}</a>' for i in range(30))
    routes = {"/": html(page("首页", body + '<a href="http://localhost:9/out.html">外</a>'))}
    routes.update({f"/p{i}.html": html(page(f"P{i}")) for i in range(30)})
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", max_pages=10), db_url)
    pages = fetched(store, run.id)
    assert sum(1 for p in pages.values() if p.kind == "page") == 10
    assert pages["http://localhost:9/out.html"].method == "HEAD"  # out of scope: checked, not crawled
    assert run.stats["limits_reached"] == ["max_pages"]


@pytest_twisted.ensureDeferred
async def test_crawls_a_site_on_ipv6_loopback(store, db_url, make_site):
    routes = {"/": html(page("首页", '<a href="/a.html">A</a>')), "/a.html": html(page("IPv6 页面"))}
    with SiteServer(routes, host="::1") as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    assert run.status == "complete"
    assert fetched(store, run.id)[server.url + "/a.html"].title == "IPv6 页面"


SCRIPTED_HOME = """<html><head><meta charset="utf-8"><title>首页</title></head><body>
<div id="links"></div><div id="footer"></div>
<script>
  var code = ['53', '01', '000001'].join('');
  document.getElementById('footer').innerHTML = '网站标识码：' + code;
  document.getElementById('links').innerHTML = '<a href="/written.html">脚本写入的链接</a>';
</script></body></html>"""


@pytest_twisted.ensureDeferred
async def test_render_auto_uses_chromium_for_script_written_pages(store, db_url, make_site):
    routes = {"/": html(SCRIPTED_HOME), "/written.html": html(page("脚本链接的页面"))}
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", render="auto"), db_url)
    pages = fetched(store, run.id)
    home = pages[server.url + "/"]
    assert (home.render, home.facts["site_code"]) == ("rendered", "5301000001")
    assert pages[server.url + "/written.html"].title == "脚本链接的页面"  # links written by JS are followed
    assert run.status == "complete" and run.stats["render_failed"] == []


@pytest_twisted.ensureDeferred
async def test_without_chromium_the_crawl_goes_on_and_lists_unrendered_pages(store, db_url, make_site, monkeypatch):
    monkeypatch.setenv("GOVMON_CHROMIUM", "/nonexistent/chromium")
    routes = {"/": html(SCRIPTED_HOME), "/a.html": html(page("A"))}
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/", render="auto"), db_url)
    home = fetched(store, run.id)[server.url + "/"]
    assert home.render == "render_failed" and "Chromium not found" in home.facts["render_error"]
    assert run.status == "complete" and run.stats["render_failed"] == [server.url + "/"]


@pytest_twisted.ensureDeferred
async def test_names_resolve_through_the_configured_dns_server_and_unknown_names_are_dns_errors(store, db_url, make_site):
    from govmon.demo.dns import LocalDNS, Zone

    zone = Zone().add("www.x.gov.cn", "A", "127.0.0.1")
    routes = {"/": html(page("首页", '<a href="/a.html">A</a>')), "/a.html": html(page("A"))}
    with SiteServer(routes) as server, LocalDNS(zone) as dns:
        port = server.url.rsplit(":", 1)[1]
        routes["/a.html"] = html(page("A", f'<a href="http://nosuch.x.gov.cn:{port}/b.html">不存在的域名</a>'))
        site = make_site(f"http://www.x.gov.cn:{port}/")
        run = await schedule_crawl(store, site, db_url, dns.address)
    pages = fetched(store, run.id)
    assert run.status == "complete"
    assert pages[f"http://www.x.gov.cn:{port}/a.html"].title == "A"
    assert findings(store, run.id) == {f"http://nosuch.x.gov.cn:{port}/b.html": ("LINK-2", "dns_error")}



def test_the_crawl_resolves_a_dual_stack_name_to_ipv4_only():
    """Given both, Twisted would race the stacks and IPv6-only failures would show up in crawls by chance."""
    from govmon.crawler.resolver import addresses_of
    from govmon.demo.dns import LocalDNS, Zone
    from govmon.dns import make_resolver

    zone = Zone().add("www.x.gov.cn", "A", "127.0.0.1").add("www.x.gov.cn", "AAAA", "::1")
    zone.add("v6.x.gov.cn", "AAAA", "::1")
    with LocalDNS(zone) as dns:
        resolver = make_resolver(dns.address, 2)
        assert addresses_of(resolver, "www.x.gov.cn") == ("127.0.0.1",)
        assert addresses_of(resolver, "v6.x.gov.cn") == ("::1",)  # an IPv6-only site is still crawled
        assert addresses_of(resolver, "nosuch.x.gov.cn") == ()
    assert addresses_of(resolver, "[::1]") == ("::1",) and addresses_of(resolver, "localhost") == ("127.0.0.1",)


HOSTILE_HOME = page("首页", '<a href="/fine.html">好</a><a href="http://[bad">方括号</a>'
                          '<a href="http://localhost]/x.html">括号</a>'
                          '<a href="http://">空</a><a href="http://www.exa mple.gov.cn/">空格</a>'
                          '<a href="http://localhost:99999/">端口</a><a href="http://[bad">方括号又一次</a>'
                          '<a href="file:///C:/Users/admin/Desktop/通知.doc">本机文件</a>'
                          '<a href="ftp://ftp.example.gov.cn/a.pdf">文件服务器</a><img src="http://[::1" alt="坏图">')


@pytest_twisted.ensureDeferred
async def test_malformed_links_on_the_homepage_are_broken_and_never_requested(store, db_url, make_site):
    routes = {"/": html(HOSTILE_HOME), "/fine.html": html(page("好页面"))}
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    pages = fetched(store, run.id)
    home = pages[server.url + "/"]
    assert run.status == "complete"
    assert (home.status, home.error_kind, home.title) == (200, None, "首页")  # the rest of the page is read
    assert pages[server.url + "/fine.html"].title == "好页面"
    assert {path for _, path in server.hits if "govmon-" not in path} == {"/", "/fine.html"}
    assert {url: (p.kind, p.error_kind) for url, p in pages.items() if p.method == "NONE"} == {
        "http://%5Bbad": ("external", "invalid_url"),
        "http://localhost%5D/x.html": ("external", "invalid_url"),
        "http://": ("external", "invalid_url"),
        "http://www.exa mple.gov.cn/": ("external", "invalid_url"),
        "http://localhost:99999/": ("external", "invalid_url"),
        "http://%5B::1": ("external", "invalid_url"),
        "file:///C:/Users/admin/Desktop/通知.doc": ("attachment", "unsupported_scheme"),
    }
    assert not any(url.startswith("ftp:") for url in pages)  # ftp: cannot be checked here: not judged
    result = check_run(store, run.id, load_pack("national"), datetime.now(UTC))
    assert {f.target: (f.rule, f.evidence["reason"], f.places_total) for f in result if f.rule.startswith("LINK-")} == {
        "http://%5Bbad": ("LINK-1", "invalid_url", 2),  # one target, one finding, every place it appears
        "http://localhost%5D/x.html": ("LINK-1", "invalid_url", 1),
        "http://": ("LINK-1", "invalid_url", 1), "http://www.exa mple.gov.cn/": ("LINK-1", "invalid_url", 1),
        "http://localhost:99999/": ("LINK-1", "invalid_url", 1), "http://%5B::1": ("LINK-1", "invalid_url", 1),
        "file:///C:/Users/admin/Desktop/通知.doc": ("LINK-3", "unsupported_scheme", 1),
    }


@pytest_twisted.ensureDeferred
async def test_redirects_inside_pages_are_links_and_the_refreshing_page_stays_itself(store, db_url, make_site):
    with SiteServer({"/ok.html": html(page("外部")), "/moved": Reply(302, b"", {"Location": "/ok.html"})}) as external:
        ext = external.url.replace("127.0.0.1", "localhost")  # another host name: out of the site's scope
        routes = {
            "/": html(page("跳转中", f'<meta http-equiv="refresh" content="0; URL=\'/main.html\'">'
                                  f'<script>window.location.href = "{ext}/moved";</script>')),
            "/main.html": html(page("首页正文", '<meta http-equiv="refresh" content="5;url=ftp://ftp.example.gov.cn/">'
                                            '<a href="/ftp-redirect">下载</a><a href="/gone">旧</a>')),
            "/ftp-redirect": Reply(302, b"", {"Location": "ftp://ftp.example.gov.cn/a.pdf"}),
            "/gone": Reply(301, b"", {"Location": "http://[bad/"}),
        }
        with SiteServer(routes) as server:
            run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
        assert ("GET", "/ok.html") not in external.hits  # another host's page is checked, never crawled
    pages = fetched(store, run.id)
    home = pages[server.url + "/"]
    assert (home.status, home.final_url, home.title) == (200, server.url + "/", "跳转中")
    assert pages[server.url + "/main.html"].title == "首页正文"  # the refresh in scope is followed, once
    assert (pages[ext + "/moved"].kind, pages[ext + "/moved"].method) == ("external", "HEAD")
    with store.session() as session:
        sources = {(link.tag, link.attr, link.target.removeprefix(server.url)) for link in session.scalars(select(Link).where(
            Link.run_id == run.id, Link.source_id == home.id))}
    assert sources == {("meta", "refresh", "/main.html"), ("script", "location", ext + "/moved")}
    redirected = pages[server.url + "/ftp-redirect"]
    assert (redirected.status, redirected.error_kind) == (302, "unsupported_redirect")
    assert findings(store, run.id) == {
        "ftp://ftp.example.gov.cn/": ("LINK-2", "unsupported_redirect"),
        server.url + "/ftp-redirect": ("LINK-2", "unsupported_redirect"),
        server.url + "/gone": ("LINK-2", "unsupported_redirect"),
    }


@pytest_twisted.ensureDeferred
async def test_one_url_in_several_spellings_is_fetched_once_and_found_once(store, db_url, make_site):
    routes = {"/": html(page("首页", '<a href="/新闻/">新闻</a><a href="/%E6%96%B0%E9%97%BB/">新闻</a>'
                                   '<a href="/%e6%96%b0%e9%97%bb/">新闻</a><img src="/图片/缺.png">'
                                   '<img src="/%E5%9B%BE%E7%89%87/%E7%BC%BA.png">'))}
    with SiteServer(routes) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    assert sorted(path for _, path in server.hits if "govmon-" not in path) == [
        "/", "/%E5%9B%BE%E7%89%87/%E7%BC%BA.png", "/%E6%96%B0%E9%97%BB/"]
    result = check_run(store, run.id, load_pack("national"), datetime.now(UTC))
    links = {f.target: (f.rule, f.evidence["reason"], f.places_total) for f in result if f.rule.startswith("LINK-")}
    assert links == {server.url + "/新闻/": ("LINK-1", "http_404", 3),  # the first spelling, readable
                     server.url + "/图片/缺.png": ("LINK-1", "http_404", 2)}
