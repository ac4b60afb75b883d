"""The bundled demo portal on real sockets: its special answers, and a link walk that proves the manifest exact.

The walk is independent of govmon: it fetches every link and resource of every reachable page with urllib and
decides for itself which targets are broken, then compares with the manifest's link defects.
"""

import http.client
import io
import re
import secrets
import urllib.error
import urllib.request
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import dns.message
import dns.query
import dns.resolver
import docx
import openpyxl
import pypdf
import pytest
import xlrd

from govmon.demo.portal import generate
from govmon.demo.server import DemoServers, load_manifest, serve
from govmon.workdays import WorkCalendar

AS_OF = date(2026, 11, 23)
CALENDAR = WorkCalendar()
ATTACHMENTS = (".doc", ".docx", ".xls", ".xlsx", ".pdf", ".wps", ".ofd", ".zip", ".rar", ".et")
EXPECTED_TYPES = {".png": "image/png", ".css": "text/css", ".js": "application/javascript",
                  ".pdf": "application/pdf", ".xls": "application/vnd.ms-excel",
                  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def fetch(url: str, method: str = "GET", headers: dict | None = None) -> Answer:
    try:
        with _opener.open(urllib.request.Request(url, method=method, headers=headers or {}), timeout=10) as response:
            answer = Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        answer = Answer(error.code, error.headers, error.read())
    if method == "GET":
        assert int(answer.headers["Content-Length"]) == len(answer.body), url
    return answer


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = generate(tmp_path_factory.mktemp("demo"), AS_OF)
    with serve(out) as servers:
        yield out, servers, load_manifest(out, servers)


def defects(manifest: dict, rule: str, site: str = "demo") -> list[dict]:
    return [d for d in manifest["defects"] if d["rule"] == rule and d["site"] == site]


# ----- the link walk


class _Links(HTMLParser):
    ATTRIBUTES = {"a": "href", "area": "href", "link": "href", "img": "src", "script": "src", "iframe": "src",
                  "frame": "src", "embed": "src", "source": "src"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found += [value for name, value in attrs if name == self.ATTRIBUTES.get(tag) and value]


@dataclass
class Walk:
    home: str
    depth: dict[str, int] = field(default_factory=dict)  # good internal HTML pages
    linked_from: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    broken: dict[str, str] = field(default_factory=dict)  # target → reason
    checked: set[str] = field(default_factory=set)
    wrong_type: list[str] = field(default_factory=list)
    placeholders_left: list[str] = field(default_factory=list)


def check(url: str, soft_404: bytes) -> tuple[str | None, Answer | None]:
    """(reason the target is broken or None, final answer)."""
    seen, current = [url], url
    for _ in range(10):
        try:
            answer = fetch(current)
        except urllib.error.URLError as error:
            if isinstance(error.reason, ConnectionRefusedError):
                return "connection_refused", None
            raise
        if answer.status not in (301, 302, 303, 307, 308):
            break
        current = urljoin(current, answer.headers["Location"])
        if current in seen:
            return "redirect_loop", None
        seen.append(current)
    else:
        return "redirect_loop", None
    if answer.status >= 400:
        return f"http_{answer.status}", answer
    is_html = answer.headers.get_content_type() == "text/html"
    if is_html and urlsplit(url).path.lower().endswith(ATTACHMENTS):
        return "error_page", answer
    if is_html and (answer.body == soft_404 or "该信息已删除".encode() in answer.body):
        return "soft_404", answer
    return None, answer


@pytest.fixture(scope="module")
def walk(demo) -> Walk:
    _, servers, _ = demo
    soft_404 = fetch(f"{servers.portal}/{secrets.token_hex(8)}.html").body
    result = Walk(home=servers.portal + "/")
    result.depth[result.home] = 0
    portal_host = urlsplit(servers.portal).netloc
    queue, answers = deque([result.home]), {result.home: fetch(result.home)}
    while queue:
        page = queue.popleft()
        body = answers.pop(page).body
        if b"{{" in body:
            result.placeholders_left.append(page)
        parser = _Links()
        parser.feed(body.decode("latin-1"))  # links are ASCII; latin-1 never fails on GBK or GB18030 bytes
        for href in parser.found:
            target = urldefrag(urljoin(page, href.strip()))[0]
            if urlsplit(target).scheme not in ("http", "https"):
                continue
            result.linked_from[target].add(page)
            if target in result.checked or target == result.home:
                continue
            result.checked.add(target)
            reason, answer = check(target, soft_404)
            if reason:
                result.broken[target] = reason
                continue
            suffix = Path(urlsplit(target).path).suffix.lower()
            if answer.headers.get_content_type() != EXPECTED_TYPES.get(suffix, "text/html"):
                result.wrong_type.append(target)
            if urlsplit(target).netloc == portal_host and suffix in ("", ".html"):
                result.depth[target] = result.depth[page] + 1
                answers[target] = answer
                queue.append(target)
    return result


def test_walk_finds_exactly_the_manifest_link_defects(demo, walk):
    _, _, manifest = demo
    listed = [d for d in manifest["defects"] if d["rule"].startswith("LINK-")]
    assert walk.broken == {d["target"]: d["reason"] for d in listed}
    for d in listed:
        pages = walk.linked_from[d["target"]]
        assert sorted(pages) == d["pages"], d["id"]
        if urlsplit(d["target"]).path.lower().endswith(ATTACHMENTS):
            assert d["rule"] == "LINK-3"
        else:
            assert d["rule"] == ("LINK-1" if walk.home in pages else "LINK-2"), d["id"]


def test_every_other_link_is_good_and_of_the_right_type(walk):
    assert walk.wrong_type == []
    assert walk.placeholders_left == []


def test_manifest_seeds_every_kind_of_link_defect(demo):
    _, servers, manifest = demo
    kinds = {(d["rule"], d["reason"]) for d in manifest["defects"] if d["rule"].startswith("LINK-")}
    assert {("LINK-1", "soft_404"), ("LINK-1", "http_404"), ("LINK-2", "soft_404"), ("LINK-2", "http_404"),
            ("LINK-2", "http_500"), ("LINK-2", "redirect_loop"), ("LINK-2", "connection_refused"),
            ("LINK-3", "http_404"), ("LINK-3", "error_page")} <= kinds
    homepage = {d["target"] for d in defects(manifest, "LINK-1")}
    assert any(t.endswith(".jpg") for t in homepage)  # the broken image
    assert any(t.startswith(servers.external) for t in homepage)  # the dead 友情链接


def test_every_generated_page_is_reached_within_depth_6(demo, walk):
    out, servers, manifest = demo
    site = out / "site"
    urls = {servers.portal + "/" + str(path.relative_to(site)).removesuffix("index.html")
            for path in site.rglob("*.html")}
    assert len(urls) == manifest["pages"]
    assert 300 <= manifest["pages"] <= 400
    assert set(walk.depth) == urls - set(walk.broken)
    assert max(walk.depth.values()) <= 6


# ----- the servers' special answers


def test_homepage_answers_on_ipv4_and_ipv6(demo):
    _, servers, _ = demo
    v4, v6 = fetch(servers.portal + "/"), fetch(servers.portal_v6 + "/")
    assert v4.status == v6.status == 200
    assert v4.body == v6.body
    assert "滇中市人民政府" in v4.body.decode("utf-8")


def test_homepage_site_code_is_only_written_by_script(demo):
    _, servers, _ = demo
    html = fetch(servers.portal + "/").body.decode("utf-8")
    assert "<script>document.write('网站标识码：5301000001');</script>" in html
    assert "网站标识码" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)
    assert "网站支持IPv6" in html and "我为政府网站找错" in html and "滇公网安备53010202000476号" in html


def test_head_is_answered_like_get_without_body(demo):
    _, servers, _ = demo
    head, get = fetch(servers.portal + "/", "HEAD"), fetch(servers.portal + "/")
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Length"] == get.headers["Content-Length"]


def test_gbk_section_is_gbk_behind_a_gb2312_declaration(demo):
    _, servers, manifest = demo
    gbk = [path for path, encoding in manifest["encodings"].items() if encoding == "gbk"]
    assert "/bmdt/" in gbk
    for path in ("/bmdt/", next(p for p in gbk if p.endswith(".html") and "/t" in p)):
        answer = fetch(servers.portal + path)
        assert answer.headers["Content-Type"] == "text/html"
        text = answer.body.decode("gbk")
        assert 'charset=gb2312' in text
        outside_gb2312 = [ch for ch in set(text) if not _encodes(ch, "gb2312")]
        assert set(outside_gb2312) & set("镕堃喆"), path
        with pytest.raises(UnicodeDecodeError):
            answer.body.decode("utf-8")


def test_gb18030_and_undeclared_utf8_pages(demo):
    _, servers, manifest = demo
    [gb18030] = [path for path, encoding in manifest["encodings"].items() if encoding == "gb18030"]
    answer = fetch(servers.portal + gb18030)
    assert answer.headers["Content-Type"] == "text/html"
    assert "䶮" in answer.body.decode("gb18030")
    assert manifest["undeclared_utf8"]
    for path in manifest["undeclared_utf8"]:
        answer = fetch(servers.portal + path)
        assert answer.headers["Content-Type"] == "text/html"
        assert b"charset" not in answer.body
        assert "滇中市" in answer.body.decode("utf-8")


def test_unknown_page_gets_the_soft_404_page_with_status_200(demo):
    _, servers, manifest = demo
    first = fetch(f"{servers.portal}/{secrets.token_hex(6)}.html")
    second = fetch(f"{servers.portal}/zcwj/{secrets.token_hex(6)}/")
    assert first.status == second.status == 200
    assert first.body == second.body
    assert "您访问的页面不存在" in first.body.decode("utf-8")
    assert b"{{" not in first.body and servers.external.encode() in first.body
    for blank in defects(manifest, "COL-3"):
        page = fetch(blank["where"])
        assert page.status == 200 and page.body != first.body
        assert "暂无信息" in page.body.decode("utf-8") and "您访问的页面不存在" not in page.body.decode("utf-8")


def test_unknown_application_page_and_static_file_get_a_real_404(demo):
    _, servers, _ = demo
    assert fetch(f"{servers.portal}/hdjl/zxzx/detail_{secrets.token_hex(4)}.html").status == 404
    assert fetch(f"{servers.portal}/uploads/{secrets.token_hex(4)}.pdf").status == 404
    assert fetch(f"{servers.portal}/images/{secrets.token_hex(4)}.png").status == 404


def test_robots_txt_allows_crawling(demo):
    _, servers, _ = demo
    answer = fetch(servers.portal + "/robots.txt")
    assert answer.headers.get_content_type() == "text/plain"
    assert answer.body == b"User-agent: *\nDisallow:\n"


def test_unknown_attachment_elsewhere_is_an_html_error_page(demo):
    _, servers, _ = demo
    answer = fetch(f"{servers.portal}/tzgg/202611/P0{secrets.randbelow(10**12)}.pdf")
    assert answer.status == 200 and answer.headers.get_content_type() == "text/html"
    assert "文件不存在" in answer.body.decode("utf-8")


def test_redirect_loop_and_server_error(demo):
    _, servers, _ = demo
    a = fetch(servers.portal + "/old/a.html")
    assert (a.status, a.headers["Location"]) == (302, "/old/b.html")
    b = fetch(servers.portal + "/old/b.html")
    assert (b.status, b.headers["Location"]) == (302, "/old/a.html")
    assert fetch(servers.portal + "/hdjl/zxft/").status == 500


def test_external_pages_that_refuse_head_answer_get(demo):
    _, servers, _ = demo
    for path, head_status in (("/zwfw/", 405), ("/conac/", 403)):
        assert fetch(servers.external + path, "HEAD").status == head_status
        assert fetch(servers.external + path).status == 200
    assert fetch(servers.external + "/gov/", "HEAD").status == 200
    assert fetch(servers.external + "/dianxi/").status == 404


def test_closed_port_refuses_connections(demo):
    _, servers, _ = demo
    with pytest.raises(urllib.error.URLError) as caught:
        fetch(servers.closed + "/portal/")
    assert isinstance(caught.value.reason, ConnectionRefusedError)


def test_servers_stop_on_exit(tmp_path):
    out = generate(tmp_path, AS_OF)
    with serve(out) as servers:
        assert fetch(servers.portal + "/").status == 200
        assert resolver(servers).resolve(servers.host, "A")
    for url in (servers.portal, servers.portal_v6, servers.external):
        with pytest.raises(urllib.error.URLError):
            fetch(url + "/")
    address, port = servers.dns.split(":")
    with pytest.raises(ConnectionRefusedError):
        dns.query.tcp(dns.message.make_query(servers.host, "A"), address, port=int(port), timeout=5)


# ----- IPv6 and DNS: the host on both stacks, two sections failing over IPv6 only


def resolver(servers: DemoServers) -> dns.resolver.Resolver:
    """A resolver that asks the demo's DNS server only, never the system's."""
    address, port = servers.dns.split(":")
    answer = dns.resolver.Resolver(configure=False)
    answer.nameservers, answer.port, answer.lifetime = [address], int(port), 5
    return answer


def fetch_by_name(servers: DemoServers, address: str, path: str) -> Answer:
    """GET path from the portal's socket on `address`, addressed by the site's host name as a browser would."""
    named = urlsplit(servers.named)
    connection = http.client.HTTPConnection(address, named.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": named.netloc})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def test_dns_gives_the_host_both_stacks_and_the_name_servers_ipv4_only(demo):
    _, servers, manifest = demo
    ask = resolver(servers)
    assert servers.host == manifest["ipv6"]["host"] == "www.dianzhong.gov.cn"
    assert manifest["ipv6"]["dns"] == servers.dns
    assert [r.to_text() for r in ask.resolve(servers.host, "A")] == ["127.0.0.1"]
    assert [r.to_text() for r in ask.resolve(servers.host, "AAAA")] == ["::1"]
    [domain] = [d["where"] for d in defects(manifest, "IPV6-6")]
    name_servers = sorted(r.to_text() for r in ask.resolve(domain, "NS"))
    assert name_servers == ["ns1.dianzhong.gov.cn.", "ns2.dianzhong.gov.cn."]
    for name_server in name_servers:
        assert [r.to_text() for r in ask.resolve(name_server, "A")] == ["127.0.0.1"]
        with pytest.raises(dns.resolver.NoAnswer):
            ask.resolve(name_server, "AAAA")


def test_homepage_by_name_is_the_same_over_ipv6_and_claims_ipv6_support(demo):
    _, servers, manifest = demo
    [address_v6] = [r.to_text() for r in resolver(servers).resolve(servers.host, "AAAA")]
    v4, v6 = fetch_by_name(servers, "127.0.0.1", "/"), fetch_by_name(servers, address_v6, "/")
    assert v4.status == v6.status == 200
    assert v6.body == v4.body == fetch(servers.portal + "/").body
    [claim] = defects(manifest, "IPV6-5")
    assert claim["evidence"] == manifest["ipv6"]["claim"] == "网站支持IPv6"
    assert claim["evidence"] in v6.body.decode("utf-8")
    assert not [d for d in manifest["defects"] if d["rule"] in ("IPV6-1", "IPV6-2", "IPV6-3")]


def test_failing_sections_fail_over_ipv6_only(demo):
    _, servers, manifest = demo
    assert manifest["ipv6"]["failing_prefixes"] == ["/bsfw/", "/hdjl/"]
    for path in ("/hdjl/", "/hdjl/zxzx/", "/bsfw/", "/bsfw/bszn/"):
        assert fetch_by_name(servers, "127.0.0.1", path).status == 200, path
    for path in ("/hdjl/", "/hdjl/zxzx/"):
        with pytest.raises(ConnectionResetError):
            fetch_by_name(servers, "::1", path)
    for path in ("/bsfw/", "/bsfw/bszn/"):
        assert fetch_by_name(servers, "::1", path).status == 503, path
    assert fetch_by_name(servers, "::1", "/zcwj/").body == fetch(servers.portal + "/zcwj/").body


def test_second_and_third_level_pages_load_over_ipv6_below_90_percent(demo, walk):
    _, servers, manifest = demo
    levels = [url for url, depth in walk.depth.items() if depth in (1, 2)]
    failing = []
    for url in levels:
        path = urlsplit(url).path
        try:
            answer = fetch_by_name(servers, "::1", path)
        except ConnectionResetError:
            failing.append(path)
            continue
        if answer.status != 200:
            failing.append(path)
        else:
            assert answer.body == fetch(url).body, url
    assert manifest["ipv6"]["second_third_level"] == {"pages": len(levels), "failing": len(failing)}
    assert all(path.startswith(tuple(manifest["ipv6"]["failing_prefixes"])) for path in failing)
    assert 0.7 <= 1 - len(failing) / len(levels) < 0.9
    [ratio] = defects(manifest, "IPV6-4")
    assert ratio["where"] == servers.portal + "/" and ratio["failing_prefixes"] == manifest["ipv6"]["failing_prefixes"]


# ----- the other seeded defects are really in the pages


ID_SHAPE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")
MASKED_ID = re.compile(r"(?<![0-9A-Za-z])\d{6}\*{8}\d{3}[\dX](?![0-9A-Za-z])")


def test_pii_defect_is_an_unmasked_valid_id_number_among_masked_ones(demo):
    _, _, manifest = demo
    [pii] = [d for d in defects(manifest, "PII-1") if d["where"].endswith(".html")]
    text = fetch(pii["where"]).body.decode("utf-8")
    numbers = ID_SHAPE.findall(text)
    assert [_masked(n) for n in numbers] == [pii["evidence"]]
    assert _id_check_digit(numbers[0][:17]) == numbers[0][17]
    assert len(MASKED_ID.findall(text)) == 7


def test_pii_defect_in_an_excel_attachment(demo):
    _, _, manifest = demo
    [pii] = [d for d in defects(manifest, "PII-1") if d["where"].endswith(".xlsx")]
    answer = fetch(pii["where"])
    assert answer.status == 200
    assert answer.headers["Content-Type"] == EXPECTED_TYPES[".xlsx"]
    [page] = pii["pages"]
    assert urlsplit(pii["where"]).path.rsplit("/", 1)[1] in fetch(page).body.decode("utf-8")
    sheet = openpyxl.load_workbook(io.BytesIO(answer.body))["Sheet1"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].endswith("名单") and [str(r) for r in sheet.merged_cells.ranges] == ["A1:E1"]
    assert list(rows[1]) == ["序号", "姓名", "性别", "身份证号码", "联系电话"]
    assert 6 <= len(rows) - 2 <= 8
    unmasked = [f"D{n}" for n, row in enumerate(rows, start=1) if ID_SHAPE.fullmatch(str(row[3]))]
    assert unmasked == [pii["cell"]]
    exposed = sheet[pii["cell"]].value
    assert _id_check_digit(exposed[:17]) == exposed[17] and _masked(exposed) == pii["evidence"]
    assert all(MASKED_ID.fullmatch(row[3]) for row in rows[2:] if row[3] != exposed)
    assert all(re.fullmatch(r"1[3-9]\d\*{4}\d{4}", row[4]) for row in rows[2:])


def test_no_other_valid_personal_number_is_shown_unmasked(demo):
    """The fully masked list and the list whose one full number has a wrong check digit are no defects: the only
    valid unmasked ID numbers of the sites are the two seeded ones."""
    out, _, manifest = demo
    valid, mistyped = [], []
    for file in sorted([*(out / "site").rglob("*.html"), *(out / "subsite").rglob("*.html"),
                        out / "spider_home.html"]):
        text = file.read_bytes().decode("utf-8", "replace")  # the numbers are ASCII in every encoding
        for number in ID_SHAPE.findall(text):
            (valid if _id_check_digit(number[:17]) == number[17] else mistyped).append((file.name, _masked(number)))
        assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text), file
    [page] = [d for d in defects(manifest, "PII-1") if d["where"].endswith(".html")]
    assert valid == [(page["where"].rsplit("/", 1)[1], page["evidence"])]
    assert len(mistyped) == 1
    masked_only = [f for f in (out / "site" / "tzgg").rglob("*.html") if "创业担保贷款贴息人员名单" in f.read_text("utf-8")]
    [listing] = [f for f in masked_only if "<th>身份证号码</th>" in f.read_text("utf-8")]
    assert len(MASKED_ID.findall(listing.read_text("utf-8"))) == 6 and not ID_SHAPE.findall(listing.read_text("utf-8"))


def test_every_attachment_is_a_readable_file_of_its_kind_or_a_listed_broken_link(demo):
    out, servers, manifest = demo
    broken = {urlsplit(d["target"]).path for d in defects(manifest, "LINK-3")}
    texts = {}
    for file in sorted((out / "site").rglob("*")):
        kind = file.suffix.lower()
        if kind in (".xls", ".xlsx", ".doc", ".docx", ".pdf", ".csv", ".txt", ".wps", ".et") and file.name != "robots.txt":
            texts["/" + str(file.relative_to(out / "site"))] = _attachment_text(file.read_bytes(), kind)
    assert {path.rsplit(".", 1)[1] for path in texts} == {"xls", "xlsx", "docx", "pdf"}
    assert all(text.strip() for text in texts.values())
    assert not broken & set(texts)
    exposed = [path for path, text in texts.items() if ID_SHAPE.search(text)]
    assert [servers.portal + path for path in exposed] == [d["where"] for d in defects(manifest, "PII-1")
                                                           if d["where"].endswith(".xlsx")]


def test_the_one_misspelt_state_name(demo):
    out, _, manifest = demo
    [error] = defects(manifest, "ERR-1")
    assert (error["wrong"], error["right"]) == ("中华人民共合国", "中华人民共和国")
    found = {}
    for file in [*(out / "site").rglob("*.html"), *(out / "subsite").rglob("*.html"), *(out / "external").rglob("*"),
                 out / "spider_home.html", out / "soft404.html"]:
        if file.is_file():
            text = file.read_bytes().decode("gb18030" if b"charset=gb" in file.read_bytes() else "utf-8", "replace")
            for wrong in ("共合国", "国物院", "攻府", "政付", "检查院"):
                if wrong in text:
                    found.setdefault(wrong, []).append(file)
    [misspelt] = found.pop("共合国")
    assert error["where"].endswith("/" + str(misspelt.relative_to(out / "site")))
    assert found == {}
    text = fetch(error["where"]).body.decode("utf-8")
    assert text.count("中华人民共合国") == 1 and "中华人民共合国" not in text.split("<body>")[0]


def test_hidden_gambling_link_and_visible_external_links(demo):
    _, servers, manifest = demo
    [hidden] = [d for d in defects(manifest, "SEC-1") if d["reasons"] == ["hidden_link"]]
    html = fetch(hidden["where"]).body.decode("utf-8")
    assert (f'<div style="display:none"><a href="{servers.gambling}/casino/" target="_blank">澳门百家乐娱乐城</a></div>'
            in html)
    assert hidden["hidden_link"] == f"{servers.gambling}/casino/" != f"{servers.external}/casino/"
    assert fetch(hidden["hidden_link"]).status == 200
    home = fetch(servers.portal + "/").body.decode("utf-8")
    assert f'<a href="{servers.external}/gov/" target="_blank">中国政府网</a>' in home
    assert "display:none" not in home and "/casino/" not in home


def test_homepage_cloaks_to_baidu_spider(demo):
    _, servers, manifest = demo
    [cloaking] = [d for d in defects(manifest, "SEC-1") if d["reasons"] == ["cloaking"]]
    assert cloaking["where"] == servers.portal + "/"
    spider = {"User-Agent": "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"}
    browser = {"User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0"}
    seen, shown = fetch(cloaking["where"], headers=spider), fetch(cloaking["where"], headers=browser)
    assert seen.status == shown.status == 200 and seen.body != shown.body
    title = re.compile(r"<title>(.*?)</title>")
    assert title.search(shown.body.decode()).group(1) == cloaking["browser_title"] == "滇中市人民政府"
    assert title.search(seen.body.decode()).group(1) == cloaking["spider_title"] == "澳门威尼斯人娱乐城_真人百家乐"
    casino = re.findall(rf'href="{re.escape(servers.gambling)}/casino/[^"]*"', seen.body.decode())
    assert len(casino) == 4 and "/casino/" not in shown.body.decode()
    assert shown.body == fetch(cloaking["where"]).body
    assert fetch(servers.portal + "/xwzx/", headers=spider).body == fetch(servers.portal + "/xwzx/").body


def test_service_guides_show_their_ten_elements_but_one(demo, walk):
    _, servers, manifest = demo
    [poor] = defects(manifest, "SVC-1")
    elements = ["事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理机构", "收费标准", "办理时间", "联系电话", "办理流程"]
    guides = [url for url in walk.depth if re.search(r"/bsfw/bszn/\d{6}/t\d+_\d+\.html$", url)]
    assert len(guides) == 20
    for url in guides:
        labels = re.findall(r"<tr><th>(.*?)：</th><td>", fetch(url).body.decode("utf-8"))
        assert labels == ([e for e in elements if e in poor["present"]] if url == poor["where"] else elements), url
    assert sorted(poor["missing"] + poor["present"]) == sorted(elements) and len(poor["missing"]) == 7
    assert "<th>" not in fetch(servers.portal + "/bsfw/bszn/").body.decode("utf-8")
    assert "办事服务" in fetch(servers.portal + "/").body.decode("utf-8")


def test_stale_column_was_last_updated_30_days_before_as_of(demo):
    _, _, manifest = demo
    [stale] = defects(manifest, "COL-1")
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", fetch(stale["where"]).body.decode("gbk"))
    assert max(dates) == stale["last_update"] == (AS_OF - timedelta(days=30)).isoformat()


def test_late_interpretations_and_missing_interpretations(demo):
    _, _, manifest = demo
    late = defects(manifest, "TIME-1")
    assert sorted(d["working_days"] for d in late) == [4, 4, 4, 6]  # three across a holiday, one 6 working days
    for d in late:
        policy, interpretation = fetch(d["policy"]).body.decode(), fetch(d["where"]).body.decode()
        assert f"发布时间：{d['policy_date']}" in policy and f"发布时间：{d['interpretation_date']}" in interpretation
        assert urlsplit(d["where"]).path in policy and urlsplit(d["policy"]).path in interpretation
        start, end = date.fromisoformat(d["policy_date"]), date.fromisoformat(d["interpretation_date"])
        assert CALENDAR.add(start, 3).isoformat() == d["deadline"] < d["interpretation_date"]
        assert CALENDAR.between(start, end) == d["working_days"]
    missing = defects(manifest, "TIME-2")
    assert len(missing) == 2
    for d in missing:
        text = fetch(d["where"]).body.decode()
        assert "此件公开发布" in text and "相关解读" not in text
        assert CALENDAR.add(date.fromisoformat(d["policy_date"]), 3).isoformat() == d["deadline"] < AS_OF.isoformat()


def test_interaction_template_lacks_the_public_security_number(demo):
    _, servers, manifest = demo
    [missing] = defects(manifest, "ID-3")
    assert len(missing["pages"]) > 40
    for page in missing["pages"]:
        assert "公网安备" not in fetch(page).body.decode("utf-8")
    assert "公网安备" in fetch(servers.portal + "/zcwj/").body.decode("utf-8")


# ----- generation


def test_generation_is_deterministic_and_follows_as_of(tmp_path):
    first, second = generate(tmp_path / "a", AS_OF), generate(tmp_path / "b", AS_OF)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    later = generate(tmp_path / "c", date(2027, 3, 8))
    manifest = load_manifest(later, DemoServers("P", "P6", "E", "C", "D", "H"))
    assert manifest["as_of"] == "2027-03-08"
    assert defects(manifest, "COL-1")[0]["last_update"] == "2027-02-06"
    assert manifest["site"]["home"] == "P/"
    assert manifest["ipv6"]["dns"] == "D"


def _encodes(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _masked(number: str) -> str:
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def _attachment_text(data: bytes, kind: str) -> str:
    """The text of an attachment, read by the library for its format (each raises on a broken file)."""
    if kind == ".xls":
        book = xlrd.open_workbook(file_contents=data)
        return "\n".join(str(v) for sheet in book.sheets() for r in range(sheet.nrows) for v in sheet.row_values(r))
    if kind == ".xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)
    if kind == ".docx":
        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    if kind == ".pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8")


def _id_check_digit(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]
