"""The demo's 我为政府网站找错 export: citizens' reports against the demo portal, with the verdict each should get.

Some reports are true (a broken link, a stale column, an unanswered message, a typo the portal really
has), some were already fixed (a page that works again, a typo corrected), one needs a person, one is
closed (not checked again), and one row is malformed. The manifest keeps them with placeholders; the
export is written once the servers run, in GBK as the platform's CSV exports come.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path

from . import content as c

EXPORT_FILE = "找错留言导出.csv"
HEADERS = ("留言编号", "网站标识码", "网站名称", "问题网址", "问题类型", "问题描述", "留言时间", "答复时间", "办结时间",
           "答复内容")
TYPO, CORRECTED = "网络故漳", "网络故障"  # seeded in the portal's 网站声明 (content.STATEMENT_TEXT)


def _at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute)).strftime("%Y-%m-%d %H:%M")


def citizen_reports(defects: list[dict], as_of: date) -> list[dict]:
    """The export's rows in manifest form ({portal} placeholders), each with the verdict it should get (None for
    a closed report, which verify skips; "malformed" for the row the import refuses) and the monitor's rule."""
    by_id = {defect["id"]: defect for defect in defects}
    attachment_page = by_id["L13"]["pages"][0]
    days = [as_of - timedelta(days=n) for n in range(12)]
    rows = [
        ("ZC2026110001", "{portal}/", "内容无法访问", "首页友情链接“滇西市人民政府”打不开", _at(days[1], 10, 12), None,
         None, None, "confirmed", "LINK-1"),
        ("ZC2026110002", attachment_page, "内容无法访问", "通知公告的附件下载不了，点开是“文件不存在”",
         _at(days[3], 9, 40), _at(days[2], 15), None, "已转相关科室核实处理。", "confirmed", "LINK-3"),
        ("ZC2026110003", "{portal}/lxwm.html", "内容无法访问", "联系我们页面打不开", _at(days[6], 8, 55),
         _at(days[5], 11), None, "经核查，页面已恢复访问。", "not_reproduced", None),
        ("ZC2026110004", "{portal}/bmdt/", "信息不更新", "部门动态栏目一个多月没有更新了", _at(days[2], 16, 20), None,
         None, None, "confirmed", "COL-1"),
        ("ZC2026110005", "{portal}/xwzx/", "信息不更新", "要闻栏目好久不更新", _at(days[1], 20, 5), None, None, None,
         "not_reproduced", None),
        ("ZC2026110006", by_id["D20"]["where"], "咨询留言不回复", "我在咨询投诉栏目的留言三个多月了还是“办理中”",
         _at(days[8], 14, 30), None, None, None, "confirmed", "INTER-2"),
        ("ZC2026110007", "{portal}/wzsm.html", "错别字", f"网站声明第四条“{TYPO}”应为“{CORRECTED}”",
         _at(days[1], 9, 0), None, None, None, "confirmed", None),
        ("ZC2026110008", "{portal}/lxwm.html", "错别字", f"联系我们页面“滇中市人民攻府”应为“{c.SITE_NAME}”",
         _at(days[4], 10, 0), _at(days[3], 9, 30), None, "已更正。", "not_reproduced", None),
        ("ZC2026110009", "{portal}/lxwm.html", "内容不准确", "联系我们页面的联系电话已经停用，打不通",
         _at(days[1], 11, 45), None, None, None, "needs_person", None),
        ("ZC2026110010", "{portal}/wzdt.html", "其他", "网站地图希望增加办事指南的入口", _at(days[11], 15, 0),
         _at(days[10], 10, 0), _at(days[9], 17, 0), "已采纳，感谢您的建议。", None, None),
        ("ZC2026110011", "{portal}/", "网页打不开", "首页有时打不开", _at(days[1], 7, 30), None, None, None,
         "malformed", None),
    ]
    keys = ("number", "url", "category", "description", "submitted", "answered", "closed", "answer", "verdict", "rule")
    return [dict(zip(keys, row)) for row in rows]


def write_export(path: Path, reports: list[dict]) -> Path:
    """The export as the platform gives it: a GBK CSV with its Chinese headers; ``reports`` already expanded."""
    with open(path, "w", encoding="gbk", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for r in reports:
            writer.writerow((r["number"], c.SITE_CODE, c.SITE_NAME, r["url"], r["category"], r["description"],
                             r["submitted"], r["answered"] or "", r["closed"] or "", r["answer"] or ""))
    return path
