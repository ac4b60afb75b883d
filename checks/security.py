"""SEC-1: 暗链或被篡改 — a page carries a hijacker's hidden links, keyword-stuffed title or meta, or shows search
engine spiders another page than people see (cloaking).

A hidden link is a finding only when it is hidden for good (a drop-down menu shown on hover, a block shown on
phones, is seen), leaves the site (its host is none of the site's: the homepage's and those
of its internal links, nor a trusted government host) and its host is a listed domain or its URL or text holds a
listed keyword: a visible link, or a hidden one to an unlisted host (a folded drop-down menu), is not a hijack's.
Stuffing is judged where hijackers write it and editors do not, on the homepage and the pages fetched again as a
spider: an article reporting a crackdown on 六合彩 and 百家乐 names them in its title without being hijacked.
Cloaking compares a statically fetched page with its spider view: another title, or links to offsite hosts only
the spider sees (one listed, or ``cloaking_min_hosts`` of them).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from functools import lru_cache
from typing import TypeGuard
from urllib.parse import unquote, urlsplit

from govmon.checks.context import Context
from govmon.checks.pack import SecurityWords
from govmon.checks.rule import Draft, Rule, judges
from govmon.checks.snapshot import FetchedPage, Snapshot, parsed

SOURCE_19 = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"

SEC_1 = Rule(
    id="SEC-1", cls="veto", title="暗链或被篡改",
    summary="Hidden links to gambling, porn or other blacklisted sites, a keyword-stuffed title or meta, or cloaking "
            "(spiders shown another page).",
    why="Hidden links and spider-only pages mean the site has been hijacked to promote illegal sites; 19号 vetoes "
        "a site that carries them.",
    source=f"{SOURCE_19}“单项否决”（暗链或被篡改）",
    fix="立即删除暗链及被篡改的内容，排查并修补网站程序漏洞和后门，修改管理密码，向搜索引擎申请删除被篡改页面的快照",
    settings=("stuffing_min", "cloaking_min_hosts"),
    example="页面含1个隐藏的外部链接（暗链）：“澳门威尼斯人”（http://www.example-casino.com/，display:none（div.abc））",
)
RULES = (SEC_1,)

_FIELD_NAMES = {"title": "标题", "keywords": "关键词（keywords）", "description": "描述（description）",
                "spider_title": "爬虫所见标题", "spider_keywords": "爬虫所见关键词（keywords）",
                "spider_description": "爬虫所见描述（description）"}
_SHOWN_HOSTS = 10
_SHOWN_TEXTS = 3


@lru_cache(maxsize=65536)
def _host(url: str) -> str:  # a site links the same few thousand URLs tens of thousands of times
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _under(host: str, suffixes: tuple[str, ...]) -> str | None:
    """The listed suffix the host is, or ends with after a dot."""
    return next((suffix for suffix in suffixes if host == suffix or host.endswith("." + suffix)), None)


def _keywords_in(text: str, keywords: tuple[str, ...]) -> list[str]:
    lowered = text.lower()
    return [word for word in keywords if word.lower() in lowered]


def _matched(url: str, text: str, words: SecurityWords) -> list[str]:
    """What marks an offsite link as a hijack's: its host's listed domain, else the keywords in its URL and text."""
    domain = _under(_host(url), words.domains)
    return [domain] if domain else _keywords_in(f"{unquote(url)} {text}", words.keywords)


def site_hosts(snapshot: Snapshot) -> set[str]:
    """The site's own hosts: the homepage's, its crawled pages' and its internal links'."""
    hosts = {_host(snapshot.run.home_url)} | {_host(page.url) for page in snapshot.pages if page.kind == "page"}
    return hosts | {_host(target) for _s, target, *_rest, internal in snapshot.links if internal}


def _offsite(host: str, site: set[str], words: SecurityWords) -> bool:
    return bool(host) and host not in site and not _under(host, words.trusted_hosts)


def _hidden_links(page: FetchedPage, site: set[str], words: SecurityWords) -> list[dict]:
    """The page's hijackers' links: hidden for good (not a drop-down menu's or a phone layout's, which people
    see), off the site, and listed."""
    found = []
    for link in page.facts.get("hidden_links") or []:
        url, text = link.get("url") or "", link.get("text") or ""
        if link.get("hover_menu") or link.get("responsive"):
            continue
        if _offsite(_host(url), site, words) and (matched := _matched(url, text, words)):
            found.append({"url": url, "text": text, "how": link.get("how") or "", "matched": matched})
    return found


def _title_key(title: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", title or "").split()).casefold()


def _fetched(spider: FetchedPage | None) -> TypeGuard[FetchedPage]:
    return spider is not None and not spider.error_kind and spider.status is not None and spider.status < 400


def _stuffing(page: FetchedPage, spider: FetchedPage | None, words: SecurityWords, least: int) -> dict | None:
    """The first title or meta field holding ``least`` listed keywords (one in the spider's title when it is
    not the title people see)."""
    meta = page.facts.get("meta_text") or {}
    fields = [("title", page.title or page.facts.get("title"), least), ("keywords", meta.get("keywords"), least),
              ("description", meta.get("description"), least)]
    if _fetched(spider):
        spider_meta = spider.facts.get("meta_text") or {}
        title = spider.facts.get("title")
        differs = _title_key(title) != _title_key(page.title or page.facts.get("title"))
        fields += [("spider_title", title, 1 if differs else least),
                   ("spider_keywords", spider_meta.get("keywords"), least),
                   ("spider_description", spider_meta.get("description"), least)]
    for name, text, needed in fields:
        matched = _keywords_in(text or "", words.keywords)
        if matched and len(matched) >= needed:
            return {"field": name, "matched": matched}
    return None


def _cloaking(snapshot: Snapshot, page: FetchedPage, spider: FetchedPage | None, site: set[str], words: SecurityWords,
              least_hosts: int) -> dict | None:
    """How the spider view of a page differs from it, when it does as a hijack's would. A page the browser rendered
    may write its own title by script: its hosts are compared, not its title."""
    if not _fetched(spider):
        return None
    browser_title, spider_title = page.title or page.facts.get("title"), spider.facts.get("title")
    seen = {_host(target) for source_id, target, *_rest, internal in snapshot.links
            if source_id == page.id and not internal}
    only: dict[str, list[str]] = defaultdict(list)
    listed = set()
    for link in spider.facts.get("offsite_links") or []:
        url, text = link.get("url") or "", link.get("text") or ""
        host = _host(url)
        if _offsite(host, site, words) and host not in seen:
            only[host].append(text)
            if _matched(url, text, words):
                listed.add(host)
    blocked = bool(_keywords_in(spider_title or "", words.block_page_words))  # a firewall's page, not a hijack's
    retitled = page.render != "rendered" and not blocked and _title_key(browser_title) != _title_key(spider_title)
    if not retitled and not listed and len(only) < least_hosts:
        return None
    hosts = sorted(only, key=lambda host: (host not in listed, host))
    return {"browser_title": browser_title, "spider_title": spider_title,
            "spider_only_hosts": [{"host": host, "texts": [t for t in only[host] if t][:_SHOWN_TEXTS],
                                   "listed": host in listed} for host in hosts[:_SHOWN_HOSTS]],
            "spider_only_total": len(only), "user_agent": spider.facts.get("user_agent")}


def _detail(hidden: list[dict], stuffing: dict | None, cloaking: dict | None) -> str:
    said = []
    if hidden:
        said.append(f"页面含{len(hidden)}个隐藏的外部链接（暗链）：" + "、".join(
            f"“{link['text']}”（{link['url']}，{link['how']}）" for link in hidden[:_SHOWN_TEXTS]))
    if stuffing:
        said.append(f"{_FIELD_NAMES[stuffing['field']]}含违规关键词：{'、'.join(stuffing['matched'])}")
    if cloaking:
        hosts = "、".join(entry["host"] for entry in cloaking["spider_only_hosts"])
        said.append(f"向搜索引擎爬虫展示的内容与浏览器所见不同：爬虫所见标题“{cloaking['spider_title'] or ''}”，"
                    f"浏览器所见标题“{cloaking['browser_title'] or ''}”" + (f"；仅爬虫可见的外部站点：{hosts}" if hosts else ""))
    return "；".join(said)


def _places(page: FetchedPage, hidden: list[dict]) -> list[dict]:
    title = page.title or ""
    return [{"page": page.url, "title": title, "tag": "a", "attr": "href",
             "text": f"{link['text']}（{link['url']}，{link['how']}）"} for link in hidden] or [
        {"page": page.url, "title": title, "tag": "page", "attr": "", "text": ""}]


@judges(SEC_1)
def check_sec_1(snapshot: Snapshot, context: Context) -> list[Draft]:
    """One draft per page with hijackers' hidden links, stuffing or cloaking."""
    words, settings, cap = context.pack.security, context.pack.rule("SEC-1"), context.pack.report.places_cap
    site, home = site_hosts(snapshot), snapshot.home
    drafts = []
    for page in snapshot.pages:
        if not parsed(page):
            continue
        spider = snapshot.spider_views.get(snapshot.key(page.url))
        hidden = _hidden_links(page, site, words)
        judged = page is home or spider is not None  # where hijackers stuff titles, and editors do not
        stuffing = _stuffing(page, spider, words, int(settings["stuffing_min"])) if judged else None
        cloaking = _cloaking(snapshot, page, spider, site, words, int(settings["cloaking_min_hosts"]))
        reasons = [name for name, found in (("hidden_link", hidden), ("stuffing", stuffing), ("cloaking", cloaking))
                   if found]
        if not reasons:
            continue
        places = _places(page, hidden)
        drafts.append(Draft(rule="SEC-1", target=page.url, evidence={
            "reason": reasons[0], "status": None, "detail": _detail(hidden, stuffing, cloaking), "reasons": reasons,
            "hidden_links": hidden, "stuffing": stuffing, "cloaking": cloaking},
            places=places[:cap], places_total=len(places)))
    return drafts
