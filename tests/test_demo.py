"""On the demo sites every rule finds exactly the manifest's defects: nothing missed, nothing extra."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import urllib.request
import zipfile
from contextlib import closing
from datetime import date, datetime
from urllib.parse import urlsplit

import pytest_twisted
from sqlalchemy import select

from govmon import clock
from govmon.checks.engine import check_run
from govmon.checks.latest import availability_at
from govmon.checks.pack import load_pack
from govmon.config import CHINA_TZ
from govmon.crawler.run import schedule_crawl
from govmon.demo.citizen import EXPORT_FILE
from govmon.demo.portal import generate
from govmon.demo.run import (
    COLUMN_RULES,
    IPV6_RULES,
    LINK_RULES,
    MEDIA_RULES,
    TIME_RULES,
    expected_defects,
    write_demo_registry,
)
from govmon.demo.server import load_manifest, serve
from govmon.facts.personal_data import find_numbers
from govmon.probes.ipv6 import snapshot_pages
from govmon.reports.assemble import rectification_doc
from govmon.store import Page
from govmon.tasks import check_accounts, probe_ipv6

AS_OF = datetime(2026, 11, 24, tzinfo=CHINA_TZ)  # the end of 23 November, the day the portal was generated for


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
    findings = check_run(store, run.id, pack, AS_OF, site)
    named = servers.named
    found = {(f.rule, f.target, f.evidence["reason"]): {p["page"] for p in f.places} for f in findings
             if f.rule in LINK_RULES}
    seeded = {(d["rule"], d["target"].replace(servers.portal, named), d["reason"]):
              {page.replace(servers.portal, named) for page in d["pages"]}
              for d in manifest["defects"] if d["rule"] in LINK_RULES}
    assert found == seeded
    assert len(seeded) >= 12 and {rule for rule, _, _ in seeded} == set(LINK_RULES)
    assert {(f.rule, f.target) for f in ipv6_findings} == expected_defects(manifest, servers, IPV6_RULES)
    ipv6_4 = next(f for f in ipv6_findings if f.rule == "IPV6-4")
    prefixes = tuple(named + prefix for prefix in manifest["ipv6"]["failing_prefixes"])
    with store.session() as session:
        home = session.scalars(select(Page).where(Page.run_id == run.id, Page.url == named + "/",
                                                  Page.kind == "page")).one()  # not its view as a spider
    sampled = snapshot_pages(store, site.id, servers.host)[1][:int(pack.rule("IPV6-4")["max_pages"])]
    expected_failing = sorted(url for url in sampled if url.startswith(prefixes))
    assert ipv6_4.places_total == len(expected_failing) and ipv6_4.evidence["total"] == len(sampled)
    assert ipv6_4.evidence["ratio"] == round((len(sampled) - len(expected_failing)) / len(sampled), 4) < 0.9
    assert {url.split("/")[3] for url in sampled} >= {"hdjl", "bsfw", "xwzx", "zwgk"}  # every section sampled
    assert home.render == "rendered" and home.facts["site_code"] == "5301000001"  # written by document.write


@pytest_twisted.ensureDeferred
async def test_column_identity_and_interaction_rules_find_exactly_the_manifests_defects(tmp_path, store, db_url,
                                                                                     monkeypatch):
    monkeypatch.setenv(clock.PINNED, "2026-11-23T20:00:00+08:00")  # crawled and checked on the day it was made for
    generate(tmp_path, date(2026, 11, 23))
    pack = load_pack("national")
    with serve(tmp_path) as servers:
        registry = write_demo_registry(tmp_path / "registry.toml", servers)
        runs = [await schedule_crawl(store, site, db_url, registry.settings.resolver) for site in registry.sites]
        portal = registry.sites[0]
        accounts = check_accounts(store, list(registry.accounts_of(portal.id)), {portal.id: portal}, pack,
                                  registry.settings.resolver)
        manifest = load_manifest(tmp_path, servers)
    verdicts = {}
    for site, run in zip(registry.sites, runs):
        assert run.status == "complete", run.reason
        first = check_run(store, run.id, pack, AS_OF, site, accounts=registry.accounts_of(site.id))
        found = {(f.rule, f.target) for f in first if f.rule in COLUMN_RULES}
        assert found == expected_defects(manifest, servers, COLUMN_RULES, site.id), site.id
        media = {(f.rule, f.target) for f in first if f.rule in MEDIA_RULES}
        if site is portal:
            media |= {(f.rule, f.target) for _check, found in accounts for f in found}
            verdicts_seen = {check.account_id: check.verdict for check, _ in accounts}
            assert verdicts_seen == {key: value["verdict"] for key, value in manifest["accounts"].items()}
        assert media == expected_defects(manifest, servers, MEDIA_RULES, site.id), site.id
        timely = {(f.rule, f.target): f.evidence for f in first if f.rule in TIME_RULES}
        assert set(timely) == expected_defects(manifest, servers, TIME_RULES, site.id), site.id
        for defect in manifest["defects"]:  # the dates shown are the manifest's, to the day
            if defect["rule"] in TIME_RULES and defect["site"] == site.id:
                key = (defect["rule"], defect["where"].replace(servers.portal, servers.named))
                for name in ("policy_date", "interpretation_date", "deadline", "working_days", "made", "published",
                             "due", "approved", "report_year"):
                    if name in defect:
                        assert timely[key][name] == defect[name], (key, name)
        again = check_run(store, run.id, pack, AS_OF, site, accounts=registry.accounts_of(site.id))  # the same answer
        assert sorted((f.rule, f.target, str(f.evidence)) for f in again) == \
            sorted((f.rule, f.target, str(f.evidence)) for f in first)
        doc = rectification_doc(store, site, run.id, pack, date(2026, 11, 23), AS_OF,
                                availability=availability_at(store, site, pack, AS_OF))
        verdicts[site.id] = doc["verdict"]
        statuses = {f["rule"]: f["threshold_status"] for f in doc["findings"]}
        if site.id == "demo":  # 规划计划's one-year limit is a default, though COL-2's count is confirmed
            assert (statuses["COL-2"], statuses["COL-1"]) == ("default", "confirmed")
    # the portal: vetoed by the message left unanswered for 4 months, the new-media accounts, the misspelt state
    # name, the unmasked ID numbers and the hidden gambling link; 1 COL-1, 3 COL-3 and 1 poor guide stay under veto_at
    assert (verdicts["demo"]["result"], verdicts["demo"]["vetoes"]) == (
        "不合格", ["ERR-1", "INTER-2", "MEDIA-1", "MEDIA-2", "MEDIA-3", "PII-1", "SEC-1"])
    assert "MEDIA:dz-toutiao" in verdicts["demo"]["unjudged"]  # its mirror answers 503: unknown, not a violation
    rows = {row["rule"]: row for row in verdicts["demo"]["rules"]}
    assert rows["COL-3"]["count"] == 3 and not rows["COL-3"]["vetoed"] and rows["COL-3"]["veto_at"] == 5
    assert rows["SVC-1"]["count"] == 1 and not rows["SVC-1"]["vetoed"] and rows["SVC-1"]["veto_at"] == 5
    assert rows["ID-3"]["deducted"] == 1.0 and rows["INTER-3"]["deducted"] == 1.0
    # 100 − 3 (LINK-1) − 0.9 (LINK-2) − 1 (LINK-3) − 1 (ID-3) − 1 (INTER-3) − 2 (TIME-1: 4 × 0.5)
    assert verdicts["demo"]["score"] == 91.1
    # the navigation-only sub-site: its second-level pages are 20 days old, and it has no consultation channel
    assert (verdicts["subsite"]["result"], verdicts["subsite"]["vetoes"]) == ("不合格", ["HOME-1", "INTER-1"])
    assert verdicts["subsite"]["score"] == 97.0  # ID-6, TIME-4 (its annual report 20 days late)


def test_govmon_demo_end_to_end_even_without_chromium(tmp_path):
    out = tmp_path / "demo"
    result = subprocess.run([sys.executable, "-m", "govmon.cli", "demo", "--out", str(out)],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "GOVMON_CHROMIUM": str(tmp_path / "no-chromium")})
    assert result.returncode == 0, result.stderr
    assert "link defects: 14 seeded, 14 found" in result.stdout
    # each run line names its site
    assert re.search(r"^run 1 of 滇中市人民政府 \(demo\): complete", result.stdout, re.M), result.stdout
    assert re.search(r"^run 2 of 滇中市发展和改革委员会 \(subsite\): complete", result.stdout, re.M)
    # link, column/identity/interaction, timeliness, content, new-media and IPv6 on the portal; four on the
    # sub-site; the citizens' reports
    assert result.stdout.count("exactly the manifest's") == 11, result.stdout
    assert "content defects: 6 seeded, 6 found" in result.stdout
    assert "citizen report verdicts: 9 checked: exactly the manifest's" in result.stdout
    assert "could not render 1 page(s)" in result.stdout  # the homepage's footer is written by JavaScript
    assert re.search(r"^    http://www\.dianzhong\.gov\.cn:\d+/$", result.stdout, re.M)
    # 100 − 3 (LINK-1) − 0.9 (LINK-2) − 1 (LINK-3) − 1 (ID-3) − 1 (INTER-3) − 2 (TIME-1) − 1 (IPV6-4)
    assert ("verdict: 不合格, score 90.1 (pass 60; vetoes: ERR-1, INTER-2, MEDIA-1, MEDIA-2, MEDIA-3, PII-1, SEC-1; "
            "unjudged: AVAIL-1, MEDIA:dz-toutiao)") in result.stdout
    assert "verdict: 不合格, score 97 (pass 60; vetoes: HOME-1, INTER-1; unjudged: AVAIL-1)" in result.stdout
    for site in ("demo", "subsite"):
        doc = json.loads(next((out / "reports" / site).glob("*.json")).read_text(encoding="utf-8"))
        assert doc["verdict"]["unjudged"].keys() == ({"AVAIL-1", "MEDIA:dz-toutiao"} if site == "demo" else {"AVAIL-1"})
        reports = sorted(p.suffix for p in (out / "reports" / site).iterdir())
        assert reports == [".html", ".json", ".xlsx"]
        for suffix in reports:
            assert str(out / "reports" / site) in result.stdout and suffix in result.stdout
    # the portal publishes full ID numbers (a page and an .xlsx, PII-1): no report or stored row repeats one
    written = [path for path in (out / "reports").rglob("*") if path.is_file()]
    assert {path.suffix for path in written} >= {".html", ".json", ".xlsx"}
    texts = [_report_text(path) for path in written]
    with closing(sqlite3.connect(out / "govmon.db")) as db:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            texts += [" ".join(map(str, row)) for row in db.execute(f'SELECT * FROM "{table}"')]
    assert any("530" in text and "********" in text for text in texts)  # the numbers are shown, masked
    assert [number.masked for text in texts for number in find_numbers(text) if number.kind == "id_card"] == []


def _report_text(path) -> str:
    """A written report's text: an XLSX's cells, read from its XML parts."""
    if path.suffix != ".xlsx":
        return path.read_text(encoding="utf-8")
    with zipfile.ZipFile(path) as archive:
        return " ".join(archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml"))


def test_govmon_demo_serve_only_serves(tmp_path):
    stale = "http://www.dianzhong.gov.cn:1/"  # an export left by an earlier demo, for servers long gone
    (tmp_path / EXPORT_FILE).write_text(f"留言编号,问题网址\nZC1,{stale}\n", encoding="gbk")
    process = subprocess.Popen([sys.executable, "-m", "govmon.cli", "demo", "--serve", "--out", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        portal = re.search(r"(http://127\.0\.0\.1:\d+)/", first).group(1)
        with urllib.request.urlopen(portal + "/", timeout=10) as response:
            assert response.status == 200 and "滇中市人民政府" in response.read().decode("utf-8")
        while "serving until Ctrl-C" not in (line := process.stdout.readline()):
            assert line, "the demo stopped before serving"
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    assert process.returncode == 0
    assert not (tmp_path / "govmon.db").exists()  # serving only: nothing crawled
    assert "[[account]]" in (tmp_path / "registry.toml").read_text(encoding="utf-8")  # for `govmon media check`
    # the citizens' export, for `govmon intake import`, names the ports these servers listened on
    export = (tmp_path / EXPORT_FILE).read_text(encoding="gbk")
    port = urlsplit(portal).port
    assert stale not in export and f"http://www.dianzhong.gov.cn:{port}/" in export
