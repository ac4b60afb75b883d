"""Columns end to end: a real crawl of a local site follows a column's pager past the depth limit, stores
the list facts, and `govmon check --as-of` gives the same answer for the same day however often it runs."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest_twisted
from click.testing import CliRunner

from govmon.cli import main
from govmon.crawler.run import schedule_crawl
from govmon.registry import load_registry
from govmon.store import Page, open_store
from tests.conftest import write_registry
from tests.servers import SiteServer, html

NAV = '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/xwzx/">要闻动态</a></li>' \
      '<li><a href="/tzgg/">通知公告</a></li><li><a href="/ghjh/">规划计划</a></li><li><a href="/hdjl/">互动交流</a></li></ul>'


def frame(title: str, main: str) -> str:
    return f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{NAV}<div class="main">{main}</div></body></html>'


def news_page(number: int, days: list[date], last: int) -> str:
    entries = "".join(f'<li><a href="/xwzx/t{d:%Y%m%d}_{number}{n}.html">本市召开第{number}{n}次工作推进会议</a>'
                      f'<span>{d:%Y-%m-%d}</span></li>' for n, d in enumerate(days))
    nxt = f'<a href="index_{number + 1}.html">下一页</a>' if number < last else ""
    return frame("要闻动态", f'<ul class="list">{entries}</ul><div class="page">{nxt}</div>')


def routes(newest: date) -> dict:
    pages = {}
    for number in range(4):  # newest item on the last page: only a crawl that follows the pager sees it
        days = [newest - timedelta(days=60 - number)] * 3 if number < 3 else [newest]
        name = "/xwzx/" if number == 0 else f"/xwzx/index_{number}.html"
        pages[name] = html(news_page(number, days, 3))
    home = frame("测试市人民政府", '<div class="block"><h3>要闻</h3><ul>'
                 f'<li><a href="/xwzx/t{newest:%Y%m%d}_1.html">本市召开全市经济工作会议</a><span>{newest:%m-%d}</span></li>'
                 '</ul></div>')
    pages["/"] = html(home)
    pages["/tzgg/"] = html(frame("通知公告", '<div class="empty">暂无信息</div>'))
    pages["/ghjh/"] = html(frame("规划计划", '<div class="empty">暂无信息</div>'))
    pages["/hdjl/"] = html(frame("互动交流", "<p>互动交流</p>"))
    return pages


@pytest_twisted.ensureDeferred
async def test_pager_is_followed_past_the_depth_limit_and_as_of_is_deterministic(tmp_path):
    crawled = date(2026, 11, 20)
    db = f"sqlite:///{tmp_path / 'g.db'}"
    store = open_store(db)
    with SiteServer(routes(crawled)) as server:
        registry = write_registry(tmp_path / "govmon.toml", server.url + "/", max_depth=1, max_list_pages=3)
        run = await schedule_crawl(store, load_registry(registry).sites[0], db)
    with store.session() as session:
        lists = {p.url.removeprefix(server.url): p.facts for p in session.query(Page).filter(Page.run_id == run.id)
                 if p.facts.get("items")}
    assert set(lists) == {"/", "/xwzx/", "/xwzx/index_1.html", "/xwzx/index_2.html"}  # 3 list pages at depth 1
    assert lists["/"]["items"][0]["date"] == "2026-11-20"  # "11-20" dated from the crawl day's year
    assert "max_list_pages" in run.stats["limits_reached"]

    runner = CliRunner()

    def check(day: str) -> dict:
        out = tmp_path / day
        result = runner.invoke(main, ["report", "t", "--config", str(registry), "--db", db, "--as-of", day,
                                      "--format", "json", "--out", str(out)])
        assert result.exit_code == 0, result.output
        doc = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
        return {(f["rule"], f["target"].removeprefix(server.url)): f["evidence"] for f in doc["findings"]
                if f["rule"].startswith(("HOME", "COL"))}

    first, again = check("2026-12-01"), check("2026-12-01")
    assert first == again
    # The pager stopped at 3 pages: the news column's newest item seen is 69 days old on 1 December.
    assert first[("COL-1", "/xwzx/")]["newest"] == "2026-09-23" and first[("COL-1", "/xwzx/")]["age_days"] == 69
    assert ("COL-3", "/tzgg/") in first and ("COL-3", "/ghjh/") in first
    assert ("HOME-1", "/") not in first  # 11 days after the homepage's newest item
    later = check("2026-12-04")
    assert later[("HOME-1", "/")]["age_days"] == 14
