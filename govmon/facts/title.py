"""The article title: meta ArticleTitle, else the <title> without the site's name before or after it.

"标题_云南省人民政府", "太原市人民政府门户网站-标题", "中国政府网_标题", "标题__2007年第23号国务院公报_中国政府网":
a segment is the site's when it is the SiteName meta, ends like a name (政府, 网站, 门户, 局 …) or
names a gazette issue. When the site's name was there, of what is left ("栏目-标题") the segment the
page shows as its heading is the title. A hyphen inside the title (2021-2025年) separates nothing.
"""

from __future__ import annotations

import re

from govmon.facts.document import Document, normalise_space

MAX_TITLE_CHARS = 500  # a title longer than any heading is a hostile or broken page: kept readable, not whole

# Separators: _ (often doubled), |, --, —— and a hyphen; a segment holds none of them.
_SEPARATOR = r"(?:_+|[|｜]|-{2}|—{1,2}|\s[-－]\s|[-－])"
_SEGMENT = r"([^_|｜—\-－]{2,40})"
_SUFFIX = re.compile(rf"\s*{_SEPARATOR}\s*{_SEGMENT}$")
_SPLIT = re.compile(rf"\s*{_SEPARATOR}\s*")
_PREFIX = re.compile(rf"^{_SEGMENT}\s*{_SEPARATOR}\s*")
_SITE_NAME_ENDING = re.compile(
    r"(?:政府|网站|门户|官网|网|局|厅|委员会|委|办公室|办|中心|院|部|府)$"
)
# A gazette issue: 2007年第23号国务院公报, 某市人民政府公报2021年第3期.
_GAZETTE_ISSUE = re.compile(r"\d{4}年第[\d一二三四五六七八九十]+[号期].*公报$|公报\s*\d{4}年第\d+[号期]$")


def _looks_like_site_name(text: str, site_name: str | None) -> bool:
    return text == site_name or bool(_SITE_NAME_ENDING.search(text) or _GAZETTE_ISSUE.search(text))


def _strip_suffixes(title: str, site_name: str | None) -> str:
    while (match := _SUFFIX.search(title)) and match.start() > 0:
        if not _looks_like_site_name(match.group(1).strip(), site_name):
            break
        title = title[: match.start()].strip()
    return title


def _strip_prefixes(title: str, site_name: str | None) -> str:
    while (match := _PREFIX.search(title)) and match.end() < len(title):
        if not _looks_like_site_name(match.group(1).strip(), site_name):
            break
        title = title[match.end():].strip()
    return title


def clean_title(raw: str, site_name: str | None = None) -> str | None:
    """Strip the site-name segments before and after a page title; None when nothing is left."""
    title = _strip_prefixes(_strip_suffixes(normalise_space(raw), site_name), site_name)
    return title or None


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _shown_segment(title: str, document: Document) -> str:
    """The segment of "栏目-标题" the page shows as a heading (h1–h3), else the whole title."""
    segments = _SPLIT.split(title)
    if len(segments) < 2:
        return title
    headings = {_squeezed("".join(heading.itertext())) for heading in document.root.iter("h1", "h2", "h3")}
    return next((segment for segment in reversed(segments) if _squeezed(segment) in headings), title)


def extract_title(document: Document) -> str | None:
    """Return the article title, whitespace-normalised, at most MAX_TITLE_CHARS long."""
    article_title = normalise_space(document.meta.get("articletitle", ""))
    if article_title:
        return article_title[:MAX_TITLE_CHARS]
    element = document.root.find("head/title")
    if element is None:
        element = document.root.find(".//title")
    if element is None:
        return None
    raw = normalise_space("".join(element.itertext()))[:MAX_TITLE_CHARS]
    title = clean_title(raw, document.meta.get("sitename"))
    return _shown_segment(title, document) if title and title != raw else title
