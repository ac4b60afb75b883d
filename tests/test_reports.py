"""The rectification list writers: JSON, self-contained HTML and XLSX from one document."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from lxml import html as lxml_html
from openpyxl.utils import get_column_letter

from govmon.reports.document import SCHEMA, validate, write_json
from govmon.reports.html import write_html
from govmon.reports.rectification import write_rectification_list
from govmon.reports.xlsx import COLUMNS, write_xlsx

HOME = "http://127.0.0.1:8080/"
SCRIPT_ANCHOR = '<script>alert("x")</script>通知'
FORMULA_ANCHOR = '=HYPERLINK("http://127.0.0.1:9/","点击")'
LONG_URL = HOME + "zwgk/xxgkml/" + "a" * 150 + "/P020261120123456789012.pdf"
XLSX_HEADERS = [
    "序号", "规则编号", "问题类别", "问题描述", "问题位置", "问题网址", "所在页面", "锚文本",
    "出现次数", "证据", "依据", "整改建议", "首次发现", "最近发现", "状态", "整改时限", "是否超期",
]


def _finding(id_, rule, cls, title, description, target, where, where_total, evidence, threshold_status, fix,
             source="国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》链接可用性"):
    return {
        "id": id_, "rule": rule, "class": cls, "title": title, "description": description,
        "target": target, "where": where, "where_total": where_total,
        "evidence": {"checked_at": "2026-11-23T09:41:07+08:00", **evidence},
        "source": source, "threshold_status": threshold_status, "fix": fix,
        "first_seen": "2026-11-20T08:15:00+08:00", "last_seen": "2026-11-23T09:41:07+08:00",
        "state": "open", "reported": "2026-11-20T08:15:00+08:00", "deadline": "2026-12-04", "deadline_note": None,
        "overdue": False,
    }


def _where(page, text, tag="a", attr="href"):
    return {"page": page, "tag": tag, "attr": attr, "text": text}


def _summarise(findings, fixed):
    by_class = Counter(f["class"] for f in findings)
    by_rule = Counter((f["rule"], f["title"], f["class"]) for f in findings)
    return {
        "total": len(findings),
        "by_class": {cls: by_class.get(cls, 0) for cls in ("veto", "deduct", "advice")},
        "by_rule": [{"rule": r, "title": t, "class": c, "count": n} for (r, t, c), n in sorted(by_rule.items())],
        "states": {**{state: sum(f["state"] == state for f in findings) for state in ("new", "open", "reopened")},
                   "overdue": sum(f["overdue"] for f in findings), "fixed": len(fixed)},
    }


FIXED = {"rule": "LINK-2", "class": "deduct", "title": "其他页面不可用链接", "target": HOME + "zwgk/moved.html",
         "first_seen": "2026-11-02T08:00:00+08:00", "reported": "2026-11-02T08:00:00+08:00",
         "fixed_at": "2026-11-23T08:00:00+08:00", "deadline": "2026-11-16", "on_time": False}


def _document(findings, status="partial", reason="达到页面数上限（500个），部分栏目未采集", fixed=()):
    return {
        "schema": SCHEMA,
        "generated_at": "2026-11-23T10:00:00+08:00",
        "as_of": "2026-11-23",
        "since": "2026-11-22T08:00:00+08:00",
        "site": {"id": "dz", "name": "滇中市人民政府", "site_code": "5301000001", "home_url": HOME,
                 "sponsor": "滇中市人民政府办公室", "admin": {"name": "张三", "email": "admin@example.gov.cn"}},
        "run": {"id": 12, "started_at": "2026-11-23T08:00:00+08:00", "finished_at": "2026-11-23T09:42:00+08:00",
                "status": status, "reason": reason, "pages": 356, "links": 9123, "errors": 11},
        "pack": {"id": "national", "name": "全国通用（国办秘函〔2019〕19号）"},
        "summary": _summarise(findings, fixed),
        "findings": findings,
        "fixed": list(fixed),
    }


@pytest.fixture
def doc():
    capped = [_where(f"{HOME}zcwj/list_{n}.html", f"关于做好第{n}批项目申报工作的通知") for n in range(19)]
    capped.append(_where(HOME + "zcwj/list_19.html", "通知\x08附件"))  # a control character XML cannot hold
    findings = [
        _finding(101, "LINK-1", "deduct", "首页不可用链接", "首页链接无法访问：HTTP 404",
                 HOME + "xwzx/old.html", [_where(HOME, SCRIPT_ANCHOR)], 1,
                 {"reason": "http_404", "status": 404, "detail": "HTTP 404 Not Found", "final_url": None},
                 "default", "修复或删除该链接；如页面已迁移，请改为新地址"),
        _finding(102, "LINK-2", "deduct", "其他页面不可用链接", "页面中的链接无法访问：域名解析失败",
                 "http://old-host.invalid/hdjl/x.html", capped, 37,
                 {"reason": "dns_error", "status": None, "detail": "DNS lookup failed for old-host.invalid"},
                 "default", "修复或删除该链接"),
        _finding(103, "LINK-2", "deduct", "其他页面不可用链接", "图片无法加载：页面不存在（软404）",
                 HOME + "images/banner.jpg", [_where(HOME + "zwgk/index.html", "", tag="img", attr="src")], 1,
                 {"reason": "soft_404", "status": 200, "detail": "页面提示“您访问的页面不存在”"},
                 "default", "替换或删除该图片"),
        _finding(104, "LINK-3", "deduct", "附件无法下载", "附件返回错误页面",
                 LONG_URL, [_where(HOME + "zwgk/tzgg/t1.html", FORMULA_ANCHOR)], 1,
                 {"reason": "error_page", "status": 200, "detail": "返回HTML页面而非附件", "content_type": "text/html"},
                 "default", "重新上传附件"),
        _finding(105, "COL-3", "veto", "空白栏目", "栏目“重大建设项目”从未发布信息",
                 HOME + "zwgk/zdjsxm/index.html", [], 0,
                 {"reason": "other", "status": 200, "detail": "栏目列表为空", "column": "重大建设项目"},
                 "confirmed", "补充栏目内容或撤销该栏目",
                 source="国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》空白栏目"),
    ]
    return _document(findings, fixed=[FIXED])


def _write_all(doc, tmp_path):
    return write_rectification_list(doc, tmp_path, ["html", "xlsx", "json"])


def test_json_round_trips_the_document_in_readable_utf8(doc, tmp_path):
    path = write_json(doc, tmp_path / "list.json")
    text = path.read_text(encoding="utf-8")
    assert "滇中市人民政府" in text  # ensure_ascii=False
    assert "\n  " in text  # indented
    assert json.loads(text) == doc


def test_documented_example_is_a_valid_document():
    text = (Path(__file__).parents[1] / "docs" / "report-json.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
    validate(example)
    assert example["schema"] == SCHEMA


def test_write_rectification_list_names_files_by_site_and_date(doc, tmp_path):
    paths = _write_all(doc, tmp_path / "out")
    assert {fmt: p.name for fmt, p in paths.items()} == {
        "html": "dz-整改清单-2026-11-23.html",
        "xlsx": "dz-整改清单-2026-11-23.xlsx",
        "json": "dz-整改清单-2026-11-23.json",
    }
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths.values())


def test_unknown_format_is_refused_by_name_and_nothing_is_written(doc, tmp_path):
    with pytest.raises(ValueError, match="pdf"):
        write_rectification_list(doc, tmp_path, ["html", "pdf"])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("writer", [write_json, write_html, write_xlsx])
@pytest.mark.parametrize("path, key", [
    ((), "findings"),
    (("site",), "name"),
    (("run",), "status"),
    (("findings", 1, "evidence"), "reason"),
    (("findings", 0, "where", 0), "text"),
    (("findings", 2), "state"),
    (("summary", "states"), "overdue"),
    (("fixed", 0), "fixed_at"),
])
def test_missing_key_is_a_value_error_naming_it(doc, tmp_path, writer, path, key):
    broken = copy.deepcopy(doc)
    obj = broken
    for step in path:
        obj = obj[step]
    del obj[key]
    dotted = re.sub(r"\.(\d+)", r"[\1]", ".".join(str(s) for s in (*path, key)))
    with pytest.raises(ValueError, match=re.escape(dotted)):
        writer(broken, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_bad_class_is_refused(doc, tmp_path):
    doc["findings"][0]["class"] = "fatal"
    with pytest.raises(ValueError, match=r"findings\[0\]\.class"):
        write_json(doc, tmp_path / "x.json")


def _parse_html(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def test_html_is_self_contained(doc, tmp_path):
    page = _parse_html(write_html(doc, tmp_path / "list.html"))
    assert page.xpath("//script") == []
    assert page.xpath("//img | //iframe | //object | //embed | //link[@href]") == []
    assert page.xpath("//*[@src]") == []
    styles = " ".join(page.xpath("//style/text()") + page.xpath("//@style"))
    assert "@import" not in styles and "url(" not in styles
    # The only URLs are the findings' and the site's own, as plain links, and the contents' links to the rules.
    assert {href.split(":")[0] for href in page.xpath("//a/@href") if not href.startswith("#rule-")} == {"http"}


def test_html_header_encoding_language_and_title(doc, tmp_path):
    path = write_html(doc, tmp_path / "list.html")
    page = _parse_html(path)
    assert page.get("lang") == "zh-CN"
    assert page.xpath("//meta/@charset") == ["utf-8"]
    assert page.findtext(".//title") == "滇中市人民政府 整改清单 2026-11-23"
    header = page.xpath("string(//table[@class='info'])")
    assert "5301000001" in header and "滇中市人民政府办公室" in header


def test_html_shows_a_partial_run_prominently_with_its_reason(doc, tmp_path):
    alert = _parse_html(write_html(doc, tmp_path / "list.html")).xpath("//*[@role='alert']")
    assert len(alert) == 1
    assert "可能遗漏问题" in alert[0].text_content()
    assert "达到页面数上限（500个）" in alert[0].text_content()


def test_html_shows_no_alert_for_a_complete_run(doc, tmp_path):
    doc["run"].update(status="complete", reason=None)
    assert _parse_html(write_html(doc, tmp_path / "list.html")).xpath("//*[@role='alert']") == []


def test_html_escapes_crawled_anchor_text(doc, tmp_path):
    path = write_html(doc, tmp_path / "list.html")
    raw = path.read_text(encoding="utf-8")
    assert "<script>" not in raw
    assert "&lt;script&gt;" in raw
    assert SCRIPT_ANCHOR in _parse_html(path).text_content()


def test_html_lists_every_finding_with_its_place_and_evidence(doc, tmp_path):
    page = _parse_html(write_html(doc, tmp_path / "list.html"))
    rows = page.xpath("//table[@class='findings']/tbody/tr[contains(@class, 'finding')]")
    assert len(rows) == len(doc["findings"])
    hrefs = set(page.xpath("//table[@class='findings']//a/@href"))
    for row, finding in zip(rows, doc["findings"]):
        text = row.text_content()
        assert finding["rule"] in text and finding["target"] in text
        assert finding["target"] in hrefs
        assert row.getparent().get("id") == f"rule-{finding['rule']}"  # the contents links to its rule's group
    capped = rows[1].text_content()
    assert "等37处" in capped and "域名解析失败" in capped and "出现在37个页面" in capped
    assert "默认值，请以本地区考核细则为准" in rows[0].text_content()
    assert "默认值" not in rows[4].text_content()  # confirmed threshold: no remark
    assert "HTTP 404" in rows[0].text_content() and "HTTP 404 Not Found" not in rows[0].text_content()
    assert "页面不存在（软404）" in rows[2].text_content()
    assert "（图片，无文字）" in rows[2].text_content()
    by_rule = {r.xpath("string(td[1])"): r.xpath("string(td[4])")
               for r in page.xpath("//table[contains(@class,'by-rule')]/tbody/tr")}
    assert by_rule == {"COL-3": "1", "LINK-1": "1", "LINK-2": "2", "LINK-3": "1"}
    contents = page.xpath("//table[contains(@class,'by-rule')]//a/@href")
    assert set(contents) == {"#rule-COL-3", "#rule-LINK-1", "#rule-LINK-2", "#rule-LINK-3"}
    assert all(page.xpath(f"//tbody[@id='{href[1:]}']") for href in contents)


def test_html_prints_on_a4_landscape(doc, tmp_path):
    style = "".join(_parse_html(write_html(doc, tmp_path / "list.html")).xpath("//style/text()"))
    assert re.search(r"@page\s*{[^}]*size:\s*A4 landscape", style)
    assert "@media print" in style


def test_html_does_not_link_non_web_urls(doc, tmp_path):
    doc["findings"][0]["target"] = "javascript:alert(1)"
    page = _parse_html(write_html(doc, tmp_path / "list.html"))
    assert not any(href.startswith("javascript") for href in page.xpath("//a/@href"))
    assert "javascript:alert(1)" in page.text_content()


def _open_xlsx(doc, tmp_path):
    return openpyxl.load_workbook(write_xlsx(doc, tmp_path / "list.xlsx"))


def test_xlsx_findings_sheet_layout(doc, tmp_path):
    sheet = _open_xlsx(doc, tmp_path)["整改清单"]
    assert [c.value for c in sheet[1]] == XLSX_HEADERS
    assert [c.header for c in COLUMNS] == XLSX_HEADERS
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("DDEBF7") for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    n = len(doc["findings"])
    assert sheet.max_row == 1 + n
    assert sheet.auto_filter.ref == f"A1:Q{1 + n}"
    assert [sheet.cell(r, 1).value for r in range(2, 2 + n)] == list(range(1, n + 1))
    assert [sheet.cell(r, 2).value for r in range(2, 2 + n)] == [f["rule"] for f in doc["findings"]]


def test_xlsx_column_widths_fit_content_within_bounds(doc, tmp_path):
    sheet = _open_xlsx(doc, tmp_path)["整改清单"]
    widths = {c.header: sheet.column_dimensions[get_column_letter(i)].width for i, c in enumerate(COLUMNS, 1)}
    caps = {c.header: c.max_width for c in COLUMNS}
    assert all(6 <= widths[h] <= caps[h] for h in widths)
    assert widths["问题网址"] == 60  # the long attachment URL hits the cap
    assert widths["问题网址"] > widths["序号"]
    # CJK counts double: "所在页面" is 4 characters, 8 cells, and the pages are longer still.
    assert widths["所在页面"] > 10
    url_cell = sheet.cell(2, XLSX_HEADERS.index("问题网址") + 1)
    assert url_cell.alignment.wrap_text


def test_xlsx_cells_carry_places_evidence_and_basis(doc, tmp_path):
    sheet = _open_xlsx(doc, tmp_path)["整改清单"]
    col = {h: i for i, h in enumerate(XLSX_HEADERS, 1)}
    capped = sheet.cell(3, col["所在页面"]).value.split("\n")
    assert len(capped) == 21 and capped[-1] == "等37处"
    assert sheet.cell(3, col["出现次数"]).value == 37
    assert sheet.cell(3, col["锚文本"]).value.split("\n")[-1] == "通知附件"
    assert sheet.cell(3, col["证据"]).value.startswith("检查时间：2026-11-23 09:41")  # what the description lacks
    assert "DNS lookup failed" not in sheet.cell(3, col["证据"]).value  # English exception text stays in the JSON
    assert "HTTP 404" in sheet.cell(2, col["问题描述"]).value and "HTTP 404" not in sheet.cell(2, col["证据"]).value
    assert sheet.cell(6, col["问题位置"]).value == "栏目“重大建设项目”"
    assert sheet.cell(2, col["锚文本"]).value == SCRIPT_ANCHOR
    assert sheet.cell(2, col["问题类别"]).value == "扣分"
    assert sheet.cell(6, col["问题类别"]).value == "单项否决"
    assert "默认值，请以本地区考核细则为准" in sheet.cell(2, col["依据"]).value
    assert sheet.cell(2, col["首次发现"]).value == "2026-11-20 08:15"
    assert sheet.cell(2, col["问题网址"]).hyperlink.target == doc["findings"][0]["target"]


def test_xlsx_keeps_crawled_formula_text_as_text(doc, tmp_path):
    cell = _open_xlsx(doc, tmp_path)["整改清单"].cell(5, XLSX_HEADERS.index("锚文本") + 1)
    assert cell.value == FORMULA_ANCHOR
    assert cell.data_type == "s"


def test_xlsx_summary_sheet_counts(doc, tmp_path):
    workbook = _open_xlsx(doc, tmp_path)
    assert workbook.sheetnames == ["整改清单", "已整改", "汇总"]
    rows = [[c.value for c in row] for row in workbook["汇总"].iter_rows()]
    info = {r[0]: r[1] for r in rows if r[0] and r[1] is not None}
    assert info["网站标识码"] == "5301000001"
    assert info["采集状态"].startswith("部分完成") and "达到页面数上限" in info["采集状态"]
    assert (info["单项否决"], info["扣分"], info["提示"], info["合计"]) == (1, 4, 0, 5)
    by_rule = {r[0]: (r[2], r[3]) for r in rows if r[0] and re.fullmatch(r"[A-Z]+-\d+", r[0])}
    assert by_rule == {"COL-3": ("单项否决", 1), "LINK-1": ("扣分", 1), "LINK-2": ("扣分", 2), "LINK-3": ("扣分", 1)}


def test_clean_site_says_no_findings_in_every_format(tmp_path):
    paths = _write_all(_document([], status="complete", reason=None), tmp_path)
    page = _parse_html(paths["html"])
    assert "未发现问题" in page.text_content()
    assert page.xpath("//table[@class='findings']") == []
    workbook = openpyxl.load_workbook(paths["xlsx"])
    sheet = workbook["整改清单"]
    assert [c.value for c in sheet[1]] == XLSX_HEADERS
    assert sheet["A2"].value == "未发现问题"
    assert sheet.auto_filter.ref == "A1:Q1"
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["findings"] == []


def test_xlsx_summary_shows_how_the_verdict_was_reached_rule_by_rule(doc, tmp_path):
    from collections import Counter

    from govmon.checks.pack import load_pack
    from govmon.checks.verdict import verdict

    with_verdict = {**doc, "verdict": verdict(Counter({"COL-3": 1, "LINK-1": 1, "LINK-2": 2}), load_pack("national"))}
    rows = [[c.value for c in row] for row in _open_xlsx(with_verdict, tmp_path)["汇总"].iter_rows()]
    start = next(n for n, r in enumerate(rows) if r[0] == "检查结论依据")
    assert rows[start + 1] == ["规则编号", "规则名称", "问题类别", "问题数", "每项扣分", "扣分上限", "扣分", "阈值说明"]
    table = {r[0]: r[1:] for r in rows[start + 2:start + 5]}
    assert table["COL-3"][1:] == ["单项否决", 1, None, None, "未达否决标准（5个起否决）", None]
    assert table["LINK-2"][1:] == ["扣分", 2, 0.1, 100, 0.2, "默认值，请以本地区考核细则为准"]


EXCEPTION_NAME = re.compile(r"[A-Za-z]+(?:Error|Exception)\b")


def test_exception_text_never_reaches_html_or_xlsx_only_its_chinese_reason(doc, tmp_path):
    doc["findings"][1]["evidence"].update(
        reason="connection_refused", detail="DownloadConnectionRefusedError: Connection was refused by other side")
    doc["findings"][1]["description"] = "页面中的链接无法访问：连接被拒绝"
    doc["run"].update(status="failed", reason="homepage unreachable: dns_error DNSLookupError: no such host")
    page = _parse_html(write_html(doc, tmp_path / "list.html")).body
    assert not EXCEPTION_NAME.search(page.text_content())
    assert "首页无法访问（域名解析失败）" in page.xpath("string(//*[@role='alert'])")
    workbook = _open_xlsx(doc, tmp_path)
    cells = [str(v) for ws in workbook for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert not any(EXCEPTION_NAME.search(cell) for cell in cells)
    assert any("首页无法访问（域名解析失败）" in cell for cell in cells)


def test_long_urls_break_after_separators_of_their_path_and_stay_escaped(doc, tmp_path):
    doc["findings"][0]["target"] = HOME + "a/b_c.html?x=1&y=<2>"
    raw = write_html(doc, tmp_path / "list.html").read_text(encoding="utf-8")
    assert "http://127.0.0.1:8080/<wbr>a/<wbr>b_<wbr>c.<wbr>html?<wbr>x=<wbr>1&amp;<wbr>y=<wbr>&lt;2&gt;" in raw
    assert "http:/<wbr>" not in raw and "127.<wbr>" not in raw  # the scheme and host are never split
