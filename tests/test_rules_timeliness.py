"""TIME-1 … TIME-7 and the ZC-1 deadlines on hand-written snapshots, with deadlines over Chinese holidays."""

from datetime import date

import pytest

from govmon.checks.citizen_deadlines import report_deadlines
from govmon.checks.timeliness import check_timeliness
from govmon.workdays import WorkCalendar
from tests.snapshots import HOME, context, page, snapshot

CAL = WorkCalendar()
POLICY = HOME + "zcwj/202609/t20260930_1.html"
READING = HOME + "zcjd/202610/t20261012_2.html"
TITLE = "滇中市人民政府关于印发滇中市数字经济发展实施方案的通知"


def home():
    return page(HOME, depth=0)


def policy(day: str = "2026-09-30", title: str = TITLE, url: str = POLICY, **facts):
    facts = {"publicity": "此件公开发布", **facts}
    return page(url, depth=2, title=title, column="政策文件", published=day, **facts)


def reading(day: str, url: str = READING, title: str = "《滇中市数字经济发展实施方案》政策解读",
            interprets: str | None = "滇中市数字经济发展实施方案", **facts):
    return page(url, depth=2, title=title, column="政策解读", published=day, interprets=interprets, **facts)


def found(*pages, day: date = date(2026, 11, 23), **ctx) -> dict[str, object]:
    """Findings by (rule, target); a grassroots site unless said, so TIME-4 (annual reports) stays out of the way."""
    drafts = check_timeliness(snapshot(home(), *pages), context(day, **{"site_type": "grassroots", **ctx}))
    return {(d.rule, d.target): d for d in drafts}


@pytest.mark.parametrize(("published", "late"), [("2026-10-10", False), ("2026-10-12", True)])
def test_interpretation_deadline_counts_national_day_and_its_make_up_saturday(published: str, late: bool) -> None:
    result = found(policy(), reading(published))
    assert (("TIME-1", READING) in result) is late
    if late:
        evidence = result[("TIME-1", READING)].evidence
        assert (evidence["policy_date"], evidence["interpretation_date"], evidence["deadline"],
                evidence["working_days"]) == ("2026-09-30", "2026-10-12", "2026-10-10", 4)
        assert evidence["policy"] == POLICY


def test_pairs_are_found_by_links_either_way_as_well_as_by_name() -> None:
    untitled = dict(title="政策图解", interprets=None)
    by_policy_link = found(policy(related={"interpretations": [READING], "policies": []}), reading("2026-10-12", **untitled))
    by_reading_link = found(policy(), reading("2026-10-12", related={"interpretations": [], "policies": [POLICY]},
                                              **untitled))
    assert ("TIME-1", READING) in by_policy_link and ("TIME-1", READING) in by_reading_link


def test_a_policy_without_interpretation_is_time_2_once_its_deadline_has_passed() -> None:
    assert ("TIME-2", POLICY) in found(policy())
    recent = policy("2026-11-20")  # due 2026-11-25
    assert ("TIME-2", POLICY) not in found(recent)
    assert found(policy(), day=date(2026, 10, 10)) == {}  # the deadline day itself
    assert ("TIME-2", POLICY) in found(policy(), day=date(2026, 10, 11))


@pytest.mark.parametrize("title", ["滇中市人民政府关于张三等同志职务任免的通知",
                                   "滇中市人民政府办公室关于调整滇中市防汛工作领导小组成员的通知"])
def test_appointments_and_group_changes_need_no_interpretation(title: str) -> None:
    assert found(policy(title=title)) == {}


def test_old_policies_are_not_asked_for_an_interpretation_or_a_label() -> None:
    assert found(policy("2025-10-31", publicity=None)) == {}


@pytest.mark.parametrize(("published", "late"), [("2027-02-15", False), ("2027-02-16", True)])
def test_an_interpretation_over_the_2027_spring_festival_is_judged_provisionally(published: str, late: bool) -> None:
    """2027's 调休 is not published: 5–8 February (除夕 to 初三) and the 补假 on 9 and 10 February are off."""
    result = found(policy("2027-02-04"), reading(published), day=date(2027, 3, 1))
    assert (("TIME-1", READING) in result) is late
    if late:
        evidence = result[("TIME-1", READING)].evidence
        assert (evidence["deadline"], evidence["working_days"]) == ("2027-02-15", 4)
        assert evidence["calendar"] == "暂定：2027年调休安排未发布，按法定节假日推算"
        assert evidence["detail"].endswith("（暂定：2027年调休安排未发布，按法定节假日推算）")


def test_a_late_interpretation_within_a_published_year_is_not_provisional() -> None:
    evidence = found(policy(), reading("2026-10-12"))[("TIME-1", READING)].evidence
    assert "calendar" not in evidence and "暂定" not in evidence["detail"]


def test_a_year_before_any_calendar_leaves_time_1_unjudged() -> None:
    ctx = context(date(2003, 7, 1), site_type="grassroots")
    drafts = check_timeliness(snapshot(home(), policy("2003-06-02"), reading("2003-06-20")), ctx)
    assert not [d for d in drafts if d.rule in ("TIME-1", "TIME-2")]
    assert "2003" in ctx.unjudged["TIME-1"]


def with_disclosure(made: date, published: date):
    return page(HOME + "zwgk/t1.html", depth=2, title="某某通知", published=published.isoformat(),
                disclosure={"made": made.isoformat(), "published": published.isoformat()})


@pytest.mark.parametrize(("days", "late"), [(20, False), (21, True)])
def test_time_3_made_to_published_limit_is_20_working_days(days: int, late: bool) -> None:
    made = date(2026, 9, 15)
    published = CAL.add(made, days)
    result = found(with_disclosure(made, published))
    assert (("TIME-3", HOME + "zwgk/t1.html") in result) is late
    if late:
        assert result[("TIME-3", HOME + "zwgk/t1.html")].evidence["deadline"] == CAL.add(made, 20).isoformat()


def annual_list(*reports: tuple[int, str]):
    items = [{"title": f"滇中市发展和改革委员会{year}年政府信息公开工作年度报告", "url": f"{HOME}nb/t{year}.html",
              "date": day, "date_text": day} for year, day in reports]
    return page(HOME + "nb/", items=items, column="政府信息公开年报")


@pytest.mark.parametrize(("published", "late"), [("2026-01-31", False), ("2026-02-01", True)])
def test_time_4_a_departments_annual_report_is_due_on_31_january(published: str, late: bool) -> None:
    result = found(annual_list((2025, published), (2024, "2025-01-20")), site_type="department")
    assert (("TIME-4", HOME + "nb/t2025.html") in result) is late
    portal = found(annual_list((2025, published), (2024, "2025-01-20")), site_type="portal", level="市")
    assert portal == {}  # a city government has until 31 March


def test_a_missing_annual_report_points_at_the_column_and_the_year_due_follows_as_of() -> None:
    nav = [{"name": "政府信息公开年报", "url": HOME + "nb/", "parent": None}]
    site = [page(HOME, depth=0, nav=nav), annual_list((2024, "2025-01-20"))]
    drafts = check_timeliness(snapshot(*site), context(site_type="department"))
    assert [(d.rule, d.target, d.evidence["report_year"], d.evidence["due"]) for d in drafts] == [
        ("TIME-4", HOME + "nb/", 2025, "2026-01-31")]
    before_due = check_timeliness(snapshot(*site), context(date(2026, 1, 20), site_type="department"))
    assert before_due == []  # in January 2026 the 2024 report is the one due, and it is there


def releases(*months: tuple[int, int, str]):
    items = [{"title": f"{year}年1—{month}月滇中市经济运行情况", "url": f"{HOME}tjxx/t{year}{month:02d}.html",
              "date": day, "date_text": day} for year, month, day in months]
    return page(HOME + "tjxx/", items=items, column="统计信息")


def test_time_5_periodic_releases_missing_and_late_months() -> None:
    months = [(2026, 10, "2026-11-18"), (2026, 9, "2026-10-18"), (2026, 8, "2026-09-25"), (2026, 6, "2026-07-18"),
              (2026, 5, "2026-06-18"), (2026, 4, "2026-05-18"), (2026, 3, "2026-04-18")]
    drafts = check_timeliness(snapshot(home(), releases(*months)), context(site_type="grassroots"))
    result = {(d.rule, d.target): d.evidence for d in drafts}
    assert set(result) == {("TIME-5", f"{HOME}tjxx/t202608.html"), ("TIME-5", f"{HOME}#国民经济运行:2026-07")}
    late = result[("TIME-5", f"{HOME}tjxx/t202608.html")]
    assert (late["due"], late["published"], late["days_late"]) == ("2026-09-20", "2026-09-25", 5)
    assert result[("TIME-5", f"{HOME}#国民经济运行:2026-07")]["due"] == "2026-08-20"


def test_a_series_the_site_never_publishes_is_not_judged() -> None:
    assert check_timeliness(snapshot(home(), releases()), context(site_type="grassroots")) == []


def budget(approved: str, published: str):
    return page(HOME + "czyjs/t1.html", depth=2, title="滇中市2026年市级部门预算公开", published=published,
                approved=approved)


@pytest.mark.parametrize(("published", "late"), [("2026-02-01", False), ("2026-02-02", True)])
def test_time_6_budgets_are_due_20_days_after_approval(published: str, late: bool) -> None:
    assert (("TIME-6", HOME + "czyjs/t1.html") in found(budget("2026-01-12", published))) is late


def test_a_policy_without_its_publicity_label_is_time_7() -> None:
    result = found(policy(publicity=None), reading("2026-10-09"))
    assert set(result) == {("TIME-7", POLICY)}


def test_zc_1_citizen_report_deadlines() -> None:
    assert report_deadlines(date(2026, 9, 30), context()) == (date(2026, 10, 9), date(2026, 12, 30))
    assert report_deadlines(date(2026, 11, 30), context()) == (date(2026, 12, 2), date(2027, 2, 28))


def test_a_missing_annual_report_is_not_judged_when_its_column_could_not_be_read() -> None:
    nav = [{"name": "政府信息公开年报", "url": HOME + "nb/", "parent": None}]
    unreadable = page(HOME + "nb/")
    unreadable.error_kind, unreadable.facts = "parse_error", {}
    ctx = context(site_type="department")
    assert check_timeliness(snapshot(page(HOME, depth=0, nav=nav), unreadable), ctx) == []
    assert "年报栏目页面未能获取或解析" in ctx.unjudged["TIME-4"]


@pytest.mark.parametrize(("interprets", "paired"), [
    ("数字经济发展实施方案", True),  # the interpretation's name lies within the policy's
    ("滇中市数字经济发展实施方案（2026—2028年）", True),  # the policy's name lies within the interpretation's
    ("滇中市乡村振兴实施方案", False),
])
def test_names_pair_when_either_contains_the_other(interprets: str, paired: bool) -> None:
    result = found(policy(), reading("2026-10-12", interprets=interprets))
    assert (("TIME-1", READING) in result) is paired
    assert (("TIME-2", POLICY) in result) is not paired


def test_the_earliest_interpretation_is_judged_and_the_policys_own_link_breaks_a_same_day_tie() -> None:
    second, later = HOME + "zcjd/202610/t20261012_3.html", HOME + "zcjd/202610/t20261013_4.html"
    readings = (reading("2026-10-13", url=later), reading("2026-10-12"), reading("2026-10-12", url=second))
    unlinked = found(policy(), *readings)
    linked = found(policy(related={"interpretations": [second], "policies": []}), *readings)
    assert [target for rule, target in unlinked if rule == "TIME-1"] == [READING]  # the first of the day, in crawl order
    assert [target for rule, target in linked if rule == "TIME-1"] == [second]


def test_a_page_that_interprets_a_policy_is_no_policy_whatever_its_column() -> None:
    misfiled = page(READING, depth=2, title="《滇中市数字经济发展实施方案》政策解读", column="政策文件",
                    published="2026-10-12", interprets="滇中市数字经济发展实施方案")
    assert set(found(policy(), misfiled)) == {("TIME-1", READING)}  # no TIME-2 nor TIME-7 for the interpretation
