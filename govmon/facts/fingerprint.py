"""Page fingerprints for soft-404 detection.

The check compares a page with the site's answer to a URL that cannot exist, after
removing the blocks of the site template. Blocks are hashed on their letters only,
without URL-like words, so an echoed URL, a counter or a timestamp does not make two
error pages differ.
"""

from __future__ import annotations

import re
import zlib

from govmon.facts.document import Document, normalise_space

MAX_BLOCK_HASHES = 400
SHORT_BLOCK_CHARS = 60

_NOT_LETTERS = re.compile(r"[\W\d_]+")
# An echoed URL or path ("/a/b123.html", "www.example.gov.cn"): a run of ASCII URL characters with a slash
# or a dotted suffix. Runs are found first and tested after, which keeps a long run of letters linear.
_URL_CHARS = re.compile(r"[\w\-.~%/?=&#:+]+", re.ASCII)
_URL_MARK = re.compile(r"/|\.[A-Za-z]")


def _without_urls(text: str) -> str:
    if "/" not in text and "." not in text:
        return text
    return _URL_CHARS.sub(lambda run: "" if _URL_MARK.search(run.group()) else run.group(), text)

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
# Words that make a "404" an error message rather than a number (文号 〔2021〕404号, a count).
_ERROR_CONTEXT = re.compile(r"错误|抱歉|页面|网页|找不到|error|page", re.IGNORECASE)


def text_blocks(html: str) -> list[str]:
    """Return the visible text split at block-level elements, in document order."""
    return [block.text for block in Document(html, "").blocks]


def block_hashes(blocks: list[str]) -> list[int]:
    """Return crc32 of each block's letters (CJK or alphabetic), deduplicated, order kept, at most 400.

    URL-like words are dropped first, so "您访问的页面 /a/b123.html 不存在！" and
    "您访问的页面 /x.html 不存在" hash the same.
    """
    hashes: list[int] = []
    seen: set[int] = set()
    for block in blocks:
        letters = _NOT_LETTERS.sub("", _without_urls(block))
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
    if _STATUS_404.search(text):
        rest = _STATUS_404.sub("", text)
        if _ERROR_CONTEXT.search(rest) or (allow_bare_404 and not _HAS_WORDS.search(rest)):
            return "404"
    return None


def not_found_of(document: Document) -> str | None:
    """Return the phrase by which the page says it does not exist, or None.

    Only the <title>, h1–h3 and short blocks are read, so an article that mentions
    页面不存在 in a paragraph is not taken for an error page. "404" counts next to an
    error word (错误, 页面, error, ...), or alone in the title or a heading; alone in a
    short block (a table cell) or inside a document number (〔2021〕404号) it does not.
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
