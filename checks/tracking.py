"""Findings across runs: new → open → fixed → reopened, with each one's rectification deadline.

A finding keeps its identity (rule, site, location) from one observation to the next. Three
kinds of observation find things, each judged on its own: the site's crawl runs, its IPv6
probes, and each new-media account's checks. A finding is fixed when a later complete
observation of its own kind (a complete crawl, a complete IPv6 probe, a check of the same
account whose mirrors answered) no longer finds it; a partial one never marks anything fixed,
so a crawl cut short cannot clear a problem it did not look at (failed runs are not looked at
at all, nor are runs not yet checked: an unchecked snapshot has no findings, which is not "found
nothing", so it neither confirms nor fixes anything, and never starts a deadline again). Fixing
is per observation, too: a complete crawl fixes a finding only where it saw the finding's places
again. A page that failed to fetch or parse in it (or a target answered only
with "rate limited") neither fixes nor confirms the findings on it: they are carried, marked as
not re-checked. A finding found again after a fix is reopened, and its deadline counts from
then: the pack's working days (整改时限) after the day it was reported, in China. A deadline counted over a year
whose 调休 arrangement is not published is provisional, and its note says so (暂定, and why).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from govmon.checks.pack import Pack
from govmon.config import china_day
from govmon.facts import canonical_url
from govmon.facts.links import DEFAULT_SESSION_PARAMS
from govmon.store import Finding, Ipv6Probe, MediaCheck, Page, Run
from govmon.workdays import WorkCalendar

State = Literal["new", "open", "fixed", "reopened"]
TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class Tracked:
    identity: str
    rule: str
    target: str
    state: State
    first_seen: datetime  # the first run that found it, ever
    reported: datetime  # the run that began its current episode (first seen, or found again after a fix)
    last_seen: datetime
    fixed_at: datetime | None  # the complete run that no longer found it
    deadline: date
    overdue: bool
    deadline_note: str | None = None  # "暂定：…" when the deadline rests on an unpublished 调休 arrangement
    finding_id: int | None = None  # the finding as last seen
    from_crawl: bool = False  # found by crawl runs (not by IPv6 probes or account checks)
    rechecked: bool = True  # False: carried past its stream's latest observation, which did not see its places


@dataclass(frozen=True)
class _Observation:
    stream: str  # crawl | ipv6 | account:<id>: a complete observation fixes only what its own stream found
    key: tuple[str, int]
    at: datetime
    complete: bool
    # Rules its check could not judge (INTER-1 with pages robots.txt forbids, TIME-4 without the homepage): it
    # fixes none of their findings. Keys naming a family ("LINK:rate_limited") are judged per target instead.
    unjudged: frozenset[str] = frozenset()


# What a target answered when the crawl could not judge it (rate limited, not ours to fetch): a link finding on
# it is neither confirmed nor fixed by that run.
UNJUDGED_TARGET = frozenset({"rate_limited", "robots_blocked"})


def _observations(session: Session, site_id: str, moment: datetime) -> list[_Observation]:
    runs = [(i, at, status, frozenset(stats["checked"].get("unjudged") or {})) for i, at, status, stats in
            session.execute(select(Run.id, Run.started_at, Run.status, Run.stats).where(
                Run.site_id == site_id, Run.status.in_(("complete", "partial")), Run.started_at <= moment))
            if (stats or {}).get("checked")]
    probes = session.execute(select(Ipv6Probe.id, Ipv6Probe.started_at, Ipv6Probe.status).where(
        Ipv6Probe.site_id == site_id, Ipv6Probe.started_at <= moment))
    checks = session.execute(select(MediaCheck.id, MediaCheck.checked_at, MediaCheck.verdict, MediaCheck.account_id)
                             .where(MediaCheck.site_id == site_id, MediaCheck.checked_at <= moment))
    observed = [_Observation("crawl", ("run", i), at, status == "complete", unjudged) for i, at, status, unjudged in runs]
    observed += [_Observation("ipv6", ("probe", i), at, status == "complete") for i, at, status in probes]
    observed += [_Observation(f"account:{account}", ("media", i), at, verdict != "unknown")
                 for i, at, verdict, account in checks]
    return sorted(observed, key=lambda o: (o.at, o.key))


def _found(session: Session, observations: list[_Observation]) -> dict[tuple[str, int], dict[str, Finding]]:
    found: dict[tuple[str, int], dict[str, Finding]] = {o.key: {} for o in observations}
    columns = {"run": Finding.run_id, "probe": Finding.probe_id, "media": Finding.media_check_id}
    for kind, column in columns.items():
        ids = [number for source, number in found if source == kind]
        if ids:
            for finding in session.scalars(select(Finding).where(column.in_(ids))):
                found[(kind, getattr(finding, column.key))][finding.identity] = finding
    return found


def _unobserved(session: Session, run_ids: list[int], session_params: frozenset[str]) -> dict[int, dict[str, str]]:
    """Per complete crawl run, the URLs it fetched without seeing them: canonical URL → what went wrong (an error
    kind, or the page's HTTP status). Only failures are loaded: they are few, whatever the site's size."""
    failed: dict[int, dict[str, str]] = {run_id: {} for run_id in run_ids}
    if run_ids:
        rows = session.execute(select(Page.run_id, Page.url, Page.kind, Page.status, Page.error_kind).where(
            Page.run_id.in_(run_ids), Page.kind.not_in(("probe", "spider_view")),
            or_(Page.error_kind.is_not(None), Page.status >= 400)))
        for run_id, url, _kind, status, error_kind in rows:
            failed[run_id].setdefault(canonical_url(url, session_params), error_kind or f"http_{status}")
    return failed


def _place_seen(finding: Finding, failed: dict[str, str], session_params: frozenset[str]) -> bool:
    """Whether a complete run that did not find ``finding`` looked at where it was: its target (for a link
    finding: answered with a verdict) and every page it was listed on."""
    target = canonical_url(finding.target.partition("#")[0], session_params)
    if finding.rule.startswith("LINK-"):
        if failed.get(target) in UNJUDGED_TARGET:
            return False
    elif target in failed:
        return False
    return not any(canonical_url(place.get("page", ""), session_params) in failed for place in finding.places or ()
                   if place.get("page"))


def track(session: Session, site_id: str, moment: datetime, pack: Pack, calendar: WorkCalendar,
          session_params: frozenset[str] = DEFAULT_SESSION_PARAMS) -> list[Tracked]:
    """Every finding the site's crawl runs, IPv6 probes and account checks up to moment have had, in its state
    as of moment; a place is matched to a run's pages as the site's crawl keys URLs (its ``session_params``)."""
    observations = _observations(session, site_id, moment)
    found = _found(session, observations)
    failed = _unobserved(session, [o.key[1] for o in observations if o.stream == "crawl" and o.complete],
                         session_params)
    latest = {o.stream: o.key for o in observations}
    episodes: dict[str, dict] = {}
    for observation in observations:
        here = found[observation.key]
        for identity, finding in here.items():
            episode = episodes.get(identity)
            if episode is None:
                episodes[identity] = {"finding": finding, "stream": observation.stream, "first_seen": observation.at,
                                      "reported": observation.at, "last_seen": observation.at, "fixed_at": None,
                                      "reopened": False, "first": observation.key, "rechecked": True}
            else:
                if episode["fixed_at"] is not None:  # found again after a fix: a new episode
                    episode.update(reported=observation.at, fixed_at=None, reopened=True)
                episode.update(finding=finding, last_seen=observation.at, rechecked=True)
        unseen = failed.get(observation.key[1], {}) if observation.stream == "crawl" else {}
        for identity, episode in episodes.items():
            if episode["stream"] != observation.stream or identity in here or episode["fixed_at"] is not None:
                continue
            finding = episode["finding"]
            if (observation.complete and finding.rule not in observation.unjudged
                    and _place_seen(finding, unseen, session_params)):
                episode["fixed_at"] = observation.at
            else:
                episode["rechecked"] = False
    today = china_day(moment - TICK)  # the end of a day (its next midnight) is still that day
    tracked = []
    for identity, episode in sorted(episodes.items(), key=lambda item: (item[1]["finding"].rule, item[1]["finding"].target)):
        finding = episode["finding"]
        if episode["fixed_at"] is not None:
            state: State = "fixed"
        elif episode["reopened"]:
            state = "reopened"
        elif episode["first"] == latest[episode["stream"]]:
            state = "new"
        else:
            state = "open"
        reported = china_day(episode["reported"])
        deadline = calendar.add(reported, pack.rectification_days(finding.rule))
        tracked.append(Tracked(identity, finding.rule, finding.target, state, episode["first_seen"],
                               episode["reported"], episode["last_seen"], episode["fixed_at"], deadline,
                               state != "fixed" and today > deadline, calendar.provisional(reported, deadline),
                               finding.id, episode["stream"] == "crawl", episode["rechecked"] or state == "fixed"))
    return tracked
