"""Run the checks on a stored snapshot and store the findings.

Re-runnable without recrawling: checking a run again replaces that run's
findings. A finding's identity (rule, site, location) is the same across runs,
which is how it keeps the date it was first seen.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import delete, func, select

from checks.catalogue import CHECKS
from checks.pack import Pack
from checks.snapshot import load_snapshot
from crawler.extract import canonical_url
from govmon.store import Finding, Run, Store


def finding_identity(rule: str, site_id: str, location: str) -> str:
    return hashlib.sha1(f"{rule}\x1f{site_id}\x1f{canonical_url(location)}".encode()).hexdigest()


def check_run(store: Store, run_id: int, pack: Pack, as_of: datetime) -> list[Finding]:
    with store.session.begin() as session:
        snapshot = load_snapshot(session, run_id)
        run = snapshot.run
        drafts = [draft for check in CHECKS for draft in check(snapshot, pack)]
        identities = {finding_identity(d.rule, run.site_id, d.target): d for d in drafts}
        earlier = dict(
            session.execute(
                select(Finding.identity, func.min(Finding.first_seen))
                .join(Run, Run.id == Finding.run_id)
                .where(Finding.site_id == run.site_id, Finding.run_id != run_id, Run.started_at <= run.started_at,
                       Finding.identity.in_(list(identities)))
                .group_by(Finding.identity)
            ).all()
        ) if identities else {}
        session.execute(delete(Finding).where(Finding.run_id == run_id))
        findings = [
            Finding(
                run_id=run_id, site_id=run.site_id, rule=draft.rule, identity=identity, target=draft.target,
                evidence=draft.evidence, places=draft.places, places_total=draft.places_total, as_of=as_of,
                first_seen=earlier.get(identity) or run.started_at, last_seen=run.started_at,
            )
            for identity, draft in identities.items()
        ]
        session.add_all(findings)
        run.stats = {**(run.stats or {}), "checked": {"pack": pack.id, "as_of": as_of.isoformat()}}
    return findings
