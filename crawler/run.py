"""A crawl run from start to a stored snapshot whose status says how far it got.

The run row is written before the crawl starts and closed when it ends:
complete, partial (the crawl stopped before it finished its scope: a signal, a
crash, a deadline), or failed (the homepage could not be fetched). Completeness
means coverage, not perfection: a page that failed to fetch or parse is a finding
or a page not judged, and the run's stats name it, but the crawl still covered its
scope. Reaching the page or depth limit is not partial either: the limit is the
configured scope. A process killed outright leaves the run 'running'; the store
marks such runs partial when next opened.

A stop cannot be held up: a page whose processing never returns (a regex gone quadratic) would keep the graceful
stop waiting forever, so the first SIGTERM or SIGINT also arms a watchdog that closes the runs as partial and ends
the process ``GOVMON_STOP_GRACE`` seconds later (default 20).
"""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
import socket
from datetime import datetime
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess, CrawlerRunner
from scrapy.utils.log import TopLevelFormatter
from sqlalchemy import func, select
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from govmon.config import CHINA_TZ
from govmon.crawler.pipelines import STORE_FAILED, StorePipeline
from govmon.crawler.settings import crawl_settings, renderer_problem
from govmon.crawler.spider import SiteSpider
from govmon.registry import Site
from govmon.store import Page, Run, Store, connect, utcnow

STOP_GRACE = 20.0  # seconds a crawl has to close by itself after SIGTERM or SIGINT


def stop_grace() -> float:
    return float(os.environ.get("GOVMON_STOP_GRACE") or STOP_GRACE)


class ChinaTimeFormatter(logging.Formatter):
    """Log lines stamped in China time with the offset shown, whatever the machine's zone: the service's
    operators read them, and its crawl children's, against the schedule, which is China time."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, CHINA_TZ).isoformat(sep=" ", timespec="seconds")


def begin_run(store: Store, site: Site) -> int:
    with store.session.begin() as session:
        run = Run(
            site_id=site.id, site_code=site.site_code, home_url=site.home, started_at=utcnow(), status="running",
            host=socket.gethostname(), pid=os.getpid(), settings=site.crawl.model_dump(), stats={},
        )
        session.add(run)
        session.flush()
        return run.id


def end_run(store: Store, run_id: int, crawler: Crawler | None, failure: BaseException | None = None,
            stopped: str | None = None) -> Run:
    """Decide and store the run's status from how the crawl ended; ``stopped`` is why it was cut short from outside
    (the watchdog)."""
    spider: SiteSpider | None = crawler.spider if crawler else None
    finish = crawler.stats.get_value("finish_reason") if crawler and crawler.stats else None
    status, reason = "complete", None
    store_failed = crawler.stats.get_value(STORE_FAILED) if crawler and crawler.stats else None
    if store_failed:  # the snapshot misses pages, maybe the homepage: nothing in it may be judged
        status, reason = "failed", f"store write failed: {store_failed}"
    elif stopped is not None:
        status, reason = "partial", stopped
    elif failure is not None:
        status, reason = "failed", f"crawl error: {type(failure).__name__}: {failure}"
    elif finish == "shutdown":
        status, reason = "partial", "interrupted (Ctrl-C or SIGTERM) before the crawl finished"
    elif finish not in (None, "finished"):
        status, reason = "partial", f"stopped early: {finish}"
    elif spider is None or spider.home_result is None:
        status, reason = "failed", "the crawl ended before the homepage was fetched"
    elif spider.home_result.error_kind or (spider.home_result.status or 0) >= 400:
        home = spider.home_result
        status = "failed"
        reason = f"homepage unreachable: {home.error_kind or f'http_{home.status}'} {home.error_detail or ''}".strip()
    with store.session.begin() as session:
        run = session.get(Run, run_id)
        counts = dict(
            session.execute(select(Page.kind, func.count()).where(Page.run_id == run_id).group_by(Page.kind)).all()
        )
        rate_limited = session.scalar(select(func.count()).select_from(Page).where(
            Page.run_id == run_id, Page.error_kind == "rate_limited"))
        run.status, run.reason, run.finished_at = status, reason, utcnow()
        run.stats = {
            "fetched": counts,
            "rate_limited": rate_limited,
            "errors": spider.errors if spider else 0,
            "limits_reached": sorted(spider.limits_reached) if spider else [],
            "render_failed": list(spider.render_failures) if spider else [],
            "parse_failed": list(spider.parse_failures) if spider else [],
            "robots_blocked": list(spider.robots_blocked) if spider else [],  # not judged (robots = "obey")
        }
    return run


def schedule_crawl(store: Store, site: Site, db_url: str, resolver: str | None = None, **overrides: Any) -> Deferred:
    """Start a crawl on an already running reactor; the Deferred fires with the closed Run.

    A CrawlerRunner leaves the reactor's resolver alone, so the crawl's own (pinning its names, asking the
    configured DNS server if any) is installed here for the crawl's duration.
    """
    runner = CrawlerRunner(crawl_settings(site, db_url, resolver, **overrides))
    from twisted.internet import reactor

    from govmon.crawler.resolver import PinnedResolver

    installed = PinnedResolver(reactor, resolver, site.crawl.timeout)
    installed.install_on_reactor()
    deferred = _launch(runner, store, site, begin_run(store, site))

    def restore(result: Any) -> Any:
        installed.uninstall()
        return result

    deferred.addBoth(restore)
    return deferred


def crawl_now(store: Store, site: Site, db_url: str, resolver: str | None = None, **overrides: Any) -> Run:
    """Crawl in this process and return the closed Run (the command line's way).

    Ctrl-C or SIGTERM stops the crawl gracefully and the run is stored as partial.
    """
    return crawl_all_now(store, [site], db_url, resolver, **overrides)[0]


def crawl_all_now(store: Store, sites: list[Site], db_url: str, resolver: str | None = None,
                  **overrides: Any) -> list[Run]:
    """Crawl several sites side by side in this process, each with its own settings, and return their closed
    Runs: a process's reactor runs once, so sites crawled in one process are crawled together."""
    process = _WatchedProcess(crawl_settings(sites[0], db_url, resolver, **overrides), db_url)
    run_ids = []
    for index, site in enumerate(sites):
        run_ids.append(begin_run(store, site))
        # the first crawler installs the reactor, as CrawlerProcess's own would
        crawler = Crawler(SiteSpider, crawl_settings(site, db_url, resolver, **overrides), init_reactor=index == 0)
        process.watched.append((run_ids[-1], crawler))
        _launch(process, store, site, run_ids[-1], crawler)
    process.start()
    process.disarm()
    runs = []
    with store.session.begin() as session:
        for run_id in run_ids:
            run = session.get(Run, run_id)
            if run.status == "running":  # a second Ctrl-C stopped the reactor before the run was closed
                run.status, run.reason, run.finished_at = "partial", "interrupted (forced stop)", utcnow()
            runs.append(run)
    return runs


def _launch(runner: CrawlerRunner, store: Store, site: Site, run_id: int, crawler: Crawler | None = None) -> Deferred:
    crawler = crawler or runner.create_crawler(SiteSpider)
    deferred = runner.crawl(crawler, site=site, run_id=run_id, renderer_missing=renderer_problem(site))
    deferred.addBoth(lambda result: end_run(store, run_id, crawler, result.value if isinstance(result, Failure) else None))
    return deferred


class _WatchedProcess(CrawlerProcess):
    """A CrawlerProcess whose first SIGTERM or SIGINT also arms the watchdog.

    The watchdog is SIGALRM, not a thread: a regex holds the GIL for as long as it matches, so no other thread
    runs, but the interpreter runs signal handlers in the middle of a match. Code that neither releases the GIL
    nor lets signal handlers run is ended by faulthandler's C thread a grace period later; its runs are then
    closed as partial by whoever next opens the store.
    """

    def __init__(self, settings: dict[str, Any], db_url: str):
        super().__init__({**settings, "LOG_INSTALL_ROOT_HANDLER": False})  # Scrapy's stamps the machine's local time
        self.db_url = db_url
        self.watched: list[tuple[int, Crawler]] = []
        self.handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}  # before Scrapy's
        # kept after the crawl, as Scrapy's would be: the check that follows logs through it too (a reactor runs once
        # per process, so there is only ever one)
        self.log_handler = logging.StreamHandler()
        self.log_handler.setFormatter(ChinaTimeFormatter(self.settings.get("LOG_FORMAT")))
        self.log_handler.setLevel(self.settings.get("LOG_LEVEL"))
        if self.settings.getbool("LOG_SHORT_NAMES"):
            self.log_handler.addFilter(TopLevelFormatter(["scrapy"]))
        logging.root.setLevel(logging.NOTSET)
        logging.root.addHandler(self.log_handler)

    def _signal_shutdown(self, signum: int, frame: Any) -> None:  # Scrapy's first-signal handler: called once
        grace = stop_grace()
        signal.signal(signal.SIGALRM, lambda *_: self._expire(grace))
        signal.setitimer(signal.ITIMER_REAL, grace)
        faulthandler.dump_traceback_later(2 * grace, exit=True)
        super()._signal_shutdown(signum, frame)

    def disarm(self) -> None:
        """After the crawl: no watchdog, and the signal handlers from before it (a check that follows may be
        stopped)."""
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        for sig, handler in self.handlers.items():
            if handler is not None:  # None: installed outside Python, nothing to restore
                signal.signal(sig, handler)

    def _expire(self, grace: float) -> None:
        """Close the runs still open as partial, and end the process now."""
        reason = f"interrupted: the crawl had not stopped {grace:g} s after SIGTERM or SIGINT (watchdog)"
        try:
            store = connect(self.db_url)  # a fresh connection: the crawl's own may be mid-transaction
            for run_id, crawler in self.watched:
                for pipeline in crawler.engine.scraper.itemproc.middlewares if crawler.engine else ():
                    if isinstance(pipeline, StorePipeline):
                        pipeline.flush()  # what was fetched is kept, as on a graceful stop
                with store.session() as session:
                    if session.get(Run, run_id).status == "running":
                        run = end_run(store, run_id, crawler, stopped=reason)
                        os.write(2, f"govmon: run {run_id}: {run.status} — {reason}\n".encode())
        except Exception as exc:  # the process ends all the same; the store closes the runs when next opened
            os.write(2, f"govmon: the watchdog could not close the runs: {type(exc).__name__}: {exc}\n".encode())
        finally:
            os._exit(0)
