"""Importing 我为政府网站找错 exports: CSV (UTF-8, GBK), XLSX and JSON into one row per report, bad rows named."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import func, select

from govmon.cli import main
from govmon.config import CHINA_TZ
from govmon.intake.receive import (
    CATEGORIES,
    ImportResult,
    ReasonCount,
    ReportFileError,
    RowProblem,
    import_reports,
    parse_time,
)
from govmon.registry import load_registry
from govmon.store import CitizenReport, open_store
from tests.conftest import write_registry

FIRST = datetime(2026, 10, 10, 2, 0, tzinfo=UTC)
LATER = datetime(2026, 10, 21, 2, 0, tzinfo=UTC)
HEADER = ["留言编号", "网站标识码", "网站名称", "问题网址", "问题类型", "问题描述", "留言时间", "答复时间", "办结时间",
          "答复内容", "留言人"]
ANSWERED = ["ZC2026100800001", "5300000033", "测试市人民政府", "https://www.example.gov.cn/zwgk/tzgg/t20261008_1.html",
            "错别字", "通知标题把“整改”写成“正改”", "2026-10-08 09:30", "2026/10/9 10:00", "2026年10月20日 16:00",
            "已更正，感谢指正", "张三"]
OPEN = ["ZC2026100800002", "", "测试市发展和改革委员会", "http://fgw.example.gov.cn/xxgk/", "信息不更新",
        "政策文件栏目半年未更新", "2026/10/8 14:05", "", "", "", "李四"]
FGW_SITE = """
[[site]]
id = "fgw"
name = "测试市发展和改革委员会"
site_code = "5300000044"
home = "http://fgw.example.gov.cn/"
allowed_hosts = ["xxgk.fgw.example.gov.cn"]
type = "department"
sponsor = "测试市发展和改革委员会"
"""


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


EXPECTED = {
    "ZC2026100800001": {
        "site_id": "t", "url": "https://www.example.gov.cn/zwgk/tzgg/t20261008_1.html", "category": "错别字",
        "description": "通知标题把“整改”写成“正改”", "submitted_at": utc(2026, 10, 8, 1, 30),
        "answered_at": utc(2026, 10, 9, 2), "closed_at": utc(2026, 10, 20, 8), "answer": "已更正，感谢指正"},
    "ZC2026100800002": {
        "site_id": "fgw", "url": "http://fgw.example.gov.cn/xxgk/", "category": "信息不更新",
        "description": "政策文件栏目半年未更新", "submitted_at": utc(2026, 10, 8, 6, 5),
        "answered_at": None, "closed_at": None, "answer": None},
}


@pytest.fixture
def registry_path(tmp_path: Path) -> Path:
    path = write_registry(tmp_path / "registry.toml", "https://www.example.gov.cn/")
    path.write_text(path.read_text(encoding="utf-8") + FGW_SITE, encoding="utf-8")
    return path


@pytest.fixture
def registry(registry_path: Path):
    return load_registry(registry_path)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig", header: list[str] = HEADER) -> Path:
    text = io.StringIO(newline="")
    csv.writer(text).writerows([header, *rows])
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def stored(store) -> dict[str, dict]:
    """Every stored report by number, its times as aware UTC (SQLite gives them back without a zone)."""
    def aware(value):
        return value.replace(tzinfo=UTC) if isinstance(value, datetime) and value.tzinfo is None else value

    columns = ("site_id", "url", "category", "description", "submitted_at", "answered_at", "closed_at", "answer",
               "source", "imported_at", "updated_at")
    with store.session() as session:
        return {row.number: {column: aware(getattr(row, column)) for column in columns}
                for row in session.scalars(select(CitizenReport))}


def with_import(expected: dict[str, dict], source: str, imported_at: datetime, updated_at: datetime | None = None):
    return {number: {**row, "source": source, "imported_at": imported_at, "updated_at": updated_at or imported_at}
            for number, row in expected.items()}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk(store, registry, tmp_path: Path, encoding: str):
    header = ["\u3000留言编号 ", "网站标识码：", "网站 名称", *HEADER[3:]]  # as hand-edited exports have them
    path = write_csv(tmp_path / "export.csv", [ANSWERED, OPEN], encoding, header)
    result = import_reports(store, registry, path, moment=FIRST)
    assert result == ImportResult(added=2, updated=0, unchanged=0, problems=[])
    assert stored(store) == with_import(EXPECTED, "export.csv", FIRST)


def test_xlsx_first_sheet_with_datetime_cells_and_text_dates(store, registry, tmp_path: Path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "留言"
    sheet.append(HEADER)
    sheet.append([20261008001, 5300000033, "测试市人民政府", ANSWERED[3], "错别字", ANSWERED[5],
                  datetime(2026, 10, 8, 9, 30), "2026年10月9日 10:00", datetime(2026, 10, 20, 16, 0), "已更正", None])
    sheet.append([])
    sheet.append(["20261008002", None, "测试市发展和改革委员会", OPEN[3], "信息不更新", OPEN[5], datetime(2026, 10, 8)])
    sheet.append(["20261008003", None, None, OPEN[3], "乱码", OPEN[5], "2026-10-08"])
    other = workbook.create_sheet("说明")
    other.append(["本表为导出说明"])
    workbook.active = other  # the first sheet is read, whichever was open when saved
    path = tmp_path / "export.xlsx"
    workbook.save(path)

    result = import_reports(store, registry, path, moment=FIRST)

    assert (result.added, result.updated, result.unchanged) == (2, 0, 0)
    assert [problem.row for problem in result.problems] == [5]  # the empty row 3 still counts, as Excel shows it
    assert result.problems[0].reason.startswith("问题类型: unknown category '乱码'")
    rows = stored(store)
    assert rows["20261008001"] == {**EXPECTED["ZC2026100800001"], "answer": "已更正", "source": "export.xlsx",
                                   "imported_at": FIRST, "updated_at": FIRST}
    assert rows["20261008002"]["submitted_at"] == utc(2026, 10, 7, 16)  # a date cell: midnight in China
    assert rows["20261008002"]["site_id"] == "fgw"


def test_json_list_and_reports_object(store, registry, tmp_path: Path):
    english = [{"number": "ZC2026100800001", "site_code": 5300000033, "url": ANSWERED[3], "category": "错别字",
                "description": ANSWERED[5], "submitted_at": "2026-10-08T09:30:00+08:00",
                "answered_at": "2026-10-09T02:00:00Z", "closed_at": "2026-10-20 16:00", "answer": "已更正，感谢指正"}]
    chinese = {"reports": [{"留言编号": "ZC2026100800002", "网站名称": "测试市发展和改革委员会", "问题网址": OPEN[3],
                            "问题类型": "信息不更新", "问题描述": OPEN[5], "留言时间": "2026/10/8 14:05",
                            "答复时间": None}, "not a report"]}
    (tmp_path / "a.json").write_text(json.dumps(english, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(chinese, ensure_ascii=False), encoding="utf-8")

    first = import_reports(store, registry, tmp_path / "a.json", moment=FIRST)
    second = import_reports(store, registry, tmp_path / "b.json", moment=FIRST)

    assert first == ImportResult(1, 0, 0, [])
    assert second == ImportResult(1, 0, 0, [RowProblem(2, 'not a JSON object: "not a report"')], 1,
                                  [ReasonCount("not a JSON object", 1, (2,))])
    rows = stored(store)
    assert rows["ZC2026100800001"] == with_import(EXPECTED, "a.json", FIRST)["ZC2026100800001"]
    assert rows["ZC2026100800002"] == with_import(EXPECTED, "b.json", FIRST)["ZC2026100800002"]


def test_malformed_rows_are_named_and_the_rest_imported(store, registry, tmp_path: Path):
    bad_category = [*OPEN[:4], "乱码", *OPEN[5:]]
    bad_category[0] = "ZC2026100800003"
    bad_date = [*OPEN[:6], "2026-13-45 09:30", *OPEN[7:]]
    bad_date[0] = "ZC2026100800004"
    path = write_csv(tmp_path / "export.csv", [ANSWERED, bad_category, bad_date, OPEN])

    result = import_reports(store, registry, path, moment=FIRST)

    assert (result.added, result.updated, result.unchanged) == (2, 0, 0)
    assert result.problems == [
        RowProblem(3, f"问题类型: unknown category '乱码' (one of {', '.join(CATEGORIES)})"),
        RowProblem(4, "留言时间: unreadable date '2026-13-45 09:30' (e.g. 2026-10-08 09:30, 2026/10/8 9:30, "
                      "2026年10月8日 09:30 or 2026-10-08)"),
    ]
    assert set(stored(store)) == {"ZC2026100800001", "ZC2026100800002"}


@pytest.mark.parametrize(("changes", "reason"), [
    ({0: ""}, "留言编号: missing"),
    ({0: "ZC2026100800001"}, "留言编号: 'ZC2026100800001' repeats row 2"),
    ({1: "5399999999"}, "网站标识码: no site in the registry has the code '5399999999'"),
    ({2: "某某县人民政府", 3: "https://www.mmx.gov.cn/a.html"},
     "网站名称: no site in the registry is named '某某县人民政府', nor has the reported page's host 'www.mmx.gov.cn'"),
    ({2: "", 3: "https://www.mmx.gov.cn/a.html"},
     "问题网址: the host 'www.mmx.gov.cn' belongs to no site in the registry (give the site's 网站标识码 or 网站名称)"),
    ({3: "ftp://fgw.example.gov.cn/a.doc"}, "问题网址: not an http(s) URL: 'ftp://fgw.example.gov.cn/a.doc'"),
    ({3: "fgw.example.gov.cn/xxgk/"}, "问题网址: not an http(s) URL: 'fgw.example.gov.cn/xxgk/'"),
    ({2: "", 3: "http://[fgw.example.gov.cn/"}, "问题网址: not an http(s) URL: 'http://[fgw.example.gov.cn/'"),
    ({5: " "}, "问题描述: missing"),
    ({6: "明天"}, "留言时间: unreadable date '明天'"),
    ({7: "2026-10-08 09:00"}, "答复时间: earlier than the report was submitted (2026-10-08 14:05)"),
    ({7: "2026-10-09 09:00", 8: "2026-10-08 18:00"}, "办结时间: earlier than the report was answered (2026-10-09 09:00)"),
    ({4: "", 6: ""}, "问题类型: missing; 留言时间: missing"),
])
def test_each_kind_of_bad_row(store, registry, tmp_path: Path, changes: dict[int, str], reason: str):
    bad = list(OPEN)
    bad[0] = "ZC2026100800009"
    for index, value in changes.items():
        bad[index] = value
    path = write_csv(tmp_path / "export.csv", [ANSWERED, bad])

    result = import_reports(store, registry, path, moment=FIRST)

    assert [problem.row for problem in result.problems] == [3]
    assert result.problems[0].reason.startswith(reason)
    assert result.added == 1 and set(stored(store)) == {"ZC2026100800001"}


def test_importing_twice_adds_nothing_and_a_later_export_updates(any_db_url: str, registry, tmp_path: Path):
    store = open_store(any_db_url)
    try:
        first = write_csv(tmp_path / "export-1008.csv", [ANSWERED, OPEN])
        assert import_reports(store, registry, first, moment=FIRST) == ImportResult(2, 0, 0, [])
        assert import_reports(store, registry, first, moment=LATER) == ImportResult(0, 0, 2, [])
        with store.session() as session:
            assert session.scalar(select(func.count()).select_from(CitizenReport)) == 2
        assert stored(store) == with_import(EXPECTED, "export-1008.csv", FIRST)

        answered = [*OPEN[:7], "2026-10-09 11:00", "", "已转栏目维护人员更新", OPEN[10]]
        later = write_csv(tmp_path / "export-1021.csv", [ANSWERED, answered])
        assert import_reports(store, registry, later, moment=LATER) == ImportResult(0, 1, 1, [])
        rows = stored(store)
        assert rows["ZC2026100800002"] == {**EXPECTED["ZC2026100800002"], "answered_at": utc(2026, 10, 9, 3),
                                           "answer": "已转栏目维护人员更新", "source": "export-1021.csv",
                                           "imported_at": FIRST, "updated_at": LATER}
        assert rows["ZC2026100800001"]["updated_at"] == FIRST

        # the older export read again: it lacks the answer, which stays
        assert import_reports(store, registry, first, moment=LATER) == ImportResult(0, 0, 2, [])
        assert stored(store)["ZC2026100800002"]["answer"] == "已转栏目维护人员更新"
    finally:
        store.engine.dispose()


def test_site_by_code_by_name_and_by_host(store, registry, tmp_path: Path):
    def row(number: str, code: str, name: str, url: str) -> list[str]:
        return [number, code, name, url, "其他", "描述", "2026-10-08 09:30", "", "", "", ""]

    path = write_csv(tmp_path / "export.csv", [
        row("by-code", "5300000044", "", "http://xxgk.fgw.example.gov.cn/gk/3.html"),
        row("code-first", "5300000033", "测试市发展和改革委员会", "https://www.example.gov.cn/"),
        row("by-name", "", "测试市发展和改革委员会", "https://fgw.example.gov.cn/"),
        row("by-home-host", "", "", "http://WWW.example.gov.cn:80/zwgk/"),
        row("by-allowed-host", "", "", "http://xxgk.fgw.example.gov.cn/gk/1.html"),
        row("by-host-after-name", "", "测试市发改委", "http://xxgk.fgw.example.gov.cn/gk/2.html"),
        # whatever names the site, the page must be on its origins: these would have sent verify elsewhere
        row("code-elsewhere", "5300000044", "", "https://elsewhere.example.com/"),
        row("name-elsewhere", "", "测试市发展和改革委员会", "https://www.example.gov.cn/"),
        row("other-port", "", "", "https://www.example.gov.cn:8443/zwgk/"),
    ])
    result = import_reports(store, registry, path, moment=FIRST)
    assert [(problem.row, problem.reason.split("：")[0]) for problem in result.problems] == [
        (8, "问题网址: 问题网址不属于该网站"), (9, "问题网址: 问题网址不属于该网站"), (10, "问题网址: 问题网址不属于该网站")]
    assert "'https://www.example.gov.cn:8443/zwgk/' 不在“测试市人民政府”的网址范围（http://www.example.gov.cn、" \
           "https://www.example.gov.cn）内" in result.problems[2].reason
    assert {number: row["site_id"] for number, row in stored(store).items()} == {
        "by-code": "fgw", "code-first": "t", "by-name": "fgw", "by-home-host": "t", "by-allowed-host": "fgw",
        "by-host-after-name": "fgw"}


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("reports.txt", b"anything", "cannot import a .txt file (.csv, .xlsx or .json)"),
    ("broken.xlsx", b"PK\x03\x04 not really a workbook", "not a readable XLSX workbook"),
    ("broken.json", b'[{"number": ', "not valid JSON"),
    ("object.json", b'{"number": "1"}', 'expected a list of reports, or {"reports": [...]}'),
    ("fields.json", json.dumps([{"编号": "1", "问题网址": "http://a.gov.cn/", "问题描述": "x", "留言时间": "2026-10-08"}]).encode(),
     "missing column(s): 问题类型 (or 问题类别, 问题分类, category)"),
    ("columns.csv", "留言编号,问题网址,问题描述,留言时间\n1,http://a.gov.cn/,x,2026-10-08\n".encode("gbk"),
     "missing column(s): 问题类型 (or 问题类别, 问题分类, category)"),
    ("binary.csv", b"\xff\xfe\xff\x00\x81", "neither UTF-8 nor GB18030/GBK text"),
])
def test_an_unreadable_file_names_itself(store, registry, tmp_path: Path, name: str, content: bytes, reason: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReportFileError) as raised:
        import_reports(store, registry, path)
    assert str(raised.value).startswith(f"{path}: {reason}")
    assert isinstance(raised.value, LookupError) and isinstance(raised.value, ValueError)
    assert stored(store) == {}


def test_a_workbook_with_a_broken_sheet_names_itself(store, registry, tmp_path: Path):
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.save(tmp_path / "good.xlsx")
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(tmp_path / "good.xlsx") as good, zipfile.ZipFile(path, "w") as broken:
        for name in good.namelist():
            broken.writestr(name, b"<worksheet><sheetData><row><c" if name.endswith("sheet1.xml") else good.read(name))
    with pytest.raises(ReportFileError, match=f"^{re.escape(str(path))}: not a readable XLSX workbook"):
        import_reports(store, registry, path)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-10-08 09:30", datetime(2026, 10, 8, 9, 30, tzinfo=CHINA_TZ)),
    ("2026/10/8 9:30", datetime(2026, 10, 8, 9, 30, tzinfo=CHINA_TZ)),
    ("2026年10月8日 09:30", datetime(2026, 10, 8, 9, 30, tzinfo=CHINA_TZ)),
    ("2026年10月8日9时30分", datetime(2026, 10, 8, 9, 30, tzinfo=CHINA_TZ)),
    ("2026-10-08 09:30:15", datetime(2026, 10, 8, 9, 30, 15, tzinfo=CHINA_TZ)),
    ("2026-10-08", datetime(2026, 10, 8, tzinfo=CHINA_TZ)),
    ("2026-10-08T01:30:00Z", datetime(2026, 10, 8, 1, 30, tzinfo=UTC)),
])
def test_report_times(text: str, expected: datetime):
    parsed = parse_time(text)
    assert parsed == expected and parsed.utcoffset() == expected.utcoffset()


def test_cli_prints_counts_and_bad_rows(registry_path: Path, db_url: str, tmp_path: Path):
    bad = [*OPEN[:4], "乱码", *OPEN[5:]]
    bad[0] = "ZC2026100800003"
    path = write_csv(tmp_path / "export.csv", [ANSWERED, bad, OPEN])
    runner = CliRunner()
    args = ["--config", str(registry_path), "--db", db_url]

    imported = runner.invoke(main, ["intake", "import", str(path), *args])
    again = runner.invoke(main, ["intake", "import", str(path), *args])

    assert imported.exit_code == 0, imported.output
    assert imported.output.splitlines() == [
        f"{path}: 2 added, 0 updated, 0 unchanged, 1 bad row(s)",
        f"  row 3: 问题类型: unknown category '乱码' (one of {', '.join(CATEGORIES)})",
    ]
    assert again.output.splitlines()[0] == f"{path}: 0 added, 0 updated, 2 unchanged, 1 bad row(s)"

    broken = tmp_path / "broken.json"
    broken.write_text("[", encoding="utf-8")
    refused = runner.invoke(main, ["intake", "import", str(broken), *args])
    assert refused.exit_code == 2
    assert f"govmon: {broken}: not valid JSON" in refused.output
