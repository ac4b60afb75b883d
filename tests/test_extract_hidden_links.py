"""Links hidden from people (暗链, SEC-1) and the keywords/description meta text.

The pages under "real pages" are corpus cases (tests/corpus/*/case.toml gives each one's source). The planted-link
shapes under "real" are quoted as written in a public write-up of the techniques
(nMask, 【黑帽SEO系列】暗链, thief.one, 2016): repository tianling11025/MyBlogData, path
source/_posts/黑帽SEO之暗链.md, commit e178dc44f9b27f090ff81c169d3a5899add475c6; each snippet is the article's
own markup, put in a minimal page (the wrapper is synthetic). Every other page here is synthetic.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from govmon.facts.document import Document
from govmon.facts.encoding import decode_html
from govmon.facts.hidden_links import MAX_HIDDEN_LINKS, MAX_TEXT_CHARS, hidden_links_of, parse_declarations
from govmon.facts.meta import MAX_META_TEXT_CHARS, meta_text

URL = "https://www.example.gov.cn/zwgk/index.html"
CORPUS = Path(__file__).parent / "corpus"


def page(body: str, head: str = "") -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def hidden(body: str, head: str = "") -> list[dict]:
    return hidden_links_of(Document(page(body, head), URL))


def hows(body: str, head: str = "") -> list[str]:
    return [link["how"] for link in hidden(body, head)]


# ----- real: the techniques as the write-up shows them

REAL_SNIPPETS = {
    "display": ('<div style="display:none;">\n<a href=http://thief.one/ >暗链</a>\n</div>', "display:none（div）"),
    "colour and size": (
        '<a href=http://thief.one style="color:#FFFFFF;font-size:1px;line-height:1px ;">暗链</a>',
        "font-size:1px（a）",
    ),
    "position": (
        '<div style="position: absolute; top: -999px;left: -999px;"><a href=http://thief.one >暗链</a></div>',
        "position:absolute;left:-999px（div）",
    ),
    "expression": (
        '<div style="position:absolute;left:expression_r(1-900);top:expression_r(3-999);">'
        "<a href=http://thief.one >暗链</a></div>",
        "position:absolute;left:expression_r(1-900)（div）",
    ),
    "marquee": (
        "<marquee height=1 width=5 scrollamount=3000 scrolldelay=20000><a href=http://thief.one >暗链</a></marquee>",
        "marquee height=1（marquee）",
    ),
    "document.write": (
        '<script language="javascript" type="text/javascript">\ndocument.write("<div style=\'display:none;\'>");\n'
        "</script><div>\n\n<a href=http://thief.one>暗链</a>\n\n"
        '<script language="javascript" type="text/javascript">\ndocument.write("</div>");\n</script>',
        "document.write 写入的隐藏块 display:none（div）",
    ),
    "div and script": (
        '<div id="anlian"><a href="http://thief.one">暗链</a></div>\n<script language=javascript>\n'
        'document.getElementById("anlian").style.display="none"\n</script>',
        "脚本设置 display:none（div#anlian）",
    ),
}


@pytest.mark.parametrize("name", REAL_SNIPPETS)
def test_each_technique_of_the_write_up_is_found(name: str) -> None:
    snippet, how = REAL_SNIPPETS[name]
    found = hidden(f'<p><a href="/zwgk/list.html">政务公开</a></p>{snippet}')

    assert found == [{"url": "http://thief.one" + ("/" if name == "display" else ""), "text": "暗链", "how": how,
                      "hover_menu": False, "responsive": False}]


def test_links_after_a_written_hidden_block_is_closed_are_visible() -> None:
    snippet, _ = REAL_SNIPPETS["document.write"]

    assert [link["text"] for link in hidden(f'{snippet}<a href="/after">之后</a>')] == ["暗链"]


def test_only_a_script_closing_the_written_tag_ends_the_block() -> None:
    body = (
        "<script>document.write('<div style=\"display:none\">')</script><a href='/1'>1</a>"
        "<script>document.write('<span>统计</span>')</script><a href='/2'>2</a>"
        "<script>document.write('</div>')</script><a href='/3'>3</a>"
    )
    assert [link["text"] for link in hidden(body)] == ["1", "2"]


# ----- real pages

def corpus_hidden(name: str) -> list[dict]:
    spec = tomllib.loads((CORPUS / name / "case.toml").read_text(encoding="utf-8"))
    html, _ = decode_html((CORPUS / name / "page.html").read_bytes(), spec.get("content_type"))
    return hidden_links_of(Document(html, spec["url"]))


def test_a_desktop_footer_hidden_on_phones_only_is_marked_responsive() -> None:
    """gzns.gov.cn hides its desktop .foot by a plain rule and shows it again in @media (max-width: 768px)."""
    found = corpus_hidden("gzns-gov-two-footers-differ")

    assert [link["text"] for link in found][:3] == ["联系我们", "友情链接", "网站地图"]
    assert {(link["how"], link["hover_menu"], link["responsive"]) for link in found} == {
        ("display:none（div.foot）", False, True)
    }


@pytest.mark.parametrize("name", ["jinan-jnwl-hanweb", "zj-fgw-hanweb"])
def test_the_cms_vendor_credit_hidden_on_hanweb_pages_is_reported(name: str) -> None:
    """大汉 (Hanweb) pages carry <a href='http://www.hanweb.com' style='display:none'>Produced By …: a hidden
    link to the CMS vendor, not an intruder's; the rule tells them apart by the pack's blacklist."""
    vendor = [link for link in corpus_hidden(name) if link["url"] == "http://www.hanweb.com"]

    assert vendor == [{"url": "http://www.hanweb.com", "text": "Produced By 大汉网络 大汉版通发布系统",
                       "how": "display:none（a）", "hover_menu": False, "responsive": False}]


def test_pages_without_hidden_links_give_none() -> None:
    assert corpus_hidden("yn-gov-footer") == []
    assert corpus_hidden("cac-gov-article") == []


# ----- visible links

def test_visible_links_are_not_hidden() -> None:
    body = (
        '<div class="nav" style="background:#0b4ea2"><a href="/" style="color:#fff">首页</a></div>'
        '<a href="https://www.gov.cn/">中国政府网</a>'
        '<div style="position:absolute;left:-100px"><a href="/a">稍偏左</a></div>'
        '<div style="height:1px"><a href="/b">未裁剪</a></div>'
    )
    assert hidden(body) == []


def test_a_child_that_undoes_an_inherited_rule_is_visible() -> None:
    body = (
        '<div style="visibility:hidden"><a href="https://back.example/" style="visibility:visible">恢复</a></div>'
        '<div style="font-size:0"><a href="https://size.example/" style="font-size:14px">字号恢复</a></div>'
        '<div style="width:0;height:0;overflow:hidden">'
        '<a href="https://fixed.example/" style="position:fixed;left:20px;top:40px">固定定位</a></div>'
    )
    assert hidden(body) == []


def test_skipped_schemes_and_fragments_are_not_links() -> None:
    body = (
        '<div style="display:none"><a href="javascript:void(0)">x</a><a href="mailto:a@b.cn">m</a>'
        '<a href="#top">t</a><a>no href</a><a href="../gk/1.html">相对</a></div>'
    )
    assert [link["url"] for link in hidden(body)] == ["https://www.example.gov.cn/gk/1.html"]


# ----- style sheets

def test_an_element_hidden_by_a_style_class_is_found() -> None:
    head = "<style>/* 友情链接 */ .yqlj, #x { display : NONE !important } p.note{visibility:hidden}</style>"
    body = (
        '<div class="box yqlj"><a href="https://www.bet.example/">娱乐城</a></div>'
        '<p class="note"><a href="https://b.example/">b</a></p><p><a href="/c">c</a></p>'
    )
    assert hows(body, head) == ["display:none（div.box）", "visibility:hidden（p.note）"]


def test_rules_with_combinators_and_print_media_are_not_read_but_screen_media_is() -> None:
    head = (
        "<style>div a{display:none} .links > a{display:none}"
        "@media print{.p{display:none}} @media screen{.s{display:none}}</style>"
    )
    body = '<div class="links"><a href="/1">1</a></div><p class="p"><a href="/2">2</a></p>' \
           '<p class="s"><a href="/3">3</a></p>'
    assert [link["url"].rsplit("/", 1)[1] for link in hidden(body, head)] == ["3"]


def test_inline_style_overrides_the_style_sheet() -> None:
    head = "<style>.hide{display:none}</style>"
    assert hidden('<div class="hide" style="display:block"><a href="/x">x</a></div>', head) == []


def test_a_drop_down_menu_shown_on_hover_is_reported_as_a_menu() -> None:
    """The false-positive trap: a navigation sub-menu is display:none until hovered; it is reported (a rule
    cannot see hover) with hover_menu true, while a planted block on the same page is not a menu."""
    head = "<style>.submenu{display:none} .nav li:hover .submenu{display:block} .yq{display:none}</style>"
    body = (
        '<ul class="nav"><li><a href="/zwgk/">政务公开</a><ul class="submenu"><li><a href="/zwgk/zc/">政策文件</a>'
        '</li></ul></li></ul><div class="yq"><a href="https://casino.example/">百家乐</a></div>'
    )
    found = hidden(body, head)

    assert [(link["text"], link["how"], link["hover_menu"]) for link in found] == [
        ("政策文件", "display:none（ul.submenu）", True),
        ("百家乐", "display:none（div.yq）", False),
    ]


# ----- colour, size, position

@pytest.mark.parametrize("colour,background", [
    ("#fff", "#ffffff"), ("white", "rgb(255, 255, 255)"), ("#FFFFFF", "white"), ("rgb(255,255,255)", "#FFF"),
])
def test_text_the_colour_of_its_background_is_hidden(colour: str, background: str) -> None:
    body = f'<td style="background-color:{background}"><a href="https://x.example/" style="color:{colour}">x</a></td>'

    assert hows(f"<table><tr>{body}</tr></table>") == ["文字颜色与背景相同（a）"]


def test_colour_tricks_read_bgcolor_font_colour_and_inherit() -> None:
    head = "<style>a.same{color:#123456}</style>"
    body = (
        '<table bgcolor="#123456"><tr><td><a class="same" href="https://a.example/">a</a></td></tr></table>'
        '<div style="background:#eee url(bg.png)"><a href="https://b.example/" style="color:#eee">图上</a></div>'
        '<div style="color:#fff;background:#fff"><a href="https://c.example/">浏览器链接色</a>'
        '<a href="https://d.example/" style="color:inherit">继承</a></div>'
    )
    assert [(link["url"], link["how"]) for link in hidden(body, head)] == [
        ("https://a.example/", "文字颜色与背景相同（a.same）"),
        ("https://d.example/", "文字颜色与背景相同（div）"),
    ]


@pytest.mark.parametrize("style,how", [
    ("position:absolute;left:-9999px", "position:absolute;left:-9999px（div.link）"),
    ("position:fixed;top:-600px", "position:fixed;top:-600px（div.link）"),
    ("text-indent:-9999px", "text-indent:-9999px（div.link）"),
    ("margin:0 0 0 -3000px", "margin-left:-3000px（div.link）"),
    ("width:1px;height:1px;overflow:hidden", "height:1px;overflow:hidden（div.link）"),
    ("line-height:0;overflow:hidden", "line-height:0;overflow:hidden（div.link）"),
    ("font-size:0", "font-size:0（div.link）"),
    ("opacity:0", "opacity:0（div.link）"),
])
def test_tiny_and_off_screen_blocks_hide_their_links(style: str, how: str) -> None:
    assert hows(f'<div class="link" style="{style}"><span><a href="https://x.example/">x</a></span></div>') == [how]


def test_the_hidden_attribute_and_a_narrow_marquee_hide() -> None:
    body = (
        '<section hidden><a href="/a">a</a></section>'
        '<marquee style="width:0"><a href="/b">b</a></marquee><marquee height="20"><a href="/c">c</a></marquee>'
    )
    assert hows(body) == ["hidden 属性（section）", "marquee width=0（marquee）"]


# ----- document.write

def test_links_inside_a_written_hidden_block_are_found() -> None:
    body = (
        "<script>var s='<div style=\"display:none\"><a href=\"http://www.bet.example/\">\\u535a\\u5f69</a>';"
        "document.write(s + '</div>');</script>"
        "<script>document.write('<a href=\"/shown\">显示</a>');</script>"
    )
    assert hidden(body) == [
        {"url": "http://www.bet.example/", "text": "博彩", "how": "document.write display:none（div）",
         "hover_menu": False, "responsive": False},
    ]


def test_a_written_block_hidden_by_a_page_class_counts() -> None:
    head = "<style>.hd{display:none}</style>"
    body = "<script>document.write('<div class=\"hd\">');</script><a href='/x'>x</a><script>document.write('</div>')</script>"

    assert hows(body, head) == ["document.write 写入的隐藏块 display:none（div.hd）"]


# ----- caps

def test_links_and_texts_are_capped() -> None:
    body = "<div style='display:none'>" + "".join(
        f"<a href='/p{n}'>{'字' * 100}</a>" for n in range(MAX_HIDDEN_LINKS + 20)
    ) + "</div>"
    found = hidden(body)

    assert len(found) == MAX_HIDDEN_LINKS
    assert {len(link["text"]) for link in found} == {MAX_TEXT_CHARS}


def test_declarations_are_read_case_and_importance_insensitive() -> None:
    assert parse_declarations("DISPLAY : None !important; color:#FFF;;bad") == {"display": "none", "color": "#fff"}


# ----- meta text

def test_meta_text_reads_keywords_and_description() -> None:
    head = (
        '<meta http-equiv="keywords" content="办事指南,服务大厅" />'
        f'<meta name="Description" content="  某市 人民政府\n{"长" * 600}">'
    )
    text = meta_text(Document(page("<p>x</p>", head), URL))

    assert text["keywords"] == "办事指南,服务大厅"
    assert text["description"].startswith("某市 人民政府 长")
    assert len(text["description"]) == MAX_META_TEXT_CHARS


def test_meta_text_is_none_when_missing_or_blank() -> None:
    text = meta_text(Document(page("<p>x</p>", '<meta name="keywords" content="  ">'), URL))

    assert text == {"keywords": None, "description": None}
