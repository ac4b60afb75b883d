"""我为政府网站找错 reports verified against real local sites: each category's verdict both ways, what the snapshot
showed, the monitor's own finding and whether it came first, the ZC-1 deadlines over National Day, and
`govmon intake verify`."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from govmon.checks.citizen_deadlines import deadline_status
from govmon.checks.engine import record_findings
from govmon.checks.pack import load_pack
from govmon.checks.rule import Draft
from govmon.cli import main
from govmon.config import CHINA_TZ
from govmon.demo.dns import LocalDNS, Zone
from govmon.intake.verify import Verification, quoted_correction, verify_reports
from govmon.registry import Registry, load_registry
from govmon.store import CitizenReport, Page, ReportCheck, Run
from govmon.workdays import WorkCalendar
from tests.conftest import write_registry
from tests.servers import Reply, SiteServer, closed_port, html

PACK = load_pack("national")
MOMENT = datetime(2026, 11, 23, 10, tzinfo=CHINA_TZ)
NAV = ('<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/tzgg/">通知公告</a></li>'
       '<li><a href="/gzdt/">工作动态</a></li><li><a href="/zcwj/">政策文件</a></li><li><a href="/hdjl/">互动交流</a></li>'
       '</ul></div>')


def china(year: int, month: int, day: int, hour: int = 9) -> datetime:
    """A moment in China, in UTC as the store keeps it."""
    return datetime(year, month, day, hour, tzinfo=CHINA_TZ).astimezone(UTC)


def doc(title: str, body: str = "", head: str = '<meta charset="utf-8">') -> str:
    return f"<html><head>{head}<title>{title}</title></head><body>{body}</body></html>"


def dated(path: str, *days: date) -> str:
    return "".join(f'<li><a href="{path}t{day:%Y%m%d}_{n}.html">关于做好第{n}项重点工作的通知</a><span>{day.isoformat()}</span></li>'
                   for n, day in enumerate(days))


def listing(name: str, path: str, *days: date) -> Reply:
    crumb = f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="{path}">{name}</a></div>'
    return html(doc(f"{name}_测试市人民政府", f'{crumb}<ul class="list">{dated(path, *days)}</ul>'))


def homepage(*days: date) -> Reply:
    return html(doc("测试市人民政府", NAV + f'<ul class="news">{dated("/gzdt/", *days)}</ul>'))


def registry_for(tmp_path: Path, home: str, resolver: str | None = None) -> Registry:
    path = write_registry(tmp_path / "govmon.toml", home)
    if resolver:
        path.write_text(f'[settings]\nresolver = "{resolver}"\n\n' + path.read_text(encoding="utf-8"), encoding="utf-8")
    return load_registry(path)


def add_report(store, number: str, url: str, category: str, description: str = "",
               submitted: datetime | None = None, **fields) -> None:
    stamp = china(2026, 11, 21)
    with store.session.begin() as session:
        session.add(CitizenReport(number=number, site_id="t", url=url, category=category, description=description,
                                  submitted_at=submitted or china(2026, 11, 20), source="test", imported_at=stamp,
                                  updated_at=stamp, **fields))


def verify(store, registry: Registry) -> dict[str, Verification]:
    return {v.report.number: v for v in verify_reports(store, registry, WorkCalendar(), moment=MOMENT)}


def broken(result: Verification) -> dict[str, str]:
    return {item["target"]: item["reason"] for item in result.check.evidence["broken"]}


# ----- 内容无法访问


def test_a_broken_page_or_a_broken_link_on_it_is_confirmed_and_a_working_page_is_not(store, tmp_path):
    refused = f"http://127.0.0.1:{closed_port()}/x.html"
    routes = {
        "/": html(doc("测试市人民政府", '<a href="/ok.html">正常</a>')),
        "/ok.html": html(doc("正常页面", '<img src="/logo.png" alt="标志"><a href="/a.html">文章</a>')),
        "/logo.png": Reply(200, b"\x89PNG\r\n", {"Content-Type": "image/png"}),
        "/a.html": html(doc("文章", "<p>正文内容</p>")),
        "/images.html": html(doc("有坏图", f'<img src="/missing.png" alt="图表"><a href="{refused}">外部网站</a>'
                                        '<a href="/a.html">文章</a>')),
    }
    with SiteServer(routes) as server:
        for number, path in (("gone", "/gone.html"), ("images", "/images.html"), ("ok", "/ok.html")):
            add_report(store, number, server.url + path, "内容无法访问")
        results = verify(store, registry_for(tmp_path, server.url + "/"))

    gone, images, ok = results["gone"], results["images"], results["ok"]
    assert (gone.check.verdict, broken(gone)) == ("confirmed", {server.url + "/gone.html": "http_404"})
    assert gone.check.evidence["broken"][0]["status"] == 404 and "HTTP 404" in gone.check.reason
    assert images.check.verdict == "confirmed"
    assert broken(images) == {server.url + "/missing.png": "http_404"}  # the other port is not the site: not asked
    assert (images.check.evidence["links_checked"], images.check.evidence["links_off_site"]) == (2, 1)
    assert ok.check.verdict == "not_reproduced" and ok.check.evidence["links_checked"] == 2
    assert ok.check.evidence["broken"] == [] and ok.check.page_body is None


def test_soft_404s_are_found_by_the_crawls_detector_against_the_live_site(store, tmp_path):
    head = '<div class="head">测试市人民政府门户网站</div>'
    routes = {
        "/": html(doc("测试市人民政府", head + '<a href="/a.html">文章</a><p>欢迎访问测试市人民政府门户网站</p>')),
        "/deleted.html": html(doc("提示", head + "<h1>页面不存在</h1>")),
    }
    missing = html(doc("提示信息", head + '<div class="box">很抱歉，您要找的内容已经走丢了，请返回首页继续浏览</div>'))
    with SiteServer(routes, fallback=missing) as server:  # answers 200 to any URL: the crawl's probes see it
        add_report(store, "moved", server.url + "/old/t1.html", "内容无法访问")
        add_report(store, "deleted", server.url + "/deleted.html", "内容无法访问")
        results = verify(store, registry_for(tmp_path, server.url + "/"))

    moved = results["moved"].check.evidence["broken"][0]
    deleted = results["deleted"].check.evidence["broken"][0]
    assert (moved["reason"], moved["signal"], moved["similarity"]) == ("soft_404", "probe", 1.0)
    assert (deleted["reason"], deleted["signal"], deleted["phrase"]) == ("soft_404", "phrase", "页面不存在")
    assert all(results[n].check.verdict == "confirmed" for n in ("moved", "deleted"))


def test_names_are_looked_up_on_the_registrys_dns_server(store, tmp_path):
    def links(handler) -> Reply:
        return html(doc("链接", f'<a href="http://gone.test.gov.cn:{handler.server.server_address[1]}/x.html">旧系统</a>'))

    with SiteServer({"/": html(doc("测试市人民政府")), "/links.html": links}) as server:
        port = server.port
        with LocalDNS(Zone().add("www.test.gov.cn", "A", "127.0.0.1")) as dns:
            add_report(store, "dns", f"http://www.test.gov.cn:{port}/links.html", "内容无法访问")
            registry = registry_for(tmp_path, f"http://www.test.gov.cn:{port}/", dns.address)
            path = registry.path  # the old system's host is one of the site's: its link is checked
            path.write_text(path.read_text(encoding="utf-8").replace(
                "\ntype = ", '\nallowed_hosts = ["gone.test.gov.cn"]\ntype = ', 1), encoding="utf-8")
            (result,) = verify(store, load_registry(path)).values()

    assert result.check.evidence["live"]["status"] == 200  # the site's own name resolved through the registry's server
    assert broken(result) == {f"http://gone.test.gov.cn:{port}/x.html": "dns_error"}
    assert "nxdomain" in result.check.evidence["broken"][0]["detail"]


# ----- 信息不更新


@pytest.mark.parametrize(("newest", "verdict"),
                         [(date(2026, 5, 23), "confirmed"), (date(2026, 5, 24), "not_reproduced")])
def test_a_list_page_is_stale_at_its_column_classes_limit(store, tmp_path, newest: date, verdict: str):
    """通知公告 may be six months old: as of 23 November, an item of 23 May is too old, one of 24 May is not."""
    routes = {"/": homepage(date(2026, 11, 20)), "/tzgg/": listing("通知公告", "/tzgg/", newest, date(2026, 3, 1))}
    with SiteServer(routes) as server:
        add_report(store, "tzgg", server.url + "/tzgg/", "信息不更新")
        (result,) = verify(store, registry_for(tmp_path, server.url + "/")).values()

    evidence = result.check.evidence
    assert result.check.verdict == verdict
    assert (evidence["column"], evidence["column_class"], evidence["level"], evidence["rule"]) == (
        "通知公告", "notices", 1, "COL-1")  # a top entry of the homepage's navigation
    assert (evidence["newest"], evidence["max_age"], evidence["as_of"]) == (newest.isoformat(), "6个月", "2026-11-23")
    assert evidence["newest"] in result.check.reason


def test_an_article_is_judged_by_its_columns_live_list(store, tmp_path):
    article = html(doc("关于做好第0项重点工作的通知",
                       '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/gzdt/">工作动态</a> &gt; 正文</div>'
                       "<h1>关于做好第0项重点工作的通知</h1><p>发布日期：2026-11-01</p><p>为进一步做好重点工作，现通知如下。</p>"))
    routes = {"/": homepage(date(2026, 11, 20)), "/gzdt/t1.html": article,
              "/gzdt/": listing("工作动态", "/gzdt/", date(2026, 11, 9), date(2026, 11, 1))}
    with SiteServer(routes) as server:
        add_report(store, "gzdt", server.url + "/gzdt/t1.html", "信息不更新")
        (result,) = verify(store, registry_for(tmp_path, server.url + "/")).values()

    evidence = result.check.evidence
    assert result.check.verdict == "confirmed"
    assert (evidence["list_url"], evidence["column_class"], evidence["age_days"]) == (
        server.url + "/gzdt/", "dynamics", 14)
    assert "已14天未更新" in result.check.reason


@pytest.mark.parametrize(("days", "verdict"), [
    ((date(2026, 11, 9),), "confirmed"), ((date(2026, 11, 10),), "not_reproduced"), ((), "needs_person")])
def test_the_homepage_is_judged_by_home_1(store, tmp_path, days: tuple, verdict: str):
    with SiteServer({"/": homepage(*days)}) as server:
        add_report(store, "home", server.url + "/", "信息不更新")
        (result,) = verify(store, registry_for(tmp_path, server.url + "/")).values()

    assert (result.check.verdict, result.check.evidence["rule"]) == (verdict, "HOME-1")
    if not days:  # no date to read: never guessed
        assert "未发现可识别日期" in result.check.reason and result.check.page_body


# ----- 错别字


@pytest.mark.parametrize(("description", "expected"), [
    ("“政府信息公开公开”应为“政府信息公开”", ("政府信息公开公开", "政府信息公开")),
    ("在“通知公告”栏目中，\"管理办发\"应改为\"管理办法\"", ("管理办发", "管理办法")),
    ("页面上有「人民政」字样", ("人民政", None)),
    ("标题有错别字", None),
])
def test_the_wrong_text_is_the_quoted_one(description: str, expected) -> None:
    assert quoted_correction(description) == expected


@pytest.mark.parametrize(("text", "verdict"), [
    ("本机关依法做好政府信息公开 公开工作", "confirmed"),  # spaced apart on the page: still the same words
    ("本机关依法做好政府信息公开工作", "not_reproduced"),
])
def test_a_quoted_wrong_text_is_confirmed_until_corrected(store, tmp_path, text: str, verdict: str):
    routes = {"/": html(doc("首页")), "/t1.html": html(doc("工作报告", f"<p>{text}，接受社会监督。</p>"))}
    with SiteServer(routes) as server:
        add_report(store, "typo", server.url + "/t1.html", "错别字", "“政府信息公开公开”应为“政府信息公开”")
        (result,) = verify(store, registry_for(tmp_path, server.url + "/")).values()

    evidence = result.check.evidence
    assert result.check.verdict == verdict and evidence["found"] is (verdict == "confirmed")
    if verdict == "confirmed":
        assert evidence["matched"] == "政府信息公开公开" and "依法做好政府信息公开公开工作" in evidence["context"]
    else:
        assert evidence["right_found"] and "现为“政府信息公开”" in result.check.reason


def test_the_wrong_text_is_found_on_a_gbk_page_and_not_inside_the_right_one(store, tmp_path):
    gbk = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    page = doc("朱镕基同志题词", "<p>测试市人民政府办公室</p><p>朱镕基同志视察测试市人民政网站</p>", gbk).encode("gbk")
    fixed = doc("通知", "<p>测试市人民政府办公室</p>", gbk).encode("gbk")
    routes = {"/": html(doc("首页")), "/gbk.html": Reply(200, page, {"Content-Type": "text/html; charset=gb2312"}),
              "/fixed.html": Reply(200, fixed, {"Content-Type": "text/html; charset=gb2312"})}
    with SiteServer(routes) as server:
        add_report(store, "gbk", server.url + "/gbk.html", "错别字", "“人民政”应为“人民政府”")
        add_report(store, "fixed", server.url + "/fixed.html", "错别字", "“人民政”应为“人民政府”")
        add_report(store, "unquoted", server.url + "/fixed.html", "错别字", "网页上有错别字")
        results = verify(store, registry_for(tmp_path, server.url + "/"))

    gbk_check = results["gbk"].check
    assert gbk_check.verdict == "confirmed" and gbk_check.evidence["live"]["encoding"] == "gb18030"  # 镕: GBK only
    assert "朱镕基同志视察测试市人民政网站" in gbk_check.evidence["context"]
    assert gbk_check.evidence["occurrences"] == 1  # 人民政府办公室 holds 人民政 too: that is the right text
    assert results["fixed"].check.verdict == "not_reproduced"
    assert results["unquoted"].check.verdict == "needs_person"


# ----- 咨询留言不回复


def messages(*rows: tuple[str, str, str, str]) -> Reply:
    head = "<tr><th>留言标题</th><th>留言时间</th><th>答复时间</th><th>状态</th></tr>"
    cells = "".join(f'<tr><td><a href="/hdjl/d{n}.html">{title}</a></td><td>{asked}</td><td>{answered}</td>'
                    f"<td>{status}</td></tr>" for n, (title, asked, answered, status) in enumerate(rows))
    return html(doc("咨询投诉_测试市人民政府", f"<table>{head}{cells}</table>"))


def test_a_message_unanswered_for_four_months_is_confirmed_and_one_answered_in_time_is_not(store, tmp_path):
    routes = {
        "/": html(doc("首页")),
        "/hdjl/old/": messages(("关于小区供暖问题的咨询", "2026-07-10", "", "未回复"),
                               ("关于公交线路调整的咨询", "2026-11-16", "2026-11-18", "已回复")),
        "/hdjl/new/": messages(("关于公交线路调整的咨询", "2026-11-16", "2026-11-18", "已回复"),
                               ("关于路灯维修的咨询", "2026-11-19", "", "未回复")),  # two working days: not yet late
    }
    with SiteServer(routes) as server:
        add_report(store, "old", server.url + "/hdjl/old/", "咨询留言不回复")
        add_report(store, "new", server.url + "/hdjl/new/", "咨询留言不回复")
        results = verify(store, registry_for(tmp_path, server.url + "/"))

    old = results["old"].check
    (late,) = old.evidence["late"]
    assert old.verdict == "confirmed" and (late["rule"], late["reason"]) == ("INTER-2", "unanswered")
    assert (late["title"], late["due"]) == ("关于小区供暖问题的咨询", "2026-10-10") and "关于小区供暖问题的咨询" in old.reason
    assert (results["new"].check.verdict, results["new"].check.evidence["messages"]) == ("not_reproduced", 2)


def test_a_message_waiting_longer_than_inter_4_allows_is_confirmed(store, tmp_path):
    routes = {"/": html(doc("首页")), "/hdjl/": messages(("关于路灯维修的咨询", "2026-11-13", "", "未回复"))}
    with SiteServer(routes) as server:
        add_report(store, "waiting", server.url + "/hdjl/", "咨询留言不回复")
        (result,) = verify(store, registry_for(tmp_path, server.url + "/")).values()

    (late,) = result.check.evidence["late"]
    assert result.check.verdict == "confirmed"
    assert (late["rule"], late["reason"], late["working_days"]) == ("INTER-4", "awaiting_reply", 6)


# ----- categories only a person can judge, and live fetches that fail


def test_inaccurate_content_needs_a_person_with_the_page_kept(store, tmp_path):
    big = doc("政策解读", "<p>" + "本政策自发布之日起施行。" * 40_000 + "</p>")  # over 1 MB in UTF-8
    routes = {"/": html(doc("首页")), "/zcjd.html": html(doc("政策解读", "<p>补贴标准为每人每月300元。</p>")),
              "/big.html": html(big)}
    with SiteServer(routes) as server:
        add_report(store, "wrong", server.url + "/zcjd.html", "内容不准确", "补贴标准应为每人每月500元")
        add_report(store, "big", server.url + "/big.html", "其他")
        results = verify(store, registry_for(tmp_path, server.url + "/"))

    check = results["wrong"].check
    live = check.evidence["live"]
    assert check.verdict == "needs_person" and "补贴标准为每人每月300元" in check.page_body
    assert (live["status"], live["title"], live["body_truncated"]) == (200, "政策解读", False)
    assert live["content_hash"] == hashlib.sha1(routes["/zcjd.html"].payload()).hexdigest()
    big_check = results["big"].check
    assert big_check.evidence["live"]["body_truncated"] and len(big_check.page_body.encode()) <= 1_000_000


def test_a_live_fetch_that_fails_needs_a_person_saying_why(store, tmp_path):
    refused = f"http://127.0.0.1:{closed_port()}"
    add_report(store, "typo", refused + "/t1.html", "错别字", "“公开公开”应为“公开”")
    typo = verify(store, registry_for(tmp_path, refused + "/"))["typo"]
    assert typo.check.verdict == "needs_person" and "连接被拒绝" in typo.check.reason
    with SiteServer({"/": html(doc("首页"))}) as server:
        add_report(store, "stale", server.url + "/gone/", "信息不更新")
        results = verify(store, registry_for(tmp_path, server.url + "/"))

    assert results["stale"].check.verdict == "needs_person" and "HTTP 404" in results["stale"].check.reason


# ----- the snapshot and the monitor's own finding


def add_run(store, started: datetime, home: str, drafts: list[Draft], pages: dict[str, int]) -> int:
    with store.session.begin() as session:
        run = Run(site_id="t", site_code="5300000033", home_url=home, started_at=started, finished_at=started,
                  status="complete", host="h", pid=1, settings={},
                  stats={"checked": {"pack": "national", "as_of": started.isoformat(), "unjudged": {}}})
        session.add(run)
        session.flush()
        session.add_all(Page(run_id=run.id, url=url, url_key=hashlib.sha1(url.encode()).hexdigest(), kind="page",
                             method="GET", status=status, depth=1, fetched_at=started, facts={})
                        for url, status in pages.items())
        record_findings(session, drafts, "t", started, started, run_id=run.id)
        return run.id


def test_the_monitors_finding_is_named_and_whether_it_came_before_the_citizen(store, tmp_path):
    routes = {"/": html(doc("首页")), "/images.html": html(doc("有坏图", '<img src="/missing.png" alt="图表">'))}
    with SiteServer(routes) as server:
        home, page, image, gone = (server.url + path for path in ("/", "/images.html", "/missing.png", "/gone.html"))
        image_draft = Draft("LINK-2", image, {"reason": "http_404", "status": 404, "detail": "HTTP 404"},
                            [{"page": page, "tag": "img", "attr": "src", "text": "图表"}], 1)
        gone_draft = Draft("LINK-2", gone, {"reason": "http_404", "status": 404, "detail": "HTTP 404"},
                           [{"page": home, "tag": "a", "attr": "href", "text": "旧文章"}], 1)
        add_run(store, china(2026, 9, 28), home, [image_draft], {page: 200})
        latest = add_run(store, china(2026, 11, 21), home, [image_draft, gone_draft], {gone: 404})
        add_report(store, "image", page, "内容无法访问", submitted=china(2026, 10, 1))
        add_report(store, "gone", gone, "内容无法访问", submitted=china(2026, 11, 20))
        add_report(store, "typo", page, "错别字", "“有坏 图”应为“有图”")
        results = verify(store, registry_for(tmp_path, home))

    image_result, gone_result = results["image"], results["gone"]
    assert image_result.check.run_id == latest
    assert image_result.as_dict()["finding"] == {
        "identity": image_result.check.finding_identity, "rule": "LINK-2",
        "first_seen": china(2026, 9, 28).isoformat(), "before_citizen": True}
    assert "监测已于 2026-09-28 发现（早于网民留言）" in image_result.summary_line()
    assert image_result.check.evidence["snapshot"]["in_snapshot"] is False  # the page was in the earlier crawl only
    assert gone_result.as_dict()["finding"]["before_citizen"] is False  # found the day after the report
    assert gone_result.check.evidence["snapshot"]["status"] == 404
    assert results["typo"].as_dict()["finding"] is None  # a typo is no rule the monitor checks


def test_closed_reports_are_skipped_and_each_verification_is_kept(store, tmp_path):
    with SiteServer({"/": html(doc("首页")), "/a.html": html(doc("文章"))}) as server:
        add_report(store, "open", server.url + "/a.html", "其他")
        add_report(store, "closed", server.url + "/a.html", "其他", answered_at=china(2026, 11, 20, 15),
                   closed_at=china(2026, 11, 21))
        registry = registry_for(tmp_path, server.url + "/")
        first, second = verify(store, registry), verify(store, registry)

    assert set(first) == set(second) == {"open"}
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(CitizenReport)) == 2
        checks = session.scalars(select(ReportCheck).order_by(ReportCheck.id)).all()
    assert [c.report_id for c in checks] == [first["open"].report.id] * 2


# ----- ZC-1 deadlines


def report(submitted: datetime, answered: datetime | None = None, closed: datetime | None = None) -> CitizenReport:
    return CitizenReport(number="1", site_id="t", url="http://www.test.gov.cn/", category="其他", description="",
                         submitted_at=submitted, answered_at=answered, closed_at=closed)


def test_the_reply_is_due_two_working_days_after_receipt_over_national_day():
    received = datetime(2026, 9, 29, 17, tzinfo=UTC)  # 01:00 on 30 September in China
    by_the_ninth = deadline_status(report(received), PACK, WorkCalendar(), china(2026, 10, 9, 23))
    assert (by_the_ninth["received"], by_the_ninth["reply_due"], by_the_ninth["close_due"]) == (
        date(2026, 9, 30), date(2026, 10, 9), date(2026, 12, 30))  # 8 Oct is the first working day after the holiday
    assert by_the_ninth["answered_on_time"] is None and not by_the_ninth["reply_overdue"]
    assert deadline_status(report(received), PACK, WorkCalendar(), china(2026, 10, 10))["reply_overdue"]


@pytest.mark.parametrize(("answered", "on_time"), [(china(2026, 10, 9, 17), True), (china(2026, 10, 10, 9), False)])
def test_an_answer_after_the_reply_deadline_is_late(answered: datetime, on_time: bool):
    status = deadline_status(report(china(2026, 9, 30), answered), PACK, WorkCalendar(), china(2026, 11, 1))
    assert (status["answered_on_time"], status["reply_overdue"]) == (on_time, not on_time)
    not_yet = deadline_status(report(china(2026, 9, 30), answered), PACK, WorkCalendar(), china(2026, 10, 9, 12))
    assert not_yet["answered_on"] is None  # answered later than the moment looked at


@pytest.mark.parametrize(("moment", "closed", "overdue"), [
    (china(2026, 12, 30, 23), None, False), (china(2026, 12, 31), None, True),
    (china(2027, 2, 1), china(2026, 12, 30), False), (china(2027, 2, 1), china(2026, 12, 31), True)])
def test_a_report_is_to_be_closed_within_three_months(moment: datetime, closed: datetime | None, overdue: bool):
    status = deadline_status(report(china(2026, 9, 30), china(2026, 10, 8), closed), PACK, WorkCalendar(), moment)
    assert (status["close_due"], status["close_overdue"]) == (date(2026, 12, 30), overdue)


def test_a_reply_deadline_in_a_year_without_a_published_arrangement_is_provisional():
    status = deadline_status(report(china(2027, 1, 5), china(2027, 1, 20)), PACK, WorkCalendar(), china(2027, 5, 1))
    assert (status["reply_due"], status["answered_on_time"], status["reply_overdue"]) == (date(2027, 1, 7), False, True)
    assert status["note"] == "暂定：2027年调休安排未发布，按法定节假日推算"
    assert (status["close_due"], status["close_overdue"]) == (date(2027, 4, 5), True)  # months need no holiday data


# ----- the command line


def test_intake_verify_prints_the_verdicts(store, db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("GOVMON_NOW", "2026-11-23T10:00:00+08:00")
    routes = {"/": html(doc("首页")), "/t1.html": html(doc("通知", "<p>政府信息公开公开</p>"))}
    with SiteServer(routes) as server:
        config = write_registry(tmp_path / "govmon.toml", server.url + "/")
        add_report(store, "typo", server.url + "/t1.html", "错别字", "“政府信息公开公开”应为“政府信息公开”",
                   submitted=china(2026, 11, 18))
        add_report(store, "gone", server.url + "/gone.html", "内容无法访问")
        runner = CliRunner()
        as_json = runner.invoke(main, ["intake", "verify", "--json", "--config", str(config), "--db", db_url])
        lines = runner.invoke(main, ["intake", "verify", "t", "--config", str(config), "--db", db_url])

    assert as_json.exit_code == 0, as_json.output
    verdicts = {item["number"]: (item["verdict"], item["deadlines"]["reply_due"], item["deadlines"]["reply_overdue"])
                for item in json.loads(as_json.output)}
    assert verdicts == {"typo": ("confirmed", "2026-11-20", True), "gone": ("confirmed", "2026-11-24", False)}
    assert lines.exit_code == 0 and "typo t 错别字 confirmed：" in lines.output and "答复超期" in lines.output
    with store.session() as session:
        stamps = session.scalars(select(ReportCheck.checked_at)).all()
    assert len(stamps) == 4 and {stamp.replace(tzinfo=UTC) for stamp in stamps} == {china(2026, 11, 23, 10)}


def test_intake_verify_says_which_reports_its_budget_did_not_reach(store, db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("GOVMON_NOW", "2026-11-23T10:00:00+08:00")
    with SiteServer({"/": html(doc("首页"))}) as server:
        config = write_registry(tmp_path / "govmon.toml", server.url + "/")
        add_report(store, "gone", server.url + "/gone.html", "内容无法访问")
        out = CliRunner().invoke(main, ["intake", "verify", "--budget", "0", "--config", str(config), "--db", db_url])
        assert server.hits == []
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == ["gone t 内容无法访问 not_verified：本次核查的时间已用完，尚未核查，下次核查时再查",
                                       "1 of 1 report(s) not verified: the 0 s budget ran out"]
