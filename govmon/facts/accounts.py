"""The new-media accounts a site's 政务新媒体 page (新媒体矩阵, 政务微博微信) lists.

Shapes: a table with a platform and a name column (平台 / 账号名称 / 主办单位 …); entries that
label the name ("微信公众号：滇中发布", "【微博】@滇中发布"); lists under a platform heading
(<h3>微信公众号</h3><ul><li>滇中发布</li>); cards of a QR image whose alt or caption names the
account beside a platform label. Navigation, header, footer and breadcrumb content never counts:
a menu link named 政务微博 is a column, not an account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from govmon.facts.document import BLOCK_TAGS, Document, normalise_space
from govmon.facts.list_items import _region, document_base, resolve_href, visible_text_of


@dataclass(frozen=True, slots=True)
class ListedAccount:
    """platform: 微信公众号 | 微博 | 抖音 | 今日头条 | 快手 | 客户端 | other; url: a link on the entry, if any."""

    platform: str
    name: str
    url: str | None


# The first pattern found names the platform; 视频号 is WeChat's video platform, not a 公众号.
_PLATFORMS = (
    ("other", re.compile(r"视频号")),
    ("微信公众号", re.compile(r"微信|公众号")),
    ("微博", re.compile(r"微博")),
    ("抖音", re.compile(r"抖音")),
    ("今日头条", re.compile(r"头条")),
    ("快手", re.compile(r"快手")),
    ("客户端", re.compile(r"客户端|(?<![A-Za-z])(?:APP|App|app)(?![A-Za-z])")),
)
_LABEL = (
    r"(?:官方|政务|新浪)?(?:微信公众号|微信公众平台|微信号|微信|公众号|微博|抖音号|抖音|今日头条|头条号|头条"
    r"|快手号|快手|客户端|APP|App)"
)
_LABELLED = re.compile(
    rf"(?:【\s*(?P<bracket>{_LABEL})\s*】|(?P<colon>{_LABEL})\s*[:：])\s*"
    rf"(?P<name>(?:(?!{_LABEL}\s*[:：]|【)[^\s:：【】\[\]|｜,，;；、/<>]){{1,30}})"
)
# A platform label alone: a heading, a card's label ("政务微博", "微信公众号（3）").
_HEADING = re.compile(rf"^{_LABEL}(?:账号|矩阵|平台)?\s*(?:[（(]\d+[)）])?\s*[:：]?$")
_HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6", "dt", "strong", "b", "em", "p", "span", "div", "label", "th", "caption", "figcaption"])
_ENTRY_TAGS = frozenset(["li", "dd", "p", "a", "span", "img", "figure", "td"])
_PLATFORM_HEADER = re.compile(r"^(?:所在|所属|账号|帐号|新媒体|媒体)?(?:平台|类型|渠道|类别)(?:名称|类型)?$")
_NAME_HEADER = re.compile(r"^(?:账号|帐号|公众号|新媒体|媒体)?(?:名称|名字|账号|帐号|昵称)$")
_NOT_NAME = re.compile(r"二维码|扫码关注|扫一扫|扫描关注|^(?:更多|查看更多|关注我们)$")
_NOTE = re.compile(r"\s*[（(][^（()）]*[)）]\s*$")  # "滇中发布（市政府新闻办）"
_FIELD = re.compile(r"[:：]")
_NAME_TRIM = " @＠:：【】[]()（）「」『』《》<>\"'“”‘’·•、，,;；。.!！?？-—_|｜>»"
_NAME_MAX_CHARS = 30
_CARD_LEVELS = 3
_CARD_MAX_CHARS = 60


def platform_of(label: str) -> str | None:
    """The normalised platform a label names (官方微博 → 微博, APP → 客户端), None when it names none."""
    return next((platform for platform, pattern in _PLATFORMS if pattern.search(label)), None)


def _name(text: str | None) -> str | None:
    """An account name without "@", punctuation and QR words; None for a platform label, a labelled
    field ("主办单位：…") or a long text."""
    name = _NOTE.sub("", _NOT_NAME.sub("", normalise_space(text or ""))).strip(_NAME_TRIM)
    if not name or len(name) > _NAME_MAX_CHARS or _HEADING.match(name) or _FIELD.search(name):
        return None
    return name


def _alt(element: etree._Element) -> str | None:
    image = element if element.tag == "img" else element.find(".//img")
    return image.get("alt") if image is not None else None


class _Reader:
    """Reads one page's accounts; each element yields at most one, so shapes never count an entry twice."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.base = document_base(document)
        self.claimed: set[etree._Element] = set()
        self.found: list[tuple[etree._Element, ListedAccount]] = []

    def add(self, element: etree._Element, platform: str | None, name: str | None) -> None:
        if platform and name:
            self.claimed.add(element)
            self.found.append((element, ListedAccount(platform, name, self.link(element, name))))

    def link(self, element: etree._Element, name: str) -> str | None:
        """The entry's link that shows the name, else its only link."""
        links = [a for a in element.iter("a") if a.get("href")]
        showing = [a for a in links if element.tag == "a" or name in visible_text_of(a)]
        chosen = showing or (links if len(links) == 1 else [])
        return resolve_href(chosen[0].get("href"), self.base) if chosen else None

    def open(self, element: etree._Element, whole: bool = False) -> bool:
        """Outside navigation and footer, and not read by another shape (with whole, nothing inside either)."""
        if any(node in self.claimed for node in element.iterancestors()) or _region(element) == 0:
            return False
        return not any(node in self.claimed for node in (element.iter() if whole else (element,)))

    # --- tables

    def tables(self) -> None:
        for table in self.document.root.iter("table"):
            rows = [[cell for cell in row if cell.tag in ("td", "th")] for row in table.iter("tr")]
            if not rows or not self.open(table):
                continue
            header = [visible_text_of(cell).strip(":： ") for cell in rows[0]]
            platform_column = next((n for n, text in enumerate(header) if _PLATFORM_HEADER.match(text)), None)
            name_column = next((n for n, text in enumerate(header) if _NAME_HEADER.match(text)), None)
            if platform_column is None or name_column is None:
                continue
            for cells in _spanned(rows[1:]):
                if max(platform_column, name_column) < len(cells):
                    cell = cells[name_column]
                    name = _name(visible_text_of(cell)) or _name(_alt(cell))
                    self.add(cell, platform_of(visible_text_of(cells[platform_column])) or "other", name)
            self.claimed.add(table)

    # --- "微信公众号：滇中发布", "【微博】@滇中发布"

    def labelled(self) -> None:
        for block in self.document.blocks:
            entry = block.owner
            while entry.tag not in BLOCK_TAGS and entry.getparent() is not None:
                entry = entry.getparent()
            if not self.open(entry):
                continue
            for match in _LABELLED.finditer(block.text):
                self.add(entry, platform_of(match["bracket"] or match["colon"]), _name(match["name"]))

    # --- lists under a platform heading

    def headed(self) -> None:
        headings = [
            element for element in self.document.root.iter(*_HEADING_TAGS)
            # With an image it is a card (<div><img alt="滇中发布"><p>微信公众号</p></div>), not a heading.
            if _HEADING.match(visible_text_of(element)) and element.find(".//img") is None and self.open(element)
        ]
        marked = set(headings)
        for heading in headings:
            platform = platform_of(visible_text_of(heading))
            node = heading  # <div class="tit"><h3>微博</h3></div><ul>…: the list follows the heading's box
            while node.getparent() is not None and len(node.getparent()) == 1:
                node = node.getparent()
            for sibling in node.itersiblings():
                if any(element in marked for element in sibling.iter()):
                    break
                for entry in _entries(sibling):
                    if self.open(entry, whole=True):
                        self.add(entry, platform, _name(visible_text_of(entry)) or _name(_alt(entry)))

    # --- a QR image beside its platform label

    def cards(self) -> None:
        for image in self.document.root.iter("img"):
            alt = _NOT_NAME.sub("", image.get("alt") or "").strip()  # "微信二维码" is a label
            card = image.getparent()
            for _ in range(_CARD_LEVELS):
                if card is None or len(card.findall(".//img")) > 1:
                    break
                texts = [alt, *visible_text_of(card, lines=True).split("\n")]
                labels = [text for text in texts if _HEADING.match(text)]
                if labels and len("".join(texts)) <= _CARD_MAX_CHARS:
                    if self.open(card, whole=True):
                        self.add(card, platform_of(labels[0]), next((name for name in map(_name, texts) if name), None))
                    break
                card = card.getparent()

    def accounts(self) -> list[ListedAccount]:
        self.tables()
        self.labelled()
        self.headed()
        self.cards()
        order = {element: index for index, element in enumerate(self.document.root.iter())}
        seen: set[tuple[str, str]] = set()
        accounts = []
        for _, account in sorted(self.found, key=lambda found: order[found[0]]):
            if (account.platform, account.name) not in seen:
                seen.add((account.platform, account.name))
                accounts.append(account)
        return accounts


def _spanned(rows: list[list[etree._Element]]) -> list[list[etree._Element]]:
    """Rows with each rowspan cell repeated in the rows it spans (a 平台 cell over its accounts)."""
    pending: dict[int, tuple[etree._Element, int]] = {}  # column → (cell, rows still spanned)
    spanned = []
    for row in rows:
        cells: list[etree._Element] = []
        queue = list(row)
        while queue or len(cells) in pending:
            column = len(cells)
            if column in pending:
                cell, left = pending.pop(column)
            else:
                cell = queue.pop(0)
                span = cell.get("rowspan", "1").strip()
                left = int(span) if span.isdigit() else 1
            if left > 1:
                pending[column] = (cell, left - 1)
            cells.append(cell)
        spanned.append(cells)
    return spanned


def _entries(element: etree._Element) -> list[etree._Element]:
    """The entries in what follows a heading: list items, paragraphs, links, images, however nested."""
    if element.tag in _ENTRY_TAGS:
        return [element]
    return [entry for child in element if isinstance(child.tag, str) for entry in _entries(child)]


def accounts_of(document: Document) -> list[ListedAccount]:
    """The accounts a parsed page lists, in page order, each platform and name once."""
    return _Reader(document).accounts()


def listed_accounts(html: str, url: str) -> list[ListedAccount]:
    """Return the accounts a site's 政务新媒体 page lists; raises ExtractError when the page cannot be parsed."""
    return accounts_of(Document(html, url))
