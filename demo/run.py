"""`govmon demo`: serve the bundled portal, crawl it, probe it, check it, write its reports.

The portal's manifest lists every seeded defect of both demo sites (the city portal and a
department's navigation-only sub-site), so the demo also says whether the link, column,
identity, interaction, timeliness, new-media and IPv6 rules found exactly those: nothing missed, nothing extra.
The portal is reached by its name, www.dianzhong.gov.cn, which only the demo's
own DNS server knows.
"""

from __future__ import annotations

import threading
from pathlib import Path

import click

from govmon import clock, config
from govmon.checks.engine import check_run
from govmon.checks.latest import availability_at, check_for_reports
from govmon.checks.pack import load_pack
from govmon.console import print_run, print_verdict
from govmon.crawler.run import crawl_all_now
from govmon.demo.citizen import EXPORT_FILE, write_export
from govmon.demo.media import registry_toml
from govmon.demo.portal import generate
from govmon.demo.server import DemoServers, load_manifest, serve
from govmon.intake.receive import import_reports
from govmon.intake.verify import verify_reports
from govmon.registry import Registry, load_registry
from govmon.reports.assemble import rectification_doc
from govmon.reports.period_reports import write_period_reports
from govmon.reports.periods import period_end, period_through
from govmon.reports.rectification import write_rectification_list
from govmon.store import open_store
from govmon.tasks import attachment_reading, check_accounts, probe_availability, probe_ipv6
from govmon.workdays import WorkCalendar

LINK_RULES = ("LINK-1", "LINK-2", "LINK-3")
IPV6_RULES = ("IPV6-1", "IPV6-2", "IPV6-3", "IPV6-4", "IPV6-5", "IPV6-6")
COLUMN_RULES = ("HOME-1", "COL-1", "COL-2", "COL-3", "COL-4", "ID-1", "ID-2", "ID-3", "ID-4", "ID-5", "ID-6", "ID-7",
                "META-1", "INTER-1", "INTER-2", "INTER-3", "INTER-4")
TIME_RULES = ("TIME-1", "TIME-2", "TIME-3", "TIME-4", "TIME-5", "TIME-6", "TIME-7")
CONTENT_RULES = ("PII-1", "ERR-1", "SEC-1", "SVC-1")
MEDIA_RULES = ("MEDIA-1", "MEDIA-2", "MEDIA-3", "MEDIA-4")  # the manifest's M entries; targets "account:<id>" or a page
RULE_FAMILIES = {"link": LINK_RULES, "column, identity and interaction": COLUMN_RULES, "timeliness": TIME_RULES,
                 "content": CONTENT_RULES, "new-media": MEDIA_RULES, "IPv6": IPV6_RULES}


# Both demo sites are crawled alike.
CRAWL_SETTINGS = """\
[site.crawl]
# relaxed politeness: it is our own server
max_pages = 3000
max_depth = 10
concurrency = 8
delay = 0
autothrottle = false
timeout = 5
retries = 1
render = "auto"
robots = "ignore"
"""


def write_demo_registry(path: Path, servers: DemoServers) -> Registry:
    """The registry of the demo portal (sites[0]) and its sub-site, both served on this machine, and the portal's
    new-media accounts, watched through their mirrors on the external server."""
    path.write_text(f"""\
# The demo portal and its sub-site, served on this machine under names that only their own DNS server knows.
[settings]
resolver = "{servers.dns}"

[[site]]
id = "demo"
name = "滇中市人民政府"
site_code = "5301000001"
home = "{servers.named}/"
type = "portal"
level = "市"
sponsor = "滇中市人民政府办公室"
[site.admin]
name = "网站管理员"
email = "webmaster@dianzhong.example.gov.cn"
{CRAWL_SETTINGS}
[[site]]
id = "subsite"
name = "滇中市发展和改革委员会"
site_code = "bm53000012"
home = "{servers.subsite_named}/"
type = "department"
level = "市"
sponsor = "滇中市发展和改革委员会"
[site.admin]
name = "网站管理员"
email = "webmaster@dzfgw.example.cn"
{CRAWL_SETTINGS}
# The portal's government new-media accounts (政务新媒体), watched through mirrors on the external server.
{registry_toml(servers.external)}""", encoding="utf-8")
    return load_registry(path)


def expected_defects(manifest: dict, servers: DemoServers, rules: tuple[str, ...],
                     site: str = "demo") -> set[tuple[str, str]]:
    """(rule, target) of one site's manifest defects of these rules, with the portal reached by its name (the
    sub-site's are already)."""
    expected = set()
    for defect in manifest["defects"]:
        if defect["rule"] in rules and defect["site"] == site:
            where = defect.get("target") or defect["where"]
            expected.add((defect["rule"], where.replace(servers.portal, servers.named)))
    return expected


def compare(found: set[tuple[str, str]], expected: set[tuple[str, str]]) -> tuple[set, set]:
    """(missed, extra)."""
    return expected - found, found - expected


def run_demo(out_dir: Path, db_option: str | None, serve_only: bool) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    as_of = config.china_day(clock.now())  # the day in China: the day the checks count ages to
    generate(out_dir, as_of)
    with serve(out_dir) as servers:
        if serve_only:
            click.echo(f"demo portal: {servers.portal}/  and  {servers.portal_v6}/")
            click.echo(f"by name: {servers.named}/ (DNS server {servers.dns})")
            click.echo(f"external site: {servers.external}/   manifest: {out_dir / 'manifest.json'}")
            registry_path = out_dir / "registry.toml"
            write_demo_registry(registry_path, servers)
            click.echo(f"registry for these servers: {registry_path} (e.g. govmon media check demo --config …)")
            export = write_export(out_dir / EXPORT_FILE, citizen_reports_for(servers, load_manifest(out_dir, servers)))
            click.echo(f"citizens' reports for these servers: {export} (govmon intake import … --config …)")
            try:  # Ctrl-C right after the line below is announced is as good as one during the wait
                click.echo("serving until Ctrl-C")
                threading.Event().wait()
            except KeyboardInterrupt:
                pass
            return 0
        registry = write_demo_registry(out_dir / "registry.toml", servers)
        resolver = registry.settings.resolver
        if db_option is None:
            (out_dir / "govmon.db").unlink(missing_ok=True)
        db_url = config.database_url(db_option) if db_option else f"sqlite:///{(out_dir / 'govmon.db').resolve()}"
        store = open_store(db_url)
        pack = load_pack("national")
        manifest = load_manifest(out_dir, servers)
        results = []
        click.echo(f"demo sites served at {', '.join(site.home for site in registry.sites)} (127.0.0.1, the portal "
                   f"also on ::1; DNS {servers.dns}); crawling…")
        runs = crawl_all_now(store, registry.sites, db_url, resolver, GOVMON_PROGRESS=True,
                             GOVMON_READ_ATTACHMENTS=attachment_reading(pack))
        for site, run in zip(registry.sites, runs):
            print_run(run, site)
            if run.status == "failed":
                return 3
            accounts = registry.accounts_of(site.id)
            findings = check_run(store, run.id, pack, clock.now(), site, accounts=accounts)
            found = {"link": findings, "column, identity and interaction": findings, "timeliness": findings,
                     "content": findings}
            if accounts:
                click.echo(f"checking {len(accounts)} new-media accounts through their mirrors…")
                checked = check_accounts(store, list(accounts), {site.id: site}, pack, resolver)
                found["new-media"] = findings + [f for _check, account_findings in checked for f in account_findings]
                for check, _ in checked:
                    click.echo(f"  {check.account_id:<12} {check.verdict:<8} {check.latest_at or check.reason or ''}")
            if site is registry.sites[0]:
                click.echo("probing IPv6 and availability…")
                _probe, found["IPv6"] = probe_ipv6(store, site.id, site.home, pack, resolver, site.crawl.concurrency,
                                                   site.crawl.user_agent, profile=(site.type, site.level))
                for _ in range(3):
                    probe_availability(store, site, pack, resolver)
                check_citizen_reports(store, registry, out_dir, servers, manifest)
            now = clock.now()
            doc = rectification_doc(store, site, run.id, pack, as_of, now, accounts=registry.accounts_of(site.id),
                                    availability=availability_at(store, site, pack, now))
            paths = write_rectification_list(doc, out_dir / "reports" / site.id, ["html", "xlsx", "json"])
            results.append((site, found, doc, paths))
    for site, found, doc, paths in results:
        click.echo(f"— {site.name} ({site.id})")
        for kind, findings in found.items():
            rules = RULE_FAMILIES[kind]
            _report(kind, {(f.rule, f.target) for f in findings if f.rule in rules},
                    expected_defects(manifest, servers, rules, site.id))
        availability = doc["probes"]["availability"]
        if availability["probes"]:
            click.echo(f"AVAIL-1: {availability['verdict']} ({availability['probes']} probes in the window; a verdict "
                       f"needs {availability['thresholds']['min_probes_per_day']:g} a day — `govmon serve` will make them)")
        print_verdict(doc["verdict"])
        click.echo("rectification list (整改清单):")
        for path in paths.values():
            click.echo(f"  {path}")
    bounds, calendar = period_through("daily", as_of), WorkCalendar()
    availabilities = check_for_reports(store, registry, period_end(bounds),
                                       lambda site: load_pack(site.pack or registry.settings.pack), calendar)
    supervisor = write_period_reports(store, registry, "daily", bounds, out_dir / "reports", calendar=calendar,
                                      availability=availabilities).supervisor_files
    click.echo(f"supervisor report (检查情况通报, 日读网 {as_of}): {supervisor['supervisor_html']}")
    click.echo(f"  and {supervisor['supervisor_xlsx']}  (any period: govmon report --supervisor --period week …)")
    return 0


def citizen_reports_for(servers: DemoServers, manifest: dict) -> list[dict]:
    """The manifest's 我为政府网站找错 reports, with the portal's URLs on the ports these servers listen on (an
    export left by another run names ports nothing listens on any more)."""
    return [{**r, "url": r["url"].replace(servers.portal, servers.named)} for r in manifest["citizen_reports"]]


def check_citizen_reports(store, registry: Registry, out_dir: Path, servers: DemoServers, manifest: dict) -> None:
    """Import the demo's 我为政府网站找错 export, cross-check every open report, and compare with the manifest."""
    expected = citizen_reports_for(servers, manifest)
    export = write_export(out_dir / EXPORT_FILE, expected)
    imported = import_reports(store, registry, export)
    click.echo(f"citizen reports (我为政府网站找错): {imported.added + imported.updated + imported.unchanged} "
               f"imported from {export.name}, {len(imported.problems)} bad row(s)")
    for problem in imported.problems:
        click.echo(f"  row {problem.row}: {problem.reason}")
    checked = verify_reports(store, registry, WorkCalendar(), site_id="demo")
    for verification in checked:
        click.echo(f"  {verification.summary_line()}")
    found = {v.report.number: v.check.verdict for v in checked}
    wanted = {r["number"]: r["verdict"] for r in expected if r["verdict"] not in (None, "malformed")}
    verdict = "exactly the manifest's" if found == wanted else "NOT the manifest's"
    click.echo(f"citizen report verdicts: {len(found)} checked: {verdict}")
    for number in sorted(set(found) | set(wanted)):
        if found.get(number) != wanted.get(number):
            click.echo(f"  {number}: expected {wanted.get(number)}, got {found.get(number)}")


def _report(kind: str, found: set[tuple[str, str]], expected: set[tuple[str, str]]) -> None:
    missed, extra = compare(found, expected)
    by_rule = {}
    for rule, _target in sorted(found):
        by_rule[rule] = by_rule.get(rule, 0) + 1
    summary = ", ".join(f"{rule} {count}" for rule, count in by_rule.items()) or "none"
    verdict = "exactly the manifest's" if not missed and not extra else "NOT the manifest's"
    click.echo(f"{kind} defects: {len(expected)} seeded, {len(found)} found ({summary}): {verdict}")
    for rule, target in sorted(missed):
        click.echo(f"  missed {rule} {target}")
    for rule, target in sorted(extra):
        click.echo(f"  extra  {rule} {target}")
