"""Article title (meta ArticleTitle or cleaned <title>) and column (meta ColumnName naming one, else breadcrumb)."""

from pathlib import Path

import pytest

from govmon.facts import extract_facts
from govmon.facts.encoding import decode_html

PAGES = Path(__file__).parent / "pages"


def facts(html: str) -> dict:
    return extract_facts(html, "https://www.example.gov.cn/a/b.html")


def titled(title: str, head: str = "") -> str:
    return f"<html><head>{head}<title>{title}</title></head><body><p>正文</p></body></html>"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("关于印发2022年工作要点的通知_云南省人民政府", "关于印发2022年工作要点的通知"),
        ("关于印发2022年工作要点的通知 - 昆明市人民政府门户网站", "关于印发2022年工作要点的通知"),
        ("关于印发2022年工作要点的通知-昆明市人民政府", "关于印发2022年工作要点的通知"),
        ("关于印发2022年工作要点的通知|某县人民政府", "关于印发2022年工作要点的通知"),
        ("关于印发2022年工作要点的通知 ｜ 某县人民政府", "关于印发2022年工作要点的通知"),
        ("关于印发2022年工作要点的通知——国家统计局", "关于印发2022年工作要点的通知"),
        ("一图读懂政府工作报告_解读_中国政府网", "一图读懂政府工作报告_解读"),
        ("某某工作情况_通知公告_某市发展和改革委员会", "某某工作情况_通知公告"),
        ("关于印发某市2021-2025年发展规划的通知", "关于印发某市2021-2025年发展规划的通知"),
        ("关于公布2021-2022年度县级文明单位名单的通知", "关于公布2021-2022年度县级文明单位名单的通知"),
        ("  关于 印发\n\t 通知  ", "关于 印发 通知"),
        ("云南省人民政府", "云南省人民政府"),
        ("首页 - 某市人民政府", "首页"),
        ("新闻 | Example", "新闻 | Example"),
        ("1-10月德清县固定资产投资结构趋稳趋优", "1-10月德清县固定资产投资结构趋稳趋优"),
        ("关于开展2024年“世界家庭医生日”主题宣传活动的通知__上海市卫生健康委员会", "关于开展2024年“世界家庭医生日”主题宣传活动的通知"),
    ],
)
def test_title_is_cleaned_of_site_name_suffixes(title: str, expected: str) -> None:
    assert facts(titled(title))["title"] == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("太原市人民政府门户网站-关于印发2022年工作要点的通知", "关于印发2022年工作要点的通知"),
        ("中国政府网_国务院关于印发2022年工作要点的通知", "国务院关于印发2022年工作要点的通知"),
        ("某市人民政府 - 关于印发2021-2025年发展规划的通知", "关于印发2021-2025年发展规划的通知"),
        ("2021-2025年发展规划_某市人民政府", "2021-2025年发展规划"),
        ("政务公开-通知公告", "政务公开-通知公告"),
    ],
)
def test_site_name_prefixes_are_stripped(title: str, expected: str) -> None:
    assert facts(titled(title))["title"] == expected


@pytest.mark.parametrize(
    "title",
    [
        "中华人民共和国国务院令（第468号） 信息网络传播权保护条例__2006年第19号国务院公报_中国政府网",
        "中华人民共和国国务院令（第468号） 信息网络传播权保护条例_某市人民政府公报2021年第3期",
    ],
)
def test_gazette_issue_suffix_is_stripped(title: str) -> None:
    assert facts(titled(title))["title"] == "中华人民共和国国务院令（第468号） 信息网络传播权保护条例"


def test_title_is_the_segment_the_page_shows_as_its_heading() -> None:
    html = ("<html><head><title>太原市人民政府门户网站-晋祠博物馆-董寿平美术馆</title></head>"
            "<body><h3>董寿平美术馆</h3><p>董寿平美术馆位于晋祠博物馆内。</p></body></html>")

    assert facts(html)["title"] == "董寿平美术馆"


def test_site_name_meta_suffix_is_stripped_even_if_it_does_not_look_like_one() -> None:
    html = titled("2024年春节假期安排_彩云之南", "<meta name='SiteName' content='彩云之南'>")

    assert facts(html)["title"] == "2024年春节假期安排"


def test_article_title_meta_wins() -> None:
    html = titled("页面标题_某市人民政府", "<meta name='ArticleTitle' content=' 关于  印发的通知 '>")

    assert facts(html)["title"] == "关于 印发的通知"


def test_empty_article_title_meta_falls_back_to_title() -> None:
    html = titled("页面标题_某市人民政府", "<meta name='ArticleTitle' content=''>")

    assert facts(html)["title"] == "页面标题"


@pytest.mark.parametrize("html", ["<html><body><p>x</p></body></html>", titled("   ")])
def test_missing_or_blank_title_is_none(html: str) -> None:
    assert facts(html)["title"] is None


def crumbs(breadcrumb: str, head: str = "") -> str:
    return (
        f"<html><head>{head}</head><body><div class='top'><a href='/'>网站首页</a></div>"
        f"<div class='crumb'>{breadcrumb}</div><h1>标题</h1><div class='content'><p>正文</p></div></body></html>"
    )


@pytest.mark.parametrize(
    "breadcrumb",
    [
        "当前位置：首页 > 政务公开 > 通知公告",
        "当前位置:首页>政务公开>通知公告",
        "您的位置：首页 ＞ 政务公开 ＞ 通知公告",
        "您的位置：首页 » 政务公开 » 通知公告",
        "所在位置：首页 → 政务公开 → 通知公告",
        "当前位置：首页 / 政务公开 / 通知公告",
        "当前位置：首页 &gt;&gt; 政务公开 &gt;&gt; 通知公告",
        "当前位置：首页 › 政务公开 › 通知公告 › 正文",
        "您现在的位置：首页 > 政务公开 > 通知公告 > 详情",
        "当前位置：<a href='/'>首页</a><a href='/zwgk/'>政务公开</a><a href='/tzgg/'>通知公告</a>",
        "<span>当前位置：</span><a href='/'>首页</a> &gt; <a href='/zwgk/'>政务公开</a> &gt; <a href='/tzgg/'>通知公告</a>",
        "<ul><li>当前位置：</li><li><a href='/'>首页</a></li><li><a href='/zwgk/'>政务公开</a></li>"
        "<li><a href='/tzgg/'>通知公告</a></li></ul>",
        "当前位置：<a href='/'>首页</a> &gt; <a href='/zwgk/'>政务公开</a> &gt; <span>通知公告</span>",
        "<div>您的位置:</div><div><a href='/tzgg/'>通知公告</a></div>",
        "您当前的位置：<a href='/'>首页</a><span class='gt'>></span><a href='/zwgk/'>政务公开</a> > <span>通知公告</span>",
        "您所在的位置：首页 > 政务公开 > 通知公告",
        "您现在所在的位置：<li><a href='/'>首页</a></li><li>政务公开</li><li>通知公告</li>",
        "当前的位置：首页 > 政务公开 > 通知公告",
        "你现在的位置：首页 > 政务公开 > 通知公告",
        "<span>当前位置 : </span><a href='/'>首页</a>><a href='/zwgk/'>政务公开</a>><a href='/tzgg/'>通知公告</a>",
        "<a href='/'>首页</a> &gt; <a href='/zwgk/'>政务公开</a> &gt; <a href='/tzgg/'>通知公告</a>",
        "<ol><li><a href='/'>首页</a></li><li><a href='/zwgk/'>政务公开</a></li><li>通知公告</li><li>正文</li></ol>",
    ],
)
def test_column_from_breadcrumb(breadcrumb: str) -> None:
    assert facts(crumbs(breadcrumb))["column"] == "通知公告"


def test_label_less_trail_in_a_breadcrumb_like_block() -> None:
    html = ("<html><body><div class='artDet_crumbs'><div class='cru'><a href='/'>首页</a>&nbsp;&gt;&nbsp;"
            "<a href='/ztbd/'>专题报道</a>&nbsp;&gt;&nbsp;<a href='/ztbd/xwfbh/'>新闻发布会</a></div></div>"
            "<div class='title'>第二场新闻发布会</div></body></html>")

    assert facts(html)["column"] == "新闻发布会"


@pytest.mark.parametrize(
    "block",
    [
        "<div class='position'><a href='/a/'>关于我们</a> &gt; <a href='/b/'>联系方式</a></div>",
        "<div class='location'>地理位置：东经102° 北纬25°</div>",
        "<p>地理位置：位于市区东南 &gt; 距机场20公里</p>",
    ],
)
def test_no_column_from_blocks_that_are_no_breadcrumb(block: str) -> None:
    assert facts(f"<html><body>{block}<h1>标题</h1></body></html>")["column"] is None


def test_table_cells_after_the_trail_end_it() -> None:
    html = crumbs("<table><tr><td>当前位置：首页 &gt; 政务公开 &gt; 通知公告</td><td>今天是2024年1月1日 星期一</td></tr></table>")

    assert facts(html)["column"] == "通知公告"


def test_breadcrumb_segment_repeating_the_article_title_is_not_the_column() -> None:
    title = "关于开展2024年世界家庭医生日主题宣传活动的通知"
    html = crumbs(f"当前位置：首页 > 政务公开 > 通知公告 > {title}", f"<meta name='ArticleTitle' content='{title}'>")

    assert facts(html)["column"] == "通知公告"


def test_column_name_meta_wins_over_breadcrumb() -> None:
    html = crumbs("当前位置：首页 > 政务公开 > 通知公告", "<meta name='ColumnName' content=' 政策解读 '>")

    assert facts(html)["column"] == "政策解读"


@pytest.mark.parametrize(
    "head",
    [
        "<meta name='ArticleTitle' content='武钢云谷·606产业园开园招商推介会举办'>"
        "<meta name='ColumnName' content='武钢云谷·606产业园开园招商推介会举办'>",
        "<meta name='SiteName' content='某市人民政府'><meta name='ColumnName' content='某市人民政府'>",
        "<meta name='SiteName' content='某市发展和改革委员会'><meta name='ColumnName' content='某市发展和改革委员会-信息公开'>",
        "<meta name='ColumnName' content='某县人民政府'>",
        "<meta name='ColumnName' content='某市人民政府门户网站'>",
    ],
)
def test_column_name_meta_repeating_the_title_or_naming_the_site_falls_back_to_the_breadcrumb(head: str) -> None:
    assert facts(crumbs("当前位置：首页 > 政务公开 > 通知公告", head))["column"] == "通知公告"


@pytest.mark.parametrize(
    ("head", "column"),
    [
        ("<meta name='SiteName' content='青岛市政府门户网站'><meta name='ColumnName' content='法治政府建设'>", "法治政府建设"),
        ("<meta name='ColumnName' content='省政府文件'>", "省政府文件"),
        ("<title>通知公告_某市人民政府</title><meta name='ColumnName' content='通知公告'>", "通知公告"),
    ],
)
def test_column_name_meta_that_names_a_column_is_kept(head: str, column: str) -> None:
    assert facts(crumbs("当前位置：首页 > 政务公开 > 工作动态", head))["column"] == column


@pytest.mark.parametrize("breadcrumb", ["当前位置：首页 > 正文", "当前位置：", ""])
def test_no_column_without_a_named_segment(breadcrumb: str) -> None:
    assert facts(crumbs(breadcrumb))["column"] is None


def test_breadcrumb_inside_a_script_is_ignored() -> None:
    html = crumbs("<script>var s = '当前位置：首页 > 旧栏目';</script>")

    assert facts(html)["column"] is None


@pytest.mark.parametrize(
    ("fixture", "title", "column"),
    [
        ("yunnan_article.html", "云南省人民政府办公厅关于印发2022年云南省政务公开工作要点的通知", "省政府办公厅文件"),
        ("sichuan_article.html", "四川省人民政府关于印发四川省“十四五”生态环境保护规划的通知", "省政府文件"),
        ("gbk_declared_gb2312.html", "朱镕基同志视察我县纪实", "乡镇动态"),
        ("gb18030_declared.html", "关于䶮姓和𠮷字户籍登记的说明", "户籍办理"),
        ("list_page.html", "通知公告", "通知公告"),
        ("meta_only.html", "一图读懂 政府工作报告", "政策解读"),
        ("no_footer.html", "测试页面", None),
    ],
)
def test_title_and_column_of_page_shapes(fixture: str, title: str, column: str | None) -> None:
    text, _ = decode_html((PAGES / fixture).read_bytes(), None)

    found = facts(text)

    assert (found["title"], found["column"]) == (title, column)
