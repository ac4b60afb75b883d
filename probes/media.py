"""Check new-media accounts through their mirrors and store what each said (MEDIA-1 … MEDIA-3).

Each mirror is fetched once, politely (the owning site's user agent, timeout and delay
between requests to one host), parsed as a feed or an HTML list, and stored with the
account's verdict, so a verdict can always be traced to what the mirrors answered.
"""

from __future__ import annotations

import time
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select

from govmon.checks.engine import record_findings
from govmon.checks.media import MirrorAnswer, account_drafts, account_verdict
from govmon.checks.pack import Pack
from govmon.config import CHINA_TZ
from govmon.facts.mirrors import MirrorError, latest_post, read_mirror
from govmon.probes.dns import make_resolver
from govmon.probes.http import fetch
from govmon.registry import Account, Site
from govmon.store import Finding, MediaCheck, Store, utcnow


def read_answer(url: str, resolver, timeout: float, user_agent: str, max_bytes: int, today) -> MirrorAnswer:
    """Fetch and parse one mirror (a feed or page of at most max_bytes); a failure is an answer with its error,
    never an exception."""
    got = fetch(url, resolver, timeout, user_agent=user_agent, max_bytes=max_bytes, keep_body=True)
    if not got.ok:
        error = got.error_kind or f"HTTP {got.status}"
        return MirrorAnswer(url, status=got.status, error=f"{error}{'：' + got.error_detail if got.error_detail else ''}")
    try:
        mirror = read_mirror(got.body or b"", got.content_type, got.final_url or url, today)
    except MirrorError as exc:
        return MirrorAnswer(url, status=got.status, error=f"无法解析：{exc}")
    newest = latest_post(mirror)
    return MirrorAnswer(url, kind=mirror.kind, status=got.status, closed=mirror.closed,
                        latest=newest.published if newest else None, latest_title=newest.title if newest else None,
                        posts=len(mirror.posts))


def check_accounts(store: Store, accounts: list[Account], sites: dict[str, Site], pack: Pack,
                   resolver: str | None = None) -> list[tuple[MediaCheck, list[Finding]]]:
    """Check each account now; store a MediaCheck and its findings per account and return them."""
    results = []
    last_at: dict[str, float] = {}  # host → when it was last asked
    for account in accounts:
        site = sites[account.site]
        crawl = site.crawl
        dns = make_resolver(resolver, crawl.timeout)
        checked_at = utcnow()
        today = checked_at.astimezone(CHINA_TZ).date()
        answers = []
        for url in account.mirrors:
            host = urlsplit(url).hostname or ""
            wait = crawl.delay - (time.monotonic() - last_at.get(host, float("-inf")))
            if wait > 0:
                time.sleep(wait)  # politeness between requests to one host, as the crawler keeps it
            answers.append(read_answer(url, dns, crawl.timeout, crawl.user_agent, crawl.max_page_bytes, today))
            last_at[host] = time.monotonic()
        verdict, reason, decided = account_verdict(answers, today, pack)
        drafts = account_drafts(account, verdict, reason, decided, today, pack)
        with store.session.begin() as session:
            check = MediaCheck(account_id=account.id, site_id=account.site, checked_at=checked_at, verdict=verdict,
                               reason=reason, latest_at=decided.latest if decided else None,
                               latest_title=decided.latest_title if decided else None,
                               mirrors=[a.as_dict() for a in answers])
            session.add(check)
            session.flush()
            findings = record_findings(session, drafts, account.site, checked_at, checked_at)
            for finding in findings:
                finding.media_check_id = check.id
            session.flush()
            session.expunge_all()
        results.append((check, findings))
    return results


def latest_checks(session, site_id: str, moment: datetime) -> list[MediaCheck]:
    """The newest check of each of a site's accounts up to moment."""
    newest = (select(MediaCheck.account_id, func.max(MediaCheck.id).label("id"))
              .where(MediaCheck.site_id == site_id, MediaCheck.checked_at <= moment)
              .group_by(MediaCheck.account_id).subquery())
    return list(session.scalars(select(MediaCheck).join(newest, MediaCheck.id == newest.c.id)
                                .order_by(MediaCheck.account_id)))
