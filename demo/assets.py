"""Non-HTML files of the demo portal: images, attachments, stylesheet and script, all built with the standard library.

Attachments only need the right type and non-HTML bytes; they are kept small and deterministic.
"""

import struct
import zipfile
import zlib
from io import BytesIO
from xml.sax.saxutils import escape


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


def xls(label: str) -> bytes:
    """Bytes with the OLE2 compound-file signature of a legacy .xls (not a parseable workbook)."""
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
            + label.encode("utf-16-le")).ljust(512, b"\x00")


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
