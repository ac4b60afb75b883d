"""TIME-1 … TIME-7: was each thing published when the rules say, counted in Chinese working days.

Every finding shows both dates, the deadline computed and the working days elapsed, so an
administrator can check it by hand with `govmon workdays`; one counted over a year whose 调休
arrangement is not published says it is provisional (暂定) in its evidence's ``calendar``. A date
the calendar cannot count (a year before chinese-calendar's first, no override) leaves the rule unjudged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from govmon.checks.columns import site_columns
from govmon.checks.context import Context, months_after, months_before, parse_date
from govmon.checks.rule import Draft, Rule, drafts_of, judges
from govmon.checks.snapshot import FetchedPage, Snapshot, is_list_page, parsed
from govmon.facts.policy import interpreted_name, policy_name
from govmon.workdays import WorkdayError

SEED_001 = "《云南省2017年政务公开工作要点分工方案》（云政办发〔2017〕41号）第102项"
REGULATIONS = "《中华人民共和国政府信息公开条例》"

TIME_1 = Rule(
    id="TIME-1", cls="deduct", title="政策解读发布不及时",
    summary="A policy interpretation was published later than the pack's limit (3 working days) after its policy.",
    why="Interpretations are to be published with their policy (三同步); late ones leave citizens guessing.",
    source=f"{SEED_001}；玉溪市基层政务公开标准化规范化工作任务清单第14项",
    fix="政策文件公开后3个工作日内发布解读材料；以后的文件与解读同步发布",
    settings=("max_working_days", "points", "cap"),
    example="政策文件2026-10-09发布，解读2026-10-20发布，用时7个工作日；截止日期为2026-10-14（文件发布后第3个工作日）",
)
TIME_2 = Rule(
    id="TIME-2", cls="advice", title="政策文件未发布解读",
    summary="A policy document of a type that needs an interpretation has none, after the deadline.",
    why="Policies touching citizens' and businesses' interests are to be interpreted (三同步).",
    source="《2022年云南省政务公开工作要点》（云政办发〔2022〕47号）：严格落实政策解读“三同步”制度",
    fix="补充发布该文件的政策解读，并与文件相互链接",
    settings=("lookback_months",),
    example="政策文件2026-09-01发布，至2026-11-23未发现解读（截止日期2026-09-04）",
)
TIME_3 = Rule(
    id="TIME-3", cls="advice", title="信息公开不及时",
    summary="Published more than 20 working days after it was made (成文日期 → 发布日期).",
    why="The 条例 requires information to be published within 20 working days of being made.",
    source=f"{REGULATIONS}第二十六条",
    fix="自信息形成或变更之日起20个工作日内予以公开",
    settings=("max_working_days",),
    example="成文日期2026-08-03，发布日期2026-09-15，相隔31个工作日，超过20个工作日（截止日期2026-08-31）",
)
TIME_4 = Rule(
    id="TIME-4", cls="deduct", title="政府信息公开工作年度报告未按时发布",
    summary="Last year's annual report is missing or late (departments 31 January, 县级以上 governments 31 March).",
    why="The 条例 fixes the annual report's deadline; supervisors check it every spring.",
    source=f"{REGULATIONS}第四十九条、第五十条",
    fix="按时在“政府信息公开年报”栏目发布上一年度的政府信息公开工作年度报告",
    settings=("department_due_month", "department_due_day", "government_due_month", "government_due_day",
              "points", "cap"),
    example="未发现2025年政府信息公开工作年度报告（县级以上地方人民政府的截止日期为2026-03-31）",
)
TIME_5 = Rule(
    id="TIME-5", cls="advice", title="定期发布信息缺失或不及时",
    summary="A periodic release (财政收支, 国民经济运行, 农产品价格, 国资) is missing for a period or late.",
    why="Seed 001 fixes deadlines for regular statistics and fiscal releases; gaps break the series.",
    source="《云南省2017年政务公开工作要点分工方案》（云政办发〔2017〕41号）",
    fix="按规定周期和时限发布该类信息，补发缺失的期次",
    example="未发现“财政收支”2026-09-01至2026-09-30期次的信息（截止日期2026-10-20）",
)
TIME_6 = Rule(
    id="TIME-6", cls="advice", title="预决算公开不及时",
    summary="Budget or final accounts published later than 20 days after their approval.",
    why="The Budget Law requires publication within 20 days of approval.",
    source="《中华人民共和国预算法》第十四条",
    fix="预决算经批准后20日内向社会公开",
    settings=("max_days",),
    example="2026-02-10批准，2026-03-20公开，相隔38天，超过20天（截止日期2026-03-02）",
)
TIME_7 = Rule(
    id="TIME-7", cls="advice", title="政策文件未标注公开属性",
    summary="A policy document without its 公开属性 label (此件公开发布 / 此件删减后公开 / 此件依申请公开 / 此件不公开).",
    why="The label tells readers on what basis the document is public.",
    source="玉溪市基层政务公开标准化规范化工作任务清单第9项",
    fix="在文件末尾标注公开属性（如“此件公开发布”）",
    settings=("lookback_months",),
    example="政策文件未标注公开属性（此件公开发布、此件删减后公开、此件依申请公开或此件不公开）",
)
RULES = (TIME_1, TIME_2, TIME_3, TIME_4, TIME_5, TIME_6, TIME_7)


def published_on(page: FetchedPage) -> date | None:
    """The date a page was published: the 信息公开 metadata's 发布日期, else the article's date."""
    disclosure = page.facts.get("disclosure") or {}
    return parse_date(disclosure.get("published")) or parse_date(page.facts.get("published"))


def _articles(snapshot: Snapshot) -> list[FetchedPage]:
    return [page for page in snapshot.pages if parsed(page) and page.depth > 0 and not is_list_page(page)
            and published_on(page) is not None]


def _column_name(page: FetchedPage) -> str:
    crumbs = page.facts.get("breadcrumb") or []
    return page.facts.get("column") or (crumbs[-1]["name"] if crumbs else "")


def _normal(name: str | None) -> str:
    return re.sub(r"[\s《》〈〉“”\"]", "", name or "")


@dataclass
class Policy:
    page: FetchedPage
    day: date
    interpretations: list[tuple[FetchedPage, date]]


class _Contained:
    """Aho–Corasick over a set of names: which of them a text contains, in one pass over the text. A state is
    the prefix of a name read so far; its fallback the longest suffix of it that is a prefix too."""

    def __init__(self, names: Iterable[str]) -> None:
        wanted = {name for name in names if name}
        self.fallback: dict[str, str] = {"": ""}
        self.ending: dict[str, tuple[str, ...]] = {"": ()}  # the names that end where the state ends
        for prefix in sorted({name[:end] for name in wanted for end in range(1, len(name) + 1)}, key=len):
            back = self._step(self.fallback[prefix[:-1]], prefix[-1]) if len(prefix) > 1 else ""
            self.fallback[prefix] = back
            self.ending[prefix] = ((prefix,) if prefix in wanted else ()) + self.ending[back]

    def _step(self, state: str, char: str) -> str:
        while state and state + char not in self.fallback:
            state = self.fallback[state]
        return state + char if state + char in self.fallback else ""

    def within(self, text: str) -> set[str]:
        state, found = "", set[str]()
        for char in text:
            state = self._step(state, char)
            found.update(self.ending[state])
        return found


def _documents_and_readings(snapshot: Snapshot, context: Context) -> tuple[list[FetchedPage], list[FetchedPage]]:
    """The policy documents and the interpretations among the articles, in snapshot order."""
    classes = context.pack.columns
    documents, readings = [], []
    for page in _articles(snapshot):
        column = classes.class_of(_column_name(page))
        if page.facts.get("interprets") or column == "interpretations":
            readings.append(page)
        elif column == "policies":
            documents.append(page)
    return documents, readings


def _linked(snapshot: Snapshot, page: FetchedPage, kind: str) -> list[str]:
    """The URL keys of the page's related links of this kind ("interpretations" or "policies"), in page order."""
    return [snapshot.key(url) for url in (page.facts.get("related") or {}).get(kind) or []]


def _reading_name(page: FetchedPage) -> str:
    return _normal(page.facts.get("interprets") or interpreted_name(page.title or ""))


def _named(reading_names: list[str], policy_names: set[str]) -> dict[str, list[int]]:
    """Policy name → positions of the interpretations whose name it contains or is contained in, in order."""
    positions: dict[str, list[int]] = {}
    for position, name in enumerate(reading_names):
        if name:
            positions.setdefault(name, []).append(position)
    readings_within, policies_within = _Contained(positions), _Contained(policy_names)
    found: dict[str, set[int]] = {name: set() for name in policy_names if name}
    for name, where in found.items():
        for reading_name in readings_within.within(name):
            where.update(positions[reading_name])
    for reading_name, readings in positions.items():
        for name in policies_within.within(reading_name):
            found[name].update(readings)
    return {name: sorted(where) for name, where in found.items()}


def policies(snapshot: Snapshot, context: Context) -> list[Policy]:
    """Policy documents and their interpretations, paired by their links both ways or by the name in the title.
    Each document's keys are computed once and looked up, so the pairing grows with the snapshot, not its square."""
    documents, readings = _documents_and_readings(snapshot, context)
    by_url = {snapshot.key(page.url): position for position, page in enumerate(readings)}
    linking: dict[str, set[int]] = {}  # a policy's URL key → the interpretations linking to it
    for position, page in enumerate(readings):
        for key in _linked(snapshot, page, "policies"):
            linking.setdefault(key, set()).add(position)
    names = [_normal(policy_name(page.title or "")) for page in documents]
    named = _named([_reading_name(page) for page in readings], set(names))
    days = [published_on(page) for page in readings]
    found = []
    for page, name in zip(documents, names, strict=True):
        paired = dict.fromkeys(by_url[key] for key in _linked(snapshot, page, "interpretations") if key in by_url)
        matched = linking.get(snapshot.key(page.url), set()).union(named.get(name, ()))
        paired.update(dict.fromkeys(sorted(matched)))
        pairs = sorted(((readings[position], days[position]) for position in paired), key=lambda pair: pair[1])
        found.append(Policy(page, published_on(page), pairs))
    return found


def _evidence(context: Context, *days: date, **values) -> dict:
    """The finding's evidence; counted over a year whose 调休 arrangement is not published, the detail people read
    says it is provisional, and ``calendar`` says why for machines."""
    note = context.calendar.provisional(*days)
    if note:
        values.update(detail=f"{values['detail']}（{note}）", calendar=note)
    return {"status": None, "as_of": context.today.isoformat(), **values}


def _judged(rule_id: str, check: Callable[[Snapshot, Context], list[Draft]], snapshot: Snapshot,
            context: Context) -> list[Draft]:
    try:
        return check(snapshot, context)
    except WorkdayError as error:  # a year before any calendar: not judged rather than guessed
        context.cannot_judge(rule_id, str(error))
        return []


def _interpretation_drafts(snapshot: Snapshot, context: Context) -> list[Draft]:
    """One pass over the policies judging TIME-1 and TIME-2: a policy has a late interpretation or none."""
    return _judged("TIME-1", _interpretations, snapshot, context)


@judges(TIME_1)
def check_time_1(snapshot: Snapshot, context: Context) -> list[Draft]:
    return drafts_of(TIME_1, context.once(snapshot, _interpretation_drafts))


@judges(TIME_2)
def check_time_2(snapshot: Snapshot, context: Context) -> list[Draft]:
    return drafts_of(TIME_2, context.once(snapshot, _interpretation_drafts))


@judges(TIME_3)
def check_time_3(snapshot: Snapshot, context: Context) -> list[Draft]:
    return _judged("TIME-3", _made_to_published, snapshot, context)


@judges(TIME_4)
def check_time_4(snapshot: Snapshot, context: Context) -> list[Draft]:
    return _judged("TIME-4", _annual_report, snapshot, context)


@judges(TIME_5)
def check_time_5(snapshot: Snapshot, context: Context) -> list[Draft]:
    return _judged("TIME-5", _periodic, snapshot, context)


@judges(TIME_6)
def check_time_6(snapshot: Snapshot, context: Context) -> list[Draft]:
    return _judged("TIME-6", _approval, snapshot, context)


@judges(TIME_7)
def check_time_7(snapshot: Snapshot, context: Context) -> list[Draft]:
    return _judged("TIME-7", _labels, snapshot, context)


def check_timeliness(snapshot: Snapshot, context: Context) -> list[Draft]:
    """Every rule of the family: TIME-1 and TIME-2 from one pass over the policies, then TIME-3 … TIME-7."""
    later = (check_time_3, check_time_4, check_time_5, check_time_6, check_time_7)
    return context.once(snapshot, _interpretation_drafts) + [draft for unit in later for draft in unit(snapshot, context)]


def _interpretations(snapshot: Snapshot, context: Context) -> list[Draft]:
    settings, exempt_settings = context.pack.rule("TIME-1"), context.pack.rule("TIME-2")
    limit = int(settings["max_working_days"])
    needs, exempt = tuple(exempt_settings["needs"]), tuple(exempt_settings["exempt"])
    since = months_before(context.today, int(exempt_settings["lookback_months"]))
    drafts = []
    for policy in context.once(snapshot, policies):
        title = policy.page.title or ""
        try:
            deadline = context.calendar.add(policy.day, limit)
        except WorkdayError as error:
            context.cannot_judge("TIME-1", str(error))
            continue
        if policy.interpretations:
            page, day = policy.interpretations[0]
            if day > deadline:
                elapsed = context.calendar.between(policy.day, day)
                drafts.append(Draft(rule="TIME-1", target=page.url, evidence=_evidence(
                    context, policy.day, day, reason="late_interpretation",
                    detail=f"政策文件{policy.day.isoformat()}发布，解读{day.isoformat()}发布，用时{elapsed}个工作日；"
                           f"截止日期为{deadline.isoformat()}（文件发布后第{limit}个工作日）",
                    policy=policy.page.url, policy_title=title, policy_date=policy.day.isoformat(),
                    interpretation_date=day.isoformat(), deadline=deadline.isoformat(), working_days=elapsed,
                    max_working_days=limit),
                    places=[{"page": page.url, "tag": "page", "attr": "", "text": page.title or ""}], places_total=1))
        elif (policy.day >= since and deadline < context.today and any(w in title for w in needs)
              and not any(w in title for w in exempt)):
            drafts.append(Draft(rule="TIME-2", target=policy.page.url, evidence=_evidence(
                context, policy.day, deadline, reason="no_interpretation",
                detail=f"政策文件{policy.day.isoformat()}发布，至{context.today.isoformat()}未发现解读"
                       f"（截止日期{deadline.isoformat()}）",
                policy_title=title, policy_date=policy.day.isoformat(), deadline=deadline.isoformat()),
                places=[{"page": policy.page.url, "tag": "page", "attr": "", "text": title}], places_total=1))
    return drafts


def _made_to_published(snapshot: Snapshot, context: Context) -> list[Draft]:
    limit = int(context.pack.rule("TIME-3")["max_working_days"])
    drafts = []
    for page in snapshot.pages:
        disclosure = page.facts.get("disclosure") if parsed(page) else None
        made = parse_date((disclosure or {}).get("made"))
        published = parse_date((disclosure or {}).get("published"))
        if made is None or published is None or published <= made:
            continue
        deadline = context.calendar.add(made, limit)
        if published > deadline:
            elapsed = context.calendar.between(made, published)
            drafts.append(Draft(rule="TIME-3", target=page.url, evidence=_evidence(
                context, made, published, reason="late_publication",
                detail=f"成文日期{made.isoformat()}，发布日期{published.isoformat()}，相隔{elapsed}个工作日，"
                       f"超过{limit}个工作日（截止日期{deadline.isoformat()}）",
                made=made.isoformat(), published=published.isoformat(), deadline=deadline.isoformat(),
                working_days=elapsed, max_working_days=limit),
                places=[{"page": page.url, "tag": "page", "attr": "", "text": page.title or ""}], places_total=1))
    return drafts


def _listed(snapshot: Snapshot, context: Context) -> dict[str, tuple[str, date | None]]:
    """Every item the site's lists show, once per URL: (title, date); shared by TIME-4 and TIME-5 (context.once)."""
    items: dict[str, tuple[str, date | None]] = {}
    for page in snapshot.pages:
        if parsed(page):
            for item in page.facts.get("items") or []:
                items.setdefault(snapshot.key(item["url"]), (item["title"], parse_date(item.get("date"))))
    return items


_ANNUAL_REPORT = re.compile(r"(\d{4})\s*年度?[^，。]{0,40}?(?:政府信息公开|政务公开)工作年度报告")


def _annual_report(snapshot: Snapshot, context: Context) -> list[Draft]:
    settings, level = context.pack.rule("TIME-4"), context.level
    if context.site_type == "department":
        month, day, who = settings["department_due_month"], settings["department_due_day"], "政府部门"
    elif context.site_type == "portal" and level in ("省", "市", "县"):
        month, day, who = settings["government_due_month"], settings["government_due_day"], "县级以上地方人民政府"
    else:
        return []
    due_this_year = date(context.today.year, int(month), int(day))
    year = context.today.year - (1 if context.today > due_this_year else 2)
    due = date(year + 1, int(month), int(day))
    reports = dict(context.once(snapshot, _listed))  # URL → (title, published); a fetched page's own come first
    for page in snapshot.pages:
        if parsed(page) and page.title:
            key = snapshot.key(page.url)
            known = reports.get(key)
            reports[key] = (page.title, published_on(page) or (known[1] if known else None))
    found = sorted((published or date.max, url, title) for url, (title, published) in reports.items()
                   if (match := _ANNUAL_REPORT.search(title)) and int(match[1]) == year)
    home = snapshot.home
    if not found:  # "missing" only where the crawl could look: the homepage and the column were read
        if not parsed(home):
            context.cannot_judge("TIME-4", "首页未能获取或解析，无法判断年度报告是否发布")
            return []
        column = next((c for c in site_columns(snapshot)
                       if context.pack.columns.class_of(c.name) == "annual_reports" and c.url), None)
        if column and not parsed(snapshot.page(column.url)):
            context.cannot_judge("TIME-4", f"年报栏目页面未能获取或解析（{column.url}），无法判断年度报告是否发布")
            return []
        target = column.url if column else f"{home.url}#政府信息公开工作年度报告"
        where = f"栏目“{column.name}”" if column else "首页及已采集的各栏目（未找到年度报告栏目）"
        return [Draft(rule="TIME-4", target=target, evidence=_evidence(
            context, reason="annual_report_missing", report_year=year, due=due.isoformat(), location=where,
            detail=f"未发现{year}年政府信息公开工作年度报告（{who}的截止日期为{due.isoformat()}）"),
            places=[{"page": target, "tag": "page", "attr": "", "text": "政府信息公开年报"}], places_total=1)]
    published, url, title = found[0]
    if published == date.max or published <= due:
        return []
    return [Draft(rule="TIME-4", target=url, evidence=_evidence(
        context, reason="annual_report_late", report_year=year, published=published.isoformat(), due=due.isoformat(),
        days_late=(published - due).days,
        detail=f"{year}年政府信息公开工作年度报告{published.isoformat()}发布，晚于{who}的截止日期{due.isoformat()}"),
        places=[{"page": url, "tag": "page", "attr": "", "text": title}], places_total=1)]


_MONTH_SPAN = re.compile(r"(\d{4})\s*年\s*(?:1\s*[-—－~至到]\s*)?(\d{1,2})\s*月")
_QUARTER = re.compile(r"(\d{4})\s*年\s*(?:第\s*)?([一二三四1-4])\s*季度")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(year: int, month: int) -> date:
    return months_after(date(year, month, 1), 1) - timedelta(days=1)


def _period_of(title: str, published: date | None, period: str) -> tuple[date, date] | None:
    """The period (first day, last day) a release covers: named in its title, else the one before publication."""
    if period in ("month", "quarter"):
        quarter = _QUARTER.search(title)
        month = _MONTH_SPAN.search(title)
        if quarter:
            year, last = int(quarter[1]), _QUARTERS[quarter[2]] * 3
        elif month and 1 <= int(month[2]) <= 12:
            year, last = int(month[1]), int(month[2])
        elif published is not None:
            previous = months_before(published.replace(day=1), 1)
            year, last = previous.year, previous.month
        else:
            return None
        if period == "quarter":
            last = (last + 2) // 3 * 3
            return date(year, last - 2, 1), _month_end(year, last)
        return date(year, last, 1), _month_end(year, last)
    if published is None:
        return None
    start = published - timedelta(days=published.weekday())
    return start, start + timedelta(days=6)


def _periods(today: date, period: str, count: int, due) -> Iterator[tuple[date, date, date]]:
    """The latest ``count`` periods whose due date has passed: (first day, last day, due)."""
    if period == "week":
        start = today - timedelta(days=today.weekday())
        step = lambda d: d - timedelta(days=7)  # noqa: E731
        end_of = lambda d: d + timedelta(days=6)  # noqa: E731
    else:
        months = 3 if period == "quarter" else 1
        first = date(today.year, (today.month - 1) // months * months + 1, 1)
        start = first
        step = lambda d: months_before(d, months)  # noqa: E731
        end_of = lambda d: months_after(d, months) - timedelta(days=1)  # noqa: E731
    found = 0
    while found < count:
        end = end_of(start)
        deadline = (start if due.after == "start" else end) + timedelta(days=due.days)
        if deadline < today:
            yield start, end, deadline
            found += 1
        start = step(start)


def _periodic(snapshot: Snapshot, context: Context) -> list[Draft]:
    home = snapshot.home
    if home is None:
        return []
    items = context.once(snapshot, _listed)
    drafts = []
    for series in context.pack.periodic:
        if not series.applies_to.matches(context.site_type, context.level):
            continue
        releases = [(url, title, day) for url, (title, day) in items.items() if any(w in title for w in series.title)]
        if not releases:
            continue  # a series the site never publishes is not judged
        by_period: dict[date, list[tuple[str, str, date | None]]] = {}
        for url, title, day in releases:
            covered = _period_of(title, day, series.period)
            if covered:
                by_period.setdefault(covered[0], []).append((url, title, day))
        for start, end, deadline in _periods(context.today, series.period, series.lookback, series.due):
            label = f"{start:%Y-%m}" if series.period != "week" else f"{start.isoformat()}周"
            found = sorted(by_period.get(start, []), key=lambda r: r[2] or date.max)
            base = dict(series=series.name, period_start=start.isoformat(), period_end=end.isoformat(),
                        due=deadline.isoformat(), basis=series.source)
            if not found:
                target = f"{home.url}#{series.name}:{label}"
                drafts.append(Draft(rule="TIME-5", target=target, evidence=_evidence(
                    context, reason="release_missing", **base,
                    location=f"已采集的各栏目列表（“{series.name}”{label}期次）",
                    detail=f"未发现“{series.name}”{start.isoformat()}至{end.isoformat()}期次的信息"
                           f"（截止日期{deadline.isoformat()}）"),
                    places=[{"page": home.url, "tag": "page", "attr": "", "text": series.name}], places_total=1))
            elif found[0][2] is not None and found[0][2] > deadline:
                url, title, day = found[0]
                drafts.append(Draft(rule="TIME-5", target=url, evidence=_evidence(
                    context, reason="release_late", **base, published=day.isoformat(),
                    days_late=(day - deadline).days,
                    detail=f"“{series.name}”{start.isoformat()}至{end.isoformat()}期次{day.isoformat()}发布，"
                           f"晚于{deadline.isoformat()}"),
                    places=[{"page": url, "tag": "a", "attr": "href", "text": title}], places_total=1))
    return drafts


def _approval(snapshot: Snapshot, context: Context) -> list[Draft]:
    limit = int(context.pack.rule("TIME-6")["max_days"])
    drafts = []
    for page in snapshot.pages:
        approved = parse_date(page.facts.get("approved")) if parsed(page) else None
        published = published_on(page) if approved else None
        if published is None or (published - approved).days <= limit:
            continue
        due = approved + timedelta(days=limit)
        drafts.append(Draft(rule="TIME-6", target=page.url, evidence=_evidence(
            context, reason="late_budget", approved=approved.isoformat(), published=published.isoformat(),
            due=due.isoformat(), days=(published - approved).days, max_days=limit,
            detail=f"{approved.isoformat()}批准，{published.isoformat()}公开，相隔{(published - approved).days}天，"
                   f"超过{limit}天（截止日期{due.isoformat()}）"),
            places=[{"page": page.url, "tag": "page", "attr": "", "text": page.title or ""}], places_total=1))
    return drafts


def _labels(snapshot: Snapshot, context: Context) -> list[Draft]:
    since = months_before(context.today, int(context.pack.rule("TIME-7")["lookback_months"]))
    drafts = []
    for policy in context.once(snapshot, policies):
        page = policy.page
        if policy.day < since or page.facts.get("publicity"):
            continue
        drafts.append(Draft(rule="TIME-7", target=page.url, evidence=_evidence(
            context, reason="no_publicity_label", policy_date=policy.day.isoformat(),
            detail="政策文件未标注公开属性（此件公开发布、此件删减后公开、此件依申请公开或此件不公开）"),
            places=[{"page": page.url, "tag": "page", "attr": "", "text": page.title or ""}], places_total=1))
    return drafts
