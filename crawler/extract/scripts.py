"""Whether inline scripts write visible content, so the page needs rendering in a browser."""

from __future__ import annotations

import re

from crawler.extract.document import Document

_WRITES_CONTENT = re.compile(
    r"document\s*\.\s*write(?:ln)?\s*\(|\.\s*(?:inner|outer)HTML\s*\+?=(?!=)|insertAdjacentHTML\s*\("
)


def writes_content(document: Document) -> bool:
    """True when an inline script calls document.write, assigns innerHTML/outerHTML or uses insertAdjacentHTML."""
    return any(_WRITES_CONTENT.search(source) for source in document.inline_scripts)
