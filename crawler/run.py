"""A crawl run from start to a stored snapshot whose status says how far it got.

The run row is written before the crawl starts and closed when it ends:
complete, partial (the crawl stopped before it finished its scope: a signal, a
crash, a deadline), or failed (the homepage could not be fetched). Completeness
means coverage, not perfection: a page that failed to fetch or parse is a finding
or a page not judged, and the run's stats name it, but the crawl still covered its
scope. Reaching the page or depth limit is not partial either: the limit is the
configured scope. A process killed outright leaves the run 'running'; the store
marks such runs partial when next opened.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess, CrawlerRunner
from sqlalchemy import func, select
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler.settings import crawl_settings, renderer_problem
from crawler.spider import SiteSpider
from govmon.registry import Site
from govmon.store import Page, Run, Store, utcnow


def begin_run(store: Store, site: Site) -> int:
    with store.session.begin() as session:
        run = Run(
            site_id=site.id, site_code=site.site_code, home_url=site.home, started_at=utcnow(), status="running",
            host=socket.gethostname(), pid=os.getpid(), settings=site.crawl.model_dump(), stats={},
        )
        session.add(run)
        session.flush()
        return run.id


def end_run(store: Store, run_id: int, crawler: Crawler | None, failure: BaseException | None = None) -> Run:
    """Decide and store the run's status from how the crawl ended."""
    spider: SiteSpider | None = crawler.spider if crawler else None
    finish = crawler.stats.get_value("finish_reason") if crawler and crawler.stats else None
    status, reason = "complete", None
    if failure is not None:
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
        }
    return run


def schedule_crawl(store: Store, site: Site, db_url: str, resolver: str | None = None, **overrides: Any) -> Deferred:
    """Start a crawl on an already running reactor; the Deferred fires with the closed Run.

    A CrawlerRunner leaves the reactor's resolver alone, so a configured DNS server is
    installed here for the crawl's duration.
    """
    runner = CrawlerRunner(crawl_settings(site, db_url, resolver, **overrides))
    if not resolver:
        return _launch(runner, store, site, begin_run(store, site))
    from twisted.internet import reactor

    from crawler.resolver import ConfiguredResolver

    installed = ConfiguredResolver(reactor, resolver, site.crawl.timeout)
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
    process = CrawlerProcess(crawl_settings(sites[0], db_url, resolver, **overrides))
    run_ids = []
    for index, site in enumerate(sites):
        run_ids.append(begin_run(store, site))
        # the first crawler installs the reactor, as CrawlerProcess's own would
        crawler = Crawler(SiteSpider, crawl_settings(site, db_url, resolver, **overrides), init_reactor=index == 0)
        _launch(process, store, site, run_ids[-1], crawler)
    process.start()
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
