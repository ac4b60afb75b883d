"""`govmon report --supervisor`: the supervisor report on demand from the stored runs, through the same function
as `govmon serve`, with its XLSX (a row per site linked to the site's list, every open finding)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html
from openpyxl import load_workbook

from govmon.cli import main
from govmon.reports.document import document_json
from govmon.reports.supervisor_xlsx import OPEN_SHEET, SITES_SHEET
from govmon.schedules.jobs import write_reports
from tests.test_period import GONE, HOME, OLD, PDF, add_run, site_entry

FORMULA = HOME + "=HYPERLINK(\"http://evil.example/\")"


@pytest.fixture
def registry_file(tmp_path: Path) -> Path:
    path = tmp_path / "govmon.toml"
    path.write_text(f'[settings]\ndata_dir = "{tmp_path / "data"}"\n\n'
                    + site_entry("t", "测试市人民政府", HOME)
                    + site_entry("d", "测试市发展和改革委员会", "http://www.dept.gov.cn/", "department", None)
                    + site_entry("n", "测试镇人民政府", "http://www.town.gov.cn/", "portal", "乡"), encoding="utf-8")
    return path


@pytest.fixture
def crawled(store):
    """t: two broken links on Monday 5 October, one of them a crawled "=…" text, and a stale homepage from
    Wednesday; d: a partial crawl on Tuesday; n: never crawled."""
    add_run(store, "t", date(2026, 10, 5), "complete", ("LINK-1", GONE), ("LINK-2", OLD), ("LINK-2", FORMULA))
    add_run(store, "t", date(2026, 10, 7), "complete", ("LINK-1", GONE), ("LINK-2", FORMULA), ("HOME-1", HOME))
    add_run(store, "d", date(2026, 10, 6), "partial", ("LINK-3", PDF))
    return store


def supervisor_report(registry_file: Path, db_url: str, out: Path, *options: str):
    return CliRunner().invoke(main, ["report", "--supervisor", *options, "--out", str(out),
                                     "--config", str(registry_file), "--db", db_url])


def test_the_week_so_far_with_its_xlsx_one_row_per_site_linked_to_its_list(crawled, registry_file, db_url, tmp_path):
    result = supervisor_report(registry_file, db_url, tmp_path / "out", "--period", "week", "--as-of", "2026-10-08")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "weekly" / "2026-W41"
    assert result.output.splitlines()[0] == f"supervisor report (周巡查 2026-W41): {folder}"
    assert f"  {folder / 'supervisor.xlsx'}" in result.output.splitlines()
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert (index["first_day"], index["last_day"]) == ("2026-10-05", "2026-10-08")  # Monday up to --as-of
    assert {"path": "supervisor.xlsx", "kind": "supervisor_xlsx"} in index["files"]

    workbook = load_workbook(folder / "supervisor.xlsx")
    assert workbook.sheetnames == [SITES_SHEET, OPEN_SHEET]
    sites = workbook[SITES_SHEET]
    texts = [str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value]
    assert sum(text.count("时间均为北京时间") for text in texts) == 1
    assert sites["A1"].value.startswith("政府网站检查情况（周巡查）2026-W41　检查期间：2026-10-05 至 2026-10-08　生成时间：")
    assert sites.freeze_panes == "A3" and sites.auto_filter.ref == "A2:L5"
    rows = [[cell.value for cell in row] for row in sites.iter_rows(min_row=2)]
    assert rows[0] == ["网站名称", "主办单位", "检查结论", "待定原因", "得分", "单项否决", "未整改", "本期新发现", "本期已整改",
                       "已超期", "网站管理员", "整改清单"]
    t, d, n = rows[1:]
    assert t[:3] + t[5:11] == ["测试市人民政府", "测试市人民政府办公室", "不合格", "HOME-1 首页不更新", 3, 3, 1, 0,
                               "管理员\nadmin@example.gov.cn"]
    assert d[2] == "合格（待定）" and d[6:10] == [1, 1, 0, 0]
    assert n[2:3] + n[4:5] + n[6:] == ["无采集", "—", "—", "—", "—", "—", "管理员\nadmin@example.gov.cn", "无采集，无清单"]
    link = sites.cell(3, 12).hyperlink.target
    assert link == "sites/t-整改清单-2026-10-08.xlsx" and (folder / link).is_file()
    assert sites.cell(5, 12).hyperlink is None

    found = workbook[OPEN_SHEET]
    assert found.freeze_panes == "A2" and found.auto_filter.ref == "A1:J5"
    listed = [[cell.value for cell in row] for row in found.iter_rows(min_row=2)]
    assert sorted((r[0], r[1], r[4]) for r in listed) == [
        ("测试市人民政府", "HOME-1", HOME), ("测试市人民政府", "LINK-1", GONE), ("测试市人民政府", "LINK-2", FORMULA),
        ("测试市发展和改革委员会", "LINK-3", PDF)]
    assert all(r[8] for r in listed)  # each with its 整改时限
    # each finding in the words its site's list uses (问题 and 证据), not only its rule's title
    site_list = lxml_html.fromstring((folder / "sites" / "t-整改清单-2026-10-08.html").read_text(encoding="utf-8"))
    shown = {(row.cssselect("td.col-problem .description")[0].text_content(),
              "\n".join(div.text_content() for div in row.cssselect("td.col-evidence div")))
             for row in site_list.cssselect("table.findings tr.finding")}
    assert {(r[3], r[5] or "") for r in listed if r[0] == "测试市人民政府"} == shown
    assert all(r[3] != title for r in listed for title in ("首页不可用链接", "其他页面不可用链接"))
    formula = next(row for row in found.iter_rows(min_row=2) if row[4].value == FORMULA)
    assert formula[4].data_type == "s"  # crawled text stays text

    page = lxml_html.fromstring((folder / "supervisor.html").read_text(encoding="utf-8"))
    links = {a.text: a.get("href") for a in page.cssselect("table.sites a")}
    assert links == {"测试市人民政府": "sites/t-整改清单-2026-10-08.html",
                     "测试市发展和改革委员会": "sites/d-整改清单-2026-10-08.html"}
    assert all((folder / href).is_file() for href in links.values())


def test_on_the_periods_last_day_it_writes_what_serve_writes_the_day_after(crawled, registry_file, db_url, tmp_path,
                                                                         monkeypatch):
    monkeypatch.setenv("GOVMON_NOW", "2026-10-12T08:05:00+08:00")
    served = write_reports(str(registry_file), db_url, "weekly").parent
    assert served == tmp_path / "data" / "reports" / "weekly" / "2026-W41"
    result = supervisor_report(registry_file, db_url, tmp_path / "out", "--period", "week", "--as-of", "2026-10-11")
    assert result.exit_code == 0, result.output
    demand = tmp_path / "out" / "weekly" / "2026-W41"

    def contents(folder: Path) -> tuple[list[str], dict]:
        doc = json.loads((folder / "supervisor.json").read_text(encoding="utf-8"))
        return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")), {**doc, "generated_at": None}

    assert contents(demand) == contents(served)


def test_a_period_without_data_says_so_in_one_line(crawled, registry_file, db_url, tmp_path):
    result = supervisor_report(registry_file, db_url, tmp_path / "out", "--as-of", "2026-10-01")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "daily" / "2026-10-01"
    line = "本期（2026-10-01）无采集数据：3个网站均无本期结束前的采集，未作判定"
    page = lxml_html.fromstring((folder / "supervisor.html").read_text(encoding="utf-8"))
    assert list(page.iter("img")) == [] and [p.text for p in page.cssselect("p.no-data")] == [line]
    workbook = load_workbook(folder / "supervisor.xlsx")
    assert workbook[SITES_SHEET]["A1"].value.endswith(line)
    assert [[c.value for c in row] for row in workbook[OPEN_SHEET].iter_rows(min_row=2)] == [
        [line] + [None] * 9]


@pytest.mark.parametrize("arguments", [["report"], ["report", "t", "--period", "week"],
                                       ["report", "--supervisor", "t"], ["report", "--supervisor", "--run", "1"]])
def test_a_list_needs_its_site_and_the_supervisor_report_none(registry_file, db_url, arguments):
    result = CliRunner().invoke(main, [*arguments, "--config", str(registry_file), "--db", db_url])
    assert result.exit_code == 2 and "--supervisor" in result.output


@pytest.mark.parametrize("as_of", ["2026-10-08", "2026-10-01"])  # a week with runs, a day without data
def test_the_written_documents_match_their_models_byte_for_byte(crawled, registry_file, db_url, tmp_path, as_of):
    result = supervisor_report(registry_file, db_url, tmp_path / "out", "--period", "week", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    (folder,) = (tmp_path / "out" / "weekly").iterdir()
    written = {"supervisor.json": "supervisor-report", "index.json": "period-reports",
               **{p.relative_to(folder).as_posix(): "rectification-list" for p in folder.glob("sites/*.json")}}
    assert len(written) == (4 if as_of == "2026-10-08" else 2)
    for name, kind in written.items():
        text = (folder / name).read_text(encoding="utf-8")
        assert document_json(json.loads(text), kind) == text, name
