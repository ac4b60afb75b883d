"""The rectification list as an Excel workbook: what site administrators actually receive.

Columns are defined once in COLUMNS; a new column (status, deadline, …) is one more entry.
Cell text comes from crawled pages, so it is always stored as text, never as a formula.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from govmon.reports.document import CLASSES, validate
from govmon.reports.labels import (
    CHINA_TIME_NOTE,
    CLASS_LABELS,
    FIXED_HEADING,
    NO_FINDINGS,
    NO_FIXED,
    RUN_STATUS_LABELS,
    RUN_STATUS_WARNINGS,
    STATE_COUNT_LABELS,
    THRESHOLD_STATUS_LABELS,
    YES_NO,
    anchor_label,
    basis_lines,
    deadline_label,
    evidence_lines,
    fixed_since_label,
    format_time,
    location_label,
    more_places_label,
    on_time_label,
    page_label,
    place_url,
    run_reason_label,
    shown_url,
    state_text,
)

FINDINGS_SHEET = "整改清单"
FIXED_SHEET = "已整改"
SUMMARY_SHEET = "汇总"

MIN_WIDTH = 6
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
OVERDUE_FILL = PatternFill("solid", start_color="FFC7CE")  # Excel's "bad" red: an overdue row stands out
TOP = Alignment(vertical="top")
TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)


@dataclass(frozen=True)
class Column:
    """One column of the findings sheet: header, cell value of (number, finding), width cap."""

    header: str
    value: Callable[[int, dict], object]
    max_width: int
    wrap: bool = False
    link: bool = False


def _lines(*parts: object) -> str:
    return "\n".join(str(p) for p in parts if p not in (None, ""))


def _pages(finding: dict) -> str:
    """Every listed place on its own line, with the page's title when known, then '等N处' when capped."""
    return _lines(*(_lines(page_label(place), place_url(place)).replace("\n", "　") for place in finding["where"]),
                  more_places_label(finding))


def _anchors(finding: dict) -> str:
    return _lines(*(anchor_label(place) for place in finding["where"]))


COLUMNS = (
    Column("序号", lambda n, f: n, 8),
    Column("规则编号", lambda n, f: f["rule"], 12),
    Column("问题类别", lambda n, f: CLASS_LABELS[f["class"]], 12),
    Column("问题描述", lambda n, f: _lines(f["title"], f["description"]), 50, wrap=True),
    Column("问题位置", lambda n, f: location_label(f), 30, wrap=True),
    Column("问题网址", lambda n, f: shown_url(f), 60, wrap=True, link=True),
    Column("所在页面", lambda n, f: _pages(f), 60, wrap=True),
    Column("锚文本", lambda n, f: _anchors(f), 40, wrap=True),
    Column("出现次数", lambda n, f: f["where_total"], 10),
    Column("证据", lambda n, f: _lines(*evidence_lines(f)), 50, wrap=True),
    Column("依据", lambda n, f: _lines(*basis_lines(f)), 50, wrap=True),
    Column("整改建议", lambda n, f: f["fix"], 50, wrap=True),
    Column("首次发现", lambda n, f: format_time(f["first_seen"]), 18),
    Column("最近发现", lambda n, f: format_time(f["last_seen"]), 18),
    Column("状态", lambda n, f: state_text(f), 10, wrap=True),
    Column("整改时限", lambda n, f: deadline_label(f["deadline"], f["deadline_note"]), 30, wrap=True),
    Column("是否超期", lambda n, f: YES_NO[f["overdue"]], 10),
)

FIXED_COLUMNS = (
    Column("规则编号", lambda n, f: f["rule"], 12),
    Column("问题类别", lambda n, f: CLASS_LABELS[f["class"]], 12),
    Column("问题位置", lambda n, f: f.get("location") or "", 30, wrap=True),
    Column("问题网址", lambda n, f: shown_url(f), 60, wrap=True, link=True),
    Column("首次发现", lambda n, f: format_time(f["first_seen"]), 18),
    Column("整改时限", lambda n, f: deadline_label(f["deadline"], f.get("deadline_note")), 30, wrap=True),
    Column("整改完成", lambda n, f: format_time(f["fixed_at"]), 18),
    Column("是否按时", lambda n, f: on_time_label(f["on_time"]), 12),
)


def write_xlsx(doc: dict, path: Path) -> Path:
    """Write the findings sheet (one row per finding), the fixed sheet and the summary sheet."""
    validate(doc)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    _write_findings(workbook.active, doc)
    _write_fixed(workbook.create_sheet(FIXED_SHEET), doc)
    _write_summary(workbook.create_sheet(SUMMARY_SHEET), doc)
    workbook.save(path)
    return path


def display_width(text: str) -> int:
    """Width of the widest line in character cells; CJK and full-width characters count 2."""
    return max(
        (sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in text.split("\n")),
        default=0,
    )


def _write_findings(sheet: Worksheet, doc: dict) -> None:
    sheet.title = FINDINGS_SHEET
    _write_table(sheet, 1, COLUMNS, doc["findings"], NO_FINDINGS)
    for row, finding in enumerate(doc["findings"], start=2):
        if finding["overdue"]:
            for col in range(1, len(COLUMNS) + 1):
                sheet.cell(row, col).fill = OVERDUE_FILL


def _write_fixed(sheet: Worksheet, doc: dict) -> None:
    """What was fixed since the last report, under a line saying since when."""
    put_cell(sheet, 1, 1, f"{FIXED_HEADING}：{fixed_since_label(doc['since'])}").font = HEADER_FONT
    _write_table(sheet, 2, FIXED_COLUMNS, doc["fixed"], NO_FIXED)


def _write_table(sheet: Worksheet, top: int, columns: tuple[Column, ...], rows: list[dict], empty: str) -> None:
    """A header row at ``top`` frozen and filtered, one row per item below it (``empty`` when there is none)."""
    _header_row(sheet, top, [column.header for column in columns])
    for row, item in enumerate(rows, start=top + 1):
        for col, column in enumerate(columns, start=1):
            cell = put_cell(sheet, row, col, column.value(row - top, item), wrap=column.wrap)
            if column.link and str(cell.value).startswith(("http://", "https://")):
                cell.hyperlink = cell.value
    if not rows:
        put_cell(sheet, top + 1, 1, empty)
    sheet.freeze_panes = f"A{top + 1}"
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(columns))}{top + len(rows)}"
    for col, column in enumerate(columns, start=1):
        _fit_width(sheet, col, column.max_width, rows=range(top, top + 1 + len(rows)))


def _write_summary(sheet: Worksheet, doc: dict) -> None:
    site, run, summary = doc["site"], doc["run"], doc["summary"]
    admin = site["admin"]
    info = [
        ("网站名称", site["name"]),
        ("网站标识码", site["site_code"]),
        ("主办单位", site["sponsor"]),
        ("首页地址", site["home_url"]),
        ("网站管理员", _lines(admin["name"], admin["email"]) if admin else ""),
        ("指标体系", doc["pack"]["name"]),
        ("数据截至", doc["as_of"]),
        ("生成时间", f"{format_time(doc['generated_at'])}（{CHINA_TIME_NOTE}）"),
        ("采集状态", _lines(RUN_STATUS_LABELS[run["status"]], RUN_STATUS_WARNINGS.get(run["status"]),
                        run_reason_label(run["reason"]))),
        ("采集时间", _lines(format_time(run["started_at"]), format_time(run["finished_at"]))),
        ("页面数", run["pages"]),
        ("链接数", run["links"]),
        ("错误数", run["errors"]),
    ]
    verdict = doc.get("verdict")
    if verdict:
        info += [
            ("检查结论", verdict["result"] + ("（待定）" if verdict["provisional"] else "")),
            ("得分", f"{verdict['score']:g}（合格线 {verdict['pass_score']:g}）"),
            ("单项否决", "、".join(verdict["vetoes"]) or "无"),
            ("待定原因", _lines(*verdict["unjudged"].values()) if verdict["unjudged"] else "无"),
        ]
    row = 1
    for label, value in info:
        put_cell(sheet, row, 1, label).font = HEADER_FONT
        put_cell(sheet, row, 2, value, wrap=True)
        row += 1

    row += 1
    _header_row(sheet, row, ["问题类别", "数量"])
    for cls in CLASSES:
        row += 1
        put_cell(sheet, row, 1, CLASS_LABELS[cls])
        put_cell(sheet, row, 2, summary["by_class"][cls])
    row += 1
    put_cell(sheet, row, 1, "合计").font = HEADER_FONT
    put_cell(sheet, row, 2, summary["total"])

    row += 2
    _header_row(sheet, row, ["整改状态", "数量"])
    for state, label in STATE_COUNT_LABELS.items():
        row += 1
        put_cell(sheet, row, 1, label)
        put_cell(sheet, row, 2, summary["states"][state])

    row += 2
    _header_row(sheet, row, ["规则编号", "规则名称", "问题类别", "数量"])
    for rule in summary["by_rule"]:
        row += 1
        for col, value in enumerate((rule["rule"], rule["title"], CLASS_LABELS[rule["class"]], rule["count"]), start=1):
            put_cell(sheet, row, col, value)
    if not doc["findings"]:
        put_cell(sheet, row + 2, 1, NO_FINDINGS)
    if verdict and verdict["rules"]:
        row += 2
        put_cell(sheet, row, 1, "检查结论依据").font = HEADER_FONT
        row += 1
        _header_row(sheet, row, ["规则编号", "规则名称", "问题类别", "问题数", "每项扣分", "扣分上限", "扣分", "阈值说明"])
        for rule in verdict["rules"]:
            row += 1
            if rule["class"] == "veto":
                effect = "单项否决" if rule["vetoed"] else f"未达否决标准（{rule['veto_at']}个起否决）"
            else:
                effect = rule["deducted"]
            values = (rule["rule"], rule["title"], CLASS_LABELS[rule["class"]], rule["count"], rule["points_each"],
                      rule["cap"], effect, THRESHOLD_STATUS_LABELS[rule["threshold_status"]] or "")
            for col, value in enumerate(values, start=1):
                put_cell(sheet, row, col, value)

    for col in range(1, 9):
        _fit_width(sheet, col, 60, rows=range(1, sheet.max_row + 1))


def _header_row(sheet: Worksheet, row: int, headers: list[str]) -> None:
    for col, header in enumerate(headers, start=1):
        cell = put_cell(sheet, row, col, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL


def put_cell(sheet: Worksheet, row: int, col: int, value: object, wrap: bool = False):
    """Set a cell; strings are cleaned of characters XML cannot hold and kept as text."""
    cell = sheet.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # a crawled "=..." must not become a formula
    else:
        cell.value = value
    cell.alignment = TOP_WRAPPED if wrap else TOP
    return cell


def _fit_width(sheet: Worksheet, col: int, max_width: int, rows: range) -> None:
    widest = max((display_width(str(sheet.cell(row, col).value or "")) for row in rows), default=0)
    sheet.column_dimensions[get_column_letter(col)].width = min(max(widest + 2, MIN_WIDTH), max_width)
