"""SVC-1: 服务不实用 — a portal's homepage has no 办事服务 entry, or its 办事指南 lack key elements.

The entry is judged on the homepage of the site types the pack names (portals): its navigation and link texts.
A guide is an article page (not a column's list) titled 办事指南/服务指南 showing a few element categories, or
any article page showing ``min_categories`` of them; a category is shown by a field label (``field_labels``) or,
as a fallback, by "alias：" in the page's text. Categories the homepage shows too (联系电话 and 办公时间 in the
site's footer) do not make a page a guide, though they count as shown once it is one. A guide missing
``listed_missing`` categories is listed; one missing ``min_missing`` counts toward the veto (veto_at guides).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from govmon.checks.context import Context
from govmon.checks.pack import Services
from govmon.checks.rule import Draft, Rule, judges
from govmon.checks.snapshot import FetchedPage, Snapshot, is_list_page, parsed
from govmon.checks.wording import COMPATIBLE_FORMS

SOURCE_19 = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"

SVC_1 = Rule(
    id="SVC-1", cls="veto", title="服务不实用",
    summary="A portal's homepage has no 办事服务 entry, or 办事指南 miss key elements (事项名称, 设定依据, 申请条件, "
            "办理材料, 办理地点, 办理机构, 收费标准, 办理时间, 联系电话, 办理流程).",
    why="A citizen must find the services from the homepage and learn from each guide what to bring, where to go "
        "and whom to call; 19号 vetoes a site whose services are not usable.",
    source=f"{SOURCE_19}“单项否决：服务不实用”",
    fix="在首页显著位置提供办事服务入口；补全办事指南的事项名称、设定依据、申请条件、办理材料、办理地点、办理机构、"
        "收费标准、办理时间、联系电话、办理流程等要素",
    settings=("min_missing", "listed_missing", "min_categories", "titled_min_categories"),
    example="办事指南“个体工商户注册登记办事指南”缺少5项要素：设定依据、收费标准、办理时间、联系电话、办理流程",
)
RULES = (SVC_1,)


def _normal(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@lru_cache(maxsize=64)
def _label_in_text(aliases: tuple[str, ...]) -> re.Pattern:
    """"alias：" or "alias:", whitespace allowed before the colon."""
    return re.compile("(?:" + "|".join(re.escape(_normal(a)) for a in sorted(aliases, key=len, reverse=True))
                      + r")\s*[:：]")


@lru_cache(maxsize=256)
def _normal_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """A category's aliases normalised, once per check rather than once per page."""
    return tuple(_normal(word) for word in words)


def categories_shown(labels: Iterable[str], text: str, services: Services) -> set[str]:
    """The element categories a page shows: a label equal to, starting or ending with one of a category's aliases,
    or "alias：" in the text."""
    normal = [_normal(label) for label in labels if label]
    # full-width forms and compatibility ideographs made plain, only where there are any
    flat = unicodedata.normalize("NFKC", text) if COMPATIBLE_FORMS.search(text) else text
    shown = set()
    for category, aliases in services.elements.items():
        words = _normal_words(tuple(aliases))
        if any(label.startswith(w) or label.endswith(w) for label in normal for w in words) or (
                flat and _label_in_text(aliases).search(flat)):
            shown.add(category)
    return shown


_TITLE_SEPARATORS = " -_|·—:：　"


def _titled(title: str, guide_titles: list[str]) -> tuple[bool, bool]:
    """(titled as a guide, the title names the matter right before the guide word: "XX办事指南", not the site's
    name in "某市人民政府-办事指南")."""
    for word in guide_titles:
        at = title.find(word)
        if at >= 0:
            return True, at > 0 and title[at - 1] not in _TITLE_SEPARATORS
    return False, False


def _guide_draft(page: FetchedPage, present: set[str], services: Services, settings) -> Draft | None:
    missing = [category for category in services.elements if category not in present]
    if len(missing) < min(settings["listed_missing"], settings["min_missing"]):
        return None
    counts = len(missing) >= settings["min_missing"]
    title = page.title or page.facts.get("title") or page.url
    return Draft(rule="SVC-1", target=page.url, evidence={
        "reason": "guide_elements", "status": None,
        "detail": f"办事指南“{title}”缺少{len(missing)}项要素：{'、'.join(missing)}",
        "missing": missing, "present": [c for c in services.elements if c in present], "counts_toward_veto": counts},
        places=[{"page": page.url, "title": page.title or "", "tag": "page", "attr": "", "text": "缺少" + "、".join(missing)}],
        places_total=1)


def _guides(snapshot: Snapshot, context: Context) -> list[Draft]:
    services, settings = context.pack.services, context.pack.rule("SVC-1")
    home = snapshot.home
    template = categories_shown((home.facts.get("field_labels") or []), snapshot.text(home), services) \
        if parsed(home) else set()
    drafts = []
    for page in snapshot.pages:
        if not parsed(page) or page is home or is_list_page(page):
            continue
        present = categories_shown(page.facts.get("field_labels") or [], snapshot.text(page), services)
        titled, named = _titled(page.title or page.facts.get("title") or "", settings.words("guide_titles"))
        own = len(present - template)
        if own < (settings["titled_min_categories"] if titled else settings["min_categories"]):
            continue
        if named:
            present.add(services.title_category)
        if draft := _guide_draft(page, present, services, settings):
            drafts.append(draft)
    return drafts


def _has_entry(snapshot: Snapshot, home: FetchedPage, words: list[str]) -> bool:
    names = [entry.get("name") or "" for entry in home.facts.get("nav") or []]
    names += [text or "" for source_id, _target, _tag, _attr, text, *_ in snapshot.links if source_id == home.id]
    return any(word in _normal(name) for name in names for word in words)


def _entry(snapshot: Snapshot, context: Context) -> list[Draft]:
    """The homepage's 办事服务 entry, on the site types that must have one."""
    settings = context.pack.rule("SVC-1")
    if context.site_type is None:
        context.cannot_judge("SVC-1", "网站类型未登记，未判断首页是否提供办事服务入口")
        return []
    if context.site_type not in settings.words("entry_types"):
        return []
    home, words = snapshot.home, settings.words("entry_words")
    if not parsed(home):
        context.cannot_judge("SVC-1", "首页未能正常获取和解析，未判断首页是否提供办事服务入口")
        return []
    if _has_entry(snapshot, home, words):
        return []
    if home.render == "render_failed":
        context.cannot_judge("SVC-1", "首页需脚本渲染而渲染失败，未判断首页是否提供办事服务入口")
        return []
    return [Draft(rule="SVC-1", target=home.url, evidence={
        "reason": "no_service_entry", "status": None,
        "detail": f"首页未发现办事服务入口（导航栏目或链接文字含“{'”“'.join(words)}”）", "vetoes_alone": True},
        places=[{"page": home.url, "title": home.title or "", "tag": "page", "attr": "", "text": "首页"}],
        places_total=1)]


@judges(SVC_1)
def check_svc_1(snapshot: Snapshot, context: Context) -> list[Draft]:
    """The homepage's missing entry (a veto alone), then one draft per guide missing elements."""
    return _entry(snapshot, context) + _guides(snapshot, context)
