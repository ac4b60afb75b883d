"""Site identity from footers (网站标识码, ICP, 公安备案, 主办单位, 联系方式) and the standard meta tags."""

import cProfile
import pstats
from pathlib import Path

import pytest

from govmon.facts import extract_facts
from govmon.facts.document import Document
from govmon.facts.encoding import decode_html
from govmon.facts.identity import extract_identity

PAGES = Path(__file__).parent / "pages"
IDENTITY_KEYS = ("site_code", "icp", "police_record", "sponsor", "contact")


def facts_of_fixture(name: str) -> dict:
    text, _ = decode_html((PAGES / name).read_bytes(), "text/html")
    return extract_facts(text, "https://www.example.gov.cn/art/page.html")


def footer_page(footer: str) -> str:
    return (
        "<html><head><meta charset='utf-8'><title>页面</title></head><body>"
        f"<div class='main'><p>正文。</p></div><div class='footer'>{footer}</div></body></html>"
    )


def identity(html: str) -> dict:
    facts = extract_facts(html, "https://www.example.gov.cn/")
    return {key: facts[key] for key in IDENTITY_KEYS}


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "yunnan_article.html",
            ("5300000033", "滇ICP备05000002号", "滇公网安备53010202000476号", "云南省人民政府办公厅", "12345"),
        ),
        (
            "sichuan_article.html",
            ("5100000062", "蜀ICP备05028878号", "51090302000233", "四川省人民政府办公厅", "028-86601111"),
        ),
        (
            "fullwidth_spaced.html",
            ("1101000009", "京ICP备05070218号-1", "京公网安备11010502030143号", "北京市某区人民政府办公室", "zfwz@bjmq.gov.cn"),
        ),
        (
            "split_spans.html",
            ("4401000001", "粤ICP备12345678号", "粤公网安备44010402001234号", "某市人民政府办公室", "020-83838383"),
        ),
        (
            "table_footer.html",
            ("5201230001", "黔ICP备12345678号", "52012302000111", "某县人民政府办公室", "0851-8888888"),
        ),
        (
            "docwrite_footer.html",
            ("5323000001", "滇ICP备12000001号", "滇公网安备53230102000001号", "某州人民政府办公室", None),
        ),
        (
            "gbk_declared_gb2312.html",
            ("5301240001", "滇ICP备12000002号-1", "滇公网安备53012402000001号", "某县人民政府办公室（镕城信息中心）", "0871-6123456"),
        ),
        ("gb18030_declared.html", ("5301000050", "滇ICP备09000003号", None, "某市公安局", None)),
        ("no_footer.html", (None, None, None, None, None)),
        ("meta_only.html", (None, None, None, None, None)),
    ],
)
def test_footer_identity_of_page_shapes(fixture: str, expected: tuple) -> None:
    facts = facts_of_fixture(fixture)

    assert tuple(facts[key] for key in IDENTITY_KEYS) == expected


@pytest.mark.parametrize(
    ("footer", "site_code"),
    [
        ("网站标识码：5300000033", "5300000033"),
        ("网站标识码:5300000033", "5300000033"),
        ("网站标识码 5300000033", "5300000033"),
        ("网站标识码5300000033", "5300000033"),
        ("政府网站标识码：5300000033", "5300000033"),
        ("网站识别码：5300000033", "5300000033"),
        ("网站标识码：5300 0000 33", "5300000033"),
        ("网站标识码：5300&nbsp;0000&nbsp;33", "5300000033"),
        ("网站标识码：bm15000001", "bm15000001"),
        ("网站标识码：BM 1500 0001", "bm15000001"),
        ("网站标识码：530000003", "530000003"),
        ("网站标识码：53000000331", "53000000331"),
        ("网站标识码：5300000033 12345", "5300000033"),
        ("网站标识码：5300000033 滇公网安备 53010202000476号", "5300000033"),
        ("<span>网站标识</span><span>码：</span><span>5300000033</span>", "5300000033"),
        ("政府网站标识码:1101020002", "1101020002"),
        ("网站标识码5100000062 蜀ICP备 13001288号", "5100000062"),
        ("网站标识码为5300000033", "5300000033"),
        ("网站标识码\n          ：4500000123", "4500000123"),
        ("网站标识码：５３００００００３３", "5300000033"),
        ("网站标识码：<img src='code.png'>", None),
        ("网站地图 | 联系我们", None),
    ],
)
def test_site_code_variants(footer: str, site_code: str | None) -> None:
    assert identity(footer_page(footer))["site_code"] == site_code


@pytest.mark.parametrize(
    ("footer", "icp"),
    [
        ("滇ICP备05000002号", "滇ICP备05000002号"),
        ("蜀ICP备：05028878号", "蜀ICP备05028878号"),
        ("蜀ICP备:05028878号", "蜀ICP备05028878号"),
        ("京ICP备 05070218号-1", "京ICP备05070218号-1"),
        ("ICP备案编号：黔ICP备12345678号", "黔ICP备12345678号"),
        ("备案号：苏icp备05000001号", "苏ICP备05000001号"),
        ("京ICP证030173号", "京ICP证030173号"),
        ("备案号:  粤ICP备2022017031号-1", "粤ICP备2022017031号-1"),
        ("京ICP备05070218-1号", "京ICP备05070218号-1"),
        ("粤ICP备2022092331号－1", "粤ICP备2022092331号-1"),
        ("京ICP备案：05070218号", "京ICP备05070218号"),
        ("备案号：晋ICP备05003854", "晋ICP备05003854"),
        ("滇ICP备０５０００００２号", "滇ICP备05000002号"),
        ("京ＩＣＰ备05070218号", "京ICP备05070218号"),
        ("滇ICP备 0500 0002号", "滇ICP备05000002号"),
        ("滇ICP备05000002 网站标识码：5300000033", "滇ICP备05000002"),
        ("ICP备案：待办理", None),
    ],
)
def test_icp_variants(footer: str, icp: str | None) -> None:
    assert identity(footer_page(footer))["icp"] == icp


@pytest.mark.parametrize(
    ("footer", "police_record"),
    [
        ("滇公网安备 53010202000476号", "滇公网安备53010202000476号"),
        ("京公网安备11010502030143号", "京公网安备11010502030143号"),
        ("川公网安备：51090302000233号", "川公网安备51090302000233号"),
        ("公安机关备案号：51090302000233", "51090302000233"),
        ("公安机关备案号:5109 0302 0002 33", "51090302000233"),
        ("公安备案号 51090302000233", "51090302000233"),
        ("京公网安备 1101 0502 0301 43号", "京公网安备11010502030143号"),
        ("公安机关备案号：51090302000233 5300000033", "51090302000233"),
        ("粤公网安备号44030402003007", "粤公网安备44030402003007号"),
        ("粤公网安备 44030402003007号", "粤公网安备44030402003007号"),
        ("京公网安备11010802020497", "京公网安备11010802020497"),
        ("京公网安备:11010202007633", "京公网安备11010202007633"),
        ("桂公网安备\n            45010302001240", "桂公网安备45010302001240"),
        ("公安机关备案编号：44030402003007", "44030402003007"),
        ("滇公网安备５３０１０２０２０００４７６号", "滇公网安备53010202000476号"),
        ("公网安备：正在办理", None),
    ],
)
def test_police_record_variants(footer: str, police_record: str | None) -> None:
    assert identity(footer_page(footer))["police_record"] == police_record


@pytest.mark.parametrize(
    ("footer", "sponsor"),
    [
        ("主办单位：云南省人民政府办公厅 运行维护：云南网", "云南省人民政府办公厅"),
        ("主办单位:云南省人民政府办公厅运行维护:云南网", "云南省人民政府办公厅"),
        ("主办：四川省人民政府办公厅　承办：四川省大数据中心", "四川省人民政府办公厅"),
        ("主办单位：某县人民政府办公室　　某县大数据中心", "某县人民政府办公室"),
        ("主办单位：某县人民政府办公室&nbsp;&nbsp;某县大数据中心", "某县人民政府办公室"),
        ("主办单位：某县人民政府办公室 | 网站地图", "某县人民政府办公室"),
        ("主办单位：某县人民政府办公室<br>地址：某县某路1号", "某县人民政府办公室"),
        ("主办单位：某县人民政府办公室 联系电话：0871-1234567", "某县人民政府办公室"),
        ("主办单位：某县人民政府办公室 滇ICP备05000002号", "某县人民政府办公室"),
        ("主办单位：某县人民政府办公室 网站标识码：5300000033", "某县人民政府办公室"),
        ("主办单位：某市公安局 技术支持：某公司", "某市公安局"),
        ("主办单位：中共某县委办公室 某县人民政府办公室", "中共某县委办公室 某县人民政府办公室"),
        ("网站主办：某市人民政府办公室", "某市人民政府办公室"),
        ("网站主办单位：某市人民政府办公室", "某市人民政府办公室"),
        ("网站主办 某市人民政府办公室", "某市人民政府办公室"),
        ("主办方：中国载人航天工程办公室 备案序号：京ICP备20027467号-1", "中国载人航天工程办公室"),
        ("主办:北京市西城区人民政府办公室&nbsp;&nbsp;&nbsp;&nbsp;承办:北京市西城区数据局", "北京市西城区人民政府办公室"),
        ("<span>主办单位：中共安徽省委教育工委 安徽省教育厅</span>\n<span>地址：合肥市</span>", "中共安徽省委教育工委 安徽省教育厅"),
        ("<span>主办：广州开发区管委会 广州市黄埔区人民政府</span><span>承办：某局</span>", "广州开发区管委会 广州市黄埔区人民政府"),
        ("主管：某市委宣传部　主办：某市人民政府办公室", "某市人民政府办公室"),
        ("主办单位：", None),
    ],
)
def test_sponsor_variants(footer: str, sponsor: str | None) -> None:
    assert identity(footer_page(footer))["sponsor"] == sponsor


@pytest.mark.parametrize(
    ("footer", "sponsor"),
    [
        ("云南省人民政府办公厅主办", "云南省人民政府办公厅"),
        ("<p>西安市人民政府办公厅主办 <a href='/gywm/'>关于我们</a></p>", "西安市人民政府办公厅"),
        ("石家庄市人民政府办公室主办<br>石家庄市电子政务中心承办", "石家庄市人民政府办公室"),
        ("某市人民政府办公室主办　某市大数据中心承办", "某市人民政府办公室"),
        ("某市人民政府办公室主办某市大数据中心承办", "某市人民政府办公室"),
        ("重庆市人民政府版权所有 重庆市人民政府办公厅主办", "重庆市人民政府办公厅"),
        ("某县人民政府（某县大数据中心）主办 | 网站地图", "某县人民政府（某县大数据中心）"),
    ],
)
def test_sponsor_named_before_the_word(footer: str, sponsor: str) -> None:
    assert identity(footer_page(footer))["sponsor"] == sponsor


@pytest.mark.parametrize(
    "footer",
    [
        "承办：国家互联网应急中心　技术支持：某公司",
        "承办单位：某市大数据中心",
        "某市大数据中心承办",
        "省政府办公厅主管&nbsp;&nbsp;省政务大数据服务中心承办",
        "协办：某区融媒体中心",
        "市文旅局主办2024年文化节",
        "由市文旅局主办，市文化馆承办",
    ],
)
def test_the_cheng_ban_unit_and_sentences_are_not_the_sponsor(footer: str) -> None:
    assert identity(footer_page(footer))["sponsor"] is None


@pytest.mark.parametrize(
    "article",
    [
        "<p>9月9日，由区委网信委主办，区委办等单位联合承办的宣传周启动仪式在西安举行。</p>",
        "<p>二、组织单位</p><p>主办单位：教育部思想政治工作司</p><p>承办单位：教育部宣传教育中心</p>",
        "<p>本次赛事由辽宁省体育局主办，辽阳市人民政府承办。</p>",
        "<p>云南省文化和旅游厅主办</p>",
        "<p>活动由顺德区硬笔书法协会与容桂文联联合主办，自5月17日开启首场海选。</p>",
    ],
)
def test_the_article_body_never_gives_the_sponsor(article: str) -> None:
    footer = "<div class='footer'><p>版权所有：某市人民政府</p><p>京ICP备10028400号-1 网站标识码：bm05000001</p></div>"
    without_footer = f"<html><body><div class='content'>{article}</div></body></html>"
    with_footer = f"<html><body><div class='content'>{article}</div>{footer}</body></html>"

    assert identity(without_footer)["sponsor"] is None
    assert identity(with_footer)["sponsor"] is None


def test_the_footer_sponsor_wins_over_the_article_that_names_another() -> None:
    html = (
        "<html><body><div class='content'><p>本次活动由市文旅局主办。</p><p>主办单位：某市文化馆</p></div>"
        "<div class='footer'>某市人民政府办公室主办 某市大数据中心承办 滇ICP备12000001号</div></body></html>"
    )

    assert identity(html)["sponsor"] == "某市人民政府办公室"


def test_a_footer_named_wrapper_around_the_article_is_not_the_footer() -> None:
    paragraph = "活动由顺德区硬笔书法协会与容桂文联联合主办，" + "吸引了来自全区各学校的学生参与，" * 8
    html = (
        f"<html><body><div class='bg-bottom'><h3>标题</h3><div class='m-con'><p>{paragraph}</p>"
        "<p>主办单位：某区文化馆</p></div></div><script src='/foot_2020.js'></script></body></html>"
    )

    assert identity(html)["sponsor"] is None


def test_an_anonymous_footer_is_read_around_its_record_numbers() -> None:
    html = (
        "<html><body><div id='main'><p>" + "正文段落，" * 40 + "</p><p>（责任编辑：某某）</p></div>"
        "<div id='主办宽屏' class='container-fluid Col25697container-core'><div class='coreContent'>"
        "<p>主办:北京市西城区人民政府办公室&nbsp;&nbsp;&nbsp;&nbsp;承办:北京市西城区数据局<br/>"
        "政府网站标识码:1101020002&nbsp;&nbsp;京ICP备19014909号-1&nbsp;&nbsp;京公网安备:11010202007633</p>"
        "</div></div></body></html>"
    )

    found = identity(html)

    assert found["sponsor"] == "北京市西城区人民政府办公室"
    assert (found["site_code"], found["icp"], found["police_record"]) == (
        "1101020002", "京ICP备19014909号-1", "京公网安备11010202007633",
    )


def test_the_more_complete_of_two_footers_is_read() -> None:
    html = (
        "<html><body><div class='content'><p>正文</p></div>"
        "<div class='mfooter'><p>主办：某区人民政府办公室　网站标识码：4401150002</p>"
        "<p>ICP备案号：粤ICP备2023100790号-1 粤公网安备 44011502000005号</p><p>联系电话：020-12345</p></div>"
        "<div class='foot'><p>版权所有：某区人民政府</p><p>ICP备案号：粤ICP备19092744号-3</p></div>"
        "</body></html>"
    )

    found = identity(html)

    assert found["icp"] == "粤ICP备2023100790号-1"
    assert found["sponsor"] == "某区人民政府办公室"
    assert found["police_record"] == "粤公网安备44011502000005号"


def test_a_field_missing_from_the_fuller_footer_comes_from_the_other() -> None:
    html = (
        "<html><body><div class='footer-pc'><p>主办单位：某县人民政府办公室</p><p>滇ICP备12000001号</p>"
        "<p>联系电话：0871-1234567</p></div>"
        "<div class='footer-mobile'><p>网站标识码：5301000001</p></div></body></html>"
    )

    found = identity(html)

    assert (found["sponsor"], found["icp"], found["site_code"]) == ("某县人民政府办公室", "滇ICP备12000001号", "5301000001")


# Footer blocks a hostile page can send, each about n characters on one line: the shapes that made the sponsor,
# site-code, 公安备案 and ICP patterns backtrack.
HOSTILE_BLOCKS = (
    lambda n: "主办：" + "某" * n,
    lambda n: ("某" * 39 + " ") * (n // 40) + "主办",
    lambda n: "a主办" * (n // 3),
    lambda n: "网站标识码" + "1 " * (n // 2),
    lambda n: "滇公网安备" + "1 " * (n // 2),
    lambda n: "滇ICP备" + "1 " * (n // 2),
)


def _identity_calls(block: str) -> int:
    """Python function calls of one extraction (deterministic, unlike its duration)."""
    page = f"<html><body><div class='footer'><p>{block}</p><p>版权所有</p></div></body></html>"
    profile = cProfile.Profile()
    profile.runcall(lambda: extract_identity(Document(page, "https://www.example.gov.cn/")))
    return pstats.Stats(profile).total_calls


@pytest.mark.parametrize("make", HOSTILE_BLOCKS)
def test_a_half_a_million_character_block_is_read_in_linear_work(make) -> None:
    """The work grows with the block (call counts at 50k and 100k characters), and a 500,000-character block is
    read at all: a backtracking pattern does its work inside one call, where no counter sees it, and on it would
    run for hours rather than finish."""
    _identity_calls(make(1000))  # caches filled on first use are not the extractor's work
    small, large = _identity_calls(make(50_000)), _identity_calls(make(100_000))
    assert large <= 2.5 * small, (small, large)
    _identity_calls(make(500_000))


@pytest.mark.parametrize(
    ("footer", "contact"),
    [
        ("联系电话：0871-63633099", "0871-63633099"),
        ("电话：(0871)63633099", "(0871)63633099"),
        ("联系方式：13812345678", "13812345678"),
        ("联系方式：ynszf@yn.gov.cn", "ynszf@yn.gov.cn"),
        ("邮箱：ynszf@yn.gov.cn地址：昆明市", "ynszf@yn.gov.cn"),
        ("电子邮箱: admin@example.gov.cn", "admin@example.gov.cn"),
        ("政务服务便民热线：12345", "12345"),
        ("服务热线：400-123-4567", "400-123-4567"),
        ("联系电话：0871-63633099转8001", "0871-63633099转8001"),
        ("联系电话：0871-6363 3099", "0871-63633099"),  # a space inside the number, as footers print it
        ("联系电话：（0871）6363 3099　邮编：650021", "（0871）63633099"),
        ("联系我们", None),
    ],
)
def test_contact_variants(footer: str, contact: str | None) -> None:
    assert identity(footer_page(footer))["contact"] == contact


def test_labels_of_adjacent_blocks_do_not_run_together() -> None:
    html = footer_page("<p>主办单位：某县人民政府办公室</p><p>承办单位：某县大数据中心</p>")

    assert identity(html)["sponsor"] == "某县人民政府办公室"


def test_the_footer_wins_over_an_earlier_mention_in_the_article() -> None:
    html = (
        "<html><body><div class='content'><p>本次活动主办单位：某市文化和旅游局，联系电话：0871-1111111。</p></div>"
        "<div class='footer'>主办单位：某市人民政府办公室 联系电话：0871-2222222</div></body></html>"
    )

    found = identity(html)

    assert found["sponsor"] == "某市人民政府办公室"
    assert found["contact"] == "0871-2222222"


def test_visible_footer_is_preferred_over_script_literals() -> None:
    html = footer_page(
        "网站标识码：5300000033"
        "<script>var old = '网站标识码：5300000099 主办单位：旧单位';</script>"
    )

    found = identity(html)

    assert found["site_code"] == "5300000033"
    assert found["sponsor"] == "旧单位"


@pytest.mark.parametrize(
    "script",
    [
        "document.write('<p>网站标识码：5300000033</p>');",
        'document.write("<p>网站标识码：" + "5300000033</p>");',
        "document.getElementById('f').innerHTML = '<span>网站标识码</span><span>：5300000033</span>';",
        "var html = `<div>网站标识码：5300000033</div>`; el.insertAdjacentHTML('beforeend', html);",
        r"document.write('\u7f51\u7ad9\u6807\u8bc6\u7801\uff1a5300000033');",
        r"document.write('\x3cp\x3e网站标识码：5300000033\x3c/p\x3e');",
    ],
)
def test_footer_written_by_scripts_is_found_in_string_literals(script: str) -> None:
    html = f"<html><body><div id='f'></div><script>{script}</script></body></html>"

    assert identity(html)["site_code"] == "5300000033"


def test_external_scripts_are_not_read() -> None:
    html = "<html><body><p>正文</p><script src='/footer.js'>/* 网站标识码：5300000033 */</script></body></html>"

    assert identity(html)["site_code"] is None


def test_site_meta_and_standard_meta_tags() -> None:
    facts = facts_of_fixture("meta_only.html")

    assert facts["site_name"] == "中国政府网"
    assert facts["site_domain"] == "www.gov.cn"
    assert facts["site_code_meta"] == "bm01000001"
    assert facts["meta"] == {
        "SiteName": "中国政府网",
        "SiteDomain": "www.gov.cn",
        "SiteIDCode": "bm01000001",
        "ColumnName": "政策解读",
        "ColumnType": "政策解读",
        "ArticleTitle": "一图读懂  政府工作报告",
        "PubDate": "2024-03-05 10:20",
        "ContentSource": "新华社",
        "Keywords": "政府工作报告",
        "Author": "国务院办公厅",
        "Description": "一图读懂政府工作报告",
        "Url": "https://www.gov.cn/zhengce/jiedu/",
    }


def test_meta_names_match_case_insensitively_and_the_first_wins() -> None:
    html = (
        "<html><head><meta name='siteidcode' content='5300000033'><meta name='SITEIDCODE' content='1'>"
        "<meta name='sitename' content=' 云南省人民政府 '><meta name='generator' content='x'></head><body></body></html>"
    )

    facts = extract_facts(html, "https://www.yn.gov.cn/")

    assert facts["meta"] == {"SiteName": "云南省人民政府", "SiteIDCode": "5300000033"}
    assert facts["site_code_meta"] == "5300000033"


def test_empty_meta_content_is_present_in_meta_but_not_a_site_fact() -> None:
    html = "<html><head><meta name='SiteIDCode' content=''></head><body><p>x</p></body></html>"

    facts = extract_facts(html, "https://www.example.gov.cn/")

    assert facts["meta"] == {"SiteIDCode": ""}
    assert facts["site_code_meta"] is None


def test_page_without_meta_has_empty_meta() -> None:
    assert facts_of_fixture("no_footer.html")["meta"] == {}


def test_script_literal_surrogates_are_joined_or_replaced() -> None:
    script = r"document.write('<p>主办单位：某县人民政府\ud83d\ude00办公室\ud800</p>');"
    html = f"<html><body><script>{script}</script></body></html>"

    sponsor = identity(html)["sponsor"]

    assert sponsor == "某县人民政府😀办公室\ufffd"
    assert sponsor.encode("utf-8")
