"""ID-1 … ID-7 and META-1: does the site say whose it is, on every page, the way 47号 asks.

Footer items (ID-1 … ID-4) and article meta tags (META-1) are judged on every fetched
page and reported once per section (the first path segment: /hdjl/, /bsfw/ …),
because a missing item is nearly always one template's fault: the finding names the
section and lists its pages. The homepage items (ID-5, ID-6) and the domain (ID-7)
are judged on the homepage.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urlsplit

from govmon.checks.context import Context
from govmon.checks.rule import Draft, Rule, judges
from govmon.checks.snapshot import FetchedPage, Snapshot, is_list_page, parsed
from govmon.checks.soft404 import SoftNotFoundDetector

SOURCE_47 = "国办发〔2017〕47号《政府网站发展指引》"
_SITE_CODE_SHAPE = re.compile(r"^(?:\d{10}|bm\d{8})$")

ID_1 = Rule(
    id="ID-1", cls="deduct", title="网站标识码缺失或错误",
    summary="网站标识码 missing from the footer, malformed (10 digits or bm + 8 digits), or not the registry's or meta SiteIDCode.",
    why="The 网站标识码 ties a site to its entry in the national site register; a wrong one breaks every report about it.",
    source=f"{SOURCE_47}“网站标识”",
    fix="在页面底部正确标注全国政府网站基本信息数据库分配的网站标识码，并与SiteIDCode元数据一致",
    settings=("points", "cap"),
    example="http://www.example.gov.cn/hdjl/ 下3个页面的网站标识码有误：网站标识码“530100001”格式不正确（应为10位数字或bm加8位数字）",
)
ID_2 = Rule(
    id="ID-2", cls="deduct", title="ICP备案编号缺失",
    summary="ICP备案编号 missing from the footer.",
    why="47号 requires the ICP record number in every page's footer.",
    source=f"{SOURCE_47}“网站标识”",
    fix="在页面底部标注ICP备案编号，并链接至工业和信息化部备案管理系统",
    settings=("points", "cap"),
    example="http://www.example.gov.cn/bsfw/ 下2个页面底部未标注ICP备案编号",
)
ID_3 = Rule(
    id="ID-3", cls="deduct", title="公安机关备案号缺失",
    summary="公安机关备案号 missing from the footer.",
    why="47号 requires the public-security record number in every page's footer.",
    source=f"{SOURCE_47}“网站标识”",
    fix="在页面底部标注公安机关备案号，并链接至全国互联网安全管理服务平台",
    settings=("points", "cap"),
    example="http://www.example.gov.cn/hdjl/ 下3个页面底部未标注公安机关备案号",
)
ID_4 = Rule(
    id="ID-4", cls="deduct", title="主办单位或联系方式缺失",
    summary="主办单位 or 联系方式 missing from the footer.",
    why="Citizens must be able to see who runs the site and how to reach them (47号).",
    source=f"{SOURCE_47}“网站标识”",
    fix="在页面底部标注网站主办单位名称及联系电话或电子邮箱",
    settings=("points", "cap"),
    example="http://www.example.gov.cn/ 下1个页面缺少主办单位或联系方式：页面底部未标注主办单位",
)
ID_5 = Rule(
    id="ID-5", cls="advice", title="党政机关网站标识缺失",
    summary="No 党政机关网站标识 (the red mark linking to conac.cn) on the homepage.",
    why="The mark lets citizens verify that the site is really a government site.",
    source=f"{SOURCE_47}“网站标识”",
    fix="在首页底部加挂党政机关网站标识（开办主体标识）",
    example="首页未发现党政机关网站标识（链接文字或图片说明含“党政机关”，或指向conac.cn）",
)
ID_6 = Rule(
    id="ID-6", cls="deduct", title="首页无“我为政府网站找错”入口",
    summary="No 我为政府网站找错 entry on the homepage.",
    why="The national error-reporting desk is how citizens tell a site what is wrong; every homepage must link to it.",
    source="国办秘函〔2019〕19号；国务院办公厅政府网站工作年度报表要求",
    fix="在首页显著位置加挂“我为政府网站找错”监督平台入口",
    settings=("points", "cap"),
    example="首页未发现“我为政府网站找错”入口（链接文字含“我为政府网站找错”或指向jiucuo）",
)
ID_7 = Rule(
    id="ID-7", cls="advice", title="英文域名不规范",
    summary="The site's English domain is not under .gov.cn.",
    why="47号 requires government sites to use a domain under .gov.cn, so citizens can tell them from imitations.",
    source=f"{SOURCE_47}“域名规范”",
    fix="按规定使用“.gov.cn”结尾的英文域名",
    example="网站域名“www.example.com.cn”不以“.gov.cn”结尾",
)
META_1 = Rule(
    id="META-1", cls="advice", title="文章页元数据不规范",
    summary="Article pages lack the standard meta tags (SiteName, SiteDomain, SiteIDCode, ColumnName, ArticleTitle, PubDate, ContentSource).",
    why="The national search and inspection platforms read these tags; without them an article cannot be found or attributed.",
    source=f"{SOURCE_47}附件“政府网站网页元数据规范”",
    fix="在文章页<head>中按规范补齐缺少的元数据标签",
    example="http://www.example.gov.cn/bsfw/ 下2个页面（文章页）元数据不全：缺少ContentSource",
)
RULES = (ID_1, ID_2, ID_3, ID_4, ID_5, ID_6, ID_7, META_1)

_FOOTER_ITEMS = {"ID-2": ("icp", "ICP备案编号"), "ID-3": ("police_record", "公安机关备案号")}


def _pages(snapshot: Snapshot, context: Context) -> list[FetchedPage]:
    """Pages whose footer can be judged. Left out rather than blamed: a page that needed rendering and could
    not be rendered (it may write its footer by script), and a soft 404 (LINK rules report it; its template
    is the error page's, not the site's)."""
    detector = SoftNotFoundDetector(snapshot.probes, snapshot.home, context.pack.detect.soft_404.min_similarity)
    return [page for page in snapshot.pages
            if parsed(page) and page.render != "render_failed" and not detector.judge(page)]


def section_of(url: str) -> str:
    """scheme://host/first-segment/ — or the site root for pages at the top level."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    first = segments[1] if len(segments) > 2 else ""
    return f"{parts.scheme}://{parts.netloc}/" + (f"{first}/" if first else "")


def _by_section(rule: str, problems: dict[str, str], titles: dict[str, str | None], cap: int, detail: str,
                reason: str, say_kinds: bool = True, **extra) -> list[Draft]:
    """One draft per section; problems: page URL → what is wrong there (its kinds said in the detail unless
    the detail says it all); titles: page URL → its title, which the places carry for the administrator."""
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for url, problem in problems.items():
        grouped[section_of(url)].append((url, problem))
    drafts = []
    for section, pages in sorted(grouped.items()):
        pages.sort()
        kinds = sorted({problem for _, problem in pages})
        drafts.append(Draft(rule=rule, target=section, evidence={
            "reason": reason, "status": None,
            "detail": f"{section} 下{len(pages)}个页面{detail}" + (f"：{'；'.join(kinds)}" if say_kinds else ""),
            "problems": kinds, "pages": len(pages), **extra},
            places=[{"page": url, "title": titles.get(url) or "", "tag": "page", "attr": "", "text": problem}
                    for url, problem in pages[:cap]],
            places_total=len(pages)))
    return drafts


def _site_code_problem(facts: dict, registry_code: str | None) -> str | None:
    shown, meta = facts.get("site_code"), facts.get("site_code_meta")
    if not shown:
        return "页面底部未标注网站标识码"
    if not _SITE_CODE_SHAPE.match(shown):
        return f"网站标识码“{shown}”格式不正确（应为10位数字或bm加8位数字）"
    if registry_code and shown != registry_code:
        return f"网站标识码“{shown}”与登记的“{registry_code}”不一致"
    if meta and meta != shown:
        return f"网站标识码“{shown}”与SiteIDCode元数据“{meta}”不一致"
    return None


def _has_link(snapshot: Snapshot, page: FetchedPage, words: tuple[str, ...], hosts: tuple[str, ...]) -> dict | None:
    for source_id, target, tag, _attr, text, _kind, _internal in snapshot.links:
        if source_id != page.id:
            continue
        host = urlsplit(target).hostname or ""
        if any(word in (text or "") for word in words) or any(host == h or host.endswith("." + h) for h in hosts):
            return {"target": target, "text": text, "tag": tag}
    return None


def _judged(snapshot: Snapshot, context: Context) -> tuple[list[FetchedPage], dict[str, str | None]]:
    """The pages whose footer is judged and their titles, shared by the family's rules."""
    pages = _pages(snapshot, context)
    return pages, {p.url: p.title for p in pages}


@judges(ID_1)
def check_id_1(snapshot: Snapshot, context: Context) -> list[Draft]:
    pages, titles = context.once(snapshot, _judged)
    registry_code = context.site_code or snapshot.run.site_code or None
    site_code = {p.url: problem for p in pages if (problem := _site_code_problem(p.facts, registry_code))}
    return _by_section("ID-1", site_code, titles, context.pack.report.places_cap, "的网站标识码有误", "site_code",
                       registry=registry_code)


def _footer_item(rule: Rule, snapshot: Snapshot, context: Context) -> list[Draft]:
    pages, titles = context.once(snapshot, _judged)
    key, label = _FOOTER_ITEMS[rule.id]
    missing = {p.url: f"页面底部未标注{label}" for p in pages if not p.facts.get(key)}
    return _by_section(rule.id, missing, titles, context.pack.report.places_cap, f"底部未标注{label}", "footer_item",
                       say_kinds=False)


@judges(ID_2)
def check_id_2(snapshot: Snapshot, context: Context) -> list[Draft]:
    return _footer_item(ID_2, snapshot, context)


@judges(ID_3)
def check_id_3(snapshot: Snapshot, context: Context) -> list[Draft]:
    return _footer_item(ID_3, snapshot, context)


@judges(ID_4)
def check_id_4(snapshot: Snapshot, context: Context) -> list[Draft]:
    pages, titles = context.once(snapshot, _judged)
    owner = {p.url: "、".join(label for key, label in (("sponsor", "主办单位"), ("contact", "联系方式"))
                             if not p.facts.get(key)) for p in pages}
    return _by_section("ID-4", {url: f"页面底部未标注{what}" for url, what in owner.items() if what}, titles,
                       context.pack.report.places_cap, "缺少主办单位或联系方式", "footer_item")


@judges(META_1)
def check_meta_1(snapshot: Snapshot, context: Context) -> list[Draft]:
    pages, titles = context.once(snapshot, _judged)
    tags = tuple(context.pack.rule("META-1")["tags"])
    meta = {}
    for page in pages:
        if page.facts.get("published") and page.depth > 0 and not is_list_page(page):
            lacking = [tag for tag in tags if not (page.facts.get("meta") or {}).get(tag)]
            if lacking:
                meta[page.url] = "缺少" + "、".join(lacking)
    return _by_section("META-1", meta, titles, context.pack.report.places_cap, "（文章页）元数据不全", "meta_tags",
                       required=list(tags))


def _home_place(home: FetchedPage) -> list[dict]:
    return [{"page": home.url, "tag": "page", "attr": "", "text": "首页"}]


def _judged_home(snapshot: Snapshot, context: Context) -> FetchedPage | None:
    """The homepage, when its footer is judged (not unrendered, not a soft 404): the homepage rules judge only it."""
    home = snapshot.home
    return home if home in context.once(snapshot, _judged)[0] else None


def _home_without_link(rule: str, snapshot: Snapshot, context: Context, words: tuple[str, ...],
                       hosts: tuple[str, ...], reason: str, detail: str) -> list[Draft]:
    """A finding on the judged homepage when no link on it has one of words or points to one of hosts."""
    home = _judged_home(snapshot, context)
    if home is None or _has_link(snapshot, home, words, hosts):
        return []
    return [Draft(rule=rule, target=home.url, evidence={"reason": reason, "status": None, "detail": detail},
                  places=_home_place(home), places_total=1)]


@judges(ID_5)
def check_id_5(snapshot: Snapshot, context: Context) -> list[Draft]:
    words, hosts = context.pack.identity.party_mark, context.pack.identity.party_mark_hosts
    return _home_without_link("ID-5", snapshot, context, words, hosts, "no_party_mark",
                              f"首页未发现党政机关网站标识（链接文字或图片说明含“{'”“'.join(words)}”，"
                              f"或指向{'、'.join(hosts)}）")


@judges(ID_6)
def check_id_6(snapshot: Snapshot, context: Context) -> list[Draft]:
    words, hosts = context.pack.identity.error_entry, context.pack.identity.error_entry_hosts
    return _home_without_link("ID-6", snapshot, context, words, hosts, "no_error_entry",
                              f"首页未发现“我为政府网站找错”入口（链接文字含“{'”“'.join(words)}”或指向{'、'.join(hosts)}）")


@judges(ID_7)
def check_id_7(snapshot: Snapshot, context: Context) -> list[Draft]:
    home, suffix = _judged_home(snapshot, context), context.pack.identity.domain_suffix
    host = urlsplit(snapshot.run.home_url).hostname or ""
    if home is None or host.endswith(suffix):
        return []
    return [Draft(rule="ID-7", target=snapshot.run.home_url, evidence={
        "reason": "domain", "status": None, "host": host,
        "detail": f"网站域名“{host}”不以“{suffix}”结尾"}, places=_home_place(home), places_total=1)]


def check_identity(snapshot: Snapshot, context: Context) -> list[Draft]:
    """Every rule of the family, in the order the findings have always come: footer items, META-1, the homepage."""
    return [draft for unit in (check_id_1, check_id_2, check_id_3, check_id_4, check_meta_1, check_id_5, check_id_6,
                               check_id_7) for draft in unit(snapshot, context)]
