"""Findings tracked across runs on a real database: a defect appears, survives a partial run, is fixed by a
complete one, comes back; deadlines count working days over National Day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from govmon.checks.engine import record_findings
from govmon.checks.pack import load_pack
from govmon.checks.rule import Draft
from govmon.checks.tracking import track
from govmon.config import CHINA_TZ
from govmon.store import Page, Run, open_store
from govmon.workdays import WorkCalendar

PACK = load_pack("national")
SITE = "t"
GONE, MISSING = "http://www.test.gov.cn/gone.html", "http://www.test.gov.cn/a/missing.pdf"
SECTION, ARTICLE = "http://www.test.gov.cn/a/", "http://www.test.gov.cn/a/t1.html"


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=CHINA_TZ)


def add_run(store, day: date, status: str, *targets: tuple[str, str], failed: dict[str, str] | None = None,
            checked: bool = True, unjudged: dict[str, str] | None = None) -> None:
    """A run checked (unless not ``checked``, or with ``unjudged`` rules) with findings on ``targets`` (each listed
    on SECTION), and ``failed``: URL → the error it got."""
    check = {"pack": "national", "as_of": at(day).isoformat(), "unjudged": unjudged or {}}
    stats = {"checked": check} if checked else {}
    with store.session.begin() as session:
        run = Run(site_id=SITE, site_code="5300000033", home_url="http://www.test.gov.cn/", started_at=at(day),
                  finished_at=at(day) + timedelta(hours=1), status=status, host="h", pid=1, settings={}, stats=stats)
        session.add(run)
        session.flush()
        session.add_all(Page(run_id=run.id, url=url, url_key=url, kind="page", method="GET", depth=1,
                             fetched_at=run.started_at, status=200, error_kind=error)
                        for url, error in (failed or {}).items())
        drafts = [Draft(rule, target, {"reason": "http_404", "status": 404, "detail": ""},
                        places=[{"page": SECTION, "tag": "a", "attr": "href", "text": ""}]) for rule, target in targets]
        record_findings(session, drafts, SITE, run.started_at, run.started_at, run_id=run.id)


def states(store, day: date, calendar: WorkCalendar | None = None) -> dict[str, tuple]:
    with store.session() as session:
        return {t.target: (t.state, t.reported.astimezone(CHINA_TZ).date(), t.deadline, t.overdue)
                for t in track(session, SITE, at(day) + timedelta(hours=12), PACK, calendar or WorkCalendar())}


def test_a_defect_appears_survives_a_partial_run_is_fixed_and_comes_back(any_db_url):
    store = open_store(any_db_url)
    gone, pdf = ("LINK-1", GONE), ("LINK-3", MISSING)
    add_run(store, date(2026, 9, 28), "complete", gone, pdf)
    assert {k: v[0] for k, v in states(store, date(2026, 9, 28)).items()} == {GONE: "new", MISSING: "new"}
    add_run(store, date(2026, 9, 29), "partial", gone)  # the attachment was not reached: still open
    assert {k: v[0] for k, v in states(store, date(2026, 9, 29)).items()} == {GONE: "open", MISSING: "open"}
    add_run(store, date(2026, 9, 30), "failed")  # a failed run is not looked at
    add_run(store, date(2026, 10, 8), "complete", gone)  # a complete run without it: fixed
    now = states(store, date(2026, 10, 8))
    assert (now[GONE][0], now[MISSING][0]) == ("open", "fixed")
    add_run(store, date(2026, 10, 12), "complete", gone, pdf)  # back again: reopened, a new deadline
    now = states(store, date(2026, 10, 12))
    assert now[MISSING][:3] == ("reopened", date(2026, 10, 12), date(2026, 10, 26))
    add_run(store, date(2026, 10, 13), "complete")
    assert {k: v[0] for k, v in states(store, date(2026, 10, 13)).items()} == {GONE: "fixed", MISSING: "fixed"}
    # looking back, the history is as it was then
    assert states(store, date(2026, 9, 29))[MISSING][0] == "open"
    store.engine.dispose()


@pytest.mark.parametrize(("today", "overdue"), [(date(2026, 10, 20), False), (date(2026, 10, 21), True)])
def test_deadline_is_ten_working_days_over_national_day(any_db_url, today: date, overdue: bool):
    store = open_store(any_db_url)
    add_run(store, date(2026, 9, 30), "complete", ("LINK-1", GONE))
    add_run(store, today, "partial", ("LINK-1", GONE))
    # after 30 Sep: 8, 9, 10 (make-up Saturday), 12–16, 19 and 20 Oct
    assert states(store, today)[GONE][2:] == (date(2026, 10, 20), overdue)
    store.engine.dispose()


def test_a_rule_may_set_its_own_rectification_time(tmp_path):
    local = tmp_path / "local.toml"
    local.write_text('extends = "national"\nid = "local"\nname = "本地"\n[rules.LINK-1]\nrectification_working_days = 3\n',
                     encoding="utf-8")
    pack = load_pack(str(local))
    assert (pack.rectification_days("LINK-1"), pack.rectification_days("LINK-2")) == (3, 10)


@pytest.mark.parametrize(("day", "overdue"), [(date(2027, 1, 12), False), (date(2027, 1, 13), True)])
def test_a_deadline_in_a_year_without_a_published_arrangement_is_a_date_marked_provisional(any_db_url, day, overdue):
    store = open_store(any_db_url)
    add_run(store, date(2026, 12, 28), "complete", ("LINK-1", GONE))
    with store.session() as session:
        (tracked,) = track(session, SITE, at(day), PACK, WorkCalendar())
    # 29–31 December, then New Year's Day 2027 off: the 10th working day is Tuesday 12 January
    assert (tracked.deadline, tracked.overdue) == (date(2027, 1, 12), overdue)
    assert tracked.deadline_note == "暂定：2027年调休安排未发布，按法定节假日推算"
    store.engine.dispose()


def test_a_deadline_within_a_published_year_has_no_note(any_db_url):
    store = open_store(any_db_url)
    add_run(store, date(2026, 12, 14), "complete", ("LINK-1", GONE))
    with store.session() as session:
        (tracked,) = track(session, SITE, at(date(2026, 12, 15)), PACK, WorkCalendar())
    assert (tracked.deadline, tracked.deadline_note) == (date(2026, 12, 28), None)
    store.engine.dispose()


def rechecked(store, day: date) -> dict[str, tuple[str, bool]]:
    with store.session() as session:
        return {t.target: (t.state, t.rechecked)
                for t in track(session, SITE, at(day) + timedelta(hours=12), PACK, WorkCalendar())}


def test_a_complete_run_fixes_only_what_it_saw_again(any_db_url):
    store = open_store(any_db_url)
    add_run(store, date(2026, 11, 2), "complete", ("LINK-2", GONE), ("ID-2", ARTICLE))
    # complete, but the page listing the dead link was blank and the article could not be parsed
    add_run(store, date(2026, 11, 3), "complete", failed={SECTION: "empty_page", ARTICLE: "parse_error"})
    assert rechecked(store, date(2026, 11, 3)) == {GONE: ("open", False), ARTICLE: ("open", False)}
    add_run(store, date(2026, 11, 4), "complete", ("ID-2", ARTICLE))  # both seen again: one gone, one still there
    assert rechecked(store, date(2026, 11, 4)) == {GONE: ("fixed", True), ARTICLE: ("open", True)}
    store.engine.dispose()


def test_a_rate_limited_target_is_neither_confirmed_nor_fixed(any_db_url):
    store = open_store(any_db_url)
    add_run(store, date(2026, 11, 2), "complete", ("LINK-2", GONE))
    add_run(store, date(2026, 11, 3), "complete", failed={GONE: "rate_limited"})
    assert rechecked(store, date(2026, 11, 3)) == {GONE: ("open", False)}
    add_run(store, date(2026, 11, 4), "complete", failed={GONE: "parse_error"})  # it answered: the link works
    assert rechecked(store, date(2026, 11, 4)) == {GONE: ("fixed", True)}
    store.engine.dispose()


def test_a_run_not_yet_checked_is_no_observation(any_db_url):
    store = open_store(any_db_url)
    add_run(store, date(2026, 11, 2), "complete", ("LINK-2", GONE))
    add_run(store, date(2026, 11, 3), "complete", checked=False)  # crawled, never checked: no findings stored
    assert states(store, date(2026, 11, 3))[GONE][:2] == ("new", date(2026, 11, 2))  # neither fixed nor seen again
    add_run(store, date(2026, 11, 4), "complete", ("LINK-2", GONE))
    assert states(store, date(2026, 11, 4))[GONE][:3] == ("open", date(2026, 11, 2), date(2026, 11, 16))  # not reopened
    store.engine.dispose()


def test_a_run_that_could_not_judge_a_rule_fixes_none_of_its_findings(any_db_url):
    store = open_store(any_db_url)
    add_run(store, date(2026, 11, 2), "complete", ("INTER-1", SECTION), ("LINK-2", GONE))
    # the next run could not read the consultation pages (robots.txt), and found no dead link
    add_run(store, date(2026, 11, 3), "complete", unjudged={"INTER-1": "3个页面按robots.txt未采集"})
    assert rechecked(store, date(2026, 11, 3)) == {SECTION: ("open", False), GONE: ("fixed", True)}
    add_run(store, date(2026, 11, 4), "complete")  # judged again, and gone
    assert rechecked(store, date(2026, 11, 4))[SECTION] == ("fixed", True)
    store.engine.dispose()
