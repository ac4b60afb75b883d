"""Resolve a crawl's host names once each: every connection goes where the first answer said, however the DNS
server answers later (DNS rebinding), so a crawl never reaches an address the site's names did not resolve to.

With ``[settings] resolver = "HOST:PORT"`` the names are asked of that DNS server only, never the system's: sites
behind a local or split-horizon DNS, and the demo and tests, whose names exist only on a DNS server of their own;
without it, of the system (getaddrinfo). IP literals and ``localhost`` need no DNS.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from twisted.internet._resolver import HostResolution
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from twisted.internet.threads import deferToThreadPool
from zope.interface import implementer

from govmon.dns import PinnedAddresses, find_addresses, make_resolver

LOCAL = {"localhost": ("127.0.0.1",)}


def addresses_of(resolver, host: str, pinned: PinnedAddresses | None = None) -> tuple[str, ...]:
    """The IPv4 addresses, or the IPv6 ones when there are none; pinned's, when it found host before.

    Not both: given both, Twisted races the two stacks (happy eyeballs), so on a
    busy machine some pages would come over IPv6 and others over IPv4, and a
    section that fails over IPv6 only would look broken or not by chance. The
    crawl judges content over one stack; IPv6 is the IPv6 probe's to judge.
    """
    host = host.strip("[]")
    try:
        return (str(ipaddress.ip_address(host)),)
    except ValueError:
        pass
    if host.lower() in LOCAL:
        return LOCAL[host.lower()]
    find = pinned.find if pinned is not None else find_addresses
    return find(resolver, host, ("A", "AAAA"))[0]


@implementer(IHostnameResolver)
class PinnedResolver:
    def __init__(self, reactor, address: str | None, timeout: float):
        self.reactor = reactor
        self.resolver = make_resolver(address, timeout) if address else None
        self.pinned = PinnedAddresses()  # looked up in the reactor's thread pool, so it must be thread-safe
        self.previous = None

    @classmethod
    def from_crawler(cls, crawler, reactor) -> PinnedResolver:
        return cls(reactor, crawler.settings["GOVMON_RESOLVER"], crawler.settings.getfloat("DNS_TIMEOUT"))

    def install_on_reactor(self) -> None:
        self.previous = self.reactor.installNameResolver(self)

    def uninstall(self) -> None:
        if self.previous is not None:
            self.reactor.installNameResolver(self.previous)

    def resolveHostName(self, receiver: IResolutionReceiver, hostName: str, portNumber: int = 0,
                        addressTypes: Sequence[type] | None = None, transportSemantics: str = "TCP"):
        receiver.resolutionBegan(HostResolution(hostName))
        pool = self.reactor.getThreadPool()
        deferred = deferToThreadPool(self.reactor, pool, addresses_of, self.resolver, hostName, self.pinned)

        def deliver(addresses: tuple[str, ...]) -> None:
            for address in addresses:
                kind = IPv6Address if ":" in address else IPv4Address
                if addressTypes is None or kind in addressTypes:
                    receiver.addressResolved(kind("TCP", address, portNumber))

        deferred.addCallback(deliver)
        deferred.addBoth(lambda _: receiver.resolutionComplete())
        return receiver
