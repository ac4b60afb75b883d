"""Pure extraction of facts and links from crawled pages: no network, no Scrapy."""

from govmon.facts.accounts import ListedAccount, listed_accounts
from govmon.facts.document import EmptyDocument, ExtractError
from govmon.facts.fingerprint import block_hashes, not_found_signal, page_fingerprint, text_blocks
from govmon.facts.links import Link, canonical_url, extract_links
from govmon.facts.list_items import Item, extract_items, is_empty_list, item_lists
from govmon.facts.messages import Message, extract_messages
from govmon.facts.mirrors import Mirror, MirrorError, Post, latest_post, read_mirror
from govmon.facts.navigation import ColumnLink, breadcrumb, is_navigation_only, nav_columns, sitemap_columns
from govmon.facts.page import PageReading, extract_facts, extract_page, read_page
from govmon.facts.pagination import page_count, pagination_links
from govmon.facts.policy import Disclosure, Related, interpreted_name, policy_name

__all__ = [
    "ColumnLink",
    "Disclosure",
    "EmptyDocument",
    "ExtractError",
    "Item",
    "Link",
    "ListedAccount",
    "Message",
    "Mirror",
    "MirrorError",
    "PageReading",
    "Post",
    "Related",
    "block_hashes",
    "breadcrumb",
    "canonical_url",
    "extract_facts",
    "extract_items",
    "extract_links",
    "extract_messages",
    "extract_page",
    "interpreted_name",
    "is_empty_list",
    "is_navigation_only",
    "item_lists",
    "latest_post",
    "listed_accounts",
    "nav_columns",
    "not_found_signal",
    "page_count",
    "page_fingerprint",
    "pagination_links",
    "policy_name",
    "read_mirror",
    "read_page",
    "sitemap_columns",
    "text_blocks",
]
