"""Assemble a site's rectification list document from the store.

The document (schema: docs/report-json.md) is what every format is written from.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govmon import clock
from govmon.checks.catalogue import RULES
from govmon.checks.pack import Pack
from govmon.checks.tracking import Tracked, track
from govmon.checks.verdict import verdict, veto_weight
from govmon.config import china_day, with_zone
from govmon.registry import Account, Site
from govmon.reports.document import SCHEMA
from govmon.reports.labels import TAG_LABELS, location_label, reason_label, run_reason_label
from govmon.store import Finding, Ipv6Probe, Link, Run, Store, utcnow
from govmon.store.queries import latest_checks
from govmon.workdays import WorkCalendar

_CLASS_ORDER = {"veto": 0, "deduct": 1, "advice": 2}


def _iso(value: datetime | None) -> str | None:
    return None if value is None else with_zone(value).isoformat()


def _description(finding: Finding) -> str:
    if not finding.rule.startswith("LINK-"):
        return finding.evidence.get("detail") or RULES[finding.rule].title
    tags = {place["tag"] for place in finding.places}
    thing = "附件" if finding.rule == "LINK-3" else TAG_LABELS.get(tags.pop(), "链接") if len(tags) == 1 else "链接"
    return f"{thing}无法访问：{reason_label(finding.evidence.get('reason', 'other'))}"


def _account_words(named: dict[str, tuple[str, str]], account_id: str) -> str:
    """'“滇中发布”（微博）' for a registered account; '' when the registry was not given (never its internal id)."""
    name, platform = named.get(account_id, ("", ""))
    return f"“{name}”（{platform}）" if name else ""


def _mirror_reason(check) -> str | None:
    """Why an account's mirrors could not be read, in Chinese: each mirror's HTTP status or failure by its label
    (the check keeps the probe's own words, an exception's text among them)."""
    if check.verdict != "unknown" or not check.mirrors:
        return check.reason
    said = []
    for answer in check.mirrors:
        error = answer.get("error") or ""
        if (answer.get("status") or 0) >= 400:
            why = f"HTTP {answer['status']}"
        elif error.startswith("无法解析"):
            why = "镜像内容无法解析"
        else:
            why = reason_label(error.partition("：")[0]) if error else "镜像中没有带日期的内容"
        said.append(f"{answer['url']}：{why}")
    return "；".join(said)


def _latest_ipv6(session, site_id: str, moment: datetime) -> Ipv6Probe | None:
    return session.scalars(select(Ipv6Probe).where(Ipv6Probe.site_id == site_id, Ipv6Probe.started_at <= moment)
                           .order_by(Ipv6Probe.id.desc()).limit(1)).first()


def _ipv6_summary(probe: Ipv6Probe | None) -> dict | None:
    if probe is None:
        return None
    m = probe.measurements
    return {"id": probe.id, "started_at": _iso(probe.started_at), "status": probe.status,
            "a": m["dns"]["a"]["values"], "aaaa": m["dns"]["aaaa"]["values"],
            "homepage": {family: {k: m["homepage"][family][k] for k in ("attempts", "successes", "ratio")}
                         for family in ("ipv4", "ipv6")},
            "pages": {k: m["pages"][k] for k in ("total", "ok", "ratio")} if m.get("pages") else None,
            "timings": m["timings"], "claim": m.get("claim")}


def _fixed_location(finding: Finding | None) -> str:
    """Where a fixed finding was, in the words its last sighting gave (a column, an account), or ''."""
    if finding is None:
        return ""
    return location_label({"rule": finding.rule, "target": finding.target, "evidence": finding.evidence,
                           "where": finding.places})


def _previous_run_start(session: Session, run: Run) -> datetime | None:
    """When the site's crawl before ``run`` started: what "fixed since the last report" counts from."""
    return session.scalar(select(Run.started_at).where(
        Run.site_id == run.site_id, Run.status.in_(("complete", "partial")), Run.started_at < run.started_at)
        .order_by(Run.started_at.desc(), Run.id.desc()).limit(1))


def _unrecorded(identity: str, finding: Finding, moment: datetime, pack: Pack, calendar: WorkCalendar) -> Tracked:
    """A finding no run or probe recorded (AVAIL-1 is computed for the report): new as of ``moment``."""
    reported = china_day(moment)
    deadline = calendar.add(reported, pack.rectification_days(finding.rule))
    return Tracked(identity, finding.rule, finding.target, "new", moment, moment, moment, None, deadline, False,
                   calendar.provisional(reported, deadline))


def _state(tracked: Tracked) -> str:
    """new, open or reopened. An episode closed before the report's moment (a report on an older run) keeps the
    state it was found in, and is listed among the fixed too."""
    if tracked.state != "fixed":
        return tracked.state
    return "reopened" if tracked.reported > tracked.first_seen else "open"


def _fixed(tracked: Tracked, since: datetime | None, moment: datetime) -> bool:
    return (tracked.state == "fixed" and (since is None or with_zone(since) < with_zone(tracked.fixed_at))
            and with_zone(tracked.fixed_at) <= with_zone(moment))


def rectification_doc(store: Store, site: Site, run_id: int, pack: Pack, as_of: date,
                      moment: datetime | None = None, *, availability: tuple[dict, list[Finding]],
                      calendar: WorkCalendar | None = None, since: datetime | None = None,
                      accounts: tuple[Account, ...] = ()) -> dict:
    """The document for one crawl run, with the site's probes as of ``moment`` (default: now).

    ``availability``: AVAIL-1 as of ``moment`` (checks.latest.availability_at), its evaluation and the findings
    made for the report. Each finding carries its state and 整改时限 as of ``moment`` (working days from
    ``calendar``); ``fixed`` lists what was fixed after ``since``, by default the start of the site's previous
    crawl. ``accounts`` (the registry's new-media accounts of the site) name the accounts the report lists by their
    name and platform.
    """
    moment = moment or clock.now()
    calendar = calendar or WorkCalendar()
    with store.session() as session:
        run = session.get(Run, run_id)
        # the URL parameters the site's crawl drops from a URL's identity (as checks.snapshot.session_params_of)
        keyed = frozenset(name.lower() for name in site.crawl.session_params)
        episodes = {t.identity: t for t in track(session, site.id, moment, pack, calendar, keyed)}
        if since is None:
            since = _previous_run_start(session, run)
        findings = list(session.scalars(select(Finding).where(Finding.run_id == run_id)))
        # What this crawl did not reach or could not read (cut short, a page that failed) is still open: carried
        # from where it was last seen, marked as not re-checked.
        seen = {f.identity for f in findings}
        carried = [t.finding_id for t in episodes.values() if t.from_crawl and t.state != "fixed"
                   and t.identity not in seen and with_zone(t.first_seen) <= with_zone(run.started_at)]
        findings += session.scalars(select(Finding).where(Finding.id.in_(carried))).all() if carried else []
        links = session.scalar(select(func.count()).select_from(Link).where(Link.run_id == run_id))
        ipv6 = _latest_ipv6(session, site.id, moment)
        if ipv6 is not None:
            findings += session.scalars(select(Finding).where(Finding.probe_id == ipv6.id)).all()
        media = latest_checks(session, site.id, moment)
        if media:
            findings += session.scalars(select(Finding).where(Finding.media_check_id.in_([m.id for m in media]))).all()
        fixed_ids = [t.finding_id for t in episodes.values() if t.state == "fixed" and t.finding_id]
        last_sighting = {f.id: f for f in session.scalars(select(Finding).where(Finding.id.in_(fixed_ids)))}
    evaluation, unrecorded = availability
    findings += unrecorded
    findings.sort(key=lambda f: (_CLASS_ORDER[RULES[f.rule].cls], f.rule, f.target))
    tracked = [episodes.get(f.identity) or _unrecorded(f.identity, f, moment, pack, calendar) for f in findings]
    fixed = sorted((t for t in episodes.values() if _fixed(t, since, moment)),
                   key=lambda t: (_CLASS_ORDER[RULES[t.rule].cls], t.rule, t.target))
    states = Counter(_state(t) for t in tracked)
    by_rule = Counter(f.rule for f in findings)
    unjudged = {}
    if run.status != "complete":
        unjudged["crawl"] = f"采集未完成（{run_reason_label(run.reason) or '部分完成'}），可能遗漏问题"
    if evaluation["verdict"] == "insufficient_data":
        unjudged["AVAIL-1"] = (f"近{evaluation['thresholds']['window_days']:g}天首页监测数据不足"
                               f"（每天至少{evaluation['thresholds']['min_probes_per_day']:g}次）")
    unjudged.update(((run.stats or {}).get("checked") or {}).get("unjudged") or {})
    named = {a.id: (a.name, a.platform) for a in accounts}
    unjudged.update({f"MEDIA:{m.account_id}": f"政务新媒体账号{_account_words(named, m.account_id)}的镜像无法读取："
                                              f"{_mirror_reason(m)}" for m in media if m.verdict == "unknown"})
    if ipv6 is not None and ipv6.status != "complete":
        unjudged["IPV6"] = "IPv6监测未完成（域名解析超时或监测机无IPv6路由）"
    by_class = Counter(RULES[f.rule].cls for f in findings)
    fetched = (run.stats or {}).get("fetched", {})
    return {
        "schema": SCHEMA,
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "as_of": as_of.isoformat(),
        "since": _iso(since),
        "site": {
            "id": site.id, "name": site.name, "site_code": site.site_code, "home_url": site.home,
            "sponsor": site.sponsor, "admin": {"name": site.admin.name, "email": site.admin.email},
        },
        "run": {
            "id": run.id, "started_at": _iso(run.started_at), "finished_at": _iso(run.finished_at),
            "status": run.status if run.status != "running" else "partial", "reason": run.reason,
            "pages": fetched.get("page", 0), "links": links, "errors": (run.stats or {}).get("errors", 0),
        },
        "pack": {"id": pack.id, "name": pack.name},
        "probes": {"availability": evaluation, "ipv6": _ipv6_summary(ipv6)},
        "media": [{"account": m.account_id, "name": named.get(m.account_id, ("", ""))[0],
                   "platform": named.get(m.account_id, ("", ""))[1], "verdict": m.verdict, "reason": _mirror_reason(m),
                   "latest": m.latest_at, "latest_title": m.latest_title, "checked_at": _iso(m.checked_at)}
                  for m in media],
        "verdict": verdict(by_rule, pack, unjudged, _veto_counts(findings, pack)),
        "summary": {
            "total": len(findings),
            "by_class": {cls: by_class.get(cls, 0) for cls in ("veto", "deduct", "advice")},
            "by_rule": [
                {"rule": rule, "title": RULES[rule].title, "class": RULES[rule].cls, "count": count}
                for rule, count in sorted(by_rule.items())
            ],
            "states": {"new": states["new"], "open": states["open"], "reopened": states["reopened"],
                       "overdue": sum(t.overdue for t in tracked), "fixed": len(fixed)},
        },
        "findings": [
            {
                "id": f.id, "rule": f.rule, "class": RULES[f.rule].cls, "title": RULES[f.rule].title,
                "description": _description(f), "target": f.target, "where": f.places, "where_total": f.places_total,
                "evidence": f.evidence, "source": RULES[f.rule].source,
                # a column's own limit (人事 1 year: a default) speaks for the finding when it has one
                "threshold_status": f.evidence.get("threshold_status") or pack.rule(f.rule).status,
                "fix": RULES[f.rule].fix,
                "first_seen": _iso(f.first_seen), "last_seen": _iso(f.last_seen),
                "state": _state(t), "reported": _iso(t.reported),
                "deadline": t.deadline.isoformat(), "deadline_note": t.deadline_note,
                "overdue": t.overdue, "rechecked": t.rechecked,
            }
            for f, t in zip(findings, tracked)
        ],
        "fixed": [
            {
                "rule": t.rule, "class": RULES[t.rule].cls, "title": RULES[t.rule].title, "target": t.target,
                "location": _fixed_location(last_sighting.get(t.finding_id)),
                "first_seen": _iso(t.first_seen), "reported": _iso(t.reported), "fixed_at": _iso(t.fixed_at),
                "deadline": t.deadline.isoformat(),
                "on_time": china_day(t.fixed_at) <= t.deadline,
                **({"deadline_note": t.deadline_note} if t.deadline_note else {}),  # 暂定, as the findings' deadlines
            }
            for t in fixed
        ],
    }


def _veto_counts(findings: list[Finding], pack: Pack) -> Counter:
    """Per veto rule, how many of its findings count toward its veto_at (a guide missing few elements is listed
    without counting; a homepage without any 办事服务 entry vetoes alone)."""
    counts: Counter = Counter()
    for finding in findings:
        if RULES[finding.rule].cls == "veto":
            counts[finding.rule] += veto_weight(finding.rule, finding.evidence or {}, pack)
    return counts
