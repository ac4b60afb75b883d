"""Timeliness facts of policy, interpretation and budget pages.

The 信息公开 metadata (索引号, 发布机构, 文号, 成文日期, 发布日期, 公开属性) in any of its
layouts: label and value cells of a table, "label：value" items, or runs of pairs in one
line. The 公开属性 note of the body ("（此件公开发布）"). The date a budget or final
account was approved by the people's congress. And the links between a policy and its
interpretations: links under a label (相关解读, 政策解读 … / 相关文件, 政策原文 …), or body
links named like an interpretation ("图解", "答记者问") or the original ("原文"). Links in
navigation, header, footer, breadcrumb and hot or recommended blocks are never taken.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from lxml import etree

from govmon.facts.column import extract_column
from govmon.facts.document import INVISIBLE_TAGS, Document, normalise_space
from govmon.facts.list_items import (
    _EXCLUDED_TAGS,
    _MORE_LINK,
    _TITLE_WORDS,
    _excluded_word,
    _is_article_url,
    _link_text,
    _region,
    class_words,
    document_base,
    full_dates,
    item_lists,
    resolve_href,
)
from govmon.facts.title import extract_title


@dataclass(frozen=True, slots=True)
class Disclosure:
    """The 信息公开 metadata of a page, each None when not shown: made and published are ISO dates,
    label is the 公开属性 / 公开方式 as shown ("主动公开")."""

    index_no: str | None
    issuer: str | None
    doc_no: str | None
    made: str | None
    published: str | None
    label: str | None


@dataclass(frozen=True, slots=True)
class Related:
    """Absolute URLs (fragment removed, each once, in page order) of the interpretations of this page
    and of the policies it interprets."""

    interpretations: list[str]
    policies: list[str]


# ----- 信息公开 metadata

_DISCLOSURE_LABELS = {
    "index_no": ("索引号",),
    "issuer": ("发布机构", "发文机关", "发布单位"),
    "doc_no": ("发文字号", "文号"),
    "made": ("成文日期",),
    "published": ("发布日期", "公开日期", "发文日期"),
    "label": ("公开属性", "公开方式"),
}
_DATE_FIELDS = frozenset(("made", "published"))


def _spaced(word: str) -> str:
    """A label's pattern allowing the spaces that fill its column ("成 文 日 期")."""
    return r"\s*".join(word)


_DISCLOSURE_LABEL = re.compile(
    "(?:"
    + "|".join(f"(?P<{field}>{'|'.join(map(_spaced, words))})" for field, words in _DISCLOSURE_LABELS.items())
    + r")\s*(?P<colon>[:：])?"
)
# Any other label ends a value: "发布机构：某局 主题分类：综合政务".
_OTHER_LABEL = re.compile(r"(?:^|(?<=\s))[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,7}\s*[:：]")
_ABSENT = frozenset(("无", "暂无", "-", "—", "/", "／"))
_VALUE_MAX_CHARS = 60
_DISCLOSURE_MIN_FIELDS = 2


def _label_marks(line: str) -> list[re.Match[str]]:
    """Our labels in a line: followed by a colon, or alone on the line (a table cell)."""
    return [
        mark for mark in _DISCLOSURE_LABEL.finditer(line)
        if mark["colon"] or (mark.start() == 0 and mark.end() == len(line))
    ]


def _is_label(text: str) -> bool:
    return bool(_DISCLOSURE_LABEL.match(text) or _OTHER_LABEL.match(text))


def _field_value(field: str, value: str) -> str | None:
    """The value as the fact gives it, or None when it is empty, a label (an empty cell), or not of its kind."""
    if not value or value in _ABSENT or len(value) > _VALUE_MAX_CHARS or _is_label(value):
        return None
    if field in _DATE_FIELDS:
        dates = full_dates(value)
        return dates[0][0].isoformat() if dates else None
    if field == "index_no" and not any(character.isdigit() for character in value):
        return None  # a list's header row: 索引号 | 标题
    return value


def disclosure_of(document: Document) -> Disclosure | None:
    """The page's 信息公开 metadata, or None when fewer than two of its fields are shown.

    A value runs to the next label on its line; a label ending its line (a table cell)
    takes the next line. The first value of each field wins.
    """
    lines = document.visible_text.split("\n")
    found: dict[str, str] = {}
    for index, line in enumerate(lines):
        marks = _label_marks(line)
        if not marks:
            continue
        stops = sorted({mark.start() for mark in marks} | {label.start() for label in _OTHER_LABEL.finditer(line)})
        for mark in marks:
            field = next(name for name in _DISCLOSURE_LABELS if mark[name])
            if field in found:
                continue
            end = next((stop for stop in stops if stop >= mark.end()), len(line))
            value = line[mark.end():end].strip()
            if mark.end() == len(line) and index + 1 < len(lines) and not _is_label(lines[index + 1]):
                value = lines[index + 1].strip()
            checked = _field_value(field, value)
            if checked:
                found[field] = checked
    if len(found) < _DISCLOSURE_MIN_FIELDS:
        return None
    return Disclosure(**{field: found.get(field) for field in _DISCLOSURE_LABELS})


# ----- 公开属性 note and approval date

_PUBLICITY = re.compile(
    r"此\s*件\s*(?:公\s*开\s*发\s*布|删\s*减\s*后\s*公\s*开|依\s*申\s*请\s*公\s*开|不\s*公\s*开)"
)
# Only the people's congress approves a budget; "经国务院批准，自…起施行" is no approval date.
_CONGRESS = re.compile(r"人大|人民代表大会")
_SENTENCE_END = re.compile(r"[。！？；;!?]")


def publicity_of(document: Document) -> str | None:
    """The 公开属性 note of the body ("此件公开发布", "此件依申请公开" …) without brackets or spaces."""
    match = _PUBLICITY.search(document.visible_text)
    return "".join(match.group(0).split()) if match else None


def approved_of(document: Document) -> str | None:
    """The ISO date of the first sentence saying the people's congress approved (批准) something.

    The date nearest before the 批准 word, else the first after it in the same sentence:
    "经2026年1月12日市十六届人大四次会议审查批准", "（2026年1月12日…人民代表大会…批准）".
    """
    for block in document.blocks:
        if "批准" not in block.text:
            continue
        for sentence in _SENTENCE_END.split(block.text):
            approval = sentence.find("批准")  # 审查批准, 审议批准 end with it too
            if approval < 0 or not _CONGRESS.search(sentence):
                continue
            dates = full_dates(sentence)
            before = [found for found, _, start in dates if start < approval]
            if dates:
                return (before[-1] if before else dates[0][0]).isoformat()
    return None


# ----- links between a policy and its interpretations

_INTERPRETATIONS = "interpretations"
_POLICIES = "policies"
_OTHER = "other"  # another list's label (热点解读, 上一篇): its links are no related links
_NEUTRAL = "neutral"  # any other label (附件：): ends a labelled section

_LABEL = re.compile(
    r"^(?P<open>[【\[〔])?\s*(?:(?P<interpretations>相关解读|政策解读|图文解读|视频解读|解读)"
    r"|(?P<policies>相关文件|政策原文|原文链接|文件原文|相关政策|原文)"
    r"|(?P<other>[\u4e00-\u9fff]{2,10}))\s*[】\]〕]?\s*(?:(?P<colon>[:：])|$)"
)
# Bare words are labels only when marked as one (a colon, brackets, a heading): tabs say 原文 | 解读.
_BARE_LABELS = frozenset(("解读", "原文"))
# Labels that also name a column: the column's own pages and its blocks elsewhere (… 更多) list other pages.
_COLUMN_LABELS = frozenset(("政策解读", "图文解读", "视频解读", "解读"))
# Other lists' labels need no marking: 热点解读 in a plain <span> heads a sidebar all the same.
_OTHER_LIST = re.compile(r"解读|图解|读懂|上一|下一|热点|热门|推荐|排行|阅读")
_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "strong", "b"))
# A labelled section is the nearest container of the label that holds a link, a few levels up at most.
_SCOPE_LEVELS = 4
_INTERPRETATION_LINK = re.compile(r"解读|图解|一图读懂|答记者问|问答")
_POLICY_LINK = re.compile(r"[【\[]?(?:政策原文|文件原文|原文)[】\]]?")
_SIBLING_ARTICLE = re.compile(r"^(?:上一|下一)[篇条个]")
# 相关解读 blocks are "related" blocks, which items' region logic excludes; a label of ours admits them.
_RELATED_WORDS = ("related", "xiangguan", "xg")


def _heading_like(element: etree._Element) -> bool:
    for node in (element, element.getparent()):
        if node is not None and (
            node.tag in _HEADING_TAGS or any(word.startswith(_TITLE_WORDS) for word in class_words(node) if word)
        ):
            return True
    return False


def _label_kind(text: str, holder: etree._Element) -> tuple[str, str] | None:
    """(kind, label word) of a text piece that is a label (kinds above), or None."""
    match = _LABEL.match(text.strip())
    if match is None:
        return None
    marked = bool(match["colon"] or match["open"]) or _heading_like(holder)
    for kind in (_INTERPRETATIONS, _POLICIES):
        if match[kind]:
            return (kind, match[kind]) if marked or match[kind] not in _BARE_LABELS else None
    if _OTHER_LIST.search(match["other"]):
        return _OTHER, match["other"]
    return (_NEUTRAL, match["other"]) if marked else None


def _in_chrome(element: etree._Element) -> bool:
    """In navigation, header, footer, breadcrumb or a hot or recommended block."""
    for node in (element, *element.iterancestors()):
        if node.tag in _EXCLUDED_TAGS:
            return True
        if _excluded_word([word for word in class_words(node) if not word.startswith(_RELATED_WORDS)]):
            return True
    return False


def _holds_link(element: etree._Element) -> bool:
    return any(link.get("href") and not _MORE_LINK.match(_link_text(link)) for link in element.iter("a"))


def _scope(holder: etree._Element, top: etree._Element) -> etree._Element | None:
    """The section a label heads: the nearest container of holder that holds a link ("更多" aside)."""
    node: etree._Element | None = holder
    for _ in range(_SCOPE_LEVELS):
        if node is None or node is top:
            return None
        if _holds_link(node):
            return node
        node = node.getparent()
    return None


class _RelatedLinks:
    """Walks the page once, tracking the labelled sections the walk is in."""

    def __init__(self, document: Document, as_of: datetime.date | None) -> None:
        self.document = document
        self.as_of = as_of
        self.listed: set[str] | None = None
        self.names: set[str | None] | None = None
        self.base = document_base(document)
        self.own = resolve_href(document.url, document.url)
        self.found: dict[str, dict[str, None]] = {_INTERPRETATIONS: {}, _POLICIES: {}}
        self.sections: list[tuple[etree._Element, str]] = []
        body = document.root.find("body")
        self.top = body if body is not None else document.root

    def walk(self) -> Related:
        walker = etree.iterwalk(self.top, events=("start", "end"))
        for event, element in walker:
            if not isinstance(element.tag, str):
                continue
            if event == "start":
                if element.tag in INVISIBLE_TAGS or element.tag == "a":
                    walker.skip_subtree()
                    if element.tag == "a":
                        self.link(element)
                    continue
                text, holder = element.text, element
            else:
                while self.sections and self.sections[-1][0] is element:
                    self.sections.pop()
                if element is self.top:
                    continue
                text, holder = element.tail, element.getparent()
            if text and not text.isspace():
                self.label(text, holder)
        return Related(list(self.found[_INTERPRETATIONS]), list(self.found[_POLICIES]))

    def label(self, text: str, holder: etree._Element) -> None:
        labelled = _label_kind(text, holder)
        if labelled is None or (labelled[0] == _NEUTRAL and not self.sections):
            return
        kind, word = labelled
        if kind in (_INTERPRETATIONS, _POLICIES) and _in_chrome(holder):
            return
        scope = _scope(holder, self.top)
        if scope is None:
            return
        if word in _COLUMN_LABELS:
            if word in self.own_names():
                kind = _NEUTRAL  # the heading of the column's own pages
            elif any(_MORE_LINK.match(_link_text(link)) for link in scope.iter("a")):
                kind = _OTHER  # the column's block on a homepage or sidebar
        if self.sections and self.sections[-1][0] is scope:
            self.sections[-1] = (scope, kind)
        else:
            self.sections.append((scope, kind))

    def link(self, link: etree._Element) -> None:
        """Take a link under a label of ours, or one named like a related link elsewhere in the body.

        The name is looked at before the URL: most links of a page are neither.
        """
        section = self.sections[-1][1] if self.sections else _NEUTRAL
        if section == _OTHER:
            return
        text = _link_text(link)
        if not text or _MORE_LINK.match(text):
            return
        labelled = section in (_INTERPRETATIONS, _POLICIES)
        if labelled:
            kind = section
        elif _SIBLING_ARTICLE.match(text):
            return
        elif _INTERPRETATION_LINK.search(text):
            kind = _INTERPRETATIONS
        elif _POLICY_LINK.fullmatch(text):
            kind = _POLICIES
        else:
            return
        url = resolve_href(link.get("href"), self.base)
        if url is None or url == self.own or not _is_article_url(url):
            return
        if labelled:
            taken = not _in_chrome(link)
        else:
            taken = _region(link.getparent()) == 2 and url not in self.list_urls()
        if taken:
            self.found[kind][url] = None

    def own_names(self) -> set[str | None]:
        """The page's title and column."""
        if self.names is None:
            self.names = {extract_title(self.document), extract_column(self.document)}
        return self.names

    def list_urls(self) -> set[str]:
        """Entries of the page's dated lists: a column's items named 解读 are no links of this page's own."""
        if self.listed is None:
            self.listed = {
                item.url
                for items in item_lists(self.document, self.as_of)
                if any(item.date_text for item in items)
                for item in items
            }
        return self.listed


def related_of(document: Document, as_of: datetime.date | None = None) -> Related:
    """Links to the interpretations of this page and to the policies it interprets (see the module docstring).

    as_of is that of the page's lists (items.item_lists), so the lists are found once.
    """
    return _RelatedLinks(document, as_of).walk()


# ----- names

# A name in 《》 holds no 《 (a nested title is in 〈〉), so a run of unclosed 《 is scanned once, not once per 《.
_QUOTED_INTERPRETATION = re.compile(
    r"(?:图解|解读|一图(?:读懂|看懂))\s*(?:[:：]\s*)?《(?P<before>[^《》]+)》"
    r"|《(?P<after>[^《》]+)》\s*(?:的|相关|有关)?\s*(?:政策)?(?:解读|图解|答记者问|问答)"
)
_UNQUOTED_INTERPRETATION = re.compile(
    r"^(?:图解|一图(?:读懂|看懂))\s*[:：]?\s*(?P<before>.+)$|^(?:关于)?(?P<after>.+?)的?(?:政策)?解读$"
)
# Column titles (热点解读, 图文解读, 部门政策解读) leave a word too short to name a policy.
_UNQUOTED_NAME_MIN_CHARS = 4
_QUOTED = re.compile(r"《(?P<name>[^《》]+)》")
# What is 印发'd runs from the first verb to the title's ending: found as two searches, each a single scan (one
# pattern spanning both re-scans the rest of the title from every verb).
_ISSUING_VERB = re.compile(r"(?:印发|转发|颁布|公布)\s*")
_ISSUED_ENDING = re.compile(r"的(?:通知|决定|公告|通告|函|批复)$")
_ISSUER_PREFIX = re.compile(r"^.+?(?=关于)")


def interpreted_name(title: str) -> str | None:
    """The name of the policy an interpretation's title names, or None when the title is no interpretation.

    "《X》政策解读", "图解：《X》", "一图读懂《X》", "关于《X》的解读", "《X》答记者问", "X政策解读" → "X".
    """
    text = normalise_space(title)
    quoted = _QUOTED_INTERPRETATION.search(text)
    if quoted:
        return (quoted["before"] or quoted["after"]).strip() or None
    unquoted = _UNQUOTED_INTERPRETATION.match(text)
    if unquoted is None:
        return None
    name = (unquoted["before"] or unquoted["after"]).strip()
    return name if len(name) >= _UNQUOTED_NAME_MIN_CHARS else None


def policy_name(title: str) -> str | None:
    """The name a policy's title gives the policy, to match with interpreted_name.

    "《X》…" → "X"; "某市人民政府关于印发X的通知" → "X" (what is 印发/转发'd); otherwise the
    title without its issuer ("某市人民政府关于…的实施意见" → "关于…的实施意见").
    """
    text = normalise_space(title)
    quoted = _QUOTED.search(text)
    if quoted:
        return quoted["name"].strip() or None
    ending = _ISSUED_ENDING.search(text)
    verb = _ISSUING_VERB.search(text, 0, ending.start()) if ending else None
    if verb and verb.end() < ending.start():
        return text[verb.end():ending.start()].rstrip()
    return _ISSUER_PREFIX.sub("", text, count=1) or None
