"""Tables of the store: crawl runs (snapshots), their pages and links, and findings.

A run is one snapshot of one site. Everything fetched in the run hangs off it,
so checks can be re-run on a stored snapshot without recrawling.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from govmon.config import with_zone


class UtcDateTime(TypeDecorator):
    """A moment, written in UTC and read back in UTC with its zone. SQLite keeps no zone: it would store a China
    time's wall clock as it is, and hand back naive times that read as local ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else with_zone(value).astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else with_zone(value).astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Run(Base):
    """One crawl of one site: a snapshot."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64), index=True)
    site_code: Mapped[str] = mapped_column(String(16))
    home_url: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))  # running | complete | partial | failed
    reason: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str] = mapped_column(String(255))  # with pid: finds runs whose process died
    pid: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Page(Base):
    """One URL fetched in a run: a crawled page, or a checked resource, attachment or external link."""

    __tablename__ = "pages"
    __table_args__ = (Index("ix_pages_run_url", "run_id", "url_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    url_key: Mapped[str] = mapped_column(String(40))  # sha1 of url: indexable whatever the URL length
    kind: Mapped[str] = mapped_column(String(16))  # page | resource | attachment | external | probe
    method: Mapped[str] = mapped_column(String(8))
    final_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int | None] = mapped_column(Integer)
    elapsed_ms: Mapped[float | None] = mapped_column(Float)
    depth: Mapped[int] = mapped_column(Integer)
    referrer: Mapped[str | None] = mapped_column(Text)
    error_kind: Mapped[str | None] = mapped_column(String(32))
    error_detail: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(40))
    encoding: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(Text)
    render: Mapped[str] = mapped_column(String(16), default="static")  # static | rendered | render_failed
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PageText(Base):
    """A crawled page's visible text, its personal numbers masked: what the wording rules read (ERR-1, the
    guides of SVC-1). Apart from the pages, so loading a snapshot's facts does not load every page's text."""

    __tablename__ = "page_texts"

    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)


class Link(Base):
    """One link or resource reference found on a page (the same target twice is two rows)."""

    __tablename__ = "links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(Text)
    tag: Mapped[str] = mapped_column(String(16))
    attr: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # page | resource | attachment
    internal: Mapped[bool] = mapped_column(Boolean)


class AvailabilityProbe(Base):
    """One timed load of a site's homepage (首页可用性监测)."""

    __tablename__ = "availability_probes"
    __table_args__ = (Index("ix_availability_site_at", "site_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    ok: Mapped[bool] = mapped_column(Boolean)  # complete within the pack's load timeout, status < 400
    status: Mapped[int | None] = mapped_column(Integer)
    error_kind: Mapped[str | None] = mapped_column(String(32))
    error_detail: Mapped[str | None] = mapped_column(Text)
    dns_ms: Mapped[float | None] = mapped_column(Float)
    connect_ms: Mapped[float | None] = mapped_column(Float)
    first_byte_ms: Mapped[float | None] = mapped_column(Float)
    load_ms: Mapped[float | None] = mapped_column(Float)
    size: Mapped[int | None] = mapped_column(Integer)


class Ipv6Probe(Base):
    """One IPv6 probe of a site: DNS, homepage over both stacks, deeper pages over IPv6."""

    __tablename__ = "ipv6_probes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))  # complete | incomplete (a lookup timed out: some rules not judged)
    measurements: Mapped[dict[str, Any]] = mapped_column(default=dict)


class MediaCheck(Base):
    """One check of a new-media account through its mirrors: the verdict, the newest post, each mirror's answer."""

    __tablename__ = "media_checks"
    __table_args__ = (Index("ix_media_checks_account_at", "account_id", "checked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[str] = mapped_column(String(64))
    site_id: Mapped[str] = mapped_column(String(64), index=True)  # the owning site
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    verdict: Mapped[str] = mapped_column(String(16))  # active | dormant | closed | unknown
    reason: Mapped[str | None] = mapped_column(Text)  # why unknown, or what says closed
    latest_at: Mapped[str | None] = mapped_column(String(32))  # the newest post's ISO date or time, as the mirror gave it
    latest_title: Mapped[str | None] = mapped_column(Text)
    mirrors: Mapped[list[Any]] = mapped_column(default=list)  # per mirror: url, kind, status, error, latest, posts


class Finding(Base):
    """One rule violation at one place, with its evidence, from checking a crawl run, a probe or an account."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    probe_id: Mapped[int | None] = mapped_column(ForeignKey("ipv6_probes.id", ondelete="CASCADE"), index=True)
    media_check_id: Mapped[int | None] = mapped_column(ForeignKey("media_checks.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[str] = mapped_column(String(64), index=True)
    rule: Mapped[str] = mapped_column(String(16))
    identity: Mapped[str] = mapped_column(String(40), index=True)  # sha1(rule, site, location): same across runs
    target: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    places: Mapped[list[Any]] = mapped_column(default=list)  # where it appears, capped
    places_total: Mapped[int] = mapped_column(Integer, default=0)
    as_of: Mapped[datetime] = mapped_column(UtcDateTime)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime)


class SiteVerdict(Base):
    """A site's 检查结论 as a period's report computed it: the history behind the supervisor's trend charts."""

    __tablename__ = "site_verdicts"
    __table_args__ = (Index("ix_site_verdicts_site_day", "site_id", "period", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))  # daily | weekly | monthly | quarterly
    day: Mapped[date] = mapped_column(Date)  # the last day the report covers, in China
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    result: Mapped[str] = mapped_column(String(8))  # 合格 | 不合格
    provisional: Mapped[bool] = mapped_column(Boolean)  # 待定: the pass waits on something unknown
    score: Mapped[float] = mapped_column(Float)
    vetoes: Mapped[list[Any]] = mapped_column(default=list)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)  # by_rule, and by state: new, open, reopened, fixed, overdue


class EmailSent(Base):
    """One email of a site's rectification list to its administrator, or the attempt that failed."""

    __tablename__ = "emails"
    __table_args__ = (Index("ix_emails_site_at", "site_id", "sent_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recipients: Mapped[list[Any]] = mapped_column(default=list)
    subject: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(40))  # of the open findings, deadlines, overdue flags: "nothing changed" is the same
    attachment: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # sent | failed
    error: Mapped[str | None] = mapped_column(Text)


class CitizenReport(Base):
    """One 我为政府网站找错 report (网民留言), imported from the platform's export or posted to the intake."""

    __tablename__ = "citizen_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)  # the platform's 留言编号: importing twice updates
    site_id: Mapped[str] = mapped_column(String(64), index=True)  # the registry's site
    url: Mapped[str] = mapped_column(Text)  # the page reported
    category: Mapped[str] = mapped_column(String(16))  # 内容无法访问 | 信息不更新 | 内容不准确 | 咨询留言不回复 | 错别字 | 虚假伪造内容 | 其他
    description: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)  # received: the deadlines count from it
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(255))  # the file it came from, or "api"
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReportCheck(Base):
    """One cross-check of a citizen report against the live site and the latest snapshot: the verdict, its evidence."""

    __tablename__ = "citizen_report_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("citizen_reports.id", ondelete="CASCADE"), index=True)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    verdict: Mapped[str] = mapped_column(String(16))  # confirmed | not_reproduced | needs_person
    reason: Mapped[str] = mapped_column(Text)  # one line a person reads: why this verdict
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)  # live fetch, snapshot, text matched, rule applied
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))  # the snapshot consulted
    finding_identity: Mapped[str | None] = mapped_column(String(40))  # the monitor's own finding of the same problem
    finding_rule: Mapped[str | None] = mapped_column(String(16))
    finding_first_seen: Mapped[datetime | None] = mapped_column(UtcDateTime)  # when the monitor saw it first
    page_body: Mapped[str | None] = mapped_column(Text)  # the reported page as fetched, kept as evidence (capped)
