"""Everything extracted from one page, from a single parse."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from govmon.facts.accounts import accounts_of
from govmon.facts.column import extract_column
from govmon.facts.dates import extract_published, meta_published
from govmon.facts.document import Document
from govmon.facts.fingerprint import fingerprint_of
from govmon.facts.hidden_links import hidden_links_of
from govmon.facts.identity import extract_identity, extract_site_meta
from govmon.facts.labels import field_labels_of
from govmon.facts.links import Link, links_of
from govmon.facts.list_items import item_lists, list_entries, says_empty
from govmon.facts.messages import messages_of
from govmon.facts.meta import meta_text, standard_meta
from govmon.facts.navigation import breadcrumb_of, columns_in_nav, columns_in_sitemap, navigation_only
from govmon.facts.pagination import pages_of
from govmon.facts.personal_data import mask_text, personal_data_of
from govmon.facts.policy import approved_of, disclosure_of, interpreted_name, publicity_of, related_of
from govmon.facts.scripts import writes_content
from govmon.facts.title import extract_title

TEXT_CHARS = 200_000  # the longest visible text a page keeps: a long 公示 or a policy's full text fits
_DIGIT_RUN = re.compile(r"[0-9０-９]{3}")  # no personal number without one: most texts need no masking
_SITEMAP_PAGE = re.compile(r"网站地图|站点地图|sitemap|wzdt|site_?map", re.IGNORECASE)
_MEDIA_PAGE = re.compile(r"新媒体|政务微博|政务微信|微博微信")  # the page that lists the site's accounts


def _columns(columns: list) -> list[dict[str, Any]]:
    return [{"name": c.name, "url": c.url, "parent": c.parent} for c in columns]


class _Guarded:
    """Runs each extractor on its own, so a page that breaks one keeps everything else that could be read;
    the failures are kept as the page's ``extract_errors`` (fact name → error)."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def __call__(self, name: str, extract: Callable[[], Any], default: Any = None) -> Any:
        try:
            return extract()
        except Exception as exc:
            self.errors[name] = f"{type(exc).__name__}: {exc}"[:300]
            return default


_IDENTITY_KEYS = ("site_code", "icp", "police_record", "sponsor", "contact")
_SITE_META_KEYS = ("site_name", "site_domain", "site_code_meta")


def facts_of(document: Document, as_of: datetime.date | None = None, navigation: bool = True,
             guarded: _Guarded | None = None) -> dict[str, Any]:
    """Return the JSON-serialisable facts of a parsed page (keys documented on extract_facts)."""
    read = guarded or _Guarded()
    title = read("title", lambda: extract_title(document))
    published, published_source = read("published", lambda: extract_published(document, title), (None, None))
    lists = read("latest_listed", lambda: item_lists(document, as_of), [])
    listed = [item.date for items in lists for item in items if item.date]
    is_sitemap = bool(_SITEMAP_PAGE.search(f"{title or ''} {document.url}"))
    disclosure = read("disclosure", lambda: disclosure_of(document))
    facts = {
        "title": title,
        "published": published,
        "published_source": published_source,
        "published_meta": read("published_meta", lambda: meta_published(document)),
        "column": read("column", lambda: extract_column(document, title)),
        **read("site_meta", lambda: extract_site_meta(document), dict.fromkeys(_SITE_META_KEYS)),
        **read("identity", lambda: extract_identity(document), dict.fromkeys(_IDENTITY_KEYS)),
        "meta": read("meta", lambda: standard_meta(document), {}),
        "script_written": read("script_written", lambda: writes_content(document), False),
        "fingerprint": read("fingerprint", lambda: fingerprint_of(document)),
        "items": read("items", lambda: [asdict(entry.item) for entry in list_entries(document, as_of)], []),
        "latest_listed": max(listed) if listed else None,
        "empty_list": read("empty_list", lambda: says_empty(document, as_of), False),
        "pagination": read("pagination", lambda: pages_of(document), []),
        "nav": read("nav", lambda: _columns(columns_in_nav(document)), []) if navigation else [],
        "sitemap": read("sitemap", lambda: _columns(columns_in_sitemap(document)), []) if is_sitemap else [],
        "breadcrumb": read("breadcrumb", lambda: [{"name": c.name, "url": c.url} for c in breadcrumb_of(document)],
                           []),
        "navigation_only": read("navigation_only", lambda: navigation_only(document, as_of), False),
        "messages": read("messages", lambda: [asdict(message) for message in messages_of(document, as_of)], []),
        "media_accounts": read("media_accounts", lambda: [asdict(a) for a in accounts_of(document)], [])
        if _MEDIA_PAGE.search(title or "") else [],
        "disclosure": asdict(disclosure) if disclosure else None,
        "publicity": read("publicity", lambda: publicity_of(document)),
        "approved": read("approved", lambda: approved_of(document)),
        "related": read("related", lambda: asdict(related_of(document, as_of)), {"interpretations": [], "policies": []}),
        "interprets": read("interprets", lambda: interpreted_name(title)) if title else None,
        "personal_data": read("personal_data", lambda: personal_data_of(document), []),
        "hidden_links": read("hidden_links", lambda: hidden_links_of(document), []),
        "meta_text": read("meta_text", lambda: meta_text(document), {"keywords": None, "description": None}),
        "field_labels": read("field_labels", lambda: field_labels_of(document), []),
    }
    if read.errors:
        facts["extract_errors"] = read.errors
    return facts


def extract_facts(html: str, url: str, as_of: datetime.date | None = None, navigation: bool = True) -> dict[str, Any]:
    """Return the facts of a page; ``as_of`` gives year-less list dates ("11-02") their year, and
    ``navigation=False`` skips reading the navigation bar (every page but the homepage repeats it).

    Keys: title, published (YYYY-MM-DD: the date shown by the title, else meta, else URL),
    published_source (header, meta:PubDate …, url), published_meta (the meta tags' date, even when the
    page shows another), column, site_name,
    site_domain, site_code_meta, site_code, icp, police_record, sponsor, contact (each
    a string or None), meta (standard meta tags present), script_written (bool),
    fingerprint (blocks, text_length, not_found); for columns: items (the main list:
    title, url, date, date_text), latest_listed (newest date in any list), empty_list
    (says 暂无信息), pagination (other pages of the list), nav and sitemap
    (column links: name, url, parent), breadcrumb (name, url), navigation_only; and
    messages (title, url, asked, answered, status, replied); for policies and budgets:
    disclosure (the 信息公开 metadata: index_no, issuer, doc_no, made, published, label;
    None without one), publicity (此件公开发布 …), approved (the date a people's congress
    approved it), related (interpretations and policies: URLs of the interpretations of
    this page and of the policies it interprets) and interprets (the name of the policy
    an interpretation's title names); media_accounts (platform, name, url of each account a
    政务新媒体 page lists); personal_data (the personal numbers published on the page, masked: kind, masked,
    where, label, section), hidden_links (links hidden from people: url, text, how, and
    hover_menu / responsive when a :hover or @media rule shows them again), meta_text (keywords and
    description), field_labels (the labels of the page's fields: 申请条件, 办理材料 …); extract_errors (only when an extractor failed on the page: the fact's
    name → the error; every other fact stands). Raises ExtractError when the document cannot be
    parsed at all.
    """
    return facts_of(Document(html, url), as_of, navigation)


@dataclass
class PageReading:
    """What the crawl keeps of a page: its facts, its links and its visible text with personal numbers masked."""

    facts: dict[str, Any]
    links: list[Link]
    text: str


def read_page(
    html: str, url: str, attachment_extensions: frozenset[str], as_of: datetime.date | None = None,
    navigation: bool = True,
) -> PageReading:
    """Parse once and read the page; raises ExtractError when the document cannot be parsed at all. An extractor
    that fails loses only its own facts (see ``extract_errors``), and the text only itself."""
    document = Document(html, url)
    guarded = _Guarded()
    links = [_masked_link(link) for link in guarded("links", lambda: links_of(document, attachment_extensions), [])]
    facts = _masked(facts_of(document, as_of, navigation, guarded))
    text = guarded("text", lambda: mask_text(document.visible_text[:TEXT_CHARS]), "")
    if guarded.errors:  # the text's failure too (facts_of kept the errors before it)
        facts["extract_errors"] = guarded.errors
    return PageReading(facts, links, text)


def _masked(value: Any) -> Any:
    """Facts with every personal number in their texts masked (a title, an item, a message may hold one): the store
    keeps none."""
    if isinstance(value, str):
        return mask_text(value) if _DIGIT_RUN.search(value) else value
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value


def _masked_link(link: Link) -> Link:
    return replace(link, text=mask_text(link.text)) if _DIGIT_RUN.search(link.text) else link


def extract_page(
    html: str, url: str, attachment_extensions: frozenset[str], as_of: datetime.date | None = None,
    navigation: bool = True,
) -> tuple[dict[str, Any], list[Link]]:
    """(facts, links) of ``read_page``."""
    reading = read_page(html, url, attachment_extensions, as_of, navigation)
    return reading.facts, reading.links
