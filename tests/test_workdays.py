"""The working-day count the interaction rules use: Chinese holidays and 调休 make-up days, no guessing."""

from datetime import date

import pytest

from govmon.workdays import WorkdayError, is_workday, workdays_between


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 10, 1), False),  # National Day
    (date(2026, 10, 10), True),  # a make-up Saturday
    (date(2026, 10, 11), False),
    (date(2026, 2, 14), True),  # the Saturday before the 2026 Spring Festival, made up
    (date(2026, 2, 17), False),  # Spring Festival
    (date(2025, 9, 28), True),  # a make-up Sunday
])
def test_holidays_and_make_up_days(day: date, working: bool) -> None:
    assert is_workday(day) is working


def test_count_is_after_start_up_to_and_including_end() -> None:
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert workdays_between(date(2026, 9, 30), date(2026, 9, 30)) == 0
    assert workdays_between(date(2026, 10, 13), date(2026, 9, 30)) == -5


def test_a_year_without_holiday_data_is_refused_with_its_name() -> None:
    with pytest.raises(WorkdayError, match="2027"):
        workdays_between(date(2026, 12, 30), date(2027, 1, 5))
