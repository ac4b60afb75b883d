"""Personal data published unmasked (PII-1 facts): which numbers count, where they stand, and that only masked
forms ever leave the extractor.

Every number here is synthetic: built by the helpers below with its check digit computed, never taken from a page.
Assertions compare kinds and masked forms (or counts), so a failing test never prints a full number either.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from govmon.facts.document import Document
from govmon.facts.encoding import decode_html
from govmon.facts.personal_data import (
    Segment,
    find_numbers,
    is_id_number,
    luhn_ok,
    mask,
    mask_text,
    personal_data_in,
    personal_data_of,
)

CORPUS = Path(__file__).parent / "corpus"
URL = "http://www.dianzhong.gov.cn/zwgk/gsgg/202611/t20261102_1234567.html"


def id_number(body: str) -> str:
    """A synthetic 18-character ID number: 17 digits and their GB 11643 check character."""
    weights = [2 ** (17 - position) % 11 for position in range(17)]
    return body + "10X98765432"[sum(int(digit) * weight for digit, weight in zip(body, weights)) % 11]


def card_number(body: str) -> str:
    """A synthetic bank card number: body and its Luhn check digit."""
    for check in "0123456789":
        digits = [int(char) for char in body + check][::-1]
        total = sum(digit if index % 2 == 0 else (digit * 2 - 9 if digit > 4 else digit * 2) for index, digit in enumerate(digits))
        if total % 10 == 0:
            return body + check
    raise AssertionError("unreachable")


ID = id_number("53010219900307123")  # 530102199003071238
ID_X = id_number("11010519491231002")  # ends in X
CARD = card_number("621700123456789012")  # 19 digits
MOBILE = "13812345678"


def kinds(text: str, label: str | None = None) -> list[tuple[str, str]]:
    return [(number.kind, number.masked) for number in find_numbers(text, label)]


def full_numbers_left(text: str) -> int:
    """How many unmasked numbers or 11+-digit runs a text still holds."""
    return len(find_numbers(text)) + len(re.findall(r"\d{11,}", text))


# ----- which numbers count


def test_id_number_with_x_check_digit_in_either_case() -> None:
    assert ID_X.endswith("X")
    assert kinds(f"身份证号：{ID_X}") == [("id_card", "110105********002X")]
    assert kinds(f"身份证号：{ID_X.lower()}") == [("id_card", "110105********002X")]
    assert kinds(f"公民身份号码 {ID}。") == [("id_card", "530102********1238")]


def test_wrong_check_digit_is_not_an_id_number() -> None:
    wrong = ID[:17] + ("0" if ID[17] != "0" else "1")
    assert not is_id_number(wrong)
    assert kinds(f"身份证号：{wrong}") == []


def test_impossible_birth_date_is_not_an_id_number() -> None:
    february_30 = id_number("53010219990230123")
    assert not is_id_number(february_30)
    assert kinds(f"身份证号：{february_30}") == []
    assert not is_id_number(id_number("53010221010101123"))  # born after 2100
    assert not is_id_number(id_number("53010218991231123"))  # before 1900


@pytest.mark.parametrize("province", ["00", "99", "10", "91"])
def test_unknown_province_is_not_an_id_number(province: str) -> None:
    number = id_number(province + "0102199003071230"[:15])
    assert not is_id_number(number)
    assert kinds(f"证件号码：{number}") == []


def test_legacy_fifteen_digit_number_with_a_real_date() -> None:
    assert kinds("身份证：530102900307123") == [("id_card", "530102*****7123")]
    assert kinds("身份证：530102900230123") == []  # 1990-02-30
    assert kinds("身份证：990102900307123") == []


def test_masked_forms_never_count() -> None:
    text = "张某 5301**********1234，李某 530102********1234，电话 138****1234，卡号 6217***********0122"
    assert kinds(text) == []
    assert mask_text(text) == text


@pytest.mark.parametrize(
    "text",
    [
        f"订单编号：2026{ID}01",  # inside a longer run of digits
        f"流水号 A{ID}",
        f"序列号 {ID}B7",
        f"http://www.dianzhong.gov.cn/upload/{ID}.jpg",
        f"附件：t20261102_{ID}.html",
        f"http://www.dianzhong.gov.cn/detail?id={ID}",
        f"编号 01-{ID}",
    ],
)
def test_id_inside_a_longer_code_url_or_file_name_is_not_counted(text: str) -> None:
    assert kinds(text) == []


def test_mobile_numbers_alone_and_grouped() -> None:
    assert kinds(f"联系电话：{MOBILE}") == [("mobile", "138****5678")]
    assert kinds("手机 138 1234 5678，或 139-8765-4321") == [("mobile", "138****5678"), ("mobile", "139****4321")]
    assert kinds("电话：13812345678；18900001111") == [("mobile", "138****5678"), ("mobile", "189****1111")]


@pytest.mark.parametrize(
    "text",
    [
        "编号 138123456789",
        "流水号 2138123456789",
        "合同号 HT13812345678",
        "138-1234-5678-9",
        "文号 /13812345678",
        "总投资15000000000元",
    ],
)
def test_mobile_inside_a_longer_run_or_code_is_not_counted(text: str) -> None:
    assert kinds(text) == []


def test_id_number_is_not_read_as_a_mobile_as_well() -> None:
    number = id_number("13812319900307123")
    assert [kind for kind, _ in kinds(f"身份证 {number}")] == ["id_card"]


def test_bank_card_needs_a_card_word_and_a_valid_luhn_digit() -> None:
    assert luhn_ok(CARD)
    assert kinds(f"银行卡号：{CARD}") == [("bank_card", "6217***********0122")]
    assert kinds("开户账号 6217 0012 3456 7890 122") == [("bank_card", "6217***********0122")]
    assert kinds("账号：6217-0012-3456-7890-122") == [("bank_card", "6217***********0122")]
    assert kinds(CARD) == []  # no card word: an order or serial number as likely
    assert kinds(f"卡号为下列号码之一，请核对：{CARD}") == []  # the word is more than 12 characters before
    assert kinds(CARD, label="银行账号") == [("bank_card", "6217***********0122")]
    wrong = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    assert not luhn_ok(wrong)
    assert kinds(f"银行卡号：{wrong}") == []


def test_full_width_digits_are_numbers_too() -> None:
    wide = ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    text = f"身份证号：{wide}，手机：１３８１２３４５６７８"
    found = find_numbers(text)
    assert [(number.kind, number.masked) for number in found] == [("id_card", "530102********1238"), ("mobile", "138****5678")]
    assert text[found[0].start : found[0].end] == wide  # offsets index the original text
    assert full_numbers_left(mask_text(text).translate(str.maketrans("０１２３４５６７８９", "0123456789"))) == 0


def test_mask_forms() -> None:
    assert mask("id_card", ID) == "530102********1238"
    assert mask("id_card", "530102900307123") == "530102*****7123"
    assert mask("mobile", "138 1234 5678") == "138****5678"
    assert mask("bank_card", "6217 0012 3456 7890 122") == "6217***********0122"


def test_mask_text_leaves_no_full_number_and_nothing_else_changed() -> None:
    text = f"张某，身份证{ID}；李某，身份证{ID_X}，手机{MOBILE}，银行卡号{CARD}。订单号 20261102123456789012 不变。"
    masked = mask_text(text)
    assert re.findall(r"\d{17}", masked.replace("20261102123456789012", "")) == []
    assert find_numbers(masked) == []
    assert masked == (
        "张某，身份证530102********1238；李某，身份证110105********002X，手机138****5678，"
        "银行卡号6217***********0122。订单号 20261102123456789012 不变。"
    )


# ----- where numbers stand on a page


def page(main: str, title: str = "关于2026年第三季度城乡低保对象的公示_滇中市民政局") -> Document:
    html = f"""<html><head><meta charset="utf-8"><title>{title}</title><style>.x {{}}</style></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>
<div class="article">{main}</div>
<div class="footer"><p>主办单位：滇中市民政局 联系电话：0871-12345678</p></div>
<script>var phone = "{MOBILE}";</script></body></html>"""
    return Document(html, URL)


def test_table_cells_with_column_header_row_and_table_number() -> None:
    document = page(f"""<h2 class="title">滇中市2026年第三季度城乡低保对象名单</h2>
<table class="layout"><tr><td>返回</td><td>打印</td></tr></table>
<table>
<tr><th>序号</th><th>姓名</th><th>身份证号码</th><th>联系电话</th><th>银行账号</th></tr>
<tr><td>1</td><td>张某</td><td>{ID}</td><td>{MOBILE}</td><td>{CARD}</td></tr>
<tr><td>2</td><td>李某</td><td>{ID_X}</td><td>无</td><td></td></tr>
</table>""")
    found = personal_data_of(document)
    assert [(entry["kind"], entry["masked"], entry["where"], entry["label"]) for entry in found] == [
        ("id_card", "530102********1238", {"table": 2, "row": 2, "column": 3}, "身份证号码"),
        ("mobile", "138****5678", {"table": 2, "row": 2, "column": 4}, "联系电话"),
        ("bank_card", "6217***********0122", {"table": 2, "row": 2, "column": 5}, "银行账号"),
        ("id_card", "110105********002X", {"table": 2, "row": 3, "column": 3}, "身份证号码"),
    ]
    assert {entry["section"] for entry in found} == {"滇中市2026年第三季度城乡低保对象名单"}


def test_header_of_short_labels_colspans_and_rowspans() -> None:
    document = page(f"""<table>
<caption>2026年度耕地地力保护补贴发放名单</caption>
<tr><td>村组</td><td>户主</td><td colspan="2">证件</td></tr>
<tr><td rowspan="2">一组</td><td>王某</td><td>居民身份证</td><td>{ID}</td></tr>
<tr><td>赵某</td><td>居民身份证</td><td>{ID_X}</td></tr>
</table>""")
    found = personal_data_of(document)
    assert [(entry["where"], entry["label"], entry["section"]) for entry in found] == [
        ({"table": 1, "row": 2, "column": 4}, "证件", "2026年度耕地地力保护补贴发放名单"),
        ({"table": 1, "row": 3, "column": 4}, "证件", "2026年度耕地地力保护补贴发放名单"),
    ]


def test_form_like_table_takes_the_label_cell_beside_the_number() -> None:
    document = page(f"""<h3>申请人基本情况</h3><table>
<tr><td>姓名</td><td>张某</td><td>性别</td><td>男</td></tr>
<tr><td>身份证号码</td><td>{ID}</td><td>联系电话</td><td>{MOBILE}</td></tr>
</table>""")
    found = personal_data_of(document)
    assert [(entry["kind"], entry["label"], entry["where"]["row"]) for entry in found] == [
        ("id_card", "身份证号码", 2),
        ("mobile", "联系电话", 2),
    ]


def test_text_blocks_with_the_label_before_the_number() -> None:
    document = page(f"""<p>经审核，现将有关情况公示如下。</p>
<p>联系人：张某，联系电话：{MOBILE}</p>
<p style="display:none">身份证号{ID}</p>""")
    found = personal_data_of(document)
    assert [(entry["kind"], entry["label"], entry["section"]) for entry in found] == [
        ("mobile", "联系电话", "关于2026年第三季度城乡低保对象的公示_滇中市民政局"),
        ("id_card", "身份证号", "关于2026年第三季度城乡低保对象的公示_滇中市民政局"),  # hidden text is still published
    ]
    blocks = [entry["where"]["block"] for entry in found]
    assert blocks == sorted(blocks) and all(document.blocks[n - 1].text.endswith(("5678", "1238")) for n in blocks)


def test_section_from_a_bold_or_centred_line_and_scripts_are_not_read() -> None:
    document = page(f"""<p align="center"><strong>拟录用人员名单</strong></p>
<p>1. 张某 {ID}</p>
<div style="text-align: center">失信被执行人名单</div>
<p>2. 李某 {ID_X}</p>""")
    found = personal_data_of(document)
    assert [(entry["masked"], entry["section"]) for entry in found] == [
        ("530102********1238", "拟录用人员名单"),
        ("110105********002X", "失信被执行人名单"),
    ]


def test_an_article_in_a_layout_table_is_read_by_blocks() -> None:
    paragraphs = "".join(f"<p>第{n}条 本办法所称城乡低保对象，是指共同生活的家庭成员人均收入低于当地标准的家庭。</p>" for n in range(6))
    document = page(f"""<table><tr><td class="main"><h1>城乡低保审核公示</h1>{paragraphs}
<p>申请人张某，身份证号{ID}。</p></td></tr></table>""")
    found = personal_data_of(document)
    assert [(entry["where"].keys() == {"block"}, entry["label"], entry["section"]) for entry in found] == [
        (True, "身份证号", "城乡低保审核公示"),
    ]


def test_stored_labels_and_sections_are_masked_and_capped() -> None:
    rows = "".join(f"<tr><td>{id_number(f'5301021990{month:02d}{day:02d}123')}</td></tr>" for month in (1, 3) for day in range(1, 29))
    document = page(f"""<h2>公示名单（咨询电话{MOBILE}）</h2><table><tr><th>身份证号码（{ID}）</th></tr>{rows}</table>
{"".join(f"<p>手机{MOBILE[:7]}{n:04d}</p>" for n in range(200))}""")
    found = personal_data_of(document)
    assert len(found) == 200
    in_table = [entry for entry in found if "table" in entry["where"]]
    assert in_table[1]["section"] == "公示名单（咨询电话138****5678）"
    assert in_table[1]["label"] == "身份证号码（530102********"
    assert sum(full_numbers_left(str(entry)) for entry in found) == 0


def test_attachment_segments() -> None:
    segments: list[Segment] = [
        ({"sheet": "Sheet1", "cell": "C2"}, ID, "身份证号码", "某镇低保对象名单"),
        ({"sheet": "Sheet1", "cell": "D2"}, CARD, "社保卡卡号", "某镇低保对象名单"),
        ({"line": 3}, f"咨询电话：{MOBILE}", None, None),
        ({"page": 2}, "无个人信息", None, "第二页"),
    ]
    assert personal_data_in(segments) == [
        {"kind": "id_card", "masked": "530102********1238", "where": {"sheet": "Sheet1", "cell": "C2"}, "label": "身份证号码", "section": "某镇低保对象名单"},
        {"kind": "bank_card", "masked": "6217***********0122", "where": {"sheet": "Sheet1", "cell": "D2"}, "label": "社保卡卡号", "section": "某镇低保对象名单"},
        {"kind": "mobile", "masked": "138****5678", "where": {"line": 3}, "label": "咨询电话", "section": None},
    ]


# ----- real page shapes (tests/corpus, cases with a [personal_data] table)


def personal_cases() -> list[Path]:
    return sorted(
        case
        for case in CORPUS.iterdir()
        if (case / "case.toml").exists() and "personal_data" in tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
    )


def test_there_are_real_shapes() -> None:
    assert len(personal_cases()) >= 3


@pytest.mark.parametrize("case", personal_cases(), ids=lambda path: path.name)
def test_real_page_shapes(case: Path) -> None:
    spec = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
    html, _ = decode_html((case / "page.html").read_bytes(), spec.get("content_type"))
    found = personal_data_of(Document(html, spec["url"]))
    assert found == spec["personal_data"]["expected"]


def test_a_title_row_above_the_header_row_is_not_the_header() -> None:
    document = page(f"""<table>
<tr><th colspan="3">2026年度高龄津贴发放名单</th></tr>
<tr><th>姓名</th><th>身份证号码</th><th>金额</th></tr>
<tr><td>张某</td><td>{ID}</td><td>100</td></tr>
</table>""")
    assert [(entry["where"], entry["label"], entry["section"]) for entry in personal_data_of(document)] == [
        ({"table": 1, "row": 3, "column": 2}, "身份证号码", "2026年度高龄津贴发放名单"),
    ]


def test_word_pasted_cells_are_read_whole_and_their_scripts_are_not() -> None:
    document = page(f"""<table class="MsoNormalTable">
<tr><td><p class="MsoNormal" align="center"><b><span>姓名</span></b></p></td>
<td><p class="MsoNormal" align="center"><b><span>公民身份号码</span></b></p></td></tr>
<tr><td><p class="MsoNormal" align="center"><span>张某</span></p></td>
<td><p class="MsoNormal" align="center"><span lang="EN-US">{ID[:6]}</span><span lang="EN-US">{ID[6:]}</span></p>
<script>document.write("{ID_X}")</script></td></tr>
</table>""")
    assert [(entry["masked"], entry["where"], entry["label"]) for entry in personal_data_of(document)] == [
        ("530102********1238", {"table": 1, "row": 2, "column": 2}, "公民身份号码"),
    ]
