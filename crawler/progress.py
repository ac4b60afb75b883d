"""Show a long crawl's progress on stderr: fetched, queued, errors."""

from __future__ import annotations

import sys

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class CrawlProgress:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler) -> CrawlProgress:
        if not crawler.settings.getbool("GOVMON_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler, crawler.settings.getfloat("GOVMON_PROGRESS_INTERVAL", 2.0))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        self.loop = task.LoopingCall(self.report, spider)
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider, reason: str) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        self.report(spider, final=f" ({reason})")

    def report(self, spider, final: str = "") -> None:
        queued = max(spider.requested - spider.done, 0)
        print(
            f"[{spider.site.id}] {spider.done} fetched, {queued} queued, {spider.errors} errors{final}",
            file=sys.stderr, flush=True,
        )
