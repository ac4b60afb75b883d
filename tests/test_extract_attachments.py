"""read_attachment: the text of xlsx, xls, csv, docx, doc/wps/rtf, pdf and txt attachments, with where each piece is.

Every file here is synthetic, built in the test: xlsx with openpyxl, docx with python-docx, encrypted PDFs with
pypdf; .xls (BIFF8), .doc (Word 97) and PDF have no writer installed, so small builders below write them by the
formats' specifications ([MS-CFB] compound files, [MS-XLS] BIFF8 records, [MS-DOC] FIB and piece table, PDF 1.4).
No real .xls/.doc is stored as text in the public repositories the search tools reach (they hold binaries as
none), so none of these files is from the real world. The numbers are the GB 11643 sample ID and a sample mobile.
"""

from __future__ import annotations

import io
import struct
import zipfile

import docx
import openpyxl
import pytest
from pypdf import PdfReader, PdfWriter

from govmon.facts import attachment_text
from govmon.facts.attachment_text import MAX_TEXT_CHARS, Reading, Segment, UnreadableAttachment, read_attachment

ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"


def places(reading: Reading) -> dict[str, Segment]:
    """The segments by their text (each text is unique in these files)."""
    return {segment.text: segment for segment in reading.segments}


def unreadable(data: bytes, extension: str) -> str:
    with pytest.raises(UnreadableAttachment) as caught:
        read_attachment(data, extension)
    return str(caught.value)


# Builders of the formats no installed library writes.

SECTOR = 512
END_OF_CHAIN, FREE_SECTOR, FAT_SECTOR, NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) with up to 3 streams, each padded past the 4096-byte
    mini-stream cutoff so that it lives in ordinary sectors: sector 0 is the FAT, sector 1 the directory."""
    bodies = [body.ljust(max(4096, -(-len(body) // SECTOR) * SECTOR), b"\x00") for body in streams.values()]
    fat = [FAT_SECTOR, END_OF_CHAIN]
    starts = []
    for body in bodies:
        starts.append(len(fat))
        fat.extend(range(len(fat) + 1, len(fat) + len(body) // SECTOR))
        fat.append(END_OF_CHAIN)
    assert len(fat) <= 128 and len(streams) <= 3
    entries = [directory_entry("Root Entry", 5, END_OF_CHAIN, 0, child=1)]
    for index, (name, start, body) in enumerate(zip(streams, starts, bodies), 1):
        entries.append(directory_entry(name, 2, start, len(body), right=index + 1 if index < len(streams) else NO_STREAM))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<9I", 0, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
              + struct.pack("<I", 0) + struct.pack("<I", FREE_SECTOR) * 108)
    fat_sector = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", FREE_SECTOR) * (128 - len(fat))
    return header + fat_sector + b"".join(entries).ljust(SECTOR, b"\x00") + b"".join(bodies)


def directory_entry(name: str, kind: int, start: int, size: int, child: int = NO_STREAM, right: int = NO_STREAM) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le")
    return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", NO_STREAM, right, child) + bytes(36) + struct.pack("<II", start, size) + bytes(4))


def biff_record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def biff_bof(kind: int) -> bytes:
    return biff_record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def biff_string(text: str, length: str = "H") -> bytes:
    return struct.pack(f"<{length}B", len(text), 1) + text.encode("utf-16-le")


def biff8_workbook(sheets: dict[str, list[list[str | float | None]]]) -> bytes:
    """A BIFF8 Workbook stream: globals (BOF, one BOUNDSHEET per sheet, EOF), then each sheet's LABEL and NUMBER
    cells."""
    bodies = [biff8_sheet(rows) for rows in sheets.values()]
    offset = len(biff_bof(5)) + sum(10 + len(biff_string(name, "B")) for name in sheets) + len(biff_record(0x0A))
    workbook = [biff_bof(5)]
    for name, body in zip(sheets, bodies):
        workbook.append(biff_record(0x0085, struct.pack("<IBB", offset, 0, 0) + biff_string(name, "B")))
        offset += len(body)
    return b"".join(workbook) + biff_record(0x0A) + b"".join(bodies)


def biff8_sheet(rows: list[list[str | float | None]]) -> bytes:
    records = [biff_bof(0x10), biff_record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, max(map(len, rows)), 0))]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                records.append(biff_record(0x0204, struct.pack("<HHH", r, c, 0) + biff_string(value)))
            elif value is not None:
                records.append(biff_record(0x0203, struct.pack("<HHHd", r, c, 0, value)))
    return b"".join(records) + biff_record(0x0A)


def word97_streams(paragraphs: list[str]) -> dict[str, bytes]:
    """A minimal Word 97 document: a FIB (Chinese, Unicode text, table stream 1Table), the text, a one-piece piece
    table and an empty stylesheet (without one antiword crashes now and then). antiword and catdoc both read it."""
    text = "".join(paragraph + "\r" for paragraph in paragraphs).encode("utf-16-le")
    start = 0x800
    fib = bytearray(start)
    struct.pack_into("<7H", fib, 0, 0xA5EC, 0x00C1, 0x6A62, 0x0804, 0, 0x1200, 0x00BF)
    struct.pack_into("<II", fib, 0x18, start, start + len(text))  # fcMin, fcMac
    struct.pack_into("<H", fib, 0x20, 14)  # csw
    struct.pack_into("<H", fib, 0x3E, 22)  # cslw
    struct.pack_into("<I", fib, 0x4C, len(text) // 2)  # ccpText
    struct.pack_into("<H", fib, 0x98, 93)  # cbRgFcLcb
    clx = b"\x02" + struct.pack("<I", 20) + struct.pack("<II", 0, len(text) // 2) + struct.pack("<HIH", 0, start, 0)
    struct.pack_into("<II", fib, 0x1A2, 0, len(clx))  # fcClx, lcbClx
    stylesheet = struct.pack("<H", 18) + struct.pack("<9H", 0, 10, 1, 0x0FFF, 0x0FFF, 0, 0, 0, 0)  # no styles
    struct.pack_into("<II", fib, 0xA2, len(clx), len(stylesheet))  # fcStshf, lcbStshf
    return {"WordDocument": bytes(fib) + text, "1Table": clx + stylesheet}


def pdf_document(pages: list[list[str]]) -> bytes:
    """A PDF 1.4 whose pages show the given ASCII lines in Helvetica, with a correct xref table."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(len(pages))),
                                                            len(pages)),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for index, lines in enumerate(pages):
        shown = b" ".join(b"(%s) Tj T*" % line.encode("ascii") for line in lines)
        stream = b"BT /F1 12 Tf 14 TL 72 720 Td " + shown + b" ET"
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % (5 + 2 * index))
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def encrypted(pdf: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner-only", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def xlsx_list() -> bytes:
    """A 低保 list as sites publish it: a merged title row, a header row, the people; a second, named sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.merge_cells("A1:D1")
    sheet["A1"] = "2026年低保人员名单"
    sheet.append(["序号", "姓名", "身份证号码", "联系电话"])
    sheet.append([1, "张三", ID_NUMBER, int(MOBILE)])
    named = workbook.create_sheet("失信被执行人")
    named.append(["被执行人", "证件号码"])
    named.append(["李四", "110105194912310037"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Spreadsheets

def test_xlsx_cells_carry_sheet_cell_header_label_and_title_row() -> None:
    reading = read_attachment(xlsx_list(), "xlsx")
    found = places(reading)

    assert reading.format == "xlsx" and not reading.truncated
    assert found[ID_NUMBER] == Segment({"sheet": "Sheet1", "cell": "C3"}, ID_NUMBER, "身份证号码", "2026年低保人员名单")
    assert found[MOBILE].where == {"sheet": "Sheet1", "cell": "D3"} and found[MOBILE].label == "联系电话"
    assert found["身份证号码"].label is None  # the header itself is under no header
    assert found["2026年低保人员名单"].where == {"sheet": "Sheet1", "cell": "A1"}


def test_every_sheet_is_read_and_a_named_sheet_is_its_own_section() -> None:
    found = places(read_attachment(xlsx_list(), "xlsx"))

    assert found["110105194912310037"] == Segment({"sheet": "失信被执行人", "cell": "B2"}, "110105194912310037",
                                                  "证件号码", "失信被执行人")


def test_first_row_of_data_is_no_header() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["张三", ID_NUMBER])
    workbook.active.append(["李四", "110105194912310037"])
    out = io.BytesIO()
    workbook.save(out)

    found = places(read_attachment(out.getvalue(), "xlsx"))

    assert found[ID_NUMBER].label is None and found["110105194912310037"].label is None
    assert found[ID_NUMBER].section is None  # a default sheet name says nothing


def test_wps_et_saved_as_xlsx_is_read_as_xlsx_named_et() -> None:
    reading = read_attachment(xlsx_list(), "et")

    assert reading.format == "et" and places(reading)[ID_NUMBER].label == "身份证号码"


def test_xls_biff8_in_a_compound_file() -> None:
    streams = {"Workbook": biff8_workbook({"低保名单": [["2026年低保人员名单"], ["姓名", "身份证号码", "电话"],
                                                     ["张三", ID_NUMBER, float(MOBILE)]]})}

    reading = read_attachment(compound_file(streams), "xls")
    found = places(reading)

    assert reading.format == "xls"
    assert found[ID_NUMBER] == Segment({"sheet": "低保名单", "cell": "B3"}, ID_NUMBER, "身份证号码", "2026年低保人员名单")
    assert found[MOBILE].where == {"sheet": "低保名单", "cell": "C3"}  # a number cell, shown without ".0"


def test_xlsx_served_as_xls_is_read_by_its_content() -> None:
    reading = read_attachment(xlsx_list(), "xls")

    assert reading.format == "xlsx" and ID_NUMBER in places(reading)


def test_csv_in_gb18030_with_header_labels() -> None:
    data = f"姓名,身份证号码,联系电话\n张三,{ID_NUMBER},{MOBILE}\n".encode("gb18030")

    reading = read_attachment(data, "csv")
    found = places(reading)

    assert reading.format == "csv"
    assert found[ID_NUMBER] == Segment({"row": 2, "column": 2}, ID_NUMBER, "身份证号码", None)
    assert found[MOBILE].label == "联系电话"


def test_tab_separated_text_served_as_xls_is_read_as_csv_in_utf8() -> None:
    data = f"\ufeff名单\n姓名\t身份证号码\n张三\t{ID_NUMBER}\n".encode()

    reading = read_attachment(data, "xls")

    assert reading.format == "csv"
    assert places(reading)[ID_NUMBER] == Segment({"row": 3, "column": 2}, ID_NUMBER, "身份证号码", "名单")


# Documents

def test_docx_paragraphs_and_tables_with_headings_and_caption() -> None:
    document = docx.Document()
    document.add_heading("关于2026年低保对象的公示", 1)
    document.add_paragraph(f"联系电话：{MOBILE}")
    document.add_paragraph("")  # empty paragraphs are not counted
    document.add_paragraph("表1 低保对象名单")
    table = document.add_table(rows=2, cols=3)
    for column, text in enumerate(["姓名", "身份证号码", "住址"]):
        table.cell(0, column).text = text
    table.cell(1, 0).text = "张三"
    table.cell(1, 1).text = ID_NUMBER
    table.cell(1, 2).text = "某村"
    out = io.BytesIO()
    document.save(out)

    reading = read_attachment(out.getvalue(), "docx")
    found = places(reading)

    assert reading.format == "docx"
    assert found[f"联系电话：{MOBILE}"] == Segment({"paragraph": 2}, f"联系电话：{MOBILE}", None, "关于2026年低保对象的公示")
    assert found["表1 低保对象名单"].where == {"paragraph": 3}
    assert found[ID_NUMBER] == Segment({"table": 1, "row": 2, "column": 2}, ID_NUMBER, "身份证号码", "表1 低保对象名单")


def test_docx_merged_cells_count_once() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    title = table.cell(0, 0).merge(table.cell(0, 1))
    title.text = "失信被执行人名单"
    table.cell(1, 0).text, table.cell(1, 1).text = "姓名", "身份证号"
    table.cell(2, 0).text, table.cell(2, 1).text = "李四", ID_NUMBER
    out = io.BytesIO()
    document.save(out)

    reading = read_attachment(out.getvalue(), "docx")

    assert [segment.text for segment in reading.segments].count("失信被执行人名单") == 1
    assert places(reading)[ID_NUMBER] == Segment({"table": 1, "row": 3, "column": 2}, ID_NUMBER, "身份证号",
                                                 "失信被执行人名单")


WORD_LIST = ["低保人员名单", f"联系电话：{MOBILE}", f"张三 {ID_NUMBER}"]
WORD_SEGMENTS = [Segment({"paragraph": 1}, "低保人员名单", None, "低保人员名单"),
                 Segment({"paragraph": 2}, f"联系电话：{MOBILE}", None, "低保人员名单"),
                 Segment({"paragraph": 3}, f"张三 {ID_NUMBER}", None, "低保人员名单")]


def test_word97_doc_is_read_by_antiword(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachment_text, "WORD_READERS", attachment_text.WORD_READERS[:1])

    reading = read_attachment(compound_file(word97_streams(WORD_LIST)), "doc")

    assert reading.format == "doc" and reading.segments == WORD_SEGMENTS


def test_word97_doc_is_read_by_catdoc_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachment_text, "WORD_READERS", attachment_text.WORD_READERS[1:])

    assert read_attachment(compound_file(word97_streams(WORD_LIST)), "doc").segments == WORD_SEGMENTS


def test_wps_file_is_a_word_file_named_wps() -> None:
    data = compound_file(word97_streams([f"张三 {ID_NUMBER}"]))

    reading = read_attachment(data, "wps")

    assert reading.format == "wps" and reading.segments[0].text == f"张三 {ID_NUMBER}"


def test_rtf_served_as_doc_antiword_refuses_is_read_by_catdoc(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\\f0 Tel " + MOBILE.encode() + b"\\par ID " + ID_NUMBER.encode() + b"\\par}"

    reading = read_attachment(data, "doc")

    assert reading.format == "doc"
    assert [segment.text for segment in reading.segments] == [f"Tel {MOBILE}", f"ID {ID_NUMBER}"]
    monkeypatch.setattr(attachment_text, "WORD_READERS", attachment_text.WORD_READERS[:1])
    assert unreadable(data, "doc") == "无法解析：antiword 无法读取"


def test_word_file_no_reader_can_read_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    data = compound_file({"WordDocument": b"\x00" * 64})
    assert unreadable(data, "doc").startswith("无法解析：")

    monkeypatch.setattr(attachment_text, "WORD_READERS", (("govmon-no-such-reader",),))
    assert unreadable(compound_file(word97_streams(["某某"])), "doc") == "无法解析：未安装 govmon-no-such-reader"


def test_pdf_page_by_page() -> None:
    data = pdf_document([["Name list 2026", f"Tel: {MOBILE}"], [f"Zhang San {ID_NUMBER}"]])

    reading = read_attachment(data, "pdf")

    assert reading.format == "pdf" and not reading.truncated
    assert reading.segments == [Segment({"page": 1}, "Name list 2026", None, "Name list 2026"),
                                Segment({"page": 1}, f"Tel: {MOBILE}", None, "Name list 2026"),
                                Segment({"page": 2}, f"Zhang San {ID_NUMBER}", None, "Name list 2026")]


def test_pdf_needing_a_password_is_encrypted_one_locked_only_against_editing_is_read() -> None:
    data = pdf_document([[f"Tel: {MOBILE}"]])

    assert unreadable(encrypted(data, "secret"), "pdf") == "文件已加密"
    assert [segment.text for segment in read_attachment(encrypted(data, ""), "pdf").segments] == [f"Tel: {MOBILE}"]


def test_pdf_pages_past_the_cap_are_left_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachment_text, "MAX_PDF_PAGES", 3)

    reading = read_attachment(pdf_document([[f"page {n}"] for n in range(1, 6)]), "pdf")

    assert reading.truncated and [segment.where["page"] for segment in reading.segments] == [1, 2, 3]


def test_txt_line_by_line() -> None:
    data = f"失信被执行人名单\n\n张三 {ID_NUMBER}\n".encode("gb18030")

    reading = read_attachment(data, "txt")

    assert reading.format == "txt"
    assert places(reading)[f"张三 {ID_NUMBER}"] == Segment({"line": 3}, f"张三 {ID_NUMBER}", None, "失信被执行人名单")


# What is not read, and the bounds

@pytest.mark.parametrize("extension", ["xls", "pdf", "doc", "txt", "csv"])
def test_html_served_as_an_attachment(extension: str) -> None:
    page = "\ufeff  <!DOCTYPE html>\n<html><head><title>404</title></head><body>页面不存在</body></html>".encode()

    assert unreadable(page, extension) == "附件实为网页"


def test_corrupt_files_are_unreadable_with_a_reason() -> None:
    xlsx = xlsx_list()
    broken_part = io.BytesIO()
    with zipfile.ZipFile(broken_part, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")
    broken_docx = io.BytesIO()
    with zipfile.ZipFile(broken_docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document")
    xls = compound_file({"Workbook": biff8_workbook({"S": [["a", "b"]]})})
    cases = [
        ("xlsx", xlsx[: len(xlsx) // 2], "无法解析：压缩文件已损坏"),
        ("et", broken_part.getvalue(), "无法解析：Excel（xlsx）文件已损坏或格式不符"),
        ("docx", broken_docx.getvalue(), "无法解析：Word（docx）文件已损坏或格式不符"),
        ("xls", xls[: 3 * 512] + b"\xff" * (len(xls) - 3 * 512), "无法解析：Excel（xls）文件已损坏或格式不符"),  # sector 2 on
        ("pdf", pdf_document([["a"]])[:200], "无法解析：PDF文件已损坏或格式不符"),
        ("doc", b"\x00\x01\x02binary junk\x00", "无法解析：无法识别的文件格式"),
        ("doc", compound_file({"Contents": b"x"}), "无法解析：不是表格或文档"),
        ("doc", compound_file({"WordDocument": b"x"})[:700], "无法解析：OLE 复合文档已损坏"),
        ("txt", b"", "无法解析：文件为空"),
    ]
    for extension, data, reason in cases:
        assert unreadable(data, extension).startswith(reason), extension


def test_encrypted_office_file_is_encrypted() -> None:
    data = compound_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 16})

    assert unreadable(data, "xlsx") == "文件已加密"


def test_zip_bomb_is_refused_unopened(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachment_text, "MAX_UNZIPPED_BYTES", 1_000_000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"\x00" * 2_000_000)

    assert unreadable(out.getvalue(), "xlsx") == "无法解析：解压后过大"


def test_text_is_cut_at_the_cap() -> None:
    line = "某某" * 49 + "\n"  # 98 characters a line, and its newline
    data = (line * (MAX_TEXT_CHARS // 98 + 100)).encode()

    reading = read_attachment(data, "txt")

    assert reading.truncated
    assert sum(len(segment.text) for segment in reading.segments) == MAX_TEXT_CHARS
    assert len(reading.segments[-1].text) < 98  # the last line cut to fit
