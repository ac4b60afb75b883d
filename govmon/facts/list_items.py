"""The items (信息) of a column's list page: title, URL and date of each entry of its main list.

The main list is the largest group of sibling entries (li, tr, div, dt, p, or bare links
in one container) that each hold one article link, preferring groups whose entries carry
dates. Lists in navigation, headers, footers, pagers and sidebars ("热点信息",
"相关链接", "友情链接") are never taken. A date written without its year ("11-02") gets
the latest year that does not put it after as_of.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

from govmon.facts.dates import valid_date
from govmon.facts.document import BLOCK_TAGS, INVISIBLE_TAGS, Document, normalise_space


@dataclass(frozen=True, slots=True)
class Item:
    """One entry of a list page.

    title: whitespace-normalised link text, or the link's title attribute when the text is
    truncated with …/... ; url: absolute, fragment removed; date: ISO YYYY-MM-DD or None;
    date_text: the text the date came from, as shown ("[2026-11-02]", "11-02"). date_text
    without date means a year-less date that could not be given a year.
    """

    title: str
    url: str
    date: str | None
    date_text: str | None


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in text and the text it came from; date is None for a year-less date without reference."""

    date: datetime.date | None
    text: str


@dataclass(frozen=True, slots=True)
class ListEntry:
    """An item with the visible text of its whole entry (status words, labels, other cells)."""

    item: Item
    text: str


# ----- URLs

_SKIPPED_SCHEMES = ("javascript:", "vbscript:", "mailto:", "tel:", "data:", "about:")
_URL_NOISE = re.compile(r"[\t\n\r]")
_URL_TRIM = "".join(chr(code) for code in range(0x21)) + "\u3000\u00a0"


@functools.lru_cache(maxsize=64)
def _origin(base: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"


@functools.lru_cache(maxsize=4096)
def resolve_href(href: str | None, base: str) -> str | None:
    """The absolute http(s) URL of an href, fragment removed; None for javascript:, mailto:, bare fragments.

    Absolute and root-relative hrefs, most of a page's links, skip urljoin, which dominates the cost; the
    lists, related links and messages of one page resolve the same hrefs again, and find them cached.
    """
    if not href:
        return None
    value = _URL_NOISE.sub("", href).strip(_URL_TRIM)
    if not value or value[0] == "#" or value[:11].lower().startswith(_SKIPPED_SCHEMES):
        return None
    if value[:8].lower().startswith(("http://", "https://")) and "[" not in value and "]" not in value:
        absolute = value
    elif value[0] == "/" and value[:2] != "//" and "/." not in value:
        absolute = _origin(base) + value
    else:
        try:
            absolute = urljoin(base, value)
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return None
        except ValueError:
            return None
    absolute = absolute.partition("#")[0]
    host_start = absolute.index("//") + 2
    if host_start == len(absolute) or absolute[host_start] in "/?":
        return None
    return absolute


def document_base(document: Document) -> str:
    """The URL relative links resolve against: <base href> when present, else the page URL."""
    key = (document_base, None)
    if key not in document.memo:  # every extractor asks, and finding <base> searches the whole tree
        element = document.root.find(".//base[@href]")
        resolved = resolve_href(element.get("href"), document.url) if element is not None else None
        document.memo[key] = resolved or document.url
    return document.memo[key]  # type: ignore[return-value]


def class_words(element: etree._Element) -> list[str]:
    """Lowercase words of an element's id and class ("side_list hotNews" → side, list, hotnews)."""
    return re.split(r"[^a-z0-9]+", f"{element.get('id', '')} {element.get('class', '')}".lower())


# ----- visible text

def visible_text_of(element: etree._Element, lines: bool = False) -> str:
    """The element's visible text (scripts and styles skipped), normalised.

    With lines=True, block-level boundaries become newlines and each line is normalised.
    """
    parts: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        tag = node.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if tag in INVISIBLE_TAGS:
                walker.skip_subtree()
                continue
            if lines and tag in BLOCK_TAGS:
                parts.append("\n")
            if node.text:
                parts.append(node.text)
        else:
            if lines and tag in BLOCK_TAGS:
                parts.append("\n")
            if node is not element and node.tail:
                parts.append(node.tail)
    text = "".join(parts)
    if not lines:
        return normalise_space(text)
    return "\n".join(line for line in (normalise_space(raw) for raw in text.split("\n")) if line)


# ----- dates

_OPENERS = "[【（(〔"
_CLOSERS = "]】）)〕"
# \d also matches full-width digits, and int() reads them.
_FULL_DATE = re.compile(
    r"(?P<open>[\[【（(〔]\s*)?"
    r"(?:(?<!\d)(?P<cy>\d{4})\s*年\s*(?P<cm>\d{1,2})\s*月\s*(?P<cd>\d{1,2})\s*日"
    r"|(?<!\d)(?P<y>\d{4})(?P<sep>[-/.－／．])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d))"
    r"(?P<time>\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
    r"(?P<close>\s*[\]】）)〕])?"
)
# A year-less date is only believed when it is all the text there is (after a label).
_SHORT_DATE_PATTERN = (
    r"^[\[【（(〔]?\s*(?P<m>\d{1,2})\s*(?:[-/.－／．]|月)\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?\s*[\]】）)〕]?"
)
_SHORT_DATE = re.compile(_SHORT_DATE_PATTERN + "$")
_LEADING_SHORT_DATE = re.compile(_SHORT_DATE_PATTERN + r"(?=\s|$)")
_LEADING_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,6}\s*[:：]\s*")
_PUBLISHED_LABEL = re.compile(r"发布|公开|更新|上传|发表")
_OTHER_DATE_LABEL = re.compile(r"成文|印发|截止|有效|生效|施行|废止|开始|结束")
_LABEL_WINDOW = 10
_LEAP_YEARS_BACK = 8


def _full_date_of(match: re.Match[str]) -> tuple[datetime.date, str] | None:
    if match["cy"]:
        found = valid_date(int(match["cy"]), int(match["cm"]), int(match["cd"]))
    else:
        found = valid_date(int(match["y"]), int(match["m"]), int(match["d"]))
    if found is None:
        return None
    start, end = match.start(), match.end()
    if match["open"] and not match["close"]:
        start = match.start("open") + len(match["open"])
    if match["close"] and not match["open"]:
        end = match.end("close") - len(match["close"])
    if match["open"] and match["close"] and _OPENERS.index(match["open"][0]) != _CLOSERS.index(match["close"][-1]):
        start, end = match.start() + len(match["open"]), match.end() - len(match["close"])
    return found, match.string[start:end].strip()


def full_dates(text: str) -> list[tuple[datetime.date, str, int]]:
    """Every valid full date in text as (date, text as shown, start offset)."""
    found = []
    for match in _FULL_DATE.finditer(text):
        parsed = _full_date_of(match)
        if parsed:
            found.append((parsed[0], parsed[1], match.start()))
    return found


def latest_full_date(text: str) -> datetime.date | None:
    """The latest full date in text: the reference year for year-less dates when no as_of is given."""
    return max((found for found, _, _ in full_dates(text)), default=None)


def year_for(month: int, day: int, reference: datetime.date | None) -> datetime.date | None:
    """The latest date with this month and day that is not after reference; None without reference."""
    if reference is None:
        return None
    for year in range(reference.year, reference.year - _LEAP_YEARS_BACK, -1):
        found = valid_date(year, month, day)
        if found and found <= reference:
            return found
    return None


def short_date(text: str, reference: datetime.date | None, leading: bool = False) -> FoundDate | None:
    """A year-less date ("11-02", "[11-02]", "11月2日") that is the whole text, after an optional label.

    With leading=True the date may be followed by other words ("09-05 已回复").
    """
    stripped = _LEADING_LABEL.sub("", text.strip())
    match = (_LEADING_SHORT_DATE if leading else _SHORT_DATE).match(stripped)
    if not match:
        return None
    month, day = int(match["m"]), int(match["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return FoundDate(year_for(month, day, reference), match.group(0).strip())


def find_date(text: str, reference: datetime.date | None, leading: bool = False) -> FoundDate | None:
    """The first full date in text, else a year-less date that is the whole text (or its start, when leading)."""
    dates = full_dates(text)
    if dates:
        return FoundDate(dates[0][0], dates[0][1])
    return short_date(text, reference, leading)


def _preferred_date(text: str) -> FoundDate | None:
    """The date a list shows as published: one labelled 发布/公开 first, else the first not labelled 成文/截止."""
    dates = full_dates(text)
    if not dates:
        return None

    def label(start: int) -> str:
        return text[max(0, start - _LABEL_WINDOW):start]

    for pattern, wanted in ((_PUBLISHED_LABEL, True), (_OTHER_DATE_LABEL, False)):
        for found, shown, start in dates:
            if bool(pattern.search(label(start))) == wanted:
                return FoundDate(found, shown)
    return FoundDate(dates[0][0], dates[0][1])


def reference_date(document: Document, as_of: datetime.date | None) -> datetime.date | None:
    """as_of, else the latest full date shown on the page."""
    if as_of is not None:
        return as_of
    if reference_date not in document.memo:
        document.memo[reference_date] = latest_full_date(document.visible_text)
    return document.memo[reference_date]


# ----- list groups

_TITLE_MIN_CHARS = 5
_TRUNCATED = ("…", "...", "．．．", "。。。", "⋯")
_BULLETS = "·•●○◆◇■□▪►▶"
_COLUMN_PAGE = re.compile(r"^(?:index|default|home|main)(?:[_-]\d+)?\.[a-z]+$", re.IGNORECASE)
_ID_PARAMS = frozenset(
    ["id", "aid", "articleid", "contentid", "newsid", "infoid", "docid", "itemid", "artid", "article_id", "content_id", "info_id", "doc_id"]
)
_MORE_LINK = re.compile(r"^(?:[>»]+\s*)?(?:更多|查看更多|more|点击查看|查看详情)", re.IGNORECASE)
# Regions whose lists are never the page's main list.
_EXCLUDED_TAGS = frozenset(("nav", "header", "footer"))
_EXCLUDED_WORDS = frozenset(
    ["nav", "navbar", "menu", "daohang", "header", "footer", "foot", "bottom", "copyright", "banquan", "crumb", "crumbs", "breadcrumb", "friend", "friendlink", "yqlj", "hot", "hotnews", "redian", "rank", "ranking", "paihang", "tuijian", "recommend", "related", "xiangguan", "xgwz", "xgxx", "xglj", "pager", "pagination", "fenye"]
)
_EXCLUDED_PREFIXES = ("nav", "menu", "foot", "crumb", "bread", "friend", "hot", "rank", "recommend", "related")
_EXCLUDED_SUFFIXES = ("nav", "menu", "footer")
# Sidebars hold the main list only on odd layouts: taken when nothing else is.
_SIDE_WORDS = ("side", "aside")
# 热点回应 and 热点解读 are real columns, so 热点 alone is not enough.
_SIDEBAR_HEADING = re.compile(
    r"热点(?:信息|新闻|文章|排行|推荐|聚焦)|今日热点|热门|排行|相关(?:链接|信息|文章|阅读|新闻|推荐)|友情链接|推荐|猜你喜欢"
)
_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "dt", "strong", "b", "span", "p", "em", "label"))
_TITLE_WORDS = ("tit", "hd", "head", "bt", "biaoti", "name")
_HEADING_MAX_CHARS = 20
_HEADING_LEVELS = 3
_EMPTY_LIST = re.compile(
    r"暂无(?:相关)?(?:信息|数据|内容|记录|文章|新闻|公告|资料|结果)"
    r"|没有(?:找到|查询到|检索到)?(?:相关|符合条件的|任何)?(?:信息|数据|内容|记录|文章|结果)"
    r"|(?:无|未找到)相关(?:信息|数据|内容|记录)|(?:正在|栏目)建设中|信息正在更新"
)
_EMPTY_BLOCK_MAX_CHARS = 40


def _link_text(link: etree._Element) -> str:
    text = visible_text_of(link).lstrip(_BULLETS + " ")
    if not text or text.endswith(_TRUNCATED):
        attribute = normalise_space(link.get("title") or "")
        if not attribute:
            image = link.find(".//img")
            attribute = normalise_space(image.get("alt") or image.get("title") or "") if image is not None else ""
        if attribute:
            return attribute
    return text


@functools.lru_cache(maxsize=4096)  # every page repeats the navigation's URLs
def _is_article_url(url: str) -> bool:
    """An article rather than a column: a file that is not index.html, or a query naming an id."""
    parts = urlsplit(url)
    name = parts.path.rpartition("/")[2]
    if name and not _COLUMN_PAGE.match(name):
        return True
    return any(key.lower() in _ID_PARAMS for key, _ in parse_qsl(parts.query))


def _excluded_word(words: list[str]) -> bool:
    return any(
        word in _EXCLUDED_WORDS or word.startswith(_EXCLUDED_PREFIXES) or word.endswith(_EXCLUDED_SUFFIXES)
        for word in words
        if word
    )


def _region(parent: etree._Element) -> int:
    """2 for a normal region, 1 for a sidebar, 0 for navigation, footer, pager or a 热点/相关 block."""
    side = False
    for node in (parent, *parent.iterancestors()):
        if node.tag in _EXCLUDED_TAGS:
            return 0
        words = class_words(node)
        if _excluded_word(words):
            return 0
        side = side or node.tag == "aside" or any(word.startswith(_SIDE_WORDS) for word in words)
    node = parent
    for _ in range(_HEADING_LEVELS):
        if node is None or node.tag in ("body", "html"):
            break
        heading = node.getprevious()
        while heading is not None and not isinstance(heading.tag, str):
            heading = heading.getprevious()
        if heading is not None and (
            heading.tag in _HEADING_TAGS or any(word.startswith(_TITLE_WORDS) for word in class_words(heading) if word)
        ):
            text = visible_text_of(heading)
            if len(text) <= _HEADING_MAX_CHARS and _SIDEBAR_HEADING.search(text):
                return 0
        node = node.getparent()
    return 1 if side else 2


@dataclass(slots=True)
class _Entry:
    """An entry's extent: its element, or for bare links in one container, a run of siblings and texts."""

    parts: list[str | etree._Element]
    link: etree._Element
    url: str
    follower: etree._Element | None  # a next sibling that may hold the date (dt → dd)


@dataclass(slots=True)
class _Group:
    entries: list[ListEntry]
    region: int
    dated: int
    parent: etree._Element
    tag: str


class _Lists:
    """Every group of sibling entries holding one article link each, found in one pass."""

    def __init__(self, document: Document, reference: datetime.date | None) -> None:
        self.reference = reference
        base = document_base(document)
        self.link_urls: dict[etree._Element, str] = {}
        self.link_texts: dict[etree._Element, str] = {}  # of the links in link_urls: each entry reads them again
        owner: dict[etree._Element, str | None] = {}
        body = document.root.find("body")
        scope = body if body is not None else document.root
        for link in scope.iter("a"):
            url = resolve_href(link.get("href"), base)
            if url is None or not _is_article_url(url):
                continue
            text = _link_text(link)
            if len(text) < _TITLE_MIN_CHARS or _MORE_LINK.match(text):
                continue
            self.link_urls[link] = url
            self.link_texts[link] = text
            node: etree._Element | None = link
            while node is not None and node is not scope:
                seen = owner.get(node, "")
                if seen is None:
                    break
                owner[node] = url if seen in ("", url) else None
                node = node.getparent()
        self.owner = owner
        self.groups = self._groups()

    def _groups(self) -> list[_Group]:
        keys: dict[tuple[etree._Element, str], None] = {}
        for element, url in self.owner.items():
            parent = element.getparent()
            # Inside an entry (a link within its <li>) the entry's own group holds the same link and more.
            if url is not None and parent is not None and not self.owner.get(parent):
                keys[(parent, element.tag)] = None
        groups = []
        for parent, tag in keys:
            region = _region(parent)
            entries = self._bare_links(parent) if tag == "a" else self._elements(parent, tag)
            listed = self._list_entries(entries, tag == "tr" and self._headers(parent))
            dated = sum(entry.item.date_text is not None for entry in listed)
            groups.append(_Group(listed, region, dated, parent, tag))
        return groups

    def _title_link(self, element: etree._Element, url: str) -> etree._Element:
        links = [link for link in element.iter("a") if self.link_urls.get(link) == url]
        return max(links, key=lambda link: len(self.link_texts[link]))

    def _elements(self, parent: etree._Element, tag: str) -> list[_Entry]:
        entries = []
        for child in parent:
            url = self.owner.get(child) if child.tag == tag else None
            if not url:
                continue
            follower = child.getnext()
            if follower is not None and (not isinstance(follower.tag, str) or follower in self.owner):
                follower = None
            entries.append(_Entry([child], self._title_link(child, url), url, follower))
        return entries

    def _bare_links(self, parent: etree._Element) -> list[_Entry]:
        """Links directly in one container, each with the text and elements up to the next link."""
        sequence: list[str | etree._Element] = [parent.text or ""]
        starts: list[int] = []
        for child in parent:
            if isinstance(child.tag, str):
                if child.tag == "a" and self.owner.get(child):
                    starts.append(len(sequence))
                sequence.append(child)
            sequence.append(child.tail or "")
        if not starts:
            return []
        before = sequence[: starts[0]]
        after_last = sequence[starts[-1] + 1:]
        dates_before = bool(full_dates(" ".join(self._texts(before))))
        dates_after_last = bool(full_dates(" ".join(self._texts(after_last))))
        bounds = [*starts, len(sequence)]
        entries = []
        for index, start in enumerate(starts):
            if dates_before and not dates_after_last:  # the date comes before each title
                parts = sequence[(bounds[index - 1] + 1 if index else 0): start + 1]
            else:
                parts = sequence[start: bounds[index + 1]]
            link = sequence[start]
            entries.append(_Entry(parts, link, self.owner[link], None))
        return entries

    @staticmethod
    def _texts(parts: list[str | etree._Element]) -> list[str]:
        return [part if isinstance(part, str) else visible_text_of(part) for part in parts]

    @staticmethod
    def _headers(parent: etree._Element) -> list[str]:
        """Column headers of a table: the first row that has th cells, or no link, before the entries."""
        table = parent.getparent() if parent.tag == "tbody" and parent.getparent() is not None else parent
        for row in table.iter("tr"):
            cells = [cell for cell in row if cell.tag in ("td", "th")]
            if row.find(".//a") is None or any(cell.tag == "th" for cell in cells):
                return [visible_text_of(cell) for cell in cells]
            return []
        return []

    def _pieces(self, entry: _Entry, headers: list[str]) -> list[tuple[str, bool]]:
        """Text pieces of an entry, each marked True when it lies inside the title link."""
        pieces: list[tuple[str, bool]] = []
        for part in entry.parts:
            if isinstance(part, str):
                pieces.append((part, False))
                continue
            inside = False
            cell = 0
            walker = etree.iterwalk(part, events=("start", "end"))
            for event, node in walker:
                tag = node.tag
                if not isinstance(tag, str):
                    continue
                if event == "start":
                    if tag in INVISIBLE_TAGS:
                        walker.skip_subtree()
                        continue
                    if node is entry.link:
                        inside = True
                    if headers and tag in ("td", "th") and node.getparent() is part:
                        if cell < len(headers) and headers[cell]:
                            pieces.append((f" {headers[cell]}：", False))
                        cell += 1
                    if node.text:
                        pieces.append((node.text, inside))
                else:
                    if node is entry.link:
                        inside = False
                    if tag in BLOCK_TAGS:
                        pieces.append((" ", False))
                    if node is not part and node.tail:
                        pieces.append((node.tail, inside))
        return pieces

    def _entry_date(self, pieces: list[tuple[str, bool]], date_only: list[str], entry: _Entry) -> FoundDate | None:
        """A date outside the title link first, then a year-less one, then one inside the link, then the follower's."""
        found = _preferred_date(" ".join(text for text, inside in pieces if not inside))
        if found is None:
            shorts = (short_date(text, self.reference) for text, inside in pieces if not inside and text.strip())
            found = next((short for short in shorts if short), None)
        if found is None and date_only:
            found = find_date(date_only[0], self.reference)
        if found is None and entry.follower is not None:
            text = visible_text_of(entry.follower)
            found = _preferred_date(text) or short_date(text, self.reference)
        return found

    def _list_entries(self, entries: list[_Entry], headers: list[str] | bool) -> list[ListEntry]:
        listed = []
        for entry in entries:
            pieces = self._pieces(entry, headers or [])
            # <a><span>标题</span><span>2026-11-02</span></a>: the date is not part of the title.
            date_only = [text for text, inside in pieces if inside and _is_date_only(text)]
            found = self._entry_date(pieces, date_only, entry)
            title = self.link_texts[entry.link]
            if date_only:
                text = normalise_space("".join(text for text, inside in pieces if inside and text not in date_only))
                text = text.lstrip(_BULLETS + " ")
                if text and not text.endswith(_TRUNCATED):
                    title = text
            item = Item(
                title=title,
                url=entry.url,
                date=found.date.isoformat() if found and found.date else None,
                date_text=found.text if found else None,
            )
            listed.append(ListEntry(item, normalise_space(" ".join(text for text, _ in pieces))))
        return listed

    def best(self) -> _Group | None:
        """The main list: outside excluded regions, dated before undated, then the largest."""
        candidates = [group for group in self.groups if group.region and group.entries]
        if not candidates:
            return None
        return max(candidates, key=lambda g: (g.region, g.dated * 2 >= len(g.entries) > 0, len(g.entries), g.dated))

    def main_entries(self) -> list[ListEntry]:
        best = self.best()
        if best is None:
            return []
        entries: list[ListEntry] = []
        container = best.parent.getparent()
        shape = (best.parent.tag, best.parent.get("class"))
        shaped = [best.parent] if container is None else [
            sibling for sibling in container if sibling is best.parent or (sibling.tag, sibling.get("class")) == shape
        ]
        by_parent = {(group.parent, group.tag): group for group in self.groups if group.region}
        for parent in shaped:
            group = by_parent.get((parent, best.tag))
            if group is not None:
                entries.extend(group.entries)
        return _unique(entries)


def _is_date_only(text: str) -> bool:
    stripped = text.strip()
    dates = full_dates(stripped)
    if dates:
        return len(dates) == 1 and len(dates[0][1]) >= len(stripped) - 2
    return _SHORT_DATE.match(_LEADING_LABEL.sub("", stripped)) is not None


def _unique(entries: list[ListEntry]) -> list[ListEntry]:
    seen: set[str] = set()
    unique = []
    for entry in entries:
        if entry.item.url not in seen:
            seen.add(entry.item.url)
            unique.append(entry)
    return unique


def _lists_of(document: Document, reference: datetime.date | None) -> _Lists:
    """The page's list groups, found once per document and reference date."""
    key = (_Lists, reference)
    if key not in document.memo:
        document.memo[key] = _Lists(document, reference)
    return document.memo[key]


def list_entries(document: Document, as_of: datetime.date | None = None) -> list[ListEntry]:
    """The entries of the page's main list, in document order, each URL once."""
    return _lists_of(document, reference_date(document, as_of)).main_entries()


def item_lists(document: Document, as_of: datetime.date | None = None) -> list[list[Item]]:
    """Every list on the page outside navigation, footer, pager, sidebars and 热点/相关 blocks, largest first.

    Each URL appears in one list only (the largest that holds it), so the homepage's blocks
    (要闻, 通知公告, 政策文件 …) come out as separate lists. A lone undated link is no list.
    """
    lists = _lists_of(document, reference_date(document, as_of))
    ordered = sorted(
        (group for group in lists.groups if group.region == 2 and (group.dated or len(group.entries) > 1)),
        key=lambda g: (g.dated * 2 >= len(g.entries), len(g.entries), g.dated),
        reverse=True,
    )
    taken: set[str] = set()
    result = []
    for group in ordered:
        items = [entry.item for entry in _unique(group.entries) if entry.item.url not in taken]
        if items:
            taken.update(item.url for item in items)
            result.append(items)
    return result


def extract_items(html: str, url: str, as_of: datetime.date | None = None) -> list[Item]:
    """Return the items of a list page's main list in document order, each URL once ([] for an empty list).

    Raises ExtractError when the document cannot be parsed.
    """
    document = Document(html, url)
    return [entry.item for entry in list_entries(document, as_of)]


def says_empty(document: Document, as_of: datetime.date | None = None) -> bool:
    """The page shows a short "暂无信息"-style block outside navigation and footer, and has no main list."""
    for block in document.blocks:
        if len(block.text) <= _EMPTY_BLOCK_MAX_CHARS and _EMPTY_LIST.search(block.text) and _region(block.owner):
            return not list_entries(document, as_of)
    return False


def is_empty_list(html: str) -> bool:
    """Whether the page explicitly says its list is empty ("暂无信息", "没有找到相关信息") and lists nothing.

    An empty <ul> without such words is not explicit: the list may be filled by script.
    """
    return says_empty(Document(html, "http://localhost/"))
