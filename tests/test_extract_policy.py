"""Timeliness facts of policy pages: 信息公开 metadata, 公开属性 note, approval date, related links, names."""

import json

import pytest

from govmon.facts import extract_facts, interpreted_name, policy_name
from govmon.facts.document import Document
from govmon.facts.policy import Disclosure, approved_of, disclosure_of, publicity_of, related_of

SITE = "http://www.dianzhong.gov.cn"
URL = f"{SITE}/zcwj/202601/t20260108_4129001.html"
NAV = (
    '<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zcwj/">政策文件</a></li>'
    '<li><a href="/zcjd/">政策解读</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>'
)
FOOTER = '<div class="footer"><p>主办单位：滇中市人民政府办公室　　网站标识码：5301000001</p></div>'


def page(body: str, title: str = "滇中市人民政府关于印发滇中市数字经济发展实施方案的通知") -> str:
    return (
        f"<html><head><meta charset='utf-8'><title>{title}_滇中市人民政府</title></head>"
        f"<body>{NAV}{body}{FOOTER}</body></html>"
    )


def document(body: str, url: str = URL, title: str = "滇中市人民政府关于印发滇中市数字经济发展实施方案的通知") -> Document:
    return Document(page(body, title), url)


# ----- 信息公开 metadata

FULL = Disclosure("DZ530100-2026-00031", "滇中市人民政府", "滇中政发〔2026〕1号", "2026-01-05", "2026-01-08", "主动公开")

DISCLOSURE_SHAPES = {
    # TRS-style: bold labels with colons and full-width spaces, two pairs a row, a 主题分类 cell in between.
    "trs_table": """<table class="bd1">
<tr><td class="t1"><b>索　引　号：</b></td><td>DZ530100-2026-00031</td>
    <td class="t1"><b>主题分类：</b></td><td>综合政务\\通知</td></tr>
<tr><td class="t1"><b>发文机关：</b></td><td>滇中市人民政府</td>
    <td class="t1"><b>成文日期：</b></td><td>2026年01月05日</td></tr>
<tr><td class="t1"><b>标　　题：</b></td><td colspan="3">滇中市人民政府关于印发滇中市数字经济发展实施方案的通知</td></tr>
<tr><td class="t1"><b>发文字号：</b></td><td>滇中政发〔2026〕1号</td>
    <td class="t1"><b>发布日期：</b></td><td>2026年01月08日</td></tr>
<tr><td class="t1"><b>公开属性：</b></td><td>主动公开</td></tr>
</table>""",
    # <th>label</th><td>value</td> without colons, several pairs a row.
    "th_pairs": """<table class="xxgk-meta">
<tr><th>索引号</th><td>DZ530100-2026-00031</td><th>发布机构</th><td>滇中市人民政府</td><th>公开方式</th><td>主动公开</td></tr>
<tr><th>文号</th><td>滇中政发〔2026〕1号</td><th>成文日期</th><td>2026-01-05</td><th>发布日期</th><td>2026-01-08</td></tr>
</table>""",
    # 四川/云南-like: one pair a row, half-width colons, spaced labels.
    "label_cells": """<div class="xxgk"><table>
<tr><td class="name">索 引 号:</td><td>DZ530100-2026-00031</td></tr>
<tr><td class="name">发布机构:</td><td>滇中市人民政府</td></tr>
<tr><td class="name">文　　号:</td><td>滇中政发〔2026〕1号</td></tr>
<tr><td class="name">成 文 日 期:</td><td>2026年1月5日</td></tr>
<tr><td class="name">公 开 日 期:</td><td>2026/1/8</td></tr>
<tr><td class="name">公开属性:</td><td>主动公开</td></tr>
</table></div>""",
    # Hanweb/大汉-style list of <span>label：</span>value.
    "li_spans": """<ul class="xxgk-info">
<li><span>索引号：</span>DZ530100-2026-00031</li><li><span>主题分类：</span>综合政务</li>
<li><span>发布单位：</span>滇中市人民政府</li><li><span>发文字号：</span>滇中政发〔2026〕1号</li>
<li><span>成文日期：</span>2026.01.05</li><li><span>发布日期：</span>2026.01.08</li>
<li><span>公开方式：</span>主动公开</li></ul>""",
    # Runs of pairs in one line, separated by wide gaps.
    "div_runs": """<div class="xxgk_top">索引号：DZ530100-2026-00031　　发布机构：滇中市人民政府　　文号：滇中政发〔2026〕1号<br>
成文日期：2026年01月05日　　发布日期：2026-01-08　　公开属性：主动公开</div>""",
}


@pytest.mark.parametrize("shape", DISCLOSURE_SHAPES)
def test_disclosure_metadata_shapes(shape: str) -> None:
    body = f'<div class="article">{DISCLOSURE_SHAPES[shape]}<h1>标题</h1><div class="content"><p>正文。</p></div></div>'

    assert disclosure_of(document(body)) == FULL


@pytest.mark.parametrize(
    "written", ["2026-01-05", "2026年01月05日", "2026年1月5日", "2026/1/5", "2026.01.05", "2026年1月5日 10:30"]
)
def test_disclosure_dates_in_every_format(written: str) -> None:
    body = f"<ul><li><span>索引号：</span>DZ-2026-001</li><li><span>成文日期：</span>{written}</li></ul>"

    assert disclosure_of(document(body)) == Disclosure("DZ-2026-001", None, None, "2026-01-05", None, None)


def test_an_empty_value_cell_is_none_not_the_next_label() -> None:
    body = (
        "<table><tr><th>索引号</th><td>DZ-2026-001</td><th>文号</th><td></td></tr>"
        "<tr><th>成文日期</th><td>2026-01-05</td><th>发布日期</th><td>2026-01-08</td></tr></table>"
    )

    assert disclosure_of(document(body)) == Disclosure("DZ-2026-001", None, None, "2026-01-05", "2026-01-08", None)


@pytest.mark.parametrize(
    "body",
    [
        '<div class="info">发布时间：2026-01-08 来源：滇中市人民政府办公室</div><p>正文。</p>',
        "<p>成文日期：2026年01月05日</p><p>正文。</p>",
        "<table><tr><th>成文日期</th><td>2026-01-05</td></tr></table>",
        # A 信息公开 list's header row is no metadata.
        "<table><tr><th>序号</th><th>索引号</th><th>标题</th><th>发布机构</th><th>成文日期</th></tr>"
        '<tr><td>1</td><td>DZ-2026-001</td><td><a href="/a/t1.html">关于印发某某方案的通知</a></td>'
        "<td>滇中市人民政府</td><td>2026-01-05</td></tr></table>",
    ],
)
def test_no_metadata_gives_none(body: str) -> None:
    assert disclosure_of(document(body)) is None


# ----- 公开属性 note

@pytest.mark.parametrize(
    ("note", "publicity"),
    [
        ("（此件公开发布）", "此件公开发布"),
        ("(此件删减后公开)", "此件删减后公开"),
        ("此件依申请公开", "此件依申请公开"),
        ("（ 此件不公开 ）", "此件不公开"),
        ("（此 件 公 开 发 布）", "此件公开发布"),
    ],
)
def test_publicity_note(note: str, publicity: str) -> None:
    body = f'<div class="content"><p>各县（市、区）人民政府：</p><p>滇中市人民政府</p><p>2026年1月5日</p><p>{note}</p></div>'

    assert publicity_of(document(body)) == publicity


def test_metadata_publicity_is_not_the_note() -> None:
    body = "<ul><li>索引号：DZ-2026-001</li><li>公开属性：主动公开</li></ul><p>正文。</p>"

    assert publicity_of(document(body)) is None
    assert disclosure_of(document(body)).label == "主动公开"


# ----- approval date

@pytest.mark.parametrize(
    "text",
    [
        "滇中市2026年市级预算经2026年1月12日市十六届人大四次会议审查批准，现予公开。",
        "滇中市2026年预算已经市第十六届人民代表大会第四次会议于2026年1月12日批准。",
        "（2026年1月12日滇中市第十六届人民代表大会第四次会议批准）",
        "2025年市级决算草案于2026年1月12日经市人大常委会第十九次会议审议批准。",
    ],
)
def test_approval_date(text: str) -> None:
    body = f'<div class="content"><p>一、预算公开说明</p><p>{text}</p><p>发布日期：2026-01-20</p></div>'

    assert approved_of(document(body)) == "2026-01-12"


def test_the_date_before_the_approval_word_wins() -> None:
    body = "<p>2026年1月5日市政府常务会议研究后，于2026年1月12日经市人大常委会审议批准，2026年2月1日起执行。</p>"

    assert approved_of(document(body)) == "2026-01-12"


@pytest.mark.parametrize(
    "text",
    [
        "经国务院批准，本办法自2026年1月1日起施行。",
        "本规划经市人民代表大会审查批准，由市人民政府组织实施。",
        "2026年1月12日，市人大常委会召开会议。",
    ],
)
def test_no_approval_date(text: str) -> None:
    assert approved_of(document(f"<p>{text}</p>")) is None


# ----- related links

def related(body: str, url: str = URL, title: str = "滇中市人民政府关于印发滇中市数字经济发展实施方案的通知") -> dict:
    found = related_of(document(f'<div class="main">{body}</div>', url, title))
    return {"interpretations": found.interpretations, "policies": found.policies}


ARTICLE = '<h1>滇中市人民政府关于印发滇中市数字经济发展实施方案的通知</h1><div class="content" id="zoom"><p>各县（市、区）人民政府：</p><p>现印发给你们。</p></div>'
JD1 = "/zcjd/202601/t20260109_4129010.html"
JD2 = "/zcjd/202601/t20260110_4129020.html"
WJ = "/zcwj/202601/t20260108_4129001.html"

INTERPRETATION_SHAPES = {
    "h4_in_related_block": f'<div class="related"><h4>相关解读</h4><a href="{JD1}">《滇中市数字经济发展实施方案》政策解读</a></div>',
    "title_div_and_list": f'<div class="xgjd"><div class="title"><span>相关解读</span></div><ul>'
                          f'<li><a href="{JD1}">《滇中市数字经济发展实施方案》政策解读</a></li>'
                          f'<li><a href="{JD2}#top">一图读懂《滇中市数字经济发展实施方案》</a></li></ul></div>',
    "h3_after_the_article": f'<h3>政策解读</h3><ul><li><a href="{JD1}">解读文章</a></li><li><a href="{JD2}">视频</a></li></ul>'
                            '<h3>附件</h3><ul><li><a href="/zcwj/fj/20260108.pdf">实施方案全文.pdf</a></li></ul>',
    "inline_label": f'<p class="xgjd">相关解读：<a href="{JD1}">文字解读</a> <a href="{JD2}">图片解读</a> '
                    f'<a href="{JD1}">文字解读</a></p>',
    "strong_brackets": f'<p><strong>【图文解读】</strong><a href="{JD1}">数字经济发展实施方案</a></p>'
                       f'<p><strong>【视频解读】</strong><a href="http://www.dianzhong.gov.cn{JD2}">市发改委主任谈数字经济</a></p>',
    "label_cell": f'<table><tr><td>相关解读：</td><td><a href="{JD1}">解读一</a><br>'
                  '<a href="../../zcjd/202601/t20260110_4129020.html">解读二</a></td></tr></table>',
    "body_links_named_like_interpretations": f'<p>附：<a href="{JD1}">【图解】一图读懂《滇中市数字经济发展实施方案》</a></p>'
                                             f'<p>详见<a href="{JD2}">市发改委负责同志就《实施方案》答记者问</a>。</p>',
}


@pytest.mark.parametrize("shape", INTERPRETATION_SHAPES)
def test_interpretations_of_a_policy(shape: str) -> None:
    found = related(ARTICLE + INTERPRETATION_SHAPES[shape])

    expected = [SITE + JD1] if shape == "h4_in_related_block" else [SITE + JD1, SITE + JD2]
    assert found == {"interpretations": expected, "policies": []}


INTERPRETATION_URL = f"{SITE}{JD1}"
INTERPRETATION_TITLE = "《滇中市数字经济发展实施方案》政策解读"
INTERPRETATION = '<h1>《滇中市数字经济发展实施方案》政策解读</h1><div class="content"><p>一、出台背景。</p></div>'

POLICY_SHAPES = {
    "h4_in_related_block": f'<div class="related"><h4>相关文件</h4><a href="{WJ}">滇中市人民政府关于印发滇中市数字经济发展实施方案的通知</a></div>',
    "inline_label": f'<div class="zcyw">政策原文：<a href="{WJ}">《滇中市数字经济发展实施方案》</a></div>',
    "label_span": f'<p><span>原文链接：</span><a href="{WJ}">滇中市人民政府关于印发滇中市数字经济发展实施方案的通知</a></p>',
    "link_named_original": f'<p style="text-align:right"><a href="{WJ}">【政策原文】</a></p>',
    "tab_named_original": f'<div class="tabs"><a href="{WJ}">原文</a><a href="{JD1}">解读</a></div>',
}


@pytest.mark.parametrize("shape", POLICY_SHAPES)
def test_policies_of_an_interpretation(shape: str) -> None:
    found = related(INTERPRETATION + POLICY_SHAPES[shape], INTERPRETATION_URL, INTERPRETATION_TITLE)

    assert found == {"interpretations": [], "policies": [SITE + WJ]}


def test_a_page_can_show_both_kinds() -> None:
    body = (
        f'<div class="xgwj"><h4>相关文件</h4><ul><li><a href="{WJ}">原文件</a></li></ul></div>'
        f'<div class="xgjd"><h4>相关解读</h4><ul><li><a href="{JD2}">另一篇解读</a></li></ul></div>'
    )

    assert related(INTERPRETATION + body, INTERPRETATION_URL, INTERPRETATION_TITLE) == {
        "interpretations": [SITE + JD2], "policies": [SITE + WJ]
    }


NOT_RELATED = {
    "nav_links_named_like_the_column": '<div class="menu"><ul><li><a href="/zcjd/">政策解读</a></li>'
                                       f'<li><span>政策解读</span><ul><li><a href="{JD2}">《某某办法》政策解读</a></li>'
                                       '</ul></li></ul></div>',
    "hot_interpretations_sidebar": '<div class="right"><div class="title">热点解读</div><ul>'
                                   f'<li><a href="{JD2}">《滇中市营商环境条例》政策解读</a></li>'
                                   '<li><a href="/zcjd/202512/t20251201_1.html">一图读懂《滇中市人才引进实施方案》</a></li></ul></div>',
    "hot_interpretations_under_a_plain_span": '<div class="box"><span>热点解读</span><ul>'
                                              f'<li><a href="{JD2}">《滇中市营商环境条例》政策解读</a></li></ul></div>',
    "side_block": f'<div class="side"><ul><li><a href="{JD2}">《滇中市营商环境条例》政策解读</a></li></ul></div>',
    "hot_block_with_label": f'<div class="hot-list"><h3>相关解读</h3><ul><li><a href="{JD2}">热门解读</a></li></ul></div>',
    "column_block_with_more": '<div class="block"><h3>政策解读</h3><a href="/zcjd/">更多&gt;&gt;</a><ul>'
                              f'<li><a href="{JD2}">《滇中市营商环境条例》政策解读</a><span>2026-01-10</span></li></ul></div>',
    "previous_and_next": f'<div class="pre_next"><p>上一篇：<a href="{JD2}">《滇中市营商环境条例》政策解读</a></p>'
                         '<p><a href="/zcjd/202512/t20251201_1.html">下一篇：关于《滇中市人才引进实施方案》的解读</a></p></div>',
    "breadcrumb": '<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zcjd/">政策解读</a></div>',
    "other_lists_of_the_body": '<div class="xgxx"><h3>相关阅读</h3><ul>'
                               f'<li><a href="{JD2}">《滇中市营商环境条例》政策解读</a></li></ul></div>',
    "attachments_after_the_label_section": '<h3>相关解读</h3><ul></ul>'
                                           '<h3>附件</h3><p><a href="/zcwj/fj/1.pdf">实施细则.pdf</a></p>',
    "footer": f'<div class="foot"><a href="{JD2}">政策解读</a></div>',
}


@pytest.mark.parametrize("shape", NOT_RELATED)
def test_links_that_are_not_related(shape: str) -> None:
    assert related(ARTICLE + NOT_RELATED[shape]) == {"interpretations": [], "policies": []}


def test_the_interpretation_column_lists_no_related_links() -> None:
    entries = "".join(
        f'<li><a href="/zcjd/202601/t2026010{day}_41290{day}0.html">《滇中市第{day}号方案》政策解读</a>'
        f"<span>2026-01-0{day}</span></li>"
        for day in range(1, 8)
    )
    body = (
        '<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zcjd/">政策解读</a></div>'
        f'<div class="column"><h2>政策解读</h2><ul class="list">{entries}</ul></div>'
    )

    assert related(body, f"{SITE}/zcjd/", "政策解读") == {"interpretations": [], "policies": []}


def test_the_interpretation_column_bar_above_an_article_labels_nothing() -> None:
    body = (
        '<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zcjd/">政策解读</a></div>'
        f'<div class="lm-bar"><div class="title">政策解读</div><div class="article">{INTERPRETATION}'
        '<p>附件：<a href="/zcjd/fj/20260109.pdf">问卷.pdf</a></p>'
        f'<div class="xgwj"><h4>相关文件</h4><a href="{WJ}">实施方案</a></div></div></div>'
    )

    assert related(body, INTERPRETATION_URL, INTERPRETATION_TITLE) == {"interpretations": [], "policies": [SITE + WJ]}


# ----- names

@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("《滇中市数字经济发展实施方案》政策解读", "滇中市数字经济发展实施方案"),
        ("图解：《滇中市数字经济发展实施方案》", "滇中市数字经济发展实施方案"),
        ("一图读懂《滇中市数字经济发展实施方案》", "滇中市数字经济发展实施方案"),
        ("关于《关于进一步加强稳就业促增长工作的实施意见》的解读", "关于进一步加强稳就业促增长工作的实施意见"),
        ("《滇中市医保基金监管管理办法》答记者问", "滇中市医保基金监管管理办法"),
        ("市医保局负责人就《滇中市医保基金监管管理办法》答记者问", "滇中市医保基金监管管理办法"),
        ("《滇中市医保基金监管管理办法》问答", "滇中市医保基金监管管理办法"),
        ("滇中市数字经济发展实施方案政策解读", "滇中市数字经济发展实施方案"),
        ("关于滇中市数字经济发展实施方案的解读", "滇中市数字经济发展实施方案"),
        ("图解：2026年滇中市政府工作报告", "2026年滇中市政府工作报告"),
        ("滇中市人民政府关于印发滇中市数字经济发展实施方案的通知", None),
        ("政策解读", None),
        ("热点解读", None),
        ("部门政策解读", None),
        ("关于开展《民法典》知识问答活动的通知", None),
    ],
)
def test_interpreted_name(title: str, name: str | None) -> None:
    assert interpreted_name(title) == name


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("滇中市人民政府关于印发滇中市数字经济发展实施方案的通知", "滇中市数字经济发展实施方案"),
        ("滇中市人民政府办公室关于印发《滇中市乡村振兴若干措施》的通知", "滇中市乡村振兴若干措施"),
        ("滇中市人民政府办公室转发市发展改革委关于数字经济发展意见的通知", "市发展改革委关于数字经济发展意见"),
        ("滇中市人民政府关于进一步加强稳就业促增长工作的实施意见", "关于进一步加强稳就业促增长工作的实施意见"),
        ("滇中市医保基金监管管理办法", "滇中市医保基金监管管理办法"),
        ("《滇中市医保基金监管管理办法》", "滇中市医保基金监管管理办法"),
    ],
)
def test_policy_name(title: str, name: str) -> None:
    assert policy_name(title) == name


def test_a_policy_and_its_interpretation_name_the_same_policy() -> None:
    for policy, interpretation in [
        ("滇中市人民政府关于印发滇中市数字经济发展实施方案的通知", "一图读懂《滇中市数字经济发展实施方案》"),
        ("滇中市人民政府关于进一步加强稳就业促增长工作的实施意见", "图解：《关于进一步加强稳就业促增长工作的实施意见》"),
        ("滇中市医保基金监管管理办法", "《滇中市医保基金监管管理办法》政策解读"),
    ]:
        assert policy_name(policy) == interpreted_name(interpretation)


# ----- the facts

def test_policy_page_facts() -> None:
    body = (
        f'<div class="article">{DISCLOSURE_SHAPES["th_pairs"]}{ARTICLE}<p>（此件公开发布）</p>'
        f'{INTERPRETATION_SHAPES["h4_in_related_block"]}</div>'
    )

    facts = extract_facts(page(body), URL)

    assert facts["disclosure"] == {
        "index_no": "DZ530100-2026-00031", "issuer": "滇中市人民政府", "doc_no": "滇中政发〔2026〕1号",
        "made": "2026-01-05", "published": "2026-01-08", "label": "主动公开",
    }
    assert facts["publicity"] == "此件公开发布"
    assert facts["approved"] is None
    assert facts["related"] == {"interpretations": [SITE + JD1], "policies": []}
    assert facts["interprets"] is None
    assert json.loads(json.dumps(facts, ensure_ascii=False)) == facts


def test_interpretation_page_facts() -> None:
    body = INTERPRETATION + POLICY_SHAPES["h4_in_related_block"]

    facts = extract_facts(page(body, INTERPRETATION_TITLE), INTERPRETATION_URL)

    assert facts["interprets"] == "滇中市数字经济发展实施方案"
    assert facts["related"] == {"interpretations": [], "policies": [SITE + WJ]}
    assert facts["disclosure"] is None and facts["publicity"] is None
