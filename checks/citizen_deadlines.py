"""ZC-1: a 我为政府网站找错 report must be answered within 2 working days of receipt and closed within 3 months.

The deadlines come from the pack and the working-day calendar. The cross-check of the reports against the live
site is ``govmon.intake.verify``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from govmon.checks.context import Context, months_after
from govmon.checks.pack import Pack
from govmon.checks.rule import Rule, judges
from govmon.config import china_day, with_zone
from govmon.store import CitizenReport
from govmon.workdays import WorkCalendar

ZC_1 = Rule(
    id="ZC-1", cls="advice", title="网民留言办理不及时",
    summary="A 我为政府网站找错 report not answered within 2 working days, or not closed within 3 months.",
    why="Seed 004 holds sites to the national platform's deadlines; supervisors report on them.",
    source="楚雄州2017年政务公开工作要点落实情况报告（“我为政府网站找错”留言2个工作日内答复、3个月内办结）",
    fix="在规定时限内答复并办结网民留言",
    settings=("reply_working_days", "close_months"),
)
RULES = (ZC_1,)


def report_deadlines(received: date, context: Context) -> tuple[date, date]:
    """(reply due, close due) for a report received on ``received``."""
    settings = context.pack.rule("ZC-1")
    return context.calendar.add(received, int(settings["reply_working_days"])), _close_due(received, context.pack)


def _close_due(received: date, pack: Pack) -> date:
    return months_after(received, int(pack.rule("ZC-1")["close_months"]))


@judges(ZC_1, on="citizen_report")
def deadline_status(report: CitizenReport, pack: Pack, calendar: WorkCalendar, moment: datetime) -> dict:
    """Where a report stands against ZC-1 as of moment, in China days: received, reply_due, close_due,
    answered_on, closed_on, answered_on_time (None while unanswered), reply_overdue (unanswered after
    reply_due, or answered late), close_overdue, as_of. An answer or a closing after moment has not happened
    yet. A reply deadline counted over a year whose 调休 arrangement is not published is provisional and note
    says so (暂定, and why); the close deadline counts calendar months."""
    context = Context(pack, _utc(moment), calendar=calendar)
    received = china_day(report.submitted_at)
    answered, closed = _day_by(report.answered_at, moment), _day_by(report.closed_at, moment)
    reply_due, close_due = report_deadlines(received, context)
    note = calendar.provisional(received, reply_due)
    on_time = None if answered is None else answered <= reply_due
    waiting_too_long = answered is None and context.today > reply_due
    return {"received": received, "reply_due": reply_due, "close_due": close_due, "answered_on": answered,
            "closed_on": closed, "answered_on_time": on_time, "reply_overdue": on_time is False or waiting_too_long,
            "close_overdue": (closed or context.today) > close_due, "note": note, "as_of": context.today}


def _utc(moment: datetime) -> datetime:
    """As the store keeps it: UTC (SQLite drops the zone on what it stores)."""
    return with_zone(moment).astimezone(UTC)


def _day_by(moment: datetime | None, by: datetime) -> date | None:
    """The China day of moment if it has happened by ``by``."""
    return china_day(moment) if moment is not None and _utc(moment) <= _utc(by) else None
