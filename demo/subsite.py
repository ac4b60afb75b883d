"""The sub-site 滇中市发展和改革委员会 (fictional): a department's navigation-only site, served by the portal server to
requests for SUBSITE_HOST, with seeded defects for the homepage, column, identity and interaction rules.

Its homepage is a gateway of column links without a single dated item, so HOME-1 judges it by its level-1 columns.
Each column writes its list in a shape of its own, as real sites do. Like the portal, every date is relative to
`as_of`; the defects are returned with URL paths, the manifest puts them under the SUBSITE placeholder.
"""

import random
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from math import ceil

from . import assets
from . import content as c
from . import pages as p
from .routes import EXTERNAL, SUBSITE_HOST

SUBSITE = "{subsite}"
DEPARTMENT_REPORT_DUE = (1, 31)  # a department's annual report is due by 31 January (TIME-4)
SITE = (c.SUBSITE_NAME, c.SUBSITE_DOMAIN, c.SUBSITE_CODE)  # for p.article_meta

# Level-1 columns. No 法定主动公开内容 and no 互动交流 (COL-4); 网上信访 is no consultation channel (INTER-1).
NAV = (("工作动态", "/gzdt/"), ("通知公告", "/tzgg/"), ("政策文件", "/zcwj/"), ("规划计划", "/ghjh/"),
       ("政府信息公开指南", "/zfxxgkzn/"), ("政府信息公开制度", "/zfxxgkzd/"), ("政府信息公开年报", "/zfxxgknb/"),
       ("部门预决算", "/bmyjs/"), ("网上信访", "/wsxf/"))

# The footer has 主办单位, 联系电话, ICP, 公安备案号 and 网站标识码, but no 党政机关 mark (ID-5) and no 找错 (ID-6).
FOOTER = f"""<div class="footer">
<p>主办单位：{c.SUBSITE_NAME}　联系电话：{c.SUBSITE_PHONE}　地址：{c.SUBSITE_ADDRESS}</p>
<p>网站标识码：{c.SUBSITE_CODE}　<a href="{EXTERNAL}/beian/" target="_blank">{c.SUBSITE_ICP}</a>　<a href="{EXTERNAL}/gongan/" target="_blank">{c.SUBSITE_GONGAN}</a></p>
</div>"""


@dataclass
class Subsite:
    """The generated sub-site: HTML pages (UTF-8) and other files by URL path, and its seeded defects."""

    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    defects: list[dict] = field(default_factory=list)


@dataclass
class _Entry:
    """One article of a column, as its list shows it."""

    title: str
    url: str
    day: date
    document_number: str = ""  # 文号, for policy documents


def build_subsite(as_of: date, rng: random.Random) -> Subsite:
    return _Builder(as_of, rng).build()


class _Builder:
    def __init__(self, as_of: date, rng: random.Random):
        self.as_of = as_of
        self.rng = rng
        self.site = Subsite()
        self._number = rng.randint(700_000, 800_000)

    def build(self) -> Subsite:
        self.site.files["/robots.txt"] = b"User-agent: *\nDisallow:\n"
        self.site.files["/css/common.css"] = assets.STYLESHEET.encode()
        self.site.files["/images/logo.png"] = assets.png(360, 70, (20, 80, 160))
        news = self.news()
        notices = self.notices()
        self.policies()
        self.plans()
        self.disclosure()
        self.budgets()
        self.petition()
        self.homepage()
        self.seed_defects(news, notices)
        return self.site

    # ----- building blocks

    def days(self, latest: date, count: int, gap: tuple[int, int]) -> list[date]:
        return p.days_back(self.rng, latest, count, gap)

    def words(self, day: date) -> dict:
        rng = self.rng
        return {"topic": rng.choice(c.SUBSITE_TOPICS), "district": rng.choice(c.DISTRICTS),
                "money": rng.randint(200, 9800), "count": rng.randint(5, 60), "area": rng.randint(3, 8),
                "year": day.year, "end": day.year + 2}

    def articles(self, column: tuple[str, str], titles: tuple[str, ...], days: list[date],
                 closing: tuple[str, ...] = ()) -> list[_Entry]:
        """An article page per date, titled from `titles`, its body ending with `closing`; returns the column's
        entries, newest first."""
        entries = []
        for day in days:
            w = self.words(day)
            title = self.rng.choice(titles).format(**w)
            texts = [t.format(**w) for t in self.rng.sample(c.SUBSITE_SENTENCES, 3)]
            entries.append(self.article(column, title, day, texts + list(closing)))
        return entries

    def article(self, column: tuple[str, str], title: str, day: date, texts: list[str] | tuple[str, ...]) -> _Entry:
        name, url = column
        self._number += self.rng.randint(3, 40)
        entry = _Entry(title, f"{url}{day:%Y%m}/t{day:%Y%m%d}_{self._number}.html", day)
        published = f"{p.iso(day)} {self.rng.randint(8, 18):02d}:{self.rng.randint(0, 59):02d}"
        head = p.article_meta(column=name, title=title, published=published, source=c.SUBSITE_NAME, site=SITE)
        main = (p.crumbs((column,), "正文")
                + p.article(title=title, info=f"发布时间：{p.iso(day)} 来源：{c.SUBSITE_NAME}",
                            body=p.paragraphs(list(texts))))
        self.site.pages[entry.url] = _frame(title=f"{title}_{c.SUBSITE_NAME}", main=main, head=head)
        return entry

    def column_pages(self, column: tuple[str, str], entries: list[_Entry], listing, per_page: int = 15) -> None:
        """A column's list pages (index.html, index_1.html …), each page's entries rendered by `listing`."""
        name, url = column
        count = ceil(len(entries) / per_page)
        for index in range(count):
            chunk = entries[index * per_page:(index + 1) * per_page]
            main = (p.crumbs((column,)) + f'<div class="column"><h2>{name}</h2>\n{listing(chunk)}\n'
                    + p.pager(url, len(entries), count, index) + "\n</div>")
            self.site.pages[p.list_url(url, index)] = _frame(title=f"{name}_{c.SUBSITE_NAME}", main=main)

    # ----- the columns

    def news(self) -> list[_Entry]:
        """工作动态: 20 days old, MM-DD dates without a year."""
        days = self.days(self.as_of - timedelta(days=20), 24, (2, 5))
        entries = self.articles(NAV[0], c.SUBSITE_NEWS_TITLES, days)
        self.column_pages(NAV[0], entries, _month_day_list)
        return entries

    def notices(self) -> list[_Entry]:
        """通知公告: 7 months old, dates in brackets after the title."""
        days = self.days(months_before(self.as_of, 7), 16, (6, 25))
        entries = self.articles(NAV[1], c.SUBSITE_NOTICE_TITLES, days)
        self.column_pages(NAV[1], entries, _bracket_list)
        return entries

    def policies(self) -> None:
        """政策文件: 40 days old, a table with 文号 and 发布日期; notices that need no interpretation, each with its
        公开属性 label (no TIME-2, no TIME-7)."""
        days = self.days(self.as_of - timedelta(days=40), 12, (15, 45))
        entries = self.articles(NAV[2], c.SUBSITE_POLICY_TITLES, days, (c.SUBSITE_NAME, c.PUBLICITY_LABEL))
        numbers: dict[int, int] = {}
        for entry in reversed(entries):  # 文号 follow publication order
            numbers[entry.day.year] = numbers.get(entry.day.year, 0) + 1
            entry.document_number = f"滇中发改〔{entry.day.year}〕{numbers[entry.day.year]}号"
        self.column_pages(NAV[2], entries, _policy_table)

    def plans(self) -> None:
        """规划计划: 100 days old, the date before the title."""
        days = self.days(self.as_of - timedelta(days=100), 6, (60, 150))
        entries = self.articles(NAV[3], c.SUBSITE_PLAN_TITLES, days)
        self.column_pages(NAV[3], entries, _date_first_list)

    def disclosure(self) -> None:
        """政府信息公开 指南 (plain list), 制度 (Chinese dates) and 年报 (dt/dd), all older than 20 days. The annual
        reports are out in January, before a department's 31 January deadline, but the one TIME-4 judges (last
        year's, once this year's deadline has passed) came on 20 February: late, or missing while not yet out."""
        revised = self.as_of - timedelta(days=75)
        guides = [self.article(NAV[4], c.SUBSITE_GUIDE_TITLE.format(year=day.year), day, c.GUIDE_SENTENCES[:3])
                  for day in (revised, revised - timedelta(days=3 * 365))]
        self.column_pages(NAV[4], guides, _items("span"))
        days = self.days(self.as_of - timedelta(days=300), len(c.SUBSITE_SYSTEM_TITLES), (60, 200))
        systems = [self.article(NAV[5], title, day, c.SYSTEM_SENTENCES)
                   for title, day in zip(c.SUBSITE_SYSTEM_TITLES, days)]
        self.column_pages(NAV[5], systems, _items("chinese"))
        reports = []
        judged = self.as_of.year - (1 if self.as_of > date(self.as_of.year, *DEPARTMENT_REPORT_DUE) else 2)
        due = date(judged + 1, *DEPARTMENT_REPORT_DUE)
        for year in range(self.as_of.year - 1, self.as_of.year - 6, -1):
            day = date(year + 1, 1, self.rng.randint(10, 25))
            if year == judged:
                day = date(year + 1, 2, 20)
            if day <= self.as_of - timedelta(days=20):
                reports.append(self.article(NAV[6], c.SUBSITE_ANNUAL_REPORT_TITLE.format(year=year), day,
                                            ("本报告根据《中华人民共和国政府信息公开条例》要求编制。",)))
                if year == judged:
                    self.site.defects.append({
                        "rule": "TIME-4", "where": reports[-1].url, "report_year": year, "published": p.iso(day),
                        "due": p.iso(due), "note": f"{year}年政府信息公开工作年度报告晚于部门的截止日期1月31日发布"})
            elif year == judged:
                self.site.defects.append({
                    "rule": "TIME-4", "where": NAV[6][1], "report_year": year, "due": p.iso(due),
                    "note": f"{year}年政府信息公开工作年度报告逾期未发布（部门应于1月31日前发布）"})
        self.column_pages(NAV[6], reports, _definition_list)

    def budgets(self) -> None:
        """部门预决算: each year's budget in February and last year's final accounts in September, dates in
        brackets before the title; all older than 20 days."""
        entries = []
        for year in range(self.as_of.year, self.as_of.year - 3, -1):
            final = (c.SUBSITE_FINAL_ACCOUNTS_TITLE.format(year=year - 1), date(year, 9, self.rng.randint(1, 20)))
            budget = (c.SUBSITE_BUDGET_TITLE.format(year=year), date(year, 2, self.rng.randint(10, 25)))
            for title, day in (final, budget):
                if day <= self.as_of - timedelta(days=20):
                    entries.append(self.article(NAV[7], title, day, (f"现将{title}有关情况公开如下。",)))
        self.column_pages(NAV[7], entries, _items("bracket"))

    def petition(self) -> None:
        """网上信访: a page that loads and explains how to petition; no consultation channel anywhere."""
        name, url = NAV[8]
        main = (p.crumbs((NAV[8],))
                + f'<div class="column"><h2>{name}</h2>\n{p.paragraphs(list(c.PETITION_TEXT))}\n</div>')
        self.site.pages[url] = _frame(title=f"{name}_{c.SUBSITE_NAME}", main=main)

    def homepage(self) -> None:
        """The gateway: the logo and the column links, nothing dated."""
        links = "".join(f'<li><a href="{url}">{name}</a></li>' for name, url in NAV)
        self.site.pages["/"] = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{c.SUBSITE_NAME}</title>
<link rel="stylesheet" href="/css/common.css">
</head>
<body>
<div class="gateway">
<div class="logo"><img src="/images/logo.png" alt="{c.SUBSITE_NAME}" width="360" height="70"></div>
<ul class="nav">{links}</ul>
</div>
{FOOTER}
</body>
</html>
"""

    def seed_defects(self, news: list[_Entry], notices: list[_Entry]) -> None:
        """The defects the pages above carry, as manifest entries with URL paths."""
        fresh, stale = news[0].day, notices[0].day
        self.site.defects += [
            {"rule": "HOME-1", "where": "/", "last_update": p.iso(fresh),
             "note": "首页为导航页，各一级栏目最新信息已20天未更新"},
            {"rule": "COL-1", "where": NAV[0][1], "last_update": p.iso(fresh), "note": "工作动态栏目20天未更新"},
            {"rule": "COL-1", "where": NAV[1][1], "last_update": p.iso(stale), "note": "通知公告（一级栏目）7个月未更新"},
            {"rule": "COL-4", "where": "/#法定主动公开内容", "column": "法定主动公开内容", "note": "缺少法定主动公开内容栏目"},
            {"rule": "COL-4", "where": "/#互动交流", "column": "互动交流", "note": "缺少互动交流栏目"},
            {"rule": "ID-5", "where": "/", "note": "首页缺少党政机关网站标识"},
            {"rule": "ID-6", "where": "/", "note": "首页缺少“我为政府网站找错”入口"},
            {"rule": "ID-7", "where": "/", "host": SUBSITE_HOST, "note": "网站英文域名不以.gov.cn结尾"},
            {"rule": "INTER-1", "where": "/", "note": "无有效的在线咨询渠道，仅有网上信访"},
        ]


def _frame(*, title: str, main: str, head: str = "") -> str:
    """The sub-site's frame: logo, navigation bar of the level-1 columns, main block, footer."""
    nav = "".join(f'<li><a href="{url}">{name}</a></li>' for name, url in (("首页", "/"), *NAV))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{escape(title)}</title>
{head}
<link rel="stylesheet" href="/css/common.css">
</head>
<body>
<div class="header"><div class="w"><a href="/"><img src="/images/logo.png" alt="{c.SUBSITE_NAME}" width="360" height="70"></a></div></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="w main">
{main}
</div>
{FOOTER}
</body>
</html>
"""


def _link(e: _Entry) -> str:
    return f'<a href="{e.url}" target="_blank" title="{escape(e.title)}">{escape(e.title)}</a>'


def _items(shape: str):
    """A listing in one of p.items' shapes."""
    return lambda chunk: p.items([(e.title, e.url, e.day) for e in chunk], shape)


def _month_day_list(chunk: list[_Entry]) -> str:
    return '<ul class="list">' + "".join(f"<li>{_link(e)}<span>{e.day:%m-%d}</span></li>" for e in chunk) + "</ul>"


def _bracket_list(chunk: list[_Entry]) -> str:
    return '<ul class="list">' + "".join(f"<li>·{_link(e)}<em>（{p.iso(e.day)}）</em></li>" for e in chunk) + "</ul>"


def _date_first_list(chunk: list[_Entry]) -> str:
    rows = "".join(f'<li><span class="time">{p.iso(e.day)}</span> {_link(e)}</li>' for e in chunk)
    return f'<ul class="list">{rows}</ul>'


def _definition_list(chunk: list[_Entry]) -> str:
    return '<dl class="list">' + "".join(f"<dt>{_link(e)}</dt><dd>{p.iso(e.day)}</dd>" for e in chunk) + "</dl>"


def _policy_table(chunk: list[_Entry]) -> str:
    rows = "".join(f"<tr><td>{_link(e)}</td><td>{e.document_number}</td><td>{p.iso(e.day)}</td></tr>"
                   for e in chunk)
    return f'<table class="filelist"><tr><th>标题</th><th>文号</th><th>发布日期</th></tr>{rows}</table>'


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, clamped to the month's end."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))
