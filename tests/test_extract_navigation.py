"""Columns from navigation bars, site maps and breadcrumbs; navigation-only gateway homepages."""

from pathlib import Path

import pytest

from govmon.facts.encoding import decode_html
from govmon.facts.navigation import ColumnLink, breadcrumb, is_navigation_only, nav_columns, sitemap_columns

PAGES = Path(__file__).parent / "pages"
SITE = "http://www.example.gov.cn"
DEMO = "http://www.dianzhong.gov.cn"
DEMO_NAV = ["要闻动态", "政府信息公开", "政策文件", "政策解读", "通知公告", "部门动态", "办事服务", "互动交流"]


def fixture(name: str) -> str:
    return decode_html((PAGES / name).read_bytes(), None)[0]


def page(body: str, head: str = "") -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def triples(columns: list[ColumnLink]) -> list[tuple[str, str, str | None]]:
    return [(column.name, column.url.removeprefix(SITE), column.parent) for column in columns]


# ----- navigation bar

def test_demo_navigation_bar() -> None:
    columns = nav_columns(fixture("lists/demo_tzgg_first.html"), f"{DEMO}/tzgg/")

    assert [column.name for column in columns] == DEMO_NAV
    assert columns[0] == ColumnLink("要闻动态", f"{DEMO}/xwzx/", None, "nav")
    assert {column.source for column in columns} == {"nav"}


def test_drop_downs_give_second_level_columns() -> None:
    html = page(
        '<ul class="nav">'
        '<li><a href="/">首页</a></li>'
        '<li><a href="/zwgk/">政务公开</a><ul class="sub"><li><a href="/zwgk/tzgg/">通知公告</a></li>'
        '<li><a href="/zwgk/zcwj/">政策文件</a></li></ul></li>'
        '<li><a href="/hdjl/">互动交流</a>'
        '<div class="drop"><a href="/hdjl/zxzx/">咨询投诉</a><a href="/hdjl/myzj/">民意征集</a></div></li>'
        '<li><a href="/bsfw/">办事服务</a></li></ul>'
    )

    assert triples(nav_columns(html, SITE + "/")) == [
        ("政务公开", "/zwgk/", None),
        ("通知公告", "/zwgk/tzgg/", "政务公开"),
        ("政策文件", "/zwgk/zcwj/", "政务公开"),
        ("互动交流", "/hdjl/", None),
        ("咨询投诉", "/hdjl/zxzx/", "互动交流"),
        ("民意征集", "/hdjl/myzj/", "互动交流"),
        ("办事服务", "/bsfw/", None),
    ]


def test_drop_down_header_without_a_link_is_only_a_parent() -> None:
    html = page(
        '<div id="menu"><ul>'
        '<li><span>政务公开</span><ul><li><a href="/zwgk/tzgg/">通知公告</a></li><li><a href="/zwgk/rsxx/">人事信息</a></li></ul></li>'
        '<li><a href="javascript:void(0)">互动交流</a><ul><li><a href="/hdjl/zxzx/">咨询投诉</a></li></ul></li>'
        '<li><a href="/bsfw/">办事服务</a></li></ul></div>'
    )

    assert triples(nav_columns(html, SITE + "/")) == [
        ("通知公告", "/zwgk/tzgg/", "政务公开"),
        ("人事信息", "/zwgk/rsxx/", "政务公开"),
        ("咨询投诉", "/hdjl/zxzx/", "互动交流"),
        ("办事服务", "/bsfw/", None),
    ]


@pytest.mark.parametrize(
    "container",
    ["<nav>{}</nav>", '<div id="daohang">{}</div>', '<div class="main-menu">{}</div>', '<div class="lanmu">{}</div>',
     '<div class="header"><div class="logo"><a href="/"><img alt="某市"></a></div><div class="navbar">{}</div></div>'],
)
def test_navigation_containers(container: str) -> None:
    links = "".join(f'<a href="/{path}/">{name}</a>' for path, name in
                    (("xwzx", "新闻中心"), ("zwgk", "政务公开"), ("bsfw", "办事服务"), ("hdjl", "互动交流"), ("zjms", "走进某市")))
    html = page('<div class="top"><a href="/wza/">无障碍</a></div>' + container.format(links))

    assert [column.name for column in nav_columns(html, SITE + "/")] == ["新闻中心", "政务公开", "办事服务", "互动交流", "走进某市"]


@pytest.mark.parametrize(
    "link",
    ['<a href="/">首页</a>', '<a href="/index.html">网站首页</a>', '<a href="/wzdt/">网站地图</a>', '<a href="/wza/">无障碍浏览</a>',
     '<a href="/en/">English</a>', '<a href="/login.jsp">用户登录</a>', '<a href="/zc/">注册</a>',
     '<a href="http://www.gov.cn/">中国政府网</a>', '<a href="http://www.yn.gov.cn/zwgk/">省政府信息公开</a>',
     '<a href="javascript:void(0)">更多栏目</a>', '<a href="#">返回顶部栏目</a>', '<a href="mailto:x@example.gov.cn">信箱</a>'],
)
def test_non_columns_are_skipped(link: str) -> None:
    html = page(f'<div class="nav"><a href="/zwgk/">政务公开</a>{link}<a href="/bsfw/">办事服务</a><a href="/hdjl/">互动交流</a></div>')

    assert [column.name for column in nav_columns(html, SITE + "/")] == ["政务公开", "办事服务", "互动交流"]


def test_subdomains_of_the_site_are_columns() -> None:
    html = page('<div class="nav"><a href="/zwgk/">政务公开</a><a href="http://zwfw.example.gov.cn/">办事服务</a>'
                '<a href="/hdjl/">互动交流</a><a href="http://www.example.gov.cn.evil.com/">仿冒栏目</a></div>')

    assert triples(nav_columns(html, SITE + "/")) == [
        ("政务公开", "/zwgk/", None), ("办事服务", "http://zwfw.example.gov.cn/", None), ("互动交流", "/hdjl/", None)]


def test_a_menu_class_on_a_wrapper_does_not_hide_the_bar() -> None:
    articles = "".join(f'<li><a href="/xw/t{n}.html">某县召开第{n}次常务会议研究部署近期重点工作</a></li>' for n in range(4))
    html = page(f'<div class="menu-wrap"><ul class="news">{articles}</ul>'
                '<div class="nav"><a href="/zwgk/">政务公开</a><a href="/bsfw/">办事服务</a><a href="/hdjl/">互动交流</a></div></div>')

    assert [column.name for column in nav_columns(html, SITE + "/")] == ["政务公开", "办事服务", "互动交流"]


def test_utility_bar_is_not_the_main_navigation() -> None:
    html = page(
        '<div class="topnav"><a href="/">首页</a><a href="/sjb/">手机版</a><a href="/wb/">政务微博</a><a href="/wx/">政务微信</a></div>'
        '<div class="mainnav"><ul>' + "".join(
            f'<li><a href="/{n}/">{name}</a></li>' for n, name in enumerate(["政务公开", "政务服务", "互动交流", "走进某市", "专题专栏"]))
        + "</ul></div>"
    )

    assert [column.name for column in nav_columns(html, SITE + "/")] == ["政务公开", "政务服务", "互动交流", "走进某市", "专题专栏"]


def test_lanmu_block_of_articles_is_not_navigation() -> None:
    articles = "".join(f'<li><a href="/xw/t{n}.html">某县召开第{n}次县政府常务会议研究部署近期重点工作</a></li>' for n in range(6))
    html = page(f'<div class="lanmu"><ul>{articles}</ul></div>'
                '<div class="nav"><a href="/zwgk/">政务公开</a><a href="/bsfw/">办事服务</a><a href="/hdjl/">互动交流</a></div>')

    assert [column.name for column in nav_columns(html, SITE + "/")] == ["政务公开", "办事服务", "互动交流"]


def test_without_a_marked_bar_the_first_wide_list_near_the_top() -> None:
    html = page(
        '<div class="top"><img src="/logo.png"></div>'
        '<table><tr>' + "".join(f'<td><a href="/{path}/">{name}</a></td>' for path, name in
                                (("", "首页"), ("zwgk", "政务公开"), ("xwzx", "新闻中心"), ("bsfw", "办事服务"),
                                 ("hdjl", "互动交流"), ("zsyz", "招商引资"))) + "</tr></table>"
        '<div class="footer"><a href="/a/">关于我们</a><a href="/b/">联系我们</a><a href="/c/">网站声明</a>'
        '<a href="/d/">隐私政策</a><a href="/e/">使用帮助</a></div>'
    )

    assert [column.name for column in nav_columns(html, SITE + "/")] == ["政务公开", "新闻中心", "办事服务", "互动交流", "招商引资"]


def test_existing_portal_fixture_navigation() -> None:
    columns = nav_columns(fixture("portal_home.html"), SITE + "/")
    top = [column.name for column in columns if column.parent is None]

    assert top == ["政务公开", "政务服务", "互动交流", "走进某市", "专题专栏"]
    assert ("通知公告", "/col1/sub3/", "政务公开") in triples(columns)
    assert all(column.parent != "专题" for column in columns)


def test_breadcrumb_is_not_navigation() -> None:
    html = page('<nav class="breadcrumb"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
                '<a href="/zwgk/tzgg/">通知公告</a></nav>'
                '<div class="nav"><a href="/zwgk/">政务公开</a><a href="/bsfw/">办事服务</a><a href="/hdjl/">互动交流</a></div>')

    assert [column.name for column in nav_columns(html, SITE + "/zwgk/tzgg/")] == ["政务公开", "办事服务", "互动交流"]


def test_page_without_navigation() -> None:
    assert nav_columns(page("<p>正文内容</p>"), SITE + "/") == []


# ----- site map

def test_demo_flat_site_map() -> None:
    columns = sitemap_columns(fixture("lists/demo_sitemap.html"), f"{DEMO}/wzdt.html")

    assert [column.name for column in columns] == [*DEMO_NAV, "政府信息公开指南", "咨询投诉", "办事指南", "专题专栏"]
    assert all(column.parent is None and column.source == "sitemap" for column in columns)
    assert columns[-1].url == f"{DEMO}/ztzl/"


def test_site_map_with_headings() -> None:
    html = page(
        '<div class="nav"><a href="/zwgk/">政务公开</a><a href="/bsfw/">办事服务</a><a href="/hdjl/">互动交流</a></div>'
        '<div class="main"><h2>网站地图</h2>'
        '<div class="group"><h3><a href="/zwgk/">政务公开</a></h3><ul><li><a href="/zwgk/tzgg/">通知公告</a></li>'
        '<li><a href="/zwgk/zcwj/">政策文件</a></li></ul></div>'
        '<div class="group"><h3>办事服务</h3><p>面向公众的服务</p><ul><li><a href="/bsfw/bszn/">办事指南</a></li></ul></div>'
        '<div class="group"><strong>互动交流</strong><a href="/hdjl/zxzx/">咨询投诉</a> <a href="/hdjl/myzj/">民意征集</a></div>'
        "</div>"
        '<div class="footer"><a href="/lxwm/">联系我们</a></div>'
    )

    assert triples(sitemap_columns(html, SITE + "/wzdt/")) == [
        ("政务公开", "/zwgk/", None),
        ("通知公告", "/zwgk/tzgg/", "政务公开"),
        ("政策文件", "/zwgk/zcwj/", "政务公开"),
        ("办事指南", "/bsfw/bszn/", "办事服务"),
        ("咨询投诉", "/hdjl/zxzx/", "互动交流"),
        ("民意征集", "/hdjl/myzj/", "互动交流"),
    ]


def test_site_map_as_definition_lists() -> None:
    html = page(
        '<div class="wzdt">'
        '<dl><dt><a href="/xwzx/">新闻中心</a></dt><dd><a href="/xwzx/ywdt/">要闻动态</a><a href="/xwzx/bmdt/">部门动态</a></dd></dl>'
        '<dl><dt>政务公开</dt><dd><a href="/zwgk/zfxxgkzn/">政府信息公开指南</a><a href="/zwgk/ndbg/">年度报告</a></dd></dl>'
        "</div>"
    )

    assert triples(sitemap_columns(html, SITE + "/wzdt/")) == [
        ("新闻中心", "/xwzx/", None),
        ("要闻动态", "/xwzx/ywdt/", "新闻中心"),
        ("部门动态", "/xwzx/bmdt/", "新闻中心"),
        ("政府信息公开指南", "/zwgk/zfxxgkzn/", "政务公开"),
        ("年度报告", "/zwgk/ndbg/", "政务公开"),
    ]


def test_site_map_as_a_table_with_heading_cells() -> None:
    html = page(
        '<table class="sitemap"><tr><td class="lm">政务公开</td>'
        '<td><a href="/zwgk/tzgg/">通知公告</a> <a href="/zwgk/zcjd/">政策解读</a></td></tr>'
        '<tr><td class="lm"><a href="/hdjl/">互动交流</a></td>'
        '<td><a href="/hdjl/zxzx/">咨询投诉</a> <a href="/hdjl/zxft/">在线访谈</a></td></tr></table>'
    )

    assert triples(sitemap_columns(html, SITE + "/wzdt/")) == [
        ("通知公告", "/zwgk/tzgg/", "政务公开"),
        ("政策解读", "/zwgk/zcjd/", "政务公开"),
        ("互动交流", "/hdjl/", None),
        ("咨询投诉", "/hdjl/zxzx/", "互动交流"),
        ("在线访谈", "/hdjl/zxft/", "互动交流"),
    ]


def test_site_map_as_nested_lists() -> None:
    html = page(
        '<div id="sitemap"><ul><li><a href="/zwgk/">政务公开</a><ul><li><a href="/zwgk/tzgg/">通知公告</a></li>'
        '<li><a href="/zwgk/rsxx/">人事信息</a></li></ul></li><li><a href="/bsfw/">办事服务</a></li>'
        '<li><a href="http://www.gov.cn/">中国政府网</a></li><li><a href="/">首页</a></li></ul></div>'
    )

    assert triples(sitemap_columns(html, SITE + "/wzdt/")) == [
        ("政务公开", "/zwgk/", None),
        ("通知公告", "/zwgk/tzgg/", "政务公开"),
        ("人事信息", "/zwgk/rsxx/", "政务公开"),
        ("办事服务", "/bsfw/", None),
    ]


# ----- breadcrumb

def test_demo_breadcrumb_with_links() -> None:
    columns = breadcrumb(fixture("lists/demo_zxzx_detail.html"), f"{DEMO}/hdjl/zxzx/detail_3806.html")

    assert columns == [
        ColumnLink("互动交流", f"{DEMO}/hdjl/", None, "breadcrumb"),
        ColumnLink("咨询投诉", f"{DEMO}/hdjl/zxzx/", "互动交流", "breadcrumb"),
    ]


@pytest.mark.parametrize(
    "trail",
    [
        '<div class="crumb">当前位置：首页 » 政务公开 » 通知公告</div>',
        "<p>您现在的位置： 首页 &gt; 政务公开 &gt; 通知公告 &gt; 正文</p>",
        "<div>你的位置:首页/政务公开/通知公告</div>",
        "<div>当前位置：首页 → 政务公开 → 通知公告 → 详情</div>",
    ],
)
def test_breadcrumb_without_links(trail: str) -> None:
    assert triples(breadcrumb(page(trail), SITE + "/zwgk/tzgg/t1.html")) == [("政务公开", "", None), ("通知公告", "", "政务公开")]


def test_breadcrumb_with_some_links() -> None:
    html = page('<div class="location">当前位置：<a href="/">首页</a> &gt;&gt; <a href="/zwgk/">政务公开</a> &gt;&gt; 通知公告</div>'
                '<div class="content"><h1>关于 &gt; 的通知</h1></div>')

    assert triples(breadcrumb(html, SITE + "/zwgk/tzgg/")) == [("政务公开", "/zwgk/", None), ("通知公告", "", "政务公开")]


def test_breadcrumb_of_list_items_without_a_label() -> None:
    html = page('<ol class="breadcrumb"><li><a href="/">首页</a></li><li><a href="/xxgk/">信息公开</a></li>'
                '<li><a href="/xxgk/zdly/">重点领域</a></li></ol><p>正文 &gt; 不是路径</p>')

    assert triples(breadcrumb(html, SITE + "/xxgk/zdly/")) == [("信息公开", "/xxgk/", None), ("重点领域", "/xxgk/zdly/", "信息公开")]


def test_breadcrumb_label_in_its_own_block() -> None:
    html = page('<div class="wz"><span class="label">当前位置：</span></div><div class="path"><a href="/">首页</a> &gt; '
                '<a href="/xwzx/">新闻中心</a></div>')

    assert triples(breadcrumb(html, SITE + "/xwzx/")) == [("新闻中心", "/xwzx/", None)]


@pytest.mark.parametrize(
    "trail",
    [
        '<div class="place">您所在的位置：<a href="/">首页</a> &gt; <a href="/xwzx/">新闻中心</a> &gt; '
        '<a href="/xwzx/gzdt/">工作动态</a></div>',
        '<div>您当前的位置：<a href="/">首页</a><span>></span><a href="/xwzx/">新闻中心</a><span>></span>'
        '<a href="/xwzx/gzdt/">工作动态</a></div>',
        '<ol class="breadcrumb"><span>您现在所在的位置：</span><li><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li>'
        '<li><a href="/xwzx/gzdt/">工作动态</a></li></ol>',
        '<div id="location"><a href="/">首页</a>＞<a href="/xwzx/">新闻中心</a>＞<a href="/xwzx/gzdt/">工作动态</a></div>',
        '<div class="dqwz"><table><tr><td><a href="/">首页</a></td><td>><a href="/xwzx/">新闻中心</a></td>'
        '<td>><a href="/xwzx/gzdt/">工作动态</a></td></tr></table></div>',
    ],
)
def test_breadcrumb_labels_and_label_less_trails(trail: str) -> None:
    assert triples(breadcrumb(page(trail), SITE + "/xwzx/gzdt/t1.html")) == [
        ("新闻中心", "/xwzx/", None), ("工作动态", "/xwzx/gzdt/", "新闻中心")]


def test_label_less_trail_must_start_at_the_homepage() -> None:
    html = page('<div class="position"><a href="/xwzx/">新闻中心</a> &gt; <a href="/xwzx/gzdt/">工作动态</a></div>')

    assert breadcrumb(html, SITE + "/xwzx/gzdt/t1.html") == []


def test_breadcrumb_skips_the_article_title() -> None:
    title = "关于开展2024年世界家庭医生日主题宣传活动的通知"
    html = page(f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a> &gt; {title}</div>',
                head=f'<meta name="ArticleTitle" content="{title}">')

    assert triples(breadcrumb(html, SITE + "/tzgg/t1.html")) == [("通知公告", "/tzgg/", None)]


def test_breadcrumb_falls_back_to_meta_column_name() -> None:
    html = page("<p>正文</p>", head='<meta name="ColumnName" content=" 工作 动态 ">')

    assert breadcrumb(html, SITE + "/xwzx/gzdt/t1.html") == [ColumnLink("工作 动态", "", None, "meta")]


def test_meta_column_name_naming_the_site_is_no_breadcrumb() -> None:
    html = page("<p>正文</p>", head='<meta name="SiteName" content="某市人民政府"><meta name="ColumnName" content="某市人民政府">')

    assert breadcrumb(html, SITE + "/xwzx/gzdt/t1.html") == []


def test_trs_fixture_breadcrumb() -> None:
    columns = breadcrumb(fixture("lists/trs_list.html"), SITE + "/xwzx/gzdt/")

    assert triples(columns) == [("新闻中心", "/xwzx/", None), ("工作动态", "/xwzx/gzdt/", "新闻中心")]


def test_no_breadcrumb() -> None:
    assert breadcrumb(fixture("lists/demo_home.html"), f"{DEMO}/") == []


# ----- gateway homepages

def test_gateway_homepage_is_navigation_only() -> None:
    assert is_navigation_only(fixture("lists/gateway_home.html"), SITE + "/")


def test_portal_homepage_with_dated_news_is_not() -> None:
    assert not is_navigation_only(fixture("lists/demo_home.html"), f"{DEMO}/")
    assert not is_navigation_only(fixture("portal_home.html"), SITE + "/")


def test_homepage_with_year_less_dates_is_not() -> None:
    news = "".join(f'<li><a href="/xw/t{n}.html">某县召开第{n}次常务会议</a><span>11-0{n + 1}</span></li>' for n in range(3))

    assert not is_navigation_only(page(f'<div class="nav"><a href="/zwgk/">政务公开</a></div><ul>{news}</ul>'), SITE + "/")


def test_dates_only_in_navigation_or_footer_do_not_count() -> None:
    html = page('<div class="nav"><ul><li><a href="/a/t1.html">2026年11月2日专题活动</a><span>2026-11-02</span></li>'
                '<li><a href="/a/t2.html">2026年11月3日专题活动</a><span>2026-11-03</span></li></ul></div>'
                '<div class="main"><a href="http://a.example.gov.cn/">县政府网站</a>'
                '<a href="http://b.example.gov.cn/">区政府网站</a></div>'
                '<div class="footer">更新时间：2026-11-20</div>')

    assert is_navigation_only(html, SITE + "/")


def test_page_without_links_is_not_a_gateway() -> None:
    assert not is_navigation_only(page("<p>网站维护中</p>"), SITE + "/")
