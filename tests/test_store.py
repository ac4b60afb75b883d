"""The store migrates itself on SQLite and PostgreSQL, and reaps runs whose crawler died."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import inspect, select

from govmon.cli import main
from govmon.config import CHINA_TZ, database_url
from govmon.store import Run, open_store, utcnow
from tests.conftest import write_registry


def test_migrations_create_the_schema(any_db_url):
    store = open_store(any_db_url)
    tables = set(inspect(store.engine).get_table_names())
    assert {"runs", "pages", "links", "findings", "alembic_version"} <= tables
    open_store(any_db_url)  # a second open is a no-op at head
    store.engine.dispose()


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_runs_left_running_by_a_dead_process_become_partial(any_db_url):
    store = open_store(any_db_url)
    with store.session.begin() as session:
        for pid in (_dead_pid(), os.getpid()):
            session.add(Run(site_id="t", site_code="5300000033", home_url="http://127.0.0.1/", started_at=utcnow(),
                            status="running", host=socket.gethostname(), pid=pid, settings={}, stats={}))
    assert len(store.reap_dead_runs()) == 1
    with store.session() as session:
        statuses = sorted((r.status, r.pid == os.getpid()) for r in session.scalars(select(Run)))
    assert statuses == [("partial", False), ("running", True)]
    store.engine.dispose()


def test_a_moment_is_stored_as_that_moment_and_read_back_in_utc_with_its_zone(any_db_url):
    """A China time written is the same moment read back (SQLite would keep its wall clock as if UTC), and it
    compares right against moments given in either zone."""
    store = open_store(any_db_url)
    china = datetime(2026, 10, 8, 9, 0, tzinfo=CHINA_TZ)
    with store.session.begin() as session:
        session.add(Run(site_id="t", site_code="5300000033", home_url="http://127.0.0.1/", started_at=china,
                        status="complete", host="h", pid=1, settings={}, stats={}))
    with store.session() as session:
        started = session.scalar(select(Run.started_at))
        utc_later = datetime(2026, 10, 8, 1, 30, tzinfo=UTC)
        before = session.scalar(select(Run.id).where(Run.started_at < utc_later))
        after = session.scalar(select(Run.id).where(Run.started_at > datetime(2026, 10, 8, 8, 30, tzinfo=CHINA_TZ)))
    assert started == china and started.utcoffset() == timedelta(0)
    assert before is not None and after is not None
    store.engine.dispose()


def test_plain_postgres_urls_mean_the_installed_psycopg_driver(any_db_url, tmp_path):
    if not any_db_url.startswith("postgresql+psycopg://"):
        assert database_url(any_db_url) == any_db_url  # a SQLite URL is used as given
        return
    registry = write_registry(tmp_path / "govmon.toml", "http://127.0.0.1/")
    for scheme in ("postgres://", "postgresql://"):  # as psql and hosting panels write them
        plain = scheme + any_db_url.removeprefix("postgresql+psycopg://")
        assert database_url(plain) == any_db_url
        result = CliRunner().invoke(main, ["intake", "verify", "--config", str(registry), "--db", plain])
        assert result.exit_code == 0, result.output
    store = open_store(any_db_url)
    assert "citizen_reports" in inspect(store.engine).get_table_names()  # the command migrated that database
    store.engine.dispose()
