"""The JSON documents govmon writes, as pydantic models: the rectification list, the period reports' index and
supervisor report, and the probe commands' output.

The writers keep building plain dicts, whose key order is the files' order; reports.document checks those dicts
against the models as the JSON they become, so a document that drifts from its documentation fails naming the
key instead of reaching a reader. The JSON Schemas in docs/schemas/ are generated from them
(``python -m govmon.reports.models``) and a test fails when a committed one is stale. The meaning of each key is
in docs/report-json.md, docs/supervisor-json.md and docs/probe-json.md.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMAS_DIR = Path(__file__).resolve().parents[1] / "docs" / "schemas"  # in a checkout


def _iso_date(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("iso_date", "expected an ISO date (YYYY-MM-DD)") from None
    return value


def _iso_time(value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("iso_time", "expected an ISO time") from None
    return value


Day = Annotated[str, AfterValidator(_iso_date), Field(json_schema_extra={"format": "date"})]
Timestamp = Annotated[str, AfterValidator(_iso_time), Field(json_schema_extra={"format": "date-time"})]

RuleClass = Literal["veto", "deduct", "advice"]
FindingState = Literal["new", "open", "reopened"]
RunStatus = Literal["complete", "partial", "failed"]
ThresholdStatus = Literal["confirmed", "seed", "default", "partial"]
MediaVerdict = Literal["active", "dormant", "closed", "unknown"]
Period = Literal["daily", "weekly", "monthly", "quarterly"]
SiteResult = Literal["合格", "不合格", "无采集"]
Ipv6Status = Literal["complete", "incomplete"]
AvailabilityVerdict = Literal["pass", "fail", "insufficient_data"]


class _Object(BaseModel):
    """An object of a document: every key it may hold is declared, with its JSON type (no coercion)."""

    model_config = ConfigDict(extra="forbid", strict=True)


# ----- probe measurements, shared by the probe output and the rectification list's probes


class Interval(_Object):
    start: Timestamp = Field(alias="from")
    end: Timestamp = Field(alias="to")


class AvailabilityDay(Interval):
    probes: int
    failures: int


class AvailabilityThresholds(_Object):
    window_days: float
    min_probes_per_day: float
    load_timeout: float
    max_failure_ratio: float


class AvailabilityEvaluation(_Object):
    """The AVAIL-1 evaluation over a site's stored homepage probes."""

    rule: Literal["AVAIL-1"]
    verdict: AvailabilityVerdict
    window: Interval
    probes: int
    failures: int
    failure_ratio: float | None
    days: list[AvailabilityDay]
    thresholds: AvailabilityThresholds


class AvailabilityProbe(_Object):
    at: Timestamp
    ok: bool
    status: int | None
    error_kind: str | None
    error_detail: str | None
    dns_ms: float | None
    connect_ms: float | None
    first_byte_ms: float | None
    load_ms: float | None
    size: int | None


class AvailabilityProbeOutput(_Object):
    """What ``govmon probe availability --json`` prints."""

    site: str
    url: str
    probes: list[AvailabilityProbe]
    availability: AvailabilityEvaluation


class DnsLookup(_Object):
    name: str
    rtype: str
    values: list[str]
    elapsed_ms: float | None
    error: Literal["nxdomain", "no_answer", "timeout", "servfail", "no_nameservers", "other"] | None


class SiteDns(_Object):
    host: str
    a: DnsLookup
    aaaa: DnsLookup
    zone: str | None
    ns: DnsLookup | None
    ns_aaaa: dict[str, DnsLookup]
    ns_a: dict[str, DnsLookup]


class Fetch(_Object):
    status: int | None
    ok: bool
    error_kind: str | None
    error_detail: str | None
    connect_ms: float | None
    first_byte_ms: float | None
    load_ms: float | None


class FailingPage(Fetch):
    url: str


class HomepageLoads(_Object):
    address: str | None
    attempts: int
    successes: int
    ratio: float | None
    fetches: list[Fetch]


class Stacks(_Object):
    ipv4: HomepageLoads
    ipv6: HomepageLoads


class Comparison(_Object):
    status_v4: int | None
    status_v6: int | None
    title_v4: str | None
    title_v6: str | None
    similarity: float


class Ipv6Pages(_Object):
    source: Literal["snapshot", "sample"]
    run_id: int | None = None
    total: int
    ok: int
    ratio: float | None
    failing: list[FailingPage]


class StackTimings(_Object):
    dns_ms: float | None
    connect_ms: float | None
    first_byte_ms: float | None
    load_ms: float | None


class Timings(_Object):
    ipv4: StackTimings
    ipv6: StackTimings


class Ipv6Measurements(_Object):
    url: str
    host: str
    resolver: str | None
    complete: bool
    host_exists: bool
    local_ipv6_route: bool | None
    dns: SiteDns
    homepage: Stacks
    comparison: Comparison | None
    pages: Ipv6Pages | None
    timings: Timings
    claim: str | None


class Evidence(_Object):
    """Free-form facts of a finding: three keys always present, rule-specific ones beside them."""

    model_config = ConfigDict(extra="allow")

    reason: str
    status: int | None
    detail: str | None


class Place(_Object):
    """Where a finding's target appears."""

    page: str
    tag: str
    attr: str
    text: str
    title: str | None = None


class ProbeFinding(_Object):
    rule: str
    target: str
    detail: str | None
    evidence: Evidence
    places: list[Place]
    places_total: int


class Ipv6ProbeOutput(_Object):
    """What ``govmon probe ipv6 --json`` prints."""

    probe: int
    site: str
    status: Ipv6Status
    measurements: Ipv6Measurements
    findings: list[ProbeFinding]


# ----- the rectification list (govmon.rectification-list/2)


class Admin(_Object):
    name: str
    email: str


class ListSite(_Object):
    id: str
    name: str
    site_code: str | None
    home_url: str
    sponsor: str | None
    admin: Admin | None


class ListRun(_Object):
    id: int
    started_at: Timestamp | None
    finished_at: Timestamp | None
    status: RunStatus
    reason: str | None
    pages: int
    links: int
    errors: int


class ListPack(_Object):
    id: str
    name: str


class ClassCounts(_Object):
    veto: int
    deduct: int
    advice: int


class StateCounts(_Object):
    new: int
    open: int
    reopened: int
    overdue: int
    fixed: int


class RuleCount(_Object):
    rule: str
    title: str
    rule_class: RuleClass = Field(alias="class")
    count: int


class Summary(_Object):
    total: int
    by_class: ClassCounts
    by_rule: list[RuleCount]
    states: StateCounts


class Finding(_Object):
    id: int | None
    rule: str
    rule_class: RuleClass = Field(alias="class")
    title: str
    description: str
    target: str
    where: list[Place]
    where_total: int
    evidence: Evidence
    source: str
    threshold_status: ThresholdStatus
    fix: str
    first_seen: Timestamp
    last_seen: Timestamp
    state: FindingState
    reported: Timestamp
    deadline: Day | None
    deadline_note: str | None
    overdue: bool
    rechecked: bool = True  # lists written before list/2 gained it lack it


class FixedFinding(_Object):
    rule: str
    rule_class: RuleClass = Field(alias="class")
    title: str
    target: str
    location: str | None = None
    first_seen: Timestamp
    reported: Timestamp
    fixed_at: Timestamp
    deadline: Day | None
    deadline_note: str | None = None
    on_time: bool | None


class HomepageCounts(_Object):
    attempts: int
    successes: int
    ratio: float | None


class PageCounts(_Object):
    total: int
    ok: int
    ratio: float | None


class Ipv6Summary(_Object):
    """The latest IPv6 probe, as the rectification list summarises it."""

    id: int
    started_at: Timestamp | None
    status: Ipv6Status
    a: list[str]
    aaaa: list[str]
    homepage: dict[Literal["ipv4", "ipv6"], HomepageCounts]
    pages: PageCounts | None
    timings: Timings
    claim: str | None


class ListProbes(_Object):
    availability: AvailabilityEvaluation
    ipv6: Ipv6Summary | None


class ListMediaAccount(_Object):
    account: str
    name: str | None = None
    platform: str | None = None
    verdict: MediaVerdict
    reason: str | None
    latest: str | None
    latest_title: str | None
    checked_at: Timestamp | None


class VerdictRule(_Object):
    rule: str
    title: str
    rule_class: RuleClass = Field(alias="class")
    count: int
    points_each: float | None
    cap: float | None
    deducted: float
    veto_at: int | None
    vetoed: bool
    threshold_status: ThresholdStatus


class Verdict(_Object):
    """The 检查结论 of the run."""

    result: Literal["合格", "不合格"]
    score: float
    pass_score: float
    vetoes: list[str]
    deducted: float
    rules: list[VerdictRule]
    provisional: bool
    unjudged: dict[str, str]


class RectificationList(_Object):
    """A site's rectification list (整改清单): docs/report-json.md."""

    schema_: Literal["govmon.rectification-list/2"] = Field(alias="schema")
    generated_at: Timestamp
    as_of: Day
    since: Timestamp | None
    site: ListSite
    run: ListRun
    pack: ListPack
    probes: ListProbes | None = None
    media: list[ListMediaAccount] | None = None
    verdict: Verdict | None = None
    summary: Summary
    findings: list[Finding]
    fixed: list[FixedFinding]


# ----- the period reports (docs/supervisor-json.md)


class RuleRef(_Object):
    rule: str
    title: str


class SiteFiles(_Object):
    """A site's rectification list beside the report; empty for a site that was not crawled."""

    html: str | None = None
    xlsx: str | None = None
    json_: str | None = Field(default=None, alias="json")


class JudgedRun(_Object):
    id: int
    status: RunStatus
    started_at: Timestamp | None


class SiteMediaAccount(_Object):
    account: str
    verdict: MediaVerdict
    reason: str | None
    latest: str | None


class PreviousVerdict(_Object):
    day: Day
    result: SiteResult
    provisional: bool
    vetoes: list[str]


class SupervisorSite(_Object):
    id: str
    name: str
    sponsor: str | None
    home_url: str | None
    admin: Admin | None
    result: SiteResult
    provisional: bool
    unjudged: dict[str, str]
    score: float | None
    vetoes: list[RuleRef]
    run: JudgedRun | None
    pack: str | None
    by_rule: list[RuleCount]
    open: int
    new: int
    reopened: int
    fixed: int
    overdue: int
    media: list[SiteMediaAccount]
    files: SiteFiles
    previous: PreviousVerdict | None
    changed: bool
    new_vetoes: list[RuleRef]


class RuleAcrossSites(RuleCount):
    sites: int


class FamilyRule(_Object):
    rule: str
    title: str
    count: int


class RuleFamily(_Object):
    family: Literal["availability", "updates", "links", "interaction", "media", "timeliness", "identity", "ipv6"]
    label: str
    count: int
    site_count: int
    rules: list[FamilyRule]
    sites: list[str]


class MediaCounts(_Object):
    active: int
    dormant: int
    closed: int
    unknown: int


class Totals(_Object):
    sites: int
    judged: int
    uncrawled: int
    passed: int
    provisional: int
    failed: int
    pass_rate: float | None
    open: int
    new: int
    reopened: int
    fixed: int
    overdue: int
    rounds: int
    by_rule: list[RuleAcrossSites]
    by_family: list[RuleFamily]
    media: MediaCounts


class TrendPoint(_Object):
    day: Day
    value: float | None


class Trends(_Object):
    pass_rate: list[TrendPoint]
    open: list[TrendPoint]


class CitizenSite(_Object):
    id: str
    name: str
    received: int
    confirmed: int
    answered_on_time: int
    overdue: int
    found_first: int


class OverdueReport(_Object):
    number: str
    site: str
    category: str
    url: str | None
    reply_due: Day | None
    reply_due_note: str | None = None
    close_due: Day | None
    late: Literal["答复超期", "办结超期"]


class CitizenSection(_Object):
    """The 找错 section: 我为政府网站找错 reports of the period."""

    received: int
    confirmed: int
    not_reproduced: int
    needs_person: int
    unchecked: int
    answered_on_time: int
    answered_late: int
    overdue: int
    found_first: int
    sites: list[CitizenSite]
    overdue_reports: list[OverdueReport]


class SupervisorReport(_Object):
    """The supervisor report (检查情况通报) of one period: supervisor.json."""

    schema_: Literal["govmon.supervisor-report/1"] = Field(alias="schema")
    period: Period
    label: str
    first_day: Day
    last_day: Day
    generated_at: Timestamp
    totals: Totals
    sites: list[SupervisorSite]
    trends: Trends
    citizen: CitizenSection | None


class WrittenFile(_Object):
    path: str
    kind: Literal["supervisor_html", "supervisor_json", "supervisor_xlsx", "digest_text", "digest_html",
                  "bulletin_html", "rectification_html", "rectification_xlsx", "rectification_json"]
    site: str | None = None


class IndexSite(_Object):
    id: str
    name: str
    result: SiteResult
    provisional: bool
    score: float | None
    vetoes: list[str]
    open: int | None
    new: int | None
    fixed: int | None
    overdue: int | None
    files: SiteFiles


class PeriodReportsIndex(_Object):
    """What a period's folder holds and each site's verdict: index.json."""

    schema_: Literal["govmon.period-reports/1"] = Field(alias="schema")
    period: Period
    label: str
    first_day: Day
    last_day: Day
    generated_at: Timestamp
    files: list[WrittenFile]
    sites: list[IndexSite]


# The documents by the name of their schema file in docs/schemas/.
DOCUMENTS: dict[str, type[BaseModel]] = {
    "rectification-list": RectificationList,
    "supervisor-report": SupervisorReport,
    "period-reports": PeriodReportsIndex,
    "probe-availability": AvailabilityProbeOutput,
    "probe-ipv6": Ipv6ProbeOutput,
}


def schema_texts() -> dict[str, str]:
    """File name → the JSON Schema text of each document, as committed in docs/schemas/."""
    texts = {}
    for name, model in DOCUMENTS.items():
        schema = {"$schema": SCHEMA_DIALECT, **model.model_json_schema(by_alias=True)}
        texts[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return texts


def write_schemas(folder: Path = SCHEMAS_DIR) -> list[Path]:
    """Regenerate the committed schemas after a model changes."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in schema_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_schemas(Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMAS_DIR):
        print(written)
