"""The supervisor's reporting periods: 日读网 (daily), 周巡查 (weekly), 月反馈 (monthly), 季通报 (quarterly).

`govmon serve` reports a period after it has ended, so each period is the one that ended before the
report's day; a report on demand covers the period that contains its day, up to that day (the
whole period when the day is its last). Days are China days: a period runs from the start of its
first day to the end of its last day in China time, whatever the server's zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from govmon.config import CHINA_TZ

PERIODS = ("daily", "weekly", "monthly", "quarterly")

PERIOD_LABELS = {"daily": "日读网", "weekly": "周巡查", "monthly": "月反馈", "quarterly": "季通报"}


def period_bounds(period: str, report_day: date) -> tuple[str, date, date]:
    """(label, first_day, last_day) of the period that ended before report_day: yesterday ("2026-10-08"),
    last Monday–Sunday ("2026-W41"), last month ("2026-09") or last quarter ("2026-Q3")."""
    last = _first_day(period, report_day) - timedelta(days=1)
    first = _first_day(period, last)
    return _label(period, first), first, last


def period_through(period: str, day: date) -> tuple[str, date, date]:
    """(label, first_day, day) of the period that contains day, cut at day: what a report on demand covers. On the
    period's last day it is the period serve reports the day after."""
    first = _first_day(period, day)
    return _label(period, first), first, day


def period_moments(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """The period's start (00:00 of first_day) and end (the end of last_day) in China."""
    return (datetime.combine(first_day, time(0), CHINA_TZ),
            datetime.combine(last_day, time(0), CHINA_TZ) + timedelta(days=1))


def period_end(bounds: tuple[str, date, date]) -> datetime:
    """The end of a period's last day (``bounds`` as period_bounds gives them), in UTC as the store keeps it: the
    moment its reports judge every site as of."""
    return period_moments(bounds[1], bounds[2])[1].astimezone(UTC)


def _first_day(period: str, day: date) -> date:
    """The first day of the period that contains day."""
    if period == "daily":
        return day
    if period == "weekly":
        return day - timedelta(days=day.isoweekday() - 1)
    if period == "monthly":
        return day.replace(day=1)
    if period == "quarterly":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    raise ValueError(f"unknown period {period!r} (known: {', '.join(PERIODS)})")


def _label(period: str, first_day: date) -> str:
    if period == "daily":
        return first_day.isoformat()
    if period == "weekly":
        year, week, _ = first_day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "monthly":
        return f"{first_day.year}-{first_day.month:02d}"
    return f"{first_day.year}-Q{(first_day.month - 1) // 3 + 1}"
