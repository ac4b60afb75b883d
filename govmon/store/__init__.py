"""The store: a SQLAlchemy database (SQLite by default, PostgreSQL for larger set-ups).

``open_store`` brings the schema to the newest Alembic revision before use, so a
fresh database and an old one both work without a separate migration step.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from importlib.resources import files

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import sessionmaker

from govmon import clock
from govmon.store.models import (
    AvailabilityProbe,
    Base,
    CitizenReport,
    EmailSent,
    Finding,
    Ipv6Probe,
    Link,
    MediaCheck,
    Page,
    PageText,
    ReportCheck,
    Run,
    SiteVerdict,
)

__all__ = ["AvailabilityProbe", "Base", "CitizenReport", "EmailSent", "Finding", "Ipv6Probe", "Link", "MediaCheck",
           "Page", "PageText", "ReportCheck", "Run", "SiteVerdict", "Store", "connect", "open_store", "utcnow"]


def utcnow() -> datetime:
    return clock.now().astimezone(UTC)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (reports) never block the crawl's writes
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.session = sessionmaker(engine, expire_on_commit=False)

    def reap_dead_runs(self) -> list[int]:
        """Mark runs left 'running' by a process that no longer exists as partial."""
        reaped = []
        with self.session.begin() as session:
            for run in session.scalars(select(Run).where(Run.status == "running")):
                if run.host != socket.gethostname() or _alive(run.pid):
                    continue  # still crawling, or another machine's run to reap
                run.status = "partial"
                run.reason = "interrupted: the crawling process ended without closing the run"
                run.finished_at = run.finished_at or utcnow()
                reaped.append(run.id)
        return reaped

    def close_run(self, run_id: int, status: str, reason: str) -> Run:
        """Close a run its crawling process was stopped from outside, for ``reason``: one still open gets
        ``status``; one the process closed itself keeps its own status, with ``reason`` before its own."""
        with self.session.begin() as session:
            run = session.get(Run, run_id)
            if run.status == "running":
                run.status, run.reason, run.finished_at = status, reason, run.finished_at or utcnow()
            else:
                run.reason = f"{reason}; {run.reason}" if run.reason else reason
        return run


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def connect(url: str) -> Store:
    """A store on an already migrated database."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return Store(engine)


def open_store(url: str) -> Store:
    """Connect, migrate to the newest schema, and reap runs whose crawler died."""
    from alembic import command  # imported here: the crawl's own processes never migrate
    from alembic.config import Config

    store = connect(url)
    engine = store.engine
    config = Config()
    config.set_main_option("script_location", str(files("govmon") / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    store.reap_dead_runs()
    return store
