"""What the IPv6 rules need to know about a site's names.

IPV6-1 looks at the host's AAAA record, IPV6-6 at the AAAA records of the name
servers of the host's zone. The lookups themselves (``lookup``, ``Lookup``) are
govmon.dns's, shared with the crawl.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from dataclasses import dataclass

import dns.resolver

from govmon.dns import Lookup, lookup

# The shortest domain whose NS records are looked for: "gov.cn", never "cn".
MIN_ZONE_LABELS = 2


@dataclass(frozen=True)
class SiteDns:
    """A host's A and AAAA, its zone's name servers and their addresses.

    zone is the first domain, walking up from the host, that has NS records; ns is
    that domain's NS lookup. When no domain has them, zone is None and ns is the last
    lookup tried, so its error says why. ns is None only for hosts with no domain
    to walk (IP literals, single labels).
    """

    host: str
    a: Lookup
    aaaa: Lookup
    zone: str | None
    ns: Lookup | None
    ns_aaaa: dict[str, Lookup]
    ns_a: dict[str, Lookup]

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def resolve_site(resolver: dns.resolver.Resolver, host: str) -> SiteDns:
    """Look up host's A and AAAA, find its zone's NS records, and look up each name server's AAAA and A.

    The walk up (www.x.gov.cn → x.gov.cn → gov.cn) goes on after "nxdomain" and
    "no_answer" only: after a timeout or a server failure a parent's name servers
    would be reported for a zone that could not be asked. It stops at two labels.
    An IP literal gets synthetic lookups (its own family answered, the other
    "no_answer") and no zone.
    """
    host = host.lower().rstrip(".")
    literal = _ip_literal(host)
    if literal is not None:
        address = str(literal)
        if literal.version == 4:
            a, aaaa = Lookup(address, "A", (address,), 0.0, None), Lookup(address, "AAAA", (), 0.0, "no_answer")
        else:
            a, aaaa = Lookup(address, "A", (), 0.0, "no_answer"), Lookup(address, "AAAA", (address,), 0.0, None)
        return SiteDns(address, a, aaaa, None, None, {}, {})
    a = lookup(resolver, host, "A")
    aaaa = lookup(resolver, host, "AAAA")
    zone, ns = None, None
    labels = host.split(".")
    for start in range(len(labels) - MIN_ZONE_LABELS + 1):
        candidate = ".".join(labels[start:])
        ns = lookup(resolver, candidate, "NS")
        if ns.values:
            zone = candidate
            break
        if ns.error not in ("nxdomain", "no_answer"):
            break
    servers = ns.values if zone is not None else ()
    return SiteDns(
        host,
        a,
        aaaa,
        zone,
        ns,
        {server: lookup(resolver, server, "AAAA") for server in servers},
        {server: lookup(resolver, server, "A") for server in servers},
    )


def _ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
