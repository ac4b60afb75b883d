"""Run the checks and store the findings.

Re-runnable without recrawling: checking a run again replaces that run's
findings (a check of selected rules replaces only theirs). A finding's identity (rule, site, location) is the same across runs
and probes, which is how it keeps the date it was first seen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from govmon.checks.catalogue import RULES, SNAPSHOT_RULES
from govmon.checks.context import Context
from govmon.checks.pack import Pack
from govmon.checks.rule import Draft
from govmon.checks.snapshot import Snapshot, load_snapshot, session_params_of
from govmon.facts import canonical_url
from govmon.facts.links import DEFAULT_SESSION_PARAMS
from govmon.registry import Site
from govmon.store import Finding, Store
from govmon.workdays import WorkCalendar


def finding_identity(rule: str, site_id: str, location: str,
                     session_params: frozenset[str] = DEFAULT_SESSION_PARAMS) -> str:
    """The location's URL canonicalised as the site's crawl keys it (the same for the default session_params as
    before sites had their own); a fragment names a thing on the page (a required column) and stays."""
    url, hash_mark, fragment = location.partition("#")
    key = canonical_url(url, session_params)
    return hashlib.sha1(f"{rule}\x1f{site_id}\x1f{key}{hash_mark}{fragment}".encode()).hexdigest()


def record_findings(session: Session, drafts: Iterable[Draft], site_id: str, seen_at: datetime, as_of: datetime,
                    run_id: int | None = None, probe_id: int | None = None,
                    session_params: frozenset[str] = DEFAULT_SESSION_PARAMS) -> list[Finding]:
    """Store drafts as findings seen at ``seen_at``, first seen when an earlier finding with the same identity was."""
    by_identity = {finding_identity(d.rule, site_id, d.target, session_params): d for d in drafts}
    earlier = dict(
        session.execute(
            select(Finding.identity, func.min(Finding.first_seen))
            .where(Finding.site_id == site_id, Finding.identity.in_(list(by_identity)), Finding.last_seen <= seen_at)
            .group_by(Finding.identity)
        ).all()
    ) if by_identity else {}
    findings = [
        Finding(run_id=run_id, probe_id=probe_id, site_id=site_id, rule=d.rule, identity=identity, target=d.target,
                evidence=d.evidence, places=d.places, places_total=d.places_total, as_of=as_of,
                first_seen=earlier.get(identity) or seen_at, last_seen=seen_at)
        for identity, d in by_identity.items()
    ]
    session.add_all(findings)
    return findings


def snapshot_drafts(snapshot: Snapshot, context: Context, selected: frozenset[str] | None = None) -> list[Draft]:
    """Each snapshot rule's unit (only the selected rules' when given), in catalogue order."""
    return [draft for rule in RULES.values() if rule.check and (selected is None or rule.id in selected)
            for draft in rule.check(snapshot, context)]


def check_run(store: Store, run_id: int, pack: Pack, as_of: datetime, site: Site | None = None,
              calendar: WorkCalendar | None = None, accounts: tuple = (), rules: frozenset[str] | None = None
              ) -> list[Finding]:
    """Check a stored run as of ``as_of``; ``site`` (the registry entry) gives the profile rules depend on,
    ``calendar`` the working days (default: chinese-calendar alone), ``accounts`` the site's registered
    new-media accounts. Given ``rules`` (IDs of catalogue.CHECKABLE_RULES), a partial check: only those rules'
    findings of the run are replaced, the others' stay, and the run is not marked checked (its pack, as_of and
    unjudged rules stay those of the last full check)."""
    with store.session.begin() as session:
        replaced = delete(Finding).where(Finding.run_id == run_id)
        session.execute(replaced if rules is None else replaced.where(Finding.rule.in_(sorted(rules))))
        snapshot = load_snapshot(session, run_id, session_params_of(site))
        run = snapshot.run
        context = Context(pack, as_of, site.type if site else None, site.level if site else None,
                          site.site_code if site else run.site_code, calendar or WorkCalendar(), tuple(accounts))
        if run.status == "failed":  # nothing was fetched: no rule may read "nothing found" as "missing"
            drafts = []
            unjudged = [rule for rule in SNAPSHOT_RULES if rule in pack.rules and (rules is None or rule in rules)
                        and pack.applies(rule, context.site_type, context.level)]
            context.cannot_judge("crawl", f"本次采集失败（{run.reason or '首页无法访问'}），"
                                          f"依据网站页面的指标均未判断：{'、'.join(unjudged)}")
        else:
            drafts = [draft for draft in snapshot_drafts(snapshot, context, rules)
                      if pack.applies(draft.rule, context.site_type, context.level)]
        findings = record_findings(session, drafts, run.site_id, run.started_at, as_of, run_id=run_id,
                                   session_params=snapshot.session_params)
        if rules is None:
            run.stats = {**(run.stats or {}), "checked": {"pack": pack.id, "as_of": as_of.isoformat(),
                                                          "unjudged": context.unjudged}}
    return findings
