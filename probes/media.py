"""Read new-media accounts through their mirrors: what each mirror said, for MEDIA-1 … MEDIA-3 to judge.

Each mirror is fetched once, politely (the owning site's user agent, timeout and delay
between requests to one host), and parsed as a feed or an HTML list. The verdict is
stored with the answers (checks.probe_rules), so it can always be traced to them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urlsplit

from govmon.config import CHINA_TZ
from govmon.dns import make_resolver
from govmon.facts.mirrors import MirrorAnswer, MirrorError, latest_post, read_mirror
from govmon.probes.http import fetch
from govmon.registry import Account, Site
from govmon.store import utcnow


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


def read_accounts(accounts: list[Account], sites: dict[str, Site],
                  resolver: str | None = None) -> Iterator[tuple[Account, datetime, list[MirrorAnswer]]]:
    """Each account's mirrors read now: (account, when, what each mirror answered), one account at a time, so the
    caller stores an account before the next is read."""
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
        yield account, checked_at, answers
