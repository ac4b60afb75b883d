"""A server that pushes back (429, or 503 with Retry-After) slows the whole host, and a URL it still refuses
after the retries is "not judged (rate limited)", never a dead link."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest_twisted
from scrapy import Request, Spider
from scrapy.core.downloader import Slot
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from govmon.crawler.middlewares import BackoffRetryMiddleware, pushed_back


def answered(coroutine):
    """Run a middleware coroutine on the reactor's asyncio loop (the one Scrapy runs it on)."""
    return Deferred.fromFuture(asyncio.ensure_future(coroutine))


def middleware_on(slot: Slot, retries: int) -> BackoffRetryMiddleware:
    """The middleware of a real crawler whose downloader has the host's slot (the engine is not started)."""
    crawler = get_crawler(Spider, {"RETRY_TIMES": retries, "GOVMON_BACKOFF_BASE": 0.01})
    crawler.spider = crawler._create_spider("site")
    crawler.engine = SimpleNamespace(downloader=SimpleNamespace(slots={"h": slot}))
    return BackoffRetryMiddleware.from_crawler(crawler)


@pytest_twisted.ensureDeferred
async def test_a_retry_after_raises_the_delay_of_the_whole_host() -> None:
    slot = Slot(concurrency=4, delay=0.0, jitter=0)
    request = Request("http://h/busy.html", meta={"download_slot": "h"})
    answer = Response(request.url, status=429, headers={"Retry-After": "1"}, request=request)
    retry = await answered(middleware_on(slot, retries=1).process_response(request, answer))
    assert isinstance(retry, Request) and slot.delay == 1.0  # every request to the host waits, not only this one


@pytest_twisted.ensureDeferred
async def test_a_url_still_pushed_back_after_its_retries_is_marked_rate_limited() -> None:
    slot = Slot(concurrency=4, delay=0.5, jitter=0)
    request = Request("http://h/busy.html", meta={"download_slot": "h", "retry_times": 1})
    answer = Response(request.url, status=429, request=request)
    result = await answered(middleware_on(slot, retries=1).process_response(request, answer))
    assert result is answer and request.meta["rate_limited"] is True


def test_only_429_and_503_with_retry_after_are_a_server_pushing_back() -> None:
    assert pushed_back(Response("http://h/", status=429))
    assert pushed_back(Response("http://h/", status=503, headers={"Retry-After": "5"}))
    assert not pushed_back(Response("http://h/", status=503))  # an outage: the link is broken
    assert not pushed_back(Response("http://h/", status=404))
