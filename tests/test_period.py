"""A period's reports from a real store: daily reports over several days, then the week's, then the quarter's;
the dated folders, index.json, the stored verdicts (never duplicated by a rerun), a site never crawled."""

from __future__ import annotations

import json
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from govmon.checks.engine import record_findings
from govmon.checks.latest import availability_at, check_for_reports
from govmon.checks.pack import load_pack
from govmon.checks.rule import Draft
from govmon.config import CHINA_TZ
from govmon.registry import load_registry
from govmon.reports.period_reports import PeriodReports, issuer, write_period_reports
from govmon.reports.periods import period_bounds, period_end, period_moments, period_through
from govmon.store import Finding, Run, SiteVerdict
from govmon.workdays import WorkCalendar

HOME = "http://www.test.gov.cn/"
GONE, OLD, PDF = HOME + "gone.html", HOME + "old.html", "http://www.dept.gov.cn/a.pdf"
CALENDAR = WorkCalendar()
MOMENT = datetime(2026, 12, 1, 8, tzinfo=CHINA_TZ)


def site_entry(site_id: str, name: str, home: str, kind: str = "portal", level: str | None = "市") -> str:
    return textwrap.dedent(f"""\
        [[site]]
        id = "{site_id}"
        name = "{name}"
        site_code = "5300000033"
        home = "{home}"
        type = "{kind}"
        {f'level = "{level}"' if level else ''}
        sponsor = "{name}办公室"
        [site.admin]
        name = "管理员"
        email = "admin@example.gov.cn"
        """)


@pytest.fixture
def registry(tmp_path: Path):
    path = tmp_path / "govmon.toml"
    path.write_text(site_entry("t", "测试市人民政府", HOME)
                    + site_entry("d", "测试市发展和改革委员会", "http://www.dept.gov.cn/", "department", None)
                    + site_entry("n", "测试镇人民政府", "http://www.town.gov.cn/", "portal", "乡"), encoding="utf-8")
    return load_registry(path)


def add_run(store, site_id: str, day: date, status: str, *targets: tuple[str, str],
            checked: str | None = "national") -> int:
    """A run started at 09:00 in China that day (stored in UTC, as the crawler stores it), with its findings."""
    started = datetime(day.year, day.month, day.day, 9, tzinfo=CHINA_TZ).astimezone(UTC)
    stats = {"checked": {"pack": checked, "as_of": started.isoformat(), "unjudged": {}}} if checked else {}
    with store.session.begin() as session:
        run = Run(site_id=site_id, site_code="5300000033", home_url=HOME, started_at=started,
                  finished_at=started + timedelta(hours=1), status=status, host="h", pid=1, settings={}, stats=stats)
        session.add(run)
        session.flush()
        drafts = [Draft(rule, target, {"reason": "http_404", "status": 404, "detail": ""}) for rule, target in targets]
        record_findings(session, drafts, site_id, started, started, run_id=run.id)
        return run.id


@pytest.fixture
def crawled(store):
    """t: two broken links on Monday, one fixed on Tuesday, its homepage stale from Wednesday; d: one partial crawl
    on Tuesday; n: never crawled."""
    add_run(store, "t", date(2026, 10, 5), "complete", ("LINK-1", GONE), ("LINK-2", OLD))
    add_run(store, "t", date(2026, 10, 6), "complete", ("LINK-1", GONE))
    add_run(store, "t", date(2026, 10, 7), "complete", ("LINK-1", GONE), ("HOME-1", HOME))
    add_run(store, "d", date(2026, 10, 6), "partial", ("LINK-3", PDF))
    add_run(store, "t", date(2026, 10, 13), "complete")  # after the week: never part of its reports
    return store


def period_reports(store, registry, period: str, bounds: tuple[str, date, date], out_root: Path,
                   **options) -> PeriodReports:
    """As serve and report --supervisor write them: each site's latest run checked first, AVAIL-1 passed in."""
    availability = check_for_reports(store, registry, period_end(bounds),
                                     lambda site: load_pack(site.pack or registry.settings.pack), CALENDAR)
    return write_period_reports(store, registry, period, bounds, out_root, calendar=CALENDAR,
                                availability=availability, **options)


def daily(store, registry, tmp_path: Path, report_day: date) -> PeriodReports:
    return period_reports(store, registry, "daily", period_bounds("daily", report_day), tmp_path / "reports",
                          moment=MOMENT)


def verdict_rows(store, period: str | None = None) -> list[SiteVerdict]:
    with store.session() as session:
        query = select(SiteVerdict).order_by(SiteVerdict.day, SiteVerdict.site_id)
        return list(session.scalars(query.where(SiteVerdict.period == period) if period else query))


def index_of(written: PeriodReports) -> dict:
    return json.loads(written.index.read_text(encoding="utf-8"))


def test_daily_reports_over_several_days_then_the_week(crawled, registry, tmp_path):
    store = crawled
    for day in (6, 7, 8, 9):
        daily(store, registry, tmp_path, date(2026, 10, day))
    root = tmp_path / "reports"
    assert sorted(p.name for p in (root / "daily").iterdir()) == [f"2026-10-0{d}" for d in (5, 6, 7, 8)]

    rows = verdict_rows(store, "daily")
    assert [(r.day.day, r.site_id, r.result, r.provisional, r.vetoes, r.counts["open"], r.counts["new"],
             r.counts["fixed"]) for r in rows] == [
        (5, "t", "合格", True, [], 2, 2, 0),  # no availability probes yet: a pass waits
        (6, "d", "合格", True, [], 1, 1, 0),  # partial crawl
        (6, "t", "合格", True, [], 1, 0, 1),  # the old link was fixed on the 6th
        (7, "d", "合格", True, [], 1, 0, 0),
        (7, "t", "不合格", False, ["HOME-1"], 2, 1, 0),
        (8, "d", "合格", True, [], 1, 0, 0),
        (8, "t", "不合格", False, ["HOME-1"], 2, 0, 0),  # no crawl on the 8th: the 7th's run still stands
    ]
    assert rows[4].counts["by_rule"] == {"HOME-1": 1, "LINK-1": 1}
    assert set(rows[0].counts) == {"by_rule", "new", "open", "reopened", "fixed", "overdue"}
    assert rows[0].computed_at.replace(tzinfo=rows[0].computed_at.tzinfo or UTC) == MOMENT

    weekly = period_reports(store, registry, "weekly", period_bounds("weekly", date(2026, 10, 12)), root,
                            moment=MOMENT)
    assert weekly.folder == root / "weekly" / "2026-W41" and weekly.index == weekly.folder / "index.json"
    index = index_of(weekly)
    assert {k: index[k] for k in ("schema", "period", "label", "first_day", "last_day")} == {
        "schema": "govmon.period-reports/1", "period": "weekly", "label": "2026-W41", "first_day": "2026-10-05",
        "last_day": "2026-10-11"}
    sites = {s["id"]: s for s in index["sites"]}
    assert [s["id"] for s in index["sites"]] == ["t", "d", "n"]
    assert {k: sites["t"][k] for k in ("result", "provisional", "vetoes", "open", "new", "fixed", "overdue")} == {
        "result": "不合格", "provisional": False, "vetoes": ["HOME-1"], "open": 2, "new": 2, "fixed": 1, "overdue": 0}
    assert sites["t"]["files"] == {fmt: f"sites/t-整改清单-2026-10-11.{fmt}" for fmt in ("html", "xlsx", "json")}
    assert {k: sites["n"][k] for k in ("result", "provisional", "score", "open", "files")} == {
        "result": "无采集", "provisional": False, "score": None, "open": None, "files": {}}
    kinds = {(f["kind"], f.get("site")): f["path"] for f in index["files"]}
    assert kinds[("supervisor_html", None)] == "supervisor.html" and kinds[("digest_text", None)] == "digest.txt"
    assert kinds[("supervisor_xlsx", None)] == "supervisor.xlsx"
    assert weekly.supervisor_files["supervisor_xlsx"] == weekly.folder / "supervisor.xlsx"
    assert kinds[("rectification_xlsx", "d")] == "sites/d-整改清单-2026-10-11.xlsx"
    assert ("bulletin_html", None) not in kinds
    assert all((weekly.folder / f["path"]).is_file() for f in index["files"])
    assert weekly.site_files["t"]["xlsx"] == weekly.folder / "sites/t-整改清单-2026-10-11.xlsx"
    assert set(weekly.site_docs) == {"t", "d"}

    # the site's list is as of the week's end, fixes counted from the week's start
    doc = weekly.site_docs["t"]
    start, _ = period_moments(date(2026, 10, 5), date(2026, 10, 11))
    assert doc["as_of"] == "2026-10-11" and datetime.fromisoformat(doc["since"]) == start
    assert [f["target"] for f in doc["fixed"]] == [OLD]

    supervisor = json.loads((weekly.folder / "supervisor.json").read_text(encoding="utf-8"))
    assert supervisor["trends"] == {  # the daily verdicts of the 5th to the 8th
        "pass_rate": [{"day": f"2026-10-0{d}", "value": v} for d, v in ((5, 100.0), (6, 100.0), (7, 50.0), (8, 50.0))],
        "open": [{"day": f"2026-10-0{d}", "value": v} for d, v in ((5, 2), (6, 2), (7, 3), (8, 3))],
    }
    assert supervisor["totals"]["rounds"] == 4
    digest = (weekly.folder / "digest.txt").read_text(encoding="utf-8").splitlines()
    assert len(digest) <= 15 and "结论变化：无" in digest  # nothing was judged before the week
    assert [(r.site_id, r.day) for r in verdict_rows(store, "weekly")] == [("d", date(2026, 10, 11)),
                                                                           ("t", date(2026, 10, 11))]


def test_a_rerun_replaces_the_days_verdicts_and_rewrites_its_folder(crawled, registry, tmp_path):
    store = crawled
    first = daily(store, registry, tmp_path, date(2026, 10, 8))
    add_run(store, "d", date(2026, 10, 7), "complete")  # a late crawl of the 7th, then the report again
    again = daily(store, registry, tmp_path, date(2026, 10, 8))
    assert again.folder == first.folder
    with store.session() as session:
        counted = session.execute(select(SiteVerdict.site_id, func.count()).group_by(SiteVerdict.site_id)).all()
    assert sorted(counted) == [("d", 1), ("t", 1)]
    (row,) = [r for r in verdict_rows(store) if r.site_id == "d"]
    assert (row.result, row.provisional, row.counts["open"], row.counts["fixed"]) == ("合格", True, 0, 1)
    assert {s["id"]: s["fixed"] for s in index_of(again)["sites"]}["d"] == 1


def test_a_site_never_crawled_is_listed_but_not_judged(store, registry, tmp_path):
    written = daily(store, registry, tmp_path, date(2026, 10, 9))
    assert written.site_docs == {} and written.site_files == {}
    assert [(s["id"], s["result"], s["score"]) for s in index_of(written)["sites"]] == [
        ("t", "无采集", None), ("d", "无采集", None), ("n", "无采集", None)]
    assert verdict_rows(store) == []  # no verdict to remember
    supervisor = json.loads((written.folder / "supervisor.json").read_text(encoding="utf-8"))
    assert supervisor["totals"]["passed"] == 0 and supervisor["totals"]["pass_rate"] is None
    digest = (written.folder / "digest.txt").read_text(encoding="utf-8").splitlines()
    assert len(digest) == 3 and digest[1] == "无数据：本期（2026-10-08）无采集数据：3个网站均无本期结束前的采集，未作判定"
    assert digest[2] == "生成时间：2026-12-01 08:00（时间均为北京时间）"  # the reports' moment, in China time


def test_a_run_not_checked_with_the_sites_pack_is_checked_as_of_the_periods_end(store, registry, tmp_path):
    unchecked = add_run(store, "t", date(2026, 10, 8), "complete", ("LINK-1", GONE), checked=None)
    other_pack = add_run(store, "d", date(2026, 10, 8), "complete", ("LINK-3", PDF), checked="yunnan-2022")
    written = daily(store, registry, tmp_path, date(2026, 10, 9))
    _, end = period_moments(date(2026, 10, 8), date(2026, 10, 8))
    with store.session() as session:
        for run_id in (unchecked, other_pack):
            checked = session.get(Run, run_id).stats["checked"]
            assert checked["pack"] == "national" and datetime.fromisoformat(checked["as_of"]) == end
        # checking the stored snapshot (no pages here) replaced the hand-recorded findings
        assert session.scalar(select(func.count()).select_from(Finding)) == 0
    assert {s["id"]: s["open"] for s in index_of(written)["sites"]} == {"t": 0, "d": 0, "n": None}


def test_the_reports_read_a_runs_findings_and_never_check_it_themselves(store, registry, tmp_path):
    unchecked = add_run(store, "t", date(2026, 10, 8), "complete", ("LINK-1", GONE), checked=None)
    bounds = period_bounds("daily", date(2026, 10, 9))
    availability = {site.id: availability_at(store, site, load_pack("national"), period_end(bounds))
                    for site in registry.sites}
    written = write_period_reports(store, registry, "daily", bounds, tmp_path / "reports", calendar=CALENDAR,
                                   availability=availability, moment=MOMENT)
    with store.session() as session:
        assert "checked" not in session.get(Run, unchecked).stats
        assert session.scalar(select(func.count()).select_from(Finding)) == 1  # the recorded finding, kept
    assert {s["id"]: s["open"] for s in index_of(written)["sites"]}["t"] == 1


def test_the_quarter_has_its_bulletin_and_trends_over_the_quarter(crawled, registry, tmp_path):
    store = crawled
    for day in (6, 7, 8, 9):
        daily(store, registry, tmp_path, date(2026, 10, day))
    written = period_reports(store, registry, "quarterly", period_bounds("quarterly", date(2027, 1, 1)),
                             tmp_path / "reports", moment=MOMENT, packs={"national": load_pack("national")})
    assert written.folder == tmp_path / "reports" / "quarterly" / "2026-Q4"
    index = index_of(written)
    assert {"path": "通报.html", "kind": "bulletin_html"} in index["files"]
    bulletin = (written.folder / "通报.html").read_text(encoding="utf-8")
    assert "测试市政府网站与政务新媒体2026年第四季度检查情况通报" in bulletin
    assert "10个工作日内完成整改" in bulletin
    # the 13 October crawl fixed the broken link and the stale homepage; the ten working days of both had passed
    sites = {s["id"]: s for s in index["sites"]}
    assert (sites["t"]["result"], sites["t"]["open"], sites["t"]["fixed"]) == ("合格", 0, 3)
    assert sites["d"]["overdue"] == 1  # reported 6 October, due 20 October, still open at the end of December
    supervisor = json.loads((written.folder / "supervisor.json").read_text(encoding="utf-8"))
    assert [p["day"] for p in supervisor["trends"]["open"]] == ["2026-10-05", "2026-10-06", "2026-10-07", "2026-10-08"]


def test_the_bulletin_is_issued_by_the_highest_level_portal(registry):
    assert issuer(registry) == "测试市"


def test_week_and_quarter_bounds_are_the_previous_ones():
    assert period_bounds("daily", date(2026, 10, 9)) == ("2026-10-08", date(2026, 10, 8), date(2026, 10, 8))
    assert period_bounds("weekly", date(2026, 10, 12)) == ("2026-W41", date(2026, 10, 5), date(2026, 10, 11))
    assert period_bounds("weekly", date(2026, 10, 14))[1:] == (date(2026, 10, 5), date(2026, 10, 11))
    assert period_bounds("weekly", date(2027, 1, 4)) == ("2026-W53", date(2026, 12, 28), date(2027, 1, 3))
    assert period_bounds("monthly", date(2026, 10, 1)) == ("2026-09", date(2026, 9, 1), date(2026, 9, 30))
    assert period_bounds("monthly", date(2026, 1, 1)) == ("2025-12", date(2025, 12, 1), date(2025, 12, 31))
    assert period_bounds("quarterly", date(2026, 10, 1)) == ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30))
    assert period_bounds("quarterly", date(2026, 1, 1)) == ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31))
    assert period_bounds("quarterly", date(2026, 5, 20))[0] == "2026-Q1"
    with pytest.raises(ValueError, match="yearly"):
        period_bounds("yearly", date(2026, 1, 1))


def test_a_report_on_demand_covers_the_period_that_contains_its_day_up_to_that_day():
    assert period_through("daily", date(2026, 10, 8)) == period_bounds("daily", date(2026, 10, 9))
    assert period_through("weekly", date(2026, 10, 7)) == ("2026-W41", date(2026, 10, 5), date(2026, 10, 7))
    assert period_through("weekly", date(2026, 10, 11)) == period_bounds("weekly", date(2026, 10, 12))
    assert period_through("monthly", date(2026, 9, 30)) == period_bounds("monthly", date(2026, 10, 1))
    assert period_through("quarterly", date(2026, 11, 2)) == ("2026-Q4", date(2026, 10, 1), date(2026, 11, 2))
    assert period_through("weekly", date(2027, 1, 1)) == ("2026-W53", date(2026, 12, 28), date(2027, 1, 1))


def test_a_period_runs_from_the_start_of_its_first_day_to_the_end_of_its_last_in_china():
    start, end = period_moments(date(2026, 10, 5), date(2026, 10, 11))
    assert start == datetime(2026, 10, 4, 16, tzinfo=UTC)
    assert end == datetime(2026, 10, 11, 16, tzinfo=UTC)
