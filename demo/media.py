"""The demo portal's government new-media accounts (政务新媒体): the portal's 政务新媒体 page, the accounts'
mirrors on the external server (a local stand-in for RSSHub, and one account's HTML archive), the registry's
[[account]] entries and the manifest's verdicts and MEDIA defects.

Every account is defined once, in ACCOUNTS; the page, the mirrors, the registry and the manifest are all made from
it. Post dates are relative to as_of and their times are China time (UTC+8), written the way each format writes
them: RSS in GMT (the newest WeChat post's GMT date is the day before its China date), Atom with +08:00, JSON Feed
without a zone (China time, as the checks read it), the HTML archive as 2026年11月20日.

Seeded: 微博 滇中发布 silent for 15 days (MEDIA-1), 抖音 滇中市政府 silent for exactly 14 days (MEDIA-1, the
boundary) and without interaction (MEDIA-3), 微博 滇中城管 closed (MEDIA-2), 快手 滇中融媒 listed but not registered
and 微信公众号 滇中文旅 registered but not listed (MEDIA-4). 今日头条 滇中政务's only mirror answers 503: unknown, no
finding. 微信公众号 滇中发布's first mirror is a cut-off feed, its second works: active.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import format_datetime
from html import escape

from . import assets
from . import content as c
from . import pages as p
from .routes import EXTERNAL

MEDIA_PAGE = "/xmt/"  # the portal's 政务新媒体 page
QR_FOLDER = "/images/xmt/"
CHINA = timezone(timedelta(hours=8))
DORMANT_DAYS = 14  # MEDIA-1: the newest post 14 or more days old is dormant, 13 is not

# What a mirror answers. Working kinds carry the account's posts; "closed" is a feed saying the account is closed,
# "malformed" a feed cut off before its first date, an int an HTTP error status.
WORKING = ("rss", "atom", "json", "html")
CONTENT_TYPES = {"rss": "application/rss+xml; charset=utf-8", "closed": "application/rss+xml; charset=utf-8",
                 "malformed": "application/rss+xml; charset=utf-8", "atom": "application/atom+xml; charset=utf-8",
                 "json": "application/feed+json; charset=utf-8", "html": "text/html; charset=utf-8"}
CLOSED_NOTICE = "该账号已注销"


@dataclass(frozen=True)
class Mirror:
    path: str  # on the external server
    kind: str | int  # a WORKING kind, "closed", "malformed" or an HTTP status


@dataclass(frozen=True)
class Account:
    platform: str
    name: str
    sponsor: str
    slug: str  # the QR image's name
    id: str | None = None  # the registry id; None: not registered (未报备)
    listed: bool = True  # on the portal's 政务新媒体 page
    mirrors: tuple[Mirror, ...] = ()
    silent_days: int | None = None  # the newest post's age in days on as_of (China time)
    newest_time: time = time(9, 0)  # the newest post's China time of day
    interaction: bool | None = None  # the registry's; None: left out

    @property
    def verdict(self) -> str:
        """What the checks must conclude from the mirrors: closed, dormant, active or unknown."""
        kinds = [mirror.kind for mirror in self.mirrors]
        if "closed" in kinds:
            return "closed"
        if not any(kind in WORKING for kind in kinds):
            return "unknown"
        return "dormant" if self.silent_days >= DORMANT_DAYS else "active"

    def latest(self, as_of: date) -> date | None:
        """The newest post's China date, as the working mirrors show it (None: no verdict from posts)."""
        return as_of - timedelta(days=self.silent_days) if self.verdict in ("dormant", "active") else None


ACCOUNTS = (
    Account("微信公众号", "滇中发布", c.SPONSOR, "wx_dzfb", "dz-wechat",
            mirrors=(Mirror("/rsshub/wechat/feeddd/dzfb", "malformed"), Mirror("/rsshub/wechat/mp/dzfb", "rss")),
            silent_days=1, newest_time=time(7, 30), interaction=True),
    Account("微博", "滇中发布", c.SPONSOR, "wb_dzfb", "dz-weibo", mirrors=(Mirror("/rsshub/weibo/user/dzfb", "atom"),),
            silent_days=15, newest_time=time(7, 45), interaction=True),
    Account("微博", "滇中城管", "滇中市城市管理局", "wb_dzcg", "dzcg-weibo",
            mirrors=(Mirror("/rsshub/weibo/user/dzcg", "closed"),)),
    Account("抖音", "滇中市政府", c.SPONSOR, "dy_dzszf", "dz-douyin", mirrors=(Mirror("/rsshub/douyin/user/dzszf", "json"),),
            silent_days=14, newest_time=time(21, 30), interaction=False),
    Account("今日头条", "滇中政务", c.SPONSOR, "tt_dzzw", "dz-toutiao", mirrors=(Mirror("/rsshub/toutiao/user/dzzw", 503),),
            interaction=True),
    Account("快手", "滇中融媒", "滇中市融媒体中心", "ks_dzrm"),
    Account("微信公众号", "滇中文旅", "滇中市文化和旅游局", "wx_dzwl", "dzwl-wechat", listed=False,
            mirrors=(Mirror("/archive/dzwl/", "html"),), silent_days=3, interaction=True),
)

POST_TITLES = {
    "微信公众号": ("权威发布｜滇中市{topic}工作方案出台", "{district}：{topic}跑出“加速度”", "今日滇中｜{topic}这样推进",
              "一图读懂｜滇中市{topic}政策要点", "关注｜{district}{topic}取得新进展", "滇中这些地方入选省级{topic}示范名单"),
    "微博": ("#滇中发布#【{district}{topic}工作现场推进会召开】", "#滇中发布#【市政府常务会议研究{topic}工作】",
           "#关注#【{topic}，滇中在行动】", "#滇中发布#【{district}：{topic}惠及群众{people}余人】"),
    "抖音": ("{district}的{topic}，原来是这样的！", "跟着镜头看滇中{topic}", "一分钟了解{topic}新政策",
           "{district}{topic}现场直击"),
    "文旅": ("周末去哪儿｜{district}秋冬旅游攻略来了", "{district}入选省级旅游度假区名单", "滇中文旅｜{district}古镇夜游开放",
           "滇中非遗｜走进{district}的手艺人", "文旅资讯｜{district}乡村旅游精品线路发布"),
}


def accounts_listed() -> list[Account]:
    return [a for a in ACCOUNTS if a.listed]


def accounts_registered() -> list[Account]:
    return [a for a in ACCOUNTS if a.id]


# ----- the portal's page


def qr_files() -> dict[str, bytes]:
    """The QR code images of the listed accounts (solid squares: nobody scans them)."""
    return {f"{QR_FOLDER}{a.slug}.png": assets.png(100, 100, (30 + 30 * n, 30, 30))
            for n, a in enumerate(accounts_listed())}


def media_page() -> str:
    """The 政务新媒体 page: a table of the accounts, with their sponsors and QR codes."""
    rows = "".join(
        f"<tr><td>{n}</td><td>{a.platform}</td><td>{a.name}</td><td>{a.sponsor}</td>"
        f'<td><img src="{QR_FOLDER}{a.slug}.png" alt="{a.name}{a.platform}二维码" width="100" height="100"></td></tr>'
        for n, a in enumerate(accounts_listed(), start=1))
    main = (p.crumbs((), "政务新媒体")
            + '<div class="column"><h2>政务新媒体</h2>\n'
              "<p>滇中市人民政府及市级部门开设的政务新媒体账号如下，欢迎扫码关注。</p>\n"
              '<table class="xmt"><tr><th>序号</th><th>平台</th><th>账号名称</th><th>主办单位</th><th>二维码</th></tr>'
            + rows + "</table>\n"
              '<p>如发现假冒政务新媒体账号，请通过<a href="/lxwm.html">联系我们</a>反映。</p>\n</div>')
    return p.frame(title=f"政务新媒体_{c.SITE_NAME}", main=main)


# ----- the mirrors on the external server


@dataclass(frozen=True)
class Post:
    title: str
    at: datetime  # China time
    link: str


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


def external_site(as_of: date, rng: random.Random) -> dict[str, Answer]:
    """The mirrors (and the archive's post pages) by path on the external server; links carry EXTERNAL."""
    built = datetime.combine(as_of, time(8, 0), CHINA)  # when "RSSHub" built the feeds: a fresh date, not a post's
    site: dict[str, Answer] = {}
    for account in ACCOUNTS:
        for mirror in account.mirrors:
            if isinstance(mirror.kind, int):
                site[mirror.path] = Answer(mirror.kind, "text/html; charset=utf-8", _rsshub_error(account).encode())
                continue
            posts = _posts(account, mirror, as_of, rng) if mirror.kind in WORKING else []
            if mirror.kind == "rss":
                body = _rss(account, mirror, posts, built)
            elif mirror.kind == "closed":
                body = _rss(account, mirror, [], built, description=CLOSED_NOTICE)
            elif mirror.kind == "malformed":
                full = _rss(account, mirror, _posts(account, Mirror(mirror.path, "rss"), as_of, rng), built)
                body = full[:full.index("<item>") + len("<item>\n      <title><![CDATA[") + 6]  # before any date
            elif mirror.kind == "atom":
                body = _atom(account, mirror, posts, built, rng)
            elif mirror.kind == "json":
                body = _json_feed(account, mirror, posts)
            else:
                body = _archive(account, posts)
                for post in posts:
                    site[post.link.removeprefix(EXTERNAL)] = Answer(200, CONTENT_TYPES["html"],
                                                                    _archive_post(account, post, rng).encode())
            site[mirror.path] = Answer(200, CONTENT_TYPES[mirror.kind], body.encode())
    return dict(sorted(site.items()))


def _posts(account: Account, mirror: Mirror, as_of: date, rng: random.Random) -> list[Post]:
    """The account's posts, newest first: the newest silent_days before as_of at newest_time, then older ones."""
    titles = POST_TITLES["文旅" if account.slug == "wx_dzwl" else account.platform]
    newest = datetime.combine(as_of - timedelta(days=account.silent_days), account.newest_time, CHINA)
    posts = []
    for n in range(12):
        if n == 0:
            at = newest
        else:
            day = posts[-1].at.date() - timedelta(days=rng.randint(1, 4))
            at = datetime.combine(day, time(rng.randint(7, 21), rng.randint(0, 59)), CHINA)
        title = rng.choice(titles).format(topic=rng.choice(c.TOPICS), district=rng.choice(c.DISTRICTS),
                                          people=rng.randint(2, 90) * 1000)
        if mirror.kind == "html":
            link = f"{EXTERNAL}{mirror.path}{at:%Y%m%d}{n:02d}.html"
        else:
            link = f"{EXTERNAL}/{account.slug.replace('_', '/')}/{at:%Y%m%d}{rng.randint(10**6, 10**7 - 1)}"
        posts.append(Post(title, at, link))
    return posts


def _rss(account: Account, mirror: Mirror, posts: list[Post], built: datetime, description: str = "") -> str:
    """An RSSHub RSS 2.0 feed: pubDate in GMT; lastBuildDate is when the feed was built, not a post."""
    title = f"{account.name}的微博" if account.platform == "微博" else account.name
    items = "".join(f"""
    <item>
      <title><![CDATA[{post.title}]]></title>
      <description><![CDATA[<p>{post.title}。</p>]]></description>
      <pubDate>{_gmt(post.at)}</pubDate>
      <guid isPermaLink="false">{post.link}</guid>
      <link>{post.link}</link>
      <author><![CDATA[{account.name}]]></author>
    </item>""" for post in posts)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
  <channel>
    <title><![CDATA[{title}]]></title>
    <link>{EXTERNAL}/{account.slug.replace('_', '/')}</link>
    <atom:link href="{EXTERNAL}{mirror.path}" rel="self" type="application/rss+xml"></atom:link>
    <description><![CDATA[{description or f"{account.sponsor}{account.platform} - Powered by RSSHub"}]]></description>
    <generator>RSSHub</generator>
    <webMaster>contact@rsshub.example (RSSHub)</webMaster>
    <language>zh-cn</language>
    <lastBuildDate>{_gmt(built)}</lastBuildDate>
    <ttl>5</ttl>{items}
  </channel>
</rss>
"""


def _atom(account: Account, mirror: Mirror, posts: list[Post], built: datetime, rng: random.Random) -> str:
    """An RSSHub Atom feed, times with +08:00, the pinned (置顶) post first though it is older than the others; the
    feed's own <updated> is when it was built."""
    pinned_at = datetime.combine(posts[0].at.date() - timedelta(days=45), time(10, 0), CHINA)
    pinned = Post(f"【置顶】欢迎关注{account.name}官方微博", pinned_at,
                  f"{EXTERNAL}/{account.slug.replace('_', '/')}/{pinned_at:%Y%m%d}{rng.randint(10**6, 10**7 - 1)}")
    entries = "".join(f"""
  <entry>
    <title>{escape(post.title)}</title>
    <id>{post.link}</id>
    <link href="{post.link}"/>
    <published>{post.at.isoformat()}</published>
    <updated>{post.at.isoformat()}</updated>
    <author><name>{account.name}</name></author>
    <content type="html">{escape(f"<p>{post.title}</p>")}</content>
  </entry>""" for post in [pinned, *posts])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-cn">
  <title>{account.name}的微博</title>
  <subtitle>{account.sponsor}官方微博 - Powered by RSSHub</subtitle>
  <link href="{EXTERNAL}/{account.slug.replace('_', '/')}" rel="alternate"/>
  <link href="{EXTERNAL}{mirror.path}" rel="self"/>
  <id>{EXTERNAL}{mirror.path}</id>
  <updated>{built.isoformat()}</updated>
  <generator>RSSHub</generator>{entries}
</feed>
"""


def _json_feed(account: Account, mirror: Mirror, posts: list[Post]) -> str:
    """An RSSHub JSON Feed 1.1 whose date_published has no zone (China time)."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"{account.name}的抖音",
        "home_page_url": f"{EXTERNAL}/{account.slug.replace('_', '/')}",
        "feed_url": f"{EXTERNAL}{mirror.path}",
        "description": f"{account.sponsor}{account.platform} - Powered by RSSHub",
        "language": "zh-cn",
        "items": [{"id": post.link, "url": post.link, "title": post.title, "content_html": f"<p>{post.title}</p>",
                   "date_published": post.at.replace(tzinfo=None).isoformat(), "authors": [{"name": account.name}]}
                  for post in posts],
    }
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"


def _archive(account: Account, posts: list[Post]) -> str:
    """An account's article archive: an HTML list of posts dated 2026年11月20日."""
    rows = "".join(f'<li><a href="{post.link.rsplit("/", 1)[1]}" target="_blank">{escape(post.title)}</a>'
                   f'<span class="date">{_chinese(post.at.date())}</span></li>\n' for post in posts)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{account.name} - 历史文章</title>
</head>
<body>
<div class="profile"><h1>{account.name}</h1><p>{account.sponsor}官方{account.platform}</p></div>
<ul class="archive">
{rows}</ul>
</body>
</html>
"""


def _archive_post(account: Account, post: Post, rng: random.Random) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{escape(post.title)}</title>
</head>
<body>
<h1>{escape(post.title)}</h1>
<p class="meta">{account.name} {_chinese(post.at.date())} {post.at:%H:%M}</p>
<p>{escape(post.title)}。阅读 {rng.randint(300, 9000)}</p>
</body>
</html>
"""


def _rsshub_error(account: Account) -> str:
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Error - RSSHub</title></head><body>"
            "<h1>Looks like something went wrong</h1>"
            f"<p>Error message: {account.platform}接口请求失败：Service Unavailable</p></body></html>")


def _gmt(at: datetime) -> str:
    return format_datetime(at.astimezone(UTC), usegmt=True)


def _chinese(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ----- the registry and the manifest


def registry_toml(external: str) -> str:
    """The [[account]] tables of the registered accounts, mirrors on the external server at `external`."""
    tables = []
    for a in accounts_registered():
        mirrors = ", ".join(f'"{external}{m.path}"' for m in a.mirrors)
        lines = [f'id = "{a.id}"', f'platform = "{a.platform}"', f'name = "{a.name}"', f'sponsor = "{a.sponsor}"',
                 'site = "demo"', f"mirrors = [{mirrors}]"]
        if a.interaction is not None:
            lines.append(f"interaction = {str(a.interaction).lower()}")
        tables.append("[[account]]\n" + "\n".join(lines) + "\n")
    return "\n".join(tables)


def manifest_accounts(as_of: date) -> dict[str, dict]:
    """The registered accounts' expected verdicts, by registry id."""
    found = {}
    for a in accounts_registered():
        latest = a.latest(as_of)
        found[a.id] = {"platform": a.platform, "name": a.name, "sponsor": a.sponsor,
                       "mirrors": ["{external}" + m.path for m in a.mirrors], "interaction": a.interaction,
                       "listed": a.listed, "verdict": a.verdict, "latest": latest.isoformat() if latest else None,
                       "silent_days": (as_of - latest).days if latest else None}
    return found


def media_defects(as_of: date) -> list[dict]:
    """The MEDIA defects (without id and site), the portal's page as {portal}: MEDIA-1 … MEDIA-4 in order."""
    defects = []
    for a in accounts_registered():
        if a.verdict == "dormant":
            latest = a.latest(as_of)
            defects.append({"rule": "MEDIA-1", "where": f"account:{a.id}", "account": a.id, "latest": p.iso(latest),
                            "silent_days": a.silent_days,
                            "note": f"{a.platform}“{a.name}”{a.silent_days}天未更新（最新发布于{p.iso(latest)}）"})
    for a in accounts_registered():
        if a.verdict == "closed":
            defects.append({"rule": "MEDIA-2", "where": f"account:{a.id}", "account": a.id,
                            "note": f"{a.platform}“{a.name}”{CLOSED_NOTICE}"})
    for a in accounts_registered():
        if a.interaction is False:
            defects.append({"rule": "MEDIA-3", "where": f"account:{a.id}", "account": a.id,
                            "note": f"{a.platform}“{a.name}”无有效互动功能"})
    for a in ACCOUNTS:
        if a.listed and not a.id:
            defects.append({"rule": "MEDIA-4", "where": f"{{portal}}{MEDIA_PAGE}#{a.platform}:{a.name}",
                            "platform": a.platform, "name": a.name,
                            "note": f"网站政务新媒体栏目公布的{a.platform}“{a.name}”未报备"})
    for a in ACCOUNTS:
        if a.id and not a.listed:
            defects.append({"rule": "MEDIA-4", "where": f"account:{a.id}", "account": a.id,
                            "note": f"台账中的{a.platform}“{a.name}”未在网站政务新媒体栏目中公布"})
    return defects
