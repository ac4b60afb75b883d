"""On the demo portal the link rules find exactly the manifest's link defects: nothing missed, nothing extra."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from datetime import date, datetime, timezone

import pytest_twisted
from sqlalchemy import select

from checks.engine import check_run
from checks.pack import load_pack
from crawler.run import schedule_crawl
from demo.portal import generate
from demo.run import LINK_RULES, write_demo_registry
from demo.server import load_manifest, serve
from govmon.store import Page


@pytest_twisted.ensureDeferred
async def test_link_rules_find_exactly_the_manifests_link_defects(tmp_path, store, db_url):
    generate(tmp_path, date(2026, 11, 23))
    with serve(tmp_path) as servers:
        site = write_demo_registry(tmp_path / "registry.toml", servers)
        run = await schedule_crawl(store, site, db_url)
        manifest = load_manifest(tmp_path, servers)
    assert run.status == "complete", run.reason
    findings = check_run(store, run.id, load_pack("national"), datetime(2026, 11, 23, tzinfo=timezone.utc))
    found = {(f.rule, f.target, f.evidence["reason"]): {p["page"] for p in f.places} for f in findings}
    seeded = {(d["rule"], d["target"], d["reason"]): set(d["pages"])
              for d in manifest["defects"] if d["rule"] in LINK_RULES}
    assert found == seeded
    assert len(seeded) >= 12 and {rule for rule, _, _ in seeded} == set(LINK_RULES)
    with store.session() as session:
        home = session.scalars(select(Page).where(Page.run_id == run.id, Page.url == servers.portal + "/")).one()
    assert home.render == "rendered" and home.facts["site_code"] == "5301000001"  # written by document.write


def test_govmon_demo_end_to_end_even_without_chromium(tmp_path):
    out = tmp_path / "demo"
    result = subprocess.run([sys.executable, "-m", "govmon.cli", "demo", "--out", str(out)],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "GOVMON_CHROMIUM": str(tmp_path / "no-chromium")})
    assert result.returncode == 0, result.stderr
    assert "exactly the manifest's" in result.stdout
    assert "could not render 1 page(s)" in result.stdout  # the homepage's footer is written by JavaScript
    assert re.search(r"^    http://127\.0\.0\.1:\d+/$", result.stdout, re.M)
    reports = sorted(p.suffix for p in (out / "reports").iterdir())
    assert reports == [".html", ".json", ".xlsx"]
    for suffix in reports:
        assert str(out / "reports") in result.stdout and suffix in result.stdout


def test_govmon_demo_serve_only_serves(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "govmon.cli", "demo", "--serve", "--out", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        portal = re.search(r"(http://127\.0\.0\.1:\d+)/", first).group(1)
        with urllib.request.urlopen(portal + "/", timeout=10) as response:
            assert response.status == 200 and "滇中市人民政府" in response.read().decode("utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    assert process.returncode == 0
    assert not (tmp_path / "govmon.db").exists()  # serving only: nothing crawled
