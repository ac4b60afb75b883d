"""Everything extracted from one page, from a single parse."""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict
from typing import Any

from crawler.extract.accounts import accounts_of
from crawler.extract.column import extract_column
from crawler.extract.dates import extract_published
from crawler.extract.document import Document
from crawler.extract.fingerprint import fingerprint_of
from crawler.extract.identity import extract_identity, extract_site_meta
from crawler.extract.items import item_lists, list_entries, says_empty
from crawler.extract.links import Link, links_of
from crawler.extract.messages import messages_of
from crawler.extract.meta import standard_meta
from crawler.extract.navigation import breadcrumb_of, columns_in_nav, columns_in_sitemap, navigation_only
from crawler.extract.pagination import pages_of
from crawler.extract.policy import approved_of, disclosure_of, interpreted_name, publicity_of, related_of
from crawler.extract.scripts import writes_content
from crawler.extract.title import extract_title

_SITEMAP_PAGE = re.compile(r"网站地图|站点地图|sitemap|wzdt|site_?map", re.IGNORECASE)
_MEDIA_PAGE = re.compile(r"新媒体|政务微博|政务微信|微博微信")  # the page that lists the site's accounts


def _columns(columns: list) -> list[dict[str, Any]]:
    return [{"name": c.name, "url": c.url, "parent": c.parent} for c in columns]


def facts_of(document: Document, as_of: datetime.date | None = None, navigation: bool = True) -> dict[str, Any]:
    """Return the JSON-serialisable facts of a parsed page (keys documented on extract_facts)."""
    published, published_source = extract_published(document)
    title = extract_title(document)
    lists = item_lists(document, as_of)
    listed = [item.date for items in lists for item in items if item.date]
    is_sitemap = bool(_SITEMAP_PAGE.search(f"{title or ''} {document.url}"))
    disclosure = disclosure_of(document)
    return {
        "title": title,
        "published": published,
        "published_source": published_source,
        "column": extract_column(document),
        **extract_site_meta(document),
        **extract_identity(document),
        "meta": standard_meta(document),
        "script_written": writes_content(document),
        "fingerprint": fingerprint_of(document),
        "items": [asdict(entry.item) for entry in list_entries(document, as_of)],
        "latest_listed": max(listed) if listed else None,
        "empty_list": says_empty(document, as_of),
        "pagination": pages_of(document),
        "nav": _columns(columns_in_nav(document)) if navigation else [],
        "sitemap": _columns(columns_in_sitemap(document)) if is_sitemap else [],
        "breadcrumb": [{"name": c.name, "url": c.url} for c in breadcrumb_of(document)],
        "navigation_only": navigation_only(document, as_of),
        "messages": [asdict(message) for message in messages_of(document, as_of)],
        "media_accounts": [asdict(a) for a in accounts_of(document)] if _MEDIA_PAGE.search(title or "") else [],
        "disclosure": asdict(disclosure) if disclosure else None,
        "publicity": publicity_of(document),
        "approved": approved_of(document),
        "related": asdict(related_of(document, as_of)),
        "interprets": interpreted_name(title) if title else None,
    }


def extract_facts(html: str, url: str, as_of: datetime.date | None = None, navigation: bool = True) -> dict[str, Any]:
    """Return the facts of a page; ``as_of`` gives year-less list dates ("11-02") their year, and
    ``navigation=False`` skips reading the navigation bar (every page but the homepage repeats it).

    Keys: title, published (YYYY-MM-DD), published_source, column, site_name,
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
    政务新媒体 page lists). Raises ExtractError when the document cannot be parsed.
    """
    return facts_of(Document(html, url), as_of, navigation)


def extract_page(
    html: str, url: str, attachment_extensions: frozenset[str], as_of: datetime.date | None = None,
    navigation: bool = True,
) -> tuple[dict[str, Any], list[Link]]:
    """Parse once and return (facts, links); raises ExtractError when the document cannot be parsed."""
    document = Document(html, url)
    return facts_of(document, as_of, navigation), links_of(document, attachment_extensions)
