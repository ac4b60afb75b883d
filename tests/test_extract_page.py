"""extract_page / extract_facts: one parse, the full fact set, script detection and parse failures."""

import json
from pathlib import Path

import pytest

from govmon.facts import ExtractError, extract_facts, extract_links, extract_page
from govmon.facts.document import Document
from govmon.facts.encoding import decode_html

PAGES = Path(__file__).parent / "pages"
ATTACHMENTS = frozenset({"doc", "docx", "xls", "xlsx", "pdf", "wps", "ofd", "zip", "rar", "et"})
FACT_KEYS = {
    "title", "published", "published_source", "published_meta", "column", "site_name", "site_domain", "site_code_meta",
    "site_code", "icp", "police_record", "sponsor", "contact", "meta", "script_written", "fingerprint",
    "items", "latest_listed", "empty_list", "pagination", "nav", "sitemap", "breadcrumb",
    "navigation_only", "messages", "disclosure", "publicity", "approved", "related", "interprets", "media_accounts",
    "personal_data", "hidden_links", "meta_text", "field_labels",
}
FIXTURES = sorted(path.name for path in PAGES.glob("*.html"))


def decoded(name: str) -> str:
    text, _ = decode_html((PAGES / name).read_bytes(), "text/html")
    return text


@pytest.mark.parametrize("fixture", FIXTURES)
def test_every_fixture_gives_the_full_json_serialisable_fact_set(fixture: str) -> None:
    facts, links = extract_page(decoded(fixture), "https://www.example.gov.cn/a/t20210624_1.html", ATTACHMENTS)

    assert set(facts) == FACT_KEYS
    assert set(facts["fingerprint"]) == {"blocks", "text_length", "not_found"}
    assert json.loads(json.dumps(facts, ensure_ascii=False)) == facts
    assert all(link.url.startswith(("http://", "https://")) for link in links)


@pytest.mark.parametrize("fixture", FIXTURES)
def test_extract_page_equals_the_separate_extractors(fixture: str) -> None:
    html = decoded(fixture)
    url = "https://www.example.gov.cn/zwgk/index.html"

    facts, links = extract_page(html, url, ATTACHMENTS)

    assert facts == extract_facts(html, url)
    assert links == extract_links(html, url, ATTACHMENTS)


def test_gbk_fixture_decoded_then_extracted() -> None:
    text, encoding = decode_html((PAGES / "gbk_declared_gb2312.html").read_bytes(), "text/html; charset=gb2312")

    facts, links = extract_page(text, "https://www.example.gov.cn/xwzx/xqdt/202107/t20210705_9.html", ATTACHMENTS)

    assert encoding == "gb18030"
    assert facts["title"] == "朱镕基同志视察我县纪实"
    assert facts["published"] == "2021-07-05"
    assert facts["published_source"] == "header"
    assert facts["column"] == "乡镇动态"
    assert facts["sponsor"] == "某县人民政府办公室（镕城信息中心）"
    assert facts["site_code"] == "5301240001"
    assert [link.text for link in links] == ["首页", "新闻中心", "乡镇动态"]


def test_yunnan_article_facts() -> None:
    facts, links = extract_page(
        decoded("yunnan_article.html"), "https://www.yn.gov.cn/zwgk/zcwj/szfbgtwj/202206/t20220602_1.html", ATTACHMENTS
    )

    assert facts["title"] == "云南省人民政府办公厅关于印发2022年云南省政务公开工作要点的通知"
    assert (facts["published"], facts["published_source"]) == ("2022-06-02", "url")
    assert facts["column"] == "省政府办公厅文件"
    assert facts["site_code"] == "5300000033"
    assert facts["script_written"] is False
    assert facts["fingerprint"]["not_found"] is None
    assert [link.url for link in links if link.kind == "attachment"] == [
        "https://www.yn.gov.cn/uploadfile/2022/0602/rwqd.docx"
    ]


@pytest.mark.parametrize(
    ("script", "written"),
    [
        ("document.write('<p>x</p>');", True),
        ("document.writeln('<p>x</p>');", True),
        ("document . write ( '<p>x</p>' );", True),
        ("document.getElementById('a').innerHTML = '<p>x</p>';", True),
        ("el.innerHTML += '<li>x</li>';", True),
        ("el.outerHTML = '<p>x</p>';", True),
        ("el.insertAdjacentHTML('beforeend', '<p>x</p>');", True),
        ("if (el.innerHTML == '') { console.log(1); }", False),
        ("var a = 1; window.onload = function () { track(); };", False),
        ("", False),
    ],
)
def test_script_written(script: str, written: bool) -> None:
    html = f"<html><body><div id='a'></div><script>{script}</script></body></html>"

    assert extract_facts(html, "https://www.example.gov.cn/")["script_written"] is written


def test_external_scripts_do_not_make_a_page_script_written() -> None:
    html = "<html><body><p>x</p><script src='/js/footer.js'></script></body></html>"

    assert extract_facts(html, "https://www.example.gov.cn/")["script_written"] is False


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n\t ",
        "<!-- 只有注释 -->",
        "\x00\x01\x02\x03PK\x03\x04\x14\x00\x06\x00" * 50,
        "%PDF-1.4\n\x00\x00\x01\x1f" * 40,
    ],
)
def test_unparseable_documents_raise_extract_error(html: str) -> None:
    with pytest.raises(ExtractError):
        extract_page(html, "https://www.example.gov.cn/", ATTACHMENTS)
    with pytest.raises(ExtractError):
        extract_facts(html, "https://www.example.gov.cn/")


def test_extract_error_is_a_value_error() -> None:
    assert issubclass(ExtractError, ValueError)


def test_xml_declaration_is_accepted() -> None:
    html = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        "<head><title>标题_某市人民政府</title></head><body><p>x</p></body></html>"
    )

    facts, _ = extract_page(html, "https://www.example.gov.cn/", ATTACHMENTS)

    assert facts["title"] == "标题"


def test_stray_control_characters_from_word_do_not_fail_the_page() -> None:
    html = "<html><body><p>正文\x0b内容" + "。" * 500 + "</p><div>网站标识码：5300000033</div></body></html>"

    facts, _ = extract_page(html, "https://www.example.gov.cn/", ATTACHMENTS)

    assert facts["site_code"] == "5300000033"


def test_fragment_without_html_or_body_is_parsed() -> None:
    html = "<p>发布时间：2021-07-05</p><a href='/a.pdf'>附件</a>"

    facts, links = extract_page(html, "https://www.example.gov.cn/", ATTACHMENTS)

    assert facts["published"] == "2021-07-05"
    assert [link.kind for link in links] == ["attachment"]


def test_soft404_page_facts() -> None:
    facts, _ = extract_page(decoded("soft404.html"), "https://www.example.gov.cn/no-such-page-7f3e.html", ATTACHMENTS)

    assert facts["fingerprint"]["not_found"] == "您访问的页面不存在"
    assert facts["fingerprint"]["text_length"] > 0


FOOTER = "<div class='footer'>主办单位：某县人民政府办公室 滇ICP备12000001号 网站标识码：5301000001<a href='/wzdt/'>网站地图</a></div>"


@pytest.mark.parametrize(
    "html",
    [
        f"<html><head><title>页面</title></head><body><p>正文</p></body></html>{FOOTER}",
        f"<html><head><title>页面</title></head><body><p>正文</p></body>{FOOTER}</html>",
        f"<html><body><p>正文</p></body></html>\n<html><body>{FOOTER}</body></html>",
        f"<html><body><p>正文</p></html>尾部文字{FOOTER}",
    ],
    ids=["after </html>", "after </body>", "a second document", "text after </html>"],
)
def test_content_after_a_stray_closing_tag_is_read_as_the_browser_renders_it(html: str) -> None:
    facts, links = extract_page(html, "https://www.example.gov.cn/a/index.html", ATTACHMENTS)

    assert (facts["sponsor"], facts["icp"], facts["site_code"]) == ("某县人民政府办公室", "滇ICP备12000001号", "5301000001")
    assert "https://www.example.gov.cn/wzdt/" in [link.url for link in links]


def test_stray_content_follows_the_body_in_document_order() -> None:
    document = Document("<html><body><p>正文</p></body>中间<p>之后</p></html><div>最后</div>", "https://x.gov.cn/")

    assert [block.text for block in document.blocks] == ["正文", "中间", "之后", "最后"]


def test_an_extractor_that_breaks_on_a_page_costs_only_its_own_fact(monkeypatch) -> None:
    """Real pages break extractors in ways nobody listed: the page keeps every other fact and its links."""
    import govmon.facts.page as page_module
    from govmon.facts import extract_page

    def broken(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(page_module, "extract_column", broken)
    html = ('<html><head><title>通知</title></head><body><div>当前位置：首页 > 通知公告</div>'
            '<a href="/a.html">甲</a><div class="footer">主办单位：某县人民政府办公室</div></body></html>')
    facts, links = extract_page(html, "http://www.example.gov.cn/t.html", frozenset())
    assert facts["column"] is None and facts["extract_errors"] == {"column": "IndexError: list index out of range"}
    assert (facts["title"], facts["sponsor"]) == ("通知", "某县人民政府办公室")
    assert [link.url for link in links] == ["http://www.example.gov.cn/a.html"]
