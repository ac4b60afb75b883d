"""The demo portal's new-media accounts (政务新媒体): its 政务新媒体 page, the accounts' mirrors on the external
server (a local "RSSHub" and an HTML archive), the registry's [[account]] entries and the manifest's verdicts.

The mirrors are fetched over real HTTP from 127.0.0.1 and read here with the standard library alone, so the
manifest's verdicts are checked independently of govmon; when govmon's own readers exist (govmon/facts/mirrors.py,
govmon/facts/accounts.py) they must read the same newest dates and the same listed accounts.
"""

import importlib
import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from govmon.demo.portal import generate
from govmon.demo.run import write_demo_registry
from govmon.demo.server import DemoServers, load_manifest, serve

AS_OF = date(2026, 11, 23)
CHINA = timezone(timedelta(hours=8))
DORMANT_DAYS = 14
CLOSED_WORDS = ("该账号已注销", "账号已注销", "已停止服务")
LISTED = {("微信公众号", "滇中发布"), ("微博", "滇中发布"), ("微博", "滇中城管"), ("抖音", "滇中市政府"),
          ("今日头条", "滇中政务"), ("快手", "滇中融媒")}
ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers["Content-Type"]


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str, method: str = "GET") -> Answer:
    assert urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1"), url  # never anywhere else
    try:
        with _opener.open(urllib.request.Request(url, method=method), timeout=10) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("demo"), AS_OF)


@pytest.fixture(scope="module")
def served(out):
    with serve(out) as servers:
        yield servers, load_manifest(out, servers)


def media_defects(manifest: dict) -> list[dict]:
    return [d for d in manifest["defects"] if d["rule"].startswith("MEDIA-")]


# ----- reading a mirror with the standard library


@dataclass
class Read:
    kind: str
    closed: bool
    posts: list[datetime]  # China time
    fresh: datetime | None = None  # the feed's own build time (not a post's)


def china(moment: datetime) -> datetime:
    """A post's time in China time; a time without zone is China time already."""
    return moment.replace(tzinfo=CHINA) if moment.tzinfo is None else moment.astimezone(CHINA)


def read(answer: Answer) -> Read:
    """Parse a mirror's answer; raise on a broken one (HTTP error, malformed feed)."""
    if answer.status != 200:
        raise ValueError(f"HTTP {answer.status}")
    text = answer.body.decode("utf-8")
    media_type = answer.content_type.split(";")[0]
    if media_type == "application/feed+json":
        feed = json.loads(text)
        closed = any(word in feed["title"] + feed.get("description", "") for word in CLOSED_WORDS)
        return Read("json", closed, [china(datetime.fromisoformat(i["date_published"])) for i in feed["items"]])
    if media_type == "text/html":
        days = re.findall(r'<span class="date">(\d{4})年(\d{1,2})月(\d{1,2})日</span>', text)
        return Read("html", any(word in text for word in CLOSED_WORDS),
                    [datetime(int(y), int(m), int(d), tzinfo=CHINA) for y, m, d in days])
    root = ET.fromstring(answer.body)
    if root.tag == "rss":
        channel = root.find("channel")
        words = (channel.findtext("title") or "") + (channel.findtext("description") or "")
        return Read("rss", any(word in words for word in CLOSED_WORDS),
                    [china(parsedate_to_datetime(item.findtext("pubDate"))) for item in channel.iter("item")],
                    china(parsedate_to_datetime(channel.findtext("lastBuildDate"))))
    assert root.tag == f"{ATOM}feed"
    words = (root.findtext(f"{ATOM}title") or "") + (root.findtext(f"{ATOM}subtitle") or "")
    posts = [china(datetime.fromisoformat(entry.findtext(f"{ATOM}published"))) for entry in root.iter(f"{ATOM}entry")]
    return Read("atom", any(word in words for word in CLOSED_WORDS), posts,
                china(datetime.fromisoformat(root.findtext(f"{ATOM}updated"))))


def verdict(reads: list[Read | Exception]) -> tuple[str, date | None]:
    """The brief's rule: closed if a mirror says so; else dormant when the newest post is 14 or more days old; else
    active; unknown when every mirror fails."""
    working = [r for r in reads if isinstance(r, Read)]
    if not working:
        return "unknown", None
    if any(r.closed for r in working):
        return "closed", None
    newest = max(post for r in working for post in r.posts).date()
    return ("dormant" if (AS_OF - newest).days >= DORMANT_DAYS else "active"), newest


@pytest.fixture(scope="module")
def mirrors(served) -> dict[str, Answer]:
    _servers, manifest = served
    return {url: fetch(url) for account in manifest["accounts"].values() for url in account["mirrors"]}


def reads_of(account: dict, mirrors: dict[str, Answer]) -> list[Read | Exception]:
    found = []
    for url in account["mirrors"]:
        try:
            found.append(read(mirrors[url]))
        except (ValueError, ET.ParseError) as error:
            found.append(error)
    return found


# ----- generation


def test_generation_is_deterministic_and_dates_follow_as_of(out, tmp_path):
    again = generate(tmp_path / "again", AS_OF)
    files = sorted(p.relative_to(out / "external") for p in (out / "external").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again / "external") for p in (again / "external").rglob("*") if p.is_file())
    assert all((out / "external" / f).read_bytes() == (again / "external" / f).read_bytes() for f in files)
    assert (out / "site" / "xmt" / "index.html").read_bytes() == (again / "site" / "xmt" / "index.html").read_bytes()
    later = load_manifest(generate(tmp_path / "later", date(2027, 3, 8)), DemoServers("P", "P6", "E", "C", "D", "H"))
    first = load_manifest(out, DemoServers("P", "P6", "E", "C", "D", "H"))
    for key, account in first["accounts"].items():
        moved = later["accounts"][key]
        assert (moved["verdict"], moved["silent_days"]) == (account["verdict"], account["silent_days"])
        if account["latest"]:
            assert date.fromisoformat(moved["latest"]) == date(2027, 3, 8) - timedelta(days=account["silent_days"])
    assert first["accounts"]["dz-wechat"]["mirrors"] == ["E/rsshub/wechat/feeddd/dzfb", "E/rsshub/wechat/mp/dzfb"]


# ----- the mirrors as served


def test_each_mirror_answers_as_seeded(served, mirrors):
    servers, _manifest = served
    kinds = {}
    for url, answer in mirrors.items():
        assert int(answer.headers["Content-Length"]) == len(answer.body), url
        assert b"{{" not in answer.body, url  # links point to the external server, never to the real platforms
        try:
            kinds[urlsplit(url).path] = read(answer).kind
        except (ValueError, ET.ParseError) as error:
            kinds[urlsplit(url).path] = type(error).__name__ + (f" {answer.status}" if answer.status != 200 else "")
    assert kinds == {"/rsshub/wechat/feeddd/dzfb": "ParseError", "/rsshub/wechat/mp/dzfb": "rss",
                     "/rsshub/weibo/user/dzfb": "atom", "/rsshub/weibo/user/dzcg": "rss",
                     "/rsshub/douyin/user/dzszf": "json", "/rsshub/toutiao/user/dzzw": "ValueError 503",
                     "/archive/dzwl/": "html"}
    types = {urlsplit(url).path: answer.content_type for url, answer in mirrors.items()}
    assert types["/rsshub/wechat/mp/dzfb"] == "application/rss+xml; charset=utf-8"
    assert types["/rsshub/weibo/user/dzfb"] == "application/atom+xml; charset=utf-8"
    assert types["/rsshub/douyin/user/dzszf"] == "application/feed+json; charset=utf-8"
    assert types["/archive/dzwl/"] == "text/html; charset=utf-8"
    assert all(url.startswith(servers.external + "/") for url in mirrors)
    feed = servers.external + "/rsshub/wechat/mp/dzfb"
    head = fetch(feed, "HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Length"] == mirrors[feed].headers["Content-Length"]
    assert fetch(servers.external + "/rsshub/weibo/user/nobody").status == 404


def test_feeds_carry_the_traps_they_were_seeded_with(served, mirrors):
    servers, _ = served
    wechat = mirrors[servers.external + "/rsshub/wechat/mp/dzfb"]
    newest = max(read(wechat).posts)
    assert newest == datetime(2026, 11, 22, 7, 30, tzinfo=CHINA)
    assert "<pubDate>Sat, 21 Nov 2026 23:30:00 GMT</pubDate>" in wechat.body.decode()  # its GMT date is a day earlier
    weibo = read(mirrors[servers.external + "/rsshub/weibo/user/dzfb"])
    assert weibo.posts[0] < max(weibo.posts)  # the pinned (置顶) post comes first, but is older
    assert weibo.fresh.date() == AS_OF > max(weibo.posts).date()  # the feed's <updated> is its build time
    douyin = mirrors[servers.external + "/rsshub/douyin/user/dzszf"]
    stamp = json.loads(douyin.body)["items"][0]["date_published"]
    assert stamp == "2026-11-09T21:30:00"  # no zone: China time, 14 days before as_of …
    as_utc = datetime.fromisoformat(stamp).replace(tzinfo=UTC).astimezone(CHINA).date()
    assert (AS_OF - as_utc).days == 13  # … but 13 (not dormant) to a reader that takes it for UTC
    closed = mirrors[servers.external + "/rsshub/weibo/user/dzcg"]
    assert read(closed).closed and read(closed).posts == [] and "该账号已注销" in closed.body.decode()
    archive = mirrors[servers.external + "/archive/dzwl/"]
    hrefs = lxml.html.fromstring(archive.body).xpath('//ul[@class="archive"]//a/@href')
    assert len(hrefs) == 12
    post = fetch(f"{servers.external}/archive/dzwl/{hrefs[0]}")
    assert post.status == 200 and "2026年11月20日" in post.body.decode()


def test_mirrors_give_the_manifests_verdicts(mirrors, served):
    _, manifest = served
    for key, account in manifest["accounts"].items():
        found, newest = verdict(reads_of(account, mirrors))
        assert found == account["verdict"], key
        assert account["latest"] == (newest.isoformat() if newest and found in ("active", "dormant") else None), key
        assert account["silent_days"] == ((AS_OF - newest).days if account["latest"] else None), key
    verdicts = {key: (a["verdict"], a["silent_days"]) for key, a in manifest["accounts"].items()}
    assert verdicts == {"dz-wechat": ("active", 1), "dz-weibo": ("dormant", 15), "dzcg-weibo": ("closed", None),
                        "dz-douyin": ("dormant", 14), "dz-toutiao": ("unknown", None), "dzwl-wechat": ("active", 3)}
    # 滇中发布's first mirror is broken, its second decides
    first, second = reads_of(manifest["accounts"]["dz-wechat"], mirrors)
    assert isinstance(first, ET.ParseError) and isinstance(second, Read)


# ----- the registry and the manifest's defects


def test_registry_lists_the_accounts_of_the_manifest(served, tmp_path):
    servers, manifest = served
    registry = write_demo_registry(tmp_path / "registry.toml", servers)
    accounts = {a.id: a for a in registry.accounts}
    assert list(accounts) == list(manifest["accounts"])
    for key, account in accounts.items():
        expected = manifest["accounts"][key]
        assert (account.platform, account.name, account.sponsor, account.site) == (
            expected["platform"], expected["name"], expected["sponsor"], "demo")
        assert list(account.mirrors) == expected["mirrors"]
        assert account.interaction == expected["interaction"]
    assert [a.id for a in registry.accounts if a.interaction is False] == ["dz-douyin"]
    assert registry.accounts_of("subsite") == ()


def test_manifest_lists_the_media_defects(served):
    servers, manifest = served
    accounts = manifest["accounts"]
    expected = {("MEDIA-1", f"account:{k}") for k, a in accounts.items() if a["verdict"] == "dormant"}
    expected |= {("MEDIA-2", f"account:{k}") for k, a in accounts.items() if a["verdict"] == "closed"}
    expected |= {("MEDIA-3", f"account:{k}") for k, a in accounts.items() if a["interaction"] is False}
    registered = {(a["platform"], a["name"]): k for k, a in accounts.items()}
    expected |= {("MEDIA-4", f"{servers.portal}/xmt/#{platform}:{name}") for platform, name in LISTED - set(registered)}
    expected |= {("MEDIA-4", f"account:{k}") for pair, k in registered.items() if pair not in LISTED}
    defects = media_defects(manifest)
    assert {(d["rule"], d["where"]) for d in defects} == expected == {
        ("MEDIA-1", "account:dz-weibo"), ("MEDIA-1", "account:dz-douyin"), ("MEDIA-2", "account:dzcg-weibo"),
        ("MEDIA-3", "account:dz-douyin"), ("MEDIA-4", f"{servers.portal}/xmt/#快手:滇中融媒"),
        ("MEDIA-4", "account:dzwl-wechat")}
    assert [d["id"] for d in defects] == [f"M{n:02d}" for n in range(1, 7)]
    assert all(d["site"] == "demo" for d in defects)
    for d in defects:
        if d["rule"] == "MEDIA-1":
            account = accounts[d["account"]]
            assert (d["latest"], d["silent_days"]) == (account["latest"], account["silent_days"])


# ----- the 政务新媒体 page


def table_accounts(html: bytes) -> set[tuple[str, str]]:
    """(platform, name) of each row of the page's table, by its header cells 平台 and 账号名称."""
    [table] = lxml.html.fromstring(html).xpath("//table[.//th[normalize-space()='账号名称']]")
    header = [th.text_content().strip() for th in table.xpath(".//tr[th]/th")]
    rows = [[td.text_content().strip() for td in tr.xpath("td")] for tr in table.xpath(".//tr[td]")]
    return {(row[header.index("平台")], row[header.index("账号名称")]) for row in rows}


def test_media_page_lists_six_accounts_and_is_linked(served):
    servers, _ = served
    page = fetch(servers.portal + "/xmt/")
    assert page.status == 200
    html = page.body.decode("utf-8")
    root = lxml.html.fromstring(page.body)
    assert root.findtext(".//title").startswith("政务新媒体")
    crumbs = root.xpath('string(//div[@class="crumbs"])')
    assert re.sub(r"\s", "", crumbs) == "当前位置：首页>政务新媒体"
    assert table_accounts(page.body) == LISTED
    images = root.xpath("//table//img")
    assert len(images) == 6 and all("二维码" in img.get("alt") for img in images)
    for img in images:
        answer = fetch(servers.portal + img.get("src"))
        assert answer.status == 200 and answer.content_type == "image/png"
    assert "滇中文旅" not in html
    for linking in ("/", "/wzdt.html"):
        hrefs = lxml.html.fromstring(fetch(servers.portal + linking).body).xpath("//a[normalize-space()='政务新媒体']/@href")
        assert hrefs == ["/xmt/"], linking


# ----- govmon's own readers, once they exist


def _module(name: str):
    """govmon/facts/<name>.py: govmon's own reader."""
    return importlib.import_module(f"govmon.facts.{name}")


def _day(published) -> date:
    """A post's China date from what latest_post gives: an ISO string, a datetime or a date."""
    if isinstance(published, str):
        published = published if len(published) > 10 else date.fromisoformat(published)
        if isinstance(published, str):
            published = datetime.fromisoformat(published)
    if isinstance(published, datetime):
        return china(published).date()
    return published


def test_govmon_reads_each_mirror_to_the_intended_newest_date(served, mirrors):
    mirrors_module = _module("mirrors")
    _, manifest = served
    for key, account in manifest["accounts"].items():
        for url in account["mirrors"]:
            answer = mirrors[url]
            if answer.status != 200:
                continue  # an HTTP error is the fetcher's to report
            try:
                mirror = mirrors_module.read_mirror(answer.body, answer.content_type, url, AS_OF)
            except mirrors_module.MirrorError:
                assert url.endswith("/rsshub/wechat/feeddd/dzfb"), url  # only the cut-off feed is malformed
                continue
            newest = mirrors_module.latest_post(mirror)
            if url.endswith("/rsshub/wechat/feeddd/dzfb"):  # read leniently: nothing dated in it
                assert newest is None or getattr(newest, "published", None) is None
            elif account["verdict"] == "closed":
                assert mirror.closed, url
                assert newest is None
            else:
                assert not mirror.closed, url
                assert newest is not None, url
                published = getattr(newest, "published", newest)
                assert _day(published).isoformat() == account["latest"], (key, url, published)


def test_govmon_reads_the_six_accounts_of_the_media_page(served):
    accounts_module = _module("accounts")
    servers, _ = served
    url = servers.portal + "/xmt/"
    listed = accounts_module.listed_accounts(fetch(url).body.decode("utf-8"), url)
    assert {(a.platform, a.name) for a in listed} == LISTED
    assert len(listed) == 6
