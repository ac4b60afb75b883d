"""A stored snapshot loaded for checking: the run, its fetched URLs and its links, keyed as the site's crawl
keyed them (its registry session_params dropped from every URL)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, TypeAlias, TypeGuard

from sqlalchemy import select
from sqlalchemy.orm import Session

from govmon.facts import canonical_url
from govmon.facts.links import DEFAULT_SESSION_PARAMS, REDIRECT_ATTR, REDIRECT_TAG
from govmon.registry import Site
from govmon.store import Link, Page, PageText, Run


@dataclass(slots=True, eq=False)
class PageRow:
    """One fetched URL of a stored run as the rules read it: only those columns, in a plain slotted object rather
    than an ORM instance. Compared by identity, as the ORM compares pages (``page is snapshot.home``)."""

    id: int
    url: str
    kind: str
    method: str
    final_url: str | None
    status: int | None
    content_type: str | None
    depth: int
    error_kind: str | None
    error_detail: str | None
    content_hash: str | None
    title: str | None
    render: str
    facts: dict[str, Any]
    fetched_at: datetime


# The columns of a PageRow, as load_snapshot selects them.
PAGE_COLUMNS = tuple(getattr(Page, column.name) for column in fields(PageRow))
# Rows fetched at a time: only their compact copies are kept, never the whole result besides them.
_FETCH_ROWS = 200

# What a rule reads of a fetched URL: a snapshot's row, or a Page the citizen-report check fetches live.
FetchedPage: TypeAlias = PageRow | Page
LinkRow: TypeAlias = tuple[int, str, str, str, str, str, bool]  # source_id, target, tag, attr, text, kind, internal


@dataclass
class Snapshot:
    run: Run
    pages: list[FetchedPage]
    links: Sequence[LinkRow]
    session_params: frozenset[str] = DEFAULT_SESSION_PARAMS  # the site's, as its crawl dropped them
    # page id → its stored visible text, read when a rule first asks (most rules read facts only)
    load_texts: Callable[[], Mapping[int, str]] = dict
    # the pages fetched again as a search engine's spider (kind "spider_view"), by URL key; not among ``pages``
    spider_views: dict[str, FetchedPage] = field(default_factory=dict)
    by_url: dict[str, FetchedPage] = field(init=False)
    by_id: dict[int, FetchedPage] = field(init=False)
    offsite_redirects: dict[int, str] = field(init=False)  # page id → where its HTTP redirect out of the site points

    def __post_init__(self) -> None:
        self._keys: dict[str, str] = {}
        self.spider_views.update((self.key(page.url), page) for page in self.pages if page.kind == "spider_view")
        self.pages = [page for page in self.pages if page.kind != "spider_view"]
        self._texts: Mapping[int, str] | None = None
        self.by_url = {}
        for page in self.pages:
            self.by_url.setdefault(self.key(page.url), page)
        self.by_id = {page.id: page for page in self.pages}
        self.offsite_redirects = {source_id: target for source_id, target, tag, attr, *_ in self.links
                                  if (tag, attr) == (REDIRECT_TAG, REDIRECT_ATTR)}

    def key(self, url: str) -> str:
        """The URL's identity as the crawl keyed its pages: a link written with another session id is the same page.
        Computed once per URL: every rule family keys the same links."""
        key = self._keys.get(url)
        if key is None:
            key = self._keys[url] = canonical_url(url, self.session_params)
        return key

    def page(self, url: str) -> FetchedPage | None:
        """What the crawl stored for the URL, however the link that names it writes it."""
        return self.by_url.get(self.key(url))

    def text(self, page: FetchedPage) -> str:
        """The page's visible text as the crawl stored it, personal numbers masked; "" when none was stored."""
        if self._texts is None:
            self._texts = self.load_texts()
        return self._texts.get(page.id, "")

    @property
    def home(self) -> FetchedPage | None:
        return self.page(self.run.home_url)

    @property
    def probes(self) -> list[FetchedPage]:
        return [page for page in self.pages if page.kind == "probe"]


def session_params_of(site: Site | None) -> frozenset[str]:
    """The URL parameters the site's crawl drops from a URL's identity (the registry's session_params); the
    default ones for a run checked without its registry entry."""
    return frozenset(name.lower() for name in site.crawl.session_params) if site else DEFAULT_SESSION_PARAMS


def parsed(page: FetchedPage | None) -> TypeGuard[FetchedPage]:
    """A page fetched without error and parsed: its facts can be judged (from its static HTML when rendering
    failed)."""
    return (page is not None and page.kind == "page" and page.status is not None and page.status < 400
            and not page.error_kind and bool(page.facts))


def robots_blocked(page: FetchedPage | None) -> bool:
    """A page robots.txt forbade the crawl to fetch (robots = "obey"): its content is unknown, never missing."""
    return page is not None and page.error_kind == "robots_blocked"


def unjudged_for_robots(snapshot: Snapshot) -> list[str]:
    """The site's pages robots.txt kept from the crawl, whose absence no rule may read as "nothing there"."""
    return [page.url for page in snapshot.pages if page.kind == "page" and robots_blocked(page)]


def is_list_page(page: FetchedPage) -> bool:
    """A column's list page, not an article: two or more dated items, or a pager. An article's attachments and
    related links read as undated items, and its 信息公开 table marks it an article whatever it links to."""
    if page.facts.get("disclosure"):
        return False
    dated = sum(1 for item in page.facts.get("items") or [] if item.get("date"))
    return dated >= 2 or bool(page.facts.get("pagination"))


def _sharing_copier() -> Callable[[Any], Any]:
    """A copier of decoded values keeping one copy of each string however many rows repeat it: a site's
    navigation links and names, its footer and every facts key are on each page (a third of the memory, with
    the plain rows, of a generated 2,000-page site's snapshot as ORM objects)."""
    strings: dict[str, str] = {}
    share = strings.setdefault

    def copy(value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return share(value, value)
        if kind is dict:
            return {share(key, key): copy(item) for key, item in value.items()}
        if kind is list:
            return [copy(item) for item in value]
        return value

    return copy


def load_snapshot(session: Session, run_id: int, session_params: frozenset[str] = DEFAULT_SESSION_PARAMS) -> Snapshot:
    """The run's pages as PageRows and its links as tuples, their repeated strings shared."""
    run = session.get(Run, run_id)
    if run is None:
        raise LookupError(f"no run with id {run_id}")
    copy = _sharing_copier()
    rows = session.execute(select(*PAGE_COLUMNS).where(Page.run_id == run_id).order_by(Page.id)
                           .execution_options(yield_per=_FETCH_ROWS))
    pages: list[FetchedPage] = [PageRow(*map(copy, row)) for row in rows]
    links = session.execute(
        select(Link.source_id, Link.target, Link.tag, Link.attr, Link.text, Link.kind, Link.internal)
        .where(Link.run_id == run_id)
        .order_by(Link.id)
        .execution_options(yield_per=_FETCH_ROWS)
    )

    def load_texts() -> dict[int, str]:
        return dict(session.execute(select(PageText.page_id, PageText.text).where(PageText.run_id == run_id)).all())

    return Snapshot(run=run, pages=pages, links=[tuple(map(copy, link)) for link in links],
                    session_params=session_params, load_texts=load_texts)
