"""Non-HTML files of the demo portal: images, attachments, stylesheet and script, built with the standard library
and openpyxl.

Attachments are real files of their format, readable by what reads them (a crawl reads them for personal data);
they are kept small and deterministic: fixed timestamps, fixed zip member dates.
"""

import struct
import zipfile
import zlib
from datetime import datetime
from io import BytesIO
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

FIXED_TIME = datetime(2020, 1, 1)


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def pdf(text: str) -> bytes:
    """A one-page PDF; `text` must be ASCII (no embedded CJK font)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = BytesIO(b"%PDF-1.4\n")
    out.seek(0, 2)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx(paragraphs: list[str]) -> bytes:
    """A minimal Word document holding `paragraphs`."""
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:body>{body}</w:body></w:document>'),
    }
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), text)
    return out.getvalue()


def xlsx(title: str, header: list[str], rows: list[list[str]]) -> bytes:
    """A workbook of one sheet, Sheet1: `title` merged over the columns in row 1, the header in row 2, then `rows`."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.properties.created = book.properties.modified = FIXED_TIME
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()  # save() would stamp the time of saving
    return _fixed_dates(out.getvalue())


def _fixed_dates(archive: bytes) -> bytes:
    """The same zip archive with every member dated FIXED_TIME."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(archive)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6]), source.read(name),
                            zipfile.ZIP_DEFLATED)
    return out.getvalue()


def xls(rows: list[list[str]], sheet_name: str = "Sheet1") -> bytes:
    """A legacy Excel 97-2003 workbook (BIFF8 in an OLE2 compound file) of one sheet of text cells."""
    def record(kind: int, data: bytes) -> bytes:
        return struct.pack("<HH", kind, len(data)) + data

    def bof(kind: int) -> bytes:
        return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))

    def text(value: str, length_bytes: str) -> bytes:  # an uncompressed (UTF-16) BIFF8 string
        return struct.pack(length_bytes, len(value)) + b"\x01" + value.encode("utf-16-le")

    width = max(len(row) for row in rows)
    cells = b"".join(record(0x0204, struct.pack("<HHH", r, c, 0) + text(value, "<H"))  # LABEL
                     for r, row in enumerate(rows) for c, value in enumerate(row))
    sheet = (bof(0x0010) + record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0)) + cells
             + record(0x000A, b""))
    boundsheet_size = 4 + 6 + len(text(sheet_name, "<B"))
    globals_size = 20 + 6 + boundsheet_size + 4  # BOF, CODEPAGE, BOUNDSHEET, EOF
    stream = (bof(0x0005) + record(0x0042, struct.pack("<H", 1200))
              + record(0x0085, struct.pack("<IBB", globals_size, 0, 0) + text(sheet_name, "<B"))
              + record(0x000A, b"") + sheet)
    return _compound_file(stream.ljust(max(4096, -(-len(stream) // 512) * 512), b"\x00"))


def _compound_file(workbook: bytes) -> bytes:
    """An OLE2 compound file (512-byte sectors) holding one stream, Workbook, of 4096 bytes or more (so that it
    lives in ordinary sectors, not the mini stream): header, FAT in sector 0, directory in sector 1, the stream."""
    end, free, fat_sector, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    sectors = len(workbook) // 512
    fat = [fat_sector, end, *range(3, 2 + sectors), end]
    fat += [free] * (128 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBBIII", len(encoded), kind, 1 if name else 0,
                                                           none, none, child)
                + b"\x00" * 36 + struct.pack("<IQ", start, size))

    directory = (entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, none, 2, len(workbook))
                 + entry("", 0, none, 0, 0) * 2)
    return header + struct.pack("<128I", *fat) + directory + workbook


STYLESHEET = """body{margin:0;font:14px/1.8 "Microsoft YaHei",SimSun,sans-serif;color:#333}
a{color:#333;text-decoration:none}a:hover{color:#c00}
.w{width:1200px;margin:0 auto}
.topbar{background:#f5f5f5;line-height:32px;font-size:12px}.fr{float:right}
.header{height:120px;background:#b4161b}.nav ul{margin:0;padding:0;background:#9c1217;list-style:none;text-align:center}
.nav li{display:inline-block;padding:0 22px;line-height:46px}.nav a{color:#fff;font-size:16px}
.crumbs{padding:10px 0;border-bottom:1px solid #ddd}
.list li{list-style:none;line-height:36px;border-bottom:1px dashed #ddd}.list li span{float:right;color:#999}
.page{text-align:center;padding:20px 0}.page a,.page span{margin:0 4px}
.article h1{text-align:center;font-size:24px}.info{text-align:center;color:#666;font-size:12px}
.content p{text-indent:2em}.xxgk-meta{width:100%;border-collapse:collapse;background:#f8f8f8}
.xxgk-meta th,.xxgk-meta td{border:1px solid #ddd;padding:6px}
.footer{margin-top:30px;padding:20px 0;background:#eee;text-align:center;font-size:12px}
"""

SCRIPT = """function showDate(){var d=new Date(),w="日一二三四五六";
document.write(d.getFullYear()+"年"+(d.getMonth()+1)+"月"+d.getDate()+"日 星期"+w.charAt(d.getDay()));}
function doZoom(size){var c=document.getElementById("zoom");if(c){c.style.fontSize=size+"px";}}
"""
