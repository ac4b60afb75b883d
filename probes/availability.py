"""The availability probe: one timed, complete load of a site's homepage, stored.

A function the scheduler can call (at least 20 a day per site for AVAIL-1); the
command line runs it once or repeatedly. AVAIL-1 judges the stored probes
(checks.availability).
"""

from __future__ import annotations

from govmon.dns import make_resolver
from govmon.probes.http import fetch
from govmon.registry import Site
from govmon.store import AvailabilityProbe, Store, utcnow


def probe_availability(store: Store, site: Site, load_timeout: float, resolver: str | None = None) -> AvailabilityProbe:
    """Load the homepage once, within load_timeout seconds for the load to count as complete, and store it."""
    at = utcnow()
    result = fetch(site.home, make_resolver(resolver, load_timeout), load_timeout, user_agent=site.crawl.user_agent,
                   max_bytes=site.crawl.max_page_bytes)
    complete = result.ok and result.load_ms is not None and result.load_ms <= load_timeout * 1000
    probe = AvailabilityProbe(
        site_id=site.id, url=site.home, at=at, ok=complete, status=result.status,
        error_kind=result.error_kind or (None if complete or not result.ok else "too_slow"),
        error_detail=result.error_detail, dns_ms=result.dns_ms, connect_ms=result.connect_ms,
        first_byte_ms=result.first_byte_ms, load_ms=result.load_ms, size=result.size,
    )
    with store.session.begin() as session:
        session.add(probe)
    return probe
