"""The column (栏目) a page belongs to: meta ColumnName, else the last breadcrumb segment."""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract.document import BLOCK_TAGS, INVISIBLE_TAGS, Document, normalise_space

_LOCATION_LABEL = re.compile(r"(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|所在位置)\s*[:：]?")
_SEPARATORS = re.compile(r">>|>|＞|»|›|→|/|／")
_SEGMENT_STRIP = " :：\u3000\xa0"
_NOT_A_COLUMN = frozenset(
    "首页 网站首页 主页 返回首页 正文 正文内容 内容 详情 详情页 详细内容 详细信息 信息详情 文章详情".split()
)
_MAX_COLUMN_CHARS = 40
_CLIMB_LEVELS = 3
# Breadcrumbs are often one <li> per segment; any other block boundary ends the trail.
_TRAIL_TAGS = frozenset(("li", "ul", "ol"))


def _trail_after_label(node: etree._Element) -> list[str]:
    """Segments after the location label inside node, up to the block that ends the trail."""
    segments: list[str] = []
    seen_label = False

    def take(text: str | None) -> None:
        nonlocal seen_label
        if not text:
            return
        if not seen_label:
            match = _LOCATION_LABEL.search(text)
            if not match:
                return
            seen_label = True
            text = text[match.end():]
        for part in _SEPARATORS.split(text):
            segment = normalise_space(part).strip(_SEGMENT_STRIP)
            if segment:
                segments.append(segment)

    walker = etree.iterwalk(node, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if event == "start" and tag in INVISIBLE_TAGS:
            walker.skip_subtree()
            continue
        if tag in BLOCK_TAGS and tag not in _TRAIL_TAGS and segments:
            break
        if event == "start":
            take(element.text)
        elif element is not node:
            take(element.tail)
    return segments


def extract_column(document: Document) -> str | None:
    """Return meta ColumnName, else the last breadcrumb segment that names a column."""
    column = normalise_space(document.meta.get("columnname", ""))
    if column:
        return column
    for block in document.blocks:
        if not _LOCATION_LABEL.search(block.text):
            continue
        node: etree._Element | None = block.owner
        for _ in range(_CLIMB_LEVELS):
            if node is None:
                break
            segments = _trail_after_label(node)
            if segments:
                names = [
                    segment
                    for segment in segments
                    if segment not in _NOT_A_COLUMN and len(segment) <= _MAX_COLUMN_CHARS
                ]
                if names:
                    return names[-1]
                break
            node = node.getparent()
    return None
