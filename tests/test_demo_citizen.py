"""The demo's 我为政府网站找错 export: imported (the malformed row refused by number), each report cross-checked
against the demo portal with exactly the manifest's verdict, deadlines, and the supervisor's 找错 figures."""

from __future__ import annotations

from datetime import date, datetime

import pytest_twisted

from govmon import clock
from govmon.checks.engine import check_run
from govmon.checks.pack import load_pack
from govmon.config import CHINA_TZ
from govmon.crawler.run import schedule_crawl
from govmon.demo.citizen import EXPORT_FILE, write_export
from govmon.demo.portal import generate
from govmon.demo.run import write_demo_registry
from govmon.demo.server import load_manifest, serve
from govmon.intake.receive import import_reports
from govmon.intake.verify import verify_reports
from govmon.reports.citizen import citizen_section
from govmon.workdays import WorkCalendar

AS_OF = date(2026, 11, 23)
CRAWLED = datetime(2026, 11, 23, 20, tzinfo=CHINA_TZ)
VERIFIED = datetime(2026, 11, 23, 21, tzinfo=CHINA_TZ)


@pytest_twisted.ensureDeferred
async def test_the_demo_export_gets_exactly_the_manifests_verdicts(tmp_path, store, db_url, monkeypatch):
    monkeypatch.setenv(clock.PINNED, CRAWLED.isoformat())
    generate(tmp_path, AS_OF)
    pack, calendar = load_pack("national"), WorkCalendar()
    with serve(tmp_path) as servers:
        registry = write_demo_registry(tmp_path / "registry.toml", servers)
        portal = registry.sites[0]
        run = await schedule_crawl(store, portal, db_url, registry.settings.resolver)
        check_run(store, run.id, pack, CRAWLED, portal, calendar, registry.accounts_of(portal.id))
        expected = [{**r, "url": r["url"].replace(servers.portal, servers.named)}
                    for r in load_manifest(tmp_path, servers)["citizen_reports"]]
        export = write_export(tmp_path / EXPORT_FILE, expected)
        imported = import_reports(store, registry, export)
        again = import_reports(store, registry, export)
        checked = verify_reports(store, registry, calendar, site_id="demo", moment=VERIFIED)
    assert run.status == "complete", run.reason
    (malformed,) = [r for r in expected if r["verdict"] == "malformed"]
    assert (imported.added, [p.row for p in imported.problems]) == (len(expected) - 1, [len(expected) + 1])
    assert "问题类型" in imported.problems[0].reason and malformed["category"] in imported.problems[0].reason
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(expected) - 1)  # no duplicates
    verdicts = {v.report.number: v.check.verdict for v in checked}
    assert verdicts == {r["number"]: r["verdict"] for r in expected if r["verdict"] not in (None, "malformed")}
    assert len(verdicts) == 9 and set(verdicts.values()) == {"confirmed", "not_reproduced", "needs_person"}
    rules = {v.report.number: v.check.finding_rule for v in checked}
    assert rules == {r["number"]: r["rule"] for r in expected if r["number"] in verdicts}  # the monitor's own
    by_number = {v.report.number: v for v in checked}
    typo = by_number["ZC2026110007"].check.evidence
    assert (typo["wrong"], typo["found"]) == ("网络故漳", True)
    assert by_number["ZC2026110009"].check.page_body  # needs a person: the page is kept as evidence
    # ZC-1: received Sunday 15 Nov, unanswered: the reply was due Tuesday 17 Nov
    unanswered = by_number["ZC2026110006"].deadlines
    assert (unanswered["reply_due"], unanswered["reply_overdue"]) == (date(2026, 11, 17), True)
    assert by_number["ZC2026110001"].deadlines["reply_overdue"] is False  # received 22 Nov, due 24 Nov

    start = datetime(2026, 11, 9, tzinfo=CHINA_TZ)
    end = datetime(2026, 11, 24, tzinfo=CHINA_TZ)
    section = citizen_section(store, registry, calendar, lambda site: pack, start, end)
    assert {key: section[key] for key in ("received", "confirmed", "not_reproduced", "needs_person", "unchecked",
                                          "answered_on_time", "answered_late", "overdue", "found_first")} == {
        "received": 10, "confirmed": 5, "not_reproduced": 3, "needs_person": 1, "unchecked": 1,
        "answered_on_time": 4, "answered_late": 0, "overdue": 1, "found_first": 0}
    assert [r["number"] for r in section["overdue_reports"]] == ["ZC2026110006"]
