"""extract_links: every link and resource, classified, resolved, in document order; canonical_url."""

import dataclasses
from pathlib import Path

import pytest

from crawler.extract import Link, canonical_url, extract_links

PAGES = Path(__file__).parent / "pages"
ATTACHMENTS = frozenset({"doc", "docx", "xls", "xlsx", "pdf", "wps", "ofd", "zip", "rar", "et"})
BASE = "https://www.example.gov.cn/zwgk/tzgg/index.html"


def links(body: str, head: str = "", base_url: str = BASE, extensions: frozenset[str] = ATTACHMENTS) -> list[Link]:
    return extract_links(f"<html><head>{head}</head><body>{body}</body></html>", base_url, extensions)


def urls(found: list[Link]) -> list[str]:
    return [link.url for link in found]


@pytest.mark.parametrize(
    ("markup", "tag", "attr", "kind"),
    [
        ("<a href='/a.html'>x</a>", "a", "href", "page"),
        ("<map><area href='/a.html' alt='x'></map>", "area", "href", "page"),
        ("<iframe src='/a.html'></iframe>", "iframe", "src", "page"),
        ("<img src='/a.png'>", "img", "src", "resource"),
        ("<script src='/a.js'></script>", "script", "src", "resource"),
        ("<embed src='/a.swf'>", "embed", "src", "resource"),
        ("<object data='/a.swf'></object>", "object", "data", "resource"),
        ("<video src='/a.mp4'></video>", "video", "src", "resource"),
        ("<audio src='/a.mp3'></audio>", "audio", "src", "resource"),
        ("<video><source src='/a.mp4'></video>", "source", "src", "resource"),
        ("<a href='/a.pdf'>x</a>", "a", "href", "attachment"),
        ("<map><area href='/a.xls' alt='x'></map>", "area", "href", "attachment"),
    ],
)
def test_tags_attributes_and_kinds(markup: str, tag: str, attr: str, kind: str) -> None:
    (link,) = links(markup)

    assert (link.tag, link.attr, link.kind) == (tag, attr, kind)
    assert link.url.startswith("https://www.example.gov.cn/a.")


def test_frames_of_a_frameset_are_pages() -> None:
    html = "<html><frameset cols='20%,80%'><frame src='left.html'><frame src='main.html'></frameset></html>"

    found = extract_links(html, BASE, ATTACHMENTS)

    assert [(link.tag, link.kind) for link in found] == [("frame", "page"), ("frame", "page")]
    assert urls(found) == [
        "https://www.example.gov.cn/zwgk/tzgg/left.html",
        "https://www.example.gov.cn/zwgk/tzgg/main.html",
    ]


@pytest.mark.parametrize(
    ("rel", "kept"),
    [("stylesheet", True), ("Stylesheet", True), ("icon", True), ("shortcut icon", True), ("alternate", False),
     ("canonical", False), ("preload", False), ("", False)],
)
def test_link_elements_count_only_for_stylesheets_and_icons(rel: str, kept: bool) -> None:
    found = links("", head=f"<link rel='{rel}' href='/style.css'>")

    assert urls(found) == (["https://www.example.gov.cn/style.css"] if kept else [])
    assert all(link.kind == "resource" for link in found)


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("detail.html", "https://www.example.gov.cn/zwgk/tzgg/detail.html"),
        ("../zcwj/index.html", "https://www.example.gov.cn/zwgk/zcwj/index.html"),
        ("./202107/t20210705_1.html", "https://www.example.gov.cn/zwgk/tzgg/202107/t20210705_1.html"),
        ("/", "https://www.example.gov.cn/"),
        ("/a/./b/../c.html", "https://www.example.gov.cn/a/c.html"),
        ("?page=2", "https://www.example.gov.cn/zwgk/tzgg/index.html?page=2"),
        ("//cdn.example.gov.cn/a.js", "https://cdn.example.gov.cn/a.js"),
        ("http://www.gov.cn/", "http://www.gov.cn/"),
        ("HTTPS://WWW.GOV.CN/a", "HTTPS://WWW.GOV.CN/a"),
        ("  /a.html  ", "https://www.example.gov.cn/a.html"),
        ("/a\n/b.html", "https://www.example.gov.cn/a/b.html"),
        ("/a.html#section", "https://www.example.gov.cn/a.html"),
        ("/list.html?a=1&amp;b=2", "https://www.example.gov.cn/list.html?a=1&b=2"),
        ("/中文/附件.html", "https://www.example.gov.cn/中文/附件.html"),
    ],
)
def test_urls_are_resolved_and_cleaned(href: str, expected: str) -> None:
    assert urls(links(f"<a href='{href}'>x</a>")) == [expected]


@pytest.mark.parametrize(
    "href",
    ["javascript:void(0)", "JavaScript:window.print()", "mailto:a@b.cn", "tel:12345", "data:text/html,x",
     "about:blank", "#", "#top", "", "   ", "ftp://files.example.gov.cn/a.pdf", "http://", "http:///a.html",
     "http://[bad/"],
)
def test_skipped_hrefs(href: str) -> None:
    assert links(f"<a href='{href}'>x</a><img src='{href}'>") == []


def test_anchor_without_href_is_skipped() -> None:
    assert links("<a name='top'>x</a><a>y</a><img alt='no src'>") == []


def test_base_href_is_honoured_for_every_tag() -> None:
    found = links("<a href='a.html'>x</a><img src='i.png'>", head="<base href='https://static.example.gov.cn/site/'>")

    assert urls(found) == ["https://static.example.gov.cn/site/a.html", "https://static.example.gov.cn/site/i.png"]


def test_relative_base_href_resolves_against_the_page() -> None:
    found = links("<a href='a.html'>x</a><a href='/b.html'>y</a>", head="<base href='/cms/'>")

    assert urls(found) == ["https://www.example.gov.cn/cms/a.html", "https://www.example.gov.cn/b.html"]


def test_duplicates_are_kept_in_document_order() -> None:
    found = links(
        "<img src='/logo.png'><a href='/a.html'>一</a><a href='/b.html'>二</a><a href='/a.html'>三</a>"
        "<script src='/x.js'></script>"
    )

    assert [(link.tag, link.url.rsplit("/", 1)[1], link.text) for link in found] == [
        ("img", "logo.png", ""),
        ("a", "a.html", "一"),
        ("a", "b.html", "二"),
        ("a", "a.html", "三"),
        ("script", "x.js", ""),
    ]


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<a href='/a'>  关于\n  印发的  <b>通知</b> </a>", "关于 印发的 通知"),
        ("<a href='/a'><img src='/i.png' alt=' 政务服务 '></a>", "政务服务"),
        ("<a href='/a'><img src='/i.png' title='互动交流'></a>", "互动交流"),
        ("<a href='/a' title='网站地图'><img src='/i.png'></a>", "网站地图"),
        ("<a href='/a'></a>", ""),
        ("<a href='/a'>" + "长" * 300 + "</a>", "长" * 200),
    ],
)
def test_anchor_text(markup: str, text: str) -> None:
    anchor = next(link for link in links(markup) if link.tag == "a")

    assert anchor.text == text


def test_area_and_img_alt_are_their_text_and_other_tags_have_none() -> None:
    found = links(
        "<map><area href='/a.html' alt='地图区域'></map><img src='/i.png' alt=' 图片 '>"
        "<img src='/j.png' title='标题'><img src='/k.png'><iframe src='/f.html' title='框架'></iframe>"
        "<script src='/s.js' title='脚本'></script>"
    )

    assert [link.text for link in found] == ["地图区域", "图片", "标题", "", "", ""]


@pytest.mark.parametrize(
    ("href", "kind"),
    [
        ("/files/a.pdf", "attachment"),
        ("/files/a.PDF", "attachment"),
        ("/files/a.Docx", "attachment"),
        ("/files/a.wps", "attachment"),
        ("/files/a.ofd", "attachment"),
        ("/files/a.et", "attachment"),
        ("/files/a.pdf?v=2", "attachment"),
        ("/files/a.pdf#page=3", "attachment"),
        ("/files/a.pdf.html", "page"),
        ("/files.pdf/a", "page"),
        ("/download.jsp?file=a.pdf", "page"),
        ("/files/apdf", "page"),
        ("https://www.example.gov.cn", "page"),
    ],
)
def test_attachment_by_path_extension(href: str, kind: str) -> None:
    (link,) = links(f"<a href='{href}'>x</a>")

    assert link.kind == kind


def test_attachment_extensions_come_from_the_caller() -> None:
    markup = "<a href='/a.pdf'>x</a><a href='/b.txt'>y</a>"

    assert [link.kind for link in links(markup, extensions=frozenset({"txt"}))] == ["page", "attachment"]
    assert [link.kind for link in links(markup, extensions=frozenset({".PDF"}))] == ["attachment", "page"]
    assert [link.kind for link in links(markup, extensions=frozenset())] == ["page", "page"]


def test_images_are_resources_even_with_attachment_extensions() -> None:
    (link,) = links("<img src='/scan.pdf'>")

    assert link.kind == "resource"


def test_link_is_a_frozen_dataclass() -> None:
    (link,) = links("<a href='/a.html'>x</a>")

    assert link == Link(url="https://www.example.gov.cn/a.html", tag="a", attr="href", text="x", kind="page")
    with pytest.raises(dataclasses.FrozenInstanceError):
        link.url = "https://other/"  # type: ignore[misc]


def test_portal_home_page() -> None:
    html = (PAGES / "portal_home.html").read_text(encoding="utf-8")

    found = extract_links(html, "https://www.example.gov.cn/", ATTACHMENTS)

    kinds = {(link.tag, link.kind) for link in found}
    assert kinds == {
        ("a", "page"), ("a", "attachment"), ("img", "resource"), ("link", "resource"), ("script", "resource")
    }
    assert [link.url for link in found if link.kind == "attachment"] == [
        "https://www.example.gov.cn/files/2024/guide.pdf",
        "https://www.example.gov.cn/files/2024/form.DOCX",
    ]
    # The script written by document.write is not in the static HTML; <option value> is not a link.
    assert not any("conac" in link.url or "dept" in link.url for link in found)
    assert found[0].url == "https://www.example.gov.cn/css/index.css"
    assert sum(link.tag == "a" for link in found) == 191


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://WWW.Example.GOV.cn/Path/Page.html", "http://www.example.gov.cn/Path/Page.html"),
        ("http://www.example.gov.cn:80/a", "http://www.example.gov.cn/a"),
        ("https://www.example.gov.cn:443/a", "https://www.example.gov.cn/a"),
        ("https://www.example.gov.cn:8443/a", "https://www.example.gov.cn:8443/a"),
        ("http://www.example.gov.cn:443/a", "http://www.example.gov.cn:443/a"),
        ("http://www.example.gov.cn/a#frag", "http://www.example.gov.cn/a"),
        ("http://www.example.gov.cn/a/?b=2&a=1", "http://www.example.gov.cn/a/?b=2&a=1"),
        ("http://www.example.gov.cn/a/", "http://www.example.gov.cn/a/"),
        ("http://www.example.gov.cn", "http://www.example.gov.cn/"),
        ("http://[::1]:80/a", "http://[::1]/a"),
        ("http://[::1]:8080/a", "http://[::1]:8080/a"),
        ("http://User:Pass@Example.gov.cn:81/", "http://User:Pass@example.gov.cn:81/"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_canonical_url_makes_equivalent_urls_equal() -> None:
    assert canonical_url("HTTP://Example.gov.cn:80/a?x=1#top") == canonical_url("http://example.gov.cn/a?x=1")
    assert canonical_url("http://example.gov.cn/a?x=1&y=2") != canonical_url("http://example.gov.cn/a?y=2&x=1")
    assert canonical_url("http://example.gov.cn/a/") != canonical_url("http://example.gov.cn/a")
