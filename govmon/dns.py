"""Name lookups that crawling and measuring share: a resolver asking one DNS server, timed lookups, pinned answers.

Lookups never raise for DNS failures: a failure is a result, named in ``Lookup.error``. :class:`PinnedAddresses`
keeps a name's first answer, so that a fetch goes only where the site's names first resolved to.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from dataclasses import dataclass

import dns.exception
import dns.name
import dns.resolver


def make_resolver(address: str | None, timeout: float) -> dns.resolver.Resolver:
    """A resolver asking only the server at address ("HOST:PORT", "HOST" for port 53, "[::1]:5353").

    None uses the system's configuration. timeout is the lifetime of one lookup,
    retries included. Answers are not cached, so every probe asks again.
    """
    if address is None:
        resolver = dns.resolver.Resolver()
    else:
        host, port = _server(address)
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [host]
        resolver.port = port
    resolver.timeout = timeout
    resolver.lifetime = timeout
    resolver.cache = None
    return resolver


def _server(address: str) -> tuple[str, int]:
    if address.startswith("["):
        host, _, rest = address[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else 53
    if address.count(":") == 1:
        host, port = address.split(":")
        return host, int(port)
    return address, 53  # an IPv4 address or a bare IPv6 address


@dataclass(frozen=True)
class Lookup:
    """One query's outcome: values are addresses, or NS host names without the trailing dot.

    error: None, "nxdomain", "no_answer", "timeout", "servfail", "no_nameservers" or "other".
    """

    name: str
    rtype: str
    values: tuple[str, ...]
    elapsed_ms: float
    error: str | None

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def lookup(resolver: dns.resolver.Resolver, name: str, rtype: str) -> Lookup:
    """Query name for rtype ("A", "AAAA" or "NS") and time it; DNS failures become Lookup.error."""
    start = time.perf_counter()
    values: tuple[str, ...] = ()
    error: str | None = None
    try:
        answer = resolver.resolve(dns.name.from_text(name), rtype, search=False, raise_on_no_answer=False)
        if answer.rrset is None:
            error = "no_answer"
        elif rtype == "NS":
            values = tuple(record.target.to_text(omit_final_dot=True).lower() for record in answer.rrset)
        else:
            values = tuple(record.address for record in answer.rrset)
    except dns.resolver.NXDOMAIN:
        error = "nxdomain"
    except dns.resolver.NoAnswer:
        error = "no_answer"
    except dns.exception.Timeout:
        error = "timeout"
    except dns.resolver.NoNameservers as exc:
        errors = exc.kwargs.get("errors") or []
        error = "servfail" if any(entry[3] == "SERVFAIL" for entry in errors) else "no_nameservers"
    except dns.exception.DNSException:
        error = "other"
    return Lookup(name, rtype, values, (time.perf_counter() - start) * 1000, error)


def find_addresses(resolver: dns.resolver.Resolver | None, name: str,
                   rtypes: tuple[str, ...]) -> tuple[tuple[str, ...], list[Lookup]]:
    """(the addresses of the first of rtypes ("A", "AAAA") that has any, or (); the lookups made, in order).

    resolver None asks the system (getaddrinfo: /etc/hosts, then its DNS), as a crawl without ``[settings]
    resolver`` does; such lookups are not timed, so none is listed."""
    if resolver is None:
        return _system_addresses(name, rtypes), []
    lookups: list[Lookup] = []
    for rtype in rtypes:
        found = lookup(resolver, name, rtype)
        lookups.append(found)
        if found.values:
            return found.values, lookups
    return (), lookups


def _system_addresses(name: str, rtypes: tuple[str, ...]) -> tuple[str, ...]:
    families = {"A": socket.AF_INET, "AAAA": socket.AF_INET6}
    for rtype in rtypes:
        try:
            answers = socket.getaddrinfo(name, None, families[rtype], socket.SOCK_STREAM)
        except OSError:  # socket.gaierror: no such name, or none of this family
            continue
        addresses = tuple(dict.fromkeys(str(answer[4][0]) for answer in answers))
        if addresses:
            return addresses
    return ()


class PinnedAddresses:
    """find_addresses, but a name found once keeps its first addresses for as long as this object lives.

    One lives for one piece of work (a crawl, a report's verification), so a DNS server that answers a site's
    name with the site first and with another address later (DNS rebinding: 127.0.0.1, an internal host)
    cannot send the later requests there. Threads asking for one name at once wait for a single lookup, or
    each would get an answer of its own. A lookup that finds nothing is not kept: the next one asks again,
    and may be the first to find the name.
    """

    def __init__(self):
        self._found: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
        self._locks: dict[tuple[str, tuple[str, ...]], threading.Lock] = {}
        self._guard = threading.Lock()

    def find(self, resolver: dns.resolver.Resolver | None, name: str,
             rtypes: tuple[str, ...]) -> tuple[tuple[str, ...], list[Lookup]]:
        """As find_addresses; a pinned name comes back with no lookups, for none was made."""
        key = (name.lower().rstrip("."), rtypes)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key in self._found:
                return self._found[key], []
            addresses, lookups = find_addresses(resolver, name, rtypes)
            if addresses:
                self._found[key] = addresses
            return addresses, lookups
