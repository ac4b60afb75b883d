"""The IPv6 probe: is the site really reachable over IPv6, homepage and deeper pages?

Resolves A, AAAA and NS (and the name servers' AAAA) with the configured DNS
server; loads the homepage by connecting to the AAAA address itself, with the
site's Host header and SNI, several times, and the same over IPv4; compares the
two; then loads the second- and third-level pages (depth 1 and 2 in the latest
crawl, or a small sample crawl over IPv4 when there is none) over IPv6. The IPv6
rules judge the stored measurements (checks.ipv6).
"""

from __future__ import annotations

import socket
import statistics
from concurrent.futures import ThreadPoolExecutor
from itertools import zip_longest
from urllib.parse import urlsplit

from sqlalchemy import select

from govmon.dns import make_resolver
from govmon.facts import canonical_url, extract_links
from govmon.facts.encoding import decode_html
from govmon.facts.links import ATTACHMENT_EXTENSIONS
from govmon.probes.compare import claims_ipv6, text_similarity
from govmon.probes.dns import resolve_site
from govmon.probes.http import Fetch, fetch_via
from govmon.registry import CrawlLimits
from govmon.store import Ipv6Probe, Page, Run, Store, utcnow

TIMINGS = ("connect_ms", "first_byte_ms", "load_ms")


def _summary(result: Fetch) -> dict:
    return {"status": result.status, "ok": result.ok, "error_kind": result.error_kind,
            "error_detail": result.error_detail, **{key: getattr(result, key) for key in TIMINGS}}


def _homepage(url: str, address: str | None, attempts: int, timeout: float, user_agent: str,
              max_bytes: int) -> tuple[dict, Fetch | None]:
    fetches = [fetch_via(url, address, timeout, keep_body=True, user_agent=user_agent, max_bytes=max_bytes)
               for _ in range(attempts)] if address else []
    successes = sum(f.ok for f in fetches)
    first_ok = next((f for f in fetches if f.ok), None)
    return {"address": address, "attempts": len(fetches), "successes": successes,
            "ratio": round(successes / len(fetches), 4) if fetches else None,
            "fetches": [_summary(f) for f in fetches]}, first_ok


def _median_timings(fetches: list[dict], dns_ms: float | None) -> dict:
    timings = {"dns_ms": dns_ms}
    for key in TIMINGS:
        values = [f[key] for f in fetches if f["ok"] and f[key] is not None]
        timings[key] = round(statistics.median(values), 1) if values else None
    return timings


def snapshot_pages(store: Store, site_id: str, host: str) -> tuple[int | None, list[str]]:
    """Second- and third-level pages (depth 1 and 2) of the site's latest crawl that loaded over IPv4, taken
    section by section in turn (/xwzx/, /hdjl/ …), so a sample cut short still covers every section rather
    than whichever the crawl reached first (a long news pager would otherwise fill it)."""
    with store.session() as session:
        run_id = session.scalar(select(Run.id).where(Run.site_id == site_id, Run.status != "running")
                                .order_by(Run.id.desc()).limit(1))
        if run_id is None:
            return None, []
        urls = session.scalars(select(Page.url).where(
            Page.run_id == run_id, Page.kind == "page", Page.depth.in_((1, 2)), Page.status == 200,
            Page.content_type.like("%html%")).order_by(Page.id)).all()
    sections: dict[str, list[str]] = {}
    for url in urls:
        if urlsplit(url).hostname == host:
            sections.setdefault(urlsplit(url).path.split("/")[1], []).append(url)
    return run_id, [url for turn in zip_longest(*sections.values()) for url in turn if url is not None]


def sample_pages(home: str, address: str, limit: int, timeout: float, user_agent: str, max_bytes: int) -> list[str]:
    """No crawl yet: follow the homepage's links two levels deep over IPv4, at most ``limit`` pages."""
    host = urlsplit(home).hostname
    found: list[str] = []
    seen = {canonical_url(home)}
    level = [home]
    for _depth in (1, 2):
        following: list[str] = []
        for page in level:
            result = fetch_via(page, address, timeout, keep_body=True, user_agent=user_agent, max_bytes=max_bytes)
            if not result.ok or not result.body or "html" not in (result.content_type or ""):
                continue
            text, _ = decode_html(result.body, result.content_type)
            for link in extract_links(text, result.final_url or page, frozenset(ATTACHMENT_EXTENSIONS)):
                key = canonical_url(link.url)
                if link.kind == "page" and urlsplit(link.url).hostname == host and key not in seen:
                    seen.add(key)
                    following.append(link.url)
        found += following
        if len(found) >= limit:
            break
        level = following
    return found[:limit]


def has_ipv6_route(address: str) -> bool:
    """Whether this machine can reach ``address`` over IPv6 at all (a UDP connect sends nothing).
    Without a route every IPv6 load fails, and that is the monitor's fault, not the site's."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as probe:
            probe.connect((address, 53))
    except OSError:
        return False
    return True


def measure_ipv6(url: str, timeout: float, attempts: int, max_pages: int, resolver: str | None,
                 pages: list[str] | None, concurrency: int, user_agent: str, max_bytes: int,
                 pages_source: dict | None = None) -> dict:
    """Everything the IPv6 rules judge, as a JSON-serialisable dict (documented in docs/probe-json.md): the
    homepage loaded ``attempts`` times over each stack, at most ``max_pages`` deeper pages over IPv6, each fetch
    within ``timeout`` seconds and of at most max_bytes (the site's crawl.max_page_bytes)."""
    host = urlsplit(url).hostname
    site_dns = resolve_site(make_resolver(resolver, timeout), host)
    v4 = site_dns.a.values[0] if site_dns.a.values else None
    v6 = site_dns.aaaa.values[0] if site_dns.aaaa.values else None
    local_route = has_ipv6_route(v6) if v6 else None
    if local_route is False:
        v6 = None  # nothing over IPv6 can be judged from here
    home4, page4 = _homepage(url, v4, attempts, timeout, user_agent, max_bytes)
    home6, page6 = _homepage(url, v6, attempts, timeout, user_agent, max_bytes)
    comparison = None
    if page4 and page6:
        comparison = {"status_v4": page4.status, "status_v6": page6.status, "title_v4": page4.title,
                      "title_v6": page6.title, "similarity": round(text_similarity(page4.text, page6.text), 4)}
    claim = None
    if page4 or page6:
        shown = page4 or page6
        claim = claims_ipv6(decode_html(shown.body, shown.content_type)[0]) if shown.body else None
    pages_result = None
    if v6:
        if pages is None:
            pages = sample_pages(url, v4, max_pages, timeout, user_agent, max_bytes) if v4 else []
            pages_source = {"source": "sample"}
        targets = pages[:max_pages]
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            results = list(pool.map(lambda page: fetch_via(page, v6, timeout, user_agent=user_agent,
                                                           max_bytes=max_bytes), targets))
        failing = [{"url": page, **_summary(r)} for page, r in zip(targets, results) if not r.ok]
        ok = len(targets) - len(failing)
        pages_result = {**(pages_source or {}), "total": len(targets), "ok": ok,
                        "ratio": round(ok / len(targets), 4) if targets else None, "failing": failing}
    lookups = [site_dns.a, site_dns.aaaa, site_dns.ns, *site_dns.ns_aaaa.values()]
    # a name the DNS server says does not exist is a wrong URL or the wrong server, not a site without IPv6
    host_exists = not (site_dns.a.error == "nxdomain" and not site_dns.aaaa.values)
    complete = host_exists and local_route is not False and not any(
        lookup is not None and lookup.error == "timeout" for lookup in lookups)
    return {
        "url": url, "host": host, "resolver": resolver, "complete": complete, "host_exists": host_exists,
        "local_ipv6_route": local_route,
        "dns": site_dns.as_dict(),
        "homepage": {"ipv4": home4, "ipv6": home6},
        "comparison": comparison,
        "pages": pages_result,
        "timings": {"ipv4": _median_timings(home4["fetches"], site_dns.a.elapsed_ms),
                    "ipv6": _median_timings(home6["fetches"], site_dns.aaaa.elapsed_ms)},
        "claim": claim,
    }


def probe_ipv6(store: Store, site_id: str, url: str, timeout: float, attempts: int, max_pages: int,
               resolver: str | None = None, concurrency: int = 4, user_agent: str = "govmon/0.1 (ipv6 probe)",
               max_bytes: int = CrawlLimits().max_page_bytes) -> Ipv6Probe:
    """Measure (see measure_ipv6), store the probe and return it; ``max_bytes`` is the site's
    crawl.max_page_bytes (the registry's default for a URL of no site)."""
    started = utcnow()
    run_id, pages = snapshot_pages(store, site_id, urlsplit(url).hostname or "")
    source = {"source": "snapshot", "run_id": run_id} if run_id is not None else None
    measurements = measure_ipv6(url, timeout, attempts, max_pages, resolver, pages if run_id is not None else None,
                                concurrency, user_agent, max_bytes, source)
    with store.session.begin() as session:
        probe = Ipv6Probe(site_id=site_id, url=url, started_at=started, finished_at=utcnow(),
                          status="complete" if measurements["complete"] else "incomplete", measurements=measurements)
        session.add(probe)
    return probe
