"""The supervisor report as an Excel workbook: one row per site, and every open finding of every site.

A supervisor sorts and filters it (which sites fail, whose findings are overdue) and follows each site's row to
its rectification list, written next to the workbook. Finding text comes from crawled pages, so every string is
stored as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from govmon.reports.labels import (
    CHINA_TIME_NOTE,
    CLASS_LABELS,
    NO_FINDINGS,
    YES_NO,
    deadline_label,
    evidence_lines,
    format_time,
    state_text,
)
from govmon.reports.periods import PERIOD_LABELS
from govmon.reports.supervisor import no_data_line, verdict_label
from govmon.reports.xlsx import HEADER_FILL, HEADER_FONT, OVERDUE_FILL, display_width, put_cell

SITES_SHEET = "各网站检查结论"
OPEN_SHEET = "未整改问题"
LIST_LINK = "整改清单"

_MIN_WIDTH = 6
_LINK_FONT = Font(color="0563C1", underline="single")


def _count(key: str) -> Callable[[dict], object]:
    """A site's count, or '—' for a site not crawled (nothing was counted, not zero)."""
    return lambda site: "—" if site["run"] is None else site[key]


# (header, value of a site line, width cap)
SITE_COLUMNS: tuple[tuple[str, Callable[[dict], object], int], ...] = (
    ("网站名称", lambda s: s["name"], 30),
    ("主办单位", lambda s: s["sponsor"] or "", 30),
    ("检查结论", lambda s: verdict_label(s["result"], s["provisional"]), 14),
    ("待定原因", lambda s: "\n".join(s["unjudged"].values()), 40),
    ("得分", lambda s: s["score"] if s["score"] is not None else "—", 8),
    ("单项否决", lambda s: "\n".join(f"{v['rule']} {v['title']}" for v in s["vetoes"]), 30),
    ("未整改", _count("open"), 12),
    ("本期新发现", _count("new"), 12),
    ("本期已整改", _count("fixed"), 12),
    ("已超期", _count("overdue"), 12),
    ("网站管理员", lambda s: "\n".join(filter(None, (s["admin"] or {}).values())), 36),
    (LIST_LINK, lambda s: LIST_LINK if s["files"].get("xlsx") else "无采集，无清单", 16),
)

# (header, value of (site line, finding), width cap); the finding in the words of its site's list
FINDING_COLUMNS: tuple[tuple[str, Callable[[dict, dict], object], int], ...] = (
    ("网站名称", lambda s, f: s["name"], 30),
    ("规则编号", lambda s, f: f["rule"], 12),
    ("问题类别", lambda s, f: CLASS_LABELS[f["class"]], 12),
    ("问题描述", lambda s, f: f["description"], 40),
    ("问题网址", lambda s, f: f["target"], 60),
    ("证据", lambda s, f: "\n".join(evidence_lines(f)), 50),
    ("状态", lambda s, f: state_text(f), 12),
    ("首次发现", lambda s, f: format_time(f["first_seen"]), 18),
    ("整改时限", lambda s, f: deadline_label(f["deadline"], f["deadline_note"]), 30),
    ("是否超期", lambda s, f: YES_NO[f["overdue"]], 10),
)


def write_supervisor_xlsx(doc: dict, site_docs: dict[str, dict], path: Path) -> Path:
    """Write the sites sheet (under a line naming the period) and the open findings sheet. ``site_docs``: site id →
    its rectification list document, for the findings; each site's row links to ``files["xlsx"]`` of its line."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    _write_sites(workbook.active, doc)
    _write_open_findings(workbook.create_sheet(OPEN_SHEET), doc, site_docs)
    workbook.save(path)
    return path


def heading(doc: dict) -> str:
    """The line above the sites: the period, when the report was made, and that its times are China time."""
    days = doc["first_day"] if doc["first_day"] == doc["last_day"] else f"{doc['first_day']} 至 {doc['last_day']}"
    line = (f"政府网站检查情况（{PERIOD_LABELS[doc['period']]}）{doc['label']}　检查期间：{days}　"
            f"生成时间：{format_time(doc['generated_at'])}（{CHINA_TIME_NOTE}）")
    no_data = no_data_line(doc)
    return f"{line}　{no_data}" if no_data else line


def _write_sites(sheet: Worksheet, doc: dict) -> None:
    sheet.title = SITES_SHEET
    put_cell(sheet, 1, 1, heading(doc), wrap=True).font = HEADER_FONT
    rows = [[value(site) for _, value, _ in SITE_COLUMNS] for site in doc["sites"]]
    _table(sheet, 2, [header for header, _, _ in SITE_COLUMNS], rows, [width for _, _, width in SITE_COLUMNS])
    link_column = len(SITE_COLUMNS)
    for row, site in enumerate(doc["sites"], start=3):
        if site["files"].get("xlsx"):
            cell = sheet.cell(row, link_column)
            cell.hyperlink = site["files"]["xlsx"]
            cell.font = _LINK_FONT


def _write_open_findings(sheet: Worksheet, doc: dict, site_docs: dict[str, dict]) -> None:
    """Every finding open at the period's end, site by site in registry order; overdue rows marked."""
    found = [(site, finding) for site in doc["sites"] for finding in site_docs.get(site["id"], {}).get("findings", [])]
    rows = [[value(site, finding) for _, value, _ in FINDING_COLUMNS] for site, finding in found]
    _table(sheet, 1, [header for header, _, _ in FINDING_COLUMNS], rows, [width for _, _, width in FINDING_COLUMNS],
           empty=no_data_line(doc) or NO_FINDINGS)
    target_column = [header for header, _, _ in FINDING_COLUMNS].index("问题网址") + 1
    for row, (_, finding) in enumerate(found, start=2):
        if finding["target"].startswith(("http://", "https://")):
            sheet.cell(row, target_column).hyperlink = finding["target"]
        if finding["overdue"]:
            for col in range(1, len(FINDING_COLUMNS) + 1):
                sheet.cell(row, col).fill = OVERDUE_FILL


def _table(sheet: Worksheet, top: int, headers: list[str], rows: list[list], widths: list[int],
           empty: str | None = None) -> None:
    """A header row at ``top``, frozen and filtered, the rows below it (``empty`` in one line when there is none)."""
    for col, header in enumerate(headers, start=1):
        cell = put_cell(sheet, top, col, header, wrap=True)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for row, values in enumerate(rows, start=top + 1):
        for col, value in enumerate(values, start=1):
            put_cell(sheet, row, col, value, wrap=True)
    if not rows and empty:
        put_cell(sheet, top + 1, 1, empty, wrap=True)
    sheet.freeze_panes = f"A{top + 1}"
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{top + len(rows)}"
    for col, cap in enumerate(widths, start=1):
        widest = max((display_width(str(sheet.cell(row, col).value or "")) for row in range(top, top + 1 + len(rows))),
                     default=0)
        sheet.column_dimensions[get_column_letter(col)].width = min(max(widest + 2, _MIN_WIDTH), cap)


