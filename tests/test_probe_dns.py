"""DNS lookups and a site's names, answered by real DNS servers on 127.0.0.1 (never the system resolver)."""

from __future__ import annotations

import json

import pytest
from dnslib import RCODE
from dnslib.server import BaseResolver, DNSLogger, DNSServer

from govmon.demo.dns import LocalDNS, Zone
from govmon.dns import lookup, make_resolver
from govmon.probes.dns import resolve_site

TIMEOUT = 1.0
SHORT_TIMEOUT = 0.3  # for the silent name: every lookup of it waits this long


@pytest.fixture(scope="module")
def dns_server():
    zone = (
        Zone()
        .add("www.x.gov.cn", "A", "127.0.0.1")
        .add("www.x.gov.cn", "AAAA", "::1")
        .add("x.gov.cn", "NS", "ns1.x.gov.cn.", "ns2.dns.example.cn.")
        .add("ns1.x.gov.cn", "A", "127.0.0.53")
        .add("ns1.x.gov.cn", "AAAA", "::53")
        .add("ns2.dns.example.cn", "A", "127.0.0.54")
        .add("v4only.x.gov.cn", "A", "127.0.0.1")
        .add("www.nozone.gov.cn", "A", "127.0.0.1")
        .add("cn", "NS", "a.dns.cn.")
    )
    zone.silent.add("silent.x.gov.cn")
    with LocalDNS(zone) as server:
        yield server


@pytest.fixture
def resolver(dns_server):
    return make_resolver(dns_server.address, TIMEOUT)


@pytest.fixture
def impatient(dns_server):
    return make_resolver(dns_server.address, SHORT_TIMEOUT)


def test_make_resolver_asks_only_the_given_server():
    ipv4 = make_resolver("127.0.0.1:5353", 2.0)
    assert (ipv4.nameservers, ipv4.port, ipv4.lifetime) == (["127.0.0.1"], 5353, 2.0)
    ipv6 = make_resolver("[::1]:5353", 2.0)
    assert (ipv6.nameservers, ipv6.port) == (["::1"], 5353)
    default_port = make_resolver("127.0.0.1", 2.0)
    assert (default_port.nameservers, default_port.port) == (["127.0.0.1"], 53)


def test_lookup_returns_addresses_and_name_servers(resolver):
    a = lookup(resolver, "www.x.gov.cn", "A")
    assert (a.values, a.error, a.rtype, a.name) == (("127.0.0.1",), None, "A", "www.x.gov.cn")
    assert a.elapsed_ms > 0
    assert lookup(resolver, "www.x.gov.cn", "AAAA").values == ("::1",)
    assert set(lookup(resolver, "x.gov.cn", "NS").values) == {"ns1.x.gov.cn", "ns2.dns.example.cn"}


def test_lookup_names_each_failure(impatient):
    missing_aaaa = lookup(impatient, "v4only.x.gov.cn", "AAAA")
    assert (missing_aaaa.values, missing_aaaa.error) == ((), "no_answer")
    assert lookup(impatient, "nothere.x.gov.cn", "A").error == "nxdomain"
    assert lookup(impatient, "silent.x.gov.cn", "A").error == "timeout"


class _Refusing(BaseResolver):
    """Answers every query with one error code."""

    def __init__(self, rcode: int):
        self.rcode = rcode

    def resolve(self, request, handler):
        reply = request.reply()
        reply.header.rcode = self.rcode
        return reply


@pytest.mark.parametrize(("rcode", "error"), [(RCODE.SERVFAIL, "servfail"), (RCODE.REFUSED, "no_nameservers")])
def test_lookup_names_server_failures(rcode, error):
    quiet = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)
    server = DNSServer(_Refusing(rcode), address="127.0.0.1", port=0, logger=quiet)
    server.start_thread()
    try:
        address = f"127.0.0.1:{server.server.server_address[1]}"
        assert lookup(make_resolver(address, TIMEOUT), "www.x.gov.cn", "A").error == error
    finally:
        server.server.shutdown()
        server.server.server_close()


def test_resolve_site_walks_up_to_the_zone_and_looks_up_its_name_servers(resolver):
    site = resolve_site(resolver, "WWW.X.gov.cn.")
    assert site.host == "www.x.gov.cn"
    assert (site.a.values, site.aaaa.values) == (("127.0.0.1",), ("::1",))
    assert site.zone == "x.gov.cn"
    assert site.ns.name == "x.gov.cn"
    assert set(site.ns_aaaa) == set(site.ns_a) == {"ns1.x.gov.cn", "ns2.dns.example.cn"}
    assert site.ns_aaaa["ns1.x.gov.cn"].values == ("::53",)
    assert site.ns_aaaa["ns2.dns.example.cn"].error == "no_answer"  # a name server without IPv6 (IPV6-6)
    assert site.ns_a["ns2.dns.example.cn"].values == ("127.0.0.54",)
    assert json.loads(json.dumps(site.as_dict()))["ns_aaaa"]["ns1.x.gov.cn"]["values"] == ["::53"]


def test_resolve_site_without_aaaa(resolver):
    site = resolve_site(resolver, "v4only.x.gov.cn")
    assert (site.a.error, site.aaaa.error, site.zone) == (None, "no_answer", "x.gov.cn")


def test_resolve_site_stops_at_two_labels(resolver):
    site = resolve_site(resolver, "www.nozone.gov.cn")  # "cn" has NS records, but is never asked
    assert site.zone is None
    assert (site.ns.name, site.ns.error) == ("gov.cn", "nxdomain")
    assert site.ns_aaaa == site.ns_a == {}


def test_resolve_site_stops_walking_when_dns_fails(impatient):
    site = resolve_site(impatient, "silent.x.gov.cn")  # x.gov.cn has NS records, but could not be reached from here
    assert (site.a.error, site.zone, site.ns.name, site.ns.error) == ("timeout", None, "silent.x.gov.cn", "timeout")


@pytest.mark.parametrize(
    ("host", "a", "aaaa"),
    [("127.0.0.1", ("127.0.0.1",), ()), ("::1", (), ("::1",)), ("[::1]", (), ("::1",))],
)
def test_resolve_site_of_an_ip_literal_asks_nothing(host, a, aaaa):
    site = resolve_site(make_resolver("127.0.0.1:9", TIMEOUT), host)  # port 9: nothing would answer
    assert (site.a.values, site.aaaa.values, site.zone, site.ns) == (a, aaaa, None, None)
    assert {site.a.error, site.aaaa.error} == {None, "no_answer"}
    assert site.a.elapsed_ms == site.aaaa.elapsed_ms == 0
