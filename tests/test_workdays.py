"""Working days across the 2024–2026 holidays and make-up days, years computed from the statutory holidays
(2027 on, provisional), the override file, and `govmon workdays`."""

from datetime import date

import chinese_calendar
import pytest
from click.testing import CliRunner

from govmon.cli import main
from govmon.workdays import CHINESE_CALENDAR, STATUTORY, WorkCalendar, WorkdayError, load_overrides, statutory_holidays

CAL = WorkCalendar()


@pytest.mark.parametrize(("day", "working", "why"), [
    (date(2024, 2, 4), True, "调休上班（春节）"),  # a Sunday worked before the 2024 Spring Festival
    (date(2024, 2, 12), False, "法定节假日（春节）"),
    (date(2024, 2, 18), True, "调休上班（春节）"),
    (date(2024, 10, 1), False, "法定节假日（国庆节）"),
    (date(2024, 10, 12), True, "调休上班（国庆节）"),  # a Saturday
    (date(2025, 1, 26), True, "调休上班（春节）"),
    (date(2025, 1, 28), False, "法定节假日（春节）"),  # 除夕 became a holiday in 2025
    (date(2025, 10, 8), False, "法定节假日（国庆节）"),  # National Day and Mid-autumn together, 8 days
    (date(2025, 10, 11), True, "调休上班（国庆节）"),
    (date(2026, 2, 14), True, "调休上班（春节）"),
    (date(2026, 2, 23), False, "法定节假日（春节）"),
    (date(2026, 10, 10), True, "调休上班（国庆节）"),
    (date(2026, 10, 11), False, "周末"),
    (date(2026, 11, 23), True, "工作日"),
])
def test_holidays_and_make_up_days(day: date, working: bool, why: str) -> None:
    assert (CAL.is_workday(day), CAL.why(day)) == (working, why)


@pytest.mark.parametrize(("start", "count", "expected"), [
    (date(2026, 9, 30), 3, date(2026, 10, 10)),  # 1–7 Oct off, 8 and 9 Oct, then the make-up Saturday
    (date(2025, 9, 30), 3, date(2025, 10, 11)),  # 1–8 Oct off in 2025
    (date(2026, 2, 13), 3, date(2026, 2, 25)),  # the make-up Saturday 14 Feb, then 15–23 Feb off
    (date(2025, 1, 24), 3, date(2025, 2, 5)),  # via the make-up Sunday 26 Jan, then 8 Feb is Saturday
    (date(2026, 11, 20), 3, date(2026, 11, 25)),  # a plain Friday: due on Wednesday
    (date(2026, 10, 12), -3, date(2026, 10, 8)),
    (date(2026, 11, 23), 0, date(2026, 11, 23)),
])
def test_add(start: date, count: int, expected: date) -> None:
    assert CAL.add(start, count) == expected
    if count:
        assert CAL.between(start, expected) == count


def test_between_counts_after_start_up_to_and_including_end() -> None:
    assert CAL.between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert CAL.between(date(2026, 9, 30), date(2026, 9, 30)) == 0
    assert CAL.between(date(2026, 10, 13), date(2026, 9, 30)) == -5
    assert CAL.between(date(2026, 9, 30), date(2026, 10, 7)) == 0  # the whole holiday counts nothing


PROVISIONAL_2027 = "暂定：2027年调休安排未发布，按法定节假日推算"


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_computed_statutory_holidays_are_days_off_in_the_published_years(year: int) -> None:
    """The rules as amended in 2024 (in force from 2025) against the State Council's notices for 2025 and 2026."""
    computed = statutory_holidays(year)
    assert len([why for why in computed.values() if not why.startswith("法定节假日补假")]) == 13
    assert [day for day in computed if not chinese_calendar.is_holiday(day)] == []


def test_2027_is_computed_from_the_statutory_holidays() -> None:
    days_off = statutory_holidays(2027)
    assert days_off[date(2027, 2, 5)] == "法定节假日（春节）"  # 除夕 is 腊月廿九: 正月初一 is Saturday 6 February
    assert [days_off.get(date(2027, 2, d)) for d in range(4, 12)] == [
        None, "法定节假日（春节）", "法定节假日（春节）", "法定节假日（春节）", "法定节假日（春节）",
        "法定节假日补假（春节）", "法定节假日补假（春节）", None]  # 初一 and 初二 fall on the weekend: 第六条's 补假
    assert (days_off[date(2027, 4, 5)], days_off[date(2027, 6, 9)], days_off[date(2027, 9, 15)]) == (
        "法定节假日（清明节）", "法定节假日（端午节）", "法定节假日（中秋节）")
    assert CAL.why(date(2027, 1, 1)) == "法定节假日（元旦）" and CAL.why(date(2027, 1, 2)) == "周末"
    assert CAL.why(date(2027, 1, 4)) == "工作日" and CAL.source(date(2027, 1, 4)) == STATUTORY


@pytest.mark.parametrize(("count", "expected"), [
    (9, date(2026, 12, 31)),  # still 2026: chinese-calendar's, nothing provisional
    (10, date(2027, 1, 4)),  # over New Year's Day 2027, a Friday
    (33, date(2027, 2, 4)),
    (34, date(2027, 2, 11)),  # over the Spring Festival: 5–8 February and the 补假 on 9 and 10 February
    (40, date(2027, 2, 19)),
])
def test_deadlines_from_december_2026_into_2027_are_dates_marked_provisional(count: int, expected: date) -> None:
    start = date(2026, 12, 20)  # a Sunday
    assert CAL.add(start, count) == expected and CAL.between(start, expected) == count
    assert CAL.provisional(start, expected) == (PROVISIONAL_2027 if expected.year == 2027 else None)


def test_provisional_counts_every_year_between_the_days() -> None:
    assert CAL.provisional(date(2026, 11, 2)) is None
    assert CAL.provisional(date(2026, 12, 1), date(2028, 3, 1)) == "暂定：2027、2028年调休安排未发布，按法定节假日推算"
    assert CAL.sources(date(2026, 12, 31), date(2027, 1, 1)) == [CHINESE_CALENDAR, STATUTORY]


def test_a_year_before_chinese_calendar_is_refused_with_its_name_and_the_way_out() -> None:
    with pytest.raises(WorkdayError, match=r"2003.*years = \[2003\]"):
        CAL.add(date(2004, 1, 2), -3)


def overrides(tmp_path, text: str):
    path = tmp_path / "workdays.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_override_file_covers_a_new_year_and_adjusts_a_known_one(tmp_path) -> None:
    path = overrides(tmp_path, 'years = [2027]\n'
                     '[[holiday]]\nname = "元旦"\nfrom = 2027-01-01\nto = 2027-01-01\n'
                     '[[holiday]]\nname = "春节"\nfrom = 2027-02-06\nto = 2027-02-12\n'
                     '[[workday]]\nname = "春节"\ndate = 2027-02-14\n'
                     '[[holiday]]\nname = "本地节日"\nfrom = 2026-11-24\nto = 2026-11-24\n')
    cal = WorkCalendar(load_overrides(path))
    assert cal.add(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert cal.why(date(2027, 2, 14)) == "调休上班（春节）" and cal.why(date(2027, 2, 8)) == "法定节假日（春节）"
    assert cal.add(date(2026, 11, 23), 1) == date(2026, 11, 25)  # the local holiday
    assert cal.source(date(2026, 11, 24)) == f"覆盖文件 {path}" and cal.source(date(2026, 11, 25)) == CHINESE_CALENDAR
    assert cal.why(date(2028, 1, 3)) == "法定节假日补假（元旦）" and cal.provisional(date(2028, 1, 3)) is not None


def test_the_override_file_replaces_the_provisional_year(tmp_path) -> None:
    """The published arrangement: its make-up Sunday counts, its longer holiday does not, and nothing is 暂定."""
    path = overrides(tmp_path, 'years = [2027]\n'
                     '[[holiday]]\nname = "春节"\nfrom = 2027-02-05\nto = 2027-02-12\n'
                     '[[workday]]\nname = "春节"\ndate = 2027-02-14\n')
    published = WorkCalendar(load_overrides(path))
    start = date(2027, 2, 4)
    assert (CAL.add(start, 3), CAL.provisional(start, CAL.add(start, 3))) == (date(2027, 2, 15), PROVISIONAL_2027)
    assert published.add(start, 3) == date(2027, 2, 16)  # Sunday 14 February, Monday 15 and Tuesday 16
    assert published.provisional(start, date(2027, 2, 16)) is None
    assert published.sources(start, date(2027, 2, 16)) == [f"覆盖文件 {path}"]
    assert published.why(date(2027, 1, 1)) == "工作日"  # the file describes 2027 in full: no 元旦 listed, none computed


@pytest.mark.parametrize(("text", "message"), [
    ("years = 2027\n", "field years"),
    ('[[holiday]]\nname = "x"\nfrom = 2027-01-05\nto = 2027-01-01\n', "holiday 1"),
    ('[[workday]]\ndate = 2027-01-05\n', "workday 1"),
    ('[[holidays]]\n', "unknown key"),
    ("years = [", "not valid TOML"),
])
def test_a_bad_override_file_names_the_file_and_entry(tmp_path, text: str, message: str) -> None:
    path = overrides(tmp_path, text)
    with pytest.raises(WorkdayError, match=message) as error:
        load_overrides(path)
    assert str(path) in str(error.value)


def registry(tmp_path, settings: str) -> str:
    path = tmp_path / "govmon.toml"
    path.write_text(f'[settings]\n{settings}\n[[site]]\nid = "t"\nname = "测试"\nsite_code = "5300000033"\n'
                    'home = "http://127.0.0.1:1/"\ntype = "department"\nsponsor = "测试办"\n[site.admin]\nname = "a"\n'
                    'email = "a@example.gov.cn"\n', encoding="utf-8")
    return str(path)


def test_the_command_line(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no ./govmon.toml: chinese-calendar alone
    run = CliRunner().invoke
    by_notice = f"  source: {CHINESE_CALENDAR}\n"
    assert run(main, ["workdays", "add", "2026-09-30", "3"]).output == "2026-10-10\n" + by_notice
    assert run(main, ["workdays", "add", "2026-10-12", "-3"]).output == "2026-10-08\n" + by_notice
    assert run(main, ["workdays", "between", "2026-09-30", "2026-10-13"]).output == "5\n" + by_notice
    assert run(main, ["workdays", "is", "2026-10-10"]).output == "2026-10-10: working day — 调休上班（国庆节）\n" + by_notice
    assert run(main, ["workdays", "is", "2026-10-03"]).output == "2026-10-03: day off — 法定节假日（国庆节）\n" + by_notice
    provisional = run(main, ["workdays", "add", "2026-12-20", "10"])
    assert provisional.exit_code == 0 and provisional.output == (
        f"2027-01-04  ({PROVISIONAL_2027})\n  source: {CHINESE_CALENDAR}; {STATUTORY}\n")
    refused = run(main, ["workdays", "is", "2003-01-06"])
    assert refused.exit_code == 2 and "2003" in refused.output
    overrides(tmp_path, 'years = [2027]\n[[holiday]]\nname = "元旦"\nfrom = 2027-01-01\nto = 2027-01-03\n'
                        '[[holiday]]\nname = "元旦"\nfrom = 2027-01-04\nto = 2027-01-04\n')
    covered = registry(tmp_path, 'workdays = "workdays.toml"')
    published = run(main, ["workdays", "add", "2026-12-20", "10", "--config", covered])
    assert published.output == f"2027-01-05\n  source: {CHINESE_CALENDAR}; 覆盖文件 {tmp_path / 'workdays.toml'}\n"
