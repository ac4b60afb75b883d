"""The supervisor report (检查情况通报): every site of the registry over one period, from their rectification lists.

The supervisor reads it the way 日读网、周巡查、月反馈、季通报 work: which sites pass, what changed since the
last period, what is overdue, and how the pass rate and the open findings move over time. The document
(schema: docs/supervisor-json.md) is built from the sites' rectification list documents and the stored
daily verdicts, without the store; the HTML report, the quarterly 通报, the short digest and the XLSX
(reports.supervisor_xlsx) are renderings of it. Each says once that its times are China time.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

from govmon import clock
from govmon.config import CHINA_TZ, china_day
from govmon.reports.charts import bar_chart, line_chart, svg_data_uri
from govmon.reports.document import document_json
from govmon.reports.html import template_environment
from govmon.reports.labels import (
    CHINA_TIME_NOTE,
    CLASS_LABELS,
    MEDIA_VERDICT_LABELS,
    deadline_label,
    format_time,
)
from govmon.reports.periods import PERIOD_LABELS

SCHEMA = "govmon.supervisor-report/1"

UNCRAWLED = "无采集"  # a site without a crawl by the period's end: not judged, never 合格
NO_TRENDS = "暂无每日检查记录，合格率和未整改问题数趋势图待日读网积累后绘制"

# Rule families as the 通报 groups its problems (by rule ID prefix), in the order it lists them.
FAMILIES = (
    ("availability", "站点可用性", ("AVAIL",)),
    ("updates", "内容更新", ("HOME", "COL")),
    ("links", "链接可用性", ("LINK",)),
    ("interaction", "互动回应", ("INTER", "ZC")),
    ("media", "政务新媒体", ("MEDIA",)),
    ("timeliness", "信息发布", ("TIME",)),
    ("identity", "网站标识", ("ID", "META")),
    ("ipv6", "IPv6支持", ("IPV6",)),
)

_CLASS_ORDER = {"veto": 0, "deduct": 1, "advice": 2}
_QUARTERS = "一二三四"
_LISTED_IN_DIGEST = 6  # sites named per digest line; the rest are counted
_EXAMPLE_SITES = 3  # sites named per rule family in the 通报
_MAIN_PROBLEMS = 3  # rules besides the vetoes named per site in the 通报's 问题网站清单

_environment = template_environment()


def verdict_label(result: str, provisional: bool) -> str:
    """'合格', '合格（待定）', '不合格' or '无采集'."""
    return f"{result}（待定）" if provisional else result


def percent(value: float | None) -> str:
    """A pass rate as shown: '81.8%', or '—' when no site was judged."""
    return "—" if value is None else f"{value:g}%"


_environment.filters.update(verdict=lambda site: verdict_label(site["result"], site["provisional"]),
                            percent=percent, class_label=CLASS_LABELS.__getitem__,
                            media_verdict_label=MEDIA_VERDICT_LABELS.__getitem__, time=format_time,
                            score=lambda score: "—" if score is None else f"{score:g}", deadline_label=deadline_label)


def site_summary(doc: dict, first_day: date, last_day: date) -> dict:
    """One site's line of the report from its rectification list document (govmon.rectification-list/2); a
    registry site that has no crawl by the period's end is given as ``{"site": {...}}`` alone.

    ``open`` counts every finding not fixed at the period's end, whatever its state; ``new`` those whose current
    episode was reported inside the period (first found, or found again after a fix: ``reopened`` counts these);
    ``fixed`` the fixes made inside the period; ``overdue`` open findings past their 整改时限.
    """
    site = doc["site"]
    entry = {"id": site["id"], "name": site["name"], "sponsor": site.get("sponsor"), "home_url": site.get("home_url"),
             "admin": site.get("admin")}
    if doc.get("run") is None:
        return {**entry, "result": UNCRAWLED, "provisional": False, "unjudged": {}, "score": None, "vetoes": [],
                "run": None, "pack": None, "by_rule": [], "open": 0, "new": 0, "reopened": 0, "fixed": 0,
                "overdue": 0, "media": []}
    verdict, findings = doc["verdict"], doc["findings"]
    titles = {row["rule"]: row["title"] for row in doc["summary"]["by_rule"]}
    reported_now = [f for f in findings if first_day <= _day(f["reported"]) <= last_day]
    return {
        **entry,
        "result": verdict["result"], "provisional": verdict["provisional"], "unjudged": verdict["unjudged"],
        "score": verdict["score"], "vetoes": [{"rule": rule, "title": titles[rule]} for rule in verdict["vetoes"]],
        "run": {"id": doc["run"]["id"], "status": doc["run"]["status"], "started_at": doc["run"]["started_at"]},
        "pack": doc["pack"]["id"],
        "by_rule": sorted(({k: row[k] for k in ("rule", "title", "class", "count")}
                           for row in doc["summary"]["by_rule"]),
                          key=lambda row: (_CLASS_ORDER[row["class"]], -row["count"], row["rule"])),
        "open": len(findings),
        "new": len(reported_now),
        "reopened": sum(f["state"] == "reopened" for f in reported_now),
        "fixed": sum(first_day <= _day(f["fixed_at"]) <= last_day for f in doc["fixed"]),
        "overdue": sum(bool(f["overdue"]) for f in findings),
        "media": [{k: m[k] for k in ("account", "verdict", "reason", "latest")} for m in doc.get("media", [])],
    }


def verdict_counts(site: dict) -> dict:
    """What a SiteVerdict row keeps of a site's line: findings per rule and the period's counts."""
    return {"by_rule": {row["rule"]: row["count"] for row in site["by_rule"]},
            **{key: site[key] for key in ("new", "open", "reopened", "fixed", "overdue")}}


def supervisor_doc(period: str, label: str, first_day: date, last_day: date, site_docs: list[dict],
                   history: list[dict], citizen: dict | None = None, *,
                   site_files: dict[str, dict[str, str]] | None = None, generated_at: datetime | None = None) -> dict:
    """The supervisor report of one period. ``site_docs``: one rectification list document per registry site
    (``{"site": {...}}`` for a site without a crawl); ``history``: the stored daily verdicts (dicts with day,
    site_id, result, provisional, score, vetoes, counts), which give the trends and what changed since the
    period before; ``citizen``: the 找错 section (reports.citizen), or None; ``site_files``: site id → {format:
    path of its rectification list, relative to the report}, which the renderings link to; ``generated_at``:
    when the report is made (default now)."""
    history = sorted(history, key=lambda row: (row["day"], row["site_id"]))
    sites = []
    for doc in site_docs:
        site = site_summary(doc, first_day, last_day)
        site["files"] = dict((site_files or {}).get(site["id"], {}))
        before = [row for row in history if row["site_id"] == site["id"] and row["day"] < first_day]
        previous = before[-1] if before else None
        had = set(previous["vetoes"]) if previous else set()
        site["previous"] = None if previous is None else {
            "day": previous["day"].isoformat(), "result": previous["result"], "provisional": previous["provisional"],
            "vetoes": list(previous["vetoes"])}
        site["changed"] = previous is not None and (previous["result"], previous["provisional"]) != (
            site["result"], site["provisional"])
        site["new_vetoes"] = [veto for veto in site["vetoes"] if veto["rule"] not in had]
        sites.append(site)
    return {
        "schema": SCHEMA,
        "period": period,
        "label": label,
        "first_day": first_day.isoformat(),
        "last_day": last_day.isoformat(),
        "generated_at": (generated_at or clock.now()).astimezone(CHINA_TZ).isoformat(timespec="seconds"),
        "totals": _totals(sites, history, first_day, last_day),
        "sites": sites,
        "trends": _trends(history),
        "citizen": citizen,
    }


def _totals(sites: list[dict], history: list[dict], first_day: date, last_day: date) -> dict:
    judged = [s for s in sites if s["result"] != UNCRAWLED]
    passed = [s for s in judged if s["result"] == "合格"]
    by_rule: dict[str, dict] = {}
    for site in judged:
        for row in site["by_rule"]:
            total = by_rule.setdefault(row["rule"], {**row, "count": 0, "sites": 0})
            total["count"] += row["count"]
            total["sites"] += 1
    media = Counter(m["verdict"] for s in sites for m in s["media"])
    return {
        "sites": len(sites),
        "judged": len(judged),
        "uncrawled": len(sites) - len(judged),
        "passed": len(passed),
        "provisional": sum(s["provisional"] for s in passed),
        "failed": len(judged) - len(passed),
        "pass_rate": _rate(len(passed), len(judged)),
        **{key: sum(s[key] for s in sites) for key in ("open", "new", "reopened", "fixed", "overdue")},
        "rounds": len({row["day"] for row in history if first_day <= row["day"] <= last_day}),
        "by_rule": sorted(by_rule.values(), key=lambda row: (-row["count"], row["rule"])),
        "by_family": _families(judged),
        "media": {verdict: media[verdict] for verdict in MEDIA_VERDICT_LABELS},
    }


def _families(sites: list[dict]) -> list[dict]:
    families = []
    for key, label, prefixes in FAMILIES:
        rules: Counter = Counter()
        titles, per_site = {}, Counter()
        for site in sites:
            for row in site["by_rule"]:
                if row["rule"].split("-")[0] in prefixes:
                    rules[row["rule"]] += row["count"]
                    titles[row["rule"]] = row["title"]
                    per_site[site["name"]] += row["count"]
        if rules:
            families.append({
                "family": key, "label": label, "count": sum(rules.values()), "site_count": len(per_site),
                "rules": [{"rule": rule, "title": titles[rule], "count": count}
                          for rule, count in sorted(rules.items(), key=lambda item: (-item[1], item[0]))],
                "sites": [name for name, _ in sorted(per_site.items(), key=lambda item: (-item[1], item[0]))],
            })
    return families


def _trends(history: list[dict]) -> dict:
    days: dict[date, list[dict]] = {}
    for row in history:
        days.setdefault(row["day"], []).append(row)
    return {
        "pass_rate": [{"day": day.isoformat(), "value": _rate(sum(r["result"] == "合格" for r in rows), len(rows))}
                      for day, rows in days.items()],
        "open": [{"day": day.isoformat(), "value": sum(r["counts"]["open"] for r in rows)}
                 for day, rows in days.items()],
    }


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _day(moment: str) -> date:
    return china_day(datetime.fromisoformat(moment))


# ----- renderings


def no_data_line(doc: dict) -> str | None:
    """What a period in which no site was judged says instead of its charts and counts; None when one was."""
    if doc["totals"]["judged"]:
        return None
    days = doc["first_day"] if doc["first_day"] == doc["last_day"] else f"{doc['first_day']} 至 {doc['last_day']}"
    return f"本期（{days}）无采集数据：{doc['totals']['sites']}个网站均无本期结束前的采集，未作判定"


def charts(doc: dict) -> list[tuple[str, str]]:
    """(title, SVG) of the report's charts that have something to draw: findings by rule, pass rate and open
    findings over time (the trends once daily verdicts are stored)."""
    by_rule = [(f"{row['rule']} {row['title']}", row["count"]) for row in doc["totals"]["by_rule"]]
    pass_rate = [(date.fromisoformat(p["day"]), p["value"]) for p in doc["trends"]["pass_rate"]]
    open_findings = [(date.fromisoformat(p["day"]), p["value"]) for p in doc["trends"]["open"]]
    drawn = []
    if by_rule:
        drawn.append(("问题数量（按规则）", bar_chart("问题数量（按规则）", by_rule, axis_label="问题数（个）")))
    if pass_rate:
        drawn += [("合格率趋势", line_chart("合格率趋势", pass_rate, axis_label="合格率（%）", y_max=100,
                                            value_format="{:g}%".format)),
                  ("未整改问题数趋势", line_chart("未整改问题数趋势", open_findings, axis_label="未整改问题数（个）"))]
    return drawn


def render_supervisor_html(doc: dict) -> str:
    """The supervisor report page: totals, the charts, every site's line linked to its list, findings by rule; a
    period without data says so in one line instead."""
    return _environment.get_template("supervisor.html.j2").render(
        doc=doc, period_label=PERIOD_LABELS[doc["period"]], no_data=no_data_line(doc), no_trends=NO_TRENDS,
        time_note=CHINA_TIME_NOTE, charts=[(title, svg_data_uri(svg)) for title, svg in charts(doc)])


def write_supervisor_html(doc: dict, path: Path) -> Path:
    return _write(path, render_supervisor_html(doc))


def write_supervisor_json(doc: dict, path: Path) -> Path:
    """The document as indented UTF-8 JSON, Chinese kept readable, once it matches its model."""
    return _write(path, document_json(doc, "supervisor-report"))


def bulletin_title(doc: dict, issuer: str) -> str:
    """'滇中市政府网站与政务新媒体2026年第三季度检查情况通报'."""
    last = date.fromisoformat(doc["last_day"])
    return f"{issuer}政府网站与政务新媒体{last.year}年第{_QUARTERS[(last.month - 1) // 3]}季度检查情况通报"


def problem_sites(doc: dict) -> list[dict]:
    """The 通报's 问题网站清单: every site that fails, was not crawled, passes only provisionally, or has veto or
    deduct findings open; failing sites first, lowest score first."""
    def rank(site: dict) -> tuple:
        standing = {"不合格": 0, UNCRAWLED: 1}.get(site["result"], 2 if site["provisional"] else 3)
        return (standing, site["score"] or 0, site["name"])

    return sorted((s for s in doc["sites"] if s["result"] != "合格" or s["provisional"]
                   or any(row["class"] != "advice" for row in s["by_rule"])), key=rank)


def main_problems(site: dict) -> str:
    """A site's main problems in one line: its vetoes, then its most frequent other rules with their counts."""
    if site["result"] == UNCRAWLED:
        return "本期无采集数据，未能检查"
    vetoed = {veto["rule"] for veto in site["vetoes"]}
    parts = [f"{veto['title']}（单项否决）" for veto in site["vetoes"]]
    others = [row for row in site["by_rule"] if row["rule"] not in vetoed and row["class"] != "advice"] or \
             [row for row in site["by_rule"] if row["rule"] not in vetoed]
    others.sort(key=lambda row: (-row["count"], row["rule"]))
    parts += [f"{row['title']}{row['count']}处" for row in others[:_MAIN_PROBLEMS]]
    if site["provisional"]:
        parts.append("结论待定：" + "；".join(site["unjudged"].values()))
    return "；".join(parts) or "未发现问题"


def render_bulletin_html(doc: dict, *, issuer: str, rectification_days: int) -> str:
    """The quarterly 通报 in its usual layout: 一、总体情况 二、主要问题 三、问题网站清单 四、整改要求.
    ``issuer``: the region the supervisor answers for ('滇中市'); ``rectification_days``: the pack's 整改时限."""
    return _environment.get_template("bulletin.html.j2").render(
        doc=doc, title=bulletin_title(doc, issuer), issuer=issuer, rectification_days=rectification_days,
        problem_sites=[(site, main_problems(site)) for site in problem_sites(doc)], no_data=no_data_line(doc),
        time_note=CHINA_TIME_NOTE, example_count=_EXAMPLE_SITES, first=date.fromisoformat(doc["first_day"]),
        last=date.fromisoformat(doc["last_day"]), issued=date.fromisoformat(doc["generated_at"][:10]))


def write_bulletin_html(doc: dict, path: Path, *, issuer: str, rectification_days: int) -> Path:
    return _write(path, render_bulletin_html(doc, issuer=issuer, rectification_days=rectification_days))


def digest(doc: dict) -> tuple[str, list[tuple[str, str]]]:
    """The digest read in a minute: its title and (heading, line) pairs, one line each whatever the number of
    sites: the counts, sites whose verdict changed, new vetoes, overdue, fixed, sites not crawled, and when it was
    made; a period without data says so in one line."""
    totals, sites = doc["totals"], doc["sites"]
    title = f"政府网站{PERIOD_LABELS[doc['period']]}摘要 {doc['label']}"
    if doc["first_day"] != doc["last_day"]:
        title += f"（{doc['first_day']} 至 {doc['last_day']}）"
    generated = ("生成时间", f"{format_time(doc['generated_at'])}（{CHINA_TIME_NOTE}）")
    no_data = no_data_line(doc)
    if no_data:
        return title, [("无数据", no_data), generated]
    changed = [f"{s['name']} {verdict_label(s['previous']['result'], s['previous']['provisional'])}→"
               f"{verdict_label(s['result'], s['provisional'])}" for s in sites if s["changed"]]
    vetoes = [f"{s['name']}：{'、'.join(v['title'] for v in s['new_vetoes'])}" for s in sites if s["new_vetoes"]]
    overdue = [f"{s['name']} {s['overdue']}个" for s in sorted(sites, key=lambda s: -s["overdue"]) if s["overdue"]]
    fixed = [f"{s['name']} {s['fixed']}个" for s in sorted(sites, key=lambda s: -s["fixed"]) if s["fixed"]]
    lines = [
        ("网站", f"{totals['sites']}个，合格{totals['passed']}个（其中待定{totals['provisional']}个），"
               f"不合格{totals['failed']}个，{UNCRAWLED}{totals['uncrawled']}个；合格率{percent(totals['pass_rate'])}"),
        ("问题", f"未整改{totals['open']}个，本期新发现{totals['new']}个（其中再次出现{totals['reopened']}个），"
               f"本期已整改{totals['fixed']}个，已超期{totals['overdue']}个"),
        ("结论变化", _listed(changed)),
        ("新增单项否决", _listed(vetoes)),
        ("已超期", _listed(overdue)),
        ("本期已整改", _listed(fixed)),
        (UNCRAWLED, _listed([s["name"] for s in sites if s["result"] == UNCRAWLED])),
    ]
    citizen = doc.get("citizen")
    if citizen and (citizen["received"] or citizen["overdue"]):
        lines.append(("找错", f"收到{citizen['received']}条，核实属实{citizen['confirmed']}条，"
                             f"按时答复{citizen['answered_on_time']}条，超期未办{citizen['overdue']}条，"
                             f"监测先于网民发现{citizen['found_first']}条"))
    return title, [*lines, generated]


def digest_text(doc: dict) -> str:
    title, lines = digest(doc)
    return "\n".join([title, *(f"{heading}：{line}" for heading, line in lines)]) + "\n"


def write_digest_text(doc: dict, path: Path) -> Path:
    return _write(path, digest_text(doc))


def write_digest_html(doc: dict, path: Path) -> Path:
    title, lines = digest(doc)
    return _write(path, _environment.get_template("digest.html.j2").render(title=title, lines=lines))


def _listed(items: list[str]) -> str:
    if not items:
        return "无"
    shown = "；".join(items[:_LISTED_IN_DIGEST])
    return shown + (f" 等{len(items)}个" if len(items) > _LISTED_IN_DIGEST else "")


def _write(path: Path, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
