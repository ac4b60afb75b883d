"""Findings from what the probes stored: the IPv6 rules on an IPv6 probe, MEDIA-1 … MEDIA-3 on mirror answers.

The probes measure and store their measurements; judging them is the checks' part. Kept apart from the rule
modules (checks.ipv6, checks.media) because storing findings needs the engine, which imports those modules.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from govmon.checks.engine import record_findings
from govmon.checks.ipv6 import check_ipv6
from govmon.checks.media import account_drafts, account_verdict
from govmon.checks.pack import Pack
from govmon.config import CHINA_TZ
from govmon.facts.mirrors import MirrorAnswer
from govmon.registry import Account
from govmon.store import Finding, Ipv6Probe, MediaCheck, Store


def ipv6_findings(store: Store, probe: Ipv6Probe, pack: Pack,
                  profile: tuple[str | None, str | None] = (None, None)) -> list[Finding]:
    """Judge a stored IPv6 probe and store its findings (by rule ID), seen when the probe started. ``profile``
    (site type, level) drops the rules the pack does not apply to such a site (云南 asks IPv6 of provincial
    departments only)."""
    measurements = probe.measurements
    if not measurements["host_exists"]:  # nothing about the site was measured: nothing to judge
        return []
    drafts = [d for d in check_ipv6(measurements, pack, pack.report.places_cap) if pack.applies(d.rule, *profile)]
    with store.session.begin() as session:
        return record_findings(session, drafts, probe.site_id, probe.started_at, probe.started_at, probe_id=probe.id)


def record_media_checks(store: Store, readings: Iterable[tuple[Account, datetime, list[MirrorAnswer]]],
                        pack: Pack) -> list[tuple[MediaCheck, list[Finding]]]:
    """Decide each account's verdict from what its mirrors answered; store a MediaCheck and its findings per
    account and return them."""
    results = []
    for account, checked_at, answers in readings:
        today = checked_at.astimezone(CHINA_TZ).date()
        verdict, reason, decided = account_verdict(answers, today, pack)
        drafts = account_drafts(account, verdict, reason, decided, today, pack)
        with store.session.begin() as session:
            check = MediaCheck(account_id=account.id, site_id=account.site, checked_at=checked_at, verdict=verdict,
                               reason=reason, latest_at=decided.latest if decided else None,
                               latest_title=decided.latest_title if decided else None,
                               mirrors=[a.as_dict() for a in answers])
            session.add(check)
            session.flush()
            findings = record_findings(session, drafts, account.site, checked_at, checked_at)
            for finding in findings:
                finding.media_check_id = check.id
            session.flush()
            session.expunge_all()
        results.append((check, findings))
    return results
