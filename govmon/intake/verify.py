"""The cross-check of 我为政府网站找错 reports against the site, with their ZC-1 deadlines.

Each open report is verified instead of opened by hand: what its category claims is checked on the live site
with the functions that check a crawl (dead links and soft 404s, column freshness, message replies), or by
finding the quoted wrong text, and set against the latest snapshot and the monitor's own findings, so a
supervisor sees confirmed, not reproduced or needs a person, the evidence, and whether the monitor had found the
problem before the citizen did. The deadlines (ZC-1) come from ``govmon.checks.citizen_deadlines``.

A report is a stranger's words: only its site's own origins are fetched for it (a stored report whose URL is
elsewhere is left to a person, unfetched), what is quoted back of a page is a short window with credentials and
personal data masked, and one verification keeps to a time budget, leaving the reports it does not reach
unchecked rather than judging them on a cut-short fetch.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from govmon.checks.citizen_deadlines import deadline_status
from govmon.checks.columns import Column, column_rule, stale_since
from govmon.checks.context import Context, parse_date
from govmon.checks.interaction import Message, late_replies, site_messages
from govmon.checks.links import broken_reason
from govmon.checks.pack import ColumnClass, Pack, load_pack
from govmon.checks.snapshot import Snapshot, is_list_page, session_params_of
from govmon.checks.soft404 import SoftNotFoundDetector
from govmon.checks.tracking import Tracked, track
from govmon.config import china_day, with_zone
from govmon.facts import canonical_url
from govmon.facts.personal_data import mask_text
from govmon.origins import on_site
from govmon.probes.live_pages import MAX_TARGETS, OFF_SITE, BudgetSpent, LivePage, LiveSite
from govmon.registry import Registry, Site
from govmon.store import CitizenReport, Finding, Page, ReportCheck, Run, Store, utcnow
from govmon.workdays import WorkCalendar, WorkdayError

# The monitor's rules that find what a category reports: its finding of the same problem is one of these.
FINDING_RULES = {
    "内容无法访问": ("LINK-1", "LINK-2", "LINK-3"),
    "信息不更新": ("HOME-1", "COL-1", "COL-2"),
    "咨询留言不回复": ("INTER-2", "INTER-4", "INTER-3"),
}
PAGE_BODY_BYTES = 1_000_000  # the reported page kept for a person to read, at most
_FAILURES = {
    "dns_error": "域名解析失败", "connection_refused": "连接被拒绝", "connection_reset": "连接被重置",
    "timeout": "访问超时", "redirect_loop": "重定向循环", "tls_error": "证书或加密连接错误",
    "parse_error": "页面无法解析", "too_large": "内容过大", OFF_SITE: "不属于该网站的网址，未访问", "other": "无法访问",
}
# A quote ends before the next opening mark, so a run of unclosed “ is read once, not rescanned from each.
_QUOTED = re.compile(r"“([^“”]+)”|\"([^\"]+)\"|「([^「」]+)」|『([^『』]+)』|‘([^‘’]+)’")
_CORRECTED_TO = re.compile(r"\s*[,，]?\s*(?:应该?为|应该?是|应改为|应更正为|应写为|改为|更正为)\s*[:：]?\s*")
_SPACE = re.compile(r"\s+")
_CONTEXT_CHARS = 20  # of the page's text on either side of a matched wrong text
_QUOTE_CHARS = 30  # of a report's quoted wrong text repeated in a verdict's reason
# what a page may show that is nobody's business in a verdict: a credential's value, an ID card or mobile number,
# an e-mail address; every part bounded, so the search stays linear on any page
_PRIVATE = re.compile(
    r"(?:password|passwd|pwd|pass|secret|token|api[_-]?key|access[_-]?key|auth\w{0,12}|session\w{0,8}|sid"
    r"|密码|口令|令牌|密钥|验证码)\s{0,3}[=:：]\s{0,3}(?P<secret>[\w!#$%()*+./:=?@\[\]^{|}~-]{1,200})"
    r"|(?<![0-9])(?P<id_card>[1-9]\d{16}[\dX])(?![0-9A-Za-z])"
    r"|(?<![0-9])(?P<mobile>1[3-9]\d{9})(?![0-9])"
    r"|(?P<email>[\w.%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8})", re.ASCII | re.IGNORECASE)
_PRIVATE_REACH = 256  # characters a masked value may start before an excerpt, its key further still


@dataclass(frozen=True)
class Verification:
    """One report's cross-check as stored, with its ZC-1 deadlines as of the check."""

    report: CitizenReport
    check: ReportCheck | None  # None: not verified, the verification's time ran out first (nothing stored)
    deadlines: dict

    @property
    def found_first(self) -> bool:
        """The monitor found the problem before the citizen reported it."""
        first = self.check.finding_first_seen if self.check else None
        return first is not None and _utc(first) < _utc(self.report.submitted_at)

    def as_dict(self) -> dict:
        report, check = self.report, self.check
        if check is None:
            check = ReportCheck(verdict="not_verified", reason=NOT_VERIFIED, evidence={})
        finding = None
        if check.finding_identity is not None:
            finding = {"identity": check.finding_identity, "rule": check.finding_rule,
                       "first_seen": _utc(check.finding_first_seen).isoformat(), "before_citizen": self.found_first}
        return {"number": report.number, "site": report.site_id, "url": report.url, "category": report.category,
                "submitted_at": _utc(report.submitted_at).isoformat(), "verdict": check.verdict,
                "reason": check.reason, "evidence": check.evidence, "finding": finding,
                "deadlines": {key: value.isoformat() if isinstance(value, date) else value
                              for key, value in self.deadlines.items()}}

    def summary_line(self) -> str:
        report, check = self.report, self.check
        if check is None:
            return f"{report.number} {report.site_id} {report.category} not_verified：{NOT_VERIFIED}"
        parts = [f"{report.number} {report.site_id} {report.category} {check.verdict}：{check.reason}"]
        if check.finding_first_seen is not None:
            parts.append(f"监测已于 {china_day(check.finding_first_seen).isoformat()} 发现"
                         + ("（早于网民留言）" if self.found_first else ""))
        if self.deadlines["reply_overdue"]:
            parts.append("答复超期")
        if self.deadlines["close_overdue"]:
            parts.append("办结超期")
        return "；".join(parts)


NOT_VERIFIED = "本次核查的时间已用完，尚未核查，下次核查时再查"


def verify_reports(store: Store, registry: Registry, calendar: WorkCalendar, *, site_id: str | None = None,
                   moment: datetime | None = None, budget: float | None = None) -> list[Verification]:
    """Cross-check each open report (of site_id, or all) received by moment against the live site and the
    site's latest snapshot; store one ReportCheck per report (a new one each call: the history) and return them
    with their deadlines. Up to [intake] verify_concurrency sites are verified at a time, within budget seconds
    in all (default: [intake] verify_budget): a report not reached by then, or being checked when the time ran
    out, comes back with no check and nothing stored."""
    deadline = time.monotonic() + (registry.intake.verify_budget if budget is None else budget)
    moment = _utc(moment or utcnow())
    query = select(CitizenReport).where(CitizenReport.closed_at.is_(None), CitizenReport.submitted_at <= moment)
    if site_id is not None:
        query = query.where(CitizenReport.site_id == site_id)
    with store.session() as session:
        reports = list(session.scalars(query.order_by(CitizenReport.submitted_at, CitizenReport.number)))
    sites = {site.id: site for site in registry.sites}
    packs: dict[str, Pack] = {}
    by_site: dict[str, list[CitizenReport]] = {}
    for report in reports:
        by_site.setdefault(report.site_id, []).append(report)
        name = _pack_name(sites.get(report.site_id), registry)
        if name not in packs:
            packs[name] = load_pack(name)
    checks: dict[int, ReportCheck] = {}
    recording = threading.Lock()

    def verify_site(group: list[CitizenReport]) -> None:
        site = sites.get(group[0].site_id)
        pack = packs[_pack_name(site, registry)]
        view = None
        for report in group:
            if time.monotonic() >= deadline:
                return
            finding = None
            try:
                if site is None:
                    judgement = _Judgement("needs_person", f"网站“{report.site_id}”不在网站台账中，无法核查")
                elif not on_site(site, report.url):  # a row stored before the intake refused such URLs
                    judgement = _Judgement("needs_person", f"问题网址不属于该网站“{site.name}”（首页 {site.home}），"
                                                           "未访问，需人工核查", {"off_site": True})
                else:
                    if view is None:
                        view = _site_view(store, site, pack, registry.settings.resolver, calendar, moment, deadline)
                    judgement, finding = _verify(report, view, Context(pack, moment, site.type, site.level,
                                                                        site.site_code, calendar))
            except BudgetSpent:
                return
            with recording:
                checks[report.id] = _record(store, report, judgement, finding, view, moment)

    if by_site:
        with ThreadPoolExecutor(min(registry.intake.verify_concurrency, len(by_site))) as pool:
            list(pool.map(verify_site, by_site.values()))
    return [Verification(report, checks.get(report.id),
                         deadline_status(report, packs[_pack_name(sites.get(report.site_id), registry)], calendar,
                                         moment)) for report in reports]


def _pack_name(site: Site | None, registry: Registry) -> str:
    return (site.pack if site else None) or registry.settings.pack


@dataclass
class _SiteView:
    """One site as its reports are verified: the registry entry, the live site, the latest snapshot and the
    monitor's findings as of the moment (those of FINDING_RULES, each with the places it lists)."""

    store: Store
    site: Site
    pack: Pack
    live: LiveSite
    run: Run | None
    findings: list[tuple[Tracked, list]]
    _detector: SoftNotFoundDetector | None = field(default=None, init=False)
    _stored: dict[str, Page | None] = field(default_factory=dict, init=False)

    def home(self) -> LivePage:
        return self.live.load(self.site.home)

    def detector(self) -> SoftNotFoundDetector:
        """The crawl's soft-404 detector, fed with the live site's homepage and its answers to missing URLs."""
        if self._detector is None:
            self._detector = SoftNotFoundDetector(self.live.not_found_answers(), self.home().page,
                                                  self.pack.detect.soft_404.min_similarity)
        return self._detector

    def key(self, url: str) -> str:
        """The URL's identity as the site's crawl keys it (its session_params dropped)."""
        return canonical_url(url, session_params_of(self.site))

    def stored(self, url: str) -> Page | None:
        """The URL as the latest snapshot fetched it."""
        key = self.key(url)
        if key not in self._stored:
            self._stored[key] = None
            if self.run is not None:
                keys = {hashlib.sha1(u.encode()).hexdigest() for u in (url, key)}
                with self.store.session() as session:
                    self._stored[key] = session.scalars(select(Page).where(
                        Page.run_id == self.run.id, Page.url_key.in_(keys), Page.kind != "spider_view",
                    ).order_by(Page.id).limit(1)).first()
        return self._stored[key]


def _site_view(store: Store, site: Site, pack: Pack, resolver: str | None, calendar: WorkCalendar,
               moment: datetime, deadline: float) -> _SiteView:
    related = {rule for rules in FINDING_RULES.values() for rule in rules}
    with store.session() as session:
        run = session.scalars(select(Run).where(
            Run.site_id == site.id, Run.status.in_(("complete", "partial")), Run.started_at <= moment)
            .order_by(Run.started_at.desc(), Run.id.desc()).limit(1)).first()
        tracked = [t for t in track(session, site.id, moment, pack, calendar, session_params_of(site))
                   if t.rule in related]
        places = dict(session.execute(select(Finding.id, Finding.places).where(
            Finding.id.in_([t.finding_id for t in tracked]))).all()) if tracked else {}
    live = LiveSite(site, resolver, Context(pack, moment).today, deadline)
    return _SiteView(store, site, pack, live, run, [(t, places.get(t.finding_id) or []) for t in tracked])


@dataclass
class _Judgement:
    verdict: str  # confirmed | not_reproduced | needs_person
    reason: str  # one line, Chinese
    evidence: dict = field(default_factory=dict)
    page: LivePage | None = None  # the reported page as fetched now
    related: tuple[str, ...] = ()  # other URLs the monitor's finding of the same problem may name


def _verify(report: CitizenReport, view: _SiteView, context: Context) -> tuple[_Judgement, Tracked | None]:
    judgement = _JUDGES.get(report.category, _for_person)(report, view, context)
    judgement.evidence["snapshot"] = _snapshot_evidence(view.run, view.stored(report.url))
    finding = _monitor_finding(view, report.category, {report.url, *judgement.related})
    if finding is not None:
        judgement.evidence["monitor_finding"] = {"target": finding.target, "state": finding.state}
    return judgement, finding


def _record(store: Store, report: CitizenReport, judgement: _Judgement, finding: Tracked | None,
            view: _SiteView | None, moment: datetime) -> ReportCheck:
    """Store the check; a page a person must judge is kept with it (capped)."""
    body = None
    live = judgement.page
    if judgement.verdict == "needs_person" and live is not None and live.html:
        encoded = live.html.encode("utf-8")
        body = mask_text(encoded[:PAGE_BODY_BYTES].decode("utf-8", "ignore"))  # kept, never its personal numbers
        judgement.evidence["live"]["body_truncated"] = len(encoded) > PAGE_BODY_BYTES
    check = ReportCheck(report_id=report.id, checked_at=moment, verdict=judgement.verdict, reason=judgement.reason,
                        evidence=judgement.evidence, run_id=view.run.id if view and view.run else None,
                        finding_identity=finding.identity if finding else None,
                        finding_rule=finding.rule if finding else None,
                        finding_first_seen=_utc(finding.first_seen) if finding else None, page_body=body)
    with store.session.begin() as session:
        session.add(check)
    return check


def _monitor_finding(view: _SiteView, category: str, urls: set[str]) -> Tracked | None:
    """The monitor's finding of what the report names: a rule fitting the category, its target one of the URLs
    or one of them among its places; an unfixed one before a fixed one, then the earliest."""
    rules = FINDING_RULES.get(category, ())
    keys = {view.key(url) for url in urls}
    matches = [tracked for tracked, places in view.findings if tracked.rule in rules and (
        view.key(tracked.target) in keys or any(view.key(p.get("page") or "") in keys for p in places))]
    return min(matches, key=lambda t: (t.state == "fixed", _utc(t.first_seen)), default=None)


def _snapshot_evidence(run: Run | None, page: Page | None) -> dict:
    if run is None:
        return {"run_id": None, "detail": "尚无该网站的采集快照"}
    seen = {"run_id": run.id, "run_status": run.status, "crawled_at": _utc(run.started_at).isoformat()}
    if page is None:
        return {**seen, "in_snapshot": False, "detail": "快照中没有该地址"}
    works = page.status is not None and page.status < 400 and not page.error_kind
    state = f"可以访问（HTTP {page.status}）" if works else f"无法访问（{_failure(page)}）"
    return {**seen, "in_snapshot": True, "status": page.status, "error_kind": page.error_kind,
            "final_url": page.final_url, "title": page.title, "detail": f"快照中该地址{state}"}


# ----- one function per category: what the category claims, checked on the live page


def _unreachable(report: CitizenReport, view: _SiteView, context: Context) -> _Judgement:
    """内容无法访问: the page by the crawl's dead-link logic, and when it loads, its links and resources too."""
    live = view.live.load(report.url)
    evidence = {"live": _live_evidence(live), "links_found": 0, "links_checked": 0, "links_off_site": 0}
    final = live.page.final_url
    if final and not on_site(view.site, final):
        return _Judgement("needs_person", f"页面跳转到站外地址 {final}，未访问，需人工核查", evidence, live)
    detector = view.detector()
    own = broken_reason(live.page, detector)
    if own is not None:
        evidence["broken"] = [{"target": report.url, "tag": "page", "text": live.page.title or "", **own}]
        return _Judgement("confirmed", f"页面无法访问（{_broken_label(own)}）", evidence, live)
    checked, total, off_site = view.live.check(live.links, live.page.final_url or report.url)
    broken = [{"target": link.url, "tag": link.tag, "text": link.text, **reason}
              for link, target in checked if (reason := broken_reason(target, detector)) is not None]
    evidence.update(links_found=total, links_checked=len(checked), links_off_site=off_site, broken=broken)
    related = tuple(item["target"] for item in broken)
    if broken:
        first = broken[0]
        return _Judgement("confirmed", f"页面中{len(broken)}个链接或资源无法访问，如 {first['target']}"
                                       f"（{_broken_label(first)}）", evidence, live, related)
    unchecked = f"（共{total}个，检查了前{len(checked)}个）" if total > len(checked) else ""
    elsewhere = f"；另有{off_site}个站外链接未检查" if off_site else ""
    return _Judgement("not_reproduced", f"页面及其中{len(checked)}个链接和资源现均可访问{unchecked}{elsewhere}",
                      evidence, live)


def _not_updated(report: CitizenReport, view: _SiteView, context: Context) -> _Judgement:
    """信息不更新: the newest item on the live list of the URL's column against its class's maximum age, as
    COL-1 and COL-2 judge it (HOME-1 for the homepage)."""
    live = view.live.load(report.url)
    if not live.ok:
        return _unloadable(live)
    if view.key(report.url) == view.key(view.site.home):
        return _home_freshness(view, live, context)
    evidence = {"live": _live_evidence(live)}
    found = _column_of(live, view)
    if found is None:
        return _Judgement("needs_person", "未能确定该页面所属栏目（不是列表页，面包屑和栏目信息中也没有栏目地址），"
                                          "需人工核查", evidence, live)
    name, url = found
    listing = view.live.load(url)
    pack, today = view.pack, context.today
    key = pack.columns.class_of(name)
    cls = pack.columns.classes.get(key)
    level = _nav_level(view, url)
    evidence.update(column=name, list_url=url, column_class=key, level=level, as_of=today.isoformat())
    if not listing.ok:
        return _Judgement("needs_person", f"“{name}”栏目列表页 {url} 现无法打开（{_failure(listing.page)}），需人工核查",
                          evidence, live, (url,))
    limit = stale_since(today, cls) if cls else None
    if limit is None:
        return _Judgement("needs_person", f"“{name}”栏目不属于有更新时限的栏目类别，需人工判断", evidence, live, (url,))
    newest, item = Column(name, url, level, list_pages=[listing.page]).newest()
    if newest is None:
        return _Judgement("needs_person", f"“{name}”栏目列表页上未读出信息的发布日期，需人工核查", evidence, live, (url,))
    age = (today - newest).days
    evidence.update(rule=column_rule(key, level), newest=newest.isoformat(), newest_item=item, age_days=age,
                    max_age=_limit_text(cls), stale_on_or_before=limit.isoformat())
    if newest <= limit:
        return _Judgement("confirmed", f"“{name}”栏目最新信息发布于{newest.isoformat()}，至{today.isoformat()}已"
                                       f"{age}天未更新，超过{_limit_text(cls)}", evidence, live, (url,))
    return _Judgement("not_reproduced", f"“{name}”栏目最新信息发布于{newest.isoformat()}，未超过{_limit_text(cls)}",
                      evidence, live, (url,))


def _home_freshness(view: _SiteView, home: LivePage, context: Context) -> _Judgement:
    """HOME-1 on the live homepage; a navigation-only homepage by its second-level pages, as the crawl's check."""
    max_days, today = view.pack.rule("HOME-1")["max_age_days"], context.today
    if home.page.facts.get("navigation_only"):
        judged = [page for page in view.live.load_all(_site_pages(home, view)) if page.ok]
        dates = [(parse_date(p.page.facts.get("latest_listed") or p.page.facts.get("published")), p.page.url)
                 for p in judged]
        scope, judged_by = f"导航型首页的{len(judged)}个二级页面", "second_level_pages"
    else:
        judged, dates = [home], [(parse_date(home.page.facts.get("latest_listed")), home.page.url)]
        scope, judged_by = "首页", "homepage"
    dates = [(day, url) for day, url in dates if day is not None and day <= today]
    evidence = {"live": _live_evidence(home), "rule": "HOME-1", "judged_by": judged_by, "pages_judged": len(judged),
                "as_of": today.isoformat(), "max_age_days": max_days}
    if not dates:
        return _Judgement("needs_person", f"{scope}未发现可识别日期的信息，需人工核查", evidence, home)
    newest, where = max(dates)
    age = (today - newest).days
    evidence.update(newest=newest.isoformat(), newest_on=where, age_days=age)
    if newest <= today - timedelta(days=max_days):
        return _Judgement("confirmed", f"{scope}最新信息发布于{newest.isoformat()}，至{today.isoformat()}已{age}天"
                                       f"未更新，超过{max_days}天", evidence, home)
    return _Judgement("not_reproduced", f"{scope}最新信息发布于{newest.isoformat()}，未超过{max_days}天", evidence, home)


def quoted_correction(description: str) -> tuple[str, str | None] | None:
    """(the wrong text, the right one or None) a 错别字 report quotes in “”, "", 「」, 『』 or ‘’: the pair around
    应为 / 改为 (“政府信息公开公开”应为“政府信息公开”), else the first quoted text; None without quotes."""
    quotes = [(match, next(group for group in match.groups() if group)) for match in _QUOTED.finditer(description)]
    for (first, wrong), (second, right) in itertools.pairwise(quotes):
        if _CORRECTED_TO.fullmatch(description[first.end():second.start()]):
            return wrong, right
    return (quotes[0][1], None) if quotes else None


def _typo(report: CitizenReport, view: _SiteView, context: Context) -> _Judgement:
    """错别字: the quoted wrong text searched in the live page's title and visible text, whitespace ignored; a
    wrong text that is part of the right one (“人民政” for “人民政府”) counts only outside it."""
    live = view.live.load(report.url)
    quoted = quoted_correction(report.description)
    if quoted is None:
        return _Judgement("needs_person", "留言中没有用引号标出错误文字，需人工核查", {"live": _live_evidence(live)}, live)
    if not live.ok:
        return _unloadable(live)
    text = _SPACE.sub("", f"{live.page.title or ''}{live.text}")
    if not text:
        return _Judgement("needs_person", "页面上没有可读的文字，需人工核查", {"live": _live_evidence(live)}, live)
    wrong, right = quoted
    bad, good = _SPACE.sub("", wrong), _SPACE.sub("", right or "")
    searched = text.replace(good, "\0" * len(good)) if good and bad in good else text
    at = searched.find(bad)
    evidence = {"live": _live_evidence(live), "wrong": wrong, "right": right, "found": at >= 0,
                "right_found": bool(good) and good in text}
    if at >= 0:
        shown = masked_excerpt(text, max(0, at - _CONTEXT_CHARS), at + min(len(bad), _QUOTE_CHARS) + _CONTEXT_CHARS)
        evidence.update(matched=text[at:at + len(bad)], context=shown, occurrences=searched.count(bad))
        return _Judgement("confirmed", f"页面中仍有“{_clipped(wrong)}”：…{shown}…", evidence, live)
    now = f"，现为“{_clipped(right)}”" if evidence["right_found"] else ""
    return _Judgement("not_reproduced", f"页面中已没有“{_clipped(wrong)}”{now}", evidence, live)


def masked_excerpt(text: str, start: int, end: int) -> str:
    """text[start:end] as a verdict may quote it: a credential's value, an ID card or mobile number and an e-mail
    address masked, each whole, though it begins before the excerpt or its key (password=) lies outside it."""
    parts, at = [], start
    for match in _PRIVATE.finditer(text, max(0, start - _PRIVATE_REACH), min(len(text), end + _PRIVATE_REACH)):
        kind = match.lastgroup
        begin, stop = match.span(kind)
        if stop <= start or begin >= end:
            continue
        parts += [text[at:begin], _masked(kind, match[kind])]
        at = max(at, stop)
    return "".join(parts) + text[at:end]


def _masked(kind: str, value: str) -> str:
    if kind == "id_card":
        return value[:6] + "*" * 8 + value[-4:]
    if kind == "mobile":
        return value[:3] + "****" + value[-4:]
    if kind == "email":
        return value[0] + "***" + value[value.index("@"):]
    return "***"


def _clipped(quoted: str) -> str:
    return quoted if len(quoted) <= _QUOTE_CHARS else quoted[:_QUOTE_CHARS] + "…"


def _unanswered(report: CitizenReport, view: _SiteView, context: Context) -> _Judgement:
    """咨询留言不回复: INTER-2 and INTER-4 on the live page's messages, and any still unanswered after INTER-4's
    working days (its reply, whenever it comes, is late)."""
    live = view.live.load(report.url)
    if not live.ok:
        return _unloadable(live)
    one_page = Snapshot(run=Run(site_id=view.site.id, home_url=view.site.home), pages=[live.page], links=[],
                        session_params=session_params_of(view.site))
    messages = site_messages(one_page)
    related = tuple(m.url for m in messages if m.url)
    evidence = {"live": _live_evidence(live), "messages": len(messages)}
    if not messages:
        return _Judgement("needs_person", "页面上未识别出留言（留言时间、答复时间），需人工核查", evidence, live)
    late = [{"rule": d.rule, "target": d.target, **d.evidence} for d in late_replies(messages, context)]
    late += _still_unanswered(messages, {item["target"] for item in late}, context)
    evidence.update(late=late[:view.pack.report.places_cap], late_total=len(late),
                    unjudged=context.unjudged.get("INTER-4"))
    if late:
        more = f"（共{len(late)}条留言）" if len(late) > 1 else ""
        return _Judgement("confirmed", f"{late[0]['detail']}{more}", evidence, live, related)
    if context.unjudged:
        return _Judgement("needs_person", f"无法计算答复用时：{context.unjudged['INTER-4']}", evidence, live, related)
    return _Judgement("not_reproduced", f"页面上{len(messages)}条留言均未超过答复时限", evidence, live, related)


def _still_unanswered(messages: list[Message], flagged: set[str], context: Context) -> list[dict]:
    """Messages not yet answered after INTER-4's working days, other than those flagged already."""
    max_days, today = context.pack.rule("INTER-4")["max_working_days"], context.today
    waiting = []
    for m in messages:
        asked = parse_date(m.asked)
        target = m.url or m.key
        if asked is None or asked > today or m.answered or m.replied is not False or target in flagged:
            continue
        try:
            elapsed = context.calendar.between(asked, today)
        except WorkdayError as error:
            context.cannot_judge("INTER-4", str(error))
            continue
        if elapsed > max_days:
            provisional = context.calendar.provisional(asked, today)
            waiting.append({"rule": "INTER-4", "target": target, "reason": "awaiting_reply", "title": m.title,
                            "asked": m.asked, "answered": None, "message_status": m.status,
                            "as_of": today.isoformat(), "working_days": elapsed, "max_working_days": max_days,
                            "calendar": provisional,
                            "detail": f"留言“{m.title}”于{asked.isoformat()}提交，至{today.isoformat()}已{elapsed}个"
                                      f"工作日仍未答复，超过{max_days:g}个工作日"
                                      + (f"（{provisional}）" if provisional else "")})
    return waiting


def _for_person(report: CitizenReport, view: _SiteView, context: Context) -> _Judgement:
    """内容不准确, 虚假伪造内容, 其他: only a person can judge them; the page as served now is kept for them."""
    live = view.live.load(report.url)
    if not live.ok:
        return _unloadable(live)
    title = f"，标题“{live.page.title}”" if live.page.title else ""
    return _Judgement("needs_person", f"“{report.category}”需人工核查；已保存页面（HTTP {live.page.status}{title}）",
                      {"live": _live_evidence(live)}, live)


_JUDGES: dict[str, Callable[[CitizenReport, _SiteView, Context], _Judgement]] = {
    "内容无法访问": _unreachable,
    "信息不更新": _not_updated,
    "错别字": _typo,
    "咨询留言不回复": _unanswered,
}


# ----- helpers


def _unloadable(live: LivePage) -> _Judgement:
    return _Judgement("needs_person", f"页面现无法打开（{_failure(live.page)}），需人工核查",
                      {"live": _live_evidence(live)}, live)


def _column_of(live: LivePage, view: _SiteView) -> tuple[str, str] | None:
    """(name, list URL) of the column a page belongs to: the page itself when it is a list page, else the last
    linked segment of its breadcrumb (live, else as the snapshot saw it), else the homepage's navigation entry
    of the column it names."""
    page, facts = live.page, live.page.facts
    if is_list_page(page):
        return facts.get("column") or page.title or page.url, page.url
    stored = view.stored(page.url)
    stored_facts = stored.facts if stored is not None and stored.facts else {}
    skipped = {view.key(page.url), view.key(view.site.home)}
    for crumbs in (facts.get("breadcrumb"), stored_facts.get("breadcrumb")):
        linked = [c for c in crumbs or [] if c.get("url") and view.key(c["url"]) not in skipped]
        if linked:
            return linked[-1]["name"], linked[-1]["url"]
    name = facts.get("column") or stored_facts.get("column")
    entry = next((e for e in view.home().page.facts.get("nav") or [] if name and e["name"] == name and e["url"]), None)
    return (entry["name"], entry["url"]) if entry else None


def _nav_level(view: _SiteView, url: str) -> int | None:
    """1 for a top entry of the live homepage's navigation, 2 for a drop-down entry, as the crawl's check counts."""
    key = view.key(url)
    return min((1 if entry["parent"] is None else 2 for entry in view.home().page.facts.get("nav") or []
                if entry["url"] and view.key(entry["url"]) == key), default=None)


def _site_pages(home: LivePage, view: _SiteView) -> list[str]:
    """The pages of the site a homepage links to, each once, at most MAX_TARGETS: its second-level pages."""
    urls = {view.key(link.url): link.url for link in home.links
            if link.kind == "page" and on_site(view.site, link.url)}
    urls.pop(view.key(home.page.url), None)
    return list(urls.values())[:MAX_TARGETS]


def _limit_text(cls: ColumnClass) -> str:
    return f"{cls.max_age_days}天" if cls.max_age_days else f"{cls.max_age_months}个月"


def _live_evidence(live: LivePage) -> dict:
    page = live.page
    return {"url": page.url, "final_url": page.final_url, "status": page.status, "error_kind": page.error_kind,
            "error_detail": page.error_detail, "title": page.title, "content_type": page.content_type,
            "encoding": page.encoding, "size": page.size, "content_hash": page.content_hash,
            "fetched_at": page.fetched_at.isoformat()}


def _failure(page: Page) -> str:
    """Why a fetched URL does not work, in Chinese."""
    return _FAILURES.get(page.error_kind, page.error_kind) if page.error_kind else f"HTTP {page.status}"


def _broken_label(reason: dict) -> str:
    """broken_reason's evidence in a few Chinese words: HTTP 404, 连接被拒绝, the soft 404's own detail."""
    code = reason["reason"]
    if code.startswith("http_"):
        return f"HTTP {reason['status']}"
    return _FAILURES.get(code) or reason.get("detail") or code


def _utc(moment: datetime) -> datetime:
    """As the store keeps it: UTC (SQLite drops the zone on what it stores)."""
    return with_zone(moment).astimezone(UTC)
