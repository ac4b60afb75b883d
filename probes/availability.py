"""The availability probe: one timed, complete load of a site's homepage, stored.

A function the scheduler can call (at least 20 a day per site for AVAIL-1); the
command line runs it once or repeatedly.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from govmon.checks.availability import evaluate_availability
from govmon.checks.pack import Pack
from govmon.probes.dns import make_resolver
from govmon.probes.http import fetch
from govmon.registry import Site
from govmon.store import AvailabilityProbe, Store, utcnow


def probe_availability(store: Store, site: Site, pack: Pack, resolver: str | None = None) -> AvailabilityProbe:
    limit = pack.rule("AVAIL-1")["load_timeout"]
    at = utcnow()
    result = fetch(site.home, make_resolver(resolver, limit), limit, user_agent=site.crawl.user_agent,
                   max_bytes=site.crawl.max_page_bytes)
    complete = result.ok and result.load_ms is not None and result.load_ms <= limit * 1000
    probe = AvailabilityProbe(
        site_id=site.id, url=site.home, at=at, ok=complete, status=result.status,
        error_kind=result.error_kind or (None if complete or not result.ok else "too_slow"),
        error_detail=result.error_detail, dns_ms=result.dns_ms, connect_ms=result.connect_ms,
        first_byte_ms=result.first_byte_ms, load_ms=result.load_ms, size=result.size,
    )
    with store.session.begin() as session:
        session.add(probe)
    return probe


def availability_as_of(store: Store, site_id: str, pack: Pack, as_of: datetime) -> dict:
    """The AVAIL-1 evaluation at ``as_of`` from the site's stored probes in the window."""
    start = as_of - timedelta(days=pack.rule("AVAIL-1")["window_days"])
    with store.session() as session:
        probes = list(session.scalars(select(AvailabilityProbe).where(
            AvailabilityProbe.site_id == site_id, AvailabilityProbe.at >= start, AvailabilityProbe.at <= as_of)))
    return evaluate_availability(probes, as_of, pack)
