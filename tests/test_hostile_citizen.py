"""Citizen reports from a hostile world, against real local servers: a report naming another server is refused at
import and at the HTTP intake and never fetched by verify; what a verdict quotes of a page is short and masked."""

from __future__ import annotations

import csv
import io
import json
import select as socket_select  # sqlalchemy's select is the other one here
import socket
import threading
import tracemalloc
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import uvicorn
from sqlalchemy import func, select

from govmon.config import CHINA_TZ
from govmon.intake.api import ConnectionLimits, create_app, intake_config
from govmon.intake.receive import import_reports
from govmon.intake.verify import masked_excerpt, verify_reports
from govmon.registry import Registry, load_registry
from govmon.store import CitizenReport, ReportCheck, open_store
from govmon.workdays import WorkCalendar
from tests.conftest import write_registry
from tests.servers import Reply, SilentServer, SiteServer, UvicornServer, html

TOKEN = "hostile-intake-token"
MOMENT = datetime(2026, 11, 23, 10, tzinfo=CHINA_TZ)
SECRET = "password=hunter2"
HEADER = ["留言编号", "网站标识码", "问题网址", "问题类型", "问题描述", "留言时间"]
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy may see these requests


def doc(title: str, body: str = "") -> str:
    return f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'


def elsewhere() -> SiteServer:
    """Another server on this machine (another port: another origin), answering anything with a secret."""
    return SiteServer({}, fallback=html(doc("内部服务", f"<p>{SECRET}</p><a href='/more'>更多</a>")))


def registry_for(tmp_path: Path, home: str) -> Registry:
    return load_registry(write_registry(tmp_path / "registry.toml", home))


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    text = io.StringIO(newline="")
    csv.writer(text).writerows([HEADER, *rows])
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def add_report(store, number: str, url: str, category: str, description: str = "描述") -> None:
    """A report as an older version stored it, before the intake refused off-site URLs."""
    stamp = datetime(2026, 11, 21, tzinfo=UTC)
    with store.session.begin() as session:
        session.add(CitizenReport(number=number, site_id="t", url=url, category=category, description=description,
                                  submitted_at=datetime(2026, 11, 20, tzinfo=UTC), source="test",
                                  imported_at=stamp, updated_at=stamp))


def verify(store, registry: Registry, **kw) -> dict:
    return {v.report.number: v for v in verify_reports(store, registry, WorkCalendar(), moment=MOMENT, **kw)}


@contextmanager
def intake(store, registry: Registry, config=None):
    """The intake on 127.0.0.1 (config: a function of the app giving its uvicorn.Config); yields its URL."""
    app = create_app(store, registry, TOKEN, 65536)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    server = UvicornServer(config(app) if config else uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        assert server.listening.wait(timeout=10), "the intake server did not start within 10 s"
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
    assert not thread.is_alive()


def call(url: str, body: bytes | None = None, token: str | None = TOKEN) -> tuple[int, object]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET", headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def report(url: str, **changes) -> dict:
    return {"number": "ZC1", "site_code": "5300000033", "url": url, "category": "错别字",
            "description": "“正改”应为“整改”", "submitted_at": "2026-11-20 09:30", **changes}


def count(store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(CitizenReport))


# ----- fetch only for the site


def test_a_report_on_another_port_or_host_is_a_bad_row_at_import(store, tmp_path):
    with SiteServer({"/": html(doc("首页"))}) as site, elsewhere() as other:
        path = write_csv(tmp_path / "export.csv", [
            ["ok", "5300000033", site.url + "/a.html", "其他", "描述", "2026-11-20 09:30"],
            ["port", "5300000033", other.url + "/", "其他", "描述", "2026-11-20 09:30"],  # the site's code, not its URL
            ["host", "5300000033", f"http://localhost:{site.port}/", "其他", "描述", "2026-11-20 09:30"],
            ["redis", "", "http://127.0.0.1:6379/", "其他", "描述", "2026-11-20 09:30"],  # found by host: not its port
        ])
        result = import_reports(store, registry_for(tmp_path, site.url + "/"), path)
        assert other.hits == [] and site.hits == []  # importing asks nobody
    assert (result.added, [problem.row for problem in result.problems]) == (1, [3, 4, 5])
    assert all(problem.reason.startswith("问题网址: 问题网址不属于该网站：") for problem in result.problems)
    assert f"'{other.url}/' 不在“测试市人民政府”的网址范围（{site.url}）内" in result.problems[0].reason
    with store.session() as session:
        assert session.scalars(select(CitizenReport.number)).all() == ["ok"]


def test_the_intake_answers_422_to_an_off_site_report(store, tmp_path):
    with SiteServer({"/": html(doc("首页"))}) as site, elsewhere() as other:
        registry = registry_for(tmp_path, site.url + "/")
        with intake(store, registry) as url:
            status, body = call(url + "/reports", json.dumps(report(other.url + "/admin")).encode())
            assert status == 422
            [error] = body["detail"]
            assert (error["type"], error["loc"]) == ("off_site", ["body", "url"])
            assert error["msg"].startswith("问题网址不属于该网站：")
            assert count(store) == 0
            assert call(url + "/reports", json.dumps(report(site.url + "/a.html")).encode())[0] == 201
        assert other.hits == []


def test_verify_never_asks_another_origin_for_a_report(store, tmp_path):
    with elsewhere() as other:
        routes = {
            "/": html(doc("首页", '<div class="nav"><a href="/">首页</a></div>')),
            # on the site, pointing elsewhere: a link, an image, a breadcrumb to a "column" on the other server
            "/links.html": html(doc("链接", f'<a href="{other.url}/a.html">其他</a><img src="{other.url}/i.png">'
                                          '<a href="/ok.html">本站</a>')),
            "/ok.html": html(doc("本站页面", "<p>正文</p>")),
            "/article.html": html(doc("文章", f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; '
                                          f'<a href="{other.url}/list/">通知公告</a></div><p>正文</p>')),
        }
        with SiteServer(routes) as site:
            for category in ("内容无法访问", "信息不更新", "错别字", "咨询留言不回复", "其他"):
                add_report(store, f"old-{category}", other.url + "/secret", category, "“password”写错了")
            add_report(store, "links", site.url + "/links.html", "内容无法访问")
            add_report(store, "column", site.url + "/article.html", "信息不更新")
            results = verify(store, registry_for(tmp_path, site.url + "/"))

    assert other.hits == []  # neither the stored reports' URLs nor the links and columns on the site's pages
    for category in ("内容无法访问", "信息不更新", "错别字", "咨询留言不回复", "其他"):
        check = results[f"old-{category}"].check
        assert (check.verdict, check.page_body) == ("needs_person", None)
        assert check.reason.startswith("问题网址不属于该网站“测试市人民政府”")
    links = results["links"].check
    assert links.verdict == "not_reproduced" and "另有2个站外链接未检查" in links.reason
    assert (links.evidence["links_checked"], links.evidence["links_off_site"]) == (1, 2)
    column = results["column"].check
    assert column.verdict == "needs_person" and "不属于该网站的网址，未访问" in column.reason
    with store.session() as session:
        stored = " ".join(json.dumps(c.evidence, ensure_ascii=False) + (c.page_body or "") + c.reason
                          for c in session.scalars(select(ReportCheck)))
    assert "hunter2" not in stored


def test_a_redirect_to_another_host_is_not_followed(store, tmp_path):
    with elsewhere() as other:
        away = f"http://localhost:{other.port}/secret"  # another host: the probe stops at the redirect
        routes = {"/": html(doc("首页")), "/moved.html": Reply(302, b"", {"Location": away}),
                  "/typo.html": Reply(302, b"", {"Location": away})}
        with SiteServer(routes) as site:
            add_report(store, "moved", site.url + "/moved.html", "内容无法访问")
            add_report(store, "typo", site.url + "/typo.html", "错别字", "“hunter2”写错了")
            results = verify(store, registry_for(tmp_path, site.url + "/"))
    assert other.hits == []
    assert results["moved"].check.verdict == "needs_person"
    assert results["moved"].check.reason == f"页面跳转到站外地址 {away}，未访问，需人工核查"
    assert results["typo"].check.verdict == "needs_person"  # nothing of elsewhere's page is read, nor quoted


def test_a_redirect_to_the_same_host_on_another_port_is_not_followed(store, tmp_path):
    with elsewhere() as other:
        away = other.url + "/secret"  # the same host on another port: another origin, never asked
        routes = {"/": html(doc("首页")), "/typo.html": Reply(302, b"", {"Location": away})}
        with SiteServer(routes) as site:
            add_report(store, "typo", site.url + "/typo.html", "错别字", "“hunter2”写错了")
            add_report(store, "other", site.url + "/typo.html", "其他")
            results = verify(store, registry_for(tmp_path, site.url + "/"))
    typo, other_check = results["typo"].check, results["other"].check
    assert other.hits == []
    assert typo.verdict == "needs_person" and "hunter2" not in json.dumps(typo.evidence)
    assert other_check.page_body is None and "hunter2" not in json.dumps(other_check.evidence)


def test_a_verdict_quotes_a_short_window_with_credentials_and_personal_data_masked(store, tmp_path):
    page = doc("登录说明", "<p>系统登录说明：默认账号admin，" + SECRET + "，请及时修改。</p>"
                          "<p>联系人电话13812345678，身份证号530102199001011234，邮箱 zhangsan@example.gov.cn。</p>"
                          "<p>" + "正文内容。" * 200 + "正改措施</p>")
    with SiteServer({"/": html(doc("首页")), "/login.html": html(page)}) as site:
        add_report(store, "password", site.url + "/login.html", "错别字", "“password”不应出现")
        add_report(store, "phone", site.url + "/login.html", "错别字", "“电话”写错了")
        add_report(store, "long", site.url + "/login.html", "错别字", "“" + "正文内容。" * 20 + "”重复")
        results = verify(store, registry_for(tmp_path, site.url + "/"))

    password, phone, long = (results[n].check for n in ("password", "phone", "long"))
    assert password.verdict == "confirmed"
    assert "password=***" in password.reason and "hunter2" not in password.reason + json.dumps(password.evidence)
    assert phone.verdict == "confirmed" and "138****5678" in phone.reason and "13812345678" not in phone.reason
    assert "530102********1234" in phone.reason
    assert long.verdict == "confirmed" and len(long.reason) < 120  # the quote clipped, the window bounded


def test_a_masked_value_whose_key_lies_before_the_window_is_masked_whole():
    text = "说明：api_key = sk-0123456789abcdef；完"
    start = text.index("0123")  # the window begins inside the value
    assert masked_excerpt(text, start, len(text)) == "***；完"
    assert masked_excerpt("邮箱 li@example.gov.cn 联系", 0, 8) == "邮箱 l***@example.gov.cn"
    assert masked_excerpt("普通文字，没有秘密", 2, 6) == "文字，没"


# ----- imports that never lose a file


def test_nul_far_years_and_deep_json_are_bad_rows_and_the_rest_is_imported(any_db_url, tmp_path):
    store = open_store(any_db_url)  # PostgreSQL cannot store a NUL: the row must never reach it
    try:
        registry = registry_for(tmp_path, "https://www.example.gov.cn/")
        url = "https://www.example.gov.cn/a.html"
        good = {"number": "good", "url": url, "category": "其他", "description": "描述", "submitted_at": "2026-11-20"}
        items = [good, {**good, "number": "nul", "description": "描述\x00"},
                 {**good, "number": "far", "submitted_at": "9999-12-31 23:59"},
                 {**good, "number": "overflow", "submitted_at": "9999-12-31T23:59:00-05:00"},
                 {**good, "number": "early", "answered_at": "0001-01-01T00:00:00+08:00"}]
        text = json.dumps(items, ensure_ascii=False)
        deep = "[" * 100_000 + "]" * 100_000  # deeper than any parser recurses
        nested = '{"number": "deep", "description": ' + deep + "}"
        (tmp_path / "export.json").write_text(text[:-1] + ", " + nested + ', {"number": "last", "url": "' + url
                                              + '", "category": "其他", "description": "描述", "submitted_at": '
                                              '"2026-11-21"}]', encoding="utf-8")
        result = import_reports(store, registry, tmp_path / "export.json")
        assert (result.added, result.bad_rows) == (2, 5)
        assert [(problem.row, problem.reason) for problem in result.problems] == [
            (2, "description: contains a NUL character (\\x00)"),
            (3, "submitted_at: date out of range '9999-12-31 23:59' (years 2000 to 2099)"),
            (4, "submitted_at: date out of range '9999-12-31T23:59:00-05:00' (years 2000 to 2099)"),
            (5, "answered_at: date out of range '0001-01-01T00:00:00+08:00' (years 2000 to 2099)"),
            (6, "JSON nested too deeply to read")]
        assert [(count.reason, count.rows) for count in result.by_reason] == [
            ("submitted_at: date out of range", 2), ("description: NUL character", 1),
            ("answered_at: date out of range", 1), ("JSON nested too deeply", 1)]
        with store.session() as session:
            assert sorted(session.scalars(select(CitizenReport.number))) == ["good", "last"]
        wrapped = tmp_path / "wrapped.json"  # the same deep value beside the reports of {"reports": [...]}
        wrapped.write_text('{"meta": ' + deep + ', "reports": [' + json.dumps({**good, "number": "w"}) + "]}")
        assert import_reports(store, registry, wrapped).added == 1
    finally:
        store.engine.dispose()


def test_a_csv_with_a_bom_and_nul_bytes_imports_its_good_rows(store, tmp_path):
    registry = registry_for(tmp_path, "https://www.example.gov.cn/")
    path = write_csv(tmp_path / "export.csv", [
        ["ZC1", "5300000033", "https://www.example.gov.cn/a.html", "其他", "描述", "2026-11-20 09:30"],
        ["ZC\x002", "5300000033", "https://www.example.gov.cn/b.html", "其他", "描述", "2026-11-20 09:30"],
        ["ZC3", "5300000033", "https://www.example.gov.cn/c.html", "其他", "长" * 200_000, "2026-11-20 09:30"],
        ["ZC4", "5300000033", "https://www.example.gov.cn/d.html", "其他", "描述", "2026-11-20 09:30"],
    ], encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = import_reports(store, registry, path)
    assert result.added == 2
    assert [(problem.row, problem.reason) for problem in result.problems] == [
        (3, "留言编号: contains a NUL character (\\x00)"),
        (4, "not readable as CSV: field larger than field limit (131072)")]
    with store.session() as session:
        assert sorted(session.scalars(select(CitizenReport.number))) == ["ZC1", "ZC4"]


def test_the_intake_answers_422_never_500_to_nul_far_years_and_deep_json(store, tmp_path):
    registry = registry_for(tmp_path, "https://www.example.gov.cn/")
    url = "https://www.example.gov.cn/a.html"
    with intake(store, registry) as base:
        for changes, kind in (({"description": "描述\x00"}, "nul_character"),
                              ({"submitted_at": "9999-12-31T23:59:00-05:00"}, "date_range")):
            status, body = call(base + "/reports", json.dumps(report(url, **changes)).encode())
            assert (status, [error["type"] for error in body["detail"]]) == (422, [kind])
        for depth in (20, 30_000):
            nested = json.dumps(report(url))[:-1] + ', "answer": ' + "[" * depth + "]" * depth + "}"
            status, body = call(base + "/reports", nested.encode())
            assert status == 422 and body["detail"][0]["type"] == "json_too_deep"
        assert call(base + "/health", token=None) == (200, {"status": "ok"})
    assert count(store) == 0


def test_a_large_csv_streams_in_bounded_memory_and_sums_up_its_bad_rows(store, tmp_path):
    registry = registry_for(tmp_path, "https://www.example.gov.cn/")
    rows = 10_000
    path = tmp_path / "large.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for n in range(rows):  # every tenth row has an unknown category
            writer.writerow([f"N{n}", "5300000033", f"https://www.example.gov.cn/a/{n}.html",
                             "乱码" if n % 10 == 0 else "其他", "问题描述" * 10, "2026-10-08 09:30"])
    tracemalloc.start()
    try:
        result = import_reports(store, registry, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (result.added, result.bad_rows, len(result.problems)) == (9_000, 1_000, 100)
    assert [(c.reason, c.rows, c.first_rows) for c in result.by_reason] == [
        ("问题类型: unknown category", 1_000, (2, 12, 22, 32, 42))]
    assert peak < 25_000_000  # reading it whole into lists of dicts took over 50 MB
    assert count(store) == 9_000


# ----- an intake that stays up


def limited(**limits):
    return lambda app: intake_config(app, ConnectionLimits(**limits), log_level="warning")


def slow_client(base: str, request: bytes) -> socket.socket:
    """A connection that sends the start of a request and then nothing."""
    port = int(base.rsplit(":", 1)[1])
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(request)
    return sock


def closed_by_server(sockets: list, at_least: int) -> set:
    """The sockets the server has closed, waiting until at least that many are (or 10 s pass without a closing)."""
    closed: set = set()
    pending = list(sockets)
    while len(closed) < at_least:
        readable, _, _ = socket_select.select(pending, [], [], 10)
        if not readable:
            break
        for sock in readable:
            try:
                if sock.recv(1024) == b"":  # end of stream: the server closed it, nothing was answered
                    closed.add(sock)
            except ConnectionResetError:  # closed with the request's start unread
                closed.add(sock)
        pending = [sock for sock in pending if sock not in closed]
    return closed


def test_slow_connections_cannot_use_up_the_intake_and_health_answers(store, tmp_path):
    registry = registry_for(tmp_path, "https://www.example.gov.cn/")
    with intake(store, registry, limited(header_timeout=60, body_timeout=60, max_connections=20)) as base:
        slow = [slow_client(base, b"POST /reports HTTP/1.1\r\nHost: intake\r\nContent-Type: applica")
                for _ in range(200)]
        try:
            assert call(base + "/health", token=None) == (200, {"status": "ok"})
            closed = closed_by_server(slow, at_least=180)
            assert len(closed) >= 180  # the oldest slow ones made room: the intake holds at most 20
            status, body = call(base + "/reports", json.dumps(report("https://www.example.gov.cn/a.html")).encode())
            assert (status, body["status"]) == (201, "added")  # and still takes reports
        finally:
            for sock in slow:
                sock.close()


def test_a_client_too_slow_with_its_headers_or_its_body_is_dropped(store, tmp_path):
    registry = registry_for(tmp_path, "https://www.example.gov.cn/")
    body = json.dumps(report("https://www.example.gov.cn/a.html")).encode()
    head = (f"POST /reports HTTP/1.1\r\nHost: intake\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with intake(store, registry, limited(header_timeout=0.5, body_timeout=0.5)) as base:
        headers_slow = slow_client(base, head[:40])
        body_slow = slow_client(base, head + body[:10])
        try:
            assert closed_by_server([headers_slow, body_slow], at_least=2) == {headers_slow, body_slow}
        finally:
            headers_slow.close()
            body_slow.close()
        assert call(base + "/reports", body)[0] == 201  # a client that sends its request in time is served
    assert count(store) == 1


# ----- verify within a budget


SECOND_SITE = """
[[site]]
id = "b"
name = "测试县人民政府"
site_code = "5300000044"
home = "{home}"
type = "portal"
level = "县"
sponsor = "测试县人民政府办公室"
[site.crawl]
timeout = 30
"""


def test_a_spent_budget_leaves_reports_not_verified_and_asks_nobody(store, tmp_path):
    with SiteServer({"/": html(doc("首页")), "/a.html": html(doc("文章", "<p>正改措施</p>"))}) as site:
        add_report(store, "one", site.url + "/a.html", "错别字", "“正改”应为“整改”")
        add_report(store, "two", site.url + "/gone.html", "内容无法访问")
        results = verify(store, registry_for(tmp_path, site.url + "/"), budget=0)
        assert site.hits == []
    assert [(number, result.check) for number, result in results.items()] == [("one", None), ("two", None)]
    assert results["one"].as_dict()["verdict"] == "not_verified"
    assert "not_verified：本次核查的时间已用完，尚未核查" in results["one"].summary_line()
    assert results["one"].deadlines["reply_due"] is not None  # the deadlines hold all the same
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(ReportCheck)) == 0


def test_a_hung_site_is_cut_off_by_the_budget_unjudged_while_other_sites_are_verified(store, tmp_path):
    with SilentServer() as hung, SiteServer({"/": html(doc("首页")), "/a.html": html(doc("文章", "<p>正改</p>"))}) as ok:
        path = write_registry(tmp_path / "registry.toml", hung.url + "/", timeout=30)
        path.write_text(path.read_text(encoding="utf-8") + SECOND_SITE.format(home=ok.url + "/"), encoding="utf-8")
        registry = load_registry(path)
        add_report(store, "hung-1", hung.url + "/a.html", "内容无法访问")
        add_report(store, "hung-2", hung.url + "/b.html", "错别字", "“正改”应为“整改”")
        with store.session.begin() as session:
            session.add(CitizenReport(number="ok", site_id="b", url=ok.url + "/a.html", category="错别字",
                                      description="“正改”应为“整改”", source="test",
                                      submitted_at=datetime(2026, 11, 20, tzinfo=UTC), imported_at=MOMENT,
                                      updated_at=MOMENT))
        results = verify(store, registry, budget=3)
        assert hung.accepted.is_set()  # it was asked, and never answered within the budget

    assert (results["hung-1"].check, results["hung-2"].check) == (None, None)  # never "confirmed: 访问超时"
    assert results["ok"].check.verdict == "confirmed"  # verified alongside, not behind the hung site
    with store.session() as session:
        assert session.scalars(select(ReportCheck.report_id)).all() == [results["ok"].report.id]
