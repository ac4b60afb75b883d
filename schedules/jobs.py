"""The jobs `govmon serve` runs: plain functions of (registry file, database URL, site or period).

The job store keeps each job as a reference to one of these functions and its string
arguments, so jobs survive a restart. Crawls run in a child process each: a Twisted reactor
cannot be restarted, and a process per crawl hands all its memory back when it ends, so a
service that crawls every day for months holds no state from one crawl to the next. The
checks, probes and reports run in the service's own threads.
"""

from __future__ import annotations

import functools
import logging
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from checks.pack import Pack, load_pack
from govmon import clock, config
from govmon.config import china_day
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
    from probes.availability import probe_availability as probe

    m = monitor(config_path, db_url)
    site = m.registry.site(site_id)
    probe(m.store, site, m.pack(site), m.registry.settings.resolver)


def probe_ipv6(config_path: str, db_url: str, site_id: str) -> None:
    from probes.ipv6 import probe_ipv6 as probe

    m = monitor(config_path, db_url)
    site = m.registry.site(site_id)
    probe(m.store, site.id, site.home, m.pack(site), m.registry.settings.resolver, site.crawl.concurrency,
          site.crawl.user_agent, profile=(site.type, site.level))


def check_media(config_path: str, db_url: str, site_id: str) -> None:
    from probes.media import check_accounts

    m = monitor(config_path, db_url)
    site = m.registry.site(site_id)
    check_accounts(m.store, list(m.registry.accounts_of(site.id)), {site.id: site}, m.pack(site),
                   m.registry.settings.resolver)


class _Children:
    """The crawl processes running now, so that stopping the service stops them gracefully."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()
        self.stopping = False

    def run(self, command: list[str], log_file: Path) -> int:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(log_file, "ab") as output, self._lock:
            if self.stopping:
                return -signal.SIGTERM
            child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=output)
            self._running.add(child)
        try:
            return child.wait()
        finally:
            with self._lock:
                self._running.discard(child)

    def stop(self) -> None:
        """SIGTERM each crawl: it stops fetching and closes its run as partial (a checkpoint, not a loss)."""
        with self._lock:
            self.stopping = True
            for child in self._running:
                child.send_signal(signal.SIGTERM)


CHILDREN = _Children()


def crawl_and_check(config_path: str, db_url: str, site_id: str) -> int | None:
    """Crawl the site in a child process, then check the snapshot; the run's id, or None if none was stored."""
    from checks.engine import check_run

    m = monitor(config_path, db_url)
    site = m.registry.site(site_id)
    with m.store.session() as session:
        before = session.scalar(select(func.max(Run.id))) or 0
    command = [sys.executable, "-m", "govmon.cli", "crawl", site.id, "--config", config_path, "--db", db_url]
    code = CHILDREN.run(command, m.data_dir / "logs" / f"crawl-{site.id}.log")
    with m.store.session() as session:
        run = session.scalars(select(Run).where(Run.site_id == site.id, Run.id > before)
                              .order_by(Run.id.desc()).limit(1)).first()
    if run is None:
        log.error("crawl of %s stored no run (exit %s); see %s", site.id, code, m.data_dir / "logs")
        return None
    log.info("crawl of %s: run %s %s", site.id, run.id, run.status)
    if run.status in ("complete", "partial"):
        check_run(m.store, run.id, m.pack(site), clock.now(), site, m.calendar, m.registry.accounts_of(site.id))
    return run.id


def verify_citizen_reports(config_path: str, db_url: str) -> int:
    """Cross-check every open 我为政府网站找错 report against its site; how many were checked."""
    from checks.citizen_reports import verify_reports

    m = monitor(config_path, db_url)
    return len(verify_reports(m.store, m.registry, m.calendar))


def write_reports(config_path: str, db_url: str, period: str) -> Path:
    """The period's reports for every site; after the daily ones, each administrator's list by email."""
    from reports.mail import mail_rectification_list
    from reports.period import write_period_reports
    from reports.periods import period_bounds

    m = monitor(config_path, db_url)
    moment = clock.now()
    written = write_period_reports(m.store, m.registry, period, period_bounds(period, china_day(moment)),
                                   m.reports_dir, calendar=m.calendar, moment=moment)
    if period == "daily" and m.registry.email is not None:
        for site in m.registry.sites:
            if site.id in written.site_docs:
                mail_rectification_list(m.store, m.registry.email, site, written.site_docs[site.id],
                                        written.site_files[site.id]["xlsx"], moment=moment)
    log.info("%s reports: %s", period, written.index)
    return written.index

