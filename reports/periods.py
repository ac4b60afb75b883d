"""The supervisor's reporting periods: 日读网 (daily), 周巡查 (weekly), 月反馈 (monthly), 季通报 (quarterly).

A report is made after its period has ended, so each period is the one that ended before the
report's day. Days are China days: a period runs from the start of its first day to the end of
its last day in China time, whatever the server's zone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from govmon.config import CHINA_TZ

PERIODS = ("daily", "weekly", "monthly", "quarterly")

PERIOD_LABELS = {"daily": "日读网", "weekly": "周巡查", "monthly": "月反馈", "quarterly": "季通报"}


def period_bounds(period: str, report_day: date) -> tuple[str, date, date]:
    """(label, first_day, last_day) of the period that ended before report_day: yesterday ("2026-10-08"),
    last Monday–Sunday ("2026-W41"), last month ("2026-09") or last quarter ("2026-Q3")."""
    if period == "daily":
        day = report_day - timedelta(days=1)
        return day.isoformat(), day, day
    if period == "weekly":
        last = report_day - timedelta(days=report_day.isoweekday())
        first = last - timedelta(days=6)
        year, week, _ = first.isocalendar()
        return f"{year}-W{week:02d}", first, last
    if period == "monthly":
        last = report_day.replace(day=1) - timedelta(days=1)
        return f"{last.year}-{last.month:02d}", last.replace(day=1), last
    if period == "quarterly":
        last = report_day.replace(month=_quarter_start_month(report_day.month), day=1) - timedelta(days=1)
        first = last.replace(month=_quarter_start_month(last.month), day=1)
        return f"{last.year}-Q{(last.month - 1) // 3 + 1}", first, last
    raise ValueError(f"unknown period {period!r} (known: {', '.join(PERIODS)})")


def period_moments(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """The period's start (00:00 of first_day) and end (the end of last_day) in China."""
    return (datetime.combine(first_day, time(0), CHINA_TZ),
            datetime.combine(last_day, time(0), CHINA_TZ) + timedelta(days=1))


def _quarter_start_month(month: int) -> int:
    return (month - 1) // 3 * 3 + 1
