"""Name why a fetch failed, in the vocabulary that findings and reports use.

Kinds: dns_error, connection_refused, connection_reset, timeout, redirect_loop,
tls_error, robots_blocked, too_large, other; unsupported_redirect (an HTTP redirect to
ftp:, file: or a malformed Location, or a page's refresh or script redirect to ftp: or
file:, which browsers do not follow); and, for links never requested because no browser
can follow them, invalid_url (a malformed URL) and unsupported_scheme (a file: or drive
path on the author's computer), explained by govmon.facts.links.unrequested_detail.
HTTP errors are not failures here: they arrive as responses and are named
``http_<status>`` by the checks.
"""

from __future__ import annotations

from collections.abc import Iterator

from scrapy import exceptions as scrapy_errors
from scrapy.exceptions import IgnoreRequest
from service_identity import VerificationError
from twisted.internet import error as net
from twisted.internet.defer import TimeoutError as DeferTimeout
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

try:  # present whenever Twisted has TLS support
    from OpenSSL.SSL import Error as SSLError
except ImportError:  # pragma: no cover
    SSLError = net.SSLError

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})  # the ones Scrapy's RedirectMiddleware follows

_KINDS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((SSLError, net.SSLError), "tls_error"),
    ((scrapy_errors.CannotResolveHostError, net.DNSLookupError), "dns_error"),
    ((scrapy_errors.DownloadConnectionRefusedError, net.ConnectionRefusedError), "connection_refused"),
    ((scrapy_errors.DownloadTimeoutError, net.TimeoutError, net.TCPTimedOutError, DeferTimeout, TimeoutError), "timeout"),
    ((scrapy_errors.DownloadCancelledError,), "too_large"),
    ((net.ConnectionLost, net.ConnectionDone, ConnectionResetError, net.ConnectionAborted,
      scrapy_errors.ResponseDataLossError), "connection_reset"),
)


def error_kind(failure: Failure) -> tuple[str, str]:
    """(kind, human-readable detail) for a failed request."""
    exc = failure.value
    detail = f"{type(exc).__name__}: {exc}".strip()
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "redirect" in text:
            return "redirect_loop", text
        if "robots.txt" in text:
            return "robots_blocked", text
        return "other", text
    causes = list(_causes(exc))
    if any(isinstance(cause, VerificationError) for cause in causes):
        # a certificate for another name: Twisted loses the connection after service_identity refuses it
        return "tls_error", detail
    for cause in causes:  # the most specific cause that has a name wins
        for types, kind in _KINDS:
            if isinstance(cause, types):
                return kind, detail
    if isinstance(exc, (ResponseFailed, ResponseNeverReceived, scrapy_errors.DownloadFailedError)):
        return "connection_reset", detail
    return "other", detail


def unfollowed_redirect(status: int, location: str | None) -> tuple[str, str] | None:
    """(unsupported_redirect, detail) for a redirect response that reached the spider: Scrapy's
    RedirectMiddleware hands back, unfollowed, one whose Location is not http(s) (ftp:, file:, …),
    and a browser refuses it as well."""
    if status not in REDIRECT_STATUSES or not location:
        return None
    return "unsupported_redirect", f"HTTP {status} redirects to {location}, which browsers do not follow"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what it wraps, innermost last (Scrapy 2.19 wraps Twisted's errors)."""
    pending, seen = [exc], set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending += [c for c in (current.__cause__, current.__context__) if c is not None]
        pending += [reason.value for reason in getattr(current, "reasons", ()) or ()]
