"""LINK-1, LINK-2, LINK-3: links, resources and attachments that do not work.

One finding per broken target URL, listing every page where it appears. An
attachment is LINK-3 wherever it is linked; any other target is LINK-1 when the
homepage links to it, else LINK-2. Targets the crawl did not reach (beyond the
depth or page limit), and targets still answering "too many requests" after the
retries (rate limited), are not judged: a server pushing back is not a dead link. Nor are
targets robots.txt kept from the crawl (robots = "obey"): their state is unknown.

The answers to the random missing URLs, and a missing page's redirect out of the site to where those answers
went (a soft 404), are no pages of the site: what they link to is not listed as the site's links.
"""

from __future__ import annotations

from collections import defaultdict

from govmon.checks.context import Context
from govmon.checks.rule import Draft, Rule, drafts_of, judges
from govmon.checks.snapshot import FetchedPage, Snapshot
from govmon.checks.soft404 import SoftNotFoundDetector

SOURCE_19 = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"

LINK_1 = Rule(
    id="LINK-1", cls="deduct", title="首页不可用链接",
    summary="A link or resource on the homepage is broken.",
    why="The homepage is what every visitor sees first; 19号 counts each broken link there against the site.",
    source=f"{SOURCE_19}“链接可用性”",
    fix="修复或删除首页上的该链接；页面已迁移的，改为新地址",
    settings=("points", "cap"),
    example="HTTP 404",
)
LINK_2 = Rule(
    id="LINK-2", cls="deduct", title="其他页面不可用链接",
    summary="A link or resource on a page other than the homepage is broken.",
    why="Dead links deep in a site tell citizens the information they were promised is gone.",
    source=f"{SOURCE_19}“链接可用性”",
    fix="修复或删除该链接；页面已迁移的，改为新地址；外部网站失效的，删除或更换链接",
    settings=("points", "cap"),
    example="HTTP 500",
)
LINK_3 = Rule(
    id="LINK-3", cls="deduct", title="附件无法下载",
    summary="An attachment (doc, pdf, xls, wps, ofd, zip, …) fails or is served as an error page.",
    why="Policy texts, forms and tables are often published only as attachments; one that fails withholds them.",
    source=f"{SOURCE_19}“服务实用”",
    fix="重新上传该附件，或更正附件链接地址",
    settings=("points", "cap"),
    example="附件地址返回网页（text/html）而不是文件",
)
RULES = (LINK_1, LINK_2, LINK_3)

_IGNORED_ERRORS = frozenset({"parse_error", "robots_blocked", "rate_limited"})  # fetched fine, or not judged
_SHOWN_UNJUDGED = 5


def broken_reason(page: FetchedPage, detector: SoftNotFoundDetector) -> dict | None:
    """Why this fetched URL counts as broken, as evidence, or None when it works."""
    base = {"status": page.status, "final_url": page.final_url if page.final_url != page.url else None,
            "method": page.method, "checked_at": page.fetched_at.isoformat()}
    if page.error_kind and page.error_kind not in _IGNORED_ERRORS:
        return {**base, "reason": page.error_kind, "detail": page.error_detail}
    if page.status is not None and page.status >= 400:
        return {**base, "reason": f"http_{page.status}", "detail": f"HTTP {page.status}"}
    if page.kind == "attachment" and page.status == 200 and "html" in (page.content_type or "").lower():
        return {**base, "reason": "error_page", "content_type": page.content_type,
                "detail": f"附件地址返回网页（{page.content_type}）而不是文件"}
    if page.kind == "page":
        soft = detector.judge(page)
        if soft:
            return {**base, "reason": "soft_404", **soft}
    return None


def _broken_links(snapshot: Snapshot, context: Context) -> list[Draft]:
    """One pass over the link targets judging LINK-1, LINK-2 and LINK-3: which one a broken target is depends on
    where it is linked from."""
    pack = context.pack
    home = snapshot.home
    detector = SoftNotFoundDetector(snapshot.probes, home, pack.detect.soft_404.min_similarity,
                                    snapshot.offsite_redirects)
    not_found = {page.id for page in snapshot.probes}
    not_found.update(page_id for page_id in snapshot.offsite_redirects if detector.judge(snapshot.by_id[page_id]))
    places: dict[str, list] = defaultdict(list)
    for source_id, target, tag, attr, text, kind, _internal in snapshot.links:
        if source_id not in not_found:
            places[snapshot.key(target)].append((source_id, tag, attr, text, kind))
    cap = pack.report.places_cap
    drafts, rate_limited, robots = [], [], []
    for key, appearances in places.items():
        fetched = snapshot.by_url.get(key)
        if fetched is None or fetched.kind == "probe":
            continue
        if fetched.error_kind == "rate_limited":
            rate_limited.append(fetched.url)
            continue
        if fetched.error_kind == "robots_blocked":
            robots.append(fetched.url)
            continue
        evidence = broken_reason(fetched, detector)
        if evidence is None:
            continue
        on_home = home is not None and any(source_id == home.id for source_id, *_ in appearances)
        is_attachment = fetched.kind == "attachment" or any(kind == "attachment" for *_, kind in appearances)
        rule = "LINK-3" if is_attachment else "LINK-1" if on_home else "LINK-2"
        listed = [  # the page's title too: the administrator knows a page by it
            {"page": snapshot.by_id[source_id].url, "title": snapshot.by_id[source_id].title or "", "tag": tag,
             "attr": attr, "text": text}
            for source_id, tag, attr, text, _kind in appearances
        ]
        if on_home:  # the homepage first: that is where the administrator looks
            listed.sort(key=lambda place: place["page"] != home.url)
        drafts.append(Draft(rule=rule, target=fetched.url, evidence=evidence, places=listed[:cap],
                            places_total=len(listed)))
    if rate_limited:
        shown = "、".join(rate_limited[:_SHOWN_UNJUDGED]) + ("等" if len(rate_limited) > _SHOWN_UNJUDGED else "")
        context.cannot_judge("LINK:rate_limited", f"{len(rate_limited)}个链接多次重试后仍被限制访问频率"
                                                  f"（HTTP 429/503），未能判断：{shown}")
    if robots:
        shown = "、".join(robots[:_SHOWN_UNJUDGED]) + ("等" if len(robots) > _SHOWN_UNJUDGED else "")
        context.cannot_judge("LINK:robots_blocked", f"{len(robots)}个链接按robots.txt未采集，未能判断：{shown}")
    return drafts


@judges(LINK_1)
def check_link_1(snapshot: Snapshot, context: Context) -> list[Draft]:
    return drafts_of(LINK_1, context.once(snapshot, _broken_links))


@judges(LINK_2)
def check_link_2(snapshot: Snapshot, context: Context) -> list[Draft]:
    return drafts_of(LINK_2, context.once(snapshot, _broken_links))


@judges(LINK_3)
def check_link_3(snapshot: Snapshot, context: Context) -> list[Draft]:
    return drafts_of(LINK_3, context.once(snapshot, _broken_links))


def check_links(snapshot: Snapshot, context: Context) -> list[Draft]:
    """Every rule of the family, one finding per broken target in the order the targets are linked."""
    return list(context.once(snapshot, _broken_links))
