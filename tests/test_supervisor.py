"""The supervisor report from hand-made rectification lists of three sites: verdicts, the period's counts, what
changed, the trends, and its renderings (HTML with charts, the quarterly 通报, the digest)."""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date

import pytest
from lxml import html as lxml_html

from govmon.checks.catalogue import RULES
from govmon.checks.pack import load_pack
from govmon.checks.verdict import verdict
from govmon.reports.document import SCHEMA as LIST_SCHEMA
from govmon.reports.document import validate
from govmon.reports.periods import period_bounds
from govmon.reports.supervisor import (
    SCHEMA,
    digest,
    digest_text,
    render_bulletin_html,
    render_supervisor_html,
    supervisor_doc,
    write_digest_html,
    write_supervisor_json,
)

PACK = load_pack("national")
SVG = "{http://www.w3.org/2000/svg}"
WEEK = period_bounds("weekly", date(2026, 10, 12))  # 2026-W41: 5–11 October


def finding(rule: str, n: int, state: str, reported: str, overdue: bool = False) -> dict:
    return {"id": n, "rule": rule, "class": RULES[rule].cls, "title": RULES[rule].title, "description": "",
            "target": f"http://www.test.gov.cn/{rule}/{n}", "where": [], "where_total": 0,
            "evidence": {"reason": "other", "status": None, "detail": None}, "source": RULES[rule].source,
            "threshold_status": "confirmed", "fix": RULES[rule].fix, "first_seen": reported, "last_seen": reported,
            "state": state, "reported": reported, "deadline": None, "deadline_note": None, "overdue": overdue}


def fixed(rule: str, fixed_at: str) -> dict:
    return {"rule": rule, "class": RULES[rule].cls, "title": RULES[rule].title, "target": f"http://x/{rule}",
            "first_seen": "2026-09-01T01:00:00+00:00", "reported": "2026-09-01T01:00:00+00:00", "fixed_at": fixed_at,
            "deadline": "2026-09-15", "on_time": False}


def document(site_id: str, name: str, findings: list[dict], fixes: list[dict] = (), unjudged: dict | None = None,
             media: list[dict] = ()) -> dict:
    by_rule = Counter(f["rule"] for f in findings)
    doc = {
        "schema": LIST_SCHEMA, "generated_at": "2026-10-12T08:00:00+08:00", "as_of": "2026-10-11",
        "since": "2026-10-04T16:00:00+00:00",
        "site": {"id": site_id, "name": name, "site_code": "5300000033", "home_url": f"http://{site_id}.gov.cn/",
                 "sponsor": f"{name}办公室", "admin": None},
        "run": {"id": 1, "started_at": "2026-10-11T01:00:00+00:00", "finished_at": None, "status": "complete",
                "reason": None, "pages": 10, "links": 20, "errors": 0},
        "pack": {"id": PACK.id, "name": PACK.name},
        "media": list(media),
        "verdict": verdict(by_rule, PACK, unjudged),
        "summary": {"total": len(findings), "by_class": {c: 0 for c in ("veto", "deduct", "advice")},
                    "by_rule": [{"rule": r, "title": RULES[r].title, "class": RULES[r].cls, "count": c}
                                for r, c in sorted(by_rule.items())],
                    "states": {"new": 0, "open": 0, "reopened": 0, "overdue": 0, "fixed": len(fixes)}},
        "findings": findings,
        "fixed": list(fixes),
    }
    validate(doc)  # the hand-made documents follow the real rectification list schema
    return doc


def site_docs() -> list[dict]:
    a = document("a", "甲市人民政府", [
        finding("LINK-1", 1, "reopened", "2026-10-04T17:00:00+00:00"),  # 5 Oct 01:00 in China: inside the week
        finding("LINK-2", 2, "open", "2026-09-20T01:00:00+00:00"),
        finding("LINK-2", 3, "new", "2026-10-09T01:00:00+00:00"),
    ], fixes=[fixed("LINK-3", "2026-10-04T16:30:00+00:00"),  # 5 Oct 00:30 in China: fixed this week
              fixed("LINK-2", "2026-10-04T15:00:00+00:00")],  # 4 Oct 23:00 in China: the week before
        unjudged={"AVAIL-1": "近7天首页监测数据不足"})
    b = document("b", "乙局", [
        finding("HOME-1", 10, "open", "2026-09-01T01:00:00+00:00", overdue=True),
        finding("LINK-2", 11, "open", "2026-09-10T01:00:00+00:00", overdue=True),
        finding("COL-3", 12, "open", "2026-10-06T01:00:00+00:00"),  # first found on Tuesday, still there on Sunday
        *(finding("COL-3", n, "new", "2026-10-10T23:00:00+00:00") for n in range(13, 17)),
    ], media=[{"account": "b-wechat", "verdict": "dormant", "reason": None, "latest": "2026-09-01",
               "latest_title": "旧闻", "checked_at": "2026-10-11T00:00:00+00:00"}])
    c = {"site": {"id": "c", "name": "丙镇", "sponsor": "丙镇人民政府", "home_url": "http://c.gov.cn/"}}
    return [a, b, c]


def row(day: date, site_id: str, result: str, open_: int, vetoes: tuple[str, ...] = ()) -> dict:
    return {"day": day, "site_id": site_id, "result": result, "provisional": False, "score": 90.0,
            "vetoes": list(vetoes), "counts": {"by_rule": {}, "new": 0, "open": open_, "reopened": 0, "fixed": 0,
                                               "overdue": 0}}


HISTORY = [
    row(date(2026, 10, 3), "a", "不合格", 9, ("AVAIL-1",)),
    row(date(2026, 10, 4), "a", "不合格", 3, ("HOME-1",)),
    row(date(2026, 10, 4), "b", "不合格", 2, ("HOME-1",)),
    row(date(2026, 10, 10), "a", "合格", 4),
    row(date(2026, 10, 10), "b", "不合格", 7, ("HOME-1", "COL-3")),
    row(date(2026, 10, 11), "a", "合格", 3),
    row(date(2026, 10, 11), "b", "不合格", 7, ("HOME-1", "COL-3")),
]


@pytest.fixture
def doc() -> dict:
    label, first, last = WEEK
    return supervisor_doc("weekly", label, first, last, site_docs(), HISTORY)


def by_id(doc: dict) -> dict[str, dict]:
    return {site["id"]: site for site in doc["sites"]}


def test_each_site_gets_its_verdict_score_and_veto_reasons(doc):
    assert (doc["schema"], doc["label"], doc["first_day"], doc["last_day"]) == (SCHEMA, "2026-W41", "2026-10-05",
                                                                               "2026-10-11")
    sites = by_id(doc)
    assert [s["id"] for s in doc["sites"]] == ["a", "b", "c"]
    assert {k: sites["a"][k] for k in ("result", "provisional", "score", "vetoes")} == {
        "result": "合格", "provisional": True, "score": 98.8, "vetoes": []}
    assert sites["a"]["unjudged"] == {"AVAIL-1": "近7天首页监测数据不足"}
    assert {k: sites["b"][k] for k in ("result", "provisional", "score", "vetoes")} == {
        "result": "不合格", "provisional": False, "score": 99.9,
        "vetoes": [{"rule": "COL-3", "title": "空白栏目"}, {"rule": "HOME-1", "title": "首页不更新"}]}
    assert {k: sites["c"][k] for k in ("result", "provisional", "score", "vetoes", "run")} == {
        "result": "无采集", "provisional": False, "score": None, "vetoes": [], "run": None}


def test_counts_by_rule_and_by_state_within_the_period(doc):
    sites = by_id(doc)
    counts = {site_id: {k: sites[site_id][k] for k in ("open", "new", "reopened", "fixed", "overdue")}
              for site_id in sites}
    assert counts == {
        "a": {"open": 3, "new": 2, "reopened": 1, "fixed": 1, "overdue": 0},  # the fix on 4 Oct is last week's
        "b": {"open": 7, "new": 5, "reopened": 0, "fixed": 0, "overdue": 2},  # Tuesday's blank column is new too
        "c": {"open": 0, "new": 0, "reopened": 0, "fixed": 0, "overdue": 0},
    }
    assert [(r["rule"], r["count"]) for r in sites["b"]["by_rule"]] == [("COL-3", 5), ("HOME-1", 1), ("LINK-2", 1)]
    assert [(r["rule"], r["count"]) for r in sites["a"]["by_rule"]] == [("LINK-2", 2), ("LINK-1", 1)]
    assert sites["b"]["media"] == [
        {"account": "b-wechat", "verdict": "dormant", "reason": None, "latest": "2026-09-01"}]


def test_totals_across_sites(doc):
    totals = doc["totals"]
    assert {k: totals[k] for k in ("sites", "judged", "uncrawled", "passed", "provisional", "failed", "pass_rate",
                                   "open", "new", "reopened", "fixed", "overdue", "rounds")} == {
        "sites": 3, "judged": 2, "uncrawled": 1, "passed": 1, "provisional": 1, "failed": 1, "pass_rate": 50.0,
        "open": 10, "new": 7, "reopened": 1, "fixed": 1, "overdue": 2, "rounds": 2}
    assert [(r["rule"], r["count"], r["sites"]) for r in totals["by_rule"]] == [
        ("COL-3", 5, 1), ("LINK-2", 3, 2), ("HOME-1", 1, 1), ("LINK-1", 1, 1)]
    assert [(f["label"], f["count"], f["site_count"], f["sites"]) for f in totals["by_family"]] == [
        ("内容更新", 6, 1, ["乙局"]), ("链接可用性", 4, 2, ["甲市人民政府", "乙局"])]
    assert totals["media"] == {"active": 0, "dormant": 1, "closed": 0, "unknown": 0}


def test_what_changed_since_the_period_before(doc):
    sites = by_id(doc)
    assert sites["a"]["previous"] == {"day": "2026-10-04", "result": "不合格", "provisional": False,
                                      "vetoes": ["HOME-1"]}
    assert sites["a"]["changed"] and not sites["b"]["changed"] and not sites["c"]["changed"]
    assert sites["b"]["new_vetoes"] == [{"rule": "COL-3", "title": "空白栏目"}]  # HOME-1 was vetoed before
    assert sites["c"]["previous"] is None


def test_trends_per_day_from_the_daily_verdicts(doc):
    assert doc["trends"] == {
        "pass_rate": [{"day": "2026-10-03", "value": 0.0}, {"day": "2026-10-04", "value": 0.0},
                      {"day": "2026-10-10", "value": 50.0}, {"day": "2026-10-11", "value": 50.0}],
        "open": [{"day": "2026-10-03", "value": 9}, {"day": "2026-10-04", "value": 5},
                 {"day": "2026-10-10", "value": 11}, {"day": "2026-10-11", "value": 10}],
    }


NO_DATA = "本期（2026-10-05 至 2026-10-11）无采集数据：1个网站均无本期结束前的采集，未作判定"


def test_a_period_without_data_says_so_in_one_line_instead_of_charts():
    label, first, last = WEEK
    doc = supervisor_doc("weekly", label, first, last, [site_docs()[2]], [])
    assert doc["totals"]["pass_rate"] is None and doc["trends"] == {"pass_rate": [], "open": []}
    page = lxml_html.fromstring(render_supervisor_html(doc))
    assert list(page.iter("img")) == [] and [p.text for p in page.cssselect("p.no-data")] == [NO_DATA]
    assert digest_text(doc).splitlines()[1:2] == [f"无数据：{NO_DATA}"] and len(digest_text(doc).splitlines()) == 3
    quarter = supervisor_doc("quarterly", *period_bounds("quarterly", date(2027, 1, 1)), [site_docs()[2]], [])
    bulletin = lxml_html.fromstring(render_bulletin_html(quarter, issuer="滇中市", rectification_days=10)).text_content()
    assert "无采集数据" in bulletin.split("一、总体情况")[1].split("二、主要问题")[0]
    assert "本季度无采集数据，未能检查。" in bulletin and "未发现问题" not in bulletin


def test_before_any_daily_verdict_only_the_findings_chart_is_drawn_and_the_trends_say_why():
    label, first, last = WEEK
    doc = supervisor_doc("weekly", label, first, last, site_docs(), [])
    page = render_supervisor_html(doc)
    (by_rule,) = charts_of(page)
    assert by_rule.find(f"{SVG}text").text == "问题数量（按规则）"
    assert [p.text for p in lxml_html.fromstring(page).cssselect("p.no-data")] == [
        "暂无每日检查记录，合格率和未整改问题数趋势图待日读网积累后绘制"]


def test_each_site_links_to_its_list_and_every_document_says_china_time_once(tmp_path):
    label, first, last = period_bounds("quarterly", date(2027, 1, 1))
    files = {"a": {"html": "sites/a-整改清单-2026-12-31.html", "xlsx": "sites/a-整改清单-2026-12-31.xlsx"}}
    doc = supervisor_doc("quarterly", label, first, last, site_docs(), HISTORY, site_files=files)
    assert [s["files"] for s in doc["sites"]] == [files["a"], {}, {}]
    assert [s["admin"] for s in doc["sites"]] == [None, None, None]
    page = render_supervisor_html(doc)
    links = [(a.text, a.get("href")) for a in lxml_html.fromstring(page).cssselect("table.sites a")]
    assert links == [("甲市人民政府", "sites/a-整改清单-2026-12-31.html")]
    documents = [page, render_bulletin_html(doc, issuer="滇中市", rectification_days=10), digest_text(doc),
                 write_digest_html(doc, tmp_path / "digest.html").read_text(encoding="utf-8")]
    assert [text.count("时间均为北京时间") for text in documents] == [1, 1, 1, 1]
    assert re.search(r"生成时间：\d{4}-\d\d-\d\d \d\d:\d\d（时间均为北京时间）", page)
    assert doc["generated_at"].endswith("+08:00")


def charts_of(page_html: str) -> list[ET.Element]:
    uris = re.findall(r'<img src="(data:image/svg\+xml;base64,[^"]+)"', page_html)
    return [ET.fromstring(base64.b64decode(uri.split(",", 1)[1])) for uri in uris]


def test_html_embeds_three_charts_with_the_right_bars_and_points(doc):
    page = render_supervisor_html(doc)
    by_rule, pass_rate, open_findings = charts_of(page)
    assert [g.find(f"{SVG}title").text for g in by_rule.iter(f"{SVG}g")] == [
        "COL-3 空白栏目：5", "LINK-2 其他页面不可用链接：3", "HOME-1 首页不更新：1", "LINK-1 首页不可用链接：1"]
    assert [c.find(f"{SVG}title").text for c in pass_rate.iter(f"{SVG}circle")] == [
        "2026-10-03：0%", "2026-10-04：0%", "2026-10-10：50%", "2026-10-11：50%"]
    assert [c.find(f"{SVG}title").text for c in open_findings.iter(f"{SVG}circle")] == [
        "2026-10-03：9", "2026-10-04：5", "2026-10-10：11", "2026-10-11：10"]
    assert not re.search(r'(src|href)="(?!data:)', page) and "<script" not in page and "<link" not in page
    assert "暂无每日检查记录" not in page


def test_html_lists_every_site_with_its_verdict(doc):
    page = lxml_html.fromstring(render_supervisor_html(doc))
    rows = [[cell.text_content().strip() for cell in tr.iter("td")] for tr in page.cssselect("table.sites tbody tr")]
    assert [(r[0], r[2], r[3]) for r in rows] == [("甲市人民政府", "合格（待定）近7天首页监测数据不足", "98.8"),
                                                  ("乙局", "不合格", "99.9"), ("丙镇", "无采集", "—")]
    assert [r[6:] for r in rows] == [["3", "2", "1", "0"], ["7", "5", "0", "2"], ["—", "—", "—", "—"]]
    assert "COL-3 空白栏目（新增）" in rows[1][4] and "HOME-1 首页不更新" in rows[1][4]
    assert page.cssselect("table.sites tbody tr")[0].get("class") == "changed"


def test_quarterly_bulletin_has_its_four_sections_in_order_and_the_problem_sites():
    label, first, last = period_bounds("quarterly", date(2027, 1, 1))
    doc = supervisor_doc("quarterly", label, first, last, site_docs(), HISTORY)
    page = lxml_html.fromstring(render_bulletin_html(doc, issuer="滇中市", rectification_days=10))
    assert page.findtext(".//h1") == "滇中市政府网站与政务新媒体2026年第四季度检查情况通报"
    assert [h.text for h in page.iter("h2")] == ["一、总体情况", "二、主要问题", "三、问题网站清单", "四、整改要求"]
    text = page.text_content()
    overview = text.split("一、总体情况")[1].split("二、主要问题")[0]
    assert "共监测政府网站3个" in overview and "合格1个" in overview and "合格率50%" in overview
    assert "开展监测4轮" in overview and "1个网站本季度无采集数据" in overview
    problems = text.split("二、主要问题")[1].split("三、问题网站清单")[0]
    assert "（一）内容更新方面。共发现问题6个，涉及1个网站，主要为空白栏目（5个）、首页不更新（1个）。如：乙局。" in problems
    assert "（二）链接可用性方面。共发现问题4个，涉及2个网站" in problems
    rows = [[cell.text_content() for cell in tr.iter("td")] for tr in page.cssselect("table.problem-sites tbody tr")]
    assert [r[:5] for r in rows] == [["1", "乙局", "乙局办公室", "不合格", "99.9"],
                                     ["2", "丙镇", "丙镇人民政府", "无采集", "—"],
                                     ["3", "甲市人民政府", "甲市人民政府办公室", "合格（待定）", "98.8"]]
    assert rows[0][5] == "空白栏目（单项否决）；首页不更新（单项否决）；其他页面不可用链接1处"
    assert rows[1][5] == "本期无采集数据，未能检查"
    assert rows[2][5] == "其他页面不可用链接2处；首页不可用链接1处；结论待定：近7天首页监测数据不足"
    assert "10个工作日内完成整改" in text.split("四、整改要求")[1]


def test_digest_is_short_and_names_what_changed(doc, tmp_path):
    text = digest_text(doc)
    lines = text.splitlines()
    assert len(lines) <= 15
    assert lines[0] == "政府网站周巡查摘要 2026-W41（2026-10-05 至 2026-10-11）"
    assert "结论变化：甲市人民政府 不合格→合格（待定）" in lines
    assert "新增单项否决：乙局：空白栏目" in lines
    assert "已超期：乙局 2个" in lines and "本期已整改：甲市人民政府 1个" in lines and "无采集：丙镇" in lines
    assert "网站：3个，合格1个（其中待定1个），不合格1个，无采集1个；合格率50%" in lines
    page = lxml_html.fromstring(write_digest_html(doc, tmp_path / "digest.html").read_text(encoding="utf-8"))
    assert [(tr.findtext("th"), tr.findtext("td")) for tr in page.iter("tr")] == digest(doc)[1]


def test_digest_stays_short_with_many_changed_sites():
    docs = [document(f"s{n}", f"网站{n}", [finding("HOME-1", n, "new", "2026-10-11T01:00:00+00:00")])
            for n in range(20)]
    history = [row(date(2026, 10, 4), f"s{n}", "合格", 0) for n in range(20)]
    label, first, last = WEEK
    lines = digest_text(supervisor_doc("weekly", label, first, last, docs, history)).splitlines()
    assert len(lines) <= 15
    changed = next(line for line in lines if line.startswith("结论变化："))
    assert changed.endswith("等20个") and changed.count("→") == 6


def test_daily_digest_title_is_the_day():
    label, first, last = period_bounds("daily", date(2026, 10, 9))
    doc = supervisor_doc("daily", label, first, last, site_docs(), [])
    assert digest_text(doc).splitlines()[0] == "政府网站日读网摘要 2026-10-08"
    assert by_id(doc)["a"]["new"] == 0 and by_id(doc)["b"]["new"] == 0  # nothing was reported on 8 October


def test_json_is_the_document(doc, tmp_path):
    path = write_supervisor_json(doc, tmp_path / "supervisor.json")
    assert json.loads(path.read_text(encoding="utf-8")) == doc
    assert "甲市人民政府" in path.read_text(encoding="utf-8")

