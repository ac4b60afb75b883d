"""The demo's timeliness defects (TIME-1 … TIME-7): deadlines counted in Chinese working days across the 2025 and
2026 holidays, and pages that carry, as the extractors read them, exactly the facts the manifest's entries rely on.

The TIME-1, -2, -3, -6 and -7 defects are judged here again from the extracted facts of every article page of both
sites, independently of the checks, so the manifest lists every such defect the pages carry and no other.
"""

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from govmon.checks.pack import load_pack
from govmon.demo.portal import HOLIDAY_POLICIES, generate
from govmon.facts import extract_facts, interpreted_name, policy_name
from govmon.workdays import WorkCalendar

AS_OF = date(2026, 11, 23)
PORTAL, SUBSITE = "http://www.dianzhong.gov.cn", "http://www.dzfgw.cn"
CALENDAR = WorkCalendar()
NEEDS = tuple(load_pack("national").rule("TIME-2")["needs"])  # documents that need an interpretation
EXEMPT = tuple(load_pack("national").rule("TIME-2")["exempt"])
SINCE = date(2025, 11, 23)  # 12 months before AS_OF
ARTICLE = re.compile(r"/t\d{8}_\d+\.html$")  # the CMS's article pages on both sites


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("demo"), AS_OF)


@pytest.fixture(scope="module")
def manifest(out) -> dict:
    text = (out / "manifest.json").read_text(encoding="utf-8")
    return json.loads(text.replace("{portal}", PORTAL).replace("{subsite}", SUBSITE))


@pytest.fixture(scope="module")
def facts(out, manifest) -> dict[str, dict]:
    """The extracted facts of every HTML page of both sites, by URL."""
    found = {}
    for folder, origin in (("site", PORTAL), ("subsite", SUBSITE)):
        encodings = manifest["encodings"] if folder == "site" else {}
        for file in sorted((out / folder).rglob("*.html")):
            path = "/" + str(file.relative_to(out / folder)).removesuffix("index.html")
            html = file.read_text(encoding=encodings.get(path, "utf-8"))
            found[origin + path] = extract_facts(html, origin + path, AS_OF, navigation=False)
    return found


def seeded(manifest: dict, rule: str, site: str = "demo") -> list[dict]:
    return [d for d in manifest["defects"] if d["rule"] == rule and d["site"] == site]


def day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def published(fact: dict) -> date:
    """发布日期 of the 信息公开 metadata, else the article's date (as TIME-1 … TIME-7 take it)."""
    return day((fact["disclosure"] or {}).get("published") or fact["published"])


def _normal(name: str | None) -> str:
    return re.sub(r"[\s《》〈〉“”\"]", "", name or "")


def policies_and_interpretations(facts: dict) -> tuple[dict[str, dict], dict[str, dict]]:
    articles = {url: f for url, f in facts.items() if ARTICLE.search(url)}
    interpretations = {url: f for url, f in articles.items() if f["column"] == "政策解读" or f["interprets"]}
    policies = {url: f for url, f in articles.items() if f["column"] == "政策文件" and url not in interpretations}
    return policies, interpretations


def paired(url: str, policy: dict, interpretations: dict[str, dict]) -> list[str]:
    """The interpretations of a policy: linked either way, or naming it."""
    name = _normal(policy_name(policy["title"]))
    found = []
    for other, fact in interpretations.items():
        named = _normal(fact["interprets"] or interpreted_name(fact["title"]))
        if (other in policy["related"]["interpretations"] or url in fact["related"]["policies"]
                or (name and named and (name in named or named in name))):
            found.append(other)
    return sorted(found, key=lambda other: published(interpretations[other]))


# ----- the deadlines across the holidays


def test_holiday_deadlines_are_the_calendars_not_a_weekday_count():
    deadlines = {policy: CALENDAR.add(policy, 3) for policy, _ in HOLIDAY_POLICIES}
    assert deadlines == {date(2025, 1, 24): date(2025, 2, 5), date(2025, 9, 30): date(2025, 10, 11),
                         date(2026, 2, 13): date(2026, 2, 25), date(2026, 9, 30): date(2026, 10, 10)}
    assert CALENDAR.why(date(2025, 10, 11)) == CALENDAR.why(date(2026, 10, 10)) == "调休上班（国庆节）"  # Saturdays
    weekdays = sum((date(2025, 1, 24) + timedelta(days=n)).weekday() < 5 for n in range(1, 13))
    assert weekdays == 8 and CALENDAR.between(date(2025, 1, 24), date(2025, 2, 5)) == 3  # on time, though


def test_holiday_interpretations_give_the_exact_deadlines(manifest):
    late = {d["policy_date"]: d for d in seeded(manifest, "TIME-1") if d["policy_date"] < "2026-11-01"}
    assert {(d["policy_date"], d["interpretation_date"], d["deadline"], d["working_days"]) for d in late.values()} == {
        ("2025-01-24", "2025-02-06", "2025-02-05", 4),
        ("2025-09-30", "2025-10-13", "2025-10-11", 4),
        ("2026-02-13", "2026-02-26", "2026-02-25", 4),
    }
    missing = {d["policy_date"]: d["deadline"] for d in seeded(manifest, "TIME-2")}
    assert missing["2026-09-30"] == "2026-10-10" < AS_OF.isoformat()


def test_holiday_interpretations_on_the_deadline_are_on_time(facts, manifest):
    policies, interpretations = policies_and_interpretations(facts)
    flagged = {d["where"] for d in seeded(manifest, "TIME-1")}
    pairs = {(published(policy).isoformat(), published(interpretations[other]).isoformat()): other
             for url, policy in policies.items() for other in paired(url, policy, interpretations)}
    for policy_day, interpretation_day in HOLIDAY_POLICIES:
        if interpretation_day:
            assert (policy_day.isoformat(), interpretation_day.isoformat()) in pairs
    assert pairs["2025-01-24", "2025-02-05"] not in flagged and pairs["2025-09-30", "2025-10-11"] not in flagged
    assert pairs["2025-01-24", "2025-02-06"] in flagged and pairs["2025-09-30", "2025-10-13"] in flagged


# ----- the facts the entries rely on


def test_late_interpretations_are_linked_both_ways_and_named(facts, manifest):
    for d in seeded(manifest, "TIME-1"):
        policy, interpretation = facts[d["policy"]], facts[d["where"]]
        assert policy["column"] == "政策文件" and interpretation["column"] == "政策解读"
        assert policy["disclosure"]["published"] == policy["published"] == d["policy_date"]
        assert interpretation["published"] == d["interpretation_date"]
        assert policy["related"]["interpretations"] == [d["where"]]
        assert interpretation["related"]["policies"] == [d["policy"]]
        assert _normal(interpretation["interprets"]) == _normal(policy_name(policy["title"]))
        start, end = day(d["policy_date"]), day(d["interpretation_date"])
        assert CALENDAR.add(start, 3) == day(d["deadline"]) < end
        assert CALENDAR.between(start, end) == d["working_days"]
    assert sorted(d["working_days"] for d in seeded(manifest, "TIME-1")) == [4, 4, 4, 6]


def test_missing_interpretations_are_documents_that_need_one(facts, manifest):
    _policies, interpretations = policies_and_interpretations(facts)
    for d in seeded(manifest, "TIME-2"):
        policy = facts[d["where"]]
        assert any(w in policy["title"] for w in NEEDS) and not any(w in policy["title"] for w in EXEMPT)
        assert policy["related"]["interpretations"] == [] and paired(d["where"], policy, interpretations) == []
        assert SINCE <= published(policy) == day(d["policy_date"])
        assert CALENDAR.add(day(d["policy_date"]), 3) == day(d["deadline"]) < AS_OF
        assert policy["publicity"] == "此件公开发布"


def test_made_to_published_takes_30_working_days(facts, manifest):
    [late] = seeded(manifest, "TIME-3")
    disclosure = facts[late["where"]]["disclosure"]
    assert (disclosure["made"], disclosure["published"]) == (late["made"], late["published"])
    made, published_day = day(late["made"]), day(late["published"])
    assert CALENDAR.between(made, published_day) == late["working_days"] == 30
    assert CALENDAR.add(made, 20) == day(late["deadline"]) < published_day
    assert late["where"].startswith(f"{PORTAL}/zcwj/")


def test_department_annual_report_is_late_and_the_portals_are_on_time(facts, manifest):
    [late] = seeded(manifest, "TIME-4", "subsite")
    assert (late["report_year"], late["published"], late["due"]) == (2025, "2026-02-20", "2026-01-31")
    assert facts[late["where"]]["title"] == "滇中市发展和改革委员会2025年政府信息公开工作年度报告"
    assert facts[late["where"]]["published"] == late["published"]
    listed = {item["title"]: item["date"] for item in facts[f"{SUBSITE}/zfxxgknb/"]["items"]}
    assert listed["滇中市发展和改革委员会2025年政府信息公开工作年度报告"] == "2026-02-20"
    earlier = {title: published_on for title, published_on in listed.items() if "2025年" not in title}
    assert len(earlier) == 4
    for title, published_on in earlier.items():  # each year's report by 31 January of the next
        year = int(re.search(r"(\d{4})年", title)[1])
        assert date(year + 1, 1, 1) <= day(published_on) <= date(year + 1, 1, 31), title
    portal = {item["title"]: item["date"] for item in facts[f"{PORTAL}/zwgk/zfxxgknb/"]["items"]}
    assert portal["滇中市人民政府2025年政府信息公开工作年度报告"] <= "2026-03-31"
    assert not seeded(manifest, "TIME-4")


def test_economic_releases_miss_one_month_and_come_late_once(facts, manifest):
    missing, late = sorted(seeded(manifest, "TIME-5"), key=lambda d: d["where"])
    assert missing["where"] == f"{PORTAL}/#国民经济运行:2026-08" and missing["due"] == "2026-09-20"
    assert (late["month"], late["due"], late["published"]) == ("2026-06", "2026-07-20", "2026-07-25")
    releases = {}
    for url in (f"{PORTAL}/zwgk/fdzdgknr/tjxx/", f"{PORTAL}/zwgk/fdzdgknr/tjxx/index_1.html"):
        for item in facts.get(url, {}).get("items", []):
            month = int(re.search(r"年(?:1—)?(\d{1,2})月", item["title"])[1])
            releases[f"{item['title'][:4]}-{month:02d}"] = (item["url"], item["date"])
    judged = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]  # due dates past by AS_OF
    assert [month for month in judged if month not in releases] == ["2026-08"]
    assert releases["2026-06"] == (late["where"], "2026-07-25")
    assert facts[late["where"]]["title"] == "2026年1—6月滇中市经济运行情况"
    for month in judged:
        if month not in ("2026-06", "2026-08"):
            year, number = map(int, month.split("-"))
            end = date(year + number // 12, number % 12 + 1, 1) - timedelta(days=1)
            assert day(releases[month][1]) <= end + timedelta(days=20), month


def test_budget_approved_30_days_before_publication(facts, manifest):
    [late] = seeded(manifest, "TIME-6")
    assert (late["approved"], late["published"], late["due"], late["days"]) == (
        "2026-01-12", "2026-02-11", "2026-02-01", 30)
    assert (facts[late["where"]]["approved"], facts[late["where"]]["published"]) == ("2026-01-12", "2026-02-11")
    budgets = {url: f for url, f in facts.items()
               if url.startswith(f"{PORTAL}/zwgk/fdzdgknr/czyjs/") and ARTICLE.search(url)}
    approved = {url: (f["approved"], f["published"]) for url, f in budgets.items() if f["approved"]}
    assert len(budgets) == 10 and len(approved) == 2
    [(on_time, published_on)] = [dates for url, dates in approved.items() if url != late["where"]]
    assert (day(published_on) - day(on_time)).days <= 20


def test_only_one_policy_lacks_its_publicity_label(facts, manifest):
    [unlabelled] = seeded(manifest, "TIME-7")
    policies, interpretations = policies_and_interpretations(facts)
    assert [url for url, f in policies.items() if not f["publicity"]] == [unlabelled["where"]]
    assert paired(unlabelled["where"], policies[unlabelled["where"]], interpretations)  # it has its 解读
    assert SINCE <= published(policies[unlabelled["where"]]) == day(unlabelled["policy_date"])
    assert any(url.startswith(SUBSITE) for url in policies)  # the sub-site's 政策文件 are labelled too


# ----- every defect the facts show is in the manifest


def test_the_facts_show_exactly_the_manifests_timeliness_defects(facts, manifest):
    policies, interpretations = policies_and_interpretations(facts)
    found = set()
    for url, policy in policies.items():
        published_on, title = published(policy), policy["title"]
        deadline = CALENDAR.add(published_on, 3)
        others = paired(url, policy, interpretations)
        if others and published(interpretations[others[0]]) > deadline:
            found.add(("TIME-1", others[0]))
        if (not others and published_on >= SINCE and deadline < AS_OF and any(w in title for w in NEEDS)
                and not any(w in title for w in EXEMPT)):
            found.add(("TIME-2", url))
        if published_on >= SINCE and not policy["publicity"]:
            found.add(("TIME-7", url))
    for url, fact in facts.items():
        disclosure = fact["disclosure"] or {}
        if disclosure.get("made") and disclosure.get("published"):
            if day(disclosure["published"]) > CALENDAR.add(day(disclosure["made"]), 20):
                found.add(("TIME-3", url))
        if fact["approved"] and (published(fact) - day(fact["approved"])).days > 20:
            found.add(("TIME-6", url))
    rules = ("TIME-1", "TIME-2", "TIME-3", "TIME-6", "TIME-7")
    assert found == {(d["rule"], d["where"]) for d in manifest["defects"] if d["rule"] in rules}
