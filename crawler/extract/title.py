"""The article title: meta ArticleTitle, else the <title> without its site-name suffix."""

from __future__ import annotations

import re

from crawler.extract.document import Document, normalise_space

# "标题_云南省人民政府", "标题 - xx市人民政府门户网站", "标题|xx县人民政府", "标题——国家统计局".
_SUFFIX = re.compile(r"\s*(?:[_|｜]|-{2}|—{1,2}|\s[-－]\s|[-－])\s*([^_|｜—\-－]{2,40})$")
_SITE_NAME_ENDING = re.compile(
    r"(?:政府|网站|门户|官网|网|局|厅|委员会|委|办公室|办|中心|院|部|府)$"
)


def _looks_like_site_name(text: str, site_name: str | None) -> bool:
    return text == site_name or bool(_SITE_NAME_ENDING.search(text))


def clean_title(raw: str, site_name: str | None = None) -> str | None:
    """Strip trailing site-name segments from a page title; None when nothing is left."""
    title = normalise_space(raw)
    while True:
        match = _SUFFIX.search(title)
        if not match or match.start() == 0:
            break
        if not _looks_like_site_name(match.group(1).strip(), site_name):
            break
        title = title[: match.start()].strip()
    return title or None


def extract_title(document: Document) -> str | None:
    """Return the article title, whitespace-normalised."""
    article_title = normalise_space(document.meta.get("articletitle", ""))
    if article_title:
        return article_title
    element = document.root.find("head/title")
    if element is None:
        element = document.root.find(".//title")
    if element is None:
        return None
    return clean_title("".join(element.itertext()), document.meta.get("sitename"))
