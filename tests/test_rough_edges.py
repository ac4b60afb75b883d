"""Rough edges of the commands and reports: crawl logs in China time, no database password on screen, the
supervisor workbook in its lists' words, --format with --supervisor, 暂定 on every date counted over a provisional
year, and the rules' threshold sources."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from datetime import UTC, date, datetime

from click.testing import CliRunner
from lxml import html as lxml_html
from openpyxl import load_workbook

from govmon.cli import main
from govmon.config import CHINA_TZ
from govmon.reports.supervisor import supervisor_doc
from govmon.reports.supervisor_xlsx import OPEN_SHEET, write_supervisor_xlsx
from govmon.store import CitizenReport
from tests.conftest import _postgres_database, write_registry
from tests.servers import Reply, SiteServer, html
from tests.test_period import GONE, OLD, add_run
from tests.test_report_supervisor import crawled, registry_file, supervisor_report  # noqa: F401 (fixtures)
from tests.test_service import registry_file as service_registry
from tests.test_supervisor import WEEK, document, finding

HOME_PAGE = "<html><head><title>首页</title></head><body><div>网站标识码：5300000033</div></body></html>"


def test_a_crawls_log_lines_are_stamped_in_china_time_whatever_the_machines_zone(tmp_path):
    # a robots.txt answer that is no HTTP (two lengths): Scrapy logs an error, as it does in a crawl child of `serve`
    routes = {"/": html(HOME_PAGE), "/robots.txt": Reply(200, b"User-agent: *\n", {"Content-Length": "999"})}
    with SiteServer(routes) as server:
        config = write_registry(tmp_path / "govmon.toml", server.url + "/", robots="obey")
        started = datetime.now(UTC).replace(microsecond=0)
        crawl = subprocess.run([sys.executable, "-m", "govmon.cli", "crawl", "t", "--no-check", "--config", str(config),
                                "--db", f"sqlite:///{tmp_path / 'govmon.db'}"], capture_output=True, text=True,
                               timeout=120, env={**os.environ, "TZ": "UTC"})
    assert crawl.returncode == 0, crawl.stderr
    stamp = re.search(r"^(\S+ \S+) \[scrapy\.[\w.]+\] ERROR: Error downloading <GET http", crawl.stderr, re.M)
    assert stamp, crawl.stderr
    assert stamp.group(1).endswith("+08:00")
    assert started <= datetime.fromisoformat(stamp.group(1)) <= datetime.now(UTC)


def test_serve_names_its_database_without_the_password(tmp_path, request):
    db_url = _postgres_database(request).replace("://postgres@", "://postgres:s3cret-pw@")  # trust: any password
    config = service_registry(tmp_path, "http://127.0.0.1:9/")
    process = subprocess.Popen([sys.executable, "-m", "govmon.cli", "serve", "--config", str(config), "--db", db_url],
                               stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    lines = []
    for line in process.stderr:
        lines.append(line)
        if "; running" in line:
            process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 0, "".join(lines)
    shown = "".join(lines)
    assert "s3cret-pw" not in shown
    assert "database postgresql+psycopg://postgres:***@127.0.0.1" in shown


def test_the_open_findings_sheet_describes_each_finding_as_its_sites_list_does(tmp_path):
    soft = finding("LINK-1", 1, "open", "2026-10-06T01:00:00+00:00")
    soft.update(description="链接无法访问：页面内容显示“页面不存在”", evidence={"reason": "soft_404", "status": 200,
                                                                            "detail": "页面正文为“您访问的页面不存在”"})
    stale = finding("HOME-1", 2, "new", "2026-10-09T01:00:00+00:00")
    stale.update(description="首页最近更新于2026-09-20，已超过14天未更新")
    site = document("a", "甲市人民政府", [soft, stale])
    doc = supervisor_doc("weekly", *WEEK, [site], [], None, site_files={"a": {}})
    sheet = load_workbook(write_supervisor_xlsx(doc, {"a": site}, tmp_path / "supervisor.xlsx"))[OPEN_SHEET]
    headers = [cell.value for cell in sheet[1]]
    rows = [dict(zip(headers, (cell.value for cell in row))) for row in sheet.iter_rows(min_row=2)]
    assert [row["问题描述"] for row in rows] == ["链接无法访问：页面内容显示“页面不存在”", "首页最近更新于2026-09-20，已超过14天未更新"]
    assert rows[0]["证据"] == "HTTP状态码：200\n页面正文为“您访问的页面不存在”"


def test_the_supervisor_report_is_written_in_the_formats_asked_for(crawled, registry_file, db_url, tmp_path):  # noqa: F811
    result = supervisor_report(registry_file, db_url, tmp_path / "out", "--period", "week", "--as-of", "2026-10-08",
                               "--format", "json")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "weekly" / "2026-W41"
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert written == ["digest.html", "digest.txt", "index.json", "sites/d-整改清单-2026-10-08.json",
                       "sites/t-整改清单-2026-10-08.json", "supervisor.json"]
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert sorted(entry["path"] for entry in index["files"]) == [p for p in written if p != "index.json"]
    refused = supervisor_report(registry_file, db_url, tmp_path / "out", "--format", "pdf")
    assert refused.exit_code == 2 and "unknown format(s): pdf (html, xlsx, json)" in refused.output


def test_dates_counted_over_a_provisional_year_say_so_wherever_they_are_shown(store, registry_file, db_url,  # noqa: F811
                                                                              tmp_path):
    add_run(store, "t", date(2027, 1, 4), "complete", ("LINK-1", GONE), ("LINK-2", OLD))
    add_run(store, "t", date(2027, 1, 5), "complete", ("LINK-1", GONE))  # OLD fixed
    received = datetime(2027, 1, 4, 9, tzinfo=CHINA_TZ).astimezone(UTC)
    with store.session.begin() as session:
        session.add(CitizenReport(number="ZC2027", site_id="t", url=GONE, category="内容无法访问", description="打不开",
                                  submitted_at=received, source="api", imported_at=received, updated_at=received))
    result = supervisor_report(registry_file, db_url, tmp_path / "out", "--period", "month", "--as-of", "2027-01-15")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "monthly" / "2027-01"
    site_list = json.loads((folder / "sites" / "t-整改清单-2027-01-15.json").read_text(encoding="utf-8"))
    (open_finding,), (fixed,) = site_list["findings"], site_list["fixed"]
    assert open_finding["deadline_note"].startswith("暂定：2027年")
    assert fixed["deadline_note"] == open_finding["deadline_note"]
    marked = f"{fixed['deadline']}（{fixed['deadline_note']}）"
    workbook = load_workbook(folder / "sites" / "t-整改清单-2027-01-15.xlsx")
    assert marked in [cell.value for row in workbook["已整改"].iter_rows() for cell in row]
    page = lxml_html.fromstring((folder / "sites" / "t-整改清单-2027-01-15.html").read_text(encoding="utf-8"))
    assert marked in [td.text_content() for td in page.cssselect("table.fixed td")]

    (overdue,) = json.loads((folder / "supervisor.json").read_text(encoding="utf-8"))["citizen"]["overdue_reports"]
    assert overdue["reply_due_note"].startswith("暂定：2027年")
    report_page = lxml_html.fromstring((folder / "supervisor.html").read_text(encoding="utf-8"))
    cells = [td.text_content() for td in report_page.cssselect("table.citizen-overdue td")]
    assert f"{overdue['reply_due']}（{overdue['reply_due_note']}）" in cells


def test_rules_list_names_where_a_threshold_comes_from():
    listed = CliRunner().invoke(main, ["rules", "list"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    time_1 = next(n for n, line in enumerate(lines) if line.startswith("TIME-1 "))
    assert lines[time_1 + 3].strip() == "threshold source: 云政办发〔2017〕41号第102项；玉溪市基层政务公开标准化规范化工作任务清单第14项"
    avail_1 = next(n for n, line in enumerate(lines) if line.startswith("AVAIL-1 "))
    assert "threshold source" not in lines[avail_1 + 3]  # a rule whose pack names none prints none
