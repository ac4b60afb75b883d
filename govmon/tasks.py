"""A probe and then its findings, as the command line, the scheduler and the demo run them.

The probes measure with plain values and store their measurements; the checks judge them. These compose the
two under a rule pack: the pack's settings become the probe's timeouts, attempts and caps.
"""

from __future__ import annotations

from govmon.checks.pack import Pack
from govmon.checks.probe_rules import ipv6_findings, record_media_checks
from govmon.probes import availability, ipv6, media
from govmon.registry import Account, CrawlLimits, Site
from govmon.store import AvailabilityProbe, Finding, Ipv6Probe, MediaCheck, Store


def attachment_reading(pack: Pack) -> dict | None:
    """What a crawl reads of the attachments it finds, as PII-1's settings say (the crawl's
    GOVMON_READ_ATTACHMENTS): their kinds and the largest file read; None when the pack does not check PII-1."""
    if "PII-1" not in pack.rules:
        return None
    settings = pack.rule("PII-1")
    return {"kinds": [kind.lower().lstrip(".") for kind in settings.words("attachment_kinds")],
            "max_bytes": int(settings["attachment_max_bytes"])}


def probe_availability(store: Store, site: Site, pack: Pack, resolver: str | None = None) -> AvailabilityProbe:
    """One stored availability probe, complete when the homepage loads within AVAIL-1's load_timeout."""
    return availability.probe_availability(store, site, pack.rule("AVAIL-1")["load_timeout"], resolver)


def probe_ipv6(store: Store, site_id: str, url: str, pack: Pack, resolver: str | None = None,
               concurrency: int = 4, user_agent: str = "govmon/0.1 (ipv6 probe)",
               profile: tuple[str | None, str | None] = (None, None),
               max_bytes: int = CrawlLimits().max_page_bytes) -> tuple[Ipv6Probe, list[Finding]]:
    """Measure as IPV6-2 and IPV6-4 say, store the probe and then its findings, and return both. ``profile`` (site
    type, level) drops the rules the pack does not apply to such a site; ``max_bytes`` is the site's
    crawl.max_page_bytes (the registry's default for a URL of no site)."""
    home, pages = pack.rule("IPV6-2"), pack.rule("IPV6-4")
    probe = ipv6.probe_ipv6(store, site_id, url, home["load_timeout"], int(home["homepage_attempts"]),
                            int(pages["max_pages"]), resolver, concurrency, user_agent, max_bytes)
    return probe, ipv6_findings(store, probe, pack, profile)


def check_accounts(store: Store, accounts: list[Account], sites: dict[str, Site], pack: Pack,
                   resolver: str | None = None) -> list[tuple[MediaCheck, list[Finding]]]:
    """Check each account now through its mirrors; store a MediaCheck and its findings per account and return
    them."""
    return record_media_checks(store, media.read_accounts(accounts, sites, resolver), pack)
