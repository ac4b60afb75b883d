"""Generate the demo portal (滇中市人民政府, fictional) with seeded defects, its sub-site, and the manifest that lists
the defects of both.

generate() writes out_dir/site/ (what the portal server serves), out_dir/subsite/ (what it serves to requests for
the sub-site's host, see subsite.py), out_dir/soft404.html (the server's answer to unknown paths),
out_dir/spider_home.html (its homepage for search-engine spiders: the site is hacked, SEC-1), out_dir/external/
(the new-media accounts' mirrors the external server answers, see media.py) and out_dir/manifest.json. Every date
is relative to `as_of`, so fresh columns stay fresh and the stale ones stay stale whenever the demo runs; the same
seed and as_of give the same bytes. The exceptions are the policy documents published just before the 2025 and
2026 holidays (HOLIDAY_POLICIES, those out by as_of): their fixed dates pin the working-day deadlines the
timeliness rules must get right. The timeliness defects (TIME-1 … TIME-7) are listed as the pages carry them on
as_of, with the deadlines counted by govmon's working-day calendar. The manifest's "accounts" give each registered
new-media account's expected verdict, and its M entries the MEDIA defects.
"""

import json
import random
import re
import shutil
from collections import deque
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from govmon.workdays import WorkCalendar

from . import assets, media
from . import content as c
from . import pages as p
from .citizen import citizen_reports
from .routes import (
    ATTACHMENT_EXTENSIONS,
    CASINO_PATH,
    CLOSED,
    DOMAIN,
    EXTERNAL,
    EXTERNAL_DIR,
    EXTERNAL_ROUTES_FILE,
    GAMBLING,
    HOST,
    IPV6_RESET_PREFIX,
    IPV6_UNAVAILABLE_PREFIX,
    MANIFEST_FILE,
    REDIRECT_LOOP,
    SERVER_ERROR_PREFIX,
    SITE_DIR,
    SOFT_404_FILE,
    SPIDER_HOME_FILE,
    SUBSITE_DIR,
)
from .subsite import SUBSITE, Subsite, build_subsite, months_before

PORTAL = "{portal}"

# Timeliness limits the seeded TIME defects are measured against (the national pack's).
INTERPRETATION_WORKING_DAYS = 3  # TIME-1, TIME-2: a 解读 within 3 working days of its policy
LOOKBACK_MONTHS = 12  # TIME-2, TIME-7: policy documents of the last 12 months are judged
MADE_TO_PUBLISHED_WORKING_DAYS = 20  # TIME-3: 成文日期 → 发布日期
PERIODIC_DUE_DAYS = 20  # TIME-5: 国民经济运行 within 20 days after the month's end
APPROVAL_DAYS = 20  # TIME-6: budgets and final accounts within 20 days of their approval

# The data row of the Excel 公示 list whose 居民身份证号 is left unmasked (PII-1): sheet row 2 + this, column D.
EXPOSED_ROW = 4
# The 办事指南 that shows only these of its ten key elements (SVC-1), by its place in content.SERVICES.
POOR_GUIDE, POOR_GUIDE_ELEMENTS = 11, ("事项名称", "办理机构", "联系电话")

# The 国民经济运行 months left out and released late (TIME-5): both among the last 6 months past their due date.
MISSING_RELEASE_MONTHS_BACK, LATE_RELEASE_MONTHS_BACK = 3, 5

# Policy documents published just before a public holiday, at fixed dates, each with its 解读's date (None: never
# interpreted). Their 3-working-day deadlines lie after the holiday, where counting weekdays goes wrong:
#   2025-01-24 → 2025-02-05 (春节; the Sunday 26 January is worked): on time on 02-05, late on 02-06;
#   2025-09-30 → 2025-10-11 (国庆节, a make-up Saturday): on time on 10-11, late on 10-13;
#   2026-02-13 → 2026-02-25 (春节): late on 02-26;
#   2026-09-30 → 2026-10-10 (国庆节, a make-up Saturday): no 解读 at all (TIME-2).
HOLIDAY_POLICIES = (
    (date(2025, 1, 24), date(2025, 2, 5)),
    (date(2025, 1, 24), date(2025, 2, 6)),
    (date(2025, 9, 30), date(2025, 10, 11)),
    (date(2025, 9, 30), date(2025, 10, 13)),
    (date(2026, 2, 13), date(2026, 2, 26)),
    (date(2026, 9, 30), None),
)


@dataclass(frozen=True)
class Column:
    name: str
    url: str
    trail: tuple[tuple[str, str], ...] = ()  # ancestor columns as (name, url), without 首页
    encoding: str = "utf-8"
    footer: str = "fullwidth"
    source_meta: bool = True  # False: the section's article template has no ContentSource meta tag

    def child(self, name: str, slug: str) -> "Column":
        return Column(name, f"{self.url}{slug}/", (*self.trail, (self.name, self.url)), self.encoding, self.footer,
                      self.source_meta)


@dataclass
class _Policy:
    """One document of 政策文件, as planned before it is written."""

    role: str  # "document" (needs a 解读), "appointment" or "group" (exempt)
    topic: str
    day: date
    interpretation: date | None = None  # the 解读's date; None: none
    made_late: bool = False  # 成文日期 30 working days before 发布日期 (TIME-3)
    labelled: bool = True  # carries （此件公开发布） (else TIME-7)


@dataclass
class Article:
    column: Column
    title: str
    day: date
    number: int  # the CMS document id in the URL
    source: str
    body: str = ""
    table: str = ""
    extra: str = ""
    encoding: str = ""  # empty: the column's
    document_number: str = ""  # 文号, for policy documents

    @property
    def folder(self) -> str:
        return f"{self.column.url}{self.day:%Y%m}/"

    @property
    def url(self) -> str:
        return f"{self.folder}t{self.day:%Y%m%d}_{self.number}.html"

    @property
    def item(self) -> tuple[str, str, date]:
        return self.title, self.url, self.day


def generate(out_dir: Path, as_of: date, seed: int = 2026, calendar: WorkCalendar | None = None) -> Path:
    """Write the portal under out_dir/site/, the sub-site under out_dir/subsite/, the new-media mirrors under
    out_dir/external/ and the manifest to out_dir/manifest.json; return out_dir.

    Working days are the calendar's (chinese-calendar by default, counting Monday to Friday in the years it has
    no holiday data for, so that the demo can always be generated)."""
    out_dir = Path(out_dir)
    portal = _Portal(as_of, random.Random(seed), calendar or WorkCalendar())
    portal.build()
    portal.write(out_dir, build_subsite(as_of, random.Random(seed + 1)),
                 media.external_site(as_of, random.Random(seed + 2)))
    return out_dir


class _Portal:
    def __init__(self, as_of: date, rng: random.Random, calendar: WorkCalendar):
        self.as_of = as_of
        self.rng = rng
        self.calendar = calendar
        self.pages: dict[str, tuple[str, str]] = {}  # URL path → (html, encoding)
        self.files: dict[str, bytes] = {}  # URL path → bytes
        self.link_defects: list[tuple[str, str, str]] = []  # (target as linked, reason, note)
        self.defects: list[dict] = []  # defects for the content, column, identity and timeliness rules
        self.veto_defects: list[dict] = []  # the content vetoes (but the first PII-1), listed after the others
        self.spider_home = ""  # the homepage as served to search-engine spiders (SEC-1 cloaking)
        self._number = rng.randint(4_000_000, 5_000_000)

    # ----- building blocks

    def number(self) -> int:
        self._number += self.rng.randint(3, 60)
        return self._number

    def days(self, latest: date, count: int, gap: tuple[int, int]) -> list[date]:
        return p.days_back(self.rng, latest, count, gap)

    def working_day_before(self, latest: date, count: int) -> date:
        """The latest working day not after `latest` whose `count`-th working day after it is before as_of."""
        day = latest
        while not self.calendar.is_workday(day) or self.calendar.add(day, count) >= self.as_of:
            day -= timedelta(days=1)
        return day

    def holiday_between(self, start: date, end: date) -> str | None:
        """The name of the first public holiday after `start` up to `end` (春节, 国庆节), if any."""
        for n in range(1, (end - start).days + 1):
            why = self.calendar.why(start + timedelta(days=n))
            if why.startswith("法定节假日（"):
                return why.removeprefix("法定节假日（").removesuffix("）")
        return None

    def words(self, **fixed) -> dict:
        rng = self.rng
        values = {"topic": rng.choice(c.TOPICS), "dept": rng.choice(c.DEPARTMENTS), "district": rng.choice(c.DISTRICTS),
                  "org": rng.choice(c.ORGS), "leader": rng.choice(c.DEPARTMENT_LEADERS),
                  "money": rng.randint(200, 9800), "people": rng.randint(2, 90) * 1000, "count": rng.randint(5, 60),
                  "area": rng.randint(3, 8), "phone": rng.randint(1000, 9999), "year": self.as_of.year,
                  "month": rng.randint(1, 12)}
        values.update(fixed)
        return values

    def sentences(self, templates: tuple[str, ...], count: int, values: dict) -> list[str]:
        return [t.format(**values) for t in self.rng.sample(templates, count)]

    def add_page(self, url: str, html: str, encoding: str = "utf-8") -> None:
        if url in self.pages:
            raise ValueError(f"two pages at {url}")
        self.pages[url] = (html, encoding)

    def attach(self, a: Article, extension: str, data: bytes | None) -> str:
        """An attachment next to an article, named the CMS way; data None leaves it missing. Returns its href."""
        name = f"P0{a.day:%Y%m%d}{self.rng.randint(10**11, 10**12 - 1)}{extension}"
        if data is not None:
            self.files[a.folder + name] = data
        return f"./{name}"

    def link_defect(self, target: str, reason: str, note: str) -> None:
        self.link_defects.append((target, reason, note))

    def render_article(self, a: Article) -> None:
        col = a.column
        encoding = a.encoding or col.encoding
        published = f"{p.iso(a.day)} {self.rng.randint(8, 18):02d}:{self.rng.randint(0, 59):02d}"
        head = p.article_meta(column=col.name, title=a.title, published=published,
                              source=a.source if col.source_meta else None)
        main = (p.crumbs((*col.trail, (col.name, col.url)), "正文")
                + p.article(title=a.title, info=f"发布时间：{p.iso(a.day)} 来源：{a.source}", body=a.body,
                            table=a.table, extra=a.extra))
        html = p.frame(title=f"{a.title}_{c.SITE_NAME}", main=main, encoding=encoding, footer_style=col.footer,
                       head=head)
        self.add_page(a.url, html, encoding)

    def render_list(self, col: Column, entries: list, listing, per_page: int = 15, side: str = "") -> None:
        """A column's list pages (index.html, index_1.html …); `listing(chunk, offset)` renders one page's
        entries. A column without entries gets the 暂无信息 page."""
        count = max(1, ceil(len(entries) / per_page))
        for index in range(count):
            chunk = entries[index * per_page:(index + 1) * per_page]
            body = (listing(chunk, index * per_page) + p.pager(col.url, len(entries), count, index) if entries
                    else '<div class="empty">暂无信息</div>')
            main = (p.crumbs((*col.trail, (col.name, col.url))) + side
                    + f'<div class="column"><h2>{col.name}</h2>\n{body}\n</div>')
            html = p.frame(title=f"{col.name}_{c.SITE_NAME}", main=main, encoding=col.encoding,
                           footer_style=col.footer)
            self.add_page(p.list_url(col.url, index), html, col.encoding)

    def simple_list(self, col: Column, articles: list[Article], shape: str, side: str = "") -> None:
        self.render_list(col, [a.item for a in articles], lambda chunk, _: p.items(chunk, shape), side=side)

    # ----- the site

    def build(self) -> None:
        self.static_files()
        news = self.news()
        department_news = self.department_news()
        notices = self.notices()
        policies, interpretations = self.policies()
        self.disclosure()
        self.interaction()
        self.services()
        self.site_pages()
        self.new_media()
        self.homepage(news, notices, policies, interpretations, department_news)
        self.defects.append({"rule": "COL-4", "where": "/#重点领域信息公开", "column": "重点领域信息公开",
                             "note": "缺少重点领域信息公开栏目"})
        self.defects += self.veto_defects  # after the others, so that their ids stay what they were

    def static_files(self) -> None:
        self.files["/robots.txt"] = b"User-agent: *\nDisallow:\n"
        self.files["/css/common.css"] = assets.STYLESHEET.encode()
        self.files["/js/common.js"] = assets.SCRIPT.encode()
        self.files["/images/logo.png"] = assets.png(400, 80, (180, 22, 27))
        self.files["/images/dzjg.png"] = assets.png(46, 56, (200, 20, 20))
        self.files["/images/gaba.png"] = assets.png(20, 20, (30, 80, 160))
        self.files["/images/zfwzzc.png"] = assets.png(110, 40, (220, 120, 20))

    def news(self) -> list[Article]:
        """要闻动态: fresh, in an article template without the ContentSource meta tag."""
        col = Column("要闻动态", "/xwzx/", source_meta=False)
        articles = []
        for index, day in enumerate(self.days(self.as_of - timedelta(days=1), 62, (1, 3))):
            w = self.words()
            title = self.rng.choice(c.NEWS_TITLES).format(**w)
            a = Article(col, title, day, self.number(), self.rng.choice(("滇中日报", "市融媒体中心", w["dept"])))
            texts = [f"{day.month}月{day.day}日，{title}。", *self.sentences(c.SENTENCES, 4, w)]
            if index < 3:  # 图片新闻 on the homepage
                image = f"W0{day:%Y%m%d}{self.rng.randint(10**9, 10**10 - 1)}.png"
                self.files[a.folder + image] = assets.png(320, 200, (60 + 40 * index, 120, 90))
                texts.insert(1, f'<img src="./{image}" alt="{title}" width="320" height="200">')
            a.body = p.paragraphs(texts)
            if index == 12:
                self.hide_casino_link(a)
            articles.append(a)
            self.render_article(a)
        self.simple_list(col, articles, "span")
        self.defects.append({"rule": "META-1", "where": col.url, "missing": ["ContentSource"],
                             "pages": [a.url for a in articles], "note": "要闻动态栏目文章页缺少ContentSource元数据"})
        return articles

    def department_news(self) -> list[Article]:
        """部门动态: saved as GBK behind a gb2312 declaration, with names outside GB2312; stale by 30 days."""
        col = Column("部门动态", "/bmdt/", encoding="gbk", footer="halfwidth")
        latest = self.as_of - timedelta(days=30)
        articles = []
        for index, day in enumerate(self.days(latest, 40, (2, 5))):
            w = self.words()
            pattern = "{dept}{leader}带队赴{district}调研{topic}工作" if index % 3 == 0 else None
            title = (pattern or self.rng.choice(c.DEPARTMENT_NEWS_TITLES)).format(**w)
            a = Article(col, title, day, self.number(), w["dept"])
            texts = ([f"{day.month}月{day.day}日，{title}。", *self.sentences(c.LEADER_SENTENCES, 1, w), *self.sentences(c.SENTENCES, 3, w)])
            if index == 4:
                target = f"{EXTERNAL}/fgw/2025/content_871.html"
                texts.append(f'相关政策详见<a href="{target}" target="_blank">省发展改革委网站</a>。')
                self.link_defect(target, "http_404", "部门动态文章链接的外部网页已不存在")
            a.body = p.paragraphs(texts)
            articles.append(a)
            self.render_article(a)
        self.simple_list(col, articles, "span")
        self.defects.append({"rule": "COL-1", "where": col.url, "last_update": p.iso(latest),
                             "note": "部门动态栏目30天未更新"})
        return articles

    def notices(self) -> list[Article]:
        col = Column("通知公告", "/tzgg/")
        articles = []
        lists = {2: self.publicity_list, 11: self.publicity_attachment, 13: self.masked_list, 15: self.mistyped_list}
        for index, day in enumerate(self.days(self.as_of - timedelta(days=3), 45, (1, 5))):
            w = self.words(year=day.year, month=day.month, dept_short=self.rng.choice(c.DEPARTMENTS)[1:])
            a = Article(col, self.rng.choice(c.NOTICE_TITLES).format(**w), day, self.number(), w["dept"])
            texts = self.sentences(c.NOTICE_SENTENCES, 5, w)
            if index in lists:
                lists[index](a)
                articles.append(a)
                self.render_article(a)
                continue
            if index == 26:
                texts.insert(1, c.MISSPELT_SENTENCE.format(**w))
                self.veto_defects.append({"rule": "ERR-1", "where": a.url, "wrong": c.MISSPELT, "right": c.STATE_NAME,
                                          "note": f"文章将国家名称“{c.STATE_NAME}”误写为“{c.MISSPELT}”"})
            if index == 5:
                a.title = f"关于公开征求《滇中市{w['topic']}管理办法（征求意见稿）》意见的公告"
                target = f"/hdjl/yjzj/detail_{self.rng.randint(100, 999)}.html"
                texts.insert(1, f'社会公众可通过本网站<a href="{target}">意见征集</a>栏目在线提交意见。')
                self.link_defect(target, "http_404", "征求意见公告链接的互动交流页面不存在")
            if index == 8:
                a.title = f"关于印发{day.year}年{w['topic']}工作要点的通知"
                good = self.attach(a, ".docx", assets.docx([a.title, "工作要点"]))
                missing = self.attach(a, ".pdf", None)
                a.extra = (f'<div class="attachments">附件：<p><a href="{good}">1.{w["topic"]}工作要点.docx</a></p>'
                           f'<p><a href="{missing}">2.重点任务分工表.pdf</a></p></div>')
                self.link_defect(urljoin(a.folder, missing), "error_page", "附件下载返回“文件不存在”网页")
            elif index % 7 == 3:
                href = self.attach(a, ".docx", assets.docx([a.title]))
                a.extra = f'<div class="attachments">附件：<a href="{href}">报名表.docx</a></div>'
            if index == 20:
                self.add_page(a.url, p.DELETED_PAGE)
                self.link_defect(a.url, "soft_404", "通知公告列表中的信息已删除，页面提示“该信息已删除”")
            else:
                a.body = p.paragraphs(texts)
                self.render_article(a)
            articles.append(a)
        self.simple_list(col, articles, "bracket")
        return articles

    def people(self, count: int) -> list[tuple[str, str, str]]:
        """(姓名, 性别, 居民身份证号) of `count` fictional people, each number with a valid check digit."""
        out = []
        for _ in range(count):
            birth = date(self.as_of.year - self.rng.randint(22, 50), self.rng.randint(1, 12), self.rng.randint(1, 28))
            number = _id_number(self.rng.choice(("530102", "530103", "530111", "530124")), birth,
                                self.rng.randint(100, 999))
            name = self.rng.choice(c.SURNAMES) + self.rng.choice(c.GIVEN_NAMES)
            out.append((name, "男" if int(number[16]) % 2 else "女", number))
        return out

    def masked_mobile(self) -> str:
        return f"1{self.rng.choice('3589')}{self.rng.randint(0, 9)}****{self.rng.randint(0, 9999):04d}"

    def name_list(self, a: Article, title: str, texts: list[str], rows: list[list[str]], header: list[str]) -> None:
        """A 公示 article: its title, its paragraphs and the list as a table."""
        a.title = title
        a.body = p.paragraphs(texts)
        cells = "".join("<tr>" + "".join(f"<td>{value}</td>" for value in row) + "</tr>" for row in rows)
        a.extra = (f'<table class="namelist"><tr>{"".join(f"<th>{name}</th>" for name in header)}</tr>'
                   f"{cells}</table>")

    def publicity_list(self, a: Article) -> None:
        """公示名单 with masked 居民身份证号 and one left unmasked (valid check digit): PII-1 on the page."""
        rows, exposed = [], ""
        for n, (name, sex, number) in enumerate(self.people(8), start=1):
            exposed = number if n == 5 else exposed
            rows.append([str(n), name, sex, number if n == 5 else _masked_id(number),
                         self.rng.choice(("社区协管员", "保洁员", "护林员", "公共设施管护员"))])
        self.name_list(a, f"关于{a.day.year}年度滇中市公益性岗位拟聘用人员名单的公示", [
            "根据《滇中市公益性岗位开发管理办法》，经个人申请、资格审核、综合评定，拟聘用以下人员，现予以公示。",
            "公示期为5个工作日。公示期间如有异议，请向市人力资源和社会保障局反映，联系电话：0871-63618866。"],
            rows, ["序号", "姓名", "性别", "身份证号码", "拟聘岗位"])
        self.defects.append({"rule": "PII-1", "where": a.url, "evidence": _masked_id(exposed),
                             "note": "公示名单中1个居民身份证号未脱敏"})

    def publicity_attachment(self, a: Article) -> None:
        """A 公示 whose list is an Excel attachment: numbers masked but one 居民身份证号 (PII-1 on the attachment)."""
        a.title = f"关于{a.day.year}年滇中市事业单位公开招聘工作人员拟聘用人员名单的公示"
        sheet_title = f"{a.day.year}年滇中市事业单位公开招聘工作人员拟聘用人员名单"
        rows, exposed = [], ""
        for n, (name, sex, number) in enumerate(self.people(7), start=1):
            exposed = number if n == EXPOSED_ROW else exposed
            rows.append([str(n), name, sex, number if n == EXPOSED_ROW else _masked_id(number), self.masked_mobile()])
        href = self.attach(a, ".xlsx", assets.xlsx(sheet_title, ["序号", "姓名", "性别", "身份证号码", "联系电话"], rows))
        a.body = p.paragraphs([
            "根据《事业单位人事管理条例》和我市事业单位公开招聘工作安排，经笔试、面试、体检和考察，拟聘用以下人员，"
            "现将名单予以公示（详见附件）。",
            "公示期为7个工作日。公示期间如有异议，请向市人力资源和社会保障局反映，联系电话：0871-63618866。"])
        a.extra = f'<div class="attachments">附件：<a href="{href}">{sheet_title}.xlsx</a></div>'
        self.veto_defects.append({"rule": "PII-1", "where": urljoin(a.folder, href), "pages": [a.url],
                                  "cell": f"D{EXPOSED_ROW + 2}", "evidence": _masked_id(exposed),
                                  "note": "公示名单附件（Excel）中1个居民身份证号未脱敏"})

    def masked_list(self, a: Article) -> None:
        """A 公示 whose every 居民身份证号 and mobile number is masked: no defect."""
        rows = [[str(n), name, sex, _masked_id(number), self.masked_mobile()]
                for n, (name, sex, number) in enumerate(self.people(6), start=1)]
        self.name_list(a, f"关于{a.day.year}年滇中市创业担保贷款贴息人员名单的公示", [
            "根据创业担保贷款贴息政策有关规定，经审核，以下人员符合贴息条件，现予以公示。",
            "公示期为5个工作日，如有异议，请向市人力资源和社会保障局反映，联系电话：0871-63617720。"],
            rows, ["序号", "姓名", "性别", "身份证号码", "联系电话"])

    def mistyped_list(self, a: Article) -> None:
        """A 公示 with one number of a 居民身份证号's shape but a wrong check digit, the others masked: no defect
        (not a valid number, so nobody's)."""
        rows = []
        for n, (name, sex, number) in enumerate(self.people(6), start=1):
            shown = _masked_id(number)
            if n == 3:
                shown = number[:17] + next(d for d in "0123456789X" if d != number[17])
            rows.append([str(n), name, sex, shown, self.rng.choice(c.DISTRICTS)])
        self.name_list(a, f"关于{a.day.year}年度滇中市见义勇为人员拟表彰名单的公示", [
            "经各县（市、区）推荐、市见义勇为基金会审核，拟对以下人员予以表彰，现予以公示。",
            "公示期为5个工作日，如有异议，请向市见义勇为基金会反映，联系电话：0871-63615110。"],
            rows, ["序号", "姓名", "性别", "身份证号码", "所在县（市、区）"])

    def hide_casino_link(self, a: Article) -> None:
        """The mark of a hacked page: a link to a gambling site in a block nobody sees (SEC-1)."""
        a.body += (f'\n<div style="display:none"><a href="{GAMBLING}{CASINO_PATH}" target="_blank">'
                   f"{c.CASINO_LINK_TEXT}</a></div>")
        self.veto_defects.append({"rule": "SEC-1", "where": a.url, "reasons": ["hidden_link"],
                                  "hidden_link": "{gambling}" + CASINO_PATH, "text": c.CASINO_LINK_TEXT,
                                  "note": f"页面隐藏区块（display:none）中有博彩网站链接“{c.CASINO_LINK_TEXT}”"})

    def policies(self) -> tuple[list[Article], list[Article]]:
        """政策文件 and 政策解读, linked both ways, 解读 on the policy's day, but: one 解读 6 working days late, one
        规范性文件 without any; the holiday policies (HOLIDAY_POLICIES) with their exact deadlines; one document made
        30 working days before it was published (TIME-3) and one without its 公开属性 label (TIME-7). Appointment
        and 领导小组 documents need no 解读."""
        wj, jd = Column("政策文件", "/zcwj/"), Column("政策解读", "/zcjd/")
        roles = ["interpreted"] * 24 + ["missing"] + ["appointment"] * 3 + ["group"] * 2
        self.rng.shuffle(roles)
        topics = self.rng.sample(c.TOPICS, len(roles))
        days = self.days(self.as_of - timedelta(days=8), len(roles), (5, 14))
        plans = [_Policy("document" if role in ("interpreted", "missing") else role, topic, day,
                         day if role == "interpreted" else None) for role, topic, day in zip(roles, topics, days)]
        interpreted = [plan for plan in plans if plan.interpretation]
        late = interpreted[0]  # TIME-1: 6 working days late
        late.day = self.working_day_before(self.as_of - timedelta(days=14), 6)
        late.interpretation = self.calendar.add(late.day, 6)
        interpreted[1].labelled = False  # TIME-7
        next(plan for plan in plans if plan.role == "appointment").made_late = True  # TIME-3
        for (day, interpretation), topic in zip(HOLIDAY_POLICIES, c.HOLIDAY_TOPICS):
            if day <= self.as_of:  # a 解读 not out yet is none
                plans.append(_Policy("document", topic, day,
                                     interpretation if interpretation and interpretation <= self.as_of else None))
        policies, interpretations, numbers = [], [], {}
        for plan in sorted(plans, key=lambda plan: plan.day):  # 文号 follow publication order (a stable sort)
            topic, day = plan.topic, plan.day
            if plan.role == "document":
                title, short, prefix, opening = (s.format(topic=topic) for s in self.rng.choice(c.POLICY_KINDS))
                texts = [c.POLICY_ADDRESSEES, opening] + [s.format(topic=topic, year=day.year + 2)
                                                          for s in c.POLICY_SENTENCES]
            elif plan.role == "appointment":
                names = [self.rng.choice(c.SURNAMES) + self.rng.choice(c.GIVEN_NAMES) for _ in range(2)]
                title, short, prefix = c.APPOINTMENT_TITLE.format(names="、".join(names)), "", "滇中政任"
                texts = [c.POLICY_ADDRESSEES, f"经市人民政府研究决定：任命{names[0]}为{self.rng.choice(c.POSITIONS)}；"
                         f"免去{names[1]}的{self.rng.choice(c.POSITIONS)}职务。"]
            else:
                title, short, prefix = c.GROUP_CHANGE_TITLE.format(topic=topic), "", "滇中政办函"
                texts = [c.POLICY_ADDRESSEES, f"因工作需要和人员变动，经市人民政府同意，对滇中市{topic}工作领导小组成员调整如下。"]
            numbers[(prefix, day.year)] = numbers.get((prefix, day.year), 0) + 1
            document_number = f"{prefix}〔{day.year}〕{numbers[(prefix, day.year)]}号"
            issuer = "滇中市人民政府办公室" if "办" in prefix else "滇中市人民政府"
            a = Article(wj, title, day, self.number(), issuer)
            made = day - timedelta(days=self.rng.randint(1, 4))
            if plan.made_late:  # 30 working days after up to and including the day published
                made = self.calendar.add(day, -30 if self.calendar.is_workday(day) else -31)
            a.table = p.disclosure_table([
                ("索引号", f"DZ{c.SITE_CODE[:6]}-{day.year}-{self.rng.randint(100, 999):05d}"), ("发布机构", issuer),
                ("文号", document_number), ("主题分类", "综合政务"), ("成文日期", p.chinese_date(made)),
                ("发布日期", p.chinese_date(day))])
            a.body = p.paragraphs(texts + [f"{issuer}", p.chinese_date(made)]
                                  + ([c.PUBLICITY_LABEL] if plan.labelled else []))
            a.document_number = document_number
            extra = []
            if len(policies) % 4 == 1:
                href = self.attach(a, ".pdf", assets.pdf(f"Dianzhong policy document {a.number}"))
                extra.append(f'<div class="attachments">附件：<a href="{href}">{title}.pdf</a></div>')
            b = None
            if plan.interpretation:
                label = self.rng.choice(("《{}》政策解读", "图解：《{}》", "一图读懂《{}》"))
                office = self.rng.choice(c.DEPARTMENTS)
                b = Article(jd, label.format(short), plan.interpretation, self.number(), office)
                b.body = p.paragraphs([s.format(topic=topic, short=short, office=office, phone=self.rng.randint(1000, 9999))
                                       for s in c.INTERPRETATION_SENTENCES])
                b.extra = f'<div class="related"><h4>相关文件</h4><a href="{a.url}">{title}</a></div>'
                extra.append(f'<div class="related"><h4>相关解读</h4><a href="{b.url}">{b.title}</a></div>')
                interpretations.append(b)
            self.judge_policy(a, made, b, plan)
            if len(policies) == 10:
                old = self.as_of.replace(day=1) - timedelta(days=7 * 365)
                target = f"/zcwj/{old:%Y%m}/t{old:%Y%m}10_88231.html"
                extra.append(f'<div class="related"><h4>相关链接</h4><a href="{target}">原政策文件（已废止）</a></div>')
                self.link_defect(target, "soft_404", "政策文件相关链接指向已删除的页面")
            a.extra = "\n".join(extra)
            policies.append(a)
        policies.sort(key=lambda a: a.day, reverse=True)
        interpretations.sort(key=lambda a: a.day, reverse=True)
        for a in policies + interpretations:
            self.render_article(a)

        def policy_table(chunk: list[Article], offset: int) -> str:
            rows = "".join(f'<tr><td>{offset + n}</td><td><a href="{a.url}" target="_blank">{a.title}</a></td>'
                           f"<td>{a.document_number}</td><td>{p.iso(a.day)}</td></tr>"
                           for n, a in enumerate(chunk, start=1))
            return f'<table class="filelist"><tr><th>序号</th><th>名称</th><th>文号</th><th>发布日期</th></tr>{rows}</table>'

        self.render_list(wj, policies, policy_table, per_page=20)
        self.simple_list(jd, interpretations, "chinese")
        return policies, interpretations

    def judge_policy(self, a: Article, made: date, b: Article | None, plan: _Policy) -> None:
        """The TIME-1, TIME-2, TIME-3 and TIME-7 defects of one policy document (b: its 解读), as of as_of."""
        calendar, since = self.calendar, months_before(self.as_of, LOOKBACK_MONTHS)
        deadline = calendar.add(a.day, INTERPRETATION_WORKING_DAYS)
        if b is not None and b.day > deadline:
            elapsed = calendar.between(a.day, b.day)
            holiday = self.holiday_between(a.day, b.day)
            self.defects.append({
                "rule": "TIME-1", "where": b.url, "policy": a.url, "policy_date": p.iso(a.day),
                "interpretation_date": p.iso(b.day), "deadline": p.iso(deadline), "working_days": elapsed,
                "note": f"政策解读晚于政策文件{elapsed}个工作日发布" + (f"（跨{holiday}假期，应于{p.iso(deadline)}前发布）"
                                                              if holiday else "")})
        if b is None and plan.role == "document" and a.day >= since and deadline < self.as_of:
            holiday = self.holiday_between(a.day, deadline)
            self.defects.append({
                "rule": "TIME-2", "where": a.url, "policy_date": p.iso(a.day), "deadline": p.iso(deadline),
                "note": "规范性文件未发布政策解读" + (f"（{holiday}前发布，应于{p.iso(deadline)}前解读）" if holiday else "")})
        elapsed = calendar.between(made, a.day)
        if elapsed > MADE_TO_PUBLISHED_WORKING_DAYS:
            self.defects.append({
                "rule": "TIME-3", "where": a.url, "made": p.iso(made), "published": p.iso(a.day),
                "deadline": p.iso(calendar.add(made, MADE_TO_PUBLISHED_WORKING_DAYS)), "working_days": elapsed,
                "note": f"政策文件成文{elapsed}个工作日后才发布，超过20个工作日"})
        if not plan.labelled and a.day >= since:
            self.defects.append({"rule": "TIME-7", "where": a.url, "policy_date": p.iso(a.day),
                                 "note": "政策文件未标注公开属性（此件公开发布等）"})

    def disclosure(self) -> None:
        """政府信息公开: 指南, 制度 (UTF-8 without declaration), 法定主动公开内容 with three blank columns, a
        gb18030 page and a 规划计划 column not updated for more than a year, 年报."""
        zwgk = Column("政府信息公开", "/zwgk/")
        guide, system = zwgk.child("政府信息公开指南", "zfxxgkzn"), zwgk.child("政府信息公开制度", "zfxxgkzd")
        statutory, reports = zwgk.child("法定主动公开内容", "fdzdgknr"), zwgk.child("政府信息公开年报", "zfxxgknb")
        top = [guide, system, statutory, reports]
        top_side = p.sidebar("政府信息公开", [(col.name, col.url) for col in top])
        slugs = (("机构职能", "jgzn"), ("规划计划", "ghjh"), ("财政预决算", "czyjs"), ("人事信息", "rsxx"),
                 ("重大项目", "zdxm"), ("统计信息", "tjxx"), ("减税降费", "jsjf"), ("应急管理", "yjgl"))
        subs = {slug: statutory.child(name, slug) for name, slug in slugs}
        sub_side = p.sidebar("法定主动公开内容", [(col.name, col.url) for col in subs.values()])
        columns: dict[Column, list[Article]] = {}

        def article(col: Column, title: str, day: date, texts: list[str], source: str = c.SPONSOR) -> Article:
            a = Article(col, title, day, self.number(), source, body=p.paragraphs(texts))
            columns.setdefault(col, []).append(a)
            return a

        revised = self.as_of - timedelta(days=330)
        article(guide, f"滇中市人民政府信息公开指南（{revised.year}年修订）", revised, list(c.GUIDE_SENTENCES))
        first = self.as_of - timedelta(days=2200)
        article(guide, f"滇中市人民政府信息公开指南（{first.year}年版）", first, list(c.GUIDE_SENTENCES[:3]))
        for title, day in zip(c.SYSTEM_TITLES, self.days(self.as_of - timedelta(days=420), 4, (30, 90))):
            article(system, title, day, list(c.SYSTEM_SENTENCES)).encoding = "utf-8-undeclared"
        for (title, text), day in zip(c.ORGAN_FUNCTIONS, self.days(self.as_of - timedelta(days=200), 5, (20, 60))):
            article(subs["jgzn"], title, day, [text, "（注：以上职责依据机构改革方案确定。）"])
        plans = self.days(self.as_of - timedelta(days=400), len(c.PLAN_TITLES), (90, 300))
        for pattern, day in zip(c.PLAN_TITLES, plans):
            title = pattern.format(year=day.year, last=day.year - 1)
            article(subs["ghjh"], title, day, [f"现将{title}全文公开如下。", c.PLAN_TEXT], "市发展和改革委员会")
        self.defects.append({"rule": "COL-2", "where": subs["ghjh"].url, "last_update": p.iso(plans[0]),
                             "note": "规划计划栏目超过一年未更新"})
        for day in self.days(self.as_of - timedelta(days=25), 8, (30, 70)):
            pattern = self.rng.choice(c.BUDGET_TITLES)
            title = pattern.format(year=day.year - 1 if "决算" in pattern else day.year)
            a = article(subs["czyjs"], title, day, [f"现将{title}有关情况公开如下，详见附件。"], "市财政局")
            href = self.attach(a, ".xls", assets.xls(_budget_sheet(title)))
            a.extra = f'<div class="attachments">附件：<a href="{href}">{title}.xls</a></div>'
        columns.setdefault(subs["czyjs"], []).extend(self.approved_budgets(subs["czyjs"]))
        for index, day in enumerate(self.days(self.as_of - timedelta(days=20), 10, (20, 45))):
            names = ["杨䶮" if index == 3 else self.rng.choice(c.SURNAMES) + self.rng.choice(c.GIVEN_NAMES),
                     self.rng.choice(c.SURNAMES) + self.rng.choice(c.GIVEN_NAMES)]
            a = article(subs["rsxx"], c.APPOINTMENT_TITLE.format(names="、".join(names)), day,
                        [c.POLICY_ADDRESSEES, f"经市人民政府研究决定：任命{names[0]}为{self.rng.choice(c.POSITIONS)}；"
                         f"免去{names[1]}的{self.rng.choice(c.POSITIONS)}职务。"], "市人力资源和社会保障局")
            if index == 3:
                a.encoding = "gb18030"  # 䶮 is outside GBK
        for months_back in range(1, 13):  # 经济运行 on the 18th of next month, but: one month never, one late (TIME-5)
            year, month = divmod(self.as_of.year * 12 + self.as_of.month - 1 - months_back, 12)
            month += 1
            month_end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
            day, due = month_end + timedelta(days=18), month_end + timedelta(days=PERIODIC_DUE_DAYS)
            period = {"series": "国民经济运行", "month": f"{year}-{month:02d}", "due": p.iso(due)}
            if months_back == MISSING_RELEASE_MONTHS_BACK:
                self.defects.append({"rule": "TIME-5", "where": f"/#国民经济运行:{year}-{month:02d}", **period,
                                     "note": f"{year}年{month}月的国民经济运行情况未发布"})
                continue
            if months_back == LATE_RELEASE_MONTHS_BACK:
                day = month_end + timedelta(days=25)
            if day <= self.as_of:
                span = "1月" if month == 1 else f"1—{month}月"
                title = c.STATS_TITLE.format(year=year, span=span)
                a = article(subs["tjxx"], title, day, [f"{title}：全市经济运行总体平稳、稳中有进。"], "市统计局")
                if day > due:
                    self.defects.append({"rule": "TIME-5", "where": a.url, **period, "published": p.iso(day),
                                         "note": f"{year}年{month}月的国民经济运行情况在月后第{(day - month_end).days}天发布，"
                                                 f"超过20天"})
        for year in range(2019, self.as_of.year):
            day = date(year + 1, 3, self.rng.randint(10, 25))
            if day <= self.as_of:
                title = c.ANNUAL_REPORT_TITLE.format(year=year)
                a = article(reports, title, day, ["本报告根据《中华人民共和国政府信息公开条例》要求编制，全文见附件。"])
                href = self.attach(a, ".pdf", assets.pdf(f"Dianzhong {year} annual report on government information disclosure"))
                a.extra = f'<div class="attachments">附件：<a href="{href}">{title}.pdf</a></div>'
        for articles in columns.values():
            articles.sort(key=lambda a: a.day, reverse=True)
            for a in articles:
                self.render_article(a)
        for col in top:
            if col is not statutory:
                self.simple_list(col, columns.get(col, []), "chinese", side=top_side)
        for col in subs.values():
            self.simple_list(col, columns.get(col, []), "chinese", side=sub_side)
            if col not in columns:
                self.defects.append({"rule": "COL-3", "where": col.url, "note": f"{col.name}栏目为空白栏目"})

        def block(col: Column) -> str:
            latest = p.items([a.item for a in columns.get(col, [])[:3]], "chinese") if col in columns else "<p>暂无信息</p>"
            return f'<div class="block"><h3><a href="{col.url}">{col.name}</a></h3>{latest}</div>'

        main = p.crumbs((("政府信息公开", zwgk.url), ("法定主动公开内容", statutory.url))) + sub_side + "".join(
            block(col) for col in subs.values())
        self.add_page(statutory.url, p.frame(title=f"法定主动公开内容_{c.SITE_NAME}", main=main))
        old = next(iter(REDIRECT_LOOP))
        main = (p.crumbs((("政府信息公开", zwgk.url),)) + top_side
                + "".join(block(col) for col in (guide, system, reports))
                + f'<div class="block"><h3><a href="{statutory.url}">法定主动公开内容</a></h3><ul>'
                + "".join(f'<li><a href="{col.url}">{col.name}</a></li>' for col in subs.values()) + "</ul></div>"
                + '<div class="block"><h3>依申请公开</h3><p>申请人可通过信函、当面提交等方式提出政府信息公开申请，'
                  f'具体见<a href="{guide.url}">政府信息公开指南</a>。</p>'
                  f'<p><a href="{old}">旧版政府信息公开目录</a></p></div>')
        self.add_page(zwgk.url, p.frame(title=f"政府信息公开_{c.SITE_NAME}", main=main))
        self.link_defect(old, "redirect_loop", "旧版政府信息公开目录链接陷入重定向循环")

    def approved_budgets(self, col: Column) -> list[Article]:
        """Two 财政预决算 pages that name their approval (TIME-6): this year's budget, approved by the 人民代表大会 on
        12 January and published 30 days later (late), and last year's final accounts, approved by its 常务委员会 on
        27 August and published 12 days later; each the latest that is out by as_of."""
        pages = []
        for (title, text, session), (approved, published) in (
                ((c.APPROVED_BUDGET_TITLE, c.APPROVED_BUDGET_TEXT, lambda y: _chinese_number(y - 2022)),
                 ((1, 12), (2, 11))),
                ((c.APPROVED_ACCOUNTS_TITLE, c.APPROVED_ACCOUNTS_TEXT, lambda y: _chinese_number(2 * (y - 2022) + 12)),
                 ((8, 27), (9, 8)))):
            year = self.as_of.year if date(self.as_of.year, *published) <= self.as_of else self.as_of.year - 1
            approved_day, day = date(year, *approved), date(year, *published)
            budget_year = year if "预算" in title else year - 1
            name = title.format(year=budget_year)
            body = text.format(approved=f"{approved_day.year}年{approved_day.month}月{approved_day.day}日",
                               session=session(year), year=budget_year)
            a = Article(col, name, day, self.number(), "市财政局", body=p.paragraphs([body]))
            href = self.attach(a, ".xls", assets.xls(_budget_sheet(name)))
            a.extra = f'<div class="attachments">附件：<a href="{href}">{name}.xls</a></div>'
            days = (day - approved_day).days
            if days > APPROVAL_DAYS:
                self.defects.append({"rule": "TIME-6", "where": a.url, "approved": p.iso(approved_day),
                                     "published": p.iso(day), "due": p.iso(approved_day + timedelta(days=APPROVAL_DAYS)),
                                     "days": days, "note": f"{name}在批准后{days}天才公开，超过20天"})
            pages.append(a)
        return pages

    def interaction(self) -> None:
        """互动交流: a separate application whose template lacks the 公安备案号, with 咨询投诉 and 市长信箱."""
        hdjl = Column("互动交流", "/hdjl/", footer="no_gongan")
        consult, mailbox = hdjl.child("咨询投诉", "zxzx"), hdjl.child("市长信箱", "szxx")
        messages = self.consultation(consult)
        self.mailbox(mailbox)
        interview = SERVER_ERROR_PREFIX
        main = (p.crumbs((("互动交流", hdjl.url),))
                + f'<div class="block"><h3><a href="{consult.url}">咨询投诉</a></h3>'
                + p.items([m[:3] for m in messages[:5]], "span") + "</div>"
                + f'<div class="block"><h3><a href="{mailbox.url}">市长信箱</a></h3><p>给市长写信，反映情况、提出意见建议。</p></div>'
                + f'<div class="block"><h3><a href="{interview}">在线访谈</a></h3><p>市政府部门负责人在线访谈。</p></div>'
                + f'<div class="block"><h3>网站纠错</h3><p><a href="{EXTERNAL}/check_web/errorInfo_querySiteInfo.action'
                  f'?sitecode={c.SITE_CODE}" target="_blank">我为政府网站找错</a></p></div>')
        self.add_page(hdjl.url, p.frame(title=f"互动交流_{c.SITE_NAME}", main=main, footer_style=hdjl.footer))
        self.link_defect(interview, "http_500", "在线访谈栏目返回服务器内部错误")
        self.defects.append({"rule": "ID-3", "where": hdjl.url,
                             "pages": sorted(url for url in self.pages if url.startswith(hdjl.url)),
                             "note": "互动交流栏目模板页脚缺少公安机关备案号"})

    def consultation(self, consult: Column) -> list[tuple[str, str, date, str, str]]:
        """咨询投诉: messages answered within two days, but one still 办理中 after four months (INTER-2) and one
        answered after 8 working days (INTER-4, counted with the calendar). Returns (title, url, day, 留言时间,
        答复时间 or ""), newest first."""
        kinds = [(day, "answered") for day in self.days(self.as_of - timedelta(days=3), 38, (2, 7))]
        kinds += [(self.as_of - timedelta(days=120), "pending"),
                  (self.working_day_before(self.as_of - timedelta(days=14), 8), "slow")]
        kinds.sort(key=lambda kind: kind[0], reverse=True)
        number = self.rng.randint(3000, 4000)
        messages = []
        for day, kind in kinds:
            number -= self.rng.randint(1, 9)  # newest first
            subject, office, reply = self.rng.choice(c.MESSAGE_SUBJECTS)
            title = subject.format(**self.words(year=day.year))
            url = f"{consult.url}detail_{number}.html"
            asked = f"{p.iso(day)} {self.rng.randint(8, 22):02d}:{self.rng.randint(0, 59):02d}"
            answered_day = (self.calendar.add(day, 8) if kind == "slow"
                            else day + timedelta(days=self.rng.randint(1, 2)))
            answered = ("" if kind == "pending" else
                        f"{p.iso(answered_day)} {self.rng.randint(9, 17):02d}:{self.rng.randint(0, 59):02d}")
            messages.append((title, url, day, asked, answered))
            self.message_page(consult, url, title, asked, office, answered, reply)
            if kind == "pending":
                self.defects.append({"rule": "INTER-2", "where": url, "asked": p.iso(day),
                                     "note": "咨询投诉留言超过3个月未答复，仍为“办理中”"})
            elif kind == "slow":
                self.defects.append({"rule": "INTER-4", "where": url, "asked": p.iso(day),
                                     "answered": p.iso(answered_day), "working_days": 8,
                                     "note": "咨询投诉留言8个工作日后才答复，超过5个工作日"})

        def message_table(chunk: list, offset: int) -> str:
            rows = "".join(f'<tr><td>{offset + n}</td><td><a href="{url}">{title}</a></td><td>{asked}</td>'
                           f"<td>{answered}</td><td>{'已答复' if answered else '办理中'}</td></tr>"
                           for n, (title, url, _, asked, answered) in enumerate(chunk, start=1))
            return ('<table class="msglist"><tr><th>编号</th><th>留言标题</th><th>留言时间</th><th>答复时间</th>'
                    f"<th>状态</th></tr>{rows}</table>")

        self.render_list(consult, messages, message_table)
        return messages

    def message_page(self, col: Column, url: str, title: str, asked: str, office: str, answered: str,
                     reply: str) -> None:
        """A message's detail page; without `answered` it shows the office it was passed to and 办理中."""
        person = self.rng.choice(c.SURNAMES) + "**"
        fields = [("留言标题", title), ("留言人", person), ("留言时间", asked),
                  ("留言内容", f"您好，{title.replace('咨询', '')}，请相关部门予以答复，谢谢！")]
        fields += ([("答复单位", office), ("答复时间", answered), ("答复内容", reply)] if answered
                   else [("转办单位", office), ("办理状态", "办理中")])
        table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in fields)
        main = p.crumbs((*col.trail, (col.name, col.url)), "留言详情") + \
            f'<div class="message"><table class="detail">{table}</table></div>'
        head = p.article_meta(column=col.name, title=title, published=answered or asked, source=office)
        self.add_page(url, p.frame(title=f"{title}_{c.SITE_NAME}", main=main, footer_style=col.footer, head=head))

    def mailbox(self, col: Column) -> None:
        """市长信箱: replied letters whose list and detail pages show neither 来信 nor 答复 dates (INTER-3)."""
        number = self.rng.randint(500, 900)
        letters = []
        for subject, office, reply in self.rng.sample(c.MESSAGE_SUBJECTS, 6):
            number -= self.rng.randint(1, 9)  # newest first
            title = subject.format(**self.words())
            url = f"{col.url}detail_{number}.html"
            letters.append((title, url))
            fields = (("来信标题", title), ("来信人", self.rng.choice(c.SURNAMES) + "**"),
                      ("来信内容", f"市长您好，{title.replace('咨询', '')}，希望有关部门研究解决。"),
                      ("答复单位", office), ("答复内容", reply))
            table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in fields)
            main = p.crumbs((*col.trail, (col.name, col.url)), "留言详情") + \
                f'<div class="message"><table class="detail">{table}</table></div>'
            self.add_page(url, p.frame(title=f"{title}_{c.SITE_NAME}", main=main, footer_style=col.footer))

        def letter_list(chunk: list, _) -> str:
            rows = "".join(f'<li><a href="{url}" target="_blank">{title}</a><span>已回复</span></li>'
                           for title, url in chunk)
            return f'<ul class="list">{rows}</ul>'

        self.render_list(col, letters, letter_list)
        self.defects.append({"rule": "INTER-3", "where": col.url, "messages": len(letters),
                             "note": "市长信箱公开的信件未显示来信时间和答复时间"})

    def services(self) -> None:
        """办事服务: guides with every key element but one that shows three (SVC-1); a missing form, a missing
        script, an unreachable portal."""
        bsfw = Column("办事服务", "/bsfw/", footer="spaced")
        guides_col = bsfw.child("办事指南", "bszn")
        guides = []
        for index, ((name, office, basis, materials), day) in enumerate(
                zip(c.SERVICES, self.days(self.as_of - timedelta(days=40), len(c.SERVICES), (3, 15)))):
            a = Article(guides_col, f"{name}办事指南", day, self.number(), office)
            form = f"/uploads/bsfw/form_{a.number}.docx"
            self.files[form] = assets.docx([f"{name}申请表"])
            forms = f'<p><a href="{form}">{name}申请表.docx</a></p>'
            if index == 6:
                missing = "/uploads/bsfw/sqb_2019.xls"
                forms += f'<p><a href="{missing}">{name}申请表（旧版）.xls</a></p>'
                self.link_defect(missing, "http_404", "办事指南中的表格下载文件不存在")
            elements: tuple[tuple[str, str], ...] = (("事项名称", name), ("设定依据", basis), ("申请条件", "符合法定条件的公民、法人或者其他组织"),
                        ("办理材料", materials), ("办理地点", f"滇中市政务服务中心{self.rng.randint(1, 40)}号窗口"),
                        ("办理机构", office), ("收费标准", "不收费"),
                        ("办理时间", "工作日上午9:00—12:00，下午13:00—17:00"),
                        ("联系电话", f"0871-6361{self.rng.randint(1000, 9999)}"), ("办理流程", "申请→受理→审查→决定→送达"))
            if index == POOR_GUIDE:
                absent = [label for label, _ in elements if label not in POOR_GUIDE_ELEMENTS]
                elements = tuple(e for e in elements if e[0] in POOR_GUIDE_ELEMENTS)
                self.veto_defects.append({"rule": "SVC-1", "where": a.url, "missing": absent,
                                          "present": list(POOR_GUIDE_ELEMENTS),
                                          "note": f"办事指南缺少{'、'.join(absent)}等{len(absent)}项要素"})
            a.body = ('<table class="guide">' + "".join(f"<tr><th>{k}：</th><td>{v}</td></tr>" for k, v in elements)
                      + "</table>")
            a.extra = f'<div class="attachments"><h4>表格下载</h4>{forms}</div>'
            guides.append(a)
            self.render_article(a)
        self.simple_list(guides_col, guides, "span")
        script, province = "/js/bsfw/slide.js", f"{CLOSED}/portal/"
        main = (p.crumbs((("办事服务", bsfw.url),))
                + f'<div class="block"><h3><a href="{guides_col.url}">办事指南</a></h3>'
                + p.items([a.item for a in guides[:8]], "span") + "</div>"
                + '<div class="block"><h3>服务平台</h3>'
                  f'<p><a href="{EXTERNAL}/zwfw/" target="_blank">国家政务服务平台</a></p>'
                  f'<p><a href="{province}" target="_blank">云南政务服务网</a></p></div>')
        self.add_page(bsfw.url, p.frame(title=f"办事服务_{c.SITE_NAME}", main=main, footer_style=bsfw.footer,
                                        head=f'<script src="{script}"></script>'))
        self.link_defect(script, "http_404", "办事服务页面引用的脚本文件不存在")
        self.link_defect(province, "connection_refused", "办事服务页面链接的政务服务网无法连接")

    def site_pages(self) -> None:
        sitemap = "".join(f'<li><a href="{url}">{name}</a></li>' for name, url in p.NAV[1:])
        sitemap += ('<li><a href="/zwgk/zfxxgkzn/">政府信息公开指南</a></li><li><a href="/hdjl/zxzx/">咨询投诉</a></li>'
                    '<li><a href="/hdjl/szxx/">市长信箱</a></li><li><a href="/bsfw/bszn/">办事指南</a></li>'
                    f'<li><a href="{media.MEDIA_PAGE}">政务新媒体</a></li><li><a href="/ztzl/">专题专栏</a></li>')
        self.link_defect("/ztzl/", "soft_404", "网站地图链接的专题专栏已撤销")
        self.add_page("/wzdt.html", p.frame(title=f"网站地图_{c.SITE_NAME}",
                                            main=p.crumbs((), "网站地图") + f'<ul class="sitemap">{sitemap}</ul>'))
        self.add_page("/wzsm.html", p.frame(title=f"网站声明_{c.SITE_NAME}",
                                            main=p.crumbs((), "网站声明") + p.paragraphs(list(c.STATEMENT_TEXT))))
        contact = p.paragraphs([*list(c.ABOUT_TEXT), f"通信地址：{c.ADDRESS}\u3000邮政编码：{c.POSTCODE}", f"联系电话：{c.PHONE}", '电子邮箱：<a href="mailto:dzszfwz@dianzhong.gov.cn">dzszfwz@dianzhong.gov.cn</a>'])
        self.add_page("/lxwm.html", p.frame(title=f"联系我们_{c.SITE_NAME}", main=p.crumbs((), "联系我们") + contact))

    def new_media(self) -> None:
        """政务新媒体: the accounts' table with QR codes (media.py; no randomness, so nothing else moves)."""
        self.files.update(media.qr_files())
        self.add_page(media.MEDIA_PAGE, media.media_page())

    def homepage(self, news, notices, policies, interpretations, department_news) -> None:
        """The homepage: dated blocks, 友情链接, 我为政府网站找错, a footer whose 网站标识码 is written by script; and
        the hacked version the server gives search-engine spiders."""
        gone_day = self.as_of - timedelta(days=2)
        gone = f"/xwzx/{gone_day:%Y%m}/t{gone_day:%Y%m%d}_{self.number()}.html"
        headlines = [a.item for a in news[:7]]
        headlines.insert(1, (self.rng.choice(c.NEWS_TITLES).format(**self.words()), gone, gone_day))
        self.link_defect(gone, "soft_404", "首页要闻链接指向已删除的页面")
        banner = "/images/zt/jsjf_banner.jpg"
        self.link_defect(banner, "http_404", "首页专题图片不存在")
        friend = f"{EXTERNAL}/dianxi/"
        self.link_defect(friend, "http_404", "首页友情链接的网站页面不存在")
        photos = "".join(f'<li><a href="{a.url}" target="_blank"><img src="{a.folder}{_first_image(a.body)}" '
                         f'alt="{a.title}" width="320" height="200"></a><p>{a.title}</p></li>' for a in news[:3])

        def block(name: str, url: str, entries: list, shape: str) -> str:
            return f'<div class="block"><h3><a href="{url}">{name}</a></h3>{p.items(entries, shape)}</div>'

        main = "\n".join([
            f'<div class="banner"><a href="/zwgk/fdzdgknr/jsjf/"><img src="{banner}" alt="减税降费政策专题" '
            'width="1200" height="90"></a></div>',
            f'<div class="focus"><h3>图片新闻</h3><ul>{photos}</ul></div>',
            block("要闻动态", "/xwzx/", headlines, "span"),
            block("通知公告", "/tzgg/", [a.item for a in notices[:6]], "bracket"),
            block("政策文件", "/zcwj/", [a.item for a in policies[:5]], "span"),
            block("政策解读", "/zcjd/", [a.item for a in interpretations[:5]], "span"),
            block("部门动态", "/bmdt/", [a.item for a in department_news[:5]], "span"),
            '<div class="block"><h3><a href="/zwgk/">政府信息公开</a></h3><ul>'
            '<li><a href="/zwgk/zfxxgkzn/">政府信息公开指南</a></li><li><a href="/zwgk/zfxxgkzd/">政府信息公开制度</a></li>'
            '<li><a href="/zwgk/fdzdgknr/">法定主动公开内容</a></li><li><a href="/zwgk/zfxxgknb/">政府信息公开年报</a></li>'
            '</ul></div>',
            f'<div class="block"><h3><a href="/bsfw/">办事服务</a></h3><ul><li><a href="/bsfw/bszn/">办事指南</a></li>'
            f'<li><a href="{EXTERNAL}/zwfw/" target="_blank">国家政务服务平台</a></li></ul></div>',
            f'<div class="block"><h3><a href="/hdjl/">互动交流</a></h3><ul><li><a href="/hdjl/zxzx/">咨询投诉</a></li>'
            f'<li><a href="{EXTERNAL}/check_web/errorInfo_querySiteInfo.action?sitecode={c.SITE_CODE}" '
            'target="_blank"><img src="/images/zfwzzc.png" alt="我为政府网站找错" width="110" height="40">我为政府网站找错</a></li>'
            '</ul></div>',
            f'<div class="block"><h3><a href="{media.MEDIA_PAGE}">政务新媒体</a></h3><p>滇中市政务微信、微博、抖音等'
            '账号，扫码关注。</p></div>',
            '<div class="friend"><h3>友情链接</h3>'
            f'<a href="{EXTERNAL}/gov/" target="_blank">中国政府网</a> '
            f'<a href="{EXTERNAL}/yunnan/" target="_blank">云南省人民政府</a> '
            f'<a href="{friend}" target="_blank">滇西市人民政府</a> '
            f'<a href="{EXTERNAL}/zwfw/" target="_blank">国家政务服务平台</a></div>',
        ])
        self.add_page("/", p.frame(title=c.SITE_NAME, main=main, footer_style="homepage"))
        self.cloak_homepage(main)

    def cloak_homepage(self, main: str) -> None:
        """What a hacked homepage shows a spider (SEC-1 cloaking): a gambling title and a block of gambling links,
        the page a browser gets around them."""
        links = "".join(f'<a href="{GAMBLING}{CASINO_PATH}?id={n}" target="_blank">{text}</a> '
                        for n, text in enumerate(c.CASINO_SPIDER_LINKS, start=1))
        self.spider_home = p.frame(title=c.CASINO_SPIDER_TITLE, main=main + f'\n<div class="friend">{links}</div>',
                                   footer_style="homepage")
        self.veto_defects.append({"rule": "SEC-1", "where": "/", "reasons": ["cloaking"], "user_agent": "Baiduspider",
                                  "browser_title": c.SITE_NAME, "spider_title": c.CASINO_SPIDER_TITLE,
                                  "note": f"首页对百度蜘蛛返回博彩标题“{c.CASINO_SPIDER_TITLE}”和博彩链接（蜘蛛劫持）"})

    # ----- output

    def write(self, out_dir: Path, subsite: Subsite, external: dict[str, media.Answer]) -> None:
        for folder in (out_dir / SITE_DIR, out_dir / SUBSITE_DIR, out_dir / EXTERNAL_DIR):
            if folder.exists():
                shutil.rmtree(folder)
        for url, (html, encoding) in self.pages.items():
            _write(out_dir / SITE_DIR, url, html.encode(p.ENCODINGS[encoding][0]))
        for url, data in self.files.items():
            _write(out_dir / SITE_DIR, url, data)
        for url, html in subsite.pages.items():
            _write(out_dir / SUBSITE_DIR, url, html.encode())
        for url, data in subsite.files.items():
            _write(out_dir / SUBSITE_DIR, url, data)
        routes = {}
        for path, answer in external.items():
            file = path.lstrip("/") + ("index" if path.endswith("/") else "")
            if not file.endswith(".html"):
                file += ".json" if "json" in answer.content_type else ".xml" if "xml" in answer.content_type else ".html"
            _write(out_dir / EXTERNAL_DIR, "/" + file, answer.body)
            routes[path] = {"status": answer.status, "type": answer.content_type, "file": file}
        text = json.dumps(routes, ensure_ascii=False, indent=1)
        (out_dir / EXTERNAL_DIR / EXTERNAL_ROUTES_FILE).write_text(text + "\n", encoding="utf-8")
        soft_404 = p.frame(title=f"页面不存在_{c.SITE_NAME}", main=p.SOFT_404_MAIN)
        (out_dir / SOFT_404_FILE).write_bytes(soft_404.encode())
        (out_dir / SPIDER_HOME_FILE).write_bytes(self.spider_home.encode())
        text = json.dumps(self.manifest(subsite), ensure_ascii=False, indent=1)
        (out_dir / MANIFEST_FILE).write_text(text + "\n", encoding="utf-8")

    def manifest(self, subsite: Subsite) -> dict:
        linked_from = _pages_linking_to({target for target, _, _ in self.link_defects}, self.pages)
        links = []
        for target, reason, note in self.link_defects:
            pages = sorted(linked_from[target])
            if urlsplit(target).path.lower().endswith(ATTACHMENT_EXTENSIONS):
                rule = "LINK-3"
            else:
                rule = "LINK-1" if "/" in pages else "LINK-2"
            links.append({"rule": rule, "site": "demo", "target": _placeholder(target), "reason": reason,
                          "pages": [PORTAL + page for page in pages], "note": note})
        links.sort(key=lambda d: (d["rule"], d["target"]))
        defects = [{"id": f"L{n:02d}", **d} for n, d in enumerate(links, start=1)]
        seeded = [("demo", PORTAL, d) for d in self.defects] + [("subsite", SUBSITE, d) for d in subsite.defects]
        for n, (site, home, defect) in enumerate(seeded, start=1):
            entry = {"id": f"D{n:02d}", "rule": defect["rule"], "site": site, **defect}
            for key in ("where", "policy"):
                if key in entry:
                    entry[key] = home + entry[key]
            if "pages" in entry:
                entry["pages"] = [home + page for page in entry["pages"]]
            defects.append(entry)
        for n, defect in enumerate(media.media_defects(self.as_of), start=1):
            defects.append({"id": f"M{n:02d}", "rule": defect["rule"], "site": "demo", **defect})
        failing = sorted((IPV6_RESET_PREFIX, IPV6_UNAVAILABLE_PREFIX))
        levels = _second_third_level(self.pages, {target for target, _, _ in self.link_defects})
        defects += [
            {"id": "V01", "rule": "IPV6-4", "site": "demo", "where": f"{PORTAL}/", "failing_prefixes": failing,
             "note": "二、三级页面IPv6支持度低于90%（办事服务、互动交流栏目IPv6访问失败）"},
            {"id": "V02", "rule": "IPV6-5", "site": "demo", "where": f"{PORTAL}/", "evidence": c.IPV6_CLAIM,
             "note": "首页标注支持IPv6，但部分栏目IPv6无法访问"},
            {"id": "V03", "rule": "IPV6-6", "site": "demo", "where": DOMAIN, "note": "权威域名服务器无IPv6地址"},
        ]
        return {
            "site": {"name": c.SITE_NAME, "site_code": c.SITE_CODE, "home": f"{PORTAL}/"},
            "subsite": {"name": c.SUBSITE_NAME, "site_code": c.SUBSITE_CODE, "home": f"{SUBSITE}/",
                        "pages": len(subsite.pages)},
            "as_of": self.as_of.isoformat(),
            "pages": len(self.pages),
            "defects": defects,
            "encodings": {url: enc for url, (_, enc) in sorted(self.pages.items()) if enc in ("gbk", "gb18030")},
            "undeclared_utf8": sorted(url for url, (_, enc) in self.pages.items() if enc == "utf-8-undeclared"),
            "script_written": ["/"],
            "accounts": media.manifest_accounts(self.as_of),
            "citizen_reports": citizen_reports(defects, self.as_of),
            "ipv6": {"host": HOST, "dns": "{dns}", "failing_prefixes": failing, "claim": c.IPV6_CLAIM,
                     "second_third_level": {"pages": len(levels),
                                            "failing": sum(url.startswith(tuple(failing)) for url in levels)}},
        }


def _write(site: Path, url: str, data: bytes) -> None:
    path = site / (url.lstrip("/") + ("index.html" if url.endswith("/") else ""))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _placeholder(target: str) -> str:
    """A link target as written in the HTML → its manifest form."""
    if target.startswith(EXTERNAL):
        return "{external}" + target[len(EXTERNAL):]
    if target.startswith(CLOSED):
        return "{closed}" + target[len(CLOSED):]
    return PORTAL + target


# Every link and resource reference in the generated HTML: the templates always write double-quoted href and src
# attributes, and no script contains one.
_REFERENCE = re.compile(r'\s(?:href|src)="([^"]*)"')


def _pages_linking_to(targets: set[str], site_pages: dict[str, tuple[str, str]]) -> dict[str, set[str]]:
    """For each link target (as written in the HTML), the URL paths of the pages linking to it."""
    fake = {EXTERNAL: "http://external.test", CLOSED: "http://closed.test"}

    def absolute(base: str, href: str) -> str:
        for placeholder, host in fake.items():
            href = href.replace(placeholder, host)
        return urldefrag(urljoin("http://portal.test" + base, href))[0]

    wanted = {absolute("/", target): target for target in targets}
    names = {target.rstrip("/").rsplit("/", 1)[-1] for target in targets}
    found: dict[str, set[str]] = {target: set() for target in targets}
    for url, (html, _) in site_pages.items():
        for href in _REFERENCE.findall(html):
            if href.rstrip("/").rsplit("/", 1)[-1] in names:
                target = wanted.get(absolute(url, href))
                if target:
                    found[target].add(url)
    return found


def _second_third_level(site_pages: dict[str, tuple[str, str]], broken: set[str]) -> list[str]:
    """URL paths of the pages one and two links away from the homepage (breadth-first), the good pages only:
    the IPv6 support ratio is measured on them."""
    depth, queue = {"/": 0}, deque(["/"])
    while queue:
        page = queue.popleft()
        if depth[page] == 2:
            continue
        for href in _REFERENCE.findall(site_pages[page][0]):
            parts = urlsplit(urljoin("http://portal.test" + page, href))
            target = parts.path
            if parts.netloc == "portal.test" and target in site_pages and target not in broken and target not in depth:
                depth[target] = depth[page] + 1
                queue.append(target)
    return sorted(url for url, level in depth.items() if level in (1, 2))


def _first_image(body: str) -> str:
    return body.split('<img src="./', 1)[1].split('"', 1)[0]


def _id_number(area: str, birth: date, sequence: int) -> str:
    """An 18-digit 居民身份证号 with a valid GB 11643 check digit."""
    first = f"{area}{birth:%Y%m%d}{sequence:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first + "10X98765432"[sum(int(d) * w for d, w in zip(first, weights)) % 11]


def _budget_sheet(title: str) -> list[list[str]]:
    """The rows of a 财政预决算 attachment: its title, then amounts by 功能分类 (fixed, no personal data)."""
    return [[title], ["功能分类科目", "金额（万元）"], *([name, amount] for name, amount in c.BUDGET_LINES)]


def _masked_id(number: str) -> str:
    """A 居民身份证号 the way lists should show it: the first 6 and the last 4 characters."""
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


def _chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 21 → 二十一 (1 to 99; anything smaller is 一)."""
    digits = "零一二三四五六七八九"
    n = max(1, n)
    tens, ones = divmod(n, 10)
    return ((digits[tens] if tens > 1 else "") + ("十" if tens else "") + (digits[ones] if ones else "")) or "一"
