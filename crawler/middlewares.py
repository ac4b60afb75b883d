"""Downloader middlewares that make the crawl polite to servers that push back."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.settings import BaseSettings

BACKOFF_STATUSES = frozenset({429, 503})


def pushed_back(response: Response) -> bool:
    """The server asks us to slow down: 429, or 503 with Retry-After (a 503 without it is an outage)."""
    return response.status == 429 or (response.status == 503 and b"Retry-After" in response.headers)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, but a 429 or 503 waits before its retry: Retry-After when the
    server sent it, else exponential backoff. Government sites answer a hurried
    crawler with exactly these statuses; retrying at once only gets us banned.

    The whole host slows down, not only the retried request: the download slot's delay
    is raised to the wait, as AutoThrottle raises it for a slow server (AutoThrottle,
    when on, brings it down again as the host answers). A URL still answering 429, or
    503 with Retry-After, after its retries is marked ``rate_limited`` in its meta: not
    judged, never a dead link (a 503 without Retry-After is an outage, and broken)."""

    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("GOVMON_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("GOVMON_BACKOFF_MAX", 60.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in BACKOFF_STATUSES or request.meta.get("dont_retry"):
            return super().process_response(request, response)
        retry = super().process_response(request, response)
        if isinstance(retry, Request):
            wait = self.delay(response, request.meta.get("retry_times", 0))
            self.slow_host(request, wait)
            await asyncio.sleep(wait)
        elif pushed_back(response):
            request.meta["rate_limited"] = True
        return retry

    def slow_host(self, request: Request, wait: float) -> None:
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        slot = downloader.slots.get(request.meta.get("download_slot") or "") if downloader else None
        if slot is not None and slot.delay < wait:
            slot.delay = wait

    def delay(self, response: Response, attempt: int) -> float:
        header = response.headers.get(b"Retry-After")
        wait = _retry_after_seconds(header.decode("latin-1")) if header else None
        if wait is None:
            wait = self.backoff_base * 2**attempt
        return min(max(wait, 0.0), self.backoff_max)


def _retry_after_seconds(value: str) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - datetime.now(UTC)).total_seconds()
