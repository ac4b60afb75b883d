"""Page fingerprints for soft-404 detection.

The check compares a page with the site's answer to a URL that cannot exist, after
removing the blocks of the site template. Blocks are hashed on their letters only, so
an echoed URL, a counter or a timestamp does not make two error pages differ.
"""

from __future__ import annotations

import re
import zlib

from crawler.extract.document import Document, normalise_space

MAX_BLOCK_HASHES = 400
SHORT_BLOCK_CHARS = 60

_NOT_LETTERS = re.compile(r"[\W\d_]+")

# Strongest first, so the most specific phrase is reported.
_NOT_FOUND_PHRASES = (
    "您访问的页面不存在",
    "页面不存在",
    "找不到页面",
    "页面未找到",
    "页面已删除",
    "无法找到该页",
    "该信息不存在",
    "信息不存在",
    "信息已删除",
    "Page Not Found",
    "Not Found",
)
_NOT_FOUND = re.compile("|".join(re.escape(phrase) for phrase in _NOT_FOUND_PHRASES), re.IGNORECASE)
_CANONICAL_PHRASE = {phrase.lower(): phrase for phrase in _NOT_FOUND_PHRASES}
# "404" alone, not part of a longer number, a date (2021.404) or a path (/404.html).
_STATUS_404 = re.compile(r"(?<![0-9A-Za-z./:\-])404(?![0-9A-Za-z]|[./:\-]\d)")
_HAS_WORDS = re.compile(r"[^\W\d_]")


def text_blocks(html: str) -> list[str]:
    """Return the visible text split at block-level elements, in document order."""
    return [block.text for block in Document(html, "").blocks]


def block_hashes(blocks: list[str]) -> list[int]:
    """Return crc32 of each block's letters (CJK or alphabetic), deduplicated, order kept, at most 400."""
    hashes: list[int] = []
    seen: set[int] = set()
    for block in blocks:
        letters = _NOT_LETTERS.sub("", block)
        if not letters:
            continue
        value = zlib.crc32(letters.encode("utf-8"))
        if value not in seen:
            seen.add(value)
            hashes.append(value)
            if len(hashes) == MAX_BLOCK_HASHES:
                break
    return hashes


def _phrase_in(text: str, allow_bare_404: bool) -> str | None:
    match = _NOT_FOUND.search(text)
    if match:
        return _CANONICAL_PHRASE[match.group(0).lower()]
    if _STATUS_404.search(text) and (allow_bare_404 or _HAS_WORDS.search(_STATUS_404.sub("", text))):
        return "404"
    return None


def not_found_of(document: Document) -> str | None:
    """Return the phrase by which the page says it does not exist, or None.

    Only the <title>, h1–h3 and short blocks are read, so an article that mentions
    页面不存在 in a paragraph is not taken for an error page. A short block holding
    nothing but a number 404 (a table cell) does not count; in a heading or title it does.
    """
    for element in document.root.iter("title", "h1", "h2", "h3"):
        found = _phrase_in(normalise_space("".join(element.itertext())), allow_bare_404=True)
        if found:
            return found
    for block in document.blocks:
        if len(block.text) <= SHORT_BLOCK_CHARS:
            found = _phrase_in(block.text, allow_bare_404=False)
            if found:
                return found
    return None


def not_found_signal(html: str) -> str | None:
    """Parse html and return its not-found phrase (see not_found_of)."""
    return not_found_of(Document(html, ""))


def fingerprint_of(document: Document) -> dict[str, object]:
    """Return {"blocks": block hashes, "text_length": visible characters, "not_found": phrase or None}."""
    texts = [block.text for block in document.blocks]
    return {
        "blocks": block_hashes(texts),
        "text_length": sum(len(text) for text in texts),
        "not_found": not_found_of(document),
    }


def page_fingerprint(html: str) -> dict[str, object]:
    """Parse html and return its fingerprint (see fingerprint_of)."""
    return fingerprint_of(Document(html, ""))
