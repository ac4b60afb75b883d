"""Findings across crawl runs: new → open → fixed → reopened, with each one's rectification deadline.

A finding keeps its identity (rule, site, location) from run to run. It is fixed when a
later complete run no longer finds it; a partial run never marks anything fixed, so a crawl
cut short cannot clear a problem it did not look at (failed runs are not looked at at all).
A finding found again after a fix is reopened, and its deadline counts from then: the
pack's working days (整改时限) after the day it was reported, in China.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from checks.pack import Pack
from govmon.config import CHINA_TZ
from govmon.store import Finding, Run
from govmon.workdays import WorkCalendar, WorkdayError

State = Literal["new", "open", "fixed", "reopened"]


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


def _day(moment: datetime) -> date:
    return moment.astimezone(CHINA_TZ).date()


def track(session: Session, site_id: str, moment: datetime, pack: Pack, calendar: WorkCalendar) -> list[Tracked]:
    """Every finding the site's crawl runs up to moment have had, in its state as of moment."""
    runs = list(session.scalars(select(Run).where(
        Run.site_id == site_id, Run.status.in_(("complete", "partial")), Run.started_at <= moment)
        .order_by(Run.started_at, Run.id)))
    found: dict[int, dict[str, Finding]] = {run.id: {} for run in runs}
    if runs:
        for finding in session.scalars(select(Finding).where(Finding.run_id.in_(list(found)))):
            found[finding.run_id][finding.identity] = finding
    episodes: dict[str, dict] = {}
    for run in runs:
        here = found[run.id]
        for identity, finding in here.items():
            episode = episodes.get(identity)
            if episode is None:
                episodes[identity] = {"finding": finding, "first_seen": run.started_at, "reported": run.started_at,
                                      "last_seen": run.started_at, "fixed_at": None, "reopened": False,
                                      "first_run": run.id}
            else:
                if episode["fixed_at"] is not None:  # found again after a fix: a new episode
                    episode.update(reported=run.started_at, fixed_at=None, reopened=True)
                episode.update(finding=finding, last_seen=run.started_at)
        if run.status == "complete":
            for identity, episode in episodes.items():
                if identity not in here and episode["fixed_at"] is None:
                    episode["fixed_at"] = run.started_at
    today = _day(moment)
    tracked = []
    for identity, episode in sorted(episodes.items(), key=lambda item: (item[1]["finding"].rule, item[1]["finding"].target)):
        finding = episode["finding"]
        if episode["fixed_at"] is not None:
            state: State = "fixed"
        elif episode["reopened"]:
            state = "reopened"
        elif episode["first_run"] == runs[-1].id:
            state = "new"
        else:
            state = "open"
        deadline, note = None, None
        try:
            deadline = calendar.add(_day(episode["reported"]), pack.rectification_days(finding.rule))
        except WorkdayError as error:
            note = str(error)
        tracked.append(Tracked(identity, finding.rule, finding.target, state, episode["first_seen"],
                               episode["reported"], episode["last_seen"], episode["fixed_at"], deadline,
                               state != "fixed" and deadline is not None and today > deadline, note))
    return tracked
