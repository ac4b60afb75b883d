"""A hostile DNS server against the crawl and the verification of citizens' reports: it answers the site's name
with the site first and with another address later (DNS rebinding). Every fetch must still go where the first
answer said. The other address, 127.0.0.2, is a real server on the site's port that records what it is asked."""

from __future__ import annotations

import threading
from collections import Counter

import pytest_twisted
from dnslib import AAAA, QTYPE, RCODE, RR, A
from dnslib.server import BaseResolver, DNSLogger, DNSServer

from govmon.crawler.resolver import addresses_of
from govmon.crawler.run import schedule_crawl
from govmon.dns import PinnedAddresses, make_resolver
from govmon.probes.http import fetch
from tests.servers import SiteServer, html, on_both_stacks
from tests.test_citizen_verify import add_report, broken, doc, registry_for, verify
from tests.test_crawl import fetched

NAME = "www.rebind.gov.cn"
SITE, ELSEWHERE = "127.0.0.1", "127.0.0.2"
SECRET = "password=hunter2"
TIMEOUT = 2.0
_RECORDS = {"A": (QTYPE.A, A), "AAAA": (QTYPE.AAAA, AAAA)}


class _Rebinding(BaseResolver):
    """Answers NAME's n-th query of a type with answers[type][n], the last one ever after (None: no record, TTL 0
    so that no cache may keep an answer); any other name does not exist. Counts the queries of each type."""

    def __init__(self, answers: dict[str, list[str | None]]):
        self.answers = answers
        self.asked: Counter[str] = Counter()
        self.lock = threading.Lock()

    def resolve(self, request, handler):
        reply = request.reply()
        if str(request.q.qname).lower().rstrip(".") != NAME:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        rtype = QTYPE[request.q.qtype]
        with self.lock:
            answers = self.answers.get(rtype, [None])
            value = answers[min(self.asked[rtype], len(answers) - 1)]
            self.asked[rtype] += 1
        if value is not None:
            code, rdata = _RECORDS[rtype]
            reply.add_answer(RR(request.q.qname, code, rdata=rdata(value), ttl=0))
        return reply


class RebindingDNS:
    """The rebinding resolver over UDP on 127.0.0.1; use as a context manager."""

    def __init__(self, answers: dict[str, list[str | None]]):
        self.resolver = _Rebinding(answers)
        quiet = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)
        self.server = DNSServer(self.resolver, address="127.0.0.1", port=0, logger=quiet)
        self.address = f"127.0.0.1:{self.server.server.server_address[1]}"

    @property
    def asked(self) -> Counter[str]:
        return self.resolver.asked

    def __enter__(self) -> RebindingDNS:
        self.server.start_thread()
        return self

    def __exit__(self, *exc) -> None:
        self.server.server.shutdown()
        self.server.server.server_close()


def rebinding() -> RebindingDNS:
    """The site's address for the first A query, the other server's for every later one."""
    return RebindingDNS({"A": [SITE, ELSEWHERE]})


def site_and_elsewhere(routes: dict) -> tuple[SiteServer, SiteServer]:
    """The site on 127.0.0.1 and, on the same port of 127.0.0.2, a server answering anything with a secret."""
    secret = html(doc("内部服务", f"<p>{SECRET}</p>"))
    return on_both_stacks(lambda port: SiteServer(routes, port=port),
                          lambda port: SiteServer({}, fallback=secret, host=ELSEWHERE, port=port))


def articles(count: int) -> dict:
    """A homepage linking to count articles, each linking to the next."""
    links = "".join(f'<li><a href="/a{n}.html">第{n}篇</a></li>' for n in range(count))
    routes = {"/": html(doc("测试市人民政府", f"<ul>{links}</ul>"))}
    routes.update({f"/a{n}.html": html(doc(f"第{n}篇", f'<a href="/a{(n + 1) % count}.html">下一篇</a>'))
                   for n in range(count)})
    return routes


@pytest_twisted.ensureDeferred
async def test_a_crawl_goes_only_where_the_first_answer_said(store, db_url, make_site):
    site_server, other = site_and_elsewhere(articles(12))
    with site_server, other, rebinding() as dns:
        home = f"http://{NAME}:{site_server.port}/"
        run = await schedule_crawl(store, make_site(home), db_url, dns.address)
    assert other.hits == []  # nothing of the crawl reached 127.0.0.2
    assert run.status == "complete"
    pages = fetched(store, run.id)
    assert all(pages[f"{home}a{n}.html"].title == f"第{n}篇" for n in range(12))
    assert dns.asked["A"] == 1  # the name was looked up once, for every connection of the crawl


def test_a_reports_verification_fetches_the_page_and_its_links_only_where_the_first_answer_said(store, tmp_path):
    site_server, other = site_and_elsewhere(articles(12))
    with site_server, other, rebinding() as dns:
        home = f"http://{NAME}:{site_server.port}/"
        add_report(store, "rebind", home, "内容无法访问")
        (result,) = verify(store, registry_for(tmp_path, home, dns.address)).values()
    assert other.hits == []
    assert result.check.evidence["live"]["status"] == 200
    assert broken(result) == {}  # all twelve articles answered, from the site
    assert result.check.verdict == "not_reproduced"
    assert dns.asked["A"] == 1


def test_a_name_found_over_ipv6_first_stays_there_when_an_ipv4_address_appears():
    """The crawl's A-else-AAAA choice is pinned whole: a later A answer cannot move an IPv6-only name."""
    with RebindingDNS({"A": [None, ELSEWHERE], "AAAA": ["::1"]}) as dns:
        resolver, pinned = make_resolver(dns.address, TIMEOUT), PinnedAddresses()
        assert [addresses_of(resolver, NAME, pinned) for _ in range(3)] == [("::1",)] * 3
        assert addresses_of(resolver, NAME) == (ELSEWHERE,)  # unpinned, the name has moved
    assert (dns.asked["A"], dns.asked["AAAA"]) == (2, 1)


def test_a_failed_lookup_is_not_pinned_and_a_later_fetch_finds_the_site():
    with SiteServer({"/": html(doc("首页"))}) as site_server, RebindingDNS({"A": [None, SITE, ELSEWHERE]}) as dns:
        resolver, pinned = make_resolver(dns.address, TIMEOUT), PinnedAddresses()
        url = f"http://{NAME}:{site_server.port}/"
        first, second, third = (fetch(url, resolver, TIMEOUT, pinned=pinned) for _ in range(3))
    assert (first.error_kind, first.error_detail) == ("dns_error", "A: no_answer; AAAA: no_answer")
    assert (second.address, second.status, second.dns_ms is not None) == (SITE, 200, True)
    assert (third.address, third.status, third.dns_ms) == (SITE, 200, None)  # pinned: not asked again
    assert dns.asked["A"] == 2
