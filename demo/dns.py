"""A small authoritative DNS server on loopback, for the demo and the tests.

Names matter to the IPv6 probe (A, AAAA, NS and the name servers' AAAA), and no
query may leave this machine, so the demo and the tests answer their own names.
A name listed in ``silent`` gets no answer at all: a resolver timing out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dnslib import AAAA, NS, QTYPE, RCODE, RR, A, DNSRecord
from dnslib.server import BaseResolver, DNSHandler, DNSLogger, DNSServer

_TYPES = {"A": (QTYPE.A, A), "AAAA": (QTYPE.AAAA, AAAA), "NS": (QTYPE.NS, NS)}


@dataclass
class Zone:
    """Records by name (lowercase, no trailing dot) and type: {"www.x.gov.cn": {"A": ["127.0.0.1"]}}."""

    records: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    silent: set[str] = field(default_factory=set)

    def add(self, name: str, rtype: str, *values: str) -> Zone:
        self.records.setdefault(name.lower().rstrip("."), {}).setdefault(rtype, []).extend(values)
        return self


class _Resolver(BaseResolver):
    def __init__(self, zone: Zone):
        self.zone = zone

    def resolve(self, request: DNSRecord, handler):
        name = str(request.q.qname).lower().rstrip(".")
        if name in self.zone.silent:
            raise _NoReply
        reply = request.reply()
        records = self.zone.records.get(name)
        if records is None:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        qtype = QTYPE[request.q.qtype]
        if qtype in _TYPES:
            code, rdata = _TYPES[qtype]
            for value in records.get(qtype, []):
                reply.add_answer(RR(request.q.qname, code, rdata=rdata(value), ttl=60))
        return reply


class _NoReply(Exception):
    """Send nothing back: the client times out."""


class _Handler(DNSHandler):
    def handle(self) -> None:
        try:
            super().handle()
        except _NoReply:
            pass


_BIND_ATTEMPTS = 20


class LocalDNS:
    """UDP and TCP DNS on 127.0.0.1, on a port of its own; use as a context manager."""

    def __init__(self, zone: Zone):
        resolver = _Resolver(zone)
        quiet = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)
        for attempt in range(_BIND_ATTEMPTS):
            # UDP picks a free port; TCP must then get the same number, which another socket may hold already
            self.udp = DNSServer(resolver, address="127.0.0.1", port=0, logger=quiet, handler=_Handler)
            port = self.udp.server.server_address[1]
            try:
                self.tcp = DNSServer(resolver, address="127.0.0.1", port=port, tcp=True, logger=quiet,
                                     handler=_Handler)
                break
            except OSError:
                self.udp.server.server_close()
                if attempt == _BIND_ATTEMPTS - 1:
                    raise
        self.zone = zone
        self.address = f"127.0.0.1:{port}"

    def __enter__(self) -> LocalDNS:
        self.udp.start_thread()
        self.tcp.start_thread()
        return self

    def __exit__(self, *exc) -> None:
        for server in (self.udp, self.tcp):
            server.server.shutdown()
            server.server.server_close()
