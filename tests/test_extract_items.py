"""List pages: their items (title, URL, date), emptiness, pagination links and page count."""

from datetime import date
from pathlib import Path

import pytest

from govmon.facts import ExtractError
from govmon.facts.document import Document
from govmon.facts.encoding import decode_html
from govmon.facts.list_items import Item, extract_items, is_empty_list, item_lists
from govmon.facts.pagination import page_count, pagination_links

LISTS = Path(__file__).parent / "pages" / "lists"
BASE = "http://www.example.gov.cn/tzgg/"
AS_OF = date(2026, 11, 23)


def fixture(name: str) -> str:
    return decode_html((LISTS / name).read_bytes(), None)[0]


def page(body: str, head: str = "") -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def items(body: str, as_of: date | None = AS_OF, url: str = BASE) -> list[Item]:
    return extract_items(page(body), url, as_of)


def shown(found: list[Item]) -> list[tuple[str, str, str | None]]:
    return [(item.title, item.url.removeprefix(BASE), item.date) for item in found]


TITLES = ("关于做好2026年冬季防火工作的通知", "关于开展安全生产大检查的通知", "关于公布第二批示范单位名单的公告")


def entries(template: str, dates: tuple[str, ...]) -> str:
    return "".join(
        template.format(href=f"t{index}.html", title=title, date=shown_date)
        for index, (title, shown_date) in enumerate(zip(TITLES, dates))
    )


MAIN_ROWS = entries('<li><a href="{href}">{title}</a><span>{date}</span></li>', ("2026-11-02", "2026-10-28", "2026-09-30"))
EXPECTED = [(TITLES[0], "t0.html", "2026-11-02"), (TITLES[1], "t1.html", "2026-10-28"), (TITLES[2], "t2.html", "2026-09-30")]


@pytest.mark.parametrize(
    ("layout", "dates"),
    [
        pytest.param('<ul class="list">{}</ul>', '<li><a href="{href}">{title}</a><span class="date">{date}</span></li>',
                     id="li-date-span-after"),
        pytest.param("<ul>{}</ul>", '<li><span class="time">{date}</span><a href="{href}">{title}</a></li>',
                     id="li-date-before"),
        pytest.param("<ul>{}</ul>", '<li><a href="{href}">{title}</a> {date}</li>', id="li-date-in-tail"),
        pytest.param("<table>{}</table>", '<tr><td><a href="{href}">{title}</a></td><td>{date}</td></tr>',
                     id="table-date-column"),
        pytest.param("<div class='news'>{}</div>", '<div class="item"><a href="{href}">{title}</a><em>{date}</em></div>',
                     id="div-rows"),
        pytest.param("<dl>{}</dl>", '<dt><a href="{href}">{title}</a></dt><dd>{date}</dd>', id="dl-dt-dd"),
        pytest.param("<div>{}</div>", '<dl><dt><a href="{href}">{title}</a></dt><dd>发布日期：{date}</dd></dl>',
                     id="repeated-dl"),
        pytest.param("<div class='con'>{}</div>", '<p><a href="{href}">{title}</a><span>{date}</span></p>', id="p-rows"),
        pytest.param("<div class='con'>{}</div>", '<a href="{href}">{title}</a>　{date}<br>', id="bare-links-date-after"),
        pytest.param("<div class='con'>{}</div>", '<span>{date}</span> <a href="{href}">{title}</a><br>',
                     id="bare-links-date-before"),
        pytest.param("<ul>{}</ul>",
                     '<li><a href="{href}"><span class="t">{title}</span><span class="d">{date}</span></a></li>',
                     id="date-inside-link"),
    ],
)
def test_list_shapes(layout: str, dates: str) -> None:
    body = layout.format(entries(dates, ("2026-11-02", "2026-10-28", "2026-09-30")))

    assert shown(items(body)) == EXPECTED


@pytest.mark.parametrize(
    ("shown_date", "date_text", "expected"),
    [
        ("[2026-11-02]", "[2026-11-02]", "2026-11-02"),
        ("（2026-11-02）", "（2026-11-02）", "2026-11-02"),
        ("【2026-11-02】", "【2026-11-02】", "2026-11-02"),
        ("(2026/11/02)", "(2026/11/02)", "2026-11-02"),
        ("2026/11/2", "2026/11/2", "2026-11-02"),
        ("2026.11.02", "2026.11.02", "2026-11-02"),
        ("2026年11月2日", "2026年11月2日", "2026-11-02"),
        ("2026 年 11 月 02 日", "2026 年 11 月 02 日", "2026-11-02"),
        ("２０２６-１１-０２", "２０２６-１１-０２", "2026-11-02"),
        ("2026-11-02 09:30", "2026-11-02 09:30", "2026-11-02"),
        ("发布时间：2026-11-02", "2026-11-02", "2026-11-02"),
        ("11-02", "11-02", "2026-11-02"),
        ("[11-02]", "[11-02]", "2026-11-02"),
        ("【11/02】", "【11/02】", "2026-11-02"),
        ("11月2日", "11月2日", "2026-11-02"),
        ("12-30", "12-30", "2025-12-30"),
        ("2026-13-45", None, None),
    ],
)
def test_date_forms(shown_date: str, date_text: str | None, expected: str | None) -> None:
    body = f'<ul><li><a href="a.html">{TITLES[0]}</a><span>{shown_date}</span></li></ul>'

    [item] = items(body)

    assert (item.date, item.date_text) == (expected, date_text)


def test_year_less_dates_take_the_latest_year_not_after_as_of() -> None:
    body = "<ul>" + "".join(
        f'<li><a href="t{index}.html">{title}</a><span>{shown_date}</span></li>'
        for index, (title, shown_date) in enumerate(zip(TITLES, ("01-03", "12-30", "01-05")))
    ) + "</ul>"

    dated = [item.date for item in items(body, as_of=date(2026, 1, 5))]

    assert dated == ["2026-01-03", "2025-12-30", "2026-01-05"]


def test_february_29_without_year_goes_back_to_a_leap_year() -> None:
    body = f'<ul><li><a href="a.html">{TITLES[0]}</a><span>02-29</span></li></ul>'

    assert items(body, as_of=date(2026, 3, 1))[0].date == "2024-02-29"


def test_year_less_dates_without_as_of_use_the_pages_latest_full_date() -> None:
    body = (f'<div class="today">今天是2026年1月5日</div><ul><li><a href="a.html">{TITLES[0]}</a><span>12-30</span></li>'
            f'<li><a href="b.html">{TITLES[1]}</a><span>01-04</span></li></ul>')

    assert [item.date for item in items(body, as_of=None)] == ["2025-12-30", "2026-01-04"]


def test_year_less_date_without_any_reference_keeps_its_text_only() -> None:
    body = f'<ul><li><a href="a.html">{TITLES[0]}</a><span>[12-30]</span></li></ul>'

    assert items(body, as_of=None) == [Item(TITLES[0], BASE + "a.html", None, "[12-30]")]


def test_numbers_in_titles_are_not_year_less_dates() -> None:
    body = '<ul><li><a href="a.html">关于11-12月份工作安排的通知</a></li><li><a href="b.html">3.15消费者权益日活动</a></li></ul>'

    assert [item.date_text for item in items(body)] == [None, None]


def test_a_date_in_the_title_is_not_the_items_date() -> None:
    body = '<ul><li><a href="a.html">2026年11月2日新闻发布会实录</a><span>2026-11-03</span></li></ul>'

    assert [(item.title, item.date) for item in items(body)] == [("2026年11月2日新闻发布会实录", "2026-11-03")]


def test_title_only_with_its_date_has_no_date() -> None:
    body = '<ul><li><a href="a.html">2026年11月2日新闻发布会实录</a></li><li><a href="b.html">某县召开常务会议研究部署工作</a></li></ul>'

    assert [item.date for item in items(body)] == [None, None]


@pytest.mark.parametrize(
    ("link", "title"),
    [
        ('<a href="a.html" title="关于进一步加强冬春火灾防控工作的通知">关于进一步加强冬春火灾…</a>', "关于进一步加强冬春火灾防控工作的通知"),
        ('<a href="a.html" title="关于进一步加强冬春火灾防控工作的通知">关于进一步加强冬春火灾...</a>', "关于进一步加强冬春火灾防控工作的通知"),
        ('<a href="a.html">关于进一步加强冬春火灾…</a>', "关于进一步加强冬春火灾…"),
        ('<a href="a.html" title="网站标题属性不同">关于进一步加强冬春火灾防控工作的通知</a>', "关于进一步加强冬春火灾防控工作的通知"),
        ('<a href="a.html">  关于进一步\n\t加强　冬春火灾  </a>', "关于进一步 加强 冬春火灾"),
        ('<a href="a.html">· 关于进一步加强冬春火灾防控工作的通知</a>', "关于进一步加强冬春火灾防控工作的通知"),
        ('<a href="a.html"><img src="p.jpg" alt="关于进一步加强冬春火灾防控工作"></a>', "关于进一步加强冬春火灾防控工作"),
    ],
)
def test_titles(link: str, title: str) -> None:
    body = f"<ul><li>{link}<span>2026-11-02</span></li><li><a href='b.html'>{TITLES[1]}</a><span>2026-11-01</span></li></ul>"

    assert items(body)[0].title == title


def test_urls_are_absolute_without_fragments_and_each_url_once() -> None:
    body = ('<ul><li><a href="202611/t1.html#p1">关于做好冬季防火工作的通知</a><span>2026-11-02</span></li>'
            '<li><a href="/xxgk/t2.html">关于开展安全生产检查的通知</a><span>2026-11-01</span></li>'
            '<li><a href="202611/t1.html">关于做好冬季防火工作的通知</a><span>2026-11-02</span></li>'
            '<li><a href="http://other.gov.cn/a/t3.html">关于转发省政府文件的通知</a><span>2026-10-30</span></li></ul>')

    assert [item.url for item in items(body)] == [
        "http://www.example.gov.cn/tzgg/202611/t1.html",
        "http://www.example.gov.cn/xxgk/t2.html",
        "http://other.gov.cn/a/t3.html",
    ]


def test_base_href_resolves_relative_links() -> None:
    html = page(f'<ul><li><a href="t1.html">{TITLES[0]}</a><span>2026-11-02</span></li></ul>',
                head='<base href="http://www.example.gov.cn/col/col12/">')

    assert extract_items(html, BASE, AS_OF)[0].url == "http://www.example.gov.cn/col/col12/t1.html"


def test_table_prefers_the_published_date_column() -> None:
    body = ("<table><tr><th>序号</th><th>标题</th><th>成文日期</th><th>发布日期</th></tr>"
            f'<tr><td>1</td><td><a href="a.html">{TITLES[0]}</a></td><td>2026-10-20</td><td>2026-10-25</td></tr>'
            f'<tr><td>2</td><td><a href="b.html">{TITLES[1]}</a></td><td>2026-10-10</td><td>2026-10-12</td></tr></table>')

    assert [item.date for item in items(body)] == ["2026-10-25", "2026-10-12"]


def test_labelled_made_date_is_passed_over_for_the_published_date() -> None:
    body = (f'<ul><li><a href="a.html">{TITLES[0]}</a><p>成文日期：2026-10-20 发布日期：2026-10-25</p></li>'
            f'<li><a href="b.html">{TITLES[1]}</a><p>成文日期：2026-10-10　2026-10-12</p></li></ul>')

    assert [item.date for item in items(body)] == ["2026-10-25", "2026-10-12"]


def test_entry_with_a_column_tag_link_takes_the_article_link() -> None:
    body = "<ul>" + "".join(
        f'<li><a href="/bmdt/">[部门动态]</a><a href="t{index}.html">{title}</a><span>2026-11-0{index + 1}</span></li>'
        for index, title in enumerate(TITLES)) + "</ul>"

    assert [item.title for item in items(body)] == list(TITLES)


def test_sidebar_of_hot_items_is_not_taken_even_when_longer() -> None:
    hot = "".join(f'<li><a href="/hot/h{n}.html">热点新闻标题第{n}条内容</a><span>2026-11-{n + 10}</span></li>'
                  for n in range(8))
    body = (f'<div class="l"><h3>热点信息</h3><ul>{hot}</ul></div>'
            f'<div class="r"><ul>{MAIN_ROWS}</ul></div>')

    assert shown(items(body)) == EXPECTED


def test_a_real_column_named_like_a_sidebar_is_kept() -> None:
    body = f'<div class="l"><div>热点信息</div></div><div class="r"><h2>热点回应</h2><ul>{MAIN_ROWS}</ul></div>'

    assert shown(items(body)) == EXPECTED


@pytest.mark.parametrize("region", ['<div class="xglj">{}</div>', '<div class="hotnews">{}</div>',
                                    '<div class="rank-list">{}</div>', "<nav>{}</nav>", "<footer>{}</footer>",
                                    '<div class="box"><div class="tit">相关链接</div><div>{}</div></div>'])
def test_lists_in_excluded_regions_are_never_items(region: str) -> None:
    links = "".join(f'<li><a href="/x/t{n}.html">其他区域的文章标题{n}</a><span>2026-11-0{n}</span></li>' for n in range(1, 4))
    body = region.format(f"<ul>{links}</ul>") + '<div class="main"><ul class="list"></ul></div>'

    assert items(body) == []


def test_pager_and_more_links_are_not_items() -> None:
    body = (f'<ul>{MAIN_ROWS}</ul>'
            '<div><a href="index_1.html">2</a> <a href="index_2.html">3</a> <a href="index_1.html">下一页</a> '
            '<a href="index_9.html">尾页</a> <a href="/tzgg/">更多&gt;&gt;</a> <a href="list.html">查看更多信息</a></div>')

    assert shown(items(body)) == EXPECTED


def test_column_links_are_not_items() -> None:
    body = ('<div class="side"><ul><li><a href="/zwgk/jgzn/">机构职能介绍信息</a></li><li><a href="/zwgk/ghjh/index.html">'
            '规划计划信息公开</a></li><li><a href="/zwgk/rsxx/index_1.shtml">人事信息公开专栏</a></li></ul></div>')

    assert items(body) == []


def test_split_lists_of_one_column_are_joined() -> None:
    row = '<li><a href="{href}">{title}</a><span>{date}</span></li>'
    first = entries(row, ("2026-11-02", "2026-10-28", "2026-09-30"))
    second = "".join(row.format(href=f"u{n}.html", title=f"第二组的文章标题{n}", date="2026-09-0" + str(n)) for n in (2, 1))
    body = f'<div class="list"><ul class="l">{first}</ul><div class="line"></div><ul class="l">{second}</ul></div>'

    assert [item.url.removeprefix(BASE) for item in items(body)] == ["t0.html", "t1.html", "t2.html", "u2.html", "u1.html"]


def test_dated_list_wins_over_a_longer_undated_one() -> None:
    undated = "".join(f'<li><a href="/zt/z{n}.html">专题报道标题第{n}期</a></li>' for n in range(6))
    body = f'<ul class="zt">{undated}</ul><ul class="list">{MAIN_ROWS}</ul>'

    assert shown(items(body)) == EXPECTED


def test_undated_list_is_still_a_list() -> None:
    body = '<ul class="list">' + "".join(f'<li><a href="g{n}.html">办事指南第{n}项事项名称</a></li>' for n in range(3)) + "</ul>"

    assert [(item.title, item.date, item.date_text) for item in items(body)] == [
        (f"办事指南第{n}项事项名称", None, None) for n in range(3)]


@pytest.mark.parametrize(
    "main",
    [
        '<div class="list">暂无信息</div>',
        '<ul class="list"><li>暂无数据</li></ul>',
        "<table><tr><td>没有找到相关信息！</td></tr></table>",
        '<p class="empty">该栏目暂无相关信息</p>',
        '<div>本栏目正在建设中……</div>',
        '<div>共0条 暂无记录</div>',
    ],
)
def test_empty_list_pages_say_so(main: str) -> None:
    html = page(f'<div class="nav"><ul><li><a href="/zwgk/">政务公开</a></li></ul></div><div class="main">{main}</div>'
                '<div class="footer">版权所有 2002-2026</div>')

    assert extract_items(html, BASE, AS_OF) == []
    assert is_empty_list(html)


def test_empty_list_beside_a_dated_hot_sidebar_is_empty() -> None:
    hot = "".join(f'<li><a href="/hot/h{n}.html">热点新闻标题第{n}条内容</a><span>2026-11-1{n}</span></li>' for n in range(4))
    html = page(f'<div class="side"><h3>热门文章</h3><ul>{hot}</ul></div><div class="main">暂无信息</div>')

    assert extract_items(html, BASE, AS_OF) == []
    assert is_empty_list(html)


def test_empty_ul_has_no_items_but_does_not_say_it_is_empty() -> None:
    html = page('<div class="main"><ul class="list" id="list"></ul><script>loadList();</script></div>')

    assert extract_items(html, BASE, AS_OF) == []
    assert not is_empty_list(html)


def test_a_full_list_is_not_empty_even_beside_an_empty_block() -> None:
    html = fixture("demo_fdzdgknr_blocks.html")

    assert "暂无信息" in html
    assert not is_empty_list(html)


def test_footer_words_do_not_make_a_page_empty() -> None:
    html = page('<ul><li><a href="a.html">关于做好冬季防火工作的通知</a></li></ul><div class="footer">暂无信息</div>')

    assert not is_empty_list(html)


def test_unparseable_document_raises() -> None:
    with pytest.raises(ExtractError):
        extract_items("   ", BASE)


# ----- the demo portal's list pages

DEMO = "http://www.dianzhong.gov.cn"


def test_demo_notices_with_bracketed_dates() -> None:
    found = extract_items(fixture("demo_tzgg_first.html"), f"{DEMO}/tzgg/", AS_OF)

    assert len(found) == 15
    assert found[0] == Item("关于开展2026年度招商引资专项检查的通知", f"{DEMO}/tzgg/202611/t20261120_4128201.html",
                            "2026-11-20", "[2026-11-20]")
    assert found[-1].date == "2026-10-10"
    assert all(item.url.startswith(f"{DEMO}/tzgg/2026") for item in found)


def test_demo_policy_table() -> None:
    found = extract_items(fixture("demo_zcwj_table.html"), f"{DEMO}/zcwj/", AS_OF)

    assert len(found) == 20
    assert (found[0].title, found[0].date) == ("滇中市人民政府关于进一步加强防汛抗旱工作的实施意见", "2026-11-09")
    assert all(item.date for item in found)


def test_demo_gbk_page() -> None:
    found = extract_items(fixture("demo_bmdt_gbk.html"), f"{DEMO}/bmdt/index_2.html", AS_OF)

    assert len(found) == 10
    assert found[0].title == "市人力资源和社会保障局李堃带队赴青屏县调研优化营商环境工作"
    assert [item.date for item in found][-1] == "2026-06-11"


def test_demo_chinese_dates_beside_a_column_sidebar() -> None:
    found = extract_items(fixture("demo_rsxx_side.html"), f"{DEMO}/zwgk/fdzdgknr/rsxx/", AS_OF)

    assert len(found) == 10
    assert (found[0].date, found[0].date_text) == ("2026-11-03", "2026年11月03日")
    assert all("/rsxx/20" in item.url for item in found)


def test_demo_last_page() -> None:
    found = extract_items(fixture("demo_xwzx_last.html"), f"{DEMO}/xwzx/index_4.html", AS_OF)

    assert shown(found) == [
        ("南涧县防汛抗旱工作取得阶段性成效", f"{DEMO}/xwzx/202607/t20260715_4126856.html", "2026-07-15"),
        ("石门县多措并举抓实耕地保护", f"{DEMO}/xwzx/202607/t20260713_4126915.html", "2026-07-13"),
    ]


def test_demo_empty_column() -> None:
    html = fixture("demo_ghjh_empty.html")

    assert extract_items(html, f"{DEMO}/zwgk/fdzdgknr/ghjh/", AS_OF) == []
    assert is_empty_list(html)


def test_demo_homepage_main_list_and_every_block() -> None:
    html = fixture("demo_home.html")
    document = Document(html, f"{DEMO}/")

    main = extract_items(html, f"{DEMO}/", AS_OF)
    lists = item_lists(document, AS_OF)

    assert [item.date for item in main][:2] == ["2026-11-22", "2026-11-21"]
    assert len(main) == 8
    assert len(lists) == 5  # 要闻动态, 通知公告, 政策文件, 政策解读, 部门动态 (图片新闻 is inside 要闻)
    assert max(item.date for block in lists for item in block if item.date) == "2026-11-22"
    assert {block[0].url.split("/")[3] for block in lists} == {"xwzx", "tzgg", "zcwj", "zcjd", "bmdt"}


def test_trs_page_with_hot_sidebar_and_truncated_titles() -> None:
    found = extract_items(fixture("trs_list.html"), "http://www.example.gov.cn/xwzx/gzdt/", AS_OF)

    assert [(item.title, item.date) for item in found] == [
        ("某县召开2026年第十次县政府常务会议研究部署重点工作", "2026-11-20"),
        ("县领导带队督导检查冬季安全生产工作", "2026-11-18"),
        ("某县扎实推进高标准农田建设", "2026-11-12"),
        ("某县开展“宪法宣传周”主题活动", "2026-11-05"),
    ]
    assert found[3].url == "http://www.example.gov.cn/xwzx/gzdt/202611/t20261105_1004.html"


# ----- pagination

@pytest.mark.parametrize(
    ("current", "hrefs", "expected"),
    [
        ("/tzgg/", ["index_1.html", "index_2.html", "index_1.html"], ["/tzgg/index_1.html", "/tzgg/index_2.html"]),
        ("/tzgg/index_1.shtml", ["index.shtml", "index_2.shtml"], ["/tzgg/index.shtml", "/tzgg/index_2.shtml"]),
        ("/xwzx/page_1.html", ["page_2.html", "page_3.html"], ["/xwzx/page_2.html", "/xwzx/page_3.html"]),
        ("/tzgg/", ["page_2.html", "page_3.html"], ["/tzgg/page_2.html", "/tzgg/page_3.html"]),
        ("/news/list_1.htm", ["list_3.htm", "list_2.htm"], ["/news/list_2.htm", "/news/list_3.htm"]),
        ("/news/list.jsp?catid=3", ["list.jsp?catid=3&page=2", "?catid=3&page=3"],
         ["/news/list.jsp?catid=3&page=2", "/news/list.jsp?catid=3&page=3"]),
        ("/news/list.aspx?pageIndex=2", ["list.aspx?pageIndex=1", "list.aspx?pageIndex=3"],
         ["/news/list.aspx?pageIndex=1", "/news/list.aspx?pageIndex=3"]),
        ("/col/col12/index.html?uid=5", ["index.html?uid=5&p=2", "index.html?uid=5&p=3"],
         ["/col/col12/index.html?uid=5&p=2", "/col/col12/index.html?uid=5&p=3"]),
        ("/tzgg/index_3.html", ["./", "index.html", "index_2.html", "index_4.html"],
         ["/tzgg/", "/tzgg/index_2.html", "/tzgg/index_4.html"]),
    ],
)
def test_pagination_url_shapes(current: str, hrefs: list[str], expected: list[str]) -> None:
    pager = " ".join(f'<a href="{href}">{n}</a>' for n, href in enumerate(hrefs, start=2))
    html = page(f'<ul><li><a href="t1.html">关于做好冬季防火工作的通知</a></li></ul><div class="page">{pager}</div>')

    site = "http://www.example.gov.cn"
    assert pagination_links(html, site + current) == [site + path for path in expected]


def test_next_and_last_links_without_numbers() -> None:
    html = page('<div class="pages"><span>首页</span> <span>上一页</span> <a href="index_1.html">下一页</a> '
                '<a href="index_9.html">尾页</a></div>')

    assert pagination_links(html, BASE) == [BASE + "index_1.html", BASE + "index_9.html"]


def test_links_that_leave_the_list_are_not_pages() -> None:
    html = page('<a href="/xwzx/index_1.html">要闻动态</a> <a href="/tzgg/sub/index_1.html">子栏目</a> '
                '<a href="http://other.gov.cn/tzgg/index_1.html">外站</a> <a href="202611/t20261101_1.html">文章</a> '
                '<a href="detail_12.html">留言</a> <a href="?keyword=防火">搜索</a> <a href="javascript:goPage(2)">2</a> '
                '<a href="/">首页</a> <a href="index_1.html">2</a>')

    assert pagination_links(html, BASE) == [BASE + "index_1.html"]


def test_the_current_page_is_left_out() -> None:
    html = page('<a href="/tzgg/">1</a> <a href="/tzgg/index.html">1</a> <a href="index_1.html">2</a>')

    assert pagination_links(html, BASE + "index.html") == [BASE + "index_1.html"]
    assert pagination_links(html, BASE) == [BASE + "index_1.html"]


def test_an_article_page_has_no_list_pages() -> None:
    html = page('<div class="crumb"><a href="/tzgg/">通知公告</a></div><a href="detail_3805.html">上一篇</a>')

    assert pagination_links(html, BASE + "detail_3806.html") == []


@pytest.mark.parametrize(
    ("script", "current", "expected"),
    [
        ('createPageHTML(5, 0, "index", "html");', "", ["index_1.html", "index_2.html", "index_3.html", "index_4.html"]),
        ("createPageHTML(4, 2, 'index', 'shtml');", "index_2.shtml", ["index.shtml", "index_1.shtml", "index_3.shtml"]),
        ("var currentPage = 0;\nvar countPage = 3//共多少页\ncreatePageHTML(countPage, currentPage, \"index\", \"htm\");",
         "", ["index_1.htm", "index_2.htm"]),
        ("createPageHTML('page_div', 3, 1, 'list', 'html', 42);", "list_1.html", ["list.html", "list_2.html"]),
        ('createPageHTML(1, 0, "index", "html");', "", []),
    ],
)
def test_trs_create_page_html(script: str, current: str, expected: list[str]) -> None:
    html = page(f'<div class="page"><script>{script}</script></div>')

    assert pagination_links(html, BASE + current) == [BASE + name for name in expected]


def test_trs_definition_is_not_a_call() -> None:
    html = page("<script>function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){}</script>")

    assert pagination_links(html, BASE) == []
    assert page_count(html) is None


def test_demo_pagers() -> None:
    first = fixture("demo_tzgg_first.html")
    last = fixture("demo_xwzx_last.html")
    gbk = fixture("demo_bmdt_gbk.html")

    assert pagination_links(first, f"{DEMO}/tzgg/") == [f"{DEMO}/tzgg/index_1.html", f"{DEMO}/tzgg/index_2.html"]
    assert pagination_links(last, f"{DEMO}/xwzx/index_4.html") == [
        f"{DEMO}/xwzx/", f"{DEMO}/xwzx/index_1.html", f"{DEMO}/xwzx/index_2.html", f"{DEMO}/xwzx/index_3.html"]
    assert pagination_links(gbk, f"{DEMO}/bmdt/index_2.html") == [f"{DEMO}/bmdt/", f"{DEMO}/bmdt/index_1.html"]
    assert (page_count(first), page_count(last), page_count(gbk)) == (3, 5, 3)


def test_trs_fixture_pages_and_count() -> None:
    html = fixture("trs_list.html")

    assert pagination_links(html, "http://www.example.gov.cn/xwzx/gzdt/") == [
        f"http://www.example.gov.cn/xwzx/gzdt/index_{n}.shtml" for n in (1, 2, 3)]
    assert page_count(html) == 4


@pytest.mark.parametrize(
    ("pager", "count"),
    [
        ("共5页", 5),
        ("共 12 页", 12),
        ("第1页 共5页", 5),
        ("共45条记录 第1/3页", 3),
        ("当前第2页/共7页", 7),
        ("页次：1/6 每页15条", 6),
        ('<div class="page">1/5 <a href="index_1.html">下一页</a></div>', 5),
        ('<div class="pagination"><span>2 / 8</span></div>', 8),
        ("总页数：9", 9),
        ('<script>createPageHTML(6, 0, "index", "html");</script>', 6),
        ('<script>document.write("共4页");</script>', 4),
        ("共45条", None),
        ("<p>发布时间：2026/11/02 阅读 1/5</p>", None),
        ("", None),
    ],
)
def test_page_count(pager: str, count: int | None) -> None:
    assert page_count(page(f"<ul><li>x</li></ul>{pager}")) == count
