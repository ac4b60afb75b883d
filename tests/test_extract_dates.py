"""Published date of a page: the date shown by the title, else meta, else URL; never body text, footers or
other articles' list items. The meta date is kept on its own (published_meta)."""

from pathlib import Path

import pytest

from govmon.facts import extract_facts
from govmon.facts.encoding import decode_html

PAGES = Path(__file__).parent / "pages"
PLAIN_URL = "https://www.example.gov.cn/art/page.html"


def published(html: str, url: str = PLAIN_URL) -> tuple[str | None, str | None]:
    facts = extract_facts(html, url)
    return facts["published"], facts["published_source"]


def published_meta(html: str) -> str | None:
    return extract_facts(html, PLAIN_URL)["published_meta"]


def article(header: str, body: str = "<p>正文内容。</p>", head: str = "") -> str:
    return (
        f"<html><head><meta charset='utf-8'>{head}<title>标题</title></head><body>"
        f"<h1>关于做好防汛工作的通知</h1><div class='info'>{header}</div>"
        f"<div class='content'>{body}</div>"
        "<div class='footer'>版权所有 2002-2024 某市人民政府 建议使用1024×768分辨率</div></body></html>"
    )


@pytest.mark.parametrize(
    ("name", "content", "expected", "source"),
    [
        ("PubDate", "2021-07-05 10:30", "2021-07-05", "meta:PubDate"),
        ("pubdate", "2021/7/5", "2021-07-05", "meta:PubDate"),
        ("publishdate", "2021-07-05", "2021-07-05", "meta:publishdate"),
        ("firstpublishedtime", "2021-07-05-10:30:05", "2021-07-05", "meta:firstpublishedtime"),
        ("firstpublishedtime", "20210705103005", "2021-07-05", "meta:firstpublishedtime"),
        ("PubDate", "2021年7月5日", "2021-07-05", "meta:PubDate"),
    ],
)
def test_meta_dates_without_a_shown_date(name: str, content: str, expected: str, source: str) -> None:
    html = article("来源：某市人民政府办公室", head=f"<meta name='{name}' content='{content}'>")

    assert published(html) == (expected, source)
    assert published_meta(html) == expected


def test_shown_date_wins_over_a_disagreeing_meta_date_and_both_are_kept() -> None:
    html = article("发布时间：2009-09-30 10:53", head="<meta name='PubDate' content='2023-05-12 23:20'>")

    assert published(html) == ("2009-09-30", "header")
    assert published_meta(html) == "2023-05-12"


def test_no_meta_date_is_none() -> None:
    assert published_meta(article("发布时间：2021-07-05")) is None


def test_property_meta_date() -> None:
    html = article("", head="<meta property='article:published_time' content='2021-07-05T10:30:00+08:00'>")

    assert published(html) == ("2021-07-05", "meta:article:published_time")


def test_invalid_meta_date_is_no_date() -> None:
    html = article("发布时间：2021-07-05", head="<meta name='PubDate' content='2021-13-45'>")

    assert published(html) == ("2021-07-05", "header")
    assert published_meta(html) is None


@pytest.mark.parametrize(
    "header",
    [
        "发布时间：2021-07-05",
        "发布时间:2021-07-05",
        "发布时间 ： 2021-07-05",
        "发布日期：2021-07-05",
        "日期：2021-07-05",
        "时间：2021-07-05",
        "发文日期：2021-07-05",
        "发布时间：2021/7/5",
        "发布时间：2021.07.05",
        "发布时间：2021年7月5日",
        "发布时间：2021年07月05日 10:30",
        "发布时间：2021 年 7 月 5 日",
        "发布时间：2021-07-05 10:30:45",
        "发布时间：２０２１－０７－０５",
        "发布日期 : 2021-07-05",
        "发表时间：2021-07-05",
        "<span>日期：</span><span>2021-07-05</span>",
        "发布日期：2021-07-05 <a href='/jc/4056'>【内容纠错】</a>",
        "来源：某市人民政府办公室　　发布时间：2021-07-05　　浏览次数：123",
        "<span>发布时间：</span><span>2021-07-05</span>",
        "<table><tr><td>发布日期</td><td>2021-07-05</td></tr></table>",
        "<ul><li>发布时间：2021-07-05</li><li>来源：某市政府</li></ul>",
    ],
)
def test_labelled_header_dates(header: str) -> None:
    assert published(article(header)) == ("2021-07-05", "header")


def test_published_label_wins_over_made_date_and_generic_labels() -> None:
    header = (
        "<table><tr><td>成文日期：2021-06-20</td><td>时间：2021-06-30</td></tr>"
        "<tr><td>发文日期：2021-06-25</td><td>发布日期：2021-07-05</td></tr></table>"
    )

    assert published(article(header)) == ("2021-07-05", "header")


def test_made_date_alone_is_not_a_published_date() -> None:
    assert published(article("成文日期：2021-06-20 截止日期：2021-08-01")) == (None, None)


@pytest.mark.parametrize(
    "header",
    ["发布时间：2021-13-05", "发布时间：2021-02-30", "发布时间：1989-12-31", "发布时间：2021年2月29日"],
)
def test_impossible_or_too_old_dates_are_rejected(header: str) -> None:
    assert published(article(header)) == (None, None)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.yn.gov.cn/zwgk/zcwj/202106/t20210624_123456.html", "2021-06-24"),
        ("http://www.gov.cn/zhengce/content/2021-06/24/content_5620000.htm", "2021-06-24"),
        ("http://www.example.gov.cn/news/20210624/1234.html", "2021-06-24"),
        ("http://www.example.gov.cn/news/202106/24/c_1234.html", "2021-06-24"),
        ("http://www.zj.gov.cn/art/2021/6/24/art_1229019364_59117000.html", "2021-06-24"),
    ],
)
def test_url_dates(url: str, expected: str) -> None:
    assert published(article(""), url) == (expected, "url")


@pytest.mark.parametrize(
    "url",
    [
        "http://www.example.gov.cn/news/t20211324_1.html",
        "http://www.example.gov.cn/news/t19891231_1.html",
        "http://www.example.gov.cn/news/12345678901.html",
        "http://www.example.gov.cn/list.html?date=20210624",
    ],
)
def test_urls_without_a_valid_date(url: str) -> None:
    assert published(article(""), url) == (None, None)


def test_header_wins_over_url() -> None:
    html = article("发布时间：2021-07-05")

    assert published(html, "https://www.yn.gov.cn/zwgk/202106/t20210624_1.html") == ("2021-07-05", "header")


@pytest.mark.parametrize(
    "header",
    [
        "2021-07-05 10:30",
        "2021年07月05日 来源：某市人民政府办公室",
        "来源：某市人民政府办公室 2021-07-05",
        "( 2021-07-05)",
        "<span>2021年07月05日</span><span>来源: 某市日报</span><span>作者: 记者 某某</span>",
    ],
)
def test_unlabelled_date_line_under_the_title(header: str) -> None:
    assert published(article(header)) == ("2021-07-05", "header")


def test_date_after_the_title_in_its_own_heading() -> None:
    html = ("<html><head><title>关于做好防汛工作的通知</title></head><body><h2>关于做好防汛工作的通知"
            "<small>2021-07-05 <span>来源：某市日报</span></small></h2><div class='content'><p>正文。</p></div></body></html>")

    assert published(html) == ("2021-07-05", "header")


@pytest.mark.parametrize(
    "body",
    [
        "<p>现将有关事项通知如下。</p><p style='text-align:right'>某市人民政府办公室</p><p>2021年7月5日</p>",
        "<p>时间：2021年10月1日上午9时</p><p>地点：市民中心</p>",
        "<p>展会时间：2024年5月8日至2024年5月10日 9:00-17:30</p>",
        "<p>董寿平先生1997年6月21日在北京逝世。</p>",
    ],
)
def test_dates_in_the_body_are_never_the_published_date(body: str) -> None:
    assert published(article("", body)) == (None, None)


def test_date_values_of_other_labels_under_the_title_are_skipped() -> None:
    header = "<dl><dt>开始时间：</dt><dd>2024-05-08</dd></dl><dl><dt>成文日期：</dt><dd>2024-05-01</dd></dl>"

    assert published(article(header)) == (None, None)


def test_url_wins_over_body_text() -> None:
    body = "<p>2020年1月1日</p>"

    assert published(article("", body), "https://x.gov.cn/a/t20210624_1.html") == ("2021-06-24", "url")


def test_footer_dates_are_never_taken() -> None:
    html = (
        "<html><body><div class='content'><p>正文内容。</p></div>"
        "<div id='footer'><p>更新日期：2024年1月2日</p><p>时间：2024-01-02</p></div>"
        "<footer>2024年1月3日</footer></body></html>"
    )

    assert published(html) == (None, None)


def test_copyright_years_are_not_dates() -> None:
    html = "<html><body><p>正文。</p><div>版权所有 2002-2024 某市人民政府</div></body></html>"

    assert published(html) == (None, None)


def test_list_page_has_no_single_date() -> None:
    text, _ = decode_html((PAGES / "list_page.html").read_bytes(), None)

    assert published(text, "https://www.example.gov.cn/tzgg/index.html") == (None, None)


def test_list_page_with_a_meta_date_uses_the_meta() -> None:
    text, _ = decode_html((PAGES / "list_page.html").read_bytes(), None)
    text = text.replace("</head>", "<meta name='PubDate' content='2024-07-06'></head>")

    assert published(text, "https://www.example.gov.cn/tzgg/index.html") == ("2024-07-06", "meta:PubDate")


def test_list_items_of_other_articles_are_skipped_but_the_page_header_is_taken() -> None:
    text, _ = decode_html((PAGES / "sichuan_article.html").read_bytes(), None)

    assert published(text) == ("2022-01-10", "header")


def test_related_articles_before_the_header_are_skipped() -> None:
    html = (
        "<html><body><ul class='related'>"
        "<li><a href='/a/1.html'>关于印发某某实施方案的通知</a> 2020年1月1日</li>"
        "<li><a href='/a/2.html'>关于开展某某工作的意见</a><span>发布时间：2020-02-02</span></li></ul>"
        "<dl><dt><a href='/a/3.html'>某某工作情况通报</a></dt><dd>2020年3月3日</dd></dl>"
        "<h1>关于做好防汛工作的通知</h1><p>2021年7月5日</p><div class='content'><p>正文内容。</p></div></body></html>"
    )

    assert published(html) == ("2021-07-05", "header")


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("yunnan_article.html", (None, None)),
        ("sichuan_article.html", ("2022-01-10", "header")),
        ("meta_only.html", ("2024-03-06", "header")),
        ("gbk_declared_gb2312.html", ("2021-07-05", "header")),
        ("gb18030_declared.html", ("2023-03-15", "header")),
        ("portal_home.html", (None, None)),
        ("no_footer.html", (None, None)),
    ],
)
def test_published_dates_of_page_shapes(fixture: str, expected: tuple) -> None:
    text, _ = decode_html((PAGES / fixture).read_bytes(), None)

    assert published(text) == expected
