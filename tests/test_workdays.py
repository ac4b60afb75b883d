"""Working days across the 2024–2026 holidays and make-up days, the override file, and `govmon workdays`."""

from datetime import date

import pytest
from click.testing import CliRunner

from govmon.cli import main
from govmon.workdays import WorkCalendar, WorkdayError, load_overrides

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


def test_a_year_without_holiday_data_is_refused_with_its_name_and_the_way_out() -> None:
    with pytest.raises(WorkdayError, match=r"2027.*years = \[2027\].*assume_weekdays"):
        CAL.add(date(2026, 12, 30), 3)


def test_assumed_weekdays_are_allowed_only_when_asked_and_then_said() -> None:
    guessing = WorkCalendar(assume_weekdays=True)
    assert guessing.add(date(2026, 12, 31), 1) == date(2027, 1, 1)  # a guess: New Year's Day counted as working
    assert "2027年无节假日数据" in guessing.assumption(date(2027, 1, 1))
    assert guessing.assumption(date(2026, 11, 2)) is None


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
    with pytest.raises(WorkdayError, match="2028"):
        cal.is_workday(date(2028, 1, 3))


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
    assert run(main, ["workdays", "add", "2026-09-30", "3"]).output == "2026-10-10\n"
    assert run(main, ["workdays", "add", "2026-10-12", "-3"]).output == "2026-10-08\n"
    assert run(main, ["workdays", "between", "2026-09-30", "2026-10-13"]).output == "5\n"
    assert run(main, ["workdays", "is", "2026-10-10"]).output == "2026-10-10: working day — 调休上班（国庆节）\n"
    assert run(main, ["workdays", "is", "2026-10-03"]).output == "2026-10-03: day off — 法定节假日（国庆节）\n"
    refused = run(main, ["workdays", "is", "2027-01-04"])
    assert refused.exit_code == 2 and "2027" in refused.output
    guessing = registry(tmp_path, "assume_weekdays = true")
    assumed = run(main, ["workdays", "add", "2026-12-31", "1", "--config", guessing])
    assert assumed.exit_code == 0 and assumed.output.startswith("2027-01-01  (2027年无节假日数据")
    overrides(tmp_path, 'years = [2027]\n[[holiday]]\nname = "元旦"\nfrom = 2027-01-01\nto = 2027-01-01\n')
    covered = registry(tmp_path, 'workdays = "workdays.toml"')
    assert run(main, ["workdays", "add", "2026-12-31", "1", "--config", covered]).output == "2027-01-04\n"
