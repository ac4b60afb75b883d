"""Chinese working days: weekends and the State Council's holidays off, 调休 make-up days on.

Built on chinese-calendar, which covers the years it was released for, plus an override
file for the years it does not cover yet and for local adjustments. A later year the file
does not describe is computed from the statutory holidays of 《全国年节及纪念日放假办法》
(2024年修订), which fix the days but not the 调休 arrangement the State Council publishes each
autumn: weekends are rest, the make-up working days are unknown and so absent, and every
result that rests on such a year is provisional (暂定) and says so. Years before
chinese-calendar's first have no calendar and raise WorkdayError.

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
from lunar_python import Lunar, Solar

from govmon.config import read_toml

_CALENDAR_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节", "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
# The years chinese-calendar has holiday data for.
_FIRST_YEAR, _LAST_YEAR = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
_MAX_STEPS = 366 * 3  # add() never walks further than this; no real calendar has such a gap
CHINESE_CALENDAR = "chinese-calendar（国务院办公厅通知）"
STATUTORY = "法定节假日推算（暂定）"


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


def _solar(lunar: Lunar) -> datetime.date:
    solar = lunar.getSolar()
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())


def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """The days off that 《全国年节及纪念日放假办法》（2024年修订） fixes for ``year``, each with why: 第二条's holidays
    (元旦 1 day, 春节 4 from 除夕 to 正月初三, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3) and 第六条's 补假, a working
    day off right after a holiday for each of its days that falls on a weekend (or on another holiday). Lunar dates
    and the 清明 solar term come from lunar_python; 除夕 is the day before 正月初一 (腊月廿九 in a short month)."""
    spring = _solar(Lunar.fromYmd(year, 1, 1))
    qingming = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    feasts = sorted([
        ("元旦", [datetime.date(year, 1, 1)]),
        ("春节", [spring + datetime.timedelta(days=n) for n in range(-1, 3)]),
        ("清明节", [datetime.date(qingming.getYear(), qingming.getMonth(), qingming.getDay())]),
        ("劳动节", [datetime.date(year, 5, 1), datetime.date(year, 5, 2)]),
        ("端午节", [_solar(Lunar.fromYmd(year, 5, 5))]),
        ("中秋节", [_solar(Lunar.fromYmd(year, 8, 15))]),
        ("国庆节", [datetime.date(year, 10, day) for day in (1, 2, 3)]),
    ], key=lambda feast: feast[1][0])
    days: dict[datetime.date, str] = {}
    for name, feast in feasts:
        owed = sum(day.weekday() >= 5 or day in days for day in feast)
        for day in feast:
            days.setdefault(day, f"法定节假日（{name}）")
        day = feast[-1]
        while owed:
            day += datetime.timedelta(days=1)
            if day.weekday() < 5 and day not in days:
                days[day] = f"法定节假日补假（{name}）"
                owed -= 1
    return days


class WorkCalendar:
    """Working days as the State Council's notices (and the override file) set them, computed from the statutory
    holidays for a later year neither describes."""

    def __init__(self, overrides: Overrides | None = None):
        self.overrides = overrides or Overrides()
        self._computed: dict[int, dict[datetime.date, str]] = {}
        self._answers: dict[datetime.date, tuple[bool, str]] = {}  # chinese-calendar scans its tables on each call

    def _published(self, year: int) -> bool:
        return year in self.overrides.years or _FIRST_YEAR <= year <= _LAST_YEAR

    def _refuse(self, year: int) -> WorkdayError:
        where = f" {self.overrides.path}" if self.overrides.path else " (settings: workdays = FILE)"
        return WorkdayError(
            f"no working-day calendar for {year}: chinese-calendar starts in {_FIRST_YEAR}; add the year's holidays "
            f"and make-up days to the override file{where} with years = [{year}]")

    def _why(self, day: datetime.date) -> tuple[bool, str]:
        if day not in self._answers:
            self._answers[day] = self._answer(day)
        return self._answers[day]

    def _answer(self, day: datetime.date) -> tuple[bool, str]:
        if day in self.overrides.workdays:
            return True, f"调休上班（{self.overrides.workdays[day]}）"
        if day in self.overrides.holidays:
            return False, f"法定节假日（{self.overrides.holidays[day]}）"
        weekend = day.weekday() >= 5
        if day.year in self.overrides.years:
            pass
        elif _FIRST_YEAR <= day.year <= _LAST_YEAR:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            name = _CALENDAR_NAMES.get(name, name) if name else None
            if on_holiday and name:
                return False, f"法定节假日（{name}）"
            if not on_holiday and weekend:
                return True, f"调休上班（{name}）" if name else "调休上班"
        elif day.year > _LAST_YEAR:
            if day.year not in self._computed:
                self._computed[day.year] = statutory_holidays(day.year)
            if day in self._computed[day.year]:
                return False, self._computed[day.year][day]
        else:
            raise self._refuse(day.year)
        return (False, "周末") if weekend else (True, "工作日")

    def is_workday(self, day: datetime.date) -> bool:
        return self._why(day)[0]

    def why(self, day: datetime.date) -> str:
        """Whether ``day`` is a working day and why: 工作日, 周末, 法定节假日（春节）, 调休上班（国庆节）."""
        return self._why(day)[1]

    def source(self, day: datetime.date) -> str:
        """Who answered for ``day``: the override file (by its path), chinese-calendar, or the statutory holidays."""
        if day in self.overrides.workdays or day in self.overrides.holidays or day.year in self.overrides.years:
            return f"覆盖文件 {self.overrides.path}"
        if _FIRST_YEAR <= day.year <= _LAST_YEAR:
            return CHINESE_CALENDAR
        if day.year > _LAST_YEAR:
            return STATUTORY
        raise self._refuse(day.year)

    def sources(self, *days: datetime.date) -> list[str]:
        """Who answered for these days and every day between them, in order: what `govmon workdays` prints."""
        first, last = min(days), max(days)
        return list(dict.fromkeys(self.source(first + datetime.timedelta(days=n))
                                  for n in range((last - first).days + 1)))

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

    def provisional(self, *days: datetime.date) -> str | None:
        """暂定 and why, when a result about these days (counted over every day between them) rests on a year whose
        调休 arrangement is not published: for a finding's evidence and a deadline's note; None otherwise."""
        if not days:
            return None
        years = [year for year in range(min(days).year, max(days).year + 1)
                 if year > _LAST_YEAR and not self._published(year)]
        return f"暂定：{'、'.join(map(str, years))}年调休安排未发布，按法定节假日推算" if years else None


def calendar_for(overrides_path: str | None, base: Path | None = None) -> WorkCalendar:
    """The calendar the configuration asks for; a relative override path is taken from the registry's folder."""
    if not overrides_path:
        return WorkCalendar()
    path = Path(overrides_path)
    if not path.is_absolute() and base is not None:
        path = base / path
    return WorkCalendar(load_overrides(path))
