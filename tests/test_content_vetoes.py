"""The content vetoes end to end, on a small site of their own: crawled by the real spider (attachments read as
the national pack says, the homepage fetched again as Baiduspider), checked, and written as a rectification list.

The site is synthetic, written here; its personal numbers are made up (valid check digits computed here). What
each rule finds and leaves alone on real page shapes is in the rule and extractor tests.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest_twisted
from openpyxl import Workbook

from govmon.checks.engine import check_run
from govmon.checks.latest import availability_at
from govmon.checks.pack import load_pack
from govmon.crawler.run import schedule_crawl
from govmon.facts.personal_data import find_numbers
from govmon.reports.assemble import rectification_doc
from govmon.reports.rectification import write_rectification_list
from govmon.tasks import attachment_reading
from tests.servers import Reply, SiteServer, html

CONTENT_RULES = ("PII-1", "ERR-1", "SEC-1", "SVC-1")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str, wrong: bool = False) -> str:
    check = "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]
    return first17 + ("0" if check != "0" else "1") if wrong else first17 + check


EXPOSED = id_number("53010219880715201")
IN_SHEET = id_number("53250119930228302")
WRONG_CHECK = id_number("53011119900101403", wrong=True)
MASKED = EXPOSED[:6] + "********" + EXPOSED[-4:]
ELEMENTS = ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理机构", "收费标准", "办理时间", "联系电话",
            "办理流程")
NAV = ('<ul class="nav"><li><a href="/gs/1.html">公示公告</a></li><li><a href="/bsfw/">办事服务</a></li>'
       '<li><a href="/xw/1.html">要闻</a></li><li><a href="/tz/1.html">通知</a></li></ul>')
FOOTER = "<div>主办单位：测试市人民政府办公室 网站标识码：5300000033</div>"


def page(title: str, body: str, head: str = "") -> Reply:
    return html(f"<html><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>{NAV}"
                f"<h1>{title}</h1><p>发布日期：2026-11-20</p>{body}{FOOTER}</body></html>")


def people(*numbers: str) -> str:
    rows = "".join(f"<tr><td>{n}</td><td>某某{n}</td><td>{number}</td></tr>" for n, number in enumerate(numbers, 1))
    return f"<table><tr><th>序号</th><th>姓名</th><th>身份证号码</th></tr>{rows}</table>"


def guide(name: str, elements: tuple[str, ...]) -> Reply:
    rows = "".join(f"<tr><th>{element}：</th><td>见窗口公告</td></tr>" for element in elements)
    return page(f"{name}办事指南", f"<table>{rows}</table>")


def roster() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["2026年公益性岗位拟聘人员名单"])
    sheet.append(["序号", "姓名", "身份证号码"])
    sheet.append([1, "某甲", IN_SHEET[:6] + "********" + IN_SHEET[-4:]])
    sheet.append([2, "某乙", IN_SHEET])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def site(elsewhere: str) -> dict:
    spider_home = page("澳门新葡京娱乐城_真人百家乐", f'<a href="{elsewhere}/bet/">百家乐</a>')
    return {
        "/": lambda handler: spider_home if "Baiduspider" in handler.headers.get("User-Agent", "") else page(
            "测试市人民政府", f'<a href="{elsewhere}/gov/">中国政府网</a>'),
        "/gs/1.html": page("关于拟聘用人员的公示", people(EXPOSED, MASKED) + '<a href="/gs/2.html">另一公示</a>'),
        "/gs/2.html": page("关于见义勇为人员的公示", people(WRONG_CHECK, MASKED, "138****5678")
                           + '<a href="/files/roster.xlsx">拟聘人员名单.xlsx</a>'),
        "/files/roster.xlsx": Reply(200, roster(), {"Content-Type": XLSX}),
        "/xw/1.html": page("全市安全生产工作会议召开", "<p>会议传达了国物院常务会议精神。</p>"
                           f'<div style="display:none"><a href="{elsewhere}/x/">澳门赌场</a></div>'
                           f'<p><a href="{elsewhere}/gov/">中国政府网</a></p>'),
        "/tz/1.html": page("关于贯彻《中华人民共和国安全生产法》的通知", "<p>国务院办公厅、市人民政府有关要求。</p>"),
        "/bsfw/": page("办事服务", '<ul><li><a href="/bsfw/a.html">婚姻登记办事指南</a><span>2026-11-20</span></li>'
                                   '<li><a href="/bsfw/b.html">高龄津贴申领办事指南</a><span>2026-11-19</span></li></ul>'),
        "/bsfw/a.html": guide("婚姻登记", ELEMENTS),
        "/bsfw/b.html": guide("高龄津贴申领", ("事项名称", "办理机构", "联系电话")),
    }


@pytest_twisted.ensureDeferred
async def test_the_content_vetoes_find_what_the_site_publishes_and_no_report_repeats_a_number(
        store, db_url, make_site, tmp_path):
    pack = load_pack("national")
    with SiteServer({"/gov/": html("<title>中国政府网</title>"), "/bet/": html("<title>x</title>"),
                     "/x/": html("<title>x</title>")}) as other:
        elsewhere = f"http://localhost:{other.port}"  # another host than the site's 127.0.0.1
        with SiteServer(site(elsewhere)) as server:
            registered = make_site(server.url + "/", spider_view_pages=1)
            run = await schedule_crawl(store, registered, db_url,
                                       GOVMON_READ_ATTACHMENTS=attachment_reading(pack))
    assert run.status == "complete"
    now = datetime.now(UTC)
    findings = [f for f in check_run(store, run.id, pack, now, registered) if f.rule in CONTENT_RULES]
    home = server.url + "/"
    assert sorted((f.rule, f.target) for f in findings) == sorted([
        ("PII-1", server.url + "/gs/1.html"),  # the unmasked number; the masked one and the wrong check digit not
        ("PII-1", server.url + "/files/roster.xlsx"),
        ("ERR-1", server.url + "/xw/1.html"),
        ("SEC-1", server.url + "/xw/1.html"),  # the hidden link, not the visible one beside it
        ("SEC-1", home),  # Baiduspider is shown another title and a link the visitors are not
        ("SVC-1", server.url + "/bsfw/b.html"),  # the poor guide, not the complete one
    ])
    by_target = {(f.rule, f.target): f for f in findings}
    page_pii = by_target["PII-1", server.url + "/gs/1.html"]
    assert page_pii.evidence["numbers"] == 1 and page_pii.evidence["masked"] == [MASKED]
    sheet_pii = by_target["PII-1", server.url + "/files/roster.xlsx"]
    assert [place["attr"] for place in sheet_pii.places] == ["Sheet!C4"]  # openpyxl names its first sheet "Sheet"
    assert sheet_pii.evidence["location"] == "Sheet!C4"  # the report's 问题位置
    sec = by_target["SEC-1", server.url + "/xw/1.html"].evidence
    assert [link["url"] for link in sec["hidden_links"]] == [f"{elsewhere}/x/"]
    cloaked = by_target["SEC-1", home].evidence["cloaking"]
    assert (cloaked["browser_title"], cloaked["spider_title"]) == ("测试市人民政府", "澳门新葡京娱乐城_真人百家乐")
    assert by_target["ERR-1", server.url + "/xw/1.html"].evidence["terms"][0]["right"] == "国务院"
    assert set(by_target["SVC-1", server.url + "/bsfw/b.html"].evidence["missing"]) == set(ELEMENTS) - {
        "事项名称", "办理机构", "联系电话"}

    doc = rectification_doc(store, registered, run.id, pack, now.date(), now,
                            availability=availability_at(store, registered, pack, now))
    assert {"PII-1", "ERR-1", "SEC-1"} <= set(doc["verdict"]["vetoes"]) and "SVC-1" not in doc["verdict"]["vetoes"]
    paths = write_rectification_list(doc, tmp_path / "reports", ["html", "xlsx", "json"])
    written = [paths["html"].read_text(encoding="utf-8"), json.dumps(doc, ensure_ascii=False)]
    with zipfile.ZipFile(paths["xlsx"]) as archive:
        written += [archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml")]
    assert any(MASKED in text for text in written) and "Sheet!C4" in written[0]  # the number and where it is
    assert [n.masked for text in written for n in find_numbers(text) if n.kind == "id_card"] == []
    assert not any(number in text for text in written for number in (EXPOSED, IN_SHEET))
