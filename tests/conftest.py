"""Shared fixtures: databases (SQLite, and PostgreSQL which must run when CI=true) and registries."""

from __future__ import annotations

import os
import textwrap
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from govmon.registry import load_registry
from govmon.store import open_store

PG_ADMIN = os.environ.get("GOVMON_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_database(request) -> str:
    try:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            name = f"govmon_{uuid.uuid4().hex[:12]}"
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        if os.environ.get("CI") == "true":
            raise  # CI has PostgreSQL: a missing server is a failure, never a skip
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN}: {exc}")

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    request.addfinalizer(drop)
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request, tmp_path: Path) -> str:
    """A fresh database of each supported kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'govmon.db'}"
    return _postgres_database(request)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'govmon.db'}"


@pytest.fixture
def store(db_url: str):
    store = open_store(db_url)
    yield store
    store.engine.dispose()


def write_registry(path: Path, home: str, site_id: str = "t", **crawl) -> Path:
    """A one-site registry for a local test server, polite settings relaxed for speed."""
    settings = {"delay": 0, "autothrottle": False, "render": "never", "timeout": 5, "retries": 0,
                "spider_view_pages": 0, **crawl}  # a test of the spider view asks for it
    crawl_lines = "\n".join(f"{key} = {_toml(value)}" for key, value in settings.items())
    path.write_text(textwrap.dedent(f"""\
        [[site]]
        id = "{site_id}"
        name = "测试市人民政府"
        site_code = "5300000033"
        home = "{home}"
        type = "portal"
        level = "市"
        sponsor = "测试市人民政府办公室"
        [site.admin]
        name = "管理员"
        email = "admin@example.gov.cn"
        [site.crawl]
        """) + crawl_lines + "\n", encoding="utf-8")
    return path


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


@pytest.fixture
def make_site(tmp_path: Path):
    """make_site(home, **crawl) -> the registry's Site for a local server."""
    counter = iter(range(1000))

    def make(home: str, **crawl):
        path = write_registry(tmp_path / f"registry{next(counter)}.toml", home, **crawl)
        return load_registry(path).sites[0]

    return make


# The long scenario tests start first, so that under pytest-xdist they run beside the many short ones instead
# of being left as the suite's tail.
LONG_TESTS = ("test_monitoring_days.py::", "test_service.py::test_many_crawl_cycles", "test_hostile_process.py::",
              "test_service.py::", "test_hostile_extract.py::test_a_page_of_200000_links", "test_demo.py::")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long tests first; the scenario ones (marked ``scenario``) only in CI or when GOVMON_SCENARIOS=1, so that
    `make test` stays a few minutes on a laptop while CI still runs every test."""
    if os.environ.get("CI") != "true" and os.environ.get("GOVMON_SCENARIOS") != "1":
        scenarios = [item for item in items if item.get_closest_marker("scenario")]
        if scenarios:
            config.hook.pytest_deselected(items=scenarios)
            items[:] = [item for item in items if not item.get_closest_marker("scenario")]
    items.sort(key=lambda item: next((i for i, name in enumerate(LONG_TESTS) if name in item.nodeid),
                                     len(LONG_TESTS)))
