"""The published date of an article page, and which signal gave it.

Signals in priority order: standard meta tags, a labelled date in the article header
("发布时间：2021-07-05"), a date in the URL, a bare Chinese date in the body. Dates in
the footer or in list items of other articles are never taken, so a list page has no
date unless its meta or header gives one.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

from lxml import etree

from crawler.extract.document import Block, Document, normalise_space

EARLIEST_YEAR = 1990
LATEST_YEAR = 2099

# Meta name (lowercase) → the source label reported for it.
_META_SOURCES = (
    ("pubdate", "meta:PubDate"),
    ("publishdate", "meta:publishdate"),
    ("firstpublishedtime", "meta:firstpublishedtime"),
    ("article:published_time", "meta:article:published_time"),
)

# \d also matches full-width digits (２０２１), and int() reads them.
_DATE = re.compile(
    r"(?<!\d)(?P<cy>\d{4})\s*年\s*(?P<cm>\d{1,2})\s*月\s*(?P<cd>\d{1,2})\s*日"
    r"|(?<!\d)(?P<y>\d{4})(?P<sep>[-/.－／．])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"
)
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})")
_CHINESE_DATE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")

# Header labels; the earlier a group, the stronger the label. A bare 日期/时间 must not
# end a longer label (成文日期, 截止日期, 办理时间 are not the published date).
_HEADER_LABEL = re.compile(
    r"(?:(?P<published>发布时间|发布日期)|(?P<issued>发文日期)|(?<![\u4e00-\u9fff])(?P<generic>日期|时间))"
    r"\s*[:：]?\s*"
)
_LABEL_STRENGTH = {"published": 0, "issued": 1, "generic": 2}

_URL_DATES = (
    re.compile(r"[/_]t?(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})[_/.]"),  # t20210624_1.html, /20210624/
    re.compile(r"/(?P<y>\d{4})-(?P<m>\d{2})/(?P<d>\d{2})/"),  # /2021-06/24/
    re.compile(r"/(?P<y>\d{4})(?P<m>\d{2})/(?P<d>\d{2})/"),  # /202106/24/
    re.compile(r"/(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"),  # /art/2021/6/24/
)

_FOOTER_HINT = re.compile(r"foot|copyright|bottom|banquan", re.IGNORECASE)
# A list item of another article: a short element holding a link with a real title.
_ITEM_MAX_CHARS = 150
_ITEM_LEVELS = 3
_TITLE_LINK_MIN_CHARS = 5


def valid_date(year: int, month: int, day: int) -> datetime.date | None:
    """Return the date if it exists and lies in the years a government page can carry."""
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> datetime.date | None:
    """Return the first valid date written as 2021-07-05, 2021/7/5, 2021.07.05 or 2021年7月5日."""
    for match in _DATE.finditer(text):
        found = _match_date(match)
        if found:
            return found
    return None


def _match_date(match: re.Match[str]) -> datetime.date | None:
    if match.group("cy"):
        return valid_date(int(match["cy"]), int(match["cm"]), int(match["cd"]))
    return valid_date(int(match["y"]), int(match["m"]), int(match["d"]))


def _meta_date(document: Document) -> tuple[datetime.date, str] | None:
    for name, source in _META_SOURCES:
        value = document.meta.get(name)
        if not value:
            continue
        found = parse_date(value)
        if found is None:
            compact = _COMPACT_DATE.match(value)
            found = compact and valid_date(*(int(part) for part in compact.groups()))
        if found:
            return found, source
    return None


def _is_footer(element: etree._Element) -> bool:
    for node in (element, *element.iterancestors()):
        if node.tag == "footer":
            return True
        if _FOOTER_HINT.search(f"{node.get('id', '')} {node.get('class', '')}"):
            return True
    return False


def _has_title_link(element: etree._Element) -> bool:
    for link in element.iter("a"):
        href = (link.get("href") or "").strip().lower()
        if not href or href.startswith(("javascript:", "#")):
            continue
        if len(normalise_space("".join(link.itertext()))) >= _TITLE_LINK_MIN_CHARS:
            return True
    return False


def _is_other_item(element: etree._Element) -> bool:
    node: etree._Element | None = element
    for _ in range(_ITEM_LEVELS):
        if node is None or node.tag in ("body", "html"):
            return False
        if len(normalise_space("".join(node.itertext()))) > _ITEM_MAX_CHARS:
            return False
        if _has_title_link(node):
            return True
        node = node.getparent()
    return False


def _acceptable(block: Block) -> bool:
    return not _is_footer(block.owner) and not _is_other_item(block.owner)


def _header_date(blocks: list[Block]) -> datetime.date | None:
    best: tuple[int, datetime.date] | None = None
    for index, block in enumerate(blocks):
        for label in _HEADER_LABEL.finditer(block.text):
            strength = _LABEL_STRENGTH[label.lastgroup]
            if best is not None and strength >= best[0]:
                continue
            rest = block.text[label.end():]
            dated = block
            if not rest and index + 1 < len(blocks):
                dated = blocks[index + 1]
                rest = dated.text
            date_match = _DATE.match(rest)
            found = date_match and _match_date(date_match)
            if found and _acceptable(dated):
                if strength == 0:
                    return found
                best = (strength, found)
    return best[1] if best else None


def _url_date(url: str) -> datetime.date | None:
    path = urlsplit(url).path
    for pattern in _URL_DATES:
        for match in pattern.finditer(path):
            found = valid_date(int(match["y"]), int(match["m"]), int(match["d"]))
            if found:
                return found
    return None


def _text_date(blocks: list[Block]) -> datetime.date | None:
    for block in blocks:
        for match in _CHINESE_DATE.finditer(block.text):
            found = valid_date(*(int(part) for part in match.groups()))
            if found and _acceptable(block):
                return found
    return None


def extract_published(document: Document) -> tuple[str | None, str | None]:
    """Return (ISO date, source) of the page's published date, or (None, None)."""
    meta = _meta_date(document)
    if meta:
        return meta[0].isoformat(), meta[1]
    header = _header_date(document.blocks)
    if header:
        return header.isoformat(), "header"
    in_url = _url_date(document.url)
    if in_url:
        return in_url.isoformat(), "url"
    in_text = _text_date(document.blocks)
    if in_text:
        return in_text.isoformat(), "text"
    return None, None
