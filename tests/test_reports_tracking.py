"""The rectification list across runs, from a real store: each finding's state, 整改时限 and overdue mark,
and what was fixed since the last report, in the document and cell by cell in the XLSX and HTML."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
from lxml import html as lxml_html
from sqlalchemy import func, select

from govmon.checks.engine import finding_identity, record_findings
from govmon.checks.latest import availability_at
from govmon.checks.pack import load_pack
from govmon.checks.rule import Draft
from govmon.checks.snapshot import session_params_of
from govmon.config import CHINA_TZ
from govmon.reports.assemble import rectification_doc
from govmon.reports.document import validate
from govmon.reports.rectification import write_rectification_list
from govmon.reports.xlsx import COLUMNS, FIXED_COLUMNS
from govmon.store import AvailabilityProbe, Finding, Run, open_store

PACK = load_pack("national")
HOME = "http://www.test.gov.cn/"
GONE, PDF = HOME + "gone.html", HOME + "a/missing.pdf"
EARLY, LATE, KEPT, NEW = HOME + "early.html", HOME + "late.html", HOME + "kept.html", HOME + "new.html"
HEADERS = [column.header for column in COLUMNS]


def at(day: date, hour: int = 9) -> datetime:
    """That hour of the day in China, in UTC as the crawler stores it."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHINA_TZ).astimezone(UTC)


def add_run(store, site_id: str, day: date, *targets: tuple[str, str]) -> int:
    """A complete, checked crawl at 09:00 that found these (rule, target) findings."""
    checked = {"checked": {"pack": "national", "as_of": at(day).isoformat(), "unjudged": {}}}
    with store.session.begin() as session:
        run = Run(site_id=site_id, site_code="5300000033", home_url=HOME, started_at=at(day),
                  finished_at=at(day) + timedelta(hours=1), status="complete", host="h", pid=1, settings={},
                  stats=checked)
        session.add(run)
        session.flush()
        drafts = [Draft(rule, target, {"reason": "http_404", "status": 404, "detail": "HTTP 404"})
                  for rule, target in targets]
        record_findings(session, drafts, site_id, run.started_at, run.started_at, run_id=run.id)
    return run.id


@pytest.fixture
def site(make_site):
    return make_site(HOME)


@pytest.fixture
def store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/x.db")
    yield store
    store.engine.dispose()


@pytest.fixture
def history(store, site):
    """Four complete crawls over National Day; the last (21 October) is the one reported.

    30 Sep: GONE, PDF, EARLY, LATE    8 Oct: PDF fixed    12 Oct: EARLY fixed, PDF back, KEPT appears
    21 Oct: LATE fixed, NEW appears; GONE, reported 30 Sep, was due 20 Oct: overdue.
    """
    gone, pdf = ("LINK-1", GONE), ("LINK-3", PDF)
    early, late, kept, new = (("LINK-2", url) for url in (EARLY, LATE, KEPT, NEW))
    add_run(store, site.id, date(2026, 9, 30), gone, pdf, early, late)
    add_run(store, site.id, date(2026, 10, 8), gone, early, late)
    previous_run = add_run(store, site.id, date(2026, 10, 12), gone, pdf, late, kept)
    run = add_run(store, site.id, date(2026, 10, 21), gone, pdf, kept, new)
    return {"first": at(date(2026, 9, 30)), "previous": at(date(2026, 10, 12)), "last": at(date(2026, 10, 21)),
            "run": run, "previous_run": previous_run}


def report(store, site, run_id: int, day: date, **options) -> dict:
    return rectification_doc(store, site, run_id, PACK, day, at(day, 21),
                             availability=availability_at(store, site, PACK, at(day, 21)), **options)


def by_target(doc: dict) -> dict[str, dict]:
    return {f["target"]: f for f in doc["findings"]}


def test_each_finding_carries_its_state_deadline_and_overdue_mark(store, site, history):
    doc = report(store, site, history["run"], date(2026, 10, 21))
    found = {target: (f["state"], f["reported"], f["deadline"], f["deadline_note"], f["overdue"])
             for target, f in by_target(doc).items()}
    assert found == {
        GONE: ("open", history["first"].isoformat(), "2026-10-20", None, True),
        PDF: ("reopened", history["previous"].isoformat(), "2026-10-26", None, False),
        KEPT: ("open", history["previous"].isoformat(), "2026-10-26", None, False),
        NEW: ("new", history["last"].isoformat(), "2026-11-04", None, False),
    }
    assert by_target(doc)[PDF]["first_seen"] == history["first"].isoformat()  # its first episode, long fixed
    assert doc["summary"]["states"] == {"new": 1, "open": 2, "reopened": 1, "overdue": 1, "fixed": 1}


def test_fixed_lists_what_was_fixed_since_the_previous_crawl_and_not_before(store, site, history):
    doc = report(store, site, history["run"], date(2026, 10, 21))
    assert doc["since"] == history["previous"].isoformat()
    assert doc["fixed"] == [{
        "rule": "LINK-2", "class": "deduct", "title": "其他页面不可用链接", "target": LATE, "location": "",
        "first_seen": history["first"].isoformat(), "reported": history["first"].isoformat(),
        "fixed_at": history["last"].isoformat(), "deadline": "2026-10-20", "on_time": False,
    }]


def test_since_may_be_chosen_and_a_fix_by_the_deadline_is_on_time(store, site, history):
    doc = report(store, site, history["run"], date(2026, 10, 21), since=history["first"])
    assert doc["since"] == history["first"].isoformat()
    # PDF was fixed on 8 October, but it is back: not fixed now
    assert {f["target"]: (f["fixed_at"], f["on_time"]) for f in doc["fixed"]} == {
        EARLY: (history["previous"].isoformat(), True),
        LATE: (history["last"].isoformat(), False),
    }
    assert doc["summary"]["states"]["fixed"] == 2


def test_xlsx_shows_state_deadline_and_overdue_cell_by_cell(store, site, history, tmp_path):
    doc = report(store, site, history["run"], date(2026, 10, 21))
    paths = write_rectification_list(doc, tmp_path / "out", ["xlsx", "json", "html"])
    assert json.loads(paths["json"].read_text(encoding="utf-8")) == doc
    workbook = openpyxl.load_workbook(paths["xlsx"])
    assert workbook.sheetnames == ["整改清单", "已整改", "汇总"]
    sheet = workbook["整改清单"]
    assert [c.value for c in sheet[1]] == HEADERS
    col = {header: n for n, header in enumerate(HEADERS, 1)}
    rows = {sheet.cell(r, col["问题网址"]).value: r for r in range(2, sheet.max_row + 1)}
    assert list(rows) == [GONE, KEPT, NEW, PDF]  # by class, rule, target
    shown = {target: tuple(sheet.cell(r, col[h]).value for h in ("状态", "整改时限", "是否超期"))
             for target, r in rows.items()}
    assert shown == {
        GONE: ("未整改", "2026-10-20", "是"),
        KEPT: ("未整改", "2026-10-26", "否"),
        NEW: ("新发现", "2026-11-04", "否"),
        PDF: ("再次出现", "2026-10-26", "否"),
    }
    assert sheet.auto_filter.ref == f"A1:Q{1 + len(rows)}"
    overdue_fill = {target: {sheet.cell(r, c).fill.fgColor.rgb[-6:] for c in range(1, len(HEADERS) + 1)}
                    for target, r in rows.items()}
    assert overdue_fill[GONE] == {"FFC7CE"}  # the whole row
    assert all(sheet.cell(rows[t], 1).fill.fill_type is None for t in (KEPT, NEW, PDF))


def test_xlsx_fixed_sheet_says_since_when_and_lists_what_was_fixed(store, site, history, tmp_path):
    doc = report(store, site, history["run"], date(2026, 10, 21))
    workbook = openpyxl.load_workbook(write_rectification_list(doc, tmp_path, ["xlsx"])["xlsx"])
    fixed = workbook["已整改"]
    assert fixed["A1"].value == "上次报告以来已整改：自 2026-10-12 09:00 以来已整改的问题"
    assert [c.value for c in fixed[2]] == [c.header for c in FIXED_COLUMNS] == [
        "规则编号", "问题类别", "问题位置", "问题网址", "首次发现", "整改时限", "整改完成", "是否按时"]
    assert [c.value for c in fixed[3]] == ["LINK-2", "扣分", None, LATE, "2026-09-30 09:00", "2026-10-20",
                                           "2026-10-21 09:00", "否"]
    assert fixed.max_row == 3  # EARLY, fixed by the previous crawl (since itself), is not listed
    assert fixed["D3"].hyperlink.target == LATE
    assert (fixed.freeze_panes, fixed.auto_filter.ref) == ("A3", "A2:H3")
    summary = [[c.value for c in row] for row in workbook["汇总"].iter_rows()]
    start = next(n for n, row in enumerate(summary) if row[:2] == ["整改状态", "数量"])
    assert {r[0]: r[1] for r in summary[start + 1:start + 6]} == {
        "新发现": 1, "未整改": 2, "再次出现": 1, "已超期": 1, "已整改": 1}


def test_no_fix_since_the_previous_crawl_says_so(store, site, history, tmp_path):
    doc = report(store, site, history["run"], date(2026, 10, 21), since=history["last"])
    assert doc["fixed"] == []
    fixed = openpyxl.load_workbook(write_rectification_list(doc, tmp_path, ["xlsx"])["xlsx"])["已整改"]
    assert fixed["A3"].value == "无已整改问题"


def test_html_marks_overdue_rows_and_has_the_fixed_section(store, site, history, tmp_path):
    doc = report(store, site, history["run"], date(2026, 10, 21))
    page = lxml_html.fromstring(write_rectification_list(doc, tmp_path, ["html"])["html"].read_bytes())
    headers = [th.text_content() for th in page.xpath("//table[@class='findings']/thead//th")]
    assert headers[-3:] == ["状态", "整改时限", "是否超期"]
    overdue = page.xpath("//table[@class='findings']/tbody/tr[contains(@class, 'overdue')]")
    assert [row.xpath("string(td[@class='col-place']//a)") for row in overdue] == [GONE]
    assert [overdue[0].xpath(f"string(td[@class='{css}'])") for css in ("col-state", "col-deadline", "col-overdue")] \
        == ["未整改首次发现 2026-09-30 09:00", "2026-10-20", "是"]
    assert "tr.overdue td { background" in page.xpath("string(//style)")
    section = page.xpath("//h2[@id='fixed']")[0]
    assert section.text_content() == "上次报告以来已整改"
    assert page.xpath("string(//p[@class='since'])") == "自 2026-10-12 09:00 以来已整改的问题"
    fixed = page.xpath("//table[contains(@class,'fixed')]/tbody/tr")
    assert [[td.text_content() for td in row.xpath("td")] for row in fixed] == [
        ["LINK-2", "扣分", LATE, "2026-09-30 09:00", "2026-10-20", "2026-10-21 09:00", "否"]]
    counts = {r.xpath("string(td[1])"): r.xpath("string(td[2])")
              for r in page.xpath("//table[contains(@class,'by-state')]/tbody/tr")}
    assert counts == {"新发现": "1", "未整改": "2", "再次出现": "1", "已超期": "1", "已整改": "1"}


@pytest.mark.parametrize(("today", "overdue", "label"), [(date(2026, 10, 20), False, "否"),
                                                          (date(2026, 10, 21), True, "是")])
def test_ten_working_days_over_national_day_are_overdue_the_day_after(store, site, tmp_path, today, overdue, label):
    add_run(store, site.id, date(2026, 9, 30), ("LINK-1", GONE))
    doc = report(store, site, add_run(store, site.id, today, ("LINK-1", GONE)), today)
    (finding,) = doc["findings"]
    assert (finding["deadline"], finding["overdue"]) == ("2026-10-20", overdue)
    sheet = openpyxl.load_workbook(write_rectification_list(doc, tmp_path, ["xlsx"])["xlsx"])["整改清单"]
    assert sheet.cell(2, HEADERS.index("是否超期") + 1).value == label
    assert (sheet.cell(2, 1).fill.fill_type == "solid") is overdue


def test_a_deadline_in_a_year_without_a_published_arrangement_is_marked_provisional(store, site, tmp_path):
    doc = report(store, site, add_run(store, site.id, date(2026, 12, 28), ("LINK-1", GONE)), date(2026, 12, 28))
    (finding,) = doc["findings"]
    note = "暂定：2027年调休安排未发布，按法定节假日推算"
    assert (finding["deadline"], finding["deadline_note"], finding["overdue"]) == ("2027-01-12", note, False)
    sheet = openpyxl.load_workbook(write_rectification_list(doc, tmp_path, ["xlsx"])["xlsx"])["整改清单"]
    assert sheet.cell(2, HEADERS.index("整改时限") + 1).value == f"2027-01-12（{note}）"


def add_failing_week(store, site, moment: datetime) -> None:
    """A week of probes before moment, 20 a day, every one failing: AVAIL-1."""
    with store.session.begin() as session:
        session.add_all(AvailabilityProbe(site_id=site.id, url=HOME, ok=False, status=503,
                                          at=moment - timedelta(days=day, minutes=30 + 60 * n))
                        for day in range(7) for n in range(20))


def test_availability_at_makes_the_failing_week_a_finding_with_its_identity_and_stores_none(store, site):
    moment = at(date(2026, 10, 21), 21)
    add_failing_week(store, site, moment)
    evaluation, findings = availability_at(store, site, PACK, moment)
    assert (evaluation["verdict"], evaluation["probes"], evaluation["failures"]) == ("fail", 140, 140)
    (finding,) = findings
    assert (finding.rule, finding.target, finding.first_seen, finding.last_seen) == ("AVAIL-1", HOME, moment, moment)
    assert finding.identity == finding_identity("AVAIL-1", site.id, HOME, session_params_of(site))
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Finding)) == 0


def test_the_availability_finding_computed_for_the_report_is_new_as_of_its_moment(store, site, history):
    moment = at(date(2026, 10, 21), 21)
    add_failing_week(store, site, moment)
    doc = report(store, site, history["run"], date(2026, 10, 21))
    (avail,) = [f for f in doc["findings"] if f["rule"] == "AVAIL-1"]
    assert (avail["state"], avail["reported"], avail["deadline"], avail["overdue"]) == \
        ("new", moment.isoformat(), "2026-11-04", False)
    assert doc["summary"]["states"]["new"] == 2


def test_a_report_on_an_older_run_keeps_the_state_its_findings_were_found_in(store, site, history):
    doc = report(store, site, history["previous_run"], date(2026, 10, 21))
    validate(doc)
    assert by_target(doc)[LATE]["state"] == "open"  # found on 12 October, fixed on the 21st
    assert doc["since"] == at(date(2026, 10, 8)).isoformat()
    assert [f["target"] for f in doc["fixed"]] == [EARLY, LATE]


def test_validate_rejects_a_finding_without_its_state_or_with_a_bad_one(store, site, history):
    doc = report(store, site, history["run"], date(2026, 10, 21))
    validate(doc)
    missing = copy.deepcopy(doc)
    del missing["findings"][0]["state"]
    with pytest.raises(ValueError, match=r"findings\[0\]\.state"):
        validate(missing)
    fixed = copy.deepcopy(doc)
    fixed["findings"][0]["state"] = "fixed"  # fixed findings belong in doc["fixed"]
    with pytest.raises(ValueError, match=r"findings\[0\]\.state is 'fixed'"):
        validate(fixed)
    not_a_date = copy.deepcopy(doc)
    not_a_date["findings"][0]["deadline"] = "10个工作日"
    with pytest.raises(ValueError, match=r"findings\[0\]\.deadline"):
        validate(not_a_date)
    no_on_time = copy.deepcopy(doc)
    del no_on_time["fixed"][0]["on_time"]
    with pytest.raises(ValueError, match=r"fixed\[0\]\.on_time"):
        validate(no_on_time)
