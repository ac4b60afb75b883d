"""Timed page loads over a chosen IP address, for the availability and IPv6 probes.

The TCP connection goes to the address given while the URL's host name goes in the
Host header, the TLS SNI and the certificate check, so the same URL can be loaded
over IPv4 and over IPv6 and each result belongs to one address. One deadline bounds
the whole fetch, redirects included: a server that accepts and then stalls, or drips
bytes, ends as "timeout" when the deadline passes.
"""

from __future__ import annotations

import dataclasses
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import SplitResult, urljoin, urlsplit

import dns.resolver
from w3lib.url import safe_url_string

from govmon.dns import Lookup, PinnedAddresses, find_addresses
from govmon.facts.document import Document, ExtractError
from govmon.facts.encoding import decode_html
from govmon.facts.title import extract_title
from govmon.origins import DEFAULT_PORTS, origin_of

DEFAULT_USER_AGENT = "govmon/0.1 (probe)"
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_READ_CHUNK = 65536
_TEXT_TYPES = ("text/", "html", "xml")


@dataclass
class Fetch:
    """One probe of a URL over one address.

    error_kind uses crawler/errors.py's vocabulary: dns_error, connection_refused,
    connection_reset, timeout, tls_error, too_large, redirect_loop, other.
    connect_ms and tls_ms are the durations of the last connection's TCP connect and
    TLS handshake; first_byte_ms and load_ms run from the start of the first connect
    (plus dns_ms when fetch resolved the host) to the final response's headers and to
    its last body byte, so they include the redirects followed. encoding, title and
    text describe a textual body (text: visible blocks, one per line).
    """

    url: str
    address: str | None = None
    family: int | None = None
    status: int | None = None
    final_url: str | None = None
    error_kind: str | None = None
    error_detail: str | None = None
    dns_ms: float | None = None
    connect_ms: float | None = None
    tls_ms: float | None = None
    first_byte_ms: float | None = None
    load_ms: float | None = None
    size: int | None = None
    content_type: str | None = None
    encoding: str | None = None
    title: str | None = None
    text: str | None = None
    body: bytes | None = None

    @property
    def ok(self) -> bool:
        return self.error_kind is None and self.status is not None and self.status < 400

    def as_dict(self) -> dict:
        """The JSON-serialisable fields (all but body)."""
        return {key: value for key, value in dataclasses.asdict(self).items() if key != "body"}


class _Stop(Exception):
    """The fetch ends for a reason of its own (too_large, redirect_loop, other), not a socket error."""

    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind = kind


class _Deadline:
    """Ends the fetch at a fixed time whatever the server does.

    A socket timeout bounds only each wait for data, so a server sending a byte a
    second never times out; at the deadline a timer shuts the open socket down,
    which wakes any blocked read.
    """

    def __init__(self, seconds: float):
        self.at = time.perf_counter() + seconds
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        left = self.at - time.perf_counter()
        if left <= 0:
            raise TimeoutError("the fetch's time is up")
        return left

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                _shut(self._sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    try:  # the plain socket's shutdown, also for an SSLSocket: wake the reader, skip the TLS goodbye
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


class _PinnedConnection(http.client.HTTPConnection):
    """HTTP, or HTTPS when given a TLS context, to a fixed address on behalf of the URL's host."""

    def __init__(self, host: str, port: int, address: str, deadline: _Deadline,
                 tls: ssl.SSLContext | None, result: Fetch):
        super().__init__(host, port)
        self.address = address
        self.deadline = deadline
        self.tls = tls
        self.result = result

    def connect(self) -> None:
        start = time.perf_counter()
        sock = socket.create_connection((self.address, self.port), self.deadline.remaining())
        self.deadline.watch(sock)
        self.result.connect_ms = _ms_since(start)
        if self.tls is not None:
            start = time.perf_counter()
            sock = self.tls.wrap_socket(sock, server_hostname=self.host, do_handshake_on_connect=False)
            self.deadline.watch(sock)
            sock.do_handshake()
            self.result.tls_ms = _ms_since(start)
        self.sock = sock


def fetch_via(
    url: str,
    address: str,
    timeout: float,
    *,
    user_agent: str = DEFAULT_USER_AGENT,
    max_bytes: int = 5_000_000,
    verify_tls: bool = True,
    cafile: str | None = None,
    max_redirects: int = 5,
    keep_body: bool = False,
) -> Fetch:
    """GET url from the server at address (an IPv4 or IPv6 literal), within timeout seconds in all.

    Redirects to the same server are followed over the same address: the same host
    and port, or http to https on their standard ports (as one site's origins, see
    govmon.origins); any other redirect ends the fetch with its 3xx status and
    final_url set to the Location. For https, SNI and the certificate
    check use the URL's host; verify_tls=False skips the check; cafile trusts only
    the CAs in that PEM file instead of the system's. Raises ValueError when
    address is not an IP literal.
    """
    ip = ipaddress.ip_address(address.strip("[]"))
    result = Fetch(url=url, address=str(ip), family=ip.version)
    deadline = _Deadline(timeout)
    try:
        _load(result, url, deadline, user_agent, max_bytes,
              _TLS(verify_tls, cafile), max_redirects, keep_body)
    except _Stop as stop:
        result.error_kind, result.error_detail = stop.kind, str(stop)
    except (OSError, http.client.HTTPException) as exc:
        result.error_kind = "timeout" if deadline.expired else _error_kind(exc)
        result.error_detail = f"{type(exc).__name__}: {exc}"
    finally:
        deadline.cancel()
    return result


def _load(result: Fetch, url: str, deadline: _Deadline, user_agent: str, max_bytes: int,
          tls: _TLS, max_redirects: int, keep_body: bool) -> None:
    started = time.perf_counter()
    headers = {
        "User-Agent": user_agent.encode("utf-8"),
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Connection": "close",
    }
    for _ in range(max_redirects + 1):
        url, parts, port = _parse(url)
        host = parts.hostname
        connection = _PinnedConnection(host, port, result.address, deadline,
                                       tls.context() if parts.scheme == "https" else None, result)
        try:
            connection.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                               headers=headers)
            response = connection.getresponse()
            result.first_byte_ms = _ms_since(started)
            result.status, result.final_url = response.status, url
            location = response.getheader("Location")
            if response.status in _REDIRECT_STATUSES and location:
                target = urljoin(url, location.strip())
                if _same_server(url, target):
                    url = target
                    continue
                result.final_url = target
            body = _read_body(response, max_bytes)
            if deadline.expired:  # the timer cut the body short
                raise TimeoutError("the fetch's time is up")
            result.load_ms = _ms_since(started)
        finally:
            connection.close()
        result.size = len(body)
        result.content_type = response.getheader("Content-Type")
        _describe(result, body)
        if keep_body:
            result.body = body
        return
    raise _Stop("redirect_loop", f"more than {max_redirects} redirects")


def _same_server(url: str, target: str) -> bool:
    here, there = origin_of(url), origin_of(target)
    if here is None or there is None or here[1] != there[1]:
        return False
    return here[2] == there[2] or (here[2] == DEFAULT_PORTS[here[0]] and there[2] == DEFAULT_PORTS[there[0]])


def _parse(url: str) -> tuple[str, SplitResult, int]:
    """(the URL made safe to send: percent-encoded, IDNA host; its parts; its port), or _Stop("other")."""
    try:
        safe = safe_url_string(url)
        parts = urlsplit(safe)
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except (KeyError, ValueError):
        raise _Stop("other", f"cannot fetch {url}") from None
    if not parts.hostname:
        raise _Stop("other", f"no host in {url}")
    return safe, parts, port


def _read_body(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    length = response.getheader("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise _Stop("too_large", f"Content-Length {length} is over {max_bytes} bytes")
    chunks, size = [], 0
    while chunk := response.read1(_READ_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise _Stop("too_large", f"body over {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _describe(result: Fetch, body: bytes) -> None:
    """Decode a textual body and take its title and visible text."""
    content_type = result.content_type
    if not body or (content_type and not any(kind in content_type.lower() for kind in _TEXT_TYPES)):
        return
    html, result.encoding = decode_html(body, content_type)
    try:
        document = Document(html, result.final_url or result.url)
    except ExtractError:
        return
    result.title = extract_title(document)
    result.text = "\n".join(block.text for block in document.blocks)


class _TLS:
    """The TLS settings of one fetch; the context (loading CA certificates) is made once, when https is met."""

    def __init__(self, verify: bool, cafile: str | None):
        self.verify = verify
        self.cafile = cafile
        self._context: ssl.SSLContext | None = None

    def context(self) -> ssl.SSLContext:
        if self._context is None:
            if self.verify:
                self._context = ssl.create_default_context(cafile=self.cafile)
            else:
                self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                self._context.check_hostname = False
                self._context.verify_mode = ssl.CERT_NONE
        return self._context


def _error_kind(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, ssl.SSLError):
        return "tls_error"
    if isinstance(exc, ConnectionRefusedError):
        return "connection_refused"
    if isinstance(exc, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError, http.client.IncompleteRead)):
        return "connection_reset"
    return "other"


def _ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def fetch(url: str, resolver: dns.resolver.Resolver, timeout: float, family: int | None = None, *,
          pinned: PinnedAddresses | None = None, **kw) -> Fetch:
    """Resolve the URL's host (A for family 4, AAAA for 6, None: A, then AAAA), then fetch_via the first address.

    IP literals and "localhost" (127.0.0.1 or ::1) are not looked up. pinned, when
    given, answers a host it found before without asking again (dns_ms None).
    timeout covers the lookups too: fetch_via gets what is left. kw goes to fetch_via.
    """
    host = urlsplit(url).hostname or ""
    address, lookups = _address(resolver, host, family, pinned)
    dns_ms = sum(found.elapsed_ms for found in lookups) if lookups else None
    if address is None:
        detail = "; ".join(f"{found.rtype}: {found.error}" for found in lookups) or f"no IPv{family} address in {host}"
        return Fetch(url=url, family=family, error_kind="dns_error", error_detail=detail, dns_ms=dns_ms)
    remaining = timeout - (dns_ms or 0) / 1000
    if remaining <= 0:
        return Fetch(url=url, family=family, error_kind="timeout", error_detail="DNS used the whole timeout",
                     dns_ms=dns_ms)
    result = fetch_via(url, address, remaining, **kw)
    if dns_ms is not None:
        result.dns_ms = dns_ms
        if result.first_byte_ms is not None:
            result.first_byte_ms += dns_ms
        if result.load_ms is not None:
            result.load_ms += dns_ms
    return result


def _address(resolver: dns.resolver.Resolver, host: str, family: int | None,
             pinned: PinnedAddresses | None) -> tuple[str | None, list[Lookup]]:
    """(address or None, the lookups made) for host in family."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        return (str(literal) if family in (None, literal.version) else None), []
    if host == "localhost":
        return ("::1" if family == 6 else "127.0.0.1"), []
    find = pinned.find if pinned is not None else find_addresses
    addresses, lookups = find(resolver, host, {4: ("A",), 6: ("AAAA",), None: ("A", "AAAA")}[family])
    return (addresses[0] if addresses else None), lookups
