"""The one generic spider: a registry entry says where to start and what is in scope.

It only describes what to follow and what to record. Pages in scope are fetched
and parsed; resources, attachments and external links are checked (HEAD, with a
GET fallback for servers that refuse HEAD) and never followed; a link no browser
can follow (a malformed URL, a file: path) is recorded broken and never requested.
Two requests for random URLs that cannot exist record how the site answers a
missing page, which the soft-404 check compares against.

Attachments of the kinds the rule pack reads (GOVMON_READ_ATTACHMENTS) are downloaded after their check and
read in a thread, so that personal data published in them is found (masked). The homepage and its first
internal pages are fetched once more as a search engine's spider: a site that shows spiders other titles or
links than its visitors (cloaking) is told apart by comparing the two views.

The scope is a set of origins (scheme, host, port), not of host names: the same host on
another port is another server, and not the site. An HTTP redirect, a refresh or a script
redirect that leaves the scope is an external link of the page that sent it: checked once,
never fetched as a site page and never followed for its links.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread
from twisted.python.failure import Failure

from govmon.config import CHINA_TZ
from govmon.crawler.errors import error_kind, unfollowed_redirect
from govmon.crawler.items import MAX_FACT_CHARS, Fetched, FoundLink
from govmon.facts import EmptyDocument, ExtractError, PageReading, canonical_url, read_page
from govmon.facts.attachment_text import A_WEB_PAGE, UnreadableAttachment, read_attachment
from govmon.facts.encoding import decode_html
from govmon.facts.links import REDIRECT_ATTR, REDIRECT_TAG, unrequested_detail
from govmon.facts.personal_data import mask_text, personal_data_in
from govmon.origins import origin_of, site_origins
from govmon.registry import Site
from govmon.store import utcnow

HEAD_REFUSED = frozenset({403, 405, 501})  # servers that mishandle HEAD: ask again with GET
MAX_OFFSITE_LINKS = 200  # a spider view's links off the site kept: enough to name the hosts only spiders see


class SiteSpider(scrapy.Spider):
    name = "govmon-site"
    attachment_extensions: frozenset[str] = frozenset()  # set from the crawler's settings (from_crawler)
    read_kinds: frozenset[str] = frozenset()  # the attachment kinds read for personal data (PII-1)
    read_max_bytes = 0  # the largest attachment read

    def __init__(self, site: Site, run_id: int, renderer_missing: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.site = site
        self.run_id = run_id
        self.origins = site_origins(site)
        self.session_params = frozenset(name.lower() for name in site.crawl.session_params)
        self.renderer_missing = renderer_missing
        self.seen: set[str] = set()
        self.pages_scheduled = 0
        self.limits_reached: set[str] = set()
        self.list_pages: dict[str, int] = {}  # first page of a column's list → its pages scheduled
        self.parse_failures: list[str] = []
        self.render_failures: list[str] = []
        self.robots_blocked: list[str] = []  # pages robots.txt forbids (robots = "obey"): not judged
        self.home_result: Fetched | None = None
        self.home_key = self.key(site.home)
        self.spider_viewed: set[str] = set()  # pages fetched again as a search engine's spider (cloaking)
        self.requested = 0
        self.done = 0
        self.errors = 0

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        reading = crawler.settings.getdict("GOVMON_READ_ATTACHMENTS")  # {} : no attachment is read
        spider.read_kinds = frozenset(kind.lower().lstrip(".") for kind in reading.get("kinds", ()))
        spider.read_max_bytes = min(int(reading.get("max_bytes", 0)), spider.site.crawl.max_attachment_bytes)
        # a kind read is an attachment even where the crawl would not call it one (.csv, .txt)
        spider.attachment_extensions = spider.read_kinds | frozenset(
            ext.lower() for ext in crawler.settings.getlist("GOVMON_ATTACHMENT_EXTENSIONS")
        )
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        home = self.site.home
        origin = f"{urlsplit(home).scheme}://{urlsplit(home).netloc}"
        token = secrets.token_hex(8)
        for probe in (f"{origin}/govmon-{token}.html", f"{origin}/govmon-{token}/"):
            yield self._page_request(probe, kind="probe", depth=0, referrer=None)
        yield self._page_request(home, kind="page", depth=0, referrer=None)

    # --- scheduling -------------------------------------------------------

    def in_scope(self, url: str) -> bool:
        return origin_of(url) in self.origins  # a malformed URL is on no site

    def key(self, url: str) -> str:
        """The URL's identity in this crawl: canonical, without the site's session parameters."""
        return canonical_url(url, self.session_params)

    def _claim(self, url: str) -> bool:
        key = self.key(url)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def _page_request(
        self, url: str, kind: str, depth: int, referrer: str | None, list_first: str | None = None
    ) -> scrapy.Request:
        self._claim(url)
        if kind == "page":
            self.pages_scheduled += 1
        self.requested += 1
        meta = {"govmon": {"url": url, "kind": kind, "depth": depth, "referrer": referrer, "list_first": list_first}}
        return scrapy.Request(
            url, callback=self.parse_page, errback=self.on_error, meta=meta, priority=-depth, dont_filter=True
        )

    def _check_request(self, url: str, kind: str, depth: int, referrer: str, method: str = "HEAD",
                       link_text: str = "") -> scrapy.Request:
        if method == "HEAD":
            self.requested += 1
        meta = {"govmon": {"url": url, "kind": kind, "depth": depth, "referrer": referrer, "link_text": link_text}}
        return scrapy.Request(
            url, method=method, callback=self.parse_check, errback=self.on_error, meta=meta,
            priority=-depth, dont_filter=True,
        )

    def follow(self, links: list[FoundLink], page_url: str, depth: int, pagination: list[str] = (),
               list_first: str | None = None) -> list[scrapy.Request | Fetched]:
        """Requests for the links of a page, and the records of links no browser can follow (never
        requested). A column's further list pages stay at the list's depth, up to max_list_pages per
        list, so a deep pager never hides a column's items behind the depth limit."""
        followed: list[scrapy.Request | Fetched] = []
        first = list_first or page_url
        for url in pagination:
            if not self.in_scope(url) or self.key(url) in self.seen:
                continue
            if self.list_pages.get(first, 1) >= self.site.crawl.max_list_pages:
                self.limits_reached.add("max_list_pages")
                break
            if self.pages_scheduled >= self.site.crawl.max_pages:
                self.limits_reached.add("max_pages")
                break
            self.list_pages[first] = self.list_pages.get(first, 1) + 1
            followed.append(self._page_request(url, "page", depth, page_url, first))
        for link in links:
            if link.error:
                if self._claim(link.target):
                    followed.append(self._unrequested(link, depth + 1, page_url))
            elif link.kind == "page" and link.internal:
                if self.key(link.target) in self.seen:
                    continue
                if depth + 1 > self.site.crawl.max_depth:
                    self.limits_reached.add("max_depth")
                    continue
                if self.pages_scheduled >= self.site.crawl.max_pages:
                    self.limits_reached.add("max_pages")
                    continue
                followed.append(self._page_request(link.target, "page", depth + 1, page_url))
            elif self._claim(link.target):
                followed.append(self._check_request(link.target, _checked_kind(link), depth + 1, page_url,
                                                    link_text=link.text))
        return followed

    # --- callbacks --------------------------------------------------------

    def parse_page(self, response: Response):
        item = self._record(response)
        self.seen.add(self.key(response.url))  # a redirect's target is not fetched again
        if response.meta.get("offsite_redirect"):
            yield from self._left_scope(item, response)
            return
        if not _is_html(response) or response.status >= 400 or item.error_kind:
            yield self._done(item)
            return
        text, item.encoding = decode_html(response.body, _header(response, b"Content-Type"))
        try:
            reading = read_page(text, response.url, self.attachment_extensions, _china_date(item),
                                navigation=item.depth == 0)
        except Exception as exc:  # a page that breaks the parser is recorded and the crawl goes on
            # a blank page is broken for its visitors (a dead link); one the parser cannot read is not judged
            item.error_kind = "empty_page" if isinstance(exc, EmptyDocument) else "parse_error"
            item.error_detail = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ExtractError) else str(exc)
            self.parse_failures.append(item.url)
            yield self._done(item)
            return
        self._apply(item, reading)
        if item.kind == "page":
            yield from self._follow_page(item, response)
        if item.kind == "page" and self._wants_render(reading.facts):
            if self.renderer_missing:
                item.render = "render_failed"
                item.facts["render_error"] = self.renderer_missing
            else:
                yield scrapy.Request(
                    response.url, callback=self.parse_rendered, errback=self.render_failed,
                    meta={"playwright": True, "govmon": response.meta["govmon"]},
                    cb_kwargs={"item": item}, dont_filter=True,
                )
                return
        yield self._done(item)

    def parse_rendered(self, response: Response, item: Fetched):
        if not self.in_scope(response.url):  # its scripts left the site (RenderFilter stops the browser there)
            item.render = "render_failed"
            item.facts["render_error"] = "the page's scripts send the browser out of the site: its static HTML is read"
            yield self._done(item)
            return
        try:
            reading = read_page(response.text, item.final_url or item.url, self.attachment_extensions,
                                _china_date(item), navigation=item.depth == 0)
        except Exception as exc:
            item.render = "render_failed"
            item.facts["render_error"] = f"{type(exc).__name__}: {exc}"
            yield self._done(item)
            return
        self._apply(item, reading)
        item.render = "rendered"
        yield from self._follow_page(item, response)
        yield self._done(item)

    def render_failed(self, failure: Failure):
        item: Fetched = _request_of(failure).cb_kwargs["item"]
        item.render = "render_failed"
        item.facts["render_error"] = f"{type(failure.value).__name__}: {failure.value}"
        yield self._done(item)

    async def parse_check(self, response: Response):
        meta = response.meta["govmon"]
        if _method(response) == "HEAD" and response.status in HEAD_REFUSED:
            yield self._check_request(meta["url"], meta["kind"], meta["depth"], meta["referrer"], method="GET",
                                      link_text=meta["link_text"])
            return
        item = self._record(response)
        if not self._to_read(item):
            yield self._done(item)
        elif refusal := self._read_refusal(item):
            item.facts["read_error"] = refusal
            yield self._done(item)
        elif _method(response) == "GET":  # the GET asked for in place of a refused HEAD brought the file
            yield self._done(await self._read(item, response.body))
        else:
            yield scrapy.Request(
                response.url, callback=self.parse_attachment, errback=self.attachment_failed,
                meta={"govmon": meta, "download_maxsize": self.read_max_bytes}, cb_kwargs={"head": item},
                priority=-meta["depth"], dont_filter=True,
            )

    async def parse_attachment(self, response: Response, head: Fetched):
        """The download of an attachment its HEAD found readable: one record for the URL, the GET's when it
        brought the file; else the HEAD's stands (a file the crawl could not download is no broken link)."""
        item = self._record(response)
        if item.error_kind or response.status >= 400:
            head.facts["read_error"] = f"附件下载失败（{item.error_kind or f'HTTP {response.status}'}）"
            yield self._done(head)
        elif refusal := self._read_refusal(item):
            item.facts["read_error"] = refusal
            yield self._done(item)
        else:
            yield self._done(await self._read(item, response.body))

    def attachment_failed(self, failure: Failure):
        head: Fetched = _request_of(failure).cb_kwargs["head"]
        kind, _ = error_kind(failure)
        head.facts["read_error"] = self._too_large() if kind == "too_large" else f"附件下载失败（{kind}）"
        yield self._done(head)

    def parse_spider_view(self, response: Response):
        """A page as a search engine's spider is shown it: its title, the links it has off the site, its hidden
        links and meta text. No Link rows: the browser view's links are the page's."""
        item = self._record(response)
        target = response.meta.get("offsite_redirect")
        if target:  # the spider is sent off the site: the target is the one link it is shown
            item.facts = {"title": None, "offsite_links": [{"url": target, "text": ""}], "hidden_links": [],
                          "meta_text": {"keywords": None, "description": None}, "offsite_redirect": target}
        elif _is_html(response) and response.status < 400 and not item.error_kind:
            text, item.encoding = decode_html(response.body, _header(response, b"Content-Type"))
            try:
                reading = read_page(text, response.url, self.attachment_extensions, _china_date(item),
                                    navigation=False)
            except Exception as exc:
                item.error_kind = "empty_page" if isinstance(exc, EmptyDocument) else "parse_error"
                item.error_detail = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ExtractError) else str(exc)
            else:
                item.facts = _capped(self._spider_facts(reading))
                item.title = item.facts["title"]
        yield self._done(item)

    def on_error(self, failure: Failure):
        request = _request_of(failure)
        meta = request.meta["govmon"]
        item = Fetched(
            url=meta["url"], kind=meta["kind"], method=request.method, depth=meta["depth"],
            referrer=meta["referrer"], fetched_at=utcnow(), facts=_link_facts(meta),
        )
        item.error_kind, item.error_detail = error_kind(failure)
        yield self._done(item)

    # --- helpers ----------------------------------------------------------

    def _record(self, response: Response) -> Fetched:
        meta = response.meta["govmon"]
        latency = response.meta.get("download_latency")
        item = Fetched(
            url=meta["url"], kind=meta["kind"], method=_method(response), depth=meta["depth"],
            referrer=meta["referrer"], fetched_at=utcnow(), final_url=response.url, status=response.status,
            content_type=_header(response, b"Content-Type"),
            size=len(response.body) if _method(response) != "HEAD" else _content_length(response),
            elapsed_ms=round(latency * 1000, 1) if latency is not None else None,
            content_hash=hashlib.sha1(response.body).hexdigest() if response.body else None,
            facts=_link_facts(meta),
        )
        refused = unfollowed_redirect(response.status, _header(response, b"Location"))
        if response.meta.get("rate_limited"):  # still pushed back after the retries (BackoffRetryMiddleware)
            item.error_kind = "rate_limited"
            item.error_detail = f"HTTP {response.status} after {response.meta.get('retry_times', 0)} retries"
        elif refused and not response.meta.get("offsite_redirect"):
            # a redirect to ftp:, file: or a malformed Location: Scrapy, like a browser, stops there
            item.error_kind, item.error_detail = refused
        return item

    def _left_scope(self, item: Fetched, response: Response) -> list[scrapy.Request | Fetched]:
        """A page whose HTTP redirect leaves the site: the target is the page's one link, an external one, checked
        like any other; the homepage itself elsewhere means nothing of the site can be crawled."""
        target = response.meta["offsite_redirect"]
        item.links = [FoundLink(target, REDIRECT_TAG, REDIRECT_ATTR, "", "page", False)]
        if item.kind == "page" and item.depth == 0:
            item.error_kind = "offsite_redirect"
            item.error_detail = (f"HTTP {response.status} redirects to {target}, outside the site "
                                 "(its home and allowed_hosts)")
        followed = self._follow_page(item, response) if item.kind == "page" else []
        return [*followed, self._done(item)]

    def _unrequested(self, link: FoundLink, depth: int, referrer: str) -> Fetched:
        """The record of a link broken as written: what a visitor gets is known without asking the server."""
        self.requested += 1
        kind = _checked_kind(link)
        return self._done(Fetched(
            url=link.target, kind=kind, method="NONE", depth=depth, referrer=referrer, fetched_at=utcnow(),
            error_kind=link.error, error_detail=unrequested_detail(link.error, link.target),
            facts=_link_facts({"kind": kind, "link_text": link.text}),
        ))

    def _follow_page(self, item: Fetched, response: Response) -> list[scrapy.Request | Fetched]:
        meta = response.meta["govmon"]
        followed = self.follow(item.links, item.final_url or item.url, item.depth, item.facts.get("pagination", []),
                               meta.get("list_first"))
        if item.kind == "page" and self.key(item.url) == self.home_key:
            followed += self._spider_views(item)
        return followed

    def _spider_views(self, home: Fetched) -> list[scrapy.Request]:
        """Requests as a search engine's spider for the homepage and its first spider_view_pages internal page
        links (pagination aside) that the crawl fetches as a browser: each page once."""
        wanted = self.site.crawl.spider_view_pages
        if not wanted:
            return []
        pagination = {self.key(url) for url in home.facts.get("pagination", [])}
        pages = [link.target for link in home.links if link.kind == "page" and link.internal and not link.error]
        requests = []
        for url in [home.url, *pages]:
            key = self.key(url)
            if len(self.spider_viewed) > wanted:
                break
            if key in self.spider_viewed or key in pagination or key not in self.seen:
                continue
            self.spider_viewed.add(key)
            requests.append(self._spider_view_request(url, 0 if key == self.home_key else home.depth + 1, home.url))
        return requests

    def _spider_view_request(self, url: str, depth: int, referrer: str) -> scrapy.Request:
        self.requested += 1
        meta = {"govmon": {"url": url, "kind": "spider_view", "depth": depth, "referrer": referrer}}
        return scrapy.Request(
            url, headers={"User-Agent": self.site.crawl.spider_user_agent}, callback=self.parse_spider_view,
            errback=self.on_error, meta=meta, priority=-depth, dont_filter=True,
        )

    def _spider_facts(self, reading: PageReading) -> dict[str, Any]:
        offsite: dict[str, str] = {}
        for link in reading.links:
            if not link.error and not self.in_scope(link.url) and len(offsite) < MAX_OFFSITE_LINKS:
                offsite.setdefault(link.url, link.text)
        facts = reading.facts
        return {
            "title": facts.get("title"),
            "offsite_links": [{"url": url, "text": text} for url, text in offsite.items()],
            "hidden_links": facts.get("hidden_links", []),
            "meta_text": facts.get("meta_text", {"keywords": None, "description": None}),
            "user_agent": self.site.crawl.spider_user_agent,
        }

    def _to_read(self, item: Fetched) -> bool:
        """An attachment of a kind the pack reads, which its check found there (not broken, not pushed back)."""
        return (item.kind == "attachment" and _extension(item.url) in self.read_kinds and not item.error_kind
                and (item.status or 0) < 400)

    def _read_refusal(self, item: Fetched) -> str | None:
        """Why an attachment found there is not read, from its headers; None: read it."""
        if "html" in (item.content_type or "").lower():
            return A_WEB_PAGE
        if item.size is not None and item.size > self.read_max_bytes:
            return self._too_large()
        return None

    def _too_large(self) -> str:
        return f"附件超过读取大小上限（{self.read_max_bytes / 1_000_000:g} MB）"

    async def _read(self, item: Fetched, data: bytes) -> Fetched:
        """The attachment's text read in a thread (a large sheet must not hold up the crawl), and its facts."""
        facts = await maybe_deferred_to_future(deferToThread(attachment_facts, data, _extension(item.url)))
        item.facts.update(_capped(facts))
        return item

    def _apply(self, item: Fetched, reading: PageReading) -> None:
        item.facts = _capped(reading.facts)
        item.title = item.facts.get("title")
        item.text = reading.text
        item.links = [
            FoundLink(link.url, link.tag, link.attr, link.text, link.kind, self.in_scope(link.url), link.error)
            for link in reading.links
        ]

    def _wants_render(self, facts: dict) -> bool:
        mode = self.site.crawl.render
        return mode == "always" or (mode == "auto" and bool(facts.get("script_written")))

    def _done(self, item: Fetched) -> Fetched:
        self.done += 1
        if item.render == "render_failed":
            self.render_failures.append(item.url)
        if item.error_kind == "robots_blocked":
            if item.kind == "page":
                self.robots_blocked.append(item.url)
        elif item.kind not in ("probe", "spider_view") and (item.error_kind or (item.status or 0) >= 400):
            self.errors += 1
        if item.kind == "page" and item.depth == 0 and self.home_result is None:
            self.home_result = item
        return item


def attachment_facts(data: bytes, extension: str) -> dict[str, Any]:
    """What an attachment's text holds: how it was read and the personal data in it (masked), or why it could not
    be read. A file that breaks its reader is not read, and the crawl goes on."""
    try:
        reading = read_attachment(data, extension)
    except UnreadableAttachment as exc:
        return {"read_error": mask_text(str(exc))}
    except Exception as exc:  # a hostile file's own error message says only that it could not be read
        return {"read_error": f"无法解析：{type(exc).__name__}"}
    return {"read": {"format": reading.format, "segments": len(reading.segments), "truncated": reading.truncated},
            "personal_data": personal_data_in(reading.segments)}


def _link_facts(meta: dict[str, Any]) -> dict[str, Any]:
    """What the page that found an attachment calls it ("失信被执行人名单.xlsx"), masked."""
    text = meta.get("link_text")
    return {"link_text": mask_text(text)} if meta.get("kind") == "attachment" and text else {}


def _extension(url: str) -> str:
    """The extension of a URL's file name, lower case, without the dot ("" for none)."""
    name = urlsplit(url).path.rpartition("/")[2]
    return name.rpartition(".")[2].lower() if "." in name else ""


def _checked_kind(link: FoundLink) -> str:
    """The kind recorded for a link the spider does not crawl: its own on the site, attachment anywhere, else
    external."""
    return link.kind if link.internal or link.kind == "attachment" else "external"


def _capped(value: Any) -> Any:
    """Facts with every text cut to MAX_FACT_CHARS: a hostile page's megabyte of one string is not stored whole."""
    if isinstance(value, str):
        return value[:MAX_FACT_CHARS]
    if isinstance(value, dict):
        return {key: _capped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_capped(item) for item in value]
    return value


def _china_date(item: Fetched):
    """The day the page was fetched, in China: the year of a list's "11-02" dates is counted from it."""
    return item.fetched_at.astimezone(CHINA_TZ).date()


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _content_length(response: Response) -> int | None:
    value = _header(response, b"Content-Length")
    return int(value) if value and value.isdigit() else None


def _is_html(response: Response) -> bool:
    content_type = (_header(response, b"Content-Type") or "").lower()
    if content_type:
        return "html" in content_type
    return isinstance(response, scrapy.http.HtmlResponse)


def _request_of(failure: Failure) -> scrapy.Request:
    """The request an errback's failure is about: Scrapy sets it on the Failure."""
    return failure.request  # type: ignore[attr-defined]


def _method(response: Response) -> str:
    """The method of the request a callback's response answers (Scrapy always sets the request)."""
    return response.request.method if response.request is not None else "GET"
