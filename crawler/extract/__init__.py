"""Pure extraction of facts and links from crawled pages: no network, no Scrapy."""

from crawler.extract.document import ExtractError
from crawler.extract.fingerprint import block_hashes, not_found_signal, page_fingerprint, text_blocks
from crawler.extract.links import Link, canonical_url, extract_links
from crawler.extract.page import extract_facts, extract_page

__all__ = [
    "ExtractError",
    "Link",
    "block_hashes",
    "canonical_url",
    "extract_facts",
    "extract_links",
    "extract_page",
    "not_found_signal",
    "page_fingerprint",
    "text_blocks",
]
