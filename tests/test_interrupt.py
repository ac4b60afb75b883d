"""An interrupted crawl leaves a snapshot marked partial with what it fetched, never a corrupt store."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from govmon.store import Page, Run, open_store
from tests.conftest import write_registry
from tests.servers import EndlessSite, SiteServer


def start_crawl(tmp_path: Path, home: str) -> tuple[subprocess.Popen, str]:
    registry = write_registry(tmp_path / "registry.toml", home, max_pages=100000, max_depth=100)
    db = f"sqlite:///{tmp_path / 'govmon.db'}"
    command = [sys.executable, "-m", "govmon.cli", "crawl", "t", "--config", str(registry), "--db", db]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), db


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_leaves_a_partial_snapshot_with_pages_so_far(tmp_path, signum):
    site = EndlessSite(signal_after=250)
    with SiteServer({}, fallback=site) as server:
        process, db = start_crawl(tmp_path, server.url + "/")
        assert site.enough.wait(60), process.communicate()
        process.send_signal(signum)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "partial" in out
    store = open_store(db)
    with store.session() as session:
        run = session.scalars(select(Run)).one()
        stored = session.scalar(select(func.count()).select_from(Page).where(Page.kind == "page"))
    assert run.status == "partial" and "interrupted" in run.reason
    assert stored >= 200  # everything fetched before the signal (the batch in memory is flushed on stop)
    assert sqlite3.connect(tmp_path / "govmon.db").execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_killed_crawl_is_marked_partial_when_the_store_is_next_opened(tmp_path):
    site = EndlessSite(signal_after=250)
    with SiteServer({}, fallback=site) as server:
        process, db = start_crawl(tmp_path, server.url + "/")
        assert site.enough.wait(60)
        process.kill()
        process.communicate(timeout=60)
    assert sqlite3.connect(tmp_path / "govmon.db").execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = open_store(db)
    with store.session() as session:
        run = session.scalars(select(Run)).one()
    assert run.status == "partial" and "ended without closing" in run.reason
