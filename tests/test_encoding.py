"""decode_html: declared, misdeclared and undeclared encodings of Chinese pages."""

from pathlib import Path

import pytest

from govmon.facts.encoding import canonical_encoding, decode_html

PAGES = Path(__file__).parent / "pages"
GBK_ONLY = "镕堃喆"


def page(text: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>测试</title></head><body><p>{text}</p></body></html>"


def test_gb2312_declared_with_gbk_only_characters_decodes_as_gb18030() -> None:
    body = (PAGES / "gbk_declared_gb2312.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")

    text, encoding = decode_html(body, "text/html")

    assert encoding == "gb18030"
    assert "朱镕基" in text and "王堃" in text and "李喆" in text
    assert "\ufffd" not in text


@pytest.mark.parametrize("label", ["gb2312", "GB2312", "gbk", "GBK", "GB_2312-80", "x-gbk", "cp936", "gb18030"])
def test_chinese_labels_in_header_decode_as_gb18030(label: str) -> None:
    body = page(GBK_ONLY).encode("gb18030")

    text, encoding = decode_html(body, f"text/html; charset={label}")

    assert encoding == "gb18030"
    assert GBK_ONLY in text


def test_gb18030_declared_in_meta_with_four_byte_characters() -> None:
    body = (PAGES / "gb18030_declared.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        body.decode("gbk")

    text, encoding = decode_html(body, None)

    assert encoding == "gb18030"
    assert "𠮷" in text and "㐀" in text and "䶮" in text


def test_utf8_without_any_declaration() -> None:
    body = (PAGES / "utf8_undeclared.html").read_bytes()

    text, encoding = decode_html(body, "text/html")

    assert encoding == "utf-8"
    assert "某镇人民政府" in text and "王堃" in text


def test_gbk_without_any_declaration_falls_back_to_gb18030() -> None:
    body = (PAGES / "gbk_undeclared.html").read_bytes()

    text, encoding = decode_html(body, None)

    assert encoding == "gb18030"
    assert "某乡人民政府" in text and "王堃" in text


def test_utf8_bom_is_stripped_and_wins_over_a_wrong_header() -> None:
    body = b"\xef\xbb\xbf" + page("云南省人民政府").encode("utf-8")

    text, encoding = decode_html(body, "text/html; charset=gbk")

    assert encoding == "utf-8"
    assert text.startswith("<html>")
    assert "云南省人民政府" in text


def test_utf16_bom() -> None:
    body = "\ufeff".encode("utf-16-le") + page("四川省").encode("utf-16-le")

    text, encoding = decode_html(body, None)

    assert encoding == "utf-16-le"
    assert "四川省" in text


def test_header_gb2312_on_utf8_content_does_not_produce_mojibake() -> None:
    body = page("贵州省人民政府办公厅关于印发通知").encode("utf-8")

    text, encoding = decode_html(body, "text/html; charset=gb2312")

    assert encoding == "utf-8"
    assert "贵州省人民政府办公厅" in text


def test_header_wins_over_meta_when_both_fit() -> None:
    # Bytes valid in both Big5 and gb18030 are read with the header's encoding.
    body = page("中文", '<meta charset="big5">').encode("gb18030")
    assert body.decode("big5hkscs")

    _, encoding = decode_html(body, "text/html; charset=gbk")

    assert encoding == "gb18030"


def test_meta_is_used_when_the_header_encoding_does_not_fit() -> None:
    body = page(GBK_ONLY, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("gb18030")

    text, encoding = decode_html(body, "text/html; charset=utf-8")

    assert encoding == "gb18030"
    assert GBK_ONLY in text


def test_meta_charset_beyond_the_first_4_kb_is_ignored() -> None:
    filler = "<!-- " + "x" * 5000 + " -->"
    body = ("<html><head>" + filler + '<meta charset="big5"></head><body>中文</body></html>').encode("gb18030")

    _, encoding = decode_html(body, None)

    assert encoding == "gb18030"


def test_xml_declaration_encoding() -> None:
    body = ('<?xml version="1.0" encoding="gb2312"?>' + page(GBK_ONLY)).encode("gb18030")

    text, encoding = decode_html(body, None)

    assert encoding == "gb18030"
    assert GBK_ONLY in text


def test_declared_cp1252_page() -> None:
    body = "<html><head><title>Site</title></head><body><p>Café – résumé</p></body></html>".encode("cp1252")

    text, encoding = decode_html(body, "text/html; charset=ISO-8859-1")

    assert encoding == "cp1252"
    assert "Café – résumé" in text


def test_truncated_utf8_body_is_still_utf8() -> None:
    body = page("云南省人民政府办公厅" * 50).encode("utf-8")[:-20] + "云".encode()[:2]

    text, encoding = decode_html(body, "text/html; charset=gbk")

    assert encoding == "utf-8"
    assert "云南省人民政府办公厅" in text


def test_truncated_gbk_body_is_still_gb18030() -> None:
    body = page(GBK_ONLY * 100).encode("gb18030") + "镕".encode("gb18030")[:1]

    text, encoding = decode_html(body, "text/html; charset=gb2312")

    assert encoding == "gb18030"
    assert GBK_ONLY * 100 in text


def test_gbk_page_with_a_single_chinese_character_is_not_taken_for_utf8() -> None:
    body = ("<html><body>" + "x" * 5000 + "镕</body></html>").encode("gb18030")

    text, encoding = decode_html(body, None)

    assert encoding == "gb18030"
    assert "镕" in text


def test_undecodable_bytes_fall_back_to_cp1252_with_replacement() -> None:
    body = bytes(range(0x80, 0x100)) * 4

    text, encoding = decode_html(body, None)

    assert encoding == "cp1252"
    assert len(text) == len(body)


@pytest.mark.parametrize("declared", ["header", "meta"])
def test_gb2312_with_many_invalid_bytes_is_read_as_gbk_with_replacement(declared: str) -> None:
    meta = '<meta charset="gb2312">' if declared == "meta" else ""
    body = page(GBK_ONLY + "欢迎访问", meta).encode("gbk").replace(b"<p>", b"<p>" + b"\xff" * 40)

    text, encoding = decode_html(body, "text/html; charset=gb2312" if declared == "header" else "text/html")

    assert encoding == "gb18030"
    assert "\ufffd" * 40 + GBK_ONLY + "欢迎访问" in text


def test_unknown_label_is_ignored() -> None:
    body = page(GBK_ONLY).encode("gb18030")

    text, encoding = decode_html(body, "text/html; charset=no-such-charset")

    assert encoding == "gb18030"
    assert GBK_ONLY in text


@pytest.mark.parametrize(
    ("label", "expected"),
    [("GB2312", "gb18030"), ("utf8", "utf-8"), ("latin1", "cp1252"), ("windows-1252", "cp1252"), ("bogus", None)],
)
def test_canonical_encoding(label: str, expected: str | None) -> None:
    assert canonical_encoding(label) == expected
