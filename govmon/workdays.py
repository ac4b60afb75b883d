"""Chinese working days: weekends and the State Council's holidays off, 调休 make-up days on.

Built on chinese-calendar, which covers the years it was released for. A date outside
them raises WorkdayError naming the year, never a silent weekday guess.

Convention: ``workdays_between(a, b)`` counts the working days after ``a`` up to and
including ``b`` (0 when b is a), so a reply on the 5th working day after a message
gives 5.
"""

from __future__ import annotations

import datetime

import chinese_calendar


class WorkdayError(ValueError):
    """A date in a year the calendar has no holiday data for."""


def is_workday(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise WorkdayError(
            f"no working-day calendar for {day.year}: chinese-calendar has no holiday data for that year yet; "
            "update the chinese-calendar package once the State Council publishes the year's holidays"
        ) from None


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after start up to and including end; negative when end is before start."""
    if end < start:
        return -workdays_between(end, start)
    return sum(is_workday(start + datetime.timedelta(days=n)) for n in range(1, (end - start).days + 1))
