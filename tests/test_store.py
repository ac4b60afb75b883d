"""The store migrates itself on SQLite and PostgreSQL, and reaps runs whose crawler died."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from sqlalchemy import inspect, select

from govmon.store import Run, open_store, utcnow


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
