"""ZC-1: a 我为政府网站找错 report must be answered within 2 working days and closed within 3 months.

The deadlines are computed here, from the pack and the working-day calendar; the reports
themselves arrive with the intake (`govmon intake`), which judges them against these.
"""

from __future__ import annotations

from datetime import date

from checks.context import Context, months_after
from checks.rule import Rule

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
    """(reply due, close due) for a report received on ``received``; raises WorkdayError for an uncovered year."""
    settings = context.pack.rule("ZC-1")
    return (context.calendar.add(received, int(settings["reply_working_days"])),
            months_after(received, int(settings["close_months"])))
