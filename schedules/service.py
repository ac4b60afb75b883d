"""The monitoring service: APScheduler 3 with its jobs kept in the govmon database.

A restart neither duplicates nor loses jobs: each planned job has a stable id, a job whose
definition is unchanged is kept as stored (with its next run time, so a run missed while the
service was down still starts, once, if it is within the misfire grace), a changed one is
replaced, and one no longer planned (a site removed from the registry) is removed. SIGTERM or
Ctrl-C stops the crawls gracefully (their runs close as partial), lets running jobs finish,
and leaves the job store as it was.
"""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED

from govmon.registry import Registry
from govmon.schedules.jobs import CHILDREN
from govmon.schedules.plan import TIMEZONE, PlannedJob, plan
from govmon.store import Store

JOBS_TABLE = "scheduled_jobs"
log = logging.getLogger("govmon.serve")


class Scheduler(BackgroundScheduler):
    """APScheduler 3 wakes its thread on shutdown and processes the due jobs once more, against executors
    already closed: those runs fail to start and their next run time moves on, lost. Stopped, it processes none,
    so a run due at shutdown (or missed while paused) is still due on the next start."""

    def _process_jobs(self):
        if self.state == STATE_STOPPED:
            return None
        return super()._process_jobs()


def scheduler_for(store: Store, registry: Registry) -> Scheduler:
    schedule = registry.schedule
    return Scheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=store.engine, tablename=JOBS_TABLE)},
        executors={"default": ThreadPoolExecutor(4), "crawl": ThreadPoolExecutor(schedule.max_crawls)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": schedule.misfire_grace},
        timezone=TIMEZONE,
    )


def stored_as_planned(stored: Job | None, planned: PlannedJob) -> bool:
    """Whether the stored job is the planned one (then it is kept, with its next run time)."""
    return stored is not None and (stored.func_ref, tuple(stored.args), str(stored.trigger), stored.executor,
                                   stored.name) == (planned.func, planned.args, str(planned.trigger),
                                                    planned.executor, planned.name)


@dataclass(frozen=True)
class Sync:
    kept: list[str]
    added: list[str]
    replaced: list[str]
    removed: list[str]


def sync_jobs(scheduler: Scheduler, planned: list[PlannedJob]) -> Sync:
    """Make the started (paused) scheduler's stored jobs the planned ones, keeping unchanged jobs untouched."""
    stored = {job.id: job for job in scheduler.get_jobs()}
    wanted = {job.id: job for job in planned}
    kept, added, replaced = [], [], []
    for job_id, job in wanted.items():
        if stored_as_planned(stored.get(job_id), job):
            kept.append(job_id)
            continue
        (replaced if job_id in stored else added).append(job_id)
        scheduler.add_job(job.func, job.trigger, args=job.args, id=job.id, name=job.name, executor=job.executor,
                          replace_existing=True)
    removed = sorted(set(stored) - set(wanted))
    for job_id in removed:
        scheduler.remove_job(job_id)
    return Sync(kept, added, replaced, removed)


def open_scheduler(store: Store, registry: Registry, config: str, db_url: str) -> tuple[Scheduler, Sync]:
    """A started but paused scheduler holding the plan's jobs; resume() sets it going."""
    scheduler = scheduler_for(store, registry)
    scheduler.start(paused=True)
    return scheduler, sync_jobs(scheduler, plan(registry, config, db_url))


def serve(store: Store, registry: Registry, config: str, db_url: str, ready=None) -> None:
    """Run until SIGTERM or SIGINT, then stop gracefully. ``ready(scheduler, sync)`` is called once jobs run."""
    scheduler, sync = open_scheduler(store, registry, config, db_url)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        scheduler.resume()
        log.info("serving %d jobs (%d kept, %d added, %d replaced, %d removed)", len(scheduler.get_jobs()),
                 len(sync.kept), len(sync.added), len(sync.replaced), len(sync.removed))
        if ready is not None:
            ready(scheduler, sync)
        # A signal sent to the process may land on one of the scheduler's threads: its handler runs only when the
        # main thread executes, so it must wake now and then rather than block in one endless wait.
        while not stop.wait(timeout=1.0):
            pass
        log.info("stopping: crawls close their runs as partial, running jobs finish")
        CHILDREN.stop()
        scheduler.shutdown(wait=True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
