"""In-memory snapshots for rule tests: a rule is a pure function of the stored facts, so its boundaries are
tested on facts written out by hand (the extractors that produce them have their own tests)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import count

from govmon.checks.context import Context
from govmon.checks.pack import load_pack
from govmon.checks.snapshot import PageRow, Snapshot
from govmon.config import CHINA_TZ
from govmon.facts.links import DEFAULT_SESSION_PARAMS
from govmon.store import Run

HOME = "http://www.test.gov.cn/"
TODAY = date(2026, 11, 23)
FETCHED = datetime.combine(TODAY, time(9), CHINA_TZ)  # when the crawl fetched every page
_ids = count(1)


def as_of(day: date = TODAY) -> datetime:
    """The end of `day` in China, as `govmon check --as-of DAY` gives it."""
    return datetime.combine(day + timedelta(days=1), time(), CHINA_TZ)


def context(day: date = TODAY, site_type: str | None = "portal", level: str | None = "市", pack: str = "national",
            site_code: str = "5301000001") -> Context:
    return Context(load_pack(pack), as_of(day), site_type, level, site_code)


def page(url: str, depth: int = 1, status: int = 200, kind: str = "page", **facts) -> PageRow:
    return PageRow(id=next(_ids), url=url, kind=kind, method="GET", final_url=None, status=status, content_type=None,
                   depth=depth, error_kind=None, error_detail=None, content_hash=None, title=facts.get("title"),
                   render="static", facts=facts, fetched_at=FETCHED)


def items(*days: date, base: str = HOME + "col/") -> list[dict]:
    return [{"title": f"信息标题第{n}条", "url": f"{base}t{d:%Y%m%d}_{n}.html", "date": d.isoformat(),
             "date_text": d.isoformat()} for n, d in enumerate(days)]


def snapshot(*pages: PageRow, links: tuple = (), home: str = HOME, site_code: str = "5301000001",
             session_params: frozenset[str] = DEFAULT_SESSION_PARAMS, texts: dict[int, str] | None = None,
             spider_views: tuple[PageRow, ...] = ()) -> Snapshot:
    """A snapshot of these pages; ``texts`` are their stored visible texts by page id, ``spider_views`` the pages
    fetched again as a search engine's spider (any page of kind "spider_view" among ``pages`` is one too)."""
    run = Run(id=1, site_id="t", site_code=site_code, home_url=home, status="complete")
    return Snapshot(run=run, pages=[*pages, *spider_views], links=list(links), session_params=session_params,
                    load_texts=lambda: texts or {})


def link(source: PageRow, target: str, text: str = "", tag: str = "a") -> tuple:
    return (source.id, target, tag, "href", text, "page", True)
