"""Downloader middlewares that make the crawl polite to servers that push back."""

from __future__ import annotations

import asyncio
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.settings import BaseSettings

BACKOFF_STATUSES = frozenset({429, 503})


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, but a 429 or 503 waits before its retry: Retry-After when the
    server sent it, else exponential backoff. Government sites answer a hurried
    crawler with exactly these statuses; retrying at once only gets us banned."""

    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("GOVMON_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("GOVMON_BACKOFF_MAX", 60.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in BACKOFF_STATUSES or request.meta.get("dont_retry"):
            return super().process_response(request, response)
        retry = super().process_response(request, response)
        if isinstance(retry, Request):
            attempt = request.meta.get("retry_times", 0)
            await asyncio.sleep(self.delay(response, attempt))
        return retry

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
        when = when.replace(tzinfo=timezone.utc)
    return (when - datetime.now(timezone.utc)).total_seconds()
