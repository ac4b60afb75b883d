"""Accounts a site's 政务新媒体 page lists: tables, labelled entries, lists under headings, QR cards."""

import pytest

from govmon.facts.accounts import ListedAccount, listed_accounts, platform_of

SITE = "http://www.dianzhong.gov.cn"
URL = f"{SITE}/xmt/"

# What every page of the site repeats: the navigation with a 政务微博 column, the breadcrumb and the footer.
FRAME = """<html><head><meta charset="utf-8"><title>政务新媒体_滇中市人民政府</title></head><body>
<div class="header"><h1>滇中市人民政府</h1></div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwwx/">政务微信</a></li>
<li><span>政务微博</span>
<ul><li><a href="/zwwb/jgdt/">机关动态</a></li><li><a href="/zwwb/bmdt/">部门动态</a></li></ul></li></ul></nav>
<div class="nav"><a href="/xmt/">政务新媒体</a> <a href="/zwwb/">政务微博</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xmt/">政务新媒体</a> &gt; 政务微博</div>
<div class="main">{main}</div>
<div class="footer"><p>官方微信：滇中市政府网</p><p><img src="/images/wx.png" alt="滇中市政府网"><span>微信公众号</span></p>
<p>主办单位：滇中市人民政府办公室</p></div>
</body></html>"""


def accounts(main: str) -> list[tuple[str, str, str | None]]:
    return [(a.platform, a.name, a.url) for a in listed_accounts(FRAME.format(main=main), URL)]


def test_navigation_breadcrumb_and_footer_never_count() -> None:
    assert accounts("<p>本栏目公布本市政务新媒体。</p>") == []


def test_table_with_rowspan_platform_cells() -> None:
    main = """<h2>政务新媒体矩阵</h2>
<table class="xmt">
<tr><th>序号</th><th>平台</th><th>账号名称</th><th>主办单位</th><th>二维码</th></tr>
<tr><td>1</td><td rowspan="2">微信</td><td><a href="https://mp.weixin.qq.com/s/abc">滇中发布</a></td>
<td>滇中市人民政府新闻办公室</td><td><img src="/images/xmt/wx_dzfb.png" alt="滇中发布微信公众号二维码"></td></tr>
<tr><td>2</td><td>滇中文旅</td><td>滇中市文化和旅游局</td><td><img src="/images/xmt/wx_dzwl.png" alt="二维码"></td></tr>
<tr><td>3</td><td>新浪微博</td><td>@滇中发布</td><td>滇中市人民政府新闻办公室</td><td></td></tr>
<tr><td>4</td><td>抖音号</td><td>滇中市政府</td><td>滇中市人民政府办公室</td><td></td></tr>
<tr><td>5</td><td>今日头条</td><td>滇中政务</td><td>滇中市人民政府办公室</td><td></td></tr>
<tr><td>6</td><td>快手</td><td>滇中融媒</td><td>滇中市融媒体中心</td><td></td></tr>
<tr><td>7</td><td>APP</td><td>掌上滇中</td><td>滇中市融媒体中心</td><td></td></tr>
<tr><td>8</td><td>哔哩哔哩</td><td>滇中青年</td><td>共青团滇中市委</td><td></td></tr>
</table>"""

    assert accounts(main) == [
        ("微信公众号", "滇中发布", "https://mp.weixin.qq.com/s/abc"),
        ("微信公众号", "滇中文旅", None),
        ("微博", "滇中发布", None),
        ("抖音", "滇中市政府", None),
        ("今日头条", "滇中政务", None),
        ("快手", "滇中融媒", None),
        ("客户端", "掌上滇中", None),
        ("other", "滇中青年", None),
    ]


def test_lists_under_platform_headings() -> None:
    main = """<div class="box"><div class="tit"><h3>微信公众号</h3></div>
<ul><li><a href="/xmt/wx/dzfb.html">滇中发布</a></li><li><a href="/xmt/wx/dzwl.html">滇中文旅（市文化和旅游局）</a></li></ul></div>
<div class="box"><h3>政务微博</h3><ul><li>@滇中发布</li><li>@滇中城管</li></ul>
<p class="note">主办单位：滇中市人民政府新闻办公室</p></div>
<dl><dt>抖音</dt><dd>滇中市政府</dd><dd>滇中公安</dd></dl>"""

    assert accounts(main) == [
        ("微信公众号", "滇中发布", f"{SITE}/xmt/wx/dzfb.html"),
        ("微信公众号", "滇中文旅", f"{SITE}/xmt/wx/dzwl.html"),
        ("微博", "滇中发布", None),
        ("微博", "滇中城管", None),
        ("抖音", "滇中市政府", None),
        ("抖音", "滇中公安", None),
    ]


def test_labelled_entries() -> None:
    main = """<ul class="list">
<li>微信公众号：<a href="https://mp.weixin.qq.com/s/abc">滇中发布</a></li>
<li>【微博】@滇中发布</li>
<li><span>抖音号：</span>滇中市政府</li>
</ul>
<p>今日头条：滇中政务　　快手号：滇中融媒　　客户端：掌上滇中</p>
<p>头条号：滇中发布 微信：滇中文旅</p>"""

    assert accounts(main) == [
        ("微信公众号", "滇中发布", "https://mp.weixin.qq.com/s/abc"),
        ("微博", "滇中发布", None),
        ("抖音", "滇中市政府", None),
        ("今日头条", "滇中政务", None),
        ("快手", "滇中融媒", None),
        ("客户端", "掌上滇中", None),
        ("今日头条", "滇中发布", None),
        ("微信公众号", "滇中文旅", None),
    ]


def test_qr_cards() -> None:
    """The name in the image's alt or in the caption, the platform in a label, before or after the image."""
    main = """<div class="ewm-list">
<div class="card"><img src="/images/xmt/wx_dzfb.png" alt="滇中发布二维码"><p>微信公众号</p></div>
<div class="card"><img src="/images/xmt/wb.png" alt="微博二维码"><p class="name">@滇中发布</p></div>
<div class="card"><p>抖音</p><img src="/images/xmt/dy.png" alt="滇中市政府"></div>
<figure><img src="/images/xmt/ks.png" alt="二维码"><figcaption><b>快手</b><br>滇中融媒</figcaption></figure>
<div class="card"><a href="https://www.toutiao.com/c/user/123/"><img src="/images/xmt/tt.png" alt="滇中政务"></a>
<span>今日头条</span></div>
</div>"""

    assert accounts(main) == [
        ("微信公众号", "滇中发布", None),
        ("微博", "滇中发布", None),
        ("抖音", "滇中市政府", None),
        ("快手", "滇中融媒", None),
        ("今日头条", "滇中政务", "https://www.toutiao.com/c/user/123/"),
    ]


def test_each_account_once_across_shapes() -> None:
    main = """<table><tr><th>类型</th><th>名称</th></tr><tr><td>微信公众号</td><td>滇中发布</td></tr></table>
<div class="card"><img src="/images/xmt/wx.png" alt="滇中发布"><p>微信公众号</p></div>
<p>微信公众号：滇中发布</p>"""

    assert listed_accounts(FRAME.format(main=main), URL) == [ListedAccount("微信公众号", "滇中发布", None)]


def test_column_links_are_no_accounts() -> None:
    """A side menu of columns named like platforms, and a link list under a heading that is a link."""
    main = """<div class="left"><a href="/zwwb/">政务微博</a><a href="/zwwx/">政务微信</a></div>
<ul class="columns"><li><a href="/zwwb/">政务微博</a></li><li><a href="/zxft/">在线访谈</a></li></ul>"""

    assert accounts(main) == []


@pytest.mark.parametrize(
    ("label", "platform"),
    [
        ("微信", "微信公众号"), ("微信公众号", "微信公众号"), ("公众号", "微信公众号"), ("官方微信", "微信公众号"),
        ("新浪微博", "微博"), ("微博", "微博"), ("政务微博", "微博"),
        ("抖音", "抖音"), ("抖音号", "抖音"),
        ("头条", "今日头条"), ("今日头条", "今日头条"), ("头条号", "今日头条"),
        ("快手", "快手"),
        ("客户端", "客户端"), ("APP", "客户端"), ("App", "客户端"), ("掌上滇中app", "客户端"),
        ("微信视频号", "other"), ("哔哩哔哩", None), ("WhatsApp", None),
    ],
)
def test_platform_names(label: str, platform: str | None) -> None:
    assert platform_of(label) == platform
