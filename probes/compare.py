"""Compare the IPv4 and IPv6 homepages (IPV6-3) and find a page's claim to support IPv6 (IPV6-5)."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from govmon.facts.document import ExtractError, normalise_space, parse_html

SHINGLE_CHARS = 4

_NOT_LETTERS = re.compile(r"[\W\d_]+")
_WEEKDAY = re.compile(r"(?:星期|礼拜|周)[一二三四五六日天]")
_CLAIM = re.compile(r"[\u4e00-\u9fff]{0,3}(?<![不未])支持\s?IPv6|IPv6\s?支持|IPv6\s?Ready", re.IGNORECASE)
# An image file named for IPv6 inside an inline script (footers written by document.write).
# An image path naming IPv6 in a script ("/images/ipv6.png"): found within runs of path characters, one pass
# each, rather than by one pattern whose open prefix would rescan a long run from every position.
_PATH_RUN = re.compile(r"[^\s\"'<>()]+")
_IMAGE_SUFFIX = re.compile(r"\.(?:png|gif|jpe?g|svg|webp)", re.IGNORECASE)


def _script_image(source: str) -> str | None:
    """The first path in source with "ipv6" in its name before an image suffix; the path starts after any "="
    (``src=/img/ipv6.png``) and runs to its last image suffix."""
    if "ipv6" not in source.lower():
        return None
    for run in _PATH_RUN.finditer(source):
        path = run.group()
        named = path.lower().find("ipv6")
        if named < 0:
            continue
        suffixes = [match for match in _IMAGE_SUFFIX.finditer(path) if match.start() >= named + 4]
        if suffixes:
            return path[path.rfind("=", 0, named) + 1:suffixes[-1].end()]
    return None
_AREA_NAME = re.compile(r"foot|bottom|copyright|header|top", re.IGNORECASE)
_AREA_TAGS = frozenset(("header", "footer"))


def _shingles(text: str) -> set[str]:
    letters = _NOT_LETTERS.sub("", _WEEKDAY.sub("", unicodedata.normalize("NFKC", text).casefold()))
    if len(letters) <= SHINGLE_CHARS:
        return {letters} if letters else set()
    return {letters[i:i + SHINGLE_CHARS] for i in range(len(letters) - SHINGLE_CHARS + 1)}


def text_similarity(a: str | None, b: str | None) -> float:
    """How alike two pages' visible texts are, from 0 (nothing shared) to 1 (the same).

    Only letters count (CJK or alphabetic, after NFKC and case folding): digits,
    punctuation, whitespace and weekday names (星期三) go, so a clock, a date or a
    visit counter on the page changes nothing. The score is the Jaccard index of
    the sets of 4-character shingles, which takes linear time on long pages
    (difflib's SequenceMatcher takes seconds on 20,000 characters) and drops
    smoothly as more text differs: one changed headline among seven lines gives 0.87.
    A missing text (None) scores 0; two texts without letters score 1.
    """
    if a is None or b is None:
        return 0.0
    first, second = _shingles(a), _shingles(b)
    if not first and not second:
        return 1.0
    return len(first & second) / len(first | second)


def claims_ipv6(html: str) -> str | None:
    """The evidence that a page claims IPv6 support, or None.

    Evidence is "text:<the claim>" (支持IPv6, 本网站支持IPv6, IPv6支持, IPv6 Ready;
    case, full-width letters and a space do not matter; 不支持/未支持 IPv6 is no
    claim) or "img:<src, alt or title>" for an <img> naming IPv6 (a badge such as
    /images/ipv6.png). Only the header and footer areas are read when the page has
    them (header/footer elements, ids or classes containing foot, bottom,
    copyright, header or top), because an article about IPv6 (IPv6规模部署工作)
    in the body is a known source of false claims; otherwise the whole page is read.
    Inline scripts in those areas are read too, since footers are often written by
    document.write.
    """
    try:
        root = parse_html(html)
    except ExtractError:
        return None
    areas = [element for element in root.iter() if _is_area(element)] or [root]
    for area in areas:
        text = normalise_space(unicodedata.normalize("NFKC", "".join(area.itertext())))
        claim = _CLAIM.search(text)
        if claim:
            return f"text:{claim.group(0)}"
        for image in area.iter("img"):
            for attribute in ("src", "alt", "title"):
                value = image.get(attribute) or ""
                if "ipv6" in value.casefold():
                    return f"img:{value.strip()}"
        for script in area.iter("script"):
            image_path = _script_image(script.text or "")
            if image_path:
                return f"img:{image_path}"
    return None


def _is_area(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    if element.tag in _AREA_TAGS:
        return True
    return bool(_AREA_NAME.search(f"{element.get('id', '')} {element.get('class', '')}"))
