"""HOME-1, COL-1 … COL-4 on hand-written snapshots: the boundaries of every age limit and veto count."""

from collections import Counter
from datetime import date, timedelta

import pytest

from govmon.checks.columns import check_columns
from govmon.checks.verdict import verdict
from tests.snapshots import HOME, TODAY, context, items, page, snapshot


def rules(drafts) -> list[tuple[str, str]]:
    return sorted((d.rule, d.target) for d in drafts)


def home_with_nav(*columns: tuple[str, str], latest: date = TODAY, **facts):
    nav = [{"name": name, "url": HOME + path, "parent": None} for name, path in columns]
    return page(HOME, depth=0, nav=nav, latest_listed=latest.isoformat(), **facts)


def column(path: str, *days: date, **facts):
    return page(HOME + path, items=items(*days, base=HOME + path), **facts)


@pytest.mark.parametrize(("age", "stale"), [(13, False), (14, True)])
def test_homepage_is_stale_from_14_days(age: int, stale: bool) -> None:
    home = home_with_nav(latest=TODAY - timedelta(days=age))
    found = [d for d in check_columns(snapshot(home), context()) if d.rule == "HOME-1"]
    assert bool(found) is stale
    if stale:
        assert found[0].evidence["newest"] == (TODAY - timedelta(days=14)).isoformat()
        assert found[0].evidence["age_days"] == 14 and found[0].evidence["max_age_days"] == 14


def test_a_homepage_without_any_readable_date_is_not_judged_rather_than_vetoed() -> None:
    home = page(HOME, depth=0, latest_listed=None)
    ctx = context()
    assert not [d for d in check_columns(snapshot(home), ctx) if d.rule == "HOME-1"]
    assert "人工核查" in ctx.unjudged["HOME-1"]


def test_a_navigation_only_homepage_is_judged_by_its_second_level_pages() -> None:
    gateway = page(HOME, depth=0, navigation_only=True, latest_listed=None, nav=[])
    fresh = page(HOME + "a/", latest_listed=(TODAY - timedelta(days=3)).isoformat())
    old = page(HOME + "b/", latest_listed=(TODAY - timedelta(days=40)).isoformat())
    deep = page(HOME + "a/x/", depth=2, latest_listed=TODAY.isoformat())
    assert not [d for d in check_columns(snapshot(gateway, fresh, old), context()) if d.rule == "HOME-1"]
    stale = fresh.facts["latest_listed"] = (TODAY - timedelta(days=20)).isoformat()
    found = [d for d in check_columns(snapshot(gateway, fresh, old, deep), context()) if d.rule == "HOME-1"]
    assert found and found[0].evidence["judged_by"] == "second_level_pages"
    assert found[0].evidence["newest"] == stale and found[0].evidence["pages_judged"] == 2  # depth 2 not judged


@pytest.mark.parametrize(("age", "stale"), [(13, False), (14, True)])
def test_col_1_dynamics_column_is_stale_from_14_days(age: int, stale: bool) -> None:
    home = home_with_nav(("工作动态", "gzdt/"))
    news = column("gzdt/", TODAY - timedelta(days=age), TODAY - timedelta(days=30))
    found = rules(check_columns(snapshot(home, news), context()))
    assert (("COL-1", HOME + "gzdt/") in found) is stale


@pytest.mark.parametrize(("newest", "stale"), [(date(2026, 5, 23), True), (date(2026, 5, 24), False)])
def test_first_level_notices_are_stale_at_six_months_to_the_day(newest: date, stale: bool) -> None:
    home = home_with_nav(("通知公告", "tzgg/"))
    notices = column("tzgg/", newest)
    drafts = check_columns(snapshot(home, notices), context())
    assert (("COL-1", HOME + "tzgg/") in rules(drafts)) is stale


def test_second_level_notices_and_old_personnel_columns_are_col_2() -> None:
    home = home_with_nav(("政务公开", "zwgk/"))
    crumbs = [{"name": "政务公开", "url": HOME + "zwgk/"}, {"name": "通知公告", "url": HOME + "zwgk/tzgg/"}]
    notices = column("zwgk/tzgg/", date(2026, 4, 1), breadcrumb=crumbs)
    personnel = column("zwgk/rsxx/", date(2025, 11, 23),
                       breadcrumb=[crumbs[0], {"name": "人事信息", "url": HOME + "zwgk/rsxx/"}])
    plans = column("zwgk/ghjh/", date(2025, 11, 24),
                   breadcrumb=[crumbs[0], {"name": "规划计划", "url": HOME + "zwgk/ghjh/"}])
    found = rules(check_columns(snapshot(home, notices, personnel, plans), context()))
    assert ("COL-2", HOME + "zwgk/tzgg/") in found and ("COL-2", HOME + "zwgk/rsxx/") in found
    assert ("COL-2", HOME + "zwgk/ghjh/") not in found  # a year less a day
    assert not [r for r, _ in found if r == "COL-1"]


def test_policy_interpretations_are_not_policy_documents() -> None:
    home = home_with_nav(("政策解读", "zcjd/"))
    assert not rules(d for d in check_columns(snapshot(home, column("zcjd/", date(2024, 1, 1))), context())
                     if d.rule.startswith("COL-1"))


def test_pagination_pages_count_toward_the_newest_item() -> None:
    home = home_with_nav(("要闻动态", "xwzx/"))
    first = column("xwzx/", TODAY - timedelta(days=20), pagination=[HOME + "xwzx/index_1.html"])
    second = page(HOME + "xwzx/index_1.html", items=items(TODAY - timedelta(days=2)))  # newest on page 2: odd, real
    assert "COL-1" not in {d.rule for d in check_columns(snapshot(home, first, second), context())}


def test_a_column_seen_only_in_meta_is_judged_by_its_articles() -> None:
    home = home_with_nav()
    article = page(HOME + "a/t1.html", depth=2, column="部门动态", published=(TODAY - timedelta(days=30)).isoformat())
    found = [d for d in check_columns(snapshot(home, article), context()) if d.rule == "COL-1"]
    assert found and found[0].evidence["column"] == "部门动态" and found[0].evidence["age_days"] == 30


def blank(path: str):
    return page(HOME + path, items=[], empty_list=True)


@pytest.mark.parametrize(("blanks", "veto"), [(4, False), (5, True)])
def test_col_3_blank_columns_are_each_listed_and_veto_from_five(blanks: int, veto: bool) -> None:
    names = [(f"栏目{n}", f"c{n}/") for n in range(blanks)]
    pages = [blank(path) for _, path in names]
    drafts = check_columns(snapshot(home_with_nav(*names), *pages), context())
    found = sorted(d.target for d in drafts if d.rule == "COL-3")
    assert found == sorted(HOME + path for _, path in names)
    result = verdict(Counter(d.rule for d in drafts), context().pack)
    assert ("COL-3" in result["vetoes"]) is veto
    assert (result["result"] == "不合格") is veto


@pytest.mark.parametrize(("stale", "veto"), [(4, False), (5, True)])
def test_five_stale_columns_are_a_veto(stale: int, veto: bool) -> None:
    names = [(f"动态{n}", f"d{n}/") for n in range(stale)]
    pages = [column(path, TODAY - timedelta(days=15)) for _, path in names]
    drafts = check_columns(snapshot(home_with_nav(*names), *pages), context())
    assert sum(d.rule == "COL-1" for d in drafts) == stale
    assert ("COL-1" in verdict(Counter(d.rule for d in drafts), context().pack)["vetoes"]) is veto


def test_a_list_with_items_is_never_blank_even_if_it_says_empty_somewhere() -> None:
    home = home_with_nav(("通知公告", "tzgg/"))
    notices = column("tzgg/", TODAY, empty_list=True)
    assert "COL-3" not in {d.rule for d in check_columns(snapshot(home, notices), context())}


def test_col_4_required_columns_follow_the_site_profile() -> None:
    names = [("政府信息公开指南", "zn/"), ("政府信息公开制度", "zd/"), ("法定主动公开内容", "fd/"),
             ("政府信息公开年报", "nb/"), ("政策解读", "jd/"), ("互动交流", "hd/"), ("财政预决算", "ys/")]
    home = home_with_nav(*names)
    portal = {d.target for d in check_columns(snapshot(home), context()) if d.rule == "COL-4"}
    assert portal == {HOME + "#办事服务", HOME + "#重点领域信息公开"}
    department = {d.target for d in check_columns(snapshot(home), context(site_type="department")) if d.rule == "COL-4"}
    assert department == set()  # 政策解读, 办事服务 and 重点领域 are asked of portals only
    yunnan = {d.target for d in check_columns(snapshot(home), context(pack="yunnan-2022")) if d.rule == "COL-4"}
    assert yunnan == portal | {HOME + "#利企惠民政策"}


def test_sitemap_and_breadcrumb_names_count_for_required_columns() -> None:
    home = home_with_nav()
    sitemap = page(HOME + "wzdt.html", sitemap=[{"name": "网上办事", "url": HOME + "bs/", "parent": None}])
    crumb = page(HOME + "x.html", breadcrumb=[{"name": "重点领域信息公开", "url": ""}])
    missing = {d.target for d in check_columns(snapshot(home, sitemap, crumb), context()) if d.rule == "COL-4"}
    assert HOME + "#办事服务" not in missing and HOME + "#重点领域信息公开" not in missing
