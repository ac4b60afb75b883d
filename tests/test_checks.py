"""Checks run on a stored snapshot, on either database, again and again with the same answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest_twisted
from click.testing import CliRunner
from sqlalchemy import select

from govmon.checks.engine import check_run
from govmon.checks.pack import PackError, load_pack
from govmon.cli import main
from govmon.crawler.run import schedule_crawl
from govmon.store import Finding, open_store
from tests.conftest import write_registry
from tests.servers import SiteServer, closed_port, html

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def routes(broken_too: bool) -> dict:
    home = '<a href="/a.html">文章</a><a href="/gone.html">旧</a>' + ('<img src="/x.png">' if broken_too else "")
    return {"/": html(f"<html><title>首页</title><body>{home}</body></html>"),
            "/a.html": html('<html><title>A</title><body><a href="/missing.pdf">附件</a></body></html>')}


@pytest_twisted.ensureDeferred
async def test_findings_are_stable_across_rechecks_and_keep_first_seen(any_db_url, make_site):
    store = open_store(any_db_url)
    pack = load_pack("national")
    with SiteServer(routes(broken_too=False)) as server:
        site = make_site(server.url + "/")
        first = await schedule_crawl(store, site, any_db_url)
        server.routes.update(routes(broken_too=True))
        second = await schedule_crawl(store, site, any_db_url)
    base = server.url
    one = {(f.rule, f.target) for f in check_run(store, first.id, pack, NOW) if f.rule.startswith("LINK-")}
    assert one == {("LINK-1", base + "/gone.html"), ("LINK-3", base + "/missing.pdf")}
    again = {(f.rule, f.target) for f in check_run(store, first.id, pack, NOW) if f.rule.startswith("LINK-")}
    assert again == one  # re-checking a stored snapshot replaces, never duplicates
    two = {f.target: f for f in check_run(store, second.id, pack, NOW) if f.rule.startswith("LINK-")}
    assert set(two) == {base + "/gone.html", base + "/missing.pdf", base + "/x.png"}
    with store.session() as session:
        stored = session.scalars(select(Finding).where(Finding.run_id == first.id)).all()
    assert sum(f.rule.startswith("LINK-") for f in stored) == 2
    gone = two[base + "/gone.html"]
    assert gone.first_seen.replace(tzinfo=None) == first.started_at.replace(tzinfo=None)
    assert gone.last_seen.replace(tzinfo=None) == second.started_at.replace(tzinfo=None)
    assert two[base + "/x.png"].first_seen.replace(tzinfo=None) == second.started_at.replace(tzinfo=None)
    assert gone.places == [{"page": base + "/", "title": "首页", "tag": "a", "attr": "href", "text": "旧"}]
    store.engine.dispose()


async def broken_links_found(store, db_url, make_site) -> tuple[str, dict]:
    """A crawled site with one broken link on the homepage, one on an inner page and one failing attachment."""
    pages = {"/": html('<html><title>首页</title><body><a href="/a.html">文章</a><a href="/gone.html">旧</a></body></html>'),
             "/a.html": html('<html><title>A</title><body><a href="/old.html">往期</a>'
                             '<a href="/missing.pdf">附件</a></body></html>')}
    with SiteServer(pages) as server:
        run = await schedule_crawl(store, make_site(server.url + "/"), db_url)
    found = {f.rule: f for f in check_run(store, run.id, load_pack("national"), NOW) if f.rule.startswith("LINK-")}
    return server.url, found


@pytest_twisted.ensureDeferred
async def test_link_1_a_broken_link_on_the_homepage(store, db_url, make_site):
    base, found = await broken_links_found(store, db_url, make_site)
    assert (found["LINK-1"].target, found["LINK-1"].evidence["reason"]) == (base + "/gone.html", "http_404")
    assert found["LINK-1"].places == [{"page": base + "/", "title": "首页", "tag": "a", "attr": "href", "text": "旧"}]


@pytest_twisted.ensureDeferred
async def test_link_2_a_broken_link_on_an_inner_page(store, db_url, make_site):
    base, found = await broken_links_found(store, db_url, make_site)
    assert (found["LINK-2"].target, found["LINK-2"].evidence["reason"]) == (base + "/old.html", "http_404")
    assert found["LINK-2"].places == [{"page": base + "/a.html", "title": "A", "tag": "a", "attr": "href",
                                       "text": "往期"}]


@pytest_twisted.ensureDeferred
async def test_link_3_an_attachment_that_cannot_be_downloaded(store, db_url, make_site):
    base, found = await broken_links_found(store, db_url, make_site)
    assert (found["LINK-3"].target, found["LINK-3"].evidence["reason"]) == (base + "/missing.pdf", "http_404")
    assert [place["page"] for place in found["LINK-3"].places] == [base + "/a.html"]


def test_pack_errors_name_file_and_field(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('id = "mine"\nname = "x"\n[rules.LINK-1]\npoints = -1\n[detect.soft_404]\nmin_similarity = 0.8\n')
    try:
        load_pack(str(path))
    except PackError as error:
        assert f"{path}: field rules.LINK-1.points" in str(error)
    else:
        raise AssertionError("a negative points value must be refused")


def test_rules_list_prints_every_rule_with_threshold_and_status():
    result = CliRunner().invoke(main, ["rules", "list"])
    assert result.exit_code == 0
    for rule in ("LINK-1", "LINK-2", "LINK-3"):
        assert rule in result.output
    assert "points=0.1" in result.output and "default" in result.output


def test_check_and_report_from_the_command_line(tmp_path):
    """`govmon crawl` / `check` / `report` on a stored snapshot, and their exit codes."""
    import subprocess
    import sys

    with SiteServer(routes(broken_too=True)) as server:
        registry = write_registry(tmp_path / "govmon.toml", server.url + "/")
        db = f"sqlite:///{tmp_path / 'g.db'}"
        crawl = subprocess.run([sys.executable, "-m", "govmon.cli", "crawl", "t", "--config", str(registry),
                                "--db", db], capture_output=True, text=True, timeout=120)
    assert crawl.returncode == 0, crawl.stderr
    assert "run 1: complete" in crawl.stdout
    assert "fetched" in crawl.stderr and "queued" in crawl.stderr  # progress
    runner = CliRunner()
    checked = runner.invoke(main, ["check", "t", "--config", str(registry), "--db", db])
    assert checked.exit_code == 0 and "LINK-1: 2\n  LINK-3: 1\n" in checked.output
    assert "across runs: " in checked.output and " new, 0 open, 0 reopened, 0 fixed; 0 overdue" in checked.output
    out = tmp_path / "out"
    reported = runner.invoke(main, ["report", "t", "--config", str(registry), "--db", db, "--out", str(out),
                                    "--format", "json,xlsx"])
    assert reported.exit_code == 0, reported.output
    assert sorted(p.suffix for p in out.iterdir()) == [".json", ".xlsx"]
    assert runner.invoke(main, ["check", "nosuch", "--config", str(registry), "--db", db]).exit_code == 2
    assert runner.invoke(main, ["check", "t", "--run", "99", "--config", str(registry), "--db", db]).exit_code == 2
    assert runner.invoke(main, ["report", "t", "--config", str(registry), "--db", db, "--format", "pdf"]).exit_code == 2
    dead = write_registry(tmp_path / "dead.toml", f"http://127.0.0.1:{closed_port()}/")
    failed = subprocess.run([sys.executable, "-m", "govmon.cli", "crawl", "t", "--config", str(dead), "--db", db],
                            capture_output=True, text=True, timeout=120)
    assert failed.returncode == 3 and "failed" in failed.stdout


@pytest_twisted.ensureDeferred
async def test_a_failed_crawl_judges_nothing_and_says_so(store, db_url, make_site):
    """The site is down: no page-based finding (no "年度报告未发布" for a report nobody could look for)."""
    site = make_site(f"http://127.0.0.1:{closed_port()}/")
    run = await schedule_crawl(store, site, db_url)
    assert run.status == "failed"
    assert check_run(store, run.id, load_pack("national"), NOW, site) == []
    with store.session() as session:
        unjudged = session.get(type(run), run.id).stats["checked"]["unjudged"]
    assert list(unjudged) == ["crawl"]
    assert "采集失败" in unjudged["crawl"] and "connection_refused" in unjudged["crawl"]
    assert all(rule in unjudged["crawl"] for rule in ("TIME-4", "LINK-1", "COL-4", "ID-2"))
