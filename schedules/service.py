"""The monitoring service: APScheduler 3 with its jobs kept in the govmon database.

A restart neither duplicates nor loses jobs: each planned job has a stable id, a job whose
definition is unchanged is kept as stored (with its next run time, so a run missed while the
service was down still starts, once, if it is within the misfire grace), a changed one is
replaced, and one no longer planned (a site removed from the registry) is removed. SIGTERM or
Ctrl-C stops the crawls gracefully (their runs close as partial), lets running jobs finish,
and leaves the job store as it was.

Crawls run in the plan's number of slots (:class:`CrawlExecutor`); one due while every slot is
busy waits for one, however long, and starts late, saying so: the misfire grace is the
scheduler's, for runs missed while the service was down, never a crawl's wait for a slot.
"""

from __future__ import annotations

import concurrent.futures
import copy
import logging
import signal
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.base import BaseExecutor, MaxInstancesReachedError, run_job
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED

from govmon.registry import Registry
from govmon.schedules.jobs import CHILDREN
from govmon.schedules.plan import TIMEZONE, PlannedJob, daily_crawls, plan
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


class CrawlExecutor(BaseExecutor):
    """The crawls' slots: a crawl handed over while all are busy waits in line (first due, first started) and
    runs when one frees, late, and says so in the log; one whose previous run is still running or waiting is not
    started twice (APScheduler's max_instances, logged here).

    APScheduler 3's pool executors hand each job to ``run_job`` (apscheduler/executors/base.py, ``run_job``,
    lines 106-125 of 3.11.3), which compares ``misfire_grace_time`` with the time the job *starts*, once it has a
    thread: a crawl that waited in a full pool longer than the grace was dropped as missed (EVENT_JOB_MISSED).
    ``BaseScheduler._process_jobs`` (schedulers/base.py) applies no grace of its own when it submits. So here the
    grace is applied when the scheduler hands a run over (a run missed while the service was down), and the run
    itself starts without it."""

    def __init__(self, slots: int) -> None:
        super().__init__()
        self.slots = slots
        self._pool = concurrent.futures.ThreadPoolExecutor(slots, thread_name_prefix="crawl")
        self._taken = 0  # crawls handed over and not ended: running, or waiting for a slot

    def submit_job(self, job: Job, run_times: list[datetime]) -> None:
        now = datetime.now(UTC)
        grace = timedelta(seconds=job.misfire_grace_time) if job.misfire_grace_time is not None else None
        due = [at for at in run_times if grace is None or now - at <= grace]
        for at in run_times:
            if at not in due:
                log.warning("%s due at %s: missed by %s, past the misfire grace (the service was down or paused)",
                            job.name, _china(at), now - at)
                self._scheduler._dispatch_event(JobExecutionEvent(EVENT_JOB_MISSED, job.id, job._jobstore_alias, at))
        if not due:
            return
        try:
            super().submit_job(job, due)
        except MaxInstancesReachedError:
            log.warning("%s due at %s not started: its previous run is still running or waiting for a crawl slot",
                        job.name, _china(due[-1]))
            raise

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        self._taken += 1  # under the executor's lock (submit_job)
        waits = self._taken > self.slots
        future = self._pool.submit(self._run, job, run_times, waits)
        future.add_done_callback(lambda done: self._ended(job, done))

    def _run(self, job: Job, run_times: list[datetime], waited: bool) -> list[JobExecutionEvent]:
        if waited:
            log.warning("%s starts late, %s after it was due (%s): it waited for one of the %d crawl slots",
                        job.name, datetime.now(UTC) - run_times[-1], _china(run_times[-1]), self.slots)
        untimed = copy.copy(job)  # the stored job keeps its grace: this copy only runs
        untimed.misfire_grace_time = None
        return run_job(untimed, job._jobstore_alias, run_times, self._logger.name)

    def _ended(self, job: Job, done: concurrent.futures.Future) -> None:
        with self._lock:
            self._taken -= 1
        if done.cancelled():
            log.warning("%s not started: the service stopped while it waited for a crawl slot", job.name)
            self._run_job_success(job.id, [])
        elif (error := done.exception()) is not None:
            self._run_job_error(job.id, error, error.__traceback__)
        else:
            self._run_job_success(job.id, done.result())

    def shutdown(self, wait: bool = True) -> None:
        """Crawls still waiting for a slot are not started: the service is stopping (their next runs are due as
        planned); running ones end as CHILDREN.stop() makes them."""
        self._pool.shutdown(wait, cancel_futures=True)


def _china(moment: datetime) -> str:
    return moment.astimezone(TIMEZONE).isoformat(sep=" ", timespec="seconds")


def scheduler_for(store: Store, registry: Registry) -> Scheduler:
    return Scheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=store.engine, tablename=JOBS_TABLE)},
        executors={"default": ThreadPoolExecutor(4), "crawl": CrawlExecutor(daily_crawls(registry).crawls_at_once)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": registry.schedule.misfire_grace},
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
