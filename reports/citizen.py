"""The supervisor report's 找错 section: how the period's 我为政府网站找错 reports were verified and handled.

Counts the reports received in the period by their latest cross-check's verdict, how many were answered
within the ZC-1 reply deadline, which reports still open at the period's end are past a deadline, and how
many problems the monitor had already found before the citizen reported them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select

from govmon.checks.citizen_deadlines import deadline_status
from govmon.checks.pack import Pack
from govmon.config import with_zone
from govmon.registry import Registry, Site
from govmon.store import CitizenReport, ReportCheck, Store
from govmon.workdays import WorkCalendar

VERDICTS = ("confirmed", "not_reproduced", "needs_person", "unchecked")


def citizen_section(store: Store, registry: Registry, calendar: WorkCalendar, pack_of: Callable[[Site], Pack],
                    start: datetime, end: datetime) -> dict:
    """The 找错 figures for reports received in [start, end), and the overdue ones among all reports open at end."""
    with store.session() as session:
        reports = list(session.scalars(select(CitizenReport).where(CitizenReport.submitted_at < end)
                                       .order_by(CitizenReport.submitted_at, CitizenReport.number)))
        newest = (select(ReportCheck.report_id, func.max(ReportCheck.id).label("id"))
                  .where(ReportCheck.checked_at < end).group_by(ReportCheck.report_id).subquery())
        checks = {check.report_id: check for check in session.scalars(
            select(ReportCheck).join(newest, ReportCheck.id == newest.c.id))}
    sites = {site.id: site for site in registry.sites}
    rows: dict[str, dict] = {}
    overdue = []
    totals = {"received": 0, **{verdict: 0 for verdict in VERDICTS}, "answered_on_time": 0, "answered_late": 0,
              "overdue": 0, "found_first": 0}
    for report in reports:
        site = sites.get(report.site_id)
        if site is None:
            continue
        status = deadline_status(report, pack_of(site), calendar, end)
        row = rows.setdefault(site.id, {"id": site.id, "name": site.name, "received": 0, "confirmed": 0,
                                        "answered_on_time": 0, "overdue": 0, "found_first": 0})
        closed = report.closed_at is not None and with_zone(report.closed_at) < end
        if not closed and (status["reply_overdue"] or status["close_overdue"]):
            totals["overdue"] += 1
            row["overdue"] += 1
            overdue.append({"number": report.number, "site": site.name, "category": report.category,
                            "url": report.url, "reply_due": _iso_day(status["reply_due"]),
                            "reply_due_note": status["note"],
                            "close_due": _iso_day(status["close_due"]),
                            "late": "答复超期" if status["reply_overdue"] else "办结超期"})
        if with_zone(report.submitted_at) < start:
            continue
        check = checks.get(report.id)
        verdict = check.verdict if check is not None else "unchecked"
        first = check.finding_first_seen if check is not None else None
        found_first = first is not None and with_zone(first) < with_zone(report.submitted_at)
        on_time = status["answered_on_time"]
        totals["received"] += 1
        totals[verdict] += 1
        totals["answered_on_time"] += on_time is True
        totals["answered_late"] += on_time is False
        totals["found_first"] += found_first
        row["received"] += 1
        row["confirmed"] += verdict == "confirmed"
        row["answered_on_time"] += on_time is True
        row["found_first"] += found_first
    return {**totals, "sites": [row for row in rows.values() if row["received"] or row["overdue"]],
            "overdue_reports": overdue}


def _iso_day(value) -> str | None:
    return value.isoformat() if value is not None else None

