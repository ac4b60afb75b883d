"""HOME-1, COL-1 … COL-4: is the homepage updated, are the columns updated, blank or missing.

A site's columns come from the snapshot: the homepage's navigation (its top entries
are the first-level columns), site-map pages, breadcrumbs and meta ColumnName. A
column's newest date is the newest item on its list pages (pagination included), or,
for a column seen only by name, the newest article that names it. Each column's class
(动态/要闻, 通知公告 …) and maximum age come from the pack. One finding per column, so
the administrator sees each one; the verdict counts them against the pack's veto_at.
Pages robots.txt kept from the crawl are unknown, never missing: a column whose list page
is one, a required column that may be on one, and second-level pages of a navigation-only
homepage are not judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from govmon.checks.context import Context, months_before, parse_date
from govmon.checks.pack import ColumnClass
from govmon.checks.rule import Draft, Rule, drafts_of, judges
from govmon.checks.snapshot import FetchedPage, Snapshot, parsed, robots_blocked, unjudged_for_robots

SOURCE_19 = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"

HOME_1 = Rule(
    id="HOME-1", cls="veto", title="首页不更新",
    summary="No new dated item on the homepage within the limit (a navigation-only homepage: on its second-level pages).",
    why="A homepage left unchanged for two weeks tells citizens the site is abandoned; 19号 makes it a single veto.",
    source=f"{SOURCE_19}“单项否决：网站不更新”",
    fix="在首页（导航型首页为其二级页面）及时发布动态、要闻等信息",
    settings=("max_age_days",),
    example="首页最新信息发布于2026-11-01，至2026-11-23已22天未更新，超过14天",
)
COL_1 = Rule(
    id="COL-1", cls="veto", title="栏目不更新",
    summary="A 动态/要闻 column not updated within 14 days, or a first-level 通知公告/政策文件 column within 6 months.",
    why="Stale news and notice columns are the most common reason a site fails inspection; five of them are a veto.",
    source=f"{SOURCE_19}“单项否决：栏目不更新”",
    fix="及时更新该栏目；确无信息可发布的栏目，应整合或关停",
    settings=("veto_at",),
    example="“工作动态”栏目（动态/要闻类，一级栏目）最新信息发布于2026-10-20，至2026-11-23已34天未更新，超过14天",
)
COL_2 = Rule(
    id="COL-2", cls="veto", title="应更新但长期未更新的栏目",
    summary="A column that should be updated (other 通知公告/政策文件, 人事, 规划计划) is older than its class allows.",
    why="Columns that promise regular information but stop giving it mislead citizens; ten of them are a veto.",
    source=f"{SOURCE_19}“单项否决：栏目不更新”",
    fix="按栏目定位及时更新信息；已不再适用的栏目应整合或关停",
    settings=("veto_at",),
    example="“人事信息”栏目（人事类）最新信息发布于2025-09-01，至2026-11-23已448天未更新，超过12个月",
)
COL_3 = Rule(
    id="COL-3", cls="veto", title="空白栏目",
    summary="A column that has never had content (its list says 暂无信息 and lists nothing).",
    why="An empty column is a broken promise on every page that links to it; five of them are a veto.",
    source=f"{SOURCE_19}“单项否决：栏目不更新（空白栏目）”",
    fix="为该栏目补充应公开的信息；无信息可发布的，撤销该栏目及其链接",
    settings=("veto_at",),
    example="“规划计划”栏目没有任何信息（列表页显示“暂无信息”）",
)
COL_4 = Rule(
    id="COL-4", cls="advice", title="缺少必备栏目",
    summary="A column the site's profile requires (政府信息公开指南, 制度, 法定主动公开内容, 年报, 政策解读 …) is missing.",
    why="The 条例 and 47号 name the columns every government site must carry; citizens look for them by name.",
    source="《中华人民共和国政府信息公开条例》；国办发〔2017〕47号《政府网站发展指引》",
    fix="按规定开设该栏目并在导航或网站地图中提供入口",
    example="未找到“政府信息公开指南”栏目（在首页导航、网站地图、面包屑和栏目元数据中查找“政府信息公开指南”“信息公开指南”）",
)
RULES = (HOME_1, COL_1, COL_2, COL_3, COL_4)


@dataclass
class Column:
    name: str
    url: str  # "" when only named (breadcrumb text, meta ColumnName)
    level: int | None  # 1: a top entry of the homepage's navigation
    sources: set[str] = field(default_factory=set)
    list_pages: list[FetchedPage] = field(default_factory=list)
    articles: list[FetchedPage] = field(default_factory=list)

    @property
    def items(self) -> list[dict]:
        return [item for page in self.list_pages for item in page.facts.get("items") or []]

    def newest(self) -> tuple[date | None, dict | None]:
        """The newest date and what carries it: a list item, else an article naming the column."""
        dated = [(parse_date(item.get("date")), item) for item in self.items]
        if not self.list_pages:
            dated = [(parse_date(page.facts.get("published")), {"title": page.title, "url": page.url})
                     for page in self.articles]
        dated = [(day, thing) for day, thing in dated if day is not None]
        return max(dated, key=lambda pair: pair[0]) if dated else (None, None)

    @property
    def blank(self) -> bool:
        return bool(self.list_pages) and not self.items and not self.articles and any(
            page.facts.get("empty_list") for page in self.list_pages)


def site_columns(snapshot: Snapshot) -> list[Column]:
    """The site's columns, each once (by URL, else by name), with their list pages and articles."""
    by_key: dict[str, Column] = {}

    def add(name: str, url: str, level: int | None, source: str) -> None:
        name = name.strip()
        if not name:
            return
        key = snapshot.key(url) if url else f"name:{name}"
        if not url:
            named = [c for c in by_key.values() if c.name == name]
            if named:
                named[0].sources.add(source)
                return
        column = by_key.get(key)
        if column is None:
            column = by_key[key] = Column(name, url, level)
        elif level is not None and (column.level is None or level < column.level):
            column.level = level
        column.sources.add(source)

    home = snapshot.home
    if parsed(home):
        for entry in home.facts.get("nav") or []:
            add(entry["name"], entry["url"], 1 if entry["parent"] is None else 2, "nav")
    for page in snapshot.pages:
        if not parsed(page):
            continue
        for entry in page.facts.get("sitemap") or []:
            add(entry["name"], entry["url"], None, "sitemap")
        for segment in page.facts.get("breadcrumb") or []:
            add(segment["name"], segment["url"], None, "breadcrumb")
        if page.facts.get("column"):
            add(page.facts["column"], "", None, "meta")
    for key, column in list(by_key.items()):  # a name-only column joins the linked one of the same name
        if not column.url and any(c.url and c.name == column.name for c in by_key.values()):
            linked = next(c for c in by_key.values() if c.url and c.name == column.name)
            linked.sources |= column.sources
            del by_key[key]
    columns = list(by_key.values())
    _attach_pages(snapshot, columns)
    return columns


def _attach_pages(snapshot: Snapshot, columns: list[Column]) -> None:
    by_name: dict[str, list[FetchedPage]] = {}
    for page in snapshot.pages:
        if parsed(page) and page.facts.get("column") and page.facts.get("published"):
            by_name.setdefault(page.facts["column"], []).append(page)
    for column in columns:
        column.articles = by_name.get(column.name, [])
        first = snapshot.page(column.url) if column.url else None
        if not parsed(first) or first.depth == 0:
            continue
        pages, queue = [first], list(first.facts.get("pagination") or [])
        while queue:
            page = snapshot.page(queue.pop(0))
            if parsed(page) and page not in pages:
                pages.append(page)
                queue.extend(page.facts.get("pagination") or [])
        column.list_pages = pages


def stale_since(today: date, cls: ColumnClass) -> date | None:
    """The newest date that is too old for the class: on or before it, a column is not updated."""
    if cls.max_age_days:
        return today - timedelta(days=cls.max_age_days)
    if cls.max_age_months:
        return months_before(today, cls.max_age_months)
    return None


def _limit_text(cls: ColumnClass) -> str:
    return f"{cls.max_age_days}天" if cls.max_age_days else f"{cls.max_age_months}个月"


def _column_draft(rule: str, column: Column, cls_key: str, cls: ColumnClass, context: Context) -> Draft | None:
    limit = stale_since(context.today, cls)
    newest, item = column.newest()
    if limit is None or newest is None or newest > limit:
        return None
    age = (context.today - newest).days
    where = column.list_pages[0].url if column.list_pages else column.url or (item or {}).get("url", "")
    return Draft(rule=rule, target=column.url or where, evidence={
        "reason": "stale_column", "status": None,
        "detail": f"“{column.name}”栏目（{cls.label}类{'，一级栏目' if column.level == 1 else ''}）"
                  f"最新信息发布于{newest.isoformat()}，至{context.today.isoformat()}已{age}天未更新，"
                  f"超过{_limit_text(cls)}",
        "column": column.name, "column_class": cls_key, "level": column.level, "newest": newest.isoformat(),
        "newest_item": item, "as_of": context.today.isoformat(), "age_days": age,
        "max_age": _limit_text(cls), "stale_on_or_before": limit.isoformat(),
        "threshold_status": cls.status,
    }, places=[{"page": where, "tag": "a", "attr": "href", "text": column.name}], places_total=1)


def _column_drafts(snapshot: Snapshot, context: Context) -> tuple[list[Column], list[Draft]]:
    """The site's columns and one pass over them judging COL-1, COL-2 and COL-3, shared by those rules and COL-4."""
    pack = context.pack
    columns = site_columns(snapshot)
    drafts = []
    unread = []
    for column in columns:
        if column.url and robots_blocked(snapshot.page(column.url)):
            unread.append(column.name)
            continue
        key = pack.columns.class_of(column.name)
        cls = pack.columns.classes.get(key)
        if column.blank:
            page = column.list_pages[0]
            drafts.append(Draft(rule="COL-3", target=column.url, evidence={
                "reason": "blank_column", "status": page.status,
                "detail": f"“{column.name}”栏目没有任何信息（列表页显示“暂无信息”）",
                "column": column.name, "list_pages": [p.url for p in column.list_pages]},
                places=[{"page": page.url, "tag": "a", "attr": "href", "text": column.name}], places_total=1))
            continue
        if cls is None:
            continue
        draft = _column_draft(column_rule(key, column.level), column, key, cls, context)
        if draft:
            drafts.append(draft)
    if unread:
        context.cannot_judge("COL:robots_blocked", f"{len(unread)}个栏目的列表页按robots.txt未采集，未判断是否更新："
                                                   f"{'、'.join(unread[:5])}{'等' if len(unread) > 5 else ''}")
    return columns, drafts


@judges(HOME_1)
def check_home_1(snapshot: Snapshot, context: Context) -> list[Draft]:
    return [d for d in (_home(snapshot, context),) if d]


@judges(COL_1)
def check_col_1(snapshot: Snapshot, context: Context) -> list[Draft]:
    return drafts_of(COL_1, context.once(snapshot, _column_drafts)[1])


@judges(COL_2)
def check_col_2(snapshot: Snapshot, context: Context) -> list[Draft]:
    return drafts_of(COL_2, context.once(snapshot, _column_drafts)[1])


@judges(COL_3)
def check_col_3(snapshot: Snapshot, context: Context) -> list[Draft]:
    return drafts_of(COL_3, context.once(snapshot, _column_drafts)[1])


@judges(COL_4)
def check_col_4(snapshot: Snapshot, context: Context) -> list[Draft]:
    return _missing(snapshot, context.once(snapshot, _column_drafts)[0], context)


def check_columns(snapshot: Snapshot, context: Context) -> list[Draft]:
    """Every rule of the family: HOME-1, then each column's COL-1 … COL-3, then COL-4."""
    home = check_home_1(snapshot, context)
    return home + context.once(snapshot, _column_drafts)[1] + check_col_4(snapshot, context)


def column_rule(class_key: str, level: int | None) -> str:
    """COL-1 for a 动态/要闻 column or a first-level 通知公告/政策文件 one, COL-2 for any other that should be updated."""
    first_level_notice = class_key in ("notices", "policies") and level == 1
    return "COL-1" if class_key == "dynamics" or first_level_notice else "COL-2"


def _home(snapshot: Snapshot, context: Context) -> Draft | None:
    home = snapshot.home
    if not parsed(home):
        return None
    max_days = context.pack.rule("HOME-1")["max_age_days"]
    navigation_only = bool(home.facts.get("navigation_only"))
    if navigation_only:
        judged = [page for page in snapshot.pages if parsed(page) and page.depth == 1]
        dates = [(parse_date(page.facts.get("latest_listed") or page.facts.get("published")), page.url)
                 for page in judged]
    else:
        judged = [home]
        dates = [(parse_date(home.facts.get("latest_listed")), home.url)]
    dates = [(day, url) for day, url in dates if day is not None and day <= context.today]
    scope = f"导航型首页的{len(judged)}个二级页面" if navigation_only else "首页"
    if not dates:  # no date could be read: a person must look, a veto is never guessed
        context.cannot_judge("HOME-1", f"{scope}未发现可识别日期的信息，请人工核查首页更新情况")
        return None
    newest, where = max(dates)
    limit = context.today - timedelta(days=max_days)
    if newest > limit:
        return None
    unread = [page.url for page in snapshot.pages if page.depth == 1 and robots_blocked(page)]
    if navigation_only and unread:  # a newer item may be on a second-level page the crawl could not read
        context.cannot_judge("HOME-1", f"导航型首页的{len(unread)}个二级页面按robots.txt未采集，无法判断首页更新情况")
        return None
    detail = (f"{scope}最新信息发布于{newest.isoformat()}，至{context.today.isoformat()}已"
              f"{(context.today - newest).days}天未更新，超过{max_days}天")
    return Draft(rule="HOME-1", target=home.url, evidence={
        "reason": "stale_homepage", "status": home.status, "detail": detail,
        "judged_by": "second_level_pages" if navigation_only else "homepage", "pages_judged": len(judged),
        "newest": newest.isoformat(), "newest_on": where, "as_of": context.today.isoformat(),
        "age_days": (context.today - newest).days, "max_age_days": max_days},
        places=[{"page": where, "tag": "page", "attr": "", "text": scope}],
        places_total=1)


def _missing(snapshot: Snapshot, columns: list[Column], context: Context) -> list[Draft]:
    home = snapshot.home
    if not parsed(home):
        return []
    names = {column.name for column in columns}
    unread = unjudged_for_robots(snapshot)
    drafts = []
    for required in context.pack.columns.required:
        if not required.applies_to.matches(context.site_type, context.level) or required.found_in(names):
            continue
        if unread:  # it may be named on a page the crawl was not allowed to read
            context.cannot_judge("COL-4", f"{len(unread)}个页面按robots.txt未采集，未判断必备栏目是否缺少")
            continue
        drafts.append(Draft(rule="COL-4", target=f"{home.url}#{required.name}", evidence={
            "reason": "missing_column", "status": None,
            "detail": f"未找到“{required.name}”栏目（在首页导航、网站地图、面包屑和栏目元数据中查找"
                      f"“{'”“'.join((required.name, *required.synonyms))}”）",
            "column": required.name, "synonyms": list(required.synonyms), "basis": required.source,
            "columns_seen": len(names), "location": "首页导航及网站地图"},
            places=[{"page": home.url, "tag": "page", "attr": "", "text": "首页导航及网站地图"}], places_total=1))
    return drafts
