"""Hostile conditions for the crawl's processes: a page whose processing never returns, a parent killed outright, a
crawl that never ends, an unchecked run, a store that refuses writes. Real crawls against local servers."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from govmon.cli import main
from govmon.schedules import jobs
from govmon.store import Page, Run, open_store
from tests.conftest import write_registry
from tests.servers import EndlessSite, SiteServer, html

ROOT = Path(__file__).resolve().parents[1]

# `govmon crawl` whose extraction of /stuck.html never returns: a match that backtracks for ever, holding the GIL
# (as the quadratic _URL_LIKE did on a 500,000-letter block) while signal handlers still run. Only the test's own
# page is stuck: whatever regex the extractors are fixed to use, the stuck page stays stuck.
STUCK_CRAWL = """
import re, sys
import govmon.crawler.spider as spider
extract = spider.read_page

def stuck(text, url, *args, **kwargs):
    if url.endswith("/stuck.html"):
        print("STUCK", flush=True)
        re.match(r"(a+)+b", "a" * 64)
    return extract(text, url, *args, **kwargs)

spider.read_page = stuck
from govmon.cli import main
main()
"""


def home(*links: str) -> str:
    anchors = "".join(f'<a href="{link}">第{n}页</a>' for n, link in enumerate(links))
    return f"<html><head><title>首页</title></head><body>{anchors}<div>网站标识码：5300000033</div></body></html>"


def page(title: str) -> str:
    return f"<html><head><title>{title}</title></head><body><p>{title}</p></body></html>"


def test_sigterm_ends_a_crawl_stuck_in_a_parse_and_closes_its_run_as_partial(tmp_path):
    routes = {"/": html(home("/a.html", "/stuck.html")), "/a.html": html(page("甲")),
              "/stuck.html": html(page("卡住"))}
    with SiteServer(routes) as server:
        registry = write_registry(tmp_path / "govmon.toml", server.url + "/")
        db = f"sqlite:///{tmp_path / 'govmon.db'}"
        process = subprocess.Popen([sys.executable, "-c", STUCK_CRAWL, "crawl", "t", "--config", str(registry),
                                    "--db", db], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                   env={**os.environ, "PYTHONPATH": str(ROOT), "GOVMON_STOP_GRACE": "1"})
        assert process.stdout.readline() == "STUCK\n", process.communicate()
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=60)  # without the watchdog: never (the match takes ages)
    assert process.returncode == 0, err
    store = open_store(db)
    with store.session() as session:
        run = session.scalars(select(Run)).one()
    assert run.status == "partial" and "watchdog" in run.reason, run.reason
    assert run.finished_at is not None and run.stats["fetched"]["page"] >= 1
    assert f"run {run.id}: partial" in err
    assert sqlite3.connect(tmp_path / "govmon.db").execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store.engine.dispose()


def until(condition, within: float = 60, what: str = "the condition") -> None:
    """Wait until ``condition()`` holds: a deadline, not a sleep standing in for one."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {within} s"
        time.sleep(0.05)


def runs(db: str) -> list[Run]:
    store = open_store(db)
    try:
        with store.session() as session:
            return list(session.scalars(select(Run).order_by(Run.id)))
    finally:
        store.engine.dispose()


def stored_pages(db: str) -> int:
    store = open_store(db)
    try:
        with store.session() as session:
            return session.scalar(select(func.count()).select_from(Page).where(Page.kind == "page"))
    finally:
        store.engine.dispose()


SERVICE = """
import sys
from govmon.schedules.jobs import crawl_and_check
crawl_and_check(sys.argv[1], sys.argv[2], "t")
"""


def test_a_crawl_child_ends_with_its_service_even_when_the_service_is_killed(tmp_path):
    site = EndlessSite(signal_after=50)
    with SiteServer({}, fallback=site) as server:
        registry = write_registry(tmp_path / "govmon.toml", server.url + "/", max_pages=100000, max_depth=100)
        db = f"sqlite:///{tmp_path / 'govmon.db'}"
        open_store(db).engine.dispose()
        service = subprocess.Popen([sys.executable, "-c", SERVICE, str(registry), db], cwd=ROOT,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert site.enough.wait(60)
        service.kill()  # SIGKILL: the service runs no code of its own to stop its children
        service.wait(60)
        until(lambda: runs(db) and runs(db)[0].status != "running", what="the orphaned crawl's end")
        (run,) = runs(db)
        child = Path(f"/proc/{run.pid}/stat")
        until(lambda: not child.exists() or child.read_text().split(")")[-1].split()[0] == "Z",
              what="the crawl process's exit")
    # the child was told (SIGTERM from the kernel) and closed its run itself, keeping what it fetched
    assert run.status == "partial" and "interrupted" in run.reason, run.reason
    assert stored_pages(db) >= 40


@pytest.mark.scenario
def test_a_crawl_past_its_deadline_is_stopped_and_its_run_closed_as_partial_and_checked(tmp_path, monkeypatch):
    gate, hit = threading.Event(), threading.Event()

    def held(_handler):
        hit.set()
        gate.wait(120)
        return html(page("慢"))

    routes = {"/": html(home("/a.html", "/held.html")), "/a.html": html(page("甲")), "/held.html": held}
    monkeypatch.setenv("GOVMON_STOP_GRACE", "1")
    with SiteServer(routes) as server:
        # it would wait 10 minutes for the held page, its own 3 s limit notwithstanding
        registry = write_registry(tmp_path / "govmon.toml", server.url + "/", timeout=600, max_duration=3,
                                  deadline_margin=30)  # time for the child to start and reach the held page
        text = registry.read_text(encoding="utf-8")
        registry.write_text(f'[settings]\ndata_dir = "{tmp_path / "data"}"\n' + text, encoding="utf-8")
        db = f"sqlite:///{tmp_path / 'govmon.db'}"
        open_store(db).engine.dispose()
        jobs.monitor.cache_clear()
        try:
            run_id = jobs.crawl_and_check(str(registry), db, "t")
        finally:
            gate.set()
            jobs.monitor.cache_clear()
    assert hit.is_set()
    (run,) = runs(db)
    assert run.id == run_id and run.status == "partial"
    assert run.reason.startswith("the crawl had not ended within its deadline of 33 s"), run.reason
    assert run.stats["checked"]["pack"] == "national"  # what it saw is judged


def cli(*args: str, db: str, registry: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govmon.cli", *args, "--config", str(registry), "--db", db],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def across_runs(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("across runs:"))


def test_a_crawl_left_unchecked_neither_fixes_nor_reopens_anything(tmp_path):
    routes = {"/": html(home("/a.html", "/gone.html")), "/a.html": html(page("甲"))}
    with SiteServer(routes) as server:
        registry = write_registry(tmp_path / "govmon.toml", server.url + "/")
        db = f"sqlite:///{tmp_path / 'govmon.db'}"
        first = cli("crawl", "t", db=db, registry=registry)  # checked by default
        assert first.returncode == 0, first.stderr
        new = int(across_runs(first.stdout).split(":")[1].split()[0])
        assert new >= 1 and "0 open, 0 reopened, 0 fixed" in across_runs(first.stdout)
        unchecked = cli("crawl", "t", "--no-check", db=db, registry=registry)
        assert unchecked.returncode == 0 and "across runs" not in unchecked.stdout
        # the unchecked run 2 fixes nothing; a check starts no reactor, so it runs in this process, quicker
        again = CliRunner().invoke(main, ["check", "t", "--run", "1", "--config", str(registry), "--db", db])
        assert f"{new} new, 0 open, 0 reopened, 0 fixed" in across_runs(again.stdout)
        third = cli("crawl", "t", db=db, registry=registry)
    assert third.returncode == 0, third.stderr
    assert across_runs(third.stdout).startswith(f"across runs: 0 new, {new} open, 0 reopened, 0 fixed; 0 overdue")
    assert [(run.status, bool(run.stats.get("checked"))) for run in runs(db)] == [
        ("complete", True), ("complete", False), ("complete", True)]


def test_pages_are_stored_by_time_so_a_killed_crawl_keeps_what_it_fetched(tmp_path):
    gate = threading.Event()

    def held(_handler):
        gate.wait(120)
        return html(page("慢"))

    links = [f"/p{n}.html" for n in range(4)]
    routes = {"/": html(home(*links, "/held.html")), **{link: html(page(link)) for link in links}, "/held.html": held}
    with SiteServer(routes) as server:
        registry = write_registry(tmp_path / "govmon.toml", server.url + "/", timeout=600)
        db = f"sqlite:///{tmp_path / 'govmon.db'}"
        process = subprocess.Popen([sys.executable, "-m", "govmon.cli", "crawl", "t", "--config", str(registry),
                                    "--db", db], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            # five pages fetched, far from a batch of 100, and the crawl waits on the sixth: only the timer stores
            until(lambda: stored_pages(db) == 5, what="the five fetched pages' storing")
        finally:
            process.kill()
            process.wait(60)
            gate.set()
    assert stored_pages(db) == 5
    assert sqlite3.connect(tmp_path / "govmon.db").execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_failed_store_write_fails_the_run_and_the_command(tmp_path):
    routes = {"/": html(home("/a.html", "/b.html")), "/a.html": html(page("甲")), "/b.html": html(page("乙"))}
    db = f"sqlite:///{tmp_path / 'govmon.db'}"
    open_store(db).engine.dispose()
    with sqlite3.connect(tmp_path / "govmon.db") as connection:  # the disk is full when /b.html is written
        connection.execute("CREATE TRIGGER full BEFORE INSERT ON pages WHEN NEW.url LIKE '%/b.html' "
                           "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    with SiteServer(routes) as server:
        registry = write_registry(tmp_path / "govmon.toml", server.url + "/")
        result = cli("crawl", "t", db=db, registry=registry)
    assert result.returncode == 3, result.stdout + result.stderr
    (run,) = runs(db)
    assert run.status == "failed" and "store write failed" in run.reason and "disk is full" in run.reason
    assert f"run {run.id}: failed" in result.stdout and "Traceback" not in result.stderr


def test_an_unwritable_data_folder_or_out_folder_is_one_line_naming_the_path(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    registry = write_registry(tmp_path / "govmon.toml", "http://127.0.0.1:9/")
    text = registry.read_text(encoding="utf-8")
    registry.write_text(f'[settings]\ndata_dir = "{blocker / "data"}"\n' + text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "govmon.cli", "check", "t", "--config", str(registry)],
                            capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"govmon: {blocker / 'data'}: Not a directory"]
    db = f"sqlite:///{tmp_path / 'govmon.db'}"
    assert cli("crawl", "t", db=db, registry=registry).returncode == 3  # a run to check (nothing answers on :9)
    readonly = cli("check", "t", db=f"sqlite:///file:{tmp_path / 'govmon.db'}?mode=ro&uri=true", registry=registry)
    assert readonly.returncode == 2 and "Traceback" not in readonly.stderr
    assert len(readonly.stderr.strip().splitlines()) == 1 and str(tmp_path / "govmon.db") in readonly.stderr
    report = cli("report", "t", "--out", str(blocker / "out"), db=db, registry=registry)
    assert report.returncode == 2 and "Traceback" not in report.stderr, report.stderr


def test_sigterm_stops_the_service_even_when_its_crawl_hangs(tmp_path, db_url, monkeypatch):
    """serve() in this process; its crawl waits on a page that never answers (a 10-minute timeout)."""
    from govmon.registry import load_registry
    from govmon.schedules.service import serve

    monkeypatch.setattr(jobs.CHILDREN, "stopping", False)  # restored after the test: the service stopped here
    monkeypatch.setenv("GOVMON_STOP_GRACE", "1")
    gate, hit = threading.Event(), threading.Event()

    def held(_handler):
        hit.set()
        gate.wait(120)
        return html(page("慢"))

    routes = {"/": html(home("/held.html")), "/held.html": held}
    with SiteServer(routes) as server:
        registry = write_registry(tmp_path / "govmon.toml", server.url + "/", timeout=600)
        text = registry.read_text(encoding="utf-8")
        registry.write_text(f'[settings]\ndata_dir = "{tmp_path / "data"}"\n[schedule]\nmax_crawls = 1\n' + text,
                            encoding="utf-8")
        store = open_store(db_url)

        def stop_mid_crawl() -> None:
            assert hit.wait(60), "the crawl never reached the held page"
            os.kill(os.getpid(), signal.SIGTERM)

        def ready(scheduler, _sync) -> None:
            scheduler.modify_job("crawl:t", next_run_time=datetime.now(UTC))
            threading.Thread(target=stop_mid_crawl, daemon=True).start()

        jobs.monitor.cache_clear()
        try:
            serve(store, load_registry(registry), str(registry), db_url, ready=ready)  # returns: the service stopped
        finally:
            gate.set()
            jobs.monitor.cache_clear()
    (run,) = runs(db_url)
    assert run.status == "partial" and "watchdog" in run.reason, run.reason  # not 2 minutes later, when served
    assert run.stats["checked"]["pack"] == "national"
    store.engine.dispose()
