"""What a report as of a moment needs checked before it is written: each site's latest crawl checked with its
pack, and AVAIL-1 over the site's availability probes up to that moment. Reports read findings, never run checks,
so their callers run these first and pass the results in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from govmon.checks.availability import availability_as_of, check_availability
from govmon.checks.engine import check_run, finding_identity
from govmon.checks.pack import Pack
from govmon.checks.snapshot import session_params_of
from govmon.registry import Registry, Site
from govmon.store import Finding, Store
from govmon.store.queries import latest_run
from govmon.workdays import WorkCalendar


class Availability(NamedTuple):
    """AVAIL-1 as of a moment: the evaluation (the report's probes.availability) and, when it fails, its findings,
    made for the report and never stored (no run or probe records AVAIL-1)."""

    evaluation: dict
    findings: list[Finding]


def check_latest_runs(store: Store, registry: Registry, end: datetime, pack_of: Callable[[Site], Pack],
                      calendar: WorkCalendar) -> None:
    """Check each site's latest run before ``end`` as of ``end``, unless it was already checked with its pack
    (``pack_of``: the site's)."""
    for site in registry.sites:
        with store.session() as session:
            run = latest_run(session, site.id, end)
        if run is None:
            continue
        pack = pack_of(site)
        checked = (run.stats or {}).get("checked")
        if not checked or checked.get("pack") != pack.id:
            check_run(store, run.id, pack, end, site, calendar, registry.accounts_of(site.id))


def availability_at(store: Store, site: Site, pack: Pack, moment: datetime) -> Availability:
    """AVAIL-1 of the site as of ``moment``, its findings first and last seen then, with their identity set."""
    evaluation = availability_as_of(store, site.id, pack, moment)
    findings = [Finding(id=None, rule=d.rule, target=d.target, evidence=d.evidence, places=d.places,
                        places_total=d.places_total, first_seen=moment, last_seen=moment,
                        identity=finding_identity(d.rule, site.id, d.target, session_params_of(site)))
                for d in check_availability(evaluation, site.home)]
    return Availability(evaluation, findings)


def check_for_reports(store: Store, registry: Registry, end: datetime, pack_of: Callable[[Site], Pack],
                      calendar: WorkCalendar) -> dict[str, Availability]:
    """What a period's reports (reports.period.write_period_reports) need as of the period's ``end``: each site's
    latest run checked (check_latest_runs); returns every site's AVAIL-1 then, by site id."""
    check_latest_runs(store, registry, end, pack_of, calendar)
    return {site.id: availability_at(store, site, pack_of(site), end) for site in registry.sites}
