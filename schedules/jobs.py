"""The jobs `govmon serve` runs: plain functions of (registry file, database URL, site or period).

The job store keeps each job as a reference to one of these functions and its string
arguments, so jobs survive a restart. Crawls run in a child process each: a Twisted reactor
cannot be restarted, and a process per crawl hands all its memory back when it ends, so a
service that crawls every day for months holds no state from one crawl to the next. The
checks, probes and reports run in the service's own threads.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from govmon import clock, config
from govmon.checks.pack import Pack, load_pack
from govmon.config import china_day
from govmon.crawler.run import stop_grace
from govmon.registry import Registry, Site, load_registry
from govmon.store import Run, Store, connect
from govmon.workdays import WorkCalendar, calendar_for

log = logging.getLogger("govmon.serve")


@dataclass
class Monitor:
    """What the jobs of one service share: the registry, the store and the working-day calendar."""

    registry: Registry
    store: Store
    calendar: WorkCalendar

    def pack(self, site: Site) -> Pack:
        return load_pack(site.pack or self.registry.settings.pack)

    @property
    def data_dir(self) -> Path:
        return config.data_dir(self.registry.settings.data_dir)

    @property
    def reports_dir(self) -> Path:
        return Path(self.registry.schedule.reports_dir or self.data_dir / "reports")


@functools.lru_cache(maxsize=8)
def monitor(config_path: str, db_url: str) -> Monitor:
    """The service's registry and store, read once per process (a changed registry takes a restart)."""
    registry = load_registry(config_path)
    settings = registry.settings
    calendar = calendar_for(settings.workdays, registry.path.parent)
    return Monitor(registry, connect(db_url), calendar)


def probe_availability(config_path: str, db_url: str, site_id: str) -> None:
    from govmon.tasks import probe_availability as probe

    m = monitor(config_path, db_url)
    site = m.registry.site(site_id)
    probe(m.store, site, m.pack(site), m.registry.settings.resolver)


def probe_ipv6(config_path: str, db_url: str, site_id: str) -> None:
    from govmon.tasks import probe_ipv6 as probe

    m = monitor(config_path, db_url)
    site = m.registry.site(site_id)
    probe(m.store, site.id, site.home, m.pack(site), m.registry.settings.resolver, site.crawl.concurrency,
          site.crawl.user_agent, profile=(site.type, site.level), max_bytes=site.crawl.max_page_bytes)


def check_media(config_path: str, db_url: str, site_id: str) -> None:
    from govmon.tasks import check_accounts

    m = monitor(config_path, db_url)
    site = m.registry.site(site_id)
    check_accounts(m.store, list(m.registry.accounts_of(site.id)), {site.id: site}, m.pack(site),
                   m.registry.settings.resolver)


PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when the thread that started it ends


def crawl_deadline(site: Site) -> float:
    """Seconds the service lets a crawl child run: the crawl stops itself at its duration limit, so one still
    running crawl.deadline_margin after it is hung (a stuck page, a download that never ends) and is stopped,
    its run partial."""
    return site.crawl.duration_limit() + site.crawl.deadline_margin


@functools.cache
def _prctl():
    """libc's prctl, looked up in the service: a child between fork and exec should not load libraries."""
    return ctypes.CDLL(None, use_errno=True).prctl


def _die_with_parent(prctl, parent: int) -> None:
    """In a crawl child before it runs: SIGTERM when the service ends, however it ends (SIGKILL included), so no
    orphaned crawl goes on writing a run nobody checks. SIGTERM, not SIGKILL: the crawl closes its run itself."""
    prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the service ended before the call
        os.kill(os.getpid(), signal.SIGTERM)


class _Children:
    """The crawl processes running now, so that stopping the service stops them, and none outlives its deadline."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()
        self.stopping = False

    def run(self, command: list[str], log_file: Path, deadline: float,
            env: dict[str, str] | None = None) -> tuple[int, str | None]:
        """Run the crawl to its end or its deadline: the exit code, and why the service stopped it (None if it
        ended by itself). A child past its deadline gets SIGTERM, then SIGKILL after the stop grace. env: variables
        added to the service's environment for the child."""
        log_file.parent.mkdir(parents=True, exist_ok=True)
        parent = os.getpid()
        with open(log_file, "ab") as output, self._lock:
            if self.stopping:
                return -signal.SIGTERM, "the service was stopping"
            # PR_SET_PDEATHSIG fires when the starting thread ends: this one, which waits for the child
            child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
                                     env={**os.environ, **(env or {})}, preexec_fn=functools.partial(_die_with_parent, _prctl(), parent))
            self._running.add(child)
        try:
            try:
                return child.wait(timeout=deadline), None
            except subprocess.TimeoutExpired:
                log.error("crawl %s passed its deadline (%g s): stopping it", child.pid, deadline)
                return self._end(child), f"the crawl had not ended within its deadline of {deadline:g} s"
        finally:
            with self._lock:
                self._running.discard(child)

    def stop(self) -> None:
        """SIGTERM each crawl: it stops fetching and closes its run as partial (a checkpoint, not a loss); one that
        has not ended after the stop grace (its own watchdog's, and as long again) is killed."""
        with self._lock:
            self.stopping = True
            running = list(self._running)
        for child in running:
            child.send_signal(signal.SIGTERM)
        for child in running:
            self._reap(child)

    def _end(self, child: subprocess.Popen) -> int:
        child.send_signal(signal.SIGTERM)
        return self._reap(child)

    @staticmethod
    def _reap(child: subprocess.Popen) -> int:
        try:
            return child.wait(timeout=2 * stop_grace())
        except subprocess.TimeoutExpired:
            log.error("crawl %s did not stop after SIGTERM: killed", child.pid)
            child.kill()
            return child.wait()


CHILDREN = _Children()


def crawl_and_check(config_path: str, db_url: str, site_id: str) -> int | None:
    """Crawl the site in a child process, then check the snapshot; the run's id, or None if none was stored.

    Runs left unchecked before (a service killed between a crawl and its check, a manual `govmon crawl
    --no-check`) are checked first, as of when they ended: until checked, a run is no observation at all."""
    m = monitor(config_path, db_url)
    site = m.registry.site(site_id)
    m.store.reap_dead_runs()
    for run_id, finished in unchecked_runs(m.store, site.id):
        _check(m, site, run_id, finished)
    with m.store.session() as session:
        before = session.scalar(select(func.max(Run.id))) or 0
    command = [sys.executable, "-m", "govmon.cli", "crawl", site.id, "--no-check", "--config", config_path]
    # the database URL goes by the environment, not the command line, which every user of the machine can read (ps)
    code, stopped = CHILDREN.run(command, m.data_dir / "logs" / f"crawl-{site.id}.log", crawl_deadline(site),
                                 {"GOVMON_DB": db_url})
    with m.store.session() as session:
        run = session.scalars(select(Run).where(Run.site_id == site.id, Run.id > before)
                              .order_by(Run.id.desc()).limit(1)).first()
    if run is None:
        log.error("crawl of %s stored no run (exit %s); see %s", site.id, code, m.data_dir / "logs")
        return None
    if stopped:  # the reason says who stopped it; a run the child could not close (killed) is closed here
        run = m.store.close_run(run.id, "partial", stopped)
    elif run.status == "running":  # killed when the service stopped
        m.store.reap_dead_runs()
        with m.store.session() as session:
            run = session.get(Run, run.id)
    log.info("crawl of %s: run %s %s", site.id, run.id, run.status)
    _check(m, site, run.id, clock.now())
    return run.id


def unchecked_runs(store: Store, site_id: str) -> list[tuple[int, datetime]]:
    """The site's closed runs after its latest checked one that were never checked, oldest first."""
    with store.session() as session:
        runs = session.execute(select(Run.id, Run.finished_at, Run.stats).where(
            Run.site_id == site_id, Run.status.in_(("complete", "partial", "failed"))).order_by(Run.id.desc()))
        waiting = []
        for run_id, finished, stats in runs:
            if (stats or {}).get("checked"):
                break
            waiting.append((run_id, finished or clock.now()))
    return waiting[::-1]


def _check(m: Monitor, site: Site, run_id: int, as_of: datetime) -> None:
    from govmon.checks.engine import check_run

    check_run(m.store, run_id, m.pack(site), as_of, site, m.calendar, m.registry.accounts_of(site.id))


def verify_citizen_reports(config_path: str, db_url: str) -> int:
    """Cross-check every open 我为政府网站找错 report against its site; how many were checked."""
    from govmon.intake.verify import verify_reports

    m = monitor(config_path, db_url)
    return len(verify_reports(m.store, m.registry, m.calendar))


def write_reports(config_path: str, db_url: str, period: str) -> Path:
    """The period's reports for every site; after the daily ones, each administrator's list by email."""
    from govmon.checks.latest import check_for_reports
    from govmon.reports.mail import mail_rectification_list
    from govmon.reports.period_reports import write_period_reports
    from govmon.reports.periods import period_bounds, period_end

    m = monitor(config_path, db_url)
    moment = clock.now()
    bounds = period_bounds(period, china_day(moment))
    availability = check_for_reports(m.store, m.registry, period_end(bounds), m.pack, m.calendar)
    written = write_period_reports(m.store, m.registry, period, bounds, m.reports_dir, calendar=m.calendar,
                                   availability=availability, moment=moment)
    if period == "daily" and m.registry.email is not None:
        for site in m.registry.sites:
            if site.id in written.site_docs:
                mail_rectification_list(m.store, m.registry.email, site, written.site_docs[site.id],
                                        written.site_files[site.id]["xlsx"], moment=moment)
    log.info("%s reports: %s", period, written.index)
    return written.index

