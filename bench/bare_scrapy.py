"""The benchmark's baseline: a bare Scrapy CrawlSpider that follows every on-site link.

Run by bench/run.py as
    scrapy runspider bench/bare_scrapy.py -a origin=http://127.0.0.1:PORT/ -a report=PATH -s CONCURRENT_REQUESTS=16 ...
It does no extraction and no storage; it only records which pages answered 200,
so the harness can check coverage, and dumps Scrapy's stats for the request count.
"""

import json
import re

from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule


class BareSpider(CrawlSpider):
    name = "bare"
    custom_settings = {
        "ROBOTSTXT_OBEY": False,
        "HTTPCACHE_ENABLED": False,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "LOG_LEVEL": "INFO",
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    }

    def __init__(self, origin: str, report: str, *args, **kwargs):
        # LinkExtractor(allow_domains=...) drops URLs that carry a port, so the
        # site is restricted by a regex on the origin instead.
        self.rules = (Rule(LinkExtractor(allow=[f"^{re.escape(origin)}"]), callback="record", follow=True),)
        self.start_urls = [origin]
        self.report = report
        self.fetched: list[str] = []
        super().__init__(*args, **kwargs)

    def parse_start_url(self, response):
        return self.record(response)

    def record(self, response):
        self.fetched.append(response.url)
        return ()

    def closed(self, reason):
        with open(self.report, "w", encoding="utf-8") as out:
            json.dump({"reason": reason, "fetched": self.fetched, "stats": self.crawler.stats.get_stats()}, out, default=str)
