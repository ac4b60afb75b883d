"""extract_links: every link and resource, classified, resolved, in document order; canonical_url."""

import dataclasses
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from govmon.facts import Link, canonical_url, extract_links

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
        ("<img data-src='/a.jpg'>", "img", "data-src", "resource"),
        ("<img data-original='/a.jpg'>", "img", "data-original", "resource"),
        ("<img data-lazy-src='/a.jpg'>", "img", "data-lazy-src", "resource"),
        ("<img data-echo='/a.jpg'>", "img", "data-echo", "resource"),
        ("<img srcset='/a.jpg 2x'>", "img", "srcset", "resource"),
        ("<picture><source srcset='/a.webp'></picture>", "source", "srcset", "resource"),
        ("<video poster='/a.jpg'></video>", "video", "poster", "resource"),
        ("<video><track src='/a.vtt'></video>", "track", "src", "resource"),
        ("<input type='image' src='/a.gif'>", "input", "src", "resource"),
        ("<div style='background: url(/a.png) no-repeat'>x</div>", "div", "style", "resource"),
        ("<form><button formaction='/a.html'>x</button></form>", "button", "formaction", "page"),
        ("<form method='get'><input type='submit' formaction='/a.jsp'></form>", "input", "formaction", "page"),
        ("<button formaction='/a.pdf'>x</button>", "button", "formaction", "attachment"),
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
     "about:blank", "#", "#top", "", "   ", "ftp://files.example.gov.cn/a.pdf", "FTP://files.example.gov.cn/",
     "thunder://QUFodHRw", "weixin://dl/chat"],
)
def test_skipped_hrefs(href: str) -> None:
    """Not checked: not the web (mailto:, tel:), not a target (#), or not checkable here (ftp:, which no
    browser opens any more and govmon cannot fetch: never called broken without being observed)."""
    assert links(f"<a href='{href}'>x</a><img src='{href}'>") == []


@pytest.mark.parametrize(
    "href",
    ["http://localhost]/x.html", "http://[bad", "http://[bad/", "https://[", "//[bad/a.html", "http://",
     "https://", "http:///a.html", "http://www.exa mple.gov.cn/", "http://www.example.gov.cn:99999/",
     "http://www.example.gov.cn:8o/", "http://www.example.gov.cn:-1/", "http://ex\x01ample.gov.cn/",
     "http://www.example.gov.cn\u3000.cn/", "http://.example.org/", "http://www..example.gov.cn/",
     "http://[::1]x/", "http://[::1", "http://[::1:80/", "http://user@/a", "http://a|b.gov.cn/", "http:x.html"],
)
def test_malformed_urls_are_broken_links_and_the_page_is_still_extracted(href: str) -> None:
    found = links(f"<a href='/before.html'>前</a><a href='{href}'>坏</a><img src='{href}' alt='图'>"
                  "<a href='/after.html'>后</a>" + "<p>正文</p>" * 50)  # a control character in a page of text

    assert [(link.tag, link.error) for link in found] == [
        ("a", None), ("a", "invalid_url"), ("img", "invalid_url"), ("a", None)]
    assert [link.kind for link in found] == ["page", "page", "resource", "page"]
    assert found[1].text == "坏" and "#" not in found[1].url


@pytest.mark.parametrize(
    ("href", "url"),
    [("http://www.exa mple.gov.cn/a.html#top", "http://www.exa mple.gov.cn/a.html"),
     ("http://localhost]/x.html", "http://localhost%5D/x.html"), ("http://[bad", "http://%5Bbad"),
     ("//[bad/a.html", "//%5Bbad/a.html"), ("http://[::1]:80x/", "http://[::1]:80x/")],
)
def test_a_malformed_url_is_kept_as_written_its_unbalanced_brackets_escaped(href: str, url: str) -> None:
    """Stored URLs must split (urlsplit raises on an unclosed bracket, and every check reads them)."""
    (link,) = links(f"<a href='{href}'>x</a>")

    assert (link.url, link.error) == (url, "invalid_url")
    urlsplit(link.url)


@pytest.mark.parametrize(
    "href",
    ["http://[::1]:8080/a", "http://www.example.gov.cn:/a", "http://政府.cn/", "http://user:pw@www.example.gov.cn/",
     "http://www.example.gov.cn./", "http://127.0.0.1:65535/", "http://www.example.gov.cn/a b|c^d"],
)
def test_unusual_but_valid_urls_are_not_malformed(href: str) -> None:
    (link,) = links(f"<a href='{href}'>x</a>")

    assert link.error is None


@pytest.mark.parametrize(
    ("href", "kind"),
    [("file:///C:/Documents%20and%20Settings/a/通知.doc", "attachment"), ("FILE://server/share/a.html", "page"),
     ("file:a.pdf", "attachment"), ("C:\\Users\\a\\附件.xls", "attachment"), ("D:/材料/b.html", "page")],
)
def test_links_to_the_authors_computer_are_unsupported(href: str, kind: str) -> None:
    (link,) = links(f"<a href='{href}'>x</a>")

    assert (link.url, link.kind, link.error) == (href, kind, "unsupported_scheme")


@pytest.mark.parametrize(
    "content",
    ["0; url=/new/", "0;url=/new/", "0;URL=/new/", "0; URL='/new/'", '0; url="/new/"', "0;url= /new/ ",
     " 0 ; url = /new/", "0,url=/new/", "0; /new/", "0 /new/", "3; Url=/new/", "0.5; url=/new/", "1800;url=/new/",
     "0; url=/new/#top", "\n0;\n url=/new/"],
)
def test_meta_refresh_spellings(content: str) -> None:
    quote = "'" if '"' in content else '"'
    (link,) = links("", head=f'<meta http-equiv="refresh" content={quote}{content}{quote}>')

    assert link == Link(url="https://www.example.gov.cn/new/", tag="meta", attr="refresh", text="", kind="page")


@pytest.mark.parametrize(
    "content",
    ["0", "300", "", "url=/new/", ";url=/new/", "now; url=/new/", "0; url=", "0;url=''", "0; url=javascript:go()"],
)
def test_meta_refresh_that_goes_nowhere_is_no_link(content: str) -> None:
    """A plain reload, and what browsers ignore: no delay before the URL (HTML's refresh parsing)."""
    assert links("", head=f'<meta http-equiv="refresh" content="{content}">') == []


def test_meta_refresh_is_read_in_any_case_and_anywhere_on_the_page() -> None:
    found = links("<noscript><meta HTTP-EQUIV='Refresh' CONTENT='0;URL=/nojs.html'></noscript>",
                  head="<META HTTP-equiv='REFRESH' content='5; URL=http://www.gov.cn/'>")

    assert urls(found) == ["http://www.gov.cn/", "https://www.example.gov.cn/nojs.html"]


@pytest.mark.parametrize(
    ("content", "url", "kind"),
    [("0;url=ftp://ftp.example.gov.cn/", "ftp://ftp.example.gov.cn/", "page"),
     ("0;url=file:///C:/site/index.html", "file:///C:/site/index.html", "page"),
     ("0;url=ftp://ftp.example.gov.cn/a.pdf", "ftp://ftp.example.gov.cn/a.pdf", "attachment")],
)
def test_refresh_to_ftp_or_file_is_an_unsupported_redirect(content: str, url: str, kind: str) -> None:
    (link,) = links("", head=f"<meta http-equiv='refresh' content='{content}'>")

    assert (link.url, link.kind, link.error) == (url, kind, "unsupported_redirect")


# Written for this test: the assignment shapes of government homepages' redirect scripts (see
# tests/pages/gov_scripts/PROVENANCE.md for the real scripts, none of them a live redirect).
@pytest.mark.parametrize(
    "script",
    ['window.location.href = "/z.html";', "location.href='/z.html'", 'window.location="/z.html"',
     "window.location = '/z.html';", 'location.replace("/z.html")', "window.location.replace('/z.html');",
     "location.assign('/z.html')", "top.location.href='/z.html';", "self.location='/z.html';",
     'top.location = "/z.html"', "document.location.href='/z.html'", "parent.location.href='/z.html'",
     "window . location . href = '/z.html' ;", '\n  location.href="/z.html"\n', "<!--\nlocation.href='/z.html';\n//-->",
     "setTimeout(\"window.location.href='/z.html'\", 3000);", "if (isMobile) { location.href = '/z.html' }",
     "location.href='\\/z.html';", "window.location.href=`/z.html`;"],
)
def test_script_redirects_are_page_links(script: str) -> None:
    (link,) = links(f"<script>{script}</script>")

    assert link == Link(url="https://www.example.gov.cn/z.html", tag="script", attr="location", text="", kind="page")


@pytest.mark.parametrize(
    "script",
    ["if (location.href == '/a.html') {}", "var here = window.location.href;", "location.href = '/list?id=' + id;",
     "location.href = `/t/${id}`;", "location.href = url;", "a.location.href = '/x.html';", "mylocation = '/x.html';",
     "location.reload();", "window.open('/x.html');", "location.href='javascript:void(0)';", "location.href='#top';",
     "/* location.href='/x.html'; */", "// location.href='/x.html';", "var s = \"location.href\";"],
)
def test_what_is_no_script_redirect(script: str) -> None:
    assert links(f"<script>{script}</script>") == []


@pytest.mark.parametrize("name", ["mps_jsl_challenge.js", "mps_home_tanceng.js"])
def test_real_government_scripts_without_a_live_redirect(name: str) -> None:
    """www.mps.gov.cn: its bot check reloads a computed address; its homepage's redirect is commented out."""
    script = (PAGES / "gov_scripts" / name).read_text(encoding="utf-8")

    assert links(f"<script>{script}</script>") == []


def test_a_script_redirect_to_ftp_is_unsupported_and_one_in_a_script_with_src_is_not_read() -> None:
    found = links("<script>location.href='ftp://ftp.example.gov.cn/';</script>"
                  "<script src='/a.js'>location.href='/never.html'</script>")

    assert [(link.attr, link.url, link.error) for link in found] == [
        ("location", "ftp://ftp.example.gov.cn/", "unsupported_redirect"),
        ("src", "https://www.example.gov.cn/a.js", None)]


def test_anchor_without_href_is_skipped() -> None:
    assert links("<a name='top'>x</a><a>y</a><img alt='no src'>") == []


@pytest.mark.parametrize(
    ("srcset", "expected"),
    [("/s.jpg 1x, /l.jpg 2x", ["/s.jpg", "/l.jpg"]), ("/s.jpg 480w,/l.jpg 800w", ["/s.jpg", "/l.jpg"]),
     ("/s.jpg, /l.jpg", ["/s.jpg", "/l.jpg"]), ("  /only.jpg  ", ["/only.jpg"]), ("/a,b.jpg 1x", ["/a,b.jpg"]),
     ("data:image/gif;base64,R0lGOD 1x, /l.jpg 2x", ["/l.jpg"]), ("", [])],
)
def test_srcset_candidates(srcset: str, expected: list[str]) -> None:
    found = links(f"<img srcset='{srcset}'>")

    assert urls(found) == ["https://www.example.gov.cn" + url for url in expected]


def test_a_lazy_image_names_each_url_once() -> None:
    found = links("<img src='/loading.gif' data-original='/photo.jpg' srcset='/photo.jpg 1x, /photo@2x.jpg 2x'"
                  " alt='会议'>"
                  "<img src='/same.jpg' data-src='/same.jpg'>")

    assert [(link.attr, link.url.rsplit("/", 1)[1], link.text) for link in found] == [
        ("src", "loading.gif", "会议"), ("data-original", "photo.jpg", "会议"), ("srcset", "photo@2x.jpg", "会议"),
        ("src", "same.jpg", "")]


@pytest.mark.parametrize(
    "style",
    ["background:url(/bg.png)", "background: URL( '/bg.png' )", 'background-image:url("/bg.png");color:red',
     "background:url(/bg.png) no-repeat, url(data:image/png;base64,AAAA)"],
)
def test_css_urls_of_style_attributes(style: str) -> None:
    quote = "'" if '"' in style else '"'
    (link,) = links(f"<td style={quote}{style}{quote}>x</td>")

    assert (link.url, link.tag, link.attr, link.kind) == (
        "https://www.example.gov.cn/bg.png", "td", "style", "resource")


def test_css_urls_and_imports_of_style_blocks_comments_aside() -> None:
    found = links("", head="<style>@import 'base.css'; /* url(/old.png) */"
                           " .nav{background:url(../img/nav.png)}</style>")

    assert urls(found) == [
        "https://www.example.gov.cn/zwgk/img/nav.png", "https://www.example.gov.cn/zwgk/tzgg/base.css"]


def test_post_formaction_and_non_image_input_src_are_no_links() -> None:
    found = links("<form method='POST'><button formaction='/save'>存</button>"
                  "<button formaction='/find' formmethod='get'>查</button></form><input type='text' src='/x.png'>")

    assert [(link.url, link.text) for link in found] == [("https://www.example.gov.cn/find", "查")]


def test_a_malformed_base_href_is_ignored() -> None:
    found = links("<a href='a.html'>x</a>", head="<base href='http://[bad/'>")

    assert urls(found) == ["https://www.example.gov.cn/zwgk/tzgg/a.html"]


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


@pytest.mark.parametrize(
    ("one", "other"),
    [("http://www.example.gov.cn/新闻/", "http://www.example.gov.cn/%E6%96%B0%E9%97%BB/"),
     ("http://www.example.gov.cn/%e6%96%b0%e9%97%bb/", "http://www.example.gov.cn/%E6%96%B0%E9%97%BB/"),
     ("http://www.example.gov.cn/search?q=政策", "http://www.example.gov.cn/search?q=%E6%94%BF%E7%AD%96"),
     ("http://www.example.gov.cn/a b.html", "http://www.example.gov.cn/a%20b.html"),
     ("http://政府.cn/", "http://xn--mxtq1m.cn/"),
     ("http://www.example.gov.cn/a|b", "http://www.example.gov.cn/a%7Cb")],
)
def test_canonical_url_is_the_percent_encoded_form(one: str, other: str) -> None:
    assert canonical_url(one) == canonical_url(other) == other


@pytest.mark.parametrize(
    "url",
    ["http://localhost]/x.html", "http://[bad", "http://", "http:", "//[bad", "http://a.gov.cn:99999/",
     "http://a.gov.cn:x/", "file:///C:/a.doc", "C:\\a.doc", "", "   ", "http://[::1", "http://a b.cn/", "http://\x00/",
     "\ud800", "http://%zz/"],
)
def test_canonical_url_never_raises(url: str) -> None:
    assert canonical_url(url) == canonical_url(canonical_url(url))


def test_canonical_url_makes_equivalent_urls_equal() -> None:
    assert canonical_url("HTTP://Example.gov.cn:80/a?x=1#top") == canonical_url("http://example.gov.cn/a?x=1")
    assert canonical_url("http://example.gov.cn/a?x=1&y=2") != canonical_url("http://example.gov.cn/a?y=2&x=1")
    assert canonical_url("http://example.gov.cn/a/") != canonical_url("http://example.gov.cn/a")
