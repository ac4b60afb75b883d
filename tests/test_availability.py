"""AVAIL-1: a rolling 7-day window, at least 20 probes a day, 15 s to a complete homepage, veto at 5%."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner

from govmon.checks.availability import evaluate_availability
from govmon.checks.pack import load_pack
from govmon.cli import main
from govmon.registry import load_registry
from govmon.store import AvailabilityProbe, open_store
from govmon.tasks import probe_availability
from tests.conftest import write_registry
from tests.servers import SilentServer, SiteServer, html

AS_OF = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
PACK = load_pack("national")
NATIONAL = Path(str(files("govmon.checks") / "packs" / "national.toml"))


def week(per_day: int = 20, failures: int = 0, load_ms: float = 800.0, short_day: int | None = None) -> list:
    """Probes spread over the 7 × 24 h before AS_OF; the first ``failures`` of them failed."""
    probes = []
    for day in range(7):
        count = per_day - 1 if day == short_day else per_day
        for n in range(count):
            at = AS_OF - timedelta(days=day, minutes=30 + n * 60)
            probes.append(AvailabilityProbe(site_id="t", url="http://x/", at=at, ok=True, status=200, load_ms=load_ms))
    for probe in probes[:failures]:
        probe.ok, probe.status, probe.error_kind = False, None, "timeout"
    return probes


@pytest.mark.parametrize(("failures", "verdict"), [(0, "pass"), (6, "pass"), (7, "fail"), (140, "fail")])
def test_five_percent_boundary(failures, verdict):
    result = evaluate_availability(week(failures=failures), AS_OF, PACK)
    assert (result["probes"], result["failures"], result["verdict"]) == (140, failures, verdict)  # 7/140 = 5.0%


def test_fewer_than_20_probes_in_any_day_is_insufficient_never_a_pass():
    result = evaluate_availability(week(short_day=3), AS_OF, PACK)
    assert result["verdict"] == "insufficient_data" and result["probes"] == 139
    assert [d["probes"] for d in result["days"]] == [20, 20, 20, 19, 20, 20, 20]
    assert evaluate_availability([], AS_OF, PACK)["verdict"] == "insufficient_data"


def test_a_probe_slower_than_15_seconds_fails_and_old_probes_fall_out_of_the_window():
    slow = week(load_ms=15000.0)
    assert evaluate_availability(slow, AS_OF, PACK)["failures"] == 0  # complete within 15 s exactly
    slower = week(load_ms=15000.5)
    assert evaluate_availability(slower, AS_OF, PACK)["verdict"] == "fail"
    old = week(failures=140)
    later = AS_OF + timedelta(days=7)
    assert evaluate_availability(old + week(), later, PACK)["probes"] == 0  # both weeks are before the window
    shifted = [AvailabilityProbe(site_id="t", url="x", at=p.at + timedelta(days=7), ok=True, status=200, load_ms=1.0)
               for p in week()]
    assert evaluate_availability(old + shifted, later, PACK)["verdict"] == "pass"


def test_probe_loads_the_whole_homepage_and_stores_it(tmp_path, db_url):
    fast = tmp_path / "fast.toml"
    fast.write_text(NATIONAL.read_text(encoding="utf-8").replace("load_timeout = 15.0", "load_timeout = 1.0"))
    pack = load_pack(str(fast))
    store = open_store(db_url)
    with SiteServer({"/": html("<html><title>首页</title><body>" + "政务" * 5000 + "</body></html>")}) as server:
        site = load_registry(write_registry(tmp_path / "ok.toml", server.url + "/")).sites[0]
        good = probe_availability(store, site, pack)
    assert (good.ok, good.status, good.size) == (True, 200, len(("<html><title>首页</title><body>" + "政务" * 5000
                                                                  + "</body></html>").encode()))
    assert good.connect_ms <= good.first_byte_ms <= good.load_ms
    with SilentServer() as silent:
        site = load_registry(write_registry(tmp_path / "hang.toml", silent.url + "/")).sites[0]
        hung = probe_availability(store, site, pack)
    assert (hung.ok, hung.error_kind) == (False, "timeout")
    with SiteServer({"/": html("<html>错误</html>", status=503)}) as server:
        site = load_registry(write_registry(tmp_path / "err.toml", server.url + "/")).sites[0]
        broken = probe_availability(store, site, pack)
    assert (broken.ok, broken.status) == (False, 503)


def test_avail_1_probe_command_and_the_verdict_in_the_report(tmp_path):
    db = f"sqlite:///{tmp_path / 'g.db'}"
    with SiteServer({"/": html("<html><title>首页</title><body><a href='/gone'>x</a></body></html>")}) as server:
        registry = write_registry(tmp_path / "govmon.toml", server.url + "/")
        result = CliRunner().invoke(main, ["probe", "availability", "t", "--repeat", "3", "--interval", "0", "--json",
                                           "--config", str(registry), "--db", db])
        assert result.exit_code == 0, result.output
        output = json.loads(result.output)
        assert [p["ok"] for p in output["probes"]] == [True, True, True]
        assert output["availability"]["verdict"] == "insufficient_data"
        crawl = subprocess.run([sys.executable, "-m", "govmon.cli", "crawl", "t", "--config", str(registry), "--db", db],
                               capture_output=True, text=True, timeout=120)
        assert crawl.returncode == 0, crawl.stderr
    store = open_store(db)
    now = datetime.now(UTC)
    with store.session.begin() as session:
        for probe in week(failures=8):
            probe.at = probe.at - AS_OF + now
            session.add(probe)
    out = tmp_path / "out"
    reported = CliRunner().invoke(main, ["report", "t", "--config", str(registry), "--db", db, "--out", str(out),
                                         "--format", "json"])
    assert reported.exit_code == 0, reported.output
    doc = json.loads(next(out.iterdir()).read_text(encoding="utf-8"))
    assert doc["probes"]["availability"]["verdict"] == "fail"
    avail = [f for f in doc["findings"] if f["rule"] == "AVAIL-1"]
    assert len(avail) == 1 and avail[0]["class"] == "veto" and "失败率" in avail[0]["description"]
    assert doc["summary"]["by_class"]["veto"] == sum(f["class"] == "veto" for f in doc["findings"])
    assert doc["verdict"]["result"] == "不合格" and "AVAIL-1" in doc["verdict"]["vetoes"]
