"""Failed fetches are named in the findings' vocabulary, however Scrapy wraps Twisted's errors."""

from __future__ import annotations

from datetime import UTC

import pytest
from scrapy import exceptions as scrapy_errors
from scrapy.exceptions import IgnoreRequest
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

from govmon.crawler.errors import error_kind


def wrapped(outer: Exception, inner: Exception) -> Exception:
    try:
        try:
            raise inner
        except Exception as cause:
            raise outer from cause
    except Exception as exc:
        return exc


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (scrapy_errors.CannotResolveHostError("no such host"), "dns_error"),
        (net.DNSLookupError("x.invalid"), "dns_error"),
        (scrapy_errors.DownloadConnectionRefusedError("refused"), "connection_refused"),
        (wrapped(scrapy_errors.DownloadFailedError("failed"), net.ConnectionRefusedError()), "connection_refused"),
        (scrapy_errors.DownloadTimeoutError("took longer than 15.0 seconds"), "timeout"),
        (net.TCPTimedOutError(), "timeout"),
        (ResponseFailed([Failure(net.ConnectionLost())]), "connection_reset"),
        (scrapy_errors.DownloadFailedError("reset"), "connection_reset"),
        (scrapy_errors.ResponseDataLossError("truncated"), "connection_reset"),
        (wrapped(scrapy_errors.DownloadFailedError("tls"), net.SSLError()), "tls_error"),
        (IgnoreRequest("max redirections reached"), "redirect_loop"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots_blocked"),
        (ValueError("something else"), "other"),
    ],
)
def test_error_kinds(exc, kind):
    assert error_kind(Failure(exc))[0] == kind


def test_retry_after_is_read_as_seconds_or_http_date_and_capped():
    from datetime import datetime, timedelta
    from email.utils import format_datetime

    from scrapy.http import Response
    from scrapy.settings import Settings

    from govmon.crawler.middlewares import BackoffRetryMiddleware

    middleware = BackoffRetryMiddleware(Settings({"GOVMON_BACKOFF_BASE": 1.0, "GOVMON_BACKOFF_MAX": 60.0}))
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)

    def delay(retry_after: str | None, attempt: int = 0) -> float:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        return middleware.delay(Response("http://127.0.0.1/", status=503, headers=headers), attempt)

    assert delay("7") == 7.0
    assert 25 <= delay(later) <= 30
    assert delay("86400") == 60.0  # never wait longer than the cap
    assert (delay(None, 0), delay(None, 3)) == (1.0, 8.0)  # exponential backoff without Retry-After
    assert delay("soon", 1) == 2.0


@pytest.mark.parametrize(
    ("status", "location", "kind"),
    [(302, "ftp://example.com/", "unsupported_redirect"), (301, "file:README.md", "unsupported_redirect"),
     (307, "http://[bad", "unsupported_redirect"), (200, "ftp://example.com/", None), (302, None, None),
     (304, "/x", None), (300, "/x", None)],
)
def test_a_redirect_response_reaching_the_spider_was_not_followed(status, location, kind):
    from govmon.crawler.errors import unfollowed_redirect

    refused = unfollowed_redirect(status, location)
    assert (refused[0] if refused else None) == kind
    if refused:
        assert location in refused[1]


@pytest.mark.parametrize("kind", ["invalid_url", "unsupported_scheme", "unsupported_redirect"])
def test_unrequested_links_say_why_in_english_and_quote_the_url(kind):
    from govmon.facts.links import unrequested_detail

    detail = unrequested_detail(kind, "http://[bad")
    assert detail.endswith(": http://[bad") and detail.isascii()


@pytest.mark.parametrize(
    ("location", "followed"),
    [("/new.html", True), ("ftp://example.com/", False), ("file:README.md", False), ("http://[bad", False),
     ("http://localhost]/x", False), ("http://a.gov.cn:99999/", False)],
)
def test_redirects_a_browser_refuses_reach_the_spider_unfollowed(location, followed):
    """Scrapy raises ValueError on a Location it cannot parse; the middleware hands the response on instead."""
    from scrapy import Request
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from govmon.crawler.redirects import BrowserRedirectMiddleware

    middleware = BrowserRedirectMiddleware.from_crawler(get_crawler())
    request = Request("http://www.example.gov.cn/old.html")
    response = Response(request.url, status=302, headers={"Location": location}, request=request)
    result = middleware.process_response(request, response)
    assert isinstance(result, Request) is followed
    assert followed or result is response
