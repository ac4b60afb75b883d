"""The standard meta tags of government article pages (政府网站发展指引 / META-1)."""

from __future__ import annotations

from govmon.facts.document import Document, normalise_space

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

MAX_META_TEXT_CHARS = 500


def _meta_content(document: Document, name: str) -> str | None:
    content = document.meta.get(name)
    if content is None:
        return None
    return normalise_space(content)[:MAX_META_TEXT_CHARS] or None


def meta_text(document: Document) -> dict[str, str | None]:
    """The keywords and description meta a search engine shows, whitespace-normalised and capped: where keyword
    stuffing by an intruder (SEC-1) is read. http-equiv="keywords" counts, as old CMS templates write it."""
    return {"keywords": _meta_content(document, "keywords"), "description": _meta_content(document, "description")}
