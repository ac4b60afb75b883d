"""The demo's column, identity and interaction defects, and its sub-site: the pure extractors find in the generated
pages the facts the manifest's entries rely on, and the portal server serves the sub-site by its host name."""

import http.client
import json
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dns.resolver
import pytest

from govmon.demo.portal import generate
from govmon.demo.run import expected_defects, write_demo_registry
from govmon.demo.server import DemoServers, load_manifest, serve
from govmon.facts.attachment_text import read_attachment
from govmon.facts.document import Document
from govmon.facts.hidden_links import hidden_links_of
from govmon.facts.identity import extract_identity
from govmon.facts.labels import field_labels_of
from govmon.facts.list_items import list_entries, says_empty
from govmon.facts.messages import messages_of
from govmon.facts.meta import standard_meta
from govmon.facts.navigation import breadcrumb_of, columns_in_nav, columns_in_sitemap, navigation_only
from govmon.facts.personal_data import personal_data_in, personal_data_of
from govmon.workdays import WorkCalendar

AS_OF = date(2026, 11, 23)
PORTAL, SUBSITE = "http://www.dianzhong.gov.cn", "http://www.dzfgw.cn"
META_NAMES = ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate", "ContentSource")
SUBSITE_COLUMNS = ["工作动态", "通知公告", "政策文件", "规划计划", "政府信息公开指南", "政府信息公开制度",
                   "政府信息公开年报", "部门预决算", "网上信访"]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("demo"), AS_OF)


@pytest.fixture(scope="module")
def manifest(out) -> dict:
    """The manifest with the sites' names as hosts and no port, like the URLs of `page`."""
    text = (out / "manifest.json").read_text(encoding="utf-8")
    return json.loads(text.replace("{portal}", PORTAL).replace("{subsite}", SUBSITE))


def page(out: Path, url: str) -> Document:
    """A generated page by its URL on either site (the portal's GBK and GB18030 pages are not needed here)."""
    parts = urlsplit(url)
    folder = "subsite" if url.startswith(SUBSITE) else "site"
    path = parts.path + ("index.html" if parts.path.endswith("/") else "")
    return Document((out / folder / path.lstrip("/")).read_text(encoding="utf-8"), url)


def pages(out: Path, folder: str, origin: str, encodings: dict[str, str] | None = None) -> dict[str, Document]:
    """Every HTML page of one site by URL, decoded as the manifest's `encodings` (URL path → codec) say."""
    found = {}
    for file in sorted((out / folder).rglob("*.html")):
        path = "/" + str(file.relative_to(out / folder)).removesuffix("index.html")
        found[origin + path] = Document(file.read_text(encoding=(encodings or {}).get(path, "utf-8")), origin + path)
    return found


def seeded(manifest: dict, rule: str, site: str) -> list[dict]:
    return [d for d in manifest["defects"] if d["rule"] == rule and d["site"] == site]


def newest(document: Document) -> str | None:
    dates = [entry.item.date for entry in list_entries(document, AS_OF) if entry.item.date]
    return max(dates, default=None)


# ----- the manifest


def test_every_entry_names_its_site_and_the_defects_are_those_of_the_brief(manifest):
    assert {d["site"] for d in manifest["defects"]} == {"demo", "subsite"}
    assert {d["site"] for d in manifest["defects"] if d["id"][0] in "LV"} == {"demo"}
    ids = [d["id"] for d in manifest["defects"]]
    assert len(ids) == len(set(ids))
    pairs = {(d["rule"], d["site"], d["where"]) for d in manifest["defects"] if d["id"].startswith("D")}
    timeliness = {(d["rule"], d["site"], d["where"]) for d in manifest["defects"] if d["rule"].startswith("TIME-")}
    counts = {}
    for rule, site, _ in timeliness:
        counts[rule, site] = counts.get((rule, site), 0) + 1
    assert counts == {("TIME-1", "demo"): 4, ("TIME-2", "demo"): 2, ("TIME-3", "demo"): 1, ("TIME-5", "demo"): 2,
                      ("TIME-6", "demo"): 1, ("TIME-7", "demo"): 1, ("TIME-4", "subsite"): 1}
    assert ("TIME-5", "demo", f"{PORTAL}/#国民经济运行:2026-08") in timeliness
    pii_page, pii_attachment = seeded(manifest, "PII-1", "demo")
    assert pii_page["where"].endswith(".html") and pii_attachment["where"].endswith(".xlsx")
    assert pii_attachment["pages"][0].startswith(f"{PORTAL}/tzgg/")
    assert all(re.fullmatch(r"\d{6}\*{8}\d{3}[\dX]", d["evidence"]) for d in (pii_page, pii_attachment))
    [guide] = seeded(manifest, "SVC-1", "demo")
    assert guide["where"].startswith(f"{PORTAL}/bsfw/bszn/") and guide["where"] != f"{PORTAL}/bsfw/bszn/"
    assert pairs - timeliness == {
        ("PII-1", "demo", pii_page["where"]), ("PII-1", "demo", pii_attachment["where"]),
        ("ERR-1", "demo", seeded(manifest, "ERR-1", "demo")[0]["where"]), ("SEC-1", "demo", f"{PORTAL}/"),
        ("SEC-1", "demo", next(d for d in seeded(manifest, "SEC-1", "demo") if d["where"] != f"{PORTAL}/")["where"]),
        ("SVC-1", "demo", guide["where"]),
        ("COL-1", "demo", f"{PORTAL}/bmdt/"),
        ("META-1", "demo", f"{PORTAL}/xwzx/"), ("COL-2", "demo", f"{PORTAL}/zwgk/fdzdgknr/ghjh/"),
        ("COL-3", "demo", f"{PORTAL}/zwgk/fdzdgknr/zdxm/"), ("COL-3", "demo", f"{PORTAL}/zwgk/fdzdgknr/jsjf/"),
        ("COL-3", "demo", f"{PORTAL}/zwgk/fdzdgknr/yjgl/"),
        ("INTER-2", "demo", seeded(manifest, "INTER-2", "demo")[0]["where"]),
        ("INTER-4", "demo", seeded(manifest, "INTER-4", "demo")[0]["where"]),
        ("INTER-3", "demo", f"{PORTAL}/hdjl/szxx/"), ("ID-3", "demo", f"{PORTAL}/hdjl/"),
        ("COL-4", "demo", f"{PORTAL}/#重点领域信息公开"),
        ("HOME-1", "subsite", f"{SUBSITE}/"), ("COL-1", "subsite", f"{SUBSITE}/gzdt/"),
        ("COL-1", "subsite", f"{SUBSITE}/tzgg/"), ("COL-4", "subsite", f"{SUBSITE}/#法定主动公开内容"),
        ("COL-4", "subsite", f"{SUBSITE}/#互动交流"), ("ID-5", "subsite", f"{SUBSITE}/"),
        ("ID-6", "subsite", f"{SUBSITE}/"), ("ID-7", "subsite", f"{SUBSITE}/"), ("INTER-1", "subsite", f"{SUBSITE}/"),
    }



def test_manifest_names_the_subsite(out, manifest):
    assert manifest["subsite"] == {"name": "滇中市发展和改革委员会", "site_code": "bm53000012", "home": f"{SUBSITE}/",
                                   "pages": len(list((out / "subsite").rglob("*.html")))}


def test_generation_of_both_sites_is_deterministic(out, tmp_path):
    again = generate(tmp_path / "again", AS_OF)
    for folder in ("subsite", "site", "external"):
        files = sorted(p.relative_to(out / folder) for p in (out / folder).rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(again / folder) for p in (again / folder).rglob("*") if p.is_file())
        assert all((out / folder / f).read_bytes() == (again / folder / f).read_bytes() for f in files)
    assert (out / "manifest.json").read_bytes() == (again / "manifest.json").read_bytes()


# ----- the portal's new defects


def test_consultation_messages_give_the_seeded_dates(out, manifest):
    [pending], [slow] = seeded(manifest, "INTER-2", "demo"), seeded(manifest, "INTER-4", "demo")
    [message] = messages_of(page(out, pending["where"]), AS_OF)
    assert (message.asked, message.answered, message.replied) == (pending["asked"], None, False)
    assert date.fromisoformat(pending["asked"]) < AS_OF - timedelta(days=92)
    [message] = messages_of(page(out, slow["where"]), AS_OF)
    assert (message.asked, message.answered, message.replied) == (slow["asked"], slow["answered"], True)
    asked, answered = date.fromisoformat(slow["asked"]), date.fromisoformat(slow["answered"])
    assert WorkCalendar().between(asked, answered) == slow["working_days"] == 8
    assert asked >= AS_OF - timedelta(days=61)
    list_pages = (f"{PORTAL}/hdjl/zxzx/", f"{PORTAL}/hdjl/zxzx/index_1.html", f"{PORTAL}/hdjl/zxzx/index_2.html")
    listed = [m for url in list_pages for m in messages_of(page(out, url), AS_OF)]
    assert len(listed) == len({m.url for m in listed}) == 40
    by_url = {m.url: m for m in listed}
    assert (by_url[pending["where"]].asked, by_url[pending["where"]].replied) == (pending["asked"], False)
    assert by_url[slow["where"]].answered == slow["answered"]
    others = [m for m in listed if m.url not in (pending["where"], slow["where"])]
    assert all(m.replied and 1 <= (date.fromisoformat(m.answered) - date.fromisoformat(m.asked)).days <= 2
               for m in others)


def test_mailbox_shows_replied_letters_without_any_date(out, manifest):
    [mailbox] = seeded(manifest, "INTER-3", "demo")
    letters = messages_of(page(out, mailbox["where"]), AS_OF)
    assert len(letters) == mailbox["messages"] == 6
    for letter in letters:
        assert (letter.asked, letter.answered, letter.replied, letter.status) == (None, None, True, "已回复")
        [detail] = messages_of(page(out, letter.url), AS_OF)
        assert (detail.asked, detail.answered, detail.replied) == (None, None, True)
    hdjl, sitemap = page(out, f"{PORTAL}/hdjl/"), page(out, f"{PORTAL}/wzdt.html")
    assert mailbox["where"] in {c.url for c in columns_in_sitemap(sitemap)}
    assert urlsplit(mailbox["where"]).path in hdjl.root.xpath("//a/@href")


def test_plans_column_is_older_than_a_year_and_blank_columns_say_so(out, manifest):
    [plans] = seeded(manifest, "COL-2", "demo")
    assert newest(page(out, plans["where"])) == plans["last_update"] == (AS_OF - timedelta(days=400)).isoformat()
    for blank in seeded(manifest, "COL-3", "demo"):
        document = page(out, blank["where"])
        assert says_empty(document) and not list_entries(document, AS_OF)
    assert newest(page(out, f"{PORTAL}/zwgk/fdzdgknr/rsxx/")) >= (AS_OF - timedelta(days=30)).isoformat()


def test_only_the_news_template_lacks_content_source(out, manifest):
    [missing] = seeded(manifest, "META-1", "demo")
    documents = pages(out, "site", PORTAL, manifest["encodings"])
    articles = {url: standard_meta(d) for url, d in documents.items() if "pubdate" in d.meta}
    lacking = sorted(url for url, meta in articles.items() if set(META_NAMES) - meta.keys())
    assert lacking == sorted(missing["pages"])
    assert all(set(META_NAMES) - articles[url].keys() == {"ContentSource"} for url in lacking)
    assert all(url.startswith(missing["where"]) and not list_entries(documents[url]) for url in lacking)


def test_portal_has_every_required_column_but_one(out, manifest):
    documents = pages(out, "site", PORTAL, manifest["encodings"])
    names = {c.name for c in columns_in_nav(documents[f"{PORTAL}/"])}
    names |= {c.name for c in columns_in_sitemap(documents[f"{PORTAL}/wzdt.html"])}
    names |= {c.name for d in documents.values() for c in breadcrumb_of(d) if c.url}
    required = ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "政策解读", "办事服务",
                "互动交流", "重点领域信息公开")
    missing = [name for name in required if not any(name in column for column in names)]
    assert [f"{PORTAL}/#{name}" for name in missing] == [d["where"] for d in seeded(manifest, "COL-4", "demo")]


# ----- the content vetoes: what the extractors find is what the manifest lists


def test_personal_data_only_in_the_seeded_list_and_attachment(out, manifest):
    pii_page, pii_attachment = seeded(manifest, "PII-1", "demo")
    documents = pages(out, "site", PORTAL, manifest["encodings"]) | pages(out, "subsite", SUBSITE)
    found = {url: personal_data_of(d) for url, d in documents.items()}
    assert {url: [(e["kind"], e["masked"], e["label"]) for e in entries] for url, entries in found.items() if entries} \
        == {pii_page["where"]: [("id_card", pii_page["evidence"], "身份证号码")]}
    read = {}
    for file in sorted((out / "site").rglob("*")):
        if file.suffix.lower() in (".xls", ".xlsx", ".doc", ".docx", ".pdf", ".csv", ".wps", ".et"):
            read[f"{PORTAL}/{file.relative_to(out / 'site')}"] = read_attachment(file.read_bytes(), file.suffix)
    assert {reading.format for reading in read.values()} == {"xls", "xlsx", "docx", "pdf"}
    numbers = {url: personal_data_in(reading.segments) for url, reading in read.items()}
    assert {url for url, entries in numbers.items() if entries} == {pii_attachment["where"]}
    [entry] = numbers[pii_attachment["where"]]
    assert (entry["kind"], entry["masked"], entry["where"], entry["label"]) == (
        "id_card", pii_attachment["evidence"], {"sheet": "Sheet1", "cell": pii_attachment["cell"]}, "身份证号码")
    assert entry["section"].endswith("名单")


def test_hidden_links_only_on_the_hacked_article(out, manifest):
    [hidden] = [d for d in seeded(manifest, "SEC-1", "demo") if d["reasons"] == ["hidden_link"]]
    documents = pages(out, "site", PORTAL, manifest["encodings"])
    found = {url: hidden_links_of(d) for url, d in documents.items()}
    assert {url: [(link["text"], link["how"].split("（")[0]) for link in links] for url, links in found.items() if links} \
        == {hidden["where"]: [(hidden["text"], "display:none")]}
    assert found[hidden["where"]][0]["url"].endswith("/casino/")
    spider = Document((out / "spider_home.html").read_text(encoding="utf-8"), f"{PORTAL}/")
    assert not hidden_links_of(spider)
    assert spider.root.xpath("string(//title)") == "澳门威尼斯人娱乐城_真人百家乐"
    assert documents[f"{PORTAL}/"].root.xpath("string(//title)") == "滇中市人民政府"


def test_service_guides_show_every_key_element_but_the_poor_one(out, manifest):
    [poor] = seeded(manifest, "SVC-1", "demo")
    elements = {"事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理机构", "收费标准", "办理时间", "联系电话", "办理流程"}
    guides = {url: d for url, d in pages(out, "site", PORTAL, manifest["encodings"]).items()
              if url.startswith(f"{PORTAL}/bsfw/bszn/") and url.endswith(".html") and "/index_" not in url}
    assert len(guides) == 20 and poor["where"] in guides
    for url, document in guides.items():
        shown = elements & set(field_labels_of(document))
        assert shown == (set(poor["present"]) if url == poor["where"] else elements), url
    assert set(poor["missing"]) == elements - set(poor["present"]) and len(poor["missing"]) == 7
    assert not elements & set(field_labels_of(page(out, f"{PORTAL}/bsfw/bszn/")))
    assert not any(elements & set(field_labels_of(d)) for d in pages(out, "subsite", SUBSITE).values())


# ----- the sub-site


def test_subsite_homepage_is_a_gateway_of_its_level_1_columns(out):
    home = page(out, f"{SUBSITE}/")
    assert navigation_only(home)
    assert [c.name for c in columns_in_nav(home) if c.parent is None] == SUBSITE_COLUMNS
    links = home.root.xpath("//a")
    assert not [a for a in links if "党政机关" in a.xpath("string()") + "".join(a.xpath(".//img/@alt"))
                or "conac" in a.get("href", "")]
    assert "找错" not in home.visible_text


def test_subsite_columns_give_the_seeded_ages(out, manifest):
    home = page(out, f"{SUBSITE}/")
    level_1 = {c.name: c.url for c in columns_in_nav(home) if c.parent is None}
    latest = {name: newest(page(out, url)) for name, url in level_1.items() if name != "网上信访"}
    [gateway] = seeded(manifest, "HOME-1", "subsite")
    assert max(latest.values()) == latest["工作动态"] == gateway["last_update"] == (AS_OF - timedelta(days=20)).isoformat()
    stale = {d["where"]: d["last_update"] for d in seeded(manifest, "COL-1", "subsite")}
    assert stale == {level_1["工作动态"]: latest["工作动态"], level_1["通知公告"]: latest["通知公告"]}
    assert latest["通知公告"] == "2026-04-23"  # 7 months before as_of
    assert latest["政策文件"] == (AS_OF - timedelta(days=40)).isoformat()
    assert latest["规划计划"] == (AS_OF - timedelta(days=100)).isoformat()
    second = page(out, f"{level_1['工作动态']}index_1.html")
    assert newest(second) < latest["工作动态"]
    shown = {name: list_entries(page(out, url), AS_OF)[0].item.date_text for name, url in level_1.items()
             if name != "网上信访"}
    assert re.fullmatch(r"\d{2}-\d{2}", shown["工作动态"]) and shown["通知公告"].startswith("（")
    assert re.fullmatch(r"\d{4}年\d{2}月\d{2}日", shown["政府信息公开制度"])
    assert not says_empty(page(out, level_1["网上信访"])) and not list_entries(page(out, level_1["网上信访"]))


def test_subsite_lacks_the_required_disclosure_and_interaction_columns(out, manifest):
    documents = pages(out, "subsite", SUBSITE)
    names = {c.name for d in documents.values() for c in columns_in_nav(d) + breadcrumb_of(d)}
    names |= {d.meta["columnname"] for d in documents.values() if "columnname" in d.meta}
    assert names == set(SUBSITE_COLUMNS)
    assert {d["column"] for d in seeded(manifest, "COL-4", "subsite")} == {"法定主动公开内容", "互动交流"}


def test_subsite_has_no_consultation_channel(out):
    for document in pages(out, "subsite", SUBSITE).values():
        texts = [a.xpath("string()") for a in document.root.xpath("//a")]
        assert not [text for text in texts if re.search("咨询|留言|信箱|问政", text)], document.url


def test_subsite_pages_carry_its_identity_and_articles_every_meta_tag(out):
    documents = pages(out, "subsite", SUBSITE)
    assert len(documents) > 60
    for document in documents.values():
        identity = extract_identity(document)
        assert identity["site_code"] == "bm53000012", document.url
        assert identity["icp"] and identity["police_record"] and identity["sponsor"] and identity["contact"]
        if "pubdate" in document.meta:
            assert standard_meta(document).keys() == set(META_NAMES)
            assert document.meta["siteidcode"] == "bm53000012" and document.meta["sitedomain"] == "www.dzfgw.cn"


# ----- serving, DNS and the registry


def get(address: str, port: int, host: str, path: str) -> tuple[int, bytes]:
    """GET path from the server at address:port, naming `host` in the Host header."""
    connection = http.client.HTTPConnection(address, port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": f"{host}:{port}"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_portal_server_serves_the_subsite_by_its_host_name(out):
    with serve(out) as servers:
        manifest = load_manifest(out, servers)
        address, port = servers.dns.split(":")
        ask = dns.resolver.Resolver(configure=False)
        ask.nameservers, ask.port, ask.lifetime = [address], int(port), 5
        named = urlsplit(servers.subsite_named)
        [record] = ask.resolve(named.hostname, "A")
        with pytest.raises(dns.resolver.NoAnswer):
            ask.resolve(named.hostname, "AAAA")
        assert manifest["subsite"]["home"] == f"{servers.subsite_named}/"
        status, body = get(record.to_text(), named.port, named.hostname, "/")
        expected = (out / "subsite" / "index.html").read_bytes().replace(b"{{EXTERNAL}}", servers.external.encode())
        assert status == 200 and body == expected
        status, body = get("127.0.0.1", named.port, named.hostname, "/tzgg/")
        assert status == 200 and "滇中市发展和改革委员会" in body.decode() and b"{{" not in body
        assert get("127.0.0.1", named.port, servers.host, "/tzgg/")[1] != body  # the portal's own 通知公告
        assert get("127.0.0.1", named.port, named.hostname, "/gzdt")[0] == 301
        assert get("127.0.0.1", named.port, named.hostname, "/hdjl/")[0] == 404
        assert get("127.0.0.1", named.port, named.hostname, "/robots.txt")[0] == 200


def test_registry_has_the_portal_first_and_the_subsite(tmp_path):
    servers = DemoServers("http://127.0.0.1:8080", "http://[::1]:8080", "http://localhost:8081", "C", "127.0.0.1:53",
                          "www.dianzhong.gov.cn")
    registry = write_demo_registry(tmp_path / "registry.toml", servers)
    portal, subsite = registry.sites
    assert registry.accounts and registry.accounts_of("demo") == registry.accounts  # the sub-site has none
    assert all(url.startswith("http://localhost:8081/") for a in registry.accounts for url in a.mirrors)
    assert (portal.id, portal.home, portal.type) == ("demo", "http://www.dianzhong.gov.cn:8080/", "portal")
    assert (subsite.id, subsite.name, subsite.site_code, subsite.home, subsite.type, subsite.level) == (
        "subsite", "滇中市发展和改革委员会", "bm53000012", "http://www.dzfgw.cn:8080/", "department", "市")
    assert subsite.crawl == portal.crawl
    manifest = {"defects": [{"rule": "ID-7", "site": "subsite", "where": "http://www.dzfgw.cn:8080/"},
                            {"rule": "ID-7", "site": "demo", "where": "http://127.0.0.1:8080/x"}]}
    assert expected_defects(manifest, servers, ("ID-7",), site="subsite") == {("ID-7", "http://www.dzfgw.cn:8080/")}
    assert expected_defects(manifest, servers, ("ID-7",)) == {("ID-7", "http://www.dianzhong.gov.cn:8080/x")}
