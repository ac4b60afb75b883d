"""A period's reports: each site's rectification list, the supervisor report (HTML, JSON, XLSX), its digest, the
quarterly 通报, and an index for machines, all in one dated folder. `govmon serve` writes them after the period
ends, `govmon report --supervisor` on demand (up to a day of the period); both through write_period_reports.

    <out_root>/<period>/<label>/            e.g. reports/weekly/2026-W41/
        index.json                          what was written, and each site's verdict (docs/supervisor-json.md)
        supervisor.html, supervisor.json    the supervisor report
        supervisor.xlsx                     the same for the supervisor's own sorting: sites, open findings
        digest.txt, digest.html             the one-minute digest
        通报.html                           quarterly only
        sites/<site>-整改清单-<last day>.{html,xlsx,json}   linked from the supervisor report's rows

Each site is judged on its latest crawl that started before the period's end, as of the end of the period's
last day in China; its verdict is stored (SiteVerdict) so later reports can draw the trends. Rerunning a
period overwrites its files and replaces its stored verdicts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select

from govmon.checks.pack import Pack, load_pack
from govmon.config import CHINA_TZ
from govmon.registry import Registry
from govmon.reports.assemble import rectification_doc
from govmon.reports.citizen import citizen_section
from govmon.reports.document import document_json
from govmon.reports.periods import period_moments
from govmon.reports.rectification import write_rectification_list
from govmon.reports.supervisor import (
    UNCRAWLED,
    site_summary,
    supervisor_doc,
    verdict_counts,
    write_bulletin_html,
    write_digest_html,
    write_digest_text,
    write_supervisor_html,
    write_supervisor_json,
)
from govmon.reports.supervisor_xlsx import write_supervisor_xlsx
from govmon.store import Finding, SiteVerdict, Store, utcnow
from govmon.store.queries import latest_run
from govmon.workdays import WorkCalendar

INDEX_SCHEMA = "govmon.period-reports/1"
FORMATS = ("html", "xlsx", "json")
HISTORY_DAYS = 90  # daily verdicts behind the trend charts (a whole quarter when the period is longer)
_LEVELS = ("省", "市", "县", "乡")


@dataclass(frozen=True)
class PeriodReports:
    """What one period's run wrote: the email step sends each site's XLSX from site_files."""

    folder: Path
    index: Path
    supervisor_files: dict[str, Path]  # kind (as in index.json: supervisor_html, …, bulletin_html) → path
    site_docs: dict[str, dict]  # site id → its rectification list document; sites without a crawl are absent
    site_files: dict[str, dict[str, Path]]  # site id → {format: path}


def write_period_reports(store: Store, registry: Registry, period: str, bounds: tuple[str, date, date],
                         out_root: Path, *, calendar: WorkCalendar,
                         availability: Mapping[str, tuple[dict, list[Finding]]], moment: datetime | None = None,
                         packs: dict[str, Pack] | None = None, formats: Sequence[str] = FORMATS) -> PeriodReports:
    """Write the reports of one period for every registry site. ``bounds``: (label, first_day, last_day), from
    period_bounds (the period that ended, as serve reports it) or period_through (on demand, up to a day);
    ``availability``: each crawled site's AVAIL-1 at the period's end (checks.latest.availability_at), by site id;
    ``moment``: when the reports are made (stamped on the stored verdicts; default now); ``packs``: rule packs
    already loaded, by name; ``formats``: those of the supervisor report and of each site's list it links to (the
    digest and the 通报 are written whatever they are). The callers check each site's latest run first
    (checks.latest.check_latest_runs): reports read findings, never run checks."""
    label, first_day, last_day = bounds
    start, end = (m.astimezone(UTC) for m in period_moments(first_day, last_day))
    computed_at = (moment or utcnow()).astimezone(UTC)  # the store keeps UTC (SQLite drops the zone)
    folder = Path(out_root) / period / label
    packs = dict(packs or {})

    def pack_named(name: str) -> Pack:
        if name not in packs:
            packs[name] = load_pack(name)
        return packs[name]

    site_docs: dict[str, dict] = {}
    site_files: dict[str, dict[str, Path]] = {}
    inputs, verdicts = [], []
    for site in registry.sites:
        with store.session() as session:
            run = latest_run(session, site.id, end)
        if run is None:
            inputs.append({"site": {"id": site.id, "name": site.name, "sponsor": site.sponsor, "home_url": site.home,
                                    "admin": {"name": site.admin.name, "email": site.admin.email}}})
            continue
        pack = pack_named(site.pack or registry.settings.pack)
        doc = rectification_doc(store, site, run.id, pack, last_day, end, calendar=calendar, since=start,
                                accounts=registry.accounts_of(site.id), availability=availability[site.id])
        site_docs[site.id] = doc
        site_files[site.id] = write_rectification_list(doc, folder / "sites", formats)
        inputs.append(doc)
        summary = site_summary(doc, first_day, last_day)
        verdicts.append(SiteVerdict(site_id=site.id, period=period, day=last_day, computed_at=computed_at,
                                    run_id=run.id, result=summary["result"], provisional=summary["provisional"],
                                    score=summary["score"], vetoes=[v["rule"] for v in summary["vetoes"]],
                                    counts=verdict_counts(summary)))
    _store_verdicts(store, registry, period, last_day, verdicts)
    history = _daily_history(store, min(first_day, last_day - timedelta(days=HISTORY_DAYS - 1)), last_day)
    citizen = citizen_section(store, registry, calendar, lambda site: pack_named(site.pack or registry.settings.pack),
                              start, end)
    links = {site_id: {fmt: path.relative_to(folder).as_posix() for fmt, path in paths.items()}
             for site_id, paths in site_files.items()}
    doc = supervisor_doc(period, label, first_day, last_day, inputs, history, citizen, site_files=links,
                         generated_at=computed_at)

    writers = {"html": lambda path: write_supervisor_html(doc, path),
               "json": lambda path: write_supervisor_json(doc, path),
               "xlsx": lambda path: write_supervisor_xlsx(doc, site_docs, path)}
    supervisor_files = {f"supervisor_{fmt}": write(folder / f"supervisor.{fmt}") for fmt, write in writers.items()
                        if fmt in formats}
    supervisor_files.update(digest_text=write_digest_text(doc, folder / "digest.txt"),
                            digest_html=write_digest_html(doc, folder / "digest.html"))
    if period == "quarterly":
        days = pack_named(registry.settings.pack).rectification.working_days
        supervisor_files["bulletin_html"] = write_bulletin_html(doc, folder / "通报.html", issuer=issuer(registry),
                                                                rectification_days=days)
    written = [(path, kind, None) for kind, path in supervisor_files.items()]
    written += [(path, f"rectification_{fmt}", site_id) for site_id, paths in site_files.items()
                for fmt, path in paths.items()]
    index = _write_index(folder, doc, computed_at, written)
    return PeriodReports(folder, index, supervisor_files, site_docs, site_files)


def issuer(registry: Registry) -> str:
    """The region the supervisor answers for, named by its highest-level portal ('滇中市人民政府' → '滇中市');
    empty when the registry has no portal."""
    portals = sorted((s for s in registry.sites if s.type == "portal" and s.level),
                     key=lambda s: _LEVELS.index(s.level))
    return portals[0].name.removesuffix("人民政府") if portals else ""


def _store_verdicts(store: Store, registry: Registry, period: str, day: date, verdicts: list[SiteVerdict]) -> None:
    """The period's verdicts, replacing any a previous run of the same period stored."""
    with store.session.begin() as session:
        session.execute(delete(SiteVerdict).where(SiteVerdict.period == period, SiteVerdict.day == day,
                                                  SiteVerdict.site_id.in_([s.id for s in registry.sites])))
        session.add_all(verdicts)


def _daily_history(store: Store, first_day: date, last_day: date) -> list[dict]:
    with store.session() as session:
        rows = session.scalars(select(SiteVerdict).where(
            SiteVerdict.period == "daily", SiteVerdict.day >= first_day, SiteVerdict.day <= last_day)
            .order_by(SiteVerdict.day, SiteVerdict.site_id))
        return [{"day": r.day, "site_id": r.site_id, "result": r.result, "provisional": r.provisional,
                 "score": r.score, "vetoes": r.vetoes, "counts": r.counts} for r in rows]


def _write_index(folder: Path, doc: dict, computed_at: datetime, written: list[tuple[Path, str, str | None]]) -> Path:
    index = {
        "schema": INDEX_SCHEMA,
        **{key: doc[key] for key in ("period", "label", "first_day", "last_day")},
        "generated_at": computed_at.astimezone(CHINA_TZ).isoformat(timespec="seconds"),
        "files": [{"path": path.relative_to(folder).as_posix(), "kind": kind, **({"site": site} if site else {})}
                  for path, kind, site in written],
        "sites": [{
            "id": s["id"], "name": s["name"], "result": s["result"], "provisional": s["provisional"],
            "score": s["score"], "vetoes": [v["rule"] for v in s["vetoes"]],
            **{key: None if s["result"] == UNCRAWLED else s[key] for key in ("open", "new", "fixed", "overdue")},
            "files": s["files"],
        } for s in doc["sites"]],
    }
    path = folder / "index.json"
    path.write_text(document_json(index, "period-reports"), encoding="utf-8")
    return path
