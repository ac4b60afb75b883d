"""The published date of an article page, and which signal gave it.

The published date is the one the page shows in its header, by the title: a labelled date
("发布时间：2021-07-05", anywhere outside footers and other articles' list items; a bare
日期/时间 label only near the title) or an unlabelled date line just under the title
("2021-07-05 10:30", "2021年07月05日 来源：xx"). Without one, the standard meta tags, then a
date in the URL. A date in the body text (a signature's 成文日期, an exhibition's dates)
never is: a list page has no date unless its meta gives one. The meta date is also kept on
its own (published_meta), since it often differs from the shown one (a migration date).
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

from lxml import etree

from govmon.facts.document import Block, Document, normalise_space

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

# Header labels; the earlier a group, the stronger the label. A bare 日期/时间 must not
# end a longer label (成文日期, 截止日期, 办理时间 are not the published date).
_HEADER_LABEL = re.compile(
    r"(?:(?P<published>发布时间|发布日期|发表时间|发表日期|发稿时间|公开日期)|(?P<issued>发文日期)"
    r"|(?<![\u4e00-\u9fff])(?P<generic>日期|时间))"
    r"\s*[:：]?\s*"
)
_LABEL_STRENGTH = {"published": 0, "issued": 1, "generic": 2}
# The header: the title's block and the few after it, until the body starts.
_HEADER_BLOCKS = 8
_BODY_BLOCK_CHARS = 200
_SENTENCE_END = ("。", "！", "？")
_BODY_HINT = re.compile(r"content|zoom|trs_?editor|zhengwen|article-?body|main-?txt|con-?txt|ucap", re.IGNORECASE)
_TITLE_PART_MIN_CHARS = 8
# An unlabelled date line: short, starting with the date or carrying the article's other facts.
_DATE_LINE_MAX_CHARS = 100
_DATE_LINE_FACTS = re.compile(r"来源|作者|浏览|阅读|点击|编辑|字号|字体|打印|分享")
_DATE_LINE_OPENERS = " (（[【"
_LABEL_END = ("：", ":")

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
_TOOL_OPENERS, _TOOL_CLOSERS = "【[〔", "】]〕"


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
    """Whether element links to another article: a real title, not a bracketed tool ("【内容纠错】")."""
    for link in element.iter("a"):
        href = (link.get("href") or "").strip().lower()
        if not href or href.startswith(("javascript:", "#")):
            continue
        text = normalise_space("".join(link.itertext()))
        if len(text) >= _TITLE_LINK_MIN_CHARS and not (text[0] in _TOOL_OPENERS and text[-1] in _TOOL_CLOSERS):
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


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _shows_title(text: str, title: str) -> bool:
    """Whether a block shows the title: the same text, or part of it (a title set on two lines)."""
    shown = _squeezed(text)
    if len(shown) < _TITLE_PART_MIN_CHARS:
        return shown == title
    return shown in title or title in shown


def _starts_body(block: Block, holds_title: set[etree._Element]) -> bool:
    """A long block, a sentence, or one in a body container (content, zoom …) that does not hold the title."""
    if len(block.text) > _BODY_BLOCK_CHARS or block.text.endswith(_SENTENCE_END):
        return True
    for node in (block.owner, *block.owner.iterancestors()):
        if node in holds_title or node.tag == "body":
            return False
        if _BODY_HINT.search(f"{node.get('id', '')} {node.get('class', '')}"):
            return True
    return False


def _header_range(blocks: list[Block], title: str | None) -> range | None:
    """Indices of the header blocks: the block showing the title (else the first <h1>) and those after it
    before the body starts; None when the page shows no title."""
    wanted = _squeezed(title or "")
    start = next((i for i, block in enumerate(blocks) if wanted and _shows_title(block.text, wanted)), None)
    if start is None:
        start = next((i for i, block in enumerate(blocks) if block.owner.tag == "h1"), None)
    if start is None:
        return None
    holds_title = set(blocks[start].owner.iterancestors())
    end = start + 1
    while end < len(blocks) and end <= start + _HEADER_BLOCKS and not _starts_body(blocks[end], holds_title):
        end += 1
    return range(start, end)


def _labelled_date(blocks: list[Block], header: range | None) -> datetime.date | None:
    """The date after the strongest label; a bare 日期/时间 counts only in the header (when there is one)."""
    best: tuple[int, datetime.date] | None = None
    for index, block in enumerate(blocks):
        for label in _HEADER_LABEL.finditer(block.text):
            strength = _LABEL_STRENGTH[label.lastgroup]
            if best is not None and strength >= best[0]:
                continue
            if label.lastgroup == "generic" and header is not None and index not in header:
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


def _line_date(text: str) -> datetime.date | None:
    """The date of a date line: short, and starting with the date ("(2021-07-05)" too) or carrying the
    article's other facts."""
    if len(text) > _DATE_LINE_MAX_CHARS:
        return None
    date_match = _DATE.match(text.lstrip(_DATE_LINE_OPENERS))
    if date_match is None and _DATE_LINE_FACTS.search(text):
        date_match = _DATE.search(text)
    return date_match and _match_date(date_match)


def _date_line(blocks: list[Block], header: range | None, title: str | None) -> datetime.date | None:
    """An unlabelled date line under the title ("2021-07-05 10:30", "2021年07月05日 来源：xx"), or
    after it in the title's own block (<h2>标题<small>2021-07-05</small></h2>)."""
    if header is None:
        return None
    first = blocks[header.start].text
    after_title = first.split(title, 1)[1].strip() if title and title in first else ""
    found = after_title and _line_date(after_title)
    if found and _acceptable(blocks[header.start]):
        return found
    for index in header[1:]:
        block = blocks[index]
        if blocks[index - 1].text.endswith(_LABEL_END):
            continue  # the value of a label (成文日期：) that is no published date
        found = _line_date(block.text)
        if found and _acceptable(block):
            return found
    return None


def _visible_date(document: Document, title: str | None) -> datetime.date | None:
    """The published date the page shows: labelled, else an unlabelled date line under the title."""
    blocks = document.blocks
    header = _header_range(blocks, title)
    return _labelled_date(blocks, header) or _date_line(blocks, header, title)


def _url_date(url: str) -> datetime.date | None:
    path = urlsplit(url).path
    for pattern in _URL_DATES:
        for match in pattern.finditer(path):
            found = valid_date(int(match["y"]), int(match["m"]), int(match["d"]))
            if found:
                return found
    return None


def meta_published(document: Document) -> str | None:
    """The ISO date of the page's standard meta tags (PubDate, publishdate …), whether or not the page shows it."""
    meta = _meta_date(document)
    return meta[0].isoformat() if meta else None


def extract_published(document: Document, title: str | None = None) -> tuple[str | None, str | None]:
    """Return (ISO date, source) of the page's published date, or (None, None): the date shown by the
    title ("header"), else the meta tags ("meta:PubDate" …), else the URL ("url")."""
    shown = _visible_date(document, title)
    if shown:
        return shown.isoformat(), "header"
    meta = _meta_date(document)
    if meta:
        return meta[0].isoformat(), meta[1]
    in_url = _url_date(document.url)
    if in_url:
        return in_url.isoformat(), "url"
    return None, None
