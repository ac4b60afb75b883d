"""Mirrors of new-media accounts: RSSHub RSS, Atom and JSON Feed, HTML lists, dates in China time, closures."""

import json
from datetime import date
from pathlib import Path

import pytest

from govmon.facts.mirrors import Mirror, MirrorError, Post, latest_post, read_mirror

MIRRORS = Path(__file__).parent / "pages" / "mirrors"
RSSHUB = "https://rsshub.example.cn"
SITE = "http://www.dianzhong.gov.cn"
AS_OF = date(2026, 11, 23)


def fixture(name: str) -> bytes:
    return (MIRRORS / name).read_bytes()


def rss(items: str, title: str = "滇中发布", description: str = "滇中发布 - Powered by RSSHub") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
  <channel>
    <title><![CDATA[{title}]]></title>
    <link>https://weibo.com/6543210987/</link>
    <description><![CDATA[{description}]]></description>
    <generator>RSSHub</generator>
    <lastBuildDate>Mon, 23 Nov 2026 02:00:00 GMT</lastBuildDate>{items}
  </channel>
</rss>
""".encode()


def item(title: str, pub_date: str | None = None, description: str = "", link: str = "https://weibo.com/1/Pb1") -> str:
    pub = f"<pubDate>{pub_date}</pubDate>" if pub_date else ""
    return (f"\n    <item><title><![CDATA[{title}]]></title><description><![CDATA[{description}]]></description>"
            f"{pub}<link>{link}</link></item>")


def read(body: bytes, content_type: str | None = "application/rss+xml", as_of: date | None = AS_OF) -> Mirror:
    return read_mirror(body, content_type, f"{RSSHUB}/weibo/user/6543210987", as_of)


def page(body: str, title: str = "滇中发布 - 文章列表") -> bytes:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>".encode()


# ----- feeds


def test_rsshub_wechat_rss_served_as_html() -> None:
    """RSSHub behind a proxy answers text/html; the times are GMT, newest first in China time."""
    mirror = read_mirror(fixture("rsshub_wechat_mp.xml"), "text/html; charset=utf-8",
                         f"{RSSHUB}/wechat/mp/MzA5NjE4MDQ2MA==", AS_OF)

    assert (mirror.kind, mirror.title, mirror.closed) == ("rss", "滇中发布", None)
    assert mirror.posts == [
        Post("权威发布｜滇中市冬春火灾防控工作方案出台", "https://mp.weixin.qq.com/s/7hQ2bVx9cRkT1mZpL0sWgA",
             "2026-11-09T08:30:00+08:00", "Mon, 09 Nov 2026 00:30:00 GMT"),
        Post("今日滇中｜乡村振兴这样推进", "https://mp.weixin.qq.com/s/Qm3cVf0aZ8yU1rT6pN4hKw",
             "2026-11-08T00:30:00+08:00", "Sat, 07 Nov 2026 16:30:00 GMT"),
        Post("一图读懂｜滇中市数字政府建设政策要点", "https://mp.weixin.qq.com/s/Xk2Pq8LmNa0dYVt3oR5eJw",
             "2026-11-06T18:05:00+08:00", "Fri, 06 Nov 2026 10:05:00 GMT"),
    ]
    assert latest_post(mirror) == mirror.posts[0]


def test_rsshub_weibo_rss_served_as_octet_stream() -> None:
    """A 转发 without title is titled by its text; the channel's lastBuildDate is no post."""
    mirror = read_mirror(fixture("rsshub_weibo_user.xml"), "application/octet-stream",
                         f"{RSSHUB}/weibo/user/6543210987", AS_OF)

    assert (mirror.kind, mirror.title) == ("rss", "滇中发布的微博")
    assert [(post.title, post.url, post.published) for post in mirror.posts] == [
        ("转发微博", "https://weibo.com/6543210987/PbR7kLm2c", "2026-11-21T09:02:03+08:00"),
        ("#滇中发布#【青屏县冬春火灾防控工作现场推进会召开】11月20日，青屏县召开……",
         "https://weibo.com/6543210987/PbQ2xYz7a", "2026-11-20T19:45:12+08:00"),
    ]


def test_atom_with_pinned_post_and_updated_only() -> None:
    """The pinned (置顶) post comes first in the feed but is the oldest; an entry with only <updated> is dated."""
    mirror = read(fixture("rsshub_weibo_atom.xml"), "application/atom+xml")

    assert (mirror.kind, mirror.title, mirror.closed) == ("atom", "滇中发布的微博", None)
    assert [(post.published, post.date_text) for post in mirror.posts] == [
        ("2026-11-08T07:45:00+08:00", "2026-11-08T07:45:00+08:00"),
        ("2026-11-06T07:10:00+08:00", "2026-11-05T23:10:00Z"),
        ("2026-09-24T10:00:00+08:00", "2026-09-24T10:00:00+08:00"),
    ]
    assert latest_post(mirror).title == "#滇中发布#【市政府常务会议研究数字政府建设工作】"


def test_json_feed_1_1() -> None:
    """RFC 3339 with Z converts to China time; a date without zone is China time; no title: the text's first line."""
    mirror = read(fixture("rsshub_douyin.json"), "application/feed+json")

    assert (mirror.kind, mirror.title, mirror.closed) == ("json", "滇中市政府的抖音", None)
    assert mirror.posts == [
        Post("跟着镜头看滇中乡村振兴", "https://www.douyin.com/video/7310000000000000002",
             "2026-11-09T21:30:00+08:00", "2026-11-09T21:30:00"),
        Post("青屏县古镇夜游开放", "https://www.douyin.com/video/7310000000000000003",
             "2026-11-05T09:00:00+08:00", "2026-11-05T09:00:00+08:00"),
        Post("一分钟了解数字政府新政策", "https://www.douyin.com/video/7310000000000000001",
             "2026-11-02T20:00:00+08:00", "2026-11-02T12:00:00Z"),
    ]


def test_json_feed_1_0_served_as_text() -> None:
    body = json.dumps({"version": "https://jsonfeed.org/version/1", "title": "滇中发布", "items": [
        {"id": "1", "url": "/p/1", "title": "市政府召开常务会议", "date_published": "2026-11-20T08:00:00+08:00"}]})

    mirror = read(body.encode(), "text/plain")

    assert mirror.kind == "json"
    assert mirror.posts == [Post("市政府召开常务会议", f"{RSSHUB}/p/1", "2026-11-20T08:00:00+08:00",
                                 "2026-11-20T08:00:00+08:00")]


@pytest.mark.parametrize(
    ("pub_date", "published"),
    [
        ("Mon, 09 Nov 2026 00:30:00 GMT", "2026-11-09T08:30:00+08:00"),
        ("Mon, 09 Nov 2026 00:30:00 +0000", "2026-11-09T08:30:00+08:00"),
        ("Mon, 09 Nov 2026 08:30:00 +0800", "2026-11-09T08:30:00+08:00"),
        ("Sun, 08 Nov 2026 20:30:00 -0400", "2026-11-09T08:30:00+08:00"),
        ("2026-11-09T08:30:00+08:00", "2026-11-09T08:30:00+08:00"),
        ("2026-11-09 08:30:00", "2026-11-09T08:30:00+08:00"),  # no zone: China time, not UTC
        ("Mon, 09 Nov 2026 08:30:00", "2026-11-09T08:30:00+08:00"),
        ("2026-11-09T08:30:00", "2026-11-09T08:30:00+08:00"),
        ("2026-11-09 08:30", "2026-11-09T08:30:00+08:00"),
        ("2026年11月9日 08:30", "2026-11-09T08:30:00+08:00"),
        ("2026/11/09", "2026-11-09"),
        ("2026-11-09", "2026-11-09"),
        ("11月9日", "2026-11-09"),
        ("11-09 08:30", "2026-11-09T08:30:00+08:00"),
        ("12月30日", "2025-12-30"),  # the latest year not after as_of
        ("昨天 08:30", "2026-11-22T08:30:00+08:00"),
        ("今天", "2026-11-23"),
        ("刚刚", "2026-11-23"),
        ("3小时前", "2026-11-23"),
        ("30小时前", "2026-11-22"),
        ("2天前", "2026-11-21"),
        ("Thu, 01 Jan 1970 00:00:00 GMT", None),  # a placeholder, no date
        ("未知", None),
    ],
)
def test_pub_date_forms(pub_date: str, published: str | None) -> None:
    post = read(rss(item("市政府召开常务会议", pub_date))).posts[0]

    assert post.published == published
    assert post.date_text == (pub_date if published else None)


@pytest.mark.parametrize("pub_date", ["3小时前", "2天前", "昨天 08:30", "今天", "11月9日"])
def test_relative_and_year_less_dates_need_as_of(pub_date: str) -> None:
    mirror = read(rss(item("市政府召开常务会议", pub_date)), as_of=None)

    assert mirror.posts == [Post("市政府召开常务会议", "https://weibo.com/1/Pb1", None, None)]
    assert latest_post(mirror) is None


def test_chinese_dates_in_description_only() -> None:
    """Without pubDate the description's date counts: the 发布 one rather than the 成文 one."""
    body = rss(item("关于冬春火灾防控的通知", description="<p>成文日期：2026年11月1日</p><p>发布日期：2026年11月3日 16:20</p>"
                    "<p>自2026年12月1日起施行。</p>", link="https://weibo.com/1/Pb1")
               + item("滇中市冬季征兵工作启动", description="<p>发布时间：2026-11-10</p><p>……</p>",
                      link="https://weibo.com/1/Pb2")
               + item("青屏县古镇夜游开放", description="<p>3小时前 来自 微博网页版</p>", link="https://weibo.com/1/Pb3"))

    posts = read(body).posts

    assert [(post.url, post.published, post.date_text) for post in posts] == [
        ("https://weibo.com/1/Pb3", "2026-11-23", "3小时前"),
        ("https://weibo.com/1/Pb2", "2026-11-10", "2026-11-10"),
        ("https://weibo.com/1/Pb1", "2026-11-03T16:20:00+08:00", "2026年11月3日 16:20"),
    ]


def test_undated_posts_keep_their_place_after_dated_ones() -> None:
    body = rss(item("第一条无日期", link="https://weibo.com/1/A") + item("旧的", "2026-11-01", link="https://weibo.com/1/B")
               + item("第二条无日期", link="https://weibo.com/1/C") + item("新的", "2026-11-20", link="https://weibo.com/1/D"))

    mirror = read(body)

    assert [post.title for post in mirror.posts] == ["新的", "旧的", "第一条无日期", "第二条无日期"]
    assert latest_post(mirror).title == "新的"


def test_empty_channel_is_a_mirror_without_posts() -> None:
    mirror = read(rss(""), "text/html")

    assert mirror == Mirror("rss", "滇中发布", [], None)
    assert latest_post(mirror) is None


def test_mislabelled_and_gbk_feeds() -> None:
    """UTF-8 declared gb2312 (common) reads as UTF-8; a real GBK feed reads by its declaration."""
    utf8 = rss(item("市政府召开常务会议", "2026-11-20")).replace(b'encoding="UTF-8"', b'encoding="gb2312"')
    gbk = rss(item("市政府召开常务会议", "2026-11-20")).decode().replace('encoding="UTF-8"', 'encoding="gbk"').encode("gbk")

    assert read(utf8).posts[0].title == read(gbk).posts[0].title == "市政府召开常务会议"


def test_truncated_feed_before_any_entry_is_malformed() -> None:
    """A feed cut off inside its first item (as a failing mirror sends it) has nothing to read."""
    full = rss(item("权威发布｜滇中市冬春火灾防控工作方案出台", "Mon, 09 Nov 2026 00:30:00 GMT"))
    cut = full[:full.index(b"<item>") + len("<item><title><![CDATA[权威".encode())]

    with pytest.raises(MirrorError, match="malformed"):
        read(cut)
    with pytest.raises(MirrorError, match="malformed"):
        read(full[:full.index(b"<channel>") + 20])


def test_truncated_feed_keeps_what_it_read() -> None:
    """Entries before the cut are posts, one cut before its date is undated, one cut in its title is dropped."""
    full = rss(item("新的", "2026-11-20", link="https://weibo.com/1/A")
               + item("旧的", "2026-11-01", link="https://weibo.com/1/B"))

    before_date = read(full[:full.rindex(b"<pubDate>")])
    in_title = read(full[:full.rindex(b"<item>") + len("<item><title><![CDATA[旧".encode())])

    assert [(post.title, post.published) for post in before_date.posts] == [("新的", "2026-11-20"), ("旧的", None)]
    assert [(post.title, post.published) for post in in_title.posts] == [("新的", "2026-11-20")]


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"", "application/rss+xml", "empty"),
        (b"  \n", "text/html", "empty"),
        ('{"version": "https://jsonfeed.org/version/1.1", "title": "滇中发布", "items": ['.encode(), "application/json",
         "invalid JSON"),
        (b'{"errcode": 0, "data": []}', "application/json", "JSON Feed"),
        (bytes(range(256)) * 8, "application/octet-stream", "binary"),
        (page("<h1>Looks like something went wrong</h1><p>Error message: 接口请求失败：Service Unavailable</p>"),
         "text/html", "no list"),
    ],
)
def test_unreadable_bodies(body: bytes, content_type: str, message: str) -> None:
    with pytest.raises(MirrorError, match=message):
        read(body, content_type)


def test_closed_account_feed() -> None:
    """RSSHub's feed of a closed account: the notice in the description, no posts, and no error."""
    mirror = read(rss("", title="滇中城管的微博", description="该账号已注销"))

    assert mirror == Mirror("rss", "滇中城管的微博", [], "该账号已注销")


@pytest.mark.parametrize("notice", ["该账号已被封禁", "该帐号因违规无法查看", "此账号已迁移", "账号不存在", "账号已停用"])
def test_closure_notices_in_titles(notice: str) -> None:
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>滇中城管 - {notice}</title><id>x</id><updated>2026-11-23T08:00:00+08:00</updated></feed>")

    assert read(atom.encode()).closed == notice


# ----- HTML list pages


def test_html_archive_with_spans() -> None:
    """Date spans inside the link: the title and a time shown without zone (China time)."""
    mirror = read_mirror(fixture("archive_spans.html"), "text/html; charset=utf-8", f"{SITE}/archive/dzwl/", AS_OF)

    assert (mirror.kind, mirror.title, mirror.closed) == ("html", "滇中文旅 - 历史文章", None)
    assert mirror.posts == [
        Post("周末去哪儿｜青屏县秋冬旅游攻略来了", f"{SITE}/archive/dzwl/2026112000.html",
             "2026-11-20T09:00:00+08:00", "2026-11-20 09:00"),
        Post("滇中非遗｜走进青屏县的手艺人", f"{SITE}/archive/dzwl/2026111801.html",
             "2026-11-18T19:30:00+08:00", "2026-11-18 19:30"),
        Post("文旅资讯｜乡村旅游精品线路发布", f"{SITE}/archive/dzwl/2026111402.html",
             "2026-11-14T08:05:00+08:00", "2026-11-14 08:05"),
    ]


def test_html_table_of_the_sites_own_page_in_gbk() -> None:
    """A post titled 已注销… is no closure notice; the navigation and breadcrumb are no posts."""
    mirror = read_mirror(fixture("site_table.html"), "text/html", f"{SITE}/xmt/wx/", AS_OF)

    assert (mirror.kind, mirror.closed) == ("html", None)
    assert [(post.url, post.published) for post in mirror.posts] == [
        (f"{SITE}/xmt/wx/202611/t20261121_102.html", "2026-11-21T07:40:00+08:00"),
        (f"{SITE}/xmt/wx/202611/t20261120_101.html", "2026-11-20T18:02:00+08:00"),
        (f"{SITE}/xmt/wx/202611/t20261117_100.html", "2026-11-17"),
    ]
    assert mirror.posts[0].title == "滇中市2026年冬季征兵工作启动"


def test_html_list_with_relative_and_year_less_dates() -> None:
    body = page("<ul class='wb'>"
                "<li><a href='/wb/PbQ2xYz7a'>青屏县冬春火灾防控工作现场推进会召开</a> <em>3小时前</em></li>"
                "<li><a href='/wb/PbP1aBc3d'>市政府常务会议研究数字政府建设工作</a> <em>昨天 20:15</em></li>"
                "<li><a href='/wb/PbN0zYx9w'>乡村振兴，滇中在行动乡村振兴</a> <em>11-09 08:30</em></li></ul>")

    dated = read_mirror(body, "text/html", f"{SITE}/wb/", AS_OF).posts
    undated = read_mirror(body, "text/html", f"{SITE}/wb/").posts

    assert [(post.published, post.date_text) for post in dated] == [
        ("2026-11-23", "3小时前"), ("2026-11-22T20:15:00+08:00", "昨天 20:15"),
        ("2026-11-09T08:30:00+08:00", "11-09 08:30"),
    ]
    assert [post.published for post in undated] == [None, None, None]


def test_html_page_saying_the_account_is_closed() -> None:
    body = page("<div class='nav'><a href='/'>首页</a></div><div class='empty'><p>该账号已注销，内容无法查看</p></div>",
                title="滇中城管")

    assert read_mirror(body, "text/html", f"{SITE}/archive/dzcg/", AS_OF) == Mirror("html", "滇中城管", [], "该账号已注销")


def test_html_archive_of_a_closed_account_keeps_its_posts() -> None:
    body = page("<p class='notice'>此账号已迁移至“滇中发布”</p><ul>"
                "<li><a href='/a/2026101501.html'>市政府召开第40次常务会议</a><span>2026-10-15</span></li>"
                "<li><a href='/a/2026100802.html'>滇中市秋季征兵工作启动</a><span>2026-10-08</span></li></ul>")

    mirror = read_mirror(body, "text/html", f"{SITE}/a/", AS_OF)

    assert mirror.closed == "此账号已迁移"
    assert latest_post(mirror) == Post("市政府召开第40次常务会议", f"{SITE}/a/2026101501.html", "2026-10-15", "2026-10-15")


def test_html_year_less_dates_without_as_of_take_the_pages_year() -> None:
    """As on any list page (items.py): the year of the page's latest full date, while relative dates stay undated."""
    body = page("<ul><li><a href='/a/1.html'>市政府召开第45次常务会议</a><span>2026-11-20</span></li>"
                "<li><a href='/a/2.html'>滇中市冬季征兵工作启动</a><span>11-09</span></li>"
                "<li><a href='/a/3.html'>青屏县古镇夜游开放啦</a><span>3小时前</span></li></ul>")

    posts = read_mirror(body, "text/html", f"{SITE}/a/").posts

    assert [(post.published, post.date_text) for post in posts] == [
        ("2026-11-20", "2026-11-20"), ("2026-11-09", "11-09"), (None, None)]


def test_rss_1_0_rdf_with_dc_date() -> None:
    body = ('<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>滇中发布</title>'
            '</channel><item><title>市政府召开常务会议</title><link>https://weibo.com/1/Pb1</link>'
            "<dc:date>2026-11-09T00:30:00Z</dc:date></item></rdf:RDF>")

    mirror = read(body.encode(), "text/xml")

    assert (mirror.kind, mirror.title) == ("rss", "滇中发布")
    assert mirror.posts == [Post("市政府召开常务会议", "https://weibo.com/1/Pb1", "2026-11-09T08:30:00+08:00",
                                 "2026-11-09T00:30:00Z")]
