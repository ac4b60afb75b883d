"""A site's columns (栏目) as its pages show them: navigation bar, site map (网站地图) and breadcrumb.

Links to the homepage, the site map, accessibility and English versions, logins, other
sites and javascript: are never columns. A name shown without a link (a breadcrumb
segment, meta ColumnName) has url "".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from lxml import etree

from govmon.facts.column import CRUMB_HINT, link_name, meta_column, names_a_column, trail_of
from govmon.facts.document import INVISIBLE_TAGS, Document, normalise_space
from govmon.facts.list_items import class_words, document_base, item_lists, resolve_href, visible_text_of
from govmon.facts.title import extract_title

ColumnSource = Literal["nav", "sitemap", "breadcrumb", "meta"]


@dataclass(frozen=True, slots=True)
class ColumnLink:
    """One column: name (whitespace-normalised), absolute url ("" when shown without a link),
    parent column name for second-level entries (drop-downs, site-map groups, earlier
    breadcrumb segments), and where it was found."""

    name: str
    url: str
    parent: str | None
    source: ColumnSource


_NOT_A_COLUMN = re.compile(
    r"^(?:网站首页|首页|主页|返回首页|回到首页|home|index)$"
    r"|网站地图|站点地图|sitemap|无障碍|长者|关怀版|english|英文版?$|^en$"
    r"|登录|登陆|注册|login|log in|sign in|register",
    re.IGNORECASE,
)
_NAV_HINT = re.compile(r"nav|menu|daohang|lanmu", re.IGNORECASE)
_NAV_MIN_LINKS = 3
_NAV_WIDE = 5
_NAV_NAME_MAX_CHARS = 12
_FALLBACK_MIN_ENTRIES = 5
_MAX_NAME_CHARS = 40
_SITEMAP_HINT = re.compile(r"map|wzdt", re.IGNORECASE)
_CHROME_TAGS = frozenset(("nav", "header", "footer"))
_CHROME_WORDS = frozenset(
    ["nav", "navbar", "menu", "header", "top", "topbar", "foot", "footer", "bottom", "copyright", "banquan", "crumb", "crumbs", "breadcrumb", "position", "location"]
)
_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "strong", "b"))
_WEAK_HEADING_TAGS = frozenset(("a", "span", "em", "font", "p", "div", "td", "label"))
_GROUP_TAGS = frozenset(("ul", "ol", "dl", "dd", "div", "table", "tbody", "tr", "td", "p", "section"))
_HEADING_WORDS = ("title", "tit", "hd", "head", "bt", "biaoti")
_HEADING_MAX_CHARS = 20
_GATEWAY_MIN_LINKS = 3


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def same_site(url: str, page_url: str) -> bool:
    """Whether url is on the page's site: the same host, or a subdomain of it without "www." (zwfw.x.gov.cn)."""
    host, page_host = _host(url), _host(page_url)
    site = page_host.removeprefix("www.")
    return host in (page_host, site) or host.endswith("." + site)


class _Columns:
    """Collects ColumnLinks from one page, skipping non-columns and duplicates."""

    def __init__(self, document: Document, source: ColumnSource) -> None:
        self.document = document
        self.base = document_base(document)
        self.source = source
        self.found: list[ColumnLink] = []
        self.seen: set[tuple[str, str, str | None]] = set()

    def url_of(self, link: etree._Element | None) -> str | None:
        """The column URL of a link, or None when the link is no column (javascript:, another site)."""
        if link is None:
            return None
        url = resolve_href(link.get("href"), self.base)
        if url is None or not same_site(url, self.document.url):
            return None
        return url

    def add(self, name: str, url: str | None, parent: str | None) -> None:
        if url is None or not name or len(name) > _MAX_NAME_CHARS or _NOT_A_COLUMN.search(name):
            return
        key = (name, url, parent)
        if key not in self.seen:
            self.seen.add(key)
            self.found.append(ColumnLink(name, url, parent, self.source))


# ----- navigation bar

def _holds_link(element: etree._Element) -> bool:
    return element.tag == "a" or element.find(".//a") is not None


def _top_lists(container: etree._Element) -> list[etree._Element]:
    """The outermost elements inside container with at least three link-bearing children."""
    found: list[etree._Element] = []
    queue = [container]
    while queue:
        element = queue.pop(0)
        children = [child for child in element if isinstance(child.tag, str)]
        if sum(_holds_link(child) for child in children) >= _NAV_MIN_LINKS:
            found.append(element)
            continue
        queue.extend(children)
    if not found:
        return [container]
    order = {element: index for index, element in enumerate(container.iter())}
    return sorted(found, key=order.__getitem__)


def _entries(container: etree._Element) -> list[etree._Element]:
    return [
        child for top in _top_lists(container) for child in top if isinstance(child.tag, str) and _holds_link(child)
    ]


def _text_before(entry: etree._Element, first: etree._Element) -> str:
    """Visible text of entry before its first link: the name of a drop-down header without a link."""
    parts = []
    walker = etree.iterwalk(entry, events=("start", "end"))
    for event, element in walker:
        if not isinstance(element.tag, str):
            continue
        if event == "start":
            if element is first:
                break
            if element.tag in INVISIBLE_TAGS:
                walker.skip_subtree()
                continue
            if element.text:
                parts.append(element.text)
        elif element is not entry and element.tail:
            parts.append(element.tail)
    return normalise_space("".join(parts))


def _entry_head(entry: etree._Element) -> tuple[str, etree._Element | None, list[etree._Element]]:
    """(name, its link or None, child links) of one top-level navigation entry."""
    if entry.tag == "a":
        return link_name(entry), entry, []
    links = list(entry.iter("a"))
    lead = _text_before(entry, links[0])
    if lead:
        return lead, None, links
    return link_name(links[0]), links[0], links[1:]


def _nav_links(entries: list[etree._Element], columns: _Columns) -> int:
    """Add the entries' columns; return how many top-level names were usable."""
    usable = 0
    for entry in entries:
        name, link, children = _entry_head(entry)
        url = columns.url_of(link)
        if url is not None and name and not _NOT_A_COLUMN.search(name):
            usable += 1
        columns.add(name, url, None)
        for child in children:
            columns.add(link_name(child), columns.url_of(child), name or None)
    return usable


def _nav_candidates(document: Document) -> list[etree._Element]:
    """<nav> and elements whose id/class says nav/menu/daohang/lanmu, in document order; not breadcrumbs or footers."""
    found: list[etree._Element] = []
    body = document.root.find("body")
    for element in (body if body is not None else document.root).iterdescendants():
        if not isinstance(element.tag, str) or element.tag in INVISIBLE_TAGS:
            continue
        hint = f"{element.get('id', '')} {element.get('class', '')}"
        if (element.tag == "nav" or _NAV_HINT.search(hint)) and not CRUMB_HINT.search(hint):
            if not _in_chrome(element, ("footer", "foot", "bottom", "copyright")):
                found.append(element)
    return found


def _in_chrome(element: etree._Element, words: tuple[str, ...]) -> bool:
    for node in (element, *element.iterancestors()):
        if node.tag in words or set(words).intersection(class_words(node)):
            return True
    return False


def _short_named(links: list[etree._Element]) -> bool:
    """Mostly short names: a bar of columns, not a block of article titles."""
    names = [link_name(link) for link in links]
    short = sum(len(name) <= _NAV_NAME_MAX_CHARS for name in names)
    return len(names) >= _NAV_MIN_LINKS and short * 3 >= len(names) * 2


def columns_in_nav(document: Document) -> list[ColumnLink]:
    """The main navigation bar: the first nav-like container with five usable entries, else the widest."""
    best: tuple[int, list[ColumnLink]] = (0, [])
    taken: list[etree._Element] = []
    for container in _nav_candidates(document):
        if any(ancestor in taken for ancestor in container.iterancestors()):
            continue  # the inner list of a bar already read
        if not _short_named(list(container.iter("a"))):
            continue
        taken.append(container)
        columns = _Columns(document, "nav")
        usable = _nav_links(_entries(container), columns)
        if usable >= _NAV_WIDE:
            return columns.found
        if usable > best[0]:
            best = (usable, columns.found)
    if best[0] >= _NAV_MIN_LINKS:
        return best[1]
    return _first_wide_list(document) or best[1]


def _first_wide_list(document: Document) -> list[ColumnLink]:
    """Without a marked navigation bar: the first element near the top with five short links as children."""
    body = document.root.find("body")
    for element in (body if body is not None else document.root).iter():
        if not isinstance(element.tag, str) or element.tag in INVISIBLE_TAGS:
            continue
        entries = [child for child in element if isinstance(child.tag, str) and _holds_link(child)]
        if len(entries) < _FALLBACK_MIN_ENTRIES or not _short_named([a for e in entries for a in e.iter("a")]):
            continue
        columns = _Columns(document, "nav")
        if _nav_links(entries, columns) >= _FALLBACK_MIN_ENTRIES:
            return columns.found
    return []


def nav_columns(html: str, url: str) -> list[ColumnLink]:
    """Return the columns of the main navigation bar and its drop-downs (parent = the top entry's name).

    The bar is <nav> or an element whose id/class contains nav/menu/daohang/lanmu, else
    the first wide list of short links near the top. Raises ExtractError when the
    document cannot be parsed.
    """
    return columns_in_nav(Document(html, url))


# ----- site map

def _heading_strength(sibling: etree._Element, group: etree._Element) -> int:
    """How surely sibling, before group, titles it: 2 for h2/h3/dt/strong or a title class, 1 for a lone short label."""
    if not isinstance(sibling.tag, str):
        return 0
    if sibling.tag in _HEADING_TAGS or any(word.startswith(_HEADING_WORDS) for word in class_words(sibling) if word):
        return 2
    if group.tag not in _GROUP_TAGS or sibling.tag not in _WEAK_HEADING_TAGS:
        return 0
    links = len(sibling.findall(".//a")) + (sibling.tag == "a")
    if links > 1 or len(visible_text_of(sibling)) > _HEADING_MAX_CHARS:
        return 0
    if sibling.tag == group.tag:  # peers, except a table's first cell beside a cell of links
        return int(sibling.tag == "td" and sibling.getprevious() is None and len(group.findall(".//a")) > 1)
    return 1


def _heading_of(link: etree._Element, root: etree._Element,
                known: dict[etree._Element, etree._Element | None]) -> etree._Element | None:
    """The nearest heading before the link's group, a real heading (h3, dt) before a short label (p, span).

    ``known`` holds the headings of links already seen: a link's search that reaches a link beside it ends
    with that link's heading, so a row of n links costs n steps, not n²/2."""
    node = link
    while node is not None and node is not root:
        label = None
        sibling = node.getprevious()
        while sibling is not None:
            if node.tag == "a":  # links side by side: only a real heading among them (<strong>互动交流</strong>)
                if sibling.tag == "a" and sibling in known:
                    return known[sibling]
                if sibling.tag != "a" and _heading_strength(sibling, node) == 2:
                    return sibling
                if sibling.tag != "a" and _holds_link(sibling):
                    break
            else:
                strength = _heading_strength(sibling, node)
                if strength == 2:
                    return sibling
                if strength == 1:
                    label = label if label is not None else sibling
                elif _holds_link(sibling):
                    break  # another group of links: its heading is not ours
            sibling = sibling.getprevious()
        if label is not None:
            return label
        node = node.getparent()
    return None


def _sitemap_root(document: Document) -> tuple[etree._Element, bool]:
    """The site map's container (id/class with map/wzdt), else the body with page chrome to skip."""
    body = document.root.find("body")
    body = body if body is not None else document.root
    for element in body.iter():
        if isinstance(element.tag, str) and _SITEMAP_HINT.search(f"{element.get('id', '')} {element.get('class', '')}"):
            if len(element.findall(".//a")) >= _NAV_MIN_LINKS:
                return element, False
    return body, True


def _is_chrome(link: etree._Element, root: etree._Element) -> bool:
    for node in link.iterancestors():
        if node is root:
            return False
        if node.tag in _CHROME_TAGS or _CHROME_WORDS.intersection(class_words(node)):
            return True
    return False


def columns_in_sitemap(document: Document) -> list[ColumnLink]:
    """Headings as first-level columns, the links under each as its children."""
    root, skip_chrome = _sitemap_root(document)
    columns = _Columns(document, "sitemap")
    known: dict[etree._Element, etree._Element | None] = {}
    for link in root.iter("a"):
        if skip_chrome and _is_chrome(link, root):
            continue
        heading = known[link] = _heading_of(link, root, known)
        parent = None
        if heading is not None:
            parent = visible_text_of(heading) or None
            if parent and _NOT_A_COLUMN.search(parent):
                parent = None
            heading_link = heading if heading.tag == "a" else heading.find(".//a")
            if parent and heading_link is not None:
                columns.add(parent, columns.url_of(heading_link), None)
        columns.add(link_name(link), columns.url_of(link), parent)
    return columns.found


def sitemap_columns(html: str, url: str) -> list[ColumnLink]:
    """Return the columns of a 网站地图 page: headings (h2/h3/dt/strong) with parent None, their links as children.

    A site map that is one flat list gives every column with parent None. Raises
    ExtractError when the document cannot be parsed.
    """
    return columns_in_sitemap(Document(html, url))


# ----- breadcrumb

def breadcrumb_of(document: Document) -> list[ColumnLink]:
    """The breadcrumb's columns, each with the previous one as parent; else meta ColumnName (when it names one)."""
    columns = _Columns(document, "breadcrumb")
    parent = None
    title = extract_title(document)
    for name, link in trail_of(document):
        if not names_a_column(name, title) or _NOT_A_COLUMN.search(name):
            continue
        url = columns.url_of(link) if link is not None else ""
        if url is None:
            continue
        columns.add(name, url, parent)
        parent = name
    if columns.found:
        return columns.found
    meta = meta_column(document, title)
    return [ColumnLink(meta, "", None, "meta")] if meta else []


def breadcrumb(html: str, url: str) -> list[ColumnLink]:
    """Return the trail "当前位置：首页 > 政务公开 > 通知公告" as columns (首页, 正文, 详情 and the article's
    own title skipped); a label-less trail counts in a breadcrumb-like block when it starts at 首页.

    Linked segments carry their URL, text segments url "". Without a trail, the page's
    meta ColumnName comes back with source "meta", unless it repeats the title or names the
    site. Raises ExtractError when the document cannot be parsed.
    """
    return breadcrumb_of(Document(html, url))


# ----- gateway homepages

def navigation_only(document: Document, as_of: datetime.date | None = None) -> bool:
    """A page of links (to sub-sites and columns) without any dated item outside navigation and footer."""
    if len(document.root.findall(".//a[@href]")) < _GATEWAY_MIN_LINKS:
        return False
    return not any(item.date_text for items in item_lists(document, as_of) for item in items)


def is_navigation_only(html: str, url: str) -> bool:
    """Return whether a homepage only navigates (a portal gateway): HOME-1 then judges its second-level pages.

    Raises ExtractError when the document cannot be parsed.
    """
    return navigation_only(Document(html, url))
