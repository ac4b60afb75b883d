"""Fetches over a chosen address, against real servers on 127.0.0.1 and [::1] and a local DNS server."""

from __future__ import annotations

import json
import socket
import ssl
import threading

import pytest
import trustme

from govmon.demo.dns import LocalDNS, Zone
from govmon.dns import make_resolver
from govmon.probes.compare import claims_ipv6, text_similarity
from govmon.probes.http import fetch, fetch_via
from tests.servers import Reply, SilentServer, SiteServer, closed_port, html

HOST = "www.x.gov.cn"
TIMEOUT = 5.0
SHORT_TIMEOUT = 0.5  # for servers that never finish: the fetch gives up after this long
GBK_PAGE = '<html><head><meta charset="gb2312"><title>朱镕基同志纪念馆</title></head><body><p>欢迎访问</p></body></html>'


def homepage(handler) -> Reply:
    handler.server.hosts.append(handler.headers["Host"])
    return html(f"<html><head><title>测试市人民政府门户网站</title></head><body><p>今日要闻</p>"
                f"<p>served for {handler.headers['Host']}</p></body></html>")


ROUTES = {
    "/": homepage,
    "/old": Reply(302, "", {"Location": "/"}),
    "/away": Reply(302, "", {"Location": "http://other.gov.cn/"}),
    "/loop": Reply(302, "", {"Location": "/loop"}),
    "/gbk": Reply(200, GBK_PAGE.encode("gbk"), {"Content-Type": "text/html; charset=gb2312"}),
    "/big": html("<html><body>" + "数" * 1000 + "</body></html>"),
}


def site_server(host: str) -> SiteServer:
    server = SiteServer(ROUTES, host=host)
    server.server.hosts = []
    return server


@pytest.fixture(scope="module")
def site4():
    with site_server("127.0.0.1") as server:
        yield server


@pytest.fixture(scope="module")
def site6():
    with site_server("::1") as server:
        yield server


def port_of(server: SiteServer) -> int:
    return server.server.server_address[1]


def named_url(server: SiteServer, path: str = "/") -> str:
    return f"http://{HOST}:{port_of(server)}{path}"


@pytest.mark.parametrize(("server_name", "address", "family"), [("site4", "127.0.0.1", 4), ("site6", "::1", 6)])
def test_fetch_via_an_address_sends_the_host_name(request, server_name, address, family):
    server = request.getfixturevalue(server_name)
    result = fetch_via(named_url(server), address, TIMEOUT, keep_body=True)
    assert server.server.hosts[-1] == f"{HOST}:{port_of(server)}"
    assert (result.ok, result.status, result.error_kind) == (True, 200, None)
    assert (result.address, result.family, result.final_url) == (address, family, named_url(server))
    assert result.title == "测试市人民政府门户网站"
    assert result.encoding == "utf-8"
    assert "今日要闻" in result.text.splitlines()
    assert result.size == len(result.body) > 0
    assert result.content_type == "text/html; charset=utf-8"
    assert result.dns_ms is None and result.tls_ms is None
    assert 0 < result.connect_ms <= result.first_byte_ms <= result.load_ms
    stored = json.loads(json.dumps(result.as_dict()))
    assert "body" not in stored and stored["status"] == 200


def test_body_is_kept_only_when_asked(site4):
    assert fetch_via(named_url(site4), "127.0.0.1", TIMEOUT).body is None


def test_closed_ports_refuse():
    assert fetch_via(f"http://{HOST}:{closed_port()}/", "127.0.0.1", TIMEOUT).error_kind == "connection_refused"
    with socket.socket(socket.AF_INET6) as sock:
        sock.bind(("::1", 0))
        port = sock.getsockname()[1]
    result = fetch_via(f"http://{HOST}:{port}/", "::1", TIMEOUT)
    assert (result.error_kind, result.family, result.ok) == ("connection_refused", 6, False)


def test_a_server_that_never_answers_times_out():
    with SilentServer() as silent:
        port = silent.sock.getsockname()[1]
        result = fetch_via(f"http://{HOST}:{port}/", "127.0.0.1", SHORT_TIMEOUT)
    assert result.error_kind == "timeout"
    assert result.status is None and not result.ok


class DrippingServer:
    """Sends the headers at once, then the body one byte per 50 ms: a page that takes 10 s to load."""

    BODY_BYTES = 200

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)
            try:
                conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {self.BODY_BYTES}\r\n\r\n".encode())
                for _ in range(self.BODY_BYTES):
                    if self.stopped.wait(0.05):
                        return
                    conn.sendall(b"x")
            except OSError:  # the client gave up
                return

    def __enter__(self) -> DrippingServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.sock.close()


def test_the_timeout_bounds_the_whole_fetch_not_each_read():
    with DrippingServer() as server:
        result = fetch_via(f"http://{HOST}:{server.port}/", "127.0.0.1", SHORT_TIMEOUT)
    assert (result.status, result.error_kind) == (200, "timeout")
    assert result.load_ms is None and not result.ok


def test_same_host_redirect_is_followed(site4):
    result = fetch_via(named_url(site4, "/old"), "127.0.0.1", TIMEOUT)
    assert (result.status, result.final_url, result.title) == (200, named_url(site4, "/"), "测试市人民政府门户网站")
    assert site4.hits[-2:] == [("GET", "/old"), ("GET", "/")]


def test_redirect_to_another_host_stops_there(site4):
    result = fetch_via(named_url(site4, "/away"), "127.0.0.1", TIMEOUT)
    assert (result.status, result.final_url, result.error_kind) == (302, "http://other.gov.cn/", None)
    assert site4.hits[-1] == ("GET", "/away")


def test_redirect_loop_ends(site4):
    result = fetch_via(named_url(site4, "/loop"), "127.0.0.1", TIMEOUT, max_redirects=3)
    assert result.error_kind == "redirect_loop"
    assert site4.hits[-4:] == [("GET", "/loop")] * 4


def test_non_ascii_path_is_sent_percent_encoded(site4):
    assert fetch_via(named_url(site4, "/新闻?q=政务"), "127.0.0.1", TIMEOUT).status == 404
    assert site4.hits[-1] == ("GET", "/%E6%96%B0%E9%97%BB?q=%E6%94%BF%E5%8A%A1")


def test_gbk_page_is_decoded(site4):
    result = fetch_via(named_url(site4, "/gbk"), "127.0.0.1", TIMEOUT)
    assert (result.encoding, result.title, result.text) == ("gb18030", "朱镕基同志纪念馆", "欢迎访问")


def test_body_over_the_limit_is_too_large(site4):
    result = fetch_via(named_url(site4, "/big"), "127.0.0.1", TIMEOUT, max_bytes=1000)
    assert result.error_kind == "too_large"
    assert fetch_via(named_url(site4, "/big"), "127.0.0.1", TIMEOUT, max_bytes=10_000).ok


class TLSSite:
    """A SiteServer on 127.0.0.1 speaking TLS with a certificate for cert_host, recording the SNI it receives."""

    def __init__(self, ca: trustme.CA, cert_host: str):
        self.site = SiteServer(ROUTES)
        self.site.server.hosts = []
        self.server_names: list[str | None] = []
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert(cert_host).configure_cert(context)
        context.sni_callback = lambda sock, name, ctx: self.server_names.append(name)
        self.site.server.socket = context.wrap_socket(self.site.server.socket, server_side=True)
        self.url = f"https://{HOST}:{port_of(self.site)}/"

    def __enter__(self) -> TLSSite:
        self.site.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.site.__exit__(*exc)


@pytest.fixture(scope="module")
def ca_file(tmp_path_factory):
    ca = trustme.CA()
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return ca, str(path)


def test_https_sends_sni_and_verifies_the_host_name(ca_file):
    ca, path = ca_file
    with TLSSite(ca, HOST) as tls:
        result = fetch_via(tls.url, "127.0.0.1", TIMEOUT, cafile=path)
    assert (result.status, result.error_kind, result.title) == (200, None, "测试市人民政府门户网站")
    assert tls.server_names == [HOST]
    assert tls.site.server.hosts == [f"{HOST}:{port_of(tls.site)}"]
    assert result.connect_ms > 0 and result.tls_ms > 0
    assert result.connect_ms + result.tls_ms <= result.first_byte_ms <= result.load_ms


def test_https_certificate_for_another_name_is_a_tls_error(ca_file):
    ca, path = ca_file
    with TLSSite(ca, "www.other.gov.cn") as tls:
        failed = fetch_via(tls.url, "127.0.0.1", TIMEOUT, cafile=path)
        unverified = fetch_via(tls.url, "127.0.0.1", TIMEOUT, verify_tls=False)
    assert (failed.error_kind, failed.status) == ("tls_error", None)
    assert (unverified.error_kind, unverified.status) == (None, 200)
    assert tls.server_names == [HOST, HOST]


def test_https_with_an_untrusted_ca_is_a_tls_error(ca_file):
    ca, _ = ca_file
    with TLSSite(ca, HOST) as tls:
        assert fetch_via(tls.url, "127.0.0.1", TIMEOUT).error_kind == "tls_error"  # only the system's CAs


@pytest.fixture(scope="module")
def resolver():
    zone = (
        Zone()
        .add(HOST, "A", "127.0.0.1")
        .add(HOST, "AAAA", "::1")
        .add("v4only.x.gov.cn", "A", "127.0.0.1")
    )
    with LocalDNS(zone) as server:
        yield make_resolver(server.address, TIMEOUT)


@pytest.mark.parametrize(("family", "server_name", "address"), [(4, "site4", "127.0.0.1"), (6, "site6", "::1"),
                                                                 (None, "site4", "127.0.0.1")])
def test_fetch_resolves_the_family_asked_for(request, resolver, family, server_name, address):
    server = request.getfixturevalue(server_name)
    result = fetch(named_url(server), resolver, TIMEOUT, family=family)
    assert (result.status, result.address, result.family) == (200, address, 6 if address == "::1" else 4)
    assert server.server.hosts[-1] == f"{HOST}:{port_of(server)}"
    assert 0 < result.dns_ms <= result.first_byte_ms <= result.load_ms


def test_fetch_reports_dns_failures(resolver):
    missing = fetch("http://nothere.x.gov.cn/", resolver, TIMEOUT)
    assert (missing.error_kind, missing.error_detail, missing.address) == ("dns_error", "A: nxdomain; AAAA: nxdomain", None)
    no_ipv6 = fetch("http://v4only.x.gov.cn/", resolver, TIMEOUT, family=6)
    assert (no_ipv6.error_kind, no_ipv6.error_detail, no_ipv6.family) == ("dns_error", "AAAA: no_answer", 6)


def test_fetch_needs_no_dns_for_literals_and_localhost(site4, site6):
    nowhere = make_resolver("127.0.0.1:9", SHORT_TIMEOUT)  # would time out if it were asked
    assert fetch(f"{site4.url}/", nowhere, TIMEOUT).status == 200
    assert fetch(f"http://localhost:{port_of(site6)}/", nowhere, TIMEOUT, family=6).address == "::1"
    wrong_family = fetch(f"{site4.url}/", nowhere, TIMEOUT, family=6)
    assert (wrong_family.error_kind, wrong_family.dns_ms) == ("dns_error", None)


# The IPv4 and IPv6 homepages compared (IPV6-3), and the page's own IPv6 claim (IPV6-5).

HOMEPAGE_TEXT = """测试市人民政府门户网站
今天是：{date} {clock}
首页 政务公开 政务服务 互动交流
市政府召开常务会议研究部署安全生产工作 {news_date}
关于做好2024年春季森林防火工作的通知
本站访问量：{visits}
主办单位：测试市人民政府办公室 网站标识码：5300000033"""


def test_pages_differing_only_in_dates_and_counters_are_similar():
    first = HOMEPAGE_TEXT.format(date="2024年5月1日 星期三", clock="10:32:11", news_date="2024-05-01", visits="1 234 567")
    later = HOMEPAGE_TEXT.format(date="2024年5月2日 星期四", clock="08:01:59", news_date="2024-05-02", visits="1 240 002")
    assert text_similarity(first, later) == 1.0
    headline_changed = later.replace("安全生产", "森林防火")
    assert 0.8 < text_similarity(first, headline_changed) < 1.0


def test_different_pages_are_not_similar():
    homepage = HOMEPAGE_TEXT.format(date="2024年5月1日", clock="10:32", news_date="2024-05-01", visits="12")
    assert text_similarity(homepage, "网站维护中，请稍后访问。Service Unavailable") < 0.1
    assert text_similarity(homepage, None) == text_similarity(None, None) == 0.0


def test_ipv4_and_ipv6_homepages_of_the_same_site_compare_equal(site4, site6):
    over4 = fetch_via(named_url(site4), "127.0.0.1", TIMEOUT)
    over6 = fetch_via(named_url(site6), "::1", TIMEOUT)
    assert over4.text != over6.text  # the echoed port differs, and digits do not count
    assert text_similarity(over4.text, over6.text) == 1.0


def page(body: str) -> str:
    return f"<html><head><title>测试市人民政府</title></head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("body", "evidence"),
    [
        ('<div id="footer">主办单位：测试市人民政府办公室 本网站支持IPv6</div>', "text:本网站支持IPv6"),
        ('<div class="foot">网站支持ＩＰｖ６</div>', "text:网站支持IPv6"),
        ('<footer>支持 ipv6</footer>', "text:支持 ipv6"),
        ('<div class="copyright">IPv6 Ready</div>', "text:IPv6 Ready"),
        ('<div id="bottom">IPv6<span>支持</span></div>', "text:IPv6支持"),
        ('<div class="footer"><img src="/images/ipv6.png"></div>', "img:/images/ipv6.png"),
        ('<div class="footer"><img src="/images/badge3.png" alt="IPv6"></div>', "img:IPv6"),
        ('<div id="foot"><script>document.write("本网站支持IPv6");</script></div>', "text:本网站支持IPv6"),
        ("<div id=\"foot\"><script>document.write('<img src=\"/res/IPv6-logo.gif\">');</script></div>",
         "img:/res/IPv6-logo.gif"),
        ("<p>欢迎访问。本网站支持IPv6。</p>", "text:本网站支持IPv6"),  # no header or footer: the whole page is read
    ],
)
def test_claims_ipv6_finds_the_claim(body, evidence):
    assert claims_ipv6(page(body)) == evidence


@pytest.mark.parametrize(
    "body",
    [
        '<div class="article"><p>我市推进IPv6规模部署，提升网站IPv6支持能力</p></div><div id="footer">主办单位：测试市</div>',
        '<div id="footer">本网站不支持IPv6</div>',
        '<div id="footer"><img src="/images/jing.png" alt="公安备案"></div>',
        "",
    ],
)
def test_claims_ipv6_ignores_articles_denials_and_other_badges(body):
    assert claims_ipv6(page(body) if body else "") is None
