"""The ``govmon`` command line.

Exit codes: 0 done (findings are not an error), 2 usage or configuration error,
3 the crawl could not run (its run is stored as failed, with the reason).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import click
from sqlalchemy import make_url, select
from sqlalchemy.exc import ArgumentError, OperationalError

from govmon import clock, config
from govmon.checks.pack import PackError, load_pack
from govmon.console import print_run, print_verdict
from govmon.registry import Registry, RegistryError, Site, load_registry
from govmon.store import Run, Store, open_store, utcnow
from govmon.workdays import WorkCalendar, WorkdayError, calendar_for

EXIT_CONFIG = 2
EXIT_CRAWL = 3


class Context:
    """What every command needs: the registry and the store, opened on first use."""

    def __init__(self, config_option: str | None, db_option: str | None):
        self.config_option = config_option
        self.db_option = db_option
        self._registry: Registry | None = None
        self._store: Store | None = None

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            self._registry = load_registry(config.config_path(self.config_option))
        return self._registry

    @property
    def db_url(self) -> str:
        settings = self.registry.settings
        return config.database_url(self.db_option, settings.db, config.data_dir(settings.data_dir))

    def shown_db_url(self) -> str:
        """The database's URL after a space, its password hidden; nothing when the URL itself is what is wrong."""
        try:
            return f" {make_url(self.db_url).render_as_string(hide_password=True)}"
        except (ArgumentError, RegistryError, OSError):
            return ""

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.db_url)
        return self._store

    @property
    def calendar(self) -> WorkCalendar:
        settings = self.registry.settings
        return calendar_for(settings.workdays, self.registry.path.parent)

    def pack_for(self, site: Site, option: str | None = None):
        return load_pack(option or site.pack or self.registry.settings.pack)


def common(func):
    """--config and --db on every command, so they may follow the subcommand."""

    @click.option("--db", "db_option", metavar="URL", help="SQLAlchemy database URL (env GOVMON_DB).")
    @click.option("--config", "config_option", metavar="FILE", help="Registry file (env GOVMON_CONFIG; ./govmon.toml).")
    @functools.wraps(func)
    def wrapper(config_option, db_option, **kwargs):
        ctx = Context(config_option, db_option)
        try:
            return func(ctx, **kwargs)
        except (RegistryError, PackError, LookupError, WorkdayError) as exc:
            _fail(str(exc))
        except (ArgumentError, OperationalError) as exc:
            _fail(f"database{ctx.shown_db_url()}: {str(exc).splitlines()[0]}")
        except OSError as exc:
            if exc.filename is None:
                raise
            _fail(f"{exc.filename}: {exc.strerror or exc}")  # a data or --out folder it may not write, say

    return wrapper


def _fail(message: str, code: int = EXIT_CONFIG) -> None:
    click.echo(f"govmon: {message}", err=True)
    sys.exit(code)


def _as_of(value: date | None) -> datetime:
    """The end of that day in China time (where days and deadlines are counted), or now; in UTC, as the store
    keeps times (SQLite compares them without their zone)."""
    if value is None:
        return utcnow()
    return (datetime.combine(value, time(0), config.CHINA_TZ) + timedelta(days=1)).astimezone(UTC)


def _latest_run(store: Store, site_id: str) -> int:
    with store.session() as session:
        run_id = session.scalar(select(Run.id).where(Run.site_id == site_id).order_by(Run.id.desc()).limit(1))
    if run_id is None:
        raise LookupError(f"site {site_id!r} has no stored crawl yet: run `govmon crawl {site_id}` first")
    return run_id


def _run_of(store: Store, site: Site, run_id: int | None) -> int:
    if run_id is None:
        return _latest_run(store, site.id)
    with store.session() as session:
        run = session.get(Run, run_id)
    if run is None or run.site_id != site.id:
        raise LookupError(f"run {run_id} is not a crawl of site {site.id!r}")
    return run_id


as_of_option = click.option(
    "--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Evaluate as of this date (default: now)."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govmon")
def main() -> None:
    """Monitor government websites against the rules they are inspected by."""
    try:
        clock.now()  # a bad GOVMON_NOW is one clear error here, not a traceback from deep inside a command
    except clock.ClockError as exc:
        _fail(str(exc))


@main.command()
@click.argument("site_id", metavar="SITE")
@click.option("--no-check", is_flag=True, help="Only store the snapshot; until it is checked (`govmon check "
              "SITE --run N`) it neither confirms nor fixes any finding.")
@common
def crawl(ctx: Context, site_id: str, no_check: bool) -> None:
    """Crawl SITE into a stored snapshot and check it, as `govmon check` does (Ctrl-C stops the crawl and keeps
    what was fetched: a partial run, checked all the same)."""
    from govmon.crawler.run import crawl_now

    site = ctx.registry.site(site_id)
    from govmon.tasks import attachment_reading

    run = crawl_now(ctx.store, site, ctx.db_url, ctx.registry.settings.resolver, GOVMON_PROGRESS=True,
                    GOVMON_READ_ATTACHMENTS=attachment_reading(ctx.pack_for(site)))
    print_run(run)
    if not no_check:
        check_and_print(ctx, site, run.id, ctx.pack_for(site), None)
    if run.status == "failed":
        sys.exit(EXIT_CRAWL)


@main.command()
@click.argument("site_id", metavar="SITE")
@click.option("--run", "run_id", type=int, help="Check this run (default: the site's latest).")
@click.option("--pack", help="Rule pack name or file (default: the site's, else the registry's).")
@click.option("--rule", "rule_ids", multiple=True, metavar="ID",
              help="Check only this rule (repeatable): only its findings of the run are replaced, the others' stay, "
                   "and the run keeps the pack and as-of of its last full check.")
@as_of_option
@common
def check(ctx: Context, site_id: str, run_id: int | None, pack: str | None, rule_ids: tuple[str, ...],
          as_of: datetime | None) -> None:
    """Evaluate the rules on a stored snapshot of SITE, without recrawling."""
    selected = frozenset(_snapshot_rule(rule_id) for rule_id in rule_ids) or None
    site = ctx.registry.site(site_id)
    check_and_print(ctx, site, _run_of(ctx.store, site, run_id), ctx.pack_for(site, pack), as_of, selected)


def _snapshot_rule(rule_id: str) -> str:
    """The catalogue's ID for ``--rule``, or a clear error: an unknown ID, or a rule not judged on a snapshot."""
    from govmon.checks.catalogue import CHECKABLE_RULES, RULES
    from govmon.registry import did_you_mean

    known = rule_id.strip().upper()
    if known not in RULES:
        _fail(f"--rule: unknown rule {rule_id!r}{did_you_mean(known, tuple(RULES))}")
    if known not in CHECKABLE_RULES:
        _fail(f"--rule: {known} is not judged on a crawl snapshot (probes, new-media accounts or citizen reports "
              f"judge it); snapshot rules: {', '.join(CHECKABLE_RULES)}")
    return known


def check_and_print(ctx: Context, site: Site, run_id: int, loaded, as_of: datetime | None,
                    rules: frozenset[str] | None = None) -> None:
    """Check the run (only ``rules`` when given), then print its findings by rule, the verdict and the findings'
    states across runs."""
    from govmon.checks.engine import check_run
    from govmon.checks.latest import availability_at
    from govmon.checks.snapshot import session_params_of
    from govmon.checks.tracking import track
    from govmon.reports.assemble import rectification_doc

    when = _as_of(as_of and as_of.date())
    findings = check_run(ctx.store, run_id, loaded, when, site, ctx.calendar, ctx.registry.accounts_of(site.id),
                         rules)
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    partial = f" of {', '.join(sorted(rules))} (the other rules' findings kept)" if rules else ""
    click.echo(f"run {run_id}: {len(findings)} finding(s){partial}")
    for rule, count in sorted(counts.items()):
        click.echo(f"  {rule}: {count}")
    day = as_of.date() if as_of else config.china_day(utcnow())
    print_verdict(rectification_doc(ctx.store, site, run_id, loaded, day, when, calendar=ctx.calendar,
                                    availability=availability_at(ctx.store, site, loaded, when))["verdict"])
    with ctx.store.session() as session:
        tracked = track(session, site.id, when, loaded, ctx.calendar, session_params_of(site))
    states = {state: sum(t.state == state for t in tracked) for state in ("new", "open", "reopened", "fixed")}
    overdue = sum(t.overdue for t in tracked)
    click.echo("across runs: " + ", ".join(f"{n} {state}" for state, n in states.items())
               + f"; {overdue} overdue (整改时限 {loaded.rectification.working_days} working days)")


REPORT_PERIODS = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly"}


@main.command()
@click.argument("site_id", metavar="[SITE]", required=False)
@click.option("--supervisor", is_flag=True,
              help="Write the supervisor report (检查情况通报) of every registry site instead, as `serve` does.")
@click.option("--period", type=click.Choice(list(REPORT_PERIODS)), default=None,
              help="With --supervisor: the period that contains --as-of, up to its end (default: day).")
@click.option("--run", "run_id", type=int, help="Report on this run (default: the site's latest).")
@click.option("--format", "formats", default="html,xlsx,json", show_default=True,
              help="Comma-separated formats (with --supervisor: of the report and of the lists it links to).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("reports-out"),
              show_default=True, help="Folder to write into.")
@click.option("--pack", help="Rule pack name or file (default: the site's, else the registry's).")
@as_of_option
@common
def report(ctx: Context, site_id: str | None, supervisor: bool, period: str | None, run_id: int | None, formats: str,
           out_dir: Path, pack: str | None, as_of: datetime | None) -> None:
    """Write SITE's rectification list (整改清单) as HTML, XLSX and/or JSON; with --supervisor, the supervisor report
    of a period from the stored runs (HTML, JSON, XLSX, digest, the quarter's 通报) and each site's list."""
    if not supervisor:
        if site_id is None or period is not None:
            raise click.UsageError("give SITE for a rectification list, or --supervisor (with --period)")
        for path in _write_report(ctx, ctx.registry.site(site_id), run_id, formats, out_dir, pack, as_of).values():
            click.echo(str(path))
        return
    if site_id is not None or run_id is not None or pack is not None:
        raise click.UsageError("--supervisor reports on every site's latest run with its own pack: "
                               "no SITE, --run or --pack")
    from govmon.checks.latest import check_for_reports
    from govmon.reports.period_reports import write_period_reports
    from govmon.reports.periods import PERIOD_LABELS, period_end, period_through

    wanted = _formats(formats)
    name = REPORT_PERIODS[period or "day"]
    day = as_of.date() if as_of else config.china_day(utcnow())
    bounds = period_through(name, day)
    availability = check_for_reports(ctx.store, ctx.registry, period_end(bounds), ctx.pack_for, ctx.calendar)
    written = write_period_reports(ctx.store, ctx.registry, name, bounds, out_dir, calendar=ctx.calendar,
                                   availability=availability, formats=wanted)
    click.echo(f"supervisor report ({PERIOD_LABELS[name]} {written.folder.name}): {written.folder}")
    for path in written.supervisor_files.values():
        click.echo(f"  {path}")
    click.echo(f"  each site's 整改清单: {written.folder / 'sites'}")


def _formats(option: str) -> list[str]:
    """The --format list, checked: a rectification list and the supervisor report are written in the same ones."""
    wanted = [f.strip() for f in option.split(",") if f.strip()]
    unknown = set(wanted) - {"html", "xlsx", "json"}
    if unknown or not wanted:
        raise click.UsageError(f"unknown format(s): {', '.join(sorted(unknown)) or '(none given)'} (html, xlsx, json)")
    return wanted


def _write_report(ctx: Context, site: Site, run_id: int | None, formats: str, out_dir: Path, pack_option: str | None,
                  as_of: datetime | None) -> dict[str, Path]:
    from govmon.checks.engine import check_run
    from govmon.checks.latest import availability_at
    from govmon.reports.assemble import rectification_doc
    from govmon.reports.rectification import write_rectification_list

    wanted = _formats(formats)
    run_id = _run_of(ctx.store, site, run_id)
    pack = ctx.pack_for(site, pack_option)
    when = _as_of(as_of and as_of.date())
    with ctx.store.session() as session:
        checked = (session.get(Run, run_id).stats or {}).get("checked")
    if not checked or checked.get("pack") != pack.id or as_of is not None:
        check_run(ctx.store, run_id, pack, when, site, ctx.calendar, ctx.registry.accounts_of(site.id))
    day = as_of.date() if as_of else config.china_day(utcnow())
    doc = rectification_doc(ctx.store, site, run_id, pack, day, when, calendar=ctx.calendar,
                            accounts=ctx.registry.accounts_of(site.id),
                            availability=availability_at(ctx.store, site, pack, when))
    return write_rectification_list(doc, out_dir, wanted)


@main.command()
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON object.")
@click.option("--render", is_flag=True, help="Render the page in Chromium first (for text written by JavaScript).")
@click.option("--timeout", type=click.FloatRange(0, 300, min_open=True), default=15.0, show_default=True,
              help="Seconds to wait for the page.")
@click.option("--config", "config_option", metavar="FILE",
              help="Registry file whose DNS server to use (env GOVMON_CONFIG; ./govmon.toml).")
def inspect(url: str, as_json: bool, render: bool, timeout: float, config_option: str | None) -> None:
    """Fetch one page (http:// when URL has no scheme) and print the facts govmon extracts from it."""
    from govmon.inspect import InspectError, inspect_url

    try:
        facts = inspect_url(url, render=render, timeout=timeout, resolver=_registry_resolver(config_option))
    except InspectError as exc:
        _fail(str(exc), EXIT_CRAWL)
    if as_json:
        click.echo(json.dumps(facts, ensure_ascii=False, indent=2))
        return
    width = max(len(key) for key in facts)
    for key, value in facts.items():
        click.echo(f"{key.ljust(width)}  {'' if value is None else value}")


def _registry_given(config_option: str | None) -> bool:
    """For commands that work without a registry: whether one is named (--config, GOVMON_CONFIG) or ./govmon.toml
    exists, and is to be honoured."""
    return bool(config_option or os.environ.get("GOVMON_CONFIG") or config.DEFAULT_CONFIG.exists())


def _registry_resolver(config_option: str | None) -> str | None:
    """The registry's DNS server, when a registry is given."""
    if not _registry_given(config_option):
        return None
    try:
        return Context(config_option, None).registry.settings.resolver
    except RegistryError as exc:
        _fail(str(exc))


@main.group()
def probe() -> None:
    """Probes of a site: homepage availability (AVAIL-1) and IPv6 support (IPV6-1 … IPV6-6)."""


@probe.command("availability")
@click.argument("site_id", metavar="SITE")
@click.option("--repeat", type=click.IntRange(min=1), default=1, show_default=True, help="How many probes.")
@click.option("--interval", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds between probes.")
@click.option("--json", "as_json", is_flag=True, help="Print the probes and the AVAIL-1 verdict as JSON.")
@common
def probe_availability_command(ctx: Context, site_id: str, repeat: int, interval: float, as_json: bool) -> None:
    """Load SITE's homepage completely, store each probe, and give the AVAIL-1 verdict over the window."""
    from time import sleep

    from govmon.checks.availability import availability_as_of
    from govmon.tasks import probe_availability

    site = ctx.registry.site(site_id)
    pack = ctx.pack_for(site)
    probes = []
    if not as_json:
        click.echo(f"homepage probes of {site.home} (China time):")
    for number in range(repeat):
        if number:
            sleep(interval)
        probes.append(probe_availability(ctx.store, site, pack, ctx.registry.settings.resolver))
        if not as_json:
            p = probes[-1]
            click.echo(f"{_when(p.at)} {'ok  ' if p.ok else 'FAIL'} status={p.status} "
                       f"first_byte={p.first_byte_ms}ms load={p.load_ms}ms {p.error_kind or ''}".rstrip())
    evaluation = availability_as_of(ctx.store, site.id, pack, clock.now())
    if as_json:
        fields = ("at", "ok", "status", "error_kind", "error_detail", "dns_ms", "connect_ms", "first_byte_ms",
                  "load_ms", "size")
        from govmon.reports.document import document_json

        click.echo(document_json({"site": site.id, "url": site.home, "probes": [
            {key: (getattr(p, key).isoformat() if key == "at" else getattr(p, key)) for key in fields} for p in probes
        ], "availability": evaluation}, "probe-availability"), nl=False)
    else:
        click.echo(f"AVAIL-1 over {evaluation['thresholds']['window_days']:g} days: {evaluation['verdict']} "
                   f"({evaluation['probes']} probes, {evaluation['failures']} failed)")


@probe.command("ipv6")
@click.argument("site_id", metavar="SITE", required=False)
@click.option("--url", help="Probe this URL instead of a registry site.")
@click.option("--resolver", metavar="HOST:PORT", help="DNS server to ask (default: the registry's, else the system's).")
@click.option("--pack", "pack_option", help="Rule pack name or file (default: the site's, else national).")
@click.option("--json", "as_json", is_flag=True, help="Print the measurements and findings as JSON.")
@click.option("--config", "config_option", metavar="FILE", help="Registry file (env GOVMON_CONFIG; ./govmon.toml).")
@click.option("--db", "db_option", metavar="URL", help="SQLAlchemy database URL (env GOVMON_DB).")
def probe_ipv6_command(site_id: str | None, url: str | None, resolver: str | None, pack_option: str | None,
                       as_json: bool, config_option: str | None, db_option: str | None) -> None:
    """Check that SITE (or --url) really serves IPv6: DNS, homepage over both stacks, deeper pages."""
    from govmon.tasks import probe_ipv6

    if bool(site_id) == bool(url):
        raise click.UsageError("give either SITE or --url")
    ctx = Context(config_option, db_option)
    try:
        if site_id:
            site = ctx.registry.site(site_id)
            target, key, pack = site.home, site.id, ctx.pack_for(site, pack_option)
            concurrency, resolver = site.crawl.concurrency, resolver or ctx.registry.settings.resolver
            profile = (site.type, site.level)
            db_url = ctx.db_url
        else:
            target, key, pack, concurrency = url, f"url:{urlsplit(url).hostname}", load_pack(pack_option or "national"), 4
            profile = (None, None)
            given = _registry_given(config_option)
            resolver = resolver or (ctx.registry.settings.resolver if given else None)
            db_url = ctx.db_url if given else config.database_url(db_option, None, config.data_dir())
        store = open_store(db_url)
        probe_row, findings = probe_ipv6(store, key, target, pack, resolver, concurrency, profile=profile)
    except (RegistryError, PackError, LookupError) as exc:
        _fail(str(exc))
    result = {"probe": probe_row.id, "site": key, "status": probe_row.status, "measurements": probe_row.measurements,
              "findings": [{"rule": f.rule, "target": f.target, "detail": f.evidence.get("detail"),
                            "evidence": f.evidence, "places": f.places, "places_total": f.places_total}
                           for f in findings]}
    if as_json:
        from govmon.reports.document import document_json

        click.echo(document_json(result, "probe-ipv6"), nl=False)
        return
    m = probe_row.measurements
    click.echo(f"IPv6 probe {probe_row.id} of {target}: {probe_row.status}")
    if not m["host_exists"]:
        click.echo(f"  {m['host']} does not exist on the DNS server asked ({resolver or 'the system’s'}): "
                   "nothing judged")
    click.echo(f"  A {', '.join(m['dns']['a']['values']) or m['dns']['a']['error']}   "
               f"AAAA {', '.join(m['dns']['aaaa']['values']) or m['dns']['aaaa']['error']}")
    for family in ("ipv4", "ipv6"):
        home = m["homepage"][family]
        if home["attempts"]:
            click.echo(f"  homepage over {family}: {home['successes']}/{home['attempts']} loaded")
    if m["pages"]:
        click.echo(f"  second/third-level pages over IPv6: {m['pages']['ok']}/{m['pages']['total']}")
    for finding in findings:
        click.echo(f"  {finding.rule}: {finding.evidence.get('detail')}")
    if not findings:
        click.echo("  no findings")


@main.group()
def sites() -> None:
    """The site registry."""


@sites.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def sites_check(file: Path) -> None:
    """Validate a registry FILE and the rule packs and working-day file it names, without crawling."""
    try:
        registry = load_registry(file)
        for pack in dict.fromkeys(site.pack or registry.settings.pack for site in registry.sites):
            load_pack(pack)
        calendar_for(registry.settings.workdays, registry.path.parent)
    except (RegistryError, PackError, WorkdayError) as exc:
        _fail(str(exc))
    click.echo(f"{file}: {len(registry.sites)} site(s) OK")
    for site in registry.sites:
        click.echo(f"  {site.id}  {site.site_code}  {site.name}  {site.home}")


@main.group()
def rules() -> None:
    """The rule catalogue."""


@rules.command("list")
@click.option("--pack", default="national", show_default=True, help="Rule pack name or file.")
@click.option("--why", is_flag=True, help="Also print why each rule exists and its suggested fix.")
def rules_list(pack: str, why: bool) -> None:
    """Every rule govmon checks: ID, class, threshold, source, and whether the value is confirmed."""
    from govmon.checks.catalogue import RULES

    try:
        loaded = load_pack(pack)
    except PackError as exc:
        _fail(str(exc))
    click.echo(f"pack: {loaded.id} — {loaded.name}" + (f" (extends {loaded.extends})" if loaded.extends else ""))
    for rule in RULES.values():
        settings = loaded.rule(rule.id)
        keys = (*rule.settings, *(("veto_at",) if rule.cls == "veto" and "veto_at" not in rule.settings else ()))
        threshold = "".join(f"{name}={getattr(settings, name)}; " for name in keys)
        scope = settings.applies_to
        applies = f"; only {'/'.join(scope.types + scope.levels)}" if scope.types or scope.levels else ""
        click.echo(f"{rule.id:<8} {rule.cls:<7} {rule.title}  [{threshold}{_STATUS_WORDS[settings.status]}{applies}]")
        click.echo(f"{'':<17}{rule.summary}")
        click.echo(f"{'':<17}source: {rule.source}")
        if settings.threshold_source:
            click.echo(f"{'':<17}threshold source: {settings.threshold_source}")
        if why:
            click.echo(f"{'':<17}why: {rule.why}")
            click.echo(f"{'':<17}fix: {rule.fix}")
    click.echo("column classes (COL-1, COL-2), first match wins:")
    for key, cls in loaded.columns.classes.items():
        age = (f"{cls.max_age_days} days" if cls.max_age_days else f"{cls.max_age_months} months"
               if cls.max_age_months else "no age limit")
        click.echo(f"  {key:<12} {cls.label}  [{age}; {_STATUS_WORDS[cls.status]}]  {'、'.join(cls.synonyms)}"
                   + (f"  (not: {'、'.join(cls.exclude)})" if cls.exclude else ""))
    click.echo("required columns (COL-4):")
    for required in loaded.columns.required:
        scope = required.applies_to
        who = "/".join(scope.types + scope.levels) or "all sites"
        click.echo(f"  {required.name}  [{who}]  source: {required.source}")


@rules.command("show")
@click.argument("rule_id", metavar="ID")
def rules_show(rule_id: str) -> None:
    """One rule's documentation, its settings in each shipped pack, and what a finding of it reads like."""
    from govmon.checks.catalogue import RULES, settings_text
    from govmon.checks.pack import shipped_packs
    from govmon.registry import did_you_mean

    known = rule_id.strip().upper()
    if known not in RULES:
        _fail(f"unknown rule {rule_id!r}{did_you_mean(known, tuple(RULES))}")
    rule = RULES[known]
    click.echo(f"{rule.id}  {rule.title}  ({rule.cls})")
    for label, text in (("summary", rule.summary), ("why", rule.why), ("source", rule.source), ("fix", rule.fix)):
        click.echo(f"  {label}: {text}")
    click.echo("settings:")
    for name in shipped_packs():
        try:
            loaded = load_pack(name)
        except PackError as exc:
            _fail(str(exc))
        click.echo(f"  {name}: {settings_text(rule, loaded)}")
    click.echo(f"example: {rule.example or '(none yet)'}")


@rules.command("docs")
def rules_docs() -> None:
    """Print docs/rules.md, generated from the catalogue: `govmon rules docs > docs/rules.md`."""
    from govmon.checks.catalogue import rules_document

    click.echo(rules_document(), nl=False)


_STATUS_WORDS = {"confirmed": "confirmed", "seed": "from a seed document", "partial": "partly confirmed",
                 "default": "default, unconfirmed"}


@main.group()
def media() -> None:
    """Government new-media accounts (政务新媒体), watched through their mirrors."""


@media.command("check")
@click.argument("site_id", metavar="[SITE]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print each account's verdict, mirrors and findings as JSON.")
@common
def media_check(ctx: Context, site_id: str | None, as_json: bool) -> None:
    """Check the registry's accounts (of SITE, or all): active, dormant (MEDIA-1), closed (MEDIA-2), or unknown
    when no mirror could be read; MEDIA-3 from the registry."""
    from govmon.tasks import check_accounts

    registry = ctx.registry
    if site_id:
        registry.site(site_id)
    accounts = list(registry.accounts_of(site_id))
    if not accounts:
        _fail(f"{registry.path}: no [[account]] entries" + (f" for site {site_id!r}" if site_id else ""))
    sites = {site.id: site for site in registry.sites}
    results = []
    for owner in dict.fromkeys(account.site for account in accounts):  # each site's accounts under its own pack
        mine = [account for account in accounts if account.site == owner]
        results += check_accounts(ctx.store, mine, sites, ctx.pack_for(sites[owner]), registry.settings.resolver)
    if as_json:
        click.echo(json.dumps([{
            "account": check.account_id, "site": check.site_id, "verdict": check.verdict, "reason": check.reason,
            "latest": check.latest_at, "latest_title": check.latest_title, "mirrors": check.mirrors,
            "findings": [{"rule": f.rule, "target": f.target, "detail": f.evidence.get("detail")} for f in found],
        } for check, found in results], ensure_ascii=False, indent=2))
        return
    for check, found in results:
        latest = f"newest post {check.latest_at} {check.latest_title or ''}".rstrip() if check.latest_at else ""
        click.echo(f"{check.account_id:<16} {check.verdict:<8} {latest or check.reason or ''}")
        for finding in found:
            click.echo(f"  {finding.rule}: {finding.evidence.get('detail')}")


@main.group()
def workdays() -> None:
    """Chinese working days as every check counts them (holidays off, 调休 make-up days on).

    ADD: the N-th working day after DATE (before it when N is negative). BETWEEN: the working days after A up
    to and including B. IS: whether DATE is a working day, and why. The calendar is chinese-calendar plus the
    registry's `workdays` override file; a later year with neither is computed from the statutory holidays,
    and an answer resting on it is marked 暂定. Each answer names its sources on a second line.
    """


def _workday_command(func):
    """--config for the registry's calendar settings; a missing registry means chinese-calendar alone."""

    @click.option("--config", "config_option", metavar="FILE", help="Registry file (env GOVMON_CONFIG; ./govmon.toml).")
    @functools.wraps(func)
    def wrapper(config_option, **kwargs):
        try:
            path = config.config_path(config_option)
            calendar = Context(config_option, None).calendar if config_option or path.exists() else WorkCalendar()
            func(calendar, **kwargs)
        except (RegistryError, WorkdayError) as exc:
            _fail(str(exc))

    return wrapper


@workdays.command("add", context_settings={"ignore_unknown_options": True})
@click.argument("day", metavar="DATE", type=click.DateTime(["%Y-%m-%d"]))
@click.argument("count", metavar="N", type=int)
@_workday_command
def workdays_add(calendar: WorkCalendar, day: datetime, count: int) -> None:
    result = calendar.add(day.date(), count)
    click.echo(f"{result.isoformat()}" + _basis(calendar, day.date(), result))


@workdays.command("between")
@click.argument("start", metavar="A", type=click.DateTime(["%Y-%m-%d"]))
@click.argument("end", metavar="B", type=click.DateTime(["%Y-%m-%d"]))
@_workday_command
def workdays_between(calendar: WorkCalendar, start: datetime, end: datetime) -> None:
    click.echo(f"{calendar.between(start.date(), end.date())}" + _basis(calendar, start.date(), end.date()))


@workdays.command("is")
@click.argument("day", metavar="DATE", type=click.DateTime(["%Y-%m-%d"]))
@_workday_command
def workdays_is(calendar: WorkCalendar, day: datetime) -> None:
    working = calendar.is_workday(day.date())
    click.echo(f"{day.date().isoformat()}: {'working day' if working else 'day off'} — {calendar.why(day.date())}"
               + _basis(calendar, day.date()))


def _basis(calendar: WorkCalendar, *days) -> str:
    """The answer's provisional mark (暂定, and why) if it has one, and a line naming who answered for its days."""
    note = calendar.provisional(*days)
    return (f"  ({note})" if note else "") + f"\n  source: {'; '.join(calendar.sources(*days))}"


@main.command()
@common
def serve(ctx: Context) -> None:
    """Monitor every site of the registry until SIGTERM: availability probes through the day, a crawl and check
    of each site, IPv6 probes, new-media checks, and the daily, weekly, monthly and quarterly reports."""
    import logging

    from govmon.crawler.run import ChinaTimeFormatter
    from govmon.schedules.service import serve as run_service

    handler = logging.StreamHandler()
    handler.setFormatter(ChinaTimeFormatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    registry, store = ctx.registry, ctx.store
    click.echo(f"govmon serve: {len(registry.sites)} site(s) from {registry.path}; database{ctx.shown_db_url()}",
               err=True)
    run_service(store, registry, str(registry.path.resolve()), ctx.db_url, ready=_print_jobs)
    click.echo("govmon serve: stopped", err=True)


def _print_jobs(scheduler, sync) -> None:
    click.echo(f"govmon serve: jobs {len(sync.kept)} kept, {len(sync.added)} added, {len(sync.replaced)} replaced, "
               f"{len(sync.removed)} removed; running; next runs in China time:", err=True)
    for job in sorted(scheduler.get_jobs(), key=lambda j: (j.next_run_time, j.id)):
        click.echo(f"  {_when(job.next_run_time)}  {job.id}", err=True)


@main.group()
def schedule() -> None:
    """The jobs of `govmon serve`."""


@schedule.command("list")
@common
def schedule_list(ctx: Context) -> None:
    """The jobs and their next run times, as the service has stored them (or will, on its next start)."""
    from govmon.schedules.plan import plan
    from govmon.schedules.service import scheduler_for, stored_as_planned

    registry, store = ctx.registry, ctx.store
    scheduler = scheduler_for(store, registry)
    scheduler.start(paused=True)
    try:
        stored = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    now, planned = clock.now(), plan(registry, str(registry.path.resolve()), ctx.db_url)
    rows = []
    for job in planned:
        if stored_as_planned(stored.get(job.id), job):
            rows.append((stored[job.id].next_run_time, job.id, str(job.trigger)))
        else:
            rows.append((job.trigger.get_next_fire_time(None, now), job.id,
                         f"{job.trigger}  (not stored yet: on the service's next start)"))
    rows += [(stored[job_id].next_run_time, job_id, "(no longer planned: removed on the service's next start)")
             for job_id in set(stored) - {job.id for job in planned}]
    click.echo(f"{'next run (China time)':<21}  {'job':<28} when")
    for when, job_id, trigger in sorted(rows, key=lambda row: (row[0] is None, row[0] or now, row[1])):
        click.echo(f"{_when(when)}  {job_id:<28} {trigger}")


@schedule.command("plan")
@common
def schedule_plan(ctx: Context) -> None:
    """Each day's crawls as the service plans them from politeness: crawls at once, each site's start, expected
    finish and duration (China time), and the sites that cannot finish within the crawl window, with why."""
    from govmon.schedules.plan import clock_time, daily_crawls

    registry = ctx.registry
    crawls = daily_crawls(registry)
    schedule = registry.schedule
    start, end = schedule.crawl_window
    click.echo(f"crawls at once: {crawls.crawls_at_once} (at most {crawls.limit}: {crawls.limited_by}); "
               f"window {start}–{end} China time; a page every max(delay, {schedule.request_seconds:g} s / concurrency)")
    click.echo(f"{'site':<20} {'slot':>4}  {'start':>11}  {'finish':>11}  {'duration':>8}  {'pages':>7}  s/page")
    for site in sorted(crawls.sites, key=lambda s: (s.start, s.site_id)):
        note = "  (stops at its duration limit, partial)" if site.capped else ""
        click.echo(f"{site.site_id:<20} {site.slot + 1:>4}  {_day_time(site.start):>11}  {_day_time(site.finish):>11}  "
                   f"{clock_time(site.duration):>8}  {site.pages:>7}  {site.seconds_per_page:g}{note}")
    if crawls.unfit:
        click.echo(f"cannot finish within the window ({len(crawls.unfit)} of {len(crawls.sites)}; they run late):")
        for site in crawls.unfit:
            click.echo(f"  {site.site_id}: {site.unfit}")
    else:
        click.echo(f"every site finishes within the window ({len(crawls.sites)})")


def _day_time(second_of_day: int) -> str:
    """A time of day, HH:MM:SS; a later day's with +N."""
    days, second = divmod(second_of_day, 86400)
    shown = f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
    return shown + (f" +{days}" if days else "")


def _when(moment: datetime | None) -> str:
    return moment.astimezone(config.CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S") if moment else "paused             "


@main.group()
def intake() -> None:
    """我为政府网站找错: citizens' error reports, imported or posted, cross-checked against the sites."""


@intake.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the counts and each bad row as JSON.")
@common
def intake_import(ctx: Context, file: Path, as_json: bool) -> None:
    """Import the platform's export FILE (.csv, .xlsx or .json; columns in docs/citizen-reports.md). Bad rows are
    listed with their row number and reason, the rest is imported; importing a file again adds no duplicates."""
    from govmon.intake.receive import import_reports

    result = import_reports(ctx.store, ctx.registry, file)
    problems = [{"row": p.row, "reason": p.reason} for p in result.problems]
    by_reason = [{"reason": c.reason, "rows": c.rows, "first_rows": list(c.first_rows)} for c in result.by_reason]
    if as_json:
        click.echo(json.dumps({"file": str(file), "added": result.added, "updated": result.updated,
                               "unchanged": result.unchanged, "bad_rows": result.bad_rows, "problems": problems,
                               "by_reason": by_reason}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{file}: {result.added} added, {result.updated} updated, {result.unchanged} unchanged, "
               f"{result.bad_rows} bad row(s)")
    for problem in problems:
        click.echo(f"  row {problem['row']}: {problem['reason']}")
    if result.bad_rows > len(problems):
        click.echo(f"  … {result.bad_rows - len(problems)} more bad row(s); all of them by reason:")
        for count in by_reason:
            more = " …" if count["rows"] > len(count["first_rows"]) else ""
            click.echo(f"  {count['rows']} × {count['reason']} (rows {', '.join(map(str, count['first_rows']))}{more})")


@intake.command("serve")
@click.option("--host", help="Address to listen on (default: the registry's [intake] host, 127.0.0.1).")
@click.option("--port", type=int, help="Port (default: the registry's [intake] port, 8765).")
@common
def intake_serve(ctx: Context, host: str | None, port: int | None) -> None:
    """Accept reports over HTTP (POST /reports with the token; OpenAPI schema at /openapi.json) until Ctrl-C."""
    from govmon.intake.api import serve_intake

    settings = ctx.registry.intake
    serve_intake(ctx.store, ctx.registry, host or settings.host, port or settings.port)


@intake.command("verify")
@click.argument("site_id", metavar="[SITE]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print each report's verdict, evidence and deadlines as JSON.")
@click.option("--budget", type=click.FloatRange(min=0), metavar="SECONDS",
              help="Time for the whole verification (default: the registry's [intake] verify_budget); reports "
                   "not reached are left not verified.")
@common
def intake_verify(ctx: Context, site_id: str | None, as_json: bool, budget: float | None) -> None:
    """Cross-check each open report (of SITE, or all) against the live site and the latest snapshot: confirmed,
    not reproduced, or needs a person, with the evidence, the monitor's own finding, and the ZC-1 deadlines."""
    from govmon.intake.verify import verify_reports

    if site_id:
        ctx.registry.site(site_id)
    budget = ctx.registry.intake.verify_budget if budget is None else budget
    results = verify_reports(ctx.store, ctx.registry, ctx.calendar, site_id=site_id, budget=budget)
    if as_json:
        click.echo(json.dumps([result.as_dict() for result in results], ensure_ascii=False, indent=2))
        return
    for result in results:
        click.echo(result.summary_line())
    unverified = sum(result.check is None for result in results)
    if unverified:
        click.echo(f"{unverified} of {len(results)} report(s) not verified: the {budget:g} s budget ran out")


@main.command()
@click.option("--serve", "serve_only", is_flag=True, help="Only serve the demo portal until Ctrl-C.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the portal, its database and reports (default: <data dir>/demo).")
@click.option("--db", "db_option", metavar="URL", help="Database URL (default: a fresh SQLite file in the folder).")
@click.option("--config", "config_option", metavar="FILE", hidden=True)
def demo(serve_only: bool, out_dir: Path | None, db_option: str | None, config_option: str | None) -> None:
    """Serve the bundled demo portal, crawl it, check it and write its reports."""
    from govmon.demo.run import run_demo

    sys.exit(run_demo(out_dir or config.data_dir() / "demo", db_option, serve_only))


if __name__ == "__main__":
    main()
