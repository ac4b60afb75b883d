"""One clock: every time a person reads is China time and each document says so once; every JSON timestamp
carries its offset. The site is crawled, probed, reported on by citizens and reported on daily and quarterly,
each at a moment whose UTC clock reads differently from China's, so a UTC time shown as local would show."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from govmon import clock
from govmon.cli import main
from govmon.config import CHINA_TZ
from govmon.demo.citizen import HEADERS
from govmon.schedules.jobs import write_reports
from govmon.store import Run, open_store
from tests.conftest import write_registry
from tests.servers import SiteServer, html

CRAWLED = datetime(2026, 10, 7, 7, 30, tzinfo=CHINA_TZ)  # 23:30 on the 6th in UTC
PROBED = datetime(2026, 10, 7, 7, 40, tzinfo=CHINA_TZ)
SUBMITTED = datetime(2026, 10, 7, 7, 50, tzinfo=CHINA_TZ)  # as the platform's export writes it: no zone
VERIFIED = datetime(2026, 10, 7, 7, 55, tzinfo=CHINA_TZ)
DAILY = datetime(2026, 10, 8, 7, 0, tzinfo=CHINA_TZ)  # the 7th's reports, made at 23:00 on the 7th in UTC
QUARTERLY = datetime(2027, 1, 1, 7, 15, tzinfo=CHINA_TZ)
PERIOD_STARTS = (datetime(2026, 10, 7, tzinfo=CHINA_TZ), datetime(2026, 10, 1, tzinfo=CHINA_TZ))  # fixed since
MOMENTS = (CRAWLED, PROBED, SUBMITTED, VERIFIED, DAILY, QUARTERLY, *PERIOD_STARTS)
NOTE = "时间均为北京时间"

SHOWN_TIME = re.compile(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?[ T]?(\d{1,2})[:时](\d{2})")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def pinned(monkeypatch, moment: datetime) -> None:
    monkeypatch.setenv(clock.PINNED, moment.isoformat())


@pytest.fixture(scope="module")
def monitored(tmp_path_factory) -> dict:
    """A site crawled, checked, probed (availability, IPv6), with a citizen's report verified, then its daily and
    quarterly reports written by the service's own job; what each command printed."""
    root = tmp_path_factory.mktemp("clock")
    printed = {}
    routes = {"/": html('<html><title>测试市人民政府</title><body><a href="/gone.html">旧通知</a></body></html>')}
    with SiteServer(routes) as server, pytest.MonkeyPatch.context() as monkeypatch:
        registry = write_registry(root / "govmon.toml", f"{server.url}/")
        settings = f'[settings]\ndata_dir = "{root / "data"}"\n'
        registry.write_text(settings + registry.read_text(encoding="utf-8"), encoding="utf-8")
        db = f"sqlite:///{root / 'govmon.db'}"
        where = ["--config", str(registry), "--db", db]
        # a zoneless GOVMON_NOW is China time, in the crawl's own process too
        crawl = subprocess.run([sys.executable, "-m", "govmon.cli", "crawl", "t", *where], capture_output=True,
                               text=True, timeout=120,
                               env={**os.environ, clock.PINNED: CRAWLED.replace(tzinfo=None).isoformat()})
        assert crawl.returncode == 0, crawl.stderr
        pinned(monkeypatch, CRAWLED)
        runner = CliRunner()
        assert runner.invoke(main, ["check", "t", *where]).exit_code == 0
        pinned(monkeypatch, PROBED)
        for command in (["probe", "availability", "t"], ["probe", "availability", "t", "--json"],
                        ["probe", "ipv6", "t", "--json"]):
            result = runner.invoke(main, [*command, *where])
            assert result.exit_code == 0, result.output
            printed[" ".join(command)] = result.output
        export = root / "找错.csv"
        with open(export, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(HEADERS)
            writer.writerow(("ZC2026100001", "5300000033", "测试市人民政府", f"{server.url}/gone.html", "内容无法访问",
                             "通知打不开", f"{SUBMITTED:%Y-%m-%d %H:%M}", "", "", ""))
        pinned(monkeypatch, VERIFIED)
        assert runner.invoke(main, ["intake", "import", str(export), *where]).exit_code == 0
        result = runner.invoke(main, ["intake", "verify", "--json", *where])
        assert result.exit_code == 0, result.output
        printed["intake verify --json"] = result.output
        pinned(monkeypatch, DAILY)
        daily = write_reports(str(registry), db, "daily").parent
        pinned(monkeypatch, QUARTERLY)
        quarterly = write_reports(str(registry), db, "quarterly").parent
    return {"db": db, "printed": printed, "folders": (daily, quarterly)}


def shown_times(text: str) -> set[str]:
    """Every date with a time of day in a text a person reads, as YYYY-MM-DD HH:MM."""
    return {f"{int(y):04d}-{int(m):02d}-{int(d):02d} {int(h):02d}:{mi}" for y, m, d, h, mi in SHOWN_TIME.findall(text)}


def as_shown(moment: datetime, zone) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def documents(folders) -> dict[Path, str]:
    """Each human document of the reports (HTML, text, XLSX) as the text a person reads in it."""
    texts = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".html", ".txt"):
                texts[path] = path.read_text(encoding="utf-8")
            elif path.suffix == ".xlsx":
                workbook = openpyxl.load_workbook(path)
                texts[path] = "\n".join(
                    (f"{cell:%Y-%m-%d %H:%M}" if isinstance(cell, datetime) else str(cell))
                    for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
                    if cell is not None)
    return texts


def timestamps(value, where: str = "$"):
    """(path, text) of every string in a JSON value that is a time of day."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from timestamps(item, f"{where}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from timestamps(item, f"{where}[{number}]")
    elif isinstance(value, str) and ISO_TIME.match(value):
        yield where, value


def test_the_store_reads_back_each_moment_in_utc_with_its_zone(monitored):
    store = open_store(monitored["db"])
    with store.session() as session:
        run = session.scalars(select(Run)).one()
    store.engine.dispose()
    assert run.started_at.tzinfo is not None and run.started_at == CRAWLED  # the zoneless GOVMON_NOW: China time
    assert run.started_at.utcoffset().total_seconds() == 0


def test_every_json_timestamp_carries_its_offset(monitored):
    found = []
    for folder in monitored["folders"]:
        for path in sorted(folder.rglob("*.json")):
            found += [(f"{path.name}{where}", text) for where, text in
                      timestamps(json.loads(path.read_text(encoding="utf-8")))]
    for command, output in monitored["printed"].items():
        if "--json" in command:
            found += [(f"{command}: {where}", text) for where, text in timestamps(json.loads(output))]
    assert any(".checked_at" in where for where, _ in found)  # a broken link's evidence: when it was checked
    assert any("submitted_at" in where for where, _ in found)
    naive = [(where, text) for where, text in found if datetime.fromisoformat(text).tzinfo is None]
    assert naive == []


def test_every_shown_time_is_china_time_and_each_document_says_so_once(monitored):
    texts = documents(monitored["folders"])
    kinds = {f"整改清单{path.suffix}" if "整改清单" in path.name else path.name for path in texts}
    assert kinds >= {"整改清单.html", "整改清单.xlsx", "supervisor.html", "supervisor.xlsx", "digest.txt", "digest.html",
                     "通报.html"}
    china = {as_shown(moment, CHINA_TZ) for moment in MOMENTS}
    utc = {as_shown(moment, UTC) for moment in MOMENTS}
    assert not china & utc
    everything = "\n".join(texts.values())
    assert as_shown(CRAWLED, CHINA_TZ) in shown_times(everything)  # the crawl's time, in the site's list
    for path, text in texts.items():
        assert shown_times(text) <= china, f"{path.name} shows a time that is not China time"
        assert text.count(NOTE) == 1, f"{path.name} says {NOTE!r} {text.count(NOTE)} times, not once"


def test_the_command_line_prints_china_time(monitored):
    printed = monitored["printed"]["probe availability t"]
    assert printed.splitlines()[0].endswith("(China time):")
    assert printed.splitlines()[1].startswith(PROBED.strftime("%Y-%m-%d %H:%M:%S"))
    assert shown_times(printed) == {as_shown(PROBED, CHINA_TZ)}


def test_a_zoneless_govmon_now_is_china_time_and_a_bad_one_a_clear_error(monkeypatch):
    monkeypatch.setenv(clock.PINNED, "2026-10-08T09:00")
    assert clock.now() == datetime(2026, 10, 8, 1, 0, tzinfo=UTC)
    monkeypatch.setenv(clock.PINNED, "tomorrow morning")
    result = CliRunner().invoke(main, ["rules", "list"])
    assert result.exit_code == 2 and "GOVMON_NOW='tomorrow morning' is not an ISO time" in result.output
