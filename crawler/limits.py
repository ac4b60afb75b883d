"""Bounds on the work one hostile site can cause: bytes per response, checks per run, load on other hosts.

The limits come from the site's crawl settings (registry); the spider stays a description of what to follow.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

EXTERNAL_SLOT = "govmon-external"  # the download slot every host that is not the site's shares
_CHECKED_KINDS = frozenset({"resource", "attachment", "external"})


def _kind(request: Request) -> str | None:
    return request.meta.get("govmon", {}).get("kind")


class SizeCapMiddleware(HttpCompressionMiddleware):
    """Caps each response at its kind's size (an attachment's, else a page's), decompressed bytes included.

    Scrapy cancels a download past DOWNLOAD_MAXSIZE (too_large) and stops decompressing there, but names the
    second an ignored request; here both are too_large, so a gzip bomb is a finding about that URL and the rest
    of the site is crawled.
    """

    def process_request(self, request: Request) -> None:
        crawl = self.crawler.spider.site.crawl
        cap = crawl.max_attachment_bytes if _kind(request) == "attachment" else crawl.max_page_bytes
        request.meta.setdefault("download_maxsize", cap)
        return super().process_request(request)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:  # only raised past the cap
            raise DownloadCancelledError(str(exc)) from exc

    def __init__(self, crawler):
        super().__init__(crawler=crawler)
        self.crawler = crawler


class ExternalSlotMiddleware:
    """Requests to hosts outside the site share one download slot with its own concurrency and delay: a page
    linking to thousands of third-party URLs is checked at the pace the registry allows for others' servers."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> ExternalSlotMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not self.crawler.spider.in_scope(request.url) and "download_slot" not in request.meta:
            request.meta["download_slot"] = EXTERNAL_SLOT


class CheckBudgetMiddleware(BaseSpiderMiddleware):
    """At most max_checks resources, attachments and external links are checked per run; the rest are not
    requested, and the run's stats name the limit (max_checks) as for max_pages."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.checks = 0

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        # a GET in place of a refused HEAD, or reading an attachment its HEAD found, is part of the same check
        if _kind(request) not in _CHECKED_KINDS or request.method != "HEAD":
            return request
        spider = self.crawler.spider
        if self.checks >= spider.site.crawl.max_checks:
            spider.limits_reached.add("max_checks")
            spider.requested -= 1  # counted when the spider made it: never requested, so never queued
            return None
        self.checks += 1
        return request
