"""A stored run loaded for checking: plain rows holding every column the rules read, as stored; the links as
tuples; spider views apart; the pages' texts read only when a rule asks for them."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

from govmon.checks.snapshot import PageRow, load_snapshot
from govmon.store import Link, Page, PageText, Run

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
HOME = "http://www.test.gov.cn/"


def stored_run(store) -> int:
    """A run of a homepage, an article, the homepage's spider view and an attachment, written as the crawl writes."""
    with store.session.begin() as session:
        run = Run(site_id="t", site_code="5300000033", home_url=HOME, started_at=AT, status="complete", host="h",
                  pid=1, settings={}, stats={})
        session.add(run)
        session.flush()
        common = {"run_id": run.id, "url_key": "k", "method": "GET", "depth": 0, "fetched_at": AT, "render": "static"}
        home = Page(url=HOME, kind="page", status=200, title="首页", content_type="text/html",
                    facts={"title": "首页", "nav": [{"name": "办事服务", "url": HOME + "bsfw/"}]}, **common)
        article = Page(url=HOME + "a.html", kind="page", status=200, title="通知", final_url=HOME + "a.html",
                       facts={"title": "通知"}, content_hash="c0ffee", **{**common, "depth": 1})
        spider = Page(url=HOME, kind="spider_view", status=200, title="别的标题", facts={"title": "别的标题"},
                      **common)
        sheet = Page(url=HOME + "f.xlsx", kind="attachment", status=200, error_kind=None,
                     facts={"read_error": "文件已加密"}, **{**common, "method": "HEAD", "depth": 2})
        session.add_all([home, article, spider, sheet])
        session.flush()
        session.add_all([Link(run_id=run.id, source_id=home.id, target=HOME + "a.html", tag="a", attr="href",
                              text="通知", kind="page", internal=True),
                         Link(run_id=run.id, source_id=article.id, target=HOME + "f.xlsx", tag="a", attr="href",
                              text="名单", kind="attachment", internal=True),
                         PageText(page_id=article.id, run_id=run.id, text="正文，国务院办公厅")])
        return run.id


def test_the_rows_hold_every_column_the_rules_read_as_stored(store):
    run_id = stored_run(store)
    with store.session() as session:
        snapshot = load_snapshot(session, run_id)
        stored = {page.id: page for page in session.query(Page).filter(Page.run_id == run_id)}
        assert all(isinstance(page, PageRow) for page in snapshot.pages)
        for page in [*snapshot.pages, *snapshot.spider_views.values()]:
            for column in fields(PageRow):
                assert getattr(page, column.name) == getattr(stored[page.id], column.name), column.name
        assert [page.kind for page in snapshot.pages] == ["page", "page", "attachment"]  # the spider view apart
        assert snapshot.spider_views[snapshot.key(HOME)].title == "别的标题"
        assert snapshot.home is not None and snapshot.home.title == "首页"  # the browser's view is the page
        assert [tuple(link) for link in snapshot.links] == [
            (snapshot.home.id, HOME + "a.html", "a", "href", "通知", "page", True),
            (snapshot.page(HOME + "a.html").id, HOME + "f.xlsx", "a", "href", "名单", "attachment", True)]


def test_texts_are_read_when_a_rule_first_asks_and_only_the_runs(store):
    run_id = stored_run(store)
    other = stored_run(store)
    with store.session() as session:
        snapshot = load_snapshot(session, run_id)
        article, home = snapshot.page(HOME + "a.html"), snapshot.home
        assert snapshot.text(article) == "正文，国务院办公厅"
        assert snapshot.text(home) == ""  # no text stored for it
        assert len(snapshot.load_texts()) == 1  # this run's one text, not the other run's
        again = load_snapshot(session, other)
        assert again.text(again.page(HOME + "a.html")) == "正文，国务院办公厅"


def test_a_repeated_string_is_held_once(store):
    run_id = stored_run(store)
    with store.session() as session:
        snapshot = load_snapshot(session, run_id)
    first, second = snapshot.links
    assert first[3] is second[3]  # "href", read twice from the store, kept once
