"""Which jobs monitoring needs, and when each runs: derived from the registry alone.

The plan is pure data, so `govmon schedule list`, the service and the replay of simulated days
all agree on it. Times are China's. Sites are staggered: availability probes are spread evenly
over the day, each site offset from the others, and crawls start one after another across the
crawl window, so no two sites are hit at the same moment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from govmon.registry import Registry

TIMEZONE = ZoneInfo("Asia/Shanghai")
ANCHOR = datetime(2020, 1, 1, tzinfo=TIMEZONE)  # interval triggers count from a fixed day: the same plan on every start
PERIODS = {  # report period → minutes after [schedule] reports_at, and the days it is written on
    "daily": (0, {}),  # first: the longer periods' trends read the daily verdicts
    "weekly": (5, {"day_of_week": "mon"}),
    "monthly": (10, {"day": "1"}),
    "quarterly": (15, {"month": "1,4,7,10", "day": "1"}),
}


@dataclass(frozen=True)
class PlannedJob:
    id: str  # stable across restarts: how a restart finds the job it already has
    name: str
    func: str  # "module:function", as the job store keeps it
    args: tuple[str, ...]
    trigger: BaseTrigger
    executor: str = "default"  # "crawl": the pool that holds at most max_crawls crawls at once


def _minutes(hh_mm: str) -> int:
    hours, minutes = hh_mm.split(":")
    return int(hours) * 60 + int(minutes)


def _at(minute_of_day: int, **days) -> CronTrigger:
    minute_of_day %= 24 * 60
    return CronTrigger(hour=minute_of_day // 60, minute=minute_of_day % 60, timezone=TIMEZONE, **days)


def plan(registry: Registry, config: str, db_url: str) -> list[PlannedJob]:
    """Every job for the registry's sites; ``config`` and ``db_url`` are what each job opens when it runs."""
    schedule, sites = registry.schedule, registry.sites
    every = timedelta(seconds=86400 // schedule.probes_per_day)
    window_start, window_end = (_minutes(t) for t in schedule.crawl_window)
    crawl_step = (window_end - window_start) / len(sites)
    jobs = []
    for index, site in enumerate(sites):
        common = (config, db_url, site.id)
        offset = every * index / len(sites)
        jobs.append(PlannedJob(f"availability:{site.id}", f"availability probe of {site.id}",
                               "govmon.schedules.jobs:probe_availability", common,
                               IntervalTrigger(seconds=every.total_seconds(), start_date=ANCHOR + offset,
                                               timezone=TIMEZONE)))
        jobs.append(PlannedJob(f"crawl:{site.id}", f"crawl and check of {site.id}", "govmon.schedules.jobs:crawl_and_check",
                               common, _at(window_start + int(index * crawl_step)), executor="crawl"))
        jobs.append(PlannedJob(f"ipv6:{site.id}", f"IPv6 probe of {site.id}", "govmon.schedules.jobs:probe_ipv6", common,
                               _at(_minutes(schedule.ipv6_at) + index % 30)))
        if registry.accounts_of(site.id):
            jobs.append(PlannedJob(f"media:{site.id}", f"new-media accounts of {site.id}",
                                   "govmon.schedules.jobs:check_media", common, _at(_minutes(schedule.media_at) + index % 30)))
    jobs.append(PlannedJob("citizen-reports", "cross-check of open 我为政府网站找错 reports",
                           "govmon.schedules.jobs:verify_citizen_reports", (config, db_url),
                           # cross-checked daily, done before the reports count them: [intake] verify_budget earlier
                           _at(_minutes(schedule.reports_at) - math.ceil(registry.intake.verify_budget / 60))))
    for period, (later, days) in PERIODS.items():
        jobs.append(PlannedJob(f"report:{period}", f"{period} reports", "govmon.schedules.jobs:write_reports",
                               (config, db_url, period), _at(_minutes(schedule.reports_at) + later, **days)))
    return jobs
