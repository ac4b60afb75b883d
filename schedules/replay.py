"""Run the service's jobs over a span of simulated time, each at its planned moment, on a pinned clock.

The jobs and triggers are the service's own (the same job store); only the clock differs: it is
set to each fire time in turn (``GOVMON_NOW``, which the crawl children inherit) and the job runs
to completion before the next, so several days of monitoring take minutes and give the same
result every time. Tests use it to follow a site through days; an operator can use it to
backfill a day the service missed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from apscheduler.job import Job

from govmon import clock

TICK = timedelta(microseconds=1)


def fire_times(job: Job, start: datetime, end: datetime) -> Iterator[datetime]:
    """The job's planned fire times in [start, end)."""
    at = job.trigger.get_next_fire_time(None, start)
    while at is not None and at < end:
        yield at
        at = job.trigger.get_next_fire_time(at, at + TICK)


@contextmanager
def pinned(moment: datetime) -> Iterator[None]:
    before = os.environ.get(clock.PINNED)
    os.environ[clock.PINNED] = moment.isoformat()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(clock.PINNED, None)
        else:
            os.environ[clock.PINNED] = before


def replay(jobs: list[Job], start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """Run every job at each of its fire times in [start, end), in time order; what ran, in order."""
    due = sorted((at, job.id, job) for job in jobs for at in fire_times(job, start, end))
    for at, _job_id, job in due:
        with pinned(at):
            job.func(*job.args, **job.kwargs)
    return [(at, job_id) for at, job_id, _job in due]
