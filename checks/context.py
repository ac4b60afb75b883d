"""What a check judges a snapshot against: the rule pack, the evaluation moment and the site's profile."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from govmon.checks.pack import Pack
from govmon.config import CHINA_TZ
from govmon.registry import Account
from govmon.workdays import WorkCalendar

if TYPE_CHECKING:
    from govmon.checks.snapshot import Snapshot

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    pack: Pack
    as_of: datetime  # the end of the evaluation day (the CLI's --as-of), or now
    site_type: str | None = None  # the registry's profile of the site; None when unknown
    level: str | None = None
    site_code: str | None = None
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    accounts: tuple[Account, ...] = ()  # the registry's new-media accounts of the site (MEDIA-4)
    unjudged: dict[str, str] = field(default_factory=dict)  # rule ID → why the checks could not judge it
    shared: dict[tuple[Any, int], tuple[Any, Any]] = field(default_factory=dict, compare=False, repr=False)

    def once(self, snapshot: Snapshot, compute: Callable[[Snapshot, Context], T]) -> T:
        """``compute(snapshot, self)``, computed once per snapshot in this check: the rules of a family share work
        (and what it records as not judged) without paying for it once per rule."""
        key = (compute, id(snapshot))
        if key not in self.shared:  # the snapshot is kept with its value, so its id is not reused meanwhile
            self.shared[key] = (snapshot, compute(snapshot, self))
        return self.shared[key][1]

    def cannot_judge(self, rule_id: str, why: str) -> None:
        """Record that a rule could not be judged: the verdict then waits (待定) rather than pass or fail on a guess."""
        self.unjudged.setdefault(rule_id, why)

    @property
    def today(self) -> date:
        """The evaluation day in China: the day before a midnight as_of."""
        return (self.as_of - timedelta(microseconds=1)).astimezone(CHINA_TZ).date()


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, clamped to the month's end (31 May, 3 months earlier: 28 or 29 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_after(day: date, months: int) -> date:
    return months_before(day, -months)


def parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None
