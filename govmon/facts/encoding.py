"""Decode fetched HTML bytes to text the way Chinese government pages need it.

Many of these pages declare gb2312 while containing GBK-only characters (镕, 堃, 喆),
some declare one encoding in the header and another in a <meta>, and some declare
nothing at all. A declared encoding is therefore tried strictly and abandoned when
the bytes do not fit it, instead of producing mojibake.
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import resolve_encoding

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.IGNORECASE)
_META_SCAN_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels WHATWG maps to GB18030 that w3lib does not know.
_EXTRA_ALIASES = {"x-gbk": "gb18030", "csgb2312": "gb18030", "x-gb2312": "gb18030"}

# A body that fails strict decoding (truncated mid-character, a stray byte) is still
# read with an encoding that leaves at most 1 invalid sequence per 100 non-ASCII bytes.
# UTF-8 goes first: GBK bytes read as UTF-8 fail on nearly every character, whereas
# UTF-8 bytes read as gb18030 mostly "succeed" as mojibake.
_TOLERATED_ERRORS_PER_NON_ASCII_BYTE = 0.01
_REPLACEMENT_CHARACTER_UTF8 = "\ufffd".encode("utf-8")
_ASCII_BYTES = bytes(range(0x80))


def canonical_encoding(label: str) -> str | None:
    """Return the codec Python should use for a declared charset label, or None if unknown."""
    label = label.strip().lower()
    name = _EXTRA_ALIASES.get(label) or resolve_encoding(label)
    if name is None:
        return None
    return codecs.lookup(name).name


def _header_encoding(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return canonical_encoding(match.group(1)) if match else None


def _bom_encoding(body: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, len(bom)
    return None


def _declared_in_document(body: bytes) -> str | None:
    head = body[:_META_SCAN_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = canonical_encoding(match.group(1).decode("ascii", "replace"))
    # A document that could be read to find its own label is not UTF-16 (as in WHATWG).
    return "utf-8" if name in ("utf-16-le", "utf-16-be", "utf-16") else name


def _decode_tolerant(body: bytes, name: str) -> str | None:
    text = body.decode(name, "replace")
    errors = text.count("\ufffd") - body.count(_REPLACEMENT_CHARACTER_UTF8)
    non_ascii = len(body.translate(None, _ASCII_BYTES))
    if errors <= non_ascii * _TOLERATED_ERRORS_PER_NON_ASCII_BYTE:
        return text
    return None


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Return (text, encoding used) for an HTML body.

    Order: byte order mark (unambiguous, as in browsers); UTF-8, strictly and then
    with a few invalid sequences, whatever the declaration (text in GBK or cp1252 is
    practically never UTF-8, while "gb2312" headers on UTF-8 pages are common); the
    charset in the Content-Type header; <meta> or XML declaration in the first 4 KB;
    gb18030; each strictly, then again tolerating a few invalid sequences; then the
    declared encoding (header, else document) with replacement, since the page said what
    it is and its invalid bytes are damage, not a sign of another encoding; cp1252 with
    replacement only for a page that declares nothing. gb2312/gbk labels decode as
    gb18030. Names are Python's canonical lowercase names.
    """
    bom = _bom_encoding(body)
    if bom is not None:
        name, length = bom
        try:
            return body[length:].decode(name), name
        except UnicodeDecodeError:
            pass
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = _decode_tolerant(body, "utf-8")
    if text is not None:
        return text, "utf-8"

    declared = [name for name in (_header_encoding(content_type), _declared_in_document(body)) if name]
    candidates: list[str] = []
    for name in (*declared, "gb18030"):
        if name != "utf-8" and name not in candidates:
            candidates.append(name)
    for name in candidates:
        try:
            return body.decode(name), name
        except UnicodeDecodeError:
            continue
    for name in candidates:
        text = _decode_tolerant(body, name)
        if text is not None:
            return text, name
    name = declared[0] if declared else "cp1252"
    return body.decode(name, "replace"), name
