"""The field labels a page shows (申请条件, 办理材料 …): what a 办事指南 is checked against (SVC-1).

A label is the text of a table header, a definition term, the first cell of a short two-column row, an
emphasised "名称：", a short heading, or the "名称：" a line of text opens with. Labels are normalised so
that "一、申请条件：", "（二）办理 材料" and "【办理时间】" read as 申请条件, 办理材料, 办理时间.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from govmon.facts.document import INVISIBLE_TAGS, Document

MAX_LABEL_CHARS = 20
MAX_LABELS = 80

_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_COLON_TAGS = frozenset(("strong", "b", "span", "label"))
_CELLS = ("td", "th")
_NUMERAL = "一二三四五六七八九十百"
# "一、" "1." "1、" "（一）" "(1)" "1)" "第一条" before a label, after NFKC (which turns ① into 1, （ into ().
_NUMBERING = re.compile(
    rf"^(?:\([{_NUMERAL}\d]+\)|[{_NUMERAL}\d]+[)、.．,，]|第[{_NUMERAL}\d]+[条项章节部分、])"
)
_BRACKETS = re.compile(r"^[【\[〔<《](.*)[】\]〕>》]$")
_COLON_END = re.compile(r"[:：]+$")
_LETTER = re.compile(r"[^\W\d_]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# "办理地点：……" at the start of a line: the label is what stands before the first colon.
_LINE_LABEL = re.compile(r"^([^:]{1,30}?)\s*:")


def normalise_label(text: str) -> str:
    """NFKC, no whitespace, no leading numbering or required-field star, no brackets or trailing colon."""
    label = "".join(unicodedata.normalize("NFKC", text).split())
    label = label.lstrip("*★")
    while (match := _NUMBERING.match(label)) and match.end() < len(label):
        label = label[match.end():]
    label = _COLON_END.sub("", label)
    if bracketed := _BRACKETS.match(label):
        label = bracketed.group(1)
    return _COLON_END.sub("", label.lstrip("*★"))


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def _is_first_cell(element: etree._Element) -> bool:
    """A row's first cell, in a row of two or more cells: the label column of a 办事指南 table."""
    row = element.getparent()
    if row is None or row.tag != "tr":
        return False
    cells = [child for child in row if child.tag in _CELLS]
    return len(cells) >= 2 and cells[0] is element


def _candidate(element: etree._Element) -> str | None:
    """The raw label text an element shows, or None when the element is not a label."""
    tag = element.tag
    if tag in ("th", "dt") or tag in _HEADINGS or (tag == "td" and _is_first_cell(element)):
        return _text(element)
    if tag in _COLON_TAGS:
        text = _text(element).strip()
        return text if text.endswith((":", "：")) else None
    return None


def _element_labels(document: Document) -> list[str]:
    start = document.root.find("body")
    walker = etree.iterwalk(document.root if start is None else start, events=("start",))
    found = []
    for _, element in walker:
        if element.tag.__class__ is not str:
            continue
        if element.tag in INVISIBLE_TAGS:
            walker.skip_subtree()
            continue
        raw = _candidate(element)
        if raw is not None:
            found.append(normalise_label(raw))
    return found


def _line_labels(document: Document) -> list[str]:
    found = []
    for block in document.blocks:
        match = _LINE_LABEL.match(unicodedata.normalize("NFKC", block.text))
        if match and _CJK.search(match.group(1)):
            found.append(normalise_label(match.group(1)))
    return found


def field_labels_of(document: Document) -> list[str]:
    """The page's field labels in document order (element labels, then line openings), each once, capped."""
    labels: list[str] = []
    seen: set[str] = set()
    for label in _element_labels(document) + _line_labels(document):
        if not label or len(label) > MAX_LABEL_CHARS or label in seen or not _LETTER.search(label):
            continue
        seen.add(label)
        labels.append(label)
        if len(labels) == MAX_LABELS:
            break
    return labels
