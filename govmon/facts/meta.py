"""The standard meta tags of government article pages (政府网站发展指引 / META-1)."""

from __future__ import annotations

from govmon.facts.document import Document

STANDARD_META_NAMES = (
    "SiteName",
    "SiteDomain",
    "SiteIDCode",
    "ColumnName",
    "ColumnType",
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "Keywords",
    "Author",
    "Description",
    "Url",
)


def standard_meta(document: Document) -> dict[str, str]:
    """Return the standard meta tags present, keyed by their canonical spelling (e.g. "SiteIDCode").

    Names are matched case-insensitively; an empty content counts as present, with "".
    """
    return {
        name: document.meta[name.lower()]
        for name in STANDARD_META_NAMES
        if name.lower() in document.meta
    }
