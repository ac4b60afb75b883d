"""The column (栏目) a page belongs to: meta ColumnName, else the last breadcrumb segment."""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract.document import BLOCK_TAGS, INVISIBLE_TAGS, Document, normalise_space

# Shared with navigation.breadcrumb_of, so the page's column and its breadcrumb always agree.
LOCATION_LABEL = re.compile(r"(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|所在位置)\s*[:：]?")
TRAIL_SEPARATORS = re.compile(r">>|-{1,2}>|>|＞|»|›|→|/|／|\|")
# Trail segments that name the page itself, not a column.
NOT_A_SEGMENT = frozenset(
    "正文 正文内容 内容 详情 详情页 详细内容 详细信息 信息详情 文章详情 留言详情 阅读正文 当前页".split()
)
_HOME_SEGMENT = frozenset("首页 网站首页 主页 返回首页".split())
_SEGMENT_STRIP = " :：\u3000\xa0"
_MAX_COLUMN_CHARS = 40
# Breadcrumbs are often one <li> per segment; any other block boundary ends the trail.
TRAIL_TAGS = frozenset(("li", "ul", "ol"))


def trail_block(element: etree._Element) -> etree._Element:
    """The block that holds element; a list of <li> trail items counts as one block."""
    node = element
    while node.tag not in BLOCK_TAGS and node.getparent() is not None:
        node = node.getparent()
    while node.tag == "li" and node.getparent() is not None:
        node = node.getparent()
    return node


def _trail(container: etree._Element, label_seen: bool) -> list[str]:
    """Segments after the location label inside container, up to the block that ends the trail."""
    segments: list[str] = []

    def take(text: str | None) -> None:
        nonlocal label_seen
        if not text:
            return
        if not label_seen:
            match = LOCATION_LABEL.search(text)
            if not match:
                return
            label_seen = True
            text = text[match.end():]
        for part in TRAIL_SEPARATORS.split(text):
            segment = normalise_space(part).strip(_SEGMENT_STRIP)
            if segment:
                segments.append(segment)

    walker = etree.iterwalk(container, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if event == "start" and tag in INVISIBLE_TAGS:
            walker.skip_subtree()
            continue
        if tag in BLOCK_TAGS and tag not in TRAIL_TAGS and segments:
            break
        if event == "start":
            take(element.text)
        elif element is not container:
            take(element.tail)
    return segments


def _column_of(segments: list[str]) -> str | None:
    names = [segment for segment in segments
             if segment not in NOT_A_SEGMENT and segment not in _HOME_SEGMENT and len(segment) <= _MAX_COLUMN_CHARS]
    return names[-1] if names else None


def extract_column(document: Document) -> str | None:
    """Return meta ColumnName, else the last breadcrumb segment that names a column.

    The trail follows the location label ("当前位置：") in the label's own block; when
    that block holds nothing else, the next block is the trail if it contains links.
    """
    column = normalise_space(document.meta.get("columnname", ""))
    if column:
        return column
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if not LOCATION_LABEL.search(block.text):
            continue
        segments = _trail(trail_block(block.owner), label_seen=False)
        if not segments and index + 1 < len(blocks):
            following = trail_block(blocks[index + 1].owner)
            if following.find(".//a") is not None:
                segments = _trail(following, label_seen=True)
        if segments:
            return _column_of(segments)
    return None
