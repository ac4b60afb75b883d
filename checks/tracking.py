"""Findings across runs: new → open → fixed → reopened, with each one's rectification deadline.

A finding keeps its identity (rule, site, location) from one observation to the next. Three
kinds of observation find things, each judged on its own: the site's crawl runs, its IPv6
probes, and each new-media account's checks. A finding is fixed when a later complete
observation of its own kind (a complete crawl, a complete IPv6 probe, a check of the same
account whose mirrors answered) no longer finds it; a partial one never marks anything fixed,
so a crawl cut short cannot clear a problem it did not look at (failed runs are not looked at
at all). A finding found again after a fix is reopened, and its deadline counts from then:
the pack's working days (整改时限) after the day it was reported, in China.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from checks.pack import Pack
from govmon.config import china_day
from govmon.store import Finding, Ipv6Probe, MediaCheck, Run
from govmon.workdays import WorkCalendar, WorkdayError

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
    deadline: date | None  # None when the calendar cannot count the year (see deadline_note)
    overdue: bool
    deadline_note: str | None = None
    finding_id: int | None = None  # the finding as last seen
    from_crawl: bool = False  # found by crawl runs (not by IPv6 probes or account checks)


@dataclass(frozen=True)
class _Observation:
    stream: str  # crawl | ipv6 | account:<id>: a complete observation fixes only what its own stream found
    key: tuple[str, int]
    at: datetime
    complete: bool


def _observations(session: Session, site_id: str, moment: datetime) -> list[_Observation]:
    runs = session.execute(select(Run.id, Run.started_at, Run.status).where(
        Run.site_id == site_id, Run.status.in_(("complete", "partial")), Run.started_at <= moment))
    probes = session.execute(select(Ipv6Probe.id, Ipv6Probe.started_at, Ipv6Probe.status).where(
        Ipv6Probe.site_id == site_id, Ipv6Probe.started_at <= moment))
    checks = session.execute(select(MediaCheck.id, MediaCheck.checked_at, MediaCheck.verdict, MediaCheck.account_id)
                             .where(MediaCheck.site_id == site_id, MediaCheck.checked_at <= moment))
    observed = [_Observation("crawl", ("run", i), at, status == "complete") for i, at, status in runs]
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


def track(session: Session, site_id: str, moment: datetime, pack: Pack, calendar: WorkCalendar) -> list[Tracked]:
    """Every finding the site's crawl runs, IPv6 probes and account checks up to moment have had, in its state
    as of moment."""
    observations = _observations(session, site_id, moment)
    found = _found(session, observations)
    latest = {o.stream: o.key for o in observations}
    episodes: dict[str, dict] = {}
    for observation in observations:
        here = found[observation.key]
        for identity, finding in here.items():
            episode = episodes.get(identity)
            if episode is None:
                episodes[identity] = {"finding": finding, "stream": observation.stream, "first_seen": observation.at,
                                      "reported": observation.at, "last_seen": observation.at, "fixed_at": None,
                                      "reopened": False, "first": observation.key}
            else:
                if episode["fixed_at"] is not None:  # found again after a fix: a new episode
                    episode.update(reported=observation.at, fixed_at=None, reopened=True)
                episode.update(finding=finding, last_seen=observation.at)
        if observation.complete:
            for identity, episode in episodes.items():
                if (episode["stream"] == observation.stream and identity not in here
                        and episode["fixed_at"] is None):
                    episode["fixed_at"] = observation.at
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
        deadline, note = None, None
        try:
            deadline = calendar.add(china_day(episode["reported"]), pack.rectification_days(finding.rule))
        except WorkdayError as error:
            note = str(error)
        tracked.append(Tracked(identity, finding.rule, finding.target, state, episode["first_seen"],
                               episode["reported"], episode["last_seen"], episode["fixed_at"], deadline,
                               state != "fixed" and deadline is not None and today > deadline, note,
                               finding.id, episode["stream"] == "crawl"))
    return tracked
