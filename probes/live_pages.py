"""The live side of verifying a citizen's report: the reported page as the site serves it now, its links and
resources, and the site's answer to a URL that cannot exist.

Fetched the way the probes fetch (the site's user agent and timeout, the registry's DNS server) and read with
the crawler's own decoding and extraction, into transient ``Page`` rows that are never stored: a page seen now
is judged by the very functions that judge a crawled one (broken links, soft 404s, columns, messages).

A report's URL and the links on a page are anyone's words, so only the site's own origins are ever asked
(``govmon.origins.on_site``): an off-site URL is answered "off_site" without a request, an off-site link
is counted and left alone, and a body that a redirect brought from elsewhere is dropped. Every fetch also keeps
to the verification's deadline (:class:`BudgetSpent`). A host's name is looked up once per verification
(:class:`govmon.dns.PinnedAddresses`): a DNS server whose answer changes cannot send a later fetch elsewhere.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from govmon.dns import PinnedAddresses, make_resolver
from govmon.facts import ExtractError, Link, canonical_url, extract_page, page_fingerprint
from govmon.facts.encoding import decode_html
from govmon.facts.links import ATTACHMENT_EXTENSIONS, unrequested_detail
from govmon.origins import on_site
from govmon.probes.http import Fetch, fetch
from govmon.registry import Site
from govmon.store import Page, utcnow

MAX_TARGETS = 100  # links and resources of one page fetched: a page's own, not a crawl
TARGET_BYTES = 1_000_000  # read of a target's body: enough for a soft-404 fingerprint; a larger body is an answer
PAGE_BYTES = 2_000_000  # read of a reported page's body: a larger one is judged by its status alone
OFF_SITE = "off_site"  # the error_kind of a URL not on the site's origins, never requested
_ATTACHMENTS = frozenset(ATTACHMENT_EXTENSIONS)


class BudgetSpent(Exception):
    """The verification's time is up: what was being checked is left unjudged, never judged on a cut-short fetch."""


@dataclass
class LivePage:
    """A page as fetched now: the transient Page the rules read, its links, its visible text and its HTML."""

    page: Page
    links: list[Link]
    text: str  # visible blocks, one per line ("" when nothing could be read)
    html: str  # the decoded body ("" when there was none)

    @property
    def ok(self) -> bool:
        page = self.page
        return page.error_kind is None and page.status is not None and page.status < 400


class LiveSite:
    """One site as it answers now. Pages are fetched once per LiveSite, so reports on one page share a fetch.
    deadline (time.monotonic) bounds every fetch: past it, or when a fetch it cut short, :class:`BudgetSpent`."""

    def __init__(self, site: Site, resolver: str | None, today: date, deadline: float = float("inf")):
        self.site = site
        self.today = today  # gives a list's year-less dates ("11-02") their year, as the crawl's fetch day does
        self.deadline = deadline
        self.dns = make_resolver(resolver, site.crawl.timeout)
        self.pinned = PinnedAddresses()
        self._pages: dict[str, LivePage] = {}
        self._not_found: list[Page] | None = None

    def load(self, url: str) -> LivePage:
        """The page at url with the facts and links the crawl would extract from it."""
        key = canonical_url(url)
        if key not in self._pages:
            self._pages[key] = self._load(url, home=key == canonical_url(self.site.home))
        return self._pages[key]

    def load_all(self, urls: list[str]) -> list[LivePage]:
        with ThreadPoolExecutor(self.site.crawl.concurrency) as pool:
            return list(pool.map(self.load, urls))

    def check(self, links: list[Link], page_url: str) -> tuple[list[tuple[Link, Page]], int, int]:
        """Fetch each distinct target of links on the site's origins but the page itself, the first MAX_TARGETS of
        them, classified as the crawl classifies them; returns (each target's first link with its fetched Page,
        how many targets on the site, how many off it: never asked)."""
        targets: dict[str, Link] = {}
        off_site: set[str] = set()
        for link in links:
            key = canonical_url(link.url)
            if key == canonical_url(page_url):
                continue
            if link.error or on_site(self.site, link.url):
                targets.setdefault(key, link)
            else:
                off_site.add(key)
        chosen = list(targets.values())[:MAX_TARGETS]
        with ThreadPoolExecutor(self.site.crawl.concurrency) as pool:
            fetched = list(pool.map(self._target, chosen))
        return list(zip(chosen, fetched)), len(targets), len(off_site)

    def not_found_answers(self) -> list[Page]:
        """The site's answer to two random URLs that cannot exist, asked as the crawl asks them at its start."""
        if self._not_found is None:
            parts = urlsplit(self.site.home)
            token = secrets.token_hex(8)
            self._not_found = [self._fingerprinted(f"{parts.scheme}://{parts.netloc}/govmon-{token}{suffix}", "probe")
                               for suffix in (".html", "/")]
        return self._not_found

    def _get(self, url: str, **kw) -> Fetch:
        """url fetched within what is left of the deadline; a body from off the site's origins (a redirect to the
        same host on another port, which the probe follows) is dropped, unread."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise BudgetSpent(url)
        crawl = self.site.crawl
        got = fetch(url, self.dns, min(crawl.timeout, left), pinned=self.pinned, user_agent=crawl.user_agent,
                    keep_body=True, **kw)
        if got.error_kind == "timeout" and time.monotonic() >= self.deadline:
            raise BudgetSpent(url)
        if got.final_url and not on_site(self.site, got.final_url):
            got.body = got.text = got.title = None
        return got

    def _load(self, url: str, home: bool) -> LivePage:
        fetched_at = utcnow()
        if not on_site(self.site, url):
            page = Page(url=url, url_key="", kind="page", method="NONE", depth=0 if home else 1, referrer=None,
                        fetched_at=fetched_at, error_kind=OFF_SITE, error_detail="不属于该网站的网址，未访问",
                        render="static", facts={})
            return LivePage(page, [], "", "")
        got = self._get(url, max_bytes=PAGE_BYTES)
        page = _page(got, "page", 0 if home else 1, fetched_at)
        html, links = "", []
        if got.body and _is_html(got):
            html, page.encoding = decode_html(got.body, got.content_type)
            if got.ok:
                try:
                    page.facts, links = extract_page(html, page.final_url or url, _ATTACHMENTS, self.today,
                                                     navigation=home)
                except Exception as exc:  # as in the crawl: a page that breaks the parser is recorded as such
                    page.error_kind = "parse_error"
                    page.error_detail = str(exc) if isinstance(exc, ExtractError) else f"{type(exc).__name__}: {exc}"
        return LivePage(page, links, got.text or "", html)

    def _target(self, link: Link) -> Page:
        if link.error:  # broken as written (a malformed URL, file:): what a visitor gets is known without asking
            return Page(url=link.url, url_key="", kind=link.kind, method="NONE", depth=1, referrer=None,
                        fetched_at=utcnow(), error_kind=link.error, error_detail=unrequested_detail(link.error, link.url),
                        render="static", facts={})
        if link.kind == "page":
            return self._fingerprinted(link.url, "page")
        return _page(self._get(link.url, max_bytes=TARGET_BYTES), link.kind, 1, utcnow())

    def _fingerprinted(self, url: str, kind: str) -> Page:
        """A page of the site with the fingerprint the soft-404 check compares (its template-free text blocks)."""
        fetched_at = utcnow()
        got = self._get(url, max_bytes=TARGET_BYTES)
        page = _page(got, kind, 1, fetched_at)
        if got.ok and got.body and _is_html(got):
            try:
                page.facts = {"fingerprint": page_fingerprint(decode_html(got.body, got.content_type)[0])}
            except ExtractError:
                pass  # no fingerprint: judged by its status alone
        return page


def _is_html(got: Fetch) -> bool:
    return "html" in (got.content_type or "text/html").lower()


def _page(got: Fetch, kind: str, depth: int, fetched_at) -> Page:
    """The fetch as the crawl would have stored it. A body over the size read still came with its status: the
    server answered, so that is no failure."""
    answered = got.error_kind == "too_large" and got.status is not None and got.status < 400
    return Page(url=got.url, url_key="", kind=kind, method="GET", final_url=got.final_url, status=got.status,
                content_type=got.content_type, size=got.size, elapsed_ms=got.load_ms, depth=depth, referrer=None,
                error_kind=None if answered else got.error_kind, error_detail=None if answered else got.error_detail,
                content_hash=hashlib.sha1(got.body).hexdigest() if got.body else None, encoding=got.encoding,
                title=got.title, render="static", facts={}, fetched_at=fetched_at)
