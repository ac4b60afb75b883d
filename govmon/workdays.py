"""Chinese working days: weekends and the State Council's holidays off, 调休 make-up days on.

Built on chinese-calendar, which covers the years it was released for, plus an override
file for the years it does not cover yet and for local adjustments. A date in a year with
neither raises WorkdayError naming the year and saying how to add it; a weekday guess is
made only when the configuration opts in (``assume_weekdays``), and the calendar then
records the years it guessed so every result computed with them can say so.

Conventions (the CLI and every check use these functions):
- ``add(day, n)``: the n-th working day after ``day`` (n > 0), or before it (n < 0);
  ``add(day, 0)`` is ``day``. A document published on a Friday with a 3-working-day limit
  is due on the following Wednesday.
- ``between(a, b)``: the working days after ``a`` up to and including ``b``; negative when
  ``b`` is before ``a``; 0 when they are the same day. Published on the deadline is on time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import chinese_calendar

from govmon.config import read_toml

_CALENDAR_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节", "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
# The years chinese-calendar has holiday data for.
_FIRST_YEAR, _LAST_YEAR = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
_MAX_STEPS = 366 * 3  # add() never walks further than this; no real calendar has such a gap


class WorkdayError(ValueError):
    """A date in a year the calendar has no holiday data for."""


@dataclass(frozen=True)
class Overrides:
    """The override file: whole years chinese-calendar lacks, and local adjustments to any year."""

    path: Path | None = None
    years: frozenset[int] = frozenset()  # years the file describes in full
    holidays: dict[datetime.date, str] = field(default_factory=dict)  # day → holiday name
    workdays: dict[datetime.date, str] = field(default_factory=dict)  # make-up working day → its holiday's name


def load_overrides(path: Path) -> Overrides:
    """Read an override file; errors name the file and the entry.

    years = [2027]                      # years this file describes in full
    [[holiday]]                         # days off (a range, both ends included)
    name = "春节"
    from = 2027-02-06
    to = 2027-02-12
    [[workday]]                         # make-up working days on a weekend
    name = "春节"
    date = 2027-02-14
    """
    raw = read_toml(path, WorkdayError)
    unknown = set(raw) - {"years", "holiday", "workday"}
    if unknown:
        raise WorkdayError(f"{path}: unknown key(s) {', '.join(sorted(unknown))} (years, holiday, workday)")
    years = raw.get("years", [])
    if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
        raise WorkdayError(f"{path}: field years: a list of years is required, e.g. years = [2027]")
    holidays: dict[datetime.date, str] = {}
    for n, entry in enumerate(raw.get("holiday", []), start=1):
        start, end, name = entry.get("from"), entry.get("to", entry.get("from")), entry.get("name")
        if not isinstance(start, datetime.date) or not isinstance(end, datetime.date) or not name or end < start:
            raise WorkdayError(f"{path}: holiday {n}: name, from and to (dates, from ≤ to) are required")
        for offset in range((end - start).days + 1):
            holidays[start + datetime.timedelta(days=offset)] = str(name)
    workdays: dict[datetime.date, str] = {}
    for n, entry in enumerate(raw.get("workday", []), start=1):
        day, name = entry.get("date"), entry.get("name")
        if not isinstance(day, datetime.date) or not name:
            raise WorkdayError(f"{path}: workday {n}: name and date are required")
        if day in holidays:
            raise WorkdayError(f"{path}: workday {n}: {day} is also listed as a holiday")
        workdays[day] = str(name)
    return Overrides(path, frozenset(years), holidays, workdays)


class WorkCalendar:
    """Working days as the State Council's notices (and the override file) set them."""

    def __init__(self, overrides: Overrides | None = None, assume_weekdays: bool = False):
        self.overrides = overrides or Overrides()
        self.assume_weekdays = assume_weekdays
        self.assumed: set[int] = set()  # years answered by a weekday guess

    def covers(self, year: int) -> bool:
        return year in self.overrides.years or _FIRST_YEAR <= year <= _LAST_YEAR

    def _why(self, day: datetime.date) -> tuple[bool, str]:
        if day in self.overrides.workdays:
            return True, f"调休上班（{self.overrides.workdays[day]}）"
        if day in self.overrides.holidays:
            return False, f"法定节假日（{self.overrides.holidays[day]}）"
        weekend = day.weekday() >= 5
        if day.year not in self.overrides.years and self.covers(day.year):
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            name = _CALENDAR_NAMES.get(name, name) if name else None
            if on_holiday and name:
                return False, f"法定节假日（{name}）"
            if not on_holiday and weekend:
                return True, f"调休上班（{name}）" if name else "调休上班"
        elif not self.covers(day.year):
            if not self.assume_weekdays:
                where = f" {self.overrides.path}" if self.overrides.path else " (settings: workdays = FILE)"
                raise WorkdayError(
                    f"no working-day calendar for {day.year}: chinese-calendar has no holiday data for that year; "
                    f"add the year's holidays and make-up days to the override file{where} with "
                    f"years = [{day.year}], or set assume_weekdays = true to count Monday to Friday")
            self.assumed.add(day.year)
        return (False, "周末") if weekend else (True, "工作日")

    def is_workday(self, day: datetime.date) -> bool:
        return self._why(day)[0]

    def why(self, day: datetime.date) -> str:
        """Whether ``day`` is a working day and why: 工作日, 周末, 法定节假日（春节）, 调休上班（国庆节）."""
        return self._why(day)[1]

    def add(self, day: datetime.date, count: int) -> datetime.date:
        step = 1 if count >= 0 else -1
        remaining, steps = abs(count), 0
        while remaining:
            day += datetime.timedelta(days=step)
            remaining -= self.is_workday(day)
            steps += 1
            if steps > _MAX_STEPS:
                raise WorkdayError(f"no working day within {_MAX_STEPS} days of {day}")
        return day

    def between(self, start: datetime.date, end: datetime.date) -> int:
        if end < start:
            return -self.between(end, start)
        return sum(self.is_workday(start + datetime.timedelta(days=n)) for n in range(1, (end - start).days + 1))

    def assumption(self, *days: datetime.date) -> str | None:
        """What a result about these days rests on when a year was guessed, for the finding's evidence."""
        years = sorted({d.year for d in days} & self.assumed)
        if not years:
            return None
        return f"{'、'.join(map(str, years))}年无节假日数据，按周一至周五为工作日推算（assume_weekdays）"


def calendar_for(overrides_path: str | None, assume_weekdays: bool, base: Path | None = None) -> WorkCalendar:
    """The calendar the configuration asks for; a relative override path is taken from the registry's folder."""
    if not overrides_path:
        return WorkCalendar(assume_weekdays=assume_weekdays)
    path = Path(overrides_path)
    if not path.is_absolute() and base is not None:
        path = base / path
    return WorkCalendar(load_overrides(path), assume_weekdays)
