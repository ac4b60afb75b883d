"""`govmon demo`: serve the bundled portal, crawl it, check it, write its reports.

The portal's manifest lists every seeded defect, so the demo also says whether
the link rules found exactly those: nothing missed, nothing extra.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timezone
from pathlib import Path

import click

from checks.engine import check_run
from checks.pack import load_pack
from crawler.run import crawl_now
from demo.portal import generate
from demo.server import DemoServers, load_manifest, serve
from govmon.cli import print_run
from govmon.registry import Site, load_registry
from govmon.store import open_store
from reports.assemble import rectification_doc
from reports.rectification import write_rectification_list

LINK_RULES = ("LINK-1", "LINK-2", "LINK-3")


def write_demo_registry(path: Path, servers: DemoServers) -> Site:
    path.write_text(f"""\
# The demo portal, served on this machine. Relaxed politeness: it is our own server.
[[site]]
id = "demo"
name = "滇中市人民政府"
site_code = "5301000001"
home = "{servers.portal}/"
type = "portal"
level = "市"
sponsor = "滇中市人民政府办公室"
[site.admin]
name = "网站管理员"
email = "webmaster@dianzhong.example.gov.cn"
[site.crawl]
max_pages = 3000
max_depth = 10
concurrency = 8
delay = 0
autothrottle = false
timeout = 5
retries = 1
render = "auto"
robots = "ignore"
""", encoding="utf-8")
    return load_registry(path).sites[0]


def compare_with_manifest(found: set[tuple[str, str]], manifest: dict) -> tuple[set, set]:
    """(missed, extra): link defects the manifest seeds but were not found, and the reverse."""
    expected = {(d["rule"], d["target"]) for d in manifest["defects"] if d["rule"] in LINK_RULES}
    return expected - found, found - expected


def run_demo(out_dir: Path, db_option: str | None, serve_only: bool) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    as_of = date.today()
    generate(out_dir, as_of)
    with serve(out_dir) as servers:
        if serve_only:
            click.echo(f"demo portal: {servers.portal}/  and  {servers.portal_v6}/")
            click.echo(f"external site: {servers.external}/   manifest: {out_dir / 'manifest.json'}")
            click.echo("serving until Ctrl-C")
            try:
                threading.Event().wait()
            except KeyboardInterrupt:
                pass
            return 0
        site = write_demo_registry(out_dir / "registry.toml", servers)
        if db_option is None:
            (out_dir / "govmon.db").unlink(missing_ok=True)
        db_url = db_option or f"sqlite:///{(out_dir / 'govmon.db').resolve()}"
        store = open_store(db_url)
        click.echo(f"demo portal served at {servers.portal}/ (and {servers.portal_v6}/); crawling…")
        run = crawl_now(store, site, db_url, GOVMON_PROGRESS=True)
        print_run(run)
        if run.status == "failed":
            return 3
        pack = load_pack("national")
        findings = check_run(store, run.id, pack, datetime.now(timezone.utc))
        doc = rectification_doc(store, site, run.id, pack, as_of)
        paths = write_rectification_list(doc, out_dir / "reports", ["html", "xlsx", "json"])
        manifest = load_manifest(out_dir, servers)
    missed, extra = compare_with_manifest({(f.rule, f.target) for f in findings}, manifest)
    seeded = sum(1 for d in manifest["defects"] if d["rule"] in LINK_RULES)
    click.echo(f"findings: {len(findings)} — " + ", ".join(
        f"{rule} {sum(1 for f in findings if f.rule == rule)}" for rule in LINK_RULES))
    verdict = "exactly the manifest's" if not missed and not extra else "NOT the manifest's"
    click.echo(f"link defects: {seeded} seeded, {len(findings)} found: {verdict}")
    for rule, target in sorted(missed):
        click.echo(f"  missed {rule} {target}")
    for rule, target in sorted(extra):
        click.echo(f"  extra  {rule} {target}")
    click.echo("rectification list (整改清单):")
    for path in paths.values():
        click.echo(f"  {path}")
    return 0
