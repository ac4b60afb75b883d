"""Generate the benchmark's static government portal.

The site is deterministic for a given page count and seed, so every
contender and every run crawls byte-identical pages. It imitates a
city portal built on a TRS-style CMS: section and column list pages
(index.html, index_1.html, ...), dated article URLs, a shared header,
breadcrumb (当前位置), article header with 发布时间 and a footer with
网站标识码, ICP and 公安备案 numbers. One article in seven is GBK-encoded
under a gb2312 declaration. A handful of links are dead so every
contender has something to report. No link leaves the site: the
benchmark never sends traffic anywhere but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import random
from collections import deque
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path

SITE_NAME = "云岭市人民政府"
SITE_CODE = "5300000001"
SPONSOR = "云岭市人民政府办公室"
LIST_PAGE_SIZE = 20
RELATED_LINKS = 16
GBK_EVERY = 7
ANNUAL_REPORTS_NOMINAL = 5
NEWEST_DATE = dt.date(2024, 6, 28)

# (path, name, section path) of each column.
COLUMNS = [
    ("xwdt/zwyw", "政务要闻", "xwdt"),
    ("xwdt/bmdt", "部门动态", "xwdt"),
    ("xwdt/xqdt", "县区动态", "xwdt"),
    ("tzgg", "通知公告", ""),
    ("zwgk/zcwj", "政策文件", "zwgk"),
    ("zwgk/zcjd", "政策解读", "zwgk"),
    ("zwgk/rsxx", "人事信息", "zwgk"),
    ("zwgk/ghjh", "规划计划", "zwgk"),
    ("bsfw/bszn", "办事指南", "bsfw"),
    ("hdjl/zxzx", "在线咨询", "hdjl"),
]
SECTIONS = {"xwdt": "新闻动态", "zwgk": "政务公开", "bsfw": "办事服务", "hdjl": "互动交流"}
STATIC_PAGES = {"wzdt.html": "网站地图", "lxwm.html": "联系我们", "yssm.html": "隐私声明"}
NAV = [
    ("/", "首页"),
    ("/zwgk/", "政务公开"),
    ("/xwdt/", "新闻动态"),
    ("/tzgg/", "通知公告"),
    ("/bsfw/", "办事服务"),
    ("/hdjl/", "互动交流"),
    ("/wzdt.html", "网站地图"),
]
_PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
ASSETS = {
    "css/style.css": b"body{font-family:'Microsoft YaHei',SimSun,sans-serif;margin:0}"
    b".wrap{width:1200px;margin:0 auto}.footer{background:#f2f2f2;font-size:12px}\n" * 40,
    "js/common.js": b"function setFontSize(s){document.body.style.fontSize=s+'px';}\n" * 30,
    "images/logo.png": _PNG_1PX,
    "images/banner.jpg": _PNG_1PX,
    "images/dzjg.png": _PNG_1PX,
    "images/jiucuo.png": _PNG_1PX,
}
PAGE_ASSETS = ["/css/style.css", "/js/common.js", "/images/logo.png", "/images/dzjg.png", "/images/jiucuo.png"]
# Dead URLs and how they are referenced: (path, kind).
DEAD_LINKS = [
    ("/zwgk/zcwj/201901/t20190115_99001.html", "a"),
    ("/xwdt/zwyw/201812/t20181203_99002.html", "a"),
    ("/uploads/file/20230301_gongshi.pdf", "a"),
    ("/uploads/file/20221109_fujian.docx", "a"),
    ("/images/missing_banner.jpg", "img"),
]

TOPICS = [
    "优化营商环境", "乡村振兴", "安全生产", "生态环境保护", "城市更新", "数字政府建设",
    "民生实事", "防汛抗旱", "稳就业", "消费帮扶", "政务服务“一网通办”", "森林草原防灭火",
    "高标准农田建设", "义务教育均衡发展", "基层医疗卫生服务", "养老服务体系建设",
]
DEPARTMENTS = [
    "市发展和改革委员会", "市教育体育局", "市财政局", "市人力资源和社会保障局", "市自然资源和规划局",
    "市生态环境局", "市住房和城乡建设局", "市农业农村局", "市卫生健康委员会", "市应急管理局",
    "市市场监督管理局", "市政务服务管理局",
]
SENTENCES = [
    "会议强调，要坚持以人民为中心的发展思想，把{t}工作摆在更加突出的位置，切实增强责任感和紧迫感。",
    "各县（市、区）、市直各部门要结合实际，细化工作措施，明确时间节点，确保各项任务落地见效。",
    "{d}围绕{t}目标任务，主动作为、靠前服务，推动重点项目建设提速增效。",
    "今年以来，全市累计完成投资 12.6 亿元，同比增长 8.3%，惠及群众 3.2 万余人。",
    "要强化统筹协调，建立健全工作机制，压紧压实属地责任、部门责任和主体责任。",
    "要坚持问题导向，聚焦群众急难愁盼问题，持续推进{t}，不断提升群众获得感、幸福感、安全感。",
    "下一步，{d}将进一步加强督促检查，对工作推进不力的单位予以通报，确保取得实效。",
    "据了解，该项目总投资约 4.5 亿元，建成后将有效改善周边群众生产生活条件。",
    "会上，相关部门负责同志分别汇报了{t}工作进展情况，并就下一步工作提出意见建议。",
    "各级各部门要加强政策宣传解读，及时回应社会关切，营造良好舆论氛围。",
    "为深入贯彻落实党中央、国务院决策部署，按照省委、省政府工作要求，结合我市实际，制定本方案。",
    "本办法自印发之日起施行，有效期 5 年。此前有关规定与本办法不一致的，以本办法为准。",
    "申请人可通过政务服务网、政务服务中心窗口等渠道提交申请，办理时限为 5 个工作日。",
    "对符合条件的企业，按照实际投资额的 10% 给予一次性补助，最高不超过 50 万元。",
    "请各单位于 2024 年 7 月 15 日前将工作总结报送至{d}，逾期未报送的视为无意见。",
    "联系人：张同志，联系电话：0871－6361 2345，电子邮箱：bgs@yunling.gov.cn。",
    "{d}深入基层开展调研，实地察看{t}推进情况，现场协调解决存在的困难和问题。",
    "要严格落实中央八项规定及其实施细则精神，坚决反对形式主义、官僚主义，切实为基层减负。",
]


@dataclass
class SiteManifest:
    """What was generated: the ground truth a crawl's coverage is measured against."""

    root: str
    pages: list[str]
    assets: list[str]
    dead_links: list[str]
    links_per_page_mean: float
    page_bytes_mean: float
    page_bytes_min: int
    page_bytes_max: int
    max_depth: int
    gbk_pages: int
    seed: int
    columns: dict[str, int] = field(default_factory=dict)


@dataclass
class _Article:
    path: str
    column: int
    title: str
    date: dt.date
    gbk: bool


def _allocate(total_pages: int) -> tuple[list[int], int]:
    """Split the page budget into per-column article counts and annual-report pages.

    Every column has at least its first list page; articles are added round-robin
    and the annual-report pages absorb what is left, so the total is exact.
    """
    fixed = 1 + len(SECTIONS) + len(STATIC_PAGES) + len(COLUMNS) + 1  # +1: at least one annual report
    if total_pages < fixed + len(COLUMNS):
        raise ValueError(f"need at least {fixed + len(COLUMNS)} pages, got {total_pages}")
    articles = [0] * len(COLUMNS)
    remaining = total_pages - fixed - (ANNUAL_REPORTS_NOMINAL - 1)
    index = 0
    stalled = 0
    while remaining > 0 and stalled < len(COLUMNS):
        cost = 1 if articles[index] % LIST_PAGE_SIZE else (1 if articles[index] == 0 else 2)
        if cost <= remaining:
            articles[index] += 1
            remaining -= cost
            stalled = 0
        else:
            stalled += 1
        index = (index + 1) % len(COLUMNS)
    list_pages = sum(max(1, -(-a // LIST_PAGE_SIZE)) for a in articles)
    reports = total_pages - (1 + len(SECTIONS) + len(STATIC_PAGES)) - list_pages - sum(articles)
    return articles, reports


def _title(rng: random.Random, column: str) -> str:
    topic = rng.choice(TOPICS)
    dept = rng.choice(DEPARTMENTS)
    templates = {
        "政务要闻": ["云岭市召开{t}工作推进会", "市政府常务会议研究部署{t}等工作", "市领导调研{t}工作"],
        "部门动态": ["{d}扎实推进{t}工作", "{d}召开{t}专题会议"],
        "县区动态": ["青松县多措并举推进{t}", "白石区{t}取得阶段性成效"],
        "通知公告": ["关于开展{t}专项检查的通知", "{d}关于{t}有关事项的公告"],
        "政策文件": ["云岭市人民政府办公室关于印发《云岭市{t}实施方案》的通知", "关于进一步做好{t}工作的意见"],
        "政策解读": ["《云岭市{t}实施方案》政策解读", "图解：{t}若干措施"],
        "人事信息": ["{d}公开招聘工作人员拟聘用人员公示", "云岭市人民政府关于干部任免的通知"],
        "规划计划": ["云岭市“十四五”{t}规划", "{d}2024年{t}工作计划"],
        "办事指南": ["{t}相关事项办事指南", "{d}政务服务事项办事指南"],
        "在线咨询": ["关于{t}的咨询", "咨询{d}{t}政策"],
    }
    return rng.choice(templates[column]).format(t=topic, d=dept)


def _body(rng: random.Random, column: str) -> str:
    paragraphs = []
    for _ in range(rng.randint(8, 26)):
        sentences = [
            rng.choice(SENTENCES).format(t=rng.choice(TOPICS), d=rng.choice(DEPARTMENTS))
            for _ in range(rng.randint(3, 7))
        ]
        paragraphs.append("<p style=\"text-indent:2em\">" + "".join(sentences) + "</p>")
    if column == "办事指南":
        elements = ["事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理机构", "收费标准", "办理时间", "联系电话", "办理流程"]
        rows = "".join(f"<tr><th>{e}</th><td>{escape(rng.choice(SENTENCES).format(t=rng.choice(TOPICS), d=rng.choice(DEPARTMENTS)))}</td></tr>" for e in elements)
        paragraphs.insert(0, f"<table class=\"bszn\">{rows}</table>")
    return "\n".join(paragraphs)


def _metadata_table(rng: random.Random, article: _Article, index: int) -> str:
    made = article.date - dt.timedelta(days=rng.randint(1, 9))
    return (
        "<table class=\"xxgk-meta\">"
        f"<tr><th>索引号：</th><td>11530100MB{index:08d}/2024-{index % 1000:05d}</td>"
        "<th>主题分类：</th><td>综合政务\\其他</td></tr>"
        f"<tr><th>发布机构：</th><td>{SPONSOR}</td><th>成文日期：</th><td>{made.year}年{made.month:02d}月{made.day:02d}日</td></tr>"
        f"<tr><th>文　　号：</th><td>云政办发〔{article.date.year}〕{index % 90 + 1}号</td>"
        f"<th>发布日期：</th><td>{article.date.year}年{article.date.month:02d}月{article.date.day:02d}日</td></tr>"
        "<tr><th>公开属性：</th><td colspan=\"3\">此件公开发布</td></tr></table>"
    )


def _page(title: str, breadcrumb: list[tuple[str, str]], main: str, charset: str) -> str:
    nav = "".join(f"<li><a href=\"{href}\">{name}</a></li>" for href, name in NAV)
    crumbs = " &gt; ".join(f"<a href=\"{href}\">{name}</a>" for href, name in breadcrumb[:-1])
    crumbs = f"{crumbs} &gt; <span>{breadcrumb[-1][1]}</span>" if crumbs else breadcrumb[-1][1]
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<meta name="SiteName" content="{SITE_NAME}">
<meta name="SiteIDCode" content="{SITE_CODE}">
<meta name="ArticleTitle" content="{escape(title)}">
<title>{escape(title)}_{SITE_NAME}</title>
<link rel="stylesheet" href="/css/style.css">
<script src="/js/common.js"></script>
</head>
<body>
<div class="topbar wrap"><span>欢迎访问{SITE_NAME}门户网站</span><span>无障碍浏览</span><span>长者模式</span></div>
<div class="header wrap"><img src="/images/logo.png" alt="{SITE_NAME}"></div>
<div class="nav wrap"><ul>{nav}</ul></div>
<div class="position wrap">当前位置：{crumbs}</div>
<div class="main wrap">
{main}
</div>
<div class="footer">
<div class="wrap">
<p><a href="/lxwm.html">联系我们</a> | <a href="/yssm.html">隐私声明</a></p>
<p>主办单位：{SPONSOR}　承办单位：云岭市大数据中心</p>
<p>网站标识码：{SITE_CODE}　滇ICP备05001234号-1　<img src="/images/dzjg.png" alt="党政机关">滇公网安备 53010202000123号</p>
<p>联系电话：0871－6361 2345（工作日 9:00－17:00）　<img src="/images/jiucuo.png" alt="我为政府网站找错"></p>
</div>
</div>
</body>
</html>
"""


def _list_page_path(column_path: str, number: int) -> str:
    return f"/{column_path}/" if number == 0 else f"/{column_path}/index_{number}.html"


def _pagination(column_path: str, number: int, count: int) -> str:
    if count <= 1:
        return ""
    links = [f"<a href=\"{_list_page_path(column_path, 0)}\">首页</a>"]
    if number > 0:
        links.append(f"<a href=\"{_list_page_path(column_path, number - 1)}\">上一页</a>")
    for other in range(max(0, number - 2), min(count, number + 3)):
        if other != number:
            links.append(f"<a href=\"{_list_page_path(column_path, other)}\">{other + 1}</a>")
    if number < count - 1:
        links.append(f"<a href=\"{_list_page_path(column_path, number + 1)}\">下一页</a>")
    links.append(f"<a href=\"{_list_page_path(column_path, count - 1)}\">尾页</a>")
    return f"<div class=\"page\">{' '.join(links)} 共{count}页</div>"


def _item_li(article: _Article) -> str:
    return f"<li><a href=\"{article.path}\" title=\"{escape(article.title)}\">{escape(article.title)}</a><span>{article.date.isoformat()}</span></li>"


def _disk_path(root: Path, url_path: str) -> Path:
    relative = url_path.lstrip("/")
    return root / (relative + "index.html" if relative.endswith("/") or not relative else relative)


def generate_site(root: Path, pages: int = 2000, seed: int = 20240628) -> SiteManifest:
    """Write `pages` HTML pages plus assets under `root`; return the manifest."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    article_counts, report_count = _allocate(pages)

    articles: list[_Article] = []
    by_column: list[list[_Article]] = [[] for _ in COLUMNS]
    serial = 10000
    for column_index, count in enumerate(article_counts):
        column_path, column_name, _ = COLUMNS[column_index]
        date = NEWEST_DATE
        for _ in range(count):
            date -= dt.timedelta(days=rng.randint(0, 3))
            serial += 1
            article = _Article(
                path=f"/{column_path}/{date:%Y%m}/t{date:%Y%m%d}_{serial}.html",
                column=column_index,
                title=_title(rng, column_name),
                date=date,
                gbk=serial % GBK_EVERY == 0,
            )
            articles.append(article)
            by_column[column_index].append(article)

    dead_hosts = dict(zip(rng.sample(range(len(articles)), min(len(DEAD_LINKS), len(articles))), DEAD_LINKS))
    outputs: dict[str, tuple[str, bool]] = {}

    def emit(path: str, title: str, breadcrumb: list[tuple[str, str]], main: str, gbk: bool = False) -> None:
        outputs[path] = (_page(title, breadcrumb, main, "gb2312" if gbk else "utf-8"), gbk)

    # Home page: latest items of every column.
    blocks = []
    for column_index, (column_path, column_name, _) in enumerate(COLUMNS):
        latest = "".join(_item_li(a) for a in by_column[column_index][:6])
        blocks.append(f"<div class=\"block\"><h3><a href=\"/{column_path}/\">{column_name}</a></h3><ul>{latest}</ul></div>")
    emit("/", SITE_NAME, [("/", "首页")], "<img src=\"/images/banner.jpg\" alt=\"\">" + "".join(blocks))

    # Section pages.
    for section_path, section_name in SECTIONS.items():
        blocks = []
        for column_index, (column_path, column_name, parent) in enumerate(COLUMNS):
            if parent == section_path:
                latest = "".join(_item_li(a) for a in by_column[column_index][:8])
                blocks.append(f"<div class=\"block\"><h3><a href=\"/{column_path}/\">{column_name}</a></h3><ul>{latest}</ul></div>")
        if section_path == "zwgk":
            reports = "".join(
                f"<li><a href=\"/zwgk/ndbg/{2023 - k}.html\">{SITE_NAME}{2023 - k}年政府信息公开工作年度报告</a></li>"
                for k in range(report_count)
            )
            blocks.append(f"<div class=\"block\"><h3>政府信息公开年报</h3><ul>{reports}</ul></div>")
        emit(f"/{section_path}/", section_name, [("/", "首页"), (f"/{section_path}/", section_name)], "".join(blocks))

    # Column list pages.
    for column_index, (column_path, column_name, parent) in enumerate(COLUMNS):
        items = by_column[column_index]
        count = max(1, -(-len(items) // LIST_PAGE_SIZE))
        crumbs = [("/", "首页")] + ([(f"/{parent}/", SECTIONS[parent])] if parent else []) + [(f"/{column_path}/", column_name)]
        for number in range(count):
            chunk = items[number * LIST_PAGE_SIZE:(number + 1) * LIST_PAGE_SIZE]
            body = "<ul class=\"list\">" + "".join(_item_li(a) for a in chunk) + "</ul>" if chunk else "<p>暂无信息</p>"
            emit(_list_page_path(column_path, number), column_name, crumbs, body + _pagination(column_path, number, count))

    # Articles.
    for position, article in enumerate(articles):
        column_path, column_name, parent = COLUMNS[article.column]
        siblings = by_column[article.column]
        related = rng.sample(articles, min(RELATED_LINKS, len(articles)))
        related_html = "".join(_item_li(a) for a in related if a is not article)
        own = siblings.index(article)
        neighbours = []
        if own > 0:
            neighbours.append(f"<p>上一篇：<a href=\"{siblings[own - 1].path}\">{escape(siblings[own - 1].title)}</a></p>")
        if own < len(siblings) - 1:
            neighbours.append(f"<p>下一篇：<a href=\"{siblings[own + 1].path}\">{escape(siblings[own + 1].title)}</a></p>")
        dead = ""
        if position in dead_hosts:
            dead_path, kind = dead_hosts[position]
            dead = (f"<p><img src=\"{dead_path}\" alt=\"配图\"></p>" if kind == "img"
                    else f"<p>附件：<a href=\"{dead_path}\">相关附件</a></p>")
        meta = _metadata_table(rng, article, position) if column_name in ("政策文件", "通知公告") else ""
        main = (
            f"{meta}<div class=\"article\"><h1>{escape(article.title)}</h1>"
            f"<div class=\"info\">发布时间：{article.date.isoformat()} 10:{position % 60:02d}　来源：{rng.choice(DEPARTMENTS)}　"
            "字号：[大 中 小]　浏览次数：<span id=\"hits\"></span></div>"
            f"<div class=\"content\">{_body(rng, column_name)}{dead}</div>"
            f"{''.join(neighbours)}</div>"
            f"<div class=\"related\"><h3>相关信息</h3><ul>{related_html}</ul></div>"
        )
        crumbs = [("/", "首页")] + ([(f"/{parent}/", SECTIONS[parent])] if parent else []) + [(f"/{column_path}/", column_name), (article.path, "正文")]
        emit(article.path, article.title, crumbs, main, gbk=article.gbk)

    # Static and annual-report pages.
    sitemap = "".join(f"<li><a href=\"/{c}/\">{n}</a></li>" for c, n, _ in COLUMNS)
    for name, title in STATIC_PAGES.items():
        body = f"<ul>{sitemap}</ul>" if name == "wzdt.html" else f"<div class=\"content\">{_body(rng, title)}</div>"
        emit(f"/{name}", title, [("/", "首页"), (f"/{name}", title)], body)
    for k in range(report_count):
        year = 2023 - k
        emit(f"/zwgk/ndbg/{year}.html", f"{SITE_NAME}{year}年政府信息公开工作年度报告",
             [("/", "首页"), ("/zwgk/", "政务公开"), (f"/zwgk/ndbg/{year}.html", "年报")],
             f"<div class=\"content\">{_body(rng, '年报')}</div>")

    if len(outputs) != pages:
        raise AssertionError(f"generated {len(outputs)} pages, expected {pages}")

    sizes = []
    links: dict[str, list[str]] = {}
    for path, (html, gbk) in outputs.items():
        data = html.encode("gbk" if gbk else "utf-8")
        target = _disk_path(root, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        sizes.append(len(data))
        links[path] = _hrefs(html)
    for asset, data in ASSETS.items():
        target = root / asset
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    depths = _depths(links)
    unreachable = set(outputs) - set(depths)
    if unreachable:
        raise AssertionError(f"{len(unreachable)} pages unreachable from /, e.g. {sorted(unreachable)[:3]}")
    manifest = SiteManifest(
        root=str(root),
        pages=sorted(outputs),
        assets=["/" + a for a in ASSETS],
        dead_links=[d for d, _ in DEAD_LINKS],
        links_per_page_mean=round(sum(len(v) for v in links.values()) / len(links), 1),
        page_bytes_mean=round(sum(sizes) / len(sizes)),
        page_bytes_min=min(sizes),
        page_bytes_max=max(sizes),
        max_depth=max(depths.values()),
        gbk_pages=sum(1 for _, gbk in outputs.values() if gbk),
        seed=seed,
        columns={COLUMNS[i][1]: n for i, n in enumerate(article_counts)},
    )
    return manifest


def _hrefs(html: str) -> list[str]:
    """The <a href> targets of a generated page (the generator writes them one way only)."""
    found = []
    start = 0
    while (at := html.find("<a href=\"", start)) != -1:
        end = html.index("\"", at + 9)
        found.append(html[at + 9:end])
        start = end
    return found


def _depths(links: dict[str, list[str]]) -> dict[str, int]:
    """Breadth-first link depth of every page reachable from the home page."""
    depths = {"/": 0}
    queue = deque(["/"])
    while queue:
        page = queue.popleft()
        for target in links.get(page, []):
            if target in links and target not in depths:
                depths[target] = depths[page] + 1
                queue.append(target)
    return depths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20240628)
    args = parser.parse_args()
    manifest = generate_site(args.root, args.pages, args.seed)
    summary = {k: v for k, v in asdict(manifest).items() if k not in ("pages",)}
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
