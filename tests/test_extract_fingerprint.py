"""Fingerprints for soft-404 detection: visible text blocks, letter-only block hashes, not-found phrases."""

import zlib
from pathlib import Path

import pytest

from govmon.facts import block_hashes, not_found_signal, page_fingerprint, text_blocks

PAGES = Path(__file__).parent / "pages"


def body(markup: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{markup}</body></html>"


def test_text_blocks_split_at_block_elements_in_document_order() -> None:
    html = body(
        "<div>一<span>二</span>三<p>四</p>五</div><ul><li>六</li><li>七</li></ul>"
        "<table><tr><td>八</td><td>九</td></tr></table>十<br>十一<h2>十二</h2>"
        "<section>十三</section><article>十四</article><header>十五</header><footer>十六</footer>"
        "<nav>十七</nav><dl><dt>十八</dt><dd>十九</dd></dl><form>二十</form>"
    )

    assert text_blocks(html) == [
        "一二三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
        "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
    ]


def test_text_blocks_drop_scripts_styles_noscript_comments_and_head() -> None:
    html = body(
        "<p>可见<script>var hidden = '脚本';</script>文字</p><style>.a{color:red}</style>"
        "<noscript>请启用脚本</noscript><!-- 注释 --><template><p>模板</p></template><p>结尾</p>",
        head="<title>标题</title><script>var x;</script>",
    )

    assert text_blocks(html) == ["可见文字", "结尾"]


def test_text_blocks_normalise_whitespace_and_drop_empty_blocks() -> None:
    html = body("<p>  多个\n\t空白　全角&nbsp;空格  </p><p> </p><div>\n</div><p>x</p>")

    assert text_blocks(html) == ["多个 空白 全角 空格", "x"]


def test_inline_elements_do_not_split_blocks() -> None:
    html = body("<p><span>网站</span><b>标识码</b><a href='#'>：</a><em>5300000033</em></p>")

    assert text_blocks(html) == ["网站标识码：5300000033"]


def test_block_hashes_ignore_digits_urls_and_punctuation() -> None:
    first = block_hashes(["您访问的页面 /a/b123.html 不存在！"])
    second = block_hashes(["您访问的页面 /x.html 不存在"])

    assert first == second == [zlib.crc32("您访问的页面不存在".encode())]
    assert block_hashes(["您访问的栏目 /x.html 不存在"]) != first


@pytest.mark.parametrize(
    ("block", "letters"),
    [
        ("The requested URL /abc/def was not found on this server.", "TherequestedURLwasnotfoundonthisserver"),
        ("请访问 www.example.gov.cn 首页", "请访问首页"),
        ("http://www.example.gov.cn/a?id=1 已失效", "已失效"),
        ("版本 v1.2 说明", "版本v说明"),
    ],
)
def test_block_hashes_drop_url_like_words(block: str, letters: str) -> None:
    assert block_hashes([block]) == [zlib.crc32(letters.encode())]


def test_block_hashes_are_crc32_of_the_letters() -> None:
    assert block_hashes(["Page 2024: 页面！"]) == [zlib.crc32("Page页面".encode())]


def test_block_hashes_drop_letterless_blocks_and_duplicates_keeping_order() -> None:
    hashes = block_hashes(["首页", "2024-07-05", "| · |", "通知公告", "首页 1", "政务公开"])

    assert hashes == [zlib.crc32(text.encode()) for text in ("首页", "通知公告", "政务公开")]


def test_block_hashes_are_capped_at_400() -> None:
    blocks = [f"块{chr(0x4E00 + index)}" for index in range(500)]

    hashes = block_hashes(blocks)

    assert len(hashes) == 400
    assert hashes[0] == zlib.crc32(blocks[0].encode())
    assert hashes[-1] == zlib.crc32(blocks[399].encode())


@pytest.mark.parametrize(
    ("markup", "phrase"),
    [
        ("<p>抱歉，您访问的页面不存在！</p>", "您访问的页面不存在"),
        ("<div>页面不存在或已被删除</div>", "页面不存在"),
        ("<h2>找不到页面</h2>", "找不到页面"),
        ("<p>页面未找到</p>", "页面未找到"),
        ("<p>该信息已删除</p>", "信息已删除"),
        ("<p>对不起，该信息不存在。</p>", "该信息不存在"),
        ("<td>信息不存在</td>", "信息不存在"),
        ("<p>页面已删除</p>", "页面已删除"),
        ("<p>无法找到该页</p>", "无法找到该页"),
        ("<h1>404</h1>", "404"),
        ("<p>错误 404</p>", "404"),
        ("<p>404错误，请返回首页</p>", "404"),
        ("<div>Error 404</div>", "404"),
        ("<p>抱歉！404</p>", "404"),
        ("<h1>Not Found</h1><p>The requested URL was not found on this server.</p>", "Not Found"),
        ("<p>PAGE NOT FOUND</p>", "Page Not Found"),
    ],
)
def test_not_found_phrases(markup: str, phrase: str) -> None:
    assert not_found_signal(body(markup)) == phrase


def test_not_found_in_title() -> None:
    html = body("<p>返回首页</p>", head="<title>404 Not Found</title>")

    assert not_found_signal(html) == "Not Found"


def test_bare_404_in_title_counts() -> None:
    assert not_found_signal(body("<p>x</p>", head="<title>404</title>")) == "404"


@pytest.mark.parametrize(
    "markup",
    [
        "<p>" + "根据工作安排，部分栏目调整后原地址页面不存在的情况将逐步处理，请各单位做好链接检查，" * 3 + "</p>",
        "<p>" + "本季度共处理网民留言404件，办结率100%，平均办理时长3.2个工作日，群众满意度较上季度提升。" * 2 + "</p>",
        "<p>共收到来信14041件</p>",
        "<p>文号：某政发〔2021〕404号</p>",
        "<h2>关于印发某方案的通知（某政办发〔2021〕404号）</h2>",
        "<p>编号 A404B</p>",
        "<p>发布时间：2021.404</p>",
        "<p>访问 /404.html 查看</p>",
        "<table><tr><td>项目</td><td>404</td></tr></table>",
        "<h1>关于2404号建议的答复</h1>",
    ],
)
def test_not_found_does_not_fire_on_normal_content(markup: str) -> None:
    assert not_found_signal(body(markup)) is None


def test_not_found_in_a_script_is_ignored() -> None:
    assert not_found_signal(body("<p>正文</p><script>if (x) alert('页面不存在');</script>")) is None


def test_soft404_fixture() -> None:
    html = (PAGES / "soft404.html").read_text(encoding="utf-8")

    assert not_found_signal(html) == "您访问的页面不存在"


def test_page_fingerprint_shape() -> None:
    html = body("<p>第一段</p><p>第二段 2024</p><script>var s='不可见';</script>")

    fingerprint = page_fingerprint(html)

    assert fingerprint == {
        "blocks": [zlib.crc32("第一段".encode()), zlib.crc32("第二段".encode())],
        "text_length": len("第一段") + len("第二段 2024"),
        "not_found": None,
    }


def test_error_pages_for_different_missing_urls_share_their_blocks() -> None:
    template = (PAGES / "soft404.html").read_text(encoding="utf-8")
    other = template.replace("/zwgk/abc123.html", "/xxgk/7f3e9a.shtml")

    assert other != template
    assert page_fingerprint(template)["blocks"] == page_fingerprint(other)["blocks"]


def test_article_and_error_page_of_one_site_differ_outside_the_template() -> None:
    error = set(page_fingerprint((PAGES / "soft404.html").read_text(encoding="utf-8"))["blocks"])
    article = set(page_fingerprint((PAGES / "sichuan_article.html").read_text(encoding="utf-8"))["blocks"])

    assert error - article
    assert article - error
