"""Scrapy settings for one site's crawl, built from its registry entry.

Defaults fit government sites, which block aggressive crawlers: few concurrent
requests per host, AutoThrottle, backoff on 429/503, a 15 s timeout.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from govmon.crawler.limits import EXTERNAL_SLOT
from govmon.facts.links import ATTACHMENT_EXTENSIONS
from govmon.origins import origin_of, site_origins
from govmon.registry import Site

CHROMIUM_ARGS = (  # headless on a machine with a closed network: no background traffic
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
)
RENDER_TIMEOUT_FLOOR = 30.0  # seconds: a browser load is slower than a fetch, and its subrequests pass our event loop


def chromium_path() -> Path:
    return Path(os.environ.get("GOVMON_CHROMIUM", "/usr/bin/chromium"))


def renderer_problem(site: Site) -> str | None:
    """Why pages of this site cannot be rendered, or None when they can (or need not be)."""
    if site.crawl.render == "never":
        return None
    path = chromium_path()
    if not path.exists():
        return f"Chromium not found at {path} (install Debian's chromium or set GOVMON_CHROMIUM)"
    return None


def crawl_settings(site: Site, db_url: str, resolver: str | None = None, **overrides: Any) -> dict[str, Any]:
    """Settings for one site; ``resolver`` ("HOST:PORT") sends every name lookup to that DNS server."""
    crawl = site.crawl
    settings: dict[str, Any] = {
        "BOT_NAME": "govmon",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.robots == "obey",
        "CONCURRENT_REQUESTS": crawl.concurrency + crawl.external_concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency,
        "DOWNLOAD_DELAY": crawl.delay,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(crawl.delay, 1.0),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": max(1.0, crawl.concurrency / 2),
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        # Hosts that are not the site's share one slot (crawler.limits.ExternalSlotMiddleware).
        "DOWNLOAD_SLOTS": {EXTERNAL_SLOT: {"concurrency": crawl.external_concurrency, "delay": crawl.external_delay}},
        # Bytes per response, decompressed too (crawler.limits.SizeCapMiddleware sets an attachment's own cap);
        # past it the fetch is too_large. No warning size: the cap itself is reported.
        "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "CLOSESPIDER_TIMEOUT": crawl.duration_limit(),  # then the run is partial (closespider_timeout)
        "RETRY_TIMES": crawl.retries,
        "RETRY_GIVE_UP_LOG_LEVEL": "INFO",  # a link that stays broken is a finding, not a crawl error
        "REDIRECT_MAX_TIMES": 10,
        # A page that refreshes to another stays the page that answered; its refresh is one of its links.
        "METAREFRESH_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
        # Certificates are checked as a browser checks them (the system's CAs, or SSL_CERT_FILE): a visitor is
        # warned off a site whose certificate is expired, self-signed or for another name, and so is the probe.
        "DOWNLOAD_VERIFY_CERTIFICATES": True,
        "TWISTED_DNS_RESOLVER": "govmon.crawler.resolver.PinnedResolver",
        "GOVMON_RESOLVER": resolver,
        "DNS_TIMEOUT": crawl.timeout,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
            "govmon.crawler.redirects.BrowserRedirectMiddleware": 600,
            "govmon.crawler.middlewares.BackoffRetryMiddleware": 550,
            "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
            "govmon.crawler.limits.SizeCapMiddleware": 590,
            "govmon.crawler.limits.ExternalSlotMiddleware": 100,
        },
        "SPIDER_MIDDLEWARES": {"govmon.crawler.limits.CheckBudgetMiddleware": 900},
        "ITEM_PIPELINES": {"govmon.crawler.pipelines.StorePipeline": 300},
        # A page's output (its snapshot and its links) goes through a pipeline that never waits on I/O: Scrapy's
        # default of 100 parallel workers per response only costs 100 asyncio tasks per page.
        "CONCURRENT_ITEMS": 1,
        "EXTENSIONS": {"govmon.crawler.progress.CrawlProgress": 500, "scrapy.extensions.telnet.TelnetConsole": None},
        "GOVMON_DB_URL": db_url,
        "GOVMON_ATTACHMENT_EXTENSIONS": list(ATTACHMENT_EXTENSIONS),
        # The attachments read for personal data, from the rule pack (PII-1): {"kinds": ["xlsx", …], "max_bytes": N};
        # None: none is read, each is only checked.
        "GOVMON_READ_ATTACHMENTS": None,
        "LOG_LEVEL": "WARNING",
    }
    if crawl.render != "never" and renderer_problem(site) is None:
        handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
        settings["DOWNLOAD_HANDLERS"] = {"http": handler, "https": handler}
        args = list(CHROMIUM_ARGS) + ([_browser_host_rules(site, resolver)] if resolver else [])
        settings["PLAYWRIGHT_LAUNCH_OPTIONS"] = {"executable_path": str(chromium_path()), "headless": True, "args": args}
        settings["PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT"] = max(crawl.timeout, RENDER_TIMEOUT_FLOOR) * 1000
        settings["PLAYWRIGHT_ABORT_REQUEST"] = RenderFilter(site)
    settings.update(overrides)
    return settings


def _browser_host_rules(site: Site, resolver: str) -> str:
    """Chromium resolves names itself: give it the site's addresses from the configured
    DNS server, and no other names (they would go to the system's resolver)."""
    from govmon.crawler.resolver import addresses_of
    from govmon.dns import make_resolver

    dns = make_resolver(resolver, site.crawl.timeout)
    names = sorted({urlsplit(f"//{host}").hostname or host for host in site.hosts})  # an allowed host may name a port
    rules = [f"MAP {host} {addresses[0]}" for host in names if (addresses := addresses_of(dns, host))]
    return "--host-resolver-rules=" + ", ".join([*rules, "MAP * ~NOTFOUND", "EXCLUDE localhost"])


class RenderFilter:
    """The requests Chromium skips when rendering a page. Rendering is for text written by scripts: images,
    media and fonts only slow the page's load event (the crawl checks those resources on its own). A document
    of another origin is skipped too: a script redirect must not take the browser, and the page's facts, off
    the site (the redirect is one of the page's links, checked as such)."""

    def __init__(self, site: Site):
        self.origins = site_origins(site)

    def __call__(self, request) -> bool:
        if request.resource_type in ("image", "media", "font"):
            return True
        return request.resource_type == "document" and origin_of(request.url) not in self.origins
