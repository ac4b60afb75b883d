"""One rule, one unit: each snapshot rule's own function, the docs generated from the catalogue, a fixture test per rule."""

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest_twisted
from click.testing import CliRunner
from sqlalchemy import select

from govmon.checks.catalogue import CHECKABLE_RULES, RULES, SNAPSHOT_RULES, rules_document
from govmon.checks.engine import check_run
from govmon.checks.identity import check_identity
from govmon.checks.pack import load_pack
from govmon.cli import main
from govmon.crawler.run import schedule_crawl
from govmon.store import Finding, Run
from tests.servers import SiteServer, html
from tests.snapshots import HOME, context, page, snapshot

ROOT = Path(__file__).resolve().parent.parent


def _test_names() -> set[str]:
    return {node.name for path in (ROOT / "tests").glob("test_*.py") for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")}


def _untested() -> set[str]:
    names = _test_names()
    return {rule_id for rule_id in RULES
            if not any(re.search(rf"(?:^|_){rule_id.replace('-', '_').lower()}(?:_|$)", name) for name in names)}


def test_every_rule_has_a_fixture_test_named_after_it() -> None:
    assert _untested() == set()  # a rule's test is named after its ID: test_id_1_…


def test_docs_rules_md_is_generated_from_the_catalogue() -> None:
    assert (ROOT / "docs" / "rules.md").read_text() == rules_document(), "run: govmon rules docs > docs/rules.md"


def test_every_snapshot_rule_has_its_own_unit() -> None:
    assert [rule for rule in SNAPSHOT_RULES if RULES[rule].check is None] == []
    assert set(SNAPSHOT_RULES) < set(CHECKABLE_RULES)


def test_every_rule_has_its_own_unit_and_says_what_it_judges() -> None:
    assert [rule for rule in RULES.values() if rule.unit is None] == []
    assert {rule.id for rule in RULES.values() if rule.judged_on == "snapshot"} == set(CHECKABLE_RULES)
    assert {rule.id: rule.judged_on for rule in RULES.values() if rule.id[:4] in {"AVAI", "IPV6", "ZC-1"}} == {
        "AVAIL-1": "availability", "ZC-1": "citizen_report", **{f"IPV6-{n}": "ipv6_probe" for n in range(1, 7)}}
    assert [RULES[f"MEDIA-{n}"].judged_on for n in range(1, 5)] == ["account"] * 3 + ["snapshot"]


def test_each_unit_finds_only_its_rule_and_together_they_find_the_family() -> None:
    home = page(HOME, depth=0, sponsor="某市人民政府办公室")  # no other footer item, no marks: all but ID-7 find it
    article = page(HOME + "xwzx/t1.html", depth=2, published="2026-11-01", meta={})
    shot, ctx = snapshot(home, article, links=()), context()
    by_unit = {rule: RULES[rule].check(shot, ctx) for rule in ("ID-1", "ID-2", "ID-3", "ID-4", "ID-5", "ID-6", "ID-7",
                                                               "META-1")}
    assert all(d.rule == rule for rule, drafts in by_unit.items() for d in drafts)
    assert {rule for rule, drafts in by_unit.items() if not drafts} == {"ID-7"}
    family = check_identity(snapshot(home, article, links=()), context())
    assert sorted((d.rule, d.target) for d in family) == sorted(
        (d.rule, d.target) for drafts in by_unit.values() for d in drafts)


def test_rules_show_prints_the_rule_and_its_settings_in_each_pack() -> None:
    result = CliRunner().invoke(main, ["rules", "show", "id-7"])
    assert result.exit_code == 0, result.output
    assert "ID-7  英文域名不规范  (advice)" in result.output
    assert "  national: " in result.output and "  yunnan-2022: " in result.output
    assert "example: 网站域名“www.example.com.cn”不以“.gov.cn”结尾" in result.output


def test_an_unknown_rule_is_a_clear_error_with_a_suggestion() -> None:
    shown = CliRunner().invoke(main, ["rules", "show", "ID-77"])
    assert shown.exit_code != 0 and "unknown rule 'ID-77' (did you mean 'ID-7'?)" in shown.output
    checked = CliRunner().invoke(main, ["check", "any-site", "--rule", "META1"])
    assert checked.exit_code != 0 and "unknown rule 'META1' (did you mean 'META-1'?)" in checked.output
    probe_rule = CliRunner().invoke(main, ["check", "any-site", "--rule", "AVAIL-1"])
    assert probe_rule.exit_code != 0 and "AVAIL-1 is not judged on a crawl snapshot" in probe_rule.output


@pytest_twisted.ensureDeferred
async def test_a_partial_check_replaces_only_the_selected_rules_findings(store, db_url, make_site):
    body = '<a href="/gone.html">旧</a><a href="/a.html">文章</a>'
    pages = {"/": html(f"<html><title>首页</title><body>{body}</body></html>"),
             "/a.html": html('<html><title>A</title><body><a href="/missing.pdf">附件</a></body></html>')}
    with SiteServer(pages) as server:
        site = make_site(server.url + "/")
        run = await schedule_crawl(store, site, db_url)
    pack, first, later = load_pack("national"), datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)
    full = {(f.rule, f.target) for f in check_run(store, run.id, pack, first, site)}
    partial = check_run(store, run.id, pack, later, site, rules=frozenset({"LINK-3"}))
    assert [(f.rule, f.target) for f in partial] == [("LINK-3", server.url + "/missing.pdf")]
    with store.session() as session:
        stored = session.scalars(select(Finding).where(Finding.run_id == run.id)).all()
        checked = session.get(Run, run.id).stats["checked"]
    assert {(f.rule, f.target) for f in stored} == full  # the other rules' findings stay
    assert {f.rule for f in stored if f.as_of.replace(tzinfo=None) == later.replace(tzinfo=None)} == {"LINK-3"}
    assert checked["as_of"] == first.isoformat()  # the run stays checked as of its last full check
