"""Which jobs monitoring needs, and when each runs: derived from the registry alone.

The plan is pure data, so `govmon schedule list`, the service and the replay of simulated days
all agree on it. Times are China's. Sites are staggered: availability probes are spread evenly
over the day, each site offset from the others, and crawls are planned from politeness
(:func:`crawl_plan`): as few crawls at once as let every site finish within the crawl window,
each slot's crawls spread over the window with equal gaps, so no two sites start at once.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from govmon.registry import CrawlLimits, Registry, Schedule, Site

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


def _at_second(second_of_day: int) -> CronTrigger:
    second_of_day %= 86400
    return CronTrigger(hour=second_of_day // 3600, minute=second_of_day // 60 % 60, second=second_of_day % 60,
                       timezone=TIMEZONE)


@dataclass(frozen=True)
class SiteCrawl:
    """One site's daily crawl in the plan; times are seconds from the day's midnight (China time), past 86400 on
    the day after."""

    site_id: str
    pages: int
    seconds_per_page: float
    duration: float  # expected seconds
    capped: bool  # the estimate passed the crawl's duration limit: it stops there, partial
    slot: int
    start: int
    finish: int
    unfit: str | None  # why it cannot finish within the window; None when it can


@dataclass(frozen=True)
class CrawlPlan:
    window: tuple[int, int]  # seconds from midnight
    crawls_at_once: int
    limit: int  # crawls at once allowed
    limited_by: str  # what sets the limit, in words
    sites: tuple[SiteCrawl, ...]  # in the registry's order

    @property
    def unfit(self) -> tuple[SiteCrawl, ...]:
        return tuple(site for site in self.sites if site.unfit)


def seconds_per_page(crawl: CrawlLimits, request_seconds: float) -> float:
    """Scrapy starts a request to the site at most every ``delay`` seconds and holds at most ``concurrency`` in
    flight, each taking ``request_seconds``: a page every max(delay, request_seconds / concurrency)."""
    return max(crawl.delay, request_seconds / crawl.concurrency)


def expected_duration(crawl: CrawlLimits, request_seconds: float) -> tuple[int, float, bool]:
    """Pages expected (expected_pages, else max_pages), seconds the crawl takes, and whether it reaches its duration
    limit first (then it stops there: the limit is its duration)."""
    pages = min(crawl.expected_pages or crawl.max_pages, crawl.max_pages)
    estimate = pages * seconds_per_page(crawl, request_seconds)
    return pages, min(estimate, crawl.duration_limit()), estimate > crawl.duration_limit()


def crawl_limit(schedule: Schedule, memory_mb: int | None) -> tuple[int, str]:
    """Crawls allowed at once: max_crawls, fewer when the memory for crawls holds fewer (one at least, always)."""
    fit = memory_mb // schedule.crawl_memory_mb if memory_mb is not None else schedule.max_crawls
    if fit >= schedule.max_crawls:
        return schedule.max_crawls, f"max_crawls = {schedule.max_crawls}"
    return max(1, fit), f"memory: {memory_mb} MB for crawls, {schedule.crawl_memory_mb} MB a crawl"


def _pack(durations: list[float], slots: int) -> list[list[int]]:
    """Longest first, each crawl into the slot with the least work so far: close to the fewest slots' best."""
    work = [0.0] * slots
    members: list[list[int]] = [[] for _ in range(slots)]
    for index in sorted(range(len(durations)), key=lambda i: -durations[i]):
        slot = work.index(min(work))
        work[slot] += durations[index]
        members[slot].append(index)
    return members


def _starts(members: list[list[int]], durations: list[float], window: tuple[int, int]) -> dict[int, tuple[int, float]]:
    """Each crawl's slot and start: a slot's crawls in turn with its spare time as equal gaps after each, slot j
    shifted j/slots of a gap so that slots do not start together; a full slot's crawls back to back."""
    start, length = window[0], window[1] - window[0]
    planned = {}
    for slot, indexes in enumerate(members):
        spare = length - sum(durations[i] for i in indexes)
        gap = spare / len(indexes) if spare > 0 and indexes else 0.0
        at = start + gap * slot / len(members)
        for index in indexes:
            planned[index] = (slot, at)
            at += durations[index] + gap
    return planned


def crawl_plan(sites: tuple[Site, ...], schedule: Schedule, memory_mb: int | None) -> CrawlPlan:
    """The day's crawls: the fewest at once (up to the limit) with which every site that can finish within the
    window does, each site's start and expected finish, and the sites that cannot finish, with why.
    ``memory_mb``: memory for all crawls together (None: no bound but max_crawls)."""
    window = (_minutes(schedule.crawl_window[0]) * 60, _minutes(schedule.crawl_window[1]) * 60)
    length = window[1] - window[0]
    estimates = [expected_duration(site.crawl, schedule.request_seconds) for site in sites]
    durations = [duration for _pages, duration, _capped in estimates]
    limit, limited_by = crawl_limit(schedule, memory_mb)
    fitting = [d for d in durations if d <= length]
    for slots in range(min(limit, max(1, math.ceil(sum(fitting) / length))), limit + 1):
        planned = _starts(_pack(durations, slots), durations, window)
        if all(planned[i][1] + d <= window[1] + 1e-6 for i, d in enumerate(durations) if d <= length):
            break
    crawls = []
    for index, (site, (pages, duration, capped)) in enumerate(zip(sites, estimates, strict=True)):
        slot, start = planned[index]
        if duration > length:
            unfit = f"its crawl alone takes {clock_time(duration)}, longer than the window ({clock_time(length)})"
        elif start + duration > window[1] + 1e-6:
            unfit = f"the window is full with {slots} crawls at once (at most {limit}: {limited_by})"
        else:
            unfit = None
        crawls.append(SiteCrawl(site.id, pages, seconds_per_page(site.crawl, schedule.request_seconds), duration,
                                capped, slot, round(start), round(start + duration), unfit))
    return CrawlPlan(window, slots, limit, limited_by, tuple(crawls))


def clock_time(seconds: float) -> str:
    """Seconds as H:MM:SS (a duration, or a time of day; past 24:00:00 on the day after)."""
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def machine_memory_mb(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """Half the machine's memory (MemTotal), what crawls may hold together by default; None where it is not known.
    The other half is the service's own, its checks', the database's and the system's."""
    try:
        text = meminfo.read_text(encoding="ascii")
    except OSError:
        return None
    found = re.search(r"^MemTotal:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) // 1024 // 2 if found else None


def daily_crawls(registry: Registry) -> CrawlPlan:
    """The registry's crawl plan, on its [schedule] memory_mb or, unset, the machine's."""
    schedule = registry.schedule
    return crawl_plan(registry.sites, schedule, schedule.memory_mb or machine_memory_mb())


def plan(registry: Registry, config: str, db_url: str) -> list[PlannedJob]:
    """Every job for the registry's sites; ``config`` and ``db_url`` are what each job opens when it runs."""
    schedule, sites = registry.schedule, registry.sites
    every = timedelta(seconds=86400 // schedule.probes_per_day)
    crawls = daily_crawls(registry).sites
    jobs = []
    for index, site in enumerate(sites):
        common = (config, db_url, site.id)
        offset = every * index / len(sites)
        jobs.append(PlannedJob(f"availability:{site.id}", f"availability probe of {site.id}",
                               "govmon.schedules.jobs:probe_availability", common,
                               IntervalTrigger(seconds=every.total_seconds(), start_date=ANCHOR + offset,
                                               timezone=TIMEZONE)))
        jobs.append(PlannedJob(f"crawl:{site.id}", f"crawl and check of {site.id}", "govmon.schedules.jobs:crawl_and_check",
                               common, _at_second(crawls[index].start), executor="crawl"))
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
