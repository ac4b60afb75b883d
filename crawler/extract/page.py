"""Everything extracted from one page, from a single parse."""

from __future__ import annotations

from typing import Any

from crawler.extract.column import extract_column
from crawler.extract.dates import extract_published
from crawler.extract.document import Document
from crawler.extract.fingerprint import fingerprint_of
from crawler.extract.identity import extract_identity, extract_site_meta
from crawler.extract.links import Link, links_of
from crawler.extract.meta import standard_meta
from crawler.extract.scripts import writes_content
from crawler.extract.title import extract_title


def facts_of(document: Document) -> dict[str, Any]:
    """Return the JSON-serialisable facts of a parsed page (keys documented on extract_facts)."""
    published, published_source = extract_published(document)
    return {
        "title": extract_title(document),
        "published": published,
        "published_source": published_source,
        "column": extract_column(document),
        **extract_site_meta(document),
        **extract_identity(document),
        "meta": standard_meta(document),
        "script_written": writes_content(document),
        "fingerprint": fingerprint_of(document),
    }


def extract_facts(html: str, url: str) -> dict[str, Any]:
    """Return the facts of a page.

    Keys: title, published (YYYY-MM-DD), published_source, column, site_name,
    site_domain, site_code_meta, site_code, icp, police_record, sponsor, contact (each
    a string or None), meta (standard meta tags present), script_written (bool) and
    fingerprint (blocks, text_length, not_found). Raises ExtractError when the
    document cannot be parsed.
    """
    return facts_of(Document(html, url))


def extract_page(
    html: str, url: str, attachment_extensions: frozenset[str]
) -> tuple[dict[str, Any], list[Link]]:
    """Parse once and return (facts, links); raises ExtractError when the document cannot be parsed."""
    document = Document(html, url)
    return facts_of(document), links_of(document, attachment_extensions)
