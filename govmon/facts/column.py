"""The column (栏目) a page belongs to: meta ColumnName, else the last breadcrumb segment that names a column.

A ColumnName repeating the article's title or naming the site (its SiteName, "xx人民政府", "门户网站")
is a CMS default, not the column. The breadcrumb follows a location label ("当前位置：", "您所在的位置："
…), else it is a label-less trail from 首页 ("首页 > 专题报道 > 新闻发布会") in a breadcrumb-like block
(id or class crumb, bread, position, location, weizhi …). navigation.breadcrumb_of reads the same trail,
so the page's column and its breadcrumb always agree.
"""

from __future__ import annotations

import re

from lxml import etree

from govmon.facts.document import BLOCK_TAGS, INVISIBLE_TAGS, Document, normalise_space
from govmon.facts.list_items import visible_text_of
from govmon.facts.title import extract_title

# 当前位置, 您当前的位置, 您所在的位置, 您现在所在的位置, 当前的位置, 所在位置, 您的位置, 你现在的位置 …:
# 位置 after 您/你, 当前/现在/目前 or 所在, then a colon, the end, 首页 or a separator ("地理位置" is no label).
LOCATION_LABEL = re.compile(
    r"(?:(?:您|你)(?:当前|现在|目前)?(?:所在)?的?|(?:当前|现在|目前)(?:所在)?的?|所在的?)位置"
    r"(?=\s*(?:[:：]|$|首页|网站首页|主页|>|＞|»|›|→))\s*[:：]?"
)
_TRAIL_SEPARATORS = re.compile(r">>|-{1,2}>|>|＞|»|›|→|/|／|\|")
CRUMB_HINT = re.compile(r"crumb|bread|position|location|weizhi|dqwz|curpos|lujing|mbx", re.IGNORECASE)
# Trail segments that name the page itself, not a column.
_NOT_A_SEGMENT = frozenset(
    ["正文", "正文内容", "内容", "详情", "详情页", "详细内容", "详细信息", "信息详情", "文章详情", "留言详情", "阅读正文", "当前页"]
)
_HOME_SEGMENTS = frozenset(["首页", "网站首页", "主页", "返回首页"])
_SEGMENT_STRIP = " :：\u3000\xa0"
_MAX_COLUMN_CHARS = 40
# Column names are short; a longer segment or ColumnName equal to the title is the article itself.
_MAX_SHORT_NAME_CHARS = 12
_ELLIPSIS = "…."
_SITE_NAME_MIN_CHARS = 4
_SITE_NAME_LIKE = re.compile(r"人民政府(?:门户网站|网站|网)?$|门户网站|政府网站|官方网站|政府网$|官网$")
# Breadcrumbs are often one <li> per segment; any other block boundary ends the trail, except a table
# cell that goes on with a link or a separator (大汉 Hanweb lays its trail out in nested tables).
_TRAIL_TAGS = frozenset(("li", "ul", "ol"))
_TABLE_TAGS = frozenset(("table", "tbody", "tr", "td", "th"))

Token = tuple[str, etree._Element | None]


def link_name(link: etree._Element) -> str:
    """A link's visible text, else its title or its image's alt (an icon link to 首页)."""
    name = visible_text_of(link)
    if not name:
        image = link.find(".//img")
        name = normalise_space(link.get("title") or (image.get("alt") if image is not None else "") or "")
    return name


def _trail_block(element: etree._Element) -> etree._Element:
    """The block that holds element; a list of <li> trail items counts as one block."""
    node = element
    while node.tag not in BLOCK_TAGS and node.getparent() is not None:
        node = node.getparent()
    while node.tag == "li" and node.getparent() is not None:
        node = node.getparent()
    return node


def _continues_trail(cell: etree._Element) -> bool:
    """Whether a table cell (or row, table) goes on with the trail: it starts with a link or a separator."""
    text = normalise_space(cell.text or "")
    if text:
        return bool(_TRAIL_SEPARATORS.match(text))
    first = next((child for child in cell if isinstance(child.tag, str)), None)
    if first is None:
        return False
    return first.tag == "a" or (first.tag in _TABLE_TAGS and _continues_trail(first))


def _trail_tokens(container: etree._Element) -> list[Token]:
    """Texts and links of a trail, in order, ending at the first block after the trail started."""
    tokens: list[Token] = []
    walker = etree.iterwalk(container, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if tag in INVISIBLE_TAGS:
                walker.skip_subtree()
                continue
            if (element is not container and tag in BLOCK_TAGS and tag not in _TRAIL_TAGS and tokens
                    and not (tag in _TABLE_TAGS and _continues_trail(element))):
                if any(link is not None or LOCATION_LABEL.search(text) for text, link in tokens):
                    break
            if tag == "a":
                tokens.append((link_name(element), element))
                walker.skip_subtree()
            elif element.text:
                tokens.append((element.text, None))
        elif element is not container and element.tail:
            tokens.append((element.tail, None))
    return tokens


def _segments(tokens: list[Token]) -> list[Token]:
    """The trail's segments: each link, and the texts between separators."""
    segments: list[Token] = []
    for text, link in tokens:
        if link is not None:
            if text:
                segments.append((text, link))
            continue
        for part in _TRAIL_SEPARATORS.split(text):
            name = normalise_space(part).strip(_SEGMENT_STRIP)
            if name:
                segments.append((name, None))
    return segments


def _labelled_trail(document: Document) -> list[Token]:
    """Segments after the first location label that has any: in the label's block, else the next one."""
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if not LOCATION_LABEL.search(block.text):
            continue
        tokens = _trail_tokens(_trail_block(block.owner))
        for position, (text, link) in enumerate(tokens):
            label = LOCATION_LABEL.search(text) if link is None else None
            if not label:
                continue
            segments = _segments([(text[label.end():], None), *tokens[position + 1:]])
            if not segments and index + 1 < len(blocks):
                following = _trail_block(blocks[index + 1].owner)
                if following.find(".//a") is not None:
                    segments = _segments(_trail_tokens(following))
            if segments:
                return segments
            break
    return []


def _crumb_trail(document: Document) -> list[Token]:
    """Without a label: the trail of the first breadcrumb-like block that starts at 首页."""
    body = document.root.find("body")
    for element in (body if body is not None else document.root).iter():
        if not isinstance(element.tag, str) or element.tag in INVISIBLE_TAGS:
            continue
        if CRUMB_HINT.search(f"{element.get('id', '')} {element.get('class', '')}"):
            segments = _segments(_trail_tokens(element))
            if segments and segments[0][0] in _HOME_SEGMENTS:
                return segments
    return []


def trail_of(document: Document) -> list[Token]:
    """(segment, link or None) of the page's breadcrumb, in order; [] without one."""
    if trail_of not in document.memo:
        document.memo[trail_of] = _labelled_trail(document) or _crumb_trail(document)
    return document.memo[trail_of]


def _repeats_title(name: str, title: str | None) -> bool:
    """Whether name is the article's (long) title, or its start cut with an ellipsis."""
    if not title or len(title) <= _MAX_SHORT_NAME_CHARS:
        return False
    cut = name.rstrip(_ELLIPSIS)
    return name == title or (cut != name and len(cut) > _MAX_SHORT_NAME_CHARS and title.startswith(cut))


def _names_site(name: str, site_name: str) -> bool:
    if site_name and (name == site_name or (len(site_name) >= _SITE_NAME_MIN_CHARS and site_name in name)):
        return True
    return bool(_SITE_NAME_LIKE.search(name))


def meta_column(document: Document, title: str | None) -> str | None:
    """meta ColumnName, unless it repeats the title or names the site."""
    column = normalise_space(document.meta.get("columnname", ""))
    site_name = normalise_space(document.meta.get("sitename", ""))
    if not column or _repeats_title(column, title) or _names_site(column, site_name):
        return None
    return column


def names_a_column(name: str, title: str | None) -> bool:
    """Whether a trail segment names a column: not 首页, 正文, the article title, or too long to be one."""
    return (name not in _NOT_A_SEGMENT and name not in _HOME_SEGMENTS and len(name) <= _MAX_COLUMN_CHARS
            and not _repeats_title(name, title))


def extract_column(document: Document, title: str | None = None) -> str | None:
    """Return the page's column: meta ColumnName when it names one, else the last breadcrumb segment that does.

    title is the page's title (extract_title's, computed when not given).
    """
    if title is None:
        title = extract_title(document)
    column = meta_column(document, title)
    if column:
        return column
    names = [name for name, _ in trail_of(document) if names_a_column(name, title)]
    return names[-1] if names else None
