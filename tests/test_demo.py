"""On the demo portal the link and IPv6 rules find exactly the manifest's defects: nothing missed, nothing extra."""

from __future__ import annotations

import json
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
from demo.run import IPV6_RULES, LINK_RULES, expected_defects, write_demo_registry
from probes.ipv6 import probe_ipv6
from demo.server import load_manifest, serve
from govmon.store import Page


@pytest_twisted.ensureDeferred
async def test_link_and_ipv6_rules_find_exactly_the_manifests_defects(tmp_path, store, db_url):
    generate(tmp_path, date(2026, 11, 23))
    pack = load_pack("national")
    with serve(tmp_path) as servers:
        registry = write_demo_registry(tmp_path / "registry.toml", servers)
        site, resolver = registry.sites[0], registry.settings.resolver
        run = await schedule_crawl(store, site, db_url, resolver)
        _probe, ipv6_findings = probe_ipv6(store, site.id, site.home, pack, resolver, 8)
        manifest = load_manifest(tmp_path, servers)
    assert run.status == "complete", run.reason
    findings = check_run(store, run.id, pack, datetime(2026, 11, 23, tzinfo=timezone.utc))
    named = servers.named
    found = {(f.rule, f.target, f.evidence["reason"]): {p["page"] for p in f.places} for f in findings}
    seeded = {(d["rule"], d["target"].replace(servers.portal, named), d["reason"]):
              {page.replace(servers.portal, named) for page in d["pages"]}
              for d in manifest["defects"] if d["rule"] in LINK_RULES}
    assert found == seeded
    assert len(seeded) >= 12 and {rule for rule, _, _ in seeded} == set(LINK_RULES)
    assert {(f.rule, f.target) for f in ipv6_findings} == expected_defects(manifest, servers, IPV6_RULES)
    ipv6_4 = next(f for f in ipv6_findings if f.rule == "IPV6-4")
    prefixes = tuple(named + prefix for prefix in manifest["ipv6"]["failing_prefixes"])
    with store.session() as session:
        home = session.scalars(select(Page).where(Page.run_id == run.id, Page.url == named + "/")).one()
        deeper = session.scalars(select(Page.url).where(Page.run_id == run.id, Page.kind == "page",
                                                        Page.depth.in_((1, 2)), Page.status == 200)).all()
    expected_failing = sorted(url for url in deeper if url.startswith(prefixes))
    assert ipv6_4.places_total == len(expected_failing) and ipv6_4.evidence["total"] == len(deeper)
    assert ipv6_4.evidence["ratio"] == round((len(deeper) - len(expected_failing)) / len(deeper), 4) < 0.9
    assert home.render == "rendered" and home.facts["site_code"] == "5301000001"  # written by document.write


def test_govmon_demo_end_to_end_even_without_chromium(tmp_path):
    out = tmp_path / "demo"
    result = subprocess.run([sys.executable, "-m", "govmon.cli", "demo", "--out", str(out)],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "GOVMON_CHROMIUM": str(tmp_path / "no-chromium")})
    assert result.returncode == 0, result.stderr
    assert "link defects: 14 seeded, 14 found" in result.stdout
    assert result.stdout.count("exactly the manifest's") == 2  # link and IPv6 defects
    assert "could not render 1 page(s)" in result.stdout  # the homepage's footer is written by JavaScript
    assert re.search(r"^    http://www\.dianzhong\.gov\.cn:\d+/$", result.stdout, re.M)
    assert "verdict: 合格（待定）, score 94.1" in result.stdout  # 100 − 3 − 0.9 − 1 − 1; AVAIL-1 lacks data
    doc = json.loads(next((out / "reports").glob("*.json")).read_text(encoding="utf-8"))
    assert doc["verdict"]["unjudged"].keys() == {"AVAIL-1"}
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
